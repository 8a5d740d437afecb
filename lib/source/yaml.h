/*
 * YAML text -> jansson values, one per document, with the YAML 1.2 core
 * schema for plain scalars. Internal.
 */
#ifndef OSMDIAG_SOURCE_YAML_H
#define OSMDIAG_SOURCE_YAML_H

#include <stddef.h>
#include <jansson.h>

/* Nesting deeper than this is an error (protects the recursive converter). */
#define OSMDIAG__YAML_MAX_DEPTH 256
/* Nodes reachable through aliases, per document: above this floor, at most
 * as many as the document's own nodes (billion-laughs guard). */
#define OSMDIAG__YAML_ALIAS_FLOOR 100000

/*
 * Called for each document in order: `index` counts every document from 1
 * (empty ones too; those are passed as NULL `doc`), `line` is the 1-based line
 * where it starts. `doc` is borrowed. Return 0 to go on, or an osmdiag error
 * code (with the message in errbuf) to stop.
 */
typedef int (*osmdiag__yaml_doc_fn)(json_t *doc, size_t index, size_t line, void *ud,
	char *errbuf, size_t errlen);

/*
 * Parses `len` bytes of YAML. Returns OSMDIAG_OK, the callback's code, or
 * OSMDIAG_EPARSE / OSMDIAG_ENOMEM with errbuf = "LINE:COL: problem" (1-based;
 * the caller prefixes the file name).
 */
int osmdiag__yaml_parse(const char *buf, size_t len, osmdiag__yaml_doc_fn fn, void *ud,
	char *errbuf, size_t errlen);

/*
 * Resolves a plain (untagged, unquoted) scalar with the YAML 1.2 core schema:
 * null/Null/NULL/~/"" -> null, true/True/TRUE/false/... -> boolean, decimal,
 * 0o and 0x integers -> integer (decimal beyond 64 bits -> real), floats
 * (and .inf/.nan, which JSON cannot hold: NULL with *why set) -> real,
 * anything else -> string. New reference, NULL on OOM or *why.
 */
json_t *osmdiag__yaml_resolve_plain(const char *s, size_t len, const char **why);

#endif /* OSMDIAG_SOURCE_YAML_H */
