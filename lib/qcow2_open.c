/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * qcow2_open: open a qcow2 image for reading its guest bytes, with its
 * chain of backing files. The metadata is checked by ib_qcow2_read first;
 * then the features this reader does not handle are refused by name, and
 * the backing file named in the header (qcow2.txt "Header",
 * backing_file_offset; "Header extensions", backing file format name) is
 * opened, read-only, relative to the directory of the image that names
 * it. A name that is absolute or has a ".." component is refused rather
 * than resolved: an image from elsewhere must not make us read
 * /etc/shadow as its disk.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "bytes.h"
#include "compat.h"
#include "errors.h"
#include "qcow2.h"
#include "qcow2_int.h"

/* Header extension types (qcow2.txt "Header extensions"). */
#define EXT_END         UINT32_C(0x00000000)
#define EXT_BACKING_FMT UINT32_C(0xe2792aca)
/* The longest backing format name we look at ("qcow2" and "raw" fit). */
#define MAX_FMT 15u
/* Bytes of the header read: through compression_type, padded. */
#define HEAD_LEN 112u

/* The images of a chain met so far, to tell a loop. */
struct chain {
	dev_t dev[IB_MAX_BACKING_DEPTH + 1];
	ino_t ino[IB_MAX_BACKING_DEPTH + 1];
	unsigned n;
	bool named; /* the error already names the backing file it is in */
};

/* What the header says beyond ib_qcow2_read's checks. */
struct head {
	char backing[MAX_BACKING_NAME + 1]; /* "" for none */
	char fmt[MAX_FMT + 1];              /* backing format, "" if unsaid */
};

static int
fd_get(void *ctx, uint64_t off, void *buf, size_t n, ib_err *err)
{
	const int *fd = ctx;

	return ib_pread_all(*fd, buf, n, off, err);
}

static struct ib_qcow2 *
level_new(ib_err *err)
{
	struct ib_qcow2 *q = calloc(1, sizeof(*q));
	unsigned i;

	if (q == NULL) {
		ib_err_set(err, ENOMEM, "qcow2: out of memory");
		return NULL;
	}
	q->fd = -1;
	for (i = 0; i < QCOW2_SLICES; i++)
		q->slice_off[i] = UINT64_MAX;
	return q;
}

void
ib_qcow2_close(ib_qcow2 *q)
{
	struct ib_qcow2 *next;

	while (q != NULL) {
		next = q->back;
		ib_qcow2_data_release(q);
		if (q->fd != -1)
			close(q->fd);
		free(q);
		q = next;
	}
}

/* Refuse what the reader does not handle, naming it. */
static int
check_features(const unsigned char *h, uint32_t version, ib_err *err)
{
	uint64_t incompat, hlen;
	uint32_t crypt;

	crypt = ib_be32(h + H_CRYPT_METHOD);
	if (crypt != 0)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "qcow2: encrypted image (crypt_method %" PRIu32
		    ", %s) not supported",
		    crypt, crypt == 1 ? "AES" : "LUKS");
	if (version == 2)
		return 0;
	incompat = ib_be64(h + H_INCOMPAT);
	hlen = ib_be32(h + H_HEADER_LENGTH);
	if (incompat & F_DATA_FILE)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "qcow2: external data file (incompatible feature bit 2) "
		    "not supported");
	if (incompat & F_EXTL2)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "qcow2: extended L2 entries (incompatible feature bit 4) "
		    "not supported");
	if (!(incompat & F_COMPRESSION))
		return 0;
	if (hlen <= H_COMPRESSION)
		return ib_err_set(err, IB_EFORMAT,
		    "qcow2: compression type bit set, but header_length %" PRIu64
		    " has no compression_type field",
		    hlen);
	if (h[H_COMPRESSION] == 1)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "qcow2: zstd compression (compression_type 1) not "
		    "supported: convert with qemu-img convert -O qcow2 -o "
		    "compression_type=zlib");
	if (h[H_COMPRESSION] != 0)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "qcow2: compression_type %u unknown", h[H_COMPRESSION]);
	return 0;
}

/* Find the backing format extension between start and end (ib_qcow2_read
 * checked that the extensions end before end). */
static int
read_extensions(struct ib_qcow2 *q, uint64_t start, uint64_t end,
    struct head *hd, ib_err *err)
{
	unsigned char e[8];
	uint64_t off, len;
	uint32_t type;

