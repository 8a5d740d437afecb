/*
 * libosmdiag - common declarations shared by every public header.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef OSMDIAG_COMMON_H
#define OSMDIAG_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
#define OSMDIAG_BEGIN_DECL extern "C" {
#define OSMDIAG_END_DECL   }
#else
#define OSMDIAG_BEGIN_DECL
#define OSMDIAG_END_DECL
#endif

/* Exported symbols: the library is built with hidden visibility; only what
 * carries OSMDIAG_API (and is listed in the version script) is public. SWIG
 * sees an empty macro. */
#if defined(SWIG)
#define OSMDIAG_API
#elif defined(__GNUC__) && __GNUC__ >= 4
#define OSMDIAG_API __attribute__((visibility("default")))
#else
#define OSMDIAG_API
#endif

#endif /* OSMDIAG_COMMON_H */
