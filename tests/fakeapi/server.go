package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Response is a fully rendered reply; faults may deliver its body in unusual ways.
type Response struct {
	Code        int
	Header      http.Header
	ContentType string
	Body        []byte
	obj         map[string]any
	stream      func(w http.ResponseWriter, r *http.Request) int // watch
	items       int                                              // objects in a list body (for the log)
}

func jsonResp(code int, v any) *Response {
	b, err := json.Marshal(v)
	if err != nil {
		return &Response{Code: 500, ContentType: "text/plain; charset=utf-8", Body: []byte("marshal: " + err.Error())}
	}
	resp := &Response{Code: code, ContentType: "application/json", Body: append(b, '\n')}
	if m, ok := v.(map[string]any); ok {
		resp.obj = m
	}
	return resp
}

func statusObj(code int, reason, msg string, details map[string]any) map[string]any {
	st := map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{}, "status": "Failure",
		"message": msg, "code": code}
	if reason != "" {
		st["reason"] = reason
	}
	if details != nil {
		st["details"] = details
	}
	return st
}

func statusResp(code int, reason, msg string, details map[string]any) *Response {
	return jsonResp(code, statusObj(code, reason, msg, details))
}

func notFoundPath() *Response {
	return statusResp(404, "NotFound", "the server could not find the requested resource", map[string]any{})
}

func setHeaders(w http.ResponseWriter, resp *Response) {
	h := w.Header()
	for k, vs := range resp.Header {
		h[k] = vs
	}
	if resp.ContentType != "" {
		h.Set("Content-Type", resp.ContentType)
	}
	h.Set("Cache-Control", "no-cache, private")
}

func writeResponse(w http.ResponseWriter, resp *Response) int {
	setHeaders(w, resp)
	w.Header().Set("Content-Length", strconv.Itoa(len(resp.Body)))
	w.WriteHeader(resp.Code)
	n, _ := w.Write(resp.Body)
	return n
}

type Server struct {
	Reg             *Registry
	Store           *Store
	Auth            *Auth
	RBAC            *RBAC
	Faults          *Faults
	Now             func() time.Time
	GitVersion      string
	LegacyDiscovery bool
	ContinueTTL     time.Duration
	Instance        string

	logMu sync.Mutex
	Log   io.Writer
}

type logRecord struct {
	Time       string   `json:"time"`
	Method     string   `json:"method"`
	Path       string   `json:"path"`
	Query      string   `json:"query"`
	Status     int      `json:"status"`
	Bytes      int      `json:"bytes"`
	DurationMs float64  `json:"durationMs"`
	User       string   `json:"user"`
	Proto      string   `json:"proto"`
	UserAgent  string   `json:"userAgent,omitempty"`
	Accept     string   `json:"accept,omitempty"`
	Faults     []string `json:"faults,omitempty"`
	Items      int      `json:"items,omitempty"` // objects in a JSON list response
}

func (s *Server) logRequest(rec logRecord) {
	if s.Log == nil {
		return
	}
	b, _ := json.Marshal(rec)
	s.logMu.Lock()
	defer s.logMu.Unlock()
	_, _ = s.Log.Write(append(b, '\n'))
	if f, ok := s.Log.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	user, authed := s.Auth.Authenticate(r)
	rec := logRecord{Time: start.UTC().Format(time.RFC3339Nano), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Proto: r.Proto, UserAgent: r.UserAgent(), Accept: r.Header.Get("Accept")}
	if authed {
		rec.User = user.Name
	}
	logged := false
	defer func() {
		if !logged {
			rec.DurationMs = float64(time.Since(start).Microseconds()) / 1000
			s.logRequest(rec)
		}
	}()
	rules := s.Faults.Match(r, rec.User)
	var bodyFault *FaultRule
	for _, fr := range rules {
		rec.Faults = append(rec.Faults, fr.Name+":"+fr.kind())
		if fr.Latency > 0 {
			select {
			case <-r.Context().Done():
				rec.Status = 499
				return
			case <-time.After(time.Duration(fr.Latency) * time.Millisecond):
			}
		}
		if fr.kind() != "latency" && bodyFault == nil {
			bodyFault = fr
		}
	}
	var resp *Response
	if bodyFault != nil && bodyFault.kind() == "status" {
		resp = bodyFault.statusResponse()
		bodyFault = nil
	} else {
		resp = s.handle(r, user, authed)
	}
	rec.Status = resp.Code
	rec.Items = resp.items
	if resp.stream != nil {
		rec.Bytes = resp.stream(w, r)
		return
	}
	if r.Method == http.MethodHead {
		setHeaders(w, resp)
		w.WriteHeader(resp.Code)
		return
	}
	if bodyFault != nil {
		defer func() {
			if p := recover(); p != nil {
				rec.DurationMs = float64(time.Since(start).Microseconds()) / 1000
				s.logRequest(rec)
				logged = true
				panic(p)
			}
		}()
		rec.Bytes = len(resp.Body)
		rec.Bytes = deliverFault(w, r, resp, bodyFault)
		return
	}
	rec.Bytes = writeResponse(w, resp)
}

