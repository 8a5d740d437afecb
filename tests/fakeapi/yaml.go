package main

// A small YAML reader: the subset that Kubernetes manifests and `kubectl get -o yaml` output use.
//
// Supported: block mappings and sequences (including "- key: v" compact items and sequences at the
// same indentation as their parent key), flow collections ([] and {}, nested, across lines), plain,
// single- and double-quoted scalars (multi-line, with folding and all YAML escapes), block scalars
// (| and > with chomping +/- and an indentation digit), comments, documents separated by "---"
// (with "..." ends and %-directives), anchors/aliases (with an expansion limit), and the tags
// !!str !!int !!float !!bool !!null !!binary (others are ignored). Plain scalars resolve with
// the YAML 1.2 core schema: null/~, true/false (3 spellings), decimal/0o/0x ints, floats; .inf and
// .nan stay strings (JSON cannot hold them). Values come out as JSON-ready Go values:
// map[string]any, []any, string, bool, nil and json.Number.
//
// Not supported (reported as errors): complex keys ("? "), flow keys, tabs as indentation,
// duplicate keys.

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

const yamlMaxExpandedNodes = 5_000_000

type yamlParser struct {
	lines    []string
	lineBase int // line number (1-based) of lines[0] in the file
	pos      int
	anchors  map[string]any
	sizes    map[string]int
	expanded int
}

type yamlError struct {
	line int
	msg  string
}

