/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_qcow2: the empty qcow2 v3 images ib_qcow2_emit makes, read back
 * by ib_qcow2_read and by qemu-img; the reader on images patched to be
 * wrong and on images qemu-img made; guest bytes read with ib_qcow2_open
 * and ib_qcow2_pread from images built here, hostile tables, compressed
 * clusters and backing chains among them. Patched images are handed over
 * in an exactly-sized malloc so that ASan sees an over-read. qemu-img is a test
 * peer only: without it the peer tests skip, except under CI=true.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <zlib.h>

#include "bounds.h"
#include "bytes.h"
#include "compat.h"
#include "errors.h"
#include "qcow2.h"
#include "testutil.h"

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)
#define TiB (UINT64_C(1) << 40)
#define CS  (UINT64_C(1) << IB_QCOW2_CLUSTER_BITS)

#define QEMU_IMG "/usr/bin/qemu-img"

/* ------------------------------------------------------------------ */
/* An emitted image held as its ranges: zeros everywhere else. */

#define MAX_RANGES 64

struct range {
	uint64_t off;
	size_t n;
	unsigned char *p;
};

struct sparse {
	struct range r[MAX_RANGES];
	size_t count;
	uint64_t end;     /* end of the last range */
	uint64_t bytes;   /* sum of the range lengths */
	unsigned fail_at; /* make the nth put fail (0: never) */
	unsigned calls;
};

static int
sparse_put(void *ctx, uint64_t off, const void *buf, size_t n, ib_err *err)
{
	struct sparse *s = ctx;
	const unsigned char *p = buf;
	size_t i;
	int nonzero = 0;

	s->calls++;
	if (s->fail_at != 0 && s->calls == s->fail_at)
		return ib_err_set(err, ENOSPC, "put: no space");
	/* The contract: non-empty, non-zero ranges in increasing order. */
	ck_assert_uint_gt(n, 0);
	ck_assert_msg(s->count == 0 || off >= s->end,
	    "range at %llu before the end of the last one (%llu)",
	    (unsigned long long)off, (unsigned long long)s->end);
	for (i = 0; i < n; i++)
		nonzero |= p[i] != 0;
	ck_assert_msg(nonzero, "range at %llu is all zeros",
	    (unsigned long long)off);
	ck_assert_uint_lt(s->count, MAX_RANGES);
	s->r[s->count].off = off;
	s->r[s->count].n = n;
	s->r[s->count].p = malloc(n);
	ck_assert_ptr_nonnull(s->r[s->count].p);
	memcpy(s->r[s->count].p, buf, n);
	s->count++;
	s->end = off + n;
	s->bytes += n;
	return 0;
}

struct sparse_src {
	const struct sparse *s;
	uint64_t filelen;
	unsigned reads;
};

static int
sparse_get(void *ctx, uint64_t off, void *buf, size_t n, ib_err *err)
{
	struct sparse_src *src = ctx;
	const struct range *r;
	uint64_t a, b;
	size_t i;

	src->reads++;
	if (off > src->filelen || n > src->filelen - off)
		return ib_err_set(err, EIO, "read past end at %llu",
		    (unsigned long long)off);
	memset(buf, 0, n);
	for (i = 0; i < src->s->count; i++) {
		r = &src->s->r[i];
		a = off > r->off ? off : r->off;
		b = off + n < r->off + r->n ? off + n : r->off + r->n;
		if (a < b)
			memcpy((unsigned char *)buf + (a - off),
			    r->p + (a - r->off), (size_t)(b - a));
	}
	return 0;
}

