/* Filling in why an action failed. */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fail.h"

/* Reset f to "no failure". */
void
fail_clear(struct fail *f)
{
	memset(f, 0, sizeof *f);
	f->size = -1;
}

/*
 * Record a failure with an HTTP status, the field to blame (NULL for
 * none) and a message.  The first failure recorded wins, so that a
 * caller cannot hide the cause with a vaguer one.
 */
void
fail_set(struct fail *f, int status, const char *field, const char *fmt, ...)
{
	va_list	ap;

	if (f->status != 0)
		return;
	f->status = status;
	snprintf(f->field, sizeof f->field, "%s", field != NULL ? field : "");
	va_start(ap, fmt);
	vsnprintf(f->error, sizeof f->error, fmt, ap);
	va_end(ap);
}
