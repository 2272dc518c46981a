/*
 * The FastCGI program's line to its own peerd, over peerd's control
 * socket with libcurl: everything that involves other marketplaces goes
 * this way.  Every call is bounded; when peerd does not answer, the
 * caller gets -1 and shows what the local databases know.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "feira.h"
#include "jsonutil.h"
#include "log.h"

/* Largest answer taken from peerd. */
#define PEERLINK_ANSWER_MAX	(1024 * 1024)

/* What peerlink_request returns when peerd took a request, maybe. */
#define PEERLINK_LATE		-2	/* no answer before the timeout */
#define PEERLINK_UNANSWERED	-3	/* the connection ended first */

/* While peerd refuses connections, try again this often, this long. */
#define PEERLINK_CONNECT_TRIES		40
#define PEERLINK_CONNECT_PAUSE_MS	50

static CURL	*peerlink_easy;

/* Keep what peerd answers, within PEERLINK_ANSWER_MAX. */
static size_t
peerlink_write(char *data, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	if (b->len + size * n > PEERLINK_ANSWER_MAX)
		return (0);
	buf_add(b, data, size * n);
	return (size * n);
}

/*
 * Call peerd: method and path, with body (NULL for none) and extra
 * headers ("Name: value", NULL-terminated list, or NULL), at most
 * timeout_ms.  The answer's body is appended to out (which may be NULL)
 * and its status stored in *status.  Returns 0; -1 when there is no
 * peerd to take the request; or PEERLINK_UNANSWERED when peerd may have
 * taken it but gave no answer in time.
 */
int
peerlink_request(const char *method, const char *path, const char *body,
    const char *const *headers, long timeout_ms, struct buf *out,
    long *status)
{
	struct curl_slist	*list = NULL;
	char			 url[256];
	struct buf		 sink;
	CURLcode		 rc;
	int			 tries;

	*status = 0;
	if (app->conf.ctl_socket[0] == '\0')
		return (-1);
	if (peerlink_easy == NULL) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
		    (peerlink_easy = curl_easy_init()) == NULL)
			fatalx("peerlink: cannot start libcurl");
	}
	buf_init(&sink);
	snprintf(url, sizeof url, "http://peerd%s", path);
	curl_easy_reset(peerlink_easy);
	curl_easy_setopt(peerlink_easy, CURLOPT_UNIX_SOCKET_PATH,
	    app->conf.ctl_socket);
	curl_easy_setopt(peerlink_easy, CURLOPT_URL, url);
	curl_easy_setopt(peerlink_easy, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL || strcmp(method, "GET") != 0) {
		curl_easy_setopt(peerlink_easy, CURLOPT_POSTFIELDS,
		    body != NULL ? body : "");
		list = curl_slist_append(list,
		    "Content-Type: application/json");
	}
	list = curl_slist_append(list, "Expect:");
	for (; headers != NULL && *headers != NULL; headers++)
		list = curl_slist_append(list, *headers);
	curl_easy_setopt(peerlink_easy, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(peerlink_easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(peerlink_easy, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(peerlink_easy, CURLOPT_WRITEFUNCTION, peerlink_write);
	curl_easy_setopt(peerlink_easy, CURLOPT_WRITEDATA,
	    out != NULL ? out : &sink);
	/*
	 * A peerd that is starting again, as after a recovery of the store,
	 * refuses connections for a moment; the request did not reach it,
	 * so trying again cannot do anything twice.
	 */
	for (tries = 0; tries < PEERLINK_CONNECT_TRIES &&
	    tries * PEERLINK_CONNECT_PAUSE_MS < timeout_ms; tries++) {
		rc = curl_easy_perform(peerlink_easy);
		if (rc != CURLE_COULDNT_CONNECT)
			break;
		usleep(PEERLINK_CONNECT_PAUSE_MS * 1000);
	}
	curl_slist_free_all(list);
	buf_free(&sink);
	if (rc != CURLE_OK) {
		log_warnx("peerlink: %s %s: %s", method, path,
		    curl_easy_strerror(rc));
		return (rc == CURLE_COULDNT_CONNECT ? -1 :
		    rc == CURLE_OPERATION_TIMEDOUT ? PEERLINK_LATE :
		    PEERLINK_UNANSWERED);
	}
	curl_easy_getinfo(peerlink_easy, CURLINFO_RESPONSE_CODE, status);
	return (0);
}

/* Call peerd without a body: see peerlink_request; -1 for no answer. */
int
peerlink_call(const char *method, const char *path, long timeout_ms,
    struct buf *out, long *status)
{
	return (peerlink_request(method, path, NULL, NULL, timeout_ms, out,
	    status) == 0 ? 0 : -1);
}

/*
 * Ask peerd to do a write of the store, which it alone makes: method and
 * path, with the JSON body obj (which this puts) and at most two extra
 * headers.  On a 2xx answer returns its JSON object, which the caller
 * must put; otherwise NULL with f: peerd's failure, or 503 when it did
 * not answer.
 *
 * A request that peerd takes up late, as when it was stopped for a while,
 * must not change anything once this has given up on it and said so.  So
 * it carries a deadline, three quarters into timeout_ms on the clock that
 * every process of the machine shares, after which peerd starts nothing
 * and a checkout decides no commit; the last quarter is for peerd to
 * finish what it decided in time, and to answer.
 */
struct json_object *
peerlink_write_call(const char *method, const char *path,
    struct json_object *obj, const char *const *headers, long timeout_ms,
    struct fail *f)
{
	struct json_object	*answer = NULL;
	struct timespec		 ts;
	struct buf		 b;
	const char		*all[4] = { NULL, NULL, NULL, NULL };
	char			 deadline[64];
	long			 status;
	int			 i, rc;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(deadline, sizeof deadline, "X-Feira-Deadline: %lld",
	    (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    timeout_ms * 3 / 4);
	all[0] = deadline;
	for (i = 0; headers != NULL && headers[i] != NULL; i++) {
		if (i == 2)
			fatalx("peerlink: more headers than a write takes");
		all[i + 1] = headers[i];
	}
	buf_init(&b);
	rc = peerlink_request(method, path, json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), all,
	    timeout_ms, &b, &status);
	if (rc == -1 || rc == PEERLINK_LATE)
		fail_set(f, 503, NULL, "the marketplace's peer daemon does "
		    "not answer; nothing was changed");
	else if (rc == PEERLINK_UNANSWERED)
		/* It went away while it had the request: say what we know. */
		fail_set(f, 503, NULL, "the marketplace's peer daemon stopped "
		    "before it answered; the change may have been made: look "
		    "before you make it again, or send it again under the "
		    "same Idempotency-Key");
	else if (status < 200 || status > 299)
		jsonutil_fail_read(b.data, b.len, (int)status, f);
	else if ((answer = jsonutil_parse(b.data, b.len, f)) == NULL)
		f->status = 502;
	if (rc != 0)
		snprintf(f->marketplace, sizeof f->marketplace, "%s",
		    app->conf.name);
	json_object_put(obj);
	buf_free(&b);
	return (answer);
}

/* Free libcurl's handle at exit. */
void
peerlink_close(void)
{
	if (peerlink_easy == NULL)
		return;
	curl_easy_cleanup(peerlink_easy);
	curl_global_cleanup();
	peerlink_easy = NULL;
}
