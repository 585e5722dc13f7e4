/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * menutest: what the suites of the config readers (check_syslinux,
 * check_grub) and of the config finder (check_bootcfg) share: an image
 * root made per TCase, files written into it, a bootfs on it or on one
 * config served from memory, and assertions on boot-menu entries.
 * Header-only; tests only. The short names are those suites' vocabulary,
 * as file-local helpers would be.
 */
#ifndef IB_MENUTEST_H
#define IB_MENUTEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bootfs.h"
#include "errors.h"
#include "menu.h"
#include "testutil.h"

/* The image root of the running TCase: a fresh mkdtemp directory
 * check_<suite>.XXXXXX, made in the parent process and removed there even
 * when a test fails (an unchecked fixture). */
static char top[4096];
static const char *top_suite;

static inline void
top_setup(void)
{
	char name[256];

	snprintf(name, sizeof(name), "check_%s", top_suite);
	tu_mkdtemp(top, sizeof(top), name);
}

static inline void
top_teardown(void)
{
	tu_rmtree(top);
}

/* The suite called name, whose TCases get their roots from add(). */
static inline Suite *
menu_suite(const char *name)
{
	top_suite = name;
	return suite_create(name);
}

/* A TCase with its own image root. */
static inline TCase *
add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tu_add(s, name, t);

	tcase_add_unchecked_fixture(tc, top_setup, top_teardown);
	return tc;
}

/* Write len bytes as the file rel under the image root. */
static inline void
put_n(const char *rel, const char *data, size_t len)
{
	tu_put_n(top, rel, data, len);
}

static inline void
put(const char *rel, const char *text)
{
	put_n(rel, text, strlen(text));
}

/* A bootfs on the image root. */
static inline ib_bootfs *
top_fs(ib_err *err)
{
	ib_bootfs *fs = ib_bootfs_open_dir(top, err);

	ck_assert_msg(fs != NULL, "%s: %s", top, err->msg);
	return fs;
}

/*
 * A bootfs on the image root that serves path from the len bytes at data
 * (hostile bytes). They go in from an exactly-sized malloc that is freed
 * at once, so ASan sees bootfs read past them or keep them. What the
 * parser reads is ib_bootfs_read()'s copy: exactly len bytes, no NUL
 * after them, so ASan sees a read of byte len (GRUB's reader drops CRs
 * in place and shrinks the copy to what is left: exact too).
 */
static inline ib_bootfs *
mem_fs(const char *path, const char *data, size_t len, ib_err *err)
{
	ib_bootfs *fs;
	char *buf;

	buf = malloc(len != 0 ? len : 1);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, data, len);
	fs = top_fs(err);
	ck_assert_msg(ib_bootfs_set_file(fs, path, buf, len, err) == 0, "%s",
	    err->msg);
	free(buf);
	return fs;
}

/* -1 when the parse gave no menu (*err says why), else 0 and m freed. */
static inline int
menu_rc(ib_menu *m)
{
	if (m == NULL)
		return -1;
	ib_menu_free(m);
	return 0;
}

/* The default entry of m; fails the test if there is none. */
static inline const ib_menu_entry *
def(const ib_menu *m)
{
	const ib_menu_entry *e = ib_menu_default(m);

	ck_assert_msg(e != NULL, "no default entry");
	return e;
}

/* Whether a note of m contains sub. */
static inline int
has_note(const ib_menu *m, const char *sub)
{
	size_t i;

	for (i = 0; i < ib_menu_nnotes(m); i++)
		if (strstr(ib_menu_note(m, i), sub) != NULL)
			return 1;
	return 0;
}

/* A Linux entry: kernel, exact argument bytes, then n initrds in load
 * order. Messages name the calling test's line and the entry (label, else
 * title). */
static inline void
tu_expect_linux_at(int line, const ib_menu_entry *e, const char *kernel,
    const char *args, size_t n, ...)
{
	const char *name;
	va_list ap;
	size_t i;

	ck_assert_msg(e != NULL, "line %d: no entry", line);
	name = e->label != NULL ? e->label :
	    e->title != NULL    ? e->title :
	                          "(unnamed)";
	ck_assert_msg(e->kind == IB_KIND_LINUX,
	    "line %d: %s: kind %s, expected linux", line, name,
	    ib_menu_kind_name(e->kind));
	ck_assert_msg(e->kernel != NULL && strcmp(e->kernel, kernel) == 0,
	    "line %d: %s: kernel '%s', expected '%s'", line, name,
	    e->kernel != NULL ? e->kernel : "(null)", kernel);
	ck_assert_msg(e->args != NULL && strcmp(e->args, args) == 0,
	    "line %d: %s: args '%s', expected '%s'", line, name,
	    e->args != NULL ? e->args : "(null)", args);
	ck_assert_msg(e->ninitrds == n,
	    "line %d: %s: %zu initrds, expected %zu", line, name, e->ninitrds,
	    n);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);

		ck_assert_msg(strcmp(e->initrds[i], want) == 0,
		    "line %d: %s: initrd %zu '%s', expected '%s'", line, name,
		    i, e->initrds[i], want);
	}
	va_end(ap);
}

#define expect_linux(...) tu_expect_linux_at(__LINE__, __VA_ARGS__)

#endif
