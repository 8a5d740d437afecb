/*
 * The field filter (see trim.h): per-kind keep-lists of the fields the checks
 * and the migration planner read. Each list names the readers, so a check that
 * starts reading a new field adds it here (tests/unit/engine/test_trim.c runs
 * every check on whole and trimmed objects of every fixture and fails when
 * they differ).
 *
 * Only the kinds a large cluster has many of are filtered (pods, workloads,
 * services, endpoints, namespaces, service accounts); the handful of
 * control-plane objects (CRDs, webhook configurations, MeshConfig, Secrets,
 * SMI and policy objects, Ingress, Node) are kept whole but for
 * metadata.managedFields. Secrets lose their private data in store.c.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/trim.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum {
	KEEP = 0, /* the value whole */
	PICK,     /* an object: only the listed members; an array: each element so */
	REST,     /* an object: every member, the listed ones filtered as listed */
	DROP,     /* the member goes */
	/* parsing only: */
	ROOT,     /* an object by its own kind, or a List whose items go by theirs */
	ITEM      /* an item of a List: by its kind, else the list's item kind */
};

typedef struct tnode {
	const char *key; /* NULL ends a list */
	int mode;
	const struct tnode *kids; /* for PICK and REST */
} tnode;

#define END { NULL, KEEP, NULL }

static atomic_int trim_on = 1;

void osmdiag__trim_set_enabled(int on)
{
	atomic_store(&trim_on, on ? 1 : 0);
}

int osmdiag__trim_enabled(void)
{
	return atomic_load(&trim_on);
}

/* metadata of every filtered kind. name/namespace: the store's keys and every
 * message; labels: selectors (102-122 app=..., 132/401-405 monitored-by,
 * 701-703 osm-proxy-uuid, 131 meshName/version, migration); annotations:
 * sidecar-injection (401-404), exclusion lists (migration); ownerReferences:
 * the owning workload (404 remediation, osmdiag__pod_workload, migration). */
static const tnode annotations[] = {
	{ "kubectl.kubernetes.io/last-applied-configuration", DROP, NULL }, END };
static const tnode owner_ref[] = { { "apiVersion", KEEP, NULL }, { "kind", KEEP, NULL },
	{ "name", KEEP, NULL },
	{ "controller", KEEP, NULL }, END };
static const tnode meta[] = { { "name", KEEP, NULL }, { "namespace", KEEP, NULL }, { "labels", KEEP, NULL },
	{ "annotations", REST, annotations }, { "ownerReferences", PICK, owner_ref }, END };

/* A container of a pod (views.c: name, image for 112/122/702/703; migration:
 * ports, resources, securityContext.runAsUser). */
static const tnode pod_container[] = { { "name", KEEP, NULL }, { "image", KEEP, NULL },
	{ "ports", KEEP, NULL },
	{ "resources", KEEP, NULL }, { "securityContext", KEEP, NULL }, END };

/* A container of a workload's pod template: the pod's plus args (201/211:
 * --validator-webhook-config; migration: osm-controller flags), env (305, 702:
 * osm-injector OSM_DEFAULT_* images) and command. */
static const tnode template_container[] = { { "name", KEEP, NULL }, { "image", KEEP, NULL },
	{ "ports", KEEP, NULL }, { "resources", KEEP, NULL }, { "securityContext", KEEP, NULL },
	{ "args", KEEP, NULL }, { "env", KEEP, NULL }, { "command", KEEP, NULL }, END };

/* The pod-level spec fields: hostNetwork, nodeSelector kubernetes.io/os
 * (401-404, 702/703 Windows images); the rest for the migration planner
 * (ServiceAccount -> selector, virtual nodes, runAsUser 1337). */
static const tnode toleration[] = { { "key", KEEP, NULL }, END };
#define PODSPEC(container)                                                                               \
	{ { "containers", PICK, container }, { "initContainers", PICK, container },                      \
	  { "hostNetwork", KEEP, NULL }, { "nodeSelector", KEEP, NULL }, { "nodeName", KEEP, NULL },      \
	  { "serviceAccountName", KEEP, NULL }, { "serviceAccount", KEEP, NULL },                         \
	  { "securityContext", KEEP, NULL }, { "tolerations", PICK, toleration }, END }
static const tnode pod_spec[] = PODSPEC(pod_container);
static const tnode template_spec[] = PODSPEC(template_container);

/* A container status (views.c, 102/112/122 pods ready, 703 sidecar health):
 * which state and its reason, the last termination's reason and exit code;
 * never the timestamps, which would make every pod's statuses unique (no
 * sharing between the pods of a workload). */
