/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bootcfg: which config an image or a tree boots (SEMANTICS.md 1.1
 * and 3): ISOLINUX's directory-major search, the El Torito boot image's
 * directory as the fallback, PXELINUX and SYSLINUX for EFI trees, GRUB's
 * places per platform, the notes that say why, and IB_ENOTFOUND when no
 * config is there. Trees are written into a fresh image root per TCase
 * (menutest.h); images are built there byte by byte (isotest.h: plain
 * ECMA-119 names, an El Torito catalog when a test asks for one).
 */

#include <sys/stat.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "bootcfg.h"
#include "bootfs.h"
#include "bounds.h"
#include "errors.h"
#include "iso.h"
#include "kernel.h"
#include "menu.h"
#include "menutest.h"
#include "testutil.h"

#include "isotest.h"

/* A config of each loader whose default entry names where it came from. */
#define SL(k)   "DEFAULT a\nLABEL a\nKERNEL /" k "\n"
#define GRUB(k) "menuentry G {\n  linux /" k "\n}\n"

/* --- generated images (isotest.h) --- */

/* Build the image of s as img.iso in the image root; its path. */
static const char *
build(const struct spec *s)
{
	isotest_build(s, tu_at(top, "img.iso"));
	return tu_at(top, "img.iso");
}

/* Open the image built last as boot loaders see it (no Joliet). */
static ib_iso *
open_built(void)
{
	ib_iso_opts o;
	ib_iso *iso;
	ib_err err;

	memset(&o, 0, sizeof(o));
	o.no_joliet = true;
	iso = ib_iso_open(tu_at(top, "img.iso"), &o, &err);
	ck_assert_msg(iso != NULL, "open: %s", err.msg);
	return iso;
}

/* Open the image of s as boot loaders see it. */
static ib_iso *
open_image(const struct spec *s)
{
	build(s);
	return open_built();
}

/* The menu the image built last boots on platform, or NULL with *err. */
static ib_menu *
built_menu(const char *platform, ib_err *err)
{
	ib_iso *iso;
	ib_menu *m;

	iso = open_built();
	m = ib_bootcfg_read_iso(iso, platform, err);
	ib_iso_close(iso);
	return m;
}

/* The menu the image of s boots on platform, or NULL with *err. */
static ib_menu *
iso_menu(const struct spec *s, const char *platform, ib_err *err)
{
	build(s);
	return built_menu(platform, err);
}

static ib_menu *
iso_menu_ok(const struct spec *s, const char *platform)
{
	ib_menu *m;
	ib_err err;

	m = iso_menu(s, platform, &err);
	ck_assert_msg(m != NULL, "%s: %s", platform, err.msg);
	return m;
}

/* Note i of m contains sub. */
#define expect_note(m, i, sub) expect_note_at(__LINE__, m, i, sub)

static void
expect_note_at(int line, const ib_menu *m, size_t i, const char *sub)
{
	const char *n;

	ck_assert_msg(i < ib_menu_nnotes(m), "line %d: no note %zu", line, i);
	n = ib_menu_note(m, i);
	ck_assert_msg(strstr(n, sub) != NULL,
	    "line %d: note %zu '%s' lacks '%s'", line, i, n, sub);
}

/* --- finders on a tree --- */

/* The result of a finder: the config, its working directory and why. */
struct found {
	char cfg[IB_MAX_PATH + 1], cwd[IB_MAX_PATH + 1], why[1024];
	ib_err err;
	int rc;
};

enum finder {
	ISOLINUX,
	SYSLINUX,
	GRUB_BIOS,
	GRUB_EFI,
	EFI_SYSLINUX
};

/* Run finder on the image root (bootdir for ISOLINUX and SYSLINUX). */
static struct found *
find_in_top(enum finder which, const char *bootdir)
{
	static struct found r;
	ib_bootfs *fs;

	memset(&r, 0, sizeof(r));
	fs = top_fs(&r.err);
	switch (which) {
	case ISOLINUX:
		r.rc = ib_bootcfg_find_isolinux(fs, bootdir, r.cfg,
		    sizeof(r.cfg), r.why, sizeof(r.why), &r.err);
		break;
	case SYSLINUX:
		r.rc =
		    ib_bootcfg_find_syslinux(fs, bootdir, r.cfg, sizeof(r.cfg),
		        r.cwd, sizeof(r.cwd), r.why, sizeof(r.why), &r.err);
		break;
	case GRUB_BIOS:
	case GRUB_EFI:
		r.rc =
		    ib_bootcfg_find_grub(fs, which == GRUB_EFI ? "efi" : "bios",
		        r.cfg, sizeof(r.cfg), r.why, sizeof(r.why), &r.err);
		break;
	case EFI_SYSLINUX:
		r.rc = ib_bootcfg_find_efi_syslinux(fs, r.cfg, sizeof(r.cfg),
		    r.cwd, sizeof(r.cwd), r.why, sizeof(r.why), &r.err);
		break;
	}
	ib_bootfs_close(fs);
	return &r;
}

/* The finder finds cfg, with a reason containing why. */
#define expect_found(r, cfg, why) expect_found_at(__LINE__, r, cfg, why)

static void
expect_found_at(int line, const struct found *r, const char *cfg,
    const char *why)
{
	ck_assert_msg(r->rc == 0, "line %d: expected %s: %s", line, cfg,
	    r->err.msg);
	ck_assert_msg(strcmp(r->cfg, cfg) == 0,
	    "line %d: found %s, expected %s", line, r->cfg, cfg);
	ck_assert_msg(strstr(r->why, why) != NULL,
	    "line %d: reason '%s' lacks '%s'", line, r->why, why);
}

