/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk_cat IMAGE vols | tree VOL | cat VOL PATH: a test-only driver of
 * lib/disk_image and lib/vol for the e2e scripts, not a tool.
 *   vols       one line per volume: NAME FSNAME (or "-" for a disk
 *              without a table, "none" when nothing is recognised)
 *   tree VOL   every path below the root of volume VOL ("-": the
 *              disk's only one), depth first in directory order:
 *              "TYPE SIZE MODE PATH" (TYPE d, f, l or o; SIZE of files
 *              and links), names quoted with ib_quote
 *   cat VOL P  the bytes of the file at P, links followed
 * Errors: "disk_cat: IMAGE: msg" on stderr, exit 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "disk_image.h"

struct tree {
	ib_vol *v;
	char path[IB_MAX_PATH + 1];
	unsigned depth;
};

static int visit(void *ctx, const char *name, size_t len, const ib_vol_node *n,
    ib_err *err);

static int
walk(struct tree *t, const ib_vol_node *dir, ib_err *err)
{
	if (++t->depth > 64)
		return ib_err_set(err, IB_ELIMIT, "tree deeper than 64");
	if (ib_vol_readdir(t->v, dir, visit, t, err) == -1)
		return -1;
	t->depth--;
	return 0;
}

static int
visit(void *ctx, const char *name, size_t len, const ib_vol_node *n,
    ib_err *err)
{
	static const char types[] = { 'f', 'd', 'l', 'o' };
	struct tree *t = ctx;
	size_t at = strlen(t->path);
	char q[IB_MAX_PATH * 4];

	if (at + 1 + len > IB_MAX_PATH)
		return ib_err_set(err, IB_ELIMIT, "path too long");
	t->path[at] = '/';
	memcpy(t->path + at + 1, name, len);
	t->path[at + 1 + len] = '\0';
	printf("%c %llu %04o %s\n", types[n->type],
	    n->type == IB_VOL_DIR ? 0ULL : (unsigned long long)n->size, n->mode,
	    ib_quote(q, sizeof(q), t->path + 1, strlen(t->path + 1)));
	if (n->type == IB_VOL_DIR && walk(t, n, err) == -1)
		return -1;
	t->path[at] = '\0';
	return 0;
}

static int
cat(ib_vol *v, const char *path, ib_err *err)
{
	static char buf[1 << 20];
	ib_vol_node n;
	uint64_t off;
	size_t len;
	int rc;

	rc = ib_vol_lookup(v, path, true, &n, err);
	if (rc == 0)
		return ib_err_set(err, IB_ENOTFOUND, "%s: no such file", path);
	if (rc == -1)
		return ib_err_prefix(err, "%s: ", path);
	if (n.type != IB_VOL_REG)
		return ib_err_set(err, IB_EFORMAT, "%s: not a file", path);
	for (off = 0; off < n.size; off += len) {
		len = n.size - off < sizeof(buf) ? (size_t)(n.size - off) :
		                                   sizeof(buf);
		if (ib_vol_pread(v, &n, buf, len, off, err) == -1)
			return ib_err_prefix(err, "%s: ", path);
		fwrite(buf, 1, len, stdout);
	}
	return 0;
}

static int
run(ib_disk_image *d, int argc, char **argv, ib_err *err)
{
	struct tree t;
	ib_vol_node root;
	ib_vol *v;
	long i;
	size_t k;

	if (strcmp(argv[2], "vols") == 0) {
		for (k = 0; k < ib_disk_image_count(d); k++)
			printf("%s %s\n",
			    ib_disk_image_name(d, k)[0] != '\0' ?
			        ib_disk_image_name(d, k) :
			        "-",
			    ib_disk_image_fs(d, k)->type != NULL ?
			        ib_disk_image_fs(d, k)->type :
			        "none");
		return 0;
	}
	if (argc < 4)
		return ib_err_set(err, EINVAL, "usage");
	i = ib_disk_image_lookup(d, strcmp(argv[3], "-") == 0 ? "" : argv[3]);
	if (i == -1)
		return ib_err_set(err, IB_ENOTFOUND, "%s: no such volume",
		    argv[3]);
	v = ib_disk_image_vol(d, (size_t)i, err);
	if (v == NULL)
		return -1;
	if (strcmp(argv[2], "cat") == 0 && argc == 5)
		return cat(v, argv[4], err);
	if (strcmp(argv[2], "tree") != 0)
		return ib_err_set(err, EINVAL, "usage");
	memset(&t, 0, sizeof(t));
	t.v = v;
	if (ib_vol_lookup(v, "/", true, &root, err) != 1)
		return -1;
	return walk(&t, &root, err);
}

int
main(int argc, char **argv)
{
	ib_disk_image *d;
	ib_err err;
	int rc;

	if (argc < 3) {
		fprintf(stderr,
		    "usage: disk_cat IMAGE vols | tree VOL | cat VOL PATH\n");
		return 2;
	}
	ib_err_clear(&err);
	d = ib_disk_image_open(argv[1], &err);
	rc = d != NULL ? run(d, argc, argv, &err) : -1;
	ib_disk_image_close(d);
	if (fflush(stdout) != 0)
		rc = -1;
	if (rc == -1)
		fprintf(stderr, "disk_cat: %s: %s\n", argv[1],
		    ib_err_text(&err));
	return rc == -1 ? 1 : 0;
}
