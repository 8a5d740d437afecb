/* Argument parsing for the osmdiag commands, and the source options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_args_init(cli_args *a, int argc, char **argv, int first)
{
	memset(a, 0, sizeof(*a));
	a->argc = argc;
	a->argv = argv;
	a->i = first;
}

static const cli_opt *find_long(const cli_opt *opts, const char *name, size_t len)
{
	for (; opts->long_name; opts++)
		if (strlen(opts->long_name) == len && strncmp(opts->long_name, name, len) == 0)
			return opts;
	return NULL;
}

static const cli_opt *find_short(const cli_opt *opts, char c)
{
	for (; opts->long_name; opts++)
		if (opts->short_name && opts->short_name == c)
			return opts;
	return NULL;
}

int cli_next(cli_args *a, const cli_opt *opts, const char **val)
{
	const char *arg;
	const cli_opt *o;

	*val = NULL;
	if (a->i >= a->argc)
		return CLI_ARG_END;
	arg = a->argv[a->i++];
	if (a->only_positional || arg[0] != '-' || arg[1] == '\0') {
		*val = arg;
		return CLI_ARG_POSITIONAL;
	}
	if (strcmp(arg, "--") == 0) {
		a->only_positional = 1;
		return cli_next(a, opts, val);
	}
	if (arg[1] == '-') {
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);

		o = find_long(opts, name, len);
		if (!o) {
			snprintf(a->error, sizeof(a->error), "unknown flag: --%.*s", (int)(len > 64 ? 64 : len), name);
			return CLI_ARG_ERROR;
		}
		if (!o->has_arg) {
			if (eq) {
				snprintf(a->error, sizeof(a->error), "flag --%s takes no value", o->long_name);
				return CLI_ARG_ERROR;
			}
			return o->id;
		}
		if (eq) {
			*val = eq + 1;
		} else if (a->i < a->argc) {
			*val = a->argv[a->i++];
		} else {
			snprintf(a->error, sizeof(a->error), "flag --%s needs a value", o->long_name);
			return CLI_ARG_ERROR;
		}
		return o->id;
	}
	/* short option: -o json, -ojson, -h, -v */
	o = find_short(opts, arg[1]);
	if (!o) {
		snprintf(a->error, sizeof(a->error), "unknown shorthand flag: '%c' in %.64s", arg[1], arg);
		return CLI_ARG_ERROR;
	}
	if (!o->has_arg) {
		if (arg[2] != '\0') {
			snprintf(a->error, sizeof(a->error), "unknown shorthand flag: '%c' in %.64s", arg[2], arg);
			return CLI_ARG_ERROR;
		}
		return o->id;
	}
	if (arg[2] != '\0') {
		*val = arg[2] == '=' ? arg + 3 : arg + 2;
	} else if (a->i < a->argc) {
		*val = a->argv[a->i++];
	} else {
		snprintf(a->error, sizeof(a->error), "flag -%c needs a value", o->short_name);
		return CLI_ARG_ERROR;
	}
	return o->id;
}

int cli_source_opt(cli_source *s, int id, const char *val)
{
	const char **v;

	switch (id) {
	case CLI_OPT_SNAPSHOT:
		v = realloc(s->paths, (s->npaths + 1) * sizeof(*v));
		if (!v)
			return -1;
		s->paths = v;
		s->paths[s->npaths++] = val;
		return 0;
	case CLI_OPT_KUBECONFIG:
		s->kubeconfig = val;
		s->live = 1;
		return 0;
	case CLI_OPT_CONTEXT:
		s->context = val;
		s->live = 1;
		return 0;
	case CLI_OPT_IN_CLUSTER:
		s->in_cluster = 1;
		s->live = 1;
		return 0;
	default:
		return 0;
	}
}

