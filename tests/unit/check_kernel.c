/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_kernel: kernel image inspection on real files that Debian packages
 * install (debian-installer-12-netboot-amd64's kernel, ipxe's ipxe.lkrn and
 * ipxe.efi, memtest86+), cross-checked with file(1) when it is installed,
 * and on headers built here, each handed over in an exactly-sized malloc
 * so that ASan sees a one-byte over-read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <zlib.h>

#include "bytes.h"
#include "errors.h"
#include "kernel.h"
#include "testutil.h"

#define DEBIAN_KERNEL                                                          \
	"/usr/lib/debian-installer/images/12/amd64/text/debian-installer/"     \
	"amd64/linux"
#define DEBIAN_PKG  "debian-installer-12-netboot-amd64"
#define IPXE_LKRN   "/usr/lib/ipxe/ipxe.lkrn"
#define IPXE_EFI    "/usr/lib/ipxe/ipxe.efi"
#define MEMTEST_BIN "/boot/memtest86+x64.bin"
#define GIB         (1024ull * 1024 * 1024)
#define MIB         (1024ull * 1024)

/*
 * A file a Debian package installs. Missing, it fails the test under
 * CI=true (nothing may skip there) and ends it early otherwise.
 */
static int
have_file(const char *path, const char *pkg)
{
	const char *ci = getenv("CI");

	if (access(path, R_OK) == 0)
		return 1;
	ck_assert_msg(ci == NULL || strcmp(ci, "true") != 0,
	    "%s missing: install package %s (CI=true: nothing may skip)", path,
	    pkg);
	printf("skip - %s missing (package %s)\n", path, pkg);
	return 0;
}

/* A copy of n bytes in a buffer of exactly n bytes. */
static unsigned char *
dup_exact(const void *p, size_t n)
{
	unsigned char *b = malloc(n > 0 ? n : 1);

	ck_assert_ptr_nonnull(b);
	if (n > 0)
		memcpy(b, p, n);
	return b;
}

static void
inspect_path(const char *path, ib_kernel_info *ki)
{
	ib_err err;
	int fd;

	fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_msg(ib_kernel_inspect_fd(fd, path, ki, &err) == 0, "%s: %s",
	    path, err.msg);
	close(fd);
}

/* Inspect len bytes in an exact buffer, as a file of filesize bytes. */
static void
inspect_mem(const void *p, size_t len, uint64_t filesize, ib_kernel_info *ki)
{
	unsigned char *b = dup_exact(p, len);
	ib_err err;

	ck_assert_msg(ib_kernel_inspect(b, len, filesize, ki, &err) == 0, "%s",
	    err.msg);
	free(b);
}

static const char *
describe(const ib_kernel_info *ki, const char *name)
{
	static char buf[1024];
	int n;

	n = ib_kernel_describe(ki, name, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	return buf;
}

#define expect_has(s, sub)                                                     \
	ck_assert_msg(strstr((s), (sub)) != NULL, "'%s' lacks '%s'", (s), (sub))

/*
 * The version string file(1) prints for the bzImage at path ("...
 * bzImage, version STRING, RO-rootFS, ..."), into out. Returns 0 when
 * file(1) is not installed; when it is, its output must parse.
 */
static int
file_version(const char *path, char *out, size_t n)
{
	static const char *const files[] = { "/usr/bin/file", "/bin/file" };
	const char *file = NULL;
	char cmd[1024], line[2048], *v, *end;
	FILE *p;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (access(files[i], X_OK) == 0)
			file = files[i];
	if (file == NULL) {
		printf("note - file(1) not installed: %s checked against "
		       "hand-verified values only\n",
		    path);
		return 0;
	}
	ck_assert_int_lt(snprintf(cmd, sizeof(cmd), "%s -bL '%s'", file, path),
	    (int)sizeof(cmd));
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), p));
	ck_assert_int_eq(pclose(p), 0);
	v = strstr(line, "bzImage, version ");
	ck_assert_msg(v != NULL, "file(1) said: %s", line);
	v += strlen("bzImage, version ");
	/* file(1) follows the string with ", RO-rootFS" or ", RW-rootFS". */
	end = strstr(v, ", R");
	ck_assert_msg(end != NULL, "file(1) said: %s", line);
	ck_assert_uint_lt((size_t)(end - v), n);
	memcpy(out, v, (size_t)(end - v));
	out[end - v] = '\0';
	return 1;
}

/*
 * The Debian 12 installer's kernel. Hand-verified with xxd on 6.1.0-50
 * (the header at 0x1f1): protocol 0x020f, setup_sects 39, loadflags 0x81,
 * kernel_alignment 0x200000, relocatable 1, xloadflags 0x7f,
 * cmdline_size 0x7ff (2047: boot.rst "without the terminating zero"),
 * init_size 0x3f97000, pref_address 0x1000000, an xz payload at 0x2cc,
 * version "6.1.0-50-amd64 (debian-kernel@lists.debian.org) #1 SMP
 * PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-07-02)" at 0x44c0. The
 * release moves with point releases, the rest does not.
 */
