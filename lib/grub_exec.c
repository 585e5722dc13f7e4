/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The GRUB reader's evaluator (grub-core/script/execute.c): runs the tree
 * with the commands that set variables, search, source and configfile,
 * break/continue/return, menuentry and submenu, and functions.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "grub_int.h"

typedef int cmd_fn(struct ctx *, const char *, ib_argv *, ib_err *);

static void
where_of(const struct node *n, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%u", n->file->disp, n->line);
}

static int
set_var(struct ctx *c, const char *where, const char *name, const char *value,
    ib_err *err)
{
	char qb[256];

	if (ib_grub_env_set(c->env, name, value, err) == -1)
		return ib_err_prefix(err, "%s: ", where);
	if (strcmp(name, "root") == 0 && strcmp(value, ISO_DEV) != 0 &&
	    ib_bootfs_disk(c->g->fs) == NULL)
		ib_grub_note(c->g,
		    "%s: root=%s: files are still read from the image", where,
		    ib_grub_quote(qb, sizeof(qb), value));
	c->status = 0;
	return 0;
}

/* set NAME=VALUE (kern/corecmd.c: only the first argument counts). */
static int
cmd_set(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	char *eq, qb[256];

	c->status = 0;
	if (av->n < 2)
		return 0;
	eq = strchr(av->v[1], '=');
	if (eq == NULL) {
		ib_grub_note(c->g, "%s: set %s: not an assignment (GRUB fails)",
		    where, ib_grub_quote(qb, sizeof(qb), av->v[1]));
		c->status = 1;
		return 0;
	}
	*eq = '\0';
	return set_var(c, where, av->v[1], eq + 1, err);
}

static int
cmd_unset(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	(void)where;
	(void)err;
	for (size_t i = 1; i < av->n; i++)
		ib_grub_env_unset(c->env, av->v[i]);
	c->status = 0;
	return 0;
}

static int
cmd_export(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	for (size_t i = 1; i < av->n; i++)
		if (ib_grub_env_export(c->env, av->v[i], err) == -1)
			return ib_err_prefix(err, "%s: ", where);
	c->status = 0;
	return 0;
}

static int
cmd_true(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	(void)where;
	(void)err;
	c->status = strcmp(av->v[0], "false") == 0 ? 1 : 0;
	return 0;
}

/* insmod regexp: regexp.mod registers wildcard.c's translator, so later
 * unquoted *, ? and [ expand to file names (grub_glob.c). */
static int
cmd_insmod(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	(void)where;
	(void)err;
	for (size_t i = 1; i < av->n; i++)
		if (strcmp(av->v[i], "regexp") == 0)
			c->g->wildcards = true;
	c->status = 0;
	return 0;
}

/*
 * regexp [--set [N:]VAR]... REGEXP STRING (grub-core/commands/regexp.c):
 * POSIX extended syntax (GRUB's gnulib regcomp, RE_SYNTAX_POSIX_EXTENDED),
 * unanchored. A match is status 0; --set VAR takes group 1, N:VAR group
 * N; a group that took no part unsets VAR (set_matches). Running it
 * loads regexp.mod, which turns wildcards on.
 */
