/*
 * The syslinux reader. Parsing (SEMANTICS.md 1.3-1.5, 1.7-1.10) builds
 * the entries; resolve_default() then applies 1.6: what ldlinux boots,
 * or, when that is a menu module, what the menu highlights.
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
#include "menu_int.h"
#include "syslinux.h"

/* Kernel keywords of a label (1.8); KERNEL decides by extension. */
enum kw {
	KW_NONE,
	KW_KERNEL,
	KW_LINUX,
	KW_BOOT,
	KW_BSS,
	KW_PXE,
	KW_FDIMAGE,
	KW_COMBOOT,
	KW_COM32,
	KW_CONFIG,
	KW_LOCALBOOT
};

struct label {
	bool open;
	char *name;
	char *title;
	enum kw kw;
	char *kernel; /* as written: the first word of the kernel line */
	char *kargs;  /* the words after it: they start the command line */
	char *line;   /* the whole LABEL value, as the menu modules keep it */
	char *append; /* NULL: none of its own */
	char *initrd; /* INITRD keyword */
	bool hide, disabled, menu_default;
	char where[IB_MAX_PATH + 16];
};

struct parser {
	ib_bootfs *fs;
	ib_menu *m;
	char cwd[IB_MAX_PATH + 1];
	char *global_append;
	char *default_cmd; /* DEFAULT or UI value */
	char default_where[IB_MAX_PATH + 16];
	int default_level;  /* 0 none, 1 DEFAULT, 2 UI */
	char *last_default; /* the last DEFAULT value, even under UI */
	bool has_ui;
	bool prompt;    /* PROMPT 1: the boot: prompt waits TIMEOUT */
	bool menu_runs; /* the default command is a menu module */
	char *ontimeout;
	char ontimeout_where[IB_MAX_PATH + 16];
	bool menu_hidden;
	struct label cur;
	char *submenu; /* " > "-joined titles of open MENU BEGINs */
	unsigned menu_depth;
	const char *stack[IB_MAX_INCLUDE + 1]; /* files being read */
	unsigned depth;
	unsigned chain; /* CONFIG hops */
};

static int parse_file(struct parser *p, const char *path, ib_err *err);
static ib_menu *parse_config(ib_bootfs *fs, const char *path, const char *cwd,
    unsigned chain, bool as_menu, ib_err *err);
static void adopt(ib_menu *dst, ib_menu *src);

static void
label_clear(struct label *l)
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

static int
set_str(char **dst, const char *s, ib_err *err)
{
	char *d;

	d = strdup(s);
	if (d == NULL)
		return ib_err_errno(err, ENOMEM, "config");
	free(*dst);
	*dst = d;
	return 0;
}

static bool
has_suffix(const char *s, const char *suf)
{
	size_t n, k;

	n = strlen(s);
	k = strlen(suf);
	return n >= k && strcmp(s + n - k, suf) == 0;
}

/* 1.8: KERNEL's type by extension, case-sensitive as in 6.x. */
static ib_kind
kind_of_file(const char *name)
{
	if (has_suffix(name, ".c32"))
		return IB_KIND_COM32;
	if (has_suffix(name, ".img"))
		return IB_KIND_FLOPPY;
	if (has_suffix(name, ".bss"))
		return IB_KIND_BSS;
	if (has_suffix(name, ".bin") || has_suffix(name, ".bs"))
		return IB_KIND_BOOTSECTOR;
	if (has_suffix(name, ".0"))
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
		return kind_of_file(kernel);
	}
}

static char *
resolve_new(const struct parser *p, const char *name, size_t n)
{
	char word[IB_MAX_PATH + 1], out[IB_MAX_PATH + 1];

	if (n > IB_MAX_PATH)
		return NULL;
	memcpy(word, name, n);
	word[n] = '\0';
	if (ib_bootpath_resolve(p->cwd, word, out, sizeof(out)) == -1)
		return NULL;
	return strdup(out);
}

/* 1.9: the first "initrd=" anywhere in the command line (a substring
 * match, as ldlinux does), else the INITRD keyword; comma-separated. */
