/*
 * loadgen: the load generator of bench/checkout.sh.
 *
 * N client threads, each with one libcurl easy handle and so one kept-alive
 * connection, do operations back to back for D seconds or for a count, and
 * loadgen prints what they did, one "key value" line each: the operations
 * completed, per second, the latency percentiles in milliseconds, and the
 * outcomes by HTTP status ("status 0" is a call that got no answer).
 *
 *	loadgen feira [options] [-k] -b CARTS URL...
 *		Each client POSTs URL/api/orders, client k to URL number k
 *		modulo their count, with cart number k modulo the number of
 *		carts: CARTS holds one JSON body per line.  A 201 order and
 *		a 409 lack of stock are both definite answers.  -k sends a
 *		new Idempotency-Key with every order, as the web cart does.
 *	loadgen etcd [options] [-s] [-l NAME] [-P PREFIX] URL...
 *		Each client takes a lease, then does lock-and-unlock cycles
 *		through etcd's HTTP/JSON gateway at URL number k modulo
 *		their count, on lock NAME-k, or with -s all on NAME; the
 *		gateway's path (/v3, /v3beta or /v3alpha) follows the
 *		version that GET URL/version tells, unless -P gives it.
 *	loadgen get [options] URL
 *		Each client GETs URL and wants a 200: one round trip.
 *	loadgen fsync [options] DIR
 *		Each client writes 512 bytes to a file of its own in DIR and
 *		fdatasyncs it, as a database commits a transaction to its log:
 *		the next 512 of a file of zeros, synced before the first, as
 *		the store's log files are zeroed when they are made.
 *
 * Options: -c clients (1), -d seconds (10, or 300 with -n: a cap), -n
 * operations per client, -t milliseconds a call may take (5000).
 *
 * An operation's outcome is the status of the call that ended it: for an
 * etcd cycle, the unlock's when both calls went well.  Every answer is
 * checked against what its status promises; anything else is an error,
 * described on standard error (the first few of each client).  A run with
 * any error prints "errors N", says so, and exits 1.
 *
 * Each etcd lease is granted for the run's length and a margin, so that
 * it cannot expire in the middle of a run and fail every lock after it;
 * the client revokes it at the end.
 */

#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>
#include <openssl/evp.h>

#include "buf.h"
#include "fail.h"
#include "jsonutil.h"
#include "xmalloc.h"

#define LOADGEN_CLIENTS_MAX	256
#define LOADGEN_URLS_MAX	16
#define LOADGEN_URL_MAX		200
#define LOADGEN_CARTS_MAX	256
#define LOADGEN_NAME_MAX	100

/* A longer answer than this is an error, not something to keep. */
#define LOADGEN_ANSWER_MAX	(1024 * 1024)

/* Statuses counted one by one; anything above is no HTTP status. */
#define LOADGEN_STATUS_MAX	600

/* A client that has seen this many errors stops: the run is void anyway. */
#define LOADGEN_ERRORS_MAX	100

/* Errors described on standard error, per client. */
#define LOADGEN_REPORTS_MAX	3

/* What fsync mode writes per operation: a small commit record. */
#define LOADGEN_RECORD		512

/* How much of its file fsync mode zeroes at a time, ahead of its writes. */
#define LOADGEN_ZEROED		(4 * 1024 * 1024)

#define LOADGEN_PRINTF(a, b) __attribute__((format(printf, a, b)))

enum loadgen_mode {
	LOADGEN_FEIRA,
	LOADGEN_ETCD,
	LOADGEN_GET,
	LOADGEN_FSYNC,
	LOADGEN__MAX
};

/* What the command line asks for; read-only once the clients start. */
struct loadgen_conf {
	enum loadgen_mode	 mode;
	int			 clients;
	double			 seconds;
	uint64_t		 count;		/* per client; 0: no count */
	long			 timeout_ms;
	int			 idempotency;	/* -k */
	int			 shared;	/* -s */
	const char		*name;		/* -l */
	char			 prefix[16];	/* the etcd gateway's path */
	long			 ttl;		/* each etcd lease's */
	const char		*urls[LOADGEN_URLS_MAX];
	int			 nurls;
	char			*carts[LOADGEN_CARTS_MAX];
	size_t			 cart_items[LOADGEN_CARTS_MAX];
	int			 ncarts;
	const char		*dir;		/* fsync mode's folder */
	time_t			 started;	/* in idempotency keys */
};

/* One client thread and everything it owns. */
struct loadgen_client {
	int			 id;
	pthread_t		 thread;
	CURL			*curl;
	struct buf		 answer;
	int			 overflow;	/* the answer was too long */
	char			 curl_error[CURL_ERROR_SIZE];

	/* What this client sends, by mode. */
	char			*url;		/* feira, get: the one URL */
	const char		*cart;
	size_t			 cart_items;
	char			*lock_url, *unlock_url;
	char			*grant_url, *revoke_url;
	char			 name[LOADGEN_NAME_MAX + 16];
	char			*name64;
	char			 lease[24];	/* decimal, "" while none */
	int			 fd;
	char			*path;
	off_t			 written;	/* fsync: records so far */
	off_t			 zeroed;	/* fsync: zeros so far */
	uint64_t		 seq;
	uint64_t		 tries;		/* operations begun */

