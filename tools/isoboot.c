/* SPDX-License-Identifier: GPL-3.0-or-later */
/* isoboot: from a Linux ISO to a directory that boots it, in one step. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "disk_size.h"
#include "progress.h"
#include "recipe.h"
#include "vm.h"

#ifndef IB_DATADIR
#define IB_DATADIR "/usr/local/share"
#endif

static const char usage[] = "usage: isoboot [options] ISO\n"
                            "       isoboot --mk-path\n";

static const char help[] =
    "Prepare a directory that boots the Linux of ISO in a VM: its kernel\n"
    "and initrds, the command line for a serial console, a disk, a run\n"
    "script and boot.json (the decisions). A second run changes only what\n"
    "its inputs changed. With --firmware efi, UEFI firmware boots the\n"
    "image's own loader instead: nothing is extracted. A disk image (a\n"
    "cloud image) gets DIR/seed.iso, cloud-init's NoCloud seed, with\n"
    "your user and SSH public key, as a second CD.\n"
    "\n"
    "  -o, --output DIR      the directory (default: ./ISO-NAME, without "
    ".iso)\n"
    "  -l, --label L         the entry L, not the default\n" CLI_VM_HELP
    "      --disk-size SIZE  the size of a new DIR/disk.img (default 8g;\n"
    "                        an existing one is never changed)\n"
    "      --no-disk         no disk image\n"
    "      --hostname NAME   the seed's hostname (default: DIR's name)\n"
    "      --no-seed         no cloud-init seed for a disk image\n"
    "      --seed            a cloud-init seed for an ISO too\n"
    "      --ssh-key FILE    the seed's public key (default: the first of\n"
    "                        ~/.ssh/id_ed25519.pub, ~/.ssh/id_rsa.pub)\n"
    "      --user NAME       the seed's account (default: yours)\n"
    "      --user-data FILE  your own cloud-config or #! script, added to\n"
    "                        the seed's\n"
    "      --json            print boot.json instead of the summary\n"
    "  -q, --quiet           no summary and no progress\n"
    "      --run             then start the VM (exec DIR/run)\n"
    "      --mk-path         print where isoboot.mk is, for make's include\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

enum {
	OPT_DISK_SIZE = 256,
	OPT_HOSTNAME,
	OPT_JSON,
	OPT_MK_PATH,
	OPT_NO_DISK,
	OPT_NO_SEED,
	OPT_RUN,
	OPT_SEED,
	OPT_SSH_KEY,
	OPT_USER,
	OPT_USER_DATA,
	OPT_VERSION
};

static const struct option longopts[] = {
	CLI_VM_LONGOPTS{ "disk-size", required_argument, NULL, OPT_DISK_SIZE },
	{ "help", no_argument, NULL, 'h' },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "label", required_argument, NULL, 'l' },
	{ "mk-path", no_argument, NULL, OPT_MK_PATH },
	{ "no-disk", no_argument, NULL, OPT_NO_DISK },
	{ "no-seed", no_argument, NULL, OPT_NO_SEED },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "run", no_argument, NULL, OPT_RUN },
	{ "seed", no_argument, NULL, OPT_SEED },
	{ "ssh-key", required_argument, NULL, OPT_SSH_KEY },
	{ "user", required_argument, NULL, OPT_USER },
	{ "user-data", required_argument, NULL, OPT_USER_DATA },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	ib_recipe_opts r;
	const char *out;
	bool quiet, json, run, mk_path, disk_size_given;
	bool key_default; /* seed_key is ~/.ssh's, not --ssh-key */
	char *key_owned;
};

