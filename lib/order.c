/* Orders: reading what a shopper asks for, writing what was bought. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "jsonutil.h"
#include "order.h"
#include "valid.h"

/*
 * Check an order request whatever way it came in: one to ORDER_ITEMS_MAX
 * lines, known product id forms and sizes, quantities in bounds, and no
 * product and size twice.  Returns 0, or -1 with f filled in.
 */
int
order_input_check(const struct order_input *in, struct fail *f)
{
	const struct order_line	*l;
	unsigned int		 i, j;
	char			 field[48];

	if (in->nlines == 0) {
		fail_set(f, 400, "items", "the order has no items");
		return (-1);
	}
	if (in->nlines > ORDER_ITEMS_MAX) {
		fail_set(f, 400, "items", "an order has at most %d items",
		    ORDER_ITEMS_MAX);
		return (-1);
	}
	for (i = 0; i < in->nlines; i++) {
		l = &in->lines[i];
		if (!valid_product_id(l->product)) {
			snprintf(field, sizeof field, "items[%u].product", i);
			fail_set(f, 400, field, "no such product");
			return (-1);
		}
		if (l->size < 0 || l->size >= SIZE__MAX) {
			snprintf(field, sizeof field, "items[%u].size", i);
			fail_set(f, 400, field, "sizes are P, M, G, GG and XG");
			return (-1);
		}
		if (l->quantity < 1 || l->quantity > QUANTITY_MAX) {
			snprintf(field, sizeof field, "items[%u].quantity", i);
			fail_set(f, 400, field, "quantity must be from 1 to %d",
			    QUANTITY_MAX);
			return (-1);
		}
		for (j = 0; j < i; j++) {
			if (strcmp(in->lines[j].product, l->product) == 0 &&
			    in->lines[j].size == l->size) {
				snprintf(field, sizeof field, "items[%u]", i);
				fail_set(f, 400, field, "%s size %s is in the "
				    "order twice", l->product,
				    size_names[l->size]);
				return (-1);
			}
		}
	}
	return (0);
}

/* Read one item object v, number i, into l. */
static int
order_line_from_json(struct json_object *v, unsigned int i,
    struct order_line *l, struct fail *f)
{
	char	field[48], size[8];
	int	has = 0;

	snprintf(field, sizeof field, "items[%u]", i);
	if (jsonutil_object(v, field, f) == -1)
		return (-1);
	json_object_object_foreach(v, key, val) {
		snprintf(field, sizeof field, "items[%u].%.20s", i, key);
		if (strcmp(key, "product") == 0) {
			if (jsonutil_text(val, field, l->product,
			    sizeof l->product, f) == -1)
				return (-1);
			has |= 1;
		} else if (strcmp(key, "size") == 0) {
			if (jsonutil_text(val, field, size, sizeof size,
			    f) == -1)
				return (-1);
			if ((l->size = size_parse(size)) == -1) {
				fail_set(f, 400, field, "unknown size: sizes "
				    "are P, M, G, GG and XG");
				return (-1);
			}
			has |= 2;
		} else if (strcmp(key, "quantity") == 0) {
			if (jsonutil_int(val, field, 1, QUANTITY_MAX,
			    &l->quantity, f) == -1)
				return (-1);
			has |= 4;
		} else {
			fail_set(f, 400, field, "unknown field \"%.20s\"", key);
			return (-1);
		}
	}
	if (has != 7) {
		snprintf(field, sizeof field, "items[%u].%s", i,
		    !(has & 1) ? "product" : !(has & 2) ? "size" : "quantity");
		fail_set(f, 400, field, "%s is required", field);
		return (-1);
	}
	return (0);
}

/*
 * Read an order request {"items": [...]} from a JSON object and check it.
 * Returns 0, or -1 with f filled in.
 */
int
order_input_from_json(struct json_object *obj, struct order_input *in,
    struct fail *f)
{
	struct json_object	*items = NULL;
	size_t			 n, i;

	memset(in, 0, sizeof *in);
	if (jsonutil_object(obj, NULL, f) == -1)
		return (-1);
	json_object_object_foreach(obj, key, val) {
		if (strcmp(key, "items") != 0) {
			fail_set(f, 400, key, "unknown field \"%.40s\"", key);
			return (-1);
		}
		items = val;
	}
	if (items == NULL || !json_object_is_type(items, json_type_array)) {
		fail_set(f, 400, "items", "items must be an array");
		return (-1);
	}
	n = json_object_array_length(items);
	if (n == 0 || n > ORDER_ITEMS_MAX) {
		fail_set(f, 400, "items", "an order has 1 to %d items",
		    ORDER_ITEMS_MAX);
		return (-1);
	}
	for (i = 0; i < n; i++)
		if (order_line_from_json(json_object_array_get_idx(items, i),
		    (unsigned int)i, &in->lines[i], f) == -1)
			return (-1);
	in->nlines = (unsigned int)n;
	return (order_input_check(in, f));
}