static int
cmd_regexp(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	const char *sets[16], *name, *colon;
	char qb[256], *val;
	regmatch_t m[10];
	size_t i, ns, nm;
	unsigned long n;
	regex_t re;
	int rc;

	c->g->wildcards = true;
	c->status = 1;
	for (i = 1, ns = 0; i < av->n; i++) {
		if (strcmp(av->v[i], "--set") == 0 ||
		    strcmp(av->v[i], "-s") == 0) {
			if (++i < av->n && ns < 16)
				sets[ns++] = av->v[i];
		} else if (strncmp(av->v[i], "--set=", 6) == 0) {
			if (ns < 16)
				sets[ns++] = av->v[i] + 6;
		} else
			break;
	}
	if (av->n - i != 2) {
		ib_grub_note(c->g, "%s: regexp needs REGEXP STRING: GRUB fails",
		    where);
		return 0;
	}
	if (regcomp(&re, av->v[i], REG_EXTENDED) != 0) {
		ib_grub_note(c->g, "%s: regexp %s: not a valid expression",
		    where, ib_grub_quote(qb, sizeof(qb), av->v[i]));
		return 0;
	}
	nm = re.re_nsub + 1 < 10 ? re.re_nsub + 1 : 10;
	rc = regexec(&re, av->v[i + 1], nm, m, 0);
	regfree(&re);
	if (rc != 0)
		return 0;
	for (size_t k = 0; k < ns; k++) {
		colon = strchr(sets[k], ':');
		n = colon != NULL ? strtoul(sets[k], NULL, 10) : 1;
		name = colon != NULL ? colon + 1 : sets[k];
		if (n >= nm) {
			ib_grub_note(c->g,
			    "%s: regexp --set %s: no such group: GRUB fails",
			    where, ib_grub_quote(qb, sizeof(qb), sets[k]));
			return 0;
		}
		if (m[n].rm_so == -1) {
			ib_grub_env_unset(c->env, name);
			continue;
		}
		val = strndup(av->v[i + 1] + m[n].rm_so,
		    (size_t)(m[n].rm_eo - m[n].rm_so));
		if (val == NULL)
			return ib_err_errno(err, ENOMEM, "regexp");
		rc = set_var(c, where, name, val, err);
		free(val);
		if (rc == -1)
			return -1;
	}
	c->status = 0;
	return 0;
}

/* search on a disk image: the device whose filesystem has the UUID or
 * label, or that holds the file, as GRUB finds it among the disk's
 * partitions (commands/search.c); none: GRUB's "no such device". */
static int
search_disk(struct ctx *c, const char *where, int how, const char *key,
    const char *var, ib_err *err)
{
	static const char *const hows[] = { "file", "fs-uuid", "label" };
	char path[IB_MAX_PATH + 1], dev[64], qk[256], qv[64];
	int found;

	ib_grub_quote(qk, sizeof(qk), key);
	ib_grub_quote(qv, sizeof(qv), var);
	if (how == GRUB_SEARCH_FILE &&
	    ib_bootfs_path_resolve("/", key, path, sizeof(path)) == -1)
		return ib_err_set(err, IB_ELIMIT, "%s: path too long", where);
	found = ib_grub_dev_search(c, how, how == GRUB_SEARCH_FILE ? path : key,
	    dev, sizeof(dev), err);
	if (found == -1)
		return ib_err_prefix(err, "%s: search %s: ", where, qk);
	if (found == 0) {
		ib_grub_note(c->g,
		    "%s: search --%s %s: no such device on this disk (GRUB "
		    "fails; %s is left as it is)",
		    where, hows[how], qk, qv);
		c->status = 1;
		return 0;
	}
	ib_grub_note(c->g, "%s: search --%s %s: %s=%s", where, hows[how], qk,
	    qv, dev);
	return set_var(c, where, var, dev, err);
}

