#!/bin/bash
# Proves that the seller's pages are the seller's only: they need a login
# with the right password, every form needs the browser's CSRF token, and
# logging out ends the session.  Proves too that the registration form
# turns "199,90" into 19990 cents and refuses bad input without
# registering anything, that the stock form changes stock by deltas and
# never below zero, and that the sales page lists what was sold.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 1
U=${URL[0]}
JAR=$T/seller
SESSION=feira_session_${NAME[0]}

# How many products the gallery of the API lists.
count() {
	curl -s "$U/api/gallery" | jq '.products | length'
}

# form NAME PRICE COLOR0 STOCK_M: a registration form's body, with the
# browser's token; one field at a time can be made bad.
form() {
	printf 'csrf=%s&name=%s&team=Internacional&description=%s' \
	    "$CSRF" "$1" 'Colorado+ga%C3%BAcho'
	printf '&price=%s&color0=%s&color1=%%23ffffff' "$2" "$3"
	printf '&stock_P=1&stock_M=%s&stock_G=&stock_GG=0&stock_XG=2' "$4"
}

# Before the login.
page GET /seller
is "the seller's page without a session answers 303" "$STATUS" 303
is "the seller's page without a session leads to the login" \
    "$(location)" /login
page GET /seller/new
is "the registration form without a session leads to the login" \
    "$STATUS $(location)" "303 /login"
page GET /seller/sales
is "the sales page without a session leads to the login" \
    "$STATUS $(location)" "303 /login"

page GET /login
is "the login page answers 200" "$STATUS" 200
CSRF=$(csrf)
ok "the login form carries a CSRF token of 64 hex digits" \
    grep -Eqx '[0-9a-f]{64}' <<<"$CSRF"

page POST /login "csrf=$CSRF&user=seller&password=wrong-$PASSWORD"
is "a wrong password is 401" "$STATUS" 401
like "a wrong password shows the form with an error" "$BODY" \
    'Usuário ou senha incorretos.'
ok "a wrong password gives no session cookie" \
    test -z "$(cookie "$SESSION")"
page POST /login "csrf=$CSRF&user=someone&password=$PASSWORD"
is "the right password for another user is 401" "$STATUS" 401
page POST /login "user=seller&password=$PASSWORD"
is "a login without a CSRF token is 403" "$STATUS" 403
ok "a login without a CSRF token gives no session cookie" \
    test -z "$(cookie "$SESSION")"
page GET /seller
is "after refused logins the seller's page still leads to the login" \
    "$STATUS $(location)" "303 /login"

# Before the login, seller forms are refused and change nothing.
register "$U" "Camisa Bahia" "Bahia" 25990 '{"M": 4}'
BAH=$PID
page POST /seller/products "$(form Camisa+Pirata 10 %23000000 1)"
is "registering through the form without a session is 403" "$STATUS" 403
is "a refused registration registers nothing" "$(count)" 1
page POST "/seller/products/$BAH" "csrf=$CSRF&delta_M=100&price=1"
is "changing stock through the form without a session is 403" \
    "$STATUS" 403
is "a refused change leaves stock and price" "$(curl -s \
    "$U/api/products/$BAH" | jq -c '[.stock.M, .price_cents]')" '[4,25990]'
page POST /logout "csrf=$CSRF"
is "logging out without a session answers 303" "$STATUS" 303

# The login.
page POST /login "csrf=$CSRF&user=seller&password=$PASSWORD"
is "the right password answers 303" "$STATUS" 303
is "the right password leads to the seller's page" "$(location)" /seller
ok "the right password gives a session cookie" \
    test -n "$(cookie "$SESSION")"
page GET /seller
is "with a session the seller's page answers 200" "$STATUS" 200
like "the seller's page lists the seller's products" "$BODY" \
    "action=\"/seller/products/$BAH\""
like "the seller's page shows the stock of M next to its field" "$BODY" \
    "for=\"dM-$BAH\">M (4)</label>"
like "the navbar of a seller offers to log out" "$BODY" 'action="/logout"'
page GET /login
is "the login page sends a logged-in seller to the seller's page" \
    "$STATUS $(location)" "303 /seller"

# Registering through the form.
page GET /seller/new
is "the registration form answers 200" "$STATUS" 200
like "the registration form posts to /seller/products" "$BODY" \
    'action="/seller/products"'
