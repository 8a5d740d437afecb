/*
 * The live source: a Kubernetes API server reached with libcurl, configured
 * from a kubeconfig (kubeconfig.c) or the pod's service account
 * (incluster.c), authenticated by auth.c (token, token file, client
 * certificate, exec plugin via exec.c), spoken to by http.c. Internal.
 *
 * Credentials never go into messages: errors name files, fields, commands,
 * servers and HTTP statuses, never tokens or keys.
 */
#ifndef OSMDIAG_SOURCE_LIVE_H
#define OSMDIAG_SOURCE_LIVE_H

#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "osmdiag/errors.h"
#include "util/util.h"

/* Limits. */
#define OSMDIAG__LIVE_MAX_KUBECONFIG ((size_t)16 << 20)  /* one kubeconfig file */
#define OSMDIAG__LIVE_MAX_FILE ((size_t)4 << 20)         /* a CA, cert, key or token file */
#define OSMDIAG__EXEC_MAX_OUTPUT ((size_t)1 << 20)       /* exec plugin stdout */
#define OSMDIAG__EXEC_TIMEOUT_MS 60000L                  /* exec plugin wall clock */
#define OSMDIAG__HTTP_MAX_BODY ((size_t)512 << 20)       /* one response */
#define OSMDIAG__HTTP_PAGE_LIMIT 500
#define OSMDIAG__SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
/* Test-only override of the service-account directory (documented in docs). */
#define OSMDIAG__SA_DIR_ENV "OSMDIAG_SERVICEACCOUNT_DIR"

/* An exec credential plugin stanza (users[].user.exec). */
typedef struct osmdiag__exec_config {
	char *command;        /* resolved against the kubeconfig dir when it contains '/' */
	char **args;          /* NULL-terminated; args[0] is the command as written */
	size_t nargs;         /* not counting args[0] */
	char **env;           /* NULL-terminated "NAME=value" strings from exec.env */
	size_t nenv;
	char *api_version;    /* client.authentication.k8s.io/v1 or /v1beta1 */
	char *install_hint;
	int provide_cluster_info;
	int interactive_always; /* interactiveMode: Always (cannot be satisfied) */
	long timeout_ms;      /* wall clock; 0 = OSMDIAG__EXEC_TIMEOUT_MS (tests shorten it) */
} osmdiag__exec_config;

/* Everything needed to talk to one API server. */
typedef struct osmdiag__live_config {
	char *server;          /* "https://host:port[/prefix]" without trailing '/' */
	char *context;         /* context name (NULL in-cluster) */
	char *cluster;         /* cluster name */
	char *user;            /* user name */
	char *origin;          /* file that defined the cluster (for messages) */
	char *tls_server_name;
	char *proxy_url;
	int insecure;
	int disable_compression;
	int in_cluster;
	unsigned char *ca;     /* PEM, may hold several certificates */
	size_t ca_len;
	unsigned char *cert;   /* PEM client certificate */
	size_t cert_len;
	unsigned char *key;    /* PEM private key */
	size_t key_len;
	char *token;
	char *token_file;      /* absolute path */
	char *username;        /* basic auth */
	char *password;
	osmdiag__exec_config *exec;
	char *namespace_;      /* context namespace, "default" when unset */
} osmdiag__live_config;

void osmdiag__live_config_free(osmdiag__live_config *cfg);
void osmdiag__exec_config_free(osmdiag__exec_config *ec);

/* ---- kubeconfig.c ---------------------------------------------------------- */

/*
 * Loads the kubeconfig like kubectl: `explicit_path` alone (must exist), else
 * the KUBECONFIG list (dedup, missing files skipped, merged first-wins), else
 * ~/.kube/config. `context` NULL = current-context. On success *out is the
 * resolved configuration. When no kubeconfig exists at all and in-cluster
 * configuration is possible, *out is the in-cluster configuration.
 */
int osmdiag__kubeconfig_load(const char *explicit_path, const char *context, osmdiag__live_config **out,
	osmdiag_error *err);

/* Reads a whole file (at most `max` bytes) into a NUL-terminated buffer. */
int osmdiag__live_read_file(const char *path, size_t max, char **out, size_t *outlen, osmdiag_error *err);

/* ---- incluster.c ----------------------------------------------------------- */

/* 1 when KUBERNETES_SERVICE_HOST and _PORT are both set. */
int osmdiag__incluster_possible(void);
int osmdiag__incluster_load(osmdiag__live_config **out, osmdiag_error *err);
/* The service-account directory (OSMDIAG_SERVICEACCOUNT_DIR or the standard one). */
const char *osmdiag__incluster_sa_dir(void);

/* ---- exec.c ---------------------------------------------------------------- */