/* 1.1: ISOLINUX tries every name in a directory before the next
 * directory: /isolinux/syslinux.cfg beats /boot/syslinux/isolinux.cfg.
 * Each config added, from the last place to the first, takes over. */
START_TEST(test_isolinux_search_directory_major)
{
	static const char *const order[] = { "boot/isolinux/isolinux.cfg",
		"boot/isolinux/syslinux.cfg", "isolinux/isolinux.cfg",
		"isolinux/syslinux.cfg", "boot/syslinux/isolinux.cfg",
		"boot/syslinux/syslinux.cfg", "syslinux/isolinux.cfg",
		"syslinux/syslinux.cfg", "isolinux.cfg", "syslinux.cfg" };
	size_t n = sizeof(order) / sizeof(order[0]);
	char want[IB_MAX_PATH + 1];

	for (size_t i = n; i-- > 0;) {
		put(order[i], SL("k"));
		snprintf(want, sizeof(want), "/%s", order[i]);
		expect_found(find_in_top(ISOLINUX, NULL), want,
		    "ISOLINUX's search order");
		/* A boot image's directory never outranks the stock order. */
		expect_found(find_in_top(ISOLINUX, "/loader"), want,
		    "ISOLINUX's search order");
	}
}
END_TEST

/* SEMANTICS.md 3: a patched isolinux.bin (openSUSE, Slax) reads its own
 * directory, after the stock places: isolinux.cfg, then syslinux.cfg. */
START_TEST(test_isolinux_boot_image_directory_fallback)
{
	struct found *r;

	put("boot/x86_64/loader/syslinux.cfg", SL("s"));
	expect_found(find_in_top(ISOLINUX, "/boot/x86_64/loader"),
	    "/boot/x86_64/loader/syslinux.cfg", "the boot image's directory");
	put("boot/x86_64/loader/isolinux.cfg", SL("i"));
	expect_found(find_in_top(ISOLINUX, "/boot/x86_64/loader"),
	    "/boot/x86_64/loader/isolinux.cfg",
	    "directory /boot/x86_64/loader (a patched isolinux.bin");
	/* Elsewhere, the boot image's directory is not searched. */
	r = find_in_top(ISOLINUX, "/other");
	tu_expect_err(r->rc, &r->err, IB_ENOTFOUND,
	    "in ISOLINUX's search order or in /other");
}
END_TEST

/* Without a boot catalog (bootdir NULL) a tree is searched for
 * isolinux.bin, whose directory is read; else for the shallowest config. */
START_TEST(test_isolinux_tree_without_catalog)
{
	struct found *r;

	put("deep/er/syslinux.cfg", SL("deep"));
	expect_found(find_in_top(ISOLINUX, NULL), "/deep/er/syslinux.cfg",
	    "the shallowest config in the tree");
	put("a/syslinux.cfg", SL("a"));
	expect_found(find_in_top(ISOLINUX, NULL), "/a/syslinux.cfg",
	    "the shallowest config in the tree");
	put("z/loader/isolinux.bin", "bin");
	put("z/loader/isolinux.cfg", SL("z"));
	expect_found(find_in_top(ISOLINUX, NULL), "/z/loader/isolinux.cfg",
	    "the boot image's directory /z/loader");
	/* With a catalog (bootdir given) no tree search is made. */
	r = find_in_top(ISOLINUX, "/none");
	tu_expect_err(r->rc, &r->err, IB_ENOTFOUND,
	    "no isolinux.cfg or syslinux.cfg");
}
END_TEST

START_TEST(test_isolinux_nothing_is_not_found)
{
	struct found *r;

	put("boot/grub/grub.cfg", GRUB("g"));
	r = find_in_top(ISOLINUX, NULL);
	tu_expect_err(r->rc, &r->err, IB_ENOTFOUND,
	    "no isolinux.cfg or syslinux.cfg in ISOLINUX's search order");
	r = find_in_top(SYSLINUX, "/isolinux");
	tu_expect_err(r->rc, &r->err, IB_ENOTFOUND,
	    "ISOLINUX's search order or in /isolinux");
}
END_TEST

/* find_syslinux: the working directory is the config's directory. */
START_TEST(test_syslinux_cwd_is_config_dir)
{
	struct found *r;

	put("boot/isolinux/isolinux.cfg", SL("k"));
	r = find_in_top(SYSLINUX, NULL);
	expect_found(r, "/boot/isolinux/isolinux.cfg", "search order");
	ck_assert_str_eq(r->cwd, "/boot/isolinux");
	put("isolinux.cfg", SL("k"));
	ck_assert_int_eq(unlink(tu_at(top, "boot/isolinux/isolinux.cfg")), 0);
	r = find_in_top(SYSLINUX, NULL);
	expect_found(r, "/isolinux.cfg", "search order");
	ck_assert_str_eq(r->cwd, "/");
}
END_TEST

/* A netboot tree: pxelinux.0 reads pxelinux.cfg/default in the root.
 * It beats a config only the fallbacks find, not one in ISOLINUX's
 * stock places. */
START_TEST(test_syslinux_pxelinux_tree)
{
	struct found *r;

	put("pxelinux.0", "pxe");
	put("pxelinux.cfg/default", SL("pxe"));
	put("debian-installer/amd64/boot-screens/syslinux.cfg", SL("di"));
	r = find_in_top(SYSLINUX, NULL);
	expect_found(r, "/pxelinux.cfg/default", "a PXELINUX tree");
	ck_assert_str_eq(r->cwd, "/");
	ck_assert_int_eq(r->err.code, 0);
	put("isolinux/isolinux.cfg", SL("iso"));
	r = find_in_top(SYSLINUX, NULL);
	expect_found(r, "/isolinux/isolinux.cfg", "ISOLINUX's search order");
	ck_assert_str_eq(r->cwd, "/isolinux");
	/* pxelinux.0 alone is no PXELINUX tree. */
	ck_assert_int_eq(unlink(tu_at(top, "isolinux/isolinux.cfg")), 0);
	ck_assert_int_eq(unlink(tu_at(top, "pxelinux.cfg/default")), 0);
	r = find_in_top(SYSLINUX, NULL);
	expect_found(r, "/debian-installer/amd64/boot-screens/syslinux.cfg",
	    "shallowest");
}
END_TEST

