/*
 * A minimal TAP producer for the unit tests, read by automake's TAP
 * driver: "ok N - claim" or "not ok N - claim", then the plan.
 */
#ifndef FEIRA_TAP_H
#define FEIRA_TAP_H

#include <stdio.h>
#include <string.h>

static int	tap_count;
static int	tap_failed;

/* Report whether cond held; the claim says what a pass proves. */
#define ok(cond, ...) do {						\
	int	tap_c = (cond) ? 1 : 0;					\
									\
	tap_count++;							\
	if (!tap_c)							\
		tap_failed++;						\
	printf("%sok %d - ", tap_c ? "" : "not ", tap_count);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!tap_c)							\
		printf("# failed at %s:%d\n", __FILE__, __LINE__);	\
} while (0)

/* Report whether two strings are equal, showing both when not. */
#define is_str(got, want, ...) do {					\
	const char	*tap_g = (got), *tap_w = (want);		\
									\
	ok(tap_g != NULL && strcmp(tap_g, tap_w) == 0, __VA_ARGS__);	\
	if (tap_g == NULL || strcmp(tap_g, tap_w) != 0)			\
		printf("# got \"%s\", want \"%s\"\n",			\
		    tap_g != NULL ? tap_g : "(null)", tap_w);		\
} while (0)

/* Report whether two integers are equal, showing both when not. */
#define is_int(got, want, ...) do {					\
	long long	tap_g = (long long)(got);			\
	long long	tap_w = (long long)(want);			\
									\
	ok(tap_g == tap_w, __VA_ARGS__);				\
	if (tap_g != tap_w)						\
		printf("# got %lld, want %lld\n", tap_g, tap_w);	\
} while (0)

/* Print the plan and return the exit status. */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return (tap_failed == 0 ? 0 : 1);
}

#endif
