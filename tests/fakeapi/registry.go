package main

import (
	"crypto/sha1"
	"fmt"
	"log"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Resource is one resource type as served at one group/version.
type Resource struct {
	Group, Version string
	Name           string // plural
	Singular       string
	Kind           string
	Namespaced     bool
	ShortNames     []string
	Categories     []string
	Verbs          []string
	Builtin        bool           // typed list items carry no kind/apiVersion
	PrinterColumns []any          // CRD additionalPrinterColumns for this version
	Subresources   []string       // status, scale, log, ...
	CRD            map[string]any // the CRD object (nil for built-ins)
}

func (r *Resource) GroupVersion() string {
	if r.Group == "" {
		return r.Version
	}
	return r.Group + "/" + r.Version
}

// Qualified is the `<plural>.<group>` form used in Status messages (`pods` for the core group).
func (r *Resource) Qualified() string {
	if r.Group == "" {
		return r.Name
	}
	return r.Name + "." + r.Group
}

func (r *Resource) storeKey() string { return r.Group + "/" + r.Name }

type Group struct {
	Name     string
	Versions []string               // preferred first
	ByVer    map[string][]*Resource // sorted by name
}

type Registry struct {
	Groups     map[string]*Group
	GroupOrder []string // non-core groups in /apis order
	byGVR      map[string]*Resource
	byGK       map[string]*Resource // group/Kind -> a resource (any version), for storage
}

var rwVerbs = []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}

// builtins: "group/version plural Kind scope shortnames categories subresources"
var builtinTable = `
v1 componentstatuses ComponentStatus C cs - -
v1 configmaps ConfigMap N cm - -
v1 endpoints Endpoints N ep - -
v1 events Event N ev - -
v1 limitranges LimitRange N limits - -
v1 namespaces Namespace C ns - status,finalize
v1 nodes Node C no - status,proxy
v1 persistentvolumeclaims PersistentVolumeClaim N pvc - status
v1 persistentvolumes PersistentVolume C pv - status
v1 pods Pod N po all status,log,exec,portforward,proxy,binding,eviction,ephemeralcontainers
v1 podtemplates PodTemplate N - - -
v1 replicationcontrollers ReplicationController N rc all status,scale
v1 resourcequotas ResourceQuota N quota - status
v1 secrets Secret N - - -
v1 serviceaccounts ServiceAccount N sa - token
v1 services Service N svc all status,proxy
apiregistration.k8s.io/v1 apiservices APIService C - api-extensions status
apps/v1 controllerrevisions ControllerRevision N - - -
apps/v1 daemonsets DaemonSet N ds all status
apps/v1 deployments Deployment N deploy all status,scale
apps/v1 replicasets ReplicaSet N rs all status,scale
apps/v1 statefulsets StatefulSet N sts all status,scale
events.k8s.io/v1 events Event N ev - -
authentication.k8s.io/v1 selfsubjectreviews SelfSubjectReview C - - -
authentication.k8s.io/v1 tokenreviews TokenReview C - - -
authorization.k8s.io/v1 localsubjectaccessreviews LocalSubjectAccessReview N - - -
authorization.k8s.io/v1 selfsubjectaccessreviews SelfSubjectAccessReview C - - -
authorization.k8s.io/v1 selfsubjectrulesreviews SelfSubjectRulesReview C - - -
authorization.k8s.io/v1 subjectaccessreviews SubjectAccessReview C - - -
autoscaling/v2 horizontalpodautoscalers HorizontalPodAutoscaler N hpa all status
autoscaling/v1 horizontalpodautoscalers HorizontalPodAutoscaler N hpa all status
batch/v1 cronjobs CronJob N cj all status
batch/v1 jobs Job N - all status
certificates.k8s.io/v1 certificatesigningrequests CertificateSigningRequest C csr - status,approval
networking.k8s.io/v1 ingressclasses IngressClass C - - -
networking.k8s.io/v1 ingresses Ingress N ing - status
networking.k8s.io/v1 networkpolicies NetworkPolicy N netpol - -
policy/v1 poddisruptionbudgets PodDisruptionBudget N pdb - status
rbac.authorization.k8s.io/v1 clusterrolebindings ClusterRoleBinding C - - -
rbac.authorization.k8s.io/v1 clusterroles ClusterRole C - - -
rbac.authorization.k8s.io/v1 rolebindings RoleBinding N - - -
rbac.authorization.k8s.io/v1 roles Role N - - -
storage.k8s.io/v1 csidrivers CSIDriver C - - -
storage.k8s.io/v1 csinodes CSINode C - - -
storage.k8s.io/v1 storageclasses StorageClass C sc - -
storage.k8s.io/v1 volumeattachments VolumeAttachment C - - status
admissionregistration.k8s.io/v1 mutatingwebhookconfigurations MutatingWebhookConfiguration C - api-extensions -
admissionregistration.k8s.io/v1 validatingwebhookconfigurations ValidatingWebhookConfiguration C - api-extensions -
apiextensions.k8s.io/v1 customresourcedefinitions CustomResourceDefinition C crd,crds api-extensions status
scheduling.k8s.io/v1 priorityclasses PriorityClass C pc - -
coordination.k8s.io/v1 leases Lease N - - -
node.k8s.io/v1 runtimeclasses RuntimeClass C - - -
discovery.k8s.io/v1 endpointslices EndpointSlice N - - -
`

