/* SPDX-License-Identifier: GPL-3.0-or-later */
/* isoboot-cmd: hypervisor command lines that are right the first time. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "argv.h"
#include "cli.h"
#include "firmware.h"
#include "path.h"
#include "plan.h"
#include "vm.h"
#include "vm_prep.h"

static const char usage[] =
    "usage: isoboot-cmd [options] --kernel K [--initrd I]... [--cmdline S]\n"
    "       isoboot-cmd [options] [--label L] ISO\n"
    "       isoboot-cmd [options] --firmware efi [--disk FILE]... [ISO]\n";

static const char help[] =
    "Print a hypervisor command line that boots a Linux kernel, or a disk\n"
    "or ISO through UEFI firmware.\n"
    "\n" CLI_VM_HELP
    "      --kernel K        the kernel (a bzImage; arm64 Image for "
    "vfkit)\n"
    "      --initrd I        an initrd; several are joined into one\n"
    "      --cmdline S       the kernel command line\n"
    "  -l, --label L         with an ISO: that entry, not the default\n"
    "      --disk FILE       a virtio disk (repeatable)\n"
    "      --disk-size SIZE  create the --disk files that do not exist\n"
    "      --cdrom ISO       an ISO attached as a CD\n"
    "      --uuid UUID       the VM's UUID (default: derived from the "
    "name)\n"
    "      --name NAME       the VM's name (default: the kernel's)\n"
    "      --serial S        stdio (default), pty or file:PATH\n"
    "      --serial-cmdline  rewrite the command line for the target's "
    "console\n"
    "  -C, --state DIR       the state directory (joined initrds, vpnkit)\n"
    "      --script          a wrapper script: pidfile, vpnkit, restart "
    "on reboot\n"
    "      --json            the VM description and argv as JSON\n"
    "      --exec            check, then run the hypervisor\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

enum {
	OPT_CDROM = 256,
	OPT_CMDLINE,
	OPT_DISK,
	OPT_DISK_SIZE,
	OPT_EXEC,
	OPT_INITRD,
	OPT_JSON,
	OPT_KERNEL,
	OPT_NAME,
	OPT_SCRIPT,
	OPT_SERIAL,
	OPT_SERIAL_CMDLINE,
	OPT_UUID,
	OPT_VERSION
};

static const struct option longopts[] = {
	CLI_VM_LONGOPTS{ "cdrom", required_argument, NULL, OPT_CDROM },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "disk-size", required_argument, NULL, OPT_DISK_SIZE },
	{ "exec", no_argument, NULL, OPT_EXEC },
	{ "help", no_argument, NULL, 'h' },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "label", required_argument, NULL, 'l' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "script", no_argument, NULL, OPT_SCRIPT },
	{ "serial", required_argument, NULL, OPT_SERIAL },
	{ "serial-cmdline", no_argument, NULL, OPT_SERIAL_CMDLINE },
	{ "state", required_argument, NULL, 'C' },
	{ "uuid", required_argument, NULL, OPT_UUID },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	ib_vm vm;
	const char *iso;      /* ISO mode: the image */
	const char *label;    /* ISO mode: --label */
	const char *platform; /* ISO mode: --platform */
	ib_plan *plan;        /* ISO mode: the image's boot plan */
	ib_vm_prep_files files;
	/* strings made here, freed at exit: the name, the ISO's kernel and
	 * initrds */
	ib_argv owned;
	const char *initrds[IB_MAX_INITRDS];
	size_t ninitrds;
	const char *name;
	const char *uuid;
	uint64_t disk_size;
	bool serial_cmdline, json, exec, script;
};

