/*
 * relay: an HTTP relay that the tests put between two marketplaces to
 * misbehave the way a network may.  Every request it gets on its port is
 * held for a random time (so that requests in flight overtake each other),
 * then with a chance dropped (the sender gets no answer, or the answer is
 * lost after the target handled it), sent twice, or passed on; the
 * target's answer comes back with the headers peers sign.
 *
 *	relay -l port -t http://127.0.0.1:port [-d max-delay-ms]
 *	    [-p drop-percent] [-u duplicate-percent] [-s seed]
 *
 * It listens on 127.0.0.1 only, runs until SIGTERM or SIGINT, and prints
 * what it did to each request on standard error.
 */

#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <microhttpd.h>

#include "buf.h"
#include "xmalloc.h"

static const char	*relay_target;
static int		 relay_delay = 100, relay_drop, relay_dup;
static pthread_mutex_t	 relay_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int	 relay_seed = 1;

/* Headers passed on both ways. */
static const char *const relay_headers[] = {
	"X-Feira-From", "X-Feira-Time", "X-Feira-Clock", "X-Feira-Signature",
	"Content-Type", NULL
};

struct relay_conn {
	struct buf	body;
};

struct relay_answer {
	long			 status;
	struct buf		 body;
	struct curl_slist	*headers;	/* "Name: value" lines kept */
};

/* A random number below n, from one generator for all threads. */
static int
relay_random(int n)
{
	int	r;

	pthread_mutex_lock(&relay_lock);
	r = rand_r(&relay_seed) % n;
	pthread_mutex_unlock(&relay_lock);
	return (r);
}

/* Keep the target's answer body. */
static size_t
relay_write(char *data, size_t size, size_t n, void *arg)
{
	buf_add(&((struct relay_answer *)arg)->body, data, size * n);
	return (size * n);
}

/* Keep the answer's headers that peers sign. */
static size_t
relay_header(char *data, size_t size, size_t n, void *arg)
{
	struct relay_answer	*a = arg;
	size_t			 len = size * n, i, hl;
	char			 line[512];

	for (i = 0; relay_headers[i] != NULL; i++) {
		hl = strlen(relay_headers[i]);
		if (len > hl + 1 && len < sizeof line &&
		    strncasecmp(data, relay_headers[i], hl) == 0 &&
		    data[hl] == ':') {
			memcpy(line, data, len);
			while (len > 0 && (line[len - 1] == '\r' ||
			    line[len - 1] == '\n'))
				len--;
			line[len] = '\0';
			a->headers = curl_slist_append(a->headers, line);
		}
	}
	return (size * n);
}

/* Pass the request on to the target; fill a with its answer. */
static int
relay_forward(struct MHD_Connection *c, const char *url, const char *method,
    const struct buf *body, struct relay_answer *a)
{
	struct curl_slist	*h = NULL;
	char			 u[512], line[512];
	const char		*v;
	CURL			*easy;
	CURLcode		 rc;
	size_t			 i;

	memset(a, 0, sizeof *a);
	buf_init(&a->body);
	for (i = 0; relay_headers[i] != NULL; i++) {
		v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    relay_headers[i]);
		if (v == NULL)
			continue;
		snprintf(line, sizeof line, "%s: %s", relay_headers[i], v);
		h = curl_slist_append(h, line);
	}
	h = curl_slist_append(h, "Expect:");
	snprintf(u, sizeof u, "%s%s", relay_target, url);
	easy = curl_easy_init();
	curl_easy_setopt(easy, CURLOPT_URL, u);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 5000L);
	if (body->len > 0 || strcmp(method, "POST") == 0) {
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS,
		    body->data != NULL ? body->data : "");
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)body->len);
	}
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, relay_write);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, relay_header);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, a);
	rc = curl_easy_perform(easy);
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &a->status);
	curl_easy_cleanup(easy);
	curl_slist_free_all(h);
	return (rc == CURLE_OK ? 0 : -1);
}

/* Free what an answer holds. */
static void
relay_answer_free(struct relay_answer *a)
{
	buf_free(&a->body);
	curl_slist_free_all(a->headers);
}

/* Answer that nothing came back. */
static enum MHD_Result
relay_lost(struct MHD_Connection *c)
{
	struct MHD_Response	*r;
	enum MHD_Result		 rc;

	r = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	rc = MHD_queue_response(c, 502, r);
	MHD_destroy_response(r);
	return (rc);
}

