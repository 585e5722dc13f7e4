/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The argv of hyperkit and xhyve (one emitter: xhyve is hyperkit's
 * ancestor and takes the same options, fewer backends): kexec, or a
 * UEFI bootrom. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "vm_int.h"

#define MIB (UINT64_C(1) << 20)

/* hyperkit and xhyve: BSD getopt, so every option before the first
 * operand (there is none); -f kexec is split at its first three commas
 * only, so the command line may hold commas and must be one word. */
int
ib_vm_argv_kexec(const ib_vm *vm, ib_argv *a, ib_err *err)
{
	size_t i;
	int rc;

	rc = ib_argv_add(a, ib_vm_target_argv0(vm), err);
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
	/* The seed after the disks' slots 4 to 11. */
	if (rc == 0 && vm->seed != NULL)
		rc = ib_argv_add(a, "-s", err) ||
		    ib_argv_addf(a, err, "12:0,ahci-cd,%s", vm->seed);
	if (rc == 0)
		rc = ib_argv_add(a, "-U", err) || ib_argv_add(a, vm->uuid, err);
	/* UEFI: hyperkit's bootrom is a firmware (-f bootrom,ROM), xhyve's
	 * an LPC device (-l bootrom,ROM), as in bhyve since 2018. */
	if (rc == 0 && vm->firmware == IB_FW_EFI)
		rc = vm->target == IB_TARGET_HYPERKIT ?
		    ib_argv_add(a, "-f", err) ||
		        ib_argv_addf(a, err, "bootrom,%s,,", vm->bootrom) :
		    ib_argv_add(a, "-l", err) ||
		        ib_argv_addf(a, err, "bootrom,%s", vm->bootrom);
	/* xhyve wants all three commas; hyperkit takes them too. */
	else if (rc == 0)
		rc = ib_argv_add(a, "-f", err) ||
		    ib_argv_addf(a, err, "kexec,%s,%s,%s", vm->kernel,
		        vm->initrd != NULL ? vm->initrd : "",
		        vm->cmdline != NULL ? vm->cmdline : "");
	return rc != 0 ? -1 : 0;
}
