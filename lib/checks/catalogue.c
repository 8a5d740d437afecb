/*
 * The catalogue: the category tables concatenated in category order, and the
 * public read-only view of it (osmdiag_check_info).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "osmdiag/check.h"
#include "checks/check_impl.h"

/* lib/checks/migration.c: the OSMD8xx rows of `osmdiag migrate` (run == NULL). */
extern const osmdiag__check_def osmdiag__checks_migration[];

static const osmdiag__check_def *const categories[] = {
	osmdiag__checks_control_plane,
	osmdiag__checks_webhooks,
	osmdiag__checks_meshconfig,
	osmdiag__checks_namespaces,
	osmdiag__checks_crds,
	osmdiag__checks_certificates,
	osmdiag__checks_dataplane,
	osmdiag__checks_migration,
};

static const char *const category_names[] = {
	"control-plane", "webhooks", "meshconfig", "namespaces", "crds", "certificates", "dataplane", "migration",
};

#define NCAT (sizeof(categories) / sizeof(categories[0]))

size_t osmdiag__catalogue_size(void)
{
	size_t n = 0;

	for (size_t c = 0; c < NCAT; c++)
		for (const osmdiag__check_def *d = categories[c]; d->id; d++)
			n++;
	return n;
}

const osmdiag__check_def *osmdiag__catalogue_get(size_t i)
{
	for (size_t c = 0; c < NCAT; c++)
		for (const osmdiag__check_def *d = categories[c]; d->id; d++)
			if (i-- == 0)
				return d;
	return NULL;
}

const osmdiag__check_def *osmdiag__catalogue_lookup(const char *id)
{
	if (!id)
		return NULL;
	for (size_t c = 0; c < NCAT; c++)
		for (const osmdiag__check_def *d = categories[c]; d->id; d++)
			if (osmdiag__strcaseeq(d->id, id))
				return d;
	return NULL;
}

int osmdiag__category_known(const char *category)
{
	for (size_t c = 0; c < NCAT; c++)
		if (osmdiag__strcaseeq(category_names[c], category))
			return 1;
	return 0;
}

/* Public view: an osmdiag_check_info is a catalogue row. */
size_t osmdiag_catalogue_count(void)
{
	return osmdiag__catalogue_size();
}

const osmdiag_check_info *osmdiag_catalogue_at(size_t i)
{
	return (const osmdiag_check_info *)osmdiag__catalogue_get(i);
}

const osmdiag_check_info *osmdiag_catalogue_find(const char *id)
{
	return (const osmdiag_check_info *)osmdiag__catalogue_lookup(id);
}

#define INFO_FIELD(fn, member) \
	const char *osmdiag_check_info_##fn(const osmdiag_check_info *c) \
	{ \
		const osmdiag__check_def *d = (const osmdiag__check_def *)c; \
		return d && d->member ? d->member : (d ? "" : NULL); \
	}
INFO_FIELD(id, id)
INFO_FIELD(category, category)
INFO_FIELD(title, title)
INFO_FIELD(expectation, expectation)
INFO_FIELD(why, why)
INFO_FIELD(fix, fix)
INFO_FIELD(guide, guide)
INFO_FIELD(severity, severity)
#undef INFO_FIELD

#define MAX_CHECKS 128
static char anchors[MAX_CHECKS][32];
static pthread_once_t anchors_once = PTHREAD_ONCE_INIT;

static void anchors_init(void)
{
	for (size_t i = 0; i < MAX_CHECKS; i++) {
		const osmdiag__check_def *d = osmdiag__catalogue_get(i);
		size_t k = 0, p;

		if (!d)
			break;
		p = (size_t)snprintf(anchors[i], sizeof(anchors[i]), "docs/checks.md#");
		for (; d->id[k] && p + k + 1 < sizeof(anchors[i]); k++)
			anchors[i][p + k] = (char)tolower((unsigned char)d->id[k]);
		anchors[i][p + k] = '\0';
	}
}

const char *osmdiag_check_info_docs(const osmdiag_check_info *c)
{
	const osmdiag__check_def *d = (const osmdiag__check_def *)c;

	if (!d)
		return NULL;
	pthread_once(&anchors_once, anchors_init);
	for (size_t i = 0; i < MAX_CHECKS; i++) {
		const osmdiag__check_def *row = osmdiag__catalogue_get(i);

		if (!row)
			break;
		if (row == d)
			return anchors[i];
	}
	return "docs/checks.md";
}
