/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "disk_size.h"
#include "place.h"
#include "strbuf.h"

static const char *progname = "isoboot";

void
cli_init(const char *argv0)
{
	const char *s;

	if (argv0 == NULL || argv0[0] == '\0')
		return;
	s = strrchr(argv0, '/');
	progname = s != NULL ? s + 1 : argv0;
}

const char *
cli_progname(void)
{
	return progname;
}

void
cli_warn(const char *file, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	if (file != NULL)
		fprintf(stderr, "%s: %s: ", progname, file);
	else
		fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_warn_err(const char *file, const ib_err *err)
{
	cli_warn(file, "%s", ib_err_text(err));
}

void
cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	exit(IB_EXIT_USAGE);
}

void
cli_bad_option(const char *usage, char **argv)
{
	if (optopt != 0 && optopt < 256)
		cli_usage_error(usage,
		    "unknown option, or no argument for it: '-%c'", optopt);
	cli_usage_error(usage, "unknown option, or no argument for it: '%s'",
	    argv[optind - 1]);
}

void
cli_version(void)
{
	printf("%s %s\n", progname, IB_VERSION);
}

void
cli_put_name(FILE *f, const char *s)
{
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\%03o", c);
		else
			putc(c, f);
	}
}

void
cli_put_json(FILE *f, const char *s)
{
	ib_strbuf b = { 0 };
	ib_err err;

	if (ib_strbuf_add_json(&b, s, &err) == 0)
		fputs(b.s, f);
	else
		fputs("null", f); /* out of memory */
	ib_strbuf_release(&b);
}

volatile sig_atomic_t cli_caught;

static void
on_signal(int sig)
{
	cli_caught = sig;
}

void
cli_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGXFSZ, SIG_IGN);
}

void
cli_reraise(void)
{
	if (cli_caught == 0)
		return;
	signal(cli_caught, SIG_DFL);
	raise(cli_caught);
}

int
cli_open_dir(const char *dir)
{
	ib_err err;
	int fd;

	fd = ib_place_dir(dir, &err);
	if (fd == -1)
		cli_warn(NULL, "%s", ib_err_text(&err));
	return fd;
}

int
cli_close_stdout(void)
{
	int bad;

	bad = ferror(stdout) != 0;
	if (fclose(stdout) != 0)
		bad = 1;
	if (bad) {
		cli_warn(NULL, "write error on standard output: %s",
		    strerror(errno != 0 ? errno : EIO));
		return IB_EXIT_FAIL;
	}
	return IB_EXIT_OK;
}

ib_target
cli_opt_target(const char *usage, const char *s)
{
	int t = ib_vm_target_parse(s);

	if (t == -1)
		cli_usage_error(usage,
		    "--target: '%s' is not hyperkit, xhyve, vfkit or qemu", s);
	return (ib_target)t;
}

ib_net
cli_opt_net(const char *usage, const char *s)
{
	int n = ib_vm_net_parse(s);

	if (n == -1)
		cli_usage_error(usage,
		    "--net: '%s' is not vpnkit, vmnet, user or none", s);
	return (ib_net)n;
}

uint64_t
cli_opt_memory(const char *usage, const char *s)
{
	uint64_t v;
	ib_err err;

	if (ib_vm_mem_parse(s, &v, &err) == -1)
		cli_usage_error(usage, "--memory: %s", ib_err_text(&err));
	return v;
}

unsigned
cli_opt_cpus(const char *usage, const char *s)
{
	unsigned n;
	ib_err err;

	if (ib_vm_cpus_parse(s, &n, &err) == -1)
		cli_usage_error(usage, "--cpus: %s", ib_err_text(&err));
	return n;
}

uint64_t
cli_opt_size(const char *usage, const char *opt, const char *s)
{
	uint64_t v;
	ib_err err;

	if (ib_disk_size_parse(s, &v, &err) == -1)
		cli_usage_error(usage, "%s: %s", opt, ib_err_text(&err));
	return v;
}

const char *
cli_opt_format(const char *usage, const char *s)
{
	if (strcmp(s, "plain") != 0 && strcmp(s, "shell") != 0 &&
	    strcmp(s, "make") != 0 && strcmp(s, "json") != 0)
		cli_usage_error(usage,
		    "--format: '%s' is not plain, shell, make or json", s);
	return s;
}

const char *
cli_opt_platform(const char *usage, const char *s)
{
	if (strcmp(s, "bios") != 0 && strcmp(s, "efi") != 0)
		cli_usage_error(usage, "--platform: '%s' is not bios or efi",
		    s);
	return s;
}

bool
cli_vm_option(ib_vm *vm, const char **platform, int ch, const char *arg,
    const char *usage)
{
	switch (ch) {
	case 'c':
		vm->cpus = cli_opt_cpus(usage, arg);
		return true;
	case 'm':
		vm->mem = cli_opt_memory(usage, arg);
		return true;
	case 't':
		vm->target = cli_opt_target(usage, arg);
		return true;
	case CLI_OPT_ACCEL:
		vm->accel = arg;
		return true;
	case CLI_OPT_ARGV0:
		vm->argv0 = arg;
		return true;
	case CLI_OPT_BOOTROM:
		vm->bootrom = arg;
		return true;
	case CLI_OPT_FIRMWARE:
		if (ib_vm_firmware_parse(arg) == -1)
			cli_usage_error(usage,
			    "--firmware: '%s' is not kexec or efi", arg);
		vm->firmware = (ib_fw)ib_vm_firmware_parse(arg);
		return true;
	case CLI_OPT_NET:
		vm->net = cli_opt_net(usage, arg);
		return true;
	case CLI_OPT_PLATFORM:
		*platform = cli_opt_platform(usage, arg);
		return true;
	default:
		return false;
	}
}

void
cli_vm_firmware_check(const ib_vm *vm, const char *usage)
{
	const char *t = ib_vm_target_name(vm->target);

	if (vm->bootrom != NULL && vm->firmware != IB_FW_EFI)
		cli_usage_error(usage,
		    "--bootrom is UEFI firmware's: add --firmware efi");
	if (vm->firmware != IB_FW_EFI)
		return;
	if ((vm->target == IB_TARGET_HYPERKIT ||
	        vm->target == IB_TARGET_XHYVE) &&
	    vm->bootrom == NULL)
		cli_usage_error(usage,
		    "--firmware efi: %s has no UEFI firmware of its own: name "
		    "a bhyve UEFI ROM with --bootrom",
		    t);
	if (vm->target == IB_TARGET_VFKIT && vm->bootrom != NULL)
		cli_usage_error(usage,
		    "--bootrom: vfkit's UEFI firmware is the Virtualization "
		    "framework's own");
}
