/* osmdiag mesh list: the `osm mesh list` table (tabwriter padding 3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"Usage: osmdiag mesh list [--snapshot PATH... | --kubeconfig FILE [--context NAME] | --in-cluster]\n"
	"                         [-o text|json]\n";

enum { O_OUTPUT = 1 };

static const cli_opt opts[] = {
	CLI_COMMON_OPTS,
	CLI_SOURCE_OPTS,
	{ "output", 'o', 1, O_OUTPUT },
	{ NULL, 0, 0, 0 }
};

#define PAD 3
#define NCOL 4

static const char *cell(const osmdiag_mesh_list *l, size_t row, int col)
{
	const char *s = NULL;

	switch (col) {
	case 0: s = osmdiag_mesh_list_name(l, row); break;
	case 1: s = osmdiag_mesh_list_namespace(l, row); break;
	case 2: s = osmdiag_mesh_list_version(l, row); break;
	default: s = osmdiag_mesh_list_namespaces(l, row); break;
	}
	return s ? s : "";
}

static void print_table(const osmdiag_mesh_list *l)
{
	static const char *const head[NCOL] = { "MESH NAME", "MESH NAMESPACE", "VERSION", "ADDED NAMESPACES" };
	size_t n = osmdiag_mesh_list_count(l);
	int w[NCOL];

	if (n == 0) {
		printf("No osm mesh control planes found\n");
		return;
	}
	for (int c = 0; c < NCOL; c++) {
		w[c] = (int)strlen(head[c]);
		for (size_t r = 0; r < n; r++)
			if ((int)strlen(cell(l, r, c)) > w[c])
				w[c] = (int)strlen(cell(l, r, c));
	}
	printf("\n");
	for (int c = 0; c < NCOL - 1; c++)
		printf("%-*s", w[c] + PAD, head[c]);
	printf("%s\n", head[NCOL - 1]);
	for (size_t r = 0; r < n; r++)
		for (int c = 0; c < NCOL; c++) {
			if (c < NCOL - 1)
				printf("%-*s", w[c] + PAD, cell(l, r, c));
			else
				printf("%s\n", cell(l, r, c));
		}
	printf("\nTo list the OSM controller pods for a mesh, please run the following command passing in the "
		"mesh's namespace\n\tkubectl get pods -n <osm-mesh-namespace> -l app=osm-controller\n");
}

int cmd_mesh(int argc, char **argv)
{
	cli_args a;
	cli_source s = { NULL, 0, 0, NULL, NULL, 0 };
	const char *val, *format = "text";
	osmdiag_source *src = NULL;
	osmdiag_mesh_list *list = NULL;
	osmdiag_error err;
	char *doc = NULL;
	int id, rc = CLI_EXIT_OK;

	if (argc < 2 || strcmp(argv[1], "list") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		}
		if (argc < 2)
			return cli_usage_error(usage, "mesh list ", "missing subcommand (want: mesh list)");
		return cli_usage_error(usage, "mesh list ", "unknown subcommand \"%s\" (want: mesh list)", argv[1]);
	}
	cli_args_init(&a, argc, argv, 2);
	while ((id = cli_next(&a, opts, &val)) != CLI_ARG_END) {
		int crc = cli_common_opt(id, val, &s, usage, "List the OSM control planes of the cluster: mesh "
			"name, namespace, version and the\nnamespaces added to each mesh (label "
			"openservicemesh.io/monitored-by).\n");

		if (crc == CLI_COMMON_HANDLED)
			continue;
		if (crc >= 0) {
			rc = crc;
			goto out;
		}
		switch (id) {
		case CLI_ARG_ERROR:
			rc = cli_usage_error(usage, "mesh list ", "%s", a.error);
			goto out;
		case CLI_ARG_POSITIONAL:
			rc = cli_usage_error(usage, "mesh list ", "unexpected argument \"%s\" (snapshots are "
				"passed with --snapshot PATH)", val);
			goto out;
		case O_OUTPUT:
			if (strcmp(val, "text") && strcmp(val, "json")) {
				rc = cli_usage_error(usage, "mesh list ", "invalid output format \"%s\" (want text or "
					"json)", val);
				goto out;
			}
			format = val;
			break;
		default:
			break;
		}
	}
	if ((rc = cli_source_open(&s, &src)) != CLI_EXIT_OK)
		goto out;
	osmdiag_error_clear(&err);
	list = osmdiag_mesh_list_new(src, &err);
	if (!list) {
		cli_error("%s", err.message[0] ? err.message : osmdiag_strerror(err.code));
		rc = cli_exit_for_error(err.code);
		goto out;
	}
	if (strcmp(format, "json") == 0) {
		if ((rc = osmdiag_mesh_list_to_json(list, &doc)) != OSMDIAG_OK) {
			cli_error("cannot render the mesh list: %s", osmdiag_strerror(rc));
			rc = CLI_EXIT_USAGE;
			goto out;
		}
		rc = cli_write(doc);
	} else {
		print_table(list);
		rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
out:
	osmdiag_free(doc);
	osmdiag_mesh_list_free(list);
	osmdiag_source_free(src);
	cli_source_dispose(&s);
	return rc;
}
