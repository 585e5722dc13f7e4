/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The syslinux reader, choosing (SEMANTICS.md 1.6): what ldlinux boots
 * when its default command runs, or, when that is a menu module, what the
 * menu highlights; the chooser modules; CONFIG chains. The driver,
 * ib_syslinux_parse(), is here too.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "syslinux.h"
#include "syslinux_int.h"

static ib_menu *parse_config(ib_bootfs *fs, const char *path, const char *cwd,
    unsigned chain, bool as_menu, ib_err *err);
static void adopt(ib_menu *dst, ib_menu *src);

/* The first word of s into buf; returns the rest (blanks skipped). */
static const char *
first_word(const char *s, char *buf, size_t size)
{
	size_t n;

	n = strcspn(s, " \t");
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	s += strcspn(s, " \t");
	return s + strspn(s, " \t");
}

static bool
is_menu_module(const char *w)
{
	return strcmp(w, "menu.c32") == 0 || strcmp(w, "vesamenu.c32") == 0 ||
	    ib_syslinux_has_suffix(w, "/menu.c32") ||
	    ib_syslinux_has_suffix(w, "/vesamenu.c32");
}

static bool
is_module(const char *w, const char *name)
{
	size_t n = strlen(name);

	return strcmp(w, name) == 0 ||
	    (ib_syslinux_has_suffix(w, name) && w[strlen(w) - n - 1] == '/');
}

/*
 * A copy of e with extra words after its command line (1.6.3: the words
 * after a label on a DEFAULT line follow the label's own). ldlinux then
 * looks for the first initrd= in the whole line, so extra words can name
 * the initrd of a label that has none; they never lose their place after
 * the label's own initrd.
 */
static ib_menu_entry *
entry_with(struct parser *p, const ib_menu_entry *e, const char *extra,
    ib_err *err)
{
	ib_menu_entry *d;
	char *args, *stripped;
	size_t n;

	d = ib_menu_entry_dup(e);
	if (d == NULL) {
		ib_err_errno(err, ENOMEM, "entry");
		return NULL;
	}
	if (extra == NULL || extra[0] == '\0')
		return d;
	if (d->kind == IB_KIND_LINUX && d->ninitrds == 0 &&
	    ib_syslinux_set_initrds(p, d, extra, NULL, err) == -1)
		goto fail;
	n = strlen(d->args) + strlen(extra) + 2;
	args = malloc(n);
	if (args == NULL)
		goto nomem;
	snprintf(args, n, "%s%s%s", d->args, d->args[0] != '\0' ? " " : "",
	    extra);
	stripped = ib_cmdline_strip_loader_new(args);
	free(args);
	if (stripped == NULL)
		goto nomem;
	free(d->args);
	d->args = stripped;
	return d;
nomem:
	ib_err_errno(err, ENOMEM, "entry");
fail:
	ib_menu_entry_release(d);
	free(d);
	return NULL;
}

static int
set_default(struct parser *p, const ib_menu_entry *e, const char *extra,
    ib_err *err)
{
	p->m->def = entry_with(p, e, extra, err);
	return p->m->def == NULL ? -1 : 0;
}

/*
 * What a command line runs (1.6.3): its first word is a label, else an
 * "implicit" kernel loaded by its extension. Returns a new entry, or NULL
 * with *err.
 */
