/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kernel: what a kernel file is, from its first bytes: an x86 bzImage
 * (Linux's boot protocol, Documentation/arch/x86/boot.rst), an arm64 or
 * RISC-V Image, an EFI zboot image, another PE/COFF (EFI) program, an ELF
 * vmlinux, compressed data, or something else; whether a bzImage is Linux
 * at all (iPXE and Memtest86+ use the same format); and whether hyperkit's
 * kexec loader (src/lib/firmware/kexec.c) would boot it.
 *
 * Not for: decompressing a payload or reading a file out of an image. The
 * inspection reads at most IB_KERNEL_HEAD bytes and never trusts a field:
 * every offset is checked against the bytes given and against the size.
 */
#ifndef IB_KERNEL_H
#define IB_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

/* Bytes of a file inspected: a bzImage's setup code is at most 32 KiB
 * (boot.rst "The real-mode code can total up to 32K"), and its version
 * string and payload magic lie inside it or just after. */
#define IB_KERNEL_HEAD (64u * 1024)

/* Bytes kept of a version string, NUL included; a longer string is not
 * kept (Linux's is about 100: release, builder@host, #build, date). */
#define IB_KERNEL_VERSION_MAX 256u

/* Bytes kept of an EFI zboot compression name, NUL included (the field
 * runs from offset 24 to the PE magic at 0x38). */
#define IB_KERNEL_COMP_MAX 32u

typedef enum ib_kernel_kind {
	IB_KERNEL_UNKNOWN,    /* none of the formats below */
	IB_KERNEL_EMPTY,      /* a file of 0 bytes */
	IB_KERNEL_BZIMAGE,    /* x86: 0xAA55 at 0x1FE and "HdrS" at 0x202 */
	IB_KERNEL_BOOTSECTOR, /* 0xAA55 without HdrS: old zImage, boot record */
	IB_KERNEL_ARM64,      /* arm64 Image: "ARM\x64" at 0x38 */
	IB_KERNEL_RISCV64,    /* RISC-V Image: "RSC\x05" at 0x38 */
	IB_KERNEL_ZBOOT,      /* EFI zboot: "MZ", "zimg" at 4 */
	IB_KERNEL_PE,         /* "MZ" and "PE\0\0" at e_lfanew: EFI program */
	IB_KERNEL_MZ,         /* "MZ" without a PE header */
	IB_KERNEL_ELF,        /* "\177ELF": an uncompressed vmlinux, say */
	IB_KERNEL_GZIP,
	IB_KERNEL_XZ,
	IB_KERNEL_ZSTD,
	IB_KERNEL_BZIP2,
	IB_KERNEL_LZ4
} ib_kernel_kind;

/* x86 bzImage loadflags and xloadflags bits (boot.rst). */
#define IB_LOADED_HIGH                0x01u
#define IB_XLF_KERNEL_64              0x0001u
#define IB_XLF_CAN_BE_LOADED_ABOVE_4G 0x0002u
#define IB_XLF_EFI_HANDOVER_32        0x0004u
#define IB_XLF_EFI_HANDOVER_64        0x0008u
#define IB_XLF_EFI_KEXEC              0x0010u

/* The setup header of a bzImage. A field the protocol version does not
 * have, or that lies past the bytes given, is 0. */
typedef struct ib_kernel_x86 {
	uint16_t protocol;     /* (major << 8) | minor: 0x020f is 2.15 */
	uint8_t setup_sects;   /* as stored; 0 means 4 */
	uint8_t loadflags;     /* IB_LOADED_HIGH ... */
	uint8_t relocatable;   /* relocatable_kernel, 2.05+ */
	uint8_t min_alignment; /* log2, 2.10+ */
	uint16_t xloadflags;   /* IB_XLF_..., 2.12+ */
	uint16_t version_ptr;  /* kernel_version: the string is at 0x200 + it */
	uint32_t syssize;      /* protected-mode code in 16-byte paragraphs */
	uint32_t kernel_alignment; /* 2.05+ */
	uint32_t cmdline_size; /* 2.06+: longest command line, NUL excluded */
	uint32_t init_size;    /* 2.10+: memory needed from the load address */
	uint32_t payload_offset; /* 2.08+: from the protected-mode code */
	uint32_t payload_length;
	uint64_t pref_address;    /* 2.10+ */
	uint64_t setup_size;      /* bytes before the protected-mode code */
	const char *payload_comp; /* "gzip", "xz", ..., "ELF"; NULL: unseen */
	bool efi_stub;            /* also a PE/COFF image ("MZ" + "PE\0\0") */
} ib_kernel_x86;

/* The 64-byte header of an arm64 or RISC-V Image. */
typedef struct ib_kernel_image {
	uint64_t text_offset;
	uint64_t image_size; /* 0: a kernel before Linux 3.17 (arm64) */
	uint64_t flags;      /* arm64: bit 0 big-endian, bits 1-2 page size */
	bool efi_stub;
} ib_kernel_image;

/* An EFI zboot header (drivers/firmware/efi/libstub/zboot-header.S). */
typedef struct ib_kernel_zboot {
	uint32_t payload_offset;
	uint32_t payload_size;
	char comp[IB_KERNEL_COMP_MAX]; /* "gzip", "zstd"...; "" if unreadable */
} ib_kernel_zboot;

/* A PE/COFF header (zboot images have one too). */
typedef struct ib_kernel_pe {
	uint16_t machine;   /* IMAGE_FILE_MACHINE_*: 0x8664, 0xaa64 ... */
	uint16_t subsystem; /* 10: EFI application; 0 if unseen */
	bool pe32plus;
} ib_kernel_pe;

/* An ELF header's identification. */
typedef struct ib_kernel_elf {
	uint8_t cls;  /* 1: 32-bit, 2: 64-bit */
	uint8_t data; /* 1: little-endian, 2: big-endian */
	uint16_t type;
	uint16_t machine; /* EM_*: 62 x86-64, 183 AArch64 ... */
} ib_kernel_elf;

typedef struct ib_kernel_info {
	ib_kernel_kind kind;
	uint64_t filesize;
	/* Bytes the header says the file has, 0 if it says nothing. A
	 * bzImage's syssize counts 16-byte paragraphs rounded up, so its
	 * file may be up to 15 bytes shorter and still whole. */
	uint64_t claimed;
	bool truncated;   /* filesize is less than that */
	bool has_version; /* version holds the bzImage's version string */
	bool is_linux;    /* version reads "<release> (<who>@<host>) #<n>" */
	char version[IB_KERNEL_VERSION_MAX]; /* printable ASCII only */
	ib_kernel_x86 x86;
	ib_kernel_image image; /* arm64, RISC-V */
	ib_kernel_zboot zboot;
	ib_kernel_pe pe;
	ib_kernel_elf elf;
} ib_kernel_info;

/*
 * Classify head, the first len bytes of a file of filesize bytes (read
 * min(filesize, IB_KERNEL_HEAD) of them), into *ki. Malformed input is not
 * an error: it is classified (unknown, truncated). Returns 0, or -1 with
 * EINVAL when an argument is NULL or len > filesize.
 */
int ib_kernel_inspect(const unsigned char *head, size_t len, uint64_t filesize,
    ib_kernel_info *ki, ib_err *err);

/* fstat fd and inspect its first IB_KERNEL_HEAD bytes. name (may be NULL)
 * starts error messages. Returns 0, or -1 with *err. */
int ib_kernel_inspect_fd(int fd, const char *name, ib_kernel_info *ki,
    ib_err *err);

/*
 * One line on what ki is, e.g. "Linux 6.1.0-18-amd64, x86 bzImage (boot
 * protocol 2.15, relocatable, 64-bit entry)"; name (the file name, may be
 * NULL) helps to tell iPXE or Memtest86+ from a kernel. Writes at most n
 * bytes, NUL included; returns the length of the whole line, as snprintf.
 */
int ib_kernel_describe(const ib_kernel_info *ki, const char *name, char *buf,
    size_t n);

/*
 * Whether hyperkit's kexec would boot ki in memsize bytes of guest memory:
 * an untruncated bzImage whose version string (if any) is Linux's,
 * protocol 2.10+, LOADED_HIGH, loaded at 1 MiB or above, init_size
 * fitting in min(memsize, 3 GiB). Returns 0, or
 * -1 with *err (IB_EUNSUPPORTED, IB_EFORMAT if truncated) saying what the
 * file is and what hyperkit needs.
 */
int ib_kernel_check_kexec(const ib_kernel_info *ki, uint64_t memsize,
    ib_err *err);

/* Whether ki may be a Linux kernel: a bzImage whose version string (if
 * any) is Linux's, an arm64/RISC-V Image, EFI zboot, compressed data or an
 * ELF vmlinux; not another EFI application, a boot sector or unknown
 * bytes. */
bool ib_kernel_maybe_linux(const ib_kernel_info *ki);

/* A short name of a kind ("bzImage", "gzip"...): static storage. */
const char *ib_kernel_kind_name(ib_kernel_kind k);

/* The longest command line the kernel takes, NUL excluded: cmdline_size,
 * 255 before protocol 2.06; 0 when ki is not a bzImage. */
size_t ib_kernel_cmdline_max(const ib_kernel_info *ki);

/* The longest command line hyperkit's kexec passes: one byte less than
 * ib_kernel_cmdline_max(), as it counts the NUL in cmdline_size. */
size_t ib_kernel_kexec_cmdline_max(const ib_kernel_info *ki);

#endif