/* SEMANTICS.md 3: BIOS GRUB's prefix is /boot/grub, /boot/grub2 or /grub,
 * before EFI/BOOT; EFI GRUB reads EFI/BOOT first; loopback.cfg is last
 * and the reason warns about it. */
START_TEST(test_grub_places_per_platform)
{
	put("boot/grub/loopback.cfg", GRUB("loop"));
	expect_found(find_in_top(GRUB_BIOS, NULL), "/boot/grub/loopback.cfg",
	    "loopback.cfg is meant for a GRUB that loop-mounts");
	put("EFI/BOOT/grub.cfg", GRUB("efi"));
	expect_found(find_in_top(GRUB_BIOS, NULL), "/EFI/BOOT/grub.cfg",
	    "GRUB (pc) reads /EFI/BOOT/grub.cfg");
	put("grub/grub.cfg", GRUB("gentoo"));
	expect_found(find_in_top(GRUB_BIOS, NULL), "/grub/grub.cfg",
	    "the first of the usual places");
	put("boot/grub2/grub.cfg", GRUB("fedora"));
	expect_found(find_in_top(GRUB_BIOS, NULL), "/boot/grub2/grub.cfg",
	    "GRUB (pc)");
	put("boot/grub/grub.cfg", GRUB("mkrescue"));
	expect_found(find_in_top(GRUB_BIOS, NULL), "/boot/grub/grub.cfg",
	    "GRUB (pc) reads /boot/grub/grub.cfg");
	expect_found(find_in_top(GRUB_EFI, NULL), "/EFI/BOOT/grub.cfg",
	    "GRUB (efi) reads /EFI/BOOT/grub.cfg");
	ck_assert_int_eq(unlink(tu_at(top, "EFI/BOOT/grub.cfg")), 0);
	expect_found(find_in_top(GRUB_EFI, NULL), "/boot/grub/grub.cfg",
	    "GRUB (efi)");
}
END_TEST

START_TEST(test_grub_nothing_is_not_found)
{
	struct found *r;

	put("isolinux/isolinux.cfg", SL("k"));
	put("boot/grub/grub.conf", "not GRUB 2's name\n");
	r = find_in_top(GRUB_BIOS, NULL);
	tu_expect_err(r->rc, &r->err, IB_ENOTFOUND,
	    "no grub.cfg in /boot/grub, /boot/grub2, /grub or /EFI/BOOT");
	r = find_in_top(GRUB_EFI, NULL);
	tu_expect_err(r->rc, &r->err, IB_ENOTFOUND, "no grub.cfg");
}
END_TEST

/* SYSLINUX for EFI reads a config in its own EFI/BOOT directory (any
 * case, anywhere a few levels deep, as Linux Live Kit's linux/boot),
 * unless a grub.cfg there says GRUB is the EFI loader. */
START_TEST(test_efi_syslinux_own_directory)
{
	struct found *r;

	put("linux/boot/EFI/Boot/syslinux.cfg", SL("slax"));
	r = find_in_top(EFI_SYSLINUX, NULL);
	expect_found(r, "/linux/boot/EFI/Boot/syslinux.cfg",
	    "no grub.cfg beside it");
	ck_assert_str_eq(r->cwd, "/linux/boot/EFI/Boot");
	put("linux/boot/EFI/Boot/grub.cfg", GRUB("g"));
	r = find_in_top(EFI_SYSLINUX, NULL);
	tu_expect_err(r->rc, &r->err, IB_ENOTFOUND,
	    "no syslinux config for SYSLINUX for EFI");
}
END_TEST

/* Else only syslinux.efi in the EFI directory makes the syslinux search
 * order (/boot/syslinux, /syslinux, /) SYSLINUX for EFI's. */
START_TEST(test_efi_syslinux_binary_search_order)
{
	struct found *r;

	put("syslinux/syslinux.cfg", SL("s"));
	r = find_in_top(EFI_SYSLINUX, NULL);
	tu_expect_err(r->rc, &r->err, IB_ENOTFOUND,
	    "no syslinux config for SYSLINUX for EFI");
	put("EFI/BOOT/syslinux.efi", "efi");
	r = find_in_top(EFI_SYSLINUX, NULL);
	expect_found(r, "/syslinux/syslinux.cfg",
	    "syslinux.efi in the EFI boot directory");
	ck_assert_str_eq(r->cwd, "/syslinux");
	put("boot/syslinux/syslinux.cfg", SL("b"));
	expect_found(find_in_top(EFI_SYSLINUX, NULL),
	    "/boot/syslinux/syslinux.cfg", "in its search order");
	put("boot/syslinux/extlinux.conf", SL("e"));
	expect_found(find_in_top(EFI_SYSLINUX, NULL),
	    "/boot/syslinux/extlinux.conf", "in its search order");
}
END_TEST

/* --- a tree's menu --- */

static ib_menu *
tree_menu(const char *platform, ib_err *err)
{
	ib_bootfs *fs;
	ib_menu *m;

	fs = top_fs(err);
	m = ib_bootcfg_read_tree(fs, platform, err);
	ib_bootfs_close(fs);
	return m;
}

static ib_menu *
tree_menu_ok(const char *platform)
{
	ib_menu *m;
	ib_err err;

	m = tree_menu(platform, &err);
	ck_assert_msg(m != NULL, "%s: %s", platform, err.msg);
	return m;
}

