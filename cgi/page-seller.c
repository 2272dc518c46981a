/*
 * The seller's pages: their products with forms to change stock and price,
 * the form that registers a product, and the list of sales.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feira.h"
#include "valid.h"
#include "xmalloc.h"

static const char *const page_seller_create_fields[] = {
	"csrf", "name", "team", "description", "price", "color0", "color1",
	"stock_P", "stock_M", "stock_G", "stock_GG", "stock_XG", NULL
};

static const char *const page_seller_update_fields[] = {
	"csrf", "price", "delta_P", "delta_M", "delta_G", "delta_GG",
	"delta_XG", NULL
};

/* Products on one page of the seller's list, and sales on one of theirs. */
#define SELLER_PER_PAGE		20
#define SALES_PER_PAGE		50

/* GET /seller: the seller's products, by name, a page at a time. */
void
page_seller(struct request *r)
{
	struct tmpl_vars	*v = tmpl_vars_new(), *rv = tmpl_vars_new();
	struct gallery_filter	 gf;
	struct gallery		 g;
	struct html		 body, rows, pager;
	size_t			 page = 1, pages = 1, first = 0, last = 0, i;
	int			 status;

	html_init(&body);
	html_init(&rows);
	html_init(&pager);
	memset(&g, 0, sizeof g);
	gallery_filter_init(&gf);
	gf.local = 1;
	if ((status = render_list_page(r, &page, v)) != 0)
		;
	else if (gallery_collect(&gf, &g) == -1) {
		status = 500;
		tmpl_set(v, "error", _("Os produtos não puderam ser lidos."));
	} else
		status = render_list_window(g.n, SELLER_PER_PAGE, page, &pages,
		    &first, &last, v, _("Esta página da lista não existe."));
	if (status == 0)
		status = 200;
	for (i = first; i < last; i++) {
		tmpl_vars_reset(rv);
		render_product_vars(rv, g.sorted[i]);
		render_csrf(r, rv);
		tmpl_render(app->tmpl[T_SELLER_ROW], rv, &rows);
	}
	render_pager(r, "/seller", page, pages, _("Páginas dos produtos"),
	    &pager);
	tmpl_set(v, "empty", status == 200 && g.n == 0 ? "1" : "");
	tmpl_setf(v, "count", "%zu", g.n);
	tmpl_setf(v, "page", "%zu", page);
	tmpl_setf(v, "pages", "%zu", pages);
	tmpl_set_html(v, "rows", &rows);
	tmpl_set_html(v, "pager", &pager);
	tmpl_render(app->tmpl[T_SELLER], v, &body);
	html_free(&rows);
	html_free(&pager);
	gallery_filter_free(&gf);
	gallery_free(&g);
	tmpl_vars_free(rv);
	tmpl_vars_free(v);
	render_page(r, status, _("Meus produtos"), &body);
}

/*
 * Render the registration form, refilled from f and saying what failed
 * when they are not NULL.
 */
static void
page_seller_form(struct request *r, int status, const struct form *f,
    const struct fail *fl)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 body;
	size_t			 i;
	const char		*s;
	char			 text[300], example[16];

	html_init(&body);
	tmpl_set(v, "color0", "#ffffff");
	tmpl_set(v, "color1", "#1b5e20");
	lang_decimal(example, sizeof example, 19990, app->lang);
	tmpl_set(v, "price_example", example);
	for (i = 1; f != NULL && page_seller_create_fields[i] != NULL; i++)
		if ((s = form_get(f, page_seller_create_fields[i])) != NULL)
			tmpl_set(v, page_seller_create_fields[i], s);
	if (fl != NULL) {
		render_fail_text(fl, text, sizeof text);
		tmpl_set(v, "error", text);
	}
	render_csrf(r, v);
	tmpl_render(app->tmpl[T_PRODUCT_FORM], v, &body);
	tmpl_vars_free(v);
	render_page(r, status, _("Cadastrar camisa"), &body);
}

/* GET /seller/new: the registration form. */
void
page_seller_new(struct request *r)
{
	page_seller_form(r, 200, NULL, NULL);
}

/* Copy text field name of f into dst of size bytes, "" when absent. */
static int
page_seller_text(const struct form *f, const char *name, char *dst,
    size_t size, struct fail *fl)
{
	const char	*s = form_get(f, name);

	if (s == NULL)
		s = "";
	if (strlen(s) >= size) {
		fail_set(fl, 400, name, "%s is longer than %zu bytes", name,
		    size - 1);
		return (-1);
	}
	strcpy(dst, s);
	return (0);
}

/* Decode the registration form into in.  Returns 0 or -1 with fl. */
static int
page_seller_input(const struct form *f, struct product_input *in,
    struct fail *fl)
{
	const char	*s;
	char		 key[16];
	int		 i;