static void
parse_args(int argc, char **argv, struct opts *o)
{
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:hl:m:o:qt:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'h':
			fputs(usage, stdout);
			fputs(help, stdout);
			exit(cli_close_stdout());
		case 'l':
			o->r.label = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_DISK_SIZE:
			o->r.disk_size =
			    cli_opt_size(usage, "--disk-size", optarg);
			o->disk_size_given = true;
			break;
		case OPT_HOSTNAME:
			o->r.seed_hostname = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_MK_PATH:
			o->mk_path = true;
			break;
		case OPT_NO_DISK:
			o->r.disk_size = 0;
			break;
		case OPT_NO_SEED:
			o->r.seed = IB_RECIPE_SEED_OFF;
			break;
		case OPT_RUN:
			o->run = true;
			break;
		case OPT_SEED:
			o->r.seed = IB_RECIPE_SEED_ON;
			break;
		case OPT_SSH_KEY:
			o->r.seed_key = optarg;
			break;
		case OPT_USER:
			o->r.seed_user = optarg;
			break;
		case OPT_USER_DATA:
			o->r.seed_user_data = optarg;
			break;
		case OPT_VERSION:
			cli_version();
			exit(cli_close_stdout());
		default:
			if (!cli_vm_option(&o->r.vm, &o->r.platform, ch, optarg,
			        usage))
				cli_bad_option(usage, argv);
		}
	}
	if (o->mk_path) {
		if (optind != argc)
			cli_usage_error(usage, "--mk-path takes no ISO");
		return;
	}
	if (optind == argc)
		cli_usage_error(usage, "no ISO");
	if (argc - optind > 1)
		cli_usage_error(usage, "one ISO at a time");
	o->r.iso = argv[optind];
	if (o->json && o->quiet)
		cli_usage_error(usage, "--json and --quiet: choose one");
	cli_vm_firmware_check(&o->r.vm, usage);
	if (o->r.seed == IB_RECIPE_SEED_OFF &&
	    (o->r.seed_key != NULL || o->r.seed_user_data != NULL ||
	        o->r.seed_user != NULL || o->r.seed_hostname != NULL))
		cli_usage_error(usage,
		    "--no-seed with --ssh-key, --user, --user-data or "
		    "--hostname: choose");
	if (o->r.vm.firmware == IB_FW_EFI && o->r.label != NULL)
		cli_usage_error(usage,
		    "--label: with --firmware efi the image's loader boots "
		    "its own default");
}

static void
mib(char *buf, size_t n, uint64_t bytes)
{
	snprintf(buf, n, "%.1f MiB", (double)bytes / (1024.0 * 1024.0));
}

/* Another isoboot holds the directory: say so, then wait for it. */
static void
show_waiting(void *ctx, long pid)
{
	const char *dir = ctx;

	cli_warn(dir, "another isoboot (pid %ld) is writing it: waiting", pid);
}

/* The progress line: the file being written, how far it has come. */
static void
show_progress(void *ctx, const char *name, uint64_t done, uint64_t total,
    bool end)
{
	char q[256], a[32], b[32];

	(void)ctx;
	mib(a, sizeof(a), done);
	mib(b, sizeof(b), total);
	/* A name from the image: quoted, so it cannot drive the terminal. */
	fprintf(stderr, "\r\033[Kisoboot: extracting %s: %s / %s%s",
	    ib_quote(q, sizeof(q), name, strlen(name)), a, b, end ? "\n" : "");
	fflush(stderr);
}

static void
human(char *buf, size_t n, uint64_t bytes)
{
	if (bytes >= (UINT64_C(1) << 30) && bytes % (UINT64_C(1) << 30) == 0)
		snprintf(buf, n, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes >= 1024 * 1024)
		mib(buf, n, bytes);
	else if (bytes >= 1024)
		snprintf(buf, n, "%.1f KiB", (double)bytes / 1024.0);
	else
		snprintf(buf, n, "%llu bytes", (unsigned long long)bytes);
}

/*
 * The seed's defaults: the invoking user's name, and the first of
 * ~/.ssh/id_ed25519.pub and ~/.ssh/id_rsa.pub that exists.
 */
static void
seed_defaults(struct opts *o)
{
	static const char *const keys[] = { "id_ed25519.pub", "id_rsa.pub" };
	const struct passwd *pw;
	const char *home;
	struct stat st;
	size_t i, n;

	if (o->r.seed_user == NULL) {
		pw = getpwuid(getuid());
		o->r.seed_user = pw != NULL ? pw->pw_name : getenv("USER");
	}
	home = getenv("HOME");
	if (o->r.seed_key != NULL || o->r.seed == IB_RECIPE_SEED_OFF ||
	    home == NULL || home[0] == '\0')
		return;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		n = strlen(home) + strlen(keys[i]) + 7;
		o->key_owned = malloc(n);
		if (o->key_owned == NULL)
			return;
		snprintf(o->key_owned, n, "%s/.ssh/%s", home, keys[i]);
		if (stat(o->key_owned, &st) == 0) {
			o->r.seed_key = o->key_owned;
			o->key_default = true;
			return;
		}
		free(o->key_owned);
		o->key_owned = NULL;
	}
}

