/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * errors: the one error type of libisoboot.
 *
 * Every fallible library call takes an ib_err *err as its last argument and,
 * on failure, returns -1 (or NULL) with err->code and err->msg filled in.
 * Setting an error never allocates, so "out of memory" can be reported too.
 * This module also quotes untrusted bytes for messages (ib_quote).
 */
#ifndef IB_ERRORS_H
#define IB_ERRORS_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define IB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define IB_PRINTF(f, a)
#endif

#define IB_ERR_MAX 512

/* Library error codes below zero; errno values are used as they are. */
enum {
	IB_EFORMAT = -1,      /* malformed input */
	IB_EUNSUPPORTED = -2, /* valid, but not handled */
	IB_ELIMIT = -3,       /* a bound from bounds.h was hit */
	IB_ENOTFOUND = -4,    /* no such label or file */
	IB_EUNSAFE = -5,      /* a path would leave the destination */
	IB_EINTR = -6         /* cancelled by the caller (a signal) */
};

typedef struct ib_err {
	int code;             /* errno value > 0, IB_E* < 0, 0 = no error */
	char msg[IB_ERR_MAX]; /* "where: what"; no program name, no newline */
} ib_err;

/* Clear err to "no error". */
void ib_err_clear(ib_err *err);

/* Set code and a printf-style message; always returns -1. */
int ib_err_set(ib_err *err, int code, const char *fmt, ...) IB_PRINTF(3, 4);

/* Like ib_err_set() with code errnum, appending ": strerror(errnum)". */
int ib_err_errno(ib_err *err, int errnum, const char *fmt, ...) IB_PRINTF(3, 4);

/* Put a printf-style prefix before the current message; returns -1. */
int ib_err_prefix(ib_err *err, const char *fmt, ...) IB_PRINTF(2, 3);

/* Generic text for a code (library code or errno value). */
const char *ib_strerror(int code);

/* The message if one is set, else ib_strerror(err->code). */
const char *ib_err_text(const ib_err *err);

/*
 * Quote len bytes of untrusted s into out (size outsz, always terminated):
 * control bytes, DEL and backslash become \ooo escapes, so that a name from
 * an image cannot drive a terminal. Cut with "..." when out is too small.
 * Returns out.
 */
char *ib_quote(char *out, size_t outsz, const char *s, size_t len);

#endif
