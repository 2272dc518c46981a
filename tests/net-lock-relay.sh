#!/bin/bash
# Proves that the lock keeps mutual exclusion on a bad network: with a
# relay in front of each of three marketplaces that holds messages for
# random times (so that acknowledgements overtake requests and releases
# overtake both), drops requests and answers, and sends some twice,
# buyers at all three buy carts that share two shirts.  From the log of
# lock grants and releases of all three, no two checkouts that share a
# product ever hold their locks at the same time; every buyer gets a
# definite answer; once the network settles no reservation is left open
# and the audit finds every sale in its order.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
RELAY=$FEIRA_BUILDDIR/tests/relay
start_network 3
BUYERS=90
PARALLEL=12

register "${URL[0]}" "Camisa Disputada" "Time A" 10000 '{"M": 1000}'
P0=$PID
register "${URL[1]}" "Camisa Cobiçada" "Time B" 12000 '{"M": 1000}'
P1=$PID
register "${URL[2]}" "Camisa Rara" "Time C" 14000 '{"M": 1000}'
P2=$PID
listed "$P0" "$P1" "$P2"

# A relay on a free port in front of each marketplace; the others' peer
# lines point at it.
"$FEIRACTL" stop "$NET" >/dev/null
PIDS=""
p=$((PORT[2] + 100))
for i in 0 1 2; do
	while ! ports_free "$p" 1; do p=$((p + 1)); done
	RPORT[i]=$p
	"$RELAY" -l "$p" -t "${URL[i]}" -d 40 -p 10 -u 15 -s $((7 + i)) \
	    2>"$T/relay-$i.log" &
	PIDS="$PIDS $!"
	p=$((p + 1))
done
trap 'kill $PIDS 2>/dev/null; teardown' EXIT
for i in 0 1 2; do
	for j in 0 1 2; do
		[ "$i" = "$j" ] && continue
		sed -i "s|^peer = ${NAME[j]} .*|peer = ${NAME[j]} http://127.0.0.1:${RPORT[j]}|" \
		    "$NET/${NAME[i]}/feira.conf"
	done
done
"$FEIRACTL" start "$NET" >/dev/null
is "the three marketplaces run again behind relays" \
    "$("$FEIRACTL" status "$NET" | grep -c running)" 3

# Carts that share products: each wants one or two of the three shirts.
mkdir -p "$T/buy"
RANDOM=77
: >"$T/jobs"
CARTS=("$P0" "$P1" "$P2" "$P0 $P1" "$P1 $P2" "$P0 $P2")
for ((b = 0; b < BUYERS; b++)); do
	lines=""
	for id in ${CARTS[RANDOM % 6]}; do
		lines="$lines${lines:+, }{\"product\": \"$id\", \"size\": \"M\", \"quantity\": 1}"
	done
	printf '{"items": [%s]}' "$lines" >"$T/buy/$b.json"
	echo "${URL[b % 3]} $b" >>"$T/jobs"
done
buy_all "$PARALLEL"
is "every answer is definite: bought (201), or refused (503) and nothing bought" \
    "$(cat "$T"/buy/*.status | grep -cv '^\(201\|503\)$')" 0
ok "most buyers bought despite the relays" \
    [ "$(cat "$T"/buy/*.status | grep -cx 201)" -ge $((BUYERS / 2)) ]
ok "the relays dropped messages" grep -q 'dropped\|answer lost' "$T"/relay-*.log
ok "the relays sent messages twice" grep -q 'sent twice' "$T"/relay-*.log
ok "the relays carried lock requests" grep -q '/peer/lock/request' "$T"/relay-*.log

# overlaps: from every grant and release, the pairs of checkouts that
# held one product at the same time, and the number of grants.
overlaps() {
	cat "$NET"/*/logs/peerd.log | awk '
	/ lock: (granted|released) / {
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			v[kv[1]] = kv[2]
		}
		key = v["market"] "." v["ts"]
		if ($0 ~ / lock: granted /) {
			start[key] = v["at"]
			prods[key] = v["products"]
			grants++
		} else
			end[key] = v["at"]
	}
	END {
		bad = 0
		for (a in start)
			for (b in start) {
				if (a >= b)
					continue
				ea = (a in end) ? end[a] : 9e18
				eb = (b in end) ? end[b] : 9e18
				if (start[a] >= eb || start[b] >= ea)
					continue
				na = split(prods[a], pa, ",")
				nb = split(prods[b], pb, ",")
				for (i = 1; i <= na; i++)
					for (j = 1; j <= nb; j++)
						if (pa[i] == pb[j]) {
							print "# " a " and " b " both held " pa[i]
							bad++
						}
			}
		print bad, grants + 0
	}'
}
RESULT=$(overlaps)
printf '%s\n' "$RESULT" | grep '^#'
GRANTS=$(printf '%s\n' "$RESULT" | tail -n 1 | cut -d' ' -f2)
ok "the log holds a grant for every checkout bought" \
    [ "$GRANTS" -ge "$(cat "$T"/buy/*.status | grep -cx 201)" ]
is "no two checkouts that share a product held their locks at once" \
    "$(printf '%s\n' "$RESULT" | tail -n 1 | cut -d' ' -f1)" 0

settle
is "recovery settles every reservation despite the relays" \
    "$(open_reservations)" 0
for ((k = 0; k < 3; k++)); do
	id=$(eval echo "\$P$k")
	is "$id: the stock went down by what the confirmed orders bought" \
	    "$(stock "${URL[k]}" "$id" M)" $((1000 - $(confirmed "$id")))
done
