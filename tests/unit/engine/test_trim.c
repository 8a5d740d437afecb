/*
 * The field filter (lib/store/trim.c): every check, and the migration planner,
 * gives identical results on whole and on trimmed objects, for every fixture
 * and example snapshot; trimming drops what it should and keeps objects valid.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "store/store.h"
#include "store/trim.h"
#include "model/model.h"
#include "util/util.h"

#if defined(__has_include)
#if __has_include("osmdiag/migrate.h")
#include "osmdiag/migrate.h"
#define HAVE_MIGRATE 1
#endif
#endif

static void put(osmdiag__buf *b, const char *s)
{
	osmdiag__buf_printf(b, "%s\x1f", s ? s : "(null)");
}

static void put_report(osmdiag__buf *b, const osmdiag_report *rep)
{
	for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
		const osmdiag_result *r = osmdiag_report_at(rep, i);

		put(b, osmdiag_result_id(r));
		osmdiag__buf_printf(b, "%d\x1f", osmdiag_result_status(r));
		put(b, osmdiag_result_message(r));
		put(b, osmdiag_result_resource_kind(r));
		put(b, osmdiag_result_resource_namespace(r));
		put(b, osmdiag_result_resource_name(r));
		put(b, osmdiag_result_hint(r));
		put(b, osmdiag_result_remediation(r));
		put(b, "\n");
	}
}

/* Everything the checks (and the migration planner) say about a snapshot, as text. */
static char *outcome(const char *dir, int trim)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	osmdiag_source *src;
	osmdiag_report *rep;

	/* the switch covers loading and the run (whose store trims on add too) */
	osmdiag__trim_set_enabled(trim);
	src = th_fixture(dir);
	rep = th_run_all(src);
	put_report(&b, rep);
	osmdiag_report_free(rep);
#ifdef HAVE_MIGRATE
	{
		osmdiag_error err;
		osmdiag_migration *m = osmdiag_migrate(src, NULL, NULL, &err);

		put(&b, m ? "migration" : err.message);
		if (m) {
			put_report(&b, osmdiag_migration_report(m));
			for (size_t i = 0; i < osmdiag_migration_manifest_count(m); i++) {
				put(&b, osmdiag_migration_manifest_namespace(m, i));
				put(&b, osmdiag_migration_manifest_yaml(m, i));
				put(&b, osmdiag_migration_manifest_source(m, i));
			}
		}
		osmdiag_migration_free(m);
	}
#endif
	osmdiag_source_free(src);
	osmdiag__trim_set_enabled(1);
	ck_assert(b.ptr != NULL);
	return b.ptr;
}

/* The snapshot directories under a source-tree folder. */
static size_t snapshot_dirs(const char *parent, char names[][256], size_t max)
{
	DIR *d = opendir(th_path(parent));
	struct dirent *de;
	size_t n = 0;

	ck_assert_msg(d != NULL, "open %s", parent);
	while ((de = readdir(d)) && n < max) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(names[n], sizeof(names[0]), "%.100s/%.100s", parent, de->d_name);
		if (stat(th_path(names[n]), &st) == 0 && S_ISDIR(st.st_mode))
			n++;
	}
	closedir(d);
	return n;
}

static void same_on(const char *parent)
{
	char dirs[32][256];
	size_t n = snapshot_dirs(parent, dirs, 32);

	ck_assert_msg(n > 0, "no snapshots under %s", parent);
	for (size_t i = 0; i < n; i++) {
		char *whole = outcome(dirs[i], 0);
		char *trimmed = outcome(dirs[i], 1);

		ck_assert_msg(strlen(whole) > 0, "%s: no results", dirs[i]);
		if (strcmp(whole, trimmed) != 0) {
			size_t k = 0;

			while (whole[k] && whole[k] == trimmed[k])
				k++;
			ck_abort_msg("%s: results differ on trimmed objects at byte %zu:\nwhole:   %.300s\ntrimmed: "
				     "%.300s", dirs[i], k, whole + (k > 100 ? k - 100 : 0),
				     trimmed + (k > 100 ? k - 100 : 0));
		}
		free(whole);
		free(trimmed);
	}
}

START_TEST(identical_on_fixtures)
{
	same_on("tests/fixtures");
}
END_TEST

START_TEST(identical_on_examples)
{
	same_on("examples/snapshots");
}
END_TEST

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *v = json_loads(text, 0, &je);

	ck_assert_msg(v != NULL, "bad test JSON: %s", je.text);
	return v;
}

