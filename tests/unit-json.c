/*
 * Unit tests of lib/jsonutil.c, and of the JSON side of lib/product.c and
 * lib/order.c: what request bodies are refused, with which status and
 * which field to blame, and what the answers hold.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "fail.h"
#include "jsonutil.h"
#include "order.h"
#include "product.h"
#include "tap.h"

/* A registration that passes every check. */
#define GOOD_PRODUCT \
	"{\"name\": \"Camisa Gr\xc3\xaamio I\", \"team\": \"Gr\xc3\xaamio\"," \
	" \"price_cents\": 24990," \
	" \"stock\": {\"P\": 1, \"M\": 2, \"G\": 3, \"GG\": 4, \"XG\": 5}," \
	" \"description\": \"Oficial\", \"colors\": [\"#0D80BF\", \"#000000\"]}"

/* The start of a registration that lacks price_cents and stock. */
#define P_BEGIN	"{\"name\": \"N\", \"team\": \"T\", "

/* The end of a registration that lacks a name. */
#define P_END	" \"team\": \"T\", \"price_cents\": 1, \"stock\": {}}"

/* Parse the NUL-terminated body s, filling f on failure. */
static struct json_object *
parse(const char *s, struct fail *f)
{
	fail_clear(f);
	return (jsonutil_parse(s, strlen(s), f));
}

/* Check that body s is refused by jsonutil_parse with a 400. */
static void
check_parse_refused(const char *s, size_t len, const char *claim)
{
	struct json_object	*obj;
	struct fail		 f;

	fail_clear(&f);
	obj = jsonutil_parse(s, len, &f);
	ok(obj == NULL && f.status == 400, "%s", claim);
	json_object_put(obj);
}

/*
 * Read a registration from s and check it, as the API does.  Returns 0 or
 * -1, with f filled in.
 */
static int
product_from(const char *s, struct product_input *in, struct fail *f)
{
	struct json_object	*obj;
	int			 rc;

	if ((obj = parse(s, f)) == NULL)
		return (-1);
	rc = product_input_from_json(obj, in, f);
	if (rc == 0)
		rc = product_input_check(in, f);
	json_object_put(obj);
	return (rc);
}

/* Check that registration s is refused with a 400 blaming field. */
static void
check_product_refused(const char *s, const char *field, const char *claim)
{
	struct product_input	in;
	struct fail		f;
	int			rc;

	rc = product_from(s, &in, &f);
	ok(rc == -1 && f.status == 400 && strcmp(f.field, field) == 0,
	    "%s", claim);
	if (rc != -1 || f.status != 400 || strcmp(f.field, field) != 0)
		printf("# rc %d, status %d, field \"%s\", want 400 \"%s\"\n",
		    rc, f.status, f.field, field);
}

/* Read a change from s.  Returns 0 or -1, with f filled in. */
static int
patch_from(const char *s, struct product_patch *p, struct fail *f)
{
	struct json_object	*obj;
	int			 rc;

	if ((obj = parse(s, f)) == NULL)
		return (-1);
	rc = product_patch_from_json(obj, p, f);
	json_object_put(obj);
	return (rc);
}

/* Read an order request from s.  Returns 0 or -1, with f filled in. */
static int
order_from(const char *s, struct order_input *in, struct fail *f)
{
	struct json_object	*obj;
	int			 rc;

	if ((obj = parse(s, f)) == NULL)
		return (-1);
	rc = order_input_from_json(obj, in, f);
	json_object_put(obj);
	return (rc);
}

/* Check that order request s is refused with a 400 blaming field. */
static void
check_order_refused(const char *s, const char *field, const char *claim)
{
	struct order_input	in;
	struct fail		f;
	int			rc;

	rc = order_from(s, &in, &f);
	ok(rc == -1 && f.status == 400 && strcmp(f.field, field) == 0,
	    "%s", claim);
	if (rc != -1 || f.status != 400 || strcmp(f.field, field) != 0)
		printf("# rc %d, status %d, field \"%s\", want 400 \"%s\"\n",
		    rc, f.status, f.field, field);
}

