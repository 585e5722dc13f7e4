/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * qcow2: emit the metadata of an empty qcow2 v3 image, and read back the
 * metadata of any v2/v3 image with checks. Layout and field meanings: qemu
 * docs/interop/qcow2.txt ("Header", "Host cluster management", "Cluster
 * mapping"). All numbers are big-endian.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "errors.h"
#include "qcow2.h"
#include "qcow2_int.h"

/*
 * The header written: v3 through compression_type (0 = zlib), padded to a
 * multiple of 8, as qemu-img since 5.1 writes it. The end-of-extensions
 * marker (type 0, length 0) that follows is zero bytes, left as a hole.
 */
#define OUT_HEADER_LEN     112u
#define OUT_REFCOUNT_ORDER 4u
#define OUT_CLUSTER        ((uint64_t)1 << IB_QCOW2_CLUSTER_BITS)
/* Refcounts in one block: a cluster of 16-bit entries. */
#define OUT_RB_ENTRIES (OUT_CLUSTER * 8 >> OUT_REFCOUNT_ORDER)
/* Virtual bytes one L1 entry maps: an L2 table of 8-byte entries. */
#define OUT_L1_SPAN (OUT_CLUSTER * (OUT_CLUSTER / 8))

#define MIN_CLUSTER_BITS   9u  /* qcow2.txt: "Must not be less than 9" */
#define MAX_CLUSTER_BITS   21u /* qemu's limit: 2 MiB clusters */
#define MAX_REFCOUNT_ORDER 6u

/* Bytes of a table read at once; also the emit buffer. A multiple of 16,
 * so that no table entry straddles two reads. */
#define CHUNK 4096u
/* Bytes of a refcount block held for lookups: the smallest cluster. */
#define WIN 512u

static const unsigned char zeros[CHUNK];

/* Where the metadata of an empty image goes, in clusters: the header,
 * the refcount table, the refcount blocks, the L1 table, in this order. */
struct layout {
	uint64_t l1_entries;
	uint64_t l1_clusters;
	uint64_t rt_clusters;
	uint64_t rb_count;
	uint64_t nclusters; /* all of them: the whole file */
};

static uint64_t
div_up(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

static void
plan(uint64_t size, struct layout *lo)
{
	uint64_t rb, rt, n;

	lo->l1_entries = div_up(size, OUT_L1_SPAN);
	lo->l1_clusters = div_up(lo->l1_entries * 8, OUT_CLUSTER);
	/* The refcount blocks count themselves and the table that points at
	 * them: grow both until they cover every metadata cluster. Both only
	 * grow, so this ends (after one round for any size we write). */
	rb = 1;
	rt = 1;
	for (;;) {
		n = 1 + rt + rb + lo->l1_clusters;
		if (div_up(n, OUT_RB_ENTRIES) <= rb &&
		    div_up(rb * 8, OUT_CLUSTER) <= rt)
			break;
		if (div_up(n, OUT_RB_ENTRIES) > rb)
			rb = div_up(n, OUT_RB_ENTRIES);
		if (div_up(rb * 8, OUT_CLUSTER) > rt)
			rt = div_up(rb * 8, OUT_CLUSTER);
	}
	lo->rt_clusters = rt;
	lo->rb_count = rb;
	lo->nclusters = 1 + rt + rb + lo->l1_clusters;
}

static int
emit_header(uint64_t size, const struct layout *lo, ib_qcow2_put put, void *ctx,
    ib_err *err)
{
	unsigned char h[OUT_HEADER_LEN];

	memset(h, 0, sizeof(h));
	memcpy(h + H_MAGIC, QCOW2_MAGIC, 4);
	ib_put_be32(h + H_VERSION, 3);
	ib_put_be32(h + H_CLUSTER_BITS, IB_QCOW2_CLUSTER_BITS);
	ib_put_be64(h + H_SIZE, size);
	ib_put_be32(h + H_L1_SIZE, (uint32_t)lo->l1_entries);
	ib_put_be64(h + H_L1_OFFSET,
	    (1 + lo->rt_clusters + lo->rb_count) * OUT_CLUSTER);
	ib_put_be64(h + H_RT_OFFSET, OUT_CLUSTER);
	ib_put_be32(h + H_RT_CLUSTERS, (uint32_t)lo->rt_clusters);
	ib_put_be32(h + H_REFCOUNT_ORDER, OUT_REFCOUNT_ORDER);
	ib_put_be32(h + H_HEADER_LENGTH, OUT_HEADER_LEN);
	/* Backing file, encryption, snapshots, feature bits and
	 * compression_type (zlib) all stay 0. */
	return put(ctx, 0, h, sizeof(h), err);
}

/* The refcount table: one entry per refcount block, in a row. */
static int
emit_reftable(const struct layout *lo, ib_qcow2_put put, void *ctx, ib_err *err)
{
	unsigned char buf[CHUNK];
	uint64_t rb_off, i, j, n;

	rb_off = (1 + lo->rt_clusters) * OUT_CLUSTER;
	for (i = 0; i < lo->rb_count; i += n) {
		n = lo->rb_count - i;
		if (n > CHUNK / 8)
			n = CHUNK / 8;
		for (j = 0; j < n; j++)
			ib_put_be64(buf + j * 8,
			    rb_off + (i + j) * OUT_CLUSTER);
		if (put(ctx, OUT_CLUSTER + i * 8, buf, (size_t)n * 8, err) ==
		    -1)
			return -1;
	}
	return 0;
}

/* The refcount blocks: refcount 1 for clusters 0 .. nclusters - 1, which
 * are all metadata, and 0 (a hole) for the rest. */
static int
emit_refblocks(const struct layout *lo, ib_qcow2_put put, void *ctx,
    ib_err *err)
{
	unsigned char ones[CHUNK];
	uint64_t rb_off, b, left, off, n;
	size_t i;

	for (i = 0; i < CHUNK; i += 2)
		ib_put_be16(ones + i, 1);
	rb_off = (1 + lo->rt_clusters) * OUT_CLUSTER;
	for (b = 0; b < lo->rb_count; b++) {
		left = lo->nclusters - b * OUT_RB_ENTRIES;
		if (left > OUT_RB_ENTRIES)
			left = OUT_RB_ENTRIES;
		left *= 2;
		off = rb_off + b * OUT_CLUSTER;
		while (left > 0) {
			n = left < CHUNK ? left : CHUNK;
			if (put(ctx, off, ones, (size_t)n, err) == -1)
				return -1;
			off += n;
			left -= n;
		}
	}
	return 0;
}

int
ib_qcow2_emit(uint64_t size, ib_qcow2_put put, void *ctx, uint64_t *filelen,
    ib_err *err)
{
	struct layout lo;

	if (put == NULL || filelen == NULL)
		return ib_err_set(err, EINVAL, "qcow2: missing argument");
	if (size == 0 || size % 512 != 0)
		return ib_err_set(err, EINVAL,
		    "qcow2: size %" PRIu64 " is not a positive multiple of 512",
		    size);
	if (size > IB_QCOW2_MAX_SIZE)
		return ib_err_set(err, IB_ELIMIT,
		    "qcow2: size %" PRIu64 " is larger than IB_QCOW2_MAX_SIZE "
		    "(%" PRIu64 " bytes, 2 PiB)",
		    size, IB_QCOW2_MAX_SIZE);
	plan(size, &lo);
	if (emit_header(size, &lo, put, ctx, err) == -1 ||
	    emit_reftable(&lo, put, ctx, err) == -1 ||
	    emit_refblocks(&lo, put, ctx, err) == -1)
		return -1;
	/* The L1 table is all zeros: no L2 table, every cluster reads 0. */
	*filelen = lo.nclusters * OUT_CLUSTER;
	return 0;
}

static int
fd_put(void *ctx, uint64_t off, const void *buf, size_t n, ib_err *err)
{
	const int *fd = ctx;
	const unsigned char *p = buf;
	ssize_t w;

	while (n > 0) {
		if (off > (uint64_t)INT64_MAX - n)
			return ib_err_errno(err, EFBIG,
			    "qcow2: write at %" PRIu64, off);
		w = pwrite(*fd, p, n, (off_t)off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return ib_err_errno(err, errno,
			    "qcow2: write at %" PRIu64, off);
		if (w == 0)
			return ib_err_errno(err, EIO,
			    "qcow2: write at %" PRIu64, off);
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

int
ib_qcow2_write(int fd, uint64_t size, ib_err *err)
{
	struct stat st;
	uint64_t filelen;
	int rc;

	if (fstat(fd, &st) == -1)
		return ib_err_errno(err, errno, "qcow2: fstat");
	if (!S_ISREG(st.st_mode) || st.st_size != 0)
		return ib_err_set(err, EINVAL,
		    "qcow2: output is not an empty regular file");
	if (ib_qcow2_emit(size, fd_put, &fd, &filelen, err) == -1)
		return -1;
	/* Cannot overflow an off_t: filelen is a few dozen MiB at most. */
	do
		rc = ftruncate(fd, (off_t)filelen);
	while (rc == -1 && errno == EINTR);
	if (rc == -1)
		return ib_err_errno(err, errno,
		    "qcow2: set file length to %" PRIu64, filelen);
	return 0;
}

/*
 * Reading. Every offset taken from the image is checked against filelen
 * before it is read; tables are read CHUNK bytes at a time and refcounts
 * WIN bytes at a time, so memory does not depend on the input.
 */
struct reader {
	ib_qcow2_get get;
	void *ctx;
	uint64_t filelen;
	unsigned cb;             /* cluster_bits */
	uint64_t cs;             /* cluster size */
	unsigned order;          /* refcount_order */
	uint64_t l1_off, l1_len; /* L1 table in bytes */
	uint64_t l1_span;        /* L1 clusters, in bytes */
	uint64_t rt_off, rt_len; /* refcount table in bytes */
	uint64_t rt_idx;         /* refcount table entry cached, or ~0 */
	uint64_t rb_off;         /* its refcount block, 0 for none */
	uint64_t win_off;        /* file offset of win, or ~0 */
	unsigned char win[WIN];
};

/* Read n bytes at off that must lie inside the file; what names them. */
static int
get_in(struct reader *r, uint64_t off, void *buf, size_t n, const char *what,
    ib_err *err)
{
	if (off > r->filelen || n > r->filelen - off)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: %s at %" PRIu64 " past end of file (%" PRIu64
		    " bytes)",
		    what, off, r->filelen);
	return r->get(r->ctx, off, buf, n, err);
}

static int
overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen > 0 && blen > 0 && a < b + blen && b < a + alen;
}

/* Check refcount table entry idx (value e) and give its block offset. */
static int
check_rt_entry(const struct reader *r, uint64_t idx, uint64_t e, uint64_t *off,
    ib_err *err)
{
	uint64_t o = e & ~RT_RESERVED;

	if (e & RT_RESERVED)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount table entry %" PRIu64
		    ": reserved bits set (%#" PRIx64 ")",
		    idx, e);
	if (o % r->cs != 0)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount block %" PRIu64 " at %" PRIu64
		    " not cluster-aligned",
		    idx, o);
	if (o != 0 && (o > r->filelen || r->cs > r->filelen - o))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount block %" PRIu64 " at %" PRIu64
		    " past end of file (%" PRIu64 " bytes)",
		    idx, o, r->filelen);
	if (o != 0 && overlaps(o, r->cs, 0, r->cs))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount block %" PRIu64 " overlaps the header",
		    idx);
	if (o != 0 && overlaps(o, r->cs, r->l1_off, r->l1_span))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount block %" PRIu64 " overlaps the L1 table",
		    idx);
	if (o != 0 && overlaps(o, r->cs, r->rt_off, r->rt_len))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount block %" PRIu64
		    " overlaps the refcount table",
		    idx);
	*off = o;
	return 0;
}

