/*
 * kubeconfig loading with client-go semantics: file choice (explicit path,
 * KUBECONFIG list, ~/.kube/config), first-wins merge per map key, relative
 * paths resolved against the file that defined the stanza, context
 * selection, and validation into an osmdiag__live_config.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/live/live.h"
#include "source/yaml.h"

/* ---- small helpers ------------------------------------------------------------ */

int osmdiag__live_read_file(const char *path, size_t max, char **out, size_t *outlen, osmdiag_error *err)
{
	*out = NULL;
	if (outlen)
		*outlen = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		return osmdiag__error_set(err, e == ENOENT || e == ENOTDIR ? OSMDIAG_ENOTFOUND : OSMDIAG_ECONFIG,
			"%s: %s", path, strerror(e));
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "%s: is a directory", path);
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	}
	for (;;) {
		if (len + 1 >= cap) {
			if (cap > max + 1) {
				free(buf);
				close(fd);
				return osmdiag__error_set(err, OSMDIAG_ECONFIG, "%s: larger than %zu bytes", path, max);
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				close(fd);
				return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			return osmdiag__error_set(err, OSMDIAG_ECONFIG, "%s: cannot read: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (len > max) {
		free(buf);
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "%s: larger than %zu bytes", path, max);
	}
	buf[len] = '\0';
	*out = buf;
	if (outlen)
		*outlen = len;
	return OSMDIAG_OK;
}

void osmdiag__exec_config_free(osmdiag__exec_config *ec)
{
	if (!ec)
		return;
	free(ec->command);
	for (size_t i = 0; ec->args && ec->args[i]; i++)
		free(ec->args[i]);
	free(ec->args);
	for (size_t i = 0; ec->env && ec->env[i]; i++)
		free(ec->env[i]);
	free(ec->env);
	free(ec->api_version);
	free(ec->install_hint);
	free(ec);
}

static void wipe_free(void *p, size_t n)
{
	if (p && n)
		memset(p, 0, n); /* best effort: key material */
	free(p);
}

void osmdiag__live_config_free(osmdiag__live_config *c)
{
	if (!c)
		return;
	free(c->server);
	free(c->context);
	free(c->cluster);
	free(c->user);
	free(c->origin);
	free(c->tls_server_name);
	free(c->proxy_url);
	free(c->ca);
	free(c->cert);
	wipe_free(c->key, c->key_len);
	wipe_free(c->token, c->token ? strlen(c->token) : 0);
	free(c->token_file);
	free(c->username);
	wipe_free(c->password, c->password ? strlen(c->password) : 0);
	osmdiag__exec_config_free(c->exec);
	free(c->namespace_);
	free(c);
}

/* ---- merged kubeconfig ---------------------------------------------------------- */

typedef struct entry {
	char *name;
	json_t *obj;      /* the inner cluster/user/context mapping (may be NULL) */
	char *file;       /* defining file */
	char *dir;        /* its directory, for relative paths */
} entry;

typedef struct entries {
	entry *v;
	size_t n, cap;
} entries;

typedef struct merged {
	entries clusters, users, contexts;
	char *current_context;
	size_t files;     /* files read */
} merged;

static void entries_free(entries *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].name);
		json_decref(e->v[i].obj);
		free(e->v[i].file);
		free(e->v[i].dir);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static void merged_free(merged *m)
{
	entries_free(&m->clusters);
	entries_free(&m->users);
	entries_free(&m->contexts);
	free(m->current_context);
}

static const entry *entries_find(const entries *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->v[i].name, name) == 0)
			return &e->v[i];
	return NULL;
}

static char *dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	if (!slash)
		return osmdiag__strdup(".");
	if (slash == file)
		return osmdiag__strdup("/");
	return osmdiag__strndup(file, (size_t)(slash - file));
}

