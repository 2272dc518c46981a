#!/bin/bash
#
# bench/checkout.sh: checkouts per second and their latency with three
# marketplaces and BENCH_CLIENTS (8) concurrent clients, next to the lock
# service a team would otherwise reach for: a three-member etcd cluster on
# loopback, doing bare lock-and-unlock cycles through its HTTP gateway with
# as many clients, for BENCH_DURATION (10) seconds after BENCH_WARMUP (2).
#
# For each scenario below it starts three new marketplaces with feiractl
# on free loopback ports in a folder under /tmp and registers, through
# each owner's API, products of 1,000,000 shirts of size M, so that no run
# sells out.  Then, with bench/loadgen (one kept-alive connection per
# client, clients spread round-robin over the marketplaces), after a
# warm-up of a sixth as many:
#
#	disjoint	BENCH_CHECKOUTS (600) checkouts per client, each of a
#			cart of products that no other client buys
#	one product	as many, each of one unit of size M of one product that
#			every client buys
#	one client	BENCH_SINGLE (2,000) checkouts of a disjoint cart by a
#			single client, for the latency of a checkout with no
#			queue in front of it
#
# Feira's runs are counted, not timed, so that every machine puts as many
# orders in the stores; each run is still cut at BENCH_CAP (120) seconds.
#
# A cart holds one item of each of the three marketplaces.  A build whose
# checkout buys only products of the marketplace it is sent to (one trial
# order finds out, unless BENCH_CARTS says) is measured with carts of
# three items of that marketplace instead, and the same-product clients
# all buy at its owner; the table says which.  A 201 and a 409 (sold out) are both
# answers; anything else is an error.  GET /api/status at each marketplace
# before and after each run gives the messages sent to peers, by kind, per
# checkout answered: whatever kinds peerd counts, summed by name; and the
# time peerd spent in each phase of a checkout, whose means make a second
# table.
#
# The floor of a checkout's latency is three loopback round trips and two
# durable commits: a round trip is the median of 2,000 GET
# /api/products/{id} of a local product, one client on one kept-alive
# connection (nginx, the FastCGI program and a read of the store); a
# commit is the median of 500 writes of 512 bytes over a zeroed file in
# the marketplace's data folder, each followed by fdatasync, as Berkeley
# DB commits to its log, whose files the store zeroes (loadgen fsync).
#
# The marketplaces are stopped, then three etcd members (Debian's
# etcd-server) start with their client and peer URLs on 127.0.0.1 and
# their data under the temporary folder; once all three are healthy,
# loadgen takes a lease per client and does lock-and-unlock cycles, each
# client on a lock name of its own, then all on one name.
#
# The targets: Feira's disjoint checkouts at least twice etcd's cycles on
# distinct names, the same-product checkouts at least four times etcd's
# cycles on one name, and a median checkout within twice the floor.  The
# last lines are two Markdown tables for README.md, with the date and the
# machine.  A run with any error exits 1; with BENCH_STRICT=1, so does a
# missed target.  Everything is torn down at exit; the folder is kept on
# failure, or with BENCH_KEEP=1.
#
# Environment: FEIRA_SRCDIR, FEIRA_BUILDDIR (default: the folder above this
# script), FEIRA_LOADGEN (default: $FEIRA_BUILDDIR/bench/loadgen), ETCD
# (etcd), BENCH_CLIENTS (8), BENCH_CHECKOUTS (600), BENCH_SINGLE (2000),
# BENCH_CAP (120), BENCH_DURATION (10), BENCH_WARMUP (2), BENCH_CARTS
# (auto, network or local), BENCH_STRICT, BENCH_KEEP.

set -u
export LC_ALL=C

: "${FEIRA_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${FEIRA_BUILDDIR:=$FEIRA_SRCDIR}"
: "${BENCH_CLIENTS:=8}"
: "${BENCH_CHECKOUTS:=600}"
: "${BENCH_SINGLE:=2000}"
: "${BENCH_CAP:=120}"
: "${BENCH_DURATION:=10}"
: "${BENCH_WARMUP:=2}"
: "${BENCH_CARTS:=auto}"
: "${BENCH_STRICT:=0}"
: "${BENCH_KEEP:=0}"
: "${ETCD:=etcd}"

BENCH_NAME=checkout
. "$FEIRA_SRCDIR/bench/lib.sh"
LOADGEN=${FEIRA_LOADGEN:-$FEIRA_BUILDDIR/bench/loadgen}
NET=
ETCD_PIDS=()

