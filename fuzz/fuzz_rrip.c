/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_rrip: a System Use area, with CE continuation areas served from
 * the rest of the input as 2048-byte blocks.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rrip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct blocks {
	const uint8_t *p;
	size_t n;
};

static int
rd(void *ctx, uint32_t lsn, unsigned char *buf, ib_err *err)
{
	const struct blocks *b;

	b = ctx;
	if ((uint64_t)lsn * IB_SECTOR + IB_SECTOR > b->n)
		return ib_err_set(err, IB_EFORMAT, "beyond the input");
	memcpy(buf, b->p + (size_t)lsn * IB_SECTOR, IB_SECTOR);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ib_rr rr;
	struct blocks b;
	ib_err err;
	size_t area;

	if (size < 2)
		return 0;
	area = data[0] < size - 1 ? data[0] : size - 1;
	b.p = data + 1 + area;
	b.n = size - 1 - area;
	ib_rrip_parse(data + 1, area, 0, rd, &b, &rr, &err);
	/* Names may hold NUL bytes (the walker refuses them); the lengths
	 * must stay bounded and the buffers terminated. */
	if (rr.name_len > IB_MAX_NAME || rr.link_len > IB_MAX_LINK ||
	    rr.name[rr.name_len] != '\0' || rr.link[rr.link_len] != '\0')
		__builtin_trap();
	return 0;
}
