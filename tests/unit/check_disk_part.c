/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_disk_part: partition tables and filesystem signatures, from disks
 * built here in memory. Each disk is handed over in an exactly-sized
 * malloc, so ASan sees a one-byte over-read; the reader fails the test on
 * any read outside the disk. Hostile tables are named after their defect.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <check.h>

#include "bounds.h"
#include "bytes.h"
#include "disk_part.h"
#include "disk_probe.h"
#include "testutil.h"

struct mem {
	unsigned char *p;
	size_t n;
	unsigned reads;
};

static int
mem_read(void *ctx, void *buf, size_t len, uint64_t off, ib_err *err)
{
	struct mem *m = ctx;

	(void)err;
	ck_assert_msg(off <= m->n && len <= m->n - off,
	    "read %zu at %llu outside the %zu-byte disk", len,
	    (unsigned long long)off, m->n);
	memcpy(buf, m->p + off, len);
	m->reads++;
	return 0;
}

static struct mem disk;
static ib_disk_reader rd;

/* A zeroed disk of n bytes, exactly sized. */
static unsigned char *
new_disk(size_t n)
{
	disk.p = calloc(1, n);
	ck_assert_ptr_nonnull(disk.p);
	disk.n = n;
	disk.reads = 0;
	rd.read = mem_read;
	rd.ctx = &disk;
	rd.size = n;
	return disk.p;
}

static void
put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
put_le64(unsigned char *p, uint64_t v)
{
	ib_put_le32(p, (uint32_t)v);
	ib_put_le32(p + 4, (uint32_t)(v >> 32));
}

/* MBR (or EBR) entry slot of the sector at s. */
static void
mbr_set(unsigned char *s, int slot, int boot, int type, uint32_t start,
    uint32_t len)
{
	unsigned char *e = s + 446 + 16 * slot;

	e[0] = (unsigned char)boot;
	e[4] = (unsigned char)type;
	ib_put_le32(e + 8, start);
	ib_put_le32(e + 12, len);
	s[510] = 0x55;
	s[511] = 0xAA;
}

static ib_disk_table *
read_ok(void)
{
	ib_err err;
	ib_disk_table *t;

	ib_err_clear(&err);
	t = ib_disk_table_new(&rd, &err);
	ck_assert_msg(t != NULL, "%s", err.msg);
	return t;
}

static void
read_fails(int code, const char *sub)
{
	ib_err err;
	ib_disk_table *t;

	ib_err_clear(&err);
	t = ib_disk_table_new(&rd, &err);
	ck_assert_ptr_null(t);
	tu_expect_err(-1, &err, code, sub);
}

/* 1 MiB: primaries at 2048, 4096; extended 8192..; logicals 5, 6. */
static void
build_mbr(void)
{
	unsigned char *d = new_disk(1024 * 1024);

	mbr_set(d, 0, 0x80, 0x83, 100, 100);
	mbr_set(d, 1, 0, 0x0c, 200, 100);
	mbr_set(d, 3, 0, 0x05, 1000, 1000);
	/* EBR 1 at 1000: logical at +1, link to 1100 (ext-relative 100). */
	mbr_set(d + 1000 * 512, 0, 0, 0x83, 1, 50);
	mbr_set(d + 1000 * 512, 1, 0, 0x05, 100, 60);
	/* EBR 2 at 1100: logical at +2, end of chain. */
	mbr_set(d + 1100 * 512, 0, 0, 0x82, 2, 40);
}

START_TEST(test_mbr_numbers_logicals_from_5)
{
	ib_disk_table *t;

	build_mbr();
	t = read_ok();
	ck_assert_int_eq(t->scheme, IB_DISK_MBR);
	ck_assert_uint_eq(t->count, 5);
	ck_assert_uint_eq(t->parts[0].num, 1);
	ck_assert(t->parts[0].bootable);
	ck_assert_uint_eq(t->parts[1].num, 2);
	ck_assert_uint_eq(t->parts[1].mbr_type, 0x0c);
	ck_assert_uint_eq(t->parts[2].num, 4);
	ck_assert(t->parts[2].extended);
	ck_assert_uint_eq(t->parts[3].num, 5);
	ck_assert(t->parts[3].logical);
	ck_assert_uint_eq(t->parts[3].first_lba, 1001);
	ck_assert_uint_eq(t->parts[3].start, 1001 * 512);
	ck_assert_uint_eq(t->parts[4].num, 6);
	ck_assert_uint_eq(t->parts[4].first_lba, 1102);
	ck_assert_uint_eq(t->parts[4].size, 40 * 512);
	ck_assert_str_eq(t->note, "");
	ib_disk_table_free(t);
	free(disk.p);
}
END_TEST