static const tnode no_members[] = { END };
static const tnode with_reason[] = { { "reason", KEEP, NULL }, END };
static const tnode last_exit[] = { { "reason", KEEP, NULL }, { "exitCode", KEEP, NULL }, END };
static const tnode cstate[] = { { "running", PICK, no_members }, { "waiting", PICK, with_reason },
	{ "terminated", PICK, with_reason }, END };
static const tnode last_state[] = { { "terminated", PICK, last_exit }, END };
static const tnode container_status[] = { { "name", KEEP, NULL }, { "ready", KEEP, NULL },
	{ "restartCount", KEEP, NULL }, { "state", PICK, cstate }, { "lastState", PICK, last_state }, END };

/* status.conditions of pods (views.c: Ready, ContainersReady, ... with reason/message). */
static const tnode condition[] = { { "type", KEEP, NULL }, { "status", KEEP, NULL }, { "reason", KEEP, NULL },
	{ "message", KEEP, NULL }, END };

static const tnode pod_status[] = { { "phase", KEEP, NULL }, { "conditions", PICK, condition },
	{ "containerStatuses", PICK, container_status }, { "initContainerStatuses", PICK, container_status }, END };

/* Pods: 102/112/122 (control-plane pods), 401/403/404 (namespaces), 701-703. */
static const tnode pod[] = { { "kind", KEEP, NULL }, { "apiVersion", KEEP, NULL }, { "metadata", PICK, meta },
	{ "spec", PICK, pod_spec }, { "status", PICK, pod_status }, END };

/* Deployments, StatefulSets, DaemonSets, ReplicaSets: replica counts and
 * conditions (101/111/121: status whole), selector, template metadata (403/404
 * template annotations, migration labels) and template spec (201/211/305/702,
 * migration). */
static const tnode pod_template[] = { { "metadata", PICK, meta }, { "spec", PICK, template_spec }, END };
static const tnode workload_spec[] = { { "replicas", KEEP, NULL }, { "selector", KEEP, NULL },
	{ "strategy", KEEP, NULL }, { "template", PICK, pod_template }, END };
static const tnode workload[] = { { "kind", KEEP, NULL }, { "apiVersion", KEEP, NULL },
	{ "metadata", PICK, meta },
	{ "spec", PICK, workload_spec }, { "status", KEEP, NULL }, END };

/* Services (103/113/123 ports and selector, 202/212/221 webhook targets,
 * migration ports/type), EndpointSlices and Endpoints (104/114/124), Namespaces
 * (132, 401-405), ServiceAccounts (migration): small objects, only metadata is
 * filtered. */
static const tnode meta_only[] = { { "metadata", PICK, meta }, END };

/* Kinds without a list: everything but managedFields. */
static const tnode no_managed_fields[] = { { "managedFields", DROP, NULL }, END };
static const tnode other[] = { { "metadata", REST, no_managed_fields }, END };

static const struct {
	const char *kind;
	const tnode *spec;
	int mode;
} kinds[] = {
	{ "Pod", pod, PICK },
	{ "Deployment", workload, PICK },
	{ "ReplicaSet", workload, PICK },
	{ "StatefulSet", workload, PICK },
	{ "DaemonSet", workload, PICK },
	{ "Service", meta_only, REST },
	{ "EndpointSlice", meta_only, REST },
	{ "Endpoints", meta_only, REST },
	{ "Namespace", meta_only, REST },
	{ "ServiceAccount", meta_only, REST },
};

static const tnode *find(const tnode *kids, const char *key)
{
	for (const tnode *k = kids; k && k->key; k++)
		if (strcmp(k->key, key) == 0)
			return k;
	return NULL;
}

/* find() for a key of n bytes, not NUL-terminated. */
static const tnode *find_n(const tnode *kids, const char *key, size_t n)
{
	for (const tnode *k = kids; k && k->key; k++)
		if (k->key[0] == key[0] && strncmp(k->key, key, n) == 0 && k->key[n] == '\0')
			return k;
	return NULL;
}

static void apply(json_t *v, int mode, const tnode *kids);

static void apply_object(json_t *obj, int mode, const tnode *kids)
{
	const char *key;
	json_t *val;
	void *tmp;

	json_object_foreach_safe(obj, tmp, key, val) {
		const tnode *k = find(kids, key);

		if (!k) {
			if (mode == PICK)
				json_object_del(obj, key);
		} else if (k->mode == DROP) {
			json_object_del(obj, key);
		} else if (k->mode != KEEP) {
			apply(val, k->mode, k->kids);
		}
	}
}

