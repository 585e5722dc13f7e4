/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bootcfg: which config the image boots (SEMANTICS.md 1.1 and 3): the
 * loader's own search order, then the directory of its boot image.
 */
#ifndef IB_BOOTCFG_H
#define IB_BOOTCFG_H

#include <stddef.h>

#include "bootfs.h"
#include "errors.h"
#include "iso.h"
#include "kernel.h"
#include "menu.h"

/*
 * ISOLINUX's search (directory-major: /boot/isolinux, /isolinux,
 * /boot/syslinux, /syslinux, /, each with isolinux.cfg then syslinux.cfg),
 * then bootdir (the El Torito boot image's directory; may be NULL) with
 * both names; a tree without a boot catalog (bootdir NULL) is last searched
 * for isolinux.bin, then for the configs themselves. On success the
 * config's absolute path is in out and why says which rule found it.
 * Returns 0, or -1 with IB_ENOTFOUND; a config (or a directory on the
 * way) that is there but cannot be read stops the search: -1 with the
 * path and its problem (IB_EFORMAT: "file data beyond the end of the
 * image"), as for every finder below.
 */
int ib_bootcfg_find_isolinux(ib_bootfs *fs, const char *bootdir, char *out,
    size_t outsz, char *why, size_t whysz, ib_err *err);

/*
 * The syslinux-family config of a tree: ISOLINUX's search as above; or a
 * PXELINUX tree (pxelinux.0 and pxelinux.cfg/default at the root: the
 * working directory is the root); then the fallbacks above. The working
 * directory goes to cwd. Returns 0, or -1 with IB_ENOTFOUND.
 */
int ib_bootcfg_find_syslinux(ib_bootfs *fs, const char *bootdir, char *out,
    size_t outsz, char *cwd, size_t cwdsz, char *why, size_t whysz,
    ib_err *err);

/*
 * GRUB's config for platform "bios" or "efi": /boot/grub/grub.cfg,
 * /boot/grub2/grub.cfg, /grub/grub.cfg, /EFI/BOOT/grub.cfg (first for
 * efi), loopback.cfg last. Returns 0, or -1 with IB_ENOTFOUND.
 */
int ib_bootcfg_find_grub(ib_bootfs *fs, const char *platform, char *out,
    size_t outsz, char *why, size_t whysz, ib_err *err);

/*
 * SYSLINUX for EFI: a syslinux config (extlinux.conf, syslx64.cfg,
 * syslinux.cfg) in an EFI/BOOT directory (any case, anywhere at most a
 * few levels deep) that has no grub.cfg; or, when syslinux.efi is there,
 * its search order /boot/syslinux, /syslinux, /. The working directory
 * (the config's) goes to cwd. Returns 0, or -1 with IB_ENOTFOUND.
 */
int ib_bootcfg_find_efi_syslinux(ib_bootfs *fs, char *out, size_t outsz,
    char *cwd, size_t cwdsz, char *why, size_t whysz, ib_err *err);

/* What the file at path in fs is (the kernel of an entry), from its
 * first bytes. Returns 0, or -1 with *err naming path (IB_ENOTFOUND:
 * missing; IB_EFORMAT: there but unreadable). */
int ib_bootcfg_kernel_info(ib_bootfs *fs, const char *path, ib_kernel_info *ki,
    ib_err *err);

/* Read the config at path with the parser its name calls for (grub.cfg,
 * loopback.cfg or a path under a grub directory: GRUB; else syslinux). */
ib_menu *ib_bootcfg_read_config(ib_bootfs *fs, const char *path,
    const char *cwd, const char *platform, ib_err *err);

/* The menu a tree boots: on "bios" the syslinux config if there is one,
 * else GRUB's; on "efi" SYSLINUX for EFI's if its EFI directory has one,
 * else GRUB's (not when the first is there but unreadable: that is the
 * error). The finder's reason is the first note. */
ib_menu *ib_bootcfg_read_tree(ib_bootfs *fs, const char *platform, ib_err *err);

/*
 * The menu an image boots on platform "bios" or "efi": the El Torito
 * entry for it names the boot image; ISOLINUX's config is read on BIOS
 * when the image is isolinux.bin, GRUB's otherwise (and on EFI). Open iso
 * with no_joliet: boot loaders never read Joliet. The first notes say
 * which boot image and config, and why. Returns a menu the caller frees
 * with ib_menu_free(), or NULL with *err.
 */
ib_menu *ib_bootcfg_read_iso(ib_iso *iso, const char *platform, ib_err *err);

/*
 * systemd-boot's menu when the filesystem fs (an ESP) holds its
 * loader/loader.conf or loader/entries, with why as its first note;
 * NULL with IB_ENOTFOUND when it holds neither, or with *err.
 */
ib_menu *ib_bootcfg_read_sdboot(ib_bootfs *fs, const char *why, ib_err *err);

/*
 * The menu a disk image boots (fs: ib_bootfs_open_disk): GRUB's config
 * at /boot/grub, /grub, /boot/grub2 or /grub2 on the first readable
 * partition that has one (read with GRUB's devices: "search --fs-uuid"
 * finds the disk's partitions), else EXTLINUX's (/boot/extlinux.conf as
 * Alpine writes it, /boot/extlinux/extlinux.conf, syslinux.cfg...) read
 * on its own partition. Every path in the menu is the whole disk's
 * ("/p2/boot/vmlinuz"). IB_ENOTFOUND, saying what each partition holds,
 * when there is none.
 */
ib_menu *ib_bootcfg_read_disk(ib_bootfs *fs, const char *platform, ib_err *err);

#endif
