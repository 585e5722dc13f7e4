/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_syslinux: the syslinux reader against the rules of
 * fixtures/bootcfg/SEMANTICS.md section 1 (ISOLINUX 6.04's ldlinux and
 * menu parsers). Each test writes small configs into a fresh mkdtemp
 * directory ($IB_WORK, else $TMPDIR, else /tmp), made per TCase in the
 * parent process and removed there even when a test fails, opens it as
 * the image root and checks what ib_syslinux_parse() says boots. Where
 * the library and SEMANTICS.md disagree the test asserts SEMANTICS.md.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bootfs.h"
#include "bounds.h"
#include "errors.h"
#include "menu.h"
#include "menutest.h"
#include "syslinux.h"
#include "testutil.h"

/* Where ISOLINUX 6 finds its config first (SEMANTICS.md 1.1). */
#define CFG "/isolinux/isolinux.cfg"

/* Parse cfg (absolute in the image) with working directory cwd; the
 * menu, or NULL with *err. */
static ib_menu *
parse(const char *cfg, const char *cwd, ib_err *err)
{
	ib_bootfs *fs;
	ib_menu *m;

	fs = top_fs(err);
	m = ib_syslinux_parse(fs, cfg, cwd, err);
	ib_bootfs_close(fs);
	return m;
}

static ib_menu *
parse_ok(const char *cfg, const char *cwd)
{
	ib_menu *m;
	ib_err err;

	m = parse(cfg, cwd, &err);
	ck_assert_msg(m != NULL, "%s: %s", cfg, err.msg);
	return m;
}

/* -1 with *err when the parse fails; 0 (and the menu freed) if not. */
static int
parse_rc(const char *cfg, const char *cwd, ib_err *err)
{
	return menu_rc(parse(cfg, cwd, err));
}

/* The config CFG served from memory (mem_fs): the hostile-bytes tests.
 * The menu, or NULL with *err. */
static ib_menu *
parse_mem(const char *data, size_t len, ib_err *err)
{
	ib_bootfs *fs;
	ib_menu *m;

	fs = mem_fs(CFG, data, len, err);
	m = ib_syslinux_parse(fs, CFG, NULL, err);
	ib_bootfs_close(fs);
	return m;
}

static int
parse_mem_rc(const char *data, size_t len, ib_err *err)
{
	return menu_rc(parse_mem(data, len, err));
}

static const ib_menu_entry *
find(const ib_menu *m, const char *label)
{
	const ib_menu_entry *e = ib_menu_find(m, label);

	ck_assert_msg(e != NULL, "no entry %s", label);
	return e;
}

/* The helpers below name the calling test's line in their messages. */
#define expect_label(...) expect_label_at(__LINE__, __VA_ARGS__)
#define expect_kind(...)  expect_kind_at(__LINE__, __VA_ARGS__)

static void
expect_label_at(int line, const ib_menu_entry *e, const char *label)
{
	ck_assert_msg(e != NULL, "line %d: no entry", line);
	ck_assert_msg(e->label != NULL && strcmp(e->label, label) == 0,
	    "line %d: label '%s', expected '%s'", line,
	    e->label != NULL ? e->label : "(null)", label);
}

static void
expect_kind_at(int line, const ib_menu_entry *e, ib_kind kind)
{
	ck_assert_msg(e != NULL, "line %d: no entry", line);
	ck_assert_msg(e->kind == kind, "line %d: %s: kind %s, expected %s",
	    line, e->label != NULL ? e->label : "(null)",
	    ib_menu_kind_name(e->kind), ib_menu_kind_name(kind));
}

/* 1.3: keywords match ignoring case; the value is the rest of the line
 * after the blanks that follow the keyword, trailing spaces included. */
START_TEST(test_keyword_any_case_value_verbatim)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "dEfAuLt t\n"
	    "  \tLaBeL t\n"
	    "KeRnEl /vmlinuz\n"
	    "ApPeNd   a=1   b=2  \n"
	    "APPEND\tX=1\n"
	    "APPENDIX y=1\n"
	    "FROBNICATE z\n");
	/* The second APPEND (tab after the keyword) replaces the first;
	 * APPENDIX is no keyword (a byte > 0x20 follows "APPEND"), nor is
	 * FROBNICATE: both ignored. */
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/vmlinuz", "X=1", 0);
	ib_menu_free(m);

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /vmlinuz\n"
	    "ApPeNd   a=1   b=2  \n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/vmlinuz", "a=1   b=2  ", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.3: a line ends at its first CR; what follows the CR on that line is
 * lost, even a directive. */
START_TEST(test_line_cut_at_first_cr)
{
	static const char cfg[] = "DEFAULT t\n"
	                          "LABEL t\n"
	                          "KERNEL /vmlinuz\n"
	                          "APPEND a=1\rINITRD /lost.img b=2\n";
	ib_menu *m;

	put_n("isolinux/isolinux.cfg", cfg, sizeof(cfg) - 1);
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/vmlinuz", "a=1", 0);
	ib_menu_free(m);
}
END_TEST

START_TEST(test_crlf_file)
{
	static const char cfg[] = "DEFAULT t\r\n"
	                          "LABEL t\r\n"
	                          "KERNEL vmlinuz\r\n"
	                          "INITRD initrd.gz\r\n"
	                          "APPEND quiet\r\n";
	ib_menu *m;

	put_n("isolinux/isolinux.cfg", cfg, sizeof(cfg) - 1);
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "t");
	expect_linux(def(m), "/isolinux/vmlinuz", "quiet", 1,
	    "/isolinux/initrd.gz");
	ib_menu_free(m);
}
END_TEST

/* A config whose line 4 is '#', pad 'x' bytes, then tail, then LF. */
static char *
long_line_cfg(size_t pad, const char *tail, size_t *len)
{
	static const char head[] = "DEFAULT t\nLABEL t\nKERNEL /k\n";
	size_t hl = sizeof(head) - 1, tl = strlen(tail);
	char *cfg;

	*len = hl + 1 + pad + tl + 1;
	cfg = malloc(*len);
	ck_assert_ptr_nonnull(cfg);
	memcpy(cfg, head, hl);
	cfg[hl] = '#';
	memset(cfg + hl + 1, 'x', pad);
	memcpy(cfg + hl + 1 + pad, tail, tl);
	cfg[*len - 1] = '\n';
	return cfg;
}

/* 1.3: ldlinux reads 4096-byte buffers and parses the rest of a longer
 * line as a new line ([Q]: a comment whose tail, from byte 4096 on, read
 * APPEND ... changed the label's APPEND); isoboot refuses such a line and
 * names file:line. A line of 4095 bytes is still one line. */
