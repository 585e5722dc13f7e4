/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_iso: the image reader against the test images of libarchive's and
 * libcdio's own suites (fixtures/isos, with the listings those suites
 * assert), and against crafted images for what no mastering tool writes.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "iso.h"
#include "testutil.h"

#include "../../fixtures/isogen.h"

struct lines {
	char **v;
	size_t n, cap;
	int problems;
	char first_problem[512];
};

static void
add_line(struct lines *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		ck_assert_ptr_nonnull(l->v);
	}
	l->v[l->n] = strdup(s);
	ck_assert_ptr_nonnull(l->v[l->n]);
	l->n++;
}

static void
free_lines(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The escapes of fixtures/isos/README.md: \\, \t, \n, \xHH. */
static void
escape(char *out, size_t size, const char *s)
{
	size_t o;
	unsigned char c;

	o = 0;
	for (; *s != '\0' && o + 5 < size; s++) {
		c = (unsigned char)*s;
		if (c == '\\' || c == '\t' || c == '\n') {
			out[o++] = '\\';
			out[o++] = c == '\\' ? '\\' : c == '\t' ? 't' : 'n';
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static int
collect(void *ctx, const ib_entry *e, ib_err *err)
{
	static const char types[] = "fdlpcbs";
	struct lines *l;
	char path[8192], target[8192], size[32], mode[8], line[17000];

	(void)err;
	l = ctx;
	if (e->problem != NULL) {
		if (l->problems++ == 0)
			snprintf(l->first_problem, sizeof(l->first_problem),
			    "%s: %s", e->path, e->problem);
		return IB_WALK_SKIP;
	}
	escape(path, sizeof(path), e->path);
	escape(target, sizeof(target), e->link != NULL ? e->link : "-");
	if (e->type == IB_FT_REG)
		snprintf(size, sizeof(size), "%llu",
		    (unsigned long long)e->size);
	else
		strcpy(size, "-");
	if (e->has_rr)
		snprintf(mode, sizeof(mode), "%04o", (unsigned)e->mode);
	else
		strcpy(mode, "-");
	snprintf(line, sizeof(line), "%s\t%c\t%s\t%s\t%s", path, types[e->type],
	    size, mode, target);
	add_line(l, line);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read a whole text file into lines. */
static void
read_lines(const char *path, struct lines *l)
{
	char buf[17000];
	FILE *f;
	size_t n;

	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	while (fgets(buf, sizeof(buf), f) != NULL) {
		n = strlen(buf);
		if (n > 0 && buf[n - 1] == '\n')
			buf[n - 1] = '\0';
		add_line(l, buf);
	}
	fclose(f);
}

static const char *
shared(void)
{
	const char *s;

	s = getenv("IB_SHARED");
	return s != NULL ? s : "fixtures";
}

/* The image NAME.iso, or NAME.iso.gz decompressed into a temporary;
 * *made tells which, and only a temporary may ever be removed (the
 * shared images are not ours, whatever their path looks like). */
static char *
image_path(const char *name, char *tmp, size_t tmpsize, int *made)
{
	char path[4096], buf[65536];
	gzFile gz;
	int fd, n;

	snprintf(path, sizeof(path), "%s/isos/%s.iso", shared(), name);
	*made = 0;
	if (access(path, R_OK) == 0) {
		snprintf(tmp, tmpsize, "%s", path);
		return tmp;
	}
	snprintf(path, sizeof(path), "%s/isos/%s.iso.gz", shared(), name);
	gz = gzopen(path, "rb");
	ck_assert_msg(gz != NULL, "%s: cannot open", path);
	snprintf(tmp, tmpsize, "/tmp/check_iso.XXXXXX");
	fd = mkstemp(tmp);
	ck_assert_int_ne(fd, -1);
	while ((n = gzread(gz, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(fd, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	gzclose(gz);
	close(fd);
	*made = 1;
	return tmp;
}

/* Open and walk path; 0 with the listing, or -1 (with err) on an error. */
static int
list_image(const char *path, struct lines *l, ib_err *err)
{
	ib_iso_opts o;
	ib_iso *iso;
	int rc;

	memset(&o, 0, sizeof(o));
	ib_err_clear(err);
	iso = ib_iso_open(path, &o, err);
	if (iso == NULL)
		return -1;
	rc = ib_iso_walk(iso, collect, l, err);
	ib_iso_close(iso);
	if (rc == 0 && l->problems > 0)
		rc = ib_err_set(err, IB_EFORMAT, "%s", l->first_problem);
	if (l->n > 0)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
	return rc;
}

static int
same_lines(const struct lines *a, const struct lines *b, char *why, size_t size)
{
	size_t i;

	for (i = 0; i < a->n && i < b->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0) {
			snprintf(why, size, "line %zu: got '%s', expected '%s'",
			    i + 1, a->v[i], b->v[i]);
			return 0;
		}
	if (a->n != b->n) {
		snprintf(why, size, "%zu lines, expected %zu", a->n, b->n);
		return 0;
	}
	return 1;
}

static void
check_one(const char *name, const char *outcome)
{
	struct lines got, want;
	char tmp[4096], path[4096], why[1024];
	const char *img;
	ib_err err;
	int rc, same, made;

	memset(&got, 0, sizeof(got));
	memset(&want, 0, sizeof(want));
	img = image_path(name, tmp, sizeof(tmp), &made);
	rc = list_image(img, &got, &err);
	if (made)
		unlink(tmp);
	if (strcmp(outcome, "error") == 0) {
		ck_assert_msg(rc == -1, "%s: listed, expected an error", name);
		ck_assert_msg(err.msg[0] != '\0', "%s: error without text",
		    name);
		free_lines(&got);
		return;
	}
	snprintf(path, sizeof(path), "%s/isos/%s.expected", shared(), name);
	read_lines(path, &want);
	same = rc == 0 && same_lines(&got, &want, why, sizeof(why));
	if (strcmp(outcome, "list-or-error") == 0)
		ck_assert_msg(same || rc == -1, "%s: %s", name, why);
	else
		ck_assert_msg(same, "%s: %s", name,
		    rc == -1 ? ib_err_text(&err) : why);
	free_lines(&got);
	free_lines(&want);
}

START_TEST(test_shared_images)
{
	char path[4096], line[4096], name[256], outcome[64];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/isos/SOURCES", shared());
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s (set IB_SHARED)", path,
	    strerror(errno));
	n = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' ||
		    sscanf(line, "%255[^\t]\t%63[^\t]", name, outcome) != 2)
			continue;
		check_one(name, outcome);
		n++;
	}
	fclose(f);
	ck_assert_int_ge(n, 20);
}
END_TEST

/* Crafted images. */

static char *
write_image(const isogen *g)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/check_iso_gen.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, g->img, g->nsect * ISOGEN_SECTOR),
	    (ssize_t)(g->nsect * ISOGEN_SECTOR));
	close(fd);
	return path;
}

struct capture {
	int n;
	ib_entry last;
	char path[256];
	char problem[256];
	unsigned char data[65536];
	size_t nextents;
};

static int
capture(void *ctx, const ib_entry *e, ib_err *err)
{
	struct capture *c;

	(void)err;
	c = ctx;
	c->n++;
	c->last = *e;
	c->nextents = e->nextents;
	snprintf(c->path, sizeof(c->path), "%s", e->path);
	snprintf(c->problem, sizeof(c->problem), "%s",
	    e->problem != NULL ? e->problem : "");
	return 0;
}

static int
walk_image(const isogen *g, struct capture *c, ib_err *err)
{
	ib_iso_opts o;
	ib_iso *iso;
	char *path;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(c, 0, sizeof(*c));
	path = write_image(g);
	ib_err_clear(err);
	iso = ib_iso_open(path, &o, err);
	ck_assert_msg(iso != NULL, "open: %s", ib_err_text(err));
	rc = ib_iso_walk(iso, capture, c, err);
	ib_iso_close(iso);
	unlink(path);
	return rc;
}

/* FILE.BIN in three extents of 2048, 2048 and 100 bytes, each record but
 * the last flagged multi-extent (ECMA-119 9.1.6 bit 7). */
START_TEST(test_multi_extent_merged)
{
	struct capture c;
	isogen g;
	ib_err err;
	size_t off;
	unsigned char *d;

	ck_assert_int_eq(isogen_init(&g, 24, 18), 0);
	off = isogen_dir(&g, 18, 18);
	d = isogen_sector(&g, 18);
	off += isogen_record(d + off, 20, 2048, 0x80, "FILE.BIN;1", 10);
	off += isogen_record(d + off, 22, 2048, 0x80, "FILE.BIN;1", 10);
	isogen_record(d + off, 21, 100, 0, "FILE.BIN;1", 10);
	ck_assert_int_eq(walk_image(&g, &c, &err), 0);
	ck_assert_int_eq(c.n, 1);
	ck_assert_str_eq(c.path, "FILE.BIN");
	ck_assert_uint_eq(c.last.size, 4196);
	ck_assert_uint_eq(c.nextents, 3);
	free(g.img);
}
END_TEST

/* The last record of a multi-extent file is missing: the directory ends
 * with the flag still set. */
START_TEST(test_multi_extent_unfinished)
{
	struct capture c;
	isogen g;
	ib_err err;
	size_t off;
	unsigned char *d;

	ck_assert_int_eq(isogen_init(&g, 24, 18), 0);
	off = isogen_dir(&g, 18, 18);
	d = isogen_sector(&g, 18);
	isogen_record(d + off, 20, 2048, 0x80, "FILE.BIN;1", 10);
	ck_assert_int_eq(walk_image(&g, &c, &err), -1);
	ck_assert_int_eq(err.code, IB_EFORMAT);
	ck_assert_ptr_nonnull(strstr(err.msg, "multi-extent"));
	free(g.img);
}
END_TEST

/* Two different names claim to be pieces of one multi-extent file. */
START_TEST(test_multi_extent_name_mismatch)
{
	struct capture c;
	isogen g;
	ib_err err;
	size_t off;
	unsigned char *d;

	ck_assert_int_eq(isogen_init(&g, 24, 18), 0);
	off = isogen_dir(&g, 18, 18);
	d = isogen_sector(&g, 18);
	off += isogen_record(d + off, 20, 2048, 0x80, "A.BIN;1", 7);
	isogen_record(d + off, 21, 10, 0, "B.BIN;1", 7);
	ck_assert_int_eq(walk_image(&g, &c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "multi-extent"));
	free(g.img);
}
END_TEST

/* A subdirectory whose extent is the root: an endless tree for a reader
 * without cycle detection (iso-info prints thousands of lines). */
START_TEST(test_directory_cycle)
{
	struct capture c;
	isogen g;
	ib_err err;
	size_t off;
	unsigned char *d;

	ck_assert_int_eq(isogen_init(&g, 20, 18), 0);
	off = isogen_dir(&g, 18, 18);
	d = isogen_sector(&g, 18);
	isogen_record(d + off, 18, 2048, 0x02, "LOOP", 4);
	ck_assert_int_eq(walk_image(&g, &c, &err), 0);
	ck_assert_int_eq(c.n, 1);
	ck_assert_ptr_nonnull(strstr(c.problem, "loop"));
	free(g.img);
}
END_TEST

/* A record length of 20 is below the 34-byte minimum of ECMA-119 9.1. */
START_TEST(test_bad_record_length)
{
	struct capture c;
	isogen g;
	ib_err err;
	size_t off;
	unsigned char *d;

	ck_assert_int_eq(isogen_init(&g, 20, 18), 0);
	off = isogen_dir(&g, 18, 18);
	d = isogen_sector(&g, 18);
	isogen_record(d + off, 19, 10, 0, "A;1", 3);
	d[off] = 20;
	ck_assert_int_eq(walk_image(&g, &c, &err), -1);
	ck_assert_int_eq(err.code, IB_EFORMAT);
	ck_assert_ptr_nonnull(strstr(err.msg, "bad directory record"));
	free(g.img);
}
END_TEST

/* A file and a directory whose extents lie past the end of the image. */
START_TEST(test_extent_beyond_end)
{
	struct capture c;
	isogen g;
	ib_err err;
	size_t off;
	unsigned char *d;

	ck_assert_int_eq(isogen_init(&g, 20, 18), 0);
	off = isogen_dir(&g, 18, 18);
	d = isogen_sector(&g, 18);
	isogen_record(d + off, 19, 1u << 30, 0, "BIG;1", 5);
	ck_assert_int_eq(walk_image(&g, &c, &err), 0);
	ck_assert_ptr_nonnull(strstr(c.problem, "beyond the end"));
	free(g.img);
}
END_TEST

/* The root directory claims 0xFFFFFF30 bytes (libcdio malformed.iso). */
START_TEST(test_root_absurd_size)
{
	struct capture c;
	isogen g;
	ib_err err;

	ck_assert_int_eq(isogen_init(&g, 20, 18), 0);
	isogen_dir(&g, 18, 18);
	isogen_both32(isogen_sector(&g, 16) + 156 + 10, 0xFFFFFF30u);
	ck_assert_int_eq(walk_image(&g, &c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "root directory"));
	free(g.img);
}
END_TEST

/* ECMA-119 names keep their recorded case; ";1" and a final "." go. */
START_TEST(test_plain_names)
{
	struct capture c;
	isogen g;
	ib_err err;
	size_t off;
	unsigned char *d;

	ck_assert_int_eq(isogen_init(&g, 20, 18), 0);
	off = isogen_dir(&g, 18, 18);
	d = isogen_sector(&g, 18);
	isogen_record(d + off, 19, 0, 0, "README.;1", 9);
	ck_assert_int_eq(walk_image(&g, &c, &err), 0);
	ck_assert_str_eq(c.path, "README");
	free(g.img);
}
END_TEST

START_TEST(test_not_iso)
{
	char path[] = "/tmp/check_iso_not.XXXXXX";
	ib_iso_opts o;
	ib_err err;
	int fd;

	memset(&o, 0, sizeof(o));
	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, "hello", 5), 5);
	close(fd);
	ck_assert_ptr_null(ib_iso_open(path, &o, &err));
	ck_assert_int_eq(err.code, IB_EFORMAT);
	ck_assert_ptr_nonnull(strstr(err.msg, "not an ISO 9660 image"));
	unlink(path);
}
END_TEST

/* Write n bytes of data, then pad zeros to size, to a new temporary;
 * open it as an image and return the message. */
static void
expect_not_iso(const void *data, size_t n, size_t size, const char *want)
{
	char path[] = "/tmp/check_iso_sniff.XXXXXX";
	static const char zeros[4096];
	ib_iso_opts o;
	ib_err err;
	size_t left;
	int fd;

	memset(&o, 0, sizeof(o));
	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
	for (left = size > n ? size - n : 0; left > 0;) {
		size_t k = left < sizeof(zeros) ? left : sizeof(zeros);

		ck_assert_int_eq(write(fd, zeros, k), (ssize_t)k);
		left -= k;
	}
	close(fd);
	ck_assert_ptr_null(ib_iso_open(path, &o, &err));
	unlink(path);
	ck_assert_int_eq(err.code, IB_EFORMAT);
	ck_assert_msg(strcmp(err.msg, want) == 0, "'%s', expected '%s'",
	    err.msg, want);
}

/* test_not_iso_named_by_libcdio: a web page saved as .iso was "not an
 * ISO 9660 image: unexpected PVD type 111" (111 is the 'o' of a line of
 * HTML): say what the file is when that is easy to tell. */
START_TEST(test_not_iso_named_by_libcdio)
{
	static const char html[] = "\xef\xbb\xbf\n  <!DOCTYPE html>\n<html>";
	unsigned char gpt[1024], mbr[512];

	expect_not_iso(html, sizeof(html) - 1, 65536,
	    "not an ISO 9660 image: an HTML page (a download that failed?)");
	expect_not_iso("", 0, 0, "not an ISO 9660 image: an empty file");
	expect_not_iso("QFI\xfb\0\0\0\3", 8, 65536,
	    "not an ISO 9660 image: a qcow2 disk image");
	memset(gpt, 0, sizeof(gpt));
	gpt[510] = 0x55;
	gpt[511] = 0xaa;
	memcpy(gpt + 512, "EFI PART", 8);
	expect_not_iso(gpt, sizeof(gpt), 1 << 20,
	    "not an ISO 9660 image: a disk image (GPT partition table)");
	memset(mbr, 0, sizeof(mbr));
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	expect_not_iso(mbr, sizeof(mbr), 1 << 20,
	    "not an ISO 9660 image: a disk image or boot sector (MBR)");
	expect_not_iso("hello\n", 6, 6, "not an ISO 9660 image: a text file");
	/* Nothing to tell: where the descriptor should be, not libcdio's
	 * words. */
	expect_not_iso("\x01\x02\x03", 3, 65536,
	    "not an ISO 9660 image: no volume descriptor 'CD001' at byte "
	    "32769");
	expect_not_iso("\x01\x02\x03", 3, 1000,
	    "not an ISO 9660 image (1000 bytes, too small)");
}
END_TEST

static Suite *
iso_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("iso");
	tc = tu_add(s, "shared_images", test_shared_images);
	tcase_set_timeout(tc, 60);
	tc = tu_add(s, "multi_extent", test_multi_extent_merged);
	tcase_add_test(tc, test_multi_extent_unfinished);
	tcase_add_test(tc, test_multi_extent_name_mismatch);
	tc = tu_add(s, "hostile", test_directory_cycle);
	tcase_add_test(tc, test_bad_record_length);
	tcase_add_test(tc, test_extent_beyond_end);
	tcase_add_test(tc, test_root_absurd_size);
	tcase_add_test(tc, test_not_iso);
	tcase_add_test(tc, test_not_iso_named_by_libcdio);
	tu_add(s, "names", test_plain_names);
	return s;
}

int
main(void)
{
	return tu_run(iso_suite());
}
