/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The boot plan: image, menu, entry, files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bootcfg.h"
#include "bootfs.h"
#include "bounds.h"
#include "bytes.h"
#include "compat.h"
#include "disk_image.h"
#include "eltorito.h"
#include "menu_json.h"
#include "path.h"
#include "place.h"
#include "plan.h"
#include "shquote.h"
#include "strbuf.h"

struct ib_plan {
	char platform[8];
	ib_iso *iso;         /* an image plan */
	char *root;          /* a tree plan */
	ib_disk_image *disk; /* a disk image plan, */
	ib_bootfs *dfs;      /* and its files */
	bool iso_esp;        /* disk: an ISO's El Torito EFI image */
	ib_menu *m;
	const ib_menu_entry *e;
	const char *files[1 + IB_MAX_INITRDS]; /* kernel, initrds */
	size_t nfiles;
};

static ib_plan *
plan_new(const char *platform, ib_err *err)
{
	ib_plan *p;

	if (platform == NULL)
		platform = "bios";
	if (strcmp(platform, "bios") != 0 && strcmp(platform, "efi") != 0) {
		ib_err_set(err, EINVAL, "platform '%s' is not bios or efi",
		    platform);
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		ib_err_errno(err, ENOMEM, "plan");
		return NULL;
	}
	snprintf(p->platform, sizeof(p->platform), "%s", platform);
	return p;
}

/* A disk image: its partitions' files and the config its loader reads. */
static int
open_disk(ib_plan *p, const char *path, ib_err *err)
{
	p->disk = ib_disk_image_open(path, err);
	if (p->disk == NULL)
		return -1;
	p->dfs = ib_bootfs_open_disk(p->disk, err);
	if (p->dfs == NULL)
		return -1;
	p->m = ib_bootcfg_read_disk(p->dfs, p->platform, err);
	return p->m != NULL ? 0 : -1;
}

/*
 * UEFI on an ISO whose El Torito EFI image is a FAT ESP holding
 * systemd-boot's loader.conf or entries (Arch's ISOs): the firmware
 * runs systemd-boot from that image, which reads its menu, kernel and
 * initrd there. 1 when it is so (p's menu and files are the ESP's), 0
 * when not, -1 with *err.
 */
static int
open_iso_esp(ib_plan *p, const char *path, ib_err *err)
{
	unsigned char bs[512];
	char why[160];
	uint64_t off, len;
	ib_eltorito et;
	ib_err e;
	int fd, rc;

	ib_err_clear(&e);
	if (ib_iso_is_stream(p->iso) || ib_eltorito_read(p->iso, &et, &e) ||
	    !et.has_efi)
		return 0;
	/* The image's own BPB gives its size; the catalog's sector count
	 * is 16 bits and often 0 for EFI images. */
	off = (uint64_t)et.efi_lba * 2048;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return 0;
	rc = ib_pread_all(fd, bs, sizeof(bs), off, &e);
	close(fd);
	if (rc == -1 || bs[510] != 0x55 || bs[511] != 0xaa)
		return 0;
	len = (uint64_t)ib_le16(bs + 11) *
	    (ib_le16(bs + 19) != 0 ? ib_le16(bs + 19) : ib_le32(bs + 32));
	p->disk = ib_disk_image_open_range(path, off, len, &e);
	if (p->disk == NULL || ib_disk_image_count(p->disk) != 1 ||
	    ib_disk_image_part(p->disk, 0) != NULL)
		goto none;
	p->dfs = ib_bootfs_open_disk(p->disk, err);
	if (p->dfs == NULL)
		return -1;
	snprintf(why, sizeof(why),
	    "El Torito EFI image at block %u: a FAT ESP with systemd-boot's "
	    "loader.conf or entries; its menu, and the files it names there",
	    et.efi_lba);
	p->m = ib_bootcfg_read_sdboot(p->dfs, why, err);
	if (p->m == NULL && err->code == IB_ENOTFOUND) {
		ib_err_clear(err);
		goto none;
	}
	if (p->m == NULL)
		return -1;
	p->iso_esp = true;
	return 1;
none:
	ib_bootfs_close(p->dfs);
	ib_disk_image_close(p->disk);
	p->dfs = NULL;
	p->disk = NULL;
	return 0;
}

