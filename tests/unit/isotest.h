/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * isotest: a whole ISO 9660 image from a list of members, for the suites
 * that need an image and not a tree (check_bootcfg, check_plan,
 * check_recipe): files and directories with the ECMA-119 names given
 * (";1" added, case kept, no Rock Ridge or Joliet) and an El Torito
 * catalog when a test asks for one. Built byte by byte on
 * fixtures/isogen.h. Header-only; tests only.
 */
#ifndef IB_ISOTEST_H
#define IB_ISOTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "../../fixtures/isogen.h"

#define ISOTEST_MAX_MEMBERS 24
#define ISOTEST_MAX_DIRS    48

/* A member: a file holding len bytes of data (len 0: strlen(data)), or a
 * directory (data NULL). Names without ";1": "ISOLINUX/ISOLINUX.CFG". */
struct member {
	const char *path;
	const char *data;
	size_t len;
};

/*
 * An image: its members; the El Torito boot images, as member paths
 * (NULL: no such entry; "": an entry whose image no file holds, as
 * xorriso can hide it; both NULL: no boot catalog); the sectors of it
 * written out (0: all of them).
 */
struct spec {
	const struct member *m;
	size_t n;
	const char *bios, *efi;
	size_t keep;
};

#define NMEMB(a) (sizeof(a) / sizeof((a)[0]))

/* Sectors: 16 PVD, 17 boot record, 18 terminator, 19 the catalog, one
 * per directory from 20, then the files' data in member order. */
#define ISOTEST_CATALOG 19u
#define ISOTEST_DIR0    20u

struct isotest_layout {
	char dirs[ISOTEST_MAX_DIRS][256]; /* "" is the root */
	size_t nd;
	uint32_t flsn[ISOTEST_MAX_MEMBERS];
	uint32_t nsect;
};

struct isotest_child {
	char name[64];
	uint32_t lsn, size;
	unsigned flags;
};

static inline size_t
isotest_len(const struct member *m)
{
	return m->len != 0 ? m->len : strlen(m->data);
}

/* The index of the directory named by the len bytes at path; with add,
 * a new one if there is none. */
static inline size_t
isotest_dir_index(struct isotest_layout *l, const char *path, size_t len,
    bool add)
{
	size_t i;

	for (i = 0; i < l->nd; i++)
		if (strlen(l->dirs[i]) == len &&
		    strncmp(l->dirs[i], path, len) == 0)
			return i;
	ck_assert_msg(add, "no directory %.*s", (int)len, path);
	ck_assert_uint_lt(l->nd, ISOTEST_MAX_DIRS);
	ck_assert_uint_lt(len, sizeof(l->dirs[0]));
	memcpy(l->dirs[l->nd], path, len);
	l->dirs[l->nd][len] = '\0';
	return l->nd++;
}

/* The directory that holds path (its index), and where its name starts. */
static inline size_t
isotest_parent_of(struct isotest_layout *l, const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');

	*name = slash != NULL ? slash + 1 : path;
	return isotest_dir_index(l, path,
	    slash != NULL ? (size_t)(slash - path) : 0, false);
}

static inline void
isotest_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline int
isotest_cmp_child(const void *a, const void *b)
{
	return strcmp(((const struct isotest_child *)a)->name,
	    ((const struct isotest_child *)b)->name);
}

/* The block where the file at path starts; 0 for "" (no file). */
static inline uint32_t
isotest_boot_lsn(const struct spec *s, const struct isotest_layout *l,
    const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->m[i].data != NULL && strcmp(s->m[i].path, path) == 0)
			return l->flsn[i];
	ck_assert_msg(path[0] == '\0', "no boot image %s among members", path);
	return 0;
}

/* An El Torito catalog: the default entry for the BIOS image (the EFI one
 * if there is no BIOS entry), then a section for EFI. */
static inline void
isotest_catalog(isogen *g, const struct spec *s, const struct isotest_layout *l)
{
	unsigned char *vd, *cat;
	uint16_t sum;
	uint32_t bios, efi;

	/* The terminator moves to 18; the boot record takes 17. */
	memcpy(isogen_sector(g, 18), isogen_sector(g, 17), ISOGEN_SECTOR);
	vd = isogen_sector(g, 17);
	memset(vd, 0, ISOGEN_SECTOR);
	memcpy(vd + 1, "CD001", 5);
	vd[6] = 1;
	memcpy(vd + 7, "EL TORITO SPECIFICATION", 23);
	isotest_le32(vd + 0x47, ISOTEST_CATALOG);
	/* A hidden image: the catalog's own block, where no file starts. */
	bios = s->bios != NULL ? isotest_boot_lsn(s, l, s->bios) : 0;
	efi = s->efi != NULL ? isotest_boot_lsn(s, l, s->efi) : 0;
	bios = s->bios != NULL && bios == 0 ? ISOTEST_CATALOG : bios;
	efi = s->efi != NULL && efi == 0 ? ISOTEST_CATALOG : efi;
	cat = isogen_sector(g, ISOTEST_CATALOG);
	cat[0] = 1;
	cat[1] = s->bios != NULL ? 0 : 0xef;
	cat[30] = 0x55;
	cat[31] = 0xaa;
	sum = 0;
	for (size_t i = 0; i < 32; i += 2)
		sum = (uint16_t)(sum + (cat[i] | cat[i + 1] << 8));
	sum = (uint16_t)-sum;
	cat[28] = (unsigned char)sum;
	cat[29] = (unsigned char)(sum >> 8);
	cat[32] = 0x88;
	isotest_le32(cat + 40, s->bios != NULL ? bios : efi);
	if (s->bios != NULL && s->efi != NULL) {
		cat[64] = 0x91; /* the last section header */
		cat[65] = 0xef;
		cat[66] = 1;
		cat[96] = 0x88;
		isotest_le32(cat + 104, efi);
	}
}

