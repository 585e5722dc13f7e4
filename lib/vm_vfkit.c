/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The argv of vfkit: its Linux boot loader, or its UEFI firmware
 * (--bootloader efi, macOS 13 and later). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "vm_int.h"

#define MIB (UINT64_C(1) << 20)

int
ib_vm_argv_vfkit(const ib_vm *vm, ib_argv *a, ib_err *err)
{
	ib_strbuf boot = { 0 };
	size_t i;
	int rc;

	/* cmdline="..." with the quotes reaching vfkit, which splits the
	 * option at commas outside quotes. */
	if (vm->firmware == IB_FW_EFI)
		rc = ib_strbuf_addf(&boot, err, "efi,variable-store=%s%s",
		    vm->efi_vars, vm->efi_vars_create ? ",create" : "");
	else
		rc = ib_strbuf_addf(&boot, err, "linux,kernel=%s", vm->kernel);
	if (rc == 0 && vm->firmware == IB_FW_KEXEC && vm->initrd != NULL)
		rc = ib_strbuf_addf(&boot, err, ",initrd=%s", vm->initrd);
	if (rc == 0 && vm->firmware == IB_FW_KEXEC && vm->cmdline != NULL)
		rc = ib_strbuf_addf(&boot, err, ",cmdline=\"%s\"", vm->cmdline);
	if (rc == 0)
		rc = ib_argv_add(a, ib_vm_target_argv0(vm), err) ||
		    ib_argv_add(a, "--cpus", err) ||
		    ib_argv_addf(a, err, "%u", vm->cpus) ||
		    ib_argv_add(a, "--memory", err) ||
		    ib_argv_addf(a, err, "%llu",
		        (unsigned long long)(vm->mem / MIB)) ||
		    ib_argv_add(a, "--bootloader", err) ||
		    ib_argv_add(a, boot.s, err);
	ib_strbuf_release(&boot);
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
	if (rc == 0 && vm->seed != NULL)
		rc = ib_argv_add(a, "--device", err) ||
		    ib_argv_addf(a, err, "virtio-blk,path=%s,readonly",
		        vm->seed);
	if (rc == 0)
		rc = ib_argv_add(a, "--device", err) ||
		    ib_argv_add(a, "virtio-rng", err);
	return rc != 0 ? -1 : 0;
}
