/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bls: BLS type #1 entries as systemd-boot 252 and GRUB's blscfg
 * read them (lib/bls.h), and bootfs's directory listing they need. The
 * comparison tables are the loaders' own test data: systemd's
 * src/test/test-string-util.c (strverscmp_improved) and
 * src/boot/efi/test-efi-string.c (efi_fnmatch, line_get_key_value),
 * rpm's tests/rpmvercmp.at (blscfg's vercmp is rpm's with Fedora's '+'
 * and without '^': the rows where it differs say so). The corpus test
 * reads fixtures/bootcfg/bls/ (SOURCES there) and checks each EXPECTED.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bls.h"
#include "bootfs.h"
#include "bounds.h"
#include "errors.h"
#include "isotest.h"
#include "menu.h"
#include "menu_int.h"
#include "menutest.h"
#include "testutil.h"

static ib_bls_entry *
parse_str(const char *name, const char *text, ib_bls_rules r)
{
	char path[512];
	ib_bls_entry *e;
	ib_err err;

	snprintf(path, sizeof(path), "/loader/entries/%s", name);
	e = ib_bls_parse(path, text, strlen(text), r, &err);
	ck_assert_msg(e != NULL, "%s: %s", name, err.msg);
	return e;
}

static void
expect_str(int line, const char *got, const char *want)
{
	if (want == NULL)
		ck_assert_msg(got == NULL, "line %d: '%s', expected NULL", line,
		    got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		    "line %d: '%s', expected '%s'", line,
		    got != NULL ? got : "(null)", want);
}

#define STR(got, want) expect_str(__LINE__, (got), (want))

/* --- parsing --- */

/* systemd-boot: the last of a single key, options joined, every initrd
 * line, '#' comments, CR and CRLF as line ends, quotes dropped. */
START_TEST(test_parse_sdboot)
{
	ib_bls_entry *e;

	e = parse_str("Fedora-6.5+3-1.conf",
	    "# comment\r\n"
	    "  title   first\r\n"
	    "title \"Fedora Linux 39\"\r\n"
	    "version\t6.5.6-300.fc39.x86_64  \r"
	    "options root=UUID=1 ro\n"
	    "\t# options not=this\n"
	    "options  quiet\n"
	    "initrd /a/initrd with space\n"
	    "initrd /a/microcode\n"
	    "linux /a/linux\n"
	    "bogus key kept out\n"
	    "linuxx /nope\n"
	    "   \n"
	    "nokey\n",
	    IB_BLS_SDBOOT);
	STR(e->title, "Fedora Linux 39");
	STR(e->version, "6.5.6-300.fc39.x86_64");
	STR(e->options, "root=UUID=1 ro quiet");
	STR(e->kernel, "/a/linux");
	ck_assert_uint_eq(e->ninitrds, 2);
	STR(e->initrds[0], "/a/initrd with space");
	STR(e->initrds[1], "/a/microcode");
	ck_assert_int_eq(e->type, IB_BLS_LINUX);
	ck_assert_uint_eq(e->type_line, 10);
	/* the id: lower case, ".conf" and the counter kept */
	STR(e->id, "fedora-6.5+3-1.conf");
	ck_assert_int_eq(e->tries_left, 3);
	ck_assert_int_eq(e->tries_done, 1);
	ib_bls_entry_free(e);

	/* sd252: the last of linux and efi decides */
	e = parse_str("x.conf", "linux /k\nefi /e.efi\n", IB_BLS_SDBOOT);
	ck_assert_int_eq(e->type, IB_BLS_EFI);
	ck_assert(e->both);
	ck_assert_int_eq(e->tries_left, -1);
	ib_bls_entry_free(e);

	/* a NUL ends the file (it is read as a C string) */
	{
		static const char t[] = "title a\nlinux /k\0linux /other\n";
		ib_err err;

		e = ib_bls_parse("/loader/entries/n.conf", t, sizeof(t) - 1,
		    IB_BLS_SDBOOT, &err);
		ck_assert_ptr_nonnull(e);
		STR(e->kernel, "/k");
		ib_bls_entry_free(e);
	}
	/* `title "` is an empty title */
	e = parse_str("q.conf", "title \"\n", IB_BLS_SDBOOT);
	STR(e->title, "");
	ib_bls_entry_free(e);
}
END_TEST

/* line_get_key_value's own test (test-efi-string.c), with " \t" as the
 * separators systemd-boot uses. */
START_TEST(test_parse_systemd_vectors)
{
	ib_bls_loader_conf c;
	ib_err err;
	static const char s2[] = "this parser\n"
	                         "\t\t\t# is\t\r"
	                         "  also\tused  \r\n"
	                         "for \"the conf\"\n"
	                         "format\t !!";
	ib_bls_entry *e;

	/* The keys are unknown to an entry: make them known ones. */
	e = parse_str("v.conf",
	    "title parser\n"
	    "\t\t\t# is\t\r"
	    "  version\tused  \r\n"
	    "sort-key \"the conf\"\n"
	    "machine-id\t !!",
	    IB_BLS_SDBOOT);
	STR(e->title, "parser");
	STR(e->version, "used");
	STR(e->sort_key, "the conf");
	STR(e->machine_id, "!!");
	ib_bls_entry_free(e);
	ck_assert_int_eq(ib_bls_loader_conf_parse(s2, strlen(s2), &c, &err), 0);
	ck_assert_ptr_null(c.def);
	ib_bls_loader_conf_release(&c);
}
END_TEST

/* blscfg: the first of a single key and of options; the key ends at the
 * first space; a line with no value ends the file; CRs go. */
