/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_zisofs: zisofs v1 and zisofs2 decoding. Files are built here with
 * compress2(), then patched to make each hostile input; every input is
 * handed over in an exactly-sized malloc so that ASan sees an over-read.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <zlib.h>

#include "bounds.h"
#include "bytes.h"
#include "errors.h"
#include "testutil.h"
#include "zisofs.h"

static const unsigned char v1_magic[8] = { 0x37, 0xe4, 0x53, 0x96, 0xc9, 0xdb,
	0xd6, 0x07 };
static const unsigned char v2_magic[8] = { 0xef, 0x22, 0x55, 0xa1, 0xbc, 0x1b,
	0x95, 0xa0 };

/* A zisofs file built in memory: the stored bytes and what ZF says. */
struct zfile {
	unsigned char *buf; /* exactly len bytes */
	size_t len;
	ib_zf zf;
	size_t nblocks;
};

/* Read callback over an exactly-sized buffer; beyond it is a short read. */
struct reader {
	const unsigned char *buf;
	size_t len;
	unsigned reads;
};

static int
mem_read(void *ctx, uint64_t off, void *buf, size_t len, ib_err *err)
{
	struct reader *r = ctx;

	r->reads++;
	if (off > r->len || len > r->len - off)
		return ib_err_set(err, EIO, "short read at %llu",
		    (unsigned long long)off);
	memcpy(buf, r->buf + off, len);
	return 0;
}

/* Write callback: keeps the bytes, or when count_only only checks that all
 * are zero and counts them. fail_at makes the nth call fail. */
struct writer {
	unsigned char *buf;
	size_t len, cap;
	int count_only;
	int nonzero;
	unsigned calls;
	unsigned fail_at;
};

/* A writer that keeps nothing: enough for inputs that must fail. */
static void
quiet(struct writer *w)
{
	memset(w, 0, sizeof(*w));
	w->count_only = 1;
}

static int
mem_write(void *ctx, const void *buf, size_t len, ib_err *err)
{
	struct writer *w = ctx;
	const unsigned char *p = buf;
	size_t i;

	w->calls++;
	if (w->fail_at != 0 && w->calls == w->fail_at)
		return ib_err_set(err, ENOSPC, "write: no space");
	if (w->count_only) {
		for (i = 0; i < len; i++)
			if (p[i] != 0)
				w->nonzero = 1;
		w->len += len;
		return 0;
	}
	if (w->len + len > w->cap) {
		w->cap = (w->len + len) * 2;
		w->buf = realloc(w->buf, w->cap);
		ck_assert_ptr_nonnull(w->buf);
	}
	memcpy(w->buf + w->len, buf, len);
	w->len += len;
	return 0;
}

/* Deterministic content that compresses somewhat but not to nothing. */
static unsigned char *
make_data(size_t size, unsigned seed)
{
	unsigned char *d = malloc(size > 0 ? size : 1);
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	ck_assert_ptr_nonnull(d);
	for (i = 0; i < size; i++) {
		x = x * 1103515245u + 12345u;
		d[i] = (i / 64) % 3 == 0 ? (unsigned char)(x >> 24) :
		                           (unsigned char)('a' + i % 26);
	}
	return d;
}

static int
all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/*
 * Build a zisofs file of version 1 or 2 from data. With zero_blocks, blocks
 * of only zeros are stored with length 0, as mkzftree and libisofs do.
 */
