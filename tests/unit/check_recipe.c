/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_recipe: ib_recipe_run, from a small image (isotest.h) to a
 * directory that boots it with qemu: the outputs of a first run, nothing
 * written by a second, the stamp (.isoboot-stamp) that decides when the
 * image is read again, stale boot files of another entry removed and no
 * other file, several initrds joined with their padding, cancellation
 * that leaves no half-written file and no temporary, and the failures
 * (an entry loading a file named like an output, a missing image, an
 * unknown label) with their messages. qemu boots any kernel file, so the
 * kernel is a few bytes. Each TCase has its own root (menutest.h): the
 * image is img.iso, the output directory out/.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "compat.h"
#include "errors.h"
#include "menutest.h"
#include "recipe.h"
#include "testutil.h"

#include "isotest.h"

/*
 * The entries: "a" (the default: two initrds, joined), "b" (one of a's
 * initrds), "three" (initrds of 5, 8 and 3 bytes: the padding), and
 * entries that load files named like the recipe's outputs.
 */
#define SYSLINUX_CFG                                                           \
	"DEFAULT a\n"                                                          \
	"LABEL a\n"                                                            \
	"  KERNEL /boot/vmlinuz\n"                                             \
	"  INITRD /boot/a.gz,/boot/common.gz\n"                                \
	"  APPEND lang=en quiet\n"                                             \
	"LABEL b\n"                                                            \
	"  KERNEL /boot/vmlinuz\n"                                             \
	"  INITRD /boot/common.gz\n"                                           \
	"LABEL three\n"                                                        \
	"  KERNEL /boot/vmlinuz\n"                                             \
	"  INITRD /boot/i5,/boot/i8,/boot/i3\n"                                \
	"LABEL runner\n"                                                       \
	"  KERNEL /boot/vmlinuz\n"                                             \
	"  INITRD /boot/run\n"                                                 \
	"LABEL json\n"                                                         \
	"  KERNEL /boot/boot.json\n"

#define GRUB_EFI_CFG                                                           \
	"set default=0\n"                                                      \
	"set timeout=5\n"                                                      \
	"menuentry 'EFI Linux' {\n"                                            \
	"  linux /boot/vmlinuz-efi efi=1\n"                                    \
	"  initrd /boot/common.gz\n"                                           \
	"}\n"

#define KERNEL_DATA "not really a kernel: qemu takes any file\n"
#define A_DATA      "initrd a"
#define COMMON_DATA "common initrd"

static const struct member members[] = {
	{ "isolinux/isolinux.bin", "isolinux.bin", 0 },
	{ "isolinux/isolinux.cfg", SYSLINUX_CFG, 0 },
	{ "boot/vmlinuz", KERNEL_DATA, 0 },
	{ "boot/vmlinuz-efi", "efi kernel", 0 },
	{ "boot/a.gz", A_DATA, 0 },
	{ "boot/common.gz", COMMON_DATA, 0 },
	{ "boot/i5", "55555", 0 },
	{ "boot/i8", "88888888", 0 },
	{ "boot/i3", "333", 0 },
	{ "boot/run", "an initrd called run", 0 },
	{ "boot/boot.json", "a kernel called boot.json", 0 },
	{ "boot/grub/efi.img", "fat", 0 },
	{ "efi/boot/grub.cfg", GRUB_EFI_CFG, 0 },
};

/* img.iso, built (again) in the image root; its path. */
static const char *
build_iso(void)
{
	struct spec s = { members, NMEMB(members), "isolinux/isolinux.bin",
		"boot/grub/efi.img", 0 };

	isotest_build(&s, tu_at(top, "img.iso"));
	return tu_at(top, "img.iso");
}

/* The output directory top/out, absolute; the recipe makes it. */
static const char *
out_path(void)
{
	static char out[4096];
	char *real;

	real = realpath(top, NULL);
	ck_assert_ptr_nonnull(real);
	ck_assert_int_lt(snprintf(out, sizeof(out), "%s/out", real),
	    (int)sizeof(out));
	free(real);
	return out;
}

/* Make out/ before a run, for files put there first. */
static const char *
make_out(void)
{
	ck_assert_int_eq(mkdir(out_path(), 0755), 0);
	return out_path();
}

/* out/ is not there: a failed run made it and removed it again. */
static void
expect_no_out(void)
{
	struct stat st;

	ck_assert_msg(lstat(out_path(), &st) == -1 && errno == ENOENT,
	    "%s is there", out_path());
}

/* What one run is asked: the entry, platform, cancel flag, progress. */
struct ask {
	const char *iso; /* NULL: img.iso */
	const char *label;
	const char *platform;
	uint64_t disk_size;
	const volatile sig_atomic_t *cancel;
	void (*progress)(void *ctx, const char *path, int dirfd,
	    const char *tmp, uint64_t total);
	void *progress_ctx;
};

