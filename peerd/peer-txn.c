/*
 * Checkouts across marketplaces: the buyer's marketplace coordinates a
 * two-phase commit among the owners of the cart's products, under the
 * lock of peer-lock.c.
 *
 *	coordinator				owner
 *	lock every product of the cart
 *	POST /peer/txn/prepare ----------->	reserve every item in one
 *	    {txid, lock, items}			transaction, or none; never
 *						below zero, never under a
 *	<----------- yes {items}, or no		lock older than one served
 *	write the decision durably
 *	(a commit with the order)
 *	release the lock
 *	POST /peer/txn/decide ------------>	make the sale final, or give
 *	    {txid, decision}			the stock back
 *
 * The checkout's id (txid) is its order's id, which names the
 * coordinator.  The coordinator writes its decision before it tells
 * anyone, and only once: a decision found already stands.  An owner that
 * holds a reservation it has heard nothing of for TXN_ASK_SECONDS asks
 * (POST /peer/txn/ask), and a coordinator with no decision on it writes
 * an abort and answers that (presumed abort), so that no commit can come
 * after.  The coordinator sends its decisions again to the owners that
 * did not confirm them, at every round of recovery, also after a crash.
 * The owners of the products of this marketplace are served by the same
 * functions here, without a message.
 */

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "jsonutil.h"
#include "log.h"
#include "peerd.h"
#include "valid.h"
#include "xmalloc.h"

/* What one owner holds of a checkout. */
struct txn_owner {
	struct peer		*peer;		/* NULL: this marketplace */
	const char		*name;
	struct reservation	*r;		/* the items it reserves */
	int			 voted;		/* 1 yes, -1 no, 0 silent */
	struct fail		 why;		/* of a no, or of silence */
};

/* A checkout in progress at its coordinator. */
struct txn {
	const struct order_input *in;
	char			 txid[ORDER_ID_MAX + 1];
	struct lock_entry	*lock;
	uint64_t		 lock_ts;
	int			 nowners;
	struct txn_owner	 owners[DECISION_OWNERS_MAX];
	struct order		*order;
	int64_t			 deadline;	/* for a commit; 0: none */
};

/* Keys of the checkouts in progress here; guarded by pd->lock. */
struct txn_key {
	char		 key[IDEM_KEY_MAX + 1];
	struct txn_key	*next;
};
static struct txn_key	*txn_keys;

/* The owner's name of product id, into name. */
static void
txn_owner_of(const char *id, char *name, size_t size)
{
	size_t	len = strcspn(id, "-");

	if (len >= size)
		len = size - 1;
	memcpy(name, id, len);
	name[len] = '\0';
}

/* Does txid name marketplace market as its coordinator? */
static int
txn_coordinated_by(const char *txid, const char *market)
{
	size_t	len = strlen(market);

	return (strncmp(txid, market, len) == 0 && txid[len] == '-');
}

/*
 * Wait until no other checkout here runs under key, then claim it: a
 * double click waits for the first click's outcome and gets it back.
 */
static void
txn_key_claim(const char *key)
{
	struct txn_key	*k;

	pthread_mutex_lock(&pd->lock);
	for (;;) {
		for (k = txn_keys; k != NULL; k = k->next)
			if (strcmp(k->key, key) == 0)
				break;
		if (k == NULL)
			break;
		pthread_cond_wait(&pd->lock_cond, &pd->lock);
	}
	k = xcalloc(1, sizeof *k);
	snprintf(k->key, sizeof k->key, "%s", key);
	k->next = txn_keys;
	txn_keys = k;
	pthread_mutex_unlock(&pd->lock);
}

/* Give key up, and wake a checkout that waits for it. */
static void
txn_key_drop(const char *key)
{
	struct txn_key	**pp, *k;

	pthread_mutex_lock(&pd->lock);
	for (pp = &txn_keys; *pp != NULL; pp = &(*pp)->next)
		if (strcmp((*pp)->key, key) == 0) {
			k = *pp;
			*pp = k->next;
			free(k);
			break;
		}
	pthread_cond_broadcast(&pd->lock_cond);
	pthread_mutex_unlock(&pd->lock);
}

/*
 * Sort the order's lines among their owners, checking that each product
 * is known: ours in products.db, another's in the gallery.  Returns 0, or
 * -1 with f (400 for an unknown product, as the API says).
 */
static int
txn_plan(struct txn *t, struct fail *f)
{
	const struct order_line	*l;
	struct txn_owner	*o;
	struct product		 p;
	struct peer		*peer;
	char			 name[MARKET_NAME_MAX + 1], field[48];
	unsigned int		 i;
	int			 k, rc;

	for (i = 0; i < t->in->nlines; i++) {
		l = &t->in->lines[i];
		txn_owner_of(l->product, name, sizeof name);
		peer = NULL;
		if (strcmp(name, pd->conf.name) == 0)
			rc = store_product_get(pd->store, l->product, &p);
		else if ((peer = sync_peer(name)) != NULL)
			rc = store_remote_get(pd->store, l->product, &p);
		else
			rc = STORE_NOTFOUND;
		if (rc == STORE_ERROR) {
			fail_set(f, 500, NULL, "the store failed; nothing was "
			    "bought");
			return (-1);
		}
		if (rc != STORE_OK) {
			snprintf(field, sizeof field, "items[%u].product", i);
			fail_set(f, 400, field, "no such product: %s",
			    l->product);
			return (-1);
		}
		for (k = 0; k < t->nowners; k++)
			if (strcmp(t->owners[k].name, name) == 0)
				break;
		o = &t->owners[k];
		if (k == t->nowners) {
			t->nowners++;
			o->r = xcalloc(1, sizeof *o->r);
			o->peer = peer;
			o->name = peer != NULL ? peer->conf->name :
			    pd->conf.name;
			snprintf(o->r->txid, sizeof o->r->txid, "%s", t->txid);
			snprintf(o->r->coordinator, sizeof o->r->coordinator,
			    "%s", pd->conf.name);
		}
		snprintf(o->r->items[o->r->nitems].product,
		    sizeof o->r->items[0].product, "%s", l->product);
		o->r->items[o->r->nitems].size = l->size;
		o->r->items[o->r->nitems].quantity = (int32_t)l->quantity;
		o->r->nitems++;
	}
	return (0);
}

