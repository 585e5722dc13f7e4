/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iso_stream: an image read forward only, from a pipe or through a
 * decompressor (libarchive's filters: gzip, xz, bzip2, zstd, ...), with
 * the random access the reader needs while it walks the directories.
 *
 * While spooling (the walk), every byte read is kept in an unlinked
 * temporary file, so blocks behind the read position stay readable:
 * mastering tools put directories and continuation areas before file
 * data, so this holds the metadata only. After ib_iso_stream_stop_spooling()
 * (extraction, in image order) skipped bytes are dropped and data is
 * copied straight from the stream. Part of the iso module.
 */
#ifndef IB_ISO_STREAM_H
#define IB_ISO_STREAM_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "errors.h"

typedef struct ib_stream ib_stream;

/* Open fd (borrowed; "-" callers pass 0) through libarchive's filters.
 * Returns a stream the caller closes with ib_iso_stream_close(), or NULL. */
ib_stream *ib_iso_stream_open(int fd, ib_err *err);

void ib_iso_stream_close(ib_stream *s);

/* Read len bytes at byte offset off into buf. */
int ib_iso_stream_read(ib_stream *s, uint64_t off, void *buf, size_t len,
    ib_err *err);

/* Append len bytes at off to fd out. */
int ib_iso_stream_copy(ib_stream *s, uint64_t off, uint64_t len, int out,
    const volatile sig_atomic_t *cancel, ib_err *err);

/* From now on, do not keep what is read. */
void ib_iso_stream_stop_spooling(ib_stream *s);

/* The filter libarchive found ("gzip", "xz", "none", ...). */
const char *ib_iso_stream_filter(const ib_stream *s);

#endif
