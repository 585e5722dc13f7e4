/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UEFI firmware files: found where qemu or a distribution installs them,
 * and a VM's variable store copied from its template. */
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
#include "firmware.h"
#include "path.h"
#include "place.h"
#include "strbuf.h"

/* argv0 as the shell finds it: itself when it names a directory, else
 * the first executable of that name in path's directories. */
static char *
which(const char *argv0, const char *path)
{
	char self[IB_MAX_PATH + 1];
	const char *p, *colon;
	int n;

	if (strchr(argv0, '/') != NULL)
		return realpath(argv0, NULL);
	for (p = path; p != NULL && *p != '\0'; p = colon + 1) {
		colon = strchr(p, ':');
		if (colon == NULL)
			colon = p + strlen(p);
		n = snprintf(self, sizeof(self), "%.*s/%s", (int)(colon - p), p,
		    argv0);
		if (n > 0 && (size_t)n < sizeof(self) &&
		    access(self, X_OK) == 0)
			return realpath(self, NULL);
		if (*colon == '\0')
			break;
	}
	return NULL;
}

char *
ib_firmware_prefix_new(const char *argv0, const char *path)
{
	char *real, *slash;
	int i;

	real = which(argv0, path);
	/* PREFIX/bin/NAME: cut twice. */
	for (i = 0; real != NULL && i < 2; i++) {
		slash = strrchr(real, '/');
		if (slash == NULL) {
			free(real);
			return NULL;
		}
		*slash = '\0';
	}
	return real;
}

void
ib_firmware_files_release(ib_firmware_files *f)
{
	free(f->code);
	free(f->vars);
	f->code = f->vars = NULL;
}

static bool
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* qemu's own names (pc-bios/edk2-*.fd): one vars template per family. */
static const struct {
	const char *code, *vars;
} qemu_names[] = {
	{ "edk2-x86_64-code.fd", "edk2-i386-vars.fd" },
	{ "edk2-x86_64-secure-code.fd", "edk2-i386-vars.fd" },
	{ "edk2-i386-code.fd", "edk2-i386-vars.fd" },
	{ "edk2-aarch64-code.fd", "edk2-arm-vars.fd" },
	{ "edk2-arm-code.fd", "edk2-arm-vars.fd" },
};

/* The template beside the code file code, named as its family names it;
 * a string the caller frees, or NULL when the name has no such pattern
 * (or out of memory). */
static char *
vars_beside_new(const char *code)
{
	static const char *const pairs[][2] = { { "CODE", "VARS" },
		{ "code", "vars" } };
	const char *base, *at;
	size_t i, dirlen;
	char *s;

	base = ib_path_base(code);
	dirlen = (size_t)(base - code);
	for (i = 0; i < sizeof(qemu_names) / sizeof(qemu_names[0]); i++)
		if (strcmp(base, qemu_names[i].code) == 0) {
			s = malloc(dirlen + strlen(qemu_names[i].vars) + 1);
			if (s != NULL)
				snprintf(s,
				    dirlen + strlen(qemu_names[i].vars) + 1,
				    "%.*s%s", (int)dirlen, code,
				    qemu_names[i].vars);
			return s;
		}
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		at = strstr(base, pairs[i][0]);
		if (at == NULL)
			continue;
		s = strdup(code);
		if (s != NULL)
			memcpy(s + (at - code), pairs[i][1], 4);
		return s;
	}
	return NULL;
}

/* The user's code file and the template beside it. */
static int
find_beside(const char *code, ib_firmware_files *f, ib_err *err)
{
	if (!is_file(code))
		return ib_err_errno(err, errno != 0 ? errno : EINVAL, "%s",
		    code);
	f->code = realpath(code, NULL);
	f->vars = vars_beside_new(code);
	if (f->code == NULL || (f->vars == NULL && errno == ENOMEM)) {
		ib_firmware_files_release(f);
		return ib_err_errno(err, ENOMEM, "%s", code);
	}
	if (f->vars == NULL || !is_file(f->vars)) {
		ib_err_set(err, IB_ENOTFOUND,
		    "%s: no variable store template beside it%s%s%s: name the "
		    "code file of a pair such as OVMF_CODE_4M.fd and "
		    "OVMF_VARS_4M.fd",
		    code, f->vars != NULL ? " (" : "",
		    f->vars != NULL ? ib_path_base(f->vars) : "",
		    f->vars != NULL ? ")" : "");
		ib_firmware_files_release(f);
		return -1;
	}
	return 0;
}

