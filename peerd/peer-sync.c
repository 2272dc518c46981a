/*
 * The shared gallery: one thread pushes this marketplace's changes to
 * every peer as they happen and asks every peer for its changes every
 * PEER_CATCHUP_SECONDS, all peers in parallel (peer-call.c), on
 * connections that stay open between rounds.
 *
 * Catch-up: each owner numbers its own changes (lib/store.c, change_seq)
 * and each marketplace remembers, per peer, the number up to which it
 * holds every change ("held").  A pull asks for the changes after held; a
 * push says which number it follows ("prev"), so a push that comes after
 * a lost one is applied but does not move held, and the next pull fills
 * the gap.  The gallery keeps a product only if its change number is
 * above the one it holds, so nothing is applied twice or over newer data.
 */

#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "jsonutil.h"
#include "log.h"
#include "peerd.h"
#include "product.h"
#include "valid.h"
#include "xmalloc.h"

/* Most products one push or catch-up answer may carry. */
#define SYNC_TAKE_MAX	100000

/* Pushes are at least this far apart, in milliseconds. */
#define SYNC_PUSH_GAP_MS	20

const char *const kind_names[KIND__MAX] = {
	"changes",	/* KIND_CHANGES */
	"catchup",	/* KIND_CATCHUP */
	"product",	/* KIND_PRODUCT */
	"hello",	/* KIND_HELLO */
	"lock_request",	/* KIND_LOCK_REQUEST */
	"lock_release",	/* KIND_LOCK_RELEASE */
	"prepare",	/* KIND_PREPARE */
	"decide",	/* KIND_DECIDE */
	"ask",		/* KIND_ASK */
};

const char *const phase_names[PHASE__MAX] = {
	"checkout",	/* PHASE_CHECKOUT */
	"lock",		/* PHASE_LOCK */
	"prepare",	/* PHASE_PREPARE */
	"decision",	/* PHASE_DECISION */
	"tell",		/* PHASE_TELL */
	"reserve",	/* PHASE_RESERVE */
};

/* The peer called name, or NULL. */
struct peer *
sync_peer(const char *name)
{
	int	i;

	for (i = 0; i < pd->npeers; i++)
		if (strcmp(pd->peers[i].conf->name, name) == 0)
			return (&pd->peers[i]);
	return (NULL);
}

/*
 * Write a peer's state to peers.db if the pages would see a difference.
 * Every write of peers.db goes through here, under the lock's guard of
 * what was last written.
 */
void
sync_save(struct peer *p)
{
	struct peer_state	st;

	memset(&st, 0, sizeof st);
	pthread_mutex_lock(&pd->lock);
	st.answering = (uint32_t)p->answering;
	st.last_heard = (int64_t)p->last_heard;
	st.held = p->held;
	if (st.answering == p->saved.answering && st.held == p->saved.held &&
	    st.last_heard < p->saved.last_heard + 10) {
		pthread_mutex_unlock(&pd->lock);
		return;
	}
	p->saved = st;
	pthread_mutex_unlock(&pd->lock);
	store_peer_put(pd->store, p->conf->name, &st);
}

struct sync_batch {
	struct json_object	*list;
	uint64_t		 high;
};

/*
 * Add a product to a push, as peers send it: only changes up to the
 * batch's high mark, which was read in an earlier snapshot than the walk;
 * a later change goes with the next push.
 */
static int
sync_add_product(const struct product *p, void *arg)
{
	struct sync_batch	*b = arg;

	if (p->change <= b->high)
		json_object_array_add(b->list, product_to_peer_json(p));
	return (0);
}