/* First-wins add of one named stanza list ("clusters", "users", "contexts"). */
static int merge_list(entries *e, json_t *root, const char *key, const char *inner, const char *file,
	osmdiag_error *err)
{
	json_t *list = json_object_get(root, key);
	size_t i;
	json_t *it;

	if (!list || json_is_null(list))
		return OSMDIAG_OK;
	if (!json_is_array(list))
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "%s: %s: want a list", file, key);
	json_array_foreach(list, i, it) {
		if (json_is_null(it))
			continue;
		if (!json_is_object(it))
			return osmdiag__error_set(err, OSMDIAG_ECONFIG, "%s: %s[%zu]: want a mapping", file, key, i);
		json_t *name = json_object_get(it, "name");
		if (!json_is_string(name) || !*json_string_value(name))
			continue; /* client-go ignores nameless entries too */
		if (entries_find(e, json_string_value(name)))
			continue; /* first file to set a key wins */
		json_t *obj = json_object_get(it, inner);
		if (obj && !json_is_null(obj) && !json_is_object(obj))
			return osmdiag__error_set(err, OSMDIAG_ECONFIG, "%s: %s[%zu].%s: want a mapping", file, key, i,
				inner);
		if (e->n == e->cap) {
			size_t ncap = e->cap ? e->cap * 2 : 8;
			entry *nv = realloc(e->v, ncap * sizeof(*nv));
			if (!nv)
				return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
			e->v = nv;
			e->cap = ncap;
		}
		entry *en = &e->v[e->n];
		en->name = osmdiag__strdup(json_string_value(name));
		en->obj = json_is_object(obj) ? json_incref(obj) : NULL;
		en->file = osmdiag__strdup(file);
		en->dir = dir_of(file);
		if (!en->name || !en->file || !en->dir) {
			free(en->name);
			json_decref(en->obj);
			free(en->file);
			free(en->dir);
			return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		}
		e->n++;
	}
	return OSMDIAG_OK;
}

typedef struct first_doc {
	json_t *doc;
} first_doc;

static int take_first(json_t *doc, size_t index, size_t line, void *ud, char *errbuf, size_t errlen)
{
	first_doc *fd = ud;
	(void)index;
	(void)line;
	(void)errbuf;
	(void)errlen;
	if (!fd->doc && doc)
		fd->doc = json_incref(doc);
	return 0;
}

/* Reads and merges one kubeconfig file. */
static int merge_file(merged *m, const char *path, osmdiag_error *err)
{
	char *buf;
	size_t len;
	char perr[256];
	first_doc fd = { NULL };
	int rc = osmdiag__live_read_file(path, OSMDIAG__LIVE_MAX_KUBECONFIG, &buf, &len, err);

	if (rc != OSMDIAG_OK) {
		if (rc != OSMDIAG_ENOMEM && rc != OSMDIAG_ENOTFOUND)
			rc = OSMDIAG_ECONFIG;
		return rc;
	}
	perr[0] = '\0';
	rc = osmdiag__yaml_parse(buf, len, take_first, &fd, perr, sizeof(perr));
	free(buf);
	if (rc != OSMDIAG_OK) {
		json_decref(fd.doc);
		return osmdiag__error_set(err, rc == OSMDIAG_ENOMEM ? rc : OSMDIAG_ECONFIG,
			"kubeconfig %s:%s: not valid YAML", path, perr);
	}
	m->files++;
	if (!fd.doc || json_is_null(fd.doc)) {
		json_decref(fd.doc);
		return OSMDIAG_OK; /* an empty file is an empty config */
	}
	if (!json_is_object(fd.doc)) {
		json_decref(fd.doc);
		return osmdiag__error_set(err, OSMDIAG_ECONFIG,
			"kubeconfig %s: not a mapping (is this a kubeconfig?)", path);
	}
	json_t *kind = json_object_get(fd.doc, "kind");
	if (json_is_string(kind) && strcmp(json_string_value(kind), "Config") != 0) {
		rc = osmdiag__error_set(err, OSMDIAG_ECONFIG, "kubeconfig %s: kind is \"%s\", want \"Config\"",
			path, json_string_value(kind));
		json_decref(fd.doc);
		return rc;
	}
	rc = merge_list(&m->clusters, fd.doc, "clusters", "cluster", path, err);
	if (rc == OSMDIAG_OK)
		rc = merge_list(&m->users, fd.doc, "users", "user", path, err);
	if (rc == OSMDIAG_OK)
		rc = merge_list(&m->contexts, fd.doc, "contexts", "context", path, err);
	if (rc == OSMDIAG_OK && !m->current_context) {
		json_t *cc = json_object_get(fd.doc, "current-context");
		if (json_is_string(cc) && *json_string_value(cc)) {
			m->current_context = osmdiag__strdup(json_string_value(cc));
			if (!m->current_context)
				rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		}
	}
	json_decref(fd.doc);
	return rc;
}

