/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * qcow2_to_raw [-j THREADS] IMAGE DIR NAME: a test-only driver of
 * lib/disk_convert for tests/e2e/qcow2-convert.sh and make bench, not a
 * tool: IMAGE's guest bytes into the sparse raw file DIR/NAME.
 * Errors: "qcow2_to_raw: msg" on stderr, exit 1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "disk_convert.h"

int
main(int argc, char **argv)
{
	ib_disk_convert_opts o;
	ib_err err;
	int dirfd, rc, a = 1;

	memset(&o, 0, sizeof(o));
	if (argc == 6 && strcmp(argv[1], "-j") == 0) {
		o.threads = (unsigned)atoi(argv[2]);
		a = 3;
	}
	if (argc - a != 3) {
		fprintf(stderr, "usage: qcow2_to_raw [-j N] IMAGE DIR NAME\n");
		return 2;
	}
	ib_err_clear(&err);
	dirfd = open(argv[a + 1], O_RDONLY | O_DIRECTORY);
	if (dirfd == -1) {
		perror(argv[a + 1]);
		return 1;
	}
	rc = ib_disk_convert_raw(argv[a], dirfd, argv[a + 2], &o, &err);
	close(dirfd);
	if (rc == -1) {
		fprintf(stderr, "qcow2_to_raw: %s\n", ib_err_text(&err));
		return 1;
	}
	return 0;
}
