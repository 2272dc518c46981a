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

/* Render the cart, with a message when error is not NULL. */
static void
cart_render(struct request *r, int status, const struct cart *c,
    const char *error)
{
	struct tmpl_vars	*v = tmpl_vars_new(), *rv;
	struct html		 body, rows;
	struct product		 p;
	unsigned int		 i;
	int64_t			 total = 0;
	char			 price[48], key[33];

	html_init(&body);
	html_init(&rows);
	for (i = 0; i < c->n; i++) {
		rv = tmpl_vars_new();
		tmpl_set(rv, "product", c->l[i].product);
		tmpl_set(rv, "size", size_names[c->l[i].size]);
		tmpl_setf(rv, "quantity", "%d", c->l[i].quantity);
		render_csrf(r, rv);
		if (store_product_get(app->store, c->l[i].product, &p) ==
		    STORE_OK) {
			render_product_vars(rv, &p);
			render_price(price, sizeof price,
			    p.price_cents * c->l[i].quantity);
			tmpl_set(rv, "line_total", price);
			tmpl_setf(rv, "available", "%d",
			    p.stock[c->l[i].size]);
			total += p.price_cents * c->l[i].quantity;
		} else
			tmpl_set(rv, "missing", "1");
		tmpl_render(app->tmpl[T_CART_ROW], rv, &rows);
		tmpl_vars_free(rv);
	}
	render_price(price, sizeof price, total);
	tmpl_set(v, "total", price);
	tmpl_set(v, "empty", c->n == 0 ? "1" : "");
	if (error != NULL)
		tmpl_set(v, "error", error);
	render_csrf(r, v);
	auth_random_hex(key, sizeof key);
	tmpl_set(v, "key", key);
	tmpl_set_html(v, "rows", &rows);
	tmpl_render(app->tmpl[T_CART], v, &body);
	html_free(&rows);
	tmpl_vars_free(v);
	render_page(r, status, "Carrinho", &body);
}

/* GET /cart: what the cart holds, with its total. */
void
page_cart(struct request *r)
{
	struct cart	c;

	cart_read(r, &c);
	cart_render(r, 200, &c, NULL);
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
		render_message(r, 400, "Produto inválido",
		    "Escolha um produto da galeria.");
		return (-1);
	}
	if (size == NULL || (l->size = size_parse(size)) == -1) {
		render_message(r, 400, "Tamanho inválido",
		    "Os tamanhos são P, M, G, GG e XG.");
		return (-1);
	}
	if (qty == NULL || !valid_int(qty, min, QUANTITY_MAX, &q)) {
		render_message(r, 400, "Quantidade inválida",
		    "A quantidade deve ser um número de 1 a 1000.");
		return (-1);
	}
	snprintf(l->product, sizeof l->product, "%s", product);
	l->quantity = (int)q;
	return (0);
}

/* POST /cart: put a size and quantity of a product in the cart. */
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
		render_message(r, 400, "Formulário inválido",
		    "O formulário tem campos desconhecidos.");
		return;
	}
	if (cart_form_line(r, &f, 1, &l) == -1) {
		form_free(&f);
		return;
	}
	form_free(&f);
	if (store_product_get(app->store, l.product, &p) != STORE_OK) {
		render_message(r, 404, "Produto não encontrado",
		    "Não há produto com este código.");
		return;
	}
	cart_read(r, &c);
	if ((have = cart_find(&c, l.product, l.size)) != NULL) {
		have->quantity += l.quantity;
		if (have->quantity > QUANTITY_MAX)
			have->quantity = QUANTITY_MAX;
	} else if (c.n == ORDER_ITEMS_MAX) {
		render_message(r, 400, "Carrinho cheio", "O carrinho já tem "
		    "o máximo de itens.");
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
		render_message(r, 400, "Formulário inválido",
		    "O formulário tem campos desconhecidos.");
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

/* POST /checkout: buy the whole cart, then show the order. */
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
		render_message(r, 400, "Formulário inválido",
		    "O formulário tem campos desconhecidos ou inválidos.");
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
			cart_render(r, 400, &c, "O carrinho está vazio.");
		else {
			render_fail_text(&fl, text, sizeof text);
			cart_render(r, fl.status, &c, text);
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