static ib_menu_entry *
command_entry(struct parser *p, const char *cmd, const char *where, ib_err *err)
{
	const ib_menu_entry *e;
	ib_menu_entry x, *d;
	const char *rest;
	char w[256];

	rest = first_word(cmd, w, sizeof(w));
	e = ib_menu_find(p->m, w);
	if (e != NULL && e->label != NULL && strcmp(e->label, w) == 0) {
		return entry_with(p, e, rest, err);
	}
	memset(&x, 0, sizeof(x));
	x.kind = ib_syslinux_kind_of_file(w);
	x.kernel = ib_syslinux_resolve_new(p, w, strlen(w));
	x.args = ib_cmdline_strip_loader_new(rest);
	x.where = strdup(where);
	if (x.kernel == NULL || x.args == NULL || x.where == NULL) {
		ib_menu_entry_release(&x);
		ib_err_errno(err, ENOMEM, "entry");
		return NULL;
	}
	if (x.kind == IB_KIND_LINUX &&
	    ib_syslinux_set_initrds(p, &x, rest, NULL, err) == -1) {
		ib_menu_entry_release(&x);
		return NULL;
	}
	d = ib_menu_entry_dup(&x);
	ib_menu_entry_release(&x);
	if (d == NULL) {
		ib_err_errno(err, ENOMEM, "entry");
		return NULL;
	}
	ib_menu_notef(p->m,
	    "%s: %s is no label: syslinux loads it as a %s "
	    "file",
	    where, w, ib_menu_kind_name(d->kind));
	return d;
}

/* 1.6.4-6: what vesamenu.c32/menu.c32 highlights. */
static int
menu_choice(struct parser *p, ib_err *err)
{
	const ib_menu_entry *e, *first;
	ib_menu *m;
	char w[256];
	size_t i;

	m = p->m;
	if (p->has_ui && p->last_default != NULL) {
		first_word(p->last_default, w, sizeof(w));
		/* 1.5: the menu keeps the whole LABEL value, trailing
		 * spaces included, and compares it exactly. */
		e = NULL;
		for (i = 0; i < m->n && e == NULL; i++)
			if (m->e[i].label_line != NULL &&
			    strcmp(m->e[i].label_line, w) == 0)
				e = &m->e[i];
		if (e != NULL && !e->hidden) {
			ib_menu_notef(m,
			    "the menu selects DEFAULT %s (a UI line exists, so "
			    "DEFAULT picks the entry)",
			    w);
			return set_default(p, e, NULL, err);
		}
		ib_menu_notef(m, "DEFAULT %s is ignored by the menu (%s)", w,
		    e == NULL ? "no such label" : "a MENU HIDE label");
	} else if (p->last_default != NULL && !p->has_ui) {
		ib_menu_notef(m,
		    "no UI line: the menu module ignores DEFAULT and uses "
		    "MENU DEFAULT or its first entry");
	}
	e = NULL;
	for (i = 0; i < m->n; i++)
		if (m->e[i].submenu == NULL && m->e[i].menu_default &&
		    m->e[i].kind != IB_KIND_SEPARATOR &&
		    m->e[i].kind != IB_KIND_SUBMENU)
			e = &m->e[i];
	if (e != NULL) {
		ib_menu_notef(m, "%s: MENU DEFAULT (label %s)", e->where,
		    e->label);
		return set_default(p, e, NULL, err);
	}
	first = NULL;
	for (i = 0; i < m->n; i++) {
		if (m->e[i].submenu != NULL || m->e[i].hidden)
			continue;
		if (first == NULL)
			first = &m->e[i];
		if (!m->e[i].disabled && m->e[i].kind != IB_KIND_SEPARATOR) {
			e = &m->e[i];
			break;
		}
	}
	if (e == NULL) {
		ib_menu_notef(m, "the menu has no entry to boot");
		return 0;
	}
	if (e != first) {
		ib_menu_notef(m,
		    "entry 0 of the menu is disabled: the highlight moves to "
		    "%s and the timeout is cancelled",
		    e->label != NULL ? e->label : "(next)");
		m->timeout = 0; /* run_menu: moving off defentry */
	} else
		ib_menu_notef(m,
		    "%s: the menu highlights its first entry "
		    "(label %s)",
		    e->where, e->label != NULL ? e->label : "?");
	if (e->kind == IB_KIND_SUBMENU)
		ib_menu_notef(m,
		    "the first entry is a submenu: nothing boots "
		    "until one is chosen");
	return e->kind == IB_KIND_SUBMENU ? 0 : set_default(p, e, NULL, err);
}