START_TEST(test_parse_grub)
{
	ib_bls_entry *e;

	e = parse_str("abc-6.5.6-300.fc39.x86_64.conf",
	    "title Fedora (6.5.6)\r\n"
	    "title second\n"
	    "version 6.5.6-300.fc39.x86_64\n"
	    "linux /vmlinuz-6.5.6\n"
	    "initrd /initramfs-6.5.6.img $tuned_initrd\n"
	    "initrd /extra.img\n"
	    "options $kernelopts\n"
	    "options ignored=1\n"
	    "grub_users $grub_users\n"
	    "\n"
	    "linux /after-an-empty-line\n",
	    IB_BLS_GRUB);
	STR(e->id, "abc-6.5.6-300.fc39.x86_64");
	STR(e->title, "Fedora (6.5.6)");
	STR(e->kernel, "/vmlinuz-6.5.6");
	STR(e->options, "$kernelopts");
	ck_assert_uint_eq(e->ninitrds, 2);
	STR(e->initrds[0], "/initramfs-6.5.6.img $tuned_initrd");
	ib_bls_entry_free(e);

	/* "linux\t/a b": the key is "linux\t/a" (the first space) */
	e = parse_str("t.conf", "linux\t/a b\n", IB_BLS_GRUB);
	ck_assert_ptr_null(e->kernel);
	ck_assert_int_eq(e->type, IB_BLS_NONE);
	ib_bls_entry_free(e);

	/* "title " and nothing: the file ends there */
	e = parse_str("u.conf", "linux /k\ntitle \ntitle late\n", IB_BLS_GRUB);
	ck_assert_ptr_null(e->title);
	STR(e->kernel, "/k");
	ib_bls_entry_free(e);
}
END_TEST

/* A file over IB_MAX_CONFIG (one long line) is refused by name, and more
 * initrd lines than IB_MAX_INITRDS. */
START_TEST(test_parse_limits)
{
	size_t len = IB_MAX_CONFIG + 1, i;
	char *big, buf[64];
	ib_err err;
	ib_bls_entry *e;
	char *many;
	size_t o;

	big = malloc(len);
	ck_assert_ptr_nonnull(big);
	memcpy(big, "options ", 8);
	memset(big + 8, 'x', len - 8);
	e = ib_bls_parse("/l/e.conf", big, len, IB_BLS_SDBOOT, &err);
	ck_assert_ptr_null(e);
	ck_assert_int_eq(err.code, IB_ELIMIT);
	ck_assert_ptr_nonnull(strstr(err.msg, "1048576"));
	/* one byte less is a (very long) options line */
	e = ib_bls_parse("/l/e.conf", big, len - 1, IB_BLS_SDBOOT, &err);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(strlen(e->options), len - 1 - 8);
	ib_bls_entry_free(e);
	free(big);

	many = malloc((IB_MAX_INITRDS + 1) * 16);
	ck_assert_ptr_nonnull(many);
	o = 0;
	for (i = 0; i <= IB_MAX_INITRDS; i++) {
		snprintf(buf, sizeof(buf), "initrd /i%zu\n", i);
		memcpy(many + o, buf, strlen(buf));
		o += strlen(buf);
	}
	e = ib_bls_parse("/l/m.conf", many, o, IB_BLS_GRUB, &err);
	tu_expect_err(e == NULL ? -1 : 0, &err, IB_ELIMIT, "initrd");
	free(many);
}
END_TEST

/* sd252 config_entry_parse_tries: the last '+', digits, an optional
 * "-DONE", then exactly ".conf". */
START_TEST(test_tries)
{
	static const struct {
		const char *file;
		int left, done;
	} t[] = {
		{ "a+3.conf", 3, 0 },
		{ "a+3-0.conf", 3, 0 },
		{ "a+0-4.conf", 0, 4 },
		{ "a+1+2-3.conf", 2, 3 },
		{ "a+3.CONF", -1, -1 },  /* sd252: ".conf" exactly */
		{ "a+3x.conf", -1, -1 }, /* in the middle of the name */
		{ "a+.conf", -1, -1 },   /* no digits */
		{ "a+3-.conf", -1, -1 }, /* no done digits */
		{ "a+2147483648.conf", -1, -1 },
		{ "a.conf", -1, -1 },
	};
	ib_bls_entry *e;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		e = parse_str(t[i].file, "linux /k\n", IB_BLS_SDBOOT);
		ck_assert_msg(e->tries_left == t[i].left &&
		        e->tries_done == t[i].done,
		    "%s: %d %d", t[i].file, e->tries_left, e->tries_done);
		ib_bls_entry_free(e);
	}
}
END_TEST

/* --- loader.conf --- */

START_TEST(test_loader_conf)
{
	static const char t[] = "timeout 15\n"
	                        "default 01-Archiso-linux.conf\n"
	                        "beep on\n"
	                        "timeout 3x\n"     /* refused, the 15 stays */
	                        "default @bogus\n" /* refused */
	                        "timeout menu-disabled\n"; /* sdmain only */
	ib_bls_loader_conf c;
	ib_err err;

	ck_assert_int_eq(ib_bls_loader_conf_parse(t, strlen(t), &c, &err), 0);
	ck_assert_int_eq(c.timeout, 15);
	ck_assert_uint_eq(c.timeout_line, 1);
	STR(c.def, "01-archiso-linux.conf");
	ck_assert_uint_eq(c.def_line, 2);
	ck_assert(!c.def_saved);
	ck_assert_uint_eq(c.nbad, 3);
	ck_assert_uint_eq(c.bad_line, 4);
	ib_bls_loader_conf_release(&c);

#define CONF(text, want)                                                       \
	do {                                                                   \
		ck_assert_int_eq(                                              \
		    ib_bls_loader_conf_parse(text, strlen(text), &c, &err),    \
		    0);                                                        \
		ck_assert_int_eq(c.timeout, (want));                           \
		ib_bls_loader_conf_release(&c);                                \
	} while (0)
	CONF("timeout menu-force\n", IB_BLS_TIMEOUT_MENU_FORCE);
	CONF("timeout menu-hidden\n", 0);
	CONF("timeout 0\n", 0);
	CONF("timeout 4294967295\n", IB_BLS_TIMEOUT_MENU_FORCE);
	CONF("timeout 4294967294\n", 4294967294);
	CONF("timeout 4294967296\n", IB_BLS_TIMEOUT_UNSET);
	CONF("timeout -1\n", IB_BLS_TIMEOUT_UNSET);
	CONF("timeout \"7\"\n", 7);
	CONF("", IB_BLS_TIMEOUT_UNSET);
#undef CONF
	ck_assert_int_eq(
	    ib_bls_loader_conf_parse("default @SAVED\n", 15, &c, &err), 0);
	ck_assert(c.def_saved);
	STR(c.def, "@saved");
	ib_bls_loader_conf_release(&c);
}
END_TEST

