/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_rrip: System Use areas (SUSP) and their Rock Ridge entries. Areas
 * are built here byte by byte, one entry at a time, and each is handed to
 * ib_rrip_parse in an exactly-sized malloc so that ASan sees an over-read.
 * CE continuation areas live in an in-memory image served block by block
 * through the read callback.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bounds.h"
#include "bytes.h"
#include "errors.h"
#include "rrip.h"
#include "testutil.h"

/* A System Use area under construction. */
struct area {
	unsigned char b[8192];
	size_t len;
};

static void
put(struct area *a, const void *p, size_t n)
{
	ck_assert_uint_le(a->len + n, sizeof(a->b));
	if (n > 0)
		memcpy(a->b + a->len, p, n);
	a->len += n;
}

static void
put_byte(struct area *a, unsigned v)
{
	unsigned char c = (unsigned char)v;

	put(a, &c, 1);
}

/* ISO 9660 7.3.3 both-byte-order 32-bit number: LE32 then BE32. */
static void
put_both32(struct area *a, uint32_t v)
{
	unsigned char b[8];

	ib_put_le32(b, v);
	ib_put_be32(b + 4, v);
	put(a, b, 8);
}

/* Entry header: signature, length (4 + body), version. */
static void
head_v(struct area *a, const char *sig, size_t body, unsigned version)
{
	ck_assert_uint_le(4 + body, 255);
	put(a, sig, 2);
	put_byte(a, (unsigned)(4 + body));
	put_byte(a, version);
}

static void
head(struct area *a, const char *sig, size_t body)
{
	head_v(a, sig, body, 1);
}

static void
add_px(struct area *a, uint32_t mode, uint32_t nlink, uint32_t uid,
    uint32_t gid)
{
	head(a, "PX", 32);
	put_both32(a, mode);
	put_both32(a, nlink);
	put_both32(a, uid);
	put_both32(a, gid);
}

static void
add_nm(struct area *a, unsigned flags, const char *name, size_t n)
{
	head(a, "NM", 1 + n);
	put_byte(a, flags);
	put(a, name, n);
}

static void
add_nm_str(struct area *a, unsigned flags, const char *name)
{
	add_nm(a, flags, name, strlen(name));
}

/* SL component records, collected before they go into an SL entry. */
struct comps {
	unsigned char b[256];
	size_t len;
};

static void
comp(struct comps *c, unsigned flags, const char *text, size_t n)
{
	ck_assert_uint_le(c->len + 2 + n, sizeof(c->b));
	c->b[c->len++] = (unsigned char)flags;
	c->b[c->len++] = (unsigned char)n;
	if (n > 0)
		memcpy(c->b + c->len, text, n);
	c->len += n;
}

static void
comp_str(struct comps *c, unsigned flags, const char *text)
{
	comp(c, flags, text, strlen(text));
}

/* SL entry with SL flags (1 = CONTINUE) and c's components; c emptied. */
static void
add_sl(struct area *a, unsigned flags, struct comps *c)
{
	head(a, "SL", 1 + c->len);
	put_byte(a, flags);
	put(a, c->b, c->len);
	c->len = 0;
}

/* Component record flags (RRIP 4.1.3.1). */
enum {
	C_CONTINUE = 0x01,
	C_CURRENT = 0x02,
	C_PARENT = 0x04,
	C_ROOT = 0x08
};

static void
add_ce(struct area *a, uint32_t lsn, uint32_t off, uint32_t len)
{
	head(a, "CE", 24);
	put_both32(a, lsn);
	put_both32(a, off);
	put_both32(a, len);
}

/* Set the length of the CE entry at offset at of a (LE32 + BE32). */
static void
set_ce_len(struct area *a, size_t at, uint32_t len)
{
	ck_assert(a->b[at] == 'C' && a->b[at + 1] == 'E');
	ib_put_le32(a->b + at + 20, len);
	ib_put_be32(a->b + at + 24, len);
}

static void
add_st(struct area *a)
{
	head(a, "ST", 0);
}

static void
add_sp(struct area *a, unsigned skip)
{
	head(a, "SP", 3);
	put_byte(a, 0xbe);
	put_byte(a, 0xef);
	put_byte(a, skip);
}

/* A 7-byte ECMA-119 9.1.5 date. */
static void
date7(unsigned char *d, unsigned year, unsigned mon, unsigned day, unsigned h,
    unsigned mi, unsigned s, int gmtoff)
{
	d[0] = (unsigned char)(year - 1900);
	d[1] = (unsigned char)mon;
	d[2] = (unsigned char)day;
	d[3] = (unsigned char)h;
	d[4] = (unsigned char)mi;
	d[5] = (unsigned char)s;
	d[6] = (unsigned char)(signed char)gmtoff;
}

/* A 17-byte ECMA-119 8.4.26.1 date from 16 digits and an offset. */
static void
date17(unsigned char *d, const char *digits16, int gmtoff)
{
	ck_assert_uint_eq(strlen(digits16), 16);
	memcpy(d, digits16, 16);
	d[16] = (unsigned char)(signed char)gmtoff;
}

/* The in-memory image for CE areas. fail makes every read fail. */
struct image {
	unsigned char *blocks;
	uint32_t nblocks;
	unsigned reads;
	int fail;
};

static void
image_init(struct image *im, uint32_t nblocks)
{
	im->blocks = calloc(nblocks, IB_SECTOR);
	ck_assert_ptr_nonnull(im->blocks);
	im->nblocks = nblocks;
	im->reads = 0;
	im->fail = 0;
}

/* Copy area a into block lsn at offset off. */
static void
image_put(struct image *im, uint32_t lsn, uint32_t off, const struct area *a)
{
	ck_assert_uint_lt(lsn, im->nblocks);
	ck_assert_uint_le(off + a->len, IB_SECTOR);
	memcpy(im->blocks + (size_t)lsn * IB_SECTOR + off, a->b, a->len);
}

