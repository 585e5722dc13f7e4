/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * progress: how far a long write has come, for a tool to show. The
 * library's writers (extract, the recipe) say which file they start and
 * the temporary it grows in (ib_extract_opts.progress); a watcher thread
 * reads that temporary's size five times a second and hands the file's
 * name, the bytes so far and the total to the tool's callback, which
 * prints. This module never prints.
 */
#ifndef IB_PROGRESS_H
#define IB_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "errors.h"

typedef struct ib_progress ib_progress;

/* Called with name (the file's last component, bytes from the image:
 * quote it before printing), done and total bytes; end is true once,
 * when the file is complete (done is then what was written). Calls never
 * overlap. */
typedef void ib_progress_fn(void *ctx, const char *name, uint64_t done,
    uint64_t total, bool end);

/* Start the watcher. Returns a handle to stop with ib_progress_stop(), or
 * NULL with *err (no thread could be made). */
ib_progress *ib_progress_start(ib_progress_fn *fn, void *ctx, ib_err *err);

/* Stop the watcher and free it; NULL does nothing. */
void ib_progress_stop(ib_progress *p);

/* The hook for ib_extract_opts.progress and ib_recipe_opts.progress,
 * with the handle as its ctx. */
void ib_progress_hook(void *p, const char *path, int dirfd, const char *tmp,
    uint64_t total);

#endif