CSRF=$(csrf)
page POST /seller/products \
    "$(form Camisa+Internacional+II 199%2C90 %23D50000 3)"
is "registering through the form answers 303" "$STATUS" 303
is "registering leads to the new product's page" "$(location)" \
    "/products/${NAME[0]}-2"
INT=${NAME[0]}-2
is "the gallery of the API now lists two products" "$(count)" 2
BODY=$(curl -s "$U/api/gallery?q=internacional")
is "the new product is found in the API's gallery" \
    "$(json '.products[0].id')" "$INT"
is "the price \"199,90\" is kept as 19990 cents" \
    "$(json '.products[0].price_cents')" 19990
is "the name and team are kept" \
    "$(json '.products[0] | .name + "/" + .team')" \
    "Camisa Internacional II/Internacional"
is "the description is kept, accents decoded" \
    "$(curl -s "$U/api/products/$INT" | jq -r .description)" \
    "Colorado gaúcho"
is "the stock of each size is kept, empty fields as 0" \
    "$(printf '%s' "$BODY" | jq -c '.products[0].stock')" \
    '{"P":1,"M":3,"G":0,"GG":0,"XG":2}'
is "the colors are kept, in lower case" \
    "$(printf '%s' "$BODY" | jq -c '.products[0].colors')" \
    '["#d50000","#ffffff"]'
page GET "/products/$INT"
like "the new product's page shows R\$ 199,90" "$BODY" \
    'id="product-price">R$ 199,90</p>'

page POST /seller/products "$(form Camisa+Inter+III 89.9 %23D50000 1)"
is "a price with a dot and one decimal is accepted" "$STATUS" 303
is "the price \"89.9\" is kept as 8990 cents" \
    "$(curl -s "$U/api/products/${NAME[0]}-3" | jq .price_cents)" 8990

# Bad input is refused and registers nothing.
N=$(count)
LONG=$(printf 'x%.0s' {1..121})
page POST /seller/products "$(form '' 199%2C90 %23D50000 3)"
is "an empty name is 400" "$STATUS" 400
like "the refused form is shown again with an error" "$BODY" \
    'id="form-error"'
like "the refused form keeps what was typed" "$BODY" \
    'name="price" value="199,90"'
page POST /seller/products "$(form +++ 199%2C90 %23D50000 3)"
is "a name of spaces only is 400" "$STATUS" 400
page POST /seller/products "$(form Camisa+Nova abc %23D50000 3)"
is "the price \"abc\" is 400" "$STATUS" 400
like "the refused price is explained" "$BODY" \
    'Escreva o preço em reais'
page POST /seller/products "$(form Camisa+Nova 0 %23D50000 3)"
is "a price of zero is 400" "$STATUS" 400
page POST /seller/products "$(form Camisa+Nova 199%2C999 %23D50000 3)"
is "a price with three decimals is 400" "$STATUS" 400
page POST /seller/products "$(form Camisa+Nova 199%2C90 red 3)"
is "the color \"red\" is 400" "$STATUS" 400
unlike "the refused color is explained in Portuguese, not in English" \
    "$BODY" 'colors must be two colors written #rrggbb'
page POST /seller/products "$(form Camisa+Nova 199%2C90 %23D50000 -1)"
is "a stock of -1 is 400" "$STATUS" 400
page POST /seller/products "$(form Camisa+Nova 199%2C90 %23D50000 dez)"
is "a stock that is not a number is 400" "$STATUS" 400
page POST /seller/products "$(form "$LONG" 199%2C90 %23D50000 3)"
is "a name of 121 bytes is 400" "$STATUS" 400
page POST /seller/products "$(form Camisa+Nova 199%2C90 %23D50000 3)&x=1"
is "a form with an unknown field is 400" "$STATUS" 400
is "refused forms register nothing" "$(count)" "$N"

page POST /seller/products "$(form Camisa+Nova 199%2C90 %23D50000 3 |
    sed 's/^csrf=[^&]*&//')"
is "registering without a CSRF token is 403" "$STATUS" 403
page POST /seller/products "$(form Camisa+Nova 199%2C90 %23D50000 3 |
    sed 's/^csrf=[^&]*/csrf=0000/')"
is "registering with a wrong CSRF token is 403" "$STATUS" 403
is "registrations without the token register nothing" "$(count)" "$N"

