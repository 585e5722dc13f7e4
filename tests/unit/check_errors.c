/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_errors: the ib_err type (set, errno, prefix, truncation), the
 * generic texts of ib_strerror, and ib_quote, which must make untrusted
 * bytes harmless for a terminal and never write past its buffer. Every
 * ib_quote output buffer is an exactly-sized malloc so that ASan sees a
 * one-byte overflow.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "errors.h"
#include "testutil.h"

#define expect_msg(err, want)                                                  \
	ck_assert_msg(strcmp((err)->msg, (want)) == 0,                         \
	    "message '%s', expected '%s'", (err)->msg, (want))

/* A message cut at IB_ERR_MAX: exactly IB_ERR_MAX - 1 bytes, "..." last. */
static void
expect_truncated(const ib_err *err)
{
	size_t n = strnlen(err->msg, sizeof(err->msg));

	ck_assert_uint_eq(n, IB_ERR_MAX - 1);
	ck_assert_msg(memcmp(err->msg + n - 3, "...", 3) == 0,
	    "truncated message ends in '%s'", err->msg + n - 3);
}

/* A string of n copies of c, for over-long messages. */
static char *
repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

START_TEST(test_set)
{
	ib_err err;

	memset(&err, 'x', sizeof(err));
	ck_assert_int_eq(
	    ib_err_set(&err, IB_EFORMAT, "%s:%u: bad '%c'", "f.cfg", 7u, 'q'),
	    -1);
	ck_assert_int_eq(err.code, IB_EFORMAT);
	expect_msg(&err, "f.cfg:7: bad 'q'");

	/* An errno code is kept as it is. */
	ck_assert_int_eq(ib_err_set(&err, ENOSPC, "write"), -1);
	ck_assert_int_eq(err.code, ENOSPC);
	expect_msg(&err, "write");
}
END_TEST

START_TEST(test_clear)
{
	ib_err err;

	ib_err_set(&err, EIO, "read");
	ib_err_clear(&err);
	ck_assert_int_eq(err.code, 0);
	expect_msg(&err, "");
	ck_assert_str_eq(ib_err_text(&err), "no error");
}
END_TEST

START_TEST(test_errno)
{
	char want[IB_ERR_MAX];
	ib_err err;

	ib_err_clear(&err);
	ck_assert_int_eq(ib_err_errno(&err, ENOENT, "open '%s'", "a/b"), -1);
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_int_gt(
	    snprintf(want, sizeof(want), "open 'a/b': %s", strerror(ENOENT)),
	    0);
	expect_msg(&err, want);

	ck_assert_int_eq(ib_err_errno(&err, EACCES, "mkdir %u", 3u), -1);
	ck_assert_int_eq(err.code, EACCES);
	ck_assert_int_gt(
	    snprintf(want, sizeof(want), "mkdir 3: %s", strerror(EACCES)), 0);
	expect_msg(&err, want);
}
END_TEST

START_TEST(test_prefix)
{
	char want[IB_ERR_MAX];
	ib_err err;

	ib_err_set(&err, IB_ENOTFOUND, "unknown label 'vrit'");
	ck_assert_int_eq(ib_err_prefix(&err, "%s:%u: ", "syslinux.cfg", 7u),
	    -1);
	ck_assert_int_eq(err.code, IB_ENOTFOUND);
	expect_msg(&err, "syslinux.cfg:7: unknown label 'vrit'");
	/* Prefixes stack, outermost first. */
	ib_err_prefix(&err, "boot.iso: ");
	expect_msg(&err, "boot.iso: syslinux.cfg:7: unknown label 'vrit'");

	/* A prefix on an empty message is followed by the generic text. */
	ib_err_clear(&err);
	err.code = EIO;
	ib_err_prefix(&err, "block %u: ", 16u);
	ck_assert_int_gt(
	    snprintf(want, sizeof(want), "block 16: %s", strerror(EIO)), 0);
	expect_msg(&err, want);
	ck_assert_int_eq(err.code, EIO);
}
END_TEST

/* Over-long messages end in "..." and stay terminated inside msg. */
START_TEST(test_set_truncation)
{
	char *s;
	ib_err err;

	/* IB_ERR_MAX - 1 bytes fit exactly and are not cut. */
	s = repeat('a', IB_ERR_MAX - 1);
	ib_err_set(&err, IB_EFORMAT, "%s", s);
	ck_assert_uint_eq(strlen(err.msg), IB_ERR_MAX - 1);
	ck_assert_int_eq(err.msg[IB_ERR_MAX - 2], 'a');
	free(s);

	/* One byte more is cut. */
	s = repeat('b', IB_ERR_MAX);
	ib_err_set(&err, IB_EFORMAT, "%s", s);
	ck_assert_int_eq(err.code, IB_EFORMAT);
	expect_truncated(&err);
	ck_assert_int_eq(err.msg[0], 'b');
	free(s);

	s = repeat('c', 5000);
	ck_assert_int_eq(ib_err_set(&err, IB_ELIMIT, "x %s y", s), -1);
	ck_assert_int_eq(err.code, IB_ELIMIT);
	expect_truncated(&err);
	ck_assert_int_eq(strncmp(err.msg, "x ccc", 5), 0);
	free(s);
}
END_TEST

