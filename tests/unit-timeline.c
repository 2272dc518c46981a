/*
 * Unit tests of cgi/timeline.c: the picture of the Lamport queue that
 * /network shows, drawn from peerd's status.  A lane per marketplace, in
 * the status's order; each request a circle on its lane, as far along as
 * its timestamp, numbered in the queue's (timestamp, marketplace) order;
 * names from peers escaped; a queue that is absent or empty drawn as
 * empty lanes.  The templates are the real ones, of html/templates.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feira.h"
#include "tap.h"

static struct tmpl	*templates[T__MAX];

/* The templates the picture is drawn with, by enum page_tmpl. */
static const struct {
	int		 t;
	const char	*file;
} files[] = {
	{ T_TIMELINE, "timeline.html" },
	{ T_TIMELINE_LANE, "timeline-lane.html" },
	{ T_TIMELINE_TICK, "timeline-tick.html" },
	{ T_TIMELINE_MARK, "timeline-mark.html" },
	{ T_QUEUE_ROW, "queue-row.html" },
};

/* A status as peerd would give it, with the queue text q ("" for none). */
static struct json_object *
status(const char *q)
{
	char			 text[4096];
	struct json_object	*obj;

	snprintf(text, sizeof text, "{\"marketplace\": \"rio\", \"clock\": "
	    "1050, \"peers\": [{\"name\": \"sampa\", \"answering\": true}, "
	    "{\"name\": \"recife\", \"answering\": false}]%s%s}",
	    *q != '\0' ? ", \"queue\": " : "", q);
	if ((obj = json_tokener_parse(text)) == NULL) {
		printf("Bail out! bad JSON in the test: %s\n", text);
		exit(1);
	}
	return (obj);
}

/* Draw status s; the SVG and rows go to svg and rows, to be freed. */
static size_t
draw(struct json_object *s, char **svg, char **rows)
{
	struct html	h, r;
	size_t		n;

	html_init(&h);
	html_init(&r);
	n = timeline_render(templates, s, &h, &r);
	*svg = buf_steal(&h.b);
	*rows = buf_steal(&r.b);
	json_object_put(s);
	return (n);
}

/* Does s hold want? */
static int
has(const char *s, const char *want)
{
	return (strstr(s, want) != NULL);
}

/* Where does want first occur in s, or -1. */
static long
at(const char *s, const char *want)
{
	const char	*p = strstr(s, want);

	return (p == NULL ? -1 : (long)(p - s));
}

/* A queue of three requests, out of order, from two marketplaces. */
static void
test_queue(void)
{
	char	*svg, *rows;
	size_t	 n;

	n = draw(status("[{\"ts\": 1044, \"marketplace\": \"rio\", "
	    "\"products\": [\"rio-1\"], \"state\": \"waiting\", "
	    "\"waited_ms\": 3, \"mine\": true}, "
	    "{\"ts\": 1042, \"marketplace\": \"sampa\", \"products\": "
	    "[\"rio-1\", \"sampa-2\", \"recife-7\"], \"state\": \"holding\", "
	    "\"waited_ms\": 12, \"mine\": false}, "
	    "{\"ts\": 1042, \"marketplace\": \"rio\", \"products\": "
	    "[\"rio-9\"], \"state\": \"waiting\", \"waited_ms\": 0}]"),
	    &svg, &rows);
	is_int(n, 3, "three requests are drawn");
	ok(has(svg, "<svg ") && has(svg, "viewBox=\"0 0 720 212\""),
	    "the picture is an SVG 720 wide, with room for three lanes");
	ok(at(svg, "tl-lane\" data-marketplace=\"rio\"") <
	    at(svg, "tl-lane\" data-marketplace=\"sampa\"") &&
	    at(svg, "tl-lane\" data-marketplace=\"sampa\"") <
	    at(svg, "tl-lane\" data-marketplace=\"recife\"") &&
	    at(svg, "tl-lane\" data-marketplace=\"rio\"") >= 0,
	    "the lanes are this marketplace, then its peers in order");
	ok(has(svg, "rio (este)"), "this marketplace's lane says so");
	ok(has(svg, "<circle cx=\"12\" cy=\"174\" r=\"5\" fill=\"#dc3545\">"),
	    "recife, which does not answer, has a red dot on the third lane");
	ok(has(svg, "data-ts=\"1042\" data-marketplace=\"rio\" "
	    "data-state=\"waiting\""),
	    "rio's request of stamp 1042 is drawn, waiting");
	ok(has(svg, "<circle cx=\"152\" cy=\"70\" r=\"11\" fill=\"#ffffff\" "
	    "stroke=\"#8a5300\" stroke-width=\"1.5\"/>"),
	    "the earliest stamp sits at the axis's start, on rio's lane, "
	    "hollow");
	ok(has(svg, "<circle cx=\"152\" cy=\"122\" r=\"11\" fill=\"#198754\""),
	    "sampa's request of the same stamp sits above it, on sampa's "
	    "lane, filled since it holds its products");
	ok(has(svg, "<circle cx=\"670\" cy=\"70\" r=\"11\" fill=\"#ffffff\" "
	    "stroke=\"#8a5300\" stroke-width=\"3.5\"/>"),
	    "the latest stamp sits at the axis's end, with the thick ring "
	    "of this marketplace's own request");
	ok(at(rows, "data-ts=\"1042\" data-marketplace=\"rio\"") <
	    at(rows, "data-ts=\"1042\" data-marketplace=\"sampa\"") &&
	    at(rows, "data-ts=\"1042\" data-marketplace=\"sampa\"") <
	    at(rows, "data-ts=\"1044\" data-marketplace=\"rio\"") &&
	    at(rows, "data-ts=\"1042\" data-marketplace=\"rio\"") >= 0,
	    "the rows follow the queue's order: stamp, then marketplace");
	ok(has(rows, "<td>1</td><td>1042</td><td>rio</td>"),
	    "the first row is number 1, rio at 1042");
	ok(has(rows, "<td>rio-1, sampa-2, recife-7</td>"),
	    "a row lists every product of its request");
	ok(has(svg, ">rio-1, sampa-2 +1</text>"),
	    "the picture names two products and counts the rest");
	ok(has(svg, "<title>sampa, carimbo 1042, segura rio-1, sampa-2, "
	    "recife-7 h\xc3\xa1 12 ms</title>"),
	    "each circle has a title that says it all");
	ok(has(svg, "o primeiro \xc3\xa9 de rio, com o carimbo 1042"),
	    "the picture's description names the first in the queue");
	ok(has(svg, ">1042</text>") && has(svg, ">1044</text>"),
	    "the axis is marked with the first and the last stamp");
	ok(!has(svg, "timeline-empty"), "a queue is not called empty");
	free(svg);
	free(rows);
}

