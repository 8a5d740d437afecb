/* osmdiag snapshot: capture cluster state. Needs a live cluster: not in this build. */
#include <stdio.h>

#include "cli.h"

static const char usage[] =
	"Usage: osmdiag snapshot [--kubeconfig FILE] [--context NAME] [--in-cluster] --out FILE|DIR\n";

enum { O_OUT = 1 };

static const cli_opt opts[] = {
	CLI_COMMON_OPTS,
	CLI_SOURCE_OPTS,
	{ "out", 0, 1, O_OUT },
	{ NULL, 0, 0, 0 }
};

int cmd_snapshot(int argc, char **argv)
{
	cli_args a;
	const char *val;
	int id;

	cli_args_init(&a, argc, argv, 1);
	while ((id = cli_next(&a, opts, &val)) != CLI_ARG_END) {
		switch (id) {
		case CLI_ARG_ERROR:
			return cli_usage_error(usage, "snapshot ", "%s", a.error);
		case CLI_ARG_POSITIONAL:
			return cli_usage_error(usage, "snapshot ", "unexpected argument \"%s\"", val);
		case CLI_OPT_HELP:
			fputs(usage, stdout);
			fputs("\nCapture exactly what `osmdiag check` reads from a live cluster (secrets: ca.crt only).\n"
				"Not supported by this build yet: capture with kubectl instead (see README).\n", stdout);
			return CLI_EXIT_OK;
		default:
			break;
		}
	}
	cli_error("%s", CLI_LIVE_UNSUPPORTED);
	return CLI_EXIT_USAGE;
}
