/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_compat: the copy and I/O helpers, on every path ib_copy_range can
 * take (copy_file_range from page-aligned offsets, splice through a pipe
 * for large ranges at offsets that are not, the pread/write loop that
 * PORTABLE=1 builds use), checked byte for byte. Files live in a fresh mkdtemp
 * directory ($IB_WORK, else $TMPDIR, else /tmp), made per TCase in the
 * parent process and removed there even when a test fails.
 */
#include <sys/types.h>
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

#include "compat.h"
#include "config.h"
#include "errors.h"
#include "testutil.h"

#define MiB (1024u * 1024)

static char top[4096];

static void
top_setup(void)
{
	tu_mkdtemp(top, sizeof(top), "check_compat");
}

static void
top_teardown(void)
{
	tu_rmtree(top);
}

/* Byte i of every input: position-dependent, so that a copy from the
 * wrong offset (a page, a sector or a byte off) cannot match. */
static unsigned char
pattern(uint64_t i)
{
	uint64_t h = (i + 1) * 0x9E3779B97F4A7C15ull;

	return (unsigned char)(h >> 56 ^ h >> 29);
}

/* Path of name in top. */
static const char *
at_top(const char *name)
{
	return tu_at(top, name);
}

/* A new empty file in top (replacing one of an earlier test of the
 * TCase), opened with flags. */
static int
new_file(const char *name, int flags)
{
	const char *path = at_top(name);
	int fd;

	unlink(path);
	fd = open(path, flags | O_CREAT | O_EXCL, 0644);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	return fd;
}

