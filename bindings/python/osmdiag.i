/*
 * SWIG interface of libosmdiag for Python: the low-level extension module
 * `osmdiag._osmdiag`. Built with `swig -python -threads -builtin`; the
 * generated proxy `osmdiag.py` is not used (the package `osmdiag/__init__.py`
 * is the public, Pythonic API and copies everything into Python objects).
 *
 * Kept thin on purpose: the public headers are %included as they are, names
 * lose their `osmdiag_` / `OSMDIAG_` prefix, owned handles get destructors,
 * and everything that would need a typemap (`char **out`, arrays) is
 * %ignored, except the report renderers, exposed through two %extend methods.
 *
 * All directives come before the %include of the declarations they modify
 * (SWIG silently ignores them otherwise).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
%module osmdiag

%{
#include <string.h>

#include <osmdiag/osmdiag.h>
%}

/* ---- names: osmdiag_run -> run, OSMDIAG_EPARSE -> EPARSE ---------------- */
%rename("%(regex:/^(osmdiag|OSMDIAG)_(.*)$/\\2/)s") "";

/* ---- GIL: every wrapped call releases it (-threads), except trivial getters
 * below, where the release would cost more than the call. --------------- */
%feature("nothread");
%feature("nothread", "0") osmdiag_global_init;
%feature("nothread", "0") osmdiag_global_shutdown;
%feature("nothread", "0") osmdiag_source_new_snapshot;
%feature("nothread", "0") osmdiag_source_add_snapshot;
%feature("nothread", "0") osmdiag_source_new_kubeconfig;
%feature("nothread", "0") osmdiag_source_new_in_cluster;
%feature("nothread", "0") osmdiag_source_free;
%feature("nothread", "0") osmdiag_run;
%feature("nothread", "0") osmdiag_run_check;
%feature("nothread", "0") osmdiag_report_free;
%feature("nothread", "0") osmdiag_mesh_list_new;
%feature("nothread", "0") osmdiag_mesh_list_free;
%feature("nothread", "0") osmdiag_report::render_json;
%feature("nothread", "0") osmdiag_report::render;
%feature("nothread", "0") osmdiag_report::~osmdiag_report;
%feature("nothread", "0") osmdiag_source::~osmdiag_source;
%feature("nothread", "0") osmdiag_mesh_list::~osmdiag_mesh_list;

/* ---- ownership ------------------------------------------------------------ */
%newobject osmdiag_source_new_snapshot;
%newobject osmdiag_source_new_kubeconfig;
%newobject osmdiag_source_new_in_cluster;
%newobject osmdiag_options_new;
%newobject osmdiag_run;
%newobject osmdiag_run_check;
%newobject osmdiag_mesh_list_new;
%newobject osmdiag_report::render_json;
%newobject osmdiag_report::render;
%delobject osmdiag_source_free;
%delobject osmdiag_options_free;
%delobject osmdiag_report_free;
%delobject osmdiag_mesh_list_free;
%typemap(newfree) char * "osmdiag_free($1);";

/* Opaque handles: SWIG-only empty definitions so that they become types with
 * a destructor (an owned object freed by the garbage collector frees the C
 * handle; the explicit *_free functions disown it first, so never twice).
 * No constructors: handles come from the library's constructors only. */
%nodefaultctor;
struct osmdiag_source {};
struct osmdiag_options {};
struct osmdiag_report {};
struct osmdiag_mesh_list {};
%nodefaultdtor osmdiag_result;
%nodefaultdtor osmdiag_check_info;
struct osmdiag_result {};
struct osmdiag_check_info {};
%clearnodefaultctor;

%extend osmdiag_source { ~osmdiag_source() { osmdiag_source_free($self); } }
%extend osmdiag_options { ~osmdiag_options() { osmdiag_options_free($self); } }
%extend osmdiag_mesh_list { ~osmdiag_mesh_list() { osmdiag_mesh_list_free($self); } }
%extend osmdiag_report {
	~osmdiag_report() { osmdiag_report_free($self); }
	/* The JSON report (INTERFACES.md), or None when out of memory. */
	char *render_json() {
		char *out = NULL;
		if (osmdiag_report_to_json($self, &out) != OSMDIAG_OK)
			return NULL;
		return out;
	}
	/* Another format ("text" with OSMDIAG_TEXT_* flags, "junit", "sarif",
	 * "prometheus"), or None when out of memory or unknown. */
	char *render(const char *format, unsigned int flags) {
		char *out = NULL;
		int rc = OSMDIAG_EINVAL;
		if (strcmp(format, "text") == 0)
			rc = osmdiag_report_to_text($self, flags, &out);
		else if (strcmp(format, "junit") == 0)
			rc = osmdiag_report_to_junit($self, &out);
		else if (strcmp(format, "sarif") == 0)
			rc = osmdiag_report_to_sarif($self, &out);
		else if (strcmp(format, "prometheus") == 0)
			rc = osmdiag_report_to_prometheus($self, &out);
		return rc == OSMDIAG_OK ? out : NULL;
	}
}

/* The error struct is filled by the library; Python only reads it. */
%immutable osmdiag_error::code;
%immutable osmdiag_error::http_status;
%immutable osmdiag_error::message;

/* ---- not bound: need typemaps (char **out, int *out) or are not for Python */
%ignore osmdiag_version;
%ignore osmdiag_catalogue_to_json;
%ignore osmdiag_catalogue_to_markdown;
%ignore osmdiag_report_to_json;
%ignore osmdiag_report_to_text;
%ignore osmdiag_report_to_junit;
%ignore osmdiag_report_to_sarif;
%ignore osmdiag_report_to_prometheus;
%ignore osmdiag_source_list_json;
%ignore osmdiag_mesh_list_to_json;
%ignore osmdiag_snapshot_write;
%ignore osmdiag_free;
%ignore OSMDIAG_ERROR_MESSAGE_SIZE;
%ignore OSMDIAG_VERSION_CHECK;

/* ---- declarations ---------------------------------------------------------- */
#define OSMDIAG_BEGIN_DECL
#define OSMDIAG_END_DECL
#define OSMDIAG_API
%include <osmdiag/version.h>
%include <osmdiag/errors.h>
%include <osmdiag/source.h>
%include <osmdiag/check.h>
%include <osmdiag/report.h>
%include <osmdiag/mesh.h>
/* osmdiag.h: only the global init/shutdown (checks.h is reached through
 * run_check(id)). */
int osmdiag_global_init(void);
int osmdiag_global_shutdown(void);
