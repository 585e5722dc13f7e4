/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test and [ (grub-core/commands/test.c), with what a static reader can
 * decide.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grub_int.h"

struct tctx {
	bool invert, or_, and_;
};

struct tinfo {
	bool string; /* a plain string was taken as a test */
	bool failed; /* a file could not be looked up: *err says why */
};

/* test.c grub_strtosl: a '-' in front negates. */
static int64_t
strtosl(const struct ctx *c, const char *s)
{
	const char *end;
	uint64_t v;

	if (s[0] == '-') {
		ib_grub_strtoul(s + 1, c->g->pc, &v, &end);
		return ib_grub_to_int(0 - v);
	}
	ib_grub_strtoul(s, c->g->pc, &v, &end);
	return ib_grub_to_int(v);
}

static void
update_val(struct tctx *t, bool v)
{
	t->and_ = t->and_ && (t->invert ? !v : v);
	t->invert = false;
}

/*
 * get_fileinfo: whether path exists and is a directory. A file that is
 * there but cannot be read (its data lies past the end of a cut image),
 * or a directory on its way, is -1 with *err: taken as missing, it would
 * send the script down another branch than GRUB's, which sees the entry.
 */
static int
file_info(struct ctx *c, const char *where, const char *arg, bool *exists,
    bool *dir, ib_err *err)
{
	char path[IB_MAX_PATH + 1], qb[QMAX];
	char *data;
	size_t len;
	ib_err e;
	int rc;

	*exists = *dir = false;
	if (ib_grub_image_path(c, where, arg, true, path, sizeof(path), err) ==
	    -1) {
		ib_err_clear(err);
		return 0;
	}
	if (strcmp(path, "/") == 0) {
		*exists = *dir = true; /* the whole device */
		return 0;
	}
	rc = ib_bootfs_lookup(c->g->fs, path, err);
	if (rc == -1)
		return ib_err_prefix(err, "%s: %s: ", where,
		    ib_grub_quote(qb, sizeof(qb), path + 1));
	if (rc == 1) {
		*exists = true;
		return 0;
	}
	/* bootfs reads files only: a directory of a tree is "not a regular
	 * file"; an image's directories are not found (XXX: bootfs has no
	 * directory test). */
	ib_err_clear(&e);
	if (ib_bootfs_read(c->g->fs, path, &data, &len, &e) == 0) {
		free(data);
		*exists = true;
	} else if (e.code == EINVAL || e.code == EISDIR)
		*exists = *dir = true;
	return 0;
}

static bool
test_parse(struct ctx *c, const char *where, char **a, size_t *i, size_t n,
    unsigned depth, struct tinfo *ti, ib_err *err)
{
	struct tctx t = { false, false, true };
	bool ex, dir;
	const char *op;
	int64_t x, y;
	size_t k;

	while (*i < n) {
		if (*i + 2 < n) {
			op = a[*i + 1];
			if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0 ||
			    strcmp(op, "!=") == 0 || strcmp(op, "<") == 0 ||
			    strcmp(op, "<=") == 0 || strcmp(op, ">") == 0 ||
			    strcmp(op, ">=") == 0) {
				int r = strcmp(a[*i], a[*i + 2]);

				if (op[0] == '=')
					update_val(&t, r == 0);
				else if (op[0] == '!')
					update_val(&t, r != 0);
				else if (op[0] == '<')
					update_val(&t, op[1] ? r <= 0 : r < 0);
				else
					update_val(&t, op[1] ? r >= 0 : r > 0);
				*i += 3;
				continue;
			}
			if (strcmp(op, "-eq") == 0 || strcmp(op, "-ne") == 0 ||
			    strcmp(op, "-lt") == 0 || strcmp(op, "-le") == 0 ||
			    strcmp(op, "-gt") == 0 || strcmp(op, "-ge") == 0) {
				x = strtosl(c, a[*i]);
				y = strtosl(c, a[*i + 2]);
				if (strcmp(op, "-eq") == 0)
					update_val(&t, x == y);
				else if (strcmp(op, "-ne") == 0)
					update_val(&t, x != y);
				else if (strcmp(op, "-lt") == 0)
					update_val(&t, x < y);
				else if (strcmp(op, "-le") == 0)
					update_val(&t, x <= y);
				else if (strcmp(op, "-gt") == 0)
					update_val(&t, x > y);
				else
					update_val(&t, x >= y);
				*i += 3;
				continue;
			}
			if (strcmp(op, "-pgt") == 0 ||
			    strcmp(op, "-plt") == 0) {
				const char *l = a[*i], *r = a[*i + 2], *e;
				uint64_t lv, rv;

				/* skip the common prefix, then back over
				 * its digits (as test.c does it) */
				for (k = 0; l[k] == r[k] && l[k] != '\0'; k++)
					;
				if (k > 0) {
					k--;
					while (ib_grub_is_digit(l[k]) && k > 0)
						k--;
					k++;
				}
				ib_grub_strtoul(l + k, c->g->pc, &lv, &e);
				ib_grub_strtoul(r + k, c->g->pc, &rv, &e);
				update_val(&t,
				    op[2] == 'g' ? lv > rv : lv < rv);
				*i += 3;
				continue;
			}
			if (strncmp(op, "-nt", 3) == 0 ||
			    strncmp(op, "-ot", 3) == 0) {
				ib_grub_note(c->g,
				    "%s: test %s: file times are unknown here: "
				    "taken as false",
				    where, op);
				update_val(&t, false);
				*i += 3;
				continue;
			}
		}
		if (*i + 1 < n) {
			op = a[*i];
			if (strcmp(op, "-d") == 0 || strcmp(op, "-e") == 0 ||
			    strcmp(op, "-f") == 0) {
				if (file_info(c, where, a[*i + 1], &ex, &dir,
				        err) == -1) {
					ti->failed = true;
					*i = n;
					return false;
				}
				if (op[1] == 'd')
					update_val(&t, ex && dir);
				else if (op[1] == 'e')
					update_val(&t, ex);
				else
					update_val(&t, ex && !dir);
				*i += 2;
				continue;
			}
			if (strcmp(op, "-s") == 0) {
				char path[IB_MAX_PATH + 1], *data;
				size_t len;
				ib_err e;
				bool v = false;

				if (ib_grub_image_path(c, where, a[*i + 1],
				        false, path, sizeof(path), &e) == 0 &&
				    ib_bootfs_read(c->g->fs, path, &data, &len,
				        &e) == 0) {
					v = len > 0;
					free(data);
				}
				update_val(&t, v);
				*i += 2;
				continue;
			}
			if (strcmp(op, "-n") == 0 || strcmp(op, "-z") == 0) {
				update_val(&t,
				    (a[*i + 1][0] != '\0') == (op[1] == 'n'));
				*i += 2;
				continue;
			}
		}
		if (strcmp(a[*i], ")") == 0) {
			(*i)++;
			return t.or_ || t.and_;
		}
		if (strcmp(a[*i], "(") == 0) {
			(*i)++;
			if (depth >= IB_MAX_GRUB_NEST) {
				ib_grub_note(c->g,
				    "%s: test nested deeper than %u: taken as "
				    "false",
				    where, IB_MAX_GRUB_NEST);
				*i = n;
				return false;
			}
			update_val(&t,
			    test_parse(c, where, a, i, n, depth + 1, ti, err));
			if (ti->failed)
				return false;
			continue;
		}
		if (strcmp(a[*i], "!") == 0) {
			t.invert = !t.invert;
			(*i)++;
			continue;
		}
		if (strcmp(a[*i], "-a") == 0) {
			(*i)++;
			continue;
		}
		if (strcmp(a[*i], "-o") == 0) {
			t.or_ = t.or_ || t.and_;
			t.and_ = true;
			(*i)++;
			continue;
		}
		/* "No test found. Interpret if as just a string." */
		ti->string = true;
		update_val(&t, a[*i][0] != '\0');
		(*i)++;
	}
	return t.or_ || t.and_;
}