/* Values of another type than the list expects are kept whole (the checks
 * report wrong types). */
static void apply(json_t *v, int mode, const tnode *kids)
{
	if (json_is_object(v)) {
		apply_object(v, mode, kids);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;

		json_array_foreach(v, i, e) {
			if (json_is_object(e))
				apply_object(e, mode, kids);
		}
	}
}

void osmdiag__trim_object(json_t *obj, const char *kind)
{
	if (!json_is_object(obj))
		return;
	if (!kind)
		kind = json_string_value(json_object_get(obj, "kind"));
	if (!kind)
		return;
	if (!osmdiag__trim_enabled()) {
		/* whole objects, but never the server's field bookkeeping */
		apply_object(obj, REST, other);
		return;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i].kind, kind) == 0) {
			apply_object(obj, kinds[i].mode, kinds[i].spec);
			return;
		}
	}
	apply_object(obj, REST, other);
}

/* ---- parsing straight into trimmed objects ------------------------------------------ */

/*
 * A strict JSON reader that builds jansson values only for what the keep-lists
 * keep and steps over the rest without allocating: most of a large list's
 * bytes are never turned into values (parsing and freeing them was most of the
 * time and the peak memory of a large run). Any doubt (bad syntax, \u0000,
 * an integer out of range, invalid UTF-8 in a kept string, nesting deeper than
 * jansson's 2048) returns NULL, and the caller parses the text with jansson,
 * which then gives the error message or the value.
 */
typedef struct ient {
	size_t hash;
	json_t *v; /* a reference owned by the pool */
} ient;

/* A member (key) or element (key NULL) of the object or array being read:
 * values are collected first and built only when no equal value is pooled. */
typedef struct member {
	const char *key; /* into the text, or own */
	size_t klen;
	char *own;       /* a key decoded from escapes */
	json_t *v;       /* a reference */
} member;

typedef struct rd {
	const char *p, *end;
	int depth;
	char *tmp; /* string scratch */
	size_t tmpcap;
	ient *pool; /* values shared between the objects of one page */
	size_t pcap, pn;
	int share;  /* share equal values (below SHARE_DEPTH: the objects of a list, never a whole one) */
	int reject_dups; /* fail on a duplicate key in a built object (jansson then says where) */
	int esc;    /* the string skip_string just passed has escapes */
	int pooled; /* the value value1 just read came from the pool */
	struct member *stk; /* members and elements read, not yet built */
	size_t stop, scap;
	char item_kind[256]; /* kind of the items of the List being read ("" unknown) */
} rd;

/* Items of a list are at depth 3 (document, items, item): their members and
 * everything below are shared when equal. */
#define SHARE_DEPTH 3

#define MAX_DEPTH 2048

static void ws(rd *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* 1 when one of the 8 bytes of w is '"', '\\' or a control character. */
static int special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	return (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs ? 1 : 0;
}

/* The first '"', '\\' or control character in [p, end), or end. Most of a
 * large list's bytes are in strings: 16 (SSE2) or 8 bytes at a time. */
static const char *scan_plain(const char *p, const char *end)
{
#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1f);

	for (; end - p >= 16; p += 16) {
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* c <= 0x1f (unsigned) exactly when max(c, 0x1f) == 0x1f */
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, quote), _mm_cmpeq_epi8(c, bslash)),
			_mm_cmpeq_epi8(_mm_max_epu8(c, ctl), ctl));
		int bits = _mm_movemask_epi8(m);

		if (bits)
			return p + __builtin_ctz((unsigned)bits);
	}
#endif
	for (uint64_t w; end - p >= 8 && (memcpy(&w, p, 8), !special8(w));)
		p += 8;
	while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
		p++;
	return p;
}

/* Steps over a string (r->p at the opening quote); r->esc tells whether it
 * has escapes. */
static int skip_string(rd *r)
{
	const char *p = r->p + 1;

	r->esc = 0;
	for (;;) {
		p = scan_plain(p, r->end);
		if (p >= r->end || (unsigned char)*p < 0x20)
			return -1;
		if (*p == '"')
			break;
		/* an escape */
		r->esc = 1;
		if (p + 1 >= r->end)
			return -1;
		if (p[1] == 'u') {
			unsigned u;

			if (p + 6 > r->end || hex4(p + 2, &u) < 0 || u == 0)
				return -1;
			p += 6;
		} else if (strchr("\"\\/bfnrt", p[1]) && p[1]) {
			p += 2;
		} else {
			return -1;
		}
	}
	r->p = p + 1;
	return 0;
}

