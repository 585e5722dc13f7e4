/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cdio/logging.h>

#include "bounds.h"
#include "bytes.h"
#include "iso_int.h"
#include "rrip.h"

/*
 * libcdio reports through one process-wide log handler whose default
 * prints to stdout and calls exit() or abort(). While a libcdio call runs,
 * its messages go to the calling thread's buffer instead; this pointer is
 * the only global state of the library, and exists because libcdio gives
 * its handler no context argument.
 */
static _Thread_local char *cdio_msg;

static void
capture_log(cdio_log_level_t level, const char message[])
{
	size_t n;

	if (cdio_msg == NULL || cdio_msg[0] != '\0' || level < CDIO_LOG_WARN)
		return;
	n = strlen(message);
	while (n > 0 && (message[n - 1] == '\n' || message[n - 1] == ' '))
		n--;
	if (n > 200)
		n = 200;
	memcpy(cdio_msg, message, n);
	cdio_msg[n] = '\0';
}

struct cdio_call {
	char msg[256];
	cdio_log_handler_t old;
};

static void
cdio_enter(struct cdio_call *c)
{
	c->msg[0] = '\0';
	cdio_msg = c->msg;
	c->old = cdio_log_set_handler(capture_log);
}

static void
cdio_leave(struct cdio_call *c)
{
	cdio_log_set_handler(c->old);
	cdio_msg = NULL;
}

int
ib_iso_extent_inside(const ib_iso *iso, uint32_t lsn, uint64_t len)
{
	uint64_t start, end;

	start = (uint64_t)lsn * IB_SECTOR;
	if (!ib_add_u64(start, len, &end))
		return 0;
	return end <= iso->size;
}

int
ib_iso_read_blocks(ib_iso *iso, uint32_t lsn, uint32_t n, void *buf,
    ib_err *err)
{
	struct cdio_call c;
	long got;

	if (n == 0)
		return 0;
	if (lsn > iso->nblocks || n > iso->nblocks - lsn)
		return ib_err_set(err, IB_EFORMAT,
		    "block %lu beyond the end of the image (%lu blocks)",
		    (unsigned long)lsn + n - 1, (unsigned long)iso->nblocks);
	if (iso->stream != NULL)
		return ib_iso_stream_read(iso->stream,
		    (uint64_t)lsn * IB_SECTOR, buf, (size_t)n * IB_SECTOR, err);
	cdio_enter(&c);
	got = iso9660_iso_seek_read(iso->cdio, buf, (lsn_t)lsn, (long)n);
	cdio_leave(&c);
	if (got != (long)n * (long)IB_SECTOR)
		return ib_err_set(err, EIO, "cannot read block %lu%s%s",
		    (unsigned long)lsn, c.msg[0] != '\0' ? ": " : "", c.msg);
	return 0;
}

/* Compressed images start with these; they are read as a stream. */
static int
is_compressed(const unsigned char *p, size_t n)
{
	return (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) ||
	    (n >= 6 &&
	        memcmp(p,
	            "\xfd"
	            "7zXZ\0",
	            6) == 0) ||
	    (n >= 3 && memcmp(p, "BZh", 3) == 0) ||
	    (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0) ||
	    (n >= 2 && p[0] == 0x1f && p[1] == 0x9d) ||
	    (n >= 4 && memcmp(p, "\x04\x22\x4d\x18", 4) == 0);
}

static int
open_stream(ib_iso *iso, ib_err *err)
{
	iso->stream = ib_iso_stream_open(iso->fd, err);
	if (iso->stream == NULL)
		return -1;
	/* Until the PVD says how big the volume is. */
	iso->size = UINT64_MAX;
	iso->nblocks = UINT32_MAX;
	return 0;
}

/* The error for a file that is no image: what it looks like when that
 * is easy to tell, else why (detail). */
static int
not_iso(const ib_iso *iso, const char *detail, ib_err *err)
{
	const char *what = ib_iso_sniff(iso->head, iso->nhead, iso->size);

	if (what != NULL)
		return ib_err_set(err, IB_EFORMAT, "not an ISO 9660 image: %s",
		    what);
	if (strcmp(detail, "too small") == 0)
		return ib_err_set(err, IB_EFORMAT,
		    "not an ISO 9660 image (%llu bytes, too small)",
		    (unsigned long long)iso->size);
	return ib_err_set(err, IB_EFORMAT, "not an ISO 9660 image%s%s",
	    detail[0] != '\0' ? ": " : "", detail);
}

