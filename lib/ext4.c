/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ext2/3/4 through libext2fs, over an io_manager that reads a disk. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <et/com_err.h>
#include <ext2fs/ext2fs.h>

#include "bounds.h"
#include "ext4.h"

/* Where the filesystem is: the disk, its byte range, and the last error
 * the disk gave (libext2fs sees only an error code). */
struct src {
	const ib_disk_reader *r;
	uint64_t off, len;
	uint64_t budget; /* bytes one operation may still read */
	ib_err err;
	int failed;
};

/*
 * What one operation (a lookup, a listing, a read) may read: the whole
 * filesystem once and a little more. A damaged extent tree whose index
 * blocks all point at the same child makes libext2fs read the same
 * blocks over and over, without end in practice; this ends it.
 */
static void
budget(struct src *s, uint64_t want)
{
	s->budget = s->len + want + (4u << 20);
}

struct ext4 {
	ext2_filsys fs;
	struct src src;
};

/*
 * The io_manager. libext2fs opens a channel by name alone; the name is
 * "ib:" and the address of our struct src, so that no global state
 * carries it. The channel is read-only: every write is refused.
 */
static struct struct_io_manager ib_io_manager;

static errcode_t
io_open(const char *name, int flags, io_channel *channel)
{
	struct src *s;
	io_channel io;
	void *p;

	if ((flags & IO_FLAG_RW) != 0)
		return EXT2_ET_RO_UNSUPP_FEATURE;
	if (sscanf(name, "ib:%p", &p) != 1)
		return EXT2_ET_BAD_DEVICE_NAME;
	s = p;
	io = calloc(1, sizeof(*io));
	if (io == NULL)
		return EXT2_ET_NO_MEMORY;
	io->name = strdup(name);
	if (io->name == NULL) {
		free(io);
		return EXT2_ET_NO_MEMORY;
	}
	io->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	io->manager = &ib_io_manager;
	io->block_size = 1024;
	io->refcount = 1;
	io->private_data = s;
	*channel = io;
	return 0;
}

static errcode_t
io_close(io_channel io)
{
	if (--io->refcount > 0)
		return 0;
	free(io->name);
	free(io);
	return 0;
}

static errcode_t
io_set_blksize(io_channel io, int blksize)
{
	io->block_size = blksize;
	return 0;
}

/* count blocks, or -count bytes when count is negative (ext2_io.h). */
static errcode_t
io_read_blk64(io_channel io, unsigned long long block, int count, void *data)
{
	struct src *s = io->private_data;
	uint64_t bs = (uint64_t)(unsigned)io->block_size, blk = block, at, n;

	if (count < 0)
		n = (uint64_t)(-(int64_t)count);
	else
		n = (uint64_t)count * bs;
	at = bs != 0 && blk <= s->len / bs ? blk * bs : s->len;
	if (bs == 0 || at == s->len || n > s->len - at) {
		/* Past the partition: a block number from a damaged
		 * filesystem, never read from the next partition. */
		s->failed = 1;
		ib_err_set(&s->err, IB_EFORMAT,
		    "block %llu lies past the filesystem's end", block);
		return EXT2_ET_SHORT_READ;
	}
	if (n > s->budget) {
		s->failed = 1;
		ib_err_set(&s->err, IB_ELIMIT,
		    "ext4: more reads for one lookup than the filesystem has "
		    "bytes (a damaged extent tree?)");
		return EXT2_ET_SHORT_READ;
	}
	s->budget -= n;
	if (ib_disk_read(s->r, data, (size_t)n, s->off + at, "ext4 block",
	        &s->err) == -1) {
		s->failed = 1;
		return EXT2_ET_SHORT_READ;
	}
	return 0;
}

static errcode_t
io_read_blk(io_channel io, unsigned long block, int count, void *data)
{
	return io_read_blk64(io, block, count, data);
}

static errcode_t
io_write_blk64(io_channel io, unsigned long long block, int count,
    const void *data)
{
	(void)io;
	(void)block;
	(void)count;
	(void)data;
	return EXT2_ET_RO_UNSUPP_FEATURE;
}

static errcode_t
io_write_blk(io_channel io, unsigned long block, int count, const void *data)
{
	return io_write_blk64(io, block, count, data);
}

static errcode_t
io_flush(io_channel io)
{
	(void)io;
	return 0;
}

