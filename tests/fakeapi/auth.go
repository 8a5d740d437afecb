package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

type CA struct {
	Cert    *x509.Certificate
	Key     *ecdsa.PrivateKey
	CertPEM []byte
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	return n
}

func NewCA() (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "fakeapi-ca"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	return &CA{Cert: cert, Key: key, CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// Issue signs a leaf certificate; server=true adds serverAuth and the loopback SANs.
func (ca *CA) Issue(cn string, orgs []string, server bool) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: cn, Organization: orgs},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.DNSNames = []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return nil, nil, err
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), nil
}

func (ca *CA) ServerTLS(http2 bool) (*tls.Config, error) {
	c, k, err := ca.Issue("127.0.0.1", nil, true)
	if err != nil {
		return nil, err
	}
	pair, err := tls.X509KeyPair(c, k)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	cfg := &tls.Config{Certificates: []tls.Certificate{pair}, ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: pool,
		MinVersion: tls.VersionTLS12}
	if http2 {
		cfg.NextProtos = []string{"h2", "http/1.1"}
	} else {
		cfg.NextProtos = []string{"http/1.1"}
	}
	return cfg, nil
}

// User is an authenticated identity.
type User struct {
	Name   string
	Groups []string
}

func (u *User) isMaster() bool { return containsStr(u.Groups, "system:masters") }

type Auth struct {
	Tokens map[string]*User // token -> user
	Plain  bool             // plain http: unauthenticated requests are the admin user
	Admin  *User
}

// Authenticate follows kube-apiserver's union authenticator: client certificate first, then bearer token.
// ok=false means 401.
func (a *Auth) Authenticate(r *http.Request) (*User, bool) {
	if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 && len(r.TLS.PeerCertificates) > 0 {
		c := r.TLS.PeerCertificates[0]
		return &User{Name: c.Subject.CommonName, Groups: append(append([]string{}, c.Subject.Organization...), "system:authenticated")}, true
	}
	h := r.Header.Get("Authorization")
	if h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			if u, ok := a.Tokens[strings.TrimSpace(h[7:])]; ok {
				return u, true
			}
		}
		return nil, false
	}
	if a.Plain {
		return a.Admin, true
	}
	return nil, false
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// RBAC: {"users": {"alice": [ {"verbs": [...], "apiGroups": [...], "resources": [...],
// "namespaces": [...], "resourceNames": [...]} ]}}. "*" as a user name applies to every user.
type Rule struct {
	Verbs         []string `json:"verbs"`
	APIGroups     []string `json:"apiGroups"`
	Resources     []string `json:"resources"`
	Namespaces    []string `json:"namespaces"`
	ResourceNames []string `json:"resourceNames"`
}

type RBAC struct {
	Users map[string][]Rule `json:"users"`
}

func LoadRBAC(path string) (*RBAC, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r RBAC
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &r, nil
}

type Attrs struct {
	Verb, Group, Resource, Subresource, Namespace, Name string
}

func matchAny(l []string, s string, emptyMeansAll bool) bool {
	if len(l) == 0 {
		return emptyMeansAll
	}
	for _, e := range l {
		if e == "*" || e == s {
			return true
		}
	}
	return false
}

func (rb *RBAC) Allowed(u *User, a Attrs) bool {
	if rb == nil || u.isMaster() {
		return true
	}
	res := a.Resource
	if a.Subresource != "" {
		res += "/" + a.Subresource
	}
	rules := append(append([]Rule{}, rb.Users[u.Name]...), rb.Users["*"]...)
	for _, r := range rules {
		if !matchAny(r.Verbs, a.Verb, false) || !matchAny(r.APIGroups, a.Group, true) {
			continue
		}
		okRes := false
		for _, x := range r.Resources {
			if x == "*" || x == res || (a.Subresource != "" && x == "*/"+a.Subresource) {
				okRes = true
			}
		}
		if !okRes {
			continue
		}
		if len(r.Namespaces) > 0 && (a.Namespace == "" || !matchAny(r.Namespaces, a.Namespace, false)) {
			continue
		}
		if len(r.ResourceNames) > 0 && (a.Name == "" || !matchAny(r.ResourceNames, a.Name, false)) {
			continue
		}
		return true
	}
	return false
}

// ForbiddenMessage is kube-apiserver's wording (responsewriters.forbiddenMessage + errors.NewForbidden).
func ForbiddenMessage(u *User, a Attrs) string {
	res := a.Resource
	if a.Subresource != "" {
		res += "/" + a.Subresource
	}
	var why string
	if a.Namespace != "" {
		why = fmt.Sprintf("User %q cannot %s resource %q in API group %q in the namespace %q", u.Name, a.Verb, res, a.Group, a.Namespace)
	} else {
		why = fmt.Sprintf("User %q cannot %s resource %q in API group %q at the cluster scope", u.Name, a.Verb, res, a.Group)
	}
	qual := a.Resource
	if a.Group != "" {
		qual += "." + a.Group
	}
	if a.Name != "" {
		return fmt.Sprintf("%s %q is forbidden: %s", qual, a.Name, why)
	}
	return fmt.Sprintf("%s is forbidden: %s", qual, why)
}

type kcUser struct {
	Name, Token, CertPEM, KeyPEM string
}

// WriteKubeconfig writes a kubeconfig: cluster "fakeapi", one context per user, current-context "fakeapi".
func WriteKubeconfig(path, server string, caPEM []byte, users []kcUser) error {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: v1\nkind: Config\npreferences: {}\nclusters:\n- name: fakeapi\n  cluster:\n    server: %s\n    certificate-authority-data: %s\n",
		server, base64.StdEncoding.EncodeToString(caPEM))
	b.WriteString("users:\n")
	for _, u := range users {
		fmt.Fprintf(&b, "- name: %s\n  user:\n", u.Name)
		if u.Token != "" {
			fmt.Fprintf(&b, "    token: %s\n", u.Token)
		}
		if u.CertPEM != "" {
			fmt.Fprintf(&b, "    client-certificate-data: %s\n    client-key-data: %s\n",
				base64.StdEncoding.EncodeToString([]byte(u.CertPEM)), base64.StdEncoding.EncodeToString([]byte(u.KeyPEM)))
		}
	}
	b.WriteString("contexts:\n")
	for i, u := range users {
		ctx := u.Name
		if i == 0 {
			ctx = "fakeapi"
		}
		fmt.Fprintf(&b, "- name: %s\n  context:\n    cluster: fakeapi\n    user: %s\n    namespace: default\n", ctx, u.Name)
	}
	b.WriteString("current-context: fakeapi\n")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
