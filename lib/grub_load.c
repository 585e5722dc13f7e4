/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The commands that load what a menu entry boots (linux, initrd,
 * chainloader) and those that end its body (boot, exit, reboot...).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grub_int.h"

/* The kernel command line (grub-core/lib/cmdline.c, upstream): words
 * joined by one space; \ ' " get a backslash; a word with a space is
 * put in double quotes. */
static char *
cmdline_new(char *const *v, size_t n, ib_err *err)
{
	ib_strbuf b;
	bool space;

	memset(&b, 0, sizeof(b));
	b.max = IB_MAX_CMDLINE;
	for (size_t i = 0; i < n; i++) {
		space = strchr(v[i], ' ') != NULL;
		if ((i > 0 && ib_strbuf_addc(&b, ' ', err) == -1) ||
		    (space && ib_strbuf_addc(&b, '"', err) == -1))
			goto fail;
		for (const char *p = v[i]; *p != '\0'; p++)
			if (((*p == '\\' || *p == '\'' || *p == '"') &&
			        ib_strbuf_addc(&b, '\\', err) == -1) ||
			    ib_strbuf_addc(&b, *p, err) == -1)
				goto fail;
		if (space && ib_strbuf_addc(&b, '"', err) == -1)
			goto fail;
	}
	return ib_strbuf_take(&b, err);
fail:
	ib_strbuf_release(&b);
	return NULL;
}

void
ib_grub_body_release(struct body *b)
{
	free(b->kernel);
	free(b->args);
	for (size_t i = 0; i < b->ninitrds; i++)
		free(b->initrds[i]);
	free(b->initrds);
	b->kernel = b->args = NULL;
	b->initrds = NULL;
	b->ninitrds = 0;
	b->loaded = false;
}

/* Outside a menu entry a loader command runs while the config is read;
 * nothing boots from it unless the menu is empty. */
static bool
in_body(struct ctx *c, const char *where, const char *cmd)
{
	if (c->ent != NULL)
		return true;
	ib_grub_note(c->g, "%s: %s outside a menu entry: ignored", where, cmd);
	c->status = 0;
	return false;
}

/* linux, linux16, linuxefi FILE ARGS... */
int
ib_grub_cmd_linux(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	char path[IB_MAX_PATH + 1];
	char *k, *args;

	if (!in_body(c, where, av->v[0]))
		return 0;
	if (av->n < 2) {
		ib_grub_note(c->g, "%s: %s without a file: GRUB fails", where,
		    av->v[0]);
		c->status = 1;
		return 0;
	}
	if (ib_grub_image_path(c, where, av->v[1], false, path, sizeof(path),
	        err) == -1)
		return -1;
	k = strdup(path);
	args = cmdline_new(av->v + 2, av->n - 2, err);
	if (k == NULL || args == NULL) {
		free(k);
		free(args);
		if (args != NULL || err->code == 0)
			ib_err_errno(err, ENOMEM, "kernel");
		return ib_err_prefix(err, "%s: ", where);
	}
	/* A new kernel unloads the old one and its initrds. */
	ib_grub_body_release(c->ent);
	c->ent->kernel = k;
	c->ent->args = args;
	c->ent->kind = IB_KIND_LINUX;
	c->ent->loaded = true;
	if (strlen("BOOT_IMAGE=") + strlen(av->v[1]) + 1 + strlen(args) > 2047)
		ib_grub_note(c->g,
		    "%s: command line longer than 2047 bytes: GRUB drops the "
		    "words that do not fit the kernel's cmdline_size",
		    where);
	c->status = 0;
	return 0;
}

/* initrd, initrd16, initrdefi F1 F2...: loaded in order (2.4). */
int
ib_grub_cmd_initrd(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	char path[IB_MAX_PATH + 1], qb[256];
	char **list;
	const char *f, *colon;
	size_t n;

	if (!in_body(c, where, av->v[0]))
		return 0;
	c->status = 1;
	if (!c->ent->loaded || c->ent->kind != IB_KIND_LINUX) {
		ib_grub_note(c->g,
		    "%s: %s before linux: GRUB fails ('you need to load the "
		    "kernel first')",
		    where, av->v[0]);
		return 0;
	}
	if (av->n < 2) {
		ib_grub_note(c->g, "%s: %s without a file: GRUB fails", where,
		    av->v[0]);
		return 0;
	}
	list = calloc(av->n - 1, sizeof(*list));
	if (list == NULL)
		return ib_err_errno(err, ENOMEM, "%s: initrd", where);
	for (n = 0; n + 1 < av->n; n++) {
		f = av->v[n + 1];
		/* newc:NAME:FILE puts FILE into a generated cpio as NAME */
		if (strncmp(f, "newc:", 5) == 0 &&
		    (colon = strchr(f + 5, ':')) != NULL) {
			ib_grub_note(c->g,
			    "%s: %s: the file goes into a cpio archive "
			    "GRUB makes",
			    where, ib_grub_quote(qb, sizeof(qb), f));
			f = colon + 1;
		}
		if (ib_grub_image_path(c, where, f, false, path, sizeof(path),
		        err) == -1 ||
		    (list[n] = strdup(path)) == NULL) {
			if (err->code == 0)
				ib_err_errno(err, ENOMEM, "%s: initrd", where);
			while (n > 0)
				free(list[--n]);
			free(list);
			return -1;
		}
	}
	for (size_t i = 0; i < c->ent->ninitrds; i++)
		free(c->ent->initrds[i]);
	free(c->ent->initrds);
	c->ent->initrds = list;
	c->ent->ninitrds = n;
	c->status = 0;
	return 0;
}

/* chainloader [--force] FILE: another boot loader or EFI image. */
int
ib_grub_cmd_chainloader(struct ctx *c, const char *where, ib_argv *av,
    ib_err *err)
{
	char path[IB_MAX_PATH + 1];
	const char *f = NULL;
	char *k;

	if (!in_body(c, where, av->v[0]))
		return 0;
	for (size_t i = 1; i < av->n && f == NULL; i++)
		if (av->v[i][0] != '-')
			f = av->v[i];
	if (f == NULL) {
		c->status = 1;
		return 0;
	}
	if (ib_grub_image_path(c, where, f, false, path, sizeof(path), err) ==
	    -1)
		return -1;
	k = strdup(path);
	if (k == NULL)
		return ib_err_errno(err, ENOMEM, "%s: chainloader", where);
	ib_grub_body_release(c->ent);
	c->ent->kernel = k;
	c->ent->kind = IB_KIND_BOOTSECTOR;
	c->ent->loaded = true;
	c->status = 0;
	return 0;
}

/* boot: what is loaded boots now; the rest of the body never runs. */
int
ib_grub_cmd_boot(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	(void)err;
	if (!in_body(c, where, av->v[0]))
		return 0;
	if (!c->ent->loaded) {
		ib_grub_note(c->g, "%s: boot with nothing loaded: GRUB fails",
		    where);
		c->status = 1;
		return 0;
	}
	c->flow = F_STOP;
	return 0;
}

/* exit, reboot, halt, fwsetup: the entry boots nothing. */
int
ib_grub_cmd_end(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	static const char *const names[] = { "exit", "reboot", "halt",
		"fwsetup" };

	(void)err;
	if (!in_body(c, where, av->v[0]))
		return 0;
	ib_grub_body_release(c->ent);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(av->v[0], names[i]) == 0)
			c->ent->end = names[i];
	c->flow = F_STOP;
	return 0;
}
