/*
 * The checkout's lock: Lamport's distributed mutual exclusion (Lamport
 * 1978, section "Mutual exclusion"), over the products of a cart.
 *
 * A checkout asks for all its products at once.  Its request takes a
 * tick of the clock, ts, and (ts, marketplace) orders it among all the
 * requests of the network.  It goes into this marketplace's queue and, as
 * POST /peer/lock/request, to every peer, whose answer is the
 * acknowledgement.  The checkout enters when every peer has acknowledged
 * it and no request in the queue that shares a product with it comes
 * before it; it waits only for those.  When it is done it leaves the
 * queue and sends POST /peer/lock/release to every peer.
 *
 * The algorithm assumes that messages arrive, once, in the order they
 * were sent, and that nobody fails; HTTP over separate connections gives
 * none of that.  What this does about each case:
 *
 *  A	An acknowledgement can overtake an earlier request of its sender.
 *	So every acknowledgement carries the sender's own pending requests
 *	(queued or holding): the requester learns them no later than the
 *	acknowledgement.  A request of j earlier than ours is either in the
 *	acknowledgement of j, or was over when j sent it; one made after it
 *	has a later timestamp than ours, for j's clock passed ours first.
 *	Making a request and putting it in the queue is one step under
 *	pd->lock, and so is answering, so no request falls between.
 *  B	A release can overtake its request, or an acknowledgement that
 *	lists it.  Every message also carries the sender's floor: the
 *	timestamp of its oldest pending request, or its clock when it has
 *	none.  Every request of the sender below the floor is over, and the
 *	floor never goes down, so a request below the highest floor heard is
 *	dropped.  A release above it leaves a tombstone, which drops its
 *	request should it come later; tombstones go once the floor passes
 *	them, or after a time no signed message can outlive (PEER_WINDOW).
 *  C	Answers get lost and calls are tried again.  Everything is keyed
 *	by (ts, marketplace) and handling a message twice does nothing more.
 *	A release that found no answer is sent again until it does; the
 *	floor of any later message clears its request too.
 *  D	A marketplace crashes while waiting or holding.  Each start takes
 *	a new incarnation, kept in meta.db and sent with every message; a
 *	peer that hears a higher one drops the older one's requests, and
 *	ignores its messages still in flight.  The start also tells every
 *	peer at once (POST /peer/lock/hello).  One that never returns has
 *	its requests dropped when their lease runs out; the owners' fencing
 *	keeps stock safe should a lease run out under a holder that is
 *	merely slow (lib/store.c, store_reserve).
 *  E	A restarted marketplace has an empty queue: it learns every earlier
 *	request from the acknowledgements of its own, as in A.  Its clock
 *	starts above where it was (peer-clock.c), and so does its floor.
 *  F	Ties: (ts, marketplace name) is a total order, the same everywhere.
 *  G	A request waits only for earlier ones that share a product: waits
 *	point from later to earlier timestamps, so none is ever circular.
 *
 * tests/lamport.pml models this protocol for spin.
 */

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "jsonutil.h"
#include "log.h"
#include "peerd.h"
#include "valid.h"
#include "xmalloc.h"

/* One request in the queue: ours or a peer's. */
struct lock_entry {
	uint64_t		 ts;
	char			 market[MARKET_NAME_MAX + 1];
	struct peer		*peer;		/* NULL for ours */
	int			 nproducts;
	char			(*products)[PRODUCT_ID_MAX + 1];
	uint32_t		 acked;		/* ours: peers that acked */
	int			 holding;	/* it has entered, as far as
						   we know */
	int64_t			 since;		/* queued at, ms */
	struct lock_entry	*next;
};

/* Milliseconds of a monotonic clock. */
int64_t
lock_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Microseconds of the wall clock, for the log of grants and releases. */
static long long
lock_wall_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* Does request (ts1, m1) come before (ts2, m2)?  Case F. */
static int
lock_before(uint64_t ts1, const char *m1, uint64_t ts2, const char *m2)
{
	return (ts1 < ts2 || (ts1 == ts2 && strcmp(m1, m2) < 0));
}

/* Do two requests share a product? */
static int
lock_overlap(const struct lock_entry *a, const struct lock_entry *b)
{
	int	i, j;

	for (i = 0; i < a->nproducts; i++)
		for (j = 0; j < b->nproducts; j++)
			if (strcmp(a->products[i], b->products[j]) == 0)
				return (1);
	return (0);
}

/* The products of a request, joined by commas, for the log. */
static void
lock_products_text(const struct lock_entry *e, struct buf *b)
{
	int	i;

	for (i = 0; i < e->nproducts; i++)
		buf_addf(b, "%s%s", i > 0 ? "," : "", e->products[i]);
}

/* Free an entry that is out of the queue. */
static void
lock_entry_free(struct lock_entry *e)
{
	free(e->products);
	free(e);
}

