#!/usr/bin/python3
"""Structural-schema validator for the Istio objects `osmdiag migrate` emits.

Loads the Istio CustomResourceDefinitions of one Istio minor (trimmed copies in
tests/data/istio/<minor>/crds.yaml, see tests/data/istio/SOURCE.txt) and checks
an object against the openAPIV3Schema of its kind and *served* apiVersion, the
way the API server would before admitting it:

  * apiVersion: group of the kind, version served by that minor; kind known
  * metadata: name (DNS-1123 subdomain), namespace (DNS-1123 label), labels and
    annotations are maps of strings (a bare `true` annotation value is rejected)
  * type (object/array/string/integer/number/boolean), nullable,
    x-kubernetes-int-or-string, format (int32, int64, uint32, double, float,
    date-time), enum, required, properties against additionalProperties /
    x-kubernetes-preserve-unknown-fields (unknown fields are violations: the API
    server would prune them silently, which changes the meaning of a policy),
    minItems/maxItems, minLength/maxLength, minProperties/maxProperties,
    minimum/maximum, pattern, oneOf/anyOf/allOf/not, x-kubernetes-list-type
  * x-kubernetes-validations: the CEL rules these CRDs use, implemented one by
    one (durations, port ranges, "at most one of", wildcard bans, ServiceEntry
    address/resolution rules, ...). A rule this module does not know is not
    checked; `Schemas.unchecked_rules` lists what was skipped.

Every violation carries the JSON path of the offending value, e.g.
`.spec.http[0].retries.backoff: unknown field (not in the schema of
networking.istio.io/v1 VirtualService for Istio 1.22)`.

Python 3 standard library plus PyYAML (Debian python3-yaml) for reading YAML.

Command line:
  istio_schema.py [--istio 1.22|1.27]... FILE.yaml...
prints one line per violation and exits 1 when there is any (2 on bad input).
"""

import datetime as _dt
import json
import math
import os
import re
import sys
import urllib.parse

try:
    import yaml
except ImportError:  # pragma: no cover - reported by the callers
    yaml = None

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.normpath(os.path.join(HERE, "..", "data", "istio"))
MINORS = ("1.22", "1.27")
KINDS = ("AuthorizationPolicy", "PeerAuthentication", "RequestAuthentication", "VirtualService",
         "DestinationRule", "ServiceEntry", "Sidecar", "Gateway", "Telemetry", "EnvoyFilter")

_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_DURATION_UNIT = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def load_yaml_all(text):
    if yaml is None:
        raise RuntimeError("PyYAML is not available (Debian: apt-get install python3-yaml)")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return [d for d in yaml.load_all(text, Loader=loader) if d is not None]


def jpath(parent, key):
    """JSON path of key (str) or index (int) below parent ('' is the root '$')."""
    if isinstance(key, int):
        return "%s[%d]" % (parent, key)
    if _IDENT.match(key):
        return "%s.%s" % (parent, key)
    return "%s[%s]" % (parent, json.dumps(key))


def parse_duration(s):
    """Go time.ParseDuration (the CEL duration() conversion); seconds, or None if invalid."""
    if not isinstance(s, str) or not s:
        return None
    sign = 1.0
    body = s
    if body[0] in "+-":
        sign = -1.0 if body[0] == "-" else 1.0
        body = body[1:]
    if body == "0":
        return 0.0
    if not body:
        return None
    total, pos = 0.0, 0
    for m in _DURATION_PART.finditer(body):
        if m.start() != pos:
            return None
        total += float(m.group(1)) * _DURATION_UNIT[m.group(2)]
        pos = m.end()
    if pos != len(body):
        return None
    return sign * total


def _has(obj, key):
    return isinstance(obj, dict) and key in obj


def _norm_rule(rule):
    return " ".join(rule.split())


_HAS_SUM = re.compile(r"^\(has\(self\.(\w+)\) \? 1 : 0\)( \+ \(has\(self\.(\w+)\) \? 1 : 0\))+ <= 1$")


