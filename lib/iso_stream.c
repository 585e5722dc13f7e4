/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>

#include "compat.h"
#include "iso_stream.h"

/* Bytes asked of read(2) at a time. */
#define RBUF (256u * 1024)

struct ib_stream {
	struct archive *a;
	int fd;
	unsigned char *rbuf;
	const volatile sig_atomic_t *cancel; /* of the current call */
	const unsigned char *buf;            /* current libarchive block */
	size_t avail;
	uint64_t pos;     /* bytes consumed from the stream */
	int spool;        /* unlinked temporary holding [0, spooled) */
	uint64_t spooled; /* == pos while spooling */
	bool spooling;
};

static int
archive_fail(ib_stream *s, const char *what, ib_err *err)
{
	const char *m;

	m = archive_error_string(s->a);
	return ib_err_set(err,
	    archive_errno(s->a) > 0 ? archive_errno(s->a) : EIO, "%s: %s", what,
	    m != NULL ? m : "read error");
}

/*
 * libarchive's own fd reader retries a read(2) interrupted by a signal,
 * so a stalled pipe would hold an interrupted extraction forever; this
 * one gives up when the caller's cancel flag is set.
 */
static la_ssize_t
read_cb(struct archive *a, void *ctx, const void **buf)
{
	ib_stream *s;
	ssize_t n;

	s = ctx;
	for (;;) {
		n = read(s->fd, s->rbuf, RBUF);
		if (n >= 0) {
			*buf = s->rbuf;
			return n;
		}
		if (errno != EINTR) {
			archive_set_error(a, errno, "read: %s",
			    strerror(errno));
			return -1;
		}
		if (s->cancel != NULL && *s->cancel) {
			archive_set_error(a, EINTR, "interrupted");
			return -1;
		}
	}
}

ib_stream *
ib_iso_stream_open(int fd, ib_err *err)
{
	ib_stream *s;

	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		ib_err_errno(err, ENOMEM, "stream");
		return NULL;
	}
	s->spool = -1;
	s->spooling = true;
	s->fd = fd;
	s->rbuf = malloc(RBUF);
	s->a = archive_read_new();
	if (s->a == NULL || s->rbuf == NULL) {
		ib_err_errno(err, ENOMEM, "stream");
		goto fail;
	}
	/* The compressions images ship in, each decoded by libarchive's
	 * own code: "all" would also run external programs (lrzip, lzop,
	 * grzip...) named by a few magic bytes of untrusted input. */
	if (archive_read_support_filter_gzip(s->a) != ARCHIVE_OK ||
	    archive_read_support_filter_bzip2(s->a) != ARCHIVE_OK ||
	    archive_read_support_filter_xz(s->a) != ARCHIVE_OK ||
	    archive_read_support_filter_lzma(s->a) != ARCHIVE_OK ||
	    archive_read_support_filter_zstd(s->a) != ARCHIVE_OK ||
	    archive_read_support_format_raw(s->a) != ARCHIVE_OK) {
		archive_fail(s, "stream", err);
		goto fail;
	}
	if (archive_read_open(s->a, s, NULL, read_cb, NULL) != ARCHIVE_OK) {
		archive_fail(s, "stream", err);
		goto fail;
	}
	{
		struct archive_entry *ae;

		if (archive_read_next_header(s->a, &ae) != ARCHIVE_OK) {
			archive_fail(s, "stream", err);
			goto fail;
		}
	}
	s->spool = ib_tmpfile("spool", err);
	if (s->spool == -1)
		goto fail;
	return s;
fail:
	ib_iso_stream_close(s);
	return NULL;
}

void
ib_iso_stream_close(ib_stream *s)
{
	if (s == NULL)
		return;
	if (s->a != NULL)
		archive_read_free(s->a);
	if (s->spool != -1)
		close(s->spool);
	free(s->rbuf);
	free(s);
}

