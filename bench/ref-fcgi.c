/*
 * ref-fcgi: the yardstick that bench/run.sh holds feira-fcgi against.
 *
 * A bare FastCGI program: no templates, no JSON library, no sessions, no
 * sorting.  It joins a marketplace's Berkeley DB environment while
 * feira-fcgi runs on it (never recovering it: that is feira-fcgi's job),
 * reads products.db with a cursor in a snapshot transaction, prints each
 * product's fields as plain HTML or JSON, and pads or trims the body to
 * the size that the query string's "bytes" asks for.  So nginx and the
 * network carry exactly as many bytes as for the feira page it stands
 * for, and the difference left is what feira-fcgi does on top of reading
 * the store.  Like feira-fcgi, a master forks workers that take turns
 * accepting on one unix socket, and each worker joins the environment
 * for itself.
 *
 *	/ref/gallery?bytes=N		every product, as HTML
 *	/ref/api/gallery?bytes=N	every product, as JSON
 *	/ref/products/ID?bytes=N	one product, as HTML
 *
 * Text is still escaped: a page that skipped it would be no page that
 * feira could ever send, and would flatter the reference.
 */

#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <db.h>
#include <fcgiapp.h>

#include "product.h"

#define REF_WORKERS_MAX	64

/* Largest body a request may ask for. */
#define REF_BYTES_MAX	(64UL * 1024 * 1024)

#define REF_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* A growing output buffer, kept by a worker from one request to the next. */
struct ref_buf {
	char	*data;
	size_t	 len;
	size_t	 size;
};

/* What a worker holds open: the environment and the products B-tree. */
struct ref_store {
	DB_ENV	*env;
	DB	*products;
};

/* How one product is printed into the body. */
typedef void	(*ref_print)(struct ref_buf *, const struct product *, int);

static void	ref_fatal(const char *, ...) REF_PRINTF(1, 2)
		    __attribute__((noreturn));
static void	ref_warnx(const char *, ...) REF_PRINTF(1, 2);
static void	ref_buf_printf(struct ref_buf *, const char *, ...)
		    REF_PRINTF(2, 3);

static volatile sig_atomic_t	ref_quit;

/*
 * The name of each enum size.  lib/product.c has the same table, but the
 * reference links no Feira code, so that it stays a bare program.
 */
static const char *const	ref_size_names[SIZE__MAX] = {
	"P",	/* SIZE_P */
	"M",	/* SIZE_M */
	"G",	/* SIZE_G */
	"GG",	/* SIZE_GG */
	"XG",	/* SIZE_XG */
};

/* Say how to run the reference, and leave. */
static void
usage(void)
{
	fprintf(stderr, "usage: ref-fcgi -d home -s socket [-w workers]\n");
	exit(2);
}

/* Print a message with the process id to standard error. */
static void
ref_vwarnx(const char *fmt, va_list ap)
{
	fprintf(stderr, "ref-fcgi[%ld]: ", (long)getpid());
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Print a message and carry on. */
static void
ref_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	ref_vwarnx(fmt, ap);
	va_end(ap);
}

/* Print a message and exit. */
static void
ref_fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	ref_vwarnx(fmt, ap);
	va_end(ap);
	exit(1);
}

/* Make room for n more bytes and a NUL. */
static void
ref_buf_grow(struct ref_buf *b, size_t n)
{
	size_t	size;

	if (b->len + n < b->size)
		return;
	size = b->size == 0 ? 64 * 1024 : b->size;
	while (size <= b->len + n)
		size *= 2;
	if ((b->data = realloc(b->data, size)) == NULL)
		ref_fatal("out of memory");
	b->size = size;
}

