#!/bin/bash
# Proves that every way into the API answers bad input with a clear JSON
# error naming the field to blame, and that none of it changes anything:
# the gallery is byte for byte the same after all of it.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 1
U=${URL[0]}

register "$U" "Camisa Vitória" "Vitória" 21990 '{"M": 5}'
P=$PID
BEFORE=$(curl -s "$U/api/gallery")
GOOD='"name": "Camisa", "team": "Time", "price_cents": 1000, "stock": {"M": 1}'

# refused CLAIM STATUS FIELD METHOD PATH BODY: the call answers STATUS with
# a JSON error that blames FIELD ("" for none).
refused() {
	local claim=$1 want=$2 field=$3
	shift 3
	if [ "$1" = POST ] && [ "$2" = /api/products ] ||
	    [ "$1" = PATCH ]; then
		seller "$1" "$U$2" "$3"
	else
		http "$1" "$U$2" "$3"
	fi
	is "$claim" "$STATUS/$(json '.field // ""')" "$want/$field"
	TAP_N=$((TAP_N + 1))
	if [ -n "$(json '.error // empty')" ]; then
		echo "ok $TAP_N - ... and says why in \"error\""
	else
		TAP_FAILED=$((TAP_FAILED + 1))
		echo "not ok $TAP_N - ... and says why in \"error\": $BODY"
	fi
}

# Malformed bodies.
refused "malformed JSON is 400" 400 "" POST /api/products '{"name": '
refused "an empty body is 400" 400 "" POST /api/products ''
refused "a JSON array is not a product" 400 "" POST /api/products '[]'
refused "JSON null is not a product" 400 "" POST /api/products 'null'
refused "data after the JSON value is 400" 400 "" POST /api/products "{$GOOD} x"
refused "two JSON values are 400" 400 "" POST /api/orders '{"items": []} {}'
refused "an unterminated string is 400" 400 "" POST /api/orders '{"items": "'
refused "deep nesting is 400" 400 "" POST /api/orders \
    "$(printf '%.0s[' $(seq 40))"
refused "invalid UTF-8 in a body is 400" 400 "" POST /api/products \
    "$(printf '{"name": "Camisa \xff", "team": "T", "price_cents": 1, "stock": {}}')"
refused "an escaped NUL in a name is 400" 400 name POST /api/products \
    '{"name": "a\u0000b", "team": "T", "price_cents": 1, "stock": {}}'

# Bodies that are too large: nginx refuses them, in JSON, before us.
BIG=$(head -c 70000 /dev/zero | tr '\0' ' ')
http POST "$U/api/orders" "{\"items\": []$BIG}"
is "a body over 64 KiB is 413" "$STATUS" 413
like "the 413 is a JSON error" "$(json .error)" "too large"

# Missing, unknown and mistyped fields.
refused "a product without name is 400" 400 name POST /api/products \
    '{"team": "T", "price_cents": 100, "stock": {}}'
refused "a product without team is 400" 400 team POST /api/products \
    '{"name": "N", "price_cents": 100, "stock": {}}'
refused "a product without price is 400" 400 price_cents POST /api/products \
    '{"name": "N", "team": "T", "stock": {}}'
refused "a product without stock is 400" 400 stock POST /api/products \
    '{"name": "N", "team": "T", "price_cents": 100}'
refused "an unknown field is 400" 400 owner POST /api/products \
    "{$GOOD, \"owner\": \"x\"}"
refused "a price given as a string is 400" 400 price_cents POST /api/products \
    '{"name": "N", "team": "T", "price_cents": "100", "stock": {}}'
refused "a price with a fraction is 400" 400 price_cents POST /api/products \
    '{"name": "N", "team": "T", "price_cents": 10.5, "stock": {}}'
refused "a name that is a number is 400" 400 name POST /api/products \
    '{"name": 5, "team": "T", "price_cents": 100, "stock": {}}'
refused "a stock given as a string is 400" 400 stock POST /api/products \
    '{"name": "N", "team": "T", "price_cents": 100, "stock": {"M": "4"}}'
refused "a stock that is not an object is 400" 400 stock POST /api/products \
    '{"name": "N", "team": "T", "price_cents": 100, "stock": [4]}'
refused "colors that are not an array of two is 400" 400 colors \
    POST /api/products "{$GOOD, \"colors\": \"red\"}"
refused "a color not written #rrggbb is 400" 400 colors POST /api/products \
    "{$GOOD, \"colors\": [\"#ff0000\", \"#12345g\"]}"
refused "a boolean quantity is 400" 400 "items[0].quantity" POST /api/orders \
    "{\"items\": [{\"product\": \"$P\", \"size\": \"M\", \"quantity\": true}]}"
