/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk_probe: filesystem signatures. Each prober reads the format's
 * superblock or header at its documented place: ext2/3/4 (e2fsprogs
 * lib/ext2fs/ext2_fs.h), FAT (Microsoft's FAT specification, the BPB),
 * XFS (xfs_format.h), btrfs (ctree.h, the superblock at 64 KiB), LVM2
 * (label_header in the first four sectors), LUKS1/2 (cryptsetup's on-disk
 * format documents), swap (Linux include/linux/swap.h, union
 * swap_header), squashfs (squashfs_fs.h), ISO 9660 (ECMA-119 8.4), ZFS
 * (the uberblock magic in the first label) and NTFS (the boot sector's
 * OEM id). The first that matches wins, in the order of probers[].
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "disk_probe.h"

/* The bytes a prober looks at, read once: the first 4 KiB (LUKS, LVM,
 * XFS, squashfs, FAT, NTFS, ext at 1024, swap's header at 1024). */
#define HEAD 4096u

struct probe {
	const ib_disk_reader *r;
	uint64_t off, len;
	unsigned char head[HEAD];
	size_t headlen; /* bytes of head that are inside the partition */
};

/* Read n bytes at at (relative to the partition) when they are inside
 * it: *got says whether they were. */
static int
peek(struct probe *p, uint64_t at, void *buf, size_t n, bool *got, ib_err *err)
{
	*got = false;
	if (at > p->len || n > p->len - at)
		return 0;
	if (ib_disk_read(p->r, buf, n, p->off + at, "probe", err) != 0)
		return -1;
	*got = true;
	return 0;
}

/* Copy a string field of n bytes, up to its first NUL, dropping trailing
 * spaces when trim. */
static void
copy_field(char *out, size_t outsz, const unsigned char *s, size_t n, bool trim)
{
	size_t len = 0;

	while (len < n && len + 1 < outsz && s[len] != '\0')
		len++;
	while (trim && len > 0 && s[len - 1] == ' ')
		len--;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* A 16-byte UUID as blkid prints most: lowercase, 8-4-4-4-12. */
static void
format_uuid(char *out, size_t outsz, const unsigned char *u)
{
	static const unsigned char zero[16];

	if (memcmp(u, zero, 16) == 0) {
		out[0] = '\0';
		return;
	}
	(void)snprintf(out, outsz,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
	    u[11], u[12], u[13], u[14], u[15]);
}

static bool
in_head(const struct probe *p, size_t at, size_t n)
{
	return at <= p->headlen && n <= p->headlen - at;
}

/* LUKS: "LUKS" BA BE at 0, a big-endian version at 6; the UUID is text
 * at 168 (40 bytes), LUKS2's label at 24 (48 bytes). */
static int
probe_luks(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	const unsigned char *h = p->head;
	unsigned v;

	(void)err;
	if (!in_head(p, 0, 208) || memcmp(h, "LUKS\xba\xbe", 6) != 0)
		return 0;
	v = ib_be16(h + 6);
	if (v != 1 && v != 2)
		return 0;
	fs->kind = v == 1 ? IB_DISK_FS_LUKS1 : IB_DISK_FS_LUKS2;
	copy_field(fs->uuid, sizeof(fs->uuid), h + 168, 40, false);
	if (v == 2)
		copy_field(fs->label, sizeof(fs->label), h + 24, 48, false);
	return 1;
}

/* LVM2: a label_header ("LABELONE", type "LVM2 001" at 24) at the start
 * of one of the first four sectors; its pv_header, offset_xl (le32 at 20)
 * bytes further, begins with the PV's 32-character id. */
static int
probe_lvm(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	static const unsigned groups[] = { 6, 4, 4, 4, 4, 4, 6 };
	const unsigned char *h, *id;
	size_t s, pos, g, i, n = 0;
	uint32_t rel;

	(void)err;
	for (s = 0; s < 4; s++) {
		h = p->head + 512 * s;
		if (!in_head(p, 512 * s, 32) || memcmp(h, "LABELONE", 8) != 0 ||
		    memcmp(h + 24, "LVM2 001", 8) != 0)
			continue;
		rel = ib_le32(h + 20);
		pos = 512 * s + rel;
		if (rel > HEAD || !in_head(p, pos, 32))
			continue;
		id = p->head + pos;
		fs->kind = IB_DISK_FS_LVM2;
		for (g = 0; g < 7; g++) {
			for (i = 0; i < groups[g]; i++, id++)
				fs->uuid[n++] =
				    (char)(*id >= 0x21 && *id < 0x7F ? *id :
				                                       '?');
			if (g < 6)
				fs->uuid[n++] = '-';
		}
		fs->uuid[n] = '\0';
		return 1;
	}
	return 0;
}

/* XFS: "XFSB" at 0 (big-endian sb_magicnum); sb_uuid at 32, sb_fname
 * (12 bytes) at 108. */
static int
probe_xfs(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	(void)err;
	if (!in_head(p, 0, 120) || memcmp(p->head, "XFSB", 4) != 0)
		return 0;
	fs->kind = IB_DISK_FS_XFS;
	format_uuid(fs->uuid, sizeof(fs->uuid), p->head + 32);
	copy_field(fs->label, sizeof(fs->label), p->head + 108, 12, false);
	return 1;
}

/* squashfs 4: "hsqs" at 0 (little-endian); older big-endian "sqsh". */
static int
probe_squashfs(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	(void)err;
	if (!in_head(p, 0, 96) ||
	    (memcmp(p->head, "hsqs", 4) != 0 &&
	        memcmp(p->head, "sqsh", 4) != 0))
		return 0;
	fs->kind = IB_DISK_FS_SQUASHFS;
	return 1;
}

/*
 * ext2/3/4: the superblock at 1024, s_magic 0xEF53 at 56; s_uuid at 104,
 * s_volume_name (16) at 120. Which one, as libblkid decides: a feature
 * ext3 lacks (RO_COMPAT beyond sparse_super, large_file, btree_dir;
 * INCOMPAT beyond filetype, recover, meta_bg) makes ext4; else a journal
 * (COMPAT has_journal) makes ext3; else ext2. A journal device is none.
 */
static int
probe_ext(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	const unsigned char *sb = p->head + 1024;
	uint32_t compat, incompat, ro;

	(void)err;
	if (!in_head(p, 1024, 1024) || ib_le16(sb + 56) != 0xEF53)
		return 0;
	compat = ib_le32(sb + 92);
	incompat = ib_le32(sb + 96);
	ro = ib_le32(sb + 100);
	if ((incompat & 0x0008) != 0) /* JOURNAL_DEV */
		return 0;
	if ((ro & ~UINT32_C(0x7)) != 0 || (incompat & ~UINT32_C(0x16)) != 0)
		fs->kind = IB_DISK_FS_EXT4;
	else if ((compat & 0x0004) != 0)
		fs->kind = IB_DISK_FS_EXT3;
	else
		fs->kind = IB_DISK_FS_EXT2;
	format_uuid(fs->uuid, sizeof(fs->uuid), sb + 104);
	copy_field(fs->label, sizeof(fs->label), sb + 120, 16, false);
	return 1;
}

/* NTFS: "NTFS    " at 3 of the boot sector; the volume serial number
 * (le64 at 72) is blkid's UUID. The label lives in the MFT: not read. */
static int
probe_ntfs(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	(void)err;
	if (!in_head(p, 0, 512) || memcmp(p->head + 3, "NTFS    ", 8) != 0)
		return 0;
	fs->kind = IB_DISK_FS_NTFS;
	(void)snprintf(fs->uuid, sizeof(fs->uuid), "%016llX",
	    (unsigned long long)ib_le64(p->head + 72));
	return 1;
}

/*
 * FAT: a BPB (bytes per sector a power of 2 from 512 to 4096, sectors per
 * cluster a power of 2, reserved sectors, 1 or 2 FATs, a media byte) and
 * 55 AA at 510. The kind is the cluster count's (FAT spec: under 4085 is
 * FAT12, under 65525 FAT16), but a FAT32 BPB (BPB_FATSz16 0) is FAT32 on
 * any count, as Linux and fat.c read it. The serial (at 39, or 67 in a FAT32 BPB) is
 * the UUID, XXXX-XXXX; the label (11 bytes at 43, or 71) unless it is
 * "NO NAME". libblkid prefers the root directory's label entry when there
 * is one; mkfs.fat writes both alike.
 */
static int
probe_fat(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	const unsigned char *b = p->head;
	uint32_t bps, spc, reserved, nfats, roots, total, fatsz, rootsecs;
	uint64_t meta, clusters;
	size_t ext;

	(void)err;
	if (!in_head(p, 0, 512) || b[510] != 0x55 || b[511] != 0xAA ||
	    (b[0] != 0xEB && b[0] != 0xE9))
		return 0;
	bps = ib_le16(b + 11);
	spc = b[13];
	reserved = ib_le16(b + 14);
	nfats = b[16];
	roots = ib_le16(b + 17);
	total = ib_le16(b + 19) != 0 ? ib_le16(b + 19) : ib_le32(b + 32);
	fatsz = ib_le16(b + 22) != 0 ? ib_le16(b + 22) : ib_le32(b + 36);
	if ((bps != 512 && bps != 1024 && bps != 2048 && bps != 4096) ||
	    spc == 0 || (spc & (spc - 1)) != 0 || reserved == 0 ||
	    (nfats != 1 && nfats != 2) || (b[21] != 0xF0 && b[21] < 0xF8) ||
	    fatsz == 0)
		return 0;
	rootsecs = (roots * 32 + bps - 1) / bps;
	meta = (uint64_t)reserved + (uint64_t)nfats * fatsz + rootsecs;
	if (meta >= total)
		return 0;
	clusters = (total - meta) / spc;
	if (clusters < 4085)
		fs->kind = IB_DISK_FS_FAT12;
	else if (clusters < 65525)
		fs->kind = IB_DISK_FS_FAT16;
	else
		fs->kind = IB_DISK_FS_FAT32;
	if (ib_le16(b + 22) == 0)
		fs->kind = IB_DISK_FS_FAT32;
	ext = ib_le16(b + 22) == 0 ? 64 : 36; /* FAT32's BPB is longer */
	if (b[ext + 2] == 0x29) {             /* extended boot signature */
		(void)snprintf(fs->uuid, sizeof(fs->uuid), "%04X-%04X",
		    (unsigned)ib_le16(b + ext + 5),
		    (unsigned)ib_le16(b + ext + 3));
		if (memcmp(b + ext + 7, "NO NAME    ", 11) != 0)
			copy_field(fs->label, sizeof(fs->label), b + ext + 7,
			    11, true);
	}
	return 1;
}

/* btrfs: the superblock at 64 KiB, "_BHRfS_M" at 64; fsid at 32, the
 * label (256 bytes) at 299. */
static int
probe_btrfs(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	unsigned char sb[299 + 256];
	bool got;

	if (peek(p, 65536, sb, sizeof(sb), &got, err) != 0)
		return -1;
	if (!got || memcmp(sb + 64, "_BHRfS_M", 8) != 0)
		return 0;
	fs->kind = IB_DISK_FS_BTRFS;
	format_uuid(fs->uuid, sizeof(fs->uuid), sb + 32);
	copy_field(fs->label, sizeof(fs->label), sb + 299, 256, false);
	return 1;
}

/* Swap: "SWAPSPACE2" (v1) or "SWAP-SPACE" (v0) in the last 10 bytes of
 * the first page, for each page size Linux has; v1's uuid at 1036 and
 * volume name (16) at 1052. */
static int
probe_swap(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	unsigned char sig[10];
	uint64_t page;
	bool got;

	for (page = 4096; page <= 65536; page *= 2) {
		if (peek(p, page - 10, sig, sizeof(sig), &got, err) != 0)
			return -1;
		if (!got)
			return 0;
		if (memcmp(sig, "SWAP-SPACE", 10) == 0) {
			fs->kind = IB_DISK_FS_SWAP;
			return 1;
		}
		if (memcmp(sig, "SWAPSPACE2", 10) != 0)
			continue;
		fs->kind = IB_DISK_FS_SWAP;
		if (in_head(p, 1036, 32)) {
			format_uuid(fs->uuid, sizeof(fs->uuid), p->head + 1036);
			copy_field(fs->label, sizeof(fs->label), p->head + 1052,
			    16, false);
		}
		return 1;
	}
	return 0;
}

/* ISO 9660: a volume descriptor "CD001" at sector 16 of 2048 bytes; the
 * primary one's volume identifier (32 bytes, space-padded) at 40. */
static int
probe_iso(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	unsigned char vd[72];
	bool got;

	if (peek(p, 32768, vd, sizeof(vd), &got, err) != 0)
		return -1;
	if (!got || memcmp(vd + 1, "CD001", 5) != 0)
		return 0;
	fs->kind = IB_DISK_FS_ISO9660;
	if (vd[0] == 1)
		copy_field(fs->label, sizeof(fs->label), vd + 40, 32, true);
	return 1;
}

/* ZFS: the first vdev label's uberblock array (128 KiB at 128 KiB) holds
 * uberblocks whose ub_magic is 0x00bab10c in either byte order; like
 * libblkid, want four before saying ZFS. Slots are at least 1 KiB. */
static int
probe_zfs(struct probe *p, ib_disk_fs *fs, ib_err *err)
{
	unsigned char *ub;
	size_t i, found = 0;
	uint64_t m;
	bool got;
	int rc = 0;

	if (p->len < 262144)
		return 0;
	ub = malloc(131072);
	if (ub == NULL)
		return ib_err_errno(err, ENOMEM, "probe");
	if (peek(p, 131072, ub, 131072, &got, err) != 0) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < 131072 && got; i += 1024) {
		m = ib_le64(ub + i);
		if (m == 0x00bab10cu || ib_be64(ub + i) == 0x00bab10cu)
			found++;
	}
	if (found >= 4) {
		fs->kind = IB_DISK_FS_ZFS;
		rc = 1;
	}
out:
	free(ub);
	return rc;
}

static int (*const probers[])(struct probe *, ib_disk_fs *, ib_err *) = {
	probe_luks,
	probe_lvm,
	probe_xfs,
	probe_squashfs,
	probe_ext,
	probe_btrfs,
	probe_swap,
	probe_ntfs,
	probe_fat,
	probe_iso,
	probe_zfs,
};

static const struct {
	const char *type, *name;
} kinds[] = {
	[IB_DISK_FS_UNKNOWN] = { NULL, "an unknown format" },
	[IB_DISK_FS_EXT2] = { "ext2", "ext2" },
	[IB_DISK_FS_EXT3] = { "ext3", "ext3" },
	[IB_DISK_FS_EXT4] = { "ext4", "ext4" },
	[IB_DISK_FS_FAT12] = { "vfat", "FAT12" },
	[IB_DISK_FS_FAT16] = { "vfat", "FAT16" },
	[IB_DISK_FS_FAT32] = { "vfat", "FAT32" },
	[IB_DISK_FS_XFS] = { "xfs", "XFS" },
	[IB_DISK_FS_BTRFS] = { "btrfs", "btrfs" },
	[IB_DISK_FS_LVM2] = { "LVM2_member", "an LVM2 physical volume" },
	[IB_DISK_FS_LUKS1] = { "crypto_LUKS", "LUKS1-encrypted" },
	[IB_DISK_FS_LUKS2] = { "crypto_LUKS", "LUKS2-encrypted" },
	[IB_DISK_FS_SWAP] = { "swap", "Linux swap" },
	[IB_DISK_FS_SQUASHFS] = { "squashfs", "squashfs" },
	[IB_DISK_FS_ISO9660] = { "iso9660", "ISO 9660" },
	[IB_DISK_FS_ZFS] = { "zfs_member", "a ZFS pool member" },
	[IB_DISK_FS_NTFS] = { "ntfs", "NTFS" },
};

int
ib_disk_probe(const ib_disk_reader *r, uint64_t off, uint64_t len,
    ib_disk_fs *fs, ib_err *err)
{
	struct probe *p;
	uint64_t end;
	size_t i;
	int rc = 0;

	memset(fs, 0, sizeof(*fs));
	if (!ib_add_u64(off, len, &end) || end > r->size)
		return ib_err_set(err, IB_EFORMAT,
		    "probe: bytes %llu+%llu are past the disk end (%llu bytes)",
		    (unsigned long long)off, (unsigned long long)len,
		    (unsigned long long)r->size);
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return ib_err_errno(err, ENOMEM, "probe");
	p->r = r;
	p->off = off;
	p->len = len;
	p->headlen = len < HEAD ? (size_t)len : HEAD;
	if (ib_disk_read(r, p->head, p->headlen, off, "probe", err) != 0) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < sizeof(probers) / sizeof(probers[0]); i++) {
		rc = probers[i](p, fs, err);
		if (rc != 0)
			break;
	}
	if (rc == -1) {
		memset(fs, 0, sizeof(*fs));
		goto out;
	}
	rc = 0;
out:
	fs->type = kinds[fs->kind].type;
	fs->name = kinds[fs->kind].name;
	fs->readable =
	    fs->kind >= IB_DISK_FS_EXT2 && fs->kind <= IB_DISK_FS_FAT32;
	free(p);
	return rc;
}