/* The entry (ts, market), or NULL; lock held. */
static struct lock_entry *
lock_find(uint64_t ts, const char *market)
{
	struct lock_entry	*e;

	for (e = pd->queue; e != NULL; e = e->next)
		if (e->ts == ts && strcmp(e->market, market) == 0)
			return (e);
	return (NULL);
}

/* Take e out of the queue and wake the waiting checkouts; lock held. */
static void
lock_unlink(struct lock_entry *e)
{
	struct lock_entry	**pp;

	for (pp = &pd->queue; *pp != NULL; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	pthread_cond_broadcast(&pd->lock_cond);
}

/*
 * Our floor: the timestamp of our oldest pending request, or the clock
 * when there is none.  Every request of ours below it is over.  Lock held.
 */
static uint64_t
lock_floor_locked(void)
{
	struct lock_entry	*e;
	uint64_t		 floor = pd->clock;

	for (e = pd->queue; e != NULL; e = e->next)
		if (e->peer == NULL && e->ts < floor)
			floor = e->ts;
	return (floor);
}

/* Is there a tombstone of p's request ts?  Lock held. */
static int
lock_tomb_has(const struct peer *p, uint64_t ts)
{
	size_t	i;

	for (i = 0; i < p->ntombs; i++)
		if (p->tombs[i].ts == ts)
			return (1);
	return (0);
}

/*
 * Append ts to the list of n (of size) timestamps, to be kept as long as
 * a signed message may live, twice over.
 */
static void
lock_tomb_push(struct lock_tomb **list, size_t *n, size_t *size, uint64_t ts)
{
	if (*n == *size) {
		*size = *size == 0 ? 16 : *size * 2;
		*list = xreallocarray(*list, *size, sizeof **list);
	}
	(*list)[*n].ts = ts;
	(*list)[*n].until = lock_now_ms() + 2000 * PEER_WINDOW;
	(*n)++;
}

/* Remember that p's request ts is over; lock held. */
static void
lock_tomb_add(struct peer *p, uint64_t ts)
{
	if (ts >= p->lock_floor && !lock_tomb_has(p, ts))
		lock_tomb_push(&p->tombs, &p->ntombs, &p->tombs_size, ts);
}

/* Drop p's tombstones below its floor or past their time; lock held. */
static void
lock_tomb_prune(struct peer *p, int64_t now)
{
	size_t	i, n = 0;

	for (i = 0; i < p->ntombs; i++)
		if (p->tombs[i].ts >= p->lock_floor && p->tombs[i].until > now)
			p->tombs[n++] = p->tombs[i];
	p->ntombs = n;
}

/* Drop p's requests that are over: below its floor.  Lock held. */
static void
lock_drop_below(struct peer *p)
{
	struct lock_entry	*e, *next;

	for (e = pd->queue; e != NULL; e = next) {
		next = e->next;
		if (e->peer == p && e->ts < p->lock_floor) {
			lock_unlink(e);
			lock_entry_free(e);
		}
	}
}

/*
 * Take what a message of p says about p: its incarnation and its floor
 * (case B and D).  A higher incarnation drops every request of the older
 * one.  Returns 0, or -1 for a message of an older incarnation, which is
 * to be ignored.  Lock held.
 */
static int
lock_hear(struct peer *p, uint64_t inc, uint64_t floor)
{
	struct lock_entry	*e, *next;

	if (inc < p->lock_inc)
		return (-1);
	if (inc > p->lock_inc) {
		if (p->lock_inc != 0)
			log_info("lock: %s is in incarnation %" PRIu64
			    " now; its older requests are dropped",
			    p->conf->name, inc);
		for (e = pd->queue; e != NULL; e = next) {
			next = e->next;
			if (e->peer == p) {
				lock_unlink(e);
				lock_entry_free(e);
			}
		}
		p->lock_inc = inc;
		p->ntombs = 0;
		p->lock_floor = 0;
	}
	if (floor > p->lock_floor) {
		p->lock_floor = floor;
		lock_drop_below(p);
		lock_tomb_prune(p, lock_now_ms());
	}
	return (0);
}

/*
 * Read the array v of field into a new list of unique product ids in
 * *products (which the caller frees) and their number in *n.  Returns 0,
 * or -1 with f.
 */
static int
lock_products_from_json(struct json_object *v, const char *field,
    char (**products)[PRODUCT_ID_MAX + 1], int *n, struct fail *f)
{
	char	(*list)[PRODUCT_ID_MAX + 1];
	size_t	 len, i;
	int	 k, j;

	*products = NULL;
	*n = 0;
	if (v == NULL || !json_object_is_type(v, json_type_array) ||
	    (len = json_object_array_length(v)) == 0 ||
	    len > ORDER_ITEMS_MAX) {
		fail_set(f, 400, field, "%s must be an array of 1 to %d "
		    "product ids", field, ORDER_ITEMS_MAX);
		return (-1);
	}
	list = xcalloc(len, sizeof *list);
	for (i = 0, k = 0; i < len; i++) {
		if (jsonutil_text(json_object_array_get_idx(v, i), field,
		    list[k], sizeof list[k], f) == -1 ||
		    !valid_product_id(list[k])) {
			fail_set(f, 400, field, "%s holds a bad product id",
			    field);
			free(list);
			return (-1);
		}
		for (j = 0; j < k; j++)
			if (strcmp(list[j], list[k]) == 0)
				break;
		if (j == k)
			k++;
	}
	*products = list;
	*n = k;
	return (0);
}

/* The products of e as a JSON array. */
static struct json_object *
lock_products_json(const struct lock_entry *e)
{
	struct json_object	*a = json_object_new_array();
	int			 i;

	for (i = 0; i < e->nproducts; i++)
		json_object_array_add(a,
		    json_object_new_string(e->products[i]));
	return (a);
}

/* A new object with our incarnation and floor, that every message has. */
static struct json_object *
lock_message_locked(void)
{
	struct json_object	*obj = json_object_new_object();

	json_object_object_add(obj, "inc",
	    json_object_new_int64((int64_t)pd->incarnation));
	json_object_object_add(obj, "floor",
	    json_object_new_int64((int64_t)lock_floor_locked()));
	return (obj);
}

/* Our pending requests, as an acknowledgement carries them.  Lock held. */
static struct json_object *
lock_pending_locked(void)
{
	struct json_object	*list = json_object_new_array(), *item;
	struct lock_entry	*e;

	for (e = pd->queue; e != NULL; e = e->next) {
		if (e->peer != NULL)
			continue;
		item = json_object_new_object();
		json_object_object_add(item, "ts",
		    json_object_new_int64((int64_t)e->ts));
		json_object_object_add(item, "products", lock_products_json(e));
		json_object_array_add(list, item);
	}
	return (list);
}

/*
 * Queue p's request ts over products (which this takes), unless it is
 * over or queued already.  Lock held.
 */
static void
lock_learn(struct peer *p, uint64_t ts, char (*products)[PRODUCT_ID_MAX + 1],
    int n)
{
	struct lock_entry	*e;

	if (ts < p->lock_floor || lock_tomb_has(p, ts) ||
	    lock_find(ts, p->conf->name) != NULL) {
		free(products);
		return;
	}
	e = xcalloc(1, sizeof *e);
	e->ts = ts;
	snprintf(e->market, sizeof e->market, "%s", p->conf->name);
	e->peer = p;
	e->products = products;
	e->nproducts = n;
	e->since = lock_now_ms();
	e->next = pd->queue;
	pd->queue = e;
}

/*
 * Read the members every lock message has, "inc" and "floor", from obj.
 * Returns 0, or -1 with f.
 */
static int
lock_read_base(struct json_object *obj, uint64_t *inc, uint64_t *floor,
    struct fail *f)
{
	struct json_object	*v;
	int64_t			 n;

	if (jsonutil_object(obj, NULL, f) == -1)
		return (-1);
	if (!json_object_object_get_ex(obj, "inc", &v) ||
	    jsonutil_int(v, "inc", 1, INT64_MAX, &n, f) == -1) {
		fail_set(f, 400, "inc", "inc must be an incarnation, from 1");
		return (-1);
	}
	*inc = (uint64_t)n;
	if (!json_object_object_get_ex(obj, "floor", &v) ||
	    jsonutil_int(v, "floor", 0, INT64_MAX, &n, f) == -1) {
		fail_set(f, 400, "floor", "floor must be a clock value");
		return (-1);
	}
	*floor = (uint64_t)n;
	return (0);
}

/* Refuse members of obj other than those in names. */
static int
lock_only(struct json_object *obj, const char *const *names, struct fail *f)
{
	const char *const	*n;

	json_object_object_foreach(obj, key, val) {
		(void)val;
		for (n = names; *n != NULL; n++)
			if (strcmp(key, *n) == 0)
				break;
		if (*n == NULL) {
			fail_set(f, 400, key, "unknown field \"%.40s\"", key);
			return (-1);
		}
	}
	return (0);
}

/*
 * Read the pending requests of an acknowledgement: [{"ts", "products"}].
 * Every one is checked before any is taken.  Lock held.
 */
static int
lock_take_pending(struct peer *p, struct json_object *list, struct fail *f)
{
	static const char *const names[] = { "ts", "products", NULL };
	char		(*products[ORDER_ITEMS_MAX])[PRODUCT_ID_MAX + 1];
	int		 n[ORDER_ITEMS_MAX];
	int64_t		 ts[ORDER_ITEMS_MAX];
	struct json_object *item, *v;
	size_t		 len, i, k;

	if (!json_object_is_type(list, json_type_array) ||
	    (len = json_object_array_length(list)) > ORDER_ITEMS_MAX) {
		fail_set(f, 400, "pending", "pending must be an array of at "
		    "most %d requests", ORDER_ITEMS_MAX);
		return (-1);
	}
	for (i = 0; i < len; i++) {
		item = json_object_array_get_idx(list, i);
		if (jsonutil_object(item, "pending", f) == -1 ||
		    lock_only(item, names, f) == -1 ||
		    !json_object_object_get_ex(item, "ts", &v) ||
		    jsonutil_int(v, "pending", 1, INT64_MAX, &ts[i], f) ==
		    -1 ||
		    !json_object_object_get_ex(item, "products", &v) ||
		    lock_products_from_json(v, "pending", &products[i], &n[i],
		    f) == -1) {
			fail_set(f, 400, "pending", "a pending request is "
			    "malformed");
			for (k = 0; k < i; k++)
				free(products[k]);
			return (-1);
		}
	}
	for (i = 0; i < len; i++)
		lock_learn(p, (uint64_t)ts[i], products[i], n[i]);
	return (0);
}

/*
 * Take peer p's acknowledgement of our request e: {"inc", "floor",
 * "pending"}.  Returns 0 when it counts, -1 when it is malformed.  Lock
 * held.
 */
static int
lock_take_ack(struct peer *p, struct lock_entry *e, const struct buf *answer)
{
	static const char *const names[] = { "inc", "floor", "pending", NULL };
	struct json_object	*obj, *list;
	struct fail		 f;
	uint64_t		 inc, floor;
	int			 rc = -1;

	fail_clear(&f);
	if ((obj = jsonutil_parse(answer->data, answer->len, &f)) != NULL &&
	    lock_read_base(obj, &inc, &floor, &f) == 0 &&
	    lock_only(obj, names, &f) == 0 &&
	    json_object_object_get_ex(obj, "pending", &list) &&
	    lock_hear(p, inc, floor) == 0 &&
	    lock_take_pending(p, list, &f) == 0) {
		e->acked |= 1u << (p - pd->peers);
		rc = 0;
	}
	if (rc == -1)
		log_warnx("lock: %s's acknowledgement refused: %s",
		    p->conf->name, f.error[0] != '\0' ? f.error :
		    "of an older incarnation, or without pending");
	json_object_put(obj);
	return (rc);
}

/* The bits of every peer. */
static uint32_t
lock_all_peers(void)
{
	return (pd->npeers == 0 ? 0 : (uint32_t)((1ull << pd->npeers) - 1));
}

/*
 * May our request e enter?  Every peer acknowledged it and no request
 * that shares a product with it comes before it.  Lock held.
 */
static int
lock_may_enter(const struct lock_entry *e)
{
	const struct lock_entry	*x;

	if (e->acked != lock_all_peers())
		return (0);
	for (x = pd->queue; x != NULL; x = x->next)
		if (x != e && lock_before(x->ts, x->market, e->ts, e->market) &&
		    lock_overlap(x, e))
			return (0);
	return (1);
}

/* Write a line of the log of grants and releases. */
static void
lock_log(const char *what, const struct lock_entry *e, int64_t waited)
{
	struct buf	b;

	buf_init(&b);
	lock_products_text(e, &b);
	log_info("lock: %s ts=%" PRIu64 " market=%s at=%lld waited=%lldms "
	    "products=%s", what, e->ts, e->market, lock_wall_us(),
	    (long long)waited, buf_str(&b));
	buf_free(&b);
}

/*
 * Send the request e to every peer that has not acknowledged it, all at
 * once, and take their acknowledgements; peers that give none are tried
 * again while time is left before deadline (ms).  Returns the first peer
 * that never acknowledged, or NULL when all did.
 */
static struct peer *
lock_ask(struct lock_entry *e, int64_t deadline)
{
	struct json_object	*obj;
	struct call		*calls;
	struct peer		*missing = NULL;
	const char		*body;
	int64_t			 left;
	int			 i, n, try;

	pthread_mutex_lock(&pd->lock);
	obj = lock_message_locked();
	pthread_mutex_unlock(&pd->lock);
	json_object_object_add(obj, "ts",
	    json_object_new_int64((int64_t)e->ts));
	json_object_object_add(obj, "products", lock_products_json(e));
	body = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	calls = xcalloc((size_t)pd->npeers + 1, sizeof *calls);
	for (try = 0; try < LOCK_TRIES; try++) {
		left = deadline - lock_now_ms();
		if (left < 50 || e->acked == lock_all_peers())
			break;
		for (i = 0, n = 0; i < pd->npeers; i++) {
			if (e->acked & (1u << i))
				continue;
			call_init(&calls[n++], &pd->peers[i],
			    KIND_LOCK_REQUEST, "POST", "/peer/lock/request",
			    body, left < PEER_TIMEOUT_MS ? left :
			    PEER_TIMEOUT_MS);
		}
		call_run(calls, n);
		pthread_mutex_lock(&pd->lock);
		for (i = 0; i < n; i++)
			if (calls[i].ok && calls[i].status == 200)
				lock_take_ack(calls[i].peer, e,
				    &calls[i].answer);
		pthread_mutex_unlock(&pd->lock);
		for (i = 0; i < n; i++)
			call_free(&calls[i]);
	}
	for (i = 0; i < pd->npeers; i++)
		if (!(e->acked & (1u << i))) {
			missing = &pd->peers[i];
			break;
		}
	free(calls);
	json_object_put(obj);
	return (missing);
}

/* Add our request ts to p's list of releases to deliver; lock held. */
static void
lock_unsent_add(struct peer *p, uint64_t ts)
{
	/* The oldest goes first; a later floor clears it anyway. */
	if (p->nunsent == LOCK_RELEASE_MAX) {
		memmove(p->unsent, p->unsent + 1,
		    (p->nunsent - 1) * sizeof *p->unsent);
		p->nunsent--;
	}
	lock_tomb_push(&p->unsent, &p->nunsent, &p->unsent_size, ts);
}

/*
 * Take out of p's list the releases that the message obj delivered, and
 * those too old to matter: no peer takes a message signed that long ago,
 * and p's floor has passed them or its lease has run out.  Lock held.
 */
static void
lock_unsent_drop(struct peer *p, struct json_object *obj)
{
	struct json_object	*list = NULL;
	int64_t			 now = lock_now_ms();
	size_t			 i, j, n = 0, len = 0;
	int			 sent;

	if (obj != NULL && json_object_object_get_ex(obj, "ts", &list))
		len = json_object_array_length(list);
	for (i = 0; i < p->nunsent; i++) {
		sent = 0;
		for (j = 0; j < len; j++)
			if ((uint64_t)json_object_get_int64(
			    json_object_array_get_idx(list, j)) ==
			    p->unsent[i].ts)
				sent = 1;
		if (!sent && p->unsent[i].until > now)
			p->unsent[n++] = p->unsent[i];
	}
	p->nunsent = n;
}

/*
 * Make, in objs (CONF_PEERS_MAX of them), the releases in the lists of
 * releases not yet delivered of the peers in mask, one message body per
 * peer, its peer in peers.  Returns how many; the caller sends each and
 * hands it to lock_releases_sent.  Lock not held.
 */
int
lock_releases_take(uint32_t mask, struct peer **peers,
    struct json_object **objs)
{
	struct json_object	*list;
	struct peer		*p;
	size_t			 k;
	int			 i, n = 0;

	pthread_mutex_lock(&pd->lock);
	for (i = 0; i < pd->npeers; i++) {
		p = &pd->peers[i];
		if (p->nunsent == 0 || !(mask & (1u << i)))
			continue;
		objs[n] = lock_message_locked();
		list = json_object_new_array();
		for (k = 0; k < p->nunsent; k++)
			json_object_array_add(list,
			    json_object_new_int64((int64_t)p->unsent[k].ts));
		json_object_object_add(objs[n], "ts", list);
		peers[n++] = p;
	}
	pthread_mutex_unlock(&pd->lock);
	return (n);
}

/*
 * The release obj that lock_releases_take made for p was sent: when it
 * was delivered, what it carried leaves p's list, and what came since
 * stays.  Puts obj.
 */
void
lock_releases_sent(struct peer *p, struct json_object *obj, int delivered)
{
	if (delivered) {
		pthread_mutex_lock(&pd->lock);
		lock_unsent_drop(p, obj);
		pthread_mutex_unlock(&pd->lock);
	}
	json_object_put(obj);
}

/* Send the releases not yet delivered to the peers in mask, now. */
static void
lock_send_releases(uint32_t mask)
{
	struct json_object	*objs[CONF_PEERS_MAX];
	struct peer		*peers[CONF_PEERS_MAX];
	struct call		 calls[CONF_PEERS_MAX];
	int			 i, n, delivered;

	n = lock_releases_take(mask, peers, objs);
	for (i = 0; i < n; i++)
		call_init(&calls[i], peers[i], KIND_LOCK_RELEASE, "POST",
		    "/peer/lock/release", json_object_to_json_string_ext(
		    objs[i], JSON_C_TO_STRING_PLAIN), 0);
	if (n > 0)
		call_run(calls, n);
	for (i = 0; i < n; i++) {
		delivered = calls[i].ok && calls[i].status == 200;
		call_free(&calls[i]);
		lock_releases_sent(peers[i], objs[i], delivered);
	}
}

/*
 * Lock the products (unique ids, n of them) for a checkout: queue the
 * request, have every peer acknowledge it, and wait until no earlier
 * request shares a product with it.  Returns 0 with the held request in
 * *out, for lock_release; or -1 with f: 503 naming the marketplace that
 * did not acknowledge, or 503 when earlier requests held the products
 * past LOCK_WAIT_MS.  After a failure nothing is held.
 */
int
lock_acquire(const char (*products)[PRODUCT_ID_MAX + 1], int n,
    struct lock_entry **out, struct fail *f)
{
	struct lock_entry	*e, *x;
	struct peer		*missing;
	struct timespec		 until;
	int64_t			 deadline;

	*out = NULL;
	e = xcalloc(1, sizeof *e);
	e->products = xcalloc((size_t)n, sizeof *e->products);
	memcpy(e->products, products, (size_t)n * sizeof *e->products);
	e->nproducts = n;
	snprintf(e->market, sizeof e->market, "%s", pd->conf.name);
	e->since = lock_now_ms();

	/* The request's time and its place in the queue: one step. */
	pthread_mutex_lock(&pd->lock);
	e->ts = clock_receive_locked(0);
	e->next = pd->queue;
	pd->queue = e;
	pthread_mutex_unlock(&pd->lock);

	if ((missing = lock_ask(e, e->since + LOCK_ACK_MS)) != NULL) {
		fail_set(f, 503, NULL, "marketplace %s cannot be reached; "
		    "nothing was bought", missing->conf->name);
		snprintf(f->marketplace, sizeof f->marketplace, "%s",
		    missing->conf->name);
		lock_release(e);
		return (-1);
	}

	deadline = lock_now_ms() + LOCK_WAIT_MS;
	pthread_mutex_lock(&pd->lock);
	while (!lock_may_enter(e)) {
		if (lock_now_ms() >= deadline)
			break;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += 50 * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&pd->lock_cond, &pd->lock, &until);
	}
	if (!lock_may_enter(e)) {
		/* Name the marketplace of the earliest request in the way. */
		for (x = pd->queue; x != NULL; x = x->next)
			if (x != e && lock_overlap(x, e) &&
			    lock_before(x->ts, x->market, e->ts, e->market))
				break;
		fail_set(f, 503, NULL, "the products are held by a checkout "
		    "of %s that does not end; nothing was bought",
		    x != NULL ? x->market : pd->conf.name);
		snprintf(f->marketplace, sizeof f->marketplace, "%s",
		    x != NULL ? x->market : pd->conf.name);
		pthread_mutex_unlock(&pd->lock);
		lock_release(e);
		return (-1);
	}
	e->holding = 1;
	lock_log("granted", e, lock_now_ms() - e->since);
	pthread_mutex_unlock(&pd->lock);
	*out = e;
	return (0);
}