static void
sparse_free(struct sparse *s)
{
	size_t i;

	for (i = 0; i < s->count; i++)
		free(s->r[i].p);
	memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------------ */
/* An image flattened into an exactly-sized buffer, for patching. */

struct flat {
	unsigned char *p;
	size_t len;
	unsigned reads;
	int fail; /* every read fails with EIO */
};

static int
flat_get(void *ctx, uint64_t off, void *buf, size_t n, ib_err *err)
{
	struct flat *f = ctx;

	f->reads++;
	if (f->fail)
		return ib_err_set(err, EIO, "read at %llu: I/O error",
		    (unsigned long long)off);
	if (off > f->len || n > f->len - off)
		return ib_err_set(err, EIO, "read past end at %llu",
		    (unsigned long long)off);
	memcpy(buf, f->p + off, n);
	return 0;
}

/* The image of an empty disk of size bytes, flat. */
static struct flat
flat_image(uint64_t size)
{
	struct sparse s;
	struct sparse_src src;
	struct flat f;
	uint64_t filelen;
	ib_err err;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(ib_qcow2_emit(size, sparse_put, &s, &filelen, &err),
	    0);
	ck_assert_uint_le(filelen, 64 * MiB);
	memset(&f, 0, sizeof(f));
	f.len = (size_t)filelen;
	f.p = malloc(f.len);
	ck_assert_ptr_nonnull(f.p);
	src.s = &s;
	src.filelen = filelen;
	ck_assert_int_eq(sparse_get(&src, 0, f.p, f.len, &err), 0);
	sparse_free(&s);
	return f;
}

/* f cut or grown to len bytes (zeros added), still exactly sized. */
static void
flat_resize(struct flat *f, size_t len)
{
	unsigned char *p = malloc(len);

	ck_assert_ptr_nonnull(p);
	memset(p, 0, len);
	memcpy(p, f->p, len < f->len ? len : f->len);
	free(f->p);
	f->p = p;
	f->len = len;
}

static int
flat_read(struct flat *f, ib_qcow2_info *info, ib_err *err)
{
	ib_err_clear(err);
	return ib_qcow2_read(flat_get, f, f->len, info, err);
}

/* ------------------------------------------------------------------ */
/* What the layout of an empty image must be (the one refcount block and
 * one refcount table cluster cover every size up to the maximum). */

static uint64_t
want_l1(uint64_t size)
{
	uint64_t span = CS * (CS / 8);

	return (size + span - 1) / span;
}

static uint64_t
want_filelen(uint64_t size)
{
	return (3 + (want_l1(size) * 8 + CS - 1) / CS) * CS;
}

/* Emit size, check the ranges and the length, and read it back. */
static void
round_trip(uint64_t size)
{
	struct sparse s;
	struct sparse_src src;
	ib_qcow2_info info;
	uint64_t filelen;
	ib_err err;

	memset(&s, 0, sizeof(s));
	ib_err_clear(&err);
	ck_assert_msg(ib_qcow2_emit(size, sparse_put, &s, &filelen, &err) == 0,
	    "emit %llu: %s", (unsigned long long)size, err.msg);
	ck_assert_uint_eq(filelen, want_filelen(size));
	ck_assert_uint_le(s.end, filelen);
	/* header + 1 refcount table entry + 16-bit refcounts of the
	 * metadata clusters: never more than about a KiB. */
	ck_assert_uint_eq(s.bytes, 112 + 8 + 2 * (filelen / CS));
	ck_assert_uint_eq(s.count, 3);

	memset(&info, 0xa5, sizeof(info));
	src.s = &s;
	src.filelen = filelen;
	src.reads = 0;
	ck_assert_msg(ib_qcow2_read(sparse_get, &src, filelen, &info, &err) ==
	        0,
	    "read %llu: %s", (unsigned long long)size, err.msg);
	ck_assert_uint_eq(info.version, 3);
	ck_assert_uint_eq(info.cluster_bits, IB_QCOW2_CLUSTER_BITS);
	ck_assert_uint_eq(info.size, size);
	ck_assert_uint_eq(info.l1_entries, want_l1(size));
	ck_assert_uint_eq(info.l1_offset, 3 * CS);
	ck_assert_uint_eq(info.refcount_table_offset, CS);
	ck_assert_uint_eq(info.refcount_table_clusters, 1);
	ck_assert_uint_eq(info.data_clusters, 0);
	sparse_free(&s);
}

START_TEST(test_round_trip_sizes)
{
	static const uint64_t sizes[] = { 512, 1024, 64 * KiB - 512, 64 * KiB,
		64 * KiB + 512, MiB + 512, 512 * MiB - 512, 512 * MiB,
		512 * MiB + 512, GiB, GiB + 512, 10 * GiB + 1536, TiB,
		TiB + 512, 16 * TiB, 16 * TiB + 512, 256 * TiB,
		IB_QCOW2_MAX_SIZE - 512, IB_QCOW2_MAX_SIZE };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		round_trip(sizes[i]);
}
END_TEST

/* The limit itself: 4 Mi L1 entries of 512 MiB, a 32 MiB L1 table. */
START_TEST(test_max_size_value)
{
	ck_assert_uint_eq(IB_QCOW2_MAX_SIZE, UINT64_C(1) << 51);
	ck_assert_uint_eq(want_l1(IB_QCOW2_MAX_SIZE), IB_QCOW2_MAX_L1);
	ck_assert_uint_eq(want_filelen(IB_QCOW2_MAX_SIZE), (3 + 512) * CS);
}
END_TEST

/* Header fields at their byte offsets (qcow2.txt "Header"), and the
 * refcount table and block of a 1 GiB + 512 image. */
START_TEST(test_header_fields)
{
	struct flat f = flat_image(GiB + 512);
	const unsigned char *h = f.p;
	size_t i;

	ck_assert_uint_eq(f.len, 4 * CS);
	ck_assert_mem_eq(h, "QFI\xfb", 4);
	ck_assert_uint_eq(ib_be32(h + 4), 3);          /* version */
	ck_assert_uint_eq(ib_be64(h + 8), 0);          /* backing_file_offset */
	ck_assert_uint_eq(ib_be32(h + 16), 0);         /* backing_file_size */
	ck_assert_uint_eq(ib_be32(h + 20), 16);        /* cluster_bits */
	ck_assert_uint_eq(ib_be64(h + 24), GiB + 512); /* size */
	ck_assert_uint_eq(ib_be32(h + 32), 0);         /* crypt_method */
	ck_assert_uint_eq(ib_be32(h + 36), 3);         /* l1_size */
	ck_assert_uint_eq(ib_be64(h + 40), 3 * CS);    /* l1_table_offset */
	ck_assert_uint_eq(ib_be64(h + 48), CS);   /* refcount_table_offset */
	ck_assert_uint_eq(ib_be32(h + 56), 1);    /* refcount_table_clusters */
	ck_assert_uint_eq(ib_be32(h + 60), 0);    /* nb_snapshots */
	ck_assert_uint_eq(ib_be64(h + 64), 0);    /* snapshots_offset */
	ck_assert_uint_eq(ib_be64(h + 72), 0);    /* incompatible */
	ck_assert_uint_eq(ib_be64(h + 80), 0);    /* compatible */
	ck_assert_uint_eq(ib_be64(h + 88), 0);    /* autoclear */
	ck_assert_uint_eq(ib_be32(h + 96), 4);    /* refcount_order */
	ck_assert_uint_eq(ib_be32(h + 100), 112); /* header_length */
	ck_assert_uint_eq(h[104], 0);             /* compression_type */
	/* Then the end of header extensions: type 0, length 0. */
	for (i = 112; i < CS; i++)
		ck_assert_uint_eq(h[i], 0);
	/* Refcount table: block 0 at cluster 2, nothing else. */
	ck_assert_uint_eq(ib_be64(f.p + CS), 2 * CS);
	for (i = 8; i < CS; i++)
		ck_assert_uint_eq(f.p[CS + i], 0);
	/* Refcount block: 1 for clusters 0-3 (header, table, block, L1). */
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(ib_be16(f.p + 2 * CS + 2 * i), 1);
	for (i = 8; i < CS; i++)
		ck_assert_uint_eq(f.p[2 * CS + i], 0);
	/* L1: 3 entries, all 0. */
	for (i = 0; i < CS; i++)
		ck_assert_uint_eq(f.p[3 * CS + i], 0);
	free(f.p);
}
END_TEST

START_TEST(test_emit_refuses_sizes)
{
	struct sparse s;
	uint64_t filelen = 77;
	ib_err err;

	memset(&s, 0, sizeof(s));
	tu_expect_err(ib_qcow2_emit(0, sparse_put, &s, &filelen, &err), &err,
	    EINVAL, "size 0 is not a positive multiple of 512");
	tu_expect_err(ib_qcow2_emit(511, sparse_put, &s, &filelen, &err), &err,
	    EINVAL, "size 511 is not");
	tu_expect_err(ib_qcow2_emit(GiB + 1, sparse_put, &s, &filelen, &err),
	    &err, EINVAL, "size 1073741825 is not");
	tu_expect_err(ib_qcow2_emit(IB_QCOW2_MAX_SIZE + 512, sparse_put, &s,
	                  &filelen, &err),
	    &err, IB_ELIMIT,
	    "size 2251799813685760 is larger than IB_QCOW2_MAX_SIZE "
	    "(2251799813685248 bytes");
	tu_expect_err(ib_qcow2_emit(UINT64_MAX & ~UINT64_C(511), sparse_put, &s,
	                  &filelen, &err),
	    &err, IB_ELIMIT, "IB_QCOW2_MAX_SIZE");
	tu_expect_err(ib_qcow2_emit(GiB, NULL, &s, &filelen, &err), &err,
	    EINVAL, "missing argument");
	/* Nothing was emitted, and the output was left alone. */
	ck_assert_uint_eq(s.count, 0);
	ck_assert_uint_eq(filelen, 77);
}
END_TEST

/* A failing put stops the emit with put's own error. */
START_TEST(test_emit_put_fails)
{
	struct sparse s;
	uint64_t filelen;
	unsigned at;
	ib_err err;

	for (at = 1; at <= 3; at++) {
		memset(&s, 0, sizeof(s));
		s.fail_at = at;
		filelen = 77;
		tu_expect_err(
		    ib_qcow2_emit(TiB, sparse_put, &s, &filelen, &err), &err,
		    ENOSPC, "put: no space");
		ck_assert_uint_eq(s.calls, at);
		ck_assert_uint_eq(filelen, 77);
		sparse_free(&s);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* The reader on patched images: each defect has its own message. */

START_TEST(test_read_bad_magic)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	f.p[3] = 0xfc; /* "QFI\xfc" */
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "bad magic");
	free(f.p);
}
END_TEST

START_TEST(test_read_version_4)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	ib_put_be32(f.p + 4, 4);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "version 4, expected 2 or 3");
	ib_put_be32(f.p + 4, 1);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "version 1, expected 2 or 3");
	free(f.p);
}
END_TEST

START_TEST(test_read_cluster_bits_30)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	/* 1 GiB clusters: qemu stops at 2 MiB, and every cluster-sized
	 * read would be 1 GiB. */
	ib_put_be32(f.p + 20, 30);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "cluster_bits 30 out of range 9..21");
	ib_put_be32(f.p + 20, 8);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "cluster_bits 8 out of range");
	free(f.p);
}
END_TEST

/* An L1 offset past the end would make a reader follow it anywhere. */
START_TEST(test_read_l1_past_eof)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	ib_put_be64(f.p + 40, 16 * CS);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "l1_table_offset 1048576 + 16 bytes past end of file (262144 "
	    "bytes)");
	/* 2^63: the sum would wrap in a naive check. */
	ib_put_be64(f.p + 40, UINT64_C(1) << 63);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "l1_table_offset 9223372036854775808 + 16 bytes past end");
	free(f.p);
}
END_TEST

START_TEST(test_read_l1_not_aligned)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	ib_put_be64(f.p + 40, 3 * CS + 512);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "l1_table_offset 197120 not cluster-aligned");
	free(f.p);
}
END_TEST

/* A 1 GiB disk needs 2 L1 entries (512 MiB each); one leaves guest
 * offsets without a table. */
START_TEST(test_read_l1_too_small)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	ib_put_be32(f.p + 36, 1);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "l1_size 1 too small for size 1073741824 (needs 2)");
	/* The same with the size grown instead. */
	ib_put_be32(f.p + 36, 2);
	ib_put_be64(f.p + 24, GiB + 512);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "l1_size 2 too small for size 1073742336 (needs 3)");
	free(f.p);
}
END_TEST

