/*
 * SWIG interface for the Go binding of libosmdiag.
 *
 * The generated files next to this one (capi.go, osmdiag_wrap.c) are
 * committed; regenerate them only with SWIG 4.1.0 through
 *     bindings/go/swig-gen.sh <source root> <build root> bindings/go/internal/capi
 * (meson: `ninja -C build go-wrap`). The meson test go-wrap-drift fails when
 * they no longer match this file or the public headers.
 *
 * Kept deliberately small and typemap-free (C-STYLE 3.4): opaque handles,
 * ints, borrowed const char *; the idiomatic package osmdiag copies every
 * value into Go memory and frees the C objects before returning.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
%module capi

%{
#include <stdlib.h>
#include <string.h>
#include <osmdiag/osmdiag.h>

/* The live constructors are declared by the 0.1 headers but arrive in the
 * library with the live source; weak references let the binding load on a
 * library without them (LiveAvailable() reports which). */
#pragma weak osmdiag_source_new_kubeconfig
#pragma weak osmdiag_source_new_in_cluster
%}

/* Directives first: SWIG ignores features declared after the declaration. */
%rename("%(strip:[osmdiag_])s") "";

/* Opaque handles (pitfall 2: give SWIG a complete, empty struct). */
%nodefaultctor osmdiag_source;   %nodefaultdtor osmdiag_source;
%nodefaultctor osmdiag_options;  %nodefaultdtor osmdiag_options;
%nodefaultctor osmdiag_report;   %nodefaultdtor osmdiag_report;
%nodefaultctor osmdiag_result;   %nodefaultdtor osmdiag_result;
%nodefaultctor osmdiag_check_info; %nodefaultdtor osmdiag_check_info;
struct osmdiag_source {};
struct osmdiag_options {};
struct osmdiag_report {};
struct osmdiag_result {};
struct osmdiag_check_info {};

/* The caller-allocated error struct: NewError/DeleteError plus getters. */
%immutable osmdiag_error::code;
%immutable osmdiag_error::http_status;
%immutable osmdiag_error::message;

/* Owned strings handed to Go: copied into a Go string, then freed. */
%newobject osmdiag_go_report_json;
%newobject osmdiag_go_report_render;
%newobject osmdiag_go_catalogue_json;
%typemap(newfree) char * "osmdiag_free($1);";

/* Not needed by the Go layer, or needing char ** typemaps. */
%ignore osmdiag_source_list_json;
%ignore osmdiag_catalogue_to_json;
%ignore osmdiag_catalogue_to_markdown;
%ignore osmdiag_report_to_json;
%ignore osmdiag_report_to_text;
%ignore osmdiag_report_to_junit;
%ignore osmdiag_report_to_sarif;
%ignore osmdiag_report_to_prometheus;
%ignore osmdiag_snapshot_write;
%ignore osmdiag_free;
%ignore osmdiag_version;
%ignore osmdiag_source_new_kubeconfig;
%ignore osmdiag_source_new_in_cluster;
%ignore OSMDIAG_VERSION_MAJOR;
%ignore OSMDIAG_VERSION_MINOR;
%ignore OSMDIAG_VERSION_PATCH;
%ignore OSMDIAG_VERSION;
%ignore OSMDIAG_VERSION_NUMBER;
%ignore OSMDIAG_ERROR_MESSAGE_SIZE;
%ignore OSMDIAG_TEXT_COLOR;
%ignore OSMDIAG_TEXT_UNICODE;
%ignore OSMDIAG_TEXT_VERBOSE;

%include "osmdiag/common.h"
%include "osmdiag/errors.h"
%include "osmdiag/version.h"
%include "osmdiag/source.h"
%include "osmdiag/check.h"
%include "osmdiag/report.h"

int osmdiag_global_init(void);

%inline %{
/* The report as the JSON document of INTERFACES.md; NULL on failure. */
char *osmdiag_go_report_json(const osmdiag_report *rep)
{
	char *out = NULL;

	if (osmdiag_report_to_json(rep, &out) != OSMDIAG_OK)
		return NULL;
	return out;
}

/* The report in another format of the CLI's -o: "text" (flags: the
 * OSMDIAG_TEXT_* bits), "junit", "sarif", "prometheus"; NULL on failure. */
char *osmdiag_go_report_render(const osmdiag_report *rep, const char *format, unsigned int flags)
{
	char *out = NULL;
	int rc = OSMDIAG_EINVAL;

	if (strcmp(format, "text") == 0)
		rc = osmdiag_report_to_text(rep, flags, &out);
	else if (strcmp(format, "junit") == 0)
		rc = osmdiag_report_to_junit(rep, &out);
	else if (strcmp(format, "sarif") == 0)
		rc = osmdiag_report_to_sarif(rep, &out);
	else if (strcmp(format, "prometheus") == 0)
		rc = osmdiag_report_to_prometheus(rep, &out);
	return rc == OSMDIAG_OK ? out : NULL;
}

/* The catalogue as JSON; NULL on failure. */
char *osmdiag_go_catalogue_json(void)
{
	char *out = NULL;

	if (osmdiag_catalogue_to_json(&out) != OSMDIAG_OK)
		return NULL;
	return out;
}

/* Live source from a kubeconfig; "" means NULL (the default file / context),
 * which a Go string cannot express. */
osmdiag_source *osmdiag_go_source_new_kubeconfig(const char *kubeconfig, const char *context,
	osmdiag_error *err)
{
	if (!osmdiag_source_new_kubeconfig) {
		if (err) {
			osmdiag_error_clear(err);
			err->code = OSMDIAG_ENOTSUPPORTED;
		}
		return NULL;
	}
	return osmdiag_source_new_kubeconfig(kubeconfig && *kubeconfig ? kubeconfig : NULL,
		context && *context ? context : NULL, err);
}

/* Live source from the pod's service account; ENOTSUPPORTED on a library
 * without the live source. */
osmdiag_source *osmdiag_go_source_new_in_cluster(osmdiag_error *err)
{
	if (!osmdiag_source_new_in_cluster) {
		if (err) {
			osmdiag_error_clear(err);
			err->code = OSMDIAG_ENOTSUPPORTED;
		}
		return NULL;
	}
	return osmdiag_source_new_in_cluster(err);
}

/* 1 when the loaded library exports the live-source constructors. */
int osmdiag_go_live_available(void)
{
	return osmdiag_source_new_kubeconfig != NULL && osmdiag_source_new_in_cluster != NULL;
}
%}
