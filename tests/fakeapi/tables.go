package main

// Server-side printing (meta.k8s.io Table) with the columns kube-apiserver's printers produce.

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

type column struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Format   string `json:"format"`
	Desc     string `json:"description"`
	Priority int    `json:"priority"`
}

// HumanDuration is k8s.io/apimachinery/pkg/util/duration.HumanDuration.
func HumanDuration(d time.Duration) string {
	if seconds := int(d.Seconds()); seconds < -1 {
		return "<invalid>"
	} else if seconds < 0 {
		return "0s"
	} else if seconds < 60*2 {
		return fmt.Sprintf("%ds", seconds)
	}
	minutes := int(d / time.Minute)
	if minutes < 10 {
		s := int(d/time.Second) % 60
		if s == 0 {
			return fmt.Sprintf("%dm", minutes)
		}
		return fmt.Sprintf("%dm%ds", minutes, s)
	} else if minutes < 60*3 {
		return fmt.Sprintf("%dm", minutes)
	}
	hours := int(d / time.Hour)
	if hours < 8 {
		m := int(d/time.Minute) % 60
		if m == 0 {
			return fmt.Sprintf("%dh", hours)
		}
		return fmt.Sprintf("%dh%dm", hours, m)
	} else if hours < 48 {
		return fmt.Sprintf("%dh", hours)
	} else if hours < 24*8 {
		h := hours % 24
		if h == 0 {
			return fmt.Sprintf("%dd", hours/24)
		}
		return fmt.Sprintf("%dd%dh", hours/24, h)
	} else if hours < 24*365*2 {
		return fmt.Sprintf("%dd", hours/24)
	} else if hours < 24*365*8 {
		dy := int(hours/24) % 365
		if dy == 0 {
			return fmt.Sprintf("%dy", hours/24/365)
		}
		return fmt.Sprintf("%dy%dd", hours/24/365, dy)
	}
	return fmt.Sprintf("%dy", int(hours/24/365))
}

func age(o *Object, now time.Time) string {
	if o.Created.IsZero() {
		return "<unknown>"
	}
	return HumanDuration(now.Sub(o.Created))
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return string(x)
	}
	return fmt.Sprint(v)
}

func num(v any) int64 {
	switch x := v.(type) {
	case json.Number:
		n, _ := x.Int64()
		return n
	case float64:
		return int64(x)
	case int64:
		return x
	case int:
		return int64(x)
	}
	return 0
}

func path(o map[string]any, p string) any { return lookupPath(o, p) }

func list(v any) []any { l, _ := v.([]any); return l }

func mp(v any) map[string]any { m, _ := v.(map[string]any); return m }

