/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kernel_describe: the words for what lib/kernel.c found: the one-line
 * description, and hyperkit's kexec rules (src/lib/firmware/kexec.c,
 * kexec_load_kernel; lowmem from src/lib/vmm/vmm_api.c) with refusals
 * that say what the file is and what hyperkit needs.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "errors.h"
#include "kernel.h"

/* hyperkit's kexec.c: the kernel goes at 1 MiB or above, and all of it
 * must fit in lowmem, which vmm_api.c caps at 3 GiB. */
#define KEXEC_BASE_KERNEL  0x100000u
#define KEXEC_LOWMEM_LIMIT (3ull << 30)
#define KEXEC_MIN_PROTOCOL 0x020au

#define MIB (1024u * 1024)

/* Appends to a caller's buffer as snprintf does: total counts every byte
 * asked for, at most n - 1 are kept, the buffer stays terminated. */
struct out {
	char *buf;
	size_t n;
	size_t total;
};

static void put(struct out *o, const char *fmt, ...) IB_PRINTF(2, 3);

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	if (o->total < o->n)
		r = vsnprintf(o->buf + o->total, o->n - o->total, fmt, ap);
	else
		r = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (r > 0)
		o->total += (size_t)r;
}

/* Bytes of untrusted text, quoted for a message. */
static void
put_quoted(struct out *o, const char *s, size_t len)
{
	char q[4 * IB_KERNEL_VERSION_MAX + 4];

	put(o, "%s", ib_quote(q, sizeof(q), s, len));
}

static const char *
elf_machine(uint16_t m)
{
	switch (m) {
	case 2:
		return "SPARC";
	case 3:
		return "x86";
	case 8:
		return "MIPS";
	case 20:
		return "PowerPC";
	case 21:
		return "PowerPC64";
	case 22:
		return "S/390";
	case 40:
		return "ARM";
	case 43:
		return "SPARC V9";
	case 62:
		return "x86-64";
	case 183:
		return "arm64";
	case 243:
		return "RISC-V";
	case 258:
		return "LoongArch";
	default:
		return NULL;
	}
}

static const char *
pe_machine(uint16_t m)
{
	switch (m) {
	case 0x014c:
		return "i386";
	case 0x01c2:
	case 0x01c4:
		return "ARM";
	case 0x0200:
		return "IA-64";
	case 0x0ebc:
		return "EFI byte code";
	case 0x5032:
		return "RISC-V 32";
	case 0x5064:
		return "RISC-V 64";
	case 0x6264:
		return "LoongArch64";
	case 0x8664:
		return "x86-64";
	case 0xaa64:
		return "arm64";
	default:
		return NULL;
	}
}

static const char *
pe_subsystem(uint16_t s)
{
	switch (s) {
	case 2:
		return "Windows GUI program";
	case 3:
		return "Windows console program";
	case 10:
		return "EFI application";
	case 11:
		return "EFI boot service driver";
	case 12:
		return "EFI runtime driver";
	case 13:
		return "EFI ROM image";
	default:
		return "executable";
	}
}

static const char *
elf_class(uint8_t c)
{
	if (c == 1)
		return "32-bit ";
	if (c == 2)
		return "64-bit ";
	return "";
}

static const char *
elf_type(uint16_t t)
{
	switch (t) {
	case 1:
		return "relocatable object";
	case 2:
		return "executable";
	case 3:
		return "shared object or PIE executable";
	case 4:
		return "core file";
	default:
		return "file";
	}
}

/* What a kernel for this ELF machine is called when direct boot takes it
 * (qemu -kernel, vfkit, hyperkit). */
static const char *
direct_boot_name(uint16_t m)
{
	if (m == 3 || m == 62)
		return "bzImage";
	if (m == 183 || m == 243)
		return "Image";
	return "compressed kernel image";
}

