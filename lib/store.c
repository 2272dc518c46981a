/*
 * The product store on Berkeley DB 5.3.
 *
 * One environment per marketplace holds its B-trees: products (id ->
 * struct product), orders (id -> struct order, only its used items),
 * meta (counter name -> uint64_t), the gallery, the ledger, and the
 * records of two-phase commit with their indexes.  The environment is
 * opened by every process that uses it, with DB_REGISTER so that
 * recovery runs at start only when a process died holding it.
 * Multiversion concurrency lets readers work on a snapshot without read
 * locks, so a gallery page never waits for a purchase.  Writers lock what
 * they will change (DB_RMW) in a fixed order, and a deadlock, should one
 * still happen, is detected and the transaction run again.
 */

#include "config.h"

#include <sys/random.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <db.h>

#include "conf.h"
#include "log.h"
#include "store.h"
#include "valid.h"
#include "xmalloc.h"


/* How often a transaction that lost a deadlock is tried again. */
#define STORE_TRIES		32

/* A step asked the transaction to stop, with the reason in its fail. */
#define STORE_REFUSED		1

/* A step found its work already done: commit what it read, and succeed. */
#define STORE_KEEP		2

struct store {
	DB_ENV	*env;
	DB	*products;
	DB	*orders;
	DB	*meta;
	DB	*remote;
	DB	*peers;
	DB	*idem;
	DB	*ledger;
	DB	*reserve;
	DB	*fences;
	DB	*decisions;
	DB	*pending_reserve;	/* index: prepared reservations */
	DB	*pending_decisions;	/* index: decisions not all told */
	DB	*sold;			/* index: committed reservations */
	int	 sold_built;		/* and it has had them all */
	char	 market[MARKET_NAME_MAX + 1];
};

/* The highest lock a reservation of a product was accepted under. */
struct fence {
	uint64_t	ts;
	char		market[MARKET_NAME_MAX + 1];
};

/*
 * The ledger: every change to a product's stock, in the transaction that
 * makes it, under "id/change-number".  The audit adds it up.
 */
enum ledger_kind {
	LEDGER_REGISTER,	/* the stock a product was registered with */
	LEDGER_SELLER,		/* a seller's delta */
	LEDGER_RESERVE,		/* held for a checkout, ref names it */
	LEDGER_RELEASE,		/* given back when it aborted */
	LEDGER__MAX
};

#define LEDGER_FORMAT	1
struct ledger_entry {
	uint32_t	format;
	uint32_t	kind;		/* enum ledger_kind */
	int32_t		delta[SIZE__MAX];
	int64_t		when;
	char		ref[ORDER_ID_MAX + 1];
};

/* The first outcome of an order sent under an Idempotency-Key. */
#define IDEM_FORMAT	2
struct idem_record {
	uint32_t	format;
	uint32_t	bought;		/* 1: order_id; 0: fail */
	unsigned char	digest[32];
	char		order_id[ORDER_ID_MAX + 1];
	struct fail	fail;
};

/* A counter of meta.db, and where its value goes or comes from. */
struct store_bump {
	const char	*name;
	uint64_t	*value;
};

/* One step of work done inside a write transaction. */
typedef int	(*store_step)(struct store *, DB_TXN *, void *, struct fail *);

static void	store_panic(struct store *, int);
static int	store_write_flags(struct store *, store_step, void *,
		    struct fail *, uint32_t);
static int	store_write(struct store *, store_step, void *, struct fail *);
static int	store_put(DB *, DB_TXN *, const char *, const void *, size_t);

/* Pass Berkeley DB's own messages to our log. */
static void
store_errcall(const DB_ENV *env, const char *prefix, const char *msg)
{
	(void)env;
	(void)prefix;
	log_error("berkeley db: %s", msg);
}

/* Open one B-tree of the environment, creating it if needed. */
static DB *
store_open_db(DB_ENV *env, const char *file, uint32_t thread)
{
	DB	*db;
	int	 rc;

	if ((rc = db_create(&db, env, 0)) != 0) {
		log_error("store: db_create: %s", db_strerror(rc));
		return (NULL);
	}
	rc = db->open(db, NULL, file, NULL, DB_BTREE,
	    DB_CREATE | DB_AUTO_COMMIT | DB_MULTIVERSION | thread, 0600);
	if (rc != 0) {
		log_error("store: open %s: %s", file, db_strerror(rc));
		db->close(db, 0);
		return (NULL);
	}
	return (db);
}

/*
 * The key of a record in an index: the second it was made, big-endian so
 * that the index walks oldest first.
 */
