/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmdline: kernel command lines as word lists, with the kernel's own
 * quoting (lib/cmdline.c next_arg: words split at spaces, double quotes
 * group), and the edits every tool offers: remove a key, append words,
 * and the serial-console rewrite. Used by syslinux2cmdline, isoboot-cmd
 * and isoboot alike.
 */
#ifndef IB_CMDLINE_H
#define IB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "argv.h"
#include "errors.h"

/*
 * A command line's words live in an ib_argv (argv.h), which the caller
 * releases with ib_argv_free(); every function here keeps it
 * NULL-terminated. Adding words fails with IB_ELIMIT past IB_MAX_ARGS
 * words or IB_MAX_CMDLINE bytes.
 */

/* Append the words of s, split as the kernel splits them (an unbalanced
 * quote runs to the end). */
int ib_cmdline_append(ib_argv *a, const char *s, ib_err *err);

/* Insert the words of s at the front. */
int ib_cmdline_prepend(ib_argv *a, const char *s, ib_err *err);

/* The words joined by single spaces; the caller frees it. NULL on ENOMEM. */
char *ib_cmdline_join_new(const ib_argv *a);

/* Remove every word that is key or starts with "key=". Returns how many
 * were removed. */
size_t ib_cmdline_remove(ib_argv *a, const char *key);

/*
 * The serial-console rewrite: before the first "---" or "--" (which end
 * the kernel's own arguments), drop every console=, earlyprintk=, vga=,
 * splash and quiet word, then put "earlyprintk=serial,DEV[,SPEED]
 * console=DEV[,SPEED]"
 * first. dev NULL means ttyS0; speed NULL or "" means none. Applying it
 * twice gives the same result.
 */
int ib_cmdline_serial(ib_argv *a, const char *dev, const char *speed,
    ib_err *err);

/*
 * Add mod to the comma list of the first "modules=" word (Alpine's
 * initramfs loads those modules), unless it is there. Returns 1 when it
 * was added, 0 when there is no modules= word or mod is in it, -1 with
 * *err on ENOMEM.
 */
int ib_cmdline_add_module(ib_argv *a, const char *mod, ib_err *err);

/* A serial console named "DEV[,SPEED]" (ttyS1,115200): DEV into dev
 * (devsz bytes), *speed to SPEED (digits) or NULL. Returns 0, or -1
 * with *err saying which part is bad. */
int ib_cmdline_serial_parse(const char *s, char *dev, size_t devsz,
    const char **speed, ib_err *err);

/* The edits a user asks for, in the order they are made. */
typedef struct ib_cmdline_edits {
	const char *const *remove; /* keys, as ib_cmdline_remove() */
	size_t nremove;
	bool serial;               /* then ib_cmdline_serial() */
	const char *serial_dev;    /* NULL: ttyS0 */
	const char *serial_speed;  /* NULL: none */
	const char *const *append; /* then these words at the end */
	size_t nappend;
} ib_cmdline_edits;

/* args with the edits ed made; with none, args as they are (spaces and
 * all). Returns a string the caller frees, or NULL with *err. */
char *ib_cmdline_edit_new(const char *args, const ib_cmdline_edits *ed,
    ib_err *err);

/*
 * Remove the "initrd=..." and "BOOT_IMAGE=..." words from a command line
 * as a boot loader wrote it, keeping every other byte (double and trailing
 * spaces included): a removed word takes one neighbouring space with it.
 * Returns a string the caller frees, or NULL on ENOMEM.
 */
char *ib_cmdline_strip_loader_new(const char *s);

#endif
