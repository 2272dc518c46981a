#!/bin/bash
# Proves that the stock is never oversold: 50 buyers at once of one size
# with stock 10 buy exactly 10, and a seller adding stock while buyers buy
# ends with exactly the stock added less the stock sold.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 1
U=${URL[0]}
mkdir -p "$T/buyers"

# buyers PRODUCT COUNT: COUNT parallel buyers of one M each; the status
# of buyer i lands in $T/buyers/i.  It waits for every child of the shell.
buyers() {
	local i
	rm -f "$T"/buyers/*
	for ((i = 0; i < $2; i++)); do
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 \
		    -X POST --data-binary "{\"items\": [{\"product\": \"$1\",
		    \"size\": \"M\", \"quantity\": 1}]}" "$U/api/orders" \
		    >"$T/buyers/$i" &
	done
	wait
}
count() {
	cat "$T"/buyers/* | grep -c "^$1\$"
}

register "$U" "Camisa Fortaleza" "Fortaleza" 25990 '{"M": 10, "G": 3}'
buyers "$PID" 50
is "of 50 buyers of stock 10, exactly 10 buy" "$(count 201)" 10
is "the other 40 are told there is no stock" "$(count 409)" 40
is "the stock ends at zero" "$(stock "$U" "$PID" M)" 0
is "the other size is untouched" "$(stock "$U" "$PID" G)" 3
is "the marketplace keeps exactly 10 orders" \
    "$(grep -c 'action: order' "$NET/${NAME[0]}/logs/feira.log")" 10

# Now 50 buyers again while the seller adds 1 at a time, 30 times.
register "$U" "Camisa Ceará" "Ceará" 23990 '{"M": 10}'
Q=$PID
(
	for ((i = 0; i < 30; i++)); do
		curl -s -o /dev/null -w '%{http_code}\n' -X PATCH \
		    -u "seller:$PASSWORD" --data-binary \
		    '{"stock_delta": {"M": 1}}' "$U/api/products/$Q"
	done >"$T/seller.out"
) &
# buyers waits for every child of this shell, the seller's loop too.
buyers "$Q" 50
SOLD=$(count 201)
is "every one of the seller's 30 additions is accepted" \
    "$(grep -c '^200$' "$T/seller.out")" 30
is "every buyer gets 201 or 409, nothing else" \
    "$(($(count 201) + $(count 409)))" 50
ok "at least the first 10 shirts were sold" [ "$SOLD" -ge 10 ]
is "the stock ends at 10 + 30 - $SOLD sold" "$(stock "$U" "$Q" M)" \
    $((10 + 30 - SOLD))