START_TEST(test_line_longer_than_4095_is_error)
{
	ib_err err;
	size_t len;
	char *cfg;

	/* '#' and 4094 'x' fill ldlinux's buffer; the APPEND follows. */
	cfg = long_line_cfg(IB_MAX_CFG_LINE - 1, "APPEND which=injected", &len);
	tu_expect_err(parse_mem_rc(cfg, len, &err), &err, IB_ELIMIT,
	    "isolinux/isolinux.cfg:4: line longer than 4095");
	free(cfg);

	/* One byte over. */
	cfg = long_line_cfg(IB_MAX_CFG_LINE, "", &len);
	tu_expect_err(parse_mem_rc(cfg, len, &err), &err, IB_ELIMIT,
	    "isolinux/isolinux.cfg:4: line longer than 4095");
	free(cfg);

	/* 4095 bytes: accepted. */
	cfg = long_line_cfg(IB_MAX_CFG_LINE - 1, "", &len);
	ck_assert_int_eq(parse_mem_rc(cfg, len, &err), 0);
	free(cfg);

	/* In an INCLUDEd file the message names that file and line. */
	cfg = long_line_cfg(IB_MAX_CFG_LINE, "", &len);
	put("isolinux/isolinux.cfg", "LABEL a\nINCLUDE long.cfg\n");
	put_n("isolinux/long.cfg", cfg, len);
	free(cfg);
	tu_expect_err(parse_rc(CFG, NULL, &err), &err, IB_ELIMIT,
	    "isolinux/long.cfg:4: line longer than");
}
END_TEST

/*
 * 1.3: the last line needs no LF; it ends at the end of the bytes. The
 * defect: a scan that looks for the LF or CR, or at the byte after it,
 * reads text[len] when there is none. Served by mem_fs, the config
 * reaches the parser in exactly len bytes with no NUL after them, so ASan
 * reports that read; and the last directive must count, whole.
 */
START_TEST(test_no_final_newline_overread)
{
	static const struct {
		const char *cfg, *kernel, *args;
	} cases[] = {
		{ "DEFAULT t\nLABEL t\nKERNEL /k\nAPPEND a=1", "/k", "a=1" },
		{ "DEFAULT t\nLABEL t\nKERNEL /k\nAPPEND a=1\r", "/k", "a=1" },
		{ "DEFAULT t\nLABEL t\nAPPEND a=1\nKERNEL /k", "/k", "a=1" },
		{ "DEFAULT t\nLABEL t\nKERNEL /k\nAPPEND a=1\n", "/k", "a=1" },
		{ "DEFAULT t\nLABEL t\nKERNEL /k\nAPPEND a=1  \t", "/k",
		    "a=1  \t" },
	};
	/* Keywords and fragments alone on an unterminated last line. */
	static const char *const tails[] = { "APPEND", "KERNEL", "LABEL",
		"MENU", "MENU LABEL", "MENU BEGIN", "MENU END", "INCLUDE",
		"TEXT", "TEXT HELP", "DEFAULT", "UI", "CONFIG", "#", " ", "\t",
		"\r", "A", "INITRD", "ONTIMEOUT", "TIMEOUT", "PROMPT" };
	char cfg[64];
	ib_err err;
	ib_menu *m;
	size_t len;
	char *big;
	int n;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m = parse_mem(cases[i].cfg, strlen(cases[i].cfg), &err);
		ck_assert_msg(m != NULL, "case %zu: %s", i, err.msg);
		expect_linux(def(m), cases[i].kernel, cases[i].args, 0);
		ib_menu_free(m);
		/* from a tree: read in exactly the file's size too */
		put("isolinux/isolinux.cfg", cases[i].cfg);
		m = parse(CFG, NULL, &err);
		ck_assert_msg(m != NULL, "case %zu (tree): %s", i, err.msg);
		expect_linux(def(m), cases[i].kernel, cases[i].args, 0);
		ib_menu_free(m);
	}
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		n = snprintf(cfg, sizeof(cfg), "LABEL t\nKERNEL /k\n%s",
		    tails[i]);
		ck_assert(n > 0 && (size_t)n < sizeof(cfg));
		ib_err_clear(&err);
		ck_assert_msg(parse_mem_rc(cfg, (size_t)n, &err) == 0 ||
		        (err.code != 0 && err.msg[0] != '\0'),
		    "tail '%s': failed without a message", tails[i]);
	}
	/* An unterminated last line of 4095 bytes is one line; of 4096,
	 * too long. */
	big = long_line_cfg(IB_MAX_CFG_LINE - 1, "", &len);
	ck_assert_int_eq(parse_mem_rc(big, len - 1, &err), 0);
	free(big);
	big = long_line_cfg(IB_MAX_CFG_LINE, "", &len);
	tu_expect_err(parse_mem_rc(big, len - 1, &err), &err, IB_ELIMIT,
	    "isolinux/isolinux.cfg:4: line longer than 4095");
	free(big);
}
END_TEST

/* The config "LABEL t\nKERNEL /k\n" + head + cut bytes of kw + tail,
 * without a final LF, parsed from memory: a menu, or an error that says
 * why. */
static void
expect_tail_parses(const char *head, const char *kw, size_t cut,
    const char *tail)
{
	char cfg[128];
	ib_err err;
	int n;

	n = snprintf(cfg, sizeof(cfg), "LABEL t\nKERNEL /k\n%s%.*s%s", head,
	    (int)cut, kw, tail);
	ck_assert(n > 0 && (size_t)n < sizeof(cfg));
	ib_err_clear(&err);
	ck_assert_msg(parse_mem_rc(cfg, (size_t)n, &err) == 0 ||
	        (err.code != 0 && err.msg[0] != '\0'),
	    "'%s%.*s%s': failed without a message", head, (int)cut, kw, tail);
}

/*
 * 1.3: each line is read in place, and the last one ends at the end of
 * the config. The defect: matching a keyword, testing the byte after it,
 * skipping the blanks after it or taking its first word reads one byte
 * past the line. Every keyword, cut short, whole, and followed by blanks
 * or words, ends a config served in exactly its length (mem_fs), so ASan
 * reports that read; the MENU keywords after MENU, ENDTEXT in a TEXT
 * block. A keyword at the end still counts, with what follows it.
 */
