/* Passwords, signed tokens and HTTP Basic credentials. */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "auth.h"
#include "log.h"

/* PBKDF2 work factor of new hashes; stored in each hash. */
#define AUTH_ITERATIONS	60000
#define AUTH_SALT_LEN	16
#define AUTH_HASH_LEN	32

/* Write n bytes of in as lower-case hex into out (2n + 1 bytes). */
void
auth_hex(const unsigned char *in, size_t n, char *out)
{
	static const char	digits[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* Read exactly n bytes of hex from s into out.  Returns 0 or -1. */
int
auth_unhex(const char *s, unsigned char *out, size_t n)
{
	size_t		 i;
	unsigned int	 v;

	if (strlen(s) != 2 * n || strspn(s, "0123456789abcdef") != 2 * n)
		return (-1);
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return (-1);
		out[i] = (unsigned char)v;
	}
	return (0);
}

/* Fill out (of size bytes, odd) with random hex and a NUL. */
void
auth_random_hex(char *out, size_t size)
{
	unsigned char	raw[64];
	size_t		n = (size - 1) / 2;

	if (n > sizeof raw || RAND_bytes(raw, (int)n) != 1)
		fatalx("auth: no random bytes");
	auth_hex(raw, n, out);
}

/*
 * Hash password for the configuration file, as
 * "pbkdf2-sha256$iterations$salt$hash" with salt and hash in hex.
 * Returns 0, or -1 if out is too small.
 */
int
auth_hash_password(const char *password, char *out, size_t size)
{
	unsigned char	salt[AUTH_SALT_LEN], hash[AUTH_HASH_LEN];
	char		salthex[2 * AUTH_SALT_LEN + 1];
	char		hashhex[2 * AUTH_HASH_LEN + 1];
	int		n;

	if (RAND_bytes(salt, sizeof salt) != 1)
		fatalx("auth: no random bytes");
	if (PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt,
	    sizeof salt, AUTH_ITERATIONS, EVP_sha256(), sizeof hash,
	    hash) != 1)
		fatalx("auth: PBKDF2 failed");
	auth_hex(salt, sizeof salt, salthex);
	auth_hex(hash, sizeof hash, hashhex);
	n = snprintf(out, size, "pbkdf2-sha256$%d$%s$%s", AUTH_ITERATIONS,
	    salthex, hashhex);
	return (n < 0 || (size_t)n >= size ? -1 : 0);
}

/*
 * Does password match the stored hash?  Returns 1 or 0; a malformed hash
 * matches nothing.
 */
int
auth_check_password(const char *password, const char *stored)
{
	unsigned char	 salt[AUTH_SALT_LEN], want[AUTH_HASH_LEN];
	unsigned char	 got[AUTH_HASH_LEN];
	char		 copy[200], *iter, *salthex, *hashhex, *end;
	long		 n;

	if (strlen(stored) >= sizeof copy)
		return (0);
	strcpy(copy, stored);
	if (strncmp(copy, "pbkdf2-sha256$", 14) != 0)
		return (0);
	iter = copy + 14;
	if ((salthex = strchr(iter, '$')) == NULL)
		return (0);
	*salthex++ = '\0';
	if ((hashhex = strchr(salthex, '$')) == NULL)
		return (0);
	*hashhex++ = '\0';
	n = strtol(iter, &end, 10);
	if (*end != '\0' || n < 1000 || n > 10000000)
		return (0);
	if (auth_unhex(salthex, salt, sizeof salt) == -1 ||
	    auth_unhex(hashhex, want, sizeof want) == -1)
		return (0);
	if (PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt,
	    sizeof salt, (int)n, EVP_sha256(), sizeof got, got) != 1)
		return (0);
	return (CRYPTO_memcmp(got, want, sizeof got) == 0);
}

/*
 * Read the marketplace's secret from path into key, creating the file
 * with fresh random bytes the first time.  Returns 0 or -1 after logging.
 */
