/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fat: FAT12/16/32 read in place. The rules are Microsoft's "FAT: General
 * Overview of On-Disk Format" (fatgen103, version 1.03); comments name
 * its sections. What Windows NT and Linux add (the lowercase flags of
 * 8.3 names, clusters over 64 KiB) is cited where it is used.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "bytes.h"
#include "fat.h"
#include "rrip.h"

/* Bytes of one directory entry (fatgen103 "FAT Directory Structure"). */
#define DIRENT 32u

/* Attributes (DIR_Attr, byte 11). A long-name piece has the four low
 * ones set, under the mask 0x3F (fatgen103 "FAT Long Directory
 * Entries": ATTR_LONG_NAME, ATTR_LONG_NAME_MASK). */
#define ATTR_READ_ONLY 0x01u
#define ATTR_VOLUME_ID 0x08u
#define ATTR_DIRECTORY 0x10u
#define ATTR_LONG_NAME 0x0Fu
#define ATTR_LONG_MASK 0x3Fu

/* A long name is 1 to 20 pieces of 13 UTF-16 units, at most 255 of them
 * used (fatgen103 "Name Limits and Character Sets"); its UTF-8 takes at
 * most 3 bytes a unit (4 for a surrogate pair of 2). */
#define LFN_PIECES 20u
#define LFN_UNITS  13u
#define NAME_UNITS 255u
#define NAME_UTF8  (NAME_UNITS * 3u)

/* Clusters of up to 256 KiB: fatgen103 ("Boot Sector and BPB",
 * BPB_SecPerClus) allows 32 KiB and says some systems take 64 KiB;
 * Windows' format /A writes 128 and 256 KiB on disks with sectors over
 * 512 bytes, and Linux reads them. */
#define MAX_CLUSTER (256u * 1024)

/* Chains remembered with a read position, so that sequential reads of a
 * file, or of a few at once, go on where the last read stopped. */
#define CURSORS 4u

struct cursor {
	uint32_t first; /* the chain's first cluster; 0: slot unused */
	uint32_t len;   /* its clusters, checked (chain_length) */
	uint32_t idx;   /* where the cursor is: index in the chain */
	uint32_t clus;  /* and that cluster */
};

struct fat {
	const ib_disk_reader *r;
	uint64_t off;       /* the volume's first byte on r */
	unsigned bits;      /* 12, 16 or 32 */
	uint32_t csize;     /* bytes per cluster */
	uint64_t fat_at;    /* the first FAT, in bytes from off */
	size_t fat_len;     /* its bytes that hold entries 0 to last */
	uint64_t root_at;   /* FAT12/16: the root directory region */
	uint32_t root_len;  /* and its bytes */
	uint32_t root_clus; /* FAT32: the root directory's first cluster */
	uint64_t data_at;   /* cluster 2 */
	uint32_t count;     /* data clusters */
	uint32_t last;      /* the last cluster number: count + 1 */
	unsigned char *fat; /* NULL until a chain is first followed */
	struct cursor cur[CURSORS];
	unsigned victim; /* the slot a new chain takes */
};

/* FAT type names, for ib_vol_new and messages. */
static const char *
type_name(unsigned bits)
{
	return bits == 12 ? "FAT12" : bits == 16 ? "FAT16" : "FAT32";
}

/*
 * The BPB (fatgen103 "Boot Sector and BPB"), checked field by field, and
 * the layout the spec computes from it: the root directory's sectors, the
 * data region, the count of clusters and from that the FAT type ("FAT
 * Type Determination": under 4085 clusters FAT12, under 65525 FAT16,
 * else FAT32; never the BS_FilSysType string). One exception, as Linux
 * (fs/fat/inode.c: no BPB_FATSz16 and a BPB_FATSz32 is FAT32) and mtools
 * read it: a FAT32 boot sector on fewer than 65525 clusters, which
 * `mkfs.fat -F 32` makes on small volumes, is FAT32.
 */
