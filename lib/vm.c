/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "disk_size.h"
#include "path.h"
#include "vm.h"
#include "vm_int.h"

#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)

static const char *const target_names[] = { "hyperkit", "xhyve", "vfkit",
	"qemu" };

int
ib_vm_target_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(target_names) / sizeof(target_names[0]); i++)
		if (strcmp(s, target_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
ib_vm_target_name(ib_target t)
{
	return target_names[t];
}

ib_target
ib_vm_target_host(bool *macos, bool *arm64)
{
	ib_host(macos, arm64);
	if (*macos)
		return *arm64 ? IB_TARGET_VFKIT : IB_TARGET_HYPERKIT;
	return IB_TARGET_QEMU;
}

static const char *const firmware_names[] = { "kexec", "efi" };

int
ib_vm_firmware_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(firmware_names) / sizeof(firmware_names[0]); i++)
		if (strcmp(s, firmware_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
ib_vm_firmware_name(ib_fw f)
{
	return firmware_names[f];
}

static const char *const net_names[] = { "none", "vpnkit", "vmnet", "user" };

int
ib_vm_net_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(net_names) / sizeof(net_names[0]); i++)
		if (strcmp(s, net_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
ib_vm_net_name(ib_net n)
{
	return net_names[n];
}

int
ib_vm_mem_parse(const char *s, uint64_t *mem, ib_err *err)
{
	const char *size = s;
	char mib[32];

	if (s[0] != '\0' && strspn(s, "0") == strlen(s))
		return ib_err_set(err, EINVAL, "'%s' is zero", s);
	if (s[0] != '\0' && strspn(s, "0123456789") == strlen(s)) {
		if (strlen(s) > 20)
			return ib_err_set(err, IB_ELIMIT, "'%s' is too big", s);
		snprintf(mib, sizeof(mib), "%sm", s);
		size = mib;
	}
	if (ib_disk_size_parse(size, mem, err) == -1)
		return -1;
	if (*mem % MIB != 0 || *mem == 0)
		return ib_err_set(err, EINVAL, "'%s' is not whole MiB", s);
	return 0;
}

int
ib_vm_serial_parse(const char *s, ib_serial *serial, const char **path)
{
	if (strcmp(s, "stdio") == 0) {
		*serial = IB_SERIAL_STDIO;
	} else if (strcmp(s, "pty") == 0) {
		*serial = IB_SERIAL_PTY;
	} else if (strncmp(s, "file:", 5) == 0 && s[5] != '\0') {
		*serial = IB_SERIAL_FILE;
		*path = s + 5;
	} else {
		return -1;
	}
	return 0;
}

int
ib_vm_cpus_parse(const char *s, unsigned *cpus, ib_err *err)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || n < 1 ||
	    n > 64)
		return ib_err_set(err, EINVAL, "'%s' is not 1 to 64", s);
	*cpus = (unsigned)n;
	return 0;
}

const char *
ib_vm_target_argv0(const ib_vm *vm)
{
	if (vm->argv0 != NULL)
		return vm->argv0;
	if (vm->target == IB_TARGET_QEMU)
		return vm->arm64 ? "qemu-system-aarch64" : "qemu-system-x86_64";
	return target_names[vm->target];
}

const char *
ib_vm_target_console(ib_target t)
{
	return t == IB_TARGET_VFKIT ? "hvc0" : "ttyS0";
}

uint64_t
ib_vm_min_mem(const ib_vm *vm)
{
	uint64_t need;

	need = 64 * MIB;
	if ((vm->target == IB_TARGET_HYPERKIT ||
	        vm->target == IB_TARGET_XHYVE) &&
	    vm->initrd_size < (UINT64_C(1) << 40)) {
		need = 2 * vm->initrd_size + 256 * MIB;
		need = (need + MIB - 1) & ~(MIB - 1);
	}
	return need;
}

uint64_t
ib_vm_default_mem(const ib_vm *vm)
{
	uint64_t need;

	need = ib_vm_min_mem(vm);
	return need > GIB ? need : GIB;
}

/* FNV-1a, 64 bits, from a given start. */
static uint64_t
fnv1a(const char *s, uint64_t h)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

void
ib_vm_uuid(const char *seed, char out[37])
{
	unsigned char b[16];
	uint64_t h1, h2;
	int i;

	h1 = fnv1a(seed, UINT64_C(0xcbf29ce484222325));
	h2 = fnv1a(seed, h1 ^ UINT64_C(0x9e3779b97f4a7c15));
	for (i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h1 >> (56 - 8 * i));
		b[8 + i] = (unsigned char)(h2 >> (56 - 8 * i));
	}
	/* RFC 9562: version 8 (a name hashed by us), variant 10xx, so
	 * the fourth group starts with 8, 9, a or b. */
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x80);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
	    b[11], b[12], b[13], b[14], b[15]);
}