def _cel(rule, v):
    """Evaluate a known CEL rule on v. Return True/False, or None when the rule is not implemented."""
    r = _norm_rule(rule)
    if r == "duration(self) >= duration('1ms')":
        d = parse_duration(v)
        return d is not None and d >= 0.001
    if r == '!self.contains("*")':
        return isinstance(v, str) and "*" not in v
    if r == 'self != "*"':
        return v != "*"
    if r == "self.size() == 0":
        return hasattr(v, "__len__") and len(v) == 0
    if r == 'self.all(key, !key.contains("*"))':
        return all("*" not in str(k) for k in v)
    if r == "self.all(key, key.size() != 0)":
        return all(len(str(k)) != 0 for k in v)
    if r == "0 < self && self <= 65535":
        return isinstance(v, int) and 0 < v <= 65535
    if r == "self.all(key, 0 < int(key) && int(key) <= 65535)":
        for k in v:
            try:
                if not 0 < int(k) <= 65535:
                    return False
            except (TypeError, ValueError):
                return False
        return True
    if r == 'self.all(key, size(key) < 63 && key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))':
        return all(len(k) < 63 and re.match(r"^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$", k) for k in v)
    m = _HAS_SUM.match(r)
    if m:
        keys = re.findall(r"has\(self\.(\w+)\)", r)
        return sum(1 for k in keys if _has(v, k)) <= 1
    if r == 'url(self).getScheme() in ["http", "https"]':
        return isinstance(v, str) and urllib.parse.urlparse(v).scheme in ("http", "https")
    if r == "has(self.address) || has(self.network)":
        return _has(v, "address") or _has(v, "network")
    if r == '(has(self.address) ? self.address : "").startsWith("unix://") ? !has(self.ports) : true':
        return not (str(v.get("address", "")).startswith("unix://") and "ports" in v)
    if r == 'self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true':
        return not v.startswith("unix://") or v[7:8] in ("/", "@")
    if r == 'self.startsWith("unix://") ? !self.endsWith("/") : true':
        return not v.startswith("unix://") or not v.endswith("/")
    if r == "self.all(l1, self.exists_one(l2, l1.number == l2.number))":
        nums = [p.get("number") for p in v if isinstance(p, dict)]
        return len(nums) == len(set(json.dumps(n) for n in nums))
    if r == ('!((has(self.addresses) ? self.addresses : []).exists(k, k.contains("/")) && '
             '!((has(self.resolution) ? self.resolution : "NONE") in ["STATIC", "NONE"]))'):
        cidr = any("/" in str(a) for a in v.get("addresses", []) or [])
        return not (cidr and v.get("resolution", "NONE") not in ("STATIC", "NONE"))
    if r == '((has(self.resolution) ? self.resolution : "NONE") == "NONE") ? !has(self.endpoints) : true':
        return not (v.get("resolution", "NONE") == "NONE" and "endpoints" in v)
    if r == ('((has(self.resolution) ? self.resolution : "") == "DNS_ROUND_ROBIN") ? '
             '((has(self.endpoints) ? self.endpoints : []).size() <= 1) : true'):
        return not (v.get("resolution", "") == "DNS_ROUND_ROBIN" and len(v.get("endpoints", []) or []) > 1)
    if r in ("((has(self.operation) ? self.operation : '') == 'UPSERT') ? self.value != '' : true",
             '((has(self.operation) ? self.operation : "") == "UPSERT") ? (self.value != "") : true'):
        return not (v.get("operation", "") == "UPSERT" and v.get("value", "") == "")
    if r in ("((has(self.operation) ? self.operation : '') == 'REMOVE') ? !has(self.value) : true",
             '((has(self.operation) ? self.operation : "") == "REMOVE") ? !has(self.value) : true'):
        return not (v.get("operation", "") == "REMOVE" and "value" in v)
    if r == ("(has(self.serviceAccounts) || has(self.notServiceAccounts)) ? (!has(self.principals) && "
             "!has(self.notPrincipals) && !has(self.namespaces) && !has(self.notNamespaces)) : true"):
        if "serviceAccounts" in v or "notServiceAccounts" in v:
            return not any(k in v for k in ("principals", "notPrincipals", "namespaces", "notNamespaces"))
        return True
    if r == ("has(self.portLevelMtls) ? (((has(self.selector) && has(self.selector.matchLabels)) ? "
             "self.selector.matchLabels : {}).size() > 0) : true"):
        if "portLevelMtls" not in v:
            return True
        sel = v.get("selector")
        return isinstance(sel, dict) and isinstance(sel.get("matchLabels"), dict) and len(sel["matchLabels"]) > 0
    return None


_TYPE_NAMES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number"}


def _type_name(v):
    if v is None:
        return "null"
    return _TYPE_NAMES.get(type(v), type(v).__name__)


