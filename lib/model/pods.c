/*
 * Pod records (model.h): what the checks read of a pod, made from its JSON as
 * soon as its list page arrives (gather.c hands the pages over). The JSON
 * pod is then dropped: its own object, metadata and labels (~2 KB per pod
 * even trimmed) go, while the parts it shares with the other pods of its
 * workload (spec, status, owner references, annotation values; store/trim.c
 * shares them) stay, referenced by the record, and the views point into them.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/model.h"
#include "store/store.h"
#include "util/util.h"

#define A_INJECT "openservicemesh.io/sidecar-injection"

typedef struct rec {
	osmdiag__pod pod;
	size_t seq;      /* arrival order: of two pods with one name, the later wins */
	json_t *ns;      /* references held: the namespace string and the shared parts */
	json_t *spec, *status, *owner_refs, *inject;
	char *bad;
	/* then: the label pointers and the name and label strings, one block */
} rec;

struct osmdiag__pod_table {
	rec **v;
	size_t n, cap;
	size_t seq;
	rec **live;      /* sorted by namespace and name, each name once; NULL when stale */
	size_t nlive;
	/* Container views and item validations per shared array (views.c). Their
	 * keys stay valid: every record is kept until the table goes, and holds
	 * its spec and status. Moved tables bring theirs. */
	osmdiag__view_memo **memos;
	size_t nmemos;
	osmdiag__ptrmap workloads; /* (owner references, namespace) -> wl_memo, osmdiag__pod_workload */
};

/* The controller ownerReference in `refs` (else the first with a kind and a
 * name), or NULL. */
static const osmdiag__obj *controller_ref(const osmdiag__obj *refs)
{
	const osmdiag__obj *first = NULL;

	for (size_t i = 0; i < osmdiag__obj_len(refs); i++) {
		const osmdiag__obj *r = osmdiag__obj_at(refs, i);
		int ctrl = 0;

		if (!osmdiag__obj_str(r, "kind") || !osmdiag__obj_str(r, "name"))
			continue;
		if (osmdiag__obj_get_bool(r, "controller", &ctrl) == OSMDIAG__F_OK && ctrl)
			return r;
		if (!first)
			first = r;
	}
	return first;
}

static void lower_copy(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	for (; src[i] && i + 1 < len; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] - 'A' + 'a' : src[i]);
	dst[i] = '\0';
}

/* The workload of a pod whose controller reference is `ref`: 1 and kind/name,
 * or 0 (another owner). *by_hash: found by the pod-template-hash rule. */
static int resolve(const osmdiag__model *m, const osmdiag__pod *pod, const osmdiag__obj *ref, char *kind,
	size_t kind_len, char *name, size_t name_len, int *by_hash)
{
	const char *rkind = osmdiag__obj_str(ref, "kind");
	const char *rname = osmdiag__obj_str(ref, "name");

	*by_hash = 0;
	if (osmdiag__streq(rkind, "ReplicaSet")) {
		const osmdiag__obj *rs = osmdiag__model_get(m, "ReplicaSet", pod->namespace_, rname);
		const osmdiag__obj *owner = controller_ref(osmdiag__obj_get(rs, "metadata.ownerReferences"));
		const char *hash = osmdiag__pod_label(pod, "pod-template-hash");
		size_t rl = strlen(rname), hl = hash ? strlen(hash) : 0;

		if (owner && osmdiag__streq(osmdiag__obj_str(owner, "kind"), "Deployment")) {
			snprintf(kind, kind_len, "deployment");
			snprintf(name, name_len, "%s", osmdiag__obj_str(owner, "name"));
			return 1;
		}
		if (!rs && hl && rl > hl + 1 && rname[rl - hl - 1] == '-' &&
		    strcmp(rname + rl - hl, hash) == 0) {
			/* ReplicaSet not captured: Deployment name = RS name minus "-<hash>". */
			snprintf(kind, kind_len, "deployment");
			snprintf(name, name_len, "%.*s", (int)(rl - hl - 1), rname);
			*by_hash = 1;
			return 1;
		}
		snprintf(kind, kind_len, "replicaset");
		snprintf(name, name_len, "%s", rname);
		return 1;
	}
	if (osmdiag__streq(rkind, "StatefulSet") || osmdiag__streq(rkind, "DaemonSet") ||
	    osmdiag__streq(rkind, "Deployment")) {
		lower_copy(kind, kind_len, rkind);
		snprintf(name, name_len, "%s", rname);
		return 1;
	}
	return 0;
}