static struct zfile
build(unsigned version, unsigned log2_bs, const unsigned char *data,
    size_t size, int zero_blocks)
{
	struct zfile f;
	size_t bs = (size_t)1 << log2_bs;
	size_t nblocks = (size + bs - 1) / bs;
	size_t hdr = version == 1 ? 16 : 24;
	size_t width = version == 1 ? 4 : 8;
	size_t cap, pos, i, n;
	uLongf clen;
	unsigned char *b;

	memset(&f, 0, sizeof(f));
	cap = hdr + (nblocks + 1) * width + nblocks * compressBound(bs);
	b = calloc(1, cap);
	ck_assert_ptr_nonnull(b);
	if (version == 1) {
		memcpy(b, v1_magic, 8);
		ib_put_le32(b + 8, (uint32_t)size);
		b[12] = 4;
		b[13] = (unsigned char)log2_bs;
	} else {
		memcpy(b, v2_magic, 8);
		b[8] = 0;
		b[9] = 6;
		b[10] = 1;
		b[11] = (unsigned char)log2_bs;
		ib_put_le32(b + 12, (uint32_t)size);
		ib_put_le32(b + 16, (uint32_t)((uint64_t)size >> 32));
	}
	pos = hdr + (nblocks + 1) * width;
	for (i = 0; i <= nblocks; i++) {
		if (version == 1) {
			ib_put_le32(b + hdr + i * 4, (uint32_t)pos);
		} else {
			ib_put_le32(b + hdr + i * 8, (uint32_t)pos);
			ib_put_le32(b + hdr + i * 8 + 4, 0);
		}
		if (i == nblocks)
			break;
		n = size - i * bs < bs ? size - i * bs : bs;
		if (zero_blocks && all_zero(data + i * bs, n))
			continue;
		clen = (uLongf)(cap - pos);
		ck_assert_int_eq(compress2(b + pos, &clen, data + i * bs, n, 9),
		    Z_OK);
		pos += clen;
	}
	/* Hand over exactly pos bytes. */
	f.buf = malloc(pos);
	ck_assert_ptr_nonnull(f.buf);
	memcpy(f.buf, b, pos);
	free(b);
	f.len = pos;
	f.nblocks = nblocks;
	f.zf.version = version;
	f.zf.alg[0] = version == 1 ? 'p' : 'P';
	f.zf.alg[1] = version == 1 ? 'z' : 'Z';
	f.zf.hdr_size = (unsigned)hdr;
	f.zf.log2_bs = log2_bs;
	f.zf.size = size;
	return f;
}

/* Pointer i of f, and setting it. */
static uint64_t
get_ptr(const struct zfile *f, size_t i)
{
	if (f->zf.version == 1)
		return ib_le32(f->buf + 16 + i * 4);
	return ib_le64(f->buf + 24 + i * 8);
}

static void
set_ptr(struct zfile *f, size_t i, uint64_t v)
{
	if (f->zf.version == 1) {
		ib_put_le32(f->buf + 16 + i * 4, (uint32_t)v);
	} else {
		ib_put_le32(f->buf + 24 + i * 8, (uint32_t)v);
		ib_put_le32(f->buf + 24 + i * 8 + 4, (uint32_t)(v >> 32));
	}
}

/* Replace f's buffer by an exact copy of its first len bytes. */
static void
cut(struct zfile *f, size_t len)
{
	unsigned char *b = malloc(len);

	ck_assert_ptr_nonnull(b);
	memcpy(b, f->buf, len);
	free(f->buf);
	f->buf = b;
	f->len = len;
}

/* Decode f with a stored size of f->len. */
static int
decode_stored(const struct zfile *f, uint64_t stored, struct writer *w,
    ib_err *err)
{
	struct reader r;

	r.buf = f->buf;
	r.len = f->len;
	r.reads = 0;
	ib_err_clear(err);
	return ib_zisofs_decode(&f->zf, stored, mem_read, &r, mem_write, w,
	    err);
}

static int
decode(const struct zfile *f, struct writer *w, ib_err *err)
{
	return decode_stored(f, f->len, w, err);
}

static void
round_trip(unsigned version, unsigned log2_bs, size_t size)
{
	unsigned char *data = make_data(size, (unsigned)(size + log2_bs));
	struct zfile f = build(version, log2_bs, data, size, 0);
	struct writer w;
	ib_err err;

	memset(&w, 0, sizeof(w));
	ck_assert_msg(decode(&f, &w, &err) == 0, "v%u log2 %u size %zu: %s",
	    version, log2_bs, size, err.msg);
	ck_assert_uint_eq(w.len, size);
	if (size > 0)
		ck_assert_mem_eq(w.buf, data, size);
	ck_assert_uint_eq(w.calls, f.nblocks);
	free(w.buf);
	free(f.buf);
	free(data);
}

