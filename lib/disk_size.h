/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk_size: the SIZE argument of mkdisk, with mkfile's rules. A number
 * (decimals allowed when the result is a whole number of bytes) and an
 * optional unit, case-insensitive: none = bytes, b = 512-byte blocks,
 * k m g t = powers of 1024 (also written KiB MiB GiB TiB). A disk is
 * made of 512-byte sectors, so the size must be a multiple of 512.
 */
#ifndef IB_DISK_SIZE_H
#define IB_DISK_SIZE_H

#include <stdint.h>

#include "errors.h"

#define IB_DISK_SECTOR 512u

/* The largest size: the largest multiple of 512 an off_t holds. */
#define IB_DISK_MAX_SIZE (UINT64_C(0x7fffffffffffffff) & ~UINT64_C(511))

/*
 * Parse s into *size (bytes: a multiple of 512, 1 to IB_DISK_MAX_SIZE).
 * On failure -1 with an IB_EFORMAT (bad syntax, unknown unit) or
 * IB_ELIMIT (zero, too large, not whole sectors) error whose message
 * names the value and, where there is one, the nearest valid size.
 */
int ib_disk_size_parse(const char *s, uint64_t *size, ib_err *err);

/* size in the largest unit that divides it: "1g", "1536m", "3b", "1000"
 * (bytes when not whole sectors). 24 bytes of buf are enough. */
void ib_disk_size_format(uint64_t size, char *buf, size_t n);

#endif