START_TEST(pod_keeps_what_checks_read)
{
	json_t *pod = parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
		"\"metadata\":{\"name\":\"p\",\"namespace\":\"n\","
		"\"labels\":{\"app\":\"a\"},\"annotations\":{\"openservicemesh.io/sidecar-injection\":\"enabled\","
		"\"kubectl.kubernetes.io/last-applied-configuration\":\"{}\"},\"managedFields\":[{}],"
		"\"resourceVersion\":\"1\",\"ownerReferences\":[{\"kind\":\"ReplicaSet\",\"name\":\"r\",\"uid\":\"u\","
		"\"controller\":true}]},\"spec\":{\"volumes\":[{\"name\":\"v\"}],\"containers\":[{\"name\":\"envoy\","
		"\"image\":\"e:1\",\"env\":[{\"name\":\"X\"}],\"volumeMounts\":[{}]}],\"hostNetwork\":false},"
		"\"status\":{\"phase\":\"Running\",\"qosClass\":\"x\",\"conditions\":[{\"type\":\"Ready\",\"status\":"
		"\"True\",\"lastTransitionTime\":\"t\"}],\"containerStatuses\":[{\"name\":\"envoy\",\"ready\":true,"
		"\"restartCount\":0,\"imageID\":\"i\",\"state\":{\"running\":{}}}]}}");
	json_t *want = parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
		"\"metadata\":{\"name\":\"p\",\"namespace\":\"n\","
		"\"labels\":{\"app\":\"a\"},\"annotations\":{\"openservicemesh.io/sidecar-injection\":\"enabled\"},"
		"\"ownerReferences\":[{\"kind\":\"ReplicaSet\",\"name\":\"r\",\"controller\":true}]},"
		"\"spec\":{\"containers\":[{\"name\":\"envoy\",\"image\":\"e:1\"}],\"hostNetwork\":false},"
		"\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
		"\"containerStatuses\":[{\"name\":\"envoy\",\"ready\":true,\"restartCount\":0,"
		"\"state\":{\"running\":{}}}]}}");

	osmdiag__trim_object(pod, NULL);
	if (!json_equal(pod, want)) {
		char *got = json_dumps(pod, JSON_SORT_KEYS | JSON_COMPACT);

		ck_abort_msg("trimmed pod: %s", got);
	}
	json_decref(pod);
	json_decref(want);
}
END_TEST

START_TEST(wrong_types_are_kept)
{
	/* the checks report wrong types, so the filter must not hide them */
	json_t *pod = parse("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"ownerReferences\":\"x\"},"
		"\"spec\":{\"containers\":[\"envoy\",{\"name\":1,\"image\":[]}],\"nodeSelector\":7},"
		"\"status\":\"Running\"}");
	json_t *copy = json_deep_copy(pod);

	osmdiag__trim_object(pod, NULL);
	ck_assert(json_equal(pod, copy));
	json_decref(pod);
	json_decref(copy);
}
END_TEST

START_TEST(other_kinds_lose_only_managed_fields)
{
	json_t *crd = parse("{\"kind\":\"CustomResourceDefinition\","
		"\"metadata\":{\"name\":\"c\",\"managedFields\":[{}],"
		"\"resourceVersion\":\"3\"},\"spec\":{\"group\":\"g\",\"x\":{\"y\":1}},\"status\":{\"z\":[]}}");
	json_t *want = parse("{\"kind\":\"CustomResourceDefinition\",\"metadata\":{\"name\":\"c\","
		"\"resourceVersion\":\"3\"},\"spec\":{\"group\":\"g\",\"x\":{\"y\":1}},\"status\":{\"z\":[]}}");

	osmdiag__trim_object(crd, NULL);
	ck_assert(json_equal(crd, want));
	json_decref(crd);
	json_decref(want);
}
END_TEST

