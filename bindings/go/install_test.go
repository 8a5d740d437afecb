package osmdiag_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOutsideProject proves the README: a Go project outside this repository
// builds against the installed library (meson install --destdir) through a
// go.mod `replace` and pkg-config, and its program runs osmdiag.Run.
// Needs OSMDIAG_BUILD_DIR and OSMDIAG_MESON (set by meson).
func TestOutsideProject(t *testing.T) {
	build, meson := os.Getenv("OSMDIAG_BUILD_DIR"), os.Getenv("OSMDIAG_MESON")
	if build == "" || meson == "" {
		t.Skip("OSMDIAG_BUILD_DIR / OSMDIAG_MESON not set (meson sets them)")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	// Fixed paths inside the build dir, and a GOCACHE of its own: the Go cache
	// keys a cgo package without the -L/-I that pkg-config printed, so sharing
	// the main GOCACHE (or a staging dir that changes every run) would hand a
	// stale link line to later builds.
	tmp := filepath.Join(build, "bindings", "go", "install-test")
	if err := os.RemoveAll(tmp); err != nil {
		t.Fatal(err)
	}
	stage := filepath.Join(tmp, "stage")
	run := func(dir string, env []string, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	run(build, nil, meson, "install", "-C", build, "--no-rebuild", "--quiet", "--destdir", stage)

	// Find the staged osmdiag.pc and rewrite its prefix to the staging dir.
	var pcPath string
	filepath.Walk(stage, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Name() == "osmdiag.pc" {
			pcPath = p
		}
		return nil
	})
	if pcPath == "" {
		t.Fatal("meson install staged no osmdiag.pc")
	}
	pc, err := os.ReadFile(pcPath)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^prefix=(.*)$`).FindSubmatch(pc)
	if m == nil {
		t.Fatalf("no prefix= in %s", pcPath)
	}
	prefix := string(m[1])
	staged := filepath.Join(stage, prefix)
	pcDir := filepath.Join(tmp, "pkgconfig")
	os.MkdirAll(pcDir, 0o755)
	rewritten := strings.Replace(string(pc), "prefix="+prefix, "prefix="+staged, 1)
	if err := os.WriteFile(filepath.Join(pcDir, "osmdiag.pc"), []byte(rewritten), 0o644); err != nil {
		t.Fatal(err)
	}
	libdir := strings.TrimSpace(run(tmp, []string{"PKG_CONFIG_PATH=" + pcDir}, "pkg-config", "--variable=libdir", "osmdiag"))

	binding, _ := filepath.Abs(".")
	snap, _ := filepath.Abs(snapshots[0])
	proj := filepath.Join(tmp, "consumer")
	os.MkdirAll(proj, 0o755)
	files := map[string]string{
		"go.mod": "module example.com/consumer\n\ngo 1.21\n\nrequire github.com/libosmdiag/osmdiag/bindings/go v0.0.0\n\n" +
			"replace github.com/libosmdiag/osmdiag/bindings/go => " + binding + "\n",
		"main.go": `package main

import (
	"context"
	"fmt"
	"os"

	osmdiag "github.com/libosmdiag/osmdiag/bindings/go"
)

func main() {
	rep, err := osmdiag.Run(context.Background(), osmdiag.Options{Snapshots: os.Args[1:]})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Printf("osmdiag %s: %d results, %d pass, failed=%v\n", osmdiag.Version(), len(rep.Results), rep.Summary.Pass, rep.Failed(osmdiag.StatusFail))
}
`,
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(proj, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Only the staged install: the uninstalled .pc of the build tree must not leak in.
	env := []string{"PKG_CONFIG_PATH=" + pcDir, "LD_LIBRARY_PATH=",
		"GOCACHE=" + filepath.Join(build, "bindings", "go", "gocache-install"), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local", "CGO_ENABLED=1"}
	run(proj, env, "go", "build", "-o", "consumer", ".")
	out := run(proj, append(env, "LD_LIBRARY_PATH="+libdir), filepath.Join(proj, "consumer"), snap)
	if !strings.Contains(out, "results,") || !strings.Contains(out, "failed=false") {
		t.Errorf("consumer printed %q", out)
	}
	t.Logf("consumer: %s", strings.TrimSpace(out))
}
