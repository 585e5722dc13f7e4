/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GRUB's file-name wildcards (grub-core/commands/wildcard.c, in
 * regexp.mod): once "insmod regexp" (or a first "regexp" command) has
 * registered the wildcard translator, an argument with an unquoted *, ?
 * or [ is a pattern, replaced by the names it matches, or kept as written
 * when none does (grub-core/script/execute.c grub_script_arglist_to_argv:
 * quoted text is escaped first, so it never matches as a pattern).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grub_int.h"

struct globbing {
	const char *pat; /* the last component, escapes kept */
	char **names;
	size_t n, cap;
};

static int
collect(void *ctx, const char *name, bool is_dir, ib_err *err)
{
	struct globbing *gl = ctx;
	char **v;

	(void)is_dir;
	if (fnmatch(gl->pat, name, 0) != 0)
		return 0;
	if (gl->n >= IB_MAX_GRUB_GLOB)
		return ib_err_set(err, IB_ELIMIT,
		    "a wildcard matches more than %u names", IB_MAX_GRUB_GLOB);
	if (gl->n == gl->cap) {
		gl->cap = gl->cap ? gl->cap * 2 : 8;
		v = realloc(gl->names, gl->cap * sizeof(*v));
		if (v == NULL)
			return ib_err_errno(err, ENOMEM, "wildcard");
		gl->names = v;
	}
	gl->names[gl->n] = strdup(name);
	if (gl->names[gl->n] == NULL)
		return ib_err_errno(err, ENOMEM, "wildcard");
	gl->n++;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether s has an unescaped *, ? or [. */
static bool
has_wild(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	}
	return false;
}

int
ib_grub_glob(struct ctx *c, const char *pat, ib_argv *out, ib_err *err)
{
	char dir[IB_MAX_PATH + 1], img[IB_MAX_PATH + 1], qb[256];
	struct globbing gl;
	const char *slash;
	size_t i, j, dn;
	int rc;

	slash = strrchr(pat, '/');
	/* Only names in one directory: a pattern in a directory
	 * component, or without a '/', is kept as written here. */
	if (slash == NULL || !has_wild(slash + 1, strlen(slash + 1)) ||
	    has_wild(pat, (size_t)(slash - pat)))
		return 0;
	/* The directory, unescaped, as GRUB opens it. */
	dn = 0;
	for (i = 0; pat + i < slash && dn < sizeof(dir) - 1; i++) {
		if (pat[i] == '\\' && pat + i + 1 < slash)
			i++;
		dir[dn++] = pat[i];
	}
	dir[dn] = '\0';
	if (ib_grub_image_path(c, "wildcard", dn ? dir : "/", false, img,
	        sizeof(img), err) == -1)
		return -1;
	memset(&gl, 0, sizeof(gl));
	gl.pat = slash + 1;
	rc = ib_bootfs_list(c->g->fs, img, collect, &gl, err);
	if (rc == -1 && err->code != IB_ELIMIT && err->code != ENOMEM)
		rc = 0; /* an unreadable directory matches nothing */
	if (rc == 0 && gl.n > 0) {
		/* ISO 9660 keeps a directory's records sorted by name;
		 * wildcard.c lists them in that order. */
		qsort(gl.names, gl.n, sizeof(*gl.names), by_name);
		for (j = 0; j < gl.n && rc == 0; j++)
			rc = ib_argv_addf(out, err, "%s/%s", dir, gl.names[j]);
		ib_grub_note(c->g, "wildcard %s: %zu name%s, in name order",
		    ib_grub_quote(qb, sizeof(qb), pat), gl.n,
		    gl.n == 1 ? "" : "s");
	}
	for (j = 0; j < gl.n; j++)
		free(gl.names[j]);
	free(gl.names);
	return rc == -1 ? -1 : (int)(rc == 0 ? gl.n : 0);
}