static struct struct_io_manager ib_io_manager = {
	.magic = EXT2_ET_MAGIC_IO_MANAGER,
	.name = "isoboot disk reader",
	.open = io_open,
	.close = io_close,
	.set_blksize = io_set_blksize,
	.read_blk = io_read_blk,
	.write_blk = io_write_blk,
	.flush = io_flush,
	.read_blk64 = io_read_blk64,
	.write_blk64 = io_write_blk64,
};

/* err from libext2fs's code, or the disk's own error when it failed. */
static int
ext_err(struct ext4 *e, errcode_t code, ib_err *err)
{
	if (e->src.failed) {
		e->src.failed = 0;
		*err = e->src.err;
		return -1;
	}
	return ib_err_set(err, IB_EFORMAT, "ext4: %s",
	    error_message((long)code));
}

static int
node_of(struct ext4 *e, ext2_ino_t ino, ib_vol_node *n, ib_err *err)
{
	struct ext2_inode in;
	errcode_t rc;

	rc = ext2fs_read_inode(e->fs, ino, &in);
	if (rc != 0)
		return ext_err(e, rc, err);
	memset(n, 0, sizeof(*n));
	n->id = ino;
	if (LINUX_S_ISREG(in.i_mode))
		n->type = IB_VOL_REG;
	else if (LINUX_S_ISDIR(in.i_mode))
		n->type = IB_VOL_DIR;
	else if (LINUX_S_ISLNK(in.i_mode))
		n->type = IB_VOL_LNK;
	else
		n->type = IB_VOL_OTHER;
	n->size = EXT2_I_SIZE(&in);
	n->mtime = (int64_t)in.i_mtime;
	n->mode = in.i_mode & 07777;
	return 0;
}

static int
e_root(void *fs, ib_vol_node *out, ib_err *err)
{
	struct ext4 *e = fs;

	budget(&e->src, 0);
	return node_of(e, EXT2_ROOT_INO, out, err);
}

static int
e_lookup(void *fs, const ib_vol_node *dir, const char *name, size_t len,
    ib_vol_node *out, ib_err *err)
{
	struct ext4 *e = fs;
	ext2_ino_t ino;
	errcode_t rc;

	if (len > EXT2_NAME_LEN)
		return 0;
	budget(&e->src, 0);
	rc = ext2fs_lookup(e->fs, (ext2_ino_t)dir->id, name, (int)len, NULL,
	    &ino);
	if (rc == EXT2_ET_FILE_NOT_FOUND && !e->src.failed)
		return 0;
	if (rc != 0)
		return ext_err(e, rc, err);
	return node_of(e, ino, out, err) == -1 ? -1 : 1;
}

struct dir_walk {
	struct ext4 *e;
	ib_vol_dir_fn fn;
	void *ctx;
	ib_err *err;
	int rc;
};

static int
dir_entry(struct ext2_dir_entry *d, int offset, int blocksize, char *buf,
    void *priv)
{
	struct dir_walk *w = priv;
	ib_vol_node n;
	int len;

	(void)offset;
	(void)blocksize;
	(void)buf;
	len = ext2fs_dirent_name_len(d);
	if (d->inode == 0 || (len == 1 && d->name[0] == '.') ||
	    (len == 2 && d->name[0] == '.' && d->name[1] == '.'))
		return 0;
	if (node_of(w->e, d->inode, &n, w->err) == -1) {
		w->rc = -1;
		return DIRENT_ABORT;
	}
	w->rc = w->fn(w->ctx, d->name, (size_t)len, &n, w->err);
	return w->rc != 0 ? DIRENT_ABORT : 0;
}

static int
e_readdir(void *fs, const ib_vol_node *dir, ib_vol_dir_fn fn, void *ctx,
    ib_err *err)
{
	struct ext4 *e = fs;
	struct dir_walk w = { e, fn, ctx, err, 0 };
	errcode_t rc;

	budget(&e->src, 0);
	rc = ext2fs_dir_iterate(e->fs, (ext2_ino_t)dir->id, 0, NULL, dir_entry,
	    &w);
	if (w.rc == -1)
		return -1;
	if (rc != 0)
		return ext_err(e, rc, err);
	return 0;
}

/* A symlink whose target is in the inode itself: in i_block (a "fast"
 * link), or in its inline data (i_block and the system.data attribute,
 * as long as the inode is big: sized first, never copied blind). */
