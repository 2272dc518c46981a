/*
 * Calls to the other marketplaces, with libcurl.  Every call is signed
 * (peer-sign.c), bounded in time, and its answer's signature checked
 * before anything in it is believed; the answer's stamp moves the Lamport
 * clock.  Calls run many at once through a multi handle.  Each thread has
 * a multi handle of its own, kept for the thread's life, so that its
 * connections to the peers stay open from one call to the next: the sync
 * thread's for pushes and catch-ups, each checkout's for its locks and
 * two-phase commit.
 */

#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "log.h"
#include "peerd.h"
#include "xmalloc.h"

/* Largest answer read from a peer. */
#define CALL_ANSWER_MAX	(64 * 1024 * 1024)

static pthread_key_t	call_key;
static pthread_once_t	call_once = PTHREAD_ONCE_INIT;

/* Keep the answer's body, within CALL_ANSWER_MAX. */
static size_t
call_write(char *data, size_t size, size_t n, void *arg)
{
	struct call	*c = arg;

	if (c->answer.len + size * n > CALL_ANSWER_MAX)
		return (0);
	buf_add(&c->answer, data, size * n);
	return (size * n);
}

/* Keep the X-Feira-* headers of the answer. */
static size_t
call_header(char *data, size_t size, size_t n, void *arg)
{
	static const struct {
		const char	*name;
		size_t		 offset;
	} keep[] = {
		{ "x-feira-from:", offsetof(struct call, from) },
		{ "x-feira-time:", offsetof(struct call, time) },
		{ "x-feira-clock:", offsetof(struct call, clock) },
		{ "x-feira-signature:", offsetof(struct call, sig) },
	};
	struct call	*c = arg;
	size_t		 len = size * n, i, nlen, vlen;
	const char	*v;
	char		*dst;

	for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		nlen = strlen(keep[i].name);
		if (len <= nlen || strncasecmp(data, keep[i].name, nlen) != 0)
			continue;
		v = data + nlen;
		vlen = len - nlen;
		while (vlen > 0 && (*v == ' ' || *v == '\t')) {
			v++;
			vlen--;
		}
		while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n'))
			vlen--;
		dst = (char *)c + keep[i].offset;
		if (vlen >= CALL_HEADER_MAX)
			vlen = CALL_HEADER_MAX - 1;
		memcpy(dst, v, vlen);
		dst[vlen] = '\0';
	}
	return (len);
}

/*
 * Make c a call to peer p of kind, with method, path and body (NULL for
 * none, kept by the caller until the call is freed), bounded by
 * timeout_ms (0: PEER_TIMEOUT_MS), and prepare it.
 */
void
call_init(struct call *c, struct peer *p, enum kind kind, const char *method,
    const char *path, const char *body, long timeout_ms)
{
	memset(c, 0, sizeof *c);
	c->peer = p;
	c->kind = kind;
	c->method = method;
	snprintf(c->path, sizeof c->path, "%s", path);
	c->body = body;
	c->body_len = body != NULL ? strlen(body) : 0;
	c->timeout_ms = timeout_ms;
	call_prepare(c);
}

/*
 * Make the easy handle of a call whose peer, kind, method, path and body
 * are set: signed headers, bounds (timeout_ms, or PEER_TIMEOUT_MS when
 * 0), buffers.  Counts the message as sent.
 */
void
call_prepare(struct call *c)
{
	char		 url[CONF_URL_MAX + 200], h[200], t[32], clock[32];
	char		 sig[65];

	buf_init(&c->answer);
	snprintf(url, sizeof url, "%s%s", c->peer->conf->url, c->path);
	snprintf(t, sizeof t, "%lld", (long long)time(NULL));
	snprintf(clock, sizeof clock, "%" PRIu64, clock_tick());
	sign_message(c->method, c->path, t, pd->conf.name, clock,
	    c->body != NULL ? c->body : "", c->body_len, sig);

	snprintf(h, sizeof h, "X-Feira-From: %s", pd->conf.name);
	c->headers = curl_slist_append(NULL, h);
	snprintf(h, sizeof h, "X-Feira-Time: %s", t);
	c->headers = curl_slist_append(c->headers, h);
	snprintf(h, sizeof h, "X-Feira-Clock: %s", clock);
	c->headers = curl_slist_append(c->headers, h);
	snprintf(h, sizeof h, "X-Feira-Signature: %s", sig);
	c->headers = curl_slist_append(c->headers, h);
	c->headers = curl_slist_append(c->headers,
	    "Content-Type: application/json");
	c->headers = curl_slist_append(c->headers, "Expect:");

	if ((c->easy = curl_easy_init()) == NULL)
		fatalx("call: curl_easy_init");
	curl_easy_setopt(c->easy, CURLOPT_URL, url);
	curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->headers);
	curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)PEER_CONNECT_MS);
	curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, c->timeout_ms > 0 ?
	    c->timeout_ms : (long)PEER_TIMEOUT_MS);
	curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, call_write);
	curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->easy, CURLOPT_HEADERFUNCTION, call_header);
	curl_easy_setopt(c->easy, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(c->easy, CURLOPT_ERRORBUFFER, c->error);
	curl_easy_setopt(c->easy, CURLOPT_PROTOCOLS_STR, "http");
	if (strcmp(c->method, "POST") == 0) {
		curl_easy_setopt(c->easy, CURLOPT_POST, 1L);
		curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, c->body);
		curl_easy_setopt(c->easy, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)c->body_len);
	}
	pthread_mutex_lock(&pd->lock);
	c->peer->sent[c->kind]++;
	pthread_mutex_unlock(&pd->lock);
}

