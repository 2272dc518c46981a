/*
 * peerd: the peer daemon of one Feira marketplace.
 *
 * It reads the marketplace's configuration, opens the store (with
 * threads: the HTTP doors and the sync thread share it), starts the
 * Lamport clock from its stored mark, opens its two sockets and starts
 * the sync thread.  SIGTERM or SIGINT stops it.  A supervising parent
 * starts it again when it leaves for the store's recovery.
 *
 * Databases: peerd is the one writer of every database of the store; the
 * FastCGI workers read them, and ask peerd for every write over its
 * control socket (peer-local.c).
 */

#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "log.h"
#include "peerd.h"
#include "xmalloc.h"

struct peerd		*pd;
volatile sig_atomic_t	 peerd_quit;

static volatile pid_t	 peerd_child;

/* The supervisor's handler: pass the signal on to the daemon. */
static void
peerd_forward(int sig)
{
	peerd_quit = 1;
	if (peerd_child > 0)
		kill(peerd_child, sig);
}

/*
 * Supervise: run the daemon in a child, and start it again when it left
 * because the store needed recovery (another process of the marketplace
 * died and the environment was recovered) or died of a signal; not when
 * it exited of its own accord, as on a bad configuration.  A daemon that
 * dies again within a second is started after a second's pause.  Returns
 * in the child only.
 */
static void
peerd_supervise(void)
{
	struct sigaction	sa;
	int			status;
	pid_t			pid;
	time_t			started = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = peerd_forward;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (;;) {
		if (time(NULL) - started < 1)
			sleep(1);
		started = time(NULL);
		if ((pid = fork()) == -1)
			fatal("fork");
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			return;
		}
		peerd_child = pid;
		while (waitpid(pid, &status, 0) == -1)
			if (errno != EINTR)
				fatal("waitpid");
		peerd_child = 0;
		if (peerd_quit)
			break;
		if (WIFSIGNALED(status))
			log_warnx("the daemon died of signal %d; starting it "
			    "again", WTERMSIG(status));
		else if (WEXITSTATUS(status) == STORE_EXIT_RECOVER)
			log_warnx("the daemon left for the store's recovery; "
			    "starting it again");
		else
			break;
	}
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/*
 * A failpoint, for the fault tests: when FEIRA_FAILPOINT is name, or
 * name:ms, the daemon says so in its log and stops here for ms
 * milliseconds (30 seconds when not given), so that a test can kill it
 * at exactly this step.  Without FEIRA_FAILPOINT it does nothing.
 */
void
failpoint(const char *name)
{
	const char	*fp = getenv("FEIRA_FAILPOINT");
	size_t		 len = strlen(name);
	long		 ms = 30000;

	if (fp == NULL || strncmp(fp, name, len) != 0 ||
	    (fp[len] != '\0' && fp[len] != ':'))
		return;
	if (fp[len] == ':')
		ms = strtol(fp + len + 1, NULL, 10);
	log_info("failpoint %s: pausing for %ld ms", name, ms);
	usleep((useconds_t)ms * 1000);
}

/* Say how to run the daemon, and leave. */
static void
usage(void)
{
	fprintf(stderr, "usage: peerd -c file\n");
	exit(2);
}

/* Set up the peers from the configuration and what peers.db holds. */
static void
peerd_load_peers(void)
{
	struct peer	*p;
	int		 i;

	pd->npeers = pd->conf.npeers;
	for (i = 0; i < pd->npeers; i++) {
		p = &pd->peers[i];
		p->conf = &pd->conf.peers[i];
		if (store_peer_get(pd->store, p->conf->name, &p->saved) ==
		    STORE_ERROR)
			fatalx("cannot read the state of peer %s",
			    p->conf->name);
		p->held = p->saved.held;
		p->last_heard = (time_t)p->saved.last_heard;
	}
}

/* Start the daemon and run until SIGTERM or SIGINT. */
int
main(int argc, char **argv)
{
	const char	*conf_path = NULL;
	char		 err[1024];
	pthread_t	 sync, txn;
	sigset_t	 set;
	int		 ch, sig;

	while ((ch = getopt(argc, argv, "c:")) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		default:
			usage();
		}
	}
	if (conf_path == NULL || optind != argc)
		usage();

	pd = xcalloc(1, sizeof *pd);
	if (conf_load(&pd->conf, conf_path, err, sizeof err) == -1) {
		fprintf(stderr, "peerd: %s\n", err);
		return (1);
	}
	if (pd->conf.peer_socket[0] == '\0' || pd->conf.ctl_socket[0] == '\0' ||
	    conf_network_key(&pd->conf, pd->key) == -1) {
		fprintf(stderr, "peerd: %s: peerd needs peer_socket, "
		    "ctl_socket and a network_key of 64 hex digits\n",
		    conf_path);
		return (1);
	}
	log_open("peerd", pd->conf.peerd_log[0] != '\0' ? pd->conf.peerd_log :
	    NULL, LOG_LEVEL_INFO);
	peerd_supervise();
	pthread_mutex_init(&pd->lock, NULL);
	pthread_cond_init(&pd->wake, NULL);
	snprintf(pd->clock_path, sizeof pd->clock_path, "%s/clock",
	    pd->conf.data);
	if (clock_load() == -1)
		fatalx("cannot start the clock from %s", pd->clock_path);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatalx("curl_global_init failed");
	if ((pd->store = store_open(pd->conf.data, pd->conf.name,
	    pd->conf.cache_mb, STORE_THREADS)) == NULL)
		fatalx("cannot open the store in %s", pd->conf.data);
	peerd_load_peers();
	store_change_high(pd->store, &pd->pushed);
	pd->started = time(NULL);

	/* Signals go to this thread only, which waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (lock_start() == -1)
		fatalx("cannot start the lock");
	if (http_start() == -1)
		fatalx("cannot open the sockets");
	if (pthread_create(&sync, NULL, sync_main, NULL) != 0)
		fatalx("cannot start the sync thread");
	if (pthread_create(&txn, NULL, txn_main, NULL) != 0)
		fatalx("cannot start the recovery thread");
	log_info("started with %d peers, clock %llu, incarnation %llu",
	    pd->npeers, (unsigned long long)pd->clock,
	    (unsigned long long)pd->incarnation);

	while (sigwait(&set, &sig) != 0 || (sig != SIGTERM && sig != SIGINT))
		continue;
	log_info("stopping");
	peerd_quit = 1;
	sync_notify();
	pthread_join(sync, NULL);
	pthread_join(txn, NULL);
	http_stop();
	lock_stop();
	store_close(pd->store);
	curl_global_cleanup();
	log_info("stopped at clock %llu", (unsigned long long)pd->clock);
	log_close();
	pthread_mutex_destroy(&pd->lock);
	pthread_cond_destroy(&pd->wake);
	free(pd);
	return (0);
}
