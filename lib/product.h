/*
 * The shop's own types: a product (one shirt model with a stock per size),
 * the inputs that create and change one, and their JSON forms.
 */
#ifndef FEIRA_PRODUCT_H
#define FEIRA_PRODUCT_H

#include <stdint.h>

#include <json-c/json.h>

#include "fail.h"

enum size {
	SIZE_P,
	SIZE_M,
	SIZE_G,
	SIZE_GG,
	SIZE_XG,
	SIZE__MAX
};

extern const char *const size_names[SIZE__MAX];

/* Limits of every field; lengths are in bytes of UTF-8. */
#define MARKET_NAME_MAX		16
#define PRODUCT_ID_MAX		40
#define PRODUCT_NAME_MAX	120
#define PRODUCT_TEAM_MAX	80
#define PRODUCT_DESC_MAX	2000
#define PRICE_MAX		100000000	/* R$ 1.000.000,00 */
#define STOCK_MAX		1000000
#define QUANTITY_MAX		1000
#define COLOR_LEN		7		/* "#rrggbb" */

/*
 * A product as stored.  The record is written as it is into Berkeley DB,
 * so PRODUCT_FORMAT changes whenever the layout does.
 */
#define PRODUCT_FORMAT		2
struct product {
	uint32_t	format;
	uint32_t	flags;		/* PRODUCT_* below, never stored */
	uint64_t	change;		/* owner's number of its last change */
	int64_t		price_cents;
	int32_t		stock[SIZE__MAX];
	char		id[PRODUCT_ID_MAX + 1];
	char		marketplace[MARKET_NAME_MAX + 1];
	char		name[PRODUCT_NAME_MAX + 1];
	char		team[PRODUCT_TEAM_MAX + 1];
	char		description[PRODUCT_DESC_MAX + 1];
	char		colors[2][COLOR_LEN + 1];
};

/* Flags set on a product as it is read, for showing it. */
#define PRODUCT_UNREACHABLE	0x1	/* its owner does not answer now */

/* What a seller gives to register a product. */
struct product_input {
	char		name[PRODUCT_NAME_MAX + 1];
	char		team[PRODUCT_TEAM_MAX + 1];
	char		description[PRODUCT_DESC_MAX + 1];
	char		colors[2][COLOR_LEN + 1];
	int64_t		price_cents;
	int64_t		stock[SIZE__MAX];
};

/* What a seller gives to change a product: deltas, never new values. */
struct product_patch {
	int		has_delta[SIZE__MAX];
	int64_t		delta[SIZE__MAX];
	int		has_price;
	int64_t		price_cents;
};

int		 size_parse(const char *);
void		 product_input_init(struct product_input *);
int		 product_input_check(struct product_input *, struct fail *);
int		 product_patch_empty(const struct product_patch *);
int		 product_patch_check(const struct product_patch *,
		     struct fail *);
int		 product_input_from_json(struct json_object *,
		     struct product_input *, struct fail *);
int		 product_patch_from_json(struct json_object *,
		     struct product_patch *, struct fail *);
struct json_object *product_input_to_json(const struct product_input *);
struct json_object *product_patch_to_json(const struct product_patch *);
struct json_object *product_to_json(const struct product *);
struct json_object *product_to_peer_json(const struct product *);
int		 product_from_json(struct json_object *, struct product *,
		     struct fail *);
int		 product_in_stock(const struct product *);

#endif
