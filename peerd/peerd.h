/*
 * peerd: the peer daemon of one marketplace.  It answers the other
 * marketplaces under /peer/ (through nginx, on a unix socket), answers
 * its own FastCGI program on a second unix socket, pushes this
 * marketplace's changes to every peer and pulls theirs, and keeps the
 * marketplace's Lamport clock.  Declarations of every file of peerd/.
 */
#ifndef FEIRA_PEERD_H
#define FEIRA_PEERD_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "buf.h"
#include "conf.h"
#include "fail.h"
#include "store.h"

/* The kinds of peer message, counted apart. */
enum kind {
	KIND_CHANGES,		/* POST /peer/changes: an owner's push */
	KIND_CATCHUP,		/* GET /peer/changes/since/N */
	KIND_PRODUCT,		/* GET /peer/products/ID */
	KIND_HELLO,		/* POST /peer/lock/hello: a new incarnation */
	KIND_LOCK_REQUEST,	/* POST /peer/lock/request */
	KIND_LOCK_RELEASE,	/* POST /peer/lock/release */
	KIND_PREPARE,		/* POST /peer/txn/prepare */
	KIND_DECIDE,		/* POST /peer/txn/decide */
	KIND_ASK,		/* POST /peer/txn/ask */
	KIND__MAX
};

extern const char *const kind_names[KIND__MAX];

/*
 * The steps of a checkout whose time peerd sums (GET /api/status): the
 * whole of a checkout it was asked for, and in it the lock, the round
 * of prepares, the decision and the round of decisions; and an owner's
 * reservation for a peer's prepare.
 */
enum phase {
	PHASE_CHECKOUT,		/* txn_checkout, start to answer */
	PHASE_LOCK,		/* lock_acquire, requests to the grant */
	PHASE_PREPARE,		/* the prepares, our own reservation too */
	PHASE_DECISION,		/* the decision written (a commit synced) */
	PHASE_TELL,		/* the decisions, and releases, answered */
	PHASE_RESERVE,		/* an owner's answer to a prepare, its
				   synced commit when it reserves */
	PHASE__MAX
};

extern const char *const phase_names[PHASE__MAX];

/* Peers' messages are refused when their time is further off than this. */
#define PEER_WINDOW		30

/* Bounds of every call to a peer, in milliseconds. */
#define PEER_CONNECT_MS		300
#define PEER_TIMEOUT_MS		1000
#define PEER_PAGE_MS		500	/* a product page's call */

/*
 * The checkout's lock (peer-lock.c): how long a request waits for every
 * acknowledgement, and in how many rounds; how long it waits for earlier
 * requests to finish; how long a peer's request is kept without its
 * release; most releases in one message.
 */
#define LOCK_ACK_MS		2000
#define LOCK_TRIES		2
#define LOCK_WAIT_MS		5000
#define LOCK_LEASE_MS		15000
#define LOCK_RELEASE_MAX	1000

/*
 * Two-phase commit (peer-txn.c): how long phase one may take, in how
 * many rounds; how old a decision is before recovery sends it again, and
 * a reservation before its owner asks about it; most of each that one
 * round of recovery handles.
 */
#define TXN_PREPARE_MS		2000
#define TXN_TRIES		2
#define TXN_RESEND_SECONDS	2
#define TXN_ASK_SECONDS		5
#define TXN_ROUND_MAX		64

/* How often each peer is asked for the changes it has. */
#define PEER_CATCHUP_SECONDS	2

/* What peerd knows of one peer; guarded by pd->lock. */
struct peer {
	const struct conf_peer	*conf;
	int			 answering;
	int			 known;		/* asked at least once */
	time_t			 last_heard;
	uint64_t		 held;		/* its changes held up to */
	uint64_t		 sent[KIND__MAX];
	uint64_t		 received[KIND__MAX];
	uint64_t		 failed;	/* calls that got no answer */
	struct peer_state	 saved;		/* as last put in peers.db */

	/* What the lock knows of the peer (peer-lock.c). */
	uint64_t		 lock_inc;	/* its incarnation */
	uint64_t		 lock_floor;	/* below it, all is over */
	struct lock_tomb	*tombs;		/* releases above it */
	size_t			 ntombs;
	size_t			 tombs_size;
	struct lock_tomb	*unsent;	/* our releases it may lack */
	size_t			 nunsent;
	size_t			 unsent_size;
	int			 hello_due;	/* our incarnation is news */
};

/* A request of the lock's, by timestamp, kept until a time (ms). */
struct lock_tomb {
	uint64_t	ts;
	int64_t		until;
};

struct lock_entry;

/* A release as a peer sends it: its requests ts[0..n-1] are over. */
struct lock_release {
	uint64_t	inc;
	uint64_t	floor;
	int64_t		ts[LOCK_RELEASE_MAX];
	size_t		n;
};

struct peerd {
	struct conf		 conf;
	unsigned char		 key[32];
	struct store		*store;
	char			 clock_path[CONF_PATH_MAX + 8];

