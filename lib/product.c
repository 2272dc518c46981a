/* Products: checking their inputs and writing them as JSON. */

#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "jsonutil.h"
#include "product.h"
#include "utf8.h"
#include "valid.h"

const char *const size_names[SIZE__MAX] = {
	"P",	/* SIZE_P */
	"M",	/* SIZE_M */
	"G",	/* SIZE_G */
	"GG",	/* SIZE_GG */
	"XG",	/* SIZE_XG */
};

/* The colors a product gets when its seller gives none. */
static const char *const product_default_colors[2] = { "#ffffff", "#1b5e20" };

/* Return the enum size named s, or -1 when there is none. */
int
size_parse(const char *s)
{
	int	i;

	for (i = 0; i < SIZE__MAX; i++)
		if (strcmp(s, size_names[i]) == 0)
			return (i);
	return (-1);
}

/* Set an input to its defaults: empty text, default colors, no stock. */
void
product_input_init(struct product_input *in)
{
	memset(in, 0, sizeof *in);
	in->price_cents = -1;
	strcpy(in->colors[0], product_default_colors[0]);
	strcpy(in->colors[1], product_default_colors[1]);
}

/* Remove spaces at both ends of s, in place. */
static void
product_trim(char *s)
{
	size_t	len = strlen(s), start = 0;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n' ||
	    s[len - 1] == '\r' || s[len - 1] == '\t'))
		len--;
	s[len] = '\0';
	while (s[start] == ' ')
		start++;
	memmove(s, s + start, len - start + 1);
}

/*
 * Does s show something once folded for search?  Text made only of
 * combining marks or spaces would be a name nobody can read or find.
 */
static int
product_visible(const char *s)
{
	struct buf	b;
	int		visible;

	buf_init(&b);
	utf8_fold(&b, s);
	visible = b.len > 0 && strspn(b.data, " \t\r\n") != b.len;
	buf_free(&b);
	return (visible);
}

/*
 * Check a registration whatever way it came in, trimming the text fields
 * and writing colors in lower case.  Returns 0, or -1 with f filled in.
 */
int
product_input_check(struct product_input *in, struct fail *f)
{
	int	i, k;

	product_trim(in->name);
	product_trim(in->team);
	product_trim(in->description);
	if (!valid_text(in->name, 1, PRODUCT_NAME_MAX, 0) ||
	    !product_visible(in->name)) {
		fail_set(f, 400, "name", "name must be 1 to %d bytes of text "
		    "on one line", PRODUCT_NAME_MAX);
		return (-1);
	}
	if (!valid_text(in->team, 1, PRODUCT_TEAM_MAX, 0) ||
	    !product_visible(in->team)) {
		fail_set(f, 400, "team", "team must be 1 to %d bytes of text "
		    "on one line", PRODUCT_TEAM_MAX);
		return (-1);
	}
	if (!valid_text(in->description, 0, PRODUCT_DESC_MAX, 1)) {
		fail_set(f, 400, "description", "description must be at most "
		    "%d bytes of text", PRODUCT_DESC_MAX);
		return (-1);
	}
	for (i = 0; i < 2; i++) {
		if (!valid_color(in->colors[i])) {
			fail_set(f, 400, "colors",
			    "colors must be two colors written #rrggbb");
			return (-1);
		}
		for (k = 1; k < COLOR_LEN; k++)
			in->colors[i][k] = (char)tolower(
			    (unsigned char)in->colors[i][k]);
	}
	if (in->price_cents < 1 || in->price_cents > PRICE_MAX) {
		fail_set(f, 400, "price_cents", "price_cents must be from 1 "
		    "to %d", PRICE_MAX);
		return (-1);
	}
	for (i = 0; i < SIZE__MAX; i++) {
		if (in->stock[i] < 0 || in->stock[i] > STOCK_MAX) {
			fail_set(f, 400, "stock", "stock of %s must be from 0 "
			    "to %d", size_names[i], STOCK_MAX);
			return (-1);
		}
	}
	return (0);
}

/* Does the change change nothing: no delta of any size, no price? */
int
product_patch_empty(const struct product_patch *p)
{
	int	i;

	for (i = 0; i < SIZE__MAX; i++)
		if (p->has_delta[i])
			return (0);
	return (!p->has_price);
}

/*
 * Check a change: at least one thing to change, deltas and price within
 * bounds.  Whether a delta would take a stock below zero is for the store
 * to say, inside its transaction.  Returns 0, or -1 with f filled in.
 */