START_TEST(test_keyword_at_end_overread)
{
	static const char *const kws[] = { "MENU", "LABEL", "KERNEL", "LINUX",
		"BOOT", "BSS", "PXE", "FDIMAGE", "COMBOOT", "COM32", "CONFIG",
		"LOCALBOOT", "APPEND", "INITRD", "DEFAULT", "UI", "PROMPT",
		"ONTIMEOUT", "TIMEOUT", "INCLUDE", "TEXT", "ENDTEXT" };
	static const char *const menu_kws[] = { "LABEL", "DEFAULT", "HIDE",
		"DISABLE", "EXIT", "QUIT", "HIDDEN", "SEPARATOR", "BEGIN",
		"END", "INCLUDE" };
	static const char *const tails[] = { "", " ", "\t\v\f", "\x7f", "\x01",
		" x", " x ", " x\ty", "\r" };
	static const struct {
		const char *cfg, *kernel, *args, *initrd;
	} whole[] = {
		{ "DEFAULT t\nLABEL t\nKERNEL /k\nAPPEND", "/k", "", NULL },
		{ "DEFAULT t\nLABEL t\nKERNEL /k\nAPPEND a=1", "/k", "a=1",
		    NULL },
		{ "DEFAULT t\nLABEL t\nKERNEL /k\nINITRD /i", "/k", "", "/i" },
		{ "DEFAULT t\nLABEL t\nAPPEND a\nLINUX /k", "/k", "a", NULL },
		{ "DEFAULT t\nLABEL t\nAPPEND a\nKERNEL /k b", "/k", "b a",
		    NULL },
		{ "LABEL t\nKERNEL /k\nDEFAULT t", "/k", "", NULL },
		{ "LABEL t\nKERNEL /k\nDEFAULT t x=1", "/k", "x=1", NULL },
	};
	const char *kw;
	ib_err err;
	ib_menu *m;

	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
		kw = kws[i];
		for (size_t cut = 1; cut < strlen(kw); cut++)
			expect_tail_parses("", kw, cut, "");
		for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
			expect_tail_parses("", kw, strlen(kw), tails[t]);
			expect_tail_parses("  \t", kw, strlen(kw), tails[t]);
		}
	}
	for (size_t i = 0; i < sizeof(menu_kws) / sizeof(menu_kws[0]); i++) {
		kw = menu_kws[i];
		for (size_t cut = 1; cut < strlen(kw); cut++)
			expect_tail_parses("MENU ", kw, cut, "");
		for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++)
			expect_tail_parses("MENU\t", kw, strlen(kw), tails[t]);
	}
	for (size_t cut = 1; cut <= strlen("ENDTEXT"); cut++)
		expect_tail_parses("TEXT HELP\n", "ENDTEXT", cut, "");
	for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++)
		expect_tail_parses("TEXT HELP\n", "ENDTEXT", 7, tails[t]);

	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		m = parse_mem(whole[i].cfg, strlen(whole[i].cfg), &err);
		ck_assert_msg(m != NULL, "case %zu: %s", i, err.msg);
		if (whole[i].initrd != NULL)
			expect_linux(def(m), whole[i].kernel, whole[i].args, 1,
			    whole[i].initrd);
		else
			expect_linux(def(m), whole[i].kernel, whole[i].args, 0);
		ib_menu_free(m);
	}
	m = parse_mem("DEFAULT t\nLABEL t\nKERNEL /k\nMENU LABEL Hi there",
	    strlen("DEFAULT t\nLABEL t\nKERNEL /k\nMENU LABEL Hi there"), &err);
	ck_assert_msg(m != NULL, "%s", err.msg);
	ck_assert_str_eq(def(m)->title, "Hi there");
	ib_menu_free(m);
	m = parse_mem("DEFAULT t\nLABEL t\nKERNEL /k\nTIMEOUT 50",
	    strlen("DEFAULT t\nLABEL t\nKERNEL /k\nTIMEOUT 50"), &err);
	ck_assert_msg(m != NULL, "%s", err.msg);
	ck_assert_int_eq(ib_menu_timeout(m), 50);
	ib_menu_free(m);
}
END_TEST

/* 1.3: a NUL byte ends a line for ldlinux (C strings), hiding the rest of
 * it; isoboot refuses the file. */
START_TEST(test_nul_byte_is_error)
{
	static const char cfg[] = "DEFAULT t\n"
	                          "LABEL t\n"
	                          "KERNEL /k\0APPEND hidden=1\n";
	ib_err err;

	tu_expect_err(parse_mem_rc(cfg, sizeof(cfg) - 1, &err), &err,
	    IB_EFORMAT, "NUL byte");
	ck_assert_msg(strstr(err.msg, "isolinux/isolinux.cfg") != NULL,
	    "message '%s' does not name the file", err.msg);
}
END_TEST

/* 1.3: '#' lines are ignored because '#' is no keyword; after a value it
 * is part of the value. */
START_TEST(test_hash_line_ignored_hash_after_value_kept)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "# DEFAULT wrong\n"
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "#APPEND wrong=1\n"
	    "   # KERNEL /wrong\n"
	    "APPEND quiet # x\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "t");
	expect_linux(def(m), "/k", "quiet # x", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.3: lines between TEXT HELP and ENDTEXT are help text. */
START_TEST(test_text_help_skipped)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "APPEND a=1\n"
	    "TEXT HELP\n"
	    "APPEND injected=1\n"
	    "KERNEL /evil\n"
	    "LABEL evil\n"
	    "  ENDTEXT\n"
	    "INITRD /i.img\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/k", "a=1", 1, "/i.img");
	ck_assert_ptr_null(ib_menu_find(m, "evil"));
	ck_assert_uint_eq(ib_menu_count(m), 1);
	ib_menu_free(m);
}
END_TEST

/* 1.4: a label uses the global APPEND in force when its record closes;
 * an APPEND after MENU SEPARATOR (no label open) is for what follows. */
START_TEST(test_global_append_positional)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT a\n"
	    "APPEND early=1\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL b\n"
	    "KERNEL /kb\n"
	    "MENU SEPARATOR\n"
	    "APPEND late=1\n"
	    "LABEL c\n"
	    "KERNEL /kc\n");
	m = parse_ok(CFG, NULL);
	expect_linux(find(m, "a"), "/ka", "early=1", 0);
	expect_linux(find(m, "b"), "/kb", "early=1", 0);
	expect_linux(find(m, "c"), "/kc", "late=1", 0);
	expect_linux(def(m), "/ka", "early=1", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.4: APPEND - (one dash) is an empty command line, overriding the
 * global APPEND. */
START_TEST(test_append_dash_empty)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "APPEND global=1\n"
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "APPEND -\n"
	    "LABEL u\n"
	    "KERNEL /k\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/k", "", 0);
	expect_linux(find(m, "u"), "/k", "global=1", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.4: with no label open INITRD and KERNEL-type lines are ignored. */
START_TEST(test_initrd_kernel_outside_label_ignored)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "INITRD /global.img\n"
	    "KERNEL /evil\n"
	    "LINUX /evil2\n"
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /k\n");
	m = parse_ok(CFG, NULL);
	ck_assert_uint_eq(ib_menu_count(m), 1);
	expect_linux(def(m), "/k", "", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.4: LABEL x with no kernel line boots a file named x (in the working
 * directory). */
START_TEST(test_label_without_kernel_boots_label_name)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT memtest\n"
	    "LABEL memtest\n"
	    "APPEND -\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "memtest");
	expect_linux(def(m), "/isolinux/memtest", "", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.9: the first initrd= of the command line is used and INITRD is put
 * after APPEND, so APPEND's initrd= wins. */
START_TEST(test_initrd_in_append_wins_over_initrd)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "INITRD /b.img\n"
	    "APPEND initrd=/a.img quiet\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/k", "quiet", 1, "/a.img");
	ib_menu_free(m);
}
END_TEST

/* 1.9: comma-separated initrds are loaded in order (INITRD and initrd=
 * alike), relative ones against the working directory. */
START_TEST(test_initrds_comma_separated_in_order)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL vmlinuz\n"
	    "APPEND initrd=/c.img,b.img,/a.img x=1\n"
	    "LABEL u\n"
	    "KERNEL vmlinuz\n"
	    "INITRD z.img,/y.img\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/isolinux/vmlinuz", "x=1", 3, "/c.img",
	    "/isolinux/b.img", "/a.img");
	expect_linux(find(m, "u"), "/isolinux/vmlinuz", "", 2,
	    "/isolinux/z.img", "/y.img");
	ib_menu_free(m);
}
END_TEST

/* 1.9: only the first initrd= counts (6.x; 3.x/4.x took the last). */
START_TEST(test_only_first_initrd_counts)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "APPEND initrd=/a.img quiet initrd=/b.img\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/k", "quiet", 1, "/a.img");
	ib_menu_free(m);
}
END_TEST

/* 1.9: strstr("initrd="): rd.xinitrd=X before the real initrd= wins. */
START_TEST(test_initrd_substring_match)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "APPEND rd.xinitrd=/x.img initrd=/real.img\n"
	    "LABEL u\n"
	    "KERNEL /k\n"
	    "APPEND rd.xinitrd=/x.img\n"
	    "INITRD /real.img\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/k", "rd.xinitrd=/x.img", 1, "/x.img");
	expect_linux(find(m, "u"), "/k", "rd.xinitrd=/x.img", 1, "/x.img");
	ib_menu_free(m);
}
END_TEST

