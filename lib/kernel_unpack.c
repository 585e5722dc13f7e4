/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "bounds.h"
#include "compat.h"
#include "kernel_unpack.h"
#include "place.h"

#define CHUNK (256u * 1024)

/* Inflate len bytes of gzip data at off in in to out; *total gets the
 * size written. */
static int
inflate_gzip(int in, uint64_t off, uint64_t len, int out,
    const volatile sig_atomic_t *cancel, uint64_t *total, ib_err *err)
{
	unsigned char *ibuf, *obuf;
	z_stream z;
	size_t n, have;
	int zr, rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return ib_err_set(err, ENOMEM, "zlib");
	ibuf = malloc(CHUNK);
	obuf = malloc(CHUNK);
	rc = ibuf == NULL || obuf == NULL ?
	    ib_err_errno(err, ENOMEM, "inflate") :
	    0;
	*total = 0;
	zr = Z_OK;
	while (rc == 0 && zr != Z_STREAM_END) {
		if (cancel != NULL && *cancel != 0) {
			rc = ib_err_set(err, IB_EINTR, "interrupted");
			break;
		}
		if (z.avail_in == 0) {
			if (len == 0) {
				rc = ib_err_set(err, IB_EFORMAT,
				    "the gzip data ends early");
				break;
			}
			n = len < CHUNK ? (size_t)len : CHUNK;
			if (ib_pread_all(in, ibuf, n, off, err) == -1) {
				rc = -1;
				break;
			}
			off += n;
			len -= n;
			z.next_in = ibuf;
			z.avail_in = (uInt)n;
		}
		z.next_out = obuf;
		z.avail_out = CHUNK;
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			rc = ib_err_set(err, IB_EFORMAT, "bad gzip data: %s",
			    z.msg != NULL ? z.msg : "inflate failed");
			break;
		}
		have = CHUNK - z.avail_out;
		if (*total + have > IB_MAX_KERNEL_IMAGE) {
			rc = ib_err_set(err, IB_ELIMIT,
			    "inflates past %u MiB: not a kernel",
			    IB_MAX_KERNEL_IMAGE >> 20);
			break;
		}
		if (have != 0 &&
		    ib_write_all(out, obuf, have, cancel, err) == -1)
			rc = -1;
		*total += have;
	}
	inflateEnd(&z);
	free(ibuf);
	free(obuf);
	return rc;
}

int
ib_kernel_unpack(int fd, const ib_kernel_info *ki, int dirfd, const char *name,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	unsigned char head[0x40];
	uint64_t off, len, total = 0;
	char tmp[IB_MAX_NAME + 1];
	int out, rc;

	if (ki->kind == IB_KERNEL_GZIP) {
		off = 0;
		len = ki->filesize;
	} else if (ki->kind == IB_KERNEL_ZBOOT &&
	    strcmp(ki->zboot.comp, "gzip") == 0) {
		off = ki->zboot.payload_offset;
		len = ki->zboot.payload_size;
		if (off > ki->filesize || len > ki->filesize - off)
			return ib_err_set(err, IB_EFORMAT,
			    "EFI zboot payload (%llu bytes at %llu) past the "
			    "end of the file",
			    (unsigned long long)len, (unsigned long long)off);
	} else if (ki->kind == IB_KERNEL_ZBOOT) {
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "EFI zboot image compressed with '%s': only gzip is "
		    "unpacked here",
		    ki->zboot.comp);
	} else {
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: not a compressed kernel to unpack",
		    ib_kernel_kind_name(ki->kind));
	}
	out = ib_place_create(dirfd, name, "unpack", 0644, tmp, err);
	if (out == -1)
		return -1;
	rc = inflate_gzip(fd, off, len, out, cancel, &total, err);
	/* What came out must be what vfkit boots. */
	if (rc == 0 &&
	    (total < sizeof(head) ||
	        ib_pread_all(out, head, sizeof(head), 0, err) == -1 ||
	        memcmp(head + 0x38, "ARM\x64", 4) != 0))
		rc = ib_err_set(err, IB_EUNSUPPORTED,
		    "the unpacked kernel is not an arm64 Image (no ARMd at "
		    "0x38)");
	if (close(out) == -1 && rc == 0)
		rc = ib_err_errno(err, errno, "close");
	if (rc == -1) {
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return ib_place(dirfd, tmp, name, true, err);
}