typedef struct osmdiag__exec_result {
	int exit_status;      /* exit code, or 128+signal */
	int timed_out;
	int too_large;
	char *out;            /* stdout, NUL-terminated */
	size_t out_len;
	char *err;            /* stderr (capped), NUL-terminated */
} osmdiag__exec_result;

/*
 * Runs `file` with `argv` (NULL-terminated) without a shell; environment =
 * this process's + `env_extra` ("NAME=value", replacing same names); stdin
 * /dev/null; stdout capped at `max_out` bytes; stderr captured; killed after
 * `timeout_ms`. Returns OSMDIAG_OK when the process ran (look at the result),
 * OSMDIAG_EEXEC with errbuf when it could not start.
 */
int osmdiag__exec_spawn(const char *file, char *const argv[], char *const env_extra[], long timeout_ms,
	size_t max_out, osmdiag__exec_result *res, char *errbuf, size_t errlen);
void osmdiag__exec_result_dispose(osmdiag__exec_result *res);

/* ---- auth.c ---------------------------------------------------------------- */

typedef struct osmdiag__auth osmdiag__auth;

/* Current credentials (borrowed from the auth object until the next call). */
typedef struct osmdiag__cred {
	const char *token;                 /* bearer token or NULL */
	const unsigned char *cert, *key;   /* PEM client certificate and key or NULL */
	size_t cert_len, key_len;
	const char *username, *password;   /* basic auth or NULL */
	unsigned gen;                      /* changes whenever the credentials change */
} osmdiag__cred;

osmdiag__auth *osmdiag__auth_new(const osmdiag__live_config *cfg);
void osmdiag__auth_free(osmdiag__auth *a);
/* Fills *out with valid credentials (runs/reruns the exec plugin, re-reads the
 * token file when due). A plugin run ends at `deadline` (osmdiag__now_ms()
 * time; 0 = its own limit only) with OSMDIAG_ETIMEOUT. OSMDIAG_OK or
 * OSMDIAG_EEXEC / ... with errbuf. */
int osmdiag__auth_get(osmdiag__auth *a, double deadline, osmdiag__cred *out, char *errbuf, size_t errlen);
/* After a 401 with credentials of generation `gen`: forgets cached
 * credentials so that the next get refreshes them. Returns 1 when refreshing
 * can help (exec plugin or token file, not done yet for this generation). */
int osmdiag__auth_invalidate(osmdiag__auth *a, unsigned gen);
/* Number of exec plugin runs so far (tests). */
unsigned osmdiag__auth_exec_runs(const osmdiag__auth *a);
/* Parses an ExecCredential (tests): token or cert/key PEM and expiry. */
int osmdiag__exec_parse_credential(const char *json, size_t len, const char *want_api_version,
	char **token, char **cert, char **key, time_t *expiry, char *errbuf, size_t errlen);

/* ---- http.c ---------------------------------------------------------------- */

/* One list (all of its pages). */
typedef struct osmdiag__http_list {
	/* in */
	const char *paths[2];  /* API path ("/api/v1/namespaces/x/pods"); [1]: fallback on 404 */
	char *query;           /* "labelSelector=..." (encoded) or NULL */
	const char *what;      /* "list secrets in kube-system", for messages */
	const char *kind;      /* item kind to set where missing */
	int (*on_item)(void *ud, json_t *item); /* optional: osmdiag__fetch's */
	void (*on_reset)(void *ud);
	void *item_ud;
	/* out */
	size_t consumed;       /* items given to on_item */
	json_t *items;         /* array of objects on success */
	int code;
	int http_status;
	int answered;          /* a complete HTTP response arrived (any status) */
	char *message;
} osmdiag__http_list;

typedef struct osmdiag__http osmdiag__http;

osmdiag__http *osmdiag__http_new(const osmdiag__live_config *cfg, osmdiag__auth *auth);
void osmdiag__http_free(osmdiag__http *h);
/*
 * Runs the lists concurrently (at most `max_conc` transfers), paging, retrying
 * and re-authenticating as needed, all before `timeout_ms` (0 = no overall
 * limit), or until `*cancel` (may be NULL) becomes non-zero (OSMDIAG_ECANCELED).
 * Fills each list's out fields; `*requests` counts HTTP requests.
 * Returns OSMDIAG_OK, or the fatal code (EAUTH, EEXEC, ETLS, ENET, ETIMEOUT,
 * ENOTSUPPORTED) with errbuf when nothing can work.
 */
int osmdiag__http_run(osmdiag__http *h, osmdiag__http_list *lists, size_t n, int max_conc, long timeout_ms,
	atomic_int *cancel, size_t *requests, char *errbuf, size_t errlen);

/* Percent-encodes a query value (new string). */
char *osmdiag__http_escape(const char *s);

#endif /* OSMDIAG_SOURCE_LIVE_H */