/* The refcount of the cluster at file offset off. */
static int
refcount(struct reader *r, uint64_t off, uint64_t *rc, ib_err *err)
{
	unsigned char e[8];
	unsigned shift;
	uint64_t cl, idx, bit, byte, woff;
	const unsigned char *p;

	cl = off >> r->cb;
	shift = r->cb + 3 - r->order; /* log2 of refcounts per block */
	idx = cl >> shift;
	*rc = 0;
	if (idx >= r->rt_len / 8)
		return 0;
	if (idx != r->rt_idx) {
		/* The entry is read again rather than trusted from the scan:
		 * get need not return the same bytes twice. */
		if (get_in(r, r->rt_off + idx * 8, e, 8, "refcount table",
		        err) == -1 ||
		    check_rt_entry(r, idx, ib_be64(e), &r->rb_off, err) == -1)
			return -1;
		r->rt_idx = idx;
	}
	if (r->rb_off == 0)
		return 0;
	bit = (cl & ((UINT64_C(1) << shift) - 1)) << r->order;
	byte = bit / 8;
	woff = r->rb_off + byte / WIN * WIN;
	if (woff != r->win_off) {
		r->win_off = UINT64_MAX;
		if (get_in(r, woff, r->win, WIN, "refcount block", err) == -1)
			return -1;
		r->win_off = woff;
	}
	p = r->win + byte % WIN;
	switch (r->order) {
	case 3:
		*rc = p[0];
		break;
	case 4:
		*rc = ib_be16(p);
		break;
	case 5:
		*rc = ib_be32(p);
		break;
	case 6:
		*rc = ib_be64(p);
		break;
	default:
		/* Sub-byte widths: bit 0 is the least significant one. */
		*rc = (uint64_t)(p[0] >> (bit % 8)) &
		    ((1u << (1u << r->order)) - 1);
		break;
	}
	return 0;
}

