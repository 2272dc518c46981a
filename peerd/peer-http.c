/*
 * The two doors of peerd, both HTTP on unix sockets through
 * libmicrohttpd, one thread per connection:
 *
 *	peer.sock	nginx passes /peer/ here: messages of the other
 *			marketplaces, each signed (peer-sign.c)
 *	ctl.sock	this marketplace's FastCGI program: /local/ calls,
 *			unsigned, for the socket is reachable only here: the
 *			store's writes (peer-local.c), the marketplace's
 *			status, and products of other marketplaces
 */

#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <microhttpd.h>

#include "jsonutil.h"
#include "log.h"
#include "peerd.h"
#include "product.h"
#include "valid.h"
#include "xmalloc.h"

/* Largest body a peer may send: a push of many changed products. */
#define HTTP_BODY_MAX	(16 * 1024 * 1024)

/* Most products one catch-up answer carries. */
#define HTTP_PAGE	500

static struct MHD_Daemon	*http_peer_daemon;
static struct MHD_Daemon	*http_ctl_daemon;

/* The body of a request, gathered over the handler's calls. */
struct http_conn {
	struct buf	body;
	int		too_big;
};

/*
 * Queue an answer: status, the JSON text body (which this frees), and for
 * a peer the signature headers over the request's path.
 */
static enum MHD_Result
http_reply(struct MHD_Connection *c, int status, char *body, const char *path,
    int sign)
{
	struct MHD_Response	*r;
	enum MHD_Result		 rc;
	char			 t[32], clock[32], sig[65], answer[16];
	size_t			 len = strlen(body);

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return (MHD_NO);
	}
	MHD_add_response_header(r, "Content-Type",
	    "application/json; charset=utf-8");
	if (sign) {
		snprintf(t, sizeof t, "%lld", (long long)time(NULL));
		snprintf(clock, sizeof clock, "%" PRIu64, clock_tick());
		snprintf(answer, sizeof answer, "ANSWER %d", status);
		sign_message(answer, path, t, pd->conf.name, clock, body, len,
		    sig);
		MHD_add_response_header(r, "X-Feira-From", pd->conf.name);
		MHD_add_response_header(r, "X-Feira-Time", t);
		MHD_add_response_header(r, "X-Feira-Clock", clock);
		MHD_add_response_header(r, "X-Feira-Signature", sig);
	}
	rc = MHD_queue_response(c, (unsigned int)status, r);
	MHD_destroy_response(r);
	return (rc);
}