/* Run the recipe into out/ for qemu; its return value. */
static int
run_ask(const struct ask *a, ib_recipe_result *r, ib_err *err)
{
	ib_recipe_opts o;

	memset(&o, 0, sizeof(o));
	o.iso = a->iso != NULL ? a->iso : tu_at(top, "img.iso");
	o.dir = out_path();
	o.label = a->label;
	o.platform = a->platform;
	o.vm.target = IB_TARGET_QEMU;
	o.disk_size = a->disk_size;
	o.cancel = a->cancel;
	o.progress = a->progress;
	o.progress_ctx = a->progress_ctx;
	return ib_recipe_run(&o, r, err);
}

/* Run for label (NULL: the default) and fail the test if it fails. */
static void
run_ok(const char *label, ib_recipe_result *r)
{
	struct ask a = { NULL, label, NULL, 0, NULL, NULL, NULL };
	ib_err err;

	ck_assert_msg(run_ask(&a, r, &err) == 0, "%s: %s",
	    label != NULL ? label : "(default)", err.msg);
}

/* The output called name in r, or NULL. */
static const ib_recipe_output *
output(const ib_recipe_result *r, const char *name)
{
	for (size_t i = 0; i < r->noutputs; i++)
		if (strcmp(r->outputs[i].name, name) == 0)
			return &r->outputs[i];
	return NULL;
}

/* r lists name with role, written this run or not, of size bytes. */
#define expect_output(r, name, role, written, size)                            \
	expect_output_at(__LINE__, r, name, role, written, size)

static void
expect_output_at(int line, const ib_recipe_result *r, const char *name,
    const char *role, bool written, uint64_t size)
{
	const ib_recipe_output *o = output(r, name);

	ck_assert_msg(o != NULL, "line %d: no output %s", line, name);
	ck_assert_msg(strcmp(o->role, role) == 0,
	    "line %d: %s: role '%s', expected '%s'", line, name, o->role, role);
	ck_assert_msg(o->written == written, "line %d: %s: written %d", line,
	    name, o->written);
	ck_assert_msg(o->size == size, "line %d: %s: %llu bytes, expected %llu",
	    line, name, (unsigned long long)o->size, (unsigned long long)size);
}

/* What a directory holds: each entry's name, inode, size and ns mtime,
 * sorted by name. */
#define SNAP_MAX 32

struct snap {
	size_t n;
	struct snap_file {
		char name[IB_MAX_NAME + 1];
		ino_t ino;
		off_t size;
		long long sec;
		long nsec;
	} f[SNAP_MAX];
};

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct snap_file *)a)->name,
	    ((const struct snap_file *)b)->name);
}

static void
snap_dir(const char *dir, struct snap *s)
{
	struct dirent *de;
	struct stat st;
	DIR *d;

	memset(s, 0, sizeof(*s));
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		ck_assert_uint_lt(s->n, SNAP_MAX);
		ck_assert_int_eq(lstat(tu_at(dir, de->d_name), &st), 0);
		snprintf(s->f[s->n].name, sizeof(s->f[0].name), "%s",
		    de->d_name);
		s->f[s->n].ino = st.st_ino;
		s->f[s->n].size = st.st_size;
		s->f[s->n].sec = (long long)st.st_mtime;
		s->f[s->n].nsec = ib_mtime_nsec(&st);
		s->n++;
	}
	closedir(d);
	qsort(s->f, s->n, sizeof(s->f[0]), cmp_file);
}

/* The file name in s, or NULL. */
static const struct snap_file *
snap_find(const struct snap *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->f[i].name, name) == 0)
			return &s->f[i];
	return NULL;
}

/* out/ holds exactly the names given (NULL ends them), nothing else:
 * no temporary, no stale file. */
#define expect_names(...) expect_names_at(__LINE__, __VA_ARGS__)

static void
expect_names_at(int line, ...)
{
	const char *name;
	struct snap s;
	va_list ap;
	size_t n = 0;

	snap_dir(out_path(), &s);
	va_start(ap, line);
	while ((name = va_arg(ap, const char *)) != NULL) {
		ck_assert_msg(snap_find(&s, name) != NULL,
		    "line %d: out/%s is missing", line, name);
		n++;
	}
	va_end(ap);
	for (size_t i = 0; n != s.n && i < s.n; i++) {
		bool listed = false;

		va_start(ap, line);
		while ((name = va_arg(ap, const char *)) != NULL)
			listed = listed || strcmp(name, s.f[i].name) == 0;
		va_end(ap);
		ck_assert_msg(listed, "line %d: unexpected out/%s", line,
		    s.f[i].name);
	}
	ck_assert_msg(n == s.n, "line %d: %zu names, expected %zu", line, s.n,
	    n);
}

