/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bls: Boot Loader Specification type #1 entries (UAPI.1: one
 * loader/entries/NAME.conf per menu entry, "key value" lines) as two
 * loaders read them: systemd-boot 252 (Debian 12's; where newer versions
 * differ the code says so) and GRUB's blscfg command (Fedora's patch,
 * rhboot/grub2 fedora-43). Parsing one file, reading a directory of them
 * through a bootfs, both loaders' orders (systemd's strverscmp_improved,
 * blscfg's rpm-style vercmp), loader/loader.conf, and systemd-boot's
 * whole menu. The rules, with their sources, are fixtures/bootcfg/bls/
 * SOURCES and the comments of bls.c.
 *
 * Not for: type #2 entries (unified kernel images in /EFI/Linux); EFI
 * variables (LoaderEntryDefault, LoaderEntryOneShot, @saved's
 * LoaderEntryLastBooted), which a static reader cannot see and reports
 * as notes; GRUB's variables: "options" stays unexpanded for the GRUB
 * reader, which expands $kernelopts with its own environment.
 */
#ifndef IB_BLS_H
#define IB_BLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bootfs.h"
#include "errors.h"
#include "menu.h"

/* Whose rules: the syntax of a file, its id, the order, the places. */
typedef enum ib_bls_rules {
	IB_BLS_SDBOOT, /* systemd-boot 252 */
	IB_BLS_GRUB    /* GRUB's blscfg (Fedora) */
} ib_bls_rules;

/* What the entry loads: the last of "linux" and "efi" for systemd-boot
 * 252; "linux" wins for blscfg, which makes no entry without it. */
typedef enum ib_bls_type {
	IB_BLS_NONE,  /* neither key: no loader shows the entry */
	IB_BLS_LINUX, /* a Linux kernel */
	IB_BLS_EFI    /* an EFI program: not Linux */
} ib_bls_type;

/* One entry file; every string is owned by the entry. Values are the
 * bytes after the key, as the loader keeps them. */
typedef struct ib_bls_entry {
	char *path; /* absolute in the image: "/loader/entries/a.conf" */
	char *file; /* the last component of path */
	/* systemd-boot: file in ASCII lower case, ".conf" and the boot
	 * counter kept; blscfg: file without ".conf" */
	char *id;
	char *title;      /* systemd-boot: the last; blscfg: the first */
	char *version;    /* likewise, each single-valued key */
	char *machine_id; /* "machine-id" */
	char *sort_key;   /* "sort-key" */
	char *kernel;     /* "linux", or NULL */
	char *efi;        /* "efi", or NULL */
	char **initrds;   /* every "initrd" value in file order, unsplit */
	size_t ninitrds;
	/* systemd-boot: every "options" line joined by one space; blscfg:
	 * the first, unexpanded; NULL when there is none */
	char *options;
	char *devicetree;
	char *architecture;
	ib_bls_type type;
	unsigned type_line; /* the line of the key that set type; 0: none */
	bool both;          /* "linux" and "efi" both given */
	/* systemd-boot's boot counting, from "+LEFT[-DONE]" before ".conf"
	 * in the name (UAPI.1 "Boot counting"); -1 when the name has none */
	int tries_left, tries_done;
} ib_bls_entry;

/*
 * Parse len bytes of the entry file at path (absolute in the image) with
 * rules' syntax: systemd-boot's line_get_key_value (CR ends a line too,
 * surrounding blanks dropped, '#' comments, one pair of double quotes
 * around a value dropped) or blscfg's (CRs dropped, the key ends at the
 * first space, else tab; a line with no value ends the file). Unknown
 * keys are ignored, as both loaders do. Returns an entry the caller frees
 * with ib_bls_entry_free(), or NULL with *err (IB_ELIMIT: over
 * IB_MAX_CONFIG bytes or IB_MAX_INITRDS initrds; ENOMEM).
 */
ib_bls_entry *ib_bls_parse(const char *path, const char *data, size_t len,
    ib_bls_rules rules, ib_err *err);

void ib_bls_entry_free(ib_bls_entry *e);

/* loader.conf's timeout: seconds, or one of these. */
#define IB_BLS_TIMEOUT_UNSET      (-1) /* no valid timeout line */
#define IB_BLS_TIMEOUT_MENU_FORCE (-2) /* "menu-force": wait for a key */

