/*
 * The gallery: the products of this marketplace and, as their owners last
 * announced them, of every peer, that match a search and its filters,
 * sorted by name or as the page asks.  The gallery page, /api/gallery and
 * the seller's list of products read it here.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "feira.h"
#include "utf8.h"
#include "valid.h"
#include "xmalloc.h"

/* Longest search text, in bytes. */
#define GALLERY_QUERY_MAX	200

static const char *const gallery_params[] = {
	"q", "team", "size", "min_price", "max_price", "in_stock", NULL
};

/* The orders of the gallery page, as its "sort" parameter names them. */
const char *const gallery_sort_names[SORT__MAX] = {
	"name",			/* SORT_NAME */
	"price",		/* SORT_PRICE */
	"price_desc",		/* SORT_PRICE_DESC */
	"team",			/* SORT_TEAM */
};

/* Read one price bound; in_reais is for the page's form. */
static int
gallery_price(struct request *r, const char *name, int in_reais,
    int64_t *out, struct fail *f)
{
	const char	*s = request_param(r, name);

	*out = -1;
	if (s == NULL || *s == '\0')
		return (0);
	if (in_reais ? render_parse_price(s, out) == -1 :
	    !valid_int(s, 0, PRICE_MAX, out)) {
		fail_set(f, 400, name, "%s must be a price from 0 to %d%s",
		    name, in_reais ? PRICE_MAX / 100 : PRICE_MAX,
		    in_reais ? " reais" : " cents");
		return (-1);
	}
	return (0);
}

/* Start a filter that keeps every product, sorted by name. */
void
gallery_filter_init(struct gallery_filter *gf)
{
	memset(gf, 0, sizeof *gf);
	buf_init(&gf->query);
	buf_init(&gf->team);
	gf->size = -1;
	gf->min_price = -1;
	gf->max_price = -1;
}

/*
 * Read the filters of the query string into gf.  strict refuses unknown
 * parameters (the API); prices are in cents for the API and in reais for
 * the page, which also sorts.  Returns 0, or -1 with f filled.
 */
int
gallery_filter_parse(struct request *r, struct gallery_filter *gf,
    int strict, struct fail *f)
{
	const char	*s, *bad;
	int		 i;

	gallery_filter_init(gf);
	if (strict && (bad = form_unknown(&r->query, gallery_params)) !=
	    NULL) {
		fail_set(f, 400, bad, "unknown or repeated parameter %.40s",
		    bad);
		return (-1);
	}
	if ((s = request_param(r, "q")) != NULL) {
		if (!valid_text(s, 0, GALLERY_QUERY_MAX, 0)) {
			fail_set(f, 400, "q", "q must be at most %d bytes of "
			    "text", GALLERY_QUERY_MAX);
			return (-1);
		}
		utf8_fold(&gf->query, s);
	}
	if ((s = request_param(r, "team")) != NULL && *s != '\0') {
		if (!valid_text(s, 1, PRODUCT_TEAM_MAX, 0)) {
			fail_set(f, 400, "team", "team must be at most %d "
			    "bytes of text", PRODUCT_TEAM_MAX);
			return (-1);
		}
		utf8_fold(&gf->team, s);
	}
	if ((s = request_param(r, "size")) != NULL && *s != '\0' &&
	    (gf->size = size_parse(s)) == -1) {
		fail_set(f, 400, "size", "size must be P, M, G, GG or XG");
		return (-1);
	}
	if (gallery_price(r, "min_price", !strict, &gf->min_price, f) == -1 ||
	    gallery_price(r, "max_price", !strict, &gf->max_price, f) == -1)
		return (-1);
	if (!strict && (s = request_param(r, "sort")) != NULL && *s != '\0') {
		for (i = 0; i < SORT__MAX; i++)
			if (strcmp(s, gallery_sort_names[i]) == 0)
				break;
		if (i == SORT__MAX) {
			fail_set(f, 400, "sort", "sort must be name, price, "
			    "price_desc or team");
			return (-1);
		}
		gf->sort = i;
	}
	if ((s = request_param(r, "in_stock")) != NULL && *s != '\0') {
		if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 ||
		    strcmp(s, "on") == 0)
			gf->in_stock = 1;
		else if (strcmp(s, "0") != 0 && strcmp(s, "false") != 0) {
			fail_set(f, 400, "in_stock", "in_stock must be 1, "
			    "true, 0 or false");
			return (-1);
		}
	}
	return (0);
}

/* Free the folded texts of a filter. */
void
gallery_filter_free(struct gallery_filter *gf)
{
	buf_free(&gf->query);
	buf_free(&gf->team);
}

struct gallery_walk {
	const struct gallery_filter	*gf;
	struct gallery			*g;
	struct buf			 text;
	int				 remote;
	int				 down[CONF_PEERS_MAX];
};

/*
 * Is the marketplace named market answering, as far as peerd last wrote?
 * This marketplace itself always is; a peer never heard of yet is given
 * the benefit of the doubt.
 */
int
gallery_answering(const char *market)
{
	struct peer_state	st;

	if (strcmp(market, app->conf.name) == 0)
		return (1);
	if (store_peer_get(app->store, market, &st) != STORE_OK)
		return (1);
	return (st.answering != 0);
}