/* ifcpu64.c32 L64 -- L32 [-- L16], ifcpu.c32 ... -- L, whichsys.c32
 * -iso- L ...: the modules that pick an entry. Returns the label chosen
 * for an x86_64 VM booting the ISO, or NULL. */
static const char *
chooser(const char *w, const char *rest, char *buf, size_t size,
    const char **why)
{
	const char *s;

	if (is_module(w, "ifcpu64.c32")) {
		*why = "ifcpu64.c32 picks its first (64-bit) label on an "
		       "x86_64 VM";
		first_word(rest, buf, size);
		return buf[0] != '\0' ? buf : NULL;
	}
	if (is_module(w, "ifcpu.c32")) {
		/* ifcpu.c32 [flags...] -- L_match -- L_else: an x86_64 VM
		 * has the usual flags (x86_64, pae, ...): take the match. */
		*why = "ifcpu.c32 picks the label for a matching CPU "
		       "(an x86_64 VM)";
		s = strstr(rest, "--");
		if (s == NULL)
			return NULL;
		first_word(s + 2 + strspn(s + 2, " \t"), buf, size);
		return buf[0] != '\0' ? buf : NULL;
	}
	if (is_module(w, "whichsys.c32")) {
		*why = "whichsys.c32 picks its -iso- entry on an ISO";
		s = strstr(rest, "-iso-");
		if (s == NULL)
			return NULL;
		s += 5;
		s += strspn(s, " \t");
		first_word(s, buf, size);
		return buf[0] != '\0' ? buf : NULL;
	}
	return NULL;
}

/*
 * UI/DEFAULT menu.c32 FILE...: the menu module reads those files, not the
 * current config (1.6), and chooses from what it read.
 */
static int
menu_of_files(struct parser *p, const char *files, ib_err *err)
{
	char path[IB_MAX_PATH + 1], w[IB_MAX_PATH + 1];
	ib_menu *next;
	const char *rest;

	rest = first_word(files, w, sizeof(w));
	if (ib_bootfs_path_resolve(p->cwd, w, path, sizeof(path)) == -1)
		return ib_err_set(err, IB_ELIMIT, "%s: path too long",
		    p->default_where);
	if (rest[0] != '\0')
		ib_menu_notef(p->m,
		    "%s: the menu reads more files (%s); only "
		    "%s is read here",
		    p->default_where, rest, path);
	ib_menu_notef(p->m, "%s: the menu module reads %s, not this config",
	    p->default_where, path);
	next = parse_config(p->fs, path, p->cwd, p->chain + 1, true, err);
	if (next == NULL)
		return -1;
	adopt(p->m, next);
	return 0;
}

/* 1.6: what ldlinux runs, then what the menu highlights. */
static int
resolve_default(struct parser *p, ib_err *err)
{
	const ib_menu_entry *e;
	const char *rest, *why, *pick;
	char w[256], buf[256];

	if (p->default_cmd == NULL) {
		ib_menu_notef(p->m,
		    "no DEFAULT or UI line: syslinux shows "
		    "its boot: prompt");
		return 0;
	}
	rest = first_word(p->default_cmd, w, sizeof(w));
	ib_menu_notef(p->m, "%s: %s %s", p->default_where,
	    p->default_level == 2 ? "UI" : "DEFAULT", p->default_cmd);
	if (is_menu_module(w)) {
		p->menu_runs = true;
		if (rest[0] != '\0')
			return menu_of_files(p, rest, err);
		return menu_choice(p, err);
	}
	if (is_module(w, "gfxboot.c32") || strcmp(w, "gfxboot") == 0) {
		p->menu_runs = true;
		ib_menu_notef(p->m,
		    "gfxboot draws its own menu and preselects "
		    "DEFAULT (not verified)");
		if (p->last_default != NULL) {
			first_word(p->last_default, buf, sizeof(buf));
			e = ib_menu_find(p->m, buf);
			if (e != NULL)
				return set_default(p, e, NULL, err);
		}
		return menu_choice(p, err);
	}
	pick = chooser(w, rest, buf, sizeof(buf), &why);
	if (pick != NULL) {
		e = ib_menu_find(p->m, pick);
		ib_menu_notef(p->m, "%s: %s", w, why);
		if (e != NULL)
			return set_default(p, e, NULL, err);
		ib_menu_notef(p->m, "%s names label %s, which does not exist",
		    w, pick);
		return 0;
	}
	p->m->def = command_entry(p, p->default_cmd, p->default_where, err);
	return p->m->def == NULL ? -1 : 0;
}

