/* Growable byte buffers. */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

/* Make room for at least n more bytes and the terminating NUL. */
static void
buf_grow(struct buf *b, size_t n)
{
	size_t	want;

	if (b->len + n + 1 <= b->size)
		return;
	if (n > ((size_t)-1) / 2 - b->len)
		fatalx("buf_grow: %zu bytes is too much", n);
	want = b->size == 0 ? 256 : b->size;
	while (want < b->len + n + 1)
		want *= 2;
	b->data = xreallocarray(b->data, want, 1);
	b->size = want;
}

/* Start an empty buffer; no allocation happens until the first add. */
void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->size = 0;
}

/* Release the buffer's memory and leave it empty. */
void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

/* Empty the buffer but keep its memory for reuse. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Append n bytes. */
void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Append a NUL-terminated string. */
void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append one byte. */
void
buf_addc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

/* Append formatted text. */
void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("buf_addf: bad format");
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/*
 * The contents as a string: "" for a buffer nothing was added to, whose
 * memory is not allocated yet.
 */
const char *
buf_str(const struct buf *b)
{
	return (b->data != NULL ? b->data : "");
}

/*
 * Hand the contents to the caller, who must free them, and leave the
 * buffer empty.  Never returns NULL.
 */
char *
buf_steal(struct buf *b)
{
	char	*s;

	if (b->data == NULL)
		return (xstrdup(""));
	s = b->data;
	buf_init(b);
	return (s);
}
