/* SPDX-License-Identifier: GPL-3.0-or-later */
/* isoboot-extract: list and extract the members of an ISO 9660 image or
 * the files of a disk image. */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "disk_image.h"
#include "disk_walk.h"
#include "extract.h"
#include "iso.h"
#include "kernel.h"
#include "match.h"
#include "plan.h"

static const char usage[] =
    "usage: isoboot-extract [--label L] [--platform P] [--print] "
    "[--format FMT] IMAGE [-C DIR]\n"
    "       isoboot-extract -t [-v] [--json] [options] IMAGE [PATTERN ...]\n"
    "       isoboot-extract -x [-jk] [-C DIR] [options] IMAGE [PATTERN ...]\n"
    "       isoboot-extract -x -O [options] IMAGE PATH\n";

static const char help[] =
    "List or extract the members of an ISO 9660 image, or the files of a\n"
    "disk image (raw or qcow2; partition N as pN/, ext2/3/4 and FAT read).\n"
    "With no -t or -x, extract the kernel and initrds the image boots by\n"
    "default into DIR.\n"
    "\n"
    "      --label L             automatic mode: the entry L, not the "
    "default\n"
    "      --print               automatic mode: show the choice, extract "
    "nothing\n"
    "      --format FMT          automatic mode: plain, shell, make or json\n"
    "      --platform P          automatic mode: bios (default) or efi\n"
    "  -t, --list                list members, one path per line\n"
    "  -v, --verbose             long listing (mode, links, owner, size, "
    "date)\n"
    "      --json                list as JSON, one object per line\n"
    "  -x, --extract             extract members (all, or those matching)\n"
    "  -C, --directory DIR       extract into DIR (default .)\n"
    "  -O, --to-stdout           write file contents to standard output\n"
    "  -j, --flat                junk directories: DIR/BASENAME\n"
    "  -k, --keep-old-files      never replace existing files\n"
    "      --strip-components N  drop N leading path components\n"
    "      --preserve-times      keep the image's times (default: now)\n"
    "      --devices             create device nodes (as root)\n"
    "      --raw                 zisofs files: the stored (compressed) "
    "bytes\n"
    "      --no-rockridge        ignore Rock Ridge names and attributes\n"
    "      --no-joliet           ignore Joliet names\n"
    "      --wildcards-match-slash  let '*' in PATTERN match '/'\n"
    "  -h, --help                show this help\n"
    "      --version             show the version\n";

enum {
	OPT_DEVICES = 256,
	OPT_FORMAT,
	OPT_LABEL,
	OPT_PRINT,
	OPT_JSON,
	OPT_NO_JOLIET,
	OPT_NO_ROCKRIDGE,
	OPT_PLATFORM,
	OPT_PRESERVE_TIMES,
	OPT_RAW,
	OPT_STRIP,
	OPT_VERSION,
	OPT_WILDCARDS
};

static const struct option longopts[] = {
	{ "devices", no_argument, NULL, OPT_DEVICES },
	{ "directory", required_argument, NULL, 'C' },
	{ "extract", no_argument, NULL, 'x' },
	{ "flat", no_argument, NULL, 'j' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "keep-old-files", no_argument, NULL, 'k' },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "list", no_argument, NULL, 't' },
	{ "no-joliet", no_argument, NULL, OPT_NO_JOLIET },
	{ "no-rockridge", no_argument, NULL, OPT_NO_ROCKRIDGE },
	{ "platform", required_argument, NULL, OPT_PLATFORM },
	{ "preserve-times", no_argument, NULL, OPT_PRESERVE_TIMES },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "strip-components", required_argument, NULL, OPT_STRIP },
	{ "to-stdout", no_argument, NULL, 'O' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "wildcards-match-slash", no_argument, NULL, OPT_WILDCARDS },
	{ NULL, 0, NULL, 0 },
};

struct run {
	const char *image; /* as the user named it, for messages */
	ib_iso *iso;
	ib_disk_image *disk; /* a disk image instead of iso */
	ib_disk_walk *dw;
	ib_match *match;
	ib_extract *x;
	int mode; /* 't' or 'x' */
	bool verbose, json, to_stdout;
	int status;
	time_t now;
};

