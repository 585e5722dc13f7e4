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
ib_makequote_new(const char *s)
{
	size_t n, o;
	char *q;

	if (strchr(s, '\n') != NULL)
		return NULL;
	n = strlen(s);
	q = malloc(n * 2 + 1);
	if (q == NULL)
		return NULL;
	o = 0;
	for (; *s != '\0'; s++) {
		if (*s == '$')
			q[o++] = '$';
		else if (*s == '#')
			q[o++] = '\\';
		q[o++] = *s;
	}
	q[o] = '\0';
	return q;
}
