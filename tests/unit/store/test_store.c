/* Object store: index, last-wins, sorted lists, removal, validation, trimming, scale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "store/store.h"

TCase *selector_tcase(void);

static json_t *mk(const char *kind, const char *ns, const char *name, const char *app)
{
	json_t *o = json_pack("{s:s, s:s, s:{s:s}}", "apiVersion", "v1", "kind", kind, "metadata", "name", name);
	ck_assert_ptr_nonnull(o);
	json_t *md = json_object_get(o, "metadata");
	if (ns)
		json_object_set_new(md, "namespace", json_string(ns));
	if (app)
		json_object_set_new(md, "labels", json_pack("{s:s}", "app", app));
	return o;
}

static void add_ok(osmdiag__store *st, json_t *o)
{
	char err[256] = "";
	ck_assert_msg(osmdiag__store_add(st, o, err, sizeof(err)) == 0, "add failed: %s", err);
}

static const char *str_at(const json_t *arr, size_t i, const char *field)
{
	return json_string_value(json_object_get(json_object_get(json_array_get(arr, i), "metadata"), field));
}

START_TEST(test_add_get_count)
{
	osmdiag__store *st = osmdiag__store_new();
	ck_assert_ptr_nonnull(st);
	ck_assert_uint_eq(osmdiag__store_count(st), 0);
	add_ok(st, mk("Pod", "ns1", "a", "web"));
	add_ok(st, mk("Pod", "ns2", "a", "web"));
	add_ok(st, mk("Namespace", NULL, "ns1", NULL));
	add_ok(st, mk("Service", "", "cluster-ish", NULL)); /* "" namespace = cluster-scoped key */
	ck_assert_uint_eq(osmdiag__store_count(st), 4);

	json_t *o = osmdiag__store_get(st, "Pod", "ns2", "a");
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "metadata"), "namespace")), "ns2");
	ck_assert_ptr_nonnull(osmdiag__store_get(st, "Namespace", NULL, "ns1"));
	ck_assert_ptr_nonnull(osmdiag__store_get(st, "Namespace", "", "ns1"));
	ck_assert_ptr_nonnull(osmdiag__store_get(st, "Service", NULL, "cluster-ish"));
	ck_assert_ptr_null(osmdiag__store_get(st, "Pod", "ns3", "a"));
	ck_assert_ptr_null(osmdiag__store_get(st, "Pod", NULL, "a"));
	ck_assert_ptr_null(osmdiag__store_get(st, "pod", "ns1", "a")); /* kinds are case-sensitive */
	ck_assert_ptr_null(osmdiag__store_get(st, "Deployment", "ns1", "a"));
	ck_assert_ptr_null(osmdiag__store_get(st, NULL, "ns1", "a"));
	ck_assert_ptr_null(osmdiag__store_get(st, "Pod", "ns1", NULL));
	ck_assert_ptr_null(osmdiag__store_get(NULL, "Pod", "ns1", "a"));
	/* namespace/name split is unambiguous */
	add_ok(st, mk("Pod", "ab", "c", NULL));
	ck_assert_ptr_null(osmdiag__store_get(st, "Pod", "a", "bc"));
	osmdiag__store_free(st);
	osmdiag__store_free(NULL);
}
END_TEST

START_TEST(test_last_wins)
{
	osmdiag__store *st = osmdiag__store_new();
	add_ok(st, mk("Pod", "ns", "p", "first"));
	add_ok(st, mk("Pod", "ns", "p", "second"));
	add_ok(st, mk("Pod", "other", "p", "third"));
	ck_assert_uint_eq(osmdiag__store_count(st), 2);
	json_t *o = osmdiag__store_get(st, "Pod", "ns", "p");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(o, "metadata"),
		"labels"), "app")), "second");
	json_t *l = osmdiag__store_list(st, "Pod", NULL, NULL);
	ck_assert_uint_eq(json_array_size(l), 2);
	json_decref(l);
	osmdiag__store_free(st);
}
END_TEST

