/* GET /orders/{id}: one order, as the buyer sees it. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feira.h"
#include "valid.h"
#include "xmalloc.h"

/* Render the items of order o, a row each, into rows. */
static void
page_order_rows(const struct order *o, struct html *rows)
{
	struct tmpl_vars	*v;
	char			 price[48];
	uint32_t		 i;

	for (i = 0; i < o->nitems; i++) {
		v = tmpl_vars_new();
		tmpl_set(v, "product", o->items[i].product);
		tmpl_set(v, "marketplace", o->items[i].marketplace);
		tmpl_set(v, "name", o->items[i].name);
		tmpl_set(v, "size", size_names[o->items[i].size]);
		tmpl_setf(v, "quantity", "%d", o->items[i].quantity);
		render_price(price, sizeof price, o->items[i].price_cents);
		tmpl_set(v, "price", price);
		render_price(price, sizeof price, o->items[i].price_cents *
		    o->items[i].quantity);
		tmpl_set(v, "line_total", price);
		tmpl_render(app->tmpl[T_ORDER_ROW], v, rows);
		tmpl_vars_free(v);
	}
}

/*
 * The order page: what a checkout bought, item by item, from each
 * marketplace.
 */
void
page_order(struct request *r)
{
	struct order		*o;
	struct tmpl_vars	*v;
	struct html		 body, rows;
	char			 price[48], when[32];
	struct tm		 tm;
	time_t			 t;
	uint32_t		 i, j, markets = 0;
	int			 rc = STORE_NOTFOUND, pieces = 0;

	o = xcalloc(1, sizeof *o);
	if (valid_order_id(r->arg))
		rc = store_order_get(app->store, r->arg, o);
	if (rc != STORE_OK) {
		free(o);
		if (rc == STORE_NOTFOUND)
			render_message(r, 404, _("Pedido não encontrado"),
			    _("Não há pedido com este código."));
		else
			render_message(r, 500, _("Erro do servidor"),
			    _("O pedido não pôde ser lido."));
		return;
	}
	v = tmpl_vars_new();
	html_init(&rows);
	html_init(&body);
	page_order_rows(o, &rows);
	tmpl_set(v, "id", o->id);
	tmpl_set(v, "status", o->status);
	tmpl_set(v, "status_text", strcmp(o->status, "confirmed") == 0 ?
	    _("Compra confirmada.") : o->status);
	for (i = 0; i < o->nitems; i++) {
		pieces += o->items[i].quantity;
		for (j = 0; j < i; j++)
			if (strcmp(o->items[j].marketplace,
			    o->items[i].marketplace) == 0)
				break;
		markets += j == i;
	}
	tmpl_setf(v, "pieces", "%d", pieces);
	tmpl_setf(v, "markets", "%u", markets);
	render_price(price, sizeof price, o->total_cents);
	tmpl_set(v, "total", price);
	t = (time_t)o->created;
	gmtime_r(&t, &tm);
	/* TRANSLATORS: a date and time for strftime. */
	strftime(when, sizeof when, _("%d/%m/%Y às %H:%M UTC"), &tm);
	tmpl_set(v, "created", when);
	tmpl_set_html(v, "rows", &rows);
	tmpl_render(app->tmpl[T_ORDER], v, &body);
	html_free(&rows);
	tmpl_vars_free(v);
	free(o);
	render_page(r, 200, _("Pedido"), &body);
}
