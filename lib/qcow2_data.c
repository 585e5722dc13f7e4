/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * qcow2_data: a qcow2 image's guest bytes, read in place. A guest offset
 * goes through the L1 table to an L2 table and its entry for the cluster
 * (qcow2.txt "Cluster mapping"): a data cluster is read from the file, a
 * zero cluster or an unallocated one without a backing file is zeros, an
 * unallocated one with a backing file is the backing file's bytes, and a
 * compressed cluster is inflated (raw deflate, as qemu's qcow2-threads.c
 * writes it). Every entry is checked where it is used: offsets inside the
 * file, reserved bits clear, a cluster that inflates to exactly a cluster.
 */
#include <sys/types.h>

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "bounds.h"
#include "bytes.h"
#include "errors.h"
#include "qcow2.h"
#include "qcow2_int.h"

/* What a run of guest clusters reads as. */
enum kind {
	K_DATA,
	K_ZERO,
	K_BACKING,
	K_COMPRESSED
};

int
ib_qcow2_file_read(struct ib_qcow2 *q, void *buf, size_t n, uint64_t off,
    ib_err *err)
{
	unsigned char *p = buf;
	size_t in;
	ssize_t r;

	/* The part inside the file; the rest reads as zeros, as qemu's
	 * file driver reads past the end of a file. */
	in = off >= q->filelen   ? 0 :
	    q->filelen - off < n ? (size_t)(q->filelen - off) :
	                           n;
	memset(p + in, 0, n - in);
	if (in == 0)
		return 0;
	if (q->get != NULL)
		return q->get(q->gctx, off, p, in, err);
	while (in > 0) {
		if (off > (uint64_t)INT64_MAX)
			return ib_err_set(err, IB_EFORMAT,
			    "qcow2: read at %" PRIu64 " past any file", off);
		r = pread(q->fd, p, in, (off_t)off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return ib_err_errno(err, errno,
			    "qcow2: read %zu bytes at %" PRIu64, in, off);
		if (r == 0) {
			/* The file shrank since it was opened. */
			memset(p, 0, in);
			return 0;
		}
		p += r;
		in -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

/* The 8-byte big-endian table entry at file offset off, through the
 * slice cache (off is 8-aligned, so an entry never straddles slices). */
static int
table_entry(struct ib_qcow2 *q, uint64_t off, uint64_t *e, ib_err *err)
{
	uint64_t base = off / q->slice_len * q->slice_len;
	unsigned i;
	unsigned char *s;

	for (i = 0; i < QCOW2_SLICES; i++)
		if (q->slice_off[i] == base)
			break;
	if (i == QCOW2_SLICES) {
		/* Round robin: a sequential read uses one slice at a time. */
		i = q->slice_next;
		q->slice_next = (q->slice_next + 1) % QCOW2_SLICES;
		q->slice_off[i] = UINT64_MAX;
		if (ib_qcow2_file_read(q, q->slices + i * q->slice_len,
		        q->slice_len, base, err) == -1)
			return -1;
		q->slice_off[i] = base;
	}
	s = q->slices + i * q->slice_len;
	*e = ib_be64(s + (off - base));
	return 0;
}

/* The L2 entry of guest cluster vcl; 0 when its L1 entry is empty. */
static int
l2_entry(struct ib_qcow2 *q, uint64_t vcl, uint64_t *e, ib_err *err)
{
	unsigned l2bits = q->cb - 3; /* 8-byte entries per L2 table */
	uint64_t l1i = vcl >> l2bits, l1e, l2, end;

	*e = 0;
	/* ib_qcow2_read checked that the L1 table covers the disk. */
	if (l1i >= q->l1_entries)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: guest cluster %" PRIu64 " past the L1 table", vcl);
	if (table_entry(q, q->l1_off + l1i * 8, &l1e, err) == -1)
		return -1;
	if (l1e & L1_RESERVED)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: L1 entry %" PRIu64 ": reserved bits set (%#" PRIx64
		    ")",
		    l1i, l1e);
	l2 = l1e & ENTRY_OFFSET;
	if (l2 == 0)
		return 0;
	if (l2 % q->cs != 0 || !ib_add_u64(l2, q->cs, &end) || end > q->filelen)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: L1 entry %" PRIu64 ": L2 table at %" PRIu64
		    " not aligned or past end of file (%" PRIu64 " bytes)",
		    l1i, l2, q->filelen);
	return table_entry(q, l2 + (vcl & ((UINT64_C(1) << l2bits) - 1)) * 8, e,
	    err);
}

/* What L2 entry e of guest cluster vcl is; *host for a data cluster. */
static int
classify(const struct ib_qcow2 *q, uint64_t vcl, uint64_t e, enum kind *k,
    uint64_t *host, ib_err *err)
{
	*host = e & ENTRY_OFFSET;
	if (e & L2_COMPRESSED) {
		*k = K_COMPRESSED;
		return 0;
	}
	if (e & L2_RESERVED)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: L2 entry of guest cluster %" PRIu64
		    ": reserved bits set (%#" PRIx64 ")",
		    vcl, e);
	if (e & L2_ZERO)
		*k = K_ZERO;
	else if (*host == 0)
		*k = K_BACKING;
	else if (*host % q->cs != 0 || *host >= q->filelen)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: data cluster of guest cluster %" PRIu64
		    " at %" PRIu64 " not aligned or past end of file (%" PRIu64
		    " bytes)",
		    vcl, *host, q->filelen);
	else
		*k = K_DATA;
	return 0;
}

