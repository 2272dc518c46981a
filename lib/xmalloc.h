/*
 * Allocation that cannot fail: every wrapper logs and exits when memory
 * runs out, so callers never check for NULL.
 */
#ifndef FEIRA_XMALLOC_H
#define FEIRA_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
