package osmdiag_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	osmdiag "github.com/libosmdiag/osmdiag/bindings/go"
)

// The bundled snapshots, relative to bindings/go (go test runs in the package dir).
var snapshots = []string{
	"../../examples/snapshots/aks-osm-v1.2-healthy",
	"../../examples/snapshots/aks-osm-v1.2-broken",
	"../../tests/fixtures/healthy-v1.0",
	"../../tests/fixtures/healthy-v1.1",
}

// cli returns the osmdiag CLI to compare with (OSMDIAG_CLI, set by meson).
func cli(t *testing.T) string {
	t.Helper()
	p := os.Getenv("OSMDIAG_CLI")
	if p == "" {
		t.Skip("OSMDIAG_CLI not set (meson sets it to <build>/cli/osmdiag)")
	}
	return p
}

// runCLI runs the CLI and returns stdout; exit codes 0, 1 and 4 are reports.
func runCLI(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(cli(t), args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || (ee.ExitCode() != 1 && ee.ExitCode() != 4) {
			t.Fatalf("osmdiag %v: %v\n%s", args, err, errb.String())
		}
	}
	return out.Bytes()
}

// normalise parses a JSON report and drops every durationMs member.
func normalise(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, b)
	}
	var strip func(any)
	strip = func(x any) {
		switch y := x.(type) {
		case map[string]any:
			delete(y, "durationMs")
			for _, z := range y {
				strip(z)
			}
		case []any:
			for _, z := range y {
				strip(z)
			}
		}
	}
	strip(v)
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func TestRunMatchesCLI(t *testing.T) {
	for _, snap := range snapshots {
		snap := snap
		t.Run(filepath.Base(snap), func(t *testing.T) {
			want := normalise(t, runCLI(t, "check", "--snapshot", snap, "-o", "json"))
			rep, err := osmdiag.Run(context.Background(), osmdiag.Options{Snapshots: []string{snap}})
			if err != nil {
				t.Fatal(err)
			}
			js, err := rep.JSON()
			if err != nil {
				t.Fatal(err)
			}
			if got := normalise(t, js); !reflect.DeepEqual(got, want) {
				t.Errorf("JSON() differs from `osmdiag check -o json`:\n got %v\nwant %v", got, want)
			}

			// The Go values carry the same results as the document.
			wres := want["results"].([]any)
			if len(rep.Results) != len(wres) {
				t.Fatalf("%d results, CLI has %d", len(rep.Results), len(wres))
			}
			for i, w := range wres {
				w := w.(map[string]any)
				r := rep.Results[i]
				if r.ID != w["id"] || r.Category != w["category"] || r.Title != w["title"] ||
					string(r.Status) != w["status"] || r.Message != w["message"] ||
					r.Hint != str(w["hint"]) || r.Remediation != str(w["remediation"]) || r.Docs != w["docs"] {
					t.Errorf("result %d: %+v\nCLI: %v", i, r, w)
				}
				if wr, ok := w["resource"].(map[string]any); ok {
					if r.Resource == nil || r.Resource.Kind != wr["kind"] || r.Resource.Name != wr["name"] ||
						r.Resource.Namespace != str(wr["namespace"]) {
						t.Errorf("result %d resource %+v, CLI %v", i, r.Resource, wr)
					}
				} else if r.Resource != nil {
					t.Errorf("result %d resource %+v, CLI none", i, r.Resource)
				}
			}
			ws := want["summary"].(map[string]any)
			for _, s := range osmdiag.Statuses {
				if float64(rep.Summary.Count(s)) != ws[string(s)] {
					t.Errorf("summary %s = %d, CLI %v", s, rep.Summary.Count(s), ws[string(s)])
				}
			}
			if wm, ok := want["mesh"].(map[string]any); ok {
				if rep.Mesh == nil || rep.Mesh.Name != wm["name"] || rep.Mesh.Namespace != wm["namespace"] ||
					rep.Mesh.Version != wm["version"] || rep.Mesh.Profile != wm["profile"] {
					t.Errorf("mesh %+v, CLI %v", rep.Mesh, wm)
				}
			}
			healthy := !strings.Contains(snap, "broken")
			if rep.Failed(osmdiag.StatusFail) == healthy {
				t.Errorf("Failed(fail) = %v on %s", rep.Failed(osmdiag.StatusFail), snap)
			}
		})
	}
}

// timings differ between two runs: durations in every format
var varying = regexp.MustCompile(`time="[0-9.]+"|"durationMs": ?[0-9.e+-]+|osmdiag_\w*duration_seconds(\{[^}]*\})? [0-9.e+-]+|in [0-9.]+ ?m?s`)