int cli_source_open(const cli_source *s, osmdiag_source **out)
{
	osmdiag_error err;
	osmdiag_source *src;

	*out = NULL;
	if (s->live || s->npaths == 0)
		return cli_source_open_live(s, out);
	osmdiag_error_clear(&err);
	src = osmdiag_source_new_snapshot(&err);
	if (!src) {
		cli_error("%s", err.message[0] ? err.message : osmdiag_strerror(err.code));
		return CLI_EXIT_USAGE;
	}
	for (size_t i = 0; i < s->npaths; i++) {
		if (s->paths[i][0] == '\0') {
			cli_error("--snapshot needs a file or directory path");
			osmdiag_source_free(src);
			return CLI_EXIT_USAGE;
		}
		if (osmdiag_source_add_snapshot(src, s->paths[i]) != OSMDIAG_OK) {
			const char *msg = osmdiag_source_errmsg(src);
			cli_error("%s", msg && *msg ? msg : osmdiag_strerror(osmdiag_source_errcode(src)));
			osmdiag_source_free(src);
			return CLI_EXIT_USAGE;
		}
	}
	*out = src;
	return CLI_EXIT_OK;
}

int cli_source_open_live(const cli_source *s, osmdiag_source **out)
{
	osmdiag_error err;
	osmdiag_source *src;

	*out = NULL;
	if (s->npaths) {
		cli_error("--snapshot cannot be combined with --kubeconfig, --context or --in-cluster");
		return CLI_EXIT_USAGE;
	}
	if (s->in_cluster && (s->kubeconfig || s->context)) {
		cli_error("--in-cluster cannot be combined with --kubeconfig or --context");
		return CLI_EXIT_USAGE;
	}
	if (s->kubeconfig && !*s->kubeconfig) {
		cli_error("--kubeconfig needs a file path");
		return CLI_EXIT_USAGE;
	}
	osmdiag_error_clear(&err);
	src = s->in_cluster ? osmdiag_source_new_in_cluster(&err)
			    : osmdiag_source_new_kubeconfig(s->kubeconfig, s->context, &err);
	if (!src) {
		cli_error("%s", err.message[0] ? err.message : osmdiag_strerror(err.code));
		return CLI_EXIT_USAGE;
	}
	*out = src;
	return CLI_EXIT_OK;
}

char *cli_source_describe(const cli_source *s)
{
	size_t len = sizeof("snapshot ");
	char *d;

	for (size_t i = 0; i < s->npaths; i++)
		len += strlen(s->paths[i]) + 2;
	d = malloc(len);
	if (!d)
		return NULL;
	strcpy(d, "snapshot ");
	for (size_t i = 0; i < s->npaths; i++) {
		if (i)
			strcat(d, ", ");
		strcat(d, s->paths[i]);
	}
	return d;
}

void cli_source_dispose(cli_source *s)
{
	free(s->paths);
	s->paths = NULL;
	s->npaths = 0;
}

int cli_exit_for_error(int code)
{
	switch (code) {
	case OSMDIAG_ENET:
	case OSMDIAG_EAUTH:
	case OSMDIAG_ETLS:
	case OSMDIAG_ETIMEOUT:
	case OSMDIAG_EHTTP:
	case OSMDIAG_EFORBIDDEN:
	case OSMDIAG_EEXEC:
		return CLI_EXIT_UNREACHABLE;
	default:
		return CLI_EXIT_USAGE;
	}
}

int cli_common_opt(int id, const char *val, cli_source *src, const char *usage, const char *help)
{
	switch (id) {
	case CLI_OPT_HELP:
		fputs(usage, stdout);
		fputs("\n", stdout);
		fputs(help, stdout);
		return CLI_EXIT_OK;
	case CLI_OPT_NO_COLOR:
		cli_no_color = 1;
		return CLI_COMMON_HANDLED;
	case CLI_OPT_VERBOSE:
		cli_verbose = 1;
		return CLI_COMMON_HANDLED;
	case CLI_OPT_SNAPSHOT:
	case CLI_OPT_KUBECONFIG:
	case CLI_OPT_CONTEXT:
	case CLI_OPT_IN_CLUSTER:
		if (!src)
			return CLI_COMMON_NOT_MINE;
		if (cli_source_opt(src, id, val) != 0) {
			cli_error("out of memory");
			return CLI_EXIT_USAGE;
		}
		return CLI_COMMON_HANDLED;
	default:
		return CLI_COMMON_NOT_MINE;
	}
}