/* Append n bytes of s. */
static void
ref_buf_add(struct ref_buf *b, const char *s, size_t n)
{
	ref_buf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

/* Append a NUL-terminated string. */
static void
ref_buf_adds(struct ref_buf *b, const char *s)
{
	ref_buf_add(b, s, strlen(s));
}

/* Append formatted text. */
static void
ref_buf_printf(struct ref_buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	ref_buf_grow(b, 128);
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		ref_fatal("vsnprintf failed");
	if ((size_t)n >= b->size - b->len) {
		ref_buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->size - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* Append s with the five HTML metacharacters escaped. */
static void
ref_buf_html(struct ref_buf *b, const char *s)
{
	const char	*run = s, *ent;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			continue;
		}
		ref_buf_add(b, run, (size_t)(s - run));
		ref_buf_adds(b, ent);
		run = s + 1;
	}
	ref_buf_add(b, run, (size_t)(s - run));
}

/* Append s as a JSON string, quotes included. */
static void
ref_buf_json(struct ref_buf *b, const char *s)
{
	const char	*run = s;
	unsigned char	 c;

	ref_buf_add(b, "\"", 1);
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c != '"' && c != '\\' && c >= 0x20)
			continue;
		ref_buf_add(b, run, (size_t)(s - run));
		if (c == '"' || c == '\\') {
			ref_buf_add(b, "\\", 1);
			ref_buf_add(b, s, 1);
		} else
			ref_buf_printf(b, "\\u%04x", c);
		run = s + 1;
	}
	ref_buf_add(b, run, (size_t)(s - run));
	ref_buf_add(b, "\"", 1);
}

/* One product as an HTML list item; first is unused. */
static void
ref_print_html(struct ref_buf *b, const struct product *p, int first)
{
	int	i;

	(void)first;
	ref_buf_adds(b, "<li><a href=\"/products/");
	ref_buf_html(b, p->id);
	ref_buf_adds(b, "\">");
	ref_buf_html(b, p->name);
	ref_buf_adds(b, "</a> <span>");
	ref_buf_html(b, p->team);
	ref_buf_printf(b, "</span> R$ %lld,%02lld",
	    (long long)(p->price_cents / 100),
	    (long long)(p->price_cents % 100));
	for (i = 0; i < SIZE__MAX; i++)
		ref_buf_printf(b, " %s:%d", ref_size_names[i],
		    (int)p->stock[i]);
	ref_buf_adds(b, " <i style=\"color:");
	ref_buf_html(b, p->colors[0]);
	ref_buf_adds(b, "\">");
	ref_buf_html(b, p->colors[1]);
	ref_buf_adds(b, "</i> ");
	ref_buf_html(b, p->marketplace);
	ref_buf_adds(b, "<p>");
	ref_buf_html(b, p->description);
	ref_buf_adds(b, "</p></li>\n");
}

/* One product as a JSON object, after a comma unless it is the first. */
static void
ref_print_json(struct ref_buf *b, const struct product *p, int first)
{
	int	i;

	ref_buf_adds(b, first ? "{\"id\":" : ",{\"id\":");
	ref_buf_json(b, p->id);
	ref_buf_adds(b, ",\"marketplace\":");
	ref_buf_json(b, p->marketplace);
	ref_buf_adds(b, ",\"name\":");
	ref_buf_json(b, p->name);
	ref_buf_adds(b, ",\"team\":");
	ref_buf_json(b, p->team);
	ref_buf_adds(b, ",\"description\":");
	ref_buf_json(b, p->description);
	ref_buf_printf(b, ",\"price_cents\":%lld,\"stock\":{",
	    (long long)p->price_cents);
	for (i = 0; i < SIZE__MAX; i++)
		ref_buf_printf(b, "%s\"%s\":%d", i == 0 ? "" : ",",
		    ref_size_names[i], (int)p->stock[i]);
	ref_buf_adds(b, "},\"colors\":[");
	ref_buf_json(b, p->colors[0]);
	ref_buf_adds(b, ",");
	ref_buf_json(b, p->colors[1]);
	ref_buf_adds(b, "]}");
}

/*
 * Join the environment in home, which feira-fcgi created: no DB_CREATE,
 * no DB_RECOVER.  DB_REGISTER counts this process among the users, so
 * that its death would be noticed; should recovery be needed, the open
 * fails with DB_RUNRECOVERY instead of running it.  Returns 0, or -1
 * after printing why.
 */
