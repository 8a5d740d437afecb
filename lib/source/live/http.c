/*
 * The HTTP side of the live source: list requests run concurrently on one
 * curl multi handle (kept between batches for connection reuse; HTTP/2
 * multiplexing where the server offers it), paged with limit/continue,
 * restarted on 410 Expired, retried on 429 (Retry-After), 5xx, connection
 * resets and truncated bodies with capped exponential backoff, everything
 * inside the overall timeout. TLS material goes to libcurl as in-memory
 * blobs; the Authorization header never reaches a message.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "osmdiag/version.h"
#include "source/live/live.h"
#include "store/trim.h"

#define MAX_ATTEMPTS 6          /* per page, for retryable failures */
#define MAX_410_RESTARTS 3
#define BACKOFF_BASE_MS 200.0
#define BACKOFF_CAP_MS 5000.0
#define RETRY_AFTER_CAP_S 30L
#define CONNECT_TIMEOUT_MS 15000L

struct osmdiag__http {
	const osmdiag__live_config *cfg;
	osmdiag__auth *auth;
	CURLM *multi;
	char *base;                   /* URL base, host replaced by tls-server-name if set */
	struct curl_slist *connect_to;
	int blobs_ok;                 /* the TLS backend takes in-memory blobs (OpenSSL) */
};

enum { X_WAIT, X_ACTIVE, X_DONE };

typedef struct xfer {
	osmdiag__http_list *l;
	int state;
	int alt;                /* index into l->paths */
	char *cont;             /* continue token of the next page */
	int attempts;           /* failed attempts of the current page */
	int restarts;           /* 410 restarts */
	int auth_retried;       /* re-sent once after a 401 */
	int nolimit;            /* list without paging (after repeated 410) */
	double not_before;
	CURL *easy;
	struct curl_slist *hdrs;
	osmdiag__buf body;
	int too_large;
	long retry_after;       /* seconds; -1 none */
	unsigned cred_gen;
	json_t *acc;            /* items so far */
	osmdiag__buf pending;   /* a page read but not parsed yet (the next one is on its way) */
	int has_pending;
	int pending_status;
	char *pending_cont;     /* the continue token that fetched the pending page */
	char errbuf[CURL_ERROR_SIZE];
	char *last;             /* last retryable failure, for the final message */
} xfer;

/* ---- set-up --------------------------------------------------------------------- */

char *osmdiag__http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(n * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

osmdiag__http *osmdiag__http_new(const osmdiag__live_config *cfg, osmdiag__auth *auth)
{
	osmdiag__http *h = calloc(1, sizeof(*h));
	const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);

	if (!h)
		return NULL;
	h->cfg = cfg;
	h->auth = auth;
	h->blobs_ok = vi && vi->ssl_version && strncmp(vi->ssl_version, "OpenSSL", 7) == 0;
	h->base = osmdiag__strdup(cfg->server);
	if (!h->base)
		goto fail;
	if (cfg->tls_server_name) {
		/* tls-server-name: the URL names it (SNI and verification use it),
		 * CURLOPT_CONNECT_TO sends the connection to the real server. */
		CURLU *u = curl_url();
		char *host = NULL, *port = NULL, *url = NULL;
		int ok = u && curl_url_set(u, CURLUPART_URL, cfg->server, 0) == CURLUE_OK &&
			curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
			curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
			curl_url_set(u, CURLUPART_HOST, cfg->tls_server_name, 0) == CURLUE_OK &&
			curl_url_get(u, CURLUPART_URL, &url, 0) == CURLUE_OK;
		if (ok) {
			char *ct = osmdiag__asprintf("%s:%s:%s:%s", cfg->tls_server_name, port, host, port);
			struct curl_slist *l = ct ? curl_slist_append(NULL, ct) : NULL;
			free(ct);
			free(h->base);
			h->base = osmdiag__strdup(url);
			size_t bl = h->base ? strlen(h->base) : 0;
			while (bl > 0 && h->base[bl - 1] == '/')
				h->base[--bl] = '\0';
			h->connect_to = l;
			ok = l && h->base;
		}
		curl_free(host);
		curl_free(port);
		curl_free(url);
		curl_url_cleanup(u);
		if (!ok)
			goto fail;
	}
	h->multi = curl_multi_init();
	if (!h->multi)
		goto fail;
	curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	return h;
fail:
	osmdiag__http_free(h);
	return NULL;
}