/* ---- field access ------------------------------------------------------------------- */

/* A string field: NULL when absent/null/empty; ECONFIG when of another type. */
static int get_str(json_t *obj, const char *key, const char **out, const entry *en, const char *what,
	osmdiag_error *err)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;
	*out = NULL;
	if (!v || json_is_null(v))
		return OSMDIAG_OK;
	if (!json_is_string(v))
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "kubeconfig %s: %s \"%s\": %s: want a string",
			en->file, what, en->name, key);
	if (*json_string_value(v))
		*out = json_string_value(v);
	return OSMDIAG_OK;
}

static int get_bool(json_t *obj, const char *key, int *out, const entry *en, const char *what,
	osmdiag_error *err)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;
	*out = 0;
	if (!v || json_is_null(v))
		return OSMDIAG_OK;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return OSMDIAG_OK;
	}
	if (json_is_string(v) && (osmdiag__strcaseeq(json_string_value(v), "true") ||
				  osmdiag__strcaseeq(json_string_value(v), "false"))) {
		*out = osmdiag__strcaseeq(json_string_value(v), "true");
		return OSMDIAG_OK;
	}
	return osmdiag__error_set(err, OSMDIAG_ECONFIG, "kubeconfig %s: %s \"%s\": %s: want true or false",
		en->file, what, en->name, key);
}

/* Absolute path of a file reference made in `en`'s file. */
static char *resolve_path(const entry *en, const char *p)
{
	if (p[0] == '/')
		return osmdiag__strdup(p);
	if (p[0] == '~' && p[1] == '/') {
		const char *home = getenv("HOME");
		if (home && *home)
			return osmdiag__asprintf("%s/%s", home, p + 2);
	}
	return osmdiag__asprintf("%s/%s", en->dir, p);
}

/* `key`-data (base64) wins over `key` (file). */
static int load_material(const entry *en, json_t *obj, const char *what, const char *data_key,
	const char *file_key, unsigned char **out, size_t *outlen, osmdiag_error *err)
{
	const char *data, *file;
	int rc;

	*out = NULL;
	*outlen = 0;
	if ((rc = get_str(obj, data_key, &data, en, what, err)) != OSMDIAG_OK)
		return rc;
	if ((rc = get_str(obj, file_key, &file, en, what, err)) != OSMDIAG_OK)
		return rc;
	if (data) {
		*out = osmdiag__base64_decode(data, outlen);
		if (!*out || *outlen == 0) {
			free(*out);
			*out = NULL;
			return osmdiag__error_set(err, OSMDIAG_ECONFIG,
				"kubeconfig %s: %s \"%s\": %s is not valid base64", en->file, what, en->name, data_key);
		}
		return OSMDIAG_OK;
	}
	if (file) {
		char *path = resolve_path(en, file);
		char *buf;
		size_t len;
		osmdiag_error e2;

		if (!path)
			return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		rc = osmdiag__live_read_file(path, OSMDIAG__LIVE_MAX_FILE, &buf, &len, &e2);
		if (rc != OSMDIAG_OK) {
			rc = osmdiag__error_set(err, rc == OSMDIAG_ENOMEM ? rc : OSMDIAG_ECONFIG,
				"kubeconfig %s: %s \"%s\": %s: %s", en->file, what, en->name, file_key, e2.message);
			free(path);
			return rc;
		}
		free(path);
		*out = (unsigned char *)buf;
		*outlen = len;
	}
	return OSMDIAG_OK;
}