/* Order product ids, for the set a checkout locks. */
static int
txn_id_cmp(const void *a, const void *b)
{
	return (strcmp(a, b));
}

/* Microseconds of a monotonic clock. */
static int64_t
txn_now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/*
 * Count phase as run once, from since (txn_now_us) to now.  The sums are
 * added to atomically, for every checkout does it several times, and
 * without pd->lock, which the lock's and the peers' work share.
 */
static void
txn_timed(enum phase phase, int64_t since)
{
	int64_t	took = txn_now_us() - since;

	__atomic_add_fetch(&pd->phase_n[phase], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&pd->phase_us[phase], took > 0 ? (uint64_t)took :
	    0, __ATOMIC_RELAXED);
}

/* Lock every product of the checkout.  Returns 0, or -1 with f. */
static int
txn_lock(struct txn *t, struct fail *f)
{
	char		(*ids)[PRODUCT_ID_MAX + 1];
	int64_t		 since;
	unsigned int	 i;
	int		 n = 0, rc;

	ids = xcalloc(t->in->nlines, sizeof *ids);
	for (i = 0; i < t->in->nlines; i++)
		snprintf(ids[i], sizeof ids[i], "%s", t->in->lines[i].product);
	qsort(ids, t->in->nlines, sizeof *ids, txn_id_cmp);
	for (i = 0; i < t->in->nlines; i++)
		if (n == 0 || strcmp(ids[n - 1], ids[i]) != 0)
			memmove(ids[n++], ids[i], sizeof ids[i]);
	since = txn_now_us();
	rc = lock_acquire((const char (*)[PRODUCT_ID_MAX + 1])ids, n, &t->lock,
	    f);
	txn_timed(PHASE_LOCK, since);
	free(ids);
	if (rc == 0) {
		t->lock_ts = lock_ts(t->lock);
		for (i = 0; i < (unsigned int)t->nowners; i++) {
			t->owners[i].r->fence_ts = t->lock_ts;
			snprintf(t->owners[i].r->fence_market,
			    sizeof t->owners[i].r->fence_market, "%s",
			    pd->conf.name);
		}
	}
	return (rc);
}

/* The body of a prepare: {"txid", "lock": {"ts", "marketplace"}, "items"}. */
static char *
txn_prepare_body(const struct txn *t, const struct txn_owner *o)
{
	struct json_object	*obj, *lock, *items, *item;
	char			*s;
	uint32_t		 i;

	obj = json_object_new_object();
	json_object_object_add(obj, "txid", json_object_new_string(t->txid));
	lock = json_object_new_object();
	json_object_object_add(lock, "ts",
	    json_object_new_int64((int64_t)t->lock_ts));
	json_object_object_add(lock, "marketplace",
	    json_object_new_string(pd->conf.name));
	json_object_object_add(obj, "lock", lock);
	items = json_object_new_array();
	for (i = 0; i < o->r->nitems; i++) {
		item = json_object_new_object();
		json_object_object_add(item, "product",
		    json_object_new_string(o->r->items[i].product));
		json_object_object_add(item, "size", json_object_new_string(
		    size_names[o->r->items[i].size]));
		json_object_object_add(item, "quantity",
		    json_object_new_int(o->r->items[i].quantity));
		json_object_array_add(items, item);
	}
	json_object_object_add(obj, "items", items);
	s = xstrdup(json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(obj);
	return (s);
}

/*
 * Take a remote owner's yes: {"txid", "vote": "yes", "items"}, its items
 * with their names and prices, which must be the items asked for.
 * Returns 0, or -1 when the answer is not one.
 */
static int
txn_take_yes(struct txn_owner *o, const struct buf *answer)
{
	struct json_object	*obj, *v, *items;
	struct order_item	 it;
	struct fail		 f;
	uint32_t		 i, j;
	int			 rc = -1;

	fail_clear(&f);
	if ((obj = jsonutil_parse(answer->data, answer->len, &f)) == NULL ||
	    !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, "vote", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "yes") != 0 ||
	    !json_object_object_get_ex(obj, "items", &items) ||
	    !json_object_is_type(items, json_type_array) ||
	    json_object_array_length(items) != o->r->nitems)
		goto out;
	for (i = 0; i < o->r->nitems; i++) {
		if (order_item_from_json(json_object_array_get_idx(items, i),
		    &it, &f) == -1 || strcmp(it.marketplace, o->name) != 0)
			goto out;
		for (j = 0; j < o->r->nitems; j++)
			if (strcmp(o->r->items[j].product, it.product) == 0 &&
			    o->r->items[j].size == it.size &&
			    o->r->items[j].quantity == it.quantity)
				break;
		if (j == o->r->nitems)
			goto out;
		o->r->items[j] = it;
	}
	rc = 0;
out:
	json_object_put(obj);
	return (rc);
}