var publicPaths = map[string]bool{"/version": true, "/healthz": true, "/livez": true, "/readyz": true}

func (s *Server) handle(r *http.Request, user *User, authed bool) *Response {
	p := r.URL.Path
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	if !authed {
		if publicPaths[p] && r.Header.Get("Authorization") == "" {
			user = &User{Name: "system:anonymous", Groups: []string{"system:unauthenticated"}}
		} else {
			return statusResp(401, "Unauthorized", "Unauthorized", nil)
		}
	}
	switch p {
	case "/healthz", "/livez", "/readyz":
		return &Response{Code: 200, ContentType: "text/plain; charset=utf-8", Body: []byte("ok")}
	case "/version":
		return jsonResp(200, s.versionInfo())
	case "/api":
		return s.discoveryRoot(r, true)
	case "/apis":
		return s.discoveryRoot(r, false)
	}
	segs := strings.Split(strings.Trim(p, "/"), "/")
	var group, version string
	var rest []string
	switch {
	case segs[0] == "api" && len(segs) >= 2:
		version, rest = segs[1], segs[2:]
	case segs[0] == "apis" && len(segs) == 2:
		return s.apiGroup(segs[1])
	case segs[0] == "apis" && len(segs) >= 3:
		group, version, rest = segs[1], segs[2], segs[3:]
	default:
		return notFoundPath()
	}
	g := s.Reg.Groups[group]
	if g == nil || g.ByVer[version] == nil {
		return notFoundPath()
	}
	if len(rest) == 0 {
		return jsonResp(200, s.resourceList(group, version))
	}
	ns := ""
	if rest[0] == "namespaces" && len(rest) >= 3 && rest[2] != "status" && rest[2] != "finalize" {
		ns, rest = rest[1], rest[2:]
	}
	if len(rest) > 3 {
		return notFoundPath()
	}
	res := s.Reg.Lookup(group, version, rest[0])
	if res == nil || (ns != "" && !res.Namespaced) {
		return notFoundPath()
	}
	name, sub := "", ""
	if len(rest) >= 2 {
		name = rest[1]
		if res.Namespaced && ns == "" {
			return notFoundPath()
		}
	}
	if len(rest) == 3 {
		sub = rest[2]
		if !containsStr(res.Subresources, sub) {
			return notFoundPath()
		}
	}
	q := r.URL.Query()
	watch := q.Get("watch") == "1" || q.Get("watch") == "true"
	verb := ""
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		switch {
		case watch:
			verb = "watch"
		case name == "":
			verb = "list"
		default:
			verb = "get"
		}
	case http.MethodPost:
		verb = "create"
	case http.MethodPut:
		verb = "update"
	case http.MethodPatch:
		verb = "patch"
	case http.MethodDelete:
		verb = "delete"
		if name == "" {
			verb = "deletecollection"
		}
	default:
		return statusResp(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", map[string]any{})
	}
	attrs := Attrs{Verb: verb, Group: group, Resource: res.Name, Subresource: sub, Namespace: ns, Name: name}
	if verb == "create" && createOnly[res.Name] {
		return s.review(r, user, res)
	}
	if !s.RBAC.Allowed(user, attrs) {
		return statusResp(403, "Forbidden", ForbiddenMessage(user, attrs),
			map[string]any{"name": name, "group": group, "kind": res.Name})
	}
	if verb != "get" && verb != "list" && verb != "watch" {
		return statusResp(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
			map[string]any{"name": name, "group": group, "kind": res.Name})
	}
	mode, tv, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		return statusResp(406, "NotAcceptable",
			"only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io",
			map[string]any{})
	}
	now := s.Now()
	if name != "" {
		o := s.Store.Get(res, ns, name)
		if o == nil {
			return statusResp(404, "NotFound", fmt.Sprintf("%s %q not found", res.Qualified(), name),
				map[string]any{"name": name, "group": group, "kind": res.Name})
		}
		if sub == "log" {
			return &Response{Code: 200, ContentType: "text/plain", Body: []byte{}}
		}
		if sub != "" && sub != "status" {
			return notFoundPath()
		}
		if watch {
			return s.watch(res, []*Object{o}, q)
		}
		switch mode {
		case "table":
			return jsonResp(200, BuildTable(res, []*Object{o}, func(o *Object) map[string]any { return s.served(res, o, false) },
				tv, q.Get("includeObject"), now, map[string]any{"resourceVersion": strconv.FormatInt(s.Store.MaxRV, 10)}))
		case "pom", "poml":
			m := partialMeta(o, "meta.k8s.io/"+tv)
			return jsonResp(200, m)
		}
		return jsonResp(200, s.served(res, o, false))
	}
	// list / watch
	ls, err := ParseLabelSelector(q.Get("labelSelector"))
	if err != nil {
		return statusResp(400, "BadRequest", err.Error(), nil)
	}
	fs, err := ParseFieldSelector(q.Get("fieldSelector"))
	if err == nil {
		err = fs.Validate(res)
	}
	if err != nil {
		return statusResp(400, "BadRequest", err.Error(), nil)
	}
	var objs []*Object
	for _, o := range s.Store.List(res) {
		if ns != "" && o.Namespace != ns {
			continue
		}
		if ls.Matches(o.Labels) && fs.Matches(o) {
			objs = append(objs, o)
		}
	}
	if watch {
		return s.watch(res, objs, q)
	}
	rv := strconv.FormatInt(s.Store.MaxRV, 10)
	meta := map[string]any{"resourceVersion": rv}
	if c := q.Get("continue"); c != "" {
		tok, err := s.decodeContinue(c)
		if err != nil {
			return s.expired(nil)
		}
		if tok.Srv != s.Instance || (s.ContinueTTL > 0 && time.Since(time.Unix(0, tok.T)) > s.ContinueTTL) {
			return s.expired(tok)
		}
		i := sort.Search(len(objs), func(i int) bool { return objs[i].key() >= tok.Start })
		objs = objs[i:]
	}
	if lim, err := strconv.Atoi(q.Get("limit")); err == nil && lim > 0 && len(objs) > lim {
		next := objs[lim-1].key() + "\x00"
		meta["continue"] = s.encodeContinue(next)
		if len(ls) == 0 && len(fs) == 0 {
			meta["remainingItemCount"] = len(objs) - lim
		}
		objs = objs[:lim]
	}
	switch mode {
	case "table":
		return jsonResp(200, BuildTable(res, objs, func(o *Object) map[string]any { return s.served(res, o, false) },
			tv, q.Get("includeObject"), now, meta))
	case "pom", "poml":
		items := []any{}
		for _, o := range objs {
			items = append(items, partialMeta(o, "meta.k8s.io/"+tv))
		}
		return jsonResp(200, map[string]any{"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/" + tv,
			"metadata": meta, "items": items})
	}
	return s.listResponse(res, objs, meta)
}