START_TEST(test_list_sorted_and_filtered)
{
	static const char *ns[] = { "zeta", "alpha", "mid", "alpha", "zeta", "mid", "alpha" };
	static const char *names[] = { "b", "c", "a", "a", "a", "z", "b" };
	osmdiag__store *st = osmdiag__store_new();
	for (size_t i = 0; i < 7; i++)
		add_ok(st, mk("Pod", ns[i], names[i], i % 2 ? "web" : "db"));
	add_ok(st, mk("Deployment", "alpha", "d", NULL));

	json_t *all = osmdiag__store_list(st, "Pod", NULL, NULL);
	static const char *want[][2] = { { "alpha", "a" }, { "alpha", "b" }, { "alpha", "c" }, { "mid", "a" },
					 { "mid", "z" }, { "zeta", "a" }, { "zeta", "b" } };
	ck_assert_uint_eq(json_array_size(all), 7);
	for (size_t i = 0; i < 7; i++) {
		ck_assert_str_eq(str_at(all, i, "namespace"), want[i][0]);
		ck_assert_str_eq(str_at(all, i, "name"), want[i][1]);
	}
	json_decref(all);

	json_t *mid = osmdiag__store_list(st, "Pod", "mid", NULL);
	ck_assert_uint_eq(json_array_size(mid), 2);
	ck_assert_str_eq(str_at(mid, 0, "name"), "a");
	ck_assert_str_eq(str_at(mid, 1, "name"), "z");
	json_decref(mid);

	json_t *empty_ns = osmdiag__store_list(st, "Pod", "", NULL); /* "" = all namespaces */
	ck_assert_uint_eq(json_array_size(empty_ns), 7);
	json_decref(empty_ns);

	json_t *none = osmdiag__store_list(st, "Pod", "nope", NULL);
	ck_assert_ptr_nonnull(none);
	ck_assert_uint_eq(json_array_size(none), 0);
	json_decref(none);
	json_t *first = osmdiag__store_list(st, "Pod", "aaa", NULL); /* before every namespace */
	ck_assert_uint_eq(json_array_size(first), 0);
	json_decref(first);
	json_t *last = osmdiag__store_list(st, "Pod", "zzz", NULL); /* after every namespace */
	ck_assert_uint_eq(json_array_size(last), 0);
	json_decref(last);

	json_t *nokind = osmdiag__store_list(st, "Secret", NULL, NULL);
	ck_assert_ptr_nonnull(nokind);
	ck_assert_uint_eq(json_array_size(nokind), 0);
	json_decref(nokind);

	char err[128];
	osmdiag__selector *sel = osmdiag__selector_parse("app=web", err, sizeof(err));
	json_t *web = osmdiag__store_list(st, "Pod", NULL, sel);
	ck_assert_uint_eq(json_array_size(web), 3); /* i = 1, 3, 5 */
	json_decref(web);
	json_t *webalpha = osmdiag__store_list(st, "Pod", "alpha", sel);
	ck_assert_uint_eq(json_array_size(webalpha), 2); /* alpha/c (i=1) and alpha/a (i=3) */
	ck_assert_str_eq(str_at(webalpha, 0, "name"), "a");
	ck_assert_str_eq(str_at(webalpha, 1, "name"), "c");
	json_decref(webalpha);
	osmdiag__selector_free(sel);

	/* adding after a list keeps the order right */
	add_ok(st, mk("Pod", "alpha", "0first", NULL));
	json_t *again = osmdiag__store_list(st, "Pod", "alpha", NULL);
	ck_assert_uint_eq(json_array_size(again), 4);
	ck_assert_str_eq(str_at(again, 0, "name"), "0first");
	json_decref(again);
	osmdiag__store_free(st);
}
END_TEST