START_TEST(trimmed_objects_stay_valid)
{
	/* osmdiag snapshot writes stored objects: each must load back */
	static const char *const kinds[] = { "Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet",
					     "Service", "EndpointSlice", "Endpoints", "Namespace",
					     "ServiceAccount" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		json_t *o = json_pack("{s:s, s:s, s:{s:s, s:s, s:[{}]}, s:{s:i}, s:{}, s:i}", "apiVersion", "v1",
				      "kind", kinds[i], "metadata", "name", "x", "namespace", "ns", "managedFields",
				      "spec", "replicas", 1, "status", "junk", 1);
		char err[200];

		osmdiag__trim_object(o, NULL);
		ck_assert_msg(osmdiag__store_validate(o, err, sizeof(err)) == 0, "%s: %s", kinds[i], err);
		ck_assert_str_eq(json_string_value(json_object_get(o, "apiVersion")), "v1");
		if (i < 5) /* pods and workloads: only listed members; the small kinds keep theirs */
			ck_assert_ptr_null(json_object_get(o, "junk"));
		ck_assert_ptr_null(json_object_get(json_object_get(o, "metadata"), "managedFields"));
		json_decref(o);
	}
}
END_TEST


/* The trimming parser reads what jansson reads: with the filter off it builds
 * the same values (escapes, surrogates, numbers, nesting). */
START_TEST(parser_matches_jansson)
{
	static const char *const docs[] = {
		"{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\\/\"},"
		"\"data\":{\"x\":[1,-0,1.5,-2e3,1E+2,123456789012,true,false,null,[],{},[[{}]]],\"y\":\"\"}}",
		"[{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}} , {\"kind\":\"Pod\",\"metadata\":{\"name\":\"q\"}}]",
		"{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"p\"},\"spec\":{}}],"
		"\"metadata\":{\"continue\":\"abc\"}}",
		" \n{ \"kind\" : \"List\" , \"items\" : [ ] } ",
	};

	osmdiag__trim_set_enabled(0);
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		size_t used = 0;
		json_t *mine = osmdiag__trim_parse_value(docs[i], strlen(docs[i]), &used);
		json_t *ref = parse(docs[i]);

		ck_assert_msg(mine != NULL, "doc %zu not parsed", i);
		ck_assert_msg(json_equal(mine, ref), "doc %zu differs from jansson", i);
		ck_assert_uint_ge(used, strlen(docs[i]) - 1);
		json_decref(mine);
		json_decref(ref);
	}
	osmdiag__trim_set_enabled(1);
}
END_TEST

/* Anything doubtful is left to jansson (NULL): it gives the error or the value. */
START_TEST(parser_refuses_what_it_should)
{
	static const char *const bad[] = {
		"{\"kind\":\"Pod\",}", "{\"kind\":\"Pod\"", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}",
		"{\"a\":\"\\u0000\"}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":99999999999999999999}",
		"{\"a\":\"\x01\"}", "{\"a\" 1}", "{\"a\":tru}", "{\"a\":[1 2]}", "[1,]", "{\"a\":\"\xff\"}",
		"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"metadata\":{\"name\":\"q\"}}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *v = osmdiag__trim_parse_value(bad[i], strlen(bad[i]), NULL);

		ck_assert_msg(v == NULL, "accepted #%zu: %s", i, bad[i]);
	}
}
END_TEST

/* A page read by the parser equals jansson's parse trimmed object by object,
 * and equal subtrees of its objects are one value. */
START_TEST(list_page_trimmed_and_shared)
{
	const char *page = "{\"apiVersion\":\"v1\",\"kind\":\"PodList\","
		"\"metadata\":{\"continue\":\"t\"},\"items\":["
		"{\"metadata\":{\"name\":\"a\",\"namespace\":\"n\",\"managedFields\":[{}]},\"spec\":{\"volumes\":[],"
		"\"containers\":[{\"name\":\"envoy\",\"image\":\"e\",\"env\":[]}]},\"status\":{\"phase\":\"Running\"}},"
		"{\"metadata\":{\"name\":\"b\",\"namespace\":\"n\"},\"spec\":{\"containers\":[{\"name\":\"envoy\","
		"\"image\":\"e\"}]},\"status\":{\"phase\":\"Running\"}}]}";
	json_t *mine = osmdiag__trim_parse_list(page, strlen(page), "Pod");
	json_t *ref = parse(page);
	json_t *items = json_object_get(ref, "items"), *it;
	size_t i;

	ck_assert(mine != NULL);
	json_array_foreach(items, i, it)
		osmdiag__trim_object(it, "Pod");
	ck_assert(json_equal(mine, ref));
	items = json_object_get(mine, "items");
	ck_assert_ptr_eq(json_object_get(json_array_get(items, 0), "spec"),
			 json_object_get(json_array_get(items, 1), "spec"));
	ck_assert_ptr_null(osmdiag__trim_parse_list("{\"items\":[}", 11, "Pod"));
	json_decref(mine);
	json_decref(ref);
}
END_TEST


