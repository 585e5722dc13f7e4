/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fat: a FAT12, FAT16 or FAT32 filesystem (an EFI system partition) read
 * in place, as a volume (vol.h): VFAT long names and 8.3 names, both
 * found without regard to case, and files by their cluster chains. The
 * rules are those of Microsoft's FAT specification (fatgen103), cited in
 * fat.c. The FAT is read into memory once, on first use (at most
 * IB_MAX_FAT bytes); every chain is checked whole (each link inside the
 * volume, no loop, long enough for its file) before it is read.
 *
 * Not for: writing or repairing (fsck.fat), exFAT, the FAT's backup
 * copies, telling whether a partition is FAT (disk_probe.h).
 */
#ifndef IB_FAT_H
#define IB_FAT_H

#include <stdint.h>

#include "disk_part.h"
#include "errors.h"
#include "vol.h"

/*
 * The FAT filesystem in bytes off..off+len of r (borrowed: it must
 * outlive the volume), as a volume named "FAT12", "FAT16" or "FAT32";
 * every read stays inside off..off+len. Returns a volume the caller
 * closes with ib_vol_close(), or NULL and *err: IB_EFORMAT naming the
 * boot sector's defect, IB_EUNSUPPORTED, or r's errors.
 */
ib_vol *ib_fat_open(const ib_disk_reader *r, uint64_t off, uint64_t len,
    ib_err *err);

#endif
