/* Live source, credentials: exec plugin matrix (fake plugins in tests/data/exec),
 * expiry caching, refresh after 401, token files; plus fetch errors without a server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "harness.h"
#include "source/live/live.h"
#include "source/source_impl.h"
#include "test_live.h"

#define V1 "client.authentication.k8s.io/v1"
#define V1BETA1 "client.authentication.k8s.io/v1beta1"

static char tmpdir[128];

static void tmp_setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/osmdiag-live-exec-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void tmp_teardown(void)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

static const char *tmpfile_path(const char *name)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

/* A configuration whose user runs `script` (in tests/data/exec) with up to 2 args. */
static osmdiag__live_config *exec_cfg(const char *script, const char *apiv, const char *a1, const char *a2,
	const char *env1, const char *env2)
{
	osmdiag__live_config *cfg = calloc(1, sizeof(*cfg));
	osmdiag__exec_config *ec = calloc(1, sizeof(*ec));
	char rel[256];
	ck_assert_ptr_nonnull(cfg);
	ck_assert_ptr_nonnull(ec);
	cfg->server = strdup("https://127.0.0.1:6443");
	cfg->exec = ec;
	if (script[0] == '/' || !strchr(script, '.')) {
		ec->command = strdup(script);
	} else {
		snprintf(rel, sizeof(rel), "tests/data/exec/%s", script);
		ec->command = strdup(th_path(rel));
	}
	ec->api_version = strdup(apiv);
	ec->install_hint = strdup("see tests/data/exec/README");
	ec->args = calloc(4, sizeof(char *));
	ec->args[0] = strdup(script);
	if (a1)
		ec->args[++ec->nargs] = strdup(a1);
	if (a2)
		ec->args[++ec->nargs] = strdup(a2);
	ec->env = calloc(3, sizeof(char *));
	if (env1)
		ec->env[ec->nenv++] = strdup(env1);
	if (env2)
		ec->env[ec->nenv++] = strdup(env2);
	return cfg;
}

