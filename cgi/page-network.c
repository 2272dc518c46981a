/*
 * GET /network: the marketplace in its network, as peerd tells it: its
 * Lamport clock, the queue of checkouts drawn as a picture (timeline.c),
 * and each peer with its counters of messages.  GET /network/live is the
 * same without the layout, which /static/network.js fetches every two
 * seconds to redraw the page in place.
 */

#include "config.h"

#include <stdio.h>
#include <time.h>

#include "feira.h"
#include "jsonutil.h"

/* The kinds of message a peer's counters may name. */
static const char *const page_network_kinds[] = {
	"changes", "catchup", "product", "lock_request", "lock_release",
	"prepare", "decide", "ask", NULL
};

/* Render one peer's row. */
static void
page_network_row(struct json_object *peer, struct tmpl_vars *v,
    struct html *rows)
{
	struct json_object	*x, *sent = NULL, *received = NULL;
	const char		*s;
	char			 key[32], when[64];
	long long		 heard;
	time_t			 t;
	struct tm		 tm;
	size_t			 i;

	tmpl_vars_reset(v);
	if ((s = jsonutil_get_string(peer, "name")) != NULL)
		tmpl_set(v, "name", s);
	if ((s = jsonutil_get_string(peer, "address")) != NULL)
		tmpl_set(v, "address", s);
	if (json_object_object_get_ex(peer, "answering", &x) &&
	    json_object_get_boolean(x))
		tmpl_set(v, "answering", "1");
	if ((heard = (long long)jsonutil_get_int(peer, "last_heard")) > 0) {
		t = (time_t)heard;
		gmtime_r(&t, &tm);
		/* TRANSLATORS: a date and time for strftime. */
		strftime(when, sizeof when, _("%d/%m/%Y %H:%M:%S UTC"), &tm);
		tmpl_set(v, "last_heard", when);
		tmpl_setf(v, "ago", "%lld", (long long)time(NULL) - heard);
	}
	tmpl_setf(v, "held", "%lld", (long long)jsonutil_get_int(peer,
	    "held"));
	json_object_object_get_ex(peer, "sent", &sent);
	json_object_object_get_ex(peer, "received", &received);
	for (i = 0; page_network_kinds[i] != NULL; i++) {
		snprintf(key, sizeof key, "sent_%s", page_network_kinds[i]);
		tmpl_setf(v, key, "%lld", (long long)jsonutil_get_int(sent,
		    page_network_kinds[i]));
		snprintf(key, sizeof key, "received_%s",
		    page_network_kinds[i]);
		tmpl_setf(v, key, "%lld", (long long)jsonutil_get_int(received,
		    page_network_kinds[i]));
	}
	tmpl_render(app->tmpl[T_NETWORK_ROW], v, rows);
}

/*
 * Render what changes from one moment to the next into live: the clock,
 * the queue's picture and table, the peers.  Returns the status to
 * answer with: 200, or 503 when peerd does not answer.
 */
static int
page_network_render(struct html *live)
{
	struct json_object	*obj, *peers;
	struct tmpl_vars	*v = tmpl_vars_new(), *rv = tmpl_vars_new();
	struct html		 timeline, queue, rows;
	size_t			 i, n;
	int			 status = 200;

	html_init(&timeline);
	html_init(&queue);
	html_init(&rows);
	tmpl_set(v, "name", app->conf.name);
	tmpl_setf(v, "updated", "%lld", (long long)time(NULL));
	if ((obj = api_status_get()) == NULL) {
		status = 503;
		tmpl_set(v, "error", _("O serviço de rede deste marketplace "
		    "não responde agora."));
		obj = json_object_new_object();
		json_object_object_add(obj, "marketplace",
		    json_object_new_string(app->conf.name));
	}
	tmpl_setf(v, "clock", "%lld", (long long)jsonutil_get_int(obj,
	    "clock"));
	if (json_object_object_get_ex(obj, "incarnation", NULL))
		tmpl_setf(v, "incarnation", "%lld",
		    (long long)jsonutil_get_int(obj, "incarnation"));
	if (timeline_render(app->tmpl, obj, &timeline, &queue) > 0)
		tmpl_set(v, "queued", "1");
	if (json_object_object_get_ex(obj, "peers", &peers) &&
	    json_object_is_type(peers, json_type_array)) {
		n = json_object_array_length(peers);
		for (i = 0; i < n; i++)
			page_network_row(json_object_array_get_idx(peers, i),
			    rv, &rows);
		tmpl_set(v, "alone", n == 0 ? "1" : "");
	}
	json_object_put(obj);
	tmpl_set_html(v, "timeline", &timeline);
	tmpl_set_html(v, "queue", &queue);
	tmpl_set_html(v, "rows", &rows);
	tmpl_render(app->tmpl[T_NETWORK_LIVE], v, live);
	html_free(&timeline);
	html_free(&queue);
	html_free(&rows);
	tmpl_vars_free(rv);
	tmpl_vars_free(v);
	return (status);
}

/* GET /network: the page, with the script that keeps it fresh. */
void
page_network(struct request *r)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 body, live;
	int			 status;

	html_init(&body);
	html_init(&live);
	status = page_network_render(&live);
	tmpl_set_html(v, "live", &live);
	tmpl_render(app->tmpl[T_NETWORK], v, &body);
	html_free(&live);
	tmpl_vars_free(v);
	r->script = "/static/network.js";
	render_page(r, status, _("Rede"), &body);
}

/* GET /network/live: what network.js puts in place of the page's part. */
void
page_network_live(struct request *r)
{
	struct html	live;
	int		status;

	html_init(&live);
	status = page_network_render(&live);
	response_html(r, status, &live);
	html_free(&live);
}
