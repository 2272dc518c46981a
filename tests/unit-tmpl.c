/*
 * Unit tests of lib/tmpl.c: text is escaped wherever it goes, HTML gets in
 * only when a template rendered it, and sections show or hide.  The
 * templates are written into a fresh folder under /tmp.
 */

#include "config.h"

#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tmpl.h"
#include "tap.h"

/* The templates the tests load, by file name. */
static const struct {
	const char	*name;
	const char	*text;
} templates[] = {
	{ "text.html", "<p>{{x}}</p>\n" },
	{ "frag.html", "<b>{{who}}</b>" },
	{ "page.html", "<div>{{&frag}}|{{&plain}}|{{frag}}</div>" },
	{ "flags.html", "[{{?flag}}yes {{x}}{{/flag}}{{^flag}}no{{/flag}}]" },
	{ "nested.html", "{{?a}}A{{?b}}B{{/b}}{{^b}}-{{/b}}{{/a}}." },
	{ "unset.html", "[{{nothing}}][{{&nothing}}]" },
	{ "broken.html", "a {{x" },
	{ "tr.html", "<h1>{{_}}Ol\xc3\xa1, {{who}}!{{/_}}</h1>"
	    "<p>{{_}}Carrinho{{/_}} "
	    "{{_}}Sem tradu\xc3\xa7\xc3\xa3o{{/_}}</p>" },
	{ "tr-open.html", "<p>{{_}}Carrinho{{/_}} {{_}}aberto</p>" },
};

#define NTEMPLATES	(sizeof templates / sizeof templates[0])

/* Remove one entry of the folder being deleted. */
static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return (remove(path));
}

/* Write every template into dir.  Returns 0, or -1 if one failed. */
static int
write_templates(const char *dir)
{
	char	 path[256];
	FILE	*f;
	size_t	 i;

	for (i = 0; i < NTEMPLATES; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, templates[i].name);
		if ((f = fopen(path, "w")) == NULL)
			return (-1);
		fputs(templates[i].text, f);
		if (fclose(f) == EOF)
			return (-1);
	}
	return (0);
}

/*
 * Load template name from dir and render it with v into a string, which
 * the caller must free.  Returns NULL when the template does not load.
 */
static char *
render(const char *dir, const char *name, const struct tmpl_vars *v)
{
	struct tmpl	*t;
	struct html	 h;

	if ((t = tmpl_load(dir, name)) == NULL)
		return (NULL);
	html_init(&h);
	tmpl_render(t, v, &h);
	tmpl_free(t);
	return (buf_steal(&h.b));
}

/* Check that template name renders to want, then free the result. */
static void
check_render(const char *dir, const char *name, const struct tmpl_vars *v,
    const char *want, const char *claim)
{
	char	*got;

	got = render(dir, name, v);
	is_str(got, want, "%s", claim);
	free(got);
}

/* Loading: a template that exists, and one that does not. */
static void
test_load(const char *dir)
{
	struct tmpl	*t;

	t = tmpl_load(dir, "text.html");
	ok(t != NULL, "tmpl_load reads a template that exists");
	if (t != NULL)
		is_str(tmpl_name(t), "text.html", "tmpl_name is the file name");
	tmpl_free(t);
	ok(tmpl_load(dir, "missing.html") == NULL,
	    "tmpl_load of a missing file returns NULL");
}

/* {{x}} escapes the five special characters. */
static void
test_escape(const char *dir)
{
	struct tmpl_vars	*v;
	struct buf		 b;

	v = tmpl_vars_new();
	tmpl_set(v, "x", "Tom & Jerry <script>\"hi\" 'there'</script>");
	check_render(dir, "text.html", v, "<p>Tom &amp; Jerry &lt;script&gt;"
	    "&quot;hi&quot; &#39;there&#39;&lt;/script&gt;</p>\n",
	    "{{x}} escapes & < > \" and '");
	tmpl_set(v, "x", "second");
	check_render(dir, "text.html", v, "<p>second</p>\n",
	    "tmpl_set replaces an earlier value");
	tmpl_setf(v, "x", "%d < %s", 3, "4");
	check_render(dir, "text.html", v, "<p>3 &lt; 4</p>\n",
	    "a value set with tmpl_setf is escaped too");
	tmpl_set(v, "x", "S\xc3\xa3o Paulo");
	check_render(dir, "text.html", v, "<p>S\xc3\xa3o Paulo</p>\n",
	    "UTF-8 text passes unchanged");
	tmpl_vars_free(v);

	buf_init(&b);
	html_escape(&b, "a&b");
	html_escape(&b, "<>");
	is_str(b.data, "a&amp;b&lt;&gt;", "html_escape appends to the buffer");
	buf_free(&b);
}

