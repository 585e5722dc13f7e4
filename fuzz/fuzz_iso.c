/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_iso: an image, opened, walked and every file read (capped), as
 * isoboot-extract -x does. libcdio opens images by path, so the input is
 * written to a temporary file first.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "iso.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	ib_iso *iso;
	int null;
	uint64_t budget; /* bytes read from files, all together */
};

static int
visit(void *p, const ib_entry *e, ib_err *err)
{
	struct ctx *c;
	ib_err ee;

	(void)err;
	c = p;
	if (e->problem != NULL || e->type != IB_FT_REG)
		return 0;
	if (e->size > c->budget || e->stored_size > c->budget)
		return 0;
	c->budget -= e->size;
	ib_iso_copy(c->iso, e, c->null, false, NULL, &ee);
	ib_iso_copy(c->iso, e, c->null, true, NULL, &ee);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz_iso.XXXXXX";
	ib_iso_opts o = { 0 };
	struct ctx c;
	ib_err err;
	int fd, pass;

	fd = mkstemp(path);
	if (fd == -1)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	c.null = open("/dev/null", O_WRONLY);
	for (pass = 0; pass < 3; pass++) {
		o.no_rockridge = pass == 1;
		o.no_joliet = pass == 2;
		c.iso = ib_iso_open(path, &o, &err);
		if (c.iso == NULL)
			break;
		c.budget = 64u << 20;
		ib_iso_walk(c.iso, visit, &c, &err);
		ib_iso_close(c.iso);
	}
	close(c.null);
	unlink(path);
	return 0;
}