START_TEST(test_debian_kernel)
{
	ib_kernel_info ki;
	char fv[IB_KERNEL_VERSION_MAX], want[512];
	size_t rel;

	if (!have_file(DEBIAN_KERNEL, DEBIAN_PKG))
		return;
	inspect_path(DEBIAN_KERNEL, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_BZIMAGE);
	ck_assert(!ki.truncated);
	ck_assert_uint_eq(ki.x86.protocol, 0x020f);
	ck_assert(ki.has_version);
	ck_assert(ki.is_linux);
	ck_assert_msg(strncmp(ki.version, "6.1.0-", 6) == 0, "%s", ki.version);
	expect_has(ki.version, "-amd64 (debian-kernel@lists.debian.org) #");
	if (file_version(DEBIAN_KERNEL, fv, sizeof(fv)))
		ck_assert_str_eq(ki.version, fv);
	ck_assert_uint_ne(ki.x86.relocatable, 0);
	ck_assert_uint_eq(ki.x86.kernel_alignment, 0x200000);
	ck_assert(ki.x86.xloadflags & IB_XLF_KERNEL_64);
	ck_assert(ki.x86.loadflags & IB_LOADED_HIGH);
	ck_assert_uint_eq(ki.x86.cmdline_size, 2047);
	ck_assert_uint_eq(ib_kernel_cmdline_max(&ki), 2047);
	ck_assert_uint_eq(ib_kernel_kexec_cmdline_max(&ki), 2046);
	ck_assert_uint_gt(ki.x86.init_size, 0);
	/* init_size covers the decompressed kernel: more than the file. */
	ck_assert_uint_gt(ki.x86.init_size, ki.filesize);
	ck_assert_uint_eq(ki.x86.setup_sects, 39);
	ck_assert_uint_eq(ki.x86.setup_size, 40 * 512);
	ck_assert_uint_ge(ki.filesize, ki.claimed);
	ck_assert_ptr_nonnull(ki.x86.payload_comp);
	ck_assert_str_eq(ki.x86.payload_comp, "xz");
	ck_assert(ki.x86.efi_stub);
	ck_assert_uint_eq(ki.pe.machine, 0x8664);

	rel = strcspn(ki.version, " ");
	snprintf(want, sizeof(want),
	    "Linux %.*s, x86 bzImage (boot protocol 2.15, relocatable, "
	    "64-bit entry)",
	    (int)rel, ki.version);
	ck_assert_str_eq(describe(&ki, "linux"), want);
}
END_TEST

/* hyperkit's kexec.c on the same kernel: it goes at ALIGNUP(1 MiB,
 * 2 MiB) = 2 MiB, and needs init_size rounded up to 4 KiB after that. */
START_TEST(test_debian_kexec)
{
	ib_kernel_info ki;
	ib_err err;
	uint64_t need;

	if (!have_file(DEBIAN_KERNEL, DEBIAN_PKG))
		return;
	inspect_path(DEBIAN_KERNEL, &ki);
	ck_assert_int_eq(ib_kernel_check_kexec(&ki, GIB, &err), 0);
	/* Above 3 GiB the rest is highmem; the kernel still fits below. */
	ck_assert_int_eq(ib_kernel_check_kexec(&ki, 16 * GIB, &err), 0);

	need = 0x200000 + (((uint64_t)ki.x86.init_size + 0xfff) & ~0xfffull);
	ck_assert_int_eq(ib_kernel_check_kexec(&ki, need, &err), 0);
	tu_expect_err(ib_kernel_check_kexec(&ki, need - 1, &err), &err,
	    IB_EUNSUPPORTED, "MiB of low memory");
	/* Smaller than init_size itself. */
	tu_expect_err(ib_kernel_check_kexec(&ki, ki.x86.init_size / 2, &err),
	    &err, IB_EUNSUPPORTED, "hyperkit gives it min(memory, 3 GiB)");
	expect_has(err.msg, "Linux 6.1.0-");
	tu_expect_err(ib_kernel_check_kexec(&ki, 0, &err), &err,
	    IB_EUNSUPPORTED, "low memory");
}
END_TEST

/* iPXE's ipxe.lkrn (ipxe 1.0.0+git-20190125.36a4c85-5.1, Debian 12):
 * setup_sects 5, protocol 0x0207, loadflags 0x01, kernel_version 0x48. */
START_TEST(test_ipxe_lkrn)
{
	ib_kernel_info ki;
	ib_err err;
	char fv[IB_KERNEL_VERSION_MAX];
	const char *d;

	if (!have_file(IPXE_LKRN, "ipxe"))
		return;
	inspect_path(IPXE_LKRN, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_BZIMAGE);
	ck_assert_uint_eq(ki.x86.protocol, 0x0207);
	ck_assert(ki.has_version);
	ck_assert(!ki.is_linux);
	ck_assert_str_eq(ki.version, "1.0.0+git-20190125.36a4c85-5.1");
	if (file_version(IPXE_LKRN, fv, sizeof(fv)))
		ck_assert_str_eq(ki.version, fv);
	/* Its file ends 7 bytes inside the last 16-byte paragraph that
	 * syssize counts: whole, not truncated. */
	ck_assert(!ki.truncated);
	ck_assert_uint_gt(ki.claimed, ki.filesize);
	ck_assert_uint_eq(ib_kernel_cmdline_max(&ki), 2047);

	d = describe(&ki, IPXE_LKRN);
	ck_assert_str_eq(d,
	    "x86 bzImage-format image, boot protocol 2.07, version "
	    "'1.0.0+git-20190125.36a4c85-5.1': uses the Linux boot protocol "
	    "but is not a Linux kernel (iPXE network boot loader)");
	/* Without a name nothing in the version says iPXE. */
	d = describe(&ki, NULL);
	expect_has(d, "not a Linux kernel");
	ck_assert_ptr_null(strstr(d, "iPXE"));
	expect_has(describe(&ki, "boot/ipxe.krn"), "iPXE");

	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "boot protocol 2.07, hyperkit's kexec needs 2.10");
	expect_has(err.msg, "not a Linux kernel");
}
END_TEST

/* memtest86+ 6.x is a bzImage-format program too (protocol 2.12). */
START_TEST(test_memtest)
{
	ib_kernel_info ki;
	ib_err err;

	if (!have_file(MEMTEST_BIN, "memtest86+"))
		return;
	inspect_path(MEMTEST_BIN, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_BZIMAGE);
	ck_assert(!ki.truncated);
	ck_assert(ki.has_version);
	ck_assert(!ki.is_linux);
	ck_assert_msg(strncmp(ki.version, "Memtest86+", 10) == 0, "%s",
	    ki.version);
	expect_has(describe(&ki, NULL), "(Memtest86+ memory tester)");
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "only uses the Linux boot protocol");
}
END_TEST

/* ipxe.efi: a PE32+ EFI application, not a kernel. */
START_TEST(test_ipxe_efi)
{
	ib_kernel_info ki;
	ib_err err;

	if (!have_file(IPXE_EFI, "ipxe"))
		return;
	inspect_path(IPXE_EFI, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_PE);
	ck_assert_uint_eq(ki.pe.machine, 0x8664);
	ck_assert_uint_eq(ki.pe.subsystem, 10);
	ck_assert(ki.pe.pe32plus);
	ck_assert_str_eq(describe(&ki, IPXE_EFI),
	    "PE32+ EFI application for x86-64 (iPXE network boot loader, not "
	    "a Linux kernel)");
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "not a bzImage (no HdrS signature at 0x202)");
}
END_TEST

