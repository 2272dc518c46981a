#!/bin/bash
# Proves that marketplaces authenticate each other: a peer message counts
# only when it is signed with the network key over its exact method, path,
# time, sender, clock and body, comes from another marketplace of the
# network and is fresh; that a refused or malformed message changes
# nothing in the gallery nor in the clock; and that peerd signs its
# answers.  The test plays marketplace A and talks to B's nginx directly.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 2
A=${NAME[0]}
B=${NAME[1]}
U=${URL[1]}
. "$FEIRA_SRCDIR/tests/peer.sh"
OTHER_KEY=$(printf '%s' "$KEY" | tr 0-9a-f 1-9a-f0)


# push FILE [EDIT]: write to FILE a push from A of its new product 900,
# changed by the jq filter EDIT, byte for byte as it will be sent.
push() {
	jq -nc --arg a "$A" '{
	    products: [{id: ($a + "-900"), marketplace: $a,
		name: "Camisa Peer Teste", team: "Flamengo",
		price_cents: 19990, stock: {P: 1, M: 2, G: 3, GG: 0, XG: 0},
		description: "announced by the test",
		colors: ["#c8102e", "#000000"], change: 1000000}],
	    prev: 0, high: 1000000} | '"${2:-.}" >"$T/$1"
}

# pushed: print the name B's gallery shows for A's product 900.
pushed() {
	curl -s "$U/api/gallery" |
	    jq -r --arg id "$A-900" '.products[] | select(.id == $id) | .name'
}

# unchanged CLAIM: B's gallery is byte for byte what it was after the
# first push.
unchanged() {
	curl -s -o "$T/gallery.now" "$U/api/gallery"
	ok "$1" cmp -s "$T/gallery.pushed" "$T/gallery.now"
	cmp -s "$T/gallery.pushed" "$T/gallery.now" ||
	    diff "$T/gallery.pushed" "$T/gallery.now" | head -6 | sed 's/^/# /'
}

# number TEXT: is the text a decimal number?
number() {
	printf '%s' "$1" | grep -qxE '[0-9]+'
}

# status_clock: print B's Lamport clock.
status_clock() {
	curl -s "$U/api/status" | jq -r .clock
}

# A forged push: if B took it, product 900 would be renamed.
push forged.json '.products[0].name = "Camisa Forjada" |
    .products[0].change = 2000000 | .high = 2000000'

# 1. A correctly signed push is taken: the signing here is right.
is "B's gallery starts empty" \
    "$(curl -s "$U/api/gallery" | jq -c .products)" '[]'
push new.json
peer POST /peer/changes "$T/new.json"
is "a correctly signed push from A is accepted with 200" "$STATUS" 200
is "the push answer counts one product applied" "$(json .applied)" 1
is "the push answer holds A's changes up to its high mark" \
    "$(json .held)" 1000000
eventually "B's gallery lists the pushed product under its name" \
    "Camisa Peer Teste" pushed
curl -s -o "$T/gallery.pushed" "$U/api/gallery"
is "B's gallery shows the pushed product's price and owner" \
    "$(jq -r --arg id "$A-900" '.products[] | select(.id == $id) |
    "\(.price_cents) \(.marketplace)"' "$T/gallery.pushed")" "19990 $A"

# 2. No signature at all.
http POST "$U/peer/changes" "$(cat "$T/forged.json")" \
    -H 'Content-Type: application/json'
is "an unsigned push is refused with 401" "$STATUS" 401
is "the 401 is a JSON error saying the message is not signed" \
    "$(json .error)" "the message is not signed"
unchanged "an unsigned push leaves B's gallery byte for byte as it was"

# 3 and 4. A signature that is not the network key's over this message.
CLOCK=7000000
now=$(date +%s)
sig=$(sign POST /peer/changes "$now" "$A" "$CLOCK" "$T/forged.json")
case ${sig:0:1} in
0) bad=1${sig:1} ;;
*) bad=0${sig:1} ;;
esac
send POST /peer/changes "$T/forged.json" "$A" "$now" "$CLOCK" "$bad"
is "a push whose signature has one hex digit changed is refused with 401" \
    "$STATUS" 401
is "the 401 says the signature is wrong" "$(json .error)" \
    "the signature is wrong"
unchanged "a push with a wrong signature leaves B's gallery as it was"

send POST /peer/changes "$T/forged.json" "$A" "$now" "$CLOCK" \
    "$(sign POST /peer/changes "$now" "$A" "$CLOCK" "$T/forged.json" \
    "$OTHER_KEY")"
is "a push signed with another key is refused with 401" "$STATUS" 401
unchanged "a push signed with another key leaves B's gallery as it was"