static int
zalloc(struct ib_qcow2 *q, ib_err *err)
{
	z_stream *zs;

	if (q->zs != NULL)
		return 0;
	q->zin = malloc((size_t)q->cs * 2);
	q->zout = malloc((size_t)q->cs + 1);
	zs = calloc(1, sizeof(*zs));
	if (q->zin == NULL || q->zout == NULL || zs == NULL)
		goto fail;
	/* Raw deflate (negative window bits): qemu writes no zlib header.
	 * A 32 KiB window also inflates qemu's 4 KiB-window streams. */
	if (inflateInit2(zs, -15) != Z_OK)
		goto fail;
	q->zs = zs;
	return 0;
fail:
	free(zs);
	free(q->zin);
	free(q->zout);
	q->zin = q->zout = NULL;
	return ib_err_set(err, ENOMEM,
	    "qcow2: out of memory for a compressed cluster");
}

/*
 * Inflate the compressed cluster of L2 entry e into q->zout. The entry
 * holds the host offset in its low 62 - (cluster_bits - 8) bits and the
 * number of 512-byte sectors, less one, above (qcow2.txt "Compressed
 * Clusters Descriptor"). The sectors may run past the end of the file by
 * less than a sector: qemu does not pad the last compressed cluster.
 */
static int
inflate_cluster(struct ib_qcow2 *q, uint64_t vcl, uint64_t e, ib_err *err)
{
	z_stream *zs;
	unsigned x = 62 - (q->cb - 8);
	uint64_t hoff, nsec, csize, end;
	size_t out;
	int ret;

	if (q->zvalid && q->zkey == e)
		return 0;
	hoff = e & ((UINT64_C(1) << x) - 1);
	nsec = ((e >> x) & ((UINT64_C(1) << (q->cb - 8)) - 1)) + 1;
	csize = nsec * 512 - (hoff & 511);
	if (!ib_add_u64(hoff, csize, &end) || hoff >= q->filelen ||
	    (end > q->filelen && end - q->filelen >= 512))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: compressed cluster of guest cluster %" PRIu64
		    " (%" PRIu64 " bytes at %" PRIu64
		    ") runs past end of file (%" PRIu64 " bytes)",
		    vcl, csize, hoff, q->filelen);
	if (end > q->filelen)
		csize = q->filelen - hoff;
	if (zalloc(q, err) == -1)
		return -1;
	q->zvalid = false;
	zs = q->zs;
	/* csize is at most 2^(cb - 8) sectors: 2 clusters, zin's size. */
	if (ib_qcow2_file_read(q, q->zin, (size_t)csize, hoff, err) == -1)
		return -1;
	if (inflateReset(zs) != Z_OK)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: inflateReset failed");
	zs->next_in = q->zin;
	zs->avail_in = (uInt)csize;
	zs->next_out = q->zout;
	/* One spare byte tells a cluster that inflates to too much. */
	zs->avail_out = (uInt)q->cs + 1;
	ret = inflate(zs, Z_FINISH);
	out = (size_t)q->cs + 1 - zs->avail_out;
	if (out > q->cs)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: compressed cluster of guest cluster %" PRIu64
		    " at %" PRIu64 " inflates to more than a cluster (%" PRIu64
		    " bytes)",
		    vcl, hoff, q->cs);
	if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: compressed cluster of guest cluster %" PRIu64
		    " at %" PRIu64 ": bad deflate data (%s)",
		    vcl, hoff, zs->msg != NULL ? zs->msg : "no message");
	if (ret == Z_MEM_ERROR)
		return ib_err_set(err, ENOMEM, "qcow2: inflate out of memory");
	/* Like qemu, a stream that fills the cluster is whole; trailing
	 * bytes of its last sector are not looked at. */
	if (out < q->cs)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: compressed cluster of guest cluster %" PRIu64
		    " at %" PRIu64 " inflates to %zu bytes, expected %" PRIu64,
		    vcl, hoff, out, q->cs);
	q->zkey = e;
	q->zvalid = true;
	return 0;
}

static int level_read(struct ib_qcow2 *q, unsigned char *buf, size_t len,
    uint64_t off, ib_err *err);

/* Guest bytes of q's backing file, zeros past its end (or without one). */
static int
backing_read(struct ib_qcow2 *q, unsigned char *buf, size_t n, uint64_t off,
    ib_err *err)
{
	struct ib_qcow2 *b = q->back;
	size_t in;

	in = b == NULL || off >= b->size ? 0 :
	    b->size - off < n            ? (size_t)(b->size - off) :
	                                   n;
	memset(buf + in, 0, n - in);
	if (in == 0)
		return 0;
	return level_read(b, buf, in, off, err);
}

