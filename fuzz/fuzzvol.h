/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzzvol: what the filesystem fuzz targets (fuzz_fat, fuzz_ext4) share:
 * the input as a volume, sparse when it starts with a 4-byte magic and a
 * size (the next 4 bytes, little-endian, times 512, at most max, zeros
 * past the input), so that small inputs hold the metadata of a bigger
 * volume; then the volume opened, its tree walked (readdir, at most 64
 * nodes, 8 deep), each file read whole and in pieces (up to 64 KiB), and
 * a few paths looked up, while less than 32 MiB has been read.
 * Properties, abort() on failure:
 * 1. Every read stays inside the volume.
 * 2. One call reads at most a volume's worth of 512-byte sectors, plus a
 *    few, per path component: nothing is followed round a loop.
 * 3. A failure sets an error code and a message.
 * 4. readdir names are not empty, ".", "..", and hold no '/' or NUL.
 * 5. A file read at once and in pieces (forward, then back to its start)
 *    gives the same bytes when both reads succeed.
 * For the fuzz targets only.
 */
#ifndef IB_FUZZVOL_H
#define IB_FUZZVOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "disk_part.h"
#include "fuzzsrc.h"
#include "vol.h"

#define MAX_BYTES (32u * 1024 * 1024)
#define MAX_NODES 64u
#define MAX_DEPTH 8u
#define MAX_READ  65536u

struct walk {
	struct src *s;
	ib_vol *v;
	unsigned nodes;
	unsigned char a[MAX_READ], b[MAX_READ];
};

/* Properties 2 and 3 after a call that made reads since before and
 * returned rc, for calls that each follow up to steps chains. */
static inline void
check_call(struct walk *w, uint64_t before, int rc, const ib_err *err,
    unsigned steps)
{
	if (w->s->reads - before > steps * (w->s->size / 512 + 4))
		abort();
	if (rc == -1 && (err->code == 0 || err->msg[0] == '\0'))
		abort();
}

/* Property 5: the file n read at once, then in pieces of 1000 bytes, then
 * its first byte again (the chain's cursor goes back). */
static inline void
read_file(struct walk *w, const ib_vol_node *n)
{
	size_t len = n->size < MAX_READ ? (size_t)n->size : MAX_READ, at, k;
	uint64_t before = w->s->reads;
	ib_err err;
	int whole, pieces = 0, again;

	ib_err_clear(&err);
	whole = ib_vol_pread(w->v, n, w->a, len, 0, &err);
	check_call(w, before, whole, &err, 1);
	for (at = 0; pieces == 0 && at < len; at += k) {
		k = len - at < 1000 ? len - at : 1000;
		before = w->s->reads;
		pieces = ib_vol_pread(w->v, n, w->b + at, k, at, &err);
		check_call(w, before, pieces, &err, 1);
	}
	if (whole == 0 && pieces == 0 && memcmp(w->a, w->b, len) != 0)
		abort();
	if (len == 0)
		return;
	before = w->s->reads;
	again = ib_vol_pread(w->v, n, w->b, 1, 0, &err);
	check_call(w, before, again, &err, 1);
	if (whole == 0 && again == 0 && w->b[0] != w->a[0])
		abort();
}

struct kid {
	char name[256];
	ib_vol_node node;
};

struct kids {
	struct kid v[MAX_NODES];
	size_t n;
};

static inline int
gather(void *ctx, const char *name, size_t len, const ib_vol_node *n,
    ib_err *err)
{
	struct kids *k = ctx;

	(void)err;
	if (len == 0 || memchr(name, '/', len) != NULL ||
	    memchr(name, '\0', len) != NULL ||
	    (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'))))
		abort();
	if (k->n == MAX_NODES)
		return 1;
	k->v[k->n].node = *n;
	snprintf(k->v[k->n].name, sizeof(k->v[0].name), "%.*s",
	    len < 255 ? (int)len : 255, name);
	k->n++;
	return 0;
}

static inline void
walk_dir(struct walk *w, const ib_vol_node *dir, const char *path,
    unsigned depth)
{
	struct kids *k;
	char sub[4096];
	ib_vol_node n;
	ib_err err;
	uint64_t before = w->s->reads;
	size_t i;
	int rc;

	if (depth > MAX_DEPTH || w->nodes >= MAX_NODES ||
	    w->s->bytes > MAX_BYTES)
		return;
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return;
	ib_err_clear(&err);
	rc = ib_vol_readdir(w->v, dir, gather, k, &err);
	check_call(w, before, rc, &err, 1);
	for (i = 0;
	     i < k->n && w->nodes < MAX_NODES && w->s->bytes <= MAX_BYTES;
	     i++) {
		w->nodes++;
		snprintf(sub, sizeof(sub), "%s/%s", path, k->v[i].name);
		before = w->s->reads;
		rc = ib_vol_lookup(w->v, sub, true, &n, &err);
		check_call(w, before, rc, &err, depth + 2);
		if (k->v[i].node.type == IB_VOL_DIR)
			walk_dir(w, &k->v[i].node, sub, depth + 1);
		else
			read_file(w, &k->v[i].node);
	}
	free(k);
}

typedef ib_vol *fuzzvol_open_fn(const ib_disk_reader *r, uint64_t off,
    uint64_t len, ib_err *err);

/* The whole run over data (see the top): magic and max say how a sparse
 * volume is asked for, open opens it, paths are looked up and read. */
static inline int
fuzzvol_run(const uint8_t *data, size_t size, const char *magic, uint64_t max,
    fuzzvol_open_fn *open, const char *const *paths, size_t npaths)
{
	static struct walk w;
	struct src s;
	ib_disk_reader r;
	ib_vol_node root, n;
	ib_err err;
	uint64_t before;
	size_t i;
	int rc;

	s.p = data;
	s.n = size;
	s.size = size;
	s.reads = 0;
	s.bytes = 0;
	if (size >= 8 && memcmp(data, magic, 4) == 0) {
		s.p = data + 8;
		s.n = size - 8;
		s.size = (uint64_t)ib_le32(data + 4) * 512;
		if (s.size > max)
			s.size = max;
		if (s.size < s.n)
			s.size = s.n;
	}
	r.read = get;
	r.ctx = &s;
	r.size = s.size;
	ib_err_clear(&err);
	w.s = &s;
	w.nodes = 0;
	w.v = open(&r, 0, s.size, &err);
	check_call(&w, 0, w.v == NULL ? -1 : 0, &err, 1);
	if (w.v == NULL)
		return 0;
	if (ib_vol_lookup(w.v, "/", true, &root, &err) == 1)
		walk_dir(&w, &root, "", 0);
	for (i = 0; i < npaths && s.bytes <= MAX_BYTES; i++) {
		before = s.reads;
		rc = ib_vol_lookup(w.v, paths[i], true, &n, &err);
		check_call(&w, before, rc, &err, 8);
		if (rc == 1 && n.type == IB_VOL_REG)
			read_file(&w, &n);
	}
	ib_vol_close(w.v);
	return 0;
}

#endif
