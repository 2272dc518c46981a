/*
 * Who is asking: the CSRF cookie every browser gets, the seller's session
 * cookie, and HTTP Basic credentials for the API.
 *
 * All marketplaces of a demo share one host, and browsers do not keep
 * cookies apart by port, so the session cookie carries the marketplace's
 * name.  The CSRF cookie may be shared: each marketplace signs it with its
 * own secret.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "feira.h"
#include "log.h"
#include "valid.h"

/* How long a seller's login lasts, in seconds. */
#define SESSION_LIFETIME	(12 * 3600)

/*
 * The token that signs a session of the seller until expiry.  It also
 * signs the marketplace's session epoch, which every logout moves on, so
 * that a copy of a cookie from before a logout is worth nothing.
 */
static int
session_sign(long long expiry, char *out)
{
	char		msg[160];
	uint64_t	epoch;

	if (store_counter(app->store, "session_epoch", &epoch) == -1)
		return (-1);
	snprintf(msg, sizeof msg, "%s|%s|%lld|%llu", app->conf.name,
	    app->conf.seller_user, expiry, (unsigned long long)epoch);
	auth_token(app->secret, "session", msg, out);
	return (0);
}

/*
 * Read the cookies of a page request: give the browser a CSRF cookie if it
 * has none, and see whether it holds a valid seller session.
 */
void
session_start(struct request *r)
{
	char		 name[64], value[128], want[AUTH_TOKEN_LEN + 1];
	char		*dot, *end;
	long long	 expiry;

	if (cookie_get(r->cookies, "feira_csrf", r->csrf_cookie,
	    sizeof r->csrf_cookie) == -1 || strlen(r->csrf_cookie) != 32 ||
	    strspn(r->csrf_cookie, "0123456789abcdef") != 32) {
		auth_random_hex(r->csrf_cookie, sizeof r->csrf_cookie);
		r->csrf_new = 1;
		response_header(r, "Set-Cookie: feira_csrf=%s; Path=/; "
		    "HttpOnly; SameSite=Lax", r->csrf_cookie);
	}

	snprintf(name, sizeof name, "feira_session_%s", app->conf.name);
	if (cookie_get(r->cookies, name, value, sizeof value) == -1)
		return;
	if ((dot = strchr(value, '.')) == NULL)
		return;
	*dot = '\0';
	expiry = strtoll(value, &end, 10);
	if (*end != '\0' || expiry < (long long)time(NULL) ||
	    expiry > (long long)time(NULL) + SESSION_LIFETIME)
		return;
	if (session_sign(expiry, want) == -1)
		return;
	r->seller = auth_equal(dot + 1, want);
}

/* The CSRF token that forms of this browser must carry. */
void
session_csrf_token(struct request *r, char *out)
{
	/* A page may hold many forms: sign once per request. */
	if (r->csrf_token[0] == '\0')
		auth_token(app->secret, "csrf", r->csrf_cookie, r->csrf_token);
	memcpy(out, r->csrf_token, sizeof r->csrf_token);
}

/*
 * Does the form carry the token of this browser's CSRF cookie?  A browser
 * that came without the cookie cannot have a valid form.
 */
int
session_csrf_ok(struct request *r, const struct form *f)
{
	char		 want[AUTH_TOKEN_LEN + 1];
	const char	*got;

	if (r->csrf_new || (got = form_get(f, "csrf")) == NULL)
		return (0);
	session_csrf_token(r, want);
	return (auth_equal(got, want));
}

/*
 * Do the request's HTTP Basic credentials name the seller?  A worker
 * remembers a digest of the last credentials that passed, so that a
 * seller's script does not pay for PBKDF2 on every call.
 */
int
session_basic_ok(struct request *r)
{
	const char	*h;
	char		 user[64], password[256], digest[AUTH_TOKEN_LEN + 1];
	char		 both[320];
	int		 ok;

	h = FCGX_GetParam("HTTP_AUTHORIZATION", r->fcgi->envp);
	if (h == NULL || auth_basic(h, user, sizeof user, password,
	    sizeof password) == -1)
		return (0);
	if (!auth_equal(user, app->conf.seller_user))
		return (0);
	snprintf(both, sizeof both, "%s:%s", user, password);
	auth_token(app->secret, "basic", both, digest);
	if (app->basic_ok[0] != '\0' && auth_equal(digest, app->basic_ok))
		return (1);
	ok = auth_check_password(password, app->conf.seller_password);
	if (ok)
		memcpy(app->basic_ok, digest, sizeof app->basic_ok);
	else
		log_info("session: wrong password for %s", user);
	return (ok);
}

/* Give the browser a seller session. */
void
session_login(struct request *r)
{
	char		 token[AUTH_TOKEN_LEN + 1];
	long long	 expiry = (long long)time(NULL) + SESSION_LIFETIME;

	if (session_sign(expiry, token) == -1) {
		r->seller = 0;
		return;
	}
	response_header(r, "Set-Cookie: feira_session_%s=%lld.%s; Path=/; "
	    "HttpOnly; SameSite=Lax; Max-Age=%d", app->conf.name, expiry,
	    token, SESSION_LIFETIME);
	r->seller = 1;
}

/*
 * End the seller's session: in this browser, and, by moving the session
 * epoch on, every copy of its cookie (and the seller's other sessions).
 */
void
session_logout(struct request *r)
{
	struct fail	f;

	fail_clear(&f);
	json_object_put(peerlink_write_call("POST", "/local/logout",
	    json_object_new_object(), NULL, 2000, &f));
	if (f.status != 0)
		log_error("session: the logout could not end other sessions: "
		    "%s", f.error);
	response_header(r, "Set-Cookie: feira_session_%s=; Path=/; "
	    "HttpOnly; SameSite=Lax; Max-Age=0", app->conf.name);
	r->seller = 0;
}