static int
store_index_key(int64_t created, DBT *result)
{
	unsigned char	*k;
	uint64_t	 v = (uint64_t)created;
	int		 i;

	if ((k = malloc(8)) == NULL)
		return (ENOMEM);
	for (i = 7; i >= 0; i--) {
		k[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	memset(result, 0, sizeof *result);
	result->data = k;
	result->size = 8;
	result->flags = DB_DBT_APPMALLOC;
	return (0);
}

/* A reservation's key in an index of those in state want: its age. */
static int
store_reservation_key(const DBT *data, uint32_t want, DBT *result)
{
	uint32_t	format, state;
	int64_t		created;

	if (data->size < RESERVATION_SIZE(0))
		return (DB_DONOTINDEX);
	memcpy(&format, (const char *)data->data +
	    offsetof(struct reservation, format), sizeof format);
	memcpy(&state, (const char *)data->data +
	    offsetof(struct reservation, state), sizeof state);
	memcpy(&created, (const char *)data->data +
	    offsetof(struct reservation, created), sizeof created);
	if (format != RESERVATION_FORMAT || state != want)
		return (DB_DONOTINDEX);
	return (store_index_key(created, result));
}

/*
 * Berkeley DB asks these for a record's key in its index, on every write
 * of the record: a reservation is indexed while it is prepared, and a
 * decision while some owner has not confirmed it.  A settled record has
 * no key, so these indexes hold only what recovery has to look at.
 */
static int
store_pending_reserve_key(DB *sec, const DBT *key, const DBT *data,
    DBT *result)
{
	(void)sec;
	(void)key;
	return (store_reservation_key(data, RESERVATION_PREPARED, result));
}

static int
store_pending_decision_key(DB *sec, const DBT *key, const DBT *data,
    DBT *result)
{
	struct decision	d;
	uint32_t	all;

	(void)sec;
	(void)key;
	if (data->size != sizeof d)
		return (DB_DONOTINDEX);
	memcpy(&d, data->data, sizeof d);
	if (d.format != DECISION_FORMAT || d.nowners == 0 ||
	    d.nowners > DECISION_OWNERS_MAX)
		return (DB_DONOTINDEX);
	all = (uint32_t)((1ull << d.nowners) - 1);
	if ((d.done & all) == all)
		return (DB_DONOTINDEX);
	return (store_index_key(d.created, result));
}

/* The sales: a committed reservation is indexed by the second it was made. */
static int
store_sold_key(DB *sec, const DBT *key, const DBT *data, DBT *result)
{
	(void)sec;
	(void)key;
	return (store_reservation_key(data, RESERVATION_COMMITTED, result));
}

/*
 * The indexes, each over a primary of struct store, in the order they
 * came: meta.db's "indexed" counts those a store has had built, up to
 * STORE_INDEXED, the last one's.
 */
#define STORE_INDEXED_SOLD	2
#define STORE_INDEXED		STORE_INDEXED_SOLD

static const struct store_index {
	const char	*file;
	size_t		 primary;	/* offsets in struct store */
	size_t		 index;
	int		(*key)(DB *, const DBT *, const DBT *, DBT *);
	uint64_t	 since;		/* the first "indexed" that has it */
} store_indexes[] = {
	{ "reservations-pending.db", offsetof(struct store, reserve),
	    offsetof(struct store, pending_reserve),
	    store_pending_reserve_key, 1 },
	{ "decisions-pending.db", offsetof(struct store, decisions),
	    offsetof(struct store, pending_decisions),
	    store_pending_decision_key, 1 },
	{ "reservations-sold.db", offsetof(struct store, reserve),
	    offsetof(struct store, sold), store_sold_key,
	    STORE_INDEXED_SOLD },
};

/* Records of the primary indexed in one transaction of a build. */
#define STORE_BUILD_STEP	500

/* Where a build of an index has come to. */
struct store_build {
	DB		*primary;
	DB		*index;
	int		(*key)(DB *, const DBT *, const DBT *, DBT *);
	/* Primary keys are checkout ids; a longer one fails the build. */
	char		 last[TXID_MAX];	/* the last one indexed */
	uint32_t	 last_len;		/* 0 before the first */
	char		 next[TXID_MAX];	/* the step's own */
	uint32_t	 next_len;
	int		 done;		/* the step reached the end */
	size_t		 n;		/* records indexed */
	size_t		 step_n;	/* by the step, once it commits */
	DBT		 data;		/* a buffer for the records */
};

/*
 * Index up to STORE_BUILD_STEP records of the primary that follow the
 * last one indexed.  A record indexed twice, as after a build that
 * stopped before its end, is there once.
 */
static int
store_build_step(struct store *st, DB_TXN *txn, void *arg, struct fail *f)
{
	struct store_build	*b = arg;
	DBC			*cur;
	DBT			 k, sk;
	uint32_t		 op;
	int			 rc, crc, n;

	(void)st;
	(void)f;
	b->done = 0;
	b->step_n = 0;
	b->next_len = b->last_len;
	memcpy(b->next, b->last, b->last_len);
	if ((rc = b->primary->cursor(b->primary, txn, &cur, 0)) != 0)
		return (rc);
	memset(&k, 0, sizeof k);
	k.data = b->next;
	k.size = b->next_len;
	k.ulen = sizeof b->next;
	k.flags = DB_DBT_USERMEM;
	op = b->last_len == 0 ? DB_FIRST : DB_SET_RANGE;
	for (n = 0; n < STORE_BUILD_STEP; op = DB_NEXT) {
		if ((rc = cur->get(cur, &k, &b->data, op)) != 0)
			break;
		/* The range starts at the last one, done already. */
		if (op == DB_SET_RANGE && k.size == b->last_len &&
		    memcmp(k.data, b->last, k.size) == 0)
			continue;
		n++;
		memset(&sk, 0, sizeof sk);
		if ((rc = b->key(b->index, &k, &b->data, &sk)) ==
		    DB_DONOTINDEX) {
			rc = 0;
			continue;
		}
		if (rc != 0)
			break;
		rc = b->index->put(b->index, txn, &sk, &k, DB_NODUPDATA);
		if (sk.flags & DB_DBT_APPMALLOC)
			free(sk.data);
		if (rc == 0)
			b->step_n++;
		else if (rc == DB_KEYEXIST)
			rc = 0;
		else
			break;
	}
	b->next_len = k.size;
	if ((crc = cur->close(cur)) != 0 && (rc == 0 || rc == DB_NOTFOUND))
		rc = crc;
	if (rc == DB_NOTFOUND) {
		b->done = 1;
		rc = 0;
	}
	return (rc);
}

/*
 * Fill an index from its primary, for a store made before it, a step
 * at a time, so that no transaction outgrows the lock table.  Only the
 * writer builds, as it opens the store, before it writes anything and
 * before the index is associated.  Returns 0, or -1 with f.
 */
static int
store_index_build(struct store *st, const struct store_index *x,
    struct fail *f)
{
	struct store_build	*b = xcalloc(1, sizeof *b);
	int			 rc = 0;

	b->primary = *(DB **)(void *)((char *)st + x->primary);
	b->index = *(DB **)(void *)((char *)st + x->index);
	b->key = x->key;
	b->data.flags = DB_DBT_REALLOC;
	while (!b->done) {
		if ((rc = store_write_flags(st, store_build_step, b, f,
		    DB_TXN_WRITE_NOSYNC)) == -1)
			break;
		memcpy(b->last, b->next, b->next_len);
		b->last_len = b->next_len;
		b->n += b->step_n;
	}
	if (rc == -1)
		log_error("store: the build of %s stopped after %zu records",
		    x->file, b->n);
	else if (b->n > 0)
		log_info("store: built %s: %zu records", x->file, b->n);
	free(b->data.data);
	free(b);
	return (rc);
}

/* Open the index in file: sorted duplicates, for keys are times. */
static DB *
store_index_open(DB_ENV *env, const char *file, uint32_t thread)
{
	DB	*db;
	int	 rc;

	if ((rc = db_create(&db, env, 0)) != 0) {
		log_error("store: db_create: %s", db_strerror(rc));
		return (NULL);
	}
	if ((rc = db->set_flags(db, DB_DUPSORT)) != 0 ||
	    (rc = db->open(db, NULL, file, NULL, DB_BTREE, DB_CREATE |
	    DB_AUTO_COMMIT | DB_MULTIVERSION | thread, 0600)) != 0) {
		log_error("store: open %s: %s", file, db_strerror(rc));
		db->close(db, 0);
		return (NULL);
	}
	return (db);
}

/* Set counter name of meta.db to the value at arg. */
static int
store_counter_set_step(struct store *st, DB_TXN *txn, void *arg,
    struct fail *f)
{
	const struct store_bump	*b = arg;

	(void)f;
	return (store_put(st->meta, txn, b->name, b->value,
	    sizeof *b->value));
}

/*
 * Open the indexes and tie each to its primary.  The writer (STORE_THREADS
 * in flags) first builds those that meta.db says the store lacks, and
 * notes them built.  Returns 0, or -1 after logging why.
 */
static int
store_indexes_open(struct store *st, uint32_t thread, int sflags)
{
	const struct store_index	*x;
	struct store_bump		 b;
	struct fail			 f;
	uint64_t			 indexed = STORE_INDEXED, want;
	size_t				 i;
	DB				*primary, **db;
	int				 rc;

	fail_clear(&f);
	if ((sflags & STORE_THREADS) &&
	    store_counter(st, "indexed", &indexed) == -1)
		return (-1);
	for (i = 0; i < sizeof store_indexes / sizeof store_indexes[0]; i++) {
		x = &store_indexes[i];
		primary = *(DB **)(void *)((char *)st + x->primary);
		db = (DB **)(void *)((char *)st + x->index);
		if ((*db = store_index_open(st->env, x->file, thread)) == NULL)
			return (-1);
		/* store_write_flags has logged why. */
		if (indexed < x->since && store_index_build(st, x, &f) == -1)
			return (-1);
		if ((rc = primary->associate(primary, NULL, *db, x->key,
		    0)) != 0) {
			log_error("store: associate %s: %s", x->file,
			    db_strerror(rc));
			return (-1);
		}
	}
	/* The writer has built every index; a reader looks when it walks. */
	st->sold_built = (sflags & STORE_THREADS) != 0;
	if (indexed < STORE_INDEXED) {
		want = STORE_INDEXED;
		b.name = "indexed";
		b.value = &want;
		if (store_write(st, store_counter_set_step, &b, &f) == -1) {
			log_error("store: %s", f.error);
			return (-1);
		}
	}
	return (0);
}

/*
 * Open the environment in folder home for the marketplace named market,
 * running recovery if a process died while using it, with a cache of
 * cache_mb megabytes (CONF_CACHE_MB when 0) if it makes the environment.
 * flags may hold STORE_THREADS, for a process whose threads share the
 * handles.  Returns the store, to be closed with store_close, or NULL
 * after logging why.
 */
struct store *
store_open(const char *home, const char *market, int cache_mb, int sflags)
{
	struct store	*st;
	int64_t		 made;
	int		 rc, ncache;
	uint32_t	 flags, thread, gbytes, bytes, txmax = 0, txwant;

	st = xcalloc(1, sizeof *st);
	snprintf(st->market, sizeof st->market, "%s", market);
	if ((rc = db_env_create(&st->env, 0)) != 0) {
		log_error("store: db_env_create: %s", db_strerror(rc));
		free(st);
		return (NULL);
	}
	st->env->set_errcall(st->env, store_errcall);
	st->env->set_lk_detect(st->env, DB_LOCK_MINWRITE);
	if (cache_mb <= 0)
		cache_mb = CONF_CACHE_MB;
	st->env->set_cachesize(st->env, (uint32_t)(cache_mb / 1024),
	    (uint32_t)(cache_mb % 1024) * 1024 * 1024, 1);
	st->env->set_lk_max_locks(st->env, 20000);
	st->env->set_lk_max_objects(st->env, 20000);
	st->env->set_lk_max_lockers(st->env, 4000);
	/*
	 * Every buffer of the cache has a mutex, and with multiversion
	 * concurrency the cache fills with copies of pages: three for each
	 * of its pages of 4 KB, and room for the rest.
	 */
	st->env->mutex_set_max(st->env, (uint32_t)cache_mb * 768 + 20000);
	/*
	 * A transaction that wrote multiversion pages stays in the region
	 * until the last of its page versions leaves the cache, so the
	 * region needs room for one for every page the cache holds.  At
	 * Berkeley DB's default of 100, a cache of 128 MB ran out of them
	 * after some 40,000 checkouts, and no transaction could begin.
	 */
	txwant = (uint32_t)cache_mb * 256 + 1000;
	st->env->set_tx_max(st->env, txwant);
	st->env->set_flags(st->env, DB_MULTIVERSION, 1);
	st->env->log_set_config(st->env, DB_LOG_AUTO_REMOVE, 1);
	/*
	 * A log file zeroed when it is made: a commit then overwrites its
	 * zeros, and its sync need not record a new size of the file, which
	 * made each durable commit a third slower here.
	 */
	st->env->log_set_config(st->env, DB_LOG_ZERO, 1);

	thread = (sflags & STORE_THREADS) ? DB_THREAD : 0;
	flags = DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG |
	    DB_INIT_MPOOL | DB_RECOVER | DB_REGISTER | thread;
	if ((rc = st->env->open(st->env, home, flags, 0600)) != 0) {
		log_error("store: open environment %s: %s", home,
		    db_strerror(rc));
		st->env->close(st->env, 0);
		free(st);
		return (NULL);
	}
	/*
	 * An environment that was there keeps the cache it was made with
	 * (Berkeley DB adds a quarter to a small one).
	 */
	if (st->env->get_cachesize(st->env, &gbytes, &bytes, &ncache) == 0) {
		made = (int64_t)gbytes * 1024 + bytes / (1024 * 1024);
		if (made < cache_mb || made > cache_mb + cache_mb / 4 + 1)
			log_warnx("store: the cache is %lld MB, not %d: the "
			    "environment keeps the size it was made with "
			    "until it is made again", (long long)made,
			    cache_mb);
	}
	/* A region made without a number has Berkeley DB's 100. */
	if (st->env->get_tx_max(st->env, &txmax) == 0 && txmax == 0)
		txmax = 100;
	if (txmax < txwant)
		log_warnx("store: room for %u transactions, not %u: the "
		    "environment keeps the size it was made with until it is "
		    "made again", txmax, txwant);
	if ((st->products = store_open_db(st->env, "products.db",
	    thread)) == NULL ||
	    (st->orders = store_open_db(st->env, "orders.db", thread)) ==
	    NULL ||
	    (st->meta = store_open_db(st->env, "meta.db", thread)) == NULL ||
	    (st->remote = store_open_db(st->env, "gallery.db", thread)) ==
	    NULL ||
	    (st->peers = store_open_db(st->env, "peers.db", thread)) == NULL ||
	    (st->idem = store_open_db(st->env, "idempotency.db", thread)) ==
	    NULL ||
	    (st->ledger = store_open_db(st->env, "ledger.db", thread)) ==
	    NULL ||
	    (st->reserve = store_open_db(st->env, "reservations.db",
	    thread)) == NULL ||
	    (st->fences = store_open_db(st->env, "fences.db", thread)) ==
	    NULL ||
	    (st->decisions = store_open_db(st->env, "decisions.db",
	    thread)) == NULL) {
		store_close(st);
		return (NULL);
	}
	/*
	 * The indexes came after the first stores, and meta.db notes which
	 * of them a store has had built, for an empty index is also what a
	 * store with nothing pending, or nothing sold, has.
	 */
	if (store_indexes_open(st, thread, sflags) == -1) {
		store_close(st);
		return (NULL);
	}
	return (st);
}

/* Close every database and the environment; st may be NULL. */
void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	/*
	 * An environment that needs recovery cannot be closed cleanly, for
	 * its handles refuse to close; leave as any other user of it does.
	 */
	if (st->env != NULL)
		store_check(st);
	/* An index closes before its primary. */
	if (st->sold != NULL)
		st->sold->close(st->sold, 0);
	if (st->pending_decisions != NULL)
		st->pending_decisions->close(st->pending_decisions, 0);
	if (st->pending_reserve != NULL)
		st->pending_reserve->close(st->pending_reserve, 0);
	if (st->decisions != NULL)
		st->decisions->close(st->decisions, 0);
	if (st->fences != NULL)
		st->fences->close(st->fences, 0);
	if (st->reserve != NULL)
		st->reserve->close(st->reserve, 0);
	if (st->ledger != NULL)
		st->ledger->close(st->ledger, 0);
	if (st->idem != NULL)
		st->idem->close(st->idem, 0);
	if (st->peers != NULL)
		st->peers->close(st->peers, 0);
	if (st->remote != NULL)
		st->remote->close(st->remote, 0);
	if (st->meta != NULL)
		st->meta->close(st->meta, 0);
	if (st->orders != NULL)
		st->orders->close(st->orders, 0);
	if (st->products != NULL)
		st->products->close(st->products, 0);
	st->env->close(st->env, 0);
	free(st);
}

/*
 * Leave the process, as store_panic does, if the environment needs
 * recovery; otherwise return.  A cheap probe, for a process that should
 * find out before its next request does.
 */
void
store_check(struct store *st)
{
	DB_TXN	*txn;
	int	 rc;

	if ((rc = st->env->txn_begin(st->env, NULL, &txn, 0)) == 0)
		txn->abort(txn);
	else
		store_panic(st, rc);
}

/*
 * Leave the process if the environment needs recovery: a process of the
 * marketplace died while using it, and another one has recovered it or
 * must.  The environment is closed first, so that this process leaves no
 * trace in the registry and causes no further recovery; its supervisor
 * (feira-fcgi's master, or peerd's own) starts it again, and the new one
 * opens the recovered environment.
 */
static void
store_panic(struct store *st, int rc)
{
	if (rc != DB_RUNRECOVERY)
		return;
	log_error("store: the environment needs recovery; restarting");
	st->env->close(st->env, 0);
	_exit(STORE_EXIT_RECOVER);
}

/*
 * Run step inside a transaction, again while it loses deadlocks, and
 * commit it with flags (0 for a durable commit, DB_TXN_WRITE_NOSYNC for
 * one that a crash of this process cannot lose, but one of the machine
 * can).  Returns 0 once committed; -1 with f filled in when the step
 * refused or the database failed.
 */
static int
store_write_flags(struct store *st, store_step step, void *arg,
    struct fail *f, uint32_t flags)
{
	DB_TXN	*txn;
	int	 rc, try;

	for (try = 0; try < STORE_TRIES; try++) {
		if ((rc = st->env->txn_begin(st->env, NULL, &txn, 0)) != 0)
			break;
		rc = step(st, txn, arg, f);
		if (rc == STORE_KEEP)
			rc = 0;
		if (rc != 0) {
			txn->abort(txn);
			if (rc == DB_LOCK_DEADLOCK) {
				usleep(1000 * (useconds_t)(try + 1));
				continue;
			}
			if (rc == STORE_REFUSED)
				return (-1);
			break;
		}
		if ((rc = txn->commit(txn, flags)) != 0)
			break;
		return (0);
	}
	log_error("store: transaction failed: %s", rc == DB_LOCK_DEADLOCK ?
	    "too many deadlocks" : db_strerror(rc));
	store_panic(st, rc);
	fail_set(f, 500, NULL, "the store failed; nothing was changed");
	return (-1);
}

/* store_write_flags with a durable commit. */
static int
store_write(struct store *st, store_step step, void *arg, struct fail *f)
{
	return (store_write_flags(st, step, arg, f, 0));
}

/*
 * Checkpoint the environment when a megabyte of log or a minute has
 * passed since the last one (otherwise it is cheap), so that recovery
 * stays short and old log files can go.  A checkpoint may wait a second
 * for a buffer in use, so the writer calls this from a thread of its own,
 * not after each commit.
 */
void
store_checkpoint(struct store *st)
{
	int	rc;

	if ((rc = st->env->txn_checkpoint(st->env, 1024, 1, 0)) != 0) {
		log_error("store: checkpoint: %s", db_strerror(rc));
		store_panic(st, rc);
	}
}

/*
 * Read the record under key into dst of size bytes, exactly want bytes
 * unless want is 0 (then at most size, and the size read goes to *got if
 * got is not NULL).  Returns 0, DB_NOTFOUND, or a Berkeley DB error; a
 * record of the wrong size is reported as an error.
 */
static int
store_getn(DB *db, DB_TXN *txn, const char *key, void *dst, size_t size,
    size_t want, uint32_t flags, size_t *got)
{
	DBT	k, d;
	int	rc;

	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	k.data = (void *)key;
	k.size = (uint32_t)strlen(key);
	d.data = dst;
	d.ulen = (uint32_t)size;
	d.flags = DB_DBT_USERMEM;
	if ((rc = db->get(db, txn, &k, &d, flags)) != 0)
		return (rc);
	if ((want != 0 && d.size != want) || d.size > size) {
		log_error("store: record %s has %u bytes, not %zu", key,
		    d.size, want);
		return (EINVAL);
	}
	if (got != NULL)
		*got = d.size;
	return (0);
}

/* store_getn for records of a fixed size. */
static int
store_get(DB *db, DB_TXN *txn, const char *key, void *dst, size_t size,
    size_t want, uint32_t flags)
{
	return (store_getn(db, txn, key, dst, size, want, flags, NULL));
}

/* Write size bytes at src under key. */
static int
store_put(DB *db, DB_TXN *txn, const char *key, const void *src,
    size_t size)
{
	DBT	k, d;

	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	k.data = (void *)key;
	k.size = (uint32_t)strlen(key);
	d.data = (void *)src;
	d.size = (uint32_t)size;
	return (db->put(db, txn, &k, &d, 0));
}

/* Begin a transaction that reads one snapshot.  Returns 0, or -1. */
static int
store_snapshot(struct store *st, DB_TXN **txn)
{
	int	rc;

	if ((rc = st->env->txn_begin(st->env, NULL, txn,
	    DB_TXN_SNAPSHOT)) != 0) {
		store_panic(st, rc);
		log_error("store: txn_begin: %s", db_strerror(rc));
		return (-1);
	}
	return (0);
}

/*
 * Read the record under key of db in a snapshot of its own, as store_getn
 * does.  Returns STORE_OK, STORE_NOTFOUND or STORE_ERROR (logged).
 */
static int
store_snapshot_get(struct store *st, DB *db, const char *key, void *dst,
    size_t size, size_t want, size_t *got)
{
	DB_TXN	*txn;
	int	 rc;

	if (store_snapshot(st, &txn) == -1)
		return (STORE_ERROR);
	rc = store_getn(db, txn, key, dst, size, want, 0, got);
	txn->commit(txn, 0);
	if (rc == DB_NOTFOUND)
		return (STORE_NOTFOUND);
	store_panic(st, rc);
	if (rc != 0) {
		log_error("store: get %s: %s", key, db_strerror(rc));
		return (STORE_ERROR);
	}
	return (STORE_OK);
}

/*
 * Look up product id in a snapshot.  Returns STORE_OK with *p filled,
 * STORE_NOTFOUND, or STORE_ERROR.
 */
int
store_product_get(struct store *st, const char *id, struct product *p)
{
	int	rc;

	rc = store_snapshot_get(st, st->products, id, p, sizeof *p, sizeof *p,
	    NULL);
	if (rc == STORE_OK && p->format != PRODUCT_FORMAT) {
		log_error("store: product %s has format %u", id, p->format);
		return (STORE_ERROR);
	}
	return (rc);
}

/* Take the next number of counter name, inside txn. */
static int
store_next(struct store *st, DB_TXN *txn, const char *name, uint64_t *out)
{
	uint64_t	n = 0;
	int		rc;

	rc = store_get(st->meta, txn, name, &n, sizeof n, sizeof n, DB_RMW);
	if (rc != 0 && rc != DB_NOTFOUND)
		return (rc);
	n++;
	if ((rc = store_put(st->meta, txn, name, &n, sizeof n)) != 0)
		return (rc);
	*out = n;
	return (0);
}

struct store_create {
	const struct product_input	*in;
	struct product			*out;
};

/*
 * Write p's stock change into the ledger, under its change number: kind,
 * delta per size (NULL: the stock itself) and ref (an order id or NULL).
 */
static int
store_ledger_put(struct store *st, DB_TXN *txn, const struct product *p,
    enum ledger_kind kind, const int32_t *delta, const char *ref)
{
	struct ledger_entry	e;
	char			key[PRODUCT_ID_MAX + 24];

	memset(&e, 0, sizeof e);
	e.format = LEDGER_FORMAT;
	e.kind = kind;
	memcpy(e.delta, delta != NULL ? delta : p->stock, sizeof e.delta);
	e.when = (int64_t)time(NULL);
	if (ref != NULL)
		snprintf(e.ref, sizeof e.ref, "%s", ref);
	snprintf(key, sizeof key, "%s/%020llu", p->id,
	    (unsigned long long)p->change);
	return (store_put(st->ledger, txn, key, &e, sizeof e));
}

/* Number a new product and write it. */
static int
store_create_step(struct store *st, DB_TXN *txn, void *arg, struct fail *f)
{
	struct store_create		*c = arg;
	const struct product_input	*in = c->in;
	struct product			*p = c->out;
	uint64_t			 seq;
	int				 rc, i;

	(void)f;
	if ((rc = store_next(st, txn, "product_seq", &seq)) != 0)
		return (rc);
	memset(p, 0, sizeof *p);
	p->format = PRODUCT_FORMAT;
	if ((rc = store_next(st, txn, "change_seq", &p->change)) != 0)
		return (rc);
	p->price_cents = in->price_cents;
	for (i = 0; i < SIZE__MAX; i++)
		p->stock[i] = (int32_t)in->stock[i];
	snprintf(p->id, sizeof p->id, "%s-%llu", st->market,
	    (unsigned long long)seq);
	snprintf(p->marketplace, sizeof p->marketplace, "%s", st->market);
	memcpy(p->name, in->name, sizeof p->name);
	memcpy(p->team, in->team, sizeof p->team);
	memcpy(p->description, in->description, sizeof p->description);
	memcpy(p->colors, in->colors, sizeof p->colors);
	if ((rc = store_put(st->products, txn, p->id, p, sizeof *p)) != 0)
		return (rc);
	return (store_ledger_put(st, txn, p, LEDGER_REGISTER, NULL, NULL));
}

/*
 * Register a product that the caller has checked with
 * product_input_check.  Returns 0 with *out filled, or -1 with f filled.
 */
int
store_product_create(struct store *st, const struct product_input *in,
    struct product *out, struct fail *f)
{
	struct store_create	c = { in, out };

	return (store_write(st, store_create_step, &c, f));
}

struct store_update {
	const char			*id;
	const struct product_patch	*patch;
	struct product			*out;
};

/* Apply stock deltas and a new price to one product, or refuse. */
static int
store_update_step(struct store *st, DB_TXN *txn, void *arg, struct fail *f)
{
	struct store_update	*u = arg;
	struct product		*p = u->out;
	int32_t			 delta[SIZE__MAX];
	int64_t			 v;
	int			 rc, i, moved = 0;

	rc = store_get(st->products, txn, u->id, p, sizeof *p, sizeof *p,
	    DB_RMW);
	if (rc == DB_NOTFOUND) {
		fail_set(f, 404, NULL, "no such product");
		return (STORE_REFUSED);
	}
	if (rc != 0)
		return (rc);
	memset(delta, 0, sizeof delta);
	for (i = 0; i < SIZE__MAX; i++) {
		if (!u->patch->has_delta[i])
			continue;
		delta[i] = (int32_t)u->patch->delta[i];
		moved |= delta[i] != 0;
		v = (int64_t)p->stock[i] + u->patch->delta[i];
		if (v < 0 || v > STOCK_MAX) {
			fail_set(f, 409, "stock_delta", "the stock of %s size "
			    "%s would be %lld; it must stay from 0 to %d",
			    p->id, size_names[i], (long long)v, STOCK_MAX);
			snprintf(f->product, sizeof f->product, "%s", p->id);
			f->size = i;
			f->available = p->stock[i];
			return (STORE_REFUSED);
		}
		p->stock[i] = (int32_t)v;
	}
	if (u->patch->has_price)
		p->price_cents = u->patch->price_cents;
	if ((rc = store_next(st, txn, "change_seq", &p->change)) != 0)
		return (rc);
	if ((rc = store_put(st->products, txn, p->id, p, sizeof *p)) != 0)
		return (rc);
	if (!moved)
		return (0);
	return (store_ledger_put(st, txn, p, LEDGER_SELLER, delta, NULL));
}

/*
 * Change product id by the checked patch: stock by deltas, never by
 * overwrite, so that a sale at the same moment is never undone.  Returns 0
 * with *out filled, or -1 with f filled (404, 409 or 500).
 */
int
store_product_update(struct store *st, const char *id,
    const struct product_patch *patch, struct product *out, struct fail *f)
{
	struct store_update	u = { id, patch, out };

	return (store_write(st, store_update_step, &u, f));
}

/* A record as a walk sees it: its key and its bytes. */
typedef int	(*store_record_cb)(const char *, const void *, size_t, void *);

/*
 * Call cb for every record of db over one snapshot, in the byte order of
 * the keys, with the key as a string and the record in rec (of size
 * bytes; longer records are skipped, logged).  When index is set, db is
 * an index, walked in the order of its keys, and cb is given each
 * primary record and its key.  A non-zero return from cb stops the walk.
 * Returns 0, or -1 if the database failed.
 */
static int
store_each(struct store *st, DB *db, int index, void *rec, size_t size,
    store_record_cb cb, void *arg)
{
	DB_TXN		*txn;
	DBC		*cur;
	DBT		 sk, k, d;
	char		 key[128];
	unsigned char	 skey[8];
	int		 rc;

	if (store_snapshot(st, &txn) == -1)
		return (-1);
	if ((rc = db->cursor(db, txn, &cur, 0)) != 0) {
		store_panic(st, rc);
		log_error("store: cursor: %s", db_strerror(rc));
		txn->abort(txn);
		return (-1);
	}
	memset(&sk, 0, sizeof sk);
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	sk.data = skey;
	sk.ulen = sizeof skey;
	sk.flags = DB_DBT_USERMEM;
	k.data = key;
	k.ulen = sizeof key - 1;
	k.flags = DB_DBT_USERMEM;
	d.data = rec;
	d.ulen = (uint32_t)size;
	d.flags = DB_DBT_USERMEM;
	for (;;) {
		if (index)
			rc = cur->pget(cur, &sk, &k, &d, DB_NEXT);
		else
			rc = cur->get(cur, &k, &d, DB_NEXT);
		if (rc == DB_BUFFER_SMALL) {
			log_error("store: a record is too large to walk");
			sk.size = k.size = d.size = 0;
			continue;
		}
		if (rc != 0)
			break;
		key[k.size] = '\0';
		if (cb(key, rec, d.size, arg) != 0) {
			rc = DB_NOTFOUND;
			break;
		}
	}
	cur->close(cur);
	txn->commit(txn, 0);
	store_panic(st, rc);
	if (rc != DB_NOTFOUND) {
		log_error("store: walking a database: %s", db_strerror(rc));
		return (-1);
	}
	return (0);
}

struct store_walk {
	store_product_cb	 cb;
	void			*arg;
};

/* Pass one well-formed product record of a walk on. */
static int
store_walk_product(const char *key, const void *rec, size_t size, void *arg)
{
	struct store_walk	*w = arg;
	struct product		*p = (struct product *)rec;

	(void)key;
	if (size != sizeof *p || p->format != PRODUCT_FORMAT) {
		log_error("store: a product record has a bad size");
		return (0);
	}
	p->flags = 0;
	return (w->cb(p, w->arg));
}

/*
 * Call cb for every product of db over one snapshot, in the byte order of
 * the ids ("rio-10" before "rio-2").  A non-zero return from cb stops the
 * walk.  Returns 0, or -1 if the database failed.
 */
static int
store_walk(struct store *st, DB *db, store_product_cb cb, void *arg)
{
	struct store_walk	w = { cb, arg };
	struct product		p;

	return (store_each(st, db, 0, &p, sizeof p, store_walk_product, &w));
}

/* Call cb for every product of this marketplace; see store_walk. */
int
store_products_each(struct store *st, store_product_cb cb, void *arg)
{
	return (store_walk(st, st->products, cb, arg));
}

/*
 * Call cb for every product of other marketplaces that the gallery holds;
 * see store_walk.
 */
int
store_remote_each(struct store *st, store_product_cb cb, void *arg)
{
	return (store_walk(st, st->remote, cb, arg));
}

/*
 * Write the outcome of an order under its key, if it has one: the order
 * (o) or why it failed (f).
 */
static int
store_idem_record(struct store *st, DB_TXN *txn, const struct order_input *in,
    const struct order *o, const struct fail *f)
{
	struct idem_record	rec;

	if (in->idem_key[0] == '\0')
		return (0);
	memset(&rec, 0, sizeof rec);
	rec.format = IDEM_FORMAT;
	memcpy(rec.digest, in->idem_digest, sizeof rec.digest);
	if (o != NULL) {
		rec.bought = 1;
		memcpy(rec.order_id, o->id, sizeof rec.order_id);
	} else
		rec.fail = *f;
	return (store_put(st->idem, txn, in->idem_key, &rec, sizeof rec));
}

/*
 * Look up the order's key in txn, with flags for the read (DB_RMW to lock
 * it for a write, 0 in a snapshot).  Returns DB_NOTFOUND when the key is
 * new; 0 with the first order in *o; STORE_REFUSED with the first
 * failure in f (or a 422 when the key came with another request); or a
 * Berkeley DB error.
 */
static int
store_idem_replay(struct store *st, DB_TXN *txn, uint32_t flags,
    const struct order_input *in, struct order *o, struct fail *f)
{
	struct idem_record	rec;
	size_t			got = 0;
	int			rc;

	rc = store_get(st->idem, txn, in->idem_key, &rec, sizeof rec,
	    sizeof rec, flags);
	if (rc != 0)
		return (rc);
	if (rec.format != IDEM_FORMAT)
		return (EINVAL);
	if (memcmp(rec.digest, in->idem_digest, sizeof rec.digest) != 0) {
		fail_set(f, 422, "Idempotency-Key", "this Idempotency-Key "
		    "was sent before with another request");
		return (STORE_REFUSED);
	}
	if (!rec.bought) {
		*f = rec.fail;
		return (STORE_REFUSED);
	}
	memset(o, 0, sizeof *o);
	rc = store_getn(st->orders, txn, rec.order_id, o, sizeof *o, 0, 0,
	    &got);
	if (rc != 0 || got != ORDER_SIZE(o->nitems))
		return (rc != 0 ? rc : EINVAL);
	return (0);
}

struct store_idem_fail {
	const struct order_input	*in;
	struct order			*out;
	const struct fail		*first;
	int				 bought;
};

/*
 * Record a refused order's failure under its key, unless an order under
 * the same key got in first: then its outcome stands.
 */
static int
store_idem_fail_step(struct store *st, DB_TXN *txn, void *arg,
    struct fail *f)
{
	struct store_idem_fail	*s = arg;
	struct fail		 earlier;
	int			 rc;

	fail_clear(&earlier);
	rc = store_idem_replay(st, txn, DB_RMW, s->in, s->out, &earlier);
	if (rc == 0) {
		s->bought = 1;
		return (0);
	}
	if (rc == STORE_REFUSED) {
		*f = earlier;
		return (0);
	}
	if (rc != DB_NOTFOUND)
		return (rc);
	return (store_idem_record(st, txn, s->in, NULL, s->first));
}

/* A random order id: the marketplace's name and 64 random bits. */
void
store_order_id(struct store *st, char *id, size_t size)
{
	uint64_t	r;

	if (getrandom(&r, sizeof r, 0) != sizeof r)
		fatal("store: getrandom");
	snprintf(id, size, "%s-%016llx", st->market, (unsigned long long)r);
}

/*
 * Look up order id in a snapshot.  Returns STORE_OK with *o filled,
 * STORE_NOTFOUND, or STORE_ERROR.
 */
int
store_order_get(struct store *st, const char *id, struct order *o)
{
	size_t	got = 0;
	int	rc;

	memset(o, 0, sizeof *o);
	rc = store_snapshot_get(st, st->orders, id, o, sizeof *o, 0, &got);
	if (rc == STORE_OK && (o->format != ORDER_FORMAT ||
	    o->nitems > ORDER_ITEMS_MAX || got != ORDER_SIZE(o->nitems))) {
		log_error("store: order %s is malformed", id);
		return (STORE_ERROR);
	}
	return (rc);
}

struct store_walk_order {
	store_order_cb	 cb;
	void		*arg;
};

/* Pass one well-formed order record of a walk on. */
static int
store_walk_order(const char *key, const void *rec, size_t size, void *arg)
{
	struct store_walk_order	*w = arg;
	const struct order	*o = rec;

	(void)key;
	if (o->format != ORDER_FORMAT || o->nitems > ORDER_ITEMS_MAX ||
	    size != ORDER_SIZE(o->nitems)) {
		log_error("store: an order record has a bad size");
		return (0);
	}
	return (w->cb(o, w->arg));
}

/*
 * Call cb for every order over one snapshot; a non-zero return from cb
 * stops the walk.  Returns 0, or -1 if the database failed.
 */
int
store_orders_each(struct store *st, store_order_cb cb, void *arg)
{
	struct store_walk_order	 w = { cb, arg };
	struct order		*o = xcalloc(1, sizeof *o);
	int			 rc;

	rc = store_each(st, st->orders, 0, o, sizeof *o, store_walk_order, &w);
	free(o);
	return (rc);
}

/*
 * Read counter name of meta.db in a snapshot into *value, 0 when it was
 * never taken.  Returns 0, or -1 if the store failed.
 */
int
store_counter(struct store *st, const char *name, uint64_t *value)
{
	int	rc;

	rc = store_snapshot_get(st, st->meta, name, value, sizeof *value,
	    sizeof *value, NULL);
	if (rc == STORE_NOTFOUND)
		*value = 0;
	return (rc == STORE_ERROR ? -1 : 0);
}

/* The owner's last change number, or 0 before any change. */
int
store_change_high(struct store *st, uint64_t *high)
{
	return (store_counter(st, "change_seq", high));
}

/* Take the next number of a counter. */
static int
store_bump_step(struct store *st, DB_TXN *txn, void *arg, struct fail *f)
{
	struct store_bump	*b = arg;

	(void)f;
	return (store_next(st, txn, b->name, b->value));
}

/*
 * Move counter name of meta.db on by one; its new value goes to *value.
 * Returns 0, or -1 with f.
 */
int
store_counter_bump(struct store *st, const char *name, uint64_t *value,
    struct fail *f)
{
	struct store_bump	b = { name, value };

	return (store_write(st, store_bump_step, &b, f));
}

struct store_since {
	uint64_t		 since;
	store_product_cb	 cb;
	void			*arg;
};

/* Pass on the products changed after the given number. */
static int
store_since_cb(const struct product *p, void *arg)
{
	struct store_since	*s = arg;

	if (p->change <= s->since)
		return (0);
	return (s->cb(p, s->arg));
}

/*
 * Call cb for each of this marketplace's products whose last change is
 * numbered above since: what a peer that holds every change up to since
 * lacks.  Returns 0, or -1 if the database failed.
 */
int
store_changes_each(struct store *st, uint64_t since, store_product_cb cb,
    void *arg)
{
	struct store_since	s = { since, cb, arg };

	return (store_walk(st, st->products, store_since_cb, &s));
}

/*
 * Look up product id of another marketplace in the gallery, in a
 * snapshot.  Returns STORE_OK with *p filled, STORE_NOTFOUND or
 * STORE_ERROR.
 */
int
store_remote_get(struct store *st, const char *id, struct product *p)
{
	int	rc;

	rc = store_snapshot_get(st, st->remote, id, p, sizeof *p, sizeof *p,
	    NULL);
	if (rc == STORE_OK && p->format != PRODUCT_FORMAT) {
		log_error("store: gallery product %s has format %u", id,
		    p->format);
		return (STORE_ERROR);
	}
	p->flags = 0;
	return (rc);
}

struct store_apply {
	const struct product	*p;
	int			*applied;
};

/* Keep the product unless the gallery already holds a newer change. */
static int
store_apply_step(struct store *st, DB_TXN *txn, void *arg, struct fail *f)
{
	struct store_apply	*a = arg;
	struct product		 old;
	int			 rc;

	(void)f;
	*a->applied = 0;
	rc = store_get(st->remote, txn, a->p->id, &old, sizeof old,
	    sizeof old, DB_RMW);
	if (rc != 0 && rc != DB_NOTFOUND)
		return (rc);
	if (rc == 0 && old.change >= a->p->change)
		return (0);
	if ((rc = store_put(st->remote, txn, a->p->id, a->p,
	    sizeof *a->p)) != 0)
		return (rc);
	*a->applied = 1;
	return (0);
}

/*
 * Write a product of another marketplace, as its owner announced it, into
 * the gallery; a change numbered at or below the one held is ignored, so
 * that no change is applied twice or over a newer one.  *applied tells
 * which.  Only the peer daemon calls this.  Returns 0, or -1 with f.
 */
int
store_remote_apply(struct store *st, const struct product *p, int *applied,
    struct fail *f)
{
	struct store_apply	a = { p, applied };

	/*
	 * The gallery is a copy of what the owners hold: a crash of the
	 * machine that loses the last of it loses the "held" marks after it
	 * too (the log keeps its order), and the next catch-up asks again.
	 */
	return (store_write_flags(st, store_apply_step, &a, f,
	    DB_TXN_WRITE_NOSYNC));
}

/*
 * Read what is known of peer name into *ps.  Returns STORE_OK,
 * STORE_NOTFOUND (with *ps zeroed) or STORE_ERROR.
 */
int
store_peer_get(struct store *st, const char *name, struct peer_state *ps)
{
	int	rc;

	rc = store_snapshot_get(st, st->peers, name, ps, sizeof *ps,
	    sizeof *ps, NULL);
	if (rc != STORE_OK)
		memset(ps, 0, sizeof *ps);
	return (rc);
}

struct store_peer {
	const char		*name;
	const struct peer_state	*ps;
};

/* Write one peer's state. */
static int
store_peer_step(struct store *st, DB_TXN *txn, void *arg, struct fail *f)
{
	struct store_peer	*sp = arg;

	(void)f;
	return (store_put(st->peers, txn, sp->name, sp->ps, sizeof *sp->ps));
}

/*
 * Record what is known of peer name.  Only the peer daemon calls this.
 * Returns 0, or -1 after logging.
 */
int
store_peer_put(struct store *st, const char *name,
    const struct peer_state *ps)
{
	struct store_peer	sp = { name, ps };
	struct fail		f;

	fail_clear(&f);
	return (store_write_flags(st, store_peer_step, &sp, &f,
	    DB_TXN_WRITE_NOSYNC));
}

struct store_audit {
	struct store	*st;
	DB_TXN		*txn;
	FILE		*out;
	int		 bad;
	size_t		 products;
	/* Per product and size: units committed and held open. */
	struct store_sold {
		char	 id[PRODUCT_ID_MAX + 1];
		int64_t	 committed[SIZE__MAX];
		int64_t	 open[SIZE__MAX];
	}		*sold;
	size_t		 nsold;
};

/* The tally of product id, made if needed. */
static struct store_sold *
store_audit_tally(struct store_audit *a, const char *id)
{
	size_t	k;

	for (k = 0; k < a->nsold; k++)
		if (strcmp(a->sold[k].id, id) == 0)
			return (&a->sold[k]);
	a->sold = xreallocarray(a->sold, a->nsold + 1, sizeof *a->sold);
	memset(&a->sold[k], 0, sizeof a->sold[k]);
	snprintf(a->sold[k].id, sizeof a->sold[k].id, "%s", id);
	a->nsold++;
	return (&a->sold[k]);
}

/* Count what one reservation sold (committed) or holds (prepared). */
static int
store_audit_reservation(const struct reservation *r, void *arg)
{
	struct store_audit	*a = arg;
	struct store_sold	*t;
	uint32_t		 i;

	if (r->state != RESERVATION_PREPARED &&
	    r->state != RESERVATION_COMMITTED)
		return (0);
	for (i = 0; i < r->nitems; i++) {
		t = store_audit_tally(a, r->items[i].product);
		if (r->state == RESERVATION_COMMITTED)
			t->committed[r->items[i].size] += r->items[i].quantity;
		else
			t->open[r->items[i].size] += r->items[i].quantity;
	}
	return (0);
}

/*
 * Check one product: its registered stock plus the seller's changes, as
 * the ledger has them, minus the confirmed sales and the open
 * reservations equals the stock; the whole ledger adds up to the stock
 * too; and no stock is below zero.
 */
static int
store_audit_product(const struct product *p, void *arg)
{
	struct store_audit	*a = arg;
	struct store_sold	*t;
	struct ledger_entry	 e;
	DBC			*cur;
	DBT			 k, d;
	char			 key[PRODUCT_ID_MAX + 24];
	char			 prefix[PRODUCT_ID_MAX + 2];
	int64_t			 sum[SIZE__MAX], base[SIZE__MAX], want;
	size_t			 plen;
	int			 rc, s;
	uint32_t		 flag = DB_SET_RANGE;

	a->products++;
	memset(sum, 0, sizeof sum);
	memset(base, 0, sizeof base);
	snprintf(prefix, sizeof prefix, "%s/", p->id);
	plen = strlen(prefix);
	snprintf(key, sizeof key, "%s", prefix);
	if (a->st->ledger->cursor(a->st->ledger, a->txn, &cur, 0) != 0)
		return (1);
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	k.data = key;
	k.size = (uint32_t)plen;
	k.ulen = sizeof key;
	k.flags = DB_DBT_USERMEM;
	d.data = &e;
	d.ulen = sizeof e;
	d.flags = DB_DBT_USERMEM;
	while ((rc = cur->get(cur, &k, &d, flag)) == 0) {
		flag = DB_NEXT;
		if (k.size < plen || memcmp(key, prefix, plen) != 0)
			break;
		for (s = 0; s < SIZE__MAX; s++) {
			sum[s] += e.delta[s];
			if (e.kind == LEDGER_REGISTER ||
			    e.kind == LEDGER_SELLER)
				base[s] += e.delta[s];
		}
	}
	cur->close(cur);
	t = store_audit_tally(a, p->id);
	for (s = 0; s < SIZE__MAX; s++) {
		want = base[s] - t->committed[s] - t->open[s];
		if (want != p->stock[s]) {
			fprintf(a->out, "%s %s: registered and changed %lld, "
			    "sold %lld, held open %lld: %lld, but the stock is "
			    "%d\n", p->id, size_names[s], (long long)base[s],
			    (long long)t->committed[s], (long long)t->open[s],
			    (long long)want, p->stock[s]);
			a->bad++;
		}
		if (p->stock[s] < 0) {
			fprintf(a->out, "%s %s: stock %d is below zero\n",
			    p->id, size_names[s], p->stock[s]);
			a->bad++;
		}
		if (sum[s] != p->stock[s]) {
			fprintf(a->out, "%s %s: the ledger adds up to %lld, "
			    "the stock is %d\n", p->id, size_names[s],
			    (long long)sum[s], p->stock[s]);
			a->bad++;
		}
	}
	return (0);
}

/*
 * Audit this marketplace's store: for every product and size, the
 * registered stock plus the seller's changes minus the confirmed sales
 * (committed reservations) minus the open reservations equals the stock,
 * the ledger adds up to the stock, and no stock is below zero.  Each
 * violation is written to out.  Returns the number of violations, or -1
 * if the store failed; the products audited go to *products.  The
 * reservations and the products are read in separate snapshots, so the
 * audit is for a quiet marketplace: a sale during it can show as a
 * violation.
 */
int
store_audit(struct store *st, FILE *out, size_t *products)
{
	struct store_audit	a;
	DB_TXN			*txn;
	int			 rc;

	memset(&a, 0, sizeof a);
	a.st = st;
	a.out = out;
	if (store_reservations_each(st, store_audit_reservation, &a) == -1) {
		free(a.sold);
		return (-1);
	}
	if (store_snapshot(st, &txn) == -1) {
		free(a.sold);
		return (-1);
	}
	a.txn = txn;
	rc = store_walk(st, st->products, store_audit_product, &a);
	txn->commit(txn, 0);
	free(a.sold);
	*products = a.products;
	return (rc == -1 ? -1 : a.bad);
}

/* Is r, of size bytes as stored, a reservation of this format? */
static int
store_reservation_ok(const struct reservation *r, size_t size)
{
	return (size >= RESERVATION_SIZE(0) &&
	    r->format == RESERVATION_FORMAT && r->nitems <= ORDER_ITEMS_MAX &&
	    size == RESERVATION_SIZE(r->nitems));
}

/*
 * Read the reservation under txid into r, inside txn with flags.  Only
 * its used items are stored.  Returns 0, DB_NOTFOUND, or an error; a
 * record of the wrong size is an error.
 */
static int
store_reservation_get(struct store *st, DB_TXN *txn, const char *txid,
    struct reservation *r, uint32_t flags)
{
	size_t	got = 0;
	int	rc;

	if ((rc = store_getn(st->reserve, txn, txid, r, sizeof *r, 0, flags,
	    &got)) != 0)
		return (rc);
	if (!store_reservation_ok(r, got)) {
		log_error("store: reservation %s is malformed", txid);
		return (EINVAL);
	}
	return (0);
}

/* Write reservation r, its used items only. */
static int
store_reservation_put(struct store *st, DB_TXN *txn,
    const struct reservation *r)
{
	return (store_put(st->reserve, txn, r->txid, r,
	    RESERVATION_SIZE(r->nitems)));
}

/* Does lock (ts1, m1) come before (ts2, m2)?  Lamport's total order. */
static int
store_fence_before(uint64_t ts1, const char *m1, uint64_t ts2,
    const char *m2)
{
	return (ts1 < ts2 || (ts1 == ts2 && strcmp(m1, m2) < 0));
}

struct store_res {
	const struct reservation	*want;
	struct reservation		*out;
};

/*
 * Prepare: unless the checkout is known already, check the lock's fence
 * and every line's stock, take the stock and record the reservation.
 */
static int
store_reserve_step(struct store *st, DB_TXN *txn, void *arg, struct fail *f)
{
	struct store_res		*sr = arg;
	const struct reservation	*w = sr->want;
	struct reservation		*r = sr->out;
	struct product			 p;
	struct fence			 fc;
	int32_t				 delta[SIZE__MAX];
	uint32_t			 i, j;
	int				 rc;

	rc = store_reservation_get(st, txn, w->txid, r, DB_RMW);
	if (rc == 0)
		return (STORE_KEEP);	/* asked again, or aborted first */
	if (rc != DB_NOTFOUND)
		return (rc);
	*r = *w;
	r->format = RESERVATION_FORMAT;
	r->state = RESERVATION_PREPARED;
	r->created = (int64_t)time(NULL);
	for (i = 0; i < r->nitems; i++) {
		struct order_item	*it = &r->items[i];

		/* Lines of one product were sorted together by the caller. */
		if (i > 0 && strcmp(it->product, r->items[i - 1].product) == 0)
			continue;
		rc = store_get(st->products, txn, it->product, &p, sizeof p,
		    sizeof p, DB_RMW);
		if (rc == DB_NOTFOUND) {
			fail_set(f, 404, "product", "no such product: %s",
			    it->product);
			return (STORE_REFUSED);
		}
		if (rc != 0)
			return (rc);

		/* Fencing: never under a lock older than one served. */
		rc = store_get(st->fences, txn, it->product, &fc, sizeof fc,
		    sizeof fc, DB_RMW);
		if (rc != 0 && rc != DB_NOTFOUND)
			return (rc);
		if (rc == 0 && store_fence_before(w->fence_ts, w->fence_market,
		    fc.ts, fc.market)) {
			fail_set(f, 409, "fence", "%s was reserved under a "
			    "later lock (%llu, %s)", it->product,
			    (unsigned long long)fc.ts, fc.market);
			return (STORE_REFUSED);
		}
		memset(&fc, 0, sizeof fc);
		fc.ts = w->fence_ts;
		snprintf(fc.market, sizeof fc.market, "%s", w->fence_market);
		if ((rc = store_put(st->fences, txn, it->product, &fc,
		    sizeof fc)) != 0)
			return (rc);

		memset(delta, 0, sizeof delta);
		for (j = i; j < r->nitems &&
		    strcmp(r->items[j].product, it->product) == 0; j++) {
			struct order_item	*jt = &r->items[j];

			if (p.stock[jt->size] < jt->quantity) {
				fail_set(f, 409, NULL, "not enough stock of %s "
				    "size %s: %d left", p.id,
				    size_names[jt->size], p.stock[jt->size]);
				snprintf(f->product, sizeof f->product, "%s",
				    p.id);
				f->size = jt->size;
				f->available = p.stock[jt->size];
				return (STORE_REFUSED);
			}
			p.stock[jt->size] -= jt->quantity;
			delta[jt->size] -= jt->quantity;
			jt->price_cents = p.price_cents;
			memcpy(jt->name, p.name, sizeof jt->name);
			snprintf(jt->marketplace, sizeof jt->marketplace,
			    "%s", p.marketplace);
		}
		if ((rc = store_next(st, txn, "change_seq", &p.change)) != 0)
			return (rc);
		if ((rc = store_put(st->products, txn, p.id, &p,
		    sizeof p)) != 0)
			return (rc);
		if ((rc = store_ledger_put(st, txn, &p, LEDGER_RESERVE, delta,
		    r->txid)) != 0)
			return (rc);
	}
	return (store_reservation_put(st, txn, r));
}

/* Sort a reservation's lines by product, so locks are taken in order. */
static int
store_item_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct order_item *)a)->product,
	    ((const struct order_item *)b)->product));
}