static int load_exec(const entry *en, json_t *ex, osmdiag__live_config *cfg, osmdiag_error *err)
{
	const char *command, *apiv, *hint, *mode;
	int rc;
	osmdiag__exec_config *ec;

	if (!json_is_object(ex))
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "kubeconfig %s: user \"%s\": exec: want a mapping",
			en->file, en->name);
	if ((rc = get_str(ex, "command", &command, en, "user", err)) != OSMDIAG_OK ||
	    (rc = get_str(ex, "apiVersion", &apiv, en, "user", err)) != OSMDIAG_OK ||
	    (rc = get_str(ex, "installHint", &hint, en, "user", err)) != OSMDIAG_OK ||
	    (rc = get_str(ex, "interactiveMode", &mode, en, "user", err)) != OSMDIAG_OK)
		return rc;
	if (!command)
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "kubeconfig %s: user \"%s\": exec.command is empty",
			en->file, en->name);
	if (!apiv || (strcmp(apiv, "client.authentication.k8s.io/v1") != 0 &&
		      strcmp(apiv, "client.authentication.k8s.io/v1beta1") != 0))
		return osmdiag__error_set(err, OSMDIAG_ECONFIG,
			"kubeconfig %s: user \"%s\": exec.apiVersion \"%s\" is not supported "
			"(want client.authentication.k8s.io/v1 or /v1beta1)", en->file, en->name, apiv ? apiv : "");
	ec = calloc(1, sizeof(*ec));
	if (!ec)
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	cfg->exec = ec;
	/* client-go resolves the command only when it names a path */
	ec->command = strchr(command, '/') ? resolve_path(en, command) : osmdiag__strdup(command);
	ec->api_version = osmdiag__strdup(apiv);
	ec->install_hint = hint ? osmdiag__strdup(hint) : NULL;
	ec->interactive_always = mode && strcmp(mode, "Always") == 0;
	if (get_bool(ex, "provideClusterInfo", &ec->provide_cluster_info, en, "user", err) != OSMDIAG_OK)
		return err ? err->code : OSMDIAG_ECONFIG;
	if (!ec->command || !ec->api_version || (hint && !ec->install_hint))
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");

	json_t *args = json_object_get(ex, "args");
	if (args && !json_is_null(args) && !json_is_array(args))
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "kubeconfig %s: user \"%s\": exec.args: want a list",
			en->file, en->name);
	size_t na = json_is_array(args) ? json_array_size(args) : 0;
	ec->args = calloc(na + 2, sizeof(char *));
	if (!ec->args)
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	ec->args[0] = osmdiag__strdup(command);
	if (!ec->args[0])
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	for (size_t i = 0; i < na; i++) {
		json_t *a = json_array_get(args, i);
		if (json_is_string(a))
			ec->args[i + 1] = osmdiag__strdup(json_string_value(a));
		else if (json_is_integer(a) || json_is_real(a) || json_is_boolean(a))
			ec->args[i + 1] = json_is_boolean(a) ? osmdiag__strdup(json_is_true(a) ? "true" : "false")
				: json_is_integer(a) ? osmdiag__asprintf("%lld", (long long)json_integer_value(a))
				: osmdiag__asprintf("%g", json_real_value(a));
		else
			return osmdiag__error_set(err, OSMDIAG_ECONFIG,
				"kubeconfig %s: user \"%s\": exec.args[%zu]: want a string", en->file, en->name, i);
		if (!ec->args[i + 1])
			return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		ec->nargs++;
	}

	json_t *env = json_object_get(ex, "env");
	if (env && !json_is_null(env) && !json_is_array(env))
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "kubeconfig %s: user \"%s\": exec.env: want a list",
			en->file, en->name);
	size_t ne = json_is_array(env) ? json_array_size(env) : 0;
	ec->env = calloc(ne + 1, sizeof(char *));
	if (!ec->env)
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	for (size_t i = 0; i < ne; i++) {
		json_t *e = json_array_get(env, i);
		json_t *n = json_object_get(e, "name");
		json_t *v = json_object_get(e, "value");
		if (!json_is_string(n) || !*json_string_value(n) || strchr(json_string_value(n), '=') ||
		    (v && !json_is_null(v) && !json_is_string(v)))
			return osmdiag__error_set(err, OSMDIAG_ECONFIG,
				"kubeconfig %s: user \"%s\": exec.env[%zu]: want {name, value} strings", en->file,
				en->name, i);
		ec->env[ec->nenv] = osmdiag__asprintf("%s=%s", json_string_value(n),
			json_is_string(v) ? json_string_value(v) : "");
		if (!ec->env[ec->nenv])
			return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		ec->nenv++;
	}
	return OSMDIAG_OK;
}

