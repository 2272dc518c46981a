#!/bin/bash
# Proves that a seller registers products through the API, that a product
# is read back with every field, and that stock changes only by deltas:
# never below zero, never without the seller's login.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 1
U=${URL[0]}

seller POST "$U/api/products" '{"name": "Camisa Grêmio I", "team": "Grêmio",
    "price_cents": 32990, "stock": {"M": 4, "G": 10},
    "description": "Tricolor gaúcho", "colors": ["#0D80BF", "#000000"]}'
is "registering a product answers 201" "$STATUS" 201
ID=$(json .id)
is "the first product's id names its marketplace" "$ID" "${NAME[0]}-1"
is "the product names its marketplace" "$(json .marketplace)" "${NAME[0]}"
is "the name is kept as sent" "$(json .name)" "Camisa Grêmio I"
is "the price is kept" "$(json .price_cents)" 32990
is "the stock lists every size, zero where none was given" \
    "$(printf '%s' "$BODY" | jq -c .stock)" \
    '{"P":0,"M":4,"G":10,"GG":0,"XG":0}'
is "colors are kept, in lower case" "$(printf '%s' "$BODY" | jq -c .colors)" \
    '["#0d80bf","#000000"]'

http GET "$U/api/products/$ID"
is "the product is read back with 200" "$STATUS" 200
is "read back, its description is kept" "$(json .description)" \
    "Tricolor gaúcho"

seller POST "$U/api/products" '{"name": "Camisa Bahia", "team": "Bahia",
    "price_cents": 25990, "stock": {}}'
is "a product without stock is registered" "$STATUS" 201
is "ids count up" "$(json .id)" "${NAME[0]}-2"
is "colors default to two colors" "$(printf '%s' "$BODY" | jq '.colors | length')" 2

http GET "$U/api/products/${NAME[0]}-99"
is "an unknown product is 404" "$STATUS" 404
like "the 404 is a JSON error" "$(json .error)" "no such product"
http GET "$U/api/products/not-an-id"
is "a malformed product id is 404" "$STATUS" 404

seller PATCH "$U/api/products/$ID" '{"stock_delta": {"M": 5, "G": -1}}'
is "a stock delta answers 200" "$STATUS" 200
is "the stock of M grows by the delta" "$(json .stock.M)" 9
is "the stock of G shrinks by the delta" "$(json .stock.G)" 9

seller PATCH "$U/api/products/$ID" '{"price_cents": 29990}'
is "a price change answers 200" "$STATUS" 200
is "the new price is kept" "$(stock "$U" "$ID" M)/$(curl -s "$U/api/products/$ID" | jq .price_cents)" "9/29990"

seller PATCH "$U/api/products/$ID" '{"stock_delta": {"M": 1, "G": -10}}'
is "a delta below zero is refused with 409" "$STATUS" 409
is "the 409 names the product" "$(json .product)" "$ID"
is "the 409 names the size" "$(json .size)" G
is "the 409 tells what is available" "$(json .available)" 9
is "a refused delta changes no size at all" \
    "$(stock "$U" "$ID" M)/$(stock "$U" "$ID" G)" "9/9"

seller PATCH "$U/api/products/$ID" '{"stock_delta": {"M": 0}}'
is "a zero delta is accepted" "$STATUS" 200
seller PATCH "$U/api/products/$ID" '{}'
is "a change with nothing to change is 400" "$STATUS" 400
seller PATCH "$U/api/products/${NAME[0]}-77" '{"stock_delta": {"M": 1}}'
is "changing an unknown product is 404" "$STATUS" 404

http POST "$U/api/products" '{"name": "X", "team": "Y", "price_cents": 100,
    "stock": {}}'
is "registering without the login is 401" "$STATUS" 401
like "a 401 asks for Basic credentials" \
    "$(curl -s -D - -o /dev/null -X POST -d '{}' "$U/api/products")" \
    'WWW-Authenticate: Basic'
http POST "$U/api/products" '{"name": "X", "team": "Y", "price_cents": 100,
    "stock": {}}' -u "seller:wrong"
is "registering with a wrong password is 401" "$STATUS" 401
http POST "$U/api/products" '{"name": "X", "team": "Y", "price_cents": 100,
    "stock": {}}' -u "someone:$PASSWORD"
is "registering as another user is 401" "$STATUS" 401
http PATCH "$U/api/products/$ID" '{"stock_delta": {"M": 100}}'
is "changing stock without the login is 401" "$STATUS" 401
is "an unauthorised change changes nothing" "$(stock "$U" "$ID" M)" 9

http GET "$U/api/gallery"
is "the gallery lists both products" "$(json '.products | length')" 2
