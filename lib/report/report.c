/* The report: results of one run, their summary and exit code. */
#include <stdlib.h>
#include <string.h>

#include "report/report_impl.h"
#include "util/util.h"

struct osmdiag_report *osmdiag__report_new(void)
{
	struct osmdiag_report *rep = calloc(1, sizeof(*rep));

	if (rep)
		rep->fail_on = OSMDIAG_STATUS_FAIL;
	return rep;
}

char *osmdiag__docs_anchor(const char *id)
{
	char *s = osmdiag__asprintf("docs/checks.md#%s", id ? id : "");

	for (char *p = s ? strchr(s, '#') : NULL; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

struct osmdiag_result *osmdiag__report_add(struct osmdiag_report *rep, const char *id,
	const char *category, const char *title, int status, const char *message)
{
	struct osmdiag_result *r;

	if (!rep || rep->oom)
		return NULL;
	if (rep->n == rep->cap) {
		size_t cap = rep->cap ? rep->cap * 2 : 64;
		struct osmdiag_result *v = realloc(rep->results, cap * sizeof(*v));

		if (!v) {
			rep->oom = 1;
			return NULL;
		}
		rep->results = v;
		rep->cap = cap;
	}
	r = &rep->results[rep->n];
	memset(r, 0, sizeof(*r));
	r->id = osmdiag__strdup(id);
	r->category = osmdiag__strdup(category);
	r->title = osmdiag__strdup(title);
	r->status = status;
	r->message = osmdiag__strdup(message ? message : "");
	r->docs = osmdiag__docs_anchor(id);
	if (!r->id || !r->category || !r->title || !r->message || !r->docs) {
		free(r->id);
		free(r->category);
		free(r->title);
		free(r->message);
		free(r->docs);
		rep->oom = 1;
		return NULL;
	}
	rep->n++;
	return r;
}

int osmdiag__report_set_mesh(struct osmdiag_report *rep, const char *name, const char *ns,
	const char *version, const char *profile)
{
	rep->mesh_name = osmdiag__strdup(name);
	rep->mesh_namespace = osmdiag__strdup(ns);
	rep->mesh_version = osmdiag__strdup(version);
	rep->mesh_profile = osmdiag__strdup(profile);
	return (name && !rep->mesh_name) || (ns && !rep->mesh_namespace) ? -1 : 0;
}

static void result_dispose(struct osmdiag_result *r)
{
	free(r->id);
	free(r->category);
	free(r->title);
	free(r->message);
	free(r->res_kind);
	free(r->res_namespace);
	free(r->res_name);
	free(r->hint);
	free(r->remediation);
	free(r->docs);
}

void osmdiag_report_free(osmdiag_report *rep)
{
	if (!rep)
		return;
	for (size_t i = 0; i < rep->n; i++)
		result_dispose(&rep->results[i]);
	free(rep->results);
	free(rep->mesh_name);
	free(rep->mesh_namespace);
	free(rep->mesh_version);
	free(rep->mesh_profile);
	free(rep->source_kind);
	free(rep->source_desc);
	free(rep);
}

size_t osmdiag_report_count(const osmdiag_report *rep)
{
	return rep ? rep->n : 0;
}

const osmdiag_result *osmdiag_report_at(const osmdiag_report *rep, size_t i)
{
	return rep && i < rep->n ? &rep->results[i] : NULL;
}

size_t osmdiag_report_summary(const osmdiag_report *rep, int status)
{
	size_t n = 0;

	for (size_t i = 0; rep && i < rep->n; i++)
		n += rep->results[i].status == status;
	return n;
}

int osmdiag_report_worst(const osmdiag_report *rep)
{
	int worst = OSMDIAG_STATUS_PASS;

	for (size_t i = 0; rep && i < rep->n; i++)
		if (rep->results[i].status > worst)
			worst = rep->results[i].status;
	return worst;
}

int osmdiag_report_exit_code(const osmdiag_report *rep, int fail_on)
{
	int threshold = fail_on == OSMDIAG_STATUS_WARN || fail_on == OSMDIAG_STATUS_FAIL ? fail_on
		: rep ? rep->fail_on : OSMDIAG_STATUS_FAIL;
	int error = 0;

	for (size_t i = 0; rep && i < rep->n; i++) {
		int s = rep->results[i].status;

		/* `error` is "could not evaluate", reported as 4, not as a finding. */
		if (s == OSMDIAG_STATUS_ERROR)
			error = 1;
		else if (s >= threshold)
			return 1;
	}
	return error ? 4 : 0;
}

double osmdiag_report_duration_ms(const osmdiag_report *rep)
{
	return rep ? rep->duration_ms : 0;
}

const char *osmdiag_report_mesh_name(const osmdiag_report *rep)
{
	return rep ? rep->mesh_name : NULL;
}

const char *osmdiag_report_mesh_namespace(const osmdiag_report *rep)
{
	return rep ? rep->mesh_namespace : NULL;
}

const char *osmdiag_report_mesh_version(const osmdiag_report *rep)
{
	return rep ? rep->mesh_version : NULL;
}

const char *osmdiag_report_mesh_profile(const osmdiag_report *rep)
{
	return rep ? rep->mesh_profile : NULL;
}

int osmdiag_report_set_source_description(osmdiag_report *rep, const char *desc)
{
	char *copy;

	if (!rep)
		return OSMDIAG_EINVAL;
	copy = osmdiag__strdup(desc);
	if (desc && !copy)
		return OSMDIAG_ENOMEM;
	free(rep->source_desc);
	rep->source_desc = copy;
	return OSMDIAG_OK;
}

#define FIELD(fn, member) \
	const char *osmdiag_result_##fn(const osmdiag_result *r) { return r ? r->member : NULL; }
FIELD(id, id)
FIELD(category, category)
FIELD(title, title)
FIELD(message, message)
FIELD(resource_kind, res_kind)
FIELD(resource_namespace, res_namespace)
FIELD(resource_name, res_name)
FIELD(hint, hint)
FIELD(remediation, remediation)
FIELD(docs, docs)
#undef FIELD

int osmdiag_result_status(const osmdiag_result *r)
{
	return r ? r->status : OSMDIAG_STATUS_ERROR;
}

double osmdiag_result_duration_ms(const osmdiag_result *r)
{
	return r ? r->duration_ms : 0;
}
