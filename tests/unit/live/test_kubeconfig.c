/* Live source, configuration: kubeconfig parsing, merging, relative paths, null
 * tolerance, context selection, auth-provider, CA + insecure, in-cluster. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "source/live/live.h"
#include "test_live.h"

static osmdiag__live_config *load_ok(const char *file, const char *ctx)
{
	osmdiag__live_config *cfg = NULL;
	osmdiag_error err;
	osmdiag_error_clear(&err);
	int rc = osmdiag__kubeconfig_load(file ? th_path(file) : NULL, ctx, &cfg, &err);
	ck_assert_msg(rc == OSMDIAG_OK, "load %s/%s: %d %s", file ? file : "(default)", ctx ? ctx : "-", rc,
		err.message);
	ck_assert_ptr_nonnull(cfg);
	return cfg;
}

static int load_err(const char *file, const char *ctx, osmdiag_error *err)
{
	osmdiag__live_config *cfg = NULL;
	osmdiag_error_clear(err);
	int rc = osmdiag__kubeconfig_load(file ? th_path(file) : NULL, ctx, &cfg, err);
	ck_assert_ptr_null(cfg);
	ck_assert_int_ne(rc, OSMDIAG_OK);
	ck_assert_int_eq(rc, err->code);
	return rc;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

START_TEST(test_current_context_token)
{
	osmdiag__live_config *cfg = load_ok("tests/data/kubeconfig/basic.yaml", NULL);
	ck_assert_str_eq(cfg->context, "ctx-token");
	ck_assert_str_eq(cfg->server, "https://127.0.0.1:6443"); /* trailing slash dropped */
	ck_assert_str_eq(cfg->token, "tok-123");
	ck_assert_str_eq(cfg->namespace_, "osm-system");
	ck_assert_str_eq(cfg->tls_server_name, "kubernetes.default");
	ck_assert_str_eq(cfg->proxy_url, "socks5h://proxy.example:1080");
	/* certificate-authority is relative to the kubeconfig's directory */
	ck_assert_ptr_nonnull(cfg->ca);
	ck_assert_ptr_nonnull(strstr((const char *)cfg->ca, "FILECA"));
	ck_assert_int_eq(cfg->insecure, 0);
	ck_assert_ptr_null(cfg->exec);
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_cert_files_and_data_precedence)
{
	osmdiag__live_config *cfg = load_ok("tests/data/kubeconfig/basic.yaml", "ctx-certfiles");
	ck_assert_str_eq(cfg->server, "https://kube.example:443"); /* scheme added */
	ck_assert_ptr_nonnull(strstr((const char *)cfg->ca, "DATACA")); /* -data wins over the file */
	ck_assert_ptr_nonnull(strstr((const char *)cfg->cert, "CLIENTCERT"));
	ck_assert_ptr_nonnull(strstr((const char *)cfg->key, "CLIENTKEY"));
	ck_assert_int_eq(cfg->disable_compression, 1);
	ck_assert_str_eq(cfg->namespace_, "default");
	osmdiag__live_config_free(cfg);

	cfg = load_ok("tests/data/kubeconfig/basic.yaml", "ctx-certdata");
	ck_assert_int_eq(cfg->insecure, 1);
	ck_assert_ptr_null(cfg->ca);
	ck_assert_ptr_nonnull(strstr((const char *)cfg->cert, "DATACERT"));
	ck_assert_ptr_nonnull(strstr((const char *)cfg->key, "DATAKEY"));
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_token_file_and_anonymous)
{
	osmdiag__live_config *cfg = load_ok("tests/data/kubeconfig/basic.yaml", "ctx-tokenfile");
	ck_assert_ptr_nonnull(cfg->token_file);
	ck_assert_msg(cfg->token_file[0] == '/' &&
		ends_with(cfg->token_file, "tests/data/kubeconfig/certs/token"), "token file %s", cfg->token_file);
	osmdiag__live_config_free(cfg);

	cfg = load_ok("tests/data/kubeconfig/basic.yaml", "ctx-anonymous"); /* user: null */
	ck_assert_ptr_null(cfg->token);
	ck_assert_ptr_null(cfg->cert);
	osmdiag__live_config_free(cfg);
	cfg = load_ok("tests/data/kubeconfig/basic.yaml", "ctx-nouser");
	ck_assert_ptr_null(cfg->user);
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_exec_stanza)
{
	osmdiag__live_config *cfg = load_ok("tests/data/kubeconfig/basic.yaml", "ctx-exec");
	ck_assert_ptr_nonnull(cfg->exec);
	/* a command with a '/' resolves against the kubeconfig's directory */
	ck_assert_msg(cfg->exec->command[0] == '/' &&
		ends_with(cfg->exec->command, "tests/data/kubeconfig/../exec/token-v1beta1.sh"),
		"command %s", cfg->exec->command);
	ck_assert_int_eq((int)cfg->exec->nargs, 0);   /* args: null */
	ck_assert_int_eq((int)cfg->exec->nenv, 0);    /* env: null */
	ck_assert_str_eq(cfg->exec->api_version, "client.authentication.k8s.io/v1beta1");
	ck_assert_str_eq(cfg->exec->install_hint, "install the fake plugin from tests/data/exec");
	ck_assert_int_eq(cfg->exec->provide_cluster_info, 1);
	osmdiag__live_config_free(cfg);

	cfg = load_ok("tests/data/kubeconfig/basic.yaml", "ctx-exec-path");
	/* a bare command stays a PATH lookup */
	ck_assert_str_eq(cfg->exec->command, "kubelogin");
	ck_assert_int_eq((int)cfg->exec->nargs, 5);
	ck_assert_str_eq(cfg->exec->args[0], "kubelogin");
	ck_assert_str_eq(cfg->exec->args[1], "get-token");
	ck_assert_ptr_null(cfg->exec->args[6]);
	ck_assert_int_eq((int)cfg->exec->nenv, 1);
	ck_assert_str_eq(cfg->exec->env[0], "FOO=bar");
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_context_errors)
{
	osmdiag_error err;
	load_err("tests/data/kubeconfig/basic.yaml", "no-such-context", &err);
	ck_assert_int_eq(err.code, OSMDIAG_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err.message, "context \"no-such-context\" not found"));
	load_err("tests/data/kubeconfig/basic.yaml", "ctx-missing-cluster", &err);
	ck_assert_ptr_nonnull(strstr(err.message, "cluster \"nope\""));
	load_err("tests/data/kubeconfig/basic.yaml", "ctx-missing-user", &err);
	ck_assert_ptr_nonnull(strstr(err.message, "user \"nobody\""));
	load_err("tests/data/kubeconfig/basic.yaml", "ctx-noserver", &err);
	ck_assert_ptr_nonnull(strstr(err.message, "has no server"));
	/* every list null: loads, no context to use */
	load_err("tests/data/kubeconfig/nulls.yaml", NULL, &err);
	ck_assert_int_eq(err.code, OSMDIAG_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err.message, "no current-context"));
	load_err("tests/data/kubeconfig/nulls.yaml", "x", &err);
	ck_assert_ptr_nonnull(strstr(err.message, "not found"));
}
END_TEST