static int load_cluster(const entry *en, osmdiag__live_config *cfg, osmdiag_error *err)
{
	json_t *c = en->obj;
	const char *server, *tsn, *proxy;
	int rc;

	if ((rc = get_str(c, "server", &server, en, "cluster", err)) != OSMDIAG_OK ||
	    (rc = get_str(c, "tls-server-name", &tsn, en, "cluster", err)) != OSMDIAG_OK ||
	    (rc = get_str(c, "proxy-url", &proxy, en, "cluster", err)) != OSMDIAG_OK ||
	    (rc = get_bool(c, "insecure-skip-tls-verify", &cfg->insecure, en, "cluster", err)) != OSMDIAG_OK ||
	    (rc = get_bool(c, "disable-compression", &cfg->disable_compression, en, "cluster", err))
		    != OSMDIAG_OK)
		return rc;
	if (!server)
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "kubeconfig %s: cluster \"%s\" has no server",
			en->file, en->name);
	if (strstr(server, "://"))
		cfg->server = osmdiag__strdup(server);
	else
		cfg->server = osmdiag__asprintf("https://%s", server);
	if (!cfg->server)
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	if (strncmp(cfg->server, "https://", 8) != 0 && strncmp(cfg->server, "http://", 7) != 0)
		return osmdiag__error_set(err, OSMDIAG_ECONFIG,
			"kubeconfig %s: cluster \"%s\": server \"%s\" is not an http(s) URL", en->file, en->name, server);
	size_t sl = strlen(cfg->server);
	while (sl > 0 && cfg->server[sl - 1] == '/')
		cfg->server[--sl] = '\0';
	if (tsn && !(cfg->tls_server_name = osmdiag__strdup(tsn)))
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	if (proxy) {
		/* client-go's socks5 resolves names at the proxy: curl's socks5h */
		if (strncmp(proxy, "socks5://", 9) == 0)
			cfg->proxy_url = osmdiag__asprintf("socks5h://%s", proxy + 9);
		else if (strncmp(proxy, "http://", 7) == 0 || strncmp(proxy, "https://", 8) == 0)
			cfg->proxy_url = osmdiag__strdup(proxy);
		else
			return osmdiag__error_set(err, OSMDIAG_ECONFIG,
				"kubeconfig %s: cluster \"%s\": proxy-url scheme not supported (want http, https or socks5)",
				en->file, en->name);
		if (!cfg->proxy_url)
			return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	}
	rc = load_material(en, c, "cluster", "certificate-authority-data", "certificate-authority", &cfg->ca,
		&cfg->ca_len, err);
	if (rc != OSMDIAG_OK)
		return rc;
	if (cfg->insecure && cfg->ca)
		return osmdiag__error_set(err, OSMDIAG_ECONFIG,
			"kubeconfig %s: cluster \"%s\": specifying a root certificates file with the insecure flag "
			"is not allowed (remove certificate-authority(-data) or insecure-skip-tls-verify)",
			en->file, en->name);
	cfg->origin = osmdiag__strdup(en->file);
	return cfg->origin ? OSMDIAG_OK : osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
}