var createOnly = map[string]bool{"selfsubjectreviews": true, "tokenreviews": true, "localsubjectaccessreviews": true,
	"selfsubjectaccessreviews": true, "selfsubjectrulesreviews": true, "subjectaccessreviews": true}

func splitList(s string) []string {
	if s == "-" || s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func NewRegistry() *Registry {
	reg := &Registry{Groups: map[string]*Group{}, byGVR: map[string]*Resource{}, byGK: map[string]*Resource{}}
	for _, ln := range strings.Split(strings.TrimSpace(builtinTable), "\n") {
		f := strings.Fields(ln)
		g, v := splitGV(f[0])
		verbs := rwVerbs
		if createOnly[f[1]] {
			verbs = []string{"create"}
		}
		reg.Add(&Resource{Group: g, Version: v, Name: f[1], Singular: strings.ToLower(f[2]), Kind: f[2],
			Namespaced: f[3] == "N", ShortNames: splitList(f[4]), Categories: splitList(f[5]),
			Subresources: splitList(f[6]), Verbs: verbs, Builtin: true})
	}
	return reg
}

func splitGV(gv string) (string, string) {
	if i := strings.Index(gv, "/"); i >= 0 {
		return gv[:i], gv[i+1:]
	}
	return "", gv
}

// Add registers a resource; versions keep insertion order unless sortVersions is called.
func (reg *Registry) Add(r *Resource) {
	key := r.Group + "/" + r.Version + "/" + r.Name
	if _, ok := reg.byGVR[key]; ok {
		return
	}
	g := reg.Groups[r.Group]
	if g == nil {
		g = &Group{Name: r.Group, ByVer: map[string][]*Resource{}}
		reg.Groups[r.Group] = g
		if r.Group != "" {
			reg.GroupOrder = append(reg.GroupOrder, r.Group)
		}
	}
	if _, ok := g.ByVer[r.Version]; !ok {
		g.Versions = append(g.Versions, r.Version)
	}
	g.ByVer[r.Version] = append(g.ByVer[r.Version], r)
	sort.Slice(g.ByVer[r.Version], func(i, j int) bool { return g.ByVer[r.Version][i].Name < g.ByVer[r.Version][j].Name })
	reg.byGVR[key] = r
	gk := r.Group + "/" + r.Kind
	if _, ok := reg.byGK[gk]; !ok {
		reg.byGK[gk] = r
	}
}

func (reg *Registry) Lookup(group, version, resource string) *Resource {
	return reg.byGVR[group+"/"+version+"/"+resource]
}

var reKubeVersion = regexp.MustCompile(`^v([0-9]+)(?:(alpha|beta)([0-9]+))?$`)

// kubeVersionLess orders versions as Kubernetes does for discovery: GA > beta > alpha, higher first;
// non-kube-like versions last, alphabetically.
func kubeVersionLess(a, b string) bool {
	ma, mb := reKubeVersion.FindStringSubmatch(a), reKubeVersion.FindStringSubmatch(b)
	if ma == nil || mb == nil {
		if ma != nil {
			return true
		}
		if mb != nil {
			return false
		}
		return a < b
	}
	rank := func(m []string) int {
		switch m[2] {
		case "":
			return 3
		case "beta":
			return 2
		}
		return 1
	}
	if rank(ma) != rank(mb) {
		return rank(ma) > rank(mb)
	}
	ja, _ := strconv.Atoi(ma[1])
	jb, _ := strconv.Atoi(mb[1])
	if ja != jb {
		return ja > jb
	}
	na, _ := strconv.Atoi(ma[3])
	nb, _ := strconv.Atoi(mb[3])
	return na > nb
}

// AddCRD registers the served versions of a CustomResourceDefinition object.
func (reg *Registry) AddCRD(crd map[string]any) error {
	spec, _ := crd["spec"].(map[string]any)
	if spec == nil {
		return fmt.Errorf("CRD without spec")
	}
	group, _ := spec["group"].(string)
	names, _ := spec["names"].(map[string]any)
	if group == "" || names == nil {
		return fmt.Errorf("CRD without spec.group/spec.names")
	}
	plural, _ := names["plural"].(string)
	kind, _ := names["kind"].(string)
	singular, _ := names["singular"].(string)
	if singular == "" {
		singular = strings.ToLower(kind)
	}
	scope, _ := spec["scope"].(string)
	var versions []map[string]any
	if vs, ok := spec["versions"].([]any); ok {
		for _, v := range vs {
			if vm, ok := v.(map[string]any); ok {
				versions = append(versions, vm)
			}
		}
	} else if v, ok := spec["version"].(string); ok { // apiextensions v1beta1
		versions = append(versions, map[string]any{"name": v, "served": true,
			"additionalPrinterColumns": spec["additionalPrinterColumns"]})
	}
	sort.SliceStable(versions, func(i, j int) bool {
		a, _ := versions[i]["name"].(string)
		b, _ := versions[j]["name"].(string)
		return kubeVersionLess(a, b)
	})
	for _, v := range versions {
		name, _ := v["name"].(string)
		if served, ok := v["served"].(bool); name == "" || (ok && !served) {
			continue
		}
		cols, _ := v["additionalPrinterColumns"].([]any)
		if cols == nil {
			cols, _ = spec["additionalPrinterColumns"].([]any)
		}
		var subs []string
		if sr, ok := v["subresources"].(map[string]any); ok {
			for k := range sr {
				subs = append(subs, k)
			}
			sort.Strings(subs)
		}
		reg.Add(&Resource{Group: group, Version: name, Name: plural, Singular: singular, Kind: kind,
			Namespaced: scope != "Cluster", ShortNames: toStrings(names["shortNames"]),
			Categories: toStrings(names["categories"]), Verbs: rwVerbs, PrinterColumns: cols,
			Subresources: subs, CRD: crd})
	}
	return nil
}

func toStrings(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// guessPlural mirrors apimachinery's UnsafeGuessKindToResource.
func guessPlural(kind string) string {
	k := strings.ToLower(kind)
	switch {
	case k == "":
		return k
	case strings.HasSuffix(k, "s"):
		return k + "es"
	case strings.HasSuffix(k, "y"):
		return k[:len(k)-1] + "ies"
	}
	return k + "s"
}

// Object is one stored object.
type Object struct {
	Raw       map[string]any
	Namespace string
	Name      string
	Labels    map[string]string
	Created   time.Time
	RV        int64

	res *Resource // the resource it is stored under
	enc sync.Map  // served JSON encodings, by group/version and list-item form (Server.encoded)
}

func (o *Object) key() string { return o.Namespace + "/" + o.Name }

// Store holds objects by group/plural, sorted by namespace then name (etcd key order).
type Store struct {
	objs  map[string][]*Object
	MaxRV int64
}

func getMeta(m map[string]any) map[string]any {
	md, _ := m["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		m["metadata"] = md
	}
	return md
}

// BuildStore registers CRDs and unknown kinds, then files every object under its resource.
func BuildStore(reg *Registry, objs []map[string]any, synthNamespaces bool, now time.Time) *Store {
	st := &Store{objs: map[string][]*Object{}}
	for _, o := range objs {
		if k, _ := o["kind"].(string); k == "CustomResourceDefinition" {
			if g, _ := splitGV(o["apiVersion"].(string)); g == "apiextensions.k8s.io" {
				if err := reg.AddCRD(o); err != nil {
					log.Printf("warning: CRD %v: %v", getMeta(o)["name"], err)
				}
			}
		}
	}
	// Sort CRD-only groups' versions by priority (built-in groups keep their table order).
	for _, g := range reg.Groups {
		if len(g.ByVer) > 0 && !g.ByVer[g.Versions[0]][0].Builtin {
			sort.SliceStable(g.Versions, func(i, j int) bool { return kubeVersionLess(g.Versions[i], g.Versions[j]) })
		}
	}
	var crdGroups []string
	builtinGroups := map[string]bool{}
	for _, gname := range reg.GroupOrder {
		g := reg.Groups[gname]
		if g.ByVer[g.Versions[0]][0].Builtin {
			builtinGroups[gname] = true
		} else {
			crdGroups = append(crdGroups, gname)
		}
	}
	seen := map[string]map[string]*Object{}
	for _, o := range objs {
		av, _ := o["apiVersion"].(string)
		kind, _ := o["kind"].(string)
		g, v := splitGV(av)
		r := reg.byGK[g+"/"+kind]
		md := getMeta(o)
		ns, _ := md["namespace"].(string)
		if r == nil {
			r = &Resource{Group: g, Version: v, Name: guessPlural(kind), Singular: strings.ToLower(kind), Kind: kind,
				Namespaced: ns != "", Verbs: rwVerbs}
			reg.Add(r)
			if g != "" && !builtinGroups[g] && !contains(crdGroups, g) {
				crdGroups = append(crdGroups, g)
			}
			log.Printf("note: %s %s is not a known type; serving it as %s", av, kind, r.Qualified())
		}
		if !r.Namespaced {
			ns = ""
			delete(md, "namespace")
		} else if ns == "" {
			ns = "default"
			md["namespace"] = ns
		}
		st.addObject(seen, r, o, ns)
	}
	// Namespaces referenced by objects but missing from the snapshot.
	if synthNamespaces {
		nsr := reg.Lookup("", "v1", "namespaces")
		refs := map[string]bool{}
		for _, list := range st.objs {
			for _, ob := range list {
				if ob.Namespace != "" {
					refs[ob.Namespace] = true
				}
			}
		}
		var missing []string
		for ns := range refs {
			if seen[nsr.storeKey()]["/"+ns] == nil {
				missing = append(missing, ns)
			}
		}
		sort.Strings(missing)
		for _, ns := range missing {
			o := map[string]any{"apiVersion": "v1", "kind": "Namespace",
				"metadata": map[string]any{"name": ns, "labels": map[string]any{"kubernetes.io/metadata.name": ns}},
				"spec":     map[string]any{"finalizers": []any{"kubernetes"}}, "status": map[string]any{"phase": "Active"}}
			st.addObject(seen, nsr, o, "")
		}
	}
	// etcd key order: namespace, then name
	for _, list := range st.objs {
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Namespace != list[j].Namespace {
				return list[i].Namespace < list[j].Namespace
			}
			return list[i].Name < list[j].Name
		})
	}
	// Fill in what a real server always has.
	for _, list := range st.objs {
		for _, ob := range list {
			md := getMeta(ob.Raw)
			if rv, ok := md["resourceVersion"].(string); ok {
				if n, err := strconv.ParseInt(rv, 10, 64); err == nil {
					ob.RV = n
					if n > st.MaxRV {
						st.MaxRV = n
					}
				}
			}
		}
	}
	for _, k := range sortedKeys(st.objs) {
		for _, ob := range st.objs[k] {
			md := getMeta(ob.Raw)
			if _, ok := md["resourceVersion"].(string); !ok {
				st.MaxRV++
				ob.RV = st.MaxRV
				md["resourceVersion"] = strconv.FormatInt(ob.RV, 10)
			}
			if _, ok := md["uid"].(string); !ok {
				h := sha1.Sum([]byte(k + "/" + ob.key()))
				md["uid"] = fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
			}
			if _, ok := md["creationTimestamp"].(string); !ok {
				md["creationTimestamp"] = now.UTC().Format(time.RFC3339)
			}
			ob.Created, _ = time.Parse(time.RFC3339, md["creationTimestamp"].(string))
		}
	}
	sort.Strings(crdGroups)
	var order []string
	for _, g := range reg.GroupOrder {
		if builtinGroups[g] {
			order = append(order, g)
		}
	}
	reg.GroupOrder = append(order, crdGroups...)
	return st
}

