/* Form bodies, query strings and cookies. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "form.h"
#include "utf8.h"
#include "xmalloc.h"

/* Value of one hexadecimal digit, or -1. */
static int
form_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Decode s[0..len): '+' is a space, %XX a byte.  Returns a new string, or
 * NULL when an escape is broken or the result is not UTF-8 without NUL.
 */
static char *
form_decode(const char *s, size_t len)
{
	char	*out, *o;
	size_t	 i;
	int	 hi, lo;

	o = out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%') {
			if (i + 2 >= len) {
				free(out);
				return (NULL);
			}
			hi = form_hexval(s[i + 1]);
			lo = form_hexval(s[i + 2]);
			if (hi == -1 || lo == -1) {
				free(out);
				return (NULL);
			}
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	if (!utf8_valid(out, (size_t)(o - out))) {
		free(out);
		return (NULL);
	}
	return (out);
}

/*
 * Parse s[0..len) as name=value pairs joined by '&'.  Empty pairs are
 * skipped.  Returns 0, or -1 (with f emptied) when the text is malformed
 * or has more than FORM_FIELDS_MAX pairs.
 */
int
form_parse(struct form *f, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *amp, *eq;
	char		*key, *value;

	memset(f, 0, sizeof *f);
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (f->n == FORM_FIELDS_MAX)
			goto fail;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if ((key = form_decode(p, (size_t)(eq - p))) == NULL)
			goto fail;
		value = form_decode(eq == amp ? eq : eq + 1,
		    eq == amp ? 0 : (size_t)(amp - eq - 1));
		if (value == NULL) {
			free(key);
			goto fail;
		}
		f->f[f->n].key = key;
		f->f[f->n].value = value;
		f->n++;
		p = amp + 1;
	}
	return (0);

fail:
	form_free(f);
	return (-1);
}

/* Free the decoded pairs. */
void
form_free(struct form *f)
{
	unsigned int	i;

	for (i = 0; i < f->n; i++) {
		free(f->f[i].key);
		free(f->f[i].value);
	}
	f->n = 0;
}

/* The value of the first field named key, or NULL. */
const char *
form_get(const struct form *f, const char *key)
{
	unsigned int	i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->f[i].key, key) == 0)
			return (f->f[i].value);
	return (NULL);
}

/*
 * The name of the first field that is not in the NULL-terminated list
 * allowed, or that appears twice; NULL when there is none.
 */
const char *
form_unknown(const struct form *f, const char *const *allowed)
{
	unsigned int	i, j;
	size_t		k;

	for (i = 0; i < f->n; i++) {
		for (k = 0; allowed[k] != NULL; k++)
			if (strcmp(f->f[i].key, allowed[k]) == 0)
				break;
		if (allowed[k] == NULL)
			return (f->f[i].key);
		for (j = 0; j < i; j++)
			if (strcmp(f->f[i].key, f->f[j].key) == 0)
				return (f->f[i].key);
	}
	return (NULL);
}

/*
 * Copy the value of cookie name from a Cookie header (NULL for none) into
 * out of size bytes.  Returns 0, or -1 when the cookie is missing or does
 * not fit.
 */
int
cookie_get(const char *header, const char *name, char *out, size_t size)
{
	const char	*p = header, *end;
	size_t		 nlen = strlen(name), vlen;

	if (p == NULL)
		return (-1);
	while (*p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			vlen = (size_t)(end - p) - nlen - 1;
			if (vlen >= size)
				return (-1);
			memcpy(out, p + nlen + 1, vlen);
			out[vlen] = '\0';
			return (0);
		}
		p = end;
	}
	return (-1);
}

/*
 * Append s to out encoded for a query string, as a form does
 * (application/x-www-form-urlencoded): a space is '+', every byte other
 * than a letter, a digit or one of "*-._" is %XX.  form_parse reads it
 * back as it was.
 */
void
form_encode(struct buf *out, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";
	unsigned char		c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("*-._", c) != NULL)
			buf_addc(out, (char)c);
		else if (c == ' ')
			buf_addc(out, '+');
		else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 0xf]);
		}
	}
}
