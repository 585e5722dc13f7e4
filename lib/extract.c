/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "compat.h"
#include "extract.h"
#include "path.h"
#include "place.h"

/* A small string map: hard-link sources by extent, flat names. */
struct node {
	struct node *next;
	char *key;
	char *val;
};

struct map {
	struct node **tab;
	size_t cap, n;
};

struct dirfix {
	char *path;
	uint32_t mode;
	int64_t atime, mtime;
	long atime_nsec, mtime_nsec;
};

/* A regular file whose data is read later, in image order (streams). */
struct job {
	char *path;  /* destination path */
	char *ipath; /* path in the image, for messages */
	ib_entry e;  /* its pointers are not used but for extents */
	ib_extent *ext;
	size_t seq;
};

struct ib_extract {
	ib_iso *iso; /* NULL: src copies the bytes */
	ib_extract_src src;
	int dirfd;
	ib_extract_opts o;
	unsigned seq;
	struct map links; /* "lsn:size" -> destination path */
	struct map flat;  /* basename -> image path */
	struct dirfix *dirs;
	size_t ndirs, dircap;
	struct job *jobs;
	size_t njobs, jobcap;
	int shared_fd; /* to_fd from a stream: bytes of shared extents */
	uint64_t shared_len;
	/* The last parent directory opened: the files of a directory come
	 * one after the other, so it is opened once for all of them. */
	char *pdir;
	size_t pdirlen;
	int pfd;
};