static int
read_bpb(struct fat *fs, const unsigned char *b, uint64_t len, ib_err *err)
{
	uint32_t bps, spc, rsvd, nfats, total, fatsz, rootsecs;
	uint64_t meta, need;

	/* "Boot Sector and BPB": 0x55 0xAA at bytes 510 and 511. */
	if (b[510] != 0x55 || b[511] != 0xAA)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: no boot signature 55 AA at byte 510");
	bps = ib_le16(b + 11);
	if (bps == 0 || (bps & (bps - 1)) != 0)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: bytes per sector %u is not a power of two", bps);
	if (bps < 512 || bps > 4096)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: bytes per sector %u is not 512 to 4096", bps);
	spc = b[13];
	if (spc == 0 || (spc & (spc - 1)) != 0)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: sectors per cluster %u is not a power of two", spc);
	if (bps * spc > MAX_CLUSTER)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: clusters of %u bytes are over 256 KiB", bps * spc);
	rsvd = ib_le16(b + 14);
	if (rsvd == 0)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: reserved sector count is 0");
	nfats = b[16];
	if (nfats == 0)
		return ib_err_set(err, IB_EFORMAT, "FAT: number of FATs is 0");
	/* The 16-bit fields when they are not 0, else the 32-bit ones. */
	total = ib_le16(b + 19) != 0 ? ib_le16(b + 19) : ib_le32(b + 32);
	fatsz = ib_le16(b + 22) != 0 ? ib_le16(b + 22) : ib_le32(b + 36);
	if (total == 0)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: total sector count is 0");
	if (fatsz == 0)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: FAT size is 0 sectors");
	if ((uint64_t)total * bps > len)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: %u sectors of %u bytes are more than the volume's "
		    "%llu bytes",
		    total, bps, (unsigned long long)len);
	rootsecs = ((uint32_t)ib_le16(b + 17) * DIRENT + bps - 1) / bps;
	meta = rsvd + (uint64_t)nfats * fatsz + rootsecs;
	if (meta + spc > total)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: reserved sectors, FATs and root directory (%llu "
		    "sectors) leave no cluster in %u sectors",
		    (unsigned long long)meta, total);
	fs->count = (uint32_t)((total - meta) / spc);
	fs->bits = fs->count < 4085 ? 12 : fs->count < 65525 ? 16 : 32;
	if (ib_le16(b + 22) == 0)
		fs->bits = 32;
	fs->last = fs->count + 1;
	fs->csize = bps * spc;
	fs->fat_at = (uint64_t)rsvd * bps;
	fs->root_at = (rsvd + (uint64_t)nfats * fatsz) * bps;
	fs->root_len = (uint32_t)ib_le16(b + 17) * DIRENT;
	fs->data_at = meta * bps;
	if (fs->bits == 32) {
		/* A FAT12/16 BPB (BPB_FATSz16 set) has no BPB_RootClus. */
		if (ib_le16(b + 22) != 0)
			return ib_err_set(err, IB_EFORMAT,
			    "FAT: %u clusters make FAT32, but the boot sector "
			    "is FAT16's (BPB_FATSz16 %u)",
			    fs->count, ib_le16(b + 22));
		/* BPB_FSVer: "FAT32 file system drivers must check this
		 * field" and mount only versions they know: 0.0. */
		if (ib_le16(b + 42) != 0)
			return ib_err_set(err, IB_EUNSUPPORTED,
			    "FAT: FAT32 version %u.%u", b[43], b[42]);
		/* BPB_ExtFlags: with bit 7 set, only the FAT numbered in
		 * bits 0-3 is active (mirroring is off). */
		if ((b[40] & 0x80) != 0) {
			if ((b[40] & 0x0Fu) >= nfats)
				return ib_err_set(err, IB_EFORMAT,
				    "FAT: active FAT %u of %u", b[40] & 0x0Fu,
				    nfats);
			fs->fat_at += (uint64_t)(b[40] & 0x0Fu) * fatsz * bps;
		}
		fs->root_clus = ib_le32(b + 44);
		if (fs->root_clus < 2 || fs->root_clus > fs->last)
			return ib_err_set(err, IB_EFORMAT,
			    "FAT: root directory cluster %u is outside 2..%u",
			    fs->root_clus, fs->last);
	}
	/* "FAT Data Structure": entries 0 and 1 are reserved, one entry per
	 * cluster after them; FAT12's take a byte and a half. */
	need = (uint64_t)fs->count + 2;
	need = fs->bits == 12 ? (need * 3 + 1) / 2 : need * (fs->bits / 8);
	if (need > (uint64_t)fatsz * bps)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: a FAT of %u sectors is too small for %u clusters",
		    fatsz, fs->count);
	if (need > IB_MAX_FAT)
		return ib_err_set(err, IB_ELIMIT,
		    "FAT: a FAT of %llu bytes is over %u (IB_MAX_FAT)",
		    (unsigned long long)need, IB_MAX_FAT);
	fs->fat_len = (size_t)need;
	return 0;
}