void osmdiag__http_free(osmdiag__http *h)
{
	if (!h)
		return;
	if (h->multi)
		curl_multi_cleanup(h->multi);
	curl_slist_free_all(h->connect_to);
	free(h->base);
	free(h);
}

/* ---- one transfer --------------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	xfer *x = ud;
	size_t n = size * nmemb;
	if (x->body.len + n > OSMDIAG__HTTP_MAX_BODY) {
		x->too_large = 1;
		return 0;
	}
	if (osmdiag__buf_put(&x->body, data, n) < 0)
		return 0;
	return n;
}

/* A Retry-After value: delay-seconds or an HTTP-date (RFC 9110 10.2.3); -1
 * when it is neither. */
static long retry_after_seconds(const char *v, size_t n)
{
	char tmp[64], *end;
	size_t k = n < sizeof(tmp) - 1 ? n : sizeof(tmp) - 1;

	memcpy(tmp, v, k);
	tmp[k] = '\0';
	while (k > 0 && isspace((unsigned char)tmp[k - 1]))
		tmp[--k] = '\0';
	long secs = strtol(tmp, &end, 10);
	if (end != tmp && *end == '\0')
		return secs >= 0 ? secs : -1;
	time_t when = curl_getdate(tmp, NULL);
	if (when < 0)
		return -1;
	time_t now = time(NULL);
	return when > now ? (long)(when - now) : 0;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	xfer *x = ud;
	size_t n = size * nmemb;
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
		x->retry_after = -1; /* a new response (after 100 Continue, ...) */
	else if (n > 12 && strncasecmp(data, "Retry-After:", 12) == 0)
		x->retry_after = retry_after_seconds(data + 12, n - 12);
	return n;
}

/* Empties the body for the next response, keeping its memory: the pages of a
 * list are of one size, and a fresh multi-megabyte buffer per page cost a
 * tenth of a large run in page faults and copies. */
static void xfer_reset_body(xfer *x)
{
	x->body.len = 0;
	x->body.oom = 0;
	if (x->body.ptr)
		x->body.ptr[0] = '\0';
	x->too_large = 0;
	x->retry_after = -1;
	x->errbuf[0] = '\0';
}

static void xfer_stop(osmdiag__http *h, xfer *x)
{
	if (x->easy) {
		curl_multi_remove_handle(h->multi, x->easy);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	if (x->hdrs) {
		/* the Authorization header: overwrite before freeing */
		for (struct curl_slist *s = x->hdrs; s; s = s->next)
			memset(s->data, 0, strlen(s->data));
		curl_slist_free_all(x->hdrs);
		x->hdrs = NULL;
	}
}

static char *page_url(osmdiag__http *h, xfer *x)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	char sep = '?';

	osmdiag__buf_puts(&b, h->base);
	osmdiag__buf_puts(&b, x->l->paths[x->alt]);
	if (x->l->query) {
		osmdiag__buf_printf(&b, "%c%s", sep, x->l->query);
		sep = '&';
	}
	if (!x->nolimit) {
		osmdiag__buf_printf(&b, "%climit=%d", sep, OSMDIAG__HTTP_PAGE_LIMIT);
		sep = '&';
	}
	if (x->cont) {
		char *e = osmdiag__http_escape(x->cont);
		if (!e)
			b.oom = 1;
		else
			osmdiag__buf_printf(&b, "%ccontinue=%s", sep, e);
		free(e);
	}
	if (b.oom) {
		osmdiag__buf_free(&b);
		return NULL;
	}
	return osmdiag__buf_detach(&b);
}