static int
image_read(void *ctx, uint32_t lsn, unsigned char *buf, ib_err *err)
{
	struct image *im = ctx;

	im->reads++;
	if (im->fail)
		return ib_err_set(err, EIO, "read block %lu: injected failure",
		    (unsigned long)lsn);
	if (lsn >= im->nblocks)
		return ib_err_set(err, EIO, "read block %lu: beyond image",
		    (unsigned long)lsn);
	memcpy(buf, im->blocks + (size_t)lsn * IB_SECTOR, IB_SECTOR);
	return 0;
}

/* A reader for areas without CE: any call is a test failure. */
static int
no_read(void *ctx, uint32_t lsn, unsigned char *buf, ib_err *err)
{
	(void)ctx;
	(void)buf;
	(void)err;
	ck_abort_msg("unexpected read of block %lu", (unsigned long)lsn);
	return -1;
}

/* Parse a->b[0..len) from an exactly-sized copy. */
static int
parse_len(const struct area *a, size_t len, size_t skip, struct image *im,
    ib_rr *rr, ib_err *err)
{
	unsigned char *su = malloc(len > 0 ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(su);
	if (len > 0)
		memcpy(su, a->b, len);
	ib_err_clear(err);
	rc = ib_rrip_parse(su, len, skip, im != NULL ? image_read : no_read, im,
	    rr, err);
	free(su);
	return rc;
}

/* Parse a, which must succeed. */
static void
parse_ok(const struct area *a, struct image *im, ib_rr *rr)
{
	ib_err err;

	ck_assert_msg(parse_len(a, a->len, 0, im, rr, &err) == 0, "%s",
	    err.msg);
}

/* ib_rr is large (the link buffer): keep it off the test's stack. */
static ib_rr *
new_rr(void)
{
	ib_rr *rr = malloc(sizeof(*rr));

	ck_assert_ptr_nonnull(rr);
	/* Garbage, to show that parse clears it. */
	memset(rr, 0xa5, sizeof(*rr));
	return rr;
}

/* An empty area clears *rr and reads nothing. */
START_TEST(test_empty_area)
{
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();

	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, 0);
	ck_assert_uint_eq(rr->name_len, 0);
	ck_assert_uint_eq(rr->link_len, 0);
	ck_assert_str_eq(rr->name, "");
	ck_assert_str_eq(rr->link, "");
	ck_assert_uint_eq(rr->mode, 0);
	ck_assert_uint_eq(rr->zf.version, 0);
	ck_assert(!rr->name_too_long);
	ck_assert(!rr->link_too_long);
	free(rr);
}
END_TEST

START_TEST(test_px)
{
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();

	add_px(&a, 0100644, 2, 1000, 100);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_PX);
	ck_assert_uint_eq(rr->mode, 0100644);
	ck_assert_uint_eq(rr->nlink, 2);
	ck_assert_uint_eq(rr->uid, 1000);
	ck_assert_uint_eq(rr->gid, 100);

	/* RRIP 1.12 PX: 44 bytes, with the file serial number. */
	a.len = 0;
	head(&a, "PX", 40);
	put_both32(&a, 040755);
	put_both32(&a, 3);
	put_both32(&a, 0);
	put_both32(&a, 4294967295u);
	put_both32(&a, 12345);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_PX);
	ck_assert_uint_eq(rr->mode, 040755);
	ck_assert_uint_eq(rr->nlink, 3);
	ck_assert_uint_eq(rr->uid, 0);
	ck_assert_uint_eq(rr->gid, 4294967295u);
	free(rr);
}
END_TEST

START_TEST(test_nm_plain)
{
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();

	add_nm_str(&a, 0, "vmlinuz-6.1.0-amd64");
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_NM);
	ck_assert_str_eq(rr->name, "vmlinuz-6.1.0-amd64");
	ck_assert_uint_eq(rr->name_len, 19);
	ck_assert(!rr->name_too_long);
	free(rr);
}
END_TEST

/* NM CONTINUE (flag 1): the name is the parts joined, nothing between. */
START_TEST(test_nm_continued)
{
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();

	add_nm_str(&a, 0x01, "initrd.img-");
	add_px(&a, 0100444, 1, 0, 0);
	add_nm_str(&a, 0, "6.1.0");
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->name, "initrd.img-6.1.0");
	ck_assert_uint_eq(rr->name_len, 16);
	ck_assert_uint_eq(rr->seen, IB_RR_NM | IB_RR_PX);

	/* An empty NM part changes nothing. */
	a.len = 0;
	add_nm_str(&a, 0x01, "a");
	add_nm_str(&a, 0x01, "");
	add_nm_str(&a, 0, "b");
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->name, "ab");
	free(rr);
}
END_TEST

/* NM CURRENT (2) and PARENT (4): flags, no name bytes. */
START_TEST(test_nm_current_parent)
{
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();

	add_nm(&a, 0x02, NULL, 0);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_NM | IB_RR_NM_DOT);
	ck_assert_uint_eq(rr->name_len, 0);
	ck_assert_str_eq(rr->name, "");

	a.len = 0;
	add_nm(&a, 0x04, NULL, 0);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_NM | IB_RR_NM_DOTDOT);
	ck_assert_uint_eq(rr->name_len, 0);
	free(rr);
}
END_TEST

/*
 * Names over IB_MAX_NAME (255) bytes: three NM parts of 100 bytes set
 * name_too_long and never write past rr->name; 250 + 5 bytes are exactly
 * 255 and fit.
 */
