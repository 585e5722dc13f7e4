/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shquote.h"

static int
is_safe(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (strchr(
		        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		        "0123456789@%+=:,./_-",
		        *s) == NULL)
			return 0;
	return 1;
}

char *
ib_shquote_new(const char *s)
{
	size_t n, o;
	char *q;

	if (is_safe(s))
		return strdup(s);
	n = strlen(s);
	q = malloc(n * 4 + 3);
	if (q == NULL)
		return NULL;
	o = 0;
	q[o++] = '\'';
	for (; *s != '\0'; s++) {
		if (*s == '\'') {
			memcpy(q + o, "'\\''", 4);
			o += 4;
		} else {
			q[o++] = *s;
		}
	}
	q[o++] = '\'';
	q[o] = '\0';
	return q;
}

char *
ib_shquote_assignments_new(const char *const *names, const char *const *values,
    size_t n, int make)
{
	char *out, *q, *t;
	size_t len, add, i;

	out = strdup("");
	len = 0;
	for (i = 0; out != NULL && i < n; i++) {
		q = make ? ib_shquote_make_new(values[i]) :
		           ib_shquote_new(values[i]);
		if (q == NULL) {
			free(out);
			return NULL;
		}
		add = strlen(names[i]) + strlen(q) + 6;
		t = realloc(out, len + add);
		if (t == NULL) {
			free(q);
			free(out);
			return NULL;
		}
		out = t;
		len += (size_t)snprintf(out + len, add,
		    make ? "%s := %s\n" : "%s=%s\n", names[i], q);
		free(q);
	}
	return out;
}

char *
ib_shquote_make_new(const char *s)
{
	static const char end[] = "$(subst ,,)";
	size_t n, o, k, run;
	char *q;

	if (strchr(s, '\n') != NULL)
		return NULL;
	n = strlen(s);
	q = malloc(n * 3 + sizeof(end));
	if (q == NULL)
		return NULL;
	o = 0;
	for (run = 0; *s != '\0'; s++) {
		if (*s == '$') {
			q[o++] = '$';
		} else if (*s == '#') {
			/* make reads 2k backslashes before '#' as k, and one
			 * more as the escape of the '#'. */
			for (k = 0; k < run; k++)
				q[o++] = '\\';
			q[o++] = '\\';
		}
		run = *s == '\\' ? run + 1 : 0;
		q[o++] = *s;
	}
	/* A backslash at the end would join the next line: end the value
	 * with an empty function call instead (no variable, no warning). */
	if (run % 2 == 1) {
		memcpy(q + o, end, sizeof(end) - 1);
		o += sizeof(end) - 1;
	}
	q[o] = '\0';
	return q;
}
