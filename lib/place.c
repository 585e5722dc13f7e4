/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "compat.h"
#include "place.h"

int
ib_place(int dirfd, const char *tmp, const char *name, bool replace,
    ib_err *err)
{
	int e;

	if (replace) {
		if (renameat(dirfd, tmp, dirfd, name) == -1) {
			e = errno;
			unlinkat(dirfd, tmp, 0);
			return ib_err_errno(err, e, "rename into place");
		}
		/* POSIX: renaming a link onto another link of the same
		 * file does nothing and leaves tmp; otherwise tmp is gone
		 * and this fails with ENOENT. */
		unlinkat(dirfd, tmp, 0);
		return 0;
	}
	if (linkat(dirfd, tmp, dirfd, name, 0) == 0) {
		unlinkat(dirfd, tmp, 0);
		return 0;
	}
	e = errno;
	if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == ENOSYS ||
	    e == EMLINK) {
		/* No hard links here (FAT, some FUSE and network file
		 * systems): an exclusive rename does the same. */
		if (ib_rename_noreplace(dirfd, tmp, name) == 0)
			return 0;
		if (errno != ENOSYS && errno != EINVAL)
			e = errno;
	}
	unlinkat(dirfd, tmp, 0);
	if (e == EEXIST)
		return ib_err_set(err, EEXIST, "exists");
	return ib_err_errno(err, e, "link into place");
}

int
ib_place_finish(int dirfd, int fd, const char *tmp, const char *name,
    bool replace, int rc, ib_err *err)
{
	if (close(fd) == -1 && rc == 0)
		rc = ib_err_errno(err, errno, "%s", name);
	if (rc == 0)
		return ib_place(dirfd, tmp, name, replace, err);
	unlinkat(dirfd, tmp, 0);
	return rc;
}

int
ib_place_create(int dirfd, const char *name, const char *tag, mode_t mode,
    char *tmp, ib_err *err)
{
	int fd, tries;

	for (tries = 0;; tries++) {
		/* Named after the file, so that a leftover (SIGKILL) says
		 * what it was. */
		if (snprintf(tmp, IB_MAX_NAME + 1, ".%s.%s-%ld-%d", name, tag,
		        (long)getpid(), tries) > (int)IB_MAX_NAME)
			snprintf(tmp, IB_MAX_NAME + 1, ".%s-%ld-%d", tag,
			    (long)getpid(), tries);
		fd = openat(dirfd, tmp,
		    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd != -1)
			return fd;
		if (errno != EEXIST || tries > 100)
			return ib_err_errno(err, errno, "create a temporary");
	}
}

/* The temporaries' tags (ib_place_create's callers). */
static const char *const tags[] = { "conv", "isoboot", "join", "mkdisk", "part",
	"unpack", "unz", "vars" };

/*
 * The pid of a temporary's name as ib_place_create() makes it,
 * ".NAME.TAG-PID-N" or ".TAG-PID-N" with a known TAG; 0 when the name is
 * none of ours.
 */
static long
temp_pid(const char *name)
{
	const char *end = name + strlen(name), *p, *dash;
	size_t i, k;
	long pid;

	if (name[0] != '.')
		return 0;
	/* -N */
	for (p = end; p > name && p[-1] >= '0' && p[-1] <= '9'; p--)
		;
	if (p == end || p == name || p[-1] != '-')
		return 0;
	/* -PID */
	dash = p - 1;
	for (p = dash; p > name && p[-1] >= '0' && p[-1] <= '9'; p--)
		;
	if (p == dash || p == name || p[-1] != '-' || dash - p > 9)
		return 0;
	pid = strtol(p, NULL, 10);
	/* .TAG or .NAME.TAG just before */
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		k = strlen(tags[i]);
		if ((size_t)(p - 1 - name) >= k + 1 &&
		    strncmp(p - 1 - k, tags[i], k) == 0 &&
		    p[-2 - (long)k] == '.')
			return pid;
	}
	return 0;
}

int
ib_place_sweep(int dirfd, unsigned *removed, ib_err *err)
{
	struct dirent *de;
	DIR *d;
	long pid;
	int fd;

	*removed = 0;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return ib_err_errno(err, errno, "open");
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return ib_err_errno(err, errno, "open");
	}
	while ((de = readdir(d)) != NULL) {
		pid = temp_pid(de->d_name);
		/* A writer that is gone (killed) left it; a live one (pid
		 * reused, or another tool writing here) keeps it. */
		if (pid > 0 && pid != (long)getpid() &&
		    kill((pid_t)pid, 0) == -1 && errno == ESRCH &&
		    unlinkat(dirfd, de->d_name, 0) == 0)
			(*removed)++;
	}
	closedir(d);
	return 0;
}

