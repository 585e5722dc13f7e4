/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_progress: the watcher that reports how far a write has come. */
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "testutil.h"

/* What the callback saw; the watcher calls it from its own thread. */
struct seen {
	pthread_mutex_t mu;
	unsigned calls, ends;
	uint64_t max_done, last_done, total;
	char name[64];
	bool overlap, busy;
};

static void
record(void *ctx, const char *name, uint64_t done, uint64_t total, bool end)
{
	struct seen *s = ctx;

	/* Calls never overlap: the watcher and the writer's hook share one
	 * lock. A second call inside the first would see busy. */
	if (s->busy)
		s->overlap = true;
	s->busy = true;
	pthread_mutex_lock(&s->mu);
	s->calls++;
	s->ends += end;
	if (done > s->max_done)
		s->max_done = done;
	s->last_done = done;
	s->total = total;
	snprintf(s->name, sizeof(s->name), "%s", name);
	pthread_mutex_unlock(&s->mu);
	s->busy = false;
}

static uint64_t
seen_done(struct seen *s)
{
	uint64_t v;

	pthread_mutex_lock(&s->mu);
	v = s->max_done;
	pthread_mutex_unlock(&s->mu);
	return v;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A scratch directory and a watcher reporting into w->s. */
struct watch {
	char dir[256];
	int dirfd;
	struct seen s;
};

static ib_progress *
watch_start(struct watch *w)
{
	ib_progress *p;
	ib_err err;

	tu_mkdtemp(w->dir, sizeof(w->dir), "progress");
	w->dirfd = open(w->dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(w->dirfd, 0);
	memset(&w->s, 0, sizeof(w->s));
	pthread_mutex_init(&w->s.mu, NULL);
	p = ib_progress_start(record, &w->s, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	return p;
}

static void
watch_end(struct watch *w)
{
	close(w->dirfd);
	pthread_mutex_destroy(&w->s.mu);
	tu_rmtree(w->dir);
}

/* A writer that grows a temporary for a while: the watcher must report
 * the bytes it has, by the file's last component, and end once with
 * what was written. */
START_TEST(test_reports_growing_temporary)
{
	struct watch w;
	char buf[4096];
	ib_progress *p;
	int fd, i;

	p = watch_start(&w);
	fd = openat(w.dirfd, ".vmlinuz.tmp", O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ib_progress_hook(p, "/boot/vmlinuz", w.dirfd, ".vmlinuz.tmp",
	    (uint64_t)sizeof(buf) * 8);
	memset(buf, 'k', sizeof(buf));
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(write(fd, buf, sizeof(buf)), sizeof(buf));
	close(fd);
	/* Wait (up to 20 s on a loaded machine) for the watcher to see the
	 * temporary's whole size before the writer says it is done. */
	for (i = 0; i < 200 && seen_done(&w.s) < sizeof(buf) * 8; i++)
		nap_ms(100);
	ck_assert_uint_eq(seen_done(&w.s), sizeof(buf) * 8);
	ib_progress_hook(p, "/boot/vmlinuz", w.dirfd, NULL,
	    (uint64_t)sizeof(buf) * 8);
	ib_progress_stop(p);
	/* The start, at least one look at the temporary, and the end. */
	ck_assert_uint_ge(w.s.calls, 3);
	ck_assert_uint_eq(w.s.ends, 1);
	ck_assert_str_eq(w.s.name, "vmlinuz");
	ck_assert_uint_eq(w.s.last_done, sizeof(buf) * 8);
	ck_assert_uint_eq(w.s.total, sizeof(buf) * 8);
	ck_assert(!w.s.overlap);
	watch_end(&w);
}
END_TEST

/* After the end, the watcher stops looking: a file that keeps changing
 * under the old temporary's name is not reported again. */
START_TEST(test_silent_after_end)
{
	struct watch w;
	ib_progress *p;
	unsigned calls;
	int fd;

	p = watch_start(&w);
	fd = openat(w.dirfd, "t", O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ib_progress_hook(p, "initrd", w.dirfd, "t", 10);
	ib_progress_hook(p, "initrd", w.dirfd, NULL, 0);
	pthread_mutex_lock(&w.s.mu);
	calls = w.s.calls;
	pthread_mutex_unlock(&w.s.mu);
	ck_assert_int_eq(write(fd, "0123456789", 10), 10);
	nap_ms(500);
	ib_progress_stop(p);
	ck_assert_uint_eq(w.s.calls, calls);
	ck_assert_uint_eq(w.s.max_done, 0);
	close(fd);
	watch_end(&w);
}
END_TEST

START_TEST(test_stop_null)
{
	ib_progress_stop(NULL);
}
END_TEST

static Suite *
progress_suite(void)
{
	Suite *s = suite_create("progress");

	tu_add(s, "reports_growing_temporary", test_reports_growing_temporary);
	tu_add(s, "silent_after_end", test_silent_after_end);
	tu_add(s, "stop_null", test_stop_null);
	return s;
}

int
main(void)
{
	return tu_run(progress_suite());
}
