/*
 * Object store: Kubernetes objects indexed by kind, then namespace/name.
 *
 * Layout: one table per kind (kinds found by a small hash index), each table
 * an array of entries plus an open-addressing hash index over (namespace,
 * name). get is O(1); a list of a kind walks its array, which is kept sorted
 * by (namespace, name) lazily: an add that keeps the order (kubectl output is
 * already sorted) leaves it sorted, anything else marks the table unsorted and
 * the next list sorts it once (O(n log n)) and rebuilds the index (O(n)).
 *
 * The store keeps its own copy of namespace and name, so callers (tests) may
 * mutate stored objects; renaming a stored object does not re-index it.
 *
 * On add, the store drops what no check needs and what must never be kept:
 * every field the per-kind keep-lists of trim.c do not name (memory, check
 * time), metadata.managedFields of every kind and, for Secrets, every key of data and
 * stringData except ca.crt plus the last-applied-configuration annotation
 * (which repeats the data): private keys never stay in memory.
 *
 * Not thread-safe (list may sort in place).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/trim.h"

#define SLOT_EMPTY 0
#define SLOT_DEAD SIZE_MAX

typedef struct slot {
	size_t hash;
	size_t ref; /* SLOT_EMPTY, SLOT_DEAD or index + 1 */
} slot;

typedef struct hindex {
	slot *s;
	size_t cap;  /* power of two or 0 */
	size_t used; /* live + dead */
	size_t live;
} hindex;

typedef struct entry {
	char *ns;         /* one allocation: "ns\0name\0" */
	const char *name; /* points into ns */
	json_t *obj;      /* owned reference */
	size_t hash;
} entry;

typedef struct kindtab {
	char *kind;
	size_t hash;
	entry *v;
	size_t n;
	size_t cap;
	hindex ix;
	int sorted;
} kindtab;

struct osmdiag__store {
	kindtab **kinds; /* in order of first appearance */
	size_t nkinds;
	size_t capkinds;
	hindex kix;
	size_t count;
};

/* ---- hashing ------------------------------------------------------------ */

static size_t fnv_add(size_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

static size_t hash_str(const char *s)
{
	return fnv_add((size_t)14695981039346656037ULL, s);
}

static size_t hash_nsname(const char *ns, const char *name)
{
	size_t h = fnv_add((size_t)14695981039346656037ULL, ns);
	h ^= 0xff; /* separator: ("a","bc") != ("ab","c") */
	h *= (size_t)1099511628211ULL;
	return fnv_add(h, name);
}

/* ---- generic open-addressing index --------------------------------------- */

/* eq(ctx, idx, key): does item idx have the key? */
typedef int (*eq_fn)(const void *ctx, size_t idx, const void *key);

/* Slot holding the key, or SIZE_MAX when absent. */
static size_t hindex_find(const hindex *ix, size_t hash, eq_fn eq, const void *ctx, const void *key)
{
	if (ix->cap == 0)
		return SIZE_MAX;
	size_t mask = ix->cap - 1;
	for (size_t i = hash & mask, step = 0; step < ix->cap; i = (i + 1) & mask, step++) {
		const slot *sl = &ix->s[i];
		if (sl->ref == SLOT_EMPTY)
			return SIZE_MAX;
		if (sl->ref != SLOT_DEAD && sl->hash == hash && eq(ctx, sl->ref - 1, key))
			return i;
	}
	return SIZE_MAX;
}

/* Inserts without checking for an existing key (callers look up first). */
static void hindex_put_nocheck(hindex *ix, size_t hash, size_t idx)
{
	size_t mask = ix->cap - 1;
	size_t i = hash & mask;
	while (ix->s[i].ref != SLOT_EMPTY && ix->s[i].ref != SLOT_DEAD)
		i = (i + 1) & mask;
	if (ix->s[i].ref == SLOT_EMPTY)
		ix->used++;
	ix->s[i].hash = hash;
	ix->s[i].ref = idx + 1;
	ix->live++;
}

/* Makes room for one more item; rebuilds without tombstones when needed. */
static int hindex_reserve(hindex *ix)
{
	if (ix->cap && (ix->used + 1) * 4 <= ix->cap * 3)
		return 0;
	size_t ncap = 16;
	while (ncap < (ix->live + 1) * 2) /* load <= 1/2 after a rebuild */
		ncap *= 2;
	slot *ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return -1;
	slot *old = ix->s;
	size_t oldcap = ix->cap;
	ix->s = ns;
	ix->cap = ncap;
	ix->used = 0;
	ix->live = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].ref != SLOT_EMPTY && old[i].ref != SLOT_DEAD)
			hindex_put_nocheck(ix, old[i].hash, old[i].ref - 1);
	free(old);
	return 0;
}

