/* isoboot: from a Linux ISO to a directory that boots it, in one step. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "disk_size.h"
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
    "its inputs changed.\n"
    "\n"
    "  -o, --output DIR      the directory (default: ./ISO-NAME, without "
    ".iso)\n"
    "  -l, --label L         the entry L, not the default\n" CLI_VM_HELP
    "      --disk-size SIZE  the size of a new DIR/disk.img (default 8g;\n"
    "                        an existing one is never changed)\n"
    "      --no-disk         no disk image\n"
    "      --json            print boot.json instead of the summary\n"
    "  -q, --quiet           no summary and no progress\n"
    "      --run             then start the VM (exec DIR/run)\n"
    "      --mk-path         print where isoboot.mk is, for make's include\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

enum {
	OPT_DISK_SIZE = 256,
	OPT_JSON,
	OPT_MK_PATH,
	OPT_NO_DISK,
	OPT_RUN,
	OPT_VERSION
};

static const struct option longopts[] = {
	CLI_VM_LONGOPTS{ "disk-size", required_argument, NULL, OPT_DISK_SIZE },
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "label", required_argument, NULL, 'l' },
	{ "mk-path", no_argument, NULL, OPT_MK_PATH },
	{ "no-disk", no_argument, NULL, OPT_NO_DISK },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "run", no_argument, NULL, OPT_RUN },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	ib_recipe_opts r;
	const char *out;
	bool quiet, json, run, mk_path, disk_size_given;
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
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_MK_PATH:
			o->mk_path = true;
			break;
		case OPT_NO_DISK:
			o->r.disk_size = 0;
			break;
		case OPT_RUN:
			o->run = true;
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
}

/*
 * Where isoboot.mk is: $ISOBOOT_MK; else share/isoboot/isoboot.mk beside
 * the bin directory this program runs from (an installed tree, Homebrew's
 * cellar, the build tree); else the prefix it was built for.
 */
