/*
 * Unit tests of lib/valid.c: the validators every outside value goes
 * through before a handler may read it.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "product.h"
#include "valid.h"
#include "tap.h"

/* Length limits, control characters, blank text and bad UTF-8. */
static void
test_text(void)
{
	is_int(valid_text("Camisa", 1, 10, 0), 1,
	    "plain text within the limits is accepted");
	is_int(valid_text("", 0, 10, 0), 1,
	    "empty text is accepted when the minimum is 0");
	is_int(valid_text("", 1, 10, 0), 0,
	    "empty text is refused when the minimum is 1");
	is_int(valid_text("abcde", 1, 5, 0), 1,
	    "text of exactly the maximum length is accepted");
	is_int(valid_text("abcdef", 1, 5, 0), 0,
	    "text one byte over the maximum is refused");
	is_int(valid_text("abc", 4, 10, 0), 0,
	    "text shorter than the minimum is refused");
	is_int(valid_text("S\xc3\xa3o", 1, 3, 0), 0,
	    "the maximum counts bytes: \"S\xc3\xa3o\" (4 bytes) is refused "
	    "at 3");
	is_int(valid_text("S\xc3\xa3o", 1, 4, 0), 1,
	    "\"S\xc3\xa3o\" (4 bytes) is accepted at a maximum of 4");
	is_int(valid_text("a\nb", 0, 10, 0), 0,
	    "a newline is refused in single-line text");
	is_int(valid_text("a\nb", 0, 10, 1), 1,
	    "a newline is accepted in multiline text");
	is_int(valid_text("a\r\nb", 0, 10, 1), 1,
	    "CR LF is accepted in multiline text");
	is_int(valid_text("a\tb", 0, 10, 0), 0,
	    "a tab is refused in single-line text");
	is_int(valid_text("a\tb", 0, 10, 1), 1,
	    "a tab is accepted in multiline text");
	is_int(valid_text("a\x01""b", 0, 10, 1), 0,
	    "the control character 0x01 is refused even in multiline text");
	is_int(valid_text("a\x1b[2J", 0, 10, 1), 0,
	    "an escape character is refused");
	is_int(valid_text("a\x7f", 0, 10, 1), 0, "DEL (0x7f) is refused");
	is_int(valid_text("   ", 1, 10, 0), 0,
	    "text of only spaces is refused when the minimum is 1");
	is_int(valid_text(" \n\t ", 1, 10, 1), 0,
	    "blank multiline text is refused when the minimum is 1");
	is_int(valid_text("   ", 0, 10, 0), 1,
	    "text of only spaces is accepted when the minimum is 0");
	is_int(valid_text(" a ", 1, 10, 0), 1,
	    "text with one letter among spaces is not blank");
	is_int(valid_text("a\xff""b", 0, 10, 0), 0,
	    "invalid UTF-8 (\"a\\xffb\") is refused");
	is_int(valid_text("\xc0\xaf", 0, 10, 0), 0,
	    "overlong UTF-8 is refused");
}

/* Colors are "#rrggbb" and nothing else. */
static void
test_color(void)
{
	is_int(valid_color("#1b5e20"), 1, "\"#1b5e20\" is a color");
	is_int(valid_color("#FFFFFF"), 1,
	    "\"#FFFFFF\" in upper case is a color");
	is_int(valid_color("#12345g"), 0, "\"#12345g\" is not a color");
	is_int(valid_color("1b5e20a"), 0, "a color must start with '#'");
	is_int(valid_color("#12345"), 0, "a color of 5 digits is refused");
	is_int(valid_color("#1234567"), 0, "a color of 7 digits is refused");
	is_int(valid_color(""), 0, "the empty string is not a color");
	is_int(valid_color("#fff"), 0, "the short form \"#fff\" is refused");
	is_int(valid_color("# 12345"), 0, "a space inside a color is refused");
}

/* Marketplace names: a lower-case letter, then letters and digits. */
static void
test_market_name(void)
{
	is_int(valid_market_name("rio"), 1, "\"rio\" is a marketplace name");
	is_int(valid_market_name("rio2"), 1,
	    "digits after the first letter are allowed");
	is_int(valid_market_name("a"), 1, "a one-letter name is allowed");
	is_int(valid_market_name("abcdefghijklmnop"), 1,
	    "a name of MARKET_NAME_MAX (16) bytes is allowed");
	is_int(valid_market_name("abcdefghijklmnopq"), 0,
	    "a name of 17 bytes is refused");
	is_int(valid_market_name(""), 0, "the empty name is refused");
	is_int(valid_market_name("Rio"), 0, "an upper-case letter is refused");
	is_int(valid_market_name("2rio"), 0,
	    "a name starting with a digit is refused");
	is_int(valid_market_name("rio-sul"), 0, "a dash is refused");
	is_int(valid_market_name("rio_sul"), 0, "an underscore is refused");
	is_int(valid_market_name("s\xc3\xa3o"), 0,
	    "a non-ASCII letter is refused");
}

