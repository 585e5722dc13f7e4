/*
 * extract: write members of an image under a destination directory,
 * safely. Every file is written to a temporary name in its final
 * directory and renamed into place only when complete; paths are opened
 * relative to the destination's fd without following symlinks (pathsafe);
 * hard links (members sharing an extent), symlinks and FIFOs are
 * recreated; device nodes only when asked. Extracted files get the current
 * time unless preserve_times is set, so that make(1) rules work.
 *
 * Not for: choosing members (match) or reading the image (iso).
 */
#ifndef IB_EXTRACT_H
#define IB_EXTRACT_H

#include <signal.h>
#include <stdbool.h>

#include "errors.h"
#include "iso.h"

typedef struct ib_extract_opts {
	unsigned strip;      /* leading path components to drop */
	bool flat;           /* junk directories: DIR/basename */
	bool preserve_times; /* the image's times, not the current time */
	bool keep;           /* never replace an existing file */
	bool devices;        /* create device nodes (needs root) */
	bool raw;            /* zisofs: the stored bytes, not decoded */
	const volatile sig_atomic_t *cancel; /* nonzero: stop (may be NULL) */
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
 * Extract entry e. Returns 0; IB_EXTRACT_SKIPPED with a note in *err (kept
 * an existing file, a device without devices, nothing left after strip);
 * or -1 with *err, having left nothing under the final name.
 */
int ib_extract_entry(ib_extract *x, const ib_entry *e, ib_err *err);

/* Give directories their final modes (and times): after all entries. */
int ib_extract_finish(ib_extract *x, ib_err *err);

void ib_extract_free(ib_extract *x);

#endif