/* The first 600 bytes of the Debian kernel: the setup header is there
 * (up to 0x257), the version string and the code are not. */
START_TEST(test_truncated_copy)
{
	ib_kernel_info ki;
	ib_err err;
	unsigned char buf[600];
	char dir[4096], path[8400];
	ssize_t n;
	int fd;

	if (!have_file(DEBIAN_KERNEL, DEBIAN_PKG))
		return;
	fd = open(DEBIAN_KERNEL, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf));
	ck_assert_int_eq(n, (ssize_t)sizeof(buf));
	close(fd);

	inspect_mem(buf, sizeof(buf), sizeof(buf), &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_BZIMAGE);
	ck_assert(ki.truncated);
	ck_assert_uint_eq(ki.x86.protocol, 0x020f);
	ck_assert(!ki.has_version);
	ck_assert_uint_eq(ki.x86.init_size, 0); /* at 0x260: not given */
	expect_has(describe(&ki, NULL),
	    "x86 bzImage (boot protocol 2.15), "
	    "truncated: the file has 600 bytes");
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err, IB_EFORMAT,
	    "truncated (600 bytes");

	/* The same through a file. */
	tu_mkdtemp(dir, sizeof(dir), "check_kernel");
	tu_put_n(dir, "linux", (const char *)buf, sizeof(buf));
	snprintf(path, sizeof(path), "%s/linux", dir);
	inspect_path(path, &ki);
	ck_assert(ki.truncated);
	ck_assert_uint_eq(ki.filesize, 600);
	tu_rmtree(dir);
}
END_TEST

static unsigned char *
gzip_bytes(size_t *len)
{
	static const char text[] = "Linux version 6.1 (not really)\n";
	unsigned char out[256];
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	/* windowBits 15 + 16: a gzip wrapper, as gzip(1) writes. */
	ck_assert_int_eq(
	    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
	    Z_OK);
	zs.next_in = (unsigned char *)(uintptr_t)text;
	zs.avail_in = sizeof(text) - 1;
	zs.next_out = out;
	zs.avail_out = sizeof(out);
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*len = sizeof(out) - zs.avail_out;
	deflateEnd(&zs);
	return dup_exact(out, *len);
}

START_TEST(test_gzip)
{
	ib_kernel_info ki;
	ib_err err;
	unsigned char *gz;
	char dir[4096], path[8400];
	size_t len;

	gz = gzip_bytes(&len);
	ck_assert_int_eq(ib_kernel_inspect(gz, len, len, &ki, &err), 0);
	ck_assert_int_eq(ki.kind, IB_KERNEL_GZIP);
	ck_assert_str_eq(describe(&ki, "vmlinuz"),
	    "gzip-compressed data (a compressed kernel: arm64 distributions "
	    "ship Image.gz as vmlinuz)");
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED,
	    "gzip-compressed data, not a bzImage (no HdrS signature at "
	    "0x202)");

	tu_mkdtemp(dir, sizeof(dir), "check_kernel");
	tu_put_n(dir, "vmlinuz", (const char *)gz, len);
	snprintf(path, sizeof(path), "%s/vmlinuz", dir);
	inspect_path(path, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_GZIP);
	tu_rmtree(dir);
	free(gz);
}
END_TEST

/* /bin/sh is an ELF program of the host's class and machine. */
START_TEST(test_elf_bin_sh)
{
	ib_kernel_info ki;
	const char *d;

	inspect_path("/bin/sh", &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ELF);
	ck_assert_uint_eq(ki.elf.cls, sizeof(void *) == 8 ? 2 : 1);
#if defined(__x86_64__)
	ck_assert_uint_eq(ki.elf.machine, 62);
#elif defined(__aarch64__)
	ck_assert_uint_eq(ki.elf.machine, 183);
#endif
	ck_assert(!ki.truncated);
	d = describe(&ki, "/bin/sh");
	ck_assert_msg(strncmp(d,
	                  sizeof(void *) == 8 ? "ELF 64-bit " : "ELF 32-bit ",
	                  11) == 0,
	    "%s", d);
}
END_TEST

/* An ET_EXEC x86-64 ELF header, as an uncompressed vmlinux has. */
START_TEST(test_elf_vmlinux)
{
	unsigned char h[64];
	ib_kernel_info ki;
	ib_err err;

	memset(h, 0, sizeof(h));
	memcpy(h, "\177ELF\2\1\1", 7);
	h[16] = 2;  /* ET_EXEC */
	h[18] = 62; /* EM_X86_64 */
	inspect_mem(h, sizeof(h), 40u << 20, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ELF);
	ck_assert_uint_eq(ki.elf.type, 2);
	ck_assert_str_eq(describe(&ki, "vmlinux"),
	    "ELF 64-bit x86-64 executable (an uncompressed vmlinux: "
	    "hypervisors' direct boot needs the bzImage)");
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "ELF 64-bit x86-64 executable, not a bzImage");

	/* Big-endian arm64 fields are read big-endian. */
	h[5] = 2;
	h[16] = 0;
	h[17] = 2;
	h[18] = 0;
	h[19] = 183;
	inspect_mem(h, sizeof(h), sizeof(h), &ki);
	ck_assert_uint_eq(ki.elf.machine, 183);
	expect_has(describe(&ki, NULL),
	    "ELF 64-bit big-endian arm64 executable");
	expect_has(describe(&ki, NULL), "needs the Image");

	/* 20 bytes of a file of 20: shorter than the 64-byte header. */
	inspect_mem(h, 20, 20, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ELF);
	ck_assert(ki.truncated);
	expect_has(describe(&ki, NULL), "truncated: the file has 20 bytes");
}
END_TEST

