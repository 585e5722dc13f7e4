/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which config a disk image boots: the loaders installed to a disk keep
 * their configs at fixed places on one of its partitions, so each
 * readable partition is looked at in order, as the loader's own search
 * and the distributions' installers put them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bls.h"
#include "bootcfg.h"
#include "bounds.h"
#include "grub.h"
#include "menu_int.h"
#include "syslinux.h"

/* GRUB's config as grub-install's prefix names it: /boot/grub on the
 * root filesystem or /grub on a separate /boot; grub2 on Fedora/RHEL. */
static const char *const grub_cfgs[] = { "/boot/grub/grub.cfg",
	"/grub/grub.cfg", "/boot/grub2/grub.cfg", "/grub2/grub.cfg" };

/* EXTLINUX's config in the directory it is installed to: Alpine's
 * update-extlinux writes /boot/extlinux.conf; syslinux's docs install to
 * /boot/extlinux; syslinux.cfg is the name every variant also reads. */
static const char *const syslinux_cfgs[] = { "/boot/extlinux/extlinux.conf",
	"/boot/extlinux.conf", "/extlinux/extlinux.conf", "/extlinux.conf",
	"/boot/syslinux/syslinux.cfg", "/syslinux/syslinux.cfg",
	"/syslinux.cfg" };

/* Prefix one path of m with the volume's "/pN". */
static int
prefix_one(char **path, const char *prefix, ib_err *err)
{
	char *p;
	size_t n;

	if (*path == NULL || prefix[0] == '\0')
		return 0;
	n = strlen(prefix) + strlen(*path) + 1;
	p = malloc(n);
	if (p == NULL)
		return ib_err_errno(err, ENOMEM, "menu");
	snprintf(p, n, "%s%s", prefix, *path);
	free(*path);
	*path = p;
	return 0;
}

static int
prefix_entry(ib_menu_entry *e, const char *prefix, ib_err *err)
{
	if (e == NULL || e->kind != IB_KIND_LINUX)
		return 0;
	if (prefix_one(&e->kernel, prefix, err) == -1)
		return -1;
	for (size_t i = 0; i < e->ninitrds; i++)
		if (prefix_one(&e->initrds[i], prefix, err) == -1)
			return -1;
	return 0;
}

/* A syslinux menu read on one volume's view names files on that volume:
 * make them the whole disk's paths, as GRUB's are. */
static int
prefix_menu(ib_menu *m, const char *prefix, ib_err *err)
{
	for (size_t i = 0; i < m->n; i++)
		if (prefix_entry(&m->e[i], prefix, err) == -1)
			return -1;
	if (prefix_entry(m->def, prefix, err) == -1 ||
	    prefix_entry(m->tout, prefix, err) == -1)
		return -1;
	return prefix_one(&m->config, prefix, err);
}

/*
 * The first of names (paths on a volume) on the first readable volume
 * that has one: 1 with the volume's index in *vol and the name in *which,
 * 0 when none has, -1 with *err when one is there but unreadable.
 */
static int
find_on_volumes(ib_bootfs *fs, const char *const *names, size_t n, size_t *vol,
    const char **which, ib_err *err)
{
	ib_disk_image *d = ib_bootfs_disk(fs);
	char path[IB_MAX_PATH + 1];
	const char *name;
	size_t i, k;
	int rc;

	for (i = 0; i < ib_disk_image_count(d); i++) {
		if (!ib_disk_image_fs(d, i)->readable)
			continue;
		name = ib_disk_image_name(d, i);
		for (k = 0; k < n; k++) {
			snprintf(path, sizeof(path), "%s%s%s",
			    name[0] != '\0' ? "/" : "", name, names[k]);
			rc = ib_bootfs_lookup(fs, path, err);
			if (rc == -1)
				return ib_err_prefix(err, "%s: ", path + 1);
			if (rc == 1) {
				*vol = i;
				*which = names[k];
				return 1;
			}
		}
	}
	return 0;
}

/* The error when no loader's config is there: what each volume holds,
 * and the first one isoboot cannot read, which /boot may be on. */
static void
no_config(ib_disk_image *d, ib_err *err)
{
	const ib_disk_fs *f;
	const char *name, *unread = NULL, *kind = NULL;
	char what[512];
	size_t i, at = 0;

	what[0] = '\0';
	for (i = 0; i < ib_disk_image_count(d) && at < sizeof(what); i++) {
		name = ib_disk_image_name(d, i);
		f = ib_disk_image_fs(d, i);
		at += (size_t)snprintf(what + at, sizeof(what) - at, "%s%s%s%s",
		    i > 0 ? ", " : "", name, name[0] != '\0' ? " " : "",
		    f->kind == IB_DISK_FS_UNKNOWN ? "no filesystem" : f->name);
		if (unread == NULL && !f->readable &&
		    f->kind != IB_DISK_FS_UNKNOWN &&
		    f->kind != IB_DISK_FS_SWAP) {
			unread = name[0] != '\0' ? name : "the disk";
			kind = f->name;
		}
	}
	if (unread != NULL)
		ib_err_set(err, IB_ENOTFOUND,
		    "no GRUB or EXTLINUX config on a partition isoboot reads "
		    "(%s): %s is %s; isoboot reads ext2/3/4 and FAT, and /boot "
		    "must be on one of those",
		    what, unread, kind);
	else
		ib_err_set(err, IB_ENOTFOUND,
		    "no GRUB or EXTLINUX config on the disk (%s)", what);
}

