/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_grub: the GRUB 2 reader against the rules of
 * fixtures/bootcfg/SEMANTICS.md section 2 (upstream grub-2.12: lexer,
 * grammar, evaluation, get_entry_number). Each test writes small configs
 * into a fresh mkdtemp directory ($IB_WORK, else $TMPDIR, else /tmp),
 * made per TCase in the parent process and removed there even when a test
 * fails, opens it as the image root and checks what ib_grub_parse() says
 * boots; where the read path or a cut image matters, it builds an image
 * there (isotest.h). The last TCase compares the reader with every
 * EXPECTED.grub and EXPECTED.efi of the corpus in fixtures/bootcfg
 * ($IB_SHARED/bootcfg).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "bootfs.h"
#include "bounds.h"
#include "errors.h"
#include "grub.h"
#include "iso.h"
#include "menu.h"
#include "menutest.h"
#include "testutil.h"

#include "isotest.h"

/* Where GRUB images made by grub-mkrescue keep their config. */
#define CFG "/boot/grub/grub.cfg"

static void
mkdir_in(const char *rel)
{
	ck_assert_int_eq(mkdir(tu_at(top, rel), 0755), 0);
}

static ib_menu *
parse(const char *cfg, const char *platform, ib_err *err)
{
	ib_bootfs *fs;
	ib_menu *m;

	fs = top_fs(err);
	m = ib_grub_parse(fs, cfg, platform, err);
	ib_bootfs_close(fs);
	return m;
}

static ib_menu *
parse_ok(const char *cfg, const char *platform)
{
	ib_menu *m;
	ib_err err;

	m = parse(cfg, platform, &err);
	ck_assert_msg(m != NULL, "%s: %s", cfg, err.msg);
	return m;
}

/* CFG holding text, parsed for BIOS. */
static ib_menu *
one(const char *text)
{
	put("boot/grub/grub.cfg", text);
	return parse_ok(CFG, "pc");
}

/* -1 with *err when the parse fails; 0 (and the menu freed) if not. */
static int
parse_rc(const char *cfg, ib_err *err)
{
	return menu_rc(parse(cfg, "pc", err));
}

/* CFG served from memory (mem_fs): the hostile-bytes tests. The menu,
 * or NULL with *err. */
static ib_menu *
parse_mem(const char *data, size_t len, const char *platform, ib_err *err)
{
	ib_bootfs *fs;
	ib_menu *m;

	fs = mem_fs(CFG, data, len, err);
	m = ib_grub_parse(fs, CFG, platform, err);
	ib_bootfs_close(fs);
	return m;
}

static int
parse_mem_rc(const char *data, size_t len, const char *platform, ib_err *err)
{
	return menu_rc(parse_mem(data, len, platform, err));
}

/* The menu CFG gives on BIOS in the image of s, built as img.iso in the
 * image root; cut: without its last sector, where the last member's data
 * is (a partial download). NULL with *err. */
static ib_menu *
image_menu(struct spec *s, bool cut, ib_err *err)
{
	struct stat st;
	ib_iso_opts o;
	ib_bootfs *fs;
	ib_iso *iso;
	ib_menu *m;

	s->keep = 0;
	isotest_build(s, tu_at(top, "img.iso"));
	if (cut) {
		ck_assert_int_eq(stat(tu_at(top, "img.iso"), &st), 0);
		s->keep = (size_t)st.st_size / ISOGEN_SECTOR - 1;
		isotest_build(s, tu_at(top, "img.iso"));
	}
	memset(&o, 0, sizeof(o));
	o.no_joliet = true;
	iso = ib_iso_open(tu_at(top, "img.iso"), &o, err);
	ck_assert_msg(iso != NULL, "open: %s", err->msg);
	fs = ib_bootfs_open_iso(iso, err);
	ck_assert_msg(fs != NULL, "bootfs: %s", err->msg);
	m = ib_grub_parse(fs, CFG, "pc", err);
	ib_bootfs_close(fs);
	ib_iso_close(iso);
	return m;
}

static const ib_menu_entry *
at(const ib_menu *m, size_t i)
{
	const ib_menu_entry *e = ib_menu_at(m, i);

	ck_assert_msg(e != NULL, "no entry %zu", i);
	return e;
}

/* The helpers below name the calling test's line in their messages. */
#define expect_title(...) expect_title_at(__LINE__, __VA_ARGS__)
#define expect_note(...)  expect_note_at(__LINE__, __VA_ARGS__)
#define expect_args(...)  expect_args_at(__LINE__, __VA_ARGS__)

static void
expect_title_at(int line, const ib_menu_entry *e, const char *title)
{
	ck_assert_msg(e != NULL, "line %d: no entry", line);
	ck_assert_msg(e->title != NULL && strcmp(e->title, title) == 0,
	    "line %d: title '%s', expected '%s'", line,
	    e->title != NULL ? e->title : "(null)", title);
}

/* The default entry's arguments. */
static void
expect_args_at(int line, const ib_menu *m, const char *args)
{
	const ib_menu_entry *e = ib_menu_default(m);

	ck_assert_msg(e != NULL, "line %d: no default entry", line);
	ck_assert_msg(e->args != NULL && strcmp(e->args, args) == 0,
	    "line %d: args '%s', expected '%s'", line,
	    e->args != NULL ? e->args : "(null)", args);
}

static void
expect_note_at(int line, const ib_menu *m, const char *sub)
{
	size_t i;

	if (has_note(m, sub))
		return;
	for (i = 0; i < ib_menu_nnotes(m); i++)
		fprintf(stderr, "note: %s\n", ib_menu_note(m, i));
	ck_abort_msg("line %d: no note contains '%s'", line, sub);
}

/* The default's args of text (parsed for BIOS), in a static buffer. */
static const char *
args_of(const char *text)
{
	static char buf[4096];
	ib_menu *m;

	m = one(text);
	snprintf(buf, sizeof(buf), "%s", def(m)->args);
	ib_menu_free(m);
	return buf;
}

/* --- 2.1 reading the file --- */

/* getline.c drops every CR, not only the one before LF: CRLF files and
 * a CR inside a word both read as if the CR were not there. */
START_TEST(test_cr_dropped_everywhere)
{
	static const char cfg[] = "set v=x\r\ny\r\n"
	                          "menuentry 'T' {\r\n"
	                          "  linux /k qu\riet v=$v\r\n"
	                          "  initrd /i\r\n"
	                          "}\r\n";
	ib_menu *m;

	put_n("boot/grub/grub.cfg", cfg, sizeof(cfg) - 1);
	m = parse_ok(CFG, "pc");
	expect_title(def(m), "T");
	expect_linux(def(m), "/k", "quiet v=x", 1, "/i");
	ib_menu_free(m);
}
END_TEST

/* '#' comments out the rest of the line only where a word starts. */
START_TEST(test_comment_at_word_start)
{
	ib_menu *m;

	m = one("# a comment line\n"
	        "menuentry T { # after the brace\n"
	        "  linux /k a#b c # d e\n"
	        "  #initrd /never\n"
	        "}\n");
	expect_linux(def(m), "/k", "a#b c", 0);
	ib_menu_free(m);
}
END_TEST

/* Backslash-newline joins lines outside single quotes ([QG]: Void's
 * three-line linux); inside single quotes both bytes stay. */
START_TEST(test_backslash_newline_continues)
{
	ck_assert_str_eq(args_of("menuentry T {\n"
	                         "  linux /k a \\\n"
	                         "      b \\\n"
	                         "      c\n"
	                         "}\n"),
	    "a b c");
	ck_assert_str_eq(args_of("menuentry T {\n"
	                         "  linux /k x\\\ny \"p\\\nq\"\n"
	                         "}\n"),
	    "xy pq");
	/* '...' keeps the backslash, which the command line doubles */
	ck_assert_str_eq(args_of("menuentry T {\n"
	                         "  linux /k 'p\\\nq'\n"
	                         "}\n"),
	    "p\\\\\nq");
}
END_TEST

/* A config of n bytes: line 1 a menu entry, line 2 a comment of pad
 * bytes in all. */
static char *
long_line_cfg(size_t pad, size_t *len)
{
	static const char head[] = "menuentry T { linux /k\n}\n";
	size_t hl = sizeof(head) - 1;
	char *cfg;

	*len = hl + pad + 1;
	cfg = malloc(*len);
	ck_assert_ptr_nonnull(cfg);
	memcpy(cfg, head, hl);
	cfg[hl] = '#';
	memset(cfg + hl + 1, 'x', pad - 1);
	cfg[*len - 1] = '\n';
	return cfg;
}