/* --- comparisons --- */

/* test-string-util.c strverscmp_improved: each older than every later. */
START_TEST(test_strverscmp_systemd)
{
	static const char *const v[] = { "~1", "", "ab", "abb", "abc", "0001",
		"002", "12", "122", "122.9", "123~rc1", "123", "123-a",
		"123-a.1", "123-a1", "123-a1.1", "123-3", "123-3.1",
		"123^patch1", "123^1", "123.a-1", "123.1-1", "123a-1", "124" };
	static const char *const newer[][2] = {
		{ "123.45-67.88", "123.45-67.89" },
		{ "123.45-67.89", "123.45-67.89a" },
		{ "123.45-67.ab", "123.45-67.89" },
		{ "123.45-67.9", "123.45-67.89" },
		{ "123.45-67", "123.45-67.89" },
		{ "123.45-66.89", "123.45-67.89" },
		{ "123.45-9.99", "123.45-67.89" },
		{ "123.42-99.99", "123.45-67.89" },
		{ "123-99.99", "123.45-67.89" },
		{ "123~rc1-99.99", "123.45-67.89" },
		{ "123~rc1-99.99", "123-45.67.89" },
		{ "123~rc1-99.99", "123~rc2-67.89" },
		{ "123~rc1-99.99", "123^aa2-67.89" },
		{ "123~rc1-99.99", "123aa2-67.89" },
		{ "123-99.99", "123^aa2-67.89" },
		{ "123-99.99", "123aa2-67.89" },
		{ "123^45-67.89", "123.45-67.89" },
		{ "123^aa1-99.99", "123^aa2-67.89" },
		{ "123^aa2-67.89", "123aa2-67.89" },
		{ "123.aa2-67.89", "123aa2-67.89" },
		{ "123.aa2-67.89", "123.ab2-67.89" },
	};
	static const struct {
		const char *a, *b;
		int r;
	} one[] = {
		{ "123_aa2-67.89", "123aa+2-67.89", 0 },
		{ "123.", "123", 1 },
		{ "12_3", "123", -1 },
		{ "12_3", "12", 1 },
		{ "12_3", "12.3", 1 },
		{ "123.0", "123", 1 },
		{ "123_0", "123", 1 },
		{ "123..0", "123.0", -1 },
		{ "", NULL, 0 },
		{ NULL, "", 0 },
		{ "0_", "0", 0 },
		{ "_0_", "0", 0 },
		{ "_0", "0", 0 },
		{ "0", "0___", 0 },
		{ "", "_", 0 },
		{ "_", "", 0 },
		{ "_", "_", 0 },
		{ "", "~", 1 },
		{ "~", "", -1 },
		{ "~", "~", 0 },
	};
	size_t i, k;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (k = i; k < sizeof(v) / sizeof(v[0]); k++) {
			ck_assert_msg(ib_bls_strverscmp(v[i], v[k]) ==
			        (i == k ? 0 : -1),
			    "'%s' vs '%s'", v[i], v[k]);
			ck_assert_msg(ib_bls_strverscmp(v[k], v[i]) ==
			        (i == k ? 0 : 1),
			    "'%s' vs '%s'", v[k], v[i]);
		}
	for (i = 0; i < sizeof(newer) / sizeof(newer[0]); i++) {
		ck_assert_msg(ib_bls_strverscmp(newer[i][0], newer[i][1]) < 0,
		    "%s < %s", newer[i][0], newer[i][1]);
		ck_assert_msg(ib_bls_strverscmp(newer[i][1], newer[i][0]) > 0,
		    "%s > %s", newer[i][1], newer[i][0]);
	}
	for (i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		ck_assert_msg(ib_bls_strverscmp(one[i].a, one[i].b) == one[i].r,
		    "'%s' '%s'", one[i].a != NULL ? one[i].a : "NULL",
		    one[i].b != NULL ? one[i].b : "NULL");
}
END_TEST

/*
 * rpm's tests/rpmvercmp.at, every row: rpm is rpm's answer, sd what
 * systemd's test (strverscmp_improved_rpm) says strverscmp_improved
 * gives, grub what blscfg's vercmp gives ('+' is Fedora's, '^' a
 * separator there).
 */
static const struct {
	const char *a, *b;
	int rpm, sd, grub;
} rpmvercmp[] = {
	{ "1.0", "1.0", 0, 0, 0 },
	{ "1.0", "2.0", -1, -1, -1 },
	{ "2.0", "1.0", 1, 1, 1 },
	{ "2.0.1", "2.0.1", 0, 0, 0 },
	{ "2.0", "2.0.1", -1, -1, -1 },
	{ "2.0.1", "2.0", 1, 1, 1 },
	{ "2.0.1a", "2.0.1a", 0, 0, 0 },
	{ "2.0.1a", "2.0.1", 1, 1, 1 },
	{ "2.0.1", "2.0.1a", -1, -1, -1 },
	{ "5.5p1", "5.5p1", 0, 0, 0 },
	{ "5.5p1", "5.5p2", -1, -1, -1 },
	{ "5.5p2", "5.5p1", 1, 1, 1 },
	{ "5.5p10", "5.5p10", 0, 0, 0 },
	{ "5.5p1", "5.5p10", -1, -1, -1 },
	{ "5.5p10", "5.5p1", 1, 1, 1 },
	{ "10xyz", "10.1xyz", -1, 1, -1 },
	{ "10.1xyz", "10xyz", 1, -1, 1 },
	{ "xyz10", "xyz10", 0, 0, 0 },
	{ "xyz10", "xyz10.1", -1, -1, -1 },
	{ "xyz10.1", "xyz10", 1, 1, 1 },
	{ "xyz.4", "xyz.4", 0, 0, 0 },
	{ "xyz.4", "8", -1, -1, -1 },
	{ "8", "xyz.4", 1, 1, 1 },
	{ "xyz.4", "2", -1, -1, -1 },
	{ "2", "xyz.4", 1, 1, 1 },
	{ "5.5p2", "5.6p1", -1, -1, -1 },
	{ "5.6p1", "5.5p2", 1, 1, 1 },
	{ "5.6p1", "6.5p1", -1, -1, -1 },
	{ "6.5p1", "5.6p1", 1, 1, 1 },
	{ "6.0.rc1", "6.0", 1, 1, 1 },
	{ "6.0", "6.0.rc1", -1, -1, -1 },
	{ "10b2", "10a1", 1, 1, 1 },
	{ "10a2", "10b2", -1, -1, -1 },
	{ "1.0aa", "1.0aa", 0, 0, 0 },
	{ "1.0a", "1.0aa", -1, -1, -1 },
	{ "1.0aa", "1.0a", 1, 1, 1 },
	{ "10.0001", "10.0001", 0, 0, 0 },
	{ "10.0001", "10.1", 0, 0, 0 },
	{ "10.1", "10.0001", 0, 0, 0 },
	{ "10.0001", "10.0039", -1, -1, -1 },
	{ "10.0039", "10.0001", 1, 1, 1 },
	{ "4.999.9", "5.0", -1, -1, -1 },
	{ "5.0", "4.999.9", 1, 1, 1 },
	{ "20101121", "20101121", 0, 0, 0 },
	{ "20101121", "20101122", -1, -1, -1 },
	{ "20101122", "20101121", 1, 1, 1 },
	{ "2_0", "2_0", 0, 0, 0 },
	{ "2.0", "2_0", 0, -1, 0 },
	{ "2_0", "2.0", 0, 1, 0 },
	/* RhBug:178798: in blscfg '+' is no separator */
	{ "a", "a", 0, 0, 0 },
	{ "a+", "a+", 0, 0, 0 },
	{ "a+", "a_", 0, 0, 1 },
	{ "a_", "a+", 0, 0, -1 },
	{ "+a", "+a", 0, 0, 0 },
	{ "+a", "_a", 0, 0, -1 },
	{ "_a", "+a", 0, 0, 1 },
	{ "+_", "+_", 0, 0, 0 },
	{ "_+", "+_", 0, 0, 0 },
	{ "_+", "_+", 0, 0, 0 },
	{ "+", "_", 0, 0, 1 },
	{ "_", "+", 0, 0, -1 },
	/* tilde */
	{ "1.0~rc1", "1.0~rc1", 0, 0, 0 },
	{ "1.0~rc1", "1.0", -1, -1, -1 },
	{ "1.0", "1.0~rc1", 1, 1, 1 },
	{ "1.0~rc1", "1.0~rc2", -1, -1, -1 },
	{ "1.0~rc2", "1.0~rc1", 1, 1, 1 },
	{ "1.0~rc1~git123", "1.0~rc1~git123", 0, 0, 0 },
	{ "1.0~rc1~git123", "1.0~rc1", -1, -1, -1 },
	{ "1.0~rc1", "1.0~rc1~git123", 1, 1, 1 },
	/* caret: a separator for blscfg */
	{ "1.0^", "1.0^", 0, 0, 0 },
	{ "1.0^", "1.0", 1, 1, 0 },
	{ "1.0", "1.0^", -1, -1, 0 },
	{ "1.0^git1", "1.0^git1", 0, 0, 0 },
	{ "1.0^git1", "1.0", 1, 1, 1 },
	{ "1.0", "1.0^git1", -1, -1, -1 },
	{ "1.0^git1", "1.0^git2", -1, -1, -1 },
	{ "1.0^git2", "1.0^git1", 1, 1, 1 },
	{ "1.0^git1", "1.01", -1, -1, -1 },
	{ "1.01", "1.0^git1", 1, 1, 1 },
	{ "1.0^20160101", "1.0^20160101", 0, 0, 0 },
	{ "1.0^20160101", "1.0.1", -1, -1, 1 },
	{ "1.0.1", "1.0^20160101", 1, 1, -1 },
	{ "1.0^20160101^git1", "1.0^20160101^git1", 0, 0, 0 },
	{ "1.0^20160102", "1.0^20160101^git1", 1, 1, 1 },
	{ "1.0^20160101^git1", "1.0^20160102", -1, -1, -1 },
	{ "1.0~rc1^git1", "1.0~rc1^git1", 0, 0, 0 },
	{ "1.0~rc1^git1", "1.0~rc1", 1, 1, 1 },
	{ "1.0~rc1", "1.0~rc1^git1", -1, -1, -1 },
	{ "1.0^git1~pre", "1.0^git1~pre", 0, 0, 0 },
	{ "1.0^git1", "1.0^git1~pre", 1, 1, 1 },
	{ "1.0^git1~pre", "1.0^git1", -1, -1, -1 },
};

START_TEST(test_vercmp_rpm)
{
	size_t i;

	for (i = 0; i < sizeof(rpmvercmp) / sizeof(rpmvercmp[0]); i++) {
		ck_assert_msg(ib_bls_vercmp(rpmvercmp[i].a, rpmvercmp[i].b) ==
		        rpmvercmp[i].grub,
		    "vercmp(%s, %s) = %d, blscfg gives %d (rpm %d)",
		    rpmvercmp[i].a, rpmvercmp[i].b,
		    ib_bls_vercmp(rpmvercmp[i].a, rpmvercmp[i].b),
		    rpmvercmp[i].grub, rpmvercmp[i].rpm);
		ck_assert_msg(ib_bls_strverscmp(rpmvercmp[i].a,
		                  rpmvercmp[i].b) == rpmvercmp[i].sd,
		    "strverscmp(%s, %s) = %d, systemd's test says %d",
		    rpmvercmp[i].a, rpmvercmp[i].b,
		    ib_bls_strverscmp(rpmvercmp[i].a, rpmvercmp[i].b),
		    rpmvercmp[i].sd);
	}
}
END_TEST

/* test-efi-string.c efi_fnmatch; glibc's fnmatch agrees on every row but
 * the three systemd marks (musl aside) as its own. */
START_TEST(test_fnmatch)
{
	static const struct {
		const char *p, *s;
		bool m, libc;
	} t[] = {
		{ "", "", true, true },
		{ "abc", "abc", true, true },
		{ "aBc", "abc", false, true },
		{ "b", "a", false, true },
		{ "b", "", false, true },
		{ "abc", "a", false, true },
		{ "a?c", "azc", true, true },
		{ "???", "?.9", true, true },
		{ "1?", "1", false, true },
		{ "***", "", true, true },
		{ "*", "123", true, true },
		{ "**", "abcd", true, true },
		{ "*b*", "abcd", true, true },
		{ "abc*d", "abc", false, true },
		{ "start*end", "startend", true, true },
		{ "start*end", "startendend", true, true },
		{ "start*end", "startenddne", false, true },
		{ "start*end", "startendstartend", true, true },
		{ "start*end", "starten", false, true },
		{ "*.conf", "arch.conf", true, true },
		{ "debian-*.conf", "debian-wheezy.conf", true, true },
		{ "debian-*.*", "debian-wheezy.efi", true, true },
		{ "ab*cde", "abzcd", false, true },
		{ "\\*\\a\\[", "*a[", true, true },
		{ "[abc] [abc] [abc]", "a b c", true, true },
		{ "abc]", "abc]", true, true },
		{ "[abc]", "z", false, true },
		{ "[abc", "a", false, true },
		{ "[][!] [][!] [][!]", "[ ] !", true, true },
		{ "[]-] []-]", "] -", true, true },
		{ "[1\\]] [1\\]]", "1 ]", true, true },
		{ "[$-\\+]", "&", true, true },
		{ "[1-3A-C] [1-3A-C]", "2 B", true, true },
		{ "[3-5] [3-5] [3-5]", "3 4 5", true, true },
		{ "[f-h] [f-h] [f-h]", "f g h", true, true },
		{ "[a-c-f] [a-c-f] [a-c-f] [a-c-f] [a-c-f]", "a b c - f", true,
		    false },
		{ "[a-c-f]", "e", false, false },
		{ "[--0] [--0] [--0]", "- . 0", true, true },
		{ "[+--] [+--] [+--]", "+ , -", true, true },
		{ "[f-l]", "m", false, true },
		{ "[b]", "z-a", false, true },
		{ "[a\\-z]", "b", false, false },
		{ "?a*b[.-0]c", "/a/b/c", true, true },
		{ "debian-*-*-*.*",
		    "debian-jessie-2018-06-17-kernel-image-5.10.0-16-amd64.efi",
		    true, true },
		/* no backtracking: these end at once */
		{ "a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p*q*r*s*t*u*v*w*x*y*z*",
		    "aaaabbbbccccddddeeeeffffgggghhhhiiiijjjjkkkkllllmmmmnnnnoo"
		    "ooppppqqqqrrrrssssttttuuuuvvvvwwwwxxxxyyyy",
		    false, true },
		{ "a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p*q*r*s*t*u*v*w*x*y*z*",
		    "aaaabbbbccccddddeeeeffffgggghhhhiiiijjjjkkkkllllmmmmnnnnoo"
		    "ooppppqqqqrrrrssssttttuuuuvvvvwwwwxxxxyyyyzzzz!!!!",
		    true, true },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_msg(ib_bls_fnmatch(t[i].p, t[i].s) == t[i].m,
		    "'%s' '%s'", t[i].p, t[i].s);
		if (t[i].libc)
			ck_assert_msg((fnmatch(t[i].p, t[i].s, 0) == 0) ==
			        t[i].m,
			    "libc '%s' '%s'", t[i].p, t[i].s);
	}
}
END_TEST

/* --- orders --- */

static ib_bls_entry *
ent(const char *file, const char *text, ib_bls_rules r)
{
	return parse_str(file, text, r);
}

/* config_entry_compare: tried-out last; sort-key entries first, by key,
 * machine-id, newest version; then newest id; more tries left first. */
START_TEST(test_order_sdboot)
{
	ib_bls_entry *e[7];
	size_t i, k;

	/* in the order systemd-boot shows them */
	e[0] = ent("b.conf", "sort-key arch\nversion 6.2\nlinux /k\n",
	    IB_BLS_SDBOOT);
	e[1] = ent("a.conf", "sort-key arch\nversion 6.1\nlinux /k\n",
	    IB_BLS_SDBOOT);
	e[2] =
	    ent("c.conf", "sort-key arch\nmachine-id ff\nversion 9\nlinux /k\n",
	        IB_BLS_SDBOOT);
	e[3] = ent("debian.conf", "sort-key debian\nlinux /k\n", IB_BLS_SDBOOT);
	e[4] = ent("linux-6.10.conf", "linux /k\n", IB_BLS_SDBOOT);
	e[5] = ent("linux-6.9+2.conf", "linux /k\n", IB_BLS_SDBOOT);
	e[6] = ent("linux-7.0+0-3.conf", "linux /k\n", IB_BLS_SDBOOT);
	for (i = 0; i < 7; i++)
		for (k = 0; k < 7; k++)
			ck_assert_msg(
			    ib_bls_compare(e[i], e[k], IB_BLS_SDBOOT) ==
			        (i < k        ? -1 :
			                i > k ? 1 :
			                        0),
			    "%s vs %s", e[i]->file, e[k]->file);
	for (i = 0; i < 7; i++)
		ib_bls_entry_free(e[i]);
}
END_TEST

/* bls_cmp: name, version, release from the id's last two '-', each by
 * vercmp, newest first; the rescue entry "MID-0-rescue" sorts after the
 * kernels of the same machine. */
START_TEST(test_order_grub)
{
	static const char *const ids[] = {
		"f00d-6.5.12-300.fc39.x86_64.conf",
		"f00d-6.5.6-300.fc39.x86_64.conf",
		"f00d-6.5.6-200.fc39.x86_64.conf",
		"f00d-0-rescue.conf",
		"beef-7.0-1.conf",
	};
	ib_bls_entry *e[5];
	size_t i, k;
	int want;

	for (i = 0; i < 5; i++)
		e[i] = ent(ids[i], "linux /k\n", IB_BLS_GRUB);
	for (i = 0; i < 5; i++)
		for (k = 0; k < 5; k++) {
			want = i < k ? -1 : i > k ? 1 : 0;
			ck_assert_msg(ib_bls_compare(e[i], e[k], IB_BLS_GRUB) ==
			        want,
			    "%s vs %s", ids[i], ids[k]);
		}
	for (i = 0; i < 5; i++)
		ib_bls_entry_free(e[i]);
}
END_TEST

/* --- bootfs listing and whole menus --- */

struct seen {
	char names[16][64];
	bool dirs[16];
	size_t n;
};

static int
collect(void *ctx, const char *name, bool is_dir, ib_err *err)
{
	struct seen *s = ctx;

	(void)err;
	ck_assert_uint_lt(s->n, 16);
	snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
	s->dirs[s->n++] = is_dir;
	return 0;
}

static bool
seen_has(const struct seen *s, const char *name, bool dir)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0 && s->dirs[i] == dir)
			return true;
	return false;
}