/* Answer with a JSON object, which this puts. */
static enum MHD_Result
http_json(struct MHD_Connection *c, int status, struct json_object *obj,
    const char *path, int sign)
{
	char	*s;

	s = xstrdup(json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	return (http_reply(c, status, s, path, sign));
}

/* Answer with {"error": ...} and log the refusal. */
static enum MHD_Result
http_fail(struct MHD_Connection *c, const struct fail *f, const char *path,
    int sign)
{
	struct json_object	*obj = json_object_new_object();

	log_info("%s: %d %s", path, f->status, f->error);
	json_object_object_add(obj, "error", json_object_new_string(f->error));
	if (f->field[0] != '\0')
		json_object_object_add(obj, "field",
		    json_object_new_string(f->field));
	return (http_json(c, f->status, obj, path, sign));
}

/* Answer an error made of status and message. */
static enum MHD_Result
http_error(struct MHD_Connection *c, int status, const char *msg,
    const char *path, int sign)
{
	struct fail	f;

	fail_clear(&f);
	fail_set(&f, status, NULL, "%s", msg);
	return (http_fail(c, &f, path, sign));
}

/*
 * POST /peer/changes from an owner: {"products": [...], "prev": P,
 * "high": H} holds its products changed after its change P, up to H.
 * Every product is checked before any is applied.
 */
static enum MHD_Result
http_changes_post(struct MHD_Connection *c, struct peer *peer,
    struct http_conn *hc, const char *path)
{
	struct json_object	*obj, *list = NULL;
	struct fail		 f;
	uint64_t		 held;
	int64_t			 prev = -1, high = -1;
	int			 applied = 0;

	fail_clear(&f);
	if ((obj = jsonutil_parse(hc->body.data, hc->body.len, &f)) == NULL)
		return (http_fail(c, &f, path, 1));
	if (jsonutil_object(obj, NULL, &f) == -1)
		goto fail;
	json_object_object_foreach(obj, key, val) {
		if (strcmp(key, "products") == 0)
			list = val;
		else if (strcmp(key, "prev") == 0) {
			if (jsonutil_int(val, key, 0, INT64_MAX, &prev,
			    &f) == -1)
				goto fail;
		} else if (strcmp(key, "high") == 0) {
			if (jsonutil_int(val, key, 0, INT64_MAX, &high,
			    &f) == -1)
				goto fail;
		} else {
			fail_set(&f, 400, key, "unknown field \"%.40s\"", key);
			goto fail;
		}
	}
	if (list == NULL || !json_object_is_type(list, json_type_array) ||
	    prev < 0 || high < prev) {
		fail_set(&f, 400, NULL, "a push needs products, prev and high "
		    "with prev <= high");
		goto fail;
	}
	if (sync_take(peer, list, (uint64_t)prev, (uint64_t)high, &applied,
	    &f) == -1)
		goto fail;
	pthread_mutex_lock(&pd->lock);
	held = peer->held;
	pthread_mutex_unlock(&pd->lock);

	json_object_put(obj);
	obj = json_object_new_object();
	json_object_object_add(obj, "applied", json_object_new_int(applied));
	json_object_object_add(obj, "held", json_object_new_int64(
	    (int64_t)held));
	return (http_json(c, 200, obj, path, 1));

fail:
	json_object_put(obj);
	return (http_fail(c, &f, path, 1));
}

/* The change numbers above a mark, gathered for a page of a catch-up. */
struct http_page {
	uint64_t	*changes;
	size_t		 n;
	size_t		 size;
	uint64_t	 limit;
	struct json_object *list;
};

/* Gather one product's change number. */
static int
http_page_count(const struct product *p, void *arg)
{
	struct http_page	*pg = arg;

	if (pg->n == pg->size) {
		pg->size = pg->size == 0 ? 256 : pg->size * 2;
		pg->changes = xreallocarray(pg->changes, pg->size,
		    sizeof *pg->changes);
	}
	pg->changes[pg->n++] = p->change;
	return (0);
}

/* Add a product whose change is within the page. */
static int
http_page_add(const struct product *p, void *arg)
{
	struct http_page	*pg = arg;

	if (p->change <= pg->limit)
		json_object_array_add(pg->list, product_to_peer_json(p));
	return (0);
}

/* Order change numbers, smallest first. */
static int
http_u64_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * GET /peer/changes/since/N: our products changed after our change N, at
 * most HTTP_PAGE of them, oldest changes first.  When more are left, the
 * answer says "more" and its "high" is the last change it holds, so that
 * the asker holds everything up to it and asks again from there.
 */
static enum MHD_Result
http_changes_get(struct MHD_Connection *c, const char *arg, const char *path)
{
	struct json_object	*obj;
	struct http_page	 pg;
	uint64_t		 high;
	int64_t			 since;
	int			 more = 0;

	if (!valid_int(arg, 0, INT64_MAX, &since))
		return (http_error(c, 404, "no such change", path, 1));
	if (store_change_high(pd->store, &high) == -1)
		return (http_error(c, 500, "the store failed", path, 1));
	if (high < (uint64_t)since)
		high = (uint64_t)since;
	memset(&pg, 0, sizeof pg);
	pg.limit = UINT64_MAX;
	if (store_changes_each(pd->store, (uint64_t)since, http_page_count,
	    &pg) == -1) {
		free(pg.changes);
		return (http_error(c, 500, "the store failed", path, 1));
	}
	if (pg.n > HTTP_PAGE) {
		qsort(pg.changes, pg.n, sizeof *pg.changes, http_u64_cmp);
		pg.limit = pg.changes[HTTP_PAGE - 1];
		high = pg.limit;
		more = 1;
	}
	free(pg.changes);
	pg.list = json_object_new_array();
	if (store_changes_each(pd->store, (uint64_t)since, http_page_add,
	    &pg) == -1) {
		json_object_put(pg.list);
		return (http_error(c, 500, "the store failed", path, 1));
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "products", pg.list);
	json_object_object_add(obj, "prev", json_object_new_int64(since));
	json_object_object_add(obj, "high", json_object_new_int64(
	    (int64_t)high));
	json_object_object_add(obj, "more", json_object_new_boolean(more));
	return (http_json(c, 200, obj, path, 1));
}

/* GET /peer/products/ID: one of our products as it is now. */
static enum MHD_Result
http_product_get(struct MHD_Connection *c, const char *id, const char *path)
{
	struct product	p;
	int		rc;

	if (!valid_product_id(id))
		return (http_error(c, 404, "no such product", path, 1));
	rc = store_product_get(pd->store, id, &p);
	if (rc == STORE_NOTFOUND)
		return (http_error(c, 404, "no such product", path, 1));
	if (rc != STORE_OK)
		return (http_error(c, 500, "the store failed", path, 1));
	return (http_json(c, 200, product_to_peer_json(&p), path, 1));
}

/* The routes of peer messages, each with its kind and handler. */
static const struct http_route {
	const char	*path;
	int		 prefix;	/* the path is a prefix of the url */
	const char	*method;
	enum kind	 kind;
	int		(*handler)(struct peer *, const struct buf *,
			    struct buf *);
} http_routes[] = {
	{ "/peer/changes/since/", 1, "GET", KIND_CATCHUP, NULL },
	{ "/peer/changes", 0, "POST", KIND_CHANGES, NULL },
	{ "/peer/products/", 1, "GET", KIND_PRODUCT, NULL },
	{ "/peer/lock/hello", 0, "POST", KIND_HELLO, lock_on_hello },
	{ "/peer/lock/request", 0, "POST", KIND_LOCK_REQUEST,
	    lock_on_request },
	{ "/peer/lock/release", 0, "POST", KIND_LOCK_RELEASE,
	    lock_on_release },
	{ "/peer/txn/prepare", 0, "POST", KIND_PREPARE, txn_on_prepare },
	{ "/peer/txn/decide", 0, "POST", KIND_DECIDE, txn_on_decide },
	{ "/peer/txn/ask", 0, "POST", KIND_ASK, txn_on_ask },
	{ NULL, 0, NULL, KIND__MAX, NULL }
};

/* A message from a peer: check who and when, then route it. */
static enum MHD_Result
http_peer(struct MHD_Connection *c, const char *url, const char *method,
    struct http_conn *hc)
{
	const struct http_route	*r;
	struct peer		*peer;
	struct fail		 f;
	struct buf		 b;
	uint64_t		 stamp;
	enum kind		 kind;
	const char		*from;
	int			 status;

	fail_clear(&f);
	if (strncmp(url, "/peer/", 6) != 0)
		return (http_error(c, 404, "no such route", url, 1));
	if (hc->too_big)
		return (http_error(c, 413, "the body is too large", url, 1));
	from = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Feira-From");
	if (sign_check(method, url, from,
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Feira-Time"),
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Feira-Clock"),
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "X-Feira-Signature"), buf_str(&hc->body),
	    hc->body.len, &stamp, &f) == -1)
		return (http_fail(c, &f, url, 1));
	if ((peer = sync_peer(from)) == NULL)
		return (http_error(c, 401, "not a marketplace of this network",
		    url, 1));
	clock_receive(stamp);

	for (r = http_routes; r->path != NULL; r++)
		if (r->prefix ? strncmp(url, r->path, strlen(r->path)) == 0 :
		    strcmp(url, r->path) == 0)
			break;
	if (r->path == NULL)
		return (http_error(c, 404, "no such route", url, 1));
	if (strcmp(method, r->method) != 0)
		return (http_error(c, 405, "method not allowed", url, 1));
	kind = r->kind;

	pthread_mutex_lock(&pd->lock);
	peer->received[kind]++;
	peer->answering = 1;
	peer->last_heard = time(NULL);
	pthread_mutex_unlock(&pd->lock);

	switch (kind) {
	case KIND_CHANGES:
		return (http_changes_post(c, peer, hc, url));
	case KIND_CATCHUP:
		return (http_changes_get(c, url + strlen(r->path), url));
	case KIND_PRODUCT:
		return (http_product_get(c, url + strlen(r->path), url));
	default:
		break;
	}
	buf_init(&b);
	status = r->handler(peer, &hc->body, &b);
	return (http_reply(c, status, buf_steal(&b), url, 1));
}