/* Every cluster of [off, off + len) has refcount 1; what names them. */
static int
check_refcounts(struct reader *r, uint64_t off, uint64_t len, const char *what,
    ib_err *err)
{
	uint64_t o, rc;

	for (o = off; o < off + len; o += r->cs) {
		if (refcount(r, o, &rc, err) == -1)
			return -1;
		if (rc != 1)
			return ib_err_set(err, IB_EFORMAT,
			    "qcow2: %s cluster at %" PRIu64
			    " has refcount %" PRIu64 ", expected 1",
			    what, o, rc);
	}
	return 0;
}

/* Walk the header extensions from start to the end marker, which must
 * come before end (the first cluster or the backing file name). */
static int
check_extensions(struct reader *r, uint64_t start, uint64_t end, ib_err *err)
{
	unsigned char h[8];
	uint64_t off, len;
	uint32_t type;

	for (off = start;;) {
		if (off > end || end - off < 8)
			return ib_err_set(err, IB_EFORMAT,
			    "qcow2: header extensions: no end marker before "
			    "%" PRIu64,
			    end);
		if (get_in(r, off, h, 8, "header extension", err) == -1)
			return -1;
		type = ib_be32(h);
		if (type == 0)
			return 0;
		len = ib_be32(h + 4);
		len = (len + 7) / 8 * 8;
		if (len > end - off - 8)
			return ib_err_set(err, IB_EFORMAT,
			    "qcow2: header extension %#" PRIx32 " at %" PRIu64
			    ": length %" PRIu32 " past %" PRIu64,
			    type, off, ib_be32(h + 4), end);
		off += 8 + len;
	}
}

