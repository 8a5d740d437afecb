/* Source metadata: description, request counter, concurrency bound. */
#include "source/source_impl.h"

const char *osmdiag_source_description(const osmdiag_source *src)
{
	if (!src)
		return "";
	return src->description ? src->description : osmdiag_source_kind(src);
}

void osmdiag_source_cancel(osmdiag_source *src)
{
	if (src)
		atomic_store(&src->cancelled, 1);
}

size_t osmdiag_source_request_count(const osmdiag_source *src)
{
	return src ? src->requests : 0;
}

int osmdiag_source_set_max_concurrency(osmdiag_source *src, int n)
{
	if (!src)
		return OSMDIAG_EINVAL;
	if (n < 1 || n > 64)
		return osmdiag__source_set_error(src, OSMDIAG_EINVAL, "max concurrency must be 1..64, not %d", n);
	src->max_concurrency = n;
	return OSMDIAG_OK;
}
