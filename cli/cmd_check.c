/* osmdiag check: run the checks, print the report, exit 0/1/2/3/4. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"Usage: osmdiag check [--snapshot PATH... | --kubeconfig FILE [--context NAME] | --in-cluster]\n"
	"                     [--mesh-namespace NS] [--mesh-name NAME]\n"
	"                     [-o text|json|junit|sarif|prometheus] [--only ID|CATEGORY,...] [--skip ID,...]\n"
	"                     [--fail-on warn|fail] [--timeout SECONDS] [--no-color] [-v]\n";

static const char help[] =
	"Run the OSM checks on a live cluster or a snapshot of cluster state and report.\n"
	"\n"
	"Source:\n"
	"      --snapshot PATH        JSON/YAML file or directory (repeatable): `kubectl get ... -A -o json`\n"
	"                             output or `kubectl cluster-info dump --output-directory DIR`\n"
	"      --kubeconfig FILE      live cluster named by this kubeconfig (default: KUBECONFIG, a\n"
	"                             :-separated list merged like kubectl, else ~/.kube/config)\n"
	"      --context NAME         kubeconfig context (default: current-context)\n"
	"      --in-cluster           live cluster from the pod's service account\n"
	"                             (no source flag at all: the kubeconfig)\n"
	"Selection:\n"
	"      --mesh-namespace NS    the mesh's namespace (default: discovered; AKS uses kube-system)\n"
	"      --mesh-name NAME       the mesh name (default: discovered; AKS uses osm)\n"
	"      --only ID|CATEGORY,... run only these checks or categories (repeatable)\n"
	"      --skip ID|CATEGORY,... skip these checks or categories (repeatable)\n"
	"Output:\n"
	"  -o, --output FORMAT        text (default), json, junit, sarif, prometheus\n"
	"      --fail-on warn|fail    lowest status that makes the exit status 1 (default fail)\n"
	"      --timeout SECONDS      time budget for reading cluster state (default: none)\n"
	"      --no-color             no colours or unicode marks (also NO_COLOR=1)\n"
	"  -v, --verbose              also show the messages of passed checks\n"
	"\n"
	"Exit status: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage error or bad input;\n"
	"3 cluster unreachable or credentials refused; 4 some checks could not be evaluated.\n"
	"Catalogue: osmdiag checks; one entry: osmdiag explain OSMD203; docs/checks.md.\n";

enum { O_MESH_NS = 1, O_MESH_NAME, O_OUTPUT, O_ONLY, O_SKIP, O_FAIL_ON, O_TIMEOUT };

static const cli_opt check_opts[] = {
	CLI_COMMON_OPTS,
	CLI_SOURCE_OPTS,
	{ "mesh-namespace", 0, 1, O_MESH_NS },
	{ "mesh-name", 0, 1, O_MESH_NAME },
	{ "output", 'o', 1, O_OUTPUT },
	{ "only", 0, 1, O_ONLY },
	{ "skip", 0, 1, O_SKIP },
	{ "fail-on", 0, 1, O_FAIL_ON },
	{ "timeout", 0, 1, O_TIMEOUT },
	{ NULL, 0, 0, 0 }
};

enum { F_TEXT, F_JSON, F_JUNIT, F_SARIF, F_PROMETHEUS };

static int parse_format(const char *s)
{
	static const char *const names[] = { "text", "json", "junit", "sarif", "prometheus" };
	for (int i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

typedef struct check_args {
	cli_source src;
	const char *mesh_ns, *mesh_name;
	int format;
	int fail_on;
	long timeout_ms;
	const char **only, **skip; /* borrowed from argv */
	size_t nonly, nskip;
} check_args;

static int push(const char ***v, size_t *n, const char *s)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

static void check_args_dispose(check_args *c)
{
	cli_source_dispose(&c->src);
	free(c->only);
	free(c->skip);
}

/* Parses argv; returns -1 to go on, else the exit status. */
static int parse(check_args *c, int argc, char **argv)
{
	cli_args a;
	const char *val;
	int id;

	cli_args_init(&a, argc, argv, 1);
	while ((id = cli_next(&a, check_opts, &val)) != CLI_ARG_END) {
		int rc = cli_common_opt(id, val, &c->src, usage, help);

		if (rc == CLI_COMMON_HANDLED)
			continue;
		if (rc >= 0)
			return rc;
		switch (id) {
		case CLI_ARG_ERROR:
			return cli_usage_error(usage, "check ", "%s", a.error);
		case CLI_ARG_POSITIONAL:
			return cli_usage_error(usage, "check ", "unexpected argument \"%s\" (snapshots are passed "
				"with --snapshot PATH)", val);
		case O_MESH_NS:
			c->mesh_ns = val;
			break;
		case O_MESH_NAME:
			c->mesh_name = val;
			break;
		case O_OUTPUT:
			c->format = parse_format(val);
			if (c->format < 0)
				return cli_usage_error(usage, "check ", "invalid output format \"%s\" (want text, json, "
					"junit, sarif or prometheus)", val);
			break;
		case O_ONLY:
		case O_SKIP:
			if (push(id == O_ONLY ? &c->only : &c->skip, id == O_ONLY ? &c->nonly : &c->nskip, val)) {
				cli_error("out of memory");
				return CLI_EXIT_USAGE;
			}
			break;
		case O_FAIL_ON:
			if (strcmp(val, "warn") == 0)
				c->fail_on = OSMDIAG_STATUS_WARN;
			else if (strcmp(val, "fail") == 0)
				c->fail_on = OSMDIAG_STATUS_FAIL;
			else
				return cli_usage_error(usage, "check ", "invalid --fail-on \"%s\" (want warn or fail)", val);
			break;
		case O_TIMEOUT: {
			char *end = NULL;
			double s = strtod(val, &end);
			if (!*val || !end || *end || !isfinite(s) || s < 0 || s > 86400.0 * 7)
				return cli_usage_error(usage, "check ", "invalid --timeout \"%s\" (want a number of "
					"seconds, e.g. 30)", val);
			c->timeout_ms = (long)(s * 1000.0 + 0.5);
			if (s > 0 && c->timeout_ms == 0)
				c->timeout_ms = 1;
			break;
		}
		default:
			break;
		}
	}
	return -1;
}

