/* SPDX-License-Identifier: GPL-3.0-or-later */
/* qcow2 to sparse raw, with a few reader threads. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "compat.h"
#include "disk_convert.h"
#include "place.h"
#include "qcow2.h"

/* Bytes one thread reads at a time: large enough that each read is a
 * run of clusters, small enough to spread a disk over the threads. */
#define CHUNK (4u << 20)

#define MAX_THREADS 8u

struct job {
	const char *path;
	int fd;
	uint64_t size;
	const volatile sig_atomic_t *cancel;
	pthread_mutex_t mu;
	uint64_t next; /* the next chunk to claim */
	bool failed;
	ib_err err; /* the first failure */
};

struct worker {
	struct job *j;
	ib_qcow2 *q;
	pthread_t t;
};

static void
fail(struct job *j, const ib_err *e)
{
	pthread_mutex_lock(&j->mu);
	if (!j->failed) {
		j->failed = true;
		j->err = *e;
	}
	pthread_mutex_unlock(&j->mu);
}

/* Claim the next chunk: its offset, or the size when none is left. */
static uint64_t
claim(struct job *j)
{
	uint64_t off;

	pthread_mutex_lock(&j->mu);
	off = j->failed ? j->size : j->next;
	if (off < j->size)
		j->next += CHUNK;
	pthread_mutex_unlock(&j->mu);
	return off;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct job *j = w->j;
	unsigned char *buf;
	uint64_t off;
	size_t len;
	bool zeros;
	ib_err e;

	buf = malloc(CHUNK);
	if (buf == NULL) {
		ib_err_errno(&e, ENOMEM, "convert");
		fail(j, &e);
		return NULL;
	}
	while ((off = claim(j)) < j->size) {
		len = j->size - off < CHUNK ? (size_t)(j->size - off) : CHUNK;
		if (j->cancel != NULL && *j->cancel != 0) {
			ib_err_set(&e, IB_EINTR, "interrupted");
			fail(j, &e);
			break;
		}
		/* Unallocated or zero clusters: a hole, nothing read. */
		if (ib_qcow2_zeros(w->q, off, len, &zeros, &e) == -1) {
			ib_err_prefix(&e, "%s: ", j->path);
			fail(j, &e);
			break;
		}
		if (zeros)
			continue;
		if (ib_qcow2_pread(w->q, buf, len, off, &e) == -1) {
			ib_err_prefix(&e, "%s: ", j->path);
			fail(j, &e);
			break;
		}
		if (ib_pwrite_sparse(j->fd, buf, len, off, &e) == -1) {
			fail(j, &e);
			break;
		}
	}
	free(buf);
	return NULL;
}

static unsigned
thread_count(const ib_disk_convert_opts *o)
{
	long n;

	if (o != NULL && o->threads != 0)
		return o->threads < MAX_THREADS ? o->threads : MAX_THREADS;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return (unsigned)n < MAX_THREADS ? (unsigned)n : MAX_THREADS;
}

/* Read the image with nt threads into j->fd; first is a handle on it
 * already open, the others are opened here. All are closed. */
static int
run_workers(struct job *j, ib_qcow2 *first, unsigned nt, ib_err *err)
{
	struct worker w[MAX_THREADS];
	unsigned i, started = 0;

	memset(w, 0, sizeof(w));
	w[0].q = first;
	for (i = 0; i < nt; i++) {
		w[i].j = j;
		if (w[i].q == NULL)
			w[i].q = ib_qcow2_open(j->path, err);
		if (w[i].q == NULL) {
			ib_err_prefix(err, "%s: ", j->path);
			j->failed = true;
			j->err = *err;
			goto out;
		}
	}
	for (i = 0; i < nt; i++) {
		if (pthread_create(&w[i].t, NULL, work, &w[i]) != 0) {
			ib_err_errno(err, EAGAIN, "thread");
			fail(j, err);
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(w[i].t, NULL);
out:
	for (i = 0; i < nt; i++)
		ib_qcow2_close(w[i].q);
	if (j->failed)
		*err = j->err;
	return j->failed || started < nt ? -1 : 0;
}

int
ib_disk_convert_raw(const char *path, int dirfd, const char *name,
    const ib_disk_convert_opts *o, ib_err *err)
{
	char tmp[IB_MAX_NAME + 1];
	struct stat st;
	struct job j;
	ib_qcow2 *q;
	int rc;

	memset(&j, 0, sizeof(j));
	j.path = path;
	j.cancel = o != NULL ? o->cancel : NULL;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return ib_err_set(err, EEXIST, "%s: %s", name,
		    ib_strerror(EEXIST));
	q = ib_qcow2_open(path, err);
	if (q == NULL)
		return ib_err_prefix(err, "%s: ", path);
	j.size = ib_qcow2_size(q);
	j.fd = ib_place_create(dirfd, name, "conv", 0644, tmp, err);
	if (j.fd == -1) {
		ib_qcow2_close(q);
		return -1;
	}
	if (pthread_mutex_init(&j.mu, NULL) != 0) {
		ib_qcow2_close(q);
		close(j.fd);
		unlinkat(dirfd, tmp, 0);
		return ib_err_errno(err, EAGAIN, "mutex");
	}
	if (o != NULL && o->progress != NULL)
		o->progress(o->progress_ctx, name, dirfd, tmp, j.size);
	rc = run_workers(&j, q, thread_count(o), err);
	/* The zeros at the end are a hole too: set the size last. */
	if (rc == 0 && ftruncate(j.fd, (off_t)j.size) == -1)
		rc = ib_err_errno(err, errno, "%s", name);
	rc = ib_place_finish(dirfd, j.fd, tmp, name, false, rc, err);
	if (o != NULL && o->progress != NULL)
		o->progress(o->progress_ctx, name, dirfd, NULL,
		    rc == 0 ? j.size : 0);
	pthread_mutex_destroy(&j.mu);
	return rc;
}
