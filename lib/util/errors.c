/* Error codes, their names, and the caller error struct. */
#include <stdio.h>
#include <string.h>

#include "util/util.h"

static const struct {
	int code;
	const char *name;
	const char *text;
} errtab[] = {
	{ OSMDIAG_OK, "OSMDIAG_OK", "success" },
	{ OSMDIAG_ERROR, "OSMDIAG_ERROR", "error" },
	{ OSMDIAG_ENOMEM, "OSMDIAG_ENOMEM", "out of memory" },
	{ OSMDIAG_EINVAL, "OSMDIAG_EINVAL", "invalid argument" },
	{ OSMDIAG_ENOTFOUND, "OSMDIAG_ENOTFOUND", "not found" },
	{ OSMDIAG_ECONFIG, "OSMDIAG_ECONFIG", "invalid configuration" },
	{ OSMDIAG_EAUTH, "OSMDIAG_EAUTH", "authentication failed" },
	{ OSMDIAG_ETLS, "OSMDIAG_ETLS", "TLS error" },
	{ OSMDIAG_ENET, "OSMDIAG_ENET", "network error" },
	{ OSMDIAG_ETIMEOUT, "OSMDIAG_ETIMEOUT", "timed out" },
	{ OSMDIAG_EHTTP, "OSMDIAG_EHTTP", "unexpected HTTP status" },
	{ OSMDIAG_EPARSE, "OSMDIAG_EPARSE", "malformed input" },
	{ OSMDIAG_EEXEC, "OSMDIAG_EEXEC", "credential plugin failed" },
	{ OSMDIAG_ENOTSUPPORTED, "OSMDIAG_ENOTSUPPORTED", "not supported" },
	{ OSMDIAG_EFORBIDDEN, "OSMDIAG_EFORBIDDEN", "forbidden" },
	{ OSMDIAG_ECANCELED, "OSMDIAG_ECANCELED", "cancelled" },
};

const char *osmdiag_strerror(int code)
{
	for (size_t i = 0; i < sizeof(errtab) / sizeof(errtab[0]); i++)
		if (errtab[i].code == code)
			return errtab[i].text;
	return "unknown error";
}

const char *osmdiag_err_name(int code)
{
	for (size_t i = 0; i < sizeof(errtab) / sizeof(errtab[0]); i++)
		if (errtab[i].code == code)
			return errtab[i].name;
	return "OSMDIAG_EUNKNOWN";
}

void osmdiag_error_clear(osmdiag_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->http_status = 0;
	err->message[0] = '\0';
}

const char *osmdiag_error_message(const osmdiag_error *err)
{
	return err ? err->message : "";
}

int osmdiag__error_set(osmdiag_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->http_status = 0;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}
