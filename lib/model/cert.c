/*
 * Certificate bundles: base64 -> PEM -> DER -> X509 (OpenSSL), a small view
 * per certificate, comparisons and validity. The only file that includes
 * OpenSSL. Only CERTIFICATE blocks are decoded; other PEM blocks (keys) are
 * skipped without being read.
 */
#include "model/cert.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "osmdiag/check.h"
#include "util/util.h"

#define PEM_BEGIN "-----BEGIN "
#define PEM_END "-----END "
#define PEM_DASHES "-----"

static int set_err(char *errbuf, size_t errlen, int code, const char *fmt, ...) OSMDIAG__PRINTF(4, 5);

static int set_err(char *errbuf, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (errbuf && errlen) {
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

static void cert_free_fields(osmdiag__cert *c)
{
	free(c->subject);
	free(c->issuer);
	free(c->der);
	memset(c, 0, sizeof(*c));
}

void osmdiag__certs_dispose(osmdiag__certs *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		cert_free_fields(&c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* One-line RFC 2253 text of a name (new string; "" for an empty name). */
static char *name_text(const X509_NAME *name)
{
	BIO *bio;
	char *data = NULL;
	long len;
	char *out;

	bio = BIO_new(BIO_s_mem());
	if (!bio)
		return NULL;
	if (name && X509_NAME_print_ex(bio, (X509_NAME *)name, 0, XN_FLAG_RFC2253) < 0) {
		BIO_free(bio);
		return osmdiag__strdup("(unprintable name)");
	}
	len = BIO_get_mem_data(bio, &data);
	out = osmdiag__strndup(data ? data : "", len > 0 ? (size_t)len : 0);
	BIO_free(bio);
	return out;
}

static int asn1_to_time_t(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = timegm(&tm);
	return 0;
}

/* Reason text of the last OpenSSL error (and clears the queue). */
static void openssl_reason(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	snprintf(buf, len, "%s", r ? r : "malformed ASN.1");
	ERR_clear_error();
}

static int push_cert(osmdiag__certs *out, const unsigned char *der, size_t der_len, size_t idx,
	char *errbuf, size_t errlen)
{
	const unsigned char *p = der;
	X509 *x;
	osmdiag__cert c, *nv;
	char why[160];
	int rc = OSMDIAG__CERT_ENOMEM;

	memset(&c, 0, sizeof(c));
	x = d2i_X509(NULL, &p, (long)der_len);
	if (!x) {
		openssl_reason(why, sizeof(why));
		return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL,
			"certificate %zu: DER does not parse (%s)", idx, why);
	}
	if ((size_t)(p - der) != der_len) {
		X509_free(x);
		return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL,
			"certificate %zu: %zu trailing bytes after the DER certificate", idx,
			der_len - (size_t)(p - der));
	}
	if (asn1_to_time_t(X509_get0_notBefore(x), &c.not_before) != 0 ||
	    asn1_to_time_t(X509_get0_notAfter(x), &c.not_after) != 0) {
		X509_free(x);
		ERR_clear_error();
		return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL,
			"certificate %zu: unreadable notBefore/notAfter", idx);
	}
	c.is_ca = (X509_get_extension_flags(x) & EXFLAG_CA) ? 1 : 0;
	c.subject = name_text(X509_get_subject_name(x));
	c.issuer = name_text(X509_get_issuer_name(x));
	c.der = malloc(der_len ? der_len : 1);
	X509_free(x);
	ERR_clear_error();
	if (!c.subject || !c.issuer || !c.der)
		goto fail;
	memcpy(c.der, der, der_len);
	c.der_len = der_len;
	{
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0, k;

		snprintf(c.fingerprint, sizeof(c.fingerprint), "sha256:");
		if (EVP_Digest(der, der_len, md, &mdlen, EVP_sha256(), NULL) == 1 && mdlen >= 8)
			for (k = 0; k < 8; k++)
				snprintf(c.fingerprint + 7 + 2 * k, sizeof(c.fingerprint) - 7 - 2 * k, "%02x",
					md[k]);
		ERR_clear_error();
	}
	nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
	if (!nv)
		goto fail;
	out->v = nv;
	out->v[out->n++] = c;
	return OSMDIAG__CERT_OK;
fail:
	cert_free_fields(&c);
	return set_err(errbuf, errlen, rc, "out of memory");
}

/* memmem for a NUL-free needle within [s, s+len). */
static const char *find(const char *s, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;

	if (nl > len)
		return NULL;
	for (i = 0; i + nl <= len; i++)
		if (s[i] == needle[0] && memcmp(s + i, needle, nl) == 0)
			return s + i;
	return NULL;
}

int osmdiag__certs_parse_pem(const char *pem, size_t len, osmdiag__certs *out, char *errbuf,
	size_t errlen)
{
	const char *p = pem, *end = pem + len;
	size_t idx = 0, other = 0;
	int rc;

	if (errbuf && errlen)
		errbuf[0] = '\0';
	out->v = NULL;
	out->n = 0;
	if (!pem || len == 0)
		return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL, "empty");
	for (;;) {
		const char *b = find(p, (size_t)(end - p), PEM_BEGIN), *lab, *labend, *body, *e;
		char label[64], endmark[96];
		size_t ll;
		unsigned char *der;
		size_t der_len = 0;
		char *b64;

		if (!b)
			break;
		lab = b + strlen(PEM_BEGIN);
		labend = find(lab, (size_t)(end - lab), PEM_DASHES);
		if (!labend || labend - lab >= (long)sizeof(label) || memchr(lab, '\n',
			(size_t)(labend - lab))) {
			rc = set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL, "not PEM: malformed BEGIN line");
			goto fail;
		}
		ll = (size_t)(labend - lab);
		memcpy(label, lab, ll);
		label[ll] = '\0';
		body = labend + strlen(PEM_DASHES);
		snprintf(endmark, sizeof(endmark), PEM_END "%s" PEM_DASHES, label);
		e = find(body, (size_t)(end - body), endmark);
		if (!e) {
			rc = set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL,
				"not PEM: block %zu (%s) has no %s line", idx + other + 1, label, endmark);
			goto fail;
		}
		p = e + strlen(endmark);
		if (strcmp(label, "CERTIFICATE") != 0) {
			other++; /* keys and anything else: skipped unread */
			continue;
		}
		idx++;
		b64 = osmdiag__strndup(body, (size_t)(e - body));
		if (!b64) {
			rc = set_err(errbuf, errlen, OSMDIAG__CERT_ENOMEM, "out of memory");
			goto fail;
		}
		der = osmdiag__base64_decode(b64, &der_len);
		free(b64);
		if (!der || der_len == 0) {
			free(der);
			rc = set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL,
				"certificate %zu: PEM body is not valid base64", idx);
			goto fail;
		}
		rc = push_cert(out, der, der_len, idx, errbuf, errlen);
		free(der);
		if (rc != OSMDIAG__CERT_OK)
			goto fail;
	}
	if (out->n == 0) {
		if (other)
			return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL,
				"not PEM certificates: %zu PEM block(s) but no -----BEGIN CERTIFICATE-----",
				other);
		if ((unsigned char)pem[0] == 0x30)
			return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL,
				"not PEM: no -----BEGIN CERTIFICATE----- block (looks like DER)");
		return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL,
			"not PEM: no -----BEGIN CERTIFICATE----- block");
	}
	/* Numbered messages say "of N" only when useful: fine as is. */
	return OSMDIAG__CERT_OK;
