/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_plan: the boot pipeline of lib/plan.h on small images built byte
 * by byte (isotest.h): which config and entry a platform boots, the
 * entry's files, choosing by label, default and timeout, the limit on
 * initrds, flat extraction (exactly the entry's files, the image's bytes,
 * names matched as ISOLINUX does), the kernel's kind from the image or
 * the extracted file, and the assignments tools print, checked by running
 * sh and make on them. Each TCase has its own image root (menutest.h).
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "bounds.h"
#include "errors.h"
#include "kernel.h"
#include "menu.h"
#include "menutest.h"
#include "plan.h"
#include "testutil.h"

#include "isotest.h"

/* syslinux: the default "linux" with two initrds (the INITRD keyword),
 * "rescue" with one (initrd= in APPEND) that boots on timeout (PROMPT 1:
 * else ONTIMEOUT is never used), and a localboot entry. */
#define SYSLINUX_CFG                                                           \
	"DEFAULT linux\n"                                                      \
	"PROMPT 1\n"                                                           \
	"TIMEOUT 50\n"                                                         \
	"ONTIMEOUT rescue\n"                                                   \
	"LABEL linux\n"                                                        \
	"  MENU LABEL Install Linux\n"                                         \
	"  KERNEL /boot/vmlinuz\n"                                             \
	"  INITRD /boot/initrd.gz,/boot/extra.gz\n"                            \
	"  APPEND quiet\n"                                                     \
	"LABEL rescue\n"                                                       \
	"  KERNEL /boot/vmlinuz\n"                                             \
	"  APPEND initrd=/boot/rescue.gz rescue\n"                             \
	"LABEL hd\n"                                                           \
	"  LOCALBOOT 0\n"

/* GRUB for EFI: its own kernel, one initrd. */
#define GRUB_EFI_CFG                                                           \
	"set default=0\n"                                                      \
	"set timeout=5\n"                                                      \
	"menuentry 'EFI Linux' --id efilinux {\n"                              \
	"  linux /boot/vmlinuz-efi console=tty0\n"                             \
	"  initrd /boot/initrd.gz\n"                                           \
	"}\n"

/* GRUB for BIOS, read when the El Torito BIOS image is GRUB's. */
#define GRUB_PC_CFG                                                            \
	"menuentry 'PC Linux' {\n"                                             \
	"  linux /boot/vmlinuz pc\n"                                           \
	"}\n"

/* A kernel of 5000 bytes (three sectors, NULs in it): an arm64 Image
 * header, then a pattern that tells one offset from another. */
#define KERNEL_LEN 5000
static char kernel_bytes[KERNEL_LEN];

static const char *
kernel_data(void)
{
	for (size_t i = 0; i < KERNEL_LEN; i++)
		kernel_bytes[i] = (char)(i * 7 % 251);
	memcpy(kernel_bytes + 0x38, "ARM\x64", 4);
	return kernel_bytes;
}

#define INITRD_DATA "initrd: 0707010000\n"
#define EXTRA_DATA  "extra initrd"
#define RESCUE_DATA "rescue"

/*
 * The hybrid image of most tests, names in lower case as Rock Ridge
 * would show them: isolinux.bin for BIOS, GRUB's efi.img for EFI, both
 * loaders' configs, and every file the entries load.
 */
static void
hybrid_members(struct member *mm, size_t *n)
{
	const struct member all[] = {
		{ "isolinux/isolinux.bin", "isolinux.bin", 0 },
		{ "isolinux/isolinux.cfg", SYSLINUX_CFG, 0 },
		{ "boot/vmlinuz", kernel_data(), KERNEL_LEN },
		{ "boot/vmlinuz-efi", "efi kernel", 0 },
		{ "boot/initrd.gz", INITRD_DATA, 0 },
		{ "boot/extra.gz", EXTRA_DATA, 0 },
		{ "boot/rescue.gz", RESCUE_DATA, 0 },
		{ "boot/grub/efi.img", "fat", 0 },
		{ "boot/grub/grub.cfg", GRUB_PC_CFG, 0 },
		{ "boot/grub/i386-pc/eltorito.img", "grub", 0 },
		{ "efi/boot/grub.cfg", GRUB_EFI_CFG, 0 },
	};

	memcpy(mm, all, sizeof(all));
	*n = NMEMB(all);
}

/* The image of s as img.iso in the image root; its path. */
static const char *
build(const struct spec *s)
{
	const char *path = tu_at(top, "img.iso");

	isotest_build(s, path);
	return path;
}