/* BIOS boots the syslinux config, EFI GRUB's; the first note says why. */
START_TEST(test_tree_bios_syslinux_efi_grub)
{
	ib_menu *m;

	put("isolinux/isolinux.cfg", SL("sl"));
	put("boot/grub/grub.cfg", GRUB("bios-grub"));
	put("EFI/BOOT/grub.cfg", GRUB("efi-grub"));
	m = tree_menu_ok("bios");
	expect_linux(def(m), "/sl", "", 0);
	expect_note(m, 0, "ISOLINUX's search order");
	ck_assert_str_eq(ib_menu_config(m), "/isolinux/isolinux.cfg");
	ib_menu_free(m);
	m = tree_menu_ok("efi");
	expect_linux(def(m), "/efi-grub", "", 0);
	expect_note(m, 0, "GRUB (efi) reads /EFI/BOOT/grub.cfg");
	ib_menu_free(m);
	/* No syslinux config: BIOS reads GRUB's. */
	ck_assert_int_eq(unlink(tu_at(top, "isolinux/isolinux.cfg")), 0);
	m = tree_menu_ok("bios");
	expect_linux(def(m), "/bios-grub", "", 0);
	expect_note(m, 0, "GRUB (pc) reads /boot/grub/grub.cfg");
	ib_menu_free(m);
}
END_TEST

/* On EFI a syslinux config alone in the EFI boot directory wins over a
 * grub.cfg elsewhere. */
START_TEST(test_tree_efi_syslinux)
{
	ib_menu *m;

	put("EFI/BOOT/syslinux.cfg", "DEFAULT a\nLABEL a\nKERNEL vmlinuz\n");
	put("boot/grub/grub.cfg", GRUB("grub"));
	m = tree_menu_ok("efi");
	/* relative to SYSLINUX for EFI's working directory */
	expect_linux(def(m), "/EFI/BOOT/vmlinuz", "", 0);
	expect_note(m, 0, "SYSLINUX for EFI reads /EFI/BOOT/syslinux.cfg");
	ib_menu_free(m);
}
END_TEST

START_TEST(test_tree_nothing_is_not_found)
{
	ib_err err;

	put("README", "no boot loader here\n");
	ck_assert_ptr_null(tree_menu("bios", &err));
	ck_assert_int_eq(err.code, IB_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "no grub.cfg") != NULL, "%s", err.msg);
	ck_assert_ptr_null(tree_menu("efi", &err));
	ck_assert_int_eq(err.code, IB_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "no grub.cfg") != NULL, "%s", err.msg);
}
END_TEST

/* read_config picks the parser by the name: GRUB for grub.cfg,
 * loopback.cfg and anything under a grub directory; else syslinux. */
START_TEST(test_read_config_parser_by_name)
{
	static const char *const grubs[] = { "/boot/grub/grub.cfg",
		"/boot/grub/x86_64-efi/menu.cfg", "/boot/grub/loopback.cfg",
		"/EFI/BOOT/grub.cfg" };
	ib_bootfs *fs;
	ib_menu *m;
	ib_err err;

	for (size_t i = 0; i < sizeof(grubs) / sizeof(grubs[0]); i++)
		put(grubs[i] + 1, GRUB("g"));
	put("isolinux/txt.cfg", "DEFAULT a\nLABEL a\nKERNEL vmlinuz\n");
	fs = top_fs(&err);
	for (size_t i = 0; i < sizeof(grubs) / sizeof(grubs[0]); i++) {
		m = ib_bootcfg_read_config(fs, grubs[i], NULL, "bios", &err);
		ck_assert_msg(m != NULL, "%s: %s", grubs[i], err.msg);
		expect_linux(def(m), "/g", "", 0);
		ib_menu_free(m);
	}
	m = ib_bootcfg_read_config(fs, "/isolinux/txt.cfg", "/isolinux", "bios",
	    &err);
	ck_assert_msg(m != NULL, "%s", err.msg);
	expect_linux(def(m), "/isolinux/vmlinuz", "", 0);
	ib_menu_free(m);
	ib_bootfs_close(fs);
}
END_TEST

/* --- an image's menu --- */

/* A hybrid image as the corpus has them: isolinux.bin for BIOS, GRUB's
 * efi.img for EFI, configs of both loaders (plain ECMA-119 names: found
 * without regard to case). */
static const struct member hybrid[] = {
	{ "ISOLINUX/ISOLINUX.BIN", "isolinux.bin", 0 },
	{ "ISOLINUX/ISOLINUX.CFG", SL("iso"), 0 },
	{ "BOOT/GRUB/EFI.IMG", "fat", 0 },
	{ "BOOT/GRUB/GRUB.CFG", GRUB("bootgrub"), 0 },
	{ "BOOT/GRUB/I386_PC/ELTORITO.IMG", "grub", 0 },
	{ "EFI/BOOT/GRUB.CFG", GRUB("efigrub"), 0 },
};

/* BIOS: the boot image is isolinux.bin, so ISOLINUX's config is read;
 * the notes name the boot image, then the config and the rule. */
START_TEST(test_iso_bios_isolinux)
{
	struct spec s = { hybrid, NMEMB(hybrid), "ISOLINUX/ISOLINUX.BIN",
		"BOOT/GRUB/EFI.IMG", 0 };
	ib_menu *m;

	m = iso_menu_ok(&s, "bios");
	expect_linux(def(m), "/iso", "", 0);
	expect_note(m, 0,
	    "El Torito BIOS boot image /ISOLINUX/ISOLINUX.BIN (ISOLINUX)");
	expect_note(m, 1, "ISOLINUX's search order");
	expect_note(m, 1, "finds /isolinux/isolinux.cfg");
	ib_menu_free(m);
}
END_TEST