/* Sizes 0, 1, bs, bs + 1 and 3.5 blocks, for every block size. */
static void
round_trip_all(unsigned version)
{
	unsigned log2_bs;
	size_t bs;

	for (log2_bs = 15; log2_bs <= 17; log2_bs++) {
		bs = (size_t)1 << log2_bs;
		round_trip(version, log2_bs, 0);
		round_trip(version, log2_bs, 1);
		round_trip(version, log2_bs, bs);
		round_trip(version, log2_bs, bs + 1);
		round_trip(version, log2_bs, bs * 3 + bs / 2);
	}
}

START_TEST(test_round_trip_v1)
{
	round_trip_all(1);
}
END_TEST

START_TEST(test_round_trip_v2)
{
	round_trip_all(2);
}
END_TEST

/* An empty file has one pointer, no blocks, and produces no output. */
START_TEST(test_empty_file)
{
	struct zfile f = build(1, 15, NULL, 0, 0);
	struct writer w;
	ib_err err;

	ck_assert_uint_eq(f.len, 16 + 4);
	quiet(&w);
	ck_assert_int_eq(decode(&f, &w, &err), 0);
	ck_assert_uint_eq(w.calls, 0);
	ck_assert_uint_eq(w.len, 0);
	free(f.buf);
}
END_TEST

/* Blocks stored with length 0 (middle and short last one) come out as
 * zeros of the block's size, without inflate. */
START_TEST(test_zero_length_block)
{
	unsigned version;
	size_t bs = 32768, size = bs * 3 + 100;
	unsigned char *data;
	struct zfile f;
	struct writer w;
	ib_err err;

	for (version = 1; version <= 2; version++) {
		data = make_data(size, 7);
		memset(data + bs, 0, bs);
		memset(data + 3 * bs, 0, 100);
		f = build(version, 15, data, size, 1);
		ck_assert_uint_eq(get_ptr(&f, 1), get_ptr(&f, 2));
		ck_assert_uint_eq(get_ptr(&f, 3), get_ptr(&f, 4));
		ck_assert_uint_eq(get_ptr(&f, 4), f.len);
		memset(&w, 0, sizeof(w));
		ck_assert_msg(decode(&f, &w, &err) == 0, "%s", err.msg);
		ck_assert_uint_eq(w.len, size);
		ck_assert_mem_eq(w.buf, data, size);
		free(w.buf);
		free(f.buf);
		free(data);
	}
}
END_TEST

/*
 * 3000 zero-length blocks: the v2 pointer table (24,008 bytes) spans
 * several read chunks; it is read in pieces, and the output is checked
 * without being kept.
 */
START_TEST(test_long_pointer_table)
{
	size_t bs = 32768, n = 3000;
	struct zfile f;
	struct writer w;
	struct reader r;
	ib_err err;
	unsigned char *b;
	size_t i;

	f = build(2, 15, NULL, 0, 0);
	free(f.buf);
	f.len = 24 + (n + 1) * 8;
	b = calloc(1, f.len);
	ck_assert_ptr_nonnull(b);
	memcpy(b, v2_magic, 8);
	b[9] = 6;
	b[10] = 1;
	b[11] = 15;
	ib_put_le32(b + 12, (uint32_t)(n * bs));
	f.buf = b;
	f.zf.size = n * bs;
	for (i = 0; i <= n; i++)
		set_ptr(&f, i, f.len);
	quiet(&w);
	w.count_only = 1;
	r.buf = f.buf;
	r.len = f.len;
	r.reads = 0;
	ck_assert_msg(ib_zisofs_decode(&f.zf, f.len, mem_read, &r, mem_write,
	                  &w, &err) == 0,
	    "%s", err.msg);
	ck_assert_uint_eq(w.len, n * bs);
	ck_assert_int_eq(w.nonzero, 0);
	/* Header, then the table twice (check, then decode) in 4 KiB reads. */
	ck_assert_uint_gt(r.reads, 2);

	/* Pointer 2500, in a later chunk, goes backwards: nothing is
	 * written, since the table is checked before decoding. */
	set_ptr(&f, 2500, f.len - 1);
	set_ptr(&f, 2499, f.len);
	quiet(&w);
	w.count_only = 1;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "block pointer 2500 out of order");
	ck_assert_uint_eq(w.calls, 0);
	free(f.buf);
}
END_TEST

