/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * replay: run a fuzz target's LLVMFuzzerTestOneInput on files, without
 * libFuzzer, so that gcc builds replay tests/regress/ in make check.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	unsigned char *buf;
	size_t n;
	long len;
	FILE *f;
	int i;

	for (i = 1; i < argc; i++) {
		f = fopen(argv[i], "rb");
		if (f == NULL || fseek(f, 0, SEEK_END) != 0 ||
		    (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
			perror(argv[i]);
			return 1;
		}
		buf = malloc(len > 0 ? (size_t)len : 1);
		if (buf == NULL)
			return 1;
		n = fread(buf, 1, (size_t)len, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
		printf("ok - replayed %s\n", argv[i]);
	}
	return 0;
}