START_TEST(test_random_bytes)
{
	unsigned char *b;
	ib_kernel_info ki;
	ib_err err;
	uint32_t x = 12345;
	size_t i, n = 4096;

	b = malloc(n);
	ck_assert_ptr_nonnull(b);
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 24);
	}
	/* Keep it clear of every magic: no 0x55AA, "MZ", 0x7f, 0x1f... */
	b[0] = 0;
	b[0x1fe] = 0;
	b[0x38] = 0;
	ck_assert_int_eq(ib_kernel_inspect(b, n, 1u << 20, &ki, &err), 0);
	ck_assert_int_eq(ki.kind, IB_KERNEL_UNKNOWN);
	ck_assert(!ki.truncated);
	ck_assert_str_eq(describe(&ki, NULL),
	    "data of unknown type (no bzImage, Image, EFI, ELF or compression "
	    "header)");
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "data of unknown type, not a bzImage");
	free(b);
}
END_TEST

START_TEST(test_empty)
{
	ib_kernel_info ki;
	ib_err err;
	char dir[4096], path[8400];

	ck_assert_int_eq(ib_kernel_inspect(NULL, 0, 0, &ki, &err), 0);
	ck_assert_int_eq(ki.kind, IB_KERNEL_EMPTY);
	ck_assert_str_eq(describe(&ki, NULL), "empty file");
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "empty file, not a bzImage");
	ck_assert_uint_eq(ib_kernel_cmdline_max(&ki), 0);

	tu_mkdtemp(dir, sizeof(dir), "check_kernel");
	tu_put_n(dir, "empty", "", 0);
	snprintf(path, sizeof(path), "%s/empty", dir);
	inspect_path(path, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_EMPTY);
	tu_rmtree(dir);
}
END_TEST

/* booting.rst's 64-byte header. */
static void
arm64_header(unsigned char *h, uint64_t text, uint64_t size, uint64_t flags)
{
	memset(h, 0, 64);
	ib_put_le32(h + 8, (uint32_t)text);
	ib_put_le32(h + 12, (uint32_t)(text >> 32));
	ib_put_le32(h + 16, (uint32_t)size);
	ib_put_le32(h + 20, (uint32_t)(size >> 32));
	ib_put_le32(h + 24, (uint32_t)flags);
	ib_put_le32(h + 28, (uint32_t)(flags >> 32));
	memcpy(h + 0x38, "ARM\x64", 4);
}

START_TEST(test_arm64_image)
{
	unsigned char h[256];
	ib_kernel_info ki;
	ib_err err;

	memset(h, 0, sizeof(h));
	/* Little-endian (bit 0 clear), 4K pages (bits 1-2 = 1), placement
	 * anywhere (bit 3): flags 0xa. */
	arm64_header(h, 0, 31 * MIB, 0xa);
	inspect_mem(h, 64, 30 * MIB, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ARM64);
	ck_assert_uint_eq(ki.image.text_offset, 0);
	ck_assert_uint_eq(ki.image.image_size, 31 * MIB);
	ck_assert_uint_eq(ki.image.flags, 0xa);
	ck_assert(!ki.image.efi_stub);
	ck_assert(!ki.truncated);
	ck_assert_str_eq(describe(&ki, "Image"),
	    "arm64 Image (little-endian, 4K pages, image_size 31 MiB): an "
	    "arm64 Linux kernel for vfkit or qemu-system-aarch64; hyperkit "
	    "and xhyve boot x86 bzImages only");
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "arm64 Image, not a bzImage");
	ck_assert_uint_eq(ib_kernel_cmdline_max(&ki), 0);

	/* Big-endian, 64K pages. */
	arm64_header(h, 0x80000, 20 * MIB, 0x7);
	inspect_mem(h, 64, 64, &ki);
	expect_has(describe(&ki, NULL),
	    "(big-endian, 64K pages, image_size "
	    "20 MiB)");

	/* Before 3.17: image_size 0. */
	arm64_header(h, 0x80000, 0, 0);
	inspect_mem(h, 64, 64, &ki);
	expect_has(describe(&ki, NULL), "header before Linux 3.17");

	/* With an EFI stub: "MZ" in code0, the PE header at res5. The
	 * Image magic wins over "MZ". */
	arm64_header(h, 0, 31 * MIB, 0xa);
	h[0] = 'M';
	h[1] = 'Z';
	ib_put_le32(h + 0x3c, 0x40);
	memcpy(h + 0x40, "PE\0\0", 4);
	h[0x44] = 0x64;
	h[0x45] = 0xaa;
	inspect_mem(h, sizeof(h), 30 * MIB, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ARM64);
	ck_assert(ki.image.efi_stub);
	ck_assert_uint_eq(ki.pe.machine, 0xaa64);
	expect_has(describe(&ki, NULL), ", EFI stub)");
}
END_TEST

START_TEST(test_riscv_image)
{
	unsigned char h[64];
	ib_kernel_info ki;

	memset(h, 0, sizeof(h));
	ib_put_le32(h + 8, 0x200000);
	ib_put_le32(h + 16, 20u << 20);
	memcpy(h + 0x30, "RISCV\0\0\0", 8);
	memcpy(h + 0x38, "RSC\x05", 4);
	inspect_mem(h, sizeof(h), sizeof(h), &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_RISCV64);
	ck_assert_uint_eq(ki.image.text_offset, 0x200000);
	ck_assert_str_eq(describe(&ki, NULL),
	    "RISC-V Image (little-endian, image_size 20 MiB): a RISC-V Linux "
	    "kernel for qemu-system-riscv64");
}
END_TEST

/* zboot-header.S: "MZ", "zimg", payload offset and size, the
 * compression name at 24, LINUX_PE_MAGIC at 0x38, the PE offset. */
static void
zboot_header(unsigned char *h, size_t n, const char *comp)
{
	memset(h, 0, n);
	h[0] = 'M';
	h[1] = 'Z';
	memcpy(h + 4, "zimg", 4);
	ib_put_le32(h + 8, 0x1000);
	ib_put_le32(h + 12, 0x200000);
	memcpy(h + 24, comp, strlen(comp) + 1);
	ib_put_le32(h + 0x38, 0x818223cd);
	ib_put_le32(h + 0x3c, 0x40);
	memcpy(h + 0x40, "PE\0\0", 4);
	h[0x44] = 0x64; /* IMAGE_FILE_MACHINE_ARM64 0xaa64 */
	h[0x45] = 0xaa;
}

