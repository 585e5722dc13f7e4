/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_extract: writing members of crafted images (fixtures/isogen.h)
 * under a destination directory, from the image file or, as a stream,
 * from a pipe. Each test works in its own mkdtemp directory, inside one
 * made per TCase in the parent process ($IB_WORK, else $TMPDIR, else
 * /tmp) and removed there even when a test fails: "dst" is the
 * destination, "other" is where a hostile symlink points (it must stay
 * empty), "image.iso" is the image.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "errors.h"
#include "extract.h"
#include "iso.h"
#include "testutil.h"

#include "../../fixtures/isogen.h"

#define ROOT  18u /* root directory sector */
#define NSECT 64u /* sectors in an image, at most */

/* The top directory of the running TCase (made in the parent). */
static char top[4096];

static void
top_setup(void)
{
	tu_mkdtemp(top, sizeof(top), "check_extract");
}

/* Pre-order: give every directory u+rwx back (tests make 0555 ones). */
static int
chmod_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D && (st->st_mode & 0700) != 0700)
		chmod(path, 0700);
	return 0;
}

static void
top_teardown(void)
{
	nftw(top, chmod_one, 16, FTW_PHYS);
	tu_rmtree(top);
}

/* One test's tree. */
struct tree {
	char dir[4200];
	char dst[4300];
	char other[4300];
	char image[4300];
	char source[4300]; /* what is opened: image, or a pipe holding it */
	int pipe_rd;
	int dirfd;
};

static void
tree_init(struct tree *t)
{
	snprintf(t->dir, sizeof(t->dir), "%s/t.XXXXXX", top);
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->dst, sizeof(t->dst), "%s/dst", t->dir);
	snprintf(t->other, sizeof(t->other), "%s/other", t->dir);
	snprintf(t->image, sizeof(t->image), "%s/image.iso", t->dir);
	snprintf(t->source, sizeof(t->source), "%s", t->image);
	t->pipe_rd = -1;
	ck_assert_int_eq(mkdir(t->dst, 0755), 0);
	ck_assert_int_eq(mkdir(t->other, 0755), 0);
	t->dirfd = open(t->dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(t->dirfd, 0);
}

static void
tree_free(struct tree *t)
{
	close(t->dirfd);
	if (t->pipe_rd != -1)
		close(t->pipe_rd);
}

/*
 * Open a pipe holding the whole image instead of the image: a stream.
 * The image is written ahead, so it must fit the pipe's buffer (64 KiB on
 * Linux and macOS); a non-blocking write fails the test, not hang it.
 */
static void
tree_stream(struct tree *t)
{
	unsigned char buf[64 * 1024];
	ssize_t n;
	int fd, p[2];

	fd = open(t->image, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	ck_assert_int_gt(n, 0);
	ck_assert_int_lt(n, (ssize_t)sizeof(buf));
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ne(fcntl(p[1], F_SETFL, O_NONBLOCK), -1);
	ck_assert_msg(write(p[1], buf, (size_t)n) == n,
	    "image of %zd bytes does not fit a pipe", n);
	close(p[1]);
	t->pipe_rd = p[0];
	snprintf(t->source, sizeof(t->source), "/dev/fd/%d", p[0]);
}

static char leftover[256];

static int
find_temp(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *name = path + ftw->base;
	size_t n = strlen(name);

	(void)st;
	(void)type;
	if (strncmp(name, ".ib", 3) == 0 && n > 4 &&
	    strcmp(name + n - 4, ".tmp") == 0) {
		snprintf(leftover, sizeof(leftover), "%s", path);
		return 1;
	}
	return 0;
}

/* No ".ib*.tmp" name anywhere under dir. */
static void
expect_no_temp(const char *dir)
{
	int rc;

	leftover[0] = '\0';
	rc = nftw(dir, find_temp, 16, FTW_PHYS);
	ck_assert_msg(leftover[0] == '\0', "temporary left behind: %s",
	    leftover);
	ck_assert_int_eq(rc, 0);
}

/* Deterministic, position-dependent bytes (no two sectors alike). */
static void
fill(unsigned char *buf, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)((i * 131 + (i >> 11) * 7 + seed) ^
		    (i >> 8));
}

/* The file at path has exactly the n bytes of want. */
static void
expect_bytes(const char *path, const void *want, size_t n)
{
	unsigned char *buf = malloc(n + 1);
	ssize_t got;
	int fd;

	ck_assert_ptr_nonnull(buf);
	fd = open(path, O_RDONLY | O_NOFOLLOW);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	got = read(fd, buf, n + 1);
	close(fd);
	ck_assert_msg(got == (ssize_t)n, "%s: %zd bytes, expected %zu", path,
	    got, n);
	ck_assert_msg(memcmp(buf, want, n) == 0, "%s: wrong bytes", path);
	free(buf);
}

static void
expect_text(const char *path, const char *want)
{
	expect_bytes(path, want, strlen(want));
}

static void
write_text(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
}

static struct stat
lstat_ok(const char *path)
{
	struct stat st;

	ck_assert_msg(lstat(path, &st) == 0, "%s: %s", path, strerror(errno));
	return st;
}

static void
expect_absent(const char *path)
{
	struct stat st;

	ck_assert_msg(lstat(path, &st) == -1 && errno == ENOENT, "%s exists",
	    path);
}

/*
 * Building an image: NSECT sectors, the root directory at ROOT; off[lsn]
 * is where the next record of directory sector lsn goes.
 */
struct gen {
	isogen g;
	size_t off[NSECT];
};

static void
gen_init_n(struct gen *b, size_t nsect)
{
	ck_assert_uint_le(nsect, NSECT);
	memset(b, 0, sizeof(*b));
	ck_assert_int_eq(isogen_init(&b->g, nsect, ROOT), 0);
	b->off[ROOT] = isogen_dir(&b->g, ROOT, ROOT);
}

static void
gen_init(struct gen *b)
{
	gen_init_n(b, NSECT);
}

/* A record in directory sector dir named by the namelen bytes of name,
 * with su (sulen bytes) as its system use area. */