/* One directory's records: its subdirectories and files, sorted. */
static inline void
isotest_put_dir(isogen *g, const struct spec *s, struct isotest_layout *l,
    size_t k)
{
	struct isotest_child kids[ISOTEST_MAX_MEMBERS + ISOTEST_MAX_DIRS];
	const char *name;
	unsigned char *d;
	size_t i, nk, off;

	nk = 0;
	for (i = 1; i < l->nd; i++) {
		if (isotest_parent_of(l, l->dirs[i], &name) != k)
			continue;
		snprintf(kids[nk].name, sizeof(kids[0].name), "%s", name);
		kids[nk].lsn = ISOTEST_DIR0 + (uint32_t)i;
		kids[nk].size = ISOGEN_SECTOR;
		kids[nk++].flags = 0x02;
	}
	for (i = 0; i < s->n; i++) {
		if (s->m[i].data == NULL ||
		    isotest_parent_of(l, s->m[i].path, &name) != k)
			continue;
		snprintf(kids[nk].name, sizeof(kids[0].name), "%s;1", name);
		kids[nk].lsn = l->flsn[i];
		kids[nk].size = (uint32_t)isotest_len(&s->m[i]);
		kids[nk++].flags = 0;
	}
	qsort(kids, nk, sizeof(kids[0]), isotest_cmp_child);
	off = isogen_dir(g, ISOTEST_DIR0 + (uint32_t)k,
	    k == 0 ? ISOTEST_DIR0 :
	             ISOTEST_DIR0 +
	            (uint32_t)isotest_parent_of(l, l->dirs[k], &name));
	d = isogen_sector(g, ISOTEST_DIR0 + (uint32_t)k);
	for (i = 0; i < nk; i++) {
		ck_assert_uint_lt(off + 33 + strlen(kids[i].name) + 1,
		    ISOGEN_SECTOR);
		off += isogen_record(d + off, kids[i].lsn, kids[i].size,
		    kids[i].flags, kids[i].name, strlen(kids[i].name));
	}
}

/* Build the image of s as the file path (replaced if it exists). */
static inline void
isotest_build(const struct spec *s, const char *path)
{
	static struct isotest_layout l;
	size_t i, k, len;
	uint32_t next;
	isogen g;
	FILE *f;

	memset(&l, 0, sizeof(l));
	l.nd = 1; /* the root */
	ck_assert_uint_le(s->n, ISOTEST_MAX_MEMBERS);
	for (i = 0; i < s->n; i++) {
		const char *p = s->m[i].path;

		for (const char *q = strchr(p, '/'); q != NULL;
		     q = strchr(q + 1, '/'))
			isotest_dir_index(&l, p, (size_t)(q - p), true);
		if (s->m[i].data == NULL)
			isotest_dir_index(&l, p, strlen(p), true);
	}
	next = ISOTEST_DIR0 + (uint32_t)l.nd;
	for (i = 0; i < s->n; i++) {
		if (s->m[i].data == NULL)
			continue;
		l.flsn[i] = next;
		len = isotest_len(&s->m[i]);
		next += len == 0 ? 1 : (uint32_t)((len + 2047) / 2048);
	}
	l.nsect = next;
	ck_assert_int_eq(isogen_init(&g, l.nsect, ISOTEST_DIR0), 0);
	for (k = 0; k < l.nd; k++)
		isotest_put_dir(&g, s, &l, k);
	for (i = 0; i < s->n; i++)
		if (s->m[i].data != NULL)
			memcpy(isogen_sector(&g, l.flsn[i]), s->m[i].data,
			    isotest_len(&s->m[i]));
	if (s->bios != NULL || s->efi != NULL)
		isotest_catalog(&g, s, &l);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	len = s->keep != 0 ? s->keep : l.nsect;
	ck_assert_uint_eq(fwrite(g.img, ISOGEN_SECTOR, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	free(g.img);
}

#endif /* IB_ISOTEST_H */
