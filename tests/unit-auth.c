/*
 * Unit tests of lib/auth.c: password hashes, signed tokens, constant-time
 * comparison, HTTP Basic credentials and the secret file.  The expected
 * hash and token were computed independently with Python's hashlib and
 * hmac modules.
 */

#include "config.h"

#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "tap.h"

/* PBKDF2-HMAC-SHA-256 of "demo", salt 00 01 .. 0f, 1000 iterations. */
#define KNOWN_HASH	"pbkdf2-sha256$1000$" \
	"000102030405060708090a0b0c0d0e0f$" \
	"eb4130ad7b66b5b25d4d5f1b7cc046d69fbc110d680e791603f4a475ad498556"

/* HMAC-SHA-256 with key 00 01 .. 1f of "csrf", NUL, "abc". */
#define KNOWN_TOKEN \
	"5c5d10539cdb3417e0bc083b51ecd67e43e4f3cbb379cd47f9a8945df960d9d6"

/* Remove one entry of the folder being deleted. */
static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return (remove(path));
}

/* Is s made of n lower-case hexadecimal digits and nothing else? */
static int
is_hex(const char *s, size_t n)
{
	return (strlen(s) == n && strspn(s, "0123456789abcdef") == n);
}

/* Hash, then check right, wrong and malformed passwords. */
static void
test_password(void)
{
	char	h1[200], h2[200], bad[200], small[50], longer[300];

	is_int(auth_hash_password("demo", h1, sizeof h1), 0,
	    "auth_hash_password succeeds with room enough");
	ok(strncmp(h1, "pbkdf2-sha256$60000$", 20) == 0,
	    "the hash starts with \"pbkdf2-sha256$60000$\"");
	ok(strlen(h1) == 20 + 32 + 1 + 64 &&
	    strspn(h1 + 20, "0123456789abcdef") == 32 && h1[52] == '$',
	    "the hash is 117 bytes: prefix, 32 hex digits of salt, '$', hash");
	ok(is_hex(strrchr(h1, '$') + 1, 64), "the hash part is 64 hex digits");
	is_int(auth_check_password("demo", h1), 1,
	    "the right password matches its hash");
	is_int(auth_check_password("Demo", h1), 0,
	    "a password differing in case does not match");
	is_int(auth_check_password("demo ", h1), 0,
	    "a password with a trailing space does not match");
	is_int(auth_check_password("", h1), 0,
	    "the empty password does not match");
	is_int(auth_hash_password("demo", h2, sizeof h2), 0,
	    "the same password hashes again");
	ok(strcmp(h1, h2) != 0, "two hashes of one password differ by salt");
	is_int(auth_check_password("demo", h2), 1,
	    "the second hash matches too");
	is_int(auth_hash_password("demo", small, sizeof small), -1,
	    "auth_hash_password into 50 bytes is -1");
	is_int(auth_check_password("demo", KNOWN_HASH), 1,
	    "a PBKDF2-SHA-256 hash made by Python's hashlib matches");
	is_int(auth_check_password("demO", KNOWN_HASH), 0,
	    "the Python-made hash refuses another password");

	/* Malformed stored hashes match nothing, not even their password. */
	is_int(auth_check_password("demo", ""), 0, "an empty hash matches "
	    "nothing");
	is_int(auth_check_password("demo", "demo"), 0,
	    "a password stored in clear matches nothing");
	snprintf(bad, sizeof bad, "%s", h1);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	is_int(auth_check_password("demo", bad), 0,
	    "a hash with its last digit changed does not match");
	snprintf(bad, sizeof bad, "%s", h1);
	bad[strlen(bad) - 1] = '\0';
	is_int(auth_check_password("demo", bad), 0,
	    "a hash one digit short matches nothing");
	snprintf(bad, sizeof bad, "sha256%s", &KNOWN_HASH[13]);
	is_int(auth_check_password("demo", bad), 0,
	    "an unknown scheme matches nothing");
	is_int(auth_check_password("demo", "pbkdf2-sha256$1000$00$00"), 0,
	    "a short salt and hash match nothing");
	is_int(auth_check_password("demo", "pbkdf2-sha256$1000$"
	    "000102030405060708090a0b0c0d0e0f"), 0,
	    "a hash without its hash part matches nothing");
	is_int(auth_check_password("demo", "pbkdf2-sha256$abc$"
	    "000102030405060708090a0b0c0d0e0f$"
	    "eb4130ad7b66b5b25d4d5f1b7cc046d69fbc110d680e791603f4a475ad498556"),
	    0, "a hash with iterations \"abc\" matches nothing");
	is_int(auth_check_password("demo", "pbkdf2-sha256$10$"
	    "000102030405060708090a0b0c0d0e0f$"
	    "eb4130ad7b66b5b25d4d5f1b7cc046d69fbc110d680e791603f4a475ad498556"),
	    0, "a hash of only 10 iterations matches nothing");
	is_int(auth_check_password("demo", "pbkdf2-sha256$1000$"
	    "000102030405060708090A0B0C0D0E0F$"
	    "eb4130ad7b66b5b25d4d5f1b7cc046d69fbc110d680e791603f4a475ad498556"),
	    0, "upper-case hex in the salt matches nothing");
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	memcpy(longer, KNOWN_HASH, strlen(KNOWN_HASH));
	is_int(auth_check_password("demo", longer), 0,
	    "a stored hash of 299 bytes matches nothing and overflows nothing");
}

