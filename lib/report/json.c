/*
 * The JSON report of spec/INTERFACES.md (schemaVersion 1), written by hand so
 * that the key order is stable and documented (docs/report.schema.json).
 *
 * Also home of osmdiag__json_put_str(), the one JSON string escaper of the
 * report layer (sarif.c and catalogue_fmt.c use it).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "osmdiag/check.h"
#include "osmdiag/version.h"
#include "report/report_impl.h"
#include "util/util.h"

/* Length of the valid UTF-8 sequence at `s` (1..4), 0 when invalid (or NUL). */
size_t osmdiag__utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0; /* overlong */
		if (c == 0xed && s[1] >= 0xa0)
			return 0; /* UTF-16 surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xf4 && s[1] >= 0x90)
			return 0; /* above U+10FFFF */
		return 4;
	}
	return 0;
}

/*
 * Writes `s` as a JSON string (with quotes), `null` for NULL. Control
 * characters are escaped; invalid UTF-8 bytes become U+FFFD so the document
 * is always valid JSON.
 */
int osmdiag__json_put_str(osmdiag__buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s)
		return osmdiag__buf_puts(b, "null");
	osmdiag__buf_putc(b, '"');
	while (*p) {
		const unsigned char *run = p;
		size_t n;

		/* copy plain runs in one go */
		while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			osmdiag__buf_put(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		switch (*p) {
		case '"': osmdiag__buf_puts(b, "\\\""); p++; continue;
		case '\\': osmdiag__buf_puts(b, "\\\\"); p++; continue;
		case '\n': osmdiag__buf_puts(b, "\\n"); p++; continue;
		case '\r': osmdiag__buf_puts(b, "\\r"); p++; continue;
		case '\t': osmdiag__buf_puts(b, "\\t"); p++; continue;
		case '\b': osmdiag__buf_puts(b, "\\b"); p++; continue;
		case '\f': osmdiag__buf_puts(b, "\\f"); p++; continue;
		default: break;
		}
		if (*p < 0x20) {
			osmdiag__buf_printf(b, "\\u%04x", (unsigned)*p);
			p++;
			continue;
		}
		n = osmdiag__utf8_seq_len(p);
		if (n == 0) {
			osmdiag__buf_puts(b, "\\ufffd");
			p++;
			continue;
		}
		osmdiag__buf_put(b, (const char *)p, n);
		p += n;
	}
	osmdiag__buf_putc(b, '"');
	return b->oom ? OSMDIAG_ENOMEM : OSMDIAG_OK;
}

/* A JSON number: integers without a fraction, else 3 decimals; never NaN/inf. */
int osmdiag__json_put_num(osmdiag__buf *b, double v)
{
	if (!isfinite(v))
		v = 0;
	if (v > -1e15 && v < 1e15 && (double)(long long)v == v)
		return osmdiag__buf_printf(b, "%lld", (long long)v);
	return osmdiag__buf_printf(b, "%.3f", v);
}

static void put_key(osmdiag__buf *b, const char *key)
{
	osmdiag__json_put_str(b, key);
	osmdiag__buf_putc(b, ':');
}

static void put_mesh(osmdiag__buf *b, const struct osmdiag_report *rep)
{
	if (!rep->mesh_name && !rep->mesh_namespace) {
		osmdiag__buf_puts(b, "null");
		return;
	}
	osmdiag__buf_putc(b, '{');
	put_key(b, "name");
	osmdiag__json_put_str(b, rep->mesh_name);
	osmdiag__buf_putc(b, ',');
	put_key(b, "namespace");
	osmdiag__json_put_str(b, rep->mesh_namespace);
	osmdiag__buf_putc(b, ',');
	put_key(b, "version");
	osmdiag__json_put_str(b, rep->mesh_version);
	osmdiag__buf_putc(b, ',');
	put_key(b, "profile");
	osmdiag__json_put_str(b, rep->mesh_profile);
	osmdiag__buf_putc(b, '}');
}