/*
 * Phase one of two-phase commit at an owner: reserve every line of want
 * (txid, coordinator, the lock's (fence_ts, fence_market), items with
 * product, size and quantity) in one transaction, or none.  Stock never
 * goes below zero, whatever any lock says, and a reservation under a lock
 * older than one already served for the same product is refused.  Asked
 * again, it answers as the first time.  Returns 0 with *out (its state
 * tells prepared, committed or aborted), or -1 with f: 404 for a product
 * that is not ours, 409 for a lack of stock (product, size, available) or
 * a stale lock (field "fence").
 */
static int
store_reserve_flags(struct store *st, const struct reservation *want,
    struct reservation *out, uint32_t flags, struct fail *f)
{
	struct reservation	*w;
	struct store_res	 sr;
	int			 rc;

	if (want->nitems == 0 || want->nitems > ORDER_ITEMS_MAX) {
		fail_set(f, 400, "items", "a reservation has 1 to %d items",
		    ORDER_ITEMS_MAX);
		return (-1);
	}
	w = xmalloc(sizeof *w);
	*w = *want;
	qsort(w->items, w->nitems, sizeof w->items[0], store_item_cmp);
	sr.want = w;
	sr.out = out;
	rc = store_write_flags(st, store_reserve_step, &sr, f, flags);
	free(w);
	return (rc);
}