/*
 * Take our request e, held or not, out of the queue, and mark its release
 * for every peer; e is freed.  Returns the peers to send the release to
 * now: those that acknowledged it.  The others, and any that does not
 * answer, get it from lock_tick, so that a peer that is down slows no
 * checkout.
 */
uint32_t
lock_leave(struct lock_entry *e)
{
	uint32_t	acked = e->acked;
	int		i;

	pthread_mutex_lock(&pd->lock);
	if (e->holding)
		lock_log("released", e, lock_now_ms() - e->since);
	lock_unlink(e);
	for (i = 0; i < pd->npeers; i++)
		lock_unsent_add(&pd->peers[i], e->ts);
	pthread_mutex_unlock(&pd->lock);
	lock_entry_free(e);
	return (acked);
}

/* Release our request e, held or not, and tell the peers now; e is freed. */
void
lock_release(struct lock_entry *e)
{
	lock_send_releases(lock_leave(e));
}

/*
 * Peer p's request ts has entered: a prepare under it came here, and a
 * coordinator prepares only once its lock is held.  From now on the
 * queue shows it holding.
 */
void
lock_peer_holds(struct peer *p, uint64_t ts)
{
	struct lock_entry	*e;

	pthread_mutex_lock(&pd->lock);
	if ((e = lock_find(ts, p->conf->name)) != NULL)
		e->holding = 1;
	pthread_mutex_unlock(&pd->lock);
}