static int
set_initrds(const struct parser *p, ib_menu_entry *e, const char *append,
    const char *initrd_kw, ib_err *err)
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
			list[n] = resolve_new(p, v, (size_t)(comma - v));
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
static int
record(struct parser *p, ib_err *err)
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
	e.kind = kind_of(l->kernel != NULL ? l->kw : KW_KERNEL, kernel);
	append = l->append != NULL ? l->append : p->global_append;
	if (append == NULL || strcmp(append, "-") == 0)
		append = ""; /* APPEND - : no options (1.4) */
	/* ldlinux's record(): the kernel line's own words, then APPEND. */
	if (l->kargs != NULL && l->kargs[0] != '\0') {
		n = strlen(l->kargs) + strlen(append) + 2;
		full = malloc(n);
		if (full == NULL) {
			label_clear(l);
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
	} else if (e.kind == IB_KIND_LINUX || e.kind == IB_KIND_CONFIG ||
	    e.kind == IB_KIND_FLOPPY || e.kind == IB_KIND_BOOTSECTOR ||
	    e.kind == IB_KIND_BSS || e.kind == IB_KIND_PXE ||
	    e.kind == IB_KIND_COMBOOT)
		e.kernel = resolve_new(p, kernel, strlen(kernel));
	else
		e.kernel = strdup(kernel);
	e.args = ib_cmdline_strip_loader_new(append);
	rc = 0;
	if (e.where == NULL ||
	    (e.kernel == NULL && e.kind != IB_KIND_LOCALBOOT) ||
	    e.args == NULL || (p->submenu != NULL && e.submenu == NULL))
		rc = ib_err_errno(err, ENOMEM, "menu entry");
	else if (e.kind == IB_KIND_LINUX)
		rc = set_initrds(p, &e, append, l->initrd, err);
	free(full);
	label_clear(l);
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

/* 1.3: keyword at s, matched ignoring case and followed by a byte <= 0x20
 * or 0x7F or the end. Returns the value after it (leading blanks
 * skipped), or NULL. */
static const char *
looking_at(const char *s, const char *kw)
{
	size_t n;

	n = strlen(kw);
	for (size_t i = 0; i < n; i++)
		if ((s[i] | 0x20) != (kw[i] | 0x20) || s[i] == '\0')
			return NULL;
	if (s[n] != '\0' && (unsigned char)s[n] > 0x20 && s[n] != 0x7f)
		return NULL;
	s += n;
	while (*s == ' ' || *s == '\t' || *s == '\v' || *s == '\f')
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

	if (ib_bootpath_resolve(p->cwd, name, path, sizeof(path)) == -1)
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
	if (parse_file(p, path, err) == 0)
		return 0;
	if (err->code != IB_ENOTFOUND)
		return -1;
	/* 1.10: a missing file is skipped silently by syslinux. */
	ib_menu_notef(p->m, "%s: INCLUDE %s: no such file, skipped", where,
	    path);
	ib_err_clear(err);
	return 0;
}

/* One line of the config (already cut at CR/LF, blanks skipped). */
static int
directive(struct parser *p, const char *s, const char *where, ib_err *err)
{
	struct label *l;
	const char *v;
	char word[256];
	size_t n;

	l = &p->cur;
	if ((v = looking_at(s, "menu")) != NULL) {
		if ((s = looking_at(v, "label")) != NULL) {
			if (l->open)
				return set_str(&l->title, s, err);
		} else if (looking_at(v, "default") != NULL) {
			if (l->open)
				l->menu_default = true;
		} else if (looking_at(v, "hide") != NULL) {
			if (l->open)
				l->hide = true;
		} else if (looking_at(v, "disable") != NULL) {
			if (l->open)
				l->disabled = true;
		} else if (looking_at(v, "hidden") != NULL) {
			p->menu_hidden = true;
		} else if ((s = looking_at(v, "separator")) != NULL) {
			if (record(p, err) == -1)
				return -1;
			return add_marker(p, IB_KIND_SEPARATOR, NULL, where,
			    err);
		} else if ((s = looking_at(v, "begin")) != NULL) {
			if (record(p, err) == -1 ||
			    add_marker(p, IB_KIND_SUBMENU,
			        s[0] != '\0' ? s : "(submenu)", where,
			        err) == -1)
				return -1;
			return submenu_push(p, s[0] != '\0' ? s : "(submenu)",
			    err);
		} else if (looking_at(v, "end") != NULL) {
			if (record(p, err) == -1)
				return -1;
			submenu_pop(p);
		} else if ((s = looking_at(v, "include")) != NULL) {
			/* MENU INCLUDE file [title]: with a title the file
			 * is a submenu (1.7). */
			n = strcspn(s, " \t");
			if (n == 0 || n >= sizeof(word))
				return 0;
			memcpy(word, s, n);
			word[n] = '\0';
			s += n + strspn(s + n, " \t");
			if (s[0] == '\0')
				return include(p, word, where, err);
			if (record(p, err) == -1 ||
			    add_marker(p, IB_KIND_SUBMENU, s, where, err) ==
			        -1 ||
			    submenu_push(p, s, err) == -1 ||
			    include(p, word, where, err) == -1 ||
			    record(p, err) == -1)
				return -1;
			submenu_pop(p);
		}
		return 0;
	}
	if ((v = looking_at(s, "label")) != NULL) {
		if (record(p, err) == -1)
			return -1;
		/* ldlinux: the label is the first word (1.5). 6.x has no
		 * limit; we cap it rather than truncate a lookup. */
		n = strcspn(v, " \t");
		if (n > IB_MAX_NAME)
			return ib_err_set(err, IB_ELIMIT,
			    "%s: label longer than %u bytes", where,
			    IB_MAX_NAME);
		l->name = malloc(n + 1);
		if (l->name == NULL)
			return ib_err_errno(err, ENOMEM, "label");
		memcpy(l->name, v, n);
		l->name[n] = '\0';
		if (set_str(&l->line, v, err) == -1)
			return -1;
		l->open = true;
		snprintf(l->where, sizeof(l->where), "%s", where);
		return 0;
	}
	{
		static const struct {
			const char *kw;
			enum kw type;
		} kernels[] = { { "kernel", KW_KERNEL }, { "linux", KW_LINUX },
			{ "boot", KW_BOOT }, { "bss", KW_BSS },
			{ "pxe", KW_PXE }, { "fdimage", KW_FDIMAGE },
			{ "comboot", KW_COMBOOT }, { "com32", KW_COM32 },
			{ "config", KW_CONFIG },
			{ "localboot", KW_LOCALBOOT } };
		for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]);
		     i++) {
			if ((v = looking_at(s, kernels[i].kw)) == NULL)
				continue;
			if (!l->open)
				return 0; /* 1.4: ignored outside a label */
			l->kw = kernels[i].type;
			/* KERNEL file args: extra words start the append
			 * only for COM32 modules; keep the first word. */
			n = strcspn(v, " \t");
			free(l->kernel);
			l->kernel = malloc(n + 1);
			if (l->kernel == NULL)
				return ib_err_errno(err, ENOMEM, "kernel");
			memcpy(l->kernel, v, n);
			l->kernel[n] = '\0';
			v += n;
			v += strspn(v, " \t");
			return set_str(&l->kargs, v, err);
		}
	}
	if ((v = looking_at(s, "append")) != NULL) {
		if (l->open)
			return set_str(&l->append, v, err);
		return set_str(&p->global_append, v, err);
	}
	if ((v = looking_at(s, "initrd")) != NULL) {
		if (l->open)
			return set_str(&l->initrd, v, err);
		return 0;
	}
	if (((v = looking_at(s, "default")) != NULL ||
	        (v = looking_at(s, "ui")) != NULL ||
	        (v = looking_at(s, "ontimeout")) != NULL) &&
	    strcspn(v, " \t") > IB_MAX_NAME)
		return ib_err_set(err, IB_ELIMIT,
		    "%s: a label or file name longer than %u bytes", where,
		    IB_MAX_NAME);
	if ((v = looking_at(s, "default")) != NULL) {
		if (set_str(&p->last_default, v, err) == -1)
			return -1;
		if (p->default_level <= 1) {
			p->default_level = 1;
			snprintf(p->default_where, sizeof(p->default_where),
			    "%s", where);
			return set_str(&p->default_cmd, v, err);
		}
		return 0;
	}
	if ((v = looking_at(s, "ui")) != NULL) {
		p->has_ui = true;
		p->default_level = 2;
		snprintf(p->default_where, sizeof(p->default_where), "%s",
		    where);
		return set_str(&p->default_cmd, v, err);
	}
	if ((v = looking_at(s, "prompt")) != NULL) {
		p->prompt = strtol(v, NULL, 10) != 0;
		return 0;
	}
	if ((v = looking_at(s, "ontimeout")) != NULL) {
		snprintf(p->ontimeout_where, sizeof(p->ontimeout_where), "%s",
		    where);
		return set_str(&p->ontimeout, v, err);
	}
	if ((v = looking_at(s, "timeout")) != NULL) {
		p->m->timeout = strtol(v, NULL, 10);
		if (p->m->timeout < 0)
			p->m->timeout = 0;
		return 0;
	}
	if ((v = looking_at(s, "include")) != NULL) {
		n = strcspn(v, " \t");
		if (n == 0 || n >= sizeof(word))
			return 0;
		memcpy(word, v, n);
		word[n] = '\0';
		return include(p, word, where, err);
	}
	return 0; /* unknown keywords and '#' lines: ignored (1.3) */
}