/* The member key of obj, or NULL. */
static struct json_object *
member(struct json_object *obj, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(obj, key, &v))
		return (NULL);
	return (v);
}

/* The string member key of obj, or "(missing)". */
static const char *
member_str(struct json_object *obj, const char *key)
{
	struct json_object	*v = member(obj, key);

	if (v == NULL || !json_object_is_type(v, json_type_string))
		return ("(missing)");
	return (json_object_get_string(v));
}

/* The integer member key of obj, or -12345 when it is not one. */
static int64_t
member_int(struct json_object *obj, const char *key)
{
	struct json_object	*v = member(obj, key);

	if (v == NULL || !json_object_is_type(v, json_type_int))
		return (-12345);
	return (json_object_get_int64(v));
}

/* Whole bodies: empty, malformed, trailing bytes, bad UTF-8, nesting. */
static void
test_parse(void)
{
	struct json_object	*obj;
	struct fail		 f;
	char			 deep[64];
	int			 i;

	fail_clear(&f);
	obj = jsonutil_parse("", 0, &f);
	ok(obj == NULL && f.status == 400, "an empty body is refused with 400");
	is_str(f.field, "", "an empty body blames no field");
	check_parse_refused("{", 1, "a body that ends too soon is refused");
	check_parse_refused("{\"a\":}", 6, "a member without a value is "
	    "refused");
	check_parse_refused("[1,]", 4, "a trailing comma is refused");
	check_parse_refused("{\"a\":01}", 8, "a number with a leading zero is "
	    "refused");
	check_parse_refused("{} x", 4, "trailing garbage is refused");
	check_parse_refused("{}{}", 4, "a second value after the first is "
	    "refused");
	check_parse_refused("{\"a\":\"\xff\"}", 8, "invalid UTF-8 is refused");
	check_parse_refused("{\"a\":\"\xc0\xaf\"}", 9,
	    "overlong UTF-8 is refused");
	check_parse_refused("{}\0 ", 4, "a NUL byte after the value is "
	    "refused");

	obj = parse("{\"a\": 1} \r\n\t ", &f);
	ok(obj != NULL && f.status == 0, "trailing white space is accepted");
	is_int(member_int(obj, "a"), 1, "the value before the white space is "
	    "read");
	json_object_put(obj);

	obj = parse("{\"a\": \"S\xc3\xa3o\"}", &f);
	is_str(member_str(obj, "a"), "S\xc3\xa3o", "UTF-8 text is read "
	    "back as sent");
	json_object_put(obj);

	/* Seven levels of arrays are allowed, twenty are not. */
	obj = parse("[[[[[[[1]]]]]]]", &f);
	ok(obj != NULL, "seven levels of nesting are accepted");
	json_object_put(obj);
	for (i = 0; i < 20; i++) {
		deep[i] = '[';
		deep[21 + i] = ']';
	}
	deep[20] = '1';
	deep[41] = '\0';
	obj = parse(deep, &f);
	ok(obj == NULL && f.status == 400, "twenty levels of nesting are "
	    "refused with 400");
	json_object_put(obj);
}