/* menu.h, 1.9: args lose the initrd= and BOOT_IMAGE= words and keep
 * every other byte (double and trailing spaces). */
START_TEST(test_loader_words_stripped_other_bytes_kept)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "APPEND vga=791  initrd=/i.img quiet  BOOT_IMAGE=/x splash \n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/k", "vga=791  quiet  splash ", 1, "/i.img");
	ib_menu_free(m);
}
END_TEST

/* 1.10: relative kernel and initrd names resolve against the working
 * directory, the config's directory for ISOLINUX; '.' is skipped, '..'
 * goes up, repeated slashes collapse. */
START_TEST(test_relative_names_against_config_dir)
{
	ib_menu *m;

	put("boot/isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL vmlinuz\n"
	    "INITRD ./initrd.gz,../x//y.img\n"
	    "LABEL u\n"
	    "LINUX ../k\n");
	m = parse_ok("/boot/isolinux/isolinux.cfg", NULL);
	expect_linux(def(m), "/boot/isolinux/vmlinuz", "", 2,
	    "/boot/isolinux/initrd.gz", "/boot/x/y.img");
	expect_linux(find(m, "u"), "/boot/k", "", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.2: '..' is ignored at the root: ../../x from / is /x, inside the
 * image. */
START_TEST(test_dotdot_ignored_at_root)
{
	ib_menu *m;

	put("isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL ../../x\n"
	    "APPEND initrd=../../../etc/passwd\n");
	m = parse_ok("/isolinux.cfg", NULL);
	expect_linux(def(m), "/x", "", 1, "/etc/passwd");
	ib_menu_free(m);

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL ../../../x\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/x", "", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.10: INCLUDE opens its file relative to the working directory, not
 * to the including file's directory. */
START_TEST(test_include_relative_to_cwd)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT right\n"
	    "INCLUDE sub/a.cfg\n");
	put("isolinux/sub/a.cfg",
	    "LABEL t\n"
	    "KERNEL vmlinuz\n"
	    "INCLUDE b.cfg\n");
	put("isolinux/b.cfg",
	    "LABEL right\n"
	    "KERNEL /right\n");
	put("isolinux/sub/b.cfg",
	    "LABEL wrong\n"
	    "KERNEL /wrong\n");
	m = parse_ok(CFG, NULL);
	expect_linux(find(m, "t"), "/isolinux/vmlinuz", "", 0);
	expect_linux(def(m), "/right", "", 0);
	ck_assert_ptr_null(ib_menu_find(m, "wrong"));
	ib_menu_free(m);
}
END_TEST

/* 1.4: an INCLUDEd file does not close the open label: parsing is
 * textual concatenation. */
START_TEST(test_include_is_textual)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "INCLUDE opts.cfg\n");
	put("isolinux/opts.cfg",
	    "APPEND from_include=1\n"
	    "INITRD /i.img\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/k", "from_include=1", 1, "/i.img");
	ib_menu_free(m);
}
END_TEST

/* 1.10: a missing INCLUDE is skipped (syslinux: silently; isoboot says
 * so in a note). */
START_TEST(test_include_missing_skipped_with_note)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "INCLUDE nope.cfg\n"
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /k\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/k", "", 0);
	ck_assert_msg(has_note(m, "nope.cfg"), "no note names nope.cfg");
	ib_menu_free(m);
}
END_TEST

/* 1.10: a.cfg -> b.cfg -> a.cfg hangs ISOLINUX 6; isoboot reports it. */
START_TEST(test_include_loop_is_error)
{
	ib_err err;

	put("isolinux/isolinux.cfg",
	    "LABEL t\n"
	    "INCLUDE a.cfg\n");
	put("isolinux/a.cfg", "INCLUDE b.cfg\n");
	put("isolinux/b.cfg", "INCLUDE a.cfg\n");
	tu_expect_err(parse_rc(CFG, NULL, &err), &err, IB_ELIMIT,
	    "INCLUDE loop");

	/* A file that includes itself. */
	put("isolinux/isolinux.cfg", "INCLUDE isolinux.cfg\n");
	tu_expect_err(parse_rc(CFG, NULL, &err), &err, IB_ELIMIT,
	    "INCLUDE loop");
}
END_TEST

/* Write a chain of n configs f0.cfg -> f1.cfg -> ... in /isolinux. */
static void
include_chain(unsigned n)
{
	char name[64], text[64];
	unsigned i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "isolinux/f%u.cfg", i);
		if (i + 1 < n)
			snprintf(text, sizeof(text), "INCLUDE f%u.cfg\n",
			    i + 1);
		else
			snprintf(text, sizeof(text), "LABEL deep\n");
		put(name, text);
	}
}

/* 1.10: isoboot's limit is 16 levels (the 4.x manual's). */
START_TEST(test_include_deeper_than_16_is_error)
{
	ib_menu *m;
	ib_err err;

	/* The top file and 15 nested INCLUDEs: parsed. */
	include_chain(16);
	m = parse_ok("/isolinux/f0.cfg", NULL);
	ck_assert_ptr_nonnull(ib_menu_find(m, "deep"));
	ib_menu_free(m);

	/* The top file and 17 nested INCLUDEs: refused. */
	include_chain(18);
	tu_expect_err(parse_rc("/isolinux/f0.cfg", NULL, &err), &err, IB_ELIMIT,
	    "deeper than 16");
}
END_TEST

/* 1.4, 1.6.1: without UI the last DEFAULT is the default command. */
START_TEST(test_last_default_wins)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT a\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL b\n"
	    "KERNEL /kb\n"
	    "DEFAULT b\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "b");
	ib_menu_free(m);
}
END_TEST

/* 1.6.3: DEFAULT label extra=1 runs the label's command line with the
 * extra words after a space. */
START_TEST(test_default_extra_words_appended)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t extra=1\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "APPEND quiet\n"
	    "INITRD /i.img\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "t");
	expect_linux(def(m), "/k", "quiet extra=1", 1, "/i.img");
	/* The entry itself is unchanged. */
	expect_linux(find(m, "t"), "/k", "quiet", 1, "/i.img");
	ib_menu_free(m);
}
END_TEST

/* 1.6.3 + 1.9: the extra words join the label's command line before
 * initrd= is searched, so an initrd= among them is loaded when the label
 * has none, and is never part of args. */
START_TEST(test_default_extra_initrd)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t initrd=/x.img\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "APPEND quiet\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/k", "quiet", 1, "/x.img");
	ib_menu_free(m);

	/* The label's INITRD comes first in the line and wins. */
	put("isolinux/isolinux.cfg",
	    "DEFAULT t initrd=/x.img\n"
	    "LABEL t\n"
	    "KERNEL /k\n"
	    "APPEND quiet\n"
	    "INITRD /a.img\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/k", "quiet", 1, "/a.img");
	ib_menu_free(m);
}
END_TEST

/* 1.9: a label's command line is KERNEL's value, then APPEND: words after
 * the kernel file on the KERNEL line are arguments (and an initrd= there
 * counts). */
