# Sourced by every shell test.  Starts marketplaces with feiractl in a
# temporary folder on free loopback ports, offers TAP helpers, and tears
# everything down at exit, whether the test passed or not.  Logs are kept
# only when something failed.

set -u

: "${FEIRA_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$FEIRA_SRCDIR/tests/network.sh"

T=$(mktemp -d /tmp/feira-test.XXXXXX)
NET=$T/net
PASSWORD=test-$$-secret
mkdir -p "$T/san" "$T/http"

# Sanitizer reports of the programs go to files that teardown reads.
export ASAN_OPTIONS="log_path=$T/san/asan:detect_leaks=1"
export UBSAN_OPTIONS="log_path=$T/san/ubsan:print_stacktrace=1"

TAP_N=0
TAP_FAILED=0

# ok CLAIM COMMAND...: run the command; it passes when it exits 0.
ok() {
	local claim=$1
	shift
	TAP_N=$((TAP_N + 1))
	if "$@"; then
		echo "ok $TAP_N - $claim"
	else
		TAP_FAILED=$((TAP_FAILED + 1))
		echo "not ok $TAP_N - $claim"
	fi
}

# is CLAIM GOT WANT: the two strings are equal.
is() {
	TAP_N=$((TAP_N + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $TAP_N - $1"
	else
		TAP_FAILED=$((TAP_FAILED + 1))
		echo "not ok $TAP_N - $1"
		echo "# got:  $2"
		echo "# want: $3"
	fi
}

# skip CLAIM REASON: a check that cannot be made here, and why.
skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# like CLAIM TEXT PATTERN: the text holds the fixed string pattern.
like() {
	TAP_N=$((TAP_N + 1))
	if printf '%s' "$2" | grep -qF -- "$3"; then
		echo "ok $TAP_N - $1"
	else
		TAP_FAILED=$((TAP_FAILED + 1))
		echo "not ok $TAP_N - $1"
		echo "# no \"$3\" in: $(printf '%s' "$2" | head -c 400)"
	fi
}

# unlike CLAIM TEXT PATTERN: the text does not hold the fixed string.
unlike() {
	TAP_N=$((TAP_N + 1))
	if printf '%s' "$2" | grep -qF -- "$3"; then
		TAP_FAILED=$((TAP_FAILED + 1))
		echo "not ok $TAP_N - $1"
		echo "# found \"$3\""
	else
		echo "ok $TAP_N - $1"
	fi
}

# start_network COUNT: start COUNT marketplaces; PORT[i] is each one's
# port, URL[i] its address, from 0.
start_network() {
	local count=$1 i
	if ! network_start "$NET" "$count" "$PASSWORD" "$T/start.log"; then
		echo "Bail out! cannot start a network: $(cat "$T/start.log")"
		exit 1
	fi
	for ((i = 0; i < count; i++)); do
		PORT[i]=$((BASE + i))
		URL[i]=http://127.0.0.1:$((BASE + i))
	done
	NAME=($(awk '{ print $1 }' "$NET/network"))
}

# http METHOD URL [BODY [CURL-ARGS...]]: sets STATUS and BODY.  A BODY of
# "-" sends none.
http() {
	local method=$1 url=$2 data=${3:--}
	shift 2
	[ $# -gt 0 ] && shift
	if [ "$data" = "-" ]; then
		STATUS=$(curl -s -o "$T/http/body" -w '%{http_code}' \
		    -X "$method" "$@" "$url")
	else
		STATUS=$(printf '%s' "$data" | curl -s -o "$T/http/body" \
		    -w '%{http_code}' -X "$method" --data-binary @- "$@" "$url")
	fi
	BODY=$(cat "$T/http/body")
}

# seller METHOD URL BODY: an API call with the seller's login.
seller() {
	http "$1" "$2" "$3" -u "seller:$PASSWORD" \
	    -H 'Content-Type: application/json'
}

# json FILTER: apply a jq filter to BODY.
json() {
	printf '%s' "$BODY" | jq -r "$1" 2>/dev/null
}

# register URL NAME TEAM PRICE STOCK-JSON: register a product, set PID.
register() {
	seller POST "$1/api/products" "{\"name\": \"$2\", \"team\": \"$3\",
	    \"price_cents\": $4, \"stock\": $5}"
	PID=$(json .id)
}

# stock URL ID SIZE: print the stock of one size of a product.
stock() {
	curl -s "$1/api/products/$2" | jq -r ".stock.$3"
}

# page METHOD PATH [BODY]: a request of a browser on marketplace $U that
# keeps its cookies in $JAR; sets STATUS, BODY and HEAD.
page() {
	http "$1" "$U$2" "${3:--}" -b "$JAR" -c "$JAR" -D "$T/head"
	HEAD=$(tr -d '\r' <"$T/head")
}

# Where the last answer sends the browser.
location() {
	printf '%s\n' "$HEAD" | sed -n 's/^[Ll]ocation: //p'
}

# The CSRF token of the first form on the last page.
csrf() {
	printf '%s' "$BODY" |
	    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1
}

# cookie NAME: the value of a cookie the browser keeps.
cookie() {
	awk -v n="$1" '$6 == n { print $7 }' "$JAR"
}

# eventually CLAIM WANT COMMAND...: the command's output becomes WANT
# within 10 seconds.  Between marketplaces a change takes milliseconds;
# the bound is for slow machines, not a figure under test.
eventually() {
	local claim=$1 want=$2 got i
	shift 2
	for ((i = 0; i < 200; i++)); do
		got=$("$@")
		[ "$got" = "$want" ] && break
		sleep 0.05
	done
	is "$claim" "$got" "$want"
}

# listed ID...: every marketplace of the network lists each product.
listed() {
	local u id
	for u in "${URL[@]}"; do
		for id in "$@"; do
			eventually "$u lists $id" "$id" sh -c \
			    "curl -s '$u/api/products/$id' | jq -r .id"
		done
	done
}

# buy_all PARALLEL: post every cart $T/buy/N.json to the address that
# line "URL N" of $T/jobs gives it, PARALLEL at a time; the answer goes to
# $T/buy/N.body and its status to $T/buy/N.status.  Prints the count of
# each status as TAP comments.
buy_all() {
	xargs -P "$1" -L 1 sh -c 'curl -s --max-time 60 \
	    -o "$0/buy/$2.body" -w "%{http_code}\n" -X POST \
	    --data-binary @"$0/buy/$2.json" "$1/api/orders" \
	    >"$0/buy/$2.status"' "$T" <"$T/jobs"
	cat "$T"/buy/*.status | sort | uniq -c | sed 's/^/# /'
}

# confirmed ID [SIZE]: the units of ID (in SIZE) that the orders bought by
# buy_all confirmed.
confirmed() {
	local f
	for f in "$T"/buy/*.status; do
		[ "$(cat "$f")" = 201 ] && cat "${f%.status}.body"
	done | jq -s --arg id "$1" --arg s "${2:-}" '[.[].items[] |
	    select(.product == $id and ($s == "" or .size == $s)) |
	    .quantity] | add // 0'
}

# open_reservations: reservations open in the network, as the audit
# counts them.
open_reservations() {
	"$FEIRACTL" audit "$NET" 2>/dev/null |
	    sed -n 's/^network: .*, \([0-9]*\) open reservations.*/\1/p'
}

# settle: wait until no reservation is open anywhere (at most 30 s): a
# decision an owner missed reaches it by recovery, seconds later.
settle() {
	local i
	for ((i = 0; i < 150; i++)); do
		[ "$(open_reservations)" = 0 ] && return
		sleep 0.2
	done
}

teardown() {
	local f
	# Every network test ends with the audit of every marketplace.
	if [ -f "$NET/network" ]; then
		TAP_N=$((TAP_N + 1))
		# shellcheck disable=SC2086
		if "$FEIRACTL" audit "$NET" ${AUDIT_NAMES:-} >"$T/audit.out" 2>&1; then
			echo "ok $TAP_N - the audit finds no violation"
		else
			TAP_FAILED=$((TAP_FAILED + 1))
			echo "not ok $TAP_N - the audit finds no violation"
			sed 's/^/# /' "$T/audit.out"
		fi
	fi
	"$FEIRACTL" stop "$NET" >/dev/null 2>&1
	for f in "$T"/san/*; do
		[ -e "$f" ] || continue
		TAP_N=$((TAP_N + 1))
		TAP_FAILED=$((TAP_FAILED + 1))
		echo "not ok $TAP_N - no sanitizer report from $(basename "$f")"
		sed 's/^/# /' "$f" | head -60
	done
	echo "1..$TAP_N"
	if [ "$TAP_FAILED" -gt 0 ] || [ "$TAP_N" -eq 0 ]; then
		echo "# logs kept in $T"
		for f in "$NET"/*/logs/feira.log "$NET"/*/logs/nginx-error.log; do
			[ -s "$f" ] && { echo "# $f:"; tail -20 "$f" | sed 's/^/#   /'; }
		done
		exit 1
	fi
	rm -rf "$T"
}
trap teardown EXIT
