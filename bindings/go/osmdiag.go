package osmdiag

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/libosmdiag/osmdiag/bindings/go/internal/capi"
)

// Options select the cluster state to read and the checks to run. Exactly one
// source: Snapshots, InCluster, or (the default, as kubectl) a kubeconfig.
type Options struct {
	// Snapshots are files or directories of JSON/YAML objects (a snapshot source).
	Snapshots []string
	// Kubeconfig is the kubeconfig file; "" = $KUBECONFIG, else ~/.kube/config.
	Kubeconfig string
	// Context is the kubeconfig context; "" = the current context.
	Context string
	// InCluster reads the pod's service account (token, CA, KUBERNETES_SERVICE_HOST).
	InCluster bool

	// MeshNamespace and MeshName override mesh discovery ("" = discover).
	MeshNamespace string
	MeshName      string
	// Only runs just these check IDs ("OSMD201") or categories ("webhooks").
	Only []string
	// Skip skips these check IDs or categories.
	Skip []string
	// ExpiryWarningDays: certificates expiring sooner are "warn" (0 = the default, 30).
	ExpiryWarningDays int
	// Timeout bounds fetching cluster state from a live source (0 = none). The
	// context's deadline, when sooner, is used instead.
	Timeout time.Duration
}

// Resource names the Kubernetes object a result is about.
type Resource struct {
	Kind      string
	Namespace string // "" for cluster-scoped objects
	Name      string
}

// Result is one check result, copied out of the C report.
type Result struct {
	ID          string // "OSMD101"
	Category    string // "control-plane"
	Title       string
	Status      Status
	Message     string    // the object, what was seen and what was expected
	Resource    *Resource // nil when the result is not about one object
	Hint        string    // "" when absent
	Remediation string    // exact fix command; "" when none exists
	Docs        string    // "docs/checks.md#osmd101"
	Duration    time.Duration
}

// Mesh is the OSM control plane a report examined.
type Mesh struct {
	Name      string
	Namespace string
	Version   string
	Profile   string // the OSM release profile the checks used ("v1.2")
}

// Summary counts the results per status.
type Summary struct {
	Pass, Info, Skip, Warn, Fail, Error int
}

// Count returns the number of results with status s.
func (s Summary) Count(st Status) int {
	switch st {
	case StatusPass:
		return s.Pass
	case StatusInfo:
		return s.Info
	case StatusSkip:
		return s.Skip
	case StatusWarn:
		return s.Warn
	case StatusFail:
		return s.Fail
	case StatusError:
		return s.Error
	}
	return 0
}

// Report is the outcome of one run. It holds only Go memory.
type Report struct {
	Source   string // "snapshot a.json, b" or the live context description
	Mesh     *Mesh  // nil when no mesh was found
	Summary  Summary
	Results  []Result
	Duration time.Duration // fetch + checks
	json     []byte
	rendered map[string][]byte // the other formats, by renderKey
}

// Failed reports whether a result is at or above threshold (StatusWarn or
// StatusFail), as `osmdiag check --fail-on` decides exit code 1. Results
// with status "error" mean "could not evaluate": they count only for
// threshold StatusError.
func (r *Report) Failed(threshold Status) bool {
	t := threshold.Severity()
	if t < 0 {
		t = StatusFail.Severity()
	}
	for _, res := range r.Results {
		if res.Status == StatusError {
			if threshold == StatusError {
				return true
			}
			continue
		}
		if res.Status.Severity() >= t {
			return true
		}
	}
	return false
}

// ExitCode is the exit status `osmdiag check --fail-on threshold` gives for
// this report: 1 findings at or above threshold, 4 only errors, else 0.
func (r *Report) ExitCode(threshold Status) int {
	if threshold != StatusWarn {
		threshold = StatusFail
	}
	if r.Failed(threshold) {
		return 1
	}
	if r.Summary.Error > 0 {
		return 4
	}
	return 0
}

// Worst is the gravest status in the report (StatusPass when empty).
func (r *Report) Worst() Status {
	w := StatusPass
	for _, res := range r.Results {
		if res.Status.Severity() > w.Severity() {
			w = res.Status
		}
	}
	return w
}

