/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bootfs's disk back end (bootfs_disk.c): for bootfs.c only. */
#ifndef IB_BOOTFS_INT_H
#define IB_BOOTFS_INT_H

#include "bootfs.h"

/* ib_bootfs_read(), ib_bootfs_read_head() and ib_bootfs_lookup() on a
 * disk image's files. */
int ib_bootfs_disk_read(ib_bootfs *fs, const char *path, char **data,
    size_t *len, ib_err *err);
int ib_bootfs_disk_read_head(ib_bootfs *fs, const char *path, size_t max,
    unsigned char *buf, size_t *got, uint64_t *fsize, ib_err *err);
int ib_bootfs_disk_lookup(ib_bootfs *fs, const char *path, ib_err *err);
int ib_bootfs_disk_list(ib_bootfs *fs, const char *dir, ib_bootfs_list_fn fn,
    void *ctx, ib_err *err);

#endif
