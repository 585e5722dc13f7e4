/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GRUB's devices on a disk image (grub-core/kern/device.c, partmap/):
 * the image is hd0, its partitions hd0,gptN or hd0,msdosN (or hd0,N, any
 * scheme), numbered as GRUB and Linux number them; a disk without a
 * table is hd0 itself. On an ISO or a tree there is one device, the
 * image, named ISO_DEV. Paths in bootfs are "/pN/..." (bootfs.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grub_int.h"

/* The GRUB name of volume i of d: "hd0,gpt2", or "hd0". */
static void
dev_name(ib_disk_image *d, size_t i, char *dev, size_t devsz)
{
	const ib_disk_part *p = ib_disk_image_part(d, i);
	const ib_disk_table *t = ib_disk_image_table(d);

	if (p == NULL)
		snprintf(dev, devsz, "hd0");
	else
		snprintf(dev, devsz, "hd0,%s%u",
		    t->scheme == IB_DISK_GPT ? "gpt" : "msdos", p->num);
}

int
ib_grub_dev_of(struct grub *g, const char *path, char *dev, size_t devsz,
    char *inner, size_t innersz, ib_err *err)
{
	ib_disk_image *d = ib_bootfs_disk(g->fs);
	long vol;

	if (d == NULL) {
		snprintf(dev, devsz, ISO_DEV);
		if (strlen(path) >= innersz)
			return ib_err_set(err, IB_ELIMIT, "path too long");
		memcpy(inner, path, strlen(path) + 1);
		return 0;
	}
	if (ib_bootfs_split(g->fs, path, &vol, inner, innersz, err) == -1)
		return -1;
	dev_name(d, (size_t)vol, dev, devsz);
	return 0;
}

/*
 * The volume GRUB's device name dev (without parentheses) means on d:
 * "hd0" (the disk without a table), "hd0,N", "hd0,gptN", "hd0,msdosN".
 * Its index, or -1 for a device not on this disk.
 */
static long
dev_volume(ib_disk_image *d, const char *dev)
{
	const ib_disk_table *t = ib_disk_image_table(d);
	const ib_disk_part *p;
	const char *s;
	char *end;
	unsigned long n;
	size_t i;

	if (strncmp(dev, "hd0", 3) != 0)
		return -1;
	if (dev[3] == '\0')
		return t->scheme == IB_DISK_NONE ? 0 : -1;
	if (dev[3] != ',' || t->scheme == IB_DISK_NONE)
		return -1;
	s = dev + 4;
	if (strncmp(s, "gpt", 3) == 0 && t->scheme == IB_DISK_GPT)
		s += 3;
	else if (strncmp(s, "msdos", 5) == 0 && t->scheme == IB_DISK_MBR)
		s += 5;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	for (i = 0; i < ib_disk_image_count(d); i++) {
		p = ib_disk_image_part(d, i);
		if (p != NULL && p->num == n)
			return (long)i;
	}
	return -1;
}

int
ib_grub_dev_path(struct ctx *c, const char *where, const char *dev,
    const char *p, char *out, size_t size, ib_err *err)
{
	ib_disk_image *d = ib_bootfs_disk(c->g->fs);
	char resolved[IB_MAX_PATH + 1], qd[64];
	const char *name;
	long vol;

	if (ib_bootfs_path_resolve("/", p, resolved, sizeof(resolved)) == -1)
		return ib_err_set(err, IB_ELIMIT, "%s: path too long", where);
	if (d == NULL) {
		if (strcmp(dev, ISO_DEV) != 0)
			ib_grub_note(c->g,
			    "%s: device (%s) is taken to be the image", where,
			    ib_grub_quote(qd, sizeof(qd), dev));
		snprintf(out, size, "%s", resolved);
		return 0;
	}
	vol = dev_volume(d, dev);
	if (vol == -1) {
		ib_grub_note(c->g,
		    "%s: device (%s) is not on this disk: GRUB fails to read "
		    "from it",
		    where, ib_grub_quote(qd, sizeof(qd), dev));
		if ((size_t)snprintf(out, size, "/(%s)%s", dev, resolved) >=
		    size)
			return ib_err_set(err, IB_ELIMIT, "%s: path too long",
			    where);
		return 1;
	}
	name = ib_disk_image_name(d, (size_t)vol);
	if ((size_t)snprintf(out, size, "%s%s%s", name[0] != '\0' ? "/" : "",
	        name,
	        strcmp(resolved, "/") == 0 && name[0] != '\0' ?
	            "" :
	            resolved) >= size)
		return ib_err_set(err, IB_ELIMIT, "%s: path too long", where);
	return 0;
}

int
ib_grub_dev_search(struct ctx *c, int how, const char *key, char *dev,
    size_t devsz, ib_err *err)
{
	ib_disk_image *d = ib_bootfs_disk(c->g->fs);
	char path[IB_MAX_PATH + 1];
	const char *name;
	size_t i;
	long vol;
	int rc;

	if (how != GRUB_SEARCH_FILE) {
		vol = ib_disk_image_find(d, how == GRUB_SEARCH_UUID, key);
		if (vol == -1)
			return 0;
		dev_name(d, (size_t)vol, dev, devsz);
		return 1;
	}
	/* search --file: each volume in order, as GRUB iterates devices;
	 * one it cannot read holds nothing for it either. */
	for (i = 0; i < ib_disk_image_count(d); i++) {
		if (!ib_disk_image_fs(d, i)->readable)
			continue;
		name = ib_disk_image_name(d, i);
		if ((size_t)snprintf(path, sizeof(path), "%s%s%s",
		        name[0] != '\0' ? "/" : "", name, key) >= sizeof(path))
			return ib_err_set(err, IB_ELIMIT, "path too long");
		rc = ib_bootfs_lookup(c->g->fs, path, err);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			dev_name(d, i, dev, devsz);
			return 1;
		}
	}
	return 0;
}
