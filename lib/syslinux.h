/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * syslinux: read a syslinux / isolinux / extlinux config with the boot
 * loader's own semantics (fixtures/bootcfg/SEMANTICS.md section 1, from
 * syslinux 6.04's ldlinux and menu parsers): case-insensitive keywords,
 * lines cut at the first CR, INCLUDE against the working directory,
 * DEFAULT / UI / MENU DEFAULT precedence, MENU BEGIN submenus, initrd=
 * inside APPEND before INITRD, positional global APPEND, the chooser
 * modules (ifcpu64, ifcpu, whichsys) and CONFIG chains.
 */
#ifndef IB_SYSLINUX_H
#define IB_SYSLINUX_H

#include "bootfs.h"
#include "errors.h"
#include "menu.h"

/*
 * Parse the config at path (absolute in fs) with working directory cwd
 * (NULL: the config's directory, as ISOLINUX has it; PXELINUX works in
 * the directory of pxelinux.0). Returns a menu the caller frees with
 * ib_menu_free(), or NULL with *err ("file:line: message": an INCLUDE
 * loop, a line longer than 4095 bytes, a NUL byte, a path that leaves
 * the image...).
 */
ib_menu *ib_syslinux_parse(ib_bootfs *fs, const char *path, const char *cwd,
    ib_err *err);

#endif
