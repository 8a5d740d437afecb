/* osmdiag explain ID: one catalogue entry, what it checks, why, how to fix. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] = "Usage: osmdiag explain ID      (e.g. osmdiag explain OSMD203)\n";

static const cli_opt opts[] = {
	CLI_COMMON_OPTS,
	{ NULL, 0, 0, 0 }
};

/* A titled paragraph, each line indented by two spaces. */
static void section(const char *title, const char *text)
{
	const char *p = text && *text ? text : "-";

	printf("%s\n  ", title);
	for (; *p; p++) {
		if (*p == '\r')
			continue;
		putchar(*p);
		if (*p == '\n' && p[1])
			fputs("  ", stdout);
	}
	if (p[-1] != '\n')
		putchar('\n');
	putchar('\n');
}

int cmd_explain(int argc, char **argv)
{
	cli_args a;
	const char *val, *idarg = NULL;
	const osmdiag_check_info *c;
	int id;

	cli_args_init(&a, argc, argv, 1);
	while ((id = cli_next(&a, opts, &val)) != CLI_ARG_END) {
		switch (id) {
		case CLI_ARG_ERROR:
			return cli_usage_error(usage, "explain ", "%s", a.error);
		case CLI_ARG_POSITIONAL:
			if (idarg)
				return cli_usage_error(usage, "explain ", "explain takes one check ID");
			idarg = val;
			break;
		case CLI_OPT_HELP:
			fputs(usage, stdout);
			fputs("\nShow one catalogue entry: what the check expects, why it matters, how to fix it "
				"and the\n"
				"guide step it automates. The IDs: osmdiag checks.\n", stdout);
			return CLI_EXIT_OK;
		default:
			break;
		}
	}
	if (!idarg)
		return cli_usage_error(usage, "explain ", "missing check ID");
	c = osmdiag_catalogue_find(idarg);
	if (!c) {
		cli_error("unknown check ID \"%s\" (run 'osmdiag checks' for the list)", idarg);
		return CLI_EXIT_USAGE;
	}
	printf("%s: %s\n", osmdiag_check_info_id(c), osmdiag_check_info_title(c));
	printf("category: %s · severity: %s · docs: %s\n\n", osmdiag_check_info_category(c),
		osmdiag_check_info_severity(c), osmdiag_check_info_docs(c));
	section("What it expects", osmdiag_check_info_expectation(c));
	section("Why it matters", osmdiag_check_info_why(c));
	section("How to fix", osmdiag_check_info_fix(c));
	section("Guide step", osmdiag_check_info_guide(c));
	return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}