ib_plan *
ib_plan_open(const char *path, const char *platform, ib_err *err)
{
	ib_iso_opts io;
	const char *kind;
	ib_plan *p;
	int disk;

	p = plan_new(platform, err);
	if (p == NULL)
		return NULL;
	disk = ib_disk_image_sniff(path, &kind, err);
	if (disk == 2) {
		ib_err_set(err, IB_EUNSUPPORTED,
		    "a disk image compressed with %s: a disk is read in place, so "
		    "decompress it first (isoboot does, into its directory)",
		    kind);
		ib_plan_close(p);
		return NULL;
	}
	if (disk == 1) {
		if (open_disk(p, path, err) == -1) {
			ib_plan_close(p);
			return NULL;
		}
		return p;
	}
	/* Not a disk, or unreadable: the ISO reader says what it is. */
	memset(&io, 0, sizeof(io));
	io.no_joliet = true; /* boot loaders never read Joliet names */
	p->iso = ib_iso_open(path, &io, err);
	if (p->iso != NULL && strcmp(p->platform, "efi") == 0 &&
	    open_iso_esp(p, path, err) != 0) {
		if (p->m == NULL) {
			ib_plan_close(p);
			return NULL;
		}
		return p;
	}
	if (p->iso != NULL)
		p->m = ib_bootcfg_read_iso(p->iso, p->platform, err);
	if (p->m == NULL) {
		ib_plan_close(p);
		return NULL;
	}
	return p;
}

ib_plan *
ib_plan_open_tree(const char *root, const char *cfg, const char *platform,
    ib_err *err)
{
	char path[IB_MAX_PATH + 1];
	ib_bootfs *fs;
	ib_plan *p;

	p = plan_new(platform, err);
	if (p == NULL)
		return NULL;
	p->root = strdup(root);
	if (p->root == NULL) {
		ib_err_errno(err, ENOMEM, "%s", root);
		ib_plan_close(p);
		return NULL;
	}
	if (cfg != NULL && strlen(cfg) >= IB_MAX_PATH) {
		ib_err_set(err, IB_ELIMIT, "%s: path over %u bytes", cfg,
		    IB_MAX_PATH - 1);
		ib_plan_close(p);
		return NULL;
	}
	fs = ib_bootfs_open_dir(root, err);
	if (fs != NULL && cfg != NULL) {
		snprintf(path, sizeof(path), "%s%s", cfg[0] == '/' ? "" : "/",
		    cfg);
		p->m = ib_bootcfg_read_config(fs, path, NULL, p->platform, err);
	} else if (fs != NULL) {
		p->m = ib_bootcfg_read_tree(fs, p->platform, err);
	}
	ib_bootfs_close(fs);
	if (p->m == NULL) {
		ib_plan_close(p);
		return NULL;
	}
	return p;
}

/* All fd holds, up to IB_MAX_CONFIG bytes, into *text (NUL-terminated,
 * the caller frees it). The caller names fd in messages. */