/* A resolved workload, kept per (owner references, namespace): the pods of a
 * workload share their owner references (store/trim.c), and 701/702 ask for
 * every injected pod's. */
typedef struct wl_memo {
	int found;
	int by_hash;      /* then valid only for pods with the same pod-template-hash */
	char kind[16];
	char *hash;
	char name[];
} wl_memo;

static void wl_memo_free(void *v)
{
	if (v)
		free(((wl_memo *)v)->hash);
	free(v);
}

int osmdiag__pod_workload(const osmdiag__model *m, const osmdiag__pod *pod, char *kind,
	size_t kind_len, char *name, size_t name_len)
{
	const osmdiag__obj *ref = controller_ref(pod->owner_refs);
	osmdiag__pod_table *t = m ? m->pods : NULL;
	void **slot = NULL;
	int found = 0, by_hash, rc;

	snprintf(kind, kind_len, "pod");
	snprintf(name, name_len, "%s", pod->name);
	if (!ref)
		return 0;
	if (t && pod->namespace_)
		slot = osmdiag__ptrmap_slot(&t->workloads, pod->owner_refs, pod->namespace_, &found);
	if (slot && found && *slot) {
		const wl_memo *w = *slot;

		if (!w->by_hash || osmdiag__streq(w->hash, osmdiag__pod_label(pod, "pod-template-hash"))) {
			if (w->found) {
				snprintf(kind, kind_len, "%s", w->kind);
				snprintf(name, name_len, "%s", w->name);
			}
			return w->found;
		}
		slot = NULL; /* another hash: not kept */
	}
	rc = resolve(m, pod, ref, kind, kind_len, name, name_len, &by_hash);
	if (slot) {
		/* resolve() did not touch the map: the slot is still valid */
		wl_memo *w = calloc(1, sizeof(*w) + strlen(name) + 1);

		if (w && by_hash && !(w->hash = osmdiag__strdup(osmdiag__pod_label(pod, "pod-template-hash")))) {
			free(w);
			w = NULL;
		}
		if (w) {
			w->found = rc;
			w->by_hash = by_hash;
			snprintf(w->kind, sizeof(w->kind), "%s", kind);
			memcpy(w->name, name, strlen(name) + 1);
			*slot = w; /* NULL (OOM): resolved again next time */
		}
	}
	return rc;
}

osmdiag__pod_table *osmdiag__pod_table_new(void)
{
	return calloc(1, sizeof(osmdiag__pod_table));
}

static void rec_free(rec *r)
{
	if (!r)
		return;
	osmdiag__pod_view_dispose(&r->pod.view);
	json_decref(r->ns);
	json_decref(r->spec);
	json_decref(r->status);
	json_decref(r->owner_refs);
	json_decref(r->inject);
	free(r->bad);
	free(r);
}

void osmdiag__pod_table_clear(osmdiag__pod_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		rec_free(t->v[i]);
	for (size_t i = 0; i < t->nmemos; i++) {
		osmdiag__view_memo_clear(t->memos[i]);
		free(t->memos[i]);
	}
	osmdiag__ptrmap_clear(&t->workloads, wl_memo_free);
	free(t->v);
	free(t->live);
	free(t->memos);
	memset(t, 0, sizeof(*t));
}

void osmdiag__pod_table_free(osmdiag__pod_table *t)
{
	osmdiag__pod_table_clear(t);
	free(t);
}

static json_t *ref(json_t *v)
{
	return json_incref(v);
}

