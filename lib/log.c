/*
 * Logging to a file or to standard error.  The "x" variants leave errno
 * out; the others append strerror(errno), as OpenBSD's log.c does.
 */

#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static FILE		*log_file;
static const char	*log_program = "feira";
static enum log_level	 log_min = LOG_LEVEL_INFO;

static const char *const log_names[LOG_LEVEL__MAX] = {
	"debug",	/* LOG_LEVEL_DEBUG */
	"info",		/* LOG_LEVEL_INFO */
	"warn",		/* LOG_LEVEL_WARN */
	"error",	/* LOG_LEVEL_ERROR */
};

static void	log_vwrite(enum log_level, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

/*
 * Send lines to path (standard error when NULL), naming program.  A file
 * that cannot be opened leaves logging on standard error.
 */
void
log_open(const char *program, const char *path, enum log_level min)
{
	log_program = program;
	log_min = min;
	if (path == NULL)
		return;
	if ((log_file = fopen(path, "a")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", program, path,
		    strerror(errno));
		return;
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
}

/* Close the log file, if any. */
void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

/* Format one line, escape control bytes, and write it in one call. */
static void
log_vwrite(enum log_level level, int err, const char *fmt, va_list ap)
{
	char		 msg[1024], line[4096 + 128], stamp[32];
	const char	*s;
	size_t		 n;
	struct tm	 tm;
	time_t		 now;
	FILE		*f;

	if (level < log_min)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);

	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = (size_t)snprintf(line, sizeof line, "%s %s[%ld] %s: ", stamp,
	    log_program, (long)getpid(), log_names[level]);

	/* Escape anything a terminal or a log reader could misread. */
	for (s = msg; *s != '\0' && n < sizeof line - 80; s++) {
		unsigned char	c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == '\\')
			n += (size_t)snprintf(line + n, sizeof line - n,
			    "\\x%02x", c);
		else
			line[n++] = (char)c;
	}
	if (err != 0)
		n += (size_t)snprintf(line + n, sizeof line - n, ": %s",
		    strerror(err));
	line[n++] = '\n';

	f = log_file != NULL ? log_file : stderr;
	fwrite(line, 1, n, f);
	fflush(f);
}

/* Detail for developers; hidden unless the level is debug. */
void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_DEBUG, 0, fmt, ap);
	va_end(ap);
}

/* Normal events, including a client's bad request. */
void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_INFO, 0, fmt, ap);
	va_end(ap);
}

/* Something went wrong that errno explains. */
void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	err = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_WARN, err, fmt, ap);
	va_end(ap);
}

/* Something went wrong; no errno involved. */
void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_WARN, 0, fmt, ap);
	va_end(ap);
}

/* Our own failure: the request or the action could not be served. */
void
log_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERROR, 0, fmt, ap);
	va_end(ap);
}

/* An impossible or unrecoverable state, with errno: log and exit. */
void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	err = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERROR, err, fmt, ap);
	va_end(ap);
	exit(1);
}

/* An impossible or unrecoverable state: log and exit. */
void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERROR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