const char *
ib_iso_stream_filter(const ib_stream *s)
{
	const char *name;

	name = archive_filter_name(s->a, 0);
	return name != NULL ? name : "none";
}

void
ib_iso_stream_stop_spooling(ib_stream *s)
{
	s->spooling = false;
}

/* Have at least one byte in the current block; 0 at the end. */
static int
fill(ib_stream *s, ib_err *err)
{
	const void *b;
	size_t size;
	la_int64_t off;
	int r;

	while (s->avail == 0) {
		r = archive_read_data_block(s->a, &b, &size, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return archive_fail(s, "decompress", err);
		s->buf = b;
		s->avail = size;
	}
	return 1;
}

/*
 * Consume n bytes: into dst if not NULL, to fd out if >= 0, and to the
 * spool while spooling. The end of the stream first is a truncated image.
 */
static int
advance(ib_stream *s, uint64_t n, unsigned char *dst, int out,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	size_t k;
	int r;

	s->cancel = cancel;
	while (n > 0) {
		if (cancel != NULL && *cancel)
			return ib_err_set(err, IB_EINTR, "interrupted");
		r = fill(s, err);
		if (r == -1 && cancel != NULL && *cancel)
			return ib_err_set(err, IB_EINTR, "interrupted");
		if (r == -1)
			return -1;
		if (r == 0)
			return ib_err_set(err, IB_EFORMAT,
			    "image ends at byte %llu (truncated)",
			    (unsigned long long)s->pos);
		k = s->avail < n ? s->avail : (size_t)n;
		if (s->spooling &&
		    ib_write_all(s->spool, s->buf, k, cancel, err) == -1)
			return ib_err_prefix(err, "spool: ");
		if (dst != NULL) {
			memcpy(dst, s->buf, k);
			dst += k;
		}
		if (out >= 0 && ib_write_all(out, s->buf, k, cancel, err) == -1)
			return -1;
		s->buf += k;
		s->avail -= k;
		s->pos += k;
		if (s->spooling)
			s->spooled = s->pos;
		n -= k;
	}
	return 0;
}

/* Bring the stream to byte off (off >= pos), keeping or dropping. */
static int
seek_forward(ib_stream *s, uint64_t off, const volatile sig_atomic_t *cancel,
    ib_err *err)
{
	if (off < s->pos)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "byte %llu is behind the stream's read position %llu "
		    "(image not in mastering order; use a seekable file)",
		    (unsigned long long)off, (unsigned long long)s->pos);
	return advance(s, off - s->pos, NULL, -1, cancel, err);
}

int
ib_iso_stream_read(ib_stream *s, uint64_t off, void *buf, size_t len,
    ib_err *err)
{
	uint64_t end;

	end = off + len;
	if (end < off)
		return ib_err_set(err, IB_EFORMAT, "offset out of range");
	if (end > s->spooled && s->spooling &&
	    advance(s, end - s->pos, NULL, -1, NULL, err) == -1)
		return -1;
	if (end <= s->spooled)
		return ib_pread_all(s->spool, buf, len, off, err);
	if (seek_forward(s, off, NULL, err) == -1)
		return -1;
	return advance(s, len, buf, -1, NULL, err);
}

int
ib_iso_stream_copy(ib_stream *s, uint64_t off, uint64_t len, int out,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	uint64_t part;

	if (off + len < off)
		return ib_err_set(err, IB_EFORMAT, "offset out of range");
	if (len == 0)
		return 0; /* empty files may point anywhere (xorriso) */
	if (off < s->spooled) {
		part = s->spooled - off < len ? s->spooled - off : len;
		if (ib_copy_range(s->spool, off, out, part, cancel, err) == -1)
			return -1;
		off += part;
		len -= part;
		if (len == 0)
			return 0;
	}
	if (seek_forward(s, off, cancel, err) == -1)
		return -1;
	return advance(s, len, NULL, out, cancel, err);
}
