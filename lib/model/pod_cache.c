/*
 * Pod views computed once per run: a large cluster's pods are read by several
 * checks (102/112/122, 401-404, 701-703), and validating and viewing each pod again in each
 * of them was a fifth of a large run's time. Keyed by the stored object (the
 * store keeps every pod alive and unchanged while the model lives).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "util/util.h"

typedef struct slot {
	const osmdiag__obj *pod; /* NULL: empty */
	osmdiag__pod_info *info;
} slot;

struct osmdiag__pod_cache {
	slot *v;
	size_t cap, n; /* cap a power of two, n <= cap / 2 */
};

static size_t hash_ptr(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

static int grow(osmdiag__pod_cache *c)
{
	size_t ncap = c->cap ? c->cap * 2 : 256;
	slot *nv = calloc(ncap, sizeof(*nv));

	if (!nv)
		return -1;
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->v[i].pod)
			continue;
		size_t j = hash_ptr(c->v[i].pod) & (ncap - 1);
		while (nv[j].pod)
			j = (j + 1) & (ncap - 1);
		nv[j] = c->v[i];
	}
	free(c->v);
	c->v = nv;
	c->cap = ncap;
	return 0;
}

static osmdiag__pod_info *info_new(const osmdiag__obj *pod)
{
	osmdiag__pod_info *pi = calloc(1, sizeof(*pi));
	char bad[256];

	if (!pi)
		return NULL;
	if (osmdiag__pod_bad_field(pod, bad, sizeof(bad)) && !(pi->bad = osmdiag__strdup(bad))) {
		free(pi);
		return NULL;
	}
	if (osmdiag__pod_view_get(pod, &pi->view) < 0) {
		free(pi->bad);
		free(pi);
		return NULL;
	}
	return pi;
}

const osmdiag__pod_info *osmdiag__model_pod(const osmdiag__model *cm, const osmdiag__obj *pod)
{
	/* the cache is the model's own memo; the model itself is not defined const */
	osmdiag__model *m = (osmdiag__model *)cm;
	osmdiag__pod_cache *c = m->pod_cache;
	size_t j;

	if (!pod)
		return NULL;
	if (!c && !(c = m->pod_cache = calloc(1, sizeof(*c))))
		return NULL;
	if ((c->n + 1) * 2 > c->cap && grow(c) < 0)
		return NULL;
	for (j = hash_ptr(pod) & (c->cap - 1); c->v[j].pod; j = (j + 1) & (c->cap - 1))
		if (c->v[j].pod == pod)
			return c->v[j].info;
	osmdiag__pod_info *pi = info_new(pod);
	if (!pi)
		return NULL;
	c->v[j].pod = pod;
	c->v[j].info = pi;
	c->n++;
	return pi;
}

void osmdiag__pod_cache_free(osmdiag__pod_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->v[i].pod)
			continue;
		osmdiag__pod_view_dispose(&c->v[i].info->view);
		free(c->v[i].info->bad);
		free(c->v[i].info);
	}
	free(c->v);
	free(c);
}
