/* Typed views: Deployment replica counts, pod readiness and containers, owners. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "util/util.h"

static long long count_field(const osmdiag__obj *d, const char *path, long long dflt,
	osmdiag__deployment_view *out)
{
	long long v = dflt;
	int rc = osmdiag__obj_get_int(d, path, &v);

	if (rc == OSMDIAG__F_WRONGTYPE && !out->bad_field[0])
		snprintf(out->bad_field, sizeof(out->bad_field), "%s is of type %s, expected integer", path,
			 osmdiag__obj_type_name(osmdiag__obj_get(d, path)));
	return rc == OSMDIAG__F_OK ? v : dflt;
}

void osmdiag__deployment_view_get(const osmdiag__obj *deploy, osmdiag__deployment_view *out)
{
	memset(out, 0, sizeof(*out));
	out->replicas = count_field(deploy, "spec.replicas", 1, out);
	out->available = count_field(deploy, "status.availableReplicas", 0, out);
	out->ready = count_field(deploy, "status.readyReplicas", 0, out);
	out->updated = count_field(deploy, "status.updatedReplicas", 0, out);
}

static int condition_true(const osmdiag__obj *pod, const char *type)
{
	const osmdiag__obj *conds = osmdiag__obj_get(pod, "status.conditions");

	for (size_t i = 0; i < osmdiag__obj_len(conds); i++) {
		const osmdiag__obj *c = osmdiag__obj_at(conds, i);

		if (osmdiag__streq(osmdiag__obj_str(c, "type"), type))
			return osmdiag__streq(osmdiag__obj_str(c, "status"), "True");
	}
	return 0;
}

static const osmdiag__obj *find_status(const osmdiag__obj *statuses, const char *name)
{
	for (size_t i = 0; i < osmdiag__obj_len(statuses); i++) {
		const osmdiag__obj *s = osmdiag__obj_at(statuses, i);

		if (osmdiag__streq(osmdiag__obj_str(s, "name"), name))
			return s;
	}
	return NULL;
}

static void container_fill(osmdiag__container_view *cv, const osmdiag__obj *spec,
	const osmdiag__obj *statuses)
{
	const osmdiag__obj *st;
	int ready = 0;

	cv->name = osmdiag__obj_str(spec, "name");
	cv->image = osmdiag__obj_str(spec, "image");
	cv->state = "unknown";
	cv->last_exit_code = -1;
	st = cv->name ? find_status(statuses, cv->name) : NULL;
	if (!st)
		return;
	cv->has_status = 1;
	if (osmdiag__obj_get_bool(st, "ready", &ready) == OSMDIAG__F_OK)
		cv->ready = ready;
	osmdiag__obj_get_int(st, "restartCount", &cv->restarts);
	if (osmdiag__obj_is_object(osmdiag__obj_get(st, "state.running"))) {
		cv->state = "running";
	} else if (osmdiag__obj_is_object(osmdiag__obj_get(st, "state.waiting"))) {
		cv->state = "waiting";
		cv->reason = osmdiag__obj_str(st, "state.waiting.reason");
	} else if (osmdiag__obj_is_object(osmdiag__obj_get(st, "state.terminated"))) {
		cv->state = "terminated";
		cv->reason = osmdiag__obj_str(st, "state.terminated.reason");
	}
	if (osmdiag__obj_is_object(osmdiag__obj_get(st, "lastState.terminated"))) {
		cv->last_reason = osmdiag__obj_str(st, "lastState.terminated.reason");
		osmdiag__obj_get_int(st, "lastState.terminated.exitCode", &cv->last_exit_code);
	}
}

static int containers_fill(const osmdiag__obj *spec, const osmdiag__obj *statuses,
	osmdiag__container_view **out, size_t *n)
{
	size_t len = osmdiag__obj_len(spec);

	*out = NULL;
	*n = 0;
	if (!len)
		return 0;
	*out = calloc(len, sizeof(**out));
	if (!*out)
		return -1;
	for (size_t i = 0; i < len; i++) {
		const osmdiag__obj *c = osmdiag__obj_at(spec, i);

		if (!osmdiag__obj_is_object(c))
			continue;
		container_fill(&(*out)[(*n)++], c, statuses);
	}
	return 0;
}

typedef struct memo_views {
	osmdiag__container_view *v;
	size_t n;
} memo_views;

/* The views of a container list and its statuses: once per distinct pair of
 * arrays when memoised (the pods of a workload share both, store/trim.c). */