START_TEST(test_ebr_loop_back_to_first)
{
	build_mbr();
	/* EBR 2's link (slot 2) points back at EBR 1 (relative 0). */
	mbr_set(disk.p + 1100 * 512, 1, 0, 0x05, 0, 60);
	read_fails(IB_EFORMAT, "MBR: EBR chain loops back to sector 1000");
	free(disk.p);
}
END_TEST

START_TEST(test_ebr_self_loop)
{
	build_mbr();
	/* EBR 1 links to itself. */
	mbr_set(disk.p + 1000 * 512, 1, 0, 0x05, 0, 60);
	read_fails(IB_EFORMAT, "loops back to sector 1000");
	free(disk.p);
}
END_TEST

START_TEST(test_ebr_chain_past_limit)
{
	unsigned char *d = new_disk(4 * 1024 * 1024);
	uint32_t i, n = IB_MAX_EBR + 10, ext = 100;

	mbr_set(d, 0, 0, 0x05, ext, 2 * n + 10);
	for (i = 0; i < n; i++) {
		unsigned char *s = d + (size_t)(ext + 2 * i) * 512;

		mbr_set(s, 0, 0, 0x83, 1, 1);
		mbr_set(s, 1, 0, 0x05, 2 * (i + 1), 2);
	}
	read_fails(IB_ELIMIT, "IB_MAX_EBR");
	ck_assert_uint_le(disk.reads, IB_MAX_EBR + 1);
	free(disk.p);
}
END_TEST

START_TEST(test_ebr_link_outside_extended)
{
	build_mbr();
	mbr_set(disk.p + 1100 * 512, 1, 0, 0x05, 5000, 60);
	read_fails(IB_EFORMAT, "outside the extended partition");
	free(disk.p);
}
END_TEST

START_TEST(test_logical_outside_extended)
{
	build_mbr();
	mbr_set(disk.p + 1100 * 512, 0, 0, 0x83, 2, 4000);
	read_fails(IB_EFORMAT, "partition 6 (sectors 1102+4000) is outside");
	free(disk.p);
}
END_TEST

START_TEST(test_mbr_partition_past_disk_end)
{
	unsigned char *d = new_disk(1024 * 1024);

	/* 2048 sectors; the partition ends at 2049. */
	mbr_set(d, 1, 0, 0x83, 2000, 49);
	read_fails(IB_EFORMAT,
	    "MBR: partition 2 (sectors 2000+49) ends past the disk end (2048 "
	    "sectors)");
	free(disk.p);
}
END_TEST

START_TEST(test_mbr_overlap_refused)
{
	unsigned char *d = new_disk(1024 * 1024);

	/* Overlapping partitions are refused: which one holds the bytes? */
	mbr_set(d, 0, 0, 0x83, 100, 100);
	mbr_set(d, 2, 0, 0x83, 150, 100);
	read_fails(IB_EFORMAT, "MBR: partitions 1 and 3 overlap");
	free(disk.p);
}
END_TEST

START_TEST(test_mbr_logical_overlaps_primary)
{
	build_mbr();
	/* Primary 2 moved inside the extended partition, over logical 5. */
	mbr_set(disk.p, 1, 0, 0x83, 1001, 10);
	read_fails(IB_EFORMAT, "overlap");
	free(disk.p);
}
END_TEST

START_TEST(test_mbr_two_extended)
{
	build_mbr();
	mbr_set(disk.p, 2, 0, 0x0f, 1500, 10);
	read_fails(IB_EFORMAT, "partitions 3 and 4 are both extended");
	free(disk.p);
}
END_TEST

