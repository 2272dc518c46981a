/*
 * The FastCGI program: one master that forks worker processes, each
 * accepting requests from nginx on one unix socket.  Declarations of every
 * file under cgi/, grouped by file.
 */
#ifndef FEIRA_CGI_H
#define FEIRA_CGI_H

#include <stddef.h>
#include <stdint.h>

#include <fcgiapp.h>
#include <json-c/json.h>
#ifdef ENABLE_NLS
#include <libintl.h>
#endif

#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "fail.h"
#include "form.h"
#include "lang.h"
#include "order.h"
#include "product.h"
#include "store.h"
#include "tmpl.h"

/*
 * _() marks a text of the pages to translate where it is used, N_() one
 * in a table, translated with _() where it is used (see cgi/i18n.c).
 */
#ifdef ENABLE_NLS
#define _(s)			gettext(s)
#else
#define _(s)			(s)
#endif
#define N_(s)			(s)

/* Largest request body read; nginx refuses larger ones first. */
#define BODY_MAX		(64 * 1024)

/* The templates under html/templates, one per page or piece. */
enum page_tmpl {
	T_LAYOUT,
	T_GALLERY,
	T_CARD,
	T_PRODUCT,
	T_CART,
	T_CART_ROW,
	T_ORDER,
	T_ORDER_ROW,
	T_LOGIN,
	T_SELLER,
	T_SELLER_ROW,
	T_PRODUCT_FORM,
	T_SALES,
	T_SALES_ROW,
	T_ERROR,
	T_NETWORK,
	T_NETWORK_ROW,
	T_SHIRT,
	T_PAGER,
	T_PAGER_ITEM,
	T_NETWORK_LIVE,
	T_QUEUE_ROW,
	T_TIMELINE,
	T_TIMELINE_LANE,
	T_TIMELINE_TICK,
	T_TIMELINE_MARK,
	T__MAX
};

/* What a worker holds for its whole life. */
struct app {
	struct conf	 conf;
	struct store	*store;
	unsigned char	 secret[AUTH_SECRET_LEN];
	struct tmpl	*tmpls[LANG__MAX][T__MAX];
	/* The language of the request in hand, and its templates. */
	enum lang	 lang;
	struct tmpl	**tmpl;
	/* Digest of the last credentials that passed, to skip PBKDF2. */
	char		 basic_ok[AUTH_TOKEN_LEN + 1];
};

extern struct app	*app;

enum method {
	M_GET = 1,
	M_HEAD = 2,
	M_POST = 4,
	M_PATCH = 8,
	M_PUT = 16,
	M_DELETE = 32,
	M_OTHER = 64
};

/* A request from nginx, and what is gathered about it. */
struct request {
	FCGX_Request	*fcgi;
	enum method	 method;
	const char	*method_name;
	char		 path[512];
	const char	*arg;		/* what "*" in the route matched */
	struct form	 query;
	char		*body;
	size_t		 body_len;
	const char	*cookies;
	char		 csrf_cookie[33];
	int		 csrf_new;	/* the cookie must be set */
	/* The CSRF token of this request's forms, "" until made. */
	char		 csrf_token[AUTH_TOKEN_LEN + 1];
	int		 seller;	/* a valid seller session */
	int		 is_api;
	const char	*script;	/* a script of /static/ for the page */
	struct buf	 headers;	/* extra response headers */
};

/* A route: a path pattern where "*" is one segment, and its handler. */
#define ROUTE_SELLER	0x1	/* needs the seller's login */
#define ROUTE_CSRF	0x2	/* a form that needs a CSRF token */
struct route {
	const char	*pattern;
	unsigned int	 methods;
	void		(*handler)(struct request *);
	unsigned int	 flags;
};