/* BIOS: a boot image that is not ISOLINUX's means GRUB, even with an
 * isolinux.cfg on the image. */
START_TEST(test_iso_bios_grub_boot_image)
{
	struct spec s = { hybrid, NMEMB(hybrid),
		"BOOT/GRUB/I386_PC/ELTORITO.IMG", NULL, 0 };
	ib_menu *m;

	m = iso_menu_ok(&s, "bios");
	expect_linux(def(m), "/bootgrub", "", 0);
	expect_note(m, 0,
	    "El Torito BIOS boot image /BOOT/GRUB/I386_PC/ELTORITO.IMG "
	    "(GRUB)");
	expect_note(m, 1, "GRUB (pc) reads /boot/grub/grub.cfg");
	ib_menu_free(m);
}
END_TEST

/* EFI: the EFI entry's image is taken for GRUB, which reads EFI/BOOT's
 * config first. */
START_TEST(test_iso_efi_grub)
{
	struct spec s = { hybrid, NMEMB(hybrid), "ISOLINUX/ISOLINUX.BIN",
		"BOOT/GRUB/EFI.IMG", 0 };
	ib_menu *m;

	m = iso_menu_ok(&s, "efi");
	expect_linux(def(m), "/efigrub", "", 0);
	expect_note(m, 0, "El Torito EFI boot image /BOOT/GRUB/EFI.IMG (GRUB)");
	expect_note(m, 1, "GRUB (efi) reads /EFI/BOOT/grub.cfg");
	ib_menu_free(m);
	/* An EFI-only catalog (its default entry is EFI's) boots too. */
	s.bios = NULL;
	m = iso_menu_ok(&s, "efi");
	expect_linux(def(m), "/efigrub", "", 0);
	ib_menu_free(m);
}
END_TEST

/* EFI without a GRUB config: SYSLINUX for EFI's config in EFI/BOOT. */
START_TEST(test_iso_efi_syslinux)
{
	static const struct member mm[] = {
		{ "EFI/BOOT/BOOTX64.EFI", "syslinux.efi", 0 },
		{ "EFI/BOOT/SYSLINUX.CFG", SL("efisl"), 0 },
		{ "EFIBOOT.IMG", "fat", 0 },
	};
	struct spec s = { mm, NMEMB(mm), NULL, "EFIBOOT.IMG", 0 };
	ib_menu *m;

	m = iso_menu_ok(&s, "efi");
	expect_linux(def(m), "/efisl", "", 0);
	expect_note(m, 0, "El Torito EFI boot image /EFIBOOT.IMG");
	/* the image's own name: found by a search, not a lookup */
	expect_note(m, 1, "SYSLINUX for EFI reads /EFI/BOOT/SYSLINUX.CFG");
	ib_menu_free(m);
}
END_TEST

/* An image whose catalog has no EFI entry does not boot on UEFI, and the
 * error says so rather than reading some config anyway. */
START_TEST(test_iso_efi_without_entry)
{
	struct spec s = { hybrid, NMEMB(hybrid), "ISOLINUX/ISOLINUX.BIN", NULL,
		0 };
	ib_err err;

	ck_assert_ptr_null(iso_menu(&s, "efi", &err));
	ck_assert_int_eq(err.code, IB_ENOTFOUND);
	ck_assert_msg(strstr(err.msg,
	                  "the El Torito catalog has no EFI "
	                  "entry") != NULL,
	    "%s", err.msg);
	/* No catalog at all: the same. */
	s.bios = NULL;
	ck_assert_ptr_null(iso_menu(&s, "efi", &err));
	ck_assert_int_eq(err.code, IB_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "not boot on UEFI") != NULL, "%s",
	    err.msg);
}
END_TEST

/* openSUSE: isolinux.bin and its config in /boot/x86_64/loader, which
 * stock ISOLINUX never searches: the boot image's directory is, the one
 * the catalog names, not the shallowest isolinux.bin of the tree. */
START_TEST(test_iso_boot_image_directory)
{
	static const struct member mm[] = {
		{ "BOOT/X86_64/LOADER/ISOLINUX.BIN", "isolinux.bin", 0 },
		{ "BOOT/X86_64/LOADER/ISOLINUX.CFG", SL("suse"), 0 },
		{ "OLD/ISOLINUX.BIN", "an older isolinux.bin", 0 },
		{ "OLD/ISOLINUX.CFG", SL("old"), 0 },
	};
	struct spec s = { mm, NMEMB(mm), "BOOT/X86_64/LOADER/ISOLINUX.BIN",
		NULL, 0 };
	ib_menu *m;

	m = iso_menu_ok(&s, "bios");
	expect_linux(def(m), "/suse", "", 0);
	expect_note(m, 1, "not in ISOLINUX's stock search order");
	expect_note(m, 1, "the boot image's directory /BOOT/X86_64/LOADER");
	ck_assert_str_eq(ib_menu_config(m), "/BOOT/X86_64/LOADER/isolinux.cfg");
	ib_menu_free(m);
}
END_TEST

/* A boot image no file holds (hidden by xorriso), or no catalog at all:
 * the note says so and the tree is searched as without a catalog. */
START_TEST(test_iso_hidden_boot_image)
{
	static const struct member mm[] = {
		{ "BOOT/LOADER/ISOLINUX.BIN", "isolinux.bin", 0 },
		{ "BOOT/LOADER/ISOLINUX.CFG", SL("hidden"), 0 },
	};
	struct spec s = { mm, NMEMB(mm), "", NULL, 0 };
	ib_menu *m;

	m = iso_menu_ok(&s, "bios");
	expect_linux(def(m), "/hidden", "", 0);
	expect_note(m, 0, "no El Torito BIOS boot image in the directory tree");
	expect_note(m, 1, "the boot image's directory /BOOT/LOADER");
	ib_menu_free(m);
	s.bios = NULL;
	m = iso_menu_ok(&s, "bios");
	expect_linux(def(m), "/hidden", "", 0);
	expect_note(m, 0, "no El Torito BIOS boot image in the directory tree");
	ib_menu_free(m);
}
END_TEST

