/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The GRUB 2 reader (SEMANTICS.md section 2, upstream grub-2.12). Three
 * stages, as in GRUB: a lexer with the rules of grub-core/script/yylex.l,
 * a parser for the grammar of script/parser.y that builds a small tree,
 * and an evaluator (script/execute.c) that runs the tree with what a
 * static reader can decide. Menu entries are recorded with their body;
 * the bodies run at the end, with the final variables, as when an entry
 * boots (2.2), and normal/menu.c decides the default (2.3).
 *
 * The lexer is grub_lex.c, the parser grub_parse.c, the evaluator
 * grub_exec.c (with grub_expand.c, grub_test.c and grub_load.c); this
 * file reads the config files and builds the menu.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootfs.h"
#include "grub.h"
#include "grub_int.h"
#include "menu_int.h"

/* --- files --- */

/*
 * A file name as GRUB opens it: "(dev)/path", or "/path" on $root. The
 * device is taken to be the image (2.4). The image path goes to out;
 * relaxed: a relative name is fine (test's get_fileinfo splits it).
 */
int
ib_grub_image_path(struct ctx *c, const char *where, const char *name,
    bool relaxed, char *out, size_t size, ib_err *err)
{
	const char *p, *close, *root;
	char qb[256], dev[64];

	p = name;
	/* No device: $root's. On an ISO or a tree that is the image,
	 * whatever $root says (set_var() notes a change). */
	root = ib_grub_env_get(c->env, "root");
	if (root == NULL || ib_bootfs_disk(c->g->fs) == NULL)
		root = ISO_DEV;
	snprintf(dev, sizeof(dev), "%s", root);
	/* set root=(hd0,1) is read as hd0,1 */
	if (dev[0] == '(' && dev[strlen(dev) - 1] == ')') {
		memmove(dev, dev + 1, strlen(dev) - 2);
		dev[strlen(dev) - 2] = '\0';
	}
	if (p[0] == '(') {
		close = strchr(p, ')');
		if (close == NULL)
			ib_grub_note(c->g,
			    "%s: %s: no ')' after the device: GRUB fails",
			    where, ib_grub_quote(qb, sizeof(qb), name));
		else {
			snprintf(dev, sizeof(dev), "%.*s", (int)(close - p - 1),
			    p + 1);
			p = close + 1;
		}
	}
	if (!relaxed && p[0] != '/')
		ib_grub_note(c->g,
		    "%s: %s is not an absolute path: GRUB fails ('invalid file "
		    "name'); read as /%s",
		    where, ib_grub_quote(qb, sizeof(qb), name), p);
	return ib_grub_dev_path(c, where, dev, p, out, size, err) == -1 ? -1 :
	                                                                  0;
}

/* Read, check and parse path (once; later calls get the same tree). */
int
ib_grub_load_file(struct grub *g, const char *path, struct gfile **out,
    ib_err *err)
{
	struct gfile *f;
	char *text;
	size_t len;
	char qb[QMAX];

	for (f = g->files; f != NULL; f = f->next)
		if (strcmp(f->path, path) == 0) {
			*out = f;
			return 0;
		}
	ib_grub_quote(qb, sizeof(qb), path + 1);
	if (ib_bootfs_read(g->fs, path, &text, &len, err) == -1) {
		if (err->code != IB_ENOTFOUND)
			ib_err_prefix(err, "%s: ", qb);
		return -1;
	}
	return ib_grub_load_text(g, path, text, len, out, err);
}

int
ib_grub_load_text(struct grub *g, const char *path, char *text, size_t len,
    struct gfile **out, ib_err *err)
{
	struct gfile *f;
	char *shrunk;
	size_t i, o, ll;
	unsigned line;
	char qb[QMAX];
	int rc;

