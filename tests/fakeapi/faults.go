package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultRule is one entry of the --faults JSON list.
type FaultRule struct {
	Name        string            `json:"name"`
	Path        string            `json:"path"`       // path prefix
	PathRegexp  string            `json:"pathRegexp"` // regexp on the path
	Method      string            `json:"method"`
	Query       map[string]string `json:"query"`       // param -> exact value ("*": present)
	QueryRegexp string            `json:"queryRegexp"` // regexp on the raw query
	User        string            `json:"user"`
	Skip        int               `json:"skip"`  // let the first N matches through
	Count       int               `json:"count"` // then apply to N matches (0 = all)

	Latency    int `json:"latency"` // ms, before anything else
	Status     int `json:"status"`
	RetryAfter int `json:"retryAfter"`
	// RetryAfterDate sends Retry-After as an HTTP-date (now + RetryAfter s) instead of seconds
	RetryAfterDate bool   `json:"retryAfterDate"`
	Message        string `json:"message"`
	Reason         string `json:"reason"`
	RawBody        string `json:"rawBody"`
	ContentType    string `json:"contentType"`

	Reset        *int   `json:"reset"`        // bytes of body sent before the connection is reset
	Truncate     *int   `json:"truncate"`     // bytes of body sent before the response ends early
	TruncateMode string `json:"truncateMode"` // length (default) | chunked | eof
	Drip         *Drip  `json:"drip"`
	Huge         int    `json:"huge"`     // MB
	HugeMode     string `json:"hugeMode"` // space (default) | field

	re      *regexp.Regexp
	qre     *regexp.Regexp
	matched int
}

type Drip struct {
	Bytes      int `json:"bytes"`
	IntervalMs int `json:"intervalMs"`
}

type Faults struct {
	mu    sync.Mutex
	rules []*FaultRule
}

func LoadFaults(path string) (*Faults, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rules []*FaultRule
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rules); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for i, r := range rules {
		if r.PathRegexp != "" {
			if r.re, err = regexp.Compile(r.PathRegexp); err != nil {
				return nil, fmt.Errorf("%s: rule %d: %v", path, i, err)
			}
		}
		if r.QueryRegexp != "" {
			if r.qre, err = regexp.Compile(r.QueryRegexp); err != nil {
				return nil, fmt.Errorf("%s: rule %d: %v", path, i, err)
			}
		}
		n := 0
		for _, set := range []bool{r.Status != 0 || r.RawBody != "", r.Reset != nil, r.Truncate != nil, r.Drip != nil, r.Huge > 0} {
			if set {
				n++
			}
		}
		if n > 1 {
			return nil, fmt.Errorf("%s: rule %d: choose one of status, reset, truncate, drip, huge", path, i)
		}
		if n == 0 && r.Latency == 0 {
			return nil, fmt.Errorf("%s: rule %d: no fault (latency, status, reset, truncate, drip, huge)", path, i)
		}
		if r.Name == "" {
			r.Name = fmt.Sprintf("rule%d", i)
		}
	}
	return &Faults{rules: rules}, nil
}

func (r *FaultRule) matches(req *http.Request, user string) bool {
	if r.Path != "" && !strings.HasPrefix(req.URL.Path, r.Path) {
		return false
	}
	if r.re != nil && !r.re.MatchString(req.URL.Path) {
		return false
	}
	if r.Method != "" && !strings.EqualFold(r.Method, req.Method) {
		return false
	}
	if r.qre != nil && !r.qre.MatchString(req.URL.RawQuery) {
		return false
	}
	if r.User != "" && r.User != user {
		return false
	}
	q := req.URL.Query()
	for k, v := range r.Query {
		if _, ok := q[k]; !ok {
			return false
		}
		if v != "*" && q.Get(k) != v {
			return false
		}
	}
	return true
}

// Match returns the rules that apply to this request (consuming their skip/count budget).
func (f *Faults) Match(req *http.Request, user string) []*FaultRule {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*FaultRule
	for _, r := range f.rules {
		if !r.matches(req, user) {
			continue
		}
		r.matched++
		if r.matched <= r.Skip {
			continue
		}
		if r.Count > 0 && r.matched > r.Skip+r.Count {
			continue
		}
		out = append(out, r)
	}
	return out
}

func (r *FaultRule) kind() string {
	switch {
	case r.Status != 0 || r.RawBody != "":
		return "status"
	case r.Reset != nil:
		return "reset"
	case r.Truncate != nil:
		return "truncate"
	case r.Drip != nil:
		return "drip"
	case r.Huge > 0:
		return "huge"
	}
	return "latency"
}

// statusResponse renders the Status (or raw body) of a status fault.
func (r *FaultRule) retryAfterValue() string {
	if r.RetryAfterDate {
		return time.Now().Add(time.Duration(r.RetryAfter) * time.Second).UTC().Format(http.TimeFormat)
	}
	return strconv.Itoa(r.RetryAfter)
}

