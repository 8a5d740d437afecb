/* osmdiag checks: the catalogue as a table, JSON or Markdown (docs/checks.md). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] = "Usage: osmdiag checks [-o text|json|markdown]\n";

enum { O_OUTPUT = 1 };

static const cli_opt opts[] = {
	CLI_COMMON_OPTS,
	{ "output", 'o', 1, O_OUTPUT },
	{ NULL, 0, 0, 0 }
};

static int print_table(void)
{
	size_t n = osmdiag_catalogue_count();
	int wcat = (int)strlen("CATEGORY"), wsev = (int)strlen("SEVERITY");

	for (size_t i = 0; i < n; i++) {
		const osmdiag_check_info *c = osmdiag_catalogue_at(i);
		int l = (int)strlen(osmdiag_check_info_category(c));
		if (l > wcat)
			wcat = l;
		l = (int)strlen(osmdiag_check_info_severity(c));
		if (l > wsev)
			wsev = l;
	}
	printf("%-9s %-*s %-*s %s\n", "ID", wcat + 2, "CATEGORY", wsev + 2, "SEVERITY", "TITLE");
	for (size_t i = 0; i < n; i++) {
		const osmdiag_check_info *c = osmdiag_catalogue_at(i);
		printf("%-9s %-*s %-*s %s\n", osmdiag_check_info_id(c), wcat + 2, osmdiag_check_info_category(c),
			wsev + 2, osmdiag_check_info_severity(c), osmdiag_check_info_title(c));
	}
	printf("\n%zu checks. Details: osmdiag explain ID, or docs/checks.md.\n", n);
	return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int cmd_checks(int argc, char **argv)
{
	cli_args a;
	const char *val, *format = "text";
	char *doc = NULL;
	int id, rc;

	cli_args_init(&a, argc, argv, 1);
	while ((id = cli_next(&a, opts, &val)) != CLI_ARG_END) {
		switch (id) {
		case CLI_ARG_ERROR:
			return cli_usage_error(usage, "checks ", "%s", a.error);
		case CLI_ARG_POSITIONAL:
			return cli_usage_error(usage, "checks ", "unexpected argument \"%s\"", val);
		case CLI_OPT_HELP:
			fputs(usage, stdout);
			fputs("\nList the check catalogue: ID, category, severity and title (text), every field (json),\n"
				"or the docs/checks.md document (markdown).\n", stdout);
			return CLI_EXIT_OK;
		case O_OUTPUT:
			if (strcmp(val, "text") && strcmp(val, "json") && strcmp(val, "markdown"))
				return cli_usage_error(usage, "checks ", "invalid output format \"%s\" (want text, "
					"json or markdown)", val);
			format = val;
			break;
		default:
			break;
		}
	}
	if (strcmp(format, "text") == 0)
		return print_table();
	rc = strcmp(format, "json") == 0 ? osmdiag_catalogue_to_json(&doc) : osmdiag_catalogue_to_markdown(&doc);
	if (rc != OSMDIAG_OK) {
		cli_error("cannot render the catalogue: %s", osmdiag_strerror(rc));
		return CLI_EXIT_USAGE;
	}
	rc = cli_write(doc);
	osmdiag_free(doc);
	return rc;
}
