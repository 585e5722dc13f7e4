/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ext4: an ext2, ext3 or ext4 filesystem of a disk image, read-only,
 * through e2fsprogs' libext2fs and an io_manager of ours over an
 * ib_disk_reader: a raw image or a qcow2 one is read in place, nothing is
 * mounted or converted. libext2fs does extents, 64bit, metadata_csum
 * (a checksum that does not match is an error), inline data and flex_bg;
 * vol.h walks paths and follows symlinks.
 *
 * Not for: writing, replaying the journal (a filesystem that needs
 * recovery is read as it is on disk: what its last transactions changed
 * may be missing), encrypted directories.
 */
#ifndef IB_EXT4_H
#define IB_EXT4_H

#include <stdint.h>

#include "disk_part.h"
#include "errors.h"
#include "vol.h"

/*
 * The filesystem in the len bytes at byte off of r (borrowed: r and what
 * it reads must outlive the volume). Returns a volume the caller closes
 * with ib_vol_close(), or NULL with *err ("ext4: Bad magic number in
 * super-block", or r's own error when a read failed).
 */
ib_vol *ib_ext4_open(const ib_disk_reader *r, uint64_t off, uint64_t len,
    ib_err *err);

#endif
