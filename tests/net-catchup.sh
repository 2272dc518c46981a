#!/bin/bash
# Proves that a marketplace that was down catches up by itself when it
# starts: with C stopped, products are registered and changed at A and B
# (a checkout is refused meanwhile, for the lock needs C); C, started
# again, lists the latest values of all, holds none twice, and its
# Lamport clock is ahead of where it stopped.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 3
A=${URL[0]} B=${URL[1]} C=${URL[2]}

# summary URL: "id:M:price" of every product, sorted.
summary() {
	curl -s "$1/api/gallery" |
	    jq -r '[.products[] | "\(.id):\(.stock.M):\(.price_cents)"] | sort | join(" ")'
}

register "$A" "Camisa Antes" "Time A" 10000 '{"M": 5}'
BEFORE=$PID
eventually "C lists a product of A before it stops" "$BEFORE" \
    sh -c "curl -s '$C/api/gallery?q=antes' | jq -r '.products[].id'"
CLOCK=$(curl -s "$C/api/status" | jq .clock)
"$FEIRACTL" stop "$NET" "${NAME[2]}" >/dev/null
is "C is stopped" "$(curl -s -o /dev/null -w '%{http_code}' "$C/" || true)" 000

# While C is down: new products at A and B, and changes to old and new.
register "$A" "Camisa Durante A" "Time A" 12000 '{"M": 3}'
A2=$PID
register "$B" "Camisa Durante B" "Time B" 13000 '{"M": 7}'
B1=$PID
seller PATCH "$A/api/products/$BEFORE" '{"stock_delta": {"M": -2}, "price_cents": 9000}'
is "the old product changes while C is down" "$STATUS" 200
seller PATCH "$A/api/products/$A2" '{"stock_delta": {"M": 10}}'
seller PATCH "$A/api/products/$A2" '{"price_cents": 11000}'
seller PATCH "$B/api/products/$B1" '{"stock_delta": {"M": -7}}'
# Lamport's lock needs every marketplace's acknowledgement.
http POST "$A/api/orders" "{\"items\": [{\"product\": \"$BEFORE\", \"size\": \"M\", \"quantity\": 1}]}"
is "a sale at A while C is down is refused" "$STATUS" 503
is "the refusal names C" "$(json .marketplace)" "${NAME[2]}"
is "and takes no stock" "$(stock "$A" "$BEFORE" M)" 3
# Each change reaches the other marketplace a moment after its answer.
WANT=$(jq -rn --arg a "$BEFORE:3:9000" --arg b "$A2:13:11000" \
    --arg c "$B1:0:13000" '[$a, $b, $c] | sort | join(" ")')
eventually "A lists the latest value of every product" "$WANT" summary "$A"
eventually "and so does B" "$WANT" summary "$B"

"$FEIRACTL" start "$NET" "${NAME[2]}" >/dev/null
eventually "C, started again, catches up with every latest value" "$WANT" \
    summary "$C"
is "C holds each product once" \
    "$(curl -s "$C/api/gallery" | jq '[.products[].id] | (length == (unique | length))')" true
is "C lists exactly the network's three products" \
    "$(curl -s "$C/api/gallery" | jq '.products | length')" 3
ok "C's clock did not go backwards across its restart" \
    [ "$(curl -s "$C/api/status" | jq .clock)" -gt "$CLOCK" ]
is "C holds every change of A" \
    "$(curl -s "$C/api/status" | jq ".peers[] | select(.name == \"${NAME[0]}\") | .held")" \
    "$(curl -s "$A/api/status" | jq .pushed)"

# A change after the restart still travels by push.
seller PATCH "$B/api/products/$B1" '{"stock_delta": {"M": 4}}'
eventually "a change after the restart reaches C" 4 \
    sh -c "curl -s '$C/api/products/$B1' | jq .stock.M"
