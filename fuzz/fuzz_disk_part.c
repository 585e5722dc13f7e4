/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_disk_part: the partition table reader and the filesystem probe
 * over the input as a disk. Properties, abort() on failure:
 * 1. Every read stays inside the disk, and their number is bounded (the
 *    MBR, IB_MAX_EBR links, two GPT headers and arrays, then the probes).
 * 2. A table that reads has partitions inside the disk, numbered 1 and up
 *    without repeats, and a failure sets an error code and message.
 * 3. Each partition (and a disk without a table) probes without error.
 * Inputs are small, so GPT disks are sparse: the input is the first part
 * of a disk whose size is the first 4 bytes (little-endian) times 512,
 * zeros past the input, when those bytes start with "DISK"; with "GPTF"
 * the same, and the primary GPT header's two CRCs are made right first,
 * so that mutations get past them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include "bounds.h"

#include "bytes.h"
#include "disk_part.h"
#include "disk_probe.h"
#include "fuzzsrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Make the CRCs of a GPT header at byte 512 of p (n bytes) right. */
static void
fix_gpt(unsigned char *p, size_t n)
{
	unsigned char *h = p + 512;
	uint64_t off, len;
	uint32_t hsize;

	if (n < 1024 || memcmp(h, "EFI PART", 8) != 0)
		return;
	off = ib_le64(h + 72) * 512;
	len = (uint64_t)ib_le32(h + 80) * ib_le32(h + 84);
	if (off < n && len <= n - off)
		ib_put_le32(h + 88, (uint32_t)crc32(0, p + off, (uInt)len));
	hsize = ib_le32(h + 12);
	if (hsize >= 92 && hsize <= 512) {
		ib_put_le32(h + 16, 0);
		ib_put_le32(h + 16, (uint32_t)crc32(0, h, hsize));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy = NULL;
	struct src s;
	ib_disk_reader r;
	ib_disk_table *t;
	ib_disk_fs fs;
	ib_err err;
	size_t i, j;

	s.p = data;
	s.n = size;
	s.size = size;
	s.reads = 0;
	s.bytes = 0;
	if (size >= 8 &&
	    (memcmp(data, "DISK", 4) == 0 || memcmp(data, "GPTF", 4) == 0)) {
		s.p = data + 8;
		s.n = size - 8;
		s.size = (uint64_t)ib_le32(data + 4) * 512;
		if (s.size < s.n)
			s.size = s.n;
		if (data[0] == 'G') {
			copy = malloc(s.n > 0 ? s.n : 1);
			if (copy == NULL)
				return 0;
			memcpy(copy, s.p, s.n);
			fix_gpt(copy, s.n);
			s.p = copy;
		}
	}
	r.read = get;
	r.ctx = &s;
	r.size = s.size;
	ib_err_clear(&err);
	t = ib_disk_table_new(&r, &err);
	if (s.reads > 1 + 2 * IB_MAX_EBR + 8)
		abort();
	if (t == NULL) {
		if (err.code == 0 || err.msg[0] == '\0')
			abort();
		free(copy);
		return 0;
	}
	if (t->scheme == IB_DISK_NONE &&
	    ib_disk_probe(&r, 0, r.size, &fs, &err) != 0)
		abort();
	for (i = 0; i < t->count; i++) {
		const ib_disk_part *p = &t->parts[i];

		if (p->num == 0 || p->start > r.size ||
		    p->size > r.size - p->start)
			abort();
		for (j = 0; j < i; j++)
			if (t->parts[j].num == p->num)
				abort();
		if (!p->extended &&
		    ib_disk_probe(&r, p->start, p->size, &fs, &err) != 0)
			abort();
	}
	ib_disk_table_free(t);
	free(copy);
	return 0;
}
