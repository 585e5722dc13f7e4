/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The whole recipe, from an ISO to a directory that boots it. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "compat.h"
#include "decompress.h"
#include "disk_convert.h"
#include "disk_image.h"
#include "extract.h"
#include "firmware.h"
#include "initrd.h"
#include "iso.h"
#include "path.h"
#include "place.h"
#include "plan.h"
#include "recipe.h"
#include "strbuf.h"

struct run {
	const ib_recipe_opts *o;
	ib_recipe_result *r;
	char *iso;  /* absolute */
	char *name; /* the VM's name: the image's, without .iso */
	ib_plan *p;
	const ib_menu_entry *e;
	char *files[1 + IB_MAX_INITRDS]; /* kernel, initrds: dir/base */
	size_t nfiles;
	char *dir;           /* the output directory, absolute */
	int dirfd;           /* open on dir */
	int lockfd;          /* holds dir's lock: one writer at a time */
	ib_vm_prep_files vf; /* what the VM boots */
	char *stamp;         /* what the stamp must say before its file lines */
	/* What the image is: a disk ("raw", "qcow2", and the size the VM
	 * sees) or an ISO (NULL); the plan's, or with UEFI firmware and a
	 * menu not read, this opening's. */
	const char *disk_format;
	uint64_t disk_size;
	ib_disk_image *disk;
	char *efi_vars; /* the VM's UEFI variable store, absolute */
};

/* The names isoboot writes in the directory, and those the run script
 * and the hypervisors write there (see vm_script.c, vm_hyperkit.c). */
static const char *const reserved[] = { IB_RECIPE_DISK, IB_RECIPE_RUN,
	IB_RECIPE_JSON, IB_RECIPE_CMDLINE, IB_RECIPE_JOINED, IB_RECIPE_IMAGE,
	IB_RECIPE_STAMP, IB_RECIPE_LOCK, IB_RECIPE_EFI_VARS,
	IB_RECIPE_VFKIT_VARS, IB_RECIPE_SEED_ISO, "run.pid", "vpnkit.eth.sock",
	"vpnkit.port.sock", "tty" };

static int
add_output(struct run *u, const char *name, const char *role, bool written,
    uint64_t size, ib_err *err)
{
	ib_recipe_output *out;

	if (u->r->noutputs == IB_MAX_OUTPUTS)
		return ib_err_set(err, IB_ELIMIT, "more than %u outputs",
		    IB_MAX_OUTPUTS);
	out = &u->r->outputs[u->r->noutputs];
	out->name = strdup(name);
	out->role = strdup(role);
	if (out->name == NULL || out->role == NULL) {
		free(out->name);
		free(out->role);
		return ib_err_errno(err, ENOMEM, "%s", name);
	}
	out->written = written;
	out->size = size;
	u->r->noutputs++;
	if (written)
		u->r->nwritten++;
	return 0;
}

/* Whether the compressed file at path holds an ISO 9660 image: its
 * first volume descriptor (ECMA-119 8.1, at 16 * 2048). */
static bool
holds_iso(const char *path)
{
	unsigned char b[0x8006];
	size_t got;
	ib_err e;

	return ib_decompress_head(path, b, sizeof(b), &got, &e) == 0 &&
	    got == sizeof(b) && memcmp(b + 0x8001, "CD001", 5) == 0;
}

/*
 * A compressed image is made whole in the directory once, under its
 * name without the compression suffix, and booted from there: a disk
 * (a cloud image's .raw.xz or .qcow2.xz) is read and written in place,
 * and an ISO is the VM's CD, which no hypervisor reads compressed. One
 * already there is kept as it is (a disk's is the guest's).
 */
static int
whole_image(struct run *u, ib_err *err)
{
	ib_decompress_opts dop;
	const char *kind, *role;
	uint64_t size = 0;
	char *name, *path;
	bool made = false;
	struct stat st, src;
	int rc;

	/* Unreadable here (a FIFO has no pread): the image's reader says
	 * what it is. */
	rc = ib_disk_image_sniff(u->iso, &kind, err);
	ib_err_clear(err);
	if (kind == NULL || (rc != 2 && !holds_iso(u->iso)))
		return 0;
	role = rc == 2 ? "unpacked disk" : "unpacked image";
	name = ib_decompress_name_new(u->iso);
	if (name == NULL)
		return ib_err_errno(err, ENOMEM, "%s", u->o->iso);
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(name, reserved[i]) == 0) {
			rc = ib_err_set(err, IB_EUNSUPPORTED,
			    "%s: unpacked it would be %s, a name isoboot "
			    "uses for its own output: rename it",
			    u->o->iso, name);
			free(name);
			return rc;
		}
	/* An unpacked ISO is the compressed one's copy: one older than it
	 * (a new release under the same name) is made again. A disk's is
	 * the guest's, and stays. */
	if (rc != 2 && stat(u->iso, &src) == 0 &&
	    fstatat(u->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_mtime < src.st_mtime)
		unlinkat(u->dirfd, name, 0);
	memset(&dop, 0, sizeof(dop));
	dop.cancel = u->o->cancel;
	dop.progress = u->o->progress;
	dop.progress_ctx = u->o->progress_ctx;
	rc = ib_decompress_to(u->iso, u->dirfd, name, &dop, &size, err);
	if (rc == 0)
		made = true;
	else if (err->code == EEXIST)
		ib_err_clear(err);
	else {
		ib_err_prefix(err, "%s: %s: ", u->o->iso, kind);
		free(name);
		return -1;
	}
	path = ib_path_join_new(u->dir, name);
	if (path == NULL || stat(path, &st) == -1) {
		rc = path == NULL ? ib_err_errno(err, ENOMEM, "%s", name) :
		                    ib_err_errno(err, errno, "%s", path);
		free(path);
		free(name);
		return rc;
	}
	free(u->iso);
	u->iso = path;
	rc = add_output(u, name, role, made, (uint64_t)st.st_size, err);
	free(name);
	return rc;
}

