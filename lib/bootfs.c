/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bootfs.h"
#include "bootfs_int.h"
#include "bounds.h"
#include "compat.h"

struct ib_bootfs {
	int dirfd;           /* a tree, or -1 */
	ib_iso *iso;         /* an image, or NULL */
	ib_disk_image *disk; /* a disk image, or NULL */
	char prefix[16];     /* disk: "/pN" for one volume's view, or "" */
	char *mem_path;      /* one file served from memory */
	char *mem_data;
	size_t mem_len;
};

ib_bootfs *
ib_bootfs_open_dir(const char *dir, ib_err *err)
{
	ib_bootfs *fs;

	fs = calloc(1, sizeof(*fs));
	if (fs == NULL) {
		ib_err_errno(err, ENOMEM, "%s", dir);
		return NULL;
	}
	fs->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs->dirfd == -1) {
		ib_err_errno(err, errno, "%s", dir);
		free(fs);
		return NULL;
	}
	return fs;
}

ib_bootfs *
ib_bootfs_open_iso(ib_iso *iso, ib_err *err)
{
	ib_bootfs *fs;

	fs = calloc(1, sizeof(*fs));
	if (fs == NULL) {
		ib_err_errno(err, ENOMEM, "image files");
		return NULL;
	}
	fs->dirfd = -1;
	fs->iso = iso;
	return fs;
}

ib_bootfs *
ib_bootfs_open_disk(ib_disk_image *d, ib_err *err)
{
	ib_bootfs *fs;

	fs = calloc(1, sizeof(*fs));
	if (fs == NULL) {
		ib_err_errno(err, ENOMEM, "disk files");
		return NULL;
	}
	fs->dirfd = -1;
	fs->disk = d;
	return fs;
}

ib_bootfs *
ib_bootfs_open_volume(ib_disk_image *d, const char *name, ib_err *err)
{
	ib_bootfs *fs;

	if (ib_disk_image_lookup(d, name) == -1) {
		ib_err_set(err, IB_ENOTFOUND, "no volume %s", name);
		return NULL;
	}
	fs = ib_bootfs_open_disk(d, err);
	if (fs != NULL && name[0] != '\0')
		snprintf(fs->prefix, sizeof(fs->prefix), "/%s", name);
	return fs;
}

ib_disk_image *
ib_bootfs_disk(const ib_bootfs *fs)
{
	return fs->disk;
}

int
ib_bootfs_full_path(const ib_bootfs *fs, const char *path, char *out,
    size_t outsz, ib_err *err)
{
	char norm[IB_MAX_PATH + 1];

	/* Resolved inside the volume first: "/../p2/x" or "2/x" must not
	 * reach another partition through the prefix. */
	if (ib_bootfs_path_resolve("/", path, norm, sizeof(norm)) == -1 ||
	    (size_t)snprintf(out, outsz, "%s%s", fs->prefix,
	        fs->prefix[0] != '\0' && strcmp(norm, "/") == 0 ? "" : norm) >=
	        outsz)
		return ib_err_set(err, IB_ELIMIT, "path too long");
	return 0;
}

void
ib_bootfs_close(ib_bootfs *fs)
{
	if (fs == NULL)
		return;
	if (fs->dirfd != -1)
		close(fs->dirfd);
	free(fs->mem_path);
	free(fs->mem_data);
	free(fs);
}

/*
 * len bytes and not one more, for a file's contents: no NUL is added, so
 * a parser that reads past the end is caught by ASan, not fed a NUL.
 * malloc(0) may return NULL; then one byte, never read, stands in.
 */
static char *
alloc_exact(size_t len)
{
	char *p;

	p = malloc(len);
	if (p == NULL && len == 0)
		p = malloc(1);
	return p;
}

int
ib_bootfs_set_file(ib_bootfs *fs, const char *path, const char *data,
    size_t len, ib_err *err)
{
	free(fs->mem_path);
	free(fs->mem_data);
	fs->mem_path = strdup(path);
	fs->mem_data = alloc_exact(len);
	if (fs->mem_path == NULL || fs->mem_data == NULL)
		return ib_err_errno(err, ENOMEM, "%s", path);
	memcpy(fs->mem_data, data, len);
	fs->mem_len = len;
	return 0;
}

