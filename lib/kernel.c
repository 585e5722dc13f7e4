/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kernel: classify kernel files by their headers. Layouts: Linux
 * Documentation/arch/x86/boot.rst (bzImage setup header),
 * Documentation/arch/arm64/booting.rst and
 * Documentation/arch/riscv/boot-image-header.rst (Image headers),
 * drivers/firmware/efi/libstub/zboot-header.S (EFI zboot), the PE/COFF
 * and ELF headers. The words for what is found, and hyperkit's kexec
 * rules, are in kernel_describe.c.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "compat.h"
#include "errors.h"
#include "kernel.h"

/* The bzImage setup header: offsets from boot.rst's table. */
#define X86_SETUP_SECTS      0x1f1u
#define X86_SYSSIZE          0x1f4u
#define X86_BOOT_FLAG        0x1feu
#define X86_HEADER           0x202u
#define X86_PROTOCOL         0x206u
#define X86_KERNEL_VERSION   0x20eu
#define X86_LOADFLAGS        0x211u
#define X86_KERNEL_ALIGNMENT 0x230u
#define X86_RELOCATABLE      0x234u
#define X86_MIN_ALIGNMENT    0x235u
#define X86_XLOADFLAGS       0x236u
#define X86_CMDLINE_SIZE     0x238u
#define X86_PAYLOAD_OFFSET   0x248u
#define X86_PAYLOAD_LENGTH   0x24cu
#define X86_PREF_ADDRESS     0x258u
#define X86_INIT_SIZE        0x260u
#define X86_SECTOR           512u
#define X86_OLD_CMDLINE      255u /* boot.rst: the limit before 2.06 */

/* The arm64 and RISC-V Image headers: 64 bytes, the magic at 0x38. */
#define IMAGE_HDR   64u
#define IMAGE_MAGIC 0x38u
#define ARM64_MAGIC "ARM\x64"
#define RISCV_MAGIC "RSC\x05"

/* EFI zboot: "MZ", "zimg", payload offset and size, the compression
 * name from 24 up to the PE magic at 0x38. */
#define ZBOOT_PAYLOAD_OFFSET 8u
#define ZBOOT_PAYLOAD_SIZE   12u
#define ZBOOT_COMP           24u

/* PE/COFF: e_lfanew at 0x3c; "PE\0\0", the 20-byte COFF header, then the
 * optional header whose Subsystem field is at 68 in PE32 and PE32+. */
#define MZ_LFANEW        0x3cu
#define PE_COFF          24u
#define PE_OPT_SUBSYSTEM 68u

/* Reads the fields of a header that its version declares: a field past
 * the bytes given reads as 0, and need grows to the end of each one. */
struct hdr {
	const unsigned char *p;
	size_t len;
	uint64_t need;
};

static bool
in_buf(size_t len, uint64_t off, uint64_t size)
{
	return off <= len && size <= len - off;
}

static const unsigned char *
field(struct hdr *h, size_t off, size_t size)
{
	if (off + size > h->need)
		h->need = off + size;
	return in_buf(h->len, off, size) ? h->p + off : NULL;
}

static uint8_t
get8(struct hdr *h, size_t off)
{
	const unsigned char *p = field(h, off, 1);

	return p != NULL ? p[0] : 0;
}

static uint16_t
get16(struct hdr *h, size_t off)
{
	const unsigned char *p = field(h, off, 2);

	return p != NULL ? ib_le16(p) : 0;
}

static uint32_t
get32(struct hdr *h, size_t off)
{
	const unsigned char *p = field(h, off, 4);

	return p != NULL ? ib_le32(p) : 0;
}

static uint64_t
get64(struct hdr *h, size_t off)
{
	const unsigned char *p = field(h, off, 8);

	return p != NULL ? ib_le64(p) : 0;
}