/* A CONFIG default (1.10): parse that file and take its default. */
static int follow_config(struct parser *p, ib_err *err);

/*
 * 1.6: a chooser module reached through a label, not named on the DEFAULT
 * line (DEFAULT select / LABEL select / COM32 whichsys.c32 / APPEND -iso-
 * sys): the module gets the label's APPEND as its arguments
 * (sl:com32/elflink/ldlinux/execute.c, a COM32 label runs its file with
 * the APPEND text) and runs its pick as a command line typed at the boot:
 * prompt (sl:com32/modules/whichsys.c, ifcpu64.c, ifcpu.c:
 * syslinux_run_command), so a label, then what that label is.
 */
static int
follow_chooser(struct parser *p, ib_err *err)
{
	ib_menu_entry *d;
	const char *why, *pick;
	char buf[256];
	unsigned hops;

	for (hops = 0; p->m->def != NULL && p->m->def->kind == IB_KIND_COM32;
	     hops++) {
		if (hops >= IB_MAX_INCLUDE)
			return ib_err_set(err, IB_ELIMIT,
			    "%s: chooser modules chain longer than %u",
			    p->m->def->where, IB_MAX_INCLUDE);
		pick = chooser(p->m->def->kernel, p->m->def->args, buf,
		    sizeof(buf), &why);
		if (pick == NULL)
			return 0;
		ib_menu_notef(p->m, "%s: label %s runs %s: %s",
		    p->m->def->where,
		    p->m->def->label != NULL ? p->m->def->label : "-",
		    p->m->def->kernel, why);
		d = command_entry(p, pick, p->m->def->where, err);
		if (d == NULL)
			return -1;
		ib_menu_entry_release(p->m->def);
		free(p->m->def);
		p->m->def = d;
	}
	return 0;
}

/* Make dst the menu src describes (entries, default, timeout, config),
 * keeping dst's notes and then src's; frees src. */
static void
adopt(ib_menu *dst, ib_menu *src)
{
	size_t i;

	ib_menu_notes_append(dst, src);
	for (i = 0; i < dst->n; i++)
		ib_menu_entry_release(&dst->e[i]);
	free(dst->e);
	if (dst->def != NULL)
		ib_menu_entry_release(dst->def);
	free(dst->def);
	if (dst->tout != NULL)
		ib_menu_entry_release(dst->tout);
	free(dst->tout);
	free(dst->config);
	dst->e = src->e;
	dst->n = src->n;
	dst->cap = src->cap;
	dst->def = src->def;
	dst->tout = src->tout;
	dst->timeout = src->timeout;
	dst->config = src->config;
	src->e = NULL;
	src->n = src->cap = 0;
	src->def = src->tout = NULL;
	src->config = NULL;
	ib_menu_free(src);
}

static void
parser_release(struct parser *p)
{
	ib_syslinux_label_clear(&p->cur);
	free(p->global_append);
	free(p->default_cmd);
	free(p->last_default);
	free(p->ontimeout);
	free(p->submenu);
}