/* A plan on the hybrid image with El Torito images bios and efi. */
static ib_plan *
hybrid_plan(const char *bios, const char *efi, const char *platform)
{
	struct member mm[ISOTEST_MAX_MEMBERS];
	struct spec s = { mm, 0, bios, efi, 0 };
	ib_plan *p;
	ib_err err;

	hybrid_members(mm, &s.n);
	p = ib_plan_open(build(&s), platform, &err);
	ck_assert_msg(p != NULL, "%s: %s", platform, err.msg);
	return p;
}

static ib_plan *
bios_plan(void)
{
	return hybrid_plan("isolinux/isolinux.bin", "boot/grub/efi.img",
	    "bios");
}

/* A plan on an image with one syslinux config cfg and the files mm[]. */
static ib_plan *
cfg_plan(const char *cfg, const struct member *files, size_t nfiles)
{
	struct member mm[ISOTEST_MAX_MEMBERS];
	struct spec s = { mm, 0, NULL, NULL, 0 };
	ib_plan *p;
	ib_err err;

	ck_assert_uint_lt(nfiles, ISOTEST_MAX_MEMBERS);
	mm[0] = (struct member){ "isolinux/isolinux.cfg", cfg, 0 };
	if (nfiles > 0)
		memcpy(mm + 1, files, nfiles * sizeof(*files));
	s.n = 1 + nfiles;
	p = ib_plan_open(build(&s), NULL, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	return p;
}

static const ib_menu_entry *
choose_ok(ib_plan *p, const char *label, bool timeout)
{
	const ib_menu_entry *e;
	ib_err err;

	e = ib_plan_choose(p, label, timeout, &err);
	ck_assert_msg(e != NULL, "%s: %s", label != NULL ? label : "(default)",
	    err.msg);
	return e;
}

/* The plan's files are exactly the n paths given, kernel first. */
#define expect_files(p, n, ...) expect_files_at(__LINE__, p, n, __VA_ARGS__)

static void
expect_files_at(int line, const ib_plan *p, size_t n, ...)
{
	va_list ap;

	ck_assert_msg(ib_plan_nfiles(p) == n,
	    "line %d: %zu files, expected %zu", line, ib_plan_nfiles(p), n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);

		ck_assert_msg(strcmp(ib_plan_file(p, i), want) == 0,
		    "line %d: file %zu '%s', expected '%s'", line, i,
		    ib_plan_file(p, i), want);
	}
	va_end(ap);
}