START_TEST(test_read_l1_over_limit)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	ib_put_be32(f.p + 36, IB_QCOW2_MAX_L1 + 1);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_ELIMIT,
	    "l1_size 4194305 above IB_QCOW2_MAX_L1");
	free(f.p);
}
END_TEST

START_TEST(test_read_overlapping_tables)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	/* L1 on the refcount table. */
	ib_put_be64(f.p + 40, CS);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "L1 table at 65536 overlaps the refcount table at 65536");
	/* L1 on the header. */
	ib_put_be64(f.p + 40, 0);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "L1 table at 0 overlaps the header");
	/* Refcount table on the header. */
	ib_put_be64(f.p + 40, 3 * CS);
	ib_put_be64(f.p + 48, 0);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount table at 0 overlaps the header");
	/* Refcount table of 2 clusters running into the refcount block is
	 * allowed by the table checks, then the block overlaps it. */
	ib_put_be64(f.p + 48, CS);
	ib_put_be32(f.p + 56, 2);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount block 0 overlaps the refcount table");
	/* A refcount block on the L1 table. */
	ib_put_be32(f.p + 56, 1);
	ib_put_be64(f.p + CS, 3 * CS);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount block 0 overlaps the L1 table");
	free(f.p);
}
END_TEST

/* A metadata cluster with refcount 0 is free: qemu would hand it out
 * for guest data and overwrite the table. */
START_TEST(test_read_metadata_refcount_0)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	ib_put_be16(f.p + 2 * CS + 2 * 3, 0); /* the L1 cluster */
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "L1 table cluster at 196608 has refcount 0, expected 1");
	ib_put_be16(f.p + 2 * CS + 2 * 3, 1);
	ib_put_be16(f.p + 2 * CS, 0); /* the header */
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "header cluster at 0 has refcount 0, expected 1");
	ib_put_be16(f.p + 2 * CS, 1);
	ib_put_be16(f.p + 2 * CS + 2, 2); /* the refcount table, shared */
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount table cluster at 65536 has refcount 2, expected 1");
	ib_put_be16(f.p + 2 * CS + 2, 1);
	ib_put_be16(f.p + 2 * CS + 4, 0); /* the refcount block itself */
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount block 0 at 131072 has refcount 0, expected 1");
	ib_put_be16(f.p + 2 * CS + 4, 1);
	/* No refcount block at all: every refcount is 0. */
	ib_put_be64(f.p + CS, 0);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "header cluster at 0 has refcount 0");
	free(f.p);
}
END_TEST

START_TEST(test_read_refcount_block_bad_entry)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	ib_put_be64(f.p + CS + 8, 64 * CS); /* block 1 past the end */
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount block 1 at 4194304 past end of file (262144 bytes)");
	ib_put_be64(f.p + CS + 8, 2 * CS + 4096);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount block 1 at 135168 not cluster-aligned");
	ib_put_be64(f.p + CS + 8, 2 * CS + 1);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount table entry 1: reserved bits set");
	free(f.p);
}
END_TEST

START_TEST(test_read_refcount_table_fields)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	ib_put_be32(f.p + 56, 0);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount_table_clusters is 0");
	ib_put_be32(f.p + 56, 129); /* 129 * 8192 entries > 1 Mi */
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_ELIMIT,
	    "refcount_table_clusters 129 above IB_QCOW2_MAX_REFTABLE");
	ib_put_be32(f.p + 56, 4);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount_table_offset 65536 + 262144 bytes past end of file");
	ib_put_be32(f.p + 56, 1);
	ib_put_be64(f.p + 48, CS + 8);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount_table_offset 65544 not cluster-aligned");
	free(f.p);
}
END_TEST

START_TEST(test_read_header_fields)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	ib_put_be32(f.p + 100, 100);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "header_length 100 not a multiple of 8 from 104");
	ib_put_be32(f.p + 100, 108);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "header_length 108");
	ib_put_be32(f.p + 100, 104); /* valid: then byte 104 is ignored */
	ck_assert_int_eq(flat_read(&f, &info, &err), 0);
	ib_put_be32(f.p + 100, 112);
	ib_put_be32(f.p + 96, 7);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount_order 7 above 6");
	ib_put_be32(f.p + 96, 4);
	ib_put_be32(f.p + 32, 3);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "crypt_method 3 unknown");
	ib_put_be32(f.p + 32, 0);
	ib_put_be64(f.p + 8, CS - 8); /* backing name runs out of cluster 0 */
	ib_put_be32(f.p + 16, 100);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "backing file name (100 bytes at 65528) not inside the first "
	    "cluster");
	ib_put_be64(f.p + 8, 0);
	ib_put_be32(f.p + 16, 0);
	ib_put_be32(f.p + 60, 1); /* a snapshot table past the end */
	ib_put_be64(f.p + 64, 64 * CS);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "snapshots_offset 4194304 not aligned or past end of file");
	free(f.p);
}
END_TEST

START_TEST(test_read_feature_bits)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	ib_put_be64(f.p + 72, UINT64_C(1) << 5);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EUNSUPPORTED,
	    "unknown incompatible_features 0x20");
	ib_put_be64(f.p + 72, 1);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EUNSUPPORTED,
	    "dirty bit set");
	ib_put_be64(f.p + 72, 2);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "corrupt bit set");
	/* Compatible and autoclear bits may be ignored. */
	ib_put_be64(f.p + 72, 0);
	ib_put_be64(f.p + 80, 1);
	ib_put_be64(f.p + 88, UINT64_C(1) << 40);
	ck_assert_int_eq(flat_read(&f, &info, &err), 0);
	free(f.p);
}
END_TEST

/* A header extension whose length runs out of the first cluster would
 * make a reader walk the rest of the file as extensions. */
START_TEST(test_read_extension_overrun)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	size_t o;
	ib_err err;

	ib_put_be32(f.p + 112, 0x6803f857);
	ib_put_be32(f.p + 116, (uint32_t)CS);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "header extension 0x6803f857 at 112: length 65536 past 65536");
	/* A chain of empty unknown extensions filling the cluster: no end
	 * marker before the cluster ends. */
	memset(f.p + 112, 0, CS - 112);
	for (o = 112; o < CS; o += 8)
		ib_put_be32(f.p + o, 0x12345678);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "header extensions: no end marker before 65536");
	/* A valid extension is walked over. */
	memset(f.p + 112, 0, CS - 112);
	ib_put_be32(f.p + 112, 0x12345678);
	ib_put_be32(f.p + 116, 5);
	memcpy(f.p + 120, "hello", 5);
	ck_assert_int_eq(flat_read(&f, &info, &err), 0);
	free(f.p);
}
END_TEST

START_TEST(test_read_short_files)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	flat_resize(&f, 71);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "file of 71 bytes too short for a header");
	flat_resize(&f, 100);
	memcpy(f.p, "QFI\xfb\0\0\0\3", 8);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "version 3 header at 72 past end of file (100 bytes)");
	free(f.p);
	/* Cut inside the L1 table. */
	f = flat_image(GiB);
	flat_resize(&f, (size_t)(3 * CS + 8));
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "l1_table_offset 196608 + 16 bytes past end of file");
	/* Cut just after it: allowed, as qemu-img create makes it. */
	flat_resize(&f, (size_t)(3 * CS + 16));
	ck_assert_int_eq(flat_read(&f, &info, &err), 0);
	/* Cut inside the refcount block. */
	flat_resize(&f, (size_t)(2 * CS + 100));
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "l1_table_offset");
	ib_put_be32(f.p + 36, 0);
	ib_put_be64(f.p + 24, 0);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "refcount block 0 at 131072 past end of file");
	free(f.p);
}
END_TEST

/* L1 entries: reserved bits, alignment, L2 tables in the file, and a
 * table shared by more entries than the file has clusters. */
