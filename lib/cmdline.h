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

#include "errors.h"

typedef struct ib_args ib_args;

/* Split s into words. Returns a list the caller frees with
 * ib_args_free(), or NULL with *err (ENOMEM, or IB_ELIMIT past
 * IB_MAX_CMDLINE bytes). An unbalanced quote runs to the end, as the
 * kernel reads it. */
ib_args *ib_args_split(const char *s, ib_err *err);

void ib_args_free(ib_args *a);

size_t ib_args_count(const ib_args *a);

/* Word i, owned by a, valid until the next change to a. */
const char *ib_args_word(const ib_args *a, size_t i);

/* The words joined by single spaces; the caller frees it. NULL on ENOMEM. */
char *ib_args_join_new(const ib_args *a);

/* Remove every word that is key or starts with "key=". Returns how many
 * were removed. */
size_t ib_args_remove(ib_args *a, const char *key);

/* Append the words of s (split as above) at the end. */
int ib_args_append(ib_args *a, const char *s, ib_err *err);

/* Insert the words of s at the front. */
int ib_args_prepend(ib_args *a, const char *s, ib_err *err);

/*
 * The serial-console rewrite: before the first "---" or "--" (which end
 * the kernel's own arguments), drop every console=, earlyprintk=, vga=,
 * splash and quiet word, then put "earlyprintk=serial console=DEV[,SPEED]"
 * first. dev NULL means ttyS0; speed NULL or "" means none. Applying it
 * twice gives the same result.
 */
int ib_args_serial(ib_args *a, const char *dev, const char *speed, ib_err *err);

/*
 * Add mod to the comma list of the first "modules=" word (Alpine's
 * initramfs loads those modules), unless it is there. Returns 1 when it
 * was added, 0 when there is no modules= word or mod is in it, -1 with
 * *err on ENOMEM.
 */
int ib_args_add_module(ib_args *a, const char *mod, ib_err *err);

/*
 * Remove the "initrd=..." and "BOOT_IMAGE=..." words from a command line
 * as a boot loader wrote it, keeping every other byte (double and trailing
 * spaces included): a removed word takes one neighbouring space with it.
 * Returns a string the caller frees, or NULL on ENOMEM.
 */
char *ib_cmdline_strip_loader_new(const char *s);

#endif