static int put_utf8(rd *r, size_t *n, unsigned cp)
{
	char *o = r->tmp + *n;

	if (cp < 0x80) {
		o[0] = (char)cp;
		*n += 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		*n += 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		*n += 3;
	} else {
		o[0] = (char)(0xf0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		*n += 4;
	}
	return 0;
}

/* Reads a string into r->tmp (NUL-terminated); *len its length. */
static int read_string(rd *r, size_t *len)
{
	const char *start = r->p + 1;
	size_t n = 0;

	if (skip_string(r) < 0)
		return -1;
	/* the decoded text is never longer than the raw one */
	size_t need = (size_t)(r->p - start) + 1;
	if (need > r->tmpcap) {
		size_t cap = need < 256 ? 256 : need * 2;
		char *t = realloc(r->tmp, cap);

		if (!t)
			return -1;
		r->tmp = t;
		r->tmpcap = cap;
	}
	for (const char *p = start; p < r->p - 1;) {
		if (*p != '\\') {
			const char *q = p;

			while (q < r->p - 1 && *q != '\\')
				q++;
			memcpy(r->tmp + n, p, (size_t)(q - p));
			n += (size_t)(q - p);
			p = q;
			continue;
		}
		char c = p[1];
		if (c == 'u') {
			unsigned u = 0, lo;

			hex4(p + 2, &u);
			p += 6;
			if (u >= 0xd800 && u <= 0xdbff) {
				if (p + 6 > r->p - 1 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) < 0 ||
				    lo < 0xdc00 || lo > 0xdfff)
					return -1;
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			} else if (u >= 0xdc00 && u <= 0xdfff) {
				return -1;
			}
			put_utf8(r, &n, u);
			continue;
		}
		r->tmp[n++] = c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
		p += 2;
	}
	r->tmp[n] = '\0';
	*len = n;
	return 0;
}


/* ---- sharing equal values ------------------------------------------------------------- */

/*
 * The pods of a workload repeat the same trimmed subtrees (containers,
 * conditions, container states, owner references, label values): one page
 * keeps one copy of each and the objects hold references to it. Objects from
 * a live page are read-only above the store (the checks never write), so a
 * shared subtree is never changed through one of its holders; trimming again
 * with the same keep-list removes nothing. Hashes are computed while parsing
 * (equal values hash equal; a collision costs a json_equal, never a wrong share).
 */