/* Product ids: "name-N", N without leading zero. */
static void
test_product_id(void)
{
	is_int(valid_product_id("rio-1"), 1, "\"rio-1\" is a product id");
	is_int(valid_product_id("rio-1234"), 1,
	    "\"rio-1234\" is a product id");
	is_int(valid_product_id("abcdefghijklmnop-7"), 1,
	    "a product id with a 16-byte marketplace name is accepted");
	is_int(valid_product_id("rio-123456789012345678"), 1,
	    "a number of 18 digits is accepted");
	is_int(valid_product_id("rio-1234567890123456789"), 0,
	    "a number of 19 digits is refused");
	is_int(valid_product_id("rio-01"), 0,
	    "\"rio-01\" with a leading zero is refused");
	is_int(valid_product_id("rio-"), 0, "\"rio-\" without a number is "
	    "refused");
	is_int(valid_product_id("Rio-1"), 0,
	    "\"Rio-1\" with an upper-case name is refused");
	is_int(valid_product_id("rio-1a"), 0, "\"rio-1a\" is refused");
	is_int(valid_product_id("-1"), 0, "\"-1\" without a name is refused");
	is_int(valid_product_id("rio1"), 0, "\"rio1\" without a dash is "
	    "refused");
	is_int(valid_product_id("rio-1-2"), 0, "\"rio-1-2\" is refused");
	is_int(valid_product_id("abcdefghijklmnopq-1"), 0,
	    "a product id whose name is 17 bytes is refused");
	is_int(valid_product_id("abcdefghijklmnopqrstuvwxyzabcdefghij-1"), 0,
	    "a product id whose name is far too long is refused");
	is_int(valid_product_id(""), 0, "the empty product id is refused");
}

/* Order ids: "name-" and exactly 16 lower-case hexadecimal digits. */
static void
test_order_id(void)
{
	is_int(valid_order_id("rio-0123456789abcdef"), 1,
	    "\"rio-0123456789abcdef\" is an order id");
	is_int(valid_order_id("rio-0000000000000000"), 1,
	    "an order id of 16 zeros is accepted");
	is_int(valid_order_id("rio-0123456789abcde"), 0,
	    "15 hexadecimal digits are refused");
	is_int(valid_order_id("rio-0123456789abcdef0"), 0,
	    "17 hexadecimal digits are refused");
	is_int(valid_order_id("rio-0123456789ABCDEF"), 0,
	    "upper-case hexadecimal digits are refused");
	is_int(valid_order_id("rio-0123456789abcdeg"), 0,
	    "a 'g' among the digits is refused");
	is_int(valid_order_id("Rio-0123456789abcdef"), 0,
	    "an upper-case marketplace name is refused");
	is_int(valid_order_id("-0123456789abcdef"), 0,
	    "an order id without a marketplace name is refused");
	is_int(valid_order_id("rio0123456789abcdef"), 0,
	    "an order id without a dash is refused");
}

/* Decimal integers in a range, with nothing around them. */
static void
test_int(void)
{
	int64_t	v;

	v = 0;
	is_int(valid_int("42", 0, 100, &v), 1, "\"42\" is an integer from 0 "
	    "to 100");
	is_int(v, 42, "valid_int stores 42");
	v = 0;
	is_int(valid_int("-5", -10, 10, &v), 1, "\"-5\" is accepted from -10");
	is_int(v, -5, "valid_int stores -5");
	v = 0;
	is_int(valid_int("007", 0, 10, &v), 1, "leading zeros are accepted");
	is_int(v, 7, "\"007\" is read as 7");
	is_int(valid_int("1", 1, 5, &v), 1, "the minimum itself is accepted");
	is_int(valid_int("5", 1, 5, &v), 1, "the maximum itself is accepted");
	is_int(valid_int("0", 1, 5, &v), 0, "a value under the minimum is "
	    "refused");
	is_int(valid_int("6", 1, 5, &v), 0, "a value over the maximum is "
	    "refused");
	is_int(valid_int("", 0, 10, &v), 0, "the empty string is refused");
	is_int(valid_int("12a", 0, 100, &v), 0, "\"12a\" is refused");
	is_int(valid_int(" 12", 0, 100, &v), 0, "a leading space is refused");
	is_int(valid_int("12 ", 0, 100, &v), 0, "a trailing space is refused");
	is_int(valid_int("+12", 0, 100, &v), 0, "a '+' sign is refused");
	is_int(valid_int("1.5", 0, 100, &v), 0, "a fraction is refused");
	is_int(valid_int("-", -10, 10, &v), 0, "a lone '-' is refused");
	is_int(valid_int("--1", -10, 10, &v), 0, "\"--1\" is refused");
	is_int(valid_int("1-2", -10, 10, &v), 0, "\"1-2\" is refused");
	is_int(valid_int("0x10", 0, 100, &v), 0, "hexadecimal is refused");
	is_int(valid_int("99999999999999999999", INT64_MIN, INT64_MAX, &v), 0,
	    "\"99999999999999999999\" overflows and is refused");
	is_int(valid_int("9223372036854775808", INT64_MIN, INT64_MAX, &v), 0,
	    "INT64_MAX + 1 is refused");
	is_int(valid_int("-9223372036854775809", INT64_MIN, INT64_MAX, &v), 0,
	    "INT64_MIN - 1 is refused");
	v = 0;
	is_int(valid_int("9223372036854775807", INT64_MIN, INT64_MAX, &v), 1,
	    "INT64_MAX is accepted");
	is_int(v == INT64_MAX, 1, "valid_int stores INT64_MAX");
	v = 0;
	is_int(valid_int("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 1,
	    "INT64_MIN is accepted");
	is_int(v == INT64_MIN, 1, "valid_int stores INT64_MIN");
	v = 77;
	is_int(valid_int("junk", 0, 100, &v), 0, "\"junk\" is refused");
	is_int(v, 77, "a refused value leaves the output untouched");
}

/* Run every group of tests. */
int
main(void)
{
	test_text();
	test_color();
	test_market_name();
	test_product_id();
	test_order_id();
	test_int();
	return tap_done();
}