# Stock and price through the form.
page POST "/seller/products/$INT" \
    "csrf=$CSRF&price=&delta_P=-1&delta_M=5&delta_G=0&delta_GG=0&delta_XG=0"
is "a stock change answers 303" "$STATUS" 303
is "a stock change leads back to the seller's page" "$(location)" /seller
is "the stock changes by the deltas: P 1-1, M 3+5" \
    "$(curl -s "$U/api/products/$INT" | jq -c .stock)" \
    '{"P":0,"M":8,"G":0,"GG":0,"XG":2}'
is "an empty price field keeps the price" \
    "$(curl -s "$U/api/products/$INT" | jq .price_cents)" 19990
page GET /seller
like "the seller's page shows the new stock of M" "$BODY" \
    "for=\"dM-$INT\">M (8)</label>"
page POST "/seller/products/$INT" "csrf=$CSRF&price=249%2C90&delta_M=0"
is "a price change answers 303" "$STATUS" 303
is "the price \"249,90\" is kept as 24990 cents" \
    "$(curl -s "$U/api/products/$INT" | jq .price_cents)" 24990

page POST "/seller/products/$INT" "csrf=$CSRF&delta_M=1&delta_XG=-3"
is "a delta below zero is 409" "$STATUS" 409
like "the 409 page says the stock is short" "$BODY" 'Estoque insuficiente'
unlike "the 409 explains the lack in Portuguese, not in the API's English" \
    "$BODY" 'it must stay from 0 to'
is "a refused delta changes no size at all" \
    "$(curl -s "$U/api/products/$INT" | jq -c .stock)" \
    '{"P":0,"M":8,"G":0,"GG":0,"XG":2}'
page POST "/seller/products/$INT" "csrf=$CSRF&delta_M=muitos"
is "a delta that is not a number is 400" "$STATUS" 400
page POST "/seller/products/$INT" "csrf=$CSRF&price=abc&delta_M=1"
is "a bad price refuses the whole change" "$STATUS $(curl -s \
    "$U/api/products/$INT" | jq -c '[.stock.M, .price_cents]')" \
    "400 [8,24990]"
page POST "/seller/products/${NAME[0]}-99" "csrf=$CSRF&delta_M=1"
is "changing an unknown product is 404" "$STATUS" 404
page POST "/seller/products/$INT" "delta_M=100"
is "a stock change without a CSRF token is 403" "$STATUS" 403
is "a stock change without the token changes nothing" \
    "$(stock "$U" "$INT" M)" 8

# Sales.
page GET /seller/sales
is "the sales page answers 200" "$STATUS" 200
like "before any purchase the sales page says there are none" "$BODY" \
    'Nenhuma venda ainda.'
http POST "$U/api/orders" "{\"items\": [{\"product\": \"$INT\",
    \"size\": \"M\", \"quantity\": 2}]}" -H 'Content-Type: application/json'
is "a shopper buys 2 shirts of size M" "$STATUS" 201
ORDER=$(json .id)
page GET /seller/sales
like "the sales page links to the order" "$BODY" \
    "<a href=\"/orders/$ORDER\"><code>$ORDER</code></a>"
ROW="<a href=\"/products/$INT\">Camisa Internacional II</a></td>"
ROW+='<td>M</td><td>2</td><td>R$ 499,80</td>'
like "the sales page shows the item, size, quantity and value" "$BODY" "$ROW"
unlike "the sales page no longer says there are none" "$BODY" \
    'Nenhuma venda ainda.'

# Logout.
page GET /seller
CSRF=$(csrf)
COPY=$(cookie "$SESSION")
page POST /logout "csrf=$CSRF"
is "logging out answers 303" "$STATUS" 303
is "logging out leads to the gallery" "$(location)" /
ok "logging out removes the session cookie" \
    test -z "$(cookie "$SESSION")"
page GET /seller
is "after logging out the seller's page leads to the login again" \
    "$STATUS $(location)" "303 /login"
page GET /seller/sales
is "after logging out the sales page leads to the login again" \
    "$STATUS $(location)" "303 /login"
page POST "/seller/products/$INT" "csrf=$CSRF&delta_M=100"
is "after logging out a stock change is 403" "$STATUS" 403
is "a stock change after logging out changes nothing" \
    "$(stock "$U" "$INT" M)" 6
http GET "$U/seller" - -b "$SESSION=$COPY"
is "a copy of the session cookie taken before the logout opens nothing" \
    "$STATUS" 303