func nameCol() column {
	return column{Name: "Name", Type: "string", Format: "name",
		Desc: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"}
}

func ageCol() column {
	return column{Name: "Age", Type: "string", Desc: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"}
}

func col(name, typ string, prio int) column { return column{Name: name, Type: typ, Priority: prio} }

type printer struct {
	cols []column
	row  func(o *Object, now time.Time) []any
}

func selectorString(sel map[string]any) string {
	if sel == nil {
		return "<none>"
	}
	var parts []string
	ml := mp(sel["matchLabels"])
	for _, k := range sortedKeys(ml) {
		parts = append(parts, k+"="+str(ml[k]))
	}
	for _, e := range list(sel["matchExpressions"]) {
		em := mp(e)
		vals := toStrings(em["values"])
		switch str(em["operator"]) {
		case "In":
			parts = append(parts, fmt.Sprintf("%s in (%s)", str(em["key"]), strings.Join(vals, ",")))
		case "NotIn":
			parts = append(parts, fmt.Sprintf("%s notin (%s)", str(em["key"]), strings.Join(vals, ",")))
		case "Exists":
			parts = append(parts, str(em["key"]))
		case "DoesNotExist":
			parts = append(parts, "!"+str(em["key"]))
		}
	}
	if len(parts) == 0 {
		return "<none>"
	}
	return strings.Join(parts, ",")
}

func mapSelector(m map[string]any) string {
	if len(m) == 0 {
		return "<none>"
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, k+"="+str(m[k]))
	}
	return strings.Join(parts, ",")
}

func containersImages(spec map[string]any) (string, string) {
	var n, im []string
	for _, c := range list(spec["containers"]) {
		n = append(n, str(mp(c)["name"]))
		im = append(im, str(mp(c)["image"]))
	}
	return strings.Join(n, ","), strings.Join(im, ",")
}

// podStatus follows the kubectl/kube-apiserver pod printer (printPod).
func podStatus(p map[string]any) (ready string, status string, restarts string) {
	spec, st := mp(p["spec"]), mp(p["status"])
	reason := str(st["phase"])
	if r := str(st["reason"]); r != "" {
		reason = r
	}
	total := len(list(spec["containers"]))
	readyN := 0
	restartN := int64(0)
	var lastRestart time.Time
	noteRestart := func(cs map[string]any) {
		restartN += num(cs["restartCount"])
		if t, err := time.Parse(time.RFC3339, str(path(cs, "lastState.terminated.finishedAt"))); err == nil && t.After(lastRestart) {
			lastRestart = t
		}
	}
	initializing := false
	inits := list(st["initContainerStatuses"])
	nInit := len(list(spec["initContainers"]))
	for i, c := range inits {
		cs := mp(c)
		noteRestart(cs)
		term := mp(path(cs, "state.terminated"))
		wait := mp(path(cs, "state.waiting"))
		switch {
		case term != nil && num(term["exitCode"]) == 0:
			continue
		case term != nil:
			if r := str(term["reason"]); r != "" {
				reason = "Init:" + r
			} else if s := num(term["signal"]); s != 0 {
				reason = fmt.Sprintf("Init:Signal:%d", s)
			} else {
				reason = fmt.Sprintf("Init:ExitCode:%d", num(term["exitCode"]))
			}
			initializing = true
		case wait != nil && str(wait["reason"]) != "" && str(wait["reason"]) != "PodInitializing":
			reason = "Init:" + str(wait["reason"])
			initializing = true
		default:
			reason = fmt.Sprintf("Init:%d/%d", i, nInit)
			initializing = true
		}
		break
	}
	if !initializing {
		restartN = 0
		lastRestart = time.Time{}
		for _, c := range inits {
			noteRestart(mp(c))
		}
		hasRunning := false
		cstats := list(st["containerStatuses"])
		for i := len(cstats) - 1; i >= 0; i-- {
			cs := mp(cstats[i])
			noteRestart(cs)
			wait := mp(path(cs, "state.waiting"))
			term := mp(path(cs, "state.terminated"))
			running := mp(path(cs, "state.running"))
			if wait != nil && str(wait["reason"]) != "" {
				reason = str(wait["reason"])
			} else if term != nil && str(term["reason"]) != "" {
				reason = str(term["reason"])
			} else if term != nil {
				if s := num(term["signal"]); s != 0 {
					reason = fmt.Sprintf("Signal:%d", s)
				} else {
					reason = fmt.Sprintf("ExitCode:%d", num(term["exitCode"]))
				}
			} else if running != nil && cs["ready"] == true {
				hasRunning = true
				readyN++
			} else if running != nil {
				hasRunning = true
			}
		}
		if reason == "Completed" && hasRunning {
			reason = "NotReady"
			for _, c := range list(st["conditions"]) {
				if str(mp(c)["type"]) == "Ready" && str(mp(c)["status"]) == "True" {
					reason = "Running"
				}
			}
		}
	}
	if path(p, "metadata.deletionTimestamp") != nil {
		if str(st["reason"]) == "NodeLost" {
			reason = "Unknown"
		} else {
			reason = "Terminating"
		}
	}
	restarts = strconv.FormatInt(restartN, 10)
	if !lastRestart.IsZero() && restartN > 0 {
		restarts = fmt.Sprintf("%d (%s ago)", restartN, HumanDuration(nowForTables.Sub(lastRestart)))
	}
	return fmt.Sprintf("%d/%d", readyN, total), reason, restarts
}

var nowForTables = time.Now()

func servicePorts(spec map[string]any) string {
	var parts []string
	for _, pp := range list(spec["ports"]) {
		p := mp(pp)
		proto := str(p["protocol"])
		if proto == "" {
			proto = "TCP"
		}
		if np := num(p["nodePort"]); np != 0 {
			parts = append(parts, fmt.Sprintf("%d:%d/%s", num(p["port"]), np, proto))
		} else {
			parts = append(parts, fmt.Sprintf("%d/%s", num(p["port"]), proto))
		}
	}
	if len(parts) == 0 {
		return "<none>"
	}
	return strings.Join(parts, ",")
}

func serviceExternalIP(o map[string]any) string {
	spec := mp(o["spec"])
	typ := str(spec["type"])
	ext := toStrings(spec["externalIPs"])
	switch typ {
	case "", "ClusterIP", "NodePort":
		if len(ext) > 0 {
			return strings.Join(ext, ",")
		}
		return "<none>"
	case "LoadBalancer":
		var ips []string
		for _, i := range list(path(o, "status.loadBalancer.ingress")) {
			im := mp(i)
			if s := str(im["ip"]); s != "" {
				ips = append(ips, s)
			} else if s := str(im["hostname"]); s != "" {
				ips = append(ips, s)
			}
		}
		ips = append(ips, ext...)
		if len(ips) > 0 {
			return strings.Join(ips, ",")
		}
		return "<pending>"
	case "ExternalName":
		return str(spec["externalName"])
	}
	return "<unknown>"
}

func intOr(v any, def string) any {
	if v == nil {
		return def
	}
	return num(v)
}

var printers = map[string]printer{
	"apps/deployments": {
		cols: []column{nameCol(), col("Ready", "string", 0), col("Up-to-date", "integer", 0), col("Available", "integer", 0),
			ageCol(), col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1)},
		row: func(o *Object, now time.Time) []any {
			spec, st := mp(o.Raw["spec"]), mp(o.Raw["status"])
			desired := int64(1)
			if spec["replicas"] != nil {
				desired = num(spec["replicas"])
			}
			c, i := containersImages(mp(path(o.Raw, "spec.template.spec")))
			return []any{o.Name, fmt.Sprintf("%d/%d", num(st["readyReplicas"]), desired), num(st["updatedReplicas"]),
				num(st["availableReplicas"]), age(o, now), c, i, selectorString(mp(spec["selector"]))}
		}},
	"apps/replicasets": {
		cols: []column{nameCol(), col("Desired", "integer", 0), col("Current", "integer", 0), col("Ready", "integer", 0),
			ageCol(), col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1)},
		row: func(o *Object, now time.Time) []any {
			spec, st := mp(o.Raw["spec"]), mp(o.Raw["status"])
			c, i := containersImages(mp(path(o.Raw, "spec.template.spec")))
			return []any{o.Name, num(spec["replicas"]), num(st["replicas"]), num(st["readyReplicas"]), age(o, now), c, i,
				selectorString(mp(spec["selector"]))}
		}},
	"apps/daemonsets": {
		cols: []column{nameCol(), col("Desired", "integer", 0), col("Current", "integer", 0), col("Ready", "integer", 0),
			col("Up-to-date", "integer", 0), col("Available", "integer", 0), col("Node Selector", "string", 0), ageCol(),
			col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1)},
		row: func(o *Object, now time.Time) []any {
			st := mp(o.Raw["status"])
			c, i := containersImages(mp(path(o.Raw, "spec.template.spec")))
			return []any{o.Name, num(st["desiredNumberScheduled"]), num(st["currentNumberScheduled"]), num(st["numberReady"]),
				num(st["updatedNumberScheduled"]), num(st["numberAvailable"]),
				mapSelector(mp(path(o.Raw, "spec.template.spec.nodeSelector"))), age(o, now), c, i,
				selectorString(mp(path(o.Raw, "spec.selector")))}
		}},
	"apps/statefulsets": {
		cols: []column{nameCol(), col("Ready", "string", 0), ageCol(), col("Containers", "string", 1), col("Images", "string", 1)},
		row: func(o *Object, now time.Time) []any {
			desired := int64(1)
			if v := path(o.Raw, "spec.replicas"); v != nil {
				desired = num(v)
			}
			c, i := containersImages(mp(path(o.Raw, "spec.template.spec")))
			return []any{o.Name, fmt.Sprintf("%d/%d", num(path(o.Raw, "status.readyReplicas")), desired), age(o, now), c, i}
		}},
	"/pods": {
		cols: []column{nameCol(), col("Ready", "string", 0), col("Status", "string", 0), col("Restarts", "string", 0), ageCol(),
			col("IP", "string", 1), col("Node", "string", 1), col("Nominated Node", "string", 1), col("Readiness Gates", "string", 1)},
		row: func(o *Object, now time.Time) []any {
			ready, status, restarts := podStatus(o.Raw)
			ip := str(path(o.Raw, "status.podIP"))
			if ip == "" {
				ip = "<none>"
			}
			node := str(path(o.Raw, "spec.nodeName"))
			if node == "" {
				node = "<none>"
			}
			nom := str(path(o.Raw, "status.nominatedNodeName"))
			if nom == "" {
				nom = "<none>"
			}
			gates := "<none>"
			if g := list(path(o.Raw, "spec.readinessGates")); len(g) > 0 {
				trueN := 0
				for _, gg := range g {
					for _, c := range list(path(o.Raw, "status.conditions")) {
						if str(mp(c)["type"]) == str(mp(gg)["conditionType"]) && str(mp(c)["status"]) == "True" {
							trueN++
						}
					}
				}
				gates = fmt.Sprintf("%d/%d", trueN, len(g))
			}
			return []any{o.Name, ready, status, restarts, age(o, now), ip, node, nom, gates}
		}},
	"/services": {
		cols: []column{nameCol(), col("Type", "string", 0), col("Cluster-IP", "string", 0), col("External-IP", "string", 0),
			col("Port(s)", "string", 0), ageCol(), col("Selector", "string", 1)},
		row: func(o *Object, now time.Time) []any {
			spec := mp(o.Raw["spec"])
			typ := str(spec["type"])
			if typ == "" {
				typ = "ClusterIP"
			}
			cip := str(spec["clusterIP"])
			if cip == "" {
				cip = "<none>"
			}
			return []any{o.Name, typ, cip, serviceExternalIP(o.Raw), servicePorts(spec), age(o, now), mapSelector(mp(spec["selector"]))}
		}},
	"/namespaces": {
		cols: []column{nameCol(), col("Status", "string", 0), ageCol()},
		row: func(o *Object, now time.Time) []any {
			return []any{o.Name, str(path(o.Raw, "status.phase")), age(o, now)}
		}},
	"/nodes": {
		cols: []column{nameCol(), col("Status", "string", 0), col("Roles", "string", 0), ageCol(), col("Version", "string", 0),
			col("Internal-IP", "string", 1), col("External-IP", "string", 1), col("OS-Image", "string", 1),
			col("Kernel-Version", "string", 1), col("Container-Runtime", "string", 1)},
		row: func(o *Object, now time.Time) []any {
			status := "Unknown"
			for _, c := range list(path(o.Raw, "status.conditions")) {
				if str(mp(c)["type"]) == "Ready" {
					if str(mp(c)["status"]) == "True" {
						status = "Ready"
					} else {
						status = "NotReady"
					}
				}
			}
			if path(o.Raw, "spec.unschedulable") == true {
				status += ",SchedulingDisabled"
			}
			set := map[string]bool{}
			for k := range o.Labels {
				if strings.HasPrefix(k, "node-role.kubernetes.io/") {
					set[strings.TrimPrefix(k, "node-role.kubernetes.io/")] = true
				}
			}
			if r := o.Labels["kubernetes.io/role"]; r != "" {
				set[r] = true
			}
			roles := sortedKeys(set)
			sort.Strings(roles)
			rs := strings.Join(roles, ",")
			if rs == "" {
				rs = "<none>"
			}
			in, ex := "<none>", "<none>"
			for _, a := range list(path(o.Raw, "status.addresses")) {
				switch str(mp(a)["type"]) {
				case "InternalIP":
					in = str(mp(a)["address"])
				case "ExternalIP":
					ex = str(mp(a)["address"])
				}
			}
			ni := mp(path(o.Raw, "status.nodeInfo"))
			return []any{o.Name, status, rs, age(o, now), str(ni["kubeletVersion"]), in, ex, str(ni["osImage"]),
				str(ni["kernelVersion"]), str(ni["containerRuntimeVersion"])}
		}},
	"/configmaps": {
		cols: []column{nameCol(), col("Data", "integer", 0), ageCol()},
		row: func(o *Object, now time.Time) []any {
			return []any{o.Name, len(mp(o.Raw["data"])) + len(mp(o.Raw["binaryData"])), age(o, now)}
		}},
	"/secrets": {
		cols: []column{nameCol(), col("Type", "string", 0), col("Data", "integer", 0), ageCol()},
		row: func(o *Object, now time.Time) []any {
			return []any{o.Name, str(o.Raw["type"]), len(mp(o.Raw["data"])), age(o, now)}
		}},
	"/serviceaccounts": {
		cols: []column{nameCol(), col("Secrets", "integer", 0), ageCol()},
		row: func(o *Object, now time.Time) []any {
			return []any{o.Name, len(list(o.Raw["secrets"])), age(o, now)}
		}},
	"/endpoints": {
		cols: []column{nameCol(), col("Endpoints", "string", 0), ageCol()},
		row: func(o *Object, now time.Time) []any {
			var eps []string
			for _, s := range list(o.Raw["subsets"]) {
				for _, a := range list(mp(s)["addresses"]) {
					ports := list(mp(s)["ports"])
					if len(ports) == 0 {
						eps = append(eps, str(mp(a)["ip"]))
					}
					for _, p := range ports {
						eps = append(eps, fmt.Sprintf("%s:%d", str(mp(a)["ip"]), num(mp(p)["port"])))
					}
				}
			}
			s := "<none>"
			if len(eps) > 3 {
				s = strings.Join(eps[:3], ",") + fmt.Sprintf(" + %d more...", len(eps)-3)
			} else if len(eps) > 0 {
				s = strings.Join(eps, ",")
			}
			return []any{o.Name, s, age(o, now)}
		}},
	"discovery.k8s.io/endpointslices": {
		cols: []column{nameCol(), col("AddressType", "string", 0), col("Ports", "string", 0), col("Endpoints", "string", 0), ageCol()},
		row: func(o *Object, now time.Time) []any {
			var ports, eps []string
			for _, p := range list(o.Raw["ports"]) {
				ports = append(ports, strconv.FormatInt(num(mp(p)["port"]), 10))
			}
			for _, e := range list(o.Raw["endpoints"]) {
				eps = append(eps, toStrings(mp(e)["addresses"])...)
			}
			ps, es := "<unset>", "<unset>"
			if len(ports) > 0 {
				ps = strings.Join(ports, ",")
			}
			if len(eps) > 3 {
				es = strings.Join(eps[:3], ",") + fmt.Sprintf(" + %d more...", len(eps)-3)
			} else if len(eps) > 0 {
				es = strings.Join(eps, ",")
			}
			return []any{o.Name, str(o.Raw["addressType"]), ps, es, age(o, now)}
		}},
	"admissionregistration.k8s.io/validatingwebhookconfigurations": webhookPrinter,
	"admissionregistration.k8s.io/mutatingwebhookconfigurations":   webhookPrinter,
	"apiextensions.k8s.io/customresourcedefinitions": {
		cols: []column{nameCol(), {Name: "Created At", Type: "date", Desc: "CreationTimestamp is a timestamp representing the server time when this object was created."}},
		row: func(o *Object, now time.Time) []any {
			return []any{o.Name, str(path(o.Raw, "metadata.creationTimestamp"))}
		}},
	"autoscaling/horizontalpodautoscalers": {
		cols: []column{nameCol(), col("Reference", "string", 0), col("Targets", "string", 0), col("MinPods", "string", 0),
			col("MaxPods", "string", 0), col("Replicas", "string", 0), ageCol()},
		row: func(o *Object, now time.Time) []any {
			ref := mp(path(o.Raw, "spec.scaleTargetRef"))
			minP := int64(1)
			if v := path(o.Raw, "spec.minReplicas"); v != nil {
				minP = num(v)
			}
			targets := "<none>"
			var ts []string
			for _, m := range list(path(o.Raw, "spec.metrics")) {
				res := mp(mp(m)["resource"])
				if res == nil {
					ts = append(ts, "<unknown>")
					continue
				}
				want := path(res, "target.averageUtilization")
				cur := "<unknown>"
				for _, cm := range list(path(o.Raw, "status.currentMetrics")) {
					if cr := mp(mp(cm)["resource"]); cr != nil && str(cr["name"]) == str(res["name"]) {
						if u := path(cr, "current.averageUtilization"); u != nil {
							cur = fmt.Sprintf("%d%%", num(u))
						}
					}
				}
				if want != nil {
					ts = append(ts, fmt.Sprintf("%s: %s/%d%%", str(res["name"]), cur, num(want)))
				} else {
					ts = append(ts, fmt.Sprintf("%s: %s/%s", str(res["name"]), cur, str(path(res, "target.averageValue"))))
				}
			}
			if len(ts) > 0 {
				targets = strings.Join(ts, ", ")
			}
			return []any{o.Name, str(ref["kind"]) + "/" + str(ref["name"]), targets, minP, num(path(o.Raw, "spec.maxReplicas")),
				num(path(o.Raw, "status.currentReplicas")), age(o, now)}
		}},
}

