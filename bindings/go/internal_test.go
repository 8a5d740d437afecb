package osmdiag

import (
	"testing"

	"github.com/libosmdiag/osmdiag/bindings/go/internal/capi"
)

// The Go constants are hard-coded (the C codes are append-only); this keeps
// them honest against the headers.
func TestCodesMatchC(t *testing.T) {
	pairs := map[ErrorCode]int{
		ErrGeneric: capi.OSMDIAG_ERROR, ErrNoMem: capi.OSMDIAG_ENOMEM, ErrInvalid: capi.OSMDIAG_EINVAL,
		ErrNotFound: capi.OSMDIAG_ENOTFOUND, ErrConfig: capi.OSMDIAG_ECONFIG, ErrAuth: capi.OSMDIAG_EAUTH,
		ErrTLS: capi.OSMDIAG_ETLS, ErrNet: capi.OSMDIAG_ENET, ErrTimeout: capi.OSMDIAG_ETIMEOUT,
		ErrHTTP: capi.OSMDIAG_EHTTP, ErrParse: capi.OSMDIAG_EPARSE, ErrExec: capi.OSMDIAG_EEXEC,
		ErrNotSupported: capi.OSMDIAG_ENOTSUPPORTED, ErrForbidden: capi.OSMDIAG_EFORBIDDEN,
		ErrCanceled: capi.OSMDIAG_ECANCELED,
	}
	for g, c := range pairs {
		if int(g) != c {
			t.Errorf("%s: Go %d, C %d", g.Name(), g, c)
		}
	}
	for i, s := range Statuses {
		if capi.Status_from_name(string(s)) != i || statusFromC(i) != s {
			t.Errorf("status %s is not C status %d", s, i)
		}
	}
	if err := capi.CheckVersion(); err != nil {
		t.Error(err)
	}
	if capi.HeaderVersion() != Version() {
		t.Errorf("headers %s, library %s", capi.HeaderVersion(), Version())
	}
}
