/*
 * feira-fcgi: the FastCGI program of one marketplace.
 *
 * The master reads the configuration and the templates, runs the store's
 * recovery once, opens the unix socket that nginx talks to, and forks the
 * workers.  Each worker opens the store for itself (Berkeley DB handles
 * must not cross a fork) and answers requests one at a time.  The master
 * starts a new worker when one dies, and on SIGTERM or SIGINT stops them
 * all and removes the socket.
 */

#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "feira.h"
#include "log.h"
#include "xmalloc.h"

#define WORKERS_MAX	64

struct app			*app;
static volatile sig_atomic_t	 feira_quit;

/* Template file of each enum page_tmpl. */
static const char *const feira_tmpl_files[T__MAX] = {
	"layout.html",		/* T_LAYOUT */
	"gallery.html",		/* T_GALLERY */
	"card.html",		/* T_CARD */
	"product.html",		/* T_PRODUCT */
	"cart.html",		/* T_CART */
	"cart-row.html",	/* T_CART_ROW */
	"order.html",		/* T_ORDER */
	"order-row.html",	/* T_ORDER_ROW */
	"login.html",		/* T_LOGIN */
	"seller.html",		/* T_SELLER */
	"seller-row.html",	/* T_SELLER_ROW */
	"product-form.html",	/* T_PRODUCT_FORM */
	"sales.html",		/* T_SALES */
	"sales-row.html",	/* T_SALES_ROW */
	"error.html",		/* T_ERROR */
	"network.html",		/* T_NETWORK */
	"network-row.html",	/* T_NETWORK_ROW */
	"shirt.html",		/* T_SHIRT */
	"pager.html",		/* T_PAGER */
	"pager-item.html",	/* T_PAGER_ITEM */
	"network-live.html",	/* T_NETWORK_LIVE */
	"queue-row.html",	/* T_QUEUE_ROW */
	"timeline.html",	/* T_TIMELINE */
	"timeline-lane.html",	/* T_TIMELINE_LANE */
	"timeline-tick.html",	/* T_TIMELINE_TICK */
	"timeline-mark.html",	/* T_TIMELINE_MARK */
};

/* Say how to run the program, and leave. */
static void
usage(void)
{
	fprintf(stderr, "usage: feira-fcgi [-t] -c file\n"
	    "       feira-fcgi -A -c file [-c file ...]\n"
	    "       feira-fcgi -P < password\n");
	exit(2);
}

/* SIGTERM and SIGINT: stop after the request in hand. */
static void
feira_signal(int sig)
{
	(void)sig;
	feira_quit = 1;
	FCGX_ShutdownPending();
}

/* Catch sig without SA_RESTART, so that a blocked accept returns. */
static void
feira_catch(int sig, void (*handler)(int))
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) == -1)
		fatal("sigaction");
}

/* Read a password from standard input and print its hash. */
static int
feira_hash_password(void)
{
	char	password[256], hash[200];
	size_t	len;

	if (fgets(password, sizeof password, stdin) == NULL)
		fatalx("no password on standard input");
	len = strlen(password);
	while (len > 0 && (password[len - 1] == '\n' ||
	    password[len - 1] == '\r'))
		password[--len] = '\0';
	if (len == 0)
		fatalx("the password is empty");
	if (auth_hash_password(password, hash, sizeof hash) == -1)
		fatalx("cannot hash the password");
	printf("%s\n", hash);
	return (0);
}

/*
 * Audit the stores of the marketplaces whose configuration files are the
 * n in paths, each on its own and all together (audit_network), and print
 * what is wrong.  Returns the exit status: 0 when nothing is, 1
 * otherwise.
 */
static int
feira_audit(char **paths, int n)
{
	struct conf	*confs = xcalloc((size_t)n, sizeof *confs);
	char		 err[1024];
	int		 i, bad;

	for (i = 0; i < n; i++)
		if (conf_load(&confs[i], paths[i], err, sizeof err) == -1) {
			fprintf(stderr, "feira-fcgi: %s\n", err);
			free(confs);
			return (1);
		}
	bad = audit_network(confs, n, stdout);
	free(confs);
	return (bad == 0 ? 0 : 1);
}

/* Load every template in every language; exit if one is missing. */
static void
feira_load_templates(void)
{
	int	i, l;

	i18n_init();
	for (l = 0; l < LANG__MAX; l++) {
		i18n_use((enum lang)l);
		for (i = 0; i < T__MAX; i++) {
			app->tmpls[l][i] = tmpl_load_tr(app->conf.templates,
			    feira_tmpl_files[i], i18n_template_text, NULL);
			if (app->tmpls[l][i] == NULL)
				fatalx("cannot load template %s from %s",
				    feira_tmpl_files[i], app->conf.templates);
		}
	}
	i18n_use(LANG_PT);
}

/* Free what the master loaded, so that leak checkers see a clean exit. */
static void
feira_free(void)
{
	int	i, l;

	for (l = 0; l < LANG__MAX; l++)
		for (i = 0; i < T__MAX; i++)
			tmpl_free(app->tmpls[l][i]);
	free(app);
	app = NULL;
}