static ib_menu *
parse_config(ib_bootfs *fs, const char *path, const char *cwd, unsigned chain,
    bool as_menu, ib_err *err)
{
	struct parser p;
	const ib_menu_entry *e;
	char w[256];
	ib_menu *m;

	memset(&p, 0, sizeof(p));
	p.fs = fs;
	p.chain = chain;
	m = ib_menu_new("syslinux", path, err);
	if (m == NULL)
		return NULL;
	p.m = m;
	snprintf(p.cwd, sizeof(p.cwd), "%s", cwd);
	if (ib_syslinux_parse_file(&p, path, err) == -1) {
		if (err->code == IB_ENOTFOUND)
			ib_err_set(err, IB_ENOTFOUND, "%s: no such file",
			    path + 1);
		goto fail;
	}
	/* as_menu: a menu module read this file and chooses from it. */
	p.menu_runs = as_menu;
	if (ib_syslinux_record(&p, err) == -1 ||
	    (as_menu ? menu_choice(&p, err) : resolve_default(&p, err)) == -1 ||
	    follow_chooser(&p, err) == -1)
		goto fail;
	/* 1.6.2: with PROMPT 0 and no menu, the default boots at once and
	 * no timeout ever runs. */
	if (p.ontimeout != NULL && !p.menu_runs && !p.prompt)
		ib_menu_notef(m,
		    "%s: ONTIMEOUT is never used: PROMPT 0 and no "
		    "menu boot the default at once",
		    p.ontimeout_where);
	else if (p.ontimeout != NULL) {
		first_word(p.ontimeout, w, sizeof(w));
		e = ib_menu_find(m, w);
		if (e == NULL || m->def == NULL || e->label == NULL ||
		    m->def->label == NULL ||
		    strcmp(e->label, m->def->label) != 0) {
			m->tout = command_entry(&p, p.ontimeout,
			    p.ontimeout_where, err);
			if (m->tout == NULL)
				goto fail;
			ib_menu_notef(m,
			    "%s: on timeout (%ld/10 s) ONTIMEOUT runs %s (%s), "
			    "not the default",
			    p.ontimeout_where, m->timeout, w,
			    ib_menu_kind_name(m->tout->kind));
		}
	}
	m->prompts = p.prompt || p.menu_runs;
	if (m->def != NULL && m->def->kind == IB_KIND_CONFIG &&
	    follow_config(&p, err) == -1)
		goto fail;
	parser_release(&p);
	return m;
fail:
	parser_release(&p);
	ib_menu_free(m);
	return NULL;
}

static int
follow_config(struct parser *p, ib_err *err)
{
	char dir[IB_MAX_PATH + 1];
	ib_menu *next;
	ib_menu *m;

	m = p->m;
	if (p->chain >= IB_MAX_INCLUDE)
		return ib_err_set(err, IB_ELIMIT,
		    "%s: CONFIG chain longer than %u", m->def->where,
		    IB_MAX_INCLUDE);
	/* CONFIG file [dir]: the APPEND text is the new directory. */
	snprintf(dir, sizeof(dir), "%s", p->cwd);
	if (m->def->args[0] != '\0' &&
	    ib_bootfs_path_resolve(p->cwd, m->def->args, dir, sizeof(dir)) ==
	        -1)
		return ib_err_set(err, IB_ELIMIT, "CONFIG directory too long");
	ib_menu_notef(m,
	    "%s: CONFIG %s: syslinux restarts with that file "
	    "in %s",
	    m->def->where, m->def->kernel, dir);
	next =
	    parse_config(p->fs, m->def->kernel, dir, p->chain + 1, false, err);
	if (next == NULL)
		return -1;
	adopt(m, next);
	return 0;
}

ib_menu *
ib_syslinux_parse(ib_bootfs *fs, const char *path, const char *cwd, ib_err *err)
{
	char dir[IB_MAX_PATH + 1];
	char *slash;

	if (path[0] != '/' || (cwd != NULL && cwd[0] != '/')) {
		ib_err_set(err, EINVAL, "%s: not an absolute path", path);
		return NULL;
	}
	snprintf(dir, sizeof(dir), "%s", cwd != NULL ? cwd : path);
	if (cwd == NULL) {
		slash = strrchr(dir, '/');
		slash[slash == dir ? 1 : 0] = '\0';
	}
	return parse_config(fs, path, dir, 0, false, err);
}
