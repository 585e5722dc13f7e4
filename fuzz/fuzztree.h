/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzztree: the two-file config tree the config fuzz targets build from
 * their input (split at the first 0xFF byte into /a.cfg and /b.cfg, so
 * that INCLUDE, CONFIG, source and configfile have a second file and a
 * loop to find). For the fuzz targets only.
 */
#ifndef IB_FUZZTREE_H
#define IB_FUZZTREE_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "menu.h"

static inline void
fuzztree_put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		return;
	if (write(fd, p, n) != (ssize_t)n) {
		/* a short fixture is still a fixture */
	}
	close(fd);
}

/* Make dir (a mkdtemp template) hold a.cfg and b.cfg; 0, or -1. */
static inline int
fuzztree_make(char *dir, const uint8_t *data, size_t size)
{
	const uint8_t *sep;
	size_t a;

	if (mkdtemp(dir) == NULL)
		return -1;
	sep = memchr(data, 0xff, size);
	a = sep != NULL ? (size_t)(sep - data) : size;
	fuzztree_put(dir, "a.cfg", data, a);
	fuzztree_put(dir, "b.cfg", sep != NULL ? sep + 1 : data,
	    sep != NULL ? size - a - 1 : 0);
	return 0;
}

static inline void
fuzztree_remove(const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/a.cfg", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.cfg", dir);
	unlink(path);
	rmdir(dir);
}

/* The property both config targets check: every path the reader gives
 * for the default entry is absolute. Frees m. */
static inline void
fuzztree_check_free(ib_menu *m)
{
	const ib_menu_entry *e;

	if (m == NULL)
		return;
	e = ib_menu_default(m);
	if (e != NULL && e->kind == IB_KIND_LINUX &&
	    (e->kernel == NULL || e->kernel[0] != '/'))
		__builtin_trap();
	for (size_t i = 0; e != NULL && i < e->ninitrds; i++)
		if (e->initrds[i][0] != '/')
			__builtin_trap();
	ib_menu_free(m);
}

#endif
