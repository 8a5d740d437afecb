/*
 * Store helpers shared with the snapshot loader (not in store/store.h):
 * the object validation osmdiag__store_add applies, and JSON type names for
 * messages. Internal.
 */
#ifndef OSMDIAG_STORE_EXT_H
#define OSMDIAG_STORE_EXT_H

#include <stddef.h>
#include <jansson.h>

#include "store/store.h"

/*
 * The rules osmdiag__store_add enforces: a JSON object with a non-empty string
 * `kind`, a `metadata` object, a non-empty string `metadata.name` and, when
 * present, a string `metadata.namespace`. 0, or -1 with a one-line message.
 */
int osmdiag__store_validate(const json_t *obj, char *errbuf, size_t errlen);

/* "an object", "a string", "a number", "a boolean", "null", ... */
const char *osmdiag__json_type_name(const json_t *v);

#endif /* OSMDIAG_STORE_EXT_H */
