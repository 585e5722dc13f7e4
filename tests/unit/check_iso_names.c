/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_iso_names: Joliet UTF-16BE names to UTF-8, plain ECMA-119 names,
 * and the names no path can hold.
 * Each input is copied into an exactly-sized malloc and each output buffer
 * is one too, so that ASan sees a one-byte over-read or overflow.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "iso_names.h"
#include "testutil.h"

/* Name bytes in an exactly-sized buffer (never NULL, even for 0 bytes). */
static unsigned char *
dup_in(const void *p, size_t len)
{
	unsigned char *b = malloc(len > 0 ? len : 1);

	ck_assert_ptr_nonnull(b);
	if (len > 0)
		memcpy(b, p, len);
	return b;
}

/* ASCII text as UTF-16BE in an exactly-sized buffer; *len gets its size. */
static unsigned char *
ucs2(const char *s, size_t *len)
{
	size_t n = strlen(s), i;
	unsigned char *b = malloc(n > 0 ? 2 * n : 1);

	ck_assert_ptr_nonnull(b);
	for (i = 0; i < n; i++) {
		b[2 * i] = 0;
		b[2 * i + 1] = (unsigned char)s[i];
	}
	*len = 2 * n;
	return b;
}

typedef int (*name_fn)(const unsigned char *, size_t, char *, size_t);

/*
 * Decode in[0..len) with fn into an exactly-sized output of outsz bytes.
 * On success the result must equal want (want_len bytes, may hold a NUL);
 * want == NULL expects -1.
 */
static void
expect_name(name_fn fn, const void *in, size_t len, size_t outsz,
    const char *want, size_t want_len)
{
	unsigned char *b = dup_in(in, len);
	char *out = malloc(outsz > 0 ? outsz : 1);
	int n;

	ck_assert_ptr_nonnull(out);
	n = fn(b, len, out, outsz);
	if (want == NULL) {
		ck_assert_msg(n == -1, "outsz %zu: got %d, expected -1", outsz,
		    n);
	} else {
		ck_assert_msg(n >= 0, "outsz %zu: got -1, expected '%s'", outsz,
		    want);
		ck_assert_uint_eq((size_t)n, want_len);
		ck_assert_uint_lt((size_t)n, outsz);
		ck_assert_mem_eq(out, want, want_len);
		ck_assert_int_eq(out[n], '\0');
	}
	free(out);
	free(b);
}

/* Joliet: in as bytes, result want (a C string), out of 256 bytes. */
static void
joliet(const void *in, size_t len, const char *want)
{
	expect_name(ib_iso_name_joliet, in, len, 256, want, strlen(want));
}

static void
joliet_ascii(const char *s, const char *want)
{
	size_t len;
	unsigned char *b = ucs2(s, &len);

	joliet(b, len, want);
	free(b);
}

static void
iso(const char *in, size_t outsz, const char *want)
{
	expect_name(ib_iso_name_9660, in, strlen(in), outsz, want,
	    want != NULL ? strlen(want) : 0);
}

START_TEST(test_joliet_ascii)
{
	joliet_ascii("vmlinuz", "vmlinuz");
	joliet_ascii("Boot Loader.cfg", "Boot Loader.cfg");
	/* Case is kept. */
	joliet_ascii("ReadMe.TXT", "ReadMe.TXT");
	joliet("", 0, "");
}
END_TEST