static size_t
hash(const char *s)
{
	size_t h;

	h = 5381;
	while (*s != '\0')
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static const char *
map_get(const struct map *m, const char *key)
{
	struct node *n;

	if (m->cap == 0)
		return NULL;
	for (n = m->tab[hash(key) & (m->cap - 1)]; n != NULL; n = n->next)
		if (strcmp(n->key, key) == 0)
			return n->val;
	return NULL;
}

static int
map_put(struct map *m, const char *key, const char *val, ib_err *err)
{
	struct node **tab, *n, *next;
	size_t cap, i, h;

	if (m->n >= IB_MAX_ENTRIES)
		return ib_err_set(err, IB_ELIMIT, "too many links");
	if (m->n + 1 > m->cap) {
		cap = m->cap ? m->cap * 2 : 256;
		tab = calloc(cap, sizeof(*tab));
		if (tab == NULL)
			return ib_err_errno(err, ENOMEM, "link map");
		for (i = 0; i < m->cap; i++)
			for (n = m->tab[i]; n != NULL; n = next) {
				next = n->next;
				h = hash(n->key) & (cap - 1);
				n->next = tab[h];
				tab[h] = n;
			}
		free(m->tab);
		m->tab = tab;
		m->cap = cap;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return ib_err_errno(err, ENOMEM, "link map");
	n->key = strdup(key);
	n->val = strdup(val);
	if (n->key == NULL || n->val == NULL) {
		free(n->key);
		free(n->val);
		free(n);
		return ib_err_errno(err, ENOMEM, "link map");
	}
	h = hash(key) & (m->cap - 1);
	n->next = m->tab[h];
	m->tab[h] = n;
	m->n++;
	return 0;
}

static void
map_release(struct map *m)
{
	struct node *n, *next;
	size_t i;

	for (i = 0; i < m->cap; i++)
		for (n = m->tab[i]; n != NULL; n = next) {
			next = n->next;
			free(n->key);
			free(n->val);
			free(n);
		}
	free(m->tab);
}

ib_extract *
ib_extract_new(ib_iso *iso, int dirfd, const ib_extract_opts *o, ib_err *err)
{
	ib_extract *x;

	x = calloc(1, sizeof(*x));
	if (x == NULL) {
		ib_err_errno(err, ENOMEM, "extract");
		return NULL;
	}
	x->iso = iso;
	x->dirfd = dirfd;
	x->o = *o;
	x->shared_fd = -1;
	x->pfd = -1;
	return x;
}

ib_extract *
ib_extract_new_src(const ib_extract_src *src, int dirfd,
    const ib_extract_opts *o, ib_err *err)
{
	ib_extract *x;

	if (src == NULL || src->copy == NULL) {
		ib_err_set(err, EINVAL, "extract: no source");
		return NULL;
	}
	x = ib_extract_new(NULL, dirfd, o, err);
	if (x != NULL)
		x->src = *src;
	return x;
}

/* Whether regular files wait for ib_extract_finish(): an ISO read
 * forward only. */
static bool
is_stream(const ib_extract *x)
{
	return x->iso != NULL && ib_iso_is_stream(x->iso);
}

/* All of regular file e's bytes to fd, from the image or the source. */
static int
copy_data(ib_extract *x, const ib_entry *e, int fd, ib_err *err)
{
	if (x->iso == NULL)
		return x->src.copy(x->src.ctx, e, fd, x->o.cancel, err);
	return ib_iso_copy(x->iso, e, fd, x->o.raw, x->o.cancel, err);
}

void
ib_extract_free(ib_extract *x)
{
	size_t i;

	if (x == NULL)
		return;
	map_release(&x->links);
	map_release(&x->flat);
	for (i = 0; i < x->ndirs; i++)
		free(x->dirs[i].path);
	free(x->dirs);
	for (i = 0; i < x->njobs; i++) {
		free(x->jobs[i].path);
		free(x->jobs[i].ipath);
		free(x->jobs[i].ext);
	}
	free(x->jobs);
	if (x->shared_fd != -1)
		close(x->shared_fd);
	if (x->pfd != -1)
		close(x->pfd);
	free(x->pdir);
	free(x);
}

static void
to_timespec(struct timespec ts[2], int64_t atime, long ansec, int64_t mtime,
    long mnsec)
{
	ts[0].tv_sec = (time_t)atime;
	ts[0].tv_nsec = ansec;
	ts[1].tv_sec = (time_t)mtime;
	ts[1].tv_nsec = mnsec;
}

/* A fresh name in the destination's directory for a file being built. */
static void
temp_name(ib_extract *x, char *buf, size_t size)
{
	snprintf(buf, size, ".ib%ld.%u.tmp", (long)getpid(), x->seq++);
}

/* Put the finished temporary in place: renamed, or never replacing an
 * existing file when keeping (-k). */
static int
commit(ib_extract *x, int pfd, const char *tmp, const char *base, ib_err *err)
{
	if (ib_place(pfd, tmp, base, !x->o.keep, err) == 0)
		return 0;
	if (err->code == EEXIST)
		ib_err_set(err, EEXIST, "exists, kept (-k)");
	return -1;
}

/*
 * The directory that will hold path (checked), made as needed, and its
 * last component in *base. The fd is the extract's (do not close): the
 * same as for the previous path when its directory is the same.
 */
static int
parent_fd(ib_extract *x, const char *path, const char **base, ib_err *err)
{
	const char *slash;
	size_t n;
	char *dir;
	int fd;

	slash = strrchr(path, '/');
	n = slash != NULL ? (size_t)(slash - path) : 0;
	if (x->pfd != -1 && n == x->pdirlen && memcmp(path, x->pdir, n) == 0) {
		*base = slash != NULL ? slash + 1 : path;
		return x->pfd;
	}
	dir = malloc(n + 1);
	if (dir == NULL)
		return ib_err_errno(err, ENOMEM, "directory");
	memcpy(dir, path, n);
	dir[n] = '\0';
	fd = ib_path_open_parent(x->dirfd, path, true, base, err);
	if (fd == -1) {
		free(dir);
		return -1;
	}
	if (x->pfd != -1)
		close(x->pfd);
	free(x->pdir);
	x->pfd = fd;
	x->pdir = dir;
	x->pdirlen = n;
	return fd;
}

/* The mode (and times) of file fd, once its bytes are written. */
static int
finish_file(ib_extract *x, int fd, const ib_entry *e, ib_err *err)
{
	struct timespec ts[2];

	if (fchmod(fd, (mode_t)(e->mode & 0777)) == -1)
		return ib_err_errno(err, errno, "chmod");
	if (x->o.preserve_times) {
		to_timespec(ts, e->atime, e->atime_nsec, e->mtime,
		    e->mtime_nsec);
		if (futimens(fd, ts) == -1)
			return ib_err_errno(err, errno, "set times");
	}
	return 0;
}

/* A fresh temporary in pfd for a file's bytes; its name goes to tmp. */
static int
create_file(ib_extract *x, int pfd, char *tmp, size_t size, ib_err *err)
{
	int fd, tries;

	for (tries = 0;; tries++) {
		temp_name(x, tmp, size);
		fd = openat(pfd, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd != -1)
			return fd;
		if (errno != EEXIST || tries > 100)
			return ib_err_errno(err, errno, "create");
	}
}

static int
write_file(ib_extract *x, int pfd, const char *base, const ib_entry *e,
    ib_err *err)
{
	char tmp[64];
	int fd, rc;

	fd = create_file(x, pfd, tmp, sizeof(tmp), err);
	if (fd == -1)
		return -1;
	if (x->o.progress != NULL)
		x->o.progress(x->o.progress_ctx, e->path, pfd, tmp, e->size);
	rc = copy_data(x, e, fd, err);
	if (x->o.progress != NULL)
		x->o.progress(x->o.progress_ctx, e->path, pfd, NULL,
		    rc == 0 ? e->size : 0);
	if (rc == 0)
		rc = finish_file(x, fd, e, err);
	if (rc == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		ib_err_errno(err, errno, "close");
		goto fail;
	}
	return commit(x, pfd, tmp, base, err);
fail:
	if (fd != -1)
		close(fd);
	unlinkat(pfd, tmp, 0);
	return -1;
}

/* A second member with the same extent: a hard link to the first. */
static int
write_link(ib_extract *x, int pfd, const char *base, const char *first,
    ib_err *err)
{
	const char *fbase;
	char tmp[64];
	int ffd, rc;

	ffd = ib_path_open_parent(x->dirfd, first, false, &fbase, err);
	if (ffd == -1)
		return -1;
	temp_name(x, tmp, sizeof(tmp));
	rc = linkat(ffd, fbase, pfd, tmp, 0);
	close(ffd);
	if (rc == -1)
		return ib_err_errno(err, errno, "hard link to '%s'", first);
	return commit(x, pfd, tmp, base, err);
}

static int
write_special(ib_extract *x, int pfd, const char *base, const ib_entry *e,
    ib_err *err)
{
	struct timespec ts[2];
	char tmp[64];
	mode_t mode;
	dev_t dev;
	int rc;

	temp_name(x, tmp, sizeof(tmp));
	mode = (mode_t)(e->mode & 0777);
	switch (e->type) {
	case IB_FT_LNK:
		rc = symlinkat(e->link != NULL ? e->link : "", pfd, tmp);
		break;
	case IB_FT_FIFO:
		rc = mkfifoat(pfd, tmp, mode);
		break;
	case IB_FT_CHR:
	case IB_FT_BLK:
		/* RRIP 4.1.2 PN; Linux: a 0 high word holds a whole dev_t. */
		dev = e->dev_hi != 0 ? ib_makedev(e->dev_hi, e->dev_lo) :
		                       (dev_t)e->dev_lo;
		rc = mknodat(pfd, tmp,
		    mode | (e->type == IB_FT_CHR ? S_IFCHR : S_IFBLK), dev);
		break;
	default:
		return ib_err_set(err, IB_EUNSUPPORTED, "cannot create a %s",
		    ib_iso_ftype_name(e->type));
	}
	if (rc == -1)
		return ib_err_errno(err, errno, "create %s",
		    ib_iso_ftype_name(e->type));
	if (x->o.preserve_times) {
		to_timespec(ts, e->atime, e->atime_nsec, e->mtime,
		    e->mtime_nsec);
		if (utimensat(pfd, tmp, ts, AT_SYMLINK_NOFOLLOW) == -1) {
			unlinkat(pfd, tmp, 0);
			return ib_err_errno(err, errno, "set times");
		}
	}
	return commit(x, pfd, tmp, base, err);
}

static int
make_dir(ib_extract *x, int pfd, const char *base, const char *path,
    const ib_entry *e, ib_err *err)
{
	struct dirfix *n;
	struct stat st;
	size_t cap;

	if (mkdirat(pfd, base, 0700) == -1) {
		if (errno != EEXIST)
			return ib_err_errno(err, errno, "mkdir");
		if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == -1)
			return ib_err_errno(err, errno, "stat");
		if (!S_ISDIR(st.st_mode))
			return ib_err_set(err, EEXIST,
			    "exists and is not a directory");
	}
	/* Modes like 0555 would stop us filling the directory: set them
	 * at the end, deepest first. */
	if (x->ndirs == x->dircap) {
		if (x->ndirs >= IB_MAX_DIRS)
			return ib_err_set(err, IB_ELIMIT,
			    "too many directories");
		cap = x->dircap ? x->dircap * 2 : 64;
		n = ib_reallocarray(x->dirs, cap, sizeof(*n));
		if (n == NULL)
			return ib_err_errno(err, ENOMEM, "directory list");
		x->dirs = n;
		x->dircap = cap;
	}
	n = &x->dirs[x->ndirs];
	n->path = strdup(path);
	if (n->path == NULL)
		return ib_err_errno(err, ENOMEM, "directory list");
	n->mode = e->mode & 0777;
	n->atime = e->atime;
	n->atime_nsec = e->atime_nsec;
	n->mtime = e->mtime;
	n->mtime_nsec = e->mtime_nsec;
	x->ndirs++;
	return 0;
}

/* The destination path of e after --strip-components and --flat, or NULL
 * when nothing is left of it. */
static const char *
dest_path(const ib_extract *x, const ib_entry *e)
{
	const char *p;

	p = ib_path_strip(e->path, x->o.strip);
	if (p != NULL && x->o.flat)
		p = ib_path_base(p);
	return p;
}

static int
check_flat(ib_extract *x, const char *base, const ib_entry *e, ib_err *err)
{
	const char *other;

	other = map_get(&x->flat, base);
	if (other != NULL)
		return ib_err_set(err, EEXIST,
		    "same name as '%s' in flat mode (-j)", other);
	return map_put(&x->flat, base, e->path, err);
}

static int
link_key(char *buf, size_t size, const ib_entry *e)
{
	if (e->type != IB_FT_REG || e->nextents == 0 || e->stored_size == 0)
		return 0;
	snprintf(buf, size, "%lu:%llu", (unsigned long)e->extents[0].lsn,
	    (unsigned long long)e->stored_size);
	return 1;
}

static int defer(ib_extract *x, const char *path, const ib_entry *e,
    ib_err *err);

/* A regular file: a hard link to an earlier member with the same extent,
 * or its bytes. */
static int
write_regular(ib_extract *x, int pfd, const char *base, const char *path,
    const ib_entry *e, ib_err *err)
{
	const char *first;
	char key[64];
	int rc;

	first = link_key(key, sizeof(key), e) ? map_get(&x->links, key) : NULL;
	if (first != NULL) {
		rc = write_link(x, pfd, base, first, err);
		if (rc == 0 || err->code == EEXIST)
			return rc;
		/* no hard links here (EPERM, EXDEV...): copy */
	}
	rc = write_file(x, pfd, base, e, err);
	if (rc == 0 && first == NULL && link_key(key, sizeof(key), e))
		rc = map_put(&x->links, key, path, err);
	return rc;
}

static int
to_fd(ib_extract *x, const ib_entry *e, ib_err *err)
{
	if (e->type != IB_FT_REG)
		return ib_err_set(err, EINVAL, "not a regular file");
	if (is_stream(x))
		return defer(x, e->path, e, err);
	return copy_data(x, e, x->o.fd, err);
}

static int
defer(ib_extract *x, const char *path, const ib_entry *e, ib_err *err)
{
	struct job *n, *j;
	size_t cap;

	if (x->njobs == x->jobcap) {
		if (x->njobs >= IB_MAX_ENTRIES)
			return ib_err_set(err, IB_ELIMIT, "too many files");
		cap = x->jobcap ? x->jobcap * 2 : 64;
		n = ib_reallocarray(x->jobs, cap, sizeof(*n));
		if (n == NULL)
			return ib_err_errno(err, ENOMEM, "file list");
		x->jobs = n;
		x->jobcap = cap;
	}
	j = &x->jobs[x->njobs];
	memset(j, 0, sizeof(*j));
	j->path = strdup(path);
	j->ipath = strdup(e->path);
	j->ext = ib_reallocarray(NULL, e->nextents ? e->nextents : 1,
	    sizeof(*j->ext));
	if (j->path == NULL || j->ipath == NULL || j->ext == NULL) {
		free(j->path);
		free(j->ipath);
		free(j->ext);
		return ib_err_errno(err, ENOMEM, "file list");
	}
	if (e->nextents > 0)
		memcpy(j->ext, e->extents, e->nextents * sizeof(*j->ext));
	j->e = *e;
	j->e.path = j->ipath;
	j->e.name = ib_path_base(j->ipath);
	j->e.extents = j->ext;
	j->e.link = NULL;
	j->e.problem = NULL;
	j->seq = x->njobs++;
	return 0;
}

static int
job_order(const void *a, const void *b)
{
	const struct job *p, *q;
	uint32_t lp, lq;

	p = a;
	q = b;
	lp = p->e.nextents > 0 ? p->ext[0].lsn : 0;
	lq = q->e.nextents > 0 ? q->ext[0].lsn : 0;
	if (lp != lq)
		return lp < lq ? -1 : 1;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Whether jobs a and b read the same extent (hard links). */
static int
same_data(const struct job *a, const struct job *b)
{
	return a->e.nextents > 0 && b->e.nextents > 0 &&
	    a->ext[0].lsn == b->ext[0].lsn &&
	    a->e.stored_size == b->e.stored_size && a->e.stored_size > 0;
}

/*
 * Job i to the output fd. A stream passes each extent once, so when the
 * next jobs share this one's extent, its bytes are kept in an unlinked
 * temporary for them.
 */
static int
job_to_fd(ib_extract *x, size_t i, ib_err *err)
{
	struct job *j;
	uint64_t size;
	int tmp, rc;

	j = &x->jobs[i];
	if (x->shared_fd != -1 && i > 0 && same_data(&x->jobs[i - 1], j))
		return ib_copy_range(x->shared_fd, 0, x->o.fd, x->shared_len,
		    x->o.cancel, err);
	if (x->shared_fd != -1) {
		close(x->shared_fd);
		x->shared_fd = -1;
	}
	if (i + 1 >= x->njobs || !same_data(j, &x->jobs[i + 1]))
		return ib_iso_copy(x->iso, &j->e, x->o.fd, x->o.raw,
		    x->o.cancel, err);
	tmp = ib_tmpfile("link", err);
	if (tmp == -1)
		return -1;
	rc = ib_iso_copy(x->iso, &j->e, tmp, x->o.raw, x->o.cancel, err);
	size = 0;
	if (rc == 0) {
		off_t end = lseek(tmp, 0, SEEK_CUR);
		if (end == -1)
			rc = ib_err_errno(err, errno, "temporary file");
		else
			size = (uint64_t)end;
	}
	if (rc == 0)
		rc = ib_copy_range(tmp, 0, x->o.fd, size, x->o.cancel, err);
	if (rc == -1) {
		close(tmp);
		return -1;
	}
	x->shared_fd = tmp;
	x->shared_len = size;
	return 0;
}

/* Deferred files, in the order of their data in the image. */
static int
run_jobs(ib_extract *x, ib_err *err)
{
	const char *base;
	struct job *j;
	ib_err je;
	size_t i;
	int pfd, rc, status;

	if (x->njobs == 0)
		return 0;
	ib_iso_stop_spooling(x->iso);
	qsort(x->jobs, x->njobs, sizeof(*x->jobs), job_order);
	status = 0;
	for (i = 0; i < x->njobs; i++) {
		j = &x->jobs[i];
		ib_err_clear(&je);
		if (x->o.to_fd) {
			rc = job_to_fd(x, i, &je);
		} else {
			pfd = parent_fd(x, j->path, &base, &je);
			rc = pfd == -1 ?
			    -1 :
			    write_regular(x, pfd, base, j->path, &j->e, &je);
		}
		if (rc == -1 && je.code == EEXIST && x->o.keep)
			continue;
		if (rc == -1 && je.code == IB_EINTR) {
			*err = je;
			return -1;
		}
		if (rc == -1 && x->o.report != NULL) {
			x->o.report(x->o.report_ctx, j->ipath, &je);
		} else if (rc == -1) {
			*err = je;
			status = -1;
		}
	}
	return status;
}

static int
skip(ib_err *err, const char *why)
{
	ib_err_set(err, 0, "%s", why);
	return IB_EXTRACT_SKIPPED;
}

int
ib_extract_entry(ib_extract *x, const ib_entry *e, ib_err *err)
{
	const char *path, *base;
	int pfd, rc;

	if (e->problem != NULL)
		return ib_err_set(err, IB_EFORMAT, "%s", e->problem);
	if (x->o.to_fd && e->type == IB_FT_DIR)
		return 0;
	path = dest_path(x, e);
	if (path == NULL)
		return skip(err, ""); /* tar is silent here too */
	if (x->o.flat && e->type == IB_FT_DIR)
		return 0;
	if ((e->type == IB_FT_CHR || e->type == IB_FT_BLK) && !x->o.devices)
		return skip(err, "device node not created (use --devices)");
	if (e->type == IB_FT_SOCK)
		return skip(err, "socket not created");
	if (x->o.to_fd)
		return to_fd(x, e, err);
	if (ib_path_check(path, err) == -1)
		return -1;
	if (x->o.flat && check_flat(x, path, e, err) == -1)
		return -1;
	if (e->type == IB_FT_REG && is_stream(x))
		return defer(x, path, e, err);
	pfd = parent_fd(x, path, &base, err);
	if (pfd == -1)
		return -1;
	switch (e->type) {
	case IB_FT_DIR:
		rc = make_dir(x, pfd, base, path, e, err);
		break;
	case IB_FT_REG:
		rc = write_regular(x, pfd, base, path, e, err);
		break;
	default:
		rc = write_special(x, pfd, base, e, err);
		break;
	}
	if (rc == -1 && err->code == EEXIST && x->o.keep)
		return IB_EXTRACT_SKIPPED;
	return rc;
}

int
ib_extract_finish(ib_extract *x, ib_err *err)
{
	struct timespec ts[2];
	struct dirfix *d;
	const char *base;
	size_t i;
	int fd, pfd, rc;

	rc = run_jobs(x, err);
	if (rc == -1 && err->code == IB_EINTR)
		return -1;
	for (i = x->ndirs; i-- > 0;) {
		d = &x->dirs[i];
		pfd = ib_path_open_parent(x->dirfd, d->path, false, &base, err);
		if (pfd == -1) {
			rc = -1;
			continue;
		}
		fd = openat(pfd, base,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(pfd);
		if (fd == -1) {
			rc = ib_err_errno(err, errno, "%s", d->path);
			continue;
		}
		if (fchmod(fd, (mode_t)d->mode) == -1)
			rc = ib_err_errno(err, errno, "%s: chmod", d->path);
		if (x->o.preserve_times) {
			to_timespec(ts, d->atime, d->atime_nsec, d->mtime,
			    d->mtime_nsec);
			if (futimens(fd, ts) == -1)
				rc = ib_err_errno(err, errno, "%s: set times",
				    d->path);
		}
		close(fd);
	}
	return rc;
}
