/* GET /: the gallery page, with search, filters, sorting and pages. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "feira.h"

/* Cards on one page of the gallery: rows of 2, 3 or 4 come out even. */
#define GALLERY_PER_PAGE	24

/* Render one card for each product of g from first up to last. */
static void
page_gallery_cards(const struct gallery *g, size_t first, size_t last,
    struct html *cards)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 shirt;
	size_t			 i;

	for (i = first; i < last; i++) {
		tmpl_vars_reset(v);
		render_product_vars(v, g->sorted[i]);
		html_init(&shirt);
		render_shirt(v, "card-img-top", &shirt);
		tmpl_render(app->tmpl[T_CARD], v, cards);
		html_free(&shirt);
	}
	tmpl_vars_free(v);
}

/* Keep the search form filled with what was asked. */
static void
page_gallery_form(struct request *r, const struct gallery_filter *gf,
    struct tmpl_vars *v)
{
	static const char *const	 keys[] = {
		"q", "team", "min_price", "max_price"
	};
	const char			*s;
	size_t				 i;
	char				 key[24];

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if ((s = request_param(r, keys[i])) != NULL)
			tmpl_set(v, keys[i], s);
	if ((s = request_param(r, "size")) != NULL) {
		snprintf(key, sizeof key, "size_%.2s", s);
		tmpl_set(v, key, "selected");
	}
	snprintf(key, sizeof key, "sort_%s", gallery_sort_names[gf->sort]);
	tmpl_set(v, key, "selected");
	if ((s = request_param(r, "in_stock")) != NULL && *s != '\0' &&
	    *s != '0')
		tmpl_set(v, "in_stock", "checked");
}

/*
 * The gallery: every product that passes the filters, in the order asked,
 * one page of cards at a time.
 */
void
page_gallery(struct request *r)
{
	struct gallery_filter	 gf;
	struct gallery		 g;
	struct fail		 f;
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 body, cards, pager;
	size_t			 page = 1, pages = 1, first = 0, last = 0;
	int			 status;
	char			 text[300];

	fail_clear(&f);
	html_init(&body);
	html_init(&cards);
	html_init(&pager);
	memset(&g, 0, sizeof g);
	if (gallery_filter_parse(r, &gf, 0, &f) == -1) {
		status = f.status;
		render_fail_text(&f, text, sizeof text);
		tmpl_set(v, "error", text);
	} else if ((status = render_list_page(r, &page, v)) != 0)
		;
	else if (gallery_collect(&gf, &g) == -1) {
		status = 500;
		tmpl_set(v, "error", _("O catálogo não pôde ser lido."));
	} else
		status = render_list_window(g.n, GALLERY_PER_PAGE, page,
		    &pages, &first, &last, v, _("Esta página da galeria não "
		    "existe; volte à primeira."));
	if (status == 0)
		status = 200;
	page_gallery_cards(&g, first, last, &cards);
	render_pager(r, "/", page, pages, _("Páginas da galeria"), &pager);
	page_gallery_form(r, &gf, v);
	tmpl_setf(v, "count", "%zu", g.n);
	if (pages > 1 && last > first) {
		tmpl_setf(v, "pages", "%zu", pages);
		tmpl_setf(v, "page", "%zu", page);
		tmpl_setf(v, "first", "%zu", first + 1);
		tmpl_setf(v, "last", "%zu", last);
	}
	tmpl_set(v, "empty", g.n == 0 && status == 200 ? "1" : "");
	tmpl_set_html(v, "cards", &cards);
	tmpl_set_html(v, "pager", &pager);
	tmpl_render(app->tmpl[T_GALLERY], v, &body);
	html_free(&cards);
	html_free(&pager);
	tmpl_vars_free(v);
	gallery_filter_free(&gf);
	gallery_free(&g);
	render_page(r, status, _("Galeria"), &body);
}