/* What systemd-boot 252 takes from loader/loader.conf. */
typedef struct ib_bls_loader_conf {
	char *def;         /* the last valid "default", lower-cased; or NULL */
	unsigned def_line; /* its line, 0 if none */
	bool def_saved;    /* it is "@saved" */
	int64_t timeout; /* seconds (0: "menu-hidden" too), IB_BLS_TIMEOUT_* */
	unsigned timeout_line;
	/* lines systemd-boot refuses and ignores: a timeout that is no
	 * count, a default starting '@' other than "@saved" */
	unsigned nbad;
	unsigned bad_line; /* the first of them */
} ib_bls_loader_conf;

/* Parse loader.conf's len bytes into *out (strings owned by it, released
 * with ib_bls_loader_conf_release()). Returns 0, or -1 with *err. */
int ib_bls_loader_conf_parse(const char *data, size_t len,
    ib_bls_loader_conf *out, ib_err *err);

void ib_bls_loader_conf_release(ib_bls_loader_conf *c);

/* systemd's strverscmp_improved (src/fundamental/string-util-fundamental.c):
 * <0, 0, >0 as a is older, the same, newer. NULL is "". */
int ib_bls_strverscmp(const char *a, const char *b);

/* blscfg's vercmp: rpm's rpmvercmp with '~' and Fedora's '+', no '^';
 * -1, 0, 1 as a is older, the same, newer. */
int ib_bls_vercmp(const char *a, const char *b);

/* systemd-boot's efi_fnmatch: '*', '?', '[...]' with ranges, '\' escapes;
 * no FNM_PATHNAME, no case folding (both sides come lower-cased). */
bool ib_bls_fnmatch(const char *pattern, const char *s);

/*
 * The loader's menu order: <0 when a comes first. systemd-boot 252's
 * config_entry_compare (tried-out entries last, sort-key, machine-id,
 * newest version, newest id, more tries left), ties by file name in byte
 * order so that the result does not depend on readdir; blscfg's bls_cmp
 * (name, version, release split from the id at its last two '-', each by
 * ib_bls_vercmp, newest first).
 */
int ib_bls_compare(const ib_bls_entry *a, const ib_bls_entry *b,
    ib_bls_rules rules);

/* Entries in the loader's order. */
typedef struct ib_bls_list {
	ib_bls_entry **e;
	size_t n;
} ib_bls_list;

/*
 * Read the entry files of dir (absolute in fs; NULL: the loader's place,
 * "/loader/entries", which blscfg follows with "/boot/loader/entries"
 * when the first cannot be listed) with rules, into *out in the loader's
 * order. Names are taken as the loader takes them (systemd-boot: no
 * leading '.', ".conf" in any case, no "auto-" prefix; blscfg: no leading
 * '.', ".conf" exactly); blscfg keeps the first of entries that compare
 * equal. Each decision is a note in notes (may be NULL). A missing
 * directory is an empty list. Returns 0, or -1 with *err (IB_ELIMIT:
 * more than IB_MAX_BLS_ENTRIES entry files; a read error).
 */
int ib_bls_load(ib_bootfs *fs, const char *dir, ib_bls_rules rules,
    ib_bls_list *out, ib_menu *notes, ib_err *err);

void ib_bls_list_release(ib_bls_list *l);

/*
 * The menu entry blscfg makes of e (read with IB_BLS_GRUB rules), for the
 * GRUB reader, into *out (strings the caller owns: ib_menu_add takes
 * them): label the id, title the title (else the "linux" value), kernel
 * and initrds absolute (each "initrd" value split at blanks, as GRUB's
 * parser splits "initrd ($root)/a /b"), args the "linux" value's extra
 * words and the first "options" line, unexpanded, or "$default_kernelopts"
 * when there is none (blscfg expands that variable then). Returns 1, 0
 * when blscfg makes no entry (no "linux"; "linux" and "efi" both), or -1
 * with *err.
 */
int ib_bls_grub_entry(const ib_bls_entry *e, ib_menu_entry *out, ib_err *err);

/*
 * systemd-boot 252's menu of the filesystem fs: /loader/loader.conf
 * (default pattern, timeout) and /loader/entries/\*.conf, in its order,
 * leaving out what it leaves out (no "linux" or "efi", a missing kernel,
 * another "architecture" than arch: the EFI name, "x64" or "aa64"; NULL
 * keeps them with a note). Kernels and initrds are absolute in fs, args
 * the joined "options". Returns a menu (loader "systemd-boot") the caller
 * frees with ib_menu_free(), or NULL with *err.
 */
ib_menu *ib_bls_menu_new(ib_bootfs *fs, const char *arch, ib_err *err);

#endif
