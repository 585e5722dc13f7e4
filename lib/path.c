/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "path.h"

#ifndef O_DIRECTORY
#define O_DIRECTORY 0
#endif

int
ib_path_check(const char *path, ib_err *err)
{
	const char *p, *slash;
	size_t n;

	if (path[0] == '\0')
		return ib_err_set(err, IB_EUNSAFE, "empty path");
	if (path[0] == '/')
		return ib_err_set(err, IB_EUNSAFE, "absolute path");
	if (strlen(path) > IB_MAX_PATH)
		return ib_err_set(err, IB_EUNSAFE, "path too long");
	for (p = path;; p = slash + 1) {
		slash = strchr(p, '/');
		n = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (n == 0)
			return ib_err_set(err, IB_EUNSAFE, "empty component");
		if (n > IB_MAX_NAME)
			return ib_err_set(err, IB_EUNSAFE,
			    "component longer than %u bytes", IB_MAX_NAME);
		if ((n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return ib_err_set(err, IB_EUNSAFE,
			    "'.' or '..' component");
		if (slash == NULL)
			return 0;
	}
}

const char *
ib_path_strip(const char *path, unsigned n)
{
	const char *p;

	p = path;
	while (n-- > 0) {
		p = strchr(p, '/');
		if (p == NULL)
			return NULL;
		p++;
	}
	return *p != '\0' ? p : NULL;
}

const char *
ib_path_base(const char *path)
{
	const char *s;

	s = strrchr(path, '/');
	return s != NULL ? s + 1 : path;
}

char *
ib_path_absolute_new(const char *path, ib_err *err)
{
	char cwd[IB_MAX_PATH + 1], *r;

	r = realpath(path, NULL);
	if (r != NULL || path[0] == '/') {
		if (r == NULL)
			r = strdup(path);
	} else if (getcwd(cwd, sizeof(cwd)) != NULL) {
		r = ib_path_join_new(cwd, path);
	} else {
		ib_err_errno(err, errno, "%s: working directory", path);
		return NULL;
	}
	if (r == NULL)
		ib_err_errno(err, ENOMEM, "%s", path);
	return r;
}

char *
ib_path_join_new(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s/%s", dir, name);
	return s;
}

/* Open component name of dir fd as a directory, never through a link. */
static int
open_dir_at(int fd, const char *name, bool create, ib_err *err)
{
	struct stat st;
	int d;

	for (;;) {
		d = openat(fd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (d != -1)
			break;
		if (errno == ENOENT && create) {
			if (mkdirat(fd, name, 0755) == -1 && errno != EEXIST)
				return ib_err_errno(err, errno, "mkdir '%s'",
				    name);
			create = false; /* once: a race loses cleanly */
			continue;
		}
		if (errno == ELOOP || errno == ENOTDIR || errno == EMLINK ||
		    (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		        !S_ISDIR(st.st_mode)))
			return ib_err_set(err, IB_EUNSAFE,
			    "'%s' is a symlink or not a directory", name);
		return ib_err_errno(err, errno, "open '%s'", name);
	}
	/* O_DIRECTORY may be 0 on old systems: check what we opened. */
	if (fstat(d, &st) == -1 || !S_ISDIR(st.st_mode)) {
		close(d);
		return ib_err_set(err, IB_EUNSAFE, "'%s' is not a directory",
		    name);
	}
	return d;
}

int
ib_path_open_parent(int dirfd, const char *path, bool create, const char **base,
    ib_err *err)
{
	char comp[IB_MAX_NAME + 1];
	const char *p, *slash;
	size_t n;
	int fd, next;

	if (ib_path_check(path, err) == -1)
		return -1;
	fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (fd == -1)
		return ib_err_errno(err, errno, "dup");
	for (p = path; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		n = (size_t)(slash - p);
		memcpy(comp, p, n);
		comp[n] = '\0';
		next = open_dir_at(fd, comp, create, err);
		close(fd);
		if (next == -1)
			return -1;
		fd = next;
	}
	*base = p;
	return fd;
}
