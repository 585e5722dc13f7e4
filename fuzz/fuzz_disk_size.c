/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_disk_size: mkdisk's SIZE parser on arbitrary text. Properties: an
 * accepted size is a positive multiple of 512 no larger than
 * IB_DISK_MAX_SIZE; written back in its unit form it parses to the same
 * number; a refusal always comes with a message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "disk_size.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[64], back[24];
	uint64_t v, w;
	ib_err err;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ib_err_clear(&err);
	if (ib_disk_size_parse(text, &v, &err) == -1) {
		if (err.code == 0 || err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (v == 0 || v % IB_DISK_SECTOR != 0 || v > IB_DISK_MAX_SIZE)
		abort();
	ib_disk_size_format(v, back, sizeof(back));
	if (ib_disk_size_parse(back, &w, &err) == -1 || w != v)
		abort();
	return 0;
}