/* Magic bytes 0-7 wrong (byte 0 flipped): not zisofs data at all. */
START_TEST(test_bad_magic)
{
	unsigned char *data = make_data(1000, 1);
	unsigned version;
	struct zfile f;
	struct writer w;
	ib_err err;

	for (version = 1; version <= 2; version++) {
		f = build(version, 15, data, 1000, 0);
		f.buf[0] ^= 0xff;
		quiet(&w);
		tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
		    "zisofs: bad magic");
		free(f.buf);
	}
	/* A v2 file described by a v1 ZF. */
	f = build(2, 15, data, 1000, 0);
	f.zf.version = 1;
	f.zf.alg[0] = 'p';
	f.zf.alg[1] = 'z';
	f.zf.hdr_size = 16;
	quiet(&w);
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT, "bad magic");
	free(f.buf);
	free(data);
}
END_TEST

/* Header size field (v1 byte 12, v2 byte 9) not 4 / 6. */
START_TEST(test_bad_header_size_field)
{
	unsigned char *data = make_data(1000, 2);
	struct zfile f;
	struct writer w;
	ib_err err;

	f = build(1, 15, data, 1000, 0);
	f.buf[12] = 5;
	quiet(&w);
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "header size field 5, expected 4");
	free(f.buf);

	f = build(2, 15, data, 1000, 0);
	f.buf[9] = 4;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "header size field 4, expected 6");
	free(f.buf);

	/* The ZF entry's header size is wrong. */
	f = build(1, 15, data, 1000, 0);
	f.zf.hdr_size = 20;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "ZF header size 20, expected 16");
	free(f.buf);
	free(data);
}
END_TEST

/* log2 block size outside 15..17, in the header or the ZF entry. */
START_TEST(test_log2_out_of_range)
{
	unsigned char *data = make_data(1000, 3);
	struct zfile f;
	struct writer w;
	ib_err err;

	quiet(&w);
	f = build(1, 15, data, 1000, 0);
	f.buf[13] = 18;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "header log2 block size 18 out of range 15..17");
	f.buf[13] = 14;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "header log2 block size 14 out of range");
	/* In range but not what ZF says. */
	f.buf[13] = 16;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "header log2 block size 16 differs from ZF's 15");
	f.buf[13] = 15;
	f.zf.log2_bs = 31;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "ZF log2 block size 31 out of range");
	free(f.buf);

	f = build(2, 17, data, 1000, 0);
	f.buf[11] = 20;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "header log2 block size 20 out of range");
	free(f.buf);
	free(data);
}
END_TEST

/* Uncompressed size in the header differs from the ZF entry's. */
START_TEST(test_size_mismatch)
{
	unsigned char *data = make_data(5000, 4);
	unsigned version;
	struct zfile f;
	struct writer w;
	ib_err err;

	quiet(&w);
	for (version = 1; version <= 2; version++) {
		f = build(version, 15, data, 5000, 0);
		f.zf.size = 5001;
		tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
		    "header size 5000 differs from ZF's 5001");
		free(f.buf);
	}
	/* v2: the high half of the LE64 size is set. */
	f = build(2, 15, data, 5000, 0);
	f.buf[19] = 1;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "differs from ZF's 5000");
	ck_assert_uint_eq(w.calls, 0);
	free(f.buf);
	free(data);
}
END_TEST

