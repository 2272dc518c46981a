#!/bin/bash
# Proves that a shopper can use the shop's pages with a browser's cookies:
# the gallery lists and searches products without caring for accents, a
# product page shows its price in reais and its stock per size, the cart
# takes, changes and drops lines, and the checkout buys the whole cart or
# nothing.  Every form needs the browser's CSRF token, and product names
# are shown escaped.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 1
U=${URL[0]}
JAR=$T/shopper

# Open the cart page; sets TOTAL to the total it shows.
cart_page() {
	page GET /cart
	TOTAL=$(printf '%s' "$BODY" |
	    sed -n 's/.*id="cart-total">\([^<]*\)<.*/\1/p')
}

register "$U" "Camisa Grêmio I" "Grêmio" 32990 '{"P": 2, "M": 5, "G": 3}'
GRE=$PID
register "$U" "Camisa São Paulo" "São Paulo" 29990 '{"M": 4}'
SAO=$PID
register "$U" "Camisa Bahia" "Bahia" 25990 '{"G": 1}'
BAH=$PID
register "$U" "Camisa Vasco Retrô" "Vasco" 123456 '{}'
VAS=$PID
register "$U" "<script>alert(1)</script>" "Flamengo" 19990 '{"M": 1}'
XSS=$PID
is "five products are registered through the API" \
    "$(curl -s "$U/api/gallery" | jq '.products | length')" 5

# The gallery and its search.
page GET /
is "the gallery answers 200" "$STATUS" 200
like "the gallery counts every product" "$BODY" \
    '<p class="text-muted mb-0" id="result-count">5 produto(s)</p>'
like "the gallery links to the Grêmio shirt by its id" "$BODY" \
    "href=\"/products/$GRE\">Camisa Grêmio I</a>"
like "the gallery shows the São Paulo shirt" "$BODY" "Camisa São Paulo"
like "the gallery shows a price in reais with a comma" "$BODY" \
    '<p class="card-text fw-bold mb-1 price">R$ 259,90</p>'
like "the gallery marks a product without stock as sold out" "$BODY" \
    'Esgotado'
ok "the first page gives the browser a CSRF cookie of 32 hex digits" \
    grep -Eq 'feira_csrf[[:space:]]+[0-9a-f]{32}$' "$JAR"

page GET "/?q=gremio"
like "q=gremio finds one product" "$BODY" 'id="result-count">1 produto(s)'
like "q=gremio finds \"Grêmio\" despite the accent" "$BODY" \
    "Camisa Grêmio I"
unlike "q=gremio does not find the São Paulo shirt" "$BODY" \
    "Camisa São Paulo"

page GET "/?q=sao+paulo"
is "a search answers 200" "$STATUS" 200
like "q=sao paulo finds one product" "$BODY" \
    'id="result-count">1 produto(s)'
like "q=sao paulo finds \"São Paulo\"" "$BODY" "Camisa São Paulo"
unlike "q=sao paulo does not find the Grêmio shirt" "$BODY" \
    "Camisa Grêmio I"
unlike "q=sao paulo does not find the Bahia shirt" "$BODY" "Camisa Bahia"
like "the search box keeps what was searched" "$BODY" \
    'name="q" value="sao paulo"'

page GET "/?q=palmeiras"
like "a search that matches nothing says so" "$BODY" \
    'Nenhuma camisa encontrada.'

page GET "/?team=bahia"
like "team=bahia keeps only the Bahia shirt" "$BODY" \
    'id="result-count">1 produto(s)'
page GET "/?min_price=300"
like "min_price=300 (reais) keeps the two shirts from R\$ 300" "$BODY" \
    'id="result-count">2 produto(s)'
unlike "min_price=300 drops the shirt of R\$ 299,90" "$BODY" \
    "Camisa São Paulo"
page GET "/?max_price=259%2C90"
like "max_price=259,90 keeps the two shirts up to R\$ 259,90" "$BODY" \
    'id="result-count">2 produto(s)'
like "max_price=259,90 keeps the shirt of exactly R\$ 259,90" "$BODY" \
    "Camisa Bahia"
page GET "/?in_stock=1"
like "in_stock=1 keeps the four shirts with stock" "$BODY" \
    'id="result-count">4 produto(s)'
unlike "in_stock=1 drops the sold-out shirt" "$BODY" "Camisa Vasco Retrô"
page GET "/?max_price=abc"
is "a price filter that is not a price answers 400" "$STATUS" 400
unlike "the refused filter is explained in Portuguese, not in English" \
    "$BODY" 'must be a price from'

# The product page.
page GET "/products/$GRE"
is "a product page answers 200" "$STATUS" 200
like "the product page shows the price as R\$ 329,90" "$BODY" \
    '<p class="fs-4 fw-bold" id="product-price">R$ 329,90</p>'