static void
gen_record_n(struct gen *b, uint32_t dir, uint32_t lsn, uint32_t size,
    unsigned flags, const char *name, size_t namelen, const unsigned char *su,
    size_t sulen)
{
	unsigned char *p;
	size_t len;

	ck_assert_uint_lt(dir, b->g.nsect);
	p = isogen_sector(&b->g, dir) + b->off[dir];
	len = isogen_record(p, lsn, size, flags, name, namelen);
	ck_assert_uint_le(b->off[dir] + len + sulen + 1, ISOGEN_SECTOR);
	if (sulen > 0) {
		memcpy(p + len, su, sulen);
		len += sulen + (sulen & 1); /* records have even lengths */
		p[0] = (unsigned char)len;
	}
	b->off[dir] += len;
}

static void
gen_record(struct gen *b, uint32_t dir, uint32_t lsn, uint32_t size,
    unsigned flags, const char *name, const unsigned char *su, size_t sulen)
{
	gen_record_n(b, dir, lsn, size, flags, name, strlen(name), su, sulen);
}

/* Directory name in dir, its records in sector lsn. */
static void
gen_dir(struct gen *b, uint32_t dir, const char *name, uint32_t lsn)
{
	ck_assert_uint_lt(lsn, b->g.nsect);
	gen_record(b, dir, lsn, ISOGEN_SECTOR, 0x02, name, NULL, 0);
	b->off[lsn] = isogen_dir(&b->g, lsn, dir);
}

/* File name in dir whose n bytes (data, or none if NULL) start at lsn. */
static void
gen_file(struct gen *b, uint32_t dir, const char *name, uint32_t lsn,
    const void *data, uint32_t n)
{
	gen_record(b, dir, lsn, n, 0, name, NULL, 0);
	if (data != NULL) {
		ck_assert_uint_le((uint64_t)lsn * ISOGEN_SECTOR + n,
		    (uint64_t)b->g.nsect * ISOGEN_SECTOR);
		memcpy(isogen_sector(&b->g, lsn), data, n);
	}
}

static void
gen_write(struct gen *b, const char *path)
{
	size_t n = b->g.nsect * ISOGEN_SECTOR;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, b->g.img, n), (ssize_t)n);
	close(fd);
	free(b->g.img);
	b->g.img = NULL;
}

/* What ib_extract_entry said about each member. */
struct result {
	char path[256];
	ib_ftype type;
	int rc, code;
	char msg[IB_ERR_MAX];
};

struct run {
	ib_iso *iso;
	ib_extract *x;
	struct result r[32];
	size_t n;
	int walk_rc, finish_rc;
	ib_err walk_err, finish_err;
};

static int
visit(void *ctx, const ib_entry *e, ib_err *err)
{
	struct run *run = ctx;
	struct result *r;
	ib_err xe;

	(void)err;
	ck_assert_uint_lt(run->n, 32);
	r = &run->r[run->n++];
	snprintf(r->path, sizeof(r->path), "%s", e->path);
	r->type = e->type;
	ib_err_clear(&xe);
	r->rc = ib_extract_entry(run->x, e, &xe);
	r->code = xe.code;
	snprintf(r->msg, sizeof(r->msg), "%s", xe.msg);
	return 0;
}

/* Open the image and walk it, extracting every member; the caller checks
 * the tree, then calls run_finish(). */
static void
run_walk(struct run *run, const struct tree *t, const ib_extract_opts *o)
{
	ib_iso_opts io;
	ib_err err;

	memset(run, 0, sizeof(*run));
	memset(&io, 0, sizeof(io));
	ib_err_clear(&err);
	run->iso = ib_iso_open(t->source, &io, &err);
	ck_assert_msg(run->iso != NULL, "open: %s", ib_err_text(&err));
	run->x = ib_extract_new(run->iso, t->dirfd, o, &err);
	ck_assert_msg(run->x != NULL, "new: %s", ib_err_text(&err));
	ib_err_clear(&run->walk_err);
	run->walk_rc = ib_iso_walk(run->iso, visit, run, &run->walk_err);
	ck_assert_msg(run->walk_rc == 0, "walk: %s",
	    ib_err_text(&run->walk_err));
}

static void
run_finish(struct run *run)
{
	ib_err_clear(&run->finish_err);
	run->finish_rc = ib_extract_finish(run->x, &run->finish_err);
	ib_extract_free(run->x);
	ib_iso_close(run->iso);
	run->x = NULL;
	run->iso = NULL;
}

static void
run_all(struct run *run, const struct tree *t, const ib_extract_opts *o)
{
	run_walk(run, t, o);
	run_finish(run);
}

static const struct result *
result(const struct run *run, const char *path)
{
	size_t i;

	for (i = 0; i < run->n; i++)
		if (strcmp(run->r[i].path, path) == 0)
			return &run->r[i];
	ck_abort_msg("member '%s' was not visited", path);
	return NULL;
}

static void
expect_ok(const struct run *run, const char *path)
{
	const struct result *r = result(run, path);

	ck_assert_msg(r->rc == 0, "%s: rc %d: %s", path, r->rc, r->msg);
}

static void
expect_fail(const struct run *run, const char *path, int code, const char *sub)
{
	const struct result *r = result(run, path);

	ck_assert_msg(r->rc == -1, "%s: rc %d, expected -1", path, r->rc);
	ck_assert_msg(r->code == code, "%s: code %d, expected %d (%s)", path,
	    r->code, code, r->msg);
	ck_assert_msg(strstr(r->msg, sub) != NULL,
	    "%s: message '%s' lacks '%s'", path, r->msg, sub);
}

static void
expect_finish_ok(const struct run *run)
{
	ck_assert_msg(run->finish_rc == 0, "finish: %s",
	    ib_err_text(&run->finish_err));
}

static void
opts_init(ib_extract_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
}

/* basic: SUB/F.BIN of 5000 bytes (three sectors), an empty file and a
 * file in the root: the bytes, modes and tree are right, and nothing is
 * left under a temporary name or in an open fd. */
