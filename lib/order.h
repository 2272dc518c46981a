/* Orders: what a shopper asks to buy, and what was bought. */
#ifndef FEIRA_ORDER_H
#define FEIRA_ORDER_H

#include <stdint.h>

#include <json-c/json.h>

#include "fail.h"
#include "product.h"

#define ORDER_ITEMS_MAX		50
#define ORDER_ID_MAX		40

/* One line of an order request. */
struct order_line {
	char		product[PRODUCT_ID_MAX + 1];
	int		size;		/* enum size */
	int64_t		quantity;
};

#define IDEM_KEY_MAX		100

struct order_input {
	unsigned int		nlines;
	struct order_line	lines[ORDER_ITEMS_MAX];
	/*
	 * The client's Idempotency-Key ("" for none) and a digest of its
	 * request: a second order under the same key gets the first one's
	 * outcome and buys nothing.
	 */
	char			idem_key[IDEM_KEY_MAX + 1];
	unsigned char		idem_digest[32];
};

/* One line of an order as bought, with the name and price paid. */
struct order_item {
	char		product[PRODUCT_ID_MAX + 1];
	char		marketplace[MARKET_NAME_MAX + 1];
	char		name[PRODUCT_NAME_MAX + 1];
	int32_t		size;
	int32_t		quantity;
	int64_t		price_cents;
};

/*
 * An order as stored: the header, then nitems items.  Only the used items
 * are written to the database.
 */
#define ORDER_FORMAT		1
struct order {
	uint32_t		format;
	uint32_t		nitems;
	int64_t			created;	/* seconds since the epoch */
	int64_t			total_cents;
	char			id[ORDER_ID_MAX + 1];
	char			status[16];
	struct order_item	items[ORDER_ITEMS_MAX];
};

#define ORDER_SIZE(n) \
	(sizeof(struct order) - \
	    (ORDER_ITEMS_MAX - (n)) * sizeof(struct order_item))

int		 order_input_check(const struct order_input *,
		     struct fail *);
int		 order_input_from_json(struct json_object *,
		     struct order_input *, struct fail *);
struct json_object *order_input_to_json(const struct order_input *);
struct json_object *order_item_to_json(const struct order_item *);
int		 order_item_from_json(struct json_object *,
		     struct order_item *, struct fail *);
struct json_object *order_to_json(const struct order *);

#endif