	ib_grub_quote(qb, sizeof(qb), path + 1);
	/* GRUB's getline drops every CR (2.1); a NUL ends nothing there,
	 * but no text config has one. The CRs go in place; the text stays
	 * exactly its length, with no NUL after it, for the lexer. */
	line = 1;
	ll = 0;
	rc = 0;
	for (i = o = 0; i < len && rc == 0; i++) {
		if (text[i] == '\0')
			rc = ib_err_set(err, IB_EFORMAT,
			    "%s:%u: NUL byte: not a text config", qb, line);
		else if (text[i] == '\n') {
			line++;
			ll = 0;
		} else if (text[i] != '\r' && ++ll > IB_MAX_GRUB_LINE)
			rc = ib_err_set(err, IB_ELIMIT,
			    "%s:%u: line longer than %u bytes", qb, line,
			    IB_MAX_GRUB_LINE);
		if (text[i] != '\r')
			text[o++] = text[i];
	}
	/* Shrink to what is left. A realloc that fails keeps the larger
	 * buffer, as does a file of CRs only (nothing to read). */
	if (rc == 0 && o < len && o > 0) {
		shrunk = realloc(text, o);
		if (shrunk != NULL)
			text = shrunk;
	}
	f = NULL;
	if (rc == 0) {
		f = calloc(1, sizeof(*f));
		if (f == NULL || (f->path = strdup(path)) == NULL ||
		    (f->disp = strdup(qb)) == NULL) {
			if (f != NULL) {
				free(f->path);
				free(f);
			}
			f = NULL;
			rc = ib_err_errno(err, ENOMEM, "%s", qb);
		}
	}
	if (rc == 0) {
		f->next = g->files;
		g->files = f;
		rc = ib_grub_parse_script(g, f, text, o, 1, &f->script, err);
	}
	free(text);
	if (rc == 0)
		*out = f;
	return rc;
}

/* --- the menu (grub-core/normal/menu.c) --- */

/* menuentry_eq (upstream): name against spec, where ">>" in spec is a
 * '>' and a single '>' ends it (the rest is for the submenu). */
static bool
entry_eq(const char *name, const char *spec)
{
	for (;;) {
		if (spec[0] == '>' && spec[1] != '>')
			return *name == '\0';
		if (spec[0] == '>')
			spec++;
		if (*name != *spec)
			return false;
		if (*name == '\0')
			return true;
		name++;
		spec++;
	}
}

/*
 * get_entry_number (upstream grub-2.12, 2.3): strtoul on the whole value
 * first; a number, even followed by other text, is the index. Only a value
 * without digits is compared with the titles and ids, in order. Unknown or
 * out of range: entry 0.
 */
/*
 * Fedora's GRUB (rhboot/grub2, normal/menu.c get_entry_number_helper),
 * the one with blscfg: the value's first word against each entry's id,
 * then the whole value against the titles, then a number with nothing
 * but blanks after it. Anything after a matched id, or no match: entry
 * 0. -1 when it decides nothing (the caller's notes say the rest).
 */
static long
fedora_default(struct grub *g, const struct level *lv, const char *val,
    const char *in, const char *qv)
{
	char word[256], qt[256];
	const char *end;
	uint64_t num;
	size_t i, l;

	l = strcspn(val, " \t\n\r\f\v");
	if (l < sizeof(word)) {
		memcpy(word, val, l);
		word[l] = '\0';
		for (i = 0; i < lv->n; i++)
			if (lv->r[i].id != NULL &&
			    entry_eq(lv->r[i].id, word)) {
				if (val[l] != '\0') {
					ib_grub_note(g,
					    "%sdefault=%s: text after the id "
					    "of entry %zu: Fedora's GRUB boots "
					    "entry 0",
					    in, qv, i);
					return 0;
				}
				ib_grub_note(g,
				    "%sdefault=%s matches the id of entry %zu, "
				    "%s (Fedora's GRUB: ids first)",
				    in, qv, i,
				    ib_grub_quote(qt, sizeof(qt),
				        lv->r[i].title));
				return (long)i;
			}
	}
	for (i = 0; i < lv->n; i++)
		if (entry_eq(lv->r[i].title, val)) {
			ib_grub_note(g,
			    "%sdefault=%s matches the title of entry %zu "
			    "(Fedora's GRUB)",
			    in, qv, i);
			return (long)i;
		}
	if (ib_grub_strtoul(val, g->pc, &num, &end) != NUM_OK ||
	    end[strspn(end, " \t\n\r\f\v")] != '\0' || num >= lv->n) {
		ib_grub_note(g,
		    "%sdefault=%s names no entry (id, title or number): "
		    "Fedora's GRUB boots entry 0",
		    in, qv);
		return 0;
	}
	return -1;
}