/* search [--file|--label|--fs-uuid] [--set[=VAR]] [--hint...] KEY */
static int
cmd_search(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	char path[IB_MAX_PATH + 1], qk[256], qv[64];
	const char *var, *key, *a;
	bool file, opts, dotted, named;
	int found, how;

	/* No --set: GRUB prints what it found and sets nothing
	 * (commands/search_wrap.c; search.file NAME without VARIABLE). */
	var = NULL;
	named = false;
	key = NULL;
	file = strcmp(av->v[0], "search.file") == 0;
	how = strcmp(av->v[0], "search.fs_uuid") == 0 ? GRUB_SEARCH_UUID :
	    strcmp(av->v[0], "search.fs_label") == 0  ? GRUB_SEARCH_LABEL :
	                                                GRUB_SEARCH_FILE;
	dotted = strchr(av->v[0], '.') != NULL;
	opts = true;
	for (size_t i = 1; i < av->n; i++) {
		a = av->v[i];
		if (opts && strcmp(a, "--") == 0)
			opts = false;
		else if (opts && strncmp(a, "--set=", 6) == 0)
			var = a + 6;
		else if (opts &&
		    (strcmp(a, "--set") == 0 || strcmp(a, "-s") == 0))
			var = "root";
		else if (opts && strncmp(a, "--hint", 6) == 0 &&
		    strchr(a, '=') == NULL)
			i++; /* --hint VALUE */
		else if (opts &&
		    (strcmp(a, "--file") == 0 || strcmp(a, "-f") == 0))
			file = true;
		else if (opts &&
		    (strcmp(a, "--fs-uuid") == 0 || strcmp(a, "-u") == 0))
			how = GRUB_SEARCH_UUID;
		else if (opts &&
		    (strcmp(a, "--label") == 0 || strcmp(a, "-l") == 0))
			how = GRUB_SEARCH_LABEL;
		else if (opts && a[0] == '-')
			continue;
		else if (key == NULL)
			key = a;
		else if (dotted && !named) {
			var = a; /* search.file NAME [VARIABLE] */
			named = true;
		}
	}
	c->status = 0;
	if (key == NULL) {
		ib_grub_note(c->g, "%s: search without a key: GRUB fails",
		    where);
		c->status = 1;
		return 0;
	}
	if (file)
		how = GRUB_SEARCH_FILE;
	if (var == NULL) {
		ib_grub_quote(qk, sizeof(qk), key);
		ib_grub_note(c->g,
		    "%s: search %s without --set: GRUB prints the device it "
		    "finds and sets no variable",
		    where, qk);
		return 0;
	}
	if (ib_bootfs_disk(c->g->fs) != NULL)
		return search_disk(c, where, how, key, var, err);
	ib_grub_quote(qk, sizeof(qk), key);
	ib_grub_quote(qv, sizeof(qv), var);
	if (file &&
	    ib_grub_image_path(c, where, key, true, path, sizeof(path), err) ==
	        -1)
		return -1;
	found = file ? ib_bootfs_lookup(c->g->fs, path, err) : 1;
	if (found == -1) {
		ib_grub_quote(qk, sizeof(qk), path + 1);
		return ib_err_prefix(err, "%s: search %s: ", where, qk);
	}
	if (found == 0)
		ib_grub_note(c->g,
		    "%s: search %s: no such file here (GRUB would look on other "
		    "disks); taken to be the image itself, %s=" ISO_DEV,
		    where, qk, qv);
	else
		ib_grub_note(c->g,
		    "%s: search %s: taken to find the image itself, %s=" ISO_DEV,
		    where, qk, qv);
	return set_var(c, where, var, ISO_DEV, err);
}

/* Set the variables of a GRUB environment block (lib/envblk.c): after
 * its header, NAME=VALUE lines, a backslash taking the next byte as it
 * is; '#' lines are padding. With names, only those are set. */
static int
set_envblk(struct ctx *c, const char *where, char *text, size_t len,
    char *const *names, size_t nnames, char *set, size_t setsz, ib_err *err)
{
	static const char header[] = "# GRUB Environment Block\n";
	size_t i = sizeof(header) - 1, o, at = 0;
	char *line, *eq;
	bool want;

	if (len < i || memcmp(text, header, i) != 0)
		return 1;
	while (i < len) {
		line = text + i;
		for (o = 0; i < len && text[i] != '\n'; i++) {
			if (text[i] == '\\' && i + 1 < len)
				i++;
			line[o++] = text[i];
		}
		i++;
		line[o] = '\0'; /* o < the bytes read: in place */
		eq = strchr(line, '=');
		if (line[0] == '#' || eq == NULL || eq == line)
			continue;
		*eq = '\0';
		want = nnames == 0;
		for (size_t k = 0; k < nnames && !want; k++)
			want = strcmp(names[k], line) == 0;
		if (!want)
			continue;
		if (set_var(c, where, line, eq + 1, err) == -1)
			return -1;
		at += (size_t)snprintf(set + at, at < setsz ? setsz - at : 0,
		    "%s%s", at > 0 ? ", " : "", line);
		if (at >= setsz)
			at = setsz - 1;
	}
	return 0;
}

/* load_env [-f FILE] [--skip-sig] [NAME...]: FILE is $prefix/grubenv by
 * default (commands/loadenv.c). */