static bool
contains_ci(const char *s, const char *w)
{
	size_t i, j, n = strlen(w);
	char a, b;

	for (i = 0; s[i] != '\0'; i++) {
		for (j = 0; j < n; j++) {
			a = s[i + j];
			b = w[j];
			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (a != b)
				break;
		}
		if (j == n)
			return true;
	}
	return false;
}

static bool
ends_with_ci(const char *s, const char *w)
{
	size_t n = strlen(s), m = strlen(w);

	return n >= m && contains_ci(s + n - m, w);
}

/* The programs other than Linux that use the Linux boot protocol (or an
 * EFI PE) and that a boot menu lists: known by name or version string. */
static const char *
known_program(const ib_kernel_info *ki, const char *name)
{
	const char *v = ki->has_version ? ki->version : "";
	const char *base;

	base = name != NULL ? strrchr(name, '/') : NULL;
	base = base != NULL ? base + 1 : name != NULL ? name : "";
	/* iPXE builds bin/ipxe.lkrn (gPXE's name too) and ipxe.krn. */
	if (contains_ci(base, "ipxe") || contains_ci(v, "ipxe") ||
	    ends_with_ci(base, ".lkrn") || ends_with_ci(base, ".krn"))
		return "iPXE network boot loader";
	if (contains_ci(base, "memtest") || contains_ci(v, "memtest"))
		return "Memtest86+ memory tester";
	return NULL;
}

/* bytes in MiB, rounded up. */
static uint64_t
mib_up(uint64_t bytes)
{
	return bytes / MIB + (bytes % MIB != 0 ? 1 : 0);
}

static void
put_protocol(struct out *o, uint16_t p)
{
	put(o, "boot protocol %u.%02u", (unsigned)(p >> 8),
	    (unsigned)(p & 0xff));
}

/* The release: the version string's first word. */
static void
put_release(struct out *o, const ib_kernel_info *ki)
{
	put_quoted(o, ki->version, strcspn(ki->version, " "));
}

/* A short noun phrase for ki, used at the head of kexec refusals. */
static void
put_what(struct out *o, const ib_kernel_info *ki)
{
	const char *s;

	switch (ki->kind) {
	case IB_KERNEL_EMPTY:
		put(o, "empty file");
		break;
	case IB_KERNEL_BZIMAGE:
		if (ki->is_linux) {
			put(o, "Linux ");
			put_release(o, ki);
			put(o, " x86 %s",
			    ki->x86.loadflags & IB_LOADED_HIGH ? "bzImage" :
			                                         "zImage");
		} else if (ki->has_version) {
			put(o, "x86 bzImage-format image '");
			put_quoted(o, ki->version, strlen(ki->version));
			put(o, "' (not a Linux kernel)");
		} else if (ki->truncated) {
			put(o, "x86 bzImage");
		} else {
			put(o,
			    "x86 bzImage-format image without a version "
			    "string");
		}
		break;
	case IB_KERNEL_BOOTSECTOR:
		put(o, "x86 boot sector without a Linux setup header");
		break;
	case IB_KERNEL_ARM64:
		put(o, "arm64 Image");
		break;
	case IB_KERNEL_RISCV64:
		put(o, "RISC-V Image");
		break;
	case IB_KERNEL_ZBOOT:
		put(o, "EFI zboot image");
		break;
	case IB_KERNEL_PE:
		s = pe_machine(ki->pe.machine);
		put(o, "%s %s for ", ki->pe.pe32plus ? "PE32+" : "PE32",
		    pe_subsystem(ki->pe.subsystem));
		if (s != NULL)
			put(o, "%s", s);
		else
			put(o, "machine 0x%04x", (unsigned)ki->pe.machine);
		break;
	case IB_KERNEL_MZ:
		put(o, "DOS MZ executable");
		break;
	case IB_KERNEL_ELF:
		s = elf_machine(ki->elf.machine);
		put(o, "ELF %s%s", elf_class(ki->elf.cls),
		    ki->elf.data == 2 ? "big-endian " : "");
		if (s != NULL)
			put(o, "%s ", s);
		else
			put(o, "machine %u ", (unsigned)ki->elf.machine);
		put(o, "%s", elf_type(ki->elf.type));
		break;
	case IB_KERNEL_GZIP:
	case IB_KERNEL_XZ:
	case IB_KERNEL_ZSTD:
	case IB_KERNEL_BZIP2:
	case IB_KERNEL_LZ4:
		put(o, "%s-compressed data", ib_kernel_kind_name(ki->kind));
		break;
	case IB_KERNEL_UNKNOWN:
	default:
		put(o, "data of unknown type");
		break;
	}
}