// listResponse encodes a list as kube-apiserver does (kind, apiVersion, metadata, items in that order)
// from the objects' cached encodings.
func (s *Server) listResponse(res *Resource, objs []*Object, meta map[string]any) *Response {
	head, err := json.Marshal(struct {
		Kind       string         `json:"kind"`
		APIVersion string         `json:"apiVersion"`
		Metadata   map[string]any `json:"metadata"`
	}{res.Kind + "List", res.GroupVersion(), meta})
	if err != nil {
		return jsonResp(500, statusObj(500, "InternalError", err.Error(), nil))
	}
	encs := make([][]byte, len(objs))
	size := len(head) + 16
	for i, o := range objs {
		if encs[i], err = s.encoded(res, o, true); err != nil {
			return jsonResp(500, statusObj(500, "InternalError", err.Error(), nil))
		}
		size += len(encs[i]) + 1
	}
	body := make([]byte, 0, size)
	body = append(body, head[:len(head)-1]...)
	body = append(body, `,"items":[`...)
	for i, e := range encs {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, e...)
	}
	body = append(body, "]}\n"...)
	return &Response{Code: 200, ContentType: "application/json", Body: body, items: len(objs)}
}

// Warm encodes every object as a list item of the version it is stored at, so that the first list is
// served as fast as the next ones.
func (s *Server) Warm() error {
	for _, list := range s.Store.objs {
		for _, o := range list {
			if _, err := s.encoded(o.res, o, true); err != nil {
				return fmt.Errorf("%s %s/%s: %w", o.res.Qualified(), o.Namespace, o.Name, err)
			}
		}
	}
	return nil
}