START_TEST(test_errno_truncation)
{
	char *s;
	ib_err err;

	/* The format itself fills msg: strerror does not fit at all. */
	s = repeat('a', 2000);
	ck_assert_int_eq(ib_err_errno(&err, ENOENT, "%s", s), -1);
	ck_assert_int_eq(err.code, ENOENT);
	expect_truncated(&err);
	free(s);

	/* The format fits, ": strerror" does not. */
	s = repeat('a', IB_ERR_MAX - 6);
	ck_assert_int_eq(ib_err_errno(&err, ENOENT, "%s", s), -1);
	ck_assert_int_eq(err.code, ENOENT);
	expect_truncated(&err);
	ck_assert_int_eq(err.msg[0], 'a');
	free(s);
}
END_TEST

START_TEST(test_prefix_truncation)
{
	char *s;
	ib_err err;

	/* Prefix and message together are too long. */
	s = repeat('m', 500);
	ib_err_set(&err, IB_EFORMAT, "%s", s);
	ck_assert_int_eq(ib_err_prefix(&err, "%s: ", "a-long-file-name"), -1);
	ck_assert_int_eq(err.code, IB_EFORMAT);
	expect_truncated(&err);
	ck_assert_int_eq(strncmp(err.msg, "a-long-file-name: mmm", 21), 0);
	free(s);

	/* The prefix alone is too long. */
	s = repeat('p', 3000);
	ib_err_set(&err, IB_EFORMAT, "short");
	ck_assert_int_eq(ib_err_prefix(&err, "%s", s), -1);
	ck_assert_int_eq(err.code, IB_EFORMAT);
	expect_truncated(&err);
	ck_assert_int_eq(err.msg[0], 'p');
	free(s);
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(ib_strerror(0), "no error");
	ck_assert_str_eq(ib_strerror(IB_EFORMAT), "malformed input");
	ck_assert_str_eq(ib_strerror(IB_EUNSUPPORTED), "unsupported");
	ck_assert_str_eq(ib_strerror(IB_ELIMIT), "limit exceeded");
	ck_assert_str_eq(ib_strerror(IB_ENOTFOUND), "not found");
	ck_assert_str_eq(ib_strerror(IB_EUNSAFE), "unsafe path");
	ck_assert_str_eq(ib_strerror(IB_EINTR), "interrupted");
	ck_assert_str_eq(ib_strerror(-1000), "unknown error");
	ck_assert_str_eq(ib_strerror(ENOENT), strerror(ENOENT));
	ck_assert_str_eq(ib_strerror(ENOSPC), strerror(ENOSPC));
	/* Each library code has its own text. */
	ck_assert_str_ne(ib_strerror(IB_EFORMAT), ib_strerror(IB_ELIMIT));
}
END_TEST

START_TEST(test_err_text)
{
	ib_err err;

	ib_err_set(&err, IB_EUNSAFE, "'../x' leaves the destination");
	ck_assert_str_eq(ib_err_text(&err), "'../x' leaves the destination");
	err.msg[0] = '\0';
	ck_assert_str_eq(ib_err_text(&err), "unsafe path");
}
END_TEST

/* ib_quote of s[0..len) into an exactly-sized buffer of outsz bytes;
 * returns a copy of the result the caller frees. */
static char *
quote(const char *s, size_t len, size_t outsz)
{
	char *out = malloc(outsz > 0 ? outsz : 1);
	char *copy;

	ck_assert_ptr_nonnull(out);
	if (outsz == 0)
		out[0] = 'Z';
	ck_assert_ptr_eq(ib_quote(out, outsz, s, len), out);
	if (outsz == 0) {
		/* Nothing may be written, not even a terminator. */
		ck_assert_int_eq(out[0], 'Z');
		out[0] = '\0';
	} else {
		ck_assert_ptr_nonnull(memchr(out, '\0', outsz));
	}
	copy = strdup(out);
	ck_assert_ptr_nonnull(copy);
	free(out);
	return copy;
}

#define expect_quote(s, len, outsz, want)                                      \
	do {                                                                   \
		char *q_ = quote((s), (len), (outsz));                         \
		ck_assert_msg(strcmp(q_, (want)) == 0,                         \
		    "ib_quote outsz %zu gave '%s', expected '%s'",             \
		    (size_t)(outsz), q_, (want));                              \
		free(q_);                                                      \
	} while (0)

