/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * qcow2: write the image of an empty qcow2 version 3 disk, and read back
 * and check the metadata of a qcow2 image (version 2 or 3). Format: qemu
 * docs/interop/qcow2.txt. The images written have 64 KiB clusters, 16-bit
 * refcounts, no backing file, no encryption, no compression and no header
 * extensions; every guest cluster is unallocated, so the disk reads as
 * zeros. Only the non-zero metadata is written: the rest of the file is a
 * hole, and memory stays a few KiB whatever the disk size.
 *
 * Not for: guest data (no L2 tables are ever written), snapshots, or
 * repairing an image; qemu-img does those.
 */
#ifndef IB_QCOW2_H
#define IB_QCOW2_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

/* Clusters of the images written: 64 KiB, qemu-img's default. */
#define IB_QCOW2_CLUSTER_BITS 16

/* Entries of an L1 table: qemu refuses an L1 table over 32 MiB
 * (QCOW_MAX_L1_SIZE), 8 bytes an entry. */
#define IB_QCOW2_MAX_L1 (UINT32_C(1) << 22)

/* Entries of a refcount table: qemu refuses one over 8 MiB
 * (QCOW_MAX_REFTABLE_SIZE), 8 bytes an entry. */
#define IB_QCOW2_MAX_REFTABLE (UINT32_C(1) << 20)

/* The largest virtual size written: a full L1 table, each entry mapping an
 * L2 table of 8192 clusters of 64 KiB (512 MiB), 2 PiB in all. qemu-img
 * create refuses one byte more with 64 KiB clusters. */
#define IB_QCOW2_MAX_SIZE                                                      \
	((uint64_t)IB_QCOW2_MAX_L1 << (2 * IB_QCOW2_CLUSTER_BITS - 3))

/* Where emitted bytes go: offset in the image file, bytes. Returns 0, or
 * -1 with *err to stop. */
typedef int (*ib_qcow2_put)(void *ctx, uint64_t off, const void *buf, size_t n,
    ib_err *err);

/*
 * Emit the metadata of an empty image of size virtual bytes through put
 * (only non-zero ranges, in increasing offset order); *filelen gets the
 * image file's total length. size is a multiple of 512, 1 to
 * IB_QCOW2_MAX_SIZE: 0 or a partial sector is EINVAL, a larger size
 * IB_ELIMIT. Returns 0, or -1 with *err (put's errors as they are).
 */
int ib_qcow2_emit(uint64_t size, ib_qcow2_put put, void *ctx, uint64_t *filelen,
    ib_err *err);

/*
 * The same, written to fd (an empty regular file open for writing): pwrite
 * + ftruncate to *filelen; errno-based errors (ENOSPC, EFBIG, EDQUOT) kept
 * in err via ib_err_errno. Another kind of fd, or a non-empty file, is
 * EINVAL. Returns 0, or -1 with *err; the file is then incomplete.
 */
int ib_qcow2_write(int fd, uint64_t size, ib_err *err);

/* What ib_qcow2_read found. */
typedef struct ib_qcow2_info {
	uint32_t version;      /* 2 or 3 */
	uint32_t cluster_bits; /* 9..21 */
	uint64_t size;         /* virtual disk size in bytes */
	uint64_t l1_offset;
	uint32_t l1_entries;
	uint64_t refcount_table_offset;
	uint32_t refcount_table_clusters;
	uint64_t data_clusters; /* guest clusters mapped by L2 tables */
} ib_qcow2_info;

/* Where bytes come from: read n bytes at off into buf, or fail (a short
 * read is a failure). Returns 0, or -1 with *err. */
typedef int (
    *ib_qcow2_get)(void *ctx, uint64_t off, void *buf, size_t n, ib_err *err);

/*
 * Read and check an image of filelen bytes: magic, version 2 or 3,
 * cluster_bits 9..21, header extensions inside the first cluster, sizes and
 * offsets inside the file and cluster-aligned, L1 big enough for size, no
 * overlap of header / L1 / refcount table / refcount blocks, refcount table
 * entries in the file, refcounts of those metadata clusters = 1, L2 tables
 * in the file. Never reads past filelen; work is bounded by filelen and
 * memory is a few KiB (tables are read 4 KiB at a time). Fills *info and
 * returns 0, or -1 with *err: IB_EFORMAT naming the field, IB_ELIMIT past
 * IB_QCOW2_MAX_L1 or IB_QCOW2_MAX_REFTABLE, IB_EUNSUPPORTED for unknown
 * incompatible features or a dirty image, or get's errors.
 */
int ib_qcow2_read(ib_qcow2_get get, void *ctx, uint64_t filelen,
    ib_qcow2_info *info, ib_err *err);

#endif
