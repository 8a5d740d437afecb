package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// LoadSnapshot reads a snapshot file or directory (recursively: *.json, *.yaml, *.yml) and returns its
// objects. Lists (`List` or `*List` with `items`) are flattened; items without kind/apiVersion inherit
// them from the list (`PodList` -> `Pod`).
func LoadSnapshot(path string) ([]map[string]any, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return loadFile(path)
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != path && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".json", ".yaml", ".yml":
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []map[string]any
	for _, f := range files {
		objs, err := loadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	return out, nil
}

func loadFile(path string) ([]map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	docs, err := decodeDocuments(path, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var out []map[string]any
	for i, d := range docs {
		if d == nil {
			continue
		}
		m, ok := d.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: document %d is not an object", path, i+1)
		}
		objs, err := flattenObject(m, "", "")
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %v", path, i+1, err)
		}
		out = append(out, objs...)
	}
	return out, nil
}

func decodeDocuments(path string, data []byte) ([]any, error) {
	ext := strings.ToLower(filepath.Ext(path))
	isJSON := ext == ".json"
	if ext != ".json" && ext != ".yaml" && ext != ".yml" {
		t := bytes.TrimLeft(data, " \t\r\n\ufeff")
		isJSON = len(t) > 0 && (t[0] == '{' || t[0] == '[')
	}
	if !isJSON {
		return ParseYAMLDocuments(data)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var docs []any
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, v)
	}
	return docs, nil
}

func flattenObject(m map[string]any, listAPIVersion, listItemKind string) ([]map[string]any, error) {
	kind, _ := m["kind"].(string)
	if kind == "" && listItemKind != "" {
		m["kind"] = listItemKind
		kind = listItemKind
	}
	if _, ok := m["apiVersion"].(string); !ok && listAPIVersion != "" {
		m["apiVersion"] = listAPIVersion
	}
	if items, ok := m["items"].([]any); ok && (kind == "List" || strings.HasSuffix(kind, "List")) {
		av, _ := m["apiVersion"].(string)
		itemKind := ""
		if kind != "List" {
			itemKind = strings.TrimSuffix(kind, "List")
		} else {
			av = ""
		}
		var out []map[string]any
		for i, it := range items {
			im, ok := it.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("items[%d] is not an object", i)
			}
			objs, err := flattenObject(im, av, itemKind)
			if err != nil {
				return nil, fmt.Errorf("items[%d]: %v", i, err)
			}
			out = append(out, objs...)
		}
		return out, nil
	}
	if kind == "" {
		return nil, fmt.Errorf("object without kind")
	}
	if _, ok := m["apiVersion"].(string); !ok {
		return nil, fmt.Errorf("%s without apiVersion", kind)
	}
	md, _ := m["metadata"].(map[string]any)
	if md == nil {
		return nil, fmt.Errorf("%s without metadata", kind)
	}
	if n, _ := md["name"].(string); n == "" {
		return nil, fmt.Errorf("%s without metadata.name", kind)
	}
	return []map[string]any{m}, nil
}
