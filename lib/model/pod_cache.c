/*
 * Pod views computed once per run: a large cluster's pods are read by several
 * checks (102/112/122, 401-404, 701-703), and validating and viewing each pod again in each
 * of them was a fifth of a large run's time. Keyed by the stored object (the
 * store keeps every pod alive and unchanged while the model lives); the
 * per-array work (container views, item validation) is shared between the
 * pods whose arrays are shared (views.c).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>

#include "model/model.h"
#include "util/util.h"

struct osmdiag__pod_cache {
	osmdiag__ptrmap pods; /* pod -> osmdiag__pod_info */
	osmdiag__view_memo memo;
};

static osmdiag__pod_info *info_new(const osmdiag__obj *pod, osmdiag__view_memo *memo)
{
	osmdiag__pod_info *pi = calloc(1, sizeof(*pi));
	char bad[256];

	if (!pi)
		return NULL;
	if (osmdiag__pod_bad_field(pod, bad, sizeof(bad), memo) && !(pi->bad = osmdiag__strdup(bad))) {
		free(pi);
		return NULL;
	}
	if (osmdiag__pod_view_get(pod, &pi->view, memo) < 0) {
		free(pi->bad);
		free(pi);
		return NULL;
	}
	return pi;
}

static void info_free(void *v)
{
	osmdiag__pod_info *pi = v;

	if (!pi)
		return;
	osmdiag__pod_view_dispose(&pi->view);
	free(pi->bad);
	free(pi);
}

const osmdiag__pod_info *osmdiag__model_pod(const osmdiag__model *cm, const osmdiag__obj *pod)
{
	/* the cache is the model's own memo; the model itself is not defined const */
	osmdiag__model *m = (osmdiag__model *)cm;
	osmdiag__pod_cache *c = m->pod_cache;
	osmdiag__pod_info *pi;
	void **slot;
	int found;

	if (!pod)
		return NULL;
	if (!c && !(c = m->pod_cache = calloc(1, sizeof(*c))))
		return NULL;
	slot = osmdiag__ptrmap_slot(&c->pods, pod, NULL, &found);
	if (!slot)
		return NULL;
	if (found && *slot)
		return *slot;
	if (!(pi = info_new(pod, &c->memo)))
		return NULL; /* the slot stays NULL: tried again next time */
	/* info_new used the memo, not this map: the slot is still valid */
	*slot = pi;
	return pi;
}

void osmdiag__pod_cache_free(osmdiag__pod_cache *c)
{
	if (!c)
		return;
	osmdiag__ptrmap_clear(&c->pods, info_free);
	osmdiag__view_memo_clear(&c->memo);
	free(c);
}