static int count_runs(const char *file)
{
	FILE *f = fopen(file, "r");
	int n = 0, c;
	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Runs the plugin once through the auth layer; returns the code, fills msg. */
static int get_once(osmdiag__live_config *cfg, osmdiag__cred *cred, char *msg, size_t len,
	osmdiag__auth **keep)
{
	osmdiag__auth *a = osmdiag__auth_new(cfg);
	ck_assert_ptr_nonnull(a);
	msg[0] = '\0';
	int rc = osmdiag__auth_get(a, 0, cred, msg, len);
	if (keep)
		*keep = a;
	else
		osmdiag__auth_free(a);
	return rc;
}

START_TEST(test_exec_token_v1_and_v1beta1)
{
	char msg[512];
	osmdiag__cred cred;
	osmdiag__auth *a;
	osmdiag__live_config *cfg = exec_cfg("token-v1.sh", V1, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), &a), OSMDIAG_OK);
	ck_assert_str_eq(cred.token, "exec-token-v1");
	ck_assert_ptr_null(cred.cert);
	osmdiag__auth_free(a);
	osmdiag__live_config_free(cfg);

	cfg = exec_cfg("token-v1beta1.sh", V1BETA1, "tok with spaces", NULL, NULL, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), &a), OSMDIAG_OK);
	ck_assert_str_eq(cred.token, "tok with spaces"); /* argv, no shell */
	osmdiag__auth_free(a);
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_exec_cert_key)
{
	char msg[512];
	osmdiag__cred cred;
	osmdiag__auth *a;
	char crt[512], key[512];
	snprintf(crt, sizeof(crt), "%s", th_path("tests/data/kubeconfig/certs/client.crt"));
	snprintf(key, sizeof(key), "%s", th_path("tests/data/kubeconfig/certs/client.key"));
	osmdiag__live_config *cfg = exec_cfg("cert.sh", V1, crt, key, NULL, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), &a), OSMDIAG_OK);
	ck_assert_ptr_null(cred.token);
	ck_assert_ptr_nonnull(cred.cert);
	ck_assert_ptr_nonnull(strstr((const char *)cred.cert, "-----BEGIN CERTIFICATE-----\nCLIENTCERT\n"));
	ck_assert_ptr_nonnull(strstr((const char *)cred.key, "CLIENTKEY"));
	osmdiag__auth_free(a);
	osmdiag__live_config_free(cfg);

	cfg = exec_cfg("only-cert.sh", V1, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), NULL), OSMDIAG_EEXEC);
	ck_assert_ptr_nonnull(strstr(msg, "not both"));
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_exec_wrong_api_version)
{
	char msg[512];
	osmdiag__cred cred;
	osmdiag__live_config *cfg = exec_cfg("wrong-api.sh", V1, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), NULL), OSMDIAG_EEXEC);
	ck_assert_ptr_nonnull(strstr(msg, "apiVersion"));
	ck_assert_ptr_nonnull(strstr(msg, V1BETA1));
	ck_assert_ptr_null(strstr(msg, "wrong-api-token"));
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_exec_failure_stderr_hint)
{
	char msg[512];
	osmdiag__cred cred;
	osmdiag__live_config *cfg = exec_cfg("fail.sh", V1, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), NULL), OSMDIAG_EEXEC);
	ck_assert_msg(strstr(msg, "exit status 3") && strstr(msg, "AADSTS70043") &&
		strstr(msg, "run az login first") && strstr(msg, "see tests/data/exec/README"), "%s", msg);
	ck_assert_ptr_null(strchr(msg, '\n'));
	osmdiag__live_config_free(cfg);

	/* a plugin that does not exist: the install hint tells what to do */
	cfg = exec_cfg("no-such-plugin-osmdiag", V1, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), NULL), OSMDIAG_EEXEC);
	/* (glibc reports ENOENT from posix_spawnp; under valgrind the child exits 127) */
	ck_assert_msg((strstr(msg, "cannot run") || strstr(msg, "exit status 127")) &&
		strstr(msg, "see tests/data/exec/README"), "%s", msg);
	osmdiag__live_config_free(cfg);

	/* kubelogin without a login mode is devicecode: say how to run unattended */
	cfg = exec_cfg("/nonexistent/kubelogin", V1BETA1, "get-token", NULL, NULL, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), NULL), OSMDIAG_EEXEC);
	ck_assert_msg(strstr(msg, "devicecode") && strstr(msg, "convert-kubeconfig -l azurecli"), "%s", msg);
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_exec_not_json_never_echoed)
{
	char msg[512];
	osmdiag__cred cred;
	osmdiag__live_config *cfg = exec_cfg("not-json.sh", V1, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), NULL), OSMDIAG_EEXEC);
	ck_assert_ptr_nonnull(strstr(msg, "not an ExecCredential"));
	ck_assert_ptr_null(strstr(msg, "secret-looking"));
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_exec_huge_output)
{
	char msg[512];
	osmdiag__cred cred;
	osmdiag__live_config *cfg = exec_cfg("huge.sh", V1, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), NULL), OSMDIAG_EEXEC);
	ck_assert_msg(strstr(msg, "larger than 1024 KiB") != NULL, "%s", msg);
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_exec_slow_timeout)
{
	char msg[512];
	osmdiag__cred cred;
	osmdiag__live_config *cfg = exec_cfg("slow.sh", V1, NULL, NULL, NULL, NULL);
	cfg->exec->timeout_ms = 700;
	double t0 = osmdiag__now_ms();
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), NULL), OSMDIAG_EEXEC);
	double dt = osmdiag__now_ms() - t0;
	ck_assert_msg(dt < 5000, "took %.0f ms", dt);
	ck_assert_msg(strstr(msg, "did not finish within 0.7 s") && strstr(msg, "device code"), "%s", msg);
	osmdiag__live_config_free(cfg);
}
END_TEST

