/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plan: the one way from an image to what a VM boots, in steps that each
 * tool takes as far as it needs:
 *
 *   open      an image (an ISO 9660 image today), an extracted tree, or
 *             one config file, and read the boot menu the firmware's
 *             loader reads on a platform ("bios" or "efi"), with the
 *             notes that say why;
 *   choose    the Linux entry to boot: the default, a label, or what
 *             boots unattended;
 *   extract   that entry's kernel and initrds, flat, into a directory;
 *   prepare   those files for a hypervisor (vm_prep: the kernel unpacked
 *             for vfkit, several initrds joined, the command line edited).
 *
 * isoboot's recipe, isoboot-cmd, isoboot-extract's automatic mode and
 * syslinux2cmdline all go through here: none of them opens a menu or walks
 * an image for boot files itself.
 */
#ifndef IB_PLAN_H
#define IB_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "extract.h"
#include "kernel.h"
#include "menu.h"

typedef struct ib_plan ib_plan;

/*
 * Open the image at path and read the menu it boots on platform ("bios"
 * or "efi"; NULL is bios), with names as the boot loader sees them (no
 * Joliet). Returns a plan the caller closes with ib_plan_close(), or NULL
 * with *err.
 */
ib_plan *ib_plan_open(const char *path, const char *platform, ib_err *err);

/* The same for an extracted tree at root: the config the loader finds
 * there, or cfg (a path in the tree) when it is not NULL. */
ib_plan *ib_plan_open_tree(const char *root, const char *cfg,
    const char *platform, ib_err *err);

/*
 * One config file at path, its INCLUDEs and relative names resolved in
 * path's directory; when fd is not -1, the config is what fd holds
 * (standard input, named path: at most IB_MAX_CONFIG bytes) and names
 * resolve in ".". A plan without an image: it has no files to extract.
 */
ib_plan *ib_plan_open_config(const char *path, int fd, const char *platform,
    ib_err *err);

void ib_plan_close(ib_plan *p);

/* A disk image plan's format, "raw" or "qcow2"; NULL for an ISO image,
 * a tree or a config. */
const char *ib_plan_disk_format(const ib_plan *p);

/* A disk image plan's disk size as the VM sees it (0 for others). */
uint64_t ib_plan_disk_size(const ib_plan *p);

/*
 * What file i of the chosen entry is on a disk image, for telling
 * whether it changed: "SIZE MTIME ID" (ID the filesystem's inode), into
 * out. An ISO image's files change only with the image: "" for those.
 * Returns 0, or -1 with *err (IB_ENOTFOUND: not there).
 */
int ib_plan_file_id(const ib_plan *p, size_t i, char *out, size_t outsz,
    ib_err *err);

/* The menu read at open; owned by p. */
const ib_menu *ib_plan_menu(const ib_plan *p);

/* "bios" or "efi". */
const char *ib_plan_platform(const ib_plan *p);

/*
 * Choose the Linux entry named label, or the default when label is NULL
 * (ib_menu_choose); with timeout (label NULL), the entry that boots
 * unattended (ib_menu_choose_timeout). An entry that loads more than
 * IB_MAX_INITRDS initrds is IB_ELIMIT. Returns the entry, owned by p,
 * or NULL with *err.
 */
const ib_menu_entry *ib_plan_choose(ib_plan *p, const char *label, bool timeout,
    ib_err *err);

/* The chosen entry, or NULL before ib_plan_choose(). */
const ib_menu_entry *ib_plan_entry(const ib_plan *p);

/* The name the chosen entry is known by: a GRUB entry's title, a
 * syslinux entry's label (either when the other is missing), or "". */
const char *ib_plan_label(const ib_plan *p);

/* The chosen entry's files: 1 + its initrds (0 before a choice). */
size_t ib_plan_nfiles(const ib_plan *p);

/* File i: 0 the kernel, then the initrds in load order; absolute paths
 * in the image, owned by p. */
const char *ib_plan_file(const ib_plan *p, size_t i);

/* File i's name in a flat extraction: its last component. */
const char *ib_plan_file_name(const ib_plan *p, size_t i);

/* Where file i is: dir/ib_plan_file_name(p, i) once extracted into dir,
 * or its path in the image when dir is NULL; in a string the caller
 * frees (NULL: no such file, or out of memory). */
char *ib_plan_path_new(const ib_plan *p, const char *dir, size_t i);

/*
 * Extract the chosen entry's files flat into the directory dirfd, with
 * the options xo (may be NULL; flat is forced): plain ECMA-119 names are
 * matched without regard to case, as ISOLINUX does. With dirfd -1, only
 * check that the image holds them. A file the image lacks is
 * IB_ENOTFOUND, naming it and the config line; a plan without an image,
 * IB_EUNSUPPORTED. Returns 0, or -1 with *err.
 */
int ib_plan_extract(ib_plan *p, int dirfd, const ib_extract_opts *xo,
    ib_err *err);

/*
 * What the chosen entry's kernel is: read from its extracted file in
 * dirfd, or from the image or tree when dirfd is -1. Returns 0, or -1
 * with *err (IB_ENOTFOUND: it is not there; IB_EUNSUPPORTED: no image).
 */
int ib_plan_kernel_info(const ib_plan *p, int dirfd, ib_kernel_info *ki,
    ib_err *err);

/*
 * CONFIG, LABEL, KERNEL, INITRD (paths separated by spaces) and CMDLINE
 * (args) as sh assignments, or make ":=" lines with make; the files as
 * extracted into dir, or as the image names them when dir is NULL.
 * Returns a string the caller frees, or NULL with *err.
 */
char *ib_plan_assignments_new(const ib_plan *p, const char *dir,
    const char *args, bool make, ib_err *err);

/*
 * The menu as JSON (ib_menu_json_new) with the chosen entry and args as
 * its command line (NULL: the entry's own), and with its files as
 * extracted into dir when dir is not NULL. Returns a string the caller
 * frees, or NULL with *err.
 */
char *ib_plan_json_new(const ib_plan *p, const char *dir, const char *args,
    ib_err *err);

#endif
