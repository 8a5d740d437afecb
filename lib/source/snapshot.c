/*
 * The snapshot source: Kubernetes objects read from JSON/YAML files and
 * directories into an object store; fetch answers list requests from it.
 *
 * One add call is all or nothing: objects are first loaded into a scratch
 * store and only moved into the source's store when every file loaded.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/source_impl.h"
#include "source/yaml.h"
#include "store/store.h"
#include "store/trim.h"
#include "util/util.h"

/* Files larger than this are refused. */
#define SNAPSHOT_MAX_FILE ((size_t)512 << 20)
/* Lists inside lists inside ... */
#define SNAPSHOT_MAX_LIST_DEPTH 16
/* Directory recursion (symlinked directories are never followed). */
#define SNAPSHOT_MAX_DIR_DEPTH 64

typedef struct snapshot {
	osmdiag__store *store;
} snapshot;

typedef struct loader {
	osmdiag__store *tmp; /* objects of this add call */
	const char *file;    /* file being read, as named to the user */
	size_t files;        /* snapshot files read */
	size_t values;       /* non-empty documents/values in the current file */
	int code;
	char msg[OSMDIAG_ERROR_MESSAGE_SIZE];
} loader;

static int snapshot_fetch(osmdiag_source *src, osmdiag__fetch *reqs, size_t n, long timeout_ms);
static void snapshot_free(void *impl);

static const osmdiag__source_ops snapshot_ops = {
	"snapshot",
	snapshot_fetch,
	snapshot_free,
};

static int lfail(loader *ld, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int lfail(loader *ld, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ld->msg, sizeof(ld->msg), fmt, ap);
	va_end(ap);
	ld->code = code;
	return code;
}

/* ---- reading ------------------------------------------------------------------- */

static int read_fd(loader *ld, int fd, const char *path, size_t hint, char **out, size_t *outlen)
{
	size_t cap = hint ? hint + 1 : 65536, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return lfail(ld, OSMDIAG_ENOMEM, "%s: out of memory reading the file", path);
	for (;;) {
		if (len == cap) {
			if (cap > SNAPSHOT_MAX_FILE) {
				free(buf);
				return lfail(ld, OSMDIAG_EPARSE, "%s: file is larger than %zu MiB; refusing to read it",
					path, SNAPSHOT_MAX_FILE >> 20);
			}
			size_t ncap = cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				return lfail(ld, OSMDIAG_ENOMEM, "%s: out of memory reading the file", path);
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			return lfail(ld, OSMDIAG_ERROR, "%s: cannot read: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > SNAPSHOT_MAX_FILE) {
		free(buf);
		return lfail(ld, OSMDIAG_EPARSE, "%s: file is larger than %zu MiB; refusing to read it",
			path, SNAPSHOT_MAX_FILE >> 20);
	}
	*out = buf;
	*outlen = len;
	return 0;
}

static int read_file(loader *ld, const char *path, char **out, size_t *outlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENOTDIR)
			return lfail(ld, OSMDIAG_ENOTFOUND, "%s: no such file or directory", path);
		return lfail(ld, OSMDIAG_ERROR, "%s: cannot open: %s", path, strerror(e));
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return lfail(ld, OSMDIAG_ERROR, "%s: cannot stat: %s", path, strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return lfail(ld, OSMDIAG_EINVAL, "%s: is a directory", path);
	}
	size_t hint = 0;
	if (S_ISREG(st.st_mode)) {
		if ((uintmax_t)st.st_size > (uintmax_t)SNAPSHOT_MAX_FILE) {
			close(fd);
			return lfail(ld, OSMDIAG_EPARSE, "%s: file is larger than %zu MiB (%jd bytes); refusing to "
				"read it", path, SNAPSHOT_MAX_FILE >> 20, (intmax_t)st.st_size);
		}
		hint = (size_t)st.st_size;
	}
	int rc = read_fd(ld, fd, path, hint, out, outlen);
	close(fd);
	return rc;
}

/* 1-based line and column of byte `off`. */
static void line_col(const char *buf, size_t off, size_t *line, size_t *col)
{
	size_t l = 1, start = 0;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			l++;
			start = i + 1;
		}
	}
	*line = l;
	*col = off - start + 1;
}

