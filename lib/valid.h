/*
 * Validators for everything that comes from outside.  Each returns 1 when
 * the value is acceptable and 0 when it is not; none of them allocates.
 */
#ifndef FEIRA_VALID_H
#define FEIRA_VALID_H

#include <stddef.h>
#include <stdint.h>

int	valid_text(const char *, size_t, size_t, int);
int	valid_color(const char *);
int	valid_market_name(const char *);
int	valid_product_id(const char *);
int	valid_order_id(const char *);
int	valid_int(const char *, int64_t, int64_t, int64_t *);
int	valid_idem_key(const char *);

#endif