/* GRUB has no line limit; we refuse a line over 64 KiB and name it. */
START_TEST(test_line_over_64k_is_error)
{
	ib_err err;
	size_t len;
	char *cfg;

	cfg = long_line_cfg(IB_MAX_GRUB_LINE, &len);
	ck_assert_int_eq(parse_mem_rc(cfg, len, "pc", &err), 0);
	free(cfg);
	cfg = long_line_cfg(IB_MAX_GRUB_LINE + 1, &len);
	tu_expect_err(parse_mem_rc(cfg, len, "pc", &err), &err, IB_ELIMIT,
	    "boot/grub/grub.cfg:3: line longer than 65536 bytes");
	free(cfg);
}
END_TEST

START_TEST(test_nul_byte_is_error)
{
	static const char cfg[] = "set a=1\nmenuentry T {\x00 linux /k\n}\n";
	ib_err err;

	tu_expect_err(parse_mem_rc(cfg, sizeof(cfg) - 1, "pc", &err), &err,
	    IB_EFORMAT, "boot/grub/grub.cfg:2: NUL byte");
}
END_TEST

/* text with every LF made CRLF, and a CR after the last byte: a buffer
 * the reader shrinks when it drops the CRs. Caller frees; *len set. */
static char *
crlf_new(const char *text, size_t *len)
{
	size_t n, o;
	char *d;

	n = strlen(text);
	d = malloc(2 * n + 2);
	ck_assert_ptr_nonnull(d);
	for (size_t i = o = 0; i < n; i++) {
		if (text[i] == '\n')
			d[o++] = '\r';
		d[o++] = text[i];
	}
	d[o++] = '\r';
	d[o] = '\0';
	*len = o;
	return d;
}

/* text parsed from memory as it is and in CRLF (crlf_new), on both
 * platforms: a menu, or an error that says why. */
static void
expect_tail_parses(const char *text)
{
	char *crlf;
	ib_err err;
	size_t len;

	crlf = crlf_new(text, &len);
	for (int p = 0; p < 4; p++) {
		ib_err_clear(&err);
		ck_assert_msg(parse_mem_rc(p < 2 ? text : crlf,
		                  p < 2 ? strlen(text) : len,
		                  p % 2 ? "efi" : "pc", &err) == 0 ||
		        (err.code != 0 && err.msg[0] != '\0'),
		    "'%s' (%s): failed without a message", text,
		    p < 2 ? "as is" : "CRLF");
	}
	free(crlf);
}

/*
 * The lexer reads the file in place, and the last token ends at the end
 * of the config. The defect: a lexer that looks one byte past the input
 * (for the second byte of "\\\n", ";;" or "&&", the end of a comment,
 * a variable name or a quote) reads text[len]. Every kind of token ends a
 * config served in exactly its length (mem_fs), alone or after an entry,
 * with LFs or CRLFs (the reader drops the CRs and shrinks its copy), and
 * as the body of menuentry --source (parsed from an exact copy of the
 * word), so ASan reports that read. What the last token says still
 * counts, read from memory, a tree or an image.
 */
START_TEST(test_token_at_end_overread)
{
	static const char *const ends[] = { "#", "# c", "x #c", "linux",
		"linux /k", "a=b", "x\\", "x\\\\", "\\", "\\\n", "x\\\n", "$",
		"$a", "${", "${a", "${a}", "$1", "$?", "${?}", "$#", "\"",
		"\"a", "\"a\\", "\"a\\\"", "\"a\\\n", "\"$", "\"$a", "\"${a",
		"\"${a}", "'", "'a", "$\"", "$\"a", "$\"a\\", "$\"a\\\\",
		"$\"a\\\n", ";", ";;", "|", "||", "&", "&&", "<", ">", "{", "}",
		"[[", "]]", " ", "\t", "if", "if true; then", "for x in a",
		"function f", "menuentry T", "menuentry T {",
		"menuentry T {\n linux /k", "menuentry T { linux /k; }" };
	static const struct {
		const char *cfg, *args;
	} last[] = {
		{ "menuentry A {\n linux /a x\n}\n#c", "x" },
		{ "menuentry A {\n linux /a $v\n}\nv=1", "1" },
		{ "menuentry A {\n linux /a $v\n}\nv=\"a b\"", "a b" },
		{ "menuentry A {\n linux /a $v\n}\nv='q'", "q" },
		/* a backslash at the end: GRUB's lexer fails, v stays unset */
		{ "menuentry A {\n linux /a ${v}\n}\nv=a\\", "" },
		{ "menuentry A {\n linux /a ${v}\n}\nv=a\\\\", "a\\\\" },
		{ "menuentry A {\n linux /a x\n}", "x" },
		{ "menuentry A { linux /a y; }", "y" },
		{ "menuentry A --source 'linux /a s #c'", "s" },
		{ "menuentry A --source 'linux /a $v'\nv=2", "2" },
	};
	struct member mm[1] = { { "BOOT/GRUB/GRUB.CFG", NULL, 0 } };
	struct spec img = { mm, NMEMB(mm), NULL, NULL, 0 };
	char buf[128], *crlf;
	ib_menu *m;
	ib_err err;
	size_t len;
	int n;

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		expect_tail_parses(ends[i]);
		n = snprintf(buf, sizeof(buf),
		    "menuentry A {\n linux /a\n}\n%s", ends[i]);
		ck_assert(n > 0 && (size_t)n < sizeof(buf));
		expect_tail_parses(buf);
		if (strchr(ends[i], '\'') != NULL)
			continue;
		n = snprintf(buf, sizeof(buf), "menuentry A --source '%s'",
		    ends[i]);
		ck_assert(n > 0 && (size_t)n < sizeof(buf));
		expect_tail_parses(buf);
	}
	for (size_t i = 0; i < sizeof(last) / sizeof(last[0]); i++) {
		/* from a tree and an image, read in exactly their size too */
		put("boot/grub/grub.cfg", last[i].cfg);
		m = parse(CFG, "pc", &err);
		ck_assert_msg(m != NULL, "case %zu tree: %s", i, err.msg);
		expect_linux(def(m), "/a", last[i].args, 0);
		ib_menu_free(m);
		mm[0].data = last[i].cfg;
		m = image_menu(&img, false, &err);
		ck_assert_msg(m != NULL, "case %zu image: %s", i, err.msg);
		expect_linux(def(m), "/a", last[i].args, 0);
		ib_menu_free(m);
		m = parse_mem(last[i].cfg, strlen(last[i].cfg), "pc", &err);
		ck_assert_msg(m != NULL, "case %zu: %s", i, err.msg);
		expect_linux(def(m), "/a", last[i].args, 0);
		ib_menu_free(m);
		crlf = crlf_new(last[i].cfg, &len);
		m = parse_mem(crlf, len, "pc", &err);
		free(crlf);
		ck_assert_msg(m != NULL, "case %zu CRLF: %s", i, err.msg);
		expect_linux(def(m), "/a", last[i].args, 0);
		ib_menu_free(m);
	}
}
END_TEST

/* NAME=VALUE alone on a line is an assignment, set or not ([QG]);
 * words are separated by spaces and tabs. */
START_TEST(test_assignment_without_set)
{
	ck_assert_str_eq(args_of("a=1\n"
	                         "set b=2\n"
	                         "c=x=y\n"
	                         "menuentry T {\n"
	                         "\tlinux\t/k\t$a  $b\t\t$c\n"
	                         "}\n"),
	    "1 2 x=y");
}
END_TEST

/* | & < > ;; are GRUB tokens no rule accepts: a syntax error, and GRUB
 * goes on with the next line. */
START_TEST(test_metachar_is_syntax_error_skipped)
{
	ib_menu *m;

	m = one("echo a | b\n"
	        "x=1 > y\n"
	        "menuentry T {\n"
	        "  linux /k ok\n"
	        "}\n");
	ck_assert_uint_eq(ib_menu_count(m), 1);
	expect_linux(def(m), "/k", "ok", 0);
	expect_note(m, "boot/grub/grub.cfg:1: syntax error at '|'");
	expect_note(m, "boot/grub/grub.cfg:2: syntax error at '>'");
	ib_menu_free(m);
}
END_TEST

/* --- 2.2 quoting and expansion --- */

/* Unquoted \c is c for any c ([QG]: x\y -> xy, \x20 -> x20). */
START_TEST(test_unquoted_backslash_escape)
{
	ck_assert_str_eq(args_of("menuentry T {\n"
	                         "  linux /k x\\y \\x20 a\\ b \\$v\n"
	                         "}\n"),
	    "xy x20 \"a b\" $v");
}
END_TEST