/* Check the refcount table: every entry, and each block's refcount. */
static int
scan_reftable(struct reader *r, ib_err *err)
{
	unsigned char buf[CHUNK];
	uint64_t done, n, i, o, rc;

	for (done = 0; done < r->rt_len; done += n) {
		n = r->rt_len - done;
		if (n > CHUNK)
			n = CHUNK;
		if (get_in(r, r->rt_off + done, buf, (size_t)n,
		        "refcount table", err) == -1)
			return -1;
		for (i = 0; i < n; i += 8) {
			if (check_rt_entry(r, (done + i) / 8, ib_be64(buf + i),
			        &o, err) == -1)
				return -1;
			if (o == 0)
				continue;
			if (refcount(r, o, &rc, err) == -1)
				return -1;
			if (rc != 1)
				return ib_err_set(err, IB_EFORMAT,
				    "qcow2: refcount block %" PRIu64
				    " at %" PRIu64 " has refcount %" PRIu64
				    ", expected 1",
				    (done + i) / 8, o, rc);
		}
	}
	return 0;
}

/* Count the guest clusters that L2 table l2 maps (esize-byte entries). */
static int
count_l2(struct reader *r, uint64_t l2, unsigned esize, uint64_t *count,
    ib_err *err)
{
	unsigned char buf[CHUNK];
	uint64_t done, n, i, e;

	for (done = 0; done < r->cs; done += n) {
		n = r->cs - done < CHUNK ? r->cs - done : CHUNK;
		if (get_in(r, l2 + done, buf, (size_t)n, "L2 table", err) == -1)
			return -1;
		for (i = 0; i < n; i += esize) {
			e = ib_be64(buf + i);
			if ((e & L2_COMPRESSED) || (e & ENTRY_OFFSET) != 0)
				(*count)++;
		}
	}
	return 0;
}

