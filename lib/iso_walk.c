/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The directory walk: ECMA-119 9.1 directory records, multi-extent files
 * (9.1.6 flag bit 7), Rock Ridge names, types and relocation (RRIP 4.1.5),
 * Joliet names. Iterative, depth first, with one buffer per open
 * directory and every count bounded.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "bytes.h"
#include "compat.h"
#include "iso_int.h"
#include "iso_names.h"
#include "rrip.h"

/* One directory record (ECMA-119 9.1), pointing into its buffer. */
struct rec {
	uint32_t lsn; /* extent start, XAR included */
	uint32_t size;
	unsigned xar;
	unsigned flags;
	const unsigned char *date;
	const unsigned char *id;
	size_t idlen;
	const unsigned char *su;
	size_t sulen;
};

#define FLAG_DIR   0x02
#define FLAG_MULTI 0x80

struct frame {
	unsigned char *buf;
	size_t size;
	size_t pos;
	size_t plen; /* length of the path prefix of its children */
	uint32_t lsn;
};

struct walk {
	ib_iso *iso;
	ib_iso_visit_fn fn;
	void *ctx;
	struct frame *fr;
	size_t depth, frcap;
	size_t mem;
	uint64_t count;
	uint32_t *seen; /* open-addressed set of directory extents */
	size_t seencap, nseen;
	ib_extent *ext;
	size_t next, extcap;
	unsigned char mx_id[256]; /* raw identifier of a pending multi-extent */
	size_t mx_idlen;
	ib_rr rr, dot;
	ib_entry e;
	char name[4 * IB_MAX_NAME + 8];
	char path[IB_MAX_PATH + 1];
};

static int
next_record(struct frame *f, struct rec *r, ib_err *err)
{
	const unsigned char *p;
	size_t len, end, su;

	for (;;) {
		if (f->pos >= f->size)
			return 0;
		end = (f->pos / IB_SECTOR + 1) * IB_SECTOR;
		if (end > f->size)
			end = f->size;
		len = f->buf[f->pos];
		if (len == 0) {
			/* ECMA-119 6.8.1.1: records do not cross blocks. */
			f->pos = end;
			continue;
		}
		p = f->buf + f->pos;
		if (len < IB_DIRREC_MIN || f->pos + len > end ||
		    33u + p[32] > len)
			return ib_err_set(err, IB_EFORMAT,
			    "bad directory record (length %zu, name length %u) "
			    "at offset %zu",
			    len, f->pos + 32 < f->size ? p[32] : 0u, f->pos);
		r->lsn = ib_le32(p + 2);
		r->size = ib_le32(p + 10);
		r->xar = p[1];
		r->flags = p[25];
		r->date = p + 18;
		r->id = p + 33;
		r->idlen = p[32];
		su = 33 + r->idlen + !(r->idlen & 1);
		r->su = p + (su < len ? su : len);
		r->sulen = su < len ? len - su : 0;
		f->pos += len;
		return 1;
	}
}

static int
is_dot(const struct rec *r)
{
	return r->idlen == 1 && (r->id[0] == 0 || r->id[0] == 1);
}

static int
rr_read(void *ctx, uint32_t lsn, unsigned char *buf, ib_err *err)
{
	return ib_iso_read_blocks(ctx, lsn, 1, buf, err);
}

static int
parse_su(struct walk *w, const struct rec *r, ib_rr *rr, ib_err *err)
{
	if (w->iso->layer != IB_LAYER_ROCKRIDGE) {
		memset(rr, 0, sizeof(*rr));
		return 0;
	}
	return ib_rrip_parse(r->su, r->sulen, w->iso->susp_skip, rr_read,
	    w->iso, rr, err);
}

