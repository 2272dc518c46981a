/*
 * Unit tests of lib/form.c: decoding urlencoded bodies, finding fields,
 * refusing unknown or repeated ones, and reading cookies.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "form.h"
#include "tap.h"

/* Parse the NUL-terminated s into f. */
static int
parse(struct form *f, const char *s)
{
	return (form_parse(f, s, strlen(s)));
}

/* Check that s is refused and leaves no field behind. */
static void
check_refused(const char *s, const char *claim)
{
	struct form	f;
	int		rc;

	rc = parse(&f, s);
	ok(rc == -1 && f.n == 0, "%s", claim);
	form_free(&f);
}

/* Pairs, '+' and %XX decoding, empty pairs and values. */
static void
test_parse(void)
{
	struct form	f;

	is_int(parse(&f, "a=1&b=x+y%20z"), 0, "\"a=1&b=x+y%%20z\" parses");
	is_int(f.n, 2, "it holds two fields");
	is_str(f.f[0].key, "a", "the first key is \"a\"");
	is_str(f.f[0].value, "1", "the first value is \"1\"");
	is_str(f.f[1].key, "b", "the second key is \"b\"");
	is_str(f.f[1].value, "x y z", "'+' and %%20 both decode to a space");
	form_free(&f);
	is_int(f.n, 0, "form_free leaves no field");

	is_int(parse(&f, "&&a=1&&b=2&"), 0, "empty pairs parse");
	is_int(f.n, 2, "empty pairs are skipped, leaving two fields");
	is_str(form_get(&f, "b"), "2", "the field after empty pairs is kept");
	form_free(&f);

	is_int(parse(&f, "flag&x="), 0, "a key without '=' parses");
	is_int(f.n, 2, "\"flag&x=\" holds two fields");
	is_str(form_get(&f, "flag"), "", "a key without '=' has an empty "
	    "value");
	is_str(form_get(&f, "x"), "", "\"x=\" has an empty value");
	form_free(&f);

	is_int(parse(&f, "%6eame=S%C3%A3o+Paulo"), 0,
	    "escaped keys and UTF-8 values parse");
	is_str(form_get(&f, "name"), "S\xc3\xa3o Paulo",
	    "\"%%6eame=S%%C3%%A3o+Paulo\" decodes to name=\"S\xc3\xa3o "
	    "Paulo\"");
	form_free(&f);

	is_int(parse(&f, "a=1%2B1%3D2%26"), 0, "escaped '+', '=' and '&' "
	    "parse");
	is_str(form_get(&f, "a"), "1+1=2&", "escaped '+', '=' and '&' are "
	    "kept as data");
	form_free(&f);

	is_int(form_parse(&f, "a=1&b=2", 3), 0, "form_parse reads only the "
	    "length given");
	is_int(f.n, 1, "only \"a=1\" of \"a=1&b=2\" is read with length 3");
	form_free(&f);

	is_int(form_parse(&f, "", 0), 0, "an empty body parses");
	is_int(f.n, 0, "an empty body has no field");
	form_free(&f);
}

/* Broken escapes, NUL, invalid UTF-8 and too many pairs. */
static void
test_parse_refused(void)
{
	struct buf	b;
	struct form	f;
	int		i, rc;

	check_refused("%4", "a key of \"%4\" (one digit) is refused");
	check_refused("a=%4", "a value of \"%4\" (one digit) is refused");
	check_refused("a=1%", "a '%' at the end is refused");
	check_refused("a=%zz", "\"%zz\" is refused");
	check_refused("a=%4g", "\"%4g\" is refused");
	check_refused("a=%00", "\"%00\" (a NUL byte) is refused");
	check_refused("a=%ff", "\"%ff\" (invalid UTF-8) is refused");
	check_refused("a=%C0%AF", "an overlong \"%C0%AF\" is refused");
	check_refused("ok=1&a=%zz", "a bad second pair refuses the whole body");

	/* FORM_FIELDS_MAX pairs pass; one more does not. */
	buf_init(&b);
	for (i = 0; i < FORM_FIELDS_MAX; i++)
		buf_addf(&b, "%sk%d=%d", i > 0 ? "&" : "", i, i);
	rc = form_parse(&f, b.data, b.len);
	is_int(rc, 0, "FORM_FIELDS_MAX (%d) pairs are accepted",
	    FORM_FIELDS_MAX);
	is_int(f.n, FORM_FIELDS_MAX, "all %d pairs are kept", FORM_FIELDS_MAX);
	is_str(form_get(&f, "k63"), "63", "the last of 64 pairs is readable");
	form_free(&f);
	buf_addf(&b, "&k%d=%d", FORM_FIELDS_MAX, FORM_FIELDS_MAX);
	rc = form_parse(&f, b.data, b.len);
	ok(rc == -1 && f.n == 0, "FORM_FIELDS_MAX + 1 pairs are refused");
	form_free(&f);
	buf_free(&b);
}