/* The timestamp of our request e. */
uint64_t
lock_ts(const struct lock_entry *e)
{
	return (e->ts);
}

/*
 * POST /peer/lock/request from p: {"inc", "floor", "ts", "products"}.
 * The request is queued unless it is over, and the answer is the
 * acknowledgement: {"inc", "floor", "pending"}, our own requests.
 * Returns the status, the answer in out.
 */
int
lock_on_request(struct peer *p, const struct buf *body, struct buf *out)
{
	static const char *const names[] = {
		"inc", "floor", "ts", "products", NULL
	};
	struct json_object	*obj, *v, *ack;
	char			(*products)[PRODUCT_ID_MAX + 1] = NULL;
	struct fail		 f;
	uint64_t		 inc, floor;
	int64_t			 ts;
	int			 n;

	fail_clear(&f);
	if ((obj = jsonutil_parse(body->data, body->len, &f)) == NULL ||
	    lock_read_base(obj, &inc, &floor, &f) == -1 ||
	    lock_only(obj, names, &f) == -1 ||
	    !json_object_object_get_ex(obj, "ts", &v) ||
	    jsonutil_int(v, "ts", 1, INT64_MAX, &ts, &f) == -1 ||
	    !json_object_object_get_ex(obj, "products", &v) ||
	    lock_products_from_json(v, "products", &products, &n, &f) == -1) {
		fail_set(&f, 400, NULL, "a lock request needs inc, floor, ts "
		    "and products");
		json_object_put(obj);
		return (local_fail(out, &f));
	}
	json_object_put(obj);
	pthread_mutex_lock(&pd->lock);
	if (lock_hear(p, inc, floor) == 0)
		lock_learn(p, (uint64_t)ts, products, n);
	else
		free(products);
	ack = lock_message_locked();
	json_object_object_add(ack, "pending", lock_pending_locked());
	pthread_mutex_unlock(&pd->lock);
	return (local_answer(out, ack, 200));
}

