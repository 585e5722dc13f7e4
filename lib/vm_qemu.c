/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The argv of qemu-system-x86_64 (or -aarch64). */
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
