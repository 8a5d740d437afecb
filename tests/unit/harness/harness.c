/* Test harness for the Check suites (see harness.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "engine/options_impl.h"
#include "source/source_impl.h"
#include "store/store.h"

time_t th_now;

const char *th_path(const char *rel)
{
	static char bufs[4][4096];
	static int next;
	const char *root = getenv("OSMDIAG_SRCDIR");
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", root ? root : ".", rel);
	return b;
}

osmdiag_source *th_fixture(const char *rel)
{
	osmdiag_error err;
	osmdiag_source *src = osmdiag_source_new_snapshot(&err);

	ck_assert_msg(src != NULL, "new snapshot source: %s", err.message);
	ck_assert_msg(osmdiag_source_add_snapshot(src, th_path(rel)) == OSMDIAG_OK, "load %s: %s", rel,
		      osmdiag_source_errmsg(src));
	return src;
}

/* Gives a value its own copy of every subtree it shares with others: the
 * snapshot parser shares equal subtrees between objects (store/trim.c), and a
 * test that changes one object must change only that one. */
static void unshare(json_t *v)
{
	const char *key;
	json_t *m;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, key, m) {
			if (m->refcount > 1 && (json_is_object(m) || json_is_array(m) || json_is_string(m) ||
						json_is_number(m)))
				json_object_set_new(v, key, json_deep_copy(m));
			else
				unshare(m);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m) {
			if (m->refcount > 1 && (json_is_object(m) || json_is_array(m) || json_is_string(m) ||
						json_is_number(m)))
				json_array_set_new(v, i, json_deep_copy(m));
			else
				unshare(m);
		}
	}
}

json_t *th_object_opt(osmdiag_source *src, const char *kind, const char *ns, const char *name)
{
	osmdiag__store *st = osmdiag__snapshot_store(src);
	json_t *o;

	ck_assert_msg(st != NULL, "not a snapshot source");
	o = osmdiag__store_get(st, kind, ns, name);
	unshare(o);
	return o;
}

json_t *th_object(osmdiag_source *src, const char *kind, const char *ns, const char *name)
{
	json_t *o = th_object_opt(src, kind, ns, name);

	ck_assert_msg(o != NULL, "fixture has no %s %s/%s", kind, ns ? ns : "", name);
	return o;
}

void th_remove(osmdiag_source *src, const char *kind, const char *ns, const char *name)
{
	th_object(src, kind, ns, name);
	ck_assert_msg(osmdiag__store_remove(osmdiag__snapshot_store(src), kind, ns, name) == 0,
		      "remove %s %s/%s", kind, ns ? ns : "", name);
}

void th_add_json(osmdiag_source *src, const char *json_text)
{
	json_error_t jerr;
	json_t *o = json_loads(json_text, 0, &jerr);
	char err[160];

	ck_assert_msg(o != NULL, "bad test JSON: %s", jerr.text);
	ck_assert_msg(osmdiag__store_add(osmdiag__snapshot_store(src), o, err, sizeof(err)) == 0, "%s", err);
}

static json_t *walk(json_t *obj, const char *path, char *last, size_t last_len, int create)
{
	const char *p = path;

	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char key[256];
		json_t *next;

		ck_assert(n < sizeof(key));
		memcpy(key, p, n);
		key[n] = '\0';
		if (!dot) {
			snprintf(last, last_len, "%s", key);
			return obj;
		}
		next = json_object_get(obj, key);
		if (!json_is_object(next)) {
			if (!create)
				return NULL;
			next = json_object();
			json_object_set_new(obj, key, next);
		}
		obj = next;
		p = dot + 1;
	}
}

void th_set(json_t *obj, const char *path, json_t *value)
{
	char last[256];
	json_t *parent = walk(obj, path, last, sizeof(last), 1);

	ck_assert(json_object_set_new(parent, last, value) == 0);
}

void th_del(json_t *obj, const char *path)
{
	char last[256];
	json_t *parent = walk(obj, path, last, sizeof(last), 0);

	if (parent)
		json_object_del(parent, last);
}

static osmdiag_report *run(osmdiag_source *src, const char *id)
{
	osmdiag_options *opts = osmdiag_options_new();
	osmdiag_error err;
	osmdiag_report *rep;

	ck_assert(opts != NULL);
	if (th_now)
		osmdiag__options_set_now(opts, th_now);
	rep = id ? osmdiag_run_check(src, id, opts, &err) : osmdiag_run(src, opts, &err);
	osmdiag_options_free(opts);
	ck_assert_msg(rep != NULL, "run %s: %s", id ? id : "all", err.message);
	return rep;
}

osmdiag_report *th_run(osmdiag_source *src, const char *id)
{
	return run(src, id);
}

osmdiag_report *th_run_all(osmdiag_source *src)
{
	return run(src, NULL);
}

int th_worst(const osmdiag_report *rep, const char *id)
{
	int worst = -1;

	for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
		const osmdiag_result *r = osmdiag_report_at(rep, i);

		if (strcmp(osmdiag_result_id(r), id) == 0 && osmdiag_result_status(r) > worst)
			worst = osmdiag_result_status(r);
	}
	return worst;
}

int th_count(const osmdiag_report *rep, const char *id, int status)
{
	int n = 0;

	for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
		const osmdiag_result *r = osmdiag_report_at(rep, i);

		if (strcmp(osmdiag_result_id(r), id) == 0 && (status < 0 || osmdiag_result_status(r) == status))
			n++;
	}
	return n;
}

static int has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

void th_assert_text(const osmdiag_report *rep, const char *id, const char *needle)
{
	for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
		const osmdiag_result *r = osmdiag_report_at(rep, i);

		if (strcmp(osmdiag_result_id(r), id) != 0)
			continue;
		if (has(osmdiag_result_message(r), needle) || has(osmdiag_result_hint(r), needle) ||
		    has(osmdiag_result_remediation(r), needle))
			return;
	}
	for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
		const osmdiag_result *r = osmdiag_report_at(rep, i);

		if (strcmp(osmdiag_result_id(r), id) == 0)
			fprintf(stderr, "  %s [%s] %s | hint: %s | fix: %s\n", id,
				osmdiag_status_name(osmdiag_result_status(r)), osmdiag_result_message(r),
				osmdiag_result_hint(r) ? osmdiag_result_hint(r) : "-",
				osmdiag_result_remediation(r) ? osmdiag_result_remediation(r) : "-");
	}
	ck_abort_msg("no result of %s mentions \"%s\"", id, needle);
}

void th_assert_clean(const osmdiag_report *rep)
{
	int bad = 0;

	for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
		const osmdiag_result *r = osmdiag_report_at(rep, i);

		if (osmdiag_result_status(r) >= OSMDIAG_STATUS_WARN) {
			fprintf(stderr, "  %s [%s] %s\n", osmdiag_result_id(r),
				osmdiag_status_name(osmdiag_result_status(r)), osmdiag_result_message(r));
			bad++;
		}
	}
	ck_assert_msg(bad == 0, "%d results are warn/fail/error", bad);
}

const osmdiag_result *th_result(const osmdiag_report *rep, const char *id)
{
	const osmdiag_result *first = NULL;

	for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
		const osmdiag_result *r = osmdiag_report_at(rep, i);

		if (strcmp(osmdiag_result_id(r), id) != 0)
			continue;
		if (osmdiag_result_status(r) >= OSMDIAG_STATUS_WARN)
			return r;
		if (!first)
			first = r;
	}
	return first;
}

int th_main(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	osmdiag_global_init();
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	osmdiag_global_shutdown();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
