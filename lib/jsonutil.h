/* Typed reading of json-c values, failing with the field to blame. */
#ifndef FEIRA_JSONUTIL_H
#define FEIRA_JSONUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "fail.h"

struct json_object *jsonutil_parse(const char *, size_t, struct fail *);
int	jsonutil_text(struct json_object *, const char *, char *, size_t,
	    struct fail *);
int	jsonutil_int(struct json_object *, const char *, int64_t, int64_t,
	    int64_t *, struct fail *);
int	jsonutil_object(struct json_object *, const char *, struct fail *);
struct json_object *jsonutil_fail(const struct fail *);
void	jsonutil_fail_read(const char *, size_t, int, struct fail *);
int64_t	jsonutil_get_int(struct json_object *, const char *);
const char *jsonutil_get_string(struct json_object *, const char *);

#endif
