/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * qcow2_int: what qcow2.c, qcow2_open.c and qcow2_data.c share: the
 * header's field offsets, feature bits and table entry masks of qemu
 * docs/interop/qcow2.txt, and the reading handle. For lib/ only.
 */
#ifndef IB_QCOW2_INT_H
#define IB_QCOW2_INT_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "qcow2.h"

/* Header fields: byte offsets (qcow2.txt "Header"). */
#define H_MAGIC           0
#define H_VERSION         4
#define H_BACKING_OFFSET  8
#define H_BACKING_SIZE    16
#define H_CLUSTER_BITS    20
#define H_SIZE            24
#define H_CRYPT_METHOD    32
#define H_L1_SIZE         36
#define H_L1_OFFSET       40
#define H_RT_OFFSET       48
#define H_RT_CLUSTERS     56
#define H_NB_SNAPSHOTS    60
#define H_SNAPSHOTS_OFF   64
#define H_INCOMPAT        72
#define H_REFCOUNT_ORDER  96
#define H_HEADER_LENGTH   100
#define H_COMPRESSION     104
#define V2_HEADER_LEN     72u
#define V3_MIN_HEADER_LEN 104u

#define QCOW2_MAGIC "QFI\xfb"

/* The longest backing file name: qemu refuses more (qcow2.txt). */
#define MAX_BACKING_NAME 1023u

/* Incompatible feature bits (qcow2.txt "incompatible_features"). */
#define F_DIRTY       (UINT64_C(1) << 0)
#define F_CORRUPT     (UINT64_C(1) << 1)
#define F_DATA_FILE   (UINT64_C(1) << 2)
#define F_COMPRESSION (UINT64_C(1) << 3)
#define F_EXTL2       (UINT64_C(1) << 4)
#define F_KNOWN       ((UINT64_C(1) << 5) - 1)

/* Table and refcount entries: bits 9-55 hold a cluster-aligned offset;
 * bits 0-8 and 56-62 are reserved, 63 is the "copied" flag. */
#define ENTRY_OFFSET  UINT64_C(0x00fffffffffffe00)
#define L1_RESERVED   UINT64_C(0x7f000000000001ff)
#define RT_RESERVED   UINT64_C(0x00000000000001ff)
#define L2_COMPRESSED (UINT64_C(1) << 62)
/* A standard L2 entry: bit 0 "reads as zeros", bits 1-8 and 56-61
 * reserved (qcow2.txt "Standard Cluster Descriptor"). */
#define L2_ZERO     UINT64_C(1)
#define L2_RESERVED UINT64_C(0x3f000000000001fe)

/* Table slices cached per image, and their size: 8 of 4 KiB (or of one
 * cluster, when clusters are smaller) hold the L1 slice and L2 slices a
 * sequential read walks, like qemu's l2-cache-entry-size. */
#define QCOW2_SLICES     8
#define QCOW2_SLICE_SIZE 4096u

/* One image of a chain, and the handle (the top image). */
struct ib_qcow2 {
	ib_qcow2_get get; /* where the file's bytes come from, or NULL */
	void *gctx;
	int fd; /* the file, when get is NULL */
	uint64_t filelen;
	bool raw; /* a raw backing file: the guest bytes are the file */
	uint64_t size;
	unsigned cb; /* cluster_bits */
	uint64_t cs; /* cluster size */
	uint64_t l1_off;
	uint64_t l1_entries;
	size_t slice_len;
	unsigned slice_next;
	uint64_t slice_off[QCOW2_SLICES]; /* file offset, or UINT64_MAX */
	unsigned char *slices;            /* QCOW2_SLICES * slice_len bytes */
	void *zs;                         /* a z_stream, made on first use */
	unsigned char *zin, *zout;        /* 2 clusters, 1 cluster + 1 */
	uint64_t zkey;                    /* L2 entry zout holds, if zvalid */
	bool zvalid;
	unsigned depth;        /* 0 for the top image */
	struct ib_qcow2 *back; /* the backing file, or NULL */
};

/* Read n bytes of q's file at off, zeros past its end. */
int ib_qcow2_file_read(struct ib_qcow2 *q, void *buf, size_t n, uint64_t off,
    ib_err *err);

/* Free what qcow2_data.c allocated for q (not q itself). */
void ib_qcow2_data_release(struct ib_qcow2 *q);

#endif