static size_t
choose_default(struct grub *g, const struct level *lv, const char *val,
    const char *in)
{
	char qv[256], qt[256];
	const char *end;
	uint64_t num;
	int64_t k;
	enum num r;
	long f;

	if (val == NULL) {
		ib_grub_note(g, "%sno default variable: GRUB boots entry 0",
		    in);
		return 0;
	}
	ib_grub_quote(qv, sizeof(qv), val);
	if (g->fedora && (f = fedora_default(g, lv, val, in, qv)) != -1)
		return (size_t)f;
	r = ib_grub_strtoul(val, g->pc, &num, &end);
	if (r == NUM_RANGE) {
		ib_grub_note(g,
		    "%sdefault=%s is out of range: GRUB boots entry 0", in, qv);
		return 0;
	}
	if (r == NUM_OK) {
		k = ib_grub_to_int(num);
		if (*end != '\0')
			ib_grub_note(g,
			    "%sdefault=%s is read as the number %lld: GRUB's "
			    "strtoul ignores the rest",
			    in, qv, (long long)k);
		if (k < 0 || (uint64_t)k >= lv->n) {
			ib_grub_note(g,
			    "%sdefault=%s: no entry %lld (%zu entries): GRUB "
			    "boots entry 0",
			    in, qv, (long long)k, lv->n);
			return 0;
		}
		ib_grub_note(g, "%sdefault=%s: entry %lld, %s", in, qv,
		    (long long)k,
		    ib_grub_quote(qt, sizeof(qt), lv->r[(size_t)k].title));
		return (size_t)k;
	}
	for (size_t i = 0; i < lv->n; i++) {
		const struct rec *e = &lv->r[i];

		if (entry_eq(e->title, val) ||
		    entry_eq(e->id != NULL ? e->id : e->title, val)) {
			ib_grub_note(g,
			    "%sdefault=%s matches the %s of entry %zu, %s", in,
			    qv,
			    e->id != NULL && entry_eq(e->id, val) &&
			            !entry_eq(e->title, val) ?
			        "--id" :
			        "title",
			    i, ib_grub_quote(qt, sizeof(qt), e->title));
			return i;
		}
	}
	if (strcmp(val, "saved") == 0)
		ib_grub_note(g,
		    "%sdefault=saved: the saved entry is in grubenv "
		    "(load_env), unknown to a static reader: entry 0 assumed",
		    in);
	else
		ib_grub_note(g,
		    "%sdefault=%s names no entry (title or --id): GRUB boots "
		    "entry 0",
		    in, qv);
	return 0;
}

static int produce(struct grub *g, struct menuctx *mc, const char *path,
    bool on_path, unsigned depth, ib_err *err);

/* Run a menu entry's body the way booting it does (2.2): a copy of the
 * final variables, $1... the title and arguments. */
static int
run_body(struct grub *g, const struct rec *r, const struct env *final,
    struct body *b, ib_err *err)
{
	struct env e;
	struct ctx c;
	int rc;

	memset(&e, 0, sizeof(e));
	memset(&c, 0, sizeof(c));
	c.g = g;
	c.env = &e;
	c.pos = r->args;
	c.npos = r->nargs;
	c.ent = b;
	g->depth = 0;
	rc = ib_grub_env_copy(final, &e, false, err);
	if (rc == 0)
		rc = ib_grub_exec_list(&c, r->body, err);
	ib_grub_env_release(&e);
	return rc;
}

/*
 * Booting a submenu: a new context with the exported variables, and
 * "default" set to what follows the first '>' of the outer default
 * (grub_menu_execute_entry); its body makes the menu.
 */