int
store_reserve(struct store *st, const struct reservation *want,
    struct reservation *out, struct fail *f)
{
	return (store_reserve_flags(st, want, out, 0, f));
}

/*
 * store_reserve for the coordinator's own items, without a sync of the
 * disk of its own: the reservation is durable with the synced commit of
 * the decision that follows it in the log.  Should a crash lose it, no
 * decision was written either, and a checkout with no decision is an
 * abort, which has nothing to give back.
 */
int
store_reserve_here(struct store *st, const struct reservation *want,
    struct reservation *out, struct fail *f)
{
	return (store_reserve_flags(st, want, out, DB_TXN_WRITE_NOSYNC, f));
}

struct store_fin {
	const char		*txid;
	int			 commit;
	struct reservation	*out;
};

/* Phase two: make the sale final, or give the stock back. */
static int
store_finish_step(struct store *st, DB_TXN *txn, void *arg, struct fail *f)
{
	struct store_fin	*sf = arg;
	struct reservation	*r = sf->out;
	struct product		 p;
	int32_t			 delta[SIZE__MAX];
	uint32_t		 i, j;
	uint32_t		 want = sf->commit ? RESERVATION_COMMITTED :
				    RESERVATION_ABORTED;
	int			 rc;

	rc = store_reservation_get(st, txn, sf->txid, r, DB_RMW);
	if (rc == DB_NOTFOUND) {
		if (sf->commit) {
			fail_set(f, 409, NULL, "no reservation %s to commit",
			    sf->txid);
			return (STORE_REFUSED);
		}
		/* An abort before its prepare: the prepare must not hold. */
		memset(r, 0, sizeof *r);
		r->format = RESERVATION_FORMAT;
		r->state = RESERVATION_ABORTED;
		r->created = (int64_t)time(NULL);
		snprintf(r->txid, sizeof r->txid, "%s", sf->txid);
		return (store_reservation_put(st, txn, r));
	}
	if (rc != 0)
		return (rc);
	if (r->state == want)
		return (STORE_KEEP);
	if (r->state != RESERVATION_PREPARED) {
		fail_set(f, 409, NULL, "reservation %s was %s already",
		    sf->txid, r->state == RESERVATION_COMMITTED ?
		    "committed" : "aborted");
		return (STORE_REFUSED);
	}
	r->state = want;
	if (!sf->commit) {
		for (i = 0; i < r->nitems; i = j) {
			rc = store_get(st->products, txn, r->items[i].product,
			    &p, sizeof p, sizeof p, DB_RMW);
			if (rc != 0)
				return (rc);
			memset(delta, 0, sizeof delta);
			for (j = i; j < r->nitems && strcmp(r->items[j].product,
			    r->items[i].product) == 0; j++) {
				p.stock[r->items[j].size] +=
				    r->items[j].quantity;
				delta[r->items[j].size] += r->items[j].quantity;
			}
			if ((rc = store_next(st, txn, "change_seq",
			    &p.change)) != 0)
				return (rc);
			if ((rc = store_put(st->products, txn, p.id, &p,
			    sizeof p)) != 0)
				return (rc);
			if ((rc = store_ledger_put(st, txn, &p, LEDGER_RELEASE,
			    delta, r->txid)) != 0)
				return (rc);
		}
	}
	return (store_reservation_put(st, txn, r));
}

