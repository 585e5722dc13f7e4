/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzzsrc: the input as a disk or volume for the fuzz targets that read
 * through an ib_disk_reader (fuzz_disk_part, and fuzzvol.h's): the first
 * n bytes are the input, zeros past it up to size; every read is counted
 * and must stay inside size (abort() otherwise). For the fuzz targets
 * only.
 */
#ifndef IB_FUZZSRC_H
#define IB_FUZZSRC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

struct src {
	const uint8_t *p;
	size_t n;
	uint64_t size;
	uint64_t reads, bytes;
};

static inline int
get(void *ctx, void *buf, size_t len, uint64_t off, ib_err *err)
{
	struct src *s = ctx;
	unsigned char *out = buf;
	size_t have = 0;

	(void)err;
	s->reads++;
	s->bytes += len;
	if (off > s->size || len > s->size - off)
		abort();
	if (off < s->n)
		have = s->n - off < len ? (size_t)(s->n - off) : len;
	if (have > 0)
		memcpy(out, s->p + off, have);
	memset(out + have, 0, len - have);
	return 0;
}

#endif