/* A fresh directory "out" in the image root, open. */
static int
out_dir(void)
{
	int fd;

	ck_assert_int_eq(mkdir(tu_at(top, "out"), 0755), 0);
	fd = open(tu_at(top, "out"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* --- which entry and files --- */

/* BIOS boots isolinux.bin, so ISOLINUX's config: its default entry, the
 * kernel then the INITRD keyword's two initrds in order. The label is
 * the LABEL, not the MENU LABEL. A plan that read GRUB's config, or
 * dropped the second initrd, fails here. */
START_TEST(test_bios_boots_isolinux_default)
{
	const ib_menu_entry *e;
	ib_plan *p;

	p = bios_plan();
	ck_assert_str_eq(ib_plan_platform(p), "bios");
	ck_assert_str_eq(ib_menu_config(ib_plan_menu(p)),
	    "/isolinux/isolinux.cfg");
	ck_assert_ptr_null(ib_plan_entry(p));
	ck_assert_uint_eq(ib_plan_nfiles(p), 0);
	ck_assert_str_eq(ib_plan_label(p), "");
	e = choose_ok(p, NULL, false);
	ck_assert_ptr_eq(ib_plan_entry(p), e);
	expect_linux(e, "/boot/vmlinuz", "quiet", 2, "/boot/initrd.gz",
	    "/boot/extra.gz");
	ck_assert_str_eq(ib_plan_label(p), "linux");
	expect_files(p, 3, "/boot/vmlinuz", "/boot/initrd.gz",
	    "/boot/extra.gz");
	ck_assert_str_eq(ib_plan_file_name(p, 0), "vmlinuz");
	ck_assert_str_eq(ib_plan_file_name(p, 2), "extra.gz");
	ib_plan_close(p);
}
END_TEST

/* EFI boots the catalog's EFI image, GRUB, which reads EFI/BOOT's
 * grub.cfg: another kernel, one initrd, and the title as the label. */
START_TEST(test_efi_boots_grub_entry)
{
	const ib_menu_entry *e;
	ib_plan *p;

	p = hybrid_plan("isolinux/isolinux.bin", "boot/grub/efi.img", "efi");
	ck_assert_str_eq(ib_plan_platform(p), "efi");
	e = choose_ok(p, NULL, false);
	expect_linux(e, "/boot/vmlinuz-efi", "console=tty0", 1,
	    "/boot/initrd.gz");
	ck_assert_str_eq(ib_plan_label(p), "EFI Linux");
	expect_files(p, 2, "/boot/vmlinuz-efi", "/boot/initrd.gz");
	ck_assert_str_eq(ib_plan_file_name(p, 0), "vmlinuz-efi");
	ib_plan_close(p);
}
END_TEST

/* A BIOS boot image that is GRUB's eltorito.img means GRUB's config,
 * even with isolinux.cfg on the image. */
START_TEST(test_bios_grub_boot_image_reads_grub)
{
	ib_plan *p;

	p = hybrid_plan("boot/grub/i386-pc/eltorito.img", NULL, "bios");
	expect_linux(choose_ok(p, NULL, false), "/boot/vmlinuz", "pc", 0);
	ck_assert_str_eq(ib_plan_label(p), "PC Linux");
	expect_files(p, 1, "/boot/vmlinuz");
	ib_plan_close(p);
}
END_TEST

/* A label chooses its entry (initrd= in APPEND counts); with timeout,
 * ONTIMEOUT's entry; without, the default. */
START_TEST(test_choose_label_default_timeout)
{
	ib_plan *p;

	p = bios_plan();
	expect_linux(choose_ok(p, "rescue", false), "/boot/vmlinuz", "rescue",
	    1, "/boot/rescue.gz");
	ck_assert_str_eq(ib_plan_label(p), "rescue");
	expect_files(p, 2, "/boot/vmlinuz", "/boot/rescue.gz");
	choose_ok(p, NULL, true);
	ck_assert_str_eq(ib_plan_label(p), "rescue");
	choose_ok(p, NULL, false);
	ck_assert_str_eq(ib_plan_label(p), "linux");
	expect_files(p, 3, "/boot/vmlinuz", "/boot/initrd.gz",
	    "/boot/extra.gz");
	/* A label wins over timeout. */
	choose_ok(p, "linux", true);
	ck_assert_str_eq(ib_plan_label(p), "linux");
	ib_plan_close(p);
}
END_TEST

/* A label the menu lacks: IB_ENOTFOUND naming it and the config, and
 * listing the Linux entries there are. */
START_TEST(test_unknown_label_names_it)
{
	ib_plan *p;
	ib_err err;

	p = bios_plan();
	ck_assert_ptr_null(ib_plan_choose(p, "nosuch", false, &err));
	tu_expect_err(-1, &err, IB_ENOTFOUND,
	    "isolinux/isolinux.cfg: no entry named 'nosuch'");
	tu_expect_err(-1, &err, IB_ENOTFOUND, "Linux entries: linux, rescue");
	ib_plan_close(p);
}
END_TEST

/* A default that boots the hard disk is not something to extract:
 * IB_EUNSUPPORTED naming the entry and its line. */
START_TEST(test_non_linux_default_is_unsupported)
{
	static const struct member files[] = { { "vmlinuz", "k", 0 } };
	ib_plan *p;
	ib_err err;

	p = cfg_plan("DEFAULT hd\nLABEL hd\n  LOCALBOOT 0\n"
	             "LABEL linux\n  KERNEL /vmlinuz\n",
	    files, NMEMB(files));
	ck_assert_ptr_null(ib_plan_choose(p, NULL, false, &err));
	tu_expect_err(-1, &err, IB_EUNSUPPORTED,
	    "isolinux/isolinux.cfg:2: the default entry 'hd' is a localboot "
	    "entry, not Linux");
	ck_assert_msg(strstr(err.msg, "linux") != NULL, "%s", err.msg);
	ck_assert_ptr_null(ib_plan_entry(p));
	ck_assert_uint_eq(ib_plan_nfiles(p), 0);
	ib_plan_close(p);
}
END_TEST

/* A choice that fails forgets the one before: a tool that went on would
 * otherwise extract the previous entry's files. */
START_TEST(test_failed_choice_forgets_previous_entry)
{
	ib_plan *p;
	ib_err err;
	int dfd;

	p = bios_plan();
	choose_ok(p, NULL, false);
	ck_assert_ptr_null(ib_plan_choose(p, "hd", false, &err));
	ck_assert_int_eq(err.code, IB_EUNSUPPORTED);
	ck_assert_ptr_null(ib_plan_entry(p));
	ck_assert_uint_eq(ib_plan_nfiles(p), 0);
	ck_assert_ptr_null(ib_plan_file(p, 0));
	ck_assert_str_eq(ib_plan_label(p), "");
	dfd = out_dir();
	tu_expect_err(ib_plan_extract(p, dfd, NULL, &err), &err, EINVAL,
	    "no entry chosen");
	ck_assert_int_eq(tu_entries(tu_at(top, "out")), 0);
	close(dfd);
	ib_plan_close(p);
}
END_TEST

/* An entry of n initrds /i0 ... (INITRD keyword, comma-separated). */
static char *
many_initrds_cfg(size_t n)
{
	char *cfg;
	size_t off, size = 64 + n * 8;

	cfg = malloc(size);
	ck_assert_ptr_nonnull(cfg);
	off = (size_t)snprintf(cfg, size,
	    "DEFAULT many\nLABEL many\n  KERNEL /vmlinuz\n  INITRD ");
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(cfg + off, size - off, "%s/i%zu",
		    i > 0 ? "," : "", i);
	ck_assert_uint_lt(off + 1, size);
	cfg[off++] = '\n';
	cfg[off] = '\0';
	return cfg;
}

/* IB_MAX_INITRDS initrds are taken, one more is IB_ELIMIT: the plan's
 * file table has room for 1 + IB_MAX_INITRDS, so a missing check writes
 * past it (ASan). */
START_TEST(test_initrds_over_limit_is_elimit)
{
	char *cfg;
	ib_plan *p;
	ib_err err;

	cfg = many_initrds_cfg(IB_MAX_INITRDS);
	p = cfg_plan(cfg, NULL, 0);
	choose_ok(p, NULL, false);
	ck_assert_uint_eq(ib_plan_nfiles(p), 1 + IB_MAX_INITRDS);
	ck_assert_str_eq(ib_plan_file(p, IB_MAX_INITRDS), "/i63");
	ck_assert_ptr_null(ib_plan_file(p, 1 + IB_MAX_INITRDS));
	ib_plan_close(p);
	free(cfg);

	cfg = many_initrds_cfg(IB_MAX_INITRDS + 1);
	p = cfg_plan(cfg, NULL, 0);
	ck_assert_ptr_null(ib_plan_choose(p, NULL, false, &err));
	tu_expect_err(-1, &err, IB_ELIMIT,
	    "isolinux/isolinux.cfg:2: 65 initrds: more than 64");
	ck_assert_uint_eq(ib_plan_nfiles(p), 0);
	ib_plan_close(p);
	free(cfg);
}
END_TEST

/* --- extraction --- */

/* Extraction writes the entry's three files flat, with the image's
 * bytes (the kernel spans three sectors), and nothing else: not the
 * other entries' files, not the configs, no directories. */
START_TEST(test_extract_writes_exactly_entry_files)
{
	ib_plan *p;
	ib_err err;
	char *path;
	int dfd;

	p = bios_plan();
	choose_ok(p, NULL, false);
	dfd = out_dir();
	ck_assert_msg(ib_plan_extract(p, dfd, NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(tu_entries(tu_at(top, "out")), 3);
	tu_expect_file(tu_at(top, "out/vmlinuz"), kernel_data(), KERNEL_LEN);
	tu_expect_file(tu_at(top, "out/initrd.gz"), INITRD_DATA,
	    strlen(INITRD_DATA));
	tu_expect_file(tu_at(top, "out/extra.gz"), EXTRA_DATA,
	    strlen(EXTRA_DATA));
	/* ib_plan_path_new names where each went. */
	path = ib_plan_path_new(p, tu_at(top, "out"), 2);
	ck_assert_str_eq(path, tu_at(top, "out/extra.gz"));
	free(path);
	ck_assert_ptr_null(ib_plan_path_new(p, tu_at(top, "out"), 3));
	close(dfd);
	ib_plan_close(p);
}
END_TEST

/* Extracting again replaces the files (the rescue entry next to them:
 * one more file), never fails on the ones already there. */
START_TEST(test_extract_again_replaces)
{
	ib_plan *p;
	ib_err err;
	int dfd;

	p = bios_plan();
	choose_ok(p, NULL, false);
	dfd = out_dir();
	tu_put_n(top, "out/vmlinuz", "old", 3);
	ck_assert_msg(ib_plan_extract(p, dfd, NULL, &err) == 0, "%s", err.msg);
	ck_assert_msg(ib_plan_extract(p, dfd, NULL, &err) == 0, "%s", err.msg);
	tu_expect_file(tu_at(top, "out/vmlinuz"), kernel_data(), KERNEL_LEN);
	choose_ok(p, "rescue", false);
	ck_assert_msg(ib_plan_extract(p, dfd, NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(tu_entries(tu_at(top, "out")), 4);
	tu_expect_file(tu_at(top, "out/rescue.gz"), RESCUE_DATA,
	    strlen(RESCUE_DATA));
	close(dfd);
	ib_plan_close(p);
}
END_TEST

/* dirfd -1 checks that the image holds the files and writes nothing. */
START_TEST(test_extract_check_only_writes_nothing)
{
	ib_plan *p;
	ib_err err;

	p = bios_plan();
	choose_ok(p, NULL, false);
	ck_assert_msg(ib_plan_extract(p, -1, NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(tu_entries(top), 1); /* img.iso */
	ib_plan_close(p);
}
END_TEST

/* A file the entry names and the image lacks: IB_ENOTFOUND naming the
 * file and the config line that names it, on a check and on an
 * extraction. */
START_TEST(test_missing_boot_file_names_file_and_line)
{
	static const struct member files[] = { { "vmlinuz", "k", 0 },
		{ "initrd.gz", "i", 0 } };
	ib_plan *p;
	ib_err err;
	int dfd;

	p = cfg_plan("DEFAULT a\nLABEL a\n  KERNEL /vmlinuz\n"
	             "  INITRD /initrd.gz,/boot/missing.gz\n",
	    files, NMEMB(files));
	choose_ok(p, NULL, false);
	tu_expect_err(ib_plan_extract(p, -1, NULL, &err), &err, IB_ENOTFOUND,
	    "/boot/missing.gz: not found in image (named by "
	    "isolinux/isolinux.cfg:2)");
	dfd = out_dir();
	tu_expect_err(ib_plan_extract(p, dfd, NULL, &err), &err, IB_ENOTFOUND,
	    "/boot/missing.gz: not found in image (named by "
	    "isolinux/isolinux.cfg:2)");
	close(dfd);
	ib_plan_close(p);
}
END_TEST

/* A directory of the name the entry loads is not the file. */
START_TEST(test_directory_is_not_the_boot_file)
{
	static const struct member files[] = { { "vmlinuz", NULL, 0 },
		{ "vmlinuz/x", "in a directory", 0 } };
	ib_plan *p;
	ib_err err;

	p = cfg_plan("DEFAULT a\nLABEL a\n  KERNEL /vmlinuz\n", files,
	    NMEMB(files));
	choose_ok(p, NULL, false);
	tu_expect_err(ib_plan_extract(p, -1, NULL, &err), &err, IB_ENOTFOUND,
	    "/vmlinuz: not found in image");
	ib_plan_close(p);
}
END_TEST

/* Plain ECMA-119 names are upper case; ISOLINUX matches them without
 * regard to case, so /boot/vmlinuz is BOOT/VMLINUZ. */
START_TEST(test_ecma119_names_written_as_image_spells_them)
{
	static const struct member files[] = { { "BOOT/VMLINUZ", "kernel", 0 },
		{ "BOOT/INITRD.GZ", "initrd", 0 } };
	ib_kernel_info ki;
	ib_plan *p;
	ib_err err;
	int dfd;

	p = cfg_plan("DEFAULT a\nLABEL a\n  KERNEL /boot/vmlinuz\n"
	             "  INITRD /boot/initrd.gz\n",
	    files, NMEMB(files));
	choose_ok(p, NULL, false);
	ck_assert_msg(ib_plan_extract(p, -1, NULL, &err) == 0, "%s", err.msg);
	dfd = out_dir();
	ck_assert_msg(ib_plan_extract(p, dfd, NULL, &err) == 0, "%s", err.msg);
	/* Written under the config's names, which ib_plan_file_name()
	 * gives and the VM is told: they were written as VMLINUZ and
	 * INITRD.GZ, and the recipe failed on a missing vmlinuz. */
	ck_assert_int_eq(tu_entries(tu_at(top, "out")), 2);
	tu_expect_file(tu_at(top, "out/vmlinuz"), "kernel", 6);
	tu_expect_file(tu_at(top, "out/initrd.gz"), "initrd", 6);
	ck_assert_msg(ib_plan_kernel_info(p, dfd, &ki, &err) == 0, "%s",
	    err.msg);
	close(dfd);
	ib_plan_close(p);
}
END_TEST

/* A plan of one config has no image: extraction is IB_EUNSUPPORTED
 * naming the config, and so is the kernel's kind from the image. */
START_TEST(test_config_plan_has_nothing_to_extract)
{
	ib_kernel_info ki;
	ib_plan *p;
	ib_err err;

	put("isolinux.cfg", "DEFAULT a\nLABEL a\n  KERNEL vmlinuz\n");
	p = ib_plan_open_config(tu_at(top, "isolinux.cfg"), -1, NULL, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	expect_linux(choose_ok(p, NULL, false), "/vmlinuz", "", 0);
	tu_expect_err(ib_plan_extract(p, -1, NULL, &err), &err, IB_EUNSUPPORTED,
	    "/isolinux.cfg: no image to extract from");
	tu_expect_err(ib_plan_kernel_info(p, -1, &ki, &err), &err,
	    IB_EUNSUPPORTED, "/isolinux.cfg: no image to read the kernel from");
	ib_plan_close(p);
}
END_TEST

/* --- the kernel --- */

/* The kernel's kind and size, read from the image (dirfd -1) and from
 * the extracted file, agree; a kernel the image lacks is IB_ENOTFOUND,
 * one not extracted yet is ENOENT naming it. */
START_TEST(test_kernel_info_from_image_and_file)
{
	static const struct member files[] = { { "vmlinuz", "k", 0 } };
	ib_kernel_info ki;
	ib_plan *p;
	ib_err err;
	int dfd;

	p = bios_plan();
	choose_ok(p, NULL, false);
	ck_assert_msg(ib_plan_kernel_info(p, -1, &ki, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ARM64);
	ck_assert_uint_eq(ki.filesize, KERNEL_LEN);
	dfd = out_dir();
	tu_expect_err(ib_plan_kernel_info(p, dfd, &ki, &err), &err, ENOENT,
	    "vmlinuz");
	ck_assert_msg(ib_plan_extract(p, dfd, NULL, &err) == 0, "%s", err.msg);
	memset(&ki, 0, sizeof(ki));
	ck_assert_msg(ib_plan_kernel_info(p, dfd, &ki, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ARM64);
	ck_assert_uint_eq(ki.filesize, KERNEL_LEN);
	close(dfd);
	ib_plan_close(p);

	p = cfg_plan("DEFAULT a\nLABEL a\n  KERNEL /none\n", files,
	    NMEMB(files));
	choose_ok(p, NULL, false);
	tu_expect_err(ib_plan_kernel_info(p, -1, &ki, &err), &err, IB_ENOTFOUND,
	    "not found");
	ib_plan_close(p);
}
END_TEST

/* --- trees and configs --- */

/* A tree plan reads the loader's config, or the one named; it reads the
 * kernel's kind from the tree but has no image to extract from. */
START_TEST(test_tree_plan)
{
	ib_kernel_info ki;
	ib_plan *p;
	ib_err err;

	put("isolinux/isolinux.cfg", "DEFAULT a\nLABEL a\n  KERNEL k1\n");
	put("other.cfg", "DEFAULT b\nLABEL b\n  KERNEL /k2\n");
	put("isolinux/k1", "\x1f\x8b\x08 gzip");
	p = ib_plan_open_tree(top, NULL, "bios", &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	expect_linux(choose_ok(p, NULL, false), "/isolinux/k1", "", 0);
	ck_assert_msg(ib_plan_kernel_info(p, -1, &ki, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(ki.kind, IB_KERNEL_GZIP);
	tu_expect_err(ib_plan_extract(p, -1, NULL, &err), &err, IB_EUNSUPPORTED,
	    "no image to extract from");
	ib_plan_close(p);
	p = ib_plan_open_tree(top, "other.cfg", "bios", &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	expect_linux(choose_ok(p, NULL, false), "/k2", "", 0);
	ck_assert_str_eq(ib_menu_config(ib_plan_menu(p)), "/other.cfg");
	ib_plan_close(p);
}
END_TEST

/* A config read from an fd (standard input): names resolve in ".", the
 * platform is kept. */
START_TEST(test_config_from_fd)
{
	ib_plan *p;
	ib_err err;
	int fd;

	put("stdin.cfg", "DEFAULT a\nLABEL a\n  KERNEL vmlinuz\n  APPEND x=1");
	fd = open(tu_at(top, "stdin.cfg"), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	p = ib_plan_open_config("-", fd, "efi", &err);
	close(fd);
	ck_assert_msg(p != NULL, "%s", err.msg);
	expect_linux(choose_ok(p, NULL, false), "/vmlinuz", "x=1", 0);
	ck_assert_str_eq(ib_plan_platform(p), "efi");
	ib_plan_close(p);
}
END_TEST

/* A config from an fd of IB_MAX_CONFIG bytes is read; one byte more is
 * IB_ELIMIT, not a config cut short. */
START_TEST(test_config_fd_over_limit_is_elimit)
{
	static const char head[] = "DEFAULT a\nLABEL a\n  KERNEL vmlinuz\n";
	ib_plan *p;
	ib_err err;
	char *buf;
	int fd;

	buf = malloc(IB_MAX_CONFIG + 1);
	ck_assert_ptr_nonnull(buf);
	memset(buf, '\n', IB_MAX_CONFIG + 1);
	memcpy(buf, head, sizeof(head) - 1);
	tu_put_n(top, "max.cfg", buf, IB_MAX_CONFIG);
	tu_put_n(top, "over.cfg", buf, IB_MAX_CONFIG + 1);
	free(buf);
	fd = open(tu_at(top, "max.cfg"), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	p = ib_plan_open_config("-", fd, NULL, &err);
	close(fd);
	ck_assert_msg(p != NULL, "%s", err.msg);
	expect_linux(choose_ok(p, NULL, false), "/vmlinuz", "", 0);
	ib_plan_close(p);
	fd = open(tu_at(top, "over.cfg"), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_null(ib_plan_open_config("-", fd, NULL, &err));
	close(fd);
	tu_expect_err(-1, &err, IB_ELIMIT, "config over 1048576 bytes");
}
END_TEST

/* A platform other than bios or efi is EINVAL naming it, whichever way
 * the plan is opened; a missing image is ENOENT. */
START_TEST(test_open_errors)
{
	ib_err err;

	put("isolinux.cfg", "DEFAULT a\nLABEL a\n  KERNEL vmlinuz\n");
	ck_assert_ptr_null(ib_plan_open(tu_at(top, "none.iso"), "arm", &err));
	tu_expect_err(-1, &err, EINVAL, "platform 'arm' is not bios or efi");
	ck_assert_ptr_null(ib_plan_open_tree(top, NULL, "uefi", &err));
	tu_expect_err(-1, &err, EINVAL, "platform 'uefi'");
	ck_assert_ptr_null(
	    ib_plan_open_config(tu_at(top, "isolinux.cfg"), -1, "", &err));
	tu_expect_err(-1, &err, EINVAL, "platform ''");
	/* The caller names the image (as ib_iso_open leaves it to). */
	ck_assert_ptr_null(ib_plan_open(tu_at(top, "none.iso"), NULL, &err));
	tu_expect_err(-1, &err, ENOENT, strerror(ENOENT));
	ib_plan_close(NULL);
}
END_TEST

/* --- assignments --- */

/* Run argv with stdout into the file out; its exit status. */
static int
run_to(const char *const argv[], const char *out)
{
	char *v[16];
	pid_t pid;
	size_t i;
	int st, fd;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd == -1 || dup2(fd, 1) == -1)
			_exit(126);
		for (i = 0; argv[i] != NULL && i < 15; i++)
			v[i] = strdup(argv[i]);
		v[i] = NULL;
		execvp(v[0], v);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* A menu whose label and command line hold what sh and make would
 * expand or cut: quotes, $, a command substitution, # and a backslash. */
#define HOSTILE_LABEL "it's$HOME\"$(touch${IFS}pwned)`x`"
#define HOSTILE_ARGS  "a=$(touch pwned) b='q' #c \\"

static ib_plan *
hostile_plan(void)
{
	static const struct member files[] = { { "vmlinuz", "k", 0 },
		{ "i1.gz", "1", 0 }, { "i2.gz", "2", 0 } };
	ib_plan *p;

	p = cfg_plan("DEFAULT " HOSTILE_LABEL "\n"
	             "LABEL " HOSTILE_LABEL "\n"
	             "  KERNEL /vmlinuz\n"
	             "  INITRD /i1.gz,/i2.gz\n"
	             "  APPEND " HOSTILE_ARGS "\n",
	    files, NMEMB(files));
	choose_ok(p, NULL, false);
	ck_assert_str_eq(ib_plan_label(p), HOSTILE_LABEL);
	ck_assert_str_eq(ib_plan_entry(p)->args, HOSTILE_ARGS);
	return p;
}

/* Run argv (a shell or make reading the assignments back): it prints
 * every value exactly as the plan has it, and runs nothing. */
static void
expect_read_back(const char *const *argv)
{
	char want[1024];

	ck_assert_int_eq(run_to(argv, tu_at(top, "out.txt")), 0);
	snprintf(want, sizeof(want), "%s\n%s\n%s\n%s\n%s\n",
	    "/isolinux/isolinux.cfg", HOSTILE_LABEL, "/vmlinuz",
	    "/i1.gz /i2.gz", HOSTILE_ARGS);
	tu_expect_file(tu_at(top, "out.txt"), want, strlen(want));
	ck_assert_int_eq(access(tu_at(top, "pwned"), F_OK), -1);
}

/* sh reads every value back as it was, and runs nothing. */
START_TEST(test_assignments_sh_survive_hostile_values)
{
	const char *const argv[] = { "sh", "-c",
		"cd \"$1\" && . ./vars && printf '%s\\n' \"$CONFIG\" "
		"\"$LABEL\" \"$KERNEL\" \"$INITRD\" \"$CMDLINE\"",
		"sh", top, NULL };
	ib_plan *p;
	ib_err err;
	char *s;

	p = hostile_plan();
	s = ib_plan_assignments_new(p, NULL, NULL, false, &err);
	ck_assert_msg(s != NULL, "%s", err.msg);
	put("vars", s);
	expect_read_back(argv);
	free(s);
	ib_plan_close(p);
}
END_TEST

/* make reads every := value back as it was ($ doubled, # escaped, the
 * final backslash not joining the next line), and runs nothing. */
START_TEST(test_assignments_make_survive_hostile_values)
{
	const char *const argv[] = { "make", "-s", "-C", top, "-f", "vars.mk",
		NULL };
	static const char rules[] = "$(info $(CONFIG))\n$(info $(LABEL))\n"
	                            "$(info $(KERNEL))\n$(info $(INITRD))\n"
	                            "$(info $(CMDLINE))\nall: ;\n";
	char *mk;
	ib_plan *p;
	ib_err err;
	char *s;

	p = hostile_plan();
	s = ib_plan_assignments_new(p, NULL, NULL, true, &err);
	ck_assert_msg(s != NULL, "%s", err.msg);
	mk = malloc(strlen(s) + sizeof(rules));
	ck_assert_ptr_nonnull(mk);
	snprintf(mk, strlen(s) + sizeof(rules), "%s%s", s, rules);
	put("vars.mk", mk);
	expect_read_back(argv);
	free(mk);
	free(s);
	ib_plan_close(p);
}
END_TEST

/* With dir, the files as extracted there; args replace the entry's
 * command line; a make value with a newline cannot be written. */
START_TEST(test_assignments_dir_and_args)
{
	ib_plan *p;
	ib_err err;
	char *s;

	p = bios_plan();
	s = ib_plan_assignments_new(p, NULL, NULL, false, &err);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(err.code, EINVAL);
	choose_ok(p, NULL, false);
	s = ib_plan_assignments_new(p, "/out dir", "console=ttyS0", false,
	    &err);
	ck_assert_msg(s != NULL, "%s", err.msg);
	ck_assert_str_eq(s,
	    "CONFIG=/isolinux/isolinux.cfg\n"
	    "LABEL=linux\n"
	    "KERNEL='/out dir/vmlinuz'\n"
	    "INITRD='/out dir/initrd.gz /out dir/extra.gz'\n"
	    "CMDLINE=console=ttyS0\n");
	free(s);
	s = ib_plan_assignments_new(p, NULL, NULL, true, &err);
	ck_assert_msg(s != NULL, "%s", err.msg);
	ck_assert_str_eq(s,
	    "CONFIG := /isolinux/isolinux.cfg\n"
	    "LABEL := linux\n"
	    "KERNEL := /boot/vmlinuz\n"
	    "INITRD := /boot/initrd.gz /boot/extra.gz\n"
	    "CMDLINE := quiet\n");
	free(s);
	ck_assert_ptr_null(
	    ib_plan_assignments_new(p, NULL, "a\nb", true, &err));
	tu_expect_err(-1, &err, EINVAL, "a newline in a make value");
	ib_plan_close(p);
}
END_TEST

static Suite *
plan_suite(void)
{
	Suite *s = menu_suite("plan");

	/* which entry and files */
	add(s, "bios_boots_isolinux_default", test_bios_boots_isolinux_default);
	add(s, "efi_boots_grub_entry", test_efi_boots_grub_entry);
	add(s, "bios_grub_boot_image_reads_grub",
	    test_bios_grub_boot_image_reads_grub);
	add(s, "choose_label_default_timeout",
	    test_choose_label_default_timeout);
	add(s, "unknown_label_names_it", test_unknown_label_names_it);
	add(s, "non_linux_default_is_unsupported",
	    test_non_linux_default_is_unsupported);
	add(s, "failed_choice_forgets_previous_entry",
	    test_failed_choice_forgets_previous_entry);
	add(s, "initrds_over_limit_is_elimit",
	    test_initrds_over_limit_is_elimit);
	/* extraction */
	add(s, "extract_writes_exactly_entry_files",
	    test_extract_writes_exactly_entry_files);
	add(s, "extract_again_replaces", test_extract_again_replaces);
	add(s, "extract_check_only_writes_nothing",
	    test_extract_check_only_writes_nothing);
	add(s, "missing_boot_file_names_file_and_line",
	    test_missing_boot_file_names_file_and_line);
	add(s, "directory_is_not_the_boot_file",
	    test_directory_is_not_the_boot_file);
	add(s, "ecma119_names_written_as_image_spells_them",
	    test_ecma119_names_written_as_image_spells_them);
	add(s, "config_plan_has_nothing_to_extract",
	    test_config_plan_has_nothing_to_extract);
	/* the kernel */
	add(s, "kernel_info_from_image_and_file",
	    test_kernel_info_from_image_and_file);
	/* trees and configs */
	add(s, "tree_plan", test_tree_plan);
	add(s, "config_from_fd", test_config_from_fd);
	add(s, "config_fd_over_limit_is_elimit",
	    test_config_fd_over_limit_is_elimit);
	add(s, "open_errors", test_open_errors);
	/* assignments */
	add(s, "assignments_sh_survive_hostile_values",
	    test_assignments_sh_survive_hostile_values);
	add(s, "assignments_make_survive_hostile_values",
	    test_assignments_make_survive_hostile_values);
	add(s, "assignments_dir_and_args", test_assignments_dir_and_args);
	return s;
}

int
main(void)
{
	return tu_run(plan_suite());
}