/*
 * Walk the L1 table and count mapped guest clusters. An L2 table must lie
 * in the file, so more L2 tables than the file has clusters means one is
 * shared: refused, which bounds the work by filelen.
 */
static int
scan_l1(struct reader *r, unsigned esize, uint64_t *count, ib_err *err)
{
	unsigned char buf[CHUNK];
	uint64_t done, n, i, e, l2, tables;

	tables = 0;
	*count = 0;
	for (done = 0; done < r->l1_len; done += n) {
		n = r->l1_len - done;
		if (n > CHUNK)
			n = CHUNK;
		if (get_in(r, r->l1_off + done, buf, (size_t)n, "L1 table",
		        err) == -1)
			return -1;
		/* The L1 table of a big, mostly empty disk is mostly 0. */
		if (memcmp(buf, zeros, (size_t)n) == 0)
			continue;
		for (i = 0; i < n; i += 8) {
			e = ib_be64(buf + i);
			l2 = e & ENTRY_OFFSET;
			if (e & L1_RESERVED)
				return ib_err_set(err, IB_EFORMAT,
				    "qcow2: L1 entry %" PRIu64
				    ": reserved bits set (%#" PRIx64 ")",
				    (done + i) / 8, e);
			if (l2 == 0)
				continue;
			if (l2 % r->cs != 0)
				return ib_err_set(err, IB_EFORMAT,
				    "qcow2: L1 entry %" PRIu64 ": L2 table at "
				    "%" PRIu64 " not cluster-aligned",
				    (done + i) / 8, l2);
			if (++tables > r->filelen / r->cs)
				return ib_err_set(err, IB_EFORMAT,
				    "qcow2: L1 table: more L2 tables than "
				    "clusters in the file");
			if (count_l2(r, l2, esize, count, err) == -1)
				return -1;
		}
	}
	return 0;
}