/* Strings are scanned 16 or 8 bytes at a time: an escape, a quote, a control
 * character or a multi-byte character at any offset of a long string reads
 * as jansson reads it (or is refused where jansson refuses it). */
START_TEST(strings_at_every_offset)
{
	static const char *const specials[] = {
		"\\\"", "\\\\", "\\n", "\\u00e9", "\xc3\xa9", "\x7f", "\x01", "\x1f",
	};

	osmdiag__trim_set_enabled(0);
	for (size_t k = 0; k < sizeof(specials) / sizeof(specials[0]); k++) {
		for (size_t off = 0; off < 40; off++) {
			char doc[160], pad[48];

			memset(pad, 'x', off);
			pad[off] = '\0';
			snprintf(doc, sizeof(doc), "{\"a\":\"%s%s%s\",\"b\":\"%s\"}", pad, specials[k], "yyyyyyyyyyyyyyyyyyy",
				pad);
			json_t *mine = osmdiag__trim_parse_value(doc, strlen(doc), NULL);
			json_t *ref = json_loadb(doc, strlen(doc), 0, NULL);

			if (!ref)
				ck_assert_msg(mine == NULL, "accepted what jansson refuses: special %zu at %zu", k, off);
			else
				ck_assert_msg(mine && json_equal(mine, ref), "special %zu at %zu differs", k, off);
			json_decref(mine);
			json_decref(ref);
		}
	}
	osmdiag__trim_set_enabled(1);
}
END_TEST

/* Keys are matched against the keep-lists without copying them, unless they
 * have escapes: an escaped key is decoded first and kept or dropped by its
 * decoded name, like jansson's parse trimmed afterwards. */
START_TEST(escaped_keys_are_matched)
{
	const char *page = "{\"kind\":\"PodList\",\"items\":[{\"met\\u0061data\":{\"n\\u0061me\":\"a\","
		"\"manag\\u0065dFields\":[{}],\"namespace\":\"n\"},\"sp\\u0065c\":{\"nodeN\\u0061me\":\"x\","
		"\"volum\\u0065s\":[{}]},\"j\\u0075nk\":1}]}";
	json_t *mine = osmdiag__trim_parse_list(page, strlen(page), "Pod");
	json_t *ref = parse(page);
	json_t *pod = json_array_get(json_object_get(ref, "items"), 0);

	ck_assert(mine != NULL);
	osmdiag__trim_object(pod, "Pod");
	ck_assert(json_equal(mine, ref));
	pod = json_array_get(json_object_get(mine, "items"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(pod, "metadata"), "name")), "a");
	ck_assert_ptr_null(json_object_get(json_object_get(pod, "metadata"), "managedFields"));
	ck_assert_ptr_null(json_object_get(json_object_get(pod, "spec"), "volumes"));
	ck_assert_ptr_null(json_object_get(pod, "junk"));
	json_decref(mine);
	json_decref(ref);
}
END_TEST

/* Pods whose container and status arrays are shared get one set of container
 * views and one validation; a bad array's message is the same for each of its
 * pods; a pod with its own arrays gets its own views. */