refused "an unknown field in an item is 400" 400 "items[0].gift" \
    POST /api/orders "{\"items\": [{\"product\": \"$P\", \"size\": \"M\",
    \"quantity\": 1, \"gift\": true}]}"
refused "an item without quantity is 400" 400 "items[0].quantity" \
    POST /api/orders "{\"items\": [{\"product\": \"$P\", \"size\": \"M\"}]}"
refused "an order without items is 400" 400 items POST /api/orders '{}'
refused "a negative stock is 400" 400 stock POST /api/products \
    "{\"name\": \"N\", \"team\": \"T\", \"price_cents\": 100, \"stock\": {\"M\": -1}}"
refused "an unknown field in a change is 400" 400 name \
    PATCH "/api/products/$P" '{"name": "other"}'

# Zero, negative and huge numbers.
refused "a zero price is 400" 400 price_cents POST /api/products \
    '{"name": "N", "team": "T", "price_cents": 0, "stock": {}}'
refused "a negative price is 400" 400 price_cents POST /api/products \
    '{"name": "N", "team": "T", "price_cents": -100, "stock": {}}'
refused "a price over R$ 1.000.000,00 is 400" 400 price_cents \
    POST /api/products \
    '{"name": "N", "team": "T", "price_cents": 100000001, "stock": {}}'
refused "a price beyond 64 bits is 400" 400 price_cents POST /api/products \
    '{"name": "N", "team": "T", "price_cents": 99999999999999999999, "stock": {}}'
refused "a stock over a million is 400" 400 stock POST /api/products \
    '{"name": "N", "team": "T", "price_cents": 1, "stock": {"M": 1000001}}'
refused "a zero quantity is 400" 400 "items[0].quantity" POST /api/orders \
    "{\"items\": [{\"product\": \"$P\", \"size\": \"M\", \"quantity\": 0}]}"
refused "a negative quantity is 400" 400 "items[0].quantity" POST /api/orders \
    "{\"items\": [{\"product\": \"$P\", \"size\": \"M\", \"quantity\": -2}]}"
refused "a quantity over 1000 is 400" 400 "items[0].quantity" POST /api/orders \
    "{\"items\": [{\"product\": \"$P\", \"size\": \"M\", \"quantity\": 1001}]}"
refused "a quantity beyond 64 bits is 400" 400 "items[0].quantity" \
    POST /api/orders "{\"items\": [{\"product\": \"$P\", \"size\": \"M\",
    \"quantity\": 18446744073709551617}]}"
refused "a price change to zero is 400" 400 price_cents \
    PATCH "/api/products/$P" '{"price_cents": 0}'
refused "a delta beyond a million is 400" 400 stock_delta \
    PATCH "/api/products/$P" '{"stock_delta": {"M": -99999999999}}'

# Sizes, empty orders, unknown and repeated products.
refused "an unknown size in a stock is 400" 400 stock POST /api/products \
    '{"name": "N", "team": "T", "price_cents": 1, "stock": {"XXL": 1}}'
refused "an unknown size in a delta is 400" 400 stock_delta \
    PATCH "/api/products/$P" '{"stock_delta": {"m": 1}}'
refused "an unknown size in an order is 400" 400 "items[0].size" \
    POST /api/orders "{\"items\": [{\"product\": \"$P\", \"size\": \"XXL\",
    \"quantity\": 1}]}"
refused "an empty order is 400" 400 items POST /api/orders '{"items": []}'
refused "items that are not an array is 400" 400 items POST /api/orders \
    '{"items": {"product": "x"}}'
refused "an unknown product in an order is 400" 400 "items[0].product" \
    POST /api/orders "{\"items\": [{\"product\": \"${NAME[0]}-999\",
    \"size\": \"M\", \"quantity\": 1}]}"
refused "a malformed product id in an order is 400" 400 "items[0].product" \
    POST /api/orders '{"items": [{"product": "<b>", "size": "M", "quantity": 1}]}'