	/* What it measured. */
	double			 t0, t1;
	double			*lat;		/* milliseconds, one per op */
	size_t			 nlat, sizelat;
	uint64_t		 status[LOADGEN_STATUS_MAX];
	uint64_t		 errors;
	int			 reported;
};

/* One operation, or the set-up or tear-down around a client's run. */
typedef int	(*loadgen_fn)(struct loadgen_client *);

static int	loadgen_feira_op(struct loadgen_client *);
static int	loadgen_etcd_op(struct loadgen_client *);
static int	loadgen_etcd_setup(struct loadgen_client *);
static int	loadgen_etcd_teardown(struct loadgen_client *);
static int	loadgen_get_op(struct loadgen_client *);
static int	loadgen_fsync_op(struct loadgen_client *);
static int	loadgen_fsync_setup(struct loadgen_client *);
static int	loadgen_fsync_teardown(struct loadgen_client *);
static int	loadgen_error(struct loadgen_client *, long, const char *, ...)
		    LOADGEN_PRINTF(3, 4);
static void	loadgen_die(const char *, ...) LOADGEN_PRINTF(1, 2)
		    __attribute__((noreturn));

static const char *const	loadgen_mode_names[LOADGEN__MAX] = {
	"feira",	/* LOADGEN_FEIRA */
	"etcd",		/* LOADGEN_ETCD */
	"get",		/* LOADGEN_GET */
	"fsync",	/* LOADGEN_FSYNC */
};

static const loadgen_fn		loadgen_ops[LOADGEN__MAX] = {
	loadgen_feira_op,	/* LOADGEN_FEIRA */
	loadgen_etcd_op,	/* LOADGEN_ETCD */
	loadgen_get_op,		/* LOADGEN_GET */
	loadgen_fsync_op,	/* LOADGEN_FSYNC */
};

static const loadgen_fn		loadgen_setups[LOADGEN__MAX] = {
	NULL,			/* LOADGEN_FEIRA */
	loadgen_etcd_setup,	/* LOADGEN_ETCD */
	NULL,			/* LOADGEN_GET */
	loadgen_fsync_setup,	/* LOADGEN_FSYNC */
};

static const loadgen_fn		loadgen_teardowns[LOADGEN__MAX] = {
	NULL,			/* LOADGEN_FEIRA */
	loadgen_etcd_teardown,	/* LOADGEN_ETCD */
	NULL,			/* LOADGEN_GET */
	loadgen_fsync_teardown,	/* LOADGEN_FSYNC */
};

static struct loadgen_conf	 loadgen_conf;
static pthread_barrier_t	 loadgen_start;

/* Say how to run loadgen, and leave. */
static void
loadgen_usage(void)
{
	fprintf(stderr,
	    "usage: loadgen feira [options] [-k] -b carts url ...\n"
	    "       loadgen etcd [options] [-s] [-l name] [-P prefix] "
	    "url ...\n"
	    "       loadgen get [options] url\n"
	    "       loadgen fsync [options] dir\n"
	    "options: [-c clients] [-d seconds] [-n count] "
	    "[-t timeout-ms]\n");
	exit(2);
}

/* Print a message to standard error and exit. */
static void
loadgen_die(const char *fmt, ...)
{
	va_list	ap;

	fputs("loadgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Seconds on the monotonic clock. */
static double
loadgen_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Parse a decimal number from min to max given for option opt. */
static long long
loadgen_number(const char *s, long long min, long long max, int opt)
{
	long long	 v;
	char		*end;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		loadgen_die("-%c wants a number from %lld to %lld, not \"%s\"",
		    opt, min, max, s);
	return (v);
}

/*
 * Is url a plain http:// address we may send to?  No spaces or control
 * bytes, no query, and short, so that paths can be appended to it.
 */
static int
loadgen_url_valid(const char *url)
{
	const unsigned char	*p;

	if (strncmp(url, "http://", 7) != 0 || url[7] == '\0' ||
	    strlen(url) > LOADGEN_URL_MAX)
		return (0);
	for (p = (const unsigned char *)url; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '?' || *p == '#')
			return (0);
	return (1);
}

/* Copy a string, replacing control and non-ASCII bytes, to show it. */
static void
loadgen_printable(const char *s, size_t len, char *out, size_t size)
{
	size_t	i;

	for (i = 0; i < len && i + 1 < size; i++)
		out[i] = (s[i] >= ' ' && s[i] < 0x7f) ? s[i] : '?';
	out[i] = '\0';
}

/*
 * Count one failed operation with the status that ended it, and describe
 * the first few on standard error, with the start of the answer.  Returns
 * -1, for the operation to return.
 */
static int
loadgen_error(struct loadgen_client *c, long status, const char *fmt, ...)
{
	va_list	ap;
	char	why[256], body[201];

	c->errors++;
	if (status >= 0 && status < LOADGEN_STATUS_MAX)
		c->status[status]++;
	if (c->reported >= LOADGEN_REPORTS_MAX)
		return (-1);
	c->reported++;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	loadgen_printable(buf_str(&c->answer), c->answer.len, body,
	    sizeof body);
	fprintf(stderr, "loadgen: client %d: %s%s%s\n", c->id, why,
	    body[0] != '\0' ? ": " : "", body);
	return (-1);
}

/* Keep what libcurl receives, up to LOADGEN_ANSWER_MAX bytes. */
static size_t
loadgen_write(char *data, size_t size, size_t n, void *arg)
{
	struct loadgen_client	*c = arg;

	if (c->answer.len + size * n > LOADGEN_ANSWER_MAX) {
		c->overflow = 1;
		return (0);
	}
	buf_add(&c->answer, data, size * n);
	return (size * n);
}

/* Make the client's easy handle: one connection, kept alive, no proxy. */
static void
loadgen_curl_init(struct loadgen_client *c)
{
	long	connect_ms;

	if ((c->curl = curl_easy_init()) == NULL)
		loadgen_die("curl_easy_init failed");
	connect_ms = loadgen_conf.timeout_ms < 1000 ?
	    loadgen_conf.timeout_ms : 1000;
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_PROXY, "");
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(c->curl, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, loadgen_conf.timeout_ms);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, loadgen_write);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->curl_error);
}