/* Stored data shorter than the header, or than its pointer table. */
START_TEST(test_pointer_table_beyond_stored_size)
{
	unsigned char *data = make_data(100000, 5);
	struct zfile f;
	struct writer w;
	ib_err err;

	quiet(&w);
	/* 100000 bytes at 32 KiB need 4 blocks, 5 pointers: 16 + 20 bytes;
	 * only 30 are stored. */
	f = build(1, 15, data, 100000, 0);
	cut(&f, 30);
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "pointer table of 5 entries beyond stored size 30");
	cut(&f, 10);
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "too short for the 16-byte header");
	free(f.buf);

	/* v2 ZF/header claim 2^40 bytes: 2^25 blocks, over the limit. */
	f = build(2, 15, data, 100000, 0);
	f.zf.size = (uint64_t)1 << 40;
	ib_put_le32(f.buf + 12, 0);
	ib_put_le32(f.buf + 16, 1u << 8);
	tu_expect_err(decode(&f, &w, &err), &err, IB_ELIMIT,
	    "IB_MAX_ZF_BLOCKS");
	/* 2^20 blocks are allowed, but the table does not fit. */
	f.zf.size = (uint64_t)1 << 35;
	ib_put_le32(f.buf + 16, 1u << 3);
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "pointer table of 1048577 entries beyond stored size");
	ck_assert_uint_eq(w.calls, 0);
	free(f.buf);
	free(data);
}
END_TEST

/* Pointer 2 is smaller than pointer 1: block 1 would have a negative
 * length. Also pointer 0 pointing back into the pointer table. */
START_TEST(test_decreasing_pointers)
{
	unsigned char *data = make_data(100000, 6);
	unsigned version;
	struct zfile f;
	struct writer w;
	ib_err err;

	quiet(&w);
	for (version = 1; version <= 2; version++) {
		f = build(version, 15, data, 100000, 0);
		set_ptr(&f, 2, get_ptr(&f, 1) - 1);
		tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
		    "block pointer 2 out of order");
		free(f.buf);

		f = build(version, 15, data, 100000, 0);
		set_ptr(&f, 0, f.zf.hdr_size);
		tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
		    "block pointer 0");
		tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
		    "pointer table");
		free(f.buf);
	}
	ck_assert_uint_eq(w.calls, 0);
	free(data);
}
END_TEST

/* The last pointer (end of the last block) is one past the stored data. */
START_TEST(test_pointer_beyond_stored_size)
{
	unsigned char *data = make_data(100000, 8);
	unsigned version;
	struct zfile f;
	struct writer w;
	ib_err err;

	quiet(&w);
	for (version = 1; version <= 2; version++) {
		f = build(version, 15, data, 100000, 0);
		set_ptr(&f, 4, f.len + 1);
		tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
		    "block pointer 4");
		tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
		    "beyond stored size");
		/* A middle one too, with the rest still in order. */
		set_ptr(&f, 4, f.len);
		set_ptr(&f, 3, f.len + 1);
		set_ptr(&f, 4, f.len + 2);
		tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
		    "block pointer 3");
		free(f.buf);
	}
	ck_assert_uint_eq(w.calls, 0);
	free(data);
}
END_TEST

/*
 * Build a two-block file (bs 32 KiB, size bs + last) whose block 1 holds
 * the zlib stream of body (blen bytes), followed by extra bytes.
 */
static struct zfile
build_last_block(unsigned version, size_t last, const unsigned char *body,
    size_t blen, const unsigned char *extra, size_t xlen)
{
	size_t bs = 32768;
	unsigned char *data = make_data(bs + last, 9);
	struct zfile f = build(version, 15, data, bs + last, 0);
	uLongf clen = compressBound(blen);
	uint64_t start = get_ptr(&f, 1);
	unsigned char *b = malloc((size_t)start + clen + xlen);

	ck_assert_ptr_nonnull(b);
	memcpy(b, f.buf, (size_t)start);
	ck_assert_int_eq(compress2(b + start, &clen, body, blen, 6), Z_OK);
	if (xlen > 0)
		memcpy(b + start + clen, extra, xlen);
	free(f.buf);
	f.buf = b;
	f.len = (size_t)start + clen + xlen;
	set_ptr(&f, 2, f.len);
	free(data);
	return f;
}

