/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * vm_int: the emitters behind ib_vm_argv(), one module per hypervisor.
 * Each appends the argv for a checked vm to a; 0, or -1 with *err.
 */
#ifndef IB_VM_INT_H
#define IB_VM_INT_H

#include "vm.h"

int ib_vm_argv_kexec(const ib_vm *vm, ib_argv *a, ib_err *err);
int ib_vm_argv_vfkit(const ib_vm *vm, ib_argv *a, ib_err *err);
int ib_vm_argv_qemu(const ib_vm *vm, ib_argv *a, ib_err *err);

#endif
