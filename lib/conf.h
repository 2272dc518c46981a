/*
 * A marketplace's configuration file: "key = value" lines, '#' comments.
 * Every key is known in advance; an unknown key or a bad value is an
 * error, so a typing mistake cannot pass unnoticed.
 */
#ifndef FEIRA_CONF_H
#define FEIRA_CONF_H

#include "product.h"

#define CONF_PATH_MAX	512

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
};

int	conf_load(struct conf *, const char *, char *, size_t);

#endif