/* A registration that passes is read whole. */
static void
test_product_good(void)
{
	struct product_input	in;
	struct fail		f;

	is_int(product_from(GOOD_PRODUCT, &in, &f), 0,
	    "a complete registration is accepted");
	is_int(f.status, 0, "an accepted registration leaves no failure");
	is_str(in.name, "Camisa Gr\xc3\xaamio I", "the name is kept");
	is_str(in.team, "Gr\xc3\xaamio", "the team is kept");
	is_str(in.description, "Oficial", "the description is kept");
	is_int(in.price_cents, 24990, "price_cents is 24990");
	ok(in.stock[SIZE_P] == 1 && in.stock[SIZE_M] == 2 &&
	    in.stock[SIZE_G] == 3 && in.stock[SIZE_GG] == 4 &&
	    in.stock[SIZE_XG] == 5, "the stock of all five sizes is kept");
	is_str(in.colors[0], "#0d80bf", "colors are written in lower case");
	is_str(in.colors[1], "#000000", "the second color is kept");

	is_int(product_from("{\"name\": \"  Camisa  \", \"team\": \" Bahia\","
	    " \"price_cents\": 100, \"stock\": {\"M\": 7}}", &in, &f), 0,
	    "a registration without colors nor description is accepted");
	is_str(in.name, "Camisa", "the name is trimmed");
	is_str(in.team, "Bahia", "the team is trimmed");
	is_str(in.description, "", "a missing description is empty");
	ok(strcmp(in.colors[0], "#ffffff") == 0 &&
	    strcmp(in.colors[1], "#1b5e20") == 0,
	    "missing colors default to #ffffff and #1b5e20");
	ok(in.stock[SIZE_M] == 7 && in.stock[SIZE_P] == 0 &&
	    in.stock[SIZE_XG] == 0, "sizes missing from stock are 0");

	is_int(product_from("{\"name\": \"N\", \"team\": \"T\","
	    " \"price_cents\": 100000000, \"stock\": {\"P\": 1000000}}",
	    &in, &f), 0, "PRICE_MAX and STOCK_MAX are accepted");
}

/* A registration missing a required field blames that field. */
static void
test_product_missing(void)
{
	check_product_refused("{\"team\": \"T\", \"price_cents\": 1,"
	    " \"stock\": {}}", "name", "a registration without name is "
	    "refused with 400 naming \"name\"");
	check_product_refused("{\"name\": \"N\", \"price_cents\": 1,"
	    " \"stock\": {}}", "team", "a registration without team is "
	    "refused with 400 naming \"team\"");
	check_product_refused("{\"name\": \"N\", \"team\": \"T\","
	    " \"stock\": {}}", "price_cents", "a registration without "
	    "price_cents is refused with 400 naming \"price_cents\"");
	check_product_refused("{\"name\": \"N\", \"team\": \"T\","
	    " \"price_cents\": 1}", "stock", "a registration without stock "
	    "is refused with 400 naming \"stock\"");
	check_product_refused("[]", "", "a body that is not an object is "
	    "refused with 400");
	check_product_refused("{\"name\": \"N\", \"team\": \"T\","
	    " \"price_cents\": 1, \"stock\": {}, \"size\": \"M\"}", "size",
	    "an unknown field is refused with 400 naming it");
}