// encoded is served(res, o, asListItem) as JSON, encoded once: the store is read-only, so each object's
// bytes are reused, as kube-apiserver's watch cache reuses an object's serialization.
func (s *Server) encoded(res *Resource, o *Object, asListItem bool) ([]byte, error) {
	key := res.GroupVersion()
	if asListItem {
		key += "#item"
	}
	if b, ok := o.enc.Load(key); ok {
		return b.([]byte), nil
	}
	b, err := json.Marshal(s.served(res, o, asListItem))
	if err != nil {
		return nil, err
	}
	o.enc.Store(key, b)
	return b, nil
}

// served returns the object as served at res's version (list items of built-in types carry no kind/apiVersion).
func (s *Server) served(res *Resource, o *Object, asListItem bool) map[string]any {
	out := make(map[string]any, len(o.Raw))
	for k, v := range o.Raw {
		out[k] = v
	}
	if asListItem && res.Builtin {
		delete(out, "kind")
		delete(out, "apiVersion")
		return out
	}
	out["apiVersion"] = res.GroupVersion()
	out["kind"] = res.Kind
	return out
}

type contToken struct {
	V     string `json:"v"`
	RV    int64  `json:"rv"`
	Start string `json:"start"`
	Srv   string `json:"srv"`
	T     int64  `json:"t"`
}

func (s *Server) encodeContinue(start string) string {
	b, _ := json.Marshal(contToken{V: "meta.k8s.io/v1", RV: s.Store.MaxRV, Start: start, Srv: s.Instance, T: time.Now().UnixNano()})
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) decodeContinue(c string) (*contToken, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, err
	}
	var t contToken
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, err
	}
	if t.V != "meta.k8s.io/v1" {
		return nil, fmt.Errorf("bad version")
	}
	return &t, nil
}

const expiredMsg = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."

func (s *Server) expired(tok *contToken) *Response {
	st := statusObj(410, "Expired", expiredMsg, nil)
	if tok != nil {
		st["metadata"] = map[string]any{"continue": s.encodeContinue(tok.Start)}
	}
	return jsonResp(410, st)
}

// negotiate picks the representation from the Accept header: "json", "table", "pom" (PartialObjectMetadata[List]).
func negotiate(accept string) (mode, version string, ok bool) {
	if strings.TrimSpace(accept) == "" {
		return "json", "", true
	}
	for _, part := range strings.Split(accept, ",") {
		fields := strings.Split(part, ";")
		typ := strings.ToLower(strings.TrimSpace(fields[0]))
		params := map[string]string{}
		for _, f := range fields[1:] {
			if i := strings.Index(f, "="); i >= 0 {
				params[strings.TrimSpace(f[:i])] = strings.TrimSpace(f[i+1:])
			}
		}
		if typ != "application/json" && typ != "*/*" && typ != "application/*" {
			continue
		}
		as := params["as"]
		if as == "" {
			return "json", "", true
		}
		if params["g"] != "meta.k8s.io" || (params["v"] != "v1" && params["v"] != "v1beta1") {
			continue
		}
		switch as {
		case "Table":
			return "table", params["v"], true
		case "PartialObjectMetadata", "PartialObjectMetadataList":
			return "pom", params["v"], true
		}
	}
	return "", "", false
}

func (s *Server) versionInfo() map[string]any {
	v := strings.TrimPrefix(s.GitVersion, "v")
	parts := strings.SplitN(v, ".", 3)
	major, minor := "1", "31"
	if len(parts) >= 2 {
		major, minor = parts[0], parts[1]
	}
	return map[string]any{"major": major, "minor": minor, "gitVersion": s.GitVersion,
		"gitCommit": "9c4f7b7a5b3c1f9a0e1d2c3b4a5f6e7d8c9b0a1f", "gitTreeState": "clean",
		"buildDate": "2024-09-11T21:22:08Z", "goVersion": "go1.22.6", "compiler": "gc", "platform": "linux/amd64"}
}

