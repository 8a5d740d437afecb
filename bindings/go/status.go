package osmdiag

import "github.com/libosmdiag/osmdiag/bindings/go/internal/capi"

// Status is the outcome of one check, as the JSON report spells it.
type Status string

// The statuses, in rising order of gravity.
const (
	StatusPass  Status = "pass"
	StatusInfo  Status = "info"
	StatusSkip  Status = "skip"
	StatusWarn  Status = "warn"
	StatusFail  Status = "fail"
	StatusError Status = "error"
)

// Statuses lists every status in rising order of gravity.
var Statuses = []Status{StatusPass, StatusInfo, StatusSkip, StatusWarn, StatusFail, StatusError}

// Severity is the status's rank: 0 for pass ... 5 for error, -1 if unknown.
func (s Status) Severity() int {
	for i, v := range Statuses {
		if v == s {
			return i
		}
	}
	return -1
}

func (s Status) String() string { return string(s) }

func statusFromC(v int) Status { return Status(capi.Status_name(v)) }
