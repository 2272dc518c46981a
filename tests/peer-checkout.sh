#!/bin/bash
# Proves that the lock's and the two-phase commit's peer messages are
# checked: the test plays marketplace A and talks to B.  Well-formed
# messages do what the protocol says (a request is queued and released;
# a release that overtakes its request, a floor and a new incarnation
# clear requests; a prepare reserves once, a decision makes it final; a
# reservation never decided is given back after B asks A), and every
# unsigned, malformed or out-of-place message is refused with a clear
# error and changes nothing: neither the queue nor the stock.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 2
A=${NAME[0]}
B=${NAME[1]}
U=${URL[1]}
. "$FEIRA_SRCDIR/tests/peer.sh"
# The checkouts that the test coordinates in A's name have no order at
# the real A, so the audit at the end covers B alone.
AUDIT_NAMES=$B

register "$U" "Camisa do Protocolo" "Ceará" 15000 '{"M": 5}'
PB=$PID
INC=1

# msg PATH JSON: send the JSON, signed by A, to B.
msg() {
	printf '%s' "$2" >"$T/msg.json"
	peer POST "$1" "$T/msg.json"
}
# queue: B's queue, as "marketplace:ts:state" of each request.
queue() {
	curl -s "$U/api/status" |
	    jq -r '[.queue[] | "\(.marketplace):\(.ts):\(.state)"] | join(" ")'
}
# refused CLAIM STATUS PATH JSON: the message is refused with STATUS and
# an error, and neither B's queue nor the stock of PB changes.
refused() {
	local before stock_before
	before=$(queue)
	stock_before=$(stock "$U" "$PB" M)
	msg "$3" "$4"
	is "$1: $2" "$STATUS" "$2"
	like "$1: the answer says why" "$(json .error)" " "
	is "$1: B's queue is unchanged" "$(queue)" "$before"
	is "$1: the stock is unchanged" "$(stock "$U" "$PB" M)" "$stock_before"
}
request() {
	printf '{"inc": %s, "floor": %s, "ts": %s, "products": ["%s"]}' \
	    "$INC" "$1" "$2" "$PB"
}

# The lock: a request is queued, acknowledged, and released.
msg /peer/lock/request "$(request 0 50)"
is "a lock request is acknowledged with 200" "$STATUS" 200
is "the acknowledgement carries B's incarnation, floor and pending requests" \
    "$(json '[has("inc"), has("floor"), (.pending | type)] | map(tostring) | join(" ")')" \
    "true true array"
is "B queues A's request" "$(queue)" "$A:50:queued"
msg /peer/lock/request "$(request 0 50)"
is "the same request twice is queued once" "$(queue)" "$A:50:queued"
msg /peer/lock/release "{\"inc\": $INC, \"floor\": 0, \"ts\": [50]}"
is "a release is answered with 200" "$STATUS" 200
is "the release takes the request out" "$(queue)" ""

msg /peer/lock/release "{\"inc\": $INC, \"floor\": 0, \"ts\": [60]}"
msg /peer/lock/request "$(request 0 60)"
is "a request that comes after its release is not queued" "$(queue)" ""

msg /peer/lock/request "$(request 0 70)"
msg /peer/lock/hello "{\"inc\": $INC, \"floor\": 80}"
is "a hello is answered with 200" "$STATUS" 200
is "a floor above a request clears it" "$(queue)" ""
msg /peer/lock/request "$(request 80 75)"
is "a request below the sender's floor is not queued" "$(queue)" ""

refused "a request without inc" 400 /peer/lock/request \
    "{\"floor\": 0, \"ts\": 90, \"products\": [\"$PB\"]}"
refused "a request of incarnation 0" 400 /peer/lock/request \
    "{\"inc\": 0, \"floor\": 0, \"ts\": 90, \"products\": [\"$PB\"]}"
refused "a request whose ts is a string" 400 /peer/lock/request \
    "{\"inc\": $INC, \"floor\": 0, \"ts\": \"90\", \"products\": [\"$PB\"]}"
refused "a request without products" 400 /peer/lock/request \
    "{\"inc\": $INC, \"floor\": 0, \"ts\": 90, \"products\": []}"
refused "a request of a malformed product" 400 /peer/lock/request \
    "{\"inc\": $INC, \"floor\": 0, \"ts\": 90, \"products\": [\"<b>x</b>\"]}"
refused "a request of 51 products" 400 /peer/lock/request \
    "{\"inc\": $INC, \"floor\": 0, \"ts\": 90, \"products\": $(jq -nc '[range(1; 52) | "rio-\(.)"]')}"
refused "a request with an unknown field" 400 /peer/lock/request \
    "{\"inc\": $INC, \"floor\": 0, \"ts\": 90, \"products\": [\"$PB\"], \"x\": 1}"