/* memtest86+'s floppy image: a boot image and no config of either
 * loader. Not found, and the message names the boot image. */
START_TEST(test_iso_boot_image_without_config)
{
	static const struct member mm[] = {
		{ "BOOT/MEMTEST.IMG", "floppy", 0 },
		{ "README.TXT", "hello\n", 0 },
	};
	struct spec s = { mm, NMEMB(mm), "BOOT/MEMTEST.IMG", NULL, 0 };
	ib_err err;

	ck_assert_ptr_null(iso_menu(&s, "bios", &err));
	ck_assert_int_eq(err.code, IB_ENOTFOUND);
	ck_assert_msg(strstr(err.msg,
	                  "the El Torito BIOS entry boots "
	                  "/BOOT/MEMTEST.IMG, and there is no "
	                  "ISOLINUX or GRUB config") != NULL,
	    "%s", err.msg);
}
END_TEST

/* isolinux.bin boots on BIOS: without its config there is nothing to
 * read, GRUB's config notwithstanding (ISOLINUX never reads it). */
START_TEST(test_iso_isolinux_without_config)
{
	static const struct member mm[] = {
		{ "ISOLINUX/ISOLINUX.BIN", "isolinux.bin", 0 },
		{ "BOOT/GRUB/GRUB.CFG", GRUB("g"), 0 },
	};
	struct spec s = { mm, NMEMB(mm), "ISOLINUX/ISOLINUX.BIN", NULL, 0 };
	ib_err err;

	ck_assert_ptr_null(iso_menu(&s, "bios", &err));
	ck_assert_int_eq(err.code, IB_ENOTFOUND);
	ck_assert_msg(strstr(err.msg,
	                  "no isolinux.cfg or syslinux.cfg in "
	                  "ISOLINUX's search order or in "
	                  "/ISOLINUX") != NULL,
	    "%s", err.msg);
}
END_TEST

/* --- kernel_info --- */

/* An arm64 Image header: "ARM\x64" at 0x38 (arm64/booting.rst). */
static void
arm64_image(char *buf, size_t len)
{
	ck_assert_uint_ge(len, 64);
	memset(buf, 'x', len);
	buf[len - 1] = '\0';
	memcpy(buf + 0x38, "ARM\x64", 4);
}

/* What a kernel file is, on a tree and in an image (read past the
 * first 64 KiB only for the size); a missing one is IB_ENOTFOUND. */
START_TEST(test_kernel_info)
{
	static char big[70001];
	struct member mm[] = { { "BOOT/IMAGE", big, 0 },
		{ "BOOT/VMLINUZ.GZ", "\x1f\x8b\x08 rest", 0 } };
	struct spec s = { mm, NMEMB(mm), NULL, NULL, 0 };
	ib_kernel_info ki;
	ib_bootfs *fs;
	ib_iso *iso;
	ib_err err;

	arm64_image(big, sizeof(big));
	put("boot/Image", big);
	put("boot/empty", "");
	fs = top_fs(&err);
	ck_assert_int_eq(ib_bootcfg_kernel_info(fs, "/boot/Image", &ki, &err),
	    0);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ARM64);
	ck_assert_uint_eq(ki.filesize, sizeof(big) - 1);
	ck_assert_int_eq(ib_bootcfg_kernel_info(fs, "/boot/empty", &ki, &err),
	    0);
	ck_assert_int_eq(ki.kind, IB_KERNEL_EMPTY);
	tu_expect_err(ib_bootcfg_kernel_info(fs, "/boot/none", &ki, &err), &err,
	    IB_ENOTFOUND, "not found");
	ib_bootfs_close(fs);

	iso = open_image(&s);
	fs = ib_bootfs_open_iso(iso, &err);
	ck_assert_ptr_nonnull(fs);
	ck_assert_int_eq(ib_bootcfg_kernel_info(fs, "/boot/image", &ki, &err),
	    0);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ARM64);
	ck_assert_uint_eq(ki.filesize, sizeof(big) - 1);
	ck_assert_int_eq(
	    ib_bootcfg_kernel_info(fs, "/boot/vmlinuz.gz", &ki, &err), 0);
	ck_assert_int_eq(ki.kind, IB_KERNEL_GZIP);
	tu_expect_err(ib_bootcfg_kernel_info(fs, "/boot/none", &ki, &err), &err,
	    IB_ENOTFOUND, "not found");
	ib_bootfs_close(fs);
	ib_iso_close(iso);
}
END_TEST

/* A missing kernel's message says which file is missing: plan and the
 * tools print it without the path. */
START_TEST(test_missing_kernel_message_names_path)
{
	static const struct member mm[] = {
		{ "BOOT/VMLINUZ", "\x1f\x8b\x08 rest", 0 },
	};
	struct spec s = { mm, NMEMB(mm), NULL, NULL, 0 };
	ib_kernel_info ki;
	ib_bootfs *fs;
	ib_iso *iso;
	ib_err err;

	fs = top_fs(&err);
	tu_expect_err(ib_bootcfg_kernel_info(fs, "/boot/none", &ki, &err), &err,
	    IB_ENOTFOUND, "/boot/none: not found");
	ib_bootfs_close(fs);
	iso = open_image(&s);
	fs = ib_bootfs_open_iso(iso, &err);
	ck_assert_ptr_nonnull(fs);
	tu_expect_err(ib_bootcfg_kernel_info(fs, "/boot/none", &ki, &err), &err,
	    IB_ENOTFOUND, "/boot/none: not found");
	ib_bootfs_close(fs);
	ib_iso_close(iso);
}
END_TEST

