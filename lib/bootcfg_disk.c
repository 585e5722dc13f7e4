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

ib_menu *
ib_bootcfg_read_disk(ib_bootfs *fs, const char *platform, ib_err *err)
{
	ib_disk_image *d = ib_bootfs_disk(fs);
	char path[IB_MAX_PATH + 1], cwd[IB_MAX_PATH + 1];
	const char *name, *which;
	char prefix[16];
	ib_bootfs *vfs;
	ib_menu *m;
	size_t vol;
	int rc;

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
