#!/bin/bash
#
# bench/propagation.sh: how long a product registered at one marketplace
# takes to be listed by the others.
#
# It starts three marketplaces with feiractl on free loopback ports in a
# folder under /tmp, then BENCH_SAMPLES times registers a product at the
# first and polls the gallery API of the other two every few milliseconds
# until both list it.  It prints the median, 90th percentile and largest
# time, from the moment the registration answered 201, with the machine
# and the date.  The target is 200 ms on loopback.  Everything is torn
# down at exit.
#
# Environment: FEIRA_SRCDIR, FEIRA_BUILDDIR (default: the folder above this
# script), BENCH_SAMPLES (30).

set -u

: "${FEIRA_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${FEIRA_BUILDDIR:=$FEIRA_SRCDIR}"
: "${BENCH_SAMPLES:=30}"
. "$FEIRA_SRCDIR/tests/network.sh"

T=$(mktemp -d /tmp/feira-propagation.XXXXXX)
trap '"$FEIRACTL" stop "$T/net" >/dev/null 2>&1; rm -rf "$T"' EXIT

network_start "$T/net" 3 bench "$T/start.log" ||
    { echo "propagation: cannot start: $(cat "$T/start.log")" >&2; exit 1; }
A=http://127.0.0.1:$BASE
B=http://127.0.0.1:$((BASE + 1))
C=http://127.0.0.1:$((BASE + 2))
sleep 1

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

: >"$T/times"
for ((i = 1; i <= BENCH_SAMPLES; i++)); do
	id=$(curl -s -u seller:bench -X POST --data-binary \
	    "{\"name\": \"Propaga $i\", \"team\": \"T\", \"price_cents\": 100,
	    \"stock\": {\"M\": 1}}" "$A/api/products" | jq -r .id)
	start=$(now_ms)
	seen_b=0 seen_c=0
	while [ $((seen_b * seen_c)) -eq 0 ]; do
		[ "$seen_b" = 1 ] || curl -s "$B/api/products/$id" |
		    grep -q '"reachable"' && seen_b=1
		[ "$seen_c" = 1 ] || curl -s "$C/api/products/$id" |
		    grep -q '"reachable"' && seen_c=1
		if [ $(($(now_ms) - start)) -gt 5000 ]; then
			echo "propagation: $id not listed after 5 s" >&2
			exit 1
		fi
	done
	echo $(($(now_ms) - start)) >>"$T/times"
	sleep 0.2
done

sort -n "$T/times" | awk -v n="$BENCH_SAMPLES" \
    -v cpus="$(nproc)" -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" \
    -v cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" '
	{ t[NR] = $1 }
	END {
		printf "Propagation of a new product to two peers (bench/propagation.sh), %s\n", date
		printf "Machine: %d CPUs, %s\n", cpus, cpu
		printf "%d samples: median %d ms, 90th percentile %d ms, max %d ms (target 200 ms)\n",
		    n, t[int((n + 1) / 2)], t[int(n * 0.9 + 0.5)], t[n]
	}'