START_TEST(test_list_tree)
{
	struct seen s;
	ib_bootfs *fs;
	ib_err err;

	put("loader/entries/a.conf", "linux /k\n");
	put("loader/entries/sub/x.conf", "x");
	put("loader/loader.conf", "");
	ck_assert_int_eq(symlink("a.conf", tu_at(top, "loader/entries/l.conf")),
	    0);
	ck_assert_int_eq(symlink("/nowhere", tu_at(top, "loader/entries/b")),
	    0);
	fs = top_fs(&err);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(
	    ib_bootfs_list(fs, "/loader/entries", collect, &s, &err), 0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert(seen_has(&s, "a.conf", false));
	ck_assert(seen_has(&s, "l.conf", false));
	ck_assert(seen_has(&s, "sub", true));
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(ib_bootfs_list(fs, "/", collect, &s, &err), 0);
	ck_assert(seen_has(&s, "loader", true));
	tu_expect_err(ib_bootfs_list(fs, "/nope", collect, &s, &err), &err,
	    IB_ENOTFOUND, "not found");
	tu_expect_err(
	    ib_bootfs_list(fs, "/loader/loader.conf", collect, &s, &err), &err,
	    ENOTDIR, "not a directory");
	ib_bootfs_close(fs);
}
END_TEST

/* An image: ECMA-119 names as the image has them, case ignored on the
 * way; systemd-boot takes "A.CONF" (".conf" in any case). */
START_TEST(test_list_iso)
{
	static const struct member m[] = {
		{ "LOADER", NULL, 0 },
		{ "LOADER/ENTRIES", NULL, 0 },
		{ "LOADER/ENTRIES/A.CONF", "title A\nlinux /VMLINUZ\n", 0 },
		{ "LOADER/ENTRIES/SUB", NULL, 0 },
		{ "LOADER/LOADER.CFG", "x", 0 },
		{ "VMLINUZ", "kernel", 0 },
	};
	struct spec sp = { m, NMEMB(m), NULL, NULL, 0 };
	const ib_menu_entry *e;
	struct seen s;
	ib_bootfs *fs;
	ib_iso *iso;
	ib_menu *mn;
	ib_err err;

	isotest_build(&sp, tu_at(top, "img.iso"));
	{
		ib_iso_opts o;

		memset(&o, 0, sizeof(o));
		o.no_joliet = true;
		iso = ib_iso_open(tu_at(top, "img.iso"), &o, &err);
		ck_assert_msg(iso != NULL, "%s", err.msg);
	}
	fs = ib_bootfs_open_iso(iso, &err);
	ck_assert_ptr_nonnull(fs);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(
	    ib_bootfs_list(fs, "/loader/entries", collect, &s, &err), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert(seen_has(&s, "A.CONF", false));
	ck_assert(seen_has(&s, "SUB", true));
	tu_expect_err(ib_bootfs_list(fs, "/LOADER/NONE", collect, &s, &err),
	    &err, IB_ENOTFOUND, "not found");
	tu_expect_err(ib_bootfs_list(fs, "/vmlinuz", collect, &s, &err), &err,
	    ENOTDIR, "not a directory");
	mn = ib_bls_menu_new(fs, "x64", &err);
	ck_assert_msg(mn != NULL, "%s", err.msg);
	e = def(mn);
	expect_linux(e, "/VMLINUZ", "", 0);
	STR(e->label, "a.conf");
	ib_menu_free(mn);
	ib_bootfs_close(fs);
	ib_iso_close(iso);
}
END_TEST

static ib_menu *
sd_menu(const char *arch)
{
	ib_bootfs *fs;
	ib_menu *m;
	ib_err err;

	fs = top_fs(&err);
	m = ib_bls_menu_new(fs, arch, &err);
	ck_assert_msg(m != NULL, "%s", err.msg);
	ib_bootfs_close(fs);
	return m;
}

/* Default globs against the lower-cased ids, in systemd-boot's order;
 * what systemd-boot leaves out; the timeout. */
START_TEST(test_menu_sdboot)
{
	const ib_menu_entry *e;
	ib_menu *m;

	put("k/linux", "k");
	put("k/initrd", "i");
	put("loader/entries/Arch-6.1.conf",
	    "title Arch\nversion 6.1\nlinux /k/linux\ninitrd /k/initrd\n"
	    "options root=/dev/vda2\noptions rw\n");
	put("loader/entries/arch-6.9.conf",
	    "title Arch\nversion 6.9\nlinux k//linux\n");
	put("loader/entries/missing.conf", "title M\nlinux /k/none\n");
	put("loader/entries/arm.conf",
	    "title A\nlinux /k/linux\narchitecture aa64\n");
	put("loader/entries/notes.txt", "linux /k/linux\n");
	put("loader/entries/auto-windows.conf", "linux /k/linux\n");
	put("loader/entries/memtest.conf", "title Memtest86+\nefi /k/linux\n");
	put("loader/loader.conf", "timeout 5\ndefault ARCH-6.1*\n");
	m = sd_menu("x64");
	ck_assert_uint_eq(ib_menu_count(m), 3);
	/* no sort keys: newest id first */
	STR(ib_menu_at(m, 0)->label, "memtest.conf");
	STR(ib_menu_at(m, 1)->label, "arch-6.9.conf");
	STR(ib_menu_at(m, 2)->label, "arch-6.1.conf");
	/* the same title twice: the version tells them apart */
	STR(ib_menu_at(m, 1)->title, "Arch (6.9)");
	ck_assert_int_eq(ib_menu_at(m, 0)->kind, IB_KIND_BOOTSECTOR);
	e = def(m);
	expect_linux(e, "/k/linux", "root=/dev/vda2 rw", 1, "/k/initrd");
	STR(e->where, "loader/entries/Arch-6.1.conf:3");
	ck_assert_int_eq(ib_menu_timeout(m), 50);
	ck_assert(has_note(m,
	    "loader/loader.conf:2: default arch-6.1*: "
	    "arch-6.1.conf"));
	ck_assert(has_note(m, "missing.conf:2: linux /k/none: no such file"));
	ck_assert(has_note(m, "architecture aa64, not x64"));
	ck_assert(has_note(m, "auto-"));
	ck_assert_str_eq(ib_menu_loader(m), "systemd-boot");
	ib_menu_free(m);

	/* no match: the first entry; menu-force waits */
	put("loader/loader.conf", "timeout menu-force\ndefault nothing\n");
	m = sd_menu(NULL);
	ck_assert_uint_eq(ib_menu_count(m), 4);
	STR(def(m)->label, "memtest.conf");
	ck_assert(ib_menu_waits(m));
	ck_assert(has_note(m, "matches no entry id"));
	ck_assert(has_note(m, "not checked"));
	ib_menu_free(m);

	/* @saved and no timeout: a note, the first entry, boots at once */
	put("loader/loader.conf", "default @saved\n");
	m = sd_menu("x64");
	STR(def(m)->label, "memtest.conf");
	ck_assert(!ib_menu_waits(m));
	ck_assert_int_eq(ib_menu_timeout(m), -1);
	ck_assert(has_note(m, "LoaderEntryLastBooted"));
	ib_menu_free(m);
}
END_TEST

START_TEST(test_menu_empty)
{
	ib_menu *m;

	m = sd_menu("x64");
	ck_assert_uint_eq(ib_menu_count(m), 0);
	ck_assert_ptr_null(ib_menu_default(m));
	ck_assert(has_note(m, "loader/entries: no such directory"));
	ck_assert(has_note(m, "loader/loader.conf: no such file"));
	ib_menu_free(m);
}
END_TEST

/* blscfg: /loader/entries, else /boot/loader/entries; equal ids keep the
 * first read; the menu entry keeps options unexpanded. */
START_TEST(test_grub_load)
{
	ib_menu_entry me;
	ib_bls_list l;
	ib_bootfs *fs;
	ib_err err;

	put("boot/loader/entries/m-6.1-1.conf",
	    "title Old\nlinux /vmlinuz-6.1 console=ttyS0\n"
	    "initrd /i1 /i2 $tuned_initrd\noptions $kernelopts\n");
	put("boot/loader/entries/m-6.10-1.conf", "title New\nlinux /v\n");
	/* "m-6.010-1" compares equal to "m-6.10-1": read after it, dropped */
	put("boot/loader/entries/m-6.010-1.conf", "title Same\nlinux /v\n");
	put("boot/loader/entries/x.CONF", "linux /v\n");
	fs = top_fs(&err);
	ck_assert_int_eq(ib_bls_load(fs, NULL, IB_BLS_GRUB, &l, NULL, &err), 0);
	ck_assert_uint_eq(l.n, 2);
	STR(l.e[0]->id, "m-6.010-1");
	STR(l.e[1]->id, "m-6.1-1");
	ck_assert_int_eq(ib_bls_grub_entry(l.e[1], &me, &err), 1);
	expect_linux(&me, "/vmlinuz-6.1", "console=ttyS0 $kernelopts", 3, "/i1",
	    "/i2", "$tuned_initrd");
	STR(me.label, "m-6.1-1");
	STR(me.title, "Old");
	STR(me.where, "boot/loader/entries/m-6.1-1.conf:2");
	ib_menu_entry_release(&me);
	ck_assert_int_eq(ib_bls_grub_entry(l.e[0], &me, &err), 1);
	STR(me.args, "$default_kernelopts");
	ib_menu_entry_release(&me);
	ib_bls_list_release(&l);
	ib_bootfs_close(fs);
}
END_TEST

/* More entry files than IB_MAX_BLS_ENTRIES: refused by name. */
START_TEST(test_too_many)
{
	char name[64];
	ib_bls_list l;
	ib_bootfs *fs;
	ib_err err;
	unsigned i;

	for (i = 0; i <= IB_MAX_BLS_ENTRIES; i++) {
		snprintf(name, sizeof(name), "loader/entries/e%u.conf", i);
		put(name, "linux /k\n");
	}
	fs = top_fs(&err);
	tu_expect_err(ib_bls_load(fs, NULL, IB_BLS_SDBOOT, &l, NULL, &err),
	    &err, IB_ELIMIT, "1024");
	ib_bootfs_close(fs);
}
END_TEST

/* --- the corpus: fixtures/bootcfg/bls/NAME/EXPECTED --- */

struct expected {
	char rules[32], arch[16], label[256], kernel[512], append[2048];
	char initrd[8][512];
	size_t ninitrd;
};

/* The value of "key=value" into dst, when line is that key's. */
static void
field(const char *line, const char *key, char *dst, size_t size)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) == 0 && line[n] == '=')
		ck_assert_uint_lt(
		    (size_t)snprintf(dst, size, "%s", line + n + 1), size);
}

