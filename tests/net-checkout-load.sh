#!/bin/bash
# Proves that many buyers at once never sell more than the stock: 300
# buyers spread over three marketplaces, 30 at a time, buy random carts
# over six shirts of small stock owned by all three.  Every buyer gets a
# definite answer (201 or 409); at every owner the units sold are the
# initial stock minus the final one, and match both the confirmed orders
# and the owner's list of sales; no stock is below zero.  The audit at the
# end checks every confirmed order against its owners.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 3
BUYERS=300
PARALLEL=30
STOCK=15

IDS=()
for i in 0 1 2; do
	for j in 1 2; do
		register "${URL[i]}" "Camisa Disputada $i.$j" "Time $i" \
		    $((10000 + 100 * i + j)) "{\"M\": $STOCK, \"G\": $STOCK}"
		IDS+=("$PID")
	done
done
listed "${IDS[@]}"

# Each buyer: a marketplace, and a cart of 1 to 3 distinct lines.
mkdir -p "$T/buy"
RANDOM=4242
: >"$T/jobs"
for ((b = 0; b < BUYERS; b++)); do
	n=$((1 + RANDOM % 3))
	lines=""
	seen=" "
	for ((k = 0; k < n; k++)); do
		id=${IDS[RANDOM % 6]}
		size=$([ $((RANDOM % 2)) = 0 ] && echo M || echo G)
		case $seen in *" $id:$size "*) continue ;; esac
		seen="$seen$id:$size "
		lines="$lines${lines:+, }{\"product\": \"$id\", \"size\": \"$size\", \"quantity\": $((1 + RANDOM % 2))}"
	done
	printf '{"items": [%s]}' "$lines" >"$T/buy/$b.json"
	echo "${URL[b % 3]} $b" >>"$T/jobs"
done

buy_all "$PARALLEL"
is "every buyer got an answer" "$(ls "$T"/buy/*.status | wc -l)" "$BUYERS"
is "every answer is definite: bought (201) or short of stock (409)" \
    "$(cat "$T"/buy/*.status | grep -cv '^\(201\|409\)$')" 0
ok "some buyers bought" grep -qx 201 "$T"/buy/*.status
ok "some buyers found a shirt sold out" grep -qx 409 "$T"/buy/*.status
# A buyer's answer waits for the owners to hear the decision, but one an
# owner missed reaches it later, by recovery.
settle
is "no reservation is left open" "$(open_reservations)" 0

# sales URL ID SIZE: units of ID in SIZE that its owner lists as sold.
sales() {
	curl -s -u "seller:$PASSWORD" "$1/api/sales" | jq --arg id "$2" \
	    --arg s "$3" '[.sales[] | select(.product == $id and .size == $s) | .quantity] | add // 0'
}
for ((k = 0; k < 6; k++)); do
	id=${IDS[k]}
	owner=${URL[k / 2]}
	for size in M G; do
		left=$(stock "$owner" "$id" "$size")
		ok "$id $size is not below zero" [ "$left" -ge 0 ]
		is "$id $size: the confirmed orders bought the stock that went" \
		    "$(confirmed "$id" "$size")" $((STOCK - left))
		is "$id $size: the owner lists as sold the stock that went" \
		    "$(sales "$owner" "$id" "$size")" $((STOCK - left))
	done
done
for u in "${URL[@]}"; do
	is "the lock queue of $u is empty again" \
	    "$(curl -s "$u/api/status" | jq '.queue | length')" 0
done