static int
read_all(int fd, char **text, size_t *len, ib_err *err)
{
	char *buf;
	size_t n;
	ssize_t r;

	buf = malloc(IB_MAX_CONFIG + 1);
	if (buf == NULL)
		return ib_err_errno(err, ENOMEM, "read");
	for (n = 0; n <= IB_MAX_CONFIG; n += (size_t)r) {
		r = read(fd, buf + n, IB_MAX_CONFIG + 1 - n);
		if (r == -1 && errno == EINTR) {
			r = 0;
			continue;
		}
		if (r == -1) {
			free(buf);
			return ib_err_errno(err, errno, "read");
		}
		if (r == 0)
			break;
	}
	if (n > IB_MAX_CONFIG) {
		free(buf);
		return ib_err_set(err, IB_ELIMIT, "config over %u bytes",
		    IB_MAX_CONFIG);
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

ib_plan *
ib_plan_open_config(const char *path, int fd, const char *platform, ib_err *err)
{
	char *text = NULL;
	size_t len = 0;
	char dir[IB_MAX_PATH + 1], cfg[IB_MAX_PATH + 1];
	const char *slash;
	ib_bootfs *fs;
	ib_plan *p;

	if (strlen(path) > IB_MAX_PATH) {
		ib_err_set(err, IB_ELIMIT, "%s: path over %u bytes", path,
		    IB_MAX_PATH);
		return NULL;
	}
	p = plan_new(platform, err);
	if (p == NULL)
		return NULL;
	/* INCLUDEs resolve against the config's directory. */
	snprintf(cfg, sizeof(cfg), "/%s", ib_path_base(path));
	slash = strrchr(path, '/');
	if (fd != -1 || slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s",
		    slash == path ? 1 : (int)(slash - path), path);
	fs = ib_bootfs_open_dir(dir, err);
	if (fs != NULL &&
	    (fd == -1 ||
	        (read_all(fd, &text, &len, err) == 0 &&
	            ib_bootfs_set_file(fs, cfg, text, len, err) == 0)))
		p->m = ib_bootcfg_read_config(fs, cfg, NULL, p->platform, err);
	ib_bootfs_close(fs);
	free(text);
	if (p->m == NULL) {
		ib_plan_close(p);
		return NULL;
	}
	return p;
}

void
ib_plan_close(ib_plan *p)
{
	if (p == NULL)
		return;
	ib_menu_free(p->m);
	ib_iso_close(p->iso);
	ib_bootfs_close(p->dfs);
	ib_disk_image_close(p->disk);
	free(p->root);
	free(p);
}

const char *
ib_plan_disk_format(const ib_plan *p)
{
	return p->disk != NULL && !p->iso_esp ?
	    ib_disk_image_format_name(p->disk) :
	    NULL;
}

uint64_t
ib_plan_disk_size(const ib_plan *p)
{
	return p->disk != NULL && !p->iso_esp ?
	    ib_disk_image_reader(p->disk)->size :
	    0;
}

int
ib_plan_file_id(const ib_plan *p, size_t i, char *out, size_t outsz,
    ib_err *err)
{
	ib_vol_node n;
	int rc;

	if (i >= p->nfiles)
		return ib_err_set(err, EINVAL, "no file %zu", i);
	out[0] = '\0';
	if (p->dfs == NULL)
		return 0;
	rc = ib_bootfs_node(p->dfs, p->files[i], &n, err);
	if (rc == 0)
		return ib_err_set(err, IB_ENOTFOUND, "%s: not found",
		    p->files[i]);
	if (rc == -1)
		return ib_err_prefix(err, "%s: ", p->files[i]);
	snprintf(out, outsz, "%llu %lld %llu", (unsigned long long)n.size,
	    (long long)n.mtime, (unsigned long long)n.id);
	return 0;
}

const ib_menu *
ib_plan_menu(const ib_plan *p)
{
	return p->m;
}

const char *
ib_plan_platform(const ib_plan *p)
{
	return p->platform;
}

const ib_menu_entry *
ib_plan_choose(ib_plan *p, const char *label, bool timeout, ib_err *err)
{
	const ib_menu_entry *e;
	size_t i;

	p->e = NULL;
	p->nfiles = 0;
	e = timeout && label == NULL ? ib_menu_choose_timeout(p->m, err) :
	                               ib_menu_choose(p->m, label, err);
	if (e == NULL)
		return NULL;
	if (e->kernel == NULL) {
		ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: the entry loads no kernel", e->where);
		return NULL;
	}
	if (e->ninitrds > IB_MAX_INITRDS) {
		ib_err_set(err, IB_ELIMIT, "%s: %zu initrds: more than %u",
		    e->where, e->ninitrds, IB_MAX_INITRDS);
		return NULL;
	}
	p->files[p->nfiles++] = e->kernel;
	for (i = 0; i < e->ninitrds; i++)
		p->files[p->nfiles++] = e->initrds[i];
	p->e = e;
	return e;
}

const ib_menu_entry *
ib_plan_entry(const ib_plan *p)
{
	return p->e;
}

const char *
ib_plan_label(const ib_plan *p)
{
	const ib_menu_entry *e = p->e;
	bool grub;

	if (e == NULL)
		return "";
	grub = strcmp(ib_menu_loader(p->m), "grub") == 0;
	if (grub && e->title != NULL)
		return e->title;
	if (e->label != NULL)
		return e->label;
	return e->title != NULL ? e->title : "";
}

size_t
ib_plan_nfiles(const ib_plan *p)
{
	return p->nfiles;
}

const char *
ib_plan_file(const ib_plan *p, size_t i)
{
	return i < p->nfiles ? p->files[i] : NULL;
}

const char *
ib_plan_file_name(const ib_plan *p, size_t i)
{
	return i < p->nfiles ? ib_path_base(p->files[i]) : NULL;
}

char *
ib_plan_path_new(const ib_plan *p, const char *dir, size_t i)
{
	if (i >= p->nfiles)
		return NULL;
	return dir != NULL ? ib_path_join_new(dir, ib_path_base(p->files[i])) :
	                     strdup(p->files[i]);
}

/* The chosen entry's files as ib_plan_path_new() gives them, into files
 * (1 + IB_MAX_INITRDS); free them with free_files(). Returns 0, or -1
 * with *err and none left. */
static int
files_new(const ib_plan *p, const char *dir, char **files, ib_err *err)
{
	size_t n;

	for (n = 0; n < p->nfiles; n++) {
		files[n] = ib_plan_path_new(p, dir, n);
		if (files[n] == NULL) {
			while (n > 0)
				free(files[--n]);
			return ib_err_errno(err, ENOMEM, "files");
		}
	}
	return 0;
}

static void
free_files(const ib_plan *p, char **files)
{
	size_t n;

	for (n = 0; n < p->nfiles; n++)
		free(files[n]);
}

/* The walk that finds the entry's files by the names the loader uses. */
struct want {
	const ib_plan *p;
	bool found[1 + IB_MAX_INITRDS];
	bool icase;
	ib_extract *x;
	const volatile sig_atomic_t *cancel;
};

static int
visit(void *ctx, const ib_entry *e, ib_err *err)
{
	struct want *w = ctx;
	const char *name;
	ib_entry named;
	size_t i;

	if (w->cancel != NULL && *w->cancel != 0)
		return ib_err_set(err, IB_EINTR, "interrupted");
	if (e->type != IB_FT_REG || e->problem != NULL)
		return 0;
	for (i = 0; i < w->p->nfiles; i++) {
		name = w->p->files[i] + 1; /* the walk's paths have no '/' */
		if (w->found[i] ||
		    (w->icase ? strcasecmp(e->path, name) :
		                strcmp(e->path, name)) != 0)
			continue;
		w->found[i] = true;
		/* Written under the name the config gives: ISOLINUX finds
		 * /boot/vmlinuz as BOOT/VMLINUZ, the VM is told vmlinuz. */
		named = *e;
		named.path = name;
		if (w->x != NULL && ib_extract_entry(w->x, &named, err) == -1)
			return err->code == IB_EINTR ?
			    -1 :
			    ib_err_prefix(err, "%s: ", w->p->files[i]);
	}
	return 0;
}

/* File i of a disk plan into dirfd under its last component, through a
 * temporary renamed into place; with dirfd -1, only check it is there. */
static int
disk_extract_one(ib_plan *p, size_t i, int dirfd, const ib_extract_opts *o,
    ib_err *err)
{
	const char *name = ib_plan_file_name(p, i);
	char tmp[IB_MAX_NAME + 1];
	unsigned char head[1];
	uint64_t size = 0;
	size_t got;
	int fd, rc;

	if (ib_bootfs_read_head(p->dfs, p->files[i], 0, head, &got, &size,
	        err) == -1) {
		if (err->code == IB_ENOTFOUND)
			return ib_err_set(err, IB_ENOTFOUND,
			    "%s: not found in image (named by %s)", p->files[i],
			    p->e->where);
		return ib_err_prefix(err, "%s: ", p->files[i]);
	}
	if (dirfd == -1)
		return 0;
	fd = ib_place_create(dirfd, name, "part", 0644, tmp, err);
	if (fd == -1)
		return -1;
	if (o->progress != NULL)
		o->progress(o->progress_ctx, p->files[i], dirfd, tmp, size);
	rc = ib_bootfs_copy_fd(p->dfs, p->files[i], fd, o->cancel, err);
	if (rc == -1 && err->code != IB_EINTR)
		ib_err_prefix(err, "%s: ", p->files[i]);
	rc = ib_place_finish(dirfd, fd, tmp, name, !o->keep, rc, err);
	if (o->progress != NULL)
		o->progress(o->progress_ctx, p->files[i], dirfd, NULL,
		    rc == 0 ? size : 0);
	return rc;
}

int
ib_plan_extract(ib_plan *p, int dirfd, const ib_extract_opts *xo, ib_err *err)
{
	ib_extract_opts o;
	struct want w;
	size_t i;
	int rc;

	if (p->e == NULL)
		return ib_err_set(err, EINVAL, "no entry chosen");
	memset(&o, 0, sizeof(o));
	if (xo != NULL)
		o = *xo;
	if (p->dfs != NULL) {
		for (i = 0; i < p->nfiles; i++)
			if (disk_extract_one(p, i, dirfd, &o, err) == -1)
				return -1;
		return 0;
	}
	if (p->iso == NULL)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: no image to extract from", ib_menu_config(p->m));
	o.flat = true;
	memset(&w, 0, sizeof(w));
	w.p = p;
	w.icase = ib_iso_layer(p->iso) == IB_LAYER_ISO9660;
	w.cancel = o.cancel;
	if (dirfd != -1) {
		w.x = ib_extract_new(p->iso, dirfd, &o, err);
		if (w.x == NULL)
			return -1;
	}
	rc = ib_iso_walk(p->iso, visit, &w, err);
	for (i = 0; rc == 0 && i < p->nfiles; i++)
		if (!w.found[i])
			rc = ib_err_set(err, IB_ENOTFOUND,
			    "%s: not found in image (named by %s)", p->files[i],
			    p->e->where);
	if (rc == 0 && w.x != NULL)
		rc = ib_extract_finish(w.x, err);
	ib_extract_free(w.x);
	return rc;
}

int
ib_plan_kernel_info(const ib_plan *p, int dirfd, ib_kernel_info *ki,
    ib_err *err)
{
	const char *name;
	ib_bootfs *fs;
	int fd, rc;

	if (p->e == NULL)
		return ib_err_set(err, EINVAL, "no entry chosen");
	if (dirfd != -1) {
		name = ib_plan_file_name(p, 0);
		fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd == -1)
			return ib_err_errno(err, errno, "%s", name);
		rc = ib_kernel_inspect_fd(fd, name, ki, err);
		close(fd);
		return rc;
	}
	if (p->dfs != NULL)
		return ib_bootcfg_kernel_info(p->dfs, p->e->kernel, ki, err);
	if (p->iso != NULL)
		fs = ib_bootfs_open_iso(p->iso, err);
	else if (p->root != NULL)
		fs = ib_bootfs_open_dir(p->root, err);
	else
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: no image to read the kernel from",
		    ib_menu_config(p->m));
	rc =
	    fs != NULL ? ib_bootcfg_kernel_info(fs, p->e->kernel, ki, err) : -1;
	ib_bootfs_close(fs);
	return rc;
}