START_TEST(test_remove)
{
	osmdiag__store *st = osmdiag__store_new();
	add_ok(st, mk("Pod", "ns", "a", NULL));
	add_ok(st, mk("Pod", "ns", "b", NULL));
	add_ok(st, mk("Pod", "ns", "c", NULL));
	add_ok(st, mk("Namespace", NULL, "ns", NULL));
	ck_assert_int_eq(osmdiag__store_remove(st, "Pod", "ns", "a"), 0);
	ck_assert_int_eq(osmdiag__store_remove(st, "Pod", "ns", "a"), -1);
	ck_assert_int_eq(osmdiag__store_remove(st, "Pod", "other", "b"), -1);
	ck_assert_int_eq(osmdiag__store_remove(st, "Nope", "ns", "b"), -1);
	ck_assert_int_eq(osmdiag__store_remove(st, "Namespace", NULL, "ns"), 0);
	ck_assert_uint_eq(osmdiag__store_count(st), 2);
	ck_assert_ptr_null(osmdiag__store_get(st, "Pod", "ns", "a"));
	ck_assert_ptr_nonnull(osmdiag__store_get(st, "Pod", "ns", "b"));
	ck_assert_ptr_nonnull(osmdiag__store_get(st, "Pod", "ns", "c"));
	json_t *l = osmdiag__store_list(st, "Pod", NULL, NULL);
	ck_assert_uint_eq(json_array_size(l), 2);
	ck_assert_str_eq(str_at(l, 0, "name"), "b");
	ck_assert_str_eq(str_at(l, 1, "name"), "c");
	json_decref(l);
	add_ok(st, mk("Pod", "ns", "a", NULL)); /* re-add after removal */
	ck_assert_ptr_nonnull(osmdiag__store_get(st, "Pod", "ns", "a"));
	ck_assert_int_eq(osmdiag__store_remove(NULL, "Pod", "ns", "a"), -1);
	osmdiag__store_free(st);
}
END_TEST

/* Random adds/replaces/removes against a reference table. */
START_TEST(test_random_ops)
{
	enum { KEYS = 3000, OPS = 30000 };
	static int present[KEYS];
	static int version[KEYS];
	memset(present, 0, sizeof(present));
	osmdiag__store *st = osmdiag__store_new();
	unsigned int seed = 12345;
	size_t live = 0;
	char ns[32], name[32];
	for (int op = 0; op < OPS; op++) {
		seed = seed * 1103515245u + 12345u;
		int k = (int)((seed >> 8) % KEYS);
		snprintf(ns, sizeof(ns), "ns-%d", k % 17);
		snprintf(name, sizeof(name), "obj-%d", k);
		if ((seed >> 4) % 3 == 0) {
			int rc = osmdiag__store_remove(st, "ConfigMap", ns, name);
			ck_assert_int_eq(rc, present[k] ? 0 : -1);
			if (present[k])
				live--;
			present[k] = 0;
		} else {
			json_t *o = mk("ConfigMap", ns, name, NULL);
			json_object_set_new(o, "v", json_integer(op));
			add_ok(st, o);
			if (!present[k])
				live++;
			present[k] = 1;
			version[k] = op;
		}
		if (op % 5000 == 0) { /* lists re-sort in between */
			json_t *l = osmdiag__store_list(st, "ConfigMap", NULL, NULL);
			ck_assert_uint_eq(json_array_size(l), live);
			json_decref(l);
		}
	}
	ck_assert_uint_eq(osmdiag__store_count(st), live);
	for (int k = 0; k < KEYS; k++) {
		snprintf(ns, sizeof(ns), "ns-%d", k % 17);
		snprintf(name, sizeof(name), "obj-%d", k);
		json_t *o = osmdiag__store_get(st, "ConfigMap", ns, name);
		ck_assert_msg((o != NULL) == present[k], "key %d presence", k);
		if (o)
			ck_assert_int_eq(json_integer_value(json_object_get(o, "v")), version[k]);
	}
	json_t *l = osmdiag__store_list(st, "ConfigMap", NULL, NULL);
	for (size_t i = 1; i < json_array_size(l); i++) {
		int c = strcmp(str_at(l, i - 1, "namespace"), str_at(l, i, "namespace"));
		ck_assert(c < 0 || (c == 0 && strcmp(str_at(l, i - 1, "name"), str_at(l, i, "name")) < 0));
	}
	json_decref(l);
	osmdiag__store_free(st);
}
END_TEST

