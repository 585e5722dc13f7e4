/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * testutil: what every Check suite in tests/unit needs and would otherwise
 * write again: a main that runs one suite, a one-test TCase, the error
 * assertion, and a scratch directory ($IB_WORK, else $TMPDIR, else /tmp)
 * with the means to look into it and to remove it. Header-only and for
 * the unit tests alone; not part of libisoboot.
 */
#ifndef IB_TESTUTIL_H
#define IB_TESTUTIL_H

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

/* rc is -1 and *err holds want_code and a message containing sub. A macro,
 * so that a failure names the test's line. */
#define tu_expect_err(rc, err, want_code, sub)                                 \
	do {                                                                   \
		ck_assert_int_eq((rc), -1);                                    \
		ck_assert_msg((err)->code == (want_code),                      \
		    "code %d, expected %d: %s", (err)->code, (want_code),      \
		    (err)->msg);                                               \
		ck_assert_msg(strstr((err)->msg, (sub)) != NULL,               \
		    "message '%s' lacks '%s'", (err)->msg, (sub));             \
	} while (0)

/* Run s in Check's default fork mode; the exit status for main. */
static inline int
tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* A TCase called name in s, holding t; returned for more tests, a
 * timeout or a fixture. */
static inline TCase *
tu_add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);

	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
	return tc;
}

/* Make a fresh directory name.XXXXXX in $IB_WORK, else $TMPDIR, else
 * /tmp, into dir (size bytes); fails the test if it cannot. */
static inline void
tu_mkdtemp(char *dir, size_t size, const char *name)
{
	const char *base = getenv("IB_WORK");

	if (base == NULL || base[0] == '\0')
		base = getenv("TMPDIR");
	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	ck_assert_int_lt(snprintf(dir, size, "%s/%s.XXXXXX", base, name),
	    (int)size);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static inline int
tu_rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove dir and everything under it, without following links. */
static inline void
tu_rmtree(const char *dir)
{
	ck_assert_int_eq(nftw(dir, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* Path rel under dir, for stat and the like; four results stay valid at
 * a time, so that two can be arguments of one call. */
static inline const char *
tu_at(const char *dir, const char *rel)
{
	static char buf[4][8400];
	static unsigned next;
	char *b = buf[next++ % 4];

	ck_assert_int_lt(snprintf(b, sizeof(buf[0]), "%s/%s", dir, rel),
	    (int)sizeof(buf[0]));
	return b;
}

/* The number of entries in dir, "." and ".." not counted. */
static inline int
tu_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* The lowest free fd: the same before and after a call means no leak. */
static inline int
tu_lowest_free_fd(void)
{
	int fd = dup(0);

	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

/* Write len bytes as the file rel under top, making its directories. */
static inline void
tu_put_n(const char *top, const char *rel, const char *data, size_t len)
{
	char path[8400], *slash;
	FILE *f;

	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/%s", top, rel),
	    (int)sizeof(path));
	for (slash = strchr(path + strlen(top) + 1, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST,
		    "mkdir %s", path);
		*slash = '/';
	}
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* The bytes of the file at path, in a malloc'd buffer of exactly *len
 * bytes (1 for an empty file) the caller frees; fails the test if it
 * cannot be read. */
static inline char *
tu_read_new(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	FILE *f;

	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fstat(fileno(f), &st), 0);
	*len = (size_t)st.st_size;
	buf = malloc(*len != 0 ? *len : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_msg(fread(buf, 1, *len, f) == *len, "%s: short read", path);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* The file at path holds exactly the len bytes at data. */
#define tu_expect_file(path, data, len)                                        \
	tu_expect_file_at(__LINE__, path, data, len)

static inline void
tu_expect_file_at(int line, const char *path, const void *data, size_t len)
{
	size_t n, i;
	char *buf;

	buf = tu_read_new(path, &n);
	for (i = 0; i < n && i < len; i++)
		if (buf[i] != ((const char *)data)[i])
			break;
	ck_assert_msg(n == len && i == len,
	    "line %d: %s: %zu bytes, expected %zu; first difference at %zu",
	    line, path, n, len, i);
	free(buf);
}

#endif /* IB_TESTUTIL_H */