/* Starts the next page of `x`. 0, or -1 on out of memory. */
static int xfer_start(osmdiag__http *h, xfer *x, const osmdiag__cred *cred, double deadline, int max_conc)
{
	char *url = page_url(h, x);
	CURL *e = curl_easy_init();
	const osmdiag__live_config *cfg = h->cfg;

	xfer_reset_body(x);
	if (!url || !e) {
		free(url);
		if (e)
			curl_easy_cleanup(e);
		return -1;
	}
	x->easy = e;
	x->cred_gen = cred->gen;
	curl_easy_setopt(e, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "osmdiag/" OSMDIAG_VERSION);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_MAXCONNECTS, (long)max_conc);
	if (!cfg->disable_compression)
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (deadline > 0) {
		long left = (long)(deadline - osmdiag__now_ms());
		if (left < 1)
			left = 1;
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left);
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, left < CONNECT_TIMEOUT_MS ? left : CONNECT_TIMEOUT_MS);
	} else {
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
		/* no overall limit: at least do not wait forever on a stalled server */
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 120L);
	}
	if (h->connect_to)
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, h->connect_to);
	if (cfg->proxy_url)
		curl_easy_setopt(e, CURLOPT_PROXY, cfg->proxy_url);
	if (cfg->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (cfg->ca) {
		struct curl_blob blob = { cfg->ca, cfg->ca_len, CURL_BLOB_COPY };
		/* only this CA, as client-go: no system bundle next to it */
		curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
		curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob);
	}
	if (cred->cert && cred->key) {
		struct curl_blob cb = { (void *)cred->cert, cred->cert_len, CURL_BLOB_COPY };
		struct curl_blob kb = { (void *)cred->key, cred->key_len, CURL_BLOB_COPY };
		curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cb);
		curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &kb);
		curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
	}
	x->hdrs = curl_slist_append(NULL, "Accept: application/json");
	if (!x->hdrs)
		return -1;
	if (cred->token) {
		char *a = osmdiag__asprintf("Authorization: Bearer %s", cred->token);
		struct curl_slist *l = a ? curl_slist_append(x->hdrs, a) : NULL;
		if (a) {
			memset(a, 0, strlen(a));
			free(a);
		}
		if (!l)
			return -1;
		x->hdrs = l;
	} else if (cred->username) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, cred->username);
		curl_easy_setopt(e, CURLOPT_PASSWORD, cred->password);
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK)
		return -1;
	x->state = X_ACTIVE;
	return 0;
}

/* ---- outcomes ------------------------------------------------------------------- */

/* The items handed to on_item so far are void (the list starts again). */
static void xfer_reset_items(xfer *x)
{
	if (x->l->on_item && x->l->on_reset)
		x->l->on_reset(x->l->item_ud);
	x->l->consumed = 0;
}

static void xfer_fail(xfer *x, int code, int status, const char *fmt, ...) OSMDIAG__PRINTF(4, 5);

static void xfer_fail(xfer *x, int code, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = osmdiag__vasprintf(fmt, ap);
	va_end(ap);
	free(x->l->message);
	x->l->message = m;
	x->l->code = code;
	if (status)
		x->l->http_status = status;
	json_decref(x->acc);
	x->acc = NULL;
	x->state = X_DONE;
}

/* Schedules a retry of the current page after `delay_ms`, or fails when out of
 * attempts or time. `msg` describes this failure. */
static void xfer_retry(xfer *x, double delay_ms, double deadline, int code, int status, const char *msg)
{
	double now = osmdiag__now_ms();
	x->attempts++;
	if (x->attempts >= MAX_ATTEMPTS) {
		xfer_fail(x, code, status, "%s: %s (gave up after %d attempts)", x->l->what, msg, x->attempts);
		return;
	}
	if (deadline > 0 && now + delay_ms >= deadline) {
		xfer_fail(x, code, status, "%s: %s (no time left to retry within the timeout)", x->l->what, msg);
		return;
	}
	free(x->last);
	x->last = osmdiag__strdup(msg);
	x->not_before = now + delay_ms;
	x->state = X_WAIT;
}

static double backoff(const xfer *x)
{
	double d = BACKOFF_BASE_MS;
	for (int i = 0; i < x->attempts && d < BACKOFF_CAP_MS; i++)
		d *= 2;
	return d > BACKOFF_CAP_MS ? BACKOFF_CAP_MS : d;
}