/* Symlinks followed in one lookup, as Linux's MAXSYMLINKS. */
#define MAX_HOPS 40

/*
 * Open path read-only under the root. A symlink in the tree (an extracted
 * image has Rock Ridge ones: d-i's pxelinux.0) is followed by rewriting
 * the path with the boot loader's rules, so that ".." and absolute targets
 * stay inside the root; the kernel never follows one (O_NOFOLLOW).
 */
static int
open_in(ib_bootfs *fs, const char *path, ib_err *err)
{
	char cur[IB_MAX_PATH + 1], next[IB_MAX_PATH + 1];
	char dir[IB_MAX_PATH + 1], target[IB_MAX_PATH + 1];
	char comp[IB_MAX_NAME + 1];
	const char *p, *slash;
	struct stat st;
	unsigned hops;
	ssize_t tl;
	size_t n;
	int fd, nfd, last;

	if (ib_bootfs_path_resolve("/", path, cur, sizeof(cur)) == -1)
		return ib_err_set(err, IB_ELIMIT, "path too long");
	hops = 0;
restart:
	fd = fcntl(fs->dirfd, F_DUPFD_CLOEXEC, 0);
	if (fd == -1)
		return ib_err_errno(err, errno, "dup");
	p = cur + 1;
	if (*p == '\0') {
		close(fd);
		return ib_err_set(err, EISDIR, "is a directory");
	}
	for (;;) {
		slash = strchr(p, '/');
		n = slash != NULL ? (size_t)(slash - p) : strlen(p);
		last = slash == NULL;
		if (n > IB_MAX_NAME) {
			close(fd);
			return ib_err_set(err, IB_ELIMIT, "name too long");
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		nfd = openat(fd, comp,
		    (last ? O_RDONLY : O_RDONLY | O_DIRECTORY) | O_NOFOLLOW |
		        O_CLOEXEC);
		if (nfd == -1 &&
		    fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode)) {
			tl = readlinkat(fd, comp, target, sizeof(target) - 1);
			close(fd);
			if (tl < 0 || ++hops > MAX_HOPS)
				return ib_err_set(err, ELOOP,
				    "too many symlinks");
			target[tl] = '\0';
			/* dir = the symlink's directory */
			snprintf(dir, sizeof(dir), "%.*s",
			    (int)(p - cur > 1 ? p - cur - 1 : 1), cur);
			if (ib_bootfs_path_resolve(dir, target, next,
			        sizeof(next)) == -1)
				return ib_err_set(err, IB_ELIMIT,
				    "path too long");
			/* the target, then the rest of the path after it */
			n = (size_t)snprintf(target, sizeof(target), "%s%s",
			    next, last ? "" : slash);
			if (n >= sizeof(target) ||
			    ib_bootfs_path_resolve("/", target, cur,
			        sizeof(cur)) == -1)
				return ib_err_set(err, IB_ELIMIT,
				    "path too long");
			goto restart;
		}
		close(fd);
		if (nfd == -1)
			return errno == ENOENT ?
			    ib_err_set(err, IB_ENOTFOUND, "not found") :
			    ib_err_errno(err, errno, "open");
		if (last)
			return nfd;
		fd = nfd;
		p = slash + 1;
	}
}

/* Looking a path up in an image: only the directories on its way are
 * read. */
struct lookup {
	ib_iso *iso;
	const char *target; /* without the leading '/' */
	size_t tlen;
	bool icase; /* plain ECMA-119 names: ISOLINUX ignores case */
	bool found;
	bool read;
	size_t head;    /* nonzero: read at most this much, any file size */
	uint64_t fsize; /* the member's size */
	char *data;
	size_t len;
	ib_err rerr;
	int rc;
};