static size_t mix(size_t h, size_t v)
{
	h ^= v + (size_t)0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

static size_t hash_bytes(const char *s, size_t n)
{
	size_t h = (size_t)14695981039346656037ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

/* Pools v, a value value1 looked for in the pool and did not find (or
 * leaves it unpooled on OOM, still correct); returns v. */
static json_t *share(rd *r, json_t *v, size_t h)
{
	if (json_is_true(v) || json_is_false(v) || json_is_null(v))
		return v; /* singletons already */
	if ((r->pn + 1) * 2 > r->pcap) {
		size_t ncap = r->pcap ? r->pcap * 2 : 1024;
		ient *ne = calloc(ncap, sizeof(*ne));

		if (!ne)
			return v; /* no sharing, still correct */
		for (size_t i = 0; i < r->pcap; i++) {
			if (!r->pool[i].v)
				continue;
			size_t j = r->pool[i].hash & (ncap - 1);
			while (ne[j].v)
				j = (j + 1) & (ncap - 1);
			ne[j] = r->pool[i];
		}
		free(r->pool);
		r->pool = ne;
		r->pcap = ncap;
	}
	size_t j = h & (r->pcap - 1);
	while (r->pool[j].v)
		j = (j + 1) & (r->pcap - 1);
	r->pool[j].hash = h;
	r->pool[j].v = json_incref(v);
	r->pn++;
	return v;
}

static int push_member(rd *r, const char *key, size_t klen, char *own, json_t *v)
{
	if (r->stop == r->scap) {
		size_t ncap = r->scap ? r->scap * 2 : 64;
		member *n = realloc(r->stk, ncap * sizeof(*n));

		if (!n)
			return -1;
		r->stk = n;
		r->scap = ncap;
	}
	r->stk[r->stop].key = key;
	r->stk[r->stop].klen = klen;
	r->stk[r->stop].own = own;
	r->stk[r->stop].v = v;
	r->stop++;
	return 0;
}

static void pop_members(rd *r, size_t base)
{
	while (r->stop > base) {
		member *m = &r->stk[--r->stop];

		free(m->own);
		json_decref(m->v);
	}
}

/* A value read and not built yet: a string's bytes, or the members or
 * elements collected for an object or array; or a number. Every value the
 * parser shares is looked up in the page's pool through this, before it is
 * built, so share() only adds what was not there. */
typedef struct unbuilt {
	json_type type;
	const char *s;     /* a string's */
	const member *m;   /* an object's or array's */
	size_t n;          /* bytes, members or elements */
	const json_t *num; /* a number: built already (one allocation, no members) */
} unbuilt;

/* 1 when the pooled value `p` equals `u`. Members and elements compare by
 * pointer: they are pooled values already. Objects compare in member order
 * (one list's objects come in one order): one in another order is not
 * shared, which costs memory, never correctness. */
static int equals_unbuilt(json_t *p, const unbuilt *u)
{
	size_t i = 0;

	if (json_typeof(p) != u->type)
		return 0;
	if (u->type == JSON_STRING)
		return json_string_length(p) == u->n && memcmp(json_string_value(p), u->s, u->n) == 0;
	if (u->type == JSON_INTEGER || u->type == JSON_REAL)
		return json_equal(p, u->num);
	if (u->type == JSON_ARRAY) {
		if (json_array_size(p) != u->n)
			return 0;
		while (i < u->n && json_array_get(p, i) == u->m[i].v)
			i++;
		return i == u->n;
	}
	if (json_object_size(p) != u->n)
		return 0;
	void *it = json_object_iter(p);
	for (; it && i < u->n; it = json_object_iter_next(p, it), i++)
		if (json_object_iter_value(it) != u->m[i].v || json_object_iter_key_len(it) != u->m[i].klen ||
		    memcmp(json_object_iter_key(it), u->m[i].key, u->m[i].klen) != 0)
			return 0;
	return i == u->n && !it;
}

/* The pooled value equal to `u` (hash h), a new reference, or NULL: a value
 * met before on the page costs no allocation at all. */
static json_t *pooled(const rd *r, const unbuilt *u, size_t h)
{
	if (!r->pcap)
		return NULL;
	for (size_t j = h & (r->pcap - 1); r->pool[j].v; j = (j + 1) & (r->pcap - 1))
		if (r->pool[j].hash == h && equals_unbuilt(r->pool[j].v, u))
			return json_incref(r->pool[j].v);
	return NULL;
}

/* An object or array just read (its members collected from `base` on)
 * equal to one already on the page: taken from the pool, the members
 * dropped, nothing built (1); else 0, to be built. */
static int from_pool(rd *r, json_type type, size_t base, size_t h, json_t **out)
{
	unbuilt u = { type, NULL, r->stk + base, r->stop - base, NULL };

	r->pooled = 0;
	if (!r->share || r->depth - 1 < SHARE_DEPTH || !(*out = pooled(r, &u, h)))
		return 0;
	pop_members(r, base);
	r->pooled = 1;
	return 1;
}

static void pool_free(rd *r)
{
	pop_members(r, 0);
	free(r->stk);
	for (size_t i = 0; i < r->pcap; i++)
		json_decref(r->pool[i].v);
	free(r->pool);
	free(r->tmp);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Number text at r->p: its end, and whether it has a fraction or exponent. */
static int scan_number(rd *r, const char **end, int *real)
{
	const char *p = r->p;

	*real = 0;
	if (p < r->end && *p == '-')
		p++;
	if (p >= r->end || !is_digit(*p))
		return -1;
	if (*p == '0')
		p++;
	else
		while (p < r->end && is_digit(*p))
			p++;
	if (p < r->end && *p == '.') {
		*real = 1;
		p++;
		if (p >= r->end || !is_digit(*p))
			return -1;
		while (p < r->end && is_digit(*p))
			p++;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		*real = 1;
		p++;
		if (p < r->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= r->end || !is_digit(*p))
			return -1;
		while (p < r->end && is_digit(*p))
			p++;
	}
	*end = p;
	return 0;
}

static int word(rd *r, const char *w, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
		return -1;
	r->p += n;
	return 0;
}

/*
 * One value. mode KEEP builds it whole; PICK/REST filter objects (and the
 * objects in an array) by kids. Returns 0 and the value in *out, -1 on any
 * doubt.
 */
static int value(rd *r, int mode, const tnode *kids, json_t **out, size_t *h);

/* Steps over one value, validating it as strictly as value() would read it:
 * what the keep-lists drop (most of a large list's bytes) costs no more than
 * this. */
static int skip_value(rd *r)
{
	ws(r);
	if (r->p >= r->end)
		return -1;
	switch (*r->p) {
	case '"':
		return skip_string(r);
	case '{':
	case '[': {
		const char close = *r->p == '{' ? '}' : ']';

		if (++r->depth > MAX_DEPTH)
			return -1;
		r->p++;
		ws(r);
		if (r->p < r->end && *r->p == close) {
			r->p++;
			r->depth--;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				ws(r);
				if (r->p >= r->end || *r->p != '"' || skip_string(r) < 0)
					return -1;
				ws(r);
				if (r->p >= r->end || *r->p != ':')
					return -1;
				r->p++;
			}
			if (skip_value(r) < 0)
				return -1;
			ws(r);
			if (r->p < r->end && *r->p == ',') {
				r->p++;
				continue;
			}
			if (r->p < r->end && *r->p == close)
				break;
			return -1;
		}
		r->p++;
		r->depth--;
		return 0;
	}
	case 't':
		return word(r, "true", 4);
	case 'f':
		return word(r, "false", 5);
	case 'n':
		return word(r, "null", 4);
	default: {
		const char *end;
		int real;

		if (scan_number(r, &end, &real) < 0)
			return -1;
		r->p = end;
		return 0;
	}
	}
}

static int peek_kind(const rd *r, char *kind, size_t klen, int *has_items);
static const tnode *spec_of(const char *kind, int *mode);
static const tnode list_items[] = { { "items", ITEM, NULL }, END };

static int object(rd *r, int mode, const tnode *kids, json_t **out, size_t *h)
{
	if (mode == ROOT || mode == ITEM) {
		char kind[256], saved[256];
		int has_items = 0, rc;
		size_t n;

		if (peek_kind(r, kind, sizeof(kind), &has_items) < 0)
			return -1;
		n = strlen(kind);
		if (has_items && (strcmp(kind, "List") == 0 || (n > 4 && strcmp(kind + n - 4, "List") == 0))) {
			if (mode == ITEM) {
				/* a list in a list: whole, and unshared, as the store trims its
				 * objects in place, each by its own kind */
				int share = r->share;

				r->share = 0;
				rc = object(r, KEEP, NULL, out, h);
				r->share = share;
				return rc;
			}
			/* members whole, items by their kinds (PodList items: Pod) */
			memcpy(saved, r->item_kind, sizeof(saved));
			snprintf(r->item_kind, sizeof(r->item_kind), "%.*s", strcmp(kind, "List") == 0 ? 0 : (int)(n - 4),
				kind);
			rc = object(r, REST, list_items, out, h);
			memcpy(r->item_kind, saved, sizeof(saved));
			return rc;
		}
		int m;
		const tnode *spec = spec_of(kind[0] ? kind : mode == ITEM && r->item_kind[0] ? r->item_kind : NULL,
			&m);
		return object(r, m, spec, out, h);
	}
	size_t acc = 0x51, base = r->stop;

	r->p++; /* { */
	ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		goto read; /* {} */
	}
	for (;;) {
		json_t *v = NULL;
		const tnode *k = NULL;
		int vmode = KEEP, vskip = 0;
		const tnode *vkids = NULL;
		size_t klen;
		char *own = NULL;

		ws(r);
		if (r->p >= r->end || *r->p != '"')
			goto bad;
		/* A key without escapes is read in place, most are: no copy at
		 * all. (skip_string refuses \u0000: a key has no NUL.) */
		const char *kraw = r->p + 1;
		if (skip_string(r) < 0)
			goto bad;
		klen = (size_t)(r->p - 1 - kraw);
		if (r->esc) {
			r->p = kraw - 1;
			if (read_string(r, &klen) < 0)
				goto bad;
			kraw = r->tmp; /* values may reuse r->tmp: copied if kept */
		}
		if (mode != KEEP) {
			k = klen ? find_n(kids, kraw, klen) : NULL;
			if (!k)
				vskip = mode == PICK;
			else if (k->mode == DROP)
				vskip = 1;
			else
				vmode = k->mode, vkids = k->kids;
		}
		if (!vskip && kraw == r->tmp) {
			if (!(own = malloc(klen + 1)))
				goto bad;
			memcpy(own, kraw, klen + 1);
			kraw = own;
		}
		ws(r);
		if (r->p >= r->end || *r->p != ':') {
			free(own);
			goto bad;
		}
		r->p++;
		size_t vh = 0;
		if (vskip ? skip_value(r) : value(r, vmode, vkids, &v, &vh)) {
			free(own);
			goto bad;
		}
		if (!vskip) {
			acc += mix(hash_bytes(kraw, klen), vh); /* order-free, like json_equal */
			if (push_member(r, kraw, klen, own, v) < 0) {
				free(own);
				json_decref(v);
				goto bad;
			}
		}
		ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			break;
		}
		goto bad;
	}
read:;
	size_t n = r->stop - base;
	*h = mix(acc, n);
	if (from_pool(r, JSON_OBJECT, base, *h, out))
		return 0;
	json_t *obj = json_object();
	if (!obj)
		goto bad;
	int ok = 1;
	for (size_t m = base; m < r->stop && ok; m++) {
		member *e = &r->stk[m];

		if (r->reject_dups && json_object_getn(obj, e->key, e->klen)) {
			ok = 0;
			break;
		}
		ok = json_object_setn_new_nocheck(obj, e->key, e->klen, e->v) == 0;
		e->v = NULL; /* taken, even on failure */
	}
	if (!ok) {
		json_decref(obj);
		goto bad;
	}
	pop_members(r, base);
	*out = obj;
	return 0;
bad:
	pop_members(r, base);
	return -1;
}