/* Whether the file name in dirfd holds exactly data, with the exec bit
 * as mode has it. */
static bool
same_bytes(int dirfd, const char *name, const unsigned char *data, size_t len,
    mode_t mode)
{
	unsigned char buf[8192];
	struct stat st;
	size_t at;
	ssize_t n;
	bool same;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return false;
	same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size == (uint64_t)len &&
	    ((st.st_mode & 0100) != 0) == ((mode & 0100) != 0);
	for (at = 0; same && at < len; at += (size_t)n) {
		n = read(fd, buf,
		    len - at < sizeof(buf) ? len - at : sizeof(buf));
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		same = n > 0 && memcmp(buf, data + at, (size_t)n) == 0;
	}
	close(fd);
	return same;
}

int
ib_place_bytes(int dirfd, const char *name, const void *data, size_t len,
    mode_t mode, bool *changed, ib_err *err)
{
	char tmp[IB_MAX_NAME + 1];
	int fd;

	*changed = false;
	if (same_bytes(dirfd, name, data, len, mode))
		return 0;
	fd = ib_place_create(dirfd, name, "isoboot", mode, tmp, err);
	if (fd == -1)
		return -1;
	if (ib_write_all(fd, data, len, NULL, err) == -1) {
		close(fd);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	if (close(fd) == -1) {
		unlinkat(dirfd, tmp, 0);
		return ib_err_errno(err, errno, "close");
	}
	if (ib_place(dirfd, tmp, name, true, err) == -1)
		return -1;
	*changed = true;
	return 0;
}

int
ib_place_dir(const char *dir, ib_err *err)
{
	int fd, e;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd != -1 || errno != ENOENT)
		return fd != -1 ? fd : ib_err_errno(err, errno, "%s", dir);
	if (mkdir(dir, 0755) == -1) {
		e = errno;
		if (e == ENOENT)
			return ib_err_set(err, ENOENT,
			    "%s: its parent directory does not exist (only the "
			    "last directory of a path is made)",
			    dir);
		if (e != EEXIST) /* EEXIST: made meanwhile by another */
			return ib_err_errno(err, e, "%s", dir);
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return ib_err_errno(err, errno, "%s", dir);
	return fd;
}

/* Take the fcntl() write lock on fd, waiting when it is held. */
static int
lock_fd(int fd, const char *name, void (*waiting)(void *ctx, long pid),
    void *ctx, const volatile sig_atomic_t *cancel, ib_err *err)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) == 0)
		return 0;
	if (errno != EAGAIN && errno != EACCES)
		return ib_err_errno(err, errno, "%s: lock", name);
	if (waiting != NULL && fcntl(fd, F_GETLK, &fl) == 0 &&
	    fl.l_type != F_UNLCK)
		waiting(ctx, (long)fl.l_pid);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	while (fcntl(fd, F_SETLKW, &fl) == -1) {
		if (errno != EINTR)
			return ib_err_errno(err, errno, "%s: lock", name);
		if (cancel != NULL && *cancel != 0)
			return ib_err_set(err, IB_EINTR, "interrupted");
	}
	return 0;
}

int
ib_place_lock(int dirfd, const char *name, void (*waiting)(void *ctx, long pid),
    void *ctx, const volatile sig_atomic_t *cancel, ib_err *err)
{
	struct stat held, now;
	int fd;

	for (;;) {
		fd = openat(dirfd, name,
		    O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd == -1)
			return ib_err_errno(err, errno, "%s", name);
		if (lock_fd(fd, name, waiting, ctx, cancel, err) == -1) {
			close(fd);
			return -1;
		}
		/* The holder before us removes the file as it lets go: a
		 * lock on a file no longer under name locks nothing. */
		if (fstat(fd, &held) == 0 &&
		    fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
		    held.st_dev == now.st_dev && held.st_ino == now.st_ino)
			return fd;
		close(fd);
		waiting = NULL; /* said once */
	}
}

void
ib_place_unlock(int dirfd, const char *name, int fd)
{
	if (fd == -1)
		return;
	unlinkat(dirfd, name, 0);
	close(fd);
}
