/*
 * cli: what the tools share and the library must not do: the program
 * name, diagnostics on stderr, exit codes, --version, and closing stdout
 * with a check. Tool-side only: it may print and exit.
 */
#ifndef IB_CLI_H
#define IB_CLI_H

#include <signal.h>
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

/* --platform: "bios" or "efi" (s itself), or a usage error. */
const char *cli_opt_platform(const char *usage, const char *s);

#endif