START_TEST(test_kernel_line_words_start_command_line)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /vmlinuz quiet\n"
	    "APPEND a=1\n"
	    "LABEL u\n"
	    "LINUX /vmlinuz initrd=/i.img splash\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/vmlinuz", "quiet a=1", 0);
	expect_linux(find(m, "u"), "/vmlinuz", "splash", 1, "/i.img");
	ib_menu_free(m);
}
END_TEST

/* 1.6.3: a DEFAULT that names no label is an implicit kernel with its
 * own arguments. */
START_TEST(test_default_implicit_kernel)
{
	const ib_menu_entry *e;
	ib_menu *m;

	put("isolinux/isolinux.cfg", "DEFAULT vmlinuz initrd=x.img quiet\n");
	m = parse_ok(CFG, NULL);
	e = def(m);
	ck_assert_ptr_null(e->label);
	expect_linux(e, "/isolinux/vmlinuz", "quiet", 1, "/isolinux/x.img");
	ib_menu_free(m);
}
END_TEST

/* 1.6.4: with a UI line, DEFAULT selects the menu entry, beating MENU
 * DEFAULT. */
START_TEST(test_ui_default_selects_entry)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI vesamenu.c32\n"
	    "DEFAULT b\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "MENU DEFAULT\n"
	    "LABEL b\n"
	    "KERNEL /kb\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "b");
	expect_linux(def(m), "/kb", "", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.6.4: the menu only selects the entry; extra words on the DEFAULT
 * line are not added. */
START_TEST(test_ui_default_extra_words_ignored)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32\n"
	    "DEFAULT t extra=1\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL t\n"
	    "KERNEL /kt\n"
	    "APPEND quiet\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "t");
	expect_linux(def(m), "/kt", "quiet", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.6.4-6: DEFAULT vesamenu.c32 without UI runs the menu, which ignores
 * DEFAULT lines naming labels: MENU DEFAULT, else the first entry. */
START_TEST(test_default_menu_without_ui_ignores_default)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT b\n"
	    "DEFAULT vesamenu.c32\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL b\n"
	    "KERNEL /kb\n"
	    "LABEL c\n"
	    "KERNEL /kc\n"
	    "MENU DEFAULT\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "c");
	ib_menu_free(m);

	put("isolinux/isolinux.cfg",
	    "DEFAULT b\n"
	    "DEFAULT vesamenu.c32\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL b\n"
	    "KERNEL /kb\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "a");
	ib_menu_free(m);
}
END_TEST

/* 1.6: the menu module parses the config files named after it on the UI
 * line, not the current config. */
START_TEST(test_ui_menu_reads_named_config)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32 main.cfg\n"
	    "LABEL a\n"
	    "KERNEL /ka\n");
	put("isolinux/main.cfg",
	    "LABEL b\n"
	    "KERNEL /kb\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "b");
	ib_menu_free(m);
}
END_TEST

/* 1.6.7: with UI, DEFAULT naming a MENU HIDE label is ignored by the
 * menu. */
START_TEST(test_ui_default_hidden_label_ignored)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32\n"
	    "DEFAULT h\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL h\n"
	    "MENU HIDE\n"
	    "KERNEL /kh\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "a");
	ib_menu_free(m);
}
END_TEST

/* 1.6.7: without UI (the CLI path) a MENU HIDE label boots by name. */
START_TEST(test_cli_default_hidden_label_boots)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT h\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL h\n"
	    "MENU HIDE\n"
	    "KERNEL /kh\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "h");
	expect_linux(def(m), "/kh", "", 0);
	ck_assert(find(m, "h")->hidden);
	ib_menu_free(m);
}
END_TEST

/* 1.7: MENU EXIT (and MENU QUIT) make a label an action that leaves the
 * menu, not a Linux entry named after the label (Debian live's
 * "Back.." entry in its advanced submenu). */
START_TEST(test_menu_exit_entry)
{
	const ib_menu_entry *e;
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32\n"
	    "LABEL live\n"
	    "KERNEL /vmlinuz\n"
	    "MENU BEGIN advanced\n"
	    "LABEL mainmenu\n"
	    "MENU LABEL ^Back..\n"
	    "MENU EXIT\n"
	    "LABEL bye\n"
	    "KERNEL /vmlinuz\n"
	    "menu quit\n"
	    "MENU END\n");
	m = parse_ok(CFG, NULL);
	e = find(m, "mainmenu");
	ck_assert_ptr_nonnull(e);
	expect_kind(e, IB_KIND_EXIT);
	ck_assert_ptr_null(e->kernel);
	ck_assert_str_eq(e->args, "");
	expect_kind(find(m, "bye"), IB_KIND_EXIT);
	expect_kind(find(m, "live"), IB_KIND_LINUX);
	ck_assert_str_eq(ib_menu_kind_name(IB_KIND_EXIT), "exit");
	ib_menu_free(m);
}
END_TEST

/* 1.6.6: entry 0 a separator: the highlight moves to the first enabled
 * entry. */
START_TEST(test_separator_entry0_moves_highlight)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32\n"
	    "MENU SEPARATOR\n"
	    "LABEL off\n"
	    "MENU DISABLE\n"
	    "KERNEL /off\n"
	    "LABEL on\n"
	    "KERNEL /on\n");
	m = parse_ok(CFG, NULL);
	expect_kind(ib_menu_at(m, 0), IB_KIND_SEPARATOR);
	expect_label(def(m), "on");
	ib_menu_free(m);
}
END_TEST

/* 1.6.6: moving the highlight off entry 0 cancels the timeout: the menu
 * waits forever (no boot within 30 s with TIMEOUT 10). */
START_TEST(test_separator_entry0_cancels_timeout)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32\n"
	    "TIMEOUT 10\n"
	    "MENU SEPARATOR\n"
	    "LABEL on\n"
	    "KERNEL /on\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "on");
	ck_assert_msg(ib_menu_timeout(m) == 0,
	    "timeout %ld, expected 0 (cancelled)", ib_menu_timeout(m));
	ib_menu_free(m);
}
END_TEST

/* 1.7: MENU BEGIN ... MENU END entries carry the enclosing submenu
 * titles; an unbalanced MENU END at top level is ignored. */
START_TEST(test_submenu_entries_carry_title)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "MENU END\n"
	    "DEFAULT a\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "MENU BEGIN tools\n"
	    "LABEL x\n"
	    "KERNEL /kx\n"
	    "MENU BEGIN deeper\n"
	    "LABEL y\n"
	    "KERNEL /ky\n"
	    "MENU END\n"
	    "LABEL z\n"
	    "KERNEL /kz\n"
	    "MENU END\n"
	    "LABEL w\n"
	    "KERNEL /kw\n");
	m = parse_ok(CFG, NULL);
	ck_assert_ptr_null(find(m, "a")->submenu);
	expect_kind(ib_menu_at(m, 1), IB_KIND_SUBMENU);
	ck_assert_str_eq(find(m, "x")->submenu, "tools");
	ck_assert_str_eq(find(m, "y")->submenu, "tools > deeper");
	ck_assert_str_eq(find(m, "z")->submenu, "tools");
	ck_assert_ptr_null(find(m, "w")->submenu);
	ib_menu_free(m);
}
END_TEST

/* 1.6.5: MENU DEFAULT inside a submenu marks that submenu's default, not
 * the root menu's. */
START_TEST(test_submenu_menu_default_not_root)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "MENU BEGIN tools\n"
	    "LABEL m\n"
	    "KERNEL /km\n"
	    "MENU DEFAULT\n"
	    "MENU END\n"
	    "LABEL b\n"
	    "KERNEL /kb\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "a");
	ck_assert(find(m, "m")->menu_default);
	ib_menu_free(m);
}
END_TEST

