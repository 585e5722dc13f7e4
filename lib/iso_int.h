/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the files that read the image's blocks only (iso.c,
 * iso_walk.c, iso_data.c, eltorito.c). */
#ifndef IB_ISO_INT_H
#define IB_ISO_INT_H

#include <cdio/iso9660.h>

#include "iso.h"
#include "iso_stream.h"

#define IB_DIRREC_MIN 34 /* ECMA-119 9.1: 33 bytes + a 1-byte identifier */

/* Bytes read from the start of the file, to say what it is when it is
 * not an image. */
#define IB_SNIFF 1024u

struct ib_iso {
	int fd;
	iso9660_t *cdio;   /* random access: libcdio reads the blocks */
	ib_stream *stream; /* a pipe or a compressed image: read forward */
	char *path;
	uint64_t size;    /* bytes in the image file */
	uint32_t nblocks; /* whole blocks in it */
	ib_layer layer;
	unsigned susp_skip;
	unsigned char root[IB_DIRREC_MIN]; /* root record of the tree used */
	unsigned char head[IB_SNIFF];      /* the file's first bytes */
	size_t nhead;
};

/* What the n first bytes of a file of size bytes that is not ISO 9660
 * show it is ("an HTML page (a download that failed?)"), or NULL when
 * that is not easy to tell (iso_sniff.c). */
const char *ib_iso_sniff(const unsigned char *p, size_t n, uint64_t size);

/* Read n blocks from lsn through libcdio, checking the image bounds. */
int ib_iso_read_blocks(ib_iso *iso, uint32_t lsn, uint32_t n, void *buf,
    ib_err *err);

/* Nonzero when bytes [lsn*2048, +len) lie inside the image. */
int ib_iso_extent_inside(const ib_iso *iso, uint32_t lsn, uint64_t len);

#endif