START_TEST(test_zboot)
{
	unsigned char h[128];
	ib_kernel_info ki;
	ib_err err;

	zboot_header(h, sizeof(h), "gzip");
	inspect_mem(h, sizeof(h), 0x1000 + 0x200000 + 4, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ZBOOT);
	ck_assert_uint_eq(ki.zboot.payload_offset, 0x1000);
	ck_assert_uint_eq(ki.zboot.payload_size, 0x200000);
	ck_assert_str_eq(ki.zboot.comp, "gzip");
	ck_assert_uint_eq(ki.pe.machine, 0xaa64);
	ck_assert(!ki.truncated);
	ck_assert_str_eq(describe(&ki, NULL),
	    "EFI zboot image, gzip-compressed arm64 kernel (payload 2097152 "
	    "bytes at 4096): boots through EFI firmware; direct boot needs "
	    "the decompressed Image");
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "EFI zboot image, not a bzImage");

	/* The file ends inside the payload. */
	inspect_mem(h, sizeof(h), 0x1000, &ki);
	ck_assert(ki.truncated);
	expect_has(describe(&ki, NULL),
	    "truncated: the file has 4096 bytes, "
	    "its header claims 2101248");

	/* A compression name with a control byte is not kept. */
	zboot_header(h, sizeof(h), "zs\ttd");
	inspect_mem(h, sizeof(h), 1u << 22, &ki);
	ck_assert_str_eq(ki.zboot.comp, "");
	expect_has(describe(&ki, NULL), "unknown-compressed arm64 kernel");

	/* A name that fills the field with no NUL before the PE magic. */
	zboot_header(h, sizeof(h), "gzip");
	memset(h + 24, 'a', 32);
	inspect_mem(h, sizeof(h), 1u << 22, &ki);
	ck_assert_str_eq(ki.zboot.comp, "");
}
END_TEST

START_TEST(test_pe_and_mz)
{
	unsigned char h[0x100];
	ib_kernel_info ki;

	memset(h, 0, sizeof(h));
	h[0] = 'M';
	h[1] = 'Z';
	ib_put_le32(h + 0x3c, 0x80);
	memcpy(h + 0x80, "PE\0\0", 4);
	h[0x84] = 0x64; /* x86-64 */
	h[0x85] = 0x86;
	h[0x94] = 0xf0; /* SizeOfOptionalHeader 240 */
	h[0x98] = 0x0b; /* PE32+ */
	h[0x99] = 0x02;
	h[0x98 + 68] = 10; /* EFI application */
	inspect_mem(h, sizeof(h), sizeof(h), &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_PE);
	ck_assert_str_eq(describe(&ki, "grubx64.efi"),
	    "PE32+ EFI application for x86-64 (an EFI program such as a boot "
	    "loader, not a Linux kernel)");

	/* e_lfanew beyond the bytes given: a DOS program as far as we see. */
	ib_put_le32(h + 0x3c, 0xfffffff0);
	inspect_mem(h, sizeof(h), sizeof(h), &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_MZ);
	ck_assert_str_eq(describe(&ki, NULL),
	    "DOS MZ executable without a PE header (not a kernel)");

	/* The optional header cut off after its magic: no subsystem. */
	ib_put_le32(h + 0x3c, 0x80);
	inspect_mem(h, 0x9a, 0x9a, &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_PE);
	ck_assert_uint_eq(ki.pe.subsystem, 0);
	expect_has(describe(&ki, NULL), "PE32+ executable for x86-64");
}
END_TEST

START_TEST(test_bootsector)
{
	unsigned char h[512];
	ib_kernel_info ki;

	memset(h, 0, sizeof(h));
	h[0] = 0xeb;
	h[0x1fe] = 0x55;
	h[0x1ff] = 0xaa;
	inspect_mem(h, sizeof(h), sizeof(h), &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_BOOTSECTOR);
	ck_assert_str_eq(describe(&ki, NULL),
	    "x86 boot sector without a Linux setup header (no HdrS at "
	    "0x202): an old zImage kernel or a disk's boot record");

	/* 0x55AA at 0x1FE by chance in a gzip file or an ELF: the magic
	 * at 0 wins. */
	memcpy(h, "\x1f\x8b\x08", 3);
	inspect_mem(h, sizeof(h), sizeof(h), &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_GZIP);
	memcpy(h, "\177ELF\2\1\1", 7);
	inspect_mem(h, sizeof(h), sizeof(h), &ki);
	ck_assert_int_eq(ki.kind, IB_KERNEL_ELF);
}
END_TEST

START_TEST(test_compressed_magics)
{
	static const struct {
		const char *bytes;
		size_t len;
		ib_kernel_kind kind;
		const char *name;
	} cases[] = {
		{ "\xfd"
		  "7zXZ\0\0\4",
		    8, IB_KERNEL_XZ, "xz" },
		{ "\x28\xb5\x2f\xfd\0", 5, IB_KERNEL_ZSTD, "zstd" },
		{ "BZh91AY", 7, IB_KERNEL_BZIP2, "bzip2" },
		{ "\x02\x21\x4c\x18", 4, IB_KERNEL_LZ4, "lz4" },
		{ "\x04\x22\x4d\x18\x64", 5, IB_KERNEL_LZ4, "lz4" },
		{ "\x1f\x8b\x08", 3, IB_KERNEL_GZIP, "gzip" },
		/* Magics cut short are not that format. */
		{ "\xfd"
		  "7zX",
		    4, IB_KERNEL_UNKNOWN, "unknown" },
		{ "BZh0", 4, IB_KERNEL_UNKNOWN, "unknown" },
		{ "\x1f\x8b", 2, IB_KERNEL_UNKNOWN, "unknown" },
	};
	ib_kernel_info ki;
	char want[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		inspect_mem(cases[i].bytes, cases[i].len, 1000, &ki);
		ck_assert_msg(ki.kind == cases[i].kind, "case %zu: kind %d", i,
		    (int)ki.kind);
		ck_assert_str_eq(ib_kernel_kind_name(ki.kind), cases[i].name);
		if (ki.kind != IB_KERNEL_UNKNOWN) {
			snprintf(want, sizeof(want), "%s-compressed data (",
			    cases[i].name);
			expect_has(describe(&ki, NULL), want);
		}
	}
	ck_assert_str_eq(ib_kernel_kind_name((ib_kernel_kind)99), "unknown");
}
END_TEST