/* Reserve this marketplace's own items of the checkout. */
static void
txn_prepare_here(struct txn_owner *o)
{
	struct reservation	*got = xmalloc(sizeof *got);
	uint32_t		 i, j;

	fail_clear(&o->why);
	if (store_reserve_here(pd->store, o->r, got, &o->why) == -1) {
		o->voted = -1;
	} else if (got->state != RESERVATION_PREPARED) {
		fail_set(&o->why, 409, NULL, "the checkout was ended already");
		o->voted = -1;
	} else {
		/* Keep the names and prices the owner reserved at. */
		for (i = 0; i < o->r->nitems; i++)
			for (j = 0; j < got->nitems; j++)
				if (strcmp(o->r->items[i].product,
				    got->items[j].product) == 0 &&
				    o->r->items[i].size == got->items[j].size)
					o->r->items[i] = got->items[j];
		o->voted = 1;
	}
	free(got);
}

/*
 * Phase one: every owner reserves its items, the remote ones all at once
 * while this marketplace reserves its own.  An owner that gives no answer
 * is asked again while time is left.  Each owner's vote goes to voted.
 */
static void
txn_prepare(struct txn *t)
{
	struct call	 calls[DECISION_OWNERS_MAX];
	char		*bodies[DECISION_OWNERS_MAX];
	int		 map[DECISION_OWNERS_MAX];
	int64_t		 deadline = lock_now_ms() + TXN_PREPARE_MS, left;
	int		 i, n, try, here = -1;

	memset(bodies, 0, sizeof bodies);
	for (try = 0; try < TXN_TRIES; try++) {
		left = deadline - lock_now_ms();
		n = 0;
		for (i = 0; i < t->nowners; i++) {
			if (t->owners[i].peer == NULL) {
				here = i;
				continue;
			}
			if (t->owners[i].voted != 0 || left < 50)
				continue;
			if (bodies[i] == NULL)
				bodies[i] = txn_prepare_body(t, &t->owners[i]);
			call_init(&calls[n], t->owners[i].peer, KIND_PREPARE,
			    "POST", "/peer/txn/prepare", bodies[i],
			    left < PEER_TIMEOUT_MS ? left : PEER_TIMEOUT_MS);
			map[n++] = i;
		}
		if (n > 0)
			call_start(calls, n);
		if (try == 0 && here != -1)
			txn_prepare_here(&t->owners[here]);
		if (n == 0)
			break;
		call_wait(calls, n);
		for (i = 0; i < n; i++) {
			struct txn_owner	*o = &t->owners[map[i]];

			if (!calls[i].ok) {
				call_free(&calls[i]);
				continue;
			}
			if (calls[i].status == 200 &&
			    txn_take_yes(o, &calls[i].answer) == 0)
				o->voted = 1;
			else {
				o->voted = -1;
				jsonutil_fail_read(calls[i].answer.data,
				    calls[i].answer.len,
				    calls[i].status == 200 ? 502 :
				    (int)calls[i].status, &o->why);
			}
			call_free(&calls[i]);
		}
	}
	for (i = 0; i < t->nowners; i++)
		free(bodies[i]);
}

/*
 * Why the checkout cannot commit, in the API's terms, from the first
 * owner that said no or nothing: a lack of stock is its 409; an unknown
 * product is a 400; an owner that did not answer, or refused under a
 * stale lock, is a 503 that names it.  Returns 1 when every owner said
 * yes.
 */
static int
txn_votes(const struct txn *t, struct fail *f)
{
	const struct txn_owner	*o;
	int			 i;

	for (i = 0; i < t->nowners; i++) {
		o = &t->owners[i];
		if (o->voted == 1)
			continue;
		if (o->voted == -1 && o->why.status == 409 &&
		    o->why.product[0] != '\0')
			*f = o->why;
		else if (o->voted == -1 && o->why.status == 404) {
			fail_set(f, 400, "items", "no such product at %s: %s",
			    o->name, o->why.error);
		} else {
			fail_set(f, 503, NULL, "marketplace %s %s; nothing was "
			    "bought", o->name, o->voted == 0 ?
			    "cannot be reached" : "refused the checkout");
			snprintf(f->marketplace, sizeof f->marketplace, "%s",
			    o->name);
		}
		return (0);
	}
	return (1);
}

/* Make the order of a checkout that every owner said yes to. */
static void
txn_make_order(struct txn *t)
{
	const struct order_line	*l;
	const struct txn_owner	*o;
	struct order		*ord = t->order;
	char			 name[MARKET_NAME_MAX + 1];
	unsigned int		 i;
	uint32_t		 j;
	int			 k;

	memset(ord, 0, sizeof *ord);
	ord->format = ORDER_FORMAT;
	snprintf(ord->id, sizeof ord->id, "%s", t->txid);
	snprintf(ord->status, sizeof ord->status, "confirmed");
	ord->created = (int64_t)time(NULL);
	ord->nitems = t->in->nlines;
	for (i = 0; i < t->in->nlines; i++) {
		l = &t->in->lines[i];
		txn_owner_of(l->product, name, sizeof name);
		for (k = 0; k < t->nowners; k++)
			if (strcmp(t->owners[k].name, name) == 0)
				break;
		o = &t->owners[k];
		for (j = 0; j < o->r->nitems; j++)
			if (strcmp(o->r->items[j].product, l->product) == 0 &&
			    o->r->items[j].size == l->size)
				ord->items[i] = o->r->items[j];
		/* At most 50 * 1000 * 10^8: far inside 64 bits. */
		ord->total_cents += ord->items[i].price_cents *
		    ord->items[i].quantity;
	}
}