/* Read the FAT into memory, once: its first copy (or FAT32's active
 * one), the entries of the volume's clusters only. */
static int
load_fat(struct fat *fs, ib_err *err)
{
	unsigned char *p;

	if (fs->fat != NULL)
		return 0;
	p = malloc(fs->fat_len);
	if (p == NULL)
		return ib_err_errno(err, ENOMEM, "FAT: %zu bytes", fs->fat_len);
	if (ib_disk_read(fs->r, p, fs->fat_len, fs->off + fs->fat_at, "FAT",
	        err) != 0) {
		free(p);
		return -1;
	}
	fs->fat = p;
	return 0;
}

/*
 * The FAT entry of cluster n (2..last), as "FAT Data Structure" reads
 * it: FAT12 entries are 12 bits at byte n + n/2 (high nibble for odd n),
 * and may span two sectors, which the FAT held whole in memory makes
 * moot; FAT32 entries are 28 bits, the high 4 reserved.
 */
static uint32_t
fat_entry(const struct fat *fs, uint32_t n)
{
	uint32_t v;

	if (fs->bits == 12) {
		v = ib_le16(fs->fat + n + n / 2);
		return (n & 1) != 0 ? v >> 4 : v & 0xFFF;
	}
	if (fs->bits == 16)
		return ib_le16(fs->fat + 2 * (size_t)n);
	return ib_le32(fs->fat + 4 * (size_t)n) & 0x0FFFFFFF;
}

/*
 * The cluster after c in the chain from first: 1 with *next, 0 at its
 * end, -1 with *err. "FAT Data Structure": an entry at or above
 * 0xFF8 / 0xFFF8 / 0x0FFFFFF8 ends the chain (EOC); one below marks a
 * bad cluster; a next cluster must be a data cluster, 2..last.
 */
static int
next_cluster(const struct fat *fs, uint32_t first, uint32_t c, uint32_t *next,
    ib_err *err)
{
	uint32_t eoc = fs->bits == 12 ? 0xFF8 :
	    fs->bits == 16            ? 0xFFF8 :
	                                0x0FFFFFF8;
	uint32_t v = fat_entry(fs, c);

	if (v >= eoc)
		return 0;
	if (v >= 2 && v <= fs->last) {
		*next = v;
		return 1;
	}
	if (v == eoc - 1)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: cluster chain of %u: cluster %u is marked bad", first,
		    c);
	return ib_err_set(err, IB_EFORMAT,
	    "FAT: cluster chain of %u: cluster %u points to %u, outside "
	    "2..%u",
	    first, c, v, fs->last);
}

static int
check_first(const struct fat *fs, uint32_t first, ib_err *err)
{
	if (first < 2 || first > fs->last)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: first cluster %u is outside 2..%u", first, fs->last);
	return 0;
}

/*
 * The clusters of the chain from first, followed to its end with every
 * link checked. A chain can visit each of the volume's clusters once at
 * most, so one longer than the cluster count loops.
 */
static int
chain_length(struct fat *fs, uint32_t first, uint32_t *len, ib_err *err)
{
	uint32_t c = first, n = 1;
	int rc;

	if (check_first(fs, first, err) != 0 || load_fat(fs, err) != 0)
		return -1;
	for (;;) {
		rc = next_cluster(fs, first, c, &c, err);
		if (rc <= 0)
			break;
		if (++n > fs->count)
			return ib_err_set(err, IB_EFORMAT,
			    "FAT: cluster chain of %u loops", first);
	}
	if (rc < 0)
		return -1;
	*len = n;
	return 0;
}

/* Where cluster c's bytes start, from the volume's first byte. */
static uint64_t
cluster_at(const struct fat *fs, uint32_t c)
{
	return fs->data_at + (uint64_t)(c - 2) * fs->csize;
}

/* Move cursor k one cluster on; its chain is known to be longer. */
static int
step(struct fat *fs, struct cursor *k, ib_err *err)
{
	int rc = next_cluster(fs, k->first, k->clus, &k->clus, err);

	if (rc == 0)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: cluster chain of %u ends early", k->first);
	if (rc < 0)
		return -1;
	k->idx++;
	return 0;
}

/* The cursor of the chain from first: a remembered one, or a free (or
 * the oldest) slot, the chain checked whole first. */
