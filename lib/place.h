/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * place: put a finished temporary file in place under its final name,
 * atomically, replacing an existing file or never replacing one.
 */
#ifndef IB_PLACE_H
#define IB_PLACE_H

#include <sys/types.h>

#include <signal.h>

#include <stdbool.h>
#include <stddef.h>

#include "errors.h"

/*
 * Move tmp to name, both in the directory dirfd. replace: rename(), which
 * swaps the new file in at once. Otherwise an existing name is never
 * touched, with no window between a check and the creation: link() then
 * unlink tmp (EEXIST if name exists); on filesystems without hard links,
 * an exclusive rename where the system has one (renameat2 with
 * RENAME_NOREPLACE, renameatx_np with RENAME_EXCL). tmp is gone
 * afterwards whatever happens. Returns 0, or -1 with *err (code EEXIST
 * when name exists).
 */
int ib_place(int dirfd, const char *tmp, const char *name, bool replace,
    ib_err *err);

/*
 * End a file built in the temporary tmp (ib_place_create) on fd: close
 * fd, then when rc is 0 put it in place as ib_place() does, else remove
 * it. Returns rc, or -1 with *err when closing or placing fails.
 */
int ib_place_finish(int dirfd, int fd, const char *tmp, const char *name,
    bool replace, int rc, ib_err *err);

/*
 * Create a new file to build name in, in the directory dirfd: a fresh
 * temporary ".NAME.TAG-PID-N" (".TAG-PID-N" when that is too long),
 * opened read-write with O_EXCL and O_NOFOLLOW, mode & ~umask. Its name
 * goes to tmp (IB_MAX_NAME + 1 bytes) for ib_place(). Returns the fd, or
 * -1 with *err.
 */
int ib_place_create(int dirfd, const char *name, const char *tag, mode_t mode,
    char *tmp, ib_err *err);

/*
 * Remove from the directory dirfd the temporaries ib_place_create()
 * made for writers that no longer run (killed before they could clean
 * up); a live writer's stay. Call it holding the directory's lock. The
 * count goes to *removed. Returns 0, or -1 with *err.
 */
int ib_place_sweep(int dirfd, unsigned *removed, ib_err *err);

/*
 * Make name in dirfd hold exactly the len bytes of data, executable or
 * not as mode says. When it already does, nothing is written and
 * *changed is false; otherwise the bytes go to a temporary (mode &
 * ~umask) renamed over name. Returns 0, or -1 with *err.
 */
int ib_place_bytes(int dirfd, const char *name, const void *data, size_t len,
    mode_t mode, bool *changed, ib_err *err);

/*
 * Open the directory dir, making it (one level: parents are not made)
 * when it is missing. Returns the fd, or -1 with *err naming dir.
 */
int ib_place_dir(const char *dir, ib_err *err);

/*
 * Lock the directory dirfd for one writer: an fcntl() write lock on the
 * file name in it, made for the time the lock is held. When another
 * process holds it, waiting(ctx, pid) is called once with the holder's
 * pid (may be NULL) and the call waits for it, until *cancel (may be
 * NULL) is set: then IB_EINTR. Returns the fd that holds the lock, for
 * ib_place_unlock(), or -1 with *err.
 */
int ib_place_lock(int dirfd, const char *name,
    void (*waiting)(void *ctx, long pid), void *ctx,
    const volatile sig_atomic_t *cancel, ib_err *err);

/* Let go of the lock fd of ib_place_lock(): the file goes, then the
 * lock (a waiter then finds the name gone and makes it anew). fd -1
 * does nothing. */
void ib_place_unlock(int dirfd, const char *name, int fd);

#endif
