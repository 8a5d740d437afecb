/*
 * lib/model/cert.c: parsing PEM bundles, comparisons, validity. Also the
 * certificate factory the check tests use (tw_cert_*): self-signed EC
 * certificates with chosen dates, generated in-process (keys never stored).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "osmdiag/check.h"
#include "model/cert.h"

/* Shared with test_webhooks.c / test_certificates.c. */
char *tw_cert_pem(time_t not_before, time_t not_after, const char *cn, int is_ca);
char *tw_b64(const char *data, size_t len, int wrap);
char *tw_cert_b64(time_t not_before, time_t not_after, const char *cn, int is_ca);
time_t tw_time(int y, int mo, int d);
void add_cert_model_tests(Suite *s);

time_t tw_time(int y, int mo, int d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	return timegm(&tm);
}

/* PEM text of a new self-signed certificate (malloc'd). */
char *tw_cert_pem(time_t not_before, time_t not_after, const char *cn, int is_ca)
{
	EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
	EVP_PKEY *key = NULL;
	X509 *x = X509_new();
	X509_NAME *name;
	X509_EXTENSION *ext;
	BIO *bio = BIO_new(BIO_s_mem());
	static long serial = 1000;
	char *data, *out;
	long len;

	ck_assert(kctx && x && bio);
	ck_assert_int_eq(EVP_PKEY_keygen_init(kctx), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_ec_paramgen_curve_nid(kctx, NID_X9_62_prime256v1), 1);
	ck_assert_int_eq(EVP_PKEY_keygen(kctx, &key), 1);
	ck_assert_int_eq(X509_set_version(x, 2), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	ck_assert(ASN1_TIME_set(X509_getm_notBefore(x), not_before) != NULL);
	ck_assert(ASN1_TIME_set(X509_getm_notAfter(x), not_after) != NULL);
	ck_assert_int_eq(X509_set_pubkey(x, key), 1);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"osmdiag tests", -1, -1,
		0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	ck_assert_int_eq(X509_set_issuer_name(x, name), 1);
	ext = X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
	ck_assert(ext != NULL);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	ck_assert(X509_sign(x, key, EVP_sha256()) > 0);
	ck_assert_int_eq(PEM_write_bio_X509(bio, x), 1);
	len = BIO_get_mem_data(bio, &data);
	out = malloc((size_t)len + 1);
	ck_assert(out != NULL);
	memcpy(out, data, (size_t)len);
	out[len] = '\0';
	BIO_free(bio);
	X509_free(x);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(kctx);
	return out;
}

/* Base64 of data; `wrap` > 0 inserts a newline every `wrap` characters. */
char *tw_b64(const char *data, size_t len, int wrap)
{
	size_t enc = 4 * ((len + 2) / 3);
	unsigned char *raw = malloc(enc + 1);
	char *out;
	size_t i, o = 0;

	ck_assert(raw != NULL);
	EVP_EncodeBlock(raw, (const unsigned char *)data, (int)len);
	out = malloc(enc + (wrap > 0 ? enc / (size_t)wrap + 1 : 0) + 1);
	ck_assert(out != NULL);
	for (i = 0; i < enc; i++) {
		if (wrap > 0 && i > 0 && i % (size_t)wrap == 0)
			out[o++] = '\n';
		out[o++] = (char)raw[i];
	}
	out[o] = '\0';
	free(raw);
	return out;
}

char *tw_cert_b64(time_t not_before, time_t not_after, const char *cn, int is_ca)
{
	char *pem = tw_cert_pem(not_before, not_after, cn, is_ca);
	char *b = tw_b64(pem, strlen(pem), 0);

	free(pem);
	return b;
}

/* ---- tests ---------------------------------------------------------------------- */

static time_t NOW;

static void setup(void)
{
	NOW = tw_time(2026, 11, 1);
}

static char *b64s(const char *s)
{
	return tw_b64(s, strlen(s), 0);
}

static void expect_error(const char *b64, const char *needle)
{
	osmdiag__certs c = OSMDIAG__CERTS_INIT;
	char err[256];
	int rc = osmdiag__certs_parse_b64(b64, &c, err, sizeof(err));

	ck_assert_int_eq(rc, OSMDIAG__CERT_EINVAL);
	ck_assert_uint_eq(c.n, 0);
	ck_assert_msg(strstr(err, needle) != NULL, "error \"%s\" lacks \"%s\"", err, needle);
	osmdiag__certs_dispose(&c);
}

START_TEST(parse_single)
{
	time_t nb = tw_time(2026, 1, 1), na = tw_time(2036, 1, 1);
	char *b = tw_cert_b64(nb, na, "test-ca", 1);
	osmdiag__certs c = OSMDIAG__CERTS_INIT;
	char err[256];

	ck_assert_int_eq(osmdiag__certs_parse_b64(b, &c, err, sizeof(err)), OSMDIAG__CERT_OK);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_str_eq(c.v[0].subject, "CN=test-ca,O=osmdiag tests");
	ck_assert_str_eq(c.v[0].issuer, "CN=test-ca,O=osmdiag tests");
	ck_assert(c.v[0].not_before == nb);
	ck_assert(c.v[0].not_after == na);
	ck_assert_int_eq(c.v[0].is_ca, 1);
	ck_assert_uint_gt(c.v[0].der_len, 100);
	ck_assert_uint_eq(strlen(c.v[0].fingerprint), 23);
	ck_assert(strncmp(c.v[0].fingerprint, "sha256:", 7) == 0);
	ck_assert(strspn(c.v[0].fingerprint + 7, "0123456789abcdef") == 16);
	osmdiag__certs_dispose(&c);
	free(b);
}
END_TEST

START_TEST(parse_bundle_and_leaf)
{
	char *a = tw_cert_pem(tw_time(2026, 1, 1), tw_time(2036, 1, 1), "leaf.kube-system.svc", 0);
	char *r = tw_cert_pem(tw_time(2026, 1, 1), tw_time(2036, 1, 1), "root", 1);
	size_t la = strlen(a), lr = strlen(r);
	char *both = malloc(la + lr + 1);
	char *b;
	osmdiag__certs c = OSMDIAG__CERTS_INIT;
	char err[256];

	memcpy(both, a, la);
	memcpy(both + la, r, lr + 1);
	b = tw_b64(both, la + lr, 0);
	ck_assert_int_eq(osmdiag__certs_parse_b64(b, &c, err, sizeof(err)), OSMDIAG__CERT_OK);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_int_eq(c.v[0].is_ca, 0);
	ck_assert_int_eq(c.v[1].is_ca, 1);
	ck_assert_str_eq(c.v[1].subject, "CN=root,O=osmdiag tests");
	osmdiag__certs_dispose(&c);
	free(a);
	free(r);
	free(both);
	free(b);
}
END_TEST

START_TEST(parse_errors)
{
	char *pem = tw_cert_pem(tw_time(2026, 1, 1), tw_time(2036, 1, 1), "x", 1);
	char *b, *cut;
	const char *key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
	const char *garbage = "-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n";
	const char *badbody = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
	unsigned char der[] = { 0x30, 0x82, 0x01, 0x00, 0x01 };

	expect_error(NULL, "empty");
	expect_error("", "empty");
	expect_error(" \n ", "empty");
	expect_error("%%% not base64 %%%", "not valid base64");
	expect_error(pem, "is PEM text, it must be base64-encoded");
	b = b64s("hello world");
	expect_error(b, "not PEM");
	free(b);
	b = tw_b64((const char *)der, sizeof(der), 0);
	expect_error(b, "looks like DER");
	free(b);
	b = b64s(key);
	expect_error(b, "no -----BEGIN CERTIFICATE-----");
	free(b);
	b = b64s(garbage);
	expect_error(b, "certificate 1: DER does not parse");
	free(b);
	b = b64s(badbody);
	expect_error(b, "certificate 1: PEM body is not valid base64");
	free(b);
	cut = strdup(pem);
	*strstr(cut, "-----END") = '\0';
	b = b64s(cut);
	expect_error(b, "no -----END CERTIFICATE----- line");
	free(b);
	free(cut);
	free(pem);
}
END_TEST

START_TEST(parse_skips_keys)
{
	/* A private key block next to the certificate is skipped unread. */
	char *pem = tw_cert_pem(tw_time(2026, 1, 1), tw_time(2036, 1, 1), "x", 1);
	const char *key = "-----BEGIN EC PRIVATE KEY-----\nnot even base64 !!\n-----END EC PRIVATE "
		"KEY-----\n";
	size_t lk = strlen(key), lp = strlen(pem);
	char *both = malloc(lk + lp + 1), *b;
	osmdiag__certs c = OSMDIAG__CERTS_INIT;
	char err[256];

	memcpy(both, key, lk);
	memcpy(both + lk, pem, lp + 1);
	b = b64s(both);
	ck_assert_int_eq(osmdiag__certs_parse_b64(b, &c, err, sizeof(err)), OSMDIAG__CERT_OK);
	ck_assert_uint_eq(c.n, 1);
	osmdiag__certs_dispose(&c);
	free(both);
	free(b);
	free(pem);
}
END_TEST

START_TEST(compare_bundles)
{
	char *p1 = tw_cert_pem(tw_time(2026, 1, 1), tw_time(2036, 1, 1), "osm-ca.openservicemesh.io", 1);
	char *p2 = tw_cert_pem(tw_time(2026, 1, 1), tw_time(2036, 1, 1), "osm-ca.openservicemesh.io", 1);
	char *a = tw_b64(p1, strlen(p1), 0);
	char *a_wrapped = tw_b64(p1, strlen(p1), 64);
	char *b = tw_b64(p2, strlen(p2), 0);
	size_t l1 = strlen(p1), l2 = strlen(p2);
	char *cat12 = malloc(l1 + l2 + 1), *cat21 = malloc(l1 + l2 + 1), *b12, *b21;
	char *crlf;
	osmdiag__certs c1 = OSMDIAG__CERTS_INIT, c12 = OSMDIAG__CERTS_INIT;
	char err[256];
	size_t i, o;

	memcpy(cat12, p1, l1);
	memcpy(cat12 + l1, p2, l2 + 1);
	memcpy(cat21, p2, l2);
	memcpy(cat21 + l2, p1, l1 + 1);
	b12 = tw_b64(cat12, l1 + l2, 0);
	b21 = tw_b64(cat21, l1 + l2, 76);
	/* the same certificate with CRLF line ends in its PEM */
	crlf = malloc(2 * l1 + 1);
	for (i = 0, o = 0; i < l1; i++) {
		if (p1[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = p1[i];
	}
	{
		char *bcrlf = tw_b64(crlf, o, 0);

		ck_assert_int_eq(osmdiag__cert_b64_equal(a, bcrlf, err, sizeof(err)), 1);
		free(bcrlf);
	}
	ck_assert_int_eq(osmdiag__cert_b64_equal(a, a_wrapped, err, sizeof(err)), 1);
	ck_assert_int_eq(osmdiag__cert_b64_equal(a, b, err, sizeof(err)), 0);
	ck_assert_int_eq(osmdiag__cert_b64_equal(b12, b21, err, sizeof(err)), 1);
	ck_assert_int_eq(osmdiag__cert_b64_equal(a, b12, err, sizeof(err)), 0);
	ck_assert_int_eq(osmdiag__cert_b64_equal(a, "@@@", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "second: not valid base64") != NULL, "%s", err);
	ck_assert_int_eq(osmdiag__certs_parse_b64(a, &c1, err, sizeof(err)), OSMDIAG__CERT_OK);
	ck_assert_int_eq(osmdiag__certs_parse_b64(b12, &c12, err, sizeof(err)), OSMDIAG__CERT_OK);
	ck_assert_int_eq(osmdiag__certs_contains_all(&c12, &c1), 1);
	ck_assert_int_eq(osmdiag__certs_contains_all(&c1, &c12), 0);
	ck_assert_int_eq(osmdiag__certs_equal(&c1, &c12), 0);
	osmdiag__certs_dispose(&c1);
	osmdiag__certs_dispose(&c12);
	free(p1);
	free(p2);
	free(a);
	free(a_wrapped);
	free(b);
	free(cat12);
	free(cat21);
	free(b12);
	free(b21);
	free(crlf);
}
END_TEST

static void validity_of(time_t nb, time_t na, int warn_days, osmdiag__cert_validity *v)
{
	char *b = tw_cert_b64(nb, na, "v", 1);
	osmdiag__certs c = OSMDIAG__CERTS_INIT;
	char err[256];

	ck_assert_int_eq(osmdiag__certs_parse_b64(b, &c, err, sizeof(err)), OSMDIAG__CERT_OK);
	osmdiag__certs_validity(&c, NOW, warn_days, v);
	osmdiag__certs_dispose(&c);
	free(b);
}

START_TEST(validity_cases)
{
	osmdiag__cert_validity v;

	validity_of(NOW - 86400, NOW + 400 * 86400LL, 30, &v);
	ck_assert_int_eq(v.status, OSMDIAG_STATUS_PASS);
	ck_assert_str_eq(v.text, "valid until 2027-12-06T00:00:00Z");
	validity_of(NOW - 86400, NOW + 10 * 86400 + 3600, 30, &v);
	ck_assert_int_eq(v.status, OSMDIAG_STATUS_WARN);
	ck_assert_str_eq(v.text, "expires in 10 days (2026-11-11T01:00:00Z)");
	ck_assert_int_eq(v.days, 10);
	validity_of(NOW - 86400, NOW + 10 * 86400, 0, &v);
	ck_assert_int_eq(v.status, OSMDIAG_STATUS_PASS);
	validity_of(NOW - 100 * 86400LL, NOW - 3 * 86400, 30, &v);
	ck_assert_int_eq(v.status, OSMDIAG_STATUS_FAIL);
	ck_assert_str_eq(v.text, "expired 3 days ago (2026-10-29T00:00:00Z)");
	validity_of(NOW - 100 * 86400LL, NOW - 60, 30, &v);
	ck_assert_int_eq(v.status, OSMDIAG_STATUS_FAIL);
	ck_assert_str_eq(v.text, "expired less than a day ago (2026-10-31T23:59:00Z)");
	validity_of(NOW + 86400, NOW + 400 * 86400LL, 30, &v);
	ck_assert_int_eq(v.status, OSMDIAG_STATUS_FAIL);
	ck_assert_str_eq(v.text, "not valid before 2026-11-02T00:00:00Z");
}
END_TEST

START_TEST(validity_bundle_worst)
{
	char *good = tw_cert_pem(NOW - 86400, NOW + 4000 * 86400LL, "good", 1);
	char *soon = tw_cert_pem(NOW - 86400, NOW + 5 * 86400, "soon", 1);
	size_t lg = strlen(good), ls = strlen(soon);
	char *both = malloc(lg + ls + 1), *b;
	osmdiag__certs c = OSMDIAG__CERTS_INIT;
	osmdiag__cert_validity v;
	char err[256];

	memcpy(both, good, lg);
	memcpy(both + lg, soon, ls + 1);
	b = tw_b64(both, lg + ls, 0);
	ck_assert_int_eq(osmdiag__certs_parse_b64(b, &c, err, sizeof(err)), OSMDIAG__CERT_OK);
	osmdiag__certs_validity(&c, NOW, 30, &v);
	ck_assert_int_eq(v.status, OSMDIAG_STATUS_WARN);
	ck_assert_uint_eq(v.index, 1);
	ck_assert_str_eq(c.v[v.index].subject, "CN=soon,O=osmdiag tests");
	osmdiag__certs_validity(NULL, NOW, 30, &v);
	ck_assert_int_eq(v.status, OSMDIAG_STATUS_FAIL);
	osmdiag__certs_dispose(&c);
	free(good);
	free(soon);
	free(both);
	free(b);
}
END_TEST

void add_cert_model_tests(Suite *s)
{
	TCase *tc = tcase_create("cert_model");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, parse_single);
	tcase_add_test(tc, parse_bundle_and_leaf);
	tcase_add_test(tc, parse_errors);
	tcase_add_test(tc, parse_skips_keys);
	tcase_add_test(tc, compare_bundles);
	tcase_add_test(tc, validity_cases);
	tcase_add_test(tc, validity_bundle_worst);
	suite_add_tcase(s, tc);
}
