/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * blscfg (Fedora's grub2, blscfg.c's create_entry): a menu entry for each
 * Boot Loader Specification entry, in blscfg's order. blscfg writes each
 * entry as GRUB script ("load_video", "insmod gzio", "linux", "initrd")
 * and adds it as a menuentry whose body runs when it boots, so the
 * entry's options are expanded then, with GRUB's variables ($kernelopts
 * from grubenv). The same text is made here and run by the evaluator.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bls.h"
#include "grub_int.h"
#include "menu_int.h"
#include "strbuf.h"

/* s in GRUB's single quotes: a quote becomes '\'' . */
static int
add_quoted(ib_strbuf *b, const char *s, ib_err *err)
{
	if (ib_strbuf_addc(b, '\'', err) == -1)
		return -1;
	for (; *s != '\0'; s++)
		if ((*s == '\'' ? ib_strbuf_adds(b, "'\\''", err) :
		                  ib_strbuf_addc(b, *s, err)) == -1)
			return -1;
	return ib_strbuf_addc(b, '\'', err);
}

/* The script blscfg makes of entry m (ib_bls_grub_entry's). */
static int
entry_script(ib_strbuf *b, const ib_menu_entry *m, ib_err *err)
{
	size_t i;

	if (ib_strbuf_adds(b, "menuentry ", err) == -1 ||
	    add_quoted(b, m->title, err) == -1 ||
	    ib_strbuf_adds(b, " --id ", err) == -1 ||
	    add_quoted(b, m->label, err) == -1 ||
	    ib_strbuf_adds(b,
	        " {\nload_video\nset gfxpayload=keep\ninsmod gzio\nlinux ",
	        err) == -1 ||
	    ib_strbuf_adds(b, m->kernel, err) == -1 ||
	    (m->args[0] != '\0' &&
	        (ib_strbuf_addc(b, ' ', err) == -1 ||
	            ib_strbuf_adds(b, m->args, err) == -1)))
		return -1;
	if (m->ninitrds > 0 && ib_strbuf_adds(b, "\ninitrd", err) == -1)
		return -1;
	for (i = 0; i < m->ninitrds; i++)
		if (ib_strbuf_addc(b, ' ', err) == -1 ||
		    ib_strbuf_adds(b, m->initrds[i], err) == -1)
			return -1;
	return ib_strbuf_adds(b, "\n}\n", err);
}

/* Run the script of entry e, named by its file, in c. */
static int
run_entry(struct ctx *c, const char *dir, const ib_bls_entry *e, ib_err *err)
{
	char path[IB_MAX_PATH + IB_MAX_NAME + 2];
	ib_strbuf b = { 0 };
	ib_menu_entry m;
	struct gfile *f;
	size_t len;
	char *text;
	int rc;

	rc = ib_bls_grub_entry(e, &m, err);
	if (rc != 1)
		return rc;
	rc = entry_script(&b, &m, err);
	ib_menu_entry_release(&m);
	if (rc == -1) {
		ib_strbuf_release(&b);
		return -1;
	}
	len = b.len;
	text = ib_strbuf_take(&b, err);
	if (text == NULL)
		return -1;
	/* Named by the entry file, so that notes and "where" point at it. */
	if ((size_t)snprintf(path, sizeof(path), "%s/%s",
	        strcmp(dir, "/") == 0 ? "" : dir, e->file) >= sizeof(path)) {
		free(text);
		return ib_err_set(err, IB_ELIMIT, "%s: path too long", dir);
	}
	if (ib_grub_load_text(c->g, path, text, len, &f, err) == -1)
		return -1;
	return ib_grub_exec_list(c, f->script, err);
}

int
ib_grub_cmd_blscfg(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	const char *blsdir = ib_grub_env_get(c->env, "blsdir");
	char dir[IB_MAX_PATH + 1], qd[QMAX];
	ib_bls_list l = { 0 };
	size_t i;
	int rc = 0;

	(void)av;
	c->status = 0;
	/* blsdir, else /loader/entries, then /boot/loader/entries, on
	 * $root's device. */
	for (int k = 0; k < (blsdir != NULL ? 1 : 2); k++) {
		if (ib_grub_image_path(c, where,
		        blsdir != NULL ? blsdir :
		            k == 0     ? "/loader/entries" :
		                         "/boot/loader/entries",
		        true, dir, sizeof(dir), err) == -1)
			return -1;
		rc = ib_bls_load(c->g->fs, dir, IB_BLS_GRUB, &l, NULL, err);
		if (rc == -1 || l.n > 0)
			break;
		ib_bls_list_release(&l);
	}
	ib_grub_quote(qd, sizeof(qd), dir + 1);
	if (rc == -1)
		return ib_err_prefix(err, "%s: blscfg %s: ", where, qd);
	if (l.n == 0) {
		ib_grub_note(c->g, "%s: blscfg: no entries (%s)", where, qd);
		return 0;
	}
	ib_grub_note(c->g,
	    "%s: blscfg: %zu entries from %s, newest version first; a GRUB "
	    "with blscfg is Fedora's, whose default matches ids first",
	    where, l.n, qd);
	c->g->fedora = true;
	for (i = 0, rc = 0; i < l.n && rc != -1; i++)
		rc = run_entry(c, dir, l.e[i], err);
	ib_bls_list_release(&l);
	return rc == -1 ? -1 : 0;
}