static int
name_eq(const struct lookup *l, const char *a, const char *b, size_t n)
{
	return l->icase ? strncasecmp(a, b, n) == 0 : strncmp(a, b, n) == 0;
}

static int
read_member(struct lookup *l, const ib_entry *e)
{
	ssize_t n;
	int fd;

	size_t want;

	if (e->type != IB_FT_REG)
		return ib_err_set(&l->rerr, EINVAL, "not a regular file");
	if (l->head == 0 && e->size > IB_MAX_CONFIG)
		return ib_err_set(&l->rerr, IB_ELIMIT,
		    "larger than %u bytes: not a boot config", IB_MAX_CONFIG);
	l->fsize = e->size;
	want = l->head != 0 && e->size > l->head ? l->head : (size_t)e->size;
	fd = ib_tmpfile("cfg", &l->rerr);
	if (fd == -1)
		return -1;
	l->data = alloc_exact(want);
	if (l->data == NULL) {
		close(fd);
		return ib_err_errno(&l->rerr, ENOMEM, "read");
	}
	/* The whole member (it may be zisofs-compressed), then its start. */
	if (ib_iso_copy(l->iso, e, fd, false, NULL, &l->rerr) == -1) {
		close(fd);
		return -1;
	}
	n = pread(fd, l->data, want, 0);
	close(fd);
	if (n != (ssize_t)want)
		return ib_err_set(&l->rerr, EIO, "short read");
	l->len = want;
	return 0;
}

/*
 * The member at the target, or a directory on its way, is there but
 * cannot be read (its data lies past the end of a partial download, say):
 * the lookup fails with that problem. Passing over it would turn a read
 * error into "not found", and the finders would go on to another config.
 */
static int
broken(struct lookup *l, const ib_entry *e, bool on_way)
{
	char q[IB_MAX_PATH + 1];

	l->found = true;
	if (!on_way)
		return ib_err_set(&l->rerr, IB_EFORMAT, "%s", e->problem);
	ib_quote(q, sizeof(q), e->path, strlen(e->path));
	return ib_err_set(&l->rerr, IB_EFORMAT, "%s: %s", q, e->problem);
}

static int
lookup_visit(void *ctx, const ib_entry *e, ib_err *err)
{
	struct lookup *l;
	size_t n;
	bool on_way;

	(void)err;
	l = ctx;
	if (l->found)
		return IB_WALK_SKIP;
	n = strlen(e->path);
	if (e->type == IB_FT_DIR) {
		on_way = n < l->tlen && l->target[n] == '/' &&
		    name_eq(l, e->path, l->target, n);
		if (on_way && e->problem != NULL)
			l->rc = broken(l, e, true);
		return on_way && e->problem == NULL ? 0 : IB_WALK_SKIP;
	}
	if (n == l->tlen && name_eq(l, e->path, l->target, n)) {
		l->found = true;
		if (e->problem != NULL)
			l->rc = broken(l, e, false);
		else if (l->read)
			l->rc = read_member(l, e);
	}
	return 0;
}

/* open_in() for a regular file, with its status in *st. */
static int
open_regular(ib_bootfs *fs, const char *path, struct stat *st, ib_err *err)
{
	int fd;

	fd = open_in(fs, path, err);
	if (fd == -1)
		return -1;
	if (fstat(fd, st) == -1 || !S_ISREG(st->st_mode)) {
		close(fd);
		return ib_err_set(err, EINVAL, "not a regular file");
	}
	return fd;
}

/* Find path in the image; with rd, read it (at most head bytes when head
 * is nonzero) into a buffer the caller frees. */
