/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_path: the path checks that keep extraction inside its
 * destination, and ib_path_open_parent against a real directory tree made
 * in a fresh mkdtemp directory ($IB_WORK, else $TMPDIR, else /tmp) holding
 * "dst" (the destination) and "outside" (where a hostile symlink points;
 * it must stay empty). Paths are handed over in exactly-sized mallocs.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "bounds.h"
#include "errors.h"
#include "path.h"
#include "testutil.h"

/* A path of n bytes: components of at most 200 'c's joined by '/'. */
static char *
long_path(size_t n)
{
	char *p = malloc(n + 1);
	size_t i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++)
		p[i] = (i % 201 == 200) ? '/' : 'c';
	p[n] = '\0';
	/* No empty last component. */
	if (n > 0 && p[n - 1] == '/')
		p[n - 1] = 'c';
	return p;
}

static char *
component(size_t n)
{
	char *p = malloc(n + 1);

	ck_assert_ptr_nonnull(p);
	memset(p, 'n', n);
	p[n] = '\0';
	return p;
}

/* ib_path_check on an exact copy of path. */
static int
check(const char *path, ib_err *err)
{
	char *p = strdup(path);
	int rc;

	ck_assert_ptr_nonnull(p);
	ib_err_clear(err);
	rc = ib_path_check(p, err);
	free(p);
	return rc;
}

static void
expect_unsafe(const char *path, const char *sub)
{
	ib_err err;

	tu_expect_err(check(path, &err), &err, IB_EUNSAFE, sub);
}

static void
expect_safe(const char *path)
{
	ib_err err;

	ck_assert_msg(check(path, &err) == 0, "'%.40s': %s", path, err.msg);
}

START_TEST(test_check_rejects)
{
	char *p;

	expect_unsafe("", "empty path");
	expect_unsafe("/abs", "absolute path");
	expect_unsafe("/", "absolute path");
	expect_unsafe("a//b", "empty component");
	expect_unsafe("a/", "empty component");
	expect_unsafe("a/./b", "'.' or '..' component");
	expect_unsafe(".", "'.' or '..' component");
	expect_unsafe("./a", "'.' or '..' component");
	expect_unsafe("..", "'.' or '..' component");
	expect_unsafe("../x", "'.' or '..' component");
	expect_unsafe("a/..", "'.' or '..' component");
	expect_unsafe("a/../../etc/passwd", "'.' or '..' component");

	/* A 256-byte component, first or last. */
	p = component(256);
	expect_unsafe(p, "component longer than 255 bytes");
	free(p);
	p = malloc(2 + 256 + 1);
	ck_assert_ptr_nonnull(p);
	memcpy(p, "a/", 2);
	memset(p + 2, 'n', 256);
	p[258] = '\0';
	expect_unsafe(p, "component longer than 255 bytes");
	free(p);

	/* 4097 bytes, every component short. */
	p = long_path(IB_MAX_PATH + 1);
	expect_unsafe(p, "path too long");
	free(p);
	p = long_path(100000);
	expect_unsafe(p, "path too long");
	free(p);
}
END_TEST

START_TEST(test_check_accepts)
{
	char *p;

	expect_safe("a");
	expect_safe("a/b/c");
	expect_safe("..a");
	expect_safe("a..");
	expect_safe("...");
	expect_safe(".hidden/b.");
	expect_safe("boot/isolinux/isolinux.cfg");
	/* Bytes other than '/' are the caller's business. */
	expect_safe("a b/\xe6\x97\xa5\\");

	p = component(255);
	expect_safe(p);
	free(p);
	p = long_path(IB_MAX_PATH);
	ck_assert_uint_eq(strlen(p), IB_MAX_PATH);
	expect_safe(p);
	free(p);
}
END_TEST