/* Wrong types and values each blame their field. */
static void
test_product_bad(void)
{
	struct product_input	in;
	struct fail		f;
	char			big[400];

	check_product_refused(P_BEGIN "\"price_cents\": \"100\","
	    " \"stock\": {}}", "price_cents",
	    "price_cents given as a string is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1.5, \"stock\": {}}",
	    "price_cents", "price_cents of 1.5 is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 0, \"stock\": {}}",
	    "price_cents", "price_cents of 0 is refused");
	check_product_refused(P_BEGIN "\"price_cents\": -100,"
	    " \"stock\": {}}", "price_cents",
	    "a negative price_cents is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 100000001,"
	    " \"stock\": {}}", "price_cents",
	    "price_cents of PRICE_MAX + 1 is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 99999999999999999999,"
	    " \"stock\": {}}", "price_cents",
	    "price_cents of 99999999999999999999 is refused");
	check_product_refused(P_BEGIN "\"price_cents\": true, \"stock\": {}}",
	    "price_cents", "price_cents given as a boolean is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1,"
	    " \"stock\": {\"XXL\": 1}}", "stock",
	    "the unknown size \"XXL\" in stock is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1,"
	    " \"stock\": {\"m\": 1}}", "stock",
	    "sizes are case-sensitive: \"m\" is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1,"
	    " \"stock\": {\"P\": -1}}", "stock", "a negative stock is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1,"
	    " \"stock\": {\"P\": 1000001}}", "stock",
	    "a stock of STOCK_MAX + 1 is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1, \"stock\": [1]}",
	    "stock", "a stock that is not an object is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1, \"stock\": {},"
	    " \"colors\": [\"#ffffff\"]}", "colors",
	    "one color instead of two is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1, \"stock\": {},"
	    " \"colors\": [\"#ffffff\", \"#000000\", \"#ff0000\"]}", "colors",
	    "three colors instead of two are refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1, \"stock\": {},"
	    " \"colors\": [\"#12345g\", \"#000000\"]}", "colors",
	    "the color \"#12345g\" is refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1, \"stock\": {},"
	    " \"colors\": [1, 2]}", "colors", "colors given as numbers are "
	    "refused");
	check_product_refused(P_BEGIN "\"price_cents\": 1, \"stock\": {},"
	    " \"colors\": \"#ffffff\"}", "colors",
	    "colors given as a string are refused");
	check_product_refused("{\"name\": \"   \"," P_END, "name",
	    "a name of only spaces is refused");
	check_product_refused("{\"name\": \"\"," P_END, "name",
	    "an empty name is refused");
	check_product_refused("{\"name\": 5," P_END, "name",
	    "a name given as a number is refused");
	check_product_refused("{\"name\": \"a\\nb\"," P_END, "name",
	    "a name on two lines is refused");
	check_product_refused("{\"name\": \"a\\u0000b\"," P_END, "name",
	    "a name holding \\u0000 is refused");
	check_product_refused("{\"name\": \"a\\u0007b\"," P_END, "name",
	    "a name holding a control character is refused");

	/* A name of exactly PRODUCT_NAME_MAX bytes passes; one more not. */
	snprintf(big, sizeof big, "{\"name\": \"%0*d\"," P_END,
	    PRODUCT_NAME_MAX + 1, 0);
	check_product_refused(big, "name", "a name of PRODUCT_NAME_MAX + 1 "
	    "bytes is refused");
	snprintf(big, sizeof big, "{\"name\": \"%0*d\"," P_END,
	    PRODUCT_NAME_MAX, 0);
	is_int(product_from(big, &in, &f), 0,
	    "a name of PRODUCT_NAME_MAX bytes is accepted");
	is_int(strlen(in.name), PRODUCT_NAME_MAX,
	    "the name of PRODUCT_NAME_MAX bytes is kept whole");
}

/* Changes: deltas per size and a new price. */
static void
test_patch(void)
{
	struct product_patch	p;
	struct fail		f;

	ok(patch_from("{}", &p, &f) == -1 && f.status == 400,
	    "an empty change is refused with 400");
	ok(patch_from("{\"stock_delta\": {\"XXL\": 1}}", &p, &f) == -1 &&
	    f.status == 400 && strcmp(f.field, "stock_delta") == 0,
	    "a delta of the unknown size \"XXL\" is refused naming "
	    "stock_delta");
	ok(patch_from("{\"stock_delta\": {\"P\": 1000001}}", &p, &f) == -1 &&
	    f.status == 400 && strcmp(f.field, "stock_delta") == 0,
	    "a delta of STOCK_MAX + 1 is refused");
	ok(patch_from("{\"stock_delta\": {\"P\": 1.5}}", &p, &f) == -1 &&
	    f.status == 400 && strcmp(f.field, "stock_delta") == 0,
	    "a delta of 1.5 is refused");
	ok(patch_from("{\"stock\": {\"P\": 1}}", &p, &f) == -1 &&
	    f.status == 400 && strcmp(f.field, "stock") == 0,
	    "a change giving stock instead of stock_delta is refused");
	ok(patch_from("{\"price_cents\": 0}", &p, &f) == -1 &&
	    f.status == 400 && strcmp(f.field, "price_cents") == 0,
	    "a new price of 0 is refused");

	is_int(patch_from("{\"stock_delta\": {\"P\": 5, \"M\": -2}}", &p, &f),
	    0, "deltas of +5 and -2 are accepted");
	ok(p.has_delta[SIZE_P] && p.delta[SIZE_P] == 5, "the delta of P is 5");
	ok(p.has_delta[SIZE_M] && p.delta[SIZE_M] == -2,
	    "the delta of M is -2");
	ok(!p.has_delta[SIZE_G] && !p.has_delta[SIZE_GG] &&
	    !p.has_delta[SIZE_XG], "sizes not named have no delta");
	is_int(p.has_price, 0, "a change without price_cents keeps the price");

	is_int(patch_from("{\"price_cents\": 1990}", &p, &f), 0,
	    "a new price alone is accepted");
	ok(p.has_price && p.price_cents == 1990, "the new price is 1990");
	ok(!p.has_delta[SIZE_P] && !p.has_delta[SIZE_XG],
	    "a change of price alone has no delta");
}

