/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the two files of the syslinux reader only (syslinux.c parses,
 * syslinux_menu.c decides what boots). */
#ifndef IB_SYSLINUX_INT_H
#define IB_SYSLINUX_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "bootfs.h"
#include "bounds.h"
#include "menu_int.h"

/* Kernel keywords of a label (1.8); KERNEL decides by extension. */
enum kw {
	KW_NONE,
	KW_KERNEL,
	KW_LINUX,
	KW_BOOT,
	KW_BSS,
	KW_PXE,
	KW_FDIMAGE,
	KW_COMBOOT,
	KW_COM32,
	KW_CONFIG,
	KW_LOCALBOOT
};

struct label {
	bool open;
	char *name;
	char *title;
	enum kw kw;
	char *kernel; /* as written: the first word of the kernel line */
	char *kargs;  /* the words after it: they start the command line */
	char *line;   /* the whole LABEL value, as the menu modules keep it */
	char *append; /* NULL: none of its own */
	char *initrd; /* INITRD keyword */
	bool hide, disabled, menu_default;
	bool menu_exit; /* MENU EXIT / MENU QUIT: no boot, back out */
	char where[IB_MAX_PATH + 16];
};

struct parser {
	ib_bootfs *fs;
	ib_menu *m;
	char cwd[IB_MAX_PATH + 1];
	char *global_append;
	char *default_cmd; /* DEFAULT or UI value */
	char default_where[IB_MAX_PATH + 16];
	int default_level;  /* 0 none, 1 DEFAULT, 2 UI */
	char *last_default; /* the last DEFAULT value, even under UI */
	bool has_ui;
	bool prompt;    /* PROMPT 1: the boot: prompt waits TIMEOUT */
	bool menu_runs; /* the default command is a menu module */
	char *ontimeout;
	char ontimeout_where[IB_MAX_PATH + 16];
	bool menu_hidden;
	struct label cur;
	char *submenu; /* " > "-joined titles of open MENU BEGINs */
	unsigned menu_depth;
	const char *stack[IB_MAX_INCLUDE + 1]; /* files being read */
	unsigned depth;
	unsigned chain; /* CONFIG hops */
};

/* syslinux.c: reading config files into p->m */
int ib_syslinux_parse_file(struct parser *p, const char *path, ib_err *err);
int ib_syslinux_record(struct parser *p, ib_err *err);
void ib_syslinux_label_clear(struct label *l);
bool ib_syslinux_has_suffix(const char *s, const char *suf);
ib_kind ib_syslinux_kind_of_file(const char *name);
char *ib_syslinux_resolve_new(const struct parser *p, const char *name,
    size_t n);
int ib_syslinux_set_initrds(const struct parser *p, ib_menu_entry *e,
    const char *append, const char *initrd_kw, ib_err *err);

#endif
