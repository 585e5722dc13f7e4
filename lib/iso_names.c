/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "bounds.h"
#include "iso_names.h"

/* Length of name without a ";digits" suffix (ECMA-119 7.5.1 version). */
static size_t
strip_version(const char *name, size_t len)
{
	size_t i;

	for (i = len; i > 0; i--) {
		if (name[i - 1] == ';')
			return i - 1;
		if (name[i - 1] < '0' || name[i - 1] > '9')
			return len;
	}
	return len;
}

static size_t
utf8_len(unsigned long cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static size_t
put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int
ib_iso_name_joliet(const unsigned char *in, size_t len, char *out, size_t outsz)
{
	size_t i, o;
	unsigned long cp, lo;

	if (outsz == 0)
		return -1;
	o = 0;
	for (i = 0; i < len; i += 2) {
		if (i + 1 >= len) {
			cp = 0xfffd; /* odd byte count */
		} else {
			cp = (unsigned long)in[i] << 8 | in[i + 1];
			if (cp >= 0xd800 && cp <= 0xdbff && i + 3 < len) {
				lo = (unsigned long)in[i + 2] << 8 | in[i + 3];
				if (lo >= 0xdc00 && lo <= 0xdfff) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
					i += 2;
				} else {
					cp = 0xfffd;
				}
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd;
			}
		}
		if (o + utf8_len(cp) + 1 > outsz)
			return -1;
		o += put_utf8(out + o, cp);
	}
	/* Linux fs/isofs/joliet.c: drop ";1" and trailing dots. */
	o = strip_version(out, o);
	while (o > 1 && out[o - 1] == '.')
		o--;
	out[o] = '\0';
	return (int)o;
}

int
ib_iso_name_9660(const unsigned char *in, size_t len, char *out, size_t outsz)
{
	size_t n;

	if (len >= outsz)
		return -1;
	memcpy(out, in, len);
	n = strip_version(out, len);
	if (n > 1 && out[n - 1] == '.')
		n--;
	out[n] = '\0';
	return (int)n;
}

const char *
ib_iso_name_problem(const char *name, size_t len)
{
	if (len == 0)
		return "empty name";
	if (memchr(name, '\0', len) != NULL)
		return "name contains a NUL byte";
	if (memchr(name, '/', len) != NULL)
		return "name contains '/'";
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return "name is '.' or '..'";
	if (len > IB_MAX_NAME)
		return "name longer than 255 bytes";
	return NULL;
}
