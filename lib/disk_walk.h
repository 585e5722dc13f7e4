/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk_walk: every file of a disk image's filesystems as the ib_entry
 * records an ISO's walk gives (iso.h), depth first, parents before
 * children, so that the code that lists and extracts an ISO's members
 * (extract.h, isoboot-extract) takes a disk's the same way. Partition N
 * is the directory "pN" ("p2/boot/vmlinuz"); a disk without a partition
 * table has its filesystem at the top. Directories are read through
 * vol.h in their on-disk order. A directory met a second time (a
 * hard-linked directory in a damaged ext4, a FAT cluster loop) is that
 * entry's problem, not an endless walk; depth, entries and the names
 * held are bounded (bounds.h).
 *
 * Not for: one file by its path (bootfs.h, vol.h), writing (extract.h).
 */
#ifndef IB_DISK_WALK_H
#define IB_DISK_WALK_H

#include <signal.h>

#include "disk_image.h"
#include "errors.h"
#include "iso.h"

typedef struct ib_disk_walk ib_disk_walk;

/*
 * Called for a file the walk shows no entry for: a device, FIFO or
 * socket (vol.h does not tell which), with why in msg. path is the
 * entry's path as ib_entry's; both are valid during the call only.
 */
typedef void (
    *ib_disk_walk_note_fn)(void *ctx, const char *path, const char *msg);

/* A walk over d (borrowed: it must outlive the walk). Returns a handle
 * the caller frees with ib_disk_walk_free(), or NULL with *err. */
ib_disk_walk *ib_disk_walk_new(ib_disk_image *d, ib_err *err);

/* Free w; NULL does nothing. */
void ib_disk_walk_free(ib_disk_walk *w);

/*
 * Visit every volume's files as ib_iso_walk() does: fn returns 0,
 * IB_WALK_SKIP (a directory's members are left out) or -1 with *err to
 * stop. Entries have a path, name, type (file, directory or symlink),
 * mode, mtime (also atime), size, link target and depth; no extents, no
 * owner (0), nlink 1. An unreadable member is shown with its problem
 * set: a partition isoboot does not read ("XFS, not read"), one that does
 * not open, an unsafe name, a directory that cannot be read or is met
 * again, a bad link. note (may be NULL) gets the files that are none of
 * the three types. Returns 0, or -1 with *err: fn's, a limit
 * (IB_ELIMIT), the disk's read errors, or a disk without a table whose
 * filesystem cannot be read.
 */
int ib_disk_walk_run(ib_disk_walk *w, ib_iso_visit_fn fn,
    ib_disk_walk_note_fn note, void *ctx, ib_err *err);

/*
 * Write all of the regular file e to fd from its start, until *cancel
 * (may be NULL) is set: IB_EINTR. e must be the entry fn is being called
 * with (EINVAL otherwise): an ib_extract_src's copy (extract.h). Returns
 * 0, or -1 with *err (the filesystem's errors, not naming e).
 */
int ib_disk_walk_copy(ib_disk_walk *w, const ib_entry *e, int fd,
    const volatile sig_atomic_t *cancel, ib_err *err);

#endif
