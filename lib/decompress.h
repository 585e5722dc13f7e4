/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * decompress: a compressed disk image (gzip, xz, zstd or bzip2, as cloud
 * images ship: debian-12-nocloud-amd64.raw.xz, *.qcow2.xz) made whole
 * once, through libarchive's filters, into a sparse file: runs of zeros
 * stay holes, as `qemu-img convert` leaves them. Disks need random
 * access, which a compressed stream does not give; the VM needs the
 * whole disk anyway. The output is built under a temporary name and
 * renamed into place when complete; an existing file is never replaced.
 *
 * Not for: compressed ISO images, which iso_stream.c reads forward.
 */
#ifndef IB_DECOMPRESS_H
#define IB_DECOMPRESS_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

/* The compression of the file that starts with the n bytes b ("gzip",
 * "xz", "zstd", "bzip2"), or NULL. */
const char *ib_decompress_kind(const unsigned char *b, size_t n);

/*
 * The first n bytes of the compressed file at path, decompressed, into
 * buf; *got of them (fewer when the content is shorter). Returns 0, or
 * -1 with *err (libarchive's message: a damaged stream).
 */
int ib_decompress_head(const char *path, void *buf, size_t n, size_t *got,
    ib_err *err);

/* The name of the decompressed file: path's last component without its
 * compression suffix (.gz, .xz, .zst, .bz2, any case); path's last
 * component with ".raw" added when it has none. The caller frees it;
 * NULL out of memory. */
char *ib_decompress_name_new(const char *path);

typedef struct ib_decompress_opts {
	const volatile sig_atomic_t *cancel; /* nonzero: stop, IB_EINTR */
	/* As ib_extract_opts.progress; total is 0: unknown. */
	void (*progress)(void *ctx, const char *path, int dirfd,
	    const char *tmp, uint64_t total);
	void *progress_ctx;
} ib_decompress_opts;

/*
 * Decompress the file at path into a new file name in the directory
 * dirfd. EEXIST when name is there. Returns 0 with the decompressed size
 * in *size, or -1 with *err.
 */
int ib_decompress_to(const char *path, int dirfd, const char *name,
    const ib_decompress_opts *o, uint64_t *size, ib_err *err);

#endif