/*
 * Read a release, {"inc", "floor", "ts": [...]}, from obj into rel.
 * Returns 0, or -1 with f.
 */
int
lock_release_read(struct json_object *obj, struct lock_release *rel,
    struct fail *f)
{
	static const char *const names[] = { "inc", "floor", "ts", NULL };
	struct json_object	*list;
	size_t			 i;
	int			 rc;

	rc = obj != NULL &&
	    lock_read_base(obj, &rel->inc, &rel->floor, f) == 0 &&
	    lock_only(obj, names, f) == 0 &&
	    json_object_object_get_ex(obj, "ts", &list) &&
	    json_object_is_type(list, json_type_array) &&
	    (rel->n = json_object_array_length(list)) <= LOCK_RELEASE_MAX;
	for (i = 0; rc && i < rel->n; i++)
		rc = jsonutil_int(json_object_array_get_idx(list, i), "ts", 1,
		    INT64_MAX, &rel->ts[i], f) == 0;
	if (!rc) {
		fail_set(f, 400, NULL, "a release needs inc, floor and ts, "
		    "an array of at most %d timestamps", LOCK_RELEASE_MAX);
		return (-1);
	}
	return (0);
}

/*
 * Apply release rel of p: its requests leave the queue, and leave
 * tombstones should they come after it (B).
 */
