/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bootfs: the files a boot loader sees, by their absolute path in the
 * image ("/isolinux/isolinux.cfg"): an extracted tree on disk, or a
 * single config given alone (its directory stands for the image root's
 * view of relative names). Reads are bounded and never leave the root.
 *
 * Not for: deciding which config boots (bootcfg) or parsing it.
 * An image's files are found by walking only the directories on the way;
 * a directory is listed for readers that take every file of it (BLS
 * entries, bls.h).
 */
#ifndef IB_BOOTFS_H
#define IB_BOOTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <signal.h>

#include "disk_image.h"
#include "errors.h"
#include "iso.h"
#include "vol.h"

typedef struct ib_bootfs ib_bootfs;

/* The tree under dir. Returns a handle the caller closes with
 * ib_bootfs_close(), or NULL with *err. */
ib_bootfs *ib_bootfs_open_dir(const char *dir, ib_err *err);

/*
 * The files of an image, named as ISOLINUX names them (SEMANTICS.md 1.2):
 * Rock Ridge names exactly, plain ECMA-119 names without regard to case.
 * Open the image without Joliet for that (ib_iso_opts.no_joliet). iso is
 * borrowed and must outlive the handle.
 */
ib_bootfs *ib_bootfs_open_iso(ib_iso *iso, ib_err *err);

/*
 * The files of the disk image d (borrowed; it must outlive the handle):
 * on a disk with a partition table, partition N's files are under /pN
 * ("/p2/boot/vmlinuz"); on one without, the filesystem is the root. A
 * path into a partition isoboot cannot read is its error ("p3 is XFS:
 * isoboot reads ext2/3/4 and FAT"), not "not found". ib_bootfs_search()
 * finds nothing on a disk: its loaders' configs are at fixed places.
 */
ib_bootfs *ib_bootfs_open_disk(ib_disk_image *d, ib_err *err);

/* One volume of d ("p2", or "" on a disk without a table) as the root,
 * as a loader that lives on it sees it (syslinux: "/boot/vmlinuz" is on
 * its own partition). IB_ENOTFOUND when d has no such volume. */
ib_bootfs *ib_bootfs_open_volume(ib_disk_image *d, const char *name,
    ib_err *err);

/* The path in the whole disk's view ("/p2/boot/x") of path in fs's:
 * the same but on a volume's view. Returns 0, or -1 (IB_ELIMIT). */
int ib_bootfs_full_path(const ib_bootfs *fs, const char *path, char *out,
    size_t outsz, ib_err *err);

/* The disk image of fs, or NULL for a tree or an ISO image. */
ib_disk_image *ib_bootfs_disk(const ib_bootfs *fs);

/*
 * Where path is on fs's disk: the index of its volume (disk_image.h) in
 * *vol and the path inside that filesystem in inner ("/boot/vmlinuz").
 * Returns 0, or -1 with *err: IB_ENOTFOUND when no volume is named so,
 * EINVAL when fs is not a disk.
 */
int ib_bootfs_split(ib_bootfs *fs, const char *path, long *vol, char *inner,
    size_t innersz, ib_err *err);

/*
 * Write all of the regular file at path (links followed) to fd, from
 * its start, in pieces, until *cancel (may be NULL) is set: IB_EINTR.
 * For disk images (IB_EUNSUPPORTED otherwise: an ISO's files are
 * extracted by extract.h). Returns 0, or -1 with *err not naming path.
 */
int ib_bootfs_copy_fd(ib_bootfs *fs, const char *path, int fd,
    const volatile sig_atomic_t *cancel, ib_err *err);

/*
 * The node of the file at path on a disk image (links followed): its
 * size, mtime and the filesystem's own id (inode), which say whether it
 * changed. Returns 1, 0 when it is missing, -1 with *err (EINVAL: fs is
 * not a disk image).
 */
int ib_bootfs_node(ib_bootfs *fs, const char *path, ib_vol_node *n,
    ib_err *err);

void ib_bootfs_close(ib_bootfs *fs);

/* Serve path from memory instead of the tree (a config read from
 * standard input). data is copied. */
