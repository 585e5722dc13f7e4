/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kernel_unpack: the uncompressed arm64 Image inside a distribution's
 * vmlinuz (a gzip-compressed Image, or an EFI zboot image with a gzip
 * payload), which vfkit on Apple Silicon needs and cannot make itself.
 */
#ifndef IB_KERNEL_UNPACK_H
#define IB_KERNEL_UNPACK_H

#include <signal.h>
#include <stdint.h>

#include "errors.h"
#include "kernel.h"

/*
 * Inflate the kernel in fd (inspected as ki: IB_KERNEL_GZIP or an
 * IB_KERNEL_ZBOOT with a gzip payload) into name in dirfd, through a
 * temporary renamed into place. The result must be an arm64 Image (ARMd
 * at 0x38). Returns 0, or -1 with *err saying what the file is and what
 * was expected.
 */
int ib_kernel_unpack(int fd, const ib_kernel_info *ki, int dirfd,
    const char *name, const volatile sig_atomic_t *cancel, ib_err *err);

#endif
