/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syslinux2cmdline: the kernel, initrds and command line a boot config
 * boots, read with the boot loader's own semantics. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "cli.h"
#include "cmdline.h"
#include "menu_json.h"
#include "plan.h"

static const char usage[] =
    "usage: syslinux2cmdline [options] [CONFIG | -]\n"
    "       syslinux2cmdline [options] -i ISO\n"
    "       syslinux2cmdline [options] -r DIR [CONFIG]\n";

static const char help[] =
    "Print the kernel command line a syslinux/isolinux or GRUB config boots.\n"
    "\n"
    "  -i, --iso ISO         find and read the config inside an ISO image\n"
    "  -r, --root DIR        an extracted ISO tree (the config is found "
    "as\n"
    "                        ISOLINUX finds it unless CONFIG is given)\n"
    "  -l, --label LABEL     the entry LABEL instead of the default\n"
    "      --list            every entry; the default is marked '*'\n"
    "      --platform P      bios (default) or efi: which firmware boots\n"
    "                        the image (efi reads GRUB's config)\n"
    "      --kernel          print the entry's kernel path\n"
    "      --initrd          print the entry's initrd paths, one per line\n"
    "      --serial[=DEV[,SPEED]]  rewrite for a serial console (ttyS0)\n"
    "      --append ARGS     add ARGS at the end\n"
    "      --remove KEY      remove every KEY and KEY=... word\n"
    "      --format FMT      plain, shell or make (CONFIG, LABEL, KERNEL,\n"
    "                        INITRD, CMDLINE assignments), or json\n"
    "      --explain         how the default was chosen, on stderr\n"
    "      --timeout-action  the entry that boots unattended, not the "
    "default\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

enum {
	OPT_APPEND = 256,
	OPT_EXPLAIN,
	OPT_FORMAT,
	OPT_INITRD,
	OPT_KERNEL,
	OPT_LIST,
	OPT_PLATFORM,
	OPT_REMOVE,
	OPT_SERIAL,
	OPT_TIMEOUT_ACTION,
	OPT_VERSION
};

static const struct option longopts[] = {
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ "initrd", no_argument, NULL, OPT_INITRD },
	{ "iso", required_argument, NULL, 'i' },
	{ "kernel", no_argument, NULL, OPT_KERNEL },
	{ "label", required_argument, NULL, 'l' },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "platform", required_argument, NULL, OPT_PLATFORM },
	{ "remove", required_argument, NULL, OPT_REMOVE },
	{ "root", required_argument, NULL, 'r' },
	{ "serial", optional_argument, NULL, OPT_SERIAL },
	{ "timeout-action", no_argument, NULL, OPT_TIMEOUT_ACTION },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* --remove, --serial and --append: the edits and their storage. */
struct edits {
	ib_cmdline_edits ce;
	const char *append[64];
	const char *remove[64];
	char serial_dev[64];
};

static void
print_list(const ib_menu *m)
{
	const ib_menu_entry *e;
	size_t i, k;

	for (i = 0; i < ib_menu_count(m); i++) {
		e = ib_menu_at(m, i);
		if (e->kind == IB_KIND_SEPARATOR)
			continue;
		printf("%s %s\t%s%s%s\t%s\t%s\t",
		    ib_menu_is_default(m, e) ? "*" : " ",
		    e->label != NULL ? e->label : "-",
		    e->submenu != NULL ? e->submenu : "",
		    e->submenu != NULL ? " > " : "",
		    e->title != NULL ? e->title : "-",
		    ib_menu_kind_name(e->kind),
		    e->kernel != NULL ? e->kernel : "-");
		for (k = 0; k < e->ninitrds; k++)
			printf("%s%s", k > 0 ? "," : "", e->initrds[k]);
		printf("%s\t%s%s\n", e->ninitrds == 0 ? "-" : "",
		    e->args != NULL ? e->args : "",
		    e->hidden ? "\t(hidden)" : "");
	}
	e = ib_menu_ontimeout(m);
	if (e != NULL)
		printf("on timeout: %s (%s) %s %s\n",
		    e->label != NULL ? e->label : "-",
		    ib_menu_kind_name(e->kind),
		    e->kernel != NULL ? e->kernel : "-", e->args);
}

/* Say what the entry's kernel is when the image is at hand (-i, -r): a
 * warning when it cannot be Linux (iPXE's ipxe.krn), else a note for
 * --explain. A kernel missing from the tree is not news: configs are
 * often read without the files they name. */
static void
kernel_note(const ib_plan *p, const char *name, bool expl)
{
	const ib_menu_entry *e = ib_plan_entry(p);
	char line[512];
	ib_kernel_info ki;
	ib_err err;

	if (e == NULL || ib_plan_kernel_info(p, -1, &ki, &err) == -1)
		return;
	ib_kernel_describe(&ki, e->kernel, line, sizeof(line));
	if (!ib_kernel_maybe_linux(&ki))
		cli_warn(name, "%s: %s", e->kernel, line);
	else if (expl)
		fprintf(stderr, "%s: %s is %s\n", cli_progname(), e->kernel,
		    line);
}

static void
explain(const ib_menu *m)
{
	size_t i;

	for (i = 0; i < ib_menu_nnotes(m); i++)
		fprintf(stderr, "%s: %s\n", cli_progname(), ib_menu_note(m, i));
}

