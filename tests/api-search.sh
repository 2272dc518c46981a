#!/bin/bash
# Proves that /api/gallery searches name, team and description without
# caring for case or accents, that every word of a query counts, and that
# the team, size, price and stock filters narrow the list.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 1
U=${URL[0]}

register "$U" "Camisa São Paulo I" "São Paulo" 34990 '{"M": 3}'
SP=$PID
register "$U" "Camisa Grêmio Retrô" "Grêmio" 24990 '{"G": 1}'
GR=$PID
register "$U" "Camisa Corinthians" "Corinthians" 29990 '{}'
CO=$PID
seller PATCH "$U/api/products/$CO" '{"price_cents": 29990}'
seller POST "$U/api/products" '{"name": "Regata Treino", "team": "Palmeiras",
    "price_cents": 9990, "stock": {"XG": 2},
    "description": "Tecido leve para o treino em São Paulo"}'
PA=$(json .id)

# ids GALLERY-QUERY: the ids the gallery lists for a query, sorted.
ids() {
	curl -s "$U/api/gallery?$1" | jq -r '.products[].id' | sort | tr '\n' ' '
}
want() {
	printf '%s\n' "$@" | sort | tr '\n' ' '
}

is "an empty query lists everything" "$(ids '')" "$(want "$SP" "$GR" "$CO" "$PA")"
is "'sao paulo' finds 'São Paulo' in name, team and description" \
    "$(ids 'q=sao+paulo')" "$(want "$SP" "$PA")"
is "'gremio' finds 'Grêmio'" "$(ids 'q=gremio')" "$(want "$GR")"
is "'GRÊMIO' in capitals with its accent finds it too" \
    "$(ids 'q=GR%C3%8AMIO')" "$(want "$GR")"
is "every word counts: 'camisa paulo' finds only the shirt" \
    "$(ids 'q=camisa%20paulo')" "$(want "$SP")"
is "a word that matches nothing empties the result" \
    "$(ids 'q=camisa+flamengo')" ""
is "the description is searched" "$(ids 'q=tecido')" "$(want "$PA")"
is "the team filter takes the team's name without accents" \
    "$(ids 'team=gremio')" "$(want "$GR")"
is "the team filter is exact, not a search" "$(ids 'team=paulo')" ""
is "the size filter keeps products with stock in that size" \
    "$(ids 'size=XG')" "$(want "$PA")"
is "in_stock=1 drops sold-out products" "$(ids 'in_stock=1')" \
    "$(want "$SP" "$GR" "$PA")"
is "min_price keeps prices from it up, in cents" \
    "$(ids 'min_price=29990')" "$(want "$SP" "$CO")"
is "max_price keeps prices up to it" "$(ids 'max_price=24990')" \
    "$(want "$GR" "$PA")"
is "filters combine" "$(ids 'q=camisa&in_stock=true&max_price=30000')" \
    "$(want "$GR")"
is "the gallery is sorted by name" \
    "$(curl -s "$U/api/gallery" | jq -r '[.products[].name] | join("|")')" \
    "Camisa Corinthians|Camisa Grêmio Retrô|Camisa São Paulo I|Regata Treino"

http GET "$U/api/gallery?size=XXL"
is "an unknown size is 400" "$STATUS" 400
is "the 400 blames the size" "$(json .field)" size
http GET "$U/api/gallery?min_price=abc"
is "a price that is not a number is 400" "$STATUS/$(json .field)" "400/min_price"
http GET "$U/api/gallery?max_price=-5"
is "a negative price is 400" "$STATUS" 400
http GET "$U/api/gallery?in_stock=maybe"
is "in_stock takes only 1, true, 0 or false" "$STATUS/$(json .field)" "400/in_stock"
http GET "$U/api/gallery?colour=red"
is "an unknown parameter is 400" "$STATUS/$(json .field)" "400/colour"
http GET "$U/api/gallery?q=%ff"
is "a query that is not UTF-8 is 400" "$STATUS" 400
http GET "$U/api/gallery?q=$(head -c 300 /dev/zero | tr '\0' a)"
is "a query over 200 bytes is 400" "$STATUS/$(json .field)" "400/q"
http POST "$U/api/gallery" '{}'
is "the gallery cannot be posted to" "$STATUS" 405