static void
read_expected(const char *path, struct expected *x)
{
	char line[4096];
	FILE *f;
	size_t n;

	memset(x, 0, sizeof(*x));
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		field(line, "loader", x->rules, sizeof(x->rules));
		field(line, "arch", x->arch, sizeof(x->arch));
		field(line, "default_label", x->label, sizeof(x->label));
		field(line, "kernel", x->kernel, sizeof(x->kernel));
		field(line, "append", x->append, sizeof(x->append));
		if (strncmp(line, "initrd=", 7) == 0 && x->ninitrd < 8)
			field(line, "initrd", x->initrd[x->ninitrd++],
			    sizeof(x->initrd[0]));
	}
	fclose(f);
}

/* A copy of the fixture with a stand-in for each file EXPECTED names
 * (systemd-boot leaves out an entry whose kernel is missing). */
static void
stage(const char *src, const struct expected *x)
{
	char cmd[9000];
	size_t i;

	ck_assert_int_lt(snprintf(cmd, sizeof(cmd),
	                     "cp -R '%s'/. '%s'/ && rm -f '%s'/EXPECTED", src,
	                     top, top),
	    (int)sizeof(cmd));
	ck_assert_int_eq(system(cmd), 0);
	if (x->kernel[0] != '\0')
		put(x->kernel + 1, "k");
	for (i = 0; i < x->ninitrd; i++)
		put(x->initrd[i] + 1, "i");
}

