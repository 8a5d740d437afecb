/* Run options (opaque, with setters) and status names. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check_impl.h"
#include "engine/options_impl.h"

static const char *const status_names[] = { "pass", "info", "skip", "warn", "fail", "error" };

const char *osmdiag_status_name(int status)
{
	if (status < 0 || status > OSMDIAG_STATUS_ERROR)
		return "unknown";
	return status_names[status];
}

int osmdiag_status_from_name(const char *name)
{
	for (int i = 0; i <= OSMDIAG_STATUS_ERROR; i++)
		if (osmdiag__strcaseeq(status_names[i], name))
			return i;
	return -1;
}

osmdiag_options *osmdiag_options_new(void)
{
	osmdiag_options *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->fail_on = OSMDIAG_STATUS_FAIL;
	o->expiry_warning_days = 30;
	return o;
}

void osmdiag_options_free(osmdiag_options *opts)
{
	if (!opts)
		return;
	free(opts->mesh_namespace);
	free(opts->mesh_name);
	osmdiag__strlist_free(&opts->only);
	osmdiag__strlist_free(&opts->skip);
	free(opts);
}

static int set_error(osmdiag_options *opts, int code, const char *fmt, ...) OSMDIAG__PRINTF(3, 4);

static int set_error(osmdiag_options *opts, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(opts->errmsg, sizeof(opts->errmsg), fmt, ap);
	va_end(ap);
	return code;
}

static int set_string(osmdiag_options *opts, char **field, const char *value)
{
	char *copy = NULL;

	if (!opts)
		return OSMDIAG_EINVAL;
	if (value && *value && !(copy = strdup(value)))
		return set_error(opts, OSMDIAG_ENOMEM, "%s", "out of memory");
	free(*field);
	*field = copy;
	return OSMDIAG_OK;
}

int osmdiag_options_set_mesh_namespace(osmdiag_options *opts, const char *ns)
{
	return set_string(opts, opts ? &opts->mesh_namespace : NULL, ns);
}

int osmdiag_options_set_mesh_name(osmdiag_options *opts, const char *name)
{
	return set_string(opts, opts ? &opts->mesh_name : NULL, name);
}

/* Splits a comma list, validates each item as an ID or category, adds them. */
static int add_selection(osmdiag_options *opts, osmdiag__strlist *list, const char *items)
{
	const char *p = items;

	if (!opts)
		return OSMDIAG_EINVAL;
	if (!items || !*items)
		return set_error(opts, OSMDIAG_EINVAL, "%s", "empty check ID or category");
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char item[64];

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 0 || n >= sizeof(item))
			return set_error(opts, OSMDIAG_EINVAL, "invalid check ID or category in \"%s\"", items);
		memcpy(item, p, n);
		item[n] = '\0';
		if (!osmdiag__catalogue_lookup(item) && !osmdiag__category_known(item))
			return set_error(opts, OSMDIAG_EINVAL,
					 "unknown check ID or category \"%s\" (see `osmdiag checks`)", item);
		if (osmdiag__strcaseeq(item, OSMDIAG__CATEGORY_MIGRATION) ||
		    (osmdiag__catalogue_lookup(item) && !osmdiag__catalogue_lookup(item)->run))
			return set_error(opts, OSMDIAG_EINVAL,
					 "\"%s\" is a migration finding, not a check: run `osmdiag migrate`", item);
		if (osmdiag__strlist_push_unique(list, item) < 0)
			return set_error(opts, OSMDIAG_ENOMEM, "%s", "out of memory");
		p += comma ? (size_t)(comma - p) + 1 : strlen(p);
	}
	return OSMDIAG_OK;
}

int osmdiag_options_only(osmdiag_options *opts, const char *id_or_category)
{
	return add_selection(opts, opts ? &opts->only : NULL, id_or_category);
}

int osmdiag_options_skip(osmdiag_options *opts, const char *id_or_category)
{
	return add_selection(opts, opts ? &opts->skip : NULL, id_or_category);
}

int osmdiag_options_set_fail_on(osmdiag_options *opts, int status)
{
	if (!opts)
		return OSMDIAG_EINVAL;
	if (status != OSMDIAG_STATUS_WARN && status != OSMDIAG_STATUS_FAIL)
		return set_error(opts, OSMDIAG_EINVAL, "%s", "fail-on must be warn or fail");
	opts->fail_on = status;
	return OSMDIAG_OK;
}

int osmdiag_options_set_expiry_warning_days(osmdiag_options *opts, int days)
{
	if (!opts)
		return OSMDIAG_EINVAL;
	if (days < 0 || days > 36500)
		return set_error(opts, OSMDIAG_EINVAL, "%s", "expiry warning window must be 0..36500 days");
	opts->expiry_warning_days = days;
	return OSMDIAG_OK;
}

int osmdiag_options_set_timeout_ms(osmdiag_options *opts, long timeout_ms)
{
	if (!opts)
		return OSMDIAG_EINVAL;
	if (timeout_ms < 0)
		return set_error(opts, OSMDIAG_EINVAL, "%s", "timeout must not be negative");
	opts->timeout_ms = timeout_ms;
	return OSMDIAG_OK;
}

const char *osmdiag_options_errmsg(const osmdiag_options *opts)
{
	return opts ? opts->errmsg : "";
}

void osmdiag__options_set_now(osmdiag_options *opts, time_t now)
{
	if (opts)
		opts->now = now;
}

int osmdiag__options_selects(const osmdiag_options *opts, const char *id, const char *category)
{
	if (!opts)
		return 1;
	if (osmdiag__strlist_contains_case(&opts->skip, id) ||
	    osmdiag__strlist_contains_case(&opts->skip, category))
		return 0;
	if (!opts->only.n)
		return 1;
	return osmdiag__strlist_contains_case(&opts->only, id) ||
	       osmdiag__strlist_contains_case(&opts->only, category);
}
