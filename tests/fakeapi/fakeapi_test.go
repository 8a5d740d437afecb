package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func srcRoot() string {
	if d := os.Getenv("OSMDIAG_SRCDIR"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	return filepath.Dir(filepath.Dir(wd))
}

func mustYAML(t *testing.T, s string) any {
	t.Helper()
	docs, err := ParseYAMLDocuments([]byte(s))
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	if len(docs) != 1 {
		t.Fatalf("parse %q: %d documents", s, len(docs))
	}
	return normalize(docs[0])
}

// normalize round-trips through encoding/json so json.Number and float64 compare equal.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func jsonOf(s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		panic(s + ": " + err.Error())
	}
	return v
}

func TestYAMLCases(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a: 1\nb: two\n", `{"a":1,"b":"two"}`},
		{"a:\n- 1\n- x\n", `{"a":[1,"x"]}`},
		{"a:\n  - b: 1\n    c: 2\n  - d\n", `{"a":[{"b":1,"c":2},"d"]}`},
		{"- - a\n  - b\n- c\n", `[["a","b"],"c"]`},
		{"a: [1, \"two\", {b: c}, []]\n", `{"a":[1,"two",{"b":"c"},[]]}`},
		{"a: {x: 1,\n  y: [2,\n   3]}\n", `{"a":{"x":1,"y":[2,3]}}`},
		{"a: ~\nb: null\nc:\nd: true\ne: False\nf: 0o17\ng: 0x1F\nh: 1.5\ni: -3\nj: .inf\nk: 1e3\n",
			`{"a":null,"b":null,"c":null,"d":true,"e":false,"f":15,"g":31,"h":1.5,"i":-3,"j":".inf","k":1000}`},
		{"a: yes\nb: on\nc: \"1\"\nd: '2'\ne: 24h\nf: 0s\ng: 1.2.3\n",
			`{"a":"yes","b":"on","c":"1","d":"2","e":"24h","f":"0s","g":"1.2.3"}`},
		{"a: \"x\\ty\\n\\u00e9\\\"\"\nb: 'it''s'\n", `{"a":"x\ty\n\u00e9\"","b":"it's"}`},
		{"a: |\n  line1\n  line2\nb: x\n", `{"a":"line1\nline2\n","b":"x"}`},
		{"a: |-\n  line1\n\n  line3\n", `{"a":"line1\n\nline3"}`},
		{"a: |+\n  keep\n\n\nb: 1\n", `{"a":"keep\n\n\n","b":1}`},
		{"a: >\n  folded\n  text\n\n  para\n", `{"a":"folded text\npara\n"}`},
		{"a: >-\n  x\n    more\n  y\n", `{"a":"x\n  more\ny"}`},
		{"a: |2\n    indented\n", `{"a":"  indented\n"}`},
		{"# comment\na: 1 # trailing\nb: 'x # not comment'\nc: x#y\n", `{"a":1,"b":"x # not comment","c":"x#y"}`},
		{"a: plain\n  continued\n  here\n", `{"a":"plain continued here"}`},
		{"a: \"multi\n  line\"\n", `{"a":"multi line"}`},
		{"\"quoted key\": 1\n'k2': 2\n", `{"quoted key":1,"k2":2}`},
		{"a: &x\n  b: 1\nc: *x\n", `{"a":{"b":1},"c":{"b":1}}`},
		{"base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n", `{"base":{"x":1},"d":{"x":1,"y":2}}`},
		{"a: !!str 123\nb: !!int \"7\"\n", `{"a":"123","b":7}`},
		{"url: http://x:80/p\nk: a: b\n", ``},
		{"a: {}\nb: []\nc: ''\n", `{"a":{},"b":[],"c":""}`},
		{"key:\n- a\n- b\nnext: 1\n", `{"key":["a","b"],"next":1}`},
		{"a:\n  b:\n    c: deep\n  d: 1\n", `{"a":{"b":{"c":"deep"},"d":1}}`},
		{"- name: x\n  value: |\n    text\n- name: y\n", `[{"name":"x","value":"text\n"},{"name":"y"}]`},
		{"a: 12345678901234567890123\n", `{"a":12345678901234567890123}`},
	}
	for _, c := range cases {
		docs, err := ParseYAMLDocuments([]byte(c.in))
		if c.want == "" {
			if err == nil {
				t.Errorf("%q: expected an error, got %v", c.in, docs)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		got := normalize(docs[0])
		if !reflect.DeepEqual(got, jsonOf(c.want)) {
			b, _ := json.Marshal(got)
			t.Errorf("%q:\n got %s\nwant %s", c.in, b, c.want)
		}
	}
}

func TestYAMLDocuments(t *testing.T) {
	docs, err := ParseYAMLDocuments([]byte("%YAML 1.2\n---\na: 1\n---\n# only a comment\n---\n- x\n...\n---\nb: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(docs)
	if string(b) != `[{"a":1},null,["x"],{"b":2}]` {
		t.Fatalf("got %s", b)
	}
	for _, bad := range []string{"a: 1\n b: 2\n", "a: [1, 2\n", "a: \"open\n", "a: 1\na: 2\n", "a: *nope\n", "? complex\n"} {
		if _, err := ParseYAMLDocuments([]byte(bad)); err == nil {
			t.Errorf("%q: expected an error", bad)
		}
	}
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		n := string(rune('b' + i))
		bomb += n + ": &" + n + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = n
	}
	if _, err := ParseYAMLDocuments([]byte(bomb)); err == nil {
		t.Errorf("alias bomb: expected an error")
	}
}

// snapshotFiles lists every fixture YAML/JSON file the server may be asked to read.
func snapshotFiles(t *testing.T) []string {
	root := srcRoot()
	var files []string
	for _, d := range []string{"examples/snapshots", "tests/fixtures"} {
		_ = filepath.WalkDir(filepath.Join(root, d), func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json")) {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) == 0 {
		t.Skip("no fixture files found (set OSMDIAG_SRCDIR)")
	}
	return files
}

// TestYAMLFixturesAgainstPyYAML parses every fixture YAML file and compares with PyYAML when available.
func TestYAMLFixturesAgainstPyYAML(t *testing.T) {
	py, err := exec.LookPath("/usr/bin/python3")
	havePy := err == nil && exec.Command(py, "-c", "import yaml").Run() == nil
	for _, f := range snapshotFiles(t) {
		if strings.HasSuffix(f, ".json") {
			if _, err := loadFile(f); err != nil {
				t.Errorf("%s: %v", f, err)
			}
			continue
		}
		data, _ := os.ReadFile(f)
		docs, err := ParseYAMLDocuments(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if !havePy {
			continue
		}
		out, err := exec.Command(py, "-c", `import sys, json, yaml
print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1]))), default=str))`, f).Output()
		if err != nil {
			t.Errorf("%s: PyYAML: %v", f, err)
			continue
		}
		var want any
		_ = json.Unmarshal(out, &want)
		// PyYAML keeps empty documents as null; so do we.
		if got := normalize(docs); !reflect.DeepEqual(got, want) {
			gb, _ := json.Marshal(got)
			t.Errorf("%s: differs from PyYAML\n got %.300s\nwant %.300s", f, gb, out)
		}
	}
	if !havePy {
		t.Log("python3-yaml not available: parsed the fixtures without cross-checking")
	}
}

func TestLoadSnapshotLists(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"kind":"PodList","apiVersion":"v1","items":[{"metadata":{"name":"p","namespace":"n"}}]}
{"kind":"List","apiVersion":"v1","items":[{"kind":"List","apiVersion":"v1","items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}]}]}`), 0644)
	os.MkdirAll(filepath.Join(dir, "sub"), 0755)
	os.WriteFile(filepath.Join(dir, "sub", "b.yml"), []byte("apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: n}\n---\n"), 0644)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# not a snapshot\n"), 0644)
	objs, err := LoadSnapshot(dir)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, o := range objs {
		kinds = append(kinds, o["kind"].(string)+"/"+o["apiVersion"].(string))
	}
	if strings.Join(kinds, ",") != "Pod/v1,Namespace/v1,Service/v1" {
		t.Fatalf("got %v", kinds)
	}
}

func TestLabelSelectors(t *testing.T) {
	l := map[string]string{"app": "osm", "tier": "ctl", "num": "5"}
	cases := map[string]bool{
		"": true, "app=osm": true, "app==osm": true, "app!=osm": false, "app in (osm,x)": true, "app notin (osm)": false,
		"missing notin (a)": true, "missing!=a": true, "app": true, "!app": false, "!missing": true, "app=osm,tier=ctl": true,
		"app=osm,tier=x": false, "num>4": true, "num<5": false, "app in (a, osm )": true, "tier=": false,
	}
	for s, want := range cases {
		sel, err := ParseLabelSelector(s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if sel.Matches(l) != want {
			t.Errorf("%q: got %v", s, !want)
		}
	}
	for _, bad := range []string{"app in (a", "app in a", "a b", "!", "=x", "app=(x)", "a,,b", "app notin ()", "-bad=x", "a=b c", "x>y"} {
		if _, err := ParseLabelSelector(bad); err == nil {
			t.Errorf("%q: expected an error", bad)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	cases := map[time.Duration]string{90 * time.Second: "90s", 3*time.Minute + 4*time.Second: "3m4s", 5 * time.Minute: "5m",
		81 * time.Minute: "81m", 5*time.Hour + 3*time.Minute: "5h3m", 30 * time.Hour: "30h", 50 * 24 * time.Hour: "50d",
		3*24*time.Hour + 2*time.Hour: "3d2h", -5 * time.Second: "<invalid>"}
	for d, want := range cases {
		if got := HumanDuration(d); got != want {
			t.Errorf("%v: got %s want %s", d, got, want)
		}
	}
}

func TestKubeVersionOrder(t *testing.T) {
	vs := []string{"v1alpha1", "v1", "v2beta1", "v1beta2", "foo", "v2", "v1alpha2"}
	sortVersions := append([]string{}, vs...)
	for i := range sortVersions {
		for j := i + 1; j < len(sortVersions); j++ {
			if kubeVersionLess(sortVersions[j], sortVersions[i]) {
				sortVersions[i], sortVersions[j] = sortVersions[j], sortVersions[i]
			}
		}
	}
	if strings.Join(sortVersions, ",") != "v2,v1,v2beta1,v1beta2,v1alpha2,v1alpha1,foo" {
		t.Fatalf("got %v", sortVersions)
	}
}

// testServer serves the healthy example over TLS (HTTP/2 enabled) through httptest.
func testServer(t *testing.T, rbac *RBAC, faults *Faults) (*httptest.Server, *http.Client, *Server) {
	objs, err := LoadSnapshot(filepath.Join(srcRoot(), "examples/snapshots/aks-osm-v1.2-healthy"))
	if err != nil {
		t.Skipf("example snapshot: %v", err)
	}
	reg := NewRegistry()
	now := func() time.Time { return time.Date(2026, 11, 25, 21, 30, 0, 0, time.UTC) }
	st := BuildStore(reg, objs, true, now())
	ca, _ := NewCA()
	admin := &User{Name: "admin", Groups: []string{"system:masters"}}
	s := &Server{Reg: reg, Store: st, Auth: &Auth{Tokens: map[string]*User{"tok": admin, "rtok": {Name: "reader"}}},
		RBAC: rbac, Faults: faults, Now: now, GitVersion: "v1.31.1", ContinueTTL: time.Minute, Instance: "i"}
	ts := httptest.NewUnstartedServer(s)
	cfg, _ := ca.ServerTLS(true)
	ts.TLS = cfg
	ts.EnableHTTP2 = true
	ts.StartTLS()
	t.Cleanup(ts.Close)
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	cl := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	return ts, cl, s
}

func get(t *testing.T, cl *http.Client, url, token, accept string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, resp.Header, m
}

func TestServerDiscoveryAndTables(t *testing.T) {
	ts, cl, _ := testServer(t, nil, nil)
	for _, v := range []string{"v2", "v2beta1"} {
		code, h, m := get(t, cl, ts.URL+"/apis", "tok", "application/json;g=apidiscovery.k8s.io;v="+v+";as=APIGroupDiscoveryList,application/json")
		if code != 200 || m["apiVersion"] != "apidiscovery.k8s.io/"+v || !strings.Contains(h.Get("Content-Type"), "v="+v) {
			t.Fatalf("aggregated %s: %d %v %v", v, code, m["apiVersion"], h)
		}
		found := false
		for _, it := range m["items"].([]any) {
			g := it.(map[string]any)
			if g["metadata"].(map[string]any)["name"] == "config.openservicemesh.io" {
				found = true
				if first := g["versions"].([]any)[0].(map[string]any)["version"]; first != "v1alpha3" && first != "v1alpha2" {
					t.Errorf("preferred meshconfig version %v", first)
				}
			}
		}
		if !found {
			t.Errorf("no config.openservicemesh.io group")
		}
	}
	code, _, m := get(t, cl, ts.URL+"/apis", "tok", "application/json, */*")
	if code != 200 || m["kind"] != "APIGroupList" {
		t.Fatalf("legacy /apis: %d %v", code, m["kind"])
	}
	code, _, m = get(t, cl, ts.URL+"/apis/apiextensions.k8s.io/v1", "tok", "")
	if code != 200 || !strings.Contains(mustJSON(m), `"shortNames":["crd","crds"]`) {
		t.Fatalf("apiextensions resource list: %d %s", code, mustJSON(m))
	}
	table := "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
	code, _, m = get(t, cl, ts.URL+"/apis/apps/v1/namespaces/kube-system/deployments?labelSelector=app%3Dosm-controller", "tok", table)
	if code != 200 || m["kind"] != "Table" {
		t.Fatalf("table: %d %v", code, m)
	}
	var names []string
	for _, c := range m["columnDefinitions"].([]any) {
		names = append(names, c.(map[string]any)["name"].(string))
	}
	if strings.Join(names[:5], ",") != "Name,Ready,Up-to-date,Available,Age" {
		t.Errorf("deployment columns %v", names)
	}
	cells := m["rows"].([]any)[0].(map[string]any)["cells"].([]any)
	if mustJSON(cells[:5]) != `["osm-controller","2/2",2,2,"50d"]` {
		t.Errorf("deployment cells %s", mustJSON(cells))
	}
	code, _, m = get(t, cl, ts.URL+"/api/v1/namespaces/kube-system/services/osm-controller", "tok", table)
	cells = m["rows"].([]any)[0].(map[string]any)["cells"].([]any)
	if code != 200 || cells[4] != "15128/TCP,9092/TCP,9091/TCP" {
		t.Errorf("service cells %v", cells)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestServerErrorsAndRBAC(t *testing.T) {
	rbac := &RBAC{Users: map[string][]Rule{"reader": {{Verbs: []string{"list"}, Resources: []string{"pods"}, Namespaces: []string{"kube-system"}}}}}
	ts, cl, _ := testServer(t, rbac, nil)
	code, _, m := get(t, cl, ts.URL+"/api/v1/pods", "", "")
	if code != 401 || m["reason"] != "Unauthorized" {
		t.Errorf("401: %d %v", code, m)
	}
	code, _, m = get(t, cl, ts.URL+"/api/v1/namespaces/kube-system/secrets", "rtok", "")
	want := `secrets is forbidden: User "reader" cannot list resource "secrets" in API group "" in the namespace "kube-system"`
	if code != 403 || m["message"] != want || m["reason"] != "Forbidden" {
		t.Errorf("403: %d %v", code, m)
	}
	code, _, _ = get(t, cl, ts.URL+"/api/v1/namespaces/kube-system/pods", "rtok", "")
	if code != 200 {
		t.Errorf("reader list pods: %d", code)
	}
	code, _, m = get(t, cl, ts.URL+"/apis/apps/v1/namespaces/kube-system/deployments/nope", "tok", "")
	if code != 404 || m["message"] != `deployments.apps "nope" not found` || mustJSON(m["details"]) != `{"group":"apps","kind":"deployments","name":"nope"}` {
		t.Errorf("404: %d %v", code, m)
	}
	code, _, m = get(t, cl, ts.URL+"/api/v1/pods?labelSelector=a+in+(b", "tok", "")
	if code != 400 || m["reason"] != "BadRequest" {
		t.Errorf("400: %d %v", code, m)
	}
	code, _, m = get(t, cl, ts.URL+"/api/v1/pods?limit=2&continue=zzz", "tok", "")
	if code != 410 || m["reason"] != "Expired" {
		t.Errorf("410: %d %v", code, m)
	}
}

func TestServerPaging(t *testing.T) {
	ts, cl, _ := testServer(t, nil, nil)
	_, _, full := get(t, cl, ts.URL+"/api/v1/pods", "tok", "")
	total := len(full["items"].([]any))
	seen := 0
	cont := ""
	for i := 0; i < 100; i++ {
		u := ts.URL + "/api/v1/pods?limit=3"
		if cont != "" {
			u += "&continue=" + cont
		}
		code, _, m := get(t, cl, u, "tok", "")
		if code != 200 {
			t.Fatalf("page %d: %d %v", i, code, m)
		}
		seen += len(m["items"].([]any))
		c, _ := m["metadata"].(map[string]any)["continue"].(string)
		if c == "" {
			break
		}
		cont = c
	}
	if seen != total || total == 0 {
		t.Fatalf("paged %d of %d", seen, total)
	}
}

func TestServerFaultsHTTP2(t *testing.T) {
	n := 10
	f := &Faults{rules: []*FaultRule{
		{Name: "r", Path: "/api/v1/namespaces/bookstore/pods", Reset: &n},
		{Name: "s", Path: "/api/v1/nodes", Status: 429, RetryAfter: 2, Count: 1},
	}}
	ts, cl, _ := testServer(t, nil, f)
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/namespaces/bookstore/pods", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := cl.Do(req)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.ProtoMajor != 2 {
			t.Errorf("expected HTTP/2, got %s", resp.Proto)
		}
	}
	if err == nil {
		t.Errorf("reset: read succeeded")
	}
	code, h, m := get(t, cl, ts.URL+"/api/v1/nodes", "tok", "")
	if code != 429 || h.Get("Retry-After") != "2" || m["reason"] != "TooManyRequests" {
		t.Errorf("429: %d %v %v", code, h, m)
	}
	if code, _, _ = get(t, cl, ts.URL+"/api/v1/nodes", "tok", ""); code != 200 {
		t.Errorf("count=1: second request got %d", code)
	}
}