START_TEST(test_file_errors)
{
	osmdiag_error err;
	load_err("tests/data/kubeconfig/does-not-exist.yaml", NULL, &err);
	ck_assert_int_eq(err.code, OSMDIAG_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.message, "does-not-exist.yaml"));
	load_err("tests/data/kubeconfig/invalid.yaml", NULL, &err);
	ck_assert_int_eq(err.code, OSMDIAG_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err.message, "invalid.yaml"));
	load_err("tests/data/kubeconfig/not-a-map.yaml", NULL, &err);
	ck_assert_int_eq(err.code, OSMDIAG_ECONFIG);
	load_err("tests/data/kubeconfig/cert-no-key.yaml", NULL, &err);
	ck_assert_ptr_nonnull(strstr(err.message, "without client-key"));
	load_err("tests/data/kubeconfig/missing-ca-file.yaml", NULL, &err);
	ck_assert_int_eq(err.code, OSMDIAG_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err.message, "nope.pem"));
	load_err("tests/data/kubeconfig/bad-base64.yaml", NULL, &err);
	ck_assert_ptr_nonnull(strstr(err.message, "certificate-authority-data is not valid base64"));
	load_err("tests/data/kubeconfig/bad-exec-api.yaml", NULL, &err);
	ck_assert_ptr_nonnull(strstr(err.message, "v1alpha1"));
	/* a directory is not a kubeconfig */
	load_err("tests/data/kubeconfig", NULL, &err);
	ck_assert_int_eq(err.code, OSMDIAG_ECONFIG);
}
END_TEST

