/*
 * osmdiag: diagnose Open Service Mesh on Kubernetes.
 *
 *   osmdiag check | checks | explain | mesh list | snapshot   (spec/INTERFACES.md)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_no_color;
int cli_verbose;

static const char usage_text[] =
	"Usage: osmdiag <command> [flags]\n"
	"\n"
	"Diagnose an Open Service Mesh (OSM) installation on a live cluster or from a snapshot.\n"
	"\n"
	"Commands:\n"
	"  check      run the checks and report (exit 0 ok, 1 findings, 2 usage/input, 3 unreachable, 4 errors)\n"
	"  checks     list the check catalogue\n"
	"  explain    show one catalogue entry: what, why, how to fix\n"
	"  mesh list  list the OSM control planes (the `osm mesh list` equivalent)\n"
	"  snapshot   capture what check reads from a live cluster (secrets: ca.crt only)\n"
	"  migrate    plan the migration to the Istio AKS add-on: findings, draft manifests, runbook\n"
	"\n"
	"Flags:\n"
	"  -h, --help      help (also after a command: osmdiag check --help)\n"
	"      --version   print the version\n"
	"      --no-color  no colours or unicode marks\n"
	"  -v, --verbose   more detail\n"
	"\n"
	"Examples: osmdiag check                        (the current kubeconfig context)\n"
	"          osmdiag check --context aks-prod -o json\n"
	"          osmdiag check --snapshot cluster.json  (captured with kubectl or osmdiag snapshot)\n";

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("osmdiag: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *usage, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("osmdiag: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (usage)
		fputs(usage, stderr);
	fprintf(stderr, "Run 'osmdiag %s--help' for details.\n", cmd ? cmd : "");
	return CLI_EXIT_USAGE;
}

int cli_write(const char *doc)
{
	size_t len = strlen(doc);

	if (len && fwrite(doc, 1, len, stdout) != len) {
		cli_error("cannot write the output: %s", strerror(errno));
		return CLI_EXIT_USAGE;
	}
	if (fflush(stdout) != 0) {
		cli_error("cannot write the output: %s", strerror(errno));
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

int cli_fancy_output(void)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (cli_no_color || (nc && *nc))
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(STDOUT_FILENO);
}

int main(int argc, char **argv)
{
	int i = 1, rc;

	/* global flags before the command */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--version") == 0) {
			printf("osmdiag %s (libosmdiag %s)\n", OSMDIAG_VERSION, osmdiag_version_string());
			return CLI_EXIT_OK;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return CLI_EXIT_OK;
		}
		if (strcmp(a, "--no-color") == 0) {
			cli_no_color = 1;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			cli_verbose = 1;
		} else {
			cli_error("unknown flag: %s", a);
			fputs("Usage: osmdiag <command> [flags]   "
				"(commands: check, checks, explain, mesh list, snapshot)\n"
				"Run 'osmdiag --help' for details.\n", stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		cli_error("missing command");
		fputs(usage_text, stderr);
		return CLI_EXIT_USAGE;
	}

	if (osmdiag_global_init() < 0) {
		cli_error("cannot initialise the library");
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[i], "check") == 0)
		rc = cmd_check(argc - i, argv + i);
	else if (strcmp(argv[i], "checks") == 0)
		rc = cmd_checks(argc - i, argv + i);
	else if (strcmp(argv[i], "explain") == 0)
		rc = cmd_explain(argc - i, argv + i);
	else if (strcmp(argv[i], "mesh") == 0)
		rc = cmd_mesh(argc - i, argv + i);
	else if (strcmp(argv[i], "snapshot") == 0)
		rc = cmd_snapshot(argc - i, argv + i);
	else if (strcmp(argv[i], "migrate") == 0)
		rc = cmd_migrate(argc - i, argv + i);
	else if (strcmp(argv[i], "help") == 0) {
		fputs(usage_text, stdout);
		rc = CLI_EXIT_OK;
	} else if (strcmp(argv[i], "version") == 0) {
		printf("osmdiag %s (libosmdiag %s)\n", OSMDIAG_VERSION, osmdiag_version_string());
		rc = CLI_EXIT_OK;
	} else {
		cli_error("unknown command \"%s\"", argv[i]);
		fputs("Usage: osmdiag <command> [flags]   (commands: check, checks, explain, mesh list, snapshot)\n"
			"Run 'osmdiag --help' for details.\n", stderr);
		rc = CLI_EXIT_USAGE;
	}
	osmdiag_global_shutdown();
	return rc;
}
