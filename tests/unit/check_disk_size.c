/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_disk_size: mkdisk's SIZE with mkfile's rules. Every unit and
 * spelling gives its exact byte count; every bad size fails with a
 * message that names the value (and the nearest valid sizes when it is
 * not whole sectors), never a wrong number.
 */
#include <stdint.h>
#include <string.h>

#include <check.h>

#include "disk_size.h"
#include "testutil.h"

static const struct {
	const char *in;
	uint64_t bytes;
} good[] = {
	/* mkfile(8)'s examples and units: b k m g */
	{ "1g", UINT64_C(1073741824) },
	{ "10m", UINT64_C(10485760) },
	{ "512", 512 },
	{ "1b", 512 },
	{ "2048b", UINT64_C(1048576) },
	{ "1k", 1024 },
	{ "100k", 102400 },
	{ "1m", UINT64_C(1048576) },
	{ "1t", UINT64_C(1099511627776) },
	/* case-insensitive, IEC spellings */
	{ "1G", UINT64_C(1073741824) },
	{ "1B", 512 },
	{ "4K", 4096 },
	{ "2M", UINT64_C(2097152) },
	{ "3T", UINT64_C(3298534883328) },
	{ "1KiB", 1024 },
	{ "1kib", 1024 },
	{ "1MiB", UINT64_C(1048576) },
	{ "1GiB", UINT64_C(1073741824) },
	{ "1gib", UINT64_C(1073741824) },
	{ "1TiB", UINT64_C(1099511627776) },
	{ "+8g", UINT64_C(8589934592) },
	{ "0008g", UINT64_C(8589934592) },
	/* plain bytes */
	{ "1073741824", UINT64_C(1073741824) },
	{ "1024", 1024 },
	/* decimals that are whole bytes and sectors */
	{ "1.5g", UINT64_C(1610612736) },
	{ "1.50G", UINT64_C(1610612736) },
	{ "0.5k", 512 },
	{ "0.25m", UINT64_C(262144) },
	{ "1.5k", 1536 },
	{ ".5k", 512 },
	{ "1.000000000000000000000g", UINT64_C(1073741824) },
	/* the largest */
	{ "8388607t", UINT64_C(9223370937343148032) },
	{ "9223372036854775296", UINT64_C(9223372036854775296) },
};

START_TEST(test_good)
{
	uint64_t size;
	ib_err err;

	ck_assert_msg(ib_disk_size_parse(good[_i].in, &size, &err) == 0,
	    "'%s' refused: %s", good[_i].in, err.msg);
	ck_assert_msg(size == good[_i].bytes, "'%s' is %llu, expected %llu",
	    good[_i].in, (unsigned long long)size,
	    (unsigned long long)good[_i].bytes);
}
END_TEST

