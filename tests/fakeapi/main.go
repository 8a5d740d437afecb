// Command fakeapi is a loopback fake Kubernetes API server for libosmdiag's tests. It serves the objects of
// snapshot files/directories read-only, with discovery, Tables, selectors, paging, TLS, token and client
// certificate authentication, RBAC, fault injection and a request log. See README.md.
package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	log.SetFlags(0)
	log.SetPrefix("fakeapi: ")
	if err := run(os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

func run(args []string) error {
	fset := flag.NewFlagSet("fakeapi", flag.ContinueOnError)
	var snapshots, tokens multiFlag
	fset.Var(&snapshots, "snapshot", "snapshot file or directory (repeatable)")
	fset.Var(&tokens, "token", "extra identity NAME=TOKEN (repeatable); NAME may carry groups: NAME:group1,group2=TOKEN")
	listen := fset.String("listen", "127.0.0.1:0", "listen address (port 0 picks a free port)")
	kubeconfigOut := fset.String("kubeconfig-out", "", "write a kubeconfig for the server here")
	caOut := fset.String("ca-out", "", "write the CA certificate (PEM) here")
	adminUser := fset.String("admin-user", "admin", "user name of the kubeconfig's token (group system:masters)")
	adminToken := fset.String("admin-token", "", "bearer token of the admin user (default: random)")
	clientCertOut := fset.String("client-cert-out", "", "issue a client certificate: writes PREFIX.crt and PREFIX.key")
	clientCertCN := fset.String("client-cert-cn", "cert-user", "user name (CN) of the client certificate")
	clientCertGroups := fset.String("client-cert-groups", "", "comma-separated groups (O) of the client certificate")
	rbacFile := fset.String("rbac", "", "RBAC rules file (JSON); without it every authenticated user may read everything")
	faultsFile := fset.String("faults", "", "fault injection rules (JSON list)")
	logFile := fset.String("log", "", "request log: one JSON line per request")
	continueTTL := fset.Duration("continue-ttl", 5*time.Minute, "continue tokens older than this get 410 Expired (0: never)")
	nowFlag := fset.String("now", "", "RFC3339 time used for AGE columns (default: the real clock)")
	gitVersion := fset.String("server-version", "v1.31.1", "gitVersion served by /version (picks the dispatched kubectl)")
	legacy := fset.Bool("legacy-discovery", false, "answer /api and /apis with legacy discovery only")
	noHTTP2 := fset.Bool("no-http2", false, "offer only HTTP/1.1 in ALPN")
	plain := fset.Bool("plain-http", false, "serve plain HTTP; requests without credentials act as the admin user")
	noSynth := fset.Bool("no-synthesize-namespaces", false, "do not add Namespace objects for namespaces that objects reference")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fset.Arg(0))
	}

	now := func() time.Time { return time.Now() }
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return fmt.Errorf("--now: %v", err)
		}
		start := time.Now()
		now = func() time.Time { return t.Add(time.Since(start)) }
	}
	nowForTables = now()

	var objs []map[string]any
	for _, s := range snapshots {
		o, err := LoadSnapshot(s)
		if err != nil {
			return fmt.Errorf("snapshot: %v", err)
		}
		objs = append(objs, o...)
	}
	reg := NewRegistry()
	st := BuildStore(reg, objs, !*noSynth, now())

	ca, err := NewCA()
	if err != nil {
		return err
	}
	if *adminToken == "" {
		*adminToken = randomToken()
	}
	admin := &User{Name: *adminUser, Groups: []string{"system:masters", "system:authenticated"}}
	auth := &Auth{Tokens: map[string]*User{*adminToken: admin}, Plain: *plain, Admin: admin}
	kcUsers := []kcUser{{Name: *adminUser, Token: *adminToken}}
	for _, t := range tokens {
		i := strings.Index(t, "=")
		if i <= 0 || i == len(t)-1 {
			return fmt.Errorf("--token %q: want NAME=TOKEN", t)
		}
		name, tok := t[:i], t[i+1:]
		u := &User{Groups: []string{"system:authenticated"}}
		if j := strings.Index(name, ":"); j >= 0 {
			u.Groups = append(strings.Split(name[j+1:], ","), u.Groups...)
			name = name[:j]
		}
		u.Name = name
		auth.Tokens[tok] = u
		kcUsers = append(kcUsers, kcUser{Name: name, Token: tok})
	}
	if *clientCertOut != "" {
		var groups []string
		if *clientCertGroups != "" {
			groups = strings.Split(*clientCertGroups, ",")
		}
		c, k, err := ca.Issue(*clientCertCN, groups, false)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*clientCertOut+".crt", c, 0600); err != nil {
			return err
		}
		if err := os.WriteFile(*clientCertOut+".key", k, 0600); err != nil {
			return err
		}
		kcUsers = append(kcUsers, kcUser{Name: *clientCertCN, CertPEM: string(c), KeyPEM: string(k)})
	}
	var rbac *RBAC
	if *rbacFile != "" {
		if rbac, err = LoadRBAC(*rbacFile); err != nil {
			return err
		}
	}
	var faults *Faults
	if *faultsFile != "" {
		if faults, err = LoadFaults(*faultsFile); err != nil {
			return err
		}
	}
	var logW io.Writer
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0644)
		if err != nil {
			return err
		}
		defer f.Close()
		logW = f
	}
	ib := make([]byte, 8)
	_, _ = rand.Read(ib)
	srv := &Server{Reg: reg, Store: st, Auth: auth, RBAC: rbac, Faults: faults, Now: now, GitVersion: *gitVersion,
		LegacyDiscovery: *legacy, ContinueTTL: *continueTTL, Instance: hex.EncodeToString(ib), Log: logW}
	if err := srv.Warm(); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	scheme := "https"
	if *plain {
		scheme = "http"
	}
	url := fmt.Sprintf("%s://%s", scheme, ln.Addr().String())
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: log.New(io.Discard, "", 0)}
	if !*plain {
		cfg, err := ca.ServerTLS(!*noHTTP2)
		if err != nil {
			return err
		}
		hs.TLSConfig = cfg
		if *noHTTP2 {
			hs.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
		}
	}
	if *caOut != "" {
		if err := os.WriteFile(*caOut, ca.CertPEM, 0644); err != nil {
			return err
		}
	}
	if *kubeconfigOut != "" {
		if err := WriteKubeconfig(*kubeconfigOut, url, ca.CertPEM, kcUsers); err != nil {
			return err
		}
	}
	errc := make(chan error, 1)
	go func() {
		if *plain {
			errc <- hs.Serve(ln)
		} else {
			errc <- hs.ServeTLS(ln, "", "")
		}
	}()
	fmt.Printf("ready %s\n", url)
	_ = os.Stdout.Sync()
	log.Printf("serving %d objects from %d snapshot(s) at %s", countObjects(st), len(snapshots), url)

	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGTERM, syscall.SIGINT)
	select {
	case sig := <-sigc:
		log.Printf("%v: shutting down", sig)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := hs.Shutdown(ctx); err != nil {
			_ = hs.Close()
		}
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

func countObjects(st *Store) int {
	n := 0
	for _, l := range st.objs {
		n += len(l)
	}
	return n
}