/* The file name in before and after is the same file, untouched: inode,
 * size and mtime to the nanosecond. */
#define expect_same(before, after, name)                                       \
	expect_same_at(__LINE__, before, after, name)

static void
expect_same_at(int line, const struct snap *before, const struct snap *after,
    const char *name)
{
	const struct snap_file *b = snap_find(before, name);
	const struct snap_file *a = snap_find(after, name);

	ck_assert_msg(a != NULL && b != NULL, "line %d: %s missing", line,
	    name);
	ck_assert_msg(a->ino == b->ino && a->size == b->size &&
	        a->sec == b->sec && a->nsec == b->nsec,
	    "line %d: %s was replaced or touched", line, name);
}

static const char *
out_at(const char *name)
{
	return tu_at(out_path(), name);
}

/* Set img.iso's mtime to sec seconds past the epoch. */
static void
set_iso_mtime(time_t sec)
{
	struct timespec ts[2];

	ts[0].tv_sec = ts[1].tv_sec = sec;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	ck_assert_int_eq(utimensat(AT_FDCWD, tu_at(top, "img.iso"), ts, 0), 0);
}

/* A first run on a new img.iso, out/ as it left it into *before, then
 * a new mtime on the image. */
static void
run_then_touch(struct snap *before)
{
	ib_recipe_result r;

	build_iso();
	set_iso_mtime(1000000000);
	run_ok(NULL, &r);
	ib_recipe_result_free(&r);
	snap_dir(out_path(), before);
	set_iso_mtime(1000000001);
}

/* --- a first run --- */

/* The default entry's kernel and two initrds with the image's bytes, the
 * joined initrd, the command line for qemu's serial console, the run
 * script (executable), boot.json (r->json's text) and the stamp; each
 * output written, counted in nwritten, with its size. */
