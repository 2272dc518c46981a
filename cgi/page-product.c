/* GET /products/{id}: one product with its price and stock per size. */

#include "config.h"

#include <stdio.h>

#include "feira.h"

/* The product page, with the form that puts it in the cart. */
void
page_product(struct request *r)
{
	struct product		 p;
	struct tmpl_vars	*v;
	struct html		 body;
	const struct conf_peer	*peer;
	int			 rc, i;
	char			 key[16];

	if ((rc = product_find(r->arg, &p)) == STORE_NOTFOUND) {
		render_message(r, 404, "Produto não encontrado",
		    "Não há produto com este código.");
		return;
	}
	if (rc != STORE_OK) {
		render_message(r, 500, "Erro do servidor",
		    "O produto não pôde ser lido.");
		return;
	}
	v = tmpl_vars_new();
	render_product_vars(v, &p);
	render_csrf(r, v);
	if ((peer = conf_peer(&app->conf, p.marketplace)) != NULL) {
		/* Another marketplace's shirt is bought there, for now. */
		tmpl_set(v, "remote", "1");
		tmpl_set(v, "owner_url", peer->url);
	}
	for (i = 0; i < SIZE__MAX; i++) {
		snprintf(key, sizeof key, "has_%s", size_names[i]);
		tmpl_set(v, key, p.stock[i] > 0 ? "1" : "");
	}
	html_init(&body);
	tmpl_render(app->tmpl[T_PRODUCT], v, &body);
	tmpl_vars_free(v);
	render_page(r, 200, p.name, &body);
}