/*
 * The deadline of a write of the FastCGI program, into *deadline.  A
 * write that comes after it must change nothing, for the program has
 * answered that nothing was changed (cgi/peerlink.c).  Returns 0, or the
 * status of the refusal, written in out.
 */
static int
http_ctl_refused(struct MHD_Connection *c, int64_t *deadline, struct buf *out)
{
	struct fail	f;

	fail_clear(&f);
	if (local_deadline(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "X-Feira-Deadline"), deadline, &f) == -1 ||
	    local_late(*deadline, &f))
		return (local_fail(out, &f));
	return (0);
}

/*
 * A call of this marketplace's FastCGI program.  Every write but a logout
 * is refused after its deadline; a revocation that comes late is still
 * right.
 */
static enum MHD_Result
http_ctl(struct MHD_Connection *c, const char *url, const char *method,
    struct http_conn *hc)
{
	struct buf	b;
	struct fail	f;
	int64_t		deadline = 0;
	int		status, get, post;

	fail_clear(&f);
	get = strcmp(method, "GET") == 0;
	post = strcmp(method, "POST") == 0;
	if (hc->too_big)
		return (http_error(c, 413, "the body is too large", url, 0));
	buf_init(&b);
	if (!get && strcmp(url, "/local/logout") != 0 &&
	    (status = http_ctl_refused(c, &deadline, &b)) != 0)
		return (http_reply(c, status, buf_steal(&b), url, 0));
	if (strcmp(url, "/local/status") == 0 && get) {
		sync_status(&b);
		status = 200;
	} else if (strncmp(url, "/local/products/", 16) == 0 && get) {
		if (sync_fetch_product(url + 16, &b, &f) == -1)
			status = local_fail(&b, &f);
		else
			status = 200;
	} else if (strcmp(url, "/local/products") == 0 && post)
		status = local_product_create(&hc->body, &b);
	else if (strncmp(url, "/local/products/", 16) == 0 &&
	    strcmp(method, "PATCH") == 0)
		status = local_product_update(url + 16, &hc->body, &b);
	else if (strcmp(url, "/local/logout") == 0 && post)
		status = local_logout(&b);
	else if (strcmp(url, "/local/orders") == 0 && post)
		status = txn_checkout(&hc->body,
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "X-Feira-Idempotency-Key"),
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "X-Feira-Digest"), deadline, &b);
	else {
		buf_free(&b);
		return (http_error(c, 404, "no such route", url, 0));
	}
	return (http_reply(c, status, buf_steal(&b), url, 0));
}

