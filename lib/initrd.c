/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "bounds.h"
#include "compat.h"
#include "initrd.h"
#include "place.h"

static int
append(int out, const char *path, uint64_t *size,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	static const char zeros[4];
	struct stat st;
	size_t pad;
	int in, rc;

	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in == -1)
		return ib_err_errno(err, errno, "%s", path);
	if (fstat(in, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(in);
		return ib_err_set(err, EINVAL, "%s: not a regular file", path);
	}
	rc = ib_copy_range(in, 0, out, (uint64_t)st.st_size, cancel, err);
	close(in);
	if (rc == -1)
		return ib_err_prefix(err, "%s", path);
	*size += (uint64_t)st.st_size;
	pad = (size_t)((4 - *size % 4) % 4);
	if (pad != 0 && ib_write_all(out, zeros, pad, cancel, err) == -1)
		return -1;
	*size += pad;
	return 0;
}

int
ib_initrd_concat(int dirfd, const char *name, const char *const *paths,
    size_t n, const volatile sig_atomic_t *cancel, uint64_t *size, ib_err *err)
{
	char tmp[IB_MAX_NAME + 1];
	size_t i;
	int fd, rc;

	fd = ib_place_create(dirfd, name, "join", 0644, tmp, err);
	if (fd == -1)
		return -1;
	*size = 0;
	rc = 0;
	for (i = 0; i < n && rc == 0; i++)
		rc = append(fd, paths[i], size, cancel, err);
	if (close(fd) == -1 && rc == 0)
		rc = ib_err_errno(err, errno, "close");
	if (rc == -1) {
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return ib_place(dirfd, tmp, name, true, err);
}