START_TEST(test_strip)
{
	static const char path[] = "boot/grub/grub.cfg";

	ck_assert_ptr_eq(ib_path_strip(path, 0), path);
	ck_assert_ptr_eq(ib_path_strip(path, 1), path + 5);
	ck_assert_str_eq(ib_path_strip(path, 1), "grub/grub.cfg");
	ck_assert_str_eq(ib_path_strip(path, 2), "grub.cfg");
	ck_assert_ptr_null(ib_path_strip(path, 3));
	ck_assert_ptr_null(ib_path_strip(path, 100));
	ck_assert_str_eq(ib_path_strip("a", 0), "a");
	ck_assert_ptr_null(ib_path_strip("a", 1));
	ck_assert_ptr_null(ib_path_strip("", 0));
	/* A trailing '/' leaves nothing. */
	ck_assert_ptr_null(ib_path_strip("a/", 1));
}
END_TEST

START_TEST(test_base)
{
	static const char path[] = "boot/grub/grub.cfg";

	ck_assert_ptr_eq(ib_path_base(path), path + 10);
	ck_assert_str_eq(ib_path_base(path), "grub.cfg");
	ck_assert_str_eq(ib_path_base("vmlinuz"), "vmlinuz");
	ck_assert_str_eq(ib_path_base("a/b"), "b");
}
END_TEST

/* The temporary tree: top/dst (dirfd) and top/outside. */
struct tree {
	char top[4096];
	char dst[4200];
	char outside[4200];
	int dirfd;
};