static int array(rd *r, int mode, const tnode *kids, json_t **out, size_t *h)
{
	size_t acc = 0xa7, base = r->stop;

	r->p++; /* [ */
	ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		goto read; /* [] */
	}
	for (;;) {
		json_t *v = NULL;

		ws(r);
		/* filtering applies to the objects of an array; anything else whole */
		int emode = r->p < r->end && *r->p == '{' ? mode : KEEP;
		size_t vh = 0;
		if (value(r, emode, kids, &v, &vh) < 0)
			goto bad;
		acc = mix(acc, vh);
		if (push_member(r, NULL, 0, NULL, v) < 0) {
			json_decref(v);
			goto bad;
		}
		ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			break;
		}
		goto bad;
	}
read:
	*h = acc;
	if (from_pool(r, JSON_ARRAY, base, acc, out))
		return 0;
	json_t *arr = json_array();
	if (!arr)
		goto bad;
	for (size_t m = base; m < r->stop; m++) {
		int rc = json_array_append_new(arr, r->stk[m].v);

		r->stk[m].v = NULL; /* taken, even on failure */
		if (rc < 0) {
			json_decref(arr);
			goto bad;
		}
	}
	pop_members(r, base);
	*out = arr;
	return 0;
bad:
	pop_members(r, base);
	return -1;
}