/* request.c */
int	 request_read(struct request *, FCGX_Request *);
void	 request_free(struct request *);
const char *request_param(struct request *, const char *);
int	 request_form(struct request *, struct form *);
void	 response_json(struct request *, int, struct json_object *);
void	 response_json_text(struct request *, int, const char *, size_t);
void	 response_fail(struct request *, const struct fail *);
void	 response_error(struct request *, int, const char *, const char *);
void	 response_html(struct request *, int, const struct html *);
void	 response_redirect(struct request *, const char *);
void	 response_header(struct request *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
const char *status_text(int);

/* peerlink.c */
int	 peerlink_request(const char *, const char *, const char *,
	    const char *const *, long, struct buf *, long *);
int	 peerlink_call(const char *, const char *, long, struct buf *,
	    long *);
struct json_object *peerlink_write_call(const char *, const char *,
	    struct json_object *, const char *const *, long, struct fail *);
void	 peerlink_close(void);

/* i18n.c */
void	 i18n_init(void);
void	 i18n_use(enum lang);
const char *i18n_template_text(const char *, void *);

/* routes.c */
void	 routes_dispatch(struct request *);

/* session.c */
void	 session_start(struct request *);
int	 session_csrf_ok(struct request *, const struct form *);
void	 session_csrf_token(struct request *, char *);
int	 session_basic_ok(struct request *);
void	 session_login(struct request *);
void	 session_logout(struct request *);

/* action.c */
int	 action_product_create(struct product_input *, struct product *,
	    struct fail *);
int	 action_product_update(const char *, const struct product_patch *,
	    struct product *, struct fail *);
int	 action_order_create(const struct order_input *, struct order *,
	    struct fail *, int *);

/* gallery.c */
enum gallery_sort {
	SORT_NAME,
	SORT_PRICE,
	SORT_PRICE_DESC,
	SORT_TEAM,
	SORT__MAX
};
extern const char *const gallery_sort_names[SORT__MAX];
struct gallery_filter {
	struct buf	query;		/* folded */
	struct buf	team;		/* folded */
	int		size;		/* enum size, or -1 */
	int64_t		min_price;	/* -1 for none */
	int64_t		max_price;	/* -1 for none */
	int		in_stock;
	int		sort;		/* enum gallery_sort */
	int		local;		/* only this marketplace's own */
};
struct gallery {
	struct product	*p;
	size_t		 n;
	size_t		 size;
	struct product	**sorted;	/* the n products, sorted */
};
void	 gallery_filter_init(struct gallery_filter *);
int	 gallery_filter_parse(struct request *, struct gallery_filter *,
	    int, struct fail *);
void	 gallery_filter_free(struct gallery_filter *);
int	 gallery_collect(const struct gallery_filter *, struct gallery *);
int	 gallery_answering(const char *);
void	 gallery_free(struct gallery *);

/* render.c */
void	 render_page(struct request *, int, const char *, struct html *);
void	 render_message(struct request *, int, const char *, const char *);
void	 render_fail(struct request *, const struct fail *);
void	 render_fail_text(const struct fail *, char *, size_t);
const char *render_fail_title(const struct fail *);
void	 render_price(char *, size_t, int64_t);
int	 render_parse_price(const char *, int64_t *);
const char *render_color_name(const char *);
void	 render_product_vars(struct tmpl_vars *, const struct product *);
void	 render_shirt(struct tmpl_vars *, const char *, struct html *);
void	 render_csrf(struct request *, struct tmpl_vars *);
void	 render_pager(struct request *, const char *, size_t, size_t,
	    const char *, struct html *);
int	 render_list_page(struct request *, size_t *, struct tmpl_vars *);
int	 render_list_window(size_t, size_t, size_t, size_t *, size_t *,
	    size_t *, struct tmpl_vars *, const char *);

/* api-gallery.c */
void	 api_gallery(struct request *);
void	 api_gallery_close(void);

/* api-products.c */
int	 product_find(const char *, struct product *);
void	 api_product_get(struct request *);
void	 api_product_create(struct request *);
void	 api_product_patch(struct request *);

/* api-status.c */
struct json_object *api_status_get(void);
void	 api_status(struct request *);
int	 product_reachable(const struct product *);
struct json_object *api_product_json(const struct product *);

/* api-orders.c */
typedef int	(*sales_cb)(const struct reservation *,
		    const struct order_item *, void *);
int	 sales_each(sales_cb, void *);
void	 api_order_create(struct request *);
void	 api_order_get(struct request *);
void	 api_sales(struct request *);

/* page-gallery.c */
void	 page_gallery(struct request *);

/* page-product.c */
void	 page_product(struct request *);

/* page-cart.c */
struct cart_line {
	char	product[PRODUCT_ID_MAX + 1];
	int	size;
	int	quantity;
};
struct cart {
	unsigned int		n;
	struct cart_line	l[ORDER_ITEMS_MAX];
};
void	 page_cart(struct request *);
void	 page_cart_add(struct request *);
void	 page_cart_update(struct request *);
void	 page_checkout(struct request *);
void	 cart_read(struct request *, struct cart *);
unsigned int cart_count(const struct cart *);

/* page-network.c */
void	 page_network(struct request *);
void	 page_network_live(struct request *);

/* timeline.c */
size_t	 timeline_render(struct tmpl *const *, struct json_object *,
	    struct html *, struct html *);

/* page-order.c */
void	 page_order(struct request *);

/* page-login.c */
void	 page_login(struct request *);
void	 page_login_post(struct request *);
void	 page_logout(struct request *);

/* page-seller.c */
void	 page_seller(struct request *);
void	 page_seller_new(struct request *);
void	 page_seller_create(struct request *);
void	 page_seller_update(struct request *);
void	 page_seller_sales(struct request *);

#endif
