/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * disk_part: MBR and GPT partition tables through an ib_disk_reader.
 * MBR: the layout every DOS-era tool writes (sector 0 ends in 55 AA, four
 * 16-byte entries at 446); extended partitions and their EBR chain as
 * Linux's block/partitions/msdos.c reads them. GPT: UEFI 2.10 section 5.3
 * (header at LBA 1, backup at the last LBA, CRC32 of header and entries).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "bounds.h"
#include "bytes.h"
#include "compat.h"
#include "disk_part.h"

/* The MBR's own sector size; GPT may use 4096. */
#define MBR_SECTOR     512u
#define MBR_ENTRIES    446u
#define GPT_HEADER_MIN 92u
#define GPT_ENTRY_MIN  128u

static int
raw_read(void *ctx, void *buf, size_t len, uint64_t off, ib_err *err)
{
	return ib_pread_all(*(int *)ctx, buf, len, off, err);
}

int
ib_disk_reader_fd(ib_disk_reader *r, int *fd, ib_err *err)
{
	struct stat st;
	off_t end;

	if (fstat(*fd, &st) == -1)
		return ib_err_errno(err, errno, "fstat");
	if (S_ISREG(st.st_mode)) {
		end = st.st_size;
	} else {
		end = lseek(*fd, 0, SEEK_END);
		if (end == -1)
			return ib_err_errno(err, errno, "size of the disk");
	}
	if (end < 0)
		return ib_err_set(err, EINVAL, "size of the disk is negative");
	r->read = raw_read;
	r->ctx = fd;
	r->size = (uint64_t)end;
	return 0;
}

int
ib_disk_read(const ib_disk_reader *r, void *buf, size_t len, uint64_t off,
    const char *what, ib_err *err)
{
	if (off > r->size || len > r->size - off)
		return ib_err_set(err, IB_EFORMAT,
		    "%s: bytes %llu+%zu are past the disk end (%llu bytes)",
		    what, (unsigned long long)off, len,
		    (unsigned long long)r->size);
	return r->read(r->ctx, buf, len, off, err);
}

const char *
ib_disk_scheme_name(enum ib_disk_scheme s)
{
	switch (s) {
	case IB_DISK_MBR:
		return "dos";
	case IB_DISK_GPT:
		return "gpt";
	case IB_DISK_NONE:
		break;
	}
	return "none";
}

/* The GUIDs of the UEFI spec (ESP), the Discoverable Partitions
 * Specification (Linux ones) and Microsoft's; names as fdisk gives them. */
static const struct {
	const char *guid;
	const char *name;
} gpt_types[] = {
	{ "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI System" },
	{ "0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem" },
	{ "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "Linux root (x86-64)" },
	{ "B921B045-1DF0-41C3-AF44-4C6F280D3FAE", "Linux root (ARM-64)" },
	{ "BC13C2FF-59E6-4262-A352-B275FD6F7172", "Linux extended boot" },
	{ "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap" },
	{ "E6D6D379-F507-44C2-A23C-238F2A3DF928", "Linux LVM" },
	{ "A19D880F-05FC-4D3B-A006-743F0F84911E", "Linux RAID" },
	{ "21686148-6449-6E6F-744E-656564454649", "BIOS boot" },
	{ "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Microsoft basic data" },
};

const char *
ib_disk_gpt_type_name(const char *guid)
{
	size_t i;

	for (i = 0; i < sizeof(gpt_types) / sizeof(gpt_types[0]); i++)
		if (strcmp(gpt_types[i].guid, guid) == 0)
			return gpt_types[i].name;
	return NULL;
}

/* A GUID's text form: the first three fields are little-endian. */
static void
format_guid(char out[37], const unsigned char *p)
{
	(void)snprintf(out, 37,
	    "%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
	    (unsigned long)ib_le32(p), (unsigned)ib_le16(p + 4),
	    (unsigned)ib_le16(p + 6), p[8], p[9], p[10], p[11], p[12], p[13],
	    p[14], p[15]);
}

/* Append code point c to out (at *n, room for 4 more bytes). */
static void
put_utf8(char *out, size_t *n, uint32_t c)
{
	size_t i = *n;

	if (c < 0x80) {
		out[i++] = (char)c;
	} else if (c < 0x800) {
		out[i++] = (char)(0xC0 | c >> 6);
		out[i++] = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		out[i++] = (char)(0xE0 | c >> 12);
		out[i++] = (char)(0x80 | (c >> 6 & 0x3F));
		out[i++] = (char)(0x80 | (c & 0x3F));
	} else {
		out[i++] = (char)(0xF0 | c >> 18);
		out[i++] = (char)(0x80 | (c >> 12 & 0x3F));
		out[i++] = (char)(0x80 | (c >> 6 & 0x3F));
		out[i++] = (char)(0x80 | (c & 0x3F));
	}
	*n = i;
}

/* units UTF-16LE code units at p, up to the first NUL, as UTF-8 in out
 * (at least 3 * units + 1 bytes); a lone surrogate becomes U+FFFD. */
static void
utf16le_to_utf8(char *out, const unsigned char *p, size_t units)
{
	size_t i, n = 0;
	uint32_t c, d;

	for (i = 0; i < units; i++) {
		c = ib_le16(p + 2 * i);
		if (c == 0)
			break;
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < units) {
			d = ib_le16(p + 2 * (i + 1));
			if (d >= 0xDC00 && d < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) +
				    (d - 0xDC00);
				i++;
			} else {
				c = 0xFFFD;
			}
		} else if (c >= 0xD800 && c < 0xE000) {
			c = 0xFFFD;
		}
		put_utf8(out, &n, c);
	}
	out[n] = '\0';
}