/* '...' is literal: no escapes, no $ ([QG]: 'sq $v' -> "sq $v"). */
START_TEST(test_single_quotes_literal)
{
	ck_assert_str_eq(args_of("v=X\n"
	                         "menuentry T {\n"
	                         "  linux /k 'sq $v' 'a\"b' '\\n'\n"
	                         "}\n"),
	    "\"sq $v\" a\\\"b \\\\n");
}
END_TEST

/* "...": $var and ${var} expand; \$ \" \\ are escapes; any other
 * backslash stays ([QG]: "bs\x20q" keeps it, the command line doubles
 * it). */
START_TEST(test_double_quotes_escapes)
{
	ck_assert_str_eq(args_of("v=V\n"
	                         "menuentry T {\n"
	                         "  linux /k \"a\\$b\" \"c\\\"d\" \"e\\\\f\" "
	                         "\"bs\\x20q\" \"$v${v}x\"\n"
	                         "}\n"),
	    "a$b c\\\"d e\\\\f bs\\\\x20q VVx");
}
END_TEST

/* Unquoted $var is split into words; "$var" is one. GRUB's split drops
 * leading blanks without ending the word before (argv.c). */
START_TEST(test_unquoted_var_split)
{
	ck_assert_str_eq(args_of("v=\"a   b\"\n"
	                         "menuentry T {\n"
	                         "  linux /k $v \"$v\" x${v}y\n"
	                         "}\n"),
	    "a b \"a   b\" xa by");
	ck_assert_str_eq(args_of("w=\" c \"\n"
	                         "menuentry T {\n"
	                         "  linux /k x$w\n"
	                         "}\n"),
	    "xc");
}
END_TEST

/* An empty "$var" or '' is an empty argument (an extra space in the
 * command line, [QG]); an empty unquoted $var is nothing. */
START_TEST(test_empty_quoted_var_is_empty_argument)
{
	ck_assert_str_eq(args_of("menuentry T {\n"
	                         "  linux /k a \"$none\" b $none c ''\n"
	                         "}\n"),
	    "a  b c ");
}
END_TEST

/* A submenu is a new context: only exported variables are seen there
 * ([QG]; Void exports voidlive for this). */
START_TEST(test_submenu_sees_only_exported)
{
	ib_menu *m;

	m = one("a=1\n"
	        "b=2\n"
	        "export b\n"
	        "menuentry top {\n"
	        "  linux /k \"$a\" \"$b\"\n"
	        "}\n"
	        "submenu S {\n"
	        "  menuentry in {\n"
	        "    linux /k \"$a\" \"$b\"\n"
	        "  }\n"
	        "}\n");
	ck_assert_uint_eq(ib_menu_count(m), 3);
	expect_linux(at(m, 0), "/k", "1 2", 0);
	ck_assert_int_eq(at(m, 1)->kind, IB_KIND_SUBMENU);
	expect_title(at(m, 2), "in");
	ck_assert_str_eq(at(m, 2)->submenu, "S");
	expect_linux(at(m, 2), "/k", " 2", 0);
	ib_menu_free(m);
}
END_TEST

/* Bodies run when the entry boots: they see the values at the end of
 * the config ([QG]). */
START_TEST(test_bodies_see_final_values)
{
	ck_assert_str_eq(args_of("v=1\n"
	                         "menuentry T {\n"
	                         "  linux /k v=$v\n"
	                         "}\n"
	                         "v=2\n"),
	    "v=2");
}
END_TEST

/* $1 is the title; more words after it are $2...; $# counts them. */
START_TEST(test_dollar1_is_title)
{
	ck_assert_str_eq(args_of("menuentry \"My title\" extra {\n"
	                         "  linux /k \"$1\" $2 $# \"${3}\"\n"
	                         "}\n"),
	    "\"My title\" extra 2 ");
}
END_TEST

/* The variables GRUB sets before it reads grub.cfg. */
START_TEST(test_special_variables)
{
	static const char cfg[] = "menuentry T {\n"
	                          "  linux /k $grub_platform $grub_cpu $root "
	                          "$prefix\n"
	                          "}\n";
	ib_menu *m;

	put("boot/grub/grub.cfg", cfg);
	m = parse_ok(CFG, "pc");
	expect_args(m, "pc i386 cd (cd)/boot/grub");
	ib_menu_free(m);
	m = parse_ok(CFG, "efi");
	expect_args(m, "efi x86_64 cd (cd)/boot/grub");
	expect_note(m, "grub_platform=efi");
	ib_menu_free(m);
}
END_TEST

/* --- 2.3 menu entries and the default --- */

/* Entries are numbered in the order they are executed: a menuentry in
 * an if branch not taken is no entry. */
START_TEST(test_entries_counted_when_executed)
{
	ib_menu *m;

	m = one("if false; then\n"
	        "  menuentry a { linux /a\n  }\n"
	        "fi\n"
	        "menuentry b { linux /b\n}\n"
	        "if true; then menuentry c { linux /c; }; fi\n"
	        "set default=1\n");
	ck_assert_uint_eq(ib_menu_count(m), 2);
	expect_title(def(m), "c");
	expect_linux(def(m), "/c", "", 0);
	ib_menu_free(m);
}
END_TEST

/* get_entry_number: strtoul first; a number with text after it is still
 * that number ([QG]: "1st-not-really" selected entry 1). */
START_TEST(test_default_number_strtoul_first)
{
	static const char entries[] = "menuentry 1st-not-really { linux /0\n}\n"
	                              "menuentry second { linux /1\n}\n";
	char cfg[512];
	ib_menu *m;

	snprintf(cfg, sizeof(cfg), "%sdefault=\"1st-not-really\"\n", entries);
	m = one(cfg);
	expect_title(def(m), "second");
	expect_note(m, "read as the number 1");
	ib_menu_free(m);
	/* base 0: 0x hex, leading blanks skipped */
	snprintf(cfg, sizeof(cfg), "%sdefault=0x1\n", entries);
	m = one(cfg);
	expect_title(def(m), "second");
	ib_menu_free(m);
	snprintf(cfg, sizeof(cfg), "%sdefault=' 1'\n", entries);
	m = one(cfg);
	expect_title(def(m), "second");
	ib_menu_free(m);
}
END_TEST

/* Without digits the value is compared with each entry's title, then
 * its id, entry by entry: the first entry that matches either wins. */
START_TEST(test_default_title_and_id)
{
	static const char entries[] =
	    "menuentry alpha --id beta { linux /0\n}\n"
	    "menuentry beta --id gamma { linux /1\n}\n"
	    "menuentry gamma { linux /2\n}\n";
	static const struct {
		const char *val;
		const char *title;
	} cases[] = { { "alpha", "alpha" }, { "beta", "alpha" },
		{ "gamma", "beta" } };
	char cfg[512];
	ib_menu *m;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cfg, sizeof(cfg), "%sdefault=%s\n", entries,
		    cases[i].val);
		m = one(cfg);
		expect_title(def(m), cases[i].title);
		ib_menu_free(m);
	}
	m = one(entries);
	ck_assert_str_eq(at(m, 0)->label, "beta");
	ck_assert_ptr_null(at(m, 2)->label);
	ib_menu_free(m);
}
END_TEST

/* A>B: A picks the entry here, B becomes "default" inside the submenu
 * ([QG]: "1>1"); ">>" is a literal '>'. Unquoted, '>' is a GRUB
 * metacharacter: the value must be quoted or escaped. */
START_TEST(test_default_path_into_submenu)
{
	static const char entries[] = "menuentry zero { linux /0\n}\n"
	                              "submenu 'Sub > menu' --id sub {\n"
	                              "  menuentry s0 { linux /s0\n  }\n"
	                              "  menuentry 's>1' { linux /s1\n  }\n"
	                              "}\n";
	static const struct {
		const char *val;
		const char *title;
	} cases[] = { { "'1>1'", "s>1" }, { "'Sub >> menu>s>>1'", "s>1" },
		{ "\"sub>s0\"", "s0" }, { "'1>s>>1'", "s>1" }, { "1", "s0" },
		{ "1\\>1", "s>1" } };
	char cfg[512];
	ib_menu *m;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cfg, sizeof(cfg), "%sdefault=%s\n", entries,
		    cases[i].val);
		m = one(cfg);
		expect_title(def(m), cases[i].title);
		ck_assert_str_eq(def(m)->submenu, "Sub > menu");
		ib_menu_free(m);
	}
}
END_TEST

