/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_fat: the FAT reader over the input as a volume, with the walk and
 * the properties of fuzzvol.h. Inputs that start with "FATS" are the
 * first part of a volume of up to 40 MiB (a FAT32 of 65525 clusters of
 * 512 bytes), so that small ones hold the BPB, the FAT and a few
 * directories of a bigger volume. The properties, abort() on failure:
 * 1. Every read stays inside the volume.
 * 2. One call reads at most a volume's worth of clusters (size / 512
 *    reads, plus a few for the boot sector and the FAT); a lookup, that
 *    for each component: chains are followed once, never round a loop.
 * 3. A failure sets an error code and a message.
 * 4. readdir names are not empty, ".", "..", and hold no '/' or NUL.
 * 5. A file read at once and in pieces (forward, then back to its start)
 *    gives the same bytes when both reads succeed.
 */
#include <stddef.h>
#include <stdint.h>

#include "fat.h"
#include "fuzzvol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "/EFI/BOOT/BOOTX64.EFI",
		"/efi/boot/grubx64.efi", "/loader/entries/../loader.conf",
		"/\xc3\xa9\xf0\x9f\x98\x80", "/\xff\xfe", "/a/b/c/d/e/f" };

	return fuzzvol_run(data, size, "FATS", 40u * 1024 * 1024, ib_fat_open,
	    paths, sizeof(paths) / sizeof(paths[0]));
}