/*
 * Phase two of two-phase commit at an owner: commit makes reservation
 * txid's sale final, abort gives its stock back.  Each is idempotent; an
 * abort of a reservation never prepared leaves a mark that refuses its
 * prepare should it come late.  Returns 0 with *out, or -1 with f (409
 * for a commit of nothing, or a decision against the one made).
 */
int
store_finish(struct store *st, const char *txid, int commit,
    struct reservation *out, struct fail *f)
{
	struct store_fin	sf = { txid, commit, out };

	/*
	 * A crash of the machine may lose this; the reservation is then
	 * prepared again, and its owner asks the coordinator once more.
	 */
	return (store_write_flags(st, store_finish_step, &sf, f,
	    DB_TXN_WRITE_NOSYNC));
}

/*
 * The outcome of an earlier checkout under the Idempotency-Key of in, if
 * it has one: returns STORE_NOTFOUND when there is none (or no key),
 * STORE_OK with the order it bought in *o, STORE_FAILED with its failure
 * in f (or a 422 when the key came with another request), or
 * STORE_ERROR.
 */
int
store_checkout_replay(struct store *st, const struct order_input *in,
    struct order *o, struct fail *f)
{
	DB_TXN	*txn;
	int	 rc;

	if (in->idem_key[0] == '\0')
		return (STORE_NOTFOUND);
	if (store_snapshot(st, &txn) == -1)
		return (STORE_ERROR);
	rc = store_idem_replay(st, txn, 0, in, o, f);
	txn->commit(txn, 0);
	if (rc == 0)
		return (STORE_OK);
	if (rc == DB_NOTFOUND)
		return (STORE_NOTFOUND);
	if (rc == STORE_REFUSED)
		return (STORE_FAILED);
	store_panic(st, rc);
	log_error("store: the outcome under key %s: %s", in->idem_key,
	    db_strerror(rc));
	return (STORE_ERROR);
}

