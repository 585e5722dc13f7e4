/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * initrd: several initrds as the one file that hyperkit, xhyve and vfkit
 * take. Linux unpacks concatenated cpio archives (compressed or not) and
 * skips zero padding between them, as long as each starts 4-byte
 * aligned; GRUB and syslinux load several initrds the same way.
 */
#ifndef IB_INITRD_H
#define IB_INITRD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

/* The joined file's name in a state directory: not a name distributions
 * give their initrds (initrd.img is one). */
#define IB_INITRD_JOINED "initrd-joined.img"

/*
 * Write paths[0..n) one after the other, each padded with zeros to a
 * multiple of 4 bytes, as name in the directory dirfd (built under a
 * temporary name, renamed into place when complete). *size gets the
 * result's length. Returns 0, or -1 with *err naming the input at fault.
 */
int ib_initrd_concat(int dirfd, const char *name, const char *const *paths,
    size_t n, const volatile sig_atomic_t *cancel, uint64_t *size, ib_err *err);

#endif
