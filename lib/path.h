/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * path: keep every write inside the destination directory. Paths from
 * an image are checked once (relative, no "." or ".." or empty component,
 * bounded lengths), then opened one component at a time relative to the
 * destination's fd with O_NOFOLLOW, so neither a ".." nor a symlink in the
 * image or already in the destination can lead a write outside it.
 */
#ifndef IB_PATH_H
#define IB_PATH_H

#include <stdbool.h>

#include "errors.h"

/* 0 if path is a safe relative path, else -1 with IB_EUNSAFE. */
int ib_path_check(const char *path, ib_err *err);

/* path without its first n components, or NULL if it has no more. */
const char *ib_path_strip(const char *path, unsigned n);

/* The last component of path. */
const char *ib_path_base(const char *path);

/* path as an absolute path: resolved (realpath) when it exists, else
 * joined to the working directory. A string the caller frees, or NULL
 * with *err. */
char *ib_path_absolute_new(const char *path, ib_err *err);

/* dir/name, in a string the caller frees (NULL: out of memory). */
char *ib_path_join_new(const char *dir, const char *name);

/*
 * Open the directory that holds path, relative to dirfd, creating missing
 * directories (mode 0755) when create is set. Never follows
 * a symlink. *base is set to the last component of path. Returns an fd the
 * caller closes (dirfd itself is duplicated for a one-component path), or
 * -1 with *err (IB_EUNSAFE when a component is a symlink or not a
 * directory).
 */
int ib_path_open_parent(int dirfd, const char *path, bool create,
    const char **base, ib_err *err);

#endif