static const struct {
	const char *json;
	const char *err;
} invalid_rows[] = {
	{ "[]", "expected an object, found an array" },
	{ "\"x\"", "expected an object, found a string" },
	{ "{\"metadata\":{\"name\":\"a\"}}", "object has no \"kind\"" },
	{ "{\"kind\":7,\"metadata\":{\"name\":\"a\"}}", "kind is a number, expected a string" },
	{ "{\"kind\":\"\",\"metadata\":{\"name\":\"a\"}}", "kind is empty" },
	{ "{\"kind\":\"Pod\"}", "Pod has no \"metadata\"" },
	{ "{\"kind\":\"Pod\",\"metadata\":\"x\"}", "Pod: metadata is a string, expected an object" },
	{ "{\"kind\":\"Pod\",\"metadata\":{}}", "Pod: object has no \"metadata.name\"" },
	{ "{\"kind\":\"Pod\",\"metadata\":{\"name\":1.5}}", "Pod: metadata.name is a number, expected a string" },
	{ "{\"kind\":\"Pod\",\"metadata\":{\"name\":null}}", "Pod: metadata.name is null, expected a string" },
	{ "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"\"}}", "Pod: metadata.name is empty" },
	{ "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"namespace\":true}}",
	  "Pod a: metadata.namespace is a boolean, expected a string" },
	{ "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"namespace\":[]}}",
	  "Pod a: metadata.namespace is an array, expected a string" },
	{ "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\\u0000b\"}}", "metadata.name contains a NUL" },
};

START_TEST(test_invalid_objects)
{
	osmdiag__store *st = osmdiag__store_new();
	for (size_t i = 0; i < sizeof(invalid_rows) / sizeof(invalid_rows[0]); i++) {
		json_error_t je;
		json_t *o = json_loads(invalid_rows[i].json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
		ck_assert_msg(o != NULL, "bad test JSON %s: %s", invalid_rows[i].json, je.text);
		char err[256] = "";
		ck_assert_int_eq(osmdiag__store_add(st, o, err, sizeof(err)), -1); /* o is stolen */
		ck_assert_msg(strstr(err, invalid_rows[i].err) != NULL, "%s: error \"%s\" lacks \"%s\"",
			      invalid_rows[i].json, err, invalid_rows[i].err);
	}
	ck_assert_int_eq(osmdiag__store_add(st, NULL, NULL, 0), -1);
	ck_assert_int_eq(osmdiag__store_add(NULL, mk("Pod", "a", "b", NULL), NULL, 0), -1);
	ck_assert_uint_eq(osmdiag__store_count(st), 0);
	osmdiag__store_free(st);
}
END_TEST

START_TEST(test_trim_on_add)
{
	osmdiag__store *st = osmdiag__store_new();
	json_t *secret = json_loads("{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\","
		"\"namespace\":\"kube-system\",\"managedFields\":[{}],\"annotations\":{\"kubectl.kubernetes.io/"
		"last-applied-configuration\":\"{\\\"data\\\":{\\\"tls.key\\\":\\\"S0VZ\\\"}}\",\"other\":\"kept\"}},"
		"\"data\":{\"ca.crt\":\"Q0E=\",\"tls.key\":\"S0VZ\",\"tls.crt\":\"Q1JU\"},"
		"\"stringData\":{\"password\":\"hunter2\",\"ca.crt\":\"CA\"},\"type\":\"kubernetes.io/tls\"}", 0, NULL);
	ck_assert_ptr_nonnull(secret);
	add_ok(st, secret);
	json_t *s = osmdiag__store_get(st, "Secret", "kube-system", "s");
	ck_assert_ptr_nonnull(s);
	json_t *data = json_object_get(s, "data");
	ck_assert_uint_eq(json_object_size(data), 1);
	ck_assert_str_eq(json_string_value(json_object_get(data, "ca.crt")), "Q0E=");
	json_t *sd = json_object_get(s, "stringData");
	ck_assert_uint_eq(json_object_size(sd), 1);
	ck_assert_ptr_nonnull(json_object_get(sd, "ca.crt"));
	json_t *md = json_object_get(s, "metadata");
	ck_assert_ptr_null(json_object_get(md, "managedFields"));
	json_t *ann = json_object_get(md, "annotations");
	ck_assert_uint_eq(json_object_size(ann), 1);
	ck_assert_str_eq(json_string_value(json_object_get(ann, "other")), "kept");
	char *dump = json_dumps(s, 0);
	ck_assert_ptr_null(strstr(dump, "S0VZ"));
	ck_assert_ptr_null(strstr(dump, "hunter2"));
	free(dump);

	/* a ConfigMap keeps its data; every kind loses managedFields */
	json_t *cm = json_loads("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"managedFields\":[]},"
		"\"data\":{\"tls.key\":\"x\"}}", 0, NULL);
	add_ok(st, cm);
	json_t *c = osmdiag__store_get(st, "ConfigMap", NULL, "c");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(c, "data"), "tls.key"));
	ck_assert_ptr_null(json_object_get(json_object_get(c, "metadata"), "managedFields"));

	/* odd Secret shapes are tolerated */
	add_ok(st, json_loads("{\"kind\":\"Secret\",\"metadata\":{\"name\":\"odd\",\"annotations\":3},"
		"\"data\":\"x\"}", 0, NULL));
	osmdiag__store_free(st);
}
END_TEST