static int
cmd_load_env(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	char path[IB_MAX_PATH + 1], name[IB_MAX_PATH + 16], set[256], qb[QMAX];
	const char *file = NULL, *prefix;
	char *text, *buf;
	size_t len, first = 1;
	int rc;

	c->status = 0;
	for (; first < av->n; first++) {
		if ((strcmp(av->v[first], "-f") == 0 ||
		        strcmp(av->v[first], "--file") == 0) &&
		    first + 1 < av->n)
			file = av->v[++first];
		else if (strncmp(av->v[first], "--file=", 7) == 0)
			file = av->v[first] + 7;
		else if (av->v[first][0] != '-')
			break;
	}
	if (file == NULL) {
		prefix = ib_grub_env_get(c->env, "prefix");
		snprintf(name, sizeof(name), "%s/grubenv",
		    prefix != NULL ? prefix : "");
		file = name;
	}
	if (ib_grub_image_path(c, where, file, true, path, sizeof(path), err) ==
	    -1)
		return -1;
	ib_grub_quote(qb, sizeof(qb), path + 1);
	if (ib_bootfs_read(c->g->fs, path, &text, &len, err) == -1) {
		if (err->code != IB_ENOTFOUND && err->code != EINVAL)
			return ib_err_prefix(err, "%s: load_env %s: ", where,
			    qb);
		ib_err_clear(err);
		ib_grub_note(c->g, "%s: load_env: no %s, nothing set", where,
		    qb);
		c->status = 1;
		return 0;
	}
	/* One byte more, so that the last line has room for its NUL. */
	buf = malloc(len + 1);
	if (buf == NULL) {
		free(text);
		return ib_err_errno(err, ENOMEM, "%s", where);
	}
	memcpy(buf, text, len);
	free(text);
	set[0] = '\0';
	rc = set_envblk(c, where, buf, len, av->v + first, av->n - first, set,
	    sizeof(set), err);
	free(buf);
	if (rc == 1) {
		ib_grub_note(c->g,
		    "%s: load_env %s: not an environment block (GRUB fails)",
		    where, qb);
		c->status = 1;
	} else if (rc == 0) {
		ib_grub_note(c->g, "%s: load_env %s: %s", where, qb,
		    set[0] != '\0' ? set : "nothing set");
	}
	return rc == -1 ? -1 : 0;
}

static int run_file(struct ctx *c, const char *where, ib_argv *av, bool newctx,
    ib_err *err);

static int
cmd_source(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	return run_file(c, where, av, false, err);
}

static int
cmd_configfile(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	return run_file(c, where, av, true, err);
}

static int
cmd_flow(struct ctx *c, const char *where, ib_argv *av, ib_err *err)
{
	uint64_t v;
	const char *end;

	(void)where;
	(void)err;
	if (strcmp(av->v[0], "return") == 0) {
		if (c->calls == 0)
			return 0;
		c->flow = F_RETURN;
		if (av->n > 1) {
			ib_grub_strtoul(av->v[1], c->g->pc, &v, &end);
			c->status = (int)(ib_grub_to_int(v) & 0xff);
		}
		return 0;
	}
	if (c->loops == 0)
		return 0;
	c->flow = strcmp(av->v[0], "break") == 0 ? F_BREAK : F_CONTINUE;
	return 0;
}

static const struct builtin {
	const char *name;
	cmd_fn *fn;
} builtins[] = {
	{ ".", cmd_source },
	{ "[", ib_grub_cmd_test },
	{ "boot", ib_grub_cmd_boot },
	{ "break", cmd_flow },
	{ "chainloader", ib_grub_cmd_chainloader },
	{ "blscfg", ib_grub_cmd_blscfg },
	{ "configfile", cmd_configfile },
	{ "continue", cmd_flow },
	{ "exit", ib_grub_cmd_end },
	{ "export", cmd_export },
	{ "false", cmd_true },
	{ "fwsetup", ib_grub_cmd_end },
	{ "halt", ib_grub_cmd_end },
	{ "initrd", ib_grub_cmd_initrd },
	{ "initrd16", ib_grub_cmd_initrd },
	{ "initrdefi", ib_grub_cmd_initrd },
	{ "insmod", cmd_insmod },
	{ "linux", ib_grub_cmd_linux },
	{ "linux16", ib_grub_cmd_linux },
	{ "linuxefi", ib_grub_cmd_linux },
	{ "load_env", cmd_load_env },
	{ "reboot", ib_grub_cmd_end },
	{ "regexp", cmd_regexp },
	{ "return", cmd_flow },
	{ "search", cmd_search },
	{ "search.file", cmd_search },
	{ "search.fs_label", cmd_search },
	{ "search.fs_uuid", cmd_search },
	{ "set", cmd_set },
	{ "source", cmd_source },
	{ "test", ib_grub_cmd_test },
	{ "true", cmd_true },
	{ "unset", cmd_unset },
};

