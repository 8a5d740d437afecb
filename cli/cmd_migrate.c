/* osmdiag migrate: OSM -> Istio (AKS add-on) inventory, report and draft manifests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"Usage: osmdiag migrate [PATH... | --snapshot PATH... | --kubeconfig FILE [--context NAME] | "
	"--in-cluster]\n                       [--target-revision asm-1-N] [-o text|json|markdown] [--out "
	"DIR]\n                       [--mesh-namespace NS] [--mesh-name NAME] [--no-color] [-v]\n";

static const char help[] =
	"Inventory the OSM configuration (SMI policies, Egress, IngressBackend, UpstreamTrafficSetting, "
	"Retry,\nMeshConfig, namespaces, workloads) and plan the migration to the Istio AKS add-on: "
	"findings\nOSMD801-845, draft Istio manifests and an ordered runbook.\n\nSource (as for osmdiag "
	"check; a bare PATH is a snapshot):\n      --snapshot PATH         JSON/YAML file or directory "
	"(repeatable)\n      --kubeconfig FILE       live cluster named by this kubeconfig (default: "
	"KUBECONFIG, ~/.kube/config)\n      --context NAME          kubeconfig context\n      "
	"--in-cluster            live cluster from the pod's service account\nMigration:\n      "
	"--target-revision REV   Istio add-on revision, e.g. asm-1-22 (default: the lowest supported,\n"
	"                              reported as OSMD803); see az aks mesh get-revisions --location <loc>\n"
	"      --mesh-namespace NS     the mesh's namespace (default: discovered)\n      --mesh-name "
	"NAME        the mesh name (default: discovered)\nOutput:\n  -o, --output FORMAT         text "
	"(default), json, markdown\n      --out DIR               also write DIR/istio/mesh-wide.yaml, "
	"DIR/istio/<namespace>.yaml,\n                              DIR/runbook.md and DIR/report.json\n\n"
	"Exit status: 0 no fail finding; 1 a fail finding (the draft needs manual work); 2 usage error, bad\n"
	"input or unknown revision; 3 cluster unreachable; 4 parts of the inventory could not be read.\n";

enum { O_REV = 1, O_OUTPUT, O_OUT, O_MESH_NS, O_MESH_NAME };

static const cli_opt migrate_opts[] = {
	CLI_COMMON_OPTS,
	CLI_SOURCE_OPTS,
	{ "target-revision", 0, 1, O_REV },
	{ "output", 'o', 1, O_OUTPUT },
	{ "out", 0, 1, O_OUT },
	{ "mesh-namespace", 0, 1, O_MESH_NS },
	{ "mesh-name", 0, 1, O_MESH_NAME },
	{ NULL, 0, 0, 0 }
};

enum { F_TEXT, F_JSON, F_MARKDOWN };

typedef struct migrate_args {
	cli_source src;
	const char *rev, *out, *mesh_ns, *mesh_name;
	int format;
} migrate_args;

/* -1 to go on, else the exit status. */
static int parse(migrate_args *c, int argc, char **argv)
{
	cli_args a;
	const char *val;
	int id;

	cli_args_init(&a, argc, argv, 1);
	while ((id = cli_next(&a, migrate_opts, &val)) != CLI_ARG_END) {
		int rc = cli_common_opt(id, val, &c->src, usage, help);

		if (rc == CLI_COMMON_HANDLED)
			continue;
		if (rc >= 0)
			return rc;
		switch (id) {
		case CLI_ARG_ERROR:
			return cli_usage_error(usage, "migrate ", "%s", a.error);
		case CLI_ARG_POSITIONAL:
			/* a bare path is a snapshot */
			if (cli_source_opt(&c->src, CLI_OPT_SNAPSHOT, val) != 0) {
				cli_error("out of memory");
				return CLI_EXIT_USAGE;
			}
			break;
		case O_REV:
			c->rev = val;
			break;
		case O_OUT:
			if (!*val)
				return cli_usage_error(usage, "migrate ", "--out needs a directory");
			c->out = val;
			break;
		case O_MESH_NS:
			c->mesh_ns = val;
			break;
		case O_MESH_NAME:
			c->mesh_name = val;
			break;
		case O_OUTPUT:
			if (strcmp(val, "text") == 0)
				c->format = F_TEXT;
			else if (strcmp(val, "json") == 0)
				c->format = F_JSON;
			else if (strcmp(val, "markdown") == 0 || strcmp(val, "md") == 0)
				c->format = F_MARKDOWN;
			else
				return cli_usage_error(usage, "migrate ", "invalid output format \"%s\" "
					"(want text, json or markdown)", val);
			break;
		default:
			break;
		}
	}
	return -1;
}

int cmd_migrate(int argc, char **argv)
{
	migrate_args c;
	osmdiag_options *opts = NULL;
	osmdiag_source *src = NULL;
	osmdiag_migration *mig = NULL;
	osmdiag_error err;
	char *doc = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	c.format = F_TEXT;
	rc = parse(&c, argc, argv);
	if (rc >= 0)
		goto out;
	opts = osmdiag_options_new();
	if (!opts) {
		cli_error("out of memory");
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if ((c.mesh_ns && osmdiag_options_set_mesh_namespace(opts, c.mesh_ns) != OSMDIAG_OK) ||
	    (c.mesh_name && osmdiag_options_set_mesh_name(opts, c.mesh_name) != OSMDIAG_OK)) {
		cli_error("%s", osmdiag_options_errmsg(opts));
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if ((rc = cli_source_open(&c.src, &src)) != CLI_EXIT_OK)
		goto out;
	osmdiag_error_clear(&err);
	mig = osmdiag_migrate(src, opts, c.rev, &err);
	if (!mig) {
		cli_error("%s", err.message[0] ? err.message : osmdiag_strerror(err.code));
		rc = cli_exit_for_error(err.code);
		goto out;
	}
	if (c.out && osmdiag_migration_write(mig, c.out, &err) != OSMDIAG_OK) {
		cli_error("%s", err.message[0] ? err.message : osmdiag_strerror(err.code));
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	switch (c.format) {
	case F_JSON:
		rc = osmdiag_migration_to_json(mig, &doc);
		break;
	case F_MARKDOWN:
		rc = osmdiag_migration_to_markdown(mig, &doc);
		break;
	default:
		rc = osmdiag_migration_to_text(mig, cli_fancy_output()
		? OSMDIAG_TEXT_COLOR | OSMDIAG_TEXT_UNICODE : 0,
					       &doc);
		break;
	}
	if (rc != OSMDIAG_OK) {
		cli_error("cannot render the migration report: %s", osmdiag_strerror(rc));
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if ((rc = cli_write(doc)) != CLI_EXIT_OK)
		goto out;
	rc = osmdiag_report_exit_code(osmdiag_migration_report(mig), OSMDIAG_STATUS_FAIL);
out:
	osmdiag_free(doc);
	osmdiag_migration_free(mig);
	osmdiag_source_free(src);
	osmdiag_options_free(opts);
	cli_source_dispose(&c.src);
	return rc;
}