START_TEST(test_basic)
{
	unsigned char data[5000];
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;
	struct stat st;
	int lowest;

	fill(data, sizeof(data), 1);
	tree_init(&t);
	gen_init(&b);
	gen_file(&b, ROOT, "A.TXT;1", 30, "top\n", 4);
	gen_file(&b, ROOT, "EMPTY.TXT;1", 0, NULL, 0);
	gen_dir(&b, ROOT, "SUB", 19);
	gen_file(&b, 19, "F.BIN;1", 32, data, sizeof(data));
	gen_write(&b, t.image);
	opts_init(&o);
	lowest = tu_lowest_free_fd();
	run_all(&run, &t, &o);
	ck_assert_int_eq(tu_lowest_free_fd(), lowest);
	expect_ok(&run, "A.TXT");
	expect_ok(&run, "EMPTY.TXT");
	expect_ok(&run, "SUB");
	expect_ok(&run, "SUB/F.BIN");
	expect_finish_ok(&run);

	st = lstat_ok(tu_at(t.dst, "SUB"));
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0755);
	st = lstat_ok(tu_at(t.dst, "SUB/F.BIN"));
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	expect_bytes(tu_at(t.dst, "SUB/F.BIN"), data, sizeof(data));
	expect_text(tu_at(t.dst, "A.TXT"), "top\n");
	st = lstat_ok(tu_at(t.dst, "EMPTY.TXT"));
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_size, 0);
	ck_assert_int_eq(tu_entries(t.dst), 3);
	ck_assert_int_eq(tu_entries(tu_at(t.dst, "SUB")), 1);
	expect_no_temp(t.dst);
	ck_assert_int_eq(tu_entries(t.other), 0);
	tree_free(&t);
}
END_TEST

/*
 * replace: dst/F.TXT exists, with a hard link OLD.LNK to it. Extraction
 * must build the new file aside and rename it over F.TXT: the name gets a
 * new inode and OLD.LNK keeps the old bytes. Truncating and rewriting
 * F.TXT in place would change OLD.LNK too.
 */
START_TEST(test_replace_renames)
{
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;
	struct stat before, after;

	tree_init(&t);
	write_text(tu_at(t.dst, "F.TXT"),
	    "old contents, longer than the new\n");
	ck_assert_int_eq(link(tu_at(t.dst, "F.TXT"), tu_at(t.dst, "OLD.LNK")),
	    0);
	before = lstat_ok(tu_at(t.dst, "F.TXT"));
	gen_init(&b);
	gen_file(&b, ROOT, "F.TXT;1", 30, "new\n", 4);
	gen_write(&b, t.image);
	opts_init(&o);
	run_all(&run, &t, &o);
	expect_ok(&run, "F.TXT");
	expect_finish_ok(&run);

	after = lstat_ok(tu_at(t.dst, "F.TXT"));
	ck_assert_msg(after.st_ino != before.st_ino,
	    "F.TXT kept its inode: rewritten in place, not renamed");
	ck_assert_uint_eq(after.st_nlink, 1);
	expect_text(tu_at(t.dst, "F.TXT"), "new\n");
	expect_text(tu_at(t.dst, "OLD.LNK"),
	    "old contents, longer than the new\n");
	after = lstat_ok(tu_at(t.dst, "OLD.LNK"));
	ck_assert(after.st_ino == before.st_ino);
	ck_assert_uint_eq(after.st_nlink, 1);
	ck_assert_int_eq(tu_entries(t.dst), 2);
	expect_no_temp(t.dst);
	tree_free(&t);
}
END_TEST

/* keep: an existing file keeps its bytes and inode; a new one is written. */
START_TEST(test_keep_existing)
{
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;
	struct stat before, after;
	const struct result *r;

	tree_init(&t);
	write_text(tu_at(t.dst, "F.TXT"), "mine\n");
	before = lstat_ok(tu_at(t.dst, "F.TXT"));
	gen_init(&b);
	gen_file(&b, ROOT, "F.TXT;1", 30, "theirs\n", 7);
	gen_file(&b, ROOT, "G.TXT;1", 31, "new\n", 4);
	gen_write(&b, t.image);
	opts_init(&o);
	o.keep = true;
	run_all(&run, &t, &o);
	r = result(&run, "F.TXT");
	ck_assert_int_eq(r->rc, IB_EXTRACT_SKIPPED);
	ck_assert_msg(strstr(r->msg, "exists") != NULL, "message '%s'", r->msg);
	expect_ok(&run, "G.TXT");
	expect_finish_ok(&run);

	expect_text(tu_at(t.dst, "F.TXT"), "mine\n");
	after = lstat_ok(tu_at(t.dst, "F.TXT"));
	ck_assert(after.st_ino == before.st_ino);
	expect_text(tu_at(t.dst, "G.TXT"), "new\n");
	ck_assert_int_eq(tu_entries(t.dst), 2);
	expect_no_temp(t.dst);
	tree_free(&t);
}
END_TEST

/* strip 1: TOP/SUB/F.TXT lands at SUB/F.TXT; TOP itself and the root's
 * H.TXT have nothing left and are skipped. */
START_TEST(test_strip)
{
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;

	tree_init(&t);
	gen_init(&b);
	gen_file(&b, ROOT, "H.TXT;1", 30, "h\n", 2);
	gen_dir(&b, ROOT, "TOP", 19);
	gen_file(&b, 19, "G.TXT;1", 31, "g\n", 2);
	gen_dir(&b, 19, "SUB", 20);
	gen_file(&b, 20, "F.TXT;1", 32, "f\n", 2);
	gen_write(&b, t.image);
	opts_init(&o);
	o.strip = 1;
	run_all(&run, &t, &o);
	ck_assert_int_eq(result(&run, "H.TXT")->rc, IB_EXTRACT_SKIPPED);
	ck_assert_int_eq(result(&run, "TOP")->rc, IB_EXTRACT_SKIPPED);
	expect_ok(&run, "TOP/G.TXT");
	expect_ok(&run, "TOP/SUB");
	expect_ok(&run, "TOP/SUB/F.TXT");
	expect_finish_ok(&run);

	expect_text(tu_at(t.dst, "SUB/F.TXT"), "f\n");
	expect_text(tu_at(t.dst, "G.TXT"), "g\n");
	expect_absent(tu_at(t.dst, "TOP"));
	expect_absent(tu_at(t.dst, "H.TXT"));
	ck_assert_int_eq(tu_entries(t.dst), 2);
	expect_no_temp(t.dst);
	tree_free(&t);
}
END_TEST

/* flat: DIR/A/F and DIR/B/G become F and G; no directory is made. */
START_TEST(test_flat)
{
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;

	tree_init(&t);
	gen_init(&b);
	gen_dir(&b, ROOT, "DIR", 19);
	gen_dir(&b, 19, "A", 20);
	gen_dir(&b, 19, "B", 21);
	gen_file(&b, 20, "F;1", 30, "ef\n", 3);
	gen_file(&b, 21, "G;1", 31, "gee\n", 4);
	gen_write(&b, t.image);
	opts_init(&o);
	o.flat = true;
	run_all(&run, &t, &o);
	expect_ok(&run, "DIR");
	expect_ok(&run, "DIR/A/F");
	expect_ok(&run, "DIR/B/G");
	expect_finish_ok(&run);

	expect_text(tu_at(t.dst, "F"), "ef\n");
	expect_text(tu_at(t.dst, "G"), "gee\n");
	ck_assert_int_eq(tu_entries(t.dst), 2);
	tree_free(&t);
}
END_TEST

