#include "config.h"

#if HAVE_RENAMEAT2
#define _GNU_SOURCE /* renameat2, glibc >= 2.28 */
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "bounds.h"
#include "place.h"

/* An exclusive rename, where the system has one: 0, or -1 with errno
 * (ENOSYS when there is none). */
static int
rename_noreplace(int dirfd, const char *from, const char *to)
{
#if HAVE_RENAMEAT2
	return renameat2(dirfd, from, dirfd, to, RENAME_NOREPLACE);
#elif HAVE_RENAMEATX_NP
	return renameatx_np(dirfd, from, dirfd, to, RENAME_EXCL);
#else
	(void)dirfd;
	(void)from;
	(void)to;
	errno = ENOSYS;
	return -1;
#endif
}

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
		if (rename_noreplace(dirfd, tmp, name) == 0)
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
