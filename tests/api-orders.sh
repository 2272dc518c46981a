#!/bin/bash
# Proves that an order buys every item or none: the stock goes down by
# exactly what was bought, the order is kept and read back, and an order
# with one item short of stock answers 409 and changes no stock at all.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 1
U=${URL[0]}

register "$U" "Camisa Sport" "Sport Recife" 27990 '{"M": 5, "G": 2}'
A=$PID
register "$U" "Camisa Náutico" "Náutico" 19990 '{"P": 1, "GG": 3}'
B=$PID

http POST "$U/api/orders" "{\"items\": [
    {\"product\": \"$A\", \"size\": \"M\", \"quantity\": 2},
    {\"product\": \"$B\", \"size\": \"GG\", \"quantity\": 3}]}"
is "an order with stock answers 201" "$STATUS" 201
is "the order is confirmed" "$(json .status)" confirmed
is "the total is the sum of quantity times price" "$(json .total_cents)" \
    $((2 * 27990 + 3 * 19990))
is "the order lists its items in order" \
    "$(json '[.items[] | "\(.product):\(.size):\(.quantity):\(.price_cents)"] | join(" ")')" \
    "$A:M:2:27990 $B:GG:3:19990"
OID=$(json .id)
is "the stock of the first item went down by 2" "$(stock "$U" "$A" M)" 3
is "the stock of the second item went down by 3" "$(stock "$U" "$B" GG)" 0
is "other sizes kept their stock" "$(stock "$U" "$A" G)/$(stock "$U" "$B" P)" 2/1

http GET "$U/api/orders/$OID"
is "the order is read back with 200" "$STATUS" 200
is "read back, it has its total" "$(json .total_cents)" $((2 * 27990 + 3 * 19990))
is "read back, it has both items" "$(json '.items | length')" 2

http POST "$U/api/orders" "{\"items\": [
    {\"product\": \"$A\", \"size\": \"M\", \"quantity\": 3},
    {\"product\": \"$B\", \"size\": \"P\", \"quantity\": 1},
    {\"product\": \"$A\", \"size\": \"G\", \"quantity\": 3}]}"
is "an order with one item short of stock answers 409" "$STATUS" 409
is "the 409 names the product short of stock" "$(json .product)" "$A"
is "the 409 names the size" "$(json .size)" G
is "the 409 tells what is available" "$(json .available)" 2
like "the 409 says what went wrong" "$(json .error)" "not enough stock"
is "after a 409 every stock is as it was" \
    "$(stock "$U" "$A" M)/$(stock "$U" "$A" G)/$(stock "$U" "$B" P)" 3/2/1

http POST "$U/api/orders" "{\"items\": [
    {\"product\": \"$B\", \"size\": \"GG\", \"quantity\": 1}]}"
is "buying a sold-out size is 409 with nothing available" \
    "$STATUS/$(json .available)" 409/0

http POST "$U/api/orders" "{\"items\": [
    {\"product\": \"$A\", \"size\": \"M\", \"quantity\": 3},
    {\"product\": \"$A\", \"size\": \"G\", \"quantity\": 2}]}"
is "two sizes of one product can be bought at once" "$STATUS" 201
is "both sizes of it went down" "$(stock "$U" "$A" M)/$(stock "$U" "$A" G)" 0/0

http GET "$U/api/orders/${NAME[0]}-0123456789abcdef"
is "an unknown order is 404" "$STATUS" 404
http GET "$U/api/orders/${NAME[0]}-0123456789abcdef%2F..%2Fx"
is "an encoded slash in an order id is not an order" "$STATUS" 404
http GET "$U/api/orders/x"
is "a malformed order id is 404" "$STATUS" 404
http DELETE "$U/api/orders/$OID"
is "an order cannot be deleted" "$STATUS" 405
like "a 405 tells which methods are allowed" \
    "$(curl -s -D - -o /dev/null -X DELETE "$U/api/orders/$OID")" "Allow: GET, HEAD"

# An Idempotency-Key makes a retried or double-clicked order one purchase.
register "$U" "Camisa Chave" "Chave" 5000 '{"M": 10}'
K=$PID
BODY1="{\"items\": [{\"product\": \"$K\", \"size\": \"M\", \"quantity\": 2}]}"
http POST "$U/api/orders" "$BODY1" -H 'Idempotency-Key: order-7f3a'
is "an order under a new key answers 201" "$STATUS" 201
KID=$(json .id)
http POST "$U/api/orders" "$BODY1" -H 'Idempotency-Key: order-7f3a'
is "the retry answers 201 too" "$STATUS" 201
is "the retry gets the first order" "$(json .id)" "$KID"
is "the stock went down once" "$(stock "$U" "$K" M)" 8
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o "$T/http/dup$i" -H 'Idempotency-Key: order-dup' \
	    --data-binary "$BODY1" "$U/api/orders" &
done
wait
is "eight clicks at once under one key make one order" \
    "$(cat "$T"/http/dup* | jq -r .id | sort -u | wc -l)" 1
is "and take the stock once" "$(stock "$U" "$K" M)" 6
http POST "$U/api/orders" "{\"items\": [{\"product\": \"$K\", \"size\": \"M\",
    \"quantity\": 1}]}" -H 'Idempotency-Key: order-7f3a'
is "the key with another request is 422" "$STATUS/$(json .field)" \
    "422/Idempotency-Key"
http POST "$U/api/orders" "{\"items\": [{\"product\": \"$K\", \"size\": \"M\",
    \"quantity\": 50}]}" -H 'Idempotency-Key: order-short'
is "an order short of stock under a key is 409" "$STATUS" 409
seller PATCH "$U/api/products/$K" '{"stock_delta": {"M": 100}}'
http POST "$U/api/orders" "{\"items\": [{\"product\": \"$K\", \"size\": \"M\",
    \"quantity\": 50}]}" -H 'Idempotency-Key: order-short'
is "its retry gets the first outcome, though stock came back" \
    "$STATUS/$(json .available)" "409/6"
is "and buys nothing" "$(stock "$U" "$K" M)" 106
http POST "$U/api/orders" "$BODY1" -H 'Idempotency-Key: bad key!'
is "a key with spaces or signs is 400" "$STATUS/$(json .field)" \
    "400/Idempotency-Key"
is "and buys nothing either" "$(stock "$U" "$K" M)" 106

# The seller lists the sales of the marketplace's products.
http GET "$U/api/sales"
is "the sales need the seller's login" "$STATUS" 401
seller GET "$U/api/sales" -
is "the seller's sales answer 200" "$STATUS" 200
is "the sales list every item sold here" \
    "$(json '[.sales[] | select(.order == "'"$OID"'") | "\(.product):\(.size):\(.quantity)"] | sort | join(" ")')" \
    "$(printf '%s\n' "$A:M:2" "$B:GG:3" | sort | tr '\n' ' ' | sed 's/ $//')"
is "the key's order is listed once" \
    "$(json "[.sales[] | select(.order == \"$KID\")] | length")" 1
