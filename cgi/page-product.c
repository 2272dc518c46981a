/* GET /products/{id}: one product with its price and stock per size. */

#include "config.h"

#include <stdio.h>

#include "feira.h"
#include "valid.h"

/* The product page, with the form that puts it in the cart. */
void
page_product(struct request *r)
{
	struct product		 p;
	struct tmpl_vars	*v;
	struct html		 body;
	int			 rc, i;
	char			 key[16];

	if (!valid_product_id(r->arg) ||
	    (rc = store_product_get(app->store, r->arg, &p)) ==
	    STORE_NOTFOUND) {
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
	for (i = 0; i < SIZE__MAX; i++) {
		snprintf(key, sizeof key, "has_%s", size_names[i]);
		tmpl_set(v, key, p.stock[i] > 0 ? "1" : "");
	}
	html_init(&body);
	tmpl_render(app->tmpl[T_PRODUCT], v, &body);
	tmpl_vars_free(v);
	render_page(r, 200, p.name, &body);
}