bool
ib_vm_uuid_ok(const char *s)
{
	static const int dash[] = { 8, 13, 18, 23 };
	size_t i, d;

	if (strlen(s) != 36)
		return false;
	for (i = 0, d = 0; i < 36; i++) {
		if (d < 4 && (int)i == dash[d]) {
			if (s[i] != '-')
				return false;
			d++;
			continue;
		}
		if (strchr("0123456789abcdefABCDEF", s[i]) == NULL ||
		    s[i] == '\0')
			return false;
	}
	/* hyperkit's uuid parser takes the fourth group as the clock
	 * sequence and aborts on the Microsoft/future variants (e, f). */
	return strchr("efEF", s[19]) == NULL;
}

static int
no_comma(const char *what, const char *path, const char *tool,
    const char *where, ib_err *err)
{
	if (path == NULL || strchr(path, ',') == NULL)
		return 0;
	return ib_err_set(err, EINVAL,
	    "%s path contains a comma, which %s's %s cannot express: %s", what,
	    tool, where, path);
}

/* hyperkit and xhyve have no UEFI firmware of their own: a bhyve UEFI
 * ROM must be named; hyperkit's -f bootrom,... splits at commas. */
static int
check_bootrom(const ib_vm *vm, const char *tool, ib_err *err)
{
	if (vm->bootrom == NULL)
		return ib_err_set(err, EINVAL,
		    "%s has no UEFI firmware of its own: name a bhyve UEFI ROM "
		    "with --bootrom",
		    tool);
	if (vm->efi_vars != NULL)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s keeps no UEFI variable store", tool);
	if (vm->target == IB_TARGET_HYPERKIT)
		return no_comma("bootrom", vm->bootrom, tool, "-f bootrom,...",
		    err);
	return 0;
}

/* The kernel, initrd and command line through hyperkit's or xhyve's
 * kexec. */
static int
check_kexec(const ib_vm *vm, const char *tool, ib_err *err)
{
	size_t max, len;

	if (no_comma("kernel", vm->kernel, tool, "-f kexec,...", err) == -1 ||
	    no_comma("initrd", vm->initrd, tool, "-f kexec,...", err) == -1)
		return -1;
	if (vm->kernel_info != NULL &&
	    ib_kernel_check_kexec(vm->kernel_info, vm->mem, err) == -1)
		return -1;
	if (vm->kernel_info != NULL && vm->cmdline != NULL) {
		max = ib_kernel_kexec_cmdline_max(vm->kernel_info);
		len = strlen(vm->cmdline);
		if (max != 0 && len > max)
			return ib_err_set(err, IB_ELIMIT,
			    "command line is %zu bytes; this kernel accepts "
			    "%zu through %s's kexec",
			    len, max, tool);
	}
	if (vm->initrd != NULL && vm->mem < ib_vm_min_mem(vm))
		return ib_err_set(err, IB_ELIMIT,
		    "%llu MiB of memory is too little for a %llu-byte initrd: "
		    "%s puts it at the top of low memory unchecked; use at "
		    "least -m %llum",
		    (unsigned long long)(vm->mem / MIB),
		    (unsigned long long)vm->initrd_size, tool,
		    (unsigned long long)(ib_vm_min_mem(vm) / MIB));
	return 0;
}