static int load_user(const entry *en, osmdiag__live_config *cfg, osmdiag_error *err)
{
	json_t *u = en->obj;
	const char *token, *token_file, *username, *password;
	int rc;

	json_t *ap = u ? json_object_get(u, "auth-provider") : NULL;
	if (ap && !json_is_null(ap)) {
		json_t *name = json_object_get(ap, "name");
		return osmdiag__error_set(err, OSMDIAG_ENOTSUPPORTED,
			"kubeconfig %s: user \"%s\" uses auth-provider \"%s\", which Kubernetes 1.26+ clients no longer "
			"support; convert it to an exec plugin (AKS: kubelogin convert-kubeconfig -l azurecli; GKE: "
			"gke-gcloud-auth-plugin)", en->file, en->name,
			json_is_string(name) ? json_string_value(name) : "?");
	}
	if ((rc = get_str(u, "token", &token, en, "user", err)) != OSMDIAG_OK ||
	    (rc = get_str(u, "tokenFile", &token_file, en, "user", err)) != OSMDIAG_OK ||
	    (rc = get_str(u, "username", &username, en, "user", err)) != OSMDIAG_OK ||
	    (rc = get_str(u, "password", &password, en, "user", err)) != OSMDIAG_OK)
		return rc;
	if (token && !(cfg->token = osmdiag__strdup(token)))
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	if (token_file && !(cfg->token_file = resolve_path(en, token_file)))
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	if (username && !(cfg->username = osmdiag__strdup(username)))
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	if (password && !(cfg->password = osmdiag__strdup(password)))
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	rc = load_material(en, u, "user", "client-certificate-data", "client-certificate", &cfg->cert,
		&cfg->cert_len, err);
	if (rc == OSMDIAG_OK)
		rc = load_material(en, u, "user", "client-key-data", "client-key", &cfg->key, &cfg->key_len, err);
	if (rc != OSMDIAG_OK)
		return rc;
	if (!cfg->cert != !cfg->key)
		return osmdiag__error_set(err, OSMDIAG_ECONFIG,
			"kubeconfig %s: user \"%s\": %s given without %s", en->file, en->name,
			cfg->cert ? "client-certificate" : "client-key", cfg->cert ? "client-key" : "client-certificate");
	json_t *ex = u ? json_object_get(u, "exec") : NULL;
	if (ex && !json_is_null(ex))
		return load_exec(en, ex, cfg, err);
	return OSMDIAG_OK;
}

