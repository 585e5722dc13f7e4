/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A disk image file as its partitions and their filesystems. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "compat.h"
#include "decompress.h"
#include "disk_image.h"
#include "ext4.h"
#include "fat.h"
#include "qcow2.h"

/* One volume: a partition (or the whole disk) and its filesystem. */
struct volume {
	char name[16];
	const ib_disk_part *part; /* NULL: the whole disk */
	uint64_t off, len;
	ib_disk_fs fs;
	ib_vol *vol; /* opened on first use */
};

struct ib_disk_image {
	enum ib_disk_image_format format;
	int fd;
	uint64_t base; /* a range of the file: where it starts */
	ib_qcow2 *q;
	ib_disk_reader r;
	ib_disk_table *t;
	struct volume *v;
	size_t n;
};

/* Whether the first n bytes b are a disk image's (see the header). */
static int
sniff_bytes(const unsigned char *b, size_t n)
{
	if (n >= 4 && memcmp(b, "QFI\xfb", 4) == 0)
		return 1;
	/* ECMA-119 8.1: the first volume descriptor at 16 * 2048; a hybrid
	 * ISO has an MBR too, and is an ISO first. */
	if (n >= 0x8006 && memcmp(b + 0x8001, "CD001", 5) == 0)
		return 0;
	/* An MBR, a GPT's protective MBR or a FAT boot sector end their
	 * first sector in 55 AA; ext2/3/4's magic is at 1024 + 56. */
	if (n >= 512 && b[510] == 0x55 && b[511] == 0xaa)
		return 1;
	return n >= 0x43a && b[0x438] == 0x53 && b[0x439] == 0xef;
}

int
ib_disk_image_sniff(const char *path, const char **kind, ib_err *err)
{
	unsigned char b[0x8006];
	ssize_t got;
	size_t n;
	int fd;

	*kind = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return ib_err_errno(err, errno, "open");
	got = pread(fd, b, sizeof(b), 0);
	close(fd);
	if (got == -1)
		return ib_err_errno(err, errno, "read");
	*kind = ib_decompress_kind(b, (size_t)got);
	if (*kind == NULL)
		return sniff_bytes(b, (size_t)got);
	/* Compressed: what it holds. A damaged stream is no disk here;
	 * the ISO reader then names the problem. */
	if (ib_decompress_head(path, b, sizeof(b), &n, err) == -1) {
		ib_err_clear(err);
		return 0;
	}
	return sniff_bytes(b, n) ? 2 : 0;
}

static int
open_reader(ib_disk_image *d, const char *path, ib_err *err)
{
	unsigned char magic[4];
	ssize_t got;

	d->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->fd == -1)
		return ib_err_errno(err, errno, "open");
	got = pread(d->fd, magic, sizeof(magic), 0);
	if (got == -1)
		return ib_err_errno(err, errno, "read");
	if (got == (ssize_t)sizeof(magic) && memcmp(magic, "QFI\xfb", 4) == 0) {
		d->format = IB_DISK_IMAGE_QCOW2;
		close(d->fd);
		d->fd = -1;
		d->q = ib_qcow2_open(path, err);
		if (d->q == NULL)
			return -1;
		d->r.read = ib_qcow2_read_at;
		d->r.ctx = d->q;
		d->r.size = ib_qcow2_size(d->q);
		return 0;
	}
	d->format = IB_DISK_IMAGE_RAW;
	return ib_disk_reader_fd(&d->r, &d->fd, err);
}

static int
add_volumes(ib_disk_image *d, ib_err *err)
{
	const ib_disk_part *p;
	struct volume *v;
	size_t i;

	d->v = calloc(d->t->count > 0 ? d->t->count : 1, sizeof(*d->v));
	if (d->v == NULL)
		return ib_err_errno(err, ENOMEM, "volumes");
	if (d->t->scheme == IB_DISK_NONE) {
		v = &d->v[d->n++];
		v->len = d->r.size;
		return ib_disk_probe(&d->r, 0, v->len, &v->fs, err);
	}
	for (i = 0; i < d->t->count; i++) {
		p = &d->t->parts[i];
		if (p->extended)
			continue;
		v = &d->v[d->n++];
		snprintf(v->name, sizeof(v->name), "p%u", p->num);
		v->part = p;
		v->off = p->start;
		v->len = p->size;
		if (ib_disk_probe(&d->r, v->off, v->len, &v->fs, err) == -1)
			return ib_err_prefix(err, "%s: ", v->name);
	}
	return 0;
}

/* A read of a range of the file: at base. */
static int
range_read(void *ctx, void *buf, size_t len, uint64_t off, ib_err *err)
{
	const ib_disk_image *d = ctx;

	return ib_pread_all(d->fd, buf, len, d->base + off, err);
}