static void put_result(osmdiag__buf *b, const struct osmdiag_result *r)
{
	osmdiag__buf_puts(b, "{");
	put_key(b, "id");
	osmdiag__json_put_str(b, r->id ? r->id : "");
	osmdiag__buf_putc(b, ',');
	put_key(b, "category");
	osmdiag__json_put_str(b, r->category ? r->category : "");
	osmdiag__buf_putc(b, ',');
	put_key(b, "title");
	osmdiag__json_put_str(b, r->title ? r->title : "");
	osmdiag__buf_putc(b, ',');
	put_key(b, "status");
	osmdiag__json_put_str(b, osmdiag_status_name(r->status));
	osmdiag__buf_putc(b, ',');
	put_key(b, "message");
	osmdiag__json_put_str(b, r->message ? r->message : "");
	osmdiag__buf_putc(b, ',');
	put_key(b, "resource");
	if (r->res_kind || r->res_name) {
		osmdiag__buf_putc(b, '{');
		put_key(b, "kind");
		osmdiag__json_put_str(b, r->res_kind ? r->res_kind : "");
		osmdiag__buf_putc(b, ',');
		put_key(b, "namespace");
		osmdiag__json_put_str(b, r->res_namespace && *r->res_namespace ? r->res_namespace : NULL);
		osmdiag__buf_putc(b, ',');
		put_key(b, "name");
		osmdiag__json_put_str(b, r->res_name ? r->res_name : "");
		osmdiag__buf_putc(b, '}');
	} else {
		osmdiag__buf_puts(b, "null");
	}
	osmdiag__buf_putc(b, ',');
	put_key(b, "hint");
	osmdiag__json_put_str(b, r->hint);
	osmdiag__buf_putc(b, ',');
	put_key(b, "remediation");
	osmdiag__json_put_str(b, r->remediation);
	osmdiag__buf_putc(b, ',');
	put_key(b, "docs");
	osmdiag__json_put_str(b, r->docs ? r->docs : "docs/checks.md");
	osmdiag__buf_putc(b, ',');
	put_key(b, "durationMs");
	osmdiag__json_put_num(b, r->duration_ms);
	osmdiag__buf_putc(b, '}');
}

int osmdiag_report_to_json(const osmdiag_report *rep, char **out)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	size_t counts[6] = { 0 };
	int st;

	if (!out)
		return OSMDIAG_EINVAL;
	*out = NULL;
	if (!rep)
		return OSMDIAG_EINVAL;
	for (size_t i = 0; i < rep->n; i++)
		if (rep->results[i].status >= OSMDIAG_STATUS_PASS && rep->results[i].status <= OSMDIAG_STATUS_ERROR)
			counts[rep->results[i].status]++;

	osmdiag__buf_puts(&b, "{\n  \"schemaVersion\": 1,\n  \"tool\": {\"name\": \"osmdiag\", \"version\": ");
	osmdiag__json_put_str(&b, OSMDIAG_VERSION);
	osmdiag__buf_puts(&b, "},\n  \"source\": {\"kind\": ");
	osmdiag__json_put_str(&b, rep->source_kind ? rep->source_kind : "snapshot");
	osmdiag__buf_puts(&b, ", \"description\": ");
	osmdiag__json_put_str(&b, rep->source_desc ? rep->source_desc : "");
	osmdiag__buf_puts(&b, "},\n  \"mesh\": ");
	put_mesh(&b, rep);
	osmdiag__buf_puts(&b, ",\n  \"failOn\": ");
	osmdiag__json_put_str(&b, osmdiag_status_name(rep->fail_on == OSMDIAG_STATUS_WARN
		? OSMDIAG_STATUS_WARN : OSMDIAG_STATUS_FAIL));
	osmdiag__buf_puts(&b, ",\n  \"durationMs\": ");
	osmdiag__json_put_num(&b, rep->duration_ms);
	osmdiag__buf_puts(&b, ",\n  \"summary\": {");
	for (st = OSMDIAG_STATUS_PASS; st <= OSMDIAG_STATUS_ERROR; st++)
		osmdiag__buf_printf(&b, "%s\"%s\": %zu", st ? ", " : "", osmdiag_status_name(st), counts[st]);
	osmdiag__buf_puts(&b, "},\n  \"results\": [");
	for (size_t i = 0; i < rep->n; i++) {
		osmdiag__buf_puts(&b, i ? ",\n    " : "\n    ");
		put_result(&b, &rep->results[i]);
	}
	osmdiag__buf_puts(&b, rep->n ? "\n  ]\n}\n" : "]\n}\n");

	if (b.oom) {
		osmdiag__buf_free(&b);
		return OSMDIAG_ENOMEM;
	}
	*out = osmdiag__buf_detach(&b);
	return *out ? OSMDIAG_OK : OSMDIAG_ENOMEM;
}