static int
run_submenu(struct grub *g, const struct rec *r, const struct env *outer,
    const char *path, bool on_path, unsigned depth, ib_err *err)
{
	struct menuctx mc;
	const char *d, *p;
	struct ctx c;
	int rc;

	memset(&mc, 0, sizeof(mc));
	memset(&c, 0, sizeof(c));
	c.g = g;
	c.mc = &mc;
	c.env = &mc.env;
	c.pos = r->args;
	c.npos = r->nargs;
	g->depth = 0;
	rc = ib_grub_env_copy(outer, &mc.env, true, err);
	d = ib_grub_env_get(outer, "default");
	for (p = d; rc == 0 && p != NULL && *p != '\0'; p++) {
		if (p[0] == '>' && p[1] == '>') {
			p++;
			continue;
		}
		if (p[0] == '>')
			break;
	}
	if (rc == 0 && p != NULL && p[0] != '\0' && p[1] != '\0')
		rc = ib_grub_env_set(&mc.env, "default", p + 1, err);
	if (rc == 0)
		rc = ib_grub_exec_list(&c, r->body, err);
	if (rc == 0)
		rc = produce(g, &mc, path, on_path, depth + 1, err);
	ib_grub_menuctx_release(&mc);
	return rc;
}

/* Entry from a menuentry record; takes b's strings. */
static long
add_entry(struct grub *g, const struct rec *r, const char *path, struct body *b,
    ib_err *err)
{
	ib_menu_entry e;
	char qt[256];

	memset(&e, 0, sizeof(e));
	e.kind = b->loaded ? b->kind : IB_KIND_LOCALBOOT;
	if (!b->loaded)
		ib_grub_note(g,
		    "%s: entry %s loads no kernel%s%s: reported as a "
		    "localboot entry",
		    r->where, ib_grub_quote(qt, sizeof(qt), r->title),
		    b->end != NULL ? " and runs " : "",
		    b->end != NULL ? b->end : "");
	e.kernel = b->kernel;
	e.args = b->args != NULL ? b->args : strdup("");
	e.initrds = b->initrds;
	e.ninitrds = b->ninitrds;
	b->kernel = b->args = NULL;
	b->initrds = NULL;
	b->ninitrds = 0;
	e.title = strdup(r->title);
	e.label = r->id != NULL ? strdup(r->id) : NULL;
	e.where = strdup(r->where);
	e.submenu = path != NULL ? strdup(path) : NULL;
	if (e.args == NULL || e.title == NULL || e.where == NULL ||
	    (r->id != NULL && e.label == NULL) ||
	    (path != NULL && e.submenu == NULL)) {
		ib_menu_entry_release(&e);
		return ib_err_errno(err, ENOMEM, "menu entry");
	}
	return ib_menu_add(g->m, &e, err);
}

/* Add the entries of a menu (a submenu's after its marker) in order and
 * pick the default when this menu is on the default's path. */
