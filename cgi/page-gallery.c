/* GET /: the gallery page, with search and filters. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "feira.h"

/* Render one card per product into cards. */
static void
page_gallery_cards(const struct gallery *g, struct html *cards)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	size_t			 i;

	for (i = 0; i < g->n; i++) {
		tmpl_vars_reset(v);
		render_product_vars(v, g->sorted[i]);
		tmpl_render(app->tmpl[T_CARD], v, cards);
	}
	tmpl_vars_free(v);
}

/* Keep the search form filled with what was asked. */
static void
page_gallery_form(struct request *r, struct tmpl_vars *v)
{
	static const char *const	 keys[] = {
		"q", "team", "min_price", "max_price"
	};
	const char			*s;
	size_t				 i;
	char				 key[16];

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if ((s = request_param(r, keys[i])) != NULL)
			tmpl_set(v, keys[i], s);
	if ((s = request_param(r, "size")) != NULL) {
		snprintf(key, sizeof key, "size_%.2s", s);
		tmpl_set(v, key, "selected");
	}
	if ((s = request_param(r, "in_stock")) != NULL && *s != '\0' &&
	    *s != '0')
		tmpl_set(v, "in_stock", "checked");
}

/* The gallery: every product that passes the filters, as cards. */
void
page_gallery(struct request *r)
{
	struct gallery_filter	 gf;
	struct gallery		 g;
	struct fail		 f;
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 body, cards;
	int			 status = 200;
	char			 text[300];

	fail_clear(&f);
	html_init(&body);
	html_init(&cards);
	memset(&g, 0, sizeof g);
	if (gallery_filter_parse(r, &gf, 0, &f) == -1) {
		status = f.status;
		render_fail_text(&f, text, sizeof text);
		tmpl_set(v, "error", text);
	} else if (gallery_collect(&gf, &g) == -1) {
		status = 500;
		tmpl_set(v, "error", "O catálogo não pôde ser lido.");
	}
	page_gallery_cards(&g, &cards);
	page_gallery_form(r, v);
	tmpl_setf(v, "count", "%zu", g.n);
	tmpl_set(v, "empty", g.n == 0 ? "1" : "");
	tmpl_set_html(v, "cards", &cards);
	tmpl_render(app->tmpl[T_GALLERY], v, &body);
	html_free(&cards);
	tmpl_vars_free(v);
	gallery_filter_free(&gf);
	gallery_free(&g);
	render_page(r, status, "Galeria", &body);
}
