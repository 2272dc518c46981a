#!/bin/bash
#
# bench/pages.sh: the server's time for each page, with BENCH_PRODUCTS
# (1,000) products in the gallery, next to a reference measured the same
# way in the same run: bench/ref-fcgi's product page behind the same
# nginx (the least a FastCGI page can cost here) and a static file that
# nginx serves alone.
#
# It starts two marketplaces with feiractl on free loopback ports: A with
# BENCH_PRODUCTS products, B with 20, which A's gallery lists too.  A
# shopper's cart holds shirts of both; the seller of A is logged in.  For
# each page, one curl process sends BENCH_REQUESTS requests, one after
# the other on one kept-alive connection, after BENCH_WARMUP that are not
# counted; the server's time of a request is from the moment curl starts
# it to the first byte back (time_starttransfer), on loopback: nginx and
# feira-fcgi, since every page is made whole before its first byte leaves.  It prints the
# median and the 90th percentile of each page, and a Markdown table for
# README.md.  The goal is a median under BENCH_GOAL_MS (50) on every
# page; with BENCH_STRICT=1 a page over it makes the exit status 1.  A
# page that answers another status than it should always does.
#
# The checkout is a real purchase each time, of a shirt of A with stock
# for all of them: a cart of both marketplaces is bought only once the
# checkout across marketplaces is there.
#
# Environment: FEIRA_SRCDIR, FEIRA_BUILDDIR, FEIRA_REF (as bench/run.sh),
# BENCH_PRODUCTS (1000), BENCH_REQUESTS (200), BENCH_WARMUP (20),
# BENCH_GOAL_MS (50), BENCH_STRICT, BENCH_KEEP.

set -u

: "${FEIRA_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${FEIRA_BUILDDIR:=$FEIRA_SRCDIR}"
: "${BENCH_PRODUCTS:=1000}"
: "${BENCH_REQUESTS:=200}"
: "${BENCH_WARMUP:=20}"
: "${BENCH_GOAL_MS:=50}"
: "${BENCH_STRICT:=0}"
: "${BENCH_KEEP:=0}"

BENCH_NAME=pages
. "$FEIRA_SRCDIR/bench/lib.sh"
REF=${FEIRA_REF:-$FEIRA_BUILDDIR/bench/ref-fcgi}
NET=$T/net
REF_PID=
trap bench_ref_teardown EXIT

# Write N products as the JSON lines feiractl seed reads; the first has
# stock enough for every checkout of the bench.
catalog() {
	awk -v n="$1" -v tag="$2" 'BEGIN {
		split("Flamengo Fluminense Botafogo Vasco Palmeiras " \
		    "Corinthians Santos Gremio Internacional Cruzeiro " \
		    "Bahia Sport Fortaleza Ceara Coritiba", teams, " ")
		for (i = 1; i <= n; i++) {
			t = teams[i % 15 + 1]
			m = i == 1 ? 100000 : i % 13
			printf "{\"name\": \"Camisa %s %s %d\", ", t, tag, i
			printf "\"team\": \"%s\", \"price_cents\": %d, ", t,
			    15990 + (i * 137) % 30000
			printf "\"stock\": {\"P\": %d, \"M\": %d, \"G\": %d}, ",
			    i % 5, m, i % 11
			printf "\"description\": \"Modelo %d, escudo bordado ", i
			printf "& gola careca.\", \"colors\": [\"#%06x\", ", \
			    (i * 2654435) % 16777216
			printf "\"#%06x\"]}\n", (i * 40503) % 16777216
		}
	}'
}

# Start the reference on A's data and route /ref/ to it; nginx reads the
# route when A starts again.
start_ref() {
	local m=$NET/$A_NAME sock=$NET/$A_NAME/run/ref.sock n=0
	bench_build_ref
	"$REF" -d "$m/data" -s "$sock" -w 2 </dev/null >>"$T/ref.log" 2>&1 &
	REF_PID=$!
	while [ ! -S "$sock" ]; do
		n=$((n + 1))
		[ "$n" -ge 100 ] && die "ref-fcgi did not start"
		sleep 0.1
	done
	sed "s|^fastcgi_pass .*|fastcgi_pass unix:$sock;|" \
	    "$m/fastcgi.conf" >"$m/extra/ref.params"
	printf 'location /ref/ {\n\tinclude %s;\n}\n' "$m/extra/ref.params" \
	    >"$m/extra/ref.conf"
	"$FEIRACTL" stop "$NET" "$A_NAME" >/dev/null &&
	    "$FEIRACTL" start "$NET" "$A_NAME" >/dev/null ||
	    die "cannot start $A_NAME again"
}