START_TEST(test_corpus)
{
	char root[4096], dir[8400], path[8500];
	const ib_menu_entry *e;
	struct expected x;
	struct dirent *de;
	ib_menu_entry me;
	ib_bls_list l;
	const char *shared;
	ib_bootfs *fs;
	ib_menu *m;
	ib_err err;
	int checked;
	DIR *d;

	shared = getenv("IB_SHARED");
	if (shared == NULL || shared[0] == '\0')
		shared = "fixtures";
	snprintf(root, sizeof(root), "%s/bootcfg/bls", shared);
	d = opendir(root);
	ck_assert_msg(d != NULL, "%s: %s", root, strerror(errno));
	checked = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", root, de->d_name);
		snprintf(path, sizeof(path), "%s/EXPECTED", dir);
		if (access(path, R_OK) != 0)
			continue;
		read_expected(path, &x);
		tu_rmtree(top);
		ck_assert_int_eq(mkdir(top, 0700), 0);
		stage(dir, &x);
		fs = top_fs(&err);
		if (strcmp(x.rules, "systemd-boot") == 0) {
			m = ib_bls_menu_new(fs, x.arch[0] ? x.arch : NULL,
			    &err);
			ck_assert_msg(m != NULL, "%s: %s", de->d_name, err.msg);
			e = def(m);
			STR(e->label, x.label);
			STR(e->kernel, x.kernel);
			STR(e->args, x.append);
			ck_assert_uint_eq(e->ninitrds, x.ninitrd);
			for (size_t i = 0; i < x.ninitrd; i++)
				STR(e->initrds[i], x.initrd[i]);
			ib_menu_free(m);
		} else {
			/* blscfg: the first in its order (GRUB's default=0) */
			ck_assert_str_eq(x.rules, "grub-blscfg");
			ck_assert_int_eq(
			    ib_bls_load(fs, NULL, IB_BLS_GRUB, &l, NULL, &err),
			    0);
			ck_assert_uint_gt(l.n, 0);
			ck_assert_int_eq(ib_bls_grub_entry(l.e[0], &me, &err),
			    1);
			STR(me.label, x.label);
			STR(me.kernel, x.kernel);
			STR(me.args, x.append);
			ck_assert_uint_eq(me.ninitrds, x.ninitrd);
			for (size_t i = 0; i < x.ninitrd; i++)
				STR(me.initrds[i], x.initrd[i]);
			ib_menu_entry_release(&me);
			ib_bls_list_release(&l);
		}
		ib_bootfs_close(fs);
		printf("corpus bls/%s (%s): match\n", de->d_name, x.rules);
		checked++;
	}
	closedir(d);
	ck_assert_int_ge(checked, 3);
}
END_TEST

int
main(void)
{
	Suite *s = menu_suite("bls");

	add(s, "parse_sdboot", test_parse_sdboot);
	add(s, "parse_systemd_vectors", test_parse_systemd_vectors);
	add(s, "parse_grub", test_parse_grub);
	add(s, "parse_limits", test_parse_limits);
	add(s, "tries", test_tries);
	add(s, "loader_conf", test_loader_conf);
	add(s, "strverscmp_systemd", test_strverscmp_systemd);
	add(s, "vercmp_rpm", test_vercmp_rpm);
	add(s, "fnmatch", test_fnmatch);
	add(s, "order_sdboot", test_order_sdboot);
	add(s, "order_grub", test_order_grub);
	add(s, "list_tree", test_list_tree);
	add(s, "list_iso", test_list_iso);
	add(s, "menu_sdboot", test_menu_sdboot);
	add(s, "menu_empty", test_menu_empty);
	add(s, "grub_load", test_grub_load);
	add(s, "too_many", test_too_many);
	add(s, "corpus", test_corpus);
	return tu_run(s);
}