/* Non-ASCII in the BMP: exact UTF-8 bytes, 2 and 3 bytes long. */
START_TEST(test_joliet_bmp)
{
	/* U+65E5 U+672C U+8A9E */
	static const unsigned char nihongo[] = { 0x65, 0xe5, 0x67, 0x2c, 0x8a,
		0x9e };
	/* U+00E9 U+00DF ".txt" */
	static const unsigned char latin[] = { 0x00, 0xe9, 0x00, 0xdf, 0x00,
		'.', 0x00, 't', 0x00, 'x', 0x00, 't' };
	/* U+FFFF, the last BMP code point; U+0080, the first 2-byte one;
	 * U+07FF, the last; U+0800, the first 3-byte one. */
	static const unsigned char edges[] = { 0xff, 0xff, 0x00, 0x80, 0x07,
		0xff, 0x08, 0x00 };

	joliet(nihongo, sizeof(nihongo),
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	joliet(latin, sizeof(latin), "\xc3\xa9\xc3\x9f.txt");
	joliet(edges, sizeof(edges),
	    "\xef\xbf\xbf\xc2\x80\xdf\xbf\xe0\xa0\x80");
}
END_TEST

/* U+1F600 as the pair D83D DE00 is one 4-byte sequence. */
START_TEST(test_joliet_surrogate_pair)
{
	static const unsigned char smile[] = { 0xd8, 0x3d, 0xde, 0x00 };
	static const unsigned char mixed[] = { 0x00, 'a', 0xd8, 0x3d, 0xde,
		0x00, 0x00, 'b' };
	/* U+10FFFF, the last code point: DBFF DFFF. */
	static const unsigned char last[] = { 0xdb, 0xff, 0xdf, 0xff };

	joliet(smile, sizeof(smile), "\xf0\x9f\x98\x80");
	joliet(mixed, sizeof(mixed),
	    "a\xf0\x9f\x98\x80"
	    "b");
	joliet(last, sizeof(last), "\xf4\x8f\xbf\xbf");
}
END_TEST

/* Unpaired surrogates become U+FFFD (EF BF BD), not CESU-8 bytes. */
START_TEST(test_joliet_unpaired_surrogate)
{
	/* High surrogate D83D followed by 'A', not by a low one. */
	static const unsigned char high_then_a[] = { 0xd8, 0x3d, 0x00, 'A' };
	/* High surrogate as the last unit. */
	static const unsigned char high_last[] = { 0x00, 'A', 0xd8, 0x3d };
	/* A low surrogate DE00 on its own. */
	static const unsigned char low_alone[] = { 0xde, 0x00, 0x00, 'A' };
	/* Two high surrogates, then a low one: the second pairs. */
	static const unsigned char high_high_low[] = { 0xd8, 0x3d, 0xd8, 0x3d,
		0xde, 0x00 };
	/* Low before high: both unpaired. */
	static const unsigned char low_high[] = { 0xde, 0x00, 0xd8, 0x3d };

	joliet(high_then_a, sizeof(high_then_a),
	    "\xef\xbf\xbd"
	    "A");
	joliet(high_last, sizeof(high_last), "A\xef\xbf\xbd");
	joliet(low_alone, sizeof(low_alone),
	    "\xef\xbf\xbd"
	    "A");
	joliet(high_high_low, sizeof(high_high_low),
	    "\xef\xbf\xbd\xf0\x9f\x98\x80");
	joliet(low_high, sizeof(low_high), "\xef\xbf\xbd\xef\xbf\xbd");
}
END_TEST

/* An odd byte count: the last lone byte becomes U+FFFD. */
START_TEST(test_joliet_odd_length)
{
	static const unsigned char odd[] = { 0x00, 'A', 0x00 };
	/* A high surrogate cut in the middle of its low one. */
	static const unsigned char cut_pair[] = { 0xd8, 0x3d, 0xde };

	joliet(odd, sizeof(odd), "A\xef\xbf\xbd");
	joliet(odd, 1, "\xef\xbf\xbd");
	joliet(cut_pair, sizeof(cut_pair), "\xef\xbf\xbd\xef\xbf\xbd");
}
END_TEST

/* ";1" (any ";digits") and trailing dots are dropped, as Linux does. */
START_TEST(test_joliet_version_and_dots)
{
	joliet_ascii("README.TXT;1", "README.TXT");
	joliet_ascii("file;12", "file");
	joliet_ascii("NAME.;1", "NAME");
	joliet_ascii("name...", "name");
	joliet_ascii("a.b.", "a.b");
	/* Not a version: kept. */
	joliet_ascii("a;b", "a;b");
	joliet_ascii("v1.2", "v1.2");
	/* A name of dots keeps its first one. */
	joliet_ascii("..", ".");
}
END_TEST

/* NFC U+00E9 and NFD U+0065 U+0301 stay two different names. */
START_TEST(test_joliet_no_normalisation)
{
	static const unsigned char nfc[] = { 0x00, 0xe9 };
	static const unsigned char nfd[] = { 0x00, 0x65, 0x03, 0x01 };
	char a[16], b[16];
	int na, nb;

	na = ib_iso_name_joliet(nfc, sizeof(nfc), a, sizeof(a));
	nb = ib_iso_name_joliet(nfd, sizeof(nfd), b, sizeof(b));
	ck_assert_int_eq(na, 2);
	ck_assert_int_eq(nb, 3);
	ck_assert_mem_eq(a, "\xc3\xa9", 2);
	ck_assert_mem_eq(b, "e\xcc\x81", 3);
	ck_assert_str_ne(a, b);
}
END_TEST

/*
 * U+0000 and U+002F are passed on and counted in the length, so that the
 * caller (isowalk's name_problem) sees them and refuses the name rather
 * than extracting a truncated or multi-component one.
 */
START_TEST(test_joliet_nul_and_slash_kept)
{
	static const unsigned char nul[] = { 0x00, 'a', 0x00, 0x00, 0x00, 'b' };
	static const unsigned char slash[] = { 0x00, '.', 0x00, '.', 0x00, '/',
		0x00, 'x' };

	expect_name(ib_iso_name_joliet, nul, sizeof(nul), 16, "a\0b", 3);
	expect_name(ib_iso_name_joliet, slash, sizeof(slash), 16, "../x", 4);
}
END_TEST

/*
 * Output buffers of every size: -1 while too small, never a byte written
 * past outsz (exactly-sized malloc), and success as soon as the name and
 * its NUL fit: "ABCD" fits in 5 bytes, 日本 (6 bytes of UTF-8) in 7, U+1F600
 * in 5.
 */
START_TEST(test_joliet_out_too_small)
{
	static const unsigned char nihon[] = { 0x65, 0xe5, 0x67, 0x2c };
	static const unsigned char smile[] = { 0xd8, 0x3d, 0xde, 0x00 };
	unsigned char *abcd;
	size_t len, outsz;

	abcd = ucs2("ABCD", &len);
	for (outsz = 0; outsz < 5; outsz++)
		expect_name(ib_iso_name_joliet, abcd, len, outsz, NULL, 0);
	for (outsz = 0; outsz < 7; outsz++)
		expect_name(ib_iso_name_joliet, nihon, sizeof(nihon), outsz,
		    NULL, 0);
	for (outsz = 0; outsz < 5; outsz++)
		expect_name(ib_iso_name_joliet, smile, sizeof(smile), outsz,
		    NULL, 0);
	expect_name(ib_iso_name_joliet, abcd, len, 64, "ABCD", 4);
	expect_name(ib_iso_name_joliet, abcd, len, 5, "ABCD", 4);
	expect_name(ib_iso_name_joliet, nihon, sizeof(nihon), 7,
	    "\xe6\x97\xa5\xe6\x9c\xac", 6);
	expect_name(ib_iso_name_joliet, smile, sizeof(smile), 5,
	    "\xf0\x9f\x98\x80", 4);
	free(abcd);
}
END_TEST

/* An empty name into a 0-byte buffer: no terminator may be written. */
START_TEST(test_joliet_empty_into_zero)
{
	static const unsigned char none[1] = { 0 };
	char out[2] = { 'X', 'X' };

	ck_assert_int_eq(ib_iso_name_joliet(none, 0, out, 0), -1);
	ck_assert_int_eq(out[0], 'X');
	ck_assert_int_eq(ib_iso_name_joliet(none, 0, out, 1), 0);
	ck_assert_int_eq(out[0], '\0');
}
END_TEST

START_TEST(test_iso9660_version)
{
	iso("README.TXT;1", 64, "README.TXT");
	iso("KERNEL;32767", 64, "KERNEL");
	/* ECMA-119 7.5.1: "NAME.;1" is the file "NAME". */
	iso("NAME.;1", 64, "NAME");
	iso("NAME.", 64, "NAME");
	/* Without a version the name is unchanged. */
	iso("ISOLINUX.BIN", 64, "ISOLINUX.BIN");
	iso("BOOT", 64, "BOOT");
	/* Only one final dot goes. */
	iso("A..;1", 64, "A.");
	/* ';' followed by a non-digit is no version. */
	iso("A;B", 64, "A;B");
}
END_TEST

/* Case is kept: no lowercasing as Linux's map=normal does. */
START_TEST(test_iso9660_case_kept)
{
	iso("README.TXT;1", 64, "README.TXT");
	iso("MixedCase.c;1", 64, "MixedCase.c");
	iso("lower.txt", 64, "lower.txt");
}
END_TEST

/* Output too small: -1, nothing written past outsz (exact malloc). Sizes
 * 11 and 12 would hold "README.TXT" but not the identifier as recorded;
 * the header leaves them open, so they are not tested. */
START_TEST(test_iso9660_out_too_small)
{
	size_t outsz;

	for (outsz = 0; outsz <= 10; outsz++)
		iso("README.TXT;1", outsz, NULL);
	iso("README.TXT;1", 13, "README.TXT");
	for (outsz = 0; outsz <= 4; outsz++)
		iso("BOOT", outsz, NULL);
	iso("BOOT", 5, "BOOT");
}
END_TEST

/* name_problem: each name no path component can be, and the names at the
 * edges that can; the bytes in an exactly-sized buffer, never read past
 * len ("a/b" is checked as its first byte alone: "a"). */
START_TEST(test_name_problem)
{
	static const struct {
		const char *name;
		size_t len;
		const char *want;
	} cases[] = {
		{ "", 0, "empty name" },
		{ "a\0b", 3, "name contains a NUL byte" },
		{ "a/b", 3, "name contains '/'" },
		{ "a/b", 1, NULL },
		{ ".", 1, "name is '.' or '..'" },
		{ "..", 2, "name is '.' or '..'" },
		{ "...", 3, NULL },
		{ ".a", 2, NULL },
		{ "\xc3\xa9 \xe6\x97\xa5", 6, NULL },
	};
	char name[257];
	unsigned char *b;
	const char *got;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b = dup_in(cases[i].name, cases[i].len);
		got = ib_iso_name_problem((const char *)b, cases[i].len);
		free(b);
		if (cases[i].want == NULL)
			ck_assert_msg(got == NULL, "case %zu: %s", i, got);
		else
			ck_assert_str_eq(got, cases[i].want);
	}
	memset(name, 'x', sizeof(name));
	b = dup_in(name, 255);
	ck_assert_ptr_null(ib_iso_name_problem((const char *)b, 255));
	free(b);
	b = dup_in(name, 256);
	ck_assert_str_eq(ib_iso_name_problem((const char *)b, 256),
	    "name longer than 255 bytes");
	free(b);
}
END_TEST