START_TEST(test_auth_provider_unsupported)
{
	osmdiag_error err;
	load_err("tests/data/kubeconfig/auth-provider.yaml", NULL, &err);
	ck_assert_int_eq(err.code, OSMDIAG_ENOTSUPPORTED);
	ck_assert_ptr_nonnull(strstr(err.message, "auth-provider \"azure\""));
	ck_assert_ptr_nonnull(strstr(err.message, "kubelogin convert-kubeconfig"));
	/* the public constructor says the same */
	osmdiag_source *src = osmdiag_source_new_kubeconfig(th_path("tests/data/kubeconfig/auth-provider.yaml"),
		NULL, &err);
	ck_assert_ptr_null(src);
	ck_assert_int_eq(err.code, OSMDIAG_ENOTSUPPORTED);
}
END_TEST

START_TEST(test_ca_and_insecure_conflict)
{
	osmdiag_error err;
	load_err("tests/data/kubeconfig/ca-insecure.yaml", NULL, &err);
	ck_assert_int_eq(err.code, OSMDIAG_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err.message, "insecure"));
}
END_TEST

START_TEST(test_kubeconfig_list_merge)
{
	char list[2048];
	osmdiag__live_config *cfg;

	/* missing files are skipped, duplicates ignored, first file wins */
	snprintf(list, sizeof(list), "%s::%s:%s:%s", th_path("tests/data/kubeconfig/merge-a.yaml"),
		th_path("tests/data/kubeconfig/missing.yaml"), th_path("tests/data/kubeconfig/sub/merge-b.yaml"),
		th_path("tests/data/kubeconfig/merge-a.yaml"));
	ck_assert_int_eq(setenv("KUBECONFIG", list, 1), 0);
	cfg = load_ok(NULL, NULL);
	ck_assert_str_eq(cfg->context, "a-ctx");                    /* current-context of the first file */
	ck_assert_str_eq(cfg->server, "https://a.example:6443");   /* cluster "shared" of the first */
	ck_assert_str_eq(cfg->token, "token-from-a");
	osmdiag__live_config_free(cfg);

	/* a context from the first file pointing at a cluster of the second: the
	 * cluster's relative CA path resolves against the second file's dir */
	cfg = load_ok(NULL, "to-b");
	ck_assert_str_eq(cfg->server, "https://only-b.example");
	ck_assert_ptr_nonnull(strstr((const char *)cfg->ca, "CA-B"));
	osmdiag__live_config_free(cfg);

	/* b-ctx only exists in the second file; its user's tokenFile is ../certs/token from sub/ */
	cfg = load_ok(NULL, "b-ctx");
	ck_assert_msg(ends_with(cfg->token_file, "tests/data/kubeconfig/sub/../certs/token"), "%s",
		cfg->token_file);
	osmdiag__live_config_free(cfg);

	/* an explicit --kubeconfig is used alone */
	cfg = load_ok("tests/data/kubeconfig/sub/merge-b.yaml", NULL);
	ck_assert_str_eq(cfg->context, "b-ctx");
	osmdiag__live_config_free(cfg);

	/* only missing files: a clear error */
	snprintf(list, sizeof(list), "/nonexistent/a:/nonexistent/b");
	ck_assert_int_eq(setenv("KUBECONFIG", list, 1), 0);
	unsetenv("KUBERNETES_SERVICE_HOST");
	osmdiag_error err;
	load_err(NULL, NULL, &err);
	ck_assert_int_eq(err.code, OSMDIAG_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.message, "KUBECONFIG"));
	unsetenv("KUBECONFIG");
}
END_TEST