func (e *yamlError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func (p *yamlParser) errf(format string, a ...any) error {
	return &yamlError{line: p.lineBase + p.pos, msg: fmt.Sprintf(format, a...)}
}

// ParseYAMLDocuments parses a (multi-document) YAML stream. Empty documents are returned as nil.
func ParseYAMLDocuments(data []byte) ([]any, error) {
	text := strings.TrimPrefix(string(data), "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	all := strings.Split(text, "\n")
	var docs []any
	var cur []string
	curBase := 1
	seenContent := false
	explicit := false
	inDirectives := true
	flush := func() error {
		if !seenContent && !explicit {
			return nil
		}
		p := &yamlParser{lines: cur, lineBase: curBase, anchors: map[string]any{}, sizes: map[string]int{}}
		v, err := p.parseDocument()
		if err != nil {
			return err
		}
		docs = append(docs, v)
		return nil
	}
	for i, ln := range all {
		if inDirectives && strings.HasPrefix(ln, "%") {
			cur = append(cur, "")
			continue
		}
		if ln == "---" || strings.HasPrefix(ln, "--- ") || strings.HasPrefix(ln, "---\t") {
			if err := flush(); err != nil {
				return nil, err
			}
			rest := strings.TrimLeft(ln[3:], " \t")
			cur = []string{rest}
			curBase = i + 1
			seenContent = rest != "" && !strings.HasPrefix(rest, "#")
			explicit = true
			inDirectives = false
			continue
		}
		if ln == "..." || strings.HasPrefix(ln, "... ") {
			if err := flush(); err != nil {
				return nil, err
			}
			cur = nil
			curBase = i + 2
			seenContent, explicit = false, false
			inDirectives = true
			continue
		}
		t := strings.TrimSpace(ln)
		if t != "" && !strings.HasPrefix(t, "#") {
			seenContent = true
			inDirectives = false
		}
		cur = append(cur, ln)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return docs, nil
}

func (p *yamlParser) parseDocument() (any, error) {
	p.skipBlank()
	if p.pos >= len(p.lines) {
		return nil, nil
	}
	v, err := p.parseBlock(0)
	if err != nil {
		return nil, err
	}
	p.skipBlank()
	if p.pos < len(p.lines) {
		return nil, p.errf("unexpected content %q (bad indentation?)", strings.TrimSpace(p.lines[p.pos]))
	}
	return v, nil
}

func isBlankOrComment(ln string) bool {
	t := strings.TrimLeft(ln, " \t")
	return t == "" || t[0] == '#'
}

func (p *yamlParser) skipBlank() {
	for p.pos < len(p.lines) && isBlankOrComment(p.lines[p.pos]) {
		p.pos++
	}
}

func indentOf(ln string) int {
	n := 0
	for n < len(ln) && ln[n] == ' ' {
		n++
	}
	return n
}

func isSeqItem(content string) bool {
	return content == "-" || strings.HasPrefix(content, "- ") || strings.HasPrefix(content, "-\t")
}

// parseBlock parses the node starting at the next non-blank line, which must be indented >= minIndent.
func (p *yamlParser) parseBlock(minIndent int) (any, error) {
	p.skipBlank()
	if p.pos >= len(p.lines) {
		return nil, nil
	}
	ln := p.lines[p.pos]
	ind := indentOf(ln)
	if ind < minIndent {
		return nil, nil
	}
	content := ln[ind:]
	if strings.HasPrefix(content, "\t") {
		return nil, p.errf("tabs are not allowed as indentation")
	}
	if isSeqItem(content) {
		return p.parseSeq(ind)
	}
	if _, _, ok, err := p.splitKey(content); err != nil {
		return nil, err
	} else if ok {
		return p.parseMap(ind)
	}
	p.pos++
	return p.parseValue(content, minIndent-1, false)
}

func (p *yamlParser) parseSeq(ind int) (any, error) {
	out := []any{}
	for {
		p.skipBlank()
		if p.pos >= len(p.lines) {
			break
		}
		ln := p.lines[p.pos]
		li := indentOf(ln)
		if li < ind {
			break
		}
		if li > ind {
			return nil, p.errf("bad indentation of a sequence entry")
		}
		content := ln[li:]
		if !isSeqItem(content) {
			break
		}
		rest := content[1:]
		off := 1
		for len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
			rest = rest[1:]
			off++
		}
		var item any
		var err error
		_, _, isKey, kerr := p.splitKey(rest)
		if kerr != nil {
			return nil, kerr
		}
		if rest != "" && rest[0] != '#' && (isSeqItem(rest) || isKey) {
			// Compact nested collection: re-read this line with the dash replaced by spaces.
			p.lines[p.pos] = strings.Repeat(" ", ind+off) + rest
			item, err = p.parseBlock(ind + off)
		} else {
			p.pos++
			item, err = p.parseValue(rest, ind, false)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

func (p *yamlParser) parseMap(ind int) (any, error) {
	out := map[string]any{}
	explicit := map[string]bool{}
	for {
		p.skipBlank()
		if p.pos >= len(p.lines) {
			break
		}
		ln := p.lines[p.pos]
		li := indentOf(ln)
		if li < ind {
			break
		}
		if li > ind {
			return nil, p.errf("bad indentation of a mapping entry")
		}
		content := ln[li:]
		if isSeqItem(content) {
			break
		}
		key, rest, ok, err := p.splitKey(content)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, p.errf("expected a mapping key, found %q", strings.TrimSpace(content))
		}
		isMerge := key == "<<" && content[0] != '"' && content[0] != '\''
		if explicit[key] && !isMerge {
			return nil, p.errf("duplicate key %q", key)
		}
		p.pos++
		val, err := p.parseValue(rest, ind, true)
		if err != nil {
			return nil, err
		}
		if isMerge {
			if err := mergeInto(out, explicit, val); err != nil {
				return nil, p.errf("%v", err)
			}
			continue
		}
		explicit[key] = true
		out[key] = val
	}
	return out, nil
}

// mergeInto applies a "<<" merge: explicit keys win, and earlier merged mappings win over later ones.
func mergeInto(dst map[string]any, explicit map[string]bool, val any) error {
	merged := map[string]bool{}
	var apply func(v any) error
	apply = func(val any) error {
		switch v := val.(type) {
		case map[string]any:
			for k, x := range v {
				if !explicit[k] && !merged[k] {
					dst[k] = x
					merged[k] = true
				}
			}
		case []any:
			for _, e := range v {
				if err := apply(e); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("merge key << needs a mapping")
		}
		return nil
	}
	return apply(val)
}

// splitKey recognises "key: rest" / "key:" (plain or quoted key). ok=false when the content is not a key.
func (p *yamlParser) splitKey(content string) (key, rest string, ok bool, err error) {
	if content == "" || content[0] == '#' || content[0] == '[' || content[0] == '{' || content[0] == '|' ||
		content[0] == '>' || content[0] == '*' || content[0] == '&' || content[0] == '!' {
		return "", "", false, nil
	}
	if strings.HasPrefix(content, "? ") || content == "?" {
		return "", "", false, p.errf("complex mapping keys are not supported")
	}
	if content[0] == '"' || content[0] == '\'' {
		end := quotedEnd(content)
		if end < 0 {
			return "", "", false, nil // multi-line quoted scalar, not a key
		}
		after := strings.TrimLeft(content[end+1:], " \t")
		if !strings.HasPrefix(after, ":") || (len(after) > 1 && after[1] != ' ' && after[1] != '\t') {
			return "", "", false, nil
		}
		k, kerr := unquote(content[:end+1])
		if kerr != nil {
			return "", "", false, p.errf("%v", kerr)
		}
		return k, after[1:], true, nil
	}
	for i := 0; i < len(content); i++ {
		c := content[i]
		if c == '#' && i > 0 && (content[i-1] == ' ' || content[i-1] == '\t') {
			return "", "", false, nil
		}
		if c == ':' && (i+1 == len(content) || content[i+1] == ' ' || content[i+1] == '\t') {
			k := strings.TrimRight(content[:i], " \t")
			if k == "" {
				return "", "", false, nil
			}
			return keyString(resolvePlain(k)), content[i+1:], true, nil
		}
	}
	return "", "", false, nil
}

func keyString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return string(x)
	}
	return fmt.Sprint(v)
}

// quotedEnd returns the index of the closing quote of the quoted scalar at s[0], or -1.
func quotedEnd(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		if q == '"' && s[i] == '\\' {
			i++
			continue
		}
		if s[i] == q {
			if q == '\'' && i+1 < len(s) && s[i+1] == '\'' {
				i++
				continue
			}
			return i
		}
	}
	return -1
}

func stripComment(s string) string {
	if strings.HasPrefix(s, "#") {
		return ""
	}
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			return strings.TrimRight(s[:i], " \t")
		}
	}
	return strings.TrimRight(s, " \t")
}

