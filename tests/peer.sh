# Sourced by the tests that play a marketplace: they sign their own peer
# messages with the network key, as peerd does, and send them to another
# marketplace's nginx.  Needs A (the name played), B (the marketplace
# talked to), U (its address), NET and T; sets KEY, the network key.

KEY=$(awk '$1 == "network_key" { print $3 }' "$NET/$B/feira.conf")
if ! printf '%s' "$KEY" | grep -qxE '[0-9a-f]{64}'; then
	echo "Bail out! no network key in $NET/$B/feira.conf"
	exit 1
fi

# sign METHOD PATH TIME FROM CLOCK BODY-FILE [KEY]: print the hex
# HMAC-SHA-256 of a message as peerd/peer-sign.c computes it.
sign() {
	{
		printf '%s\n%s\n%s\n%s\n%s\n' "$1" "$2" "$3" "$4" "$5"
		cat "$6"
	} | openssl dgst -sha256 -mac HMAC -macopt "hexkey:${7:-$KEY}" |
	    sed 's/^.*= //'
}

# send METHOD PATH BODY-FILE FROM TIME CLOCK SIGNATURE: send to B with
# these headers as they are and the file's bytes as body (none when it is
# empty); sets STATUS and BODY, and keeps the answer's headers.
send() {
	local data=()

	[ -s "$3" ] && data=(--data-binary "@$3"
	    -H 'Content-Type: application/json')
	STATUS=$(curl -s -o "$T/http/body" -D "$T/http/headers" \
	    -w '%{http_code}' -X "$1" -H "X-Feira-From: $4" \
	    -H "X-Feira-Time: $5" -H "X-Feira-Clock: $6" \
	    -H "X-Feira-Signature: $7" ${data[@]+"${data[@]}"} "$U$2")
	BODY=$(cat "$T/http/body")
}

# peer METHOD PATH BODY-FILE: send a message that A signs correctly, now,
# with its clock at $CLOCK.
CLOCK=1
peer() {
	local now

	now=$(date +%s)
	send "$1" "$2" "$3" "$A" "$now" "$CLOCK" \
	    "$(sign "$1" "$2" "$now" "$A" "$CLOCK" "$3")"
}

# header NAME: print the value of a header of the last answer.
header() {
	awk -v n="$1" '{ sub(/\r$/, "") }
	    tolower(substr($0, 1, length(n) + 1)) == tolower(n) ":" {
		sub(/^[^:]*: */, ""); print }' "$T/http/headers"
}

: >"$T/empty"