static int
iso_lookup_head(ib_bootfs *fs, const char *path, bool rd, size_t head,
    char **data, size_t *len, uint64_t *fsize, ib_err *err)
{
	char norm[IB_MAX_PATH + 1];
	struct lookup l;

	if (ib_bootfs_path_resolve("/", path, norm, sizeof(norm)) == -1)
		return ib_err_set(err, IB_ELIMIT, "path too long");
	memset(&l, 0, sizeof(l));
	l.iso = fs->iso;
	l.target = norm + 1;
	l.tlen = strlen(l.target);
	l.icase = ib_iso_layer(fs->iso) == IB_LAYER_ISO9660;
	l.read = rd;
	l.head = head;
	if (ib_iso_walk(fs->iso, lookup_visit, &l, err) == -1) {
		free(l.data);
		return -1;
	}
	if (!l.found)
		return ib_err_set(err, IB_ENOTFOUND, "not found");
	if (l.rc == -1) {
		free(l.data);
		*err = l.rerr;
		return -1;
	}
	if (rd) {
		*data = l.data;
		*len = l.len;
	}
	if (fsize != NULL)
		*fsize = l.fsize;
	return 0;
}

static int
iso_lookup(ib_bootfs *fs, const char *path, bool rd, char **data, size_t *len,
    ib_err *err)
{
	return iso_lookup_head(fs, path, rd, 0, data, len, NULL, err);
}

int
ib_bootfs_read_head(ib_bootfs *fs, const char *path, size_t max,
    unsigned char *buf, size_t *got, uint64_t *fsize, ib_err *err)
{
	struct stat st;
	ssize_t n;
	size_t len;
	char *data;
	int fd;

	if (fs->disk != NULL)
		return ib_bootfs_disk_read_head(fs, path, max, buf, got, fsize,
		    err);
	if (fs->iso != NULL) {
		if (iso_lookup_head(fs, path, true, max, &data, &len, fsize,
		        err) == -1)
			return -1;
		memcpy(buf, data, len);
		free(data);
		*got = len;
		return 0;
	}
	fd = open_regular(fs, path, &st, err);
	if (fd == -1)
		return -1;
	*fsize = (uint64_t)st.st_size;
	n = pread(fd, buf, max, 0);
	close(fd);
	if (n < 0)
		return ib_err_errno(err, errno, "read");
	*got = (size_t)n;
	return 0;
}

int
ib_bootfs_read(ib_bootfs *fs, const char *path, char **data, size_t *len,
    ib_err *err)
{
	struct stat st;
	ssize_t n;
	size_t got;
	char *buf, *tmp;
	int fd;

	if (fs->mem_path != NULL && strcmp(path, fs->mem_path) == 0) {
		buf = alloc_exact(fs->mem_len);
		if (buf == NULL)
			return ib_err_errno(err, ENOMEM, "%s", path);
		memcpy(buf, fs->mem_data, fs->mem_len);
		*data = buf;
		*len = fs->mem_len;
		return 0;
	}
	if (fs->disk != NULL)
		return ib_bootfs_disk_read(fs, path, data, len, err);
	if (fs->iso != NULL)
		return iso_lookup(fs, path, true, data, len, err);
	fd = open_regular(fs, path, &st, err);
	if (fd == -1)
		return -1;
	if ((uint64_t)st.st_size > IB_MAX_CONFIG) {
		close(fd);
		return ib_err_set(err, IB_ELIMIT,
		    "larger than %u bytes: not a boot config", IB_MAX_CONFIG);
	}
	buf = alloc_exact((size_t)st.st_size);
	if (buf == NULL) {
		close(fd);
		return ib_err_errno(err, ENOMEM, "read");
	}
	got = 0;
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	/* The file shrank while it was read: keep the buffer exact. */
	if (got < (size_t)st.st_size) {
		tmp = alloc_exact(got);
		if (tmp != NULL) {
			memcpy(tmp, buf, got);
			free(buf);
			buf = tmp;
		}
	}
	*data = buf;
	*len = got;
	return 0;
}

