/* Pod records (lib/model/pods.c) and the item sink of the sources. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model/model.h"
#include "source/source_impl.h"
#include "store/store.h"
#include "store/trim.h"
#include "util/util.h"

static json_t *pod(const char *ns, const char *name, const char *extra_labels, const char *image)
{
	char text[1024];
	json_error_t je;

	snprintf(text, sizeof(text), "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"%s\","
		"\"namespace\":\"%s\",\"labels\":{\"app\":\"w\"%s},\"annotations\":{"
		"\"openservicemesh.io/sidecar-injection\":\"enabled\"},\"ownerReferences\":[{\"apiVersion\":"
		"\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"w-5d8f\",\"controller\":true}]},"
		"\"spec\":{\"containers\":[{\"name\":\"envoy\",\"image\":\"%s\"}]},"
		"\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"envoy\",\"ready\":true,"
		"\"restartCount\":3,\"state\":{\"running\":{}}}]}}", name, ns, extra_labels, image);
	json_t *p = json_loads(text, 0, &je);

	ck_assert_msg(p != NULL, "%s", je.text);
	return p;
}

/* A record reads like the pod: names, labels, views, shared parts; the JSON
 * pod may go once the record is made. */
START_TEST(record_outlives_its_json)
{
	osmdiag__model m;
	osmdiag__pods pods = { NULL, 0 };
	json_t *p = pod("n", "a", ",\"pod-template-hash\":\"5d8f\",\"odd\":7", "e:1");

	memset(&m, 0, sizeof(m));
	m.pods = osmdiag__pod_table_new();
	ck_assert_int_eq(osmdiag__pod_table_add(m.pods, p), 0);
	json_decref(p); /* only the record's references remain */
	ck_assert_int_eq(osmdiag__model_pods(&m, "n", NULL, &pods), 0);
	ck_assert_uint_eq(pods.n, 1);
	const osmdiag__pod *r = pods.v[0];
	ck_assert_str_eq(r->name, "a");
	ck_assert_str_eq(r->namespace_, "n");
	ck_assert_str_eq(r->view.name, "a");
	ck_assert_str_eq(r->view.namespace_, "n");
	ck_assert_str_eq(r->view.phase, "Running");
	ck_assert_uint_eq(r->view.ncontainers, 1);
	ck_assert_str_eq(r->view.containers[0].image, "e:1");
	ck_assert_int_eq((int)r->view.containers[0].restarts, 3);
	ck_assert_str_eq(osmdiag__pod_label(r, "pod-template-hash"), "5d8f");
	ck_assert_ptr_null(osmdiag__pod_label(r, "odd")); /* not a string */
	ck_assert_ptr_null(osmdiag__pod_label(r, "missing"));
	ck_assert_str_eq(osmdiag__obj_string_value(r->inject), "enabled");
	ck_assert_uint_eq(osmdiag__obj_len(r->owner_refs), 1);
	ck_assert_ptr_null(r->bad);
	/* the workload through the pod-template-hash rule (no ReplicaSet stored) */
	char kind[32], name[64];
	ck_assert_int_eq(osmdiag__pod_workload(&m, r, kind, sizeof(kind), name, sizeof(name)), 1);
	ck_assert_str_eq(kind, "deployment");
	ck_assert_str_eq(name, "w");
	osmdiag__pods_free(&pods);
	osmdiag__pod_table_free(m.pods);
}
END_TEST

/* Sorted by namespace and name; a later pod of one name replaces the earlier;
 * namespace and label selectors (a non-string label exists, but has no value). */
START_TEST(table_sorts_replaces_selects)
{
	osmdiag__model m;
	osmdiag__pods pods = { NULL, 0 };
	const char *const order[][2] = { { "b", "z" }, { "a", "y" }, { "b", "x" }, { "a", "y" } };

	memset(&m, 0, sizeof(m));
	m.pods = osmdiag__pod_table_new();
	for (size_t i = 0; i < 4; i++) {
		json_t *p = pod(order[i][0], order[i][1], i == 3 ? ",\"osm-proxy-uuid\":5" : "", i == 3 ? "new" : "old");

		ck_assert_int_eq(osmdiag__pod_table_add(m.pods, p), 0);
		json_decref(p);
	}
	ck_assert_int_eq(osmdiag__model_pods(&m, NULL, NULL, &pods), 0);
	ck_assert_uint_eq(pods.n, 3);
	ck_assert_str_eq(pods.v[0]->name, "y");
	ck_assert_str_eq(pods.v[0]->view.containers[0].image, "new");
	ck_assert_str_eq(pods.v[1]->name, "x");
	ck_assert_str_eq(pods.v[2]->name, "z");
	osmdiag__pods_free(&pods);
	ck_assert_int_eq(osmdiag__model_pods(&m, "b", NULL, &pods), 0);
	ck_assert_uint_eq(pods.n, 2);
	osmdiag__pods_free(&pods);
	ck_assert_int_eq(osmdiag__model_pods(&m, "c", NULL, &pods), 0);
	ck_assert_uint_eq(pods.n, 0);
	ck_assert_int_eq(osmdiag__model_pods(&m, NULL, "osm-proxy-uuid", &pods), 0);
	ck_assert_uint_eq(pods.n, 1);
	osmdiag__pods_free(&pods);
	ck_assert_int_eq(osmdiag__model_pods(&m, NULL, "app=w,!osm-proxy-uuid", &pods), 0);
	ck_assert_uint_eq(pods.n, 2);
	osmdiag__pods_free(&pods);
	ck_assert_int_eq(osmdiag__model_pods(&m, NULL, "app in (w", &pods), -1);
	ck_assert_uint_eq(pods.n, 0);
	/* a pod without a name is skipped, as the store skips it */
	json_t *nameless = json_pack("{s:s, s:{s:s}}", "kind", "Pod", "metadata", "namespace", "n");
	ck_assert_int_eq(osmdiag__pod_table_add(m.pods, nameless), 0);
	json_decref(nameless);
	ck_assert_int_eq(osmdiag__model_pods(&m, NULL, NULL, &pods), 0);
	ck_assert_uint_eq(pods.n, 3);
	osmdiag__pods_free(&pods);
	osmdiag__pod_table_free(m.pods);
}
END_TEST

