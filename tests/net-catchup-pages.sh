#!/bin/bash
# Proves that a catch-up larger than one answer comes in pages: with B
# stopped, A registers 1,100 products; B, started again, asks page after
# page (500 a page) and lists all of them, each once.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 2
A=${URL[0]} B=${URL[1]}

"$FEIRACTL" stop "$NET" "${NAME[1]}" >/dev/null
(umask 077 && printf 'user = "seller:%s"\n' "$PASSWORD" >"$T/curlrc")
seq 1 1100 | xargs -P 8 -I{} curl -s -o /dev/null -K "$T/curlrc" \
    --data-binary '{"name": "Camisa Lote {}", "team": "Lote", "price_cents": 1000, "stock": {"M": 1}}' \
    "$A/api/products"
is "A holds 1,100 products" \
    "$(curl -s "$A/api/gallery" | jq '.products | length')" 1100
"$FEIRACTL" start "$NET" "${NAME[1]}" >/dev/null
eventually "B, started again, lists all 1,100" 1100 sh -c \
    "curl -s '$B/api/gallery?q=lote' | jq '.products | length'"
is "B holds each once" \
    "$(curl -s "$B/api/gallery" | jq '[.products[].id] | (length == (unique | length))')" true
is "B holds every change of A" \
    "$(curl -s "$B/api/status" | jq ".peers[0].held")" \
    "$(curl -s "$A/api/status" | jq .pushed)"
is "B got two full pages of 500 before the rest" \
    "$(grep -c "caught up 500 products of ${NAME[0]}" "$NET/${NAME[1]}/logs/peerd.log")" 2
