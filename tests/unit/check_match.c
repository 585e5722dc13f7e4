/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_match: member selection by exact path or glob, where a pattern
 * that matches a directory selects everything under it (as tar does).
 * Patterns and paths are exactly-sized copies, and the patterns are freed
 * right after ib_match_new, which must have copied them.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "errors.h"
#include "match.h"
#include "testutil.h"

/* A matcher for n patterns, built from copies that are then freed. */
static ib_match *
new_match(const char *const *pats, size_t n, bool slash)
{
	char **copy = calloc(n > 0 ? n : 1, sizeof(*copy));
	ib_match *m;
	ib_err err;
	size_t i;

	ck_assert_ptr_nonnull(copy);
	for (i = 0; i < n; i++) {
		copy[i] = strdup(pats[i]);
		ck_assert_ptr_nonnull(copy[i]);
	}
	ib_err_clear(&err);
	m = ib_match_new((const char *const *)copy, n, slash, &err);
	ck_assert_msg(m != NULL, "%s", err.msg);
	for (i = 0; i < n; i++)
		free(copy[i]);
	free(copy);
	ck_assert_uint_eq(ib_match_count(m), n);
	return m;
}

static ib_match *
one(const char *pat, bool slash)
{
	return new_match(&pat, 1, slash);
}

/* ib_match_path on an exact copy of path. */
static int
match(ib_match *m, const char *path)
{
	char *p = strdup(path);
	int r;

	ck_assert_ptr_nonnull(p);
	r = ib_match_path(m, p);
	free(p);
	return r;
}

#define expect_match(m, path)                                                  \
	ck_assert_msg(match((m), (path)) != 0, "'%s' should match '%s'",       \
	    (path), ib_match_pattern((m), 0))
#define expect_no_match(m, path)                                               \
	ck_assert_msg(match((m), (path)) == 0, "'%s' should not match '%s'",   \
	    (path), ib_match_pattern((m), 0))

/* No patterns: everything is selected. */
START_TEST(test_no_patterns)
{
	ib_match *m = new_match(NULL, 0, false);

	ck_assert_uint_eq(ib_match_count(m), 0);
	ck_assert_int_ne(match(m, "a"), 0);
	ck_assert_int_ne(match(m, "boot/grub/grub.cfg"), 0);
	ib_match_free(m);
	ib_match_free(NULL);
}
END_TEST

START_TEST(test_exact)
{
	ib_match *m = one("boot/grub/grub.cfg", false);

	expect_match(m, "boot/grub/grub.cfg");
	expect_no_match(m, "boot/grub/grub.cfg2");
	expect_no_match(m, "boot/grub/grub.cf");
	expect_no_match(m, "boot/grub");
	expect_no_match(m, "boot");
	expect_no_match(m, "x/boot/grub/grub.cfg");
	/* A file can have no children, but the rule is the same. */
	expect_match(m, "boot/grub/grub.cfg/x");
	ib_match_free(m);
}
END_TEST

/* A directory pattern selects the directory and all under it. */
START_TEST(test_directory_selects_subtree)
{
	ib_match *m = one("boot", false);

	expect_match(m, "boot");
	expect_match(m, "boot/x");
	expect_match(m, "boot/grub/x86_64-efi/normal.mod");
	expect_no_match(m, "bootx");
	expect_no_match(m, "boo");
	expect_no_match(m, "bootx/y");
	expect_no_match(m, "efi/boot");
	expect_no_match(m, "efi/boot/bootx64.efi");
	ib_match_free(m);
}
END_TEST

/*
 * The glob "boot/" + "*" matches "boot/x"; "boot/x/y" too, through its parent
 * "boot/x" (header: a pattern matching a directory selects everything
 * under it); not "boot" itself, nor a boot elsewhere.
 */
START_TEST(test_glob_children)
{
	ib_match *m = one("boot/*", false);

	expect_match(m, "boot/x");
	expect_match(m, "boot/.hidden");
	expect_match(m, "boot/x/y");
	expect_match(m, "boot/x/y/z");
	expect_no_match(m, "boot");
	expect_no_match(m, "bootx/y");
	expect_no_match(m, "a/boot/x");
	ib_match_free(m);

	/* Other glob syntax: ?, [...]. */
	m = one("[bB]oot/vmlinu?", false);
	expect_match(m, "Boot/vmlinuz");
	expect_match(m, "boot/vmlinux/sub");
	expect_no_match(m, "boot/vmlinuzz");
	expect_no_match(m, "toot/vmlinuz");
	ib_match_free(m);
}
END_TEST