/*
 * After the transfer: check the answer's signature, move the clock, and
 * note whether the peer answers.
 */
void
call_finish(struct call *c, CURLcode rc)
{
	struct fail	f;
	uint64_t	stamp;
	struct peer	*p = c->peer;
	char		answer[24];

	fail_clear(&f);
	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &c->status);
	snprintf(answer, sizeof answer, "ANSWER %ld", c->status);
	if (rc != CURLE_OK)
		log_info("call: %s %s%s: %s", c->method, p->conf->url, c->path,
		    c->error[0] != '\0' ? c->error : curl_easy_strerror(rc));
	else if (strcmp(c->from, p->conf->name) != 0 ||
	    sign_check(answer, c->path, c->from, c->time, c->clock, c->sig,
	    buf_str(&c->answer), c->answer.len, &stamp, &f) == -1)
		log_warnx("call: %s %s%s: answer refused: %s", c->method,
		    p->conf->url, c->path, f.error[0] != '\0' ? f.error :
		    "it names another sender");
	else {
		clock_receive(stamp);
		c->ok = 1;
	}
	pthread_mutex_lock(&pd->lock);
	p->known = 1;
	/* Refusals (401, 5xx) are no better than silence. */
	if (c->ok && (c->status < 400 || c->status == 404 ||
	    c->status == 409)) {
		p->answering = 1;
		p->last_heard = time(NULL);
	} else {
		p->answering = 0;
		p->failed++;
	}
	pthread_mutex_unlock(&pd->lock);
}

/* Free what a call holds, so that it can be prepared again. */
void
call_free(struct call *c)
{
	if (c->easy != NULL)
		curl_easy_cleanup(c->easy);
	c->easy = NULL;
	curl_slist_free_all(c->headers);
	c->headers = NULL;
	buf_free(&c->answer);
	c->status = 0;
	c->ok = 0;
	c->from[0] = c->time[0] = c->clock[0] = c->sig[0] = '\0';
	c->error[0] = '\0';
}

/* Free a thread's multi handle when the thread ends. */
static void
call_multi_free(void *arg)
{
	curl_multi_cleanup(arg);
}

/* Make the key under which each thread keeps its multi handle. */
static void
call_key_make(void)
{
	if (pthread_key_create(&call_key, call_multi_free) != 0)
		fatalx("call: pthread_key_create");
}

/* The calling thread's multi handle, made on first use. */
CURLM *
call_multi(void)
{
	CURLM	*m;

	pthread_once(&call_once, call_key_make);
	if ((m = pthread_getspecific(call_key)) != NULL)
		return (m);
	if ((m = curl_multi_init()) == NULL)
		fatalx("call: curl_multi_init");
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)(4 * pd->npeers + 4));
	if (pthread_setspecific(call_key, m) != 0)
		fatalx("call: pthread_setspecific");
	return (m);
}

/* Start n prepared calls on the thread's multi handle. */
void
call_start(struct call *calls, int n)
{
	CURLM	*m = call_multi();
	int	 running, i;

	for (i = 0; i < n; i++)
		curl_multi_add_handle(m, calls[i].easy);
	/* Send what can be sent now, so that the requests are on their way. */
	curl_multi_perform(m, &running);
}

/* Wait for n calls started with call_start, and finish each one. */
void
call_wait(struct call *calls, int n)
{
	CURLM	*m = call_multi();
	CURLMsg	*msg;
	int	 running = 0, left, i;

	do {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		if (running > 0)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	} while (running > 0);
	while ((msg = curl_multi_info_read(m, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		for (i = 0; i < n; i++)
			if (calls[i].easy == msg->easy_handle)
				call_finish(&calls[i], msg->data.result);
	}
	for (i = 0; i < n; i++)
		curl_multi_remove_handle(m, calls[i].easy);
}

/* Run n prepared calls at once, and wait for them all. */
void
call_run(struct call *calls, int n)
{
	call_start(calls, n);
	call_wait(calls, n);
}
