/* /api/orders: buy a cart, look up an order. */

#include "config.h"

#include <stdlib.h>

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

	fail_clear(&f);
	if ((obj = jsonutil_parse(r->body, r->body_len, &f)) == NULL) {
		response_fail(r, &f);
		return;
	}
	in = xcalloc(1, sizeof *in);
	o = xcalloc(1, sizeof *o);
	if (order_input_from_json(obj, in, &f) == -1 ||
	    action_order_create(in, o, &f) == -1)
		response_fail(r, &f);
	else {
		response_header(r, "Location: /api/orders/%s", o->id);
		response_json(r, 201, order_to_json(o));
	}
	json_object_put(obj);
	free(in);
	free(o);
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