/* The server's Status message as one line ("" if none). */
static void status_message(const xfer *x, char *out, size_t outlen)
{
	json_t *doc = x->body.ptr ? json_loadb(x->body.ptr, x->body.len, 0, NULL) : NULL;
	json_t *m = json_object_get(doc, "message");
	const char *s = json_is_string(m) ? json_string_value(m) : "";
	size_t o = 0;
	for (; *s && o + 1 < outlen && o < 400; s++)
		out[o++] = (unsigned char)*s < 32 ? ' ' : *s;
	out[o] = '\0';
	json_decref(doc);
}

static int is_tls_error(CURLcode c)
{
	switch (c) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
		return 1;
	default:
		return 0;
	}
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

static int is_retryable(CURLcode c, const char *msg)
{
	switch (c) {
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
		return 1;
	case CURLE_SSL_CONNECT_ERROR:
		/* a reset or EOF during the handshake, not a certificate problem */
		return contains_ci(msg, "reset") || contains_ci(msg, "SYSCALL") || contains_ci(msg, "eof");
	default:
		return 0;
	}
}

/* Appends a parsed page's items to the list's items; 0, or -1 (message set).
 * `trimmed`: the page came from osmdiag__trim_parse_list (items trimmed for
 * the list's kind, with shared subtrees). */
static int absorb_items(xfer *x, json_t *doc, int status, int trimmed)
{
	json_t *items = json_object_get(doc, "items");
	json_t *apiv = json_object_get(doc, "apiVersion");
	size_t i;
	json_t *it;

	if (items && !json_is_null(items) && !json_is_array(items)) {
		xfer_fail(x, OSMDIAG_EPARSE, status, "%s: the response has no items list", x->l->what);
		return -1;
	}
	if (!x->acc && !(x->acc = json_array())) {
		xfer_fail(x, OSMDIAG_ENOMEM, 0, "out of memory");
		return -1;
	}
	json_t *kind = NULL;
	json_array_foreach(items, i, it) {
		json_t *own = NULL;
		if (!json_is_object(it))
			continue;
		/* list items carry no kind/apiVersion */
		if (!json_is_string(json_object_get(it, "kind"))) {
			if (!kind && !(kind = json_string(x->l->kind))) {
				xfer_fail(x, OSMDIAG_ENOMEM, 0, "out of memory");
				return -1;
			}
			json_object_set(it, "kind", kind);
		} else if (trimmed && strcmp(json_string_value(json_object_get(it, "kind")), x->l->kind) != 0) {
			/* trimmed for another kind than its own: an unshared copy, trimmed below */
			if (!(it = own = json_deep_copy(it))) {
				json_decref(kind);
				xfer_fail(x, OSMDIAG_ENOMEM, 0, "out of memory");
				return -1;
			}
		}
		if (!json_is_string(json_object_get(it, "apiVersion")) && json_is_string(apiv))
			json_object_set(it, "apiVersion", apiv);
		/* keep only what the checks read, page by page: a large list never
		 * holds whole objects (store/trim.c); pages from the trimming parser
		 * are trimmed already */
		if (!trimmed || own)
			osmdiag__trim_object(it, NULL);
		int rc;
		if (x->l->on_item) {
			/* handed over page by page: the list is never held whole */
			rc = x->l->on_item(x->l->item_ud, json_incref(it));
			x->l->consumed += rc == 0;
		} else {
			rc = json_array_append(x->acc, it);
		}
		json_decref(own);
		if (rc != 0) {
			json_decref(kind);
			xfer_fail(x, OSMDIAG_ENOMEM, 0, "out of memory");
			return -1;
		}
	}
	json_decref(kind);
	return 0;
}

/* Parses a page: straight into trimmed objects (store/trim.c), jansson for
 * anything unusual (and for its error message). */
