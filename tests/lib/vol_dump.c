/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * vol_dump fat IMAGE OFFSET ls DIR | cat PATH [BUFSIZE] | tree: a test-only
 * driver of one filesystem reader (fat.h) through lib/vol, for
 * tests/e2e/fat-read.sh; not a tool. The filesystem is the bytes of
 * IMAGE from OFFSET to its end.
 *   ls DIR     DIR's entries in directory order: "TYPE SIZE MODE MTIME
 *              ID AUX NAME" (TYPE d or f, MTIME in seconds since the
 *              epoch, ID and AUX the reader's: for FAT the entry's byte
 *              in the volume and the first cluster)
 *   cat PATH   the file's bytes, read in pieces of BUFSIZE (1 MiB)
 *   tree       every path below the root with its type and size,
 *              "PATH<tab>d<tab>-" or "PATH<tab>f<tab>SIZE", sorted
 *              as LC_ALL=C sort sorts them
 * Names are quoted with ib_quote. Errors: "vol_dump: IMAGE: msg" on
 * stderr, exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "disk_part.h"
#include "fat.h"
#include "vol.h"

/* Lines of the tree, sorted before they are printed. */
struct lines {
	char **v;
	size_t n, cap;
};

/* One directory's entries, gathered before they are walked. */
struct child {
	char name[IB_MAX_PATH + 1];
	ib_vol_node node;
};

struct kids {
	struct child *v;
	size_t n, cap;
};

/* Room for one more element of size in *v (n used of *cap). */
static int
grow(void *v, size_t n, size_t *cap, size_t size, ib_err *err)
{
	void **p = v, *nv;

	if (n < *cap)
		return 0;
	nv = realloc(*p, (*cap ? 2 * *cap : 16) * size);
	if (nv == NULL)
		return ib_err_errno(err, ENOMEM, "tree");
	*p = nv;
	*cap = *cap ? 2 * *cap : 16;
	return 0;
}

static int
gather(void *ctx, const char *name, size_t len, const ib_vol_node *n,
    ib_err *err)
{
	struct kids *k = ctx;

	if (len > IB_MAX_PATH)
		return ib_err_set(err, IB_ELIMIT, "name of %zu bytes", len);
	if (grow(&k->v, k->n, &k->cap, sizeof(*k->v), err) != 0)
		return -1;
	memcpy(k->v[k->n].name, name, len);
	k->v[k->n].name[len] = '\0';
	k->v[k->n++].node = *n;
	return 0;
}

static int
add_line(struct lines *l, const char *path, const ib_vol_node *n, ib_err *err)
{
	char q[IB_MAX_PATH * 4 + 1];
	size_t len;

	if (grow(&l->v, l->n, &l->cap, sizeof(*l->v), err) != 0)
		return -1;
	ib_quote(q, sizeof(q), path, strlen(path));
	len = strlen(q) + 32;
	l->v[l->n] = malloc(len);
	if (l->v[l->n] == NULL)
		return ib_err_errno(err, ENOMEM, "tree");
	if (n->type == IB_VOL_DIR)
		snprintf(l->v[l->n], len, "%s\td\t-", q);
	else
		snprintf(l->v[l->n], len, "%s\tf\t%" PRIu64, q, n->size);
	l->n++;
	return 0;
}

/* Every path below dir (at path) into l, depth at most 64. */
static int
walk(ib_vol *v, const ib_vol_node *dir, const char *path, unsigned depth,
    struct lines *l, ib_err *err)
{
	struct kids k = { NULL, 0, 0 };
	char sub[IB_MAX_PATH + 1];
	size_t i;
	int rc = 0;

	if (depth > 64)
		return ib_err_set(err, IB_ELIMIT, "%s: deeper than 64", path);
	if (ib_vol_readdir(v, dir, gather, &k, err) != 0)
		rc = ib_err_prefix(err, "%s: ", path[0] ? path : "/");
	for (i = 0; rc == 0 && i < k.n; i++) {
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path,
		        k.v[i].name) >= sizeof(sub))
			rc = ib_err_set(err, IB_ELIMIT, "path too long");
		else
			rc = add_line(l, sub, &k.v[i].node, err);
		if (rc == 0 && k.v[i].node.type == IB_VOL_DIR)
			rc = walk(v, &k.v[i].node, sub, depth + 1, l, err);
	}
	free(k.v);
	return rc;
}

static int
by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
tree(ib_vol *v, ib_err *err)
{
	struct lines l = { NULL, 0, 0 };
	ib_vol_node root;
	size_t i;
	int rc = -1;

	if (ib_vol_lookup(v, "/", true, &root, err) == 1 &&
	    walk(v, &root, "", 0, &l, err) == 0) {
		if (l.n > 1) /* qsort's base may not be NULL (C11 7.22.5) */
			qsort(l.v, l.n, sizeof(*l.v), by_bytes);
		for (i = 0; i < l.n; i++)
			printf("%s\n", l.v[i]);
		rc = 0;
	}
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	return rc;
}