static void
entry_warn(struct run *r, const ib_entry *e, const char *msg)
{
	char q[512];

	cli_warn(r->image, "%s: %s",
	    ib_quote(q, sizeof(q), e->path, strlen(e->path)), msg);
}

static void
mode_string(char *s, const ib_entry *e)
{
	static const char types[] = "-dlpcbs";
	static const char rwx[] = "rwxrwxrwx";
	int i;

	s[0] = types[e->type];
	for (i = 0; i < 9; i++)
		s[1 + i] = (e->mode & (1u << (8 - i))) ? rwx[i] : '-';
	if (e->mode & 04000)
		s[3] = (e->mode & 0100) ? 's' : 'S';
	if (e->mode & 02000)
		s[6] = (e->mode & 0010) ? 's' : 'S';
	if (e->mode & 01000)
		s[9] = (e->mode & 0001) ? 't' : 'T';
	s[10] = '\0';
}

static void
print_long(struct run *r, const ib_entry *e)
{
	char mode[11], size[48], date[32];
	struct tm tm;
	time_t t;
	size_t n;

	mode_string(mode, e);
	if (e->type == IB_FT_CHR || e->type == IB_FT_BLK)
		snprintf(size, sizeof(size), "%lu,%lu",
		    (unsigned long)e->dev_hi, (unsigned long)e->dev_lo);
	else
		snprintf(size, sizeof(size), "%llu",
		    (unsigned long long)(e->type == IB_FT_DIR ? 0 : e->size));
	t = (time_t)e->mtime;
	/* ls(1): the year for times over six months away. */
	n = 0;
	if (localtime_r(&t, &tm) != NULL) {
		if (t > r->now - 15778476 && t < r->now + 15778476)
			n = strftime(date, sizeof(date), "%b %e %H:%M", &tm);
		else
			n = strftime(date, sizeof(date), "%b %e  %Y", &tm);
	}
	if (n == 0)
		snprintf(date, sizeof(date), "%lld", (long long)e->mtime);
	printf("%s %3lu %-8lu %-8lu %12s %s ", mode, (unsigned long)e->nlink,
	    (unsigned long)e->uid, (unsigned long)e->gid, size, date);
	cli_put_name(stdout, e->path);
	if (e->link != NULL) {
		fputs(" -> ", stdout);
		cli_put_name(stdout, e->link);
	}
	putchar('\n');
}

static void
print_json(const ib_entry *e)
{
	size_t i;

	fputs("{\"path\":", stdout);
	cli_put_json(stdout, e->path);
	printf(",\"type\":\"%s\",\"size\":%llu,\"mode\":\"%04lo\","
	       "\"uid\":%lu,\"gid\":%lu,\"nlink\":%lu,\"mtime\":%lld,"
	       "\"target\":",
	    e->type == IB_FT_REG ? "file" : ib_iso_ftype_name(e->type),
	    (unsigned long long)e->size, (unsigned long)e->mode,
	    (unsigned long)e->uid, (unsigned long)e->gid,
	    (unsigned long)e->nlink, (long long)e->mtime);
	if (e->link != NULL)
		cli_put_json(stdout, e->link);
	else
		fputs("null", stdout);
	printf(",\"zisofs\":%u,\"extents\":[", e->zf.version);
	for (i = 0; i < e->nextents; i++)
		printf("%s[%lu,%lu]", i > 0 ? "," : "",
		    (unsigned long)e->extents[i].lsn,
		    (unsigned long)e->extents[i].len);
	fputs("]}\n", stdout);
}

