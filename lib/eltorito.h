/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eltorito: the El Torito boot catalog of an image (El Torito 1.0, 1995):
 * which blocks the BIOS and the EFI firmware load, and which member of the
 * image holds them. Part of the iso module.
 */
#ifndef IB_ELTORITO_H
#define IB_ELTORITO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "iso.h"

typedef struct ib_eltorito {
	bool has_bios, has_efi;
	uint32_t bios_lba; /* load RBA of the BIOS (platform 0) default */
	uint32_t efi_lba;  /* load RBA of the first EFI (0xEF) entry */
	uint32_t catalog;  /* LBA of the catalog */
} ib_eltorito;

/*
 * Read the boot record volume descriptor and the catalog. An image
 * without one fills *out with has_bios = has_efi = false and returns 0;
 * a catalog that is there but broken is IB_EFORMAT.
 */
int ib_eltorito_read(ib_iso *iso, ib_eltorito *out, ib_err *err);

/*
 * The path of the member whose data starts at block lba (the boot image
 * is a file of the image, e.g. isolinux/isolinux.bin), into out.
 * Returns 0, or -1 with IB_ENOTFOUND (a boot image hidden from the
 * directory tree, as xorriso can do).
 */
int ib_eltorito_path_at(ib_iso *iso, uint32_t lba, char *out, size_t outsz,
    ib_err *err);

#endif