/*
 * POST body to url with headers, or GET url when body is NULL; the answer
 * is in c->answer.  Returns the HTTP status, or 0 when no answer came,
 * with the reason in c->curl_error.
 */
static long
loadgen_http(struct loadgen_client *c, const char *url, const char *body,
    struct curl_slist *headers)
{
	CURLcode	rc;
	long		status = 0;

	buf_reset(&c->answer);
	c->overflow = 0;
	c->curl_error[0] = '\0';
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	if (body == NULL)
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	else {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE,
		    (long)strlen(body));
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, headers);
	rc = curl_easy_perform(c->curl);
	if (rc != CURLE_OK) {
		if (c->overflow)
			snprintf(c->curl_error, sizeof c->curl_error,
			    "an answer of over %d bytes", LOADGEN_ANSWER_MAX);
		else if (c->curl_error[0] == '\0')
			snprintf(c->curl_error, sizeof c->curl_error, "%s",
			    curl_easy_strerror(rc));
		return (0);
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status <= 0 || status >= LOADGEN_STATUS_MAX) {
		snprintf(c->curl_error, sizeof c->curl_error,
		    "HTTP status %ld", status);
		return (0);
	}
	return (status);
}

/* Add a header line to list h; running out of memory is fatal. */
static struct curl_slist *
loadgen_header(struct curl_slist *h, const char *line)
{
	struct curl_slist	*n;

	if ((n = curl_slist_append(h, line)) == NULL)
		loadgen_die("out of memory");
	return (n);
}

/*
 * POST a JSON body with the usual headers, and the header line extra
 * unless it is NULL; see loadgen_http.
 */
static long
loadgen_post_json(struct loadgen_client *c, const char *url,
    const char *body, const char *extra)
{
	struct curl_slist	*h = NULL;
	long			 status;

	h = loadgen_header(h, "Content-Type: application/json");
	/* "Expect:" keeps curl from waiting for a 100 before the body. */
	h = loadgen_header(h, "Expect:");
	if (extra != NULL)
		h = loadgen_header(h, extra);
	status = loadgen_http(c, url, body, h);
	curl_slist_free_all(h);
	return (status);
}

/* The answer as a JSON object, or NULL when it is none. */
static struct json_object *
loadgen_answer_json(struct loadgen_client *c)
{
	struct json_object	*obj;
	struct fail		 f;

	fail_clear(&f);
	if ((obj = jsonutil_parse(c->answer.data, c->answer.len, &f)) ==
	    NULL)
		return (NULL);
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return (NULL);
	}
	return (obj);
}

/* Member key of obj if it is a non-empty string, else NULL. */
static const char *
loadgen_string(struct json_object *obj, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0)
		return (NULL);
	return (json_object_get_string(v));
}

/*
 * Member key of obj as an integer: a JSON integer, or a string of decimal
 * digits, as the gateway writes 64-bit integers.  Returns 0, or -1 when
 * it is missing or neither.
 */
static int
loadgen_int(struct json_object *obj, const char *key, int64_t *out)
{
	struct json_object	*v;
	const char		*s;
	char			*end;
	long long		 n;

	if (!json_object_object_get_ex(obj, key, &v))
		return (-1);
	if (json_object_is_type(v, json_type_int)) {
		errno = 0;
		*out = json_object_get_int64(v);
		return (errno == 0 ? 0 : -1);
	}
	if (!json_object_is_type(v, json_type_string))
		return (-1);
	s = json_object_get_string(v);
	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0)
		return (-1);
	*out = n;
	return (0);
}

/* Keep the latency of one operation, in milliseconds. */
static void
loadgen_record(struct loadgen_client *c, double seconds)
{
	if (c->nlat == c->sizelat) {
		c->sizelat = c->sizelat == 0 ? 4096 : c->sizelat * 2;
		c->lat = xreallocarray(c->lat, c->sizelat, sizeof *c->lat);
	}
	c->lat[c->nlat++] = seconds * 1000;
}

/* Write a new Idempotency-Key header line, unique to run, client, order. */
static void
loadgen_feira_key(struct loadgen_client *c, char *line, size_t size)
{
	snprintf(line, size, "Idempotency-Key: loadgen-%ld-%lld-%d-%" PRIu64,
	    (long)getpid(), (long long)loadgen_conf.started, c->id, c->seq++);
}

