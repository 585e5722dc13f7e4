/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "bounds.h"
#include "compat.h"
#include "shquote.h"
#include "strbuf.h"

int
ib_argv_take(ib_argv *a, char *s, ib_err *err)
{
	char **v;
	size_t cap;

	if (s == NULL)
		return -1;
	if (a->n >= IB_MAX_ARGS) {
		free(s);
		return ib_err_set(err, IB_ELIMIT, "more than %u arguments",
		    IB_MAX_ARGS);
	}
	if (a->n + 2 > a->cap) {
		cap = a->cap != 0 ? a->cap * 2 : 16;
		v = ib_reallocarray(a->v, cap, sizeof(*v));
		if (v == NULL) {
			free(s);
			return ib_err_errno(err, ENOMEM, "argument");
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

int
ib_argv_add(ib_argv *a, const char *s, ib_err *err)
{
	char *c = strdup(s);

	if (c == NULL)
		return ib_err_errno(err, ENOMEM, "argument");
	return ib_argv_take(a, c, err);
}

int
ib_argv_addf(ib_argv *a, ib_err *err, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return ib_err_errno(err, EINVAL, "argument");
	s = malloc((size_t)n + 1);
	if (s == NULL)
		return ib_err_errno(err, ENOMEM, "argument");
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return ib_argv_take(a, s, err);
}

void
ib_argv_free(ib_argv *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

char *
ib_argv_render(const ib_argv *a, int wrap, ib_err *err)
{
	ib_strbuf b = { 0 };
	size_t i;
	char *q;
	int rc;

	rc = 0;
	for (i = 0; i < a->n && rc == 0; i++) {
		q = ib_shquote_new(a->v[i]);
		if (q == NULL) {
			rc = ib_err_errno(err, ENOMEM, "quote");
			break;
		}
		if (i > 0)
			rc = ib_strbuf_adds(&b,
			    wrap && a->v[i][0] == '-' ? " \\\n    " : " ", err);
		if (rc == 0)
			rc = ib_strbuf_adds(&b, q, err);
		free(q);
	}
	if (rc == 0)
		rc = ib_strbuf_addc(&b, '\n', err);
	if (rc == -1) {
		ib_strbuf_release(&b);
		return NULL;
	}
	return ib_strbuf_take(&b, err);
}
