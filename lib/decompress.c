/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A compressed disk image made whole, sparse. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "bounds.h"
#include "compat.h"
#include "decompress.h"
#include "path.h"
#include "place.h"

/* Bytes decompressed at a time. */
#define CHUNK (1u << 20)

const char *
ib_decompress_kind(const unsigned char *b, size_t n)
{
	/* RFC 1952 2.3.1; xz file format 2.1.1.1; RFC 8878 3.1.1; bzip2's
	 * "BZh" and a block size digit. */
	if (n >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8)
		return "gzip";
	if (n >= 6 &&
	    memcmp(b,
	        "\xfd"
	        "7zXZ\0",
	        6) == 0)
		return "xz";
	if (n >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0)
		return "zstd";
	if (n >= 4 && memcmp(b, "BZh", 3) == 0 && b[3] >= '1' && b[3] <= '9')
		return "bzip2";
	return NULL;
}

/* libarchive's filter for ib_decompress_kind()'s name. */
static int
filter_of(const char *kind)
{
	if (strcmp(kind, "gzip") == 0)
		return ARCHIVE_FILTER_GZIP;
	if (strcmp(kind, "xz") == 0)
		return ARCHIVE_FILTER_XZ;
	if (strcmp(kind, "zstd") == 0)
		return ARCHIVE_FILTER_ZSTD;
	return ARCHIVE_FILTER_BZIP2;
}

/* A reader of path's decompressed bytes, positioned at the start. */
static struct archive *
open_stream(const char *path, ib_err *err)
{
	unsigned char head[8];
	struct archive_entry *ae;
	struct archive *a;
	const char *kind;
	ssize_t got;
	int fd, filter;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		ib_err_errno(err, errno, "open");
		return NULL;
	}
	got = pread(fd, head, sizeof(head), 0);
	close(fd);
	kind = got > 0 ? ib_decompress_kind(head, (size_t)got) : NULL;
	if (kind == NULL) {
		ib_err_set(err, IB_EFORMAT, "not gzip, xz, zstd or bzip2 data");
		return NULL;
	}
	filter = filter_of(kind);

	a = archive_read_new();
	if (a == NULL) {
		ib_err_errno(err, ENOMEM, "decompress");
		return NULL;
	}
	/* Only the filter the magic named, appended, not bid for: with
	 * every filter enabled libarchive bids again on what it decoded
	 * (a gzip holding gzip is decoded twice) and runs external
	 * programs (lrzip, lzop...) for formats it has no code for. */
	if (archive_read_append_filter(a, filter) != ARCHIVE_OK ||
	    archive_read_support_format_raw(a) != ARCHIVE_OK ||
	    archive_read_open_filename(a, path, CHUNK) != ARCHIVE_OK ||
	    archive_read_next_header(a, &ae) != ARCHIVE_OK) {
		ib_err_set(err, IB_EFORMAT, "%s",
		    archive_error_string(a) != NULL ? archive_error_string(a) :
		                                      "not compressed data");
		archive_read_free(a);
		return NULL;
	}
	return a;
}

int
ib_decompress_head(const char *path, void *buf, size_t n, size_t *got,
    ib_err *err)
{
	struct archive *a;
	la_ssize_t r;

	a = open_stream(path, err);
	if (a == NULL)
		return -1;
	for (*got = 0; *got < n; *got += (size_t)r) {
		r = archive_read_data(a, (char *)buf + *got, n - *got);
		if (r < 0) {
			ib_err_set(err, IB_EFORMAT, "%s",
			    archive_error_string(a));
			archive_read_free(a);
			return -1;
		}
		if (r == 0)
			break;
	}
	archive_read_free(a);
	return 0;
}

char *
ib_decompress_name_new(const char *path)
{
	static const char *const sfx[] = { ".gz", ".xz", ".zst", ".bz2" };
	const char *base = ib_path_base(path);
	size_t n = strlen(base), k, s;
	char *out;

	for (k = 0; k < sizeof(sfx) / sizeof(sfx[0]); k++) {
		s = strlen(sfx[k]);
		if (n > s && strcasecmp(base + n - s, sfx[k]) == 0)
			return strndup(base, n - s);
	}
	out = malloc(n + 5);
	if (out != NULL)
		snprintf(out, n + 5, "%s.raw", base);
	return out;
}

/* Decompress a into fd, sparse; the size in *size. */
static int
copy_out(struct archive *a, int fd, const volatile sig_atomic_t *cancel,
    uint64_t *size, ib_err *err)
{
	unsigned char *buf;
	la_ssize_t r;
	size_t have;
	int rc = 0;

	buf = malloc(CHUNK);
	if (buf == NULL)
		return ib_err_errno(err, ENOMEM, "decompress");
	*size = 0;
	for (;;) {
		/* Whole chunks, so that the sparse test sees whole blocks. */
		for (have = 0; have < CHUNK; have += (size_t)r) {
			r = archive_read_data(a, buf + have, CHUNK - have);
			if (r <= 0)
				break;
		}
		if (r < 0) {
			rc = ib_err_set(err, IB_EFORMAT, "%s",
			    archive_error_string(a));
			break;
		}
		if (cancel != NULL && *cancel != 0) {
			rc = ib_err_set(err, IB_EINTR, "interrupted");
			break;
		}
		if (ib_pwrite_sparse(fd, buf, have, *size, err) == -1) {
			rc = -1;
			break;
		}
		*size += have;
		if (have < CHUNK)
			break;
	}
	free(buf);
	if (rc == 0 && ftruncate(fd, (off_t)*size) == -1)
		rc = ib_err_errno(err, errno, "truncate");
	return rc;
}

int
ib_decompress_to(const char *path, int dirfd, const char *name,
    const ib_decompress_opts *o, uint64_t *size, ib_err *err)
{
	char tmp[IB_MAX_NAME + 1];
	struct archive *a;
	struct stat st;
	int fd, rc;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return ib_err_set(err, EEXIST, "%s: %s", name,
		    ib_strerror(EEXIST));
	a = open_stream(path, err);
	if (a == NULL)
		return -1;
	fd = ib_place_create(dirfd, name, "unz", 0644, tmp, err);
	if (fd == -1) {
		archive_read_free(a);
		return -1;
	}
	if (o != NULL && o->progress != NULL)
		o->progress(o->progress_ctx, name, dirfd, tmp, 0);
	rc = copy_out(a, fd, o != NULL ? o->cancel : NULL, size, err);
	archive_read_free(a);
	rc = ib_place_finish(dirfd, fd, tmp, name, false, rc, err);
	if (o != NULL && o->progress != NULL)
		o->progress(o->progress_ctx, name, dirfd, NULL,
		    rc == 0 ? *size : 0);
	return rc;
}
