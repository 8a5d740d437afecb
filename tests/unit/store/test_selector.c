/* Label selectors: text grammar (kubectl), metav1.LabelSelector, matching. */
#include <string.h>

#include "harness.h"
#include "store/store.h"

TCase *selector_tcase(void);

static const char *LABELS = "{\"app\":\"web\",\"tier\":\"front\",\"env\":\"prod\",\"num\":\"10\","
			    "\"a.b/c\":\"x\",\"empty\":\"\"}";

static const struct {
	const char *sel;
	int match;
} match_rows[] = {
	{ "", 1 },
	{ "app=web", 1 },
	{ "app==web", 1 },
	{ "app=db", 0 },
	{ "app!=db", 1 },
	{ "app!=web", 0 },
	{ "missing!=x", 1 },            /* != matches objects without the key */
	{ "app in (web,db)", 1 },
	{ "app in (db)", 0 },
	{ "app notin (db)", 1 },
	{ "app notin (db,web)", 0 },
	{ "missing notin (x)", 1 },     /* notin matches objects without the key */
	{ "missing in (x)", 0 },
	{ "app", 1 },
	{ "missing", 0 },
	{ "!missing", 1 },
	{ "!app", 0 },
	{ "! missing", 1 },
	{ "app=web,tier=front", 1 },
	{ "app=web,tier=back", 0 },
	{ "  app = web ,\ttier in ( front , back )  ", 1 },
	{ "app=web,!missing,env", 1 },
	{ "a.b/c=x", 1 },
	{ "a.b/c!=x", 0 },
	{ "example.com/role", 0 },
	{ "empty=", 1 },                /* empty value */
	{ "empty==", 1 },
	{ "app=", 0 },
	{ "missing=", 0 },
	{ "empty in (,x)", 1 },         /* "(," is the empty value, as in Kubernetes */
	{ "app in (x,)", 0 },
	{ "app in (web,web)", 1 },
	{ "num>5", 1 },
	{ "num<5", 0 },
	{ "num>10", 0 },
	{ "app>5", 0 },                 /* not an integer: no match */
	{ "missing<5", 0 },
	{ "in=x", 0 },                  /* "in" is a key here */
	{ "app in (web),tier notin (x)", 1 },
	{ "app=web,app=web", 1 },
};

START_TEST(test_match_table)
{
	json_t *labels = json_loads(LABELS, 0, NULL);
	char err[256];
	ck_assert_ptr_nonnull(labels);
	for (size_t i = 0; i < sizeof(match_rows) / sizeof(match_rows[0]); i++) {
		err[0] = '\0';
		osmdiag__selector *sel = osmdiag__selector_parse(match_rows[i].sel, err, sizeof(err));
		ck_assert_msg(sel != NULL, "selector \"%s\" did not parse: %s", match_rows[i].sel, err);
		int m = osmdiag__selector_matches(sel, labels);
		ck_assert_msg(m == match_rows[i].match, "selector \"%s\": matches=%d, expected %d",
			      match_rows[i].sel, m, match_rows[i].match);
		osmdiag__selector_free(sel);
	}
	json_decref(labels);
}
END_TEST

START_TEST(test_no_labels)
{
	/* objects without labels (NULL) or with a non-object labels value */
	static const struct {
		const char *sel;
		int match;
	} rows[] = {
		{ "", 1 }, { "app", 0 }, { "!app", 1 }, { "app!=x", 1 }, { "app notin (x)", 1 },
		{ "app=x", 0 }, { "app in (x)", 0 }, { "app=", 0 },
	};
	json_t *weird = json_string("not an object");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char err[256];
		osmdiag__selector *sel = osmdiag__selector_parse(rows[i].sel, err, sizeof(err));
		ck_assert_msg(sel != NULL, "%s: %s", rows[i].sel, err);
		ck_assert_msg(osmdiag__selector_matches(sel, NULL) == rows[i].match, "%s on no labels",
			      rows[i].sel);
		ck_assert_msg(osmdiag__selector_matches(sel, weird) == rows[i].match, "%s on bad labels",
			      rows[i].sel);
		osmdiag__selector_free(sel);
	}
	json_decref(weird);
	/* NULL text and NULL selector match everything */
	osmdiag__selector *all = osmdiag__selector_parse(NULL, NULL, 0);
	ck_assert_ptr_nonnull(all);
	ck_assert_int_eq(osmdiag__selector_matches(all, NULL), 1);
	osmdiag__selector_free(all);
	ck_assert_int_eq(osmdiag__selector_matches(NULL, NULL), 1);
	osmdiag__selector_free(NULL);
}
END_TEST