// parseValue parses the value whose text starts with rest (the remainder of an already consumed line).
// owner is the indentation of the owning key or dash; child lines must be indented more
// (a sequence may sit at the owner's indentation when the owner is a mapping key).
func (p *yamlParser) parseValue(rest string, owner int, inMap bool) (any, error) {
	rest = strings.TrimLeft(rest, " \t")
	anchor, tag := "", ""
	for {
		if strings.HasPrefix(rest, "&") {
			n := tokenEnd(rest)
			anchor = rest[1:n]
			rest = strings.TrimLeft(rest[n:], " \t")
			continue
		}
		if strings.HasPrefix(rest, "!") {
			n := tokenEnd(rest)
			tag = rest[:n]
			rest = strings.TrimLeft(rest[n:], " \t")
			continue
		}
		break
	}
	v, err := p.parseValueNoProps(rest, owner, inMap, tag)
	if err != nil {
		return nil, err
	}
	if tag != "" {
		if v, err = applyTag(tag, v); err != nil {
			return nil, p.errf("%v", err)
		}
	}
	if anchor != "" {
		p.anchors[anchor] = v
		p.sizes[anchor] = countNodes(v)
	}
	return v, nil
}

func tokenEnd(s string) int {
	n := 1
	for n < len(s) && s[n] != ' ' && s[n] != '\t' {
		n++
	}
	return n
}

func countNodes(v any) int {
	switch x := v.(type) {
	case map[string]any:
		n := 1
		for _, e := range x {
			n += countNodes(e)
		}
		return n
	case []any:
		n := 1
		for _, e := range x {
			n += countNodes(e)
		}
		return n
	}
	return 1
}

