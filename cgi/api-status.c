/*
 * The marketplace's place in the network: GET /api/status as JSON and
 * the /network page, both from what peerd tells; and how products of
 * other marketplaces are shown.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "feira.h"
#include "jsonutil.h"

/* Does the product's owner answer, as far as this marketplace knows? */
int
product_reachable(const struct product *p)
{
	return ((p->flags & PRODUCT_UNREACHABLE) == 0);
}

/* A product as the API shows it: its JSON and whether its owner answers. */
struct json_object *
api_product_json(const struct product *p)
{
	struct json_object	*obj = product_to_json(p);

	json_object_object_add(obj, "reachable",
	    json_object_new_boolean(product_reachable(p)));
	return (obj);
}

/*
 * Ask peerd for the status.  Returns it as a JSON object, which the
 * caller must put, or NULL when peerd does not answer.  A marketplace
 * without peers has no peerd and answers for itself.
 */
static struct json_object *
status_get(void)
{
	struct json_object	*obj;
	struct buf		 b;
	struct fail		 f;
	long			 status;

	if (app->conf.npeers == 0) {
		obj = json_object_new_object();
		json_object_object_add(obj, "marketplace",
		    json_object_new_string(app->conf.name));
		json_object_object_add(obj, "clock", json_object_new_int(0));
		json_object_object_add(obj, "peers", json_object_new_array());
		return (obj);
	}
	buf_init(&b);
	fail_clear(&f);
	if (peerlink_call("GET", "/local/status", 1000, &b, &status) == -1 ||
	    status != 200 || (obj = jsonutil_parse(b.data, b.len, &f)) ==
	    NULL) {
		buf_free(&b);
		return (NULL);
	}
	buf_free(&b);
	return (obj);
}

/* GET /api/status: name, clock, and each peer with its counters. */
void
api_status(struct request *r)
{
	struct json_object	*obj;

	if ((obj = status_get()) == NULL) {
		response_error(r, 503, "the peer daemon does not answer",
		    NULL);
		return;
	}
	response_json(r, 200, obj);
}

/* Get integer member key of obj, or 0. */
static long long
status_int(struct json_object *obj, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(obj, key, &v))
		return (0);
	return ((long long)json_object_get_int64(v));
}

/* Render one peer's row of the /network page. */
static void
page_network_row(struct json_object *peer, struct html *rows)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct json_object	*x, *sent, *received;
	char			 key[32], when[64];
	long long		 heard;
	time_t			 t;
	struct tm		 tm;

	if (json_object_object_get_ex(peer, "name", &x))
		tmpl_set(v, "name", json_object_get_string(x));
	if (json_object_object_get_ex(peer, "address", &x))
		tmpl_set(v, "address", json_object_get_string(x));
	if (json_object_object_get_ex(peer, "answering", &x) &&
	    json_object_get_boolean(x))
		tmpl_set(v, "answering", "1");
	if ((heard = status_int(peer, "last_heard")) > 0) {
		t = (time_t)heard;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%d/%m/%Y %H:%M:%S UTC", &tm);
		tmpl_set(v, "last_heard", when);
		tmpl_setf(v, "ago", "%lld", (long long)time(NULL) - heard);
	}
	tmpl_setf(v, "held", "%lld", status_int(peer, "held"));
	tmpl_setf(v, "failed", "%lld", status_int(peer, "failed_calls"));
	if (json_object_object_get_ex(peer, "sent", &sent) &&
	    json_object_object_get_ex(peer, "received", &received)) {
		json_object_object_foreach(sent, kind, n) {
			(void)n;
			snprintf(key, sizeof key, "sent_%.16s", kind);
			tmpl_setf(v, key, "%lld", status_int(sent, kind));
			snprintf(key, sizeof key, "received_%.16s", kind);
			tmpl_setf(v, key, "%lld", status_int(received, kind));
		}
	}
	tmpl_render(app->tmpl[T_NETWORK_ROW], v, rows);
	tmpl_vars_free(v);
}

/* GET /network: the marketplace, its clock and its peers. */
void
page_network(struct request *r)
{
	struct json_object	*obj, *peers;
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 body, rows;
	size_t			 i;
	int			 status = 200;

	html_init(&body);
	html_init(&rows);
	tmpl_set(v, "name", app->conf.name);
	if ((obj = status_get()) == NULL) {
		status = 503;
		tmpl_set(v, "error", "O serviço de rede deste marketplace não "
		    "responde agora.");
	} else {
		tmpl_setf(v, "clock", "%lld", status_int(obj, "clock"));
		if (json_object_object_get_ex(obj, "peers", &peers) &&
		    json_object_is_type(peers, json_type_array)) {
			for (i = 0; i < json_object_array_length(peers); i++)
				page_network_row(json_object_array_get_idx(
				    peers, i), &rows);
			tmpl_set(v, "alone", json_object_array_length(peers) ==
			    0 ? "1" : "");
		}
		json_object_put(obj);
	}
	tmpl_set_html(v, "rows", &rows);
	tmpl_render(app->tmpl[T_NETWORK], v, &body);
	html_free(&rows);
	tmpl_vars_free(v);
	render_page(r, status, "Rede", &body);
}
