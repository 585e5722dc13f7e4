/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_iso_names: Joliet and ECMA-119 name decoding into tight buffers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "iso_names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t outsz;
	char *out;
	int n;

	if (size < 1)
		return 0;
	outsz = data[0];
	out = malloc(outsz ? outsz : 1);
	if (out == NULL)
		return 0;
	n = ib_iso_name_joliet(data + 1, size - 1, out, outsz);
	if (n >= 0 && (size_t)n >= outsz)
		__builtin_trap();
	n = ib_iso_name_9660(data + 1, size - 1, out, outsz);
	if (n >= 0 && (size_t)n >= outsz)
		__builtin_trap();
	free(out);
	return 0;
}
