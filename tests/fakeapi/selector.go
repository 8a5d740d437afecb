package main

// Label and field selectors with the grammar of k8s.io/apimachinery/pkg/labels and .../fields.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

type labelReq struct {
	Key    string
	Op     string // = != in notin exists !exists > <
	Values []string
}

type LabelSelector []labelReq

func (s LabelSelector) Matches(l map[string]string) bool {
	for _, r := range s {
		v, has := l[r.Key]
		switch r.Op {
		case "=", "in":
			if !has || !containsStr(r.Values, v) {
				return false
			}
		case "!=", "notin":
			if has && containsStr(r.Values, v) {
				return false
			}
		case "exists":
			if !has {
				return false
			}
		case "!exists":
			if has {
				return false
			}
		case ">", "<":
			if !has {
				return false
			}
			a, err1 := strconv.ParseInt(v, 10, 64)
			b, err2 := strconv.ParseInt(r.Values[0], 10, 64)
			if err1 != nil || err2 != nil || (r.Op == ">" && !(a > b)) || (r.Op == "<" && !(a < b)) {
				return false
			}
		}
	}
	return true
}

func containsStr(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

type selTok struct {
	kind string // id ( ) , = == != ! in notin > < end
	text string
}

func lexSelector(s string) ([]selTok, error) {
	var out []selTok
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == ',':
			out = append(out, selTok{string(c), string(c)})
			i++
		case strings.HasPrefix(s[i:], "=="):
			out = append(out, selTok{"==", "=="})
			i += 2
		case strings.HasPrefix(s[i:], "!="):
			out = append(out, selTok{"!=", "!="})
			i += 2
		case c == '=' || c == '!' || c == '>' || c == '<':
			out = append(out, selTok{string(c), string(c)})
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r(),=!<>", rune(s[j])) {
				j++
			}
			w := s[i:j]
			switch w {
			case "in", "notin":
				out = append(out, selTok{w, w})
			default:
				out = append(out, selTok{"id", w})
			}
			i = j
		}
	}
	out = append(out, selTok{"end", ""})
	return out, nil
}

var (
	reLabelName  = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)
	reDNSSub     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	reLabelValue = regexp.MustCompile(`^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$`)
)

func validateLabelKey(k string) error {
	name := k
	if i := strings.LastIndex(k, "/"); i >= 0 {
		prefix := k[:i]
		name = k[i+1:]
		if prefix == "" || len(prefix) > 253 || !reDNSSub.MatchString(prefix) {
			return fmt.Errorf("invalid label key %q: prefix part must be a lowercase RFC 1123 subdomain", k)
		}
	}
	if name == "" || len(name) > 63 || !reLabelName.MatchString(name) {
		return fmt.Errorf("invalid label key %q: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", k)
	}
	return nil
}

func validateLabelValue(v string) error {
	if len(v) > 63 || !reLabelValue.MatchString(v) {
		return fmt.Errorf("invalid label value: %q: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", v)
	}
	return nil
}

// ParseLabelSelector parses the string form of a label selector.
func ParseLabelSelector(s string) (LabelSelector, error) {
	toks, _ := lexSelector(s)
	p := 0
	var sel LabelSelector
	if toks[0].kind == "end" {
		return sel, nil
	}
	expect := func(what string) error {
		t := toks[p]
		lit := t.text
		if t.kind == "end" {
			lit = "EOS"
		}
		return fmt.Errorf("found '%s', expected: %s", lit, what)
	}
	for {
		var r labelReq
		if toks[p].kind == "!" {
			p++
			if toks[p].kind != "id" {
				return nil, expect("identifier after '!'")
			}
			r = labelReq{Key: toks[p].text, Op: "!exists"}
			p++
		} else {
			if toks[p].kind != "id" {
				return nil, expect("!, identifier")
			}
			r.Key = toks[p].text
			p++
			switch toks[p].kind {
			case ",", "end":
				r.Op = "exists"
			case "=", "==", "!=", ">", "<":
				op := toks[p].kind
				if op == "==" {
					op = "="
				}
				r.Op = op
				p++
				switch toks[p].kind {
				case "id":
					r.Values = []string{toks[p].text}
					p++
				case ",", "end":
					if op == ">" || op == "<" {
						return nil, expect("identifier")
					}
					r.Values = []string{""}
				default:
					return nil, expect("identifier")
				}
				if op == ">" || op == "<" {
					if _, err := strconv.ParseInt(r.Values[0], 10, 64); err != nil {
						return nil, fmt.Errorf("for 'Gt', 'Lt' operators, the value must be an integer")
					}
				}
			case "in", "notin":
				r.Op = toks[p].kind
				p++
				if toks[p].kind != "(" {
					return nil, expect("'('")
				}
				p++
				r.Values = []string{}
				if toks[p].kind == ")" {
					return nil, fmt.Errorf("for 'in', 'notin' operators, values set can't be empty")
				}
			vals:
				for {
					switch toks[p].kind {
					case "id":
						r.Values = append(r.Values, toks[p].text)
						p++
					case ",", ")":
						r.Values = append(r.Values, "")
					default:
						return nil, expect("',', ')' or identifier")
					}
					switch toks[p].kind {
					case ",":
						p++
					case ")":
						p++
						break vals
					default:
						return nil, expect("',' or ')'")
					}
				}
			default:
				return nil, expect("in, notin, =, ==, !=, gt, lt")
			}
		}
		if err := validateLabelKey(r.Key); err != nil {
			return nil, err
		}
		for _, v := range r.Values {
			if r.Op == ">" || r.Op == "<" {
				continue
			}
			if err := validateLabelValue(v); err != nil {
				return nil, err
			}
		}
		sel = append(sel, r)
		switch toks[p].kind {
		case "end":
			return sel, nil
		case ",":
			p++
		default:
			return nil, expect("','")
		}
	}
}

