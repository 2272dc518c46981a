#!/bin/bash
# Proves, in a real browser (Debian's chromium, headless, driven by
# playwright-core), that a shopper can search, fill a cart with shirts of
# two marketplaces, change it, meet a checkout that lacks stock and buy,
# and that a seller can log in and register a shirt that then appears in
# the other marketplace's gallery; that /network redraws itself, that
# English is spoken to a browser that asks, and that every page fits a
# phone.  On every page axe-core finds no serious or critical violation,
# nothing is loaded from another host, no script fails, and the Nu Html
# Checker finds no error in the HTML the server sent.  Screenshots and
# those pages are kept in tests/browser-out/ of the build folder.
#
# Skipped, with the reason, only when chromium cannot run here.

: "${FEIRA_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${FEIRA_BUILDDIR:=$FEIRA_SRCDIR}"
CHROMIUM=/usr/bin/chromium
MODULES=$FEIRA_SRCDIR/tests/browser/node_modules

if [ ! -x "$CHROMIUM" ]; then
	echo "1..0 # SKIP $CHROMIUM is not installed"
	exit 0
fi
PROFILE=$(mktemp -d /tmp/feira-chromium.XXXXXX)
if ! timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
    --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$PROFILE" \
    --dump-dom about:blank >/dev/null 2>"$PROFILE.err"; then
	echo "1..0 # SKIP chromium cannot run: $(tail -1 "$PROFILE.err")"
	rm -rf "$PROFILE" "$PROFILE.err"
	exit 0
fi
rm -rf "$PROFILE" "$PROFILE.err"

. "$FEIRA_SRCDIR/tests/lib.sh"
for need in node java; do
	command -v "$need" >/dev/null ||
	    { echo "Bail out! $need is needed; run ./quickstart"; exit 1; }
done
[ -d "$MODULES/playwright-core" ] && [ -d "$MODULES/axe-core" ] &&
    [ -f "$MODULES/vnu-jar/build/dist/vnu.jar" ] ||
    { echo "Bail out! no $MODULES; run ./quickstart check"; exit 1; }

OUT=$FEIRA_BUILDDIR/tests/browser-out
rm -rf "$OUT"
mkdir -p "$OUT"
start_network 2
A=${URL[0]} B=${URL[1]}

# shirt URL NAME TEAM PRICE STOCK COLOR0 COLOR1: register one; sets PID.
shirt() {
	seller POST "$1/api/products" "{\"name\": \"$2\", \"team\": \"$3\",
	    \"price_cents\": $4, \"stock\": $5, \"colors\": [\"$6\", \"$7\"],
	    \"description\": \"Camisa oficial, tecido leve.\"}"
	PID=$(json .id)
}

shirt "$A" "Camisa Rubro-Negra I" Flamengo 34990 '{"P": 5, "M": 12, "G": 10}' \
    '#c8102e' '#000000'
RN1=$PID
shirt "$A" "Camisa Rubro-Negra II" Flamengo 29990 '{"P": 2, "M": 3}' \
    '#ffffff' '#c8102e'
RN2=$PID
for i in $(seq 1 28); do
	shirt "$A" "Camisa Lote $i" "Time $((i % 5))" $((10000 + i * 100)) \
	    '{"M": 2}' '#0d47a1' '#ffffff'
done
shirt "$B" "Camisa Corinthians I" Corinthians 29990 '{"M": 4, "G": 6}' \
    '#ffffff' '#000000'
COR=$PID
eventually "A's gallery lists B's shirt before the browser starts" "$COR" \
    sh -c "curl -s '$A/api/gallery?q=corinthians' | jq -r '.products[].id'"
is "A holds 30 shirts of its own" "$(curl -s "$A/api/gallery" |
    jq --arg m "${NAME[0]}" '[.products[] | select(.marketplace == $m)] |
    length')" 30

# Checkouts across marketplaces come with peerd's lock protocol, whose
# status tells its incarnation.
ACROSS=0
[ "$(curl -s "$A/api/status" | jq 'has("incarnation")')" = true ] && ACROSS=1

FEIRA_A=$A FEIRA_B=$B FEIRA_A_NAME=${NAME[0]} FEIRA_B_NAME=${NAME[1]} \
FEIRA_PASSWORD=$PASSWORD FEIRA_ACROSS=$ACROSS FEIRA_OUT=$OUT \
FEIRA_IDS="{\"a\": \"$RN1\", \"a2\": \"$RN2\", \"b\": \"$COR\"}" \
    timeout 240 node "$FEIRA_SRCDIR/tests/browser/run.mjs" \
    >"$T/node.out" 2>&1
RC=$?
is "the browser script runs to its end" "$RC" 0
[ "$RC" = 0 ] || sed 's/^/# /' "$T/node.out" | tail -20

while IFS=$'\t' read -r verdict claim detail; do
	case $verdict in
	ok) ok "$claim" true ;;
	skip) skip "$claim" "$detail" ;;
	*) ok "$claim" false; echo "# $detail" ;;
	esac
done <"$OUT/results.tsv"

# The Nu Html Checker, on the HTML the server sent for every page.
java -jar "$MODULES/vnu-jar/build/dist/vnu.jar" --errors-only \
    --format json "$OUT/html" >"$T/vnu.json" 2>&1
for page in $(cat "$OUT/visited.txt"); do
	n=$(jq --arg f "$page.html" '[.messages[] | select(.type == "error")
	    | select(.url | endswith("/" + $f))] | length' "$T/vnu.json")
	is "the Nu Html Checker finds no error in $page" "$n" 0 ||
	    jq -r --arg f "$page.html" '.messages[] |
	    select(.url | endswith("/" + $f)) | "# line \(.lastLine):
	    \(.message)"' "$T/vnu.json" | head -5
done