/* Push our changes made since the last push to every peer. */
static void
sync_push(void)
{
	struct json_object	*obj, *list;
	struct call		*calls;
	struct sync_batch	 batch;
	uint64_t		 high, prev;
	const char		*body;
	int			 i;

	if (store_change_high(pd->store, &high) == -1)
		return;
	pthread_mutex_lock(&pd->lock);
	prev = pd->pushed;
	pthread_mutex_unlock(&pd->lock);
	if (high <= prev)
		return;

	/* New local changes are an event of this marketplace. */
	clock_tick();
	list = json_object_new_array();
	batch.list = list;
	batch.high = high;
	if (store_changes_each(pd->store, prev, sync_add_product,
	    &batch) == -1) {
		json_object_put(list);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "products", list);
	json_object_object_add(obj, "prev", json_object_new_int64(
	    (int64_t)prev));
	json_object_object_add(obj, "high", json_object_new_int64(
	    (int64_t)high));
	body = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);

	calls = xcalloc((size_t)pd->npeers + 1, sizeof *calls);
	for (i = 0; i < pd->npeers; i++)
		call_init(&calls[i], &pd->peers[i], KIND_CHANGES, "POST",
		    "/peer/changes", body, 0);
	call_run(calls, pd->npeers);
	for (i = 0; i < pd->npeers; i++) {
		if (calls[i].ok && calls[i].status != 200)
			log_warnx("sync: %s refused our push: %ld %s",
			    pd->peers[i].conf->name, calls[i].status,
			    buf_str(&calls[i].answer));
		call_free(&calls[i]);
		sync_save(&pd->peers[i]);
	}
	free(calls);
	json_object_put(obj);

	/* A peer that missed it pulls it at its next catch-up. */
	pthread_mutex_lock(&pd->lock);
	pd->pushed = high;
	pthread_mutex_unlock(&pd->lock);
}

/*
 * Take what peer p announces of its own products, changed after its
 * change prev up to high: every product is checked before any is applied,
 * and when p's changes up to prev were all held, all up to high now are.
 * Returns 0 with the number applied in *applied, or -1 with f (400 or a
 * store failure) and nothing applied.
 */
int
sync_take(struct peer *p, struct json_object *list, uint64_t prev,
    uint64_t high, int *applied, struct fail *f)
{
	struct product	*ps = NULL;
	size_t		 n, i;
	int		 one;

	*applied = 0;
	n = json_object_array_length(list);
	if (n > SYNC_TAKE_MAX) {
		fail_set(f, 400, "products", "too many products");
		return (-1);
	}
	ps = n > 0 ? xcalloc(n, sizeof *ps) : NULL;
	for (i = 0; i < n; i++) {
		if (product_from_json(json_object_array_get_idx(list, i),
		    &ps[i], f) == -1)
			goto fail;
		if (strcmp(ps[i].marketplace, p->conf->name) != 0) {
			fail_set(f, 400, "products", "a marketplace announces "
			    "only its own products: %s sent one of %s",
			    p->conf->name, ps[i].marketplace);
			goto fail;
		}
	}
	for (i = 0; i < n; i++) {
		if (store_remote_apply(pd->store, &ps[i], &one, f) == -1)
			goto fail;
		*applied += one;
	}
	free(ps);
	pthread_mutex_lock(&pd->lock);
	if (p->held >= prev && p->held < high)
		p->held = high;
	pthread_mutex_unlock(&pd->lock);
	sync_save(p);
	return (0);

fail:
	free(ps);
	return (-1);
}

/*
 * Apply the answer to a catch-up from peer p: {"products", "prev",
 * "high", "more"}.  Every product is checked before any is applied.
 * Returns 1 when the peer has more to give, 0 otherwise.
 */
static int
sync_apply_catchup(struct peer *p, const struct buf *answer)
{
	struct json_object	*obj, *list, *v;
	struct fail		 f;
	int64_t			 prev, high;
	int			 applied = 0, more = 0;

	fail_clear(&f);
	if ((obj = jsonutil_parse(answer->data, answer->len, &f)) == NULL)
		goto fail;
	if (json_object_object_get_ex(obj, "more", &v) &&
	    json_object_is_type(v, json_type_boolean))
		more = json_object_get_boolean(v);
	if (!json_object_object_get_ex(obj, "products", &list) ||
	    !json_object_is_type(list, json_type_array) ||
	    !json_object_object_get_ex(obj, "prev", &v) ||
	    jsonutil_int(v, "prev", 0, INT64_MAX, &prev, &f) == -1 ||
	    !json_object_object_get_ex(obj, "high", &v) ||
	    jsonutil_int(v, "high", prev, INT64_MAX, &high, &f) == -1) {
		fail_set(&f, 400, NULL, "malformed catch-up answer");
		goto fail;
	}
	if (sync_take(p, list, (uint64_t)prev, (uint64_t)high, &applied,
	    &f) == -1)
		goto fail;
	if (applied > 0)
		log_info("sync: caught up %d products of %s", applied,
		    p->conf->name);
	json_object_put(obj);
	return (more);

fail:
	log_warnx("sync: catch-up from %s refused: %s", p->conf->name,
	    f.error);
	json_object_put(obj);
	return (0);
}

