/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The only file that may ask for GNU extensions (STYLE.md section 8). */
#define _GNU_SOURCE

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#if defined(__linux__) || defined(__GLIBC__)
#include <sys/sysmacros.h>
#endif

#include "compat.h"

/*
 * How ib_copy_range moves bytes, measured on Linux 6.x, ext4, 2 cores,
 * page-cached 1 GiB at ISO offsets (CPU seconds, medians of 7 runs
 * interleaved with cp, whose median was 0.30):
 *   page-aligned source: copy_file_range 0.29, splice 1.16, read/write
 *   128 KiB 0.36;
 *   2048 bytes off a page (LBA 33): splice through a 1 MiB pipe 0.27,
 *   read/write 128 KiB 0.33 (32 KiB 0.43, 1 MiB 1.32: the buffer must
 *   stay in cache), copy_file_range 0.45, sendfile 0.48, mmap of 1 MiB
 *   windows + write 1.33.
 * So copy_file_range when the source offset is page-aligned, splice when
 * it is not, and a 128 KiB read/write loop everywhere else.
 */

/* Per-call chunk of the kernel paths: small enough to notice a signal
 * soon, big enough that the per-call cost vanishes. */
#define CHUNK (16u * 1024 * 1024)

/* Read/write buffer (see above); also the least splice is worth a pipe
 * for. */
#define BUFSZ (128u * 1024)

/* The pipe splice goes through, when the system lets it grow. */
#define PIPESZ (1024 * 1024)

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
	size_t n, bufsz;
	int rc;

	/* Small files: a small buffer, from the heap, not an mmap. */
	bufsz = len < BUFSZ ? (size_t)len : BUFSZ;
	if (bufsz == 0)
		return 0;
	buf = malloc(bufsz);
	if (buf == NULL)
		return ib_err_errno(err, ENOMEM, "copy buffer");
	rc = 0;
	while (len > 0) {
		n = len < bufsz ? (size_t)len : bufsz;
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

#if HAVE_COPY_FILE_RANGE || HAVE_SPLICE
/* Errors after which a kernel copy path is just not available here. */
static int
not_available(int e)
{
	return e == ENOSYS || e == EINVAL || e == EXDEV || e == EOPNOTSUPP ||
	    e == EBADF || e == ENOTSUP;
}
#endif

#if HAVE_COPY_FILE_RANGE
/* copy_file_range while the kernel takes it: advances *off and *len;
 * returns 0 (maybe with bytes left for another path) or -1 with *err. */
static int
copy_kernel(int in, uint64_t *off, int out, uint64_t *len,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	ssize_t n;
	off_t o;

	while (*len > 0) {
		if (cancelled(cancel, err) == -1)
			return -1;
		o = (off_t)*off;
		n = copy_file_range(in, &o, out, NULL,
		    *len < CHUNK ? (size_t)*len : CHUNK, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && not_available(errno))
			return 0;
		if (n == -1)
			return ib_err_errno(err, errno, "copy");
		if (n == 0)
			return ib_err_set(err, EIO,
			    "unexpected end of input at %llu",
			    (unsigned long long)*off);
		*off += (uint64_t)n;
		*len -= (uint64_t)n;
	}
	return 0;
}
#endif

#if HAVE_SPLICE
/* Move the n bytes waiting in the pipe rd to out; when out takes no
 * splice (O_APPEND...), read and write them. */
static int
drain_pipe(int rd, int out, size_t n, bool *plain,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	unsigned char buf[8192];
	ssize_t m;

	while (n > 0 && !*plain) {
		m = splice(rd, NULL, out, NULL, n, SPLICE_F_MOVE);
		if (m == -1 && errno == EINTR) {
			if (cancelled(cancel, err) == -1)
				return -1;
			continue;
		}
		if (m == -1 && not_available(errno)) {
			*plain = true;
			break;
		}
		if (m <= 0)
			return ib_err_errno(err, m == 0 ? EIO : errno, "copy");
		n -= (size_t)m;
	}
	while (n > 0) {
		m = read(rd, buf, n < sizeof(buf) ? n : sizeof(buf));
		if (m == -1 && errno == EINTR)
			continue;
		if (m <= 0)
			return ib_err_errno(err, m == 0 ? EIO : errno, "copy");
		if (ib_write_all(out, buf, (size_t)m, cancel, err) == -1)
			return -1;
		n -= (size_t)m;
	}
	return 0;
}

/* splice through a pipe while both ends take it: advances *off and
 * *len; returns 0 (maybe with bytes left) or -1 with *err. */
static int
copy_spliced(int in, uint64_t *off, int out, uint64_t *len,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	bool plain;
	ssize_t n;
	off_t o;
	int p[2], rc;

	if (pipe(p) == -1)
		return 0;
	(void)fcntl(p[1], F_SETPIPE_SZ, PIPESZ); /* a hint */
	plain = false;
	rc = 0;
	while (*len > 0 && !plain) {
		if (cancelled(cancel, err) == -1) {
			rc = -1;
			break;
		}
		o = (off_t)*off;
		n = splice(in, &o, p[1], NULL,
		    *len < PIPESZ ? (size_t)*len : PIPESZ, SPLICE_F_MOVE);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && not_available(errno))
			break;
		if (n == -1) {
			rc = ib_err_errno(err, errno, "copy");
			break;
		}
		if (n == 0) {
			rc = ib_err_set(err, EIO,
			    "unexpected end of input at %llu",
			    (unsigned long long)*off);
			break;
		}
		if (drain_pipe(p[0], out, (size_t)n, &plain, cancel, err) ==
		    -1) {
			rc = -1;
			break;
		}
		*off += (uint64_t)n;
		*len -= (uint64_t)n;
	}
	close(p[0]);
	close(p[1]);
	return rc;
}
#endif

int
ib_copy_range(int in, uint64_t off, int out, uint64_t len,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
		return ib_err_set(err, EINVAL, "offset %llu out of range",
		    (unsigned long long)off);
#if HAVE_COPY_FILE_RANGE
	if (off % 4096 == 0 &&
	    copy_kernel(in, &off, out, &len, cancel, err) == -1)
		return -1;
#endif
#if HAVE_SPLICE
	if (len > BUFSZ && copy_spliced(in, &off, out, &len, cancel, err) == -1)
		return -1;
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
	return !(HAVE_COPY_FILE_RANGE || HAVE_SPLICE);
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