/* Order requests: the shape, limits and repeats of items. */
static void
test_order(void)
{
	struct order_input	in;
	struct fail		f;
	struct buf		items, body;
	int			i;

	is_int(order_from("{\"items\": [{\"product\": \"rio-1\", \"size\": "
	    "\"M\", \"quantity\": 2}, {\"product\": \"rio-2\", \"size\": "
	    "\"GG\", \"quantity\": 1}, {\"product\": \"rio-1\", \"size\": "
	    "\"P\", \"quantity\": 1000}]}", &in, &f), 0,
	    "an order of three lines is accepted");
	is_int(in.nlines, 3, "it has three lines");
	ok(strcmp(in.lines[0].product, "rio-1") == 0 &&
	    in.lines[0].size == SIZE_M && in.lines[0].quantity == 2,
	    "the first line is rio-1, size M, quantity 2");
	ok(strcmp(in.lines[1].product, "rio-2") == 0 &&
	    in.lines[1].size == SIZE_GG && in.lines[1].quantity == 1,
	    "the second line is rio-2, size GG, quantity 1");
	ok(in.lines[2].size == SIZE_P && in.lines[2].quantity == QUANTITY_MAX,
	    "the same product in another size, QUANTITY_MAX of it, is "
	    "accepted");

	check_order_refused("{\"items\": []}", "items",
	    "an order without items is refused");
	check_order_refused("{\"items\": {}}", "items",
	    "items that are not an array are refused");
	check_order_refused("{}", "items", "an order without \"items\" is "
	    "refused");
	check_order_refused("{\"items\": [], \"note\": \"x\"}", "note",
	    "an unknown field in an order is refused");
	check_order_refused("{\"items\": [5]}", "items[0]",
	    "an item that is not an object is refused naming items[0]");
	check_order_refused("{\"items\": [{\"product\": \"rio-1\", \"size\": "
	    "\"M\", \"quantity\": 0}]}", "items[0].quantity",
	    "a quantity of 0 is refused naming items[0].quantity");
	check_order_refused("{\"items\": [{\"product\": \"rio-1\", \"size\": "
	    "\"M\", \"quantity\": 1001}]}", "items[0].quantity",
	    "a quantity of QUANTITY_MAX + 1 is refused");
	check_order_refused("{\"items\": [{\"product\": \"rio-1\", \"size\": "
	    "\"M\", \"quantity\": \"1\"}]}", "items[0].quantity",
	    "a quantity given as a string is refused");
	check_order_refused("{\"items\": [{\"product\": \"rio-1\", \"size\": "
	    "\"M\"}]}", "items[0].quantity",
	    "a missing quantity is refused naming items[0].quantity");
	check_order_refused("{\"items\": [{\"size\": \"M\", \"quantity\": 1}]}",
	    "items[0].product", "a missing product is refused");
	check_order_refused("{\"items\": [{\"product\": \"rio-1\", "
	    "\"quantity\": 1}]}", "items[0].size", "a missing size is refused");
	check_order_refused("{\"items\": [{\"product\": \"rio-1\", \"size\": "
	    "\"XXL\", \"quantity\": 1}]}", "items[0].size",
	    "the unknown size \"XXL\" is refused naming items[0].size");
	check_order_refused("{\"items\": [{\"product\": \"Rio-1\", \"size\": "
	    "\"M\", \"quantity\": 1}]}", "items[0].product",
	    "a malformed product id is refused");
	check_order_refused("{\"items\": [{\"product\": \"rio-1\", \"size\": "
	    "\"M\", \"quantity\": 1, \"color\": \"red\"}]}",
	    "items[0].color", "an unknown field in an item is refused");
	check_order_refused("{\"items\": [{\"product\": \"rio-1\", \"size\": "
	    "\"M\", \"quantity\": 1}, {\"product\": \"rio-1\", \"size\": "
	    "\"M\", \"quantity\": 2}]}", "items[1]",
	    "the same product and size twice is refused naming items[1]");

	/* ORDER_ITEMS_MAX distinct lines pass; one more does not. */
	buf_init(&items);
	buf_init(&body);
	for (i = 0; i < ORDER_ITEMS_MAX; i++)
		buf_addf(&items, "%s{\"product\": \"rio-%d\", \"size\": "
		    "\"%s\", \"quantity\": 1}", i > 0 ? ", " : "",
		    i / SIZE__MAX + 1, size_names[i % SIZE__MAX]);
	buf_addf(&body, "{\"items\": [%s]}", items.data);
	is_int(order_from(body.data, &in, &f), 0,
	    "an order of ORDER_ITEMS_MAX (%d) lines is accepted",
	    ORDER_ITEMS_MAX);
	is_int(in.nlines, ORDER_ITEMS_MAX, "all %d lines are read",
	    ORDER_ITEMS_MAX);
	buf_reset(&body);
	buf_addf(&body, "{\"items\": [%s, {\"product\": \"rio-99\", "
	    "\"size\": \"M\", \"quantity\": 1}]}", items.data);
	check_order_refused(body.data, "items",
	    "an order of ORDER_ITEMS_MAX + 1 lines is refused");
	buf_free(&items);
	buf_free(&body);
}

