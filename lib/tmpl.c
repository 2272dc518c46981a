/* The template renderer: every text value goes out escaped. */

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tmpl.h"
#include "xmalloc.h"

#define TMPL_VARS_MAX	64
#define TMPL_NAME_MAX	40
#define TMPL_SIZE_MAX	(256 * 1024)

struct tmpl {
	char	*name;
	char	*text;
	size_t	 len;
};

struct tmpl_var {
	char	*key;
	char	*value;
	int	 is_html;
};

struct tmpl_vars {
	unsigned int	n;
	struct tmpl_var	v[TMPL_VARS_MAX];
};

/*
 * Read template name from folder dir.  Returns it, to be freed with
 * tmpl_free, or NULL after logging why.
 */
struct tmpl *
tmpl_load(const char *dir, const char *name)
{
	struct tmpl	*t;
	char		*path;
	FILE		*f;
	struct buf	 b;
	char		 chunk[8192];
	size_t		 n;

	xasprintf(&path, "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL) {
		log_warn("tmpl: %s", path);
		free(path);
		return (NULL);
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > TMPL_SIZE_MAX) {
			log_warnx("tmpl: %s is too large", path);
			break;
		}
	}
	if (ferror(f) || b.len > TMPL_SIZE_MAX) {
		log_warnx("tmpl: cannot read %s", path);
		fclose(f);
		buf_free(&b);
		free(path);
		return (NULL);
	}
	fclose(f);
	free(path);
	t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->len = b.len;
	t->text = buf_steal(&b);
	return (t);
}

/* Free a template; t may be NULL. */
void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->text);
	free(t);
}

/* The file name a template was loaded from. */
const char *
tmpl_name(const struct tmpl *t)
{
	return (t->name);
}

/* A new empty set of values, to be freed with tmpl_vars_free. */
struct tmpl_vars *
tmpl_vars_new(void)
{
	return (xcalloc(1, sizeof(struct tmpl_vars)));
}

/* Free a set of values; v may be NULL. */
void
tmpl_vars_free(struct tmpl_vars *v)
{
	unsigned int	i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		free(v->v[i].key);
		free(v->v[i].value);
	}
	free(v);
}

/* Store value under key, replacing an earlier value. */
static void
tmpl_put(struct tmpl_vars *v, const char *key, char *value, int is_html)
{
	unsigned int	i;

	for (i = 0; i < v->n; i++) {
		if (strcmp(v->v[i].key, key) == 0) {
			free(v->v[i].value);
			v->v[i].value = value;
			v->v[i].is_html = is_html;
			return;
		}
	}
	if (v->n == TMPL_VARS_MAX)
		fatalx("tmpl: more than %d values", TMPL_VARS_MAX);
	v->v[v->n].key = xstrdup(key);
	v->v[v->n].value = value;
	v->v[v->n].is_html = is_html;
	v->n++;
}

/* Set key to a text value, escaped wherever it is shown. */
void
tmpl_set(struct tmpl_vars *v, const char *key, const char *text)
{
	tmpl_put(v, key, xstrdup(text), 0);
}

/* Set key to a formatted text value, escaped wherever it is shown. */
void
tmpl_setf(struct tmpl_vars *v, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		fatal("tmpl_setf");
	va_end(ap);
	tmpl_put(v, key, s, 0);
}

/* Set key to HTML that a template rendered. */
void
tmpl_set_html(struct tmpl_vars *v, const char *key, const struct html *h)
{
	tmpl_put(v, key, xstrdup(h->b.data != NULL ? h->b.data : ""), 1);
}

/* Find the value of key, or NULL. */
static const struct tmpl_var *
tmpl_get(const struct tmpl_vars *v, const char *key)
{
	unsigned int	i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i].key, key) == 0)
			return (&v->v[i]);
	return (NULL);
}

/* Append s to out with & < > " ' written as character references. */
void
html_escape(struct buf *out, const char *s)
{
	const char	*run = s;

	for (; *s != '\0'; s++) {
		const char	*ref;

		switch (*s) {
		case '&':
			ref = "&amp;";
			break;
		case '<':
			ref = "&lt;";
			break;
		case '>':
			ref = "&gt;";
			break;
		case '"':
			ref = "&quot;";
			break;
		case '\'':
			ref = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(out, run, (size_t)(s - run));
		buf_adds(out, ref);
		run = s + 1;
	}
	buf_add(out, run, (size_t)(s - run));
}

/*
 * Render text[0..len) of template t into out.  Tags that do not parse are
 * copied as they are; a tag naming an unset value renders as nothing.
 */
static void
tmpl_render_part(const struct tmpl *t, const char *text, size_t len,
    const struct tmpl_vars *v, struct buf *out)
{
	const char		*p = text, *end = text + len, *open, *close;
	const char		*inner, *stop;
	const struct tmpl_var	*var;
	char			 name[TMPL_NAME_MAX + 1], endtag[TMPL_NAME_MAX + 6];
	char			 kind;
	size_t			 n;
	int			 shown;

	while (p < end) {
		open = memmem(p, (size_t)(end - p), "{{", 2);
		if (open == NULL) {
			buf_add(out, p, (size_t)(end - p));
			return;
		}
		buf_add(out, p, (size_t)(open - p));
		close = memmem(open, (size_t)(end - open), "}}", 2);
		kind = open + 2 < end ? open[2] : '\0';
		inner = open + 2 + (strchr("&?^", kind) != NULL);
		if (close == NULL || (n = (size_t)(close - inner)) == 0 ||
		    n > TMPL_NAME_MAX) {
			buf_add(out, "{{", 2);
			p = open + 2;
			continue;
		}
		memcpy(name, inner, n);
		name[n] = '\0';
		var = tmpl_get(v, name);
		p = close + 2;

		if (kind != '?' && kind != '^') {
			if (var == NULL)
				log_debug("tmpl: %s: %s is not set", t->name,
				    name);
			else if (kind == '&' && var->is_html)
				buf_adds(out, var->value);
			else
				html_escape(out, var->value);
			continue;
		}

		/* A section: render what lies up to its end tag, or not. */
		snprintf(endtag, sizeof endtag, "{{/%s}}", name);
		stop = memmem(p, (size_t)(end - p), endtag, strlen(endtag));
		if (stop == NULL) {
			log_warnx("tmpl: %s: %s has no end", t->name, name);
			return;
		}
		shown = var != NULL && var->value[0] != '\0';
		if (kind == '^')
			shown = !shown;
		if (shown)
			tmpl_render_part(t, p, (size_t)(stop - p), v, out);
		p = stop + strlen(endtag);
	}
}

/* Append template t, filled with the values v, to out. */
void
tmpl_render(const struct tmpl *t, const struct tmpl_vars *v,
    struct html *out)
{
	tmpl_render_part(t, t->text, t->len, v, &out->b);
}

/* Start an empty piece of HTML. */
void
html_init(struct html *h)
{
	buf_init(&h->b);
}

/* Free a piece of HTML. */
void
html_free(struct html *h)
{
	buf_free(&h->b);
}
