/*
 * Certificates for the checks: a PEM bundle (webhook `caBundle`, Secret data
 * `ca.crt`, both base64 in the API) parsed into a small view, bundle
 * comparison, and the validity evaluation against "now". cert.c is the only
 * file that includes OpenSSL. Private keys are never read: only CERTIFICATE
 * blocks are decoded, every other PEM block is skipped unread. Internal.
 */
#ifndef OSMDIAG_CERT_H
#define OSMDIAG_CERT_H

#include <stddef.h>
#include <time.h>

/* One certificate of a bundle. */
typedef struct osmdiag__cert {
	char *subject;          /* one-line RFC 2253: "CN=osm-ca.openservicemesh.io,O=..." */
	char *issuer;           /* same format */
	time_t not_before;
	time_t not_after;
	int is_ca;              /* basicConstraints cA:TRUE */
	char fingerprint[24];   /* "sha256:" + first 8 bytes of the DER's SHA-256 in hex, for messages */
	unsigned char *der;     /* the DER encoding (for comparisons) */
	size_t der_len;
} osmdiag__cert;

typedef struct osmdiag__certs {
	osmdiag__cert *v;       /* in bundle order */
	size_t n;
} osmdiag__certs;

#define OSMDIAG__CERTS_INIT { NULL, 0 }

/* Parse results. */
enum {
	OSMDIAG__CERT_OK = 0,
	OSMDIAG__CERT_EINVAL = -1,  /* bad input: the reason is in errbuf */
	OSMDIAG__CERT_ENOMEM = -2
};

/*
 * Parses `b64`, the base64 encoding of a PEM bundle (one or more
 * "-----BEGIN CERTIFICATE-----" blocks; whitespace anywhere ignored). On
 * failure `out` is empty and errbuf holds one line: "empty", "not valid
 * base64", "not base64: the value is PEM text, it must be base64-encoded",
 * "not PEM: no -----BEGIN CERTIFICATE----- block (looks like DER)",
 * "certificate 2 of 3: DER does not parse (...)", ...
 * Returns OSMDIAG__CERT_OK / _EINVAL / _ENOMEM. Dispose `out` in every case.
 */
int osmdiag__certs_parse_b64(const char *b64, osmdiag__certs *out, char *errbuf, size_t errlen);
/* The same for PEM text of `len` bytes. */
int osmdiag__certs_parse_pem(const char *pem, size_t len, osmdiag__certs *out, char *errbuf,
	size_t errlen);
void osmdiag__certs_dispose(osmdiag__certs *c);

/* 1 when both bundles hold the same certificates (DER equality; order and
 * duplicates ignored), else 0. Two empty bundles are equal. */
int osmdiag__certs_equal(const osmdiag__certs *a, const osmdiag__certs *b);
/* 1 when every certificate of `needles` is in `haystack` (DER equality). */
int osmdiag__certs_contains_all(const osmdiag__certs *haystack, const osmdiag__certs *needles);
/*
 * Compares two base64 PEM bundles by their certificates (whitespace, PEM line
 * breaks and order do not matter). 1 equal, 0 different, -1 when one does not
 * parse (reason, prefixed "first: " / "second: ", in errbuf) or on OOM.
 */
int osmdiag__cert_b64_equal(const char *a, const char *b, char *errbuf, size_t errlen);

/* Validity of a bundle at a point in time. */
typedef struct osmdiag__cert_validity {
	int status;        /* OSMDIAG_STATUS_PASS, _WARN (expires within the window) or _FAIL */
	size_t index;      /* the certificate that decided the status (earliest notAfter when all pass) */
	long long days;    /* days until notAfter (negative when expired), whole days rounded down */
	/* "valid until 2034-01-01T00:00:00Z", "expires in 12 days (2024-01-13T00:00:00Z)",
	 * "expired 3 days ago (2023-12-29T00:00:00Z)", "not valid before 2024-02-01T00:00:00Z" */
	char text[128];
} osmdiag__cert_validity;

/*
 * Evaluates every certificate of `c` at `now`: not yet valid or expired ->
 * FAIL, notAfter within `warn_days` days -> WARN, else PASS; the worst
 * certificate decides (ties: the earliest notAfter). An empty bundle is FAIL
 * ("no certificate"). `warn_days` <= 0 disables the warning window.
 */
void osmdiag__certs_validity(const osmdiag__certs *c, time_t now, int warn_days,
	osmdiag__cert_validity *out);

#endif /* OSMDIAG_CERT_H */