/* A plain image file or block device is read with random access; a pipe
 * or a compressed image through the forward-only stream. */
static int
open_file(ib_iso *iso, const char *path, ib_err *err)
{
	struct stat st;
	off_t end;
	ssize_t n;

	if (strcmp(path, "-") == 0)
		iso->fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
	else
		iso->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (iso->fd == -1)
		return ib_err_errno(err, errno, "%s", "");
	if (fstat(iso->fd, &st) == -1)
		return ib_err_errno(err, errno, "stat");
	if (S_ISDIR(st.st_mode))
		return ib_err_set(err, EISDIR, "is a directory");
	if (S_ISREG(st.st_mode)) {
		iso->size = (uint64_t)st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		end = lseek(iso->fd, 0, SEEK_END);
		if (end == -1)
			return ib_err_errno(err, errno, "seek");
		iso->size = (uint64_t)end;
	} else {
		return open_stream(iso, err);
	}
	n = pread(iso->fd, iso->head, sizeof(iso->head), 0);
	if (n == -1)
		return ib_err_errno(err, errno, "read");
	iso->nhead = (size_t)n;
	if (is_compressed(iso->head, iso->nhead))
		return open_stream(iso, err);
	if (iso->size < 17u * IB_SECTOR)
		return not_iso(iso, "too small", err);
	iso->nblocks = iso->size / IB_SECTOR > UINT32_MAX ?
	    UINT32_MAX :
	    (uint32_t)(iso->size / IB_SECTOR);
	return 0;
}

/* ECMA-119 8.4 / Joliet: volume descriptors from block 16 on. */
static int
read_descriptors(ib_iso *iso, unsigned char *pvd_root,
    unsigned char *joliet_root, int *has_joliet, uint32_t *vol_blocks,
    ib_err *err)
{
	unsigned char vd[IB_SECTOR];
	unsigned i;
	int have_pvd;

	have_pvd = 0;
	*has_joliet = 0;
	for (i = 0; i < IB_MAX_VDS; i++) {
		if (ib_iso_read_blocks(iso, 16 + i, 1, vd, err) == -1) {
			if (have_pvd)
				break; /* no terminator: use what we found */
			return -1;
		}
		if (memcmp(vd + 1, "CD001", 5) != 0)
			break;
		if (vd[0] == 255)
			break;
		if (vd[0] == 1 && !have_pvd) {
			memcpy(pvd_root, vd + 156, IB_DIRREC_MIN);
			*vol_blocks = ib_le32(vd + 80);
			have_pvd = 1;
		} else if (vd[0] == 2 && !*has_joliet && vd[88] == '%' &&
		    vd[89] == '/' &&
		    (vd[90] == '@' || vd[90] == 'C' || vd[90] == 'E')) {
			memcpy(joliet_root, vd + 156, IB_DIRREC_MIN);
			*has_joliet = 1;
		}
	}
	if (!have_pvd)
		return ib_err_set(err, IB_EFORMAT,
		    "not an ISO 9660 image (no primary volume descriptor)");
	return 0;
}

static int
dir_has_susp(const unsigned char *p, size_t size, unsigned *skip)
{
	size_t pos, len, idlen, su;

	/* SUSP 5.3: the SP entry sits at the start of the root's "." area. */
	if (size < IB_DIRREC_MIN)
		return 0;
	len = p[0];
	idlen = p[32];
	su = 33 + idlen + !(idlen & 1);
	if (len < IB_DIRREC_MIN || len > size || su + 7 > len)
		return 0;
	pos = su;
	if (p[pos] == 'S' && p[pos + 1] == 'P' && p[pos + 4] == 0xbe &&
	    p[pos + 5] == 0xef) {
		*skip = p[pos + 6];
		return 1;
	}
	return 0;
}