static json_t *parse_page(const osmdiag__buf *b, const char *kind, json_error_t *je, int *trimmed)
{
	json_t *doc = osmdiag__trim_parse_list(b->ptr ? b->ptr : "", b->len, kind);

	*trimmed = doc != NULL;
	if (!doc)
		doc = json_loadb(b->ptr ? b->ptr : "", b->len, 0, je);
	else
		je->text[0] = '\0';
	return doc;
}

/*
 * Where the continue token of a page sits, found without parsing it: the
 * list's "metadata" member, first (kube-apiserver) or last (sorted keys), with
 * "continue" inside. A guess, checked against the parsed page; NULL if none.
 */
static char *quick_continue(const osmdiag__buf *b)
{
	static const char key[] = "\"continue\":\"";
	const char *p = b->ptr, *end = b->ptr + b->len, *hit = NULL;
	size_t win = 4096;

	if (!p || b->len < sizeof(key))
		return NULL;
	/* after the last "metadata" key in the tail, else in the head */
	for (const char *q = b->len > win ? end - win : p; q && q < end;) {
		const char *m = memmem(q, (size_t)(end - q), "\"metadata\":{", 12);
		if (!m)
			break;
		hit = memmem(m, (size_t)(end - m), key, sizeof(key) - 1);
		q = m + 12;
	}
	if (!hit) {
		const char *m = memmem(p, b->len < win ? b->len : win, "\"metadata\":{", 12);
		const char *items = memmem(p, b->len < win ? b->len : win, "\"items\":", 8);
		if (m && (!items || m < items))
			hit = memmem(m, (size_t)(end - m) < win ? (size_t)(end - m) : win, key, sizeof(key) - 1);
	}
	if (!hit)
		return NULL;
	hit += sizeof(key) - 1;
	const char *q = hit;
	while (q < end && *q != '"' && *q != '\\')
		q++;
	if (q >= end || *q != '"' || q == hit)
		return NULL;
	return osmdiag__strndup(hit, (size_t)(q - hit));
}

/* A page arrived with 2xx: absorb it, go on to the next page or finish. */
static void xfer_page(xfer *x, double deadline, int status)
{
	json_error_t je;
	int trimmed;
	json_t *doc = parse_page(&x->body, x->l->kind, &je, &trimmed);
	char msg[300];

	if (!doc || !json_is_object(doc)) {
		json_decref(doc);
		snprintf(msg, sizeof(msg), "the response body is not a complete JSON object (%s)", je.text);
		xfer_retry(x, backoff(x), deadline, OSMDIAG_EPARSE, status, msg);
		return;
	}
	if (absorb_items(x, doc, status, trimmed) < 0) {
		json_decref(doc);
		return;
	}
	json_t *cont = json_object_get(json_object_get(doc, "metadata"), "continue");
	free(x->cont);
	x->cont = NULL;
	x->attempts = 0;
	if (json_is_string(cont) && *json_string_value(cont) && !x->nolimit) {
		x->cont = osmdiag__strdup(json_string_value(cont));
		json_decref(doc);
		if (!x->cont) {
			xfer_fail(x, OSMDIAG_ENOMEM, 0, "out of memory");
			return;
		}
		x->not_before = 0;
		x->state = X_WAIT;
		return;
	}
	json_decref(doc);
	x->l->items = x->acc;
	x->acc = NULL;
	x->l->code = OSMDIAG_OK;
	x->l->http_status = status;
	x->state = X_DONE;
}

/*
 * Parses a page kept aside while its successor is being fetched. When its
 * continue token is the one that successor was asked with, its items join the
 * list and the successor goes on; otherwise (a wrong guess, a bad page) the
 * successor is dropped and the page is handled as if it had just arrived.
 */
