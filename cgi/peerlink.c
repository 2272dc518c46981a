/*
 * The FastCGI program's line to its own peerd, over peerd's control
 * socket with libcurl: everything that involves other marketplaces goes
 * this way.  Every call is bounded; when peerd does not answer, the
 * caller gets -1 and shows what the local databases know.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "feira.h"
#include "log.h"

/* Largest answer taken from peerd. */
#define PEERLINK_ANSWER_MAX	(1024 * 1024)

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
 * Call peerd: method and path, at most timeout_ms.  The answer's body is
 * appended to out (which may be NULL) and its status stored in *status.
 * Returns 0, or -1 when there is no peerd or it did not answer.
 */
int
peerlink_call(const char *method, const char *path, long timeout_ms,
    struct buf *out, long *status)
{
	char		url[256];
	struct buf	sink;
	CURLcode	rc;

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
	if (strcmp(method, "POST") == 0)
		curl_easy_setopt(peerlink_easy, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(peerlink_easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(peerlink_easy, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(peerlink_easy, CURLOPT_WRITEFUNCTION, peerlink_write);
	curl_easy_setopt(peerlink_easy, CURLOPT_WRITEDATA,
	    out != NULL ? out : &sink);
	rc = curl_easy_perform(peerlink_easy);
	buf_free(&sink);
	if (rc != CURLE_OK) {
		log_warnx("peerlink: %s %s: %s", method, path,
		    curl_easy_strerror(rc));
		return (-1);
	}
	curl_easy_getinfo(peerlink_easy, CURLINFO_RESPONSE_CODE, status);
	return (0);
}

/* Tell peerd that local products changed, so that it pushes them now. */
void
peerlink_notify(void)
{
	long	status;

	peerlink_call("POST", "/local/notify", 200, NULL, &status);
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
