/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * match: which members of an image the user asked for. A pattern is an
 * exact path or a shell glob (fnmatch); '*' does not cross '/' unless
 * slash is set. A pattern that matches a directory selects everything
 * under it, as tar does. Each pattern remembers whether it matched, so
 * that the tool can report the ones that matched nothing.
 */
#ifndef IB_MATCH_H
#define IB_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "errors.h"

typedef struct ib_match ib_match;

/* Build a matcher from n patterns (copied; a leading "/" or "./" and a
 * trailing "/" are dropped). Zero patterns select everything. Returns a
 * matcher the caller frees with ib_match_free(), or NULL with *err. */
ib_match *ib_match_new(const char *const *patterns, size_t n, bool slash,
    ib_err *err);

void ib_match_free(ib_match *m);

/* Nonzero when path or one of its parent directories matches; marks the
 * patterns that matched. */
int ib_match_path(ib_match *m, const char *path);

size_t ib_match_count(const ib_match *m);

/* Pattern i as the user gave it; owned by m. */
const char *ib_match_pattern(const ib_match *m, size_t i);

/* Whether pattern i matched any path so far. */
bool ib_match_used(const ib_match *m, size_t i);

#endif
