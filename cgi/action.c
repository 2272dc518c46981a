/*
 * The shop's actions.  The JSON API and the pages decode their inputs in
 * their own ways, then both call these, so each action has one code path:
 * the same checks, the same store call, the same failures.  Each change
 * is then announced to peerd, which pushes it to the other marketplaces.
 */

#include "config.h"

#include "feira.h"
#include "log.h"
#include "valid.h"

/* Register a product at this marketplace. */
int
action_product_create(struct product_input *in, struct product *out,
    struct fail *f)
{
	if (product_input_check(in, f) == -1)
		return (-1);
	if (store_product_create(app->store, in, out, f) == -1)
		return (-1);
	log_info("action: registered %s", out->id);
	peerlink_notify();
	return (0);
}

/* Change the stock and price of a product of this marketplace. */
int
action_product_update(const char *id, const struct product_patch *patch,
    struct product *out, struct fail *f)
{
	if (!valid_product_id(id)) {
		fail_set(f, 404, NULL, "no such product");
		return (-1);
	}
	if (product_patch_check(patch, f) == -1)
		return (-1);
	if (store_product_update(app->store, id, patch, out, f) == -1)
		return (-1);
	log_info("action: changed %s", out->id);
	peerlink_notify();
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
	int	flags = 0, rc;

	*replayed = 0;
	if (order_input_check(in, f) == -1)
		return (-1);
	rc = store_order_create(app->store, in, out, f, &flags);
	*replayed = (flags & STORE_REPLAYED) != 0;
	if (rc == -1)
		return (-1);
	if (*replayed) {
		log_info("action: order %s again, under its key", out->id);
		return (0);
	}
	log_info("action: order %s for %lld cents", out->id,
	    (long long)out->total_cents);
	peerlink_notify();
	return (0);
}
