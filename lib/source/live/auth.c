/*
 * Credentials for the live source: static token / basic auth / client
 * certificate from the kubeconfig, a token file re-read every minute and on
 * 401 (bound service-account tokens rotate), and exec credential plugins
 * (client.authentication.k8s.io v1 and v1beta1) cached until their
 * expirationTimestamp and re-run once on 401, as client-go does.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "source/live/live.h"

/* Re-read a token file after this long (client-go: one minute). */
#define TOKEN_FILE_PERIOD_MS 60000.0
/* Refresh exec credentials this long before they expire (at most half their lifetime). */
#define EXEC_EXPIRY_SLACK_S 10

struct osmdiag__auth {
	const osmdiag__live_config *cfg; /* borrowed; outlives the auth object */
	char *token;                     /* from the token file or the plugin */
	char *cert, *key;                /* PEM from the plugin */
	time_t expiry;                   /* plugin credentials; 0 = no expiry */
	time_t obtained;                 /* when the plugin gave them */
	int have;                        /* token/cert/key loaded */
	int stale;                       /* refresh at the next get */
	double read_ms;                  /* when the token file was read */
	unsigned gen;
	unsigned refreshed_gen;          /* generation already refreshed after a 401 */
	unsigned exec_runs;
};

static void wipe(char **p)
{
	if (*p) {
		memset(*p, 0, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

osmdiag__auth *osmdiag__auth_new(const osmdiag__live_config *cfg)
{
	osmdiag__auth *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->cfg = cfg;
	a->gen = 1;
	return a;
}

void osmdiag__auth_free(osmdiag__auth *a)
{
	if (!a)
		return;
	wipe(&a->token);
	wipe(&a->cert);
	wipe(&a->key);
	free(a);
}

unsigned osmdiag__auth_exec_runs(const osmdiag__auth *a)
{
	return a ? a->exec_runs : 0;
}

int osmdiag__auth_invalidate(osmdiag__auth *a, unsigned gen)
{
	if (!a)
		return 0;
	if (gen != a->gen)
		return 1; /* rotated meanwhile: retry with the new credentials */
	if (!a->cfg->exec && !a->cfg->token_file)
		return 0;
	if (a->refreshed_gen == gen)
		return a->stale; /* refresh pending: retry with it; done and refused again: give up */
	a->refreshed_gen = gen;
	a->stale = 1;
	return 1;
}

/* ---- ExecCredential ------------------------------------------------------------ */

int osmdiag__exec_parse_credential(const char *text, size_t len, const char *want, char **token, char **cert,
	char **key, time_t *expiry, char *errbuf, size_t errlen)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, 0, &je);
	int rc = OSMDIAG_EEXEC;

	*token = *cert = *key = NULL;
	*expiry = 0;
	if (!doc) {
		/* never quote the output: it may hold a credential */
		snprintf(errbuf, errlen, "its output is not an ExecCredential JSON document (line %d: %s)", je.line,
			je.text);
		return OSMDIAG_EEXEC;
	}
	json_t *apiv = json_object_get(doc, "apiVersion");
	json_t *kind = json_object_get(doc, "kind");
	json_t *st = json_object_get(doc, "status");
	if (!json_is_string(apiv) || strcmp(json_string_value(apiv), want) != 0) {
		snprintf(errbuf, errlen, "it returned apiVersion \"%s\", but the kubeconfig asks for \"%s\"",
			json_is_string(apiv) ? json_string_value(apiv) : "", want);
		goto out;
	}
	if (!json_is_string(kind) || strcmp(json_string_value(kind), "ExecCredential") != 0) {
		snprintf(errbuf, errlen, "it returned kind \"%s\", want \"ExecCredential\"",
			json_is_string(kind) ? json_string_value(kind) : "");
		goto out;
	}
	if (!json_is_object(st)) {
		snprintf(errbuf, errlen, "it returned an ExecCredential without status");
		goto out;
	}
	json_t *t = json_object_get(st, "token");
	json_t *c = json_object_get(st, "clientCertificateData");
	json_t *k = json_object_get(st, "clientKeyData");
	json_t *x = json_object_get(st, "expirationTimestamp");
	int has_t = json_is_string(t) && *json_string_value(t);
	int has_c = json_is_string(c) && *json_string_value(c);
	int has_k = json_is_string(k) && *json_string_value(k);
	if (has_c != has_k) {
		snprintf(errbuf, errlen, "it returned only a certificate or a key, not both");
		goto out;
	}
	if (!has_t && !has_c) {
		snprintf(errbuf, errlen, "it returned neither a token nor a client certificate");
		goto out;
	}
	if (x && !json_is_null(x)) {
		if (!json_is_string(x) || osmdiag__parse_rfc3339(json_string_value(x), expiry) != 0) {
			snprintf(errbuf, errlen, "its status.expirationTimestamp is not an RFC 3339 time");
			goto out;
		}
	}
	if ((has_t && !(*token = osmdiag__strdup(json_string_value(t)))) ||
	    (has_c && !(*cert = osmdiag__strdup(json_string_value(c)))) ||
	    (has_k && !(*key = osmdiag__strdup(json_string_value(k))))) {
		wipe(token);
		wipe(cert);
		wipe(key);
		snprintf(errbuf, errlen, "out of memory");
		rc = OSMDIAG_ENOMEM;
		goto out;
	}
	rc = OSMDIAG_OK;
out:
	json_decref(doc);
	return rc;
}

static char *base64_encode(const unsigned char *in, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
			(i + 2 < n ? in[i + 2] : 0);
		*o++ = tab[v >> 18 & 63];
		*o++ = tab[v >> 12 & 63];
		*o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? tab[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/* KUBERNETES_EXEC_INFO=<ExecCredential with spec> */
static char *exec_info(const osmdiag__live_config *cfg)
{
	const osmdiag__exec_config *ec = cfg->exec;
	json_t *doc = json_pack("{s:s, s:s, s:{s:b}}", "apiVersion", ec->api_version, "kind", "ExecCredential",
		"spec", "interactive", 0);
	char *s = NULL, *out = NULL;

	if (!doc)
		return NULL;
	if (ec->provide_cluster_info) {
		json_t *cl = json_pack("{s:s}", "server", cfg->server);
		if (cl && cfg->tls_server_name)
			json_object_set_new(cl, "tls-server-name", json_string(cfg->tls_server_name));
		if (cl && cfg->insecure)
			json_object_set_new(cl, "insecure-skip-tls-verify", json_true());
		if (cl && cfg->ca) {
			char *b = base64_encode(cfg->ca, cfg->ca_len);
			if (b)
				json_object_set_new(cl, "certificate-authority-data", json_string(b));
			free(b);
		}
		if (cl && cfg->proxy_url)
			json_object_set_new(cl, "proxy-url", json_string(cfg->proxy_url));
		if (!cl || json_object_set_new(json_object_get(doc, "spec"), "cluster", cl) != 0) {
			json_decref(doc);
			return NULL;
		}
	}
	s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (s)
		out = osmdiag__asprintf("KUBERNETES_EXEC_INFO=%s", s);
	free(s);
	return out;
}

/* The plugin's stderr as one short line (last non-empty lines). */
static void stderr_line(const char *err, char *out, size_t outlen)
{
	size_t n = strlen(err);
	/* keep the tail: plugins print the reason last */
	const char *p = n > 300 ? err + n - 300 : err;
	size_t o = 0;
	int space = 0;
	for (; *p && o + 1 < outlen; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n' || c == '\r' || c == '\t' || c < 32) {
			space = o > 0;
			continue;
		}
		if (space) {
			if (o + 3 >= outlen)
				break;
			out[o++] = ';';
			out[o++] = ' ';
			space = 0;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
}

static int is_kubelogin_devicecode(const osmdiag__exec_config *ec)
{
	const char *base = strrchr(ec->command, '/');
	base = base ? base + 1 : ec->command;
	if (strcmp(base, "kubelogin") != 0)
		return 0;
	int has_login = 0;
	for (size_t i = 1; ec->args[i]; i++) {
		if (strcmp(ec->args[i], "devicecode") == 0)
			return 1;
		if (strcmp(ec->args[i], "-l") == 0 || strcmp(ec->args[i], "--login") == 0 ||
		    strncmp(ec->args[i], "--login=", 8) == 0)
			has_login = 1;
	}
	return !has_login; /* kubelogin's default login is devicecode */
}

static int run_exec(osmdiag__auth *a, double deadline, char *errbuf, size_t errlen)
{
	const osmdiag__exec_config *ec = a->cfg->exec;
	osmdiag__exec_result res;
	char why[512], line[400];
	char *info = exec_info(a->cfg);
	char **envx;
	int rc, cut = 0;

	if (!info) {
		snprintf(errbuf, errlen, "out of memory");
		return OSMDIAG_ENOMEM;
	}
	if (ec->interactive_always) {
		free(info);
		snprintf(errbuf, errlen, "exec plugin \"%s\" needs an interactive terminal "
			"(interactiveMode: Always), "
			"which osmdiag does not provide%s%s", ec->command, ec->install_hint ? ": " : "",
			ec->install_hint ? ec->install_hint : "");
		return OSMDIAG_EEXEC;
	}
	envx = calloc(ec->nenv + 2, sizeof(char *));
	if (!envx) {
		free(info);
		snprintf(errbuf, errlen, "out of memory");
		return OSMDIAG_ENOMEM;
	}
	for (size_t i = 0; i < ec->nenv; i++)
		envx[i] = ec->env[i];
	envx[ec->nenv] = info;
	a->exec_runs++;
	why[0] = '\0';
	long tmo = ec->timeout_ms > 0 ? ec->timeout_ms : OSMDIAG__EXEC_TIMEOUT_MS;
	if (deadline > 0 && deadline - osmdiag__now_ms() < (double)tmo) {
		/* the overall timeout ends first: the plugin gets what is left of it */
		double left = deadline - osmdiag__now_ms();
		tmo = left < 1 ? 1 : (long)left;
		cut = 1;
	}
	rc = osmdiag__exec_spawn(ec->command, ec->args, envx, tmo, OSMDIAG__EXEC_MAX_OUTPUT, &res, why,
		sizeof(why));
	free(envx);
	free(info);
	if (rc != OSMDIAG_OK)
		goto fail;
	rc = OSMDIAG_EEXEC;
	stderr_line(res.err, line, sizeof(line));
	if (res.timed_out) {
		snprintf(why, sizeof(why), "it did not finish within %.1f s%s%s%s", (double)tmo / 1000.0,
			cut ? " (what was left of the timeout)" : "", *line ? ": " : "", line);
		if (cut)
			rc = OSMDIAG_ETIMEOUT;
	} else if (res.too_large) {
		snprintf(why, sizeof(why), "its output is larger than %zu KiB", OSMDIAG__EXEC_MAX_OUTPUT >> 10);
	} else if (res.exit_status != 0) {
		snprintf(why, sizeof(why), "exit status %d%s%s", res.exit_status, *line ? ": " : "", line);
	} else {
		char *tok, *cert, *key;
		time_t exp;
		rc = osmdiag__exec_parse_credential(res.out, res.out_len, ec->api_version, &tok, &cert, &key, &exp,
			why, sizeof(why));
		if (rc == OSMDIAG_OK) {
			wipe(&a->token);
			wipe(&a->cert);
			wipe(&a->key);
			a->token = tok;
			a->cert = cert;
			a->key = key;
			a->expiry = exp;
			a->obtained = time(NULL);
			a->have = 1;
			a->gen++;
		}
	}
	osmdiag__exec_result_dispose(&res);
	if (rc == OSMDIAG_OK)
		return OSMDIAG_OK;
fail:
	snprintf(errbuf, errlen, "exec plugin \"%s\" failed: %s%s%s%s", ec->command, why,
		ec->install_hint ? " (" : "", ec->install_hint ? ec->install_hint : "", ec->install_hint ? ")" : "");
	if (is_kubelogin_devicecode(ec)) {
		size_t l = strlen(errbuf);
		snprintf(errbuf + l, errlen - l, "; kubelogin devicecode needs a person at a terminal: for "
			"unattended use run `kubelogin convert-kubeconfig -l azurecli` (or msi, spn, workloadidentity)");
	}
	return rc == OSMDIAG_ENOMEM || rc == OSMDIAG_ETIMEOUT ? rc : OSMDIAG_EEXEC;
}

static int read_token_file(osmdiag__auth *a, char *errbuf, size_t errlen)
{
	osmdiag_error e;
	char *buf;
	size_t len;
	int rc = osmdiag__live_read_file(a->cfg->token_file, OSMDIAG__LIVE_MAX_FILE, &buf, &len, &e);

	if (rc != OSMDIAG_OK) {
		if (a->cfg->token) /* client-go falls back to the token given with the file */
			return OSMDIAG_OK;
		snprintf(errbuf, errlen, "cannot read the token file: %s", e.message);
		return rc == OSMDIAG_ENOMEM ? rc : OSMDIAG_ECONFIG;
	}
	while (len && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	size_t skip = 0;
	while (buf[skip] && isspace((unsigned char)buf[skip]))
		skip++;
	if (!a->token || strcmp(a->token, buf + skip) != 0) {
		char *t = osmdiag__strdup(buf + skip);
		memset(buf, 0, len);
		free(buf);
		if (!t) {
			snprintf(errbuf, errlen, "out of memory");
			return OSMDIAG_ENOMEM;
		}
		wipe(&a->token);
		a->token = t;
		a->gen++;
	} else {
		memset(buf, 0, len);
		free(buf);
	}
	a->have = 1;
	a->read_ms = osmdiag__now_ms();
	return OSMDIAG_OK;
}

int osmdiag__auth_get(osmdiag__auth *a, double deadline, osmdiag__cred *out, char *errbuf, size_t errlen)
{
	const osmdiag__live_config *cfg = a->cfg;
	int rc;

	memset(out, 0, sizeof(*out));
	if (cfg->exec) {
		time_t now = time(NULL);
		/* refresh a little before expiry, but never more than half the lifetime early */
		time_t slack = EXEC_EXPIRY_SLACK_S;
		if (a->expiry && (a->expiry - a->obtained) / 2 < slack)
			slack = (a->expiry - a->obtained) / 2;
		if (slack < 0)
			slack = 0;
		if (!a->have || a->stale || (a->expiry && now + slack >= a->expiry)) {
			a->stale = 0;
			if ((rc = run_exec(a, deadline, errbuf, errlen)) != OSMDIAG_OK)
				return rc;
		}
	} else if (cfg->token_file) {
		if (!a->have || a->stale || osmdiag__now_ms() - a->read_ms >= TOKEN_FILE_PERIOD_MS) {
			a->stale = 0;
			if ((rc = read_token_file(a, errbuf, errlen)) != OSMDIAG_OK)
				return rc;
		}
	}
	out->token = a->token ? a->token : cfg->token;
	if (a->cert && a->key) {
		out->cert = (const unsigned char *)a->cert;
		out->cert_len = strlen(a->cert);
		out->key = (const unsigned char *)a->key;
		out->key_len = strlen(a->key);
	} else if (cfg->cert && cfg->key) {
		out->cert = cfg->cert;
		out->cert_len = cfg->cert_len;
		out->key = cfg->key;
		out->key_len = cfg->key_len;
	}
	if (!out->token && cfg->username) {
		out->username = cfg->username;
		out->password = cfg->password ? cfg->password : "";
	}
	out->gen = a->gen;
	return OSMDIAG_OK;
}
