/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * zisofs: decode zisofs (v1) and zisofs2 (v2, zlib only) file data.
 * Layouts: libisofs doc/zisofs_format.txt and doc/zisofs2_format.txt,
 * summarised in fixtures/isos/ISO-READERS.md "zisofs on-disk format".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ZLIB_CONST
#include <zlib.h>

#include "bounds.h"
#include "bytes.h"
#include "errors.h"
#include "zisofs.h"

#define V1_HDR_SIZE 16u
#define V2_HDR_SIZE 24u
#define MIN_LOG2_BS 15u /* both specs: readers take 15, 16 and 17 */
#define MAX_LOG2_BS 17u
#define V2_ALG_ZLIB 1u

/* Bytes of the pointer table read at once; a multiple of 4 and of 8. */
#define PTR_CHUNK 4096u

static const unsigned char v1_magic[8] = { 0x37, 0xe4, 0x53, 0x96, 0xc9, 0xdb,
	0xd6, 0x07 };
static const unsigned char v2_magic[8] = { 0xef, 0x22, 0x55, 0xa1, 0xbc, 0x1b,
	0x95, 0xa0 };

/* Names of the zisofs2 @alg_id values, for the message that refuses one. */
static const char *const v2_alg_names[] = { NULL, "zlib", "xz", "lz4", "zstd",
	"bzip2" };

/*
 * Walks the block pointer table PTR_CHUNK bytes at a time, so that memory
 * does not grow with the file, and checks each pointer as it is taken.
 */
struct ptr_iter {
	ib_zisofs_read_fn rd;
	void *rctx;
	uint64_t base;   /* offset of pointer 0: the header size */
	unsigned width;  /* bytes per pointer: 4 (v1) or 8 (v2) */
	uint64_t count;  /* pointers in the table: blocks + 1 */
	uint64_t next;   /* index of the next pointer to take */
	uint64_t first;  /* least valid pointer: the end of the table */
	uint64_t limit;  /* greatest valid pointer: the stored size */
	uint64_t maxlen; /* longest valid compressed block */
	uint64_t prev;   /* the pointer taken last */
	size_t have;     /* pointers in buf */
	size_t pos;      /* the next one of them */
	unsigned char buf[PTR_CHUNK];
};

static void
ptr_rewind(struct ptr_iter *it)
{
	it->next = 0;
	it->prev = 0;
	it->have = 0;
	it->pos = 0;
}

static int
ptr_next(struct ptr_iter *it, uint64_t *out, ib_err *err)
{
	uint64_t left, n, idx, v;
	const unsigned char *p;

	if (it->next >= it->count)
		return ib_err_set(err, EINVAL, "zisofs: pointer table overrun");
	if (it->pos == it->have) {
		left = it->count - it->next;
		n = PTR_CHUNK / it->width;
		if (n > left)
			n = left;
		/* Cannot overflow: count was checked against stored size. */
		if (it->rd(it->rctx, it->base + it->next * it->width, it->buf,
		        (size_t)n * it->width, err) == -1)
			return -1;
		it->have = (size_t)n;
		it->pos = 0;
	}
	p = it->buf + it->pos * it->width;
	v = it->width == 4 ? ib_le32(p) : ib_le64(p);
	idx = it->next;
	it->pos++;
	it->next++;

	if (idx == 0 && v < it->first)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: block pointer 0 (%" PRIu64 ") points into the "
		    "header or pointer table (ends at %" PRIu64 ")",
		    v, it->first);
	if (idx > 0 && v < it->prev)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: block pointer %" PRIu64 " out of order (%" PRIu64
		    " after %" PRIu64 ")",
		    idx, v, it->prev);
	if (v > it->limit)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: block pointer %" PRIu64 " (%" PRIu64
		    ") beyond stored size %" PRIu64,
		    idx, v, it->limit);
	/* A longer block is no zlib output for one block: refuse it before
	 * anything is read or allocated for it. */
	if (idx > 0 && v - it->prev > it->maxlen)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: block %" PRIu64 " is %" PRIu64
		    " bytes compressed, more than %" PRIu64,
		    idx - 1, v - it->prev, it->maxlen);
	it->prev = v;
	*out = v;
	return 0;
}

/*
 * Inflate one block of inlen bytes into out, which holds want + 1 bytes: the
 * spare byte tells a block that inflates to too much from an exact one.
 */
