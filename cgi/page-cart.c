/*
 * The cart and the checkout.  The cart lives in a cookie of the browser,
 * "product:size:quantity" lines joined by '|'; it holds no prices, so the
 * checkout always charges what the store says at that moment.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feira.h"
#include "valid.h"
#include "xmalloc.h"

/* The cookie's size: ORDER_ITEMS_MAX lines of at most 60 bytes. */
#define CART_COOKIE_MAX	(ORDER_ITEMS_MAX * 64)

/* Find the line of product and size, or NULL. */
static struct cart_line *
cart_find(struct cart *c, const char *product, int size)
{
	unsigned int	i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->l[i].product, product) == 0 &&
		    c->l[i].size == size)
			return (&c->l[i]);
	return (NULL);
}

/* Read the cart from its cookie; lines that do not parse are dropped. */
void
cart_read(struct request *r, struct cart *c)
{
	char		 name[48], *value, *line, *next, *sz, *qty;
	struct cart_line *have;
	int64_t		 q;
	int		 size;

	memset(c, 0, sizeof *c);
	value = xmalloc(CART_COOKIE_MAX);
	snprintf(name, sizeof name, "feira_cart_%s", app->conf.name);
	if (cookie_get(r->cookies, name, value, CART_COOKIE_MAX) == -1) {
		free(value);
		return;
	}
	for (line = value; line != NULL && c->n < ORDER_ITEMS_MAX;
	    line = next) {
		if ((next = strchr(line, '|')) != NULL)
			*next++ = '\0';
		if ((sz = strchr(line, ':')) == NULL)
			continue;
		*sz++ = '\0';
		if ((qty = strchr(sz, ':')) == NULL)
			continue;
		*qty++ = '\0';
		if (!valid_product_id(line) || (size = size_parse(sz)) == -1 ||
		    !valid_int(qty, 1, QUANTITY_MAX, &q))
			continue;
		/* A line given twice (by hand) counts once, added up. */
		if ((have = cart_find(c, line, size)) != NULL) {
			have->quantity += (int)q;
			if (have->quantity > QUANTITY_MAX)
				have->quantity = QUANTITY_MAX;
			continue;
		}
		snprintf(c->l[c->n].product, sizeof c->l[c->n].product, "%s",
		    line);
		c->l[c->n].size = size;
		c->l[c->n].quantity = (int)q;
		c->n++;
	}
	free(value);
}

/* Store the cart in its cookie, or remove the cookie when it is empty. */
static void
cart_write(struct request *r, const struct cart *c)
{
	struct buf	b;
	unsigned int	i;

	buf_init(&b);
	for (i = 0; i < c->n; i++)
		buf_addf(&b, "%s%s:%s:%d", i > 0 ? "|" : "", c->l[i].product,
		    size_names[c->l[i].size], c->l[i].quantity);
	response_header(r, "Set-Cookie: feira_cart_%s=%s; Path=/; HttpOnly; "
	    "SameSite=Lax; Max-Age=%d", app->conf.name,
	    buf_str(&b), c->n > 0 ? 30 * 86400 : 0);
	buf_free(&b);
}

/* How many pieces the cart holds. */
unsigned int
cart_count(const struct cart *c)
{
	unsigned int	i, n = 0;

	for (i = 0; i < c->n; i++)
		n += (unsigned int)c->l[i].quantity;
	return (n);
}

/*
 * Find a product of the cart wherever it lives: in this marketplace's
 * store, or in the gallery, as its owner last announced it, marked when
 * the owner does not answer now.  Returns STORE_OK, STORE_NOTFOUND or
 * STORE_ERROR.
 */
static int
cart_product(const char *id, struct product *p)
{
	size_t	len = strlen(app->conf.name);
	int	rc;

	if (strncmp(id, app->conf.name, len) == 0 && id[len] == '-')
		return (store_product_get(app->store, id, p));
	if ((rc = store_remote_get(app->store, id, p)) != STORE_OK)
		return (rc);
	/* A marketplace that left the network sells nothing here. */
	if (conf_peer(&app->conf, p->marketplace) == NULL)
		return (STORE_NOTFOUND);
	if (!gallery_answering(p->marketplace))
		p->flags |= PRODUCT_UNREACHABLE;
	return (STORE_OK);
}

/*
 * What a checkout that failed with f did to line i of the cart, l, of
 * product p (NULL when not found): written into out.  Returns 1 when
 * the line is why it failed, 0 when it was merely not bought.
 */
