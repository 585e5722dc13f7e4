/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A disk image's files as ib_entry records, depth first. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "compat.h"
#include "disk_walk.h"
#include "iso_names.h"

/* One member of a directory, read before the directory is shown. */
struct kid {
	size_t off, len; /* its name in the frame's names */
	ib_vol_node node;
};

/* A directory whose members are being shown. */
struct frame {
	struct kid *kids;
	size_t nkids, kidcap, next;
	char *names;
	size_t nlen, namecap;
	size_t plen; /* the bytes of w->path before a member's name */
	size_t mem;  /* bytes held, counted in w->mem */
};

struct ib_disk_walk {
	ib_disk_image *d;
	ib_vol *v; /* the volume being walked */
	ib_iso_visit_fn fn;
	ib_disk_walk_note_fn note;
	void *ctx;
	struct frame *fr;
	size_t depth, frcap;
	uint64_t *seen; /* directories entered, as key + 1; 0: empty */
	size_t nseen, seencap;
	size_t count; /* entries shown */
	size_t top;   /* 1 when the root's members are at the top */
	size_t mem;   /* bytes of all frames */
	bool hard;    /* the walk's own failure inside a readdir */
	ib_entry e;
	const ib_entry *cur; /* what fn is looking at, for copy */
	ib_vol_node cur_node;
	char path[IB_MAX_PATH + 2];
	char link[IB_MAX_LINK + 1];
	char problem[IB_ERR_MAX];
	unsigned char *buf; /* copy buffer, made on first use */
};

/* Bytes a copy reads at once. */
#define CHUNK (1u << 20)

ib_disk_walk *
ib_disk_walk_new(ib_disk_image *d, ib_err *err)
{
	ib_disk_walk *w;

	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		ib_err_errno(err, ENOMEM, "disk walk");
		return NULL;
	}
	w->d = d;
	return w;
}

static void
frame_release(ib_disk_walk *w, struct frame *f)
{
	w->mem -= f->mem;
	free(f->kids);
	free(f->names);
	memset(f, 0, sizeof(*f));
}

static void
pop_all(ib_disk_walk *w)
{
	while (w->depth > 0)
		frame_release(w, &w->fr[--w->depth]);
}

void
ib_disk_walk_free(ib_disk_walk *w)
{
	if (w == NULL)
		return;
	pop_all(w);
	free(w->fr);
	free(w->seen);
	free(w->buf);
	free(w);
}

/*
 * A directory is where its members are: the place a reader names in aux
 * (FAT's first cluster: two entries that share it are one directory),
 * else its id (ext4's inode). A second visit is a loop, or a directory
 * hard-linked twice; either would repeat the tree below it.
 */
static uint64_t
dir_key(const ib_vol_node *n)
{
	return n->aux != 0 ? (n->aux | (1ull << 63)) : n->id;
}

/* Add n's key to the set: 1 when it was there before, 0, or -1. */
static int
seen_add(ib_disk_walk *w, const ib_vol_node *n, ib_err *err)
{
	uint64_t key = dir_key(n) + 1, *tab;
	size_t i, cap, h;

	if (w->nseen + 1 > w->seencap / 2) {
		if (w->nseen >= IB_MAX_DIRS)
			return ib_err_set(err, IB_ELIMIT,
			    "more than %u directories (IB_MAX_DIRS)",
			    IB_MAX_DIRS);
		cap = w->seencap ? w->seencap * 2 : 1024;
		tab = calloc(cap, sizeof(*tab));
		if (tab == NULL)
			return ib_err_errno(err, ENOMEM, "directory set");
		for (i = 0; i < w->seencap; i++) {
			if (w->seen[i] == 0)
				continue;
			h = (size_t)(w->seen[i] * 0x9E3779B97F4A7C15ull) &
			    (cap - 1);
			while (tab[h] != 0)
				h = (h + 1) & (cap - 1);
			tab[h] = w->seen[i];
		}
		free(w->seen);
		w->seen = tab;
		w->seencap = cap;
	}
	h = (size_t)(key * 0x9E3779B97F4A7C15ull) & (w->seencap - 1);
	while (w->seen[h] != 0) {
		if (w->seen[h] == key)
			return 1;
		h = (h + 1) & (w->seencap - 1);
	}
	w->seen[h] = key;
	w->nseen++;
	return 0;
}