/* Keep p if it passes every filter. */
static int
gallery_keep(const struct product *p, void *arg)
{
	struct gallery_walk		*w = arg;
	const struct gallery_filter	*gf = w->gf;
	struct gallery			*g = w->g;

	if (gf->size != -1 && p->stock[gf->size] <= 0)
		return (0);
	if (gf->in_stock && !product_in_stock(p))
		return (0);
	if (gf->min_price != -1 && p->price_cents < gf->min_price)
		return (0);
	if (gf->max_price != -1 && p->price_cents > gf->max_price)
		return (0);
	if (gf->team.len > 0) {
		buf_reset(&w->text);
		utf8_fold(&w->text, p->team);
		if (strcmp(buf_str(&w->text), gf->team.data) != 0)
			return (0);
	}
	if (gf->query.len > 0) {
		/* Name, team and description, folded, as one text. */
		buf_reset(&w->text);
		utf8_fold(&w->text, p->name);
		buf_addc(&w->text, '\n');
		utf8_fold(&w->text, p->team);
		buf_addc(&w->text, '\n');
		utf8_fold(&w->text, p->description);
		if (!utf8_match(buf_str(&w->text), gf->query.data))
			return (0);
	}
	/* Products of a marketplace that left the network are not shown. */
	if (w->remote && conf_peer(&app->conf, p->marketplace) == NULL)
		return (0);
	if (g->n == g->size) {
		g->size = g->size == 0 ? 64 : g->size * 2;
		g->p = xreallocarray(g->p, g->size, sizeof *g->p);
	}
	g->p[g->n] = *p;
	if (w->remote && w->down[conf_peer(&app->conf, p->marketplace) -
	    app->conf.peers])
		g->p[g->n].flags |= PRODUCT_UNREACHABLE;
	g->n++;
	return (0);
}

/* Sort by name, then by id for products of the same name. */
static int
gallery_cmp(const void *a, const void *b)
{
	const struct product	*pa = *(struct product *const *)a;
	const struct product	*pb = *(struct product *const *)b;
	int			 c;

	if ((c = strcasecmp(pa->name, pb->name)) != 0)
		return (c);
	return (strcmp(pa->id, pb->id));
}

/* Sort by price, the cheapest first, then as gallery_cmp. */
static int
gallery_cmp_price(const void *a, const void *b)
{
	const struct product	*pa = *(struct product *const *)a;
	const struct product	*pb = *(struct product *const *)b;

	if (pa->price_cents != pb->price_cents)
		return (pa->price_cents < pb->price_cents ? -1 : 1);
	return (gallery_cmp(a, b));
}

/* Sort by price, the dearest first, then as gallery_cmp. */
static int
gallery_cmp_price_desc(const void *a, const void *b)
{
	const struct product	*pa = *(struct product *const *)a;
	const struct product	*pb = *(struct product *const *)b;

	if (pa->price_cents != pb->price_cents)
		return (pa->price_cents > pb->price_cents ? -1 : 1);
	return (gallery_cmp(a, b));
}

/* Sort by team, then as gallery_cmp. */
static int
gallery_cmp_team(const void *a, const void *b)
{
	const struct product	*pa = *(struct product *const *)a;
	const struct product	*pb = *(struct product *const *)b;
	int			 c;

	if ((c = strcasecmp(pa->team, pb->team)) != 0)
		return (c);
	return (gallery_cmp(a, b));
}

/* The comparison of each enum gallery_sort. */
static int (*const gallery_cmps[SORT__MAX])(const void *, const void *) = {
	gallery_cmp,		/* SORT_NAME */
	gallery_cmp_price,	/* SORT_PRICE */
	gallery_cmp_price_desc,	/* SORT_PRICE_DESC */
	gallery_cmp_team,	/* SORT_TEAM */
};

/*
 * Collect the products that pass gf into g; g->sorted lists them in
 * order.  Returns 0, or -1 if the store failed.  g must be freed with
 * gallery_free either way.
 */
int
gallery_collect(const struct gallery_filter *gf, struct gallery *g)
{
	struct gallery_walk	w;
	int			rc, i;

	memset(g, 0, sizeof *g);
	memset(&w, 0, sizeof w);
	w.gf = gf;
	w.g = g;
	buf_init(&w.text);
	rc = store_products_each(app->store, gallery_keep, &w);
	if (rc == 0 && app->conf.npeers > 0 && !gf->local) {
		for (i = 0; i < app->conf.npeers; i++)
			w.down[i] = !gallery_answering(app->conf.peers[i].name);
		w.remote = 1;
		rc = store_remote_each(app->store, gallery_keep, &w);
	}
	buf_free(&w.text);
	if (rc == -1)
		return (-1);
	/* Sort pointers: the products are too large to move around. */
	if (g->n > 0) {
		g->sorted = xreallocarray(NULL, g->n, sizeof *g->sorted);
		for (i = 0; i < (int)g->n; i++)
			g->sorted[i] = &g->p[i];
		qsort(g->sorted, g->n, sizeof *g->sorted,
		    gallery_cmps[gf->sort]);
	}
	return (0);
}

/* Free a collected gallery. */
void
gallery_free(struct gallery *g)
{
	free(g->p);
	free(g->sorted);
	memset(g, 0, sizeof *g);
}