static int
cursor_for(struct fat *fs, uint32_t first, struct cursor **out, ib_err *err)
{
	struct cursor *k;
	unsigned i;

	if (check_first(fs, first, err) != 0)
		return -1;
	for (i = 0; i < CURSORS; i++) {
		if (fs->cur[i].first == first) {
			*out = &fs->cur[i];
			return 0;
		}
	}
	k = &fs->cur[fs->victim];
	fs->victim = (fs->victim + 1) % CURSORS;
	k->first = 0;
	if (chain_length(fs, first, &k->len, err) != 0)
		return -1;
	k->first = first;
	k->idx = 0;
	k->clus = first;
	*out = k;
	return 0;
}

/*
 * A file's bytes: its chain must have the clusters its size needs (a
 * longer chain is read as far as the size goes, as Linux does). The
 * cursor moves forward from where the last read left it, back to the
 * start only for a read behind it, and runs of adjacent clusters are
 * read at once.
 */
static int
fat_pread(void *v, const ib_vol_node *n, void *buf, size_t len, uint64_t off,
    ib_err *err)
{
	struct fat *fs = v;
	struct cursor *k;
	unsigned char *out = buf;
	uint64_t need, skip, run;
	uint32_t start, idx;
	size_t got;

	if (n->type != IB_VOL_REG || off > n->size || len > n->size - off)
		return ib_err_set(err, EINVAL, "FAT: read outside a file");
	if (len == 0)
		return 0;
	if (cursor_for(fs, (uint32_t)n->aux, &k, err) != 0)
		return -1;
	need = (n->size + fs->csize - 1) / fs->csize;
	if (need > k->len)
		return ib_err_set(err, IB_EFORMAT,
		    "FAT: a file of %llu bytes needs %llu clusters; its chain "
		    "from %u has %u",
		    (unsigned long long)n->size, (unsigned long long)need,
		    k->first, k->len);
	idx = (uint32_t)(off / fs->csize);
	if (idx < k->idx) {
		k->idx = 0;
		k->clus = k->first;
	}
	while (k->idx < idx)
		if (step(fs, k, err) != 0)
			return -1;
	skip = off % fs->csize;
	for (;;) {
		start = k->clus;
		run = fs->csize - skip;
		while (run < len && fat_entry(fs, k->clus) == k->clus + 1) {
			k->clus++;
			k->idx++;
			run += fs->csize;
		}
		got = run < len ? (size_t)run : len;
		if (ib_disk_read(fs->r, out, got,
		        fs->off + cluster_at(fs, start) + skip, "FAT: cluster",
		        err) != 0)
			return -1;
		out += got;
		len -= got;
		if (len == 0)
			return 0;
		skip = 0;
		if (step(fs, k, err) != 0)
			return -1;
	}
}

/* An entry of a directory as readdir and lookup see it. */
struct entry {
	uint16_t name[NAME_UNITS]; /* the long name, else the short one */
	size_t len;
	uint16_t alias[12]; /* the 8.3 name "NAME.EXT" */
	size_t alias_len;
	ib_vol_node node;
};

/* The long name being gathered, piece by piece (fatgen103 "FAT Long
 * Directory Entries", "Sequence Of Long Directory Entries"). */
struct lfn {
	uint16_t u[LFN_PIECES * LFN_UNITS];
	unsigned pieces; /* in the name; 0: none */
	unsigned want;   /* the ordinal expected next; 0: complete */
	unsigned char sum;
};

/* Where a piece's 13 units are: LDIR_Name1, LDIR_Name2, LDIR_Name3. */
static const unsigned char lfn_at[LFN_UNITS] = { 1, 3, 5, 7, 9, 14, 16, 18, 20,
	22, 24, 28, 30 };

/*
 * Add a long-name piece. The pieces come last first: the one with 0x40
 * in LDIR_Ord starts a name of that many pieces, then ordinals count
 * down to 1, each with the same LDIR_Chksum; LDIR_Type is 0. A piece
 * out of that order is an orphan: what was gathered is dropped.
 */
static void
lfn_add(struct lfn *l, const unsigned char *d)
{
	unsigned ord = d[0] & ~0x40u, i;

	if ((d[0] & 0x40) != 0) {
		l->pieces = ord;
		l->want = ord;
		l->sum = d[13];
	}
	if (d[12] != 0 || ord == 0 || ord > LFN_PIECES || ord != l->want ||
	    d[13] != l->sum) {
		l->pieces = 0;
		l->want = 0;
		return;
	}
	for (i = 0; i < LFN_UNITS; i++)
		l->u[(ord - 1) * LFN_UNITS + i] = ib_le16(d + lfn_at[i]);
	l->want = ord - 1;
}