static Suite *
iso_names_suite(void)
{
	Suite *s = suite_create("iso_names");

	tu_add(s, "joliet_ascii", test_joliet_ascii);
	tu_add(s, "joliet_bmp", test_joliet_bmp);
	tu_add(s, "joliet_surrogate_pair", test_joliet_surrogate_pair);
	tu_add(s, "joliet_unpaired_surrogate", test_joliet_unpaired_surrogate);
	tu_add(s, "joliet_odd_length", test_joliet_odd_length);
	tu_add(s, "joliet_version_and_dots", test_joliet_version_and_dots);
	tu_add(s, "joliet_no_normalisation", test_joliet_no_normalisation);
	tu_add(s, "joliet_nul_and_slash_kept", test_joliet_nul_and_slash_kept);
	tu_add(s, "joliet_out_too_small", test_joliet_out_too_small);
	tu_add(s, "joliet_empty_into_zero", test_joliet_empty_into_zero);
	tu_add(s, "iso9660_version", test_iso9660_version);
	tu_add(s, "iso9660_case_kept", test_iso9660_case_kept);
	tu_add(s, "iso9660_out_too_small", test_iso9660_out_too_small);
	tu_add(s, "name_problem", test_name_problem);
	return s;
}

int
main(void)
{
	return tu_run(iso_names_suite());
}
