/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bytes.h"
#include "cmdline.h"
#include "compat.h"
#include "disk.h"
#include "kernel_unpack.h"
#include "path.h"
#include "place.h"
#include "strbuf.h"
#include "vm_prep.h"

/* The length of name without suffix (any case), or n when it has none
 * or is nothing else. */
static size_t
strip(const char *name, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && strncasecmp(name + n - k, suffix, k) == 0 ? n - k : n;
}

char *
ib_vm_prep_name(const char *path)
{
	static const char *const packed[] = { ".gz", ".xz", ".zst", ".bz2" };
	static const char *const images[] = { ".iso", ".img", ".raw",
		".qcow2" };
	const char *base;
	size_t n, m, i;
	char *s;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	for (i = 0, m = n; i < sizeof(packed) / sizeof(packed[0]) && m == n;
	     i++)
		m = strip(base, n, packed[i]);
	for (i = 0, n = m; i < sizeof(images) / sizeof(images[0]) && n == m;
	     i++)
		n = strip(base, m, images[i]);
	s = malloc(n + 1);
	if (s != NULL) {
		memcpy(s, base, n);
		s[n] = '\0';
	}
	return s;
}

int
ib_vm_prep_inspect(const char *path, ib_kernel_info *ki, ib_err *err)
{
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return ib_err_errno(err, errno, "%s", path);
	rc = ib_kernel_inspect_fd(fd, path, ki, err);
	close(fd);
	return rc;
}

bool
ib_vm_prep_needs_unpack(ib_target t, const ib_kernel_info *ki)
{
	return t == IB_TARGET_VFKIT &&
	    (ki->kind == IB_KERNEL_GZIP || ki->kind == IB_KERNEL_ZBOOT);
}

int
ib_vm_prep_unpack(const char *path, const ib_kernel_info *ki, int dirfd,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return ib_err_errno(err, errno, "%s", path);
	rc = ib_kernel_unpack(fd, ki, dirfd, IB_VM_PREP_IMAGE, cancel, err);
	close(fd);
	return rc == -1 ? ib_err_prefix(err, "%s: ", path) : 0;
}

/* The kernel: inspected, and unpacked into dir when the target needs. */
static int
prepare_kernel(ib_vm_prep_files *f, const ib_vm_prep_in *in, ib_err *err)
{
	int dirfd, rc;

	if (ib_vm_prep_inspect(in->kernel, &f->ki, err) == -1)
		return -1;
	if (!ib_vm_prep_needs_unpack(in->target, &f->ki)) {
		f->kernel = strdup(in->kernel);
		return f->kernel != NULL ? 0 :
		                           ib_err_errno(err, ENOMEM, "kernel");
	}
	if (in->dir == NULL)
		return ib_err_set(err, EINVAL,
		    "%s: no directory to unpack into", in->kernel);
	f->kernel = ib_path_join_new(in->dir, IB_VM_PREP_IMAGE);
	if (f->kernel == NULL)
		return ib_err_errno(err, ENOMEM, "kernel");
	if ((in->keep & IB_VM_PREP_KEEP_IMAGE) == 0 ||
	    access(f->kernel, F_OK) == -1) {
		dirfd = ib_place_dir(in->dir, err);
		if (dirfd == -1)
			return -1;
		rc = ib_vm_prep_unpack(in->kernel, &f->ki, dirfd, in->cancel,
		    err);
		close(dirfd);
		if (rc == -1)
			return ib_err_prefix(err, "unpack: ");
		f->unpacked = true;
	}
	return ib_vm_prep_inspect(f->kernel, &f->ki, err);
}

/* One initrd as it is; several joined in dir. */
static int
prepare_initrd(ib_vm_prep_files *f, const ib_vm_prep_in *in, ib_err *err)
{
	struct stat st;
	int dirfd, rc;

	if (in->ninitrds == 0)
		return 0;
	if (in->ninitrds == 1) {
		f->initrd = strdup(in->initrds[0]);
		if (f->initrd == NULL)
			return ib_err_errno(err, ENOMEM, "initrd");
	} else {
		f->initrd = ib_path_join_new(in->dir, IB_INITRD_JOINED);
		if (f->initrd == NULL)
			return ib_err_errno(err, ENOMEM, "initrd");
	}
	if ((in->ninitrds == 1 || (in->keep & IB_VM_PREP_KEEP_JOINED) != 0) &&
	    stat(f->initrd, &st) == 0) {
		f->initrd_size = (uint64_t)st.st_size;
		return 0;
	}
	if (in->ninitrds == 1)
		return ib_err_errno(err, errno, "%s", f->initrd);
	dirfd = ib_place_dir(in->dir, err);
	if (dirfd == -1)
		return -1;
	rc = ib_initrd_concat(dirfd, IB_INITRD_JOINED, in->initrds,
	    in->ninitrds, in->cancel, &f->initrd_size, err);
	close(dirfd);
	if (rc == -1)
		return ib_err_prefix(err, "join initrds: ");
	f->joined = true;
	return 0;
}

int
ib_vm_prep_files_init(ib_vm_prep_files *f, const ib_vm_prep_in *in, ib_err *err)
{
	memset(f, 0, sizeof(*f));
	if (in->kernel == NULL || (in->ninitrds > 0 && in->initrds == NULL) ||
	    (in->dir == NULL && in->ninitrds > 1))
		return ib_err_set(err, EINVAL,
		    "vm_prep: no kernel, or several initrds and no dir");
	if (in->ninitrds > IB_MAX_INITRDS)
		return ib_err_set(err, IB_ELIMIT, "%zu initrds: more than %u",
		    in->ninitrds, IB_MAX_INITRDS);
	if (prepare_kernel(f, in, err) == -1 ||
	    prepare_initrd(f, in, err) == -1)
		return -1;
	return 0;
}

