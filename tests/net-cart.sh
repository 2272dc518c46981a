#!/bin/bash
# Proves that a cart holds shirts of every marketplace of the network: a
# product page of another marketplace's shirt puts it in this one's cart,
# which reads it from the gallery and names its marketplace, and marks it
# when its marketplace stops answering.  Proves too that /network draws
# each marketplace's lane of the Lamport queue, empty for now, and that
# /network/live gives the part of the page that refreshes itself.  With
# the checkout across marketplaces, such a cart is bought whole.

. "${FEIRA_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
start_network 2
A=${URL[0]} B=${URL[1]}
U=$A
JAR=$T/shopper
CART=feira_cart_${NAME[0]}

register "$A" "Camisa Bahia" "Bahia" 25990 '{"M": 5}'
AID=$PID
register "$B" "Camisa Sport" "Sport" 21990 '{"G": 3}'
BID=$PID
eventually "A's gallery lists B's shirt" "$BID" sh -c \
    "curl -s '$A/api/gallery?q=sport' | jq -r '.products[].id'"

page GET "/products/$BID"
is "A's page of B's shirt answers 200" "$STATUS" 200
like "A's page of B's shirt offers A's cart" "$BODY" 'action="/cart"'
like "A's page of B's shirt says the cart takes the whole network" "$BODY" \
    'id="remote-note"'
CSRF=$(csrf)
page POST /cart "csrf=$CSRF&product=$BID&size=G&quantity=2"
is "putting B's shirt in A's cart answers 303" "$STATUS $(location)" \
    "303 /cart"
page POST /cart "csrf=$CSRF&product=$AID&size=M&quantity=1"
is "A's cart holds both lines" "$(cookie "$CART")" "$BID:G:2|$AID:M:1"
page GET /cart
like "the cart names B's shirt, read from the gallery" "$BODY" \
    "<a href=\"/products/$BID\">Camisa Sport</a>"
like "the cart names B as the shirt's marketplace" "$BODY" \
    "<span class=\"visually-hidden\">vendido por </span>${NAME[1]}</span>"
like "the cart prices B's line from the gallery" "$BODY" \
    '<td>R$ 219,90</td>'
like "the cart totals 2 x R\$ 219,90 + R\$ 259,90" "$BODY" \
    'id="cart-total">R$ 699,70<'
like "the cart says it holds shirts of two marketplaces" "$BODY" \
    'Camisas de 2 marketplace(s)'
like "the navbar counts three pieces" "$BODY" 'id="cart-count">3</span>'

page POST /cart "csrf=$CSRF&product=${NAME[1]}-99&size=G&quantity=1"
is "a shirt that B does not have is 404" "$STATUS" 404
page POST /cart "csrf=$CSRF&product=zzz-1&size=G&quantity=1"
is "a shirt of no marketplace of the network is 404" "$STATUS" 404
is "refused shirts leave the cart as it was" "$(cookie "$CART")" \
    "$BID:G:2|$AID:M:1"

# /network and its live part.
page GET /network
is "/network answers 200" "$STATUS" 200
like "/network draws the queue as SVG" "$BODY" \
    '<svg class="feira-timeline-svg" viewBox="0 0 720 160"'
like "/network draws A's lane first" "$BODY" \
    "<g class=\"tl-lane\" data-marketplace=\"${NAME[0]}\">"
like "/network draws B's lane" "$BODY" \
    "<g class=\"tl-lane\" data-marketplace=\"${NAME[1]}\">"
like "an empty queue is drawn with a caption that says so" "$BODY" \
    'A fila está vazia: nenhum checkout pede produtos agora.'
like "/network loads its local script" "$BODY" \
    '<script src="/static/network.js"></script>'
like "/network tells its script where its live part is" "$BODY" \
    'data-src="/network/live"'
http GET "$A/static/network.js"
is "the script is served by the marketplace itself" "$STATUS" 200
like "the script fetches the live part named on the page" "$BODY" \
    'live.getAttribute("data-src")'
page GET /network/live
is "/network/live answers 200" "$STATUS" 200
like "/network/live holds the clock" "$BODY" 'id="lamport-clock"'
unlike "/network/live is a part, without the layout" "$BODY" '<!doctype html>'
like "/network/live is HTML" "$HEAD" 'Content-Type: text/html; charset=utf-8'

# Buying the cart of two marketplaces.
if [ "$(curl -s "$A/api/status" | jq 'has("incarnation")')" = true ]; then
	page POST /checkout "csrf=$CSRF"
	is "buying a cart of two marketplaces answers 303" "$STATUS" 303
	page GET "$(location)"
	like "the order lists B's shirt as B's" "$BODY" \
	    "data-product=\"$BID\" data-marketplace=\"${NAME[1]}\""
	is "B's stock went down by the 2 bought" "$(stock "$B" "$BID" G)" 1
	is "A's stock went down by the 1 bought" "$(stock "$A" "$AID" M)" 4
else
	for c in "buying a cart of two marketplaces answers 303" \
	    "the order lists B's shirt as B's" \
	    "B's stock went down by the 2 bought" \
	    "A's stock went down by the 1 bought"; do
		skip "$c" "needs the checkout across marketplaces"
	done
	page POST /checkout "csrf=$CSRF"
	is "until then a cart with B's shirt buys nothing at A" \
	    "$(stock "$A" "$AID" M)" 5
fi

# B stops answering.
page POST /cart "csrf=$CSRF&product=$BID&size=G&quantity=1"
"$FEIRACTL" stop "$NET" "${NAME[1]}" >/dev/null
eventually "A's cart marks B's line when B does not answer" 1 sh -c \
    "curl -s -b '$JAR' '$A/cart' | grep -c 'badge bg-danger\">fora do ar'"
