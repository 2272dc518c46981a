/*
 * monotonic: print the milliseconds of CLOCK_MONOTONIC, the clock of the
 * deadlines that the FastCGI program gives peerd's writes, so that a test
 * can make a deadline that passes when it wants.
 */

#include "config.h"

#include <stdio.h>
#include <time.h>

int
main(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1) {
		perror("clock_gettime");
		return (1);
	}
	printf("%lld\n", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	return (0);
}
