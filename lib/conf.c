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
	CONF_PEER,
};

/* Every key: where its value goes, and what it must be. */
static const struct {
	const char	*key;
	enum conf_kind	 kind;
	size_t		 offset;
	size_t		 size;
	int		 required;
	int64_t		 min, max;	/* of a CONF_INT */
} conf_keys[] = {
	{ "name", CONF_TEXT, offsetof(struct conf, name),
	    MARKET_NAME_MAX + 1, 1, 0, 0 },
	{ "title", CONF_TEXT, offsetof(struct conf, title), 81, 0, 0, 0 },
	{ "color", CONF_TEXT, offsetof(struct conf, color), COLOR_LEN + 1, 0,
	    0, 0 },
	{ "data", CONF_TEXT, offsetof(struct conf, data), CONF_PATH_MAX, 1,
	    0, 0 },
	{ "templates", CONF_TEXT, offsetof(struct conf, templates),
	    CONF_PATH_MAX, 1, 0, 0 },
	{ "socket", CONF_TEXT, offsetof(struct conf, socket),
	    CONF_PATH_MAX, 1, 0, 0 },
	{ "log", CONF_TEXT, offsetof(struct conf, log), CONF_PATH_MAX, 0,
	    0, 0 },
	{ "seller_user", CONF_TEXT, offsetof(struct conf, seller_user), 33,
	    1, 0, 0 },
	{ "seller_password", CONF_TEXT,
	    offsetof(struct conf, seller_password), 200, 1, 0, 0 },
	{ "workers", CONF_INT, offsetof(struct conf, workers), 0, 0, 1, 64 },
	{ "cache_mb", CONF_INT, offsetof(struct conf, cache_mb), 0, 0, 16,
	    65536 },
	{ "network_key", CONF_TEXT, offsetof(struct conf, network_key), 65,
	    0, 0, 0 },
	{ "peer_socket", CONF_TEXT, offsetof(struct conf, peer_socket),
	    CONF_PATH_MAX, 0, 0, 0 },
	{ "ctl_socket", CONF_TEXT, offsetof(struct conf, ctl_socket),
	    CONF_PATH_MAX, 0, 0, 0 },
	{ "peerd_log", CONF_TEXT, offsetof(struct conf, peerd_log),
	    CONF_PATH_MAX, 0, 0, 0 },
	{ "peer", CONF_PEER, 0, 0, 0, 0, 0 },
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

/*
 * Add a peer from "name http://host:port".  Returns 0, or -1 when the
 * line is malformed, the name is taken or there are too many peers.
 */
static int
conf_add_peer(struct conf *c, const char *value)
{
	struct conf_peer	*p;
	const char		*sp;
	size_t			 len;

	if (c->npeers == CONF_PEERS_MAX || (sp = strchr(value, ' ')) == NULL)
		return (-1);
	p = &c->peers[c->npeers];
	len = (size_t)(sp - value);
	if (len > MARKET_NAME_MAX)
		return (-1);
	memcpy(p->name, value, len);
	p->name[len] = '\0';
	while (*sp == ' ')
		sp++;
	if (!valid_market_name(p->name) || strlen(sp) >= sizeof p->url ||
	    strncmp(sp, "http://", 7) != 0 || strchr(sp, ' ') != NULL)
		return (-1);
	strcpy(p->url, sp);
	len = strlen(p->url);
	while (len > 7 && p->url[len - 1] == '/')
		p->url[--len] = '\0';
	if (conf_peer(c, p->name) != NULL)
		return (-1);
	c->npeers++;
	return (0);
}

/* The peer called name, or NULL. */
const struct conf_peer *
conf_peer(const struct conf *c, const char *name)
{
	int	i;

	for (i = 0; i < c->npeers; i++)
		if (strcmp(c->peers[i].name, name) == 0)
			return (&c->peers[i]);
	return (NULL);
}

/*
 * Decode the network key into 32 bytes at key.  Returns 0, or -1 when no
 * key is set or it is not 64 hexadecimal digits.
 */
int
conf_network_key(const struct conf *c, unsigned char *key)
{
	unsigned int	v;
	int		i;

	if (strlen(c->network_key) != 64 || strspn(c->network_key,
	    "0123456789abcdefABCDEF") != 64)
		return (-1);
	for (i = 0; i < 32; i++) {
		if (sscanf(c->network_key + 2 * i, "%2x", &v) != 1)
			return (-1);
		key[i] = (unsigned char)v;
	}
	return (0);
}

/* Store value under key i of conf_keys.  Returns 0 or -1. */
static int
conf_set(struct conf *c, size_t i, const char *value)
{
	char	*dst = (char *)c + conf_keys[i].offset;
	int64_t	 n;

	if (conf_keys[i].kind == CONF_PEER)
		return (conf_add_peer(c, value));
	if (conf_keys[i].kind == CONF_INT) {
		if (!valid_int(value, conf_keys[i].min, conf_keys[i].max, &n))
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
	c->cache_mb = CONF_CACHE_MB;
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
	for (i = 0; i < (size_t)c->npeers; i++) {
		if (strcmp(c->peers[i].name, c->name) == 0) {
			snprintf(err, errsize, "%s: the marketplace cannot be "
			    "its own peer", path);
			return (-1);
		}
	}
	if (c->npeers > 0 && c->network_key[0] == '\0') {
		snprintf(err, errsize, "%s: peers need a network_key", path);
		return (-1);
	}
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