START_TEST(test_nm_too_long)
{
	struct area a = { .len = 0 };
	char part[250];
	ib_rr *rr = new_rr();

	memset(part, 'n', sizeof(part));
	add_nm(&a, 0x01, part, 100);
	add_nm(&a, 0x01, part, 100);
	add_nm(&a, 0, part, 100);
	parse_ok(&a, NULL, rr);
	ck_assert(rr->name_too_long);
	ck_assert_uint_le(rr->name_len, IB_MAX_NAME);
	ck_assert_uint_eq(strlen(rr->name), rr->name_len);

	a.len = 0;
	add_nm(&a, 0x01, part, 250);
	add_nm(&a, 0, part, 5);
	parse_ok(&a, NULL, rr);
	ck_assert(!rr->name_too_long);
	ck_assert_uint_eq(rr->name_len, 255);
	ck_assert_uint_eq(strlen(rr->name), 255);

	/* One byte more. */
	a.len = 0;
	add_nm(&a, 0x01, part, 250);
	add_nm(&a, 0, part, 6);
	parse_ok(&a, NULL, rr);
	ck_assert(rr->name_too_long);
	free(rr);
}
END_TEST

START_TEST(test_sl_simple)
{
	struct area a = { .len = 0 };
	struct comps c = { .len = 0 };
	ib_rr *rr = new_rr();

	comp_str(&c, 0, "file");
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_SL);
	ck_assert_str_eq(rr->link, "file");
	ck_assert_uint_eq(rr->link_len, 4);

	/* Several components in one entry: '/' between them. */
	a.len = 0;
	comp_str(&c, 0, "..");
	comp_str(&c, 0, "lib");
	comp_str(&c, 0, "libc.so.6");
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "../lib/libc.so.6");
	free(rr);
}
END_TEST

/* "/tmp/..": ROOT, "tmp", PARENT; and "./x" with CURRENT. */
START_TEST(test_sl_root_parent_current)
{
	struct area a = { .len = 0 };
	struct comps c = { .len = 0 };
	ib_rr *rr = new_rr();

	comp(&c, C_ROOT, NULL, 0);
	comp_str(&c, 0, "tmp");
	comp(&c, C_PARENT, NULL, 0);
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "/tmp/..");
	ck_assert_uint_eq(rr->link_len, 7);

	a.len = 0;
	comp(&c, C_CURRENT, NULL, 0);
	comp_str(&c, 0, "x");
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "./x");

	/* ROOT alone is "/". */
	a.len = 0;
	comp(&c, C_ROOT, NULL, 0);
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "/");

	/* ".", ROOT, ROOT, "file": each ROOT writes its own '/' after the
	 * pending one, as Linux does: ".///file". */
	a.len = 0;
	comp(&c, C_CURRENT, NULL, 0);
	comp(&c, C_ROOT, NULL, 0);
	comp(&c, C_ROOT, NULL, 0);
	comp_str(&c, 0, "file");
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, ".///file");
	free(rr);
}
END_TEST

/* Component CONTINUE (flag 1): "ab" + "cd" is one component "abcd". */
START_TEST(test_sl_component_continued)
{
	struct area a = { .len = 0 };
	struct comps c = { .len = 0 };
	ib_rr *rr = new_rr();

	comp_str(&c, C_CONTINUE, "ab");
	comp_str(&c, 0, "cd");
	comp_str(&c, 0, "x");
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "abcd/x");
	free(rr);
}
END_TEST

/*
 * A target split over two SL entries, the first with SL CONTINUE: the '/'
 * between the last component of the first entry and the first of the
 * second must be kept ("a/b", not "ab": libarchive's bug). A component
 * continued across the entries gets no '/'.
 */
START_TEST(test_sl_split_entries)
{
	struct area a = { .len = 0 };
	struct comps c = { .len = 0 };
	ib_rr *rr = new_rr();

	comp_str(&c, 0, "a");
	add_sl(&a, 0x01, &c);
	comp_str(&c, 0, "b");
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "a/b");
	ck_assert_uint_eq(rr->link_len, 3);

	a.len = 0;
	comp(&c, C_ROOT, NULL, 0);
	comp_str(&c, 0, "usr");
	comp_str(&c, 0, "lib");
	add_sl(&a, 0x01, &c);
	add_px(&a, 0120777, 1, 0, 0);
	comp_str(&c, 0, "x86_64-linux-gnu");
	comp_str(&c, 0, "libz.so.1");
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "/usr/lib/x86_64-linux-gnu/libz.so.1");

	/* The component itself continues into the next entry. */
	a.len = 0;
	comp_str(&c, 0, "dir");
	comp_str(&c, C_CONTINUE, "lo");
	add_sl(&a, 0x01, &c);
	comp_str(&c, 0, "ng");
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "dir/long");

	/* A PARENT component ends the first entry. */
	a.len = 0;
	comp(&c, C_PARENT, NULL, 0);
	add_sl(&a, 0x01, &c);
	comp_str(&c, 0, "etc");
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "../etc");

	/* A ROOT ends the first entry: its '/' is the only one. */
	a.len = 0;
	comp(&c, C_ROOT, NULL, 0);
	add_sl(&a, 0x01, &c);
	comp_str(&c, 0, "boot");
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "/boot");
	free(rr);
}
END_TEST

/*
 * Targets over IB_MAX_LINK (4096) bytes set link_too_long and never write
 * past rr->link. 16 components of 248 bytes, 15 slashes and one of 112
 * bytes after a 16th slash are exactly 4096 bytes; one more byte is over.
 */
static void
build_long_link(struct area *a, size_t last)
{
	struct comps c = { .len = 0 };
	char text[248];
	unsigned i;

	memset(text, 'l', sizeof(text));
	a->len = 0;
	for (i = 0; i < 16; i++) {
		comp(&c, 0, text, sizeof(text));
		add_sl(a, 0x01, &c);
	}
	comp(&c, 0, text, last);
	add_sl(a, 0, &c);
}

