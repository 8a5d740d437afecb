/* Snapshot source: JSON/YAML files, Lists, multi-doc, directories, garbage, fetch, public API. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "source/source_impl.h"
#include "store/store.h"

/* ---- helpers --------------------------------------------------------------------- */

/* One temp dir per test case, made and removed by unchecked fixtures (in the
 * parent process, so a failed test does not leave 50 MB behind); tests use
 * distinct file names. */
static char tmp_root[256];

static void tmp_setup(void)
{
	snprintf(tmp_root, sizeof(tmp_root), "/tmp/osmdiag-snapshot-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp_root));
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void tmp_teardown(void)
{
	if (tmp_root[0])
		nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	tmp_root[0] = '\0';
}

/* Path under the temp dir (rotating static buffers). */
static const char *tp(const char *rel)
{
	static char bufs[4][512];
	static int n;
	char *b = bufs[n++ % 4];
	snprintf(b, sizeof(bufs[0]), "%s/%s", tmp_root, rel);
	return b;
}

static void mkdirs_for(const char *path)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + strlen(tmp_root) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
}

static const char *write_bytes(const char *rel, const void *data, size_t len)
{
	const char *path = tp(rel);
	mkdirs_for(path);
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "create %s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static const char *write_text(const char *rel, const char *text)
{
	return write_bytes(rel, text, strlen(text));
}

static osmdiag_source *src_new(void)
{
	osmdiag_error err;
	memset(&err, 0x55, sizeof(err));
	osmdiag_source *src = osmdiag_source_new_snapshot(&err);
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(err.code, 0);
	ck_assert_str_eq(err.message, "");
	return src;
}

static osmdiag_source *load_ok(const char *path)
{
	osmdiag_source *src = src_new();
	int rc = osmdiag_source_add_snapshot(src, path);
	ck_assert_msg(rc == OSMDIAG_OK, "load %s: %d %s", path, rc, osmdiag_source_errmsg(src));
	ck_assert_int_eq(osmdiag_source_errcode(src), 0);
	ck_assert_str_eq(osmdiag_source_errmsg(src), "");
	return src;
}

/* Loads `path` expecting `code`; the message must name `file` (default: path)
 * and contain `n1` and `n2` (when given). Nothing may stay in the source. */
static void expect_error(const char *path, const char *file, int code, const char *n1, const char *n2)
{
	osmdiag_source *src = src_new();
	int rc = osmdiag_source_add_snapshot(src, path);
	const char *msg = osmdiag_source_errmsg(src);
	ck_assert_msg(rc == code, "load %s: code %d (%s), expected %d", path, rc, msg, code);
	ck_assert_int_eq(osmdiag_source_errcode(src), code);
	ck_assert_msg(strstr(msg, file ? file : path) != NULL, "message \"%s\" does not name %s", msg,
		      file ? file : path);
	ck_assert_msg(!n1 || strstr(msg, n1), "message \"%s\" lacks \"%s\"", msg, n1);
	ck_assert_msg(!n2 || strstr(msg, n2), "message \"%s\" lacks \"%s\"", msg, n2);
	ck_assert_msg(strchr(msg, '\n') == NULL, "message is not one line: %s", msg);
	ck_assert_uint_eq(osmdiag_source_object_count(src), 0);
	osmdiag_source_free(src);
}

static const char *data(const char *name)
{
	static char bufs[4][1024];
	static int n;
	char *b = bufs[n++ % 4];
	snprintf(b, sizeof(bufs[0]), "tests/data/snapshot/%s", name);
	return th_path(b);
}

static json_t *get(osmdiag_source *src, const char *kind, const char *ns, const char *name)
{
	return osmdiag__store_get(osmdiag__snapshot_store(src), kind, ns, name);
}

static const char *sval(const json_t *o, const char *a, const char *b)
{
	const json_t *v = json_object_get(o, a);
	if (b)
		v = json_object_get(v, b);
	return json_string_value(v);
}

/* ---- valid inputs ------------------------------------------------------------------- */

START_TEST(test_json_object)
{
	osmdiag_source *src = load_ok(data("pod.json"));
	ck_assert_uint_eq(osmdiag_source_object_count(src), 1);
	ck_assert_str_eq(osmdiag_source_kind(src), "snapshot");
	json_t *p = get(src, "Pod", "app", "web-1");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(json_object_get(json_object_get(p, "metadata"), "managedFields"));
	ck_assert_str_eq(sval(json_array_get(json_object_get(json_object_get(p, "spec"), "containers"), 0),
		"image", NULL), "nginx");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_yaml_list_without_item_kinds)
{
	osmdiag_source *src = load_ok(data("podlist-no-kinds.yaml"));
	ck_assert_uint_eq(osmdiag_source_object_count(src), 3);
	json_t *b = get(src, "Pod", "ns1", "b");
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(sval(b, "kind", NULL), "Pod");
	ck_assert_str_eq(sval(b, "apiVersion", NULL), "v1");
	json_t *c = get(src, "Pod", "ns2", "c");
	ck_assert_str_eq(sval(c, "apiVersion", NULL), "v9"); /* own apiVersion kept */
	ck_assert_ptr_null(get(src, "PodList", NULL, "b"));
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_nested_lists)
{
	osmdiag_source *src = load_ok(data("list-nested.json"));
	ck_assert_uint_eq(osmdiag_source_object_count(src), 3);
	ck_assert_ptr_nonnull(get(src, "Namespace", NULL, "ns1"));
	json_t *d = get(src, "Deployment", "ns1", "d2");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(sval(d, "apiVersion", NULL), "apps/v1");
	osmdiag_source_free(src);
}
END_TEST

/* Objects of a snapshot share their equal subtrees (store/trim.c; 1/5 of the
 * memory of a large one); a nested List's objects, trimmed later by the store,
 * do not; the test harness gives an object it changes its own copies. */
START_TEST(test_equal_subtrees_shared)
{
#define SHARED_POD(name) "{\"metadata\":{\"name\":\"" name "\",\"namespace\":\"n\",\"labels\":{\"app\":" \
	"\"w\"}},\"spec\":{\"containers\":[{\"name\":\"envoy\",\"image\":\"e\",\"args\":[\"x\"]}]}," \
	"\"status\":{\"phase\":\"Running\"}}"
	const char *text = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[" SHARED_POD("a") ","
		SHARED_POD("b") ",{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":"
		"{\"name\":\"c\",\"namespace\":\"n\"},\"spec\":{\"containers\":[{\"name\":\"envoy\",\"image\":\"e\","
		"\"args\":[\"x\"]}]}},{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\","
		"\"metadata\":{\"name\":\"d\",\"namespace\":\"n\"},\"spec\":{\"template\":{\"spec\":{\"containers\":"
		"[{\"name\":\"envoy\",\"image\":\"e\",\"args\":[\"x\"]}]}}}}]}]}";
#undef SHARED_POD
	osmdiag_source *src = load_ok(write_text("shared.json", text));
	json_t *pa = get(src, "Pod", "n", "a"), *pb = get(src, "Pod", "n", "b");
	json_t *d = get(src, "Deployment", "n", "d");

	ck_assert_ptr_nonnull(pa);
	ck_assert_ptr_nonnull(pb);
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_eq(json_object_get(pa, "spec"), json_object_get(pb, "spec"));
	ck_assert_ptr_eq(json_object_get(json_object_get(pa, "metadata"), "labels"),
			 json_object_get(json_object_get(pb, "metadata"), "labels"));
	/* Pod c and the Deployment came whole in a nested List with an equal spec; the store trimmed each by
	 * its own kind: the pod's containers lost args, the template's kept them */
	ck_assert_ptr_null(json_object_get(json_array_get(json_object_get(json_object_get(get(src, "Pod", "n", "c"),
		"spec"), "containers"), 0), "args"));
	json_t *dc = json_array_get(json_object_get(json_object_get(json_object_get(json_object_get(d, "spec"),
		"template"), "spec"), "containers"), 0);
	ck_assert_ptr_nonnull(json_object_get(dc, "args"));
	/* a test changes its own object only */
	th_set(th_object(src, "Pod", "n", "a"), "spec.hostNetwork", json_true());
	ck_assert_ptr_nonnull(json_object_get(json_object_get(get(src, "Pod", "n", "a"), "spec"), "hostNetwork"));
	ck_assert_ptr_null(json_object_get(json_object_get(pb, "spec"), "hostNetwork"));
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_multi_doc)
{
	osmdiag_source *src = load_ok(data("multi-doc.yaml"));
	ck_assert_uint_eq(osmdiag_source_object_count(src), 3);
	ck_assert_ptr_nonnull(get(src, "Namespace", NULL, "one"));
	ck_assert_ptr_nonnull(get(src, "Namespace", NULL, "two"));
	ck_assert_str_eq(sval(get(src, "ConfigMap", "one", "cm"), "data", "key"), "value");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_top_level_arrays_and_streams)
{
	const char *arr = write_text("arr.json", "[{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}},\n"
		"{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",\"items\":[{\"metadata\":{\"name\":\"b\"}}]}]");
	osmdiag_source *src = load_ok(arr);
	ck_assert_uint_eq(osmdiag_source_object_count(src), 2);
	ck_assert_str_eq(sval(get(src, "Namespace", NULL, "b"), "kind", NULL), "Namespace");
	osmdiag_source_free(src);

	const char *seq = write_text("seq.yaml", "- kind: Namespace\n  metadata: {name: a}\n"
		"- kind: Namespace\n  metadata: {name: b}\n");
	src = load_ok(seq);
	ck_assert_uint_eq(osmdiag_source_object_count(src), 2);
	osmdiag_source_free(src);

	/* several JSON values one after the other */
	const char *stream = write_text("stream.json", "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}\n"
		"{\"kind\":\"List\",\"items\":[{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"b\"}}]}\n"
		"  [ {\"kind\":\"Namespace\",\"metadata\":{\"name\":\"c\"}} ]\n");
	src = load_ok(stream);
	ck_assert_uint_eq(osmdiag_source_object_count(src), 3);
	osmdiag_source_free(src);
	/* an error in the third value names it and its line */
	const char *bad = write_text("stream-bad.json", "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}\n"
		"{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"b\"}}\n\n"
		"{\"kind\":\"Namespace\",\"metadata\":{}}\n");
	expect_error(bad, NULL, OSMDIAG_EPARSE, "value 3 (line 4)", "has no \"metadata.name\"");
	const char *bad2 = write_text("stream-bad2.json", "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}\n"
		"  {\"kind\": ]\n");
	expect_error(bad2, NULL, OSMDIAG_EPARSE, ":2:12: invalid JSON", NULL);
	/* empty list and empty array are fine (zero objects) */
	src = load_ok(write_text("empty-list.json", "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[]}"));
	ck_assert_uint_eq(osmdiag_source_object_count(src), 0);
	osmdiag_source_free(src);
	src = load_ok(write_text("empty-arr.json", "[]"));
	osmdiag_source_free(src);
	src = load_ok(write_text("null-items.yaml", "kind: PodList\nitems: null\n"));
	osmdiag_source_free(src);
	/* a UTF-8 byte order mark is skipped */
	src = load_ok(write_text("bom.json", "\xef\xbb\xbf{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}"));
	ck_assert_uint_eq(osmdiag_source_object_count(src), 1);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_yaml_core_schema)
{
	osmdiag_source *src = load_ok(data("core-schema.yaml"));
	json_t *v = json_object_get(get(src, "Scalars", NULL, "s"), "v");
	ck_assert_ptr_nonnull(v);
	static const char *nulls[] = { "null1", "null2", "null3", "null4", "nul" };
	for (size_t i = 0; i < 5; i++)
		ck_assert_msg(json_is_null(json_object_get(v, nulls[i])), "%s is not null", nulls[i]);
	ck_assert(json_is_true(json_object_get(v, "t1")));
	ck_assert(json_is_true(json_object_get(v, "t2")));
	ck_assert(json_is_true(json_object_get(v, "t3")));
	ck_assert(json_is_false(json_object_get(v, "f1")));
	ck_assert(json_is_false(json_object_get(v, "boo")));
	ck_assert_str_eq(sval(v, "yes", NULL), "yes"); /* YAML 1.1 booleans are strings in 1.2 */
	ck_assert_str_eq(sval(v, "on", NULL), "on");
	static const struct {
		const char *k;
		long long v;
	} ints[] = { { "dec", 42 }, { "neg", -17 }, { "plus", 5 }, { "lead0", 12 }, { "hex", 31 }, { "oct", 15 },
		     { "int", 42 } };
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		json_t *x = json_object_get(v, ints[i].k);
		ck_assert_msg(json_is_integer(x), "%s is not an integer", ints[i].k);
		ck_assert_int_eq(json_integer_value(x), ints[i].v);
	}
	static const struct {
		const char *k;
		double v;
	} reals[] = { { "f", 1.5 }, { "exp", 1000 }, { "dot", 0.5 }, { "ver", 1.2 }, { "flt", 1.0 },
		      { "big", 99999999999999999999.0 } };
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		json_t *x = json_object_get(v, reals[i].k);
		ck_assert_msg(json_is_real(x), "%s is not a real", reals[i].k);
		ck_assert_double_eq_tol(json_real_value(x), reals[i].v, 1e-9 * (reals[i].v < 0 ? -reals[i].v : reals[i].v + 1));
	}
	static const struct {
		const char *k, *v;
	} strs[] = { { "dq", "1.0" }, { "sq", "true" }, { "str", "123" }, { "nonspec", "12" },
		     { "block", "line1\nline2\n" }, { "folded", "a b" }, { "text", "hello world" },
		     { "date", "2024-01-01" } };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		ck_assert_msg(json_is_string(json_object_get(v, strs[i].k)) &&
			      strcmp(sval(v, strs[i].k, NULL), strs[i].v) == 0, "%s is not \"%s\"", strs[i].k,
			      strs[i].v);
	ck_assert_int_eq(json_integer_value(json_object_get(v, "custom")), 7); /* unknown tag ignored */
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_yaml_anchors_and_merge)
{
	osmdiag_source *src = load_ok(data("anchors.yaml"));
	json_t *o = get(src, "Anchors", NULL, "anchors");
	ck_assert_ptr_nonnull(o);
	json_t *m = json_object_get(o, "merged");
	ck_assert_int_eq(json_integer_value(json_object_get(m, "a")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(m, "b")), 3); /* explicit key wins */
	ck_assert_ptr_null(json_object_get(m, "<<"));
	json_t *mu = json_object_get(o, "multi");
	ck_assert_int_eq(json_integer_value(json_object_get(mu, "b")), 20); /* earlier mapping wins */
	ck_assert_int_eq(json_integer_value(json_object_get(mu, "a")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(mu, "c")), 30);
	json_t *base = json_object_get(o, "base"), *copy = json_object_get(o, "copy");
	ck_assert(json_equal(base, copy));
	ck_assert_ptr_ne(json_object_get(base, "nested"), json_object_get(copy, "nested")); /* deep copy */
	json_t *lists = json_object_get(o, "lists");
	ck_assert_uint_eq(json_array_size(lists), 2);
	ck_assert(json_equal(json_array_get(lists, 0), json_object_get(o, "list")));
	ck_assert_str_eq(sval(o, "quoted", "<<"), "not a merge");
	ck_assert_str_eq(sval(o, "key", NULL), "v");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(o, "alias_key"), "key")), 5);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_secret_keys_dropped)
{
	osmdiag_source *src = load_ok(data("secret.yaml"));
	json_t *s = get(src, "Secret", "kube-system", "osm-ca-bundle");
	ck_assert_ptr_nonnull(s);
	json_t *d = json_object_get(s, "data");
	ck_assert_uint_eq(json_object_size(d), 1);
	ck_assert_str_eq(sval(d, "ca.crt", NULL), "Q0EgQ0VSVA==");
	ck_assert_uint_eq(json_object_size(json_object_get(s, "stringData")), 1);
	json_t *ann = json_object_get(json_object_get(s, "metadata"), "annotations");
	ck_assert_ptr_null(json_object_get(ann, "kubectl.kubernetes.io/last-applied-configuration"));
	ck_assert_str_eq(sval(ann, "keep", NULL), "me");
	/* nothing private is reachable through the public API either */
	char *out = NULL;
	ck_assert_int_eq(osmdiag_source_list_json(src, "Secret", NULL, NULL, &out), OSMDIAG_OK);
	ck_assert_ptr_null(strstr(out, "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t"));
	ck_assert_ptr_null(strstr(out, "PRIVATE KEY"));
	ck_assert_ptr_null(strstr(out, "VExTIENFUlQ="));
	osmdiag_free(out);
	/* other kinds keep their data */
	ck_assert_str_eq(sval(get(src, "ConfigMap", "kube-system", "not-a-secret"), "data", "private.key"), "stays");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_file_any_extension)
{
	osmdiag_source *src = load_ok(data("snapshot.txt"));
	ck_assert_ptr_nonnull(get(src, "Namespace", NULL, "from-txt"));
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_directory_tree)
{
	/* hidden entries, README.md and logs.txt are skipped; order is sorted, last wins */
	osmdiag_source *src = load_ok(data("tree"));
	ck_assert_uint_eq(osmdiag_source_object_count(src), 3);
	ck_assert_str_eq(sval(get(src, "ConfigMap", "x", "dup"), "data", "from"), "z.yml");
	ck_assert_ptr_nonnull(get(src, "Namespace", NULL, "deep"));
	ck_assert_ptr_nonnull(get(src, "Pod", "ns1", "pod-a"));
	osmdiag_source_free(src);
	/* a trailing slash is fine */
	char p[1100];
	snprintf(p, sizeof(p), "%s/", data("tree"));
	src = load_ok(p);
	ck_assert_uint_eq(osmdiag_source_object_count(src), 3);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_directory_symlinks)
{
	write_text("d/a.yaml", "kind: Namespace\nmetadata: {name: a}\n");
	write_text("outside/real.yaml", "kind: Namespace\nmetadata: {name: linked}\n");
	write_text("outside/other.yaml", "kind: Namespace\nmetadata: {name: not-followed}\n");
	ck_assert_int_eq(symlink(tp("d"), tp("d/loop")), 0);                  /* a loop: not followed */
	ck_assert_int_eq(symlink(tp("outside"), tp("d/dirlink")), 0);         /* symlinked dir: skipped */
	ck_assert_int_eq(symlink(tp("outside/real.yaml"), tp("d/link.yaml")), 0); /* symlinked file: read */
	osmdiag_source *src = load_ok(tp("d"));
	ck_assert_uint_eq(osmdiag_source_object_count(src), 2);
	ck_assert_ptr_nonnull(get(src, "Namespace", NULL, "linked"));
	ck_assert_ptr_null(get(src, "Namespace", NULL, "not-followed"));
	osmdiag_source_free(src);
	/* a symlink given as the top path is followed */
	src = load_ok(tp("d/dirlink"));
	ck_assert_uint_eq(osmdiag_source_object_count(src), 2);
	osmdiag_source_free(src);
	/* a broken symlink to a snapshot file is an error naming it */
	ck_assert_int_eq(symlink(tp("nowhere.yaml"), tp("d/broken.yaml")), 0);
	expect_error(tp("d"), tp("d/broken.yaml"), OSMDIAG_ENOTFOUND, "broken symbolic link", NULL);
}
END_TEST

