/*
 * Unit tests of lib/lang.c: the language a browser's Accept-Language
 * picks, Portuguese whenever it asks for nothing we have or says nothing
 * that parses, and prices written the way each language writes money.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "lang.h"
#include "tap.h"

/* Which language each header picks. */
static void
test_pick(void)
{
	static const struct {
		const char	*header;
		enum lang	 want;
		const char	*claim;
	} cases[] = {
		{ NULL, LANG_PT, "no header picks Portuguese" },
		{ "", LANG_PT, "an empty header picks Portuguese" },
		{ "en", LANG_EN, "\"en\" picks English" },
		{ "en-US,en;q=0.9", LANG_EN,
		    "\"en-US,en;q=0.9\" picks English" },
		{ "EN-gb", LANG_EN, "the range is read without case" },
		{ "pt-BR", LANG_PT, "\"pt-BR\" picks Portuguese" },
		{ "pt-PT,en;q=0.5", LANG_PT,
		    "European Portuguese first picks Portuguese" },
		{ "fr-FR,fr;q=0.9,en;q=0.8", LANG_EN,
		    "French, which we lack, then English picks English" },
		{ "fr", LANG_PT, "French alone falls back to Portuguese" },
		{ "en;q=0.5, pt;q=0.8", LANG_PT,
		    "the higher weight wins over the order" },
		{ "pt;q=0.5, en;q=0.8", LANG_EN,
		    "the higher weight wins, English this time" },
		{ "en;q=0.7, pt;q=0.7", LANG_EN,
		    "on a tie the first one wins" },
		{ "en;q=0", LANG_PT, "q=0 means \"not English\"" },
		{ "en;q=0.000, pt-BR", LANG_PT,
		    "q=0.000 refuses English too" },
		{ "*", LANG_PT, "\"*\" picks the default" },
		{ "*;q=0.1, en", LANG_EN, "\"en\" over a light \"*\"" },
		{ "en;q=2", LANG_PT, "a weight above 1 is skipped" },
		{ "en;q=0.1234", LANG_PT,
		    "a weight of four decimals is skipped" },
		{ "en;level=1", LANG_PT, "an unknown parameter is skipped" },
		{ "en;q=", LANG_PT, "an empty weight is skipped" },
		{ "e n, ,,;", LANG_PT, "ranges that do not parse are skipped" },
		{ "<script>, en", LANG_EN,
		    "a bad element does not hide a good one after it" },
		{ "en-", LANG_PT, "a range ending in \"-\" is skipped" },
		{ "-en", LANG_PT, "a range starting with \"-\" is skipped" },
		{ "english", LANG_PT, "\"english\" is not \"en\"" },
		{ "enxxxxxxx", LANG_PT, "a subtag of nine letters is skipped" },
		{ "en-US-x-twain", LANG_EN, "several subtags are read" },
		{ "1en", LANG_PT, "a primary subtag of digits is skipped" },
		{ "en-419", LANG_EN, "a region of digits is read" },
		{ "  en  ;  q=0.9  ", LANG_EN, "spaces around are allowed" },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_int(lang_pick(cases[i].header), cases[i].want, "%s",
		    cases[i].claim);
}

/* A header longer than the limit is ignored whole. */
static void
test_long(void)
{
	char	h[LANG_HEADER_MAX + 8];

	memset(h, ' ', sizeof h);
	memcpy(h, "en", 2);
	h[LANG_HEADER_MAX] = '\0';
	is_int(lang_pick(h), LANG_EN, "a header at the limit is read");
	h[LANG_HEADER_MAX] = ' ';
	h[LANG_HEADER_MAX + 1] = '\0';
	is_int(lang_pick(h), LANG_PT, "a header over the limit is ignored");
}

/* Prices in each language. */
static void
test_price(void)
{
	static const struct {
		int64_t		 cents;
		enum lang	 lang;
		const char	*want;
	} cases[] = {
		{ 19990, LANG_PT, "R$ 199,90" },
		{ 19990, LANG_EN, "R$199.90" },
		{ 123456, LANG_PT, "R$ 1.234,56" },
		{ 123456, LANG_EN, "R$1,234.56" },
		{ 5, LANG_PT, "R$ 0,05" },
		{ 100, LANG_EN, "R$1.00" },
		{ 100000000, LANG_PT, "R$ 1.000.000,00" },
		{ 100000000, LANG_EN, "R$1,000,000.00" },
		{ 99999999, LANG_PT, "R$ 999.999,99" },
		{ 0, LANG_PT, "R$ 0,00" },
	};
	char	out[64];
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		lang_price(out, sizeof out, cases[i].cents, cases[i].lang);
		is_str(out, cases[i].want, "%lld cents in %s is %s",
		    (long long)cases[i].cents, lang_tags[cases[i].lang],
		    cases[i].want);
	}
	lang_decimal(out, sizeof out, 123456, LANG_PT);
	is_str(out, "1234,56", "a form's value in Portuguese has no grouping");
	lang_decimal(out, sizeof out, 123456, LANG_EN);
	is_str(out, "1234.56", "a form's value in English has a dot");
}

int
main(void)
{
	test_pick();
	test_long();
	test_price();
	return (tap_done());
}