static void hindex_clear(hindex *ix)
{
	if (ix->s)
		memset(ix->s, 0, ix->cap * sizeof(*ix->s));
	ix->used = 0;
	ix->live = 0;
}

/* ---- kinds ---------------------------------------------------------------- */

static int kind_eq(const void *ctx, size_t idx, const void *key)
{
	const osmdiag__store *st = ctx;
	return strcmp(st->kinds[idx]->kind, (const char *)key) == 0;
}

static kindtab *find_kind(const osmdiag__store *st, const char *kind)
{
	size_t pos = hindex_find(&st->kix, hash_str(kind), kind_eq, st, kind);
	return pos == SIZE_MAX ? NULL : st->kinds[st->kix.s[pos].ref - 1];
}

static kindtab *get_or_add_kind(osmdiag__store *st, const char *kind)
{
	kindtab *kt = find_kind(st, kind);
	if (kt)
		return kt;
	if (st->nkinds == st->capkinds) {
		size_t ncap = st->capkinds ? st->capkinds * 2 : 16;
		kindtab **nk = realloc(st->kinds, ncap * sizeof(*nk));
		if (!nk)
			return NULL;
		st->kinds = nk;
		st->capkinds = ncap;
	}
	if (hindex_reserve(&st->kix) != 0)
		return NULL;
	kt = calloc(1, sizeof(*kt));
	if (!kt)
		return NULL;
	kt->kind = strdup(kind);
	if (!kt->kind) {
		free(kt);
		return NULL;
	}
	kt->hash = hash_str(kind);
	kt->sorted = 1;
	st->kinds[st->nkinds] = kt;
	hindex_put_nocheck(&st->kix, kt->hash, st->nkinds);
	st->nkinds++;
	return kt;
}

/* ---- entries -------------------------------------------------------------- */

typedef struct nskey {
	const char *ns;
	const char *name;
} nskey;

static int entry_eq(const void *ctx, size_t idx, const void *key)
{
	const kindtab *kt = ctx;
	const nskey *k = key;
	return strcmp(kt->v[idx].name, k->name) == 0 && strcmp(kt->v[idx].ns, k->ns) == 0;
}

static int entry_cmp(const entry *a, const entry *b)
{
	int c = strcmp(a->ns, b->ns);
	return c ? c : strcmp(a->name, b->name);
}

static int entry_qcmp(const void *a, const void *b)
{
	return entry_cmp(a, b);
}

static size_t find_entry(const kindtab *kt, const char *ns, const char *name)
{
	nskey k = { ns, name };
	size_t pos = hindex_find(&kt->ix, hash_nsname(ns, name), entry_eq, kt, &k);
	return pos == SIZE_MAX ? SIZE_MAX : kt->ix.s[pos].ref - 1;
}

/* Sorts the table (if needed) and rebuilds its index. */
static void ensure_sorted(kindtab *kt)
{
	if (kt->sorted)
		return;
	if (kt->n > 1)
		qsort(kt->v, kt->n, sizeof(*kt->v), entry_qcmp);
	hindex_clear(&kt->ix);
	for (size_t i = 0; i < kt->n; i++)
		hindex_put_nocheck(&kt->ix, kt->v[i].hash, i);
	kt->sorted = 1;
}

static void kindtab_free(kindtab *kt)
{
	if (!kt)
		return;
	for (size_t i = 0; i < kt->n; i++) {
		json_decref(kt->v[i].obj);
		free(kt->v[i].ns);
	}
	free(kt->v);
	free(kt->ix.s);
	free(kt->kind);
	free(kt);
}

/* ---- validation and trimming ------------------------------------------------ */

const char *osmdiag__json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

