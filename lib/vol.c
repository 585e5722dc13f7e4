/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One filesystem of a disk, by path: the walk every reader shares. */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "compat.h"
#include "vol.h"

struct ib_vol {
	const ib_vol_ops *ops;
	void *fs;
	char name[16];
};

ib_vol *
ib_vol_new(const ib_vol_ops *ops, void *fs, const char *name, ib_err *err)
{
	ib_vol *v;

	v = calloc(1, sizeof(*v));
	if (v == NULL) {
		ops->close(fs);
		ib_err_errno(err, ENOMEM, "%s", name);
		return NULL;
	}
	v->ops = ops;
	v->fs = fs;
	snprintf(v->name, sizeof(v->name), "%s", name);
	return v;
}

void
ib_vol_close(ib_vol *v)
{
	if (v == NULL)
		return;
	v->ops->close(v->fs);
	free(v);
}

const char *
ib_vol_name(const ib_vol *v)
{
	return v->name;
}

int
ib_vol_pread(ib_vol *v, const ib_vol_node *n, void *buf, size_t len,
    uint64_t off, ib_err *err)
{
	if (off > n->size || len > n->size - off)
		return ib_err_set(err, IB_EFORMAT,
		    "read of %zu bytes at %llu past the end (%llu bytes)", len,
		    (unsigned long long)off, (unsigned long long)n->size);
	if (len == 0)
		return 0;
	return v->ops->pread(v->fs, n, buf, len, off, err);
}

/* A listing passed on without the names no path can hold. */
struct names {
	ib_vol_dir_fn fn;
	void *ctx;
};

