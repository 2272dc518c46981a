/* UTF-8 checking and folding for search. */
#ifndef FEIRA_UTF8_H
#define FEIRA_UTF8_H

#include <stddef.h>

#include "buf.h"

int	utf8_valid(const char *, size_t);
void	utf8_fold(struct buf *, const char *);
int	utf8_match(const char *, const char *);

#endif