// JSON returns the report as the JSON document of the CLI's `-o json`
// (schemaVersion 1, docs/report.schema.json). The slice is a copy.
func (r *Report) JSON() ([]byte, error) {
	if len(r.json) == 0 {
		return nil, &Error{Code: ErrGeneric, Message: "the report has no JSON rendering"}
	}
	return append([]byte(nil), r.json...), nil
}

// Text returns the report as `osmdiag check --no-color` prints it; verbose
// also shows the messages of passed checks (-v).
func (r *Report) Text(verbose bool) ([]byte, error) {
	if verbose {
		return r.render("text-verbose")
	}
	return r.render("text")
}

// JUnit returns the report as `osmdiag check -o junit` prints it.
func (r *Report) JUnit() ([]byte, error) { return r.render("junit") }

// SARIF returns the report as `osmdiag check -o sarif` prints it (SARIF 2.1.0).
func (r *Report) SARIF() ([]byte, error) { return r.render("sarif") }

// Prometheus returns the report as `osmdiag check -o prometheus` prints it
// (text exposition format).
func (r *Report) Prometheus() ([]byte, error) { return r.render("prometheus") }

func (r *Report) render(key string) ([]byte, error) {
	b, ok := r.rendered[key]
	if !ok {
		return nil, &Error{Code: ErrGeneric, Message: "the report has no " + key + " rendering"}
	}
	return append([]byte(nil), b...), nil
}

// renderings made by copyReport: key -> (format, OSMDIAG_TEXT_* flags). Rendering
// costs microseconds per result, so every Report carries them all.
var renderings = []struct {
	key, format string
	flags       uint
}{
	{"text", "text", 0}, {"text-verbose", "text", 4 /* OSMDIAG_TEXT_VERBOSE */}, {"junit", "junit", 0}, {"sarif", "sarif", 0},
	{"prometheus", "prometheus", 0},
}

var (
	initOnce sync.Once
	initErr  error
)

// setup runs osmdiag_global_init once per process and checks that the
// library loaded at run time matches the headers the binding was built with.
func setup() error {
	initOnce.Do(func() {
		if err := capi.CheckVersion(); err != nil {
			initErr = &Error{Code: ErrNotSupported, Message: err.Error()}
			return
		}
		if rc := capi.Global_init(); rc < 0 {
			initErr = newError(rc, 0, "osmdiag_global_init failed")
		}
	})
	return initErr
}

// Version is the version of the libosmdiag loaded at run time ("0.1.0").
func Version() string { return capi.Version_string() }

// LiveAvailable reports whether the loaded library has the live source
// (kubeconfig and in-cluster); without it only Snapshots work.
func LiveAvailable() bool { return capi.Go_live_available() != 0 }

// Run runs every selected check and returns the report. Check findings are
// results, not errors: err is non-nil only when the run could not happen
// (bad options, unreadable snapshot, unreachable cluster, refused
// credentials), and is then an *Error (errors.As), or ctx.Err() when ctx
// ended first.
//
// Every call uses its own C handles, so Run is safe from many goroutines.
// The C call runs on its own goroutine; when ctx is done first Run returns
// at once and the C call finishes in the background, bounded by the
// deadline passed to the library as its time budget.
func Run(ctx context.Context, opts Options) (*Report, error) {
	return run(ctx, opts, "")
}

// RunCheck runs one check by ID (plus what it depends on, silently).
func RunCheck(ctx context.Context, id string, opts Options) (*Report, error) {
	if id == "" {
		return nil, &Error{Code: ErrInvalid, Message: "RunCheck: empty check ID"}
	}
	return run(ctx, opts, id)
}

type outcome struct {
	rep *Report
	err error
}

