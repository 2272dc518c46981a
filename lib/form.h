/*
 * Decoding application/x-www-form-urlencoded bodies and query strings
 * (WHATWG URL standard, section 5), and reading cookies (RFC 6265).
 */
#ifndef FEIRA_FORM_H
#define FEIRA_FORM_H

#include <stddef.h>

#include "buf.h"

#define FORM_FIELDS_MAX	64

struct form_field {
	char	*key;
	char	*value;
};

struct form {
	unsigned int		n;
	struct form_field	f[FORM_FIELDS_MAX];
};

int		 form_parse(struct form *, const char *, size_t);
void		 form_free(struct form *);
const char	*form_get(const struct form *, const char *);
const char	*form_unknown(const struct form *, const char *const *);
void		 form_encode(struct buf *, const char *);
int		 cookie_get(const char *, const char *, char *, size_t);

#endif