/* Looking fields up, and catching unknown and repeated ones. */
static void
test_get_unknown(void)
{
	static const char *const allowed[] = { "name", "team", NULL };
	struct form		 f;

	parse(&f, "name=Camisa&team=Bahia");
	is_str(form_get(&f, "team"), "Bahia", "form_get finds \"team\"");
	ok(form_get(&f, "price") == NULL, "form_get of a missing key is NULL");
	ok(form_get(&f, "nam") == NULL, "form_get does not match a prefix");
	ok(form_unknown(&f, allowed) == NULL,
	    "a form of only allowed keys has nothing unknown");
	form_free(&f);

	parse(&f, "name=Camisa&colour=red");
	is_str(form_unknown(&f, allowed), "colour",
	    "form_unknown names the key that is not allowed");
	form_free(&f);

	parse(&f, "name=A&team=B&name=C");
	is_str(form_unknown(&f, allowed), "name",
	    "form_unknown names a key given twice");
	is_str(form_get(&f, "name"), "A", "form_get returns the first of "
	    "repeated values");
	form_free(&f);

	parse(&f, "");
	ok(form_unknown(&f, allowed) == NULL,
	    "an empty form has nothing unknown");
	form_free(&f);
}

/* Cookies: several, missing, prefixes, and a value too long to fit. */
static void
test_cookie(void)
{
	const char	*h = "sid=abc123; csrf=def456; theme=dark";
	char		 out[16];

	memset(out, 0, sizeof out);
	is_int(cookie_get(h, "sid", out, sizeof out), 0, "the first cookie "
	    "is found");
	is_str(out, "abc123", "the value of sid is \"abc123\"");
	is_int(cookie_get(h, "csrf", out, sizeof out), 0, "a middle cookie "
	    "is found");
	is_str(out, "def456", "the value of csrf is \"def456\"");
	is_int(cookie_get(h, "theme", out, sizeof out), 0, "the last cookie "
	    "is found");
	is_str(out, "dark", "the value of theme is \"dark\"");
	is_int(cookie_get(h, "user", out, sizeof out), -1,
	    "a missing cookie is -1");
	is_int(cookie_get(h, "si", out, sizeof out), -1,
	    "a prefix of a cookie name does not match");
	is_int(cookie_get("xsid=1; sid=2", "sid", out, sizeof out), 0,
	    "a cookie is found after one whose name ends like it");
	is_str(out, "2", "\"sid\" is not read from \"xsid\"");
	is_int(cookie_get("a=1;b=2", "b", out, sizeof out), 0,
	    "cookies without a space after ';' are found");
	is_str(out, "2", "the value of b in \"a=1;b=2\" is \"2\"");
	is_int(cookie_get("", "sid", out, sizeof out), -1,
	    "an empty header holds no cookie");
	is_int(cookie_get("sid=abcdef", "sid", out, 6), -1,
	    "a 6-byte value does not fit in 6 bytes");
	is_int(cookie_get("sid=abcdef", "sid", out, 7), 0,
	    "a 6-byte value fits in 7 bytes");
	is_str(out, "abcdef", "the value that fits is copied whole");
}

/* Run every group of tests. */
/* form_encode writes what form_parse reads back unchanged. */
static void
test_encode(void)
{
	static const char *const	 values[] = {
		"camisa", "S\xc3\xa3o Paulo", "a&b=c+d%e",
		"100% <algod\xc3\xa3o>",
		"x/y?z#w", "*-._~",
	};
	struct buf			 b;
	struct form			 f;
	size_t				 i;

	buf_init(&b);
	form_encode(&b, "S\xc3\xa3o Paulo & Cia");
	is_str(buf_str(&b), "S%C3%A3o+Paulo+%26+Cia",
	    "form_encode writes a space as + and other bytes as %%XX");
	for (i = 0; i < sizeof values / sizeof values[0]; i++) {
		buf_reset(&b);
		buf_adds(&b, "v=");
		form_encode(&b, values[i]);
		if (form_parse(&f, b.data, b.len) == -1) {
			ok(0, "form_parse reads the encoding of \"%s\"",
			    values[i]);
			continue;
		}
		is_str(form_get(&f, "v"), values[i],
		    "\"%s\" comes back from form_encode and form_parse",
		    values[i]);
		form_free(&f);
	}
	buf_free(&b);
}

int
main(void)
{
	test_parse();
	test_parse_refused();
	test_get_unknown();
	test_cookie();
	test_encode();
	return tap_done();
}
