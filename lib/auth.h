/*
 * Secrets of one marketplace: the seller's password, signed tokens for
 * sessions and CSRF, and HTTP Basic credentials.  All cryptography is
 * OpenSSL's libcrypto.
 */
#ifndef FEIRA_AUTH_H
#define FEIRA_AUTH_H

#include <stddef.h>

#define AUTH_SECRET_LEN	32
#define AUTH_TOKEN_LEN	64	/* hex of HMAC-SHA-256 */

int	auth_hash_password(const char *, char *, size_t);
int	auth_check_password(const char *, const char *);
int	auth_secret_load(const char *, unsigned char *);
void	auth_token(const unsigned char *, const char *, const char *,
	    char *);
int	auth_equal(const char *, const char *);
void	auth_digest(const void *, size_t, unsigned char *);
int	auth_basic(const char *, char *, size_t, char *, size_t);
void	auth_random_hex(char *, size_t);
void	auth_hex(const unsigned char *, size_t, char *);
int	auth_unhex(const char *, unsigned char *, size_t);

#endif
