/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * compat: the system calls that differ between Linux and macOS, behind one
 * set of names. Which fast path exists is decided by the Makefile's probes
 * (HAVE_* in config.h); every fast path has a portable fallback, and
 * PORTABLE=1 builds use only the fallbacks so that they are tested.
 */
#ifndef IB_COMPAT_H
#define IB_COMPAT_H

#include <sys/types.h>
#include <sys/stat.h>

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

/*
 * Append len bytes of in, from offset off, to out at its current position:
 * copy_file_range from a page-aligned off, splice through a pipe from
 * another, else (or for what they leave) a pread/write loop. Checks *cancel
 * (may be NULL) between chunks and fails with IB_EINTR. A short input is
 * an EIO error. Returns 0, or -1 with *err.
 */
int ib_copy_range(int in, uint64_t off, int out, uint64_t len,
    const volatile sig_atomic_t *cancel, ib_err *err);

/* pread exactly len bytes at off; a short read is an EIO error. */
int ib_pread_all(int fd, void *buf, size_t len, uint64_t off, ib_err *err);

/* write all len bytes (retrying on EINTR unless cancelled). */
int ib_write_all(int fd, const void *buf, size_t len,
    const volatile sig_atomic_t *cancel, ib_err *err);

/*
 * pwrite the len bytes of buf at off, except runs of IB_SPARSE_BLOCK
 * zero bytes (qemu-img convert's granularity, -S 4k), which are left
 * as they are: holes in a file that grows by ftruncate. Returns 0, or -1
 * with *err.
 */
#define IB_SPARSE_BLOCK 4096u
int ib_pwrite_sparse(int fd, const void *buf, size_t len, uint64_t off,
    ib_err *err);

/* An unlinked temporary file in $TMPDIR (default /tmp), opened for
 * reading and writing; tag names it while it exists. Returns the fd, or
 * -1 with *err. */
int ib_tmpfile(const char *tag, ib_err *err);

/* realloc for nmemb * size bytes, NULL on overflow (OpenBSD). */
void *ib_reallocarray(void *ptr, size_t nmemb, size_t size);

/* Rename from to to, both in dirfd, only when to does not exist
 * (renameat2 RENAME_NOREPLACE, renameatx_np RENAME_EXCL): 0, or -1 with
 * errno (ENOSYS when the system has no such call). */
int ib_rename_noreplace(int dirfd, const char *from, const char *to);

/* A file's modification time's nanoseconds, where the system keeps them
 * (st_mtim, macOS's st_mtimespec); else 0. */
long ib_mtime_nsec(const struct stat *st);

/* The device number of major and minor (makedev). */
dev_t ib_makedev(uint32_t major, uint32_t minor);

/* The host this was built for: macOS, and an arm64 CPU. */
void ib_host(bool *macos, bool *arm64);

/* Nonzero when the build uses only the portable fallbacks. */
int ib_compat_portable(void);

#endif
