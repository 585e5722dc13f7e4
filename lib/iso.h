/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iso: read an ISO 9660 image. libcdio opens the image and reads the
 * volume descriptors and blocks; directory records, multi-extent files,
 * Rock Ridge (through rrip) and Joliet names (through iso_names) are parsed
 * here, because libcdio 2.1 gets them wrong (see fixtures/isos/ISO-READERS.md).
 *
 * The tree is visited, never held: ib_iso_walk() streams entries to a
 * callback, depth first, with every loop bounded (bounds.h) and directory
 * cycles detected. Paths are normalised once: no leading '/', Rock Ridge
 * name preferred, then Joliet, then ECMA-119 with ";1" stripped.
 *
 * Not for: writing files (extract does that), boot catalogs.
 */
#ifndef IB_ISO_H
#define IB_ISO_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "zisofs.h"

typedef struct ib_iso ib_iso;

/* Which names an image shows; see ib_iso_layer(). */
typedef enum ib_layer {
	IB_LAYER_ISO9660,
	IB_LAYER_JOLIET,
	IB_LAYER_ROCKRIDGE
} ib_layer;

typedef struct ib_iso_opts {
	bool no_rockridge; /* ignore Rock Ridge: Joliet or ECMA-119 names */
	bool no_joliet;    /* ignore the Joliet tree */
} ib_iso_opts;

typedef enum ib_ftype {
	IB_FT_REG,
	IB_FT_DIR,
	IB_FT_LNK,
	IB_FT_FIFO,
	IB_FT_CHR,
	IB_FT_BLK,
	IB_FT_SOCK
} ib_ftype;

/* One extent of a file: where its bytes are in the image. */
typedef struct ib_extent {
	uint32_t lsn; /* first block of the data (after any XAR) */
	uint32_t len; /* bytes */
} ib_extent;

/* One member of the image, as the walk callback sees it. Every pointer in
 * it is owned by the walk and valid only during the callback. */
typedef struct ib_entry {
	const char *path;    /* normalised path, no leading '/' */
	const char *name;    /* last component of path */
	const char *problem; /* NULL, or why the entry is unusable */
	const char *link;    /* symlink target, or NULL */
	const ib_extent *extents;
	size_t nextents;
	ib_ftype type;
	bool has_rr;   /* mode, owner and times came from Rock Ridge */
	uint32_t mode; /* permission bits (07777) */
	uint32_t nlink, uid, gid;
	uint32_t dev_hi, dev_lo; /* Rock Ridge PN, for devices */
	uint64_t size;           /* bytes when read (uncompressed for zisofs) */
	uint64_t stored_size;    /* bytes in the extents */
	int64_t mtime;           /* seconds since the epoch, UTC */
	long mtime_nsec;
	int64_t atime;
	long atime_nsec;
	ib_zf zf;       /* zf.version 0: stored as is */
	unsigned depth; /* 1 for members of the root */
} ib_entry;

/*
 * Open the image at path: a file or block device (random access), or a
 * pipe, "-" for standard input, or a gzip/xz/bzip2/zstd/compress/lz4
 * compressed image (read forward, decompressed by libarchive). Returns a
 * handle the caller closes with ib_iso_close(), or NULL with *err: "not an
 * ISO 9660 image", a libcdio message, or an I/O error.
 */
ib_iso *ib_iso_open(const char *path, const ib_iso_opts *opts, ib_err *err);

/* Release the handle; NULL does nothing. */
void ib_iso_close(ib_iso *iso);

/* The name layer the walk uses (decided at open). */
ib_layer ib_iso_layer(const ib_iso *iso);

/* Size of the image in bytes (for a stream: the volume size). */
uint64_t ib_iso_size(const ib_iso *iso);

/* Whether the image is read forward only (a pipe, a compressed image):
 * then members are best read in image order (see extract). */
bool ib_iso_is_stream(const ib_iso *iso);

/* Stream: the walk is over; stop keeping what is read (data that is
 * skipped from now on cannot be read again). Random access: no-op. */
void ib_iso_stop_spooling(ib_iso *iso);

/* Return values of a visit callback besides 0 (go on) and -1 (stop). */
#define IB_WALK_SKIP 1 /* do not descend into this directory */

typedef int (*ib_iso_visit_fn)(void *ctx, const ib_entry *e, ib_err *err);

/*
 * Visit every member depth first, parents before children. The callback
 * returns 0, IB_WALK_SKIP, or -1 with *err to stop the walk. Returns 0, or
 * -1 with *err for a broken directory, a cycle, or a limit hit.
 */
int ib_iso_walk(ib_iso *iso, ib_iso_visit_fn fn, void *ctx, ib_err *err);

/*
 * Write the bytes of regular-file entry e to fd out: decoded for zisofs
 * unless raw, the stored bytes otherwise; multi-extent files whole. Stops
 * with IB_EINTR when *cancel becomes nonzero (cancel may be NULL).
 * Returns 0, or -1 with *err.
 */
int ib_iso_copy(ib_iso *iso, const ib_entry *e, int out, bool raw,
    const volatile sig_atomic_t *cancel, ib_err *err);

/* Printable name of a type: "file", "directory", "symlink", ... */
const char *ib_iso_ftype_name(ib_ftype t);

#endif