int
product_patch_check(const struct product_patch *p, struct fail *f)
{
	int	i;

	for (i = 0; i < SIZE__MAX; i++) {
		if (!p->has_delta[i])
			continue;
		if (p->delta[i] < -STOCK_MAX || p->delta[i] > STOCK_MAX) {
			fail_set(f, 400, "stock_delta", "stock_delta of %s "
			    "must be from %d to %d", size_names[i], -STOCK_MAX,
			    STOCK_MAX);
			return (-1);
		}
	}
	if (p->has_price && (p->price_cents < 1 ||
	    p->price_cents > PRICE_MAX)) {
		fail_set(f, 400, "price_cents", "price_cents must be from 1 "
		    "to %d", PRICE_MAX);
		return (-1);
	}
	if (product_patch_empty(p)) {
		fail_set(f, 400, NULL, "nothing to change: give stock_delta "
		    "or price_cents");
		return (-1);
	}
	return (0);
}

/*
 * Read the per-size object v of field ("stock" or "stock_delta") into
 * values, marking present sizes in has (which may be NULL).
 */
static int
product_sizes_from_json(struct json_object *v, const char *field,
    int64_t min, int64_t max, int64_t *values, int *has, struct fail *f)
{
	int	size;

	if (jsonutil_object(v, field, f) == -1)
		return (-1);
	json_object_object_foreach(v, key, val) {
		if ((size = size_parse(key)) == -1) {
			fail_set(f, 400, field, "unknown size \"%.8s\" in %s: "
			    "sizes are P, M, G, GG and XG", key, field);
			return (-1);
		}
		if (jsonutil_int(val, field, min, max, &values[size], f) == -1)
			return (-1);
		if (has != NULL)
			has[size] = 1;
	}
	return (0);
}

/* Read the colors array v: exactly two strings. */
static int
product_colors_from_json(struct json_object *v, struct product_input *in,
    struct fail *f)
{
	size_t	i;

	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) != 2) {
		fail_set(f, 400, "colors", "colors must be an array of two "
		    "colors written #rrggbb");
		return (-1);
	}
	for (i = 0; i < 2; i++)
		if (jsonutil_text(json_object_array_get_idx(v, i), "colors",
		    in->colors[i], sizeof in->colors[i], f) == -1)
			return (-1);
	return (0);
}

/*
 * Read a registration from a JSON object: types and field names only; the
 * caller runs product_input_check on the result.  Returns 0, or -1 with f
 * filled in.
 */
int
product_input_from_json(struct json_object *obj, struct product_input *in,
    struct fail *f)
{
	int	has_name = 0, has_team = 0, has_price = 0, has_stock = 0;
	int	rc = 0;

	product_input_init(in);
	if (jsonutil_object(obj, NULL, f) == -1)
		return (-1);
	json_object_object_foreach(obj, key, val) {
		if (strcmp(key, "name") == 0) {
			rc = jsonutil_text(val, key, in->name,
			    sizeof in->name, f);
			has_name = 1;
		} else if (strcmp(key, "team") == 0) {
			rc = jsonutil_text(val, key, in->team,
			    sizeof in->team, f);
			has_team = 1;
		} else if (strcmp(key, "description") == 0)
			rc = jsonutil_text(val, key, in->description,
			    sizeof in->description, f);
		else if (strcmp(key, "price_cents") == 0) {
			rc = jsonutil_int(val, key, 1, PRICE_MAX,
			    &in->price_cents, f);
			has_price = 1;
		} else if (strcmp(key, "stock") == 0) {
			rc = product_sizes_from_json(val, key, 0, STOCK_MAX,
			    in->stock, NULL, f);
			has_stock = 1;
		} else if (strcmp(key, "colors") == 0)
			rc = product_colors_from_json(val, in, f);
		else {
			fail_set(f, 400, key, "unknown field \"%.40s\"", key);
			rc = -1;
		}
		if (rc == -1)
			return (-1);
	}
	if (!has_name || !has_team || !has_price || !has_stock) {
		fail_set(f, 400, !has_name ? "name" : !has_team ? "team" :
		    !has_price ? "price_cents" : "stock",
		    "%s is required", !has_name ? "name" : !has_team ? "team" :
		    !has_price ? "price_cents" : "stock");
		return (-1);
	}
	return (0);
}