/* Builds the configuration of context `name` from the merged files. */
static int select_context(const merged *m, const char *override, const char *where,
	osmdiag__live_config **out, osmdiag_error *err)
{
	const char *name = override && *override ? override : m->current_context;
	const entry *ctx, *cl, *us = NULL;
	const char *cluster_name, *user_name, *ns;
	int rc;

	if (!name)
		return osmdiag__error_set(err, OSMDIAG_ECONFIG,
			"kubeconfig %s has no current-context: pass --context NAME or run kubectl config use-context",
			where);
	ctx = entries_find(&m->contexts, name);
	if (!ctx)
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "context \"%s\" not found in kubeconfig %s", name,
			where);
	if ((rc = get_str(ctx->obj, "cluster", &cluster_name, ctx, "context", err)) != OSMDIAG_OK ||
	    (rc = get_str(ctx->obj, "user", &user_name, ctx, "context", err)) != OSMDIAG_OK ||
	    (rc = get_str(ctx->obj, "namespace", &ns, ctx, "context", err)) != OSMDIAG_OK)
		return rc;
	if (!cluster_name)
		return osmdiag__error_set(err, OSMDIAG_ECONFIG, "kubeconfig %s: context \"%s\" names no cluster",
			ctx->file, name);
	cl = entries_find(&m->clusters, cluster_name);
	if (!cl)
		return osmdiag__error_set(err, OSMDIAG_ECONFIG,
			"kubeconfig %s: cluster \"%s\" of context \"%s\" not found", ctx->file, cluster_name, name);
	if (user_name) {
		us = entries_find(&m->users, user_name);
		if (!us)
			return osmdiag__error_set(err, OSMDIAG_ECONFIG,
				"kubeconfig %s: user \"%s\" of context \"%s\" not found", ctx->file, user_name, name);
	}
	osmdiag__live_config *cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	cfg->context = osmdiag__strdup(name);
	cfg->cluster = osmdiag__strdup(cluster_name);
	cfg->user = user_name ? osmdiag__strdup(user_name) : NULL;
	cfg->namespace_ = osmdiag__strdup(ns ? ns : "default");
	if (!cfg->context || !cfg->cluster || (user_name && !cfg->user) || !cfg->namespace_)
		rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	if (rc == OSMDIAG_OK)
		rc = load_cluster(cl, cfg, err);
	if (rc == OSMDIAG_OK && us)
		rc = load_user(us, cfg, err);
	if (rc != OSMDIAG_OK) {
		osmdiag__live_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return OSMDIAG_OK;
}

int osmdiag__kubeconfig_load(const char *explicit_path, const char *context, osmdiag__live_config **out,
	osmdiag_error *err)
{
	merged m;
	osmdiag__strlist files = OSMDIAG__STRLIST_INIT;
	char *where = NULL;
	int rc = OSMDIAG_OK;

	*out = NULL;
	memset(&m, 0, sizeof(m));
	if (explicit_path && *explicit_path) {
		rc = merge_file(&m, explicit_path, err);
		if (rc == OSMDIAG_ENOTFOUND)
			osmdiag__error_set(err, rc, "kubeconfig %s: no such file", explicit_path);
		where = osmdiag__strdup(explicit_path);
	} else {
		const char *kc = getenv("KUBECONFIG");
		if (kc && *kc) {
			const char *p = kc;
			while (rc == OSMDIAG_OK) {
				const char *colon = strchr(p, ':');
				size_t len = colon ? (size_t)(colon - p) : strlen(p);
				if (len) {
					char *one = osmdiag__strndup(p, len);
					if (!one || osmdiag__strlist_push_unique(&files, one) < 0)
						rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
					free(one);
				}
				if (!colon)
					break;
				p = colon + 1;
			}
			where = osmdiag__strdup(kc);
		} else {
			const char *home = getenv("HOME");
			char *def = osmdiag__asprintf("%s/.kube/config", home && *home ? home : "");
			if (!def || osmdiag__strlist_push(&files, def) < 0)
				rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
			where = def;
		}
		for (size_t i = 0; rc == OSMDIAG_OK && i < files.n; i++) {
			rc = merge_file(&m, files.v[i], err);
			if (rc == OSMDIAG_ENOTFOUND)
				rc = OSMDIAG_OK; /* missing files in the list are skipped */
		}
		if (rc == OSMDIAG_OK && m.files == 0) {
			/* Deferred loading: no kubeconfig at all -> in-cluster if possible. */
			if (osmdiag__incluster_possible()) {
				rc = osmdiag__incluster_load(out, err);
				goto done;
			}
			rc = osmdiag__error_set(err, OSMDIAG_ENOTFOUND,
				"no kubeconfig found (%s%s does not exist): pass --kubeconfig FILE or set KUBECONFIG",
				kc && *kc ? "KUBECONFIG=" : "", where ? where : "");
		}
	}
	if (rc == OSMDIAG_OK && !where)
		rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	if (rc == OSMDIAG_OK)
		rc = select_context(&m, context, where, out, err);
done:
	free(where);
	osmdiag__strlist_free(&files);
	merged_free(&m);
	return rc;
}
