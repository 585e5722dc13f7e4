/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * recipe: the whole way from an ISO to a VM that boots, as files in one
 * directory: the default entry's (or a label's) kernel and initrds, the
 * initrds joined into one, the command line for the target's serial
 * console, a disk image, the wrapper script that boots it ("run") and
 * the decisions made on the way ("boot.json").
 *
 * Every output is written to a temporary and renamed into place, and
 * only when it differs from what is there: a second run with the same
 * inputs writes nothing. The extraction is skipped when a stamp
 * (".isoboot-stamp") records the same image (device, inode, size,
 * mtime), entry and platform, and the extracted files are as it left
 * them; otherwise the files the stamp lists that this entry does not
 * load are removed first. The disk image is made when missing and never
 * touched after.
 *
 * With UEFI firmware (vm.firmware IB_FW_EFI) nothing is extracted: the
 * VM boots the loader on the disk (or the CD's El Torito EFI image), and
 * the files an earlier run extracted, its stamp and its command line are
 * removed. The menu is still read for the summary, on the EFI platform
 * unless another is asked, and an image whose menu isoboot cannot read
 * (an XFS /boot) is no error. qemu gets its firmware's code read-only
 * and its own copy of the variable store (efi-vars.fd, made once, never
 * replaced); vfkit keeps its store in efi-vars; hyperkit and xhyve boot
 * the ROM vm.bootrom names.
 *
 * A disk image (a cloud image) also gets "seed.iso", cloud-init's
 * NoCloud seed (seed.h) with the account, key and user-data the options
 * name, attached as the VM's second CD; an ISO only when asked.
 */
#ifndef IB_RECIPE_H
#define IB_RECIPE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "bounds.h"
#include "errors.h"
#include "firmware.h"
#include "initrd.h"
#include "seed.h"
#include "vm.h"
#include "vm_prep.h"

/* Whether DIR/seed.iso, cloud-init's NoCloud seed, is made. */
typedef enum ib_recipe_seed {
	IB_RECIPE_SEED_AUTO, /* for a disk image, when there is a key or
	                      * user-data; never for an ISO */
	IB_RECIPE_SEED_ON,
	IB_RECIPE_SEED_OFF
} ib_recipe_seed;

typedef struct ib_recipe_opts {
	const char *iso;      /* the image */
	const char *dir;      /* the output directory: made (one level)
	                       * when missing, removed again when the run
	                       * fails before it holds anything */
	const char *label;    /* NULL: the entry the image boots by default */
	const char *platform; /* "bios" (NULL; "efi" with UEFI firmware) or
	                       * "efi" */
	/* The VM as the user asked for it: target, argv0, accel, mem (0:
	 * ib_vm_default_mem()), cpus (0: 1), net, firmware and bootrom, and
	 * the host's macos and arm64; the recipe fills in the rest. */
	ib_vm vm;
	const char *path;   /* $PATH, where qemu is: its UEFI firmware is
	                   * beside it (may be NULL) */
	uint64_t disk_size; /* a new disk.img's size; 0: no disk */
	/* The seed: when (seed), the public key file (seed_key, read and
	 * checked only when a seed is made; NULL: none), the user's own
	 * user-data file (seed_user_data, or NULL), the account
	 * (seed_user) and hostname (seed_hostname; NULL: DIR's name). */
	ib_recipe_seed seed;
	const char *seed_key;
	const char *seed_user_data;
	const char *seed_user;
	const char *seed_hostname;
	const volatile sig_atomic_t *cancel;
	/* Called around each step and each extracted file (see
	 * ib_extract_opts.progress); may be NULL. */
	void (*progress)(void *ctx, const char *path, int dirfd,
	    const char *tmp, uint64_t total);
	void *progress_ctx;
	/* Called when another run (process pid) holds the directory, before
	 * waiting for it; may be NULL. */
	void (*waiting)(void *ctx, long pid);
	void *waiting_ctx;
} ib_recipe_opts;

typedef struct ib_recipe_output {
	char *name;   /* in dir */
	char *role;   /* "kernel", "initrd", "joined initrd", "cmdline"... */
	bool written; /* this run wrote it */
	uint64_t size;
} ib_recipe_output;

typedef struct ib_recipe_result {
	char *config;     /* the boot config, absolute in the image; "" when
	                   * the menu was not read (menu_error) */
	char *label;      /* the entry's label (or title) */
	char *why;        /* how config and entry were chosen: the menu's notes
	                   * but those that chose nothing, one per line */
	char *kernel;     /* what the kernel is (ib_kernel_describe); NULL
	                   * with UEFI firmware */
	bool maybe_linux; /* ib_kernel_maybe_linux() of the kernel */
	char *cmdline;    /* the command line the VM boots; NULL with UEFI
	                   * firmware */
	bool efi;         /* UEFI firmware boots the image's own loader */
	char *firmware;   /* efi: the code or ROM booted; NULL for vfkit's */
	char *menu_error; /* efi: why the menu was not read, or NULL */
	ib_disk_info disk;
	bool extracted;  /* the image was read for the boot files */
	bool disk_image; /* the image is a disk image: the VM's disk */
	bool dir_failed; /* the run failed making or opening dir */
	bool seed;       /* DIR/seed.iso is the VM's second CD */
	bool seed_nokey; /* auto: a disk image, but no key nor user-data */
	ib_recipe_output outputs[IB_MAX_OUTPUTS];
	size_t noutputs;
	size_t nwritten; /* outputs written this run; 0: nothing changed */
	char *json;      /* boot.json's text */
} ib_recipe_result;

/*
 * Run the recipe. On failure, outputs already placed stay (each whole);
 * nothing is left under a final name half written. Returns 0 with *r
 * filled, or -1 with *err naming the step and the file; release *r with
 * ib_recipe_result_free() either way.
 */
int ib_recipe_run(const ib_recipe_opts *o, ib_recipe_result *r, ib_err *err);

void ib_recipe_result_free(ib_recipe_result *r);

/* The directory for the image at iso when none is given: its file name
 * without .iso; NAME.vm for one not named .iso. Returns a string the
 * caller frees, or NULL when the name gives none (".", "..", empty) or
 * out of memory. */
char *ib_recipe_dir_new(const char *iso);

/*
 * Where isoboot.mk is, for make's include: env ($ISOBOOT_MK) when set;
 * else share/isoboot/isoboot.mk beside the bin directory of the program
 * argv0 (found in path, as the shell finds it: an installed tree,
 * Homebrew's cellar, the build tree); else datadir/isoboot/isoboot.mk,
 * with *found false when that is missing too. Returns a string the
 * caller frees, or NULL out of memory.
 */
char *ib_recipe_mk_path_new(const char *argv0, const char *env,
    const char *path, const char *datadir, bool *found);

/* The output names the recipe itself uses in dir. */
#define IB_RECIPE_DISK       "disk.img"
#define IB_RECIPE_RUN        "run"
#define IB_RECIPE_JSON       "boot.json"
#define IB_RECIPE_CMDLINE    "cmdline"
#define IB_RECIPE_JOINED     IB_INITRD_JOINED
#define IB_RECIPE_IMAGE      IB_VM_PREP_IMAGE
#define IB_RECIPE_STAMP      ".isoboot-stamp"
#define IB_RECIPE_EFI_VARS   IB_FIRMWARE_QEMU_VARS
#define IB_RECIPE_VFKIT_VARS IB_FIRMWARE_VFKIT_VARS
#define IB_RECIPE_LOCK       ".isoboot-lock"
#define IB_RECIPE_SEED_ISO   "seed.iso"

#endif