static int value1(rd *r, int mode, const tnode *kids, json_t **out, size_t *h);

static int value(rd *r, int mode, const tnode *kids, json_t **out, size_t *h)
{
	int depth = r->depth;
	int rc = value1(r, mode, kids, out, h);
	/* set by value1 for this value (strings, objects, arrays from the pool) */
	int pooled = r->pooled && rc == 0;

	r->pooled = 0;
	if (rc == 0 && *out && r->share && depth >= SHARE_DEPTH && !pooled)
		*out = share(r, *out, *h);
	return rc;
}

static int value1(rd *r, int mode, const tnode *kids, json_t **out, size_t *h)
{
	int rc;

	*out = NULL;
	*h = 0;
	r->pooled = 0;
	ws(r);
	if (r->p >= r->end)
		return -1;
	switch (*r->p) {
	case '{':
	case '[':
		if (++r->depth > MAX_DEPTH)
			return -1;
		rc = *r->p == '{' ? object(r, mode, kids, out, h) : array(r, mode, kids, out, h);
		r->depth--;
		return rc;
	case '"': {
		size_t n;

		if (read_string(r, &n) < 0)
			return -1;
		*h = mix(0x57, hash_bytes(r->tmp, n));
		unbuilt u = { JSON_STRING, r->tmp, NULL, n, NULL };
		if (r->share && r->depth >= SHARE_DEPTH && (*out = pooled(r, &u, *h)) != NULL) {
			r->pooled = 1;
			return 0;
		}
		*out = json_stringn(r->tmp, n); /* validates UTF-8 */
		return *out ? 0 : -1;
	}
	case 't':
		if (word(r, "true", 4) < 0)
			return -1;
		*out = json_true();
		return 0;
	case 'f':
		if (word(r, "false", 5) < 0)
			return -1;
		*out = json_false();
		return 0;
	case 'n':
		if (word(r, "null", 4) < 0)
			return -1;
		*out = json_null();
		return 0;
	default: {
		const char *end;
		int real;
		char num[64];

		if (scan_number(r, &end, &real) < 0)
			return -1;
		size_t n = (size_t)(end - r->p);

		if (n >= sizeof(num))
			return -1; /* leave the unusual to jansson */
		memcpy(num, r->p, n);
		num[n] = '\0';
		errno = 0;
		if (real) {
			double d = strtod(num, NULL);

			if (errno == ERANGE)
				return -1;
			*out = json_real(d);
		} else {
			long long v = strtoll(num, NULL, 10);

			if (errno == ERANGE)
				return -1;
			*out = json_integer(v);
		}
		if (!*out)
			return -1;
		*h = mix(0x1e, hash_bytes(r->p, (size_t)(end - r->p)));
		r->p = end;
		unbuilt u = { json_typeof(*out), NULL, NULL, 0, *out };
		json_t *p = r->share && r->depth >= SHARE_DEPTH ? pooled(r, &u, *h) : NULL;
		if (p) {
			json_decref(*out);
			*out = p;
			r->pooled = 1;
		}
		return 0;
	}
	}
}

