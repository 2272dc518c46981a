/*
 * The audit of a network: every marketplace's store on its own
 * (store_audit), then all of them together.  Every item of an order that
 * a coordinator confirmed must be a sale at its owner, committed under
 * the order's id with the same product, size and quantity, and every
 * sale at an owner must be an item of a confirmed order at its
 * coordinator.  Open reservations are counted, for a network that has
 * not settled yet holds some.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

/* One item seen from one side: an order's at its coordinator, or a sale. */
struct audit_line {
	char	txid[TXID_MAX + 1];
	char	owner[MARKET_NAME_MAX + 1];
	char	coordinator[MARKET_NAME_MAX + 1];
	char	product[PRODUCT_ID_MAX + 1];
	int	size;
	int	quantity;
};

struct audit_list {
	struct audit_line	*l;
	size_t			 n;
	size_t			 size;
};

/* What a walk of one store adds to. */
struct audit_walk {
	const char		*market;
	struct audit_list	*orders;
	struct audit_list	*sales;
	size_t			 norders;
	size_t			 open;
};

/* Add an item to list. */
static void
audit_add(struct audit_list *list, const char *txid, const char *owner,
    const char *coordinator, const struct order_item *it)
{
	struct audit_line	*l;

	if (list->n == list->size) {
		list->size = list->size == 0 ? 256 : list->size * 2;
		list->l = xreallocarray(list->l, list->size, sizeof *list->l);
	}
	l = &list->l[list->n++];
	memset(l, 0, sizeof *l);
	snprintf(l->txid, sizeof l->txid, "%s", txid);
	snprintf(l->owner, sizeof l->owner, "%s", owner);
	snprintf(l->coordinator, sizeof l->coordinator, "%s", coordinator);
	snprintf(l->product, sizeof l->product, "%s", it->product);
	l->size = it->size;
	l->quantity = it->quantity;
}

/* Take the items of an order confirmed at this coordinator. */
static int
audit_order(const struct order *o, void *arg)
{
	struct audit_walk	*w = arg;
	uint32_t		 i;

	w->norders++;
	for (i = 0; i < o->nitems; i++)
		audit_add(w->orders, o->id, o->items[i].marketplace, w->market,
		    &o->items[i]);
	return (0);
}

/* Take the items of a committed reservation, and count the open ones. */
static int
audit_reservation(const struct reservation *r, void *arg)
{
	struct audit_walk	*w = arg;
	uint32_t		 i;

	if (r->state == RESERVATION_PREPARED)
		w->open++;
	if (r->state != RESERVATION_COMMITTED)
		return (0);
	for (i = 0; i < r->nitems; i++)
		audit_add(w->sales, r->txid, w->market, r->coordinator,
		    &r->items[i]);
	return (0);
}

/* Order lines by order, owner, product and size. */
static int
audit_line_cmp(const void *a, const void *b)
{
	const struct audit_line	*x = a, *y = b;
	int			 rc;

	if ((rc = strcmp(x->txid, y->txid)) != 0 ||
	    (rc = strcmp(x->owner, y->owner)) != 0 ||
	    (rc = strcmp(x->product, y->product)) != 0)
		return (rc);
	return (x->size - y->size);
}

/* Is market one of the n audited? */
static int
audit_known(const struct conf *confs, int n, const char *market)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(confs[i].name, market) == 0)
			return (1);
	return (0);
}

/* Say what one side has that the other lacks. */
static void
audit_missing(FILE *out, const struct audit_line *l, int order)
{
	if (order)
		fprintf(out, "order %s at %s: %s %s x %d is not a sale at "
		    "%s\n", l->txid, l->coordinator, l->product,
		    size_names[l->size], l->quantity, l->owner);
	else
		fprintf(out, "sale %s at %s: %s %s x %d is in no order at "
		    "%s\n", l->txid, l->owner, l->product,
		    size_names[l->size], l->quantity, l->coordinator);
}

/*
 * Match the orders' items with the owners' sales, both sorted, for the
 * marketplaces audited.  Returns the number of items on one side only or
 * with another quantity.
 */
static int
audit_match(FILE *out, struct audit_list *orders, struct audit_list *sales,
    const struct conf *confs, int n)
{
	size_t	i = 0, j = 0;
	int	bad = 0, c;

	if (orders->n > 0)
		qsort(orders->l, orders->n, sizeof *orders->l, audit_line_cmp);
	if (sales->n > 0)
		qsort(sales->l, sales->n, sizeof *sales->l, audit_line_cmp);
	while (i < orders->n || j < sales->n) {
		if (i < orders->n && !audit_known(confs, n,
		    orders->l[i].owner)) {
			i++;
			continue;
		}
		if (j < sales->n && !audit_known(confs, n,
		    sales->l[j].coordinator)) {
			j++;
			continue;
		}
		if (i == orders->n)
			c = 1;
		else if (j == sales->n)
			c = -1;
		else
			c = audit_line_cmp(&orders->l[i], &sales->l[j]);
		if (c < 0) {
			audit_missing(out, &orders->l[i++], 1);
			bad++;
		} else if (c > 0) {
			audit_missing(out, &sales->l[j++], 0);
			bad++;
		} else {
			if (orders->l[i].quantity != sales->l[j].quantity ||
			    strcmp(orders->l[i].coordinator,
			    sales->l[j].coordinator) != 0) {
				audit_missing(out, &orders->l[i], 1);
				bad++;
			}
			i++;
			j++;
		}
	}
	return (bad);
}

/*
 * Audit the stores of the n marketplaces of confs, each on its own and
 * all together, writing every violation and a summary line per
 * marketplace and for the network to out.  Returns the number of
 * violations, or -1 when a store could not be read.
 */
int
audit_network(const struct conf *confs, int n, FILE *out)
{
	struct audit_list	 orders, sales;
	struct audit_walk	 w;
	struct store		*st;
	size_t			 products, open = 0, norders = 0;
	int			 i, bad = 0, one, failed = 0;

	memset(&orders, 0, sizeof orders);
	memset(&sales, 0, sizeof sales);
	for (i = 0; i < n; i++) {
		if ((st = store_open(confs[i].data, confs[i].name,
		    confs[i].cache_mb, 0)) == NULL) {
			fprintf(out, "%s: the store cannot be opened\n",
			    confs[i].name);
			failed = 1;
			continue;
		}
		memset(&w, 0, sizeof w);
		w.market = confs[i].name;
		w.orders = &orders;
		w.sales = &sales;
		one = store_audit(st, out, &products);
		if (one == -1 ||
		    store_orders_each(st, audit_order, &w) == -1 ||
		    store_reservations_each(st, audit_reservation, &w) == -1) {
			fprintf(out, "%s: the audit could not read the store\n",
			    confs[i].name);
			failed = 1;
		} else {
			fprintf(out, "%s: %zu products, %zu orders, %zu open "
			    "reservations, %d violations\n", confs[i].name,
			    products, w.norders, w.open, one);
			bad += one;
		}
		open += w.open;
		norders += w.norders;
		store_close(st);
	}
	one = audit_match(out, &orders, &sales, confs, n);
	fprintf(out, "network: %zu orders, %zu items sold, %zu open "
	    "reservations, %d violations between marketplaces\n", norders,
	    sales.n, open, one);
	free(orders.l);
	free(sales.l);
	return (failed ? -1 : bad + one);
}