/* Is a 201's body an order of every item of the cart, confirmed? */
static int
loadgen_feira_order(struct loadgen_client *c, struct json_object *obj)
{
	struct json_object	*items;
	const char		*status;
	int64_t			 total;

	if (loadgen_string(obj, "id") == NULL)
		return (loadgen_error(c, 201, "an order without an id"));
	status = loadgen_string(obj, "status");
	if (status == NULL || strcmp(status, "confirmed") != 0)
		return (loadgen_error(c, 201, "an order not confirmed"));
	if (!json_object_object_get_ex(obj, "items", &items) ||
	    !json_object_is_type(items, json_type_array) ||
	    json_object_array_length(items) != c->cart_items)
		return (loadgen_error(c, 201, "an order of %zu items "
		    "without them", c->cart_items));
	if (loadgen_int(obj, "total_cents", &total) == -1 || total <= 0)
		return (loadgen_error(c, 201, "an order without a total"));
	return (0);
}

/* Is a 409's body a lack of stock, naming the item and what is left? */
static int
loadgen_feira_sold_out(struct loadgen_client *c, struct json_object *obj)
{
	int64_t	available;

	if (loadgen_string(obj, "error") == NULL ||
	    loadgen_string(obj, "product") == NULL ||
	    loadgen_string(obj, "size") == NULL ||
	    loadgen_int(obj, "available", &available) == -1 || available < 0)
		return (loadgen_error(c, 409, "a 409 that is no lack of "
		    "stock"));
	return (0);
}

/* One checkout: POST the client's cart; a 201 or a 409 is an answer. */
static int
loadgen_feira_op(struct loadgen_client *c)
{
	struct json_object	*obj;
	char			 key[128];
	long			 status;
	int			 rc;

	if (loadgen_conf.idempotency)
		loadgen_feira_key(c, key, sizeof key);
	status = loadgen_post_json(c, c->url, c->cart,
	    loadgen_conf.idempotency ? key : NULL);
	if (status == 0)
		return (loadgen_error(c, 0, "POST %s: %s", c->url,
		    c->curl_error));
	if (status != 201 && status != 409)
		return (loadgen_error(c, status, "POST %s: %ld", c->url,
		    status));
	if ((obj = loadgen_answer_json(c)) == NULL)
		return (loadgen_error(c, status, "POST %s: %ld, not a JSON "
		    "object", c->url, status));
	if (status == 201)
		rc = loadgen_feira_order(c, obj);
	else
		rc = loadgen_feira_sold_out(c, obj);
	json_object_put(obj);
	if (rc == 0)
		c->status[status]++;
	return (rc);
}

/* POST a JSON object (which this puts) to url; the answer as with http. */
static long
loadgen_etcd_post(struct loadgen_client *c, const char *url,
    struct json_object *body)
{
	long	status;

	status = loadgen_post_json(c, url, json_object_to_json_string_ext(
	    body, JSON_C_TO_STRING_PLAIN), NULL);
	json_object_put(body);
	return (status);
}

/*
 * Check an answer of the gateway to a call that wants a 200: returns its
 * JSON object, which the caller must put, or NULL after counting the
 * error.  The gateway answers a failed call with an error status and
 * {"error", "code"}; a 200 with "error" would be one too.
 */
static struct json_object *
loadgen_etcd_answer(struct loadgen_client *c, const char *what, long status)
{
	struct json_object	*obj;

	if (status == 0) {
		loadgen_error(c, 0, "%s: %s", what, c->curl_error);
		return (NULL);
	}
	if (status != 200) {
		loadgen_error(c, status, "%s: %ld", what, status);
		return (NULL);
	}
	if ((obj = loadgen_answer_json(c)) == NULL) {
		loadgen_error(c, status, "%s: not a JSON object", what);
		return (NULL);
	}
	if (json_object_object_get_ex(obj, "error", NULL)) {
		json_object_put(obj);
		loadgen_error(c, status, "%s: an error", what);
		return (NULL);
	}
	return (obj);
}

/* Grant the client's lease, which every one of its locks is held under. */
static int
loadgen_etcd_setup(struct loadgen_client *c)
{
	struct json_object	*body, *obj;
	int64_t			 id, ttl;
	long			 status;

	body = json_object_new_object();
	json_object_object_add(body, "TTL",
	    json_object_new_int64(loadgen_conf.ttl));
	status = loadgen_etcd_post(c, c->grant_url, body);
	if ((obj = loadgen_etcd_answer(c, "lease grant", status)) == NULL)
		return (-1);
	if (loadgen_int(obj, "ID", &id) == -1 || id <= 0 ||
	    loadgen_int(obj, "TTL", &ttl) == -1 || ttl < loadgen_conf.ttl) {
		json_object_put(obj);
		return (loadgen_error(c, status, "lease grant: no lease of "
		    "%ld s", loadgen_conf.ttl));
	}
	json_object_put(obj);
	snprintf(c->lease, sizeof c->lease, "%" PRId64, id);
	return (0);
}

/* Revoke the client's lease, so that it leaves no lock behind. */
static int
loadgen_etcd_teardown(struct loadgen_client *c)
{
	struct json_object	*body, *obj;
	long			 status;

	if (c->lease[0] == '\0')
		return (0);
	body = json_object_new_object();
	json_object_object_add(body, "ID", json_object_new_string(c->lease));
	status = loadgen_etcd_post(c, c->revoke_url, body);
	if ((obj = loadgen_etcd_answer(c, "lease revoke", status)) == NULL)
		return (-1);
	json_object_put(obj);
	return (0);
}