like "the product page shows 2 shirts of size P" "$BODY" \
    '<td id="stock-P">2</td>'
like "the product page shows 5 shirts of size M" "$BODY" \
    '<td id="stock-M">5</td>'
like "the product page shows 3 shirts of size G" "$BODY" \
    '<td id="stock-G">3</td>'
like "the product page shows no shirt of size XG" "$BODY" \
    '<td id="stock-XG">0</td>'
unlike "the size menu offers no size that is out of stock" "$BODY" \
    '<option value="GG">'
CSRF=$(csrf)
ok "the product page's form carries a CSRF token of 64 hex digits" \
    grep -Eqx '[0-9a-f]{64}' <<<"$CSRF"
page GET "/products/$VAS"
like "thousands of reais are grouped with a dot" "$BODY" \
    'id="product-price">R$ 1.234,56</p>'
like "a sold-out product page says it is sold out" "$BODY" 'Esgotado.'
unlike "a sold-out product page offers no cart form" "$BODY" \
    'action="/cart"'

page GET "/products/${NAME[0]}-99"
is "an unknown product page is 404" "$STATUS" 404
like "the 404 page says the product was not found" "$BODY" \
    "Produto não encontrado"
page GET "/products/not..an-id"
is "a malformed product id is 404" "$STATUS" 404

# Names are text, never markup.
page GET /
like "the gallery shows a name with markup escaped" "$BODY" \
    '&lt;script&gt;alert(1)&lt;/script&gt;'
unlike "the gallery never shows the markup raw" "$BODY" \
    '<script>alert(1)'
page GET "/products/$XSS"
like "the product page shows a name with markup escaped" "$BODY" \
    'id="product-name">&lt;script&gt;alert(1)&lt;/script&gt;</h1>'
unlike "the product page never shows the markup raw" "$BODY" \
    '<script>alert(1)'

# The cart.
CART=feira_cart_${NAME[0]}
page POST /cart "csrf=$CSRF&product=$GRE&size=M&quantity=2"
is "putting a shirt in the cart answers 303" "$STATUS" 303
is "putting a shirt in the cart leads to the cart" "$(location)" /cart
is "the cart cookie holds the line" "$(cookie "$CART")" "$GRE:M:2"
cart_page
is "the cart page totals 2 x R\$ 329,90" "$TOTAL" 'R$ 659,80'
like "the cart page names the shirt" "$BODY" \
    "<a href=\"/products/$GRE\">Camisa Grêmio I</a>"
like "the navbar counts 2 shirts in the cart" "$BODY" \
    '<span class="badge bg-light text-dark" id="cart-count">2</span>'

page POST /cart "product=$GRE&size=M&quantity=5"
is "putting in the cart without a CSRF token is 403" "$STATUS" 403
page POST /cart "csrf=$(printf '0%.0s' {1..64})&product=$GRE&size=M&quantity=5"
is "putting in the cart with a wrong CSRF token is 403" "$STATUS" 403
page POST /cart "csrf=&product=$GRE&size=M&quantity=5"
is "putting in the cart with an empty CSRF token is 403" "$STATUS" 403
is "refused forms leave the cart cookie as it was" "$(cookie "$CART")" \
    "$GRE:M:2"
cart_page
is "refused forms leave the cart total as it was" "$TOTAL" \
    'R$ 659,80'
http POST "$U/cart" "csrf=$CSRF&product=$GRE&size=M&quantity=5" \
    -b "$CART=$GRE:M:2" -D "$T/head"
is "a token without its CSRF cookie is 403" "$STATUS" 403
unlike "a refused form sets no cart cookie" "$(cat "$T/head")" \
    "Set-Cookie: $CART"

page POST /cart "csrf=$CSRF&product=$GRE&size=M&quantity=1"
is "putting the same size in again answers 303" "$STATUS" 303
is "the same size adds to its line" "$(cookie "$CART")" "$GRE:M:3"
page POST /cart "csrf=$CSRF&product=$BAH&size=G&quantity=1"
is "the Bahia shirt joins the cart as a second line" "$(cookie "$CART")" \
    "$GRE:M:3|$BAH:G:1"
cart_page
is "the cart totals 3 x R\$ 329,90 + R\$ 259,90" "$TOTAL" \
    'R$ 1.249,60'
page POST /cart "csrf=$CSRF&product=$GRE&size=M&quantity=0"
is "putting 0 shirts in the cart is 400" "$STATUS" 400
page POST /cart "csrf=$CSRF&product=$GRE&size=XXL&quantity=1"
is "putting an unknown size in the cart is 400" "$STATUS" 400
page POST /cart "csrf=$CSRF&product=${NAME[0]}-99&size=M&quantity=1"
is "putting an unknown product in the cart is 404" "$STATUS" 404
is "refused lines leave the cart as it was" "$(cookie "$CART")" \
    "$GRE:M:3|$BAH:G:1"