/* Moving a table's records keeps them valid (their view arrays belong to the
 * moved memo); clearing voids them. */
START_TEST(table_move_and_clear)
{
	osmdiag__model m;
	osmdiag__pods pods = { NULL, 0 };
	osmdiag__pod_table *part = osmdiag__pod_table_new();

	memset(&m, 0, sizeof(m));
	m.pods = osmdiag__pod_table_new();
	for (int i = 0; i < 100; i++) {
		char name[16];
		json_t *p;

		snprintf(name, sizeof(name), "p%03d", i);
		p = pod("n", name, "", "e");
		ck_assert_int_eq(osmdiag__pod_table_add(i % 2 ? part : m.pods, p), 0);
		json_decref(p);
	}
	ck_assert_int_eq(osmdiag__pod_table_move(m.pods, part), 0);
	osmdiag__pod_table_free(part);
	ck_assert_int_eq(osmdiag__model_pods(&m, NULL, NULL, &pods), 0);
	ck_assert_uint_eq(pods.n, 100);
	for (size_t i = 0; i < pods.n; i++)
		ck_assert_str_eq(pods.v[i]->view.containers[0].name, "envoy");
	osmdiag__pods_free(&pods);
	osmdiag__pod_table_clear(m.pods);
	ck_assert_int_eq(osmdiag__model_pods(&m, NULL, NULL, &pods), 0);
	ck_assert_uint_eq(pods.n, 0);
	osmdiag__pod_table_free(m.pods);
}
END_TEST

/* The workload is resolved once per shared owner references and namespace,
 * but a pod-template-hash rule answer holds only for pods with that hash. */
START_TEST(workload_memo_respects_the_hash)
{
	osmdiag__model m;
	osmdiag__pods pods = { NULL, 0 };
	json_t *refs = json_pack("[{s:s, s:s, s:s, s:b}]", "apiVersion", "apps/v1", "kind", "ReplicaSet", "name",
		"w-5d8f", "controller", 1);
	json_t *ns = json_string("n");
	const char *const hashes[] = { "5d8f", "5d8f", "zzzz" };
	char kind[32], name[64];

	memset(&m, 0, sizeof(m));
	m.pods = osmdiag__pod_table_new();
	for (int i = 0; i < 3; i++) {
		char pname[8];
		json_t *p;

		snprintf(pname, sizeof(pname), "p%d", i);
		p = json_pack("{s:s, s:{s:s, s:O, s:{s:s}, s:O}}", "kind", "Pod", "metadata", "name", pname,
			"namespace", ns, "labels", "pod-template-hash", hashes[i], "ownerReferences", refs);
		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(osmdiag__pod_table_add(m.pods, p), 0);
		json_decref(p);
	}
	json_decref(refs);
	json_decref(ns);
	ck_assert_int_eq(osmdiag__model_pods(&m, NULL, NULL, &pods), 0);
	ck_assert_uint_eq(pods.n, 3);
	ck_assert_ptr_eq(pods.v[0]->owner_refs, pods.v[2]->owner_refs);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 3; i++) {
			ck_assert_int_eq(osmdiag__pod_workload(&m, pods.v[i], kind, sizeof(kind), name, sizeof(name)), 1);
			ck_assert_str_eq(kind, i < 2 ? "deployment" : "replicaset");
			ck_assert_str_eq(name, i < 2 ? "w" : "w-5d8f");
		}
	}
	osmdiag__pods_free(&pods);
	osmdiag__pod_table_free(m.pods);
}
END_TEST

static int count_item(void *ud, json_t *item)
{
	(*(size_t *)ud)++;
	json_decref(item);
	return 0;
}

/* A source that reads whole lists (snapshots) hands a request's items to its
 * on_item: `items` is then empty and they count as read. */
START_TEST(whole_lists_go_to_on_item)
{
	osmdiag_source *src = th_fixture("examples/snapshots/aks-osm-v1.2-healthy");
	osmdiag__fetch req;
	size_t seen = 0, before = osmdiag_source_object_count(src);

	memset(&req, 0, sizeof(req));
	req.kind = "Pod";
	req.on_item = count_item;
	req.item_ud = &seen;
	ck_assert_int_eq(osmdiag__source_fetch(src, &req, 1, 0), OSMDIAG_OK);
	ck_assert_int_eq(req.code, OSMDIAG_OK);
	ck_assert(seen > 5);
	ck_assert_uint_eq(req.consumed, seen);
	ck_assert_uint_eq(json_array_size(req.items), 0);
	ck_assert_uint_eq(osmdiag_source_object_count(src), before);
	osmdiag__fetch_release(&req, 1);
	osmdiag_source_free(src);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pods");
	TCase *tc = tcase_create("pods");

	tcase_add_test(tc, record_outlives_its_json);
	tcase_add_test(tc, table_sorts_replaces_selects);
	tcase_add_test(tc, table_move_and_clear);
	tcase_add_test(tc, workload_memo_respects_the_hash);
	tcase_add_test(tc, whole_lists_go_to_on_item);
	suite_add_tcase(s, tc);
	return th_main(s);
}