/* Append a printf-style warning to t->note, "; " between two. */
static void IB_PRINTF(2, 3) add_note(ib_disk_table *t, const char *fmt, ...)
{
	size_t n = strlen(t->note);
	va_list ap;

	if (n > 0 && n + 2 < sizeof(t->note)) {
		memcpy(t->note + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	(void)vsnprintf(t->note + n, sizeof(t->note) - n, fmt, ap);
	va_end(ap);
}

/* A new partition at the end of t->parts (room for one more is made). */
static ib_disk_part *
add_part(ib_disk_table *t, size_t *cap, ib_err *err)
{
	ib_disk_part *p;
	size_t ncap;

	if (t->count == *cap) {
		ncap = *cap == 0 ? 8 : *cap * 2;
		p = ib_reallocarray(t->parts, ncap, sizeof(*p));
		if (p == NULL) {
			ib_err_errno(err, ENOMEM, "partition table");
			return NULL;
		}
		t->parts = p;
		*cap = ncap;
	}
	p = &t->parts[t->count++];
	memset(p, 0, sizeof(*p));
	return p;
}

/* Set the byte range of p from first_lba and sectors, inside the disk. */
static int
set_range(const ib_disk_reader *r, const ib_disk_table *t, ib_disk_part *p,
    const char *scheme, ib_err *err)
{
	uint64_t end;

	if (!ib_mul_u64(p->first_lba, t->sector, &p->start) ||
	    !ib_mul_u64(p->sectors, t->sector, &p->size) ||
	    !ib_add_u64(p->start, p->size, &end) || end > r->size)
		return ib_err_set(err, IB_EFORMAT,
		    "%s: partition %u (sectors %llu+%llu) ends past the disk "
		    "end (%llu sectors)",
		    scheme, p->num, (unsigned long long)p->first_lba,
		    (unsigned long long)p->sectors,
		    (unsigned long long)(r->size / t->sector));
	return 0;
}

struct span {
	uint64_t start, end;
	unsigned num;
};

static int
cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->num < y->num ? -1 : x->num > y->num;
}

/* No two partitions share a byte; the extended container is checked
 * against the primaries only (it holds the logical ones). */
static int
check_overlap(const ib_disk_table *t, const char *scheme, ib_err *err)
{
	struct span *s;
	size_t i, j, n = 0;
	uint64_t maxend = 0;
	unsigned maxnum = 0;
	int rc = 0;

	if (t->count == 0)
		return 0;
	s = ib_reallocarray(NULL, t->count, sizeof(*s));
	if (s == NULL)
		return ib_err_errno(err, ENOMEM, "partition table");
	for (i = 0; i < t->count; i++) {
		if (t->parts[i].extended || t->parts[i].size == 0)
			continue;
		s[n].start = t->parts[i].start;
		s[n].end = t->parts[i].start + t->parts[i].size;
		s[n].num = t->parts[i].num;
		n++;
	}
	qsort(s, n, sizeof(*s), cmp_span);
	for (i = 0; i < n && rc == 0; i++) {
		if (i > 0 && s[i].start < maxend)
			rc = ib_err_set(err, IB_EFORMAT,
			    "%s: partitions %u and %u overlap", scheme,
			    maxnum < s[i].num ? maxnum : s[i].num,
			    maxnum < s[i].num ? s[i].num : maxnum);
		if (s[i].end > maxend) {
			maxend = s[i].end;
			maxnum = s[i].num;
		}
	}
	for (i = 0; i < t->count && rc == 0; i++) {
		if (!t->parts[i].extended)
			continue;
		for (j = 0; j < t->count && rc == 0; j++) {
			const ib_disk_part *a = &t->parts[i], *b = &t->parts[j];

			if (b->logical || j == i || b->size == 0)
				continue;
			if (a->start < b->start + b->size &&
			    b->start < a->start + a->size)
				rc = ib_err_set(err, IB_EFORMAT,
				    "%s: partitions %u and %u overlap", scheme,
				    a->num < b->num ? a->num : b->num,
				    a->num < b->num ? b->num : a->num);
		}
	}
	free(s);
	return rc;
}

static bool
is_extended_type(unsigned type)
{
	/* DOS extended, Windows LBA extended, Linux extended. */
	return type == 0x05 || type == 0x0F || type == 0x85;
}

/* Fill p from the 16-byte MBR entry e, relative to base. */
static void
mbr_entry(ib_disk_part *p, const unsigned char *e, uint64_t base)
{
	p->bootable = e[0] == 0x80;
	p->mbr_type = e[4];
	p->first_lba = base + ib_le32(e + 8);
	p->sectors = ib_le32(e + 12);
}

/*
 * The logical partitions of the extended partition ext: a chain of EBRs,
 * each holding one logical partition (slot 1, relative to that EBR) and a
 * link to the next EBR (slot 2, relative to the extended partition), as
 * Linux reads them. Slots 3 and 4 are ignored, as Linux mostly does
 * ("these sometimes contain random garbage"). An EBR without 55 AA ends
 * the chain, as in Linux and libblkid.
 */
static int
read_ebr_chain(const ib_disk_reader *r, ib_disk_table *t, size_t *cap,
    uint64_t ext_start, uint64_t ext_sectors, ib_err *err)
{
	uint64_t visited[IB_MAX_EBR];
	unsigned char s[MBR_SECTOR];
	uint64_t cur = ext_start, ext_end = ext_start + ext_sectors;
	unsigned num = 5;
	size_t n, i, slot;
	ib_disk_part *p;
	const unsigned char *e;
	bool more;

	for (n = 0;; n++) {
		if (n == IB_MAX_EBR)
			return ib_err_set(err, IB_ELIMIT,
			    "MBR: EBR chain longer than IB_MAX_EBR (%u)",
			    IB_MAX_EBR);
		for (i = 0; i < n; i++)
			if (visited[i] == cur)
				return ib_err_set(err, IB_EFORMAT,
				    "MBR: EBR chain loops back to sector %llu",
				    (unsigned long long)cur);
		visited[n] = cur;
		if (cur < ext_start || cur >= ext_end)
			return ib_err_set(err, IB_EFORMAT,
			    "MBR: EBR at sector %llu is outside the extended "
			    "partition (sectors %llu-%llu)",
			    (unsigned long long)cur,
			    (unsigned long long)ext_start,
			    (unsigned long long)(ext_end - 1));
		if (ib_disk_read(r, s, sizeof(s), cur * MBR_SECTOR, "MBR: EBR",
		        err) != 0)
			return -1;
		if (s[510] != 0x55 || s[511] != 0xAA)
			return 0;
		more = false;
		for (slot = 0; slot < 4; slot++) {
			e = s + MBR_ENTRIES + 16 * slot;
			if (ib_le32(e + 12) == 0)
				continue;
			if (is_extended_type(e[4])) {
				if (!more) {
					more = true;
					cur = ext_start + ib_le32(e + 8);
				}
				continue;
			}
			if (slot >= 2)
				continue;
			p = add_part(t, cap, err);
			if (p == NULL)
				return -1;
			p->num = num++;
			p->logical = true;
			mbr_entry(p, e, cur);
			if (p->first_lba <= cur ||
			    p->first_lba + p->sectors > ext_end)
				return ib_err_set(err, IB_EFORMAT,
				    "MBR: partition %u (sectors %llu+%llu) is "
				    "outside its extended partition (sectors "
				    "%llu-%llu)",
				    p->num, (unsigned long long)p->first_lba,
				    (unsigned long long)p->sectors,
				    (unsigned long long)(cur + 1),
				    (unsigned long long)(ext_end - 1));
			if (set_range(r, t, p, "MBR", err) != 0)
				return -1;
		}
		if (!more)
			return 0;
	}
}

static int
read_mbr(const ib_disk_reader *r, ib_disk_table *t, const unsigned char *s,
    ib_err *err)
{
	size_t cap = 0, slot;
	ib_disk_part *p, ext;
	bool have_ext = false;
	const unsigned char *e;

	t->scheme = IB_DISK_MBR;
	t->sector = MBR_SECTOR;
	(void)snprintf(t->id, sizeof(t->id), "0x%08lx",
	    (unsigned long)ib_le32(s + 440));
	memset(&ext, 0, sizeof(ext));
	for (slot = 0; slot < 4; slot++) {
		e = s + MBR_ENTRIES + 16 * slot;
		if (ib_le32(e + 12) == 0)
			continue;
		p = add_part(t, &cap, err);
		if (p == NULL)
			return -1;
		p->num = (unsigned)slot + 1;
		mbr_entry(p, e, 0);
		if (set_range(r, t, p, "MBR", err) != 0)
			return -1;
		if (is_extended_type(p->mbr_type)) {
			if (have_ext)
				return ib_err_set(err, IB_EFORMAT,
				    "MBR: partitions %u and %u are both "
				    "extended",
				    ext.num, p->num);
			p->extended = true;
			have_ext = true;
			ext = *p;
		}
	}
	if (have_ext &&
	    read_ebr_chain(r, t, &cap, ext.first_lba, ext.sectors, err) != 0)
		return -1;
	return check_overlap(t, "MBR", err);
}

/* A GPT header and its entry array, read and checked. */
struct gpt {
	uint64_t lba, first_usable, last_usable, array_lba;
	uint32_t count, esize;
	unsigned char guid[16];
	unsigned char *array; /* count * esize bytes, malloc'd */
};

/* Read the header at lba (which: "primary" or "backup") and its entries
 * into *g; fails with a message "GPT: <problem> (<which>)". */
static int
read_gpt(const ib_disk_reader *r, unsigned sector, uint64_t lba,
    const char *which, struct gpt *g, ib_err *err)
{
	unsigned char h[4096];
	uint64_t off, total = r->size / sector, bytes, end;
	uint32_t hsize, crc;

	g->array = NULL;
	if (!ib_mul_u64(lba, sector, &off))
		return ib_err_set(err, IB_EFORMAT, "GPT: header LBA %llu (%s)",
		    (unsigned long long)lba, which);
	if (ib_disk_read(r, h, sector, off, "GPT: header", err) != 0) {
		if (err->code == IB_EFORMAT)
			ib_err_set(err, IB_EFORMAT,
			    "GPT: header at LBA %llu is past the disk end (%s)",
			    (unsigned long long)lba, which);
		return -1;
	}
	if (memcmp(h, "EFI PART", 8) != 0)
		return ib_err_set(err, IB_EFORMAT,
		    "GPT: no header signature at LBA %llu (%s)",
		    (unsigned long long)lba, which);
	hsize = ib_le32(h + 12);
	if (hsize < GPT_HEADER_MIN || hsize > sector)
		return ib_err_set(err, IB_EFORMAT,
		    "GPT: header size %lu is not %u to %u (%s)",
		    (unsigned long)hsize, GPT_HEADER_MIN, sector, which);
	crc = ib_le32(h + 16);
	memset(h + 16, 0, 4);
	if (crc32(0, h, hsize) != crc)
		return ib_err_set(err, IB_EFORMAT,
		    "GPT: header CRC mismatch (%s)", which);
	if (ib_le64(h + 24) != lba)
		return ib_err_set(err, IB_EFORMAT,
		    "GPT: header says it is at LBA %llu, read at %llu (%s)",
		    (unsigned long long)ib_le64(h + 24),
		    (unsigned long long)lba, which);
	g->lba = lba;
	g->first_usable = ib_le64(h + 40);
	g->last_usable = ib_le64(h + 48);
	memcpy(g->guid, h + 56, 16);
	g->array_lba = ib_le64(h + 72);
	g->count = ib_le32(h + 80);
	g->esize = ib_le32(h + 84);
	if (g->first_usable > g->last_usable || g->last_usable >= total)
		return ib_err_set(err, IB_EFORMAT,
		    "GPT: usable LBAs %llu-%llu are not inside the disk "
		    "(%llu sectors) (%s)",
		    (unsigned long long)g->first_usable,
		    (unsigned long long)g->last_usable,
		    (unsigned long long)total, which);
	if (g->esize < GPT_ENTRY_MIN || (g->esize & (g->esize - 1)) != 0)
		return ib_err_set(err, IB_EFORMAT,
		    "GPT: entry size %lu is not 128 times a power of 2 (%s)",
		    (unsigned long)g->esize, which);
	if (g->count > IB_MAX_GPT_ENTRIES)
		return ib_err_set(err, IB_ELIMIT,
		    "GPT: %lu entries, more than IB_MAX_GPT_ENTRIES (%u) (%s)",
		    (unsigned long)g->count, IB_MAX_GPT_ENTRIES, which);
	bytes = (uint64_t)g->count * g->esize;
	if (bytes > IB_MAX_GPT_ARRAY)
		return ib_err_set(err, IB_ELIMIT,
		    "GPT: entry array of %llu bytes, more than "
		    "IB_MAX_GPT_ARRAY (%u) (%s)",
		    (unsigned long long)bytes, IB_MAX_GPT_ARRAY, which);
	if (!ib_mul_u64(g->array_lba, sector, &off) ||
	    !ib_add_u64(off, bytes, &end) || end > r->size)
		return ib_err_set(err, IB_EFORMAT,
		    "GPT: entry array (LBA %llu, %llu bytes) is past the disk "
		    "end (%s)",
		    (unsigned long long)g->array_lba, (unsigned long long)bytes,
		    which);
	g->array = malloc(bytes > 0 ? (size_t)bytes : 1);
	if (g->array == NULL)
		return ib_err_errno(err, ENOMEM, "GPT: entry array");
	if (ib_disk_read(r, g->array, (size_t)bytes, off, "GPT: entry array",
	        err) != 0)
		goto fail;
	if (crc32(0, g->array, (uInt)bytes) != ib_le32(h + 88)) {
		ib_err_set(err, IB_EFORMAT,
		    "GPT: entry array CRC mismatch (%s)", which);
		goto fail;
	}
	return 0;
fail:
	free(g->array);
	g->array = NULL;
	return -1;
}

/* The partitions of a checked GPT, numbered by their index + 1. */
static int
gpt_parts(const ib_disk_reader *r, ib_disk_table *t, const struct gpt *g,
    ib_err *err)
{
	static const unsigned char zero[16];
	size_t cap = 0, i;
	const unsigned char *e;
	ib_disk_part *p;
	uint64_t first, last;

	for (i = 0; i < g->count; i++) {
		e = g->array + i * g->esize;
		if (memcmp(e, zero, 16) == 0)
			continue;
		first = ib_le64(e + 32);
		last = ib_le64(e + 40);
		if (first > last || first < g->first_usable ||
		    last > g->last_usable)
			return ib_err_set(err, IB_EFORMAT,
			    "GPT: partition %zu (LBA %llu-%llu) is outside the "
			    "usable LBAs %llu-%llu",
			    i + 1, (unsigned long long)first,
			    (unsigned long long)last,
			    (unsigned long long)g->first_usable,
			    (unsigned long long)g->last_usable);
		p = add_part(t, &cap, err);
		if (p == NULL)
			return -1;
		p->num = (unsigned)(i + 1);
		p->first_lba = first;
		p->sectors = last - first + 1;
		if (set_range(r, t, p, "GPT", err) != 0)
			return -1;
		format_guid(p->type_guid, e);
		format_guid(p->uuid, e + 16);
		p->type = ib_disk_gpt_type_name(p->type_guid);
		p->attrs = ib_le64(e + 48);
		utf16le_to_utf8(p->name, e + 56, 36);
	}
	return check_overlap(t, "GPT", err);
}

/* The sector size of a GPT: where the primary header's signature is. */
static int
gpt_sector(const ib_disk_reader *r, unsigned *sector, ib_err *err)
{
	unsigned char sig[8];

	*sector = MBR_SECTOR;
	if (r->size >= 2 * 4096) {
		if (ib_disk_read(r, sig, 8, 512, "GPT", err) != 0)
			return -1;
		if (memcmp(sig, "EFI PART", 8) == 0)
			return 0;
		if (ib_disk_read(r, sig, 8, 4096, "GPT", err) != 0)
			return -1;
		if (memcmp(sig, "EFI PART", 8) == 0)
			*sector = 4096;
	}
	return 0;
}

static int
read_gpt_table(const ib_disk_reader *r, ib_disk_table *t, ib_err *err)
{
	struct gpt g;
	ib_err perr, berr;
	char which[64];
	uint64_t last;
	int rc;

	t->scheme = IB_DISK_GPT;
	if (gpt_sector(r, &t->sector, err) != 0)
		return -1;
	if (r->size / t->sector < 3)
		return ib_err_set(err, IB_EFORMAT,
		    "GPT: the disk is too small (%llu bytes)",
		    (unsigned long long)r->size);
	last = r->size / t->sector - 1;
	if (read_gpt(r, t->sector, 1, "primary", &g, &perr) != 0) {
		if (perr.code != IB_EFORMAT && perr.code != IB_ELIMIT) {
			*err = perr;
			return -1;
		}
		(void)snprintf(which, sizeof(which), "backup at LBA %llu",
		    (unsigned long long)last);
		if (read_gpt(r, t->sector, last, which, &g, err) != 0) {
			if (err->code != IB_EFORMAT && err->code != IB_ELIMIT)
				return -1;
			/* Both bad: say both, the limit first if hit. */
			berr = *err;
			return ib_err_set(err,
			    perr.code == IB_ELIMIT ? IB_ELIMIT : berr.code,
			    "%.250s; %.250s", perr.msg, berr.msg + 5);
		}
		add_note(t, "%s; using the backup at LBA %llu", perr.msg,
		    (unsigned long long)last);
	}
	format_guid(t->id, g.guid);
	t->first_usable = g.first_usable;
	t->last_usable = g.last_usable;
	rc = gpt_parts(r, t, &g, err);
	free(g.array);
	return rc;
}

/* A FAT or NTFS boot sector: it ends in 55 AA too, but is no table.
 * The BPB checks are libblkid's and Linux's fat_valid_media(). */
static bool
is_boot_sector(const unsigned char *s)
{
	unsigned bps = ib_le16(s + 11), spc = s[13], media = s[21];

	if (memcmp(s + 3, "NTFS    ", 8) == 0)
		return true;
	if (s[0] != 0xEB && s[0] != 0xE9)
		return false;
	return (bps == 512 || bps == 1024 || bps == 2048 || bps == 4096) &&
	    spc != 0 && (spc & (spc - 1)) == 0 && ib_le16(s + 14) != 0 &&
	    (s[16] == 1 || s[16] == 2) && (media == 0xF0 || media >= 0xF8);
}

ib_disk_table *
ib_disk_table_new(const ib_disk_reader *r, ib_err *err)
{
	unsigned char s[MBR_SECTOR];
	ib_disk_table *t;
	size_t slot;
	bool gpt = false, valid = true;
	int rc = 0;

	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		ib_err_errno(err, ENOMEM, "partition table");
		return NULL;
	}
	t->scheme = IB_DISK_NONE;
	t->sector = MBR_SECTOR;
	if (r->size < MBR_SECTOR)
		return t;
	if (ib_disk_read(r, s, sizeof(s), 0, "MBR", err) != 0)
		goto fail;
	if (s[510] != 0x55 || s[511] != 0xAA || is_boot_sector(s))
		return t;
	for (slot = 0; slot < 4; slot++) {
		const unsigned char *e = s + MBR_ENTRIES + 16 * slot;

		if (e[0] != 0 && e[0] != 0x80)
			valid = false;
		if (e[4] == 0xEE)
			gpt = true;
	}
	if (gpt)
		rc = read_gpt_table(r, t, err);
	else if (valid) /* Linux: a bad boot indicator means no table */
		rc = read_mbr(r, t, s, err);
	if (rc == 0)
		return t;
fail:
	ib_disk_table_free(t);
	return NULL;
}

void
ib_disk_table_free(ib_disk_table *t)
{
	if (t == NULL)
		return;
	free(t->parts);
	free(t);
}