START_TEST(test_sl_too_long)
{
	static struct area a;
	ib_rr *rr = new_rr();

	build_long_link(&a, 112);
	parse_ok(&a, NULL, rr);
	ck_assert(!rr->link_too_long);
	ck_assert_uint_eq(rr->link_len, IB_MAX_LINK);
	ck_assert_uint_eq(strlen(rr->link), IB_MAX_LINK);

	build_long_link(&a, 113);
	parse_ok(&a, NULL, rr);
	ck_assert(rr->link_too_long);
	ck_assert_uint_le(rr->link_len, IB_MAX_LINK);
	ck_assert_uint_eq(strlen(rr->link), rr->link_len);
	free(rr);
}
END_TEST

/* ib_rrip_date7 for known dates, GMT offsets in 15-minute units. */
START_TEST(test_iso_date7)
{
	unsigned char d[7];

	date7(d, 1970, 1, 1, 0, 0, 0, 0);
	ck_assert_int_eq(ib_rrip_date7(d), 0);
	date7(d, 2000, 1, 1, 0, 0, 0, 0);
	ck_assert_int_eq(ib_rrip_date7(d), 946684800);
	/* 01:00 at UTC+1 (offset +4) is midnight UTC. */
	date7(d, 2000, 1, 1, 1, 0, 0, 4);
	ck_assert_int_eq(ib_rrip_date7(d), 946684800);
	/* 19:00 the day before at UTC-5 (offset -20) too. */
	date7(d, 1999, 12, 31, 19, 0, 0, -20);
	ck_assert_int_eq(ib_rrip_date7(d), 946684800);
	/* Offset limits: -48 (UTC-12) and +52 (UTC+13). */
	date7(d, 1999, 12, 31, 12, 0, 0, -48);
	ck_assert_int_eq(ib_rrip_date7(d), 946684800);
	date7(d, 2000, 1, 1, 13, 0, 0, 52);
	ck_assert_int_eq(ib_rrip_date7(d), 946684800);
	/* A leap day, and the end of 32-bit time_t. */
	date7(d, 2024, 2, 29, 12, 34, 56, 0);
	ck_assert_int_eq(ib_rrip_date7(d), 1709210096);
	date7(d, 2038, 1, 19, 3, 14, 8, 0);
	ck_assert_int_eq(ib_rrip_date7(d), INT64_C(2147483648));
	/* The range of the year byte: 1900 and 2155. */
	date7(d, 1900, 1, 1, 0, 0, 0, 0);
	ck_assert_int_eq(ib_rrip_date7(d), INT64_C(-2208988800));
	date7(d, 2155, 12, 31, 23, 59, 59, 0);
	ck_assert_int_eq(ib_rrip_date7(d), INT64_C(5869583999));
	/* 2100 is not a leap year. */
	date7(d, 2100, 3, 1, 0, 0, 0, 0);
	ck_assert_int_eq(ib_rrip_date7(d), INT64_C(4107542400));
	/* One second before the epoch. */
	date7(d, 1969, 12, 31, 23, 59, 59, 0);
	ck_assert_int_eq(ib_rrip_date7(d), -1);
}
END_TEST

START_TEST(test_iso_date17)
{
	unsigned char d[17];
	long nsec;

	date17(d, "2000010100000000", 0);
	nsec = -1;
	ck_assert_int_eq(ib_rrip_date17(d, &nsec), 946684800);
	ck_assert_int_eq(nsec, 0);
	/* Hundredths become nanoseconds. */
	date17(d, "1999123123595999", 0);
	ck_assert_int_eq(ib_rrip_date17(d, &nsec), 946684799);
	ck_assert_int_eq(nsec, 990000000L);
	/* 05:30 at UTC+5:30 (offset +22). */
	date17(d, "2000010105300050", 22);
	ck_assert_int_eq(ib_rrip_date17(d, &nsec), 946684800);
	ck_assert_int_eq(nsec, 500000000L);
	date17(d, "2024022912345600", -4);
	ck_assert_int_eq(ib_rrip_date17(d, &nsec), 1709210096 + 3600);
}
END_TEST

/* TF short form: 7-byte dates in flag order creation, modify, access,
 * attributes. */
START_TEST(test_tf_short)
{
	struct area a = { .len = 0 };
	unsigned char d[7];
	ib_rr *rr = new_rr();

	head(&a, "TF", 1 + 3 * 7);
	put_byte(&a, 0x02 | 0x04 | 0x08);
	date7(d, 2000, 1, 1, 1, 0, 0, 4); /* mtime: 946684800 */
	put(&a, d, 7);
	date7(d, 2024, 2, 29, 12, 34, 56, 0); /* atime */
	put(&a, d, 7);
	date7(d, 1970, 1, 1, 0, 0, 1, 0); /* ctime */
	put(&a, d, 7);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_TF);
	ck_assert_uint_eq(rr->tf_seen, 0x0e);
	ck_assert_int_eq(rr->mtime.sec, 946684800);
	ck_assert_int_eq(rr->mtime.nsec, 0);
	ck_assert_int_eq(rr->atime.sec, 1709210096);
	ck_assert_int_eq(rr->ctime.sec, 1);
	ck_assert_int_eq(rr->crtime.sec, 0);

	/* Creation alone. */
	a.len = 0;
	head(&a, "TF", 1 + 7);
	put_byte(&a, 0x01);
	date7(d, 2038, 1, 19, 3, 14, 8, 0);
	put(&a, d, 7);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->tf_seen, 0x01);
	ck_assert_int_eq(rr->crtime.sec, INT64_C(2147483648));
	ck_assert_int_eq(rr->mtime.sec, 0);
	free(rr);
}
END_TEST

