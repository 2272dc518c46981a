/*
 * HTML templates with escaping by default.
 *
 * A template is text with tags:
 *   {{name}}                 the text value of name, HTML-escaped
 *   {{&name}}                a fragment set with tmpl_set_html: HTML that
 *                            another template rendered, so already safe
 *   {{?name}}...{{/name}}    the part shown when name is set and not empty
 *   {{^name}}...{{/name}}    the part shown when it is not
 *   {{_}}text{{/_}}          text to translate: tmpl_load_tr replaces it
 *                            with its translation, which may hold tags,
 *                            before the template is parsed
 * Text can only be set as text, and text is always escaped; the one way to
 * put HTML in a page is to render it from a template.  Rendered HTML lives
 * in a struct html, which only tmpl_render writes to.  Templates are
 * parsed once when loaded; values live in one arena per set.
 */
#ifndef FEIRA_TMPL_H
#define FEIRA_TMPL_H

#include "buf.h"

struct tmpl;
struct tmpl_vars;

/* HTML made by tmpl_render; read it through .b, never write to it. */
struct html {
	struct buf	b;
};

/* A translator: the translation of a text, or NULL for none. */
typedef const char	*(*tmpl_tr_cb)(const char *, void *);

struct tmpl		*tmpl_load(const char *, const char *);
struct tmpl		*tmpl_load_tr(const char *, const char *, tmpl_tr_cb,
			     void *);
void			 tmpl_free(struct tmpl *);
const char		*tmpl_name(const struct tmpl *);
struct tmpl_vars	*tmpl_vars_new(void);
void			 tmpl_vars_free(struct tmpl_vars *);
void			 tmpl_vars_reset(struct tmpl_vars *);
void			 tmpl_set(struct tmpl_vars *, const char *,
			     const char *);
void			 tmpl_setf(struct tmpl_vars *, const char *,
			     const char *, ...)
			     __attribute__((format(printf, 3, 4)));
void			 tmpl_set_html(struct tmpl_vars *, const char *,
			     const struct html *);
void			 tmpl_render(const struct tmpl *,
			     const struct tmpl_vars *, struct html *);
void			 html_init(struct html *);
void			 html_free(struct html *);
void			 html_escape(struct buf *, const char *);

#endif