static void
parse_args(int argc, char **argv, struct opts *o)
{
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "C:c:hl:m:t:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'C':
			o->vm.state_dir = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			fputs(help, stdout);
			exit(cli_close_stdout());
		case 'l':
			o->label = optarg;
			break;
		case OPT_CDROM:
			o->vm.cdrom = optarg;
			break;
		case OPT_CMDLINE:
			o->vm.cmdline = optarg;
			break;
		case OPT_DISK:
			if (o->vm.ndisks == IB_MAX_DISKS)
				cli_usage_error(usage, "more than %u --disk",
				    IB_MAX_DISKS);
			o->vm.disks[o->vm.ndisks++] = optarg;
			break;
		case OPT_DISK_SIZE:
			o->disk_size =
			    cli_opt_size(usage, "--disk-size", optarg);
			break;
		case OPT_EXEC:
			o->exec = true;
			break;
		case OPT_INITRD:
			if (o->ninitrds == IB_MAX_INITRDS)
				cli_usage_error(usage, "more than %u --initrd",
				    IB_MAX_INITRDS);
			o->initrds[o->ninitrds++] = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_KERNEL:
			o->vm.kernel = optarg;
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		case OPT_SERIAL:
			if (ib_vm_serial_parse(optarg, &o->vm.serial,
			        &o->vm.serial_path) == -1)
				cli_usage_error(usage,
				    "--serial: '%s' is not stdio, pty or "
				    "file:PATH",
				    optarg);
			break;
		case OPT_SCRIPT:
			o->script = true;
			break;
		case OPT_SERIAL_CMDLINE:
			o->serial_cmdline = true;
			break;
		case OPT_UUID:
			o->uuid = optarg;
			break;
		case OPT_VERSION:
			cli_version();
			exit(cli_close_stdout());
		default:
			if (!cli_vm_option(&o->vm, &o->platform, ch, optarg,
			        usage))
				cli_bad_option(usage, argv);
		}
	}
	if (argc - optind > 1)
		cli_usage_error(usage, "one ISO at most");
	if (optind < argc)
		o->iso = argv[optind];
	cli_vm_firmware_check(&o->vm, usage);
	if (o->vm.firmware == IB_FW_EFI) {
		if (o->vm.kernel != NULL || o->ninitrds != 0 ||
		    o->vm.cmdline != NULL || o->label != NULL ||
		    o->platform != NULL || o->serial_cmdline)
			cli_usage_error(usage,
			    "--firmware efi boots the loader on the disk or CD: "
			    "no --kernel, --initrd, --cmdline, --serial-cmdline, "
			    "--label or --platform");
		/* The ISO is the CD UEFI firmware boots (El Torito). */
		if (o->iso != NULL && o->vm.cdrom != NULL)
			cli_usage_error(usage, "an ISO or --cdrom, not both");
		if (o->iso != NULL)
			o->vm.cdrom = o->iso;
		o->iso = NULL;
		if (o->vm.ndisks == 0 && o->vm.cdrom == NULL)
			cli_usage_error(usage,
			    "--firmware efi boots a --disk or a CD: give one");
		return;
	}
	if (o->iso != NULL && (o->vm.kernel != NULL || o->ninitrds != 0))
		cli_usage_error(usage, "an ISO or --kernel/--initrd, not both");
	if (o->iso == NULL && o->vm.kernel == NULL)
		cli_usage_error(usage, "no --kernel and no ISO");
	if (o->iso == NULL && (o->label != NULL || o->platform != NULL))
		cli_usage_error(usage, "--label and --platform go with an ISO");
}

static char *
own(struct opts *o, char *s)
{
	ib_err err;

	if (ib_argv_take(&o->owned, s, &err) == -1)
		return NULL;
	return s;
}

/*
 * ISO mode: the default entry (or --label) of the image's boot menu, its
 * kernel and initrds extracted into the state directory, its command
 * line, and the image attached as the CD.
 */
static int
from_iso(struct opts *o)
{
	const ib_menu_entry *e;
	ib_extract_opts xo;
	ib_err err;
	size_t i;
	int dirfd, rc;

	o->plan = ib_plan_open(o->iso, o->platform, &err);
	e = o->plan != NULL ? ib_plan_choose(o->plan, o->label, false, &err) :
	                      NULL;
	if (e == NULL) {
		cli_warn_err(o->iso, &err);
		return -1;
	}
	dirfd = cli_open_dir(o->vm.state_dir);
	if (dirfd == -1)
		return -1;
	memset(&xo, 0, sizeof(xo));
	xo.cancel = &cli_caught;
	rc = ib_plan_extract(o->plan, dirfd, &xo, &err);
	close(dirfd);
	if (rc == -1) {
		if (err.code != IB_EINTR)
			cli_warn_err(o->iso, &err);
		return -1;
	}
	o->vm.kernel = own(o, ib_plan_path_new(o->plan, o->vm.state_dir, 0));
	for (i = 1; i < ib_plan_nfiles(o->plan); i++) {
		o->initrds[o->ninitrds] =
		    own(o, ib_plan_path_new(o->plan, o->vm.state_dir, i));
		if (o->initrds[o->ninitrds++] == NULL)
			o->vm.kernel = NULL;
	}
	if (o->vm.kernel == NULL) {
		cli_warn(NULL, "out of memory");
		return -1;
	}
	if (o->vm.cmdline == NULL)
		o->vm.cmdline = e->args;
	if (ib_plan_disk_format(o->plan) == NULL) {
		if (o->vm.cdrom == NULL)
			o->vm.cdrom = o->iso;
		return 0;
	}
	/* A disk image is the VM's first disk (its root), not a CD. */
	if (o->vm.ndisks == IB_MAX_DISKS) {
		cli_warn(o->iso, "more than %u disks", IB_MAX_DISKS);
		return -1;
	}
	memmove(o->vm.disks + 1, o->vm.disks,
	    o->vm.ndisks * sizeof(o->vm.disks[0]));
	memmove(o->vm.disk_qcow2 + 1, o->vm.disk_qcow2,
	    o->vm.ndisks * sizeof(o->vm.disk_qcow2[0]));
	o->vm.disks[0] = o->iso;
	o->vm.disk_qcow2[0] =
	    strcmp(ib_plan_disk_format(o->plan), "qcow2") == 0;
	o->vm.ndisks++;
	return 0;
}