/* Directory extents already entered: a second visit is a cycle. */
static int
seen_add(struct walk *w, uint32_t lsn, int *dup, ib_err *err)
{
	uint32_t *n;
	size_t i, cap, h;

	*dup = 0;
	lsn += 1; /* 0 marks an empty slot */
	if (w->nseen + 1 > w->seencap / 2) {
		if (w->nseen >= IB_MAX_DIRS)
			return ib_err_set(err, IB_ELIMIT,
			    "more than %u directories", IB_MAX_DIRS);
		cap = w->seencap ? w->seencap * 2 : 1024;
		n = calloc(cap, sizeof(*n));
		if (n == NULL)
			return ib_err_errno(err, ENOMEM, "directory set");
		for (i = 0; i < w->seencap; i++) {
			if (w->seen[i] == 0)
				continue;
			h = (w->seen[i] * 2654435761u) & (cap - 1);
			while (n[h] != 0)
				h = (h + 1) & (cap - 1);
			n[h] = w->seen[i];
		}
		free(w->seen);
		w->seen = n;
		w->seencap = cap;
	}
	h = (lsn * 2654435761u) & (w->seencap - 1);
	while (w->seen[h] != 0) {
		if (w->seen[h] == lsn) {
			*dup = 1;
			return 0;
		}
		h = (h + 1) & (w->seencap - 1);
	}
	w->seen[h] = lsn;
	w->nseen++;
	return 0;
}

static int
add_extent(struct walk *w, uint32_t lsn, uint32_t len, ib_err *err)
{
	ib_extent *n;
	size_t cap;

	if (w->next >= IB_MAX_EXTENTS)
		return ib_err_set(err, IB_ELIMIT,
		    "more than %u extents in one file", IB_MAX_EXTENTS);
	if (w->next == w->extcap) {
		cap = w->extcap ? w->extcap * 2 : 16;
		n = ib_reallocarray(w->ext, cap, sizeof(*n));
		if (n == NULL)
			return ib_err_errno(err, ENOMEM, "extent list");
		w->ext = n;
		w->extcap = cap;
	}
	w->ext[w->next].lsn = lsn;
	w->ext[w->next].len = len;
	w->next++;
	return 0;
}

/* Read a directory extent into a new buffer of exactly size bytes. */
static int
read_dir(struct walk *w, uint32_t lsn, uint32_t size, unsigned char **out,
    const char **problem, ib_err *err)
{
	unsigned char *buf;
	uint32_t blocks;

	*out = NULL;
	*problem = NULL;
	if (size < 2 * IB_DIRREC_MIN) {
		/* ECMA-119 6.8.2: every directory holds "." and "..". */
		*problem = "directory too small to hold '.' and '..'";
		return 0;
	}
	if (size > IB_MAX_DIR_SIZE) {
		*problem = "directory larger than 64 MiB (corrupt size?)";
		return 0;
	}
	if (!ib_iso_extent_inside(w->iso, lsn, size)) {
		*problem = "directory beyond the end of the image";
		return 0;
	}
	if (w->mem + size > IB_MAX_WALK_MEM)
		return ib_err_set(err, IB_ELIMIT,
		    "open directories use more than %u MiB",
		    IB_MAX_WALK_MEM >> 20);
	blocks = (uint32_t)((size + (uint64_t)IB_SECTOR - 1) / IB_SECTOR);
	buf = malloc(blocks == 0 ? 1 : (size_t)blocks * IB_SECTOR);
	if (buf == NULL)
		return ib_err_errno(err, ENOMEM, "directory buffer");
	if (ib_iso_read_blocks(w->iso, lsn, blocks, buf, err) == -1) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

static int
push(struct walk *w, unsigned char *buf, uint32_t size, uint32_t lsn,
    size_t plen, ib_err *err)
{
	struct frame *n;
	size_t cap;

	if (w->depth == w->frcap) {
		cap = w->frcap ? w->frcap * 2 : 16;
		n = ib_reallocarray(w->fr, cap, sizeof(*n));
		if (n == NULL) {
			free(buf);
			return ib_err_errno(err, ENOMEM, "directory stack");
		}
		w->fr = n;
		w->frcap = cap;
	}
	w->fr[w->depth].buf = buf;
	w->fr[w->depth].size = size;
	w->fr[w->depth].pos = 0;
	w->fr[w->depth].plen = plen;
	w->fr[w->depth].lsn = lsn;
	w->depth++;
	w->mem += size;
	return 0;
}

static void
pop(struct walk *w)
{
	w->depth--;
	w->mem -= w->fr[w->depth].size;
	free(w->fr[w->depth].buf);
}

/* The entry's name for the image's layer, into w->name. */
static int
decode_name(struct walk *w, const struct rec *r, size_t *len)
{
	int n;

	if (w->iso->layer == IB_LAYER_ROCKRIDGE && (w->rr.seen & IB_RR_NM) &&
	    !(w->rr.seen & (IB_RR_NM_DOT | IB_RR_NM_DOTDOT))) {
		memcpy(w->name, w->rr.name, w->rr.name_len + 1);
		*len = w->rr.name_len;
		return 0;
	}
	if (w->iso->layer == IB_LAYER_JOLIET)
		n = ib_iso_name_joliet(r->id, r->idlen, w->name,
		    sizeof(w->name));
	else
		n = ib_iso_name_9660(r->id, r->idlen, w->name, sizeof(w->name));
	if (n < 0)
		return -1;
	*len = (size_t)n;
	return 0;
}

static const char *
name_problem(const struct walk *w, const char *name, size_t len)
{
	if (w->rr.name_too_long)
		return "rock ridge name longer than 255 bytes";
	if (w->rr.link_too_long)
		return "symlink target longer than 4096 bytes";
	return ib_iso_name_problem(name, len);
}

static ib_ftype
rr_type(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return IB_FT_DIR;
	case S_IFLNK:
		return IB_FT_LNK;
	case S_IFIFO:
		return IB_FT_FIFO;
	case S_IFCHR:
		return IB_FT_CHR;
	case S_IFBLK:
		return IB_FT_BLK;
	case S_IFSOCK:
		return IB_FT_SOCK;
	default:
		return IB_FT_REG;
	}
}

