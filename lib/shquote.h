/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * shquote: quote a string for POSIX sh, so that generated commands and
 * `eval`-able assignments survive any bytes (spaces, quotes, $, newlines).
 */
#ifndef IB_SHQUOTE_H
#define IB_SHQUOTE_H

/* s as one sh word: bare when it is only safe characters, else in single
 * quotes with ' written as '\''. The caller frees it; NULL on ENOMEM. */
char *ib_shquote_new(const char *s);

/* s as the right-hand side of a make ":=" assignment: '$' doubled, '#'
 * escaped (with the backslashes before it doubled), a trailing backslash
 * kept from joining the next line, newlines refused (NULL). The caller
 * frees it. */
char *ib_shquote_make_new(const char *s);

/*
 * n assignments NAME=VALUE, one a line: sh words (make false) or make
 * ":=" lines (make true). Returns a string the caller frees, or NULL when
 * out of memory or a make value holds a newline.
 */
char *ib_shquote_assignments_new(const char *const *names,
    const char *const *values, size_t n, int make);

#endif