/* flat: DIR/A/F and DIR/B/F collide; the second fails with EEXIST naming
 * the first, which keeps its bytes. */
START_TEST(test_flat_same_name)
{
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;

	tree_init(&t);
	gen_init(&b);
	gen_dir(&b, ROOT, "DIR", 19);
	gen_dir(&b, 19, "A", 20);
	gen_dir(&b, 19, "B", 21);
	gen_file(&b, 20, "F;1", 30, "first\n", 6);
	gen_file(&b, 21, "F;1", 31, "second\n", 7);
	gen_write(&b, t.image);
	opts_init(&o);
	o.flat = true;
	run_all(&run, &t, &o);
	expect_ok(&run, "DIR/A/F");
	expect_fail(&run, "DIR/B/F", EEXIST, "'DIR/A/F'");
	expect_finish_ok(&run);

	expect_text(tu_at(t.dst, "F"), "first\n");
	ck_assert_int_eq(tu_entries(t.dst), 1);
	expect_no_temp(t.dst);
	tree_free(&t);
}
END_TEST

/*
 * test_unsafe_symlink_dir: dst/SUB is a symlink to the other directory.
 * Writing SUB/F.TXT through it would create other/F.TXT; it is refused
 * with IB_EUNSAFE, the SUB directory member too, and other stays empty.
 */
START_TEST(test_unsafe_symlink_dir)
{
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;
	struct stat st;

	tree_init(&t);
	ck_assert_int_eq(symlink(t.other, tu_at(t.dst, "SUB")), 0);
	gen_init(&b);
	gen_dir(&b, ROOT, "SUB", 19);
	gen_file(&b, 19, "F.TXT;1", 30, "payload\n", 8);
	gen_dir(&b, 19, "DEEP", 20);
	gen_file(&b, 20, "G.TXT;1", 31, "payload\n", 8);
	gen_write(&b, t.image);
	opts_init(&o);
	run_all(&run, &t, &o);
	expect_fail(&run, "SUB", EEXIST, "not a directory");
	expect_fail(&run, "SUB/F.TXT", IB_EUNSAFE, "'SUB'");
	expect_fail(&run, "SUB/DEEP", IB_EUNSAFE, "'SUB'");
	expect_fail(&run, "SUB/DEEP/G.TXT", IB_EUNSAFE, "'SUB'");
	expect_finish_ok(&run);

	ck_assert_int_eq(tu_entries(t.other), 0);
	st = lstat_ok(tu_at(t.dst, "SUB"));
	ck_assert(S_ISLNK(st.st_mode));
	st = lstat_ok(t.other);
	ck_assert_uint_eq(st.st_mode & 07777, 0755);
	expect_no_temp(t.dst);
	tree_free(&t);
}
END_TEST

/* dst/F.TXT is a symlink to other/victim: the file is renamed over the
 * link, which is never followed; other/victim is not created. */
START_TEST(test_unsafe_symlink_file)
{
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;
	struct stat st;

	tree_init(&t);
	ck_assert_int_eq(
	    symlink(tu_at(t.other, "victim"), tu_at(t.dst, "F.TXT")), 0);
	gen_init(&b);
	gen_file(&b, ROOT, "F.TXT;1", 30, "payload\n", 8);
	gen_write(&b, t.image);
	opts_init(&o);
	run_all(&run, &t, &o);
	expect_ok(&run, "F.TXT");
	expect_finish_ok(&run);

	ck_assert_int_eq(tu_entries(t.other), 0);
	st = lstat_ok(tu_at(t.dst, "F.TXT"));
	ck_assert(S_ISREG(st.st_mode));
	expect_text(tu_at(t.dst, "F.TXT"), "payload\n");
	tree_free(&t);
}
END_TEST

/* The image for the to_fd tests: G.TXT, SUB, SUB/F.TXT, in that order. */
static void
to_fd_image(const struct tree *t)
{
	struct gen b;

	gen_init(&b);
	gen_file(&b, ROOT, "G.TXT;1", 30, "defg", 4);
	gen_dir(&b, ROOT, "SUB", 19);
	gen_file(&b, 19, "F.TXT;1", 31, "abc\n", 4);
	gen_write(&b, t->image);
}

/* to_fd into a file: the bytes of every file in walk order, nothing
 * created under dst, a directory member returns 0. */