START_TEST(test_home_default_and_incluster_fallback)
{
	char dir[] = "/tmp/osmdiag-live-home-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	unsetenv("KUBECONFIG");
	setenv("HOME", dir, 1);
	unsetenv("KUBERNETES_SERVICE_HOST");
	osmdiag_error err;
	load_err(NULL, NULL, &err);
	ck_assert_int_eq(err.code, OSMDIAG_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.message, ".kube/config"));

	/* no kubeconfig but in a pod: in-cluster */
	char tok[512];
	snprintf(tok, sizeof(tok), "%s/token", dir);
	FILE *f = fopen(tok, "w");
	ck_assert_ptr_nonnull(f);
	fputs("sa-token\n", f);
	fclose(f);
	setenv("OSMDIAG_SERVICEACCOUNT_DIR", dir, 1);
	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	setenv("POD_NAMESPACE", "osm-test", 1);
	osmdiag__live_config *cfg = load_ok(NULL, NULL);
	ck_assert_int_eq(cfg->in_cluster, 1);
	ck_assert_str_eq(cfg->server, "https://[fd00::1]:443");
	ck_assert_str_eq(cfg->namespace_, "osm-test");
	ck_assert_ptr_null(cfg->ca); /* no ca.crt: not fatal */
	osmdiag__live_config_free(cfg);
	unlink(tok);
	/* the token must exist */
	ck_assert_ptr_null(osmdiag_source_new_in_cluster(&err));
	ck_assert_int_eq(err.code, OSMDIAG_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err.message, "token"));
	unsetenv("KUBERNETES_SERVICE_HOST");
	ck_assert_ptr_null(osmdiag_source_new_in_cluster(&err));
	ck_assert_ptr_nonnull(strstr(err.message, "KUBERNETES_SERVICE_HOST"));
	unsetenv("KUBERNETES_SERVICE_PORT");
	unsetenv("OSMDIAG_SERVICEACCOUNT_DIR");
	unsetenv("POD_NAMESPACE");
	rmdir(dir);
}
END_TEST

START_TEST(test_public_constructor_description)
{
	osmdiag_error err;
	osmdiag_source *src = osmdiag_source_new_kubeconfig(th_path("tests/data/kubeconfig/basic.yaml"),
		"ctx-certdata", &err);
	ck_assert_msg(src != NULL, "%s", err.message);
	ck_assert_str_eq(osmdiag_source_kind(src), "live");
	ck_assert_str_eq(osmdiag_source_description(src), "context \"ctx-certdata\" (https://10.0.0.1)");
	ck_assert_int_eq((int)osmdiag_source_request_count(src), 0);
	ck_assert_int_eq(osmdiag_source_set_max_concurrency(src, 4), OSMDIAG_OK);
	osmdiag_source_free(src);
	/* no credentials in the description even for a token user */
	src = osmdiag_source_new_kubeconfig(th_path("tests/data/kubeconfig/basic.yaml"), NULL, &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_null(strstr(osmdiag_source_description(src), "tok-123"));
	osmdiag_source_free(src);
}
END_TEST

void live_add_kubeconfig_tests(Suite *s)
{
	TCase *tc = tcase_create("kubeconfig");
	tcase_add_test(tc, test_current_context_token);
	tcase_add_test(tc, test_cert_files_and_data_precedence);
	tcase_add_test(tc, test_token_file_and_anonymous);
	tcase_add_test(tc, test_exec_stanza);
	tcase_add_test(tc, test_context_errors);
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_auth_provider_unsupported);
	tcase_add_test(tc, test_ca_and_insecure_conflict);
	tcase_add_test(tc, test_kubeconfig_list_merge);
	tcase_add_test(tc, test_home_default_and_incluster_fallback);
	tcase_add_test(tc, test_public_constructor_description);
	suite_add_tcase(s, tc);
}
