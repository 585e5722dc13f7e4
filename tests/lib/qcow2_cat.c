/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * qcow2_cat: a test driver, not a tool. Writes the guest bytes of a qcow2
 * image read through ib_qcow2_open and ib_qcow2_pread to stdout, all of
 * them or LENGTH from OFFSET, in reads of BUFSIZE bytes (-b, default
 * 65536), so that tests/e2e/qcow2-read.sh can cmp them with qemu-img's.
 * -s prints the virtual size instead. Exit 1 with "qcow2_cat: IMAGE: msg".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "qcow2.h"

static uint64_t
number(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || s[0] == '-') {
		fprintf(stderr, "qcow2_cat: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	ib_qcow2 *q;
	ib_err err;
	unsigned char *buf;
	uint64_t off, len, n, bufsize = 65536;
	int c, size_only = 0;

	while ((c = getopt(argc, argv, "b:s")) != -1) {
		switch (c) {
		case 'b':
			bufsize = number(optarg);
			break;
		case 's':
			size_only = 1;
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if ((argc != 1 && argc != 3) || bufsize == 0)
		goto usage;
	ib_err_clear(&err);
	q = ib_qcow2_open(argv[0], &err);
	if (q == NULL) {
		fprintf(stderr, "qcow2_cat: %s: %s\n", argv[0],
		    ib_err_text(&err));
		return 1;
	}
	if (size_only) {
		printf("%" PRIu64 "\n", ib_qcow2_size(q));
		ib_qcow2_close(q);
		return fclose(stdout) == 0 ? 0 : 1;
	}
	off = argc == 3 ? number(argv[1]) : 0;
	len = argc == 3 ? number(argv[2]) : ib_qcow2_size(q);
	buf = malloc((size_t)bufsize);
	if (buf == NULL)
		return 1;
	while (len > 0) {
		n = len < bufsize ? len : bufsize;
		if (ib_qcow2_read_at(q, buf, (size_t)n, off, &err) == -1) {
			fprintf(stderr, "qcow2_cat: %s: %s\n", argv[0],
			    ib_err_text(&err));
			return 1;
		}
		if (fwrite(buf, 1, (size_t)n, stdout) != n)
			return 1;
		off += n;
		len -= n;
	}
	free(buf);
	ib_qcow2_close(q);
	return fclose(stdout) == 0 ? 0 : 1;
usage:
	fprintf(stderr,
	    "usage: qcow2_cat [-s] [-b bufsize] image [offset length]\n");
	return 2;
}
