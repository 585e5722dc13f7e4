/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_cmdline: kernel command-line words and the edits on them. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "cmdline.h"
#include "shquote.h"
#include "testutil.h"

/* Split s, apply nothing, join. */
static char *
roundtrip(const char *s)
{
	ib_argv a = { 0 };
	ib_err err;
	char *out;

	ck_assert_int_eq(ib_cmdline_append(&a, s, &err), 0);
	out = ib_cmdline_join_new(&a);
	ib_argv_free(&a);
	return out;
}

START_TEST(test_split_quotes)
{
	ib_argv a = { 0 };
	ib_err err;

	/* Linux lib/cmdline.c: double quotes group spaces into one word. */
	ck_assert_int_eq(
	    ib_cmdline_append(&a, "  a=1\tb=\"x y\" \"c d\"=e  ", &err), 0);
	ck_assert_uint_eq(a.n, 3);
	ck_assert_str_eq(a.v[0], "a=1");
	ck_assert_str_eq(a.v[1], "b=\"x y\"");
	ck_assert_str_eq(a.v[2], "\"c d\"=e");
	ck_assert_ptr_null(a.v[3]);
	ib_argv_free(&a);
}
END_TEST

START_TEST(test_split_join_split_stable)
{
	static const char *const in[] = { "", "a", "  a  b ", "x=\"1 2\" y",
		"q=\"unbalanced tail", "--- quiet" };
	char *once, *twice;
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		once = roundtrip(in[i]);
		twice = roundtrip(once);
		ck_assert_str_eq(once, twice);
		free(once);
		free(twice);
	}
}
END_TEST

/* The Alpine virt line from the recipe, rewritten as the seed did it. */
START_TEST(test_serial_alpine)
{
	ib_argv a = { 0 };
	ib_err err;
	char *s;

	ck_assert_int_eq(ib_cmdline_append(&a,
	                     "modules=loop,squashfs,sd-mod,usb-storage quiet "
	                     "console=tty0 console=ttyS0,115200",
	                     &err),
	    0);
	ck_assert_int_eq(ib_cmdline_serial(&a, NULL, NULL, &err), 0);
	s = ib_cmdline_join_new(&a);
	ck_assert_str_eq(s,
	    "earlyprintk=serial,ttyS0 console=ttyS0 "
	    "modules=loop,squashfs,sd-mod,usb-storage");
	free(s);
	/* Idempotent. */
	ck_assert_int_eq(ib_cmdline_serial(&a, NULL, NULL, &err), 0);
	s = ib_cmdline_join_new(&a);
	ck_assert_str_eq(s,
	    "earlyprintk=serial,ttyS0 console=ttyS0 "
	    "modules=loop,squashfs,sd-mod,usb-storage");
	free(s);
	ib_argv_free(&a);
}
END_TEST

/* Words after "---" belong to the installed system: kept in place. */
START_TEST(test_serial_keeps_after_separator)
{
	ib_argv a = { 0 };
	ib_err err;
	char *s;

	ck_assert_int_eq(ib_cmdline_append(&a,
	                     "vga=788 splash --- quiet console=tty1", &err),
	    0);
	ck_assert_int_eq(ib_cmdline_serial(&a, "ttyS1", "115200", &err), 0);
	s = ib_cmdline_join_new(&a);
	ck_assert_str_eq(s,
	    "earlyprintk=serial,ttyS1,115200 console=ttyS1,115200 --- quiet console=tty1");
	free(s);
	ib_argv_free(&a);
}
END_TEST

START_TEST(test_remove_and_append)
{
	ib_argv a = { 0 };
	ib_err err;
	char *s;

	ck_assert_int_eq(ib_cmdline_append(&a,
	                     "quiet root=/dev/sda root=x rootfstype=ext4 root",
	                     &err),
	    0);
	/* "root" and "root=..." go; "rootfstype=" is another key. */
	ck_assert_uint_eq(ib_cmdline_remove(&a, "root"), 3);
	ck_assert_int_eq(ib_cmdline_append(&a, "a=1  b=\"2 3\"", &err), 0);
	s = ib_cmdline_join_new(&a);
	ck_assert_str_eq(s, "quiet rootfstype=ext4 a=1 b=\"2 3\"");
	free(s);
	ib_argv_free(&a);
}
END_TEST

/* Alpine's initramfs loads modules= and sees an ahci-cd only with
 * sr-mod: added once, only to an existing list. */
