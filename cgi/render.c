/* What every page shares: the layout, prices, messages and products. */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "feira.h"
#include "log.h"
#include "valid.h"

/*
 * The text color the navbar needs on background color "#rrggbb": white or
 * black, whichever stands out more (WCAG 2 contrast), so that any color
 * of the configuration keeps at least 4.5:1.  Sets *dark when the text is
 * light, for Bootstrap's navbar-dark.
 */
static const char *
render_nav_fg(const char *color, int *dark)
{
	double		 rgb[3], lum;
	unsigned int	 c, i;

	if (sscanf(color, "#%6x", &c) != 1)
		c = 0x1b5e20;
	for (i = 0; i < 3; i++) {
		rgb[i] = ((c >> (16 - 8 * i)) & 0xff) / 255.0;
		rgb[i] = rgb[i] <= 0.04045 ? rgb[i] / 12.92 :
		    pow((rgb[i] + 0.055) / 1.055, 2.4);
	}
	lum = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
	/* Contrast with white: 1.05 / (lum + 0.05); black: 20 (lum + 0.05). */
	*dark = 1.05 / (lum + 0.05) >= 20 * (lum + 0.05);
	return (*dark ? "#ffffff" : "#000000");
}

/* The navbar's links, and the path each one is the current page at. */
static const struct {
	const char	*key;
	const char	*path;
} render_nav[] = {
	{ "cur_gallery", "/" },
	{ "cur_network", "/network" },
	{ "cur_seller", "/seller" },
	{ "cur_sales", "/seller/sales" },
	{ "cur_cart", "/cart" },
	{ "cur_login", "/login" },
};

/*
 * Wrap body in the layout (navbar with the marketplace's name, color and
 * cart count) and answer with it.  body is freed.
 */
void
render_page(struct request *r, int status, const char *title,
    struct html *body)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 page;
	struct cart		 cart;
	size_t			 i;
	int			 dark;

	cart_read(r, &cart);
	tmpl_set(v, "lang", lang_tags[app->lang]);
	tmpl_set(v, "title", title);
	tmpl_set(v, "market_title", app->conf.title);
	tmpl_set(v, "market_name", app->conf.name);
	tmpl_set(v, "color", app->conf.color);
	tmpl_set(v, "nav_fg", render_nav_fg(app->conf.color, &dark));
	tmpl_set(v, "navbar", dark ? "navbar-dark" : "navbar-light");
	for (i = 0; i < sizeof render_nav / sizeof render_nav[0]; i++)
		if (strcmp(r->path, render_nav[i].path) == 0)
			tmpl_set(v, render_nav[i].key, "1");
	tmpl_setf(v, "cart_count", "%u", cart_count(&cart));
	tmpl_set(v, "seller", r->seller ? "1" : "");
	if (r->script != NULL)
		tmpl_set(v, "script", r->script);
	render_csrf(r, v);
	tmpl_set_html(v, "body", body);
	html_init(&page);
	tmpl_render(app->tmpl[T_LAYOUT], v, &page);
	response_html(r, status, &page);
	html_free(&page);
	html_free(body);
	tmpl_vars_free(v);
}

/* Answer with a page that shows one message. */
void
render_message(struct request *r, int status, const char *title,
    const char *message)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 body;

	tmpl_set(v, "title", title);
	tmpl_set(v, "message", message);
	tmpl_setf(v, "status", "%d", status);
	html_init(&body);
	tmpl_render(app->tmpl[T_ERROR], v, &body);
	tmpl_vars_free(v);
	render_page(r, status, title, &body);
}

/*
 * What to tell a shopper or seller about bad input, by the field to blame:
 * the actions speak the API's English, the pages the shopper's language.
 * The first entry whose field is a prefix of the failure's field wins.
 */
static const struct {
	const char	*field;
	const char	*text;
} render_field_texts[] = {
	{ "name", N_("O nome deve ter de 1 a 120 bytes, numa linha só.") },
	{ "team", N_("O time deve ter de 1 a 80 bytes, numa linha só.") },
	{ "description", N_("A descrição pode ter até 2000 bytes.") },
	{ "color", N_("As cores devem ser escritas como #rrggbb.") },
	{ "price", N_("Escreva o preço em reais, de 0,01 a 1.000.000,00, "
	    "como 199,90.") },
	{ "min_price", N_("Escreva os preços em reais, como 199,90.") },
	{ "max_price", N_("Escreva os preços em reais, como 199,90.") },
	{ "stock_delta", N_("A variação de estoque deve ser um número "
	    "inteiro.") },
	{ "delta_", N_("A variação de estoque deve ser um número inteiro.") },
	{ "stock", N_("O estoque de cada tamanho deve ser um número de 0 a "
	    "1.000.000.") },
	{ "size", N_("Os tamanhos são P, M, G, GG e XG.") },
	{ "q", N_("A busca pode ter até 200 bytes de texto.") },
	{ "in_stock", N_("O filtro de estoque é inválido.") },
	{ "sort", N_("Ordene por nome, preço ou time.") },
	{ "page", N_("O número da página deve ser de 1 em diante.") },
	{ "items", N_("O carrinho tem itens inválidos ou que não existem "
	    "mais.") },
};