/* The kernel inspected (and unpacked for vfkit), the initrds joined. */
static int
prepare_files(struct opts *o)
{
	ib_vm_prep_in in;
	ib_err err;

	memset(&in, 0, sizeof(in));
	in.target = o->vm.target;
	in.kernel = o->vm.kernel;
	in.initrds = o->initrds;
	in.ninitrds = o->ninitrds;
	in.dir = o->vm.state_dir;
	in.cancel = &cli_caught;
	if (ib_vm_prep_files_init(&o->files, &in, &err) == -1) {
		if (err.code != IB_EINTR)
			cli_warn_err(NULL, &err);
		return -1;
	}
	ib_vm_prep_files_apply(&o->files, &o->vm);
	return 0;
}

/*
 * UEFI firmware: qemu's found (or --bootrom) and the VM's variable store
 * copied into the state directory once, never replaced; vfkit's store
 * there, made by vfkit (",create") only while it is missing.
 */
static int
prepare_firmware(struct opts *o)
{
	ib_firmware_files fw;
	struct stat st;
	const char *name;
	ib_err err;
	bool made;
	int dirfd, rc;

	if (o->vm.target != IB_TARGET_QEMU && o->vm.target != IB_TARGET_VFKIT)
		return 0; /* hyperkit, xhyve: --bootrom as given */
	if (o->vm.target == IB_TARGET_QEMU &&
	    ib_firmware_find_qemu(o->vm.bootrom, ib_vm_target_argv0(&o->vm),
	        getenv("PATH"), o->vm.arm64, &fw, &err) == -1) {
		cli_warn_err(NULL, &err);
		return -1;
	}
	dirfd = cli_open_dir(o->vm.state_dir);
	if (dirfd == -1) {
		if (o->vm.target == IB_TARGET_QEMU)
			ib_firmware_files_release(&fw);
		return -1;
	}
	name = o->vm.target == IB_TARGET_QEMU ? IB_FIRMWARE_QEMU_VARS :
	                                        IB_FIRMWARE_VFKIT_VARS;
	rc = 0;
	if (o->vm.target == IB_TARGET_QEMU) {
		rc = ib_firmware_vars_make(fw.vars, dirfd, name, &made,
		    &cli_caught, &err);
		if (rc == -1 && err.code != IB_EINTR)
			cli_warn(o->vm.state_dir, "%s: %s", name,
			    ib_err_text(&err));
		o->vm.bootrom = own(o, fw.code);
		fw.code = NULL;
		ib_firmware_files_release(&fw);
	} else {
		o->vm.efi_vars_create = fstatat(dirfd, name, &st, 0) == -1;
	}
	close(dirfd);
	o->vm.efi_vars = own(o, ib_path_join_new(o->vm.state_dir, name));
	if (rc == 0 &&
	    (o->vm.efi_vars == NULL ||
	        (o->vm.target == IB_TARGET_QEMU && o->vm.bootrom == NULL))) {
		cli_warn(NULL, "out of memory");
		rc = -1;
	}
	return rc;
}

/* Make the disks that do not exist (--disk-size); see which are qcow2. */
static int
prepare_disks(struct opts *o)
{
	ib_disk_info d;
	ib_err err;
	size_t i;

	for (i = 0; i < o->vm.ndisks; i++) {
		if (ib_vm_prep_disk(o->vm.disks[i], o->disk_size, &cli_caught,
		        &d, &err) == -1) {
			cli_warn(NULL, "%s%s", ib_err_text(&err),
			    err.code == ENOENT ? " (--disk-size creates it)" :
			                         "");
			return -1;
		}
		o->vm.disk_qcow2[i] = d.qcow2;
	}
	return 0;
}