static bool
is_print(unsigned char c)
{
	return c >= 0x20 && c <= 0x7e;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Copy the NUL-terminated printable string at p (avail bytes readable)
 * into out (outsz bytes). False, out untouched, if it is empty, has a
 * byte outside 0x20..0x7e, or is not terminated within outsz bytes. */
static bool
copy_string(const unsigned char *p, size_t avail, char *out, size_t outsz)
{
	size_t i;

	for (i = 0; i < avail && i < outsz; i++) {
		if (p[i] == '\0') {
			if (i == 0)
				return false;
			memcpy(out, p, i + 1);
			return true;
		}
		if (!is_print(p[i]))
			return false;
	}
	return false;
}

static bool
is_release_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == '+' ||
	    c == '_' || c == '~';
}

/*
 * Linux's string (arch/x86/boot/version.c): UTS_RELEASE " (" builder "@"
 * host ") " UTS_VERSION, and UTS_VERSION starts "#<build number>":
 * "6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP ...". iPXE's is
 * a bare version ("1.0.0+git-20190125.36a4c85-5.1"), Memtest86+'s a name.
 */
static bool
looks_like_linux(const char *v)
{
	const char *p, *close, *hash;
	bool dot = false;

	if (!is_digit(v[0]))
		return false;
	for (p = v; *p != '\0' && *p != ' '; p++) {
		if (!is_release_char(*p))
			return false;
		if (*p == '.')
			dot = true;
	}
	if (!dot || p[0] != ' ' || p[1] != '(')
		return false;
	close = strchr(p + 2, ')');
	if (close == NULL ||
	    memchr(p + 2, '@', (size_t)(close - (p + 2))) == NULL)
		return false;
	hash = strstr(close, " #");
	return hash != NULL && is_digit(hash[2]);
}

/* xz's stream header magic (xz-file-format.txt 2.1.1.1). */
static const unsigned char xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };

/* The compression (or other) format of bytes p..p+n, by magic. */
static ib_kernel_kind
sniff(const unsigned char *p, size_t n)
{
	if (n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8)
		return IB_KERNEL_GZIP;
	if (n >= sizeof(xz_magic) && memcmp(p, xz_magic, sizeof(xz_magic)) == 0)
		return IB_KERNEL_XZ;
	if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return IB_KERNEL_ZSTD;
	if (n >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9')
		return IB_KERNEL_BZIP2;
	/* LZ4 legacy frame (the kernel's), then the standard frame. */
	if (n >= 4 &&
	    (memcmp(p, "\x02\x21\x4c\x18", 4) == 0 ||
	        memcmp(p, "\x04\x22\x4d\x18", 4) == 0))
		return IB_KERNEL_LZ4;
	if (n >= 4 && memcmp(p, "\177ELF", 4) == 0)
		return IB_KERNEL_ELF;
	return IB_KERNEL_UNKNOWN;
}

bool
ib_kernel_maybe_linux(const ib_kernel_info *ki)
{
	switch (ki->kind) {
	case IB_KERNEL_BZIMAGE:
		return !ki->has_version || ki->is_linux;
	case IB_KERNEL_ARM64:
	case IB_KERNEL_RISCV64:
	case IB_KERNEL_ZBOOT:
	case IB_KERNEL_ELF:
	case IB_KERNEL_GZIP:
	case IB_KERNEL_XZ:
	case IB_KERNEL_ZSTD:
	case IB_KERNEL_BZIP2:
	case IB_KERNEL_LZ4:
		return true;
	default:
		return false;
	}
}

const char *
ib_kernel_kind_name(ib_kernel_kind k)
{
	static const char *const names[] = { "unknown", "empty", "bzImage",
		"boot sector", "arm64 Image", "RISC-V Image", "EFI zboot",
		"PE/COFF", "MZ", "ELF", "gzip", "xz", "zstd", "bzip2", "lz4" };

	if ((unsigned)k >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[k];
}

/* A bzImage payload's format (boot.rst payload_offset: the magic numbers
 * the kernel uses; LZMA has no real magic, 5D 00 00 is its usual start). */
static const char *
payload_name(const unsigned char *p, size_t n)
{
	ib_kernel_kind k = sniff(p, n);

	if (k == IB_KERNEL_ELF)
		return "ELF";
	if (k != IB_KERNEL_UNKNOWN)
		return ib_kernel_kind_name(k);
	if (n >= 3 && p[0] == 0x5d && p[1] == 0 && p[2] == 0)
		return "lzma";
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x9e)
		return "gzip";
	return NULL;
}

/* The PE header of an "MZ" file, if e_lfanew points at one inside h. */
static bool
parse_pe(const unsigned char *h, size_t len, ib_kernel_pe *pe)
{
	uint64_t off, opt;
	uint16_t optsize;

	if (len < MZ_LFANEW + 4 || h[0] != 'M' || h[1] != 'Z')
		return false;
	off = ib_le32(h + MZ_LFANEW);
	if (!in_buf(len, off, PE_COFF) || memcmp(h + off, "PE\0\0", 4) != 0)
		return false;
	memset(pe, 0, sizeof(*pe));
	pe->machine = ib_le16(h + off + 4);
	optsize = ib_le16(h + off + 20);
	opt = off + PE_COFF;
	if (optsize >= 2 && in_buf(len, opt, 2))
		pe->pe32plus = ib_le16(h + opt) == 0x20b;
	if (optsize >= PE_OPT_SUBSYSTEM + 2 &&
	    in_buf(len, opt + PE_OPT_SUBSYSTEM, 2))
		pe->subsystem = ib_le16(h + opt + PE_OPT_SUBSYSTEM);
	return true;
}

/* Fill ki from a bzImage header; returns the bytes the file may lack
 * from ki->claimed and still be whole. */
static uint64_t
inspect_bzimage(const unsigned char *head, size_t len, ib_kernel_info *ki)
{
	ib_kernel_x86 *x = &ki->x86;
	struct hdr h = { head, len, 0 };
	uint64_t vpos, pay, slack;
	unsigned sects;

	x->setup_sects = get8(&h, X86_SETUP_SECTS);
	x->protocol = get16(&h, X86_PROTOCOL);
	/* boot.rst: syssize is 4 bytes from 2.04, 2 before. */
	x->syssize = x->protocol >= 0x0204 ? get32(&h, X86_SYSSIZE) :
	                                     get16(&h, X86_SYSSIZE);
	x->version_ptr = get16(&h, X86_KERNEL_VERSION);
	x->loadflags = get8(&h, X86_LOADFLAGS);
	if (x->protocol >= 0x0205) {
		x->kernel_alignment = get32(&h, X86_KERNEL_ALIGNMENT);
		x->relocatable = get8(&h, X86_RELOCATABLE);
	}
	if (x->protocol >= 0x0206)
		x->cmdline_size = get32(&h, X86_CMDLINE_SIZE);
	if (x->protocol >= 0x0208) {
		x->payload_offset = get32(&h, X86_PAYLOAD_OFFSET);
		x->payload_length = get32(&h, X86_PAYLOAD_LENGTH);
	}
	if (x->protocol >= 0x020a) {
		x->min_alignment = get8(&h, X86_MIN_ALIGNMENT);
		x->pref_address = get64(&h, X86_PREF_ADDRESS);
		x->init_size = get32(&h, X86_INIT_SIZE);
	}
	if (x->protocol >= 0x020c)
		x->xloadflags = get16(&h, X86_XLOADFLAGS);

	/* boot.rst: "If this field is 0, the real value is 4"; the boot
	 * sector and the setup code come before the protected-mode code. */
	sects = x->setup_sects != 0 ? x->setup_sects : 4;
	x->setup_size = ((uint64_t)sects + 1) * X86_SECTOR;
	/* At most 256 * 512 + (2^32 - 1) * 16: no overflow. */
	ki->claimed = x->setup_size + (uint64_t)x->syssize * 16;
	/* syssize counts 16-byte paragraphs rounded up, and a file need not
	 * fill the last one: iPXE's ipxe.lkrn ends 7 bytes short of it. */
	slack = x->syssize != 0 ? 15 : 0;
	if (h.need > ki->claimed) {
		ki->claimed = h.need;
		slack = 0;
	}

	/* The version string: NUL-terminated at 0x200 + kernel_version. */
	vpos = 0x200u + (uint64_t)x->version_ptr;
	if (x->version_ptr != 0 && vpos < len &&
	    copy_string(head + vpos, len - (size_t)vpos, ki->version,
	        sizeof(ki->version))) {
		ki->has_version = true;
		ki->is_linux = looks_like_linux(ki->version);
	}

	pay = x->setup_size + x->payload_offset;
	if (x->payload_offset != 0 && pay < len)
		x->payload_comp = payload_name(head + pay, len - (size_t)pay);
	x->efi_stub = parse_pe(head, len, &ki->pe);
	return slack;
}

static void
inspect_image(const unsigned char *head, size_t len, ib_kernel_info *ki)
{
	struct hdr h = { head, len, 0 };

	ki->image.text_offset = get64(&h, 8);
	ki->image.image_size = get64(&h, 16);
	ki->image.flags = get64(&h, 24);
	(void)field(&h, 0, IMAGE_HDR);
	ki->claimed = h.need;
	ki->image.efi_stub = parse_pe(head, len, &ki->pe);
}

static void
inspect_zboot(const unsigned char *head, size_t len, ib_kernel_info *ki)
{
	struct hdr h = { head, len, 0 };
	uint64_t end;

	ki->zboot.payload_offset = get32(&h, ZBOOT_PAYLOAD_OFFSET);
	ki->zboot.payload_size = get32(&h, ZBOOT_PAYLOAD_SIZE);
	(void)field(&h, ZBOOT_COMP, IB_KERNEL_COMP_MAX);
	if (len > ZBOOT_COMP)
		(void)copy_string(head + ZBOOT_COMP, len - ZBOOT_COMP,
		    ki->zboot.comp, sizeof(ki->zboot.comp));
	end = (uint64_t)ki->zboot.payload_offset + ki->zboot.payload_size;
	ki->claimed = end > h.need ? end : h.need;
	(void)parse_pe(head, len, &ki->pe);
}

static void
inspect_elf(const unsigned char *head, size_t len, ib_kernel_info *ki)
{
	struct hdr h = { head, len, 0 };
	const unsigned char *p;

	ki->elf.cls = get8(&h, 4);
	ki->elf.data = get8(&h, 5);
	p = field(&h, 16, 4);
	if (p != NULL) {
		ki->elf.type = ki->elf.data == 2 ? ib_be16(p) : ib_le16(p);
		ki->elf.machine =
		    ki->elf.data == 2 ? ib_be16(p + 2) : ib_le16(p + 2);
	}
	/* The ELF header is 52 bytes in ELFCLASS32, 64 in ELFCLASS64. */
	(void)field(&h, 0, ki->elf.cls == 2 ? 64 : 52);
	ki->claimed = h.need;
}

int
ib_kernel_inspect(const unsigned char *head, size_t len, uint64_t filesize,
    ib_kernel_info *ki, ib_err *err)
{
	ib_kernel_info k;
	ib_kernel_kind c;
	uint64_t slack = 0;

	if ((head == NULL && len > 0) || ki == NULL)
		return ib_err_set(err, EINVAL, "kernel: missing argument");
	if (len > filesize)
		return ib_err_set(err, EINVAL,
		    "kernel: %zu bytes given of a %" PRIu64 "-byte file", len,
		    filesize);
	memset(&k, 0, sizeof(k));
	k.filesize = filesize;
	c = sniff(head, len);

	if (filesize == 0) {
		k.kind = IB_KERNEL_EMPTY;
	} else if (len >= X86_HEADER + 4 &&
	    ib_le16(head + X86_BOOT_FLAG) == 0xaa55 &&
	    memcmp(head + X86_HEADER, "HdrS", 4) == 0) {
		/* Before "MZ": an x86 kernel with an EFI stub is both. */
		k.kind = IB_KERNEL_BZIMAGE;
		slack = inspect_bzimage(head, len, &k);
	} else if (len >= IMAGE_MAGIC + 4 &&
	    (memcmp(head + IMAGE_MAGIC, ARM64_MAGIC, 4) == 0 ||
	        memcmp(head + IMAGE_MAGIC, RISCV_MAGIC, 4) == 0)) {
		/* Before "MZ" too: an Image with an EFI stub starts "MZ". */
		k.kind = head[IMAGE_MAGIC] == 'A' ? IB_KERNEL_ARM64 :
		                                    IB_KERNEL_RISCV64;
		inspect_image(head, len, &k);
	} else if (len >= 8 && head[0] == 'M' && head[1] == 'Z' &&
	    memcmp(head + 4, "zimg", 4) == 0) {
		k.kind = IB_KERNEL_ZBOOT;
		inspect_zboot(head, len, &k);
	} else if (len >= 2 && head[0] == 'M' && head[1] == 'Z') {
		k.kind =
		    parse_pe(head, len, &k.pe) ? IB_KERNEL_PE : IB_KERNEL_MZ;
	} else if (len >= 4 && memcmp(head, "\177ELF", 4) == 0) {
		k.kind = IB_KERNEL_ELF;
		inspect_elf(head, len, &k);
	} else if (c != IB_KERNEL_UNKNOWN) {
		/* A magic at 0 says more than 0xAA55 at 0x1FE, which one
		 * file in 65536 has by chance. */
		k.kind = c;
	} else if (len >= X86_BOOT_FLAG + 2 &&
	    ib_le16(head + X86_BOOT_FLAG) == 0xaa55) {
		/* boot.rst: no HdrS means the "old" protocol (zImage). */
		k.kind = IB_KERNEL_BOOTSECTOR;
	}
	k.truncated = k.claimed > filesize && k.claimed - filesize > slack;
	*ki = k;
	return 0;
}

int
ib_kernel_inspect_fd(int fd, const char *name, ib_kernel_info *ki, ib_err *err)
{
	struct stat st;
	unsigned char *buf;
	char who[256];
	uint64_t size;
	size_t n;
	int rc = -1;

	if (name != NULL)
		ib_quote(who, sizeof(who), name, strlen(name));
	else
		snprintf(who, sizeof(who), "fd %d", fd);
	if (fd < 0 || ki == NULL)
		return ib_err_set(err, EINVAL, "%s: invalid argument", who);
	if (fstat(fd, &st) == -1)
		return ib_err_errno(err, errno, "%s: fstat", who);
	if (S_ISDIR(st.st_mode))
		return ib_err_set(err, EISDIR, "%s: is a directory", who);
	if (!S_ISREG(st.st_mode) || st.st_size < 0)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: not a regular file", who);
	size = (uint64_t)st.st_size;
	n = size < IB_KERNEL_HEAD ? (size_t)size : IB_KERNEL_HEAD;
	buf = malloc(n > 0 ? n : 1);
	if (buf == NULL)
		return ib_err_set(err, ENOMEM, "%s: out of memory", who);
	if (n > 0 && ib_pread_all(fd, buf, n, 0, err) == -1) {
		ib_err_prefix(err, "%s: ", who);
		goto out;
	}
	rc = ib_kernel_inspect(buf, n, size, ki, err);
out:
	free(buf);
	return rc;
}

size_t
ib_kernel_cmdline_max(const ib_kernel_info *ki)
{
	if (ki == NULL || ki->kind != IB_KERNEL_BZIMAGE)
		return 0;
	if (ki->x86.protocol < 0x0206)
		return X86_OLD_CMDLINE;
	return ki->x86.cmdline_size;
}

size_t
ib_kernel_kexec_cmdline_max(const ib_kernel_info *ki)
{
	size_t n = ib_kernel_cmdline_max(ki);

	/* kexec.c refuses cmdline_len + 1 > cmdline_size. */
	return n > 0 ? n - 1 : 0;
}
