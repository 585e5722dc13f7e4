/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_qcow2: the qcow2 reader and writer. Properties, abort() on failure:
 * 1. ib_qcow2_read on the input as an image file never reads outside it
 *    and makes a bounded number of reads (one per 2 bytes, plus a few).
 * 2. The first 8 bytes (little-endian) give a size, rounded down to 512
 *    (512 if that is 0) and capped at IB_QCOW2_MAX_SIZE: what
 *    ib_qcow2_emit puts out (non-zero ranges in order, inside the file
 *    length, a few KiB in all) reads back with exactly that size.
 * 3. That image with the rest of the input applied as patches (a 4-byte
 *    offset, 1 byte to XOR) is read like 1.
 * 4. The input, and the patched image, opened with ib_qcow2_open_get:
 *    guest bytes read from the start (up to 1 MiB) in one read and again
 *    in odd pieces are the same bytes when both succeed (the table cache,
 *    runs of clusters and the compressed-cluster cache agree with single
 *    reads); the disk's last bytes read; nothing is read outside the file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "qcow2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RANGES  16
#define ARENA       16384
#define MAX_PATCHES 64
#define CS          ((uint64_t)1 << IB_QCOW2_CLUSTER_BITS)

/* A file made of the emitted ranges, zeros elsewhere, and patches. */
struct image {
	uint64_t off[MAX_RANGES];
	size_t len[MAX_RANGES];
	size_t at[MAX_RANGES]; /* where the bytes are in arena */
	size_t count, used;
	uint64_t end;
	unsigned char arena[ARENA];
	uint64_t poff[MAX_PATCHES];
	unsigned char pxor[MAX_PATCHES];
	size_t npatch;
	uint64_t filelen;
	uint64_t reads;
};

static int
put(void *ctx, uint64_t off, const void *buf, size_t n, ib_err *err)
{
	struct image *im = ctx;
	const unsigned char *p = buf;
	size_t i;
	int nonzero = 0;

	(void)err;
	if (n == 0 || (im->count > 0 && off < im->end) ||
	    im->count == MAX_RANGES || n > ARENA - im->used)
		abort();
	for (i = 0; i < n; i++)
		nonzero |= p[i] != 0;
	if (!nonzero)
		abort();
	im->off[im->count] = off;
	im->len[im->count] = n;
	im->at[im->count] = im->used;
	memcpy(im->arena + im->used, buf, n);
	im->used += n;
	im->count++;
	im->end = off + n;
	return 0;
}

static int
get(void *ctx, uint64_t off, void *buf, size_t n, ib_err *err)
{
	struct image *im = ctx;
	unsigned char *out = buf;
	uint64_t a, b;
	size_t i;

	(void)err;
	im->reads++;
	if (off > im->filelen || n > im->filelen - off)
		abort();
	memset(out, 0, n);
	for (i = 0; i < im->count; i++) {
		a = off > im->off[i] ? off : im->off[i];
		b = off + n < im->off[i] + im->len[i] ? off + n :
		                                        im->off[i] + im->len[i];
		if (a < b)
			memcpy(out + (a - off),
			    im->arena + im->at[i] + (a - im->off[i]),
			    (size_t)(b - a));
	}
	for (i = 0; i < im->npatch; i++)
		if (im->poff[i] >= off && im->poff[i] - off < n)
			out[im->poff[i] - off] ^= im->pxor[i];
	return 0;
}

struct flat {
	const uint8_t *p;
	size_t n;
	uint64_t reads;
};

static int
get_flat(void *ctx, uint64_t off, void *buf, size_t n, ib_err *err)
{
	struct flat *f = ctx;

	(void)err;
	f->reads++;
	if (off > f->n || n > f->n - off)
		abort();
	memcpy(buf, f->p + off, n);
	return 0;
}

/* Property 4 on an image that get reads from ctx (filelen bytes). */
static void
read_guest(ib_qcow2_get g, void *ctx, uint64_t filelen)
{
	static unsigned char whole[1 << 20], piece[1 << 20];
	ib_qcow2 *q;
	ib_err err;
	uint64_t vsize, n, off, step;
	int ok;

	q = ib_qcow2_open_get(g, ctx, filelen, &err);
	if (q == NULL)
		return;
	vsize = ib_qcow2_size(q);
	n = vsize < sizeof(whole) ? vsize : sizeof(whole);
	ok = ib_qcow2_pread(q, whole, (size_t)n, 0, &err) == 0;
	for (off = 0; off < n; off += step) {
		step = n - off < 4093 ? n - off : 4093;
		if (ib_qcow2_read_at(q, piece + off, (size_t)step, off, &err) ==
		    -1)
			ok = 0;
	}
	if (ok && memcmp(whole, piece, (size_t)n) != 0)
		abort();
	n = vsize < 65536 ? vsize : 65536;
	(void)ib_qcow2_pread(q, whole, (size_t)n, vsize - n, &err);
	if (ib_qcow2_pread(q, whole, 1, vsize, &err) != -1)
		abort();
	ib_qcow2_close(q);
}

/* Reads the reader may make for a file of n bytes: each is at least 8
 * bytes of table or 2 bytes of refcount (see qcow2.c), plus the header. */
static uint64_t
max_reads(uint64_t n)
{
	return n / 2 + 64;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct image im; /* 16 KiB: off the stack */
	struct flat f;
	ib_qcow2_info info;
	uint64_t vsize, filelen, pos, lim;
	size_t i;
	ib_err err;

	/* 1: the input as an image. */
	f.p = data;
	f.n = size;
	f.reads = 0;
	(void)ib_qcow2_read(get_flat, &f, size, &info, &err);
	if (f.reads > max_reads(size))
		abort();
	read_guest(get_flat, &f, size);

	if (size < 8)
		return 0;
	/* 2: an emitted image reads back. */
	vsize = ib_le64(data) & ~UINT64_C(511);
	if (vsize == 0)
		vsize = 512;
	if (vsize > IB_QCOW2_MAX_SIZE)
		vsize = IB_QCOW2_MAX_SIZE;
	memset(&im, 0, sizeof(im));
	if (ib_qcow2_emit(vsize, put, &im, &filelen, &err) != 0)
		abort();
	if (im.end > filelen || filelen % 512 != 0)
		abort();
	im.filelen = filelen;
	if (ib_qcow2_read(get, &im, filelen, &info, &err) != 0 ||
	    info.size != vsize || info.version != 3 ||
	    info.cluster_bits != IB_QCOW2_CLUSTER_BITS ||
	    info.data_clusters != 0)
		abort();

	/* 3: the same image, patched. */
	for (i = 8; i + 5 <= size && im.npatch < MAX_PATCHES; i += 5) {
		/* Mostly in the first 4 clusters (header, refcount table
		 * and block, L1 start), or anywhere when the top bit is set. */
		pos = ib_le32(data + i);
		lim = (pos >> 31) != 0 || filelen < 4 * CS ? filelen : 4 * CS;
		im.poff[im.npatch] = pos % lim;
		im.pxor[im.npatch] = data[i + 4];
		im.npatch++;
	}
	if (im.npatch == 0)
		return 0;
	im.reads = 0;
	(void)ib_qcow2_read(get, &im, filelen, &info, &err);
	/* The L1 table of the largest image is read 4 KiB at a time. */
	if (im.reads > max_reads(filelen))
		abort();
	/* Opening reads the whole L1 table again: only for the images of
	 * up to 4 TiB (a 1 MiB file), which keep the fuzzer fast. */
	if (filelen <= 16 * CS)
		read_guest(get, &im, filelen);
	return 0;
}