/* TF long form (flag 0x80): 17-byte dates with hundredths. */
START_TEST(test_tf_long)
{
	struct area a = { .len = 0 };
	unsigned char d[17];
	ib_rr *rr = new_rr();

	head(&a, "TF", 1 + 2 * 17);
	put_byte(&a, 0x80 | 0x02 | 0x04);
	date17(d, "2000010100000025", 0);
	put(&a, d, 17);
	date17(d, "1999123123595999", 0);
	put(&a, d, 17);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->tf_seen, 0x06);
	ck_assert_int_eq(rr->mtime.sec, 946684800);
	ck_assert_int_eq(rr->mtime.nsec, 250000000L);
	ck_assert_int_eq(rr->atime.sec, 946684799);
	ck_assert_int_eq(rr->atime.nsec, 990000000L);
	free(rr);
}
END_TEST

/*
 * TF flags 0x0f promise four dates, the entry holds one and two bytes:
 * only the first is taken, nothing is read past the entry's 14 bytes.
 */
START_TEST(test_tf_short_entry)
{
	struct area a = { .len = 0 };
	unsigned char d[7];
	ib_rr *rr = new_rr();

	head(&a, "TF", 1 + 7 + 2);
	put_byte(&a, 0x0f);
	date7(d, 2000, 1, 1, 0, 0, 0, 0);
	put(&a, d, 7);
	put_byte(&a, 100);
	put_byte(&a, 1);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->tf_seen, 0x01);
	ck_assert_int_eq(rr->crtime.sec, 946684800);
	ck_assert_int_eq(rr->mtime.sec, 0);

	/* No flags byte at all. */
	a.len = 0;
	head(&a, "TF", 0);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->tf_seen, 0);
	free(rr);
}
END_TEST

START_TEST(test_pn)
{
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();

	head(&a, "PN", 16);
	put_both32(&a, 8);
	put_both32(&a, 0x10001);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_PN);
	ck_assert_uint_eq(rr->dev_hi, 8);
	ck_assert_uint_eq(rr->dev_lo, 0x10001);
	free(rr);
}
END_TEST

START_TEST(test_cl_pl_re)
{
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();

	head(&a, "CL", 8);
	put_both32(&a, 1234);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_CL);
	ck_assert_uint_eq(rr->cl_lsn, 1234);

	a.len = 0;
	head(&a, "PL", 8);
	put_both32(&a, 77);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_PL);
	ck_assert_uint_eq(rr->pl_lsn, 77);

	a.len = 0;
	head(&a, "RE", 0);
	add_nm_str(&a, 0, "deep");
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_RE | IB_RR_NM);
	ck_assert_str_eq(rr->name, "deep");
	free(rr);
}
END_TEST

/* "RR" (RRIP 1.09) and "ER" are noted; unknown entries are skipped. */
START_TEST(test_rr_er_unknown)
{
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();

	head(&a, "RR", 1);
	put_byte(&a, 0x89);
	head(&a, "XY", 6);
	put(&a, "junk!!", 6);
	head(&a, "ER", 4);
	put(&a, "\0\0\0\1", 4);
	add_nm_str(&a, 0, "after");
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_RR | IB_RR_ER | IB_RR_NM);
	ck_assert_str_eq(rr->name, "after");
	free(rr);
}
END_TEST

/* ZF version 1: "pz", header 4 words, log2 15..17, size LE32 + BE32. */
START_TEST(test_zf_v1)
{
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();

	head_v(&a, "ZF", 12, 1);
	put(&a, "pz\4\17", 4);
	put_both32(&a, 3000000);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_ZF);
	ck_assert_uint_eq(rr->zf.version, 1);
	ck_assert_int_eq(rr->zf.alg[0], 'p');
	ck_assert_int_eq(rr->zf.alg[1], 'z');
	ck_assert_uint_eq(rr->zf.hdr_size, 16);
	ck_assert_uint_eq(rr->zf.log2_bs, 15);
	ck_assert_uint_eq(rr->zf.size, 3000000);
	free(rr);
}
END_TEST

/*
 * zisofs2: ZF version 2 with "PZ", and the Z2 signature; LE64 size at
 * bytes 8-15. First the bytes xorriso 1.5.4 wrote for a 3 MiB file
 * (fixtures/isos/ISO-READERS.md), then a size above 4 GiB.
 */
START_TEST(test_zf_v2_and_z2)
{
	static const unsigned char xorriso[16] = { 0x5a, 0x46, 0x10, 0x02, 0x50,
		0x5a, 0x06, 0x11, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00,
		0x00 };
	struct area a = { .len = 0 };
	unsigned char le[8];
	ib_rr *rr = new_rr();

	put(&a, xorriso, sizeof(xorriso));
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_ZF);
	ck_assert_uint_eq(rr->zf.version, 2);
	ck_assert_int_eq(rr->zf.alg[0], 'P');
	ck_assert_int_eq(rr->zf.alg[1], 'Z');
	ck_assert_uint_eq(rr->zf.hdr_size, 24);
	ck_assert_uint_eq(rr->zf.log2_bs, 17);
	ck_assert_uint_eq(rr->zf.size, 3u * 1024 * 1024);

	/* Z2, version byte 1 (old kernels skip the unknown signature). */
	a.len = 0;
	head_v(&a, "Z2", 12, 1);
	put(&a, "PZ\6\20", 4);
	ib_put_le32(le, 5);
	ib_put_le32(le + 4, 1);
	put(&a, le, 8);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_ZF);
	ck_assert_uint_eq(rr->zf.version, 2);
	ck_assert_uint_eq(rr->zf.log2_bs, 16);
	ck_assert_uint_eq(rr->zf.size, (UINT64_C(1) << 32) + 5);
	free(rr);
}
END_TEST

/*
 * ZF with values no zisofs writer produces is not believed: log2 block
 * size 2 (libarchive test_read_format_iso_zisofs_overflow: it made a
 * size of 0xFFFFFFF9) or 18, a header size field other than 4 (v1) or
 * 6 (v2), versions 0 and 3, and a 12-byte entry that cannot hold the
 * size.
 */