int
ib_bootfs_lookup(ib_bootfs *fs, const char *path, ib_err *err)
{
	struct stat st;
	ib_err e;
	int fd, ok;

	if (fs->mem_path != NULL && strcmp(path, fs->mem_path) == 0)
		return 1;
	if (fs->disk != NULL)
		return ib_bootfs_disk_lookup(fs, path, err);
	ib_err_clear(&e);
	if (fs->iso != NULL) {
		if (iso_lookup(fs, path, false, NULL, NULL, &e) == 0)
			return 1;
		if (e.code == IB_ENOTFOUND)
			return 0;
		*err = e;
		return -1;
	}
	fd = open_in(fs, path, &e);
	if (fd == -1) {
		/* Missing, or a file where a directory should be. */
		if (e.code == IB_ENOTFOUND || e.code == ENOTDIR ||
		    e.code == EISDIR)
			return 0;
		*err = e;
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		ib_err_errno(err, errno, "fstat");
		close(fd);
		return -1;
	}
	ok = S_ISREG(st.st_mode);
	close(fd);
	return ok;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The subdirectory names of dir fd, sorted; *n of them. */
static char **
subdirs(int fd, size_t *n)
{
	struct dirent *de;
	struct stat st;
	char **v, **t;
	DIR *d;
	int dfd;

	*n = 0;
	v = NULL;
	dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dfd == -1)
		return NULL;
	d = fdopendir(dfd);
	if (d == NULL) {
		close(dfd);
		return NULL;
	}
	/* The duplicate shares the offset of fd's earlier listings. */
	rewinddir(d);
	while ((de = readdir(d)) != NULL && *n < 4096) {
		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == '\0' ||
		        (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISDIR(st.st_mode))
			continue;
		t = realloc(v, (*n + 1) * sizeof(*v));
		if (t == NULL)
			break;
		v = t;
		v[*n] = strdup(de->d_name);
		if (v[*n] == NULL)
			break;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_names);
	return v;
}

/* Files at exactly depth below fd (path is fd's image path). */
static int
search_at(int fd, const char *path, const char *const *names, size_t n,
    unsigned depth, char *out, size_t outsz)
{
	struct stat st;
	char **dirs, sub[IB_MAX_PATH + 1];
	size_t nd, i;
	int found, cfd;

	if (depth == 0) {
		for (i = 0; i < n; i++) {
			if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) ==
			        0 &&
			    S_ISREG(st.st_mode)) {
				snprintf(out, outsz, "%s/%s",
				    strcmp(path, "/") == 0 ? "" : path,
				    names[i]);
				return 1;
			}
		}
		return 0;
	}
	dirs = subdirs(fd, &nd);
	found = 0;
	for (i = 0; i < nd; i++) {
		if (!found) {
			snprintf(sub, sizeof(sub), "%s/%s",
			    strcmp(path, "/") == 0 ? "" : path, dirs[i]);
			cfd = openat(fd, dirs[i],
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd != -1) {
				found = search_at(cfd, sub, names, n, depth - 1,
				    out, outsz);
				close(cfd);
			}
		}
		free(dirs[i]);
	}
	free(dirs);
	return found;
}

struct isearch {
	const char *const *names;
	size_t n;
	unsigned maxdepth;
	bool icase;
	unsigned best_depth;
	size_t best_name;
	char best[IB_MAX_PATH + 1];
	ib_err best_err;       /* code 0: the best match can be read */
	unsigned hidden_depth; /* 0, or where a broken directory's members
	                        * would have been */
	ib_err hidden;         /* that directory and its problem */
};

/* A directory within reach that cannot be read: what it holds might
 * have been the match. The shallowest is kept. */
static void
note_hidden(struct isearch *s, const ib_entry *e)
{
	char q[IB_MAX_PATH + 1];

	if (e->depth > s->maxdepth ||
	    (s->hidden_depth != 0 && s->hidden_depth <= e->depth + 1))
		return;
	ib_quote(q, sizeof(q), e->path, strlen(e->path));
	ib_err_set(&s->hidden, IB_EFORMAT, "%s: %s", q, e->problem);
	s->hidden_depth = e->depth + 1;
}