# Stop etcd's members, each within ten seconds, and the marketplaces;
# keep the folder only when something failed or BENCH_KEEP=1.
teardown() {
	local pid
	for pid in "${ETCD_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${ETCD_PIDS[@]}"; do
		stop_pid "$pid" 100
	done
	[ -n "$NET" ] && [ -f "$NET/network" ] &&
	    "$FEIRACTL" stop "$NET" >/dev/null 2>&1
	bench_cleanup
}
trap teardown EXIT

# curl with a bound on every call.
fetch() {
	curl -s --max-time 10 "$@"
}

# Run loadgen with arguments $2...; its report goes to $T/$1.out and its
# complaints to $T/$1.err.  Bounded well past its own time limit.
loadgen() {
	local name=$1
	shift
	timeout $((BENCH_CAP + BENCH_DURATION + 60)) "$LOADGEN" "$@" \
	    >"$T/$name.out" 2>"$T/$name.err" ||
	    die "loadgen $1 ($name) failed: $(head -c 2000 "$T/$name.err")"
}

# The value of key $2 in loadgen report $1.
figure() {
	awk -v k="$2" '$1 == k { print $2; exit }' "$T/$1.out"
}

# Register product $2 at marketplace URL $1, 1,000,000 shirts of size M;
# prints its id.
register() {
	local out=$T/register.out code
	code=$(fetch -o "$out" -w '%{http_code}' -u "seller:$PASSWORD" \
	    -H 'Content-Type: application/json' --data-binary \
	    "{\"name\": \"$2\", \"team\": \"Bench\", \"price_cents\": 100,
	    \"stock\": {\"M\": 1000000}}" "$1/api/products")
	[ "$code" = 201 ] || die "registering $2 at $1 answered $code:" \
	    "$(head -c 500 "$out")"
	jq -er '.id' "$out" || die "no id in $(head -c 500 "$out")"
}

# Wait until every marketplace's gallery lists $1 products.
wait_listed() {
	local u n tries
	for u in "${URLS[@]}"; do
		tries=0
		while :; do
			n=$(fetch "$u/api/gallery" | jq '.products | length')
			[ "${n:-0}" -ge "$1" ] && break
			tries=$((tries + 1))
			[ "$tries" -ge 100 ] &&
			    die "$u lists ${n:-no} of $1 products after 10 s"
			sleep 0.1
		done
	done
}

# The cart of one unit of size M of each product id given.
cart() {
	local id sep=""
	printf '{"items": ['
	for id in "$@"; do
		printf '%s{"product": "%s", "size": "M", "quantity": 1}' \
		    "$sep" "$id"
		sep=", "
	done
	printf ']}\n'
}

# Can this build buy at one marketplace a product of another?  Tries one
# order of one unit; sets CARTS to network or local.
probe_carts() {
	local code out=$T/probe.out
	code=$(fetch -o "$out" -w '%{http_code}' -H \
	    'Content-Type: application/json' --data-binary "$(cart "$ONE")" \
	    "${URLS[1]}/api/orders")
	if [ "$code" = 201 ]; then
		CARTS=network
	elif [ "$code" = 400 ] &&
	    jq -e '.field == "items[0].product"' "$out" >/dev/null; then
		CARTS=local
	else
		die "the probe order answered $code: $(head -c 500 "$out")"
	fi
}

# Print "kind count" lines: the messages that the three marketplaces have
# sent their peers, by kind, summed by name.
sent_by_kind() {
	local u i=0
	for u in "${URLS[@]}"; do
		i=$((i + 1))
		[ "$(fetch -o "$T/status.$i" -w '%{http_code}' \
		    "$u/api/status")" = 200 ] ||
		    die "GET $u/api/status failed: $(head -c 500 \
		    "$T/status.$i")"
	done
	jq -ers '[.[].peers[] | .sent | to_entries[]] | group_by(.key)[] |
	    "\(.[0].key) \(map(.value) | add)"' "$T"/status.[0-9]* ||
	    die "GET /api/status has no counters of messages sent"
}