/* The seed's line of the summary. */
static void
print_seed(const struct opts *o, const ib_recipe_result *r)
{
	char a[1024], b[1024], c[IB_MAX_PATH + 64];
	const char *host = o->r.seed_hostname;

	if (r->seed_nokey) {
		printf(
		    "  seed:    none: no SSH public key (~/.ssh/id_ed25519.pub "
		    "or id_rsa.pub): give --ssh-key FILE\n");
		return;
	}
	if (!r->seed)
		return;
	if (host == NULL) {
		host = strrchr(o->out, '/');
		host = host != NULL && host[1] != '\0' ? host + 1 : o->out;
	}
	printf("  seed:    user '%s', hostname '%s', ",
	    ib_quote(a, sizeof(a), o->r.seed_user, strlen(o->r.seed_user)),
	    ib_quote(b, sizeof(b), host, strlen(host)));
	if (o->r.seed_key != NULL)
		printf("key %s%s",
		    ib_quote(c, sizeof(c), o->r.seed_key,
		        strlen(o->r.seed_key)),
		    o->key_default ? " (the default)" : "");
	else
		printf("no key");
	if (o->r.seed_user_data != NULL)
		printf(", user-data %s",
		    ib_quote(c, sizeof(c), o->r.seed_user_data,
		        strlen(o->r.seed_user_data)));
	putchar('\n');
}

/*
 * What was decided and made. Every string that comes from the image
 * (label, config, notes, names, the command line) is quoted, so that it
 * cannot drive the terminal.
 */
static void
print_summary(const struct opts *o, const ib_recipe_result *r)
{
	const ib_recipe_output *out;
	const char *line, *nl;
	char size[32], a[8192], b[1024];
	size_t i, w;

	if (r->efi) {
		printf("%s: UEFI firmware boots the image's own loader\n",
		    o->r.iso);
		printf("  firmware: %s\n",
		    r->firmware != NULL ? ib_quote(a, sizeof(a), r->firmware,
		                              strlen(r->firmware)) :
		                          "the Virtualization framework's own");
	}
	if (r->menu_error != NULL)
		printf("  menu:    not read: %s\n",
		    ib_quote(a, sizeof(a), r->menu_error,
		        strlen(r->menu_error)));
	else
		printf("%s%s: entry '%s' of %s\n", r->efi ? "  menu:    " : "",
		    r->efi ? "the loader's default" : o->r.iso,
		    ib_quote(a, sizeof(a), r->label, strlen(r->label)),
		    ib_quote(b, sizeof(b), r->config, strlen(r->config)));
	for (line = r->why; *line != '\0'; line = *nl != '\0' ? nl + 1 : nl) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		printf("  why:     %s\n",
		    ib_quote(a, sizeof(a), line, (size_t)(nl - line)));
	}
	if (r->kernel != NULL)
		printf("  kernel:  %s\n",
		    ib_quote(a, sizeof(a), r->kernel, strlen(r->kernel)));
	if (r->cmdline != NULL)
		printf("  cmdline: %s\n",
		    ib_quote(a, sizeof(a), r->cmdline, strlen(r->cmdline)));
	/* The name column as wide as the longest name (kernels are named
	 * vmlinuz-6.1.0-57-amd64), at least 18. */
	w = 18;
	for (i = 0; i < r->noutputs; i++) {
		ib_quote(a, sizeof(a), r->outputs[i].name,
		    strlen(r->outputs[i].name));
		if (strlen(a) > w)
			w = strlen(a);
	}
	for (i = 0; i < r->noutputs; i++) {
		out = &r->outputs[i];
		human(size, sizeof(size), out->size);
		printf("  %-*s %-15s %-12s %s\n", (int)w,
		    ib_quote(a, sizeof(a), out->name, strlen(out->name)),
		    out->role, size,
		    out->written                               ? "written" :
		        strcmp(out->name, IB_RECIPE_DISK) == 0 ? "kept" :
		                                                 "unchanged");
	}
	print_seed(o, r);
	if (r->nwritten == 0)
		printf("%s: up to date, nothing changed\n", o->out);
	printf("start the VM: %s%s/%s\n", o->out[0] == '/' ? "" : "./", o->out,
	    IB_RECIPE_RUN);
	/* An installer ISO's next step: the system it installs. */
	if (!r->disk_image && o->r.disk_size != 0)
		printf("after installing to %s/%s: isoboot %s/%s -o %s\n",
		    o->out, IB_RECIPE_DISK, o->out, IB_RECIPE_DISK, o->out);
}

