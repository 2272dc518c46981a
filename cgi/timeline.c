/*
 * The picture of the network on /network: the Lamport queue of checkouts
 * as peerd's status gives it ("queue": [{"ts", "marketplace",
 * "products", "state", "waited_ms", "mine"}]), drawn on the server as
 * SVG.  Each marketplace of the network is a lane; each request of the
 * queue is a circle on its marketplace's lane, as far along as its
 * Lamport timestamp, numbered by its place in the queue, filled when it
 * holds its products and hollow while it waits.  The same requests are
 * listed as rows of a table, the picture's long text alternative.
 *
 * Every name and product id comes from peers, so every one goes through
 * the templates, escaped; the coordinates are numbers computed here.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feira.h"
#include "jsonutil.h"
#include "valid.h"
#include "xmalloc.h"

/* The geometry of the picture, in SVG user units. */
#define TL_WIDTH	720
#define TL_LABELS	130	/* the column of lane names */
#define TL_RIGHT	28
#define TL_PAD		22	/* between the ends of the axis and a mark */
#define TL_TOP		44	/* the axis and its labels above the lanes */
#define TL_LANE		52
#define TL_BOTTOM	12
#define TL_LANES_MAX	(CONF_PEERS_MAX + 8)
#define TL_QUEUE_MAX	64
#define TL_TICKS	5

/* One lane: a marketplace. */
struct timeline_lane {
	const char	*name;
	int		 self;
	int		 answering;
};

/* One request of the queue. */
struct timeline_req {
	int64_t			 ts;
	const char		*market;
	struct json_object	*products;
	int			 holding;
	int			 mine;
	int64_t			 waited;
	size_t			 lane;
};

/* Everything the picture is drawn from. */
struct timeline {
	struct timeline_lane	lanes[TL_LANES_MAX];
	size_t			nlanes;
	struct timeline_req	q[TL_QUEUE_MAX];
	size_t			nq;
	int64_t			tmin;
	int64_t			tmax;
};

/* The lane of marketplace name, added when new; -1 when there is no room. */
static int
timeline_lane(struct timeline *tl, const char *name, int self, int answering)
{
	size_t	i;

	for (i = 0; i < tl->nlanes; i++)
		if (strcmp(tl->lanes[i].name, name) == 0)
			return ((int)i);
	if (tl->nlanes == TL_LANES_MAX)
		return (-1);
	tl->lanes[tl->nlanes].name = name;
	tl->lanes[tl->nlanes].self = self;
	tl->lanes[tl->nlanes].answering = answering;
	return ((int)tl->nlanes++);
}

/* The Lamport order of requests: timestamp, then marketplace. */
static int
timeline_cmp(const void *a, const void *b)
{
	const struct timeline_req	*ra = a, *rb = b;

	if (ra->ts != rb->ts)
		return (ra->ts < rb->ts ? -1 : 1);
	return (strcmp(ra->market, rb->market));
}

/*
 * Read the lanes and the queue from status: this marketplace, its peers,
 * then any other marketplace the queue names.  A request that lacks its
 * timestamp or marketplace is left out.
 */
static void
timeline_read(struct timeline *tl, struct json_object *status)
{
	struct json_object	*peers, *queue, *e, *x;
	const char		*name;
	struct timeline_req	*rq;
	size_t			 i, n;
	int			 lane;

	memset(tl, 0, sizeof *tl);
	if ((name = jsonutil_get_string(status, "marketplace")) != NULL)
		timeline_lane(tl, name, 1, 1);
	if (json_object_object_get_ex(status, "peers", &peers) &&
	    json_object_is_type(peers, json_type_array)) {
		n = json_object_array_length(peers);
		for (i = 0; i < n; i++) {
			e = json_object_array_get_idx(peers, i);
			if ((name = jsonutil_get_string(e, "name")) == NULL)
				continue;
			timeline_lane(tl, name, 0, json_object_object_get_ex(e,
			    "answering", &x) && json_object_get_boolean(x));
		}
	}
	if (!json_object_object_get_ex(status, "queue", &queue) ||
	    !json_object_is_type(queue, json_type_array))
		return;
	n = json_object_array_length(queue);
	for (i = 0; i < n && tl->nq < TL_QUEUE_MAX; i++) {
		e = json_object_array_get_idx(queue, i);
		rq = &tl->q[tl->nq];
		if (!json_object_object_get_ex(e, "ts", &x) ||
		    !json_object_is_type(x, json_type_int) ||
		    (rq->market = jsonutil_get_string(e, "marketplace")) ==
		    NULL || (lane = timeline_lane(tl, rq->market, 0, 1)) == -1)
			continue;
		rq->ts = json_object_get_int64(x);
		rq->lane = (size_t)lane;
		rq->holding = (name = jsonutil_get_string(e, "state")) !=
		    NULL && strcmp(name, "holding") == 0;
		rq->mine = json_object_object_get_ex(e, "mine", &x) &&
		    json_object_get_boolean(x);
		rq->waited = jsonutil_get_int(e, "waited_ms");
		if (json_object_object_get_ex(e, "products", &x) &&
		    json_object_is_type(x, json_type_array))
			rq->products = x;
		if (tl->nq == 0 || rq->ts < tl->tmin)
			tl->tmin = rq->ts;
		if (tl->nq == 0 || rq->ts > tl->tmax)
			tl->tmax = rq->ts;
		tl->nq++;
	}
	qsort(tl->q, tl->nq, sizeof *tl->q, timeline_cmp);
}