/*
 * The lock's releases that go out with a decision: one message body per
 * peer, in objs, its peer in peers.
 */
struct txn_releases {
	int			 n;
	struct peer		*peers[CONF_PEERS_MAX];
	struct json_object	*objs[CONF_PEERS_MAX];
};

/* A checkout that ended in an abort for its slowness here: a 503. */
static void
txn_too_long(struct fail *f)
{
	fail_set(f, 503, NULL, "the checkout took too long; nothing was "
	    "bought");
	snprintf(f->marketplace, sizeof f->marketplace, "%s", pd->conf.name);
}

/*
 * Tell the owners in bits of decision d on txid: ours here, the others
 * all at once.  The releases in rel (which may be NULL) travel in the
 * same round: an owner's inside its decision, the other peers' on their
 * own; each is handed to lock_releases_sent.  Returns the bits of the
 * owners that have the decision now.
 */
static uint32_t
txn_tell(const char *txid, const struct decision *d, uint32_t bits,
    struct txn_releases *rel)
{
	struct json_object	*objs[DECISION_OWNERS_MAX];
	struct call		 calls[DECISION_OWNERS_MAX + CONF_PEERS_MAX];
	struct reservation	*r;
	struct peer		*peer;
	struct fail		 f;
	uint32_t		 done = 0, i, here = UINT32_MAX;
	int			 owner[DECISION_OWNERS_MAX + CONF_PEERS_MAX];
	int			 with[DECISION_OWNERS_MAX + CONF_PEERS_MAX];
	int			 taken[CONF_PEERS_MAX] = { 0 };
	int			 n = 0, nobj = 0, k, j, nrel, delivered;

	nrel = rel != NULL ? rel->n : 0;
	for (i = 0; i < d->nowners; i++) {
		if (!(bits & (1u << i)))
			continue;
		if (strcmp(d->owners[i], pd->conf.name) == 0) {
			here = i;
			continue;
		}
		if ((peer = sync_peer(d->owners[i])) == NULL) {
			/* No longer a peer: nobody is left to tell. */
			done |= 1u << i;
			continue;
		}
		objs[nobj] = json_object_new_object();
		json_object_object_add(objs[nobj], "txid",
		    json_object_new_string(txid));
		json_object_object_add(objs[nobj], "decision",
		    json_object_new_string(d->state == DECISION_COMMIT ?
		    "commit" : "abort"));
		with[n] = -1;
		for (j = 0; j < nrel; j++)
			if (rel->peers[j] == peer && !taken[j]) {
				json_object_object_add(objs[nobj], "release",
				    json_object_get(rel->objs[j]));
				taken[j] = 1;
				with[n] = j;
			}
		call_init(&calls[n], peer, KIND_DECIDE, "POST",
		    "/peer/txn/decide", json_object_to_json_string_ext(
		    objs[nobj++], JSON_C_TO_STRING_PLAIN), 0);
		owner[n++] = (int)i;
	}
	for (j = 0; j < nrel; j++) {
		if (taken[j])
			continue;
		call_init(&calls[n], rel->peers[j], KIND_LOCK_RELEASE, "POST",
		    "/peer/lock/release", json_object_to_json_string_ext(
		    rel->objs[j], JSON_C_TO_STRING_PLAIN), 0);
		owner[n] = -1;
		with[n++] = j;
	}
	/* The others' messages are on their way while ours is done here. */
	if (n > 0)
		call_start(calls, n);
	if (here != UINT32_MAX) {
		r = xmalloc(sizeof *r);
		fail_clear(&f);
		if (store_finish(pd->store, txid, d->state == DECISION_COMMIT,
		    r, &f) == 0 || f.status == 409)
			done |= 1u << here;
		free(r);
	}
	if (n > 0)
		call_wait(calls, n);
	for (k = 0; k < n; k++) {
		/*
		 * A 409 says the owner knows the outcome already; the
		 * release inside a decision is taken whatever its outcome.
		 */
		if (owner[k] >= 0 && calls[k].ok && (calls[k].status == 200 ||
		    calls[k].status == 409))
			done |= 1u << owner[k];
		delivered = calls[k].ok && (calls[k].status == 200 ||
		    (owner[k] >= 0 && calls[k].status == 409));
		call_free(&calls[k]);
		if (with[k] >= 0)
			lock_releases_sent(rel->peers[with[k]],
			    rel->objs[with[k]], delivered);
	}
	for (k = 0; k < nobj; k++)
		json_object_put(objs[k]);
	return (done);
}

/*
 * Decide: commit when every owner said yes, abort otherwise; write it
 * (the first decision on txid stands), release the lock, and tell the
 * owners.  Returns 1 for a commit, 0 for an abort, -1 when the decision
 * could not be written (then nothing was decided and the owners ask).
 */