/* Whether volume i is an EFI system partition: by its type (GPT's EFI
 * System GUID, MBR type 0xEF) and a FAT filesystem. */
static bool
is_esp(ib_disk_image *d, size_t i)
{
	const ib_disk_part *p = ib_disk_image_part(d, i);
	const ib_disk_fs *f = ib_disk_image_fs(d, i);

	if (f->kind != IB_DISK_FS_FAT12 && f->kind != IB_DISK_FS_FAT16 &&
	    f->kind != IB_DISK_FS_FAT32)
		return false;
	return p == NULL || p->mbr_type == 0xef ||
	    strcasecmp(p->type_guid, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B") ==
	    0;
}

ib_menu *
ib_bootcfg_read_sdboot(ib_bootfs *fs, const char *why, ib_err *err)
{
	ib_menu *m;
	int rc;

	rc = ib_bootfs_lookup(fs, "/loader/loader.conf", err);
	if (rc == 0)
		rc = ib_bootfs_is_dir(fs, "/loader/entries", err);
	if (rc == 0)
		ib_err_set(err, IB_ENOTFOUND, "no systemd-boot entries");
	if (rc != 1)
		return NULL;
	m = ib_bls_menu_new(fs, "x64", err);
	if (m != NULL)
		ib_menu_note_firstf(m, "%s", why);
	return m;
}

/*
 * UEFI: systemd-boot when an ESP holds its loader.conf or entries (its
 * menu read on the ESP's own view, made the whole disk's paths). NULL
 * with IB_ENOTFOUND when no ESP has them: GRUB's search comes next.
 */
static ib_menu *
read_systemd_boot(ib_bootfs *fs, ib_err *err)
{
	ib_disk_image *d = ib_bootfs_disk(fs);
	char prefix[16], why[128];
	const char *name;
	ib_bootfs *vfs;
	ib_menu *m;
	size_t i;

	for (i = 0; i < ib_disk_image_count(d); i++) {
		if (!is_esp(d, i))
			continue;
		name = ib_disk_image_name(d, i);
		snprintf(prefix, sizeof(prefix), "%s%s",
		    name[0] != '\0' ? "/" : "", name);
		snprintf(why, sizeof(why),
		    "%s: the EFI system partition holds systemd-boot's "
		    "loader.conf or entries: systemd-boot's menu",
		    name[0] != '\0' ? name : "the disk");
		vfs = ib_bootfs_open_volume(d, name, err);
		if (vfs == NULL)
			return NULL;
		m = ib_bootcfg_read_sdboot(vfs, why, err);
		ib_bootfs_close(vfs);
		if (m == NULL && err->code == IB_ENOTFOUND)
			continue;
		if (m != NULL && prefix_menu(m, prefix, err) == -1) {
			ib_menu_free(m);
			return NULL;
		}
		return m;
	}
	ib_err_set(err, IB_ENOTFOUND, "no systemd-boot entries");
	return NULL;
}

/* A listing that keeps the first directory name, in byte order. */
struct first_dir {
	char name[IB_MAX_NAME + 1];
	ib_bootfs *fs;
	const char *esp;
};

static int
efi_dir(void *ctx, const char *name, bool is_dir, ib_err *err)
{
	struct first_dir *f = ctx;
	char path[IB_MAX_PATH + 1];
	int rc;

	if (!is_dir || strcasecmp(name, "BOOT") == 0 ||
	    strlen(name) > IB_MAX_NAME ||
	    (f->name[0] != '\0' && strcmp(name, f->name) >= 0))
		return 0;
	snprintf(path, sizeof(path), "%s/EFI/%s/grub.cfg", f->esp, name);
	rc = ib_bootfs_lookup(f->fs, path, err);
	if (rc == 1)
		snprintf(f->name, sizeof(f->name), "%s", name);
	return rc == -1 ? -1 : 0;
}

/*
 * UEFI GRUB: its config beside its image on an ESP: /EFI/BOOT/grub.cfg
 * (the removable path), else /EFI/<distro>/grub.cfg (the first in byte
 * order), which grub-install's stub makes "search" /boot and "configfile"
 * the real one. 1 with the path, 0 when no ESP has one, -1 with *err.
 */
static int
find_efi_grub(ib_bootfs *fs, char *out, size_t outsz, ib_err *err)
{
	ib_disk_image *d = ib_bootfs_disk(fs);
	struct first_dir f;
	char esp[16];
	const char *name;
	size_t i;
	int rc;

	for (i = 0; i < ib_disk_image_count(d); i++) {
		if (!is_esp(d, i))
			continue;
		name = ib_disk_image_name(d, i);
		memset(&f, 0, sizeof(f));
		f.fs = fs;
		snprintf(out, outsz, "%s%s/EFI/BOOT/grub.cfg",
		    name[0] != '\0' ? "/" : "", name);
		rc = ib_bootfs_lookup(fs, out, err);
		if (rc != 0)
			return rc;
		snprintf(esp, sizeof(esp), "%s%s", name[0] != '\0' ? "/" : "",
		    name);
		f.esp = esp;
		snprintf(out, outsz, "%s/EFI", esp);
		rc = ib_bootfs_list(fs, out, efi_dir, &f, err);
		if (rc == -1 && err->code != IB_ENOTFOUND &&
		    err->code != ENOTDIR)
			return -1;
		ib_err_clear(err);
		if (f.name[0] != '\0') {
			snprintf(out + strlen(out), outsz - strlen(out),
			    "/%s/grub.cfg", f.name);
			return 1;
		}
	}
	return 0;
}

static ib_menu *read_disk(ib_bootfs *fs, const char *platform, ib_err *err);

ib_menu *
ib_bootcfg_read_disk(ib_bootfs *fs, const char *platform, ib_err *err)
{
	const ib_disk_table *t = ib_disk_image_table(ib_bootfs_disk(fs));
	ib_menu *m;

	m = read_disk(fs, platform, err);
	/* The table's own warning ("the primary GPT header is damaged;
	 * using the backup") comes first: it may explain the rest. */
	if (m != NULL && t->note[0] != '\0')
		ib_menu_note_firstf(m, "%s", t->note);
	return m;
}

static ib_menu *
read_disk(ib_bootfs *fs, const char *platform, ib_err *err)
{
	ib_disk_image *d = ib_bootfs_disk(fs);
	char path[IB_MAX_PATH + 1], cwd[IB_MAX_PATH + 1];
	const char *name, *which;
	char prefix[16];
	ib_bootfs *vfs;
	ib_menu *m;
	size_t vol;
	int rc;

	if (strcmp(platform, "efi") == 0) {
		m = read_systemd_boot(fs, err);
		if (m != NULL || err->code != IB_ENOTFOUND)
			return m;
		ib_err_clear(err);
		rc = find_efi_grub(fs, path, sizeof(path), err);
		if (rc == -1)
			return NULL;
		if (rc == 1) {
			m = ib_grub_parse(fs, path, "efi", err);
			if (m != NULL)
				ib_menu_note_firstf(m,
				    "%s: UEFI GRUB's config on the EFI system "
				    "partition",
				    path + 1);
			return m;
		}
	}
	rc = find_on_volumes(fs, grub_cfgs,
	    sizeof(grub_cfgs) / sizeof(grub_cfgs[0]), &vol, &which, err);
	if (rc == -1)
		return NULL;
	if (rc == 1) {
		name = ib_disk_image_name(d, vol);
		snprintf(path, sizeof(path), "%s%s%s",
		    name[0] != '\0' ? "/" : "", name, which);
		m = ib_grub_parse(fs, path,
		    strcmp(platform, "efi") == 0 ? "efi" : "pc", err);
		if (m != NULL)
			ib_menu_note_firstf(m,
			    "%s: GRUB's config, the first of %s on the disk's "
			    "partitions in order",
			    path + 1, "/boot/grub, /grub, /boot/grub2, /grub2");
		return m;
	}
	rc = find_on_volumes(fs, syslinux_cfgs,
	    sizeof(syslinux_cfgs) / sizeof(syslinux_cfgs[0]), &vol, &which,
	    err);
	if (rc == -1)
		return NULL;
	if (rc == 0) {
		no_config(d, err);
		return NULL;
	}
	name = ib_disk_image_name(d, vol);
	vfs = ib_bootfs_open_volume(d, name, err);
	if (vfs == NULL)
		return NULL;
	snprintf(cwd, sizeof(cwd), "%s", which);
	*strrchr(cwd, '/') = '\0';
	m = ib_syslinux_parse(vfs, which, cwd[0] != '\0' ? cwd : "/", err);
	ib_bootfs_close(vfs);
	snprintf(prefix, sizeof(prefix), "%s%s", name[0] != '\0' ? "/" : "",
	    name);
	if (m != NULL && prefix_menu(m, prefix, err) == -1) {
		ib_menu_free(m);
		return NULL;
	}
	if (m != NULL)
		ib_menu_note_firstf(m,
		    "%s%s: EXTLINUX's config, the first of its places on the "
		    "disk's partitions in order (no GRUB config)",
		    prefix + (prefix[0] != '\0'), which);
	return m;
}