class Schemas:
    """The CRD schemas of one Istio minor ("1.22", "1.27")."""

    def __init__(self, minor, crd_file=None):
        self.minor = minor
        path = crd_file or os.path.join(DATA_DIR, minor, "crds.yaml")
        with open(path, encoding="utf-8") as f:
            docs = load_yaml_all(f.read())
        self.crds = {}       # kind -> {"group", "versions": {name: schema}, "storage": name}
        self.unchecked_rules = set()
        for d in docs:
            spec = d["spec"]
            kind = spec["names"]["kind"]
            vers = {}
            storage = None
            for v in spec["versions"]:
                if v.get("served"):
                    vers[v["name"]] = v["schema"]["openAPIV3Schema"]
                if v.get("storage"):
                    storage = v["name"]
            self.crds[kind] = {"group": spec["group"], "versions": vers, "storage": storage,
                               "scope": spec.get("scope", "Namespaced")}

    def kinds(self):
        return sorted(self.crds)

    def served_versions(self, kind):
        return sorted(self.crds[kind]["versions"]) if kind in self.crds else []

    def has_kind(self, kind):
        return kind in self.crds

    # -- top level -----------------------------------------------------------------------------------------------
    def validate(self, obj):
        """Return the list of violations of obj, each a string 'PATH: message'."""
        errs = []
        if not isinstance(obj, dict):
            return ["$: expected an object, found %s" % _type_name(obj)]
        kind = obj.get("kind")
        api = obj.get("apiVersion")
        if not isinstance(kind, str) or kind not in self.crds:
            return ["$.kind: %r is not an Istio kind of these CRDs (%s)" % (kind, ", ".join(self.kinds()))]
        crd = self.crds[kind]
        if not isinstance(api, str) or "/" not in api:
            return ["$.apiVersion: %r is not group/version" % (api,)]
        group, version = api.split("/", 1)
        if group != crd["group"]:
            return ["$.apiVersion: group %r, but %s belongs to %s" % (group, kind, crd["group"])]
        if version not in crd["versions"]:
            return ["$.apiVersion: %s/%s is not served by Istio %s (served: %s)" % (
                group, version, self.minor, ", ".join(sorted(crd["versions"])))]
        schema = crd["versions"][version]
        self._ctx = "%s %s for Istio %s" % (api, kind, self.minor)
        errs += self._metadata(obj.get("metadata"))
        props = schema.get("properties", {})
        for k in obj:
            if k in ("apiVersion", "kind", "metadata"):
                continue
            if k not in props:
                errs.append("%s: unknown field (not in the schema of %s)" % (jpath("$", k), self._ctx))
            else:
                errs += self._node(props[k], obj[k], jpath("$", k))
        for k in schema.get("required", []) or []:
            if k not in obj:
                errs.append("%s: required field missing" % jpath("$", k))
        for rule in schema.get("x-kubernetes-validations", []) or []:
            errs += self._rule(rule, obj, "$")
        return errs

    def _metadata(self, md):
        errs = []
        if not isinstance(md, dict):
            return ["$.metadata: expected an object, found %s" % _type_name(md)]
        name = md.get("name")
        if not isinstance(name, str) or not name:
            errs.append("$.metadata.name: required string missing")
        elif len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name):
            errs.append("$.metadata.name: %r is not a DNS-1123 subdomain" % name)
        ns = md.get("namespace")
        if ns is not None and (not isinstance(ns, str) or len(ns) > 63 or not _DNS1123_LABEL.match(ns)):
            errs.append("$.metadata.namespace: %r is not a DNS-1123 label" % (ns,))
        for field in ("labels", "annotations"):
            m = md.get(field)
            if m is None:
                continue
            if not isinstance(m, dict):
                errs.append("$.metadata.%s: expected a map of strings, found %s" % (field, _type_name(m)))
                continue
            for k, v in m.items():
                if not isinstance(k, str) or not k:
                    errs.append("$.metadata.%s: key %r is not a string" % (field, k))
                if not isinstance(v, str):
                    errs.append("%s: value must be a string, found %s" % (jpath("$.metadata." + field, str(k)),
                                                                         _type_name(v)))
                elif field == "labels" and len(v) > 63:
                    errs.append("%s: label value longer than 63" % jpath("$.metadata.labels", str(k)))
        return errs

    # -- schema nodes ---------------------------------------------------------------------------------------------
    def _rule(self, rule, v, path):
        res = _cel(rule["rule"], v)
        if res is None:
            self.unchecked_rules.add(_norm_rule(rule["rule"]))
            return []
        if res:
            return []
        return ["%s: %s (x-kubernetes-validations rule %s)" % (path, rule.get("message", "rule failed"),
                                                              _norm_rule(rule["rule"]))]

    def matches(self, s, v):
        """True when v satisfies the schema node s (no messages)."""
        return not self._node(s, v, "$", top=False)

    def _node(self, s, v, path, top=True):
        errs = []
        if v is None:
            if s.get("nullable"):
                return []
            if "type" in s or s.get("x-kubernetes-int-or-string"):
                return ["%s: null is not allowed (expected %s)" % (path, s.get("type", "integer or string"))]
        t = s.get("type")
        if s.get("x-kubernetes-int-or-string"):
            if isinstance(v, bool) or not isinstance(v, (int, str)):
                return ["%s: expected an integer or a string, found %s" % (path, _type_name(v))]
        elif t and v is not None:
            ok = {"object": lambda x: isinstance(x, dict),
                  "array": lambda x: isinstance(x, list),
                  "string": lambda x: isinstance(x, str),
                  "boolean": lambda x: isinstance(x, bool),
                  "integer": lambda x: isinstance(x, int) and not isinstance(x, bool),
                  "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool)}.get(t)
            if ok and not ok(v):
                return ["%s: expected %s, found %s%s" % (path, t, _type_name(v),
                                                         (" %s" % json.dumps(v)) if isinstance(v, (str, int, float))
                                                         else "")]
        if "enum" in s and v not in s["enum"]:
            errs.append("%s: %s is not one of %s" % (path, json.dumps(v), ", ".join(json.dumps(e) for e in s["enum"])))
        fmt = s.get("format")
        if fmt and v is not None:
            errs += self._format(fmt, v, path)
        if isinstance(v, str):
            if "minLength" in s and len(v) < s["minLength"]:
                errs.append("%s: shorter than minLength %d" % (path, s["minLength"]))
            if "maxLength" in s and len(v) > s["maxLength"]:
                errs.append("%s: longer than maxLength %d" % (path, s["maxLength"]))
            if "pattern" in s and not re.search(s["pattern"], v):
                errs.append("%s: %s does not match pattern %s" % (path, json.dumps(v), s["pattern"]))
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if "minimum" in s and (v < s["minimum"] or (s.get("exclusiveMinimum") and v == s["minimum"])):
                errs.append("%s: %s is below the minimum %s" % (path, v, s["minimum"]))
            if "maximum" in s and (v > s["maximum"] or (s.get("exclusiveMaximum") and v == s["maximum"])):
                errs.append("%s: %s is above the maximum %s" % (path, v, s["maximum"]))
        if isinstance(v, list):
            if "minItems" in s and len(v) < s["minItems"]:
                errs.append("%s: fewer than minItems %d" % (path, s["minItems"]))
            if "maxItems" in s and len(v) > s["maxItems"]:
                errs.append("%s: more than maxItems %d (has %d)" % (path, s["maxItems"], len(v)))
            lt = s.get("x-kubernetes-list-type")
            if lt == "set":
                seen = set()
                for i, it in enumerate(v):
                    key = json.dumps(it, sort_keys=True)
                    if key in seen:
                        errs.append("%s: duplicate entry in a list of type set" % jpath(path, i))
                    seen.add(key)
            elif lt == "map":
                keys = s.get("x-kubernetes-list-map-keys", [])
                seen = set()
                for i, it in enumerate(v):
                    key = json.dumps([it.get(k) if isinstance(it, dict) else None for k in keys])
                    if key in seen:
                        errs.append("%s: duplicate map key %s" % (jpath(path, i), key))
                    seen.add(key)
            items = s.get("items")
            if isinstance(items, dict):
                for i, it in enumerate(v):
                    errs += self._node(items, it, jpath(path, i))
        if isinstance(v, dict):
            props = s.get("properties")
            addl = s.get("additionalProperties")
            preserve = s.get("x-kubernetes-preserve-unknown-fields")
            if "minProperties" in s and len(v) < s["minProperties"]:
                errs.append("%s: fewer than minProperties %d" % (path, s["minProperties"]))
            if "maxProperties" in s and len(v) > s["maxProperties"]:
                errs.append("%s: more than maxProperties %d" % (path, s["maxProperties"]))
            for k, val in v.items():
                p = jpath(path, str(k))
                if props is not None and k in props:
                    errs += self._node(props[k], val, p)
                elif isinstance(addl, dict):
                    errs += self._node(addl, val, p)
                elif addl is True or preserve:
                    continue
                elif props is None and addl is None and t != "object":
                    continue  # a value constraint (oneOf/anyOf/not branch), not a field list
                elif props is None and addl is None:
                    # an object schema with neither properties nor additionalProperties: structural
                    # schemas prune every field of it
                    errs.append("%s: unknown field (the schema of %s allows no fields here)" % (p, self._ctx))
                else:
                    errs.append("%s: unknown field (not in the schema of %s)" % (p, self._ctx))
            for k in s.get("required", []) or []:
                if k not in v:
                    errs.append("%s: required field missing" % jpath(path, k))
        elif s.get("required") and not t and v is not None:
            # a bare {"required": [...]} inside oneOf/anyOf on a non-object never matches
            errs.append("%s: not an object" % path)
        # combinators
        if "allOf" in s:
            for sub in s["allOf"]:
                errs += self._node(sub, v, path)
        if "anyOf" in s:
            if not any(self.matches(sub, v) for sub in s["anyOf"]):
                errs.append("%s: matches none of the anyOf alternatives%s" % (path, self._alts(s["anyOf"])))
        if "oneOf" in s:
            n = sum(1 for sub in s["oneOf"] if self.matches(sub, v))
            if n != 1:
                errs.append("%s: matches %d of the oneOf alternatives, exactly 1 required%s" % (
                    path, n, self._alts(s["oneOf"])))
        if "not" in s:
            if self.matches(s["not"], v):
                errs.append("%s: matches a forbidden (not) schema" % path)
        for rule in s.get("x-kubernetes-validations", []) or []:
            if v is not None:
                errs += self._rule(rule, v, path)
        return errs

    @staticmethod
    def _alts(alts):
        names = []
        for a in alts:
            if set(a) == {"required"}:
                names.append("/".join(a["required"]))
        return " (%s)" % " | ".join(names) if names else ""

    @staticmethod
    def _format(fmt, v, path):
        if fmt in ("int32", "int64", "uint32"):
            if isinstance(v, bool) or not isinstance(v, int):
                return []  # the type check reports it
            lo, hi = {"int32": (-2 ** 31, 2 ** 31 - 1), "int64": (-2 ** 63, 2 ** 63 - 1),
                      "uint32": (0, 2 ** 32 - 1)}[fmt]
            if not lo <= v <= hi:
                return ["%s: %d out of %s range" % (path, v, fmt)]
        elif fmt in ("double", "float"):
            if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
                return ["%s: not a finite number" % path]
        elif fmt == "date-time":
            if isinstance(v, str) and not _DATE_TIME.match(v):
                return ["%s: %r is not an RFC 3339 date-time" % (path, v)]
        return []


_CACHE = {}


def schemas(minor):
    if minor not in _CACHE:
        _CACHE[minor] = Schemas(minor)
    return _CACHE[minor]


def validate(obj, minor):
    """Violations of obj against the Istio `minor` CRDs ("1.22", "1.27")."""
    return schemas(minor).validate(obj)


def minor_of_revision(rev):
    """asm-1-22 -> 1.22."""
    m = re.fullmatch(r"asm-(\d+)-(\d+)", rev)
    if not m:
        raise ValueError("not an AKS revision: %r" % rev)
    return "%s.%s" % (m.group(1), m.group(2))


def main(argv):
    minors = []
    files = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--istio" and i + 1 < len(argv):
            minors.append(argv[i + 1])
            i += 2
            continue
        if a in ("-h", "--help"):
            print(__doc__)
            return 0
        files.append(a)
        i += 1
    minors = minors or list(MINORS)
    if not files:
        print("usage: istio_schema.py [--istio 1.22|1.27]... FILE.yaml...", file=sys.stderr)
        return 2
    bad = 0
    for fn in files:
        try:
            with open(fn, encoding="utf-8") as f:
                docs = load_yaml_all(f.read())
        except (OSError, Exception) as e:  # yaml errors have no common base we want to import here
            print("%s: %s" % (fn, e), file=sys.stderr)
            return 2
        for idx, d in enumerate(docs):
            if not isinstance(d, dict) or d.get("kind") not in KINDS:
                continue
            for mi in minors:
                for e in validate(d, mi):
                    bad += 1
                    print("%s: document %d (%s %s/%s), Istio %s: %s" % (
                        fn, idx + 1, d.get("kind"), (d.get("metadata") or {}).get("namespace", ""),
                        (d.get("metadata") or {}).get("name", ""), mi, e))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
