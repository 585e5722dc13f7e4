/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * firmware: the UEFI firmware files a VM boots its disk through, found
 * where they are installed, and the VM's own variable store made from
 * its template. qemu's firmware is two flash images: the code, shared and
 * read-only, and a variable store each VM writes. Homebrew's qemu ships
 * them beside itself (PREFIX/share/qemu/edk2-x86_64-code.fd and
 * edk2-i386-vars.fd; edk2-aarch64-code.fd and edk2-arm-vars.fd), Debian's
 * ovmf package in /usr/share/OVMF (OVMF_CODE_4M.fd, OVMF_VARS_4M.fd) and
 * qemu-efi-aarch64 in /usr/share/AAVMF.
 * Not for: vfkit (the Virtualization framework's own firmware), hyperkit
 * and xhyve (a bhyve ROM the user names), how a VM uses the files (vm.h).
 */
#ifndef IB_FIRMWARE_H
#define IB_FIRMWARE_H

#include <signal.h>
#include <stdbool.h>

#include "errors.h"

/* The VM's variable store in its directory: qemu's copy of the template,
 * vfkit's own store (made by vfkit). */
#define IB_FIRMWARE_QEMU_VARS  "efi-vars.fd"
#define IB_FIRMWARE_VFKIT_VARS "efi-vars"

/* What qemu boots with: both paths absolute, owned by the struct. */
typedef struct ib_firmware_files {
	char *code; /* read-only flash, unit 0 */
	char *vars; /* the variable store's template, copied per VM */
} ib_firmware_files;

/*
 * The installation prefix of the program argv0 as the shell finds it
 * (itself when it names a directory, else the first executable of that
 * name in path's directories), symbolic links resolved: the directory
 * above its bin. Returns a string the caller frees, or NULL when it is
 * not found (or out of memory).
 */
char *ib_firmware_prefix_new(const char *argv0, const char *path);

/*
 * qemu's UEFI firmware for x86_64, or aarch64 with arm64. With code (the
 * user's --bootrom), that file and the template beside it named as its
 * family names it (OVMF_CODE* -> OVMF_VARS*, AAVMF_CODE* -> AAVMF_VARS*,
 * edk2-x86_64-code.fd -> edk2-i386-vars.fd, edk2-aarch64-code.fd ->
 * edk2-arm-vars.fd, *-code* -> *-vars*). Else the first pair found under
 * the prefix of qemu (argv0 found in path) in share/qemu, then in
 * /usr/share/OVMF or /usr/share/AAVMF. Returns 0 with *f (release it with
 * ib_firmware_files_release()), or -1 with *err: IB_ENOTFOUND naming the
 * places looked at.
 */
int ib_firmware_find_qemu(const char *code, const char *argv0, const char *path,
    bool arm64, ib_firmware_files *f, ib_err *err);

void ib_firmware_files_release(ib_firmware_files *f);

/*
 * The VM's variable store: name in the directory dirfd, a copy of the
 * template at vars made when name is missing, through a temporary; an
 * existing one (the variables the guest wrote) is never replaced.
 * *made says whether this call made it. Returns 0, or -1 with *err.
 */
int ib_firmware_vars_make(const char *vars, int dirfd, const char *name,
    bool *made, const volatile sig_atomic_t *cancel, ib_err *err);

#endif