/* A worker: open the store, answer requests until told to stop. */
static void
feira_worker(int sock)
{
	FCGX_Request	fcgi;
	struct request	r;

	feira_catch(SIGTERM, feira_signal);
	feira_catch(SIGINT, feira_signal);
	app->store = store_open(app->conf.data, app->conf.name,
	    app->conf.cache_mb, 0);
	if (app->store == NULL)
		fatalx("worker: cannot open the store");
	if (FCGX_InitRequest(&fcgi, sock, 0) != 0)
		fatalx("worker: FCGX_InitRequest failed");
	while (!feira_quit && FCGX_Accept_r(&fcgi) >= 0) {
		if (request_read(&r, &fcgi) == 0)
			routes_dispatch(&r);
		request_free(&r);
		FCGX_Finish_r(&fcgi);
	}
	FCGX_Free(&fcgi, 1);
	api_gallery_close();
	peerlink_close();
	store_close(app->store);
	feira_free();
	log_close();
	exit(0);
}

/* Fork one worker; returns its pid. */
static pid_t
feira_spawn(int sock)
{
	pid_t	pid;

	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0)
		feira_worker(sock);
	return (pid);
}

/* Stop every worker, waiting up to five seconds before killing them. */
static void
feira_stop_workers(pid_t *workers, int n)
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
			log_warnx("worker %ld did not stop; killing it",
			    (long)workers[i]);
			kill(workers[i], SIGKILL);
			waitpid(workers[i], NULL, 0);
		}
	}
}

/* The master: keep the workers running until a signal says stop. */
static void
feira_master(int sock)
{
	pid_t	workers[WORKERS_MAX], pid;
	time_t	last_spawn = 0;
	int	i, n = app->conf.workers, status;

	for (i = 0; i < n; i++)
		workers[i] = feira_spawn(sock);
	log_info("started %d workers on %s", n, app->conf.socket);
	while (!feira_quit) {
		pid = waitpid(-1, &status, 0);
		if (pid == -1) {
			if (errno == EINTR)
				continue;
			fatal("waitpid");
		}
		for (i = 0; i < n; i++) {
			if (workers[i] != pid)
				continue;
			log_warnx("worker %ld ended with status %d", (long)pid,
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			workers[i] = 0;
			if (feira_quit)
				break;
			/* Do not spin if a worker dies at once every time. */
			if (time(NULL) == last_spawn)
				sleep(1);
			last_spawn = time(NULL);
			workers[i] = feira_spawn(sock);
		}
	}
	log_info("stopping");
	feira_stop_workers(workers, n);
}

/*
 * Read the configuration, load the templates, recover the store, open the
 * socket, and run the master; or check (-t), audit (-A), hash (-P).
 */
int
main(int argc, char **argv)
{
	struct store	*st;
	const char	*conf_path = NULL;
	char		 err[1024], *secret, *confs[CONF_PEERS_MAX + 1];
	int		 ch, test = 0, audit = 0, sock, nconf = 0;

	while ((ch = getopt(argc, argv, "Ac:Pt")) != -1) {
		switch (ch) {
		case 'A':
			audit = 1;
			break;
		case 'c':
			conf_path = optarg;
			if (nconf < CONF_PEERS_MAX + 1)
				confs[nconf++] = optarg;
			break;
		case 'P':
			return (feira_hash_password());
		case 't':
			test = 1;
			break;
		default:
			usage();
		}
	}
	if (conf_path == NULL || optind != argc || (nconf > 1 && !audit))
		usage();
	if (audit) {
		log_open("feira-fcgi", NULL, LOG_LEVEL_INFO);
		return (feira_audit(confs, nconf));
	}

	app = xcalloc(1, sizeof *app);
	if (conf_load(&app->conf, conf_path, err, sizeof err) == -1) {
		fprintf(stderr, "feira-fcgi: %s\n", err);
		return (1);
	}
	if (app->conf.workers > WORKERS_MAX)
		app->conf.workers = WORKERS_MAX;
	log_open("feira-fcgi", test || app->conf.log[0] == '\0' ?
	    NULL : app->conf.log, LOG_LEVEL_INFO);
	feira_load_templates();
	if (test) {
		printf("%s: configuration and templates are fine\n",
		    conf_path);
		feira_free();
		return (0);
	}

	xasprintf(&secret, "%s/secret", app->conf.data);
	if (auth_secret_load(secret, app->secret) == -1)
		fatalx("cannot read or create %s", secret);
	free(secret);

	/* Recover the store once, before any worker opens it. */
	if ((st = store_open(app->conf.data, app->conf.name,
	    app->conf.cache_mb, 0)) == NULL)
		fatalx("cannot open the store in %s", app->conf.data);
	store_close(st);

	if (FCGX_Init() != 0)
		fatalx("FCGX_Init failed");
	if (unlink(app->conf.socket) == -1 && errno != ENOENT)
		fatal("unlink %s", app->conf.socket);
	if ((sock = FCGX_OpenSocket(app->conf.socket, 256)) == -1)
		fatal("cannot listen on %s", app->conf.socket);
	if (chmod(app->conf.socket, 0660) == -1)
		fatal("chmod %s", app->conf.socket);

	feira_catch(SIGTERM, feira_signal);
	feira_catch(SIGINT, feira_signal);
	signal(SIGPIPE, SIG_IGN);
	feira_master(sock);
	close(sock);
	unlink(app->conf.socket);
	feira_free();
	log_info("stopped");
	log_close();
	return (0);
}
