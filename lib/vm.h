/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * vm: the description of a virtual machine to boot a Linux kernel
 * directly (kexec) or to boot its disk's own loader through UEFI
 * firmware, its validation against each hypervisor's rules (the facts in
 * hyperkit's, xhyve's, vfkit's and qemu's sources that otherwise fail
 * silently or with a bare abort), and the hypervisor's argv. Finding the
 * firmware files is firmware.h's.
 */
#ifndef IB_VM_H
#define IB_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "argv.h"
#include "bounds.h"
#include "errors.h"
#include "kernel.h"

typedef enum ib_target {
	IB_TARGET_HYPERKIT,
	IB_TARGET_XHYVE,
	IB_TARGET_VFKIT,
	IB_TARGET_QEMU
} ib_target;

typedef enum ib_net {
	IB_NET_NONE,
	IB_NET_VPNKIT, /* hyperkit: virtio-vpnkit to vpnkit's socket */
	IB_NET_VMNET,  /* hyperkit/xhyve virtio-net (root), vfkit nat */
	IB_NET_USER    /* qemu's user-mode network */
} ib_net;

typedef enum ib_serial {
	IB_SERIAL_STDIO,
	IB_SERIAL_PTY,
	IB_SERIAL_FILE /* serial_path */
} ib_serial;

/* How the VM starts. */
typedef enum ib_fw {
	IB_FW_KEXEC, /* the hypervisor loads kernel and initrd itself */
	IB_FW_EFI    /* UEFI firmware boots the disk's (or CD's) loader */
} ib_fw;

/* macOS's sockaddr_un.sun_path: vpnkit's socket path must be shorter. */
#define IB_VM_SUN_PATH 104

typedef struct ib_vm {
	ib_target target;
	const char *argv0;   /* the hypervisor; NULL: its usual name */
	ib_fw firmware;      /* IB_FW_KEXEC (0) or IB_FW_EFI */
	const char *kernel;  /* kexec: required; efi: NULL */
	const char *initrd;  /* one file (concatenate several), or NULL */
	const char *cmdline; /* NULL: none (hyperkit then passes "auto") */
	/* efi: the firmware: qemu's code (read-only pflash unit 0),
	 * hyperkit's or xhyve's bootrom; NULL for vfkit (its own). */
	const char *bootrom;
	/* efi: the VM's variable store: qemu's pflash unit 1, vfkit's
	 * variable-store; NULL for hyperkit and xhyve. */
	const char *efi_vars;
	bool efi_vars_create; /* vfkit: ",create", the store is missing
	                       * (vfkit replaces one that is there) */
	uint64_t mem;         /* bytes, a multiple of 1 MiB */
	unsigned cpus;
	const char *disks[IB_MAX_DISKS];
	bool disk_qcow2[IB_MAX_DISKS]; /* qemu: format=qcow2 */
	size_t ndisks;
	const char *cdrom; /* NULL: none */
	/* A second read-only CD, cloud-init's NoCloud seed (seed.h); NULL:
	 * none. qemu: a second media=cdrom; hyperkit, xhyve: ahci-cd in
	 * slot 12; vfkit: virtio-blk read-only. */
	const char *seed;
	ib_net net;
	ib_serial serial;
	const char *serial_path; /* IB_SERIAL_FILE */
	char uuid[37];           /* 8-4-4-4-12 hex */
	const char *state_dir;   /* vpnkit's socket, pidfile */
	bool macos;              /* qemu: accel=hvf:tcg, else kvm:tcg */
	const char *accel;       /* qemu: accel= instead of that, or NULL */
	bool arm64;              /* vfkit on Apple Silicon: arm64 Image */
	/* What the caller knows of the files, for the checks (optional). */
	const ib_kernel_info *kernel_info;
	uint64_t initrd_size;
} ib_vm;

/* "hyperkit", "xhyve", "vfkit", "qemu" -> target; -1 for another. */
int ib_vm_target_parse(const char *s);