/* --- partial images: a read error is never "not found" --- */

/* Build s, then again without its last sector: the last member's data
 * lies past the end of the image, as in a partial download. */
static void
build_truncated(struct spec *s)
{
	struct stat st;

	s->keep = 0;
	build(s);
	ck_assert_int_eq(stat(tu_at(top, "img.iso"), &st), 0);
	s->keep = (size_t)st.st_size / ISOGEN_SECTOR - 1;
}

/*
 * The config ISOLINUX or GRUB reads first lies past the end of a cut
 * image. The lookup skipped the broken entry, so the finders went on:
 * "no isolinux.cfg or syslinux.cfg" (the first 1 MB of ipxe.iso), or the
 * next config in the search order read as if it were the one.
 */
START_TEST(test_truncated_config_read_as_not_found)
{
	static const struct member iso_only[] = {
		{ "ISOLINUX/ISOLINUX.BIN", "isolinux.bin", 0 },
		{ "ISOLINUX/ISOLINUX.CFG", SL("iso"), 0 },
	};
	static const struct member iso_next[] = {
		{ "ISOLINUX/ISOLINUX.BIN", "isolinux.bin", 0 },
		{ "SYSLINUX/SYSLINUX.CFG", SL("wrong"), 0 },
		{ "ISOLINUX/ISOLINUX.CFG", SL("iso"), 0 },
	};
	static const struct member grub_next[] = {
		{ "BOOT/GRUB/I386_PC/ELTORITO.IMG", "grub", 0 },
		{ "EFI/BOOT/GRUB.CFG", GRUB("wrong"), 0 },
		{ "BOOT/GRUB/GRUB.CFG", GRUB("bootgrub"), 0 },
	};
	struct spec s[] = {
		{ iso_only, NMEMB(iso_only), "ISOLINUX/ISOLINUX.BIN", NULL, 0 },
		{ iso_next, NMEMB(iso_next), "ISOLINUX/ISOLINUX.BIN", NULL, 0 },
		{ grub_next, NMEMB(grub_next), "BOOT/GRUB/I386_PC/ELTORITO.IMG",
		    NULL, 0 },
	};
	static const char *const want[] = {
		"isolinux/isolinux.cfg: file data beyond the end of the image",
		"isolinux/isolinux.cfg: file data beyond the end of the image",
		"boot/grub/grub.cfg: file data beyond the end of the image",
	};
	ib_menu *m;
	ib_err err;

	for (size_t i = 0; i < NMEMB(s); i++) {
		build_truncated(&s[i]);
		ib_err_clear(&err);
		m = iso_menu(&s[i], "bios", &err);
		if (m != NULL)
			ck_abort_msg("case %zu: read %s (default kernel %s) "
			             "instead of failing",
			    i, ib_menu_config(m),
			    ib_menu_default(m) != NULL ?
			        ib_menu_default(m)->kernel :
			        "(none)");
		ck_assert_msg(err.code != 0 && err.code != IB_ENOTFOUND,
		    "case %zu: code %d (IB_ENOTFOUND is %d): %s", i, err.code,
		    IB_ENOTFOUND, err.msg);
		ck_assert_msg(strstr(err.msg, "beyond the end") != NULL,
		    "case %zu: message '%s' lacks 'beyond the end'", i,
		    err.msg);
		ck_assert_int_eq(err.code, IB_EFORMAT);
		ck_assert_str_eq(err.msg, want[i]);
	}
}
END_TEST

/* The kernel of a cut image: "not found" said the file was not there,
 * when its data is what is missing. */
START_TEST(test_truncated_kernel_read_as_not_found)
{
	static const struct member mm[] = {
		{ "ISOLINUX/ISOLINUX.CFG", SL("boot/vmlinuz"), 0 },
		{ "BOOT/VMLINUZ", "\x1f\x8b\x08 rest", 0 },
	};
	struct spec s = { mm, NMEMB(mm), NULL, NULL, 0 };
	ib_kernel_info ki;
	ib_bootfs *fs;
	ib_iso *iso;
	ib_err err;

	build_truncated(&s);
	iso = open_image(&s);
	fs = ib_bootfs_open_iso(iso, &err);
	ck_assert_ptr_nonnull(fs);
	ck_assert_int_eq(ib_bootcfg_kernel_info(fs, "/boot/vmlinuz", &ki, &err),
	    -1);
	ck_assert_msg(err.code != IB_ENOTFOUND, "code %d: %s", err.code,
	    err.msg);
	ck_assert_msg(strstr(err.msg, "beyond the end") != NULL, "%s", err.msg);
	ck_assert_str_eq(err.msg,
	    "/boot/vmlinuz: file data beyond the end of the image");
	ib_bootfs_close(fs);
	ib_iso_close(iso);
}
END_TEST

/* Point the record of directory name in the root directory past the end
 * of the image built last, as a cut image whose directory was last. */
static void
break_root_dir(const char *name)
{
	unsigned char d[ISOGEN_SECTOR];
	size_t off, len;
	FILE *f;

	f = fopen(tu_at(top, "img.iso"), "r+b");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, (long)ISOTEST_DIR0 * ISOGEN_SECTOR, SEEK_SET),
	    0);
	ck_assert_uint_eq(fread(d, 1, sizeof(d), f), sizeof(d));
	len = strlen(name);
	for (off = 0; off < sizeof(d) && d[off] != 0; off += d[off])
		if (d[off + 32] == len && memcmp(d + off + 33, name, len) == 0)
			break;
	ck_assert_msg(off < sizeof(d) && d[off] != 0, "no %s", name);
	isogen_both32(d + off + 2, 0x00ffffff);
	ck_assert_int_eq(fseek(f, (long)ISOTEST_DIR0 * ISOGEN_SECTOR, SEEK_SET),
	    0);
	ck_assert_uint_eq(fwrite(d, 1, sizeof(d), f), sizeof(d));
	ck_assert_int_eq(fclose(f), 0);
}