int
auth_secret_load(const char *path, unsigned char *key)
{
	int	fd;
	ssize_t	n;

	if ((fd = open(path, O_RDONLY)) == -1) {
		if (errno != ENOENT) {
			log_warn("auth: %s", path);
			return (-1);
		}
		if (RAND_bytes(key, AUTH_SECRET_LEN) != 1)
			fatalx("auth: no random bytes");
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd == -1) {
			log_warn("auth: create %s", path);
			return (-1);
		}
		n = write(fd, key, AUTH_SECRET_LEN);
		if (n != AUTH_SECRET_LEN || fsync(fd) == -1) {
			log_warn("auth: write %s", path);
			close(fd);
			return (-1);
		}
		close(fd);
		return (0);
	}
	n = read(fd, key, AUTH_SECRET_LEN);
	close(fd);
	if (n != AUTH_SECRET_LEN) {
		log_warnx("auth: %s is not %d bytes long", path,
		    AUTH_SECRET_LEN);
		return (-1);
	}
	return (0);
}

/*
 * Sign message for purpose ("csrf", "session") with the secret: out
 * receives AUTH_TOKEN_LEN hex digits and a NUL.
 */
void
auth_token(const unsigned char *key, const char *purpose,
    const char *message, char *out)
{
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned int	 len = 0;
	size_t		 plen = strlen(purpose), mlen = strlen(message);
	unsigned char	*data;

	/* purpose NUL message: no two pairs give the same bytes. */
	if ((data = malloc(plen + 1 + mlen)) == NULL)
		fatal("auth_token");
	memcpy(data, purpose, plen + 1);
	memcpy(data + plen + 1, message, mlen);
	if (HMAC(EVP_sha256(), key, AUTH_SECRET_LEN, data, plen + 1 + mlen,
	    mac, &len) == NULL || len != 32)
		fatalx("auth: HMAC failed");
	free(data);
	auth_hex(mac, len, out);
}

/* Write the SHA-256 digest of data[0..len) into out (32 bytes). */
void
auth_digest(const void *data, size_t len, unsigned char *out)
{
	unsigned int	n = 0;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != 32)
		fatalx("auth: SHA-256 failed");
}

/* Compare two strings in time that does not depend on where they differ. */
int
auth_equal(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b);

	if (la != lb)
		return (0);
	return (CRYPTO_memcmp(a, b, la) == 0);
}

/*
 * Decode an Authorization header of the Basic scheme (RFC 7617) into user
 * and password.  Returns 0, or -1 if the header is not Basic or does not
 * decode to "user:password" that fits.
 */
int
auth_basic(const char *header, char *user, size_t usize, char *password,
    size_t psize)
{
	unsigned char	 raw[512];
	const char	*b64;
	char		*colon;
	size_t		 len, pad = 0;
	int		 n;

	if (strncasecmp(header, "Basic ", 6) != 0)
		return (-1);
	b64 = header + 6;
	while (*b64 == ' ')
		b64++;
	len = strlen(b64);
	if (len == 0 || len % 4 != 0 || len / 4 * 3 >= sizeof raw)
		return (-1);
	if (strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/=") != len)
		return (-1);
	if ((n = EVP_DecodeBlock(raw, (const unsigned char *)b64,
	    (int)len)) < 0)
		return (-1);
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	if (b64[len - 1] == '=')
		pad++;
	if (b64[len - 2] == '=')
		pad++;
	n -= (int)pad;
	raw[n] = '\0';
	if (memchr(raw, '\0', (size_t)n) != NULL)
		return (-1);
	if ((colon = strchr((char *)raw, ':')) == NULL)
		return (-1);
	*colon = '\0';
	if (strlen((char *)raw) >= usize || strlen(colon + 1) >= psize)
		return (-1);
	strcpy(user, (char *)raw);
	strcpy(password, colon + 1);
	return (0);
}
