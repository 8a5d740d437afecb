/*
 * osmdiag command-line front: shared declarations. The CLI uses only the
 * public API (<osmdiag/osmdiag.h>); it prints, the library never does.
 */
#ifndef OSMDIAG_CLI_H
#define OSMDIAG_CLI_H

#include <stddef.h>

#include <osmdiag/osmdiag.h>

/* Exit codes (spec/INTERFACES.md). */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FINDINGS = 1,
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_UNREACHABLE = 3,
	CLI_EXIT_ERRORS = 4
};


/* ---- argument parsing (args.c) -------------------------------------- */

typedef struct cli_opt {
	const char *long_name; /* "mesh-namespace" (without dashes) */
	char short_name;       /* 'o', or 0 */
	int has_arg;
	int id;                /* returned by cli_next() */
} cli_opt;

enum {
	CLI_ARG_END = -1,      /* no more arguments */
	CLI_ARG_POSITIONAL = -2,
	CLI_ARG_ERROR = -3     /* unknown option / missing value: message in cli_args.error */
};

typedef struct cli_args {
	int argc;
	char **argv;
	int i;                 /* next argument */
	int only_positional;   /* after "--" */
	char error[256];
} cli_args;

void cli_args_init(cli_args *a, int argc, char **argv, int first);
/*
 * Next option: its id (value in *val when it takes one), CLI_ARG_POSITIONAL
 * (the word in *val), CLI_ARG_END or CLI_ARG_ERROR. Accepts `--name value`,
 * `--name=value`, `-o value`, `-ovalue`, and `--` to end the options.
 */
int cli_next(cli_args *a, const cli_opt *opts, const char **val);

/* Options every command accepts. */
enum { CLI_OPT_HELP = 1000, CLI_OPT_NO_COLOR, CLI_OPT_VERBOSE };
#define CLI_COMMON_OPTS \
	{ "help", 'h', 0, CLI_OPT_HELP }, \
	{ "no-color", 0, 0, CLI_OPT_NO_COLOR }, \
	{ "verbose", 'v', 0, CLI_OPT_VERBOSE }

/* Where cluster state comes from (--snapshot ... or a live source). */
enum { CLI_OPT_SNAPSHOT = 1100, CLI_OPT_KUBECONFIG, CLI_OPT_CONTEXT, CLI_OPT_IN_CLUSTER };
#define CLI_SOURCE_OPTS \
	{ "snapshot", 0, 1, CLI_OPT_SNAPSHOT }, \
	{ "kubeconfig", 0, 1, CLI_OPT_KUBECONFIG }, \
	{ "context", 0, 1, CLI_OPT_CONTEXT }, \
	{ "in-cluster", 0, 0, CLI_OPT_IN_CLUSTER }

typedef struct cli_source {
	const char **paths;    /* borrowed from argv */
	size_t npaths;
	int live;              /* a live source was asked for */
	const char *kubeconfig; /* --kubeconfig (borrowed) */
	const char *context;   /* --context (borrowed) */
	int in_cluster;        /* --in-cluster */
} cli_source;

/* Handles a CLI_SOURCE_OPTS id; 0, or -1 on out of memory. */
int cli_source_opt(cli_source *s, int id, const char *val);
/*
 * Opens the source: the snapshots, else the live cluster (--in-cluster, else
 * the kubeconfig: --kubeconfig or KUBECONFIG or ~/.kube/config). Prints the
 * error and returns the exit code (2) on failure. cli_source_open_live
 * refuses --snapshot (osmdiag snapshot).
 */
int cli_source_open(const cli_source *s, osmdiag_source **out);
int cli_source_open_live(const cli_source *s, osmdiag_source **out);
/* "snapshot a, b" (new string) or NULL on OOM. */
char *cli_source_describe(const cli_source *s);
void cli_source_dispose(cli_source *s);

/* ---- output helpers (main.c) ----------------------------------------- */

extern int cli_no_color;   /* --no-color seen anywhere */
extern int cli_verbose;    /* -v seen anywhere */

/* "osmdiag: <msg>\n" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: message, the command's usage line, a pointer to --help. Returns 2. */
int cli_usage_error(const char *usage, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Writes a document to stdout; 0, or prints an error and returns 2. */
int cli_write(const char *doc);
/* Colour and unicode marks: stdout is a terminal, NO_COLOR unset, no --no-color, TERM not dumb. */
int cli_fancy_output(void);

/* ---- commands --------------------------------------------------------- */

int cmd_check(int argc, char **argv);
int cmd_checks(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_mesh(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_migrate(int argc, char **argv);

/* Exit status for an osmdiag_errcode that stopped a command: 3 when the cluster
 * could not be reached or refused us, else 2 (bad input or usage). */
int cli_exit_for_error(int code);

/* cli_common_opt() results besides an exit status (>= 0). */
#define CLI_COMMON_HANDLED (-1)
#define CLI_COMMON_NOT_MINE (-2)

/*
 * The options every command shares: --help (prints `usage`, a blank line and
 * `help`, then the command exits 0), --no-color, -v, and the source options
 * (recorded in `src`; NULL when the command takes no source). Returns
 * CLI_COMMON_HANDLED, CLI_COMMON_NOT_MINE, or an exit status to return.
 */
int cli_common_opt(int id, const char *val, cli_source *src, const char *usage, const char *help);

#endif /* OSMDIAG_CLI_H */