START_TEST(test_quote_plain)
{
	expect_quote("vmlinuz", 7, 64, "vmlinuz");
	expect_quote("", 0, 1, "");
	/* Only len bytes are read, not up to a NUL. */
	expect_quote("initrd.img", 6, 64, "initrd");
	/* Bytes from 0x80 up (UTF-8) and '~' pass through. */
	expect_quote("\xe6\x97\xa5~", 4, 64, "\xe6\x97\xa5~");
	/* Exactly enough room. */
	expect_quote("abc", 3, 4, "abc");
}
END_TEST

/* Control bytes, DEL and backslash become \ooo. */
START_TEST(test_quote_escapes)
{
	/* ESC [ 2 J would clear the terminal. */
	expect_quote("\033[2J", 4, 64, "\\033[2J");
	expect_quote("a\nb\tc\r", 6, 64, "a\\012b\\011c\\015");
	expect_quote("\x7f", 1, 64, "\\177");
	expect_quote("\x01\x1f", 2, 64, "\\001\\037");
	/* A backslash is escaped too, so an escape is never ambiguous. */
	expect_quote("a\\033", 5, 64, "a\\134033");
	/* A NUL inside len is a byte like any other. */
	expect_quote("a\0b", 3, 64, "a\\000b");
	/* Space and 0x20..0x7e are printable. */
	expect_quote(" !~", 3, 64, " !~");
	/* One escape in exactly 5 bytes. */
	expect_quote("\n", 1, 5, "\\012");
}
END_TEST

/* Output too small: cut with "...", never past outsz (exact malloc). */
START_TEST(test_quote_cut)
{
	static const char s[] = "abcdef";

	expect_quote(s, 6, 0, "");
	expect_quote(s, 6, 1, "");
	expect_quote(s, 6, 2, "");
	expect_quote(s, 6, 3, "");
	expect_quote(s, 6, 4, "...");
	expect_quote(s, 6, 5, "a...");
	expect_quote(s, 6, 6, "ab...");
	expect_quote(s, 6, 7, "abcdef");

	/* An escape that does not fit. */
	expect_quote("\033", 1, 0, "");
	expect_quote("\033", 1, 1, "");
	expect_quote("\033", 1, 2, "");
	expect_quote("\033", 1, 3, "");
	expect_quote("\033", 1, 4, "...");
	expect_quote("\033", 1, 5, "\\033");
	expect_quote("ab\033", 3, 5, "a...");
}
END_TEST

/*
 * Cutting never leaves half an escape: "a\001b" needs 9 bytes quoted
 * ("a\\001b" + NUL). In 6 bytes, a cut after "a" plus "..." is what fits;
 * keeping two bytes of the escape ("a\\0...") would show a backslash that
 * starts no \ooo escape. Checked for every size up to the full one.
 */
START_TEST(test_quote_cut_keeps_escapes_whole)
{
	static const char s[] = "a\001b\\c";
	static const char full[] = "a\\001b\\134c";
	size_t outsz, n, i;
	char *q;

	for (outsz = 4; outsz <= sizeof(full); outsz++) {
		q = quote(s, sizeof(s) - 1, outsz);
		n = strlen(q);
		ck_assert_uint_lt(n, outsz);
		if (strcmp(q, full) != 0) {
			ck_assert_uint_ge(n, 3);
			ck_assert_str_eq(q + n - 3, "...");
			n -= 3;
			ck_assert_msg(strncmp(q, full, n) == 0,
			    "outsz %zu: '%s' is not a prefix of '%s'", outsz, q,
			    full);
			/* No backslash within the last 3 bytes before "...":
			 * every escape kept is whole. */
			for (i = n > 3 ? n - 3 : 0; i < n; i++)
				ck_assert_msg(q[i] != '\\',
				    "outsz %zu: '%s' cuts an escape", outsz, q);
		}
		free(q);
	}
	expect_quote(s, sizeof(s) - 1, 6, "a...");
}
END_TEST

static Suite *
errors_suite(void)
{
	Suite *s = suite_create("errors");

	tu_add(s, "set", test_set);
	tu_add(s, "clear", test_clear);
	tu_add(s, "errno", test_errno);
	tu_add(s, "prefix", test_prefix);
	tu_add(s, "set_truncation", test_set_truncation);
	tu_add(s, "errno_truncation", test_errno_truncation);
	tu_add(s, "prefix_truncation", test_prefix_truncation);
	tu_add(s, "strerror", test_strerror);
	tu_add(s, "err_text", test_err_text);
	tu_add(s, "quote_plain", test_quote_plain);
	tu_add(s, "quote_escapes", test_quote_escapes);
	tu_add(s, "quote_cut", test_quote_cut);
	tu_add(s, "quote_cut_keeps_escapes_whole",
	    test_quote_cut_keeps_escapes_whole);
	return s;
}

int
main(void)
{
	return tu_run(errors_suite());
}