/*
 * Keep a checkout's refusal f (a 4xx) as the outcome of its key, unless
 * an outcome is there already.  Returns 0, or -1 if the store failed.
 */
int
store_checkout_refused(struct store *st, const struct order_input *in,
    const struct fail *first)
{
	struct store_idem_fail	 sf;
	struct order		*o;
	struct fail		 f;
	int			 rc;

	if (in->idem_key[0] == '\0')
		return (0);
	o = xcalloc(1, sizeof *o);
	memset(&sf, 0, sizeof sf);
	sf.in = in;
	sf.out = o;
	sf.first = first;
	fail_clear(&f);
	rc = store_write_flags(st, store_idem_fail_step, &sf, &f,
	    DB_TXN_WRITE_NOSYNC);
	free(o);
	return (rc);
}

struct store_decide {
	const char		*txid;
	const struct decision	*want;
	const struct order	*order;
	const struct order_input *in;
	int			 here;
	struct decision		*out;
};

/*
 * Record a decision unless there is one: with a commit, the order and its
 * key's outcome in the same transaction, and so the making final of this
 * marketplace's own reservation, owners[here], when here is not -1.
 */
static int
store_decide_step(struct store *st, DB_TXN *txn, void *arg, struct fail *f)
{
	struct store_decide	*d = arg;
	struct store_fin	 sf;
	struct reservation	*r;
	struct fail		 ff;
	int			 rc;

	(void)f;
	rc = store_get(st->decisions, txn, d->txid, d->out, sizeof *d->out,
	    sizeof *d->out, DB_RMW);
	if (rc == 0)
		return (STORE_KEEP);
	if (rc != DB_NOTFOUND)
		return (rc);
	*d->out = *d->want;
	d->out->format = DECISION_FORMAT;
	d->out->created = (int64_t)time(NULL);
	if (d->here >= 0 && (uint32_t)d->here < d->out->nowners) {
		r = xmalloc(sizeof *r);
		sf.txid = d->txid;
		sf.commit = d->want->state == DECISION_COMMIT;
		sf.out = r;
		fail_clear(&ff);
		rc = store_finish_step(st, txn, &sf, &ff);
		free(r);
		/* A refusal writes nothing; telling will meet it again. */
		if (rc == 0 || rc == STORE_KEEP)
			d->out->done |= 1u << d->here;
		else if (rc != STORE_REFUSED)
			return (rc);
	}
	if ((rc = store_put(st->decisions, txn, d->txid, d->out,
	    sizeof *d->out)) != 0)
		return (rc);
	if (d->want->state != DECISION_COMMIT)
		return (0);
	if ((rc = store_put(st->orders, txn, d->order->id, d->order,
	    ORDER_SIZE(d->order->nitems))) != 0)
		return (rc);
	return (d->in != NULL ? store_idem_record(st, txn, d->in, d->order,
	    NULL) : 0);
}