START_TEST(test_first_run_writes_every_output)
{
	ib_recipe_result r;
	char want[512];
	struct stat st;

	build_iso();
	run_ok(NULL, &r);
	ck_assert_str_eq(r.config, "/isolinux/isolinux.cfg");
	ck_assert_str_eq(r.label, "a");
	ck_assert(r.extracted);
	/* The entry's words, minus quiet, plus qemu's serial console. */
	ck_assert_ptr_nonnull(strstr(r.cmdline, "lang=en"));
	ck_assert_ptr_null(strstr(r.cmdline, "quiet"));
	ck_assert_ptr_nonnull(strstr(r.cmdline, "console=ttyS0"));
	expect_output(&r, "vmlinuz", "kernel", true, strlen(KERNEL_DATA));
	expect_output(&r, "a.gz", "initrd", true, strlen(A_DATA));
	expect_output(&r, "common.gz", "initrd", true, strlen(COMMON_DATA));
	expect_output(&r, IB_RECIPE_JOINED, "joined initrd", true, 24);
	expect_output(&r, IB_RECIPE_CMDLINE, "command line", true,
	    strlen(r.cmdline) + 1);
	expect_output(&r, IB_RECIPE_JSON, "decisions", true, strlen(r.json));
	ck_assert_ptr_null(output(&r, IB_RECIPE_DISK));
	ck_assert_uint_eq(r.noutputs, 7);
	ck_assert_uint_eq(r.nwritten, 7);
	expect_names("vmlinuz", "a.gz", "common.gz", IB_RECIPE_JOINED,
	    IB_RECIPE_CMDLINE, IB_RECIPE_RUN, IB_RECIPE_JSON, IB_RECIPE_STAMP,
	    NULL);
	tu_expect_file(out_at("vmlinuz"), KERNEL_DATA, strlen(KERNEL_DATA));
	tu_expect_file(out_at("a.gz"), A_DATA, strlen(A_DATA));
	tu_expect_file(out_at("common.gz"), COMMON_DATA, strlen(COMMON_DATA));
	snprintf(want, sizeof(want), "%s\n", r.cmdline);
	tu_expect_file(out_at(IB_RECIPE_CMDLINE), want, strlen(want));
	tu_expect_file(out_at(IB_RECIPE_JSON), r.json, strlen(r.json));
	ck_assert_int_eq(stat(out_at(IB_RECIPE_RUN), &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0755);
	expect_output(&r, IB_RECIPE_RUN, "script", true, (uint64_t)st.st_size);
	/* boot.json names what was decided and made. */
	ck_assert_ptr_nonnull(strstr(r.json, "\"label\":\"a\""));
	ck_assert_ptr_nonnull(strstr(r.json, "\"disk\":null"));
	ck_assert_ptr_nonnull(
	    strstr(r.json, "\"cmdline_in_config\":\"lang=en quiet\""));
	ck_assert_ptr_nonnull(strstr(r.json,
	    "{\"name\":\"" IB_RECIPE_JOINED "\",\"role\":\"joined "
	    "initrd\",\"size\":24}"));
	ib_recipe_result_free(&r);
}
END_TEST

/* The stamp records the image, the entry, the platform and each boot
 * file; a stamp that says less would let a changed image go unnoticed. */
START_TEST(test_stamp_records_image_entry_files)
{
	char want[256];
	ib_recipe_result r;
	struct stat st;
	size_t len;
	char *stamp;

	build_iso();
	run_ok(NULL, &r);
	stamp = tu_read_new(out_at(IB_RECIPE_STAMP), &len);
	stamp = realloc(stamp, len + 1);
	ck_assert_ptr_nonnull(stamp);
	stamp[len] = '\0';
	ck_assert_int_eq(stat(tu_at(top, "img.iso"), &st), 0);
	ck_assert_msg(strncmp(stamp, "isoboot stamp 1\n", 16) == 0, "%s",
	    stamp);
	snprintf(want, sizeof(want), "\nimage %llu %llu %llu ",
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
	    (unsigned long long)st.st_size);
	ck_assert_msg(strstr(stamp, want) != NULL, "%s", stamp);
	ck_assert_msg(strstr(stamp, "\nplatform bios\n") != NULL, "%s", stamp);
	ck_assert_msg(strstr(stamp, "isolinux/isolinux.cfg:2") != NULL, "%s",
	    stamp);
	ck_assert_msg(strstr(stamp, "\nwants \"a.gz\"\n") != NULL, "%s", stamp);
	snprintf(want, sizeof(want), "\nfile \"vmlinuz\" %zu ",
	    strlen(KERNEL_DATA));
	ck_assert_msg(strstr(stamp, want) != NULL, "%s", stamp);
	ck_assert_msg(strstr(stamp, "\nfile \"" IB_RECIPE_JOINED "\" 24 ") !=
	        NULL,
	    "%s", stamp);
	free(stamp);
	ib_recipe_result_free(&r);
}
END_TEST

/* --- idempotence --- */

/* A second run with the same inputs writes nothing: nwritten 0, no output
 * written, the image not read, every file the same inode with the same
 * mtime to the nanosecond. */
START_TEST(test_second_run_writes_nothing)
{
	struct snap before, after;
	ib_recipe_result r;

	build_iso();
	run_ok(NULL, &r);
	ib_recipe_result_free(&r);
	snap_dir(out_path(), &before);
	run_ok(NULL, &r);
	ck_assert_uint_eq(r.nwritten, 0);
	ck_assert(!r.extracted);
	ck_assert_uint_eq(r.noutputs, 7);
	for (size_t i = 0; i < r.noutputs; i++)
		ck_assert_msg(!r.outputs[i].written, "%s written",
		    r.outputs[i].name);
	snap_dir(out_path(), &after);
	ck_assert_uint_eq(after.n, before.n);
	for (size_t i = 0; i < before.n; i++)
		expect_same(&before, &after, before.f[i].name);
	ib_recipe_result_free(&r);
}
END_TEST

/* A new mtime on the image: read again, the boot files and the joined
 * initrd rewritten with the same bytes; cmdline, run and boot.json the
 * same files, untouched. */
START_TEST(test_touched_iso_reextracts_rest_untouched)
{
	struct snap before, after;
	ib_recipe_result r;

	run_then_touch(&before);
	run_ok(NULL, &r);
	ck_assert(r.extracted);
	expect_output(&r, "vmlinuz", "kernel", true, strlen(KERNEL_DATA));
	expect_output(&r, "a.gz", "initrd", true, strlen(A_DATA));
	expect_output(&r, IB_RECIPE_JOINED, "joined initrd", true, 24);
	ck_assert(!output(&r, IB_RECIPE_CMDLINE)->written);
	ck_assert(!output(&r, IB_RECIPE_RUN)->written);
	ck_assert(!output(&r, IB_RECIPE_JSON)->written);
	ck_assert_uint_eq(r.nwritten, 4);
	snap_dir(out_path(), &after);
	expect_same(&before, &after, IB_RECIPE_CMDLINE);
	expect_same(&before, &after, IB_RECIPE_RUN);
	expect_same(&before, &after, IB_RECIPE_JSON);
	tu_expect_file(out_at("vmlinuz"), KERNEL_DATA, strlen(KERNEL_DATA));
	tu_expect_file(out_at("common.gz"), COMMON_DATA, strlen(COMMON_DATA));
	expect_names("vmlinuz", "a.gz", "common.gz", IB_RECIPE_JOINED,
	    IB_RECIPE_CMDLINE, IB_RECIPE_RUN, IB_RECIPE_JSON, IB_RECIPE_STAMP,
	    NULL);
	/* And then nothing again. */
	ib_recipe_result_free(&r);
	run_ok(NULL, &r);
	ck_assert_uint_eq(r.nwritten, 0);
	ib_recipe_result_free(&r);
}
END_TEST

/* A boot file removed from the directory is extracted again (the stamp
 * alone does not vouch for it), with the image's bytes. */
START_TEST(test_removed_boot_file_extracted_again)
{
	ib_recipe_result r;

	build_iso();
	run_ok("b", &r);
	ib_recipe_result_free(&r);
	ck_assert_int_eq(unlink(out_at("common.gz")), 0);
	run_ok("b", &r);
	ck_assert(r.extracted);
	expect_output(&r, "common.gz", "initrd", true, strlen(COMMON_DATA));
	tu_expect_file(out_at("common.gz"), COMMON_DATA, strlen(COMMON_DATA));
	ib_recipe_result_free(&r);
}
END_TEST

/* A boot file changed in the directory (a new size) is extracted again:
 * the VM must not boot what the image does not hold. So is a removed
 * joined initrd made again. */
START_TEST(test_changed_boot_file_extracted_again)
{
	ib_recipe_result r;

	build_iso();
	run_ok(NULL, &r);
	ib_recipe_result_free(&r);
	tu_put_n(out_path(), "vmlinuz", "edited", 6);
	run_ok(NULL, &r);
	ck_assert(r.extracted);
	tu_expect_file(out_at("vmlinuz"), KERNEL_DATA, strlen(KERNEL_DATA));
	ib_recipe_result_free(&r);
	ck_assert_int_eq(unlink(out_at(IB_RECIPE_JOINED)), 0);
	run_ok(NULL, &r);
	expect_output(&r, IB_RECIPE_JOINED, "joined initrd", true, 24);
	ck_assert_int_eq(access(out_at(IB_RECIPE_JOINED), F_OK), 0);
	ib_recipe_result_free(&r);
}
END_TEST

/* --- stale files --- */

/* From entry a to entry b: a.gz (only a loads it) and the joined initrd
 * (b has one initrd) go; vmlinuz and common.gz, which b loads too, stay
 * the same files; a file of the user's stays. */
START_TEST(test_switching_entry_removes_stale_files)
{
	struct snap before, after;
	ib_recipe_result r;

	build_iso();
	run_ok("a", &r);
	ib_recipe_result_free(&r);
	tu_put_n(out_path(), "notes.txt", "mine", 4);
	snap_dir(out_path(), &before);
	run_ok("b", &r);
	ck_assert_str_eq(r.label, "b");
	ck_assert_ptr_null(output(&r, "a.gz"));
	ck_assert_ptr_null(output(&r, IB_RECIPE_JOINED));
	expect_names("vmlinuz", "common.gz", "notes.txt", IB_RECIPE_CMDLINE,
	    IB_RECIPE_RUN, IB_RECIPE_JSON, IB_RECIPE_STAMP, NULL);
	snap_dir(out_path(), &after);
	expect_same(&before, &after, "notes.txt");
	tu_expect_file(out_at("common.gz"), COMMON_DATA, strlen(COMMON_DATA));
	ib_recipe_result_free(&r);
	/* And back: a.gz and the join again. */
	run_ok("a", &r);
	expect_names("vmlinuz", "a.gz", "common.gz", IB_RECIPE_JOINED,
	    "notes.txt", IB_RECIPE_CMDLINE, IB_RECIPE_RUN, IB_RECIPE_JSON,
	    IB_RECIPE_STAMP, NULL);
	ib_recipe_result_free(&r);
}
END_TEST

/* Another platform is another menu: EFI boots GRUB's entry, whose kernel
 * replaces the BIOS entry's; the stamp says which platform it was. */
START_TEST(test_switching_platform_reads_efi_menu)
{
	struct ask a = { NULL, NULL, "efi", 0, NULL, NULL, NULL };
	ib_recipe_result r;
	ib_err err;

	build_iso();
	run_ok(NULL, &r);
	ib_recipe_result_free(&r);
	ck_assert_msg(run_ask(&a, &r, &err) == 0, "%s", err.msg);
	ck_assert(r.extracted);
	ck_assert_str_eq(r.label, "EFI Linux");
	ck_assert_ptr_nonnull(strstr(r.cmdline, "efi=1"));
	ck_assert_ptr_nonnull(strstr(r.json, "\"platform\":\"efi\""));
	expect_names("vmlinuz-efi", "common.gz", IB_RECIPE_CMDLINE,
	    IB_RECIPE_RUN, IB_RECIPE_JSON, IB_RECIPE_STAMP, NULL);
	ib_recipe_result_free(&r);
	ck_assert_msg(run_ask(&a, &r, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(r.nwritten, 0);
	ib_recipe_result_free(&r);
}
END_TEST

/*
 * A stamp is input too: one whose file lines name "../victim", a path,
 * a dot file or an escaped name must not remove those. Only plain names
 * are removed, and only in the output directory.
 */
START_TEST(test_hostile_stamp_removes_only_plain_names)
{
	static const char stamp[] = "isoboot stamp 1\n"
	                            "file \"../victim\" 1 0.0\n"
	                            "file \"sub/x\" 1 0.0\n"
	                            "file \".hidden\" 1 0.0\n"
	                            "file \"q\\\"uote\" 1 0.0\n"
	                            "file \"stale.gz\" 1 0.0\n";
	ib_recipe_result r;

	build_iso();
	tu_put_n(top, "victim", "v", 1);
	make_out();
	tu_put_n(out_path(), "sub/x", "x", 1);
	tu_put_n(out_path(), ".hidden", "h", 1);
	tu_put_n(out_path(), "q\"uote", "q", 1);
	tu_put_n(out_path(), "stale.gz", "s", 1);
	tu_put_n(out_path(), IB_RECIPE_STAMP, stamp, strlen(stamp));
	run_ok("b", &r);
	ck_assert(r.extracted);
	ck_assert_int_eq(access(tu_at(top, "victim"), F_OK), 0);
	expect_names("vmlinuz", "common.gz", "sub", ".hidden", "q\"uote",
	    IB_RECIPE_CMDLINE, IB_RECIPE_RUN, IB_RECIPE_JSON, IB_RECIPE_STAMP,
	    NULL);
	ck_assert_int_eq(access(out_at("sub/x"), F_OK), 0);
	ib_recipe_result_free(&r);
}
END_TEST

/* A symlink under a boot file's name is replaced, not written through:
 * what it points at keeps its bytes. */
START_TEST(test_symlink_in_dir_not_followed)
{
	ib_recipe_result r;
	struct stat st;

	build_iso();
	tu_put_n(top, "victim", "v", 1);
	make_out();
	ck_assert_int_eq(symlink("../victim", out_at("vmlinuz")), 0);
	run_ok("b", &r);
	tu_expect_file(tu_at(top, "victim"), "v", 1);
	ck_assert_int_eq(lstat(out_at("vmlinuz"), &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	tu_expect_file(out_at("vmlinuz"), KERNEL_DATA, strlen(KERNEL_DATA));
	ib_recipe_result_free(&r);
}
END_TEST

/* --- the joined initrd --- */

/* Initrds of 5, 8 and 3 bytes: each padded with zeros to a multiple of
 * 4, so that each cpio archive starts aligned as Linux needs. */
START_TEST(test_initrds_joined_padded_to_4)
{
	static const char want[] = "55555\0\0\0"
	                           "88888888"
	                           "333\0";
	ib_recipe_result r;

	build_iso();
	run_ok("three", &r);
	expect_output(&r, IB_RECIPE_JOINED, "joined initrd", true,
	    sizeof(want) - 1);
	tu_expect_file(out_at(IB_RECIPE_JOINED), want, sizeof(want) - 1);
	/* The VM boots the joined file. */
	ck_assert_ptr_nonnull(strstr(r.json, "\"initrd\":\""));
	ck_assert_ptr_nonnull(strstr(r.json, "/" IB_RECIPE_JOINED "\","));
	ib_recipe_result_free(&r);
}
END_TEST

/* --- cancellation --- */

/* A cancel flag already set: IB_EINTR, and nothing left: not a file, not
 * a temporary, not a stamp, not the directory the run made. */
START_TEST(test_cancel_before_start_leaves_nothing)
{
	static volatile sig_atomic_t cancel = 1;
	struct ask a = { NULL, NULL, NULL, 0, &cancel, NULL, NULL };
	ib_recipe_result r;
	ib_err err;

	build_iso();
	tu_expect_err(run_ask(&a, &r, &err), &err, IB_EINTR, "");
	ib_recipe_result_free(&r);
	expect_no_out();
}
END_TEST

/* The flag, set by the progress callback as the second boot file starts:
 * IB_EINTR; a file under a final name is whole, no temporary is left. */
struct canceller {
	volatile sig_atomic_t cancel;
	int started;
};

static void
cancel_second(void *ctx, const char *path, int dirfd, const char *tmp,
    uint64_t total)
{
	struct canceller *c = ctx;

	(void)path;
	(void)dirfd;
	(void)total;
	if (tmp != NULL && ++c->started == 2)
		c->cancel = 1;
}

START_TEST(test_cancel_midway_leaves_no_partial_file)
{
	static struct canceller c;
	struct ask a = { NULL, NULL, NULL, 0, &c.cancel, cancel_second, &c };
	struct snap s;
	ib_recipe_result r;
	ib_err err;

	build_iso();
	tu_expect_err(run_ask(&a, &r, &err), &err, IB_EINTR, "");
	ib_recipe_result_free(&r);
	ck_assert_int_ge(c.started, 2);
	if (access(out_path(), F_OK) == 0)
		snap_dir(out_path(), &s);
	else
		s.n = 0; /* made, then removed empty */
	ck_assert_uint_le(s.n, 1);
	for (size_t i = 0; i < s.n; i++) {
		const char *n = s.f[i].name;

		ck_assert_msg(n[0] != '.', "left %s", n);
		if (strcmp(n, "vmlinuz") == 0)
			tu_expect_file(out_at(n), KERNEL_DATA,
			    strlen(KERNEL_DATA));
		else if (strcmp(n, "a.gz") == 0)
			tu_expect_file(out_at(n), A_DATA, strlen(A_DATA));
		else
			tu_expect_file(out_at(n), COMMON_DATA,
			    strlen(COMMON_DATA));
	}
	/* Then a run without the flag completes. */
	a.cancel = NULL;
	a.progress = NULL;
	ck_assert_msg(run_ask(&a, &r, &err) == 0, "%s", err.msg);
	ck_assert(r.extracted);
	ib_recipe_result_free(&r);
}
END_TEST

/* Cancelled while the outputs of a finished run are there: they stay,
 * whole, as they were. */
START_TEST(test_cancel_keeps_previous_outputs_whole)
{
	static volatile sig_atomic_t cancel = 1;
	struct ask a = { NULL, NULL, NULL, 0, &cancel, NULL, NULL };
	struct snap before, after;
	ib_recipe_result r;
	ib_err err;

	run_then_touch(&before);
	tu_expect_err(run_ask(&a, &r, &err), &err, IB_EINTR, "");
	ib_recipe_result_free(&r);
	snap_dir(out_path(), &after);
	ck_assert_uint_eq(after.n, before.n);
	for (size_t i = 0; i < before.n; i++)
		ck_assert_msg(snap_find(&after, before.f[i].name) != NULL,
		    "%s is gone", before.f[i].name);
	tu_expect_file(out_at("vmlinuz"), KERNEL_DATA, strlen(KERNEL_DATA));
	tu_expect_file(out_at("a.gz"), A_DATA, strlen(A_DATA));
	expect_same(&before, &after, IB_RECIPE_JSON);
}
END_TEST

/* --- failures --- */

/* An entry that loads a file named like an output ("run", "boot.json")
 * would have it overwritten by the script or the decisions:
 * IB_EUNSUPPORTED naming it and the entry's line, before anything is
 * written (the directory the run made is removed again). */
START_TEST(test_entry_loading_output_name_is_unsupported)
{
	struct ask a = { NULL, "runner", NULL, 0, NULL, NULL, NULL };
	ib_recipe_result r;
	ib_err err;

	build_iso();
	tu_expect_err(run_ask(&a, &r, &err), &err, IB_EUNSUPPORTED,
	    "isolinux/isolinux.cfg:12: the entry loads a file named 'run'");
	ib_recipe_result_free(&r);
	a.label = "json";
	tu_expect_err(run_ask(&a, &r, &err), &err, IB_EUNSUPPORTED,
	    "loads a file named 'boot.json', a name isoboot uses");
	ib_recipe_result_free(&r);
	expect_no_out();
}
END_TEST

/* A missing image: its errno and the name as given; no directory made
 * for it. */
START_TEST(test_missing_iso_named)
{
	struct ask a = { NULL, NULL, NULL, 0, NULL, NULL, NULL };
	ib_recipe_result r;
	ib_err err;

	a.iso = tu_at(top, "gone.iso");
	tu_expect_err(run_ask(&a, &r, &err), &err, ENOENT, "gone.iso");
	ib_recipe_result_free(&r);
	expect_no_out();
}
END_TEST

/* A label the image lacks: IB_ENOTFOUND naming the step, the image and
 * the label; nothing written, the directory the run made removed, one
 * that was there kept. */
START_TEST(test_unknown_label_named)
{
	struct ask a = { NULL, "nosuch", NULL, 0, NULL, NULL, NULL };
	ib_recipe_result r;
	ib_err err;

	build_iso();
	/* The image as given comes first, no internal step name. */
	tu_expect_err(run_ask(&a, &r, &err), &err, IB_ENOTFOUND, "img.iso: ");
	ck_assert_msg(strstr(err.msg, "boot menu") == NULL, "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "no entry named 'nosuch'") != NULL, "%s",
	    err.msg);
	ib_recipe_result_free(&r);
	expect_no_out();
	make_out();
	tu_expect_err(run_ask(&a, &r, &err), &err, IB_ENOTFOUND, "nosuch");
	ib_recipe_result_free(&r);
	ck_assert_int_eq(tu_entries(out_path()), 0);
}
END_TEST

/* --- the disk --- */

/* A disk is made when missing and never touched after, even with
 * another size asked. */
START_TEST(test_disk_made_once)
{
	struct ask a = { NULL, "b", NULL, 1024 * 1024, NULL, NULL, NULL };
	struct snap before, after;
	ib_recipe_result r;
	ib_err err;

	build_iso();
	ck_assert_msg(run_ask(&a, &r, &err) == 0, "%s", err.msg);
	ck_assert(r.disk.created);
	expect_output(&r, IB_RECIPE_DISK, "disk", true, 1024 * 1024);
	ck_assert_ptr_nonnull(
	    strstr(r.json, "\"disk\":{\"file\":\"disk.img\""));
	ib_recipe_result_free(&r);
	snap_dir(out_path(), &before);
	a.disk_size = 2 * 1024 * 1024;
	ck_assert_msg(run_ask(&a, &r, &err) == 0, "%s", err.msg);
	ck_assert(!r.disk.created);
	ck_assert_uint_eq(r.nwritten, 0);
	snap_dir(out_path(), &after);
	expect_same(&before, &after, IB_RECIPE_DISK);
	ib_recipe_result_free(&r);
}
END_TEST

/* A plain ECMA-119 image (no Rock Ridge): ISOLINUX finds /boot/vmlinuz
 * as BOOT/VMLINUZ. It was extracted as VMLINUZ and the recipe then
 * failed: "DIR/vmlinuz: No such file or directory". */
START_TEST(test_recipe_plain_ecma119_names_not_found)
{
	static const struct member mm[] = {
		{ "ISOLINUX/ISOLINUX.CFG",
		    "DEFAULT a\nLABEL a\n  KERNEL /boot/vmlinuz\n"
		    "  INITRD /boot/initrd.gz\n",
		    0 },
		{ "BOOT/VMLINUZ", "kernel", 0 },
		{ "BOOT/INITRD.GZ", "initrd", 0 },
	};
	struct spec s = { mm, NMEMB(mm), NULL, NULL, 0 };
	ib_recipe_opts o;
	ib_recipe_result r;
	ib_err err;

	isotest_build(&s, tu_at(top, "img.iso"));
	memset(&o, 0, sizeof(o));
	o.iso = tu_at(top, "img.iso");
	o.dir = tu_at(top, "out");
	o.vm.target = IB_TARGET_QEMU;
	ck_assert_msg(ib_recipe_run(&o, &r, &err) == 0, "%s", err.msg);
	tu_expect_file(tu_at(top, "out/vmlinuz"), "kernel", 6);
	tu_expect_file(tu_at(top, "out/initrd.gz"), "initrd", 6);
	ib_recipe_result_free(&r);
}
END_TEST

static Suite *
recipe_suite(void)
{
	Suite *s = menu_suite("recipe");

	add(s, "first_run_writes_every_output",
	    test_first_run_writes_every_output);
	add(s, "stamp_records_image_entry_files",
	    test_stamp_records_image_entry_files);
	/* idempotence */
	add(s, "second_run_writes_nothing", test_second_run_writes_nothing);
	add(s, "touched_iso_reextracts_rest_untouched",
	    test_touched_iso_reextracts_rest_untouched);
	add(s, "removed_boot_file_extracted_again",
	    test_removed_boot_file_extracted_again);
	add(s, "changed_boot_file_extracted_again",
	    test_changed_boot_file_extracted_again);
	/* stale files */
	add(s, "switching_entry_removes_stale_files",
	    test_switching_entry_removes_stale_files);
	add(s, "switching_platform_reads_efi_menu",
	    test_switching_platform_reads_efi_menu);
	add(s, "hostile_stamp_removes_only_plain_names",
	    test_hostile_stamp_removes_only_plain_names);
	add(s, "symlink_in_dir_not_followed", test_symlink_in_dir_not_followed);
	/* the joined initrd */
	add(s, "initrds_joined_padded_to_4", test_initrds_joined_padded_to_4);
	/* cancellation */
	add(s, "cancel_before_start_leaves_nothing",
	    test_cancel_before_start_leaves_nothing);
	add(s, "cancel_midway_leaves_no_partial_file",
	    test_cancel_midway_leaves_no_partial_file);
	add(s, "cancel_keeps_previous_outputs_whole",
	    test_cancel_keeps_previous_outputs_whole);
	/* failures */
	add(s, "entry_loading_output_name_is_unsupported",
	    test_entry_loading_output_name_is_unsupported);
	add(s, "missing_iso_named", test_missing_iso_named);
	add(s, "unknown_label_named", test_unknown_label_named);
	/* the disk */
	add(s, "disk_made_once", test_disk_made_once);
	add(s, "recipe_plain_ecma119_names_not_found",
	    test_recipe_plain_ecma119_names_not_found);
	return s;
}

int
main(void)
{
	return tu_run(recipe_suite());
}
