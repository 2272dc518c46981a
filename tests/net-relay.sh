#!/bin/bash
# Proves that the shared gallery survives a bad network: with a relay
# between two marketplaces that holds messages for random times (so they
# overtake each other), drops requests and answers, and sends some twice,
# each gallery still ends with the other's latest values, once each.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
RELAY=$FEIRA_BUILDDIR/tests/relay
start_network 2
A=${URL[0]} B=${URL[1]}

# Put a relay on a free port in front of each marketplace, and point the
# other one's peer line at it.
relay_port() {
	local p
	for ((p = PORT[1] + 100; p < PORT[1] + 200; p++)); do
		ports_free "$p" 1 && { echo "$p"; return; }
	done
}
"$FEIRACTL" stop "$NET" >/dev/null
RA=$(relay_port)
"$RELAY" -l "$RA" -t "$A" -d 150 -p 20 -u 20 -s 7 2>"$T/relay-a.log" &
RELAY_A=$!
RB=$((RA + 1))
ports_free "$RB" 1 || RB=$((RA + 2))
"$RELAY" -l "$RB" -t "$B" -d 150 -p 20 -u 20 -s 11 2>"$T/relay-b.log" &
RELAY_B=$!
trap 'kill $RELAY_A $RELAY_B 2>/dev/null; teardown' EXIT
sed -i "s|^peer = ${NAME[1]} .*|peer = ${NAME[1]} http://127.0.0.1:$RB|" \
    "$NET/${NAME[0]}/feira.conf"
sed -i "s|^peer = ${NAME[0]} .*|peer = ${NAME[0]} http://127.0.0.1:$RA|" \
    "$NET/${NAME[1]}/feira.conf"
"$FEIRACTL" start "$NET" >/dev/null
is "both marketplaces run again behind relays" \
    "$("$FEIRACTL" status "$NET" | grep -c running)" 2

# summary URL OWNER: "id:M:G:price" of OWNER's products in URL's gallery.
summary() {
	curl -s "$1/api/gallery" | jq -r --arg o "$2" \
	    '[.products[] | select(.marketplace == $o) |
	    "\(.id):\(.stock.M):\(.stock.G):\(.price_cents)"] | sort | join(" ")'
}
# converge CLAIM URL OWNER WANT: the summary becomes WANT within 40 s.
converge() {
	local got i
	for ((i = 0; i < 200; i++)); do
		got=$(summary "$2" "$3")
		[ "$got" = "$4" ] && break
		sleep 0.2
	done
	is "$1" "$got" "$4"
}

IDS=""
for i in 1 2 3 4 5 6; do
	register "$A" "Camisa Relé $i" "Relé" $((10000 + i)) '{"M": 20, "G": 5}'
	IDS="$IDS $PID"
	register "$B" "Camisa Volta $i" "Volta" $((20000 + i)) '{"M": 9}'
done
for round in 1 2 3; do
	for id in $IDS; do
		seller PATCH "$A/api/products/$id" \
		    "{\"stock_delta\": {\"M\": -$round}, \"price_cents\": $((30000 + round))}"
	done
done
for id in $IDS; do
	http POST "$A/api/orders" "{\"items\": [{\"product\": \"$id\", \"size\": \"G\", \"quantity\": 2}]}"
done

converge "B ends with A's latest values, despite the relay" "$B" "${NAME[0]}" \
    "$(summary "$A" "${NAME[0]}")"
converge "A ends with B's latest values, despite the relay" "$A" "${NAME[1]}" \
    "$(summary "$B" "${NAME[1]}")"
is "B holds each of A's products once" \
    "$(curl -s "$B/api/gallery" | jq '[.products[].id] | (length == (unique | length))')" true
ok "the relays dropped messages" grep -q 'dropped\|answer lost' \
    "$T/relay-a.log" "$T/relay-b.log"
ok "the relays sent messages twice" grep -q 'sent twice' \
    "$T/relay-a.log" "$T/relay-b.log"
