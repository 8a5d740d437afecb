// Package capi is the SWIG-generated, typemap-free wrapper of the libosmdiag C
// API (capi.go, osmdiag_wrap.c, generated from osmdiag.i by SWIG 4.1.0) plus
// the cgo directives that find and check the library. It is internal: the
// public API is the idiomatic package github.com/libosmdiag/osmdiag/bindings/go.
//
// The #cgo lines live here, in a hand-written file, because SWIG's
// %insert(cgo_comment_typedefs) does not carry them (FEASIBILITY G3).
package capi

// The preamble below is C (FEASIBILITY G5: keep it separated from the Go
// comment above by a blank line).

/*
#cgo pkg-config: osmdiag
#include <osmdiag/osmdiag.h>

#ifndef OSMDIAG_VERSION_CHECK
#error "osmdiag Go binding: <osmdiag/version.h> lacks OSMDIAG_VERSION_CHECK; libosmdiag >= 0.1.0 is required (check PKG_CONFIG_PATH)"
#elif !OSMDIAG_VERSION_CHECK(0, 1, 0)
#error "osmdiag Go binding: libosmdiag >= 0.1.0 is required; pkg-config found older headers (check PKG_CONFIG_PATH)"
#elif OSMDIAG_VERSION_MAJOR != 0
#error "osmdiag Go binding: this binding supports libosmdiag 0.x; pkg-config found a newer major version"
#endif

static int osmdiag_go_header_number(void) { return OSMDIAG_VERSION_NUMBER; }
static const char *osmdiag_go_header_version(void) { return OSMDIAG_VERSION; }
*/
import "C"

import "fmt"

// HeaderVersion is the version of the headers this package was compiled against.
func HeaderVersion() string { return C.GoString(C.osmdiag_go_header_version()) }

// CheckVersion compares the library loaded at run time with the headers the
// package was compiled against: same major version, and not older.
func CheckVersion() error {
	var maj, min, pat C.int
	C.osmdiag_version(&maj, &min, &pat)
	have := int(maj)*1000000 + int(min)*1000 + int(pat)
	want := int(C.osmdiag_go_header_number())
	if int(maj) != want/1000000 || have < want {
		return fmt.Errorf("libosmdiag %s loaded at run time, but the Go binding was built against %s headers: "+
			"check LD_LIBRARY_PATH / the installed library", Version_string(), HeaderVersion())
	}
	return nil
}