START_TEST(test_to_fd_file)
{
	ib_extract_opts o;
	struct tree t;
	struct run run;
	int fd;

	tree_init(&t);
	to_fd_image(&t);
	fd = open(tu_at(t.dir, "out"), O_RDWR | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	opts_init(&o);
	o.to_fd = true;
	o.fd = fd;
	run_all(&run, &t, &o);
	expect_ok(&run, "G.TXT");
	expect_ok(&run, "SUB");
	expect_ok(&run, "SUB/F.TXT");
	expect_finish_ok(&run);
	close(fd);

	expect_text(tu_at(t.dir, "out"), "defgabc\n");
	ck_assert_int_eq(tu_entries(t.dst), 0);
	tree_free(&t);
}
END_TEST

START_TEST(test_to_fd_pipe)
{
	ib_extract_opts o;
	struct tree t;
	struct run run;
	char buf[64];
	ssize_t n;
	int p[2];

	tree_init(&t);
	to_fd_image(&t);
	ck_assert_int_eq(pipe(p), 0);
	opts_init(&o);
	o.to_fd = true;
	o.fd = p[1];
	run_all(&run, &t, &o);
	expect_ok(&run, "G.TXT");
	expect_ok(&run, "SUB");
	expect_ok(&run, "SUB/F.TXT");
	expect_finish_ok(&run);
	close(p[1]);
	n = read(p[0], buf, sizeof(buf));
	close(p[0]);
	ck_assert_int_eq(n, 8);
	ck_assert(memcmp(buf, "defgabc\n", 8) == 0);
	ck_assert_int_eq(tu_entries(t.dst), 0);
	tree_free(&t);
}
END_TEST

/* BIG's record claims 1 GiB of data at sector 40 of a 64-sector image:
 * the walk flags it, and extraction refuses it without creating it. */
START_TEST(test_problem_beyond_end)
{
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;

	tree_init(&t);
	gen_init(&b);
	gen_file(&b, ROOT, "BIG;1", 40, NULL, 1u << 30);
	gen_file(&b, ROOT, "OK.TXT;1", 30, "ok\n", 3);
	gen_write(&b, t.image);
	opts_init(&o);
	run_all(&run, &t, &o);
	expect_fail(&run, "BIG", IB_EFORMAT, "beyond the end");
	expect_ok(&run, "OK.TXT");
	expect_finish_ok(&run);

	expect_absent(tu_at(t.dst, "BIG"));
	expect_text(tu_at(t.dst, "OK.TXT"), "ok\n");
	expect_no_temp(t.dst);
	tree_free(&t);
}
END_TEST

/* Same with to_fd: nothing of the bad member reaches the fd. */
START_TEST(test_problem_to_fd)
{
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;
	struct stat st;
	int fd;

	tree_init(&t);
	gen_init(&b);
	gen_file(&b, ROOT, "BIG;1", 40, NULL, 1u << 30);
	gen_write(&b, t.image);
	fd = open(tu_at(t.dir, "out"), O_RDWR | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	opts_init(&o);
	o.to_fd = true;
	o.fd = fd;
	run_all(&run, &t, &o);
	expect_fail(&run, "BIG", IB_EFORMAT, "beyond the end");
	expect_finish_ok(&run);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	close(fd);
	tree_free(&t);
}
END_TEST

/* A.BIN, B.BIN and SUB/D.BIN share one extent of 3000 bytes: one inode.
 * C.BIN starts there too but is shorter: its own file. Two empty files
 * share no data: two inodes. */
START_TEST(test_hard_links)
{
	unsigned char data[3000];
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;
	struct stat a, sb, c, d, e1, e2;

	fill(data, sizeof(data), 7);
	tree_init(&t);
	gen_init(&b);
	gen_file(&b, ROOT, "A.BIN;1", 30, data, sizeof(data));
	gen_file(&b, ROOT, "B.BIN;1", 30, NULL, sizeof(data));
	gen_file(&b, ROOT, "C.BIN;1", 30, NULL, 100);
	gen_file(&b, ROOT, "E1;1", 0, NULL, 0);
	gen_file(&b, ROOT, "E2;1", 0, NULL, 0);
	gen_dir(&b, ROOT, "SUB", 19);
	gen_file(&b, 19, "D.BIN;1", 30, NULL, sizeof(data));
	gen_write(&b, t.image);
	opts_init(&o);
	run_all(&run, &t, &o);
	expect_ok(&run, "A.BIN");
	expect_ok(&run, "B.BIN");
	expect_ok(&run, "C.BIN");
	expect_ok(&run, "E1");
	expect_ok(&run, "E2");
	expect_ok(&run, "SUB/D.BIN");
	expect_finish_ok(&run);

	a = lstat_ok(tu_at(t.dst, "A.BIN"));
	sb = lstat_ok(tu_at(t.dst, "B.BIN"));
	c = lstat_ok(tu_at(t.dst, "C.BIN"));
	d = lstat_ok(tu_at(t.dst, "SUB/D.BIN"));
	e1 = lstat_ok(tu_at(t.dst, "E1"));
	e2 = lstat_ok(tu_at(t.dst, "E2"));
	ck_assert(a.st_ino == sb.st_ino);
	ck_assert(a.st_ino == d.st_ino);
	ck_assert_uint_eq(a.st_nlink, 3);
	ck_assert(c.st_ino != a.st_ino);
	ck_assert_uint_eq(c.st_nlink, 1);
	ck_assert(e1.st_ino != e2.st_ino);
	expect_bytes(tu_at(t.dst, "B.BIN"), data, sizeof(data));
	expect_bytes(tu_at(t.dst, "SUB/D.BIN"), data, sizeof(data));
	expect_bytes(tu_at(t.dst, "C.BIN"), data, 100);
	expect_no_temp(t.dst);
	tree_free(&t);
}
END_TEST

/*
 * test_hard_link_same_name: two members with one extent and one
 * destination name: a hostile directory that lists "F.BIN;1" twice, or
 * X/F.BIN and Y/F.BIN of a valid image with strip 1. The second is linked
 * to the first: its temporary is a link to the very file at F.BIN, and
 * rename() between two links of one inode does nothing and succeeds
 * (POSIX), so the extractor must remove the temporary itself.
 */
START_TEST(test_hard_link_same_name)
{
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		tree_init(&t);
		gen_init(&b);
		opts_init(&o);
		if (pass == 0) {
			gen_file(&b, ROOT, "F.BIN;1", 30, "same\n", 5);
			gen_file(&b, ROOT, "F.BIN;1", 30, NULL, 5);
		} else {
			gen_dir(&b, ROOT, "X", 19);
			gen_dir(&b, ROOT, "Y", 20);
			gen_file(&b, 19, "F.BIN;1", 30, "same\n", 5);
			gen_file(&b, 20, "F.BIN;1", 30, NULL, 5);
			o.strip = 1;
		}
		gen_write(&b, t.image);
		run_all(&run, &t, &o);
		for (i = 0; i < run.n; i++)
			ck_assert_msg(run.r[i].rc == 0 ||
			        run.r[i].rc == IB_EXTRACT_SKIPPED,
			    "%s: %s", run.r[i].path, run.r[i].msg);
		expect_finish_ok(&run);
		expect_text(tu_at(t.dst, "F.BIN"), "same\n");
		expect_no_temp(t.dst);
		ck_assert_int_eq(tu_entries(t.dst), 1);
		tree_free(&t);
	}
}
END_TEST

/* A Rock Ridge PX entry (RRIP 4.1.1): 36 bytes, version 1, then mode,
 * links, uid and gid, each both-endian. */
static void
px(unsigned char e[36], uint32_t mode)
{
	e[0] = 'P';
	e[1] = 'X';
	e[2] = 36;
	e[3] = 1;
	isogen_both32(e + 4, mode);
	isogen_both32(e + 12, 1);
	isogen_both32(e + 20, 0);
	isogen_both32(e + 28, 0);
}

/* The root directory again, its "." record starting with the SUSP SP
 * entry (SUSP 5.3) so that Rock Ridge is detected. */
static void
gen_rock_ridge_root(struct gen *b)
{
	static const unsigned char sp[7] = { 'S', 'P', 7, 1, 0xbe, 0xef, 0 };
	unsigned char *d = isogen_sector(&b->g, ROOT);

	memset(d, 0, ISOGEN_SECTOR);
	b->off[ROOT] = 0;
	gen_record_n(b, ROOT, ROOT, ISOGEN_SECTOR, 0x02, "\0", 1, sp,
	    sizeof(sp));
	gen_record_n(b, ROOT, ROOT, ISOGEN_SECTOR, 0x02, "\1", 1, NULL, 0);
}

/*
 * dir modes: Rock Ridge gives RO mode 0555 and RO/F.TXT mode 0640. The
 * directory stays writable (0700) until ib_extract_finish(), so that F.TXT
 * can be written into it, and is 0555 after.
 */
START_TEST(test_dir_modes)
{
	unsigned char dpx[36], fpx[36];
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;
	struct stat st;

	tree_init(&t);
	gen_init(&b);
	gen_rock_ridge_root(&b);
	px(dpx, S_IFDIR | 0555);
	px(fpx, S_IFREG | 0640);
	gen_record(&b, ROOT, 19, ISOGEN_SECTOR, 0x02, "RO", dpx, sizeof(dpx));
	b.off[19] = isogen_dir(&b.g, 19, ROOT);
	gen_record(&b, 19, 30, 9, 0, "F.TXT;1", fpx, sizeof(fpx));
	memcpy(isogen_sector(&b.g, 30), "readonly\n", 9);
	gen_write(&b, t.image);
	opts_init(&o);
	run_walk(&run, &t, &o);
	expect_ok(&run, "RO");
	expect_ok(&run, "RO/F.TXT");
	st = lstat_ok(tu_at(t.dst, "RO"));
	ck_assert_msg((st.st_mode & 0200) != 0,
	    "RO is %04o before finish: not writable", st.st_mode & 07777);
	run_finish(&run);
	expect_finish_ok(&run);

	st = lstat_ok(tu_at(t.dst, "RO"));
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0555);
	st = lstat_ok(tu_at(t.dst, "RO/F.TXT"));
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	expect_text(tu_at(t.dst, "RO/F.TXT"), "readonly\n");
	expect_no_temp(t.dst);
	ck_assert_int_eq(chmod(tu_at(t.dst, "RO"), 0755), 0);
	tree_free(&t);
}
END_TEST