# 5 and 6. A correct signature, then the message changed.
push harmless.json '.products = [] | .high = 0'
send POST /peer/changes "$T/forged.json" "$A" "$now" "$CLOCK" \
    "$(sign POST /peer/changes "$now" "$A" "$CLOCK" "$T/harmless.json")"
is "a push whose body changed after signing is refused with 401" \
    "$STATUS" 401
unchanged "a push with a changed body leaves B's gallery as it was"

send GET /peer/changes/since/1 "$T/empty" "$A" "$now" "$CLOCK" \
    "$(sign GET /peer/changes/since/0 "$now" "$A" "$CLOCK" "$T/empty")"
is "a request sent to another path than the one signed is refused with 401" \
    "$STATUS" 401
unchanged "a request to another path leaves B's gallery as it was"

# 7. Outside the time window, even correctly signed.
for off in -120 +120; do
	t=$(($(date +%s) $off))
	send POST /peer/changes "$T/forged.json" "$A" "$t" "$CLOCK" \
	    "$(sign POST /peer/changes "$t" "$A" "$CLOCK" "$T/forged.json")"
	is "a correctly signed push timed ${off} s from now is 401" \
	    "$STATUS" 401
	like "the ${off} s refusal names X-Feira-Time" "$(json .error)" \
	    "X-Feira-Time"
	unchanged "a push timed ${off} s from now leaves B's gallery as it was"
done
t=$(($(date +%s) - 20))
send GET /peer/changes/since/0 "$T/empty" "$A" "$t" 1 \
    "$(sign GET /peer/changes/since/0 "$t" "$A" 1 "$T/empty")"
is "a message timed 20 s ago, within the window, is still accepted" \
    "$STATUS" 200

# 8. Senders that are not B's peers, though they hold the key.
for from in zzz "$B"; do
	t=$(date +%s)
	send POST /peer/changes "$T/forged.json" "$from" "$t" "$CLOCK" \
	    "$(sign POST /peer/changes "$t" "$from" "$CLOCK" \
	    "$T/forged.json")"
	is "a correctly signed push from \"$from\", not a peer of B, is 401" \
	    "$STATUS" 401
	is "the refusal of \"$from\" says it is not of the network" \
	    "$(json .error)" "not a marketplace of this network"
	unchanged "a push from \"$from\" leaves B's gallery as it was"
done

# 9. Malformed clocks are refused before the signature counts.
for c in abc 99999999999999999999; do
	t=$(date +%s)
	send POST /peer/changes "$T/forged.json" "$A" "$t" "$c" \
	    "$(sign POST /peer/changes "$t" "$A" "$c" "$T/forged.json")"
	is "a push with X-Feira-Clock \"$c\" is refused with 401" "$STATUS" 401
	is "the refusal of clock \"$c\" says it is not a clock" \
	    "$(json .error)" "X-Feira-Clock is not a clock"
done
unchanged "pushes with malformed clocks leave B's gallery as it was"

# 9, continued.  Correctly signed, but not a valid push.
CLOCK=1
printf 'products: none\n' >"$T/notjson"
peer POST /peer/changes "$T/notjson"
is "a signed push whose body is not JSON is refused with 400" "$STATUS" 400
ok "the 400 for a body that is not JSON is a JSON error" \
    test -n "$(json .error)"
unchanged "a push that is not JSON leaves B's gallery as it was"

push nohigh.json '.products[0].name = "Camisa Forjada" |
    .products[0].change = 2000000 | del(.high)'
peer POST /peer/changes "$T/nohigh.json"
is "a signed push without \"high\" is refused with 400" "$STATUS" 400
unchanged "a push without \"high\" leaves B's gallery as it was"

push ofb.json '.products[0].id = "'"$B"'-901" |
    .products[0].marketplace = "'"$B"'"'
peer POST /peer/changes "$T/ofb.json"
is "A pushing a product of B is refused with 400" "$STATUS" 400
like "the refusal says a marketplace announces only its own products" \
    "$(json .error)" "only its own products"
unchanged "a push of B's product leaves B's gallery as it was"

push ofz.json '.products[0].id = "zzz-901" | .products[0].marketplace = "zzz"'
peer POST /peer/changes "$T/ofz.json"
is "A pushing a product of a third marketplace is refused with 400" \
    "$STATUS" 400
unchanged "a push of a third's product leaves B's gallery as it was"

push price0.json '.products[0].name = "Camisa Forjada" |
    .products[0].change = 2000000 | .high = 2000000 |
    .products[0].price_cents = 0'
peer POST /peer/changes "$T/price0.json"
is "a pushed product priced 0 is refused with 400" "$STATUS" 400
is "the refusal names price_cents" "$(json .field)" price_cents
unchanged "a push of a product priced 0 leaves B's gallery as it was"

