/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk: make a disk image file (raw or qcow2) of an exact size, built
 * under a temporary name beside it and put in place only when complete.
 * An existing file is never replaced unless asked.
 */
#ifndef IB_DISK_H
#define IB_DISK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "errors.h"

typedef enum ib_disk_format {
	IB_DISK_RAW,
	IB_DISK_QCOW2
} ib_disk_format;

typedef enum ib_prealloc {
	IB_PREALLOC_OFF,    /* sparse: no blocks (mkfile -n) */
	IB_PREALLOC_FALLOC, /* reserve blocks: fallocate, F_PREALLOCATE */
	IB_PREALLOC_FULL    /* write zeros (what mkfile does) */
} ib_prealloc;

typedef struct ib_disk_opts {
	ib_disk_format format;
	ib_prealloc prealloc;                /* raw only */
	bool force;                          /* replace an existing file */
	const volatile sig_atomic_t *cancel; /* nonzero: stop, IB_EINTR */
} ib_disk_opts;

typedef struct ib_disk_result {
	uint64_t virtual_size; /* what the VM sees */
	uint64_t file_size;    /* st_size */
	uint64_t allocated;    /* st_blocks * 512 */
	uint64_t free_bytes;   /* free space left for the file's owner */
	bool replaced;         /* an existing file was replaced (force) */
	bool low_space;        /* sparse, and bigger than the free space */
	const char *method;    /* how blocks were reserved, or "sparse" */
} ib_disk_result;

/*
 * Make the image path of size bytes (a multiple of 512). Fails with
 * EEXIST when path exists and !o->force (the file untouched); on any
 * failure no image and no temporary remain. Returns 0 with *r filled, or
 * -1 with *err (errno codes such as ENOSPC, EFBIG, EDQUOT kept).
 */
int ib_disk_make(const char *path, uint64_t size, const ib_disk_opts *o,
    ib_disk_result *r, ib_err *err);

/* "raw" or "qcow2"; -1 for another name. */
int ib_disk_format_parse(const char *s);

const char *ib_disk_format_name(ib_disk_format f);

#endif