/* A set cancel flag: IB_EINTR, and nothing under the final name or a
 * temporary one. */
START_TEST(test_cancel)
{
	static volatile sig_atomic_t stop = 1;
	ib_extract_opts o;
	struct gen b;
	struct tree t;
	struct run run;

	tree_init(&t);
	gen_init(&b);
	gen_file(&b, ROOT, "F.TXT;1", 30, "data\n", 5);
	gen_write(&b, t.image);
	opts_init(&o);
	o.cancel = &stop;
	run_all(&run, &t, &o);
	expect_fail(&run, "F.TXT", IB_EINTR, "interrupted");
	expect_absent(tu_at(t.dst, "F.TXT"));
	ck_assert_int_eq(tu_entries(t.dst), 0);
	tree_free(&t);
}
END_TEST

/* The image for the stream tests, small enough for a pipe: B.TXT at
 * sector 23, SUB/A.BIN's data before it, at sector 20, and with shared,
 * SUB/C.TXT sharing B.TXT's extent. */
static void
stream_image(const struct tree *t, const unsigned char *a, uint32_t alen,
    bool shared)
{
	struct gen b;

	gen_init_n(&b, 24);
	gen_file(&b, ROOT, "B.TXT;1", 23, "bee\n", 4);
	gen_dir(&b, ROOT, "SUB", 19);
	gen_file(&b, 19, "A.BIN;1", 20, a, alen);
	if (shared)
		gen_file(&b, 19, "C.TXT;1", 23, NULL, 4);
	gen_write(&b, t->image);
}

/* From a FIFO, files are queued by ib_extract_entry and written by
 * ib_extract_finish; directories are made at once. */
START_TEST(test_stream_deferred)
{
	unsigned char data[5000];
	ib_extract_opts o;
	struct tree t;
	struct run run;
	struct stat sb, sc;

	fill(data, sizeof(data), 3);
	tree_init(&t);
	stream_image(&t, data, sizeof(data), true);
	tree_stream(&t);
	opts_init(&o);
	run_walk(&run, &t, &o);
	ck_assert(ib_iso_is_stream(run.iso));
	expect_ok(&run, "B.TXT");
	expect_ok(&run, "SUB");
	expect_ok(&run, "SUB/A.BIN");
	expect_ok(&run, "SUB/C.TXT");
	ck_assert(S_ISDIR(lstat_ok(tu_at(t.dst, "SUB")).st_mode));
	expect_absent(tu_at(t.dst, "B.TXT"));
	expect_absent(tu_at(t.dst, "SUB/A.BIN"));
	run_finish(&run);
	expect_finish_ok(&run);

	expect_bytes(tu_at(t.dst, "SUB/A.BIN"), data, sizeof(data));
	expect_text(tu_at(t.dst, "B.TXT"), "bee\n");
	expect_text(tu_at(t.dst, "SUB/C.TXT"), "bee\n");
	sb = lstat_ok(tu_at(t.dst, "B.TXT"));
	sc = lstat_ok(tu_at(t.dst, "SUB/C.TXT"));
	ck_assert(sb.st_ino == sc.st_ino);
	expect_no_temp(t.dst);
	tree_free(&t);
}
END_TEST