/* The words of a test, for a note. */
static void
test_text(char **a, size_t n, char *buf, size_t size)
{
	size_t o, k;

	buf[0] = '\0';
	for (o = k = 0; k < n && o + 8 < size; k++) {
		if (k > 0)
			buf[o++] = ' ';
		ib_quote(buf + o, size - o, a[k], strlen(a[k]));
		o += strlen(buf + o);
	}
}

int
ib_grub_cmd_test(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	struct tinfo ti = { false, false };
	char tb[256];
	size_t i, n;
	bool v;

	n = av->n;
	if (strcmp(av->v[0], "[") == 0 && n > 1 &&
	    strcmp(av->v[n - 1], "]") == 0)
		n--;
	i = 1;
	v = test_parse(c, where, av->v, &i, n, 0, &ti, err);
	if (ti.failed)
		return -1;
	if (n == 1)
		ib_grub_note(c->g,
		    "%s: an empty test is true (test.c starts from true)",
		    where);
	else if (ti.string) {
		test_text(av->v + 1, n - 1, tb, sizeof(tb));
		ib_grub_note(c->g,
		    "%s: test '%s' has a word that is no operator: GRUB takes a "
		    "non-empty string as true and runs nothing; %s",
		    where, tb, v ? "true" : "false");
	}
	c->status = v ? 0 : 1;
	return 0;
}
