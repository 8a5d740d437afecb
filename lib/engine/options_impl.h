/* Run options internals. */
#ifndef OSMDIAG_OPTIONS_IMPL_H
#define OSMDIAG_OPTIONS_IMPL_H

#include <time.h>

#include "osmdiag/check.h"
#include "util/util.h"

struct osmdiag_options {
	char *mesh_namespace;
	char *mesh_name;
	osmdiag__strlist only;   /* IDs and categories; empty = all */
	osmdiag__strlist skip;
	int fail_on;             /* OSMDIAG_STATUS_WARN or _FAIL */
	int expiry_warning_days;
	long timeout_ms;
	time_t now;              /* 0 = real time; tests fix it */
	char errmsg[256];
};

/* Tests: fixes "now" for certificate checks. */
void osmdiag__options_set_now(osmdiag_options *opts, time_t now);
/* 1 when check `id` of `category` is selected by only/skip. */
int osmdiag__options_selects(const osmdiag_options *opts, const char *id, const char *category);

#endif