	product_input_init(in);
	if (page_seller_text(f, "name", in->name, sizeof in->name, fl) ==
	    -1 || page_seller_text(f, "team", in->team, sizeof in->team,
	    fl) == -1 || page_seller_text(f, "description", in->description,
	    sizeof in->description, fl) == -1 || page_seller_text(f,
	    "color0", in->colors[0], sizeof in->colors[0], fl) == -1 ||
	    page_seller_text(f, "color1", in->colors[1],
	    sizeof in->colors[1], fl) == -1)
		return (-1);
	if ((s = form_get(f, "price")) == NULL ||
	    render_parse_price(s, &in->price_cents) == -1) {
		fail_set(fl, 400, "price", "the price must be in reais, as "
		    "199,90");
		return (-1);
	}
	for (i = 0; i < SIZE__MAX; i++) {
		snprintf(key, sizeof key, "stock_%s", size_names[i]);
		if ((s = form_get(f, key)) == NULL || *s == '\0')
			continue;
		if (!valid_int(s, 0, STOCK_MAX, &in->stock[i])) {
			fail_set(fl, 400, key, "the stock of %s must be from "
			    "0 to %d", size_names[i], STOCK_MAX);
			return (-1);
		}
	}
	return (0);
}

/* POST /seller/products: register a product from the form. */
void
page_seller_create(struct request *r)
{
	struct form		f;
	struct product_input	in;
	struct product		p;
	struct fail		fl;
	char			where[80];

	if (request_form(r, &f) == -1)
		return;
	fail_clear(&fl);
	if (form_unknown(&f, page_seller_create_fields) != NULL)
		fail_set(&fl, 400, NULL, "the form has unknown fields");
	if (fl.status != 0 || page_seller_input(&f, &in, &fl) == -1 ||
	    action_product_create(&in, &p, &fl) == -1) {
		page_seller_form(r, fl.status, &f, &fl);
		form_free(&f);
		return;
	}
	form_free(&f);
	snprintf(where, sizeof where, "/products/%s", p.id);
	response_redirect(r, where);
}

/* Decode the change form into patch.  Returns 0 or -1 with fl. */
static int
page_seller_patch(const struct form *f, struct product_patch *patch,
    struct fail *fl)
{
	const char	*s;
	char		 key[16];
	int		 i;

	memset(patch, 0, sizeof *patch);
	if ((s = form_get(f, "price")) != NULL && *s != '\0') {
		if (render_parse_price(s, &patch->price_cents) == -1) {
			fail_set(fl, 400, "price", "the price must be in "
			    "reais, as 199,90");
			return (-1);
		}
		patch->has_price = 1;
	}
	for (i = 0; i < SIZE__MAX; i++) {
		snprintf(key, sizeof key, "delta_%s", size_names[i]);
		if ((s = form_get(f, key)) == NULL || *s == '\0' ||
		    strcmp(s, "0") == 0)
			continue;
		if (!valid_int(s, -STOCK_MAX, STOCK_MAX, &patch->delta[i])) {
			fail_set(fl, 400, key, "the change of stock of %s "
			    "must be a whole number", size_names[i]);
			return (-1);
		}
		patch->has_delta[i] = 1;
	}
	return (0);
}

/* POST /seller/products/{id}: change stock by deltas, and the price. */
void
page_seller_update(struct request *r)
{
	struct form		f;
	struct product_patch	patch;
	struct product		p;
	struct fail		fl;

	if (request_form(r, &f) == -1)
		return;
	fail_clear(&fl);
	if (form_unknown(&f, page_seller_update_fields) != NULL)
		fail_set(&fl, 400, NULL, "the form has unknown fields");
	if (fl.status == 0 && page_seller_patch(&f, &patch, &fl) == 0 &&
	    product_patch_empty(&patch)) {
		/* The form sent as it came: nothing to change. */
		form_free(&f);
		response_redirect(r, "/seller");
		return;
	}
	if (fl.status != 0 || action_product_update(r->arg, &patch, &p,
	    &fl) == -1) {
		form_free(&f);
		render_fail(r, &fl);
		return;
	}
	form_free(&f);
	response_redirect(r, "/seller");
}

/*
 * One item of ours that was sold, the order it was sold in, and the
 * marketplace that keeps the order: where the buyer bought.
 */
struct page_seller_sold {
	char			order[TXID_MAX + 1];
	char			buyer[MARKET_NAME_MAX + 1];
	int64_t			created;
	struct order_item	item;
};

/* The sales gathered from the committed reservations. */
struct page_seller_sales {
	struct page_seller_sold	*s;
	size_t			 n;
	size_t			 size;
	int64_t			 total;
	long long		 pieces;
};

