/* The audit of the stores of a network of marketplaces. */
#ifndef FEIRA_AUDIT_H
#define FEIRA_AUDIT_H

#include <stdio.h>

#include "conf.h"

int	audit_network(const struct conf *, int, FILE *);

#endif
