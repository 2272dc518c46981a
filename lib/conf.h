/*
 * A marketplace's configuration file: "key = value" lines, '#' comments.
 * Every key is known in advance; an unknown key or a bad value is an
 * error, so a typing mistake cannot pass unnoticed.
 */
#ifndef FEIRA_CONF_H
#define FEIRA_CONF_H

#include "product.h"

#define CONF_PATH_MAX	512
#define CONF_PEERS_MAX	16
#define CONF_URL_MAX	200

/* Megabytes of the store's cache, unless cache_mb says. */
#define CONF_CACHE_MB	128

/* Another marketplace of the network: its name and base address. */
struct conf_peer {
	char	name[MARKET_NAME_MAX + 1];
	char	url[CONF_URL_MAX];		/* "http://host:port" */
};

struct conf {
	char	name[MARKET_NAME_MAX + 1];	/* marketplace name */
	char	title[81];			/* shown in the navbar */
	char	color[COLOR_LEN + 1];		/* the navbar's color */
	char	data[CONF_PATH_MAX];		/* Berkeley DB environment */
	char	templates[CONF_PATH_MAX];	/* html templates */
	char	socket[CONF_PATH_MAX];		/* FastCGI unix socket */
	char	log[CONF_PATH_MAX];		/* log file; "" for stderr */
	char	seller_user[33];
	char	seller_password[200];		/* from feira-fcgi -P */
	int	workers;			/* FastCGI worker processes */
	int	cache_mb;			/* the store's cache */
	char	network_key[65];		/* hex of 32 bytes */
	char	peer_socket[CONF_PATH_MAX];	/* peerd, for nginx */
	char	ctl_socket[CONF_PATH_MAX];	/* peerd, for feira-fcgi */
	char	peerd_log[CONF_PATH_MAX];
	int	npeers;
	struct conf_peer peers[CONF_PEERS_MAX];
};

int	conf_load(struct conf *, const char *, char *, size_t);
const struct conf_peer *conf_peer(const struct conf *, const char *);
int	conf_network_key(const struct conf *, unsigned char *);

#endif
