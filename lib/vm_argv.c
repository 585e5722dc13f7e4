/* The argv of each hypervisor for an ib_vm (checked with ib_vm_check). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "vm.h"

#define MIB (UINT64_C(1) << 20)

/* hyperkit and xhyve: BSD getopt, so every option before the first
 * operand (there is none); -f kexec is split at its first three commas
 * only, so the command line may hold commas and must be one word. */
static int
kexec_argv(const ib_vm *vm, ib_argv *a, ib_err *err)
{
	size_t i;
	int rc;

	rc = ib_argv_add(a, ib_target_argv0(vm), err);
	/* ACPI tables, RTC in UTC, and vmexit on HLT (else every vCPU
	 * spins at 100%). */
	if (rc == 0)
		rc = vm->target == IB_TARGET_HYPERKIT ?
		    ib_argv_add(a, "-A", err) || ib_argv_add(a, "-u", err) ||
		        ib_argv_add(a, "-H", err) :
		    ib_argv_add(a, "-A", err) || ib_argv_add(a, "-u", err);
	if (rc == 0)
		rc = ib_argv_add(a, "-m", err) ||
		    ib_argv_addf(a, err, "%lluM",
		        (unsigned long long)(vm->mem / MIB)) ||
		    ib_argv_add(a, "-c", err) ||
		    ib_argv_addf(a, err, "%u", vm->cpus) ||
		    ib_argv_add(a, "-s", err) ||
		    ib_argv_add(a, "0:0,hostbridge", err) ||
		    ib_argv_add(a, "-s", err) || ib_argv_add(a, "31,lpc", err);
	/* The serial port needs the LPC bridge above and a com1 backend. */
	if (rc == 0)
		rc = ib_argv_add(a, "-l", err) ||
		    (vm->serial == IB_SERIAL_STDIO ?
		            ib_argv_add(a, "com1,stdio", err) :
		            ib_argv_addf(a, err, "com1,autopty=%s/tty",
		                vm->state_dir != NULL ? vm->state_dir : "."));
	if (rc == 0 && vm->net == IB_NET_VPNKIT)
		rc = ib_argv_add(a, "-s", err) ||
		    ib_argv_addf(a, err,
		        "2:0,virtio-vpnkit,path=%s/vpnkit.eth.sock,uuid=%s",
		        vm->state_dir != NULL ? vm->state_dir : ".", vm->uuid);
	else if (rc == 0 && vm->net == IB_NET_VMNET)
		rc = ib_argv_add(a, "-s", err) ||
		    ib_argv_add(a, "2:0,virtio-net", err);
	if (rc == 0 && vm->cdrom != NULL)
		rc = ib_argv_add(a, "-s", err) ||
		    ib_argv_addf(a, err, "3:0,ahci-cd,%s", vm->cdrom);
	for (i = 0; rc == 0 && i < vm->ndisks; i++)
		rc = ib_argv_add(a, "-s", err) ||
		    ib_argv_addf(a, err, "%zu:0,virtio-blk,%s", 4 + i,
		        vm->disks[i]);
	if (rc == 0)
		rc = ib_argv_add(a, "-U", err) || ib_argv_add(a, vm->uuid, err);
	/* xhyve wants all three commas; hyperkit takes them too. */
	if (rc == 0)
		rc = ib_argv_add(a, "-f", err) ||
		    ib_argv_addf(a, err, "kexec,%s,%s,%s", vm->kernel,
		        vm->initrd != NULL ? vm->initrd : "",
		        vm->cmdline != NULL ? vm->cmdline : "");
	return rc != 0 ? -1 : 0;
}

static int
vfkit_argv(const ib_vm *vm, ib_argv *a, ib_err *err)
{
	ib_sb boot = { 0 };
	size_t i;
	int rc;

	/* cmdline="..." with the quotes reaching vfkit, which splits the
	 * option at commas outside quotes. */
	rc = ib_sb_addf(&boot, err, "linux,kernel=%s", vm->kernel);
	if (rc == 0 && vm->initrd != NULL)
		rc = ib_sb_addf(&boot, err, ",initrd=%s", vm->initrd);
	if (rc == 0 && vm->cmdline != NULL)
		rc = ib_sb_addf(&boot, err, ",cmdline=\"%s\"", vm->cmdline);
	if (rc == 0)
		rc = ib_argv_add(a, ib_target_argv0(vm), err) ||
		    ib_argv_add(a, "--cpus", err) ||
		    ib_argv_addf(a, err, "%u", vm->cpus) ||
		    ib_argv_add(a, "--memory", err) ||
		    ib_argv_addf(a, err, "%llu",
		        (unsigned long long)(vm->mem / MIB)) ||
		    ib_argv_add(a, "--bootloader", err) ||
		    ib_argv_add(a, boot.s, err);
	ib_sb_release(&boot);
	if (rc == 0)
		rc = ib_argv_add(a, "--device", err) ||
		    (vm->serial == IB_SERIAL_STDIO ?
		            ib_argv_add(a, "virtio-serial,stdio", err) :
		            vm->serial == IB_SERIAL_PTY ?
		            ib_argv_add(a, "virtio-serial,pty", err) :
		            ib_argv_addf(a, err, "virtio-serial,logFilePath=%s",
		                vm->serial_path));
	if (rc == 0 && vm->net == IB_NET_VMNET)
		rc = ib_argv_add(a, "--device", err) ||
		    ib_argv_add(a, "virtio-net,nat", err);
	for (i = 0; rc == 0 && i < vm->ndisks; i++)
		rc = ib_argv_add(a, "--device", err) ||
		    ib_argv_addf(a, err, "virtio-blk,path=%s", vm->disks[i]);
	if (rc == 0 && vm->cdrom != NULL)
		rc = ib_argv_add(a, "--device", err) ||
		    ib_argv_addf(a, err, "usb-mass-storage,path=%s,readonly",
		        vm->cdrom);
	if (rc == 0)
		rc = ib_argv_add(a, "--device", err) ||
		    ib_argv_add(a, "virtio-rng", err);
	return rc != 0 ? -1 : 0;
}