func (r *FaultRule) statusResponse() *Response {
	code := r.Status
	if code == 0 {
		code = 500
	}
	if r.RawBody != "" {
		ct := r.ContentType
		if ct == "" {
			ct = "text/plain; charset=utf-8"
		}
		resp := &Response{Code: code, Body: []byte(r.RawBody), ContentType: ct}
		if r.RetryAfter > 0 {
			resp.Header = http.Header{"Retry-After": {r.retryAfterValue()}}
		}
		return resp
	}
	reason, msg := r.Reason, r.Message
	defReason, defMsg := "", http.StatusText(code)
	switch code {
	case 400:
		defReason, defMsg = "BadRequest", "bad request"
	case 401:
		defReason, defMsg = "Unauthorized", "Unauthorized"
	case 403:
		defReason, defMsg = "Forbidden", "forbidden"
	case 404:
		defReason, defMsg = "NotFound", "the server could not find the requested resource"
	case 409:
		defReason, defMsg = "Conflict", "conflict"
	case 410:
		defReason, defMsg = "Expired", "too old resource version"
	case 429:
		defReason, defMsg = "TooManyRequests", "Too many requests, please try again later."
	case 500:
		defReason, defMsg = "InternalError", "Internal error occurred: injected fault"
	case 503:
		defReason, defMsg = "ServiceUnavailable", "the server is currently unable to handle the request"
	case 504:
		defReason, defMsg = "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"
	}
	if reason == "" {
		reason = defReason
	}
	if msg == "" {
		msg = defMsg
	}
	var details map[string]any
	resp := statusResp(code, reason, msg, details)
	if r.RetryAfter > 0 {
		st := resp.obj
		st["details"] = map[string]any{"retryAfterSeconds": r.RetryAfter}
		resp = jsonResp(code, st)
		resp.Header = http.Header{"Retry-After": {r.retryAfterValue()}}
	}
	return resp
}

// hugeBody pads a JSON body to at least mb megabytes, keeping it valid JSON.
func hugeBody(body []byte, mb int, mode string) []byte {
	target := mb << 20
	i := bytes.LastIndexByte(body, '}')
	if i < 0 || len(body) >= target {
		return body
	}
	pad := target - len(body)
	var b bytes.Buffer
	b.Grow(target + 64)
	b.Write(body[:i])
	if mode == "field" {
		b.WriteString(`,"fakeapiPadding":"`)
		b.Write(bytes.Repeat([]byte("x"), pad))
		b.WriteString(`"`)
	} else {
		b.Write(bytes.Repeat([]byte(" "), pad))
	}
	b.Write(body[i:])
	return b.Bytes()
}

// deliverFault writes resp with a body fault. It returns the number of body bytes written.
func deliverFault(w http.ResponseWriter, req *http.Request, resp *Response, rule *FaultRule) int {
	body := resp.Body
	switch rule.kind() {
	case "huge":
		body = hugeBody(body, rule.Huge, rule.HugeMode)
		resp.Body = body
		return writeResponse(w, resp)
	case "drip":
		n, iv := rule.Drip.Bytes, time.Duration(rule.Drip.IntervalMs)*time.Millisecond
		if n <= 0 {
			n = 1
		}
		setHeaders(w, resp)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(resp.Code)
		fl, _ := w.(http.Flusher)
		sent := 0
		for sent < len(body) {
			end := sent + n
			if end > len(body) {
				end = len(body)
			}
			if _, err := w.Write(body[sent:end]); err != nil {
				return sent
			}
			if fl != nil {
				fl.Flush()
			}
			sent = end
			if sent < len(body) {
				select {
				case <-req.Context().Done():
					return sent
				case <-time.After(iv):
				}
			}
		}
		return sent
	}
	// reset / truncate
	var n int
	if rule.Reset != nil {
		n = *rule.Reset
	} else {
		n = *rule.Truncate
	}
	if n > len(body) {
		n = len(body)
	}
	if n < 0 {
		n = 0
	}
	mode := rule.TruncateMode
	if mode == "" {
		mode = "length"
	}
	if req.ProtoMajor >= 2 {
		setHeaders(w, resp)
		if rule.Reset != nil || mode == "length" {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.WriteHeader(resp.Code)
		_, _ = w.Write(body[:n])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		if rule.Reset != nil {
			panic(http.ErrAbortHandler) // RST_STREAM
		}
		return n // stream ends cleanly; a declared Content-Length stays unmet
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, bufrw, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	var hb strings.Builder
	fmt.Fprintf(&hb, "HTTP/1.1 %d %s\r\n", resp.Code, http.StatusText(resp.Code))
	fmt.Fprintf(&hb, "Content-Type: %s\r\n", resp.ContentType)
	fmt.Fprintf(&hb, "Date: %s\r\n", time.Now().UTC().Format(http.TimeFormat))
	for k, vs := range resp.Header {
		for _, v := range vs {
			fmt.Fprintf(&hb, "%s: %s\r\n", k, v)
		}
	}
	chunked := rule.Reset == nil && mode == "chunked"
	switch {
	case chunked:
		hb.WriteString("Transfer-Encoding: chunked\r\n")
	case rule.Reset == nil && mode == "eof":
		hb.WriteString("Connection: close\r\n")
	default:
		fmt.Fprintf(&hb, "Content-Length: %d\r\n", len(body))
	}
	hb.WriteString("\r\n")
	_, _ = bufrw.WriteString(hb.String())
	if chunked {
		if n > 0 {
			fmt.Fprintf(bufrw, "%x\r\n", n)
			_, _ = bufrw.Write(body[:n])
			_, _ = bufrw.WriteString("\r\n")
		}
	} else {
		_, _ = bufrw.Write(body[:n])
	}
	_ = bufrw.Flush()
	if rule.Reset != nil {
		raw := conn
		if tc, ok := conn.(interface{ NetConn() net.Conn }); ok {
			raw = tc.NetConn()
		}
		if tcp, ok := raw.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0) // close -> RST
		}
		_ = raw.Close()
		return n
	}
	time.Sleep(20 * time.Millisecond)
	_ = conn.Close()
	return n
}

var _ = bufio.NewReader
