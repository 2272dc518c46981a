#!/bin/bash
#
# bench/run.sh: how fast feira-fcgi serves its three busiest pages, next
# to a bare FastCGI program behind the same nginx that sends as many
# bytes read from the same Berkeley DB (bench/ref-fcgi.c).
#
# It starts one marketplace with feiractl on a free loopback port in a
# folder under /tmp, registers BENCH_PRODUCTS products through the API,
# starts bench/ref-fcgi with as many workers on its own unix socket, and
# adds a "location /ref/" for it to the marketplace's nginx.  For each of
#
#	gallery page	GET / (24 cards)	vs  /ref/gallery
#	gallery API	GET /api/gallery	vs  /ref/api/gallery
#	product page	GET /products/ID	vs  /ref/products/ID
#
# it measures the feira body with curl, has the reference pad or trim its
# own to that size (?bytes=N), checks both answer 200 with equal sizes,
# then runs wrk on each (a one-second warm-up, then BENCH_DURATION; with
# BENCH_ROUNDS above 1, feira and the reference take turns and the best
# round of each counts) and prints requests per second, the ratio feira /
# reference, and a table to copy into README.md with the machine and the
# date.  The target is a ratio of at least BENCH_TARGET (0.5) on every
# page; with BENCH_STRICT=1 a page below it makes the exit status 1.  A
# run in which wrk saw error answers or socket errors always exits 1.
#
# wrk sends no cookie, so every feira page request also mints a CSRF
# cookie, as for a browser's first visit; the reference does no such
# thing, which is part of what the ratio shows.
#
# Everything is torn down at exit; the folder is kept only on failure, or
# with BENCH_KEEP=1.
#
# Environment: FEIRA_SRCDIR, FEIRA_BUILDDIR (default: the folder above this
# script), FEIRA_REF (default: $FEIRA_BUILDDIR/bench/ref-fcgi; built into
# the temporary folder with cc -O2 when missing), BENCH_PRODUCTS (1000),
# BENCH_WORKERS (4), BENCH_THREADS (2), BENCH_CONNECTIONS (16),
# BENCH_DURATION (5s), BENCH_ROUNDS (1: rounds per page, best kept),
# BENCH_TARGET (0.5), BENCH_STRICT, BENCH_KEEP.

set -u

: "${FEIRA_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${FEIRA_BUILDDIR:=$FEIRA_SRCDIR}"
: "${BENCH_PRODUCTS:=1000}"
: "${BENCH_WORKERS:=4}"
: "${BENCH_THREADS:=2}"
: "${BENCH_CONNECTIONS:=16}"
: "${BENCH_DURATION:=5s}"
: "${BENCH_ROUNDS:=1}"
: "${BENCH_TARGET:=0.5}"
: "${BENCH_STRICT:=0}"
: "${BENCH_KEEP:=0}"

export FEIRA_WORKERS=$BENCH_WORKERS
BENCH_NAME=bench
. "$FEIRA_SRCDIR/bench/lib.sh"
REF=${FEIRA_REF:-$FEIRA_BUILDDIR/bench/ref-fcgi}
NET=$T/net
REF_PID=
trap bench_ref_teardown EXIT

# Start one marketplace on a free port; sets PORT, NAME, M and URL.
start_market() {
	network_start "$NET" 1 "$PASSWORD" "$T/start.log" ||
	    die "cannot start a marketplace: $(cat "$T/start.log")"
	PORT=$BASE
	NAME=$(awk '{ print $1; exit }' "$NET/network")
	M=$NET/$NAME
	URL=http://127.0.0.1:$PORT
}