/* A default that is a submenu boots the submenu's default: entry 0, or
 * an exported "default" seen in the new context. */
START_TEST(test_default_submenu_boots_its_default)
{
	static const char body[] = "menuentry a { linux /a\n}\n"
	                           "submenu s {\n"
	                           "  menuentry x { linux /x\n  }\n"
	                           "  menuentry y { linux /y\n  }\n"
	                           "}\n";
	char cfg[512];
	ib_menu *m;

	snprintf(cfg, sizeof(cfg), "default=1\n%s", body);
	m = one(cfg);
	expect_title(def(m), "x");
	expect_note(m, "is the submenu s");
	ib_menu_free(m);
	snprintf(cfg, sizeof(cfg), "default=1\nexport default\n%s", body);
	m = one(cfg);
	expect_title(def(m), "y");
	ib_menu_free(m);
}
END_TEST

/* Unknown or out-of-range defaults boot entry 0 ([QG]), with a note. */
START_TEST(test_default_unknown_or_out_of_range)
{
	static const char entries[] = "menuentry a { linux /a\n}\n"
	                              "menuentry b { linux /b\n}\n";
	static const struct {
		const char *val, *why;
	} cases[] = { { "7", "no entry 7" }, { "nonesuch", "names no entry" },
		{ "99999999999999999999999", "out of range" },
		{ "-1", "names no entry" }, { "4294967297", "out of range" } };
	char cfg[512];
	ib_menu *m;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cfg, sizeof(cfg), "%sdefault=%s\n", entries,
		    cases[i].val);
		m = one(cfg);
		expect_title(def(m), "a");
		expect_note(m, cases[i].why);
		ib_menu_free(m);
	}
	m = one(entries);
	expect_note(m, "no default variable");
	ib_menu_free(m);
}
END_TEST

/* default=saved comes from grubenv: entry 0 and a note. */
START_TEST(test_default_saved)
{
	ib_menu *m;

	m = one("load_env\n"
	        "set default=saved\n"
	        "menuentry a { linux /a\n}\n"
	        "menuentry b { linux /b\n}\n");
	expect_title(def(m), "a");
	expect_note(m, "default=saved");
	expect_note(m, "load_env");
	ib_menu_free(m);
}
END_TEST

/* hiddenentry (a SUSE patch) is no upstream command: never counted. */
START_TEST(test_hiddenentry_not_counted)
{
	ib_menu *m;

	m = one("default=1\n"
	        "menuentry a { linux /a\n}\n"
	        "hiddenentry 'Text mode' --hotkey t {\n  set textmode=true\n}\n"
	        "menuentry b { linux /b\n}\n");
	ck_assert_uint_eq(ib_menu_count(m), 2);
	expect_title(def(m), "b");
	expect_note(m, "hiddenentry is a SUSE patch");
	ib_menu_free(m);
}
END_TEST

/* Options anywhere, --opt=value or --opt value; an unknown long option
 * makes GRUB refuse the entry; a word with one dash is an argument. */
START_TEST(test_menuentry_options)
{
	ib_menu *m;

	m = one("menuentry --class os T1 --id=i1 --hotkey x --unrestricted "
	        "{ linux /1\n}\n"
	        "menuentry T2 --bogus { linux /2\n}\n"
	        "menuentry -dash { linux /3\n}\n"
	        "menuentry --id=x { linux /4\n}\n"
	        "menuentry -- --T5 { linux /5\n}\n");
	ck_assert_uint_eq(ib_menu_count(m), 3);
	expect_title(at(m, 0), "T1");
	ck_assert_str_eq(at(m, 0)->label, "i1");
	expect_title(at(m, 1), "-dash");
	expect_title(at(m, 2), "--T5");
	expect_note(m, "bad option --bogus");
	expect_note(m, "without a title");
	ib_menu_free(m);
}
END_TEST

/* timeout: seconds (strtoul, text after the digits ignored); unset,
 * -1 or no digits: wait forever (0 in the model); 0: at once. */
START_TEST(test_timeout_values)
{
	static const struct {
		const char *set;
		long tenths;
		const char *why;
	} cases[] = { { "", 0, "no timeout variable" },
		{ "timeout=5\n", 50, "after 5 s" },
		{ "timeout=7s\n", 70, "after 7 s" },
		{ "timeout=-1\n", 0, "waits for a key" },
		{ "timeout=abc\n", 0, "waits for a key" },
		{ "timeout=0\n", -1, "at once" } };
	char cfg[256];
	ib_menu *m;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cfg, sizeof(cfg), "%smenuentry a { linux /a\n}\n",
		    cases[i].set);
		m = one(cfg);
		ck_assert_int_eq(ib_menu_timeout(m), cases[i].tenths);
		expect_note(m, cases[i].why);
		ib_menu_free(m);
	}
	m = one("timeout=3\ntimeout_style=hidden\nmenuentry a { linux /a\n}\n");
	expect_note(m, "timeout_style=hidden");
	ib_menu_free(m);
}
END_TEST

/* --- 2.4 loading Linux --- */

/* Several initrds on one line load in order; a second initrd line
 * replaces the first; a new linux unloads them. */
START_TEST(test_initrds_in_order)
{
	ib_menu *m;

	m = one("menuentry a {\n"
	        "  linux /k\n"
	        "  initrd /x\n"
	        "  initrd /u1 /u2 (cd)/i\n"
	        "}\n"
	        "menuentry b {\n"
	        "  linux /k\n"
	        "  initrd /x\n"
	        "  linux /k2 q\n"
	        "}\n");
	expect_linux(at(m, 0), "/k", "", 3, "/u1", "/u2", "/i");
	expect_linux(at(m, 1), "/k2", "q", 0);
	ib_menu_free(m);
}
END_TEST

/* lib/cmdline.c: one space between words, \ ' " escaped, a word with a
 * space in double quotes; a tab does not make quotes. */
START_TEST(test_cmdline_requoted)
{
	ck_assert_str_eq(args_of("menuentry T {\n"
	                         "  linux /k  \"a b\"   'c\"d' \"e'f\" "
	                         "'g\\h' 't\tab'\n"
	                         "}\n"),
	    "\"a b\" c\\\"d e\\'f g\\\\h t\tab");
}
END_TEST

/* (dev)/path and ($root)/path: the device is the image; another device
 * is taken to be the image, with a note. */
START_TEST(test_device_prefix_stripped)
{
	ib_menu *m;

	m = one("menuentry a {\n"
	        "  linux ($root)/boot/k\n"
	        "  initrd (cd)/boot/i\n"
	        "}\n"
	        "menuentry b {\n"
	        "  linux (hd0,msdos1)/k2\n"
	        "}\n");
	expect_linux(at(m, 0), "/boot/k", "", 1, "/boot/i");
	expect_linux(at(m, 1), "/k2", "", 0);
	expect_note(m, "device (hd0,msdos1) is taken to be the image");
	ib_menu_free(m);
}
END_TEST

/* linux16/initrd16 (BIOS) and linuxefi/initrdefi (Fedora) load Linux. */
START_TEST(test_loader_variants)
{
	ib_menu *m;

	m = one("menuentry a {\n  linux16 /k a\n  initrd16 /i\n}\n"
	        "menuentry b {\n  linuxefi /k b\n  initrdefi /i /j\n}\n");
	expect_linux(at(m, 0), "/k", "a", 1, "/i");
	expect_linux(at(m, 1), "/k", "b", 2, "/i", "/j");
	ib_menu_free(m);
}
END_TEST

/* initrd before linux fails in GRUB; a relative name fails too ('invalid
 * file name'): both are noted. */
START_TEST(test_initrd_before_linux_ignored)
{
	ib_menu *m;

	m = one("menuentry a {\n  initrd /i\n  linux vmlinuz\n}\n");
	expect_linux(def(m), "/vmlinuz", "", 0);
	expect_note(m, "initrd before linux");
	expect_note(m, "vmlinuz is not an absolute path");
	ib_menu_free(m);
}
END_TEST

/* Entries that boot no Linux: reboot and the like (localboot), an EFI
 * or boot-sector chainloader, configfile; boot ends the body. */