static int containers_view(const osmdiag__obj *pod, const char *spec_path, const char *status_path,
	osmdiag__view_memo *memo, osmdiag__container_view **out, size_t *n, unsigned char *shared)
{
	const osmdiag__obj *spec = osmdiag__obj_get(pod, spec_path);
	const osmdiag__obj *statuses = osmdiag__obj_get(pod, status_path);
	int found;
	void **slot;

	*shared = 0;
	if (!memo || !osmdiag__obj_len(spec) ||
	    !(slot = osmdiag__ptrmap_slot(&memo->views, spec, statuses, &found)))
		return containers_fill(spec, statuses, out, n);
	if (!found || !*slot) {
		memo_views *mv = calloc(1, sizeof(*mv));

		if (!mv || containers_fill(spec, statuses, &mv->v, &mv->n) < 0) {
			free(mv);
			return containers_fill(spec, statuses, out, n);
		}
		/* the slot may have moved while filling: look it up again */
		slot = osmdiag__ptrmap_slot(&memo->views, spec, statuses, &found);
		*slot = mv;
	}
	*out = ((memo_views *)*slot)->v;
	*n = ((memo_views *)*slot)->n;
	*shared = 1;
	return 0;
}

static const char items_ok[] = "";

/* osmdiag__obj_items_bad, once per distinct array at `path` when memoised. */
static int items_bad(const osmdiag__obj *pod, const char *path, osmdiag__field_spec *fields, size_t nfields,
	char *buf, size_t len, osmdiag__view_memo *memo)
{
	const osmdiag__obj *arr = osmdiag__obj_get(pod, path);
	int found, bad;
	void **slot;

	if (!memo || !osmdiag__obj_len(arr) || !(slot = osmdiag__ptrmap_slot(&memo->bad, arr, path, &found)))
		return osmdiag__obj_items_bad(pod, path, fields, nfields, buf, len);
	if (found && *slot) {
		if (*slot == items_ok)
			return 0;
		snprintf(buf, len, "%s", (const char *)*slot);
		return 1;
	}
	bad = osmdiag__obj_items_bad(pod, path, fields, nfields, buf, len);
	*slot = bad ? osmdiag__strdup(buf) : (void *)items_ok; /* NULL (OOM): computed again next time */
	return bad;
}

static void free_views(void *v)
{
	if (v)
		free(((memo_views *)v)->v);
	free(v);
}

static void free_bad(void *v)
{
	if (v != items_ok)
		free(v);
}