static int count_cb(json_t *obj, void *ud)
{
	(void)obj;
	size_t *n = ud;
	return ++*n == 3 ? 42 : 0;
}

static int all_cb(json_t *obj, void *ud)
{
	(void)obj;
	++*(size_t *)ud;
	return 0;
}

START_TEST(test_foreach)
{
	osmdiag__store *st = osmdiag__store_new();
	for (int i = 0; i < 5; i++) {
		char n[16];
		snprintf(n, sizeof(n), "p%d", i);
		add_ok(st, mk(i % 2 ? "Pod" : "Service", "ns", n, NULL));
	}
	size_t n = 0;
	ck_assert_int_eq(osmdiag__store_foreach(st, all_cb, &n), 0);
	ck_assert_uint_eq(n, 5);
	n = 0;
	ck_assert_int_eq(osmdiag__store_foreach(st, count_cb, &n), 42);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(osmdiag__store_foreach(NULL, all_cb, &n), 0);
	osmdiag__store_free(st);
}
END_TEST

/* 25,000 pods in 100 namespaces, added in scrambled order. */
START_TEST(test_scale)
{
	enum { N = 25000, NS = 100 };
	osmdiag__store *st = osmdiag__store_new();
	char ns[32], name[32];
	for (unsigned int i = 0; i < N; i++) {
		unsigned int k = (i * 7919u) % N; /* a permutation of 0..N-1 */
		snprintf(ns, sizeof(ns), "ns-%03u", k % NS);
		snprintf(name, sizeof(name), "pod-%05u", k);
		add_ok(st, mk("Pod", ns, name, k % 2 ? "odd" : "even"));
	}
	ck_assert_uint_eq(osmdiag__store_count(st), N);
	for (unsigned int k = 0; k < N; k++) {
		snprintf(ns, sizeof(ns), "ns-%03u", k % NS);
		snprintf(name, sizeof(name), "pod-%05u", k);
		ck_assert_ptr_nonnull(osmdiag__store_get(st, "Pod", ns, name));
	}
	json_t *all = osmdiag__store_list(st, "Pod", NULL, NULL);
	ck_assert_uint_eq(json_array_size(all), N);
	ck_assert_str_eq(str_at(all, 0, "name"), "pod-00000");
	ck_assert_str_eq(str_at(all, N - 1, "namespace"), "ns-099");
	json_decref(all);
	char err[64];
	osmdiag__selector *sel = osmdiag__selector_parse("app=odd", err, sizeof(err));
	for (int i = 0; i < NS; i++) {
		snprintf(ns, sizeof(ns), "ns-%03d", i);
		json_t *l = osmdiag__store_list(st, "Pod", ns, sel);
		ck_assert_uint_eq(json_array_size(l), i % 2 ? N / NS : 0);
		json_decref(l);
	}
	osmdiag__selector_free(sel);
	osmdiag__store_free(st);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	tcase_add_test(tc, test_add_get_count);
	tcase_add_test(tc, test_last_wins);
	tcase_add_test(tc, test_list_sorted_and_filtered);
	tcase_add_test(tc, test_remove);
	tcase_add_test(tc, test_random_ops);
	tcase_add_test(tc, test_invalid_objects);
	tcase_add_test(tc, test_trim_on_add);
	tcase_add_test(tc, test_foreach);
	tcase_add_test(tc, test_scale);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, selector_tcase());
	return s;
}

int main(void)
{
	return th_main(store_suite());
}