START_TEST(test_read_l1_entries)
{
	struct flat f = flat_image(512 * GiB);
	ib_qcow2_info info;
	size_t i;
	ib_err err;

	ck_assert_uint_eq(f.len, 4 * CS);
	ib_put_be64(f.p + 3 * CS, UINT64_C(1) << 56);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "L1 entry 0: reserved bits set");
	ib_put_be64(f.p + 3 * CS, 3 * CS + 4096);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "L1 entry 0: L2 table at 200704 not cluster-aligned");
	ib_put_be64(f.p + 3 * CS, 0);
	ib_put_be64(f.p + 3 * CS + 8 * 7, 100 * CS);
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "L2 table at 6553600 past end of file");
	/* Every one of the 1024 entries on the same table (the header):
	 * 1024 reads of 64 KiB from a 256 KiB file unless refused. */
	for (i = 0; i < 1024; i++)
		ib_put_be64(f.p + 3 * CS + 8 * i,
		    (UINT64_C(1) << 63) | 0); /* copied flag, offset 0 */
	ck_assert_int_eq(flat_read(&f, &info, &err), 0);
	ck_assert_uint_eq(info.data_clusters, 0);
	for (i = 0; i < 1024; i++)
		ib_put_be64(f.p + 3 * CS + 8 * i, 2 * CS);
	f.reads = 0;
	tu_expect_err(flat_read(&f, &info, &err), &err, IB_EFORMAT,
	    "more L2 tables than clusters in the file");
	ck_assert_uint_lt(f.reads, 200);
	free(f.p);
}
END_TEST

/* A real L2 table, with entries of each kind, is counted. */
START_TEST(test_read_counts_data_clusters)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	flat_resize(&f, (size_t)(6 * CS));
	ib_put_be64(f.p + 3 * CS + 8, (UINT64_C(1) << 63) | 4 * CS);
	ib_put_be16(f.p + 2 * CS + 8, 1); /* L2 at cluster 4 */
	ib_put_be64(f.p + 4 * CS, (UINT64_C(1) << 63) | 5 * CS); /* data */
	ib_put_be16(f.p + 2 * CS + 10, 1);
	ib_put_be64(f.p + 4 * CS + 8, 1); /* reads as zero: unallocated */
	ib_put_be64(f.p + 4 * CS + 16, (UINT64_C(1) << 62) | (5 * CS + 10));
	ck_assert_int_eq(flat_read(&f, &info, &err), 0);
	ck_assert_uint_eq(info.data_clusters, 2);
	free(f.p);
}
END_TEST

START_TEST(test_read_get_fails)
{
	struct flat f = flat_image(GiB);
	ib_qcow2_info info;
	ib_err err;

	f.fail = 1;
	tu_expect_err(flat_read(&f, &info, &err), &err, EIO,
	    "read at 0: I/O error");
	ck_assert_int_eq(ib_qcow2_read(NULL, &f, f.len, &info, &err), -1);
	ck_assert_int_eq(err.code, EINVAL);
	free(f.p);
}
END_TEST

/* The reader's work on the largest image: it reads the 32 MiB L1 table
 * 4 KiB at a time, and nothing else of size. */
START_TEST(test_read_max_size_reads)
{
	struct sparse s;
	struct sparse_src src;
	ib_qcow2_info info;
	uint64_t filelen;
	ib_err err;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(
	    ib_qcow2_emit(IB_QCOW2_MAX_SIZE, sparse_put, &s, &filelen, &err),
	    0);
	src.s = &s;
	src.filelen = filelen;
	src.reads = 0;
	ck_assert_int_eq(ib_qcow2_read(sparse_get, &src, filelen, &info, &err),
	    0);
	ck_assert_uint_eq(info.l1_entries, IB_QCOW2_MAX_L1);
	/* 8192 L1 chunks, 16 reftable chunks, a few headers and windows. */
	ck_assert_uint_lt(src.reads, 8192 + 16 + 32);
	sparse_free(&s);
}
END_TEST

/* ------------------------------------------------------------------ */
/* ib_qcow2_write to real files. */

static int
fd_get(void *ctx, uint64_t off, void *buf, size_t n, ib_err *err)
{
	const int *fd = ctx;

	return ib_pread_all(*fd, buf, n, off, err);
}