static int
search_visit(void *ctx, const ib_entry *e, ib_err *err)
{
	struct isearch *s;
	char q[IB_MAX_PATH + 1];
	const char *base;
	size_t i, dl, nlen, plen;
	int better;

	(void)err;
	s = ctx;
	if (e->type == IB_FT_DIR) {
		if (e->problem != NULL) {
			note_hidden(s, e);
			return IB_WALK_SKIP;
		}
		return e->depth <= s->maxdepth ? 0 : IB_WALK_SKIP;
	}
	if (e->type != IB_FT_REG)
		return 0;
	plen = strlen(e->path);
	for (i = 0; i < s->n; i++) {
		/* A name may have directories: "EFI/BOOT/syslinux.cfg"
		 * matches the end of a path, at a '/'. */
		nlen = strlen(s->names[i]);
		if (nlen > plen ||
		    (nlen < plen && e->path[plen - nlen - 1] != '/'))
			continue;
		base = e->path + plen - nlen;
		if (!(s->icase ? strcasecmp(base, s->names[i]) == 0 :
		                 strcmp(base, s->names[i]) == 0))
			continue;
		dl = (size_t)(base - e->path);
		/* shallowest, then directory byte order, then name order */
		better = s->best[0] == '\0' || e->depth < s->best_depth;
		if (!better && e->depth == s->best_depth) {
			int c = strncmp(e->path, s->best + 1, dl);
			better = c < 0 || (c == 0 && i < s->best_name);
		}
		if (better) {
			snprintf(s->best, sizeof(s->best), "/%s", e->path);
			s->best_depth = e->depth;
			s->best_name = i;
			ib_err_clear(&s->best_err);
			if (e->problem != NULL) {
				ib_quote(q, sizeof(q), e->path, plen);
				ib_err_set(&s->best_err, IB_EFORMAT, "%s: %s",
				    q, e->problem);
			}
		}
	}
	return 0;
}

/* Search the image; see ib_bootfs_search(). */
static int
iso_search(ib_bootfs *fs, const char *const *names, size_t n, unsigned maxdepth,
    char *out, size_t outsz, ib_err *err)
{
	struct isearch *is;
	int rc;

	is = calloc(1, sizeof(*is));
	if (is == NULL)
		return ib_err_errno(err, ENOMEM, "search");
	is->names = names;
	is->n = n;
	is->maxdepth = maxdepth;
	is->icase = ib_iso_layer(fs->iso) == IB_LAYER_ISO9660;
	rc = -1;
	if (ib_iso_walk(fs->iso, search_visit, is, err) == -1)
		goto out;
	/* A broken directory may hold what would have been found. */
	if (is->hidden_depth != 0 &&
	    (is->best[0] == '\0' || is->best_depth >= is->hidden_depth)) {
		*err = is->hidden;
		goto out;
	}
	if (is->best[0] == '\0') {
		rc = 0;
		goto out;
	}
	if (is->best_err.code != 0) {
		*err = is->best_err;
		goto out;
	}
	snprintf(out, outsz, "%s", is->best);
	rc = 1;
out:
	free(is);
	return rc;
}

int
ib_bootfs_search(ib_bootfs *fs, const char *const *names, size_t n,
    unsigned maxdepth, char *out, size_t outsz, ib_err *err)
{
	unsigned d;

	if (fs->iso != NULL)
		return iso_search(fs, names, n, maxdepth, out, outsz, err);
	if (fs->dirfd == -1)
		return 0;

	for (d = 0; d <= maxdepth; d++)
		if (search_at(fs->dirfd, "/", names, n, d, out, outsz))
			return 1;
	return 0;
}

/* The tree directory dir: "." ".." left out, symlinks classified by
 * what they reach inside the root. */