START_TEST(test_cluster_info_dump_layout)
{
	/* the layout `kubectl cluster-info dump --output-directory` writes */
	write_text("dump/nodes.json", "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":["
		"{\"metadata\":{\"name\":\"node-1\"}},{\"metadata\":{\"name\":\"node-2\"}}]}");
	write_text("dump/kube-system/pods.json", "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},"
		"\"items\":[{\"metadata\":{\"name\":\"osm-controller-1\",\"namespace\":\"kube-system\","
		"\"labels\":{\"app\":\"osm-controller\"}}}]}");
	write_text("dump/kube-system/events.json", "{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"metadata\":{},"
		"\"items\":[]}");
	write_text("dump/kube-system/deployments.json", "{\"kind\":\"DeploymentList\",\"apiVersion\":\"apps/v1\","
		"\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"osm-controller\",\"namespace\":\"kube-system\"}}]}");
	write_text("dump/kube-system/osm-controller-1/logs.txt", "{\"level\":\"info\"} not: [json\n\x01");
	osmdiag_source *src = load_ok(tp("dump"));
	ck_assert_uint_eq(osmdiag_source_object_count(src), 4);
	json_t *d = get(src, "Deployment", "kube-system", "osm-controller");
	ck_assert_str_eq(sval(d, "apiVersion", NULL), "apps/v1");
	osmdiag_source_free(src);

	/* and the generated fixture, when present */
	const char *fx = th_path("tests/fixtures/cluster-info-dump");
	struct stat st;
	if (stat(fx, &st) == 0) {
		src = load_ok(fx);
		ck_assert_uint_gt(osmdiag_source_object_count(src), 10);
		char *out = NULL;
		ck_assert_int_eq(osmdiag_source_list_json(src, "Node", NULL, NULL, &out), OSMDIAG_OK);
		ck_assert_str_ne(out, "[]");
		osmdiag_free(out);
		osmdiag_source_free(src);
	}
}
END_TEST

START_TEST(test_deep_nesting_ok)
{
	/* 200 levels is allowed (the limit is 256) */
	char buf[1024];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "kind: Deep\nmetadata: {name: d}\nspec: ");
	for (int i = 0; i < 200; i++)
		buf[n++] = '[';
	for (int i = 0; i < 200; i++)
		buf[n++] = ']';
	buf[n++] = '\n';
	buf[n] = '\0';
	osmdiag_source *src = load_ok(write_text("deep-ok.yaml", buf));
	osmdiag_source_free(src);
}
END_TEST