static int
visit(void *ctx, const ib_entry *e, ib_err *err)
{
	struct run *r;
	ib_err ee;
	int rc;

	r = ctx;
	if (cli_caught)
		return ib_err_set(err, IB_EINTR, "interrupted");
	if (!ib_match_path(r->match, e->path))
		return 0;
	if (e->problem != NULL) {
		entry_warn(r, e, e->problem);
		r->status = IB_EXIT_FAIL;
		return IB_WALK_SKIP;
	}
	if (r->mode == 't') {
		if (r->json)
			print_json(e);
		else if (r->verbose)
			print_long(r, e);
		else {
			cli_put_name(stdout, e->path);
			putchar('\n');
		}
		return 0;
	}
	ib_err_clear(&ee);
	rc = ib_extract_entry(r->x, e, &ee);
	if (rc == -1 && ee.code == IB_EINTR) {
		*err = ee;
		return -1;
	}
	if (rc == -1) {
		entry_warn(r, e, ib_err_text(&ee));
		r->status = IB_EXIT_FAIL;
	} else if (rc == IB_EXTRACT_SKIPPED && ee.msg[0] != '\0' &&
	    ee.code != EEXIST) {
		entry_warn(r, e, ee.msg);
	}
	return 0;
}

/* A deferred member (read from a stream) failed. */
static void
report(void *ctx, const char *path, const ib_err *err)
{
	struct run *r;
	char q[512];

	r = ctx;
	cli_warn(r->image, "%s: %s", ib_quote(q, sizeof(q), path, strlen(path)),
	    ib_err_text(err));
	r->status = IB_EXIT_FAIL;
}

/* A disk's file the walk shows no entry for (a device, a FIFO). */
static void
disk_note(void *ctx, const char *path, const char *msg)
{
	struct run *r;
	char q[512];

	r = ctx;
	if (ib_match_path(r->match, path))
		cli_warn(r->image, "%s: %s",
		    ib_quote(q, sizeof(q), path, strlen(path)), msg);
}

static int
disk_copy(void *ctx, const ib_entry *e, int fd,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	return ib_disk_walk_copy(ctx, e, fd, cancel, err);
}

/*
 * Open the image: a disk image (by its content) for the disk walk, else
 * an ISO. Returns 0, or -1 with *err (not naming the image).
 */
static int
open_image(struct run *r, const ib_iso_opts *io, ib_err *err)
{
	const char *kind;
	int disk;

	/* Unreadable here (a pipe): the ISO reader says what it is. */
	disk = ib_disk_image_sniff(r->image, &kind, err);
	ib_err_clear(err);
	if (disk == 2)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "a disk image compressed with %s: a disk is read in "
		    "place, so decompress it first",
		    kind);
	if (disk != 1) {
		r->iso = ib_iso_open(r->image, io, err);
		return r->iso != NULL ? 0 : -1;
	}
	r->disk = ib_disk_image_open(r->image, err);
	if (r->disk == NULL)
		return -1;
	r->dw = ib_disk_walk_new(r->disk, err);
	return r->dw != NULL ? 0 : -1;
}

static void
close_image(struct run *r)
{
	ib_disk_walk_free(r->dw);
	ib_disk_image_close(r->disk);
	ib_iso_close(r->iso);
}

/* The automatic mode: what the default entry (or --label) boots. */

/*
 * One value per line: the files, then the command line; sh/make
 * assignments of CONFIG, LABEL, KERNEL, INITRD and CMDLINE; or the menu
 * as JSON with the files written. The files are where they were
 * extracted (dir), or their paths in the image (dir NULL: --print).
 */
static int
auto_print(const ib_plan *p, const char *dir, const char *format, ib_err *err)
{
	char *out;
	size_t i;

	if (strcmp(format, "plain") == 0) {
		for (i = 0; i < ib_plan_nfiles(p); i++) {
			out = ib_plan_path_new(p, dir, i);
			if (out == NULL)
				return ib_err_errno(err, ENOMEM, "files");
			printf("%s\n", out);
			free(out);
		}
		printf("%s\n", ib_plan_entry(p)->args);
		return 0;
	}
	out = strcmp(format, "json") == 0 ?
	    ib_plan_json_new(p, dir, NULL, err) :
	    ib_plan_assignments_new(p, dir, NULL, strcmp(format, "make") == 0,
	        err);
	if (out == NULL)
		return -1;
	fputs(out, stdout);
	free(out);
	return 0;
}

/* A kernel that cannot be Linux (iPXE's ipxe.krn) is extracted all the
 * same, with a warning that says what it is: the file just written when
 * there is one (dirfd), else the image's. */