/* Tokens are HMAC-SHA-256 of purpose and message. */
static void
test_token(void)
{
	unsigned char	key[AUTH_SECRET_LEN], key2[AUTH_SECRET_LEN];
	char		t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1];
	int		i;

	for (i = 0; i < AUTH_SECRET_LEN; i++) {
		key[i] = (unsigned char)i;
		key2[i] = (unsigned char)i;
	}
	key2[AUTH_SECRET_LEN - 1] ^= 1;

	auth_token(key, "csrf", "abc", t1);
	is_str(t1, KNOWN_TOKEN, "auth_token is HMAC-SHA-256 of "
	    "\"csrf\\0abc\", as Python's hmac computes it");
	ok(is_hex(t1, AUTH_TOKEN_LEN), "a token is 64 lower-case hex digits");
	auth_token(key, "csrf", "abc", t2);
	is_str(t2, t1, "the same key, purpose and message give the same token");
	auth_token(key, "session", "abc", t2);
	ok(strcmp(t1, t2) != 0, "another purpose gives another token");
	auth_token(key, "csrf", "abd", t2);
	ok(strcmp(t1, t2) != 0, "another message gives another token");
	auth_token(key2, "csrf", "abc", t2);
	ok(strcmp(t1, t2) != 0, "another key gives another token");
	auth_token(key, "ab", "c", t1);
	auth_token(key, "a", "bc", t2);
	ok(strcmp(t1, t2) != 0,
	    "(\"ab\", \"c\") and (\"a\", \"bc\") give different tokens");
	auth_token(key, "csrf", "", t1);
	ok(is_hex(t1, AUTH_TOKEN_LEN), "an empty message still gives a token");
}

/* auth_equal compares whole strings. */
static void
test_equal(void)
{
	is_int(auth_equal("abc", "abc"), 1, "equal strings are equal");
	is_int(auth_equal("abc", "abd"), 0, "strings differing at the end "
	    "are not equal");
	is_int(auth_equal("xbc", "abc"), 0, "strings differing at the start "
	    "are not equal");
	is_int(auth_equal("abc", "abcd"), 0, "a prefix is not equal");
	is_int(auth_equal("abcd", "abc"), 0, "a longer string is not equal");
	is_int(auth_equal("", ""), 1, "two empty strings are equal");
	is_int(auth_equal("", "a"), 0, "the empty string is not equal to "
	    "\"a\"");
}

