/*
 * The shop's actions.  The JSON API and the pages decode their inputs in
 * their own ways, then both call these, so each action has one code path:
 * the same checks, the same store call, the same failures.  The FastCGI
 * workers only read the store: every write is made by the marketplace's
 * peerd, which they ask over its control socket with the checked input,
 * and which checks it again, writes it, and pushes the change to the
 * other marketplaces.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "feira.h"
#include "log.h"
#include "valid.h"

/* How long a write may take peerd, checkouts aside. */
#define ACTION_WRITE_MS		5000

/*
 * How long a checkout may take peerd: its lock, its two-phase commit and
 * its retries are each bounded well within the three quarters of this by
 * which it must decide (peerd/peerd.h, peerlink_write_call).
 */
#define ACTION_CHECKOUT_MS	20000

/*
 * Read the product that peerd answered with into out.  Returns 0, or -1
 * with f.
 */
static int
action_product_answer(struct json_object *answer, struct product *out,
    struct fail *f)
{
	int	rc;

	if (answer == NULL)
		return (-1);
	rc = product_from_json(answer, out, f);
	json_object_put(answer);
	if (rc == -1)
		fail_set(f, 502, NULL, "the peer daemon's answer was not "
		    "understood");
	return (rc);
}

/* Register a product at this marketplace. */
int
action_product_create(struct product_input *in, struct product *out,
    struct fail *f)
{
	if (product_input_check(in, f) == -1)
		return (-1);
	if (action_product_answer(peerlink_write_call("POST",
	    "/local/products", product_input_to_json(in), NULL,
	    ACTION_WRITE_MS, f), out, f) == -1)
		return (-1);
	log_info("action: registered %s", out->id);
	return (0);
}

/* Change the stock and price of a product of this marketplace. */
int
action_product_update(const char *id, const struct product_patch *patch,
    struct product *out, struct fail *f)
{
	char	path[PRODUCT_ID_MAX + 32];

	if (!valid_product_id(id)) {
		fail_set(f, 404, NULL, "no such product");
		return (-1);
	}
	if (product_patch_check(patch, f) == -1)
		return (-1);
	snprintf(path, sizeof path, "/local/products/%s", id);
	if (action_product_answer(peerlink_write_call("PATCH", path,
	    product_patch_to_json(patch), NULL, ACTION_WRITE_MS, f), out,
	    f) == -1)
		return (-1);
	log_info("action: changed %s", out->id);
	return (0);
}

/*
 * Buy every line of an order, or none.  Under an Idempotency-Key, a try
 * after the first gets the first outcome, and *replayed is set.
 */
int
action_order_create(const struct order_input *in, struct order *out,
    struct fail *f, int *replayed)
{
	struct json_object	*answer, *v;
	const char		*headers[3] = { NULL, NULL, NULL };
	char			 key[IDEM_KEY_MAX + 32], digest[96], hex[65];
	int			 rc;

	*replayed = 0;
	if (order_input_check(in, f) == -1)
		return (-1);
	if (in->idem_key[0] != '\0') {
		snprintf(key, sizeof key, "X-Feira-Idempotency-Key: %s",
		    in->idem_key);
		auth_hex(in->idem_digest, sizeof in->idem_digest, hex);
		snprintf(digest, sizeof digest, "X-Feira-Digest: %s", hex);
		headers[0] = key;
		headers[1] = digest;
	}
	answer = peerlink_write_call("POST", "/local/orders",
	    order_input_to_json(in), headers, ACTION_CHECKOUT_MS, f);
	if (answer == NULL)
		return (-1);
	if (json_object_object_get_ex(answer, "replayed", &v))
		*replayed = json_object_get_boolean(v);
	rc = -1;
	if (!json_object_object_get_ex(answer, "id", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    !valid_order_id(json_object_get_string(v)))
		fail_set(f, 502, NULL, "the peer daemon's answer was not "
		    "understood");
	else if (store_order_get(app->store, json_object_get_string(v),
	    out) != STORE_OK)
		fail_set(f, 500, NULL, "the order %s cannot be read",
		    json_object_get_string(v));
	else
		rc = 0;
	json_object_put(answer);
	if (rc == 0)
		log_info("action: order %s%s for %lld cents", out->id,
		    *replayed ? " again, under its key" : "",
		    (long long)out->total_cents);
	return (rc);
}
