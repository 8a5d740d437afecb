/* osmdiag snapshot: capture what `osmdiag check` reads from a live cluster. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"Usage: osmdiag snapshot [--kubeconfig FILE] [--context NAME] [--in-cluster] --out FILE|DIR\n"
	"                        [--mesh-namespace NS] [--mesh-name NAME] [--timeout SECONDS]\n";

static const char help[] =
	"Capture exactly what `osmdiag check` reads from a live cluster, for `osmdiag check --snapshot`.\n"
	"Secrets are reduced to osm-ca-bundle's ca.crt: no private key is ever written.\n"
	"\n"
	"      --kubeconfig FILE      kubeconfig (default: KUBECONFIG merged like kubectl, else ~/.kube/config)\n"
	"      --context NAME         kubeconfig context (default: current-context)\n"
	"      --in-cluster           use the pod's service account\n"
	"      --out FILE|DIR         a .json or .yaml file (one List), else a directory (one file per kind)\n"
	"      --mesh-namespace NS, --mesh-name NAME\n"
	"                             the mesh to capture (default: discovered)\n"
	"      --timeout SECONDS      time budget for reading cluster state (default: none)\n"
	"\n"
	"Exit status: 0 written; 2 usage error, bad kubeconfig or cannot write; 3 cluster unreachable or\n"
	"credentials refused.\n";

enum { O_OUT = 1, O_MESH_NS, O_MESH_NAME, O_TIMEOUT };

static const cli_opt opts[] = {
	CLI_COMMON_OPTS,
	CLI_SOURCE_OPTS,
	{ "out", 0, 1, O_OUT },
	{ "mesh-namespace", 0, 1, O_MESH_NS },
	{ "mesh-name", 0, 1, O_MESH_NAME },
	{ "timeout", 0, 1, O_TIMEOUT },
	{ NULL, 0, 0, 0 }
};

int cmd_snapshot(int argc, char **argv)
{
	cli_args a;
	cli_source s;
	const char *val, *out = NULL, *mesh_ns = NULL, *mesh_name = NULL;
	long timeout_ms = 0;
	osmdiag_options *o = NULL;
	osmdiag_source *src = NULL;
	osmdiag_error err;
	int id, rc = CLI_EXIT_USAGE;

	memset(&s, 0, sizeof(s));
	cli_args_init(&a, argc, argv, 1);
	while ((id = cli_next(&a, opts, &val)) != CLI_ARG_END) {
		if (id != CLI_OPT_SNAPSHOT) {
			int crc = cli_common_opt(id, val, &s, usage, help);

			if (crc == CLI_COMMON_HANDLED)
				continue;
			if (crc >= 0) {
				rc = crc;
				goto done;
			}
		}
		switch (id) {
		case CLI_ARG_ERROR:
			rc = cli_usage_error(usage, "snapshot ", "%s", a.error);
			goto done;
		case CLI_ARG_POSITIONAL:
			rc = cli_usage_error(usage, "snapshot ", "unexpected argument \"%s\"", val);
			goto done;
		case CLI_OPT_SNAPSHOT:
			rc = cli_usage_error(usage, "snapshot ", "osmdiag snapshot reads a live cluster; --snapshot "
				"makes no sense here");
			goto done;
		case O_OUT:
			out = val;
			break;
		case O_MESH_NS:
			mesh_ns = val;
			break;
		case O_MESH_NAME:
			mesh_name = val;
			break;
		case O_TIMEOUT: {
			char *end = NULL;
			double sec = strtod(val, &end);
			if (!*val || !end || *end || !isfinite(sec) || sec < 0 || sec > 86400.0 * 7) {
				rc = cli_usage_error(usage, "snapshot ", "invalid --timeout \"%s\" (want a number of "
					"seconds, e.g. 30)", val);
				goto done;
			}
			timeout_ms = (long)(sec * 1000.0 + 0.5);
			if (sec > 0 && timeout_ms == 0)
				timeout_ms = 1;
			break;
		}
		default:
			break;
		}
	}
	if (!out || !*out) {
		rc = cli_usage_error(usage, "snapshot ", "--out FILE|DIR is required");
		goto done;
	}
	o = osmdiag_options_new();
	if (!o) {
		cli_error("out of memory");
		goto done;
	}
	if ((mesh_ns && osmdiag_options_set_mesh_namespace(o, mesh_ns) != OSMDIAG_OK) ||
	    (mesh_name && osmdiag_options_set_mesh_name(o, mesh_name) != OSMDIAG_OK) ||
	    osmdiag_options_set_timeout_ms(o, timeout_ms) != OSMDIAG_OK) {
		cli_error("%s", *osmdiag_options_errmsg(o) ? osmdiag_options_errmsg(o) : "invalid option");
		goto done;
	}
	if ((rc = cli_source_open_live(&s, &src)) != CLI_EXIT_OK)
		goto done;
	osmdiag_error_clear(&err);
	if (osmdiag_snapshot_write(src, o, out, &err) != OSMDIAG_OK) {
		cli_error("%s", err.message[0] ? err.message : osmdiag_strerror(err.code));
		rc = cli_exit_for_error(err.code);
		goto done;
	}
	fprintf(stderr, "osmdiag: wrote a snapshot of %s to %s (%zu requests)\n", osmdiag_source_description(src),
		out, osmdiag_source_request_count(src));
	rc = CLI_EXIT_OK;
done:
	osmdiag_source_free(src);
	osmdiag_options_free(o);
	cli_source_dispose(&s);
	return rc;
}
