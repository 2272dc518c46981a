#!/bin/bash
# Proves that the gallery page comes a page of 24 cards at a time, with
# links to the other pages that keep the search and its filters; that it
# sorts by name, by price either way and by team; that a card shows the
# sizes in stock and the stock badges; and that a bad page or sort is
# refused with a clear error.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 1
U=${URL[0]}
JAR=$T/shopper

# The names of the cards of the last page, in order, one per line.
cards() {
	printf '%s' "$BODY" | grep -o 'href="/products/[^"]*">[^<]*</a></h2>' |
	    sed 's/.*">\(.*\)<\/a><\/h2>/\1/'
}

for i in $(seq 10 39); do
	register "$U" "Camisa $i" "Time $((i % 3))" $((20000 - i * 100)) \
	    "{\"M\": $((i % 4)), \"G\": 1}"
done
register "$U" "Camisa Esgotada" "Time 9" 5000 '{}'
is "31 products are registered" \
    "$(curl -s "$U/api/gallery" | jq '.products | length')" 31

page GET /
is "the gallery answers 200" "$STATUS" 200
like "the gallery counts every product" "$BODY" \
    'id="result-count">31 produto(s)</p>'
is "the first page shows 24 cards" "$(cards | wc -l)" 24
is "the first card is the first by name" "$(cards | head -1)" "Camisa 10"
like "the first page says which cards it shows" "$BODY" \
    'id="result-range">Mostrando 1–24, página 1 de 2</p>'
like "the pager marks page 1 as the current one" "$BODY" \
    '<a class="page-link" href="/?page=1" aria-current="page">1</a>'
like "the pager links to page 2 as the next" "$BODY" \
    '<a class="page-link" href="/?page=2" rel="next">Próxima</a>'
like "the pager cannot go before page 1" "$BODY" \
    '<li class="page-item disabled"><span class="page-link">Anterior</span></li>'

page GET "/?page=2"
is "page 2 answers 200" "$STATUS" 200
is "page 2 shows the other 7 cards" "$(cards | wc -l)" 7
is "page 2 starts where page 1 ended" "$(cards | head -1)" "Camisa 34"
like "page 2 says which cards it shows" "$BODY" 'Mostrando 25–31, página 2 de 2'
page GET "/?page=3"
is "a page past the last is 404" "$STATUS" 404
like "a page past the last says so" "$BODY" 'Esta página da galeria não existe'
for bad in 0 -1 abc 1.5 99999999; do
	page GET "/?page=$bad"
	is "page=$bad is 400" "$STATUS" 400
done
like "a bad page number is explained" "$BODY" \
    'O número da página deve ser de 1 em diante.'

page GET "/?q=camisa&team=time+1&in_stock=1&page=1"
is "a filtered gallery answers 200" "$STATUS" 200
is "team=time 1 keeps its 10 shirts, one page" "$(cards | wc -l)" 10
unlike "a gallery of one page has no pager" "$BODY" 'class="pagination'
page GET "/?q=camisa&in_stock=1&sort=price"
like "the pager's links keep the search, filters and order, escaped" \
    "$BODY" 'href="/?q=camisa&amp;in_stock=1&amp;sort=price&amp;page=2"'

page GET "/?sort=price"
is "sort=price puts the cheapest first" "$(cards | head -3 | tr '\n' ,)" \
    "Camisa Esgotada,Camisa 39,Camisa 38,"
like "the order chosen stays selected" "$BODY" \
    '<option value="price" selected>Menor preço</option>'
page GET "/?sort=price_desc"
is "sort=price_desc puts the dearest first" "$(cards | head -2 | tr '\n' ,)" \
    "Camisa 10,Camisa 11,"
page GET "/?sort=team"
is "sort=team orders by team, then by name" "$(cards | head -3 | tr '\n' ,)" \
    "Camisa 12,Camisa 15,Camisa 18,"
page GET "/?sort=team&page=2"
is "sort=team leaves the last team for the end" "$(cards | tail -1)" \
    "Camisa Esgotada"
page GET "/?sort=random"
is "an unknown order is 400" "$STATUS" 400
like "an unknown order is explained" "$BODY" 'Ordene por nome, preço ou time.'

page GET "/?team=time+1&min_price=187&max_price=187%2C00"
is "team and a price of R\$ 187 keep Camisa 13 alone" "$(cards)" "Camisa 13"
like "a card lists the sizes in stock" "$BODY" 'Tamanhos: M, G</p>'
like "a card of two pieces says they are the last ones" "$BODY" \
    'Últimas unidades'
page GET "/?team=time+9"
like "a sold-out card says it has no size in stock" "$BODY" \
    'Sem tamanhos em estoque'
like "a sold-out card is marked so" "$BODY" \
    '<span class="badge bg-secondary">Esgotado</span>'
