/*
 * In-cluster configuration (client-go rest.InClusterConfig): the API server
 * from KUBERNETES_SERVICE_HOST/PORT, the service-account CA and token file
 * (re-read by auth.c), the namespace from POD_NAMESPACE or the namespace file.
 *
 * The service-account directory can be moved for tests with the environment
 * variable OSMDIAG_SERVICEACCOUNT_DIR.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>
#include <string.h>

#include "source/live/live.h"

const char *osmdiag__incluster_sa_dir(void)
{
	const char *d = getenv(OSMDIAG__SA_DIR_ENV);
	return d && *d ? d : OSMDIAG__SA_DIR;
}

int osmdiag__incluster_possible(void)
{
	const char *h = getenv("KUBERNETES_SERVICE_HOST");
	const char *p = getenv("KUBERNETES_SERVICE_PORT");
	return h && *h && p && *p;
}

int osmdiag__incluster_load(osmdiag__live_config **out, osmdiag_error *err)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	const char *dir = osmdiag__incluster_sa_dir();
	osmdiag__live_config *cfg;
	osmdiag_error e2;
	char *path = NULL, *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!host || !*host || !port || !*port)
		return osmdiag__error_set(err, OSMDIAG_ECONFIG,
			"not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
	for (const char *c = port; *c; c++)
		if (*c < '0' || *c > '9')
			return osmdiag__error_set(err, OSMDIAG_ECONFIG, "KUBERNETES_SERVICE_PORT \"%s\" is not a port",
				port);
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	cfg->in_cluster = 1;
	/* net.JoinHostPort: bracket IPv6 literals */
	if (strchr(host, ':') && host[0] != '[')
		cfg->server = osmdiag__asprintf("https://[%s]:%s", host, port);
	else
		cfg->server = osmdiag__asprintf("https://%s:%s", host, port);
	cfg->token_file = osmdiag__asprintf("%s/token", dir);
	cfg->origin = osmdiag__strdup("in-cluster configuration");
	if (!cfg->server || !cfg->token_file || !cfg->origin) {
		rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		goto fail;
	}
	/* The token must be readable now (client-go fails the same way). */
	rc = osmdiag__live_read_file(cfg->token_file, OSMDIAG__LIVE_MAX_FILE, &buf, &len, &e2);
	if (rc != OSMDIAG_OK) {
		rc = osmdiag__error_set(err, rc == OSMDIAG_ENOMEM ? rc : OSMDIAG_ECONFIG,
			"in-cluster: cannot read the service-account token: %s", e2.message);
		goto fail;
	}
	free(buf);
	buf = NULL;
	/* A missing or unreadable CA is not fatal (client-go only logs it). */
	path = osmdiag__asprintf("%s/ca.crt", dir);
	if (!path) {
		rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		goto fail;
	}
	if (osmdiag__live_read_file(path, OSMDIAG__LIVE_MAX_FILE, &buf, &len, &e2) == OSMDIAG_OK && len) {
		cfg->ca = (unsigned char *)buf;
		cfg->ca_len = len;
		buf = NULL;
	}
	free(buf);
	buf = NULL;
	free(path);
	path = NULL;

	const char *ns = getenv("POD_NAMESPACE");
	if (ns && *ns) {
		cfg->namespace_ = osmdiag__strdup(ns);
	} else {
		path = osmdiag__asprintf("%s/namespace", dir);
		if (path && osmdiag__live_read_file(path, 4096, &buf, &len, &e2) == OSMDIAG_OK) {
			while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' ' || buf[len - 1] == '\r'))
				buf[--len] = '\0';
		}
		cfg->namespace_ = osmdiag__strdup(buf && *buf ? buf : "default");
		free(buf);
		free(path);
		path = NULL;
	}
	if (!cfg->namespace_) {
		rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		goto fail;
	}
	*out = cfg;
	return OSMDIAG_OK;
fail:
	free(path);
	osmdiag__live_config_free(cfg);
	return rc;
}