/* Write an image of size to dir/name; check its length and read it. */
static void
write_file(const char *dir, const char *name, uint64_t size)
{
	struct stat st;
	ib_qcow2_info info;
	ib_err err;
	int fd;

	fd = open(tu_at(dir, name), O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ib_err_clear(&err);
	ck_assert_msg(ib_qcow2_write(fd, size, &err) == 0, "write %s: %s", name,
	    err.msg);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_uint_eq((uint64_t)st.st_size, want_filelen(size));
	ck_assert_msg(
	    ib_qcow2_read(fd_get, &fd, (uint64_t)st.st_size, &info, &err) == 0,
	    "read %s: %s", name, err.msg);
	ck_assert_uint_eq(info.size, size);
	ck_assert_int_eq(close(fd), 0);
}

START_TEST(test_write_file)
{
	char dir[4096];

	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	write_file(dir, "a.qcow2", 512);
	write_file(dir, "b.qcow2", GiB + 512);
	write_file(dir, "c.qcow2", 16 * TiB);
	write_file(dir, "d.qcow2", IB_QCOW2_MAX_SIZE);
	tu_rmtree(dir);
}
END_TEST

START_TEST(test_write_refuses_fd)
{
	char dir[4096];
	ib_err err;
	int fd, p[2];

	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	fd = open(tu_at(dir, "x"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "x", 1), 1);
	tu_expect_err(ib_qcow2_write(fd, GiB, &err), &err, EINVAL,
	    "not an empty regular file");
	close(fd);
	ck_assert_int_eq(pipe(p), 0);
	tu_expect_err(ib_qcow2_write(p[1], GiB, &err), &err, EINVAL,
	    "not an empty regular file");
	close(p[0]);
	close(p[1]);
	tu_expect_err(ib_qcow2_write(-1, GiB, &err), &err, EBADF, "fstat");
	fd = open(tu_at(dir, "y"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	tu_expect_err(ib_qcow2_write(fd, 1000, &err), &err, EINVAL,
	    "size 1000");
	close(fd);
	tu_rmtree(dir);
}
END_TEST

/* A file size limit below the image: the errno of pwrite or ftruncate
 * is kept (EFBIG), as ENOSPC and EDQUOT would be. */
START_TEST(test_write_efbig)
{
	struct rlimit rl;
	char dir[4096];
	ib_err err;
	int fd;

	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	fd = open(tu_at(dir, "big"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	ck_assert_msg(rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 4 * CS,
	    "file size limit already below the image");
	rl.rlim_cur = 100 * KiB; /* this child only */
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	tu_expect_err(ib_qcow2_write(fd, TiB, &err), &err, EFBIG,
	    "qcow2: write at 131072: ");
	ck_assert_ptr_nonnull(strstr(err.msg, strerror(EFBIG)));
	close(fd);
	/* Past the refcount block, only ftruncate crosses the limit. */
	rl.rlim_cur = 3 * CS;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	fd = open(tu_at(dir, "big2"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	tu_expect_err(ib_qcow2_write(fd, TiB, &err), &err, EFBIG,
	    "qcow2: set file length to 262144: ");
	close(fd);
	tu_rmtree(dir);
}
END_TEST

/* ------------------------------------------------------------------ */
/* qemu-img as a peer. */

/* Whether qemu-img can be run; under CI=true it must be. */
static int
have_qemu(void)
{
	const char *ci = getenv("CI");

	if (access(QEMU_IMG, X_OK) == 0)
		return 1;
	ck_assert_msg(ci == NULL || strcmp(ci, "true") != 0,
	    QEMU_IMG " is missing (CI=true: nothing may skip)");
	printf("qemu-img: not installed, skipped\n");
	return 0;
}

/* Run argv (argv[0] a path, at most 15 words); its stdout goes into out
 * (size bytes, terminated). Returns the exit status, or -1 if it did not
 * exit. */
static int
run(const char *const argv[], char *out, size_t size)
{
	char *v[16];
	size_t got = 0, i;
	ssize_t n;
	pid_t pid;
	int p[2], status;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		/* execv takes char *const []: copies, since the words are
		 * string constants. */
		for (i = 0; i < 15 && argv[i] != NULL; i++)
			if ((v[i] = strdup(argv[i])) == NULL)
				_exit(127);
		v[i] = NULL;
		close(p[0]);
		if (dup2(p[1], 1) == -1)
			_exit(127);
		execv(v[0], v);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], out + got, size - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* qemu-img check (no errors, no leaks: exit 0) and info (the exact
 * virtual size) on an image we wrote. */
static void
qemu_check(const char *dir, const char *name, uint64_t size)
{
	char out[65536], want[64], path[8400];
	const char *check[] = { QEMU_IMG, "check", path, NULL };
	const char *info[] = { QEMU_IMG, "info", "--output=json", path, NULL };
	int rc;

	write_file(dir, name, size);
	snprintf(path, sizeof(path), "%s", tu_at(dir, name));
	rc = run(check, out, sizeof(out));
	ck_assert_msg(rc == 0, "qemu-img check %s: exit %d: %s", name, rc, out);
	ck_assert_ptr_nonnull(strstr(out, "No errors were found"));
	rc = run(info, out, sizeof(out));
	ck_assert_msg(rc == 0, "qemu-img info %s: exit %d", name, rc);
	snprintf(want, sizeof(want), "\"virtual-size\": %llu,",
	    (unsigned long long)size);
	ck_assert_msg(strstr(out, want) != NULL, "%s lacks %s: %s", name, want,
	    out);
	ck_assert_ptr_nonnull(strstr(out, "\"format\": \"qcow2\""));
	ck_assert_ptr_nonnull(strstr(out, "\"compat\": \"1.1\""));
	ck_assert_ptr_nonnull(strstr(out, "\"refcount-bits\": 16"));
	ck_assert_ptr_nonnull(strstr(out, "\"cluster-size\": 65536"));
}

START_TEST(test_qemu_check_info)
{
	char dir[4096];

	if (!have_qemu())
		return;
	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	qemu_check(dir, "512.qcow2", 512);
	qemu_check(dir, "odd.qcow2", GiB + 512);
	qemu_check(dir, "odd2.qcow2", 10 * GiB + 1536);
	qemu_check(dir, "1t.qcow2", TiB);
	qemu_check(dir, "16t.qcow2", 16 * TiB);
	qemu_check(dir, "max.qcow2", IB_QCOW2_MAX_SIZE);
	tu_rmtree(dir);
}
END_TEST

/* What qemu reads from the disk: zeros, exactly size bytes. */
START_TEST(test_qemu_convert_raw)
{
	static const uint64_t size = MiB + 512;
	char out[4096], src[8400], dst[8400], dir[4096];
	const char *conv[] = { QEMU_IMG, "convert", "-O", "raw", src, dst,
		NULL };
	unsigned char buf[65536];
	struct stat st;
	uint64_t got;
	ssize_t n;
	size_t i;
	int rc, fd;

	if (!have_qemu())
		return;
	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	write_file(dir, "small.qcow2", size);
	snprintf(src, sizeof(src), "%s", tu_at(dir, "small.qcow2"));
	snprintf(dst, sizeof(dst), "%s", tu_at(dir, "small.raw"));
	rc = run(conv, out, sizeof(out));
	ck_assert_msg(rc == 0, "qemu-img convert: exit %d", rc);
	ck_assert_int_eq(stat(dst, &st), 0);
	ck_assert_uint_eq((uint64_t)st.st_size, size);
	fd = open(dst, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	got = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < (size_t)n; i++)
			ck_assert_msg(buf[i] == 0, "byte %llu is %u",
			    (unsigned long long)(got + i), buf[i]);
		got += (uint64_t)n;
	}
	ck_assert_int_eq(n, 0);
	ck_assert_uint_eq(got, size);
	close(fd);
	tu_rmtree(dir);
}
END_TEST

/* Read an image file at path with ib_qcow2_read. */
static int
read_path(const char *path, ib_qcow2_info *info, ib_err *err)
{
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ib_err_clear(err);
	rc = ib_qcow2_read(fd_get, &fd, (uint64_t)st.st_size, info, err);
	close(fd);
	return rc;
}

/* The reader on what qemu-img create makes: v2 and v3, cluster sizes
 * 512 to 2 MiB, refcount widths 1 to 64 bits, extended L2 entries, a
 * feature name table extension, an L1 table cut at its last entry. */
START_TEST(test_qemu_made_images_read)
{
	static const struct {
		const char *opts, *size;
		uint64_t bytes;
		unsigned version, cb;
	} cases[] = {
		{ "compat=1.1", "1G", GiB, 3, 16 },
		{ "compat=0.10", "1G", GiB, 2, 16 },
		{ "cluster_size=512", "100M", 100 * MiB, 3, 9 },
		{ "cluster_size=2M", "16T", 16 * TiB, 3, 21 },
		{ "refcount_bits=1", "1G", GiB, 3, 16 },
		{ "refcount_bits=2", "1G", GiB, 3, 16 },
		{ "refcount_bits=4", "1G", GiB, 3, 16 },
		{ "refcount_bits=8", "1G", GiB, 3, 16 },
		{ "refcount_bits=32", "1G", GiB, 3, 16 },
		{ "refcount_bits=64,cluster_size=4k", "3G", 3 * GiB, 3, 12 },
		{ "extended_l2=on", "1T", TiB, 3, 16 },
		{ "compat=1.1", "2P", IB_QCOW2_MAX_SIZE, 3, 16 },
	};
	char out[4096], path[8400], dir[4096], opts[256], size[32];
	const char *create[] = { QEMU_IMG, "create", "-q", "-f", "qcow2", "-o",
		opts, path, size, NULL };
	ib_qcow2_info info;
	ib_err err;
	size_t i;
	int rc;

	if (!have_qemu())
		return;
	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	snprintf(path, sizeof(path), "%s", tu_at(dir, "q.qcow2"));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(opts, sizeof(opts), "%s", cases[i].opts);
		snprintf(size, sizeof(size), "%s", cases[i].size);
		unlink(path);
		rc = run(create, out, sizeof(out));
		ck_assert_msg(rc == 0, "qemu-img create %s: exit %d",
		    cases[i].opts, rc);
		rc = read_path(path, &info, &err);
		ck_assert_msg(rc == 0, "%s: %s", cases[i].opts, err.msg);
		ck_assert_uint_eq(info.version, cases[i].version);
		ck_assert_uint_eq(info.cluster_bits, cases[i].cb);
		ck_assert_uint_eq(info.size, cases[i].bytes);
		ck_assert_uint_eq(info.data_clusters, 0);
	}
	tu_rmtree(dir);
}
END_TEST

/* The reader counts the clusters qemu-img convert allocates for data:
 * a raw disk with bytes in 3 of its 64 KiB clusters, in images with 16-
 * and 1-bit refcounts. */
START_TEST(test_qemu_data_clusters)
{
	static const char *const widths[] = { "refcount_bits=16",
		"refcount_bits=1" };
	char out[4096], raw[8400], img[8400], dir[4096], opts[64];
	const char *conv[] = { QEMU_IMG, "convert", "-O", "qcow2", "-o", opts,
		raw, img, NULL };
	const char *check[] = { QEMU_IMG, "check", img, NULL };
	ib_qcow2_info info;
	ib_err err;
	size_t i;
	int fd, rc;

	if (!have_qemu())
		return;
	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	snprintf(raw, sizeof(raw), "%s", tu_at(dir, "d.raw"));
	snprintf(img, sizeof(img), "%s", tu_at(dir, "d.qcow2"));
	fd = open(raw, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)(MiB + 512)), 0);
	ck_assert_int_eq(pwrite(fd, "a", 1, 0), 1);
	ck_assert_int_eq(pwrite(fd, "b", 1, 5 * 65536 + 7), 1);
	ck_assert_int_eq(pwrite(fd, "c", 1, (off_t)MiB + 511), 1);
	close(fd);
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		snprintf(opts, sizeof(opts), "%s", widths[i]);
		unlink(img);
		rc = run(conv, out, sizeof(out));
		ck_assert_msg(rc == 0, "qemu-img convert: exit %d", rc);
		ck_assert_int_eq(run(check, out, sizeof(out)), 0);
		rc = read_path(img, &info, &err);
		ck_assert_msg(rc == 0, "%s: %s", widths[i], err.msg);
		ck_assert_uint_eq(info.size, MiB + 512);
		ck_assert_uint_eq(info.data_clusters, 3);
	}
	tu_rmtree(dir);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Reading guest bytes (ib_qcow2_open_get, ib_qcow2_pread) from images
 * built here: an empty 1 MiB image (16 guest clusters of 64 KiB; header,
 * refcount table and block, L1 table in clusters 0 to 3) grown by a few
 * clusters for L2 tables and data, exactly sized. */

#define L1_AT  (3 * CS)
#define L2_AT  (4 * CS)
#define DAT_AT (5 * CS)
/* A compressed L2 entry for 64 KiB clusters: the sector count, less
 * one, from bit 62 - (16 - 8) = 54 up, the byte offset below. */
#define COMPRESSED(off, sectors)                                               \
	(UINT64_C(1) << 62 | (uint64_t)((sectors)-1) << 54 | (off))

static struct flat
data_image(unsigned extra)
{
	struct flat f = flat_image(MiB);

	flat_resize(&f, f.len + extra * CS);
	return f;
}

static void
set_l1(struct flat *f, uint64_t idx, uint64_t v)
{
	ib_put_be64(f->p + L1_AT + idx * 8, v);
}

static void
set_l2(struct flat *f, uint64_t idx, uint64_t v)
{
	ib_put_be64(f->p + L2_AT + idx * 8, v);
}

static ib_qcow2 *
open_flat(struct flat *f, ib_err *err)
{
	ib_err_clear(err);
	return ib_qcow2_open_get(flat_get, f, f->len, err);
}

/* Raw deflate of n bytes of in into out (size *outlen), as qemu does. */
static void
deflate_raw(const unsigned char *in, size_t n, unsigned char *out,
    size_t *outlen)
{
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
	                     -12, 9, Z_DEFAULT_STRATEGY),
	    Z_OK);
	zs.next_in = (unsigned char *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)*outlen;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*outlen = *outlen - zs.avail_out;
	deflateEnd(&zs);
}

/* Guest cluster 0 data, 1 zero, 2 compressed, 3 unallocated, 4 data:
 * each reads as it should, alone and in one read across all five. */
START_TEST(test_pread_cluster_kinds)
{
	struct flat f = data_image(4);
	unsigned char *want, *got, *plain;
	size_t clen = 2 * CS;
	ib_qcow2 *q;
	ib_err err;

	want = calloc(5, CS);
	got = malloc(5 * CS);
	plain = malloc(CS);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_nonnull(plain);
	memset(f.p + DAT_AT, 0x11, CS);
	memset(f.p + DAT_AT + CS, 0x44, CS);
	memset(want, 0x11, CS);
	memset(want + 4 * CS, 0x44, CS);
	memset(plain, 0x22, CS);
	memcpy(plain, "compressed", 10);
	memcpy(want + 2 * CS, plain, CS);
	deflate_raw(plain, CS, f.p + DAT_AT + 2 * CS + 100, &clen);
	ck_assert_uint_lt(clen, CS - 100);
	set_l1(&f, 0, L2_AT);
	set_l2(&f, 0, DAT_AT | UINT64_C(1) << 63);
	set_l2(&f, 1, 1);
	set_l2(&f, 2,
	    COMPRESSED(DAT_AT + 2 * CS + 100, (clen + 100) / 512 + 1));
	set_l2(&f, 4, DAT_AT + CS);
	q = open_flat(&f, &err);
	ck_assert_msg(q != NULL, "open: %s", err.msg);
	ck_assert_uint_eq(ib_qcow2_size(q), MiB);
	ck_assert_int_eq(ib_qcow2_pread(q, got, 5 * CS, 0, &err), 0);
	ck_assert(memcmp(got, want, 5 * CS) == 0);
	/* Unaligned pieces across cluster edges, through read_at. */
	ck_assert_int_eq(ib_qcow2_read_at(q, got, 3000, CS - 1000, &err), 0);
	ck_assert(memcmp(got, want + CS - 1000, 3000) == 0);
	ck_assert_int_eq(ib_qcow2_read_at(q, got, 7, 2 * CS + 3, &err), 0);
	ck_assert(memcmp(got, "pressed", 7) == 0);
	ck_assert_int_eq(ib_qcow2_pread(q, got, 10, MiB - 10, &err), 0);
	ck_assert_int_eq(ib_qcow2_pread(q, got, 0, MiB, &err), 0);
	ib_qcow2_close(q);
	ib_qcow2_close(NULL);
	free(want);
	free(got);
	free(plain);
	free(f.p);
}
END_TEST

/* A read past the disk's end is the caller's mistake: EINVAL. */
START_TEST(test_pread_past_disk_end)
{
	struct flat f = data_image(0);
	unsigned char b[2];
	ib_qcow2 *q;
	ib_err err;

	q = open_flat(&f, &err);
	ck_assert_ptr_nonnull(q);
	tu_expect_err(ib_qcow2_pread(q, b, 2, MiB - 1, &err), &err, EINVAL,
	    "past the disk's end (1048576 bytes)");
	tu_expect_err(ib_qcow2_pread(q, b, 1, UINT64_MAX, &err), &err, EINVAL,
	    "past the disk's end");
	ib_qcow2_close(q);
	free(f.p);
}
END_TEST

/* L1 entry 0 points one cluster past the file's end: refused at open
 * (ib_qcow2_read reads every L2 table), never read. */
START_TEST(test_l2_table_past_eof)
{
	struct flat f = data_image(1);
	ib_err err;

	set_l1(&f, 0, f.len);
	tu_expect_err(open_flat(&f, &err) == NULL ? -1 : 0, &err, IB_EFORMAT,
	    "L2 table at 327680 past end of file (327680 bytes)");
	free(f.p);
}
END_TEST

/* L2 entry 3 points a data cluster at the file's end: the read of that
 * cluster fails, the others still read, the handle stays usable. */
START_TEST(test_data_cluster_past_eof)
{
	struct flat f = data_image(1);
	unsigned char b[16];
	ib_qcow2 *q;
	ib_err err;

	set_l1(&f, 0, L2_AT);
	set_l2(&f, 3, f.len);
	set_l2(&f, 5, DAT_AT + 512); /* not cluster-aligned */
	q = open_flat(&f, &err);
	ck_assert_ptr_nonnull(q);
	tu_expect_err(ib_qcow2_pread(q, b, 16, 3 * CS + 8, &err), &err,
	    IB_EFORMAT,
	    "data cluster of guest cluster 3 at 327680 not aligned "
	    "or past end of file");
	tu_expect_err(ib_qcow2_pread(q, b, 16, 5 * CS, &err), &err, IB_EFORMAT,
	    "data cluster of guest cluster 5 at 328192 not aligned");
	ck_assert_int_eq(ib_qcow2_pread(q, b, 16, 0, &err), 0);
	ib_qcow2_close(q);
	free(f.p);
}
END_TEST

/* Reserved bits 1-8 and 56-61 of a standard L2 entry, and of L1. */
START_TEST(test_l2_reserved_bits)
{
	struct flat f = data_image(1);
	unsigned char b[1];
	ib_qcow2 *q;
	ib_err err;

	set_l1(&f, 0, L2_AT);
	set_l2(&f, 1, DAT_AT | 2);
	set_l2(&f, 2, DAT_AT | UINT64_C(1) << 56);
	q = open_flat(&f, &err);
	ck_assert_ptr_nonnull(q);
	tu_expect_err(ib_qcow2_pread(q, b, 1, CS, &err), &err, IB_EFORMAT,
	    "L2 entry of guest cluster 1: reserved bits set");
	tu_expect_err(ib_qcow2_pread(q, b, 1, 2 * CS, &err), &err, IB_EFORMAT,
	    "L2 entry of guest cluster 2: reserved bits set");
	ib_qcow2_close(q);
	free(f.p);
}
END_TEST

/* A compressed cluster 16 bytes before the end, 496 bytes into its
 * sector, claims 2 sectors: 528 bytes, 512 past the file, more than the
 * rounding of the last sector allows. One sector ends at the file's end
 * and is read. */
START_TEST(test_compressed_size_past_eof)
{
	struct flat f = data_image(1);
	unsigned char b[1];
	ib_qcow2 *q;
	ib_err err;

	set_l1(&f, 0, L2_AT);
	set_l2(&f, 0, COMPRESSED(f.len - 16, 2));
	set_l2(&f, 1, COMPRESSED(f.len, 1));
	set_l2(&f, 2, COMPRESSED(f.len - 16, 1));
	q = open_flat(&f, &err);
	ck_assert_ptr_nonnull(q);
	tu_expect_err(ib_qcow2_pread(q, b, 1, 0, &err), &err, IB_EFORMAT,
	    "compressed cluster of guest cluster 0 (528 bytes at 327664) "
	    "runs past end of file");
	tu_expect_err(ib_qcow2_pread(q, b, 1, CS, &err), &err, IB_EFORMAT,
	    "runs past end of file");
	/* Inside the rounding: read, but 16 zero bytes are no deflate
	 * stream that makes a cluster. */
	tu_expect_err(ib_qcow2_pread(q, b, 1, 2 * CS, &err), &err, IB_EFORMAT,
	    "compressed cluster of guest cluster 2 at 327664");
	ib_qcow2_close(q);
	free(f.p);
}
END_TEST

/* A deflate stream of 2 clusters' bytes where one cluster's belongs:
 * the output stops one byte past a cluster, and the read fails. So does
 * a stream of half a cluster, and bytes that are not deflate data. */
START_TEST(test_compressed_inflates_past_cluster)
{
	struct flat f = data_image(2);
	unsigned char *big, b[1];
	size_t clen = CS, slen = CS;
	ib_qcow2 *q;
	ib_err err;

	big = calloc(2, CS);
	ck_assert_ptr_nonnull(big);
	deflate_raw(big, 2 * CS, f.p + DAT_AT, &clen);
	deflate_raw(big, CS / 2, f.p + DAT_AT + 4096, &slen);
	memset(f.p + DAT_AT + 8192, 0xff, 512);
	set_l1(&f, 0, L2_AT);
	set_l2(&f, 0, COMPRESSED(DAT_AT, clen / 512 + 1));
	set_l2(&f, 1, COMPRESSED(DAT_AT + 4096, slen / 512 + 1));
	set_l2(&f, 2, COMPRESSED(DAT_AT + 8192, 1));
	q = open_flat(&f, &err);
	ck_assert_ptr_nonnull(q);
	tu_expect_err(ib_qcow2_pread(q, b, 1, 0, &err), &err, IB_EFORMAT,
	    "inflates to more than a cluster (65536 bytes)");
	tu_expect_err(ib_qcow2_pread(q, b, 1, CS, &err), &err, IB_EFORMAT,
	    "inflates to 32768 bytes, expected 65536");
	tu_expect_err(ib_qcow2_pread(q, b, 1, 2 * CS, &err), &err, IB_EFORMAT,
	    "bad deflate data");
	ib_qcow2_close(q);
	free(big);
	free(f.p);
}
END_TEST

/* Header fields naming what the reader refuses, each by its name. */
START_TEST(test_refused_features)
{
	static const struct {
		size_t at;
		unsigned char v;
		const char *says;
	} cases[] = {
		{ 35, 1, "encrypted image (crypt_method 1, AES)" },
		{ 35, 2, "encrypted image (crypt_method 2, LUKS)" },
		{ 79, 1 << 2,
		    "external data file (incompatible feature bit 2)" },
		{ 79, 1 << 4,
		    "extended L2 entries (incompatible feature bit 4)" },
	};
	struct flat f;
	ib_err err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = data_image(0);
		f.p[cases[i].at] = cases[i].v;
		tu_expect_err(open_flat(&f, &err) == NULL ? -1 : 0, &err,
		    IB_EUNSUPPORTED, cases[i].says);
		free(f.p);
	}
	/* compression_type 1 (zstd) with its incompatible bit. */
	f = data_image(0);
	f.p[79] = 1 << 3;
	f.p[104] = 1;
	tu_expect_err(open_flat(&f, &err) == NULL ? -1 : 0, &err,
	    IB_EUNSUPPORTED, "zstd compression (compression_type 1)");
	f.p[104] = 7;
	tu_expect_err(open_flat(&f, &err) == NULL ? -1 : 0, &err,
	    IB_EUNSUPPORTED, "compression_type 7 unknown");
	free(f.p);
}
END_TEST