/* Block 0 is a complete zlib stream of only 1000 bytes instead of bs. */
START_TEST(test_block_inflates_short)
{
	unsigned char *data = make_data(3 * 32768, 10);
	unsigned char *body = make_data(1000, 11);
	struct zfile f = build(1, 15, data, 3 * 32768, 0);
	struct zfile g;
	unsigned char *b;
	uint64_t p1 = get_ptr(&f, 1);
	uLongf clen = compressBound(1000);
	struct writer w;
	ib_err err;
	size_t i;

	/* Rebuild with block 0 = compress2(1000 bytes), then shift the rest. */
	b = malloc(f.len + clen);
	ck_assert_ptr_nonnull(b);
	memcpy(b, f.buf, 16 + 16);
	ck_assert_int_eq(compress2(b + 32, &clen, body, 1000, 6), Z_OK);
	memcpy(b + 32 + clen, f.buf + p1, f.len - (size_t)p1);
	g = f;
	g.buf = b;
	g.len = 32 + clen + f.len - (size_t)p1;
	for (i = 1; i <= 3; i++)
		set_ptr(&g, i, get_ptr(&f, i) - p1 + 32 + clen);
	cut(&g, g.len);
	quiet(&w);
	tu_expect_err(decode(&g, &w, &err), &err, IB_EFORMAT,
	    "zisofs: block 0 inflates to 1000 bytes, expected 32768");
	ck_assert_uint_eq(w.calls, 0);
	free(g.buf);

	/* The short last block (remainder 500) inflates to 499 bytes. */
	g = build_last_block(2, 500, body, 499, NULL, 0);
	quiet(&w);
	tu_expect_err(decode(&g, &w, &err), &err, IB_EFORMAT,
	    "block 1 inflates to 499 bytes, expected 500");
	ck_assert_uint_eq(w.calls, 1);
	free(g.buf);
	free(f.buf);
	free(body);
	free(data);
}
END_TEST

/* The last block (remainder 100 bytes) inflates to 200, or 101. */
START_TEST(test_block_inflates_long)
{
	unsigned char *body = make_data(40000, 12);
	unsigned version;
	struct zfile f;
	struct writer w;
	ib_err err;

	for (version = 1; version <= 2; version++) {
		f = build_last_block(version, 100, body, 200, NULL, 0);
		quiet(&w);
		tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
		    "block 1 inflates to more than 100 bytes");
		free(f.buf);

		f = build_last_block(version, 100, body, 101, NULL, 0);
		tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
		    "block 1 inflates to 101 bytes, expected 100");
		free(f.buf);
	}
	/* A full block holding bs + 1 bytes. */
	f = build_last_block(1, 32768, body, 32769, NULL, 0);
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "block 1 inflates to");
	free(f.buf);
	free(body);
}
END_TEST

/* Four bytes after the end of block 1's zlib stream. */
START_TEST(test_block_trailing_garbage)
{
	unsigned char *body = make_data(100, 13);
	static const unsigned char junk[4] = { 1, 2, 3, 4 };
	struct zfile f = build_last_block(1, 100, body, 100, junk, 4);
	struct writer w;
	ib_err err;

	quiet(&w);
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "block 1 has 4 bytes of trailing data");
	free(f.buf);
	free(body);
}
END_TEST

