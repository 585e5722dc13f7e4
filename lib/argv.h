/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * argv: a growing argument vector, and its rendering as one POSIX sh
 * command line that yields exactly those words (any bytes, quotes,
 * newlines included).
 */
#ifndef IB_ARGV_H
#define IB_ARGV_H

#include <stddef.h>

#include "errors.h"

typedef struct ib_argv {
	char **v; /* NULL-terminated once anything was added */
	size_t n, cap;
} ib_argv;

/* Append s itself: a takes it over, and frees it on failure. s NULL (an
 * allocation that failed, its error already in *err) returns -1. More
 * than IB_MAX_ARGS words is IB_ELIMIT. */
int ib_argv_take(ib_argv *a, char *s, ib_err *err);

/* Append a copy of s. */
int ib_argv_add(ib_argv *a, const char *s, ib_err *err);

/* Append a printf-formatted word. */
int ib_argv_addf(ib_argv *a, ib_err *err, const char *fmt, ...) IB_PRINTF(3, 4);

void ib_argv_free(ib_argv *a);

/*
 * The words as one sh command line: each word quoted by ib_shquote_new;
 * with wrap, a backslash-newline and four spaces before each word that
 * starts with '-' (after the first word), as a human would break it.
 * A newline ends the line. Returns a string the caller frees, or NULL
 * with *err.
 */
char *ib_argv_render(const ib_argv *a, int wrap, ib_err *err);

#endif
