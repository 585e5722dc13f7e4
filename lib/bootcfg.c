/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ctype.h>
#include <stdlib.h>

#include "bootcfg.h"
#include "bounds.h"
#include "eltorito.h"
#include "grub.h"
#include "menu_int.h"
#include "syslinux.h"

/* The working directory ISOLINUX has for config path: its directory. */
static void
dir_of(const char *path, char *cwd, size_t cwdsz)
{
	const char *slash;
	size_t n;

	slash = strrchr(path, '/');
	n = slash != NULL ? (size_t)(slash - path) : 0;
	if (n == 0) {
		snprintf(cwd, cwdsz, "/");
		return;
	}
	snprintf(cwd, cwdsz, "%.*s", (int)n, path);
}

/*
 * Whether the file at path is there: 1, 0, or -1 with *err naming path.
 * A file that is there but cannot be read stops a finder: the loader
 * would fail on it, not go on to the next place (a partial download
 * would otherwise read as "no config", or boot another one).
 */
static int
has(ib_bootfs *fs, const char *path, ib_err *err)
{
	char q[IB_MAX_PATH + 1];
	int rc;

	rc = ib_bootfs_lookup(fs, path, err);
	if (rc != -1)
		return rc;
	path += path[0] == '/';
	ib_quote(q, sizeof(q), path, strlen(path));
	return ib_err_prefix(err, "%s: ", q);
}

/* The first DIR/NAME that exists, directory-major as the syslinux family
 * searches (all names in one directory before the next; "" is the root),
 * in out: 1, 0 (none), or -1 with *err. */
static int
first_existing(ib_bootfs *fs, const char *const *dirs, size_t nd,
    const char *const *names, size_t nn, char *out, size_t outsz, ib_err *err)
{
	size_t d, k;
	int rc;

	for (d = 0; d < nd; d++)
		for (k = 0; k < nn; k++) {
			snprintf(out, outsz, "%s/%s", dirs[d], names[k]);
			rc = has(fs, out, err);
			if (rc != 0)
				return rc;
		}
	return 0;
}

/* Put the finder's reasons (boot image, which config and why) before the
 * parser's notes. */
static ib_menu *
with_reasons(ib_menu *m, const char *boot, const char *why, ib_err *err)
{
	ib_menu *t;
	size_t i;

	t = ib_menu_new(m->loader, m->config, err);
	if (t == NULL) {
		ib_menu_free(m);
		return NULL;
	}
	if (boot != NULL)
		ib_menu_notef(t, "%s", boot);
	ib_menu_notef(t, "%s", why);
	ib_menu_notes_append(t, m);
	for (i = 0; i < m->nnotes; i++)
		free(m->notes[i]);
	free(m->notes);
	free(m->aside);
	m->notes = t->notes;
	m->aside = t->aside;
	m->nnotes = t->nnotes;
	m->notecap = t->notecap;
	t->notes = NULL;
	t->aside = NULL;
	t->nnotes = 0;
	ib_menu_free(t);
	return m;
}

/* GRUB's platform name for ours. */
static const char *
grub_platform(const char *platform)
{
	return strcmp(platform, "efi") == 0 ? "efi" : "pc";
}

int
ib_bootcfg_find_grub(ib_bootfs *fs, const char *platform, char *out,
    size_t outsz, char *why, size_t whysz, ib_err *err)
{
	/* Where GRUB images look (SEMANTICS.md 3): the BIOS image's prefix
	 * is /boot/grub (grub-mkrescue), /boot/grub2 (Fedora), /grub
	 * (Gentoo); an EFI image's early config usually points at the one
	 * beside it. loopback.cfg is for another GRUB (2.6): last. */
	static const char *const pc[] = { "/boot/grub/grub.cfg",
		"/boot/grub2/grub.cfg", "/grub/grub.cfg", "/EFI/BOOT/grub.cfg",
		"/EFI/boot/grub.cfg", "/boot/grub/loopback.cfg" };
	static const char *const efi[] = { "/EFI/BOOT/grub.cfg",
		"/EFI/boot/grub.cfg", "/boot/grub/grub.cfg",
		"/boot/grub2/grub.cfg", "/grub/grub.cfg",
		"/boot/grub/loopback.cfg" };
	const char *const *list;
	size_t i;
	int rc;

	list = strcmp(platform, "efi") == 0 ? efi : pc;
	for (i = 0; i < sizeof(pc) / sizeof(pc[0]); i++) {
		rc = has(fs, list[i], err);
		if (rc == -1)
			return -1;
		if (rc == 0)
			continue;
		snprintf(out, outsz, "%s", list[i]);
		snprintf(why, whysz,
		    "GRUB (%s) reads %s: the first of the usual places%s",
		    grub_platform(platform), out,
		    strstr(out, "loopback") != NULL ?
		        " (loopback.cfg is meant for a GRUB that loop-mounts "
		        "the image: check the result)" :
		        "");
		return 0;
	}
	return ib_err_set(err, IB_ENOTFOUND,
	    "no grub.cfg in /boot/grub, /boot/grub2, /grub or /EFI/BOOT");
}