fail:
	osmdiag__certs_dispose(out);
	return rc;
}

/* Only whitespace? */
static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

int osmdiag__certs_parse_b64(const char *b64, osmdiag__certs *out, char *errbuf, size_t errlen)
{
	unsigned char *pem;
	size_t len = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (errbuf && errlen)
		errbuf[0] = '\0';
	if (!b64 || blank(b64))
		return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL, "empty");
	while (*b64 == ' ' || *b64 == '\t' || *b64 == '\r' || *b64 == '\n')
		b64++;
	if (strncmp(b64, "-----BEGIN", 10) == 0)
		return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL,
			"not base64: the value is PEM text, it must be base64-encoded");
	pem = osmdiag__base64_decode(b64, &len);
	if (!pem)
		return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL, "not valid base64");
	if (len == 0) {
		free(pem);
		return set_err(errbuf, errlen, OSMDIAG__CERT_EINVAL, "empty");
	}
	rc = osmdiag__certs_parse_pem((const char *)pem, len, out, errbuf, errlen);
	free(pem);
	return rc;
}

static int has_der(const osmdiag__certs *c, const osmdiag__cert *x)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].der_len == x->der_len && memcmp(c->v[i].der, x->der, x->der_len) == 0)
			return 1;
	return 0;
}

int osmdiag__certs_contains_all(const osmdiag__certs *haystack, const osmdiag__certs *needles)
{
	size_t i;

	if (!needles)
		return 1;
	if (!haystack)
		return needles->n == 0;
	for (i = 0; i < needles->n; i++)
		if (!has_der(haystack, &needles->v[i]))
			return 0;
	return 1;
}