static void
expect_module(const char *in, int rc, const char *want)
{
	ib_argv a = { 0 };
	ib_err err;
	char *s;

	ck_assert_int_eq(ib_cmdline_append(&a, in, &err), 0);
	ck_assert_int_eq(ib_cmdline_add_module(&a, "sr-mod", &err), rc);
	s = ib_cmdline_join_new(&a);
	ck_assert_msg(strcmp(s, want) == 0, "'%s' -> '%s', expected '%s'", in,
	    s, want);
	free(s);
	ib_argv_free(&a);
}

START_TEST(test_add_module)
{
	expect_module("modules=loop,squashfs,sd-mod,usb-storage quiet", 1,
	    "modules=loop,squashfs,sd-mod,usb-storage,sr-mod quiet");
	expect_module("modules=sr-mod,loop", 0, "modules=sr-mod,loop");
	expect_module("modules=loop,sr-mod", 0, "modules=loop,sr-mod");
	expect_module("modules=sr-mod2", 1, "modules=sr-mod2,sr-mod");
	expect_module("modules=", 1, "modules=sr-mod");
	expect_module("quiet console=ttyS0", 0, "quiet console=ttyS0");
	expect_module("mymodules=x modules=a", 1,
	    "mymodules=x modules=a,sr-mod");
}
END_TEST

static void
expect_strip(const char *in, const char *want)
{
	char *out;

	out = ib_cmdline_strip_loader_new(in);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strcmp(out, want) == 0, "'%s' -> '%s', expected '%s'", in,
	    out, want);
	free(out);
}

/* shared/bootcfg EXPECTED: initrd= and BOOT_IMAGE= words go, every other
 * byte stays (gentoo, void, alpine-3.13). */
START_TEST(test_strip_loader_words)
{
	expect_strip("cdroot initrd=/boot/gentoo.igz vga=791",
	    "cdroot vga=791");
	expect_strip("initrd=/boot/initrd root=live:X  a=1 ",
	    "root=live:X  a=1 ");
	expect_strip("quiet  initrd=/b", "quiet ");
	expect_strip("BOOT_IMAGE=/k initrd=/i", "");
	expect_strip("modules=a quiet ", "modules=a quiet ");
	expect_strip("rd.xinitrd=1 a", "rd.xinitrd=1 a");
	expect_strip("", "");
}
END_TEST

START_TEST(test_limits)
{
	ib_argv a = { 0 };
	char *big;
	ib_err err;

	big = malloc(IB_MAX_CMDLINE + 2);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', IB_MAX_CMDLINE + 1);
	big[IB_MAX_CMDLINE + 1] = '\0';
	ck_assert_int_eq(ib_cmdline_append(&a, big, &err), -1);
	ck_assert_int_eq(err.code, IB_ELIMIT);
	ck_assert_uint_eq(a.n, 0);
	free(big);
}
END_TEST

/* Values for make's ":=": what make reads back is the input. */
START_TEST(test_makequote)
{
	static const char *const cases[][2] = {
		{ "quiet", "quiet" },
		{ "c=$x", "c=$$x" },
		{ "a#b", "a\\#b" },
		{ "a\\#b", "a\\\\\\#b" },
		{ "a\\\\#b", "a\\\\\\\\\\#b" },
		{ "/boot/vm\\", "/boot/vm\\$(subst ,,)" },
		{ "f\\\\", "f\\\\" },
		{ "back\\slash", "back\\slash" },
	};
	size_t i;
	char *q;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		q = ib_shquote_make_new(cases[i][0]);
		ck_assert_ptr_nonnull(q);
		ck_assert_str_eq(q, cases[i][1]);
		free(q);
	}
	ck_assert_ptr_null(ib_shquote_make_new("a\nb"));
}
END_TEST

/* test_words_lose_terminator: ib_argv promises a NULL after the last
 * word (execvp takes a.v as it is). Removing a word moved the words after
 * it down but left the old last pointer, freed, where the NULL belongs. */