func TestOtherFormatsMatchCLI(t *testing.T) {
	smi := "../../tests/fixtures/bookstore-smi-permissive"
	for _, snap := range append([]string{smi}, snapshots...) {
		rep, err := osmdiag.Run(context.Background(), osmdiag.Options{Snapshots: []string{snap}})
		if err != nil {
			t.Fatal(err)
		}
		text, _ := rep.Text(false)
		verbose, _ := rep.Text(true)
		junit, _ := rep.JUnit()
		sarif, _ := rep.SARIF()
		prom, _ := rep.Prometheus()
		for _, c := range []struct {
			got  []byte
			args []string
		}{
			{text, []string{"--no-color"}}, {verbose, []string{"--no-color", "-v"}}, {junit, []string{"-o", "junit"}},
			{sarif, []string{"-o", "sarif"}}, {prom, []string{"-o", "prometheus"}},
		} {
			want := runCLI(t, append([]string{"check", "--snapshot", snap}, c.args...)...)
			if len(c.got) == 0 || !bytes.Equal(varying.ReplaceAll(c.got, nil), varying.ReplaceAll(want, nil)) {
				t.Errorf("%s %v: differs from the CLI\n--- got\n%s\n--- CLI\n%s", snap, c.args, c.got, want)
			}
		}
		if snap == smi && len(verbose) <= len(text) {
			t.Errorf("verbose text (%d bytes) is not longer than plain (%d)", len(verbose), len(text))
		}
	}
	if _, err := (&osmdiag.Report{}).JUnit(); err == nil {
		t.Error("a Report not made by Run has no JUnit rendering")
	}
}

