/* Helpers over json-c for reading request bodies strictly. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "jsonutil.h"
#include "product.h"
#include "utf8.h"

/* Deepest nesting a request body may have. */
#define JSONUTIL_DEPTH	8

/*
 * Parse a whole request body of len bytes.  The body must be UTF-8 and
 * hold exactly one JSON value with nothing after it.  Returns the value,
 * which the caller must put, or NULL with f filled in.
 */
struct json_object *
jsonutil_parse(const char *body, size_t len, struct fail *f)
{
	struct json_tokener	*tok;
	struct json_object	*obj;
	enum json_tokener_error	 err;

	if (len == 0) {
		fail_set(f, 400, NULL, "the request body is empty");
		return (NULL);
	}
	if (!utf8_valid(body, len)) {
		fail_set(f, 400, NULL, "the request body is not valid UTF-8");
		return (NULL);
	}
	if ((tok = json_tokener_new_ex(JSONUTIL_DEPTH)) == NULL) {
		fail_set(f, 500, NULL, "out of memory");
		return (NULL);
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, body, (int)len);
	err = json_tokener_get_error(tok);
	if (obj != NULL && err == json_tokener_success &&
	    json_tokener_get_parse_end(tok) != len) {
		/* Trailing bytes: allowed only if they are white space. */
		size_t	end = json_tokener_get_parse_end(tok);

		if (strspn(body + end, " \t\r\n") != len - end) {
			json_object_put(obj);
			obj = NULL;
		}
	}
	if (obj == NULL || err != json_tokener_success) {
		if (err == json_tokener_continue)
			fail_set(f, 400, NULL, "the JSON body ends too soon");
		else if (err != json_tokener_success)
			fail_set(f, 400, NULL, "malformed JSON: %s",
			    json_tokener_error_desc(err));
		else
			fail_set(f, 400, NULL,
			    "malformed JSON: data after the value");
		json_object_put(obj);
		json_tokener_free(tok);
		return (NULL);
	}
	json_tokener_free(tok);
	return (obj);
}

/*
 * Copy the string value v of field into dst of size bytes.  It must be a
 * JSON string, shorter than size, without NUL.  Returns 0, or -1 with f
 * filled in.
 */
int
jsonutil_text(struct json_object *v, const char *field, char *dst,
    size_t size, struct fail *f)
{
	const char	*s;
	int		 len;

	if (!json_object_is_type(v, json_type_string)) {
		fail_set(f, 400, field, "%s must be a string", field);
		return (-1);
	}
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if ((size_t)len != strlen(s)) {
		fail_set(f, 400, field, "%s holds a NUL character", field);
		return (-1);
	}
	if ((size_t)len >= size) {
		fail_set(f, 400, field, "%s is longer than %zu bytes", field,
		    size - 1);
		return (-1);
	}
	memcpy(dst, s, (size_t)len + 1);
	return (0);
}

/*
 * Read the integer value v of field into *out.  It must be a JSON integer
 * (not a fraction, string or boolean) from min to max.  Returns 0, or -1
 * with f filled in.
 */
int
jsonutil_int(struct json_object *v, const char *field, int64_t min,
    int64_t max, int64_t *out, struct fail *f)
{
	int64_t	n;

	if (!json_object_is_type(v, json_type_int)) {
		fail_set(f, 400, field, "%s must be an integer", field);
		return (-1);
	}
	/* json-c saturates values beyond 64 bits; the range refuses them. */
	n = json_object_get_int64(v);
	if (n < min || n > max) {
		fail_set(f, 400, field, "%s must be from %lld to %lld", field,
		    (long long)min, (long long)max);
		return (-1);
	}
	*out = n;
	return (0);
}

/* Is v a JSON object?  Returns 0, or -1 with f filled in. */
int
jsonutil_object(struct json_object *v, const char *field, struct fail *f)
{
	if (v == NULL || !json_object_is_type(v, json_type_object)) {
		if (field == NULL)
			fail_set(f, 400, NULL, "the body must be an object");
		else
			fail_set(f, 400, field, "%s must be an object", field);
		return (-1);
	}
	return (0);
}

/*
 * The API's form of a failure: {"error", "field"?, and for a lack of
 * stock "product", "size", "available", and for a marketplace that did
 * not answer "marketplace"}.  Returns a new object, which the caller
 * must put.
 */
struct json_object *
jsonutil_fail(const struct fail *f)
{
	struct json_object	*obj;

	obj = json_object_new_object();
	json_object_object_add(obj, "error", json_object_new_string(f->error));
	if (f->field[0] != '\0')
		json_object_object_add(obj, "field",
		    json_object_new_string(f->field));
	if (f->product[0] != '\0') {
		json_object_object_add(obj, "product",
		    json_object_new_string(f->product));
		if (f->size >= 0 && f->size < SIZE__MAX)
			json_object_object_add(obj, "size",
			    json_object_new_string(size_names[f->size]));
		json_object_object_add(obj, "available",
		    json_object_new_int64(f->available));
	}
	if (f->marketplace[0] != '\0')
		json_object_object_add(obj, "marketplace",
		    json_object_new_string(f->marketplace));
	return (obj);
}

/* Copy the string member key of obj, if there is one, into dst. */
static void
jsonutil_copy(struct json_object *obj, const char *key, char *dst,
    size_t size)
{
	const char	*s;

	if ((s = jsonutil_get_string(obj, key)) != NULL)
		snprintf(dst, size, "%s", s);
}

/*
 * Read into f a failure that another process of the marketplace answered
 * with status, in the form of jsonutil_fail.  A body that is not such a
 * failure still gives f the status and a message saying so.
 */
void
jsonutil_fail_read(const char *body, size_t len, int status, struct fail *f)
{
	struct json_object	*obj, *v;
	struct fail		 ignore;
	char			 size[8] = "";

	fail_clear(f);
	fail_clear(&ignore);
	f->status = status;
	if ((obj = jsonutil_parse(body, len, &ignore)) == NULL ||
	    !json_object_is_type(obj, json_type_object)) {
		snprintf(f->error, sizeof f->error, "the answer was not "
		    "understood");
		json_object_put(obj);
		return;
	}
	jsonutil_copy(obj, "error", f->error, sizeof f->error);
	jsonutil_copy(obj, "field", f->field, sizeof f->field);
	jsonutil_copy(obj, "product", f->product, sizeof f->product);
	jsonutil_copy(obj, "size", size, sizeof size);
	jsonutil_copy(obj, "marketplace", f->marketplace,
	    sizeof f->marketplace);
	f->size = size_parse(size);
	if (json_object_object_get_ex(obj, "available", &v) &&
	    json_object_is_type(v, json_type_int))
		f->available = json_object_get_int64(v);
	json_object_put(obj);
}

/*
 * Member key of object obj as an integer, for a trusted answer such as
 * peerd's: 0 when it is absent or not a number.
 */
int64_t
jsonutil_get_int(struct json_object *obj, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double)))
		return (0);
	return (json_object_get_int64(v));
}

/*
 * Member key of object obj as a string, for a trusted answer such as
 * peerd's: NULL when it is absent or not a string.  The string lives as
 * long as obj.
 */
const char *
jsonutil_get_string(struct json_object *obj, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return (NULL);
	return (json_object_get_string(v));
}
