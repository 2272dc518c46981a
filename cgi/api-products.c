/* /api/products: look up, register and change products. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "feira.h"
#include "jsonutil.h"
#include "valid.h"

/*
 * Find product id wherever it lives: in this marketplace's store, or for
 * another marketplace's product, as its owner has it now (through peerd)
 * or, when the owner does not answer, as last announced and marked so.
 * Returns STORE_OK, STORE_NOTFOUND or STORE_ERROR.
 */
int
product_find(const char *id, struct product *p)
{
	struct buf		 b;
	struct fail		 f;
	struct json_object	*obj;
	char			 path[128];
	long			 status;
	int			 rc;
	size_t			 len = strlen(app->conf.name);

	if (!valid_product_id(id))
		return (STORE_NOTFOUND);
	if (strncmp(id, app->conf.name, len) == 0 && id[len] == '-')
		return (store_product_get(app->store, id, p));
	if ((rc = store_remote_get(app->store, id, p)) != STORE_OK ||
	    conf_peer(&app->conf, p->marketplace) == NULL)
		return (rc == STORE_ERROR ? rc : STORE_NOTFOUND);

	/* Ask the owner for the stock of now. */
	buf_init(&b);
	fail_clear(&f);
	snprintf(path, sizeof path, "/local/products/%s", id);
	if (peerlink_call("GET", path, 800, &b, &status) == 0 &&
	    status == 200 &&
	    (obj = jsonutil_parse(b.data, b.len, &f)) != NULL) {
		struct product	fresh;

		if (product_from_json(obj, &fresh, &f) == 0 &&
		    strcmp(fresh.id, id) == 0)
			*p = fresh;
		json_object_put(obj);
	} else if (status == 404)
		rc = STORE_NOTFOUND;
	else
		p->flags |= PRODUCT_UNREACHABLE;
	buf_free(&b);
	return (rc);
}

/* GET /api/products/{id}: the product, or 404. */
void
api_product_get(struct request *r)
{
	struct product	p;
	int		rc;

	rc = product_find(r->arg, &p);
	if (rc == STORE_NOTFOUND)
		response_error(r, 404, "no such product", NULL);
	else if (rc != STORE_OK)
		response_error(r, 500, "the store failed", NULL);
	else
		response_json(r, 200, api_product_json(&p));
}

/* POST /api/products: register a product; 201 with it. */
void
api_product_create(struct request *r)
{
	struct product_input	 in;
	struct product		 p;
	struct fail		 f;
	struct json_object	*obj;

	fail_clear(&f);
	if ((obj = jsonutil_parse(r->body, r->body_len, &f)) == NULL) {
		response_fail(r, &f);
		return;
	}
	if (product_input_from_json(obj, &in, &f) == -1 ||
	    action_product_create(&in, &p, &f) == -1) {
		json_object_put(obj);
		response_fail(r, &f);
		return;
	}
	json_object_put(obj);
	response_header(r, "Location: /api/products/%s", p.id);
	response_json(r, 201, api_product_json(&p));
}

/* PATCH /api/products/{id}: change stock by deltas and the price. */
void
api_product_patch(struct request *r)
{
	struct product_patch	 patch;
	struct product		 p;
	struct fail		 f;
	struct json_object	*obj;

	fail_clear(&f);
	if (!valid_product_id(r->arg)) {
		response_error(r, 404, "no such product", NULL);
		return;
	}
	if ((obj = jsonutil_parse(r->body, r->body_len, &f)) == NULL) {
		response_fail(r, &f);
		return;
	}
	if (product_patch_from_json(obj, &patch, &f) == -1 ||
	    action_product_update(r->arg, &patch, &p, &f) == -1) {
		json_object_put(obj);
		response_fail(r, &f);
		return;
	}
	json_object_put(obj);
	response_json(r, 200, api_product_json(&p));
}
