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
#include "bootcfg.h"
#include "bootfiles.h"
#include "cli.h"
#include "cmdline.h"
#include "disksize.h"
#include "initrd.h"
#include "kernel.h"
#include "mkdisk.h"
#include "strbuf.h"
#include "vm.h"
#include "vmprep.h"

#define MAX_INITRDS 16

static const char usage[] =
    "usage: isoboot-cmd [options] --kernel K [--initrd I]... [--cmdline S]\n"
    "       isoboot-cmd [options] [--label L] ISO\n";

static const char help[] =
    "Print a hypervisor command line that boots a Linux kernel.\n"
    "\n"
    "  -t, --target T        hyperkit, xhyve, vfkit or qemu (default: "
    "hyperkit\n"
    "                        on macOS x86_64, vfkit on Apple Silicon, "
    "qemu\n"
    "                        elsewhere)\n"
    "      --kernel K        the kernel (a bzImage; arm64 Image for "
    "vfkit)\n"
    "      --initrd I        an initrd; several are joined into one\n"
    "      --cmdline S       the kernel command line\n"
    "  -l, --label L         with an ISO: that entry, not the default\n"
    "  -m, --memory SIZE     guest memory (default 1g, more for a big "
    "initrd)\n"
    "  -c, --cpus N          virtual CPUs (default 1)\n"
    "      --disk FILE       a virtio disk (repeatable)\n"
    "      --disk-size SIZE  create the --disk files that do not exist\n"
    "      --cdrom ISO       an ISO attached as a CD\n"
    "      --net N           vpnkit, vmnet, user or none\n"
    "      --uuid UUID       the VM's UUID (default: derived from the "
    "name)\n"
    "      --name NAME       the VM's name (default: the kernel's)\n"
    "      --serial S        stdio (default), pty or file:PATH\n"
    "      --serial-cmdline  rewrite the command line for the target's "
    "console\n"
    "  -C, --state DIR       the state directory (joined initrds, vpnkit)\n"
    "      --argv0 PATH      the hypervisor binary\n"
    "      --accel A         qemu's accelerators (default kvm:tcg, or "
    "hvf:tcg)\n"
    "      --script          a wrapper script: pidfile, vpnkit, restart "
    "on reboot\n"
    "      --json            the VM description and argv as JSON\n"
    "      --exec            check, then run the hypervisor\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

enum {
	OPT_ACCEL = 256,
	OPT_ARGV0,
	OPT_CDROM,
	OPT_CMDLINE,
	OPT_DISK,
	OPT_DISK_SIZE,
	OPT_EXEC,
	OPT_INITRD,
	OPT_JSON,
	OPT_KERNEL,
	OPT_NAME,
	OPT_NET,
	OPT_SCRIPT,
	OPT_SERIAL,
	OPT_SERIAL_CMDLINE,
	OPT_UUID,
	OPT_VERSION
};