/*
 * Ask every peer for its changes after the last one held.  Returns 1 when
 * a peer has more to give at once.
 */
static int
sync_catchup(void)
{
	struct call	*calls;
	uint64_t	 held;
	char		 path[64];
	int		 i, more = 0;

	calls = xcalloc((size_t)pd->npeers + 1, sizeof *calls);
	for (i = 0; i < pd->npeers; i++) {
		pthread_mutex_lock(&pd->lock);
		held = pd->peers[i].held;
		pthread_mutex_unlock(&pd->lock);
		snprintf(path, sizeof path, "/peer/changes/since/%" PRIu64,
		    held);
		call_init(&calls[i], &pd->peers[i], KIND_CATCHUP, "GET", path,
		    NULL, 0);
	}
	call_run(calls, pd->npeers);
	for (i = 0; i < pd->npeers; i++) {
		if (calls[i].ok && calls[i].status == 200)
			more |= sync_apply_catchup(&pd->peers[i],
			    &calls[i].answer);
		else if (calls[i].ok)
			log_warnx("sync: %s refused a catch-up: %ld",
			    pd->peers[i].conf->name, calls[i].status);
		call_free(&calls[i]);
		sync_save(&pd->peers[i]);
	}
	free(calls);
	return (more);
}

/* Wake the thread: there are local changes to push. */
void
sync_notify(void)
{
	pthread_mutex_lock(&pd->lock);
	pd->notified = 1;
	pthread_cond_signal(&pd->wake);
	pthread_mutex_unlock(&pd->lock);
}