int
ib_bootcfg_find_efi_syslinux(ib_bootfs *fs, char *out, size_t outsz, char *cwd,
    size_t cwdsz, char *why, size_t whysz, ib_err *err)
{
	/* syslinux.efi (sl:core/fs/lib/loadconfig.c) tries its own
	 * directory, then /boot/syslinux, /syslinux and /, each with
	 * extlinux.conf, syslx64.cfg, syslinux.cfg. Its own directory is
	 * the firmware's EFI/BOOT (any case: FAT), anywhere in a tree that
	 * is copied to a stick (Linux Live Kit keeps it in linux/boot). */
	static const char *const own[] = { "EFI/BOOT/extlinux.conf",
		"EFI/Boot/extlinux.conf", "EFI/boot/extlinux.conf",
		"EFI/BOOT/syslx64.cfg", "EFI/Boot/syslx64.cfg",
		"EFI/boot/syslx64.cfg", "EFI/BOOT/syslinux.cfg",
		"EFI/Boot/syslinux.cfg", "EFI/boot/syslinux.cfg" };
	static const char *const dirs[] = { "/boot/syslinux", "/syslinux", "" };
	static const char *const names[] = { "extlinux.conf", "syslx64.cfg",
		"syslinux.cfg" };
	char grub[IB_MAX_PATH + 1];
	int rc;

	rc = ib_bootfs_search(fs, own, sizeof(own) / sizeof(own[0]), 6, out,
	    outsz, err);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		dir_of(out, cwd, cwdsz);
		snprintf(grub, sizeof(grub), "%s/grub.cfg", cwd);
		rc = has(fs, grub, err);
		if (rc == -1)
			return -1;
		if (rc == 0) {
			snprintf(why, whysz,
			    "SYSLINUX for EFI reads %s: a syslinux config in "
			    "the EFI boot directory, and no grub.cfg beside "
			    "it",
			    out);
			return 0;
		}
	} else {
		/* Only a syslinux.efi in the EFI directory says so. */
		static const char *const bin[] = { "EFI/BOOT/syslinux.efi",
			"EFI/Boot/syslinux.efi", "EFI/boot/syslinux.efi" };

		rc = ib_bootfs_search(fs, bin, 3, 6, out, outsz, err);
		if (rc == 1)
			rc = first_existing(fs, dirs,
			    sizeof(dirs) / sizeof(dirs[0]), names, 3, out,
			    outsz, err);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			dir_of(out, cwd, cwdsz);
			snprintf(why, whysz,
			    "SYSLINUX for EFI (syslinux.efi in the EFI boot "
			    "directory) finds %s in its search order",
			    out);
			return 0;
		}
	}
	return ib_err_set(err, IB_ENOTFOUND,
	    "no syslinux config for SYSLINUX for EFI");
}

static bool
is_grub_config(const char *path)
{
	const char *base;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	return strstr(base, "grub") != NULL ||
	    strcmp(base, "loopback.cfg") == 0 || strstr(path, "/grub") != NULL;
}

ib_menu *
ib_bootcfg_read_config(ib_bootfs *fs, const char *path, const char *cwd,
    const char *platform, ib_err *err)
{
	if (is_grub_config(path))
		return ib_grub_parse(fs, path, grub_platform(platform), err);
	return ib_syslinux_parse(fs, path, cwd, err);
}

ib_menu *
ib_bootcfg_read_tree(ib_bootfs *fs, const char *platform, ib_err *err)
{
	char cfg[IB_MAX_PATH + 1], cwd[IB_MAX_PATH + 1], why[IB_MAX_PATH + 256];
	ib_menu *m;
	int rc;

	/* BIOS: ISOLINUX first, as the corpus's ISOs boot; EFI: GRUB
	 * unless the EFI boot directory holds SYSLINUX's config. A config
	 * that is there but unreadable stops the search. */
	if (strcmp(platform, "efi") != 0)
		rc = ib_bootcfg_find_syslinux(fs, NULL, cfg, sizeof(cfg), cwd,
		    sizeof(cwd), why, sizeof(why), err);
	else
		rc = ib_bootcfg_find_efi_syslinux(fs, cfg, sizeof(cfg), cwd,
		    sizeof(cwd), why, sizeof(why), err);
	if (rc == 0) {
		m = ib_syslinux_parse(fs, cfg, cwd, err);
	} else if (err->code == IB_ENOTFOUND &&
	    ib_bootcfg_find_grub(fs, platform, cfg, sizeof(cfg), why,
	        sizeof(why), err) == 0) {
		m = ib_grub_parse(fs, cfg, grub_platform(platform), err);
	} else {
		return NULL;
	}
	return m != NULL ? with_reasons(m, NULL, why, err) : NULL;
}

