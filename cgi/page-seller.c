/*
 * The seller's pages: their products with forms to change stock and price,
 * the form that registers a product, and the list of sales.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "feira.h"
#include "valid.h"

static const char *const page_seller_create_fields[] = {
	"csrf", "name", "team", "description", "price", "color0", "color1",
	"stock_P", "stock_M", "stock_G", "stock_GG", "stock_XG", NULL
};

static const char *const page_seller_update_fields[] = {
	"csrf", "price", "delta_P", "delta_M", "delta_G", "delta_GG",
	"delta_XG", NULL
};

/* Add the row of one of our products to the list. */
static int
page_seller_row(const struct product *p, void *arg)
{
	struct request		*r = ((void **)arg)[0];
	struct html		*rows = ((void **)arg)[1];
	struct tmpl_vars	*v;

	if (strcmp(p->marketplace, app->conf.name) != 0)
		return (0);
	v = tmpl_vars_new();
	render_product_vars(v, p);
	render_csrf(r, v);
	tmpl_render(app->tmpl[T_SELLER_ROW], v, rows);
	tmpl_vars_free(v);
	return (0);
}

/* GET /seller: the seller's products. */
void
page_seller(struct request *r)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 body, rows;
	void			*arg[2];

	html_init(&body);
	html_init(&rows);
	arg[0] = r;
	arg[1] = &rows;
	if (store_products_each(app->store, page_seller_row, arg) == -1)
		tmpl_set(v, "error", "Os produtos não puderam ser lidos.");
	tmpl_set(v, "empty", rows.b.len == 0 ? "1" : "");
	tmpl_set_html(v, "rows", &rows);
	tmpl_render(app->tmpl[T_SELLER], v, &body);
	html_free(&rows);
	tmpl_vars_free(v);
	render_page(r, 200, "Vendedor", &body);
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
	char			 text[300];

	html_init(&body);
	tmpl_set(v, "color0", "#ffffff");
	tmpl_set(v, "color1", "#1b5e20");
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
	render_page(r, status, "Novo produto", &body);
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
		fail_set(fl, 400, "price", "Escreva o preço em reais, como "
		    "199,90.");
		return (-1);
	}
	for (i = 0; i < SIZE__MAX; i++) {
		snprintf(key, sizeof key, "stock_%s", size_names[i]);
		if ((s = form_get(f, key)) == NULL || *s == '\0')
			continue;
		if (!valid_int(s, 0, STOCK_MAX, &in->stock[i])) {
			fail_set(fl, 400, key, "O estoque de %s deve ser um "
			    "número de 0 a %d.", size_names[i], STOCK_MAX);
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
		fail_set(&fl, 400, NULL, "O formulário tem campos "
		    "desconhecidos.");
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
			fail_set(fl, 400, "price", "Escreva o preço em reais, "
			    "como 199,90.");
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
			fail_set(fl, 400, key, "A variação de estoque de %s "
			    "deve ser um número inteiro.", size_names[i]);
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
		fail_set(&fl, 400, NULL, "O formulário tem campos "
		    "desconhecidos.");
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

/* Add the row of one item sold to the list of sales. */
static int
page_seller_sale(const struct reservation *r, const struct order_item *it,
    void *arg)
{
	const struct conf_peer	*peer;
	struct html		*rows = arg;
	struct tmpl_vars	*v;
	char			 price[48];

	v = tmpl_vars_new();
	tmpl_set(v, "order", r->txid);
	/* The order is kept where the buyer bought. */
	peer = conf_peer(&app->conf, r->coordinator);
	tmpl_setf(v, "order_url", "%s/orders/%s", peer != NULL ? peer->url :
	    "", r->txid);
	tmpl_set(v, "buyer", r->coordinator);
	tmpl_set(v, "product", it->product);
	tmpl_set(v, "name", it->name);
	tmpl_set(v, "size", size_names[it->size]);
	tmpl_setf(v, "quantity", "%d", it->quantity);
	render_price(price, sizeof price, it->price_cents * it->quantity);
	tmpl_set(v, "line_total", price);
	tmpl_render(app->tmpl[T_SALES_ROW], v, rows);
	tmpl_vars_free(v);
	return (0);
}

/* GET /seller/sales: every item of ours that was sold. */
void
page_seller_sales(struct request *r)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 body, rows;

	html_init(&body);
	html_init(&rows);
	if (sales_each(page_seller_sale, &rows) == -1)
		tmpl_set(v, "error", "As vendas não puderam ser lidas.");
	tmpl_set(v, "empty", rows.b.len == 0 ? "1" : "");
	tmpl_set_html(v, "rows", &rows);
	tmpl_render(app->tmpl[T_SALES], v, &body);
	html_free(&rows);
	tmpl_vars_free(v);
	render_page(r, 200, "Vendas", &body);
}
