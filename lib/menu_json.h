/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * menu_json: a boot menu as one line of JSON, the form every tool prints
 * for --format json (and isoboot records in boot.json).
 */
#ifndef IB_MENU_JSON_H
#define IB_MENU_JSON_H

#include <stddef.h>

#include "errors.h"
#include "menu.h"

/* Where the chosen entry's files were written, when they were. */
typedef struct ib_menu_files {
	const char *kernel;
	const char *const *initrds;
	size_t ninitrds;
} ib_menu_files;

/*
 * {"loader", "config", "timeout", "entry" (chosen, with args as its
 * command line when not NULL), "default", "ontimeout", "entries",
 * "notes"}, plus "files" when files is not NULL; a newline ends it.
 * Returns a string the caller frees, or NULL with *err.
 */
char *ib_menu_json_new(const ib_menu *m, const ib_menu_entry *chosen,
    const char *args, const ib_menu_files *files, ib_err *err);

#endif
