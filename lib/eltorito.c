/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "bounds.h"
#include "bytes.h"
#include "eltorito.h"
#include "iso_int.h"

int
ib_eltorito_read(ib_iso *iso, ib_eltorito *out, ib_err *err)
{
	unsigned char vd[IB_SECTOR], cat[IB_MAX_CATALOG_BLOCKS * IB_SECTOR];
	unsigned i, platform;
	size_t pos;
	bool in_section;

	memset(out, 0, sizeof(*out));
	/* The boot record is one of the volume descriptors (type 0). */
	for (i = 0; i < IB_MAX_VDS; i++) {
		if (ib_iso_read_blocks(iso, 16 + i, 1, vd, err) == -1)
			return -1;
		if (memcmp(vd + 1, "CD001", 5) != 0 || vd[0] == 255)
			return 0;
		if (vd[0] == 0 &&
		    memcmp(vd + 7, "EL TORITO SPECIFICATION", 23) == 0)
			break;
	}
	if (i == IB_MAX_VDS)
		return 0;
	out->catalog = ib_le32(vd + 0x47);
	if (ib_iso_read_blocks(iso, out->catalog, 1, cat, err) == -1)
		return ib_err_prefix(err, "boot catalog: ");
	/* Validation entry: header 1, key bytes 55 AA, words summing to 0. */
	{
		uint16_t sum = 0;

		for (i = 0; i < 32; i += 2)
			sum = (uint16_t)(sum + ib_le16(cat + i));
		if (cat[0] != 1 || cat[30] != 0x55 || cat[31] != 0xaa ||
		    sum != 0)
			return ib_err_set(err, IB_EFORMAT,
			    "boot catalog at block %lu: bad validation entry",
			    (unsigned long)out->catalog);
	}
	platform = cat[1];
	/* The initial/default entry follows: boot indicator 0x88. */
	if (cat[32] == 0x88) {
		if (platform == 0xef) {
			out->has_efi = true;
			out->efi_lba = ib_le32(cat + 32 + 8);
		} else {
			out->has_bios = true;
			out->bios_lba = ib_le32(cat + 32 + 8);
		}
	}
	/* Section headers (0x90 more follow, 0x91 last) and entries. */
	in_section = false;
	platform = 0;
	for (pos = 64; pos + 32 <= IB_SECTOR; pos += 32) {
		if (cat[pos] == 0x90 || cat[pos] == 0x91) {
			platform = cat[pos + 1];
			in_section = true;
			continue;
		}
		if (!in_section || cat[pos] != 0x88)
			continue;
		if (platform == 0xef && !out->has_efi) {
			out->has_efi = true;
			out->efi_lba = ib_le32(cat + pos + 8);
		} else if (platform == 0 && !out->has_bios) {
			out->has_bios = true;
			out->bios_lba = ib_le32(cat + pos + 8);
		}
	}
	return 0;
}

struct find_at {
	uint32_t lba;
	char *out;
	size_t outsz;
	bool found;
};

static int
visit(void *ctx, const ib_entry *e, ib_err *err)
{
	struct find_at *f;

	(void)err;
	f = ctx;
	if (f->found)
		return IB_WALK_SKIP;
	if (e->type == IB_FT_REG && e->nextents > 0 &&
	    e->extents[0].lsn == f->lba && e->problem == NULL) {
		snprintf(f->out, f->outsz, "/%s", e->path);
		f->found = true;
	}
	return 0;
}

int
ib_eltorito_path_at(ib_iso *iso, uint32_t lba, char *out, size_t outsz,
    ib_err *err)
{
	struct find_at f;

	f.lba = lba;
	f.out = out;
	f.outsz = outsz;
	f.found = false;
	if (ib_iso_walk(iso, visit, &f, err) == -1)
		return -1;
	if (!f.found)
		return ib_err_set(err, IB_ENOTFOUND,
		    "no file starts at block %lu (a hidden boot image)",
		    (unsigned long)lba);
	return 0;
}