# Print "phase count us" lines: the times peerd summed of each phase of
# a checkout, over the status files that sent_by_kind fetched, summed by
# name; nothing for a build that does not time them.
phases_sum() {
	jq -rs '[.[].checkout_phases // {} | to_entries[]] |
	    group_by(.key)[] |
	    "\(.[0].key) \(map(.value.count) | add) \(map(.value.us) | add)"' \
	    "$T"/status.[0-9]*
}

# The mean milliseconds of each phase of a checkout from the sums before
# ($1) and after ($2) a run whose mean latency was $3: "lock prepare
# reserve decision tell other outside", where other is peerd's time in a
# checkout outside those phases and outside the rest of the latency, "—"
# for what did not run; or "—" alone for a build that does not time them.
per_phase() {
	awk -v mean="$3" 'NR == FNR { n[$1] = $2; us[$1] = $3; next }
	    { seen = 1
	      if ($2 > n[$1]) {
		m[$1] = ($3 - us[$1]) / ($2 - n[$1]) / 1000
		ran[$1] = 1
	      } }
	    function f(k) { return (k in ran) ? sprintf("%.2f", m[k]) : "—" }
	    END {
		if (!seen) { print "—"; exit }
		other = outside = "—"
		if ("checkout" in ran) {
			busy = m["lock"] + m["prepare"] + m["decision"]
			busy += m["tell"]
			other = sprintf("%.2f", m["checkout"] - busy)
			outside = sprintf("%.2f", mean - m["checkout"])
		}
		print f("lock"), f("prepare"), f("reserve"), f("decision"),
		    f("tell"), other, outside
	    }' "$1" "$2"
}

# Messages per answered checkout by kind, from the counters before ($1)
# and after ($2) a run that answered $3 checkouts.
per_checkout() {
	awk -v ops="$3" 'NR == FNR { before[$1] = $2; next }
	    { printf "%s%s %.2f", sep, $1, ($2 - before[$1]) / ops
	      sep = ", " }
	    END { print "" }' "$1" "$2"
}

# Run Feira scenario $1 with $2 clients, $3 checkouts each, on carts file
# $4 and URLs $5...; sets OPS, P50, P90, P99, MSGS, MEAN and PHASES for it.
feira_run() {
	local s=$1 clients=$2 count=$3 carts=$4
	shift 4
	loadgen "warm-$s" feira -k -c "$clients" -n $((count / 6 + 1)) \
	    -d "$BENCH_CAP" -b "$carts" "$@"
	sent_by_kind >"$T/sent-before-$s"
	phases_sum >"$T/phases-before-$s"
	loadgen "feira-$s" feira -k -c "$clients" -n "$count" \
	    -d "$BENCH_CAP" -b "$carts" "$@"
	grep -q "time limit" "$T/feira-$s.err" &&
	    echo "checkout: ${TITLE[$s]} was cut at $BENCH_CAP s" >&2
	sent_by_kind >"$T/sent-after-$s"
	phases_sum >"$T/phases-after-$s"
	keep_figures "feira-$s" "$s"
	MSGS[$s]=$(per_checkout "$T/sent-before-$s" "$T/sent-after-$s" \
	    "$(figure "feira-$s" ops)")
	MEAN[$s]=$(figure "feira-$s" mean_ms)
	PHASES[$s]=$(per_phase "$T/phases-before-$s" "$T/phases-after-$s" \
	    "${MEAN[$s]}")
	echo "checkout: ${TITLE[$s]}: ${OPS[$s]} checkouts/s, p50 ${P50[$s]}," \
	    "p90 ${P90[$s]}, p99 ${P99[$s]}, max $(figure "feira-$s" \
	    max_ms) ms; $(awk '$1 == "status" { printf "%s%s: %s", sep, \
	    $2, $3; sep = ", " }' "$T/feira-$s.out"); messages: ${MSGS[$s]}"
}

# Keep the figures of loadgen report $1 as scenario $2's.
keep_figures() {
	OPS[$2]=$(figure "$1" ops_per_s)
	P50[$2]=$(figure "$1" p50_ms)
	P90[$2]=$(figure "$1" p90_ms)
	P99[$2]=$(figure "$1" p99_ms)
	[ "$(figure "$1" ops)" -gt 0 ] 2>/dev/null ||
	    die "$1: no operation completed"
}