static int
parse_text(struct parser *p, const char *path, const char *text, size_t len,
    ib_err *err)
{
	char line[IB_MAX_CFG_LINE + 1], where[IB_MAX_PATH + 16];
	const char *s, *end, *nl, *cut;
	unsigned lineno;
	size_t n;
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
		/* 1.3: the line ends at its first CR (or NUL). */
		cut = memchr(s, '\r', (size_t)(nl - s));
		if (cut == NULL)
			cut = nl;
		n = (size_t)(cut - s);
		memcpy(line, s, n);
		line[n] = '\0';
		s = nl + 1;
		{
			const char *t = line;

			while (
			    *t == ' ' || *t == '\t' || *t == '\v' || *t == '\f')
				t++;
			if (in_text) {
				if (looking_at(t, "endtext") != NULL)
					in_text = false;
				continue;
			}
			if (looking_at(t, "text") != NULL) {
				in_text = true; /* TEXT HELP ... ENDTEXT */
				continue;
			}
			if (directive(p, t, where, err) == -1)
				return -1;
		}
	}
	return 0;
}

static int
parse_file(struct parser *p, const char *path, ib_err *err)
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
	    has_suffix(w, "/menu.c32") || has_suffix(w, "/vesamenu.c32");
}

static bool
is_module(const char *w, const char *name)
{
	size_t n = strlen(name);

	return strcmp(w, name) == 0 ||
	    (has_suffix(w, name) && w[strlen(w) - n - 1] == '/');
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
	    set_initrds(p, d, extra, NULL, err) == -1)
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
	x.kind = kind_of_file(w);
	x.kernel = resolve_new(p, w, strlen(w));
	x.args = ib_cmdline_strip_loader_new(rest);
	x.where = strdup(where);
	if (x.kernel == NULL || x.args == NULL || x.where == NULL) {
		ib_menu_entry_release(&x);
		ib_err_errno(err, ENOMEM, "entry");
		return NULL;
	}
	if (x.kind == IB_KIND_LINUX &&
	    set_initrds(p, &x, rest, NULL, err) == -1) {
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
	    where, w, ib_kind_name(d->kind));
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
	if (ib_bootpath_resolve(p->cwd, w, path, sizeof(path)) == -1)
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

/* Make dst the menu src describes (entries, default, timeout, config),
 * keeping dst's notes and then src's; frees src. */
static void
adopt(ib_menu *dst, ib_menu *src)
{
	size_t i;

	for (i = 0; i < src->nnotes; i++)
		ib_menu_notef(dst, "%s", src->notes[i]);
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
	label_clear(&p->cur);
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
	if (parse_file(&p, path, err) == -1) {
		if (err->code == IB_ENOTFOUND)
			ib_err_set(err, IB_ENOTFOUND, "%s: no such file",
			    path + 1);
		goto fail;
	}
	/* as_menu: a menu module read this file and chooses from it. */
	p.menu_runs = as_menu;
	if (record(&p, err) == -1 ||
	    (as_menu ? menu_choice(&p, err) : resolve_default(&p, err)) == -1)
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
			    ib_kind_name(m->tout->kind));
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
	    ib_bootpath_resolve(p->cwd, m->def->args, dir, sizeof(dir)) == -1)
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
