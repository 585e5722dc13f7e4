/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_strbuf: the bounded growing string (limits, formatting, taking)
 * and its JSON string writer, which must turn any bytes into valid JSON
 * (RFC 8259: escapes for '"', '\' and controls; U+FFFD for bytes that
 * are not UTF-8, overlong forms and surrogates included).
 */
#include <string.h>

#include <check.h>

#include "strbuf.h"
#include "testutil.h"

static char *
json_of(const char *s)
{
	ib_strbuf b = { 0 };
	ib_err err;
	char *out;

	ck_assert_int_eq(ib_strbuf_add_json(&b, s, &err), 0);
	out = ib_strbuf_take(&b, &err);
	ck_assert_ptr_nonnull(out);
	return out;
}

#define expect_json(in, want)                                                  \
	do {                                                                   \
		char *j_ = json_of(in);                                        \
		ck_assert_msg(strcmp(j_, (want)) == 0,                         \
		    "json of '%s' is '%s', expected '%s'", (in), j_, (want));  \
		free(j_);                                                      \
	} while (0)

START_TEST(test_add_and_take)
{
	ib_strbuf b = { 0 };
	ib_err err;
	char *s;

	s = ib_strbuf_take(&b, &err);
	ck_assert_str_eq(s, "");
	free(s);
	ck_assert_int_eq(ib_strbuf_adds(&b, "ab", &err), 0);
	ck_assert_int_eq(ib_strbuf_addc(&b, 'c', &err), 0);
	ck_assert_int_eq(ib_strbuf_addf(&b, &err, "-%d-%s", 42, "x"), 0);
	ck_assert_uint_eq(b.len, 8);
	s = ib_strbuf_take(&b, &err);
	ck_assert_str_eq(s, "abc-42-x");
	ck_assert_ptr_null(b.s);
	ck_assert_uint_eq(b.len, 0);
	free(s);
}
END_TEST

/* Long formatted text goes through the heap path, whole. */
START_TEST(test_addf_long)
{
	ib_strbuf b = { 0 };
	char big[5000];
	ib_err err;

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(ib_strbuf_addf(&b, &err, "<%s>", big), 0);
	ck_assert_uint_eq(b.len, sizeof(big) + 1);
	ck_assert_int_eq(b.s[0], '<');
	ck_assert_int_eq(b.s[b.len - 1], '>');
	ib_strbuf_release(&b);
}
END_TEST

START_TEST(test_max)
{
	ib_strbuf b = { 0 };
	ib_err err;

	b.max = 4;
	ck_assert_int_eq(ib_strbuf_adds(&b, "abcd", &err), 0);
	ck_assert_int_eq(ib_strbuf_addc(&b, 'e', &err), -1);
	ck_assert_int_eq(err.code, IB_ELIMIT);
	ck_assert_str_eq(b.s, "abcd");
	ck_assert_int_eq(ib_strbuf_addf(&b, &err, "%s", "x"), -1);
	ib_strbuf_release(&b);
	ck_assert_ptr_null(b.s);
}
END_TEST

START_TEST(test_json_plain_and_escapes)
{
	ib_strbuf b = { 0 };
	ib_err err;

	expect_json("", "\"\"");
	expect_json("vmlinuz-virt", "\"vmlinuz-virt\"");
	expect_json("a\"b\\c", "\"a\\\"b\\\\c\"");
	expect_json("l1\nl2\tx", "\"l1\\nl2\\tx\"");
	expect_json("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	ck_assert_int_eq(ib_strbuf_add_json(&b, NULL, &err), 0);
	ck_assert_str_eq(b.s, "null");
	ib_strbuf_release(&b);
}
END_TEST

START_TEST(test_json_utf8)
{
	/* valid sequences of every length pass through */
	expect_json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7",
	    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7\"");
	/* a lone continuation byte, a Latin-1 byte, a cut sequence */
	expect_json("\x80", "\"\\ufffd\"");
	expect_json("a\xe9z", "\"a\\ufffdz\"");
	expect_json("\xe2\x82", "\"\\ufffd\\ufffd\"");
	/* overlong '/', a UTF-16 surrogate, past U+10FFFF */
	expect_json("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	expect_json("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	expect_json("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}
END_TEST

static Suite *
strbuf_suite(void)
{
	Suite *s = suite_create("strbuf");

	tu_add(s, "add_and_take", test_add_and_take);
	tu_add(s, "addf_long", test_addf_long);
	tu_add(s, "max", test_max);
	tu_add(s, "json_plain_and_escapes", test_json_plain_and_escapes);
	tu_add(s, "json_utf8", test_json_utf8);
	return s;
}

int
main(void)
{
	return tu_run(strbuf_suite());
}