/* The chosen entry's config, label and the notes that chose it. */
static int
menu_result(struct run *u, ib_err *err)
{
	const ib_menu *m;
	ib_strbuf why = { 0 };
	size_t i;

	m = ib_plan_menu(u->p);
	u->r->config = strdup(ib_menu_config(m));
	u->r->label = strdup(ib_plan_label(u->p));
	/* The decisions that chose the entry; boot.json keeps every note. */
	for (i = 0; i < ib_menu_nnotes(m); i++)
		if (!ib_menu_note_aside(m, i) &&
		    ((why.len > 0 && ib_strbuf_addc(&why, '\n', err) == -1) ||
		        ib_strbuf_adds(&why, ib_menu_note(m, i), err) == -1)) {
			ib_strbuf_release(&why);
			return -1;
		}
	u->r->why = why.s != NULL ? ib_strbuf_take(&why, err) : strdup("");
	if (u->r->config == NULL || u->r->label == NULL || u->r->why == NULL)
		return ib_err_errno(err, ENOMEM, "menu");
	u->disk_format = ib_plan_disk_format(u->p);
	u->disk_size = ib_plan_disk_size(u->p);
	return 0;
}

/* The image's menu and the entry to boot. */
static int
read_menu(struct run *u, ib_err *err)
{
	const ib_recipe_opts *o = u->o;
	size_t i, j;

	u->p = ib_plan_open(u->iso, o->platform, err);
	if (u->p == NULL)
		return -1;
	u->e = ib_plan_choose(u->p, o->label, false, err);
	if (u->e == NULL || menu_result(u, err) == -1)
		return -1;
	for (i = 0; i < ib_plan_nfiles(u->p); i++) {
		u->files[u->nfiles] = ib_plan_path_new(u->p, u->dir, i);
		if (u->files[u->nfiles++] == NULL)
			return ib_err_errno(err, ENOMEM, "menu");
		for (j = 0; j < sizeof(reserved) / sizeof(reserved[0]); j++)
			if (strcmp(ib_plan_file_name(u->p, i), reserved[j]) ==
			    0)
				return ib_err_set(err, IB_EUNSUPPORTED,
				    "%s: the entry loads a file named '%s', a "
				    "name isoboot uses for its own output",
				    u->e->where, reserved[j]);
	}
	return 0;
}

/* The stamp's first lines: what the extraction depends on. */
static int
stamp_key(struct run *u, ib_err *err)
{
	const ib_recipe_opts *o = u->o;
	struct stat st;
	ib_strbuf b = { 0 };
	char id[128];
	size_t i;
	int rc;

	if (stat(u->iso, &st) == -1)
		return ib_err_errno(err, errno, "%s", u->iso);
	rc = ib_strbuf_adds(&b, "isoboot stamp 1\niso ", err) ||
	    ib_strbuf_add_json(&b, u->iso, err) ||
	    ib_strbuf_addf(&b, err, "\nimage %llu %llu",
	        (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	/* A disk image changes whenever its VM runs: what counts there is
	 * whether the entry's files in it changed ("wants ... from"). */
	if (rc == 0 && u->disk_format == NULL)
		rc = ib_strbuf_addf(&b, err, " %llu %lld.%09ld",
		    (unsigned long long)st.st_size, (long long)st.st_mtime,
		    ib_mtime_nsec(&st));
	rc = rc || ib_strbuf_adds(&b, "\nentry ", err) ||
	    ib_strbuf_add_json(&b, u->e->where, err) ||
	    ib_strbuf_addf(&b, err, "\nplatform %s\n",
	        o->platform != NULL ? o->platform : "bios");
	for (i = 0; rc == 0 && i < u->nfiles; i++)
		rc = ib_plan_file_id(u->p, i, id, sizeof(id), err) == -1 ||
		    ib_strbuf_adds(&b, "wants ", err) ||
		    ib_strbuf_add_json(&b, ib_path_base(u->files[i]), err) ||
		    (id[0] != '\0' &&
		        ib_strbuf_addf(&b, err, " from %s", id) == -1) ||
		    ib_strbuf_addc(&b, '\n', err);
	if (rc != 0) {
		ib_strbuf_release(&b);
		return -1;
	}
	u->stamp = ib_strbuf_take(&b, err);
	return u->stamp != NULL ? 0 : -1;
}

/* "file NAME SIZE MTIME" for name in dirfd, or -1 if it is not there. */
static int
stamp_file(ib_strbuf *b, int dirfd, const char *name, ib_err *err)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISREG(st.st_mode))
		return ib_err_errno(err, errno != 0 ? errno : EINVAL, "%s",
		    name);
	return ib_strbuf_adds(b, "file ", err) ||
	        ib_strbuf_add_json(b, name, err) ||
	        ib_strbuf_addf(b, err, " %llu %lld.%09ld\n",
	            (unsigned long long)st.st_size, (long long)st.st_mtime,
	            ib_mtime_nsec(&st)) ?
	    -1 :
	    0;
}

