/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"

static void
set_truncated(char *msg)
{
	/* vsnprintf cut the message: say so rather than end mid-word. */
	memcpy(msg + IB_ERR_MAX - 4, "...", 4);
}

void
ib_err_clear(ib_err *err)
{
	err->code = 0;
	err->msg[0] = '\0';
}

static void vset(ib_err *err, int code, const char *fmt, va_list ap)
    IB_PRINTF(3, 0);

static void
vset(ib_err *err, int code, const char *fmt, va_list ap)
{
	int n;

	err->code = code;
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (n < 0)
		err->msg[0] = '\0';
	else if ((size_t)n >= sizeof(err->msg))
		set_truncated(err->msg);
}

int
ib_err_set(ib_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int
ib_err_errno(ib_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t len;
	int n;

	va_start(ap, fmt);
	vset(err, errnum, fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	if (len + 1 >= sizeof(err->msg))
		return -1;
	n = snprintf(err->msg + len, sizeof(err->msg) - len, "%s%s",
	    len > 0 ? ": " : "", strerror(errnum));
	if (n < 0 || (size_t)n >= sizeof(err->msg) - len)
		set_truncated(err->msg);
	return -1;
}

int
ib_err_prefix(ib_err *err, const char *fmt, ...)
{
	char old[IB_ERR_MAX];
	va_list ap;
	int n;
	size_t len;

	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n < 0) {
		memcpy(err->msg, old, sizeof(old));
		return -1;
	}
	len = strlen(err->msg);
	if ((size_t)n >= sizeof(err->msg)) {
		set_truncated(err->msg);
		return -1;
	}
	n = snprintf(err->msg + len, sizeof(err->msg) - len, "%s",
	    old[0] != '\0' ? old : ib_strerror(err->code));
	if (n < 0 || (size_t)n >= sizeof(err->msg) - len)
		set_truncated(err->msg);
	return -1;
}

const char *
ib_strerror(int code)
{
	switch (code) {
	case 0:
		return "no error";
	case IB_EFORMAT:
		return "malformed input";
	case IB_EUNSUPPORTED:
		return "unsupported";
	case IB_ELIMIT:
		return "limit exceeded";
	case IB_ENOTFOUND:
		return "not found";
	case IB_EUNSAFE:
		return "unsafe path";
	case IB_EINTR:
		return "interrupted";
	default:
		return code > 0 ? strerror(code) : "unknown error";
	}
}

const char *
ib_err_text(const ib_err *err)
{
	return err->msg[0] != '\0' ? err->msg : ib_strerror(err->code);
}

char *
ib_quote(char *out, size_t outsz, const char *s, size_t len)
{
	size_t i, o, n, last;
	unsigned char c;

	if (outsz == 0)
		return out;
	o = 0;
	last = 0; /* end of the last whole character that fits with "..." */
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		n = (c < 0x20 || c == 0x7f || c == '\\') ? 4 : 1;
		if (o + n >= outsz)
			goto cut;
		if (n == 4) {
			out[o++] = '\\';
			out[o++] = (char)('0' + (c >> 6));
			out[o++] = (char)('0' + ((c >> 3) & 7));
			out[o++] = (char)('0' + (c & 7));
		} else {
			out[o++] = (char)c;
		}
		if (o + 4 <= outsz)
			last = o;
	}
	out[o] = '\0';
	return out;
cut:
	/* Cut after a whole character or escape, never inside one. */
	if (outsz >= 4)
		memcpy(out + last, "...", 4);
	else
		out[0] = '\0';
	return out;
}
