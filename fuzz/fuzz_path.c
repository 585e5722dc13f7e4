/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_path: property: a path that ib_path_check accepts, split at
 * '/', has no empty, "." or ".." component and does not start with '/',
 * so joining it under a directory can never leave that directory.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bounds.h"
#include "path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[IB_MAX_PATH + 8];
	const char *p, *s;
	size_t n;
	ib_err err;

	if (size >= sizeof(path))
		return 0;
	memcpy(path, data, size);
	path[size] = '\0';
	if (ib_path_check(path, &err) != 0)
		return 0;
	if (path[0] == '/')
		__builtin_trap();
	for (p = path;; p = s + 1) {
		s = strchr(p, '/');
		n = s != NULL ? (size_t)(s - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			__builtin_trap();
		if (s == NULL)
			break;
	}
	return 0;
}
