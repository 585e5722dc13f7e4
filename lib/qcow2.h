/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * qcow2: write the image of an empty qcow2 version 3 disk, read back and
 * check the metadata of a qcow2 image (version 2 or 3), and read a qcow2
 * image's guest bytes in place (ib_qcow2_open). Format: qemu
 * docs/interop/qcow2.txt. The images written have 64 KiB clusters, 16-bit
 * refcounts, no backing file, no encryption, no compression and no header
 * extensions; every guest cluster is unallocated, so the disk reads as
 * zeros. Only the non-zero metadata is written: the rest of the file is a
 * hole, and memory stays a few KiB whatever the disk size.
 *
 * The reader (qcow2_open.c, qcow2_data.c) follows L1 and L2 tables to
 * the data clusters, reads zero clusters and unallocated ones (without a
 * backing file) as zeros, inflates zlib-compressed clusters and follows a
 * chain of backing files, raw or qcow2, read-only. It refuses encryption,
 * extended L2 entries, external data files and zstd compression by name.
 *
 * Not for: writing guest data, snapshots, or repairing an image; qemu-img
 * does those.
 */
#ifndef IB_QCOW2_H
#define IB_QCOW2_H

#include <stdbool.h>
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

/*
 * Reading guest bytes. A handle is one image and its backing chain; it is
 * not safe to use from two threads at once. Memory: a few small table
 * slices per image of the chain, plus two cluster buffers for an image
 * that has compressed clusters.
 *
 * A backing file is followed only when its name is relative and has no
 * ".." component: it is opened (read-only) relative to the directory of
 * the image that names it, so a chain cannot leave the top image's
 * directory except through symbolic links the user made. Its format is
 * the backing format header extension's ("raw" or "qcow2"), else qcow2
 * when it starts with qcow2's magic, else raw. Chains are at most
 * IB_MAX_BACKING_DEPTH images below the top one, and an image met twice
 * (same device and inode) is a loop. A backing file shorter than the
 * image reads as zeros past its end.
 */
typedef struct ib_qcow2 ib_qcow2;

/*
 * Open the qcow2 image at path and its backing chain (read-only), after
 * ib_qcow2_read's checks. Returns a handle the caller closes with
 * ib_qcow2_close(), or NULL with *err: errno values from open/read,
 * IB_EFORMAT, IB_EUNSUPPORTED naming the feature, IB_EUNSAFE for a
 * backing name that is absolute or has "..", IB_ELIMIT for a chain past
 * IB_MAX_BACKING_DEPTH; an error in a backing file is prefixed with its
 * name.
 */
ib_qcow2 *ib_qcow2_open(const char *path, ib_err *err);

/*
 * The same over bytes that get reads (filelen of them; get and ctx are
 * borrowed until ib_qcow2_close()). No backing file is followed: an image
 * that names one is IB_EUNSUPPORTED. For fuzzing and for images in memory.
 */
ib_qcow2 *ib_qcow2_open_get(ib_qcow2_get get, void *ctx, uint64_t filelen,
    ib_err *err);

/* The virtual disk size in bytes. */
uint64_t ib_qcow2_size(const ib_qcow2 *q);

/*
 * Read len guest bytes at guest offset off into buf: any length, across
 * clusters. A range past ib_qcow2_size() is EINVAL. Returns 0, or -1 with
 * *err (IB_EFORMAT for a bad table entry or compressed cluster, I/O
 * errors as they are); the handle stays usable after an error.
 */
int ib_qcow2_pread(ib_qcow2 *q, void *buf, size_t len, uint64_t off,
    ib_err *err);

/*
 * Whether the len guest bytes at off read as zeros from the tables
 * alone (zero clusters, or unallocated ones with no backing bytes
 * under them), without reading data: *zeros, false when that cannot be
 * told so cheaply. For copies that leave holes. Returns 0, or -1 with
 * *err (a bad table entry).
 */
int ib_qcow2_zeros(ib_qcow2 *q, uint64_t off, size_t len, bool *zeros,
    ib_err *err);

/* ib_qcow2_pread with ctx an ib_qcow2 *: the shape of a partition or
 * file system reader's read callback. */
int ib_qcow2_read_at(void *ctx, void *buf, size_t len, uint64_t off,
    ib_err *err);

/* Close q and its backing chain; NULL does nothing. */
void ib_qcow2_close(ib_qcow2 *q);

#endif