/* A product written as JSON, read back, holds the same values. */
static void
test_product_to_json(void)
{
	struct product		 p;
	struct json_object	*out, *back, *stock, *colors;
	struct fail		 f;
	const char		*text;
	int			 i, sizes_ok = 1;

	memset(&p, 0, sizeof p);
	p.format = PRODUCT_FORMAT;
	p.price_cents = 24990;
	for (i = 0; i < SIZE__MAX; i++)
		p.stock[i] = 10 * (i + 1);
	snprintf(p.id, sizeof p.id, "rio-12");
	snprintf(p.marketplace, sizeof p.marketplace, "rio");
	snprintf(p.name, sizeof p.name, "Camisa \"Tricolor\" S\xc3\xa3o Paulo");
	snprintf(p.team, sizeof p.team, "S\xc3\xa3o Paulo");
	snprintf(p.description, sizeof p.description, "Linha 1\nLinha 2 <b>");
	snprintf(p.colors[0], sizeof p.colors[0], "#ffffff");
	snprintf(p.colors[1], sizeof p.colors[1], "#ff0000");

	out = product_to_json(&p);
	text = json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN);
	back = parse(text, &f);
	ok(back != NULL, "product_to_json writes JSON that jsonutil_parse "
	    "reads back");
	is_str(member_str(back, "id"), "rio-12", "id is \"rio-12\"");
	is_str(member_str(back, "marketplace"), "rio", "marketplace is "
	    "\"rio\"");
	is_str(member_str(back, "name"), p.name, "name survives quotes and "
	    "UTF-8");
	is_str(member_str(back, "team"), "S\xc3\xa3o Paulo", "team is kept");
	is_int(member_int(back, "price_cents"), 24990, "price_cents is 24990");
	is_str(member_str(back, "description"), "Linha 1\nLinha 2 <b>",
	    "description keeps its newline and markup characters as text");
	stock = member(back, "stock");
	ok(stock != NULL && json_object_is_type(stock, json_type_object) &&
	    json_object_object_length(stock) == SIZE__MAX,
	    "stock is an object of five sizes");
	for (i = 0; i < SIZE__MAX; i++)
		if (member_int(stock, size_names[i]) != 10 * (i + 1))
			sizes_ok = 0;
	ok(sizes_ok, "stock holds P 10, M 20, G 30, GG 40, XG 50");
	colors = member(back, "colors");
	ok(colors != NULL && json_object_is_type(colors, json_type_array) &&
	    json_object_array_length(colors) == 2,
	    "colors is an array of two");
	is_str(json_object_get_string(json_object_array_get_idx(colors, 0)),
	    "#ffffff", "the first color is #ffffff");
	is_str(json_object_get_string(json_object_array_get_idx(colors, 1)),
	    "#ff0000", "the second color is #ff0000");
	json_object_put(back);
	json_object_put(out);
}

