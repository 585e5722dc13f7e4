/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk_convert: a qcow2 image's guest bytes as a sparse raw image, for
 * the hypervisors that read only raw disks (hyperkit, xhyve, vfkit).
 * Ranges the guest reads as zeros become holes, so the result is no
 * less sparse than `qemu-img convert -O raw` makes it; several threads,
 * each with its own handle on the image, read and inflate clusters at
 * once. The output is built under a temporary name and renamed into
 * place only when complete; an existing file is never replaced.
 *
 * Not for: writing qcow2 (qcow2.h), images in other formats.
 */
#ifndef IB_DISK_CONVERT_H
#define IB_DISK_CONVERT_H

#include <signal.h>
#include <stdint.h>

#include "errors.h"

typedef struct ib_disk_convert_opts {
	unsigned threads; /* readers at once; 0: the number of online CPUs */
	const volatile sig_atomic_t *cancel; /* nonzero: stop, IB_EINTR */
	/* As ib_extract_opts.progress: called with the temporary as it
	 * starts (it grows to total) and with tmp NULL as it ends. */
	void (*progress)(void *ctx, const char *path, int dirfd,
	    const char *tmp, uint64_t total);
	void *progress_ctx;
} ib_disk_convert_opts;

/*
 * Write the guest bytes of the qcow2 image at path (and its backing
 * chain) to a new file name in the directory dirfd. EEXIST when name is
 * there; the qcow2 reader's errors prefixed with path; I/O errors naming
 * name. Returns 0, or -1 with *err.
 */
int ib_disk_convert_raw(const char *path, int dirfd, const char *name,
    const ib_disk_convert_opts *o, ib_err *err);

#endif