/*
 * menuentry|submenu TITLE [ARGS] [--class C] [--id ID] [--hotkey K]
 * [--users U|--unrestricted] [--source S] { BODY }: record the entry with
 * its body (commands/menuentry.c). Unknown long options make GRUB refuse
 * the entry; a single dash is an argument (GRUB_COMMAND_ACCEPT_DASH).
 */
static int
cmd_menuentry(struct ctx *c, const struct node *n, const char *where,
    ib_argv *av, ib_err *err)
{
	static const char *const opts[] = { "class", "users", "hotkey",
		"source", "id", "unrestricted" };
	const char *a, *eq, *id, *src, *val;
	struct level *lv;
	struct rec *r;
	struct node *parsed;
	const struct node *body;
	char qb[256], *text;
	size_t np, k, len;
	const char **pos;
	bool done;
	int rc;

	if (c->mc == NULL) {
		ib_grub_note(c->g,
		    "%s: %s inside a menu entry body: defined only when that "
		    "entry boots (not followed)",
		    where, av->v[0]);
		c->status = 0;
		return 0;
	}
	c->status = 1;
	pos = calloc(av->n, sizeof(*pos));
	if (pos == NULL)
		return ib_err_errno(err, ENOMEM, "%s: menu entry", where);
	np = 0;
	id = src = NULL;
	done = false;
	for (size_t i = 1; i < av->n; i++) {
		a = av->v[i];
		if (done || a[0] != '-' || a[1] != '-') {
			pos[np++] = a;
			continue;
		}
		if (a[2] == '\0') {
			done = true;
			continue;
		}
		eq = strchr(a + 2, '=');
		len = eq != NULL ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			if (strlen(opts[k]) == len &&
			    memcmp(opts[k], a + 2, len) == 0)
				break;
		if (k == sizeof(opts) / sizeof(opts[0]) ||
		    (k == 5 && eq != NULL) ||
		    (k < 5 && eq == NULL && i + 1 >= av->n)) {
			ib_grub_note(c->g,
			    "%s: %s: bad option %s: GRUB refuses the entry",
			    where, av->v[0], ib_grub_quote(qb, sizeof(qb), a));
			free(pos);
			return 0;
		}
		if (k == 5)
			continue;
		val = eq != NULL ? eq + 1 : av->v[++i];
		if (k == 4)
			id = val;
		else if (k == 3)
			src = val;
		else if (k == 1)
			ib_grub_note(c->g,
			    "%s: --users %s: the entry asks for a password "
			    "when superusers are set",
			    where, ib_grub_quote(qb, sizeof(qb), val));
	}
	if (np == 0 || (n->block == NULL) == (src == NULL)) {
		ib_grub_note(c->g, "%s: %s %s: GRUB refuses it", where,
		    av->v[0],
		    np == 0         ? "without a title" :
		        src != NULL ? "with both --source and a block" :
		                      "without a body");
		free(pos);
		return 0;
	}
	body = n->block;
	if (src != NULL) {
		/* --source STRING: the body as text, parsed here. The lexer
		 * reads an exact copy, without the NUL, as it reads a file. */
		len = strlen(src);
		text = len != 0 ? malloc(len) : NULL;
		if (len != 0 && text == NULL) {
			free(pos);
			return ib_err_errno(err, ENOMEM, "%s: menu entry",
			    where);
		}
		if (text != NULL)
			memcpy(text, src, len);
		rc = ib_grub_parse_script(c->g, n->file,
		    text != NULL ? text : src, len, n->line, &parsed, err);
		free(text);
		if (rc == -1) {
			free(pos);
			return -1;
		}
		body = parsed;
	}
	lv = &c->mc->lv;
	if (lv->n >= IB_MAX_ENTRIES_MENU) {
		free(pos);
		return ib_err_set(err, IB_ELIMIT,
		    "%s: more than %u menu entries", where,
		    IB_MAX_ENTRIES_MENU);
	}
	if (lv->n == lv->cap) {
		r = ib_reallocarray(lv->r, lv->cap ? lv->cap * 2 : 16,
		    sizeof(*r));
		if (r == NULL) {
			free(pos);
			return ib_err_errno(err, ENOMEM, "%s: menu entry",
			    where);
		}
		lv->r = r;
		lv->cap = lv->cap ? lv->cap * 2 : 16;
	}
	r = &lv->r[lv->n];
	memset(r, 0, sizeof(*r));
	r->args = calloc(np, sizeof(*r->args));
	r->title = strdup(pos[0]);
	r->id = id != NULL ? strdup(id) : NULL;
	r->where = strdup(where);
	r->body = body;
	r->submenu = av->v[0][0] == 's';
	for (k = 0; r->args != NULL && k < np; k++) {
		r->args[k] = strdup(pos[k]);
		if (r->args[k] == NULL)
			break;
		r->nargs++;
	}
	free(pos);
	lv->n++; /* released with the level, complete or not */
	if (r->args == NULL || r->nargs != np || r->title == NULL ||
	    (id != NULL && r->id == NULL) || r->where == NULL)
		return ib_err_errno(err, ENOMEM, "%s: menu entry", where);
	c->status = 0;
	return 0;
}