/* The whole stamp as it would be now: the key, then each boot file's
 * size and time. NULL when a file is missing. */
static char *
stamp_now(struct run *u)
{
	ib_strbuf b = { 0 };
	ib_err err;
	size_t i;
	int rc;

	rc = ib_strbuf_adds(&b, u->stamp, &err);
	for (i = 0; rc == 0 && i < u->nfiles; i++)
		rc = stamp_file(&b, u->dirfd, ib_path_base(u->files[i]), &err);
	if (rc == 0 && u->nfiles > 2)
		rc = stamp_file(&b, u->dirfd, IB_RECIPE_JOINED, &err);
	if (rc != 0) {
		ib_strbuf_release(&b);
		return NULL;
	}
	return ib_strbuf_take(&b, &err);
}

/* The stamp as the last run left it, into buf (IB_MAX_STAMP + 1 bytes). */
static bool
read_stamp(const struct run *u, char *buf)
{
	ssize_t n;
	int fd;

	fd = openat(u->dirfd, IB_RECIPE_STAMP,
	    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return false;
	n = read(fd, buf, IB_MAX_STAMP);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* The unpacked kernel's line, which follows the others in the stamp. */
static char *
image_line(struct run *u)
{
	ib_strbuf b = { 0 };
	ib_err err;

	if (stamp_file(&b, u->dirfd, IB_RECIPE_IMAGE, &err) == -1) {
		ib_strbuf_release(&b);
		return NULL;
	}
	return ib_strbuf_take(&b, &err);
}

/*
 * What the stamp says, read once: *fresh, the boot files in dir are this
 * image's (the stamp may go on with an Image line); *image, and the
 * unpacked kernel there is the one made from them.
 */
static void
check_stamp(struct run *u, bool *fresh, bool *image)
{
	char buf[IB_MAX_STAMP + 1], *now, *img;
	size_t len;

	*fresh = *image = false;
	if (!read_stamp(u, buf))
		return;
	now = stamp_now(u);
	len = now != NULL ? strlen(now) : 0;
	if (now != NULL && strncmp(now, buf, len) == 0) {
		img = image_line(u);
		*image = img != NULL && strcmp(buf + len, img) == 0;
		*fresh = *image || buf[len] == '\0' ||
		    strncmp(buf + len, "file \"" IB_RECIPE_IMAGE "\" ",
		        8 + strlen(IB_RECIPE_IMAGE)) == 0;
		free(img);
	}
	free(now);
}

/* Whether name is one of the boot files this run wants. */
static bool
wanted(const struct run *u, const char *name)
{
	size_t i;

	for (i = 0; i < u->nfiles; i++)
		if (strcmp(ib_path_base(u->files[i]), name) == 0)
			return true;
	return false;
}

/*
 * Remove the files an earlier stamp lists (another entry's kernel and
 * initrds, a joined initrd, an unpacked Image) that this run does not
 * make again, or with all every one: only plain names the stamp lists,
 * so only files isoboot wrote.
 */
static void
remove_stale(struct run *u, bool all)
{
	char buf[IB_MAX_STAMP + 1], name[IB_MAX_NAME + 1];
	const char *p, *q;
	size_t len;

	if (!read_stamp(u, buf))
		return;
	for (p = buf; (p = strstr(p, "\nfile \"")) != NULL; p = q) {
		p += 7;
		q = strchr(p, '"');
		if (q == NULL)
			break;
		len = (size_t)(q - p);
		if (len == 0 || len > IB_MAX_NAME || memchr(p, '\\', len) ||
		    memchr(p, '/', len) || p[0] == '.')
			continue;
		memcpy(name, p, len);
		name[len] = '\0';
		if (all ||
		    (!wanted(u, name) &&
		        !(u->nfiles > 2 &&
		            strcmp(name, IB_RECIPE_JOINED) == 0) &&
		        strcmp(name, IB_RECIPE_IMAGE) != 0))
			unlinkat(u->dirfd, name, 0);
	}
}

static int
extract(struct run *u, ib_err *err)
{
	const ib_recipe_opts *o = u->o;
	ib_extract_opts xo;

	remove_stale(u, false);
	memset(&xo, 0, sizeof(xo));
	xo.cancel = o->cancel;
	xo.progress = o->progress;
	xo.progress_ctx = o->progress_ctx;
	if (ib_plan_extract(u->p, u->dirfd, &xo, err) == -1)
		return -1;
	u->r->extracted = true;
	return 0;
}

/* The stamp for what dir now holds: the boot files, the joined initrd
 * and, when the VM boots it, the unpacked Image. */
static int
write_stamp(struct run *u, ib_err *err)
{
	char *now, *img;
	bool changed;
	ib_strbuf b = { 0 };
	int rc;

	now = stamp_now(u);
	img =
	    strcmp(u->vf.kernel, u->files[0]) != 0 ? image_line(u) : strdup("");
	rc = now == NULL || img == NULL || ib_strbuf_adds(&b, now, err) ||
	        ib_strbuf_adds(&b, img, err) ?
	    -1 :
	    ib_place_bytes(u->dirfd, IB_RECIPE_STAMP, b.s, b.len, 0644,
	        &changed, err);
	if (rc == -1 && (now == NULL || img == NULL))
		ib_err_set(err, EIO, "%s: changed while extracting", u->dir);
	free(now);
	free(img);
	ib_strbuf_release(&b);
	return rc;
}

/*
 * The boot files: extracted unless the stamp says they are there; then
 * made ready for the target (the initrds joined, the kernel unpacked for
 * vfkit: again only when the stamp does not record them).
 */
static int
boot_files(struct run *u, ib_err *err)
{
	const ib_recipe_opts *o = u->o;
	ib_vm_prep_in in;
	struct stat st;
	bool fresh, image;
	size_t i;

	if (stamp_key(u, err) == -1)
		return -1;
	check_stamp(u, &fresh, &image);
	if (!fresh && extract(u, err) == -1)
		return ib_err_prefix(err, "%s: ", u->o->iso);
	memset(&in, 0, sizeof(in));
	in.target = o->vm.target;
	in.kernel = u->files[0];
	in.initrds = (const char *const *)u->files + 1;
	in.ninitrds = u->nfiles - 1;
	in.dir = u->dir;
	in.keep = fresh ? IB_VM_PREP_KEEP_JOINED : 0;
	if (image)
		in.keep |= IB_VM_PREP_KEEP_IMAGE;
	in.cancel = o->cancel;
	if (ib_vm_prep_files_init(&u->vf, &in, err) == -1 ||
	    ((u->r->extracted || u->vf.joined || u->vf.unpacked) &&
	        write_stamp(u, err) == -1))
		return -1;
	for (i = 0; i < u->nfiles; i++) {
		if (stat(u->files[i], &st) == -1)
			return ib_err_errno(err, errno, "%s", u->files[i]);
		if (add_output(u, ib_path_base(u->files[i]),
		        i == 0 ? "kernel" : "initrd", u->r->extracted,
		        (uint64_t)st.st_size, err) == -1)
			return -1;
	}
	if (u->nfiles > 2 &&
	    add_output(u, IB_RECIPE_JOINED, "joined initrd", u->vf.joined,
	        u->vf.initrd_size, err) == -1)
		return -1;
	return 0;
}

/* What the kernel is; for vfkit, the arm64 Image unpacked from it. */
static int
kernel(struct run *u, ib_err *err)
{
	struct stat is;
	char line[512];

	if (strcmp(u->vf.kernel, u->files[0]) != 0 &&
	    (stat(u->vf.kernel, &is) == -1 ||
	        add_output(u, IB_RECIPE_IMAGE, "unpacked kernel",
	            u->vf.unpacked, (uint64_t)is.st_size, err) == -1))
		return -1;
	u->r->maybe_linux = ib_kernel_maybe_linux(&u->vf.ki);
	ib_kernel_describe(&u->vf.ki, u->e->kernel, line, sizeof(line));
	u->r->kernel = strdup(line);
	return u->r->kernel != NULL ? 0 : ib_err_errno(err, ENOMEM, "kernel");
}

/*
 * With UEFI firmware the menu is read for the summary only: an image
 * whose menu isoboot cannot read (an XFS /boot) boots all the same, and
 * the reason is kept. What the image is must still be known: a disk,
 * opened for its format and size, or an ISO image.
 */
static int
read_menu_efi(struct run *u, ib_err *err)
{
	const ib_recipe_opts *o = u->o;
	const char *kind;
	ib_iso_opts io;
	ib_err why;
	ib_iso *iso;
	int disk;

	u->p = ib_plan_open(u->iso, o->platform != NULL ? o->platform : "efi",
	    &why);
	if (u->p != NULL)
		u->e = ib_plan_choose(u->p, NULL, false, &why);
	if (u->e != NULL)
		return menu_result(u, err);
	u->r->menu_error = strdup(ib_err_text(&why));
	u->r->config = strdup("");
	u->r->label = strdup("");
	u->r->why = strdup("");
	if (u->r->menu_error == NULL || u->r->config == NULL ||
	    u->r->label == NULL || u->r->why == NULL)
		return ib_err_errno(err, ENOMEM, "menu");
	if (u->p != NULL) {
		u->disk_format = ib_plan_disk_format(u->p);
		u->disk_size = ib_plan_disk_size(u->p);
		return 0;
	}
	disk = ib_disk_image_sniff(u->iso, &kind, err);
	if (disk == 1) {
		u->disk = ib_disk_image_open(u->iso, err);
		if (u->disk == NULL)
			return -1;
		u->disk_format = ib_disk_image_format_name(u->disk);
		u->disk_size = ib_disk_image_reader(u->disk)->size;
		return 0;
	}
	/* Not a disk: it must be an ISO image for the CD; else the reason
	 * the menu was not read is the reason it cannot boot. */
	ib_err_clear(err);
	memset(&io, 0, sizeof(io));
	iso = disk == 0 ? ib_iso_open(u->iso, &io, err) : NULL;
	if (iso == NULL) {
		*err = why;
		return -1;
	}
	ib_iso_close(iso);
	return 0;
}

/*
 * UEFI firmware boots the image's own loader: the files an earlier run
 * extracted for kexec, its stamp and command line are removed; qemu's
 * firmware is found and the VM's variable store made once, never
 * replaced; vfkit makes its own store (see ib_vm_script_new).
 */
static int
efi_files(struct run *u, ib_vm *v, ib_err *err)
{
	const ib_recipe_opts *o = u->o;
	ib_firmware_files fw;
	struct stat st;
	bool made;
	int rc;

	remove_stale(u, true);
	unlinkat(u->dirfd, IB_RECIPE_STAMP, 0);
	unlinkat(u->dirfd, IB_RECIPE_CMDLINE, 0);
	u->r->efi = true;
	if (o->vm.target == IB_TARGET_VFKIT) {
		u->efi_vars = ib_path_join_new(u->dir, IB_RECIPE_VFKIT_VARS);
		if (u->efi_vars == NULL)
			return ib_err_errno(err, ENOMEM, "firmware");
		v->efi_vars = u->efi_vars;
		return 0;
	}
	if (o->vm.target != IB_TARGET_QEMU) {
		/* hyperkit, xhyve: the user's ROM, or ib_vm_check's error. */
		if (o->vm.bootrom == NULL)
			return 0;
		u->r->firmware = realpath(o->vm.bootrom, NULL);
		if (u->r->firmware == NULL)
			return ib_err_errno(err, errno, "%s", o->vm.bootrom);
		v->bootrom = u->r->firmware;
		return 0;
	}
	if (ib_firmware_find_qemu(o->vm.bootrom, ib_vm_target_argv0(&o->vm),
	        o->path, o->vm.arm64, &fw, err) == -1)
		return -1;
	rc = ib_firmware_vars_make(fw.vars, u->dirfd, IB_RECIPE_EFI_VARS, &made,
	    o->cancel, err);
	u->r->firmware = fw.code;
	fw.code = NULL;
	ib_firmware_files_release(&fw);
	if (rc == -1)
		return ib_err_prefix(err, "%s: ", IB_RECIPE_EFI_VARS);
	u->efi_vars = ib_path_join_new(u->dir, IB_RECIPE_EFI_VARS);
	if (u->efi_vars == NULL)
		return ib_err_errno(err, ENOMEM, "firmware");
	if (stat(u->efi_vars, &st) == -1)
		return ib_err_errno(err, errno, "%s", u->efi_vars);
	v->bootrom = u->r->firmware;
	v->efi_vars = u->efi_vars;
	return add_output(u, IB_RECIPE_EFI_VARS, "EFI variables", made,
	    (uint64_t)st.st_size, err);
}

/* A small output: written only when its bytes differ. */
static int
put(struct run *u, const char *name, const char *role, const char *text,
    mode_t mode, ib_err *err)
{
	bool changed;

	if (ib_place_bytes(u->dirfd, name, text, strlen(text), mode, &changed,
	        err) == -1)
		return ib_err_prefix(err, "write %s/%s: ", u->dir, name);
	return add_output(u, name, role, changed, strlen(text), err);
}

/*
 * The disk image the recipe boots is the VM's disk: as it is, except a
 * qcow2 image for a hypervisor that reads only raw disks (hyperkit,
 * xhyve, vfkit), which gets DIR/disk.img converted from it, once: the
 * guest then writes there, so an existing disk.img is never replaced.
 */
static int
image_disk(struct run *u, char **path, ib_err *err)
{
	const ib_recipe_opts *o = u->o;
	ib_disk_convert_opts co;
	bool qcow2, made = false;

	qcow2 = strcmp(u->disk_format, "qcow2") == 0;
	if (!qcow2 || o->vm.target == IB_TARGET_QEMU) {
		*path = strdup(u->iso);
		if (*path == NULL)
			return ib_err_errno(err, ENOMEM, "disk");
		u->r->disk.qcow2 = qcow2;
		u->r->disk.size = u->disk_size;
		return 0;
	}
	memset(&co, 0, sizeof(co));
	co.cancel = o->cancel;
	co.progress = o->progress;
	co.progress_ctx = o->progress_ctx;
	if (ib_disk_convert_raw(u->iso, u->dirfd, IB_RECIPE_DISK, &co, err) ==
	    0)
		made = true;
	else if (err->code != EEXIST)
		return ib_err_prefix(err, "%s: ", IB_RECIPE_DISK);
	ib_err_clear(err);
	*path = ib_path_join_new(u->dir, IB_RECIPE_DISK);
	if (*path == NULL)
		return ib_err_errno(err, ENOMEM, "disk");
	if (ib_vm_prep_disk(*path, 0, o->cancel, &u->r->disk, err) == -1)
		return ib_err_prefix(err, "disk: ");
	return add_output(u, IB_RECIPE_DISK, "raw disk", made, u->r->disk.size,
	    err);
}

static int
disk(struct run *u, char **path, ib_err *err)
{
	const ib_recipe_opts *o = u->o;

	*path = ib_path_join_new(u->dir, IB_RECIPE_DISK);
	if (*path == NULL)
		return ib_err_errno(err, ENOMEM, "disk");
	if (ib_vm_prep_disk(*path, o->disk_size, o->cancel, &u->r->disk, err) ==
	    -1)
		return ib_err_prefix(err, "disk: ");
	return add_output(u, IB_RECIPE_DISK, "disk", u->r->disk.created,
	    u->r->disk.size, err);
}

/*
 * cloud-init's NoCloud seed, DIR/seed.iso, for a disk image (or when
 * asked): the key and the user's user-data read and checked here, the
 * volume written only when its bytes change. *path stays NULL when no
 * seed is made.
 */
static int
seed(struct run *u, char **path, ib_err *err)
{
	const ib_recipe_opts *o = u->o;
	ib_seed_opts so;
	char *key = NULL, *ud = NULL;
	size_t udlen = 0, size;
	bool changed;
	int rc = -1;

	*path = NULL;
	if (o->seed == IB_RECIPE_SEED_OFF ||
	    (o->seed == IB_RECIPE_SEED_AUTO && u->disk_format == NULL))
		return 0;
	if (o->seed_key == NULL && o->seed_user_data == NULL) {
		if (o->seed == IB_RECIPE_SEED_AUTO) {
			u->r->seed_nokey = true;
			return 0;
		}
		return ib_err_set(err, EINVAL,
		    "%s: no public key and no user-data for it",
		    IB_RECIPE_SEED_ISO);
	}
	if (o->seed_key != NULL) {
		key = ib_seed_key_read(o->seed_key, err);
		if (key == NULL)
			return -1;
	}
	if (o->seed_user_data != NULL &&
	    ib_seed_user_data_read(o->seed_user_data, &ud, &udlen, err) == -1)
		goto out;
	memset(&so, 0, sizeof(so));
	so.user = o->seed_user;
	so.hostname =
	    o->seed_hostname != NULL ? o->seed_hostname : ib_path_base(u->dir);
	so.key = key;
	so.user_data = ud;
	so.user_data_len = udlen;
	if (ib_seed_write(&so, u->dirfd, IB_RECIPE_SEED_ISO, &changed, &size,
	        err) == -1) {
		ib_err_prefix(err, "%s: ", IB_RECIPE_SEED_ISO);
		goto out;
	}
	*path = ib_path_join_new(u->dir, IB_RECIPE_SEED_ISO);
	if (*path == NULL) {
		ib_err_errno(err, ENOMEM, "seed");
		goto out;
	}
	u->r->seed = true;
	rc = add_output(u, IB_RECIPE_SEED_ISO, "cloud-init seed", changed, size,
	    err);
out:
	free(key);
	free(ud);
	return rc;
}

/* ,"why":[the menu's notes] */
static int
add_notes(ib_strbuf *b, const ib_menu *m, ib_err *err)
{
	size_t i;

	if (ib_strbuf_adds(b, ",\"why\":[", err) == -1)
		return -1;
	for (i = 0; i < ib_menu_nnotes(m); i++)
		if ((i > 0 && ib_strbuf_addc(b, ',', err) == -1) ||
		    ib_strbuf_add_json(b, ib_menu_note(m, i), err) == -1)
			return -1;
	return ib_strbuf_addc(b, ']', err);
}

/* ,"files":[{"name","role","size"}...]: the outputs made so far. */
static int
add_files(ib_strbuf *b, const ib_recipe_result *r, ib_err *err)
{
	size_t i;

	if (ib_strbuf_adds(b, ",\"files\":[", err) == -1)
		return -1;
	for (i = 0; i < r->noutputs; i++)
		if ((i > 0 && ib_strbuf_addc(b, ',', err) == -1) ||
		    ib_strbuf_adds(b, "{\"name\":", err) == -1 ||
		    ib_strbuf_add_json(b, r->outputs[i].name, err) == -1 ||
		    ib_strbuf_adds(b, ",\"role\":", err) == -1 ||
		    ib_strbuf_add_json(b, r->outputs[i].role, err) == -1 ||
		    ib_strbuf_addf(b, err, ",\"size\":%llu}",
		        (unsigned long long)r->outputs[i].size) == -1)
			return -1;
	return ib_strbuf_addc(b, ']', err);
}

/* boot.json: the menu as the tools print it, the files, the VM. */
/* The platform whose menu is read: UEFI firmware runs EFI loaders. */
static const char *
platform(const struct run *u)
{
	if (u->o->platform != NULL)
		return u->o->platform;
	return u->o->vm.firmware == IB_FW_EFI ? "efi" : "bios";
}

/* ,"firmware":...,"bootrom":...,"efi_vars":...,"menu_error":... */
static int
add_firmware(ib_strbuf *b, const struct run *u, ib_err *err)
{
	return ib_strbuf_addf(b, err, ",\"firmware\":\"%s\",\"bootrom\":",
	           ib_vm_firmware_name(u->o->vm.firmware)) ||
	        ib_strbuf_add_json(b, u->r->firmware, err) ||
	        ib_strbuf_adds(b, ",\"efi_vars\":", err) ||
	        ib_strbuf_add_json(b, u->efi_vars, err) ||
	        ib_strbuf_adds(b, ",\"menu_error\":", err) ||
	        ib_strbuf_add_json(b, u->r->menu_error, err) ?
	    -1 :
	    0;
}

static char *
boot_json(struct run *u, const ib_vm *vm, const ib_argv *a, ib_err *err)
{
	const ib_menu *m = u->e != NULL ? ib_plan_menu(u->p) : NULL;
	ib_strbuf b = { 0 };
	char *menu, *vmj;
	int rc;

	/* With UEFI firmware nothing is extracted: the files as the image
	 * names them; a menu not read is null. */
	menu = m == NULL ?
	    strdup("null\n") :
	    ib_plan_json_new(u->p, u->r->efi ? NULL : u->dir, u->e->args, err);
	if (m == NULL && menu == NULL)
		ib_err_errno(err, ENOMEM, "boot.json");
	vmj = menu != NULL ? ib_vm_json_new(vm, a, err) : NULL;
	rc = vmj == NULL || ib_strbuf_adds(&b, "{\"iso\":", err) ||
	    ib_strbuf_add_json(&b, u->iso, err) ||
	    ib_strbuf_adds(&b, ",\"dir\":", err) ||
	    ib_strbuf_add_json(&b, u->dir, err) || add_firmware(&b, u, err) ||
	    ib_strbuf_addf(&b, err,
	        ",\"platform\":\"%s\",\"config\":", platform(u)) ||
	    ib_strbuf_add_json(&b, m != NULL ? u->r->config : NULL, err) ||
	    ib_strbuf_adds(&b, ",\"label\":", err) ||
	    ib_strbuf_add_json(&b, m != NULL ? u->r->label : NULL, err) ||
	    (m != NULL ? add_notes(&b, m, err) :
	                 ib_strbuf_adds(&b, ",\"why\":[]", err)) ||
	    ib_strbuf_adds(&b, ",\"kernel_is\":", err) ||
	    ib_strbuf_add_json(&b, u->r->kernel, err) ||
	    ib_strbuf_adds(&b, ",\"cmdline_in_config\":", err) ||
	    ib_strbuf_add_json(&b, u->e != NULL ? u->e->args : NULL, err) ||
	    ib_strbuf_adds(&b, ",\"cmdline\":", err) ||
	    ib_strbuf_add_json(&b, u->r->cmdline, err) ||
	    (u->disk_format != NULL ?
	            ib_strbuf_adds(&b, ",\"disk\":{\"file\":", err) ||
	                ib_strbuf_add_json(&b, vm->disks[0], err) ||
	                ib_strbuf_addf(&b, err,
	                    ",\"format\":\"%s\",\"size\":%llu}",
	                    vm->disk_qcow2[0] ? "qcow2" : "raw",
	                    (unsigned long long)u->r->disk.size) :
	            u->o->disk_size == 0 ?
	            ib_strbuf_adds(&b, ",\"disk\":null", err) :
	            ib_strbuf_addf(&b, err,
	                ",\"disk\":{\"file\":\"%s\",\"format\":\"%s\","
	                "\"size\":%llu}",
	                IB_RECIPE_DISK, u->r->disk.qcow2 ? "qcow2" : "raw",
	                (unsigned long long)u->r->disk.size)) ||
	    add_files(&b, u->r, err) || ib_strbuf_adds(&b, ",\"menu\":", err) ||
	    ib_strbuf_add(&b, menu, strlen(menu) - 1, err) ||
	    ib_strbuf_adds(&b, ",\"vm\":", err) ||
	    ib_strbuf_add(&b, vmj, strlen(vmj) - 1, err) ||
	    ib_strbuf_adds(&b, "}\n", err);
	free(menu);
	free(vmj);
	if (rc != 0) {
		ib_strbuf_release(&b);
		return NULL;
	}
	return ib_strbuf_take(&b, err);
}

static int
vm(struct run *u, ib_err *err)
{
	const ib_recipe_opts *o = u->o;
	ib_argv a = { 0 };
	char *text, *diskpath, *seedpath = NULL;
	bool image;
	size_t n;
	ib_vm v;
	int rc;

	v = o->vm;
	rc = 0;
	if (o->vm.firmware == IB_FW_EFI) {
		rc = efi_files(u, &v, err);
	} else {
		/* sr-mod for an Alpine-style modules= only with a CD: a
		 * disk image is no CD. */
		u->r->cmdline = ib_vm_prep_cmdline(u->e->args, o->vm.target,
		    true, u->disk_format == NULL, err);
		if (u->r->cmdline == NULL)
			return -1;
		n = strlen(u->r->cmdline) + 2;
		text = malloc(n);
		if (text == NULL)
			return ib_err_errno(err, ENOMEM, "cmdline");
		snprintf(text, n, "%s\n", u->r->cmdline);
		rc = put(u, IB_RECIPE_CMDLINE, "command line", text, 0644, err);
		free(text);
		ib_vm_prep_files_apply(&u->vf, &v);
		v.cmdline = u->r->cmdline;
	}
	diskpath = NULL;
	image = u->disk_format != NULL;
	u->r->disk_image = image;
	if (rc == -1 || (image && image_disk(u, &diskpath, err) == -1) ||
	    (!image && o->disk_size != 0 && disk(u, &diskpath, err) == -1) ||
	    seed(u, &seedpath, err) == -1) {
		free(diskpath);
		free(seedpath);
		return -1;
	}
	v.seed = seedpath;
	v.cpus = v.cpus != 0 ? v.cpus : 1;
	if (diskpath != NULL) {
		v.disks[0] = diskpath;
		v.disk_qcow2[0] = u->r->disk.qcow2;
		v.ndisks = 1;
	}
	/* A disk image is the VM's disk, not a CD. */
	v.cdrom = image ? NULL : u->iso;
	v.serial = IB_SERIAL_STDIO;
	ib_vm_uuid(u->name, v.uuid);
	v.state_dir = u->dir;
	if (v.mem == 0)
		v.mem = ib_vm_default_mem(&v);
	rc = -1;
	if (ib_vm_argv(&v, &a, err) == -1) {
		ib_err_prefix(err, "%s: ", ib_vm_target_name(o->vm.target));
		goto out;
	}
	text = ib_vm_script_new(&v, &a, err);
	if (text == NULL)
		goto out;
	rc = put(u, IB_RECIPE_RUN, "script", text, 0755, err);
	free(text);
	if (rc == -1)
		goto out;
	u->r->json = boot_json(u, &v, &a, err);
	rc = u->r->json == NULL ?
	    -1 :
	    put(u, IB_RECIPE_JSON, "decisions", u->r->json, 0644, err);
out:
	ib_argv_free(&a);
	free(diskpath);
	free(seedpath);
	return rc;
}

/* Open the output directory, made (one level) when missing; *made says
 * whether this run made it. */
static int
open_dir(struct run *u, bool *made, ib_err *err)
{
	struct stat st;
	unsigned swept;

	*made = stat(u->o->dir, &st) == -1 && errno == ENOENT;
	u->dirfd = ib_place_dir(u->o->dir, err);
	if (u->dirfd == -1)
		return -1;
	/* Two runs on one directory would mix their outputs: the second
	 * waits for the first. */
	u->lockfd = ib_place_lock(u->dirfd, IB_RECIPE_LOCK, u->o->waiting,
	    u->o->waiting_ctx, u->o->cancel, err);
	if (u->lockfd == -1)
		return ib_err_prefix(err, "%s: ", u->o->dir);
	/* A run killed before it cleaned up left its temporaries. */
	if (ib_place_sweep(u->dirfd, &swept, err) == -1)
		return ib_err_prefix(err, "%s: ", u->o->dir);
	u->dir = realpath(u->o->dir, NULL);
	if (u->dir == NULL)
		return ib_err_errno(err, errno, "%s", u->o->dir);
	return 0;
}

int
ib_recipe_run(const ib_recipe_opts *o, ib_recipe_result *r, ib_err *err)
{
	struct run u;
	bool made;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&u, 0, sizeof(u));
	u.o = o;
	u.r = r;
	u.dirfd = -1;
	u.lockfd = -1;
	/* A mistyped ISO must not leave a directory behind. */
	u.iso = realpath(o->iso, NULL);
	if (u.iso == NULL)
		return ib_err_errno(err, errno, "%s", o->iso);
	u.name = ib_vm_prep_name(u.iso);
	rc = -1;
	made = false;
	if (u.name == NULL) {
		ib_err_errno(err, ENOMEM, "%s", o->iso);
		goto out;
	}
	if (open_dir(&u, &made, err) == -1) {
		r->dir_failed = true;
		goto out;
	}
	if (whole_image(&u, err) == -1)
		goto out;
	if (o->vm.firmware == IB_FW_EFI && o->label != NULL) {
		ib_err_set(err, EINVAL,
		    "UEFI firmware boots the loader's own default: no label");
		goto out;
	}
	if ((o->vm.firmware == IB_FW_EFI ? read_menu_efi(&u, err) :
	                                   read_menu(&u, err)) == -1) {
		ib_err_prefix(err, "%s: ", o->iso);
		goto out;
	}
	if (o->vm.firmware == IB_FW_EFI)
		rc = vm(&u, err);
	else
		rc = boot_files(&u, err) == -1 || kernel(&u, err) == -1 ||
		        vm(&u, err) == -1 ?
		    -1 :
		    0;
out:
	ib_vm_prep_files_release(&u.vf);
	ib_plan_close(u.p);
	ib_disk_image_close(u.disk);
	free(u.efi_vars);
	for (i = 0; i < u.nfiles; i++)
		free(u.files[i]);
	ib_place_unlock(u.dirfd, IB_RECIPE_LOCK, u.lockfd);
	if (u.dirfd != -1)
		close(u.dirfd);
	if (rc == -1 && made)
		rmdir(o->dir); /* only when it is still empty */
	free(u.dir);
	free(u.stamp);
	free(u.name);
	free(u.iso);
	return rc;
}

char *
ib_recipe_dir_new(const char *iso)
{
	char *name, *vm;

	name = ib_vm_prep_name(iso);
	if (name == NULL || name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0) {
		free(name);
		return NULL;
	}
	if (strcmp(name, ib_path_base(iso)) != 0)
		return name;
	/* Not named .iso: the directory must not take the image's name. */
	vm = malloc(strlen(name) + 4);
	if (vm != NULL)
		snprintf(vm, strlen(name) + 4, "%s.vm", name);
	free(name);
	return vm;
}

char *
ib_recipe_mk_path_new(const char *argv0, const char *env, const char *path,
    const char *datadir, bool *found)
{
	char buf[IB_MAX_PATH + 1], *real;
	struct stat st;

	*found = true;
	if (env != NULL && env[0] != '\0')
		return strdup(env);
	real = ib_firmware_prefix_new(argv0, path);
	if (real != NULL) {
		snprintf(buf, sizeof(buf), "%s/share/isoboot/isoboot.mk", real);
		free(real);
		real = realpath(buf, NULL);
		if (real != NULL && stat(real, &st) == 0)
			return real;
	}
	free(real);
	snprintf(buf, sizeof(buf), "%s/isoboot/isoboot.mk", datadir);
	*found = stat(buf, &st) == 0;
	return strdup(buf);
}

void
ib_recipe_result_free(ib_recipe_result *r)
{
	size_t i;

	for (i = 0; i < r->noutputs; i++) {
		free(r->outputs[i].name);
		free(r->outputs[i].role);
	}
	free(r->config);
	free(r->label);
	free(r->why);
	free(r->kernel);
	free(r->cmdline);
	free(r->firmware);
	free(r->menu_error);
	free(r->json);
	memset(r, 0, sizeof(*r));
}