void osmdiag__view_memo_clear(osmdiag__view_memo *memo)
{
	if (!memo)
		return;
	osmdiag__ptrmap_clear(&memo->views, free_views);
	osmdiag__ptrmap_clear(&memo->bad, free_bad);
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int osmdiag__pod_bad_field(const osmdiag__obj *pod, char *buf, size_t len, osmdiag__view_memo *memo)
{
	static osmdiag__field_spec top[] = {
		{ "spec", "object" }, { "status", "object" }, { "spec.containers", "array" },
		{ "spec.initContainers", "array" }, { "spec.nodeSelector", "object" }, { "spec.hostNetwork", "boolean" },
		{ "status.phase", "string" }, { "status.conditions", "array" },
		{ "status.containerStatuses", "array" }, { "status.initContainerStatuses", "array" },
	};
	static osmdiag__field_spec cond[] = {
		{ "type", "string" }, { "status", "string" }, { "reason", "string" }, { "message", "string" },
	};
	static osmdiag__field_spec spec[] = { { "name", "string" }, { "image", "string" } };
	static osmdiag__field_spec cst[] = {
		{ "name", "string" }, { "ready", "boolean" }, { "restartCount", "integer" },
		{ "state", "object" }, { "state.waiting", "object" }, { "state.waiting.reason", "string" },
		{ "state.terminated", "object" }, { "state.terminated.reason", "string" },
		{ "lastState", "object" }, { "lastState.terminated", "object" },
		{ "lastState.terminated.reason", "string" }, { "lastState.terminated.exitCode", "integer" },
	};
	const osmdiag__obj *os;

	for (size_t i = 0; i < NELEM(top); i++)
		if (osmdiag__obj_wrong_type(pod, "", top[i][0], top[i][1], buf, len))
			return 1;
	os = osmdiag__obj_member(osmdiag__obj_get(pod, "spec.nodeSelector"), "kubernetes.io/os");
	if (os && !osmdiag__obj_is_string(os) && strcmp(osmdiag__obj_type_name(os), "null") != 0) {
		snprintf(buf, len, "spec.nodeSelector[\"kubernetes.io/os\"] is %s, expected a string",
			 osmdiag__obj_type_phrase(os));
		return 1;
	}
	return items_bad(pod, "status.conditions", cond, NELEM(cond), buf, len, memo) ||
	       items_bad(pod, "spec.containers", spec, NELEM(spec), buf, len, memo) ||
	       items_bad(pod, "spec.initContainers", spec, NELEM(spec), buf, len, memo) ||
	       items_bad(pod, "status.containerStatuses", cst, NELEM(cst), buf, len, memo) ||
	       items_bad(pod, "status.initContainerStatuses", cst, NELEM(cst), buf, len, memo);
}

int osmdiag__pod_view_get(const osmdiag__obj *pod, osmdiag__pod_view *out, osmdiag__view_memo *memo)
{
	const char *os;
	int hostnet = 0;

	memset(out, 0, sizeof(*out));
	out->name = osmdiag__obj_name(pod);
	out->namespace_ = osmdiag__obj_namespace(pod);
	out->phase = osmdiag__obj_str(pod, "status.phase");
	if (!out->phase)
		out->phase = "Unknown";
	out->scheduled = condition_true(pod, "PodScheduled") != 0;
	out->initialized = condition_true(pod, "Initialized") != 0;
	out->containers_ready = condition_true(pod, "ContainersReady") != 0;
	out->ready = condition_true(pod, "Ready") != 0;
	if (osmdiag__obj_get_bool(pod, "spec.hostNetwork", &hostnet) == OSMDIAG__F_OK)
		out->host_network = hostnet != 0;
	os = osmdiag__obj_string_value(
		osmdiag__obj_member(osmdiag__obj_get(pod, "spec.nodeSelector"), "kubernetes.io/os"));
	out->windows = osmdiag__strcaseeq(os, "windows") != 0;
	if (containers_view(pod, "spec.containers", "status.containerStatuses", memo, &out->containers,
			    &out->ncontainers, &out->shared_containers) < 0 ||
	    containers_view(pod, "spec.initContainers", "status.initContainerStatuses", memo,
			    &out->init_containers, &out->ninit_containers, &out->shared_init_containers) < 0) {
		osmdiag__pod_view_dispose(out);
		return -1;
	}
	return 0;
}

void osmdiag__pod_view_dispose(osmdiag__pod_view *pv)
{
	if (!pv)
		return;
	if (!pv->shared_containers)
		free(pv->containers);
	if (!pv->shared_init_containers)
		free(pv->init_containers);
	pv->containers = pv->init_containers = NULL;
	pv->ncontainers = pv->ninit_containers = 0;
}

static const osmdiag__container_view *find_view(const osmdiag__container_view *v, size_t n,
	const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (osmdiag__streq(v[i].name, name))
			return &v[i];
	return NULL;
}

const osmdiag__container_view *osmdiag__pod_view_container(const osmdiag__pod_view *pv,
	const char *name)
{
	return find_view(pv->containers, pv->ncontainers, name);
}

const osmdiag__container_view *osmdiag__pod_view_init_container(const osmdiag__pod_view *pv,
	const char *name)
{
	return find_view(pv->init_containers, pv->ninit_containers, name);
}
