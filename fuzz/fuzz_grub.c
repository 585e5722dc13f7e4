/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_grub: a GRUB config tree built from the input (split at the first
 * 0xFF byte into /a.cfg and /b.cfg, so source and configfile have a
 * second file and a loop to find), parsed for BIOS and for UEFI.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootfs.h"
#include "fuzztree.h"
#include "grub.h"
#include "menu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/fuzz_grub.XXXXXX";
	ib_bootfs *fs;
	ib_menu *m;
	ib_err err;

	if (fuzztree_make(dir, data, size) == -1)
		return 0;
	fs = ib_bootfs_open_dir(dir, &err);
	if (fs != NULL) {
		m = ib_grub_parse(fs, "/a.cfg", size % 2 ? "efi" : "pc", &err);
		fuzztree_check_free(m);
		ib_bootfs_close(fs);
	}
	fuzztree_remove(dir);
	return 0;
}
