/* GET /products/{id}: one product with its price and stock per size. */

#include "config.h"

#include <string.h>

#include "feira.h"

/*
 * The product page, with the form that puts it in the cart: a product of
 * any marketplace of the network, since a checkout buys from all of them
 * at once.
 */
void
page_product(struct request *r)
{
	struct product		 p;
	struct tmpl_vars	*v;
	struct html		 body, shirt;
	int			 rc;

	if ((rc = product_find(r->arg, &p)) == STORE_NOTFOUND) {
		render_message(r, 404, _("Produto não encontrado"),
		    _("Não há produto com este código."));
		return;
	}
	if (rc != STORE_OK) {
		render_message(r, 500, _("Erro do servidor"),
		    _("O produto não pôde ser lido."));
		return;
	}
	v = tmpl_vars_new();
	render_product_vars(v, &p);
	render_csrf(r, v);
	if (strcmp(p.marketplace, app->conf.name) != 0)
		tmpl_set(v, "remote", "1");
	html_init(&shirt);
	render_shirt(v, "w-100 border rounded", &shirt);
	html_init(&body);
	tmpl_render(app->tmpl[T_PRODUCT], v, &body);
	html_free(&shirt);
	tmpl_vars_free(v);
	render_page(r, 200, p.name, &body);
}