static void
put_truncated(struct out *o, const ib_kernel_info *ki)
{
	put(o,
	    ", truncated: the file has %" PRIu64
	    " bytes, its header claims %" PRIu64,
	    ki->filesize, ki->claimed);
}

static void
describe_bzimage(struct out *o, const ib_kernel_info *ki, const char *name)
{
	const ib_kernel_x86 *x = &ki->x86;
	const char *fmt = x->loadflags & IB_LOADED_HIGH ? "bzImage" : "zImage";
	const char *prog;

	if (ki->truncated) {
		put(o, "x86 %s (", fmt);
		put_protocol(o, x->protocol);
		put(o, ")");
		put_truncated(o, ki);
		return;
	}
	if (ki->is_linux) {
		put(o, "Linux ");
		put_release(o, ki);
		put(o, ", x86 %s (", fmt);
		put_protocol(o, x->protocol);
		if (x->relocatable)
			put(o, ", relocatable");
		if (x->xloadflags & IB_XLF_KERNEL_64)
			put(o, ", 64-bit entry");
		if (!(x->loadflags & IB_LOADED_HIGH))
			put(o, ", loaded low at 0x10000");
		put(o, ")");
		return;
	}
	put(o, "x86 %s-format image, ", fmt);
	put_protocol(o, x->protocol);
	if (ki->has_version) {
		put(o, ", version '");
		put_quoted(o, ki->version, strlen(ki->version));
		put(o,
		    "': uses the Linux boot protocol but is not a Linux "
		    "kernel");
	} else {
		put(o, ", no version string: maybe not a Linux kernel");
	}
	prog = known_program(ki, name);
	if (prog != NULL)
		put(o, " (%s)", prog);
}

static void
describe_image(struct out *o, const ib_kernel_info *ki)
{
	static const char *const pages[] = { "page size unspecified",
		"4K pages", "16K pages", "64K pages" };
	const ib_kernel_image *im = &ki->image;

	put_what(o, ki);
	put(o, " (");
	if (im->image_size == 0) {
		/* booting.rst: before 3.17, image_size is 0 and text_offset
		 * is 0x80000 in the kernel's endianness. */
		put(o, "header before Linux 3.17");
	} else {
		put(o, "%s-endian", im->flags & 1 ? "big" : "little");
		if (ki->kind == IB_KERNEL_ARM64)
			put(o, ", %s", pages[(im->flags >> 1) & 3]);
		put(o, ", image_size %" PRIu64 " MiB", mib_up(im->image_size));
	}
	if (im->efi_stub)
		put(o, ", EFI stub");
	put(o, ")");
	if (ki->truncated)
		put_truncated(o, ki);
	else if (ki->kind == IB_KERNEL_ARM64)
		put(o,
		    ": an arm64 Linux kernel for vfkit or "
		    "qemu-system-aarch64; hyperkit and xhyve boot x86 "
		    "bzImages only");
	else
		put(o, ": a RISC-V Linux kernel for qemu-system-riscv64");
}

static void
describe_zboot(struct out *o, const ib_kernel_info *ki)
{
	const char *arch = pe_machine(ki->pe.machine);

	put(o, "EFI zboot image, ");
	if (ki->zboot.comp[0] != '\0')
		put_quoted(o, ki->zboot.comp, strlen(ki->zboot.comp));
	else
		put(o, "unknown");
	put(o,
	    "-compressed %s kernel (payload %" PRIu32 " bytes at %" PRIu32 ")",
	    arch != NULL ? arch : "Linux", ki->zboot.payload_size,
	    ki->zboot.payload_offset);
	if (ki->truncated)
		put_truncated(o, ki);
	else
		put(o,
		    ": boots through EFI firmware; direct boot needs the "
		    "decompressed Image");
}