int osmdiag__store_validate(const json_t *obj, char *errbuf, size_t errlen)
{
	if (!json_is_object(obj)) {
		snprintf(errbuf, errlen, "expected an object, found %s",
			obj ? osmdiag__json_type_name(obj) : "nothing");
		return -1;
	}
	const json_t *kind = json_object_get(obj, "kind");
	if (!kind) {
		snprintf(errbuf, errlen, "object has no \"kind\"");
		return -1;
	}
	if (!json_is_string(kind)) {
		snprintf(errbuf, errlen, "kind is %s, expected a string", osmdiag__json_type_name(kind));
		return -1;
	}
	if (json_string_length(kind) == 0) {
		snprintf(errbuf, errlen, "kind is empty");
		return -1;
	}
	const json_t *md = json_object_get(obj, "metadata");
	if (!md) {
		snprintf(errbuf, errlen, "%s has no \"metadata\"", json_string_value(kind));
		return -1;
	}
	if (!json_is_object(md)) {
		snprintf(errbuf, errlen, "%s: metadata is %s, expected an object", json_string_value(kind),
			osmdiag__json_type_name(md));
		return -1;
	}
	const json_t *name = json_object_get(md, "name");
	if (!name) {
		snprintf(errbuf, errlen, "%s: object has no \"metadata.name\"", json_string_value(kind));
		return -1;
	}
	if (!json_is_string(name)) {
		snprintf(errbuf, errlen, "%s: metadata.name is %s, expected a string", json_string_value(kind),
			osmdiag__json_type_name(name));
		return -1;
	}
	if (json_string_length(name) == 0) {
		snprintf(errbuf, errlen, "%s: metadata.name is empty", json_string_value(kind));
		return -1;
	}
	if (strlen(json_string_value(name)) != json_string_length(name)) {
		snprintf(errbuf, errlen, "%s: metadata.name contains a NUL character", json_string_value(kind));
		return -1;
	}
	const json_t *ns = json_object_get(md, "namespace");
	if (ns && !json_is_string(ns)) {
		snprintf(errbuf, errlen, "%s %s: metadata.namespace is %s, expected a string",
			json_string_value(kind), json_string_value(name), osmdiag__json_type_name(ns));
		return -1;
	}
	if (ns && strlen(json_string_value(ns)) != json_string_length(ns)) {
		snprintf(errbuf, errlen, "%s %s: metadata.namespace contains a NUL character",
			json_string_value(kind), json_string_value(name));
		return -1;
	}
	return 0;
}

/* Drops every key of obj[member] except ca.crt. */
static void drop_secret_keys(json_t *obj, const char *member)
{
	json_t *data = json_object_get(obj, member);
	if (!json_is_object(data))
		return;
	const char *key;
	json_t *val;
	void *tmp;
	json_object_foreach_safe(data, tmp, key, val) {
		(void)val;
		if (strcmp(key, "ca.crt") != 0)
			json_object_del(data, key);
	}
}

void osmdiag__secret_keep_ca_only(json_t *secret)
{
	drop_secret_keys(secret, "data");
	drop_secret_keys(secret, "stringData");
	json_object_del(json_object_get(json_object_get(secret, "metadata"), "annotations"),
		"kubectl.kubernetes.io/last-applied-configuration");
}

static void trim(json_t *obj, int filtered)
{
	if (!filtered)
		osmdiag__trim_object(obj, NULL); /* trim.c: the fields the checks read */
	if (strcmp(json_string_value(json_object_get(obj, "kind")), "Secret") == 0)
		osmdiag__secret_keep_ca_only(obj);
}

/* ---- public (internal) API -------------------------------------------------- */

osmdiag__store *osmdiag__store_new(void)
{
	return calloc(1, sizeof(osmdiag__store));
}

void osmdiag__store_free(osmdiag__store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nkinds; i++)
		kindtab_free(st->kinds[i]);
	free(st->kinds);
	free(st->kix.s);
	free(st);
}

static int add(osmdiag__store *st, json_t *obj, int filtered, char *errbuf, size_t errlen)
{
	char dummy[8];
	if (!errbuf || errlen == 0) {
		errbuf = dummy;
		errlen = sizeof(dummy);
	}
	errbuf[0] = '\0';
	if (!st) {
		json_decref(obj);
		snprintf(errbuf, errlen, "no store");
		return -1;
	}
	if (osmdiag__store_validate(obj, errbuf, errlen) != 0) {
		json_decref(obj);
		return -1;
	}
	trim(obj, filtered);
	json_t *md = json_object_get(obj, "metadata");
	const char *kind = json_string_value(json_object_get(obj, "kind"));
	const char *name = json_string_value(json_object_get(md, "name"));
	const char *ns = json_string_value(json_object_get(md, "namespace"));
	if (!ns)
		ns = "";

	kindtab *kt = get_or_add_kind(st, kind);
	if (!kt)
		goto oom;
	size_t at = find_entry(kt, ns, name);
	if (at != SIZE_MAX) { /* last wins */
		json_decref(kt->v[at].obj);
		kt->v[at].obj = obj;
		return 0;
	}
	if (kt->n == kt->cap) {
		size_t ncap = kt->cap ? kt->cap * 2 : 16;
		entry *nv = realloc(kt->v, ncap * sizeof(*nv));
		if (!nv)
			goto oom;
		kt->v = nv;
		kt->cap = ncap;
	}
	if (hindex_reserve(&kt->ix) != 0)
		goto oom;
	size_t nslen = strlen(ns), namelen = strlen(name);
	char *key = malloc(nslen + namelen + 2);
	if (!key)
		goto oom;
	memcpy(key, ns, nslen + 1);
	memcpy(key + nslen + 1, name, namelen + 1);
	entry *e = &kt->v[kt->n];
	e->ns = key;
	e->name = key + nslen + 1;
	e->obj = obj;
	e->hash = hash_nsname(ns, name);
	if (kt->sorted && kt->n > 0 && entry_cmp(&kt->v[kt->n - 1], e) > 0)
		kt->sorted = 0;
	hindex_put_nocheck(&kt->ix, e->hash, kt->n);
	kt->n++;
	st->count++;
	return 0;
oom:
	json_decref(obj);
	snprintf(errbuf, errlen, "out of memory");
	return -1;
}

