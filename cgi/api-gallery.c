/* GET /api/gallery: the products that match a search, as JSON. */

#include "config.h"

#include "feira.h"

/* Answer {"products": [...]} for the filters of the query string. */
void
api_gallery(struct request *r)
{
	struct gallery_filter	 gf;
	struct gallery		 g;
	struct fail		 f;
	struct json_object	*obj, *list;
	size_t			 i;

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
	list = json_object_new_array_ext((int)g.n);
	for (i = 0; i < g.n; i++)
		json_object_array_add(list, api_product_json(&g.p[i]));
	obj = json_object_new_object();
	json_object_object_add(obj, "products", list);
	gallery_filter_free(&gf);
	gallery_free(&g);
	response_json(r, 200, obj);
}
