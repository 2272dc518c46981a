#!/bin/bash
# Proves that a marketplace survives the death of one of its processes:
# after kill -9 of a FastCGI worker, and then of the peer daemon, the
# store is recovered, every page answers again, peerd is running and
# still shares the gallery, and no data was lost.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 2
A=${URL[0]} B=${URL[1]}

register "$A" "Camisa Antes da Queda" "Paysandu" 15000 '{"M": 5}'
FIRST=$PID
eventually "B lists A's product" "$FIRST" sh -c \
    "curl -s '$B/api/gallery?q=queda' | jq -r '.products[].id'"

# Kill one worker while it may be inside Berkeley DB.
MASTER=$(cat "$NET/${NAME[0]}/run/feira.pid")
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o /dev/null "$A/api/gallery" &
done
WORKER=$(pgrep -P "$MASTER" | head -n 1)
kill -9 "$WORKER"
wait
eventually "a worker of A was killed" gone sh -c \
    "kill -0 $WORKER 2>/dev/null && echo alive || echo gone"

# all_ok URL: 20 requests in a row answer 200.
all_ok() {
	local i code
	for ((i = 0; i < 20; i++)); do
		code=$(curl -s -o /dev/null -w '%{http_code}' "$1")
		[ "$code" = 200 ] || { echo "$code"; return; }
	done
	echo 200
}
eventually "A's gallery answers 200 again, every time" 200 all_ok "$A/api/gallery"
is "A keeps the product registered before the crash" \
    "$(curl -s "$A/api/products/$FIRST" | jq .stock.M)" 5
ok "A's peerd is running" kill -0 "$(cat "$NET/${NAME[0]}/run/peerd.pid")"
eventually "A's status answers" 200 sh -c \
    "curl -s -o /dev/null -w '%{http_code}' '$A/api/status'"
register "$A" "Camisa Depois da Queda" "Paysandu" 16000 '{"G": 2}'
is "A registers products after the crash" "$STATUS" 201
eventually "B lists what A registered after the crash" "$PID" sh -c \
    "curl -s '$B/api/gallery?q=depois' | jq -r '.products[].id'"
http POST "$A/api/orders" "{\"items\": [{\"product\": \"$FIRST\", \"size\": \"M\", \"quantity\": 2}]}"
is "A sells after the crash" "$STATUS" 201
is "the sale takes exactly its stock" \
    "$(curl -s "$A/api/products/$FIRST" | jq .stock.M)" 3

# Kill A's peer daemon itself: its supervisor starts it again.
SUPERVISOR=$(cat "$NET/${NAME[0]}/run/peerd.pid")
DAEMON=$(pgrep -P "$SUPERVISOR" | head -n 1)
kill -9 "$DAEMON"
eventually "a new peer daemon runs under the same supervisor" yes sh -c \
    "d=\$(pgrep -P $SUPERVISOR | head -n 1); [ -n \"\$d\" ] && [ \"\$d\" != $DAEMON ] && echo yes || echo no"
eventually "A's status answers again" 200 sh -c \
    "curl -s -o /dev/null -w '%{http_code}' '$A/api/status'"
# Its start recovered the store, which restarts the workers too.
eventually "A's gallery answers 200 again after that, every time" 200 \
    all_ok "$A/api/gallery"
seller PATCH "$A/api/products/$FIRST" '{"stock_delta": {"M": 4}}'
eventually "a change at A reaches B again" 7 sh -c \
    "curl -s '$B/api/products/$FIRST' | jq .stock.M"