type fieldReq struct {
	Field, Op, Value string // Op: = or !=
}

type FieldSelector []fieldReq

// ParseFieldSelector parses `a=b,c!=d` (with == and backslash escapes as in k8s fields.ParseSelector).
func ParseFieldSelector(s string) (FieldSelector, error) {
	var out FieldSelector
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for _, part := range splitUnescaped(s, ',') {
		var field, op, val string
		switch {
		case strings.Contains(part, "!="):
			i := strings.Index(part, "!=")
			field, op, val = part[:i], "!=", part[i+2:]
		case strings.Contains(part, "=="):
			i := strings.Index(part, "==")
			field, op, val = part[:i], "=", part[i+2:]
		case strings.Contains(part, "="):
			i := strings.Index(part, "=")
			field, op, val = part[:i], "=", part[i+1:]
		default:
			return nil, fmt.Errorf("invalid selector: '%s'; can't understand '%s'", s, part)
		}
		out = append(out, fieldReq{Field: strings.TrimSpace(field), Op: op, Value: unescapeField(val)})
	}
	return out, nil
}

func splitUnescaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == sep {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func unescapeField(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// fieldsForResource lists the field selectors a real apiserver supports per resource
// (metadata.name and metadata.namespace work everywhere).
var fieldsForResource = map[string][]string{
	"/pods": {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
		"spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"},
	"/events": {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
		"involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
		"reportingComponent", "source", "type"},
	"/secrets":                {"type"},
	"/namespaces":             {"status.phase"},
	"/nodes":                  {"spec.unschedulable"},
	"/replicationcontrollers": {"status.replicas"},
	"apps/replicasets":        {"status.replicas"},
	"batch/jobs":              {"status.successful"},
	"certificates.k8s.io/certificatesigningrequests": {"spec.signerName"},
}

func fieldValue(o *Object, field string) string {
	switch field {
	case "metadata.name":
		return o.Name
	case "metadata.namespace":
		return o.Namespace
	case "spec.hostNetwork", "spec.unschedulable":
		if b, ok := lookupPath(o.Raw, field).(bool); ok && b {
			return "true"
		}
		return "false"
	case "source":
		return fmt.Sprint(lookupPath(o.Raw, "source.component"))
	}
	v := lookupPath(o.Raw, field)
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func lookupPath(m any, path string) any {
	cur := m
	for _, part := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[part]
	}
	return cur
}

// Validate checks that every field is supported for the resource.
func (fs FieldSelector) Validate(r *Resource) error {
	for _, q := range fs {
		if q.Field == "metadata.name" || q.Field == "metadata.namespace" {
			continue
		}
		if !containsStr(fieldsForResource[r.Group+"/"+r.Name], q.Field) {
			return fmt.Errorf("field label not supported: %s", q.Field)
		}
	}
	return nil
}

func (fs FieldSelector) Matches(o *Object) bool {
	for _, q := range fs {
		v := fieldValue(o, q.Field)
		if (q.Op == "=") != (v == q.Value) {
			return false
		}
	}
	return true
}