/*
 * A directory on the way cannot be read: the lookup skipped it and
 * ISOLINUX's search went on to /syslinux.cfg; the tree search for a
 * config (no boot catalog) found nothing where the broken directory may
 * hold it.
 */
START_TEST(test_broken_directory_read_as_not_found)
{
	static const struct member on_way[] = {
		{ "ISOLINUX/ISOLINUX.BIN", "isolinux.bin", 0 },
		{ "ISOLINUX/ISOLINUX.CFG", SL("iso"), 0 },
		{ "SYSLINUX.CFG", SL("wrong"), 0 },
	};
	static const struct member searched[] = {
		{ "LOADER/ISOLINUX.BIN", "isolinux.bin", 0 },
		{ "LOADER/ISOLINUX.CFG", SL("loader"), 0 },
	};
	struct spec s = { on_way, NMEMB(on_way), NULL, NULL, 0 };
	ib_menu *m;
	ib_err err;

	build(&s);
	break_root_dir("ISOLINUX");
	m = built_menu("bios", &err);
	ck_assert_msg(m == NULL, "read %s", ib_menu_config(m));
	tu_expect_err(-1, &err, IB_EFORMAT,
	    "isolinux/isolinux.cfg: ISOLINUX: directory beyond the end of "
	    "the image");

	s.m = searched;
	s.n = NMEMB(searched);
	build(&s);
	break_root_dir("LOADER");
	m = built_menu("bios", &err);
	ck_assert_msg(m == NULL, "read %s", ib_menu_config(m));
	tu_expect_err(-1, &err, IB_EFORMAT,
	    "LOADER: directory beyond the end of the image");
}
END_TEST

/* A tree without a boot catalog: the config the search finds first is
 * cut off. Not "no config", and not a deeper one. */
START_TEST(test_truncated_searched_config_read_as_not_found)
{
	static const struct member mm[] = {
		{ "A/B/SYSLINUX.CFG", SL("deeper"), 0 },
		{ "A/SYSLINUX.CFG", SL("first"), 0 },
	};
	struct spec s = { mm, NMEMB(mm), NULL, NULL, 0 };
	ib_err err;

	build_truncated(&s);
	ck_assert_ptr_null(iso_menu(&s, "bios", &err));
	tu_expect_err(-1, &err, IB_EFORMAT,
	    "A/SYSLINUX.CFG: file data beyond the end of the image");
}
END_TEST

static Suite *
bootcfg_suite(void)
{
	Suite *s = menu_suite("bootcfg");

	/* finders on a tree */
	add(s, "isolinux_search_directory_major",
	    test_isolinux_search_directory_major);
	add(s, "isolinux_boot_image_directory_fallback",
	    test_isolinux_boot_image_directory_fallback);
	add(s, "isolinux_tree_without_catalog",
	    test_isolinux_tree_without_catalog);
	add(s, "isolinux_nothing_is_not_found",
	    test_isolinux_nothing_is_not_found);
	add(s, "syslinux_cwd_is_config_dir", test_syslinux_cwd_is_config_dir);
	add(s, "syslinux_pxelinux_tree", test_syslinux_pxelinux_tree);
	add(s, "grub_places_per_platform", test_grub_places_per_platform);
	add(s, "grub_nothing_is_not_found", test_grub_nothing_is_not_found);
	add(s, "efi_syslinux_own_directory", test_efi_syslinux_own_directory);
	add(s, "efi_syslinux_binary_search_order",
	    test_efi_syslinux_binary_search_order);
	/* a tree's menu */
	add(s, "tree_bios_syslinux_efi_grub", test_tree_bios_syslinux_efi_grub);
	add(s, "tree_efi_syslinux", test_tree_efi_syslinux);
	add(s, "tree_nothing_is_not_found", test_tree_nothing_is_not_found);
	add(s, "read_config_parser_by_name", test_read_config_parser_by_name);
	/* an image's menu */
	add(s, "iso_bios_isolinux", test_iso_bios_isolinux);
	add(s, "iso_bios_grub_boot_image", test_iso_bios_grub_boot_image);
	add(s, "iso_efi_grub", test_iso_efi_grub);
	add(s, "iso_efi_syslinux", test_iso_efi_syslinux);
	add(s, "iso_efi_without_entry", test_iso_efi_without_entry);
	add(s, "iso_boot_image_directory", test_iso_boot_image_directory);
	add(s, "iso_hidden_boot_image", test_iso_hidden_boot_image);
	add(s, "iso_boot_image_without_config",
	    test_iso_boot_image_without_config);
	add(s, "iso_isolinux_without_config", test_iso_isolinux_without_config);
	/* kernels */
	add(s, "kernel_info", test_kernel_info);
	add(s, "missing_kernel_message_names_path",
	    test_missing_kernel_message_names_path);
	/* partial and broken images */
	add(s, "truncated_config_read_as_not_found",
	    test_truncated_config_read_as_not_found);
	add(s, "truncated_kernel_read_as_not_found",
	    test_truncated_kernel_read_as_not_found);
	add(s, "broken_directory_read_as_not_found",
	    test_broken_directory_read_as_not_found);
	add(s, "truncated_searched_config_read_as_not_found",
	    test_truncated_searched_config_read_as_not_found);
	return s;
}

int
main(void)
{
	return tu_run(bootcfg_suite());
}
