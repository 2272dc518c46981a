/*
 * The marketplace's Lamport clock (Lamport 1978, IR1 and IR2): one tick
 * for each local event and each message sent; on receipt, one more than
 * the larger of the clock and the message's stamp.
 *
 * The clock never goes backwards, across restarts too: a file holds a
 * high-water mark that the clock has not reached, written and synced
 * before the clock may pass it, and a restart begins from that mark.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "peerd.h"

/*
 * How far ahead of the clock the stored mark is set.  Storing it takes
 * two syncs under the daemon's lock, and a checkout moves the clocks of
 * a network by some thirty ticks: a mark a million ahead is stored about
 * once in thirty thousand checkouts, and a restart skips at most that.
 */
#define CLOCK_STRIDE	1000000

/*
 * Stamps above this are taken as this: a peer that sent one (it holds the
 * network key, so it is one of ours, but broken) must not push our clock
 * to where the other peers refuse our messages (peer-sign.c).
 */
#define CLOCK_CAP	((uint64_t)1 << 52)

/* Write the mark to the clock file and sync it.  Returns 0 or -1. */
static int
clock_store(uint64_t mark)
{
	char	tmp[CONF_PATH_MAX + 16], text[32];
	int	fd, n;

	snprintf(tmp, sizeof tmp, "%s.new", pd->clock_path);
	n = snprintf(text, sizeof text, "%" PRIu64 "\n", mark);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1) {
		log_warn("clock: %s", tmp);
		return (-1);
	}
	if (write(fd, text, (size_t)n) != n || fsync(fd) == -1) {
		log_warn("clock: writing %s", tmp);
		close(fd);
		return (-1);
	}
	close(fd);
	if (rename(tmp, pd->clock_path) == -1) {
		log_warn("clock: rename %s", tmp);
		return (-1);
	}
	/* The rename itself must reach the disk too. */
	if ((fd = open(pd->conf.data, O_RDONLY | O_DIRECTORY)) == -1 ||
	    fsync(fd) == -1) {
		log_warn("clock: syncing %s", pd->conf.data);
		if (fd != -1)
			close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

/*
 * Start the clock at the stored mark (0 the first time) and store the
 * next one.  Returns 0, or -1 after logging.
 */
int
clock_load(void)
{
	FILE		*f;
	uint64_t	 mark = 0;

	if ((f = fopen(pd->clock_path, "r")) != NULL) {
		if (fscanf(f, "%" SCNu64, &mark) != 1) {
			log_warnx("clock: %s is not a number", pd->clock_path);
			fclose(f);
			return (-1);
		}
		fclose(f);
	} else if (errno != ENOENT) {
		log_warn("clock: %s", pd->clock_path);
		return (-1);
	}
	pd->clock = mark;
	pd->clock_reserved = mark + CLOCK_STRIDE;
	return (clock_store(pd->clock_reserved));
}

/* Move the mark ahead before the clock reaches it; lock held. */
static void
clock_guard(void)
{
	if (pd->clock < pd->clock_reserved)
		return;
	pd->clock_reserved = pd->clock + CLOCK_STRIDE;
	if (clock_store(pd->clock_reserved) == -1)
		fatalx("clock: cannot store the clock's mark");
}

/*
 * A message stamped stamp arrived, or (stamp 0) a local event or a send:
 * take the later time, plus one, and return it.  The caller holds
 * pd->lock, so that what it does under the lock happens at that time.
 */
uint64_t
clock_receive_locked(uint64_t stamp)
{
	if (stamp > CLOCK_CAP) {
		log_warnx("clock: a stamp of %" PRIu64 " taken as %" PRIu64,
		    stamp, CLOCK_CAP);
		stamp = CLOCK_CAP;
	}
	if (stamp > pd->clock)
		pd->clock = stamp;
	pd->clock++;
	clock_guard();
	return (pd->clock);
}

/* A message stamped stamp arrived: take the later time, plus one. */
uint64_t
clock_receive(uint64_t stamp)
{
	uint64_t	now;

	pthread_mutex_lock(&pd->lock);
	now = clock_receive_locked(stamp);
	pthread_mutex_unlock(&pd->lock);
	return (now);
}

/* A local event or a send: tick, and return the new time. */
uint64_t
clock_tick(void)
{
	return (clock_receive(0));
}