/* --timeout ends a plugin run long before the plugin's own limit */
START_TEST(test_exec_cut_by_deadline)
{
	char msg[512];
	osmdiag__cred cred;
	osmdiag__live_config *cfg = exec_cfg("slow.sh", V1, NULL, NULL, NULL, NULL);
	osmdiag__auth *a = osmdiag__auth_new(cfg);
	double t0 = osmdiag__now_ms();

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(osmdiag__auth_get(a, t0 + 600, &cred, msg, sizeof(msg)), OSMDIAG_ETIMEOUT);
	double dt = osmdiag__now_ms() - t0;
	ck_assert_msg(dt < 5000, "took %.0f ms", dt);
	ck_assert_msg(strstr(msg, "what was left of the timeout") && strstr(msg, "device code"), "%s", msg);
	/* no time left at all: the run ends at once */
	t0 = osmdiag__now_ms();
	ck_assert_int_eq(osmdiag__auth_get(a, t0 - 1, &cred, msg, sizeof(msg)), OSMDIAG_ETIMEOUT);
	ck_assert_msg(osmdiag__now_ms() - t0 < 3000, "took %.0f ms", osmdiag__now_ms() - t0);
	osmdiag__auth_free(a);
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_exec_env_and_exec_info)
{
	char msg[512], envc[300], envi[300];
	osmdiag__cred cred;
	osmdiag__auth *a;
	snprintf(envc, sizeof(envc), "INFO_FILE=%s", tmpfile_path("info.json"));
	snprintf(envi, sizeof(envi), "EXTRA=from-kubeconfig");
	osmdiag__live_config *cfg = exec_cfg("token-v1beta1.sh", V1BETA1, NULL, NULL, envc, envi);
	cfg->exec->provide_cluster_info = 1;
	cfg->tls_server_name = strdup("kubernetes");
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), &a), OSMDIAG_OK);
	osmdiag__auth_free(a);
	json_error_t je;
	json_t *info = json_load_file(tmpfile_path("info.json"), 0, &je);
	ck_assert_msg(info != NULL, "KUBERNETES_EXEC_INFO: %s", je.text);
	ck_assert_str_eq(json_string_value(json_object_get(info, "apiVersion")), V1BETA1);
	ck_assert_str_eq(json_string_value(json_object_get(info, "kind")), "ExecCredential");
	json_t *spec = json_object_get(info, "spec");
	ck_assert(json_is_false(json_object_get(spec, "interactive")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(spec, "cluster"), "server")),
		"https://127.0.0.1:6443");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(spec, "cluster"), "tls-server-name")),
		"kubernetes");
	json_decref(info);
	ck_assert_ptr_null(getenv("EXTRA")); /* our own environment is untouched */
	ck_assert_ptr_null(getenv("KUBERNETES_EXEC_INFO"));
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_exec_spawn_direct)
{
	osmdiag__exec_result res;
	char err[256];
	char *argv[] = { "sh", "-c", "echo out; echo \"v=$OSMDIAG_T\" >&2; read x; echo \"stdin=[$x]\"; exit 7",
		NULL };
	char *env[] = { "OSMDIAG_T=one", "OSMDIAG_T=two", NULL };
	ck_assert_int_eq(osmdiag__exec_spawn("/bin/sh", argv, env, 5000, 1024, &res, err, sizeof(err)),
		OSMDIAG_OK);
	ck_assert_int_eq(res.exit_status, 7);
	ck_assert_str_eq(res.out, "out\nstdin=[]\n"); /* stdin is /dev/null */
	ck_assert_str_eq(res.err, "v=two\n");           /* the later extra wins */
	osmdiag__exec_result_dispose(&res);
}
END_TEST

