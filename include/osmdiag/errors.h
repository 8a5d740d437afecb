/*
 * libosmdiag - error codes and the error detail struct.
 *
 * A failing diagnostic is not an API error: checks that ran return OSMDIAG_OK
 * and put pass/warn/fail/... into the report. Error codes mean "could not run".
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef OSMDIAG_ERRORS_H
#define OSMDIAG_ERRORS_H

#include "common.h"

OSMDIAG_BEGIN_DECL

/** Error codes: negative, append-only, never renumbered. */
typedef enum {
	OSMDIAG_OK = 0,
	OSMDIAG_ERROR = -1,          /**< generic failure */
	OSMDIAG_ENOMEM = -2,         /**< out of memory */
	OSMDIAG_EINVAL = -3,         /**< invalid argument (bad option, unknown check ID) */
	OSMDIAG_ENOTFOUND = -4,      /**< file or object not found */
	OSMDIAG_ECONFIG = -5,        /**< invalid kubeconfig / configuration */
	OSMDIAG_EAUTH = -6,          /**< credentials refused (HTTP 401) */
	OSMDIAG_ETLS = -7,           /**< TLS handshake or verification failed */
	OSMDIAG_ENET = -8,           /**< server unreachable, connection reset */
	OSMDIAG_ETIMEOUT = -9,       /**< the overall timeout expired */
	OSMDIAG_EHTTP = -10,         /**< unexpected HTTP status */
	OSMDIAG_EPARSE = -11,        /**< malformed input (snapshot file, response body) */
	OSMDIAG_EEXEC = -12,         /**< exec credential plugin failed */
	OSMDIAG_ENOTSUPPORTED = -13, /**< feature not supported */
	OSMDIAG_EFORBIDDEN = -14,    /**< HTTP 403 */
	OSMDIAG_ECANCELED = -15      /**< osmdiag_source_cancel() stopped it */
} osmdiag_errcode;

/** Size of osmdiag_error.message, including the terminating NUL. */
#define OSMDIAG_ERROR_MESSAGE_SIZE 512

/**
 * Caller-allocated error detail, filled by functions that take an
 * `osmdiag_error *err` (which may always be NULL).
 */
typedef struct osmdiag_error {
	int code;            /**< an osmdiag_errcode; 0 when no error */
	int http_status;     /**< HTTP status where one was received, else 0 */
	char message[OSMDIAG_ERROR_MESSAGE_SIZE]; /**< one line, names the file/object/request */
} osmdiag_error;

/** Human description of an error code; static string, never NULL. */
OSMDIAG_API const char *osmdiag_strerror(int code);
/** Symbolic name of an error code ("OSMDIAG_EPARSE"); static string, never NULL. */
OSMDIAG_API const char *osmdiag_err_name(int code);
/** Clears `err` (code 0, empty message). NULL-safe. */
OSMDIAG_API void osmdiag_error_clear(osmdiag_error *err);
/** Borrowed message of `err`, "" for NULL. Convenience for bindings. */
OSMDIAG_API const char *osmdiag_error_message(const osmdiag_error *err);

OSMDIAG_END_DECL

#endif /* OSMDIAG_ERRORS_H */