static int
inflate_block(z_stream *zs, const unsigned char *in, size_t inlen,
    unsigned char *out, size_t want, uint64_t blk, ib_err *err)
{
	size_t got;
	int ret;

	if (inlen == 0) {
		/* Both specs: a zero-length block is a block of zeros. */
		memset(out, 0, want);
		return 0;
	}
	if (inflateReset(zs) != Z_OK)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: inflateReset failed");
	zs->next_in = in;
	zs->avail_in = (uInt)inlen;
	zs->next_out = out;
	zs->avail_out = (uInt)(want + 1);
	ret = inflate(zs, Z_FINISH);
	got = want + 1 - zs->avail_out;

	switch (ret) {
	case Z_STREAM_END:
		if (got != want)
			return ib_err_set(err, IB_EFORMAT,
			    "zisofs: block %" PRIu64
			    " inflates to %zu bytes, expected %zu",
			    blk, got, want);
		if (zs->avail_in != 0)
			return ib_err_set(err, IB_EFORMAT,
			    "zisofs: block %" PRIu64
			    " has %u bytes of trailing data after its zlib "
			    "stream",
			    blk, zs->avail_in);
		return 0;
	case Z_OK:
	case Z_BUF_ERROR:
		if (got > want)
			return ib_err_set(err, IB_EFORMAT,
			    "zisofs: block %" PRIu64
			    " inflates to more than %zu bytes, expected %zu",
			    blk, want, want);
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: block %" PRIu64
		    " zlib stream truncated after %zu bytes, expected %zu",
		    blk, got, want);
	case Z_NEED_DICT:
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: block %" PRIu64
		    " zlib stream needs a preset dictionary",
		    blk);
	case Z_DATA_ERROR:
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: block %" PRIu64 " bad zlib data: %s", blk,
		    zs->msg != NULL ? zs->msg : "invalid stream");
	case Z_MEM_ERROR:
		return ib_err_set(err, ENOMEM, "zisofs: inflate out of memory");
	default:
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: block %" PRIu64 " zlib error %d", blk, ret);
	}
}

int
ib_zisofs_supported(const ib_zf *zf)
{
	if (zf->version == 1)
		return zf->alg[0] == 'p' && zf->alg[1] == 'z';
	if (zf->version == 2)
		return zf->alg[0] == 'P' && zf->alg[1] == 'Z';
	return 0;
}

/* Check the file header in h (zf->hdr_size bytes) against zf. */
static int
check_header(const ib_zf *zf, const unsigned char *h, ib_err *err)
{
	uint64_t size;
	unsigned hdr4, log2_bs, alg;

	if (zf->version == 1) {
		if (memcmp(h, v1_magic, sizeof(v1_magic)) != 0)
			return ib_err_set(err, IB_EFORMAT, "zisofs: bad magic");
		size = ib_le32(h + 8);
		hdr4 = h[12];
		log2_bs = h[13];
		/* Bytes 14-15 are reserved; like Linux, ignore them. */
	} else {
		if (memcmp(h, v2_magic, sizeof(v2_magic)) != 0)
			return ib_err_set(err, IB_EFORMAT, "zisofs: bad magic");
		if (h[8] != 0)
			return ib_err_set(err, IB_EUNSUPPORTED,
			    "zisofs: unsupported header version %u", h[8]);
		hdr4 = h[9];
		alg = h[10];
		log2_bs = h[11];
		size = ib_le64(h + 12);
		if (alg != V2_ALG_ZLIB) {
			if (alg < sizeof(v2_alg_names) /
			            sizeof(v2_alg_names[0]) &&
			    v2_alg_names[alg] != NULL)
				return ib_err_set(err, IB_EUNSUPPORTED,
				    "zisofs: unsupported algorithm %s (id %u)",
				    v2_alg_names[alg], alg);
			return ib_err_set(err, IB_EUNSUPPORTED,
			    "zisofs: unknown algorithm id %u", alg);
		}
	}
	if (hdr4 * 4 != zf->hdr_size)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: header size field %u, expected %u", hdr4,
		    zf->hdr_size / 4);
	if (log2_bs < MIN_LOG2_BS || log2_bs > MAX_LOG2_BS)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: header log2 block size %u out of range %u..%u",
		    log2_bs, MIN_LOG2_BS, MAX_LOG2_BS);
	if (log2_bs != zf->log2_bs)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: header log2 block size %u differs from ZF's %u",
		    log2_bs, zf->log2_bs);
	if (size != zf->size)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: header size %" PRIu64
		    " differs from ZF's %" PRIu64,
		    size, zf->size);
	return 0;
}

