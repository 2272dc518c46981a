#!/bin/bash
# Proves that the pages speak Brazilian Portuguese unless the browser asks
# for English in Accept-Language, then English: texts of the templates
# and of the code, prices and error pages alike, with <html lang> and
# Content-Language to say so.  A header that asks for nothing we have,
# or does not parse, gets Portuguese; the API is the same in both.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 1
U=${URL[0]}

# get PATH ACCEPT-LANGUAGE: a page in that language; sets STATUS, BODY
# and HEAD.
get() {
	http GET "$U$1" - -H "Accept-Language: $2" -D "$T/head"
	HEAD=$(tr -d '\r' <"$T/head")
}

register "$U" "Camisa Grêmio I" "Grêmio" 123456 '{"M": 4}'
GRE=$PID

get / ""
like "without a header the page is Portuguese" "$BODY" '<html lang="pt-BR">'
like "the Portuguese page says so in Content-Language" "$HEAD" \
    'Content-Language: pt-BR'
like "every page says it varies with Accept-Language" "$HEAD" \
    'Vary: Accept-Language'
like "the Portuguese gallery speaks Portuguese" "$BODY" \
    'Galeria de camisas'
like "Portuguese prices group with a dot and decimals with a comma" \
    "$BODY" 'R$ 1.234,56'

get / "en-US,en;q=0.9"
is "an English gallery answers 200" "$STATUS" 200
like "a browser that asks for English gets <html lang=\"en\">" "$BODY" \
    '<html lang="en">'
like "the English page says so in Content-Language" "$HEAD" \
    'Content-Language: en'
like "the gallery's heading is in English" "$BODY" \
    '<h1 class="h3 mb-3">Shirt gallery</h1>'
like "the count of products is in English" "$BODY" \
    'id="result-count">1 product(s)</p>'
like "the navbar is in English" "$BODY" '>Cart <span'
like "English prices group with a comma and decimals with a dot" "$BODY" \
    'R$1,234.56'
unlike "the English gallery has no Portuguese heading" "$BODY" \
    'Galeria de camisas'
like "the shirt's picture is described in English" "$BODY" \
    'Drawing of the shirt Camisa Grêmio I, white with green trim'

get "/products/$GRE" "en"
like "the product page is in English" "$BODY" '>Add to cart</button>'
like "the product page's title is the shirt's name" "$BODY" \
    '<title>Camisa Grêmio I · '
get "/products/${NAME[0]}-99" "en"
is "an English 404 is still 404" "$STATUS" 404
like "the 404's message, from the code, is in English" "$BODY" \
    'There is no product with this code.'
get "/?max_price=abc" "en"
is "a bad filter is 400 in English too" "$STATUS" 400
like "the refused filter is explained in English" "$BODY" \
    'Write prices in reais, like 199.90.'
get /no-such-page "en"
like "the page of an unknown route is in English" "$BODY" \
    'We could not find what you are looking for.'

for h in "pt-BR,en;q=0.5" "fr" "en;q=0" "xx-invalid;;q=9" "*" \
    "de-DE, *;q=0.5" "$(printf 'en%.0s' {1..600})"; do
	get / "$h"
	like "Accept-Language \"${h:0:30}\" gets Portuguese" "$BODY" \
	    '<html lang="pt-BR">'
done
get / "fr, en;q=0.3"
like "French, which we lack, then English gets English" "$BODY" \
    '<html lang="en">'

get "/api/products/$GRE" "en"
is "the API answers the same whatever the language" \
    "$(printf '%s' "$BODY" | jq -c '[.name, .price_cents]')" \
    '["Camisa Grêmio I",123456]'
get "/api/products/${NAME[0]}-99" "pt-BR"
is "the API's errors stay in English" "$(json .error)" "no such product"
