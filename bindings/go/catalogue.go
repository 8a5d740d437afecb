package osmdiag

import (
	"strings"
	"sync"

	"github.com/libosmdiag/osmdiag/bindings/go/internal/capi"
)

// CheckInfo is one catalogue entry: what a check expects, why it matters and
// how to fix it (docs/checks.md is made from the same data).
type CheckInfo struct {
	ID          string // "OSMD101"
	Category    string // "control-plane"
	Title       string
	Expectation string // what the check expects
	Why         string // what breaks in the mesh when it does not hold
	Fix         string // how to fix it, in words and commands
	Guide       string // the AKS troubleshooting-guide step it automates
	Severity    string // severity of a violated expectation, "fail/warn"
	Docs        string // "docs/checks.md#osmd101"
}

var (
	catalogueOnce sync.Once
	catalogue     []CheckInfo
)

// Checks returns the catalogue, in catalogue order. The slice is a copy.
func Checks() []CheckInfo {
	catalogueOnce.Do(func() {
		n := capi.Catalogue_count()
		catalogue = make([]CheckInfo, 0, n)
		for i := int64(0); i < n; i++ {
			c := capi.Catalogue_at(i)
			if c == nil || c.Swigcptr() == 0 {
				continue
			}
			catalogue = append(catalogue, CheckInfo{
				ID:          capi.Check_info_id(c),
				Category:    capi.Check_info_category(c),
				Title:       capi.Check_info_title(c),
				Expectation: capi.Check_info_expectation(c),
				Why:         capi.Check_info_why(c),
				Fix:         capi.Check_info_fix(c),
				Guide:       capi.Check_info_guide(c),
				Severity:    capi.Check_info_severity(c),
				Docs:        capi.Check_info_docs(c),
			})
		}
	})
	return append([]CheckInfo(nil), catalogue...)
}

// Check returns the catalogue entry of a check ID (case-insensitive).
func Check(id string) (CheckInfo, bool) {
	for _, c := range Checks() {
		if strings.EqualFold(c.ID, id) {
			return c, true
		}
	}
	return CheckInfo{}, false
}