START_TEST(test_zf_implausible_ignored)
{
	static const struct {
		unsigned version;
		const char *fields; /* algorithm, header size / 4, log2 */
	} bad[] = {
		{ 1, "pz\4\2" },  /* log2 block size 2 */
		{ 1, "pz\4\22" }, /* log2 block size 18 */
		{ 1, "pz\5\17" }, /* header size field 5 */
		{ 2, "PZ\4\17" }, /* v2 with the v1 header size */
		{ 3, "pz\4\17" }, /* version 3 */
		{ 0, "pz\4\17" }, /* version 0 */
	};
	struct area a;
	ib_rr *rr = new_rr();
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a.len = 0;
		head_v(&a, "ZF", 12, bad[i].version);
		put(&a, bad[i].fields, 4);
		put_both32(&a, 100);
		parse_ok(&a, NULL, rr);
		ck_assert_msg(rr->seen == 0, "case %zu: seen %#x", i, rr->seen);
		ck_assert_uint_eq(rr->zf.version, 0);
		ck_assert_uint_eq(rr->zf.size, 0);
	}

	/* A 12-byte ZF cannot hold the size. */
	a.len = 0;
	head_v(&a, "ZF", 8, 1);
	put(&a, "pz\4\17", 4);
	put(&a, "\0\0\0\1", 4);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->zf.version, 0);
	ck_assert_uint_eq(rr->seen, 0);
	free(rr);
}
END_TEST

/* SP: the check bytes BE EF and LEN_SKP; and the skip argument. */
START_TEST(test_sp_skip)
{
	struct area a = { .len = 0 };
	ib_err err;
	ib_rr *rr = new_rr();

	add_sp(&a, 12);
	add_nm_str(&a, 0, "root");
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_SP | IB_RR_NM);
	ck_assert_uint_eq(rr->sp_skip, 12);

	/* Wrong check bytes: not an SP. */
	a.len = 0;
	head(&a, "SP", 3);
	put(&a, "\xbe\xee\x00", 3);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, 0);

	/* 12 bytes of padding (an "NM" look-alike, even) before the first
	 * entry are skipped when skip is 12. */
	a.len = 0;
	put(&a, "NM\x0c\x01\x00padding", 12);
	add_px(&a, 0100600, 1, 5, 6);
	ck_assert_int_eq(parse_len(&a, a.len, 12, NULL, rr, &err), 0);
	ck_assert_uint_eq(rr->seen, IB_RR_PX);
	ck_assert_uint_eq(rr->uid, 5);
	/* A skip past the end parses nothing. */
	ck_assert_int_eq(parse_len(&a, a.len, a.len + 10, NULL, rr, &err), 0);
	ck_assert_uint_eq(rr->seen, 0);
	free(rr);
}
END_TEST

/* ST ends the area: a PX and an NM after it are not entries. */
START_TEST(test_st_terminates)
{
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();

	add_nm_str(&a, 0x01, "kept");
	add_st(&a);
	add_nm_str(&a, 0, "-ignored");
	add_px(&a, 0100644, 1, 0, 0);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_NM);
	ck_assert_str_eq(rr->name, "kept");
	free(rr);
}
END_TEST

/*
 * Malformed entry lengths end the area, keeping what came before, with no
 * error and no read past the area (exactly-sized malloc): a length byte 0
 * (would loop forever), 3 (shorter than the header), and 200 in an area
 * that ends 20 bytes later.
 */
START_TEST(test_bad_entry_length)
{
	static const unsigned bad[] = { 0, 1, 3 };
	struct area a = { .len = 0 };
	ib_rr *rr = new_rr();
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a.len = 0;
		add_nm_str(&a, 0, "before");
		put(&a, "PX", 2);
		put_byte(&a, bad[i]);
		put_byte(&a, 1);
		add_nm_str(&a, 0, "after");
		parse_ok(&a, NULL, rr);
		ck_assert_uint_eq(rr->seen, IB_RR_NM);
		ck_assert_str_eq(rr->name, "before");
	}

	/* NM whose length 200 runs past the 20-byte rest of the area. */
	a.len = 0;
	add_px(&a, 0100644, 7, 0, 0);
	put(&a, "NM", 2);
	put_byte(&a, 200);
	put_byte(&a, 1);
	put(&a, "\0truncated-name!", 16);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_PX);
	ck_assert_uint_eq(rr->nlink, 7);
	ck_assert_uint_eq(rr->name_len, 0);

	/* An area that ends in the middle of an entry header. */
	a.len = 0;
	add_nm_str(&a, 0, "x");
	put(&a, "SL\x10", 3);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->name, "x");
	ck_assert_uint_eq(rr->seen, IB_RR_NM);
	free(rr);
}
END_TEST

/*
 * Entries too short for their fields are ignored, never read past: PX of
 * 20 bytes (needs 36), PN of 12 (needs 20), CL and PL of 8 (need 12), NM
 * and SL of 4 (no flags byte), SP of 6 (no LEN_SKP), ZF of 15 (size cut
 * short); each is the last thing in its exactly-sized area, its body 0xff
 * so that a field read anyway shows.
 */