static int
tree_list(ib_bootfs *fs, const char *dir, ib_bootfs_list_fn fn, void *ctx,
    ib_err *err)
{
	char sub[IB_MAX_PATH + 1], lpath[IB_MAX_PATH + 1];
	struct dirent *de;
	struct stat st;
	ib_err e;
	DIR *d;
	int fd, lfd, rc, n;
	bool is_dir;

	if (ib_bootfs_path_resolve("/", dir, sub, sizeof(sub)) == -1)
		return ib_err_set(err, IB_ELIMIT, "path too long");
	if (strcmp(sub, "/") == 0)
		fd = fcntl(fs->dirfd, F_DUPFD_CLOEXEC, 0);
	else
		fd = open_in(fs, sub, err);
	if (fd == -1)
		return strcmp(sub, "/") == 0 ? ib_err_errno(err, errno, "dup") :
		                               -1;
	if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode)) {
		close(fd);
		return ib_err_set(err, ENOTDIR, "not a directory");
	}
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return ib_err_errno(err, errno, "opendir");
	}
	/* A duplicate of the root shares the offset of earlier listings. */
	rewinddir(d);
	rc = 0;
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == '\0' ||
		        (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		    -1)
			continue;
		if (S_ISLNK(st.st_mode)) {
			/* Followed with the loader's rules, as a read would. */
			n = snprintf(lpath, sizeof(lpath), "%s/%s",
			    strcmp(sub, "/") == 0 ? "" : sub, de->d_name);
			if (n < 0 || (size_t)n >= sizeof(lpath))
				continue;
			ib_err_clear(&e);
			lfd = open_in(fs, lpath, &e);
			if (lfd == -1)
				continue;
			if (fstat(lfd, &st) == -1)
				st.st_mode = 0;
			close(lfd);
		}
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			continue;
		is_dir = S_ISDIR(st.st_mode);
		rc = fn(ctx, de->d_name, is_dir, err);
	}
	if (rc == 0 && errno != 0)
		rc = ib_err_errno(err, errno, "readdir");
	closedir(d);
	return rc == -1 ? -1 : 0;
}

/* Listing an image directory: the walk descends only on the way. */
struct ilist {
	const char *target; /* without the leading '/'; "" for the root */
	size_t tlen;
	bool icase;
	bool found;   /* the directory itself was seen (or is the root) */
	bool notdir;  /* the target is a file */
	bool stopped; /* fn said stop, or failed */
	int rc;
	ib_bootfs_list_fn fn;
	void *ctx;
	ib_err ferr; /* fn's error, or the broken directory */
};

static int
ilist_eq(const struct ilist *l, const char *a, const char *b, size_t n)
{
	return l->icase ? strncasecmp(a, b, n) == 0 : strncmp(a, b, n) == 0;
}

static int
list_visit(void *ctx, const ib_entry *e, ib_err *err)
{
	struct ilist *l;
	char q[IB_MAX_PATH + 1];
	size_t n, plen;
	bool inside;

	(void)err;
	l = ctx;
	if (l->stopped)
		return IB_WALK_SKIP;
	n = strlen(e->path);
	plen = (size_t)(e->name - e->path);
	/* A member of the target: its parent path is the target. */
	inside = l->tlen == 0 ?
	    plen == 0 :
	    plen == l->tlen + 1 && e->path[l->tlen] == '/' &&
	        ilist_eq(l, e->path, l->target, l->tlen);
	if (inside) {
		/* A broken member is listed by name: reading it fails. */
		if (e->type != IB_FT_REG && e->type != IB_FT_DIR)
			return 0;
		if (l->fn(l->ctx, e->name, e->type == IB_FT_DIR, &l->ferr) !=
		    0) {
			l->stopped = true;
			l->rc = l->ferr.code != 0 ? -1 : 0;
		}
		return e->type == IB_FT_DIR ? IB_WALK_SKIP : 0;
	}
	if (n == l->tlen && ilist_eq(l, e->path, l->target, n)) {
		if (e->type != IB_FT_DIR) {
			l->notdir = true;
			return 0;
		}
		l->found = true;
		if (e->problem != NULL) {
			ib_quote(q, sizeof(q), e->path, n);
			ib_err_set(&l->ferr, IB_EFORMAT, "%s: %s", q,
			    e->problem);
			l->stopped = true;
			l->rc = -1;
			return IB_WALK_SKIP;
		}
		return 0;
	}
	/* A directory on the way down: the target starts with it. */
	if (e->type == IB_FT_DIR && n < l->tlen && l->target[n] == '/' &&
	    ilist_eq(l, e->path, l->target, n)) {
		if (e->problem == NULL)
			return 0;
		ib_quote(q, sizeof(q), e->path, n);
		ib_err_set(&l->ferr, IB_EFORMAT, "%s: %s", q, e->problem);
		l->stopped = true;
		l->rc = -1;
	}
	return IB_WALK_SKIP;
}