static const struct {
	const char *sel;
	const char *err; /* expected substring */
} error_rows[] = {
	{ "app=web,", "found '', expected: identifier after ','" },
	{ ",app", "found ',', expected: !, identifier, or 'end of string'" },
	{ "app in web", "unable to parse requirement: found 'web' expected: '('" },
	{ "app in (web", "unable to parse requirement: found '', expected: ',' or ')'" },
	{ "app in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'" },
	{ "app in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier" },
	{ "app == == b", "unable to parse requirement: found '==', expected: identifier" },
	{ "app b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt" },
	{ "app=web=x", "found '=', expected: ',' or 'end of string'" },
	{ "app=web tier=x", "found 'tier', expected: ',' or 'end of string'" },
	{ "!app=x", "found '=', expected: ',' or 'end of string'" },
	{ "!", "unable to parse requirement: found '', expected: identifier" },
	{ "()", "found '(', expected: !, identifier, or 'end of string'" },
	{ "-app=x", "unable to parse requirement: invalid label key \"-app\"" },
	{ "a/b/c=x", "unable to parse requirement: invalid label key \"a/b/c\"" },
	{ "Example.com/x=y", "unable to parse requirement: invalid label key \"Example.com/x\": prefix" },
	{ "/x=y", "prefix part must be non-empty" },
	{ "example.com/=y", "name part must be non-empty" },
	{ "app=-web", "unable to parse requirement: invalid label value \"-web\"" },
	{ "app=a_b_", "invalid label value" },
	{ "app=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "no more than 63" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "no more than 63" },
	{ "num>x", "must be an integer" },
	{ "num>", "unable to parse requirement" },
	{ "app in (a,b", "expected: ',' or ')'" },
};

START_TEST(test_error_table)
{
	for (size_t i = 0; i < sizeof(error_rows) / sizeof(error_rows[0]); i++) {
		char err[512] = "";
		osmdiag__selector *sel = osmdiag__selector_parse(error_rows[i].sel, err, sizeof(err));
		ck_assert_msg(sel == NULL, "selector \"%s\" parsed but should not", error_rows[i].sel);
		ck_assert_msg(strstr(err, error_rows[i].err) != NULL, "selector \"%s\": error \"%s\" lacks \"%s\"",
			      error_rows[i].sel, err, error_rows[i].err);
	}
	/* tiny or missing error buffers are fine */
	char tiny[4];
	ck_assert_ptr_null(osmdiag__selector_parse("a in", tiny, sizeof(tiny)));
	ck_assert_int_eq((int)strlen(tiny), 3);
	ck_assert_ptr_null(osmdiag__selector_parse("a in", NULL, 0));
}
END_TEST

static const struct {
	const char *ls;
	int match; /* against LABELS */
} json_rows[] = {
	{ "null", 1 },
	{ "{}", 1 },
	{ "{\"matchLabels\":null,\"matchExpressions\":null}", 1 },
	{ "{\"matchLabels\":{\"app\":\"web\"}}", 1 },
	{ "{\"matchLabels\":{\"app\":\"db\"}}", 0 },
	{ "{\"matchLabels\":{\"app\":\"web\",\"tier\":\"front\"}}", 1 },
	{ "{\"matchLabels\":{\"missing\":\"\"}}", 0 },
	{ "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\",\"values\":[\"db\",\"web\"]}]}", 1 },
	{ "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"NotIn\",\"values\":[\"web\"]}]}", 0 },
	{ "{\"matchExpressions\":[{\"key\":\"missing\",\"operator\":\"NotIn\",\"values\":[\"web\"]}]}", 1 },
	{ "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Exists\"}]}", 1 },
	{ "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Exists\",\"values\":[]}]}", 1 },
	{ "{\"matchExpressions\":[{\"key\":\"missing\",\"operator\":\"Exists\"}]}", 0 },
	{ "{\"matchExpressions\":[{\"key\":\"missing\",\"operator\":\"DoesNotExist\"}]}", 1 },
	{ "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"DoesNotExist\",\"values\":null}]}", 0 },
	{ "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\","
	  "\"values\":[\"dev\"]}]}", 0 },
	{ "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\","
	  "\"values\":[\"prod\"]}]}", 1 },
};

START_TEST(test_json_table)
{
	json_t *labels = json_loads(LABELS, 0, NULL);
	for (size_t i = 0; i < sizeof(json_rows) / sizeof(json_rows[0]); i++) {
		json_t *ls = json_loads(json_rows[i].ls, JSON_DECODE_ANY, NULL);
		ck_assert_msg(ls != NULL, "bad test JSON %s", json_rows[i].ls);
		char err[256] = "";
		osmdiag__selector *sel = osmdiag__selector_from_json(ls, err, sizeof(err));
		ck_assert_msg(sel != NULL, "%s: %s", json_rows[i].ls, err);
		ck_assert_msg(osmdiag__selector_matches(sel, labels) == json_rows[i].match, "%s: expected %d",
			      json_rows[i].ls, json_rows[i].match);
		osmdiag__selector_free(sel);
		json_decref(ls);
	}
	osmdiag__selector *sel = osmdiag__selector_from_json(NULL, NULL, 0);
	ck_assert_ptr_nonnull(sel);
	ck_assert_int_eq(osmdiag__selector_matches(sel, labels), 1);
	osmdiag__selector_free(sel);
	json_decref(labels);
}
END_TEST

static const struct {
	const char *ls;
	const char *err;
} json_error_rows[] = {
	{ "[]", "label selector must be an object" },
	{ "{\"matchLabels\":[]}", "matchLabels must be an object" },
	{ "{\"matchLabels\":{\"app\":1}}", "matchLabels.app must be a string" },
	{ "{\"matchLabels\":{\"-bad\":\"x\"}}", "invalid label key \"-bad\"" },
	{ "{\"matchLabels\":{\"app\":\"-bad\"}}", "invalid label value \"-bad\"" },
	{ "{\"matchExpressions\":{}}", "matchExpressions must be an array" },
	{ "{\"matchExpressions\":[1]}", "matchExpressions[0] must be an object" },
	{ "{\"matchExpressions\":[{\"operator\":\"Exists\"}]}", "matchExpressions[0].key must be a string" },
	{ "{\"matchExpressions\":[{\"key\":\"a\"}]}", "matchExpressions[0].operator must be a string" },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Foo\"}]}",
	  "\"Foo\" is not a valid label selector operator" },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"in\",\"values\":[\"x\"]}]}",
	  "\"in\" is not a valid label selector operator" },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\"}]}", "values set can't be empty" },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"NotIn\",\"values\":[]}]}",
	  "values set can't be empty" },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\",\"values\":[\"x\"]}]}",
	  "values set must be empty" },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":\"x\"}]}",
	  "matchExpressions[0].values must be an array" },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\"},{\"key\":\"a\",\"operator\":\"In\","
	  "\"values\":[\"x\",2]}]}", "matchExpressions[1].values[1] must be a string" },
};

START_TEST(test_json_error_table)
{
	for (size_t i = 0; i < sizeof(json_error_rows) / sizeof(json_error_rows[0]); i++) {
		json_t *ls = json_loads(json_error_rows[i].ls, JSON_DECODE_ANY, NULL);
		ck_assert_msg(ls != NULL, "bad test JSON %s", json_error_rows[i].ls);
		char err[256] = "";
		osmdiag__selector *sel = osmdiag__selector_from_json(ls, err, sizeof(err));
		ck_assert_msg(sel == NULL, "%s: accepted but should not", json_error_rows[i].ls);
		ck_assert_msg(strstr(err, json_error_rows[i].err) != NULL, "%s: error \"%s\" lacks \"%s\"",
			      json_error_rows[i].ls, err, json_error_rows[i].err);
		json_decref(ls);
	}
}
END_TEST

TCase *selector_tcase(void)
{
	TCase *tc = tcase_create("selector");
	tcase_add_test(tc, test_match_table);
	tcase_add_test(tc, test_no_labels);
	tcase_add_test(tc, test_error_table);
	tcase_add_test(tc, test_json_table);
	tcase_add_test(tc, test_json_error_table);
	return tc;
}