/*
 * Bytes of a run of guest clusters that read alike, starting at off,
 * at most len: data clusters in a row in the file, zero clusters, or
 * clusters of the backing file. *k and *host are the first cluster's.
 */
static int
run_of(struct ib_qcow2 *q, uint64_t off, size_t len, enum kind *k,
    uint64_t *host, uint64_t *e, size_t *n, ib_err *err)
{
	uint64_t vcl = off >> q->cb, in = off & (q->cs - 1), e2, h2;
	size_t got, step;
	enum kind k2;

	if (l2_entry(q, vcl, e, err) == -1 ||
	    classify(q, vcl, *e, k, host, err) == -1)
		return -1;
	got = q->cs - in < len ? (size_t)(q->cs - in) : len;
	while (got < len && *k != K_COMPRESSED) {
		vcl++;
		if (l2_entry(q, vcl, &e2, err) == -1 ||
		    classify(q, vcl, e2, &k2, &h2, err) == -1)
			return -1;
		/* got + in is a whole number of clusters here. */
		if (k2 != *k || (*k == K_DATA && h2 != *host + in + got))
			break;
		step = len - got < q->cs ? len - got : (size_t)q->cs;
		got += step;
	}
	*n = got;
	return 0;
}

/* Read guest bytes [off, off + len) of one image of the chain, which
 * lie inside its size. Recursion follows the chain, at most
 * IB_MAX_BACKING_DEPTH deep (qcow2_open.c stops longer chains). */
static int
level_read(struct ib_qcow2 *q, unsigned char *buf, size_t len, uint64_t off,
    ib_err *err)
{
	uint64_t host, e;
	enum kind k;
	size_t n;

	if (q->depth > IB_MAX_BACKING_DEPTH)
		return ib_err_set(err, IB_ELIMIT,
		    "qcow2: backing chain deeper than IB_MAX_BACKING_DEPTH "
		    "(%u)",
		    IB_MAX_BACKING_DEPTH);
	if (q->raw)
		return ib_qcow2_file_read(q, buf, len, off, err);
	while (len > 0) {
		if (run_of(q, off, len, &k, &host, &e, &n, err) == -1)
			return -1;
		switch (k) {
		case K_DATA:
			if (ib_qcow2_file_read(q, buf, n,
			        host + (off & (q->cs - 1)), err) == -1)
				return -1;
			break;
		case K_ZERO:
			memset(buf, 0, n);
			break;
		case K_BACKING:
			if (backing_read(q, buf, n, off, err) == -1)
				return -1;
			break;
		case K_COMPRESSED:
			if (inflate_cluster(q, off >> q->cb, e, err) == -1)
				return -1;
			memcpy(buf, q->zout + (off & (q->cs - 1)), n);
			break;
		}
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}

int
ib_qcow2_zeros(ib_qcow2 *q, uint64_t off, size_t len, bool *zeros, ib_err *err)
{
	uint64_t host, e;
	enum kind k;
	size_t n;

	*zeros = false;
	if (q->raw || off > q->size || len > q->size - off)
		return 0;
	while (len > 0) {
		if (run_of(q, off, len, &k, &host, &e, &n, err) == -1)
			return -1;
		/* Zero clusters, or unallocated ones with nothing below
		 * (or below the backing file's end). */
		if (k != K_ZERO &&
		    (k != K_BACKING ||
		        (q->back != NULL && off < q->back->size)))
			return 0;
		off += n;
		len -= n;
	}
	*zeros = true;
	return 0;
}

int
ib_qcow2_pread(ib_qcow2 *q, void *buf, size_t len, uint64_t off, ib_err *err)
{
	uint64_t end;

	if (q == NULL || (buf == NULL && len > 0))
		return ib_err_set(err, EINVAL, "qcow2: missing argument");
	if (!ib_add_u64(off, len, &end) || end > q->size)
		return ib_err_set(err, EINVAL,
		    "qcow2: read of %zu bytes at %" PRIu64
		    " past the disk's end (%" PRIu64 " bytes)",
		    len, off, q->size);
	return level_read(q, buf, len, off, err);
}

int
ib_qcow2_read_at(void *ctx, void *buf, size_t len, uint64_t off, ib_err *err)
{
	return ib_qcow2_pread(ctx, buf, len, off, err);
}

uint64_t
ib_qcow2_size(const ib_qcow2 *q)
{
	return q->size;
}

void
ib_qcow2_data_release(struct ib_qcow2 *q)
{
	if (q->zs != NULL) {
		inflateEnd(q->zs);
		free(q->zs);
	}
	free(q->zin);
	free(q->zout);
	free(q->slices);
	q->zs = NULL;
	q->zin = q->zout = q->slices = NULL;
}