START_TEST(pod_views_shared_with_arrays)
{
#define POD_FMT "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"n\"},\"spec\":{\"nodeName\":\"%s\"," \
		"\"containers\":[{\"name\":\"app\",\"image\":\"i\"},{\"name\":\"envoy\",\"image\":%s}]}," \
		"\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"envoy\",\"ready\":true," \
		"\"restartCount\":2,\"state\":{\"running\":{}}}]}}"
	char page[2048], a[512], b[512], c[512];

	snprintf(a, sizeof(a), POD_FMT, "a", "n1", "\"e\"");
	snprintf(b, sizeof(b), POD_FMT, "b", "n2", "\"e\"");
	snprintf(c, sizeof(c), POD_FMT, "c", "n3", "7");
	snprintf(page, sizeof(page), "{\"kind\":\"PodList\",\"items\":[%s,%s,%s,%s]}", a, b, c,
		"{\"metadata\":{\"name\":\"d\",\"namespace\":\"n\"},\"spec\":{\"containers\":[{\"image\":\"i\","
		"\"name\":\"app\"},{\"name\":\"envoy\",\"image\":\"e\"}]},\"status\":{\"phase\":\"Running\"}}");
	json_t *doc = osmdiag__trim_parse_list(page, strlen(page), "Pod");
	json_t *items = json_object_get(doc, "items");
	osmdiag__view_memo memo = { OSMDIAG__PTRMAP_INIT, OSMDIAG__PTRMAP_INIT };
	osmdiag__pod_view v[4];
	char bad[4][256];
	int isbad[4];

	ck_assert(doc != NULL);
	for (int i = 0; i < 4; i++) {
		isbad[i] = osmdiag__pod_bad_field(json_array_get(items, (size_t)i), bad[i], sizeof(bad[i]), &memo);
		ck_assert_int_eq(osmdiag__pod_view_get(json_array_get(items, (size_t)i), &v[i], &memo), 0);
	}
	/* a and b: other nodes, same arrays (shared by the parser), same views */
	ck_assert_ptr_eq(v[0].containers, v[1].containers);
	ck_assert_uint_eq(v[0].ncontainers, 2);
	ck_assert_str_eq(v[1].containers[1].state, "running");
	ck_assert_int_eq((int)v[1].containers[1].restarts, 2);
	ck_assert_str_eq(v[1].name, "b");
	ck_assert(!isbad[0] && !isbad[1]);
	/* c: a wrong image type, named with its index */
	ck_assert(isbad[2]);
	ck_assert_str_eq(bad[2], "spec.containers[1].image is an integer, expected a string");
	ck_assert_ptr_ne(v[2].containers, v[0].containers);
	/* d: members in another order, no statuses: its own views, no status */
	ck_assert_ptr_ne(v[3].containers, v[0].containers);
	ck_assert_int_eq(v[3].containers[1].has_status, 0);
	ck_assert(!isbad[3]);
	/* the same again, from the memo */
	char again[256];
	ck_assert(osmdiag__pod_bad_field(json_array_get(items, 2), again, sizeof(again), &memo));
	ck_assert_str_eq(again, bad[2]);
	for (int i = 0; i < 4; i++)
		osmdiag__pod_view_dispose(&v[i]);
	osmdiag__view_memo_clear(&memo);
#undef POD_FMT
	/* without a memo: views of its own */
	ck_assert_int_eq(osmdiag__pod_view_get(json_array_get(items, 0), &v[0], NULL), 0);
	ck_assert_int_eq(v[0].shared_containers, 0);
	osmdiag__pod_view_dispose(&v[0]);
	json_decref(doc);
}
END_TEST

/* The pointer-pair map: lookups after growth, both keys count, clear frees. */
START_TEST(ptrmap_pairs)
{
	osmdiag__ptrmap m = OSMDIAG__PTRMAP_INIT;
	static char keys[1000];
	int found;

	for (size_t i = 0; i < 1000; i++) {
		void **slot = osmdiag__ptrmap_slot(&m, &keys[i], keys + (i & 1), &found);

		ck_assert(slot && !found);
		*slot = osmdiag__strdup("v");
	}
	ck_assert_uint_eq(m.n, 1000);
	for (size_t i = 0; i < 1000; i++) {
		void **slot = osmdiag__ptrmap_slot(&m, &keys[i], keys + (i & 1), &found);

		ck_assert(slot && found && *slot);
	}
	ck_assert_ptr_nonnull(osmdiag__ptrmap_slot(&m, &keys[0], keys + 1, &found));
	ck_assert(!found);
	ck_assert_uint_eq(m.n, 1001);
	osmdiag__ptrmap_clear(&m, free);
	ck_assert_uint_eq(m.n, 0);
	osmdiag__ptrmap_clear(&m, free);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trim");
	TCase *tc = tcase_create("trim");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, identical_on_fixtures);
	tcase_add_test(tc, identical_on_examples);
	tcase_add_test(tc, pod_keeps_what_checks_read);
	tcase_add_test(tc, wrong_types_are_kept);
	tcase_add_test(tc, other_kinds_lose_only_managed_fields);
	tcase_add_test(tc, trimmed_objects_stay_valid);
	tcase_add_test(tc, parser_matches_jansson);
	tcase_add_test(tc, parser_refuses_what_it_should);
	tcase_add_test(tc, list_page_trimmed_and_shared);
	tcase_add_test(tc, strings_at_every_offset);
	tcase_add_test(tc, escaped_keys_are_matched);
	tcase_add_test(tc, pod_views_shared_with_arrays);
	tcase_add_test(tc, ptrmap_pairs);
	suite_add_tcase(s, tc);
	return th_main(s);
}