/* Images in files, for backing chains: dir/name is an empty image of
 * size bytes naming backing (NULL: none), with the backing format
 * extension fmt (NULL: none) after the header. */
static void
backed_image(const char *dir, const char *name, uint64_t size,
    const char *backing, const char *fmt)
{
	struct flat f = flat_image(size);
	size_t n;
	int fd;

	if (fmt != NULL) {
		/* Extension at 112: type, length, the name padded to 8. */
		n = strlen(fmt);
		ck_assert_uint_le(n, 16);
		ib_put_be32(f.p + 112, 0xe2792acau);
		ib_put_be32(f.p + 116, (uint32_t)n);
		memcpy(f.p + 120, fmt, n);
	}
	if (backing != NULL) {
		n = strlen(backing);
		ib_put_be64(f.p + 8, 512);
		ib_put_be32(f.p + 16, (uint32_t)n);
		memcpy(f.p + 512, backing, n);
	}
	fd = open(tu_at(dir, name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, f.p, f.len), (ssize_t)f.len);
	ck_assert_int_eq(close(fd), 0);
	free(f.p);
}

static void
expect_open_err(const char *path, int code, const char *sub)
{
	ib_qcow2 *q;
	ib_err err;

	ib_err_clear(&err);
	q = ib_qcow2_open(path, &err);
	if (q != NULL)
		ib_qcow2_close(q);
	tu_expect_err(q == NULL ? -1 : 0, &err, code, sub);
}

