/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk_image: a disk image file opened as what it holds: its format told
 * by content (qcow2 by its magic, else raw), its partition table, each
 * partition's filesystem, and a volume (vol.h) for each one isoboot
 * reads: ext2/3/4 (ext4.h) and FAT (fat.h). The volumes are named as
 * Linux names partitions, "p1" to "pN"; a disk without a table is one
 * volume named "".
 *
 * Not for: compressed images (the recipe decompresses them first), ISO
 * 9660 images (iso.h), writing.
 */
#ifndef IB_DISK_IMAGE_H
#define IB_DISK_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "disk_part.h"
#include "disk_probe.h"
#include "errors.h"
#include "vol.h"

typedef struct ib_disk_image ib_disk_image;

/* The formats of the image file itself. */
enum ib_disk_image_format {
	IB_DISK_IMAGE_RAW,
	IB_DISK_IMAGE_QCOW2
};

/*
 * Whether the file at path is a disk image, by its first bytes: qcow2's
 * magic, or an MBR, GPT or FAT boot sector, or an ext2/3/4 superblock,
 * and no ISO 9660 volume descriptor (a hybrid ISO is an ISO). 1: a disk
 * image; 2: one compressed with *kind ("xz": decompress.h; it must be
 * made whole before it can be opened); 0: neither; -1 with *err (errno
 * values, not naming path). *kind is the compression, or NULL.
 */
int ib_disk_image_sniff(const char *path, const char **kind, ib_err *err);

/*
 * Open the image at path (read-only), read its partition table and probe
 * each partition. Returns a handle the caller closes with
 * ib_disk_image_close(), or NULL with *err (not naming path): the
 * qcow2 reader's and the partition table's errors as they are.
 */
ib_disk_image *ib_disk_image_open(const char *path, ib_err *err);

/* The same for the len bytes at off of the raw file at path: a disk
 * image inside another file (an ISO's El Torito EFI image, a FAT). */
ib_disk_image *ib_disk_image_open_range(const char *path, uint64_t off,
    uint64_t len, ib_err *err);

/* Close d and its volumes; NULL does nothing. */
void ib_disk_image_close(ib_disk_image *d);

enum ib_disk_image_format ib_disk_image_format(const ib_disk_image *d);

/* "raw" or "qcow2", as qemu names the formats. */
const char *ib_disk_image_format_name(const ib_disk_image *d);

/* The disk as the VM sees it (a qcow2 image's guest bytes); borrowed. */
const ib_disk_reader *ib_disk_image_reader(const ib_disk_image *d);

/* The partition table; borrowed. */
const ib_disk_table *ib_disk_image_table(const ib_disk_image *d);

/* Volumes: each partition but an extended one, in number order; or the
 * whole disk, once, when it has no table. */
size_t ib_disk_image_count(const ib_disk_image *d);

/* Volume i's name: "p2", or "" for a disk without a table. */
const char *ib_disk_image_name(const ib_disk_image *d, size_t i);

/* What volume i holds (disk_probe.h). */
const ib_disk_fs *ib_disk_image_fs(const ib_disk_image *d, size_t i);

/* Volume i's partition, or NULL for a disk without a table. */
const ib_disk_part *ib_disk_image_part(const ib_disk_image *d, size_t i);

/*
 * Volume i's filesystem, opened on first use and kept until the image is
 * closed (borrowed). A filesystem isoboot does not read is
 * IB_EUNSUPPORTED ("p2 is XFS: isoboot reads ext2/3/4 and FAT"); no
 * filesystem at all, IB_EFORMAT ("p3 holds no filesystem isoboot
 * knows"); the reader's errors are prefixed with the name.
 */
ib_vol *ib_disk_image_vol(ib_disk_image *d, size_t i, ib_err *err);

/*
 * The volume whose filesystem UUID (uuid true: without regard to case,
 * as GRUB compares them) or label is key: its index, or -1 when none is.
 */
long ib_disk_image_find(const ib_disk_image *d, bool uuid, const char *key);

/* The volume named name ("p2", or "" for a disk without a table): its
 * index, or -1. */
long ib_disk_image_lookup(const ib_disk_image *d, const char *name);

#endif