/* fatgen103 "FAT Long Directory Entries", ChkSum(): the short name's
 * checksum that every piece of its long name carries. */
static unsigned char
short_sum(const unsigned char *d)
{
	unsigned sum = 0, i;

	for (i = 0; i < 11; i++)
		sum = (((sum & 1) << 7) + (sum >> 1) + d[i]) & 0xFF;
	return (unsigned char)sum;
}

/*
 * The long name gathered for the short entry d into e: complete, with
 * d's checksum, 1 to 255 units up to a NUL (or the end), none of them a
 * control character or '/', and neither "." nor "..". Else false: the
 * short name serves.
 */
static bool
lfn_take(const struct lfn *l, const unsigned char *d, struct entry *e)
{
	size_t n = 0, max = l->pieces * LFN_UNITS;

	if (l->pieces == 0 || l->want != 0 || l->sum != short_sum(d))
		return false;
	while (n < max && l->u[n] != 0) {
		if (l->u[n] < 0x20 || l->u[n] == '/')
			return false;
		n++;
	}
	if (n == 0 || n > NAME_UNITS ||
	    (l->u[0] == '.' && n <= 2 && l->u[n - 1] == '.'))
		return false;
	memcpy(e->name, l->u, n * sizeof(e->name[0]));
	e->len = n;
	return true;
}

/* Code page 437's upper half (Linux's default codepage=437 for 8.3
 * names). */
static const uint16_t cp437[128] = { 0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4,
	0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC,
	0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB,
	0x00F9, 0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
	0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF,
	0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB, 0x2591, 0x2592,
	0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551,
	0x2557, 0x255D, 0x255C, 0x255B, 0x2510, 0x2514, 0x2534, 0x252C, 0x251C,
	0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560,
	0x2550, 0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552,
	0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590,
	0x2580, 0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
	0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261,
	0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248, 0x00B0, 0x2219,
	0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0 };

/* One byte of an 8.3 name as a unit, A-Z lowered when lower. */
static uint16_t
oem(unsigned char c, bool lower)
{
	if (c >= 0x80)
		return cp437[c - 0x80];
	if (lower && c >= 'A' && c <= 'Z')
		return (uint16_t)(c + ('a' - 'A'));
	return c;
}

/*
 * The 8.3 name of entry d as "NAME.EXT" in u (12 units): blanks ending
 * either part dropped, a first byte 0x05 read as 0xE5 ("FAT Directory
 * Structure", DIR_Name[0]), and the lowercase flags Windows NT keeps in
 * DIR_NTRes (0x08 the base, 0x10 the extension; Linux
 * include/uapi/linux/msdos_fs.h CASE_LOWER_BASE, CASE_LOWER_EXT)
 * applied to ASCII letters. Returns the length; 0 for a name no file
 * may have: blanks, or a byte below 0x20 (but that 0x05) or '/', which
 * the spec forbids and a path could not hold.
 */
static size_t
short_name(uint16_t *u, const unsigned char *d)
{
	size_t n = 0, b = 8, x = 11, i;

	while (b > 0 && d[b - 1] == ' ')
		b--;
	while (x > 8 && d[x - 1] == ' ')
		x--;
	for (i = d[0] == 0x05 ? 1 : 0; i < 11; i++)
		if (d[i] < 0x20 || d[i] == '/')
			return 0;
	if (b == 0)
		return 0;
	for (i = 0; i < b; i++)
		u[n++] = oem(i == 0 && d[0] == 0x05 ? 0xE5 : d[i],
		    (d[12] & 0x08) != 0);
	if (x > 8)
		u[n++] = '.';
	for (i = 8; i < x; i++)
		u[n++] = oem(d[i], (d[12] & 0x10) != 0);
	return n;
}

/* DIR_WrtDate and DIR_WrtTime ("FAT Directory Structure", "Date and
 * Time Formats": years from 1980, seconds in 2s), taken as UTC. */