/* The x of timestamp ts on the axis. */
static long
timeline_x(const struct timeline *tl, int64_t ts)
{
	long	span = TL_WIDTH - TL_LABELS - TL_RIGHT - 2 * TL_PAD;

	if (tl->tmax == tl->tmin)
		return (TL_LABELS + TL_PAD + span / 2);
	return (TL_LABELS + TL_PAD + (long)((double)(ts - tl->tmin) * span /
	    (double)(tl->tmax - tl->tmin) + 0.5));
}

/* The y of the middle of lane i. */
static long
timeline_y(size_t i)
{
	return (TL_TOP + (long)i * TL_LANE + TL_LANE / 2);
}

/*
 * Write the products of request rq into all, "rio-1, sampa-2", and into
 * few the first two and how many more, for the picture.
 */
static void
timeline_products(const struct timeline_req *rq, struct buf *all,
    struct buf *few)
{
	const char	*id;
	size_t		 i, n, shown = 0;

	buf_reset(all);
	buf_reset(few);
	n = rq->products == NULL ? 0 : json_object_array_length(rq->products);
	for (i = 0; i < n; i++) {
		id = json_object_get_string(json_object_array_get_idx(
		    rq->products, i));
		if (id == NULL || !valid_product_id(id))
			continue;
		buf_addf(all, "%s%s", all->len > 0 ? ", " : "", id);
		if (shown++ < 2)
			buf_addf(few, "%s%s", few->len > 0 ? ", " : "", id);
	}
	if (shown > 2)
		buf_addf(few, " +%zu", shown - 2);
}

/* Draw the lanes. */
static void
timeline_lanes(struct tmpl *const *t, const struct timeline *tl,
    struct tmpl_vars *v, struct html *out)
{
	const struct timeline_lane	*l;
	size_t				 i;

	for (i = 0; i < tl->nlanes; i++) {
		l = &tl->lanes[i];
		tmpl_vars_reset(v);
		tmpl_set(v, "name", l->name);
		tmpl_set(v, "self", l->self ? "1" : "");
		tmpl_set(v, "answering", l->answering ? "1" : "");
		tmpl_set(v, "dot", l->self ? "#0d6efd" : l->answering ?
		    "#198754" : "#dc3545");
		tmpl_setf(v, "x1", "%d", TL_LABELS);
		tmpl_setf(v, "x2", "%d", TL_WIDTH - TL_RIGHT);
		tmpl_setf(v, "y", "%ld", timeline_y(i));
		tmpl_setf(v, "text_y", "%ld", timeline_y(i) + 5);
		tmpl_render(t[T_TIMELINE_LANE], v, out);
	}
}

/* Draw the ticks of the axis: the first and last stamps, and between. */
static void
timeline_ticks(struct tmpl *const *t, const struct timeline *tl,
    struct tmpl_vars *v, struct html *out)
{
	int64_t	ts, last = 0;
	int	i, n;

	if (tl->nq == 0)
		return;
	n = tl->tmax - tl->tmin < TL_TICKS - 1 ?
	    (int)(tl->tmax - tl->tmin) + 1 : TL_TICKS;
	for (i = 0; i < n; i++) {
		ts = n == 1 ? tl->tmin : tl->tmin + (tl->tmax - tl->tmin) *
		    i / (n - 1);
		if (i > 0 && ts == last)
			continue;
		last = ts;
		tmpl_vars_reset(v);
		tmpl_setf(v, "ts", "%lld", (long long)ts);
		tmpl_setf(v, "x", "%ld", timeline_x(tl, ts));
		tmpl_setf(v, "y1", "%d", TL_TOP - 4);
		tmpl_setf(v, "y2", "%ld", timeline_y(tl->nlanes - 1) +
		    TL_LANE / 2);
		tmpl_setf(v, "label_y", "%d", TL_TOP - 10);
		tmpl_render(t[T_TIMELINE_TICK], v, out);
	}
}

