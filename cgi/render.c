/* What every page shares: the layout, prices, messages and products. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "feira.h"
#include "log.h"

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

	cart_read(r, &cart);
	tmpl_set(v, "title", title);
	tmpl_set(v, "market_title", app->conf.title);
	tmpl_set(v, "market_name", app->conf.name);
	tmpl_set(v, "color", app->conf.color);
	tmpl_setf(v, "cart_count", "%u", cart_count(&cart));
	tmpl_set(v, "seller", r->seller ? "1" : "");
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
 * the actions speak the API's English, the pages speak Portuguese.  The
 * first entry whose field is a prefix of the failure's field wins.
 */
static const struct {
	const char	*field;
	const char	*text;
} render_field_texts[] = {
	{ "name", "O nome deve ter de 1 a 120 bytes, numa linha só." },
	{ "team", "O time deve ter de 1 a 80 bytes, numa linha só." },
	{ "description", "A descrição pode ter até 2000 bytes." },
	{ "color", "As cores devem ser escritas como #rrggbb." },
	{ "price", "Escreva o preço em reais, de 0,01 a 1.000.000,00, "
	    "como 199,90." },
	{ "min_price", "Escreva os preços em reais, como 199,90." },
	{ "max_price", "Escreva os preços em reais, como 199,90." },
	{ "stock_delta", "A variação de estoque deve ser um número inteiro." },
	{ "delta_", "A variação de estoque deve ser um número inteiro." },
	{ "stock", "O estoque de cada tamanho deve ser um número de 0 a "
	    "1.000.000." },
	{ "size", "Os tamanhos são P, M, G, GG e XG." },
	{ "q", "A busca pode ter até 200 bytes de texto." },
	{ "in_stock", "O filtro de estoque é inválido." },
	{ "items", "O carrinho tem itens inválidos ou que não existem "
	    "mais." },
};

/* Write what a page says about failure f into out, in Portuguese. */
void
render_fail_text(const struct fail *f, char *out, size_t size)
{
	const char	*sz;
	size_t		 i;

	sz = f->size >= 0 && f->size < SIZE__MAX ? size_names[f->size] : "?";
	if (f->status == 409 && f->product[0] != '\0') {
		if (strcmp(f->field, "stock_delta") == 0)
			snprintf(out, size, "O estoque de %s no tamanho %s "
			    "ficaria fora de 0 a 1.000.000; agora há %lld. "
			    "Nada foi alterado.", f->product, sz,
			    (long long)f->available);
		else
			snprintf(out, size, "Não há estoque suficiente de %s "
			    "no tamanho %s: restam %lld. Nada foi comprado.",
			    f->product, sz, (long long)f->available);
		return;
	}
	if (f->status == 400 && f->field[0] != '\0') {
		for (i = 0; i < sizeof render_field_texts /
		    sizeof render_field_texts[0]; i++) {
			if (strncmp(f->field, render_field_texts[i].field,
			    strlen(render_field_texts[i].field)) == 0) {
				snprintf(out, size, "%s",
				    render_field_texts[i].text);
				return;
			}
		}
	}
	switch (f->status) {
	case 401:
		snprintf(out, size, "Usuário ou senha incorretos.");
		break;
	case 403:
		snprintf(out, size, "Acesso negado.");
		break;
	case 404:
		snprintf(out, size, "Não encontramos o que você procura.");
		break;
	case 405:
		snprintf(out, size, "Este endereço não aceita este método.");
		break;
	case 413:
		snprintf(out, size, "O pedido é grande demais.");
		break;
	default:
		if (f->status >= 500)
			snprintf(out, size, "Erro do servidor; nada foi "
			    "alterado. Tente de novo mais tarde.");
		else
			snprintf(out, size, "O pedido é inválido; nada foi "
			    "alterado.");
		break;
	}
}

/* Answer with a page that says why an action failed. */
void
render_fail(struct request *r, const struct fail *f)
{
	const char	*title;
	char		 text[300];

	switch (f->status) {
	case 404:
		title = "Página não encontrada";
		break;
	case 405:
		title = "Método não permitido";
		break;
	case 409:
		title = "Estoque insuficiente";
		break;
	default:
		title = f->status >= 500 ? "Erro do servidor" :
		    "Pedido inválido";
		break;
	}
	render_fail_text(f, text, sizeof text);
	render_message(r, f->status, title, text);
}

/* Write cents as reais the Brazilian way, "R$ 1.234,56", into out. */
void
render_price(char *out, size_t size, int64_t cents)
{
	char		digits[32], grouped[48];
	size_t		n, i, o = 0;
	long long	reais = (long long)(cents / 100);

	snprintf(digits, sizeof digits, "%lld", reais);
	n = strlen(digits);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			grouped[o++] = '.';
		grouped[o++] = digits[i];
	}
	grouped[o] = '\0';
	snprintf(out, size, "R$ %s,%02lld", grouped,
	    (long long)(cents % 100));
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

/* Set the values every view of a product uses. */
void
render_product_vars(struct tmpl_vars *v, const struct product *p)
{
	char	price[48];
	int	i, total = 0;

	render_price(price, sizeof price, p->price_cents);
	tmpl_set(v, "id", p->id);
	tmpl_set(v, "marketplace", p->marketplace);
	tmpl_set(v, "name", p->name);
	tmpl_set(v, "team", p->team);
	tmpl_set(v, "description", p->description);
	tmpl_set(v, "price", price);
	tmpl_setf(v, "price_reais", "%lld,%02lld",
	    (long long)(p->price_cents / 100),
	    (long long)(p->price_cents % 100));
	tmpl_set(v, "color0", p->colors[0]);
	tmpl_set(v, "color1", p->colors[1]);
	for (i = 0; i < SIZE__MAX; i++) {
		char	key[16];

		snprintf(key, sizeof key, "stock_%s", size_names[i]);
		tmpl_setf(v, key, "%d", p->stock[i]);
		total += p->stock[i];
	}
	tmpl_setf(v, "stock_total", "%d", total);
	tmpl_set(v, "sold_out", total == 0 ? "1" : "");
	tmpl_set(v, "few_left", total > 0 && total <= 5 ? "1" : "");
	tmpl_set(v, "unreachable", product_reachable(p) ? "" : "1");
}

/* Set "csrf", the token that this browser's forms carry. */
void
render_csrf(struct request *r, struct tmpl_vars *v)
{
	char	token[AUTH_TOKEN_LEN + 1];

	session_csrf_token(r, token);
	tmpl_set(v, "csrf", token);
}
