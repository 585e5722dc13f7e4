/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bootfs over a disk image: partition N's files under /pN. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootfs_int.h"
#include "bounds.h"
#include "compat.h"

static int
split(ib_disk_image *d, const char *path, long *vol, char *inner,
    size_t innersz, ib_err *err)
{
	char norm[IB_MAX_PATH + 1], name[16];
	const char *rest;
	size_t n;

	if (ib_bootfs_path_resolve("/", path, norm, sizeof(norm)) == -1)
		return ib_err_set(err, IB_ELIMIT, "path too long");
	if (ib_disk_image_table(d)->scheme == IB_DISK_NONE) {
		*vol = 0;
		rest = norm;
	} else {
		n = strcspn(norm + 1, "/");
		if (n == 0 || n >= sizeof(name))
			return ib_err_set(err, IB_ENOTFOUND, "not found");
		memcpy(name, norm + 1, n);
		name[n] = '\0';
		*vol = ib_disk_image_lookup(d, name);
		if (*vol == -1)
			return ib_err_set(err, IB_ENOTFOUND, "not found");
		rest = norm[1 + n] != '\0' ? norm + 1 + n : "/";
	}
	if (strlen(rest) >= innersz)
		return ib_err_set(err, IB_ELIMIT, "path too long");
	memcpy(inner, rest, strlen(rest) + 1);
	return 0;
}

int
ib_bootfs_split(ib_bootfs *fs, const char *path, long *vol, char *inner,
    size_t innersz, ib_err *err)
{
	char full[IB_MAX_PATH + 1];

	if (ib_bootfs_disk(fs) == NULL)
		return ib_err_set(err, EINVAL, "not a disk image");
	if (ib_bootfs_full_path(fs, path, full, sizeof(full), err) == -1)
		return -1;
	return split(ib_bootfs_disk(fs), full, vol, inner, innersz, err);
}

/* The node at path, links followed: 1, 0 when missing, -1 with *err. */
static int
node_at(ib_bootfs *fs, const char *path, ib_vol **vp, ib_vol_node *n,
    ib_err *err)
{
	ib_disk_image *d = ib_bootfs_disk(fs);
	char inner[IB_MAX_PATH + 1];
	long vol;

	if (ib_bootfs_split(fs, path, &vol, inner, sizeof(inner), err) == -1)
		return err->code == IB_ENOTFOUND ? 0 : -1;
	*vp = ib_disk_image_vol(d, (size_t)vol, err);
	if (*vp == NULL)
		return -1;
	return ib_vol_lookup(*vp, inner, true, n, err);
}

int
ib_bootfs_node(ib_bootfs *fs, const char *path, ib_vol_node *n, ib_err *err)
{
	ib_vol *v;

	if (ib_bootfs_disk(fs) == NULL)
		return ib_err_set(err, EINVAL, "not a disk image");
	return node_at(fs, path, &v, n, err);
}

int
ib_bootfs_disk_lookup(ib_bootfs *fs, const char *path, ib_err *err)
{
	ib_vol_node n;
	ib_vol *v;
	int rc;

	rc = node_at(fs, path, &v, &n, err);
	return rc == 1 ? n.type == IB_VOL_REG : rc;
}

/* The regular file at path: 0 with *vp and *n, or -1 with *err
 * (IB_ENOTFOUND: missing; EINVAL: not a regular file). */
static int
regular_at(ib_bootfs *fs, const char *path, ib_vol **vp, ib_vol_node *n,
    ib_err *err)
{
	int rc;

	rc = node_at(fs, path, vp, n, err);
	if (rc == 0)
		return ib_err_set(err, IB_ENOTFOUND, "not found");
	if (rc == -1)
		return -1;
	if (n->type != IB_VOL_REG)
		return ib_err_set(err, EINVAL, "not a regular file");
	return 0;
}

int
ib_bootfs_disk_read_head(ib_bootfs *fs, const char *path, size_t max,
    unsigned char *buf, size_t *got, uint64_t *fsize, ib_err *err)
{
	ib_vol_node n;
	ib_vol *v;
	size_t len;

	if (regular_at(fs, path, &v, &n, err) == -1)
		return -1;
	len = n.size < max ? (size_t)n.size : max;
	if (ib_vol_pread(v, &n, buf, len, 0, err) == -1)
		return -1;
	*got = len;
	*fsize = n.size;
	return 0;
}