/* a.qcow2 names b.qcow2, which names a.qcow2; c.qcow2 names itself. */
START_TEST(test_backing_chain_loop)
{
	char dir[4096];

	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	backed_image(dir, "a.qcow2", MiB, "b.qcow2", NULL);
	backed_image(dir, "b.qcow2", MiB, "a.qcow2", "qcow2");
	backed_image(dir, "c.qcow2", MiB, "c.qcow2", NULL);
	expect_open_err(tu_at(dir, "a.qcow2"), IB_EFORMAT,
	    "/a.qcow2': qcow2: backing chain loop: the image is already in the "
	    "chain, 2 levels up");
	expect_open_err(tu_at(dir, "c.qcow2"), IB_EFORMAT,
	    "backing chain loop");
	tu_rmtree(dir);
}
END_TEST

/* l0 names l1 ... l16 names l17: 17 backing files, one past
 * IB_MAX_BACKING_DEPTH; l1 has 16 and opens. */
START_TEST(test_backing_depth_past_limit)
{
	char dir[4096], name[32], next[32];
	unsigned char b[512];
	ib_qcow2 *q;
	ib_err err;
	unsigned i;

	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	for (i = 0; i <= IB_MAX_BACKING_DEPTH + 1; i++) {
		snprintf(name, sizeof(name), "l%u.qcow2", i);
		snprintf(next, sizeof(next), "l%u.qcow2", i + 1);
		backed_image(dir, name, MiB,
		    i <= IB_MAX_BACKING_DEPTH ? next : NULL, NULL);
	}
	expect_open_err(tu_at(dir, "l0.qcow2"), IB_ELIMIT,
	    "backing file 'l17.qcow2': chain deeper than "
	    "IB_MAX_BACKING_DEPTH (16)");
	ib_err_clear(&err);
	q = ib_qcow2_open(tu_at(dir, "l1.qcow2"), &err);
	ck_assert_msg(q != NULL, "%s", err.msg);
	ck_assert_int_eq(ib_qcow2_pread(q, b, sizeof(b), MiB / 2, &err), 0);
	ib_qcow2_close(q);
	tu_rmtree(dir);
}
END_TEST