func applyTag(tag string, v any) (any, error) {
	switch tag {
	case "!!str":
		switch x := v.(type) {
		case json.Number:
			return string(x), nil
		case bool:
			return strconv.FormatBool(x), nil
		case nil:
			return "", nil
		}
	case "!!int", "!!float":
		if s, ok := v.(string); ok {
			r := resolvePlain(s)
			if _, ok := r.(json.Number); !ok {
				return nil, fmt.Errorf("invalid %s value %q", tag, s)
			}
			return r, nil
		}
	case "!!bool":
		if s, ok := v.(string); ok {
			r := resolvePlain(s)
			if _, ok := r.(bool); !ok {
				return nil, fmt.Errorf("invalid !!bool value %q", s)
			}
			return r, nil
		}
	case "!!null":
		return nil, nil
	}
	return v, nil
}

func (p *yamlParser) parseValueNoProps(rest string, owner int, inMap bool, tag string) (any, error) {
	body := stripComment(rest)
	if body == "" {
		// Nested block (or null).
		p.skipBlank()
		if p.pos >= len(p.lines) {
			return nil, nil
		}
		ln := p.lines[p.pos]
		ind := indentOf(ln)
		if ind > owner {
			return p.parseBlock(owner + 1)
		}
		if ind == owner && inMap && isSeqItem(ln[ind:]) {
			return p.parseSeq(ind)
		}
		if tag == "!!str" {
			return "", nil
		}
		return nil, nil
	}
	switch body[0] {
	case '*':
		name := body[1:]
		v, ok := p.anchors[name]
		if !ok {
			return nil, p.errf("unknown alias *%s", name)
		}
		p.expanded += p.sizes[name]
		if p.expanded > yamlMaxExpandedNodes {
			return nil, p.errf("too many alias expansions")
		}
		return v, nil
	case '|', '>':
		return p.parseBlockScalar(body, owner)
	case '[', '{':
		return p.parseFlowMultiline(rest, owner)
	case '"', '\'':
		return p.parseQuotedMultiline(rest, owner)
	}
	// Plain scalar, possibly continued on more-indented lines.
	if strings.Contains(body, ": ") || strings.Contains(body, ":\t") || strings.HasSuffix(body, ":") {
		return nil, p.errf("mapping values are not allowed here: %q", body)
	}
	if tag == "!!str" || tag == "!!binary" {
		s, err := p.plainContinuation(body, owner)
		return s, err
	}
	s, err := p.plainContinuation(body, owner)
	if err != nil {
		return nil, err
	}
	if strings.Contains(s, "\n") || s != body {
		return s, nil
	}
	return resolvePlain(s), nil
}

func (p *yamlParser) plainContinuation(first string, owner int) (string, error) {
	var b strings.Builder
	b.WriteString(first)
	empties := 0
	for p.pos < len(p.lines) {
		ln := p.lines[p.pos]
		t := strings.TrimSpace(ln)
		if t == "" {
			empties++
			p.pos++
			continue
		}
		if indentOf(ln) <= owner || t[0] == '#' {
			break
		}
		if _, _, isKey, _ := p.splitKey(t); isKey {
			break
		}
		if empties > 0 {
			b.WriteString(strings.Repeat("\n", empties))
		} else {
			b.WriteByte(' ')
		}
		empties = 0
		b.WriteString(stripComment(t))
		p.pos++
		if stripComment(t) != t {
			break
		}
	}
	if empties > 0 {
		// Give trailing blank lines back to the caller.
		p.pos -= empties
	}
	return b.String(), nil
}

var (
	reInt      = regexp.MustCompile(`^[-+]?[0-9]+$`)
	reOct      = regexp.MustCompile(`^0o[0-7]+$`)
	reHex      = regexp.MustCompile(`^0x[0-9a-fA-F]+$`)
	reFloat    = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	reJSONNum  = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)
	reInfOrNaN = regexp.MustCompile(`^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$`)
)

