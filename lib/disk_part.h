/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk_part: the partition table of a disk image, read without mounting
 * anything: none (a bare filesystem), MBR with an extended partition and
 * its chain of logical ones, or GPT (protective MBR, header and entry-array
 * CRC32s, the backup header when the primary is damaged). Partitions are
 * numbered as Linux numbers them: MBR primaries 1-4 by slot, logicals from
 * 5 in chain order; GPT entries by their index in the array, plus one.
 *
 * Bytes come through an ib_disk_reader, so that the same code reads a raw
 * file (ib_disk_reader_fd) or, later, a qcow2 image in place. Every count
 * is bounded by bounds.h (IB_MAX_EBR, IB_MAX_GPT_ENTRIES, IB_MAX_GPT_ARRAY)
 * and every partition must lie inside the disk and overlap no other.
 *
 * Not for: writing or repairing tables (sfdisk, sgdisk do that), BSD
 * disklabels, Apple partition maps, or filesystems (disk_probe.h).
 */
#ifndef IB_DISK_PART_H
#define IB_DISK_PART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

/*
 * Where a disk's bytes come from: read exactly len bytes at byte offset
 * off into buf. Callers stay inside the reader's size; a short read is a
 * failure. Returns 0, or -1 with *err.
 */
typedef int (*ib_disk_read_fn)(void *ctx, void *buf, size_t len, uint64_t off,
    ib_err *err);

/* A disk: its read function, that function's context, its size in bytes. */
typedef struct ib_disk_reader {
	ib_disk_read_fn read;
	void *ctx;
	uint64_t size;
} ib_disk_reader;

/*
 * A reader of the raw image (regular file or block device) open on *fd,
 * sized by fstat or lseek. fd is borrowed: *fd must outlive r. Returns 0,
 * or -1 with *err (errno values).
 */
int ib_disk_reader_fd(ib_disk_reader *r, int *fd, ib_err *err);

/* Read len bytes at off through r, refusing a range past r->size
 * (IB_EFORMAT, naming what) before calling r->read. */
int ib_disk_read(const ib_disk_reader *r, void *buf, size_t len, uint64_t off,
    const char *what, ib_err *err);

enum ib_disk_scheme {
	IB_DISK_NONE, /* no table: the whole disk is one filesystem (or none) */
	IB_DISK_MBR,
	IB_DISK_GPT
};

/* Bytes of a GPT name in UTF-8: 36 UTF-16 units, 3 bytes each, a NUL. */
#define IB_DISK_NAME_MAX (36 * 3 + 1)

/* One partition. */
typedef struct ib_disk_part {
	unsigned num;       /* Linux's number: the N of pN */
	uint64_t first_lba; /* in the table's sectors */
	uint64_t sectors;   /* length in the table's sectors */
	uint64_t start;     /* bytes from the start of the disk */
	uint64_t size;      /* bytes */
	unsigned mbr_type;  /* MBR: the type byte; GPT: 0 */
	bool bootable;      /* MBR: boot indicator 0x80 */
	bool extended;      /* MBR: the container of the logical ones */
	bool logical;       /* MBR: inside the extended partition */
	uint64_t attrs;     /* GPT: attribute bits */
	char type_guid[37]; /* GPT: "C12A7328-F81F-11D2-BA4B-00A0C93EC93B" */
	char uuid[37];      /* GPT: the partition's unique GUID */
	const char *type;   /* a name for the type ("EFI System"), or NULL */
	char name[IB_DISK_NAME_MAX]; /* GPT: the name, UTF-8; untrusted */
} ib_disk_part;

/* What ib_disk_table_new found. */
typedef struct ib_disk_table {
	enum ib_disk_scheme scheme;
	unsigned sector;       /* bytes per sector: 512, or 4096 for GPT */
	char id[37];           /* GPT: disk GUID; MBR: "0x%08x" disk id */
	uint64_t first_usable; /* GPT: first usable LBA */
	uint64_t last_usable;  /* GPT: last usable LBA */
	size_t count;          /* partitions in parts, by number */
	ib_disk_part *parts;
	char note[IB_ERR_MAX]; /* warnings ("...; using the backup"), or "" */
} ib_disk_table;

/*
 * Read the partition table of r: GPT when the MBR has a protective (0xEE)
 * entry, MBR when sector 0 ends in 55 AA and is not a FAT or NTFS boot
 * sector, else none. Returns a table the caller frees with
 * ib_disk_table_free(), or NULL and *err: IB_EFORMAT naming the defect
 * (both GPT headers bad, a partition past the disk end, two that overlap,
 * an EBR chain that loops), IB_ELIMIT naming the bound, or r's errors.
 */
ib_disk_table *ib_disk_table_new(const ib_disk_reader *r, ib_err *err);

/* Free t; NULL does nothing. */
void ib_disk_table_free(ib_disk_table *t);

/* The name of a GPT type GUID ("EFI System"), or NULL if unknown. */
const char *ib_disk_gpt_type_name(const char *guid);

/* The name of the scheme: "none", "dos" or "gpt" (sfdisk's names). */
const char *ib_disk_scheme_name(enum ib_disk_scheme s);

#endif
