/*
 * fuzz_grubcfg: a GRUB config tree built from the input (split at the first
 * 0xFF byte into /a.cfg and /b.cfg, so source and configfile have a
 * second file and a loop to find), parsed for BIOS and for UEFI.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootfs.h"
#include "grubcfg.h"
#include "menu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		return;
	if (write(fd, p, n) != (ssize_t)n) {
		/* a short fixture is still a fixture */
	}
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/fuzz_grubcfg.XXXXXX", path[256];
	const uint8_t *sep;
	const ib_menu_entry *e;
	ib_bootfs *fs;
	ib_menu *m;
	ib_err err;
	size_t a;

	if (mkdtemp(dir) == NULL)
		return 0;
	sep = memchr(data, 0xff, size);
	a = sep != NULL ? (size_t)(sep - data) : size;
	put(dir, "a.cfg", data, a);
	put(dir, "b.cfg", sep != NULL ? sep + 1 : data,
	    sep != NULL ? size - a - 1 : 0);
	fs = ib_bootfs_open_dir(dir, &err);
	if (fs != NULL) {
		m = ib_grub_parse(fs, "/a.cfg", a % 2 ? "efi" : "pc", &err);
		if (m != NULL) {
			e = ib_menu_default(m);
			/* Every path the reader gives is absolute. */
			if (e != NULL && e->kind == IB_KIND_LINUX &&
			    (e->kernel == NULL || e->kernel[0] != '/'))
				__builtin_trap();
			for (size_t i = 0; e != NULL && i < e->ninitrds; i++)
				if (e->initrds[i][0] != '/')
					__builtin_trap();
			ib_menu_free(m);
		}
		ib_bootfs_close(fs);
	}
	snprintf(path, sizeof(path), "%s/a.cfg", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.cfg", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}
