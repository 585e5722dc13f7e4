/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A watcher thread over the temporary a writer fills. */
#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bounds.h"
#include "path.h"
#include "progress.h"

/* Five updates a second: smooth to the eye, nothing for the CPU. */
#define TICK_NS (200L * 1000 * 1000)

struct ib_progress {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool active, stop;
	int dirfd;
	char tmp[IB_MAX_NAME + 1], name[IB_MAX_NAME + 1];
	uint64_t total;
	ib_progress_fn *fn;
	void *ctx;
};

static void *
watch(void *arg)
{
	ib_progress *p = arg;
	struct timespec ts;
	struct stat st;

	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		if (p->active && fstatat(p->dirfd, p->tmp, &st, 0) == 0)
			p->fn(p->ctx, p->name, (uint64_t)st.st_size, p->total,
			    false);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += TICK_NS;
		if (ts.tv_nsec >= 1000L * 1000 * 1000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000L * 1000 * 1000;
		}
		pthread_cond_timedwait(&p->cv, &p->mu, &ts);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

ib_progress *
ib_progress_start(ib_progress_fn *fn, void *ctx, ib_err *err)
{
	ib_progress *p;
	int rc;

	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		ib_err_errno(err, ENOMEM, "progress");
		return NULL;
	}
	p->fn = fn;
	p->ctx = ctx;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	rc = pthread_create(&p->thread, NULL, watch, p);
	if (rc != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
		ib_err_errno(err, rc, "progress thread");
		return NULL;
	}
	return p;
}

void
ib_progress_stop(ib_progress *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

void
ib_progress_hook(void *arg, const char *path, int dirfd, const char *tmp,
    uint64_t total)
{
	ib_progress *p = arg;

	pthread_mutex_lock(&p->mu);
	if (tmp != NULL) {
		snprintf(p->name, sizeof(p->name), "%s", ib_path_base(path));
		snprintf(p->tmp, sizeof(p->tmp), "%s", tmp);
		p->total = total;
		p->dirfd = dirfd;
		p->active = true;
		p->fn(p->ctx, p->name, 0, total, false);
	} else {
		p->active = false;
		p->fn(p->ctx, p->name, total, p->total, true);
	}
	pthread_mutex_unlock(&p->mu);
}
