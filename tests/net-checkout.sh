#!/bin/bash
# Proves that one cart buys shirts of every marketplace at once: the stock
# of each owner goes down by what was bought, the buyer's marketplace
# keeps the order and each owner lists its sales; a cart with one item
# short answers 409 and changes no stock anywhere; an unknown product of
# another marketplace is a 400; a retried purchase under its
# Idempotency-Key buys once; the lock queue is empty again after, and
# the status has timed each phase of the checkouts.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 3
A=${URL[0]} B=${URL[1]} C=${URL[2]}

register "$A" "Camisa Tricolor" "Fluminense" 30000 '{"M": 5, "G": 2}'
PA=$PID
register "$B" "Camisa Alvinegra" "Santos" 25000 '{"M": 4}'
PB=$PID
register "$C" "Camisa Rubro-Negra" "Sport" 20000 '{"G": 3, "GG": 1}'
PC=$PID
listed "$PA" "$PB" "$PC"

# stocks: "A.M A.G B.M C.G C.GG", each read at its owner.
stocks() {
	echo "$(stock "$A" "$PA" M) $(stock "$A" "$PA" G) $(stock "$B" "$PB" M)" \
	    "$(stock "$C" "$PC" G) $(stock "$C" "$PC" GG)"
}

CART="{\"items\": [
    {\"product\": \"$PA\", \"size\": \"M\", \"quantity\": 2},
    {\"product\": \"$PB\", \"size\": \"M\", \"quantity\": 1},
    {\"product\": \"$PC\", \"size\": \"G\", \"quantity\": 3}]}"
http POST "$A/api/orders" "$CART" -H 'Idempotency-Key: cart-one'
is "a cart of three marketplaces is bought with 201" "$STATUS" 201
is "the order is confirmed" "$(json .status)" confirmed
is "each item names its owner" \
    "$(json '[.items[] | "\(.product):\(.marketplace):\(.quantity)"] | join(" ")')" \
    "$PA:${NAME[0]}:2 $PB:${NAME[1]}:1 $PC:${NAME[2]}:3"
is "the total adds every owner's price" "$(json .total_cents)" \
    $((2 * 30000 + 25000 + 3 * 20000))
OID=$(json .id)
is "every owner's stock went down by what was bought" "$(stocks)" "3 2 3 0 1"

http GET "$A/api/orders/$OID"
is "the buyer's marketplace keeps the order" "$STATUS" 200
is "read back, it holds the three items" "$(json '.items | length')" 3
http GET "$B/api/orders/$OID"
is "another marketplace does not hold the order" "$STATUS" 404

seller GET "$B/api/sales" -
is "B lists its sale" \
    "$(json '[.sales[] | "\(.order):\(.product):\(.size):\(.quantity):\(.buyer_marketplace)"] | join(" ")')" \
    "$OID:$PB:M:1:${NAME[0]}"
seller GET "$C/api/sales" -
is "C lists its sale" \
    "$(json '[.sales[] | "\(.order):\(.product):\(.quantity)"] | join(" ")')" \
    "$OID:$PC:3"
seller GET "$A/api/sales" -
is "A lists its own sale" "$(json '[.sales[].quantity] | add')" 2

http POST "$A/api/orders" "$CART" -H 'Idempotency-Key: cart-one'
is "the same purchase again under its key answers 201" "$STATUS" 201
is "it is the first order" "$(json .id)" "$OID"
is "and buys nothing more" "$(stocks)" "3 2 3 0 1"

# One item short, of a third marketplace: nothing anywhere changes.
http POST "$B/api/orders" "{\"items\": [
    {\"product\": \"$PA\", \"size\": \"M\", \"quantity\": 1},
    {\"product\": \"$PB\", \"size\": \"M\", \"quantity\": 1},
    {\"product\": \"$PC\", \"size\": \"GG\", \"quantity\": 2}]}"
is "a cart with one item short answers 409" "$STATUS" 409
is "the 409 names the product, size and what is left" \
    "$(json '"\(.product) \(.size) \(.available)"')" "$PC GG 1"
is "and no stock changed at any marketplace" "$(stocks)" "3 2 3 0 1"

http POST "$C/api/orders" "{\"items\": [
    {\"product\": \"${NAME[0]}-999\", \"size\": \"M\", \"quantity\": 1},
    {\"product\": \"$PC\", \"size\": \"GG\", \"quantity\": 1}]}"
is "an unknown product of another marketplace is a 400" "$STATUS" 400
is "the 400 names the item" "$(json .field)" "items[0].product"
http POST "$C/api/orders" "{\"items\": [
    {\"product\": \"nowhere-1\", \"size\": \"M\", \"quantity\": 1}]}"
is "a product of no marketplace of the network is a 400" "$STATUS" 400
is "and nothing changed" "$(stocks)" "3 2 3 0 1"

# Carts bought at each marketplace, one after another.
for u in "$A" "$B" "$C"; do
	http POST "$u/api/orders" "{\"items\": [
	    {\"product\": \"$PA\", \"size\": \"M\", \"quantity\": 1},
	    {\"product\": \"$PB\", \"size\": \"M\", \"quantity\": 1}]}"
	is "a cart of A's and B's shirts is bought at $u" "$STATUS" 201
done
is "the stocks went down by the three carts" "$(stocks)" "0 2 0 0 1"

http GET "$A/api/status"
is "the lock queue is empty once every checkout ended" "$(json '.queue | length')" 0
ok "the status counts lock requests sent" \
    [ "$(json '[.peers[].sent.lock_request] | add')" -ge 4 ]
ok "the status counts prepares sent" \
    [ "$(json '[.peers[].sent.prepare] | add')" -ge 2 ]
ok "the status counts decisions sent" \
    [ "$(json '[.peers[].sent.decide] | add')" -ge 2 ]
is "the status names this start's incarnation" "$(json '.incarnation > 0')" true
is "the status times the three checkouts A was asked for, one a replay" \
    "$(json '.checkout_phases.checkout | "\(.count) \(.us > 0)"')" "3 true"
is "and each phase of the two it coordinated" \
    "$(json '.checkout_phases | [.lock, .prepare, .decision, .tell] |
    map("\(.count) \(.us > 0)") | join(", ")')" \
    "2 true, 2 true, 2 true, 2 true"
http GET "$B/api/status"
# Three prepares reached B; one retried after a timeout would be a fourth.
is "and at an owner, one reservation timed for each prepare it took" \
    "$(json '.checkout_phases.reserve as $r |
    $r.count == ([.peers[].received.prepare] | add) and $r.us > 0')" true
ok "which were at least the three of its items' checkouts" \
    [ "$(json '.checkout_phases.reserve.count')" -ge 3 ]