int
main(int argc, char **argv)
{
	const ib_menu_entry *e;
	struct edits ed;
	const char *root, *label, *format, *name, *platform;
	const char *iso_path;
	const ib_menu *m;
	ib_plan *p;
	ib_err err;
	char *args, *out;
	bool list, kernel, initrd, expl, timeout_action;
	int ch, status;

	cli_init(argv[0]);
	memset(&ed, 0, sizeof(ed));
	ed.ce.append = ed.append;
	ed.ce.remove = ed.remove;
	ed.ce.serial_dev = ed.serial_dev;
	root = label = iso_path = NULL;
	platform = "bios";
	format = "plain";
	list = kernel = initrd = expl = timeout_action = false;
	opterr = 0;
	while (
	    (ch = getopt_long(argc, argv, "hi:l:r:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage, stdout);
			fputs(help, stdout);
			return cli_close_stdout();
		case 'i':
			iso_path = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case OPT_APPEND:
			if (ed.ce.nappend == 64)
				cli_usage_error(usage, "too many --append");
			ed.append[ed.ce.nappend++] = optarg;
			break;
		case OPT_EXPLAIN:
			expl = true;
			break;
		case OPT_FORMAT:
			format = cli_opt_format(usage, optarg);
			break;
		case OPT_INITRD:
			initrd = true;
			break;
		case OPT_KERNEL:
			kernel = true;
			break;
		case OPT_LIST:
			list = true;
			break;
		case OPT_PLATFORM:
			platform = cli_opt_platform(usage, optarg);
			break;
		case OPT_REMOVE:
			if (ed.ce.nremove == 64)
				cli_usage_error(usage, "too many --remove");
			ed.remove[ed.ce.nremove++] = optarg;
			break;
		case OPT_SERIAL:
			ed.ce.serial = true;
			if (optarg != NULL &&
			    ib_cmdline_serial_parse(optarg, ed.serial_dev,
			        sizeof(ed.serial_dev), &ed.ce.serial_speed,
			        &err) == -1)
				cli_usage_error(usage, "--serial: %s", err.msg);
			break;
		case OPT_TIMEOUT_ACTION:
			timeout_action = true;
			break;
		case OPT_VERSION:
			cli_version();
			return cli_close_stdout();
		default:
			cli_usage_error(usage,
			    "unknown option or missing argument: '%s'",
			    argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		cli_usage_error(usage, "one CONFIG at most");
	if (argc == 0 && root == NULL && iso_path == NULL)
		cli_usage_error(usage, "no CONFIG, -i ISO or -r DIR");
	if (timeout_action && label != NULL)
		cli_usage_error(usage,
		    "--timeout-action and -l exclude each "
		    "other");
	if (iso_path != NULL && (root != NULL || argc > 0))
		cli_usage_error(usage, "-i ISO goes alone");

	ib_err_clear(&err);
	/* What names the files: -i ISO, -r DIR, else the config's
	 * directory. */
	if (iso_path != NULL) {
		name = iso_path;
		p = ib_plan_open(iso_path, platform, &err);
	} else if (root != NULL) {
		name = root;
		p = ib_plan_open_tree(root, argc == 1 ? argv[0] : NULL,
		    platform, &err);
	} else if (strcmp(argv[0], "-") == 0) {
		name = "-";
		p = ib_plan_open_config(name, STDIN_FILENO, platform, &err);
	} else {
		name = argv[0];
		p = ib_plan_open_config(name, -1, platform, &err);
	}
	if (p == NULL) {
		cli_warn_err(name, &err);
		return IB_EXIT_FAIL;
	}
	m = ib_plan_menu(p);
	if (expl)
		explain(m);
	status = IB_EXIT_OK;
	if (list && strcmp(format, "json") != 0) {
		print_list(m);
		ib_plan_close(p);
		return cli_close_stdout();
	}
	if (strcmp(format, "json") == 0) {
		/* json shows whatever is there, Linux or not */
		e = label != NULL ? ib_menu_find(m, label) : ib_menu_default(m);
		if (e != NULL && e->kind == IB_KIND_LINUX)
			ib_plan_choose(p, label, false, &err);
	} else {
		e = ib_plan_choose(p, label, timeout_action, &err);
		if (e == NULL) {
			cli_warn_err(name, &err);
			ib_plan_close(p);
			return IB_EXIT_FAIL;
		}
	}
	args = NULL;
	if (e != NULL) {
		args = ib_cmdline_edit_new(e->args, &ed.ce, &err);
		if (args == NULL) {
			cli_warn_err(name, &err);
			ib_plan_close(p);
			return IB_EXIT_FAIL;
		}
	}
	kernel_note(p, name, expl);
	out = NULL;
	if (strcmp(format, "json") == 0) {
		out = ib_menu_json_new(m, e, args, NULL, &err);
	} else if (kernel || initrd) {
		if (kernel)
			printf("%s\n", e->kernel);
		for (size_t i = 0; initrd && i < e->ninitrds; i++)
			printf("%s\n", e->initrds[i]);
	} else if (strcmp(format, "shell") == 0 ||
	    strcmp(format, "make") == 0) {
		out = ib_plan_assignments_new(p, NULL, args,
		    strcmp(format, "make") == 0, &err);
	} else {
		printf("%s\n", args);
		if (strlen(args) >= 2048)
			cli_warn(name,
			    "command line is %zu bytes: syslinux refuses 2048 "
			    "and more, hyperkit takes 2047",
			    strlen(args));
	}
	if (out != NULL) {
		fputs(out, stdout);
		free(out);
	} else if (strcmp(format, "plain") != 0) {
		cli_warn_err(name, &err);
		status = IB_EXIT_FAIL;
	}
	free(args);
	ib_plan_close(p);
	if (status != IB_EXIT_OK)
		return status;
	return cli_close_stdout();
}