var webhookPrinter = printer{
	cols: []column{nameCol(), col("Webhooks", "integer", 0), ageCol()},
	row: func(o *Object, now time.Time) []any {
		return []any{o.Name, len(list(o.Raw["webhooks"])), age(o, now)}
	},
}

var defaultPrinter = printer{
	cols: []column{nameCol(), ageCol()},
	row:  func(o *Object, now time.Time) []any { return []any{o.Name, age(o, now)} },
}

// crdPrinter builds a printer from additionalPrinterColumns (simple JSONPath .a.b[0].c only).
func crdPrinter(cols []any) printer {
	pr := printer{cols: []column{nameCol()}}
	var paths []string
	var types []string
	for _, c := range cols {
		cm := mp(c)
		typ := str(cm["type"])
		pr.cols = append(pr.cols, column{Name: str(cm["name"]), Type: typ, Format: str(cm["format"]),
			Desc: str(cm["description"]), Priority: int(num(cm["priority"]))})
		paths = append(paths, str(cm["jsonPath"]))
		types = append(types, typ)
	}
	pr.row = func(o *Object, now time.Time) []any {
		row := []any{o.Name}
		for i, p := range paths {
			v := simpleJSONPath(o.Raw, p)
			switch {
			case v == nil:
				row = append(row, nil)
			case types[i] == "date":
				if t, err := time.Parse(time.RFC3339, str(v)); err == nil {
					row = append(row, HumanDuration(now.Sub(t)))
				} else {
					row = append(row, str(v))
				}
			case types[i] == "integer" || types[i] == "number":
				row = append(row, v)
			case types[i] == "boolean":
				row = append(row, v)
			default:
				if s, ok := v.(string); ok {
					row = append(row, s)
				} else {
					b, _ := json.Marshal(v)
					row = append(row, string(b))
				}
			}
		}
		return row
	}
	return pr
}