static int
produce(struct grub *g, struct menuctx *mc, const char *path, bool on_path,
    unsigned depth, ib_err *err)
{
	char in[512], qt[256], *sub;
	const struct rec *r;
	struct body b;
	size_t def, len;
	long idx;
	int rc;

	if (depth > IB_MAX_GRUB_NEST)
		return ib_err_set(err, IB_ELIMIT,
		    "submenus nested deeper than %u", IB_MAX_GRUB_NEST);
	def = 0;
	in[0] = '\0';
	if (path != NULL)
		snprintf(in, sizeof(in),
		    "in submenu %s: ", ib_grub_quote(qt, sizeof(qt), path));
	if (on_path && mc->lv.n == 0)
		ib_grub_note(g, "%sno menu entries: nothing boots by default",
		    in);
	else if (on_path)
		def = choose_default(g, &mc->lv,
		    ib_grub_env_get(&mc->env, "default"), in);
	for (size_t i = 0; i < mc->lv.n; i++) {
		r = &mc->lv.r[i];
		if (!r->submenu) {
			memset(&b, 0, sizeof(b));
			rc = run_body(g, r, &mc->env, &b, err);
			idx = rc == 0 ? add_entry(g, r, path, &b, err) : -1;
			ib_grub_body_release(&b);
			if (idx == -1)
				return -1;
			if (on_path && i == def) {
				g->m->def =
				    ib_menu_entry_dup(&g->m->e[(size_t)idx]);
				if (g->m->def == NULL)
					return ib_err_errno(err, ENOMEM,
					    "menu");
			}
			continue;
		}
		memset(&b, 0, sizeof(b));
		b.kind = IB_KIND_SUBMENU;
		b.loaded = true;
		if (add_entry(g, r, path, &b, err) == -1)
			return -1;
		len = (path != NULL ? strlen(path) + 3 : 0) + strlen(r->title) +
		    1;
		sub = malloc(len);
		if (sub == NULL)
			return ib_err_errno(err, ENOMEM, "submenu");
		snprintf(sub, len, "%s%s%s", path != NULL ? path : "",
		    path != NULL ? " > " : "", r->title);
		if (on_path && i == def)
			ib_grub_note(g,
			    "%s: the default entry %zu is the submenu %s: on "
			    "timeout GRUB enters it (timeout 0) and boots its "
			    "default",
			    r->where, i,
			    ib_grub_quote(qt, sizeof(qt), r->title));
		rc = run_submenu(g, r, &mc->env, sub, on_path && i == def,
		    depth, err);
		free(sub);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* grub_menu_get_timeout: strtoul, errors (no digits) mean unset; then
 * (int). The menu model counts tenths; 0 there is "wait forever". */
static void
set_timeout(struct grub *g, const struct env *env)
{
	const char *v, *end, *style;
	char qv[64];
	uint64_t num;
	int64_t t;

	v = ib_grub_env_get(env, "timeout");
	if (v == NULL) {
		ib_grub_note(g, "no timeout variable: GRUB waits for a key");
		g->m->timeout = 0;
		return;
	}
	ib_grub_quote(qv, sizeof(qv), v);
	if (ib_grub_strtoul(v, g->pc, &num, &end) != NUM_OK ||
	    ib_grub_to_int(num) < 0) {
		ib_grub_note(g,
		    "timeout=%s: not a count GRUB accepts: it waits for a "
		    "key",
		    qv);
		g->m->timeout = 0;
		return;
	}
	t = ib_grub_to_int(num);
	style = ib_grub_env_get(env, "timeout_style");
	if (t == 0) {
		ib_grub_note(g,
		    "timeout=0: GRUB boots the default at once, without a "
		    "menu (reported as no timeout)");
		g->m->timeout = -1;
		return;
	}
	if (t > LONG_MAX / 10)
		t = LONG_MAX / 10;
	g->m->timeout = (long)t * 10;
	ib_grub_note(g, "timeout=%s: GRUB boots the default after %lld s", qv,
	    (long long)t);
	if (style != NULL &&
	    (strcmp(style, "hidden") == 0 || strcmp(style, "countdown") == 0))
		ib_grub_note(g,
		    "timeout_style=%s: no menu during the countdown (Escape "
		    "shows it)",
		    style);
}

static void
release(struct grub *g)
{
	struct gfile *f, *next;

	for (f = g->files; f != NULL; f = next) {
		next = f->next;
		free(f->path);
		free(f->disp);
		free(f);
	}
	free(g->fn);
	ib_grub_arena_release(&g->ar);
}

/* The variables GRUB itself sets before it reads grub.cfg (2.2), all
 * exported, and the feature_* flags of normal/main.c. */
static int
set_specials(struct grub *g, struct env *env, const char *path,
    const char *platform, ib_err *err)
{
	static const char *const features[] = { "feature_chainloader_bpb",
		"feature_ntldr", "feature_platform_search_hint",
		"feature_default_font_path", "feature_all_video_module",
		"feature_menuentry_id", "feature_menuentry_options",
		"feature_200_final", "feature_nativedisk_cmd",
		"feature_timeout_style" };
	char prefix[IB_MAX_PATH + 72], inner[IB_MAX_PATH + 1], dev[64];
	char cmdpath[80], qp[QMAX];
	const char *slash;
	int rc;

	if (ib_grub_dev_of(g, path, dev, sizeof(dev), inner, sizeof(inner),
	        err) == -1)
		return -1;
	slash = strrchr(inner, '/');
	snprintf(prefix, sizeof(prefix), "(%s)%.*s", dev, (int)(slash - inner),
	    inner);
	snprintf(cmdpath, sizeof(cmdpath), "(%s)%s", dev,
	    g->pc ? "" : "/EFI/BOOT");
	rc = 0;
	rc |= ib_grub_env_export(env, "grub_platform", err);
	rc |= ib_grub_env_set(env, "grub_platform", platform, err);
	rc |= ib_grub_env_export(env, "grub_cpu", err);
	rc |= ib_grub_env_set(env, "grub_cpu", g->pc ? "i386" : "x86_64", err);
	rc |= ib_grub_env_export(env, "root", err);
	rc |= ib_grub_env_set(env, "root", dev, err);
	rc |= ib_grub_env_export(env, "prefix", err);
	rc |= ib_grub_env_set(env, "prefix", prefix, err);
	rc |= ib_grub_env_export(env, "cmdpath", err);
	rc |= ib_grub_env_set(env, "cmdpath", cmdpath, err);
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		rc |= ib_grub_env_export(env, features[i], err);
		rc |= ib_grub_env_set(env, features[i], "y", err);
	}
	if (rc != 0)
		return -1;
	if (ib_bootfs_disk(g->fs) == NULL)
		ib_grub_note(g,
		    "grub_platform=%s, grub_cpu=%s: the %s GRUB; root=" ISO_DEV
		    " and prefix=%s stand for the image itself",
		    platform, g->pc ? "i386" : "x86_64",
		    g->pc ? "BIOS" : "UEFI",
		    ib_grub_quote(qp, sizeof(qp), prefix));
	else
		ib_grub_note(g,
		    "grub_platform=%s, grub_cpu=%s: the %s GRUB; root=%s and "
		    "prefix=%s: where this config is",
		    platform, g->pc ? "i386" : "x86_64",
		    g->pc ? "BIOS" : "UEFI", dev,
		    ib_grub_quote(qp, sizeof(qp), prefix));
	return 0;
}

ib_menu *
ib_grub_parse(ib_bootfs *fs, const char *path, const char *platform,
    ib_err *err)
{
	struct menuctx top;
	struct grub g;
	struct gfile *f;
	struct ctx c;
	int rc;

	if (path == NULL || path[0] != '/' || platform == NULL ||
	    (strcmp(platform, "pc") != 0 && strcmp(platform, "efi") != 0)) {
		ib_err_set(err, EINVAL,
		    "grub: need an absolute path and platform pc or efi");
		return NULL;
	}
	memset(&g, 0, sizeof(g));
	memset(&top, 0, sizeof(top));
	memset(&c, 0, sizeof(c));
	g.fs = fs;
	g.pc = strcmp(platform, "pc") == 0;
	g.m = ib_menu_new("grub", path, err);
	if (g.m == NULL)
		return NULL;
	ib_err_clear(err);
	rc = set_specials(&g, &top.env, path, platform, err);
	if (rc == 0 && ib_grub_load_file(&g, path, &f, err) == -1) {
		if (err->code == IB_ENOTFOUND)
			ib_err_set(err, IB_ENOTFOUND, "%s: no such file",
			    path + 1);
		rc = -1;
	}
	if (rc == 0) {
		c.g = &g;
		c.mc = &top;
		c.env = &top.env;
		g.stack[g.depth++] = f->path;
		rc = ib_grub_exec_list(&c, f->script, err);
	}
	if (rc == 0 && top.config != NULL) {
		free(g.m->config);
		g.m->config = top.config;
		top.config = NULL;
	}
	if (rc == 0) {
		set_timeout(&g, &top.env);
		rc = produce(&g, &top, NULL, true, 0, err);
	}
	ib_grub_menuctx_release(&top);
	release(&g);
	if (rc == -1) {
		ib_menu_free(g.m);
		return NULL;
	}
	return g.m;
}
