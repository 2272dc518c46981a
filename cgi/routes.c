/*
 * The route table and the dispatcher: one place that says which path and
 * method reach which handler, and what they require.
 */

#include "config.h"

#include <string.h>
#include <strings.h>

#include "feira.h"
#include "log.h"

static const struct route routes[] = {
	/* The JSON API. */
	{ "/api/gallery", M_GET | M_HEAD, api_gallery, 0 },
	{ "/api/products", M_POST, api_product_create, ROUTE_SELLER },
	{ "/api/products/*", M_GET | M_HEAD, api_product_get, 0 },
	{ "/api/products/*", M_PATCH, api_product_patch, ROUTE_SELLER },
	{ "/api/orders", M_POST, api_order_create, 0 },
	{ "/api/orders/*", M_GET | M_HEAD, api_order_get, 0 },
	{ "/api/status", M_GET | M_HEAD, api_status, 0 },
	{ "/api/sales", M_GET | M_HEAD, api_sales, ROUTE_SELLER },

	/* The shop's pages. */
	{ "/", M_GET | M_HEAD, page_gallery, 0 },
	{ "/products/*", M_GET | M_HEAD, page_product, 0 },
	{ "/cart", M_GET | M_HEAD, page_cart, 0 },
	{ "/cart", M_POST, page_cart_add, 0 },
	{ "/cart/update", M_POST, page_cart_update, 0 },
	{ "/checkout", M_POST, page_checkout, 0 },
	{ "/orders/*", M_GET | M_HEAD, page_order, 0 },
	{ "/network", M_GET | M_HEAD, page_network, 0 },
	{ "/network/live", M_GET | M_HEAD, page_network_live, 0 },

	/* The seller's pages. */
	{ "/login", M_GET | M_HEAD, page_login, 0 },
	{ "/login", M_POST, page_login_post, 0 },
	{ "/logout", M_POST, page_logout, 0 },
	{ "/seller", M_GET | M_HEAD, page_seller, ROUTE_SELLER },
	{ "/seller/new", M_GET | M_HEAD, page_seller_new, ROUTE_SELLER },
	{ "/seller/products", M_POST, page_seller_create, ROUTE_SELLER },
	{ "/seller/products/*", M_POST, page_seller_update, ROUTE_SELLER },
	{ "/seller/sales", M_GET | M_HEAD, page_seller_sales, ROUTE_SELLER },
};

#define NROUTES	(sizeof routes / sizeof routes[0])

/*
 * Does path match pattern?  "*" matches one non-empty segment, whose
 * start is stored in *arg.
 */
static int
routes_match(const char *pattern, const char *path, const char **arg)
{
	const char	*star = strchr(pattern, '*');
	size_t		 n;

	if (star == NULL)
		return (strcmp(pattern, path) == 0);
	n = (size_t)(star - pattern);
	if (strncmp(pattern, path, n) != 0)
		return (0);
	path += n;
	if (*path == '\0' || strchr(path, '/') != NULL)
		return (0);
	*arg = path;
	return (1);
}

/* Is type one that an HTML form sends: text/plain or multipart? */
static int
routes_form_type(const char *type)
{
	if (type == NULL)
		return (0);
	while (*type == ' ')
		type++;
	return (strncasecmp(type, "text/plain", 10) == 0 ||
	    strncasecmp(type, "multipart/form-data", 19) == 0);
}

/* Write the methods of mask as an Allow header value into out. */
static void
routes_allow(unsigned int mask, char *out, size_t size)
{
	static const char *const	 names[] = {
		"GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"
	};
	unsigned int			 i;

	out[0] = '\0';
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((mask & (1u << i)) == 0)
			continue;
		if (out[0] != '\0')
			strncat(out, ", ", size - strlen(out) - 1);
		strncat(out, names[i], size - strlen(out) - 1);
	}
}

/*
 * Find the route for the request and run its handler; answer 404 for an
 * unknown path, 405 for a known path and another method, and 401 or a
 * login page for seller routes without the seller.
 */
void
routes_dispatch(struct request *r)
{
	const struct route	*rt = NULL;
	const char		*arg = NULL;
	unsigned int		 allowed = 0;
	size_t			 i;
	char			 allow[64];

	if (!r->is_api)
		session_start(r);
	for (i = 0; i < NROUTES; i++) {
		if (!routes_match(routes[i].pattern, r->path, &arg))
			continue;
		allowed |= routes[i].methods;
		if (routes[i].methods & r->method) {
			rt = &routes[i];
			break;
		}
	}
	if (rt == NULL && allowed == 0) {
		response_error(r, 404, "no such route", NULL);
		return;
	}
	if (rt == NULL) {
		routes_allow(allowed, allow, sizeof allow);
		response_header(r, "Allow: %s", allow);
		response_error(r, 405, "method not allowed", NULL);
		return;
	}
	r->arg = arg;

	/*
	 * A cross-site HTML form can post text/plain or multipart bodies
	 * without asking first, and a text/plain one can be made to read
	 * as JSON: the API takes neither, so that a browser that keeps the
	 * seller's Basic login cannot be made to use it by another site.
	 */
	if (r->is_api && (r->method == M_POST || r->method == M_PATCH) &&
	    routes_form_type(FCGX_GetParam("CONTENT_TYPE", r->fcgi->envp))) {
		response_error(r, 415, "send JSON, as application/json", NULL);
		return;
	}

	if ((rt->flags & ROUTE_SELLER) && r->is_api && !session_basic_ok(r)) {
		response_error(r, 401, "the seller's login is needed", NULL);
		return;
	}
	if ((rt->flags & ROUTE_SELLER) && !r->is_api && !r->seller) {
		if (r->method == M_POST) {
			render_message(r, 403, _("Acesso negado"),
			    _("Entre como vendedor para fazer isso."));
			return;
		}
		response_redirect(r, "/login");
		return;
	}
	rt->handler(r);
}