START_TEST(test_exec_expiry_cache)
{
	char msg[512], cnt[300];
	osmdiag__cred cred;
	osmdiag__auth *a;
	const char *count = tmpfile_path("count");
	snprintf(cnt, sizeof(cnt), "COUNT_FILE=%s", count);

	/* an hour of validity: cached */
	osmdiag__live_config *cfg = exec_cfg("token-v1.sh", V1, NULL, NULL, cnt, "EXPIRY_SECONDS=3600");
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), &a), OSMDIAG_OK);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_int_eq(count_runs(count), 1);
	ck_assert_int_eq((int)osmdiag__auth_exec_runs(a), 1);

	/* 401 with these credentials: one re-run, new generation */
	unsigned g = cred.gen;
	ck_assert_int_eq(osmdiag__auth_invalidate(a, g), 1);
	ck_assert_int_eq(osmdiag__auth_invalidate(a, g), 1); /* a second 401 before the refresh ran */
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_int_eq(count_runs(count), 2);
	ck_assert_uint_ne(cred.gen, g);
	/* another request that failed with the old generation just retries */
	ck_assert_int_eq(osmdiag__auth_invalidate(a, g), 1);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_int_eq(count_runs(count), 2);
	osmdiag__auth_free(a);
	osmdiag__live_config_free(cfg);

	/* already expired: every get re-runs */
	unlink(count);
	cfg = exec_cfg("token-v1.sh", V1, NULL, NULL, cnt, "EXPIRY_SECONDS=-60");
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), &a), OSMDIAG_OK);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_int_eq(count_runs(count), 2);
	osmdiag__auth_free(a);
	osmdiag__live_config_free(cfg);

	/* short-lived (4 s): refreshed when half the lifetime is left, not at once */
	unlink(count);
	cfg = exec_cfg("token-v1.sh", V1, NULL, NULL, cnt, "EXPIRY_SECONDS=4");
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), &a), OSMDIAG_OK);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_int_eq(count_runs(count), 1);
	sleep(3);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_int_eq(count_runs(count), 2);
	osmdiag__auth_free(a);
	osmdiag__live_config_free(cfg);

	/* no expirationTimestamp: cached for the life of the source */
	unlink(count);
	cfg = exec_cfg("token-v1.sh", V1, NULL, NULL, cnt, NULL);
	ck_assert_int_eq(get_once(cfg, &cred, msg, sizeof(msg), &a), OSMDIAG_OK);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_int_eq(count_runs(count), 1);
	osmdiag__auth_free(a);
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_token_file_reread_on_401)
{
	char msg[256];
	osmdiag__cred cred;
	const char *tf = tmpfile_path("token");
	FILE *f = fopen(tf, "w");
	fputs("  first-token\n", f);
	fclose(f);
	osmdiag__live_config *cfg = calloc(1, sizeof(*cfg));
	cfg->server = strdup("https://127.0.0.1:1");
	cfg->token_file = strdup(tf);
	osmdiag__auth *a = osmdiag__auth_new(cfg);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_str_eq(cred.token, "first-token");
	f = fopen(tf, "w");
	fputs("second-token", f);
	fclose(f);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_str_eq(cred.token, "first-token"); /* re-read only every minute ... */
	ck_assert_int_eq(osmdiag__auth_invalidate(a, cred.gen), 1);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_str_eq(cred.token, "second-token"); /* ... or after a 401 */
	/* refused again with the same token: nothing more to try */
	ck_assert_int_eq(osmdiag__auth_invalidate(a, cred.gen), 1);
	ck_assert_int_eq(osmdiag__auth_get(a, 0, &cred, msg, sizeof(msg)), OSMDIAG_OK);
	ck_assert_int_eq(osmdiag__auth_invalidate(a, cred.gen), 0);
	osmdiag__auth_free(a);
	osmdiag__live_config_free(cfg);
}
END_TEST

START_TEST(test_parse_credential_errors)
{
	char *t, *c, *k, msg[256];
	time_t exp;
	const char *bad[] = {
		"{\"apiVersion\":\"" V1 "\",\"kind\":\"ExecCredential\"}",
		"{\"apiVersion\":\"" V1 "\",\"kind\":\"ExecCredential\",\"status\":{}}",
		"{\"apiVersion\":\"" V1 "\",\"kind\":\"Other\",\"status\":{\"token\":\"x\"}}",
		"{\"apiVersion\":\"" V1 "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"x\","
		"\"expirationTimestamp\":\"tomorrow\"}}",
		"[]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(osmdiag__exec_parse_credential(bad[i], strlen(bad[i]), V1, &t, &c, &k, &exp, msg,
			sizeof(msg)), OSMDIAG_EEXEC);
		ck_assert_ptr_null(t);
	}
	const char *ok = "{\"apiVersion\":\"" V1 "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"x\","
		"\"expirationTimestamp\":\"2030-01-02T03:04:05Z\"}}";
	ck_assert_int_eq(osmdiag__exec_parse_credential(ok, strlen(ok), V1, &t, &c, &k, &exp, msg, sizeof(msg)),
		OSMDIAG_OK);
	ck_assert_str_eq(t, "x");
	ck_assert_int_eq((long long)exp, 1893553445LL);
	free(t);
}
END_TEST

/* A kubeconfig file for a server at `server` with `user_yaml`. */
static const char *write_kubeconfig(const char *name, const char *server, const char *user_yaml)
{
	const char *p = tmpfile_path(name);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: c\n  cluster:\n"
		"    server: %s\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n%s\n"
		"contexts:\n- name: t\n  context: {cluster: c, user: u}\n", server, user_yaml);
	fclose(f);
	return p;
}