/*
 * Read a change from a JSON object with "stock_delta" and "price_cents",
 * both optional.  Returns 0, or -1 with f filled in.
 */
int
product_patch_from_json(struct json_object *obj, struct product_patch *p,
    struct fail *f)
{
	int	rc;

	memset(p, 0, sizeof *p);
	if (jsonutil_object(obj, NULL, f) == -1)
		return (-1);
	json_object_object_foreach(obj, key, val) {
		if (strcmp(key, "stock_delta") == 0)
			rc = product_sizes_from_json(val, key, -STOCK_MAX,
			    STOCK_MAX, p->delta, p->has_delta, f);
		else if (strcmp(key, "price_cents") == 0) {
			rc = jsonutil_int(val, key, 1, PRICE_MAX,
			    &p->price_cents, f);
			p->has_price = 1;
		} else {
			fail_set(f, 400, key, "unknown field \"%.40s\"", key);
			rc = -1;
		}
		if (rc == -1)
			return (-1);
	}
	return (product_patch_check(p, f));
}

/* The sizes of values marked in has (all when has is NULL), as JSON. */
static struct json_object *
product_sizes_to_json(const int64_t *values, const int *has)
{
	struct json_object	*obj = json_object_new_object();
	int			 i;

	for (i = 0; i < SIZE__MAX; i++)
		if (has == NULL || has[i])
			json_object_object_add(obj, size_names[i],
			    json_object_new_int64(values[i]));
	return (obj);
}

/*
 * A checked registration in the JSON that product_input_from_json reads,
 * for the process that writes it.  The caller must put it.
 */
struct json_object *
product_input_to_json(const struct product_input *in)
{
	struct json_object	*obj, *colors;

	obj = json_object_new_object();
	json_object_object_add(obj, "name", json_object_new_string(in->name));
	json_object_object_add(obj, "team", json_object_new_string(in->team));
	json_object_object_add(obj, "price_cents",
	    json_object_new_int64(in->price_cents));
	json_object_object_add(obj, "stock",
	    product_sizes_to_json(in->stock, NULL));
	json_object_object_add(obj, "description",
	    json_object_new_string(in->description));
	colors = json_object_new_array();
	json_object_array_add(colors, json_object_new_string(in->colors[0]));
	json_object_array_add(colors, json_object_new_string(in->colors[1]));
	json_object_object_add(obj, "colors", colors);
	return (obj);
}

/*
 * A checked change in the JSON that product_patch_from_json reads.  The
 * caller must put it.
 */
struct json_object *
product_patch_to_json(const struct product_patch *p)
{
	struct json_object	*obj = json_object_new_object();
	int			 i;

	for (i = 0; i < SIZE__MAX; i++)
		if (p->has_delta[i])
			break;
	if (i < SIZE__MAX)
		json_object_object_add(obj, "stock_delta",
		    product_sizes_to_json(p->delta, p->has_delta));
	if (p->has_price)
		json_object_object_add(obj, "price_cents",
		    json_object_new_int64(p->price_cents));
	return (obj);
}

/* Return the product as a new JSON object, which the caller must put. */
struct json_object *
product_to_json(const struct product *p)
{
	struct json_object	*obj, *stock, *colors;
	int			 i;

	obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_string(p->id));
	json_object_object_add(obj, "marketplace",
	    json_object_new_string(p->marketplace));
	json_object_object_add(obj, "name", json_object_new_string(p->name));
	json_object_object_add(obj, "team", json_object_new_string(p->team));
	json_object_object_add(obj, "price_cents",
	    json_object_new_int64(p->price_cents));
	stock = json_object_new_object();
	for (i = 0; i < SIZE__MAX; i++)
		json_object_object_add(stock, size_names[i],
		    json_object_new_int(p->stock[i]));
	json_object_object_add(obj, "stock", stock);
	json_object_object_add(obj, "description",
	    json_object_new_string(p->description));
	colors = json_object_new_array();
	json_object_array_add(colors, json_object_new_string(p->colors[0]));
	json_object_array_add(colors, json_object_new_string(p->colors[1]));
	json_object_object_add(obj, "colors", colors);
	return (obj);
}

/*
 * Return the product as its owner announces it to peers: product_to_json
 * with its change number.  The caller must put it.
 */
struct json_object *
product_to_peer_json(const struct product *p)
{
	struct json_object	*obj = product_to_json(p);

	json_object_object_add(obj, "change",
	    json_object_new_int64((int64_t)p->change));
	return (obj);
}