// --- discovery ---

func discoveryAccept(accept string) string {
	for _, part := range strings.Split(accept, ",") {
		if !strings.Contains(part, "as=APIGroupDiscoveryList") || !strings.Contains(part, "g=apidiscovery.k8s.io") {
			continue
		}
		for _, f := range strings.Split(part, ";") {
			f = strings.TrimSpace(f)
			if f == "v=v2" {
				return "v2"
			}
			if f == "v=v2beta1" {
				return "v2beta1"
			}
		}
	}
	return ""
}

func scope(r *Resource) string {
	if r.Namespaced {
		return "Namespaced"
	}
	return "Cluster"
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func (s *Server) aggregatedGroup(g *Group) map[string]any {
	var versions []any
	for _, v := range g.Versions {
		var resources []any
		for _, r := range g.ByVer[v] {
			e := map[string]any{"resource": r.Name, "responseKind": map[string]any{"group": r.Group, "version": r.Version, "kind": r.Kind},
				"scope": scope(r), "singularResource": r.Singular, "verbs": r.Verbs}
			if len(r.ShortNames) > 0 {
				e["shortNames"] = r.ShortNames
			}
			if len(r.Categories) > 0 {
				e["categories"] = r.Categories
			}
			var subs []any
			for _, sr := range r.Subresources {
				subs = append(subs, map[string]any{"subresource": sr, "verbs": []string{"get"},
					"responseKind": map[string]any{"group": r.Group, "version": r.Version, "kind": r.Kind}})
			}
			if subs != nil {
				e["subresources"] = subs
			}
			resources = append(resources, e)
		}
		versions = append(versions, map[string]any{"version": v, "resources": resources, "freshness": "Current"})
	}
	return map[string]any{"metadata": map[string]any{"name": g.Name, "creationTimestamp": nil}, "versions": versions}
}

func (s *Server) discoveryRoot(r *http.Request, core bool) *Response {
	av := discoveryAccept(r.Header.Get("Accept"))
	if av != "" && !s.LegacyDiscovery {
		var items []any
		if core {
			items = append(items, s.aggregatedGroup(s.Reg.Groups[""]))
		} else {
			for _, gn := range s.Reg.GroupOrder {
				items = append(items, s.aggregatedGroup(s.Reg.Groups[gn]))
			}
		}
		resp := jsonResp(200, map[string]any{"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/" + av,
			"metadata": map[string]any{}, "items": items})
		resp.ContentType = "application/json;g=apidiscovery.k8s.io;v=" + av + ";as=APIGroupDiscoveryList"
		resp.Header = http.Header{"Vary": {"Accept"}}
		return resp
	}
	if mode, _, ok := negotiate(r.Header.Get("Accept")); !ok || mode != "json" {
		return statusResp(406, "NotAcceptable", "only the following media types are accepted: application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", map[string]any{})
	}
	if core {
		resp := jsonResp(200, map[string]any{"kind": "APIVersions", "versions": []string{"v1"},
			"serverAddressByClientCIDRs": []any{map[string]any{"clientCIDR": "0.0.0.0/0", "serverAddress": r.Host}}})
		resp.Header = http.Header{"Vary": {"Accept"}}
		return resp
	}
	var groups []any
	for _, gn := range s.Reg.GroupOrder {
		groups = append(groups, s.legacyGroup(s.Reg.Groups[gn]))
	}
	resp := jsonResp(200, map[string]any{"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
	resp.Header = http.Header{"Vary": {"Accept"}}
	return resp
}

func (s *Server) legacyGroup(g *Group) map[string]any {
	var vs []any
	for _, v := range g.Versions {
		vs = append(vs, map[string]any{"groupVersion": g.Name + "/" + v, "version": v})
	}
	return map[string]any{"name": g.Name, "versions": vs,
		"preferredVersion": map[string]any{"groupVersion": g.Name + "/" + g.Versions[0], "version": g.Versions[0]}}
}

func (s *Server) apiGroup(name string) *Response {
	g := s.Reg.Groups[name]
	if g == nil || name == "" {
		return notFoundPath()
	}
	m := s.legacyGroup(g)
	m["kind"] = "APIGroup"
	m["apiVersion"] = "v1"
	return jsonResp(200, m)
}

func (s *Server) resourceList(group, version string) map[string]any {
	g := s.Reg.Groups[group]
	gv := version
	if group != "" {
		gv = group + "/" + version
	}
	resources := []any{}
	for _, r := range g.ByVer[version] {
		e := map[string]any{"name": r.Name, "singularName": r.Singular, "namespaced": r.Namespaced, "kind": r.Kind, "verbs": r.Verbs}
		if len(r.ShortNames) > 0 {
			e["shortNames"] = r.ShortNames
		}
		if len(r.Categories) > 0 {
			e["categories"] = r.Categories
		}
		resources = append(resources, e)
		for _, sr := range r.Subresources {
			resources = append(resources, map[string]any{"name": r.Name + "/" + sr, "singularName": "", "namespaced": r.Namespaced,
				"kind": r.Kind, "verbs": []string{"get"}})
		}
	}
	return map[string]any{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}
}

// --- watch (minimal: ADDED for the current objects, then idle until timeoutSeconds or disconnect) ---

func (s *Server) watch(res *Resource, objs []*Object, q map[string][]string) *Response {
	timeout := 30 * time.Minute
	if ts := first(q["timeoutSeconds"]); ts != "" {
		if n, err := strconv.Atoi(ts); err == nil {
			timeout = time.Duration(n) * time.Second
		}
	}
	return &Response{Code: 200, stream: func(w http.ResponseWriter, r *http.Request) int {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Transfer-Encoding", "chunked")
		w.WriteHeader(200)
		fl, _ := w.(http.Flusher)
		total := 0
		for _, o := range objs {
			b, _ := json.Marshal(map[string]any{"type": "ADDED", "object": s.served(res, o, false)})
			n, err := w.Write(append(b, '\n'))
			total += n
			if err != nil {
				return total
			}
		}
		if fl != nil {
			fl.Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(timeout):
		}
		return total
	}}
}

func first(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return l[0]
}

// --- authorization reviews ---

func (s *Server) review(r *http.Request, user *User, res *Resource) *Response {
	var body map[string]any
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		return statusResp(400, "BadRequest", "the body of the request was in an unknown format - accepted media types include: application/json", nil)
	}
	if body == nil {
		body = map[string]any{}
	}
	body["apiVersion"] = res.GroupVersion()
	body["kind"] = res.Kind
	body["metadata"] = map[string]any{"creationTimestamp": nil}
	spec := mp(body["spec"])
	switch res.Name {
	case "selfsubjectaccessreviews":
		ra := mp(spec["resourceAttributes"])
		allowed := true
		if ra != nil {
			allowed = s.RBAC.Allowed(user, Attrs{Verb: str(ra["verb"]), Group: str(ra["group"]), Resource: str(ra["resource"]),
				Subresource: str(ra["subresource"]), Namespace: str(ra["namespace"]), Name: str(ra["name"])})
		}
		body["status"] = map[string]any{"allowed": allowed}
	case "selfsubjectreviews":
		body["status"] = map[string]any{"userInfo": map[string]any{"username": user.Name, "groups": user.Groups}}
	case "selfsubjectrulesreviews":
		ns := str(spec["namespace"])
		var rules []any
		if s.RBAC == nil || user.isMaster() {
			rules = append(rules, map[string]any{"verbs": []string{"*"}, "apiGroups": []string{"*"}, "resources": []string{"*"}})
		} else {
			for _, ru := range append(append([]Rule{}, s.RBAC.Users[user.Name]...), s.RBAC.Users["*"]...) {
				if len(ru.Namespaces) > 0 && !matchAny(ru.Namespaces, ns, false) {
					continue
				}
				groups := ru.APIGroups
				if len(groups) == 0 {
					groups = []string{"*"}
				}
				e := map[string]any{"verbs": ru.Verbs, "apiGroups": groups, "resources": ru.Resources}
				if len(ru.ResourceNames) > 0 {
					e["resourceNames"] = ru.ResourceNames
				}
				rules = append(rules, e)
			}
		}
		if rules == nil {
			rules = []any{}
		}
		body["status"] = map[string]any{"resourceRules": rules, "nonResourceRules": []any{
			map[string]any{"verbs": []string{"get"}, "nonResourceURLs": []string{"/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"}}},
			"incomplete": false}
	default:
		return statusResp(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", map[string]any{})
	}
	return jsonResp(201, body)
}
