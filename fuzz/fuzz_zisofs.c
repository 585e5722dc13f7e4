/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_zisofs: the zisofs v1/v2 decoder on arbitrary stored bytes, the ZF
 * fields taken from the first bytes. Property: it never writes more than
 * the ZF size, and on success exactly that.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "zisofs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
	const uint8_t *p;
	size_t n;
};

static int
rd(void *ctx, uint64_t off, void *buf, size_t len, ib_err *err)
{
	const struct src *s;

	s = ctx;
	if (off > s->n || len > s->n - off)
		return ib_err_set(err, IB_EFORMAT, "short");
	memcpy(buf, s->p + off, len);
	return 0;
}

static int
wr(void *ctx, const void *buf, size_t len, ib_err *err)
{
	uint64_t *total;

	(void)buf;
	(void)err;
	total = ctx;
	*total += len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct src s;
	uint64_t total;
	ib_zf zf;
	ib_err err;
	int rc;

	if (size < 12)
		return 0;
	memset(&zf, 0, sizeof(zf));
	zf.version = (data[0] & 1) + 1;
	zf.alg[0] = zf.version == 1 ? 'p' : 'P';
	zf.alg[1] = zf.version == 1 ? 'z' : 'Z';
	zf.hdr_size = zf.version == 1 ? 16 : 24;
	zf.log2_bs = 15 + data[1] % 3;
	zf.size = ib_le64(data + 2) % (1u << 26);
	s.p = data + 10;
	s.n = size - 10;
	total = 0;
	rc = ib_zisofs_decode(&zf, s.n, rd, &s, wr, &total, &err);
	if (total > zf.size || (rc == 0 && total != zf.size))
		__builtin_trap();
	return 0;
}
