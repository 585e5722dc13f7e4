/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The only file that may ask for GNU extensions (STYLE.md section 8). */
#define _GNU_SOURCE

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#if HAVE_SENDFILE
#include <sys/sendfile.h>
#endif
#if defined(__linux__) || defined(__GLIBC__)
#include <sys/sysmacros.h>
#endif

#include "compat.h"

/* Per-call chunk: small enough to notice a signal soon, big enough that
 * the per-call cost vanishes (1 GiB = 64 calls). */
#define CHUNK (16u * 1024 * 1024)

/* Fallback copy buffer. */
#define BUFSZ (1024u * 1024)

static int
cancelled(const volatile sig_atomic_t *cancel, ib_err *err)
{
	if (cancel != NULL && *cancel)
		return ib_err_set(err, IB_EINTR, "interrupted");
	return 0;
}

int
ib_pread_all(int fd, void *buf, size_t len, uint64_t off, ib_err *err)
{
	unsigned char *p;
	ssize_t n;

	p = buf;
	if (off > (uint64_t)INT64_MAX - len)
		return ib_err_set(err, EINVAL, "offset %llu out of range",
		    (unsigned long long)off);
	while (len > 0) {
		n = pread(fd, p, len, (off_t)off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return ib_err_errno(err, errno, "read at %llu",
			    (unsigned long long)off);
		}
		if (n == 0)
			return ib_err_set(err, EIO,
			    "unexpected end of input at %llu",
			    (unsigned long long)off);
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int
ib_write_all(int fd, const void *buf, size_t len,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	const unsigned char *p;
	ssize_t n;

	p = buf;
	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR) {
				if (cancelled(cancel, err) == -1)
					return -1;
				continue;
			}
			return ib_err_errno(err, errno, "write");
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
pwrite_all(int fd, const unsigned char *p, size_t len, uint64_t off,
    ib_err *err)
{
	ssize_t n;

	while (len > 0) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return ib_err_errno(err, errno, "write");
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static bool
all_zero(const unsigned char *p, size_t n)
{
	/* The first byte, then the buffer against itself shifted by one:
	 * memcmp runs at memory speed. */
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

int
ib_pwrite_sparse(int fd, const void *buf, size_t len, uint64_t off, ib_err *err)
{
	const unsigned char *b = buf;
	size_t at = 0, start, n;

	while (at < len) {
		n = len - at < IB_SPARSE_BLOCK ? len - at : IB_SPARSE_BLOCK;
		if (all_zero(b + at, n)) {
			at += n;
			continue;
		}
		start = at;
		while (at < len) {
			n = len - at < IB_SPARSE_BLOCK ? len - at :
			                                 IB_SPARSE_BLOCK;
			if (all_zero(b + at, n))
				break;
			at += n;
		}
		if (pwrite_all(fd, b + start, at - start, off + start, err) ==
		    -1)
			return -1;
	}
	return 0;
}

static int
copy_loop(int in, uint64_t off, int out, uint64_t len,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	unsigned char *buf;
	size_t n;
	int rc;

	buf = malloc(BUFSZ);
	if (buf == NULL)
		return ib_err_errno(err, ENOMEM, "copy buffer");
	rc = 0;
	while (len > 0) {
		n = len < BUFSZ ? (size_t)len : BUFSZ;
		if (cancelled(cancel, err) == -1 ||
		    ib_pread_all(in, buf, n, off, err) == -1 ||
		    ib_write_all(out, buf, n, cancel, err) == -1) {
			rc = -1;
			break;
		}
		off += n;
		len -= n;
	}
	free(buf);
	return rc;
}

/* Fault the window in with one call where the system can. */
#if HAVE_MAP_POPULATE
#define POPULATE MAP_POPULATE
#else
#define POPULATE 0
#endif

/* Bytes mapped at a time by copy_mapped: bounds the resident set. */
#define WINDOW (1024u * 1024)

/*
 * Copy through a mapping of the source: one memory copy, from the page
 * cache into the destination. ISO extents start on 2048-byte boundaries,
 * so half of them are not page-aligned, and the kernel's copy_file_range
 * and sendfile then move half pages and run ~1.7x slower than cp (measured
 * on ext4, Linux 6.1). Returns 1 when mmap is not possible here (the
 * caller falls back), 0 when done, -1 on error.
 * The image must not shrink while mapped (SIGBUS), as for any reader.
 */
static int
copy_mapped(int in, uint64_t off, int out, uint64_t len,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	struct stat st;
	unsigned char *map;
	uint64_t start, skip;
	size_t span, n;
	long pg;
	int rc;

	pg = sysconf(_SC_PAGESIZE);
	if (pg <= 0 || fstat(in, &st) == -1 || !S_ISREG(st.st_mode))
		return 1;
	/* Pages past the end would fault in write(): say what it is. */
	if (off + len > (uint64_t)st.st_size)
		return ib_err_set(err, EIO, "unexpected end of input at %llu",
		    (unsigned long long)st.st_size);
	while (len > 0) {
		if (cancelled(cancel, err) == -1)
			return -1;
		start = off - off % (uint64_t)pg;
		skip = off - start;
		n = len < WINDOW ? (size_t)len : WINDOW;
		span = (size_t)skip + n;
		map = mmap(NULL, span, PROT_READ, MAP_SHARED | POPULATE, in,
		    (off_t)start);
		if (map == MAP_FAILED)
			return 1;
		posix_madvise(map, span, POSIX_MADV_SEQUENTIAL);
		rc = ib_write_all(out, map + skip, n, cancel, err);
		munmap(map, span);
		if (rc == -1)
			return -1;
		off += n;
		len -= n;
	}
	return 0;
}

#if HAVE_COPY_FILE_RANGE || HAVE_SENDFILE
/* Errors after which a kernel copy path is just not available here. */
static int
not_available(int e)
{
	return e == ENOSYS || e == EINVAL || e == EXDEV || e == EOPNOTSUPP ||
	    e == EBADF || e == ENOTSUP;
}
#endif

int
ib_copy_range(int in, uint64_t off, int out, uint64_t len,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
#if HAVE_COPY_FILE_RANGE || HAVE_SENDFILE
	ssize_t n;
	off_t o;
	size_t want;
#endif
	int rc;

	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		return ib_err_set(err, EINVAL, "offset %llu out of range",
		    (unsigned long long)off);
	if (off % 4096 != 0 && len >= WINDOW) {
		rc = copy_mapped(in, off, out, len, cancel, err);
		if (rc != 1)
			return rc;
	}
#if HAVE_COPY_FILE_RANGE
	while (len > 0) {
		if (cancelled(cancel, err) == -1)
			return -1;
		want = len < CHUNK ? (size_t)len : CHUNK;
		o = (off_t)off;
		n = copy_file_range(in, &o, out, NULL, want, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && not_available(errno))
			break;
		if (n == -1)
			return ib_err_errno(err, errno, "copy");
		if (n == 0)
			return ib_err_set(err, EIO,
			    "unexpected end of input at %llu",
			    (unsigned long long)off);
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
#endif
#if HAVE_SENDFILE
	while (len > 0) {
		if (cancelled(cancel, err) == -1)
			return -1;
		want = len < CHUNK ? (size_t)len : CHUNK;
		o = (off_t)off;
		n = sendfile(out, in, &o, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && not_available(errno))
			break;
		if (n == -1)
			return ib_err_errno(err, errno, "copy");
		if (n == 0)
			return ib_err_set(err, EIO,
			    "unexpected end of input at %llu",
			    (unsigned long long)off);
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
#endif
	return copy_loop(in, off, out, len, cancel, err);
}

int
ib_tmpfile(const char *tag, ib_err *err)
{
	char path[4096];
	const char *dir;
	int fd, n;

	dir = getenv("TMPDIR");
	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	n = snprintf(path, sizeof(path), "%s/isoboot-%s.XXXXXX", dir, tag);
	if (n < 0 || (size_t)n >= sizeof(path))
		return ib_err_set(err, ENAMETOOLONG, "TMPDIR too long");
	fd = mkstemp(path);
	if (fd == -1)
		return ib_err_errno(err, errno, "temporary file in %s", dir);
	unlink(path);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		close(fd);
		return ib_err_errno(err, errno, "temporary file");
	}
	return fd;
}

void *
ib_reallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(ptr, nmemb * size);
}

int
ib_compat_portable(void)
{
	return !(HAVE_COPY_FILE_RANGE || HAVE_SENDFILE);
}

int
ib_rename_noreplace(int dirfd, const char *from, const char *to)
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

long
ib_mtime_nsec(const struct stat *st)
{
#if HAVE_ST_MTIM
	return (long)st->st_mtim.tv_nsec;
#elif defined(__APPLE__)
	return (long)st->st_mtimespec.tv_nsec;
#else
	(void)st;
	return 0;
#endif
}

dev_t
ib_makedev(uint32_t major, uint32_t minor)
{
	return makedev(major, minor);
}

void
ib_host(bool *macos, bool *arm64)
{
#if defined(__APPLE__)
	*macos = true;
#else
	*macos = false;
#endif
#if defined(__aarch64__) || defined(__arm64__)
	*arm64 = true;
#else
	*arm64 = false;
#endif
}