/* Builds the options; prints and returns 2 on a bad value. */
static int make_options(const check_args *c, osmdiag_options **out)
{
	osmdiag_options *o = osmdiag_options_new();
	int rc = OSMDIAG_OK;

	*out = NULL;
	if (!o) {
		cli_error("out of memory");
		return CLI_EXIT_USAGE;
	}
	if (c->mesh_ns && (rc = osmdiag_options_set_mesh_namespace(o, c->mesh_ns)) != OSMDIAG_OK)
		goto bad;
	if (c->mesh_name && (rc = osmdiag_options_set_mesh_name(o, c->mesh_name)) != OSMDIAG_OK)
		goto bad;
	for (size_t i = 0; i < c->nonly; i++)
		if ((rc = osmdiag_options_only(o, c->only[i])) != OSMDIAG_OK)
			goto bad_sel;
	for (size_t i = 0; i < c->nskip; i++)
		if ((rc = osmdiag_options_skip(o, c->skip[i])) != OSMDIAG_OK)
			goto bad_sel;
	if ((rc = osmdiag_options_set_fail_on(o, c->fail_on)) != OSMDIAG_OK)
		goto bad;
	if ((rc = osmdiag_options_set_timeout_ms(o, c->timeout_ms)) != OSMDIAG_OK)
		goto bad;
	*out = o;
	return CLI_EXIT_OK;
bad_sel:
	if (rc == OSMDIAG_EINVAL) {
		cli_usage_error(usage, "check ", "%s",
			*osmdiag_options_errmsg(o) ? osmdiag_options_errmsg(o) : "unknown check ID or category");
		osmdiag_options_free(o);
		return CLI_EXIT_USAGE;
	}
bad:
	cli_error("%s", *osmdiag_options_errmsg(o) ? osmdiag_options_errmsg(o) : osmdiag_strerror(rc));
	osmdiag_options_free(o);
	return CLI_EXIT_USAGE;
}

static int render(const osmdiag_report *rep, int format, char **out)
{
	unsigned flags = 0;

	switch (format) {
	case F_JSON:
		return osmdiag_report_to_json(rep, out);
	case F_JUNIT:
		return osmdiag_report_to_junit(rep, out);
	case F_SARIF:
		return osmdiag_report_to_sarif(rep, out);
	case F_PROMETHEUS:
		return osmdiag_report_to_prometheus(rep, out);
	default:
		if (cli_fancy_output())
			flags |= OSMDIAG_TEXT_COLOR | OSMDIAG_TEXT_UNICODE;
		if (cli_verbose)
			flags |= OSMDIAG_TEXT_VERBOSE;
		return osmdiag_report_to_text(rep, flags, out);
	}
}

int cmd_check(int argc, char **argv)
{
	check_args c;
	osmdiag_options *opts = NULL;
	osmdiag_source *src = NULL;
	osmdiag_report *rep = NULL;
	osmdiag_error err;
	char *doc = NULL, *desc = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	c.format = F_TEXT;
	c.fail_on = OSMDIAG_STATUS_FAIL;
	rc = parse(&c, argc, argv);
	if (rc >= 0)
		goto out;
	if ((rc = make_options(&c, &opts)) != CLI_EXIT_OK)
		goto out;
	if ((rc = cli_source_open(&c.src, &src)) != CLI_EXIT_OK)
		goto out;

	osmdiag_error_clear(&err);
	rep = osmdiag_run(src, opts, &err);
	if (!rep) {
		cli_error("%s", err.message[0] ? err.message : osmdiag_strerror(err.code));
		rc = cli_exit_for_error(err.code);
		goto out;
	}
	if (cli_verbose && strcmp(osmdiag_source_kind(src), "live") == 0)
		fprintf(stderr, "osmdiag: %zu API requests to %s, %zu objects read\n",
			osmdiag_source_request_count(src), osmdiag_source_description(src),
			osmdiag_source_object_count(src));
	desc = c.src.npaths ? cli_source_describe(&c.src) : strdup(osmdiag_source_description(src));
	if (!desc || osmdiag_report_set_source_description(rep, desc) != OSMDIAG_OK) {
		cli_error("out of memory");
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if ((rc = render(rep, c.format, &doc)) != OSMDIAG_OK) {
		cli_error("cannot render the report: %s", osmdiag_strerror(rc));
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if ((rc = cli_write(doc)) != CLI_EXIT_OK)
		goto out;
	rc = osmdiag_report_exit_code(rep, c.fail_on);
out:
	osmdiag_free(doc);
	free(desc);
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
	osmdiag_options_free(opts);
	check_args_dispose(&c);
	return rc;
}