/* Write what a page says about failure f into out, in its language. */
void
render_fail_text(const struct fail *f, char *out, size_t size)
{
	const char	*sz;
	size_t		 i;

	sz = f->size >= 0 && f->size < SIZE__MAX ? size_names[f->size] : "?";
	if (f->status == 409 && f->product[0] != '\0') {
		if (strcmp(f->field, "stock_delta") == 0)
			snprintf(out, size, _("O estoque de %s no tamanho %s "
			    "ficaria fora de 0 a 1.000.000; agora há %lld. "
			    "Nada foi alterado."), f->product, sz,
			    (long long)f->available);
		else
			snprintf(out, size, _("Não há estoque suficiente de %s "
			    "no tamanho %s: restam %lld. Nada foi comprado."),
			    f->product, sz, (long long)f->available);
		return;
	}
	if (f->status == 503 && f->marketplace[0] != '\0') {
		snprintf(out, size, _("O marketplace %s não responde agora; "
		    "nada foi comprado. Tente de novo em instantes."),
		    f->marketplace);
		return;
	}
	if (f->status == 400 && f->field[0] != '\0') {
		for (i = 0; i < sizeof render_field_texts /
		    sizeof render_field_texts[0]; i++) {
			if (strncmp(f->field, render_field_texts[i].field,
			    strlen(render_field_texts[i].field)) == 0) {
				snprintf(out, size, "%s",
				    _(render_field_texts[i].text));
				return;
			}
		}
	}
	switch (f->status) {
	case 401:
		snprintf(out, size, "%s", _("Usuário ou senha incorretos."));
		break;
	case 403:
		snprintf(out, size, "%s", _("Acesso negado."));
		break;
	case 404:
		snprintf(out, size, "%s",
		    _("Não encontramos o que você procura."));
		break;
	case 405:
		snprintf(out, size, "%s",
		    _("Este endereço não aceita este método."));
		break;
	case 413:
		snprintf(out, size, "%s", _("O pedido é grande demais."));
		break;
	default:
		if (f->status >= 500)
			snprintf(out, size, "%s", _("Erro do servidor; nada "
			    "foi alterado. Tente de novo mais tarde."));
		else
			snprintf(out, size, "%s", _("O pedido é inválido; "
			    "nada foi alterado."));
		break;
	}
}

/* The title of a page that shows failure f. */
const char *
render_fail_title(const struct fail *f)
{
	switch (f->status) {
	case 404:
		return (_("Página não encontrada"));
	case 405:
		return (_("Método não permitido"));
	case 409:
		return (_("Estoque insuficiente"));
	case 503:
		return (_("Marketplace fora do ar"));
	default:
		return (f->status >= 500 ? _("Erro do servidor") :
		    _("Pedido inválido"));
	}
}

/* Answer with a page that says why an action failed. */
void
render_fail(struct request *r, const struct fail *f)
{
	char	text[300];

	render_fail_text(f, text, sizeof text);
	render_message(r, f->status, render_fail_title(f), text);
}

/* Write cents as reais the way the page's language does, into out. */
void
render_price(char *out, size_t size, int64_t cents)
{
	lang_price(out, size, cents, app->lang);
}

/*
 * Read a price typed in reais: "199", "199,9", "199,90" or "199.90".
 * Returns 0 with the cents in *out, or -1.
 */
int
render_parse_price(const char *s, int64_t *out)
{
	int64_t		reais = 0, cents = 0;
	size_t		i = 0, frac = 0;

	if (!(s[0] >= '0' && s[0] <= '9'))
		return (-1);
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		reais = reais * 10 + (s[i] - '0');
		if (reais > PRICE_MAX / 100)
			return (-1);
	}
	if (s[i] == ',' || s[i] == '.') {
		for (i++; s[i] >= '0' && s[i] <= '9'; i++) {
			if (++frac > 2)
				return (-1);
			cents = cents * 10 + (s[i] - '0');
		}
		if (frac == 0)
			return (-1);
		if (frac == 1)
			cents *= 10;
	}
	if (s[i] != '\0')
		return (-1);
	*out = reais * 100 + cents;
	return (*out > PRICE_MAX ? -1 : 0);
}