START_TEST(test_fat_boot_sector_is_no_table)
{
	unsigned char *d = new_disk(64 * 1024);
	ib_disk_table *t;

	/* A FAT BPB with 55 AA and entry-like bytes: a bare filesystem. */
	d[0] = 0xEB;
	put_le16(d + 11, 512);
	d[13] = 1;
	put_le16(d + 14, 1);
	d[16] = 2;
	d[21] = 0xF8;
	mbr_set(d, 0, 0, 0x83, 1, 10);
	t = read_ok();
	ck_assert_int_eq(t->scheme, IB_DISK_NONE);
	ck_assert_uint_eq(t->count, 0);
	ib_disk_table_free(t);
	free(disk.p);
}
END_TEST

START_TEST(test_bad_boot_indicator_is_no_table)
{
	unsigned char *d = new_disk(64 * 1024);
	ib_disk_table *t;

	mbr_set(d, 0, 0x12, 0x83, 1, 10);
	t = read_ok();
	ck_assert_int_eq(t->scheme, IB_DISK_NONE);
	ib_disk_table_free(t);
	free(disk.p);
}
END_TEST

/* GPT: 128 entries of 128 bytes; the disk has n sectors of ss bytes. */
#define NENT 128u
#define ESZ  128u

static void
gpt_entry(unsigned char *arr, unsigned i, unsigned char type0, uint64_t first,
    uint64_t last, const uint16_t *name, size_t nlen)
{
	unsigned char *e = arr + i * ESZ;
	size_t k;

	memset(e, 0, ESZ);
	/* C12A7328-F81F-11D2-BA4B-00A0C93EC93B (ESP), first byte varied. */
	ib_put_le32(e, 0xC12A7328);
	put_le16(e + 4, 0xF81F);
	put_le16(e + 6, 0x11D2);
	memcpy(e + 8, "\xBA\x4B\x00\xA0\xC9\x3E\xC9\x3B", 8);
	e[0] ^= type0;
	e[16] = (unsigned char)(i + 1); /* unique GUID */
	put_le64(e + 32, first);
	put_le64(e + 40, last);
	for (k = 0; k < nlen && k < 36; k++)
		put_le16(e + 56 + 2 * k, name[k]);
}

/* Write header (at lba, entries at alba) with CRCs over count entries. */
static void
gpt_header(unsigned char *d, unsigned ss, uint64_t lba, uint64_t alt,
    uint64_t alba, uint64_t nsec, uint32_t count)
{
	unsigned char *h = d + lba * ss;

	memset(h, 0, ss);
	memcpy(h, "EFI PART", 8);
	ib_put_le32(h + 8, 0x00010000);
	ib_put_le32(h + 12, 92);
	put_le64(h + 24, lba);
	put_le64(h + 32, alt);
	put_le64(h + 40, 34);
	put_le64(h + 48, nsec - 34);
	memset(h + 56, 0x5A, 16);
	put_le64(h + 72, alba);
	ib_put_le32(h + 80, count);
	ib_put_le32(h + 84, ESZ);
	ib_put_le32(h + 88,
	    (uint32_t)crc32(0, d + alba * ss, (uInt)(NENT * ESZ)));
	ib_put_le32(h + 16, (uint32_t)crc32(0, h, 92));
}

/* Recompute the header CRC at lba after a field was patched. */
static void
gpt_recrc(unsigned char *d, unsigned ss, uint64_t lba)
{
	unsigned char *h = d + lba * ss;

	ib_put_le32(h + 16, 0);
	ib_put_le32(h + 16, (uint32_t)crc32(0, h, 92));
}

static const uint16_t name_esp[] = { 'E', 'S', 'P', 0x00FC, 0xD83D, 0xDE00 };

/* A GPT disk of nsec sectors of ss bytes: pMBR, both headers, entries 1
 * (ESP "ESPü😀"), 3 (varied type); entry 2 unused. */