static void
set_attrs(struct walk *w, const struct rec *r, const ib_rr *rr)
{
	ib_entry *e;

	e = &w->e;
	e->has_rr = (rr->seen & IB_RR_PX) != 0;
	if (e->has_rr) {
		e->mode = rr->mode & 07777;
		e->nlink = rr->nlink;
		e->uid = rr->uid;
		e->gid = rr->gid;
	} else {
		e->mode = e->type == IB_FT_DIR ? 0755 : 0644;
		e->nlink = 1;
		e->uid = e->gid = 0;
	}
	if (rr->tf_seen & 0x02) {
		e->mtime = rr->mtime.sec;
		e->mtime_nsec = rr->mtime.nsec;
	} else {
		e->mtime = ib_rrip_date7(r->date);
		e->mtime_nsec = 0;
	}
	if (rr->tf_seen & 0x04) {
		e->atime = rr->atime.sec;
		e->atime_nsec = rr->atime.nsec;
	} else {
		e->atime = e->mtime;
		e->atime_nsec = e->mtime_nsec;
	}
	e->dev_hi = rr->dev_hi;
	e->dev_lo = rr->dev_lo;
}

/* Hide the root's rr_moved when it holds only relocated (RE)
 * directories, as libarchive does: they are shown at their CL places. */
static int
only_relocated(struct walk *w, uint32_t lsn, uint32_t size, int *only,
    ib_err *err)
{
	struct frame f;
	struct rec r;
	const char *problem;
	int rc;

	*only = 0;
	if (read_dir(w, lsn, size, &f.buf, &problem, err) == -1)
		return -1;
	if (f.buf == NULL)
		return 0;
	f.size = size;
	f.pos = 0;
	*only = 1;
	while ((rc = next_record(&f, &r, err)) == 1) {
		if (is_dot(&r))
			continue;
		if (parse_su(w, &r, &w->dot, err) == -1) {
			rc = -1;
			break;
		}
		if (!(w->dot.seen & IB_RR_RE)) {
			*only = 0;
			break;
		}
	}
	free(f.buf);
	return rc == -1 ? -1 : 0;
}

/* RRIP 4.1.5.1: a CL placeholder names a directory stored elsewhere; its
 * size and attributes come from that directory's "." record. */