/* {{&frag}} inserts rendered HTML, but never a text value. */
static void
test_fragment(const char *dir)
{
	struct tmpl_vars	*inner, *outer;
	struct tmpl		*t;
	struct html		 frag;

	inner = tmpl_vars_new();
	tmpl_set(inner, "who", "<i>Ana</i>");
	html_init(&frag);
	if ((t = tmpl_load(dir, "frag.html")) != NULL) {
		tmpl_render(t, inner, &frag);
		tmpl_free(t);
	}
	is_str(frag.b.data != NULL ? frag.b.data : "",
	    "<b>&lt;i&gt;Ana&lt;/i&gt;</b>",
	    "the fragment escapes its own text value");

	outer = tmpl_vars_new();
	tmpl_set_html(outer, "frag", &frag);
	tmpl_set(outer, "plain", "<b>x</b>");
	check_render(dir, "page.html", outer,
	    "<div><b>&lt;i&gt;Ana&lt;/i&gt;</b>|&lt;b&gt;x&lt;/b&gt;|"
	    "&lt;b&gt;&amp;lt;i&amp;gt;Ana&amp;lt;/i&amp;gt;&lt;/b&gt;</div>",
	    "{{&frag}} inserts rendered HTML as it is, {{&plain}} escapes a "
	    "text value, and {{frag}} escapes even rendered HTML");

	/* Rendering appends: the fragment twice. */
	if ((t = tmpl_load(dir, "frag.html")) != NULL) {
		tmpl_render(t, inner, &frag);
		tmpl_free(t);
	}
	is_str(frag.b.data != NULL ? frag.b.data : "",
	    "<b>&lt;i&gt;Ana&lt;/i&gt;</b><b>&lt;i&gt;Ana&lt;/i&gt;</b>",
	    "tmpl_render appends to what the html holds");
	html_free(&frag);
	tmpl_vars_free(inner);
	tmpl_vars_free(outer);
}

/* {{?flag}} and {{^flag}} sections; unset values render as nothing. */
static void
test_sections(const char *dir)
{
	struct tmpl_vars	*v;

	v = tmpl_vars_new();
	check_render(dir, "flags.html", v, "[no]",
	    "{{^flag}} shows and {{?flag}} hides when flag is unset");
	tmpl_set(v, "flag", "");
	check_render(dir, "flags.html", v, "[no]",
	    "a flag set to the empty string counts as unset");
	tmpl_set(v, "flag", "1");
	tmpl_set(v, "x", "<&>");
	check_render(dir, "flags.html", v, "[yes &lt;&amp;&gt;]",
	    "{{?flag}} shows, escaping values inside, and {{^flag}} hides "
	    "when flag is set");
	tmpl_vars_free(v);

	v = tmpl_vars_new();
	check_render(dir, "nested.html", v, ".",
	    "a section hides the sections nested in it");
	tmpl_set(v, "a", "1");
	check_render(dir, "nested.html", v, "A-.",
	    "a nested {{^b}} shows inside a shown section");
	tmpl_set(v, "b", "1");
	check_render(dir, "nested.html", v, "AB.",
	    "a nested {{?b}} shows inside a shown section");
	tmpl_vars_free(v);

	v = tmpl_vars_new();
	check_render(dir, "unset.html", v, "[][]",
	    "{{name}} and {{&name}} of unset values render as nothing");
	check_render(dir, "broken.html", v, "a {{x",
	    "a tag without its closing braces is copied as it is");
	tmpl_vars_free(v);
}

/* The English of two texts, as a catalog would give them. */
static const char *
english(const char *msgid, void *arg)
{
	int	*calls = arg;

	(*calls)++;
	if (strcmp(msgid, "Ol\xc3\xa1, {{who}}!") == 0)
		return ("Hello, <{{who}}>!");
	if (strcmp(msgid, "Carrinho") == 0)
		return ("Cart");
	return (NULL);
}

/* {{_}}text{{/_}}: translated at load, tags and all; kept without tr. */
static void
test_translate(const char *dir)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct tmpl		*t;
	struct html		 h;
	int			 calls = 0;

	tmpl_set(v, "who", "<Ana>");
	check_render(dir, "tr.html", v, "<h1>Ol\xc3\xa1, &lt;Ana&gt;!</h1>"
	    "<p>Carrinho Sem tradu\xc3\xa7\xc3\xa3o</p>",
	    "tmpl_load keeps the texts to translate as they are, markers "
	    "removed, tags inside working");
	html_init(&h);
	if ((t = tmpl_load_tr(dir, "tr.html", english, &calls)) != NULL) {
		tmpl_render(t, v, &h);
		tmpl_free(t);
	}
	is_str(buf_str(&h.b), "<h1>Hello, <&lt;Ana&gt;>!</h1>"
	    "<p>Cart Sem tradu\xc3\xa7\xc3\xa3o</p>",
	    "tmpl_load_tr puts in each translation, whose tags are parsed "
	    "and whose values are escaped; a text without one stays");
	is_int(calls, 3, "the translator is asked once per text");
	html_free(&h);

	html_init(&h);
	calls = 0;
	if ((t = tmpl_load_tr(dir, "tr-open.html", english, &calls)) !=
	    NULL) {
		tmpl_render(t, v, &h);
		tmpl_free(t);
	}
	is_str(buf_str(&h.b), "<p>Cart aberto</p>",
	    "a {{_}} left open shows nothing, and what follows is kept");
	html_free(&h);
	tmpl_vars_free(v);
}

/* Write the templates into a temporary folder, run the tests, clean up. */
int
main(void)
{
	char	dir[] = "/tmp/feira-tmpl.XXXXXX";

	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp failed\n");
		return (1);
	}
	if (write_templates(dir) == -1) {
		printf("Bail out! cannot write templates into %s\n", dir);
		nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
		return (1);
	}
	test_load(dir);
	test_escape(dir);
	test_fragment(dir);
	test_sections(dir);
	test_translate(dir);
	ok(nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS) == 0,
	    "the temporary folder is removed");
	return tap_done();
}
