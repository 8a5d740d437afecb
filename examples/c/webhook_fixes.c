/*
 * webhook-fixes: runs only the webhook checks of libosmdiag on a snapshot and
 * prints, for every problem, what is wrong and the command that fixes it.
 *
 *   cc webhook_fixes.c $(pkg-config --cflags --libs osmdiag) -o webhook-fixes
 *   ./webhook-fixes cluster.json [more snapshot files or directories...]
 *
 * Exit status: 0 when the webhooks are healthy, 1 when something needs fixing,
 * 2 when the snapshot cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>

#include <osmdiag/osmdiag.h>

/* The per-check API: one function per catalogue entry. */
typedef osmdiag_report *(*check_fn)(osmdiag_source *, const osmdiag_options *, osmdiag_error *);

static const check_fn webhook_checks[] = {
	osmdiag_check_osmd201, osmdiag_check_osmd202, osmdiag_check_osmd203, osmdiag_check_osmd204,
	osmdiag_check_osmd211, osmdiag_check_osmd212, osmdiag_check_osmd213, osmdiag_check_osmd214,
	osmdiag_check_osmd221,
};

int main(int argc, char **argv)
{
	osmdiag_error err;
	osmdiag_source *src;
	int problems = 0, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s SNAPSHOT...\n", argv[0]);
		return 2;
	}
	if (osmdiag_global_init() < 0)
		return 2;
	printf("libosmdiag %s (headers %s)\n", osmdiag_version_string(), OSMDIAG_VERSION);
	src = osmdiag_source_new_snapshot(&err);
	if (!src) {
		fprintf(stderr, "%s\n", err.message);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (osmdiag_source_add_snapshot(src, argv[i]) != OSMDIAG_OK) {
			fprintf(stderr, "webhook-fixes: %s\n", osmdiag_source_errmsg(src));
			status = 2;
			goto out;
		}
	}
	for (size_t c = 0; c < sizeof(webhook_checks) / sizeof(webhook_checks[0]); c++) {
		osmdiag_report *rep = webhook_checks[c](src, NULL, &err);

		if (!rep) {
			fprintf(stderr, "webhook-fixes: %s (%s)\n", err.message, osmdiag_err_name(err.code));
			status = 2;
			goto out;
		}
		for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
			const osmdiag_result *r = osmdiag_report_at(rep, i);
			int st = osmdiag_result_status(r);

			printf("%-7s %-5s %s\n", osmdiag_result_id(r), osmdiag_status_name(st),
			       osmdiag_result_message(r));
			if (st < OSMDIAG_STATUS_WARN)
				continue;
			problems++;
			if (osmdiag_result_hint(r))
				printf("        hint: %s\n", osmdiag_result_hint(r));
			if (osmdiag_result_remediation(r))
				printf("        fix:  %s\n", osmdiag_result_remediation(r));
		}
		osmdiag_report_free(rep);
	}
	printf("%d webhook problem%s\n", problems, problems == 1 ? "" : "s");
	status = problems ? 1 : 0;
out:
	osmdiag_source_free(src);
	osmdiag_global_shutdown();
	return status;
}