	for (off = start; off <= end && end - off >= 8; off += 8 + len) {
		if (ib_qcow2_file_read(q, e, 8, off, err) == -1)
			return -1;
		type = ib_be32(e);
		len = ib_be32(e + 4);
		if (type == EXT_END)
			return 0;
		if (len > end - off - 8)
			break;
		if (type == EXT_BACKING_FMT) {
			if (len > MAX_FMT)
				return ib_err_set(err, IB_EUNSUPPORTED,
				    "qcow2: backing format of %" PRIu64
				    " bytes not supported (raw or qcow2)",
				    len);
			if (ib_qcow2_file_read(q, hd->fmt, (size_t)len, off + 8,
			        err) == -1)
				return -1;
			hd->fmt[len] = '\0';
		}
		len = (len + 7) / 8 * 8;
	}
	return ib_err_set(err, IB_EFORMAT,
	    "qcow2: header extensions: no end marker before %" PRIu64, end);
}

/* Check the metadata, refuse what is not handled, set q up for reading
 * and fill *hd. */
static int
setup(struct ib_qcow2 *q, struct head *hd, ib_err *err)
{
	unsigned char h[HEAD_LEN];
	ib_qcow2_info info;
	uint64_t boff, hlen;
	uint32_t bsize;

	if (ib_qcow2_read(q->get != NULL ? q->get : fd_get,
	        q->get != NULL ? q->gctx : &q->fd, q->filelen, &info,
	        err) == -1)
		return -1;
	if (ib_qcow2_file_read(q, h, sizeof(h), 0, err) == -1 ||
	    check_features(h, info.version, err) == -1)
		return -1;
	q->size = info.size;
	q->cb = info.cluster_bits;
	q->cs = UINT64_C(1) << q->cb;
	q->l1_off = info.l1_offset;
	q->l1_entries = info.l1_entries;
	q->slice_len =
	    q->cs < QCOW2_SLICE_SIZE ? (size_t)q->cs : QCOW2_SLICE_SIZE;
	q->slices = malloc(QCOW2_SLICES * q->slice_len);
	if (q->slices == NULL)
		return ib_err_set(err, ENOMEM, "qcow2: out of memory");

	/* ib_qcow2_read checked both inside the first cluster. */
	boff = ib_be64(h + H_BACKING_OFFSET);
	bsize = ib_be32(h + H_BACKING_SIZE);
	hd->backing[0] = '\0';
	hd->fmt[0] = '\0';
	if (boff != 0 && bsize > 0) {
		if (ib_qcow2_file_read(q, hd->backing, bsize, boff, err) == -1)
			return -1;
		hd->backing[bsize] = '\0';
		if (strlen(hd->backing) != bsize)
			return ib_err_set(err, IB_EFORMAT,
			    "qcow2: backing file name has a NUL byte");
	}
	hlen = info.version == 2 ? V2_HEADER_LEN : ib_be32(h + H_HEADER_LENGTH);
	return read_extensions(q, hlen, boff != 0 ? boff : q->cs, hd, err);
}

/* A backing name we follow: relative, no ".." component (STYLE.md 6). */
static int
check_backing_name(const char *name, ib_err *err)
{
	char quoted[256];
	const char *p;
	size_t n;

	ib_quote(quoted, sizeof(quoted), name, strlen(name));
	if (name[0] == '/')
		return ib_err_set(err, IB_EUNSAFE,
		    "qcow2: backing file '%s' is an absolute name: only names "
		    "relative to the image's directory are followed",
		    quoted);
	for (p = name; *p != '\0'; p += n + (p[n] == '/')) {
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return ib_err_set(err, IB_EUNSAFE,
			    "qcow2: backing file '%s' has a '..' component: "
			    "only names inside the image's directory are "
			    "followed",
			    quoted);
	}
	return 0;
}

static struct ib_qcow2 *open_fd(int fd, const char *path, bool raw,
    unsigned depth, struct chain *ch, ib_err *err);

/* Open the backing file of q (the image at path, depth deep). */
static int
open_backing(struct ib_qcow2 *q, const char *path, const struct head *hd,
    struct chain *ch, ib_err *err)
{
	char full[IB_MAX_PATH + 1], quoted[256];
	unsigned char m[4];
	const char *slash;
	size_t dirlen;
	bool raw;
	int fd;