/* An order written as JSON, read back, holds the same values. */
static void
test_order_to_json(void)
{
	struct order		 ord, *o = &ord;
	struct json_object	*out, *back, *items, *it;
	struct fail		 f;

	memset(o, 0, sizeof *o);
	o->format = ORDER_FORMAT;
	o->nitems = 2;
	o->created = 1700000000;
	o->total_cents = 2 * 24990 + 15000;
	snprintf(o->id, sizeof o->id, "rio-0123456789abcdef");
	snprintf(o->status, sizeof o->status, "confirmed");
	snprintf(o->items[0].product, sizeof o->items[0].product, "rio-1");
	snprintf(o->items[0].marketplace, sizeof o->items[0].marketplace,
	    "rio");
	snprintf(o->items[0].name, sizeof o->items[0].name, "Camisa A");
	o->items[0].size = SIZE_GG;
	o->items[0].quantity = 2;
	o->items[0].price_cents = 24990;
	snprintf(o->items[1].product, sizeof o->items[1].product, "rio-2");
	snprintf(o->items[1].marketplace, sizeof o->items[1].marketplace,
	    "rio");
	snprintf(o->items[1].name, sizeof o->items[1].name, "Camisa B");
	o->items[1].size = SIZE_P;
	o->items[1].quantity = 1;
	o->items[1].price_cents = 15000;

	out = order_to_json(o);
	back = parse(json_object_to_json_string(out), &f);
	ok(back != NULL, "order_to_json writes JSON that jsonutil_parse "
	    "reads back");
	is_str(member_str(back, "id"), "rio-0123456789abcdef", "id is kept");
	is_str(member_str(back, "status"), "confirmed", "status is "
	    "\"confirmed\"");
	is_int(member_int(back, "total_cents"), 64980, "total_cents is 64980");
	is_int(member_int(back, "created"), 1700000000, "created is kept");
	items = member(back, "items");
	ok(items != NULL && json_object_is_type(items, json_type_array) &&
	    json_object_array_length(items) == 2, "items has two lines");
	it = json_object_array_get_idx(items, 0);
	is_str(member_str(it, "product"), "rio-1", "line 0 is rio-1");
	is_str(member_str(it, "marketplace"), "rio", "line 0 names the "
	    "marketplace");
	is_str(member_str(it, "name"), "Camisa A", "line 0 is \"Camisa A\"");
	is_str(member_str(it, "size"), "GG", "line 0 is size GG");
	is_int(member_int(it, "quantity"), 2, "line 0 has quantity 2");
	is_int(member_int(it, "price_cents"), 24990, "line 0 cost 24990");
	it = json_object_array_get_idx(items, 1);
	is_str(member_str(it, "product"), "rio-2", "line 1 is rio-2");
	is_str(member_str(it, "size"), "P", "line 1 is size P");
	is_int(member_int(it, "quantity"), 1, "line 1 has quantity 1");
	is_int(member_int(it, "price_cents"), 15000, "line 1 cost 15000");
	json_object_put(back);
	json_object_put(out);
}

/* Run every group of tests. */
int
main(void)
{
	test_parse();
	test_product_good();
	test_product_missing();
	test_product_bad();
	test_patch();
	test_order();
	test_product_to_json();
	test_order_to_json();
	return tap_done();
}
