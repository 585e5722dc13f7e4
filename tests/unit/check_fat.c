/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_fat: directory entries mtools never writes, in a FAT12 volume
 * built here in memory (an exactly-sized malloc, so that ASan sees a
 * one-byte over-read; the reader fails the test on a read outside it):
 * long names whose checksum or order is wrong, orphan pieces, the 0x05
 * first byte, NT case flags on both parts, a volume label, the end
 * marker, a long name "..", a '/' in an 8.3 name; FAT12 entries across
 * a sector boundary; a bad-cluster mark; a BPB that makes the wrong FAT
 * type. tests/e2e/fat-read.sh reads what mkfs.fat and mtools make.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bytes.h"
#include "fat.h"
#include "testutil.h"

/* The volume: 512 sectors of 512 bytes; 1 reserved, one FAT of 2
 * sectors, a root of 16 entries (sector 3), 508 clusters of one sector
 * from sector 4: FAT12. */
#define SEC   512u
#define TOTAL 512u
#define ROOT  (3 * SEC)
#define DATA  (4 * SEC)

static unsigned char *img;
static ib_disk_reader rd;

static int
mem_read(void *ctx, void *buf, size_t len, uint64_t off, ib_err *err)
{
	(void)ctx;
	(void)err;
	ck_assert_msg(off <= SEC * TOTAL && len <= SEC * TOTAL - off,
	    "read %zu at %llu outside the volume", len,
	    (unsigned long long)off);
	memcpy(buf, img + off, len);
	return 0;
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

/* FAT12 entry n := v, 12 bits at byte n + n/2 of the FAT. */
static void
set_fat(unsigned n, unsigned v)
{
	unsigned char *p = img + SEC + n + n / 2;

	if (n % 2 == 0) {
		p[0] = (unsigned char)v;
		p[1] = (unsigned char)((p[1] & 0xF0) | (v >> 8));
	} else {
		p[0] = (unsigned char)((p[0] & 0x0F) | (v & 0x0F) << 4);
		p[1] = (unsigned char)(v >> 4);
	}
}

static void
new_volume(void)
{
	img = calloc(1, SEC * TOTAL);
	ck_assert_ptr_nonnull(img);
	memcpy(img, "\xEB\x3C\x90mkfs.fat", 11);
	put16(img + 11, SEC);
	img[13] = 1;        /* sectors per cluster */
	put16(img + 14, 1); /* reserved */
	img[16] = 1;        /* FATs */
	put16(img + 17, 16);
	put16(img + 19, TOTAL);
	img[21] = 0xF8;
	put16(img + 22, 2); /* FAT size */
	img[510] = 0x55;
	img[511] = 0xAA;
	set_fat(0, 0xFF8);
	set_fat(1, 0xFFF);
	rd.read = mem_read;
	rd.ctx = NULL;
	rd.size = SEC * TOTAL;
}

/* Root entry i: an 8.3 entry. */
static unsigned char *
put_short(unsigned i, const char *name11, unsigned attr, unsigned ntres,
    unsigned clus, uint32_t size)
{
	unsigned char *d = img + ROOT + 32 * i;

	memcpy(d, name11, 11);
	d[11] = (unsigned char)attr;
	d[12] = (unsigned char)ntres;
	put16(d + 26, clus);
	ib_put_le32(d + 28, size);
	return d;
}

/* Root entry i: the long-name piece ord (0x40 marks the first) of the
 * ASCII name s, 13 characters from (ord & 0x1F) - 1, with checksum sum. */
static void
put_lfn(unsigned i, unsigned ord, unsigned sum, const char *s)
{
	static const unsigned char at[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22,
		24, 28, 30 };
	unsigned char *d = img + ROOT + 32 * i;
	size_t k, from = ((ord & 0x1F) - 1) * 13, len = strlen(s);

	d[0] = (unsigned char)ord;
	d[11] = 0x0F;
	d[13] = (unsigned char)sum;
	for (k = 0; k < 13; k++)
		put16(d + at[k],
		    from + k < len      ? (unsigned char)s[from + k] :
		        from + k == len ? 0 :
		                          0xFFFF);
}

/* fatgen103's ChkSum() of an 11-byte name. */
static unsigned
sum_of(const char *name11)
{
	unsigned sum = 0, i;

	for (i = 0; i < 11; i++)
		sum =
		    (((sum & 1) << 7) + (sum >> 1) + (unsigned char)name11[i]) &
		    0xFF;
	return sum;
}

static int
add_name(void *ctx, const char *name, size_t len, const ib_vol_node *n,
    ib_err *err)
{
	char *out = ctx;
	size_t at = strlen(out);

	(void)n;
	(void)err;
	ck_assert_uint_lt(at + len + 2, 1024);
	memcpy(out + at, name, len);
	memcpy(out + at + len, "|", 2);
	return 0;
}

/* The root's names, "a|b|", into out (1024 bytes). */
static void
root_names(char *out)
{
	ib_vol *v;
	ib_vol_node root;
	ib_err err;

	out[0] = '\0';
	ib_err_clear(&err);
	v = ib_fat_open(&rd, 0, SEC * TOTAL, &err);
	ck_assert_msg(v != NULL, "%s", err.msg);
	ck_assert_int_eq(ib_vol_lookup(v, "/", true, &root, &err), 1);
	ck_assert_msg(ib_vol_readdir(v, &root, add_name, out, &err) == 0, "%s",
	    err.msg);
	ib_vol_close(v);
}

START_TEST(test_long_names_checked)
{
	char names[1024];

	new_volume();
	/* A long name whose checksum is not its short entry's. */
	put_lfn(0, 0x41, sum_of("BADSUM  TXT") ^ 1, "Bad Sum.txt");
	put_short(1, "BADSUM  TXT", 0x20, 0, 0, 0);
	/* An orphan piece 1 (no piece with 0x40 before it). */
	put_lfn(2, 0x01, sum_of("ORPHAN  TXT"), "Orphan.txt");
	put_short(3, "ORPHAN  TXT", 0x20, 0, 0, 0);
	/* Piece 2 of 2, then a deleted entry: piece 1 is missing. */
	put_lfn(4, 0x42, sum_of("BROKEN  TXT"), "Broken long name.txt");
	put_short(5, "\xE5XX     TXT", 0x20, 0, 0, 0);
	put_lfn(6, 0x01, sum_of("BROKEN  TXT"), "Broken long name.txt");
	put_short(7, "BROKEN  TXT", 0x20, 0, 0, 0);
	/* Two pieces in order: the long name. */
	put_lfn(8, 0x42, sum_of("GOOD    TXT"), "Good long name.txt");
	put_lfn(9, 0x01, sum_of("GOOD    TXT"), "Good long name.txt");
	put_short(10, "GOOD    TXT", 0x20, 0, 0, 0);
	/* A long name "..": not a name a file may have. */
	put_lfn(11, 0x41, sum_of("DOTDOT     "), "..");
	put_short(12, "DOTDOT     ", 0x10, 0, 5, 0);
	set_fat(5, 0xFFF);
	root_names(names);
	ck_assert_str_eq(names,
	    "BADSUM.TXT|ORPHAN.TXT|BROKEN.TXT|Good long name.txt|DOTDOT|");
	free(img);
}
END_TEST

START_TEST(test_short_names_case_label_end)
{
	char names[1024];

	new_volume();
	put_short(0, "ESP        ", 0x08, 0, 0, 0); /* the volume label */
	put_short(1, "VMLINUZ    ", 0x20, 0x08, 0, 0);
	put_short(2, "INITRD  IMG", 0x20, 0x18, 0, 0);
	put_short(3, "README  TXT", 0x20, 0x10, 0, 0);
	/* 0x05 stands for a first byte 0xE5: code page 437's sigma. */
	put_short(4,
	    "\x05"
	    "BC     TXT",
	    0x20, 0, 0, 0);
	/* A '/' no path could hold: the entry is left out. */
	put_short(5, "A/B     TXT", 0x20, 0, 0, 0);
	img[ROOT + 32 * 6] = 0; /* the end: nothing after it is read */
	put_short(7, "HIDDEN  TXT", 0x20, 0, 0, 0);
	root_names(names);
	ck_assert_str_eq(names,
	    "vmlinuz|initrd.img|README.txt|\xCF\x83"
	    "BC.TXT|");
	free(img);
}
END_TEST

/* Clusters 340 to 342 hold a file: entry 341 is at bytes 511 and 512 of
 * the FAT, across its two sectors. */
START_TEST(test_fat12_entry_across_sectors)
{
	ib_vol *v;
	ib_vol_node n;
	ib_err err;
	unsigned char buf[3 * SEC];
	unsigned c;

	new_volume();
	put_short(0, "SPAN    BIN", 0x20, 0, 340, 3 * SEC);
	set_fat(340, 341);
	set_fat(341, 342);
	set_fat(342, 0xFFF);
	for (c = 340; c <= 342; c++)
		memset(img + DATA + (c - 2) * SEC, (int)c & 0xFF, SEC);
	ib_err_clear(&err);
	v = ib_fat_open(&rd, 0, SEC * TOTAL, &err);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(ib_vol_lookup(v, "/span.bin", true, &n, &err), 1);
	ck_assert_msg(ib_vol_pread(v, &n, buf, sizeof(buf), 0, &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(buf[0], 340 & 0xFF);
	ck_assert_uint_eq(buf[SEC], 341 & 0xFF);
	ck_assert_uint_eq(buf[2 * SEC], 342 & 0xFF);
	/* Cluster 341 marked bad (0xFF7) instead. */
	set_fat(341, 0xFF7);
	ib_vol_close(v);
	v = ib_fat_open(&rd, 0, SEC * TOTAL, &err);
	ck_assert_ptr_nonnull(v);
	tu_expect_err(ib_vol_pread(v, &n, buf, sizeof(buf), 0, &err), &err,
	    IB_EFORMAT, "cluster 341 is marked bad");
	ib_vol_close(v);
	free(img);
}
END_TEST

/* A BPB laid out as FAT32's (BPB_FATSz16 0) is FAT32 on any cluster
 * count, as Linux and EDK2 read it (mkfs.fat -F 32 makes such small
 * volumes): on 508 clusters its FAT32 fields are checked, here a root
 * directory cluster of 0, where FAT12 would have read the fixed root. */
START_TEST(test_bpb_fat32_on_few_clusters)
{
	ib_err err;

	new_volume();
	put16(img + 22, 0);
	ib_put_le32(img + 36, 2);
	ib_err_clear(&err);
	ck_assert_ptr_null(ib_fat_open(&rd, 0, SEC * TOTAL, &err));
	ck_assert_int_eq(err.code, IB_EFORMAT);
	ck_assert_str_eq(err.msg,
	    "FAT: root directory cluster 0 is outside 2..509");
	free(img);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("fat");

	tu_add(s, "long_names", test_long_names_checked);
	tu_add(s, "short_names", test_short_names_case_label_end);
	tu_add(s, "fat12_across", test_fat12_entry_across_sectors);
	tu_add(s, "bpb_fat32", test_bpb_fat32_on_few_clusters);
	return s;
}

int
main(void)
{
	return tu_run(suite());
}