/*
 * The colors a shirt's picture is described in: the name of the nearest
 * of a few, for its text alternative.
 */
static const struct {
	unsigned int	 rgb;
	const char	*name;
} render_colors[] = {
	{ 0xffffff, N_("branco") },
	{ 0x000000, N_("preto") },
	{ 0x808080, N_("cinza") },
	{ 0xc8102e, N_("vermelho") },
	{ 0x7b1e2e, N_("grená") },
	{ 0xf57c00, N_("laranja") },
	{ 0xffd600, N_("amarelo") },
	{ 0x1b8a3a, N_("verde") },
	{ 0x0d2f6b, N_("azul-marinho") },
	{ 0x1e63d6, N_("azul") },
	{ 0x7fc4f0, N_("azul-celeste") },
	{ 0x6a1b9a, N_("roxo") },
	{ 0xe91e8c, N_("rosa") },
	{ 0x6d4c41, N_("marrom") },
	{ 0xd8c8a8, N_("bege") },
};

/* The name of the listed color nearest to "#rrggbb", in the page's language. */
const char *
render_color_name(const char *color)
{
	unsigned int	c, i, best = 0;
	long		d, best_d = -1, dr, dg, db;

	if (sscanf(color, "#%6x", &c) != 1)
		return (_(render_colors[0].name));
	for (i = 0; i < sizeof render_colors / sizeof render_colors[0];
	    i++) {
		dr = (long)((c >> 16) & 0xff) -
		    (long)((render_colors[i].rgb >> 16) & 0xff);
		dg = (long)((c >> 8) & 0xff) -
		    (long)((render_colors[i].rgb >> 8) & 0xff);
		db = (long)(c & 0xff) - (long)(render_colors[i].rgb & 0xff);
		/* Weighted as the eye weighs red, green and blue. */
		d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
		if (best_d == -1 || d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return (_(render_colors[best].name));
}

/* Set the values every view of a product uses. */
void
render_product_vars(struct tmpl_vars *v, const struct product *p)
{
	struct buf	sizes;
	char		price[48], key[16];
	int		i, total = 0;

	render_price(price, sizeof price, p->price_cents);
	tmpl_set(v, "id", p->id);
	tmpl_set(v, "marketplace", p->marketplace);
	tmpl_set(v, "name", p->name);
	tmpl_set(v, "team", p->team);
	tmpl_set(v, "description", p->description);
	tmpl_set(v, "price", price);
	lang_decimal(price, sizeof price, p->price_cents, app->lang);
	tmpl_set(v, "price_reais", price);
	tmpl_set(v, "color0", p->colors[0]);
	tmpl_set(v, "color1", p->colors[1]);
	tmpl_set(v, "color0_name", render_color_name(p->colors[0]));
	tmpl_set(v, "color1_name", render_color_name(p->colors[1]));
	buf_init(&sizes);
	for (i = 0; i < SIZE__MAX; i++) {
		snprintf(key, sizeof key, "stock_%s", size_names[i]);
		tmpl_setf(v, key, "%d", p->stock[i]);
		snprintf(key, sizeof key, "has_%s", size_names[i]);
		tmpl_set(v, key, p->stock[i] > 0 ? "1" : "");
		if (p->stock[i] > 0)
			buf_addf(&sizes, "%s%s", sizes.len > 0 ? ", " : "",
			    size_names[i]);
		total += p->stock[i];
	}
	tmpl_set(v, "sizes", buf_str(&sizes));
	buf_free(&sizes);
	tmpl_setf(v, "stock_total", "%d", total);
	tmpl_set(v, "sold_out", total == 0 ? "1" : "");
	tmpl_set(v, "few_left", total > 0 && total <= 5 ? "1" : "");
	tmpl_set(v, "unreachable", product_reachable(p) ? "" : "1");
}

/*
 * Draw the picture of the product whose values v holds (see
 * render_product_vars) into h, with the CSS class cls, and set it as
 * "shirt".  h must live until v is rendered.
 */
void
render_shirt(struct tmpl_vars *v, const char *cls, struct html *h)
{
	tmpl_set(v, "shirt_class", cls);
	tmpl_render(app->tmpl[T_SHIRT], v, h);
	tmpl_set_html(v, "shirt", h);
}

/* Set "csrf", the token that this browser's forms carry. */
void
render_csrf(struct request *r, struct tmpl_vars *v)
{
	char	token[AUTH_TOKEN_LEN + 1];

	session_csrf_token(r, token);
	tmpl_set(v, "csrf", token);
}

/*
 * Write into href the path with the query of r, but for "page", and
 * page n, encoded.
 */
static void
render_pager_href(struct request *r, const char *path, size_t n,
    struct buf *href)
{
	unsigned int	i;

	buf_reset(href);
	buf_adds(href, path);
	buf_addc(href, '?');
	for (i = 0; i < r->query.n; i++) {
		if (strcmp(r->query.f[i].key, "page") == 0)
			continue;
		form_encode(href, r->query.f[i].key);
		buf_addc(href, '=');
		form_encode(href, r->query.f[i].value);
		buf_addc(href, '&');
	}
	buf_addf(href, "page=%zu", n);
}

/* Add one link of the pager: page n labelled text, or a gap. */
static void
render_pager_item(struct request *r, const char *path, size_t n,
    const char *text, const char *aria, const char *rel, int state,
    struct tmpl_vars *v, struct buf *href, struct html *items)
{
	tmpl_vars_reset(v);
	if (state == 'g')
		tmpl_set(v, "gap", "1");
	tmpl_set(v, "current", state == 'c' ? "1" : "");
	tmpl_set(v, "disabled", state == 'd' ? "1" : "");
	render_pager_href(r, path, n, href);
	tmpl_set(v, "href", buf_str(href));
	tmpl_set(v, "text", text);
	if (aria != NULL)
		tmpl_set(v, "aria", aria);
	if (rel != NULL)
		tmpl_set(v, "rel", rel);
	tmpl_render(app->tmpl[T_PAGER_ITEM], v, items);
}

/*
 * Render into out the links to the pages of a list that has pages pages
 * at path, page being shown: previous, the first, those around page, the
 * last, next.  Nothing when there is one page.  label names the list.
 */
void
render_pager(struct request *r, const char *path, size_t page,
    size_t pages, const char *label, struct html *out)
{
	struct tmpl_vars	*v, *iv;
	struct html		 items;
	struct buf		 href;
	size_t			 n;
	char			 text[32];

	if (pages <= 1)
		return;
	v = tmpl_vars_new();
	iv = tmpl_vars_new();
	html_init(&items);
	buf_init(&href);
	render_pager_item(r, path, page > 1 ? page - 1 : 1, _("Anterior"),
	    NULL, "prev", page > 1 ? 0 : 'd', iv, &href, &items);
	for (n = 1; n <= pages; n++) {
		if (n != 1 && n != pages && (n + 2 < page || n > page + 2)) {
			/* One gap for each run of pages left out. */
			if (n + 3 == page || n == page + 3)
				render_pager_item(r, path, n, "", NULL, NULL,
				    'g', iv, &href, &items);
			continue;
		}
		snprintf(text, sizeof text, "%zu", n);
		render_pager_item(r, path, n, text, NULL, NULL,
		    n == page ? 'c' : 0, iv, &href, &items);
	}
	render_pager_item(r, path, page < pages ? page + 1 : pages,
	    _("Próxima"), NULL, "next", page < pages ? 0 : 'd', iv, &href,
	    &items);
	tmpl_set(v, "label", label);
	tmpl_set_html(v, "items", &items);
	tmpl_render(app->tmpl[T_PAGER], v, out);
	buf_free(&href);
	html_free(&items);
	tmpl_vars_free(iv);
	tmpl_vars_free(v);
}

/*
 * Read the "page" parameter of the query into *page: from 1, 1 when
 * absent.  Returns 0, or 400 after setting "error" in v to say why.
 */
int
render_list_page(struct request *r, size_t *page, struct tmpl_vars *v)
{
	const char	*s = request_param(r, "page");
	struct fail	 f;
	int64_t		 n;
	char		 text[300];

	*page = 1;
	if (s == NULL || *s == '\0')
		return (0);
	if (!valid_int(s, 1, 1000000, &n)) {
		fail_clear(&f);
		fail_set(&f, 400, "page", "page must be a number from 1");
		render_fail_text(&f, text, sizeof text);
		tmpl_set(v, "error", text);
		return (400);
	}
	*page = (size_t)n;
	return (0);
}

/*
 * Split n items into pages of per for page: sets *pages, and *first and
 * *last, the items of page counted from 0 (last one past the end).
 * Returns 0, or 404 after setting "error" in v to past_end when page is
 * past the last.
 */
int
render_list_window(size_t n, size_t per, size_t page, size_t *pages,
    size_t *first, size_t *last, struct tmpl_vars *v, const char *past_end)
{
	*pages = n == 0 ? 1 : (n + per - 1) / per;
	*first = *last = 0;
	if (page > *pages) {
		tmpl_set(v, "error", past_end);
		return (404);
	}
	*first = (page - 1) * per;
	*last = *first + per < n ? *first + per : n;
	return (0);
}
