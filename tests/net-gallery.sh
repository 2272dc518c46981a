#!/bin/bash
# Proves that three marketplaces share one gallery: a product registered
# at one is listed by the others with its owner, a search elsewhere finds
# it, and its owner's stock and price changes reach every gallery.  Only
# the owner changes a product.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 3
A=${URL[0]} B=${URL[1]} C=${URL[2]}

# field URL QUERY FILTER: FILTER of each product a search finds.
field() {
	curl -s "$1/api/gallery?q=$2" | jq -r "[.products[] | $3] | join(\" \")"
}

register "$A" "Camisa Grêmio Tricolor" "Grêmio" 31990 '{"M": 4, "G": 2}'
ID=$PID
is "the product is registered at A" "$STATUS" 201

eventually "B lists the product registered at A" "$ID" field "$B" tricolor .id
eventually "C lists it too" "$ID" field "$C" tricolor .id
is "B names A as its owner" "$(field "$B" tricolor .marketplace)" "${NAME[0]}"
is "C shows its stock as A announced it" "$(field "$C" tricolor .stock.M)" 4
is "a search at C without accents finds it" \
    "$(curl -s "$C/api/gallery?q=gremio+tricolor" | jq -r '.products[].id')" "$ID"
is "C's product page shows it" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$C/products/$ID")" 200
PAGE=$(curl -s "$C/products/$ID")
like "C's product page names A as the seller" "$PAGE" \
    "id=\"product-marketplace\">${NAME[0]}</span>"
like "C's product page puts A's shirt in C's cart" "$PAGE" \
    "<input type=\"hidden\" name=\"product\" value=\"$ID\">"
unlike "C's product page no longer sends the buyer to the owner" "$PAGE" \
    "${URL[0]}/products/$ID"
is "the API of C gives the product with its owner's stock" \
    "$(curl -s "$C/api/products/$ID" | jq -c '[.marketplace, .stock.G]')" \
    "[\"${NAME[0]}\",2]"
is "every gallery holds the product once" \
    "$(curl -s "$B/api/gallery" | jq "[.products[] | select(.id == \"$ID\")] | length")" 1

seller PATCH "$A/api/products/$ID" '{"stock_delta": {"M": 6}, "price_cents": 28990}'
is "the owner changes stock and price" "$STATUS" 200
eventually "the new stock reaches B" 10 field "$B" tricolor .stock.M
eventually "the new price reaches C" 28990 field "$C" tricolor .price_cents

http POST "$A/api/orders" "{\"items\": [{\"product\": \"$ID\", \"size\": \"G\",
    \"quantity\": 2}]}"
is "a sale at the owner succeeds" "$STATUS" 201
eventually "the sale's stock reaches B" 0 field "$B" tricolor .stock.G
eventually "the sale's stock reaches C" 0 field "$C" tricolor .stock.G

register "$B" "Camisa Bahia Esquadrão" "Bahia" 25990 '{"P": 1}'
BID=$PID
eventually "a product of B reaches A" "$BID" field "$A" esquadrao .id
eventually "and reaches C" "$BID" field "$C" esquadrao .id

seller PATCH "$B/api/products/$ID" '{"stock_delta": {"M": 100}}'
is "only the owner changes a product: B cannot" "$STATUS" 404
is "the refused change changes nothing" "$(field "$A" tricolor .stock.M)" 10

is "the gallery of A lists all products of the network" \
    "$(curl -s "$A/api/gallery" | jq '.products | length')" 2
is "every product in the gallery is reachable" \
    "$(curl -s "$C/api/gallery" | jq -c '[.products[].reachable] | unique')" '[true]'

http GET "$A/api/status"
is "A's status answers 200" "$STATUS" 200
is "A's status names A" "$(json .marketplace)" "${NAME[0]}"
ok "A's Lamport clock has moved" [ "$(json .clock)" -gt 0 ]
is "A's status lists both peers" "$(json '[.peers[].name] | join(" ")')" \
    "${NAME[1]} ${NAME[2]}"
is "both peers answer" "$(json '[.peers[].answering] | unique | join(" ")')" true
ok "A has pushed changes to B" [ "$(json ".peers[0].sent.changes")" -ge 3 ]
ok "A has received B's push" [ "$(json ".peers[0].received.changes")" -ge 1 ]
ok "B was heard from lately" \
    [ $(($(date +%s) - $(json '.peers[0].last_heard'))) -le 30 ]
PAGE=$(curl -s "$B/network")
like "the /network page shows the clock" "$PAGE" 'id="lamport-clock"'
like "the /network page lists A" "$PAGE" "data-peer=\"${NAME[0]}\""
like "the /network page shows A answering" "$PAGE" "responde"

# peerd's control socket, reachable only on this machine, checks its input
# too, and nginx does not pass it on.
CTL=$NET/${NAME[0]}/run/ctl.sock
ctl() {
	curl -s -o /dev/null -w '%{http_code}' --unix-socket "$CTL" "$@"
}
is "the control socket refuses an unknown route" "$(ctl http://peerd/local/nothing)" 404
is "the control socket refuses a malformed product id" \
    "$(ctl http://peerd/local/products/not-an-id)" 404
is "the control socket refuses a product of no marketplace" \
    "$(ctl http://peerd/local/products/zzz-1)" 404
is "the control socket refuses POST on the status" \
    "$(ctl -X POST http://peerd/local/status)" 404
is "the control routes are not reachable through nginx" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$A/local/status")" 404

# Its writes check what they are given as the API does, and change
# nothing when they refuse it.
GALLERY_BEFORE=$(curl -s "$A/api/gallery" | jq -c '[.products[] | [.id, .stock, .price_cents]]')
is "a registration that is not JSON is refused" \
    "$(ctl --data-binary 'name=x' http://peerd/local/products)" 400
is "a registration without a team is refused" \
    "$(ctl --data-binary '{"name": "x", "price_cents": 1, "stock": {}}' http://peerd/local/products)" 400
is "a registration priced at zero is refused" \
    "$(ctl --data-binary '{"name": "x", "team": "y", "price_cents": 0, "stock": {"M": 1}}' http://peerd/local/products)" 400
is "a change below zero is refused" \
    "$(ctl -X PATCH --data-binary '{"stock_delta": {"M": -1000}}' "http://peerd/local/products/$ID")" 409
is "a change of an unknown field is refused" \
    "$(ctl -X PATCH --data-binary '{"stock": 5}' "http://peerd/local/products/$ID")" 400
is "an order that is not JSON is refused" \
    "$(ctl --data-binary '[1' http://peerd/local/orders)" 400
is "an order with a key but no digest is refused" \
    "$(ctl -H 'X-Feira-Idempotency-Key: k1' --data-binary "{\"items\": [{\"product\": \"$ID\", \"size\": \"M\", \"quantity\": 1}]}" http://peerd/local/orders)" 400
is "an order with a malformed digest is refused" \
    "$(ctl -H 'X-Feira-Idempotency-Key: k1' -H 'X-Feira-Digest: zz' --data-binary "{\"items\": [{\"product\": \"$ID\", \"size\": \"M\", \"quantity\": 1}]}" http://peerd/local/orders)" 400
is "an order of quantity 0 is refused" \
    "$(ctl --data-binary "{\"items\": [{\"product\": \"$ID\", \"size\": \"M\", \"quantity\": 0}]}" http://peerd/local/orders)" 400
is "and none of it changed a product" \
    "$(curl -s "$A/api/gallery" | jq -c '[.products[] | [.id, .stock, .price_cents]]')" "$GALLERY_BEFORE"