/* 1.6.7: DEFAULT naming a label inside MENU BEGIN starts the menu there
 * with that entry. */
START_TEST(test_ui_default_inside_submenu)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32\n"
	    "DEFAULT m\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "MENU BEGIN tools\n"
	    "LABEL m\n"
	    "KERNEL /km\n"
	    "MENU END\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "m");
	ck_assert_str_eq(def(m)->submenu, "tools");
	ib_menu_free(m);
}
END_TEST

/* 1.5: duplicate labels are legal; both are entries, the first boots by
 * name. */
START_TEST(test_duplicate_labels_first_wins)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL /one\n"
	    "LABEL t\n"
	    "KERNEL /two\n");
	m = parse_ok(CFG, NULL);
	ck_assert_uint_eq(ib_menu_count(m), 2);
	expect_linux(find(m, "t"), "/one", "", 0);
	expect_linux(def(m), "/one", "", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.5: labels compare case-sensitively: DEFAULT T1 with LABEL t1 finds
 * nothing and runs an implicit kernel T1 ("Loading T1... failed"). */
START_TEST(test_labels_case_sensitive)
{
	const ib_menu_entry *e;
	ib_menu *m;

	put("syslinux.cfg",
	    "DEFAULT T1\n"
	    "LABEL t1\n"
	    "KERNEL /k\n");
	m = parse_ok("/syslinux.cfg", NULL);
	ck_assert_ptr_null(ib_menu_find(m, "T1"));
	e = def(m);
	ck_assert_ptr_null(e->label);
	expect_linux(e, "/T1", "", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.5: ldlinux takes the first word after LABEL, so DEFAULT t1 finds
 * "LABEL t1   " on the CLI path... */
START_TEST(test_cli_label_is_first_word)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT t1\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL t1   \n"
	    "KERNEL /kt\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "t1");
	expect_linux(def(m), "/kt", "", 0);
	ib_menu_free(m);
}
END_TEST

/* ...but the menu module keeps the whole rest of the LABEL line, so with
 * UI menu.c32 it does not find t1 and highlights the first entry. */
START_TEST(test_ui_label_trailing_spaces_not_found)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32\n"
	    "DEFAULT t1\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL t1   \n"
	    "KERNEL /kt\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "a");
	ib_menu_free(m);
}
END_TEST

/* 1.8: KERNEL's type comes from the extension, case-sensitively. */
START_TEST(test_kernel_extension_typing)
{
	const ib_menu_entry *e;
	ib_menu *m;

	put("syslinux.cfg",
	    "DEFAULT lin\n"
	    "LABEL lin\n"
	    "KERNEL vmlinuz\n"
	    "LABEL c32\n"
	    "KERNEL hdt.c32\n"
	    "LABEL bin\n"
	    "KERNEL grub.bin\n"
	    "LABEL bs\n"
	    "KERNEL boot.bs\n"
	    "LABEL bss\n"
	    "KERNEL boot.bss\n"
	    "LABEL pxe\n"
	    "KERNEL pxelinux.0\n"
	    "LABEL img\n"
	    "KERNEL fd.img\n"
	    "LABEL upper\n"
	    "KERNEL HDT.C32\n");
	m = parse_ok("/syslinux.cfg", NULL);
	expect_linux(find(m, "lin"), "/vmlinuz", "", 0);
	e = find(m, "c32");
	expect_kind(e, IB_KIND_COM32);
	ck_assert_str_eq(e->kernel, "hdt.c32");
	expect_kind(find(m, "bin"), IB_KIND_BOOTSECTOR);
	ck_assert_str_eq(find(m, "bin")->kernel, "/grub.bin");
	expect_kind(find(m, "bs"), IB_KIND_BOOTSECTOR);
	expect_kind(find(m, "bss"), IB_KIND_BSS);
	expect_kind(find(m, "pxe"), IB_KIND_PXE);
	ck_assert_str_eq(find(m, "pxe")->kernel, "/pxelinux.0");
	expect_kind(find(m, "img"), IB_KIND_FLOPPY);
	ck_assert_str_eq(find(m, "img")->kernel, "/fd.img");
	/* 6.x compares the extension case-sensitively. */
	expect_linux(find(m, "upper"), "/HDT.C32", "", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.8: LINUX loads a Linux kernel whatever the name (Void's memtest). */
START_TEST(test_linux_keyword_ignores_extension)
{
	ib_menu *m;

	put("syslinux.cfg",
	    "DEFAULT mt\n"
	    "LABEL mt\n"
	    "LINUX memtest.bin\n");
	m = parse_ok("/syslinux.cfg", NULL);
	expect_linux(def(m), "/memtest.bin", "", 0);
	ib_menu_free(m);
}
END_TEST

/* 1.8: the other kernel keywords give their type. */
START_TEST(test_kernel_keyword_typing)
{
	ib_menu *m;

	put("syslinux.cfg",
	    "DEFAULT lin\n"
	    "LABEL lin\n"
	    "KERNEL vmlinuz\n"
	    "LABEL a\n"
	    "COM32 hdt\n"
	    "LABEL b\n"
	    "BOOT x\n"
	    "LABEL c\n"
	    "BSS y\n"
	    "LABEL d\n"
	    "PXE z\n"
	    "LABEL e\n"
	    "FDIMAGE w\n"
	    "LABEL f\n"
	    "COMBOOT v.com\n"
	    "LABEL g\n"
	    "CONFIG other.cfg\n");
	m = parse_ok("/syslinux.cfg", NULL);
	expect_kind(find(m, "a"), IB_KIND_COM32);
	expect_kind(find(m, "b"), IB_KIND_BOOTSECTOR);
	expect_kind(find(m, "c"), IB_KIND_BSS);
	expect_kind(find(m, "d"), IB_KIND_PXE);
	expect_kind(find(m, "e"), IB_KIND_FLOPPY);
	expect_kind(find(m, "f"), IB_KIND_COMBOOT);
	expect_kind(find(m, "g"), IB_KIND_CONFIG);
	ib_menu_free(m);
}
END_TEST

/* 1.8: LOCALBOOT entries have no file. */
START_TEST(test_localboot_kind)
{
	const ib_menu_entry *e;
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT hd\n"
	    "LABEL hd\n"
	    "LOCALBOOT 0x80\n");
	m = parse_ok(CFG, NULL);
	e = def(m);
	expect_label(e, "hd");
	expect_kind(e, IB_KIND_LOCALBOOT);
	ck_assert_ptr_null(e->kernel);
	ck_assert_uint_eq(e->ninitrds, 0);
	ib_menu_free(m);
}
END_TEST

/* 1.6.8: ONTIMEOUT naming another label is what boots on timeout. */
START_TEST(test_ontimeout_other_label)
{
	const ib_menu_entry *e;
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32\n"
	    "DEFAULT a\n"
	    "TIMEOUT 50\n"
	    "ONTIMEOUT hd\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL hd\n"
	    "MENU HIDE\n"
	    "LOCALBOOT 0\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "a");
	ck_assert_int_eq(ib_menu_timeout(m), 50);
	e = ib_menu_ontimeout(m);
	ck_assert_ptr_nonnull(e);
	expect_label(e, "hd");
	expect_kind(e, IB_KIND_LOCALBOOT);
	ib_menu_free(m);
}
END_TEST

/* ib_menu_ontimeout() is NULL when ONTIMEOUT names the default. */
START_TEST(test_ontimeout_names_default_is_null)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "UI menu.c32\n"
	    "DEFAULT a\n"
	    "TIMEOUT 50\n"
	    "ONTIMEOUT a\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL b\n"
	    "KERNEL /kb\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "a");
	ck_assert_ptr_null(ib_menu_ontimeout(m));
	ib_menu_free(m);
}
END_TEST

/* 1.6.2: PROMPT 0 (the default) and no UI: ldlinux boots the default at
 * once and no timeout runs, so ONTIMEOUT never does; with PROMPT 1 the
 * boot: prompt times out into ONTIMEOUT. */
START_TEST(test_ontimeout_unused_without_prompt_or_ui)
{
	const ib_menu_entry *e;
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "PROMPT 1\n"
	    "DEFAULT a\n"
	    "TIMEOUT 50\n"
	    "ONTIMEOUT b\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL b\n"
	    "KERNEL /kb\n");
	m = parse_ok(CFG, NULL);
	e = ib_menu_ontimeout(m);
	ck_assert_ptr_nonnull(e);
	expect_label(e, "b");
	ib_menu_free(m);

	put("isolinux/isolinux.cfg",
	    "DEFAULT a\n"
	    "TIMEOUT 50\n"
	    "ONTIMEOUT b\n"
	    "LABEL a\n"
	    "KERNEL /ka\n"
	    "LABEL b\n"
	    "KERNEL /kb\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "a");
	ck_assert_ptr_null(ib_menu_ontimeout(m));
	ib_menu_free(m);
}
END_TEST

/* ifcpu64.c32 L64 -- L32: an x86_64 VM takes the 64-bit label. */
START_TEST(test_ifcpu64_picks_64bit_label)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT ifcpu64.c32 l64 -- l32\n"
	    "LABEL l32\n"
	    "KERNEL /k32\n"
	    "LABEL l64\n"
	    "KERNEL /k64\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "l64");
	expect_linux(def(m), "/k64", "", 0);
	ib_menu_free(m);
}
END_TEST

/* whichsys.c32 -iso- L ...: on an ISO the -iso- label. */
START_TEST(test_whichsys_picks_iso_label)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT whichsys.c32 -iso- liso -sys- lsys\n"
	    "LABEL lsys\n"
	    "KERNEL /ksys\n"
	    "LABEL liso\n"
	    "KERNEL /kiso\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "liso");
	expect_linux(def(m), "/kiso", "", 0);
	ib_menu_free(m);
}
END_TEST

