/* C++ build of headertest.c: the headers are C++-clean (extern "C", no C-only syntax). */
#include <osmdiag/osmdiag.h>

#if !OSMDIAG_VERSION_CHECK(0, 1, 0)
#error "version macros broken"
#endif

int main(void)
{
	osmdiag_error err;
	int major = -1;

	osmdiag_error_clear(&err);
	osmdiag_version(&major, 0, 0);
	return major == OSMDIAG_VERSION_MAJOR && osmdiag_catalogue_count() > 0 ? 0 : 1;
}