/* A bzImage built here: setup_sects 4 (2560 bytes of setup), then
 * syssize paragraphs; the version string at 0x400 (kernel_version 0x200). */
struct bz {
	uint16_t protocol;
	uint8_t sects;
	uint8_t loadflags;
	uint8_t relocatable;
	uint16_t xloadflags;
	uint32_t syssize;
	uint32_t alignment;
	uint32_t cmdline_size;
	uint32_t init_size;
	uint64_t pref_address;
	const char *version; /* NULL: kernel_version 0 */
};

static const struct bz bz_linux = { 0x020f, 4, 0x81, 1, 0x7f, 0x100, 0x200000,
	2047, 0x1000000, 0x1000000,
	"6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP "
	"PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)" };

static unsigned char *
make_bz(const struct bz *b, size_t *len)
{
	unsigned char *h;
	size_t setup = ((size_t)(b->sects ? b->sects : 4) + 1) * 512;

	*len = setup + (size_t)b->syssize * 16;
	h = calloc(1, *len);
	ck_assert_ptr_nonnull(h);
	h[0x1f1] = b->sects;
	ib_put_le32(h + 0x1f4, b->syssize);
	h[0x1fe] = 0x55;
	h[0x1ff] = 0xaa;
	h[0x200] = 0xeb;
	h[0x201] = 0x6a;
	memcpy(h + 0x202, "HdrS", 4);
	h[0x206] = (unsigned char)b->protocol;
	h[0x207] = (unsigned char)(b->protocol >> 8);
	if (b->version != NULL) {
		h[0x20f] = 0x02; /* kernel_version 0x200: string at 0x400 */
		ck_assert_uint_lt(strlen(b->version), setup - 0x400);
		memcpy(h + 0x400, b->version, strlen(b->version) + 1);
	}
	h[0x211] = b->loadflags;
	ib_put_le32(h + 0x230, b->alignment);
	h[0x234] = b->relocatable;
	h[0x236] = (unsigned char)b->xloadflags;
	h[0x237] = (unsigned char)(b->xloadflags >> 8);
	ib_put_le32(h + 0x238, b->cmdline_size);
	ib_put_le32(h + 0x258, (uint32_t)b->pref_address);
	ib_put_le32(h + 0x25c, (uint32_t)(b->pref_address >> 32));
	ib_put_le32(h + 0x260, b->init_size);
	return h;
}

static void
inspect_bz(const struct bz *b, ib_kernel_info *ki)
{
	unsigned char *h;
	size_t len;

	h = make_bz(b, &len);
	inspect_mem(h, len, len, ki);
	free(h);
}

/* The brief's example line, and the Linux heuristic on versions. */
START_TEST(test_linux_version_strings)
{
	static const struct {
		const char *v;
		int is_linux;
	} cases[] = {
		{ "6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP "
		  "PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)",
		    1 },
		{ "5.15.0-91-generic (buildd@lcy02-amd64-045) (gcc 11.4.0) "
		  "#101-Ubuntu SMP",
		    1 },
		{ "4.18.0-513.el8.x86_64 (mockbuild@x86-vm-08) #1 SMP", 1 },
		{ "1.0.0+git-20190125.36a4c85-5.1", 0 },
		{ "Memtest86+ v6.10", 0 },
		{ "6.1.0 (no at sign here) #1", 0 },
		{ "6.1.0 (a@b) no build number", 0 },
		{ "6 (a@b) #1", 0 },
		{ "6.1.0(a@b) #1", 0 },
		{ "6.1.0/x (a@b) #1", 0 },
	};
	struct bz b = bz_linux;
	ib_kernel_info ki;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b.version = cases[i].v;
		inspect_bz(&b, &ki);
		ck_assert(ki.has_version);
		ck_assert_str_eq(ki.version, cases[i].v);
		ck_assert_msg(ki.is_linux == (cases[i].is_linux != 0), "%s",
		    cases[i].v);
	}
	inspect_bz(&bz_linux, &ki);
	ck_assert_str_eq(describe(&ki, NULL),
	    "Linux 6.1.0-18-amd64, x86 bzImage (boot protocol 2.15, "
	    "relocatable, 64-bit entry)");
}
END_TEST

/* Version strings that must not be kept: each in an exact buffer. */
START_TEST(test_hostile_version)
{
	struct bz b = bz_linux;
	unsigned char *h, *e;
	ib_kernel_info ki;
	ib_err err;
	size_t len;

	/* An escape sequence in the string: "\033[2J" would clear the
	 * terminal of whoever prints it. */
	b.version = "6.1.0 (a@b) #1 \033[2J";
	inspect_bz(&b, &ki);
	ck_assert(!ki.has_version);
	ck_assert_str_eq(ki.version, "");
	ck_assert(!ki.is_linux);
	expect_has(describe(&ki, NULL), "no version string");

	/* kernel_version points at the last byte of the buffer, which is
	 * not a NUL: the string runs off the end. */
	b.version = NULL;
	h = make_bz(&b, &len);
	h[len - 1] = 'x';
	h[0x20e] = (unsigned char)((len - 1 - 0x200) & 0xff);
	h[0x20f] = (unsigned char)((len - 1 - 0x200) >> 8);
	e = dup_exact(h, len);
	ck_assert_int_eq(ib_kernel_inspect(e, len, len, &ki, &err), 0);
	ck_assert(!ki.has_version);
	free(e);

	/* kernel_version 0xffff: the string would be at 0x101ff, past the
	 * 6656 bytes given. */
	h[0x20e] = 0xff;
	h[0x20f] = 0xff;
	e = dup_exact(h, len);
	ck_assert_int_eq(ib_kernel_inspect(e, len, len, &ki, &err), 0);
	ck_assert(!ki.has_version);
	free(e);

	/* A string longer than IB_KERNEL_VERSION_MAX - 1 is not kept. */
	h[0x20e] = 0x00;
	h[0x20f] = 0x02;
	memset(h + 0x400, 'a', IB_KERNEL_VERSION_MAX);
	h[0x400 + IB_KERNEL_VERSION_MAX] = '\0';
	e = dup_exact(h, len);
	ck_assert_int_eq(ib_kernel_inspect(e, len, len, &ki, &err), 0);
	ck_assert(!ki.has_version);
	/* One byte shorter is. */
	e[0x400 + IB_KERNEL_VERSION_MAX - 1] = '\0';
	ck_assert_int_eq(ib_kernel_inspect(e, len, len, &ki, &err), 0);
	ck_assert(ki.has_version);
	ck_assert_uint_eq(strlen(ki.version), IB_KERNEL_VERSION_MAX - 1);
	free(e);
	free(h);
}
END_TEST