void
ib_vm_prep_files_release(ib_vm_prep_files *f)
{
	free(f->kernel);
	free(f->initrd);
	memset(f, 0, sizeof(*f));
}

void
ib_vm_prep_files_apply(const ib_vm_prep_files *f, ib_vm *vm)
{
	vm->kernel = f->kernel;
	vm->kernel_info = &f->ki;
	vm->initrd = f->initrd;
	vm->initrd_size = f->initrd_size;
}

char *
ib_vm_prep_cmdline(const char *cmdline, ib_target t, bool serial, bool cdrom,
    ib_err *err)
{
	ib_argv a = { 0 };
	char *s;

	if (ib_cmdline_append(&a, cmdline != NULL ? cmdline : "", err) == -1 ||
	    (serial &&
	        ib_cmdline_serial(&a, ib_vm_target_console(t), NULL, err) ==
	            -1) ||
	    (cdrom && ib_cmdline_add_module(&a, "sr-mod", err) == -1)) {
		ib_argv_free(&a);
		ib_err_prefix(err, "command line: ");
		return NULL;
	}
	s = ib_cmdline_join_new(&a);
	ib_argv_free(&a);
	if (s == NULL)
		ib_err_errno(err, ENOMEM, "command line");
	return s;
}

/* A qcow2 image's virtual size (header bytes 24..31, big-endian). */
static bool
qcow2_size(int fd, uint64_t *size)
{
	unsigned char h[32];
	ib_err err;

	if (ib_pread_all(fd, h, sizeof(h), 0, &err) == -1 ||
	    memcmp(h, "QFI\xfb", 4) != 0)
		return false;
	*size = ib_be64(h + 24);
	return true;
}

int
ib_vm_prep_disk(const char *path, uint64_t create_size,
    const volatile sig_atomic_t *cancel, ib_disk_info *d, ib_err *err)
{
	ib_disk_opts mo;
	ib_disk_result r;
	struct stat st;
	const char *dot;
	int fd;

	memset(d, 0, sizeof(*d));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && create_size != 0) {
		memset(&mo, 0, sizeof(mo));
		dot = strrchr(path, '.');
		mo.format = dot != NULL && strcmp(dot, ".qcow2") == 0 ?
		    IB_DISK_QCOW2 :
		    IB_DISK_RAW;
		mo.cancel = cancel;
		if (ib_disk_make(path, create_size, &mo, &r, err) == -1)
			return ib_err_prefix(err, "%s: ", path);
		d->created = true;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd == -1)
		return ib_err_errno(err, errno, "%s", path);
	if (fstat(fd, &st) == -1) {
		close(fd);
		return ib_err_errno(err, errno, "%s", path);
	}
	d->size = (uint64_t)st.st_size;
	d->qcow2 = qcow2_size(fd, &d->size);
	close(fd);
	return 0;
}

char *
ib_vm_json_new(const ib_vm *vm, const ib_argv *a, ib_err *err)
{
	static const char *const serials[] = { "stdio", "pty", "file" };
	char line[512];
	ib_strbuf b = { 0 };
	size_t i;
	int rc;

	line[0] = '\0';
	if (vm->kernel_info != NULL)
		ib_kernel_describe(vm->kernel_info, vm->kernel, line,
		    sizeof(line));
	rc = ib_strbuf_addf(&b, err,
	    "{\"target\":\"%s\",\"kernel\":", ib_vm_target_name(vm->target));
	rc = rc || ib_strbuf_add_json(&b, vm->kernel, err) ||
	    ib_strbuf_adds(&b, ",\"kernel_is\":", err) ||
	    ib_strbuf_add_json(&b, line, err) ||
	    ib_strbuf_adds(&b, ",\"initrd\":", err) ||
	    ib_strbuf_add_json(&b, vm->initrd, err) ||
	    ib_strbuf_addf(&b, err, ",\"initrd_size\":%llu,\"cmdline\":",
	        (unsigned long long)vm->initrd_size) ||
	    ib_strbuf_add_json(&b, vm->cmdline, err) ||
	    ib_strbuf_addf(&b, err,
	        ",\"memory\":%llu,\"cpus\":%u,\"net\":\"%s\","
	        "\"serial\":\"%s\",\"uuid\":\"%s\",\"cdrom\":",
	        (unsigned long long)vm->mem, vm->cpus, ib_vm_net_name(vm->net),
	        serials[vm->serial], vm->uuid) ||
	    ib_strbuf_add_json(&b, vm->cdrom, err) ||
	    ib_strbuf_adds(&b, ",\"seed\":", err) ||
	    ib_strbuf_add_json(&b, vm->seed, err) ||
	    ib_strbuf_adds(&b, ",\"state_dir\":", err) ||
	    ib_strbuf_add_json(&b, vm->state_dir, err) ||
	    ib_strbuf_adds(&b, ",\"disks\":[", err);
	for (i = 0; rc == 0 && i < vm->ndisks; i++)
		rc = (i > 0 && ib_strbuf_addc(&b, ',', err)) ||
		    ib_strbuf_add_json(&b, vm->disks[i], err);
	rc = rc || ib_strbuf_adds(&b, "],\"argv\":[", err);
	for (i = 0; rc == 0 && i < a->n; i++)
		rc = (i > 0 && ib_strbuf_addc(&b, ',', err)) ||
		    ib_strbuf_add_json(&b, a->v[i], err);
	rc = rc || ib_strbuf_adds(&b, "]}\n", err);
	if (rc != 0) {
		ib_strbuf_release(&b);
		return NULL;
	}
	return ib_strbuf_take(&b, err);
}
