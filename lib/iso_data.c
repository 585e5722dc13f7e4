/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a member's bytes: stored extents copied with the fastest call
 * the system has (compat), or zisofs decoded block by block. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "compat.h"
#include "iso_int.h"

struct zread {
	int fd;
	uint64_t base; /* byte offset of the stored data in fd */
	uint64_t len;
};

struct zwrite {
	int fd;
	const volatile sig_atomic_t *cancel;
};

static int
zread_at(void *ctx, uint64_t off, void *buf, size_t len, ib_err *err)
{
	struct zread *z;

	z = ctx;
	if (off > z->len || len > z->len - off)
		return ib_err_set(err, IB_EFORMAT,
		    "zisofs: read past the end of the stored data");
	return ib_pread_all(z->fd, buf, len, z->base + off, err);
}

static int
zwrite(void *ctx, const void *buf, size_t len, ib_err *err)
{
	struct zwrite *z;

	z = ctx;
	if (z->cancel != NULL && *z->cancel)
		return ib_err_set(err, IB_EINTR, "interrupted");
	return ib_write_all(z->fd, buf, len, z->cancel, err);
}

static int
copy_extent(ib_iso *iso, const ib_extent *x, int out,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	uint64_t off;

	off = (uint64_t)x->lsn * IB_SECTOR;
	if (iso->stream != NULL)
		return ib_iso_stream_copy(iso->stream, off, x->len, out, cancel,
		    err);
	return ib_copy_range(iso->fd, off, out, x->len, cancel, err);
}

/* The zisofs decoder reads its block pointers and blocks in any order:
 * from a stream, the stored bytes are first put in an unlinked temporary. */
static int
decode_zisofs(ib_iso *iso, const ib_entry *e, int out,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	struct zread zr;
	struct zwrite zw;
	int rc;

	zr.fd = iso->fd;
	zr.base = (uint64_t)e->extents[0].lsn * IB_SECTOR;
	zr.len = e->extents[0].len;
	zw.fd = out;
	zw.cancel = cancel;
	if (iso->stream == NULL)
		return ib_zisofs_decode(&e->zf, zr.len, zread_at, &zr, zwrite,
		    &zw, err);
	zr.fd = ib_tmpfile("zisofs", err);
	if (zr.fd == -1)
		return -1;
	zr.base = 0;
	rc = copy_extent(iso, &e->extents[0], zr.fd, cancel, err);
	if (rc == 0)
		rc = ib_zisofs_decode(&e->zf, zr.len, zread_at, &zr, zwrite,
		    &zw, err);
	close(zr.fd);
	return rc;
}

int
ib_iso_copy(ib_iso *iso, const ib_entry *e, int out, bool raw,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	size_t i;

	if (e->type != IB_FT_REG)
		return ib_err_set(err, EINVAL, "not a regular file");
	for (i = 0; i < e->nextents; i++)
		if (!ib_iso_extent_inside(iso, e->extents[i].lsn,
		        e->extents[i].len))
			return ib_err_set(err, IB_EFORMAT,
			    "file data beyond the end of the image");
	if (e->zf.version != 0 && !raw) {
		if (!ib_zisofs_supported(&e->zf))
			return ib_err_set(err, IB_EUNSUPPORTED,
			    "zisofs%s algorithm '%c%c' is not supported "
			    "(--raw extracts the stored bytes)",
			    e->zf.version == 2 ? "2" : "", e->zf.alg[0],
			    e->zf.alg[1]);
		if (e->nextents != 1)
			return ib_err_set(err, IB_EFORMAT,
			    "zisofs file in several extents");
		return decode_zisofs(iso, e, out, cancel, err);
	}
	for (i = 0; i < e->nextents; i++)
		if (copy_extent(iso, &e->extents[i], out, cancel, err) == -1)
			return -1;
	return 0;
}