START_TEST(test_non_linux_entries)
{
	ib_menu *m;

	m = one("menuentry r { reboot\n}\n"
	        "menuentry c { chainloader --force /efi/x.efi\n}\n"
	        "menuentry f { configfile /boot/grub/other.cfg\n}\n"
	        "menuentry b { linux /k; boot; reboot\n}\n"
	        "menuentry n { echo nothing\n}\n");
	ck_assert_int_eq(at(m, 0)->kind, IB_KIND_LOCALBOOT);
	ck_assert_int_eq(at(m, 1)->kind, IB_KIND_BOOTSECTOR);
	ck_assert_str_eq(at(m, 1)->kernel, "/efi/x.efi");
	ck_assert_int_eq(at(m, 2)->kind, IB_KIND_CONFIG);
	ck_assert_str_eq(at(m, 2)->kernel, "/boot/grub/other.cfg");
	expect_linux(at(m, 3), "/k", "", 0);
	ck_assert_int_eq(at(m, 4)->kind, IB_KIND_LOCALBOOT);
	expect_note(m, "loads no kernel and runs reboot");
	ib_menu_free(m);
}
END_TEST

/* --- 2.5 control flow --- */

/* [ "$grub_platform" = efi ], == and != decide per platform. */
START_TEST(test_platform_test)
{
	static const char cfg[] =
	    "if [ \"$grub_platform\" = efi ]; then\n"
	    "  menuentry E { linux /e\n  }\n"
	    "else\n"
	    "  menuentry P { linux /p\n  }\n"
	    "fi\n"
	    "if [ \"${grub_platform}\" == \"pc\" ]; then\n"
	    "  menuentry P2 { linux /p\n  }\n"
	    "elif [ \"$grub_platform\" != pc ]; then\n"
	    "  menuentry E2 { linux /e\n  }\n"
	    "fi\n";
	ib_menu *m;

	put("boot/grub/grub.cfg", cfg);
	m = parse_ok(CFG, "pc");
	ck_assert_uint_eq(ib_menu_count(m), 2);
	expect_title(at(m, 0), "P");
	expect_title(at(m, 1), "P2");
	ib_menu_free(m);
	m = parse_ok(CFG, "efi");
	ck_assert_uint_eq(ib_menu_count(m), 2);
	expect_title(at(m, 0), "E");
	expect_title(at(m, 1), "E2");
	ib_menu_free(m);
}
END_TEST

/* [ -e/-f/-d FILE ] against the image; (dev) and relative names too. */
START_TEST(test_file_tests)
{
	put("boot/present", "x");
	put("boot/dir/x", "x");
	ck_assert_str_eq(args_of("for t in \"-e /boot/present\" "
	                         "\"-f /boot/present\" \"-d /boot/present\" "
	                         "\"-e /boot/dir\" \"-f /boot/dir\" "
	                         "\"-d /boot/dir\" \"-e /nope\" "
	                         "\"-e (cd)/boot/present\" \"-d /\" "
	                         "\"-e boot/present\"; do\n"
	                         "  if [ $t ]; then x=${x}1; else x=${x}0; fi\n"
	                         "done\n"
	                         "menuentry T { linux /k $x\n}\n"),
	    "1101010111");
}
END_TEST

/* test.c: a word that is no operator is a string test, true when not
 * empty ([ cpuid -l ] runs nothing); an empty test is true. */
START_TEST(test_string_test_true)
{
	ib_menu *m;

	m = one("if [ cpuid -l ]; then x=${x}1; else x=${x}0; fi\n"
	        "if [ \"\" ]; then x=${x}1; else x=${x}0; fi\n"
	        "if [ -n \"\" ]; then x=${x}1; else x=${x}0; fi\n"
	        "if [ -z \"\" ]; then x=${x}1; else x=${x}0; fi\n"
	        "if test a = a -a b = c; then x=${x}1; else x=${x}0; fi\n"
	        "if [ ! x = y ]; then x=${x}1; else x=${x}0; fi\n"
	        "if [ a = b -o c = c ]; then x=${x}1; else x=${x}0; fi\n"
	        "if [ \"(\" a = b -o \"(\" x \")\" \")\" ]; then x=${x}1; "
	        "else x=${x}0; fi\n"
	        "if [ 1 -lt 2 ]; then x=${x}1; else x=${x}0; fi\n"
	        "if [ -3 -lt -2 ]; then x=${x}1; else x=${x}0; fi\n"
	        "if [ 0x10 -eq 16 ]; then x=${x}1; else x=${x}0; fi\n"
	        "if [ vmlinuz-2 -plt vmlinuz-11 ]; then x=${x}1; else "
	        "x=${x}0; fi\n"
	        "if [ ${empty} ]; then x=${x}1; else x=${x}0; fi\n"
	        "menuentry T { linux /k $x\n}\n");
	expect_args(m, "1001011111111");
	expect_note(m, "test 'cpuid -l' has a word that is no operator");
	expect_note(m, "an empty test is true");
	ib_menu_free(m);
}
END_TEST

/* Commands decided at boot time (loadfont, sleep, cpuid) are taken to
 * succeed in a condition, with a note. */
START_TEST(test_runtime_commands_assumed)
{
	ib_menu *m;

	m = one("if loadfont /f.pf2; then x=1; fi\n"
	        "if sleep --interruptible 0; then timeout=60; fi\n"
	        "menuentry T { linux /k $x\n}\n");
	expect_args(m, "1");
	ck_assert_int_eq(ib_menu_timeout(m), 600);
	expect_note(m, "'loadfont' decides at boot time");
	expect_note(m, "'sleep' decides at boot time");
	ib_menu_free(m);
}
END_TEST

/* search --set[=VAR] is taken to find the image itself. */
START_TEST(test_search_sets_variable)
{
	ib_menu *m;

	put("marker", "");
	m = one("search --no-floppy --file --set=dev /marker\n"
	        "root=elsewhere\n"
	        "search --label FOO --set\n"
	        "search.file /missing iso\n"
	        "menuentry T { linux ($dev)/k $root $iso\n}\n");
	expect_linux(def(m), "/k", "cd cd", 0);
	expect_note(m,
	    "search /marker: taken to find the image itself, dev=cd");
	expect_note(m, "search FOO: taken to find the image itself, root=cd");
	expect_note(m, "search /missing: no such file here");
	expect_note(m, "root=elsewhere: files are still read from the image");
	ib_menu_free(m);
}
END_TEST

/* source runs a file in the same context: its variables and entries
 * stay; relative to $root. */
START_TEST(test_source_same_context)
{
	ib_menu *m;

	put("boot/grub/b.cfg", "w=$v\nmenuentry inb { linux /b\n}\n");
	m = one("v=1\n"
	        "source /boot/grub/b.cfg\n"
	        "menuentry after { linux /k $w\n}\n"
	        "default=1\n");
	ck_assert_uint_eq(ib_menu_count(m), 2);
	expect_title(at(m, 0), "inb");
	ck_assert_str_eq(at(m, 0)->where, "boot/grub/b.cfg:2");
	expect_linux(def(m), "/k", "1", 0);
	expect_note(m, "source boot/grub/b.cfg");
	ck_assert_str_eq(ib_menu_config(m), CFG);
	ib_menu_free(m);
}
END_TEST

/* configfile: a new context (exported variables only) and a new menu,
 * which replaces the caller's when it has entries. */
START_TEST(test_configfile_replaces_menu)
{
	ib_menu *m;

	put("boot/grub/c.cfg",
	    "timeout=4\nmenuentry c0 { linux /c0 \"$a\" \"$b\"\n}\n");
	m = one("a=1\n"
	        "b=2\n"
	        "export b\n"
	        "timeout=9\n"
	        "menuentry first { linux /first\n}\n"
	        "configfile /boot/grub/c.cfg\n"
	        "menuentry never { linux /never\n}\n");
	ck_assert_uint_eq(ib_menu_count(m), 1);
	expect_linux(def(m), "/c0", " 2", 0);
	ck_assert_int_eq(ib_menu_timeout(m), 40);
	ck_assert_str_eq(ib_menu_config(m), "/boot/grub/c.cfg");
	expect_note(m, "its menu replaces this one");
	ib_menu_free(m);
}
END_TEST

/* A configfile without entries returns; its variables are lost. */
START_TEST(test_configfile_without_entries_continues)
{
	ib_menu *m;

	put("boot/grub/c.cfg", "x=1\n");
	m = one("configfile /boot/grub/c.cfg\n"
	        "menuentry after { linux /k x$x\n}\n");
	expect_linux(def(m), "/k", "x", 0);
	expect_note(m, "has no menu entries");
	ib_menu_free(m);
}
END_TEST