	pthread_mutex_t		 lock;		/* guards what follows */
	pthread_cond_t		 wake;
	int			 notified;
	uint64_t		 clock;
	uint64_t		 clock_reserved;
	int			 npeers;
	struct peer		 peers[CONF_PEERS_MAX];
	uint64_t		 pushed;	/* own changes pushed up to */
	time_t			 started;

	uint64_t		 incarnation;	/* this start's, from meta.db */
	struct lock_entry	*queue;		/* the lock's requests */
	pthread_cond_t		 lock_cond;	/* the queue lost a request */

	/* Not under lock: added to and read atomically (peer-txn.c). */
	uint64_t		 phase_n[PHASE__MAX];	/* times each ran */
	uint64_t		 phase_us[PHASE__MAX];	/* and took, in all */
};

/* Largest header value kept of an answer. */
#define CALL_HEADER_MAX		80

/* One call to one peer and what came back. */
struct call {
	struct peer		*peer;
	enum kind		 kind;
	const char		*method;
	char			 path[160];
	const char		*body;
	size_t			 body_len;
	long			 timeout_ms;	/* 0: PEER_TIMEOUT_MS */
	CURL			*easy;
	struct curl_slist	*headers;
	struct buf		 answer;
	char			 from[CALL_HEADER_MAX];
	char			 time[CALL_HEADER_MAX];
	char			 clock[CALL_HEADER_MAX];
	char			 sig[CALL_HEADER_MAX];
	long			 status;
	int			 ok;	/* a signed answer came back */
	char			 error[CURL_ERROR_SIZE];
};

extern struct peerd		*pd;
extern volatile sig_atomic_t	 peerd_quit;

/* peerd.c */
void	 failpoint(const char *);

/* peer-call.c */
void	 call_init(struct call *, struct peer *, enum kind, const char *,
	    const char *, const char *, long);
void	 call_prepare(struct call *);
void	 call_finish(struct call *, CURLcode);
void	 call_free(struct call *);
CURLM	*call_multi(void);
void	 call_start(struct call *, int);
void	 call_wait(struct call *, int);
void	 call_run(struct call *, int);

/* peer-clock.c */
int	 clock_load(void);
uint64_t clock_tick(void);
uint64_t clock_receive(uint64_t);
uint64_t clock_receive_locked(uint64_t);

/* peer-local.c */
int	 local_fail(struct buf *, const struct fail *);
int	 local_answer(struct buf *, struct json_object *, int);
int	 local_product_create(const struct buf *, struct buf *);
int	 local_product_update(const char *, const struct buf *, struct buf *);
int	 local_logout(struct buf *);
int	 local_order_input(const struct buf *, const char *, const char *,
	    struct order_input *, struct fail *);
int	 local_order_answer(struct buf *, const char *, int);
int	 local_deadline(const char *, int64_t *, struct fail *);
int	 local_late(int64_t, struct fail *);

/* peer-lock.c */
int64_t	 lock_now_ms(void);
int	 lock_start(void);
void	 lock_stop(void);
int	 lock_acquire(const char (*)[PRODUCT_ID_MAX + 1], int,
	    struct lock_entry **, struct fail *);
void	 lock_release(struct lock_entry *);
uint32_t lock_leave(struct lock_entry *);
int	 lock_releases_take(uint32_t, struct peer **, struct json_object **);
void	 lock_releases_sent(struct peer *, struct json_object *, int);
int	 lock_release_read(struct json_object *, struct lock_release *,
	    struct fail *);
void	 lock_release_apply(struct peer *, const struct lock_release *);
uint64_t lock_ts(const struct lock_entry *);
void	 lock_peer_holds(struct peer *, uint64_t);
int	 lock_on_request(struct peer *, const struct buf *, struct buf *);
int	 lock_on_release(struct peer *, const struct buf *, struct buf *);
int	 lock_on_hello(struct peer *, const struct buf *, struct buf *);
void	 lock_tick(void);
void	 lock_status(struct json_object *);

/* peer-txn.c */
int	 txn_checkout(const struct buf *, const char *, const char *,
	    int64_t, struct buf *);
int	 txn_on_prepare(struct peer *, const struct buf *, struct buf *);
int	 txn_on_decide(struct peer *, const struct buf *, struct buf *);
int	 txn_on_ask(struct peer *, const struct buf *, struct buf *);
void	*txn_main(void *);

/* peer-sign.c */
void	 sign_message(const char *, const char *, const char *,
	    const char *, const char *, const char *, size_t, char *);
int	 sign_check(const char *, const char *, const char *, const char *,
	    const char *, const char *, const char *, size_t, uint64_t *,
	    struct fail *);

/* peer-http.c */
int	 http_start(void);
void	 http_stop(void);

/* peer-sync.c */
void	*sync_main(void *);
void	 sync_notify(void);
void	 sync_save(struct peer *);
int	 sync_take(struct peer *, struct json_object *, uint64_t, uint64_t,
	    int *, struct fail *);
struct peer *sync_peer(const char *);
int	 sync_fetch_product(const char *, struct buf *, struct fail *);
void	 sync_status(struct buf *);

#endif