static int
ref_store_open(struct ref_store *st, const char *home)
{
	uint32_t	flags;
	int		rc;

	memset(st, 0, sizeof *st);
	if ((rc = db_env_create(&st->env, 0)) != 0) {
		ref_warnx("db_env_create: %s", db_strerror(rc));
		return (-1);
	}
	st->env->set_errfile(st->env, stderr);
	st->env->set_errpfx(st->env, "ref-fcgi: berkeley db");
	st->env->set_flags(st->env, DB_MULTIVERSION, 1);
	flags = DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL |
	    DB_REGISTER;
	if ((rc = st->env->open(st->env, home, flags, 0)) != 0) {
		ref_warnx("join the environment %s: %s", home,
		    db_strerror(rc));
		st->env->close(st->env, 0);
		return (-1);
	}
	if ((rc = db_create(&st->products, st->env, 0)) != 0) {
		ref_warnx("db_create: %s", db_strerror(rc));
		st->env->close(st->env, 0);
		return (-1);
	}
	rc = st->products->open(st->products, NULL, "products.db", NULL,
	    DB_BTREE, DB_RDONLY | DB_AUTO_COMMIT | DB_MULTIVERSION, 0);
	if (rc != 0) {
		ref_warnx("open products.db: %s", db_strerror(rc));
		st->products->close(st->products, 0);
		st->env->close(st->env, 0);
		return (-1);
	}
	return (0);
}

/* Close the products B-tree and leave the environment. */
static void
ref_store_close(struct ref_store *st)
{
	st->products->close(st->products, 0);
	st->env->close(st->env, 0);
}

/*
 * Print products with print over one snapshot: every one from the first
 * key on when id is NULL, else only product id (DB_SET).  Returns the
 * number printed, or -1 if the store failed.
 */
static int
ref_walk(struct ref_store *st, const char *id, ref_print print,
    struct ref_buf *b)
{
	DB_TXN		*txn;
	DBC		*cur;
	DBT		 k, d;
	struct product	 p;
	int		 rc, n = 0;

	if ((rc = st->env->txn_begin(st->env, NULL, &txn,
	    DB_TXN_SNAPSHOT)) != 0) {
		ref_warnx("txn_begin: %s", db_strerror(rc));
		return (-1);
	}
	if ((rc = st->products->cursor(st->products, txn, &cur, 0)) != 0) {
		ref_warnx("cursor: %s", db_strerror(rc));
		txn->abort(txn);
		return (-1);
	}
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	if (id != NULL) {
		k.data = (void *)id;
		k.size = (uint32_t)strlen(id);
	}
	d.data = &p;
	d.ulen = sizeof p;
	d.flags = DB_DBT_USERMEM;
	while ((rc = cur->get(cur, &k, &d, id != NULL ? DB_SET :
	    DB_NEXT)) == 0) {
		/*
		 * Skipping a record would make a short page that the padding
		 * hides, and a reference that looks faster than it is: a
		 * record of another layout (built from another product.h
		 * than feira-fcgi) fails the request instead.
		 */
		if (d.size != sizeof p || p.format != PRODUCT_FORMAT) {
			ref_warnx("a product has %u bytes and format %u, not "
			    "%zu and %d", d.size, d.size >= sizeof p.format ?
			    p.format : 0, sizeof p, PRODUCT_FORMAT);
			rc = EINVAL;
			break;
		}
		print(b, &p, n++ == 0);
		if (id != NULL)
			break;
	}
	cur->close(cur);
	txn->commit(txn, 0);
	if (rc == EINVAL)
		return (-1);
	if (rc != 0 && rc != DB_NOTFOUND) {
		ref_warnx("walking products: %s", db_strerror(rc));
		return (-1);
	}
	return (n);
}

