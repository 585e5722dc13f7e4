/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mkdisk: disk images like mkfile(8), exact, instant, never clobbering. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "disk.h"
#include "disk_size.h"
#include "strbuf.h"

static const char usage[] = "usage: mkdisk [options] SIZE FILE...\n";

static const char help[] =
    "Create disk images of SIZE bytes for a virtual machine.\n"
    "\n"
    "SIZE: a number and an optional unit, case-insensitive: b (512-byte\n"
    "blocks), k, m, g, t (powers of 1024; also KiB MiB GiB TiB), or none\n"
    "for bytes; a whole number of 512-byte sectors. 1g = 1073741824.\n"
    "\n"
    "  -n                    no blocks allocated (mkfile; the default)\n"
    "  -v                    print \"FILE SIZE bytes\" for each file\n"
    "      --preallocate=P   off (sparse, default), falloc (reserve the\n"
    "                        blocks) or full (write zeros, as mkfile)\n"
    "  -f, --format FMT      raw (default) or qcow2\n"
    "      --force           replace an existing file (atomically)\n"
    "      --json            one JSON object per file made\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

enum {
	OPT_FORCE = 256,
	OPT_JSON,
	OPT_PREALLOCATE,
	OPT_VERSION
};

static const struct option longopts[] = {
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "preallocate", required_argument, NULL, OPT_PREALLOCATE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static ib_prealloc
parse_prealloc(const char *s)
{
	if (strcmp(s, "off") == 0)
		return IB_PREALLOC_OFF;
	if (strcmp(s, "falloc") == 0)
		return IB_PREALLOC_FALLOC;
	if (strcmp(s, "full") == 0)
		return IB_PREALLOC_FULL;
	cli_usage_error(usage, "--preallocate: '%s' is not off, falloc or full",
	    s);
}

static const char *const prealloc_names[] = { "off", "falloc", "full" };

static void
print_json(const char *path, const ib_disk_opts *o, const ib_disk_result *r)
{
	ib_strbuf b = { 0 };
	ib_err err;

	if (ib_strbuf_adds(&b, "{\"path\":", &err) == 0 &&
	    ib_strbuf_add_json(&b, path, &err) == 0 &&
	    ib_strbuf_addf(&b, &err,
	        ",\"format\":\"%s\",\"virtual_size\":%llu,\"file_size\":%llu,"
	        "\"allocated\":%llu,\"preallocate\":\"%s\",\"method\":\"%s\","
	        "\"replaced\":%s}\n",
	        ib_disk_format_name(o->format),
	        (unsigned long long)r->virtual_size,
	        (unsigned long long)r->file_size,
	        (unsigned long long)r->allocated, prealloc_names[o->prealloc],
	        r->method, r->replaced ? "true" : "false") == 0)
		fputs(b.s, stdout);
	ib_strbuf_release(&b);
}

/* bytes for people: "1.5 GiB", "512 bytes". */
static void
human(uint64_t bytes, char *buf, size_t n)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB",
		"EiB" };
	double v;
	size_t i;

	if (bytes < 1024) {
		snprintf(buf, n, "%llu bytes", (unsigned long long)bytes);
		return;
	}
	v = (double)bytes / 1024;
	for (i = 0; v >= 1024 && i + 1 < sizeof(units) / sizeof(units[0]); i++)
		v /= 1024;
	snprintf(buf, n, "%.*f %s", v < 10 && v != (double)(uint64_t)v ? 1 : 0,
	    v, units[i]);
}

static int
make_one(const char *path, uint64_t size, const ib_disk_opts *o, bool verbose,
    bool json)
{
	char have[32], want[32];
	ib_disk_result r;
	ib_err err;

	if (ib_disk_make(path, size, o, &r, &err) == -1) {
		if (err.code == IB_EINTR)
			return IB_EXIT_FAIL;
		if (err.code == EEXIST)
			cli_warn(path, "exists (use --force to replace it)");
		else if (err.code == EFBIG)
			cli_warn(path,
			    "%s (%llu bytes is more than this file system or "
			    "the file size limit allows)",
			    ib_err_text(&err), (unsigned long long)size);
		else
			cli_warn_err(path, &err);
		return IB_EXIT_FAIL;
	}
	if (r.low_space) {
		human(size, want, sizeof(want));
		human(r.free_bytes, have, sizeof(have));
		cli_warn(path,
		    "warning: the image may grow to %s, and only %s is free",
		    want, have);
	}
	if (verbose)
		printf("%s %llu bytes\n", path, (unsigned long long)size);
	if (json)
		print_json(path, o, &r);
	return IB_EXIT_OK;
}

int
main(int argc, char **argv)
{
	ib_disk_opts o;
	uint64_t size;
	ib_err err;
	bool verbose, json;
	int ch, fmt, status, i;

	cli_init(argv[0]);
	memset(&o, 0, sizeof(o));
	verbose = json = false;
	/* "-1g" would read as options -1 and -g: say what it is. */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (argv[i][0] == '-' &&
		    ((argv[i][1] >= '0' && argv[i][1] <= '9') ||
		        argv[i][1] == '.')) {
			cli_warn(NULL,
			    "size '%s' is negative: a disk has a positive size",
			    argv[i]);
			return IB_EXIT_USAGE;
		}
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "f:hnv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			fmt = ib_disk_format_parse(optarg);
			if (fmt == -1)
				cli_usage_error(usage,
				    "-f: '%s' is not raw or qcow2", optarg);
			o.format = (ib_disk_format)fmt;
			break;
		case 'h':
			fputs(usage, stdout);
			fputs(help, stdout);
			return cli_close_stdout();
		case 'n':
			o.prealloc = IB_PREALLOC_OFF;
			break;
		case 'v':
			verbose = true;
			break;
		case OPT_FORCE:
			o.force = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_PREALLOCATE:
			o.prealloc = parse_prealloc(optarg);
			break;
		case OPT_VERSION:
			cli_version();
			return cli_close_stdout();
		default:
			cli_bad_option(usage, argv);
		}
	}
	if (argc - optind < 2)
		cli_usage_error(usage, "%s",
		    argc - optind == 0 ? "no SIZE and FILE" : "no FILE");
	if (ib_disk_size_parse(argv[optind], &size, &err) == -1) {
		cli_warn(NULL, "%s", ib_err_text(&err));
		return IB_EXIT_USAGE;
	}
	if (o.format == IB_DISK_QCOW2 && o.prealloc != IB_PREALLOC_OFF)
		cli_usage_error(usage,
		    "--preallocate is for raw images (qcow2 grows as the guest "
		    "writes)");
	cli_catch_signals();
	o.cancel = &cli_caught;
	status = IB_EXIT_OK;
	for (i = optind + 1; i < argc && cli_caught == 0; i++)
		if (make_one(argv[i], size, &o, verbose, json) != IB_EXIT_OK)
			status = IB_EXIT_FAIL;
	cli_reraise();
	if (cli_close_stdout() != IB_EXIT_OK)
		status = IB_EXIT_FAIL;
	return status;
}