/* GRUB itself has no guard: a loop is an error naming file:line. */
START_TEST(test_source_loop_is_error)
{
	ib_err err;

	put("boot/grub/grub.cfg", "source /boot/grub/b.cfg\n");
	put("boot/grub/b.cfg", "\nconfigfile /boot/grub/grub.cfg\n");
	tu_expect_err(parse_rc(CFG, &err), &err, IB_ELIMIT,
	    "boot/grub/b.cfg:2: configfile loop: boot/grub/grub.cfg is "
	    "already being read");
}
END_TEST

START_TEST(test_source_deeper_than_16_is_error)
{
	char name[64], text[128];
	ib_err err;
	unsigned i;

	for (i = 0; i <= IB_MAX_INCLUDE + 1; i++) {
		snprintf(name, sizeof(name), "boot/grub/%u.cfg", i);
		snprintf(text, sizeof(text), "source /boot/grub/%u.cfg\n",
		    i + 1);
		put(name, text);
	}
	put("boot/grub/grub.cfg", "source /boot/grub/0.cfg\n");
	tu_expect_err(parse_rc(CFG, &err), &err, IB_ELIMIT,
	    "nested deeper than 16");
	/* 16 levels below the top file are fine */
	snprintf(text, sizeof(text), "menuentry T { linux /k\n}\n");
	put("boot/grub/15.cfg", text);
	ck_assert_int_eq(parse_rc(CFG, &err), 0);
}
END_TEST

START_TEST(test_source_missing_noted)
{
	ib_menu *m;

	m = one("source /boot/grub/nope.cfg\nmenuentry T { linux /k\n}\n");
	expect_linux(def(m), "/k", "", 0);
	expect_note(m, "source boot/grub/nope.cfg: no such file");
	ib_menu_free(m);
}
END_TEST

/* for loops, functions with $1, break and return. */
START_TEST(test_for_loop_and_functions)
{
	ck_assert_str_eq(args_of("function add {\n"
	                         "  x=\"${x}$1\"\n"
	                         "}\n"
	                         "function r { return 3; x=bad; }\n"
	                         "for i in a b c; do add $i; done\n"
	                         "for i in 1 2 3; do\n"
	                         "  if [ $i = 2 ]; then break; fi\n"
	                         "  y=\"$y$i\"\n"
	                         "done\n"
	                         "r\n"
	                         "s=$?\n"
	                         "menuentry T { linux /k $x $y $s\n}\n"),
	    "abc 1 3");
}
END_TEST

/* Regression (grml-live's grub.cfg): for config in "${prefix}"/ *_default.cfg
 * (no blank in the real line) after insmod regexp was one word, the pattern itself, so the sourced
 * menu and its entries were missing. wildcard.c expands an unquoted
 * pattern to the names it matches, in the directory's (name) order. */
START_TEST(test_for_wildcard_was_not_expanded)
{
	put("boot/grub/b_default.cfg", "menuentry B { linux /kb\n}\n");
	put("boot/grub/a_default.cfg", "menuentry A { linux /ka\n}\n");
	ck_assert_str_eq(args_of("insmod regexp\n"
	                         "for f in \"${prefix}\"/*_default.cfg; do\n"
	                         "  x=\"$x $f\"\n"
	                         "done\n"
	                         "menuentry T { linux /k $x\n}\n"),
	    "(cd)/boot/grub/a_default.cfg (cd)/boot/grub/b_default.cfg");
}
END_TEST

/* Without regexp.mod there are no wildcards; a quoted * never globs;
 * a pattern that matches nothing stays as written. */
START_TEST(test_wildcard_needs_regexp_and_no_quotes)
{
	put("boot/grub/a_default.cfg", "");
	ck_assert_str_eq(args_of("for f in /boot/grub/*.cfg; do x=\"$x$f\"; "
	                         "done\n"
	                         "menuentry T { linux /k $x\n}\n"),
	    "/boot/grub/*.cfg");
	ck_assert_str_eq(args_of("insmod regexp\n"
	                         "for f in \"/boot/grub/*.cfg\" /none/*.x; do "
	                         "x=\"$x$f,\"; done\n"
	                         "menuentry T { linux /k $x\n}\n"),
	    "/boot/grub/*.cfg,/none/*.x,");
}
END_TEST

/* regexp --set (commands/regexp.c): VAR is group 1, N:VAR group N; no
 * match is status 1 and sets nothing. */
START_TEST(test_regexp_sets_groups)
{
	ck_assert_str_eq(args_of("regexp --set 1:a --set 2:b "
	                         "'^\\(([^)]+)\\)/(.*)$' '(cd0)/EFI/BOOT'\n"
	                         "regexp --set c '(x+)y' 'axxy'\n"
	                         "if regexp --set d 'q' 'abc'; then d=bad; fi\n"
	                         "menuentry T { linux /k $a $b $c d=$d\n}\n"),
	    "cd0 EFI/BOOT xx d=");
}
END_TEST

/* while/until conditions are decided at boot: not run, noted. */
START_TEST(test_while_not_run)
{
	ib_menu *m;

	m = one("while true; do x=1; done\n"
	        "menuentry T { linux /k x$x\n}\n");
	expect_args(m, "x");
	expect_note(m, "while loop");
	ib_menu_free(m);
}
END_TEST

/* A block, if or quote open at the end of the file is an error
 * (SEMANTICS.md 4: unbalanced { } and quotes). */
START_TEST(test_unclosed_constructs_are_errors)
{
	static const struct {
		const char *cfg, *msg;
	} cases[] = {
		{ "\nmenuentry T {\n  linux /k\n",
		    "grub.cfg:2: '{' without '}'" },
		{ "if true; then\n  x=1\n", "grub.cfg:1: 'if' without 'fi'" },
		{ "for i in a; do\n", "grub.cfg:1: 'for' without 'done'" },
		{ "x=1\nlinux \"abc\n", "grub.cfg:2: quote never closed" },
		{ "x='abc\n", "grub.cfg:1: quote never closed" },
		{ "function f {\n", "grub.cfg:1: 'function' without '}'" },
	};
	ib_err err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put("boot/grub/grub.cfg", cases[i].cfg);
		tu_expect_err(parse_rc(CFG, &err), &err, IB_EFORMAT,
		    cases[i].msg);
	}
}
END_TEST

/* A stray } or fi, or an empty block, is a syntax error GRUB skips. */
START_TEST(test_stray_closer_skipped)
{
	ib_menu *m;

	m = one("}\n"
	        "fi\n"
	        "menuentry empty {\n}\n"
	        "menuentry T { linux /k\n}\n");
	ck_assert_uint_eq(ib_menu_count(m), 1);
	expect_title(def(m), "T");
	expect_note(m, "grub.cfg:1: syntax error at '}'");
	expect_note(m, "grub.cfg:2: syntax error at 'fi'");
	ib_menu_free(m);
}
END_TEST

/* --- hostile input --- */

/* 70 nested ifs: the parser stops at IB_MAX_GRUB_NEST. */
START_TEST(test_nesting_limit)
{
	char *cfg;
	size_t len, o;
	ib_err err;

	len = 70 * (sizeof("if true; then\n") + sizeof("fi\n")) + 1;
	cfg = malloc(len);
	ck_assert_ptr_nonnull(cfg);
	o = 0;
	for (int i = 0; i < 70; i++)
		o += (size_t)snprintf(cfg + o, len - o, "if true; then\n");
	for (int i = 0; i < 70; i++)
		o += (size_t)snprintf(cfg + o, len - o, "fi\n");
	tu_expect_err(parse_mem_rc(cfg, o, "pc", &err), &err, IB_ELIMIT,
	    "nested deeper than 64");
	free(cfg);
}
END_TEST

/* A function that calls itself, and loops that multiply: both stop at a
 * bound instead of running until the stack or the clock runs out. */
START_TEST(test_recursion_and_step_limits)
{
	static const char rec[] = "function f { f; }\nf\n";
	static const char steps[] =
	    "l=\"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 "
	    "24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40\"\n"
	    "for a in $l; do for b in $l; do for c in $l; do for d in $l; "
	    "do x=1; done; done; done; done\n";
	ib_err err;

	tu_expect_err(parse_mem_rc(rec, sizeof(rec) - 1, "pc", &err), &err,
	    IB_ELIMIT, "deeper than 256");
	tu_expect_err(parse_mem_rc(steps, sizeof(steps) - 1, "pc", &err), &err,
	    IB_ELIMIT, "more than 1000000 commands run");
}
END_TEST

/* Odd and broken snippets: a menu or an error, never a crash (ASan and
 * UBSan watch the exactly-sized buffers). */
