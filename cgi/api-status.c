/*
 * The marketplace's place in the network: GET /api/status as JSON, from
 * what peerd tells (the /network page reads it here too); and how
 * products of other marketplaces are shown.
 */

#include "config.h"

#include "feira.h"
#include "jsonutil.h"

/* Does the product's owner answer, as far as this marketplace knows? */
int
product_reachable(const struct product *p)
{
	return ((p->flags & PRODUCT_UNREACHABLE) == 0);
}

/* A product as the API shows it: its JSON and whether its owner answers. */
struct json_object *
api_product_json(const struct product *p)
{
	struct json_object	*obj = product_to_json(p);

	json_object_object_add(obj, "reachable",
	    json_object_new_boolean(product_reachable(p)));
	return (obj);
}

/*
 * Ask peerd for the status.  Returns it as a JSON object, which the
 * caller must put, or NULL when peerd does not answer.  A marketplace
 * without peers has no peerd and answers for itself.
 */
struct json_object *
api_status_get(void)
{
	struct json_object	*obj;
	struct buf		 b;
	struct fail		 f;
	long			 status;

	if (app->conf.npeers == 0) {
		obj = json_object_new_object();
		json_object_object_add(obj, "marketplace",
		    json_object_new_string(app->conf.name));
		json_object_object_add(obj, "clock", json_object_new_int(0));
		json_object_object_add(obj, "peers", json_object_new_array());
		return (obj);
	}
	buf_init(&b);
	fail_clear(&f);
	if (peerlink_call("GET", "/local/status", 1000, &b, &status) == -1 ||
	    status != 200 || (obj = jsonutil_parse(b.data, b.len, &f)) ==
	    NULL) {
		buf_free(&b);
		return (NULL);
	}
	buf_free(&b);
	return (obj);
}

/* GET /api/status: name, clock, and each peer with its counters. */
void
api_status(struct request *r)
{
	struct json_object	*obj;

	if ((obj = api_status_get()) == NULL) {
		response_error(r, 503, "the peer daemon does not answer",
		    NULL);
		return;
	}
	response_json(r, 200, obj);
}
