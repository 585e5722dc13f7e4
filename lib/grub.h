/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * grub: read a GRUB 2 grub.cfg the way GRUB's normal mode reads it
 * (fixtures/bootcfg/SEMANTICS.md section 2, upstream grub-2.12): GRUB's
 * lines, quoting and variable expansion, set/export and the submenu
 * context that sees only exported variables, if/elif/else with the tests
 * a static reader can decide, functions, for loops, source and
 * configfile, search taken as "the image itself", menu entry bodies run
 * at the end with the final values, and `default` resolved as upstream's
 * get_entry_number does. Every assumption becomes a note.
 *
 * Not for: running modules, fonts or themes; loopback.cfg (2.6); deciding
 * which config an image boots (bootcfg).
 */
#ifndef IB_GRUB_H
#define IB_GRUB_H

#include "bootfs.h"
#include "errors.h"
#include "menu.h"

/*
 * Parse the config at path (absolute in fs) as GRUB on platform "pc"
 * (BIOS) or "efi" (UEFI) reads it. Returns a menu the caller frees with
 * ib_menu_free(), or NULL with *err ("file:line: message": a source loop,
 * a line over 64 KiB, a quote or block never closed, a NUL byte...).
 */
ib_menu *ib_grub_parse(ib_bootfs *fs, const char *path, const char *platform,
    ib_err *err);

#endif
