/*
 * The writes of the marketplace's own store, which peerd alone makes: its
 * FastCGI workers read the store and ask for these over the control
 * socket (ctl.sock) with inputs they have checked.  Each input is read
 * and checked here again, by the same functions, for the control socket
 * is a way in like any other.  Every answer is JSON: the product or order
 * written, or the failure in the API's form.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth.h"
#include "jsonutil.h"
#include "log.h"
#include "peerd.h"
#include "product.h"
#include "valid.h"
#include "xmalloc.h"

/* Write the JSON of obj, which this puts, into out. */
static void
local_json(struct buf *out, struct json_object *obj)
{
	buf_adds(out, json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}

/* Answer with obj, which this puts, in out; return status. */
int
local_answer(struct buf *out, struct json_object *obj, int status)
{
	local_json(out, obj);
	return (status);
}

/*
 * Write failure f into out, and return its status.  A failure without a
 * status is a mistake of ours, answered as one.
 */
int
local_fail(struct buf *out, const struct fail *f)
{
	struct fail	bug;

	if (f->status == 0) {
		log_warnx("local: a failure without a status: %s", f->error);
		fail_clear(&bug);
		fail_set(&bug, 500, NULL, "the peer daemon failed");
		f = &bug;
	}
	if (f->status >= 500)
		log_warnx("local: %d %s", f->status, f->error);
	local_json(out, jsonutil_fail(f));
	return (f->status);
}

/*
 * Read the deadline of a write of the FastCGI program, s from its
 * X-Feira-Deadline header (milliseconds of CLOCK_MONOTONIC, which every
 * process of the machine shares; NULL when it sent none, then 0), into
 * *out.  Returns 0, or -1 with f.
 */
int
local_deadline(const char *s, int64_t *out, struct fail *f)
{
	*out = 0;
	if (s == NULL)
		return (0);
	if (!valid_int(s, 1, INT64_MAX, out)) {
		fail_set(f, 400, NULL, "X-Feira-Deadline is a number of "
		    "milliseconds");
		return (-1);
	}
	return (0);
}

/*
 * Has deadline (0: none) passed?  Then the FastCGI program has given up
 * on the write and said that nothing was changed, and it must start
 * nothing; f says so.
 */
int
local_late(int64_t deadline, struct fail *f)
{
	if (deadline == 0 || lock_now_ms() < deadline)
		return (0);
	fail_set(f, 503, NULL, "the request came to the peer daemon too "
	    "late; nothing was changed");
	snprintf(f->marketplace, sizeof f->marketplace, "%s", pd->conf.name);
	return (1);
}

/* Answer with product p, as peers see it, and return status. */
static int
local_product(struct buf *out, const struct product *p, int status)
{
	local_json(out, product_to_peer_json(p));
	return (status);
}

/*
 * POST /local/products: register the product in body (the JSON of
 * product_input_to_json).  Returns the status, the answer in out.
 */
int
local_product_create(const struct buf *body, struct buf *out)
{
	struct product_input	 in;
	struct product		 p;
	struct json_object	*obj;
	struct fail		 f;
	int			 rc = -1;

	fail_clear(&f);
	if ((obj = jsonutil_parse(body->data, body->len, &f)) != NULL &&
	    product_input_from_json(obj, &in, &f) == 0 &&
	    product_input_check(&in, &f) == 0)
		rc = store_product_create(pd->store, &in, &p, &f);
	json_object_put(obj);
	if (rc == -1)
		return (local_fail(out, &f));
	log_info("local: registered %s", p.id);
	sync_notify();
	return (local_product(out, &p, 201));
}

/* PATCH /local/products/ID: change product id by the patch in body. */
int
local_product_update(const char *id, const struct buf *body, struct buf *out)
{
	struct product_patch	 patch;
	struct product		 p;
	struct json_object	*obj = NULL;
	struct fail		 f;
	int			 rc = -1;

	fail_clear(&f);
	if (!valid_product_id(id))
		fail_set(&f, 404, NULL, "no such product");
	else if ((obj = jsonutil_parse(body->data, body->len, &f)) != NULL &&
	    product_patch_from_json(obj, &patch, &f) == 0)
		rc = store_product_update(pd->store, id, &patch, &p, &f);
	json_object_put(obj);
	if (rc == -1)
		return (local_fail(out, &f));
	log_info("local: changed %s", p.id);
	sync_notify();
	return (local_product(out, &p, 200));
}

/*
 * POST /local/logout: move the session epoch on, which ends every
 * session of the seller.
 */
int
local_logout(struct buf *out)
{
	struct json_object	*obj;
	struct fail		 f;
	uint64_t		 epoch;

	fail_clear(&f);
	if (store_counter_bump(pd->store, "session_epoch", &epoch, &f) == -1)
		return (local_fail(out, &f));
	obj = json_object_new_object();
	json_object_object_add(obj, "session_epoch",
	    json_object_new_int64((int64_t)epoch));
	local_json(out, obj);
	return (200);
}

/*
 * Read a checkout's request: the order in body (the JSON of
 * order_input_to_json), and the client's Idempotency-Key with the digest
 * of its request, both NULL or both set.  Returns 0, or -1 with f.
 */
int
local_order_input(const struct buf *body, const char *key,
    const char *digest, struct order_input *in, struct fail *f)
{
	struct json_object	*obj;
	int			 rc = -1;

	/* order_input_from_json clears in, so the key comes after it. */
	if ((obj = jsonutil_parse(body->data, body->len, f)) != NULL &&
	    order_input_from_json(obj, in, f) == 0)
		rc = 0;
	json_object_put(obj);
	if (rc == -1 || (key == NULL && digest == NULL))
		return (rc);
	if (key == NULL || digest == NULL || !valid_idem_key(key) ||
	    auth_unhex(digest, in->idem_digest, sizeof in->idem_digest) ==
	    -1) {
		fail_set(f, 400, "Idempotency-Key", "a key needs the digest "
		    "of its request, and both must be well formed");
		return (-1);
	}
	snprintf(in->idem_key, sizeof in->idem_key, "%s", key);
	return (0);
}

/* Answer with the order bought: its id, and whether it was replayed. */
int
local_order_answer(struct buf *out, const char *id, int replayed)
{
	struct json_object	*obj = json_object_new_object();

	json_object_object_add(obj, "id", json_object_new_string(id));
	json_object_object_add(obj, "replayed",
	    json_object_new_boolean(replayed));
	local_json(out, obj);
	return (201);
}