// resolvePlain applies the YAML 1.2 core schema to a plain scalar.
func resolvePlain(s string) any {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return nil
	case "true", "True", "TRUE":
		return true
	case "false", "False", "FALSE":
		return false
	}
	c := s[0]
	if !(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.' {
		return s
	}
	switch {
	case reInt.MatchString(s):
		if reJSONNum.MatchString(s) {
			return json.Number(s)
		}
		n, ok := new(big.Int).SetString(strings.TrimPrefix(s, "+"), 10)
		if ok {
			return json.Number(n.String())
		}
	case reOct.MatchString(s):
		n, ok := new(big.Int).SetString(s[2:], 8)
		if ok {
			return json.Number(n.String())
		}
	case reHex.MatchString(s):
		n, ok := new(big.Int).SetString(s[2:], 16)
		if ok {
			return json.Number(n.String())
		}
	case reFloat.MatchString(s):
		if reJSONNum.MatchString(s) {
			return json.Number(s)
		}
		f, err := strconv.ParseFloat(s, 64)
		if err == nil {
			out := strconv.FormatFloat(f, 'g', -1, 64)
			if !strings.ContainsAny(out, ".eE") {
				out += ".0"
			}
			if reJSONNum.MatchString(out) {
				return json.Number(out)
			}
		}
	case reInfOrNaN.MatchString(s):
		return s
	}
	return s
}

func (p *yamlParser) parseBlockScalar(header string, owner int) (any, error) {
	style := header[0]
	chomp := byte(0)
	explicit := 0
	for _, c := range []byte(header[1:]) {
		switch {
		case c == '-' || c == '+':
			chomp = c
		case c >= '1' && c <= '9':
			explicit = int(c - '0')
		default:
			return nil, p.errf("bad block scalar header %q", header)
		}
	}
	parentInd := owner
	if parentInd < 0 {
		parentInd = 0
	}
	blockInd := -1
	if explicit > 0 {
		blockInd = parentInd + explicit
		if owner < 0 {
			blockInd = explicit
		}
	}
	var lines []string
	for p.pos < len(p.lines) {
		ln := p.lines[p.pos]
		if strings.TrimSpace(ln) == "" {
			if blockInd >= 0 && len(ln) > blockInd {
				lines = append(lines, ln[blockInd:])
			} else {
				lines = append(lines, "")
			}
			p.pos++
			continue
		}
		ind := indentOf(ln)
		if blockInd < 0 {
			if ind <= owner {
				break
			}
			blockInd = ind
		}
		if ind < blockInd {
			break
		}
		lines = append(lines, ln[blockInd:])
		p.pos++
	}
	// Separate trailing empty lines (subject to chomping).
	n := len(lines)
	for n > 0 && lines[n-1] == "" {
		n--
	}
	trailing := len(lines) - n
	content := lines[:n]
	var b strings.Builder
	if style == '|' {
		for i, l := range content {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(l)
		}
	} else {
		prevNormal := false
		empties := 0
		wrote := false
		for _, l := range content {
			if l == "" {
				empties++
				continue
			}
			more := l[0] == ' ' || l[0] == '\t'
			if wrote {
				if prevNormal && !more {
					if empties == 0 {
						b.WriteByte(' ')
					} else {
						b.WriteString(strings.Repeat("\n", empties))
					}
				} else {
					b.WriteString(strings.Repeat("\n", empties+1))
				}
			} else {
				b.WriteString(strings.Repeat("\n", empties))
			}
			b.WriteString(l)
			wrote = true
			prevNormal = !more
			empties = 0
		}
	}
	s := b.String()
	switch chomp {
	case '-':
	case '+':
		if n > 0 {
			s += "\n"
		}
		s += strings.Repeat("\n", trailing)
	default:
		if n > 0 {
			s += "\n"
		}
	}
	// Trailing blank lines belong to the scalar; nothing to give back.
	return s, nil
}

// gather collects text starting with first until complete(text) says the construct is closed.
func (p *yamlParser) gather(first string, owner int, closed func(string) bool) (string, error) {
	text := first
	start := p.pos
	for !closed(text) {
		if p.pos >= len(p.lines) {
			p.pos = start
			return "", p.errf("unterminated flow collection or quoted scalar")
		}
		text += "\n" + p.lines[p.pos]
		p.pos++
	}
	return text, nil
}

// flowClosed reports whether the brackets opened in s are balanced (ignoring quoted parts and comments).
func flowClosed(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"', '\'':
			end := quotedEnd(s[i:])
			if end < 0 {
				return false
			}
			i += end
		case '#':
			if i > 0 && (s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == '\n') {
				for i < len(s) && s[i] != '\n' {
					i++
				}
			}
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return true
			}
		}
	}
	return depth <= 0
}

