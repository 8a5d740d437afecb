/*
 * Prometheus text exposition (textfile-collector friendly):
 *
 *   osmdiag_check_status{id="OSMD101",category="control-plane",status="pass"} 1
 *     one sample per check (report order) and status: 1 for the check's worst
 *     status, 0 for the five others
 *   osmdiag_results{status="warn"} 1          results per status
 *   osmdiag_run_duration_seconds 0.042        fetch + checks
 *   osmdiag_mesh_info{name,namespace,version,profile} 1   when a mesh was found
 *
 * Label values are escaped (backslash, double quote, newline).
 */
#include <math.h>
#include <stdlib.h>

#include "osmdiag/check.h"
#include "osmdiag/version.h"
#include "report/report_impl.h"
#include "util/util.h"

#define NSTATUS 6

static void put_label(osmdiag__buf *b, const char *name, const char *value, int first)
{
	const char *p = value ? value : "";

	if (!first)
		osmdiag__buf_putc(b, ',');
	osmdiag__buf_puts(b, name);
	osmdiag__buf_puts(b, "=\"");
	for (; *p; p++) {
		switch (*p) {
		case '\\': osmdiag__buf_puts(b, "\\\\"); break;
		case '"': osmdiag__buf_puts(b, "\\\""); break;
		case '\n': osmdiag__buf_puts(b, "\\n"); break;
		default: osmdiag__buf_putc(b, *p); break;
		}
	}
	osmdiag__buf_putc(b, '"');
}

static int clamp_status(int st)
{
	return st >= OSMDIAG_STATUS_PASS && st <= OSMDIAG_STATUS_ERROR ? st : OSMDIAG_STATUS_ERROR;
}

int osmdiag_report_to_prometheus(const osmdiag_report *rep, char **out)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	size_t k[NSTATUS] = { 0 };
	unsigned char *done = NULL;
	double secs;

	if (!out)
		return OSMDIAG_EINVAL;
	*out = NULL;
	if (!rep)
		return OSMDIAG_EINVAL;
	if (rep->n && !(done = calloc(rep->n, 1)))
		return OSMDIAG_ENOMEM;

	osmdiag__buf_puts(&b, "# HELP osmdiag_check_status Status of each osmdiag check: 1 for its worst "
		"result status, 0 for the others.\n# TYPE osmdiag_check_status gauge\n");
	for (size_t i = 0; i < rep->n; i++) {
		const struct osmdiag_result *r = &rep->results[i];
		int worst = clamp_status(r->status);

		if (done[i])
			continue;
		for (size_t j = i; j < rep->n; j++) {
			if (!osmdiag__streq(rep->results[j].id, r->id))
				continue;
			done[j] = 1;
			if (clamp_status(rep->results[j].status) > worst)
				worst = clamp_status(rep->results[j].status);
		}
		for (int st = 0; st < NSTATUS; st++) {
			osmdiag__buf_puts(&b, "osmdiag_check_status{");
			put_label(&b, "id", r->id, 1);
			put_label(&b, "category", r->category, 0);
			put_label(&b, "status", osmdiag_status_name(st), 0);
			osmdiag__buf_printf(&b, "} %d\n", st == worst);
		}
	}

	for (size_t i = 0; i < rep->n; i++)
		k[clamp_status(rep->results[i].status)]++;
	osmdiag__buf_puts(&b, "# HELP osmdiag_results Number of osmdiag results per status.\n"
		"# TYPE osmdiag_results gauge\n");
	for (int st = 0; st < NSTATUS; st++)
		osmdiag__buf_printf(&b, "osmdiag_results{status=\"%s\"} %zu\n", osmdiag_status_name(st), k[st]);

	secs = isfinite(rep->duration_ms) && rep->duration_ms > 0 ? rep->duration_ms / 1000.0 : 0.0;
	osmdiag__buf_printf(&b, "# HELP osmdiag_run_duration_seconds Time the osmdiag run took.\n"
		"# TYPE osmdiag_run_duration_seconds gauge\nosmdiag_run_duration_seconds %.6f\n", secs);

	if (rep->mesh_name || rep->mesh_namespace) {
		osmdiag__buf_puts(&b, "# HELP osmdiag_mesh_info The OSM mesh examined.\n"
			"# TYPE osmdiag_mesh_info gauge\nosmdiag_mesh_info{");
		put_label(&b, "name", rep->mesh_name, 1);
		put_label(&b, "namespace", rep->mesh_namespace, 0);
		put_label(&b, "version", rep->mesh_version, 0);
		put_label(&b, "profile", rep->mesh_profile, 0);
		osmdiag__buf_puts(&b, "} 1\n");
	}
	osmdiag__buf_puts(&b, "# HELP osmdiag_info The osmdiag version.\n# TYPE osmdiag_info gauge\n"
		"osmdiag_info{version=\"" OSMDIAG_VERSION "\"} 1\n");

	free(done);
	if (b.oom) {
		osmdiag__buf_free(&b);
		return OSMDIAG_ENOMEM;
	}
	*out = osmdiag__buf_detach(&b);
	return *out ? OSMDIAG_OK : OSMDIAG_ENOMEM;
}