int osmdiag__certs_equal(const osmdiag__certs *a, const osmdiag__certs *b)
{
	return osmdiag__certs_contains_all(a, b) && osmdiag__certs_contains_all(b, a);
}

int osmdiag__cert_b64_equal(const char *a, const char *b, char *errbuf, size_t errlen)
{
	osmdiag__certs ca = OSMDIAG__CERTS_INIT, cb = OSMDIAG__CERTS_INIT;
	char why[200];
	int rc;

	if (osmdiag__certs_parse_b64(a, &ca, why, sizeof(why)) != OSMDIAG__CERT_OK) {
		set_err(errbuf, errlen, -1, "first: %s", why);
		rc = -1;
	} else if (osmdiag__certs_parse_b64(b, &cb, why, sizeof(why)) != OSMDIAG__CERT_OK) {
		set_err(errbuf, errlen, -1, "second: %s", why);
		rc = -1;
	} else {
		rc = osmdiag__certs_equal(&ca, &cb);
	}
	osmdiag__certs_dispose(&ca);
	osmdiag__certs_dispose(&cb);
	return rc;
}

/* Whole days in `secs`, rounded towards minus infinity. */
static long long floor_days(long long secs)
{
	long long d = secs / 86400;

	if (secs < 0 && secs % 86400 != 0)
		d--;
	return d;
}

static const char *plural(long long n)
{
	return (n == 1 || n == -1) ? "" : "s";
}

void osmdiag__certs_validity(const osmdiag__certs *c, time_t now, int warn_days,
	osmdiag__cert_validity *out)
{
	size_t i, best = 0;
	int worst = OSMDIAG_STATUS_PASS, st;
	char date[40];
	const osmdiag__cert *x;

	memset(out, 0, sizeof(*out));
	if (!c || c->n == 0) {
		out->status = OSMDIAG_STATUS_FAIL;
		snprintf(out->text, sizeof(out->text), "no certificate");
		return;
	}
	for (i = 0; i < c->n; i++) {
		x = &c->v[i];
		if (now < x->not_before || now >= x->not_after)
			st = OSMDIAG_STATUS_FAIL;
		else if (warn_days > 0 && (long long)(x->not_after - now) <= (long long)warn_days * 86400)
			st = OSMDIAG_STATUS_WARN;
		else
			st = OSMDIAG_STATUS_PASS;
		if (i == 0 || st > worst || (st == worst && x->not_after < c->v[best].not_after)) {
			worst = st;
			best = i;
		}
	}
	x = &c->v[best];
	out->status = worst;
	out->index = best;
	out->days = floor_days((long long)(x->not_after - now));
	if (now < x->not_before) {
		osmdiag__format_rfc3339(x->not_before, date, sizeof(date));
		snprintf(out->text, sizeof(out->text), "not valid before %s", date);
		return;
	}
	osmdiag__format_rfc3339(x->not_after, date, sizeof(date));
	if (worst == OSMDIAG_STATUS_FAIL) {
		long long ago = floor_days((long long)(now - x->not_after));

		if (ago == 0)
			snprintf(out->text, sizeof(out->text), "expired less than a day ago (%s)", date);
		else
			snprintf(out->text, sizeof(out->text), "expired %lld day%s ago (%s)", ago,
				plural(ago), date);
	} else if (worst == OSMDIAG_STATUS_WARN) {
		snprintf(out->text, sizeof(out->text), "expires in %lld day%s (%s)", out->days,
			plural(out->days), date);
	} else {
		snprintf(out->text, sizeof(out->text), "valid until %s", date);
	}
}
