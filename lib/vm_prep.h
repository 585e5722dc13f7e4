/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * vm_prep: the files a VM boots, made ready for a target: the kernel
 * inspected (and unpacked for vfkit), the command line edited for the
 * target's console, the disks made or recognised, and the VM described as
 * JSON. isoboot-cmd and isoboot's recipe share these steps.
 */
#ifndef IB_VM_PREP_H
#define IB_VM_PREP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "argv.h"
#include "errors.h"
#include "initrd.h"
#include "kernel.h"
#include "vm.h"

/* The VM's name for an image at path: its file name without a
 * compression suffix (.gz, .xz, .zst, .bz2), then without an image's
 * (.iso, .img, .raw, .qcow2), any case; never empty. Returns a string
 * the caller frees, or NULL. */
char *ib_vm_prep_name(const char *path);

/* Inspect the kernel at path. Returns 0, or -1 with *err naming it. */
int ib_vm_prep_inspect(const char *path, ib_kernel_info *ki, ib_err *err);

/*
 * Whether target t boots ki only once unpacked: vfkit takes an
 * uncompressed arm64 Image, distributions ship it gzip-compressed or as
 * an EFI zboot image.
 */
bool ib_vm_prep_needs_unpack(ib_target t, const ib_kernel_info *ki);

/* The unpacked kernel's name in a state directory. */
#define IB_VM_PREP_IMAGE "Image"

/*
 * Unpack the kernel at path (inspected as ki; see ib_vm_prep_needs_unpack)
 * into IB_VM_PREP_IMAGE in the directory dirfd, through a temporary.
 * Returns 0, or -1 with *err naming path.
 */
int ib_vm_prep_unpack(const char *path, const ib_kernel_info *ki, int dirfd,
    const volatile sig_atomic_t *cancel, ib_err *err);

/*
 * The command line cmdline (may be NULL) edited for t: with serial, the
 * console rewrite for t's console (ib_args_serial); with cdrom, sr-mod in
 * an Alpine-style modules= list (its initramfs finds no CD without it).
 * Returns a string the caller frees, or NULL with *err.
 */
char *ib_vm_prep_cmdline(const char *cmdline, ib_target t, bool serial,
    bool cdrom, ib_err *err);

/*
 * What a VM boots, made ready in a directory: the kernel (or the Image
 * unpacked from it for vfkit) and what it is, and the one initrd (or the
 * entry's initrds joined into IB_INITRD_JOINED).
 */
typedef struct ib_vm_prep_files {
	char *kernel; /* the path the VM boots */
	ib_kernel_info ki;
	char *initrd; /* NULL, the one initrd, or dir/IB_INITRD_JOINED */
	uint64_t initrd_size;
	bool unpacked; /* this call wrote dir/IB_VM_PREP_IMAGE */
	bool joined;   /* this call wrote the joined initrd */
} ib_vm_prep_files;

/* ib_vm_prep_in.keep: what dir holds already, made from these files. */
#define IB_VM_PREP_KEEP_IMAGE  1u
#define IB_VM_PREP_KEEP_JOINED 2u

typedef struct ib_vm_prep_in {
	ib_target target;
	const char *kernel;
	const char *const *initrds;
	size_t ninitrds;
	const char *dir; /* Image and the joined initrd; made (one level)
	                  * only when one of them is */
	unsigned keep;   /* IB_VM_PREP_KEEP_*: use dir's as it is */
	const volatile sig_atomic_t *cancel;
} ib_vm_prep_in;

/*
 * Make in's files ready into *f: inspect the kernel, unpack it when the
 * target needs that, join several initrds. Returns 0, or -1 with *err
 * naming the file at fault; release *f with ib_vm_prep_files_release()
 * either way.
 */
int ib_vm_prep_files_init(ib_vm_prep_files *f, const ib_vm_prep_in *in,
    ib_err *err);

void ib_vm_prep_files_release(ib_vm_prep_files *f);

/* Point vm's kernel, kernel_info, initrd and initrd_size at f's. */
void ib_vm_prep_files_apply(const ib_vm_prep_files *f, ib_vm *vm);

/* What ib_vm_prep_disk() found or made. */
typedef struct ib_disk_info {
	bool qcow2;
	bool created;
	uint64_t size; /* what the guest sees: st_size, qcow2's virtual size */
} ib_disk_info;

/*
 * The disk image at path: made with create_size bytes (raw, or qcow2 when
 * the name ends in .qcow2) when it does not exist and create_size is not
 * 0; an existing one is never touched. Returns 0 with *d, or -1 with
 * *err (ENOENT for a missing disk and no create_size).
 */
int ib_vm_prep_disk(const char *path, uint64_t create_size,
    const volatile sig_atomic_t *cancel, ib_disk_info *d, ib_err *err);

/*
 * vm and its argv a as one line of JSON: target, kernel (and what it is),
 * initrd and its size, cmdline, memory, cpus, net, serial, uuid, cdrom,
 * state_dir, disks, argv; a newline ends it. Returns a string the caller
 * frees, or NULL with *err.
 */
char *ib_vm_json_new(const ib_vm *vm, const ib_argv *a, ib_err *err);

#endif