static const tnode *spec_of(const char *kind, int *mode)
{
	if (kind && osmdiag__trim_enabled()) {
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			if (strcmp(kinds[i].kind, kind) == 0) {
				*mode = kinds[i].mode;
				return kinds[i].spec;
			}
		}
	}
	*mode = REST;
	return other;
}

json_t *osmdiag__trim_parse_list(const char *buf, size_t len, const char *kind)
{
	rd r = { buf, buf + len, 0, NULL, 0, NULL, 0, 0, 1, 0, 0, 0, NULL, 0, 0, "" };
	int mode;
	const tnode *spec = spec_of(kind, &mode);
	const tnode items[] = { { "items", mode, spec }, END };
	json_t *doc = NULL;
	size_t hh;

	/* the list: every member whole but items, whose objects are filtered */
	ws(&r);
	if (r.p >= r.end || *r.p != '{' || value(&r, REST, items, &doc, &hh) < 0) {
		pool_free(&r);
		return NULL;
	}
	pool_free(&r);
	ws(&r);
	if (r.p != r.end) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* The top-level "kind" string of the object at r->p (without moving r), "" when
 * it has none; *has_items when it has an "items" member. */
static int peek_kind(const rd *r, char *kind, size_t klen, int *has_items)
{
	rd t = *r;

	kind[0] = '\0';
	*has_items = 0;
	t.p++; /* { */
	ws(&t);
	if (t.p < t.end && *t.p == '}')
		return 0;
	for (;;) {
		const char *ks;
		int is_kind, is_items;

		ws(&t);
		if (t.p >= t.end || *t.p != '"')
			return -1;
		ks = t.p;
		if (skip_string(&t) < 0)
			return -1;
		is_kind = t.p - ks == 6 && memcmp(ks, "\"kind\"", 6) == 0;
		is_items = t.p - ks == 7 && memcmp(ks, "\"items\"", 7) == 0;
		*has_items |= is_items;
		ws(&t);
		if (t.p >= t.end || *t.p != ':')
			return -1;
		t.p++;
		ws(&t);
		if (is_kind && t.p < t.end && *t.p == '"') {
			const char *vs = t.p + 1;

			if (skip_string(&t) < 0)
				return -1;
			/* kinds have no escapes; one that does is not filtered */
			if ((size_t)(t.p - 1 - vs) < klen && !memchr(vs, '\\', (size_t)(t.p - 1 - vs))) {
				memcpy(kind, vs, (size_t)(t.p - 1 - vs));
				kind[t.p - 1 - vs] = '\0';
			}
		} else if (skip_value(&t) < 0) {
			return -1;
		}
		ws(&t);
		if (t.p < t.end && *t.p == ',') {
			t.p++;
			continue;
		}
		if (t.p < t.end && *t.p == '}')
			return 0;
		return -1;
	}
}

json_t *osmdiag__trim_parse_value(const char *buf, size_t len, size_t *used)
{
	rd r = { buf, buf + len, 0, NULL, 0, NULL, 0, 0, 1, 1, 0, 0, NULL, 0, 0, "" };
	json_t *doc = NULL;
	size_t hh;

	ws(&r);
	if (r.p >= r.end || (*r.p != '{' && *r.p != '[') || value(&r, ROOT, NULL, &doc, &hh) < 0) {
		pool_free(&r);
		return NULL;
	}
	pool_free(&r);
	if (used)
		*used = (size_t)(r.p - buf);
	return doc;
}