int ib_bootfs_set_file(ib_bootfs *fs, const char *path, const char *data,
    size_t len, ib_err *err);

/*
 * Read the file at path (absolute in the image), at most IB_MAX_CONFIG
 * bytes, into a buffer of exactly *len bytes, not NUL-terminated, that the
 * caller frees. A missing file is IB_ENOTFOUND; a path that would leave
 * the root, IB_EUNSAFE; a member that is there but unreadable, IB_EFORMAT.
 * *err does not name path.
 */
int ib_bootfs_read(ib_bootfs *fs, const char *path, char **data, size_t *len,
    ib_err *err);

/*
 * Search the tree breadth first, at most maxdepth directories deep, for a
 * regular file with one of the names (tried in order at each directory;
 * directories in byte order). A name may hold directories ("EFI/BOOT/x":
 * found below any directory). Returns 1 with the absolute path of the
 * first found in out; 0 when there is none (or no tree: a single file);
 * -1 with *err (IB_EFORMAT) when the first found, or a directory that
 * may hold it, cannot be read.
 */
int ib_bootfs_search(ib_bootfs *fs, const char *const *names, size_t n,
    unsigned maxdepth, char *out, size_t outsz, ib_err *err);

/*
 * The first bytes of the file at path (a kernel, to see what it is): at
 * most max bytes into buf, the count in *got, the file's size in *fsize.
 * Any file size. Returns 0, or -1 with *err (IB_ENOTFOUND: missing;
 * IB_EFORMAT: unreadable, as ib_bootfs_read()).
 */
int ib_bootfs_read_head(ib_bootfs *fs, const char *path, size_t max,
    unsigned char *buf, size_t *got, uint64_t *fsize, ib_err *err);

/*
 * Whether path names an existing regular file: 1, 0 (missing), or -1 with
 * *err when that cannot be told: the file or a directory on its way is
 * there but unreadable (IB_EFORMAT: its data lies beyond the end of the
 * image, say), or the image's directories cannot be read. *err does not
 * name path: the caller does.
 */
int ib_bootfs_lookup(ib_bootfs *fs, const char *path, ib_err *err);

/*
 * What ib_bootfs_list() calls for each name in a directory: name as the
 * tree or image has it (NUL-terminated, untrusted: quote it for messages),
 * and whether it is a directory (else a regular file). Return 0 to go on,
 * 1 to stop (not an error), -1 with *err to fail the listing.
 */
typedef int (
    *ib_bootfs_list_fn)(void *ctx, const char *name, bool is_dir, ib_err *err);

/*
 * Call fn for each regular file and directory in the directory dir
 * (absolute in the image), "." and ".." left out, in the order the back
 * end keeps them (a tree's readdir order, an image's directory records):
 * callers sort. Other types (devices, FIFOs, broken symlinks) are left
 * out; a symlink in a tree is listed as what it points to inside the
 * root. The file served from memory (ib_bootfs_set_file) is not listed.
 * Image names follow ib_bootfs_read() (ECMA-119 names match dir without
 * regard to case). Returns 0, or -1 with *err: IB_ENOTFOUND when dir is
 * missing (or there is no tree: one config alone), ENOTDIR when it is a
 * file, IB_EFORMAT when it or a directory on its way is unreadable, or
 * fn's error. *err does not name dir.
 */
int ib_bootfs_list(ib_bootfs *fs, const char *dir, ib_bootfs_list_fn fn,
    void *ctx, ib_err *err);

/* Whether path is a directory: 1, 0 (missing, or a file), or -1 with
 * *err when that cannot be told (ib_bootfs_list's errors). */
int ib_bootfs_is_dir(ib_bootfs *fs, const char *path, ib_err *err);

/*
 * Resolve name against the working directory cwd (both absolute in the
 * image) with syslinux's rules (SEMANTICS.md 1.2): a leading '/' is the
 * root, '.' is skipped, '..' goes up and is ignored at the root, repeated
 * slashes collapse. The result, in out, is absolute. -1 if out is small.
 */
int ib_bootfs_path_resolve(const char *cwd, const char *name, char *out,
    size_t outsz);

#endif
