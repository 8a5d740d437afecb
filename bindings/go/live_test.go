package osmdiag_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/libosmdiag/osmdiag/bindings/go"
)

// startFake serves a snapshot with the repository's fake API server
// (tests/fakeapi/run) and returns the kubeconfig it wrote.
func startFake(t *testing.T, snapshot string, faults string) string {
	t.Helper()
	run, err := filepath.Abs("../../tests/fakeapi/run")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(run); err != nil {
		t.Skip("tests/fakeapi/run not found")
	}
	dir := t.TempDir()
	kc := filepath.Join(dir, "kubeconfig")
	args := []string{"--snapshot", snapshot, "--listen", "127.0.0.1:0", "--kubeconfig-out", kc}
	if faults != "" {
		f := filepath.Join(dir, "faults.json")
		if err := os.WriteFile(f, []byte(faults), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--faults", f)
	}
	cmd := exec.Command(run, args...)
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "ready ") {
		t.Fatalf("fake API server did not start: %q %v", line, err)
	}
	return kc
}

// A live run gives the same results as the snapshot it serves.
func TestLiveMatchesSnapshot(t *testing.T) {
	kc := startFake(t, snapshots[1], "")
	live, err := osmdiag.Run(context.Background(), osmdiag.Options{Kubeconfig: kc, Timeout: time.Minute})
	if err != nil {
		t.Fatalf("live run: %v", err)
	}
	snap, err := osmdiag.Run(context.Background(), osmdiag.Options{Snapshots: []string{snapshots[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if live.Summary != snap.Summary || len(live.Results) != len(snap.Results) {
		t.Fatalf("live %v (%d results) != snapshot %v (%d results)", live.Summary, len(live.Results),
			snap.Summary, len(snap.Results))
	}
	for i := range live.Results {
		if live.Results[i].ID != snap.Results[i].ID || live.Results[i].Message != snap.Results[i].Message {
			t.Errorf("result %d: live %s %q, snapshot %s %q", i, live.Results[i].ID, live.Results[i].Message,
				snap.Results[i].ID, snap.Results[i].Message)
		}
	}
}

// Cancelling the context stops a live run that waits on a slow server: Run
// returns at once, and the C side stops its requests (osmdiag_source_cancel).
func TestLiveCancel(t *testing.T) {
	kc := startFake(t, snapshots[0], `[{"name": "stall", "path": "/api/v1/pods", "latency": 30000}]`)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	start := time.Now()
	_, err := osmdiag.Run(ctx, osmdiag.Options{Kubeconfig: kc})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Run took %v after the cancel", d)
	}
	// The cancelled call must not hold the source: a new run on a healthy
	// path works right away.
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	if _, err := osmdiag.RunCheck(ctx2, "OSMD101", osmdiag.Options{Kubeconfig: kc}); err != nil {
		t.Fatalf("run after cancel: %v", err)
	}
}