/* Draw each request on its lane, and list it as a row of the table. */
static void
timeline_marks(struct tmpl *const *t, const struct timeline *tl,
    struct tmpl_vars *v, struct html *marks, struct html *rows)
{
	const struct timeline_req	*rq;
	struct buf			 all, few;
	size_t				 i;
	long				 x, y;

	buf_init(&all);
	buf_init(&few);
	for (i = 0; i < tl->nq; i++) {
		rq = &tl->q[i];
		x = timeline_x(tl, rq->ts);
		y = timeline_y(rq->lane);
		timeline_products(rq, &all, &few);
		tmpl_vars_reset(v);
		tmpl_setf(v, "position", "%zu", i + 1);
		tmpl_setf(v, "ts", "%lld", (long long)rq->ts);
		tmpl_set(v, "marketplace", rq->market);
		tmpl_set(v, "products", buf_str(&all));
		tmpl_set(v, "products_short", buf_str(&few));
		tmpl_set(v, "state", rq->holding ? "holding" : "waiting");
		tmpl_set(v, "holding", rq->holding ? "1" : "");
		tmpl_set(v, "mine", rq->mine ? "1" : "");
		tmpl_setf(v, "waited", "%lld", (long long)rq->waited);
		tmpl_setf(v, "x", "%ld", x);
		tmpl_setf(v, "y", "%ld", y);
		tmpl_setf(v, "number_y", "%ld", y + 4);
		tmpl_setf(v, "products_y", "%ld", y + 24);
		tmpl_set(v, "fill", rq->holding ? "#198754" : "#ffffff");
		tmpl_set(v, "stroke", rq->holding ? "#0f5132" : "#8a5300");
		tmpl_set(v, "stroke_width", rq->mine ? "3.5" : "1.5");
		tmpl_set(v, "number_fill", rq->holding ? "#ffffff" :
		    "#212529");
		tmpl_render(t[T_TIMELINE_MARK], v, marks);
		tmpl_render(t[T_QUEUE_ROW], v, rows);
	}
	buf_free(&all);
	buf_free(&few);
}

/*
 * Draw the queue of status, peerd's answer, with the templates t (indexed
 * by enum page_tmpl): the SVG into svg, a row per request into rows.
 * Returns how many requests the queue holds; with none, the picture is
 * the empty lanes with a caption that says so.
 */
size_t
timeline_render(struct tmpl *const *t, struct json_object *status,
    struct html *svg, struct html *rows)
{
	struct timeline		*tl = xcalloc(1, sizeof *tl);
	struct tmpl_vars	*v, *part;
	struct html		 lanes, ticks, marks;
	const char		*self;
	size_t			 n;

	timeline_read(tl, status);
	v = tmpl_vars_new();
	part = tmpl_vars_new();
	html_init(&lanes);
	html_init(&ticks);
	html_init(&marks);
	timeline_lanes(t, tl, part, &lanes);
	timeline_ticks(t, tl, part, &ticks);
	timeline_marks(t, tl, part, &marks, rows);
	self = jsonutil_get_string(status, "marketplace");
	tmpl_set(v, "name", self != NULL ? self : "?");
	tmpl_setf(v, "width", "%d", TL_WIDTH);
	tmpl_setf(v, "height", "%ld", TL_TOP + (long)(tl->nlanes > 0 ?
	    tl->nlanes : 1) * TL_LANE + TL_BOTTOM);
	tmpl_setf(v, "axis_x", "%d", TL_LABELS);
	tmpl_setf(v, "mid_x", "%d", (TL_LABELS + TL_WIDTH - TL_RIGHT) / 2);
	tmpl_setf(v, "mid_y", "%d", TL_TOP - 12);
	if (tl->nq > 0) {
		tmpl_set(v, "queued", "1");
		tmpl_setf(v, "count", "%zu", tl->nq);
		tmpl_set(v, "first_market", tl->q[0].market);
		tmpl_setf(v, "first_ts", "%lld", (long long)tl->q[0].ts);
	}
	tmpl_set_html(v, "lanes", &lanes);
	tmpl_set_html(v, "ticks", &ticks);
	tmpl_set_html(v, "marks", &marks);
	tmpl_render(t[T_TIMELINE], v, svg);
	html_free(&lanes);
	html_free(&ticks);
	html_free(&marks);
	tmpl_vars_free(part);
	tmpl_vars_free(v);
	n = tl->nq;
	free(tl);
	return (n);
}