/* A command that names a function: run its body with the arguments as
 * $1... (script/function.c). */
static int
call(struct ctx *c, const struct func *f, const char *where, ib_argv *av,
    ib_err *err)
{
	char **opos;
	size_t onpos;
	int rc;

	(void)where;
	opos = c->pos;
	onpos = c->npos;
	c->pos = av->v + 1;
	c->npos = av->n - 1;
	c->calls++;
	rc = ib_grub_exec_list(c, f->body, err);
	c->calls--;
	c->pos = opos;
	c->npos = onpos;
	if (c->flow == F_RETURN)
		c->flow = F_NONE;
	return rc;
}

static const struct func *
find_func(const struct grub *g, const char *name)
{
	for (size_t i = 0; i < g->nfn; i++)
		if (strcmp(g->fn[i].name, name) == 0)
			return &g->fn[i];
	return NULL;
}

/* A command, after expansion: a GRUB command, else a function, else an
 * assignment NAME=VALUE (script/execute.c grub_script_execute_cmdline). */
static int
run_cmd(struct ctx *c, const struct node *n, ib_argv *av, ib_err *err)
{
	char where[WHERE_MAX], qb[256];
	const struct func *f;
	const char *name;
	char *eq;

	if (av->n == 0) {
		c->status = 0;
		return 0;
	}
	where_of(n, where, sizeof(where));
	name = av->v[0];
	if (strcmp(name, "menuentry") == 0 || strcmp(name, "submenu") == 0)
		return cmd_menuentry(c, n, where, av, err);
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(name, builtins[i].name) == 0)
			return builtins[i].fn(c, where, av, err);
	f = find_func(c->g, name);
	if (f != NULL)
		return call(c, f, where, av, err);
	eq = strchr(av->v[0], '=');
	if (eq != NULL) {
		*eq = '\0';
		return set_var(c, where, av->v[0], eq + 1, err);
	}
	c->status = 0;
	if (n->block != NULL)
		ib_grub_note(c->g,
		    "%s: '%s' with a { } block is not an upstream GRUB "
		    "command%s: GRUB fails it; not a menu entry",
		    where, ib_grub_quote(qb, sizeof(qb), name),
		    strcmp(name, "hiddenentry") == 0 ?
		        " (hiddenentry is a SUSE patch)" :
		        "");
	else if (c->cond > 0)
		ib_grub_note(c->g,
		    "%s: '%s' decides at boot time: taken to succeed (the "
		    "normal case on an x86_64 VM)",
		    where, ib_grub_quote(qb, sizeof(qb), name));
	return 0;
}