# Write product number $1 as the JSON body of a registration.
product_json() {
	local i=$1 teams kits team
	teams=(Flamengo Fluminense Botafogo "Vasco da Gama" Palmeiras
	    Corinthians "São Paulo" Santos Grêmio Internacional Cruzeiro
	    "Atlético Mineiro" Bahia Vitória "Sport Recife" "Santa Cruz"
	    Fortaleza Ceará "Athletico Paranaense" Coritiba)
	kits=(I II III)
	team=${teams[$((i % ${#teams[@]}))]}
	printf '{"name": "Camisa %s %s %d", "team": "%s",' \
	    "$team" "${kits[$((i % 3))]}" $((2000 + i % 27)) "$team"
	printf ' "price_cents": %d,' $((15990 + (i * 137) % 30000))
	printf ' "stock": {"P": %d, "M": %d, "G": %d, "GG": %d, "XG": %d},' \
	    $((i % 5)) $((i % 13)) $((i % 11)) $((i % 7)) $((i % 3))
	printf ' "description": "Modelo %d da temporada, tecido leve com' "$i"
	printf ' escudo bordado & gola careca <oficial>.",'
	printf ' "colors": ["#%06x", "#%06x"]}\n' \
	    $(((i * 2654435) % 16777216)) $(((i * 40503) % 16777216))
}

# Register BENCH_PRODUCTS products, eight requests at a time.
seed() {
	local i n
	mkdir -p "$T/seed"
	for ((i = 1; i <= BENCH_PRODUCTS; i++)); do
		product_json "$i" >"$T/seed/$i.json"
	done
	seq 1 "$BENCH_PRODUCTS" | xargs -P 8 -I{} curl -s -o /dev/null \
	    -w '%{http_code}\n' -u "seller:$PASSWORD" \
	    -H 'Content-Type: application/json' \
	    --data-binary "@$T/seed/{}.json" "$URL/api/products" \
	    >"$T/seed.codes"
	n=$(grep -cx 201 "$T/seed.codes")
	[ "$n" = "$BENCH_PRODUCTS" ] ||
	    die "only $n of $BENCH_PRODUCTS products registered: $(sort \
	    "$T/seed.codes" | uniq -c | tr '\n' ' ')"
}

# Start the reference on its own socket and route /ref/ to it, with the
# same FastCGI parameters as feira-fcgi gets.
start_ref() {
	local sock=$M/run/ref.sock n=0
	setsid "$REF" -d "$M/data" -s "$sock" -w "$BENCH_WORKERS" \
	    </dev/null >>"$T/ref.log" 2>&1 &
	REF_PID=$!
	while [ ! -S "$sock" ]; do
		kill -0 "$REF_PID" 2>/dev/null ||
		    die "ref-fcgi did not start: $(cat "$T/ref.log")"
		n=$((n + 1))
		[ "$n" -ge 100 ] && die "ref-fcgi did not open $sock"
		sleep 0.1
	done
	# Not *.conf: extra/*.conf is included at the server level.
	sed "s|^fastcgi_pass .*|fastcgi_pass unix:$sock;|" \
	    "$M/fastcgi.conf" >"$M/extra/ref.params"
	cat >"$M/extra/ref.conf" <<CONF
# bench/run.sh: the reference FastCGI program.
location /ref/ {
	include $M/extra/ref.params;
}
CONF
	nginx_reload
	[ "$(curl -s -o /dev/null -w '%{http_code}' \
	    "$URL/ref/products/$NAME-1")" = 200 ] ||
	    die "nginx does not route /ref/ to ref-fcgi; see $M/logs"
}

# Reload nginx and wait until its old workers are gone: until then, one
# of them may still accept a connection and answer with the old routes.
nginx_reload() {
	local old pid n=0
	old=$(ps -o pid= --ppid "$(cat "$M/run/nginx.pid")")
	"$NGINX" -p "$M" -c "$M/nginx.conf" -e "$M/logs/nginx-error.log" \
	    -s reload 2>>"$T/reload.log" ||
	    die "nginx reload failed: $(cat "$T/reload.log")"
	for pid in $old; do
		while kill -0 "$pid" 2>/dev/null; do
			n=$((n + 1))
			[ "$n" -ge 100 ] && die "nginx kept its old workers"
			sleep 0.1
		done
	done
	# The old workers may have gone before the new ones came.
	n=0
	while [ -z "$(ps -o pid= --ppid "$(cat "$M/run/nginx.pid")")" ]; do
		n=$((n + 1))
		[ "$n" -ge 50 ] && die "nginx has no workers after a reload"
		sleep 0.1
	done
}

# Print the status and body size of GET $1.
fetch() {
	curl -s -o "$T/body" -w '%{http_code} %{size_download}' "$1"
}

# Does the body just fetched for page $1 (path $2) list every product?
# A page that missed some would be measured doing less than it should.
lists_all() {
	local pattern n
	local want=$BENCH_PRODUCTS
	case $1 in
	gallery) pattern='href="/products/' ;;
	api) pattern='"id":' ;;
	*) return 0 ;;
	esac
	# The gallery page shows its first 24 cards, of all it sorted.
	case $1:$2 in
	gallery:/) [ "$want" -gt 24 ] && want=24 ;;
	esac
	n=$(grep -oF "$pattern" "$T/body" | wc -l)
	[ "$n" = "$want" ] || die "$2 lists $n products, not $want"
}

# Measure the feira page $2 and check the reference $3 against it; sets
# SIZE[$1], FEIRA[$1] and REFURL[$1], and OWN[$1], the size of the
# reference's page before padding or trimming.
prepare() {
	local k=$1 path=$2 refpath=$3 code size
	read -r code size <<<"$(fetch "$URL$path")"
	[ "$code" = 200 ] || die "GET $path answered $code"
	lists_all "$k" "$path"
	SIZE[$k]=$size
	FEIRA[$k]=$URL$path
	read -r code size <<<"$(fetch "$URL$refpath")"
	[ "$code" = 200 ] || die "GET $refpath answered $code;" \
	    "$(tail -1 "$T/ref.log")"
	lists_all "$k" "$refpath"
	OWN[$k]=$size
	REFURL[$k]=$URL$refpath?bytes=${SIZE[$k]}
	read -r code size <<<"$(fetch "${REFURL[$k]}")"
	[ "$code" = 200 ] || die "GET $refpath answered $code"
	[ "$size" = "${SIZE[$k]}" ] ||
	    die "$refpath sent $size bytes, not ${SIZE[$k]}"
}

# Run wrk on URL $2, saving its report as $T/wrk-$1; sets MEASURED to the
# requests per second and adds to ERRORS when some answers were errors.
measure() {
	local out=$T/wrk-$1
	wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d1s "$2" \
	    >/dev/null 2>&1
	wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" \
	    --latency "$2" >"$out" 2>&1 || die "wrk failed: $(cat "$out")"
	MEASURED=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
	[ -n "$MEASURED" ] || die "no Requests/sec from wrk: $(cat "$out")"
	if grep -qE 'Non-2xx|Socket errors' "$out"; then
		echo "bench: errors during $1: $(grep -E 'Non-2xx|Socket' \
		    "$out" | tr -s ' ')" >&2
		ERRORS=$((ERRORS + 1))
	fi
}

# The average latency of a saved wrk report.
latency() {
	awk '$1 == "Latency" { print $2; exit }' "$T/wrk-$1"
}

# Measure page $1 for BENCH_ROUNDS rounds, feira then the reference in
# each, so that a burst of other load on the machine hits both alike;
# keep the best round of each in RPS_F, RPS_R, LAT_F and LAT_R.
bench_page() {
	local k=$1 r
	RPS_F[$k]=0
	RPS_R[$k]=0
	for ((r = 1; r <= BENCH_ROUNDS; r++)); do
		measure "$k-feira-$r" "${FEIRA[$k]}"
		if [ "$MEASURED" -gt "${RPS_F[$k]}" ]; then
			RPS_F[$k]=$MEASURED
			LAT_F[$k]=$(latency "$k-feira-$r")
		fi
		measure "$k-ref-$r" "${REFURL[$k]}"
		if [ "$MEASURED" -gt "${RPS_R[$k]}" ]; then
			RPS_R[$k]=$MEASURED
			LAT_R[$k]=$(latency "$k-ref-$r")
		fi
	done
}

for tool in wrk curl ss setsid; do
	command -v "$tool" >/dev/null || die "$tool is needed"
done
[ -x "$FEIRA_FCGI" ] || die "no $FEIRA_FCGI; run make first"
[ -x "$FEIRACTL" ] || die "no $FEIRACTL; run make first"
if grep -q __asan_init "$FEIRA_FCGI"; then
	echo "bench: warning: feira-fcgi is built with sanitizers;" \
	    "its figures mean little" >&2
fi
bench_build_ref

# Read before the bench adds load of its own.
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: starting a marketplace in $NET"
start_market
echo "bench: registering $BENCH_PRODUCTS products at $URL"
SECONDS=0
seed
echo "bench: registered in ${SECONDS}s"
# Let the disk write back the seeding before anything is measured.
sync -f "$M/data"
start_ref
echo "bench: ref-fcgi runs $BENCH_WORKERS workers on $M/run/ref.sock"

declare -A SIZE OWN FEIRA REFURL RPS_F RPS_R LAT_F LAT_R RATIO
PAGES=(gallery api product)
declare -A TITLE=([gallery]="GET /" [api]="GET /api/gallery"
    [product]="GET /products/{id}")
prepare gallery / /ref/gallery
prepare api /api/gallery /ref/api/gallery
prepare product "/products/$NAME-$((BENCH_PRODUCTS / 2))" \
    "/ref/products/$NAME-$((BENCH_PRODUCTS / 2))"

WRK="wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION"
echo "bench: load average before the bench: $LOAD"
if awk -v l="${LOAD%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'
then
	echo "bench: warning: the machine is busy; the figures will be" \
	    "noisy (try BENCH_ROUNDS=3)" >&2
fi
BELOW=0
ERRORS=0
for k in "${PAGES[@]}"; do
	echo "bench: ${TITLE[$k]}: ${SIZE[$k]} bytes (the reference's own:" \
	    "${OWN[$k]}, padded or cut to that): $WRK, best of" \
	    "$BENCH_ROUNDS"
	bench_page "$k"
	RATIO[$k]=$(awk -v f="${RPS_F[$k]}" -v r="${RPS_R[$k]}" \
	    'BEGIN { printf "%.2f", (r > 0 ? f / r : 0) }')
	awk -v x="${RATIO[$k]}" -v t="$BENCH_TARGET" \
	    'BEGIN { exit !(x < t) }' && BELOW=$((BELOW + 1))
	printf '  feira %s req/s (%s), reference %s req/s (%s), ratio %s\n' \
	    "${RPS_F[$k]}" "${LAT_F[$k]}" "${RPS_R[$k]}" "${LAT_R[$k]}" \
	    "${RATIO[$k]}"
done

# The table, in Markdown, for README.md.
echo
echo "Feira against a bare FastCGI reference (bench/run.sh), $(date -u \
'+%Y-%m-%d %H:%M UTC')"
echo "Machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; \
exit }' /proc/cpuinfo), $(uname -sr)"
echo "$BENCH_PRODUCTS products, $BENCH_WORKERS FastCGI workers each," \
    "nginx $("$NGINX" -v 2>&1 | sed 's|.*/||'), $WRK, best of" \
    "$BENCH_ROUNDS, loopback, load average before: $LOAD"
echo
echo "| page | bytes | feira req/s | reference req/s | ratio |" \
    "target $BENCH_TARGET |"
echo "|---|---:|---:|---:|---:|---|"
for k in "${PAGES[@]}"; do
	if awk -v x="${RATIO[$k]}" -v t="$BENCH_TARGET" \
	    'BEGIN { exit !(x >= t) }'; then
		verdict=met
	else
		verdict="**missed**"
	fi
	printf '| %s | %s | %s | %s | %s | %s |\n' "${TITLE[$k]}" \
	    "${SIZE[$k]}" "${RPS_F[$k]}" "${RPS_R[$k]}" "${RATIO[$k]}" \
	    "$verdict"
done
if [ "$ERRORS" -gt 0 ]; then
	echo
	echo "bench: $ERRORS runs had error answers: the figures are wrong"
	exit 1
fi

FAILED=0
if [ "$BELOW" -gt 0 ] && [ "$BENCH_STRICT" = 1 ]; then
	exit 1
fi
exit 0
