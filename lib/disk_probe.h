/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk_probe: which filesystem (or volume format) a partition holds, from
 * its on-disk signature, without mounting it: ext2/3/4 (which one, from
 * the feature flags), FAT12/16/32, with UUID and label; XFS, btrfs, LVM2
 * PV, LUKS1/2, Linux swap, squashfs, ISO 9660, ZFS and NTFS recognised,
 * so that an error can name what isoboot cannot read. The magic numbers
 * and offsets are those of the formats' own headers, as libblkid reads
 * them; TYPE, UUID and LABEL are spelled as `blkid -p` spells them.
 *
 * Not for: reading files (a filesystem reader does that), RAID or
 * multi-device layouts.
 */
#ifndef IB_DISK_PROBE_H
#define IB_DISK_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "disk_part.h"
#include "errors.h"

enum ib_disk_fs_kind {
	IB_DISK_FS_UNKNOWN, /* no signature recognised */
	IB_DISK_FS_EXT2,
	IB_DISK_FS_EXT3,
	IB_DISK_FS_EXT4,
	IB_DISK_FS_FAT12,
	IB_DISK_FS_FAT16,
	IB_DISK_FS_FAT32,
	IB_DISK_FS_XFS,
	IB_DISK_FS_BTRFS,
	IB_DISK_FS_LVM2,
	IB_DISK_FS_LUKS1,
	IB_DISK_FS_LUKS2,
	IB_DISK_FS_SWAP,
	IB_DISK_FS_SQUASHFS,
	IB_DISK_FS_ISO9660,
	IB_DISK_FS_ZFS,
	IB_DISK_FS_NTFS
};

/* What ib_disk_probe found. Strings are NUL-terminated; uuid and label
 * are bytes from the disk, to be quoted (ib_quote) before printing. */
typedef struct ib_disk_fs {
	enum ib_disk_fs_kind kind;
	const char *type; /* blkid's TYPE ("ext4", "vfat"...), or NULL */
	const char *name; /* for messages: "ext4", "FAT32", "XFS"... */
	bool readable;    /* isoboot reads it: ext2/3/4 and FAT */
	char uuid[41];    /* as blkid prints it, or "" */
	char label[257];  /* or "" */
} ib_disk_fs;

/*
 * Probe the len bytes at byte off of r (a partition, or the whole disk)
 * into *fs; nothing recognised is kind IB_DISK_FS_UNKNOWN, not an error.
 * Reads stay inside off..off+len (checked against r->size: IB_EFORMAT).
 * Returns 0, or -1 with *err (r's errors).
 */
int ib_disk_probe(const ib_disk_reader *r, uint64_t off, uint64_t len,
    ib_disk_fs *fs, ib_err *err);

#endif