static void
tree_init(struct tree *t)
{
	tu_mkdtemp(t->top, sizeof(t->top), "check_path");
	snprintf(t->dst, sizeof(t->dst), "%s/dst", t->top);
	snprintf(t->outside, sizeof(t->outside), "%s/outside", t->top);
	ck_assert_int_eq(mkdir(t->dst, 0755), 0);
	ck_assert_int_eq(mkdir(t->outside, 0755), 0);
	t->dirfd = open(t->dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(t->dirfd, 0);
}

static void
tree_free(struct tree *t)
{
	close(t->dirfd);
	tu_rmtree(t->top);
}

static void
expect_outside_empty(const struct tree *t)
{
	ck_assert_msg(tu_entries(t->outside) == 0,
	    "something was created outside the destination");
}

/* fd refers to the directory at path. */
static void
expect_same_dir(int fd, const char *path)
{
	struct stat a, b;

	ck_assert_int_eq(fstat(fd, &a), 0);
	ck_assert_int_eq(stat(path, &b), 0);
	ck_assert(S_ISDIR(a.st_mode));
	ck_assert(a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

/* ib_path_open_parent on an exact copy of path; *base_off gets the offset
 * of *base in it. */
static int
open_parent(const struct tree *t, const char *path, bool create,
    size_t *base_off, ib_err *err)
{
	char *p = strdup(path);
	const char *base = NULL;
	int fd;

	ck_assert_ptr_nonnull(p);
	ib_err_clear(err);
	fd = ib_path_open_parent(t->dirfd, p, create, &base, err);
	if (fd != -1) {
		ck_assert_ptr_nonnull(base);
		ck_assert(base >= p && base < p + strlen(p));
		*base_off = (size_t)(base - p);
	}
	free(p);
	return fd;
}

START_TEST(test_open_parent_creates)
{
	struct tree t;
	struct stat st;
	size_t off;
	ib_err err;
	int fd, lowest;

	tree_init(&t);
	lowest = tu_lowest_free_fd();
	fd = open_parent(&t, "x/y/z/file.txt", true, &off, &err);
	ck_assert_msg(fd >= 0, "%s", err.msg);
	ck_assert_uint_eq(off, 6);
	expect_same_dir(fd, tu_at(t.dst, "x/y/z"));
	ck_assert_int_eq(lstat(tu_at(t.dst, "x/y"), &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	/* The last component is not created. */
	ck_assert_int_eq(lstat(tu_at(t.dst, "x/y/z/file.txt"), &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	close(fd);

	/* Existing directories are reused, with or without create. */
	fd = open_parent(&t, "x/y/other", false, &off, &err);
	ck_assert_msg(fd >= 0, "%s", err.msg);
	ck_assert_uint_eq(off, 4);
	expect_same_dir(fd, tu_at(t.dst, "x/y"));
	close(fd);
	fd = open_parent(&t, "x/new/f", true, &off, &err);
	ck_assert_msg(fd >= 0, "%s", err.msg);
	expect_same_dir(fd, tu_at(t.dst, "x/new"));
	close(fd);
	ck_assert_int_eq(tu_lowest_free_fd(), lowest);
	expect_outside_empty(&t);
	tree_free(&t);
}
END_TEST

/* One component: a new fd for dirfd itself, base is the whole path. */
START_TEST(test_open_parent_one_component)
{
	struct tree t;
	size_t off;
	ib_err err;
	int fd;

	tree_init(&t);
	fd = open_parent(&t, "vmlinuz", false, &off, &err);
	ck_assert_msg(fd >= 0, "%s", err.msg);
	ck_assert_int_ne(fd, t.dirfd);
	ck_assert_uint_eq(off, 0);
	expect_same_dir(fd, t.dst);
	close(fd);
	/* dirfd is still open. */
	ck_assert_int_ne(fcntl(t.dirfd, F_GETFD), -1);
	tree_free(&t);
}
END_TEST

START_TEST(test_open_parent_missing)
{
	struct tree t;
	struct stat st;
	size_t off;
	ib_err err;
	int lowest;

	tree_init(&t);
	lowest = tu_lowest_free_fd();
	tu_expect_err(open_parent(&t, "missing/f", false, &off, &err), &err,
	    ENOENT, "'missing'");
	ck_assert_msg(strstr(err.msg, strerror(ENOENT)) != NULL, "%s", err.msg);
	/* Missing further down. */
	ck_assert_int_eq(mkdir(tu_at(t.dst, "a"), 0755), 0);
	tu_expect_err(open_parent(&t, "a/b/c/f", false, &off, &err), &err,
	    ENOENT, "'b'");
	ck_assert_int_eq(lstat(tu_at(t.dst, "missing"), &st), -1);
	ck_assert_int_eq(lstat(tu_at(t.dst, "a/b"), &st), -1);
	ck_assert_int_eq(tu_lowest_free_fd(), lowest);
	tree_free(&t);
}
END_TEST

/*
 * test_open_parent_symlink_escape: the destination already holds
 * "link" -> ../outside (absolute, and relative). Writing "link/sub/f"
 * through it would create outside/sub; it is refused with IB_EUNSAFE
 * and outside stays empty, with or without create, at any depth.
 */
START_TEST(test_open_parent_symlink_escape)
{
	struct tree t;
	size_t off;
	ib_err err;
	int lowest;

	tree_init(&t);
	ck_assert_int_eq(symlink(t.outside, tu_at(t.dst, "link")), 0);
	ck_assert_int_eq(symlink("../outside", tu_at(t.dst, "rel")), 0);
	ck_assert_int_eq(mkdir(tu_at(t.dst, "a"), 0755), 0);
	ck_assert_int_eq(symlink("../../outside", tu_at(t.dst, "a/up")), 0);
	lowest = tu_lowest_free_fd();

	tu_expect_err(open_parent(&t, "link/sub/f", true, &off, &err), &err,
	    IB_EUNSAFE, "'link' is a symlink or not a directory");
	tu_expect_err(open_parent(&t, "link/f", false, &off, &err), &err,
	    IB_EUNSAFE, "'link'");
	tu_expect_err(open_parent(&t, "rel/f", true, &off, &err), &err,
	    IB_EUNSAFE, "'rel'");
	tu_expect_err(open_parent(&t, "a/up/sub/f", true, &off, &err), &err,
	    IB_EUNSAFE, "'up'");
	expect_outside_empty(&t);
	ck_assert_int_eq(tu_lowest_free_fd(), lowest);
	tree_free(&t);
}
END_TEST

/* A dangling link to outside/new: create must not make outside/new
 * through it. */
START_TEST(test_open_parent_dangling_symlink)
{
	struct tree t;
	size_t off;
	ib_err err;

	tree_init(&t);
	ck_assert_int_eq(
	    symlink(tu_at(t.outside, "new"), tu_at(t.dst, "dangle")), 0);
	tu_expect_err(open_parent(&t, "dangle/f", true, &off, &err), &err,
	    IB_EUNSAFE, "'dangle'");
	expect_outside_empty(&t);
	tree_free(&t);
}
END_TEST

/* A link to a directory inside the destination is refused too: links are
 * never followed. */
START_TEST(test_open_parent_inner_symlink)
{
	struct tree t;
	size_t off;
	ib_err err;

	tree_init(&t);
	ck_assert_int_eq(mkdir(tu_at(t.dst, "real"), 0755), 0);
	ck_assert_int_eq(symlink("real", tu_at(t.dst, "alias")), 0);
	tu_expect_err(open_parent(&t, "alias/f", false, &off, &err), &err,
	    IB_EUNSAFE, "'alias'");
	tree_free(&t);
}
END_TEST

/* A regular file or a FIFO where a directory is due. */
START_TEST(test_open_parent_not_directory)
{
	struct tree t;
	size_t off;
	ib_err err;
	int fd;

	tree_init(&t);
	fd = open(tu_at(t.dst, "file"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(mkfifo(tu_at(t.dst, "fifo"), 0644), 0);
	tu_expect_err(open_parent(&t, "file/x", true, &off, &err), &err,
	    IB_EUNSAFE, "'file' is a symlink or not a directory");
	tu_expect_err(open_parent(&t, "file/x/y", false, &off, &err), &err,
	    IB_EUNSAFE, "'file'");
	/* A FIFO must not be opened (that would block). */
	tu_expect_err(open_parent(&t, "fifo/x", true, &off, &err), &err,
	    IB_EUNSAFE, "'fifo'");
	tree_free(&t);
}
END_TEST

/* Unsafe paths fail the check before anything is touched. */
START_TEST(test_open_parent_unsafe_path)
{
	struct tree t;
	size_t off;
	ib_err err;

	tree_init(&t);
	tu_expect_err(open_parent(&t, "../outside/x", true, &off, &err), &err,
	    IB_EUNSAFE, "'.' or '..' component");
	tu_expect_err(open_parent(&t, "a/../../outside/x", true, &off, &err),
	    &err, IB_EUNSAFE, "'.' or '..' component");
	tu_expect_err(open_parent(&t, "/tmp/x", true, &off, &err), &err,
	    IB_EUNSAFE, "absolute path");
	ck_assert_int_eq(tu_entries(t.dst), 0);
	expect_outside_empty(&t);
	tree_free(&t);
}
END_TEST

static Suite *
path_suite(void)
{
	Suite *s = suite_create("path");

	tu_add(s, "check_rejects", test_check_rejects);
	tu_add(s, "check_accepts", test_check_accepts);
	tu_add(s, "strip", test_strip);
	tu_add(s, "base", test_base);
	tu_add(s, "open_parent_creates", test_open_parent_creates);
	tu_add(s, "open_parent_one_component", test_open_parent_one_component);
	tu_add(s, "open_parent_missing", test_open_parent_missing);
	tu_add(s, "open_parent_symlink_escape",
	    test_open_parent_symlink_escape);
	tu_add(s, "open_parent_dangling_symlink",
	    test_open_parent_dangling_symlink);
	tu_add(s, "open_parent_inner_symlink", test_open_parent_inner_symlink);
	tu_add(s, "open_parent_not_directory", test_open_parent_not_directory);
	tu_add(s, "open_parent_unsafe_path", test_open_parent_unsafe_path);
	return s;
}

int
main(void)
{
	return tu_run(path_suite());
}