/* Regression (archiso's syslinux.cfg): DEFAULT names a label whose COM32
 * is whichsys.c32 with its arguments in APPEND; was "the default entry
 * 'select' is a com32 entry, not Linux". The module runs its -iso- pick,
 * a label whose CONFIG is then followed. */
START_TEST(test_chooser_label_com32_whichsys_was_not_followed)
{
	ib_menu *m;

	put("boot/syslinux/syslinux.cfg",
	    "DEFAULT select\n"
	    "LABEL select\n"
	    "COM32 whichsys.c32\n"
	    "APPEND -pxe- pxe -sys- sys -iso- sys\n"
	    "LABEL pxe\n"
	    "CONFIG pxe.cfg\n"
	    "LABEL sys\n"
	    "CONFIG sys.cfg\n");
	put("boot/syslinux/sys.cfg",
	    "DEFAULT arch\n"
	    "LABEL arch\n"
	    "LINUX /k\n"
	    "APPEND a=1\n");
	m = parse_ok("/boot/syslinux/syslinux.cfg", NULL);
	expect_label(def(m), "arch");
	expect_linux(def(m), "/k", "a=1", 0);
	ib_menu_free(m);
}
END_TEST

/* The same through KERNEL ifcpu64.c32 in a label. */
START_TEST(test_chooser_label_kernel_ifcpu64_was_not_followed)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT pick\n"
	    "LABEL pick\n"
	    "KERNEL ifcpu64.c32\n"
	    "APPEND l64 -- l32\n"
	    "LABEL l32\n"
	    "KERNEL /k32\n"
	    "LABEL l64\n"
	    "KERNEL /k64\n");
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "l64");
	expect_linux(def(m), "/k64", "", 0);
	ib_menu_free(m);
}
END_TEST

/* The file a CONFIG test chains to: relative names, to show the
 * directory they resolve against. */
static void
put_next_cfg(void)
{
	put("boot/x/next.cfg",
	    "DEFAULT n\n"
	    "LABEL n\n"
	    "KERNEL vmlinuz\n"
	    "INITRD initrd.gz\n");
}

/* 1.10: CONFIG file dir: syslinux restarts with file and chdir(dir); the
 * old config is forgotten. */
START_TEST(test_config_dir_after_file)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT go\n"
	    "LABEL go\n"
	    "CONFIG /boot/x/next.cfg /boot/x\n");
	put_next_cfg();
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "n");
	expect_linux(def(m), "/boot/x/vmlinuz", "", 1, "/boot/x/initrd.gz");
	ck_assert_str_eq(ib_menu_config(m), "/boot/x/next.cfg");
	ck_assert_ptr_null(ib_menu_find(m, "go"));
	ib_menu_free(m);
}
END_TEST

/* 1.10: the directory may be the CONFIG label's APPEND, relative to the
 * old working directory, as is the file. */
START_TEST(test_config_dir_in_append)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT go\n"
	    "LABEL go\n"
	    "CONFIG ../boot/x/next.cfg\n"
	    "APPEND ../boot/x\n");
	put_next_cfg();
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "n");
	expect_linux(def(m), "/boot/x/vmlinuz", "", 1, "/boot/x/initrd.gz");
	ib_menu_free(m);
}
END_TEST

/* 1.10: without a directory the working directory does not change. */
START_TEST(test_config_without_dir_keeps_cwd)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "DEFAULT go\n"
	    "LABEL go\n"
	    "CONFIG /boot/x/next.cfg\n");
	put_next_cfg();
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "n");
	expect_linux(def(m), "/isolinux/vmlinuz", "", 1, "/isolinux/initrd.gz");
	ib_menu_free(m);
}
END_TEST

/* 1.10: APPEND is the directory, so a global APPEND is used as one by a
 * CONFIG label without its own. */
START_TEST(test_config_global_append_is_dir)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "APPEND /boot/x\n"
	    "DEFAULT go\n"
	    "LABEL go\n"
	    "CONFIG /boot/x/next.cfg\n");
	put_next_cfg();
	m = parse_ok(CFG, NULL);
	expect_label(def(m), "n");
	expect_linux(def(m), "/boot/x/vmlinuz", "", 1, "/boot/x/initrd.gz");
	ib_menu_free(m);
}
END_TEST

/* 1.6.1: no DEFAULT and no UI: the boot: prompt, nothing is the
 * default; a note says why. */
START_TEST(test_no_default_no_ui)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "LABEL a\n"
	    "KERNEL /k\n");
	m = parse_ok(CFG, NULL);
	ck_assert_ptr_null(ib_menu_default(m));
	ck_assert_uint_eq(ib_menu_count(m), 1);
	ck_assert_msg(has_note(m, "no DEFAULT or UI"),
	    "no note about the missing DEFAULT");
	ib_menu_free(m);
}
END_TEST