int
ib_kernel_describe(const ib_kernel_info *ki, const char *name, char *buf,
    size_t n)
{
	struct out o = { buf, n, 0 };
	const char *prog;

	if (buf == NULL)
		o.n = 0;
	if (o.n > 0)
		buf[0] = '\0';
	if (ki == NULL) {
		put(&o, "no kernel information");
		return o.total > INT_MAX ? INT_MAX : (int)o.total;
	}
	switch (ki->kind) {
	case IB_KERNEL_BZIMAGE:
		describe_bzimage(&o, ki, name);
		break;
	case IB_KERNEL_ARM64:
	case IB_KERNEL_RISCV64:
		describe_image(&o, ki);
		break;
	case IB_KERNEL_ZBOOT:
		describe_zboot(&o, ki);
		break;
	case IB_KERNEL_PE:
		put_what(&o, ki);
		prog = known_program(ki, name);
		if (prog != NULL)
			put(&o, " (%s, not a Linux kernel)", prog);
		else if (ki->pe.subsystem >= 10 && ki->pe.subsystem <= 13)
			put(&o,
			    " (an EFI program such as a boot loader, not "
			    "a Linux kernel)");
		else
			put(&o, " (not a Linux kernel)");
		break;
	case IB_KERNEL_ELF:
		put_what(&o, ki);
		if (ki->truncated)
			put_truncated(&o, ki);
		else if (ki->elf.type == 2)
			put(&o,
			    " (an uncompressed vmlinux: hypervisors' "
			    "direct boot needs the %s)",
			    direct_boot_name(ki->elf.machine));
		else if (ki->elf.type == 3)
			put(&o,
			    " (a program or library, not a kernel image "
			    "a hypervisor boots directly)");
		else
			put(&o, " (not a bootable kernel)");
		break;
	case IB_KERNEL_GZIP:
		put_what(&o, ki);
		put(&o,
		    " (a compressed kernel: arm64 distributions ship "
		    "Image.gz as vmlinuz)");
		break;
	case IB_KERNEL_XZ:
	case IB_KERNEL_ZSTD:
	case IB_KERNEL_BZIP2:
	case IB_KERNEL_LZ4:
		put_what(&o, ki);
		put(&o,
		    " (decompress it and inspect the result: no "
		    "hypervisor boots it directly)");
		break;
	case IB_KERNEL_BOOTSECTOR:
		put_what(&o, ki);
		put(&o,
		    " (no HdrS at 0x202): an old zImage kernel or a "
		    "disk's boot record");
		break;
	case IB_KERNEL_MZ:
		put_what(&o, ki);
		put(&o, " without a PE header (not a kernel)");
		break;
	case IB_KERNEL_EMPTY:
		put_what(&o, ki);
		break;
	case IB_KERNEL_UNKNOWN:
	default:
		put_what(&o, ki);
		put(&o, " (no bzImage, Image, EFI, ELF or compression header)");
		break;
	}
	return o.total > INT_MAX ? INT_MAX : (int)o.total;
}

/* hyperkit's ALIGNUP(x, a) = ((x - 1) & ~(a - 1)) + a, evaluated with
 * its operand types: a is the header's uint32_t kernel_alignment. An
 * alignment of 0 gives 0 there, which its 1 MiB check then refuses. */
static uint64_t
kexec_start(const ib_kernel_x86 *x)
{
	uint32_t a = x->kernel_alignment;

	if (!x->relocatable)
		return x->pref_address;
	return ((KEXEC_BASE_KERNEL - 1ull) & (uint64_t)(uint32_t) ~(a - 1u)) +
	    a;
}

