/*
 * Signing peer messages.  Every request and every answer between
 * marketplaces carries
 *
 *	X-Feira-From: name of the sender
 *	X-Feira-Time: seconds since the epoch at the sender
 *	X-Feira-Clock: the sender's Lamport clock
 *	X-Feira-Signature: hex of HMAC-SHA-256 under the network key of
 *	    METHOD "\n" PATH "\n" TIME "\n" FROM "\n" CLOCK "\n" BODY
 *
 * An answer is signed with METHOD "ANSWER <status>", as "ANSWER 200", and
 * the request's path, so that its status cannot be changed either.  A
 * message whose time is more than PEER_WINDOW seconds away from ours is
 * refused, which bounds how long a copied message could be replayed.
 */

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth.h"
#include "log.h"
#include "peerd.h"
#include "valid.h"

/* Highest clock a peer may announce: far beyond use, far below overflow. */
#define SIGN_CLOCK_MAX	((uint64_t)1 << 53)

/*
 * Sign a message: out receives 64 hex digits and a NUL.  The fields are
 * strings; the body is len bytes.
 */
void
sign_message(const char *method, const char *path, const char *time,
    const char *from, const char *clock, const char *body, size_t len,
    char *out)
{
	struct buf		 b;
	unsigned char		 mac[EVP_MAX_MD_SIZE];
	unsigned int		 n = 0;

	buf_init(&b);
	buf_addf(&b, "%s\n%s\n%s\n%s\n%s\n", method, path, time, from,
	    clock);
	if (len > 0)
		buf_add(&b, body, len);
	if (HMAC(EVP_sha256(), pd->key, sizeof pd->key,
	    (const unsigned char *)b.data, b.len, mac, &n) == NULL || n != 32)
		fatalx("sign: HMAC failed");
	buf_free(&b);
	auth_hex(mac, n, out);
}

/*
 * Check a received message's headers (any may be NULL when missing) and
 * signature.  On success the sender's clock goes to *clock and 0 is
 * returned; otherwise -1 with f filled in (401).
 */
int
sign_check(const char *method, const char *path, const char *from,
    const char *time_s, const char *clock_s, const char *sig,
    const char *body, size_t len, uint64_t *clock, struct fail *f)
{
	char		 want[65];
	int64_t		 t, c;
	time_t		 now = time(NULL);

	if (from == NULL || time_s == NULL || clock_s == NULL || sig == NULL) {
		fail_set(f, 401, NULL, "the message is not signed");
		return (-1);
	}
	if (!valid_market_name(from)) {
		fail_set(f, 401, NULL, "X-Feira-From is not a marketplace");
		return (-1);
	}
	if (!valid_int(time_s, 0, INT64_MAX, &t) ||
	    t < (int64_t)now - PEER_WINDOW || t > (int64_t)now + PEER_WINDOW) {
		fail_set(f, 401, NULL, "X-Feira-Time is missing or more than "
		    "%d seconds off", PEER_WINDOW);
		return (-1);
	}
	if (!valid_int(clock_s, 0, (int64_t)SIGN_CLOCK_MAX, &c)) {
		fail_set(f, 401, NULL, "X-Feira-Clock is not a clock");
		return (-1);
	}
	if (strlen(sig) != 64) {
		fail_set(f, 401, NULL, "X-Feira-Signature is malformed");
		return (-1);
	}
	sign_message(method, path, time_s, from, clock_s, body, len, want);
	if (CRYPTO_memcmp(want, sig, 64) != 0) {
		fail_set(f, 401, NULL, "the signature is wrong");
		return (-1);
	}
	*clock = (uint64_t)c;
	return (0);
}
