/*
 * Unit tests of lib/utf8.c: which bytes are well-formed UTF-8, how text
 * folds for search, and when a folded query matches folded text.
 */

#include "config.h"

#include <string.h>

#include "buf.h"
#include "utf8.h"
#include "tap.h"

/* Is the NUL-terminated s well-formed UTF-8?  Returns 1 or 0. */
static int
valid(const char *s)
{
	return (utf8_valid(s, strlen(s)));
}

/* Check that in folds to want; claim names the input readably. */
static void
check_fold(const char *in, const char *want, const char *claim)
{
	struct buf	b;

	buf_init(&b);
	utf8_fold(&b, in);
	is_str(b.data != NULL ? b.data : "", want, "%s", claim);
	buf_free(&b);
}

/* Fold text and query, then match them as a search does. */
static int
fold_match(const char *text, const char *query)
{
	struct buf	t, q;
	int		rc;

	buf_init(&t);
	buf_init(&q);
	utf8_fold(&t, text);
	utf8_fold(&q, query);
	rc = utf8_match(t.data != NULL ? t.data : "",
	    q.data != NULL ? q.data : "");
	buf_free(&t);
	buf_free(&q);
	return (rc);
}

/* Well-formed text of one to four bytes per character is accepted. */
static void
test_valid_accepts(void)
{
	is_int(valid(""), 1, "the empty string is valid UTF-8");
	is_int(valid("camisa"), 1, "ASCII text is valid UTF-8");
	is_int(valid("S\xc3\xa3o Paulo"), 1,
	    "two-byte characters (\"S\xc3\xa3o\") are valid");
	is_int(valid("\xe2\x82\xac 10"), 1,
	    "a three-byte character (the euro sign) is valid");
	is_int(valid("\xf0\x9f\x98\x80"), 1,
	    "a four-byte character (U+1F600) is valid");
	is_int(valid("\xf4\x8f\xbf\xbf"), 1,
	    "U+10FFFF, the last code point, is valid");
	is_int(valid("\xed\x9f\xbf"), 1,
	    "U+D7FF, just below the surrogates, is valid");
	is_int(utf8_valid("abc\xff", 3), 1,
	    "utf8_valid reads only the n bytes it is given");
}

/* Every kind of ill-formed sequence is refused. */
static void
test_valid_refuses(void)
{
	is_int(valid("\xc0\xaf"), 0, "the overlong \"\\xc0\\xaf\" is refused");
	is_int(valid("\xe0\x80\xaf"), 0,
	    "the overlong three-byte \"\\xe0\\x80\\xaf\" is refused");
	is_int(valid("\xf0\x80\x80\xaf"), 0,
	    "the overlong four-byte \"\\xf0\\x80\\x80\\xaf\" is refused");
	is_int(valid("\xed\xa0\x80"), 0,
	    "the surrogate U+D800 \"\\xed\\xa0\\x80\" is refused");
	is_int(valid("\xed\xbf\xbf"), 0,
	    "the surrogate U+DFFF \"\\xed\\xbf\\xbf\" is refused");
	is_int(valid("\xf4\x90\x80\x80"), 0,
	    "a code point above U+10FFFF \"\\xf4\\x90\\x80\\x80\" is refused");
	is_int(valid("\xf5\x80\x80\x80"), 0, "the lead byte 0xf5 is refused");
	is_int(valid("abc\xc3"), 0,
	    "a two-byte sequence cut at the end is refused");
	is_int(valid("ab\xe2\x82"), 0,
	    "a three-byte sequence cut at the end is refused");
	is_int(utf8_valid("S\xc3\xa3o", 2), 0,
	    "a sequence cut by the length given is refused");
	is_int(valid("a\xc3(b"), 0,
	    "a lead byte followed by ASCII is refused");
	is_int(valid("\x80"), 0, "a lone continuation byte is refused");
	is_int(valid("\xff"), 0, "the byte 0xff is refused");
	is_int(utf8_valid("ab\0cd", 5), 0, "an embedded NUL byte is refused");
}