START_TEST(test_short_entries)
{
	static const struct {
		const char *sig;
		size_t len;
		const char *body; /* leading body bytes, rest 0xff */
	} e[] = {
		{ "PX", 20, "" },
		{ "PN", 12, "" },
		{ "CL", 8, "" },
		{ "PL", 8, "" },
		{ "NM", 4, "" },
		{ "SL", 4, "" },
		{ "SP", 6, "\xbe\xef" },
		{ "ZF", 15, "pz\4\17" },
	};
	struct area a;
	ib_rr *rr = new_rr();
	size_t i, n;

	for (i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		a.len = 0;
		head(&a, e[i].sig, e[i].len - 4);
		n = strlen(e[i].body);
		memset(a.b + a.len, 0xff, e[i].len - 4);
		memcpy(a.b + a.len, e[i].body, n);
		a.len += e[i].len - 4;
		parse_ok(&a, NULL, rr);
		ck_assert_msg(rr->seen == 0, "%s of %zu bytes: seen %#x",
		    e[i].sig, e[i].len, rr->seen);
		ck_assert_uint_eq(rr->name_len, 0);
		ck_assert_uint_eq(rr->link_len, 0);
		ck_assert_uint_eq(rr->mode, 0);
		ck_assert_uint_eq(rr->dev_lo, 0);
		ck_assert_uint_eq(rr->cl_lsn, 0);
		ck_assert_uint_eq(rr->pl_lsn, 0);
		ck_assert_uint_eq(rr->sp_skip, 0);
		ck_assert_uint_eq(rr->zf.version, 0);
	}
	free(rr);
}
END_TEST

/* SL component records whose length runs past the entry: the target keeps
 * the whole components before it and nothing of the bad one. */
START_TEST(test_sl_component_overrun)
{
	struct area a = { .len = 0 };
	struct comps c = { .len = 0 };
	ib_rr *rr = new_rr();

	comp_str(&c, 0, "ok");
	/* Component length 50, 3 bytes present. */
	c.b[c.len++] = 0;
	c.b[c.len++] = 50;
	memcpy(c.b + c.len, "bad", 3);
	c.len += 3;
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_uint_eq(rr->seen, IB_RR_SL);
	ck_assert_str_eq(rr->link, "ok");

	/* A lone component flags byte. */
	a.len = 0;
	comp_str(&c, 0, "ok");
	c.b[c.len++] = 0;
	add_sl(&a, 0, &c);
	parse_ok(&a, NULL, rr);
	ck_assert_str_eq(rr->link, "ok");
	free(rr);
}
END_TEST

/*
 * CE: the area goes on in block 20 at offset 100; the name continues
 * there, and the PX after the CE in the first area still counts. A second
 * hop goes to block 21.
 */
START_TEST(test_ce_followed)
{
	struct area a = { .len = 0 }, c1 = { .len = 0 }, c2 = { .len = 0 };
	struct comps none = { .len = 0 };
	struct image im;
	size_t ce_a, ce_c1;
	ib_rr *rr = new_rr();

	image_init(&im, 24);
	add_nm_str(&a, 0x01, "a-rather-");
	ce_a = a.len;
	add_ce(&a, 20, 100, 0); /* length set below */
	add_px(&a, 0100644, 1, 0, 0);

	add_nm_str(&c1, 0x01, "long-");
	ce_c1 = c1.len;
	add_ce(&c1, 21, 2000, 48); /* to the end of block 21 */
	add_sl(&c1, 0, &none);

	add_nm_str(&c2, 0, "name");
	add_st(&c2);
	add_nm_str(&c2, 0, "-not-this");
	ck_assert_uint_le(c2.len, 48);

	set_ce_len(&a, ce_a, (uint32_t)c1.len);
	ck_assert_uint_eq(ib_le32(c1.b + ce_c1 + 20), 48);
	image_put(&im, 20, 100, &c1);
	image_put(&im, 21, 2000, &c2);
	parse_ok(&a, &im, rr);
	ck_assert_str_eq(rr->name, "a-rather-long-name");
	ck_assert_uint_eq(rr->seen, IB_RR_NM | IB_RR_PX | IB_RR_SL);
	ck_assert_uint_eq(im.reads, 2);
	free(im.blocks);
	free(rr);
}
END_TEST

/* An SL split over two entries, the second in the CE area: "usr/bin". */
START_TEST(test_ce_sl_split)
{
	struct area a = { .len = 0 }, c1 = { .len = 0 };
	struct comps c = { .len = 0 };
	struct image im;
	ib_rr *rr = new_rr();

	image_init(&im, 2);
	comp_str(&c, 0, "usr");
	add_sl(&a, 0x01, &c);
	comp_str(&c, 0, "bin");
	add_sl(&c1, 0, &c);
	add_ce(&a, 1, 0, (uint32_t)c1.len);
	image_put(&im, 1, 0, &c1);
	parse_ok(&a, &im, rr);
	ck_assert_str_eq(rr->link, "usr/bin");
	ck_assert_uint_eq(im.reads, 1);
	free(im.blocks);
	free(rr);
}
END_TEST

/*
 * test_ce_loop: block 5 offset 0 holds a CE that points at itself (block
 * 5, offset 0, 28 bytes). Followed blindly it never ends; the chain stops
 * after IB_MAX_CE hops with IB_ELIMIT. A two-block cycle too.
 */
START_TEST(test_ce_loop)
{
	struct area a = { .len = 0 }, self = { .len = 0 };
	struct image im;
	ib_err err;
	ib_rr *rr = new_rr();

	image_init(&im, 8);
	add_ce(&self, 5, 0, 28);
	image_put(&im, 5, 0, &self);
	add_ce(&a, 5, 0, 28);
	tu_expect_err(parse_len(&a, a.len, 0, &im, rr, &err), &err, IB_ELIMIT,
	    "CE");
	ck_assert_uint_le(im.reads, IB_MAX_CE);
	ck_assert_uint_ge(im.reads, IB_MAX_CE - 1);

	/* 6 -> 7 -> 6 ... */
	self.len = 0;
	add_ce(&self, 7, 28, 28);
	image_put(&im, 6, 100, &self);
	self.len = 0;
	add_ce(&self, 6, 100, 28);
	image_put(&im, 7, 28, &self);
	a.len = 0;
	add_ce(&a, 6, 100, 28);
	im.reads = 0;
	tu_expect_err(parse_len(&a, a.len, 0, &im, rr, &err), &err, IB_ELIMIT,
	    "CE");
	ck_assert_uint_le(im.reads, IB_MAX_CE);
	free(im.blocks);
	free(rr);
}
END_TEST

