/*
 * The languages of the pages: Brazilian Portuguese, the language the
 * templates and messages are written in, and English, a translation.
 * Picking one from a browser's Accept-Language, and writing money and
 * numbers the way each language does.
 */
#ifndef FEIRA_LANG_H
#define FEIRA_LANG_H

#include <stddef.h>
#include <stdint.h>

enum lang {
	LANG_PT,		/* pt-BR, the default and the source */
	LANG_EN,
	LANG__MAX
};

/* The language tags of RFC 5646, for <html lang> and Content-Language. */
extern const char *const lang_tags[LANG__MAX];
/* The names gettext knows their catalogs by. */
extern const char *const lang_catalogs[LANG__MAX];

/* The longest Accept-Language value read; a longer one is ignored. */
#define LANG_HEADER_MAX	1024

enum lang	 lang_pick(const char *);
void		 lang_price(char *, size_t, int64_t, enum lang);
void		 lang_decimal(char *, size_t, int64_t, enum lang);

#endif
