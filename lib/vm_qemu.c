/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The argv of qemu-system-x86_64 (or -aarch64): the kernel loaded by qemu,
 * or UEFI firmware in flash. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "vm_int.h"

#define MIB (UINT64_C(1) << 20)

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

/* -drive HEADPATHTAIL, the path's commas doubled. */
static int
qemu_drive(ib_argv *a, const char *head, const char *path, const char *tail,
    ib_err *err)
{
	char *q;
	int rc;

	q = qemu_escape(path);
	if (q == NULL)
		return ib_err_errno(err, ENOMEM, "argument");
	rc = ib_argv_add(a, "-drive", err) ||
	    ib_argv_addf(a, err, "%s%s%s", head, q, tail);
	free(q);
	return rc != 0 ? -1 : 0;
}

/* -kernel, -initrd and -append take the whole value: no escaping. */
static int
qemu_kexec(const ib_vm *vm, ib_argv *a, ib_err *err)
{
	int rc;

	rc = ib_argv_add(a, "-kernel", err) || ib_argv_add(a, vm->kernel, err);
	if (rc == 0 && vm->initrd != NULL)
		rc = ib_argv_add(a, "-initrd", err) ||
		    ib_argv_add(a, vm->initrd, err);
	if (rc == 0 && vm->cmdline != NULL)
		rc = ib_argv_add(a, "-append", err) ||
		    ib_argv_add(a, vm->cmdline, err);
	return rc != 0 ? -1 : 0;
}

int
ib_vm_argv_qemu(const ib_vm *vm, ib_argv *a, ib_err *err)
{
	size_t i;
	int rc;

	rc = ib_argv_add(a, ib_vm_target_argv0(vm), err) ||
	    ib_argv_add(a, "-machine", err) ||
	    ib_argv_addf(a, err, "q35,accel=%s",
	        vm->accel != NULL ? vm->accel :
	            vm->macos     ? "hvf:tcg" :
	                            "kvm:tcg") ||
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
	/* UEFI firmware's flash, as OVMF's README has it: the code
	 * read-only in unit 0, the VM's variable store in unit 1. */
	if (rc == 0 && vm->firmware == IB_FW_EFI)
		rc = qemu_drive(a,
		         "if=pflash,format=raw,unit=0,readonly=on,file=",
		         vm->bootrom, "", err) ||
		    qemu_drive(a,
		        "if=pflash,format=raw,unit=1,file=", vm->efi_vars, "",
		        err);
	else if (rc == 0)
		rc = qemu_kexec(vm, a, err);
	for (i = 0; rc == 0 && i < vm->ndisks; i++)
		rc = qemu_drive(a, "file=", vm->disks[i],
		    vm->disk_qcow2[i] ? ",format=qcow2,if=virtio" :
		                        ",format=raw,if=virtio",
		    err);
	if (rc == 0 && vm->cdrom != NULL)
		rc = qemu_drive(a, "file=", vm->cdrom,
		    ",media=cdrom,readonly=on", err);
	if (rc == 0 && vm->seed != NULL)
		rc = qemu_drive(a, "file=", vm->seed,
		    ",format=raw,media=cdrom,readonly=on", err);
	if (rc == 0)
		rc = ib_argv_add(a, "-nic", err) ||
		    ib_argv_add(a,
		        vm->net == IB_NET_USER ? "user,model=virtio-net-pci" :
		                                 "none",
		        err);
	return rc != 0 ? -1 : 0;
}