func (p *yamlParser) parseFlowMultiline(rest string, owner int) (any, error) {
	text, err := p.gather(rest, owner, flowClosed)
	if err != nil {
		return nil, err
	}
	fp := &flowParser{s: text, p: p}
	v, err := fp.value()
	if err != nil {
		return nil, p.errf("flow collection: %v", err)
	}
	fp.ws()
	if fp.i < len(fp.s) {
		return nil, p.errf("unexpected text after flow collection: %q", fp.s[fp.i:])
	}
	return v, nil
}

func (p *yamlParser) parseQuotedMultiline(rest string, owner int) (any, error) {
	text, err := p.gather(rest, owner, func(s string) bool { return quotedEnd(s) >= 0 })
	if err != nil {
		return nil, err
	}
	end := quotedEnd(text)
	after := stripComment(strings.TrimSpace(text[end+1:]))
	if after != "" {
		return nil, p.errf("unexpected text after quoted scalar: %q", after)
	}
	s, err := unquote(text[:end+1])
	if err != nil {
		return nil, p.errf("%v", err)
	}
	return s, nil
}

// unquote decodes a complete single- or double-quoted scalar (quotes included), with line folding.
func unquote(q string) (string, error) {
	quote := q[0]
	inner := q[1 : len(q)-1]
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		switch {
		case c == '\n':
			// Fold: trim trailing white space already written, count empty lines, skip indentation.
			s := strings.TrimRight(b.String(), " \t")
			b.Reset()
			b.WriteString(s)
			empties := 0
			j := i + 1
			for {
				k := j
				for k < len(inner) && (inner[k] == ' ' || inner[k] == '\t') {
					k++
				}
				if k < len(inner) && inner[k] == '\n' {
					empties++
					j = k + 1
					continue
				}
				j = k
				break
			}
			if empties == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteString(strings.Repeat("\n", empties))
			}
			i = j - 1
		case quote == '\'' && c == '\'':
			b.WriteByte('\'')
			i++ // skip the doubled quote
		case quote == '"' && c == '\\':
			if i+1 >= len(inner) {
				return "", fmt.Errorf("bad escape at end of string")
			}
			i++
			e := inner[i]
			switch e {
			case '0':
				b.WriteByte(0)
			case 'a':
				b.WriteByte(7)
			case 'b':
				b.WriteByte(8)
			case 't', '\t':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'v':
				b.WriteByte(11)
			case 'f':
				b.WriteByte(12)
			case 'r':
				b.WriteByte('\r')
			case 'e':
				b.WriteByte(27)
			case ' ':
				b.WriteByte(' ')
			case '"', '/', '\\':
				b.WriteByte(e)
			case 'N':
				b.WriteString("\u0085")
			case '_':
				b.WriteString("\u00a0")
			case 'L':
				b.WriteString("\u2028")
			case 'P':
				b.WriteString("\u2029")
			case 'x', 'u', 'U':
				n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
				if i+n >= len(inner)+0 && i+n > len(inner)-1+1 {
					return "", fmt.Errorf("short \\%c escape", e)
				}
				if i+1+n > len(inner) {
					return "", fmt.Errorf("short \\%c escape", e)
				}
				r, err := strconv.ParseUint(inner[i+1:i+1+n], 16, 32)
				if err != nil {
					return "", fmt.Errorf("bad \\%c escape", e)
				}
				b.WriteRune(rune(r))
				i += n
			case '\n':
				// Escaped line break: join without space, skip the next line's indentation.
				for i+1 < len(inner) && (inner[i+1] == ' ' || inner[i+1] == '\t') {
					i++
				}
			default:
				return "", fmt.Errorf("unknown escape \\%c", e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

type flowParser struct {
	s string
	i int
	p *yamlParser
}

func (f *flowParser) ws() {
	for f.i < len(f.s) {
		c := f.s[f.i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			f.i++
			continue
		}
		if c == '#' && (f.i == 0 || strings.ContainsRune(" \t\n", rune(f.s[f.i-1]))) {
			for f.i < len(f.s) && f.s[f.i] != '\n' {
				f.i++
			}
			continue
		}
		break
	}
}

func (f *flowParser) value() (any, error) {
	f.ws()
	if f.i >= len(f.s) {
		return nil, fmt.Errorf("unexpected end")
	}
	switch f.s[f.i] {
	case '[':
		f.i++
		out := []any{}
		for {
			f.ws()
			if f.i < len(f.s) && f.s[f.i] == ']' {
				f.i++
				return out, nil
			}
			v, err := f.value()
			if err != nil {
				return nil, err
			}
			f.ws()
			// single-pair implicit map inside a sequence: [a: b]
			if f.i < len(f.s) && f.s[f.i] == ':' {
				f.i++
				val, err := f.value()
				if err != nil {
					return nil, err
				}
				v = map[string]any{keyString(v): val}
				f.ws()
			}
			out = append(out, v)
			if f.i < len(f.s) && f.s[f.i] == ',' {
				f.i++
				continue
			}
			if f.i < len(f.s) && f.s[f.i] == ']' {
				continue
			}
			return nil, fmt.Errorf("expected , or ] at %q", f.rest())
		}
	case '{':
		f.i++
		out := map[string]any{}
		for {
			f.ws()
			if f.i < len(f.s) && f.s[f.i] == '}' {
				f.i++
				return out, nil
			}
			k, err := f.scalar(true)
			if err != nil {
				return nil, err
			}
			key := keyString(k)
			f.ws()
			var v any
			if f.i < len(f.s) && f.s[f.i] == ':' {
				f.i++
				f.ws()
				if f.i < len(f.s) && (f.s[f.i] == ',' || f.s[f.i] == '}') {
					v = nil
				} else if v, err = f.value(); err != nil {
					return nil, err
				}
			}
			if _, dup := out[key]; dup {
				return nil, fmt.Errorf("duplicate key %q", key)
			}
			out[key] = v
			f.ws()
			if f.i < len(f.s) && f.s[f.i] == ',' {
				f.i++
				continue
			}
			if f.i < len(f.s) && f.s[f.i] == '}' {
				continue
			}
			return nil, fmt.Errorf("expected , or } at %q", f.rest())
		}
	}
	return f.scalar(false)
}

func (f *flowParser) rest() string {
	r := f.s[f.i:]
	if len(r) > 20 {
		r = r[:20]
	}
	return r
}

func (f *flowParser) scalar(isKey bool) (any, error) {
	f.ws()
	if f.i >= len(f.s) {
		return nil, fmt.Errorf("unexpected end")
	}
	c := f.s[f.i]
	if c == '"' || c == '\'' {
		end := quotedEnd(f.s[f.i:])
		if end < 0 {
			return nil, fmt.Errorf("unterminated quoted scalar")
		}
		s, err := unquote(f.s[f.i : f.i+end+1])
		f.i += end + 1
		return s, err
	}
	if c == '[' || c == '{' {
		if isKey {
			return nil, fmt.Errorf("flow collections as keys are not supported")
		}
		return f.value()
	}
	start := f.i
	for f.i < len(f.s) {
		c := f.s[f.i]
		if c == ',' || c == ']' || c == '}' || c == '[' || c == '{' {
			break
		}
		if c == ':' && (f.i+1 == len(f.s) || strings.ContainsRune(" \t\n,]}", rune(f.s[f.i+1]))) {
			break
		}
		if c == '#' && f.i > start && strings.ContainsRune(" \t\n", rune(f.s[f.i-1])) {
			break
		}
		f.i++
	}
	raw := f.s[start:f.i]
	// fold line breaks inside a multi-line plain scalar
	parts := strings.Fields(raw)
	s := strings.Join(parts, " ")
	if strings.HasPrefix(s, "*") && f.p != nil {
		v, ok := f.p.anchors[s[1:]]
		if !ok {
			return nil, fmt.Errorf("unknown alias %s", s)
		}
		f.p.expanded += f.p.sizes[s[1:]]
		if f.p.expanded > yamlMaxExpandedNodes {
			return nil, fmt.Errorf("too many alias expansions")
		}
		return v, nil
	}
	return resolvePlain(s), nil
}