/* Gather one item sold of this marketplace's. */
static int
page_seller_sale(const struct reservation *r, const struct order_item *it,
    void *arg)
{
	struct page_seller_sales	*ps = arg;
	struct page_seller_sold		*sold;

	if (ps->n == ps->size) {
		ps->size = ps->size == 0 ? 64 : ps->size * 2;
		ps->s = xreallocarray(ps->s, ps->size, sizeof *ps->s);
	}
	sold = &ps->s[ps->n++];
	snprintf(sold->order, sizeof sold->order, "%s", r->txid);
	snprintf(sold->buyer, sizeof sold->buyer, "%s", r->coordinator);
	sold->created = r->created;
	sold->item = *it;
	ps->total += it->price_cents * it->quantity;
	ps->pieces += it->quantity;
	return (0);
}

/* The newest sale first; within an order, as the order lists them. */
static int
page_seller_sale_cmp(const void *a, const void *b)
{
	const struct page_seller_sold	*sa = a, *sb = b;
	int				 c;

	if (sa->created != sb->created)
		return (sa->created > sb->created ? -1 : 1);
	if ((c = strcmp(sa->order, sb->order)) != 0)
		return (c);
	return (sa < sb ? -1 : sa > sb);
}

/* Render one sale as a row of the list. */
static void
page_seller_sale_row(const struct page_seller_sold *sold,
    struct tmpl_vars *v, struct html *rows)
{
	const struct conf_peer	*peer;
	char			 price[48], when[48];
	struct tm		 tm;
	time_t			 t = (time_t)sold->created;

	tmpl_vars_reset(v);
	tmpl_set(v, "order", sold->order);
	/* The order is kept where the buyer bought. */
	peer = conf_peer(&app->conf, sold->buyer);
	tmpl_setf(v, "order_url", "%s/orders/%s", peer != NULL ? peer->url :
	    "", sold->order);
	tmpl_set(v, "buyer", sold->buyer);
	tmpl_set(v, "product", sold->item.product);
	tmpl_set(v, "name", sold->item.name);
	tmpl_set(v, "size", size_names[sold->item.size]);
	tmpl_setf(v, "quantity", "%d", sold->item.quantity);
	render_price(price, sizeof price, sold->item.price_cents *
	    sold->item.quantity);
	tmpl_set(v, "line_total", price);
	gmtime_r(&t, &tm);
	/* TRANSLATORS: a date and time for strftime. */
	strftime(when, sizeof when, _("%d/%m/%Y às %H:%M UTC"), &tm);
	tmpl_set(v, "created", when);
	tmpl_render(app->tmpl[T_SALES_ROW], v, rows);
}

/*
 * GET /seller/sales: every item of ours that was sold, the newest first,
 * a page at a time.
 */
void
page_seller_sales(struct request *r)
{
	struct tmpl_vars		*v = tmpl_vars_new(), *rv;
	struct page_seller_sales	 ps;
	struct html			 body, rows, pager;
	size_t				 page, pages = 1, first = 0, last = 0;
	size_t				 i;
	int				 status;
	char				 price[48];

	memset(&ps, 0, sizeof ps);
	html_init(&body);
	html_init(&rows);
	html_init(&pager);
	if ((status = render_list_page(r, &page, v)) != 0)
		;
	else if (sales_each(page_seller_sale, &ps) == -1) {
		status = 500;
		tmpl_set(v, "error", _("As vendas não puderam ser lidas."));
	} else
		status = render_list_window(ps.n, SALES_PER_PAGE, page, &pages,
		    &first, &last, v, _("Esta página da lista não existe."));
	if (status == 0)
		status = 200;
	if (ps.n > 0)
		qsort(ps.s, ps.n, sizeof *ps.s, page_seller_sale_cmp);
	rv = tmpl_vars_new();
	for (i = first; i < last; i++)
		page_seller_sale_row(&ps.s[i], rv, &rows);
	tmpl_vars_free(rv);
	render_pager(r, "/seller/sales", page, pages,
	    _("Páginas das vendas"), &pager);
	tmpl_set(v, "empty", status == 200 && ps.n == 0 ? "1" : "");
	tmpl_setf(v, "count", "%zu", ps.n);
	tmpl_setf(v, "pieces", "%lld", ps.pieces);
	render_price(price, sizeof price, ps.total);
	tmpl_set(v, "total", price);
	tmpl_set_html(v, "rows", &rows);
	tmpl_set_html(v, "pager", &pager);
	tmpl_render(app->tmpl[T_SALES], v, &body);
	html_free(&rows);
	html_free(&pager);
	tmpl_vars_free(v);
	free(ps.s);
	render_page(r, status, _("Vendas"), &body);
}
