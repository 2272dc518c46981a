/* Choosing the language of a page, and money written in it. */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lang.h"

const char *const lang_tags[LANG__MAX] = {
	"pt-BR",		/* LANG_PT */
	"en",			/* LANG_EN */
};

const char *const lang_catalogs[LANG__MAX] = {
	"pt_BR",		/* LANG_PT */
	"en",			/* LANG_EN */
};

/* The primary subtag each language answers to, in any region. */
static const char *const lang_primary[LANG__MAX] = {
	"pt",			/* LANG_PT */
	"en",			/* LANG_EN */
};

/*
 * Read the weight of one element of Accept-Language, the part after
 * ";" (RFC 9110, 12.4.2): "q=" then "0", "0.ddd", "1" or "1.000", with
 * spaces around.  Other parameters are not defined for this header.
 * Returns the weight in thousandths, or -1 when it does not parse.
 */
static int
lang_weight(const char *s, size_t len)
{
	size_t	i = 0, digits = 0;
	int	w;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (len - i < 3 || (s[i] != 'q' && s[i] != 'Q') || s[i + 1] != '=')
		return (-1);
	i += 2;
	if (s[i] != '0' && s[i] != '1')
		return (-1);
	w = (s[i++] - '0') * 1000;
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++digits > 3)
				return (-1);
			w += (s[i] - '0') * (digits == 1 ? 100 :
			    digits == 2 ? 10 : 1);
		}
	}
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i != len || w > 1000)
		return (-1);
	return (w);
}

/*
 * Which language does the language range s[0..len) of RFC 4647 ask for?
 * The primary subtag decides: "en-GB" asks for English, "pt" or "pt-PT"
 * for Portuguese, "*" for any (the default).  Returns the language, or
 * -1 for one we do not have or a range that does not parse.
 */
static int
lang_range(const char *s, size_t len)
{
	size_t	i, n = 0, primary = 0;
	int	alpha, digit;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 1 && s[0] == '*')
		return (LANG_PT);
	for (i = 0; i < len; i++) {
		alpha = (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z');
		digit = s[i] >= '0' && s[i] <= '9';
		if (s[i] == '-' && n > 0) {
			if (primary == 0)
				primary = i;
			n = 0;
		} else if ((alpha || (digit && primary > 0)) && n < 8)
			n++;
		else
			return (-1);
	}
	if (n == 0)
		return (-1);
	if (primary == 0)
		primary = len;
	for (i = 0; i < LANG__MAX; i++)
		if (strlen(lang_primary[i]) == primary &&
		    strncasecmp(s, lang_primary[i], primary) == 0)
			return ((int)i);
	return (-1);
}

/*
 * Pick the language of a page from an Accept-Language header value
 * (RFC 9110, 12.5.4), or NULL when the browser sent none: the language
 * of the highest weight that we have, the first of them on a tie;
 * Portuguese when none is asked for, or the header does not parse.
 * Elements that do not parse are skipped, as the RFC allows.
 */
enum lang
lang_pick(const char *h)
{
	const char	*p, *end, *semi;
	int		 best = LANG_PT, best_w = 0, l, w;

	if (h == NULL || strlen(h) > LANG_HEADER_MAX)
		return (LANG_PT);
	for (p = h; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = p + strcspn(p, ",");
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			continue;
		semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			w = 1000;
		else if ((w = lang_weight(semi + 1, (size_t)(end - semi -
		    1))) == -1)
			continue;
		l = lang_range(p, (size_t)((semi != NULL ? semi : end) - p));
		if (l == -1 || w <= best_w)
			continue;
		best = l;
		best_w = w;
	}
	return ((enum lang)best);
}

/*
 * Write the whole reais of cents with a separator every three digits,
 * then the decimal mark and the centavos, into out.
 */
static void
lang_number(char *out, size_t size, int64_t cents, char group, char mark)
{
	char		digits[32], grouped[48];
	size_t		n, i, o = 0;
	long long	c = (long long)cents;

	if (c < 0)
		c = -c;
	snprintf(digits, sizeof digits, "%lld", c / 100);
	n = strlen(digits);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0 && group != '\0')
			grouped[o++] = group;
		grouped[o++] = digits[i];
	}
	grouped[o] = '\0';
	snprintf(out, size, "%s%s%c%02lld", cents < 0 ? "-" : "", grouped,
	    mark, c % 100);
}

/*
 * Write cents as a price in reais the way lang writes money: "R$ 1.234,56"
 * in Portuguese, "R$1,234.56" in English.
 */
void
lang_price(char *out, size_t size, int64_t cents, enum lang lang)
{
	char	n[64];

	if (lang == LANG_EN) {
		lang_number(n, sizeof n, cents, ',', '.');
		snprintf(out, size, "R$%s", n);
	} else {
		lang_number(n, sizeof n, cents, '.', ',');
		snprintf(out, size, "R$ %s", n);
	}
}

/*
 * Write cents as reais to be typed into a form, without grouping:
 * "1234,56" in Portuguese, "1234.56" in English.  Both are read back.
 */
void
lang_decimal(char *out, size_t size, int64_t cents, enum lang lang)
{
	lang_number(out, size, cents, '\0', lang == LANG_EN ? '.' : ',');
}