/* The thread that pushes and pulls, until peerd_quit. */
void *
sync_main(void *arg)
{
	struct timespec	 until;
	time_t		 last_catchup = 0;
	int64_t		 last_push = 0, since;
	int		 more = 0;

	(void)arg;
	while (!peerd_quit) {
		/*
		 * Changes that come close together go in one push: under
		 * many checkouts, a push per sale would cost more than the
		 * sales.
		 */
		since = lock_now_ms() - last_push;
		if (since < SYNC_PUSH_GAP_MS)
			usleep((useconds_t)(SYNC_PUSH_GAP_MS - since) * 1000);
		last_push = lock_now_ms();
		sync_push();
		/* A peer with more pages is asked again at once. */
		if (more || time(NULL) - last_catchup >= PEER_CATCHUP_SECONDS) {
			more = sync_catchup();
			last_catchup = time(NULL);
			if (more)
				continue;
		}
		pthread_mutex_lock(&pd->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		while (!pd->notified && !peerd_quit)
			if (pthread_cond_timedwait(&pd->wake, &pd->lock,
			    &until) != 0)
				break;
		pd->notified = 0;
		pthread_mutex_unlock(&pd->lock);
	}
	return (NULL);
}

/*
 * Ask the owner of product id for it as it is now, keep it in the gallery
 * and write its JSON into out.  Returns 0, or -1 with f: 404 when no such
 * product or marketplace, 503 when the owner does not answer.
 */
int
sync_fetch_product(const char *id, struct buf *out, struct fail *f)
{
	struct call		 c;
	char			 path[PRODUCT_ID_MAX + 32];
	struct peer		*p;
	struct product		 prod;
	struct json_object	*obj;
	char			 owner[MARKET_NAME_MAX + 1];
	size_t			 len;
	int			 answering, known, one;

	if (!valid_product_id(id)) {
		fail_set(f, 404, NULL, "no such product");
		return (-1);
	}
	len = (size_t)(strchr(id, '-') - id);
	memcpy(owner, id, len);
	owner[len] = '\0';
	if ((p = sync_peer(owner)) == NULL) {
		fail_set(f, 404, NULL, "no marketplace %s in the network",
		    owner);
		return (-1);
	}
	pthread_mutex_lock(&pd->lock);
	answering = p->answering;
	known = p->known;
	pthread_mutex_unlock(&pd->lock);
	if (known && !answering) {
		fail_set(f, 503, NULL, "marketplace %s cannot be reached",
		    owner);
		return (-1);
	}

	/* A page waits for this: shorter than the other calls. */
	snprintf(path, sizeof path, "/peer/products/%s", id);
	call_init(&c, p, KIND_PRODUCT, "GET", path, NULL, PEER_PAGE_MS);
	call_finish(&c, curl_easy_perform(c.easy));
	if (!c.ok) {
		fail_set(f, 503, NULL, "marketplace %s cannot be reached",
		    owner);
		call_free(&c);
		return (-1);
	}
	if (c.status == 404) {
		fail_set(f, 404, NULL, "no such product");
		call_free(&c);
		return (-1);
	}
	obj = c.status == 200 ? jsonutil_parse(c.answer.data, c.answer.len, f) :
	    NULL;
	if (obj == NULL || product_from_json(obj, &prod, f) == -1 ||
	    strcmp(prod.id, id) != 0) {
		fail_set(f, 502, NULL, "marketplace %s gave a bad answer",
		    owner);
		json_object_put(obj);
		call_free(&c);
		return (-1);
	}
	json_object_put(obj);
	call_free(&c);
	store_remote_apply(pd->store, &prod, &one, f);
	obj = product_to_peer_json(&prod);
	buf_adds(out, json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	return (0);
}

/*
 * Write the marketplace's status as JSON: its clock, its peers, the lock's
 * queue, and the time of the phases of its checkouts.
 */
void
sync_status(struct buf *out)
{
	struct json_object	*obj, *list, *po, *sent, *received, *phases;
	struct peer		*p;
	int			 i, k;

	obj = json_object_new_object();
	list = json_object_new_array();
	pthread_mutex_lock(&pd->lock);
	json_object_object_add(obj, "marketplace",
	    json_object_new_string(pd->conf.name));
	json_object_object_add(obj, "clock",
	    json_object_new_int64((int64_t)pd->clock));
	json_object_object_add(obj, "pushed",
	    json_object_new_int64((int64_t)pd->pushed));
	for (i = 0; i < pd->npeers; i++) {
		p = &pd->peers[i];
		po = json_object_new_object();
		json_object_object_add(po, "name",
		    json_object_new_string(p->conf->name));
		json_object_object_add(po, "address",
		    json_object_new_string(p->conf->url));
		json_object_object_add(po, "answering",
		    json_object_new_boolean(p->answering));
		json_object_object_add(po, "last_heard", p->last_heard == 0 ?
		    NULL : json_object_new_int64((int64_t)p->last_heard));
		json_object_object_add(po, "held",
		    json_object_new_int64((int64_t)p->held));
		json_object_object_add(po, "failed_calls",
		    json_object_new_int64((int64_t)p->failed));
		sent = json_object_new_object();
		received = json_object_new_object();
		for (k = 0; k < KIND__MAX; k++) {
			json_object_object_add(sent, kind_names[k],
			    json_object_new_int64((int64_t)p->sent[k]));
			json_object_object_add(received, kind_names[k],
			    json_object_new_int64((int64_t)p->received[k]));
		}
		json_object_object_add(po, "sent", sent);
		json_object_object_add(po, "received", received);
		json_object_array_add(list, po);
	}
	pthread_mutex_unlock(&pd->lock);
	phases = json_object_new_object();
	for (k = 0; k < PHASE__MAX; k++) {
		po = json_object_new_object();
		json_object_object_add(po, "count", json_object_new_int64(
		    (int64_t)__atomic_load_n(&pd->phase_n[k],
		    __ATOMIC_RELAXED)));
		json_object_object_add(po, "us", json_object_new_int64(
		    (int64_t)__atomic_load_n(&pd->phase_us[k],
		    __ATOMIC_RELAXED)));
		json_object_object_add(phases, phase_names[k], po);
	}
	json_object_object_add(obj, "peers", list);
	json_object_object_add(obj, "checkout_phases", phases);
	lock_status(obj);
	buf_adds(out, json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}