/* Without slash, '*' and '?' stop at '/'; with it, they cross it. */
START_TEST(test_star_and_slash)
{
	ib_match *m = one("*.cfg", false);

	expect_match(m, "grub.cfg");
	expect_no_match(m, "a/b.cfg");
	expect_no_match(m, "boot/grub/grub.cfg");
	/* "x.cfg" is a directory here: its parent path matches. */
	expect_match(m, "x.cfg/inner");
	ib_match_free(m);

	m = one("*.cfg", true);
	expect_match(m, "grub.cfg");
	expect_match(m, "a/b.cfg");
	expect_match(m, "boot/grub/grub.cfg");
	expect_no_match(m, "boot/grub/grub.cfgx");
	ib_match_free(m);

	m = one("a?b", false);
	expect_match(m, "axb");
	expect_no_match(m, "a/b");
	ib_match_free(m);
	m = one("a?b", true);
	expect_match(m, "a/b");
	ib_match_free(m);

	/* '/' in the pattern matches '/' either way. */
	m = one("*/*.cfg", false);
	expect_match(m, "a/b.cfg");
	expect_no_match(m, "a/b/c.cfg");
	ib_match_free(m);
}
END_TEST

/* A leading "/" or "./" and a trailing "/" are dropped; the pattern is
 * still reported as given. */
START_TEST(test_normalised_patterns)
{
	static const char *const pats[] = { "/boot/", "./isolinux", "efi/",
		"//live///", "././/casper" };
	ib_match *m;
	size_t i;

	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		m = one(pats[i], false);
		ck_assert_str_eq(ib_match_pattern(m, 0), pats[i]);
		ck_assert_ptr_ne(ib_match_pattern(m, 0), pats[i]);
		ib_match_free(m);
	}

	m = one("/boot/", false);
	expect_match(m, "boot");
	expect_match(m, "boot/vmlinuz");
	expect_no_match(m, "bootx");
	ib_match_free(m);

	m = one("./isolinux", false);
	expect_match(m, "isolinux/isolinux.cfg");
	ib_match_free(m);

	m = one("efi/", false);
	expect_match(m, "efi");
	expect_match(m, "efi/boot/bootx64.efi");
	ib_match_free(m);

	m = one("//live///", false);
	expect_match(m, "live/vmlinuz");
	ib_match_free(m);

	m = one("././/casper", false);
	expect_match(m, "casper/initrd");
	ib_match_free(m);

	/* "/" is the root directory: everything is under it. */
	m = one("/", false);
	expect_match(m, "anything");
	expect_match(m, "a/b/c");
	ck_assert(ib_match_used(m, 0));
	ib_match_free(m);
}
END_TEST

/* Each pattern records whether it matched, all of them on every path. */
START_TEST(test_used)
{
	static const char *const pats[] = { "boot", "nomatch", "*.cfg",
		"boot/*" };
	ib_match *m = new_match(pats, 4, false);
	size_t i;

	for (i = 0; i < 4; i++) {
		ck_assert_str_eq(ib_match_pattern(m, i), pats[i]);
		ck_assert(!ib_match_used(m, i));
	}
	ck_assert_int_ne(match(m, "boot/vmlinuz"), 0);
	/* Both "boot" and pattern 3 matched: no stop at the first. */
	ck_assert(ib_match_used(m, 0));
	ck_assert(!ib_match_used(m, 1));
	ck_assert(!ib_match_used(m, 2));
	ck_assert(ib_match_used(m, 3));

	/* A path no pattern matches changes nothing. */
	ck_assert_int_eq(match(m, "efi/x"), 0);
	ck_assert(!ib_match_used(m, 2));

	ck_assert_int_ne(match(m, "grub.cfg"), 0);
	ck_assert(ib_match_used(m, 2));
	ck_assert(!ib_match_used(m, 1));
	/* used stays set. */
	ck_assert_int_eq(match(m, "other"), 0);
	ck_assert(ib_match_used(m, 0));
	ck_assert(ib_match_used(m, 2));
	ib_match_free(m);
}
END_TEST

static Suite *
match_suite(void)
{
	Suite *s = suite_create("match");

	tu_add(s, "no_patterns", test_no_patterns);
	tu_add(s, "exact", test_exact);
	tu_add(s, "directory_selects_subtree", test_directory_selects_subtree);
	tu_add(s, "glob_children", test_glob_children);
	tu_add(s, "star_and_slash", test_star_and_slash);
	tu_add(s, "normalised_patterns", test_normalised_patterns);
	tu_add(s, "used", test_used);
	return s;
}

int
main(void)
{
	return tu_run(match_suite());
}