func TestBrokenExample(t *testing.T) {
	rep, err := osmdiag.Run(context.Background(), osmdiag.Options{Snapshots: []string{snapshots[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Fail == 0 || !rep.Failed(osmdiag.StatusFail) || !rep.Failed(osmdiag.StatusWarn) ||
		rep.ExitCode(osmdiag.StatusFail) != 1 || rep.Worst() != osmdiag.StatusFail {
		t.Errorf("broken example: summary %+v worst %s", rep.Summary, rep.Worst())
	}
	if rep.Duration <= 0 || rep.Results[0].Duration < 0 {
		t.Errorf("durations: %v %v", rep.Duration, rep.Results[0].Duration)
	}
}

func TestOnlySkipRunCheck(t *testing.T) {
	ctx := context.Background()
	snap := snapshots[1]
	rep, err := osmdiag.Run(ctx, osmdiag.Options{Snapshots: []string{snap}, Only: []string{"webhooks"}, Skip: []string{"OSMD221"}})
	if err != nil {
		t.Fatal(err)
	}
	want := normalise(t, runCLI(t, "check", "--snapshot", snap, "--only", "webhooks", "--skip", "OSMD221", "-o", "json"))
	js, _ := rep.JSON()
	if got := normalise(t, js); !reflect.DeepEqual(got, want) {
		t.Errorf("--only webhooks --skip OSMD221 differs from the CLI")
	}
	for _, r := range rep.Results {
		if r.Category != "webhooks" || r.ID == "OSMD221" {
			t.Errorf("unexpected result %s %s", r.ID, r.Category)
		}
	}
	one, err := osmdiag.RunCheck(ctx, "OSMD203", osmdiag.Options{Snapshots: []string{snap}})
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Results) == 0 {
		t.Fatal("RunCheck(OSMD203): no results")
	}
	for _, r := range one.Results {
		if r.ID != "OSMD203" {
			t.Errorf("RunCheck(OSMD203) returned %s", r.ID)
		}
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{\"kind\": \"Pod\",\n  oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		opts osmdiag.Options
		code osmdiag.ErrorCode
		msg  string
	}{
		{"missing snapshot", osmdiag.Options{Snapshots: []string{filepath.Join(dir, "nope.json")}}, osmdiag.ErrNotFound, "nope.json"},
		{"malformed snapshot", osmdiag.Options{Snapshots: []string{bad}}, osmdiag.ErrParse, "bad.json"},
		{"unknown check", osmdiag.Options{Snapshots: []string{snapshots[0]}, Only: []string{"OSMD999"}}, osmdiag.ErrInvalid, "OSMD999"},
		{"two sources", osmdiag.Options{Snapshots: []string{snapshots[0]}, InCluster: true}, osmdiag.ErrInvalid, "one source"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep, err := osmdiag.Run(ctx, c.opts)
			if err == nil || rep != nil {
				t.Fatalf("want an error, got %v, %v", rep, err)
			}
			var e *osmdiag.Error
			if !errors.As(err, &e) {
				t.Fatalf("%T %v is not an *osmdiag.Error", err, err)
			}
			if e.Code != c.code || !errors.Is(err, c.code) || !strings.Contains(e.Message, c.msg) {
				t.Errorf("got code %d (%s) message %q; want %s containing %q", e.Code, e.Code.Name(), e.Message, c.code.Name(), c.msg)
			}
			if !strings.Contains(err.Error(), c.code.Name()) {
				t.Errorf("Error() = %q lacks %s", err.Error(), c.code.Name())
			}
		})
	}
	if _, err := osmdiag.RunCheck(ctx, "OSMD999", osmdiag.Options{Snapshots: []string{snapshots[0]}}); !errors.Is(err, osmdiag.ErrInvalid) {
		t.Errorf("RunCheck(OSMD999): %v", err)
	}
}

func TestContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := osmdiag.Run(ctx, osmdiag.Options{Snapshots: []string{snapshots[0]}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	ctx, cancel = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := osmdiag.Run(ctx, osmdiag.Options{Snapshots: []string{snapshots[0]}}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired deadline: %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := osmdiag.Run(ctx, osmdiag.Options{Snapshots: []string{snapshots[0]}, Timeout: time.Hour}); err != nil {
		t.Errorf("with deadline: %v", err)
	}
}

func TestConcurrent(t *testing.T) {
	ctx := context.Background()
	want := map[string][]osmdiag.Result{}
	for _, s := range snapshots {
		rep, err := osmdiag.Run(ctx, osmdiag.Options{Snapshots: []string{s}})
		if err != nil {
			t.Fatal(err)
		}
		want[s] = rep.Results
	}
	strip := func(rs []osmdiag.Result) []osmdiag.Result {
		out := append([]osmdiag.Result(nil), rs...)
		for i := range out {
			out[i].Duration = 0
		}
		return out
	}
	n := 4 * runtime.GOMAXPROCS(0)
	if n < 16 {
		n = 16
	}
	var wg sync.WaitGroup
	errs := make(chan error, n*8)
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 8; i++ {
				s := snapshots[(g+i)%len(snapshots)]
				if i%4 == 3 { // errors concurrently too
					if _, err := osmdiag.Run(ctx, osmdiag.Options{Snapshots: []string{s + "/does-not-exist"}}); !errors.Is(err, osmdiag.ErrNotFound) {
						errs <- errors.New("concurrent error run: " + errString(err))
					}
					continue
				}
				rep, err := osmdiag.Run(ctx, osmdiag.Options{Snapshots: []string{s}})
				if err != nil {
					errs <- err
					continue
				}
				if !reflect.DeepEqual(strip(rep.Results), strip(want[s])) {
					errs <- errors.New("concurrent run of " + s + " differs")
				}
				_ = osmdiag.Checks()
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestChecksAndVersion(t *testing.T) {
	var want []map[string]any
	if err := json.Unmarshal(runCLI(t, "checks", "-o", "json"), &want); err != nil {
		t.Fatal(err)
	}
	got := osmdiag.Checks()
	if len(got) == 0 || len(got) != len(want) {
		t.Fatalf("%d checks, CLI lists %d", len(got), len(want))
	}
	for i, c := range got {
		if c.ID != want[i]["id"] || c.Title != want[i]["title"] || c.Category != want[i]["category"] ||
			c.Docs == "" || c.Why == "" || c.Fix == "" {
			t.Errorf("check %d: %+v, CLI %v", i, c, want[i])
		}
	}
	if c, ok := osmdiag.Check("osmd101"); !ok || c.ID != "OSMD101" {
		t.Errorf("Check(osmd101) = %+v, %v", c, ok)
	}
	out, err := exec.Command(cli(t), "--version").Output()
	if err == nil && !strings.Contains(string(out), osmdiag.Version()) {
		t.Errorf("Version() = %q, CLI says %q", osmdiag.Version(), out)
	}
	if osmdiag.Version() == "" {
		t.Error("empty Version()")
	}
}

func TestLiveUnavailableOrBadKubeconfig(t *testing.T) {
	// Without the live source: a clear ENOTSUPPORTED. With it: a missing
	// kubeconfig file is an *Error too, never a crash.
	_, err := osmdiag.Run(context.Background(), osmdiag.Options{Kubeconfig: filepath.Join(t.TempDir(), "missing")})
	var e *osmdiag.Error
	if !errors.As(err, &e) {
		t.Fatalf("%T %v", err, err)
	}
	if !osmdiag.LiveAvailable() && e.Code != osmdiag.ErrNotSupported {
		t.Errorf("no live source: got %s", e.Code.Name())
	}
	t.Logf("live source available: %v; error: %v", osmdiag.LiveAvailable(), err)
}