/* The "bytes" parameter of a query string; 0 when absent or bad. */
static size_t
ref_bytes(const char *query)
{
	const char	*s;
	char		*end;
	unsigned long	 n;

	for (s = query; s != NULL && *s != '\0'; s = strchr(s, '&')) {
		if (*s == '&')
			s++;
		if (strncmp(s, "bytes=", 6) != 0)
			continue;
		n = strtoul(s + 6, &end, 10);
		if ((*end != '\0' && *end != '&') || n > REF_BYTES_MAX)
			return (0);
		return ((size_t)n);
	}
	return (0);
}

/* Pad b with spaces, or cut it, to want bytes; 0 keeps it as it is. */
static void
ref_fit(struct ref_buf *b, size_t want)
{
	if (want == 0)
		return;
	if (b->len < want) {
		ref_buf_grow(b, want - b->len);
		memset(b->data + b->len, ' ', want - b->len);
	}
	b->len = want;
}

/* Fill b with the body for uri; returns the HTTP status. */
static int
ref_body(struct ref_store *st, const char *uri, struct ref_buf *b,
    const char **type)
{
	const char	*html = "text/html; charset=utf-8";
	const char	*id;
	int		 n;

	*type = html;
	if (strcmp(uri, "/ref/gallery") == 0) {
		ref_buf_adds(b, "<!doctype html>\n<title>Galeria</title>\n"
		    "<ul>\n");
		if (ref_walk(st, NULL, ref_print_html, b) == -1)
			return (500);
		ref_buf_adds(b, "</ul>\n");
		return (200);
	}
	if (strcmp(uri, "/ref/api/gallery") == 0) {
		*type = "application/json; charset=utf-8";
		ref_buf_adds(b, "{\"products\":[");
		if (ref_walk(st, NULL, ref_print_json, b) == -1)
			return (500);
		ref_buf_adds(b, "]}");
		return (200);
	}
	if (strncmp(uri, "/ref/products/", 14) == 0 && uri[14] != '\0' &&
	    strlen(uri + 14) <= PRODUCT_ID_MAX) {
		id = uri + 14;
		ref_buf_adds(b, "<!doctype html>\n<title>Produto</title>\n"
		    "<ul>\n");
		if ((n = ref_walk(st, id, ref_print_html, b)) == -1)
			return (500);
		ref_buf_adds(b, "</ul>\n");
		return (n == 0 ? 404 : 200);
	}
	return (404);
}

/* Answer one request. */
static void
ref_answer(FCGX_Request *req, struct ref_store *st, struct ref_buf *b)
{
	const char	*uri, *query, *type, *reason;
	char		 head[256];
	int		 status, n;

	uri = FCGX_GetParam("DOCUMENT_URI", req->envp);
	query = FCGX_GetParam("QUERY_STRING", req->envp);
	b->len = 0;
	status = ref_body(st, uri != NULL ? uri : "", b, &type);
	if (status == 200)
		ref_fit(b, ref_bytes(query));
	else {
		b->len = 0;
		ref_buf_printf(b, "%d\n", status);
	}
	reason = status == 200 ? "OK" : status == 404 ? "Not Found" :
	    "Internal Server Error";

	/* libfcgi's own printf knows no %zu: format the head here. */
	n = snprintf(head, sizeof head, "Status: %d %s\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Length: %zu\r\n\r\n", status, reason, type, b->len);
	FCGX_PutStr(head, n, req->out);
	FCGX_PutStr(b->data, (int)b->len, req->out);
}

/* SIGTERM and SIGINT: stop after the request in hand. */
static void
ref_signal(int sig)
{
	(void)sig;
	ref_quit = 1;
	FCGX_ShutdownPending();
}

/* Catch sig without SA_RESTART, so that a blocked accept returns. */
static void
ref_catch(int sig, void (*handler)(int))
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) == -1)
		ref_fatal("sigaction: %s", strerror(errno));
}

