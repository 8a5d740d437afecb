/*
 * Running an exec credential plugin: posix_spawnp with an argv array (no
 * shell), an environment built for the child (the caller's is never
 * modified), stdin /dev/null, stdout capped, stderr captured, a wall-clock
 * timeout after which the plugin's process group is killed.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source/live/live.h"

extern char **environ;

/* stderr kept for the error message */
#define EXEC_MAX_STDERR ((size_t)64 << 10)

void osmdiag__exec_result_dispose(osmdiag__exec_result *res)
{
	if (!res)
		return;
	if (res->out)
		memset(res->out, 0, res->out_len); /* may hold a token */
	free(res->out);
	free(res->err);
	memset(res, 0, sizeof(*res));
}

/* environ + extras (an extra replaces an inherited variable of the same name). */
static char **build_env(char *const extra[])
{
	size_t ne = 0, nx = 0, n = 0;

	while (environ && environ[ne])
		ne++;
	while (extra && extra[nx])
		nx++;
	char **envp = calloc(ne + nx + 1, sizeof(char *));
	if (!envp)
		return NULL;
	for (size_t i = 0; i < ne; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t klen = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		int replaced = 0;
		for (size_t j = 0; j < nx && !replaced; j++)
			replaced = strncmp(extra[j], environ[i], klen) == 0 && extra[j][klen] == '=';
		if (!replaced)
			envp[n++] = environ[i];
	}
	for (size_t j = 0; j < nx; j++) {
		/* a later extra of the same name wins */
		const char *eq = strchr(extra[j], '=');
		size_t klen = eq ? (size_t)(eq - extra[j]) : strlen(extra[j]);
		int later = 0;
		for (size_t k = j + 1; k < nx && !later; k++)
			later = strncmp(extra[k], extra[j], klen) == 0 && extra[k][klen] == '=';
		if (!later)
			envp[n++] = extra[j];
	}
	envp[n] = NULL;
	return envp;
}

static int append(char **buf, size_t *len, size_t *cap, const char *data, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t ncap = *cap ? *cap : 4096;
		while (ncap < *len + n + 1)
			ncap *= 2;
		char *nb = realloc(*buf, ncap);
		if (!nb)
			return -1;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

int osmdiag__exec_spawn(const char *file, char *const argv[], char *const env_extra[], long timeout_ms,
	size_t max_out, osmdiag__exec_result *res, char *errbuf, size_t errlen)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char **envp = NULL;
	pid_t pid = -1;
	int rc = OSMDIAG_OK, fa_ok = 0, attr_ok = 0;
	size_t out_cap = 0, err_cap = 0, err_len = 0;

	memset(res, 0, sizeof(*res));
	if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		snprintf(errbuf, errlen, "cannot create pipes: %s", strerror(errno));
		rc = OSMDIAG_EEXEC;
		goto out;
	}
	envp = build_env(env_extra);
	if (!envp || posix_spawn_file_actions_init(&fa) != 0) {
		snprintf(errbuf, errlen, "out of memory");
		rc = OSMDIAG_ENOMEM;
		goto out;
	}
	fa_ok = 1;
	if (posix_spawnattr_init(&attr) != 0) {
		snprintf(errbuf, errlen, "out of memory");
		rc = OSMDIAG_ENOMEM;
		goto out;
	}
	attr_ok = 1;
	/* own process group (killed as a whole on timeout); default signal handling */
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, outp[1], 1) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, errp[1], 2) != 0) {
		snprintf(errbuf, errlen, "out of memory");
		rc = OSMDIAG_ENOMEM;
		goto out;
	}
	int e = posix_spawnp(&pid, file, &fa, &attr, argv, envp);
	if (e != 0) {
		pid = -1;
		snprintf(errbuf, errlen, "cannot run \"%s\": %s", file, strerror(e));
		rc = OSMDIAG_EEXEC;
		goto out;
	}
	close(outp[1]);
	outp[1] = -1;
	close(errp[1]);
	errp[1] = -1;

	double deadline = osmdiag__now_ms() + (double)timeout_ms;
	char chunk[16384];
	while (outp[0] >= 0 || errp[0] >= 0) {
		struct pollfd pf[2];
		int np = 0, oi = -1, ei = -1;
		if (outp[0] >= 0) {
			pf[np].fd = outp[0];
			pf[np].events = POLLIN;
			oi = np++;
		}
		if (errp[0] >= 0) {
			pf[np].fd = errp[0];
			pf[np].events = POLLIN;
			ei = np++;
		}
		double left = deadline - osmdiag__now_ms();
		if (timeout_ms > 0 && left <= 0) {
			res->timed_out = 1;
			break;
		}
		int pr = poll(pf, (nfds_t)np, timeout_ms > 0 ? (int)(left > 1000 ? 1000 : left + 1) : 1000);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			snprintf(errbuf, errlen, "poll: %s", strerror(errno));
			rc = OSMDIAG_EEXEC;
			break;
		}
		for (int k = 0; k < np; k++) {
			if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t r = read(pf[k].fd, chunk, sizeof(chunk));
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0) {
				close(pf[k].fd);
				if (k == oi)
					outp[0] = -1;
				else
					errp[0] = -1;
				continue;
			}
			if (k == oi) {
				if (res->out_len + (size_t)r > max_out) {
					res->too_large = 1;
					break;
				}
				if (append(&res->out, &res->out_len, &out_cap, chunk, (size_t)r) < 0) {
					snprintf(errbuf, errlen, "out of memory");
					rc = OSMDIAG_ENOMEM;
					break;
				}
			} else if (k == ei && err_len < EXEC_MAX_STDERR) {
				size_t take = (size_t)r;
				if (err_len + take > EXEC_MAX_STDERR)
					take = EXEC_MAX_STDERR - err_len;
				if (append(&res->err, &err_len, &err_cap, chunk, take) < 0) {
					snprintf(errbuf, errlen, "out of memory");
					rc = OSMDIAG_ENOMEM;
					break;
				}
			}
		}
		if (res->too_large || rc != OSMDIAG_OK)
			break;
	}
	if (res->timed_out || res->too_large || rc != OSMDIAG_OK) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
	}
	for (;;) {
		int st;
		pid_t w = waitpid(pid, &st, 0);
		if (w < 0 && errno == EINTR)
			continue;
		if (w == pid)
			res->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
		break;
	}
out:
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	if (attr_ok)
		posix_spawnattr_destroy(&attr);
	free(envp);
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	if (!res->out && rc == OSMDIAG_OK) {
		res->out = calloc(1, 1);
		if (!res->out)
			rc = OSMDIAG_ENOMEM;
	}
	if (!res->err && rc == OSMDIAG_OK) {
		res->err = calloc(1, 1);
		if (!res->err)
			rc = OSMDIAG_ENOMEM;
	}
	if (rc != OSMDIAG_OK)
		osmdiag__exec_result_dispose(res);
	return rc;
}