static void parse_pending(osmdiag__http *h, xfer *x, double deadline)
{
	json_error_t je;
	int trimmed;
	json_t *doc = parse_page(&x->pending, x->l->kind, &je, &trimmed);
	const char *cont = json_string_value(json_object_get(json_object_get(doc, "metadata"), "continue"));
	json_t *items = json_object_get(doc, "items");

	if (json_is_object(doc) && cont && x->cont && strcmp(cont, x->cont) == 0 &&
	    (!items || json_is_null(items) || json_is_array(items))) {
		if (absorb_items(x, doc, x->pending_status, trimmed) < 0)
			xfer_stop(h, x); /* failed: the list is over */
		json_decref(doc);
		x->has_pending = 0;
		x->pending.len = 0;
		free(x->pending_cont);
		x->pending_cont = NULL;
		return;
	}
	json_decref(doc);
	xfer_stop(h, x);
	osmdiag__buf t = x->body;
	x->body = x->pending;
	x->pending = t;
	x->has_pending = 0;
	x->pending.len = 0;
	free(x->cont);
	x->cont = x->pending_cont;
	x->pending_cont = NULL;
	x->state = X_WAIT;
	xfer_page(x, deadline, x->pending_status);
}

/* Handles a finished transfer. Returns a fatal code (EAUTH) or 0. */
static int xfer_done(osmdiag__http *h, xfer *x, CURLcode res, double deadline, char *errbuf, size_t errlen)
{
	long status = 0;
	char smsg[420], msg[600];
	const char *server = h->cfg->server;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	xfer_stop(h, x);
	x->state = X_WAIT;
	if (res != CURLE_OK) {
		const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(res);
		if (x->too_large) {
			xfer_fail(x, OSMDIAG_EHTTP, (int)status, "%s: the response is larger than %zu MiB", x->l->what,
				OSMDIAG__HTTP_MAX_BODY >> 20);
		} else if (res == CURLE_OPERATION_TIMEDOUT) {
			/* headers without a complete body do not count as an answer */
			xfer_fail(x, OSMDIAG_ETIMEOUT, (int)status, "%s: timed out (%s)", x->l->what, detail);
		} else if (is_retryable(res, detail)) {
			snprintf(msg, sizeof(msg), "connection to %s failed: %s", server, detail);
			xfer_retry(x, backoff(x), deadline, OSMDIAG_ENET, (int)status, msg);
		} else if (is_tls_error(res)) {
			xfer_fail(x, OSMDIAG_ETLS, 0, "TLS with %s failed: %s%s", server, detail,
				res == CURLE_PEER_FAILED_VERIFICATION
				? " (check the kubeconfig's certificate-authority(-data) and tls-server-name)" : "");
		} else if (res == CURLE_COULDNT_CONNECT || res == CURLE_COULDNT_RESOLVE_HOST ||
			   res == CURLE_COULDNT_RESOLVE_PROXY) {
			xfer_fail(x, OSMDIAG_ENET, 0, "cannot reach %s: %s", server, detail);
		} else {
			xfer_fail(x, OSMDIAG_ENET, (int)status, "%s at %s failed: %s", x->l->what, server, detail);
		}
		return 0;
	}
	x->l->answered = 1;
	x->l->http_status = (int)status;
	if (status >= 200 && status < 300) {
		char *next = x->nolimit ? NULL : quick_continue(&x->body);

		if (next) {
			/* Ask for the next page first and parse this one while the
			 * server prepares it (parse_pending, checked there). */
			osmdiag__buf t = x->pending;
			x->pending = x->body;
			x->body = t;
			x->has_pending = 1;
			xfer_reset_body(x);
			x->pending_status = (int)status;
			free(x->pending_cont);
			x->pending_cont = x->cont;
			x->cont = next;
			x->attempts = 0;
			x->not_before = 0;
			x->state = X_WAIT;
			return 0;
		}
		xfer_page(x, deadline, (int)status);
		return 0;
	}
	status_message(x, smsg, sizeof(smsg));
	switch (status) {
	case 401:
		if (!x->auth_retried && osmdiag__auth_invalidate(h->auth, x->cred_gen)) {
			x->auth_retried = 1;
			x->not_before = 0;
			x->state = X_WAIT;
			return 0;
		}
		xfer_fail(x, OSMDIAG_EAUTH, 401, "%s: the server refused the credentials (401 Unauthorized)%s%s",
			x->l->what, *smsg ? ": " : "", smsg);
		snprintf(errbuf, errlen, "%s refused the credentials of %s%s%s (401 Unauthorized)%s%s", server,
			h->cfg->in_cluster ? "the service account" : "user \"",
			h->cfg->in_cluster ? "" : (h->cfg->user ? h->cfg->user : ""),
			h->cfg->in_cluster ? "" : "\"", *smsg ? ": " : "", smsg);
		return OSMDIAG_EAUTH;
	case 403:
		xfer_fail(x, OSMDIAG_EFORBIDDEN, 403, "forbidden: %s%s%s", x->l->what, *smsg ? ": " : "", smsg);
		return 0;
	case 404:
		if (x->alt == 0 && x->l->paths[1] && !x->acc) {
			x->alt = 1;
			x->attempts = 0;
			x->not_before = 0;
			return 0;
		}
		/* the resource type is not served: no such objects */
		json_decref(x->acc);
		x->acc = NULL;
		xfer_reset_items(x);
		x->l->items = json_array();
		x->l->code = x->l->items ? OSMDIAG_OK : OSMDIAG_ENOMEM;
		x->state = X_DONE;
		return 0;
	case 410:
		if (x->restarts < MAX_410_RESTARTS) {
			/* the continue token expired: list again from the start */
			x->restarts++;
			if (x->restarts >= 2)
				x->nolimit = 1;
			json_decref(x->acc);
			x->acc = NULL;
			xfer_reset_items(x);
			free(x->cont);
			x->cont = NULL;
			x->attempts = 0;
			x->not_before = 0;
			return 0;
		}
		xfer_fail(x, OSMDIAG_EHTTP, 410, "%s: the list kept expiring (410 Gone)%s%s", x->l->what,
			*smsg ? ": " : "", smsg);
		return 0;
	case 429:
	case 500:
	case 502:
	case 503:
	case 504: {
		double d = backoff(x);
		if (x->retry_after >= 0) {
			long secs = x->retry_after > RETRY_AFTER_CAP_S ? RETRY_AFTER_CAP_S : x->retry_after;
			double ra = (double)secs * 1000.0;
			d = status == 429 ? ra : (ra > d ? ra : d);
		}
		snprintf(msg, sizeof(msg), "the server answered %ld%s%s", status, *smsg ? ": " : "", smsg);
		xfer_retry(x, d, deadline, OSMDIAG_EHTTP, (int)status, msg);
		return 0;
	}
	default:
		xfer_fail(x, OSMDIAG_EHTTP, (int)status, "%s: the server answered %ld%s%s", x->l->what, status,
			*smsg ? ": " : "", smsg);
		return 0;
	}
}