# Start three marketplaces for scenario $1 in $T/net-$1, with one shared
# product at the first, and for each client a product of its own at each
# marketplace (network carts) or three at the marketplace it is sent to
# (local carts).  Sets NET, NAMES, URLS, ONE and ONE_URLS, CARTS once,
# and writes the carts.  Every scenario starts from empty stores, so that
# none is measured on another's orders.
market_start() {
	local k m u id ids name port
	NET=$T/net-$1
	network_start "$NET" 3 "$PASSWORD" "$T/start.log" ||
	    die "cannot start the marketplaces: $(cat "$T/start.log")"
	URLS=()
	NAMES=()
	while read -r name port; do
		NAMES+=("$name")
		URLS+=("http://127.0.0.1:$port")
	done <"$NET/network"
	[ "${#URLS[@]}" = 3 ] || die "$NET/network does not name 3 marketplaces"
	ONE=$(register "${URLS[0]}" "Bench one product") || exit 1
	wait_listed 1
	if [ "$CARTS" = auto ]; then
		probe_carts
		echo "checkout: carts: $CARTS"
	fi
	: >"$T/carts-disjoint"
	for ((k = 0; k < BENCH_CLIENTS; k++)); do
		ids=()
		for m in 0 1 2; do
			if [ "$CARTS" = network ]; then
				u=${URLS[$m]}
			else
				u=${URLS[$((k % 3))]}
			fi
			id=$(register "$u" "Bench client $k item $m") || exit 1
			ids+=("$id")
		done
		cart "${ids[@]}" >>"$T/carts-disjoint"
	done
	cart "$ONE" >"$T/carts-one"
	wait_listed $((1 + 3 * BENCH_CLIENTS))
	if [ "$CARTS" = network ]; then
		ONE_URLS=("${URLS[@]}")
	else
		ONE_URLS=("${URLS[0]}")
	fi
	# Let the disk write back the registrations before anything counts.
	sync -f "$NET"
}

# Audit the marketplaces' stores, then stop them.
market_stop() {
	"$FEIRACTL" audit "$NET" >"$T/audit.log" 2>&1 ||
	    die "feiractl audit found violations: $(tail -5 "$T/audit.log")"
	"$FEIRACTL" stop "$NET" >/dev/null 2>&1
	rm -f "$NET/network"
}

# The floor, on marketplaces with nothing else to do; sets RT, COMMIT and
# FLOOR, in milliseconds.
measure_floor() {
	loadgen rt get -c 1 -n 2000 "${URLS[0]}/api/products/$ONE"
	loadgen commit fsync -n 500 "$NET/${NAMES[0]}/data"
	RT=$(figure rt p50_ms)
	COMMIT=$(figure commit p50_ms)
	FLOOR=$(awk -v r="$RT" -v c="$COMMIT" \
	    'BEGIN { printf "%.3f", 3 * r + 2 * c }')
	echo "checkout: floor: 3 round trips of $RT ms + 2 commits of" \
	    "$COMMIT ms = $FLOOR ms"
}

# Start three etcd members on six free loopback ports; sets ETCD_URLS.
etcd_start() {
	local try base i name client peer cluster=""
	for try in 1 2 3 4 5 6 7 8; do
		base=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		ports_free "$base" 6 && break
		base=
	done
	[ -n "$base" ] || die "no six free ports for etcd"
	# Client URLs on base to base + 2, peer URLs on base + 3 to base + 5.
	for i in 1 2 3; do
		peer=http://127.0.0.1:$((base + 2 + i))
		cluster+="${cluster:+,}bench$i=$peer"
	done
	ETCD_URLS=()
	for i in 1 2 3; do
		name=bench$i
		client=http://127.0.0.1:$((base + i - 1))
		peer=http://127.0.0.1:$((base + 2 + i))
		ETCD_URLS+=("$client")
		mkdir -p "$T/etcd/$name"
		setsid "$ETCD" --name "$name" --data-dir "$T/etcd/$name/data" \
		    --listen-client-urls "$client" \
		    --advertise-client-urls "$client" \
		    --listen-peer-urls "$peer" \
		    --initial-advertise-peer-urls "$peer" \
		    --initial-cluster "$cluster" --initial-cluster-state new \
		    --initial-cluster-token "feira-bench-$$" \
		    --logger zap --log-level warn --log-outputs stderr \
		    </dev/null >"$T/etcd/$name/log" 2>&1 &
		ETCD_PIDS+=($!)
		# Its end is teardown's business: no job notice from bash.
		disown $!
	done
}