static int
define(struct ctx *c, const struct node *n, ib_err *err)
{
	struct func *f;

	for (size_t i = 0; i < c->g->nfn; i++)
		if (strcmp(c->g->fn[i].name, n->name) == 0) {
			c->g->fn[i].body = n->body;
			return 0;
		}
	if (c->g->nfn >= IB_MAX_GRUB_VARS)
		return ib_err_set(err, IB_ELIMIT,
		    "%s:%u: more than %u functions", n->file->disp, n->line,
		    IB_MAX_GRUB_VARS);
	if (c->g->nfn == c->g->fncap) {
		f = ib_reallocarray(c->g->fn, c->g->fncap ? c->g->fncap * 2 : 8,
		    sizeof(*f));
		if (f == NULL)
			return ib_err_errno(err, ENOMEM, "function");
		c->g->fn = f;
		c->g->fncap = c->g->fncap ? c->g->fncap * 2 : 8;
	}
	c->g->fn[c->g->nfn].name = n->name;
	c->g->fn[c->g->nfn].body = n->body;
	c->g->nfn++;
	return 0;
}

static int
exec_for(struct ctx *c, const struct node *n, ib_err *err)
{
	char where[WHERE_MAX];
	ib_argv av;
	int rc;

	memset(&av, 0, sizeof(av));
	where_of(n, where, sizeof(where));
	rc = ib_grub_expand(c, n->w, n->nw, &av, err);
	if (rc == -1)
		return ib_err_prefix(err, "%s: ", where);
	c->loops++;
	for (size_t i = 0; i < av.n && rc == 0; i++) {
		rc = set_var(c, where, n->name, av.v[i], err);
		if (rc == 0)
			rc = ib_grub_exec_list(c, n->body, err);
		if (c->flow == F_CONTINUE)
			c->flow = F_NONE;
		if (c->flow != F_NONE)
			break;
	}
	if (c->flow == F_BREAK)
		c->flow = F_NONE;
	c->loops--;
	ib_argv_free(&av);
	return rc;
}

static int exec_one(struct ctx *c, const struct node *n, ib_err *err);

static int
exec_node(struct ctx *c, const struct node *n, ib_err *err)
{
	int rc;

	if (++c->g->steps > IB_MAX_GRUB_STEPS)
		return ib_err_set(err, IB_ELIMIT,
		    "%s:%u: more than %u commands run", n->file->disp, n->line,
		    IB_MAX_GRUB_STEPS);
	if (c->g->running >= IB_MAX_GRUB_CALLS)
		return ib_err_set(err, IB_ELIMIT,
		    "%s:%u: commands (if, for, function calls, source) running "
		    "inside one another deeper than %u",
		    n->file->disp, n->line, IB_MAX_GRUB_CALLS);
	c->g->running++;
	rc = exec_one(c, n, err);
	c->g->running--;
	return rc;
}

static int
exec_one(struct ctx *c, const struct node *n, ib_err *err)
{
	char where[WHERE_MAX];
	ib_argv av;
	int rc;

	switch (n->type) {
	case N_CMD:
		memset(&av, 0, sizeof(av));
		rc = ib_grub_expand(c, n->w, n->nw, &av, err);
		if (rc == -1) {
			where_of(n, where, sizeof(where));
			ib_err_prefix(err, "%s: ", where);
		} else
			rc = run_cmd(c, n, &av, err);
		ib_argv_free(&av);
		return rc;
	case N_IF:
		c->cond++;
		rc = ib_grub_exec_list(c, n->cond, err);
		c->cond--;
		if (rc == -1 || c->flow != F_NONE)
			return rc;
		if (c->status == 0)
			return ib_grub_exec_list(c, n->body, err);
		c->status = 0;
		return ib_grub_exec_list(c, n->els, err);
	case N_FOR:
		return exec_for(c, n, err);
	case N_WHILE:
		ib_grub_note(c->g,
		    "%s:%u: %s loop: its condition is decided at boot time; "
		    "not run",
		    n->file->disp, n->line, n->until ? "until" : "while");
		c->status = 0;
		return 0;
	case N_FUNC:
		return define(c, n, err);
	}
	return 0;
}