/* PXELINUX works in the directory of pxelinux.0 ("/"), not in the
 * config's: relative names and INCLUDEs resolve against cwd. */
START_TEST(test_cwd_argument_pxelinux)
{
	ib_menu *m;

	put("pxelinux.cfg/default",
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL vmlinuz\n"
	    "INITRD initrd.img\n"
	    "INCLUDE pxelinux.cfg/more.cfg\n");
	put("pxelinux.cfg/more.cfg",
	    "LABEL more\n"
	    "KERNEL k2\n");
	m = parse_ok("/pxelinux.cfg/default", "/");
	expect_linux(def(m), "/vmlinuz", "", 1, "/initrd.img");
	expect_linux(find(m, "more"), "/k2", "", 0);
	ib_menu_free(m);

	/* With no cwd the config's directory is the working directory. */
	m = parse_ok("/pxelinux.cfg/default", NULL);
	expect_linux(def(m), "/pxelinux.cfg/vmlinuz", "", 1,
	    "/pxelinux.cfg/initrd.img");
	ck_assert_ptr_null(ib_menu_find(m, "more"));
	ib_menu_free(m);
}
END_TEST

/* 1.10: PATH is for COM32 modules only; kernels are opened relative to
 * the working directory. */
START_TEST(test_path_not_used_for_kernels)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg",
	    "PATH /boot/modules\n"
	    "DEFAULT t\n"
	    "LABEL t\n"
	    "KERNEL vmlinuz\n");
	m = parse_ok(CFG, NULL);
	expect_linux(def(m), "/isolinux/vmlinuz", "", 0);
	ib_menu_free(m);
}
END_TEST

static Suite *
syslinux_suite(void)
{
	Suite *s = menu_suite("syslinux");

	add(s, "keyword_any_case_value_verbatim",
	    test_keyword_any_case_value_verbatim);
	add(s, "line_cut_at_first_cr", test_line_cut_at_first_cr);
	add(s, "crlf_file", test_crlf_file);
	add(s, "line_longer_than_4095_is_error",
	    test_line_longer_than_4095_is_error);
	add(s, "no_final_newline_overread", test_no_final_newline_overread);
	add(s, "keyword_at_end_overread", test_keyword_at_end_overread);
	add(s, "nul_byte_is_error", test_nul_byte_is_error);
	add(s, "hash_line_ignored_hash_after_value_kept",
	    test_hash_line_ignored_hash_after_value_kept);
	add(s, "text_help_skipped", test_text_help_skipped);
	add(s, "global_append_positional", test_global_append_positional);
	add(s, "append_dash_empty", test_append_dash_empty);
	add(s, "initrd_kernel_outside_label_ignored",
	    test_initrd_kernel_outside_label_ignored);
	add(s, "label_without_kernel_boots_label_name",
	    test_label_without_kernel_boots_label_name);
	add(s, "initrd_in_append_wins_over_initrd",
	    test_initrd_in_append_wins_over_initrd);
	add(s, "initrds_comma_separated_in_order",
	    test_initrds_comma_separated_in_order);
	add(s, "only_first_initrd_counts", test_only_first_initrd_counts);
	add(s, "initrd_substring_match", test_initrd_substring_match);
	add(s, "loader_words_stripped_other_bytes_kept",
	    test_loader_words_stripped_other_bytes_kept);
	add(s, "relative_names_against_config_dir",
	    test_relative_names_against_config_dir);
	add(s, "dotdot_ignored_at_root", test_dotdot_ignored_at_root);
	add(s, "include_relative_to_cwd", test_include_relative_to_cwd);
	add(s, "include_is_textual", test_include_is_textual);
	add(s, "include_missing_skipped_with_note",
	    test_include_missing_skipped_with_note);
	add(s, "include_loop_is_error", test_include_loop_is_error);
	add(s, "include_deeper_than_16_is_error",
	    test_include_deeper_than_16_is_error);
	add(s, "last_default_wins", test_last_default_wins);
	add(s, "default_extra_words_appended",
	    test_default_extra_words_appended);
	add(s, "default_extra_initrd", test_default_extra_initrd);
	add(s, "kernel_line_words_start_command_line",
	    test_kernel_line_words_start_command_line);
	add(s, "default_implicit_kernel", test_default_implicit_kernel);
	add(s, "ui_default_selects_entry", test_ui_default_selects_entry);
	add(s, "ui_default_extra_words_ignored",
	    test_ui_default_extra_words_ignored);
	add(s, "default_menu_without_ui_ignores_default",
	    test_default_menu_without_ui_ignores_default);
	add(s, "ui_menu_reads_named_config", test_ui_menu_reads_named_config);
	add(s, "ui_default_hidden_label_ignored",
	    test_ui_default_hidden_label_ignored);
	add(s, "cli_default_hidden_label_boots",
	    test_cli_default_hidden_label_boots);
	add(s, "separator_entry0_moves_highlight",
	    test_separator_entry0_moves_highlight);
	add(s, "menu_exit_entry", test_menu_exit_entry);
	add(s, "separator_entry0_cancels_timeout",
	    test_separator_entry0_cancels_timeout);
	add(s, "submenu_entries_carry_title", test_submenu_entries_carry_title);
	add(s, "submenu_menu_default_not_root",
	    test_submenu_menu_default_not_root);
	add(s, "ui_default_inside_submenu", test_ui_default_inside_submenu);
	add(s, "duplicate_labels_first_wins", test_duplicate_labels_first_wins);
	add(s, "labels_case_sensitive", test_labels_case_sensitive);
	add(s, "cli_label_is_first_word", test_cli_label_is_first_word);
	add(s, "ui_label_trailing_spaces_not_found",
	    test_ui_label_trailing_spaces_not_found);
	add(s, "kernel_extension_typing", test_kernel_extension_typing);
	add(s, "linux_keyword_ignores_extension",
	    test_linux_keyword_ignores_extension);
	add(s, "kernel_keyword_typing", test_kernel_keyword_typing);
	add(s, "localboot_kind", test_localboot_kind);
	add(s, "ontimeout_other_label", test_ontimeout_other_label);
	add(s, "ontimeout_names_default_is_null",
	    test_ontimeout_names_default_is_null);
	add(s, "ontimeout_unused_without_prompt_or_ui",
	    test_ontimeout_unused_without_prompt_or_ui);
	add(s, "ifcpu64_picks_64bit_label", test_ifcpu64_picks_64bit_label);
	add(s, "whichsys_picks_iso_label", test_whichsys_picks_iso_label);
	add(s, "chooser_label_com32_whichsys_was_not_followed",
	    test_chooser_label_com32_whichsys_was_not_followed);
	add(s, "chooser_label_kernel_ifcpu64_was_not_followed",
	    test_chooser_label_kernel_ifcpu64_was_not_followed);
	add(s, "config_dir_after_file", test_config_dir_after_file);
	add(s, "config_dir_in_append", test_config_dir_in_append);
	add(s, "config_without_dir_keeps_cwd",
	    test_config_without_dir_keeps_cwd);
	add(s, "config_global_append_is_dir", test_config_global_append_is_dir);
	add(s, "no_default_no_ui", test_no_default_no_ui);
	add(s, "cwd_argument_pxelinux", test_cwd_argument_pxelinux);
	add(s, "path_not_used_for_kernels", test_path_not_used_for_kernels);
	return s;
}

int
main(void)
{
	return tu_run(syslinux_suite());
}
