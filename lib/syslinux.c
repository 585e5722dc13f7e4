/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The syslinux reader, parsing: SEMANTICS.md 1.3-1.5 and 1.7-1.10 turn
 * config files into menu entries. syslinux_menu.c then decides (1.6)
 * what ldlinux boots, or what the menu highlights.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootfs.h"
#include "bounds.h"
#include "cmdline.h"
#include "compat.h"
#include "syslinux.h"
#include "syslinux_int.h"

void
ib_syslinux_label_clear(struct label *l)
{
	free(l->name);
	free(l->title);
	free(l->kernel);
	free(l->kargs);
	free(l->line);
	free(l->append);
	free(l->initrd);
	memset(l, 0, sizeof(*l));
}

/*
 * A config line is read in place, between its start and end (its CR or
 * LF, or the end of the file): ib_bootfs_read() adds no NUL after the
 * last line, so nothing here may look for one.
 */

/* *dst = the value from s to end (the rest of the line). */
static int
set_str(char **dst, const char *s, const char *end, ib_err *err)
{
	char *d;

	d = strndup(s, (size_t)(end - s));
	if (d == NULL)
		return ib_err_errno(err, ENOMEM, "config");
	free(*dst);
	*dst = d;
	return 0;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* The bytes of the first word at s: up to a space or tab, or end. */
static size_t
word_len(const char *s, const char *end)
{
	const char *t;

	for (t = s; t < end && *t != ' ' && *t != '\t'; t++)
		;
	return (size_t)(t - s);
}

/* s after its spaces and tabs, at most end. */
static const char *
skip_sp_tab(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* strtol(3) of the value from s to end, as ldlinux reads a number. */
static int
value_long(const char *s, const char *end, long *out, ib_err *err)
{
	char *d;

	*out = 0;
	d = strndup(s, (size_t)(end - s));
	if (d == NULL)
		return ib_err_errno(err, ENOMEM, "config");
	*out = strtol(d, NULL, 10);
	free(d);
	return 0;
}

bool
ib_syslinux_has_suffix(const char *s, const char *suf)
{
	size_t n, k;

	n = strlen(s);
	k = strlen(suf);
	return n >= k && strcmp(s + n - k, suf) == 0;
}

/* 1.8: KERNEL's type by extension, case-sensitive as in 6.x. */
ib_kind
ib_syslinux_kind_of_file(const char *name)
{
	if (ib_syslinux_has_suffix(name, ".c32"))
		return IB_KIND_COM32;
	if (ib_syslinux_has_suffix(name, ".img"))
		return IB_KIND_FLOPPY;
	if (ib_syslinux_has_suffix(name, ".bss"))
		return IB_KIND_BSS;
	if (ib_syslinux_has_suffix(name, ".bin") ||
	    ib_syslinux_has_suffix(name, ".bs"))
		return IB_KIND_BOOTSECTOR;
	if (ib_syslinux_has_suffix(name, ".0"))
		return IB_KIND_PXE;
	return IB_KIND_LINUX;
}

static ib_kind
kind_of(enum kw kw, const char *kernel)
{
	switch (kw) {
	case KW_LINUX:
		return IB_KIND_LINUX;
	case KW_BOOT:
		return IB_KIND_BOOTSECTOR;
	case KW_BSS:
		return IB_KIND_BSS;
	case KW_PXE:
		return IB_KIND_PXE;
	case KW_FDIMAGE:
		return IB_KIND_FLOPPY;
	case KW_COMBOOT:
		return IB_KIND_COMBOOT;
	case KW_COM32:
		return IB_KIND_COM32;
	case KW_CONFIG:
		return IB_KIND_CONFIG;
	case KW_LOCALBOOT:
		return IB_KIND_LOCALBOOT;
	default:
		return ib_syslinux_kind_of_file(kernel);
	}
}

char *
ib_syslinux_resolve_new(const struct parser *p, const char *name, size_t n)
{
	char word[IB_MAX_PATH + 1], out[IB_MAX_PATH + 1];

	if (n > IB_MAX_PATH)
		return NULL;
	memcpy(word, name, n);
	word[n] = '\0';
	if (ib_bootfs_path_resolve(p->cwd, word, out, sizeof(out)) == -1)
		return NULL;
	return strdup(out);
}

/* 1.9: the first "initrd=" anywhere in the command line (a substring
 * match, as ldlinux does), else the INITRD keyword; comma-separated. */
int
ib_syslinux_set_initrds(const struct parser *p, ib_menu_entry *e,
    const char *append, const char *initrd_kw, ib_err *err)
{
	const char *v, *end, *comma;
	char **list;
	size_t n;

	v = append != NULL ? strstr(append, "initrd=") : NULL;
	if (v != NULL)
		v += 7;
	else
		v = initrd_kw;
	if (v == NULL)
		return 0;
	end = v + strcspn(v, " \t");
	n = 0;
	list = NULL;
	while (v < end) {
		comma = memchr(v, ',', (size_t)(end - v));
		if (comma == NULL)
			comma = end;
		if (comma > v) {
			char **l = ib_reallocarray(list, n + 1, sizeof(*l));
			if (l == NULL)
				goto nomem;
			list = l;
			list[n] =
			    ib_syslinux_resolve_new(p, v, (size_t)(comma - v));
			if (list[n] == NULL)
				goto nomem;
			n++;
		}
		v = comma + (comma < end);
	}
	e->initrds = list;
	e->ninitrds = n;
	return 0;
nomem:
	while (n > 0)
		free(list[--n]);
	free(list);
	return ib_err_errno(err, ENOMEM, "initrd list");
}

/* 1.4: close the open label, with the global APPEND in force now. */
int
ib_syslinux_record(struct parser *p, ib_err *err)
{
	struct label *l;
	ib_menu_entry e;
	const char *append, *kernel;
	char *full;
	size_t n;
	int rc;

	l = &p->cur;
	if (!l->open)
		return 0;
	full = NULL;
	memset(&e, 0, sizeof(e));
	kernel = l->kernel != NULL ? l->kernel : l->name;
	e.kind = l->menu_exit ?
	    IB_KIND_EXIT :
	    kind_of(l->kernel != NULL ? l->kw : KW_KERNEL, kernel);
	append = l->append != NULL ? l->append : p->global_append;
	if (append == NULL || strcmp(append, "-") == 0)
		append = ""; /* APPEND - : no options (1.4) */
	/* ldlinux's ib_syslinux_record(): the kernel line's own words, then APPEND. */
	if (l->kargs != NULL && l->kargs[0] != '\0') {
		n = strlen(l->kargs) + strlen(append) + 2;
		full = malloc(n);
		if (full == NULL) {
			ib_syslinux_label_clear(l);
			return ib_err_errno(err, ENOMEM, "menu entry");
		}
		snprintf(full, n, "%s%s%s", l->kargs,
		    append[0] != '\0' ? " " : "", append);
		append = full;
	}
	e.label = l->name;
	e.title = l->title;
	e.label_line = l->line;
	l->name = l->title = l->line = NULL;
	e.hidden = l->hide;
	e.disabled = l->disabled;
	e.menu_default = l->menu_default;
	e.where = strdup(l->where);
	e.submenu = p->submenu != NULL ? strdup(p->submenu) : NULL;
	if (e.kind == IB_KIND_LOCALBOOT) {
		/* LOCALBOOT n: no file; the number is its argument. */
		append = kernel;
		e.kernel = NULL;
	} else if (e.kind == IB_KIND_EXIT) {
		append = "";
		e.kernel = NULL;
	} else if (e.kind == IB_KIND_LINUX || e.kind == IB_KIND_CONFIG ||
	    e.kind == IB_KIND_FLOPPY || e.kind == IB_KIND_BOOTSECTOR ||
	    e.kind == IB_KIND_BSS || e.kind == IB_KIND_PXE ||
	    e.kind == IB_KIND_COMBOOT)
		e.kernel = ib_syslinux_resolve_new(p, kernel, strlen(kernel));
	else
		e.kernel = strdup(kernel);
	e.args = ib_cmdline_strip_loader_new(append);
	rc = 0;
	if (e.where == NULL ||
	    (e.kernel == NULL && e.kind != IB_KIND_LOCALBOOT &&
	        e.kind != IB_KIND_EXIT) ||
	    e.args == NULL || (p->submenu != NULL && e.submenu == NULL))
		rc = ib_err_errno(err, ENOMEM, "menu entry");
	else if (e.kind == IB_KIND_LINUX)
		rc = ib_syslinux_set_initrds(p, &e, append, l->initrd, err);
	free(full);
	ib_syslinux_label_clear(l);
	if (rc == -1) {
		ib_menu_entry_release(&e);
		return -1;
	}
	return ib_menu_add(p->m, &e, err) == -1 ? -1 : 0;
}

/* A menu line that is not a label: separator or submenu marker. */
static int
add_marker(struct parser *p, ib_kind kind, const char *title, const char *where,
    ib_err *err)
{
	ib_menu_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.disabled = kind == IB_KIND_SEPARATOR;
	e.title = title != NULL ? strdup(title) : NULL;
	e.where = strdup(where);
	e.args = strdup("");
	e.submenu = p->submenu != NULL ? strdup(p->submenu) : NULL;
	if (e.where == NULL || e.args == NULL ||
	    (title != NULL && e.title == NULL) ||
	    (p->submenu != NULL && e.submenu == NULL)) {
		ib_menu_entry_release(&e);
		return ib_err_errno(err, ENOMEM, "menu");
	}
	return ib_menu_add(p->m, &e, err) == -1 ? -1 : 0;
}

/* 1.3: keyword at s (a line ending at end), matched ignoring case and
 * followed by a byte <= 0x20 or 0x7F or the end. Returns the value after
 * it (leading blanks skipped; at most end), or NULL. */
static const char *
looking_at(const char *s, const char *end, const char *kw)
{
	size_t n;

	n = strlen(kw);
	if ((size_t)(end - s) < n)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((s[i] | 0x20) != (kw[i] | 0x20))
			return NULL;
	s += n;
	if (s < end && (unsigned char)*s > 0x20 && *s != 0x7f)
		return NULL;
	while (s < end && is_blank(*s))
		s++;
	return s;
}

static int
submenu_push(struct parser *p, const char *title, ib_err *err)
{
	char *n;
	size_t len;

	len = (p->submenu != NULL ? strlen(p->submenu) + 3 : 0) +
	    strlen(title) + 1;
	n = malloc(len);
	if (n == NULL)
		return ib_err_errno(err, ENOMEM, "submenu");
	snprintf(n, len, "%s%s%s", p->submenu != NULL ? p->submenu : "",
	    p->submenu != NULL ? " > " : "", title);
	free(p->submenu);
	p->submenu = n;
	p->menu_depth++;
	return 0;
}

static void
submenu_pop(struct parser *p)
{
	char *s;

	if (p->menu_depth == 0)
		return; /* 1.7: an unbalanced MENU END is ignored */
	p->menu_depth--;
	s = p->submenu != NULL ? strstr(p->submenu, " > ") : NULL;
	if (p->menu_depth == 0 || s == NULL) {
		free(p->submenu);
		p->submenu = NULL;
		return;
	}
	/* cut at the last " > " */
	for (char *t = s; (t = strstr(t + 1, " > ")) != NULL;)
		s = t;
	*s = '\0';
}

static int
include(struct parser *p, const char *name, const char *where, ib_err *err)
{
	char path[IB_MAX_PATH + 1];

	if (ib_bootfs_path_resolve(p->cwd, name, path, sizeof(path)) == -1)
		return ib_err_set(err, IB_ELIMIT, "%s: INCLUDE path too long",
		    where);
	/* 1.10: syslinux 6 hangs on a loop; we refuse it, and more than
	 * IB_MAX_INCLUDE levels below the top file. */
	for (size_t i = 0; i < p->depth; i++)
		if (strcmp(p->stack[i], path) == 0)
			return ib_err_set(err, IB_ELIMIT,
			    "%s: INCLUDE loop: %s is already being read", where,
			    path + 1);
	if (p->depth > IB_MAX_INCLUDE)
		return ib_err_set(err, IB_ELIMIT,
		    "%s: INCLUDE nested deeper than %u", where, IB_MAX_INCLUDE);
	if (ib_syslinux_parse_file(p, path, err) == 0)
		return 0;
	if (err->code != IB_ENOTFOUND)
		return -1;
	/* 1.10: a missing file is skipped silently by syslinux. */
	ib_menu_asidef(p->m, "%s: INCLUDE %s: no such file, skipped", where,
	    path);
	ib_err_clear(err);
	return 0;
}

/* MENU BEGIN title and MENU INCLUDE file title: a submenu (1.7). */
static int
submenu_begin(struct parser *p, const char *title, const char *where,
    ib_err *err)
{
	if (ib_syslinux_record(p, err) == -1 ||
	    add_marker(p, IB_KIND_SUBMENU, title, where, err) == -1)
		return -1;
	return submenu_push(p, title, err);
}

/*
 * INCLUDE file and MENU INCLUDE file [title] (1.7, 1.10), with v the
 * value: a file name of more than IB_MAX_NAME bytes (or none) is ignored.
 * menu: a title after the name makes the file a submenu.
 */
static int
include_value(struct parser *p, const char *v, const char *end, bool menu,
    const char *where, ib_err *err)
{
	char *word, *title;
	size_t n;
	int rc;

	n = word_len(v, end);
	if (n == 0 || n > IB_MAX_NAME)
		return 0;
	word = strndup(v, n);
	if (word == NULL)
		return ib_err_errno(err, ENOMEM, "include");
	v = skip_sp_tab(v + n, end);
	if (!menu || v == end) {
		rc = include(p, word, where, err);
		free(word);
		return rc;
	}
	title = strndup(v, (size_t)(end - v));
	if (title == NULL)
		rc = ib_err_errno(err, ENOMEM, "submenu");
	else if (submenu_begin(p, title, where, err) == -1 ||
	    include(p, word, where, err) == -1 ||
	    ib_syslinux_record(p, err) == -1)
		rc = -1;
	else {
		submenu_pop(p);
		rc = 0;
	}
	free(title);
	free(word);
	return rc;
}

/* The MENU directives (1.7); v is what follows MENU. */
static int
menu_directive(struct parser *p, const char *v, const char *end,
    const char *where, ib_err *err)
{
	struct label *l;
	const char *s;
	char *title;
	int rc;

	l = &p->cur;
	if ((s = looking_at(v, end, "label")) != NULL) {
		if (l->open)
			return set_str(&l->title, s, end, err);
	} else if (looking_at(v, end, "default") != NULL) {
		if (l->open)
			l->menu_default = true;
	} else if (looking_at(v, end, "hide") != NULL) {
		if (l->open)
			l->hide = true;
	} else if (looking_at(v, end, "disable") != NULL) {
		if (l->open)
			l->disabled = true;
	} else if (looking_at(v, end, "exit") != NULL ||
	    looking_at(v, end, "quit") != NULL) {
		/* menu.c32 makes the label an action that leaves the menu,
		 * whatever its kernel line says (1.7). */
		if (l->open)
			l->menu_exit = true;
	} else if (looking_at(v, end, "hidden") != NULL) {
		p->menu_hidden = true;
	} else if (looking_at(v, end, "separator") != NULL) {
		if (ib_syslinux_record(p, err) == -1)
			return -1;
		return add_marker(p, IB_KIND_SEPARATOR, NULL, where, err);
	} else if ((s = looking_at(v, end, "begin")) != NULL) {
		title = s < end ? strndup(s, (size_t)(end - s)) :
		                  strdup("(submenu)");
		if (title == NULL)
			return ib_err_errno(err, ENOMEM, "submenu");
		rc = submenu_begin(p, title, where, err);
		free(title);
		return rc;
	} else if (looking_at(v, end, "end") != NULL) {
		if (ib_syslinux_record(p, err) == -1)
			return -1;
		submenu_pop(p);
	} else if ((s = looking_at(v, end, "include")) != NULL) {
		return include_value(p, s, end, true, where, err);
	}
	return 0;
}

/* LABEL name: closes the open label and opens another (1.4, 1.5). */
static int
label_directive(struct parser *p, const char *v, const char *end,
    const char *where, ib_err *err)
{
	struct label *l;
	size_t n;

	l = &p->cur;
	if (ib_syslinux_record(p, err) == -1)
		return -1;
	/* ldlinux: the label is the first word (1.5). 6.x has no limit; we
	 * cap it rather than truncate a lookup. */
	n = word_len(v, end);
	if (n > IB_MAX_NAME)
		return ib_err_set(err, IB_ELIMIT,
		    "%s: label longer than %u bytes", where, IB_MAX_NAME);
	l->name = strndup(v, n);
	if (l->name == NULL)
		return ib_err_errno(err, ENOMEM, "label");
	if (set_str(&l->line, v, end, err) == -1)
		return -1;
	l->open = true;
	snprintf(l->where, sizeof(l->where), "%s", where);
	return 0;
}

/* KERNEL and the other kernel keywords (1.8); 1 when s is none of them. */
static int
kernel_directive(struct parser *p, const char *s, const char *end, ib_err *err)
{
	static const struct {
		const char *kw;
		enum kw type;
	} kernels[] = { { "kernel", KW_KERNEL }, { "linux", KW_LINUX },
		{ "boot", KW_BOOT }, { "bss", KW_BSS }, { "pxe", KW_PXE },
		{ "fdimage", KW_FDIMAGE }, { "comboot", KW_COMBOOT },
		{ "com32", KW_COM32 }, { "config", KW_CONFIG },
		{ "localboot", KW_LOCALBOOT } };
	struct label *l;
	const char *v;
	size_t n;

	l = &p->cur;
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		if ((v = looking_at(s, end, kernels[i].kw)) == NULL)
			continue;
		if (!l->open)
			return 0; /* 1.4: ignored outside a label */
		l->kw = kernels[i].type;
		/* KERNEL file args: extra words start the append only for
		 * COM32 modules; keep the first word. */
		n = word_len(v, end);
		free(l->kernel);
		l->kernel = strndup(v, n);
		if (l->kernel == NULL)
			return ib_err_errno(err, ENOMEM, "kernel");
		v = skip_sp_tab(v + n, end);
		return set_str(&l->kargs, v, end, err);
	}
	return 1;
}

/* One line of the config, from s to end (cut at CR/LF, blanks skipped). */
static int
directive(struct parser *p, const char *s, const char *end, const char *where,
    ib_err *err)
{
	struct label *l;
	const char *v;
	long num;
	int rc;

	l = &p->cur;
	if ((v = looking_at(s, end, "menu")) != NULL)
		return menu_directive(p, v, end, where, err);
	if ((v = looking_at(s, end, "label")) != NULL)
		return label_directive(p, v, end, where, err);
	rc = kernel_directive(p, s, end, err);
	if (rc != 1)
		return rc;
	if ((v = looking_at(s, end, "append")) != NULL) {
		if (l->open)
			return set_str(&l->append, v, end, err);
		return set_str(&p->global_append, v, end, err);
	}
	if ((v = looking_at(s, end, "initrd")) != NULL) {
		if (l->open)
			return set_str(&l->initrd, v, end, err);
		return 0;
	}
	if (((v = looking_at(s, end, "default")) != NULL ||
	        (v = looking_at(s, end, "ui")) != NULL ||
	        (v = looking_at(s, end, "ontimeout")) != NULL) &&
	    word_len(v, end) > IB_MAX_NAME)
		return ib_err_set(err, IB_ELIMIT,
		    "%s: a label or file name longer than %u bytes", where,
		    IB_MAX_NAME);
	if ((v = looking_at(s, end, "default")) != NULL) {
		if (set_str(&p->last_default, v, end, err) == -1)
			return -1;
		if (p->default_level <= 1) {
			p->default_level = 1;
			snprintf(p->default_where, sizeof(p->default_where),
			    "%s", where);
			return set_str(&p->default_cmd, v, end, err);
		}
		return 0;
	}
	if ((v = looking_at(s, end, "ui")) != NULL) {
		p->has_ui = true;
		p->default_level = 2;
		snprintf(p->default_where, sizeof(p->default_where), "%s",
		    where);
		return set_str(&p->default_cmd, v, end, err);
	}
	if ((v = looking_at(s, end, "prompt")) != NULL) {
		if (value_long(v, end, &num, err) == -1)
			return -1;
		p->prompt = num != 0;
		return 0;
	}
	if ((v = looking_at(s, end, "ontimeout")) != NULL) {
		snprintf(p->ontimeout_where, sizeof(p->ontimeout_where), "%s",
		    where);
		return set_str(&p->ontimeout, v, end, err);
	}
	if ((v = looking_at(s, end, "timeout")) != NULL) {
		if (value_long(v, end, &num, err) == -1)
			return -1;
		p->m->timeout = num < 0 ? 0 : num;
		return 0;
	}
	if ((v = looking_at(s, end, "include")) != NULL)
		return include_value(p, v, end, false, where, err);
	return 0; /* unknown keywords and '#' lines: ignored (1.3) */
}

static int
parse_text(struct parser *p, const char *path, const char *text, size_t len,
    ib_err *err)
{
	char where[IB_MAX_PATH + 16];
	const char *s, *end, *nl, *cut, *t;
	unsigned lineno;
	bool in_text;

	s = text;
	end = text + len;
	lineno = 0;
	in_text = false;
	while (s < end) {
		lineno++;
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		snprintf(where, sizeof(where), "%s:%u", path + 1, lineno);
		if ((size_t)(nl - s) > IB_MAX_CFG_LINE)
			return ib_err_set(err, IB_ELIMIT,
			    "%s: line longer than %u bytes", where,
			    IB_MAX_CFG_LINE);
		/* 1.3: the line ends at its first CR (a NUL, which would end
		 * it too, fails the file); it is read in place up to cut. */
		cut = memchr(s, '\r', (size_t)(nl - s));
		if (cut == NULL)
			cut = nl;
		t = s;
		s = nl < end ? nl + 1 : end;
		while (t < cut && is_blank(*t))
			t++;
		if (in_text) {
			if (looking_at(t, cut, "endtext") != NULL)
				in_text = false;
			continue;
		}
		if (looking_at(t, cut, "text") != NULL) {
			in_text = true; /* TEXT HELP ... ENDTEXT */
			continue;
		}
		if (directive(p, t, cut, where, err) == -1)
			return -1;
	}
	return 0;
}

int
ib_syslinux_parse_file(struct parser *p, const char *path, ib_err *err)
{
	char *text;
	size_t len, i;
	int rc;
	const char *nul;
	unsigned line;

	/* include() checks loops and depth with the line to blame; this
	 * guards the stack whatever the caller. */
	if (p->depth > IB_MAX_INCLUDE)
		return ib_err_set(err, IB_ELIMIT,
		    "%s: INCLUDE nested deeper than %u", path + 1,
		    IB_MAX_INCLUDE);
	ib_err_clear(err);
	if (ib_bootfs_read(p->fs, path, &text, &len, err) == -1) {
		if (err->code != IB_ENOTFOUND)
			ib_err_prefix(err, "%s: ", path + 1);
		return -1;
	}
	nul = memchr(text, '\0', len);
	if (nul != NULL) {
		line = 1;
		for (i = 0; text + i < nul; i++)
			line += text[i] == '\n';
		free(text);
		return ib_err_set(err, IB_EFORMAT,
		    "%s:%u: NUL byte: not a text config", path + 1, line);
	}
	p->stack[p->depth++] = path;
	rc = parse_text(p, path, text, len, err);
	p->depth--;
	free(text);
	if (rc == 0)
		ib_err_clear(err);
	return rc;
}