static int
txn_decide(struct txn *t, int commit, struct fail *f)
{
	struct txn_releases	 rel;
	struct decision		 want, got;
	struct fail		 ignore;
	uint32_t		 all, done;
	int64_t			 since;
	int			 i, rc, here = -1;

	memset(&want, 0, sizeof want);
	want.state = commit ? DECISION_COMMIT : DECISION_ABORT;
	want.nowners = (uint32_t)t->nowners;
	for (i = 0; i < t->nowners; i++)
		snprintf(want.owners[i], sizeof want.owners[i], "%s",
		    t->owners[i].name);
	/* Our own reservation is made final with the decision. */
	for (i = 0; i < t->nowners; i++)
		if (t->owners[i].peer == NULL && t->owners[i].voted == 1)
			here = i;
	/*
	 * Past its deadline the FastCGI program has answered 503, and the
	 * checkout must not go through.
	 */
	if (commit && t->deadline != 0 && lock_now_ms() >= t->deadline) {
		log_warnx("txn: %s is aborted: its deadline passed",
		    t->txid);
		txn_too_long(f);
		commit = 0;
		want.state = DECISION_ABORT;
	}
	if (commit)
		txn_make_order(t);
	since = txn_now_us();
	rc = store_decide(pd->store, t->txid, &want, t->order, t->in, here,
	    &got, f);
	txn_timed(PHASE_DECISION, since);
	if (rc == -1) {
		lock_release(t->lock);
		t->lock = NULL;
		return (-1);
	}
	failpoint("decided");
	/* The lock's releases go out with the decisions, in one round. */
	rel.n = lock_releases_take(lock_leave(t->lock), rel.peers, rel.objs);
	t->lock = NULL;
	if (got.state != want.state) {
		log_warnx("txn: %s was aborted by an owner's question first",
		    t->txid);
		txn_too_long(f);
	}
	log_info("txn: %s %s", t->txid, got.state == DECISION_COMMIT ?
	    "committed" : "aborted");
	all = (uint32_t)((1u << got.nowners) - 1);
	/* Owners that voted no hold nothing to give back. */
	done = got.done & all;
	for (i = 0; i < t->nowners && got.state == DECISION_ABORT; i++)
		if (t->owners[i].voted == -1 && t->owners[i].peer != NULL &&
		    t->owners[i].why.status != 0 && t->owners[i].why.status <
		    500)
			done |= 1u << i;
	since = txn_now_us();
	done |= txn_tell(t->txid, &got, all & ~done, &rel);
	txn_timed(PHASE_TELL, since);
	fail_clear(&ignore);
	if (done != 0)
		store_decision_done(pd->store, t->txid, done, &ignore);
	return (got.state == DECISION_COMMIT);
}

/*
 * POST /local/orders: buy the order in body, every line or none, across
 * the marketplaces that own its products.  Returns the status, with the
 * answer in out: 201 {"id", "replayed"}, or the failure.
 */
int
txn_checkout(const struct buf *body, const char *key, const char *digest,
    int64_t deadline, struct buf *out)
{
	struct order_input	*in = xcalloc(1, sizeof *in);
	struct txn		*t = xcalloc(1, sizeof *t);
	struct fail		 f;
	int64_t			 start = txn_now_us(), since;
	int			 i, rc, status, claimed = 0;

	fail_clear(&f);
	t->in = in;
	t->order = xcalloc(1, sizeof *t->order);
	t->deadline = deadline;
	if (local_order_input(body, key, digest, in, &f) == -1) {
		status = local_fail(out, &f);
		goto out;
	}
	if (in->idem_key[0] != '\0') {
		txn_key_claim(in->idem_key);
		claimed = 1;
	}
	rc = store_checkout_replay(pd->store, in, t->order, &f);
	if (rc == STORE_OK) {
		status = local_order_answer(out, t->order->id, 1);
		goto out;
	}
	if (rc == STORE_FAILED || rc == STORE_ERROR) {
		if (rc == STORE_ERROR)
			fail_set(&f, 500, NULL, "the store failed");
		status = local_fail(out, &f);
		goto out;
	}

	/* It may have waited for an earlier checkout under its key. */
	if (local_late(deadline, &f)) {
		status = local_fail(out, &f);
		goto out;
	}
	store_order_id(pd->store, t->txid, sizeof t->txid);
	if (txn_plan(t, &f) == -1 || txn_lock(t, &f) == -1) {
		if (f.status < 500)
			store_checkout_refused(pd->store, in, &f);
		status = local_fail(out, &f);
		goto out;
	}
	/* A lock that came after the deadline: no owner need reserve. */
	if (local_late(deadline, &f)) {
		status = local_fail(out, &f);
		goto out;
	}
	since = txn_now_us();
	txn_prepare(t);
	txn_timed(PHASE_PREPARE, since);
	failpoint("prepared");
	rc = txn_decide(t, txn_votes(t, &f), &f);
	if (rc == 1 && f.status == 0) {
		status = local_order_answer(out, t->txid, 0);
		sync_notify();
	} else {
		if (rc == 0 && f.status > 0 && f.status < 500)
			store_checkout_refused(pd->store, in, &f);
		if (f.status == 0)
			fail_set(&f, 500, NULL, "the checkout failed");
		status = local_fail(out, &f);
		sync_notify();
	}
out:
	if (t->lock != NULL)
		lock_release(t->lock);
	if (claimed)
		txn_key_drop(in->idem_key);
	for (i = 0; i < t->nowners; i++)
		free(t->owners[i].r);
	free(t->order);
	free(t);
	free(in);
	txn_timed(PHASE_CHECKOUT, start);
	return (status);
}

/* Read the member "txid" of obj into txid; coordinated by market. */
static int
txn_read_txid(struct json_object *obj, const char *market, char *txid,
    size_t size, struct fail *f)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(obj, "txid", &v) ||
	    jsonutil_text(v, "txid", txid, size, f) == -1 ||
	    !valid_order_id(txid) || !txn_coordinated_by(txid, market)) {
		fail_set(f, 400, "txid", "txid must be an order id of %s",
		    market);
		return (-1);
	}
	return (0);
}

/*
 * Read a prepare from coordinator p: {"txid", "lock": {"ts",
 * "marketplace"}, "items": [{"product", "size", "quantity"}]}, every item
 * one of our products.  Returns 0 with r filled, or -1 with f.
 */