static int
follow_cl(struct walk *w, uint32_t *lsn, uint32_t *size, const char **problem,
    ib_err *err)
{
	unsigned char blk[IB_SECTOR];
	struct frame f;
	struct rec r;

	if (!ib_iso_extent_inside(w->iso, w->rr.cl_lsn, IB_SECTOR)) {
		*problem = "relocated directory beyond the end of the image";
		return 0;
	}
	if (ib_iso_read_blocks(w->iso, w->rr.cl_lsn, 1, blk, err) == -1)
		return -1;
	f.buf = blk;
	f.size = IB_SECTOR;
	f.pos = 0;
	if (next_record(&f, &r, err) != 1 || !is_dot(&r)) {
		*problem = "relocated directory has no '.' record";
		return 0;
	}
	if (parse_su(w, &r, &w->dot, err) == -1)
		return -1;
	*lsn = r.lsn + r.xar;
	*size = r.size;
	set_attrs(w, &r, &w->dot);
	return 0;
}

static int
visit(struct walk *w, const struct rec *r, ib_err *err)
{
	struct frame *f;
	ib_entry *e;
	unsigned char *buf;
	const char *problem;
	uint32_t dlsn, dsize;
	size_t nlen, plen;
	int rc, dup, only;

	f = &w->fr[w->depth - 1];
	e = &w->e;
	memset(e, 0, sizeof(*e));
	if (++w->count > IB_MAX_ENTRIES)
		return ib_err_set(err, IB_ELIMIT, "more than %u entries",
		    IB_MAX_ENTRIES);
	if (parse_su(w, r, &w->rr, err) == -1)
		return -1;
	if (w->rr.seen & IB_RR_RE)
		return 0; /* shown where its CL placeholder is */
	if (decode_name(w, r, &nlen) == -1)
		return ib_err_set(err, IB_EFORMAT, "undecodable name");
	e->problem = name_problem(w, w->name, nlen);

	if ((r->flags & FLAG_DIR) || (w->rr.seen & IB_RR_CL))
		e->type = IB_FT_DIR;
	else if (w->rr.seen & IB_RR_PX)
		e->type = rr_type(w->rr.mode);
	else if (w->rr.seen & IB_RR_SL)
		e->type = IB_FT_LNK;
	else
		e->type = IB_FT_REG;
	set_attrs(w, r, &w->rr);

	plen = f->plen;
	if (plen + nlen + 2 > sizeof(w->path)) {
		nlen = sizeof(w->path) - plen - 2;
		e->problem = "path longer than 4096 bytes";
	}
	memcpy(w->path + plen, w->name, nlen);
	w->path[plen + nlen] = '\0';
	e->path = w->path;
	e->name = w->path + plen;
	e->depth = (unsigned)w->depth;

	dlsn = r->lsn + r->xar;
	dsize = r->size;
	if (e->type == IB_FT_LNK)
		e->link = w->rr.link;
	if (e->type == IB_FT_REG) {
		if (add_extent(w, dlsn, r->size, err) == -1)
			return -1;
		e->extents = w->ext;
		e->nextents = w->next;
		for (size_t i = 0; i < w->next; i++) {
			e->stored_size += w->ext[i].len;
			if (!ib_iso_extent_inside(w->iso, w->ext[i].lsn,
			        w->ext[i].len) &&
			    e->problem == NULL)
				e->problem = "file data beyond the end of the "
				             "image";
		}
		e->size = e->stored_size;
		if (w->rr.zf.version != 0 && w->next == 1) {
			e->zf = w->rr.zf;
			e->size = w->rr.zf.size;
		}
	}
	w->next = 0;
	w->mx_idlen = 0;

	buf = NULL;
	if (e->type == IB_FT_DIR && e->problem == NULL) {
		if (w->rr.seen & IB_RR_CL) {
			if (follow_cl(w, &dlsn, &dsize, &e->problem, err) == -1)
				return -1;
		} else if (w->depth == 1 &&
		    w->iso->layer == IB_LAYER_ROCKRIDGE &&
		    (strcmp(e->name, "rr_moved") == 0 ||
		        strcmp(e->name, ".rr_moved") == 0)) {
			if (only_relocated(w, dlsn, dsize, &only, err) == -1)
				return -1;
			if (only)
				return 0;
		}
	}
	if (e->type == IB_FT_DIR && e->problem == NULL) {
		if (w->depth >= IB_MAX_DEPTH)
			e->problem = "directories nested too deep";
		else if (seen_add(w, dlsn, &dup, err) == -1)
			return -1;
		else if (dup)
			e->problem = "directory loop (extent visited before)";
	}
	if (e->type == IB_FT_DIR && e->problem == NULL) {
		if (read_dir(w, dlsn, dsize, &buf, &problem, err) == -1)
			return ib_err_prefix(err, "%s: ", e->path);
		e->problem = problem;
	}
	rc = w->fn(w->ctx, e, err);
	if (rc == -1 || rc == IB_WALK_SKIP || buf == NULL) {
		free(buf);
		return rc == -1 ? -1 : 0;
	}
	w->path[plen + nlen] = '/';
	w->path[plen + nlen + 1] = '\0';
	return push(w, buf, dsize, dlsn, plen + nlen + 1, err);
}