static void
auto_kernel_note(const struct run *r, const ib_plan *p, int dirfd)
{
	const char *kernel = ib_plan_file(p, 0);
	char line[512];
	ib_kernel_info ki;
	ib_err err;

	if (ib_plan_kernel_info(p, dirfd, &ki, &err) == 0 &&
	    !ib_kernel_maybe_linux(&ki)) {
		ib_kernel_describe(&ki, kernel, line, sizeof(line));
		cli_warn(r->image, "%s: %s", kernel, line);
	}
}

static int
auto_mode(struct run *r, ib_extract_opts *xo, const char *dir,
    const char *label, const char *platform, bool print, const char *format)
{
	ib_plan *p;
	ib_err err;
	int dirfd;

	ib_err_clear(&err);
	p = ib_plan_open(r->image, platform, &err);
	if (p == NULL || ib_plan_choose(p, label, false, &err) == NULL) {
		cli_warn_err(r->image, &err);
		ib_plan_close(p);
		return IB_EXIT_FAIL;
	}
	dirfd = -1;
	if (!print) {
		dirfd = cli_open_dir(dir);
		if (dirfd == -1) {
			ib_plan_close(p);
			return IB_EXIT_FAIL;
		}
		xo->cancel = &cli_caught;
		xo->report = report;
		xo->report_ctx = r;
	}
	if (ib_plan_extract(p, dirfd, xo, &err) == -1) {
		if (err.code != IB_EINTR)
			cli_warn_err(r->image, &err);
		r->status = IB_EXIT_FAIL;
	}
	if (r->status == IB_EXIT_OK && cli_caught == 0)
		auto_kernel_note(r, p, dirfd);
	if (r->status == IB_EXIT_OK && cli_caught == 0 &&
	    auto_print(p, print ? NULL : dir, format, &err) == -1) {
		cli_warn_err(r->image, &err);
		r->status = IB_EXIT_FAIL;
	}
	if (dirfd != -1)
		close(dirfd);
	ib_plan_close(p);
	cli_reraise();
	return r->status != IB_EXIT_OK ? r->status : cli_close_stdout();
}

static unsigned
parse_count(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v > 4096)
		cli_usage_error(usage, "--strip-components: bad number '%s'",
		    s);
	return (unsigned)v;
}