/* An input file of size pattern bytes, opened read-only. */
static int
make_input(const char *name, uint64_t size)
{
	unsigned char *buf = malloc(MiB);
	uint64_t pos;
	size_t n, i;
	int fd;

	ck_assert_ptr_nonnull(buf);
	fd = new_file(name, O_RDWR);
	for (pos = 0; pos < size; pos += n) {
		n = size - pos < MiB ? (size_t)(size - pos) : MiB;
		for (i = 0; i < n; i++)
			buf[i] = pattern(pos + i);
		ck_assert_int_eq(write(fd, buf, n), (ssize_t)n);
	}
	free(buf);
	close(fd);
	fd = open(at_top(name), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* buf holds pattern bytes [off, off + n). */
static void
expect_pattern(const unsigned char *buf, size_t n, uint64_t off)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (buf[i] != pattern(off + i))
			ck_abort_msg("byte %zu of the copy from %llu is wrong",
			    i, (unsigned long long)off);
}

/* Bytes [at, at + len) of fd are pattern bytes from off. */
static void
expect_copied(int fd, uint64_t at, uint64_t off, uint64_t len)
{
	unsigned char *buf = malloc(MiB);
	uint64_t done;
	size_t n;
	ib_err err;

	ck_assert_ptr_nonnull(buf);
	for (done = 0; done < len; done += n) {
		n = len - done < MiB ? (size_t)(len - done) : MiB;
		ck_assert_msg(ib_pread_all(fd, buf, n, at + done, &err) == 0,
		    "%s", err.msg);
		expect_pattern(buf, n, off + done);
	}
	free(buf);
}

static uint64_t
file_size(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return (uint64_t)st.st_size;
}

/* Copy [off, off + len) of in to the end of out, which holds a 5-byte
 * header first, then check every byte, the header and the size. */
static void
copy_and_check(int in, uint64_t off, uint64_t len, int oflags)
{
	char head[5];
	ib_err err;
	int out;

	out = new_file("out", O_RDWR | oflags);
	ck_assert_int_eq(write(out, "head:", 5), 5);
	ib_err_clear(&err);
	ck_assert_msg(ib_copy_range(in, off, out, len, NULL, &err) == 0,
	    "copy %llu+%llu: %s", (unsigned long long)off,
	    (unsigned long long)len, err.msg);
	ck_assert_uint_eq(file_size(out), 5 + len);
	expect_copied(out, 5, off, len);
	ck_assert_int_eq(pread(out, head, 5, 0), 5);
	ck_assert(memcmp(head, "head:", 5) == 0);
	close(out);
	ck_assert_int_eq(unlink(at_top("out")), 0);
}

START_TEST(test_copy_aligned)
{
	ib_err err;
	int in, out;

	in = make_input("in", 4 * MiB);
	/* Page-aligned offsets take the kernel copy (the pread/write loop
	 * in PORTABLE=1 builds), whatever the length. */
	copy_and_check(in, 4096 * 3, 2 * MiB + 100, 0);
	copy_and_check(in, 0, 4 * MiB, 0);
	/* Two copies append one after the other at the file position. */
	out = new_file("out2", O_RDWR);
	ib_err_clear(&err);
	ck_assert_int_eq(ib_copy_range(in, 8192, out, 10000, NULL, &err), 0);
	ck_assert_int_eq(ib_copy_range(in, 4096 * 100, out, 4096, NULL, &err),
	    0);
	ck_assert_uint_eq(file_size(out), 14096);
	expect_copied(out, 0, 8192, 10000);
	expect_copied(out, 10000, 4096 * 100, 4096);
	close(out);
	close(in);
}
END_TEST

/* 2048-aligned but not page-aligned offsets with more than 128 KiB to
 * copy: splice, over several pipe fills and at one fill exactly. */
START_TEST(test_copy_misaligned)
{
	int in;

	in = make_input("in", 8 * MiB);
	copy_and_check(in, 2048 * 7, 5 * MiB + 1234, 0);
	copy_and_check(in, 2048, MiB, 0);
	copy_and_check(in, 2048, 8 * MiB - 2048, 0);
	/* Not even sector-aligned. */
	copy_and_check(in, 4097, 3 * MiB, 0);
	close(in);
}
END_TEST

/* Below 1 MiB, at odd offsets, and nothing at all. */
START_TEST(test_copy_short)
{
	ib_err err;
	int in, out;

	in = make_input("in", 64 * 1024);
	copy_and_check(in, 2048 * 3, 10, 0);
	copy_and_check(in, 1, 1, 0);
	copy_and_check(in, 64 * 1024 - 7, 7, 0);
	copy_and_check(in, 2048, 60000, 0);
	out = new_file("out0", O_RDWR);
	ib_err_clear(&err);
	ck_assert_int_eq(ib_copy_range(in, 100, out, 0, NULL, &err), 0);
	ck_assert_int_eq(ib_copy_range(in, 64 * 1024, out, 0, NULL, &err), 0);
	ck_assert_uint_eq(file_size(out), 0);
	close(out);
	close(in);
}
END_TEST

/* An O_APPEND output (a shell's >>): copy_file_range refuses it (EBADF),
 * the fallbacks must not. */
START_TEST(test_copy_append)
{
	int in;

	in = make_input("in", 4 * MiB);
	copy_and_check(in, 4096, 100000, O_APPEND);
	copy_and_check(in, 2048, 3 * MiB, O_APPEND);
	close(in);
}
END_TEST

/* The range ends after the input's 10000 bytes. */
START_TEST(test_copy_past_end)
{
	ib_err err;
	int in, out;

	in = make_input("in", 10000);
	out = new_file("out", O_RDWR);
	ib_err_clear(&err);
	tu_expect_err(ib_copy_range(in, 8192, out, 4096, NULL, &err), &err, EIO,
	    "unexpected end of input");
	ib_err_clear(&err);
	tu_expect_err(ib_copy_range(in, 20000, out, 1, NULL, &err), &err, EIO,
	    "unexpected end of input");
	ib_err_clear(&err);
	tu_expect_err(ib_copy_range(in, 0, out, 10001, NULL, &err), &err, EIO,
	    "unexpected end of input");
	close(out);
	close(in);
}
END_TEST

/*
 * test_copy_past_end_spliced: 2 MiB from offset 2048 of a file of
 * 1 MiB + 4096 bytes. This takes splice, whose second fill finds the end
 * of the file (the mapped copy this replaced faulted there: SIGBUS, or
 * EFAULT inside write()). A short input must still be EIO "unexpected
 * end of input", as on every other path.
 */
START_TEST(test_copy_past_end_spliced)
{
	ib_err err;
	int in, out;

	in = make_input("in", MiB + 4096);
	out = new_file("out", O_RDWR);
	ib_err_clear(&err);
	tu_expect_err(ib_copy_range(in, 2048, out, 2 * MiB, NULL, &err), &err,
	    EIO, "unexpected end of input");
	close(out);
	close(in);
}
END_TEST

START_TEST(test_copy_out_of_range)
{
	ib_err err;
	int in, out;

	in = make_input("in", 4096);
	out = new_file("out", O_RDWR);
	ib_err_clear(&err);
	tu_expect_err(ib_copy_range(in, UINT64_MAX, out, 1, NULL, &err), &err,
	    EINVAL, "out of range");
	ib_err_clear(&err);
	tu_expect_err(
	    ib_copy_range(in, (uint64_t)INT64_MAX, out, 1, NULL, &err), &err,
	    EINVAL, "out of range");
	ck_assert_uint_eq(file_size(out), 0);
	close(out);
	close(in);
}
END_TEST

/* A cancel flag already set: IB_EINTR before a byte is written, on the
 * copy_file_range path, the splice path and for a short copy. */
START_TEST(test_copy_cancel)
{
	static volatile sig_atomic_t stop = 1;
	ib_err err;
	int in, out;

	in = make_input("in", 4 * MiB);
	out = new_file("out", O_RDWR);
	ib_err_clear(&err);
	tu_expect_err(ib_copy_range(in, 0, out, 2 * MiB, &stop, &err), &err,
	    IB_EINTR, "interrupted");
	ib_err_clear(&err);
	tu_expect_err(ib_copy_range(in, 2048, out, 2 * MiB, &stop, &err), &err,
	    IB_EINTR, "interrupted");
	ib_err_clear(&err);
	tu_expect_err(ib_copy_range(in, 2048, out, 100, &stop, &err), &err,
	    IB_EINTR, "interrupted");
	ck_assert_uint_eq(file_size(out), 0);
	close(out);
	close(in);
}
END_TEST

/* In a child, copy [off, off + len) of in into a pipe; read it all here
 * and check the bytes and the child's success. */
static void
copy_to_pipe(int in, uint64_t off, uint64_t len)
{
	unsigned char *buf = malloc(len + 1);
	size_t got;
	ssize_t n;
	pid_t pid;
	int p[2], status;

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		ib_err err;

		close(p[0]);
		ib_err_clear(&err);
		if (ib_copy_range(in, off, p[1], len, NULL, &err) == -1) {
			fprintf(stderr, "copy to pipe: %s\n", err.msg);
			_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	got = 0;
	while ((n = read(p[0], buf + got, len + 1 - got)) > 0)
		got += (size_t)n;
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "copy of %llu+%llu to a pipe failed (status %d)",
	    (unsigned long long)off, (unsigned long long)len, status);
	ck_assert_uint_eq(got, len);
	expect_pattern(buf, got, off);
	free(buf);
}

START_TEST(test_copy_to_pipe)
{
	int in;

	in = make_input("in", 8 * MiB);
	copy_to_pipe(in, 2048, 3000);
	copy_to_pipe(in, 0, 3 * MiB);
	copy_to_pipe(in, 2048, 3 * MiB + 17);
	copy_to_pipe(in, 4096 * 9, 5 * MiB);
	close(in);
}
END_TEST

START_TEST(test_pread_all)
{
	unsigned char buf[200];
	ib_err err;
	int in;

	in = make_input("in", 100);
	ib_err_clear(&err);
	ck_assert_int_eq(ib_pread_all(in, buf, 50, 30, &err), 0);
	expect_pattern(buf, 50, 30);
	ck_assert_int_eq(ib_pread_all(in, buf, 100, 0, &err), 0);
	expect_pattern(buf, 100, 0);
	ck_assert_int_eq(ib_pread_all(in, buf, 0, 100, &err), 0);
	/* 20 bytes are there, 50 are wanted. */
	tu_expect_err(ib_pread_all(in, buf, 50, 80, &err), &err, EIO,
	    "unexpected end of input");
	ib_err_clear(&err);
	tu_expect_err(ib_pread_all(in, buf, 1, 100, &err), &err, EIO,
	    "unexpected end of input");
	ib_err_clear(&err);
	tu_expect_err(ib_pread_all(in, buf, 1, UINT64_MAX, &err), &err, EINVAL,
	    "out of range");
	close(in);
	ib_err_clear(&err);
	tu_expect_err(ib_pread_all(in, buf, 1, 0, &err), &err, EBADF,
	    "read at 0");
}
END_TEST

START_TEST(test_write_all)
{
	static volatile sig_atomic_t go = 0;
	unsigned char *buf;
	size_t i, len = 3 * MiB + 5;
	ib_err err;
	int fd;

	buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < len; i++)
		buf[i] = pattern(i);
	fd = new_file("out", O_RDWR);
	ib_err_clear(&err);
	ck_assert_int_eq(ib_write_all(fd, buf, len, NULL, &err), 0);
	ck_assert_int_eq(ib_write_all(fd, buf, 0, NULL, &err), 0);
	ck_assert_int_eq(ib_write_all(fd, buf + len - 5, 5, &go, &err), 0);
	ck_assert_uint_eq(file_size(fd), len + 5);
	expect_copied(fd, 0, 0, len);
	expect_copied(fd, len, len - 5, 5);
	close(fd);
	free(buf);

	/* A descriptor open for reading only. */
	fd = make_input("in", 10);
	ib_err_clear(&err);
	tu_expect_err(ib_write_all(fd, "x", 1, NULL, &err), &err, EBADF,
	    "write");
	ck_assert(strstr(err.msg, strerror(EBADF)) != NULL);
	close(fd);
}
END_TEST