/* A chain of exactly IB_MAX_CE hops is fine. */
START_TEST(test_ce_chain_at_limit)
{
	struct area a = { .len = 0 }, hop, last = { .len = 0 };
	struct image im;
	uint32_t i;
	ib_rr *rr = new_rr();

	image_init(&im, IB_MAX_CE + 1);
	add_nm_str(&last, 0, "end");
	image_put(&im, IB_MAX_CE, 0, &last);
	/* Block i points to block i + 1; the last hop covers the NM only. */
	add_ce(&a, 1, 0, 28);
	for (i = 1; i < IB_MAX_CE; i++) {
		hop.len = 0;
		add_ce(&hop, i + 1, 0,
		    i + 1 == IB_MAX_CE ? (uint32_t)last.len : 28);
		image_put(&im, i, 0, &hop);
	}
	parse_ok(&a, &im, rr);
	ck_assert_str_eq(rr->name, "end");
	ck_assert_uint_eq(im.reads, IB_MAX_CE);
	free(im.blocks);
	free(rr);
}
END_TEST

/*
 * test_ce_crosses_block: CE offset 2000 with length 100 would run 52
 * bytes past its 2048-byte block (SUSP 5.1: an area fits one block);
 * offset 2048 is past it. Refused before any read. 2000 + 48 fits.
 */
START_TEST(test_ce_crosses_block)
{
	struct area a = { .len = 0 };
	struct image im;
	ib_err err;
	ib_rr *rr = new_rr();

	image_init(&im, 4);
	add_ce(&a, 2, 2000, 100);
	tu_expect_err(parse_len(&a, a.len, 0, &im, rr, &err), &err, IB_EFORMAT,
	    "crosses its block");
	a.len = 0;
	add_ce(&a, 2, 2048, 0);
	tu_expect_err(parse_len(&a, a.len, 0, &im, rr, &err), &err, IB_EFORMAT,
	    "offset 2048");
	/* Length 0xffffffff: no wrap-around in offset + length. */
	a.len = 0;
	add_ce(&a, 2, 16, 0xffffffffu);
	tu_expect_err(parse_len(&a, a.len, 0, &im, rr, &err), &err, IB_EFORMAT,
	    "crosses its block");
	ck_assert_uint_eq(im.reads, 0);

	a.len = 0;
	add_ce(&a, 2, 2000, 48);
	ck_assert_int_eq(parse_len(&a, a.len, 0, &im, rr, &err), 0);
	ck_assert_uint_eq(im.reads, 1);
	free(im.blocks);
	free(rr);
}
END_TEST

/* The read callback's error comes back with its code and message. */
START_TEST(test_ce_read_error)
{
	struct area a = { .len = 0 };
	struct image im;
	ib_err err;
	ib_rr *rr = new_rr();

	image_init(&im, 4);
	im.fail = 1;
	add_nm_str(&a, 0, "x");
	add_ce(&a, 3, 0, 100);
	tu_expect_err(parse_len(&a, a.len, 0, &im, rr, &err), &err, EIO,
	    "read block 3: injected failure");
	ck_assert_msg(strstr(err.msg, "continuation") != NULL, "%s", err.msg);

	/* A CE to a block beyond the image. */
	im.fail = 0;
	a.len = 0;
	add_ce(&a, 99, 0, 100);
	tu_expect_err(parse_len(&a, a.len, 0, &im, rr, &err), &err, EIO,
	    "read block 99: beyond image");
	free(im.blocks);
	free(rr);
}
END_TEST

static Suite *
rrip_suite(void)
{
	Suite *s = suite_create("rrip");

	tu_add(s, "empty_area", test_empty_area);
	tu_add(s, "px", test_px);
	tu_add(s, "nm_plain", test_nm_plain);
	tu_add(s, "nm_continued", test_nm_continued);
	tu_add(s, "nm_current_parent", test_nm_current_parent);
	tu_add(s, "nm_too_long", test_nm_too_long);
	tu_add(s, "sl_simple", test_sl_simple);
	tu_add(s, "sl_root_parent_current", test_sl_root_parent_current);
	tu_add(s, "sl_component_continued", test_sl_component_continued);
	tu_add(s, "sl_split_entries", test_sl_split_entries);
	tu_add(s, "sl_too_long", test_sl_too_long);
	tu_add(s, "iso_date7", test_iso_date7);
	tu_add(s, "iso_date17", test_iso_date17);
	tu_add(s, "tf_short", test_tf_short);
	tu_add(s, "tf_long", test_tf_long);
	tu_add(s, "tf_short_entry", test_tf_short_entry);
	tu_add(s, "pn", test_pn);
	tu_add(s, "cl_pl_re", test_cl_pl_re);
	tu_add(s, "rr_er_unknown", test_rr_er_unknown);
	tu_add(s, "zf_v1", test_zf_v1);
	tu_add(s, "zf_v2_and_z2", test_zf_v2_and_z2);
	tu_add(s, "zf_implausible_ignored", test_zf_implausible_ignored);
	tu_add(s, "sp_skip", test_sp_skip);
	tu_add(s, "st_terminates", test_st_terminates);
	tu_add(s, "bad_entry_length", test_bad_entry_length);
	tu_add(s, "short_entries", test_short_entries);
	tu_add(s, "sl_component_overrun", test_sl_component_overrun);
	tu_add(s, "ce_followed", test_ce_followed);
	tu_add(s, "ce_sl_split", test_ce_sl_split);
	tu_add(s, "ce_loop", test_ce_loop);
	tu_add(s, "ce_chain_at_limit", test_ce_chain_at_limit);
	tu_add(s, "ce_crosses_block", test_ce_crosses_block);
	tu_add(s, "ce_read_error", test_ce_read_error);
	return s;
}

int
main(void)
{
	return tu_run(rrip_suite());
}