int
ib_grub_exec_list(struct ctx *c, const struct node *n, ib_err *err)
{
	for (; n != NULL && c->flow == F_NONE; n = n->next)
		if (exec_node(c, n, err) == -1)
			return -1;
	return 0;
}

/*
 * source FILE: run FILE here, same variables and menu. configfile FILE:
 * a new context that sees the exported variables and a new menu; if that
 * menu has entries GRUB shows it instead (and returns only on Escape),
 * so it replaces this one. Both relative to $root (2.5).
 */
static int
run_file(struct ctx *c, const char *where, ib_argv *av, bool newctx,
    ib_err *err)
{
	char path[IB_MAX_PATH + 1], qb[QMAX];
	struct menuctx mc, tmp;
	struct gfile *f;
	struct ctx sub;
	int rc;

	c->status = 1;
	if (av->n < 2) {
		ib_grub_note(c->g, "%s: %s without a file: GRUB fails", where,
		    av->v[0]);
		return 0;
	}
	if (ib_grub_image_path(c, where, av->v[1], false, path, sizeof(path),
	        err) == -1)
		return -1;
	ib_grub_quote(qb, sizeof(qb), path + 1);
	if (newctx && c->ent != NULL) {
		/* Booting this entry opens another menu. */
		ib_grub_body_release(c->ent);
		c->ent->kernel = strdup(path);
		if (c->ent->kernel == NULL)
			return ib_err_errno(err, ENOMEM, "%s", where);
		c->ent->kind = IB_KIND_CONFIG;
		c->ent->loaded = true;
		c->flow = F_STOP;
		return 0;
	}
	for (unsigned i = 0; i < c->g->depth; i++)
		if (strcmp(c->g->stack[i], path) == 0)
			return ib_err_set(err, IB_ELIMIT,
			    "%s: %s loop: %s is already being read", where,
			    av->v[0], qb);
	if (c->g->depth > IB_MAX_INCLUDE)
		return ib_err_set(err, IB_ELIMIT,
		    "%s: source/configfile nested deeper than %u", where,
		    IB_MAX_INCLUDE);
	if (ib_grub_load_file(c->g, path, &f, err) == -1) {
		if (err->code != IB_ENOTFOUND && err->code != EINVAL)
			return ib_err_prefix(err, "%s: ", where);
		ib_grub_note(c->g,
		    "%s: %s %s: %s (GRUB prints an error and goes on)", where,
		    av->v[0], qb,
		    err->code == IB_ENOTFOUND ? "no such file" : "not a file");
		ib_err_clear(err);
		return 0;
	}
	if (f->script == NULL)
		return 0;
	c->g->stack[c->g->depth++] = f->path;
	if (!newctx) {
		ib_grub_note(c->g, "%s: source %s", where, qb);
		rc = ib_grub_exec_list(c, f->script, err);
		c->g->depth--;
		if (c->flow != F_STOP)
			c->flow = F_NONE;
		return rc;
	}
	memset(&mc, 0, sizeof(mc));
	memset(&sub, 0, sizeof(sub));
	sub.g = c->g;
	sub.mc = &mc;
	sub.env = &mc.env;
	rc = ib_grub_env_copy(c->env, &mc.env, true, err);
	if (rc == 0)
		rc = ib_grub_exec_list(&sub, f->script, err);
	c->g->depth--;
	if (rc == 0 && mc.lv.n > 0 && c->mc != NULL) {
		ib_grub_note(c->g,
		    "%s: configfile %s: its menu replaces this one (variables "
		    "set there stay there)",
		    where, qb);
		if (mc.config == NULL)
			mc.config = strdup(path);
		if (mc.config == NULL)
			rc = ib_err_errno(err, ENOMEM, "%s", where);
		tmp = *c->mc;
		*c->mc = mc;
		mc = tmp;
		c->flow = F_STOP;
	} else if (rc == 0)
		ib_grub_note(c->g,
		    "%s: configfile %s has no menu entries: GRUB goes on here",
		    where, qb);
	ib_grub_menuctx_release(&mc);
	c->status = 0;
	return rc;
}
