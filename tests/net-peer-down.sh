#!/bin/bash
# Proves that a peer that is down slows no page anywhere: with C stopped,
# the pages and API of A and B still answer at once, list C's products as
# last known and mark them as from a marketplace that cannot be reached;
# when C is back, they are marked reachable again.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 3
A=${URL[0]} B=${URL[1]} C=${URL[2]}

# reach URL QUERY: whether each product a search finds is reachable.
reach() {
	curl -s "$1/api/gallery?q=$2" | jq -r '[.products[].reachable] | join(" ")'
}
# quick URL: the status of a GET that must answer within a second.
quick() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1"
}

register "$C" "Camisa do Remo" "Remo" 19990 '{"G": 3}'
CID=$PID
eventually "A lists C's product" true reach "$A" remo
"$FEIRACTL" stop "$NET" "${NAME[2]}" >/dev/null
is "C is down" "$(quick "$C/")" 000

is "A's gallery page answers within a second" "$(quick "$A/")" 200
is "A's gallery API answers within a second" "$(quick "$A/api/gallery")" 200
is "B's gallery page answers within a second" "$(quick "$B/")" 200
is "A's page of C's product answers within a second" \
    "$(quick "$A/products/$CID")" 200
is "A's API of C's product answers within a second" \
    "$(quick "$A/api/products/$CID")" 200
is "A's status answers within a second" "$(quick "$A/api/status")" 200
is "A's network page answers within a second" "$(quick "$A/network")" 200
eventually "A marks C's product as from a marketplace that cannot be reached" \
    false reach "$A" remo
is "A keeps C's product with its last known stock" \
    "$(curl -s "$A/api/products/$CID" | jq -c '[.stock.G, .reachable]')" '[3,false]'
like "A's product page says that C does not answer" \
    "$(curl -s "$A/products/$CID")" 'id="unreachable"'
eventually "A's status says C does not answer" false sh -c \
    "curl -s '$A/api/status' | jq '.peers[] | select(.name == \"${NAME[2]}\") | .answering'"
register "$A" "Camisa do Paysandu" "Paysandu" 18990 '{"M": 2}'
is "A still registers products" "$STATUS" 201
eventually "B lists it while C is down" "$PID" sh -c \
    "curl -s '$B/api/gallery?q=paysandu' | jq -r '.products[].id'"

"$FEIRACTL" start "$NET" "${NAME[2]}" >/dev/null
eventually "when C is back, A marks its product reachable again" true \
    reach "$A" remo
eventually "C catches up with what A registered meanwhile" "$PID" sh -c \
    "curl -s '$C/api/gallery?q=paysandu' | jq -r '.products[].id'"