static const struct option longopts[] = {
	{ "accel", required_argument, NULL, OPT_ACCEL },
	{ "argv0", required_argument, NULL, OPT_ARGV0 },
	{ "cdrom", required_argument, NULL, OPT_CDROM },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "cpus", required_argument, NULL, 'c' },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "disk-size", required_argument, NULL, OPT_DISK_SIZE },
	{ "exec", no_argument, NULL, OPT_EXEC },
	{ "help", no_argument, NULL, 'h' },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "label", required_argument, NULL, 'l' },
	{ "memory", required_argument, NULL, 'm' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "net", required_argument, NULL, OPT_NET },
	{ "script", no_argument, NULL, OPT_SCRIPT },
	{ "serial", required_argument, NULL, OPT_SERIAL },
	{ "serial-cmdline", no_argument, NULL, OPT_SERIAL_CMDLINE },
	{ "state", required_argument, NULL, 'C' },
	{ "target", required_argument, NULL, 't' },
	{ "uuid", required_argument, NULL, OPT_UUID },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	ib_vm vm;
	const char *iso;   /* ISO mode: the image */
	const char *label; /* ISO mode: --label */
	/* strings made here, freed at exit: the name, the ISO's kernel,
	 * initrds and command line, and the absolute paths of --script */
	char *owned[8 + MAX_INITRDS + IB_VM_MAX_DISKS];
	size_t nowned;
	const char *initrds[MAX_INITRDS];
	size_t ninitrds;
	const char *name;
	const char *uuid;
	uint64_t disk_size;
	bool mem_given, serial_cmdline, json, exec, script;
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
		case 'c':
			o->vm.cpus = cli_opt_cpus(usage, optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			fputs(help, stdout);
			exit(cli_close_stdout());
		case 'l':
			o->label = optarg;
			break;
		case 'm':
			o->vm.mem = cli_opt_memory(usage, optarg);
			o->mem_given = true;
			break;
		case 't':
			o->vm.target = cli_opt_target(usage, optarg);
			break;
		case OPT_ACCEL:
			o->vm.accel = optarg;
			break;
		case OPT_ARGV0:
			o->vm.argv0 = optarg;
			break;
		case OPT_CDROM:
			o->vm.cdrom = optarg;
			break;
		case OPT_CMDLINE:
			o->vm.cmdline = optarg;
			break;
		case OPT_DISK:
			if (o->vm.ndisks == IB_VM_MAX_DISKS)
				cli_usage_error(usage, "more than %d --disk",
				    IB_VM_MAX_DISKS);
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
			if (o->ninitrds == MAX_INITRDS)
				cli_usage_error(usage, "more than %d --initrd",
				    MAX_INITRDS);
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
		case OPT_NET:
			o->vm.net = cli_opt_net(usage, optarg);
			break;
		case OPT_SERIAL:
			if (strcmp(optarg, "stdio") == 0) {
				o->vm.serial = IB_SERIAL_STDIO;
			} else if (strcmp(optarg, "pty") == 0) {
				o->vm.serial = IB_SERIAL_PTY;
			} else if (strncmp(optarg, "file:", 5) == 0 &&
			    optarg[5] != '\0') {
				o->vm.serial = IB_SERIAL_FILE;
				o->vm.serial_path = optarg + 5;
			} else {
				cli_usage_error(usage,
				    "--serial: '%s' is not stdio, pty or "
				    "file:PATH",
				    optarg);
			}
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
			cli_bad_option(usage, argv);
		}
	}
	if (argc - optind > 1)
		cli_usage_error(usage, "one ISO at most");
	if (optind < argc)
		o->iso = argv[optind];
	if (o->iso != NULL && (o->vm.kernel != NULL || o->ninitrds != 0))
		cli_usage_error(usage, "an ISO or --kernel/--initrd, not both");
	if (o->iso == NULL && o->vm.kernel == NULL)
		cli_usage_error(usage, "no --kernel and no ISO");
	if (o->iso == NULL && o->label != NULL)
		cli_usage_error(usage, "--label goes with an ISO");
}

static char *
own(struct opts *o, char *s)
{
	if (s != NULL && o->nowned < sizeof(o->owned) / sizeof(o->owned[0]))
		o->owned[o->nowned++] = s;
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
	ib_extract_opts xo;
	const ib_menu_entry *e;
	ib_iso_opts io;
	ib_extract *x;
	ib_menu *m;
	ib_iso *iso;
	ib_err err;
	size_t i;
	int dirfd, rc;

	memset(&io, 0, sizeof(io));
	io.no_joliet = true; /* names as the boot loader sees them */
	iso = ib_iso_open(o->iso, &io, &err);
	m = iso != NULL ? ib_bootcfg_read_iso(iso, "bios", &err) : NULL;
	e = m != NULL ? ib_menu_choose(m, o->label, &err) : NULL;
	if (e == NULL) {
		cli_warn_err(o->iso, &err);
		ib_menu_free(m);
		ib_iso_close(iso);
		return -1;
	}
	rc = -1;
	dirfd = cli_open_dir(o->vm.state_dir);
	if (dirfd == -1)
		goto out;
	memset(&xo, 0, sizeof(xo));
	xo.flat = true;
	xo.cancel = &cli_caught;
	x = ib_extract_new(iso, dirfd, &xo, &err);
	if (x == NULL ||
	    ib_bootfiles_extract(iso, e, x, &cli_caught, &err) == -1 ||
	    ib_extract_finish(x, &err) == -1) {
		if (err.code != IB_EINTR)
			cli_warn_err(o->iso, &err);
		ib_extract_free(x);
		close(dirfd);
		goto out;
	}
	ib_extract_free(x);
	close(dirfd);
	if (e->ninitrds > MAX_INITRDS) {
		cli_warn(o->iso, "%s: more than %d initrds", e->where,
		    MAX_INITRDS);
		goto out;
	}
	o->vm.kernel = own(o, ib_bootfiles_path(o->vm.state_dir, e->kernel));
	for (i = 0; i < e->ninitrds; i++)
		o->initrds[o->ninitrds++] =
		    own(o, ib_bootfiles_path(o->vm.state_dir, e->initrds[i]));
	if (o->vm.cmdline == NULL)
		o->vm.cmdline = own(o, strdup(e->args));
	if (o->vm.kernel == NULL || o->vm.cmdline == NULL) {
		cli_warn(NULL, "out of memory");
		goto out;
	}
	for (i = 0; i < o->ninitrds; i++)
		if (o->initrds[i] == NULL) {
			cli_warn(NULL, "out of memory");
			goto out;
		}
	if (o->vm.cdrom == NULL)
		o->vm.cdrom = o->iso;
	rc = 0;
out:
	ib_menu_free(m);
	ib_iso_close(iso);
	return rc;
}

