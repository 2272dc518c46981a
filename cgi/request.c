/* Reading requests from nginx and writing responses to it. */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feira.h"
#include "jsonutil.h"
#include "log.h"
#include "xmalloc.h"

/* HTTP method names and their bits. */
static const struct {
	const char	*name;
	enum method	 m;
} request_methods[] = {
	{ "GET", M_GET },
	{ "HEAD", M_HEAD },
	{ "POST", M_POST },
	{ "PATCH", M_PATCH },
	{ "PUT", M_PUT },
	{ "DELETE", M_DELETE },
};

/* The reason phrase of the statuses we send. */
const char *
status_text(int status)
{
	switch (status) {
	case 200: return ("OK");
	case 201: return ("Created");
	case 303: return ("See Other");
	case 400: return ("Bad Request");
	case 401: return ("Unauthorized");
	case 403: return ("Forbidden");
	case 404: return ("Not Found");
	case 405: return ("Method Not Allowed");
	case 409: return ("Conflict");
	case 413: return ("Content Too Large");
	case 415: return ("Unsupported Media Type");
	case 422: return ("Unprocessable Content");
	case 503: return ("Service Unavailable");
	default: return (status >= 500 ? "Internal Server Error" : "Error");
	}
}

/*
 * Gather what a request holds: method, path, query and body.  Returns 0,
 * or -1 after answering the request itself with an error.
 */
int
request_read(struct request *r, FCGX_Request *fcgi)
{
	const char	*s, *len;
	size_t		 i, want;
	int		 n;
	int64_t		 cl = 0;

	memset(r, 0, sizeof *r);
	buf_init(&r->headers);
	r->fcgi = fcgi;
	/* The language first: any page below, an error too, speaks it. */
	i18n_use(lang_pick(FCGX_GetParam("HTTP_ACCEPT_LANGUAGE",
	    fcgi->envp)));
	/* Cookies first: an error page below reads them. */
	if ((r->cookies = FCGX_GetParam("HTTP_COOKIE", fcgi->envp)) == NULL)
		r->cookies = "";
	r->method_name = FCGX_GetParam("REQUEST_METHOD", fcgi->envp);
	if (r->method_name == NULL)
		r->method_name = "GET";
	r->method = M_OTHER;
	for (i = 0; i < sizeof request_methods / sizeof request_methods[0];
	    i++)
		if (strcmp(r->method_name, request_methods[i].name) == 0)
			r->method = request_methods[i].m;

	/* nginx has decoded and normalized the path into DOCUMENT_URI. */
	if ((s = FCGX_GetParam("DOCUMENT_URI", fcgi->envp)) == NULL)
		s = "/";
	r->is_api = strncmp(s, "/api/", 5) == 0 || strcmp(s, "/api") == 0;
	if (strlen(s) >= sizeof r->path) {
		response_error(r, 404, "no such route", NULL);
		return (-1);
	}
	strcpy(r->path, s);
	if ((s = FCGX_GetParam("QUERY_STRING", fcgi->envp)) == NULL)
		s = "";
	if (form_parse(&r->query, s, strlen(s)) == -1) {
		response_error(r, 400, "the query string is malformed", NULL);
		return (-1);
	}

	/* The body, whole, within BODY_MAX. */
	len = FCGX_GetParam("CONTENT_LENGTH", fcgi->envp);
	if (len != NULL && *len != '\0' && (strspn(len, "0123456789") !=
	    strlen(len) || strlen(len) > 12)) {
		response_error(r, 400, "bad Content-Length", NULL);
		return (-1);
	}
	if (len != NULL && *len != '\0')
		cl = strtoll(len, NULL, 10);
	if (cl > BODY_MAX) {
		response_error(r, 413, "the request body is too large", NULL);
		return (-1);
	}
	want = (size_t)cl;
	r->body = xmalloc(want + 1);
	for (r->body_len = 0; r->body_len < want; r->body_len += (size_t)n) {
		n = FCGX_GetStr(r->body + r->body_len,
		    (int)(want - r->body_len), fcgi->in);
		if (n <= 0)
			break;
	}
	r->body[r->body_len] = '\0';
	if (r->body_len != want) {
		response_error(r, 400, "the request body ended early", NULL);
		return (-1);
	}
	return (0);
}