/* HTTP Basic credentials, RFC 7617. */
static void
test_basic(void)
{
	char	user[33], pass[65], big[800];

	memset(user, 0, sizeof user);
	memset(pass, 0, sizeof pass);
	is_int(auth_basic("Basic c2VsbGVyOmRlbW8=", user, sizeof user, pass,
	    sizeof pass), 0, "\"Basic c2VsbGVyOmRlbW8=\" decodes");
	is_str(user, "seller", "the user is \"seller\"");
	is_str(pass, "demo", "the password is \"demo\"");
	is_int(auth_basic("basic c2VsbGVyOmRlbW8=", user, sizeof user, pass,
	    sizeof pass), 0, "the scheme name is case-insensitive");
	is_int(auth_basic("Basic dXNlcjpwYTpzcw==", user, sizeof user, pass,
	    sizeof pass), 0, "\"user:pa:ss\" decodes");
	ok(strcmp(user, "user") == 0 && strcmp(pass, "pa:ss") == 0,
	    "the user ends at the first colon; the password keeps the rest");
	is_int(auth_basic("Basic c2VsbGVyOg==", user, sizeof user, pass,
	    sizeof pass), 0, "\"seller:\" decodes");
	is_str(pass, "", "\"seller:\" has an empty password");

	is_int(auth_basic("Bearer c2VsbGVyOmRlbW8=", user, sizeof user, pass,
	    sizeof pass), -1, "a Bearer header is not Basic");
	is_int(auth_basic("Basic", user, sizeof user, pass, sizeof pass), -1,
	    "\"Basic\" alone is refused");
	is_int(auth_basic("Basic ", user, sizeof user, pass, sizeof pass), -1,
	    "\"Basic \" with nothing after is refused");
	is_int(auth_basic("Basic !!!!", user, sizeof user, pass, sizeof pass),
	    -1, "base64 with characters outside the alphabet is refused");
	is_int(auth_basic("Basic c2VsbGVyOmRlbW8", user, sizeof user, pass,
	    sizeof pass), -1, "base64 whose length is not a multiple of 4 is "
	    "refused");
	is_int(auth_basic("Basic c2VsbGVy", user, sizeof user, pass,
	    sizeof pass), -1, "credentials without a colon are refused");
	is_int(auth_basic("Basic YQA6Yg==", user, sizeof user, pass,
	    sizeof pass), -1, "credentials holding a NUL byte are refused");
	is_int(auth_basic("Basic c2VsbGVyOmRlbW8=", user, 6, pass,
	    sizeof pass), -1, "a user of 6 bytes does not fit in 6");
	is_int(auth_basic("Basic c2VsbGVyOmRlbW8=", user, 7, pass, 4), -1,
	    "a password of 4 bytes does not fit in 4");
	is_int(auth_basic("Basic c2VsbGVyOmRlbW8=", user, 7, pass, 5), 0,
	    "user and password fit in 7 and 5 bytes");
	memcpy(big, "Basic ", 6);
	memset(big + 6, 'A', sizeof big - 7);
	big[sizeof big - 1] = '\0';
	is_int(auth_basic(big, user, sizeof user, pass, sizeof pass), -1,
	    "a header of 800 bytes is refused");
}

/* The secret file: made on first use, then read back the same. */
static void
test_secret(void)
{
	char		 dir[] = "/tmp/feira-auth.XXXXXX", path[128];
	unsigned char	 k1[AUTH_SECRET_LEN], k2[AUTH_SECRET_LEN];
	unsigned char	 disk[AUTH_SECRET_LEN + 8];
	struct stat	 sb;
	FILE		*f;
	size_t		 n = 0;
	int		 i, zero = 1;

	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp failed\n");
		exit(1);
	}
	snprintf(path, sizeof path, "%s/secret", dir);
	memset(k1, 0, sizeof k1);
	is_int(auth_secret_load(path, k1), 0,
	    "auth_secret_load creates a missing secret file");
	for (i = 0; i < AUTH_SECRET_LEN; i++)
		if (k1[i] != 0)
			zero = 0;
	ok(!zero, "the new secret is not all zero bytes");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "the secret file is readable by its owner only (0600)");
	if ((f = fopen(path, "rb")) != NULL) {
		n = fread(disk, 1, sizeof disk, f);
		fclose(f);
	}
	ok(n == AUTH_SECRET_LEN && memcmp(disk, k1, sizeof k1) == 0,
	    "the file holds exactly the %d bytes returned", AUTH_SECRET_LEN);
	memset(k2, 0, sizeof k2);
	is_int(auth_secret_load(path, k2), 0,
	    "auth_secret_load reads an existing secret file");
	ok(memcmp(k1, k2, sizeof k1) == 0,
	    "the secret read back is the one created");

	snprintf(path, sizeof path, "%s/short", dir);
	if ((f = fopen(path, "wb")) != NULL) {
		fputs("12345", f);
		fclose(f);
	}
	is_int(auth_secret_load(path, k2), -1,
	    "a secret file of 5 bytes is refused");
	snprintf(path, sizeof path, "%s/none/secret", dir);
	is_int(auth_secret_load(path, k2), -1,
	    "a secret in a missing folder is -1");
	ok(nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS) == 0,
	    "the temporary folder is removed");
}

/* Random hex: the right length, and different each time. */
static void
test_random(void)
{
	char	a[33], b[33];

	auth_random_hex(a, sizeof a);
	auth_random_hex(b, sizeof b);
	ok(is_hex(a, 32), "auth_random_hex into 33 bytes gives 32 hex digits");
	ok(strcmp(a, b) != 0, "two random values differ");
}

/* Run every group of tests. */
int
main(void)
{
	test_password();
	test_token();
	test_equal();
	test_basic();
	test_secret();
	test_random();
	return tap_done();
}