/* The kernel's facts, for the target's checks. */
static int
inspect_kernel(struct opts *o, ib_kernel_info *ki)
{
	ib_err err;

	if (ib_vmprep_inspect(o->vm.kernel, ki, &err) == -1) {
		cli_warn_err(NULL, &err);
		return -1;
	}
	o->vm.kernel_info = ki;
	return 0;
}

/*
 * vfkit boots an uncompressed arm64 Image; distributions ship it
 * gzip-compressed or as an EFI zboot image. Unpack it into the state
 * directory and boot that.
 */
static int
unpack_for_vfkit(struct opts *o, ib_kernel_info *ki)
{
	ib_err err;
	int dirfd, rc;
	char *path;

	if (!ib_vmprep_needs_unpack(o->vm.target, ki))
		return 0;
	dirfd = cli_open_dir(o->vm.state_dir);
	if (dirfd == -1)
		return -1;
	rc = ib_vmprep_unpack(o->vm.kernel, ki, dirfd, &cli_caught, &err);
	close(dirfd);
	if (rc == -1) {
		cli_warn_err(NULL, &err);
		return -1;
	}
	path = own(o, ib_bootfiles_path(o->vm.state_dir, IB_VMPREP_IMAGE));
	if (path == NULL) {
		cli_warn(NULL, "out of memory");
		return -1;
	}
	o->vm.kernel = path;
	return inspect_kernel(o, ki);
}

/* One initrd as it is; several joined in the state directory. */
static int
join_initrds(struct opts *o, char *joined, size_t n)
{
	struct stat st;
	ib_err err;
	int dirfd, rc;

	if (o->ninitrds == 0)
		return 0;
	if (o->ninitrds == 1) {
		if (stat(o->initrds[0], &st) == -1) {
			cli_warn(o->initrds[0], "%s", strerror(errno));
			return -1;
		}
		o->vm.initrd = o->initrds[0];
		o->vm.initrd_size = (uint64_t)st.st_size;
		return 0;
	}
	dirfd = cli_open_dir(o->vm.state_dir);
	if (dirfd == -1)
		return -1;
	rc = ib_initrd_concat(dirfd, IB_INITRD_JOINED, o->initrds, o->ninitrds,
	    &cli_caught, &o->vm.initrd_size, &err);
	close(dirfd);
	if (rc == -1) {
		cli_warn_err(o->vm.state_dir, &err);
		return -1;
	}
	snprintf(joined, n, "%s/%s", o->vm.state_dir, IB_INITRD_JOINED);
	o->vm.initrd = joined;
	return 0;
}

