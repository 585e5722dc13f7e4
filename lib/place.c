/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
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
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && mkdir(dir, 0755) == 0)
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return ib_err_errno(err, errno, "%s", dir);
	return fd;
}
