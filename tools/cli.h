/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli: what the tools share and the library must not do: the program
 * name, diagnostics on stderr, exit codes, --version, and closing stdout
 * with a check. Tool-side only: it may print and exit.
 */
#ifndef IB_CLI_H
#define IB_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "errors.h"
#include "vm.h"

#define IB_EXIT_OK    0
#define IB_EXIT_FAIL  1
#define IB_EXIT_USAGE 2

#if defined(__GNUC__) || defined(__clang__)
#define IB_NORETURN __attribute__((noreturn))
#else
#define IB_NORETURN
#endif

/*
 * The VM options isoboot and isoboot-cmd share: their long options (past
 * every tool's own OPT_* values), their help lines, and their parser.
 */
enum {
	CLI_OPT_ACCEL = 512,
	CLI_OPT_ARGV0,
	CLI_OPT_BOOTROM,
	CLI_OPT_FIRMWARE,
	CLI_OPT_NET,
	CLI_OPT_PLATFORM
};

/* clang-format off */
#define CLI_VM_LONGOPTS \
	{ "accel", required_argument, NULL, CLI_OPT_ACCEL }, \
	{ "argv0", required_argument, NULL, CLI_OPT_ARGV0 }, \
	{ "bootrom", required_argument, NULL, CLI_OPT_BOOTROM }, \
	{ "cpus", required_argument, NULL, 'c' }, \
	{ "firmware", required_argument, NULL, CLI_OPT_FIRMWARE }, \
	{ "memory", required_argument, NULL, 'm' }, \
	{ "net", required_argument, NULL, CLI_OPT_NET }, \
	{ "platform", required_argument, NULL, CLI_OPT_PLATFORM }, \
	{ "target", required_argument, NULL, 't' },
/* clang-format on */

#define CLI_VM_HELP                                                             \
	"  -t, --target T        hyperkit, xhyve, vfkit or qemu (default: "     \
	"hyperkit\n"                                                            \
	"                        on macOS x86_64, vfkit on Apple Silicon, "     \
	"qemu\n"                                                                \
	"                        elsewhere)\n"                                  \
	"      --platform P      with an ISO: bios (default) or efi, the boot " \
	"config read\n"                                                         \
	"  -m, --memory SIZE     guest memory (default 1g, more for a big "     \
	"initrd)\n"                                                             \
	"  -c, --cpus N          virtual CPUs (default 1)\n"                    \
	"      --net N           vpnkit, vmnet, user or none (default)\n"       \
	"      --argv0 PATH      the hypervisor binary\n"                       \
	"      --accel A         qemu's accelerators (default kvm:tcg, or "     \
	"hvf:tcg)\n"                                                            \
	"      --firmware F      kexec (default: the kernel loaded directly) "  \
	"or efi\n"                                                              \
	"                        (UEFI firmware boots the disk's own loader)\n" \
	"      --bootrom FILE    efi: the firmware (qemu's code file, found "   \
	"beside\n"                                                              \
	"                        qemu or in /usr/share/OVMF when not given; "   \
	"hyperkit's\n"                                                          \
	"                        and xhyve's bhyve ROM, required)\n"

/* Option ch of CLI_VM_LONGOPTS, with its argument arg, into vm (and
 * --platform into *platform); a usage error for a bad value. Returns
 * false when ch is not one of them. */
bool cli_vm_option(ib_vm *vm, const char **platform, int ch, const char *arg,
    const char *usage);

/* Set the program name used in messages (basename of argv0). */
void cli_init(const char *argv0);

const char *cli_progname(void);

/* "prog: file: message\n" on stderr; file may be NULL. */
void cli_warn(const char *file, const char *fmt, ...) IB_PRINTF(2, 3);

/* cli_warn() with the text of an ib_err. */
void cli_warn_err(const char *file, const ib_err *err);

/* "prog: message", the usage text, and exit 2. */
IB_NORETURN void cli_usage_error(const char *usage, const char *fmt, ...)
    IB_PRINTF(2, 3);

/* After getopt_long() returned '?': name the option it did not take
 * (unknown, or missing its argument), the usage text, and exit 2. */
IB_NORETURN void cli_bad_option(const char *usage, char **argv);

/* Print "prog VERSION" to stdout. */
void cli_version(void);

/* Write s as a listing name: control bytes and backslash escaped
 * (\\, \n, \t, \ooo) so that one line is one name. */
void cli_put_name(FILE *f, const char *s);

/* Write s as a JSON string (with quotes). */
void cli_put_json(FILE *f, const char *s);

/* The signal that asked us to stop (SIGINT, SIGTERM, SIGHUP, SIGPIPE),
 * or 0; the library's cancel flag. */
extern volatile sig_atomic_t cli_caught;

/* Catch those signals into cli_caught, without SA_RESTART (a blocked
 * write returns EINTR), and ignore SIGXFSZ (a write past RLIMIT_FSIZE
 * fails with EFBIG instead of killing us before we clean up). */
void cli_catch_signals(void);

/* Die of the signal caught, once the library has cleaned up. */
void cli_reraise(void);

/* Open the directory dir, making it (one level) when it is missing.
 * Returns the fd, or -1 after a message naming dir. */
int cli_open_dir(const char *dir);

/* Flush and close stdout; on failure print an error and return 1. */
int cli_close_stdout(void);

/*
 * The values of the VM options isoboot and isoboot-cmd share (-t, --net,
 * -m, -c, and sizes such as --disk-size): parsed, or a usage error naming
 * the option (exit 2).
 */
ib_target cli_opt_target(const char *usage, const char *s);
ib_net cli_opt_net(const char *usage, const char *s);
uint64_t cli_opt_memory(const char *usage, const char *s);
unsigned cli_opt_cpus(const char *usage, const char *s);
uint64_t cli_opt_size(const char *usage, const char *opt, const char *s);

/* --format: plain, shell, make or json (s itself), or a usage error. */
const char *cli_opt_format(const char *usage, const char *s);

/* --platform: "bios" or "efi" (s itself), or a usage error. */
const char *cli_opt_platform(const char *usage, const char *s);

/* After the options: the usage errors of --firmware and --bootrom
 * (--bootrom without --firmware efi; hyperkit and xhyve without it,
 * vfkit with it). */
void cli_vm_firmware_check(const ib_vm *vm, const char *usage);

#endif
