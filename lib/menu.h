/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * menu: the one model of a boot menu that the syslinux and GRUB readers
 * build and every tool prints: entries (label, title, kind, kernel,
 * initrds in load order, arguments), the default entry, what happens on
 * timeout, and a note for every decision ("isolinux.cfg:12: MENU
 * DEFAULT").
 */
#ifndef IB_MENU_H
#define IB_MENU_H

#include <stdbool.h>
#include <stddef.h>

#include "errors.h"

typedef enum ib_kind {
	IB_KIND_LINUX,
	IB_KIND_COM32,
	IB_KIND_LOCALBOOT,
	IB_KIND_CONFIG,
	IB_KIND_BOOTSECTOR,
	IB_KIND_BSS,
	IB_KIND_PXE,
	IB_KIND_FLOPPY,
	IB_KIND_COMBOOT,
	IB_KIND_SUBMENU,
	IB_KIND_SEPARATOR,
	IB_KIND_EXIT /* MENU EXIT or MENU QUIT: leaves a (sub)menu */
} ib_kind;

/* One entry; every string is owned by the menu. */
typedef struct ib_menu_entry {
	char *label;      /* syslinux LABEL (first word), GRUB --id; or NULL */
	char *label_line; /* the whole LABEL value (menu modules match it) */
	char *title;      /* MENU LABEL or GRUB title; or NULL */
	char *kernel;   /* absolute path in the image (module name for COM32) */
	char **initrds; /* absolute paths, in load order */
	size_t ninitrds;
	char *args;    /* command line without initrd= and BOOT_IMAGE= */
	char *submenu; /* enclosing submenu titles joined by " > ", or NULL */
	char *where;   /* "file:line" of the entry */
	ib_kind kind;
	bool hidden; /* MENU HIDE: bootable by name, not shown */
	bool disabled;
	bool menu_default; /* MENU DEFAULT */
} ib_menu_entry;

typedef struct ib_menu ib_menu;

void ib_menu_free(ib_menu *m);

size_t ib_menu_count(const ib_menu *m);

/* Entry i in file order, or NULL. */
const ib_menu_entry *ib_menu_at(const ib_menu *m, size_t i);

/* What pressing Enter in the first screen boots, or NULL if nothing
 * (no DEFAULT or UI; see the notes). Owned by m. */
const ib_menu_entry *ib_menu_default(const ib_menu *m);

/* Whether e (an entry of m) is the one ib_menu_default() gives, which
 * is a copy: the same place, label and title. */
bool ib_menu_is_default(const ib_menu *m, const ib_menu_entry *e);

/* What boots when the timeout runs out, if it differs from the default
 * (syslinux ONTIMEOUT); NULL otherwise. */
const ib_menu_entry *ib_menu_ontimeout(const ib_menu *m);

/* The timeout in tenths of a second; 0 = wait forever; -1 = none set. */
long ib_menu_timeout(const ib_menu *m);

/* Whether the menu waits for a key and boots nothing unattended: syslinux
 * prompting with TIMEOUT 0 (or none) and no ONTIMEOUT; GRUB with no
 * timeout (or -1). GRUB's timeout=0 boots at once: it does not wait. */
bool ib_menu_waits(const ib_menu *m);

/* Find an entry by label (exact, first match, as syslinux does), else by
 * title; NULL if none. */
const ib_menu_entry *ib_menu_find(const ib_menu *m, const char *name);

/*
 * The Linux entry to boot: the one named label (as ib_menu_find), or the
 * default when label is NULL. NULL with *err ("file:line: the default
 * entry 'harddisk' is a localboot entry, not Linux (choose one with -l:
 * linux, ...)") when there is none or it boots no Linux kernel.
 */
const ib_menu_entry *ib_menu_choose(const ib_menu *m, const char *label,
    ib_err *err);

/*
 * The Linux entry that boots unattended: the timeout action (syslinux
 * ONTIMEOUT) if there is one, else the default. NULL with *err when the
 * menu waits forever (timeout 0 / unset), or that entry is not Linux.
 */
const ib_menu_entry *ib_menu_choose_timeout(const ib_menu *m, ib_err *err);

size_t ib_menu_nnotes(const ib_menu *m);
const char *ib_menu_note(const ib_menu *m, size_t i);

/* Whether note i chose nothing (an INCLUDE of a missing file, say): a
 * summary of the decisions leaves it out; --explain and JSON keep it. */
bool ib_menu_note_aside(const ib_menu *m, size_t i);

/* The config file the menu was read from (absolute in the image). */
const char *ib_menu_config(const ib_menu *m);

/* "syslinux" or "grub". */
const char *ib_menu_loader(const ib_menu *m);

const char *ib_menu_kind_name(ib_kind k);

#endif
