/*
 * bootfiles: the files a boot menu entry loads (its kernel and initrds),
 * found in the image by the names the boot loader uses and extracted
 * flat into a directory. The automatic mode of isoboot-extract and
 * isoboot-cmd's ISO mode both go through here.
 */
#ifndef IB_BOOTFILES_H
#define IB_BOOTFILES_H

#include <signal.h>

#include "errors.h"
#include "extract.h"
#include "iso.h"
#include "menu.h"

/* More initrds than any boot loader line holds in practice. */
#define IB_BOOT_MAX_INITRDS 64

/*
 * Walk iso for e's kernel and initrds (plain ECMA-119 names compared
 * without regard to case, as ISOLINUX does) and hand each to
 * ib_extract_entry(x) when x is not NULL (a --print run checks only that
 * they are there). Stops at the first failure; cancel (may be NULL)
 * makes it fail with IB_EINTR. A file the entry names that the image
 * lacks is IB_ENOTFOUND, naming it and the config line. Returns 0, or -1
 * with *err.
 */
int ib_bootfiles_extract(ib_iso *iso, const ib_menu_entry *e, ib_extract *x,
    const volatile sig_atomic_t *cancel, ib_err *err);

/* Where a file named path lands in an extraction to dir with flat names:
 * dir/basename, in a string the caller frees (NULL: out of memory). */
char *ib_bootfiles_path(const char *dir, const char *path);

#endif