func run(ctx context.Context, opts Options, checkID string) (*Report, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := setup(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl)
		if left <= 0 {
			return nil, context.DeadlineExceeded
		}
		if timeout <= 0 || left < timeout {
			timeout = left
		}
	}
	// Copy the slices: the goroutine may outlive this call.
	o := opts
	o.Snapshots = append([]string(nil), opts.Snapshots...)
	o.Only = append([]string(nil), opts.Only...)
	o.Skip = append([]string(nil), opts.Skip...)

	done := make(chan outcome, 1)
	box := &sourceBox{}
	go func() {
		rep, err := runC(o, checkID, timeout, box)
		done <- outcome{rep, err}
	}()
	select {
	case out := <-done:
		if out.err != nil {
			var e *Error
			if errors.As(out.err, &e) && e.Code == ErrTimeout && ctx.Err() != nil {
				e.cause = ctx.Err()
			}
		}
		return out.rep, out.err
	case <-ctx.Done():
		// Stop the C side too: its requests end within about a second.
		box.cancel()
		return nil, ctx.Err()
	}
}

// sourceBox lets Run cancel the C source of a call running in another
// goroutine, without racing with its free.
type sourceBox struct {
	mu        sync.Mutex
	src       capi.Source
	cancelled bool
}

func (b *sourceBox) set(src capi.Source) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.src = src
	if b.cancelled {
		capi.Source_cancel(src)
	}
}

func (b *sourceBox) cancel() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.cancelled = true
	if b.src != nil {
		capi.Source_cancel(b.src)
	}
}

// release frees the source once no cancel can reach it any more.
func (b *sourceBox) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.src != nil {
		capi.Source_free(b.src)
		b.src = nil
	}
}

// runC does every C call of one run on fresh handles and frees them all
// before returning; the report is copied into Go values.
func runC(o Options, checkID string, timeout time.Duration, box *sourceBox) (*Report, error) {
	cerr := capi.NewError()
	defer capi.DeleteError(cerr)

	src, desc, err := openSource(o, cerr)
	if err != nil {
		return nil, err
	}
	box.set(src)
	defer box.release()

	copts := capi.Options_new()
	if copts == nil || copts.Swigcptr() == 0 {
		return nil, &Error{Code: ErrNoMem, Message: "osmdiag_options_new failed"}
	}
	defer capi.Options_free(copts)
	if err := setOptions(copts, o, timeout); err != nil {
		return nil, err
	}

	var crep capi.Report
	if checkID != "" {
		crep = capi.Run_check(src, checkID, copts, cerr)
	} else {
		crep = capi.Run(src, copts, cerr)
	}
	if crep == nil || crep.Swigcptr() == 0 {
		return nil, fromCError(cerr)
	}
	defer capi.Report_free(crep)
	if desc == "" {
		desc = capi.Source_description(src)
	}
	if rc := capi.Report_set_source_description(crep, desc); rc != 0 {
		return nil, newError(rc, 0, "osmdiag_report_set_source_description failed")
	}
	return copyReport(crep, desc)
}

func openSource(o Options, cerr capi.Error) (capi.Source, string, error) {
	nsrc := 0
	if len(o.Snapshots) > 0 {
		nsrc++
	}
	if o.InCluster {
		nsrc++
	}
	if o.Kubeconfig != "" || o.Context != "" {
		nsrc++
	}
	if nsrc > 1 {
		return nil, "", &Error{Code: ErrInvalid,
			Message: "Options: choose one source: Snapshots, InCluster, or Kubeconfig/Context"}
	}
	var src capi.Source
	switch {
	case len(o.Snapshots) > 0:
		src = capi.Source_new_snapshot(cerr)
		if src == nil || src.Swigcptr() == 0 {
			return nil, "", fromCError(cerr)
		}
		for _, p := range o.Snapshots {
			if p == "" {
				capi.Source_free(src)
				return nil, "", &Error{Code: ErrInvalid, Message: "Options.Snapshots: empty path"}
			}
			if rc := capi.Source_add_snapshot(src, p); rc != 0 {
				e := newError(rc, 0, capi.Source_errmsg(src))
				capi.Source_free(src)
				return nil, "", e
			}
		}
		// The CLI's description, so that JSON() equals `osmdiag check -o json`.
		return src, "snapshot " + strings.Join(o.Snapshots, ", "), nil
	case o.InCluster:
		src = capi.Go_source_new_in_cluster(cerr)
	default:
		src = capi.Go_source_new_kubeconfig(o.Kubeconfig, o.Context, cerr)
	}
	if src == nil || src.Swigcptr() == 0 {
		e := fromCError(cerr)
		if e.Code == ErrNotSupported && e.Message == "" {
			e.Message = "this libosmdiag " + Version() + " has no live source (kubeconfig / in-cluster); use Options.Snapshots"
		}
		return nil, "", e
	}
	return src, "", nil
}