/* ---- the batch -------------------------------------------------------------------- */

int osmdiag__http_run(osmdiag__http *h, osmdiag__http_list *lists, size_t n, int max_conc, long timeout_ms,
	atomic_int *cancel, size_t *requests, char *errbuf, size_t errlen)
{
	double t0 = osmdiag__now_ms();
	double deadline = timeout_ms > 0 ? t0 + (double)timeout_ms : 0;
	xfer *xs = calloc(n ? n : 1, sizeof(*xs));
	int fatal = 0;

	errbuf[0] = '\0';
	if (!xs) {
		snprintf(errbuf, errlen, "out of memory");
		return OSMDIAG_ENOMEM;
	}
	if (max_conc < 1)
		max_conc = 1;
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)max_conc);
	curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)max_conc);
	if (!h->blobs_ok && (h->cfg->ca || h->cfg->cert || h->cfg->exec)) {
		free(xs);
		snprintf(errbuf, errlen, "this libcurl's TLS backend (%s) cannot take certificates from memory; "
			"osmdiag needs libcurl built with OpenSSL", curl_version_info(CURLVERSION_NOW)->ssl_version);
		return OSMDIAG_ENOTSUPPORTED;
	}
	for (size_t i = 0; i < n; i++) {
		xs[i].l = &lists[i];
		xs[i].state = X_WAIT;
		xs[i].retry_after = -1;
		lists[i].items = NULL;
		lists[i].code = 0;
		lists[i].http_status = 0;
		lists[i].answered = 0;
		lists[i].message = NULL;
		lists[i].consumed = 0;
	}

	for (;;) {
		double now = osmdiag__now_ms();
		size_t active = 0, waiting = 0;
		double next = 0;

		if (deadline > 0 && now >= deadline)
			break;
		if (cancel && atomic_load(cancel)) {
			snprintf(errbuf, errlen, "cancelled");
			fatal = OSMDIAG_ECANCELED;
			break;
		}
		for (size_t i = 0; i < n; i++)
			active += xs[i].state == X_ACTIVE;
		for (size_t i = 0; i < n && !fatal; i++) {
			xfer *x = &xs[i];
			if (x->state != X_WAIT)
				continue;
			if (x->not_before > now || active >= (size_t)max_conc) {
				waiting++;
				if (x->not_before > now && (next == 0 || x->not_before < next))
					next = x->not_before;
				continue;
			}
			osmdiag__cred cred;
			int rc = osmdiag__auth_get(h->auth, deadline, &cred, errbuf, errlen);
			if (rc != OSMDIAG_OK) {
				fatal = rc;
				break;
			}
			if (xfer_start(h, x, &cred, deadline, max_conc) < 0) {
				xfer_stop(h, x);
				snprintf(errbuf, errlen, "out of memory");
				fatal = OSMDIAG_ENOMEM;
				break;
			}
			(*requests)++;
			active++;
		}
		if (fatal || (active == 0 && waiting == 0))
			break;
		int running = 0;
		curl_multi_perform(h->multi, &running);
		/* the next pages are asked for: parse the pages kept aside */
		for (size_t i = 0; i < n; i++)
			if (xs[i].has_pending)
				parse_pending(h, &xs[i], deadline);
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			xfer *x = NULL;
			CURLcode res = m->data.result;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			if (!x)
				continue;
			int rc = xfer_done(h, x, res, deadline, errbuf, errlen);
			if (rc && !fatal)
				fatal = rc;
		}
		if (fatal)
			break;
		/* wait for traffic, the next retry or the deadline */
		now = osmdiag__now_ms();
		double wait = 1000;
		if (next > 0 && next - now < wait)
			wait = next - now;
		if (deadline > 0 && deadline - now < wait)
			wait = deadline - now;
		if (wait < 0)
			wait = 0;
		size_t open_ = 0, act = 0, ready = 0;
		for (size_t i = 0; i < n; i++) {
			open_ += xs[i].state != X_DONE;
			act += xs[i].state == X_ACTIVE;
			ready += xs[i].state == X_WAIT && xs[i].not_before <= now;
		}
		if (open_ == 0)
			break;
		if (ready && act < (size_t)max_conc)
			continue; /* start them right away */
		if (act == 0 && next > now && (next - now) < wait)
			wait = next - now;
		curl_multi_poll(h->multi, NULL, 0, (int)wait + 1, NULL);
	}

	/* whatever is still open ran out of time (or the batch is fatal) */
	double waited = (osmdiag__now_ms() - t0) / 1000.0;
	for (size_t i = 0; i < n; i++) {
		xfer *x = &xs[i];
		if (x->state != X_DONE) {
			xfer_stop(h, x);
			if (fatal)
				xfer_fail(x, fatal, 0, "%s: not run: %s", x->l->what, errbuf);
			else
				xfer_fail(x, OSMDIAG_ETIMEOUT, 0, "%s: timed out after %.1f s%s%s", x->l->what, waited,
					x->last ? "; last error: " : "", x->last ? x->last : "");
		}
		json_decref(x->acc);
		free(x->cont);
		free(x->last);
		osmdiag__buf_free(&x->body);
		osmdiag__buf_free(&x->pending);
		free(x->pending_cont);
	}
	free(xs);
	if (fatal)
		return fatal;
	/* Nothing answered at all: the cluster cannot be reached. */
	int answered = 0;
	for (size_t i = 0; i < n; i++)
		answered |= lists[i].answered;
	if (n > 0 && !answered) {
		snprintf(errbuf, errlen, "%s", lists[0].message ? lists[0].message : "the API server did not answer");
		return lists[0].code ? lists[0].code : OSMDIAG_ENET;
	}
	return OSMDIAG_OK;
}