static int
iso_list(ib_bootfs *fs, const char *dir, ib_bootfs_list_fn fn, void *ctx,
    ib_err *err)
{
	char norm[IB_MAX_PATH + 1];
	struct ilist l;

	if (ib_bootfs_path_resolve("/", dir, norm, sizeof(norm)) == -1)
		return ib_err_set(err, IB_ELIMIT, "path too long");
	memset(&l, 0, sizeof(l));
	l.target = norm + 1;
	l.tlen = strlen(l.target);
	l.icase = ib_iso_layer(fs->iso) == IB_LAYER_ISO9660;
	l.found = l.tlen == 0;
	l.fn = fn;
	l.ctx = ctx;
	ib_err_clear(&l.ferr);
	if (ib_iso_walk(fs->iso, list_visit, &l, err) == -1)
		return -1;
	if (l.rc == -1) {
		*err = l.ferr;
		return -1;
	}
	if (l.stopped || l.found)
		return 0;
	if (l.notdir)
		return ib_err_set(err, ENOTDIR, "not a directory");
	return ib_err_set(err, IB_ENOTFOUND, "not found");
}

/* The one place that picks the back end of a listing. */
int
ib_bootfs_list(ib_bootfs *fs, const char *dir, ib_bootfs_list_fn fn, void *ctx,
    ib_err *err)
{
	if (fs->disk != NULL)
		return ib_bootfs_disk_list(fs, dir, fn, ctx, err);
	if (fs->iso != NULL)
		return iso_list(fs, dir, fn, ctx, err);
	if (fs->dirfd != -1)
		return tree_list(fs, dir, fn, ctx, err);
	return ib_err_set(err, IB_ENOTFOUND, "not found");
}

/* A listing's callback that stops at once: whether a directory is
 * there is all that is asked. */
static int
stop_listing(void *ctx, const char *name, bool is_dir, ib_err *err)
{
	(void)ctx;
	(void)name;
	(void)is_dir;
	(void)err;
	return 1;
}

int
ib_bootfs_is_dir(ib_bootfs *fs, const char *path, ib_err *err)
{
	if (ib_bootfs_list(fs, path, stop_listing, NULL, err) == 0)
		return 1;
	if (err->code == IB_ENOTFOUND || err->code == ENOTDIR) {
		ib_err_clear(err);
		return 0;
	}
	return -1;
}

int
ib_bootfs_path_resolve(const char *cwd, const char *name, char *out,
    size_t outsz)
{
	const char *p, *s;
	size_t o, n;

	if (outsz < 2)
		return -1;
	out[0] = '/';
	o = 1;
	/* Start from cwd unless name is absolute, then walk name. */
	for (int pass = name[0] == '/' ? 1 : 0; pass < 2; pass++) {
		p = pass == 0 ? cwd : name;
		for (;;) {
			while (*p == '/')
				p++;
			if (*p == '\0')
				break;
			s = strchr(p, '/');
			n = s != NULL ? (size_t)(s - p) : strlen(p);
			if (n == 1 && p[0] == '.') {
				/* skipped */
			} else if (n == 2 && p[0] == '.' && p[1] == '.') {
				/* up; ignored at the root */
				while (o > 1 && out[o - 1] != '/')
					o--;
				if (o > 1)
					o--;
			} else {
				if (o > 1) {
					if (o + 1 >= outsz)
						return -1;
					out[o++] = '/';
				}
				if (o + n >= outsz)
					return -1;
				memcpy(out + o, p, n);
				o += n;
			}
			p += n;
		}
	}
	out[o] = '\0';
	return 0;
}