void
lock_release_apply(struct peer *p, const struct lock_release *rel)
{
	struct lock_entry	*e;
	size_t			 i;

	pthread_mutex_lock(&pd->lock);
	if (lock_hear(p, rel->inc, rel->floor) == 0) {
		for (i = 0; i < rel->n; i++) {
			if ((e = lock_find((uint64_t)rel->ts[i],
			    p->conf->name)) != NULL) {
				lock_unlink(e);
				lock_entry_free(e);
			}
			lock_tomb_add(p, (uint64_t)rel->ts[i]);
		}
	}
	pthread_mutex_unlock(&pd->lock);
}

/*
 * POST /peer/lock/release from p: {"inc", "floor", "ts": [...]}, its
 * requests that are over.  Answers {"inc", "floor"}.
 */
int
lock_on_release(struct peer *p, const struct buf *body, struct buf *out)
{
	struct json_object	*obj;
	struct lock_release	 rel;
	struct fail		 f;

	fail_clear(&f);
	obj = jsonutil_parse(body->data, body->len, &f);
	if (lock_release_read(obj, &rel, &f) == -1) {
		json_object_put(obj);
		return (local_fail(out, &f));
	}
	json_object_put(obj);
	lock_release_apply(p, &rel);
	pthread_mutex_lock(&pd->lock);
	obj = lock_message_locked();
	pthread_mutex_unlock(&pd->lock);
	return (local_answer(out, obj, 200));
}