/* A loopback port nobody listens on (bound, then closed). */
static int closed_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	return ntohs(sa.sin_port);
}

START_TEST(test_fetch_unreachable)
{
	osmdiag_error err;
	char *out = NULL, server[64], where[64];
	int port = closed_port();
	snprintf(server, sizeof(server), "https://127.0.0.1:%d", port);
	snprintf(where, sizeof(where), "127.0.0.1:%d", port);
	const char *kc = write_kubeconfig("kc.yaml", server, "    token: secret-token-value");
	osmdiag_source *src = osmdiag_source_new_kubeconfig(kc, NULL, &err);
	ck_assert_msg(src != NULL, "%s", err.message);
	int rc = osmdiag_source_list_json(src, "Pod", "kube-system", "app=x", &out);
	ck_assert_int_eq(rc, OSMDIAG_ENET);
	ck_assert_ptr_null(out);
	ck_assert_msg(strstr(osmdiag_source_errmsg(src), where) != NULL, "%s", osmdiag_source_errmsg(src));
	ck_assert_ptr_null(strstr(osmdiag_source_errmsg(src), "secret-token-value"));
	ck_assert_int_ge((int)osmdiag_source_request_count(src), 1);
	/* a kind the live source does not know */
	rc = osmdiag_source_list_json(src, "Gadget", NULL, NULL, &out);
	ck_assert_int_eq(rc, OSMDIAG_EINVAL);
	ck_assert_ptr_nonnull(strstr(osmdiag_source_errmsg(src), "Gadget"));
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_fetch_exec_failure_is_fatal)
{
	osmdiag_error err;
	char user[600];
	snprintf(user, sizeof(user), "    exec:\n      apiVersion: " V1 "\n      command: %s\n"
		"      installHint: install it", th_path("tests/data/exec/fail.sh"));
	const char *kc = write_kubeconfig("kc2.yaml", "https://127.0.0.1:1", user);
	osmdiag_source *src = osmdiag_source_new_kubeconfig(kc, NULL, &err);
	ck_assert_msg(src != NULL, "%s", err.message);
	osmdiag__fetch reqs[2] = { { .kind = "Pod" }, { .kind = "Namespace" } };
	int rc = osmdiag__source_fetch(src, reqs, 2, 2000);
	ck_assert_int_eq(rc, OSMDIAG_EEXEC);
	ck_assert_msg(strstr(osmdiag_source_errmsg(src), "AADSTS70043") &&
		strstr(osmdiag_source_errmsg(src), "install it"), "%s", osmdiag_source_errmsg(src));
	ck_assert_int_eq(reqs[0].code, OSMDIAG_EEXEC);
	ck_assert_int_eq((int)osmdiag_source_request_count(src), 0);
	osmdiag__fetch_release(reqs, 2);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(test_escape)
{
	char *e = osmdiag__http_escape("app in (a,b),!x");
	ck_assert_str_eq(e, "app%20in%20%28a%2Cb%29%2C%21x");
	free(e);
}
END_TEST

void live_add_exec_tests(Suite *s)
{
	TCase *tc = tcase_create("exec");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_exec_token_v1_and_v1beta1);
	tcase_add_test(tc, test_exec_cert_key);
	tcase_add_test(tc, test_exec_wrong_api_version);
	tcase_add_test(tc, test_exec_failure_stderr_hint);
	tcase_add_test(tc, test_exec_not_json_never_echoed);
	tcase_add_test(tc, test_exec_huge_output);
	tcase_add_test(tc, test_exec_slow_timeout);
	tcase_add_test(tc, test_exec_cut_by_deadline);
	tcase_add_test(tc, test_exec_env_and_exec_info);
	tcase_add_test(tc, test_exec_spawn_direct);
	tcase_add_test(tc, test_exec_expiry_cache);
	tcase_add_test(tc, test_token_file_reread_on_401);
	tcase_add_test(tc, test_parse_credential_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("fetch");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fetch_unreachable);
	tcase_add_test(tc, test_fetch_exec_failure_is_fatal);
	tcase_add_test(tc, test_escape);
	suite_add_tcase(s, tc);
}