static int
link_in_inode(struct ext4 *e, const ib_vol_node *n, void *buf, size_t len,
    uint64_t off, bool *done, ib_err *err)
{
	struct ext2_inode in;
	char *data = NULL;
	size_t size;
	errcode_t rc;

	*done = false;
	rc = ext2fs_read_inode(e->fs, (ext2_ino_t)n->id, &in);
	if (rc != 0)
		return ext_err(e, rc, err);
	if ((in.i_flags & EXT4_INLINE_DATA_FL) != 0) {
		rc = ext2fs_inline_data_size(e->fs, (ext2_ino_t)n->id, &size);
		if (rc != 0)
			return ext_err(e, rc, err);
		if (size > IB_MAX_LINK + sizeof(in.i_block))
			return ib_err_set(err, IB_EFORMAT,
			    "ext4: symlink of %zu bytes of inline data", size);
		data = malloc(size > 0 ? size : 1);
		if (data == NULL)
			return ib_err_errno(err, ENOMEM, "ext4");
		rc = ext2fs_inline_data_get(e->fs, (ext2_ino_t)n->id, &in, data,
		    &size);
		if (rc != 0) {
			free(data);
			return ext_err(e, rc, err);
		}
	} else if (ext2fs_is_fast_symlink(&in)) {
		size = sizeof(in.i_block);
		data = malloc(size);
		if (data == NULL)
			return ib_err_errno(err, ENOMEM, "ext4");
		memcpy(data, in.i_block, size);
	} else {
		return 0;
	}
	if (off > size || len > size - off) {
		free(data);
		return ib_err_set(err, IB_EFORMAT,
		    "ext4: symlink of %" PRIu64 " bytes holds %zu", n->size,
		    size);
	}
	memcpy(buf, data + off, len);
	free(data);
	*done = true;
	return 0;
}

static int
e_pread(void *fs, const ib_vol_node *n, void *buf, size_t len, uint64_t off,
    ib_err *err)
{
	struct ext4 *e = fs;
	ext2_file_t f;
	unsigned int got;
	size_t have;
	errcode_t rc;
	bool done;

	budget(&e->src, len);
	if (n->type == IB_VOL_LNK &&
	    (link_in_inode(e, n, buf, len, off, &done, err) == -1 || done))
		return done ? 0 : -1;
	rc = ext2fs_file_open(e->fs, (ext2_ino_t)n->id, 0, &f);
	if (rc != 0)
		return ext_err(e, rc, err);
	rc = ext2fs_file_llseek(f, off, EXT2_SEEK_SET, NULL);
	for (have = 0; rc == 0 && have < len; have += got) {
		/* At most 1 GiB a call: the count is an unsigned int. */
		rc = ext2fs_file_read(f, (char *)buf + have,
		    (unsigned int)(len - have < (1u << 30) ? len - have :
		                                             (1u << 30)),
		    &got);
		if (rc == 0 && got == 0)
			rc = EXT2_ET_SHORT_READ;
	}
	ext2fs_file_close(f);
	return rc == 0 ? 0 : ext_err(e, rc, err);
}

static void
e_close(void *fs)
{
	struct ext4 *e = fs;

	if (e->fs != NULL)
		ext2fs_close_free(&e->fs);
	free(e);
}

static const ib_vol_ops ext4_ops = {
	.root = e_root,
	.lookup = e_lookup,
	.readdir = e_readdir,
	.pread = e_pread,
	.close = e_close,
};

ib_vol *
ib_ext4_open(const ib_disk_reader *r, uint64_t off, uint64_t len, ib_err *err)
{
	char name[64];
	struct ext4 *e;
	errcode_t rc;
	const char *kind;

	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		ib_err_errno(err, ENOMEM, "ext4");
		return NULL;
	}
	e->src.r = r;
	e->src.off = off;
	e->src.len = len;
	budget(&e->src, 0);
	/* error_message() names libext2fs's codes once their table is
	 * known; adding it again does nothing. */
	initialize_ext2_error_table();
	snprintf(name, sizeof(name), "ib:%p", (void *)&e->src);
	rc = ext2fs_open2(name, NULL,
	    EXT2_FLAG_64BITS | EXT2_FLAG_SKIP_MMP | EXT2_FLAG_NOFREE_ON_ERROR,
	    0, 0, &ib_io_manager, &e->fs);
	if (rc != 0) {
		ext_err(e, rc, err);
		if (e->fs != NULL)
			ext2fs_free(e->fs);
		free(e);
		return NULL;
	}
	if (ext2fs_has_feature_extents(e->fs->super) ||
	    ext2fs_has_feature_64bit(e->fs->super))
		kind = "ext4";
	else if (ext2fs_has_feature_journal(e->fs->super))
		kind = "ext3";
	else
		kind = "ext2";
	return ib_vol_new(&ext4_ops, e, kind, err);
}