ib_menu *
ib_bootcfg_read_iso(ib_iso *iso, const char *platform, ib_err *err)
{
	char boot[IB_MAX_PATH + 1], dir[IB_MAX_PATH + 1],
	    lower[IB_MAX_NAME + 1];
	char cfg[IB_MAX_PATH + 1], cwd[IB_MAX_PATH + 1], why[IB_MAX_PATH + 256];
	char bootnote[IB_MAX_PATH + 64];
	const char *bootdir;
	ib_eltorito et;
	ib_bootfs *fs;
	ib_menu *m;
	ib_err e2;
	bool efi, grub, sys;
	char *c, *slash;
	uint32_t lba;
	int rc;

	if (ib_eltorito_read(iso, &et, err) == -1)
		return NULL;
	efi = strcmp(platform, "efi") == 0;
	if (efi && !et.has_efi) {
		ib_err_set(err, IB_ENOTFOUND,
		    "the El Torito catalog has no EFI entry: the image does "
		    "not boot on UEFI");
		return NULL;
	}
	bootdir = NULL;
	boot[0] = '\0';
	grub = efi; /* an EFI entry: assume GRUB (shim+grub, the norm) */
	lba = efi ? et.efi_lba : et.bios_lba;
	if ((efi || et.has_bios) &&
	    ib_eltorito_path_at(iso, lba, boot, sizeof(boot), &e2) == 0) {
		/* lower case: plain ECMA-119 names are upper case */
		snprintf(lower, sizeof(lower), "%s", strrchr(boot, '/') + 1);
		for (c = lower; *c != '\0'; c++)
			*c = (char)tolower((unsigned char)*c);
		if (!efi)
			grub = strstr(lower, "isolinux") == NULL &&
			    strstr(lower, "syslinux") == NULL;
		snprintf(dir, sizeof(dir), "%s", boot);
		slash = strrchr(dir, '/');
		slash[slash == dir ? 1 : 0] = '\0';
		bootdir = dir;
		snprintf(bootnote, sizeof(bootnote),
		    "El Torito %s boot image %s (%s)", efi ? "EFI" : "BIOS",
		    boot, grub ? "GRUB" : "ISOLINUX");
	} else {
		snprintf(bootnote, sizeof(bootnote),
		    "no El Torito %s boot image in the directory tree",
		    efi ? "EFI" : "BIOS");
	}
	fs = ib_bootfs_open_iso(iso, err);
	if (fs == NULL)
		return NULL;
	/* Each finder after the first runs only when nothing was found: a
	 * config that is there but unreadable is the answer, as an error. */
	sys = !grub;
	if (sys)
		rc = ib_bootcfg_find_syslinux(fs, bootdir, cfg, sizeof(cfg),
		    cwd, sizeof(cwd), why, sizeof(why), err);
	else
		rc = ib_bootcfg_find_grub(fs, platform, cfg, sizeof(cfg), why,
		    sizeof(why), err);
	if (rc == -1 && err->code == IB_ENOTFOUND && efi) {
		sys = true;
		rc = ib_bootcfg_find_efi_syslinux(fs, cfg, sizeof(cfg), cwd,
		    sizeof(cwd), why, sizeof(why), err);
	}
	if (rc == -1 && err->code == IB_ENOTFOUND && grub && boot[0] != '\0')
		/* Neither loader's config: memtest86+'s floppy image, say. */
		ib_err_set(err, IB_ENOTFOUND,
		    "the El Torito %s entry boots %s, and there is no "
		    "ISOLINUX or GRUB config: no Linux entry to read",
		    efi ? "EFI" : "BIOS", boot);
	m = NULL;
	if (rc == 0 && sys)
		m = ib_syslinux_parse(fs, cfg, cwd, err);
	else if (rc == 0)
		m = ib_grub_parse(fs, cfg, grub_platform(platform), err);
	ib_bootfs_close(fs);
	return m != NULL ? with_reasons(m, bootnote, why, err) : NULL;
}