/* A worker: join the store, answer requests until told to stop. */
static void
ref_worker(int sock, const char *home)
{
	FCGX_Request		req;
	struct ref_store	st;
	struct ref_buf		b;

	if (ref_store_open(&st, home) == -1)
		exit(1);
	if (FCGX_InitRequest(&req, sock, 0) != 0)
		ref_fatal("FCGX_InitRequest failed");
	memset(&b, 0, sizeof b);
	while (!ref_quit && FCGX_Accept_r(&req) >= 0) {
		ref_answer(&req, &st, &b);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	free(b.data);
	ref_store_close(&st);
	exit(0);
}

/* Stop every worker, waiting up to five seconds before killing them. */
static void
ref_stop_workers(pid_t *workers, int n)
{
	int	i, left, tries;
	pid_t	pid;

	for (i = 0; i < n; i++)
		if (workers[i] > 0)
			kill(workers[i], SIGTERM);
	for (tries = 0; tries < 50; tries++) {
		while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
			for (i = 0; i < n; i++)
				if (workers[i] == pid)
					workers[i] = 0;
		for (left = 0, i = 0; i < n; i++)
			left += workers[i] > 0;
		if (left == 0)
			return;
		usleep(100000);
	}
	for (i = 0; i < n; i++) {
		if (workers[i] > 0) {
			ref_warnx("worker %ld did not stop; killing it",
			    (long)workers[i]);
			kill(workers[i], SIGKILL);
			waitpid(workers[i], NULL, 0);
		}
	}
}

/*
 * The master: fork the workers and wait for a signal.  A worker that dies
 * is not replaced: the figures of a bench that lost one would be wrong,
 * so everything stops and the exit status says so.  Returns that status.
 */
static int
ref_master(int sock, const char *home, int n)
{
	pid_t	workers[REF_WORKERS_MAX], pid;
	int	i, status, rc = 0;

	for (i = 0; i < n; i++) {
		if ((pid = fork()) == -1)
			ref_fatal("fork: %s", strerror(errno));
		if (pid == 0)
			ref_worker(sock, home);
		workers[i] = pid;
	}
	while (!ref_quit) {
		pid = waitpid(-1, &status, 0);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid == -1)
			ref_fatal("waitpid: %s", strerror(errno));
		for (i = 0; i < n; i++)
			if (workers[i] == pid)
				workers[i] = 0;
		if (ref_quit)
			break;
		ref_warnx("worker %ld ended with status %d; stopping",
		    (long)pid, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		rc = 1;
		break;
	}
	ref_stop_workers(workers, n);
	return (rc);
}

/* Open the socket, fork the workers, and serve until SIGTERM. */
int
main(int argc, char **argv)
{
	struct ref_store	 st;
	const char		*home = NULL, *path = NULL;
	char			*end;
	long			 workers = 4;
	int			 ch, sock, rc;

	while ((ch = getopt(argc, argv, "d:s:w:")) != -1) {
		switch (ch) {
		case 'd':
			home = optarg;
			break;
		case 's':
			path = optarg;
			break;
		case 'w':
			workers = strtol(optarg, &end, 10);
			if (*end != '\0' || workers < 1 ||
			    workers > REF_WORKERS_MAX)
				usage();
			break;
		default:
			usage();
		}
	}
	if (home == NULL || path == NULL || optind != argc)
		usage();

	/* Join once here, so that a wrong folder fails before any fork. */
	if (ref_store_open(&st, home) == -1)
		return (1);
	ref_store_close(&st);

	if (FCGX_Init() != 0)
		ref_fatal("FCGX_Init failed");
	if (unlink(path) == -1 && errno != ENOENT)
		ref_fatal("unlink %s: %s", path, strerror(errno));
	if ((sock = FCGX_OpenSocket(path, 256)) == -1)
		ref_fatal("cannot listen on %s", path);
	if (chmod(path, 0660) == -1)
		ref_fatal("chmod %s: %s", path, strerror(errno));

	ref_catch(SIGTERM, ref_signal);
	ref_catch(SIGINT, ref_signal);
	signal(SIGPIPE, SIG_IGN);
	rc = ref_master(sock, home, (int)workers);
	close(sock);
	unlink(path);
	return (rc);
}
