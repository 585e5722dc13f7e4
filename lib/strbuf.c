/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

int
ib_strbuf_add(ib_strbuf *b, const char *s, size_t n, ib_err *err)
{
	size_t cap, max;
	char *p;

	max = b->max != 0 ? b->max : SIZE_MAX / 2;
	if (b->len > max || n > max - b->len)
		return ib_err_set(err, IB_ELIMIT, "longer than %zu bytes", max);
	if (b->len + n + 1 > b->cap) {
		cap = b->cap != 0 ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (p == NULL)
			return ib_err_errno(err, ENOMEM, "string");
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int
ib_strbuf_addc(ib_strbuf *b, char c, ib_err *err)
{
	return ib_strbuf_add(b, &c, 1, err);
}

int
ib_strbuf_adds(ib_strbuf *b, const char *s, ib_err *err)
{
	return ib_strbuf_add(b, s, strlen(s), err);
}

int
ib_strbuf_addf(ib_strbuf *b, ib_err *err, const char *fmt, ...)
{
	char small[256], *big;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return ib_err_errno(err, EINVAL, "format");
	if ((size_t)n < sizeof(small))
		return ib_strbuf_add(b, small, (size_t)n, err);
	big = malloc((size_t)n + 1);
	if (big == NULL)
		return ib_err_errno(err, ENOMEM, "string");
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = ib_strbuf_add(b, big, (size_t)n, err);
	free(big);
	return rc;
}

/* The length of the UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF), or 0 when it is not one. */
static size_t
utf8_seq(const unsigned char *s)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	cp = s[0] & (0x7fu >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int
ib_strbuf_add_json(ib_strbuf *b, const char *s, ib_err *err)
{
	const unsigned char *p;
	char esc[8];
	size_t n;
	int rc;

	if (s == NULL)
		return ib_strbuf_adds(b, "null", err);
	rc = ib_strbuf_addc(b, '"', err);
	for (p = (const unsigned char *)s; rc == 0 && *p != '\0'; p += n) {
		n = utf8_seq(p);
		if (n == 0) {
			/* JSON text is UTF-8 (RFC 8259 8.1). */
			rc = ib_strbuf_adds(b, "\\ufffd", err);
			n = 1;
		} else if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			rc = ib_strbuf_add(b, esc, 2, err);
		} else if (*p == '\n') {
			rc = ib_strbuf_adds(b, "\\n", err);
		} else if (*p == '\t') {
			rc = ib_strbuf_adds(b, "\\t", err);
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			rc = ib_strbuf_adds(b, esc, err);
		} else {
			rc = ib_strbuf_add(b, (const char *)p, n, err);
		}
	}
	return rc == 0 ? ib_strbuf_addc(b, '"', err) : -1;
}

char *
ib_strbuf_take(ib_strbuf *b, ib_err *err)
{
	char *s;

	s = b->s != NULL ? b->s : strdup("");
	if (s == NULL)
		ib_err_errno(err, ENOMEM, "string");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void
ib_strbuf_release(ib_strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
