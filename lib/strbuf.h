/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * strbuf: a string that grows to a bound. A value type: start it zeroed
 * with max set (0 means no bound but SIZE_MAX), add to it, then take the
 * string or release it. s is always NUL-terminated once something was
 * added.
 */
#ifndef IB_STRBUF_H
#define IB_STRBUF_H

#include <stddef.h>

#include "errors.h"

typedef struct ib_strbuf {
	char *s;
	size_t len, cap, max;
} ib_strbuf;

/* Append n bytes of s. IB_ELIMIT past max, ENOMEM: -1 with *err. */
int ib_strbuf_add(ib_strbuf *b, const char *s, size_t n, ib_err *err);

int ib_strbuf_addc(ib_strbuf *b, char c, ib_err *err);

/* Append the NUL-terminated s. */
int ib_strbuf_adds(ib_strbuf *b, const char *s, ib_err *err);

/* Append printf-style text. */
int ib_strbuf_addf(ib_strbuf *b, ib_err *err, const char *fmt, ...)
    IB_PRINTF(3, 4);

/* Append s as a JSON string with its quotes (RFC 8259): '"', '\' and
 * control bytes escaped; a byte that is not UTF-8 becomes U+FFFD. NULL
 * is written as null. */
int ib_strbuf_add_json(ib_strbuf *b, const char *s, ib_err *err);

/* The string (the caller frees it; "" if nothing was added); b is empty
 * again. NULL with *err when out of memory. */
char *ib_strbuf_take(ib_strbuf *b, ib_err *err);

void ib_strbuf_release(ib_strbuf *b);

#endif