func setOptions(c capi.Options, o Options, timeout time.Duration) error {
	fail := func(rc int) error { return newError(rc, 0, capi.Options_errmsg(c)) }
	if o.MeshNamespace != "" {
		if rc := capi.Options_set_mesh_namespace(c, o.MeshNamespace); rc != 0 {
			return fail(rc)
		}
	}
	if o.MeshName != "" {
		if rc := capi.Options_set_mesh_name(c, o.MeshName); rc != 0 {
			return fail(rc)
		}
	}
	for _, s := range o.Only {
		if rc := capi.Options_only(c, s); rc != 0 {
			return fail(rc)
		}
	}
	for _, s := range o.Skip {
		if rc := capi.Options_skip(c, s); rc != 0 {
			return fail(rc)
		}
	}
	if o.ExpiryWarningDays != 0 {
		if rc := capi.Options_set_expiry_warning_days(c, o.ExpiryWarningDays); rc != 0 {
			return fail(rc)
		}
	}
	if timeout > 0 {
		ms := timeout.Milliseconds()
		if ms < 1 {
			ms = 1
		}
		if rc := capi.Options_set_timeout_ms(c, ms); rc != 0 {
			return fail(rc)
		}
	}
	return nil
}

func msDuration(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

func copyReport(c capi.Report, desc string) (*Report, error) {
	n := capi.Report_count(c)
	rep := &Report{
		Source:   desc,
		Results:  make([]Result, 0, n),
		Duration: msDuration(capi.Report_duration_ms(c)),
	}
	if name := capi.Report_mesh_name(c); name != "" {
		rep.Mesh = &Mesh{
			Name:      name,
			Namespace: capi.Report_mesh_namespace(c),
			Version:   capi.Report_mesh_version(c),
			Profile:   capi.Report_mesh_profile(c),
		}
	}
	for i := int64(0); i < n; i++ {
		r := capi.Report_at(c, i)
		if r == nil || r.Swigcptr() == 0 {
			continue
		}
		res := Result{
			ID:          capi.Result_id(r),
			Category:    capi.Result_category(r),
			Title:       capi.Result_title(r),
			Status:      statusFromC(capi.Result_status(r)),
			Message:     capi.Result_message(r),
			Hint:        capi.Result_hint(r),
			Remediation: capi.Result_remediation(r),
			Docs:        capi.Result_docs(r),
			Duration:    msDuration(capi.Result_duration_ms(r)),
		}
		if kind := capi.Result_resource_kind(r); kind != "" {
			res.Resource = &Resource{Kind: kind,
				Namespace: capi.Result_resource_namespace(r), Name: capi.Result_resource_name(r)}
		}
		rep.Results = append(rep.Results, res)
		switch res.Status {
		case StatusPass:
			rep.Summary.Pass++
		case StatusInfo:
			rep.Summary.Info++
		case StatusSkip:
			rep.Summary.Skip++
		case StatusWarn:
			rep.Summary.Warn++
		case StatusFail:
			rep.Summary.Fail++
		case StatusError:
			rep.Summary.Error++
		}
	}
	js := capi.Go_report_json(c)
	if js == "" {
		return nil, &Error{Code: ErrNoMem, Message: "osmdiag_report_to_json failed"}
	}
	rep.json = []byte(js)
	rep.rendered = make(map[string][]byte, len(renderings))
	for _, f := range renderings {
		s := capi.Go_report_render(c, f.format, f.flags)
		if s == "" {
			return nil, &Error{Code: ErrNoMem, Message: "rendering the " + f.key + " report failed"}
		}
		rep.rendered[f.key] = []byte(s)
	}
	return rep, nil
}