static int
detect_rockridge(ib_iso *iso, const unsigned char *root, int *has_rr,
    ib_err *err)
{
	unsigned char *buf;
	uint32_t lsn, size;

	*has_rr = 0;
	lsn = ib_le32(root + 2) + root[1];
	size = ib_le32(root + 10);
	if (size < IB_DIRREC_MIN)
		return 0;
	buf = malloc(IB_SECTOR);
	if (buf == NULL)
		return ib_err_errno(err, ENOMEM, "root directory");
	if (ib_iso_read_blocks(iso, lsn, 1, buf, err) == -1) {
		free(buf);
		return ib_err_prefix(err, "root directory: ");
	}
	*has_rr = dir_has_susp(buf, IB_SECTOR, &iso->susp_skip);
	free(buf);
	return 0;
}

ib_iso *
ib_iso_open(const char *path, const ib_iso_opts *opts, ib_err *err)
{
	unsigned char pvd_root[IB_DIRREC_MIN], joliet_root[IB_DIRREC_MIN];
	struct cdio_call c;
	ib_iso *iso;
	uint32_t vol_blocks;
	int has_joliet, has_rr;

	iso = calloc(1, sizeof(*iso));
	if (iso == NULL) {
		ib_err_errno(err, ENOMEM, "image handle");
		return NULL;
	}
	iso->fd = -1;
	iso->path = strdup(path);
	if (iso->path == NULL) {
		ib_err_errno(err, ENOMEM, "image handle");
		goto fail;
	}
	if (open_file(iso, path, err) == -1)
		goto fail;
	if (iso->stream == NULL) {
		cdio_enter(&c);
		iso->cdio = iso9660_open_ext(path, ISO_EXTENSION_NONE);
		cdio_leave(&c);
		if (iso->cdio == NULL) {
			/* libcdio's own words ("unexpected PVD type 111")
			 * tell a user nothing. */
			not_iso(iso,
			    "no volume descriptor 'CD001' at byte 32769", err);
			goto fail;
		}
	}
	vol_blocks = 0;
	if (read_descriptors(iso, pvd_root, joliet_root, &has_joliet,
	        &vol_blocks, err) == -1) {
		/* A compressed file that held something else. */
		if (err->code == IB_EFORMAT && iso->stream != NULL)
			not_iso(iso, "no primary volume descriptor", err);
		goto fail;
	}
	if (iso->stream != NULL && vol_blocks > 16) {
		iso->nblocks = vol_blocks;
		iso->size = (uint64_t)vol_blocks * IB_SECTOR;
	}
	if (detect_rockridge(iso, pvd_root, &has_rr, err) == -1)
		goto fail;
	if (has_rr && !opts->no_rockridge) {
		iso->layer = IB_LAYER_ROCKRIDGE;
		memcpy(iso->root, pvd_root, IB_DIRREC_MIN);
	} else if (has_joliet && !opts->no_joliet) {
		iso->layer = IB_LAYER_JOLIET;
		memcpy(iso->root, joliet_root, IB_DIRREC_MIN);
	} else {
		iso->layer = IB_LAYER_ISO9660;
		memcpy(iso->root, pvd_root, IB_DIRREC_MIN);
	}
	return iso;
fail:
	ib_iso_close(iso);
	return NULL;
}

void
ib_iso_close(ib_iso *iso)
{
	if (iso == NULL)
		return;
	if (iso->cdio != NULL)
		iso9660_close(iso->cdio);
	ib_iso_stream_close(iso->stream);
	if (iso->fd != -1)
		close(iso->fd);
	free(iso->path);
	free(iso);
}

ib_layer
ib_iso_layer(const ib_iso *iso)
{
	return iso->layer;
}

uint64_t
ib_iso_size(const ib_iso *iso)
{
	return iso->size;
}

bool
ib_iso_is_stream(const ib_iso *iso)
{
	return iso->stream != NULL;
}

void
ib_iso_stop_spooling(ib_iso *iso)
{
	if (iso->stream != NULL)
		ib_iso_stream_stop_spooling(iso->stream);
}

const char *
ib_iso_ftype_name(ib_ftype t)
{
	switch (t) {
	case IB_FT_REG:
		return "file";
	case IB_FT_DIR:
		return "directory";
	case IB_FT_LNK:
		return "symlink";
	case IB_FT_FIFO:
		return "fifo";
	case IB_FT_CHR:
		return "character device";
	case IB_FT_BLK:
		return "block device";
	case IB_FT_SOCK:
		return "socket";
	}
	return "unknown";
}
