/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_bls: the input split at 0xFF bytes into up to three parts. Each
 * part is parsed as an entry file with both loaders' rules and as
 * loader.conf; the three as strings and as entries must be ordered
 * consistently by both loaders' comparisons (antisymmetric, transitive:
 * a sort over them means something); and a tree with the first part as
 * loader/loader.conf and the others as entry files gives a systemd-boot
 * menu with absolute paths and a bounded number of notes.
 */
#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bls.h"
#include "bootfs.h"
#include "fuzztree.h"
#include "menu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sign(int r)
{
	return (r > 0) - (r < 0);
}

/* cmp(a, b) = -cmp(b, a); a <= b <= c gives a <= c. */
#define CHECK_ORDER(cmp, x, n)                                                 \
	do {                                                                   \
		for (size_t a_ = 0; a_ < (n); a_++)                            \
			for (size_t b_ = 0; b_ < (n); b_++) {                  \
				if (sign(cmp(x[a_], x[b_])) !=                 \
				    -sign(cmp(x[b_], x[a_])))                  \
					__builtin_trap();                      \
				for (size_t c_ = 0; c_ < (n); c_++)            \
					if (cmp(x[a_], x[b_]) <= 0 &&          \
					    cmp(x[b_], x[c_]) <= 0 &&          \
					    cmp(x[a_], x[c_]) > 0)             \
						__builtin_trap();              \
			}                                                      \
	} while (0)

static int
sd_cmp(const ib_bls_entry *a, const ib_bls_entry *b)
{
	return ib_bls_compare(a, b, IB_BLS_SDBOOT);
}

static int
grub_cmp(const ib_bls_entry *a, const ib_bls_entry *b)
{
	return ib_bls_compare(a, b, IB_BLS_GRUB);
}

static void
put(const char *dir, const char *rel, const uint8_t *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "wb");
	if (f == NULL)
		return;
	if (n > 0 && fwrite(p, 1, n, f) != n) {
		/* a short file is still a file */
	}
	fclose(f);
}

static void
menu_of(const uint8_t **part, const size_t *len, size_t n)
{
	/* what is made below, the directories after their files */
	static const char *const made[] = { "loader/entries/b.conf",
		"loader/entries/c+1.conf", "loader/entries/k", "loader/entries",
		"loader/loader.conf", "loader", "k" };
	char dir[] = "/tmp/fuzz_bls.XXXXXX", sub[512];
	const ib_menu_entry *e;
	ib_bootfs *fs;
	ib_menu *m;
	ib_err err;
	size_t i;

	if (mkdtemp(dir) == NULL)
		return;
	snprintf(sub, sizeof(sub), "%s/loader", dir);
	mkdir(sub, 0755);
	snprintf(sub, sizeof(sub), "%s/loader/entries", dir);
	mkdir(sub, 0755);
	put(dir, "loader/loader.conf", part[0], len[0]);
	put(dir, "loader/entries/b.conf", part[n > 1 ? 1 : 0],
	    len[n > 1 ? 1 : 0]);
	put(dir, "loader/entries/c+1.conf", part[n > 2 ? 2 : 0],
	    len[n > 2 ? 2 : 0]);
	/* the kernels a fuzzed entry is likely to name */
	put(dir, "k", (const uint8_t *)"k", 1);
	put(dir, "loader/entries/k", (const uint8_t *)"k", 1);
	fs = ib_bootfs_open_dir(dir, &err);
	if (fs != NULL) {
		m = ib_bls_menu_new(fs, "x64", &err);
		if (m != NULL) {
			/* a few notes per entry file and loader.conf line */
			if (ib_menu_nnotes(m) > 32)
				__builtin_trap();
			for (i = 0; i < ib_menu_count(m); i++) {
				e = ib_menu_at(m, i);
				if (e->kernel == NULL || e->kernel[0] != '/')
					__builtin_trap();
			}
		}
		fuzztree_check_free(m);
		ib_bootfs_close(fs);
	}
	for (i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		snprintf(sub, sizeof(sub), "%s/%s", dir, made[i]);
		if (unlink(sub) == -1)
			rmdir(sub);
	}
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[3] = { "/l/e/a-1.0-1.conf",
		"/l/e/B-2+1.conf", "/l/e/c-1.0~rc1-1+0-2.conf" };
	const uint8_t *part[3], *p, *sep;
	ib_bls_entry *sd[3], *gr[3];
	char *str[3];
	ib_bls_loader_conf c;
	size_t len[3], n, left, i;
	ib_err err;

	n = 0;
	p = data;
	left = size;
	while (n < 3) {
		sep = n < 2 ? memchr(p, 0xff, left) : NULL;
		part[n] = p;
		len[n] = sep != NULL ? (size_t)(sep - p) : left;
		n++;
		if (sep == NULL)
			break;
		left -= len[n - 1] + 1;
		p = sep + 1;
	}
	for (i = 0; i < n; i++) {
		str[i] = malloc(len[i] + 1);
		if (str[i] == NULL)
			return 0;
		memcpy(str[i], part[i], len[i]);
		str[i][len[i]] = '\0';
		sd[i] = ib_bls_parse(names[i], (const char *)part[i], len[i],
		    IB_BLS_SDBOOT, &err);
		gr[i] = ib_bls_parse(names[i], (const char *)part[i], len[i],
		    IB_BLS_GRUB, &err);
		if (ib_bls_loader_conf_parse((const char *)part[i], len[i], &c,
		        &err) == 0) {
			if (c.def != NULL)
				(void)ib_bls_fnmatch(c.def, str[i]);
			ib_bls_loader_conf_release(&c);
		}
	}
	CHECK_ORDER(ib_bls_strverscmp, str, n);
	CHECK_ORDER(ib_bls_vercmp, str, n);
	if (n == 3 && sd[0] != NULL && sd[1] != NULL && sd[2] != NULL)
		CHECK_ORDER(sd_cmp, sd, n);
	if (n == 3 && gr[0] != NULL && gr[1] != NULL && gr[2] != NULL)
		CHECK_ORDER(grub_cmp, gr, n);
	for (i = 0; i < n; i++)
		(void)ib_bls_fnmatch(str[i], str[(i + 1) % n]);
	menu_of(part, len, n);
	for (i = 0; i < n; i++) {
		free(str[i]);
		ib_bls_entry_free(sd[i]);
		ib_bls_entry_free(gr[i]);
	}
	return 0;
}