static int
txn_read_prepare(struct peer *p, const struct buf *body,
    struct reservation *r, struct fail *f)
{
	struct json_object	*obj, *lock, *items, *v;
	struct order_input	*in;
	char			 name[MARKET_NAME_MAX + 1];
	int64_t			 ts;
	size_t			 i, n;
	int			 rc = -1;

	memset(r, 0, sizeof *r);
	in = xcalloc(1, sizeof *in);
	if ((obj = jsonutil_parse(body->data, body->len, f)) == NULL ||
	    jsonutil_object(obj, NULL, f) == -1)
		goto out;
	if (json_object_object_length(obj) != 3) {
		fail_set(f, 400, NULL, "a prepare has txid, lock and items, "
		    "and nothing else");
		goto out;
	}
	if (txn_read_txid(obj, p->conf->name, r->txid, sizeof r->txid,
	    f) == -1)
		goto out;
	if (!json_object_object_get_ex(obj, "lock", &lock) ||
	    jsonutil_object(lock, "lock", f) == -1 ||
	    json_object_object_length(lock) != 2 ||
	    !json_object_object_get_ex(lock, "ts", &v) ||
	    jsonutil_int(v, "lock", 1, INT64_MAX, &ts, f) == -1 ||
	    !json_object_object_get_ex(lock, "marketplace", &v) ||
	    jsonutil_text(v, "lock", r->fence_market, sizeof r->fence_market,
	    f) == -1 || strcmp(r->fence_market, p->conf->name) != 0) {
		fail_set(f, 400, "lock", "lock must be {\"ts\", "
		    "\"marketplace\"} of the coordinator's lock");
		goto out;
	}
	r->fence_ts = (uint64_t)ts;
	/* The items read as an order's, with the same checks. */
	if (!json_object_object_get_ex(obj, "items", &items)) {
		fail_set(f, 400, "items", "items are required");
		goto out;
	}
	json_object_get(items);
	v = json_object_new_object();
	json_object_object_add(v, "items", items);
	rc = order_input_from_json(v, in, f);
	json_object_put(v);
	if (rc == -1)
		goto out;
	rc = -1;
	n = in->nlines;
	for (i = 0; i < n; i++) {
		txn_owner_of(in->lines[i].product, name, sizeof name);
		if (strcmp(name, pd->conf.name) != 0) {
			fail_set(f, 404, "items", "%s is not a product of %s",
			    in->lines[i].product, pd->conf.name);
			goto out;
		}
		snprintf(r->items[i].product, sizeof r->items[i].product,
		    "%s", in->lines[i].product);
		r->items[i].size = in->lines[i].size;
		r->items[i].quantity = (int32_t)in->lines[i].quantity;
	}
	r->nitems = (uint32_t)n;
	snprintf(r->coordinator, sizeof r->coordinator, "%s", p->conf->name);
	rc = 0;
out:
	json_object_put(obj);
	free(in);
	return (rc);
}

/*
 * POST /peer/txn/prepare from coordinator p: reserve the items, or none.
 * Answers 200 {"txid", "vote": "yes", "items"} with each item's name and
 * price; or the refusal: 409 for a lack of stock (with product, size and
 * available) or a stale lock (field "fence") or a checkout already
 * aborted, 404 for a product that is not ours, 400 for a bad message.
 */
int
txn_on_prepare(struct peer *p, const struct buf *body, struct buf *out)
{
	struct reservation	*want = xmalloc(sizeof *want);
	struct reservation	*got = xmalloc(sizeof *got);
	struct json_object	*obj, *items;
	struct fail		 f;
	int64_t			 since;
	uint32_t		 i;
	int			 rc, status;

	fail_clear(&f);
	if (txn_read_prepare(p, body, want, &f) == -1) {
		status = local_fail(out, &f);
		goto out;
	}
	since = txn_now_us();
	rc = store_reserve(pd->store, want, got, &f);
	txn_timed(PHASE_RESERVE, since);
	if (rc == -1) {
		status = local_fail(out, &f);
		goto out;
	}
	if (got->state == RESERVATION_ABORTED) {
		fail_set(&f, 409, NULL, "checkout %s was aborted already",
		    got->txid);
		status = local_fail(out, &f);
		goto out;
	}
	lock_peer_holds(p, want->fence_ts);
	failpoint("reserved");
	obj = json_object_new_object();
	json_object_object_add(obj, "txid", json_object_new_string(got->txid));
	json_object_object_add(obj, "vote", json_object_new_string("yes"));
	items = json_object_new_array();
	for (i = 0; i < got->nitems; i++)
		json_object_array_add(items,
		    order_item_to_json(&got->items[i]));
	json_object_object_add(obj, "items", items);
	status = local_answer(out, obj, 200);
out:
	free(want);
	free(got);
	return (status);
}

/* A state of a reservation, as the answers name it. */
static const char *
txn_state_name(uint32_t state)
{
	return (state == RESERVATION_COMMITTED ? "committed" :
	    state == RESERVATION_ABORTED ? "aborted" : "prepared");
}

/*
 * POST /peer/txn/decide from coordinator p: {"txid", "decision":
 * "commit" | "abort"}, and, when the decision travels with the lock's
 * release, "release": {"inc", "floor", "ts": [...]} as /peer/lock/release
 * takes it.  The whole message is checked before the release, then the
 * decision, is applied.  Answers 200 {"txid", "state"}, or 409 when the
 * decision goes against what was done (a commit of nothing, an abort of
 * a sale).
 */
