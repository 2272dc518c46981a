/*
 * The product store of one marketplace: products and orders in one
 * transactional Berkeley DB environment that several processes share.
 * Readers take snapshots, so they never wait for writers; every write is
 * one transaction that commits all of its changes or none.
 */
#ifndef FEIRA_STORE_H
#define FEIRA_STORE_H

#include <stdint.h>
#include <stdio.h>

#include "fail.h"
#include "order.h"
#include "product.h"

struct store;

/* Flags of store_open. */
#define STORE_THREADS	0x1	/* threads of the process share the store */

/*
 * What a marketplace knows of a peer; written by its peer daemon only,
 * read by the pages.
 */
struct peer_state {
	uint32_t	answering;	/* 1 while the peer answers */
	uint32_t	pad;
	int64_t		last_heard;	/* seconds since the epoch, or 0 */
	uint64_t	held;		/* every change up to this is held */
};

/*
 * A process exits with this status when the environment needs recovery;
 * its supervisor starts it again.
 */
#define STORE_EXIT_RECOVER	75

/*
 * A checkout's reservation at an owner, for two-phase commit: the items
 * of the owner's products, held under the coordinator's transaction id
 * and the Lamport lock (fence_ts, fence_market) it was granted.
 */
#define RESERVATION_FORMAT	2
#define RESERVATION_PREPARED	1
#define RESERVATION_COMMITTED	2
#define RESERVATION_ABORTED	3
#define TXID_MAX		48

struct reservation {
	uint32_t		format;
	uint32_t		state;
	char			txid[TXID_MAX + 1];
	char			coordinator[MARKET_NAME_MAX + 1];
	uint64_t		fence_ts;
	char			fence_market[MARKET_NAME_MAX + 1];
	int64_t			created;
	uint32_t		nitems;
	struct order_item	items[ORDER_ITEMS_MAX];
};

/* The bytes of a reservation of n items as stored: the used items only. */
#define RESERVATION_SIZE(n) \
	(sizeof(struct reservation) - \
	    (ORDER_ITEMS_MAX - (n)) * sizeof(struct order_item))

/*
 * The coordinator's decision on a checkout, for two-phase commit, under
 * its id (the order's id): commit or abort, and which owners have been
 * told of it.
 */
#define DECISION_FORMAT		1
#define DECISION_COMMIT		1
#define DECISION_ABORT		2
#define DECISION_OWNERS_MAX	17

struct decision {
	uint32_t	format;
	uint32_t	state;
	int64_t		created;
	uint32_t	nowners;
	uint32_t	done;		/* bit i: owners[i] has it */
	char		owners[DECISION_OWNERS_MAX][MARKET_NAME_MAX + 1];
};

/* Return values of the look-up functions. */
#define STORE_OK	0
#define STORE_ERROR	-1
#define STORE_NOTFOUND	1
#define STORE_FAILED	2	/* store_checkout_replay: it had failed */

typedef int	(*store_product_cb)(const struct product *, void *);
typedef int	(*store_order_cb)(const struct order *, void *);
typedef int	(*store_decision_cb)(const char *, const struct decision *,
		    void *);
typedef int	(*store_reservation_cb)(const struct reservation *, void *);

struct store	*store_open(const char *, const char *, int, int);
void		 store_close(struct store *);
void		 store_checkpoint(struct store *);
void		 store_check(struct store *);
int		 store_product_get(struct store *, const char *,
		     struct product *);
int		 store_product_create(struct store *,
		     const struct product_input *, struct product *,
		     struct fail *);
int		 store_product_update(struct store *, const char *,
		     const struct product_patch *, struct product *,
		     struct fail *);
int		 store_products_each(struct store *, store_product_cb, void *);
int		 store_order_get(struct store *, const char *, struct order *);
void		 store_order_id(struct store *, char *, size_t);
int		 store_orders_each(struct store *, store_order_cb, void *);
int		 store_change_high(struct store *, uint64_t *);
int		 store_counter(struct store *, const char *, uint64_t *);
int		 store_counter_bump(struct store *, const char *, uint64_t *,
		     struct fail *);
int		 store_changes_each(struct store *, uint64_t,
		     store_product_cb, void *);
int		 store_remote_get(struct store *, const char *,
		     struct product *);
int		 store_remote_each(struct store *, store_product_cb, void *);
int		 store_remote_apply(struct store *, const struct product *,
		     int *, struct fail *);
int		 store_peer_get(struct store *, const char *,
		     struct peer_state *);
int		 store_peer_put(struct store *, const char *,
		     const struct peer_state *);
int		 store_audit(struct store *, FILE *, size_t *);
int		 store_reserve(struct store *, const struct reservation *,
		     struct reservation *, struct fail *);
int		 store_reserve_here(struct store *,
		     const struct reservation *, struct reservation *,
		     struct fail *);
int		 store_finish(struct store *, const char *, int,
		     struct reservation *, struct fail *);
int		 store_reservations_each(struct store *,
		     store_reservation_cb, void *);
int		 store_pending_reservations_each(struct store *,
		     store_reservation_cb, void *);
int		 store_sold_each(struct store *, store_reservation_cb,
		     void *);
int		 store_checkout_replay(struct store *,
		     const struct order_input *, struct order *,
		     struct fail *);
int		 store_checkout_refused(struct store *,
		     const struct order_input *, const struct fail *);
int		 store_decide(struct store *, const char *,
		     const struct decision *, const struct order *,
		     const struct order_input *, int, struct decision *,
		     struct fail *);
int		 store_decision_get(struct store *, const char *,
		     struct decision *);
int		 store_decision_ask(struct store *, const char *,
		     struct decision *, struct fail *);
int		 store_decision_done(struct store *, const char *, uint32_t,
		     struct fail *);
int		 store_decisions_each(struct store *, store_decision_cb,
		     void *);
int		 store_pending_decisions_each(struct store *,
		     store_decision_cb, void *);

#endif