refused "a request that is not JSON" 400 /peer/lock/request "inc=1"
refused "a release whose ts is not an array" 400 /peer/lock/release \
    "{\"inc\": $INC, \"floor\": 0, \"ts\": 50}"
refused "a hello with a negative floor" 400 /peer/lock/hello \
    "{\"inc\": $INC, \"floor\": -1}"
http POST "$U/peer/lock/request" "$(request 0 95)" \
    -H 'Content-Type: application/json'
is "an unsigned lock request is refused with 401" "$STATUS" 401
is "and not queued" "$(queue)" ""
http GET "$U/peer/lock/request"
is "a GET of a lock route without a signature is 401 first" "$STATUS" 401
peer GET /peer/lock/request "$T/empty"
is "a signed GET of a lock route is 405" "$STATUS" 405
peer POST /peer/lock/nothing "$T/empty"
is "an unknown lock route is 404" "$STATUS" 404

# Two-phase commit, as A coordinates it.
TX1=$A-00000000000000a1
prepare() {
	printf '{"txid": "%s", "lock": {"ts": %s, "marketplace": "%s"}, "items": [{"product": "%s", "size": "M", "quantity": %s}]}' \
	    "$1" "$2" "$A" "$PB" "$3"
}
msg /peer/txn/prepare "$(prepare "$TX1" 100 2)"
is "a prepare is answered yes with 200" "$STATUS" 200
is "the yes names the items with B's name and price" \
    "$(json '"\(.vote) \(.items[0].product) \(.items[0].name) \(.items[0].price_cents)"')" \
    "yes $PB Camisa do Protocolo 15000"
is "the reservation takes the stock" "$(stock "$U" "$PB" M)" 3
msg /peer/txn/prepare "$(prepare "$TX1" 100 2)"
is "the same prepare again is answered yes" "$(json .vote)" yes
is "and takes nothing more" "$(stock "$U" "$PB" M)" 3
msg /peer/txn/decide "{\"txid\": \"$TX1\", \"decision\": \"commit\"}"
is "a commit is answered with the state committed" \
    "$STATUS $(json .state)" "200 committed"
refused "an abort after the commit" 409 /peer/txn/decide \
    "{\"txid\": \"$TX1\", \"decision\": \"abort\"}"
http GET "$U/api/sales" - -u "seller:$PASSWORD"
is "B lists the sale" "$(json '[.sales[] | "\(.order):\(.quantity)"] | join(" ")')" \
    "$TX1:2"

refused "a prepare beyond the stock" 409 /peer/txn/prepare \
    "$(prepare "$A-00000000000000a2" 101 4)"
is "the 409 names what is left" "$(json '"\(.product) \(.size) \(.available)"')" \
    "$PB M 3"
refused "a prepare under a lock older than one served" 409 /peer/txn/prepare \
    "$(prepare "$A-00000000000000a3" 99 1)"
is "the refusal blames the fence" "$(json .field)" fence
refused "a prepare of a product that is not B's" 404 /peer/txn/prepare \
    "{\"txid\": \"$A-00000000000000a4\", \"lock\": {\"ts\": 102, \"marketplace\": \"$A\"}, \"items\": [{\"product\": \"$A-1\", \"size\": \"M\", \"quantity\": 1}]}"
refused "a prepare of a checkout not named by its sender" 400 \
    /peer/txn/prepare "$(prepare "$B-00000000000000a5" 102 1)"
refused "a prepare under another marketplace's lock" 400 /peer/txn/prepare \
    "{\"txid\": \"$A-00000000000000a6\", \"lock\": {\"ts\": 102, \"marketplace\": \"$B\"}, \"items\": [{\"product\": \"$PB\", \"size\": \"M\", \"quantity\": 1}]}"
refused "a prepare of an unknown size" 400 /peer/txn/prepare \
    "{\"txid\": \"$A-00000000000000a7\", \"lock\": {\"ts\": 102, \"marketplace\": \"$A\"}, \"items\": [{\"product\": \"$PB\", \"size\": \"XXL\", \"quantity\": 1}]}"
refused "a prepare of quantity 0" 400 /peer/txn/prepare \
    "$(prepare "$A-00000000000000a8" 102 0)"
refused "a prepare with an unknown field" 400 /peer/txn/prepare \
    "{\"txid\": \"$A-00000000000000a9\", \"lock\": {\"ts\": 102, \"marketplace\": \"$A\"}, \"items\": [], \"x\": 1}"
refused "a decision that is neither commit nor abort" 400 /peer/txn/decide \
    "{\"txid\": \"$TX1\", \"decision\": \"maybe\"}"