static void
print_json(const struct opts *o, const ib_argv *a)
{
	ib_err err;
	char *s;

	s = ib_vm_json_new(&o->vm, a, &err);
	if (s == NULL) {
		cli_warn_err(NULL, &err);
		return;
	}
	fputs(s, stdout);
	free(s);
}

int
main(int argc, char **argv)
{
	char state[4096];
	const char *base;
	struct opts o;
	ib_argv a = { 0 };
	ib_err err;
	char *cmdline, *line;
	int status;

	cli_init(argv[0]);
	memset(&o, 0, sizeof(o));
	o.vm.target = ib_vm_target_host(&o.vm.macos, &o.vm.arm64);
	o.vm.cpus = 1;
	parse_args(argc, argv, &o);
	if (o.iso != NULL) {
		base = own(&o, ib_vm_prep_name(o.iso));
	} else if (o.vm.firmware == IB_FW_EFI) {
		/* Named after what it boots: the first disk, or the CD. */
		base = own(&o,
		    ib_vm_prep_name(
		        o.vm.ndisks > 0 ? o.vm.disks[0] : o.vm.cdrom));
	} else {
		base = strrchr(o.vm.kernel, '/');
		base = base != NULL ? base + 1 : o.vm.kernel;
	}
	if (base == NULL)
		return IB_EXIT_FAIL;
	if (o.name == NULL)
		o.name = base;
	if (o.vm.state_dir == NULL) {
		snprintf(state, sizeof(state), "%s.boot", o.name);
		o.vm.state_dir = state;
	}
	if (o.uuid != NULL)
		snprintf(o.vm.uuid, sizeof(o.vm.uuid), "%s", o.uuid);
	else
		ib_vm_uuid(o.name, o.vm.uuid);
	cli_catch_signals();
	status = IB_EXIT_FAIL;
	cmdline = NULL;
	/* hyperkit writes the pty's name, vpnkit its socket, in it. */
	if (o.vm.serial == IB_SERIAL_PTY || o.vm.net == IB_NET_VPNKIT) {
		int fd = cli_open_dir(o.vm.state_dir);

		if (fd == -1)
			goto out;
		close(fd);
	}
	if (o.vm.firmware == IB_FW_EFI ?
	        prepare_firmware(&o) == -1 || prepare_disks(&o) == -1 :
	        (o.iso != NULL && from_iso(&o) == -1) ||
	            prepare_files(&o) == -1 || prepare_disks(&o) == -1)
		goto out;
	if (o.serial_cmdline || (o.vm.cdrom != NULL && o.vm.cmdline != NULL)) {
		cmdline = ib_vm_prep_cmdline(o.vm.cmdline, o.vm.target,
		    o.serial_cmdline, o.vm.cdrom != NULL, &err);
		if (cmdline == NULL) {
			cli_warn_err(NULL, &err);
			goto out;
		}
		o.vm.cmdline = cmdline;
	}
	if (o.vm.mem == 0)
		o.vm.mem = ib_vm_default_mem(&o.vm);
	if (o.script && ib_vm_absolute_paths(&o.vm, &o.owned, &err) == -1) {
		cli_warn_err(NULL, &err);
		goto out;
	}
	if (ib_vm_argv(&o.vm, &a, &err) == -1) {
		cli_warn_err(ib_vm_target_name(o.vm.target), &err);
		goto out;
	}
	if (o.exec) {
		fflush(stdout);
		execvp(a.v[0], a.v);
		cli_warn(a.v[0], "%s", strerror(errno));
		goto out;
	}
	if (o.json) {
		print_json(&o, &a);
		line = NULL;
	} else {
		line = o.script ? ib_vm_script_new(&o.vm, &a, &err) :
		                  ib_argv_render(&a, 1, &err);
		if (line == NULL) {
			cli_warn_err(NULL, &err);
			goto out;
		}
		fputs(line, stdout);
		free(line);
	}
	status = cli_close_stdout();
out:
	ib_argv_free(&a);
	free(cmdline);
	ib_vm_prep_files_release(&o.files);
	ib_plan_close(o.plan);
	ib_argv_free(&o.owned);
	cli_reraise();
	return status;
}