/* Block 1 lacks its last 4 bytes (the Adler-32), or is corrupt. */
START_TEST(test_block_truncated_or_corrupt)
{
	unsigned char *body = make_data(100, 14);
	struct zfile f = build_last_block(2, 100, body, 100, NULL, 0);
	uint64_t p1 = get_ptr(&f, 1);
	struct writer w;
	ib_err err;

	quiet(&w);
	cut(&f, f.len - 4);
	set_ptr(&f, 2, f.len);
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "block 1 zlib stream truncated");
	free(f.buf);

	/* Bad zlib header (CMF byte). */
	f = build_last_block(2, 100, body, 100, NULL, 0);
	f.buf[p1] = 0xff;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "block 1 bad zlib data");
	/* Adler-32 wrong. */
	f.buf[p1] = 0x78;
	f.buf[f.len - 1] ^= 0xff;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EFORMAT,
	    "block 1 bad zlib data: incorrect data check");
	free(f.buf);
	free(body);
}
END_TEST

/*
 * Zip bomb: block 0's pointers declare a 512 MiB block inside a 1 GiB
 * stored size. It is refused from the pointers alone: nothing is read
 * beyond the table (the reader would fail) or allocated for it.
 */
START_TEST(test_zip_bomb_block_length)
{
	unsigned char *data = make_data(100000, 15);
	unsigned version;
	struct zfile f;
	struct writer w;
	ib_err err;

	quiet(&w);
	for (version = 1; version <= 2; version++) {
		f = build(version, 15, data, 100000, 0);
		set_ptr(&f, 1, get_ptr(&f, 0) + (1u << 29));
		set_ptr(&f, 2, get_ptr(&f, 0) + (1u << 29));
		set_ptr(&f, 3, get_ptr(&f, 0) + (1u << 29));
		set_ptr(&f, 4, get_ptr(&f, 0) + (1u << 29));
		tu_expect_err(decode_stored(&f, 1u << 30, &w, &err), &err,
		    IB_EFORMAT, "block 0 is 536870912 bytes compressed");
		free(f.buf);

		/* Just over the bound: compressBound(bs) + slack + 1. */
		f = build(version, 15, data, 100000, 0);
		set_ptr(&f, 1,
		    get_ptr(&f, 0) + compressBound(32768) + IB_ZF_BLOCK_SLACK +
		        1);
		set_ptr(&f, 2, get_ptr(&f, 1));
		set_ptr(&f, 3, get_ptr(&f, 1));
		set_ptr(&f, 4, get_ptr(&f, 1));
		tu_expect_err(decode_stored(&f, 1u << 20, &w, &err), &err,
		    IB_EFORMAT, "bytes compressed, more than");
		free(f.buf);
	}
	ck_assert_uint_eq(w.calls, 0);
	free(data);
}
END_TEST

/* zisofs2 header byte 10 = 2 (xz), and ZF algorithms other than pz/PZ. */
START_TEST(test_unsupported_algorithm)
{
	unsigned char *data = make_data(1000, 16);
	struct zfile f;
	struct writer w;
	ib_err err;

	quiet(&w);
	f = build(2, 15, data, 1000, 0);
	f.buf[10] = 2;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EUNSUPPORTED,
	    "unsupported algorithm xz");
	f.buf[10] = 4;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EUNSUPPORTED, "zstd");
	f.buf[10] = 0;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EUNSUPPORTED,
	    "unknown algorithm id 0");
	f.buf[10] = 1;
	f.buf[8] = 1;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EUNSUPPORTED,
	    "unsupported header version 1");
	f.buf[8] = 0;

	f.zf.alg[0] = 'X';
	f.zf.alg[1] = 'Z';
	ck_assert_int_eq(ib_zisofs_supported(&f.zf), 0);
	tu_expect_err(decode(&f, &w, &err), &err, IB_EUNSUPPORTED,
	    "unsupported zisofs algorithm 'XZ'");
	/* "pz" is only zisofs v1; "PZ" only v2. Control bytes are quoted. */
	f.zf.alg[0] = 'p';
	f.zf.alg[1] = 'z';
	tu_expect_err(decode(&f, &w, &err), &err, IB_EUNSUPPORTED,
	    "unsupported zisofs algorithm 'pz'");
	f.zf.alg[0] = '\033';
	tu_expect_err(decode(&f, &w, &err), &err, IB_EUNSUPPORTED,
	    "algorithm '\\033z'");
	f.zf.alg[0] = 'P';
	f.zf.alg[1] = 'Z';
	f.zf.version = 3;
	tu_expect_err(decode(&f, &w, &err), &err, IB_EUNSUPPORTED,
	    "unsupported ZF version 3");
	ck_assert_uint_eq(w.calls, 0);
	free(f.buf);
	free(data);
}
END_TEST