int
ib_bootcfg_find_syslinux(ib_bootfs *fs, const char *bootdir, char *out,
    size_t outsz, char *cwd, size_t cwdsz, char *why, size_t whysz, ib_err *err)
{
	ib_err e2;
	int rc, pxe;

	rc = ib_bootcfg_find_isolinux(fs, bootdir, out, outsz, why, whysz, err);
	if (rc == -1 && err->code != IB_ENOTFOUND)
		return -1;
	/* A netboot tree: PXELINUX reads pxelinux.cfg/default (after the
	 * per-machine names, none of which a VM has) and works in the
	 * directory of pxelinux.0 (sl:core/fs/pxe/pxe.c). */
	pxe = 0;
	if (rc == -1 || strncmp(why, "not in ISOLINUX", 15) == 0) {
		ib_err_clear(&e2);
		pxe = has(fs, "/pxelinux.0", &e2);
		if (pxe == 1)
			pxe = has(fs, "/pxelinux.cfg/default", &e2);
		if (pxe == -1) {
			*err = e2;
			return -1;
		}
	}
	if (pxe == 1) {
		snprintf(out, outsz, "/pxelinux.cfg/default");
		snprintf(cwd, cwdsz, "/");
		snprintf(why, whysz,
		    "a PXELINUX tree: pxelinux.0 reads pxelinux.cfg/default "
		    "with the tree's root as working directory");
		ib_err_clear(err);
		return 0;
	}
	if (rc == 0)
		dir_of(out, cwd, cwdsz);
	return rc;
}

int
ib_bootcfg_find_isolinux(ib_bootfs *fs, const char *bootdir, char *out,
    size_t outsz, char *why, size_t whysz, ib_err *err)
{
	/* sl:core/fs/iso9660/iso9660.c iso_open_config, searchconfig.c */
	static const char *const dirs[] = { "/boot/isolinux", "/isolinux",
		"/boot/syslinux", "/syslinux", "" };
	static const char *const names[] = { "isolinux.cfg", "syslinux.cfg" };
	size_t k;
	int rc;

	rc = first_existing(fs, dirs, sizeof(dirs) / sizeof(dirs[0]), names, 2,
	    out, outsz, err);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		snprintf(why, whysz,
		    "ISOLINUX's search order (/boot/isolinux, /isolinux, "
		    "/boot/syslinux, /syslinux, /; isolinux.cfg before "
		    "syslinux.cfg) finds %s",
		    out);
		return 0;
	}
	if (bootdir != NULL && bootdir[0] != '\0') {
		for (k = 0; k < 2; k++) {
			snprintf(out, outsz, "%s%s%s",
			    strcmp(bootdir, "/") == 0 ? "" : bootdir, "/",
			    names[k]);
			rc = has(fs, out, err);
			if (rc == -1)
				return -1;
			if (rc == 0)
				continue;
			snprintf(why, whysz,
			    "not in ISOLINUX's stock search order; found in "
			    "the boot image's directory %s (a patched "
			    "isolinux.bin, as openSUSE and Slax ship)",
			    bootdir);
			return 0;
		}
	}
	if (bootdir == NULL) {
		static const char *const bin[] = { "isolinux.bin" };
		char found[IB_MAX_PATH + 1], *slash;

		rc = ib_bootfs_search(fs, bin, 1, 4, found, sizeof(found), err);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			slash = strrchr(found, '/');
			*slash = '\0';
			rc = ib_bootcfg_find_isolinux(fs,
			    found[0] != '\0' ? found : "/", out, outsz, why,
			    whysz, err);
			if (rc == 0 || err->code != IB_ENOTFOUND)
				return rc;
		}
		rc = ib_bootfs_search(fs, names, 2, 4, out, outsz, err);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			snprintf(why, whysz,
			    "not in ISOLINUX's stock search order and no boot "
			    "catalog to say where isolinux.bin is: %s is the "
			    "shallowest config in the tree",
			    out);
			return 0;
		}
	}
	return ib_err_set(err, IB_ENOTFOUND,
	    "no isolinux.cfg or syslinux.cfg in ISOLINUX's search order%s%s",
	    bootdir != NULL ? " or in " : "", bootdir != NULL ? bootdir : "");
}

int
ib_bootcfg_kernel_info(ib_bootfs *fs, const char *path, ib_kernel_info *ki,
    ib_err *err)
{
	char q[IB_MAX_PATH + 1];
	unsigned char *head;
	uint64_t fsize;
	size_t got;
	int rc;

	ib_quote(q, sizeof(q), path, strlen(path));
	head = malloc(IB_KERNEL_HEAD);
	if (head == NULL)
		return ib_err_errno(err, ENOMEM, "%s", q);
	rc = ib_bootfs_read_head(fs, path, IB_KERNEL_HEAD, head, &got, &fsize,
	    err);
	if (rc == 0)
		rc = ib_kernel_inspect(head, got, fsize, ki, err);
	else
		ib_err_prefix(err, "%s: ", q);
	free(head);
	return rc;
}
