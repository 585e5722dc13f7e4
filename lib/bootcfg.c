#include <stdio.h>
#include <string.h>

#include <ctype.h>
#include <stdlib.h>

#include "bootcfg.h"
#include "bounds.h"
#include "eltorito.h"
#include "menu_int.h"
#include "syslinux.h"

/* The working directory ISOLINUX has for config path: its directory. */
static void
dir_of(const char *path, char *cwd, size_t cwdsz)
{
	const char *slash;
	size_t n;

	slash = strrchr(path, '/');
	n = slash != NULL ? (size_t)(slash - path) : 0;
	if (n == 0) {
		snprintf(cwd, cwdsz, "/");
		return;
	}
	snprintf(cwd, cwdsz, "%.*s", (int)n, path);
}

ib_menu *
ib_bootcfg_read_iso(ib_iso *iso, ib_err *err)
{
	char boot[IB_MAX_PATH + 1], dir[IB_MAX_PATH + 1],
	    lower[IB_MAX_NAME + 1];
	char cfg[IB_MAX_PATH + 1], cwd[IB_MAX_PATH + 1], why[IB_MAX_PATH + 256];
	const char *bootdir;
	ib_eltorito et;
	ib_bootfs *fs;
	ib_menu *m, *t;
	ib_err e2;
	size_t i;
	char *c, *slash;

	if (ib_eltorito_read(iso, &et, err) == -1)
		return NULL;
	bootdir = NULL;
	boot[0] = '\0';
	if (et.has_bios &&
	    ib_iso_path_at(iso, et.bios_lba, boot, sizeof(boot), &e2) == 0) {
		/* lower case: plain ECMA-119 names are upper case */
		snprintf(lower, sizeof(lower), "%s", strrchr(boot, '/') + 1);
		for (c = lower; *c != '\0'; c++)
			*c = (char)tolower((unsigned char)*c);
		if (strstr(lower, "isolinux") == NULL &&
		    strstr(lower, "syslinux") == NULL) {
			ib_err_set(err, IB_EUNSUPPORTED,
			    "the El Torito BIOS entry boots %s, not ISOLINUX "
			    "(a GRUB image?): GRUB configs are not read yet",
			    boot);
			return NULL;
		}
		snprintf(dir, sizeof(dir), "%s", boot);
		slash = strrchr(dir, '/');
		slash[slash == dir ? 1 : 0] = '\0';
		bootdir = dir;
	}
	fs = ib_bootfs_open_iso(iso, err);
	if (fs == NULL)
		return NULL;
	m = NULL;
	if (ib_bootcfg_find_syslinux(fs, bootdir, cfg, sizeof(cfg), cwd,
	        sizeof(cwd), why, sizeof(why), err) == 0)
		m = ib_syslinux_parse(fs, cfg, cwd, err);
	ib_bootfs_close(fs);
	if (m == NULL)
		return NULL;
	/* The finder's reasons first, then the parser's. */
	t = ib_menu_new(m->loader, m->config, err);
	if (t == NULL) {
		ib_menu_free(m);
		return NULL;
	}
	if (boot[0] != '\0')
		ib_menu_notef(t, "El Torito BIOS boot image %s", boot);
	else
		ib_menu_notef(t, "no El Torito BIOS boot image found");
	ib_menu_notef(t, "%s", why);
	for (i = 0; i < m->nnotes; i++) {
		ib_menu_notef(t, "%s", m->notes[i]);
		free(m->notes[i]);
	}
	free(m->notes);
	m->notes = t->notes;
	m->nnotes = t->nnotes;
	m->notecap = t->notecap;
	t->notes = NULL;
	t->nnotes = 0;
	ib_menu_free(t);
	return m;
}

int
ib_bootcfg_find_syslinux(ib_bootfs *fs, const char *bootdir, char *out,
    size_t outsz, char *cwd, size_t cwdsz, char *why, size_t whysz, ib_err *err)
{
	int rc;

	rc = ib_bootcfg_find_isolinux(fs, bootdir, out, outsz, why, whysz, err);
	/* A netboot tree: PXELINUX reads pxelinux.cfg/default (after the
	 * per-machine names, none of which a VM has) and works in the
	 * directory of pxelinux.0 (sl:core/fs/pxe/pxe.c). */
	if (ib_bootfs_exists(fs, "/pxelinux.0") &&
	    ib_bootfs_exists(fs, "/pxelinux.cfg/default") &&
	    (rc == -1 || strncmp(why, "not in ISOLINUX", 15) == 0)) {
		snprintf(out, outsz, "/pxelinux.cfg/default");
		snprintf(cwd, cwdsz, "/");
		snprintf(why, whysz,
		    "a PXELINUX tree: pxelinux.0 reads pxelinux.cfg/default "
		    "with the tree's root as working directory");
		ib_err_clear(err);
		return 0;
	}
	if (rc == 0)
		dir_of(out, cwd, cwdsz);
	return rc;
}

int
ib_bootcfg_find_isolinux(ib_bootfs *fs, const char *bootdir, char *out,
    size_t outsz, char *why, size_t whysz, ib_err *err)
{
	/* sl:core/fs/iso9660/iso9660.c iso_open_config, searchconfig.c */
	static const char *const dirs[] = { "/boot/isolinux", "/isolinux",
		"/boot/syslinux", "/syslinux", "" };
	static const char *const names[] = { "isolinux.cfg", "syslinux.cfg" };
	size_t d, k;

	for (d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		for (k = 0; k < 2; k++) {
			snprintf(out, outsz, "%s/%s", dirs[d], names[k]);
			if (!ib_bootfs_exists(fs, out))
				continue;
			snprintf(why, whysz,
			    "ISOLINUX's search order (/boot/isolinux, "
			    "/isolinux, /boot/syslinux, /syslinux, /; "
			    "isolinux.cfg before syslinux.cfg) finds %s",
			    out);
			return 0;
		}
	}
	if (bootdir != NULL && bootdir[0] != '\0') {
		for (k = 0; k < 2; k++) {
			snprintf(out, outsz, "%s%s%s",
			    strcmp(bootdir, "/") == 0 ? "" : bootdir, "/",
			    names[k]);
			if (!ib_bootfs_exists(fs, out))
				continue;
			snprintf(why, whysz,
			    "not in ISOLINUX's stock search order; found in "
			    "the boot image's directory %s (a patched "
			    "isolinux.bin, as openSUSE and Slax ship)",
			    bootdir);
			return 0;
		}
	}
	if (bootdir == NULL) {
		static const char *const bin[] = { "isolinux.bin" };
		char found[IB_MAX_PATH + 1], *slash;

		if (ib_bootfs_search(fs, bin, 1, 4, found, sizeof(found)) ==
		    0) {
			slash = strrchr(found, '/');
			*slash = '\0';
			if (ib_bootcfg_find_isolinux(fs,
			        found[0] != '\0' ? found : "/", out, outsz, why,
			        whysz, err) == 0)
				return 0;
		}
		if (ib_bootfs_search(fs, names, 2, 4, out, outsz) == 0) {
			snprintf(why, whysz,
			    "not in ISOLINUX's stock search order and no boot "
			    "catalog to say where isolinux.bin is: %s is the "
			    "shallowest config in the tree",
			    out);
			return 0;
		}
	}
	return ib_err_set(err, IB_ENOTFOUND,
	    "no isolinux.cfg or syslinux.cfg in ISOLINUX's search order%s%s",
	    bootdir != NULL ? " or in " : "", bootdir != NULL ? bootdir : "");
}