/* Multi-extent (ECMA-119 9.1.6 bit 7): records of one file follow each
 * other with the same identifier; all but the last carry the flag. */
static int
collect(struct walk *w, const struct rec *r, int *pending, ib_err *err)
{
	*pending = 0;
	if (w->next > 0 &&
	    (r->idlen != w->mx_idlen || memcmp(r->id, w->mx_id, r->idlen)))
		return ib_err_set(err, IB_EFORMAT,
		    "multi-extent file interrupted by another record");
	if (!(r->flags & FLAG_MULTI) || (r->flags & FLAG_DIR))
		return 0;
	if (add_extent(w, r->lsn + r->xar, r->size, err) == -1)
		return -1;
	memcpy(w->mx_id, r->id, r->idlen);
	w->mx_idlen = r->idlen;
	*pending = 1;
	return 0;
}

static void
walk_release(struct walk *w)
{
	while (w->depth > 0)
		pop(w);
	free(w->fr);
	free(w->seen);
	free(w->ext);
	free(w);
}

int
ib_iso_walk(ib_iso *iso, ib_iso_visit_fn fn, void *ctx, ib_err *err)
{
	struct walk *w;
	struct rec r;
	unsigned char *buf;
	const char *problem;
	uint32_t lsn, size;
	int rc, dup, pending;

	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return ib_err_errno(err, ENOMEM, "walk");
	w->iso = iso;
	w->fn = fn;
	w->ctx = ctx;
	lsn = ib_le32(iso->root + 2) + iso->root[1];
	size = ib_le32(iso->root + 10);
	rc = -1;
	if (seen_add(w, lsn, &dup, err) == -1 ||
	    read_dir(w, lsn, size, &buf, &problem, err) == -1)
		goto out;
	if (buf == NULL) {
		ib_err_set(err, IB_EFORMAT, "root directory: %s", problem);
		goto out;
	}
	if (push(w, buf, size, lsn, 0, err) == -1)
		goto out;
	while (w->depth > 0) {
		w->path[w->fr[w->depth - 1].plen] = '\0';
		rc = next_record(&w->fr[w->depth - 1], &r, err);
		if (rc == -1) {
			ib_err_prefix(err,
			    "%s: ", w->depth > 1 ? w->path : "/");
			goto out;
		}
		if (rc == 0) {
			if (w->next > 0) {
				rc = ib_err_set(err, IB_EFORMAT,
				    "%s: multi-extent file has no last extent",
				    w->path);
				goto out;
			}
			pop(w);
			continue;
		}
		rc = -1;
		if (is_dot(&r))
			continue;
		if (collect(w, &r, &pending, err) == -1) {
			ib_err_prefix(err, "%s: ", w->path);
			goto out;
		}
		if (!pending && visit(w, &r, err) == -1)
			goto out;
	}
	rc = 0;
out:
	walk_release(w);
	return rc;
}
