/*
 * The language of each page: Brazilian Portuguese, in which the templates
 * and messages are written, or English from po/en.po when the browser
 * asks for it.
 *
 * A worker answers one request at a time, so the language is the whole
 * process's for the request in hand: i18n_use points app->tmpl at the
 * templates of that language, translated once at start, and sets
 * LANGUAGE for gettext's lookups of the C messages.  gettext reads
 * LANGUAGE only when LC_MESSAGES is not "C"; C.UTF-8 is always there on
 * glibc and holds no catalogs of its own, so no locale needs installing.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "feira.h"
#include "log.h"

/* Where the catalogs are: FEIRA_LOCALEDIR, or where make install puts them. */
static const char *
i18n_dir(void)
{
	const char	*dir = getenv("FEIRA_LOCALEDIR");

	return (dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
}

/* Set up gettext for the whole process; the master calls it once. */
void
i18n_init(void)
{
#ifdef ENABLE_NLS
	if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL)
		log_warnx("i18n: no C.UTF-8 locale; every page will be in "
		    "Portuguese");
	if (bindtextdomain(PACKAGE, i18n_dir()) == NULL ||
	    bind_textdomain_codeset(PACKAGE, "UTF-8") == NULL ||
	    textdomain(PACKAGE) == NULL)
		fatal("i18n: bindtextdomain");
#endif
}

/* Answer the request in hand in lang, pages and messages alike. */
void
i18n_use(enum lang lang)
{
	app->lang = lang;
	app->tmpl = app->tmpls[lang];
#ifdef ENABLE_NLS
	/* The source language needs no catalog, and the logs stay as C. */
	if (lang == LANG_PT)
		unsetenv("LANGUAGE");
	else if (setenv("LANGUAGE", lang_catalogs[lang], 1) == -1)
		fatal("i18n: setenv");
#endif
}

/*
 * The translation of a template's text in the language i18n_use set, or
 * NULL when the catalog has none; for tmpl_load_tr.
 */
const char *
i18n_template_text(const char *msgid, void *arg)
{
	const char	*t;

	(void)arg;
	if (app->lang == LANG_PT)
		return (NULL);
	t = _(msgid);
	return (t != msgid ? t : NULL);
}
