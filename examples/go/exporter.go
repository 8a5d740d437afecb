package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	osmdiag "github.com/libosmdiag/osmdiag/bindings/go"
)

// exporter runs the checks periodically and serves the last outcome.
type exporter struct {
	opts     osmdiag.Options
	interval time.Duration
	runFn    func(context.Context, osmdiag.Options) (*osmdiag.Report, error)
	now      func() time.Time
	started  time.Time

	mu        sync.Mutex
	last      *osmdiag.Report // last successful report
	lastRun   time.Time       // end of the last attempt
	lastDur   time.Duration   // duration of the last attempt
	lastErr   error
	runs      int
	runErrors int
}

func newExporter(opts osmdiag.Options, interval time.Duration) *exporter {
	return &exporter{opts: opts, interval: interval, runFn: osmdiag.Run, now: time.Now, started: time.Now()}
}

// runOnce runs the checks once, bounded by the interval, and records the outcome.
func (e *exporter) runOnce(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, e.interval)
	defer cancel()
	start := e.now()
	rep, err := e.runFn(ctx, e.opts)
	end := e.now()

	e.mu.Lock()
	defer e.mu.Unlock()
	e.runs++
	e.lastRun, e.lastDur, e.lastErr = end, end.Sub(start), err
	if err != nil {
		e.runErrors++
		return err
	}
	e.last = rep
	return nil
}

// loop runs the checks now and then every interval until ctx ends.
func (e *exporter) loop(ctx context.Context, logf func(string, ...any)) {
	t := time.NewTicker(e.interval)
	defer t.Stop()
	for {
		if err := e.runOnce(ctx); err != nil && ctx.Err() == nil {
			logf("osmdiag run failed: %v", err)
		} else if err == nil {
			e.mu.Lock()
			s := e.last.Summary
			e.mu.Unlock()
			logf("osmdiag run: %d pass, %d info, %d skip, %d warn, %d fail, %d error",
				s.Pass, s.Info, s.Skip, s.Warn, s.Fail, s.Error)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (e *exporter) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", e.serveMetrics)
	mux.HandleFunc("/healthz", e.serveHealth)
	return mux
}

// serveHealth is a liveness probe: healthy while the loop keeps attempting
// runs (a failing cluster is a metric, not a reason to restart the pod).
func (e *exporter) serveHealth(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	last := e.lastRun
	e.mu.Unlock()
	grace := 3 * e.interval
	if grace < time.Minute {
		grace = time.Minute
	}
	ref := last
	if ref.IsZero() {
		ref = e.started
	}
	if age := e.now().Sub(ref); age > grace {
		http.Error(w, fmt.Sprintf("no osmdiag run for %s", age.Round(time.Second)), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

// serveMetrics writes the Prometheus text exposition format (0.0.4).
func (e *exporter) serveMetrics(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	rep, lastRun, lastDur, lastErr, runs, runErrors := e.last, e.lastRun, e.lastDur, e.lastErr, e.runs, e.runErrors
	e.mu.Unlock()

	var b bytes.Buffer
	b.WriteString("# HELP osmdiag_check_status Status of each osmdiag check: 1 for its worst result status, 0 for the others.\n")
	b.WriteString("# TYPE osmdiag_check_status gauge\n")
	if rep != nil {
		type key struct{ id, cat string }
		worst := map[key]osmdiag.Status{}
		var order []key
		for _, res := range rep.Results {
			k := key{res.ID, res.Category}
			w, seen := worst[k]
			if !seen {
				order = append(order, k)
			}
			if !seen || res.Status.Severity() > w.Severity() {
				worst[k] = res.Status
			}
		}
		for _, k := range order {
			for _, s := range osmdiag.Statuses {
				v := 0
				if worst[k] == s {
					v = 1
				}
				fmt.Fprintf(&b, "osmdiag_check_status{id=\"%s\",category=\"%s\",status=\"%s\"} %d\n",
					escapeLabel(k.id), escapeLabel(k.cat), s, v)
			}
		}
		b.WriteString("# HELP osmdiag_results Number of results per status in the last successful run.\n")
		b.WriteString("# TYPE osmdiag_results gauge\n")
		for _, s := range osmdiag.Statuses {
			fmt.Fprintf(&b, "osmdiag_results{status=\"%s\"} %d\n", s, rep.Summary.Count(s))
		}
		if rep.Mesh != nil {
			b.WriteString("# HELP osmdiag_mesh_info The OSM mesh the last successful run examined.\n")
			b.WriteString("# TYPE osmdiag_mesh_info gauge\n")
			fmt.Fprintf(&b, "osmdiag_mesh_info{name=\"%s\",namespace=\"%s\",version=\"%s\",profile=\"%s\"} 1\n",
				escapeLabel(rep.Mesh.Name), escapeLabel(rep.Mesh.Namespace), escapeLabel(rep.Mesh.Version), escapeLabel(rep.Mesh.Profile))
		}
	}
	b.WriteString("# HELP osmdiag_last_run_timestamp_seconds End of the last run attempt, Unix time.\n")
	b.WriteString("# TYPE osmdiag_last_run_timestamp_seconds gauge\n")
	ts := 0.0
	if !lastRun.IsZero() {
		ts = float64(lastRun.UnixNano()) / 1e9
	}
	fmt.Fprintf(&b, "osmdiag_last_run_timestamp_seconds %.3f\n", ts)
	b.WriteString("# HELP osmdiag_last_run_duration_seconds Duration of the last run attempt.\n")
	b.WriteString("# TYPE osmdiag_last_run_duration_seconds gauge\n")
	fmt.Fprintf(&b, "osmdiag_last_run_duration_seconds %g\n", lastDur.Seconds())
	b.WriteString("# HELP osmdiag_last_run_success 1 when the last run attempt produced a report.\n")
	b.WriteString("# TYPE osmdiag_last_run_success gauge\n")
	ok := 0
	if runs > 0 && lastErr == nil {
		ok = 1
	}
	fmt.Fprintf(&b, "osmdiag_last_run_success %d\n", ok)
	b.WriteString("# HELP osmdiag_runs_total Run attempts.\n# TYPE osmdiag_runs_total counter\n")
	fmt.Fprintf(&b, "osmdiag_runs_total %d\n", runs)
	b.WriteString("# HELP osmdiag_run_errors_total Run attempts that could not produce a report.\n# TYPE osmdiag_run_errors_total counter\n")
	fmt.Fprintf(&b, "osmdiag_run_errors_total %d\n", runErrors)
	b.WriteString("# HELP osmdiag_build_info Version of libosmdiag.\n# TYPE osmdiag_build_info gauge\n")
	fmt.Fprintf(&b, "osmdiag_build_info{version=\"%s\"} 1\n", escapeLabel(osmdiag.Version()))

	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Write(b.Bytes())
}
