/* Reference-counted global set-up and the run-time version. */
#include <pthread.h>

#include <curl/curl.h>
#include <jansson.h>

#include "osmdiag/osmdiag.h"

static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static int global_refs;

int osmdiag_global_init(void)
{
	int rc;

	pthread_mutex_lock(&global_lock);
	if (global_refs == 0) {
		if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK) {
			pthread_mutex_unlock(&global_lock);
			return OSMDIAG_ERROR;
		}
		json_object_seed(0);
	}
	rc = ++global_refs;
	pthread_mutex_unlock(&global_lock);
	return rc;
}

int osmdiag_global_shutdown(void)
{
	int rc;

	pthread_mutex_lock(&global_lock);
	if (global_refs > 0 && --global_refs == 0)
		curl_global_cleanup();
	rc = global_refs;
	pthread_mutex_unlock(&global_lock);
	return rc;
}

int osmdiag_version(int *major, int *minor, int *patch)
{
	if (major)
		*major = OSMDIAG_VERSION_MAJOR;
	if (minor)
		*minor = OSMDIAG_VERSION_MINOR;
	if (patch)
		*patch = OSMDIAG_VERSION_PATCH;
	return 0;
}

const char *osmdiag_version_string(void)
{
	return OSMDIAG_VERSION;
}