static int
print_mk_path(const char *argv0)
{
	char self[PATH_MAX], *real, *slash;
	const char *env, *path, *p, *colon;
	struct stat st;
	size_t n;

	env = getenv("ISOBOOT_MK");
	if (env != NULL && env[0] != '\0') {
		puts(env);
		return 0;
	}
	real = NULL;
	if (strchr(argv0, '/') != NULL) {
		real = realpath(argv0, NULL);
	} else if ((path = getenv("PATH")) != NULL) {
		for (p = path; real == NULL && *p != '\0'; p = colon + 1) {
			colon = strchr(p, ':');
			if (colon == NULL)
				colon = p + strlen(p);
			n = (size_t)(colon - p);
			if (snprintf(self, sizeof(self), "%.*s/%s", (int)n, p,
			        argv0) < (int)sizeof(self) &&
			    access(self, X_OK) == 0)
				real = realpath(self, NULL);
			if (*colon == '\0')
				break;
		}
	}
	if (real != NULL && (slash = strrchr(real, '/')) != NULL) {
		*slash = '\0';
		snprintf(self, sizeof(self), "%s/../share/isoboot/isoboot.mk",
		    real);
		free(real);
		real = realpath(self, NULL);
		if (real != NULL && stat(real, &st) == 0) {
			puts(real);
			free(real);
			return 0;
		}
	}
	free(real);
	snprintf(self, sizeof(self), "%s/isoboot/isoboot.mk", IB_DATADIR);
	puts(self);
	if (stat(self, &st) == -1) {
		cli_warn(self, "%s (is isoboot installed? make install)",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The progress display: the library says which file it starts writing
 * (and its temporary); a thread shows that temporary's size as it grows,
 * five times a second, on one line of stderr.
 */
struct progress {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool started, active, stop;
	int dirfd;
	char tmp[256], name[256];
	uint64_t total;
};

static void
mib(char *buf, size_t n, uint64_t bytes)
{
	snprintf(buf, n, "%.1f MiB", (double)bytes / (1024.0 * 1024.0));
}

static void
show(struct progress *p, uint64_t done)
{
	char a[32], b[32];

	mib(a, sizeof(a), done);
	mib(b, sizeof(b), p->total);
	fprintf(stderr, "\r\033[Kisoboot: extracting %s: %s / %s", p->name, a,
	    b);
	fflush(stderr);
}

static void *
progress_main(void *arg)
{
	struct progress *p = arg;
	struct timespec ts;
	struct stat st;

	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		if (p->active && fstatat(p->dirfd, p->tmp, &st, 0) == 0)
			show(p, (uint64_t)st.st_size);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200 * 1000 * 1000;
		if (ts.tv_nsec >= 1000 * 1000 * 1000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&p->cv, &p->mu, &ts);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void
progress_cb(void *ctx, const char *path, int dirfd, const char *tmp,
    uint64_t total)
{
	struct progress *p = ctx;
	const char *base;

	pthread_mutex_lock(&p->mu);
	if (tmp != NULL) {
		/* A name from the image: quoted, so it cannot drive the
		 * terminal. */
		base = strrchr(path, '/');
		base = base != NULL ? base + 1 : path;
		ib_quote(p->name, sizeof(p->name), base, strlen(base));
		snprintf(p->tmp, sizeof(p->tmp), "%s", tmp);
		p->total = total;
		p->dirfd = dirfd;
		p->active = true;
		show(p, 0);
	} else {
		p->active = false;
		show(p, total);
		fputc('\n', stderr);
	}
	pthread_mutex_unlock(&p->mu);
}

static void
progress_start(struct progress *p)
{
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->started = pthread_create(&p->thread, NULL, progress_main, p) == 0;
}

static void
progress_end(struct progress *p)
{
	if (!p->started)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
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
	size_t i;

	printf("%s: entry '%s' of %s\n", o->r.iso,
	    ib_quote(a, sizeof(a), r->label, strlen(r->label)),
	    ib_quote(b, sizeof(b), r->config, strlen(r->config)));
	for (line = r->why; *line != '\0'; line = *nl != '\0' ? nl + 1 : nl) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		printf("  why:     %s\n",
		    ib_quote(a, sizeof(a), line, (size_t)(nl - line)));
	}
	printf("  kernel:  %s\n",
	    ib_quote(a, sizeof(a), r->kernel, strlen(r->kernel)));
	printf("  cmdline: %s\n",
	    ib_quote(a, sizeof(a), r->cmdline, strlen(r->cmdline)));
	for (i = 0; i < r->noutputs; i++) {
		out = &r->outputs[i];
		human(size, sizeof(size), out->size);
		printf("  %-18s %-15s %-12s %s\n",
		    ib_quote(a, sizeof(a), out->name, strlen(out->name)),
		    out->role, size,
		    out->written                               ? "written" :
		        strcmp(out->name, IB_RECIPE_DISK) == 0 ? "kept" :
		                                                 "unchanged");
	}
	if (r->nwritten == 0)
		printf("%s: up to date, nothing changed\n", o->out);
	printf("start the VM: %s%s/%s\n", o->out[0] == '/' ? "" : "./", o->out,
	    IB_RECIPE_RUN);
}

/* What the user should know although nothing failed. */
static void
warn_result(const struct opts *o, const ib_recipe_result *r)
{
	char has[32], asked[32];

	if (!r->maybe_linux)
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

/* NAME for an image NAME.iso; NAME.vm for one named otherwise, which
 * must not be the directory's own name. */
static char *
default_dir(const char *iso)
{
	const char *base;
	char *name, *vm;
	size_t n;

	name = ib_vm_prep_name(iso);
	if (name == NULL || name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0) {
		free(name);
		return NULL;
	}
	base = strrchr(iso, '/');
	base = base != NULL ? base + 1 : iso;
	if (strcmp(name, base) != 0)
		return name;
	n = strlen(name) + 4;
	vm = malloc(n);
	if (vm != NULL)
		snprintf(vm, n, "%s.vm", name);
	free(name);
	return vm;
}

int
main(int argc, char **argv)
{
	char dir[PATH_MAX], run[PATH_MAX + 8], *owned, *real;
	struct progress prog;
	ib_recipe_result r;
	struct stat st;
	struct opts o;
	ib_err err;
	bool show_progress, made;
	int dirfd, rc;

	cli_init(argv[0]);
	memset(&o, 0, sizeof(o));
	o.r.vm.target = ib_vm_target_host(&o.r.vm.macos, &o.r.vm.arm64);
	o.r.disk_size = UINT64_C(8) << 30;
	parse_args(argc, argv, &o);
	if (o.mk_path) {
		rc = print_mk_path(argv[0]);
		return cli_close_stdout() != 0 || rc != 0 ? IB_EXIT_FAIL :
		                                            IB_EXIT_OK;
	}
	owned = NULL;
	if (o.out == NULL) {
		owned = default_dir(o.r.iso);
		if (owned == NULL)
			cli_usage_error(usage,
			    "%s: no directory name in it: give -o DIR",
			    o.r.iso);
		o.out = owned;
	}
	/* A mistyped ISO must not leave a directory behind. */
	if (stat(o.r.iso, &st) == -1) {
		cli_warn(o.r.iso, "%s", strerror(errno));
		return IB_EXIT_FAIL;
	}
	made = stat(o.out, &st) == -1 && errno == ENOENT;
	cli_catch_signals();
	dirfd = cli_open_dir(o.out);
	if (dirfd == -1)
		return IB_EXIT_FAIL;
	real = realpath(o.out, NULL);
	if (real == NULL || strlen(real) >= sizeof(dir)) {
		cli_warn(o.out, "%s",
		    strerror(real == NULL ? errno : ENAMETOOLONG));
		free(real);
		return IB_EXIT_FAIL;
	}
	snprintf(dir, sizeof(dir), "%s", real);
	free(real);
	o.r.dir = dir;
	o.r.dirfd = dirfd;
	o.r.cancel = &cli_caught;
	show_progress = !o.quiet && isatty(STDERR_FILENO);
	if (show_progress) {
		progress_start(&prog);
		if (prog.started) {
			o.r.progress = progress_cb;
			o.r.progress_ctx = &prog;
		}
	}
	rc = ib_recipe_run(&o.r, &r, &err);
	if (show_progress)
		progress_end(&prog);
	close(dirfd);
	if (rc == -1) {
		if (err.code != IB_EINTR)
			cli_warn(NULL, "%s", ib_err_text(&err));
		if (made)
			rmdir(o.out); /* only if it is still empty */
		ib_recipe_result_free(&r);
		free(owned);
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
		snprintf(run, sizeof(run), "%s/%s", dir, IB_RECIPE_RUN);
		fflush(stdout);
		free(owned);
		execl(run, run, (char *)NULL);
		cli_warn(run, "%s", strerror(errno));
		return IB_EXIT_FAIL;
	}
	free(owned);
	return cli_close_stdout();
}
