/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_cmdline: properties of the command-line editor: split, join,
 * split again gives the same words; the serial rewrite is idempotent;
 * the --serial value parser keeps its promises.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
join_of(const char *s)
{
	ib_argv a = { 0 };
	ib_err err;
	char *j;

	j = ib_cmdline_append(&a, s, &err) == 0 ? ib_cmdline_join_new(&a) :
	                                          NULL;
	ib_argv_free(&a);
	return j;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *j1, *j2, *r1, *r2, *stripped;
	ib_argv a = { 0 };
	ib_err err;

	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	j1 = join_of(s);
	j2 = j1 != NULL ? join_of(j1) : NULL;
	if (j1 != NULL && (j2 == NULL || strcmp(j1, j2) != 0))
		__builtin_trap();
	r1 = r2 = NULL;
	if (ib_cmdline_append(&a, s, &err) == 0 &&
	    ib_cmdline_serial(&a, NULL, "115200", &err) == 0) {
		r1 = ib_cmdline_join_new(&a);
		if (ib_cmdline_serial(&a, NULL, "115200", &err) == 0)
			r2 = ib_cmdline_join_new(&a);
		if (r1 != NULL && r2 != NULL && strcmp(r1, r2) != 0)
			__builtin_trap();
	}
	ib_argv_free(&a);
	/* --serial=DEV[,SPEED]: a device that fits, a speed of digits. */
	{
		char dev[16];
		const char *speed;

		if (ib_cmdline_serial_parse(s, dev, sizeof(dev), &speed,
		        &err) == 0 &&
		    (dev[0] == '\0' || strlen(dev) >= sizeof(dev) ||
		        (speed != NULL &&
		            strspn(speed, "0123456789") != strlen(speed))))
			__builtin_trap();
	}
	stripped = ib_cmdline_strip_loader_new(s);
	if (stripped != NULL && strlen(stripped) > strlen(s))
		__builtin_trap();
	free(stripped);
	free(r1);
	free(r2);
	free(j1);
	free(j2);
	free(s);
	return 0;
}