# The cookies of a curl jar as a Cookie header.  The measured requests
# send that, not the jar: curl's cookie engine would take the cart away
# when a checkout's answer empties it.
cookies() {
	awk -F'\t' 'NF == 7 && $1 !~ /^# / { printf "%s%s=%s", n++ ? "; " : "",
	    $6, $7 } END { print "" }' "$1" | sed 's/^/Cookie: /'
}

# Log the seller in at A; the cookies go to $T/seller.
login() {
	local token
	token=$(curl -s -c "$T/seller" "$A/login" |
	    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/seller" \
	    -c "$T/seller" --data "csrf=$token&user=seller&password=$PASSWORD" \
	    "$A/login")" = 303 ] || die "the seller cannot log in"
}

# A shopper's cookies in $T/shopper: the CSRF cookie and a cart of three
# lines, two of A and one of B; sets CSRF.  $T/buyer holds a cart of the
# one shirt with stock for every checkout.
shopper() {
	CSRF=$(curl -s -c "$T/shopper" "$A/login" |
	    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	[ -n "$CSRF" ] || die "no CSRF token on $A/login"
	cp "$T/shopper" "$T/buyer"
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tfeira_cart_%s\t%s\n' \
	    "$A_NAME" "$A_NAME-2:M:1|$A_NAME-3:G:2|$B_NAME-1:M:1" \
	    >>"$T/shopper"
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tfeira_cart_%s\t%s\n' \
	    "$A_NAME" "$A_NAME-1:M:1" >>"$T/buyer"
}

# What curl writes of each request: status, size, and two of its times.
FORMAT='%{http_code} %{size_download} %{time_starttransfer}\n'

# measure NAME STATUS PATH [CURL-ARGS...]: time BENCH_REQUESTS requests
# of PATH at A that must answer STATUS; adds a row to $T/rows.
measure() {
	local name=$1 want=$2 path=$3 i
	shift 3
	: >"$T/curlrc"
	for ((i = 0; i < BENCH_WARMUP + BENCH_REQUESTS; i++)); do
		printf 'url = "%s%s"\noutput = "/dev/null"\n' "$A" "$path" \
		    >>"$T/curlrc"
	done
	curl -s -K "$T/curlrc" -w "$FORMAT" "$@" >"$T/times" ||
	    die "curl failed on $path"
	cp "$T/times" "$T/times.$(wc -l <"$T/rows")"
	tail -n "$BENCH_REQUESTS" "$T/times" >"$T/counted"
	awk '{ printf "%.3f\n", $3 * 1000 }' "$T/counted" |
	    sort -n >"$T/ms"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$path" \
	    "$(tail -n 1 "$T/counted" | cut -d' ' -f2)" \
	    "$(awk -v n="$BENCH_REQUESTS" 'NR == int((n + 1) / 2) {
	    printf "%.1f", $1 }' "$T/ms")" \
	    "$(awk -v n="$BENCH_REQUESTS" 'NR == int(n * 0.9) {
	    printf "%.1f", $1 }' "$T/ms")" \
	    "$(awk -v w="$want" '$1 != w { n++ } END { print n + 0 }' \
	    "$T/counted")" >>"$T/rows"
}

for tool in curl awk jq; do
	command -v "$tool" >/dev/null || die "$tool is needed"
done
[ -x "$FEIRA_FCGI" ] || die "no $FEIRA_FCGI; run make first"
if grep -q __asan_init "$FEIRA_FCGI"; then
	echo "bench: warning: feira-fcgi is built with sanitizers;" \
	    "its figures mean little" >&2
fi

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
network_start "$NET" 2 "$PASSWORD" "$T/start.log" ||
    die "cannot start the marketplaces: $(cat "$T/start.log")"
read -r A_NAME A_PORT B_NAME B_PORT <<<"$(tr '\n' ' ' <"$NET/network")"
A=http://127.0.0.1:$A_PORT
B=http://127.0.0.1:$B_PORT
echo "bench: registering $BENCH_PRODUCTS products at $A, 20 at $B"
catalog "$BENCH_PRODUCTS" A >"$T/a.jsonl"
catalog 20 B >"$T/b.jsonl"
"$FEIRACTL" seed "$NET" "$A_NAME" "$T/a.jsonl" >/dev/null ||
    die "cannot seed $A_NAME"
"$FEIRACTL" seed "$NET" "$B_NAME" "$T/b.jsonl" >/dev/null ||
    die "cannot seed $B_NAME"
for ((i = 0; i < 200; i++)); do
	n=$(curl -s "$A/api/gallery" | jq '.products | length')
	[ "$n" = $((BENCH_PRODUCTS + 20)) ] && break
	sleep 0.1
done
[ "$n" = $((BENCH_PRODUCTS + 20)) ] ||
    die "$A's gallery lists $n products, not $((BENCH_PRODUCTS + 20))"
start_ref
login
shopper
ORDER=$(curl -s -b "$T/buyer" -o /dev/null -w '%{redirect_url}' \
    --data "csrf=$CSRF" "$A/checkout" | sed 's|.*/orders/||')
[ -n "$ORDER" ] || die "the first checkout bought nothing"
MID=$A_NAME-$((BENCH_PRODUCTS / 2))
PAGE=$(((BENCH_PRODUCTS + 20 + 23) / 24 / 2 + 1))

: >"$T/rows"
echo "bench: $BENCH_REQUESTS requests a page, after $BENCH_WARMUP"
measure "gallery, page 1" 200 /
measure "gallery, page $PAGE" 200 "/?page=$PAGE"
measure "search, filters, order" 200 "/?q=camisa+flamengo&size=M&sort=price"
measure "gallery in English" 200 / -H "Accept-Language: en-US,en;q=0.9"
measure "product of A" 200 "/products/$MID"
measure "product of B (asks B)" 200 "/products/$B_NAME-1"
measure "cart of A and B" 200 /cart -H "$(cookies "$T/shopper")"
measure "checkout (a purchase)" 303 /checkout -H "$(cookies "$T/buyer")" \
    --data "csrf=$CSRF"
measure "order" 200 "/orders/$ORDER"
measure "login" 200 /login
SELLER=$(cookies "$T/seller")
measure "seller's products" 200 /seller -H "$SELLER"
measure "register a shirt" 200 /seller/new -H "$SELLER"
measure "sales" 200 /seller/sales -H "$SELLER"
measure "network" 200 /network
measure "network, live part" 200 /network/live
measure "reference: ref-fcgi's product" 200 "/ref/products/$MID"
measure "reference: a static file" 200 /static/feira.css

echo
echo "Server time per page (bench/pages.sh), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "Machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; \
exit }' /proc/cpuinfo), $(uname -sr), load average before: $LOAD"
echo "$BENCH_PRODUCTS + 20 products in the gallery, ${FEIRA_WORKERS:-4}" \
    "workers, $BENCH_REQUESTS requests a page one after the other"
echo
echo "| page | bytes | median ms | 90th pct ms |"
echo "|---|---:|---:|---:|"
OVER=0
BAD=0
while IFS=$'\t' read -r name path bytes med p90 bad; do
	printf '| %s (`%s`) | %s | %s | %s |\n' "$name" "$path" "$bytes" \
	    "$med" "$p90"
	[ "$bad" -gt 0 ] && { echo "bench: $bad answers of $path had" \
	    "another status" >&2; BAD=1; }
	awk -v m="$med" -v g="$BENCH_GOAL_MS" 'BEGIN { exit !(m >= g) }' &&
	    OVER=$((OVER + 1))
done <"$T/rows"
echo
echo "Goal: a median under $BENCH_GOAL_MS ms on every page;" \
    "$OVER over it."
[ "$BAD" = 0 ] || exit 1
FAILED=0
[ "$OVER" -gt 0 ] && [ "$BENCH_STRICT" = 1 ] && exit 1
exit 0