/* Offset of the first invalid UTF-8 sequence, or SIZE_MAX. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned int cp;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + n >= len)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return SIZE_MAX;
}

/* Refuses binary and non-UTF-8 content with a message naming the spot. */
static int check_text(loader *ld, const char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)buf;
	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
		return lfail(ld, OSMDIAG_EPARSE, "%s: the file is UTF-16 encoded; save it as UTF-8 (in "
			"PowerShell: ... | Out-File -Encoding utf8)", ld->file);
	const char *nul = memchr(buf, '\0', len);
	size_t line, col;
	if (nul) {
		line_col(buf, (size_t)(nul - buf), &line, &col);
		return lfail(ld, OSMDIAG_EPARSE, "%s:%zu:%zu: not a text file (NUL byte)", ld->file, line, col);
	}
	size_t bad = utf8_invalid_at(u, len);
	if (bad != SIZE_MAX) {
		line_col(buf, bad, &line, &col);
		return lfail(ld, OSMDIAG_EPARSE, "%s:%zu:%zu: not a text file (invalid UTF-8 byte 0x%02x)",
			ld->file, line, col, u[bad]);
	}
	return 0;
}

/* ---- objects --------------------------------------------------------------------- */

static int ends_with_list(const char *kind)
{
	size_t n = strlen(kind);
	return n >= 4 && strcmp(kind + n - 4, "List") == 0;
}

static int collect(loader *ld, json_t *v, const char *where, int depth);

static int wfail(loader *ld, const char *where, const char *what)
{
	return lfail(ld, OSMDIAG_EPARSE, "%s: %s%s%s", ld->file, where, *where ? ": " : "", what);
}