refused "a commit of nothing reserved" 409 /peer/txn/decide \
    "{\"txid\": \"$A-00000000000000b1\", \"decision\": \"commit\"}"

TX2=$A-00000000000000b2
msg /peer/txn/decide "{\"txid\": \"$TX2\", \"decision\": \"abort\"}"
is "an abort may come before its prepare" "$STATUS $(json .state)" "200 aborted"
refused "the prepare that comes after its abort" 409 /peer/txn/prepare \
    "$(prepare "$TX2" 103 1)"

msg /peer/txn/ask "{\"txid\": \"$B-00000000000000c1\"}"
is "asked of a checkout it never decided, B answers abort" \
    "$STATUS $(json .decision)" "200 abort"
refused "a question about another marketplace's checkout" 400 /peer/txn/ask \
    "{\"txid\": \"$A-00000000000000c2\"}"
printf '%s' "$(prepare "$A-00000000000000c3" 104 1)" >"$T/msg.json"
http POST "$U/peer/txn/prepare" "$(cat "$T/msg.json")" \
    -H 'Content-Type: application/json'
is "an unsigned prepare is refused with 401" "$STATUS" 401
is "and reserves nothing" "$(stock "$U" "$PB" M)" 3

# A reservation that no decision follows: B asks A, which never decided
# it and so answers abort, and B gives the stock back.
msg /peer/txn/prepare "$(prepare "$A-00000000000000d1" 105 3)"
is "a prepare that will never be decided is answered yes" "$(json .vote)" yes
is "it takes the stock" "$(stock "$U" "$PB" M)" 0
eventually "B asks A about it and gives the stock back" 3 \
    stock "$U" "$PB" M

# A decision may carry the lock's release: the whole message is checked,
# then both are applied.
TX3=$A-00000000000000e1
msg /peer/lock/request "$(request 0 150)"
# The refused decisions come first, so that the reservation waits for
# its commit only a moment: B asks A, which never decides TX3, about a
# reservation that has waited some seconds, and gives it back.
refused "a decision whose release has no floor" 400 /peer/txn/decide \
    "{\"txid\": \"$TX3\", \"decision\": \"commit\", \"release\": {\"inc\": $INC, \"ts\": [150]}}"
refused "a decision whose release is null" 400 /peer/txn/decide \
    "{\"txid\": \"$TX3\", \"decision\": \"commit\", \"release\": null}"
refused "a decision whose release is not an object" 400 /peer/txn/decide \
    "{\"txid\": \"$TX3\", \"decision\": \"commit\", \"release\": [150]}"
refused "a decision whose release has a string ts" 400 /peer/txn/decide \
    "{\"txid\": \"$TX3\", \"decision\": \"commit\", \"release\": {\"inc\": $INC, \"floor\": 0, \"ts\": [\"150\"]}}"
refused "a decision with a release and an unknown field" 400 \
    /peer/txn/decide "{\"txid\": \"$TX3\", \"decision\": \"commit\", \"release\": {\"inc\": $INC, \"floor\": 0, \"ts\": [150]}, \"x\": 1}"
refused "a decision of nothing with a release" 400 /peer/txn/decide \
    "{\"txid\": \"$TX3\", \"release\": {\"inc\": $INC, \"floor\": 0, \"ts\": [150]}}"
is "a refused release takes nothing out of the queue" "$(queue)" \
    "$A:150:queued"
msg /peer/txn/prepare "$(prepare "$TX3" 150 1)"
is "a prepare under a queued request is answered yes" "$(json .vote)" yes
is "B shows the request whose prepare came as holding" "$(queue)" \
    "$A:150:holding"
msg /peer/txn/decide "{\"txid\": \"$TX3\", \"decision\": \"commit\", \"release\": {\"inc\": $INC, \"floor\": 0, \"ts\": [150]}}"
is "a commit with its release is answered committed" \
    "$STATUS $(json .state)" "200 committed"
is "the release inside it takes the request out" "$(queue)" ""
is "the sale keeps the stock it took" "$(stock "$U" "$PB" M)" 2
msg /peer/lock/request "$(request 0 150)"
is "the request that comes again after that release is not queued" \
    "$(queue)" ""

# A new incarnation of A drops the requests of the old one.
msg /peer/lock/request "$(request 0 200)"
is "a request of incarnation 1 is queued" "$(queue)" "$A:200:queued"
INC=1000
msg /peer/lock/hello "{\"inc\": $INC, \"floor\": 0}"
is "a hello of a new incarnation drops the old one's requests" "$(queue)" ""
INC=1
msg /peer/lock/request "$(request 0 300)"
is "a request of the old incarnation is ignored" "$(queue)" ""
