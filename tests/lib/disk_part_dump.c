/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk_part_dump IMAGE: a test-only driver of lib/disk_part and
 * lib/disk_probe for tests/e2e/disk-part.sh, not a tool. Prints the
 * partition table and each partition's filesystem as lines the test
 * compares with sfdisk --json and blkid -p:
 *   scheme SCHEME sector N id ID
 *   note TEXT
 *   pN START SIZE TYPE          (sectors; TYPE: GUID, or MBR hex)
 *   pN uuid GUID | pN name NAME (GPT)
 *   pN|disk TYPE=T | UUID=U | LABEL=L | NAME=N (blkid's words; NAME ours)
 * Errors: "disk_part_dump: IMAGE: msg" on stderr, exit 1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "disk_part.h"
#include "disk_probe.h"

static int
dump_fs(const ib_disk_reader *r, const char *who, uint64_t off, uint64_t len,
    ib_err *err)
{
	ib_disk_fs fs;
	char q[1100];

	if (ib_disk_probe(r, off, len, &fs, err) != 0)
		return -1;
	if (fs.type == NULL)
		return 0;
	printf("%s TYPE=%s\n", who, fs.type);
	printf("%s NAME=%s\n", who, fs.name);
	if (fs.uuid[0] != '\0')
		printf("%s UUID=%s\n", who,
		    ib_quote(q, sizeof(q), fs.uuid, strlen(fs.uuid)));
	if (fs.label[0] != '\0')
		printf("%s LABEL=%s\n", who,
		    ib_quote(q, sizeof(q), fs.label, strlen(fs.label)));
	return 0;
}

int
main(int argc, char **argv)
{
	ib_disk_reader r;
	ib_disk_table *t = NULL;
	ib_err err;
	char who[32], q[400];
	size_t i;
	int fd, rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: disk_part_dump IMAGE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd == -1) {
		perror(argv[1]);
		return 1;
	}
	ib_err_clear(&err);
	if (ib_disk_reader_fd(&r, &fd, &err) != 0)
		goto out;
	t = ib_disk_table_new(&r, &err);
	if (t == NULL)
		goto out;
	printf("scheme %s sector %u id %s\n", ib_disk_scheme_name(t->scheme),
	    t->sector, t->id[0] != '\0' ? t->id : "-");
	if (t->note[0] != '\0')
		printf("note %s\n", t->note);
	if (t->scheme == IB_DISK_NONE) {
		if (dump_fs(&r, "disk", 0, r.size, &err) != 0)
			goto out;
	}
	for (i = 0; i < t->count; i++) {
		const ib_disk_part *p = &t->parts[i];

		if (t->scheme == IB_DISK_GPT) {
			printf("p%u %llu %llu %s\n", p->num,
			    (unsigned long long)p->first_lba,
			    (unsigned long long)p->sectors, p->type_guid);
			printf("p%u uuid %s\n", p->num, p->uuid);
			if (p->name[0] != '\0')
				printf("p%u name %s\n", p->num,
				    ib_quote(q, sizeof(q), p->name,
				        strlen(p->name)));
		} else {
			printf("p%u %llu %llu %x\n", p->num,
			    (unsigned long long)p->first_lba,
			    (unsigned long long)p->sectors, p->mbr_type);
		}
	}
	for (i = 0; i < t->count; i++) {
		if (t->parts[i].extended)
			continue;
		snprintf(who, sizeof(who), "p%u", t->parts[i].num);
		if (dump_fs(&r, who, t->parts[i].start, t->parts[i].size,
		        &err) != 0)
			goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "disk_part_dump: %s: %s\n", argv[1],
		    ib_err_text(&err));
	ib_disk_table_free(t);
	close(fd);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = 1;
	return rc;
}