/* Has the product any stock in any size?  Returns 1 or 0. */
int
product_in_stock(const struct product *p)
{
	int	i;

	for (i = 0; i < SIZE__MAX; i++)
		if (p->stock[i] > 0)
			return (1);
	return (0);
}

/*
 * Read a whole product as its owner announces it to peers: the JSON of
 * product_to_json with "change" added.  Every field is required and
 * checked as if a seller had typed it, the id must name the marketplace,
 * and the change number must be positive.  Returns 0, or -1 with f.
 */
int
product_from_json(struct json_object *obj, struct product *p, struct fail *f)
{
	struct product_input	 in;
	struct json_object	*v;
	int64_t			 n;
	size_t			 len;
	int			 i;
	char			 id[PRODUCT_ID_MAX + 1];

	memset(p, 0, sizeof *p);
	if (jsonutil_object(obj, NULL, f) == -1)
		return (-1);
	json_object_object_foreach(obj, key, val) {
		if (strcmp(key, "id") != 0 && strcmp(key, "marketplace") != 0 &&
		    strcmp(key, "name") != 0 && strcmp(key, "team") != 0 &&
		    strcmp(key, "price_cents") != 0 &&
		    strcmp(key, "stock") != 0 &&
		    strcmp(key, "description") != 0 &&
		    strcmp(key, "colors") != 0 && strcmp(key, "change") != 0) {
			fail_set(f, 400, key, "unknown field \"%.40s\"", key);
			return (-1);
		}
		(void)val;
	}
	if (!json_object_object_get_ex(obj, "id", &v) ||
	    jsonutil_text(v, "id", id, sizeof id, f) == -1 ||
	    !valid_product_id(id)) {
		fail_set(f, 400, "id", "id must be a product id");
		return (-1);
	}
	if (!json_object_object_get_ex(obj, "marketplace", &v) ||
	    jsonutil_text(v, "marketplace", p->marketplace,
	    sizeof p->marketplace, f) == -1 ||
	    (len = strlen(p->marketplace)) == 0 ||
	    strncmp(id, p->marketplace, len) != 0 || id[len] != '-') {
		fail_set(f, 400, "marketplace", "marketplace must be the "
		    "name the id starts with");
		return (-1);
	}
	if (!json_object_object_get_ex(obj, "change", &v) ||
	    jsonutil_int(v, "change", 1, INT64_MAX, &n, f) == -1) {
		fail_set(f, 400, "change", "change must be a positive number");
		return (-1);
	}
	p->change = (uint64_t)n;

	/* The rest is what a seller registers, checked the same way. */
	product_input_init(&in);
	if (!json_object_object_get_ex(obj, "name", &v) ||
	    jsonutil_text(v, "name", in.name, sizeof in.name, f) == -1 ||
	    !json_object_object_get_ex(obj, "team", &v) ||
	    jsonutil_text(v, "team", in.team, sizeof in.team, f) == -1 ||
	    !json_object_object_get_ex(obj, "description", &v) ||
	    jsonutil_text(v, "description", in.description,
	    sizeof in.description, f) == -1 ||
	    !json_object_object_get_ex(obj, "price_cents", &v) ||
	    jsonutil_int(v, "price_cents", 1, PRICE_MAX, &in.price_cents,
	    f) == -1 ||
	    !json_object_object_get_ex(obj, "stock", &v) ||
	    product_sizes_from_json(v, "stock", 0, STOCK_MAX, in.stock, NULL,
	    f) == -1 ||
	    !json_object_object_get_ex(obj, "colors", &v) ||
	    product_colors_from_json(v, &in, f) == -1) {
		fail_set(f, 400, NULL, "a product needs id, marketplace, "
		    "name, team, price_cents, stock, description, colors and "
		    "change");
		return (-1);
	}
	if (product_input_check(&in, f) == -1)
		return (-1);
	p->format = PRODUCT_FORMAT;
	p->price_cents = in.price_cents;
	for (i = 0; i < SIZE__MAX; i++)
		p->stock[i] = (int32_t)in.stock[i];
	memcpy(p->id, id, sizeof p->id);
	memcpy(p->name, in.name, sizeof p->name);
	memcpy(p->team, in.team, sizeof p->team);
	memcpy(p->description, in.description, sizeof p->description);
	memcpy(p->colors, in.colors, sizeof p->colors);
	return (0);
}
