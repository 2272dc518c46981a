/*
 * Why an action failed, in the terms the API answers with: an HTTP status,
 * a message, the input to blame, for a lack of stock which item, and for
 * a marketplace that did not answer which one.
 */
#ifndef FEIRA_FAIL_H
#define FEIRA_FAIL_H

#include <stdint.h>

struct fail {
	int	 status;		/* HTTP status, 0 while none */
	char	 error[200];
	char	 field[48];		/* "" when no one input is to blame */
	char	 product[64];		/* set with a 409 for lack of stock */
	int	 size;			/* enum size, or -1 */
	int64_t	 available;
	char	 marketplace[17];	/* set with a 503: who did not answer */
};

void	fail_clear(struct fail *);
void	fail_set(struct fail *, int, const char *, const char *, ...)
	    __attribute__((format(printf, 4, 5)));

#endif