# Wait until every member says it is healthy, at most 30 seconds.
etcd_wait() {
	local i tries=0
	for i in 0 1 2; do
		while [ "$(fetch --max-time 2 "${ETCD_URLS[$i]}/health" |
		    jq -r .health 2>/dev/null)" != true ]; do
			kill -0 "${ETCD_PIDS[$i]}" 2>/dev/null ||
			    die "etcd member $((i + 1)) died: $(tail -5 \
			    "$T/etcd/bench$((i + 1))/log")"
			tries=$((tries + 1))
			[ "$tries" -ge 300 ] && die "etcd is not healthy" \
			    "after 30 s; see $T/etcd"
			sleep 0.1
		done
	done
}

# Run etcd scenario $1 with loadgen's extra arguments $2...
etcd_run() {
	local s=$1
	shift
	loadgen "warm-$s" etcd -c "$BENCH_CLIENTS" -d "$BENCH_WARMUP" \
	    -l "feira-bench" "$@" "${ETCD_URLS[@]}"
	loadgen "etcd-$s" etcd -c "$BENCH_CLIENTS" -d "$BENCH_DURATION" \
	    -l "feira-bench" "$@" "${ETCD_URLS[@]}"
	keep_figures "etcd-$s" "$s"
	echo "checkout: ${TITLE[$s]}: ${OPS[$s]} cycles/s, p50 ${P50[$s]}," \
	    "p90 ${P90[$s]}, p99 ${P99[$s]}, max $(figure "etcd-$s" max_ms)" \
	    "ms ($(figure "etcd-$s" prefix)/lock/lock then unlock)"
}

# x / y with two decimals.
ratio() {
	awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", (y > 0 ? x / y : 0) }'
}

# "met" when $1 $2 $3 holds (an awk comparison), else a missed mark.
verdict() {
	if awk -v x="$1" -v y="$3" "BEGIN { exit !(x $2 y) }"; then
		echo met
	else
		echo "**missed**"
	fi
}

for tool in curl jq ss setsid timeout; do
	command -v "$tool" >/dev/null || die "$tool is needed"
done
command -v "$ETCD" >/dev/null ||
    die "$ETCD is needed (Debian: apt-get install etcd-server)"
[ -x "$LOADGEN" ] || die "no $LOADGEN; run make bench/loadgen first"
[ -x "$FEIRA_FCGI" ] || die "no $FEIRA_FCGI; run make first"
[ -x "$FEIRACTL" ] || die "no $FEIRACTL; run make first"
if grep -q __asan_init "$FEIRA_FCGI"; then
	echo "checkout: warning: feira-fcgi is built with sanitizers;" \
	    "its figures mean little" >&2
fi
case $BENCH_CARTS in
auto | network | local) ;;
*) die "BENCH_CARTS is auto, network or local, not $BENCH_CARTS" ;;
esac
for v in BENCH_CLIENTS BENCH_CHECKOUTS BENCH_SINGLE BENCH_CAP BENCH_DURATION \
    BENCH_WARMUP; do
	[ "${!v}" -ge 1 ] 2>/dev/null || die "$v is a whole number above 0"
done

declare -A OPS P50 P90 P99 MSGS MEAN PHASES
declare -A TITLE=([disjoint]="Feira, disjoint carts"
    [one]="Feira, one product" [single]="Feira, disjoint carts, 1 client"
    [names]="etcd, distinct names" [name]="etcd, one name")
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

echo "checkout: load average before the bench: $LOAD"
if awk -v l="${LOAD%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'
then
	echo "checkout: warning: the machine is busy; the figures will be" \
	    "noisy" >&2
fi
D="$BENCH_CHECKOUTS checkouts per client (1 client: $BENCH_SINGLE),"
D+=" etcd $BENCH_DURATION s, each after a warm-up"
echo "checkout: $BENCH_CLIENTS clients, $D"
CARTS=$BENCH_CARTS
market_start disjoint
measure_floor
feira_run disjoint "$BENCH_CLIENTS" "$BENCH_CHECKOUTS" "$T/carts-disjoint" \
    "${URLS[@]}"
market_stop
market_start one
feira_run one "$BENCH_CLIENTS" "$BENCH_CHECKOUTS" "$T/carts-one" \
    "${ONE_URLS[@]}"
market_stop
market_start single
feira_run single 1 "$BENCH_SINGLE" "$T/carts-disjoint" "${URLS[@]}"
market_stop