ib_disk_image *
ib_disk_image_open_range(const char *path, uint64_t off, uint64_t len,
    ib_err *err)
{
	ib_disk_image *d;
	struct stat st;

	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		ib_err_errno(err, ENOMEM, "disk image");
		return NULL;
	}
	d->format = IB_DISK_IMAGE_RAW;
	d->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->fd == -1 || fstat(d->fd, &st) == -1) {
		ib_err_errno(err, errno, "open");
		ib_disk_image_close(d);
		return NULL;
	}
	if (off > (uint64_t)st.st_size || len > (uint64_t)st.st_size - off) {
		ib_err_set(err, IB_EFORMAT,
		    "%llu bytes at %llu: past the end of the file",
		    (unsigned long long)len, (unsigned long long)off);
		ib_disk_image_close(d);
		return NULL;
	}
	d->base = off;
	d->r.read = range_read;
	d->r.ctx = d;
	d->r.size = len;
	if ((d->t = ib_disk_table_new(&d->r, err)) == NULL ||
	    add_volumes(d, err) == -1) {
		ib_disk_image_close(d);
		return NULL;
	}
	return d;
}

ib_disk_image *
ib_disk_image_open(const char *path, ib_err *err)
{
	ib_disk_image *d;

	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		ib_err_errno(err, ENOMEM, "disk image");
		return NULL;
	}
	d->fd = -1;
	if (open_reader(d, path, err) == -1 ||
	    (d->t = ib_disk_table_new(&d->r, err)) == NULL ||
	    add_volumes(d, err) == -1) {
		ib_disk_image_close(d);
		return NULL;
	}
	return d;
}

void
ib_disk_image_close(ib_disk_image *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		ib_vol_close(d->v[i].vol);
	free(d->v);
	ib_disk_table_free(d->t);
	ib_qcow2_close(d->q);
	if (d->fd != -1)
		close(d->fd);
	free(d);
}

enum ib_disk_image_format
ib_disk_image_format(const ib_disk_image *d)
{
	return d->format;
}

const char *
ib_disk_image_format_name(const ib_disk_image *d)
{
	return d->format == IB_DISK_IMAGE_QCOW2 ? "qcow2" : "raw";
}

const ib_disk_reader *
ib_disk_image_reader(const ib_disk_image *d)
{
	return &d->r;
}

const ib_disk_table *
ib_disk_image_table(const ib_disk_image *d)
{
	return d->t;
}

size_t
ib_disk_image_count(const ib_disk_image *d)
{
	return d->n;
}

const char *
ib_disk_image_name(const ib_disk_image *d, size_t i)
{
	return d->v[i].name;
}

const ib_disk_fs *
ib_disk_image_fs(const ib_disk_image *d, size_t i)
{
	return &d->v[i].fs;
}

const ib_disk_part *
ib_disk_image_part(const ib_disk_image *d, size_t i)
{
	return d->v[i].part;
}

ib_vol *
ib_disk_image_vol(ib_disk_image *d, size_t i, ib_err *err)
{
	struct volume *v = &d->v[i];
	const char *who = v->name[0] != '\0' ? v->name : "the disk";

	if (v->vol != NULL)
		return v->vol;
	switch (v->fs.kind) {
	case IB_DISK_FS_EXT2:
	case IB_DISK_FS_EXT3:
	case IB_DISK_FS_EXT4:
		v->vol = ib_ext4_open(&d->r, v->off, v->len, err);
		break;
	case IB_DISK_FS_FAT12:
	case IB_DISK_FS_FAT16:
	case IB_DISK_FS_FAT32:
		v->vol = ib_fat_open(&d->r, v->off, v->len, err);
		break;
	case IB_DISK_FS_UNKNOWN:
		ib_err_set(err, IB_EFORMAT,
		    "%s holds no filesystem isoboot knows", who);
		return NULL;
	default:
		ib_err_set(err, IB_EUNSUPPORTED,
		    "%s is %s: isoboot reads ext2/3/4 and FAT", who,
		    v->fs.name);
		return NULL;
	}
	if (v->vol == NULL)
		ib_err_prefix(err, "%s: ", who);
	return v->vol;
}

long
ib_disk_image_find(const ib_disk_image *d, bool uuid, const char *key)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (uuid ? strcasecmp(d->v[i].fs.uuid, key) == 0 :
		           strcmp(d->v[i].fs.label, key) == 0)
			return (long)i;
	return -1;
}

long
ib_disk_image_lookup(const ib_disk_image *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->v[i].name, name) == 0)
			return (long)i;
	return -1;
}