START_TEST(test_supported)
{
	ib_zf zf;

	memset(&zf, 0, sizeof(zf));
	ck_assert_int_eq(ib_zisofs_supported(&zf), 0);
	zf.version = 1;
	memcpy(zf.alg, "pz", 2);
	ck_assert_int_ne(ib_zisofs_supported(&zf), 0);
	memcpy(zf.alg, "PZ", 2);
	ck_assert_int_eq(ib_zisofs_supported(&zf), 0);
	zf.version = 2;
	ck_assert_int_ne(ib_zisofs_supported(&zf), 0);
	memcpy(zf.alg, "pz", 2);
	ck_assert_int_eq(ib_zisofs_supported(&zf), 0);
	memcpy(zf.alg, "ZD", 2);
	ck_assert_int_eq(ib_zisofs_supported(&zf), 0);
}
END_TEST

/* Errors of the callbacks reach the caller unchanged. */
START_TEST(test_callback_errors)
{
	unsigned char *data = make_data(100000, 17);
	struct zfile f = build(1, 15, data, 100000, 0);
	struct writer w;
	ib_err err;

	memset(&w, 0, sizeof(w));
	w.fail_at = 2;
	tu_expect_err(decode(&f, &w, &err), &err, ENOSPC, "write: no space");
	ck_assert_uint_eq(w.calls, 2);
	free(w.buf);

	/* Stored size larger than what the reader has: block 3 cannot be
	 * read. */
	memset(&w, 0, sizeof(w));
	set_ptr(&f, 4, f.len + 10);
	tu_expect_err(decode_stored(&f, f.len + 10, &w, &err), &err, EIO,
	    "short read");
	ck_assert_uint_eq(w.calls, 3);
	free(w.buf);
	free(f.buf);
	free(data);
}
END_TEST

/* One test per TCase, each with a timeout of 60 s. */
static void
add(Suite *s, const char *name, const TTest *t)
{
	tcase_set_timeout(tu_add(s, name, t), 60);
}

static Suite *
zisofs_suite(void)
{
	Suite *s = suite_create("zisofs");

	add(s, "round_trip_v1", test_round_trip_v1);
	add(s, "round_trip_v2", test_round_trip_v2);
	add(s, "empty_file", test_empty_file);
	add(s, "zero_length_block", test_zero_length_block);
	add(s, "long_pointer_table", test_long_pointer_table);
	add(s, "supported", test_supported);
	add(s, "bad_magic", test_bad_magic);
	add(s, "bad_header_size_field", test_bad_header_size_field);
	add(s, "log2_out_of_range", test_log2_out_of_range);
	add(s, "size_mismatch", test_size_mismatch);
	add(s, "pointer_table_beyond_stored_size",
	    test_pointer_table_beyond_stored_size);
	add(s, "decreasing_pointers", test_decreasing_pointers);
	add(s, "pointer_beyond_stored_size", test_pointer_beyond_stored_size);
	add(s, "block_inflates_short", test_block_inflates_short);
	add(s, "block_inflates_long", test_block_inflates_long);
	add(s, "block_trailing_garbage", test_block_trailing_garbage);
	add(s, "block_truncated_or_corrupt", test_block_truncated_or_corrupt);
	add(s, "zip_bomb_block_length", test_zip_bomb_block_length);
	add(s, "unsupported_algorithm", test_unsupported_algorithm);
	add(s, "callback_errors", test_callback_errors);
	return s;
}

int
main(void)
{
	return tu_run(zisofs_suite());
}
