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