/* ---- errors ------------------------------------------------------------------------ */

START_TEST(test_missing_path)
{
	expect_error(tp("does/not/exist.yaml"), NULL, OSMDIAG_ENOTFOUND, "no such file or directory", NULL);
	expect_error(tp("nope"), NULL, OSMDIAG_ENOTFOUND, NULL, NULL);
}
END_TEST

START_TEST(test_invalid_json)
{
	expect_error(data("bad-json.json"), NULL, OSMDIAG_EPARSE, "bad-json.json:3:", "invalid JSON");
	const char *dup = write_text("dup.json", "{\"kind\":\"Pod\",\n\"kind\":\"Pod\"}");
	expect_error(dup, NULL, OSMDIAG_EPARSE, "invalid JSON", "duplicate");
	const char *scalar = write_text("scalar.json", "[1, 2]");
	expect_error(scalar, NULL, OSMDIAG_EPARSE, "element #1 of the top-level array", "expected an object, found a number");
}
END_TEST

START_TEST(test_invalid_yaml)
{
	expect_error(data("bad-yaml.yaml"), NULL, OSMDIAG_EPARSE, "bad-yaml.yaml:4:", "mapping values are not allowed");
	const char *p = write_text("tab.yaml", "kind: Pod\nmetadata:\n\tname: x\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "tab.yaml:3:", NULL);
	p = write_text("unclosed.yaml", "kind: Pod\nmetadata: {name: x\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "unclosed.yaml:3:", NULL);
	p = write_text("complex-key.yaml", "kind: Pod\nmetadata: {name: x}\n? [a, b]\n: c\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "complex-key.yaml:3:", "mapping keys must be scalars");
	p = write_text("map-key.yaml", "kind: Pod\nmetadata: {name: x}\n{a: 1}: c\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "map-key.yaml:3:", "mapping keys must be scalars");
	p = write_text("dup-key.yaml", "kind: Pod\nmetadata:\n  name: x\n  name: y\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "dup-key.yaml:4:3:", "duplicate mapping key \"name\"");
	p = write_text("unknown-alias.yaml", "kind: Pod\nmetadata:\n  name: *nope\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "unknown-alias.yaml:3:9:", "unknown anchor \"nope\"");
	p = write_text("self-alias.yaml", "kind: Pod\nmetadata: &m\n  name: x\n  self: *m\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "self-alias.yaml:4:", "unknown anchor");
	p = write_text("bad-merge.yaml", "kind: Pod\nmetadata:\n  name: x\n  <<: 5\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "bad-merge.yaml:4:", "merge key");
	p = write_text("bad-int.yaml", "kind: Pod\nmetadata: {name: x}\nn: !!int abc\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "bad-int.yaml:3:4:", "invalid !!int value \"abc\"");
	p = write_text("bad-bool.yaml", "kind: Pod\nmetadata: {name: x}\nn: !!bool yes\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "bad-bool.yaml:3:", "invalid !!bool");
	p = write_text("inf.yaml", "kind: Pod\nmetadata: {name: x}\nn: -.inf\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "inf.yaml:3:4:", "cannot be represented in JSON");
	p = write_text("hexbig.yaml", "kind: Pod\nmetadata: {name: x}\nn: 0xffffffffffffffffff\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "hexbig.yaml:3:", "64 bits");
}
END_TEST

START_TEST(test_binary_junk)
{
	unsigned char junk[4096];
	unsigned int seed = 42;
	for (size_t i = 0; i < sizeof(junk); i++) {
		seed = seed * 1103515245u + 12345u;
		junk[i] = (unsigned char)(seed >> 16);
	}
	junk[100] = 0;
	const char *p = write_bytes("junk.yaml", junk, sizeof(junk));
	expect_error(p, NULL, OSMDIAG_EPARSE, "not a text file", NULL);
	/* no NUL but invalid UTF-8 (Latin-1), with the place */
	p = write_text("latin1.yaml", "kind: Pod\nmetadata:\n  name: caf\xe9\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "latin1.yaml:3:12: not a text file", "0xe9");
	p = write_bytes("nul.json", "{\"kind\":\n\"Po\0d\"}", 16);
	expect_error(p, NULL, OSMDIAG_EPARSE, "nul.json:2:4: not a text file", "NUL");
	p = write_bytes("utf16.json", "\xff\xfe{\0\"\0", 6);
	expect_error(p, NULL, OSMDIAG_EPARSE, "UTF-16", NULL);
	/* random printable noise that is neither JSON nor a Kubernetes object */
	p = write_text("noise.yaml", "%%%% ::: @@@ ```\n");
	expect_error(p, NULL, OSMDIAG_EPARSE, "noise.yaml:1:", NULL);
}
END_TEST

START_TEST(test_empty_files)
{
	expect_error(data("empty.yaml"), NULL, OSMDIAG_EPARSE, "no objects", NULL);
	expect_error(data("comments-only.yaml"), NULL, OSMDIAG_EPARSE, "no objects", NULL);
	expect_error(write_text("ws.json", "  \n\t\n"), NULL, OSMDIAG_EPARSE, "no objects", NULL);
	expect_error(write_text("docs.yaml", "---\n---\n...\n"), NULL, OSMDIAG_EPARSE, "no objects", NULL);
	expect_error(write_text("null.yaml", "null\n"), NULL, OSMDIAG_EPARSE, "no objects", NULL);
}
END_TEST

START_TEST(test_wrong_types)
{
	expect_error(data("no-kind.yaml"), NULL, OSMDIAG_EPARSE, "document 2 (line 4)", "object has no \"kind\"");
	expect_error(data("name-number-in-list.json"), NULL, OSMDIAG_EPARSE,
		     "object #2 in items of List", "metadata.name is a number, expected a string");
	static const struct {
		const char *text, *n1, *n2;
	} rows[] = {
		{ "kind: 5\nmetadata: {name: a}\n", "document 1 (line 1)", "kind is a number, expected a string" },
		{ "kind: [Pod]\nmetadata: {name: a}\n", "document 1 (line 1)", "kind is an array, expected a string" },
		{ "kind: Pod\n", "document 1 (line 1)", "Pod has no \"metadata\"" },
		{ "kind: Pod\nmetadata: x\n", "Pod: metadata is a string", NULL },
		{ "kind: Pod\nmetadata: [a]\n", "Pod: metadata is an array", NULL },
		{ "kind: Pod\nmetadata: {namespace: a}\n", "has no \"metadata.name\"", NULL },
		{ "kind: Pod\nmetadata: {name: 12}\n", "metadata.name is a number, expected a string", NULL },
		{ "kind: Pod\nmetadata: {name: true}\n", "metadata.name is a boolean", NULL },
		{ "kind: Pod\nmetadata: {name: ''}\n", "metadata.name is empty", NULL },
		{ "kind: Pod\nmetadata: {name: a, namespace: 3}\n", "Pod a: metadata.namespace is a number", NULL },
		{ "kind: Pod\nmetadata: {name: a, namespace: }\n", "metadata.namespace is null", NULL },
		{ "kind: List\nitems: x\n", "items of List is a string, expected an array", NULL },
		{ "kind: PodList\nitems: {a: 1}\n", "items of PodList is an object, expected an array", NULL },
		{ "kind: List\nmetadata: {}\n", "List has no \"items\"", NULL },
		{ "kind: List\nitems: [a]\n", "object #1 in items of List", "expected an object, found a string" },
		{ "kind: List\nitems: [{metadata: {name: a}}]\n", "object #1 in items of List", "has no \"kind\"" },
		{ "kind: PodList\nitems: [{metadata: {name: a}}, {metadata: 1}]\n", "object #2 in items of PodList",
		  "metadata is a number" },
		{ "a: 1\n---\n- 1\n", "document 1 (line 1)", "has no \"kind\"" },
		{ "kind: Namespace\nmetadata: {name: a}\n---\nhello\n", "document 2 (line 3)",
		  "expected an object, found a string" },
		{ "kind: Namespace\nmetadata: {name: a}\n---\n- kind: Namespace\n  metadata: {name: b}\n- 7\n",
		  "document 2 (line 3): element #2 of the top-level array", "found a number" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "wrong-%zu.yaml", i);
		expect_error(write_text(name, rows[i].text), NULL, OSMDIAG_EPARSE, rows[i].n1, rows[i].n2);
	}
	/* nested lists: the whole path is named */
	const char *p = write_text("nested-bad.json", "{\"kind\":\"List\",\"items\":[{\"kind\":\"List\",\"items\":"
		"[{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}},{\"kind\":\"Pod\",\"metadata\":{\"name\":[]}}]}]}");
	expect_error(p, NULL, OSMDIAG_EPARSE, "object #1 in items of List: object #2 in items of List",
		     "metadata.name is an array");
}
END_TEST

START_TEST(test_alias_bomb)
{
	expect_error(data("alias-bomb.yaml"), NULL, OSMDIAG_EPARSE, "alias-bomb.yaml:", "excessive aliasing");
}
END_TEST

START_TEST(test_deep_nesting)
{
	enum { DEPTH = 100000 };
	size_t cap = 2 * DEPTH + 128;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	/* YAML flow sequences */
	size_t n = (size_t)snprintf(buf, cap, "kind: Deep\nmetadata: {name: d}\nspec: ");
	for (int i = 0; i < DEPTH; i++)
		buf[n++] = '[';
	for (int i = 0; i < DEPTH; i++)
		buf[n++] = ']';
	buf[n] = '\0';
	expect_error(write_bytes("deep.yaml", buf, n), NULL, OSMDIAG_EPARSE, "deep.yaml:3:", "deeper than 256");
	/* block mappings */
	const char *blk = write_text("deep-block.yaml", "");
	FILE *f = fopen(blk, "w");
	fputs("kind: Deep\nmetadata: {name: d}\n", f);
	for (int i = 0; i < 300; i++)
		fprintf(f, "%*sk:\n", i, "");
	fclose(f);
	expect_error(blk, NULL, OSMDIAG_EPARSE, "deeper than 256", NULL);
	/* JSON */
	n = (size_t)snprintf(buf, cap, "{\"kind\":\"Deep\",\"metadata\":{\"name\":\"d\"},\"spec\":");
	for (int i = 0; i < DEPTH; i++)
		buf[n++] = '[';
	for (int i = 0; i < DEPTH; i++)
		buf[n++] = ']';
	buf[n++] = '}';
	expect_error(write_bytes("deep.json", buf, n), NULL, OSMDIAG_EPARSE, "deep.json:1:", "invalid JSON");
	free(buf);
}
END_TEST

START_TEST(test_too_large)
{
	const char *p = tp("huge.json");
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	/* sparse: no disk space used */
	ck_assert_int_eq(ftruncate(fd, (off_t)513 << 20), 0);
	close(fd);
	expect_error(p, NULL, OSMDIAG_EPARSE, "larger than 512 MiB", NULL);
}
END_TEST

/* Writes a kubectl-style PodList of about `bytes` bytes; returns the pod count. */
static size_t write_big_list(const char *path, size_t bytes, size_t *len_out)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	size_t len = 0, n = 0;
	len += (size_t)fprintf(f, "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n");
	while (len < bytes) {
		len += (size_t)fprintf(f, "%s    {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": "
			"\"app-%06zu-7d9c8b6f5-abcde\", \"namespace\": \"ns-%03zu\", \"uid\": "
			"\"2c0d5f7e-1b3a-4c5d-8e9f-%012zu\", \"labels\": {\"app\": \"app-%zu\", \"pod-template-hash\": "
			"\"7d9c8b6f5\", \"osm-proxy-uuid\": \"b0b1b2b3-b4b5-b6b7-b8b9-babbbcbdbebf\"}, \"annotations\": "
			"{\"openservicemesh.io/sidecar-injection\": \"enabled\"}}, \"spec\": {\"containers\": [{\"name\": "
			"\"app\", \"image\": \"example.azurecr.io/app:1.2.3\", \"ports\": [{\"containerPort\": 8080}]}, "
			"{\"name\": \"envoy\", \"image\": \"mcr.microsoft.com/oss/envoyproxy/envoy:v1.26.4\", \"args\": "
			"[\"--log-level\", \"error\"]}]}, \"status\": {\"phase\": \"Running\", \"podIP\": \"10.244.%zu.%zu\"}}",
			n ? ",\n" : "", n, n % 200, n, n % 500, (n / 250) % 250, n % 250);
		n++;
	}
	len += (size_t)fprintf(f, "\n  ]\n}\n");
	fclose(f);
	*len_out = len;
	return n;
}

START_TEST(test_big_json_list)
{
	const char *p = tp("big.json");
	size_t len;
	size_t n = write_big_list(p, (size_t)50 << 20, &len);
	ck_assert_uint_ge(len, (size_t)50 << 20);
	osmdiag_source *src = load_ok(p);
	ck_assert_uint_eq(osmdiag_source_object_count(src), n);
	ck_assert_ptr_nonnull(get(src, "Pod", "ns-007", "app-000007-7d9c8b6f5-abcde"));
	/* a fetch over all of them is fast too */
	osmdiag__fetch req = { "Pod", "ns-005", "app in (app-5,app-205)", NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0 };
	ck_assert_int_eq(osmdiag__source_fetch(src, &req, 1, 0), OSMDIAG_OK);
	ck_assert_int_eq(req.code, 0);
	size_t want = 0;
	for (size_t k = 0; k < n; k++)
		want += k % 200 == 5 && (k % 500 == 5 || k % 500 == 205);
	ck_assert_uint_gt(want, 0);
	ck_assert_uint_eq(json_array_size(req.items), want);
	osmdiag__fetch_release(&req, 1);
	osmdiag_source_free(src);

	/* the same file cut in the middle */
	ck_assert_int_eq(truncate(p, (off_t)(len / 2)), 0);
	expect_error(p, NULL, OSMDIAG_EPARSE, "invalid JSON", NULL);
	osmdiag_source *s2 = src_new();
	ck_assert_int_eq(osmdiag_source_add_snapshot(s2, p), OSMDIAG_EPARSE);
	/* the error is at the end of the file: line about n/2 + 4 (one item per line) */
	const char *msg = osmdiag_source_errmsg(s2);
	const char *at = strstr(msg, "big.json:");
	ck_assert_ptr_nonnull(at);
	long line = strtol(at + strlen("big.json:"), NULL, 10);
	ck_assert_msg(line > (long)(n / 2) - 10 && line < (long)(n / 2) + 10, "line %ld for %zu items: %s", line,
		      n, msg);
	osmdiag_source_free(s2);
}
END_TEST

START_TEST(test_dir_failure_is_atomic)
{
	write_text("mixed/a-good.yaml", "kind: Namespace\nmetadata: {name: good}\n");
	write_text("mixed/sub/b-bad.json", "{\"kind\": \"Namespace\", \"metadata\": {\"name\": 1}}");
	write_text("mixed/c-good.yaml", "kind: Namespace\nmetadata: {name: good2}\n");
	osmdiag_source *src = load_ok(data("pod.json"));
	ck_assert_int_eq(osmdiag_source_add_snapshot(src, tp("mixed")), OSMDIAG_EPARSE);
	ck_assert_ptr_nonnull(strstr(osmdiag_source_errmsg(src), tp("mixed/sub/b-bad.json")));
	ck_assert_ptr_nonnull(strstr(osmdiag_source_errmsg(src), "metadata.name is a number"));
	/* the earlier add stays, nothing of the failed add was kept */
	ck_assert_uint_eq(osmdiag_source_object_count(src), 1);
	ck_assert_ptr_null(get(src, "Namespace", NULL, "good"));
	/* a later successful add clears the error and wins object by object */
	write_text("later.json", "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\"app\","
		"\"labels\":{\"app\":\"later\"}}}");
	ck_assert_int_eq(osmdiag_source_add_snapshot(src, tp("later.json")), OSMDIAG_OK);
	ck_assert_int_eq(osmdiag_source_errcode(src), 0);
	ck_assert_uint_eq(osmdiag_source_object_count(src), 1);
	ck_assert_str_eq(sval(json_object_get(get(src, "Pod", "app", "web-1"), "metadata"), "labels", "app"),
		"later");
	osmdiag_source_free(src);

	write_text("nothing/logs.txt", "x");
	write_text("nothing/.hidden.yaml", "kind: Namespace\nmetadata: {name: h}\n");
	expect_error(tp("nothing"), NULL, OSMDIAG_ENOTFOUND, "no snapshot files", NULL);
}
END_TEST

/* ---- fetch and the public API -------------------------------------------------------- */

START_TEST(test_fetch_batch)
{
	osmdiag_source *src = load_ok(data("podlist-no-kinds.yaml"));
	ck_assert_int_eq(osmdiag_source_add_snapshot(src, data("pod.json")), OSMDIAG_OK);
	osmdiag__fetch reqs[] = {
		{ "Pod", NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0 },
		{ "Pod", "ns1", NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0 },
		{ "Pod", NULL, "app=web", NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0 },
		{ "Pod", NULL, "app in (web", NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0 },
		{ "Service", NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0 },
		{ "", NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0 },
		/* field selectors, applied by osmdiag__source_fetch for every source */
		{ "Pod", NULL, NULL, NULL, 0, 0, NULL, "metadata.name=a", NULL, NULL, NULL, 0 },
		{ "Pod", NULL, NULL, NULL, 0, 0, NULL, "metadata.namespace==app,metadata.name!=a", NULL, NULL, NULL, 0 },
		{ "Pod", NULL, NULL, NULL, 0, 0, NULL, "spec.nodeName=x", NULL, NULL, NULL, 0 },
	};
	ck_assert_int_eq(osmdiag__source_fetch(src, reqs, 9, 1000), OSMDIAG_OK);
	for (size_t i = 0; i < json_array_size(reqs[6].items); i++)
		ck_assert_str_eq(sval(json_array_get(reqs[6].items, i), "metadata", "name"), "a");
	ck_assert_uint_ge(json_array_size(reqs[6].items), 1);
	for (size_t i = 0; i < json_array_size(reqs[7].items); i++) {
		ck_assert_str_eq(sval(json_array_get(reqs[7].items, i), "metadata", "namespace"), "app");
		ck_assert_str_ne(sval(json_array_get(reqs[7].items, i), "metadata", "name"), "a");
	}
	ck_assert_int_eq(reqs[8].code, OSMDIAG_EINVAL);
	ck_assert_ptr_nonnull(strstr(reqs[8].message, "spec.nodeName=x"));
	osmdiag__fetch_release(reqs + 6, 3);
	ck_assert_int_eq(reqs[0].code, 0);
	ck_assert_uint_eq(json_array_size(reqs[0].items), 4);
	ck_assert_str_eq(sval(json_array_get(reqs[0].items, 0), "metadata", "namespace"), "app");
	ck_assert_uint_eq(json_array_size(reqs[1].items), 2);
	ck_assert_str_eq(sval(json_array_get(reqs[1].items, 0), "metadata", "name"), "a");
	ck_assert_uint_eq(json_array_size(reqs[2].items), 1);
	ck_assert_int_eq(reqs[3].code, OSMDIAG_EINVAL);
	ck_assert_ptr_null(reqs[3].items);
	ck_assert_ptr_nonnull(strstr(reqs[3].message, "unable to parse requirement"));
	ck_assert_ptr_nonnull(strstr(reqs[3].message, "app in (web"));
	ck_assert_int_eq(reqs[4].code, 0);
	ck_assert(json_is_array(reqs[4].items));
	ck_assert_uint_eq(json_array_size(reqs[4].items), 0);
	ck_assert_int_eq(reqs[5].code, OSMDIAG_EINVAL);
	osmdiag__fetch_release(reqs, 6);
	ck_assert_ptr_null(reqs[0].items);
	ck_assert_ptr_null(reqs[3].message);
	ck_assert_int_eq(osmdiag__source_fetch(src, NULL, 0, 0), OSMDIAG_OK);
	osmdiag__fetch_release(NULL, 3);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_public_api)
{
	osmdiag_source *src = load_ok(data("podlist-no-kinds.yaml"));
	char *out = NULL;
	ck_assert_int_eq(osmdiag_source_list_json(src, "Pod", "ns1", NULL, &out), OSMDIAG_OK);
	json_t *arr = json_loads(out, 0, NULL);
	ck_assert_uint_eq(json_array_size(arr), 2);
	json_decref(arr);
	osmdiag_free(out);
	ck_assert_int_eq(osmdiag_source_list_json(src, "Pod", "", "", &out), OSMDIAG_OK);
	arr = json_loads(out, 0, NULL);
	ck_assert_uint_eq(json_array_size(arr), 3);
	json_decref(arr);
	osmdiag_free(out);
	ck_assert_int_eq(osmdiag_source_list_json(src, "Secret", NULL, NULL, &out), OSMDIAG_OK);
	ck_assert_str_eq(out, "[]");
	osmdiag_free(out);

	ck_assert_int_eq(osmdiag_source_list_json(src, "Pod", NULL, "a notin", &out), OSMDIAG_EINVAL);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(osmdiag_source_errcode(src), OSMDIAG_EINVAL);
	ck_assert_ptr_nonnull(strstr(osmdiag_source_errmsg(src), "invalid label selector \"a notin\""));
	ck_assert_int_eq(osmdiag_source_list_json(src, NULL, NULL, NULL, &out), OSMDIAG_EINVAL);
	ck_assert_int_eq(osmdiag_source_list_json(src, "Pod", NULL, NULL, NULL), OSMDIAG_EINVAL);
	ck_assert_int_eq(osmdiag_source_list_json(NULL, "Pod", NULL, NULL, &out), OSMDIAG_EINVAL);
	ck_assert_int_eq(osmdiag_source_add_snapshot(src, NULL), OSMDIAG_EINVAL);
	ck_assert_int_eq(osmdiag_source_add_snapshot(src, ""), OSMDIAG_EINVAL);
	ck_assert_int_eq(osmdiag_source_add_snapshot(NULL, "x"), OSMDIAG_EINVAL);
	ck_assert_str_eq(osmdiag_source_errmsg(NULL), "");
	ck_assert_str_eq(osmdiag_source_kind(NULL), "");
	ck_assert_uint_eq(osmdiag_source_object_count(NULL), 0);
	ck_assert_ptr_null(osmdiag__snapshot_store(NULL));
	osmdiag_source_free(src);
	osmdiag_source_free(NULL);
	osmdiag_free(NULL);
	src = osmdiag_source_new_snapshot(NULL); /* err is optional */
	ck_assert_ptr_nonnull(src);
	osmdiag_source_free(src);
}
END_TEST

static Suite *snapshot_suite(void)
{
	Suite *s = suite_create("snapshot");
	TCase *ok = tcase_create("valid");
	tcase_add_unchecked_fixture(ok, tmp_setup, tmp_teardown);
	tcase_add_test(ok, test_json_object);
	tcase_add_test(ok, test_yaml_list_without_item_kinds);
	tcase_add_test(ok, test_nested_lists);
	tcase_add_test(ok, test_equal_subtrees_shared);
	tcase_add_test(ok, test_multi_doc);
	tcase_add_test(ok, test_top_level_arrays_and_streams);
	tcase_add_test(ok, test_yaml_core_schema);
	tcase_add_test(ok, test_yaml_anchors_and_merge);
	tcase_add_test(ok, test_secret_keys_dropped);
	tcase_add_test(ok, test_file_any_extension);
	tcase_add_test(ok, test_directory_tree);
	tcase_add_test(ok, test_directory_symlinks);
	tcase_add_test(ok, test_cluster_info_dump_layout);
	tcase_add_test(ok, test_deep_nesting_ok);
	suite_add_tcase(s, ok);

	TCase *bad = tcase_create("errors");
	tcase_add_unchecked_fixture(bad, tmp_setup, tmp_teardown);
	tcase_add_test(bad, test_missing_path);
	tcase_add_test(bad, test_invalid_json);
	tcase_add_test(bad, test_invalid_yaml);
	tcase_add_test(bad, test_binary_junk);
	tcase_add_test(bad, test_empty_files);
	tcase_add_test(bad, test_wrong_types);
	tcase_add_test(bad, test_alias_bomb);
	tcase_add_test(bad, test_deep_nesting);
	tcase_add_test(bad, test_too_large);
	tcase_add_test(bad, test_dir_failure_is_atomic);
	suite_add_tcase(s, bad);

	TCase *big = tcase_create("big");
	tcase_add_unchecked_fixture(big, tmp_setup, tmp_teardown);
	tcase_set_timeout(big, 600);
	tcase_add_test(big, test_big_json_list);
	suite_add_tcase(s, big);

	TCase *api = tcase_create("api");
	tcase_add_test(api, test_fetch_batch);
	tcase_add_test(api, test_public_api);
	suite_add_tcase(s, api);
	return s;
}

int main(void)
{
	return th_main(snapshot_suite());
}