/* The record of `pod`; NULL on OOM or when it has no name (skipped, as the
 * store skips it). */
static rec *rec_new(json_t *pod, osmdiag__view_memo *memo, size_t seq, int *skip)
{
	json_t *md = json_object_get(pod, "metadata");
	const char *name = json_string_value(json_object_get(md, "name"));
	json_t *labels = json_object_get(md, "labels");
	size_t nl = json_is_object(labels) ? json_object_size(labels) : 0;
	size_t bytes = 0, k = 0;
	const char *key;
	json_t *v;
	char bad[256];

	*skip = !name;
	if (!name)
		return NULL;
	bytes = strlen(name) + 1;
	if (nl) {
		json_object_foreach(labels, key, v)
			bytes += strlen(key) + 1 + (json_is_string(v) ? json_string_length(v) + 1 : 0);
	}
	rec *r = calloc(1, sizeof(rec) + (2 * nl + 1) * sizeof(char *) + bytes);
	if (!r)
		return NULL;
	const char **kv = (const char **)(void *)(r + 1);
	char *p = (char *)(kv + 2 * nl + 1);

	r->seq = seq;
	memcpy(p, name, strlen(name) + 1);
	r->pod.name = p;
	p += strlen(name) + 1;
	if (nl) {
		json_object_foreach(labels, key, v) {
			size_t kl = strlen(key) + 1;

			memcpy(p, key, kl);
			kv[k++] = p;
			p += kl;
			if (json_is_string(v)) {
				memcpy(p, json_string_value(v), json_string_length(v) + 1);
				kv[k++] = p;
				p += json_string_length(v) + 1;
			} else {
				kv[k++] = NULL;
			}
		}
	}
	kv[k] = NULL;
	r->pod.labels = kv;
	r->ns = ref(json_object_get(md, "namespace"));
	r->pod.namespace_ = json_string_value(r->ns);
	r->pod.spec = r->spec = ref(json_object_get(pod, "spec"));
	r->pod.status = r->status = ref(json_object_get(pod, "status"));
	r->pod.owner_refs = r->owner_refs = ref(json_object_get(md, "ownerReferences"));
	r->pod.inject = r->inject = ref(json_object_get(json_object_get(md, "annotations"), A_INJECT));
	if (osmdiag__pod_bad_field(pod, bad, sizeof(bad), memo) && !(r->bad = osmdiag__strdup(bad))) {
		rec_free(r);
		return NULL;
	}
	r->pod.bad = r->bad;
	if (osmdiag__pod_view_get(pod, &r->pod.view, memo) < 0) {
		rec_free(r);
		return NULL;
	}
	/* the view's names pointed into the pod's own metadata, which goes */
	r->pod.view.name = r->pod.name;
	r->pod.view.namespace_ = r->pod.namespace_;
	return r;
}

static int push(osmdiag__pod_table *t, rec *r)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		rec **v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = r;
	free(t->live);
	t->live = NULL;
	return 0;
}

int osmdiag__pod_table_add(osmdiag__pod_table *t, const osmdiag__obj *cpod)
{
	json_t *pod = (json_t *)cpod; /* read only: references are taken on its parts */
	int skip;

	if (!t || !json_is_object(pod))
		return t ? 0 : -1;
	if (!t->nmemos) {
		osmdiag__view_memo *m = calloc(1, sizeof(*m));

		if (!m || !(t->memos = malloc(sizeof(*t->memos)))) {
			free(m);
			return -1;
		}
		t->memos[t->nmemos++] = m;
	}
	rec *r = rec_new(pod, t->memos[0], t->seq++, &skip);
	if (!r)
		return skip ? 0 : -1;
	if (push(t, r) < 0) {
		rec_free(r);
		return -1;
	}
	return 0;
}

