/*
 * A hash map keyed by a pair of pointers (open addressing, linear probing):
 * memos over the store's objects, which stay alive and unchanged while a
 * model lives, so their addresses are their identities.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdint.h>
#include <stdlib.h>

#include "util/util.h"

struct osmdiag__ptrmap_slot {
	const void *k1, *k2; /* k1 NULL: empty */
	void *val;
};

static size_t hash_pair(const void *a, const void *b)
{
	uint64_t x = (uint64_t)(uintptr_t)a * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)b;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

static int grow(osmdiag__ptrmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 256;
	struct osmdiag__ptrmap_slot *nv = calloc(ncap, sizeof(*nv));

	if (!nv)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->v[i].k1)
			continue;
		size_t j = hash_pair(m->v[i].k1, m->v[i].k2) & (ncap - 1);
		while (nv[j].k1)
			j = (j + 1) & (ncap - 1);
		nv[j] = m->v[i];
	}
	free(m->v);
	m->v = nv;
	m->cap = ncap;
	return 0;
}

void **osmdiag__ptrmap_slot(osmdiag__ptrmap *m, const void *k1, const void *k2, int *found)
{
	size_t j;

	*found = 0;
	if (!k1 || ((m->n + 1) * 2 > m->cap && grow(m) < 0))
		return NULL;
	for (j = hash_pair(k1, k2) & (m->cap - 1); m->v[j].k1; j = (j + 1) & (m->cap - 1)) {
		if (m->v[j].k1 == k1 && m->v[j].k2 == k2) {
			*found = 1;
			return &m->v[j].val;
		}
	}
	m->v[j].k1 = k1;
	m->v[j].k2 = k2;
	m->v[j].val = NULL;
	m->n++;
	return &m->v[j].val;
}

void osmdiag__ptrmap_clear(osmdiag__ptrmap *m, void (*free_val)(void *))
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].k1 && free_val)
			free_val(m->v[i].val);
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}