/*
 * POST /peer/lock/hello from p: {"inc", "floor"}, sent when it starts,
 * and again when it has releases we may have missed.  Answers {"inc",
 * "floor"}.
 */
int
lock_on_hello(struct peer *p, const struct buf *body, struct buf *out)
{
	static const char *const names[] = { "inc", "floor", NULL };
	struct json_object	*obj;
	struct fail		 f;
	uint64_t		 inc, floor;

	fail_clear(&f);
	if ((obj = jsonutil_parse(body->data, body->len, &f)) == NULL ||
	    lock_read_base(obj, &inc, &floor, &f) == -1 ||
	    lock_only(obj, names, &f) == -1) {
		json_object_put(obj);
		fail_set(&f, 400, NULL, "a hello needs inc and floor");
		return (local_fail(out, &f));
	}
	json_object_put(obj);
	pthread_mutex_lock(&pd->lock);
	lock_hear(p, inc, floor);
	obj = lock_message_locked();
	pthread_mutex_unlock(&pd->lock);
	return (local_answer(out, obj, 200));
}

/* Tell every peer that has not heard it yet of our incarnation. */
static void
lock_send_hellos(void)
{
	struct json_object	*obj;
	struct call		 calls[CONF_PEERS_MAX];
	const char		*body;
	int			 i, n = 0;

	pthread_mutex_lock(&pd->lock);
	obj = lock_message_locked();
	pthread_mutex_unlock(&pd->lock);
	body = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	for (i = 0; i < pd->npeers; i++) {
		if (pd->peers[i].hello_due)
			call_init(&calls[n++], &pd->peers[i], KIND_HELLO,
			    "POST", "/peer/lock/hello", body, 0);
	}
	if (n > 0)
		call_run(calls, n);
	for (i = 0; i < n; i++) {
		if (calls[i].ok && calls[i].status == 200) {
			pthread_mutex_lock(&pd->lock);
			calls[i].peer->hello_due = 0;
			pthread_mutex_unlock(&pd->lock);
		}
		call_free(&calls[i]);
	}
	json_object_put(obj);
}