static const struct {
	const char *in;
	int code;
	const char *says; /* a piece of the message */
} bad[] = {
	{ "0", IB_ELIMIT, "zero" },
	{ "0g", IB_ELIMIT, "zero" },
	{ "0.0k", IB_ELIMIT, "zero" },
	{ "-1g", IB_EFORMAT, "negative" },
	{ "-0", IB_EFORMAT, "negative" },
	{ "", IB_EFORMAT, "not a number" },
	{ "g", IB_EFORMAT, "not a number" },
	{ "one", IB_EFORMAT, "not a number" },
	{ " 1g", IB_EFORMAT, "not a number" },
	{ "1g ", IB_EFORMAT, "unknown unit 'g '" },
	{ "1x", IB_EFORMAT, "unknown unit 'x'" },
	{ "1gg", IB_EFORMAT, "unknown unit 'gg'" },
	{ "1p", IB_EFORMAT, "unknown unit 'p'" },
	{ "1e9", IB_EFORMAT, "unknown unit 'e9'" },
	{ "0x100", IB_EFORMAT, "unknown unit 'x100'" },
	{ "1GB", IB_EFORMAT, "write g (or GiB)" },
	{ "1kb", IB_EFORMAT, "write k (or KiB)" },
	{ "1.g", IB_EFORMAT, "no digits after the decimal point" },
	{ "1.5", IB_ELIMIT, "not a whole number of bytes" },
	{ "1.3k", IB_ELIMIT, "not a whole number of bytes" },
	{ "0.1b", IB_ELIMIT, "not a whole number of bytes" },
	{ "1.0000000000000000000001g", IB_ELIMIT,
	    "not a whole number of bytes" },
	{ "1000", IB_ELIMIT, "use 512 or 1024 (1k)" },
	{ "1", IB_ELIMIT, "less than one 512-byte sector: use 512" },
	{ "511", IB_ELIMIT, "use 512" },
	{ "513", IB_ELIMIT, "use 512 or 1024 (1k)" },
	{ "1.1k", IB_ELIMIT, "not a whole number of bytes" },
	{ "1.25k", IB_ELIMIT, "1280 bytes" },
	{ "99999999999999999999g", IB_ELIMIT, "too large" },
	{ "99999999999999999999", IB_ELIMIT, "too large" },
	{ "8388608t", IB_ELIMIT, "too large" },
	{ "8192p", IB_EFORMAT, "unknown unit" },
	{ "9223372036854775807", IB_ELIMIT,
	    "too large (at most 9223372036854775296 bytes)" },
	{ "18446744073709551615", IB_ELIMIT, "too large" },
	{ "8388607.9999999t", IB_ELIMIT, "not a whole number" },
};

START_TEST(test_bad)
{
	uint64_t size;
	ib_err err;

	size = 12345;
	ib_err_clear(&err);
	ck_assert_msg(ib_disk_size_parse(bad[_i].in, &size, &err) == -1,
	    "'%s' accepted as %llu", bad[_i].in, (unsigned long long)size);
	ck_assert_uint_eq(size, 12345);
	ck_assert_msg(err.code == bad[_i].code, "'%s': code %d, expected %d",
	    bad[_i].in, err.code, bad[_i].code);
	ck_assert_msg(strstr(err.msg, bad[_i].says) != NULL,
	    "'%s': message '%s' does not say '%s'", bad[_i].in, err.msg,
	    bad[_i].says);
	/* The message names the value as given. */
	if (bad[_i].in[0] != '\0') {
		char quoted[64];

		snprintf(quoted, sizeof(quoted), "'%s'", bad[_i].in);
		ck_assert_msg(strstr(err.msg, quoted) != NULL,
		    "'%s': message '%s' does not name it", bad[_i].in, err.msg);
	}
}
END_TEST

/* Every accepted size is a multiple of 512 and round-trips through
 * ib_disk_size_format. */
START_TEST(test_format_round_trip)
{
	static const uint64_t sizes[] = { 512, 1024, 1536, 3072,
		UINT64_C(1) << 30, (UINT64_C(1) << 30) + 512,
		UINT64_C(1610612736), UINT64_C(1) << 40, IB_DISK_MAX_SIZE };
	char buf[24];
	uint64_t back;
	ib_err err;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ib_disk_size_format(sizes[i], buf, sizeof(buf));
		ck_assert_msg(ib_disk_size_parse(buf, &back, &err) == 0,
		    "'%s' refused: %s", buf, err.msg);
		ck_assert_msg(back == sizes[i], "%s -> %llu", buf,
		    (unsigned long long)back);
	}
	ib_disk_size_format(UINT64_C(1) << 30, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1g");
	ib_disk_size_format(UINT64_C(1610612736), buf, sizeof(buf));
	ck_assert_str_eq(buf, "1536m");
	ib_disk_size_format(1536, buf, sizeof(buf));
	ck_assert_str_eq(buf, "3b");
	ib_disk_size_format(1000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1000");
}
END_TEST

static Suite *
disk_size_suite(void)
{
	Suite *s = suite_create("disk_size");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_good, 0, sizeof(good) / sizeof(good[0]));
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_format_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(disk_size_suite());
}