refused "the same product and size twice is 400" 400 "items[1]" \
    POST /api/orders "{\"items\": [
    {\"product\": \"$P\", \"size\": \"M\", \"quantity\": 1},
    {\"product\": \"$P\", \"size\": \"M\", \"quantity\": 1}]}"
ITEMS=$(for i in $(seq 51); do
	printf '{"product": "%s-%d", "size": "M", "quantity": 1},' "${NAME[0]}" "$i"
done)
refused "an order of more than 50 items is 400" 400 items POST /api/orders \
    "{\"items\": [${ITEMS%,}]}"

# Over-long and empty text.
LONG121=$(head -c 121 /dev/zero | tr '\0' a)
refused "a name over 120 bytes is 400" 400 name POST /api/products \
    "{\"name\": \"$LONG121\", \"team\": \"T\", \"price_cents\": 1, \"stock\": {}}"
refused "a team over 80 bytes is 400" 400 team POST /api/products \
    "{\"name\": \"N\", \"team\": \"$LONG121\", \"price_cents\": 1, \"stock\": {}}"
refused "a description over 2000 bytes is 400" 400 description \
    POST /api/products "{$GOOD, \"description\": \"$(head -c 2001 /dev/zero | tr '\0' d)\"}"
refused "a name of spaces only is 400" 400 name POST /api/products \
    '{"name": "   ", "team": "T", "price_cents": 1, "stock": {}}'
refused "a team of combining marks only is 400" 400 team POST /api/products \
    '{"name": "N", "team": "\u0301\u0301", "price_cents": 1, "stock": {}}'
refused "a name with a line break is 400" 400 name POST /api/products \
    '{"name": "a\nb", "team": "T", "price_cents": 1, "stock": {}}'

# Bodies of the kinds an HTML form of another site could send.
http POST "$U/api/orders" "{\"items\": [{\"product\": \"$P\", \"size\": \"M\",
    \"quantity\": 1}]}" -H 'Content-Type: text/plain'
is "a text/plain body is refused with 415" "$STATUS" 415
http POST "$U/api/products" "{$GOOD}" -u "seller:$PASSWORD" \
    -H 'Content-Type: multipart/form-data; boundary=x'
is "a multipart body is refused with 415" "$STATUS" 415

# Unknown routes and methods.
refused "an unknown API route is 404" 404 "" GET /api/nothing -
refused "a route below a product is 404" 404 "" GET "/api/products/$P/extra" -
refused "PUT on a product is 405" 405 "" PUT "/api/products/$P" '{}'
refused "DELETE on a product is 405" 405 "" DELETE "/api/products/$P" -
refused "GET on the order list is 405" 405 "" GET /api/orders -

is "after all of it, the gallery is exactly as before" \
    "$(curl -s "$U/api/gallery")" "$BEFORE"

# Names that hold HTML are kept as text and shown escaped.
register "$U" '<script>alert(1)</script>' '<b>Time</b>' 1000 '{"M": 1}'
is "a name holding HTML is accepted as text" "$STATUS" 201
is "the API gives the name back as it was sent" "$(json .name)" \
    '<script>alert(1)</script>'
PAGE=$(curl -s "$U/")
like "the gallery page escapes it" "$PAGE" '&lt;script&gt;alert(1)&lt;/script&gt;'
unlike "the gallery page never shows it raw" "$PAGE" '<script>alert(1)'
unlike "the team is escaped too" "$PAGE" '<b>Time</b>'
PAGE=$(curl -s "$U/products/$PID")
like "the product page escapes it" "$PAGE" '&lt;script&gt;alert(1)&lt;/script&gt;'
unlike "the product page never shows it raw" "$PAGE" '<script>alert(1)'

# Pages answer bad query strings and paths with a page, and no worker dies.
http GET "$U/?%zz"
is "a page with a broken escape in its query is 400" "$STATUS" 400
http GET "$U/?q=%00"
is "a page with a NUL in its query is 400" "$STATUS" 400
http GET "$U/$(head -c 600 /dev/zero | tr '\0' a)"
is "a page path of 600 bytes is 404" "$STATUS" 404
like "the 404 is a page" "$BODY" "<!doctype html>"
http GET "$U/api/gallery?team=abc"
is "a team filter over products of every kind answers 200" "$STATUS" 200
is "no worker died on any of it" \
    "$(grep -c 'ended with status' "$NET/${NAME[0]}/logs/feira.log")" 0

# A page form without its CSRF token changes nothing.
http POST "$U/cart" "product=$P&size=M&quantity=1"
is "a form without a CSRF token is 403" "$STATUS" 403
http POST "$U/seller/products" "name=X&team=Y&price=10"
is "a seller form without the login is 403" "$STATUS" 403
is "the stock is still as registered" "$(stock "$U" "$P" M)" 5

# The biggest order there can be adds up without overflow.
register "$U" "Camisa de ouro" "Ouro" 100000000 '{"XG": 1000}'
http POST "$U/api/orders" "{\"items\": [{\"product\": \"$PID\", \"size\": \"XG\",
    \"quantity\": 1000}]}"
is "1000 shirts at R$ 1.000.000,00 total exactly 10^11 cents" \
    "$STATUS/$(json .total_cents)" "201/100000000000"