/* Case and accents fold away; other characters stay. */
static void
test_fold(void)
{
	struct buf	b;

	check_fold("S\xc3\xa3o Paulo", "sao paulo",
	    "utf8_fold turns \"S\xc3\xa3o Paulo\" into \"sao paulo\"");
	check_fold("GR\xc3\x8aMIO", "gremio",
	    "utf8_fold turns \"GR\xc3\x8aMIO\" into \"gremio\"");
	check_fold("Sa\xcc\x83o", "sao",
	    "utf8_fold drops the combining tilde of decomposed "
	    "\"Sa\\xcc\\x83o\" giving \"sao\"");
	check_fold("A\xc3\xa7\xc3\xa3o", "acao",
	    "utf8_fold turns \"A\xc3\xa7\xc3\xa3o\" into \"acao\"");
	check_fold("\xc3\x96l\xc3\xa7\xc3\xbc", "olcu",
	    "utf8_fold turns \"\xc3\x96l\xc3\xa7\xc3\xbc\" into \"olcu\"");
	check_fold("Be\xc5\x9fikta\xc5\x9f", "besiktas",
	    "utf8_fold turns \"Be\xc5\x9fikta\xc5\x9f\" (Latin Extended-A) "
	    "into \"besiktas\"");
	check_fold("\xc5\x81\xc3\xb3""d\xc5\xba", "lodz",
	    "utf8_fold turns \"\xc5\x81\xc3\xb3""d\xc5\xba\" into \"lodz\"");
	check_fold("Stra\xc3\x9f""e", "strasse",
	    "utf8_fold turns \"Stra\xc3\x9f""e\" into \"strasse\"");
	check_fold("\xc5\x92uvre", "oeuvre",
	    "utf8_fold turns \"\xc5\x92uvre\" into \"oeuvre\"");
	check_fold("2\xc3\x97""3", "2\xc3\x97""3",
	    "utf8_fold keeps the multiplication sign as it is");
	check_fold("Fu\xc3\x9f""ball \xe2\x9a\xbd", "fussball \xe2\x9a\xbd",
	    "utf8_fold keeps characters outside Latin (a football emoji)");
	check_fold("a\xff""B", "ab",
	    "utf8_fold skips the invalid byte of \"a\\xffB\"");
	check_fold("", "", "utf8_fold turns \"\" into \"\"");

	buf_init(&b);
	buf_adds(&b, "x ");
	utf8_fold(&b, "AB");
	is_str(b.data, "x ab", "utf8_fold appends to what the buffer holds");
	buf_free(&b);
}

/* Every word of the query must appear in the text. */
static void
test_match(void)
{
	const char	*text = "camisa sao paulo i";

	is_int(utf8_match(text, "sao paulo"), 1,
	    "\"sao paulo\" matches \"camisa sao paulo i\"");
	is_int(utf8_match(text, "paulo camisa"), 1,
	    "words match in any order");
	is_int(utf8_match(text, "  sao   paulo "), 1,
	    "extra spaces in the query are ignored");
	is_int(utf8_match(text, "sao santos"), 0,
	    "a query with one missing word does not match");
	is_int(utf8_match(text, "flamengo"), 0,
	    "a word absent from the text does not match");
	is_int(utf8_match(text, ""), 1, "the empty query matches anything");
	is_int(utf8_match("", ""), 1, "the empty query matches empty text");
	is_int(utf8_match(text, "   "), 1,
	    "a query of only spaces matches anything");
	is_int(utf8_match("", "sao"), 0, "a word never matches empty text");
	is_int(fold_match("Camisa S\xc3\xa3o Paulo I", "SAO paulo"), 1,
	    "after folding, \"SAO paulo\" matches "
	    "\"Camisa S\xc3\xa3o Paulo I\"");
	is_int(fold_match("Camisa Gr\xc3\xaamio", "GRE\xcc\x82MIO"), 1,
	    "after folding, decomposed \"GRE\\xcc\\x82MIO\" matches "
	    "\"Gr\xc3\xaamio\"");
}

/* Run every group of tests. */
int
main(void)
{
	test_valid_accepts();
	test_valid_refuses();
	test_fold();
	test_match();
	return tap_done();
}