/*
 * The lock's housework, a few times a second: drop peers' requests whose
 * lease ran out, forget old tombstones, and send again the releases and
 * hellos that found no answer.
 */
void
lock_tick(void)
{
	struct lock_entry	*e, *next;
	struct peer		*p;
	int64_t			 now = lock_now_ms();
	int			 i;

	pthread_mutex_lock(&pd->lock);
	for (e = pd->queue; e != NULL; e = next) {
		next = e->next;
		if (e->peer == NULL || now - e->since < LOCK_LEASE_MS)
			continue;
		lock_log("lease over", e, now - e->since);
		lock_tomb_add(e->peer, e->ts);
		lock_unlink(e);
		lock_entry_free(e);
	}
	for (i = 0; i < pd->npeers; i++) {
		p = &pd->peers[i];
		lock_tomb_prune(p, now);
		lock_unsent_drop(p, NULL);
	}
	pthread_mutex_unlock(&pd->lock);
	lock_send_releases(lock_all_peers());
	lock_send_hellos();
}

/*
 * Start the lock: take the next incarnation, which every message will
 * carry, and have every peer told of it.  Returns 0, or -1 after logging.
 */
int
lock_start(void)
{
	pthread_condattr_t	attr;
	struct fail		f;
	int			i;

	fail_clear(&f);
	/* Waits are timed on the monotonic clock, as lock_now_ms is. */
	if (pthread_condattr_init(&attr) != 0 ||
	    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&pd->lock_cond, &attr) != 0)
		fatalx("lock: cannot make the queue's condition");
	pthread_condattr_destroy(&attr);
	if (store_counter_bump(pd->store, "incarnation", &pd->incarnation,
	    &f) == -1) {
		log_warnx("lock: cannot take an incarnation: %s", f.error);
		return (-1);
	}
	for (i = 0; i < pd->npeers; i++)
		pd->peers[i].hello_due = 1;
	return (0);
}

/* Free what the lock holds at exit. */
void
lock_stop(void)
{
	struct lock_entry	*e, *next;
	int			 i;

	for (e = pd->queue; e != NULL; e = next) {
		next = e->next;
		lock_entry_free(e);
	}
	pd->queue = NULL;
	for (i = 0; i < pd->npeers; i++) {
		free(pd->peers[i].tombs);
		free(pd->peers[i].unsent);
	}
	pthread_cond_destroy(&pd->lock_cond);
}

/*
 * Add the lock to a status object: our incarnation, and the queue, each
 * request with its timestamp, marketplace, products, state and how long
 * it has waited, earliest first.
 */
void
lock_status(struct json_object *obj)
{
	struct json_object	*list, *item;
	struct lock_entry	*e, *best, *last = NULL;
	int64_t			 now = lock_now_ms();

	list = json_object_new_array();
	pthread_mutex_lock(&pd->lock);
	json_object_object_add(obj, "incarnation",
	    json_object_new_int64((int64_t)pd->incarnation));
	/* Earliest first: pick the next in (ts, market) order each time. */
	for (;;) {
		best = NULL;
		for (e = pd->queue; e != NULL; e = e->next) {
			if (last != NULL && !lock_before(last->ts,
			    last->market, e->ts, e->market))
				continue;
			if (best == NULL || lock_before(e->ts, e->market,
			    best->ts, best->market))
				best = e;
		}
		if (best == NULL)
			break;
		item = json_object_new_object();
		json_object_object_add(item, "ts",
		    json_object_new_int64((int64_t)best->ts));
		json_object_object_add(item, "marketplace",
		    json_object_new_string(best->market));
		json_object_object_add(item, "products",
		    lock_products_json(best));
		json_object_object_add(item, "state", json_object_new_string(
		    best->holding ? "holding" : best->peer != NULL ? "queued" :
		    "waiting"));
		json_object_object_add(item, "waited_ms",
		    json_object_new_int64(now - best->since));
		json_object_object_add(item, "mine",
		    json_object_new_boolean(best->peer == NULL));
		json_object_array_add(list, item);
		last = best;
	}
	pthread_mutex_unlock(&pd->lock);
	json_object_object_add(obj, "queue", list);
}
