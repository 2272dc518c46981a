/* /api/orders: buy a cart, look up an order. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feira.h"
#include "jsonutil.h"
#include "valid.h"
#include "xmalloc.h"

/* POST /api/orders: buy every item or none; 201 with the order. */
void
api_order_create(struct request *r)
{
	struct order_input	*in;
	struct order		*o;
	struct fail		 f;
	struct json_object	*obj;
	const char		*key;
	int			 replayed;

	fail_clear(&f);
	key = FCGX_GetParam("HTTP_IDEMPOTENCY_KEY", r->fcgi->envp);
	if (key != NULL && !valid_idem_key(key)) {
		response_error(r, 400, "Idempotency-Key must be 1 to 100 "
		    "letters, digits, '.', '_', ':' or '-'", "Idempotency-Key");
		return;
	}
	if ((obj = jsonutil_parse(r->body, r->body_len, &f)) == NULL) {
		response_fail(r, &f);
		return;
	}
	in = xcalloc(1, sizeof *in);
	o = xcalloc(1, sizeof *o);
	if (order_input_from_json(obj, in, &f) == 0 && key != NULL) {
		snprintf(in->idem_key, sizeof in->idem_key, "%s", key);
		auth_digest(r->body, r->body_len, in->idem_digest);
	}
	if (f.status != 0 || action_order_create(in, o, &f, &replayed) == -1)
		response_fail(r, &f);
	else {
		response_header(r, "Location: /api/orders/%s", o->id);
		response_json(r, 201, order_to_json(o));
	}
	json_object_put(obj);
	free(in);
	free(o);
}

struct sales_walk {
	sales_cb	 cb;
	void		*arg;
};

/* Pass each item of a committed reservation on. */
static int
sales_reservation(const struct reservation *r, void *arg)
{
	struct sales_walk	*w = arg;
	uint32_t		 i;

	for (i = 0; i < r->nitems; i++)
		if (w->cb(r, &r->items[i], w->arg) != 0)
			return (1);
	return (0);
}

/*
 * Call cb for every item of this marketplace's products that was sold,
 * whichever marketplace the buyer bought at: the committed reservations,
 * the oldest first, through their index.  Returns 0, or -1 if the store
 * failed.
 */
int
sales_each(sales_cb cb, void *arg)
{
	struct sales_walk	w = { cb, arg };

	return (store_sold_each(app->store, sales_reservation, &w));
}

/* Add one item sold to the JSON list arg. */
static int
api_sales_add(const struct reservation *r, const struct order_item *it,
    void *arg)
{
	struct json_object	*item = order_item_to_json(it);

	json_object_object_add(item, "order", json_object_new_string(r->txid));
	json_object_object_add(item, "buyer_marketplace",
	    json_object_new_string(r->coordinator));
	json_object_object_add(item, "created",
	    json_object_new_int64(r->created));
	json_object_array_add(arg, item);
	return (0);
}

/* GET /api/sales (seller): every item of this marketplace's sold. */
void
api_sales(struct request *r)
{
	struct json_object	*obj, *list = json_object_new_array();

	if (sales_each(api_sales_add, list) == -1) {
		json_object_put(list);
		response_error(r, 500, "the store failed", NULL);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "sales", list);
	response_json(r, 200, obj);
}

/* GET /api/orders/{id}: the order, or 404. */
void
api_order_get(struct request *r)
{
	struct order	*o;
	int		 rc;

	if (!valid_order_id(r->arg)) {
		response_error(r, 404, "no such order", NULL);
		return;
	}
	o = xcalloc(1, sizeof *o);
	rc = store_order_get(app->store, r->arg, o);
	if (rc == STORE_NOTFOUND)
		response_error(r, 404, "no such order", NULL);
	else if (rc != STORE_OK)
		response_error(r, 500, "the store failed", NULL);
	else
		response_json(r, 200, order_to_json(o));
	free(o);
}
