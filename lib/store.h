/*
 * The product store of one marketplace: products and orders in one
 * transactional Berkeley DB environment that several processes share.
 * Readers take snapshots, so they never wait for writers; every write is
 * one transaction that commits all of its changes or none.
 */
#ifndef FEIRA_STORE_H
#define FEIRA_STORE_H

#include "fail.h"
#include "order.h"
#include "product.h"

struct store;

/* Return values of the look-up functions. */
#define STORE_OK	0
#define STORE_ERROR	-1
#define STORE_NOTFOUND	1

typedef int	(*store_product_cb)(const struct product *, void *);
typedef int	(*store_order_cb)(const struct order *, void *);

struct store	*store_open(const char *, const char *);
void		 store_close(struct store *);
int		 store_product_get(struct store *, const char *,
		     struct product *);
int		 store_product_create(struct store *,
		     const struct product_input *, struct product *,
		     struct fail *);
int		 store_product_update(struct store *, const char *,
		     const struct product_patch *, struct product *,
		     struct fail *);
int		 store_products_each(struct store *, store_product_cb, void *);
int		 store_order_create(struct store *, const struct order_input *,
		     struct order *, struct fail *);
int		 store_order_get(struct store *, const char *, struct order *);
int		 store_orders_each(struct store *, store_order_cb, void *);

#endif