/* hyperkit's and xhyve's rules. */
static int
check_hyperkit(const ib_vm *vm, const char *tool, ib_err *err)
{
	if ((vm->firmware == IB_FW_EFI ? check_bootrom(vm, tool, err) :
	                                 check_kexec(vm, tool, err)) == -1)
		return -1;
	if (!ib_vm_uuid_ok(vm->uuid))
		return ib_err_set(err, EINVAL,
		    "UUID '%s' is not one %s takes (8-4-4-4-12 hex digits, "
		    "the fourth group not starting with e or f)",
		    vm->uuid, tool);
	if (vm->target == IB_TARGET_HYPERKIT && vm->serial == IB_SERIAL_FILE)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "hyperkit's serial log (log=) is a memory-mapped ring, not "
		    "a file: use --serial stdio and redirect, or pty");
	if ((vm->serial == IB_SERIAL_PTY || vm->net == IB_NET_VPNKIT) &&
	    no_comma("state directory", vm->state_dir, tool, "-l and -s",
	        err) == -1)
		return -1;
	if (vm->net == IB_NET_VPNKIT &&
	    strlen(vm->state_dir != NULL ? vm->state_dir : ".") +
	            sizeof("/vpnkit.eth.sock") >
	        IB_VM_SUN_PATH)
		return ib_err_set(err, IB_ELIMIT,
		    "vpnkit's socket %s/vpnkit.eth.sock is %zu bytes, and a "
		    "socket path must be shorter than %d on macOS: use a "
		    "shorter state directory",
		    vm->state_dir, strlen(vm->state_dir) + 16, IB_VM_SUN_PATH);
	if (vm->target == IB_TARGET_XHYVE && vm->serial != IB_SERIAL_STDIO)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "xhyve's serial port takes only stdio (no autopty or log "
		    "file): use --serial stdio");
	if (vm->net == IB_NET_USER)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s has no user-mode network: use --net vpnkit, vmnet or "
		    "none",
		    tool);
	if (vm->net == IB_NET_VPNKIT && vm->target == IB_TARGET_XHYVE)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "xhyve has no virtio-vpnkit: use --net vmnet or none");
	return 0;
}

static int
check_vfkit(const ib_vm *vm, ib_err *err)
{
	size_t i;

	if (no_comma("kernel", vm->kernel, "vfkit", "--bootloader", err) ==
	        -1 ||
	    no_comma("initrd", vm->initrd, "vfkit", "--bootloader", err) ==
	        -1 ||
	    no_comma("cdrom", vm->cdrom, "vfkit", "--device", err) == -1 ||
	    no_comma("seed", vm->seed, "vfkit", "--device", err) == -1 ||
	    no_comma("serial log", vm->serial_path, "vfkit", "--device", err) ==
	        -1)
		return -1;
	for (i = 0; i < vm->ndisks; i++)
		if (no_comma("disk", vm->disks[i], "vfkit", "--device", err) ==
		    -1)
			return -1;
	if (vm->firmware == IB_FW_EFI && vm->bootrom != NULL)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "vfkit's UEFI firmware is the Virtualization framework's "
		    "own: --bootrom is for qemu, hyperkit and xhyve");
	if (vm->firmware == IB_FW_EFI && vm->efi_vars == NULL)
		return ib_err_set(err, EINVAL,
		    "vfkit's UEFI firmware needs a variable store");
	if (no_comma("variable store", vm->efi_vars, "vfkit", "--bootloader",
	        err) == -1)
		return -1;
	if (vm->cmdline != NULL && strchr(vm->cmdline, '"') != NULL)
		return ib_err_set(err, EINVAL,
		    "the command line contains a double quote, which vfkit's "
		    "--bootloader cmdline=\"...\" cannot pass");
	if (vm->net == IB_NET_VPNKIT || vm->net == IB_NET_USER)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "vfkit's network is NAT (--net vmnet) or none");
	if (vm->arm64 && vm->firmware == IB_FW_KEXEC &&
	    vm->kernel_info != NULL && vm->kernel_info->kind != IB_KERNEL_ARM64)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: vfkit on Apple Silicon boots an uncompressed arm64 "
		    "Image (ARMd at 0x38); this is %s",
		    vm->kernel, ib_kernel_kind_name(vm->kernel_info->kind));
	return 0;
}

/* What UEFI firmware needs whatever the target. */
static int
check_efi(const ib_vm *vm, ib_err *err)
{
	if (vm->kernel != NULL || vm->initrd != NULL || vm->cmdline != NULL)
		return ib_err_set(err, EINVAL,
		    "UEFI firmware boots the loader on the VM's disk or CD: no "
		    "kernel, initrd or command line");
	if (vm->ndisks == 0 && vm->cdrom == NULL)
		return ib_err_set(err, EINVAL,
		    "UEFI firmware boots a disk or a CD, and the VM has none");
	if (vm->target == IB_TARGET_QEMU &&
	    (vm->bootrom == NULL || vm->efi_vars == NULL))
		return ib_err_set(err, EINVAL,
		    "qemu's UEFI firmware is two flash images: the code and a "
		    "variable store");
	return 0;
}