int
txn_on_decide(struct peer *p, const struct buf *body, struct buf *out)
{
	struct json_object	*obj, *v, *r_obj = NULL;
	struct reservation	*r = xmalloc(sizeof *r);
	struct lock_release	*rel = xmalloc(sizeof *rel);
	struct fail		 f;
	char			 txid[ORDER_ID_MAX + 1];
	const char		*d = NULL;
	int			 status, members, has_release;

	fail_clear(&f);
	obj = jsonutil_parse(body->data, body->len, &f);
	has_release = obj != NULL && json_object_is_type(obj,
	    json_type_object) && json_object_object_get_ex(obj, "release",
	    &r_obj);
	members = has_release ? 3 : 2;
	if (obj == NULL || jsonutil_object(obj, NULL, &f) == -1 ||
	    json_object_object_length(obj) != members ||
	    txn_read_txid(obj, p->conf->name, txid, sizeof txid, &f) == -1 ||
	    !json_object_object_get_ex(obj, "decision", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    (strcmp(d = json_object_get_string(v), "commit") != 0 &&
	    strcmp(d, "abort") != 0)) {
		fail_set(&f, 400, "decision", "a decision is {\"txid\", "
		    "\"decision\": \"commit\" or \"abort\"}, and may "
		    "carry a \"release\"");
		status = local_fail(out, &f);
	} else if (has_release && lock_release_read(r_obj, rel, &f) == -1)
		status = local_fail(out, &f);
	else {
		if (has_release)
			lock_release_apply(p, rel);
		if (store_finish(pd->store, txid, strcmp(d, "commit") == 0, r,
		    &f) == -1)
			status = local_fail(out, &f);
		else {
			log_info("txn: %s %s here, as %s decided", txid,
			    txn_state_name(r->state), p->conf->name);
			json_object_put(obj);
			obj = json_object_new_object();
			json_object_object_add(obj, "txid",
			    json_object_new_string(txid));
			json_object_object_add(obj, "state",
			    json_object_new_string(txn_state_name(r->state)));
			status = local_answer(out, obj, 200);
			obj = NULL;
			sync_notify();
		}
	}
	json_object_put(obj);
	free(rel);
	free(r);
	return (status);
}

/*
 * POST /peer/txn/ask from owner p: {"txid"} of a checkout coordinated
 * here.  Answers 200 {"txid", "decision"}: the decision, or, when none
 * was made, an abort that is written first and stands.
 */
int
txn_on_ask(struct peer *p, const struct buf *body, struct buf *out)
{
	struct json_object	*obj;
	struct decision		 d;
	struct fail		 f;
	char			 txid[ORDER_ID_MAX + 1];

	fail_clear(&f);
	if ((obj = jsonutil_parse(body->data, body->len, &f)) == NULL ||
	    jsonutil_object(obj, NULL, &f) == -1 ||
	    json_object_object_length(obj) != 1 ||
	    txn_read_txid(obj, pd->conf.name, txid, sizeof txid, &f) == -1) {
		fail_set(&f, 400, "txid", "a question is {\"txid\"} of a "
		    "checkout of %s", pd->conf.name);
		json_object_put(obj);
		return (local_fail(out, &f));
	}
	json_object_put(obj);
	if (store_decision_ask(pd->store, txid, &d, &f) == -1)
		return (local_fail(out, &f));
	log_info("txn: %s asked about %s: %s", p->conf->name, txid,
	    d.state == DECISION_COMMIT ? "commit" : "abort");
	obj = json_object_new_object();
	json_object_object_add(obj, "txid", json_object_new_string(txid));
	json_object_object_add(obj, "decision", json_object_new_string(
	    d.state == DECISION_COMMIT ? "commit" : "abort"));
	return (local_answer(out, obj, 200));
}

/*
 * What a round of recovery gathers before it sends anything: at most
 * TXN_ROUND_MAX, after skipping the first skip of those it could take,
 * so that rounds take turns over more than that and a few that never
 * settle (an owner gone for good) cannot hold the others back.  After a
 * full round, skip moves past those of it still pending; after a short
 * one, the next starts again from the oldest.
 */
struct txn_round {
	time_t		 now;
	int		 skip;
	int		 n;
	char		 txid[TXN_ROUND_MAX][TXID_MAX + 1];
	struct decision	 d[TXN_ROUND_MAX];
	char		 coordinator[TXN_ROUND_MAX][MARKET_NAME_MAX + 1];
};

/*
 * Gather a decision that some owner has not confirmed; they come oldest
 * first, so the first one too young to send again ends the walk.
 */
static int
txn_gather_decision(const char *txid, const struct decision *d, void *arg)
{
	struct txn_round	*tr = arg;
	uint32_t		 all = (uint32_t)((1u << d->nowners) - 1);

	if (tr->now - d->created < TXN_RESEND_SECONDS)
		return (1);
	if (d->nowners == 0 || (d->done & all) == all)
		return (0);
	if (tr->skip > 0) {
		tr->skip--;
		return (0);
	}
	snprintf(tr->txid[tr->n], sizeof tr->txid[0], "%s", txid);
	tr->d[tr->n] = *d;
	return (++tr->n == TXN_ROUND_MAX);
}

/*
 * Gather a reservation that has waited long for its decision; oldest
 * first, as txn_gather_decision.
 */
static int
txn_gather_reservation(const struct reservation *r, void *arg)
{
	struct txn_round	*tr = arg;

	if (tr->now - r->created < TXN_ASK_SECONDS)
		return (1);
	/* Nobody is left to ask about a coordinator that left. */
	if (r->state != RESERVATION_PREPARED ||
	    (strcmp(r->coordinator, pd->conf.name) != 0 &&
	    sync_peer(r->coordinator) == NULL))
		return (0);
	if (tr->skip > 0) {
		tr->skip--;
		return (0);
	}
	snprintf(tr->txid[tr->n], sizeof tr->txid[0], "%s", r->txid);
	snprintf(tr->coordinator[tr->n], sizeof tr->coordinator[0], "%s",
	    r->coordinator);
	return (++tr->n == TXN_ROUND_MAX);
}

/* Send our decisions again to the owners that have not confirmed them. */
static void
txn_resend(void)
{
	static int		 skip;
	struct txn_round	*tr = xcalloc(1, sizeof *tr);
	struct fail		 f;
	uint32_t		 all, done;
	int			 i, settled = 0;

	tr->now = time(NULL);
	tr->skip = skip;
	store_pending_decisions_each(pd->store, txn_gather_decision, tr);
	for (i = 0; i < tr->n; i++) {
		all = (uint32_t)((1u << tr->d[i].nowners) - 1);
		done = txn_tell(tr->txid[i], &tr->d[i], all & ~tr->d[i].done,
		    NULL);
		fail_clear(&f);
		if (done != 0) {
			log_info("txn: %s told again to its owners",
			    tr->txid[i]);
			if (store_decision_done(pd->store, tr->txid[i], done,
			    &f) == 0 && ((tr->d[i].done | done) & all) == all)
				settled++;
		}
	}
	/* Those settled left the index: the next round starts past the rest. */
	skip = tr->n == TXN_ROUND_MAX ? skip + tr->n - settled : 0;
	free(tr);
}

/*
 * Apply the decision answered for reservation txid: "commit" or "abort".
 * Returns 1 when the reservation is settled now, else 0.
 */
static int
txn_apply(const char *txid, const char *decision)
{
	struct reservation	*r = xmalloc(sizeof *r);
	struct fail		 f;
	int			 settled = 0;

	fail_clear(&f);
	if (store_finish(pd->store, txid, strcmp(decision, "commit") == 0, r,
	    &f) == 0) {
		log_info("txn: %s %s here, as its coordinator answered", txid,
		    txn_state_name(r->state));
		sync_notify();
		settled = 1;
	}
	free(r);
	return (settled);
}

/*
 * Ask the coordinators of the reservations that have waited long for
 * their decision, all at once, and apply the answers.  Ours are looked
 * up here.
 */
static void
txn_ask(void)
{
	static int		 skip;
	struct txn_round	*tr = xcalloc(1, sizeof *tr);
	struct call		*calls;
	struct json_object	*obj, *v;
	struct decision		 d;
	struct fail		 f;
	char			*bodies[TXN_ROUND_MAX];
	int			 map[TXN_ROUND_MAX], i, n = 0, settled = 0;

	tr->now = time(NULL);
	tr->skip = skip;
	store_pending_reservations_each(pd->store, txn_gather_reservation,
	    tr);
	calls = xcalloc(TXN_ROUND_MAX, sizeof *calls);
	for (i = 0; i < tr->n; i++) {
		struct peer	*p;

		if (strcmp(tr->coordinator[i], pd->conf.name) == 0) {
			fail_clear(&f);
			if (store_decision_ask(pd->store, tr->txid[i], &d,
			    &f) == 0)
				settled += txn_apply(tr->txid[i], d.state ==
				    DECISION_COMMIT ? "commit" : "abort");
			continue;
		}
		if ((p = sync_peer(tr->coordinator[i])) == NULL)
			continue;
		obj = json_object_new_object();
		json_object_object_add(obj, "txid",
		    json_object_new_string(tr->txid[i]));
		bodies[n] = xstrdup(json_object_to_json_string_ext(obj,
		    JSON_C_TO_STRING_PLAIN));
		json_object_put(obj);
		call_init(&calls[n], p, KIND_ASK, "POST", "/peer/txn/ask",
		    bodies[n], 0);
		map[n++] = i;
	}
	if (n > 0)
		call_run(calls, n);
	for (i = 0; i < n; i++) {
		fail_clear(&f);
		obj = NULL;
		if (calls[i].ok && calls[i].status == 200 &&
		    (obj = jsonutil_parse(calls[i].answer.data,
		    calls[i].answer.len, &f)) != NULL &&
		    json_object_object_get_ex(obj, "decision", &v) &&
		    json_object_is_type(v, json_type_string) &&
		    (strcmp(json_object_get_string(v), "commit") == 0 ||
		    strcmp(json_object_get_string(v), "abort") == 0))
			settled += txn_apply(tr->txid[map[i]],
			    json_object_get_string(v));
		json_object_put(obj);
		call_free(&calls[i]);
		free(bodies[i]);
	}
	/* Those settled left the index: the next round starts past the rest. */
	skip = tr->n == TXN_ROUND_MAX ? skip + tr->n - settled : 0;
	free(calls);
	free(tr);
}

/*
 * The thread of recovery, until peerd_quit: a few times a second the
 * lock's housework, and every second the decisions that owners have not
 * confirmed are sent again, the reservations that waited too long for
 * theirs are asked about, and the store is checkpointed if it is time.
 */
void *
txn_main(void *arg)
{
	int64_t	last = 0;

	(void)arg;
	while (!peerd_quit) {
		/*
		 * When another process of the marketplace died, leave for
		 * recovery now, not in the middle of the next write.
		 */
		store_check(pd->store);
		lock_tick();
		if (lock_now_ms() - last >= 1000) {
			txn_resend();
			txn_ask();
			store_checkpoint(pd->store);
			last = lock_now_ms();
		}
		usleep(200 * 1000);
	}
	return (NULL);
}
