/* Validators for input from browsers, API clients and peers. */

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "product.h"
#include "order.h"
#include "utf8.h"
#include "valid.h"

/*
 * Is s well-formed UTF-8 of min to max bytes, free of control characters
 * (newlines and tabs allowed only when multiline), and not only spaces
 * when min is above zero?
 */
int
valid_text(const char *s, size_t min, size_t max, int multiline)
{
	size_t		 len = strlen(s), i;
	int		 blank = 1;
	unsigned char	 c;

	if (len < min || len > max || !utf8_valid(s, len))
		return (0);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\n' || c == '\r' || c == '\t') {
			if (!multiline)
				return (0);
		} else if (c < 0x20 || c == 0x7f)
			return (0);
		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			blank = 0;
	}
	return (min == 0 || !blank);
}

/* Is s a color written "#rrggbb"? */
int
valid_color(const char *s)
{
	size_t	i;

	if (strlen(s) != COLOR_LEN || s[0] != '#')
		return (0);
	for (i = 1; i < COLOR_LEN; i++)
		if (strchr("0123456789abcdefABCDEF", s[i]) == NULL)
			return (0);
	return (1);
}

/* Is s a marketplace name: a lower-case letter, then letters or digits? */
int
valid_market_name(const char *s)
{
	size_t	len = strlen(s), i;

	if (len == 0 || len > MARKET_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return (0);
	for (i = 1; i < len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789", s[i]) ==
		    NULL)
			return (0);
	return (1);
}

/*
 * Does s end, after the marketplace name and a dash, in a part made of
 * the characters in set, at most max bytes long?
 */
static int
valid_id(const char *s, const char *set, size_t max)
{
	char		 name[MARKET_NAME_MAX + 1];
	const char	*dash;
	size_t		 len;

	if ((dash = strchr(s, '-')) == NULL)
		return (0);
	len = (size_t)(dash - s);
	if (len > MARKET_NAME_MAX)
		return (0);
	memcpy(name, s, len);
	name[len] = '\0';
	if (!valid_market_name(name))
		return (0);
	len = strlen(dash + 1);
	if (len == 0 || len > max || strspn(dash + 1, set) != len)
		return (0);
	return (1);
}

/* Is s a product id, "name-N" with N a number without leading zero? */
int
valid_product_id(const char *s)
{
	const char	*dash;

	if (!valid_id(s, "0123456789", 18))
		return (0);
	dash = strchr(s, '-');
	return (dash[1] != '0');
}

/* Is s an order id, "name-" and 16 lower-case hexadecimal digits? */
int
valid_order_id(const char *s)
{
	const char	*dash;

	if (!valid_id(s, "0123456789abcdef", 16))
		return (0);
	dash = strchr(s, '-');
	return (strlen(dash + 1) == 16);
}

/* Is s an Idempotency-Key: 1 to 100 letters, digits, or . _ : - */
int
valid_idem_key(const char *s)
{
	size_t	len = strlen(s);

	return (len >= 1 && len <= IDEM_KEY_MAX && strspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._:-") == len);
}

/*
 * Is s a decimal integer from min to max, with nothing around it?  The
 * value goes to *out.  Leading zeros are allowed; signs only as '-'.
 */
int
valid_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char		*end;
	long long	 v;

	if (*s == '\0' || strlen(s) > 20 || strspn(s, "-0123456789") !=
	    strlen(s))
		return (0);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return (0);
	*out = v;
	return (1);
}