START_TEST(test_hostile_snippets_no_crash)
{
	static const char *const cases[] = { "", "\\", "$", "${", "${x", "${}",
		"$\"", "\"", "'", "{", "}", "if", "then", "fi;", ";;", "&&",
		"[[", "menuentry", "menuentry x", "menuentry x {",
		"menuentry x { }", "menuentry x {\n}", "submenu {",
		"a=$#$?$*$@", "menuentry a { linux; initrd; }",
		"menuentry a {linux /k;boot}", "for", "for x", "for x in",
		"for x in a; do", "while; do done", "function", "function f",
		"function f {", "function if { x; }", "x=\"${a}${b}\\\n\"",
		"menuentry \"$\" { x; }", "linux /k\ninitrd /i\nboot\n",
		"default=\nmenuentry a {x\n}",
		/* one element: parentheses tell clang the split is meant */
		("submenu a { submenu b { submenu c { menuentry d { linux "
		 "/d; } } } }\ndefault=0>0>0>0"),
		"menuentry a --source 'linux /src' \n",
		"menuentry a --source 'linux \"' \n", "[ ( ( ( ]", "[ -e ]",
		"[ a -nt b ]", "test -s /boot/grub/grub.cfg", "search",
		"search --set=", "configfile", "source",
		"source ../../../../etc/passwd", "linux (", "x=(cd\n" };
	ib_err err;
	int rc;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int p = 0; p < 2; p++) {
			ib_err_clear(&err);
			rc = parse_mem_rc(cases[i], strlen(cases[i]),
			    p ? "efi" : "pc", &err);
			ck_assert_msg(rc == 0 || (err.code != 0 && err.msg[0]),
			    "case %zu: failed without a message", i);
		}
	}
}
END_TEST

START_TEST(test_bad_arguments)
{
	ib_bootfs *fs;
	ib_err err;

	fs = ib_bootfs_open_dir(top, &err);
	ck_assert_ptr_nonnull(fs);
	ck_assert_ptr_null(ib_grub_parse(fs, CFG, "arm", &err));
	ck_assert_int_eq(err.code, EINVAL);
	ck_assert_ptr_null(ib_grub_parse(fs, "grub.cfg", "pc", &err));
	ck_assert_int_eq(err.code, EINVAL);
	ib_bootfs_close(fs);
	tu_expect_err(parse_rc("/boot/grub/none.cfg", &err), &err, IB_ENOTFOUND,
	    "boot/grub/none.cfg: no such file");
	mkdir_in("boot");
	mkdir_in("boot/grub");
	mkdir_in("boot/grub/dir.cfg");
	put("boot/grub/grub.cfg",
	    "source /boot/grub/dir.cfg\n"
	    "menuentry T { linux /k\n}\n");
	ck_assert_int_eq(parse_rc(CFG, &err), 0);
}
END_TEST

/* --- partial images: a read error is never "missing" --- */

/*
 * [ -e FILE ], [ -f FILE ], [ -d FILE ] and search --file on a file whose
 * data lies past the end of a cut image. The lookup took the file for
 * missing: the script went down the other branch (or "searched other
 * disks") and the menu read as if the file were not there, when it is
 * the image that is broken. The read error now stops the parse, as a
 * cut config does (check_bootcfg). A file that is not there is still
 * just missing.
 */
START_TEST(test_truncated_file_read_as_missing)
{
#define ENTRY "menuentry T {\n  linux /k $y\n}\n"
	static const struct {
		const char *cfg, *args, *msg;
	} cases[] = {
		{ "if [ -e /boot/x ]; then y=1; fi\n" ENTRY, "1",
		    "boot/grub/grub.cfg:1: boot/x: " },
		{ "if [ -f (cd)/boot/x ]; then y=1; fi\n" ENTRY, "1",
		    "boot/grub/grub.cfg:1: boot/x: " },
		{ "y=1\nif test ! ( -d /boot/x -o -e /boot/none ); then y=2; fi\n"
		  "if [ -d /boot/x ]; then y=3; fi\n" ENTRY,
		    "2", "boot/grub/grub.cfg:2: boot/x: " },
		{ "search --no-floppy --file --set=y /boot/x\n" ENTRY, "cd",
		    "boot/grub/grub.cfg:1: search boot/x: " },
		{ "search.file /boot/x y\n" ENTRY, "cd",
		    "boot/grub/grub.cfg:1: search boot/x: " },
		{ "menuentry T {\n  if [ -e /boot/x ]; then y=1; fi\n"
		  "  linux /k $y\n}\n",
		    "1", "boot/grub/grub.cfg:2: boot/x: " },
	};
	char want[256];
	struct member mm[2] = { { "BOOT/GRUB/GRUB.CFG", NULL, 0 },
		{ "BOOT/X", "x", 0 } };
	struct spec s = { mm, NMEMB(mm), NULL, NULL, 0 };
	ib_menu *m;
	ib_err err;

	for (size_t i = 0; i < NMEMB(cases); i++) {
		mm[0].data = cases[i].cfg;
		m = image_menu(&s, false, &err);
		ck_assert_msg(m != NULL, "case %zu whole: %s", i, err.msg);
		expect_linux(def(m), "/k", cases[i].args, 0);
		ib_menu_free(m);

		m = image_menu(&s, true, &err);
		if (m != NULL)
			ck_abort_msg("case %zu: a menu (default args '%s') "
			             "instead of an error",
			    i,
			    ib_menu_default(m) != NULL ?
			        ib_menu_default(m)->args :
			        "(none)");
		snprintf(want, sizeof(want),
		    "%sfile data beyond the end of the image", cases[i].msg);
		tu_expect_err(-1, &err, IB_EFORMAT, want);
		ck_assert_str_eq(err.msg, want);
	}
	/* missing on the cut image: the test is false, search notes it */
	mm[0].data = "if [ -e /boot/none ]; then y=1; fi\n"
	             "search --file --set=r /boot/none\n" ENTRY;
	m = image_menu(&s, true, &err);
	ck_assert_msg(m != NULL, "%s", err.msg);
	expect_linux(def(m), "/k", "", 0);
	expect_note(m, "search /boot/none: no such file here");
	ib_menu_free(m);
#undef ENTRY
}
END_TEST

/* --- the corpus --- */

struct expected {
	char config[2048], label[2048], kernel[2048], append[2048];
	char initrd[8][2048];
	size_t ninitrd;
};

static int
read_expected(const char *path, struct expected *x)
{
	char line[2048];
	size_t n;
	FILE *f;

	memset(x, 0, sizeof(*x));
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (strncmp(line, "config=", 7) == 0)
			snprintf(x->config, sizeof(x->config), "%s", line + 7);
		else if (strncmp(line, "default_label=", 14) == 0)
			snprintf(x->label, sizeof(x->label), "%s", line + 14);
		else if (strncmp(line, "kernel=", 7) == 0)
			snprintf(x->kernel, sizeof(x->kernel), "%s", line + 7);
		else if (strncmp(line, "append=", 7) == 0)
			snprintf(x->append, sizeof(x->append), "%s", line + 7);
		else if (strncmp(line, "initrd=", 7) == 0 && x->ninitrd < 8)
			snprintf(x->initrd[x->ninitrd++], sizeof(x->initrd[0]),
			    "%s", line + 7);
	}
	fclose(f);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* One EXPECTED.* file: 0 match, 1 mismatch (printed), -1 not GRUB. */
