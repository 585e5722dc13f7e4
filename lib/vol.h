/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * vol: one filesystem of a disk image (a partition, or the whole disk),
 * read-only, by absolute path inside it. A filesystem reader (ext4.h,
 * fat.h) supplies a few primitive operations on nodes; this module owns
 * what every reader would otherwise write again: walking a path component
 * by component, "." and "..", symbolic links (absolute ones resolved
 * inside this filesystem, at most IB_MAX_SYMLINKS followed per lookup),
 * and bounded reads of whole small files.
 *
 * Not for: partition tables (disk_part.h), telling what a partition holds
 * (disk_probe.h), several filesystems at once (disk_fs.h).
 */
#ifndef IB_VOL_H
#define IB_VOL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

enum ib_vol_type {
	IB_VOL_REG,
	IB_VOL_DIR,
	IB_VOL_LNK,
	IB_VOL_OTHER /* devices, fifos, sockets: never read */
};

/* A file or directory as its reader knows it. */
typedef struct ib_vol_node {
	uint64_t id;  /* the reader's own: ext4 inode, FAT entry location */
	uint64_t aux; /* the reader's own: FAT first cluster */
	enum ib_vol_type type;
	uint64_t size; /* bytes; a symlink's: its target's length */
	int64_t mtime; /* seconds since the epoch, UTC */
	unsigned mode; /* permission bits (0755...); FAT: made up */
} ib_vol_node;

/* Called for each entry of a directory but "." and "..": name is len
 * bytes, untrusted, not NUL-terminated. Return 0 to go on, 1 to stop
 * (not an error), -1 with *err to fail. */
typedef int (*ib_vol_dir_fn)(void *ctx, const char *name, size_t len,
    const ib_vol_node *n, ib_err *err);

/*
 * What a reader supplies. fs is the reader's own handle. Errors name the
 * defect, not the path (the caller adds that): IB_EFORMAT for a damaged
 * filesystem, IB_ELIMIT for a bound, the disk reader's errors as they are.
 */
typedef struct ib_vol_ops {
	/* The root directory. */
	int (*root)(void *fs, ib_vol_node *out, ib_err *err);
	/* The entry name (len bytes, no '/', not "." or "..") of directory
	 * dir: 1 with *out, 0 when there is none, -1 with *err. A reader
	 * whose names ignore case (FAT) matches without regard to case. */
	int (*lookup)(void *fs, const ib_vol_node *dir, const char *name,
	    size_t len, ib_vol_node *out, ib_err *err);
	/* Every entry of directory dir, in on-disk order. */
	int (*readdir)(void *fs, const ib_vol_node *dir, ib_vol_dir_fn fn,
	    void *ctx, ib_err *err);
	/* Exactly len bytes at off of a regular file or a symlink (its
	 * target); off + len <= n->size, checked by the caller. */
	int (*pread)(void *fs, const ib_vol_node *n, void *buf, size_t len,
	    uint64_t off, ib_err *err);
	/* Free fs. */
	void (*close)(void *fs);
} ib_vol_ops;

typedef struct ib_vol ib_vol;

/*
 * A volume over a reader's fs, with name the filesystem's name for
 * messages ("ext4", "FAT32"; copied). ops is borrowed (static); fs is
 * owned from here on, also on failure. Returns NULL with *err.
 */
ib_vol *ib_vol_new(const ib_vol_ops *ops, void *fs, const char *name,
    ib_err *err);

/* Free v and its reader's fs; NULL does nothing. */
void ib_vol_close(ib_vol *v);

/* The filesystem's name ("ext4"). */
const char *ib_vol_name(const ib_vol *v);

/*
 * The node at path: absolute ("/boot/vmlinuz"), '.' skipped, ".." up
 * (never above the root), repeated slashes collapsed; symlinks on the
 * way are followed, and the last component's too when follow is true.
 * Returns 1 with *out, 0 when a component is missing (or a non-directory
 * is used as one), -1 with *err (IB_ELIMIT: too many links; IB_EFORMAT).
 */
int ib_vol_lookup(ib_vol *v, const char *path, bool follow, ib_vol_node *out,
    ib_err *err);

/* Exactly len bytes at off of n; a range past n->size is IB_EFORMAT. */
int ib_vol_pread(ib_vol *v, const ib_vol_node *n, void *buf, size_t len,
    uint64_t off, ib_err *err);

/* The entries of directory n (ib_vol_ops.readdir), but names no path
 * can hold (empty, ".", "..", with '/' or NUL: a damaged directory). */
int ib_vol_readdir(ib_vol *v, const ib_vol_node *n, ib_vol_dir_fn fn, void *ctx,
    ib_err *err);

/*
 * Write the regular file n to fd in pieces through buf (bufsz bytes):
 * into a new, empty regular file with runs of zeros left as holes and
 * the size set last; to anything else (a pipe, a file that holds
 * something) in order, at its position. A file larger than max bytes
 * (the disk it is on: a bigger one is sparse, never a kernel or an
 * initrd, and would take long to copy) is IB_ELIMIT. Stops with
 * IB_EINTR when *cancel (may be NULL) is set. Returns 0, or -1 with *err
 * not naming the file.
 */
int ib_vol_copy_fd(ib_vol *v, const ib_vol_node *n, uint64_t max, int fd,
    void *buf, size_t bufsz, const volatile sig_atomic_t *cancel, ib_err *err);

/*
 * All of the file n (the caller bounds n->size) into a buffer of exactly
 * *len bytes, not NUL-terminated, that the caller frees. Returns 0, or
 * -1 with *err.
 */
int ib_vol_read_all(ib_vol *v, const ib_vol_node *n, char **data, size_t *len,
    ib_err *err);

#endif