/*
 * Is key, as the gateway writes it (base64), a lock key of the client's
 * name?  etcd's lock keys are the name, "/", and the lease in hexadecimal.
 */
static int
loadgen_etcd_key_valid(struct loadgen_client *c, const char *key)
{
	unsigned char	 raw[3 * 256 / 4 + 1];
	size_t		 len = strlen(key), n = strlen(c->name);
	int		 got;

	if (len == 0 || len % 4 != 0 || len > 256 ||
	    strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/=") != len)
		return (0);
	got = EVP_DecodeBlock(raw, (const unsigned char *)key, (int)len);
	if (got < 0 || (size_t)got < n + 2)
		return (0);
	return (memcmp(raw, c->name, n) == 0 && raw[n] == '/');
}

/* One cycle: lock the client's name under its lease, then unlock it. */
static int
loadgen_etcd_op(struct loadgen_client *c)
{
	struct json_object	*body, *obj;
	const char		*key;
	long			 status;

	body = json_object_new_object();
	json_object_object_add(body, "name",
	    json_object_new_string(c->name64));
	json_object_object_add(body, "lease", json_object_new_string(c->lease));
	status = loadgen_etcd_post(c, c->lock_url, body);
	if ((obj = loadgen_etcd_answer(c, "lock", status)) == NULL)
		return (-1);
	if ((key = loadgen_string(obj, "key")) == NULL ||
	    !loadgen_etcd_key_valid(c, key)) {
		json_object_put(obj);
		return (loadgen_error(c, status, "lock: no key of %s",
		    c->name));
	}

	body = json_object_new_object();
	json_object_object_add(body, "key", json_object_new_string(key));
	json_object_put(obj);
	status = loadgen_etcd_post(c, c->unlock_url, body);
	if ((obj = loadgen_etcd_answer(c, "unlock", status)) == NULL)
		return (-1);
	if (!json_object_object_get_ex(obj, "header", NULL)) {
		json_object_put(obj);
		return (loadgen_error(c, status, "unlock: no header"));
	}
	json_object_put(obj);
	c->status[status]++;
	return (0);
}

/*
 * Which path does the gateway at url serve v3 under?  etcd 3.2 has it at
 * /v3alpha, 3.3 at /v3beta (and /v3alpha), 3.4 at /v3 (and /v3beta);
 * GET /version answers {"etcdserver": "3.4.23", ...}.
 */
static void
loadgen_etcd_prefix(const char *url)
{
	struct loadgen_client	 c;
	struct json_object	*obj;
	const char		*version;
	char			*u;
	int			 major, minor;
	long			 status;

	memset(&c, 0, sizeof c);
	c.id = -1;
	buf_init(&c.answer);
	loadgen_curl_init(&c);
	xasprintf(&u, "%s/version", url);
	status = loadgen_http(&c, u, NULL, NULL);
	if (status != 200 || (obj = loadgen_answer_json(&c)) == NULL)
		loadgen_die("GET %s: %s", u, status == 0 ? c.curl_error :
		    "no version");
	version = loadgen_string(obj, "etcdserver");
	if (version == NULL || sscanf(version, "%d.%d", &major, &minor) != 2)
		loadgen_die("GET %s: no etcdserver version", u);
	if (major > 3 || (major == 3 && minor >= 4))
		strcpy(loadgen_conf.prefix, "/v3");
	else if (major == 3 && minor == 3)
		strcpy(loadgen_conf.prefix, "/v3beta");
	else if (major == 3 && minor == 2)
		strcpy(loadgen_conf.prefix, "/v3alpha");
	else
		loadgen_die("etcd %d.%d has no v3 HTTP gateway", major, minor);
	json_object_put(obj);
	free(u);
	curl_easy_cleanup(c.curl);
	buf_free(&c.answer);
}

/* One round trip: GET the URL, which must answer 200 with a body. */
static int
loadgen_get_op(struct loadgen_client *c)
{
	long	status;

	status = loadgen_http(c, c->url, NULL, NULL);
	if (status == 0)
		return (loadgen_error(c, 0, "GET %s: %s", c->url,
		    c->curl_error));
	if (status != 200 || c->answer.len == 0)
		return (loadgen_error(c, status, "GET %s: %ld", c->url,
		    status));
	c->status[status]++;
	return (0);
}

/*
 * Zero the next LOADGEN_ZEROED bytes of the client's file and sync them,
 * so that a write there changes no size the disk has to record.
 */
static int
loadgen_fsync_zero(struct loadgen_client *c)
{
	static const char	zeros[64 * 1024];
	off_t			end = c->zeroed + LOADGEN_ZEROED;

	for (; c->zeroed < end; c->zeroed += (off_t)sizeof zeros)
		if (pwrite(c->fd, zeros, sizeof zeros, c->zeroed) !=
		    (ssize_t)sizeof zeros)
			return (loadgen_error(c, 0, "write %s: %s", c->path,
			    strerror(errno)));
	if (fsync(c->fd) == -1)
		return (loadgen_error(c, 0, "fsync %s: %s", c->path,
		    strerror(errno)));
	return (0);
}

/* Open the client's own new file in the folder, zeroed ahead. */
static int
loadgen_fsync_setup(struct loadgen_client *c)
{
	xasprintf(&c->path, "%s/loadgen-fsync.%ld.%d", loadgen_conf.dir,
	    (long)getpid(), c->id);
	c->fd = open(c->path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (c->fd == -1) {
		free(c->path);
		c->path = NULL;
		return (loadgen_error(c, 0, "%s/: %s", loadgen_conf.dir,
		    strerror(errno)));
	}
	c->written = c->zeroed = 0;
	return (loadgen_fsync_zero(c));
}

/* Close and remove the client's file. */
static int
loadgen_fsync_teardown(struct loadgen_client *c)
{
	if (c->path == NULL)
		return (0);
	close(c->fd);
	unlink(c->path);
	free(c->path);
	c->path = NULL;
	return (0);
}

/*
 * One durable commit: write a record over the zeros and wait until it is
 * on the disk.  Past the zeros, more are made first, counted in that
 * operation's time, as a log's new file is in the commit that needs it.
 */
static int
loadgen_fsync_op(struct loadgen_client *c)
{
	char	record[LOADGEN_RECORD];

	if (c->written + (off_t)sizeof record > c->zeroed &&
	    loadgen_fsync_zero(c) == -1)
		return (-1);
	memset(record, 'x', sizeof record);
	if (pwrite(c->fd, record, sizeof record, c->written) !=
	    (ssize_t)sizeof record)
		return (loadgen_error(c, 0, "write %s: %s", c->path,
		    strerror(errno)));
	c->written += (off_t)sizeof record;
	if (fdatasync(c->fd) == -1)
		return (loadgen_error(c, 0, "fdatasync %s: %s", c->path,
		    strerror(errno)));
	return (0);
}

/*
 * Has the client done what it was asked to, or had to stop?  A count is
 * of operations tried, answered or not.
 */
static int
loadgen_client_done(const struct loadgen_client *c, double deadline)
{
	if (loadgen_conf.count > 0 && c->tries >= loadgen_conf.count)
		return (1);
	if (c->errors >= LOADGEN_ERRORS_MAX)
		return (1);
	return (loadgen_now() >= deadline);
}

/*
 * A client thread: set up, wait for every other client, run operations
 * back to back until done, then tear down.
 */
static void *
loadgen_client_run(void *arg)
{
	struct loadgen_client	*c = arg;
	enum loadgen_mode	 m = loadgen_conf.mode;
	double			 start, deadline;
	int			 ready;

	ready = loadgen_setups[m] == NULL || loadgen_setups[m](c) == 0;
	pthread_barrier_wait(&loadgen_start);
	c->t0 = c->t1 = loadgen_now();
	if (!ready)
		return (NULL);
	deadline = c->t0 + loadgen_conf.seconds;
	while (!loadgen_client_done(c, deadline)) {
		start = loadgen_now();
		c->tries++;
		if (loadgen_ops[m](c) == 0)
			loadgen_record(c, loadgen_now() - start);
	}
	c->t1 = loadgen_now();
	if (loadgen_teardowns[m] != NULL)
		loadgen_teardowns[m](c);
	return (NULL);
}

/* Make client k's handle, URLs and body from the configuration. */
static void
loadgen_client_init(struct loadgen_client *c, int k)
{
	const char	*base;
	const char	*prefix = loadgen_conf.prefix;
	size_t		 len;

	c->id = k;
	c->fd = -1;
	buf_init(&c->answer);
	if (loadgen_conf.mode == LOADGEN_FSYNC)
		return;
	loadgen_curl_init(c);
	base = loadgen_conf.urls[k % loadgen_conf.nurls];
	switch (loadgen_conf.mode) {
	case LOADGEN_FEIRA:
		xasprintf(&c->url, "%s/api/orders", base);
		c->cart = loadgen_conf.carts[k % loadgen_conf.ncarts];
		c->cart_items = loadgen_conf.cart_items[k %
		    loadgen_conf.ncarts];
		break;
	case LOADGEN_ETCD:
		xasprintf(&c->lock_url, "%s%s/lock/lock", base, prefix);
		xasprintf(&c->unlock_url, "%s%s/lock/unlock", base, prefix);
		xasprintf(&c->grant_url, "%s%s/lease/grant", base, prefix);
		xasprintf(&c->revoke_url, "%s%s/lease/revoke", base, prefix);
		if (loadgen_conf.shared)
			snprintf(c->name, sizeof c->name, "%s",
			    loadgen_conf.name);
		else
			snprintf(c->name, sizeof c->name, "%s-%d",
			    loadgen_conf.name, k);
		len = strlen(c->name);
		c->name64 = xmalloc(4 * ((len + 2) / 3) + 1);
		EVP_EncodeBlock((unsigned char *)c->name64,
		    (const unsigned char *)c->name, (int)len);
		break;
	default:
		c->url = xstrdup(base);
		break;
	}
}

/* Release what client c holds. */
static void
loadgen_client_free(struct loadgen_client *c)
{
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	buf_free(&c->answer);
	free(c->url);
	free(c->lock_url);
	free(c->unlock_url);
	free(c->grant_url);
	free(c->revoke_url);
	free(c->name64);
	free(c->lat);
}

/*
 * Read the carts of feira mode, one JSON object with a non-empty "items"
 * array per line; blank lines are skipped.
 */
static void
loadgen_carts_read(const char *path)
{
	struct loadgen_conf	*cf = &loadgen_conf;
	struct json_object	*obj, *items;
	struct fail		 f;
	FILE			*fp;
	char			*line = NULL;
	size_t			 size = 0;
	ssize_t			 n;
	int			 lineno = 0;

	if ((fp = fopen(path, "r")) == NULL)
		loadgen_die("%s: %s", path, strerror(errno));
	while ((n = getline(&line, &size, fp)) != -1) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (strspn(line, " \t") == (size_t)n)
			continue;
		if (cf->ncarts == LOADGEN_CARTS_MAX)
			loadgen_die("%s: more than %d carts", path,
			    LOADGEN_CARTS_MAX);
		fail_clear(&f);
		if ((obj = jsonutil_parse(line, (size_t)n, &f)) == NULL)
			loadgen_die("%s:%d: %s", path, lineno, f.error);
		if (!json_object_is_type(obj, json_type_object) ||
		    !json_object_object_get_ex(obj, "items", &items) ||
		    !json_object_is_type(items, json_type_array) ||
		    json_object_array_length(items) == 0)
			loadgen_die("%s:%d: not a cart with items", path,
			    lineno);
		cf->cart_items[cf->ncarts] = json_object_array_length(items);
		cf->carts[cf->ncarts++] = xstrdup(line);
		json_object_put(obj);
	}
	if (ferror(fp))
		loadgen_die("%s: %s", path, strerror(errno));
	fclose(fp);
	free(line);
	if (cf->ncarts == 0)
		loadgen_die("%s: no cart", path);
}

/* Read the command line into loadgen_conf; leaves on any bad input. */
static void
loadgen_options(int argc, char **argv)
{
	struct loadgen_conf	*cf = &loadgen_conf;
	const char		*carts = NULL, *prefix = NULL;
	size_t			 len;
	int			 ch, m, i, seconds_given = 0;

	if (argc < 2)
		loadgen_usage();
	for (m = 0; m < LOADGEN__MAX; m++)
		if (strcmp(argv[1], loadgen_mode_names[m]) == 0)
			break;
	if (m == LOADGEN__MAX)
		loadgen_usage();
	cf->mode = (enum loadgen_mode)m;
	cf->clients = 1;
	cf->seconds = 10;
	cf->timeout_ms = 5000;
	cf->name = "loadgen";
	cf->started = time(NULL);

	argc--;
	argv++;
	while ((ch = getopt(argc, argv, "b:c:d:kl:n:P:st:")) != -1) {
		switch (ch) {
		case 'b':
			carts = optarg;
			break;
		case 'c':
			cf->clients = (int)loadgen_number(optarg, 1,
			    LOADGEN_CLIENTS_MAX, ch);
			break;
		case 'd':
			cf->seconds = (double)loadgen_number(optarg, 1, 3600,
			    ch);
			seconds_given = 1;
			break;
		case 'k':
			cf->idempotency = 1;
			break;
		case 'l':
			cf->name = optarg;
			break;
		case 'n':
			cf->count = (uint64_t)loadgen_number(optarg, 1,
			    100000000, ch);
			break;
		case 'P':
			prefix = optarg;
			break;
		case 's':
			cf->shared = 1;
			break;
		case 't':
			cf->timeout_ms = (long)loadgen_number(optarg, 1,
			    600000, ch);
			break;
		default:
			loadgen_usage();
		}
	}
	argc -= optind;
	argv += optind;

	/* A count alone is still bounded in time, if more loosely. */
	if (cf->count > 0 && !seconds_given)
		cf->seconds = 300;
	if (argc < 1 || argc > LOADGEN_URLS_MAX)
		loadgen_usage();
	if ((cf->mode == LOADGEN_GET || cf->mode == LOADGEN_FSYNC) && argc != 1)
		loadgen_usage();
	if ((carts != NULL) != (cf->mode == LOADGEN_FEIRA))
		loadgen_usage();
	if (cf->mode == LOADGEN_FSYNC) {
		cf->dir = argv[0];
		return;
	}
	for (i = 0; i < argc; i++) {
		if (!loadgen_url_valid(argv[i]))
			loadgen_die("not a plain http:// address: \"%s\"",
			    argv[i]);
		/* A base URL gets paths appended: drop its last '/'. */
		len = strlen(argv[i]);
		if (cf->mode != LOADGEN_GET && argv[i][len - 1] == '/')
			argv[i][len - 1] = '\0';
		cf->urls[cf->nurls++] = argv[i];
	}
	if (carts != NULL)
		loadgen_carts_read(carts);
	if (strlen(cf->name) == 0 || strlen(cf->name) > LOADGEN_NAME_MAX ||
	    strcspn(cf->name, "/") != strlen(cf->name))
		loadgen_die("-l wants a name of 1 to %d bytes without '/'",
		    LOADGEN_NAME_MAX);
	if (prefix != NULL) {
		if (strlen(prefix) >= sizeof cf->prefix || prefix[0] != '/')
			loadgen_die("-P wants a path such as /v3");
		snprintf(cf->prefix, sizeof cf->prefix, "%s", prefix);
	}
	/* Leases must outlive the run and its last call. */
	cf->ttl = (long)cf->seconds + 2 * (cf->timeout_ms / 1000) + 30;
}

/* Compare two latencies, for qsort. */
static int
loadgen_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

/*
 * The quantile of n sorted values at permille/1000, by the nearest rank:
 * the smallest value that at least that share of the values do not pass.
 */
static double
loadgen_quantile(const double *v, size_t n, size_t permille)
{
	size_t	rank;

	if (n == 0)
		return (0);
	rank = (permille * n + 999) / 1000;
	if (rank < 1)
		rank = 1;
	return (v[rank - 1]);
}

/*
 * Add up every client's figures and print them.  Returns the number of
 * errors.
 */
static uint64_t
loadgen_report(struct loadgen_client *clients)
{
	struct loadgen_conf	*cf = &loadgen_conf;
	uint64_t		 status[LOADGEN_STATUS_MAX], errors = 0;
	double			*all, t0 = 0, t1 = 0, elapsed, sum = 0;
	size_t			 n = 0, k;
	int			 i, short_count = 0;

	memset(status, 0, sizeof status);
	for (i = 0; i < cf->clients; i++)
		n += clients[i].nlat;
	all = xcalloc(n > 0 ? n : 1, sizeof *all);
	n = 0;
	for (i = 0; i < cf->clients; i++) {
		struct loadgen_client	*c = &clients[i];

		if (c->nlat > 0)
			memcpy(all + n, c->lat, c->nlat * sizeof *all);
		n += c->nlat;
		for (k = 0; k < LOADGEN_STATUS_MAX; k++)
			status[k] += c->status[k];
		errors += c->errors;
		if (i == 0 || c->t0 < t0)
			t0 = c->t0;
		if (i == 0 || c->t1 > t1)
			t1 = c->t1;
		if (cf->count > 0 && c->tries < cf->count)
			short_count = 1;
	}
	qsort(all, n, sizeof *all, loadgen_cmp);
	elapsed = t1 - t0;
	for (k = 0; k < n; k++)
		sum += all[k];

	printf("mode %s\n", loadgen_mode_names[cf->mode]);
	if (cf->mode == LOADGEN_ETCD)
		printf("prefix %s\n", cf->prefix);
	printf("clients %d\n", cf->clients);
	printf("seconds %.3f\n", elapsed);
	printf("ops %zu\n", n);
	printf("ops_per_s %.1f\n", elapsed > 0 ? (double)n / elapsed : 0);
	printf("mean_ms %.3f\n", n > 0 ? sum / (double)n : 0);
	printf("p50_ms %.3f\n", loadgen_quantile(all, n, 500));
	printf("p90_ms %.3f\n", loadgen_quantile(all, n, 900));
	printf("p99_ms %.3f\n", loadgen_quantile(all, n, 990));
	printf("max_ms %.3f\n", n > 0 ? all[n - 1] : 0);
	for (k = 0; k < LOADGEN_STATUS_MAX; k++)
		if (status[k] > 0)
			printf("status %zu %" PRIu64 "\n", k, status[k]);
	printf("errors %" PRIu64 "\n", errors);
	if (short_count)
		fprintf(stderr, "loadgen: the time limit or the errors came "
		    "before the count\n");
	free(all);
	return (errors);
}

/* Run the clients, print the figures; exit 1 when any call failed. */
int
main(int argc, char **argv)
{
	struct loadgen_client	*clients;
	uint64_t		 errors;
	int			 i, rc;

	loadgen_options(argc, argv);
	if (loadgen_conf.mode != LOADGEN_FSYNC &&
	    curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		loadgen_die("curl_global_init failed");
	if (loadgen_conf.mode == LOADGEN_ETCD && loadgen_conf.prefix[0] == '\0')
		loadgen_etcd_prefix(loadgen_conf.urls[0]);

	clients = xcalloc((size_t)loadgen_conf.clients, sizeof *clients);
	for (i = 0; i < loadgen_conf.clients; i++)
		loadgen_client_init(&clients[i], i);
	rc = pthread_barrier_init(&loadgen_start, NULL,
	    (unsigned)loadgen_conf.clients);
	if (rc != 0)
		loadgen_die("pthread_barrier_init: %s", strerror(rc));
	for (i = 0; i < loadgen_conf.clients; i++) {
		rc = pthread_create(&clients[i].thread, NULL,
		    loadgen_client_run, &clients[i]);
		if (rc != 0)
			loadgen_die("pthread_create: %s", strerror(rc));
	}
	for (i = 0; i < loadgen_conf.clients; i++)
		pthread_join(clients[i].thread, NULL);
	pthread_barrier_destroy(&loadgen_start);

	errors = loadgen_report(clients);
	for (i = 0; i < loadgen_conf.clients; i++)
		loadgen_client_free(&clients[i]);
	free(clients);
	for (i = 0; i < loadgen_conf.ncarts; i++)
		free(loadgen_conf.carts[i]);
	if (loadgen_conf.mode != LOADGEN_FSYNC)
		curl_global_cleanup();
	if (errors > 0) {
		fprintf(stderr, "loadgen: errors: %" PRIu64 "; the figures "
		    "are wrong\n", errors);
		return (1);
	}
	return (0);
}