static int
check_expected(const char *root, const char *name, const char *file,
    const char *platform)
{
	char path[8400], start[2100], *slash;
	const ib_menu_entry *e;
	struct expected x;
	const char *base;
	ib_bootfs *fs;
	ib_menu *m;
	ib_err err;
	size_t n;
	int bad;

	snprintf(path, sizeof(path), "%s/%s/%s", root, name, file);
	ck_assert_int_eq(read_expected(path, &x), 0);
	base = strrchr(x.config, '/') != NULL ? strrchr(x.config, '/') + 1 :
	                                        x.config;
	if (strcmp(base, "syslinux.cfg") == 0 ||
	    strcmp(base, "isolinux.cfg") == 0 ||
	    strcmp(base, "extlinux.conf") == 0) {
		printf("corpus %s/%s: not a GRUB config (%s), skipped\n", name,
		    file, x.config);
		return -1;
	}
	/* GRUB's normal mode reads $prefix/grub.cfg first; Void's then
	 * sources the file EXPECTED names. */
	snprintf(start, sizeof(start), "/%s", x.config);
	slash = strrchr(start, '/');
	snprintf(slash + 1, sizeof(start) - (size_t)(slash + 1 - start),
	    "grub.cfg");
	snprintf(path, sizeof(path), "%s/%s%s", root, name, start);
	if (!file_exists(path))
		snprintf(start, sizeof(start), "/%s", x.config);
	snprintf(path, sizeof(path), "%s/%s", root, name);
	fs = ib_bootfs_open_dir(path, &err);
	ck_assert_msg(fs != NULL, "%s: %s", path, err.msg);
	m = ib_grub_parse(fs, start, platform, &err);
	ib_bootfs_close(fs);
	if (m == NULL) {
		printf("corpus %s/%s: MISMATCH: error %s\n", name, file,
		    err.msg);
		return 1;
	}
	bad = 0;
	e = ib_menu_default(m);
	if (e == NULL) {
		printf("corpus %s/%s: MISMATCH: no default\n", name, file);
		ib_menu_free(m);
		return 1;
	}
#define CMP(field, got, want)                                                  \
	do {                                                                   \
		if (strcmp((got) != NULL ? (got) : "", (want)) != 0) {         \
			printf("corpus %s/%s: MISMATCH %s: got '%s', want "    \
			       "'%s'\n",                                       \
			    name, file, field, (got) != NULL ? (got) : "",     \
			    (want));                                           \
			bad = 1;                                               \
		}                                                              \
	} while (0)
	/* the config the default entry was read from */
	n = strrchr(e->where, ':') != NULL ?
	    (size_t)(strrchr(e->where, ':') - e->where) :
	    strlen(e->where);
	snprintf(path, sizeof(path), "%.*s", (int)n, e->where);
	CMP("config", path, x.config);
	CMP("default_label", e->title, x.label);
	CMP("kernel", e->kernel, x.kernel);
	CMP("append", e->args, x.append);
	if (e->ninitrds != x.ninitrd) {
		printf("corpus %s/%s: MISMATCH: %zu initrds, want %zu\n", name,
		    file, e->ninitrds, x.ninitrd);
		bad = 1;
	} else
		for (size_t i = 0; i < x.ninitrd; i++)
			CMP("initrd", e->initrds[i], x.initrd[i]);
#undef CMP
	if (!bad)
		printf("corpus %s/%s (%s, from %s): match\n", name, file,
		    platform, start + 1);
	ib_menu_free(m);
	return bad;
}

/* Every EXPECTED.grub (BIOS) and EXPECTED.efi (UEFI) of the corpus. */
START_TEST(test_corpus)
{
	static const struct {
		const char *file, *platform;
	} kinds[] = { { "EXPECTED.grub", "pc" }, { "EXPECTED.efi", "efi" } };
	const char *shared;
	char root[4096], path[8400], **names;
	struct dirent *de;
	size_t n, cap;
	int checked, bad, rc;
	DIR *d;

	/* The corpus is in the repository: run from its top, as make
	 * check does, nothing is skipped. */
	shared = getenv("IB_SHARED");
	if (shared == NULL || shared[0] == '\0')
		shared = "fixtures";
	snprintf(root, sizeof(root), "%s/bootcfg", shared);
	d = opendir(root);
	ck_assert_msg(d != NULL, "%s: %s", root, strerror(errno));
	names = NULL;
	n = cap = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = realloc(names, cap * sizeof(*names));
			ck_assert_ptr_nonnull(names);
		}
		names[n] = strdup(de->d_name);
		ck_assert_ptr_nonnull(names[n]);
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	checked = bad = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			snprintf(path, sizeof(path), "%s/%s/%s", root, names[i],
			    kinds[k].file);
			if (!file_exists(path))
				continue;
			rc = check_expected(root, names[i], kinds[k].file,
			    kinds[k].platform);
			if (rc >= 0)
				checked++;
			if (rc == 1)
				bad++;
		}
		free(names[i]);
	}
	free(names);
	ck_assert_msg(checked > 0, "no GRUB answers in %s", root);
	ck_assert_msg(bad == 0, "%d of %d corpus answers differ (see above)",
	    bad, checked);
}
END_TEST

static Suite *
grub_suite(void)
{
	Suite *s = menu_suite("grub");

	/* 2.1 */
	add(s, "cr_dropped_everywhere", test_cr_dropped_everywhere);
	add(s, "comment_at_word_start", test_comment_at_word_start);
	add(s, "backslash_newline_continues", test_backslash_newline_continues);
	add(s, "line_over_64k_is_error", test_line_over_64k_is_error);
	add(s, "nul_byte_is_error", test_nul_byte_is_error);
	add(s, "token_at_end_overread", test_token_at_end_overread);
	add(s, "assignment_without_set", test_assignment_without_set);
	add(s, "metachar_is_syntax_error_skipped",
	    test_metachar_is_syntax_error_skipped);
	/* 2.2 */
	add(s, "unquoted_backslash_escape", test_unquoted_backslash_escape);
	add(s, "single_quotes_literal", test_single_quotes_literal);
	add(s, "double_quotes_escapes", test_double_quotes_escapes);
	add(s, "unquoted_var_split", test_unquoted_var_split);
	add(s, "empty_quoted_var_is_empty_argument",
	    test_empty_quoted_var_is_empty_argument);
	add(s, "submenu_sees_only_exported", test_submenu_sees_only_exported);
	add(s, "bodies_see_final_values", test_bodies_see_final_values);
	add(s, "dollar1_is_title", test_dollar1_is_title);
	add(s, "special_variables", test_special_variables);
	/* 2.3 */
	add(s, "entries_counted_when_executed",
	    test_entries_counted_when_executed);
	add(s, "default_number_strtoul_first",
	    test_default_number_strtoul_first);
	add(s, "default_title_and_id", test_default_title_and_id);
	add(s, "default_path_into_submenu", test_default_path_into_submenu);
	add(s, "default_submenu_boots_its_default",
	    test_default_submenu_boots_its_default);
	add(s, "default_unknown_or_out_of_range",
	    test_default_unknown_or_out_of_range);
	add(s, "default_saved", test_default_saved);
	add(s, "hiddenentry_not_counted", test_hiddenentry_not_counted);
	add(s, "menuentry_options", test_menuentry_options);
	add(s, "timeout_values", test_timeout_values);
	/* 2.4 */
	add(s, "initrds_in_order", test_initrds_in_order);
	add(s, "cmdline_requoted", test_cmdline_requoted);
	add(s, "device_prefix_stripped", test_device_prefix_stripped);
	add(s, "loader_variants", test_loader_variants);
	add(s, "initrd_before_linux_ignored", test_initrd_before_linux_ignored);
	add(s, "non_linux_entries", test_non_linux_entries);
	/* 2.5 */
	add(s, "platform_test", test_platform_test);
	add(s, "file_tests", test_file_tests);
	add(s, "string_test_true", test_string_test_true);
	add(s, "runtime_commands_assumed", test_runtime_commands_assumed);
	add(s, "search_sets_variable", test_search_sets_variable);
	add(s, "source_same_context", test_source_same_context);
	add(s, "configfile_replaces_menu", test_configfile_replaces_menu);
	add(s, "configfile_without_entries_continues",
	    test_configfile_without_entries_continues);
	add(s, "source_loop_is_error", test_source_loop_is_error);
	add(s, "source_deeper_than_16_is_error",
	    test_source_deeper_than_16_is_error);
	add(s, "source_missing_noted", test_source_missing_noted);
	add(s, "for_loop_and_functions", test_for_loop_and_functions);
	add(s, "for_wildcard_was_not_expanded",
	    test_for_wildcard_was_not_expanded);
	add(s, "wildcard_needs_regexp_and_no_quotes",
	    test_wildcard_needs_regexp_and_no_quotes);
	add(s, "regexp_sets_groups", test_regexp_sets_groups);
	add(s, "while_not_run", test_while_not_run);
	add(s, "unclosed_constructs_are_errors",
	    test_unclosed_constructs_are_errors);
	add(s, "stray_closer_skipped", test_stray_closer_skipped);
	/* hostile input */
	add(s, "nesting_limit", test_nesting_limit);
	tcase_set_timeout(
	    add(s, "recursion_and_step_limits", test_recursion_and_step_limits),
	    120);
	add(s, "hostile_snippets_no_crash", test_hostile_snippets_no_crash);
	add(s, "bad_arguments", test_bad_arguments);
	add(s, "truncated_file_read_as_missing",
	    test_truncated_file_read_as_missing);
	/* the corpus answers */
	add(s, "corpus", test_corpus);
	return s;
}

int
main(void)
{
	return tu_run(grub_suite());
}