/* Header fields past the bytes given read as 0, with no over-read; a
 * syssize of 2^32 - 1 paragraphs claims 64 GiB without overflow. */
START_TEST(test_hostile_sizes)
{
	struct bz b = bz_linux;
	unsigned char *h;
	ib_kernel_info ki;
	ib_err err;
	size_t len, cut;

	b.version = NULL;
	h = make_bz(&b, &len);
	ib_put_le32(h + 0x1f4, 0xffffffffu);
	h[0x1f1] = 0xff;
	/* Without the protocol field (0x206) syssize is read as 2 bytes. */
	inspect_mem(h, 0x207, 0x207, &ki);
	ck_assert_uint_eq(ki.x86.protocol, 0);
	ck_assert_uint_eq(ki.x86.syssize, 0xffff);
	for (cut = 0x208; cut <= 0x270; cut++) {
		inspect_mem(h, cut, cut, &ki);
		ck_assert_int_eq(ki.kind, IB_KERNEL_BZIMAGE);
		ck_assert(ki.truncated);
		ck_assert_uint_eq(ki.claimed, 256ull * 512 + 0xfffffffful * 16);
		if (cut < 0x264)
			ck_assert_uint_eq(ki.x86.init_size, 0);
	}
	/* filesize UINT64_MAX: no overflow in kexec's arithmetic either. */
	inspect_mem(h, len, UINT64_MAX, &ki);
	ck_assert(!ki.truncated);
	ck_assert_int_eq(ib_kernel_check_kexec(&ki, UINT64_MAX, &err), -1);
	free(h);
}
END_TEST

/* The header fields a protocol version does not have are not read. */
START_TEST(test_protocol_fields)
{
	struct bz b = bz_linux;
	ib_kernel_info ki;

	b.protocol = 0x0205;
	inspect_bz(&b, &ki);
	ck_assert_uint_eq(ki.x86.cmdline_size, 0);
	ck_assert_uint_eq(ib_kernel_cmdline_max(&ki), 255);
	ck_assert_uint_eq(ib_kernel_kexec_cmdline_max(&ki), 254);
	ck_assert_uint_eq(ki.x86.relocatable, 1);
	ck_assert_uint_eq(ki.x86.init_size, 0);
	ck_assert_uint_eq(ki.x86.xloadflags, 0);

	b.protocol = 0x0203;
	inspect_bz(&b, &ki);
	ck_assert_uint_eq(ki.x86.relocatable, 0);
	ck_assert_uint_eq(ki.x86.kernel_alignment, 0);
	/* Before 2.04 syssize has two bytes. */
	ck_assert_uint_eq(ki.x86.syssize, 0x100);

	b.protocol = 0x0206;
	b.cmdline_size = 0;
	inspect_bz(&b, &ki);
	ck_assert_uint_eq(ib_kernel_cmdline_max(&ki), 0);
	ck_assert_uint_eq(ib_kernel_kexec_cmdline_max(&ki), 0);

	/* setup_sects 0 means 4 (boot.rst). */
	b = bz_linux;
	b.sects = 0;
	inspect_bz(&b, &ki);
	ck_assert_uint_eq(ki.x86.setup_size, 5 * 512);
	ck_assert(!ki.truncated);
}
END_TEST

/* Each hyperkit rule on a bzImage built to break just that rule. */
START_TEST(test_kexec_rules)
{
	struct bz b;
	ib_kernel_info ki;
	ib_err err;
	unsigned char *h;
	size_t len;

	inspect_bz(&bz_linux, &ki);
	ck_assert_int_eq(ib_kernel_check_kexec(&ki, GIB, &err), 0);

	b = bz_linux;
	b.protocol = 0x0209;
	inspect_bz(&b, &ki);
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "boot protocol 2.09, hyperkit's kexec needs 2.10");

	b = bz_linux;
	b.loadflags = 0;
	inspect_bz(&b, &ki);
	expect_has(describe(&ki, NULL), "x86 zImage (");
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "LOADED_HIGH not set");

	b = bz_linux;
	b.sects = 0;
	inspect_bz(&b, &ki);
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "setup_sects is 0");

	/* kernel_alignment 0: hyperkit's ALIGNUP(1 MiB, 0) is 0. */
	b = bz_linux;
	b.alignment = 0;
	inspect_bz(&b, &ki);
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "loads at 0x0 (kernel_alignment), below 1 MiB");
	/* A small alignment rounds 1 MiB to itself. */
	b.alignment = 0x1000;
	inspect_bz(&b, &ki);
	ck_assert_int_eq(ib_kernel_check_kexec(&ki, GIB, &err), 0);
	tu_expect_err(
	    ib_kernel_check_kexec(&ki, 0x100000 + 0x1000000 - 4096, &err), &err,
	    IB_EUNSUPPORTED, "needs 17 MiB of low memory (from 0x100000");
	ck_assert_int_eq(ib_kernel_check_kexec(&ki, 0x100000 + 0x1000000, &err),
	    0);

	/* Not relocatable: pref_address, which must be 1 MiB or above. */
	b = bz_linux;
	b.relocatable = 0;
	b.pref_address = 0x80000;
	inspect_bz(&b, &ki);
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "loads at 0x80000 (pref_address)");
	/* pref_address near 2^64: start + init_size overflows. */
	b.pref_address = UINT64_MAX - 4096;
	inspect_bz(&b, &ki);
	tu_expect_err(ib_kernel_check_kexec(&ki, UINT64_MAX, &err), &err,
	    IB_EUNSUPPORTED, "MiB of low memory");

	/* init_size 0 wraps to 4 GiB in hyperkit: more than lowmem. */
	b = bz_linux;
	b.init_size = 0;
	inspect_bz(&b, &ki);
	tu_expect_err(ib_kernel_check_kexec(&ki, 64 * GIB, &err), &err,
	    IB_EUNSUPPORTED, "= 3072 MiB");

	/* init_size smaller than the protected-mode code. */
	b = bz_linux;
	b.syssize = 0x200;
	b.init_size = 0x800;
	inspect_bz(&b, &ki);
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "8192 bytes of protected-mode code, more than");

	/* Short of the last paragraph: whole, but hyperkit refuses it. */
	h = make_bz(&bz_linux, &len);
	inspect_mem(h, len - 7, len - 7, &ki);
	ck_assert(!ki.truncated);
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "needs the last 16-byte paragraph padded");
	inspect_mem(h, len - 16, len - 16, &ki);
	ck_assert(ki.truncated);
	free(h);

	/* Not Linux, otherwise fine. */
	b = bz_linux;
	b.version = "Memtest86+ v6.10";
	inspect_bz(&b, &ki);
	tu_expect_err(ib_kernel_check_kexec(&ki, GIB, &err), &err,
	    IB_EUNSUPPORTED, "'Memtest86+ v6.10' (not a Linux kernel)");
	/* No version string at all: hyperkit may boot it. */
	b.version = NULL;
	inspect_bz(&b, &ki);
	ck_assert_int_eq(ib_kernel_check_kexec(&ki, GIB, &err), 0);
	expect_has(describe(&ki, NULL), "no version string: maybe not a Linux");
}
END_TEST

