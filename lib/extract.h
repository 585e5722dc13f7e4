/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * extract: write members of an image under a destination directory,
 * safely. Every file is written to a temporary name in its final
 * directory and renamed into place only when complete; paths are opened
 * relative to the destination's fd without following symlinks (path);
 * hard links (members sharing an extent), symlinks and FIFOs are
 * recreated; device nodes only when asked. Extracted files get the current
 * time unless preserve_times is set, so that make(1) rules work.
 *
 * From a stream (ib_iso_is_stream) regular files are deferred: they are
 * queued by ib_extract_entry() and written by ib_extract_finish() in the
 * order of their data in the image, so the stream is read once, forward;
 * failures among them are reported through opts.report.
 *
 * Members of other images (a disk's files, disk_walk.h) come as the same
 * ib_entry records with their bytes copied by a source's callback
 * (ib_extract_new_src): the same checks, temporaries, links and modes.
 *
 * Not for: choosing members (match) or reading the image (iso).
 */
#ifndef IB_EXTRACT_H
#define IB_EXTRACT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "errors.h"
#include "iso.h"

typedef struct ib_extract_opts {
	unsigned strip;      /* leading path components to drop */
	bool flat;           /* junk directories: DIR/basename */
	bool preserve_times; /* the image's times, not the current time */
	bool keep;           /* never replace an existing file */
	bool devices;        /* create device nodes (needs root) */
	bool raw;            /* zisofs: the stored bytes, not decoded */
	bool to_fd;          /* write file contents to fd, create nothing */
	int fd;
	const volatile sig_atomic_t *cancel; /* nonzero: stop (may be NULL) */
	/* Called for each deferred member that fails (see above); path is
	 * the member's path in the image. May be NULL. */
	void (*report)(void *ctx, const char *path, const ib_err *err);
	void *report_ctx;
	/* Called as each regular file starts, with the temporary it is
	 * written to in the directory dirfd (its size grows to total, for a
	 * progress display), and as it ends: tmp NULL, total the bytes
	 * written (0 when it failed). May be NULL. */
	void (*progress)(void *ctx, const char *path, int dirfd,
	    const char *tmp, uint64_t total);
	void *progress_ctx;
} ib_extract_opts;

typedef struct ib_extract ib_extract;

/* A member that was deliberately not written; err->msg says why. */
#define IB_EXTRACT_SKIPPED 1

/*
 * Start extracting from iso into the directory dirfd (borrowed; must stay
 * open until ib_extract_free). Returns a context the caller frees with
 * ib_extract_free(), or NULL with *err.
 */
ib_extract *ib_extract_new(ib_iso *iso, int dirfd, const ib_extract_opts *o,
    ib_err *err);

/*
 * Where the bytes of regular files come from when the image is not an
 * ISO. copy writes all of regular file e's bytes to fd from its start,
 * until *cancel (may be NULL) is set: IB_EINTR; it returns 0, or -1 with
 * *err. It is called only from ib_extract_entry(e), while the caller's
 * walk shows e.
 */
typedef struct ib_extract_src {
	int (*copy)(void *ctx, const ib_entry *e, int fd,
	    const volatile sig_atomic_t *cancel, ib_err *err);
	void *ctx;
} ib_extract_src;

/*
 * As ib_extract_new(), for entries whose bytes src copies (src is
 * copied; its ctx is borrowed). Nothing is deferred; entries without
 * extents are never hard links of each other; opts.raw does nothing.
 */
ib_extract *ib_extract_new_src(const ib_extract_src *src, int dirfd,
    const ib_extract_opts *o, ib_err *err);

/*
 * Extract entry e. Returns 0; IB_EXTRACT_SKIPPED with a note in *err (kept
 * an existing file, a device without devices, nothing left after strip);
 * or -1 with *err, having left nothing under the final name.
 */
int ib_extract_entry(ib_extract *x, const ib_entry *e, ib_err *err);

/* Write deferred files, then give directories their final modes (and
 * times). Call once, after all entries. Returns 0, or -1 with *err for
 * the last failure (deferred ones are also passed to opts.report). */
int ib_extract_finish(ib_extract *x, ib_err *err);

void ib_extract_free(ib_extract *x);

#endif