/*
 * The coordinator's decision on checkout txid, as want says (its state
 * and owners): written only if there is none yet, for a decision is made
 * once; a commit is written durably, with the order o and the outcome of
 * the key of in (which may be NULL), before anyone is told.  When here is
 * not -1, owners[here] is this marketplace, whose prepared reservation
 * the same transaction makes final or gives back; out's done then says
 * so.  The decision that stands goes to *out: want's, or the one made
 * before, such as the abort that store_decision_ask wrote for an owner
 * that asked first.  Returns 0, or -1 with f.
 */
int
store_decide(struct store *st, const char *txid, const struct decision *want,
    const struct order *o, const struct order_input *in, int here,
    struct decision *out, struct fail *f)
{
	struct store_decide	d = { txid, want, o, in, here, out };

	return (store_write_flags(st, store_decide_step, &d, f,
	    want->state == DECISION_COMMIT ? 0 : DB_TXN_WRITE_NOSYNC));
}

/*
 * The decision on checkout txid in a snapshot.  Returns STORE_OK with
 * *out, STORE_NOTFOUND, or STORE_ERROR.
 */
int
store_decision_get(struct store *st, const char *txid, struct decision *out)
{
	int	rc;

	rc = store_snapshot_get(st, st->decisions, txid, out, sizeof *out,
	    sizeof *out, NULL);
	if (rc == STORE_OK && out->format != DECISION_FORMAT)
		return (STORE_ERROR);
	return (rc);
}

