/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "compat.h"
#include "disk.h"
#include "disk_size.h"
#include "place.h"
#include "qcow2.h"

/* Zeros are written in pieces this big: dd's bs=1M, and little memory. */
#define ZERO_CHUNK (1024u * 1024)

int
ib_disk_format_parse(const char *s)
{
	if (strcmp(s, "raw") == 0)
		return IB_DISK_RAW;
	if (strcmp(s, "qcow2") == 0)
		return IB_DISK_QCOW2;
	return -1;
}

const char *
ib_disk_format_name(ib_disk_format f)
{
	return f == IB_DISK_QCOW2 ? "qcow2" : "raw";
}

static bool
cancelled(const ib_disk_opts *o)
{
	return o->cancel != NULL && *o->cancel != 0;
}

/* Write size bytes of zeros from the start of fd. */
static int
write_zeros(int fd, uint64_t size, const ib_disk_opts *o, ib_err *err)
{
	uint64_t done;
	size_t n;
	char *zero;
	int rc;

	/* Page-aligned and touched: the kernel copies from it fastest
	 * (a calloc'd buffer is 16 bytes off a page and maps the zero
	 * page: 10-20% slower than dd, whose buffer is both). */
	if (posix_memalign((void **)&zero, 4096, ZERO_CHUNK) != 0)
		return ib_err_errno(err, ENOMEM, "zeros");
	memset(zero, 0, ZERO_CHUNK);
	rc = 0;
	for (done = 0; done < size && rc == 0; done += n) {
		n = size - done < ZERO_CHUNK ? (size_t)(size - done) :
		                               ZERO_CHUNK;
		if (cancelled(o))
			rc = ib_err_set(err, IB_EINTR, "interrupted");
		else
			rc = ib_write_all(fd, zero, n, o->cancel, err);
	}
	free(zero);
	return rc;
}

/* Reserve size bytes of blocks: the system's call, else zeros. */
static int
reserve(int fd, uint64_t size, const ib_disk_opts *o, const char **method,
    ib_err *err)
{
#if HAVE_POSIX_FALLOCATE
	int e;

	e = posix_fallocate(fd, 0, (off_t)size);
	if (e == 0) {
		*method = "fallocate";
		return 0;
	}
	if (e != EINVAL && e != EOPNOTSUPP && e != ENOSYS)
		return ib_err_errno(err, e, "reserve %llu bytes",
		    (unsigned long long)size);
#elif HAVE_F_PREALLOCATE
	fstore_t fs;

	/* Contiguous if the file system can, else anywhere. */
	memset(&fs, 0, sizeof(fs));
	fs.fst_flags = F_ALLOCATECONTIG | F_ALLOCATEALL;
	fs.fst_posmode = F_PEOFPOSMODE;
	fs.fst_length = (off_t)size;
	if (fcntl(fd, F_PREALLOCATE, &fs) == -1) {
		fs.fst_flags = F_ALLOCATEALL;
		if (fcntl(fd, F_PREALLOCATE, &fs) == -1 && errno != ENOTSUP)
			return ib_err_errno(err, errno, "reserve %llu bytes",
			    (unsigned long long)size);
	}
	if (fs.fst_bytesalloc >= (off_t)size) {
		if (ftruncate(fd, (off_t)size) == -1)
			return ib_err_errno(err, errno, "set the size");
		*method = "F_PREALLOCATE";
		return 0;
	}
#endif
	*method = "zeros";
	return write_zeros(fd, size, o, err);
}

static int
fill(int fd, uint64_t size, const ib_disk_opts *o, ib_disk_result *r,
    ib_err *err)
{
	if (o->format == IB_DISK_QCOW2) {
		r->method = "sparse";
		return ib_qcow2_write(fd, size, err);
	}
	switch (o->prealloc) {
	case IB_PREALLOC_FALLOC:
		return reserve(fd, size, o, &r->method, err);
	case IB_PREALLOC_FULL:
		r->method = "zeros";
		return write_zeros(fd, size, o, err);
	case IB_PREALLOC_OFF:
		break;
	}
	r->method = "sparse";
	if (ftruncate(fd, (off_t)size) == -1)
		return ib_err_errno(err, errno, "set the size to %llu bytes",
		    (unsigned long long)size);
	return 0;
}

/* Split path into its directory (opened) and last component. */
static int
open_parent(const char *path, const char **base, ib_err *err)
{
	char dir[IB_MAX_PATH + 1];
	const char *slash;
	size_t n;
	int fd;

	slash = strrchr(path, '/');
	*base = slash != NULL ? slash + 1 : path;
	if (**base == '\0' || strcmp(*base, ".") == 0 ||
	    strcmp(*base, "..") == 0)
		return ib_err_set(err, EISDIR, "names a directory, not a file");
	if (slash == NULL) {
		snprintf(dir, sizeof(dir), ".");
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n > IB_MAX_PATH)
			return ib_err_set(err, ENAMETOOLONG, "path too long");
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return ib_err_errno(err, errno, "directory %s", dir);
	return fd;
}

int
ib_disk_make(const char *path, uint64_t size, const ib_disk_opts *o,
    ib_disk_result *r, ib_err *err)
{
	struct statvfs vfs;
	struct stat st;
	const char *base;
	char tmp[IB_MAX_NAME + 1];
	bool exists;
	int dirfd, fd, rc;

	memset(r, 0, sizeof(*r));
	r->virtual_size = size;
	if (size == 0 || size % IB_DISK_SECTOR != 0 || size > IB_DISK_MAX_SIZE)
		return ib_err_set(err, EINVAL,
		    "size %llu is not a positive multiple of 512",
		    (unsigned long long)size);
	if (o->format == IB_DISK_QCOW2 && o->prealloc != IB_PREALLOC_OFF)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "preallocation is for raw images; a qcow2 image grows as "
		    "the guest writes");
	dirfd = open_parent(path, &base, err);
	if (dirfd == -1)
		return -1;
	/* Fail early, before any work; ib_place() decides for sure. */
	exists = fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		close(dirfd);
		return ib_err_set(err, EISDIR, "is a directory");
	}
	if (exists && !o->force) {
		close(dirfd);
		return ib_err_set(err, EEXIST, "exists");
	}
	fd = ib_place_create(dirfd, base, "mkdisk", 0666, tmp, err);
	if (fd == -1) {
		close(dirfd);
		return -1;
	}
	rc = fill(fd, size, o, r, err);
	/* Replacing an image: its data must be on disk before the old
	 * one goes, or a crash could leave neither. */
	if (rc == 0 && exists && fsync(fd) == -1)
		rc = ib_err_errno(err, errno, "sync");
	if (rc == 0 && fstat(fd, &st) == -1)
		rc = ib_err_errno(err, errno, "stat");
	if (rc == 0 && fstatvfs(fd, &vfs) == 0)
		r->free_bytes = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	if (close(fd) == -1 && rc == 0)
		rc = ib_err_errno(err, errno, "close");
	if (rc == 0 && cancelled(o))
		rc = ib_err_set(err, IB_EINTR, "interrupted");
	if (rc == -1) {
		unlinkat(dirfd, tmp, 0);
		close(dirfd);
		return -1;
	}
	rc = ib_place(dirfd, tmp, base, o->force, err);
	close(dirfd);
	if (rc == -1)
		return -1;
	r->file_size = (uint64_t)st.st_size;
	r->allocated = (uint64_t)st.st_blocks * 512;
	r->replaced = exists;
	r->low_space = strcmp(r->method, "sparse") == 0 && r->free_bytes < size;
	return 0;
}