/* ib_vol_readdir's callback: one member into the frame. */
static int
gather(void *ctx, const char *name, size_t len, const ib_vol_node *n,
    ib_err *err)
{
	ib_disk_walk *w = ctx;
	struct frame *f = &w->fr[w->depth];
	size_t cap, need = sizeof(struct kid) + len;
	struct kid *k;
	char *s;

	w->hard = true;
	if (w->mem + need > IB_MAX_WALK_MEM)
		return ib_err_set(err, IB_ELIMIT,
		    "directories of over %u bytes held (IB_MAX_WALK_MEM)",
		    IB_MAX_WALK_MEM);
	if (f->nkids == f->kidcap) {
		cap = f->kidcap ? f->kidcap * 2 : 16;
		k = ib_reallocarray(f->kids, cap, sizeof(*k));
		if (k == NULL)
			return ib_err_errno(err, ENOMEM, "directory");
		f->kids = k;
		f->kidcap = cap;
	}
	if (f->namecap - f->nlen < len) {
		cap = f->namecap ? f->namecap : 256;
		while (cap - f->nlen < len)
			cap *= 2;
		s = realloc(f->names, cap);
		if (s == NULL)
			return ib_err_errno(err, ENOMEM, "directory");
		f->names = s;
		f->namecap = cap;
	}
	memcpy(f->names + f->nlen, name, len);
	k = &f->kids[f->nkids++];
	k->off = f->nlen;
	k->len = len;
	k->node = *n;
	f->nlen += len;
	f->mem += need;
	w->mem += need;
	w->hard = false;
	return 0;
}

/*
 * Read directory n's members into the frame above the top one. Returns
 * 0; 1 when the filesystem cannot give them (*err says why, a problem of
 * the directory's entry); -1 with *err for the walk's own failures and
 * the disk's I/O errors.
 */
static int
read_dir(ib_disk_walk *w, const ib_vol_node *n, ib_err *err)
{
	struct frame *f;
	size_t cap;

	if (w->depth == w->frcap) {
		cap = w->frcap ? w->frcap * 2 : 16;
		f = ib_reallocarray(w->fr, cap, sizeof(*f));
		if (f == NULL)
			return ib_err_errno(err, ENOMEM, "directory stack");
		memset(f + w->frcap, 0, (cap - w->frcap) * sizeof(*f));
		w->fr = f;
		w->frcap = cap;
	}
	w->hard = false;
	if (ib_vol_readdir(w->v, n, gather, w, err) == 0)
		return 0;
	frame_release(w, &w->fr[w->depth]);
	return w->hard || err->code > 0 ? -1 : 1;
}

/* A problem from *err, kept in the walk for the entry. */
static const char *
problem_of(ib_disk_walk *w, const ib_err *err)
{
	snprintf(w->problem, sizeof(w->problem), "%s", ib_err_text(err));
	return w->problem;
}

/* The target of symlink n into w->link, or a problem. */
static const char *
read_link(ib_disk_walk *w, const ib_vol_node *n)
{
	ib_err err;
	size_t len;

	if (n->size == 0 || n->size > IB_MAX_LINK)
		return "symlink target empty or longer than 4096 bytes";
	len = (size_t)n->size;
	ib_err_clear(&err);
	if (ib_vol_pread(w->v, n, w->link, len, 0, &err) == -1)
		return problem_of(w, &err);
	if (memchr(w->link, '\0', len) != NULL)
		return "symlink target contains a NUL byte";
	w->link[len] = '\0';
	return NULL;
}

/*
 * Show the member name (len bytes) with node n, its name at byte plen of
 * w->path; a directory's members are read first, and pushed when fn
 * wants them. Returns 0 or -1 with *err.
 */
static int
visit(ib_disk_walk *w, const char *name, size_t len, const ib_vol_node *n,
    size_t plen, ib_err *err)
{
	ib_entry *e = &w->e;
	bool held = false;
	ib_err rerr;
	int rc;

	if (++w->count > IB_MAX_ENTRIES)
		return ib_err_set(err, IB_ELIMIT,
		    "more than %u entries (IB_MAX_ENTRIES)", IB_MAX_ENTRIES);
	memset(e, 0, sizeof(*e));
	e->problem = ib_iso_name_problem(name, len);
	if (plen + len + 2 > sizeof(w->path)) {
		len = sizeof(w->path) - plen - 2;
		e->problem = "path longer than 4096 bytes";
	}
	memcpy(w->path + plen, name, len);
	w->path[plen + len] = '\0';
	e->path = w->path;
	e->name = w->path + plen;
	e->depth = (unsigned)(w->depth + 1 - w->top);
	switch (n->type) {
	case IB_VOL_REG:
		e->type = IB_FT_REG;
		break;
	case IB_VOL_DIR:
		e->type = IB_FT_DIR;
		break;
	case IB_VOL_LNK:
		e->type = IB_FT_LNK;
		break;
	default:
		if (w->note != NULL)
			w->note(w->ctx, w->path,
			    "a device, FIFO or socket: skipped");
		return 0;
	}
	e->mode = n->mode & 07777;
	e->nlink = 1;
	e->mtime = e->atime = n->mtime;
	if (e->type == IB_FT_REG)
		e->size = e->stored_size = n->size;
	if (e->type == IB_FT_LNK && e->problem == NULL) {
		e->problem = read_link(w, n);
		e->link = e->problem == NULL ? w->link : NULL;
	}
	if (e->type == IB_FT_DIR && e->problem == NULL &&
	    w->depth + 1 >= IB_MAX_DEPTH)
		e->problem = "directories nested too deep";
	if (e->type == IB_FT_DIR && e->problem == NULL) {
		rc = seen_add(w, n, err);
		if (rc == -1)
			return -1;
		if (rc == 1)
			e->problem =
			    "directory loop (directory visited before)";
	}
	if (e->type == IB_FT_DIR && e->problem == NULL) {
		ib_err_clear(&rerr);
		rc = read_dir(w, n, &rerr);
		if (rc == -1) {
			*err = rerr;
			return ib_err_prefix(err, "%s: ", w->path);
		}
		if (rc == 1)
			e->problem = problem_of(w, &rerr);
		held = rc == 0;
	}
	w->cur = e;
	w->cur_node = *n;
	rc = w->fn(w->ctx, e, err);
	w->cur = NULL;
	if (rc == -1 || rc == IB_WALK_SKIP || !held) {
		if (held)
			frame_release(w, &w->fr[w->depth]);
		return rc == -1 ? -1 : 0;
	}
	w->path[plen + len] = '/';
	w->fr[w->depth].plen = plen + len + 1;
	w->depth++;
	return 0;
}

