/*
 * UTF-8 (RFC 3629) checking, and the folding that lets a shopper search
 * without caring for case or accents: "São Paulo" and "SAO PAULO" both fold
 * to "sao paulo".
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

/*
 * Base letters of U+0100 to U+017F (Latin Extended-A), in runs: each run
 * covers code points from first up to the next run's first.
 */
static const struct {
	uint16_t	 first;
	const char	*base;
} utf8_ext_a[] = {
	{ 0x100, "a" }, { 0x106, "c" }, { 0x10e, "d" }, { 0x112, "e" },
	{ 0x11c, "g" }, { 0x124, "h" }, { 0x128, "i" }, { 0x132, "ij" },
	{ 0x134, "j" }, { 0x136, "k" }, { 0x139, "l" }, { 0x143, "n" },
	{ 0x14c, "o" }, { 0x152, "oe" }, { 0x154, "r" }, { 0x15a, "s" },
	{ 0x162, "t" }, { 0x168, "u" }, { 0x174, "w" }, { 0x176, "y" },
	{ 0x179, "z" }, { 0x17f, "s" }, { 0x180, NULL },
};

/*
 * Base letters of U+00C0 to U+00FF (Latin-1 Supplement letters); NULL
 * keeps the character as it is (the multiplication and division signs).
 */
static const char *const utf8_latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* U+00C0 */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* U+00C8 */
	"d", "n", "o", "o", "o", "o", "o", NULL,	/* U+00D0 */
	"o", "u", "u", "u", "u", "y", "th", "ss",	/* U+00D8 */
	"a", "a", "a", "a", "a", "a", "ae", "c",	/* U+00E0 */
	"e", "e", "e", "e", "i", "i", "i", "i",		/* U+00E8 */
	"d", "n", "o", "o", "o", "o", "o", NULL,	/* U+00F0 */
	"o", "u", "u", "u", "u", "y", "th", "y",	/* U+00F8 */
};

/*
 * Decode one code point at s (n bytes left) into *cp.  Returns its length
 * in bytes, or 0 when the sequence is not well-formed UTF-8: overlong
 * forms, surrogates and code points above U+10FFFF are all refused.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t		len, i;
	uint32_t	c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2; c = s[0] & 0x1f; min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3; c = s[0] & 0x0f; min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return (0);
	if (n < len)
		return (0);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (len);
}

/* Is s[0..n) well-formed UTF-8 without NUL bytes?  Returns 1 or 0. */
int
utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, len;
	uint32_t		 cp;

	for (i = 0; i < n; i += len) {
		if (p[i] == '\0')
			return (0);
		if ((len = utf8_decode(p + i, n - i, &cp)) == 0)
			return (0);
	}
	return (1);
}

/*
 * Append the folded form of the UTF-8 string s to out: ASCII letters in
 * lower case, Latin letters without their accents, combining marks
 * (U+0300 to U+036F, as in decomposed text) dropped, anything else kept.
 * Invalid bytes are skipped one at a time.
 */
void
utf8_fold(struct buf *out, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = strlen(s), i, len, k;
	uint32_t		 cp;

	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode(p + i, n - i, &cp)) == 0) {
			len = 1;
			continue;
		}
		if (cp < 0x80) {
			if (cp >= 'A' && cp <= 'Z')
				cp += 'a' - 'A';
			buf_addc(out, (char)cp);
		} else if (cp >= 0xc0 && cp <= 0xff &&
		    utf8_latin1[cp - 0xc0] != NULL)
			buf_adds(out, utf8_latin1[cp - 0xc0]);
		else if (cp >= 0x100 && cp < 0x180) {
			for (k = 0; utf8_ext_a[k + 1].first <= cp; k++)
				continue;
			buf_adds(out, utf8_ext_a[k].base);
		} else if (cp >= 0x300 && cp <= 0x36f)
			continue;
		else
			buf_add(out, p + i, len);
	}
}

/*
 * Does every word of the folded query appear in the folded text?  Words
 * are separated by spaces.  An empty query matches everything.  Returns 1
 * or 0.
 */
int
utf8_match(const char *text, const char *query)
{
	const char	*w, *end;
	size_t		 tlen = strlen(text);

	for (w = query; *w != '\0'; w = end) {
		while (*w == ' ')
			w++;
		if (*w == '\0')
			break;
		if ((end = strchr(w, ' ')) == NULL)
			end = w + strlen(w);
		if (memmem(text, tlen, w, (size_t)(end - w)) == NULL)
			return (0);
	}
	return (1);
}