static int
valid_name(void *ctx, const char *name, size_t len, const ib_vol_node *n,
    ib_err *err)
{
	struct names *l = ctx;

	/* A damaged directory: an empty name, "." or ".." again, or one
	 * with '/' or NUL cannot be walked to; leave it out. */
	if (len == 0 || memchr(name, '/', len) != NULL ||
	    memchr(name, '\0', len) != NULL ||
	    (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'))))
		return 0;
	return l->fn(l->ctx, name, len, n, err);
}

int
ib_vol_readdir(ib_vol *v, const ib_vol_node *n, ib_vol_dir_fn fn, void *ctx,
    ib_err *err)
{
	struct names l = { fn, ctx };

	if (n->type != IB_VOL_DIR)
		return ib_err_set(err, IB_EFORMAT, "not a directory");
	return v->ops->readdir(v->fs, n, valid_name, &l, err);
}

/*
 * The walk's state: the directories from the root down to where it is
 * (so that ".." needs nothing from the reader), and what is left of the
 * path, which a symlink's target is put in front of.
 */
struct walk {
	ib_vol_node *stack;
	size_t depth; /* stack[depth - 1] is the current directory */
	char rest[IB_MAX_PATH + 1];
	unsigned links;
};

/* Put the symlink n's target in front of what is left of the path. */
static int
follow_link(ib_vol *v, struct walk *w, const ib_vol_node *n, ib_err *err)
{
	char target[IB_MAX_LINK + 1];
	size_t tlen, rlen;

	if (++w->links > IB_MAX_SYMLINKS)
		return ib_err_set(err, IB_ELIMIT,
		    "more than %u symbolic links (a loop?)", IB_MAX_SYMLINKS);
	if (n->size == 0 || n->size > IB_MAX_LINK)
		return ib_err_set(err, IB_EFORMAT,
		    "symbolic link of %llu bytes", (unsigned long long)n->size);
	tlen = (size_t)n->size;
	if (v->ops->pread(v->fs, n, target, tlen, 0, err) == -1)
		return -1;
	if (memchr(target, '\0', tlen) != NULL)
		return ib_err_set(err, IB_EFORMAT, "symbolic link holds a NUL");
	rlen = strlen(w->rest);
	if (tlen + 1 + rlen > IB_MAX_PATH)
		return ib_err_set(err, IB_ELIMIT,
		    "path over %u bytes after a symbolic link", IB_MAX_PATH);
	memmove(w->rest + tlen + 1, w->rest, rlen + 1);
	memcpy(w->rest, target, tlen);
	w->rest[tlen] = '/';
	if (target[0] == '/')
		w->depth = 1; /* absolute: from this filesystem's root */
	return 0;
}

/* Take the next component of w->rest into comp; 0 when none is left. */
static size_t
next_component(struct walk *w, char *comp)
{
	char *p = w->rest, *end;
	size_t len;

	while (*p == '/')
		p++;
	end = strchr(p, '/');
	len = end != NULL ? (size_t)(end - p) : strlen(p);
	memcpy(comp, p, len);
	comp[len] = '\0';
	memmove(w->rest, p + len, strlen(p + len) + 1);
	return len;
}

static bool
more_left(const struct walk *w)
{
	return w->rest[strspn(w->rest, "/")] != '\0';
}

int
ib_vol_lookup(ib_vol *v, const char *path, bool follow, ib_vol_node *out,
    ib_err *err)
{
	struct walk w;
	char comp[IB_MAX_PATH + 1];
	ib_vol_node n;
	size_t len;
	int rc = 1;

	if (strlen(path) > IB_MAX_PATH)
		return ib_err_set(err, IB_ELIMIT, "path over %u bytes",
		    IB_MAX_PATH);
	memset(&w, 0, sizeof(w));
	w.stack = malloc(IB_MAX_DEPTH * sizeof(*w.stack));
	if (w.stack == NULL)
		return ib_err_errno(err, ENOMEM, "lookup");
	snprintf(w.rest, sizeof(w.rest), "%s", path);
	if (v->ops->root(v->fs, &w.stack[0], err) == -1) {
		free(w.stack);
		return -1;
	}
	w.depth = 1;
	while (rc == 1 && (len = next_component(&w, comp)) > 0) {
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (w.depth > 1)
				w.depth--;
			continue;
		}
		if (w.stack[w.depth - 1].type != IB_VOL_DIR) {
			rc = 0; /* a file used as a directory */
			break;
		}
		rc = v->ops->lookup(v->fs, &w.stack[w.depth - 1], comp, len, &n,
		    err);
		if (rc != 1)
			break;
		if (n.type == IB_VOL_LNK && (follow || more_left(&w))) {
			if (follow_link(v, &w, &n, err) == -1)
				rc = -1;
			continue;
		}
		if (w.depth == IB_MAX_DEPTH) {
			rc = ib_err_set(err, IB_ELIMIT,
			    "directories nested over %u deep", IB_MAX_DEPTH);
			break;
		}
		w.stack[w.depth++] = n;
	}
	if (rc == 1)
		*out = w.stack[w.depth - 1];
	free(w.stack);
	return rc;
}

int
ib_vol_copy_fd(ib_vol *v, const ib_vol_node *n, uint64_t max, int fd, void *buf,
    size_t bufsz, const volatile sig_atomic_t *cancel, ib_err *err)
{
	struct stat st;
	uint64_t off;
	size_t len;
	bool sparse;

	if (n->type != IB_VOL_REG)
		return ib_err_set(err, EINVAL, "not a regular file");
	/* Sparse only into a new, empty file; a pipe, or standard output
	 * that already holds something (isoboot-extract -O of several
	 * files), is written in order. */
	sparse = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size == 0 && lseek(fd, 0, SEEK_CUR) == 0;
	if (n->size > max)
		return ib_err_set(err, IB_ELIMIT,
		    "%llu bytes, more than the disk it is on (%llu): a sparse "
		    "file",
		    (unsigned long long)n->size, (unsigned long long)max);
	for (off = 0; off < n->size; off += len) {
		len = n->size - off < bufsz ? (size_t)(n->size - off) : bufsz;
		if (cancel != NULL && *cancel != 0)
			return ib_err_set(err, IB_EINTR, "interrupted");
		if (ib_vol_pread(v, n, buf, len, off, err) == -1 ||
		    (sparse ? ib_pwrite_sparse(fd, buf, len, off, err) :
		              ib_write_all(fd, buf, len, cancel, err)) == -1)
			return -1;
	}
	/* pwrite leaves the position at 0: put it after the file, as the
	 * writes in order would, for what is written to fd next. */
	if (sparse &&
	    (ftruncate(fd, (off_t)n->size) == -1 ||
	        lseek(fd, (off_t)n->size, SEEK_SET) == -1))
		return ib_err_errno(err, errno, "truncate");
	return 0;
}

int
ib_vol_read_all(ib_vol *v, const ib_vol_node *n, char **data, size_t *len,
    ib_err *err)
{
	char *buf;

	if (n->size > SIZE_MAX - 1)
		return ib_err_set(err, IB_ELIMIT, "file too large");
	/* Exactly the file's bytes (one byte for an empty file, never
	 * read), so that a parser reading past the end is caught by ASan. */
	buf = malloc(n->size > 0 ? (size_t)n->size : 1);
	if (buf == NULL)
		return ib_err_errno(err, ENOMEM, "read");
	if (ib_vol_pread(v, n, buf, (size_t)n->size, 0, err) == -1) {
		free(buf);
		return -1;
	}
	*data = buf;
	*len = (size_t)n->size;
	return 0;
}