static int collect_list(loader *ld, json_t *list, const char *kind, json_t *items, const char *where,
	int depth)
{
	char msg[256];
	if (!items || json_is_null(items))
		return 0; /* an empty list */
	if (!json_is_array(items)) {
		snprintf(msg, sizeof(msg), "items of %s is %s, expected an array", kind,
			osmdiag__json_type_name(items));
		return wfail(ld, where, msg);
	}
	if (depth >= SNAPSHOT_MAX_LIST_DEPTH) {
		snprintf(msg, sizeof(msg), "lists nested more than %d deep", SNAPSHOT_MAX_LIST_DEPTH);
		return wfail(ld, where, msg);
	}
	/* items without a kind: PodList -> Pod, with the list's apiVersion */
	char item_kind[256] = "";
	if (strcmp(kind, "List") != 0 && strlen(kind) - 4 < sizeof(item_kind))
		snprintf(item_kind, sizeof(item_kind), "%.*s", (int)(strlen(kind) - 4), kind);
	json_t *api = json_object_get(list, "apiVersion");
	size_t i;
	json_t *item;
	char sub[OSMDIAG_ERROR_MESSAGE_SIZE];
	json_array_foreach(items, i, item) {
		snprintf(sub, sizeof(sub), "%s%sobject #%zu in items of %s", where, *where ? ": " : "", i + 1,
			kind);
		if (json_is_object(item) && item_kind[0] && !json_object_get(item, "kind")) {
			if (json_object_set_new(item, "kind", json_string(item_kind)) != 0)
				return lfail(ld, OSMDIAG_ENOMEM, "%s: out of memory", ld->file);
			if (json_is_string(api) && !json_object_get(item, "apiVersion") &&
			    json_object_set(item, "apiVersion", api) != 0)
				return lfail(ld, OSMDIAG_ENOMEM, "%s: out of memory", ld->file);
		}
		int rc = collect(ld, item, sub, depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

/* Adds one top-level value (object or list) to the scratch store. */
static int collect(loader *ld, json_t *v, const char *where, int depth)
{
	char msg[OSMDIAG_ERROR_MESSAGE_SIZE];
	if (!json_is_object(v)) {
		snprintf(msg, sizeof(msg), "expected an object, found %s", osmdiag__json_type_name(v));
		return wfail(ld, where, msg);
	}
	json_t *kind = json_object_get(v, "kind");
	if (json_is_string(kind)) {
		const char *k = json_string_value(kind);
		json_t *items = json_object_get(v, "items");
		if (strcmp(k, "List") == 0) {
			if (!items)
				return wfail(ld, where, "List has no \"items\"");
			return collect_list(ld, v, k, items, where, depth);
		}
		if (ends_with_list(k) && items)
			return collect_list(ld, v, k, items, where, depth);
	}
	if (osmdiag__store_add(ld->tmp, json_incref(v), msg, sizeof(msg)) != 0) {
		if (strcmp(msg, "out of memory") == 0)
			return lfail(ld, OSMDIAG_ENOMEM, "%s: out of memory", ld->file);
		return wfail(ld, where, msg);
	}
	return 0;
}

/* A document or JSON value: an object, a list, or an array of them. */
static int collect_top(loader *ld, json_t *v, const char *where)
{
	if (!json_is_array(v))
		return collect(ld, v, where, 0);
	size_t i;
	json_t *e;
	char sub[OSMDIAG_ERROR_MESSAGE_SIZE];
	json_array_foreach(v, i, e) {
		snprintf(sub, sizeof(sub), "%s%selement #%zu of the top-level array", where, *where ? ": " : "",
			i + 1);
		int rc = collect(ld, e, sub, 0);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- formats ---------------------------------------------------------------------- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int load_json(loader *ld, const char *buf, size_t len, size_t off)
{
	/* A file may hold several JSON values one after the other (a "stream",
	 * e.g. the output of several `kubectl get -o json` runs). */
	size_t line = 1, line_start = 0, scanned = 0;
	size_t index = 0;
	for (;;) {
		while (off < len && is_blank(buf[off]))
			off++;
		if (off >= len)
			break;
		for (; scanned < off; scanned++) {
			if (buf[scanned] == '\n') {
				line++;
				line_start = scanned + 1;
			}
		}
		json_error_t je;
		size_t used = 0;
		/* straight into trimmed objects (store/trim.c); jansson for anything
		 * unusual and for the error messages */
		json_t *v = osmdiag__trim_parse_value(buf + off, len - off, &used);
		if (v)
			je.position = (int)used;
		else
			v = json_loadb(buf + off, len - off, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &je);
		if (!v) {
			size_t el = line + (je.line > 0 ? (size_t)je.line - 1 : 0);
			size_t ec = je.line <= 1 ? off - line_start + (je.column > 0 ? (size_t)je.column : 1)
				: (size_t)(je.column > 0 ? je.column : 1);
			return lfail(ld, OSMDIAG_EPARSE, "%s:%zu:%zu: invalid JSON: %s", ld->file, el, ec, je.text);
		}
		index++;
		size_t end = off + (size_t)je.position;
		size_t rest = end;
		while (rest < len && is_blank(buf[rest]))
			rest++;
		char where[64] = "";
		if (index > 1 || rest < len)
			snprintf(where, sizeof(where), "value %zu (line %zu)", index, line);
		ld->values++;
		int rc = collect_top(ld, v, where);
		json_decref(v);
		if (rc)
			return rc;
		off = end;
	}
	return 0;
}

static int yaml_doc(json_t *doc, size_t index, size_t line, void *ud, char *errbuf, size_t errlen)
{
	loader *ld = ud;
	(void)errbuf;
	(void)errlen;
	if (!doc)
		return 0; /* empty document */
	char where[64];
	snprintf(where, sizeof(where), "document %zu (line %zu)", index, line);
	ld->values++;
	return collect_top(ld, doc, where);
}

static int load_yaml(loader *ld, const char *buf, size_t len)
{
	char err[OSMDIAG_ERROR_MESSAGE_SIZE - 64];
	ld->code = 0;
	int rc = osmdiag__yaml_parse(buf, len, yaml_doc, ld, err, sizeof(err));
	if (rc == 0 || ld->code)
		return rc; /* ok, or the message is already on the loader */
	if (rc == OSMDIAG_ENOMEM)
		return lfail(ld, rc, "%s: out of memory", ld->file);
	return lfail(ld, rc, "%s:%s", ld->file, err);
}

static int load_file(loader *ld, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	ld->file = path;
	ld->values = 0;
	int rc = read_file(ld, path, &buf, &len);
	if (rc)
		return rc;
	ld->files++;
	size_t off = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		off = 3; /* UTF-8 byte order mark */
	rc = check_text(ld, buf, len);
	if (rc == 0) {
		size_t p = off;
		while (p < len && is_blank(buf[p]))
			p++;
		if (p == len)
			rc = 0; /* only blanks: "no objects" below */
		else if (buf[p] == '{' || buf[p] == '[')
			rc = load_json(ld, buf, len, off);
		else
			rc = load_yaml(ld, buf + off, len - off);
	}
	if (rc == 0 && ld->values == 0)
		rc = lfail(ld, OSMDIAG_EPARSE, "%s: no objects (the file is empty or holds only comments)", path);
	/* Secrets may have passed through this buffer: wipe it. */
	explicit_bzero(buf, len);
	free(buf);
	return rc;
}

/* ---- directories ------------------------------------------------------------------- */

static int is_snapshot_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcasecmp(name + n - 5, ".json") == 0) ||
	       (n > 5 && strcasecmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcasecmp(name + n - 4, ".yml") == 0);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	int slash = dl > 0 && dir[dl - 1] == '/';
	char *p = malloc(dl + nl + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	if (!slash)
		p[dl++] = '/';
	memcpy(p + dl, name, nl + 1);
	return p;
}

static int load_dir(loader *ld, const char *dir, int depth)
{
	if (depth > SNAPSHOT_MAX_DIR_DEPTH)
		return lfail(ld, OSMDIAG_EINVAL, "%s: directories nested more than %d deep", dir,
			SNAPSHOT_MAX_DIR_DEPTH);
	DIR *d = opendir(dir);
	if (!d)
		return lfail(ld, errno == ENOENT ? OSMDIAG_ENOTFOUND : OSMDIAG_ERROR, "%s: cannot open "
			"directory: %s", dir, strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue; /* hidden entries, "." and ".." */
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			char **nn = realloc(names, ncap * sizeof(*nn));
			if (!nn) {
				rc = lfail(ld, OSMDIAG_ENOMEM, "%s: out of memory", dir);
				break;
			}
			names = nn;
			cap = ncap;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = lfail(ld, OSMDIAG_ENOMEM, "%s: out of memory", dir);
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == 0)
		if (n > 1)
			qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *child = join_path(dir, names[i]);
		if (!child) {
			rc = lfail(ld, OSMDIAG_ENOMEM, "%s: out of memory", dir);
			break;
		}
		struct stat st;
		if (lstat(child, &st) != 0) {
			rc = lfail(ld, OSMDIAG_ERROR, "%s: cannot stat: %s", child, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = load_dir(ld, child, depth + 1);
		} else if (is_snapshot_name(names[i])) {
			if (S_ISLNK(st.st_mode)) {
				struct stat tst;
				if (stat(child, &tst) != 0)
					rc = lfail(ld, OSMDIAG_ENOTFOUND, "%s: broken symbolic link", child);
				else if (S_ISREG(tst.st_mode))
					rc = load_file(ld, child);
				/* a symlink to a directory: not followed (no loops) */
			} else if (S_ISREG(st.st_mode)) {
				rc = load_file(ld, child);
			}
		}
		free(child);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int load_path(loader *ld, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		int e = errno;
		if (e == ENOENT || e == ENOTDIR)
			return lfail(ld, OSMDIAG_ENOTFOUND, "%s: no such file or directory", path);
		return lfail(ld, OSMDIAG_ERROR, "%s: cannot stat: %s", path, strerror(e));
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(ld, path); /* a named file is read whatever its extension */
	int rc = load_dir(ld, path, 0);
	if (rc == 0 && ld->files == 0)
		rc = lfail(ld, OSMDIAG_ENOTFOUND, "%s: no snapshot files (*.json, *.yaml, *.yml) in this "
			"directory", path);
	return rc;
}

/* ---- the source ---------------------------------------------------------------------- */

static void snapshot_free(void *impl)
{
	snapshot *s = impl;
	if (!s)
		return;
	osmdiag__store_free(s->store);
	free(s);
}

osmdiag_source *osmdiag_source_new_snapshot(osmdiag_error *err)
{
	snapshot *s = calloc(1, sizeof(*s));
	if (s)
		s->store = osmdiag__store_new();
	osmdiag_source *src = s && s->store ? osmdiag__source_new(&snapshot_ops, s) : NULL;
	if (!src) {
		snapshot_free(s);
		if (err) {
			err->code = OSMDIAG_ENOMEM;
			err->http_status = 0;
			snprintf(err->message, sizeof(err->message), "out of memory creating a snapshot source");
		}
		return NULL;
	}
	if (err) {
		err->code = 0;
		err->http_status = 0;
		err->message[0] = '\0';
	}
	return src;
}

osmdiag__store *osmdiag__snapshot_store(osmdiag_source *src)
{
	if (!src || src->ops != &snapshot_ops || !src->impl)
		return NULL;
	return ((snapshot *)src->impl)->store;
}

static int move_obj(json_t *obj, void *ud)
{
	return osmdiag__store_add(ud, json_incref(obj), NULL, 0) != 0;
}

/* The report header names the snapshot paths: "snapshot a.json, dir/". */
static int describe_add(osmdiag_source *src, const char *path)
{
	char *desc = src->description ? osmdiag__asprintf("%s, %s", src->description, path)
				      : osmdiag__asprintf("snapshot %s", path);

	if (!desc)
		return -1;
	free(src->description);
	src->description = desc;
	return 0;
}

int osmdiag_source_add_snapshot(osmdiag_source *src, const char *path)
{
	if (!src)
		return OSMDIAG_EINVAL;
	osmdiag__source_clear_error(src);
	snapshot *s = src->ops == &snapshot_ops ? src->impl : NULL;
	if (!s)
		return osmdiag__source_set_error(src, OSMDIAG_ENOTSUPPORTED,
			"add_snapshot: this is a %s source, not a snapshot source", osmdiag_source_kind(src));
	if (!path || !*path)
		return osmdiag__source_set_error(src, OSMDIAG_EINVAL, "add_snapshot: no path given");
	loader ld;
	memset(&ld, 0, sizeof(ld));
	ld.tmp = osmdiag__store_new();
	if (!ld.tmp)
		return osmdiag__source_set_error(src, OSMDIAG_ENOMEM, "out of memory");
	int rc = load_path(&ld, path);
	if (rc != 0) {
		osmdiag__store_free(ld.tmp);
		return osmdiag__source_set_error(src, rc, "%s", ld.msg);
	}
	if (describe_add(src, path) < 0) {
		osmdiag__store_free(ld.tmp);
		return osmdiag__source_set_error(src, OSMDIAG_ENOMEM, "out of memory");
	}
	if (osmdiag__store_count(s->store) == 0) {
		osmdiag__store_free(s->store);
		s->store = ld.tmp;
		return OSMDIAG_OK;
	}
	/* Later adds win over earlier ones, object by object. Only OOM can fail
	 * here (the objects were validated), which may leave part of this add. */
	rc = osmdiag__store_foreach(ld.tmp, move_obj, s->store);
	osmdiag__store_free(ld.tmp);
	if (rc)
		return osmdiag__source_set_error(src, OSMDIAG_ENOMEM, "%s: out of memory", path);
	return OSMDIAG_OK;
}

static int snapshot_fetch(osmdiag_source *src, osmdiag__fetch *reqs, size_t n, long timeout_ms)
{
	(void)timeout_ms;
	osmdiag__store *st = osmdiag__snapshot_store(src);
	if (!st)
		return osmdiag__source_set_error(src, OSMDIAG_EINVAL, "not a snapshot source");
	for (size_t i = 0; i < n; i++) {
		osmdiag__fetch *r = &reqs[i];
		if (!r->kind || !*r->kind) {
			r->code = OSMDIAG_EINVAL;
			r->message = strdup("list request without a kind");
			continue;
		}
		osmdiag__selector *sel = NULL;
		if (r->selector && *r->selector) {
			char err[400];
			sel = osmdiag__selector_parse(r->selector, err, sizeof(err));
			if (!sel) {
				r->code = OSMDIAG_EINVAL;
				size_t need = strlen(r->selector) + strlen(err) + 64;
				r->message = malloc(need);
				if (r->message)
					snprintf(r->message, need, "list %s: invalid label selector \"%s\": %s", r->kind,
						r->selector, err);
				continue;
			}
		}
		r->items = osmdiag__store_list(st, r->kind, r->namespace_, sel);
		osmdiag__selector_free(sel);
		if (!r->items) {
			r->code = OSMDIAG_ENOMEM;
			r->message = strdup("out of memory");
		}
	}
	return OSMDIAG_OK;
}
