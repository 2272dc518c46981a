/* Reading a marketplace's configuration file. */

#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "valid.h"

enum conf_kind {
	CONF_TEXT,
	CONF_INT,
};

/* Every key: where its value goes, and what it must be. */
static const struct {
	const char	*key;
	enum conf_kind	 kind;
	size_t		 offset;
	size_t		 size;
	int		 required;
} conf_keys[] = {
	{ "name", CONF_TEXT, offsetof(struct conf, name),
	    MARKET_NAME_MAX + 1, 1 },
	{ "title", CONF_TEXT, offsetof(struct conf, title), 81, 0 },
	{ "color", CONF_TEXT, offsetof(struct conf, color), COLOR_LEN + 1, 0 },
	{ "data", CONF_TEXT, offsetof(struct conf, data), CONF_PATH_MAX, 1 },
	{ "templates", CONF_TEXT, offsetof(struct conf, templates),
	    CONF_PATH_MAX, 1 },
	{ "socket", CONF_TEXT, offsetof(struct conf, socket),
	    CONF_PATH_MAX, 1 },
	{ "log", CONF_TEXT, offsetof(struct conf, log), CONF_PATH_MAX, 0 },
	{ "seller_user", CONF_TEXT, offsetof(struct conf, seller_user), 33,
	    1 },
	{ "seller_password", CONF_TEXT,
	    offsetof(struct conf, seller_password), 200, 1 },
	{ "workers", CONF_INT, offsetof(struct conf, workers), 0, 0 },
};

#define CONF_NKEYS	(sizeof conf_keys / sizeof conf_keys[0])

/* Strip white space at both ends of s, in place; returns s. */
static char *
conf_trim(char *s)
{
	size_t	len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		s[--len] = '\0';
	return (s);
}

/* Store value under key i of conf_keys.  Returns 0 or -1. */
static int
conf_set(struct conf *c, size_t i, const char *value)
{
	char	*dst = (char *)c + conf_keys[i].offset;
	int64_t	 n;

	if (conf_keys[i].kind == CONF_INT) {
		if (!valid_int(value, 1, 64, &n))
			return (-1);
		*(int *)(void *)dst = (int)n;
		return (0);
	}
	if (strlen(value) >= conf_keys[i].size)
		return (-1);
	strcpy(dst, value);
	return (0);
}

/*
 * Read the file at path into c.  Returns 0, or -1 with a message of the
 * form "path:line: what" in err (of errsize bytes).
 */
int
conf_load(struct conf *c, const char *path, char *err, size_t errsize)
{
	FILE		*f;
	char		 line[1024], *key, *value, *eq;
	int		 lineno = 0, seen[CONF_NKEYS];
	size_t		 i;

	memset(c, 0, sizeof *c);
	memset(seen, 0, sizeof seen);
	snprintf(c->title, sizeof c->title, "Feira");
	snprintf(c->color, sizeof c->color, "#1b5e20");
	c->workers = 4;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		key = conf_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errsize, "%s:%d: expected key = value",
			    path, lineno);
			goto fail;
		}
		*eq = '\0';
		key = conf_trim(key);
		value = conf_trim(eq + 1);
		for (i = 0; i < CONF_NKEYS; i++)
			if (strcmp(key, conf_keys[i].key) == 0)
				break;
		if (i == CONF_NKEYS) {
			snprintf(err, errsize, "%s:%d: unknown key %.40s",
			    path, lineno, key);
			goto fail;
		}
		if (conf_set(c, i, value) == -1) {
			snprintf(err, errsize, "%s:%d: bad value for %s", path,
			    lineno, key);
			goto fail;
		}
		seen[i] = 1;
	}
	fclose(f);
	for (i = 0; i < CONF_NKEYS; i++) {
		if (conf_keys[i].required && !seen[i]) {
			snprintf(err, errsize, "%s: %s is missing", path,
			    conf_keys[i].key);
			return (-1);
		}
	}
	if (!valid_market_name(c->name)) {
		snprintf(err, errsize, "%s: name must be a lower-case letter "
		    "then up to %d letters or digits", path,
		    MARKET_NAME_MAX - 1);
		return (-1);
	}
	if (!valid_color(c->color)) {
		snprintf(err, errsize, "%s: color must be #rrggbb", path);
		return (-1);
	}
	return (0);

fail:
	fclose(f);
	return (-1);
}