/* Make the disks that do not exist (--disk-size); see which are qcow2. */
static int
prepare_disks(struct opts *o)
{
	ib_disk_info d;
	ib_err err;
	size_t i;

	for (i = 0; i < o->vm.ndisks; i++) {
		if (ib_vmprep_disk(o->vm.disks[i], o->disk_size, &cli_caught,
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

/* p as an absolute path (a script cds to its own directory). */
static const char *
absolute(struct opts *o, const char *p)
{
	char cwd[4096], *r;
	size_t n;

	if (p == NULL || p[0] == '/')
		return p;
	r = realpath(p, NULL);
	if (r == NULL && getcwd(cwd, sizeof(cwd)) != NULL) {
		n = strlen(cwd) + strlen(p) + 2;
		r = malloc(n);
		if (r != NULL)
			snprintf(r, n, "%s/%s", cwd, p);
	}
	return r != NULL ? own(o, r) : p;
}

static void
absolute_paths(struct opts *o)
{
	size_t i;

	o->vm.kernel = absolute(o, o->vm.kernel);
	o->vm.initrd = absolute(o, o->vm.initrd);
	o->vm.cdrom = absolute(o, o->vm.cdrom);
	o->vm.state_dir = absolute(o, o->vm.state_dir);
	o->vm.serial_path = absolute(o, o->vm.serial_path);
	for (i = 0; i < o->vm.ndisks; i++)
		o->vm.disks[i] = absolute(o, o->vm.disks[i]);
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
	char state[4096], joined[4200];
	const char *base;
	ib_kernel_info ki;
	struct opts o;
	ib_argv a = { 0 };
	ib_err err;
	char *cmdline, *line;

	cli_init(argv[0]);
	memset(&o, 0, sizeof(o));
	o.vm.target = ib_target_host(&o.vm.macos, &o.vm.arm64);
	o.vm.cpus = 1;
	parse_args(argc, argv, &o);
	if (o.iso != NULL) {
		base = own(&o, ib_vmprep_name(o.iso));
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
	/* hyperkit writes the pty's name, vpnkit its socket, in it. */
	if (o.vm.serial == IB_SERIAL_PTY || o.vm.net == IB_NET_VPNKIT) {
		int fd = cli_open_dir(o.vm.state_dir);

		if (fd == -1)
			return IB_EXIT_FAIL;
		close(fd);
	}
	if (o.iso != NULL && from_iso(&o) == -1) {
		cli_reraise();
		return IB_EXIT_FAIL;
	}
	if (inspect_kernel(&o, &ki) == -1 || unpack_for_vfkit(&o, &ki) == -1 ||
	    join_initrds(&o, joined, sizeof(joined)) == -1 ||
	    prepare_disks(&o) == -1)
		return IB_EXIT_FAIL;
	cmdline = NULL;
	if (o.serial_cmdline || (o.vm.cdrom != NULL && o.vm.cmdline != NULL)) {
		cmdline = ib_vmprep_cmdline(o.vm.cmdline, o.vm.target,
		    o.serial_cmdline, o.vm.cdrom != NULL, &err);
		if (cmdline == NULL) {
			cli_warn_err(NULL, &err);
			return IB_EXIT_FAIL;
		}
		o.vm.cmdline = cmdline;
	}
	if (!o.mem_given)
		o.vm.mem = ib_vm_default_mem(&o.vm);
	if (o.script)
		absolute_paths(&o);
	if (ib_vm_argv(&o.vm, &a, &err) == -1) {
		cli_warn_err(o.vm.kernel, &err);
		free(cmdline);
		return IB_EXIT_FAIL;
	}
	if (o.exec) {
		fflush(stdout);
		execvp(a.v[0], a.v);
		cli_warn(a.v[0], "%s", strerror(errno));
		return IB_EXIT_FAIL;
	}
	if (o.json) {
		print_json(&o, &a);
	} else if (o.script) {
		line = ib_vm_script_new(&o.vm, &a, &err);
		if (line == NULL) {
			cli_warn_err(NULL, &err);
			return IB_EXIT_FAIL;
		}
		fputs(line, stdout);
		free(line);
	} else {
		line = ib_argv_render(&a, 1, &err);
		if (line == NULL) {
			cli_warn_err(NULL, &err);
			return IB_EXIT_FAIL;
		}
		fputs(line, stdout);
		free(line);
	}
	ib_argv_free(&a);
	free(cmdline);
	while (o.nowned > 0)
		free(o.owned[--o.nowned]);
	return cli_close_stdout();
}
