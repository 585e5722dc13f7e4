/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_ext4: the ext2/3/4 path, libext2fs through our io_manager and
 * lib/vol's walk, over the input as a volume, with the walk and the
 * properties of fuzzvol.h. Inputs that start with "EXT4" are the first
 * part of a volume of up to 64 MiB, so that small ones hold the
 * superblock, the group descriptors and the first inode tables of a
 * bigger one. The properties, abort() on failure:
 * 1. Every read stays inside the volume: a block number from a damaged
 *    filesystem never reaches past it (io_read_blk64's check).
 * 2. One call reads at most a volume's worth of sectors, plus a few, per
 *    path component: symlink loops end (IB_MAX_SYMLINKS).
 * 3. A failure sets an error code and a message.
 * 4. readdir names are not empty, ".", "..", and hold no '/' or NUL.
 * 5. A file read at once and in pieces gives the same bytes.
 * libext2fs itself is not built with the sanitizers: what they see is
 * our code and what libext2fs hands it.
 */
#include <stddef.h>
#include <stdint.h>

#include "ext4.h"
#include "fuzzvol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "/boot/grub/grub.cfg",
		"/boot/vmlinuz", "/vmlinuz", "/boot/../boot/./x/../grub",
		"/loader/entries/a.conf", "/a/b/c/d/e/f/g/h" };

	return fuzzvol_run(data, size, "EXT4", 64u * 1024 * 1024, ib_ext4_open,
	    paths, sizeof(paths) / sizeof(paths[0]));
}