int
main(int argc, char **argv)
{
	ib_extract_opts xo;
	ib_extract_src src;
	ib_iso_opts io;
	struct run r;
	ib_err err;
	const char *dir, *label, *format, *platform;
	int ch, dirfd, status;
	bool slash, print;

	cli_init(argv[0]);
	memset(&r, 0, sizeof(r));
	memset(&xo, 0, sizeof(xo));
	memset(&io, 0, sizeof(io));
	dir = ".";
	slash = print = false;
	label = format = platform = NULL;
	opterr = 0; /* our messages name the program by its basename */
	while (
	    (ch = getopt_long(argc, argv, "C:hjkOtvx", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			fputs(help, stdout);
			return cli_close_stdout();
		case 'j':
			xo.flat = true;
			break;
		case 'k':
			xo.keep = true;
			break;
		case 'O':
			r.to_stdout = true;
			break;
		case 't':
		case 'x':
			if (r.mode != 0 && r.mode != ch)
				cli_usage_error(usage,
				    "-t and -x cannot be combined");
			r.mode = ch;
			break;
		case 'v':
			r.verbose = true;
			break;
		case OPT_DEVICES:
			xo.devices = true;
			break;
		case OPT_FORMAT:
			format = cli_opt_format(usage, optarg);
			break;
		case OPT_LABEL:
			label = optarg;
			break;
		case OPT_PRINT:
			print = true;
			break;
		case OPT_JSON:
			r.json = true;
			break;
		case OPT_NO_JOLIET:
			io.no_joliet = true;
			break;
		case OPT_NO_ROCKRIDGE:
			io.no_rockridge = true;
			break;
		case OPT_PLATFORM:
			platform = cli_opt_platform(usage, optarg);
			break;
		case OPT_PRESERVE_TIMES:
			xo.preserve_times = true;
			break;
		case OPT_RAW:
			xo.raw = true;
			break;
		case OPT_STRIP:
			xo.strip = parse_count(optarg);
			break;
		case OPT_VERSION:
			cli_version();
			return cli_close_stdout();
		case OPT_WILDCARDS:
			slash = true;
			break;
		default:
			if (optopt == 'C')
				cli_usage_error(usage, "-C needs a directory");
			if (optopt != 0 && optopt != '?')
				cli_usage_error(usage, "unknown option '-%c'",
				    optopt);
			cli_usage_error(usage,
			    "unknown option or missing argument: '%s'",
			    argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		cli_usage_error(usage, "no image given");
	if (r.mode == 0 && argc > 1)
		cli_usage_error(usage, "PATTERNs go with -t or -x");
	if (r.mode != 0 &&
	    (label != NULL || print || format != NULL || platform != NULL))
		cli_usage_error(usage,
		    "--label, --platform, --print and --format are for the "
		    "automatic mode (no -t or -x)");
	if (r.mode == 0) {
		r.image = argv[0];
		cli_catch_signals();
		return auto_mode(&r, &xo, dir, label, platform, print,
		    format != NULL ? format : "plain");
	}
	if (r.to_stdout && r.mode != 'x')
		cli_usage_error(usage, "-O goes with -x");
	if (r.to_stdout && argc < 2)
		cli_usage_error(usage, "-O needs a PATH to write");
	if (r.json && r.mode != 't')
		cli_usage_error(usage, "--json goes with -t");

	r.image = argv[0];
	r.now = time(NULL);
	ib_err_clear(&err);
	r.match = ib_match_new((const char *const *)(argv + 1),
	    (size_t)(argc - 1), slash, &err);
	if (r.match == NULL) {
		cli_warn_err(r.image, &err);
		return IB_EXIT_FAIL;
	}
	if (open_image(&r, &io, &err) == -1) {
		cli_warn_err(r.image, &err);
		close_image(&r);
		ib_match_free(r.match);
		return IB_EXIT_FAIL;
	}
	cli_catch_signals();
	dirfd = -1;
	if (r.mode == 'x') {
		if (r.to_stdout) {
			xo.to_fd = true;
			xo.fd = STDOUT_FILENO;
		} else {
			dirfd = cli_open_dir(dir);
			if (dirfd == -1)
				goto fail;
		}
		xo.cancel = &cli_caught;
		xo.report = report;
		xo.report_ctx = &r;
		src.copy = disk_copy;
		src.ctx = r.dw;
		r.x = r.dw != NULL ?
		    ib_extract_new_src(&src, dirfd, &xo, &err) :
		    ib_extract_new(r.iso, dirfd, &xo, &err);
		if (r.x == NULL) {
			cli_warn_err(r.image, &err);
			goto fail;
		}
	}
	if ((r.dw != NULL ? ib_disk_walk_run(r.dw, visit, disk_note, &r, &err) :
	                    ib_iso_walk(r.iso, visit, &r, &err)) == -1) {
		if (err.code != IB_EINTR)
			cli_warn_err(r.image, &err);
		r.status = IB_EXIT_FAIL;
	}
	if (r.x != NULL && cli_caught == 0 &&
	    ib_extract_finish(r.x, &err) == -1) {
		if (err.code != IB_EINTR)
			cli_warn_err(r.image, &err);
		r.status = IB_EXIT_FAIL;
	}
	if (cli_caught == 0) {
		for (size_t i = 0; i < ib_match_count(r.match); i++) {
			if (ib_match_used(r.match, i))
				continue;
			cli_warn(r.image, "%s: not found in image",
			    ib_match_pattern(r.match, i));
			r.status = IB_EXIT_FAIL;
		}
	}
	ib_extract_free(r.x);
	if (dirfd != -1)
		close(dirfd);
	close_image(&r);
	ib_match_free(r.match);
	cli_reraise();
	status = cli_close_stdout();
	return r.status != IB_EXIT_OK ? r.status : status;
fail:
	close_image(&r);
	ib_match_free(r.match);
	return IB_EXIT_FAIL;
}