push noname.json '.products[0].name = "" | .products[0].change = 2000000 |
    .high = 2000000'
peer POST /peer/changes "$T/noname.json"
is "a pushed product with an empty name is refused with 400" "$STATUS" 400
is "the refusal names the name" "$(json .field)" name
unchanged "a push of a product without name leaves B's gallery as it was"

push size.json '.products[0].name = "Camisa Forjada" |
    .products[0].change = 2000000 | .high = 2000000 |
    .products[0].stock = {XXL: 1}'
peer POST /peer/changes "$T/size.json"
is "a pushed product with an unknown size is refused with 400" \
    "$STATUS" 400
like "the refusal names the unknown size" "$(json .error)" XXL
unchanged "a push with an unknown size leaves B's gallery as it was"

# A valid product first, an invalid one after: nothing at all is applied.
push mixed.json '.products[0].name = "Camisa Forjada" |
    .products[0].change = 2000000 | .high = 2000000 |
    .products += [.products[0] | .id = "'"$A"'-901" | .price_cents = 0]'
peer POST /peer/changes "$T/mixed.json"
is "a push with one invalid product among valid ones is refused with 400" \
    "$STATUS" 400
unchanged "a push with one invalid product applies none of them"

push old.json '.products[0].name = "Camisa Velha" |
    .products[0].change = 1 | .high = 1'
peer POST /peer/changes "$T/old.json"
is "a signed push of a change older than the one held is accepted" \
    "$STATUS" 200
is "the older change is counted as not applied" "$(json .applied)" 0
is "the gallery keeps the newer product's name" "$(pushed)" \
    "Camisa Peer Teste"
unchanged "a push of an older change leaves B's gallery as it was"

# 10. peerd signs its answers.
peer GET /peer/changes/since/0 "$T/empty"
is "a signed catch-up request from A gets 200" "$STATUS" 200
is "the catch-up answer starts after change 0" "$(json .prev)" 0
is "the answer says it comes from B" "$(header X-Feira-From)" "$B"
ok "the answer carries B's clock as a number" \
    number "$(header X-Feira-Clock)"
t=$(header X-Feira-Time)
ok "the answer's time is within the window of now" \
    test $(( ${t:-0} - $(date +%s) )) -le 30 -a \
    $(( $(date +%s) - ${t:-0} )) -le 30
is "the answer's signature verifies under the network key" \
    "$(header X-Feira-Signature)" \
    "$(sign "ANSWER 200" /peer/changes/since/0 "$t" "$(header X-Feira-From)" \
    "$(header X-Feira-Clock)" "$T/http/body")"

# 11. Paths outside the protocol.
peer GET /peer/nothing "$T/empty"
is "a signed GET of /peer/nothing is 404" "$STATUS" 404
is "the 404 says there is no such route" "$(json .error)" "no such route"
peer POST /peer/changes/since/0 "$T/empty"
is "a signed POST to /peer/changes/since/0 is 405" "$STATUS" 405
curl -s -o "$T/http/body" -D "$T/http/headers" "$U/peer"
STATUS=$(head -1 "$T/http/headers" | awk '{ print $2 }')
is "GET /peer, without the slash, is redirected by nginx with 301" \
    "$STATUS" 301
like "the redirect of /peer leads to /peer/" "$(header Location)" "/peer/"
is "GET /peer is not answered by peerd: no X-Feira-From" \
    "$(header X-Feira-From)" ""
curl -s -o "$T/http/body" -D "$T/http/headers" "$U/peers"
STATUS=$(head -1 "$T/http/headers" | awk '{ print $2 }')
is "GET /peers goes to the shop, which answers 404" "$STATUS" 404
like "the 404 of /peers is the shop's HTML page" "$(header Content-Type)" \
    "text/html"
is "GET /peers is not answered by peerd: no X-Feira-From" \
    "$(header X-Feira-From)" ""

# 12. The Lamport clock.
before=$(status_clock)
ok "refused messages stamped 7000000 left B's clock below 5000" \
    test "${before:-0}" -lt 5000
CLOCK=5000
peer GET /peer/changes/since/0 "$T/empty"
is "a signed message stamped 5000 is accepted" "$STATUS" 200
ok "B's answer to it is stamped after 5000" \
    test "$(header X-Feira-Clock)" -gt 5000 2>/dev/null
after=$(status_clock)
ok "B's clock is past 5000 after receiving a message stamped 5000" \
    test "${after:-0}" -gt 5000 -a "${after:-0}" -lt 7000000

unchanged "after every refusal B's gallery is byte for byte as after the push"
