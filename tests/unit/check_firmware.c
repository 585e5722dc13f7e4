/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_firmware: where qemu's UEFI firmware is found (beside the qemu on
 * PATH, through a Homebrew-style bin/ link into the Cellar; the template
 * beside a --bootrom by its family's name), the places named when it is
 * not, and the VM's variable store made once and never replaced.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "firmware.h"
#include "testutil.h"

static char top[4096];

static void
setup(void)
{
	tu_mkdtemp(top, sizeof(top), "check_firmware");
}

static void
teardown(void)
{
	tu_rmtree(top);
}

static void
put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static void
mkdirs(const char *rel)
{
	char p[8400], *s;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	for (s = p + strlen(top) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	ck_assert_int_eq(mkdir(p, 0755), 0);
}

/* A Homebrew layout: bin/qemu-system-x86_64 a link into the Cellar,
 * whose share/qemu holds the edk2 pair. */
static void
brew(void)
{
	mkdirs("brew/Cellar/qemu/9.2/bin");
	mkdirs("brew/Cellar/qemu/9.2/share/qemu");
	mkdirs("brew/bin");
	put(tu_at(top, "brew/Cellar/qemu/9.2/bin/qemu-system-x86_64"), "",
	    0755);
	put(tu_at(top, "brew/Cellar/qemu/9.2/share/qemu/edk2-x86_64-code.fd"),
	    "code", 0644);
	put(tu_at(top, "brew/Cellar/qemu/9.2/share/qemu/edk2-i386-vars.fd"),
	    "vars", 0644);
	ck_assert_int_eq(symlink("../Cellar/qemu/9.2/bin/qemu-system-x86_64",
	                     tu_at(top, "brew/bin/qemu-system-x86_64")),
	    0);
}

START_TEST(test_prefix)
{
	char path[8400], want[PATH_MAX], *p;

	brew();
	snprintf(path, sizeof(path), "%s/nowhere:%s/brew/bin", top, top);
	p = ib_firmware_prefix_new("qemu-system-x86_64", path);
	ck_assert_ptr_nonnull(
	    realpath(tu_at(top, "brew/Cellar/qemu/9.2"), want));
	ck_assert_str_eq(p, want);
	free(p);
	ck_assert_ptr_null(ib_firmware_prefix_new("qemu-system-x86_64", top));
	ck_assert_ptr_null(ib_firmware_prefix_new("no-such-qemu", path));
}
END_TEST

START_TEST(test_find_beside_qemu)
{
	char path[8400], want[PATH_MAX];
	ib_firmware_files f;
	ib_err err;

	brew();
	snprintf(path, sizeof(path), "%s/brew/bin", top);
	ck_assert_int_eq(ib_firmware_find_qemu(NULL, "qemu-system-x86_64", path,
	                     false, &f, &err),
	    0);
	ck_assert_ptr_nonnull(realpath(
	    tu_at(top, "brew/Cellar/qemu/9.2/share/qemu/edk2-x86_64-code.fd"),
	    want));
	ck_assert_str_eq(f.code, want);
	ck_assert_ptr_nonnull(realpath(
	    tu_at(top, "brew/Cellar/qemu/9.2/share/qemu/edk2-i386-vars.fd"),
	    want));
	ck_assert_str_eq(f.vars, want);
	ib_firmware_files_release(&f);
	ck_assert_ptr_null(f.code);
}
END_TEST

/* Not beside qemu and not where distributions put it: the message names
 * each place looked at and the package. (/usr/share/AAVMF is absent on
 * the test machines, which are x86_64.) */
START_TEST(test_find_none)
{
	char path[8400];
	ib_firmware_files f;
	ib_err err;
	int rc;

	brew();
	snprintf(path, sizeof(path), "%s/brew/bin", top);
	if (access("/usr/share/AAVMF/AAVMF_CODE.fd", F_OK) == 0)
		return;
	rc = ib_firmware_find_qemu(NULL, "qemu-system-x86_64", path, true, &f,
	    &err);
	tu_expect_err(rc, &err, IB_ENOTFOUND,
	    "share/qemu/edk2-aarch64-code.fd");
	ck_assert_ptr_nonnull(
	    strstr(err.msg, "/usr/share/AAVMF/AAVMF_CODE.fd"));
	ck_assert_ptr_nonnull(strstr(err.msg, "qemu-efi-aarch64"));
	ck_assert_ptr_nonnull(strstr(err.msg, "--bootrom"));
}
END_TEST

/* --bootrom: the template beside the code, named as its family names
 * it. */
static const struct {
	const char *code, *vars;
} families[] = {
	{ "OVMF_CODE_4M.fd", "OVMF_VARS_4M.fd" },
	{ "OVMF_CODE.fd", "OVMF_VARS.fd" },
	{ "AAVMF_CODE.fd", "AAVMF_VARS.fd" },
	{ "edk2-x86_64-code.fd", "edk2-i386-vars.fd" },
	{ "edk2-aarch64-code.fd", "edk2-arm-vars.fd" },
	{ "QEMU_EFI-code.fd", "QEMU_EFI-vars.fd" },
};

START_TEST(test_find_bootrom)
{
	char want[PATH_MAX];
	ib_firmware_files f;
	ib_err err;

	put(tu_at(top, families[_i].code), "code", 0644);
	put(tu_at(top, families[_i].vars), "vars", 0644);
	ck_assert_int_eq(ib_firmware_find_qemu(tu_at(top, families[_i].code),
	                     "qemu-system-x86_64", "", false, &f, &err),
	    0);
	ck_assert_ptr_nonnull(realpath(tu_at(top, families[_i].vars), want));
	ck_assert_str_eq(f.vars, want);
	ib_firmware_files_release(&f);
}
END_TEST

/* A combined image (OVMF.fd) has no template: refused, not guessed. */
START_TEST(test_find_bootrom_alone)
{
	ib_firmware_files f;
	ib_err err;
	int rc;

	put(tu_at(top, "OVMF.fd"), "both", 0644);
	rc = ib_firmware_find_qemu(tu_at(top, "OVMF.fd"), "qemu-system-x86_64",
	    "", false, &f, &err);
	tu_expect_err(rc, &err, IB_ENOTFOUND,
	    "no variable store template beside it");
	put(tu_at(top, "OVMF_CODE_4M.fd"), "code", 0644);
	rc = ib_firmware_find_qemu(tu_at(top, "OVMF_CODE_4M.fd"),
	    "qemu-system-x86_64", "", false, &f, &err);
	tu_expect_err(rc, &err, IB_ENOTFOUND, "(OVMF_VARS_4M.fd)");
	rc = ib_firmware_find_qemu(tu_at(top, "missing.fd"),
	    "qemu-system-x86_64", "", false, &f, &err);
	tu_expect_err(rc, &err, ENOENT, "missing.fd");
}
END_TEST

/* The store is the VM's once made: a second call keeps what the guest
 * wrote. */
START_TEST(test_vars_make)
{
	char buf[16];
	bool made;
	ib_err err;
	ssize_t n;
	int dirfd, fd;

	put(tu_at(top, "template"), "template", 0644);
	dirfd = open(top, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dirfd, 0);
	ck_assert_int_eq(ib_firmware_vars_make(tu_at(top, "template"), dirfd,
	                     "efi-vars.fd", &made, NULL, &err),
	    0);
	ck_assert(made);
	put(tu_at(top, "efi-vars.fd"), "guest", 0644);
	ck_assert_int_eq(ib_firmware_vars_make(tu_at(top, "template"), dirfd,
	                     "efi-vars.fd", &made, NULL, &err),
	    0);
	ck_assert(!made);
	fd = open(tu_at(top, "efi-vars.fd"), O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_eq(n, 5);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "guest");
	ck_assert_int_eq(tu_entries(top), 2); /* no temporary left */
	ck_assert_int_eq(ib_firmware_vars_make(tu_at(top, "nothing"), dirfd,
	                     "other.fd", &made, NULL, &err),
	    -1);
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_int_eq(tu_entries(top), 2);
	close(dirfd);
}
END_TEST

static Suite *
firmware_suite(void)
{
	Suite *s = suite_create("firmware");
	TCase *tc;

	tc = tu_add(s, "prefix", test_prefix);
	tcase_add_checked_fixture(tc, setup, teardown);
	tc = tu_add(s, "find beside qemu", test_find_beside_qemu);
	tcase_add_checked_fixture(tc, setup, teardown);
	tc = tu_add(s, "find none", test_find_none);
	tcase_add_checked_fixture(tc, setup, teardown);
	tc = tcase_create("find beside bootrom");
	tcase_add_loop_test(tc, test_find_bootrom, 0,
	    sizeof(families) / sizeof(families[0]));
	tcase_add_test(tc, test_find_bootrom_alone);
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	tc = tu_add(s, "vars", test_vars_make);
	tcase_add_checked_fixture(tc, setup, teardown);
	return s;
}

int
main(void)
{
	return tu_run(firmware_suite());
}