/* The fields of the first 104 bytes that need checks of their own. */
static int
check_header(struct reader *r, const unsigned char *h, uint32_t version,
    uint64_t *hlen, uint64_t *incompat, ib_err *err)
{
	uint64_t boff;
	uint32_t bsize, cb, crypt;

	cb = ib_be32(h + H_CLUSTER_BITS);
	if (cb < MIN_CLUSTER_BITS || cb > MAX_CLUSTER_BITS)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: cluster_bits %" PRIu32 " out of range %u..%u", cb,
		    MIN_CLUSTER_BITS, MAX_CLUSTER_BITS);
	r->cb = cb;
	r->cs = UINT64_C(1) << cb;
	crypt = ib_be32(h + H_CRYPT_METHOD);
	if (crypt > 2)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: crypt_method %" PRIu32 " unknown", crypt);
	boff = ib_be64(h + H_BACKING_OFFSET);
	bsize = ib_be32(h + H_BACKING_SIZE);
	if (boff != 0 &&
	    (bsize > MAX_BACKING_NAME || boff > r->cs || bsize > r->cs - boff))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: backing file name (%" PRIu32 " bytes at %" PRIu64
		    ") not inside the first cluster",
		    bsize, boff);
	if (version == 2) {
		*hlen = V2_HEADER_LEN;
		*incompat = 0;
		r->order = 4;
		return 0;
	}
	*hlen = ib_be32(h + H_HEADER_LENGTH);
	if (*hlen < V3_MIN_HEADER_LEN || *hlen % 8 != 0 || *hlen > r->cs)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: header_length %" PRIu64
		    " not a multiple of 8 from %u to the cluster size",
		    *hlen, V3_MIN_HEADER_LEN);
	r->order = ib_be32(h + H_REFCOUNT_ORDER);
	if (r->order > MAX_REFCOUNT_ORDER)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount_order %u above %u", r->order,
		    MAX_REFCOUNT_ORDER);
	*incompat = ib_be64(h + H_INCOMPAT);
	if (*incompat & ~F_KNOWN)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "qcow2: unknown incompatible_features %#" PRIx64,
		    *incompat & ~F_KNOWN);
	if (*incompat & F_CORRUPT)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: incompatible_features: corrupt bit set");
	if (*incompat & F_DIRTY)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "qcow2: incompatible_features: dirty bit set, refcounts "
		    "need a repair (qemu-img check -r all)");
	return 0;
}

/* The L1 table, refcount table and snapshot table: where and how big. */
static int
check_tables(struct reader *r, const unsigned char *h, uint64_t size,
    unsigned esize, ib_err *err)
{
	uint64_t need, span, snap;
	uint32_t l1, rtc;

	l1 = ib_be32(h + H_L1_SIZE);
	r->l1_off = ib_be64(h + H_L1_OFFSET);
	if (l1 > IB_QCOW2_MAX_L1)
		return ib_err_set(err, IB_ELIMIT,
		    "qcow2: l1_size %" PRIu32 " above IB_QCOW2_MAX_L1 (%" PRIu32
		    ")",
		    l1, IB_QCOW2_MAX_L1);
	/* One L1 entry maps an L2 table: cs / esize clusters. */
	span = r->cs / esize * r->cs;
	need = div_up(size, span);
	if (l1 < need)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: l1_size %" PRIu32 " too small for size %" PRIu64
		    " (needs %" PRIu64 ")",
		    l1, size, need);
	r->l1_len = (uint64_t)l1 * 8;
	if (r->l1_off % r->cs != 0)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: l1_table_offset %" PRIu64 " not cluster-aligned",
		    r->l1_off);
	if (l1 > 0 &&
	    (r->l1_off > r->filelen || r->l1_len > r->filelen - r->l1_off))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: l1_table_offset %" PRIu64 " + %" PRIu64
		    " bytes past end of file (%" PRIu64 " bytes)",
		    r->l1_off, r->l1_len, r->filelen);
	r->l1_span = div_up(r->l1_len, r->cs) * r->cs;

	rtc = ib_be32(h + H_RT_CLUSTERS);
	r->rt_off = ib_be64(h + H_RT_OFFSET);
	if (rtc == 0)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount_table_clusters is 0");
	if (rtc > IB_QCOW2_MAX_REFTABLE * UINT64_C(8) / r->cs)
		return ib_err_set(err, IB_ELIMIT,
		    "qcow2: refcount_table_clusters %" PRIu32
		    " above IB_QCOW2_MAX_REFTABLE (%" PRIu32 " entries)",
		    rtc, IB_QCOW2_MAX_REFTABLE);
	r->rt_len = rtc * r->cs;
	if (r->rt_off % r->cs != 0)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount_table_offset %" PRIu64
		    " not cluster-aligned",
		    r->rt_off);
	if (r->rt_off > r->filelen || r->rt_len > r->filelen - r->rt_off)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount_table_offset %" PRIu64 " + %" PRIu64
		    " bytes past end of file (%" PRIu64 " bytes)",
		    r->rt_off, r->rt_len, r->filelen);

	if (overlaps(r->l1_off, r->l1_span, 0, r->cs))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: L1 table at %" PRIu64 " overlaps the header",
		    r->l1_off);
	if (overlaps(r->rt_off, r->rt_len, 0, r->cs))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: refcount table at %" PRIu64 " overlaps the header",
		    r->rt_off);
	if (overlaps(r->l1_off, r->l1_span, r->rt_off, r->rt_len))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: L1 table at %" PRIu64
		    " overlaps the refcount table at %" PRIu64,
		    r->l1_off, r->rt_off);

	snap = ib_be64(h + H_SNAPSHOTS_OFF);
	if (ib_be32(h + H_NB_SNAPSHOTS) != 0 &&
	    (snap % r->cs != 0 || snap >= r->filelen))
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: snapshots_offset %" PRIu64
		    " not aligned or past end of file",
		    snap);
	return 0;
}

