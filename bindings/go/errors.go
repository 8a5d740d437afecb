package osmdiag

import (
	"fmt"

	"github.com/libosmdiag/osmdiag/bindings/go/internal/capi"
)

// ErrorCode is a libosmdiag error code (osmdiag_errcode): negative,
// append-only, never renumbered. An ErrorCode is itself an error, so
// errors.Is(err, osmdiag.ErrParse) tests the code of an *Error.
type ErrorCode int

// The error codes of <osmdiag/errors.h>.
const (
	ErrGeneric      ErrorCode = -1  // OSMDIAG_ERROR: generic failure
	ErrNoMem        ErrorCode = -2  // OSMDIAG_ENOMEM
	ErrInvalid      ErrorCode = -3  // OSMDIAG_EINVAL: bad option, unknown check ID
	ErrNotFound     ErrorCode = -4  // OSMDIAG_ENOTFOUND: file or object not found
	ErrConfig       ErrorCode = -5  // OSMDIAG_ECONFIG: invalid kubeconfig
	ErrAuth         ErrorCode = -6  // OSMDIAG_EAUTH: HTTP 401
	ErrTLS          ErrorCode = -7  // OSMDIAG_ETLS
	ErrNet          ErrorCode = -8  // OSMDIAG_ENET: server unreachable
	ErrTimeout      ErrorCode = -9  // OSMDIAG_ETIMEOUT: the time budget expired
	ErrHTTP         ErrorCode = -10 // OSMDIAG_EHTTP: unexpected HTTP status
	ErrParse        ErrorCode = -11 // OSMDIAG_EPARSE: malformed snapshot or response
	ErrExec         ErrorCode = -12 // OSMDIAG_EEXEC: exec credential plugin failed
	ErrNotSupported ErrorCode = -13 // OSMDIAG_ENOTSUPPORTED
	ErrForbidden    ErrorCode = -14 // OSMDIAG_EFORBIDDEN: HTTP 403
	ErrCanceled     ErrorCode = -15 // OSMDIAG_ECANCELED: the source was cancelled
)

// Name is the symbolic C name, "OSMDIAG_EPARSE".
func (c ErrorCode) Name() string { return capi.Err_name(int(c)) }

// Error is the library's description of the code.
func (c ErrorCode) Error() string { return capi.Strerror(int(c)) }

// Error is what every failing call of this package returns (use errors.As).
// It carries the C library's code and one-line message.
type Error struct {
	Code       ErrorCode // the osmdiag_errcode
	HTTPStatus int       // HTTP status where one was received, else 0
	Message    string    // names the file, object or request; never a secret
	cause      error     // context error when the context ended the run
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Code.Error()
	}
	return fmt.Sprintf("osmdiag: %s (%s)", msg, e.Code.Name())
}

// Is matches an ErrorCode (errors.Is(err, osmdiag.ErrTimeout)) and, when a
// context ended the run, the context's error.
func (e *Error) Is(target error) bool {
	if c, ok := target.(ErrorCode); ok {
		return c == e.Code
	}
	return false
}

// Unwrap returns context.Canceled / context.DeadlineExceeded when the
// caller's context ended the run, else nil.
func (e *Error) Unwrap() error { return e.cause }

func newError(code int, http int, msg string) *Error {
	if code == 0 {
		code = int(ErrGeneric)
	}
	return &Error{Code: ErrorCode(code), HTTPStatus: http, Message: msg}
}

// fromCError copies a filled osmdiag_error.
func fromCError(e capi.Error) *Error {
	return newError(e.GetCode(), e.GetHttp_status(), e.GetMessage())
}