static int
print_entry(void *ctx, const char *name, size_t len, const ib_vol_node *n,
    ib_err *err)
{
	char q[IB_MAX_PATH * 4 + 1];

	(void)ctx;
	(void)err;
	printf("%c %" PRIu64 " %04o %" PRId64 " %" PRIu64 " %" PRIu64 " %s\n",
	    n->type == IB_VOL_DIR ? 'd' : 'f', n->size, n->mode, n->mtime,
	    n->id, n->aux, ib_quote(q, sizeof(q), name, len));
	return 0;
}

/* The node at path, which must exist. */
static int
find(ib_vol *v, const char *path, ib_vol_node *n, ib_err *err)
{
	int rc = ib_vol_lookup(v, path, true, n, err);

	if (rc == 0)
		return ib_err_set(err, IB_ENOTFOUND, "%s: no such file", path);
	if (rc == -1)
		return ib_err_prefix(err, "%s: ", path);
	return 0;
}

static int
cat(ib_vol *v, const char *path, size_t bufsize, ib_err *err)
{
	ib_vol_node n;
	unsigned char *buf;
	uint64_t off;
	size_t len;
	int rc = 0;

	if (find(v, path, &n, err) != 0)
		return -1;
	if (n.type != IB_VOL_REG)
		return ib_err_set(err, IB_EFORMAT, "%s: not a file", path);
	buf = malloc(bufsize);
	if (buf == NULL)
		return ib_err_errno(err, ENOMEM, "cat");
	for (off = 0; rc == 0 && off < n.size; off += len) {
		len = n.size - off < bufsize ? (size_t)(n.size - off) : bufsize;
		rc = ib_vol_pread(v, &n, buf, len, off, err);
		if (rc != 0)
			ib_err_prefix(err, "%s: ", path);
		else if (fwrite(buf, 1, len, stdout) != len)
			rc = ib_err_errno(err, errno, "stdout");
	}
	free(buf);
	return rc;
}

static int
run(ib_vol *v, int argc, char **argv, ib_err *err)
{
	ib_vol_node n;
	unsigned long long bs = 1 << 20;
	char *end;

	if (strcmp(argv[4], "tree") == 0 && argc == 5)
		return tree(v, err);
	if (strcmp(argv[4], "ls") == 0 && argc == 6) {
		if (find(v, argv[5], &n, err) != 0)
			return -1;
		if (ib_vol_readdir(v, &n, print_entry, NULL, err) != 0)
			return ib_err_prefix(err, "%s: ", argv[5]);
		return 0;
	}
	if (strcmp(argv[4], "cat") == 0 && (argc == 6 || argc == 7)) {
		if (argc == 7) {
			bs = strtoull(argv[6], &end, 10);
			if (*end != '\0' || bs == 0 || bs > (1u << 30))
				return ib_err_set(err, EINVAL,
				    "bad buffer size '%s'", argv[6]);
		}
		return cat(v, argv[5], (size_t)bs, err);
	}
	return ib_err_set(err, EINVAL, "unknown command '%s'", argv[4]);
}

int
main(int argc, char **argv)
{
	ib_disk_reader r;
	ib_vol *v = NULL;
	ib_err err;
	unsigned long long off = 0;
	char *end;
	int fd, rc = -1;

	if (argc < 5 || strcmp(argv[1], "fat") != 0) {
		fprintf(stderr,
		    "usage: vol_dump fat IMAGE OFFSET ls DIR | "
		    "cat PATH [BUFSIZE] | tree\n");
		return 2;
	}
	ib_err_clear(&err);
	fd = open(argv[2], O_RDONLY);
	if (fd == -1) {
		ib_err_errno(&err, errno, "open");
	} else if (ib_disk_reader_fd(&r, &fd, &err) == 0) {
		off = strtoull(argv[3], &end, 0);
		if (*end != '\0' || off > r.size)
			ib_err_set(&err, EINVAL, "bad offset '%s'", argv[3]);
		else
			v = ib_fat_open(&r, off, r.size - off, &err);
	}
	if (v != NULL)
		rc = run(v, argc, argv, &err);
	ib_vol_close(v);
	if (fd != -1)
		close(fd);
	if (fflush(stdout) != 0 && rc == 0)
		rc = ib_err_errno(&err, errno, "stdout");
	if (rc != 0)
		fprintf(stderr, "vol_dump: %s: %s\n", argv[2],
		    ib_err_text(&err));
	return rc != 0 ? 1 : 0;
}