/* libmicrohttpd's handler: gather the body, then answer. */
static enum MHD_Result
http_handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct http_conn	*hc = *con_cls;

	(void)version;
	if (hc == NULL) {
		hc = xcalloc(1, sizeof *hc);
		buf_init(&hc->body);
		*con_cls = hc;
		return (MHD_YES);
	}
	if (*upload_size > 0) {
		if (hc->body.len + *upload_size > HTTP_BODY_MAX)
			hc->too_big = 1;
		else
			buf_add(&hc->body, upload, *upload_size);
		*upload_size = 0;
		return (MHD_YES);
	}
	if (cls == &http_peer_daemon)
		return (http_peer(c, url, method, hc));
	return (http_ctl(c, url, method, hc));
}

/* Free a request's body once it is answered. */
static void
http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_conn	*hc = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (hc == NULL)
		return;
	buf_free(&hc->body);
	free(hc);
	*con_cls = NULL;
}

/* Listen on a unix socket at path that only this user can reach. */
static int
http_listen(const char *path)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		log_warnx("http: socket path %s is too long", path);
		return (-1);
	}
	strcpy(sun.sun_path, path);
	if (unlink(path) == -1 && errno != ENOENT) {
		log_warn("http: unlink %s", path);
		return (-1);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    chmod(path, 0600) == -1 || listen(fd, 128) == -1) {
		log_warn("http: listen on %s", path);
		if (fd != -1)
			close(fd);
		return (-1);
	}
	return (fd);
}

/* Start one daemon on the socket at path; cls tells which door it is. */
static struct MHD_Daemon *
http_daemon(const char *path, void *cls)
{
	struct MHD_Daemon	*d;
	int			 fd;

	if ((fd = http_listen(path)) == -1)
		return (NULL);
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
	    http_handler, cls,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_END);
	if (d == NULL) {
		log_warnx("http: cannot start on %s", path);
		close(fd);
	}
	return (d);
}

/* Open both doors.  Returns 0, or -1 after logging. */
int
http_start(void)
{
	http_peer_daemon = http_daemon(pd->conf.peer_socket,
	    &http_peer_daemon);
	if (http_peer_daemon == NULL)
		return (-1);
	http_ctl_daemon = http_daemon(pd->conf.ctl_socket, &http_ctl_daemon);
	if (http_ctl_daemon == NULL)
		return (-1);
	return (0);
}

/* Close both doors and remove their sockets. */
void
http_stop(void)
{
	if (http_peer_daemon != NULL)
		MHD_stop_daemon(http_peer_daemon);
	if (http_ctl_daemon != NULL)
		MHD_stop_daemon(http_ctl_daemon);
	unlink(pd->conf.peer_socket);
	unlink(pd->conf.ctl_socket);
}