static int64_t
dos_time(const unsigned char *d)
{
	unsigned date = ib_le16(d + 24), t = ib_le16(d + 22);
	unsigned char tm[7];

	/* ECMA-119 9.1.5's 7 bytes, years from 1900, decoded once. */
	tm[0] = (unsigned char)(80 + (date >> 9));
	tm[1] = (unsigned char)(date >> 5 & 15);
	tm[2] = (unsigned char)(date & 31);
	tm[3] = (unsigned char)(t >> 11);
	tm[4] = (unsigned char)(t >> 5 & 63);
	tm[5] = (unsigned char)((t & 31) * 2);
	tm[6] = 0;
	return ib_rrip_date7(tm);
}

/* The node of short entry d, found at byte at of the volume. */
static void
make_node(const struct fat *fs, const unsigned char *d, uint64_t at,
    ib_vol_node *n)
{
	uint32_t clus = ib_le16(d + 26);

	/* DIR_FstClusHI is "always 0 for a FAT12 or FAT16 volume". */
	if (fs->bits == 32)
		clus |= (uint32_t)ib_le16(d + 20) << 16;
	n->id = at;
	n->aux = clus;
	n->mtime = dos_time(d);
	if ((d[11] & ATTR_DIRECTORY) != 0) {
		/* Windows marks directories read-only to customise them. */
		n->type = IB_VOL_DIR;
		n->size = 0;
		n->mode = 0755;
	} else {
		n->type = IB_VOL_REG;
		n->size = ib_le32(d + 28);
		n->mode = (d[11] & ATTR_READ_ONLY) != 0 ? 0444 : 0644;
	}
}

typedef int (*entry_fn)(void *ctx, const struct entry *e, ib_err *err);

/* How far a directory walk has come. */
struct dirwalk {
	struct fat *fs;
	struct lfn lfn;
	struct entry e;
	entry_fn fn;
	void *ctx;
};

/*
 * The n bytes of directory entries at byte at of the volume: 0 to go on,
 * 1 at the end of the directory or when fn stops, -1 with *err. "FAT
 * Directory Structure": DIR_Name[0] 0xE5 is a free entry, 0x00 a free one
 * after which none is used; volume labels, "." and ".." are no files.
 * Anything but a long-name piece ends the name being gathered.
 */