page POST /cart/update "csrf=$CSRF&product=$GRE&size=M&quantity=2"
is "changing a quantity answers 303" "$STATUS" 303
is "changing a quantity leads to the cart" "$(location)" /cart
cart_page
is "the new quantity replaces the old one" "$TOTAL" 'R$ 919,70'
page POST /cart/update "csrf=$CSRF&product=$BAH&size=G&quantity=0"
is "removing a line answers 303" "$STATUS" 303
is "quantity 0 removes the line" "$(cookie "$CART")" "$GRE:M:2"
cart_page
is "after the removal the cart totals 2 x R\$ 329,90" "$TOTAL" \
    'R$ 659,80'
unlike "the removed shirt is no longer in the cart" "$BODY" "Camisa Bahia"
page POST /cart/update "product=$GRE&size=M&quantity=0"
is "changing the cart without a CSRF token is 403" "$STATUS" 403
is "a refused change leaves the line" "$(cookie "$CART")" "$GRE:M:2"

# The checkout buys the cart.
page POST /checkout ""
is "buying without a CSRF token is 403" "$STATUS" 403
is "a refused checkout takes no stock" "$(stock "$U" "$GRE" M)" 5
page POST /checkout "csrf=$CSRF"
is "buying the cart answers 303" "$STATUS" 303
ORDER=$(location)
ok "buying the cart leads to the order's page" \
    grep -Eq '^/orders/[^/]+$' <<<"$ORDER"
is "stock of M went down by exactly the 2 bought" \
    "$(stock "$U" "$GRE" M)" 3
is "the sizes not bought keep their stock" \
    "$(stock "$U" "$GRE" P)/$(stock "$U" "$GRE" G)" 2/3
ok "the bought cart is emptied" test -z "$(cookie "$CART")"
page GET "$ORDER"
is "the order page answers 200" "$STATUS" 200
like "the order page names the shirt bought" "$BODY" \
    "<a href=\"/products/$GRE\">Camisa Grêmio I</a>"
like "the order page shows size, quantity, price and subtotal" "$BODY" \
    '<td>M</td><td>2</td><td>R$ 329,90</td><td>R$ 659,80</td>'
like "the order page shows the total" "$BODY" \
    '<td class="fw-bold" id="order-total">R$ 659,80</td>'
like "the order page shows the order's id" "$BODY" \
    "<code id=\"order-id\">${ORDER#/orders/}</code>"
page GET /cart
like "after buying, the cart page says it is empty" "$BODY" \
    'O carrinho está vazio.'
page POST /checkout "csrf=$CSRF"
is "buying an empty cart is 400" "$STATUS" 400
page GET "/orders/${NAME[0]}-o-999"
is "an unknown order page is 404" "$STATUS" 404

# A checkout that lacks stock buys nothing.
page POST /cart "csrf=$CSRF&product=$SAO&size=M&quantity=1"
page POST /cart "csrf=$CSRF&product=$GRE&size=G&quantity=4"
is "the cart takes more than the stock" "$(cookie "$CART")" \
    "$SAO:M:1|$GRE:G:4"
page POST /checkout "csrf=$CSRF"
is "buying more than the stock is 409" "$STATUS" 409
like "the 409 shows the cart with an error" "$BODY" 'id="cart-error"'
like "the 409 still shows the cart's lines" "$BODY" \
    'id="cart-total">R$ 1.619,50<'
unlike "the 409 explains the lack in Portuguese, not in the API's English" \
    "$BODY" 'not enough stock'
is "a refused checkout leaves the short size's stock" \
    "$(stock "$U" "$GRE" G)" 3
is "a refused checkout buys none of the other lines either" \
    "$(stock "$U" "$SAO" M)" 4
is "a refused checkout keeps the cart" "$(cookie "$CART")" \
    "$SAO:M:1|$GRE:G:4"

# Routes and methods.
page GET /no-such-page
is "an unknown page is 404" "$STATUS" 404
like "the 404 is a page, not JSON" "$BODY" '<!doctype html>'
page DELETE /cart
is "DELETE /cart is 405" "$STATUS" 405
like "the 405 names the methods allowed" "$HEAD" 'Allow: GET, HEAD, POST'
page GET /checkout
is "GET /checkout is 405" "$STATUS" 405
page PUT "/products/$GRE"
is "PUT on a product page is 405" "$STATUS" 405
is "stock is as the one checkout left it" \
    "$(curl -s "$U/api/products/$GRE" | jq -c .stock)" \
    '{"P":2,"M":3,"G":3,"GG":0,"XG":0}'
