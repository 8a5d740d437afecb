/* Gathering cluster state for a run (see gather.c). Internal. */
#ifndef OSMDIAG_GATHER_H
#define OSMDIAG_GATHER_H

#include "checks/check_impl.h"
#include "model/model.h"
#include "osmdiag/source.h"

struct osmdiag__store;

#define OSMDIAG__GATHER_SLOTS 32
/* A mesh monitoring at most this many namespaces has their pods listed one
 * namespace at a time (requests are cheap over HTTP/2; the cluster's other
 * pods are never read); beyond it, one cluster-wide list. */
#define OSMDIAG__GATHER_NS_LISTS_MAX 50

typedef struct osmdiag__gather {
	struct osmdiag__store *store;          /* every object fetched */
	osmdiag__model model;                  /* built on the store */
	char *failed[OSMDIAG__GATHER_SLOTS];   /* per plan row: why its list failed */
	unsigned failed_needs;                 /* OSMDIAG__NEED_* whose list failed */
	int failed_code;                       /* osmdiag_errcode of the first failed list */
	char *discovery_error;                 /* the controller list failed */
} osmdiag__gather;

/* 1 when check `d` runs: `only_id` when given, else the options' only/skip. */
int osmdiag__check_selected(const osmdiag_options *opts, const char *only_id,
	const osmdiag__check_def *d);
/* Union of the needs of the selected checks and their dependencies. */
unsigned osmdiag__plan_needs(const osmdiag_options *opts, const char *only_id);
/* Fetches what `needs` says (plus discovery) and builds the model. `opts`
 * must be non-NULL. On error `err` is filled; dispose in any case. */
int osmdiag__gather_run(osmdiag__gather *g, osmdiag_source *src, const osmdiag_options *opts,
	unsigned needs, osmdiag_error *err);
/* Why a check's input is missing (its first failed list), or NULL. */
const char *osmdiag__gather_input_failure(const osmdiag__gather *g, unsigned needs);
void osmdiag__gather_dispose(osmdiag__gather *g);

#endif