const char *ib_vm_target_name(ib_target t);

/* The target for this host: hyperkit on macOS x86_64, vfkit on Apple
 * Silicon, qemu elsewhere; *macos and *arm64 get the host's facts. */
ib_target ib_vm_target_host(bool *macos, bool *arm64);

/* "kexec", "efi" -> firmware; -1 for another. */
int ib_vm_firmware_parse(const char *s);

const char *ib_vm_firmware_name(ib_fw f);

/* "none", "vpnkit", "vmnet", "user" -> net; -1 for another. */
int ib_vm_net_parse(const char *s);

const char *ib_vm_net_name(ib_net n);

/* Guest memory: a size as ib_disk_size_parse() reads it, a bare number
 * being MiB (as hyperkit and qemu read -m); whole MiB. Returns 0, or -1
 * with *err. */
int ib_vm_mem_parse(const char *s, uint64_t *mem, ib_err *err);

/* The serial port: "stdio", "pty" or "file:PATH" (*path then points
 * into s). Returns 0, or -1 for anything else. */
int ib_vm_serial_parse(const char *s, ib_serial *serial, const char **path);

/* Virtual CPUs: 1 to 64. Returns 0, or -1 with *err. */
int ib_vm_cpus_parse(const char *s, unsigned *cpus, ib_err *err);

/* The hypervisor's usual command name. */
const char *ib_vm_target_argv0(const ib_vm *vm);

/* The console device the target's serial port is in the guest:
 * "ttyS0", or "hvc0" for vfkit (virtio console). */
const char *ib_vm_target_console(ib_target t);

/*
 * The least memory for vm: 64 MiB, and on hyperkit and xhyve (which put
 * the initrd at the top of low memory without a size check) 2 x initrd +
 * 256 MiB, rounded up to a MiB.
 */
uint64_t ib_vm_min_mem(const ib_vm *vm);

/* The memory to give when none is asked: the larger of 1 GiB and
 * ib_vm_min_mem(). */
uint64_t ib_vm_default_mem(const ib_vm *vm);

/* A stable UUID (name-based, RFC 4122 version 5 layout) from seed; its
 * fourth group starts with 8-b, as hyperkit needs. */
void ib_vm_uuid(const char *seed, char out[37]);

/* Whether s is a UUID hyperkit takes: 8-4-4-4-12 hex, the fourth group
 * not starting with e or f. */
bool ib_vm_uuid_ok(const char *s);

/* Check vm against its target's rules; the message names the fact that
 * failed ("path contains a comma, which hyperkit's -f cannot express:
 * ..."). Returns 0, or -1 with *err. */
int ib_vm_check(const ib_vm *vm, ib_err *err);

/* Append the hypervisor's argv for vm (checked first) to a. */
int ib_vm_argv(const ib_vm *vm, ib_argv *a, ib_err *err);

/* Make vm's paths (kernel, initrd, bootrom, variable store, cdrom,
 * seed, disks, state directory, serial file) absolute, as a script that
 * changes directory needs; the strings made are kept in keep (release it
 * with ib_argv_free()). Returns 0, or -1 with *err. */
int ib_vm_absolute_paths(ib_vm *vm, ib_argv *keep, ib_err *err);

/*
 * A POSIX sh wrapper script that runs argv a for vm: set -eu, cd to its
 * own directory, the state directory with a pidfile (refusing a second
 * run), vpnkit started and waited for (at most 10 s) when vm->net is
 * vpnkit, a trap that stops it, and the hypervisor run again when it
 * exits with 2 (the guest rebooted). For vfkit with UEFI firmware, the
 * variable store is asked to be made (",create") only when it is
 * missing, as vfkit replaces one that is there. Paths in a are used as
 * they are: give absolute ones. Returns a string the caller frees, or NULL with
 * *err.
 */
char *ib_vm_script_new(const ib_vm *vm, const ib_argv *a, ib_err *err);

#endif