int
ib_qcow2_read(ib_qcow2_get get, void *ctx, uint64_t filelen,
    ib_qcow2_info *info, ib_err *err)
{
	struct reader r;
	unsigned char h[V3_MIN_HEADER_LEN];
	uint64_t size, hlen, incompat, end, data;
	uint32_t version;
	unsigned esize;

	if (get == NULL || info == NULL)
		return ib_err_set(err, EINVAL, "qcow2: missing argument");
	memset(&r, 0, sizeof(r));
	hlen = 0;
	incompat = 0;
	r.get = get;
	r.ctx = ctx;
	r.filelen = filelen;
	r.rt_idx = UINT64_MAX;
	r.win_off = UINT64_MAX;
	/* Keeps every sum of an in-file offset and a cluster size below
	 * 2^64; no file system holds more. */
	if (filelen > (uint64_t)INT64_MAX)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: file length %" PRIu64 " too large", filelen);
	if (filelen < V2_HEADER_LEN)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: file of %" PRIu64 " bytes too short for a header",
		    filelen);
	if (get_in(&r, 0, h, V2_HEADER_LEN, "header", err) == -1)
		return -1;
	if (memcmp(h + H_MAGIC, QCOW2_MAGIC, 4) != 0)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: bad magic (not a qcow2 image)");
	version = ib_be32(h + H_VERSION);
	if (version != 2 && version != 3)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: version %" PRIu32 ", expected 2 or 3", version);
	if (version == 3 &&
	    get_in(&r, V2_HEADER_LEN, h + V2_HEADER_LEN,
	        V3_MIN_HEADER_LEN - V2_HEADER_LEN, "version 3 header",
	        err) == -1)
		return -1;
	if (check_header(&r, h, version, &hlen, &incompat, err) == -1)
		return -1;
	/* Extended L2 entries are 16 bytes: 8 of mapping, 8 of bitmap. */
	esize = (incompat & F_EXTL2) ? 16 : 8;
	end = ib_be64(h + H_BACKING_OFFSET);
	if (end == 0)
		end = r.cs;
	if (check_extensions(&r, hlen, end, err) == -1)
		return -1;
	size = ib_be64(h + H_SIZE);
	if (check_tables(&r, h, size, esize, err) == -1 ||
	    scan_reftable(&r, err) == -1 ||
	    check_refcounts(&r, 0, r.cs, "header", err) == -1 ||
	    check_refcounts(&r, r.l1_off, r.l1_len, "L1 table", err) == -1 ||
	    check_refcounts(&r, r.rt_off, r.rt_len, "refcount table", err) ==
	        -1 ||
	    scan_l1(&r, esize, &data, err) == -1)
		return -1;

	info->version = version;
	info->cluster_bits = r.cb;
	info->size = size;
	info->l1_offset = r.l1_off;
	info->l1_entries = (uint32_t)(r.l1_len / 8);
	info->refcount_table_offset = r.rt_off;
	info->refcount_table_clusters = (uint32_t)(r.rt_len / r.cs);
	info->data_clusters = data;
	return 0;
}
