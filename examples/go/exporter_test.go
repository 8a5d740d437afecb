package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	osmdiag "github.com/libosmdiag/osmdiag/bindings/go"
)

const broken = "../snapshots/aks-osm-v1.2-broken"

func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// Every non-comment line must be `name{labels} value` or `name value`.
var sampleRE = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? -?[0-9.eE+-]+$`)

func TestMetricsAndHealth(t *testing.T) {
	e := newExporter(osmdiag.Options{Snapshots: []string{broken}}, time.Minute)
	srv := httptest.NewServer(e.handler())
	defer srv.Close()

	// Before the first run: healthy (just started), no check series yet.
	if code, _, _ := get(t, srv.URL+"/healthz"); code != 200 {
		t.Errorf("/healthz before the first run: %d", code)
	}
	_, _, body := get(t, srv.URL+"/metrics")
	if strings.Contains(body, "osmdiag_check_status{") || !strings.Contains(body, "osmdiag_last_run_success 0") {
		t.Errorf("metrics before the first run:\n%s", body)
	}

	if err := e.runOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	code, ctype, body := get(t, srv.URL+"/metrics")
	if code != 200 || !strings.HasPrefix(ctype, "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %q", code, ctype)
	}
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		if !strings.HasPrefix(l, "#") && !sampleRE.MatchString(l) {
			t.Errorf("not a Prometheus sample: %q", l)
		}
	}
	for _, want := range []string{
		`osmdiag_check_status{id="OSMD101",category="control-plane",status="warn"} 1`,
		`osmdiag_check_status{id="OSMD101",category="control-plane",status="pass"} 0`,
		`osmdiag_check_status{id="OSMD102",category="control-plane",status="fail"} 1`,
		`osmdiag_results{status="fail"} 12`,
		`osmdiag_last_run_success 1`,
		`osmdiag_runs_total 1`,
		`osmdiag_run_errors_total 0`,
		`osmdiag_mesh_info{name="osm",namespace="kube-system",version="v1.2.5",profile="v1.2"} 1`,
		"# TYPE osmdiag_last_run_duration_seconds gauge",
		"# TYPE osmdiag_last_run_timestamp_seconds gauge",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "osmdiag_last_run_timestamp_seconds 0\n") {
		t.Error("last run timestamp not set")
	}

	// Same per-check gauges as the library's own Prometheus export.
	if cli := os.Getenv("OSMDIAG_CLI"); cli != "" {
		out, err := exec.Command(cli, "check", "--snapshot", broken, "-o", "prometheus").Output()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "osmdiag_check_status{") && !strings.Contains(body, l+"\n") {
				t.Errorf("CLI series %q missing or different", l)
			}
		}
	}

	// A failing run keeps the last report, flags the failure.
	e.opts = osmdiag.Options{Snapshots: []string{filepath.Join(t.TempDir(), "missing")}}
	if err := e.runOnce(context.Background()); err == nil {
		t.Fatal("want an error for a missing snapshot")
	}
	_, _, body = get(t, srv.URL+"/metrics")
	for _, want := range []string{"osmdiag_last_run_success 0", "osmdiag_runs_total 2", "osmdiag_run_errors_total 1",
		`osmdiag_check_status{id="OSMD102",category="control-plane",status="fail"} 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("after a failed run /metrics lacks %q", want)
		}
	}

	// Liveness: unhealthy when no run happened for 3 intervals.
	if code, _, _ := get(t, srv.URL+"/healthz"); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
	e.now = func() time.Time { return time.Now().Add(10 * time.Minute) }
	if code, _, _ := get(t, srv.URL+"/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("/healthz with a stale run: %d", code)
	}
}

func TestLoop(t *testing.T) {
	e := newExporter(osmdiag.Options{Snapshots: []string{"../snapshots/aks-osm-v1.2-healthy"}}, 20*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	e.loop(ctx, t.Logf)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.runs < 2 || e.last == nil || e.last.Failed(osmdiag.StatusFail) {
		t.Errorf("loop: %d runs, last %v", e.runs, e.last)
	}
}

// The example builds as a program and its --once mode prints the metrics.
func TestBuildAndOnce(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "osmdiag-operator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--snapshot", broken, "--once").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `osmdiag_results{status="fail"} 12`) {
		t.Errorf("--once printed:\n%s", out)
	}
}