/* ALIGNUP(init_size, 0x1000ull): init_size - 1 wraps in 32 bits, so an
 * init_size of 0 becomes 4 GiB there. */
static uint64_t
kexec_init_size(const ib_kernel_x86 *x)
{
	return ((uint64_t)(uint32_t)(x->init_size - 1u) & ~0xfffull) + 0x1000u;
}

int
ib_kernel_check_kexec(const ib_kernel_info *ki, uint64_t memsize, ib_err *err)
{
	const ib_kernel_x86 *x;
	char what[IB_ERR_MAX];
	struct out o = { what, sizeof(what), 0 };
	uint64_t start, init, lowmem, end, code;

	if (ki == NULL)
		return ib_err_set(err, EINVAL, "kernel: missing argument");
	x = &ki->x86;
	what[0] = '\0';
	put_what(&o, ki);
	if (ki->kind != IB_KERNEL_BZIMAGE)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s, not a bzImage (no HdrS signature at 0x202): "
		    "hyperkit's kexec boots x86 bzImage kernels only",
		    what);
	if (ki->truncated)
		return ib_err_set(err, IB_EFORMAT,
		    "%s: truncated (%" PRIu64 " bytes, the header claims "
		    "%" PRIu64 "): hyperkit's kexec needs the whole kernel",
		    what, ki->filesize, ki->claimed);
	if (x->protocol < KEXEC_MIN_PROTOCOL)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: boot protocol %u.%02u, hyperkit's kexec needs 2.10 "
		    "or later (Linux 2.6.31+)",
		    what, (unsigned)(x->protocol >> 8),
		    (unsigned)(x->protocol & 0xff));
	if (!(x->loadflags & IB_LOADED_HIGH))
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: LOADED_HIGH not set (a zImage, loaded at 0x10000): "
		    "hyperkit's kexec needs a bzImage",
		    what);
	if (x->setup_sects == 0)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: setup_sects is 0 (boot.rst: old kernels' 4): "
		    "hyperkit's kexec needs the real count",
		    what);
	if (ki->has_version && !ki->is_linux)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: it only uses the Linux boot protocol, and isoboot "
		    "boots Linux kernels with hyperkit's kexec",
		    what);
	/* kexec.c: "too small" below (setup_sects + 1) * 512 + syssize *
	 * 16, with no slack for an unpadded last paragraph. */
	if (ki->filesize < x->setup_size + (uint64_t)x->syssize * 16)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: %" PRIu64 " bytes, less than the %" PRIu64
		    " that setup_sects and syssize give: hyperkit's kexec "
		    "needs the last 16-byte paragraph padded",
		    what, ki->filesize,
		    x->setup_size + (uint64_t)x->syssize * 16);
	start = kexec_start(x);
	if (start < KEXEC_BASE_KERNEL)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: loads at 0x%" PRIx64 " (%s), below 1 MiB: hyperkit's "
		    "kexec needs 0x100000 or above",
		    what, start,
		    x->relocatable ? "kernel_alignment" : "pref_address");
	init = kexec_init_size(x);
	/* filesize >= setup_size + syssize * 16, checked above. */
	code = ki->filesize - x->setup_size;
	if (code > init)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: %" PRIu64 " bytes of protected-mode code, more than "
		    "init_size %" PRIu32 " rounded up to 4 KiB: hyperkit's "
		    "kexec refuses it",
		    what, code, x->init_size);
	lowmem = memsize < KEXEC_LOWMEM_LIMIT ? memsize : KEXEC_LOWMEM_LIMIT;
	if (!ib_add_u64(start, init, &end))
		end = UINT64_MAX;
	if (end > lowmem)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: needs %" PRIu64 " MiB of low memory (from 0x%" PRIx64
		    ", init_size %" PRIu32 " rounded up to 4 KiB); hyperkit "
		    "gives it min(memory, 3 GiB) = %" PRIu64 " MiB",
		    what, mib_up(end), start, x->init_size, lowmem / MIB);
	return 0;
}