int
ib_bootfs_disk_read(ib_bootfs *fs, const char *path, char **data, size_t *len,
    ib_err *err)
{
	ib_vol_node n;
	ib_vol *v;

	if (regular_at(fs, path, &v, &n, err) == -1)
		return -1;
	if (n.size > IB_MAX_CONFIG)
		return ib_err_set(err, IB_ELIMIT,
		    "larger than %u bytes: not a boot config", IB_MAX_CONFIG);
	return ib_vol_read_all(v, &n, data, len, err);
}

int
ib_bootfs_copy_fd(ib_bootfs *fs, const char *path, int fd,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	static const size_t chunk = 1u << 20;
	ib_vol_node n;
	ib_vol *v;
	char *buf;
	int rc;

	if (ib_bootfs_disk(fs) == NULL)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "copying is for disk images");
	if (regular_at(fs, path, &v, &n, err) == -1)
		return -1;
	buf = malloc(chunk);
	if (buf == NULL)
		return ib_err_errno(err, ENOMEM, "copy");
	rc = ib_vol_copy_fd(v, &n,
	    ib_disk_image_reader(ib_bootfs_disk(fs))->size, fd, buf, chunk,
	    cancel, err);
	free(buf);
	return rc;
}

/* One listing: the caller's function, and the volume to follow symlinks
 * in (listed as what they point to, as a tree's are). */
struct listing {
	ib_vol *v;
	const char *dir; /* the directory's path in its volume */
	ib_bootfs_list_fn fn;
	void *ctx;
};

static int
list_one(void *ctx, const char *name, size_t len, const ib_vol_node *n,
    ib_err *err)
{
	struct listing *l = ctx;
	char path[IB_MAX_PATH + 1], nul[IB_MAX_NAME + 1];
	ib_vol_node t = *n;
	int rc;

	if (len > IB_MAX_NAME || memchr(name, '\0', len) != NULL)
		return 0; /* no name a path can hold */
	memcpy(nul, name, len);
	nul[len] = '\0';
	if (n->type == IB_VOL_LNK) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		        strcmp(l->dir, "/") == 0 ? "" : l->dir,
		        nul) >= sizeof(path))
			return 0;
		rc = ib_vol_lookup(l->v, path, true, &t, err);
		if (rc == -1 && err->code != IB_ELIMIT &&
		    err->code != IB_EFORMAT)
			return -1;
		if (rc != 1) {
			/* dangling, a loop or a damaged link: left out */
			ib_err_clear(err);
			return 0;
		}
	}
	if (t.type != IB_VOL_REG && t.type != IB_VOL_DIR)
		return 0;
	return l->fn(l->ctx, nul, t.type == IB_VOL_DIR, err);
}

/* The names of a disk's root: its volumes (those isoboot reads). */
static int
list_volumes(ib_disk_image *d, ib_bootfs_list_fn fn, void *ctx, ib_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < ib_disk_image_count(d); i++) {
		if (!ib_disk_image_fs(d, i)->readable)
			continue;
		rc = fn(ctx, ib_disk_image_name(d, i), true, err);
		if (rc != 0)
			return rc == 1 ? 0 : -1;
	}
	return 0;
}

int
ib_bootfs_disk_list(ib_bootfs *fs, const char *dir, ib_bootfs_list_fn fn,
    void *ctx, ib_err *err)
{
	ib_disk_image *d = ib_bootfs_disk(fs);
	char full[IB_MAX_PATH + 1], inner[IB_MAX_PATH + 1];
	struct listing l;
	ib_vol_node n;
	long vol;
	int rc;

	if (ib_bootfs_full_path(fs, dir, full, sizeof(full), err) == -1 ||
	    ib_bootfs_path_resolve("/", full, inner, sizeof(inner)) == -1)
		return ib_err_set(err, IB_ELIMIT, "path too long");
	if (strcmp(inner, "/") == 0 &&
	    ib_disk_image_table(d)->scheme != IB_DISK_NONE)
		return list_volumes(d, fn, ctx, err);
	if (ib_bootfs_split(fs, dir, &vol, inner, sizeof(inner), err) == -1)
		return -1;
	l.v = ib_disk_image_vol(d, (size_t)vol, err);
	if (l.v == NULL)
		return -1;
	rc = ib_vol_lookup(l.v, inner, true, &n, err);
	if (rc == 0)
		return ib_err_set(err, IB_ENOTFOUND, "not found");
	if (rc == -1)
		return -1;
	if (n.type != IB_VOL_DIR)
		return ib_err_set(err, ENOTDIR, "not a directory");
	l.dir = inner;
	l.fn = fn;
	l.ctx = ctx;
	rc = ib_vol_readdir(l.v, &n, list_one, &l, err);
	return rc == 1 ? 0 : rc;
}