/* What the user should know although nothing failed. */
static void
warn_result(const struct opts *o, const ib_recipe_result *r)
{
	char has[32], asked[32];

	if (r->kernel != NULL && !r->maybe_linux)
		cli_warn(o->r.iso, "the entry's kernel may not be Linux: %s",
		    r->kernel);
	if (o->disk_size_given && !r->disk.created &&
	    r->disk.size != o->r.disk_size) {
		human(has, sizeof(has), r->disk.size);
		human(asked, sizeof(asked), o->r.disk_size);
		cli_warn(o->out,
		    "%s is %s, not the %s of --disk-size: kept as it is (it "
		    "is never changed; remove it to make a new one)",
		    IB_RECIPE_DISK, has, asked);
	}
}

int
main(int argc, char **argv)
{
	char run[PATH_MAX + 8], *owned, *mk;
	ib_progress *prog;
	ib_recipe_result r;
	struct opts o;
	ib_err err;
	bool found;
	int rc;

	cli_init(argv[0]);
	memset(&o, 0, sizeof(o));
	o.r.vm.target = ib_vm_target_host(&o.r.vm.macos, &o.r.vm.arm64);
	o.r.disk_size = UINT64_C(8) << 30;
	parse_args(argc, argv, &o);
	if (o.mk_path) {
		mk = ib_recipe_mk_path_new(argv[0], getenv("ISOBOOT_MK"),
		    getenv("PATH"), IB_DATADIR, &found);
		if (mk != NULL)
			puts(mk);
		if (mk != NULL && !found)
			cli_warn(mk, "%s (is isoboot installed? make install)",
			    strerror(ENOENT));
		rc = mk == NULL || !found;
		free(mk);
		return cli_close_stdout() != 0 || rc != 0 ? IB_EXIT_FAIL :
		                                            IB_EXIT_OK;
	}
	owned = NULL;
	if (o.out == NULL) {
		owned = ib_recipe_dir_new(o.r.iso);
		if (owned == NULL)
			cli_usage_error(usage,
			    "%s: no directory name in it: give -o DIR",
			    o.r.iso);
		o.out = owned;
	}
	o.r.dir = o.out;
	seed_defaults(&o);
	o.r.path = getenv("PATH");
	o.r.cancel = &cli_caught;
	o.r.waiting = show_waiting;
	o.r.waiting_ctx = (void *)(uintptr_t)o.out;
	cli_catch_signals();
	prog = !o.quiet && isatty(STDERR_FILENO) ?
	    ib_progress_start(show_progress, NULL, &err) :
	    NULL;
	if (prog != NULL) {
		o.r.progress = ib_progress_hook;
		o.r.progress_ctx = prog;
	}
	rc = ib_recipe_run(&o.r, &r, &err);
	ib_progress_stop(prog);
	if (rc == -1) {
		if (err.code != IB_EINTR)
			cli_warn(NULL, "%s%s", ib_err_text(&err),
			    r.dir_failed && owned != NULL ?
			        " (the default output directory, named after "
			        "the image: choose another with -o DIR)" :
			        "");
		ib_recipe_result_free(&r);
		free(owned);
		free(o.key_owned);
		cli_reraise();
		return IB_EXIT_FAIL;
	}
	warn_result(&o, &r);
	if (o.json)
		fputs(r.json, stdout);
	else if (!o.quiet)
		print_summary(&o, &r);
	ib_recipe_result_free(&r);
	if (o.run) {
		snprintf(run, sizeof(run), "%s/%s", o.out, IB_RECIPE_RUN);
		fflush(stdout);
		free(owned);
		free(o.key_owned);
		execl(run, run, (char *)NULL);
		cli_warn(run, "%s", strerror(errno));
		return IB_EXIT_FAIL;
	}
	free(owned);
	free(o.key_owned);
	return cli_close_stdout();
}