/* Backing names an image from elsewhere could use to read host files. */
START_TEST(test_backing_name_absolute)
{
	char dir[4096];

	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	backed_image(dir, "abs.qcow2", MiB, "/etc/passwd", "raw");
	backed_image(dir, "up.qcow2", MiB, "x/../../etc/passwd", NULL);
	backed_image(dir, "dots.qcow2", MiB, "..", NULL);
	backed_image(dir, "esc.qcow2", MiB, "\033[2J", NULL);
	backed_image(dir, "fmt.qcow2", MiB, "abs.qcow2", "vmdk");
	expect_open_err(tu_at(dir, "abs.qcow2"), IB_EUNSAFE,
	    "qcow2: backing file '/etc/passwd' is an absolute name");
	expect_open_err(tu_at(dir, "up.qcow2"), IB_EUNSAFE,
	    "'x/../../etc/passwd' has a '..' component");
	expect_open_err(tu_at(dir, "dots.qcow2"), IB_EUNSAFE,
	    "'..' has a '..' component");
	/* Quoted, so that the name cannot drive a terminal. */
	expect_open_err(tu_at(dir, "esc.qcow2"), ENOENT,
	    "backing file '\\033[2J'");
	expect_open_err(tu_at(dir, "fmt.qcow2"), IB_EUNSUPPORTED,
	    "backing format 'vmdk' not supported");
	tu_rmtree(dir);
}
END_TEST

/* Without a format extension the backing file's format is its magic:
 * a raw file of 1000 bytes under a 1 MiB overlay reads as its bytes,
 * then zeros; a qcow2 one as its guest bytes. */
START_TEST(test_backing_probed_and_short)
{
	char dir[4096];
	unsigned char raw[1000], got[4096];
	ib_qcow2 *q;
	ib_err err;
	size_t i;
	int fd;

	tu_mkdtemp(dir, sizeof(dir), "check_qcow2");
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i % 251 + 1);
	fd = open(tu_at(dir, "base.raw"), O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, raw, sizeof(raw)), (ssize_t)sizeof(raw));
	close(fd);
	backed_image(dir, "over.qcow2", MiB, "base.raw", NULL);
	backed_image(dir, "base.qcow2", 512, NULL, NULL);
	backed_image(dir, "over2.qcow2", MiB, "base.qcow2", NULL);
	ib_err_clear(&err);
	q = ib_qcow2_open(tu_at(dir, "over.qcow2"), &err);
	ck_assert_msg(q != NULL, "%s", err.msg);
	memset(got, 0xee, sizeof(got));
	ck_assert_int_eq(ib_qcow2_pread(q, got, sizeof(got), 0, &err), 0);
	ck_assert(memcmp(got, raw, sizeof(raw)) == 0);
	for (i = sizeof(raw); i < sizeof(got); i++)
		ck_assert_uint_eq(got[i], 0);
	ib_qcow2_close(q);
	q = ib_qcow2_open(tu_at(dir, "over2.qcow2"), &err);
	ck_assert_msg(q != NULL, "%s", err.msg);
	memset(got, 0xee, sizeof(got));
	ck_assert_int_eq(ib_qcow2_pread(q, got, sizeof(got), 0, &err), 0);
	for (i = 0; i < sizeof(got); i++)
		ck_assert_uint_eq(got[i], 0);
	ib_qcow2_close(q);
	tu_rmtree(dir);
}
END_TEST

/* An image opened from memory has no directory: its backing name is
 * not followed. A NUL inside the name is malformed. */
START_TEST(test_backing_without_path)
{
	struct flat f = data_image(0);
	ib_err err;

	ib_put_be64(f.p + 8, 512);
	ib_put_be32(f.p + 16, 4);
	memcpy(f.p + 512, "base", 4);
	tu_expect_err(open_flat(&f, &err) == NULL ? -1 : 0, &err,
	    IB_EUNSUPPORTED,
	    "backing file 'base' not followed: the image was not opened by "
	    "its path");
	f.p[514] = '\0';
	tu_expect_err(open_flat(&f, &err) == NULL ? -1 : 0, &err, IB_EFORMAT,
	    "backing file name has a NUL byte");
	free(f.p);
}
END_TEST

static void
add(Suite *s, const char *name, const TTest *t)
{
	tcase_set_timeout(tu_add(s, name, t), 120);
}

static Suite *
qcow2_suite(void)
{
	Suite *s = suite_create("qcow2");

	add(s, "round_trip_sizes", test_round_trip_sizes);
	add(s, "max_size_value", test_max_size_value);
	add(s, "header_fields", test_header_fields);
	add(s, "emit_refuses_sizes", test_emit_refuses_sizes);
	add(s, "emit_put_fails", test_emit_put_fails);
	add(s, "read_bad_magic", test_read_bad_magic);
	add(s, "read_version_4", test_read_version_4);
	add(s, "read_cluster_bits_30", test_read_cluster_bits_30);
	add(s, "read_l1_past_eof", test_read_l1_past_eof);
	add(s, "read_l1_not_aligned", test_read_l1_not_aligned);
	add(s, "read_l1_too_small", test_read_l1_too_small);
	add(s, "read_l1_over_limit", test_read_l1_over_limit);
	add(s, "read_overlapping_tables", test_read_overlapping_tables);
	add(s, "read_metadata_refcount_0", test_read_metadata_refcount_0);
	add(s, "read_refcount_block_bad_entry",
	    test_read_refcount_block_bad_entry);
	add(s, "read_refcount_table_fields", test_read_refcount_table_fields);
	add(s, "read_header_fields", test_read_header_fields);
	add(s, "read_feature_bits", test_read_feature_bits);
	add(s, "read_extension_overrun", test_read_extension_overrun);
	add(s, "read_short_files", test_read_short_files);
	add(s, "read_l1_entries", test_read_l1_entries);
	add(s, "read_counts_data_clusters", test_read_counts_data_clusters);
	add(s, "read_get_fails", test_read_get_fails);
	add(s, "read_max_size_reads", test_read_max_size_reads);
	add(s, "write_file", test_write_file);
	add(s, "write_refuses_fd", test_write_refuses_fd);
	add(s, "write_efbig", test_write_efbig);
	add(s, "qemu_check_info", test_qemu_check_info);
	add(s, "qemu_convert_raw", test_qemu_convert_raw);
	add(s, "qemu_made_images_read", test_qemu_made_images_read);
	add(s, "qemu_data_clusters", test_qemu_data_clusters);
	add(s, "pread_cluster_kinds", test_pread_cluster_kinds);
	add(s, "pread_past_disk_end", test_pread_past_disk_end);
	add(s, "l2_table_past_eof", test_l2_table_past_eof);
	add(s, "data_cluster_past_eof", test_data_cluster_past_eof);
	add(s, "l2_reserved_bits", test_l2_reserved_bits);
	add(s, "compressed_size_past_eof", test_compressed_size_past_eof);
	add(s, "compressed_inflates_past_cluster",
	    test_compressed_inflates_past_cluster);
	add(s, "refused_features", test_refused_features);
	add(s, "backing_chain_loop", test_backing_chain_loop);
	add(s, "backing_depth_past_limit", test_backing_depth_past_limit);
	add(s, "backing_name_absolute", test_backing_name_absolute);
	add(s, "backing_probed_and_short", test_backing_probed_and_short);
	add(s, "backing_without_path", test_backing_without_path);
	return s;
}

int
main(void)
{
	return tu_run(qcow2_suite());
}