int osmdiag__pod_table_move(osmdiag__pod_table *to, osmdiag__pod_table *from)
{
	if (!to || !from)
		return -1;
	rec **v = realloc(to->v, (to->n + from->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	to->v = v;
	to->cap = to->n + from->n + 1;
	osmdiag__view_memo **mm = realloc(to->memos, (to->nmemos + from->nmemos + 1) * sizeof(*mm));
	if (!mm)
		return -1;
	to->memos = mm;
	for (size_t i = 0; i < from->n; i++) {
		from->v[i]->seq = to->seq++;
		to->v[to->n++] = from->v[i];
	}
	/* `to` adds to its own first memo from now on; those come after it */
	for (size_t i = 0; i < from->nmemos; i++)
		to->memos[to->nmemos++] = from->memos[i];
	free(to->live);
	to->live = NULL;
	free(from->v);
	free(from->live);
	free(from->memos);
	memset(from, 0, sizeof(*from));
	return 0;
}

static int cmp_rec(const void *a, const void *b)
{
	const rec *x = *(rec *const *)a, *y = *(rec *const *)b;
	int c = strcmp(x->pod.namespace_ ? x->pod.namespace_ : "", y->pod.namespace_ ? y->pod.namespace_ : "");

	if (!c)
		c = strcmp(x->pod.name, y->pod.name);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* The sorted list without the records a later one of the same name replaced. */
static int ensure_live(osmdiag__pod_table *t)
{
	if (t->live || !t->n)
		return 0;
	rec **s = malloc(t->n * sizeof(*s));
	if (!s)
		return -1;
	memcpy(s, t->v, t->n * sizeof(*s));
	qsort(s, t->n, sizeof(*s), cmp_rec);
	size_t o = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (o && strcmp(s[o - 1]->pod.name, s[i]->pod.name) == 0 &&
		    strcmp(s[o - 1]->pod.namespace_ ? s[o - 1]->pod.namespace_ : "",
			   s[i]->pod.namespace_ ? s[i]->pod.namespace_ : "") == 0)
			o--; /* the later one wins */
		s[o++] = s[i];
	}
	t->live = s;
	t->nlive = o;
	return 0;
}

int osmdiag__model_pods(const osmdiag__model *m, const char *ns, const char *selector, osmdiag__pods *out)
{
	/* the sorted list is the table's own cache; the model is not defined const */
	osmdiag__pod_table *t = m ? m->pods : NULL;
	osmdiag__selector *sel = NULL;
	size_t lo = 0, hi;

	out->v = NULL;
	out->n = 0;
	if (!t || !t->n)
		return 0;
	if (ensure_live(t) < 0)
		return -1;
	if (selector && *selector) {
		char err[200];

		if (!(sel = osmdiag__selector_parse(selector, err, sizeof(err))))
			return -1;
	}
	hi = t->nlive;
	if (ns) {
		size_t a = 0, b = t->nlive;

		while (a < b) {
			size_t mid = a + (b - a) / 2;

			if (strcmp(t->live[mid]->pod.namespace_ ? t->live[mid]->pod.namespace_ : "", ns) < 0)
				a = mid + 1;
			else
				b = mid;
		}
		lo = hi = a;
		while (hi < t->nlive && strcmp(t->live[hi]->pod.namespace_ ? t->live[hi]->pod.namespace_ : "", ns) == 0)
			hi++;
	}
	if (hi > lo && !(out->v = malloc((hi - lo) * sizeof(*out->v)))) {
		osmdiag__selector_free(sel);
		return -1;
	}
	for (size_t i = lo; i < hi; i++)
		if (osmdiag__selector_matches_kv(sel, t->live[i]->pod.labels))
			out->v[out->n++] = &t->live[i]->pod;
	osmdiag__selector_free(sel);
	return 0;
}

void osmdiag__pods_free(osmdiag__pods *pods)
{
	if (!pods)
		return;
	free(pods->v);
	pods->v = NULL;
	pods->n = 0;
}

const char *osmdiag__pod_label(const osmdiag__pod *pod, const char *key)
{
	for (const char *const *p = pod ? pod->labels : NULL; p && *p; p += 2)
		if (strcmp(*p, key) == 0)
			return p[1];
	return NULL;
}
