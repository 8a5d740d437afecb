// Command osmdiag-operator runs the libosmdiag checks every --interval against
// the cluster it runs in (in-cluster service account, or a kubeconfig, or
// --snapshot files for demos) and serves the results on /metrics in the
// Prometheus text format, plus /healthz for a liveness probe.
//
//	osmdiag-operator --in-cluster --mesh-namespace kube-system --interval 60s --listen :9090
//	osmdiag-operator --snapshot examples/snapshots/aks-osm-v1.2-broken --interval 10s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	osmdiag "github.com/libosmdiag/osmdiag/bindings/go"
)

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func main() {
	var (
		opts     osmdiag.Options
		snaps    listFlag
		only     listFlag
		skip     listFlag
		interval = flag.Duration("interval", time.Minute, "time between runs")
		listen   = flag.String("listen", ":9090", "address of the /metrics and /healthz server")
		once     = flag.Bool("once", false, "run once, print the metrics and exit (for demos)")
	)
	flag.Var(&snaps, "snapshot", "snapshot file or directory (repeatable), instead of a live cluster")
	flag.StringVar(&opts.Kubeconfig, "kubeconfig", "", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
	flag.StringVar(&opts.Context, "context", "", "kubeconfig context (default: current)")
	flag.BoolVar(&opts.InCluster, "in-cluster", false, "use the pod's service account")
	flag.StringVar(&opts.MeshNamespace, "mesh-namespace", "", "namespace of the OSM control plane (default: discover)")
	flag.StringVar(&opts.MeshName, "mesh-name", "", "mesh name (default: discover)")
	flag.Var(&only, "only", "check IDs or categories to run (repeatable, comma-separated)")
	flag.Var(&skip, "skip", "check IDs or categories to skip (repeatable, comma-separated)")
	flag.DurationVar(&opts.Timeout, "timeout", 0, "time budget for reading the cluster (default: the interval)")
	flag.Parse()
	opts.Snapshots, opts.Only, opts.Skip = snaps, only, skip
	if *interval <= 0 {
		log.Fatal("--interval must be positive")
	}

	e := newExporter(opts, *interval)
	logf := log.Printf
	if *once {
		if err := e.runOnce(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		rec := &stdoutWriter{}
		e.serveMetrics(rec, nil)
		return
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go e.loop(ctx, logf)

	srv := &http.Server{Addr: *listen, Handler: e.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	log.Printf("osmdiag %s: serving /metrics and /healthz on %s, every %s", osmdiag.Version(), *listen, *interval)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// stdoutWriter is a minimal http.ResponseWriter for --once.
type stdoutWriter struct{ h http.Header }

func (w *stdoutWriter) Header() http.Header {
	if w.h == nil {
		w.h = http.Header{}
	}
	return w.h
}
func (w *stdoutWriter) Write(b []byte) (int, error) { return os.Stdout.Write(b) }
func (w *stdoutWriter) WriteHeader(int)             {}