static int
scan(struct dirwalk *w, const unsigned char *buf, size_t n, uint64_t at,
    ib_err *err)
{
	const unsigned char *d;
	size_t i;
	int rc;

	for (i = 0; i < n; i += DIRENT) {
		d = buf + i;
		if (d[0] == 0x00)
			return 1;
		if (d[0] != 0xE5 &&
		    (d[11] & ATTR_LONG_MASK) == ATTR_LONG_NAME) {
			lfn_add(&w->lfn, d);
			continue;
		}
		if (d[0] == 0xE5 || (d[11] & ATTR_VOLUME_ID) != 0 ||
		    memcmp(d, ".          ", 11) == 0 ||
		    memcmp(d, "..         ", 11) == 0) {
			w->lfn.pieces = 0;
			continue;
		}
		w->e.alias_len = short_name(w->e.alias, d);
		if (w->e.alias_len > 0 && !lfn_take(&w->lfn, d, &w->e)) {
			memcpy(w->e.name, w->e.alias, sizeof(w->e.alias));
			w->e.len = w->e.alias_len;
		}
		w->lfn.pieces = 0;
		if (w->e.alias_len == 0)
			continue;
		make_node(w->fs, d, at + i, &w->e.node);
		rc = w->fn(w->ctx, &w->e, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/*
 * Every entry of directory dir, in order, to fn. The FAT12/16 root is the
 * fixed region after the FATs; any other directory is a cluster chain,
 * checked whole before its first cluster is read and bounded by
 * IB_MAX_DIR_SIZE (Linux stops at 65536 entries, 2 MiB).
 */
static int
walk_dir(struct fat *fs, const ib_vol_node *dir, entry_fn fn, void *ctx,
    ib_err *err)
{
	struct dirwalk *w;
	unsigned char *buf;
	bool fixed = dir->id == 0 && fs->bits != 32;
	uint32_t c = (uint32_t)dir->aux, len = 0, i;
	uint64_t at, end = fs->root_at + fs->root_len;
	size_t n = fs->csize;
	int rc = 0;

	if (dir->type != IB_VOL_DIR)
		return ib_err_set(err, EINVAL, "FAT: not a directory");
	if (!fixed && chain_length(fs, c, &len, err) != 0)
		return -1;
	if ((uint64_t)len * fs->csize > IB_MAX_DIR_SIZE)
		return ib_err_set(err, IB_ELIMIT,
		    "FAT: a directory over %u bytes (IB_MAX_DIR_SIZE)",
		    IB_MAX_DIR_SIZE);
	w = calloc(1, sizeof(*w));
	buf = malloc(fs->csize);
	if (w == NULL || buf == NULL) {
		free(w);
		free(buf);
		return ib_err_errno(err, ENOMEM, "FAT: directory");
	}
	w->fs = fs;
	w->fn = fn;
	w->ctx = ctx;
	for (i = 0; rc == 0; i++) {
		if (fixed) { /* the root region, a cluster's size at once */
			at = fs->root_at + (uint64_t)i * fs->csize;
			if (at >= end)
				break;
			if (end - at < n)
				n = (size_t)(end - at);
		} else {
			if (i == len)
				break;
			if (i > 0)
				rc = next_cluster(fs, (uint32_t)dir->aux, c, &c,
				         err) == 1 ?
				    0 :
				    -1;
			at = cluster_at(fs, c);
		}
		if (rc == 0)
			rc = ib_disk_read(fs->r, buf, n, fs->off + at,
			    "FAT: directory", err);
		if (rc == 0)
			rc = scan(w, buf, n, at, err);
	}
	free(buf);
	free(w);
	return rc < 0 ? -1 : 0;
}

static int
fat_root(void *v, ib_vol_node *out, ib_err *err)
{
	struct fat *fs = v;

	(void)err;
	memset(out, 0, sizeof(*out));
	out->id = 0; /* no entry holds the root: byte 0 is the boot sector */
	out->aux = fs->bits == 32 ? fs->root_clus : 0;
	out->type = IB_VOL_DIR;
	out->mode = 0755;
	return 0;
}

/* Append code point c as UTF-8 to out at *o. */
static void
put_utf8(char *out, size_t *o, uint32_t c)
{
	static const unsigned char lead[] = { 0, 0, 0xC0, 0xE0, 0xF0 };
	size_t len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4, i;

	for (i = len - 1; i > 0; i--, c >>= 6)
		out[*o + i] = (char)(0x80 | (c & 0x3F));
	out[*o] = (char)(lead[len] | c);
	*o += len;
}

/* n units of UTF-16 as UTF-8 in out (NAME_UTF8 bytes); a surrogate that
 * is not half of a pair becomes U+FFFD. Returns the length. */
static size_t
to_utf8(char *out, const uint16_t *u, size_t n)
{
	size_t i, o = 0;
	uint32_t c, d;

	for (i = 0; i < n; i++) {
		c = u[i];
		d = i + 1 < n ? u[i + 1] : 0;
		if (c >= 0xD800 && c < 0xDC00 && d >= 0xDC00 && d < 0xE000) {
			c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
			i++;
		} else if (c >= 0xD800 && c < 0xE000) {
			c = 0xFFFD;
		}
		put_utf8(out, &o, c);
	}
	return o;
}

struct list {
	ib_vol_dir_fn fn;
	void *ctx;
};

static int
list_one(void *ctx, const struct entry *e, ib_err *err)
{
	struct list *l = ctx;
	char name[NAME_UTF8];

	return l->fn(l->ctx, name, to_utf8(name, e->name, e->len), &e->node,
	    err);
}

static int
fat_readdir(void *v, const ib_vol_node *dir, ib_vol_dir_fn fn, void *ctx,
    ib_err *err)
{
	struct list l;

	l.fn = fn;
	l.ctx = ctx;
	return walk_dir(v, dir, list_one, &l, err);
}

/* name (len bytes) as UTF-16 in u (max units): the count, or 0 when it
 * is not UTF-8 (RFC 3629) or longer than max. */
static size_t
from_utf8(uint16_t *u, size_t max, const char *name, size_t len)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0, n = 0, k, more;
	uint32_t c, min;

	while (i < len) {
		c = s[i++];
		more = c < 0x80           ? 0 :
		    c >= 0xC2 && c < 0xE0 ? 1 :
		    c >= 0xE0 && c < 0xF0 ? 2 :
		    c >= 0xF0 && c < 0xF5 ? 3 :
		                            4;
		if (more == 4 || more > len - i)
			return 0;
		min = more == 1 ? 0x80 : more == 2 ? 0x800 : 0x10000;
		c &= more == 0 ? 0x7Fu :
		    more == 1  ? 0x1Fu :
		    more == 2  ? 0x0Fu :
		                 0x07u;
		for (k = 0; k < more; k++, i++) {
			if ((s[i] & 0xC0) != 0x80)
				return 0;
			c = c << 6 | (s[i] & 0x3Fu);
		}
		if ((more > 0 && c < min) || (c >= 0xD800 && c < 0xE000) ||
		    c > 0x10FFFF || n + (c >= 0x10000 ? 2u : 1u) > max)
			return 0;
		if (c >= 0x10000) {
			u[n++] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
			c = 0xDC00 + ((c - 0x10000) & 0x3FF);
		}
		u[n++] = (uint16_t)c;
	}
	return n;
}

/*
 * A unit's uppercase, for names compared without regard to case: ASCII,
 * Latin-1, Latin Extended-A, and the basic Greek and Cyrillic letters
 * (Unicode's simple mappings there). Windows folds the whole BMP with
 * its upcase table; other letters compare exactly here.
 */
static uint16_t
fold(uint16_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
	    (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) ||
	    (c >= 0x430 && c <= 0x44F))
		return (uint16_t)(c - 0x20);
	if (c == 0xFF)
		return 0x178;
	if (c == 0x3C2) /* final sigma */
		return 0x3A3;
	if (c >= 0x450 && c <= 0x45F)
		return (uint16_t)(c - 0x50);
	if (c < 0x100 || c > 0x17E || c == 0x130 || c == 0x131 || c == 0x138 ||
	    c == 0x149 || c == 0x178)
		return c;
	/* Latin Extended-A pairs: capital first, on odd code points in
	 * 0x139-0x148 and 0x179-0x17E, on even ones elsewhere. */
	if ((c >= 0x139 && c <= 0x148) || c >= 0x179)
		return (c & 1) != 0 ? c : (uint16_t)(c - 1);
	return (uint16_t)(c & ~1u);
}

static bool
same_name(const uint16_t *a, size_t an, const uint16_t *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return false;
	for (i = 0; i < an; i++)
		if (fold(a[i]) != fold(b[i]))
			return false;
	return true;
}

struct find {
	uint16_t u[NAME_UNITS];
	size_t n;
	ib_vol_node *out;
	bool found;
};

/* fatgen103 "Name Matching In Short & Long Names": a file answers to its
 * long name and to its short one. */
static int
find_one(void *ctx, const struct entry *e, ib_err *err)
{
	struct find *f = ctx;

	(void)err;
	if (!same_name(f->u, f->n, e->name, e->len) &&
	    !same_name(f->u, f->n, e->alias, e->alias_len))
		return 0;
	*f->out = e->node;
	f->found = true;
	return 1;
}

static int
fat_lookup(void *v, const ib_vol_node *dir, const char *name, size_t len,
    ib_vol_node *out, ib_err *err)
{
	struct find f;

	f.n = from_utf8(f.u, NAME_UNITS, name, len);
	if (f.n == 0) /* no FAT name is empty, too long, or not UTF-8 */
		return 0;
	f.out = out;
	f.found = false;
	if (walk_dir(v, dir, find_one, &f, err) != 0)
		return -1;
	return f.found ? 1 : 0;
}

static void
fat_close(void *v)
{
	struct fat *fs = v;

	if (fs == NULL)
		return;
	free(fs->fat);
	free(fs);
}

static const ib_vol_ops fat_ops = {
	fat_root,
	fat_lookup,
	fat_readdir,
	fat_pread,
	fat_close,
};

ib_vol *
ib_fat_open(const ib_disk_reader *r, uint64_t off, uint64_t len, ib_err *err)
{
	unsigned char b[512];
	struct fat *fs;

	if (len < sizeof(b)) {
		ib_err_set(err, IB_EFORMAT,
		    "FAT: a volume of %llu bytes has no boot sector",
		    (unsigned long long)len);
		return NULL;
	}
	if (ib_disk_read(r, b, sizeof(b), off, "FAT: boot sector", err) != 0)
		return NULL;
	fs = calloc(1, sizeof(*fs));
	if (fs == NULL) {
		ib_err_errno(err, ENOMEM, "FAT");
		return NULL;
	}
	fs->r = r;
	fs->off = off;
	if (read_bpb(fs, b, len, err) != 0) {
		free(fs);
		return NULL;
	}
	return ib_vol_new(&fat_ops, fs, type_name(fs->bits), err);
}