/* Where distributions install the pairs. */
static const char *const dist_x86_64[][2] = {
	{ "/usr/share/OVMF/OVMF_CODE_4M.fd",
	    "/usr/share/OVMF/OVMF_VARS_4M.fd" },
	{ "/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd" },
};
static const char *const dist_aarch64[][2] = {
	{ "/usr/share/AAVMF/AAVMF_CODE.fd", "/usr/share/AAVMF/AAVMF_VARS.fd" },
};

/* Take code and vars when both are files; 1 taken, 0 not, -1 ENOMEM. */
static int
take_pair(const char *code, const char *vars, ib_firmware_files *f)
{
	if (!is_file(code) || !is_file(vars))
		return 0;
	f->code = realpath(code, NULL);
	f->vars = realpath(vars, NULL);
	if (f->code == NULL || f->vars == NULL) {
		ib_firmware_files_release(f);
		return -1;
	}
	return 1;
}

int
ib_firmware_find_qemu(const char *code, const char *argv0, const char *path,
    bool arm64, ib_firmware_files *f, ib_err *err)
{
	const char *const(*dist)[2] = arm64 ? dist_aarch64 : dist_x86_64;
	size_t i,
	    ndist = arm64 ? sizeof(dist_aarch64) / sizeof(dist_aarch64[0]) :
	                    sizeof(dist_x86_64) / sizeof(dist_x86_64[0]);
	char c[IB_MAX_PATH + 1], v[IB_MAX_PATH + 1], *prefix;
	ib_strbuf looked = { 0 };
	int rc;

	memset(f, 0, sizeof(*f));
	if (code != NULL)
		return find_beside(code, f, err);
	prefix = ib_firmware_prefix_new(argv0, path);
	rc = 0;
	if (prefix != NULL) {
		i = arm64 ? 3 : 0; /* qemu_names: edk2-aarch64, edk2-x86_64 */
		snprintf(c, sizeof(c), "%s/share/qemu/%s", prefix,
		    qemu_names[i].code);
		snprintf(v, sizeof(v), "%s/share/qemu/%s", prefix,
		    qemu_names[i].vars);
		free(prefix);
		rc = take_pair(c, v, f);
		if (rc == 0 && ib_strbuf_addf(&looked, err, "%s, ", c) == -1)
			return -1;
	}
	for (i = 0; rc == 0 && i < ndist; i++) {
		rc = take_pair(dist[i][0], dist[i][1], f);
		if (rc == 0 &&
		    ib_strbuf_addf(&looked, err, "%s%s", dist[i][0],
		        i + 1 < ndist ? ", " : "") == -1)
			return -1;
	}
	if (rc == 1) {
		ib_strbuf_release(&looked);
		return 0;
	}
	if (rc == -1)
		ib_err_errno(err, ENOMEM, "firmware");
	else
		ib_err_set(err, IB_ENOTFOUND,
		    "no UEFI firmware for %s found (looked for %s): install "
		    "Debian's %s, or name the code file with --bootrom",
		    argv0, looked.s, arm64 ? "qemu-efi-aarch64" : "ovmf");
	ib_strbuf_release(&looked);
	return -1;
}

int
ib_firmware_vars_make(const char *vars, int dirfd, const char *name, bool *made,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	char tmp[IB_MAX_NAME + 1];
	struct stat st;
	int in, out, rc;

	*made = false;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	if (errno != ENOENT)
		return ib_err_errno(err, errno, "%s", name);
	in = open(vars, O_RDONLY | O_CLOEXEC);
	if (in == -1)
		return ib_err_errno(err, errno, "%s", vars);
	if (fstat(in, &st) == -1 || !S_ISREG(st.st_mode)) {
		rc = ib_err_errno(err, errno != 0 ? errno : EINVAL, "%s", vars);
		close(in);
		return rc;
	}
	out = ib_place_create(dirfd, name, "vars", 0644, tmp, err);
	if (out == -1) {
		close(in);
		return -1;
	}
	rc = ib_copy_range(in, 0, out, (uint64_t)st.st_size, cancel, err);
	close(in);
	if (close(out) == -1 && rc == 0)
		rc = ib_err_errno(err, errno, "%s", name);
	if (rc == -1) {
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	/* Another run may have made it meanwhile: that one stays. */
	if (ib_place(dirfd, tmp, name, false, err) == -1) {
		if (err->code != EEXIST)
			return -1;
		ib_err_clear(err);
		return 0;
	}
	*made = true;
	return 0;
}