/* describe writes at most n bytes, always terminated, and returns the
 * whole length; n 0 writes nothing. */
START_TEST(test_describe_buffer)
{
	ib_kernel_info ki;
	char full[1024], *b;
	int len;
	size_t n;

	inspect_bz(&bz_linux, &ki);
	len = ib_kernel_describe(&ki, NULL, full, sizeof(full));
	ck_assert_int_gt(len, 40);
	for (n = 0; n <= (size_t)len + 2; n++) {
		b = malloc(n > 0 ? n : 1);
		ck_assert_ptr_nonnull(b);
		ck_assert_int_eq(ib_kernel_describe(&ki, NULL, b, n), len);
		if (n > 0) {
			ck_assert_uint_eq(strlen(b),
			    n - 1 < (size_t)len ? n - 1 : (size_t)len);
			ck_assert(strncmp(b, full, strlen(b)) == 0);
		}
		free(b);
	}
	ck_assert_int_eq(ib_kernel_describe(&ki, NULL, NULL, 0), len);
	ck_assert_int_gt(ib_kernel_describe(NULL, NULL, full, sizeof(full)), 0);
}
END_TEST

START_TEST(test_misuse)
{
	unsigned char h[4] = { 0 };
	ib_kernel_info ki;
	ib_err err;
	char dir[4096];
	int fd;

	tu_expect_err(ib_kernel_inspect(h, sizeof(h), 2, &ki, &err), &err,
	    EINVAL, "4 bytes given of a 2-byte file");
	tu_expect_err(ib_kernel_inspect(h, sizeof(h), 4, NULL, &err), &err,
	    EINVAL, "missing argument");
	tu_expect_err(ib_kernel_inspect(NULL, 4, 4, &ki, &err), &err, EINVAL,
	    "missing argument");
	tu_expect_err(ib_kernel_check_kexec(NULL, GIB, &err), &err, EINVAL,
	    "missing argument");
	ck_assert_uint_eq(ib_kernel_cmdline_max(NULL), 0);

	tu_mkdtemp(dir, sizeof(dir), "check_kernel");
	fd = open(dir, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	tu_expect_err(ib_kernel_inspect_fd(fd, "a\033dir", &ki, &err), &err,
	    EISDIR, "a\\033dir: is a directory");
	close(fd);
	tu_rmtree(dir);
	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	tu_expect_err(ib_kernel_inspect_fd(fd, NULL, &ki, &err), &err,
	    IB_EUNSUPPORTED, "not a regular file");
	close(fd);
	tu_expect_err(ib_kernel_inspect_fd(-1, "x", &ki, &err), &err, EINVAL,
	    "x: invalid argument");
}
END_TEST

static Suite *
kernel_suite(void)
{
	Suite *s = suite_create("kernel");

	tu_add(s, "debian_kernel", test_debian_kernel);
	tu_add(s, "debian_kexec", test_debian_kexec);
	tu_add(s, "ipxe_lkrn", test_ipxe_lkrn);
	tu_add(s, "memtest", test_memtest);
	tu_add(s, "ipxe_efi", test_ipxe_efi);
	tu_add(s, "truncated_copy", test_truncated_copy);
	tu_add(s, "gzip", test_gzip);
	tu_add(s, "elf_bin_sh", test_elf_bin_sh);
	tu_add(s, "elf_vmlinux", test_elf_vmlinux);
	tu_add(s, "random_bytes", test_random_bytes);
	tu_add(s, "empty", test_empty);
	tu_add(s, "arm64_image", test_arm64_image);
	tu_add(s, "riscv_image", test_riscv_image);
	tu_add(s, "zboot", test_zboot);
	tu_add(s, "pe_and_mz", test_pe_and_mz);
	tu_add(s, "bootsector", test_bootsector);
	tu_add(s, "compressed_magics", test_compressed_magics);
	tu_add(s, "linux_version_strings", test_linux_version_strings);
	tu_add(s, "hostile_version", test_hostile_version);
	tu_add(s, "hostile_sizes", test_hostile_sizes);
	tu_add(s, "protocol_fields", test_protocol_fields);
	tu_add(s, "kexec_rules", test_kexec_rules);
	tu_add(s, "describe_buffer", test_describe_buffer);
	tu_add(s, "misuse", test_misuse);
	return s;
}

int
main(void)
{
	return tu_run(kernel_suite());
}