/* to_fd from a stream: the files in the order of their data. */
START_TEST(test_stream_to_fd)
{
	ib_extract_opts o;
	struct tree t;
	struct run run;
	int fd;

	tree_init(&t);
	stream_image(&t, (const unsigned char *)"ay\n", 3, false);
	tree_stream(&t);
	fd = open(tu_at(t.dir, "out"), O_RDWR | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	opts_init(&o);
	o.to_fd = true;
	o.fd = fd;
	run_all(&run, &t, &o);
	expect_ok(&run, "B.TXT");
	expect_ok(&run, "SUB");
	expect_ok(&run, "SUB/A.BIN");
	expect_finish_ok(&run);
	close(fd);
	expect_text(tu_at(t.dir, "out"), "ay\nbee\n");
	ck_assert_int_eq(tu_entries(t.dst), 0);
	tree_free(&t);
}
END_TEST

/*
 * test_stream_to_fd_shared_extent: B.TXT and SUB/C.TXT share one extent
 * (hard links, as xorriso and mkisofs -cache-inodes write them). To a
 * directory the second becomes a link; to an fd both members' bytes are
 * due, as from a seekable image, though the stream passes them only once.
 */
START_TEST(test_stream_to_fd_shared_extent)
{
	ib_extract_opts o;
	struct tree t;
	struct run run;
	int fd;

	tree_init(&t);
	stream_image(&t, (const unsigned char *)"ay\n", 3, true);
	tree_stream(&t);
	fd = open(tu_at(t.dir, "out"), O_RDWR | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	opts_init(&o);
	o.to_fd = true;
	o.fd = fd;
	run_all(&run, &t, &o);
	expect_ok(&run, "B.TXT");
	expect_ok(&run, "SUB/A.BIN");
	expect_ok(&run, "SUB/C.TXT");
	expect_finish_ok(&run);
	close(fd);
	expect_text(tu_at(t.dir, "out"), "ay\nbee\nbee\n");
	tree_free(&t);
}
END_TEST

struct reported {
	int n;
	char path[256];
	int code;
	char msg[IB_ERR_MAX];
};

static void
report(void *ctx, const char *path, const ib_err *err)
{
	struct reported *r = ctx;

	r->n++;
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->code = err->code;
	snprintf(r->msg, sizeof(r->msg), "%s", err->msg);
}

/*
 * test_stream_symlink_report: dst/SUB is a symlink to other. From a
 * stream, SUB/A.BIN is only queued by ib_extract_entry; the refusal comes
 * from ib_extract_finish, through opts.report when set (finish then
 * succeeds), else as finish's own error. other stays empty either way.
 */
START_TEST(test_stream_symlink_report)
{
	struct reported rep;
	ib_extract_opts o;
	struct tree t;
	struct run run;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		tree_init(&t);
		ck_assert_int_eq(symlink(t.other, tu_at(t.dst, "SUB")), 0);
		stream_image(&t, (const unsigned char *)"ay\n", 3, true);
		tree_stream(&t);
		memset(&rep, 0, sizeof(rep));
		opts_init(&o);
		if (pass == 0) {
			o.report = report;
			o.report_ctx = &rep;
		}
		run_all(&run, &t, &o);
		expect_fail(&run, "SUB", EEXIST, "not a directory");
		expect_ok(&run, "SUB/A.BIN");
		expect_ok(&run, "B.TXT");
		if (pass == 0) {
			expect_finish_ok(&run);
			/* SUB/A.BIN and SUB/C.TXT: the last one is kept. */
			ck_assert_int_eq(rep.n, 2);
			ck_assert_str_eq(rep.path, "SUB/C.TXT");
			ck_assert_int_eq(rep.code, IB_EUNSAFE);
			ck_assert_msg(strstr(rep.msg, "'SUB'") != NULL, "%s",
			    rep.msg);
		} else {
			ck_assert_int_eq(run.finish_rc, -1);
			ck_assert_int_eq(run.finish_err.code, IB_EUNSAFE);
			ck_assert_msg(strstr(run.finish_err.msg, "'SUB'") !=
			        NULL,
			    "%s", run.finish_err.msg);
		}
		expect_text(tu_at(t.dst, "B.TXT"), "bee\n");
		ck_assert_int_eq(tu_entries(t.other), 0);
		expect_no_temp(t.dst);
		tree_free(&t);
	}
}
END_TEST

/*
 * A source other than an ISO (ib_extract_new_src): entries built here,
 * without extents, as a disk's walk makes them; the bytes come from
 * memory, and a file named "bad" fails to copy as a damaged filesystem
 * would.
 */
struct memfile {
	const char *path;
	const char *data;
};

static const struct memfile memfiles[] = {
	{ "p2/a.txt", "alpha\n" },
	{ "p2/sub/b.txt", "beta\n" },
	{ "p2/sub/same.txt", "beta\n" },
	{ "p2/empty", "" },
};

static int
mem_copy(void *ctx, const ib_entry *e, int fd,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	size_t i, n;

	(void)cancel;
	*(int *)ctx += 1;
	if (strcmp(e->name, "bad") == 0) {
		/* half the bytes, then the failure */
		ck_assert_int_eq(write(fd, "half", 4), 4);
		return ib_err_set(err, IB_EFORMAT, "ext4: bad block");
	}
	for (i = 0; i < sizeof(memfiles) / sizeof(memfiles[0]); i++) {
		if (strcmp(memfiles[i].path, e->path) != 0)
			continue;
		n = strlen(memfiles[i].data);
		ck_assert_int_eq(write(fd, memfiles[i].data, n), (ssize_t)n);
		return 0;
	}
	return ib_err_set(err, IB_ENOTFOUND, "no such file");
}

/* An entry of type type at path: what the disk walk gives. */
static ib_entry
mem_entry(const char *path, ib_ftype type, const char *link)
{
	ib_entry e;

	memset(&e, 0, sizeof(e));
	e.path = path;
	e.name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	e.type = type;
	e.link = link;
	e.mode = type == IB_FT_DIR ? 0755 : 0644;
	e.nlink = 1;
	e.mtime = 86400;
	return e;
}

static int
mem_extract(ib_extract *x, const char *path, ib_ftype type, const char *link,
    ib_err *err)
{
	ib_entry e = mem_entry(path, type, link);
	size_t i;

	for (i = 0; i < sizeof(memfiles) / sizeof(memfiles[0]); i++)
		if (strcmp(memfiles[i].path, path) == 0)
			e.size = e.stored_size = strlen(memfiles[i].data);
	ib_err_clear(err);
	return ib_extract_entry(x, &e, err);
}

/* src: the tree, the bytes, the modes; an absolute symlink kept as it is
 * in the image, never followed; two files of the same size are two files
 * (no extents, so no hard link); a failed copy leaves no file and no
 * temporary; the source is not asked for directories or links. */
START_TEST(test_src_tree)
{
	ib_extract_src src;
	ib_extract_opts o;
	struct tree t;
	struct stat st, st2;
	ib_extract *x;
	ib_err err;
	char target[256];
	ssize_t n;
	int copies = 0;

	tree_init(&t);
	opts_init(&o);
	src.copy = mem_copy;
	src.ctx = &copies;
	ib_err_clear(&err);
	x = ib_extract_new_src(&src, t.dirfd, &o, &err);
	ck_assert_msg(x != NULL, "new: %s", ib_err_text(&err));
	ck_assert_int_eq(mem_extract(x, "p2", IB_FT_DIR, NULL, &err), 0);
	ck_assert_int_eq(mem_extract(x, "p2/a.txt", IB_FT_REG, NULL, &err), 0);
	ck_assert_int_eq(mem_extract(x, "p2/sub", IB_FT_DIR, NULL, &err), 0);
	ck_assert_int_eq(mem_extract(x, "p2/sub/b.txt", IB_FT_REG, NULL, &err),
	    0);
	ck_assert_int_eq(
	    mem_extract(x, "p2/sub/same.txt", IB_FT_REG, NULL, &err), 0);
	ck_assert_int_eq(mem_extract(x, "p2/empty", IB_FT_REG, NULL, &err), 0);
	ck_assert_int_eq(
	    mem_extract(x, "p2/etc", IB_FT_LNK, "../../../../etc", &err), 0);
	ck_assert_int_eq(mem_extract(x, "p2/abs", IB_FT_LNK, t.other, &err), 0);
	ck_assert_int_eq(mem_extract(x, "p2/sub/bad", IB_FT_REG, NULL, &err),
	    -1);
	ck_assert_int_eq(err.code, IB_EFORMAT);
	ck_assert_str_eq(err.msg, "ext4: bad block");
	/* A file through the image's own absolute symlink: refused. */
	ck_assert_int_eq(mem_extract(x, "p2/abs/x", IB_FT_REG, NULL, &err), -1);
	ck_assert_int_eq(err.code, IB_EUNSAFE);
	ck_assert_int_eq(ib_extract_finish(x, &err), 0);
	ib_extract_free(x);
	ck_assert_int_eq(copies, 5);

	expect_text(tu_at(t.dst, "p2/a.txt"), "alpha\n");
	expect_text(tu_at(t.dst, "p2/sub/b.txt"), "beta\n");
	expect_text(tu_at(t.dst, "p2/sub/same.txt"), "beta\n");
	expect_text(tu_at(t.dst, "p2/empty"), "");
	st = lstat_ok(tu_at(t.dst, "p2/sub/b.txt"));
	st2 = lstat_ok(tu_at(t.dst, "p2/sub/same.txt"));
	ck_assert(st.st_ino != st2.st_ino);
	ck_assert_uint_eq(st.st_nlink, 1);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	n = readlink(tu_at(t.dst, "p2/abs"), target, sizeof(target) - 1);
	ck_assert_int_gt(n, 0);
	target[n] = '\0';
	ck_assert_str_eq(target, t.other);
	n = readlink(tu_at(t.dst, "p2/etc"), target, sizeof(target) - 1);
	ck_assert_int_gt(n, 0);
	target[n] = '\0';
	ck_assert_str_eq(target, "../../../../etc");
	expect_absent(tu_at(t.dst, "p2/sub/bad"));
	ck_assert_int_eq(tu_entries(tu_at(t.dst, "p2/sub")), 2);
	ck_assert_int_eq(tu_entries(t.other), 0);
	expect_no_temp(t.dst);
	tree_free(&t);
}
END_TEST

/* src with to_fd: the bytes of each file in turn, nothing created; and
 * a source without a copy function is refused. */
START_TEST(test_src_to_fd)
{
	ib_extract_src src;
	ib_extract_opts o;
	struct tree t;
	ib_extract *x;
	ib_err err;
	char path[4400];
	int copies = 0, fd;

	tree_init(&t);
	snprintf(path, sizeof(path), "%s/out", t.dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	opts_init(&o);
	o.to_fd = true;
	o.fd = fd;
	src.copy = NULL;
	src.ctx = &copies;
	ib_err_clear(&err);
	ck_assert_ptr_null(ib_extract_new_src(&src, -1, &o, &err));
	ck_assert_int_eq(err.code, EINVAL);
	src.copy = mem_copy;
	x = ib_extract_new_src(&src, -1, &o, &err);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(mem_extract(x, "p2", IB_FT_DIR, NULL, &err), 0);
	ck_assert_int_eq(mem_extract(x, "p2/a.txt", IB_FT_REG, NULL, &err), 0);
	ck_assert_int_eq(mem_extract(x, "p2/sub/b.txt", IB_FT_REG, NULL, &err),
	    0);
	ck_assert_int_eq(ib_extract_finish(x, &err), 0);
	ib_extract_free(x);
	close(fd);
	expect_text(path, "alpha\nbeta\n");
	ck_assert_int_eq(tu_entries(t.dst), 0);
	tree_free(&t);
}
END_TEST

/* A TCase with its own top directory. */
static TCase *
add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tu_add(s, name, t);

	tcase_add_unchecked_fixture(tc, top_setup, top_teardown);
	return tc;
}

static Suite *
extract_suite(void)
{
	Suite *s = suite_create("extract");
	TCase *tc;

	add(s, "basic", test_basic);
	add(s, "replace", test_replace_renames);
	add(s, "keep", test_keep_existing);
	add(s, "strip", test_strip);
	tc = add(s, "flat", test_flat);
	tcase_add_test(tc, test_flat_same_name);
	tc = add(s, "unsafe", test_unsafe_symlink_dir);
	tcase_add_test(tc, test_unsafe_symlink_file);
	tc = add(s, "to_fd", test_to_fd_file);
	tcase_add_test(tc, test_to_fd_pipe);
	tc = add(s, "problem", test_problem_beyond_end);
	tcase_add_test(tc, test_problem_to_fd);
	tc = add(s, "hard_links", test_hard_links);
	tcase_add_test(tc, test_hard_link_same_name);
	add(s, "dir_modes", test_dir_modes);
	add(s, "cancel", test_cancel);
	tc = add(s, "stream", test_stream_deferred);
	tcase_add_test(tc, test_stream_to_fd);
	tcase_add_test(tc, test_stream_to_fd_shared_extent);
	tcase_add_test(tc, test_stream_symlink_report);
	tc = add(s, "src", test_src_tree);
	tcase_add_test(tc, test_src_to_fd);
	return s;
}

int
main(void)
{
	return tu_run(extract_suite());
}