char *
ib_plan_assignments_new(const ib_plan *p, const char *dir, const char *args,
    bool make, ib_err *err)
{
	static const char *const names[5] = { "CONFIG", "LABEL", "KERNEL",
		"INITRD", "CMDLINE" };
	char *files[1 + IB_MAX_INITRDS], *out;
	const char *vals[5];
	ib_strbuf initrds = { 0 };
	size_t i;

	if (p->e == NULL) {
		ib_err_set(err, EINVAL, "no entry chosen");
		return NULL;
	}
	if (files_new(p, dir, files, err) == -1)
		return NULL;
	out = NULL;
	for (i = 1; i < p->nfiles; i++)
		if ((i > 1 && ib_strbuf_addc(&initrds, ' ', err) == -1) ||
		    ib_strbuf_adds(&initrds, files[i], err) == -1)
			goto out;
	vals[0] = ib_menu_config(p->m);
	vals[1] = ib_plan_label(p);
	vals[2] = files[0];
	vals[3] = initrds.s != NULL ? initrds.s : "";
	vals[4] = args != NULL ? args : p->e->args;
	out = ib_shquote_assignments_new(names, vals, 5, make);
	if (out == NULL)
		ib_err_set(err, EINVAL,
		    "cannot quote the values (out of memory, or a newline in "
		    "a make value)");
out:
	ib_strbuf_release(&initrds);
	free_files(p, files);
	return out;
}

char *
ib_plan_json_new(const ib_plan *p, const char *dir, const char *args,
    ib_err *err)
{
	char *files[1 + IB_MAX_INITRDS], *out;
	ib_menu_files mf;

	if (dir == NULL || p->nfiles == 0)
		return ib_menu_json_new(p->m, p->e, args, NULL, err);
	if (files_new(p, dir, files, err) == -1)
		return NULL;
	mf.kernel = files[0];
	mf.initrds = (const char *const *)files + 1;
	mf.ninitrds = p->nfiles - 1;
	out = ib_menu_json_new(p->m, p->e, args, &mf, err);
	free_files(p, files);
	return out;
}