/* Show the members of the frames until none is left. */
static int
drain(ib_disk_walk *w, ib_err *err)
{
	struct frame *f;
	struct kid *k;

	while (w->depth > 0) {
		f = &w->fr[w->depth - 1];
		if (f->next == f->nkids) {
			frame_release(w, f);
			w->depth--;
			continue;
		}
		k = &f->kids[f->next++];
		if (visit(w, f->names + k->off, k->len, &k->node, f->plen,
		        err) == -1)
			return -1;
	}
	return 0;
}

/* Volume i: "pN" and its files, or the disk's one filesystem at the top
 * (name ""). */
static int
walk_volume(ib_disk_walk *w, size_t i, ib_err *err)
{
	const char *name = ib_disk_image_name(w->d, i);
	const ib_disk_fs *fs = ib_disk_image_fs(w->d, i);
	size_t nlen = strlen(name);
	ib_vol_node root;
	ib_err verr;
	int rc;

	w->nseen = 0;
	if (w->seen != NULL)
		memset(w->seen, 0, w->seencap * sizeof(*w->seen));
	ib_err_clear(&verr);
	w->v = ib_disk_image_vol(w->d, i, &verr);
	if (w->v != NULL && ib_vol_lookup(w->v, "/", true, &root, &verr) != 1)
		w->v = NULL;
	if (w->v == NULL && nlen == 0) {
		*err = verr;
		return -1;
	}
	if (w->v == NULL) {
		/* Each line names the partition once: "p3: XFS, not read". */
		if (!fs->readable)
			snprintf(w->problem, sizeof(w->problem), "%s, not read",
			    fs->name != NULL ? fs->name :
			                       "no filesystem isoboot knows");
		else if (strncmp(verr.msg, name, nlen) == 0 &&
		    strncmp(verr.msg + nlen, ": ", 2) == 0)
			snprintf(w->problem, sizeof(w->problem), "%s",
			    verr.msg + nlen + 2);
		else
			problem_of(w, &verr);
		memset(&w->e, 0, sizeof(w->e));
		snprintf(w->path, sizeof(w->path), "%s", name);
		w->e.path = w->e.name = w->path;
		w->e.type = IB_FT_DIR;
		w->e.mode = 0755;
		w->e.nlink = 1;
		w->e.depth = 1;
		w->e.problem = w->problem;
		w->count++;
		rc = w->fn(w->ctx, &w->e, err);
		return rc == -1 ? -1 : 0;
	}
	w->top = nlen > 0 ? 0 : 1;
	if (nlen > 0) {
		if (visit(w, name, nlen, &root, 0, err) == -1)
			return -1;
	} else {
		if (seen_add(w, &root, err) == -1)
			return -1;
		rc = read_dir(w, &root, err);
		if (rc != 0)
			return ib_err_prefix(err, "/: ");
		w->fr[0].plen = 0;
		w->depth = 1;
	}
	return drain(w, err);
}

int
ib_disk_walk_run(ib_disk_walk *w, ib_iso_visit_fn fn, ib_disk_walk_note_fn note,
    void *ctx, ib_err *err)
{
	size_t i;
	int rc = 0;

	w->fn = fn;
	w->note = note;
	w->ctx = ctx;
	w->count = 0;
	for (i = 0; rc == 0 && i < ib_disk_image_count(w->d); i++)
		rc = walk_volume(w, i, err);
	pop_all(w);
	w->v = NULL;
	return rc;
}

int
ib_disk_walk_copy(ib_disk_walk *w, const ib_entry *e, int fd,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	const ib_vol_node *n = &w->cur_node;

	if (e == NULL || e != w->cur || e->type != IB_FT_REG)
		return ib_err_set(err, EINVAL,
		    "not the regular file the walk is at");
	if (w->buf == NULL) {
		w->buf = malloc(CHUNK);
		if (w->buf == NULL)
			return ib_err_errno(err, ENOMEM, "copy");
	}
	return ib_vol_copy_fd(w->v, n, ib_disk_image_reader(w->d)->size, fd,
	    w->buf, CHUNK, cancel, err);
}