START_TEST(test_words_lose_terminator)
{
	ib_argv a = { 0 };
	ib_err err;
	size_t i;

	ck_assert_int_eq(ib_cmdline_append(&a, "a quiet b c quiet", &err), 0);
	ck_assert_ptr_null(a.v[a.n]);
	ck_assert_uint_eq(ib_cmdline_remove(&a, "quiet"), 2);
	ck_assert_uint_eq(a.n, 3);
	ck_assert_ptr_null(a.v[a.n]);
	ck_assert_int_eq(ib_cmdline_prepend(&a, "x y", &err), 0);
	ck_assert_ptr_null(a.v[a.n]);
	ck_assert_int_eq(ib_cmdline_serial(&a, NULL, NULL, &err), 0);
	ck_assert_ptr_null(a.v[a.n]);
	for (i = 0; i < a.n; i++)
		ck_assert_ptr_nonnull(a.v[i]);
	ib_argv_free(&a);
}
END_TEST

/* The edits of syslinux2cmdline run in the order its man page gives:
 * --remove, then --serial, then --append, so an appended console= is
 * not rewritten away. */
START_TEST(test_edit_order)
{
	static const char *const rm[] = { "root" };
	static const char *const add[] = { "console=hvc0 x=\"1 2\"" };
	ib_cmdline_edits ed;
	ib_err err;
	char *s;

	memset(&ed, 0, sizeof(ed));
	ed.remove = rm;
	ed.nremove = 1;
	ed.serial = true;
	ed.serial_speed = "115200";
	ed.append = add;
	ed.nappend = 1;
	s = ib_cmdline_edit_new("quiet root=/dev/sr0 console=tty0 boot=live",
	    &ed, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s,
	    "earlyprintk=serial,ttyS0,115200 console=ttyS0,115200 boot=live console=hvc0 "
	    "x=\"1 2\"");
	free(s);
	/* A bad serial device fails the whole edit, naming it. */
	ed.serial_dev = "ttyS0-with-a-name-far-longer-than-any-console-device-"
	                "could-ever-be-in-a-real-kernel-command-line-at-all";
	tu_expect_err(ib_cmdline_edit_new("a", &ed, &err) == NULL ? -1 : 0,
	    &err, EINVAL, "serial device name too long");
}
END_TEST

/* --serial=DEV[,SPEED]: a device and a speed of digits; anything else
 * is refused naming the part that is bad, never passed on half-read. */
START_TEST(test_serial_parse)
{
	char dev[8];
	const char *speed;
	ib_err err;

	ck_assert_int_eq(ib_cmdline_serial_parse("ttyS1,115200", dev,
	                     sizeof(dev), &speed, &err),
	    0);
	ck_assert_str_eq(dev, "ttyS1");
	ck_assert_str_eq(speed, "115200");
	ck_assert_int_eq(
	    ib_cmdline_serial_parse("hvc0", dev, sizeof(dev), &speed, &err), 0);
	ck_assert_str_eq(dev, "hvc0");
	ck_assert_ptr_null(speed);
	tu_expect_err(
	    ib_cmdline_serial_parse(",9600", dev, sizeof(dev), &speed, &err),
	    &err, EINVAL, "bad device ',9600'");
	/* dev holds 7 bytes and a NUL: an 8-byte name does not fit. */
	tu_expect_err(
	    ib_cmdline_serial_parse("ttyUSB10", dev, sizeof(dev), &speed, &err),
	    &err, EINVAL, "bad device");
	tu_expect_err(
	    ib_cmdline_serial_parse("ttyS0,", dev, sizeof(dev), &speed, &err),
	    &err, EINVAL, "bad speed in 'ttyS0,'");
	tu_expect_err(ib_cmdline_serial_parse("ttyS0,96k", dev, sizeof(dev),
	                  &speed, &err),
	    &err, EINVAL, "bad speed");
}
END_TEST

static Suite *
cmdline_suite(void)
{
	Suite *s = suite_create("cmdline");

	tu_add(s, "split_quotes", test_split_quotes);
	tu_add(s, "split_join_split_stable", test_split_join_split_stable);
	tu_add(s, "serial_alpine", test_serial_alpine);
	tu_add(s, "serial_keeps_after_separator",
	    test_serial_keeps_after_separator);
	tu_add(s, "remove_and_append", test_remove_and_append);
	tu_add(s, "strip_loader_words", test_strip_loader_words);
	tu_add(s, "limits", test_limits);
	tu_add(s, "add_module", test_add_module);
	tu_add(s, "makequote", test_makequote);
	tu_add(s, "words_lose_terminator", test_words_lose_terminator);
	tu_add(s, "edit_order", test_edit_order);
	tu_add(s, "serial_parse", test_serial_parse);
	return s;
}

int
main(void)
{
	return tu_run(cmdline_suite());
}