static int
cart_outcome(const struct cart_line *l, unsigned int i,
    const struct product *p, const struct fail *f, char *out, size_t size)
{
	char	item[32];
	size_t	n;

	n = (size_t)snprintf(item, sizeof item, "items[%u]", i);
	if (f->status == 409 && strcmp(f->product, l->product) == 0 &&
	    f->size == l->size) {
		snprintf(out, size, _("Não comprado: só restam %lld."),
		    (long long)f->available);
		return (1);
	}
	if (f->status == 503 && p != NULL && f->marketplace[0] != '\0' &&
	    strcmp(p->marketplace, f->marketplace) == 0) {
		snprintf(out, size, _("Não comprado: %s não respondeu."),
		    f->marketplace);
		return (1);
	}
	if (f->status == 400 && strncmp(f->field, item, n) == 0 &&
	    (f->field[n] == '\0' || f->field[n] == '.')) {
		snprintf(out, size, "%s", _("Não comprado: indisponível."));
		return (1);
	}
	snprintf(out, size, "%s", _("Não comprado."));
	return (0);
}

/* Render line i of cart c into rows; adds to *total and to markets. */
static void
cart_row(struct request *r, const struct cart *c, unsigned int i,
    const struct fail *f, int64_t *total, struct buf *markets,
    unsigned int *nmarkets, struct html *rows)
{
	const struct cart_line	*l = &c->l[i];
	struct tmpl_vars	*v = tmpl_vars_new();
	struct product		 p;
	char			 price[48], outcome[160], key[24];
	int			 found;

	tmpl_set(v, "product", l->product);
	tmpl_set(v, "label", l->product);
	tmpl_set(v, "size", size_names[l->size]);
	tmpl_setf(v, "quantity", "%d", l->quantity);
	render_csrf(r, v);
	found = cart_product(l->product, &p) == STORE_OK;
	if (found) {
		render_product_vars(v, &p);
		tmpl_set(v, "label", p.name);
		render_price(price, sizeof price, p.price_cents * l->quantity);
		tmpl_set(v, "line_total", price);
		*total += p.price_cents * l->quantity;
		/* Each marketplace once, as "|name|" in markets. */
		snprintf(key, sizeof key, "|%s|", p.marketplace);
		if (strstr(buf_str(markets), key) == NULL) {
			buf_adds(markets, key + (markets->len > 0));
			(*nmarkets)++;
		}
	} else
		tmpl_set(v, "missing", "1");
	if (f != NULL) {
		tmpl_set(v, "checked", "1");
		if (cart_outcome(l, i, found ? &p : NULL, f, outcome,
		    sizeof outcome))
			tmpl_set(v, "short", "1");
		tmpl_set(v, "outcome", outcome);
	}
	tmpl_render(app->tmpl[T_CART_ROW], v, rows);
	tmpl_vars_free(v);
}

/*
 * Render the cart.  After a checkout that failed with f (not NULL), say
 * why, error, and what happened to each line.
 */
static void
cart_render(struct request *r, int status, const struct cart *c,
    const struct fail *f, const char *error)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 body, rows;
	struct buf		 markets;
	unsigned int		 i, nmarkets = 0;
	int64_t			 total = 0;
	char			 price[48], key[33];

	html_init(&body);
	html_init(&rows);
	buf_init(&markets);
	for (i = 0; i < c->n; i++)
		cart_row(r, c, i, f, &total, &markets, &nmarkets, &rows);
	buf_free(&markets);
	render_price(price, sizeof price, total);
	tmpl_set(v, "total", price);
	tmpl_set(v, "empty", c->n == 0 ? "1" : "");
	if (nmarkets > 1)
		tmpl_setf(v, "markets", "%u", nmarkets);
	if (error != NULL) {
		tmpl_set(v, "error_title", _("Nada foi comprado."));
		tmpl_set(v, "error", error);
	}
	if (f != NULL && c->n > 0)
		tmpl_set(v, "checked", "1");
	render_csrf(r, v);
	auth_random_hex(key, sizeof key);
	tmpl_set(v, "key", key);
	tmpl_set_html(v, "rows", &rows);
	tmpl_render(app->tmpl[T_CART], v, &body);
	html_free(&rows);
	tmpl_vars_free(v);
	render_page(r, status, _("Carrinho"), &body);
}

/* GET /cart: what the cart holds, with its total. */
void
page_cart(struct request *r)
{
	struct cart	c;

	cart_read(r, &c);
	cart_render(r, 200, &c, NULL, NULL);
}

/*
 * Read product, size and quantity (from min) from a cart form.  Returns
 * 0, or -1 after answering with 400.
 */
static int
cart_form_line(struct request *r, const struct form *f, int64_t min,
    struct cart_line *l)
{
	const char	*product = form_get(f, "product");
	const char	*size = form_get(f, "size");
	const char	*qty = form_get(f, "quantity");
	int64_t		 q;

	if (product == NULL || !valid_product_id(product)) {
		render_message(r, 400, _("Produto inválido"),
		    _("Escolha um produto da galeria."));
		return (-1);
	}
	if (size == NULL || (l->size = size_parse(size)) == -1) {
		render_message(r, 400, _("Tamanho inválido"),
		    _("Os tamanhos são P, M, G, GG e XG."));
		return (-1);
	}
	if (qty == NULL || !valid_int(qty, min, QUANTITY_MAX, &q)) {
		render_message(r, 400, _("Quantidade inválida"),
		    _("A quantidade deve ser um número de 1 a 1000."));
		return (-1);
	}
	snprintf(l->product, sizeof l->product, "%s", product);
	l->quantity = (int)q;
	return (0);
}

