/* The template renderer: every text value goes out escaped. */

#include "config.h"

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
#define TMPL_DEPTH_MAX	16

/* A template is parsed once, at load, into segments. */
enum tmpl_seg_kind {
	SEG_TEXT,		/* text of the template itself */
	SEG_VALUE,		/* {{name}} */
	SEG_HTML,		/* {{&name}} */
	SEG_IF,			/* {{?name}} */
	SEG_IFNOT,		/* {{^name}} */
	SEG_END,		/* {{/name}} */
	SEG__MAX
};

struct tmpl_seg {
	enum tmpl_seg_kind	 kind;
	size_t			 off;	/* SEG_TEXT: where in the text */
	size_t			 len;
	char			 name[TMPL_NAME_MAX + 1];
	size_t			 end;	/* SEG_IF, SEG_IFNOT: its SEG_END */
};

struct tmpl {
	char		*name;
	char		*text;
	size_t		 len;
	struct tmpl_seg	*segs;
	size_t		 nsegs;
};

/* A value: offsets into the arena, or borrowed HTML. */
struct tmpl_var {
	size_t		 key;
	size_t		 value;
	const char	*html;		/* set by tmpl_set_html, not owned */
};

struct tmpl_vars {
	unsigned int	n;
	struct tmpl_var	v[TMPL_VARS_MAX];
	struct buf	arena;		/* keys and text values, NUL-ended */
};

/* Append a segment to t and return it. */
static struct tmpl_seg *
tmpl_add_seg(struct tmpl *t, enum tmpl_seg_kind kind)
{
	struct tmpl_seg	*sg;

	t->segs = xreallocarray(t->segs, t->nsegs + 1, sizeof *t->segs);
	sg = &t->segs[t->nsegs++];
	memset(sg, 0, sizeof *sg);
	sg->kind = kind;
	return (sg);
}

/* Append text[off..off+len) as a text segment, if not empty. */
static void
tmpl_add_text(struct tmpl *t, size_t off, size_t len)
{
	struct tmpl_seg	*sg;

	if (len == 0)
		return;
	sg = tmpl_add_seg(t, SEG_TEXT);
	sg->off = off;
	sg->len = len;
}

/*
 * Parse the text of t into segments.  A tag that does not parse is kept
 * as text; an end tag that closes no section is dropped; a section left
 * open runs to the end of the template.
 */
static void
tmpl_parse(struct tmpl *t)
{
	const char		*p = t->text, *end = t->text + t->len;
	const char		*open, *close, *inner;
	size_t			 stack[TMPL_DEPTH_MAX], depth = 0, n;
	struct tmpl_seg		*sg;
	char			 kind;
	enum tmpl_seg_kind	 k;

	while (p < end) {
		open = memmem(p, (size_t)(end - p), "{{", 2);
		if (open == NULL) {
			tmpl_add_text(t, (size_t)(p - t->text),
			    (size_t)(end - p));
			break;
		}
		tmpl_add_text(t, (size_t)(p - t->text), (size_t)(open - p));
		close = memmem(open, (size_t)(end - open), "}}", 2);
		kind = open + 2 < end ? open[2] : '\0';
		inner = open + 2 + (strchr("&?^/", kind) != NULL &&
		    kind != '\0');
		if (close == NULL || close < inner ||
		    (n = (size_t)(close - inner)) == 0 || n > TMPL_NAME_MAX ||
		    ((kind == '?' || kind == '^') && depth == TMPL_DEPTH_MAX)) {
			tmpl_add_text(t, (size_t)(open - t->text), 2);
			p = open + 2;
			continue;
		}
		p = close + 2;
		k = kind == '&' ? SEG_HTML : kind == '?' ? SEG_IF :
		    kind == '^' ? SEG_IFNOT : kind == '/' ? SEG_END :
		    SEG_VALUE;
		if (k == SEG_END && (depth == 0 || strncmp(
		    t->segs[stack[depth - 1]].name, inner, n) != 0 ||
		    t->segs[stack[depth - 1]].name[n] != '\0'))
			continue;
		sg = tmpl_add_seg(t, k);
		memcpy(sg->name, inner, n);
		sg->name[n] = '\0';
		if (k == SEG_IF || k == SEG_IFNOT)
			stack[depth++] = t->nsegs - 1;
		else if (k == SEG_END)
			t->segs[stack[--depth]].end = t->nsegs - 1;
	}
	while (depth > 0) {
		log_warnx("tmpl: %s: %s has no end", t->name,
		    t->segs[stack[depth - 1]].name);
		tmpl_add_seg(t, SEG_END);
		t->segs[stack[--depth]].end = t->nsegs - 1;
	}
}

/*
 * Copy the text of b to out with every {{_}}text{{/_}} replaced by what
 * tr says of text, or by text itself when tr is NULL or knows none.  A
 * marker left open is kept as it is, with what follows it.
 */
