/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "match.h"

struct pat {
	char *orig;
	char *norm;
	bool used;
};

struct ib_match {
	struct pat *p;
	size_t n;
	int flags;
};

static char *
normalise(const char *s)
{
	char *out;
	size_t n;

	for (;;) {
		if (s[0] == '/')
			s++;
		else if (s[0] == '.' && s[1] == '/')
			s += 2;
		else
			break;
	}
	out = strdup(s);
	if (out == NULL)
		return NULL;
	n = strlen(out);
	while (n > 0 && out[n - 1] == '/')
		out[--n] = '\0';
	return out;
}

ib_match *
ib_match_new(const char *const *patterns, size_t n, bool slash, ib_err *err)
{
	ib_match *m;
	size_t i;

	m = calloc(1, sizeof(*m));
	if (m == NULL)
		goto nomem;
	m->flags = slash ? 0 : FNM_PATHNAME;
	if (n > 0) {
		m->p = calloc(n, sizeof(*m->p));
		if (m->p == NULL)
			goto nomem;
	}
	m->n = n;
	for (i = 0; i < n; i++) {
		m->p[i].orig = strdup(patterns[i]);
		m->p[i].norm = normalise(patterns[i]);
		if (m->p[i].orig == NULL || m->p[i].norm == NULL)
			goto nomem;
	}
	return m;
nomem:
	ib_match_free(m);
	ib_err_errno(err, ENOMEM, "patterns");
	return NULL;
}

void
ib_match_free(ib_match *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->p[i].orig);
		free(m->p[i].norm);
	}
	free(m->p);
	free(m);
}

int
ib_match_path(ib_match *m, const char *path)
{
	char buf[IB_MAX_PATH + 1];
	size_t i, len, cut;
	int hit;

	if (m->n == 0)
		return 1;
	len = strlen(path);
	if (len > IB_MAX_PATH)
		return 0;
	memcpy(buf, path, len + 1);
	hit = 0;
	for (i = 0; i < m->n; i++) {
		/* The path itself, then each parent directory. */
		cut = len;
		for (;;) {
			buf[cut] = '\0';
			if (m->p[i].norm[0] == '\0' ||
			    fnmatch(m->p[i].norm, buf, m->flags) == 0) {
				m->p[i].used = true;
				hit = 1;
				break;
			}
			while (cut > 0 && buf[cut - 1] != '/')
				cut--;
			if (cut == 0)
				break;
			cut--;
		}
		memcpy(buf, path, len + 1);
	}
	return hit;
}

size_t
ib_match_count(const ib_match *m)
{
	return m->n;
}

const char *
ib_match_pattern(const ib_match *m, size_t i)
{
	return m->p[i].orig;
}

bool
ib_match_used(const ib_match *m, size_t i)
{
	return m->p[i].used;
}