/*
 * A checked order request in the JSON that order_input_from_json reads,
 * for the process that buys it.  The caller must put it.
 */
struct json_object *
order_input_to_json(const struct order_input *in)
{
	struct json_object	*obj, *items, *item;
	unsigned int		 i;

	items = json_object_new_array();
	for (i = 0; i < in->nlines; i++) {
		item = json_object_new_object();
		json_object_object_add(item, "product",
		    json_object_new_string(in->lines[i].product));
		json_object_object_add(item, "size",
		    json_object_new_string(size_names[in->lines[i].size]));
		json_object_object_add(item, "quantity",
		    json_object_new_int64(in->lines[i].quantity));
		json_object_array_add(items, item);
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "items", items);
	return (obj);
}

/* Return one bought item as a new JSON object, which the caller puts. */
struct json_object *
order_item_to_json(const struct order_item *it)
{
	struct json_object	*item = json_object_new_object();

	json_object_object_add(item, "product",
	    json_object_new_string(it->product));
	json_object_object_add(item, "marketplace",
	    json_object_new_string(it->marketplace));
	json_object_object_add(item, "name", json_object_new_string(it->name));
	json_object_object_add(item, "size",
	    json_object_new_string(size_names[it->size]));
	json_object_object_add(item, "quantity",
	    json_object_new_int(it->quantity));
	json_object_object_add(item, "price_cents",
	    json_object_new_int64(it->price_cents));
	return (item);
}

/*
 * Read one bought item, as order_item_to_json writes it, from v: every
 * member required and checked.  Returns 0, or -1 with f.
 */
int
order_item_from_json(struct json_object *v, struct order_item *it,
    struct fail *f)
{
	struct json_object	*m;
	char			 size[8];
	int64_t			 n;

	memset(it, 0, sizeof *it);
	if (jsonutil_object(v, "items", f) == -1 ||
	    json_object_object_length(v) != 6 ||
	    !json_object_object_get_ex(v, "product", &m) ||
	    jsonutil_text(m, "product", it->product, sizeof it->product,
	    f) == -1 || !valid_product_id(it->product) ||
	    !json_object_object_get_ex(v, "marketplace", &m) ||
	    jsonutil_text(m, "marketplace", it->marketplace,
	    sizeof it->marketplace, f) == -1 ||
	    !valid_market_name(it->marketplace) ||
	    !json_object_object_get_ex(v, "name", &m) ||
	    jsonutil_text(m, "name", it->name, sizeof it->name, f) == -1 ||
	    !valid_text(it->name, 1, PRODUCT_NAME_MAX, 0) ||
	    !json_object_object_get_ex(v, "size", &m) ||
	    jsonutil_text(m, "size", size, sizeof size, f) == -1 ||
	    (it->size = size_parse(size)) == -1 ||
	    !json_object_object_get_ex(v, "quantity", &m) ||
	    jsonutil_int(m, "quantity", 1, QUANTITY_MAX, &n, f) == -1) {
		fail_set(f, 400, "items", "an item is malformed");
		return (-1);
	}
	it->quantity = (int32_t)n;
	if (!json_object_object_get_ex(v, "price_cents", &m) ||
	    jsonutil_int(m, "price_cents", 1, PRICE_MAX, &it->price_cents,
	    f) == -1) {
		fail_set(f, 400, "items", "an item is malformed");
		return (-1);
	}
	return (0);
}

/* Return the order as a new JSON object, which the caller must put. */
struct json_object *
order_to_json(const struct order *o)
{
	struct json_object	*obj, *items;
	uint32_t		 i;

	obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_string(o->id));
	json_object_object_add(obj, "status",
	    json_object_new_string(o->status));
	items = json_object_new_array();
	for (i = 0; i < o->nitems; i++)
		json_object_array_add(items, order_item_to_json(&o->items[i]));
	json_object_object_add(obj, "items", items);
	json_object_object_add(obj, "total_cents",
	    json_object_new_int64(o->total_cents));
	json_object_object_add(obj, "created",
	    json_object_new_int64(o->created));
	return (obj);
}
