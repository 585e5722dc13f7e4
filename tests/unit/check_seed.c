/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_seed: the NoCloud seed's YAML quoting (no name can add a key or
 * a line to the user-data), the public key check (a private key refused,
 * a key whose data is not its type refused), the user-data check, the
 * instance-id following the user-data, and the volume's bytes the same
 * for the same inputs in any time zone.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "seed.h"
#include "testutil.h"

#define ED25519                                                                \
	"ssh-ed25519 "                                                         \
	"AAAAC3NzaC1lZDI1NTE5AAAAIAeoKoF8Y3HFnevBOBS4XDjEUaLUh3FBsVRn/"        \
	"mlKFeRM test@isoboot"

static char *
quoted(const char *s)
{
	ib_strbuf b = { 0 };
	ib_err err;
	char *out;

	ck_assert_int_eq(ib_seed_yaml_quote(&b, s, &err), 0);
	out = ib_strbuf_take(&b, &err);
	ck_assert_ptr_nonnull(out);
	return out;
}

#define expect_quote(in, want)                                                 \
	do {                                                                   \
		char *q_ = quoted(in);                                         \
		ck_assert_msg(strcmp(q_, (want)) == 0,                         \
		    "quote of '%s' is '%s', expected '%s'", (in), q_, (want)); \
		free(q_);                                                      \
	} while (0)