int osmdiag__store_add(osmdiag__store *st, json_t *obj, char *errbuf, size_t errlen)
{
	return add(st, obj, 0, errbuf, errlen);
}

int osmdiag__store_add_filtered(osmdiag__store *st, json_t *obj, char *errbuf, size_t errlen)
{
	return add(st, obj, 1, errbuf, errlen);
}

size_t osmdiag__store_count(const osmdiag__store *st)
{
	return st ? st->count : 0;
}

json_t *osmdiag__store_get(const osmdiag__store *st, const char *kind, const char *ns, const char *name)
{
	if (!st || !kind || !name)
		return NULL;
	const kindtab *kt = find_kind(st, kind);
	if (!kt)
		return NULL;
	size_t at = find_entry(kt, ns ? ns : "", name);
	return at == SIZE_MAX ? NULL : kt->v[at].obj;
}

int osmdiag__store_remove(osmdiag__store *st, const char *kind, const char *ns, const char *name)
{
	if (!st || !kind || !name)
		return -1;
	kindtab *kt = find_kind(st, kind);
	if (!kt)
		return -1;
	if (!ns)
		ns = "";
	nskey k = { ns, name };
	size_t pos = hindex_find(&kt->ix, hash_nsname(ns, name), entry_eq, kt, &k);
	if (pos == SIZE_MAX)
		return -1;
	size_t at = kt->ix.s[pos].ref - 1;
	kt->ix.s[pos].ref = SLOT_DEAD;
	kt->ix.live--;
	json_decref(kt->v[at].obj);
	free(kt->v[at].ns);
	size_t last = kt->n - 1;
	if (at != last) {
		/* move the last entry into the hole and re-point its slot */
		kt->v[at] = kt->v[last];
		/* v[last] still holds the same key, so the lookup finds its slot */
		nskey lk = { kt->v[at].ns, kt->v[at].name };
		size_t lpos = hindex_find(&kt->ix, kt->v[at].hash, entry_eq, kt, &lk);
		if (lpos != SIZE_MAX)
			kt->ix.s[lpos].ref = at + 1;
		kt->sorted = 0;
	}
	kt->n--;
	st->count--;
	return 0;
}

static const json_t *labels_of(const json_t *obj)
{
	return json_object_get(json_object_get(obj, "metadata"), "labels");
}

json_t *osmdiag__store_list(const osmdiag__store *st, const char *kind, const char *ns,
	const osmdiag__selector *sel)
{
	json_t *arr = json_array();
	if (!arr || !st || !kind)
		return arr;
	/* The store is logically const: sorting is a cache. The handle is not
	 * thread-safe (documented), so doing it here is fine. */
	kindtab *kt = find_kind(st, kind);
	if (!kt)
		return arr;
	ensure_sorted(kt);
	size_t lo = 0, hi = kt->n;
	if (ns && *ns) {
		/* binary search the namespace's range */
		size_t a = 0, b = kt->n;
		while (a < b) {
			size_t m = a + (b - a) / 2;
			if (strcmp(kt->v[m].ns, ns) < 0)
				a = m + 1;
			else
				b = m;
		}
		lo = a;
		hi = lo;
		while (hi < kt->n && strcmp(kt->v[hi].ns, ns) == 0)
			hi++;
	}
	for (size_t i = lo; i < hi; i++) {
		json_t *obj = kt->v[i].obj;
		if (sel && !osmdiag__selector_matches(sel, labels_of(obj)))
			continue;
		if (json_array_append(arr, obj) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

int osmdiag__store_foreach(const osmdiag__store *st, int (*fn)(json_t *obj, void *ud), void *ud)
{
	if (!st || !fn)
		return 0;
	for (size_t k = 0; k < st->nkinds; k++) {
		kindtab *kt = st->kinds[k];
		ensure_sorted(kt);
		for (size_t i = 0; i < kt->n; i++) {
			int rc = fn(kt->v[i].obj, ud);
			if (rc)
				return rc;
		}
	}
	return 0;
}