static void
tmpl_translate(const struct buf *b, tmpl_tr_cb tr, void *arg,
    const char *name, struct buf *out)
{
	const char	*p = buf_str(b), *end = p + b->len, *open, *close;
	const char	*t;
	char		*msgid;

	while (p < end) {
		open = memmem(p, (size_t)(end - p), "{{_}}", 5);
		close = open == NULL ? NULL : memmem(open + 5,
		    (size_t)(end - open - 5), "{{/_}}", 6);
		if (open == NULL || close == NULL) {
			if (open != NULL)
				log_warnx("tmpl: %s: {{_}} has no end", name);
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		buf_add(out, p, (size_t)(open - p));
		msgid = xstrndup(open + 5, (size_t)(close - open - 5));
		if (tr == NULL || (t = tr(msgid, arg)) == NULL)
			t = msgid;
		buf_adds(out, t);
		free(msgid);
		p = close + 6;
	}
}

/*
 * Read template name from folder dir.  Returns it, to be freed with
 * tmpl_free, or NULL after logging why.
 */
struct tmpl *
tmpl_load(const char *dir, const char *name)
{
	return (tmpl_load_tr(dir, name, NULL, NULL));
}

/*
 * Read template name from folder dir, its texts to translate translated
 * by tr (see tmpl_translate).  Returns it, to be freed with tmpl_free, or
 * NULL after logging why.
 */
struct tmpl *
tmpl_load_tr(const char *dir, const char *name, tmpl_tr_cb tr, void *arg)
{
	struct tmpl	*t;
	char		*path;
	FILE		*f;
	struct buf	 b, text;
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
	buf_init(&text);
	tmpl_translate(&b, tr, arg, name, &text);
	buf_free(&b);
	t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->len = text.len;
	t->text = buf_steal(&text);
	tmpl_parse(t);
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
	free(t->segs);
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
	struct tmpl_vars	*v = xcalloc(1, sizeof *v);

	buf_init(&v->arena);
	return (v);
}

/* Free a set of values; v may be NULL. */
void
tmpl_vars_free(struct tmpl_vars *v)
{
	if (v == NULL)
		return;
	buf_free(&v->arena);
	free(v);
}

/* Forget every value but keep the memory, to fill the set again. */
void
tmpl_vars_reset(struct tmpl_vars *v)
{
	v->n = 0;
	buf_reset(&v->arena);
}

/* Find the value of key, or NULL. */
static struct tmpl_var *
tmpl_get(const struct tmpl_vars *v, const char *key)
{
	unsigned int	i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->arena.data + v->v[i].key, key) == 0)
			return ((struct tmpl_var *)&v->v[i]);
	return (NULL);
}

/* The slot of key, made if needed. */
static struct tmpl_var *
tmpl_slot(struct tmpl_vars *v, const char *key)
{
	struct tmpl_var	*var;

	if (v->n > 0 && (var = tmpl_get(v, key)) != NULL)
		return (var);
	if (v->n == TMPL_VARS_MAX)
		fatalx("tmpl: more than %d values", TMPL_VARS_MAX);
	var = &v->v[v->n++];
	var->key = v->arena.len;
	buf_add(&v->arena, key, strlen(key) + 1);
	return (var);
}

/* Set key to a text value, escaped wherever it is shown. */
void
tmpl_set(struct tmpl_vars *v, const char *key, const char *text)
{
	struct tmpl_var	*var = tmpl_slot(v, key);

	var->html = NULL;
	var->value = v->arena.len;
	buf_add(&v->arena, text, strlen(text) + 1);
}

/* Set key to a formatted text value, escaped wherever it is shown. */
void
tmpl_setf(struct tmpl_vars *v, const char *key, const char *fmt, ...)
{
	struct tmpl_var	*var = tmpl_slot(v, key);
	va_list		 ap;
	char		 small[64], *s = small;
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("tmpl_setf: bad format");
	if ((size_t)n >= sizeof small) {
		va_start(ap, fmt);
		if (vasprintf(&s, fmt, ap) == -1)
			fatal("tmpl_setf");
		va_end(ap);
	}
	var->html = NULL;
	var->value = v->arena.len;
	buf_add(&v->arena, s, (size_t)n + 1);
	if (s != small)
		free(s);
}

/*
 * Set key to HTML that a template rendered.  The HTML is not copied: h
 * must stay as it is until v is rendered, reset or freed.
 */
void
tmpl_set_html(struct tmpl_vars *v, const char *key, const struct html *h)
{
	struct tmpl_var	*var = tmpl_slot(v, key);

	var->html = buf_str(&h->b);
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

/* Append template t, filled with the values v, to out. */
void
tmpl_render(const struct tmpl *t, const struct tmpl_vars *v,
    struct html *out)
{
	const struct tmpl_seg	*sg;
	const struct tmpl_var	*var;
	size_t			 i;
	int			 shown;

	for (i = 0; i < t->nsegs; i++) {
		sg = &t->segs[i];
		if (sg->kind == SEG_TEXT) {
			buf_add(&out->b, t->text + sg->off, sg->len);
			continue;
		}
		if (sg->kind == SEG_END)
			continue;
		var = tmpl_get(v, sg->name);
		switch (sg->kind) {
		case SEG_VALUE:
		case SEG_HTML:
			if (var == NULL)
				log_debug("tmpl: %s: %s is not set", t->name,
				    sg->name);
			else if (var->html != NULL && sg->kind == SEG_HTML)
				buf_adds(&out->b, var->html);
			else if (var->html != NULL)
				html_escape(&out->b, var->html);
			else
				html_escape(&out->b, v->arena.data +
				    var->value);
			break;
		default:
			/* A section: show what lies up to its end, or not. */
			shown = var != NULL && (var->html != NULL ?
			    var->html[0] != '\0' :
			    v->arena.data[var->value] != '\0');
			if (sg->kind == SEG_IFNOT)
				shown = !shown;
			if (!shown)
				i = sg->end;
			break;
		}
	}
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