START_TEST(test_reallocarray)
{
	unsigned char *p, *q;

	p = ib_reallocarray(NULL, 10, 4);
	ck_assert_ptr_nonnull(p);
	memset(p, 'a', 40);
	/* nmemb * size overflows size_t: NULL, ENOMEM, p untouched. */
	errno = 0;
	q = ib_reallocarray(p, SIZE_MAX / 2 + 1, 2);
	ck_assert_ptr_null(q);
	ck_assert_int_eq(errno, ENOMEM);
	q = ib_reallocarray(p, (SIZE_MAX >> 4) + 1, 16);
	ck_assert_ptr_null(q);
	ck_assert_int_eq(p[39], 'a');
	/* Growing keeps the contents. */
	q = ib_reallocarray(p, 1000, 4);
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(q[0], 'a');
	ck_assert_int_eq(q[39], 'a');
	free(q);
	/* Zero elements: realloc(NULL, 0), either NULL or freeable. */
	free(ib_reallocarray(NULL, 0, 16));
	free(ib_reallocarray(NULL, SIZE_MAX, 0));
}
END_TEST

/* PORTABLE=1 builds say so; others have a kernel copy path here. */
START_TEST(test_portable)
{
	ck_assert_int_eq(ib_compat_portable(),
	    !(HAVE_COPY_FILE_RANGE || HAVE_SPLICE));
#if IB_PORTABLE
	ck_assert_int_eq(ib_compat_portable(), 1);
#endif
}
END_TEST

/* A TCase with its own top directory and a timeout of 60 s. */
static TCase *
add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tu_add(s, name, t);

	tcase_add_unchecked_fixture(tc, top_setup, top_teardown);
	tcase_set_timeout(tc, 60);
	return tc;
}

static Suite *
compat_suite(void)
{
	Suite *s = suite_create("compat");
	TCase *tc;

	add(s, "copy_aligned", test_copy_aligned);
	add(s, "copy_misaligned", test_copy_misaligned);
	add(s, "copy_short", test_copy_short);
	add(s, "copy_append", test_copy_append);
	tc = add(s, "copy_past_end", test_copy_past_end);
	tcase_add_test(tc, test_copy_past_end_spliced);
	add(s, "copy_out_of_range", test_copy_out_of_range);
	add(s, "copy_cancel", test_copy_cancel);
	add(s, "copy_to_pipe", test_copy_to_pipe);
	add(s, "pread_all", test_pread_all);
	add(s, "write_all", test_write_all);
	add(s, "reallocarray", test_reallocarray);
	add(s, "portable", test_portable);
	return s;
}

int
main(void)
{
	return tu_run(compat_suite());
}