	if (check_backing_name(hd->backing, err) == -1)
		return -1;
	ib_quote(quoted, sizeof(quoted), hd->backing, strlen(hd->backing));
	if (q->depth >= IB_MAX_BACKING_DEPTH)
		return ib_err_set(err, IB_ELIMIT,
		    "qcow2: backing file '%s': chain deeper than "
		    "IB_MAX_BACKING_DEPTH (%u)",
		    quoted, IB_MAX_BACKING_DEPTH);
	if (strcmp(hd->fmt, "raw") != 0 && strcmp(hd->fmt, "qcow2") != 0 &&
	    hd->fmt[0] != '\0') {
		ib_quote(quoted, sizeof(quoted), hd->fmt, strlen(hd->fmt));
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "qcow2: backing format '%s' not supported (raw or qcow2)",
		    quoted);
	}
	slash = strrchr(path, '/');
	dirlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	if (dirlen + strlen(hd->backing) > IB_MAX_PATH)
		return ib_err_set(err, IB_ELIMIT,
		    "qcow2: backing file '%s': path longer than IB_MAX_PATH "
		    "(%u)",
		    quoted, IB_MAX_PATH);
	memcpy(full, path, dirlen);
	memcpy(full + dirlen, hd->backing, strlen(hd->backing) + 1);
	/* O_NONBLOCK: a FIFO under the name must not hang the open. */
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1)
		return ib_err_errno(err, errno, "qcow2: backing file '%s'",
		    quoted);
	if (hd->fmt[0] != '\0')
		raw = strcmp(hd->fmt, "raw") == 0;
	else
		raw = pread(fd, m, 4, 0) != 4 || memcmp(m, QCOW2_MAGIC, 4) != 0;
	q->back = open_fd(fd, full, raw, q->depth + 1, ch, err);
	if (q->back != NULL)
		return 0;
	if (!ch->named) {
		ib_quote(quoted, sizeof(quoted), full, strlen(full));
		ib_err_prefix(err, "backing file '%s': ", quoted);
		ch->named = true;
	}
	return -1;
}

/* Open the image of fd (owned from here on), named path, depth images
 * below the top one. */
static struct ib_qcow2 *
open_fd(int fd, const char *path, bool raw, unsigned depth, struct chain *ch,
    ib_err *err)
{
	struct ib_qcow2 *q;
	struct stat st;
	struct head hd;
	unsigned i;

	q = level_new(err);
	if (q == NULL) {
		close(fd);
		return NULL;
	}
	q->fd = fd;
	q->depth = depth;
	if (fstat(fd, &st) == -1) {
		ib_err_errno(err, errno, "qcow2: fstat");
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 0) {
		ib_err_set(err, EINVAL, "qcow2: not a regular file");
		goto fail;
	}
	for (i = 0; i < ch->n; i++)
		if (ch->dev[i] == st.st_dev && ch->ino[i] == st.st_ino) {
			ib_err_set(err, IB_EFORMAT,
			    "qcow2: backing chain loop: the image is already "
			    "in the chain, %u levels up",
			    ch->n - i);
			goto fail;
		}
	/* depth <= IB_MAX_BACKING_DEPTH: open_backing stops deeper. */
	ch->dev[ch->n] = st.st_dev;
	ch->ino[ch->n] = st.st_ino;
	ch->n++;
	q->filelen = (uint64_t)st.st_size;
	if (raw) {
		q->raw = true;
		q->size = q->filelen;
		return q;
	}
	if (setup(q, &hd, err) == -1)
		goto fail;
	if (hd.backing[0] != '\0' && open_backing(q, path, &hd, ch, err) == -1)
		goto fail;
	return q;
fail:
	ib_qcow2_close(q);
	return NULL;
}

ib_qcow2 *
ib_qcow2_open(const char *path, ib_err *err)
{
	struct chain ch;
	int fd;

	if (path == NULL) {
		ib_err_set(err, EINVAL, "qcow2: missing argument");
		return NULL;
	}
	memset(&ch, 0, sizeof(ch));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		ib_err_errno(err, errno, "qcow2: open");
		return NULL;
	}
	return open_fd(fd, path, false, 0, &ch, err);
}

ib_qcow2 *
ib_qcow2_open_get(ib_qcow2_get get, void *ctx, uint64_t filelen, ib_err *err)
{
	struct ib_qcow2 *q;
	struct head hd;
	char quoted[256];

	if (get == NULL) {
		ib_err_set(err, EINVAL, "qcow2: missing argument");
		return NULL;
	}
	q = level_new(err);
	if (q == NULL)
		return NULL;
	q->get = get;
	q->gctx = ctx;
	q->filelen = filelen;
	if (setup(q, &hd, err) == -1)
		goto fail;
	if (hd.backing[0] != '\0') {
		ib_quote(quoted, sizeof(quoted), hd.backing,
		    strlen(hd.backing));
		ib_err_set(err, IB_EUNSUPPORTED,
		    "qcow2: backing file '%s' not followed: the image was "
		    "not opened by its path",
		    quoted);
		goto fail;
	}
	return q;
fail:
	ib_qcow2_close(q);
	return NULL;
}