func simpleJSONPath(o map[string]any, p string) any {
	p = strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(p, "{"), "}"), "$")
	var cur any = o
	for _, part := range strings.Split(strings.TrimPrefix(p, "."), ".") {
		idx := -1
		if i := strings.Index(part, "["); i >= 0 && strings.HasSuffix(part, "]") {
			n, err := strconv.Atoi(part[i+1 : len(part)-1])
			if err != nil {
				return nil
			}
			idx = n
			part = part[:i]
		}
		if part != "" {
			m, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = m[part]
		}
		if idx >= 0 {
			l, ok := cur.([]any)
			if !ok || idx >= len(l) {
				return nil
			}
			cur = l[idx]
		}
	}
	return cur
}

func printerFor(r *Resource) printer {
	if r.CRD != nil {
		if len(r.PrinterColumns) > 0 {
			return crdPrinter(r.PrinterColumns)
		}
		return defaultPrinter
	}
	if p, ok := printers[r.Group+"/"+r.Name]; ok {
		return p
	}
	return defaultPrinter
}

func partialMeta(o *Object, apiVersion string) map[string]any {
	return map[string]any{"kind": "PartialObjectMetadata", "apiVersion": apiVersion, "metadata": o.Raw["metadata"]}
}

// BuildTable renders objects as a meta.k8s.io Table.
func BuildTable(r *Resource, objs []*Object, served func(*Object) map[string]any, tableVersion, includeObject string,
	now time.Time, listMeta map[string]any) map[string]any {
	pr := printerFor(r)
	rows := []any{}
	for _, o := range objs {
		row := map[string]any{"cells": pr.row(o, now)}
		switch includeObject {
		case "None":
		case "Object":
			row["object"] = served(o)
		default:
			row["object"] = partialMeta(o, "meta.k8s.io/"+tableVersion)
		}
		rows = append(rows, row)
	}
	return map[string]any{"kind": "Table", "apiVersion": "meta.k8s.io/" + tableVersion, "metadata": listMeta,
		"columnDefinitions": pr.cols, "rows": rows}
}