/* Names from peers are text; bad entries are left out. */
static void
test_bad(void)
{
	char	*svg, *rows;
	size_t	 n;

	n = draw(status("[{\"ts\": 7, \"marketplace\": \"<b>x</b>\", "
	    "\"products\": [\"<i>\", \"rio-2\"], \"state\": \"holding\"}, "
	    "{\"marketplace\": \"sampa\"}, {\"ts\": \"8\", \"marketplace\": "
	    "\"sampa\"}, {\"ts\": 9}, 42, {\"ts\": 10, \"marketplace\": 5}]"),
	    &svg, &rows);
	is_int(n, 1, "entries without a stamp or a marketplace are left out");
	ok(has(svg, "data-marketplace=\"&lt;b&gt;x&lt;/b&gt;\"") &&
	    !has(svg, "<b>") && !has(rows, "<b>"),
	    "a marketplace's name is escaped wherever it is shown");
	ok(has(rows, "<td>rio-2</td>") && !has(rows, "<i>"),
	    "a product id that is not one is not listed");
	ok(has(svg, "<circle cx=\"411\""),
	    "a single stamp sits in the middle of the axis");
	free(svg);
	free(rows);
}

/* No queue, or an empty one: the lanes, and a caption. */
static void
test_empty(void)
{
	char	*svg, *rows;

	is_int(draw(status("[]"), &svg, &rows), 0,
	    "an empty queue draws no request");
	ok(has(svg, "id=\"timeline-empty\"") && has(svg, "A fila est\xc3\xa1 "
	    "vazia.") && has(svg, "data-marketplace=\"recife\""),
	    "an empty queue is drawn as the lanes, saying it is empty");
	is_str(rows, "", "an empty queue has no rows");
	free(svg);
	free(rows);
	is_int(draw(status(""), &svg, &rows), 0,
	    "a status without a queue, from an older peerd, draws none");
	ok(has(svg, "id=\"timeline-empty\""),
	    "a status without a queue is drawn as an empty one");
	free(svg);
	free(rows);
}

int
main(void)
{
	const char	*src = getenv("FEIRA_SRCDIR");
	char		 dir[1024];
	size_t		 i;

	snprintf(dir, sizeof dir, "%s/html/templates",
	    src != NULL ? src : ".");
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		if ((templates[files[i].t] = tmpl_load(dir,
		    files[i].file)) == NULL) {
			printf("Bail out! cannot load %s from %s\n",
			    files[i].file, dir);
			return (1);
		}
	test_queue();
	test_bad();
	test_empty();
	for (i = 0; i < T__MAX; i++)
		tmpl_free(templates[i]);
	return (tap_done());
}
