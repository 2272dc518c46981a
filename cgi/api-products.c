/* /api/products: look up, register and change products. */

#include "config.h"

#include "feira.h"
#include "jsonutil.h"
#include "valid.h"

/* GET /api/products/{id}: the product, or 404. */
void
api_product_get(struct request *r)
{
	struct product	p;
	int		rc;

	if (!valid_product_id(r->arg)) {
		response_error(r, 404, "no such product", NULL);
		return;
	}
	rc = store_product_get(app->store, r->arg, &p);
	if (rc == STORE_NOTFOUND)
		response_error(r, 404, "no such product", NULL);
	else if (rc != STORE_OK)
		response_error(r, 500, "the store failed", NULL);
	else
		response_json(r, 200, product_to_json(&p));
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
	response_json(r, 201, product_to_json(&p));
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
	response_json(r, 200, product_to_json(&p));
}