int
ib_vm_check(const ib_vm *vm, ib_err *err)
{
	if (vm->firmware == IB_FW_EFI && check_efi(vm, err) == -1)
		return -1;
	if (vm->firmware == IB_FW_KEXEC &&
	    (vm->kernel == NULL || vm->kernel[0] == '\0'))
		return ib_err_set(err, EINVAL, "no kernel");
	if (vm->firmware == IB_FW_KEXEC &&
	    (vm->bootrom != NULL || vm->efi_vars != NULL))
		return ib_err_set(err, EINVAL,
		    "a bootrom and a variable store are UEFI firmware's "
		    "(--firmware efi)");
	if (vm->cpus < 1 || vm->cpus > 64)
		return ib_err_set(err, EINVAL, "%u vCPUs: use 1 to 64",
		    vm->cpus);
	if (vm->mem < 64 * MIB || vm->mem % MIB != 0)
		return ib_err_set(err, EINVAL,
		    "memory must be a whole number of MiB, at least 64");
	if (vm->ndisks > IB_MAX_DISKS)
		return ib_err_set(err, IB_ELIMIT, "more than %d disks",
		    IB_MAX_DISKS);
	if (vm->accel != NULL && vm->target != IB_TARGET_QEMU)
		return ib_err_set(err, EINVAL, "--accel is for qemu");
	if (vm->accel != NULL &&
	    (vm->accel[0] == '\0' ||
	        strspn(vm->accel, "abcdefghijklmnopqrstuvwxyz:") !=
	            strlen(vm->accel)))
		return ib_err_set(err, EINVAL,
		    "accelerator '%s' is not a list like kvm:tcg", vm->accel);
	if (vm->serial == IB_SERIAL_FILE && vm->serial_path == NULL)
		return ib_err_set(err, EINVAL, "serial file: no path");
	for (size_t i = 0; i < vm->ndisks; i++)
		if (vm->disk_qcow2[i] && vm->target != IB_TARGET_QEMU)
			return ib_err_set(err, IB_EUNSUPPORTED,
			    "%s is qcow2: %s reads only raw disks (isoboot "
			    "converts one into its directory; or qemu-img "
			    "convert -O raw %s disk.img)",
			    vm->disks[i], ib_vm_target_name(vm->target),
			    vm->disks[i]);
	switch (vm->target) {
	case IB_TARGET_HYPERKIT:
	case IB_TARGET_XHYVE:
		return check_hyperkit(vm, ib_vm_target_name(vm->target), err);
	case IB_TARGET_VFKIT:
		return check_vfkit(vm, err);
	case IB_TARGET_QEMU:
		if (vm->net == IB_NET_VPNKIT)
			return ib_err_set(err, IB_EUNSUPPORTED,
			    "qemu and vpnkit: use --net user or none");
		return 0;
	}
	return ib_err_set(err, EINVAL, "unknown target");
}

int
ib_vm_argv(const ib_vm *vm, ib_argv *a, ib_err *err)
{
	if (ib_vm_check(vm, err) == -1)
		return -1;
	switch (vm->target) {
	case IB_TARGET_HYPERKIT:
	case IB_TARGET_XHYVE:
		return ib_vm_argv_kexec(vm, a, err);
	case IB_TARGET_VFKIT:
		return ib_vm_argv_vfkit(vm, a, err);
	case IB_TARGET_QEMU:
		return ib_vm_argv_qemu(vm, a, err);
	}
	return ib_err_set(err, EINVAL, "unknown target");
}

/* *p made absolute, kept in keep. */
static int
absolute(const char **p, ib_argv *keep, ib_err *err)
{
	char *s;

	if (*p == NULL || (*p)[0] == '/')
		return 0;
	s = ib_path_absolute_new(*p, err);
	if (ib_argv_take(keep, s, err) == -1)
		return -1;
	*p = s;
	return 0;
}

int
ib_vm_absolute_paths(ib_vm *vm, ib_argv *keep, ib_err *err)
{
	size_t i;

	if (absolute(&vm->kernel, keep, err) == -1 ||
	    absolute(&vm->initrd, keep, err) == -1 ||
	    absolute(&vm->bootrom, keep, err) == -1 ||
	    absolute(&vm->efi_vars, keep, err) == -1 ||
	    absolute(&vm->cdrom, keep, err) == -1 ||
	    absolute(&vm->seed, keep, err) == -1 ||
	    absolute(&vm->state_dir, keep, err) == -1 ||
	    absolute(&vm->serial_path, keep, err) == -1)
		return -1;
	for (i = 0; i < vm->ndisks; i++)
		if (absolute(&vm->disks[i], keep, err) == -1)
			return -1;
	return 0;
}