/* qemu's option values split at commas; a comma in a value is ",,". */
static char *
qemu_escape(const char *s)
{
	size_t n, o;
	char *q;

	n = strlen(s);
	q = malloc(2 * n + 1);
	if (q == NULL)
		return NULL;
	for (o = 0; *s != '\0'; s++) {
		q[o++] = *s;
		if (*s == ',')
			q[o++] = ',';
	}
	q[o] = '\0';
	return q;
}

/* -drive file=PATH,REST with the path's commas doubled. */
static int
qemu_drive(ib_argv *a, const char *path, const char *rest, ib_err *err)
{
	char *q;
	int rc;

	q = qemu_escape(path);
	if (q == NULL)
		return ib_err_errno(err, ENOMEM, "argument");
	rc = ib_argv_add(a, "-drive", err) ||
	    ib_argv_addf(a, err, "file=%s,%s", q, rest);
	free(q);
	return rc != 0 ? -1 : 0;
}

static int
qemu_argv(const ib_vm *vm, ib_argv *a, ib_err *err)
{
	size_t i;
	int rc;

	rc = ib_argv_add(a, ib_target_argv0(vm), err) ||
	    ib_argv_add(a, "-machine", err) ||
	    ib_argv_add(a,
	        vm->macos ? "q35,accel=hvf:tcg" : "q35,accel=kvm:tcg", err) ||
	    ib_argv_add(a, "-cpu", err) || ib_argv_add(a, "max", err) ||
	    ib_argv_add(a, "-m", err) ||
	    ib_argv_addf(a, err, "%llu", (unsigned long long)(vm->mem / MIB)) ||
	    ib_argv_add(a, "-smp", err) ||
	    ib_argv_addf(a, err, "%u", vm->cpus) ||
	    ib_argv_add(a, "-nodefaults", err) ||
	    ib_argv_add(a, "-no-user-config", err) ||
	    ib_argv_add(a, "-display", err) || ib_argv_add(a, "none", err) ||
	    ib_argv_add(a, "-serial", err);
	if (rc == 0)
		rc = vm->serial == IB_SERIAL_STDIO ?
		    ib_argv_add(a, "stdio", err) :
		    vm->serial == IB_SERIAL_PTY ?
		    ib_argv_add(a, "pty", err) :
		    ib_argv_addf(a, err, "file:%s", vm->serial_path);
	/* -kernel, -initrd and -append take the whole value: no escaping. */
	if (rc == 0)
		rc = ib_argv_add(a, "-kernel", err) ||
		    ib_argv_add(a, vm->kernel, err);
	if (rc == 0 && vm->initrd != NULL)
		rc = ib_argv_add(a, "-initrd", err) ||
		    ib_argv_add(a, vm->initrd, err);
	if (rc == 0 && vm->cmdline != NULL)
		rc = ib_argv_add(a, "-append", err) ||
		    ib_argv_add(a, vm->cmdline, err);
	for (i = 0; rc == 0 && i < vm->ndisks; i++)
		rc = qemu_drive(a, vm->disks[i],
		    vm->disk_qcow2[i] ? "format=qcow2,if=virtio" :
		                        "format=raw,if=virtio",
		    err);
	if (rc == 0 && vm->cdrom != NULL)
		rc = qemu_drive(a, vm->cdrom, "media=cdrom,readonly=on", err);
	if (rc == 0)
		rc = ib_argv_add(a, "-nic", err) ||
		    ib_argv_add(a,
		        vm->net == IB_NET_USER ? "user,model=virtio-net-pci" :
		                                 "none",
		        err);
	return rc != 0 ? -1 : 0;
}

int
ib_vm_argv(const ib_vm *vm, ib_argv *a, ib_err *err)
{
	if (ib_vm_check(vm, err) == -1)
		return -1;
	switch (vm->target) {
	case IB_TARGET_HYPERKIT:
	case IB_TARGET_XHYVE:
		return kexec_argv(vm, a, err);
	case IB_TARGET_VFKIT:
		return vfkit_argv(vm, a, err);
	case IB_TARGET_QEMU:
		return qemu_argv(vm, a, err);
	}
	return ib_err_set(err, EINVAL, "unknown target");
}