/* Free what request_read gathered. */
void
request_free(struct request *r)
{
	form_free(&r->query);
	free(r->body);
	buf_free(&r->headers);
}

/* The value of query parameter name, or NULL. */
const char *
request_param(struct request *r, const char *name)
{
	return (form_get(&r->query, name));
}

/*
 * Decode the body of a page's form into f and check its CSRF token.
 * Returns 0, or -1 after answering with 400 or 403 (f is then empty).
 */
int
request_form(struct request *r, struct form *f)
{
	if (form_parse(f, r->body, r->body_len) == -1) {
		render_message(r, 400, _("Formulário inválido"),
		    _("O formulário não pôde ser lido."));
		return (-1);
	}
	if (!session_csrf_ok(r, f)) {
		form_free(f);
		render_message(r, 403, _("Formulário expirado"),
		    _("Este formulário não é válido; volte à página, "
		    "recarregue-a e tente de novo."));
		return (-1);
	}
	return (0);
}

/* Add a response header line; the format must not carry request data. */
void
response_header(struct request *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		fatal("response_header");
	va_end(ap);
	buf_adds(&r->headers, s);
	buf_adds(&r->headers, "\r\n");
	free(s);
}

/* Send status, headers and body; HEAD gets the headers only. */
static void
response_send(struct request *r, int status, const char *type,
    const char *body, size_t len)
{
	struct buf	h;

	/* libfcgi's own printf knows no %zu: format the head here. */
	buf_init(&h);
	buf_addf(&h, "Status: %d %s\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Length: %zu\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "%s\r\n", status, status_text(status), type, len,
	    buf_str(&r->headers));
	FCGX_PutStr(h.data, (int)h.len, r->fcgi->out);
	buf_free(&h);
	if (r->method != M_HEAD && len > 0)
		FCGX_PutStr(body, (int)len, r->fcgi->out);
}

/* Answer with status and JSON text made by json-c. */
void
response_json_text(struct request *r, int status, const char *s, size_t len)
{
	response_send(r, status, "application/json; charset=utf-8", s, len);
}

/* Answer with status and the JSON value obj, which this puts. */
void
response_json(struct request *r, int status, struct json_object *obj)
{
	const char	*s;
	size_t		 len;

	s = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	response_send(r, status, "application/json; charset=utf-8", s, len);
	json_object_put(obj);
}

/*
 * Answer with an error: JSON {"error", "field"?} under /api/, a page
 * elsewhere.
 */
void
response_error(struct request *r, int status, const char *error,
    const char *field)
{
	struct fail	f;

	fail_clear(&f);
	fail_set(&f, status, field, "%s", error);
	response_fail(r, &f);
}

/*
 * Answer with the failure f: as JSON under /api/, with "product", "size"
 * and "available" for a lack of stock; as a page elsewhere.
 */
void
response_fail(struct request *r, const struct fail *f)
{
	struct json_object	*obj;

	if (f->status >= 500)
		log_error("%s %s: %d %s", r->method_name, r->path, f->status,
		    f->error);
	else
		log_info("%s %s: %d %s", r->method_name, r->path, f->status,
		    f->error);
	if (!r->is_api) {
		render_fail(r, f);
		return;
	}
	obj = jsonutil_fail(f);
	if (f->status == 401)
		response_header(r, "WWW-Authenticate: Basic realm=\"feira\", "
		    "charset=\"UTF-8\"");
	response_json(r, f->status, obj);
}

/* Answer with a rendered page. */
void
response_html(struct request *r, int status, const struct html *h)
{
	response_header(r, "Content-Security-Policy: default-src 'self'; "
	    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
	    "form-action 'self'; frame-ancestors 'none'");
	response_header(r, "Referrer-Policy: same-origin");
	response_header(r, "Content-Language: %s", lang_tags[app->lang]);
	response_header(r, "Vary: Accept-Language");
	response_send(r, status, "text/html; charset=utf-8",
	    buf_str(&h->b), h->b.len);
}

/*
 * Send the browser to location with 303 See Other.  location is a path
 * built by us from checked ids only.
 */
void
response_redirect(struct request *r, const char *location)
{
	response_header(r, "Location: %s", location);
	response_send(r, 303, "text/plain; charset=utf-8", "", 0);
}