echo "checkout: starting three etcd members"
etcd_start
etcd_wait
etcd_run names
etcd_run name -s

# The table, in Markdown, for README.md.
R_DISJOINT=$(ratio "${OPS[disjoint]}" "${OPS[names]}")
R_ONE=$(ratio "${OPS[one]}" "${OPS[name]}")
declare -A AGAINST=(
    [disjoint]="$R_DISJOINT × distinct names (≥ 2): $(verdict \
    "$R_DISJOINT" '>=' 2)"
    [one]="$R_ONE × one name (≥ 4): $(verdict "$R_ONE" '>=' 4)"
    [single]="—" [names]="—" [name]="—")
declare -A FLOORED
for s in disjoint one single; do
	r=$(ratio "${P50[$s]}" "$FLOOR")
	FLOORED[$s]="$r × floor (≤ 2): $(verdict "$r" '<=' 2)"
done
MISSED=$(printf '%s\n' "${AGAINST[@]}" "${FLOORED[@]}" | grep -c missed)
FLOORED[names]="—"
FLOORED[name]="—"
MSGS[names]="—"
MSGS[name]="—"

if [ "$CARTS" = network ]; then
	CART_TEXT="each cart holds one item of each of the three marketplaces"
else
	CART_TEXT="this build buys only at a product's owner: each cart holds"
	CART_TEXT+=" three items of the marketplace it is sent to, and the"
	CART_TEXT+=" same-product clients all buy at its owner"
fi
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
DEBIAN=$(cat /etc/debian_version 2>/dev/null)
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's|.*/||')
ETCD_VERSION=$("$ETCD" --version | sed -n 's/^etcd Version: //p')
echo
echo "Checkouts against etcd's locks (bench/checkout.sh)," \
    "$(date -u '+%Y-%m-%d %H:%M UTC')"
echo "Machine: $(nproc) CPUs, $CPU, $(uname -sr), Debian $DEBIAN," \
    "nginx $NGINX_VERSION, etcd $ETCD_VERSION; load average before: $LOAD"
echo "$BENCH_CLIENTS clients (one in the 1-client row), $D; three" \
    "marketplaces of $FEIRA_WORKERS workers and a three-member etcd," \
    "all on loopback; $CART_TEXT."
echo "Floor: 3 round trips of $RT ms (median GET /api/products/{id}," \
    "one client) + 2 commits of $COMMIT ms (median 512-byte write over" \
    "zeros and fdatasync in the data folder) = $FLOOR ms."
echo
echo "| scenario | ops/s | p50 ms | p90 ms | p99 ms |" \
    "messages per checkout | ops/s against etcd | p50 against floor |"
echo "|---|---:|---:|---:|---:|---|---|---|"
for s in disjoint one single names name; do
	printf '| %s | %.0f | %.2f | %.2f | %.2f | %s | %s | %s |\n' \
	    "${TITLE[$s]}" "${OPS[$s]}" "${P50[$s]}" "${P90[$s]}" \
	    "${P99[$s]}" "${MSGS[$s]}" "${AGAINST[$s]}" "${FLOORED[$s]}"
done

echo
echo "Where a checkout's time goes: means in ms, from the sums peerd keeps" \
    "(GET /api/status, checkout_phases) of the checkouts it coordinated" \
    "and of an owner's answers to prepares; peerd's other steps are its" \
    "time in a checkout outside the four phases (the Idempotency-Key, the" \
    "plan, the order, the bookkeeping), and the rest is the mean latency" \
    "outside peerd: the client's exchange, nginx and feira-fcgi, with its" \
    "call of peerd and its reading of the order."
echo
echo "| scenario | mean latency | lock | prepare | of it, an owner's" \
    "reservation | decision | tell | peerd's other steps | the rest |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
ROW='| %s | %.2f | %s | %s | %s | %s | %s | %s | %s |\n'
for s in disjoint one single; do
	# shellcheck disable=SC2086,SC2059
	if [ "${PHASES[$s]}" = "—" ]; then
		printf "$ROW" "${TITLE[$s]}" "${MEAN[$s]}" — — — — — — —
	else
		printf "$ROW" "${TITLE[$s]}" "${MEAN[$s]}" ${PHASES[$s]}
	fi
done

FAILED=0
if [ "$MISSED" -gt 0 ] && [ "$BENCH_STRICT" = 1 ]; then
	exit 1
fi
exit 0