static void
build_gpt(unsigned ss, uint64_t nsec)
{
	unsigned char *d = new_disk((size_t)(ss * nsec));
	uint64_t asz = NENT * ESZ / ss, last = nsec - 1;

	mbr_set(d, 0, 0, 0xEE, 1, (uint32_t)(nsec - 1));
	gpt_entry(d + 2 * ss, 0, 0, 40, 99, name_esp, 6);
	gpt_entry(d + 2 * ss, 2, 1, 100, 199, NULL, 0);
	memcpy(d + (last - asz) * ss, d + 2 * ss, NENT * ESZ);
	gpt_header(d, ss, 1, last, 2, nsec, NENT);
	gpt_header(d, ss, last, 1, last - asz, nsec, NENT);
}

START_TEST(test_gpt_numbers_by_index_names_utf8)
{
	ib_disk_table *t;

	build_gpt(512, 2048);
	t = read_ok();
	ck_assert_int_eq(t->scheme, IB_DISK_GPT);
	ck_assert_uint_eq(t->sector, 512);
	ck_assert_uint_eq(t->count, 2);
	ck_assert_uint_eq(t->parts[0].num, 1);
	ck_assert_uint_eq(t->parts[0].first_lba, 40);
	ck_assert_uint_eq(t->parts[0].sectors, 60);
	ck_assert_str_eq(t->parts[0].type_guid,
	    "C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
	ck_assert_str_eq(t->parts[0].type, "EFI System");
	ck_assert_str_eq(t->parts[0].name, "ESP\xC3\xBC\xF0\x9F\x98\x80");
	ck_assert_uint_eq(t->parts[1].num, 3);
	ck_assert_ptr_null(t->parts[1].type);
	ck_assert_str_eq(t->id, "5A5A5A5A-5A5A-5A5A-5A5A-5A5A5A5A5A5A");
	ck_assert_str_eq(t->note, "");
	ib_disk_table_free(t);
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_lone_surrogate_becomes_fffd)
{
	static const uint16_t bad[] = { 'a', 0xDC00, 'b', 0xD800 };
	ib_disk_table *t;

	build_gpt(512, 2048);
	gpt_entry(disk.p + 1024, 0, 0, 40, 99, bad, 4);
	memcpy(disk.p + (2047 - 32) * 512, disk.p + 1024, NENT * ESZ);
	gpt_header(disk.p, 512, 1, 2047, 2, 2048, NENT);
	gpt_header(disk.p, 512, 2047, 1, 2047 - 32, 2048, NENT);
	t = read_ok();
	ck_assert_str_eq(t->parts[0].name,
	    "a\xEF\xBF\xBD"
	    "b\xEF\xBF\xBD");
	ib_disk_table_free(t);
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_4096_byte_sectors)
{
	ib_disk_table *t;

	build_gpt(4096, 512);
	t = read_ok();
	ck_assert_uint_eq(t->sector, 4096);
	ck_assert_uint_eq(t->parts[0].start, 40 * 4096);
	ck_assert_uint_eq(t->parts[1].size, 100 * 4096);
	ib_disk_table_free(t);
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_header_crc_bad_uses_backup)
{
	ib_disk_table *t;

	build_gpt(512, 2048);
	disk.p[512 + 60] ^= 1; /* the disk GUID, under the header CRC */
	t = read_ok();
	ck_assert_str_eq(t->note,
	    "GPT: header CRC mismatch (primary); using the backup at LBA "
	    "2047");
	ck_assert_uint_eq(t->count, 2);
	ck_assert_uint_eq(t->parts[1].num, 3);
	ib_disk_table_free(t);
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_entry_crc_bad_uses_backup)
{
	ib_disk_table *t;

	build_gpt(512, 2048);
	disk.p[1024 + 56] ^= 1; /* entry 1's name, under the array CRC */
	t = read_ok();
	ck_assert_ptr_nonnull(strstr(t->note,
	    "GPT: entry array CRC mismatch (primary); using the backup"));
	ck_assert_str_eq(t->parts[0].name, "ESP\xC3\xBC\xF0\x9F\x98\x80");
	ib_disk_table_free(t);
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_both_headers_bad)
{
	build_gpt(512, 2048);
	disk.p[512 + 60] ^= 1;
	disk.p[2047 * 512 + 60] ^= 1;
	read_fails(IB_EFORMAT,
	    "GPT: header CRC mismatch (primary); header CRC mismatch (backup "
	    "at LBA 2047)");
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_primary_missing_uses_backup)
{
	ib_disk_table *t;

	build_gpt(512, 2048);
	memset(disk.p + 512, 0, 512);
	t = read_ok();
	ck_assert_ptr_nonnull(strstr(t->note, "no header signature at LBA 1"));
	ib_disk_table_free(t);
	free(disk.p);
}
END_TEST

/* Set a header field (4 or 8 bytes at field) in both headers, CRCs
 * recomputed: the damage is consistent, so the backup cannot help. */
static void
gpt_set_both(unsigned field, uint64_t v, int width)
{
	uint64_t lba[2] = { 1, 2047 };
	int i;

	for (i = 0; i < 2; i++) {
		if (width == 8)
			put_le64(disk.p + lba[i] * 512 + field, v);
		else
			ib_put_le32(disk.p + lba[i] * 512 + field, (uint32_t)v);
		gpt_recrc(disk.p, 512, lba[i]);
	}
}

START_TEST(test_gpt_entry_array_past_disk_end)
{
	build_gpt(512, 2048);
	/* Both headers put their arrays at LBA 2040: 32 sectors past. */
	gpt_set_both(72, 2040, 8);
	read_fails(IB_EFORMAT, "entry array (LBA 2040, 16384 bytes) is past");
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_huge_entry_count)
{
	build_gpt(512, 2048);
	gpt_set_both(80, 0xFFFFFFFFu, 4);
	read_fails(IB_ELIMIT, "more than IB_MAX_GPT_ENTRIES");
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_huge_entry_size)
{
	build_gpt(512, 2048);
	gpt_set_both(84, 1u << 30, 4);
	read_fails(IB_ELIMIT, "IB_MAX_GPT_ARRAY");
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_entry_size_not_power_of_2)
{
	build_gpt(512, 2048);
	ib_put_le32(disk.p + 512 + 84, 129);
	gpt_recrc(disk.p, 512, 1);
	disk.p[2047 * 512 + 60] ^= 1;
	read_fails(IB_EFORMAT, "entry size 129 is not 128 times a power of 2");
	free(disk.p);
}
END_TEST

/* Rewrite both arrays and headers after entries were changed. */
static void
gpt_reseal(void)
{
	memcpy(disk.p + (2047 - 32) * 512, disk.p + 1024, NENT * ESZ);
	gpt_header(disk.p, 512, 1, 2047, 2, 2048, NENT);
	gpt_header(disk.p, 512, 2047, 1, 2047 - 32, 2048, NENT);
}

START_TEST(test_gpt_partition_past_usable)
{
	build_gpt(512, 2048);
	gpt_entry(disk.p + 1024, 2, 1, 100, 5000, NULL, 0);
	gpt_reseal();
	read_fails(IB_EFORMAT,
	    "GPT: partition 3 (LBA 100-5000) is outside the usable LBAs "
	    "34-2014");
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_partition_ends_before_start)
{
	build_gpt(512, 2048);
	gpt_entry(disk.p + 1024, 2, 1, 200, 100, NULL, 0);
	gpt_reseal();
	read_fails(IB_EFORMAT, "partition 3 (LBA 200-100)");
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_overlap_refused)
{
	build_gpt(512, 2048);
	gpt_entry(disk.p + 1024, 5, 2, 150, 160, NULL, 0);
	gpt_reseal();
	read_fails(IB_EFORMAT, "GPT: partitions 3 and 6 overlap");
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_header_size_too_big)
{
	build_gpt(512, 2048);
	ib_put_le32(disk.p + 512 + 12, 513);
	disk.p[2047 * 512 + 60] ^= 1;
	read_fails(IB_EFORMAT, "header size 513 is not 92 to 512 (primary)");
	free(disk.p);
}
END_TEST

START_TEST(test_gpt_tiny_disk)
{
	unsigned char *d = new_disk(1024);

	mbr_set(d, 0, 0, 0xEE, 1, 1);
	read_fails(IB_EFORMAT, "GPT: the disk is too small");
	free(disk.p);
}
END_TEST

START_TEST(test_reader_refuses_past_end)
{
	unsigned char buf[16];
	ib_err err;

	new_disk(100);
	tu_expect_err(ib_disk_read(&rd, buf, 16, 90, "x", &err), &err,
	    IB_EFORMAT, "x: bytes 90+16 are past the disk end (100 bytes)");
	tu_expect_err(ib_disk_read(&rd, buf, 1, UINT64_MAX, "x", &err), &err,
	    IB_EFORMAT, "past the disk end");
	free(disk.p);
}
END_TEST

START_TEST(test_reader_fd_size)
{
	char dir[4096];
	unsigned char buf[4];
	ib_disk_reader r;
	ib_err err;
	int fd;

	tu_mkdtemp(dir, sizeof(dir), "check_disk_part");
	tu_put_n(dir, "img", "abcdefgh", 8);
	fd = open(tu_at(dir, "img"), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ib_disk_reader_fd(&r, &fd, &err), 0);
	ck_assert_uint_eq(r.size, 8);
	ck_assert_int_eq(ib_disk_read(&r, buf, 4, 4, "x", &err), 0);
	ck_assert_int_eq(memcmp(buf, "efgh", 4), 0);
	close(fd);
	tu_rmtree(dir);
}
END_TEST

/* Probing. */

static void
probe_ok(uint64_t off, uint64_t len, ib_disk_fs *fs)
{
	ib_err err;

	ib_err_clear(&err);
	ck_assert_msg(ib_disk_probe(&rd, off, len, fs, &err) == 0, "%s",
	    err.msg);
}

/* An ext superblock at 1024 with these feature words. */
static void
ext_sb(unsigned char *d, uint32_t compat, uint32_t incompat, uint32_t ro)
{
	unsigned char *sb = d + 1024;

	put_le16(sb + 56, 0xEF53);
	ib_put_le32(sb + 92, compat);
	ib_put_le32(sb + 96, incompat);
	ib_put_le32(sb + 100, ro);
	memset(sb + 104, 0xAB, 16);
	memcpy(sb + 120, "rootfs\0\0\0\0\0\0\0\0\0\0", 16);
}

START_TEST(test_probe_ext_kind_from_features)
{
	ib_disk_fs fs;

	new_disk(8192);
	ext_sb(disk.p, 0, 0x2, 0x3);
	probe_ok(0, 8192, &fs);
	ck_assert_int_eq(fs.kind, IB_DISK_FS_EXT2);
	ck_assert(fs.readable);
	ext_sb(disk.p, 0x4, 0x2, 0x3);
	probe_ok(0, 8192, &fs);
	ck_assert_str_eq(fs.type, "ext3");
	ext_sb(disk.p, 0x4, 0x2 | 0x40, 0x3); /* extents */
	probe_ok(0, 8192, &fs);
	ck_assert_str_eq(fs.type, "ext4");
	ck_assert_str_eq(fs.uuid, "abababab-abab-abab-abab-abababababab");
	ck_assert_str_eq(fs.label, "rootfs");
	ext_sb(disk.p, 0, 0x2, 0x400); /* metadata_csum, no journal */
	probe_ok(0, 8192, &fs);
	ck_assert_str_eq(fs.type, "ext4");
	free(disk.p);
}
END_TEST

START_TEST(test_probe_ext_cut_short_is_unknown)
{
	ib_disk_fs fs;

	/* The superblock's magic is there but the partition ends at 1100:
	 * nothing past its end is read. */
	new_disk(8192);
	ext_sb(disk.p, 0, 0x2, 0x3);
	probe_ok(0, 1100, &fs);
	ck_assert_int_eq(fs.kind, IB_DISK_FS_UNKNOWN);
	ck_assert_ptr_null(fs.type);
	ck_assert(!fs.readable);
	free(disk.p);
}
END_TEST

START_TEST(test_probe_lvm_uuid_dashed)
{
	ib_disk_fs fs;
	unsigned char *s;

	new_disk(8192);
	s = disk.p + 512; /* the label may be in sector 1 */
	memcpy(s, "LABELONE", 8);
	ib_put_le32(s + 20, 32);
	memcpy(s + 24, "LVM2 001", 8);
	memcpy(s + 32, "abcdefghijklmnopqrstuvwxyz012345", 32);
	probe_ok(0, 8192, &fs);
	ck_assert_str_eq(fs.type, "LVM2_member");
	ck_assert_str_eq(fs.uuid, "abcdef-ghij-klmn-opqr-stuv-wxyz-012345");
	ck_assert(!fs.readable);
	free(disk.p);
}
END_TEST

START_TEST(test_probe_lvm_offset_past_head)
{
	ib_disk_fs fs;

	new_disk(8192);
	memcpy(disk.p, "LABELONE", 8);
	ib_put_le32(disk.p + 20, 0xFFFFFFF0u);
	memcpy(disk.p + 24, "LVM2 001", 8);
	probe_ok(0, 8192, &fs);
	ck_assert_int_eq(fs.kind, IB_DISK_FS_UNKNOWN);
	free(disk.p);
}
END_TEST

START_TEST(test_probe_zfs_wants_four_uberblocks)
{
	ib_disk_fs fs;
	int i;

	new_disk(512 * 1024);
	for (i = 0; i < 3; i++)
		put_le64(disk.p + 131072 + 1024 * i, 0x00bab10c);
	probe_ok(0, 512 * 1024, &fs);
	ck_assert_int_eq(fs.kind, IB_DISK_FS_UNKNOWN);
	ib_put_be32(disk.p + 131072 + 8192 + 4, 0x00bab10c);
	probe_ok(0, 512 * 1024, &fs);
	ck_assert_str_eq(fs.type, "zfs_member");
	ck_assert_str_eq(fs.name, "a ZFS pool member");
	free(disk.p);
}
END_TEST

START_TEST(test_probe_ntfs_serial)
{
	ib_disk_fs fs;

	new_disk(4096);
	memcpy(disk.p + 3, "NTFS    ", 8);
	put_le64(disk.p + 72, UINT64_C(0x0123456789ABCDEF));
	probe_ok(0, 4096, &fs);
	ck_assert_str_eq(fs.type, "ntfs");
	ck_assert_str_eq(fs.uuid, "0123456789ABCDEF");
	free(disk.p);
}
END_TEST

START_TEST(test_probe_fat_bad_bpb_is_unknown)
{
	ib_disk_fs fs;

	new_disk(4096);
	disk.p[0] = 0xEB;
	put_le16(disk.p + 11, 512);
	disk.p[13] = 3; /* sectors per cluster: not a power of 2 */
	put_le16(disk.p + 14, 1);
	disk.p[16] = 2;
	disk.p[21] = 0xF8;
	put_le16(disk.p + 19, 8);
	put_le16(disk.p + 22, 1);
	disk.p[510] = 0x55;
	disk.p[511] = 0xAA;
	probe_ok(0, 4096, &fs);
	ck_assert_int_eq(fs.kind, IB_DISK_FS_UNKNOWN);
	disk.p[13] = 1;
	probe_ok(0, 4096, &fs);
	ck_assert_int_eq(fs.kind, IB_DISK_FS_FAT12);
	ck_assert_str_eq(fs.type, "vfat");
	free(disk.p);
}
END_TEST

START_TEST(test_probe_luks2_label)
{
	ib_disk_fs fs;

	new_disk(4096);
	memcpy(disk.p, "LUKS\xba\xbe\x00\x02", 8);
	memcpy(disk.p + 24, "crypt", 5);
	memcpy(disk.p + 168, "0a1b2c3d-0000-4000-8000-000000000000", 36);
	probe_ok(0, 4096, &fs);
	ck_assert_int_eq(fs.kind, IB_DISK_FS_LUKS2);
	ck_assert_str_eq(fs.label, "crypt");
	ck_assert_str_eq(fs.uuid, "0a1b2c3d-0000-4000-8000-000000000000");
	free(disk.p);
}
END_TEST

START_TEST(test_probe_range_past_disk_end)
{
	ib_disk_fs fs;
	ib_err err;

	new_disk(4096);
	tu_expect_err(ib_disk_probe(&rd, 4000, 200, &fs, &err), &err,
	    IB_EFORMAT, "probe: bytes 4000+200 are past the disk end");
	tu_expect_err(ib_disk_probe(&rd, UINT64_MAX, 2, &fs, &err), &err,
	    IB_EFORMAT, "past the disk end");
	free(disk.p);
}
END_TEST

START_TEST(test_probe_empty_partition)
{
	ib_disk_fs fs;

	new_disk(4096);
	probe_ok(4096, 0, &fs);
	ck_assert_int_eq(fs.kind, IB_DISK_FS_UNKNOWN);
	free(disk.p);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("disk_part");

	tu_add(s, "mbr", test_mbr_numbers_logicals_from_5);
	tu_add(s, "ebr_loop", test_ebr_loop_back_to_first);
	tu_add(s, "ebr_self_loop", test_ebr_self_loop);
	tu_add(s, "ebr_limit", test_ebr_chain_past_limit);
	tu_add(s, "ebr_outside", test_ebr_link_outside_extended);
	tu_add(s, "logical_outside", test_logical_outside_extended);
	tu_add(s, "mbr_past_end", test_mbr_partition_past_disk_end);
	tu_add(s, "mbr_overlap", test_mbr_overlap_refused);
	tu_add(s, "mbr_overlap_logical", test_mbr_logical_overlaps_primary);
	tu_add(s, "mbr_two_extended", test_mbr_two_extended);
	tu_add(s, "fat_no_table", test_fat_boot_sector_is_no_table);
	tu_add(s, "bad_boot_ind", test_bad_boot_indicator_is_no_table);
	tu_add(s, "gpt", test_gpt_numbers_by_index_names_utf8);
	tu_add(s, "gpt_surrogate", test_gpt_lone_surrogate_becomes_fffd);
	tu_add(s, "gpt_4k", test_gpt_4096_byte_sectors);
	tu_add(s, "gpt_backup", test_gpt_header_crc_bad_uses_backup);
	tu_add(s, "gpt_backup_array", test_gpt_entry_crc_bad_uses_backup);
	tu_add(s, "gpt_both_bad", test_gpt_both_headers_bad);
	tu_add(s, "gpt_missing", test_gpt_primary_missing_uses_backup);
	tu_add(s, "gpt_array_past_end", test_gpt_entry_array_past_disk_end);
	tu_add(s, "gpt_huge_count", test_gpt_huge_entry_count);
	tu_add(s, "gpt_huge_esize", test_gpt_huge_entry_size);
	tu_add(s, "gpt_esize", test_gpt_entry_size_not_power_of_2);
	tu_add(s, "gpt_past_usable", test_gpt_partition_past_usable);
	tu_add(s, "gpt_reversed", test_gpt_partition_ends_before_start);
	tu_add(s, "gpt_overlap", test_gpt_overlap_refused);
	tu_add(s, "gpt_hsize", test_gpt_header_size_too_big);
	tu_add(s, "gpt_tiny", test_gpt_tiny_disk);
	tu_add(s, "reader_bounds", test_reader_refuses_past_end);
	tu_add(s, "reader_fd", test_reader_fd_size);
	tu_add(s, "probe_ext", test_probe_ext_kind_from_features);
	tu_add(s, "probe_ext_short", test_probe_ext_cut_short_is_unknown);
	tu_add(s, "probe_lvm", test_probe_lvm_uuid_dashed);
	tu_add(s, "probe_lvm_offset", test_probe_lvm_offset_past_head);
	tu_add(s, "probe_zfs", test_probe_zfs_wants_four_uberblocks);
	tu_add(s, "probe_ntfs", test_probe_ntfs_serial);
	tu_add(s, "probe_fat_bpb", test_probe_fat_bad_bpb_is_unknown);
	tu_add(s, "probe_luks2", test_probe_luks2_label);
	tu_add(s, "probe_range", test_probe_range_past_disk_end);
	tu_add(s, "probe_empty", test_probe_empty_partition);
	return s;
}

int
main(void)
{
	return tu_run(suite());
}