/*
 * An owner asks about checkout txid: the decision, or, when there is none,
 * an abort, written first so that no commit can follow it (presumed
 * abort).  Returns 0 with *out, or -1 with f.
 */
int
store_decision_ask(struct store *st, const char *txid, struct decision *out,
    struct fail *f)
{
	struct decision		want;
	struct store_decide	d = { txid, &want, NULL, NULL, -1, out };

	memset(&want, 0, sizeof want);
	want.state = DECISION_ABORT;
	return (store_write_flags(st, store_decide_step, &d, f,
	    DB_TXN_WRITE_NOSYNC));
}

struct store_done {
	const char	*txid;
	uint32_t	 bits;
};

/* Mark owners as told of a decision. */
static int
store_done_step(struct store *st, DB_TXN *txn, void *arg, struct fail *f)
{
	struct store_done	*sd = arg;
	struct decision		 d;
	int			 rc;

	(void)f;
	rc = store_get(st->decisions, txn, sd->txid, &d, sizeof d, sizeof d,
	    DB_RMW);
	if (rc != 0)
		return (rc == DB_NOTFOUND ? STORE_KEEP : rc);
	if ((d.done | sd->bits) == d.done)
		return (STORE_KEEP);
	d.done |= sd->bits;
	return (store_put(st->decisions, txn, sd->txid, &d, sizeof d));
}

/*
 * Note that the owners in bits (bit i for owners[i]) have the decision on
 * txid, so that recovery tells only the others.  Returns 0, or -1 with f.
 */
int
store_decision_done(struct store *st, const char *txid, uint32_t bits,
    struct fail *f)
{
	struct store_done	sd = { txid, bits };

	return (store_write_flags(st, store_done_step, &sd, f,
	    DB_TXN_WRITE_NOSYNC));
}

struct store_walk_decision {
	store_decision_cb	 cb;
	void			*arg;
};

/* Pass one well-formed decision of a walk on. */
static int
store_walk_decision(const char *key, const void *rec, size_t size, void *arg)
{
	struct store_walk_decision	*w = arg;
	const struct decision		*d = rec;

	if (size != sizeof *d || d->format != DECISION_FORMAT) {
		log_error("store: decision %s is malformed", key);
		return (0);
	}
	return (w->cb(key, d, w->arg));
}

/*
 * Call cb for every decision over one snapshot, with its checkout's id;
 * a non-zero return from cb stops the walk.  Returns 0, or -1.
 */
int
store_decisions_each(struct store *st, store_decision_cb cb, void *arg)
{
	struct store_walk_decision	w = { cb, arg };
	struct decision			d;

	return (store_each(st, st->decisions, 0, &d, sizeof d,
	    store_walk_decision, &w));
}

/*
 * Call cb for every decision that some owner has not confirmed, oldest
 * first, over one snapshot of their index; a non-zero return from cb
 * stops the walk.  Returns 0, or -1.
 */
int
store_pending_decisions_each(struct store *st, store_decision_cb cb,
    void *arg)
{
	struct store_walk_decision	w = { cb, arg };
	struct decision			d;

	return (store_each(st, st->pending_decisions, 1, &d, sizeof d,
	    store_walk_decision, &w));
}

struct store_walk_reservation {
	store_reservation_cb	 cb;
	void			*arg;
};

/* Pass one well-formed reservation of a walk on. */
static int
store_walk_reservation(const char *key, const void *rec, size_t size,
    void *arg)
{
	struct store_walk_reservation	*w = arg;
	const struct reservation	*r = rec;

	if (!store_reservation_ok(r, size)) {
		log_error("store: reservation %s is malformed", key);
		return (0);
	}
	return (w->cb(r, w->arg));
}

/* Walk the reservations of db (an index when index is set) with cb. */
static int
store_reservations_walk(struct store *st, DB *db, int index,
    store_reservation_cb cb, void *arg)
{
	struct store_walk_reservation	 w = { cb, arg };
	struct reservation		*r = xmalloc(sizeof *r);
	int				 rc;

	rc = store_each(st, db, index, r, sizeof *r, store_walk_reservation,
	    &w);
	free(r);
	return (rc);
}

/*
 * Call cb for every reservation (and mark of an early abort) over one
 * snapshot; a non-zero return from cb stops the walk.  Returns 0, or -1.
 */
int
store_reservations_each(struct store *st, store_reservation_cb cb, void *arg)
{
	return (store_reservations_walk(st, st->reserve, 0, cb, arg));
}

/*
 * Call cb for every prepared reservation, oldest first, over one snapshot
 * of their index; a non-zero return from cb stops the walk.  Returns 0,
 * or -1.
 */
int
store_pending_reservations_each(struct store *st, store_reservation_cb cb,
    void *arg)
{
	return (store_reservations_walk(st, st->pending_reserve, 1, cb, arg));
}

/* Pass a committed reservation of a walk of them all on. */
static int
store_walk_sold(const struct reservation *r, void *arg)
{
	struct store_walk_reservation	*w = arg;

	if (r->state != RESERVATION_COMMITTED)
		return (0);
	return (w->cb(r, w->arg));
}

/*
 * Call cb for every committed reservation, the oldest first, over one
 * snapshot of their index; a non-zero return from cb stops the walk.
 * Until peerd has built the index of a store made before it, the walk
 * is of every reservation, in the order of their ids.  Returns 0, or -1.
 */
int
store_sold_each(struct store *st, store_reservation_cb cb, void *arg)
{
	struct store_walk_reservation	w = { cb, arg };
	uint64_t			indexed;

	/* Once built, an index stays built: look until it is. */
	if (!st->sold_built) {
		if (store_counter(st, "indexed", &indexed) == -1)
			return (-1);
		st->sold_built = indexed >= STORE_INDEXED_SOLD;
	}
	if (st->sold_built)
		return (store_reservations_walk(st, st->sold, 1, cb, arg));
	return (store_reservations_walk(st, st->reserve, 0, store_walk_sold,
	    &w));
}