START_TEST(test_yaml_quote)
{
	expect_quote("alice", "\"alice\"");
	expect_quote("", "\"\"");
	/* YAML's indicators are only text inside double quotes. */
	expect_quote("a: b # c", "\"a: b # c\"");
	expect_quote("- [x, {y: z}] &a *b !t |>%@`'",
	    "\"- [x, {y: z}] &a *b !t |>%@`'\"");
	expect_quote("say \"hi\" \\o/", "\"say \\\"hi\\\" \\\\o/\"");
	/* control characters as \x escapes, never raw */
	expect_quote("a\nb\tc\x7f", "\"a\\x0ab\\x09c\\x7f\"");
	/* NEL, LS, PS: YAML 1.1 line breaks */
	expect_quote("a\xc2\x85"
	             "b\xe2\x80\xa8"
	             "c\xe2\x80\xa9",
	    "\"a\\Nb\\Lc\\P\"");
	expect_quote("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}
END_TEST

START_TEST(test_name_check)
{
	ib_err err;

	ck_assert_int_eq(ib_seed_name_check("user", "al ice: x", &err), 0);
	tu_expect_err(ib_seed_name_check("user", "alice\nroot", &err), &err,
	    EINVAL, "user: contains a line break");
	tu_expect_err(ib_seed_name_check("hostname", "h\r", &err), &err, EINVAL,
	    "line break");
	tu_expect_err(ib_seed_name_check("user", "a\x1b[2J", &err), &err,
	    EINVAL, "control character");
	tu_expect_err(ib_seed_name_check("user", "", &err), &err, EINVAL,
	    "user: empty");
}
END_TEST

START_TEST(test_user_data_injection)
{
	ib_seed_opts o = { 0 };
	ib_err err;
	char *ud;

	/* A user name that would add a key if written raw. */
	o.user = "eve\", \"sudo\": \"ALL";
	o.hostname = "h: x";
	o.key = ED25519;
	ud = ib_seed_user_data_new(&o, &err);
	ck_assert_ptr_nonnull(ud);
	ck_assert_ptr_nonnull(
	    strstr(ud, "  - name: \"eve\\\", \\\"sudo\\\": \\\"ALL\"\n"));
	ck_assert_ptr_nonnull(strstr(ud, "hostname: \"h: x\"\n"));
	ck_assert_msg(strncmp(ud, "#cloud-config\n", 14) == 0, "%s", ud);
	free(ud);
	o.user = "eve\n  - name: root";
	ck_assert_ptr_null(ib_seed_user_data_new(&o, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "line break"));
}
END_TEST

START_TEST(test_key_parse)
{
	static const char priv[] =
	    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
	    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
	    "-----END OPENSSH PRIVATE KEY-----\n";
	static const char rsa_priv[] = "-----BEGIN RSA PRIVATE KEY-----\nMII\n";
	ib_err err;
	char *k;

	k = ib_seed_key_parse(ED25519 "\n", strlen(ED25519) + 1, &err);
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k, ED25519);
	free(k);
	tu_expect_err(ib_seed_key_parse(priv, strlen(priv), &err) == NULL ? -1 :
	                                                                    0,
	    &err, IB_EFORMAT, "a private key, refused");
	tu_expect_err(
	    ib_seed_key_parse(rsa_priv, strlen(rsa_priv), &err) == NULL ? -1 :
	                                                                  0,
	    &err, IB_EFORMAT, "private key");
	tu_expect_err(
	    ib_seed_key_parse("hello world\n", 12, &err) == NULL ? -1 : 0, &err,
	    IB_EFORMAT, "does not start with ssh-ed25519");
	/* the blob of an ed25519 key labelled ssh-rsa */
	tu_expect_err(ib_seed_key_parse("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAA x",
	                  33, &err) == NULL ?
	        -1 :
	        0,
	    &err, IB_EFORMAT, "not of its type");
	tu_expect_err(ib_seed_key_parse("ssh-ed25519 not-base64!", 23, &err) ==
	            NULL ?
	        -1 :
	        0,
	    &err, IB_EFORMAT, "no base64 key");
	tu_expect_err(ib_seed_key_parse(ED25519 "\n" ED25519,
	                  2 * strlen(ED25519) + 1, &err) == NULL ?
	        -1 :
	        0,
	    &err, IB_EFORMAT, "more than one line");
}
END_TEST

START_TEST(test_user_data_check)
{
	ib_err err;

	ck_assert_int_eq(
	    ib_seed_user_data_check("#cloud-config\na: 1\n", 19, &err), 0);
	ck_assert_int_eq(ib_seed_user_data_check("#!/bin/sh\n", 10, &err), 0);
	tu_expect_err(ib_seed_user_data_check("#cloud-configX\n", 15, &err),
	    &err, IB_EFORMAT, "not a cloud-config");
	tu_expect_err(ib_seed_user_data_check("users: []\n", 10, &err), &err,
	    IB_EFORMAT, "nor a script");
	tu_expect_err(ib_seed_user_data_check("#!/bin/sh\0x", 11, &err), &err,
	    IB_EFORMAT, "NUL");
}
END_TEST

START_TEST(test_instance_id_follows_user_data)
{
	ib_seed_opts o = { 0 };
	char *ud1, *ud2, *md1, *md1b, *md2;
	ib_err err;

	o.user = "alice";
	o.hostname = "vm";
	o.key = ED25519;
	o.user_data = "#!/bin/sh\necho 1\n";
	o.user_data_len = strlen(o.user_data);
	ud1 = ib_seed_user_data_new(&o, &err);
	ck_assert_ptr_nonnull(ud1);
	ck_assert_ptr_nonnull(strstr(ud1, "Content-Type: text/x-shellscript"));
	md1 = ib_seed_meta_data_new(&o, ud1, &err);
	md1b = ib_seed_meta_data_new(&o, ud1, &err);
	ck_assert_str_eq(md1, md1b);
	o.user_data = "#!/bin/sh\necho 2\n";
	ud2 = ib_seed_user_data_new(&o, &err);
	md2 = ib_seed_meta_data_new(&o, ud2, &err);
	ck_assert_str_ne(md1, md2);
	ck_assert_ptr_nonnull(strstr(md2, "local-hostname: \"vm\"\n"));
	free(ud1);
	free(ud2);
	free(md1);
	free(md1b);
	free(md2);
}
END_TEST

START_TEST(test_image_reproducible)
{
	ib_seed_opts o = { 0 };
	unsigned char *a, *b;
	size_t na, nb;
	ib_err err;

	o.user = "alice";
	o.hostname = "vm";
	o.key = ED25519;
	setenv("TZ", "UTC", 1);
	tzset();
	ck_assert_int_eq(ib_seed_image_new(&o, &a, &na, &err), 0);
	/* Another zone, a second later: libarchive's dates differ. */
	sleep(1);
	setenv("TZ", "America/St_Johns", 1);
	tzset();
	ck_assert_int_eq(ib_seed_image_new(&o, &b, &nb, &err), 0);
	ck_assert_uint_eq(na, nb);
	ck_assert_msg(memcmp(a, b, na) == 0, "the seeds differ");
	ck_assert_int_eq(memcmp(a + 16 * 2048 + 40, "CIDATA", 6) == 0 ||
	        memcmp(a + 16 * 2048 + 40, "cidata", 6) == 0,
	    1);
	free(a);
	free(b);
}
END_TEST

static Suite *
seed_suite(void)
{
	Suite *s = suite_create("seed");

	tu_add(s, "yaml_quote", test_yaml_quote);
	tu_add(s, "name_check", test_name_check);
	tu_add(s, "user_data_injection", test_user_data_injection);
	tu_add(s, "key_parse", test_key_parse);
	tu_add(s, "user_data_check", test_user_data_check);
	tu_add(s, "instance_id_follows_user_data",
	    test_instance_id_follows_user_data);
	tu_add(s, "image_reproducible", test_image_reproducible);
	return s;
}

int
main(void)
{
	return tu_run(seed_suite());
}
