/*
 * GET /api/gallery: the products that match a search, as JSON.
 *
 * A gallery of thousands of products would build tens of thousands of
 * json-c objects per request.  Each worker instead keeps the JSON text
 * that json-c wrote for each product, under the product's id, change
 * number and flags; since every change to a product takes a new change
 * number, a kept text is never stale.  The answer is those texts joined
 * into {"products": [...]}.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "feira.h"
#include "xmalloc.h"

#define JCACHE_BUCKETS	4096
#define JCACHE_MAX	50000	/* texts kept before starting afresh */

struct jcache_entry {
	struct jcache_entry	*next;
	char			 id[PRODUCT_ID_MAX + 1];
	uint64_t		 change;
	uint32_t		 flags;
	char			*text;
	size_t			 len;
};

static struct jcache_entry	*jcache[JCACHE_BUCKETS];
static size_t			 jcache_count;

/* FNV-1a over the id, as a bucket number. */
static size_t
jcache_hash(const char *id)
{
	uint32_t	h = 2166136261u;

	for (; *id != '\0'; id++)
		h = (h ^ (unsigned char)*id) * 16777619u;
	return (h % JCACHE_BUCKETS);
}

/* Forget every kept text. */
static void
jcache_clear(void)
{
	struct jcache_entry	*e, *next;
	size_t			 i;

	for (i = 0; i < JCACHE_BUCKETS; i++) {
		for (e = jcache[i]; e != NULL; e = next) {
			next = e->next;
			free(e->text);
			free(e);
		}
		jcache[i] = NULL;
	}
	jcache_count = 0;
}

/* The JSON text of p, as api_product_json writes it, kept for reuse. */
static const struct jcache_entry *
jcache_get(const struct product *p)
{
	struct jcache_entry	*e;
	struct json_object	*obj;
	const char		*s;
	size_t			 h = jcache_hash(p->id), len;

	for (e = jcache[h]; e != NULL; e = e->next) {
		if (strcmp(e->id, p->id) != 0)
			continue;
		if (e->change == p->change && e->flags == p->flags)
			return (e);
		break;
	}
	obj = api_product_json(p);
	s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (e == NULL) {
		if (jcache_count >= JCACHE_MAX)
			jcache_clear();
		e = xcalloc(1, sizeof *e);
		memcpy(e->id, p->id, sizeof e->id);
		e->next = jcache[h];
		jcache[h] = e;
		jcache_count++;
	} else
		free(e->text);
	e->change = p->change;
	e->flags = p->flags;
	e->text = xstrndup(s, len);
	e->len = len;
	json_object_put(obj);
	return (e);
}

/* Answer {"products": [...]} for the filters of the query string. */
void
api_gallery(struct request *r)
{
	const struct jcache_entry	*e;
	struct gallery_filter		 gf;
	struct gallery			 g;
	struct fail			 f;
	struct buf			 out;
	size_t				 i;

	fail_clear(&f);
	if (gallery_filter_parse(r, &gf, 1, &f) == -1) {
		gallery_filter_free(&gf);
		response_fail(r, &f);
		return;
	}
	if (gallery_collect(&gf, &g) == -1) {
		gallery_filter_free(&gf);
		gallery_free(&g);
		response_error(r, 500, "the store failed", NULL);
		return;
	}
	buf_init(&out);
	buf_adds(&out, "{\"products\":[");
	for (i = 0; i < g.n; i++) {
		if (i > 0)
			buf_addc(&out, ',');
		e = jcache_get(g.sorted[i]);
		buf_add(&out, e->text, e->len);
	}
	buf_adds(&out, "]}");
	gallery_filter_free(&gf);
	gallery_free(&g);
	response_json_text(r, 200, out.data, out.len);
	buf_free(&out);
}

/* Free the kept texts at exit, so that leak checkers see a clean end. */
void
api_gallery_close(void)
{
	jcache_clear();
}
