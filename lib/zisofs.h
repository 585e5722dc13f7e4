/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * zisofs: decode files stored compressed by zisofs (Rock Ridge ZF, version 1,
 * as written by mkzftree and xorriso -zisofs) and zisofs2 (ZF version 2 or
 * Z2, algorithm "PZ" = zlib, libisofs >= 1.5.4). Formats: libisofs
 * doc/zisofs_format.txt and doc/zisofs2_format.txt. Other zisofs2 algorithms
 * are reported as unsupported, never passed through as if decoded.
 *
 * Not for: finding the ZF entry (rrip does that) or reading the image (the
 * caller supplies a read callback over the file's stored bytes).
 */
#ifndef IB_ZISOFS_H
#define IB_ZISOFS_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

/* What a Rock Ridge ZF (or Z2) entry says about a file. */
typedef struct ib_zf {
	unsigned version;  /* 0: no ZF; 1: zisofs; 2: zisofs2 */
	char alg[2];       /* "pz" (v1), "PZ" (v2 zlib), others unsupported */
	unsigned hdr_size; /* header size in bytes (field * 4): 16 v1, 24 v2 */
	unsigned log2_bs;  /* log2 of the block size, 15..17 */
	uint64_t size;     /* uncompressed size */
} ib_zf;

/* Read len bytes at offset off of the stored (compressed) file data into
 * buf; return 0, or -1 with *err (a short read is an error). */
typedef int (*ib_zisofs_read_fn)(void *ctx, uint64_t off, void *buf, size_t len,
    ib_err *err);

/* Take len decoded bytes; return 0, or -1 with *err to stop decoding. */
typedef int (
    *ib_zisofs_write_fn)(void *ctx, const void *buf, size_t len, ib_err *err);

/* Nonzero when zf describes a format this module can decode. */
int ib_zisofs_supported(const ib_zf *zf);

/*
 * Decode a file of stored_size bytes described by zf: validate the header
 * against zf, then every block pointer before the first write (count fits the
 * extent, pointers non-decreasing and inside it, block lengths at most
 * compressBound(bs) + IB_ZF_BLOCK_SLACK), inflate each block to
 * exactly its size (a zero-length block is a block of zeros), and pass the
 * bytes to wr in order. Exactly zf->size bytes are written on success.
 * Memory is bounded by the block size, never by zf->size.
 * Returns 0, or -1 with *err (IB_EFORMAT, IB_EUNSUPPORTED, or the callbacks').
 */
int ib_zisofs_decode(const ib_zf *zf, uint64_t stored_size,
    ib_zisofs_read_fn rd, void *rctx, ib_zisofs_write_fn wr, void *wctx,
    ib_err *err);

#endif
