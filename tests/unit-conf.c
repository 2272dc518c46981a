/*
 * Unit tests of lib/conf.c: a marketplace's configuration file, its
 * defaults, and the bounds of its numbers.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "tap.h"

/* The lines every configuration needs. */
#define CONF_BASE \
	"name = rio\n" \
	"data = /tmp\n" \
	"templates = /tmp\n" \
	"socket = /tmp/fcgi.sock\n" \
	"seller_user = seller\n" \
	"seller_password = x\n"

/*
 * Load a file of the base lines and extra; returns conf_load's result,
 * with *c and the error in err.
 */
static int
load(const char *extra, struct conf *c, char *err, size_t errsize)
{
	char	 path[] = "/tmp/feira-conf.XXXXXX";
	FILE	*f;
	int	 fd, rc;

	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		printf("Bail out! cannot make a file in /tmp\n");
		exit(1);
	}
	fprintf(f, "%s%s", CONF_BASE, extra);
	fclose(f);
	err[0] = '\0';
	rc = conf_load(c, path, err, errsize);
	unlink(path);
	return (rc);
}

/* The store's cache: a default, a value of its own, and its bounds. */
static void
test_cache(void)
{
	struct conf	*c = calloc(1, sizeof *c);
	char		 err[1024];

	is_int(load("", c, err, sizeof err), 0, "the base lines load");
	is_int(c->cache_mb, CONF_CACHE_MB, "the cache has its default");
	is_int(c->workers, 4, "and so do the workers");
	is_int(load("cache_mb = 512\n", c, err, sizeof err), 0,
	    "a cache of 512 MB loads");
	is_int(c->cache_mb, 512, "and is kept");
	is_int(load("cache_mb = 16\n", c, err, sizeof err), 0,
	    "the smallest cache, 16 MB, loads");
	ok(load("cache_mb = 15\n", c, err, sizeof err) == -1 &&
	    strstr(err, "cache_mb") != NULL,
	    "a cache below 16 MB is refused, naming the key");
	ok(load("cache_mb = 65537\n", c, err, sizeof err) == -1 &&
	    strstr(err, "cache_mb") != NULL,
	    "a cache above 64 GB is refused, naming the key");
	is_int(load("cache_mb = lots\n", c, err, sizeof err), -1,
	    "a cache that is not a number is refused");
	is_int(load("workers = 65\n", c, err, sizeof err), -1,
	    "65 workers are refused, as before");
	free(c);
}

int
main(void)
{
	test_cache();
	return tap_done();
}