/*
 * POST /cart: put a size and quantity of a product in the cart, a product
 * of this marketplace or of any other of the network.
 */
void
page_cart_add(struct request *r)
{
	static const char *const	 fields[] = {
		"csrf", "product", "size", "quantity", NULL
	};
	struct form			 f;
	struct cart			 c;
	struct cart_line		 l, *have;
	struct product			 p;

	if (request_form(r, &f) == -1)
		return;
	if (form_unknown(&f, fields) != NULL) {
		form_free(&f);
		render_message(r, 400, _("Formulário inválido"),
		    _("O formulário tem campos desconhecidos."));
		return;
	}
	if (cart_form_line(r, &f, 1, &l) == -1) {
		form_free(&f);
		return;
	}
	form_free(&f);
	if (cart_product(l.product, &p) != STORE_OK) {
		render_message(r, 404, _("Produto não encontrado"),
		    _("Não há produto com este código."));
		return;
	}
	cart_read(r, &c);
	if ((have = cart_find(&c, l.product, l.size)) != NULL) {
		have->quantity += l.quantity;
		if (have->quantity > QUANTITY_MAX)
			have->quantity = QUANTITY_MAX;
	} else if (c.n == ORDER_ITEMS_MAX) {
		render_message(r, 400, _("Carrinho cheio"), _("O carrinho já "
		    "tem o máximo de itens."));
		return;
	} else
		c.l[c.n++] = l;
	cart_write(r, &c);
	response_redirect(r, "/cart");
}

/* POST /cart/update: change a line's quantity; 0 removes the line. */
void
page_cart_update(struct request *r)
{
	static const char *const	 fields[] = {
		"csrf", "product", "size", "quantity", NULL
	};
	struct form			 f;
	struct cart			 c;
	struct cart_line		 l, *have;

	if (request_form(r, &f) == -1)
		return;
	if (form_unknown(&f, fields) != NULL) {
		form_free(&f);
		render_message(r, 400, _("Formulário inválido"),
		    _("O formulário tem campos desconhecidos."));
		return;
	}
	if (cart_form_line(r, &f, 0, &l) == -1) {
		form_free(&f);
		return;
	}
	form_free(&f);
	cart_read(r, &c);
	if ((have = cart_find(&c, l.product, l.size)) != NULL) {
		if (l.quantity > 0)
			have->quantity = l.quantity;
		else {
			*have = c.l[c.n - 1];
			c.n--;
		}
	}
	cart_write(r, &c);
	response_redirect(r, "/cart");
}

/*
 * POST /checkout: buy the whole cart, from every marketplace of it at
 * once, then show the order; or show the cart again with what happened
 * to each line.
 */
void
page_checkout(struct request *r)
{
	static const char *const	 fields[] = { "csrf", "key", NULL };
	struct form			 f;
	struct cart			 c;
	struct order_input		*in;
	struct order			*o;
	struct fail			 fl;
	struct buf			 lines;
	unsigned int			 i;
	const char			*key;
	char				 where[128], text[300];
	int				 replayed;

	if (request_form(r, &f) == -1)
		return;
	key = form_get(&f, "key");
	if (form_unknown(&f, fields) != NULL ||
	    (key != NULL && !valid_idem_key(key))) {
		form_free(&f);
		render_message(r, 400, _("Formulário inválido"),
		    _("O formulário tem campos desconhecidos ou inválidos."));
		return;
	}
	cart_read(r, &c);
	in = xcalloc(1, sizeof *in);
	/* The cart's key and its lines make a double click one purchase. */
	if (key != NULL) {
		snprintf(in->idem_key, sizeof in->idem_key, "%s", key);
		buf_init(&lines);
		for (i = 0; i < c.n; i++)
			buf_addf(&lines, "%s:%d:%d|", c.l[i].product,
			    c.l[i].size, c.l[i].quantity);
		auth_digest(buf_str(&lines), lines.len,
		    in->idem_digest);
		buf_free(&lines);
	}
	form_free(&f);
	o = xcalloc(1, sizeof *o);
	for (i = 0; i < c.n; i++) {
		snprintf(in->lines[i].product, sizeof in->lines[i].product,
		    "%s", c.l[i].product);
		in->lines[i].size = c.l[i].size;
		in->lines[i].quantity = c.l[i].quantity;
	}
	in->nlines = c.n;
	fail_clear(&fl);
	if (action_order_create(in, o, &fl, &replayed) == -1) {
		if (c.n == 0)
			cart_render(r, 400, &c, NULL,
			    _("O carrinho está vazio."));
		else {
			render_fail_text(&fl, text, sizeof text);
			cart_render(r, fl.status, &c, &fl, text);
		}
	} else {
		c.n = 0;
		cart_write(r, &c);
		snprintf(where, sizeof where, "/orders/%s", o->id);
		response_redirect(r, where);
	}
	free(in);
	free(o);
}