/* Check what zf says on its own: version, algorithm, header and block size. */
static int
check_zf(const ib_zf *zf, ib_err *err)
{
	char q[16];
	unsigned want_hdr;

	if (zf->version != 1 && zf->version != 2)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "zisofs: unsupported ZF version %u", zf->version);
	if (!ib_zisofs_supported(zf))
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "unsupported zisofs algorithm '%s'",
		    ib_quote(q, sizeof(q), zf->alg, sizeof(zf->alg)));
	want_hdr = zf->version == 1 ? V1_HDR_SIZE : V2_HDR_SIZE;
	if (zf->hdr_size != want_hdr)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: ZF header size %u, expected %u", zf->hdr_size,
		    want_hdr);
	if (zf->log2_bs < MIN_LOG2_BS || zf->log2_bs > MAX_LOG2_BS)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: ZF log2 block size %u out of range %u..%u",
		    zf->log2_bs, MIN_LOG2_BS, MAX_LOG2_BS);
	return 0;
}

int
ib_zisofs_decode(const ib_zf *zf, uint64_t stored_size, ib_zisofs_read_fn rd,
    void *rctx, ib_zisofs_write_fn wr, void *wctx, ib_err *err)
{
	struct ptr_iter it;
	z_stream zs;
	unsigned char hdr[V2_HDR_SIZE];
	unsigned char *in = NULL, *out = NULL;
	uint64_t nblocks, tablen, left, start, end, i;
	size_t bs, want, inlen;
	int zinit = 0, rc = -1;

	if (zf == NULL || rd == NULL || wr == NULL)
		return ib_err_set(err, EINVAL, "zisofs: missing argument");
	if (check_zf(zf, err) == -1)
		return -1;
	if (stored_size < zf->hdr_size)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: stored size %" PRIu64 " too short for the %u-byte "
		    "header",
		    stored_size, zf->hdr_size);
	if (rd(rctx, 0, hdr, zf->hdr_size, err) == -1)
		return -1;
	if (check_header(zf, hdr, err) == -1)
		return -1;

	bs = (size_t)1 << zf->log2_bs;
	nblocks = zf->size / bs + (zf->size % bs != 0);
	if (nblocks > IB_MAX_ZF_BLOCKS)
		return ib_err_set(err, IB_ELIMIT,
		    "zisofs: %" PRIu64 " blocks, more than IB_MAX_ZF_BLOCKS "
		    "(%u)",
		    nblocks, IB_MAX_ZF_BLOCKS);

	memset(&it, 0, sizeof(it));
	it.rd = rd;
	it.rctx = rctx;
	it.base = zf->hdr_size;
	it.width = zf->version == 1 ? 4 : 8;
	it.count = nblocks + 1;
	it.limit = stored_size;
	/* A zlib stream of one block is at most compressBound(bs) bytes. */
	it.maxlen = (uint64_t)compressBound((uLong)bs) + IB_ZF_BLOCK_SLACK;
	if (!ib_mul_u64(it.count, it.width, &tablen) ||
	    !ib_add_u64(it.base, tablen, &it.first) || it.first > stored_size)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: pointer table of %" PRIu64
		    " entries beyond stored size %" PRIu64,
		    it.count, stored_size);

	/* Check the whole table before the first byte goes out. */
	ptr_rewind(&it);
	for (i = 0; i < it.count; i++)
		if (ptr_next(&it, &end, err) == -1)
			return -1;

	in = malloc((size_t)it.maxlen);
	out = malloc(bs + 1);
	if (in == NULL || out == NULL) {
		ib_err_set(err, ENOMEM, "zisofs: out of memory");
		goto out;
	}
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		ib_err_set(err, ENOMEM, "zisofs: inflateInit failed");
		goto out;
	}
	zinit = 1;

	/* Second walk: the same checks again, since the read callback is not
	 * bound to return the same bytes twice. */
	ptr_rewind(&it);
	if (ptr_next(&it, &start, err) == -1)
		goto out;
	left = zf->size;
	for (i = 0; i < nblocks; i++) {
		if (ptr_next(&it, &end, err) == -1)
			goto out;
		want = left < bs ? (size_t)left : bs;
		inlen = (size_t)(end - start);
		if (inlen > 0 && rd(rctx, start, in, inlen, err) == -1)
			goto out;
		if (inflate_block(&zs, in, inlen, out, want, i, err) == -1)
			goto out;
		if (wr(wctx, out, want, err) == -1)
			goto out;
		left -= want;
		start = end;
	}
	rc = 0;
out:
	if (zinit)
		inflateEnd(&zs);
	free(out);
	free(in);
	return rc;
}