func contains(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (st *Store) addObject(seen map[string]map[string]*Object, r *Resource, o map[string]any, ns string) {
	md := getMeta(o)
	name, _ := md["name"].(string)
	ob := &Object{Raw: o, Namespace: ns, Name: name, Labels: map[string]string{}, res: r}
	if l, ok := md["labels"].(map[string]any); ok {
		for k, v := range l {
			ob.Labels[k] = fmt.Sprint(v)
		}
	}
	key := r.storeKey()
	if seen[key] == nil {
		seen[key] = map[string]*Object{}
	}
	if old := seen[key][ob.key()]; old != nil {
		log.Printf("note: %s %s/%s appears twice; the later one wins", r.Qualified(), ns, name)
		old.Raw, old.Namespace, old.Name, old.Labels, old.res = ob.Raw, ob.Namespace, ob.Name, ob.Labels, ob.res
		return
	}
	seen[key][ob.key()] = ob
	st.objs[key] = append(st.objs[key], ob)
}

func (st *Store) List(r *Resource) []*Object { return st.objs[r.storeKey()] }

func (st *Store) Get(r *Resource, ns, name string) *Object {
	for _, o := range st.objs[r.storeKey()] {
		if o.Namespace == ns && o.Name == name {
			return o
		}
	}
	return nil
}