/*
 * Gather a request, hold it, then drop it, pass it on twice, or pass it
 * on, and answer with what the target said.
 */
static enum MHD_Result
relay_handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct relay_conn	*rc = *con_cls;
	struct relay_answer	 a, twice;
	struct MHD_Response	*r;
	struct curl_slist	*h;
	enum MHD_Result		 ret;
	char			*colon;
	int			 fate;

	(void)cls;
	(void)version;
	if (rc == NULL) {
		rc = xcalloc(1, sizeof *rc);
		buf_init(&rc->body);
		*con_cls = rc;
		return (MHD_YES);
	}
	if (*upload_size > 0) {
		buf_add(&rc->body, upload, *upload_size);
		*upload_size = 0;
		return (MHD_YES);
	}

	/* Hold it: requests in flight overtake each other. */
	if (relay_delay > 0)
		usleep((useconds_t)relay_random(relay_delay + 1) * 1000);
	fate = relay_random(100);
	if (fate < relay_drop / 2) {
		fprintf(stderr, "relay: %s %s dropped\n", method, url);
		return (relay_lost(c));
	}
	if (relay_forward(c, url, method, &rc->body, &a) == -1) {
		relay_answer_free(&a);
		return (relay_lost(c));
	}
	if (fate < relay_drop) {
		fprintf(stderr, "relay: %s %s answer lost\n", method, url);
		relay_answer_free(&a);
		return (relay_lost(c));
	}
	if (fate >= 100 - relay_dup) {
		fprintf(stderr, "relay: %s %s sent twice\n", method, url);
		if (relay_delay > 0)
			usleep((useconds_t)relay_random(relay_delay + 1) *
			    1000);
		relay_forward(c, url, method, &rc->body, &twice);
		relay_answer_free(&twice);
	}
	r = MHD_create_response_from_buffer(a.body.len,
	    a.body.data != NULL ? a.body.data : (void *)"",
	    MHD_RESPMEM_MUST_COPY);
	for (h = a.headers; h != NULL; h = h->next) {
		if ((colon = strchr(h->data, ':')) == NULL)
			continue;
		*colon = '\0';
		MHD_add_response_header(r, h->data, colon + 1 +
		    strspn(colon + 1, " "));
	}
	ret = MHD_queue_response(c, (unsigned int)(a.status > 0 ?
	    a.status : 502), r);
	MHD_destroy_response(r);
	relay_answer_free(&a);
	return (ret);
}

/* Free a request's body once it is answered. */
static void
relay_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct relay_conn	*rc = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (rc != NULL) {
		buf_free(&rc->body);
		free(rc);
	}
	*con_cls = NULL;
}

/* Listen on 127.0.0.1 and relay until SIGTERM or SIGINT. */
int
main(int argc, char **argv)
{
	struct MHD_Daemon	*d;
	struct sockaddr_in	 sin;
	sigset_t		 set;
	int			 ch, port = 0, sig;

	while ((ch = getopt(argc, argv, "d:l:p:s:t:u:")) != -1) {
		switch (ch) {
		case 'd':
			relay_delay = atoi(optarg);
			break;
		case 'l':
			port = atoi(optarg);
			break;
		case 'p':
			relay_drop = atoi(optarg);
			break;
		case 's':
			relay_seed = (unsigned int)atoi(optarg);
			break;
		case 't':
			relay_target = optarg;
			break;
		case 'u':
			relay_dup = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (port <= 0 || port > 65535 || relay_target == NULL ||
	    relay_drop < 0 || relay_dup < 0 || relay_drop + relay_dup > 100)
		goto usage;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port, NULL, NULL,
	    relay_handler, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_NOTIFY_COMPLETED, relay_completed, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "relay: cannot listen on port %d\n", port);
		return (1);
	}
	while (sigwait(&set, &sig) != 0)
		continue;
	MHD_stop_daemon(d);
	curl_global_cleanup();
	return (0);

usage:
	fprintf(stderr, "usage: relay -l port -t url [-d max-delay-ms] "
	    "[-p drop-percent] [-u duplicate-percent] [-s seed]\n");
	return (2);
}
