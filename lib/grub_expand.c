/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The GRUB reader's values: variables and their contexts, the expansion
 * of words into arguments, and numbers as GRUB reads them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "grub_int.h"

/* --- variables (grub-core/normal/context.c) --- */

static struct var *
env_find(const struct env *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->v[i].name, name) == 0)
			return &e->v[i];
	return NULL;
}

const char *
ib_grub_env_get(const struct env *e, const char *name)
{
	const struct var *v = env_find(e, name);

	return v != NULL ? v->value : NULL;
}

int
ib_grub_env_set(struct env *e, const char *name, const char *value, ib_err *err)
{
	struct var *v;
	char *d;

	if (strlen(value) > IB_MAX_GRUB_LINE)
		return ib_err_set(err, IB_ELIMIT,
		    "variable longer than %u bytes", IB_MAX_GRUB_LINE);
	d = strdup(value);
	if (d == NULL)
		return ib_err_errno(err, ENOMEM, "variable");
	v = env_find(e, name);
	if (v != NULL) {
		free(v->value);
		v->value = d;
		return 0;
	}
	if (e->n >= IB_MAX_GRUB_VARS) {
		free(d);
		return ib_err_set(err, IB_ELIMIT, "more than %u variables",
		    IB_MAX_GRUB_VARS);
	}
	if (e->n == e->cap) {
		v = ib_reallocarray(e->v, e->cap ? e->cap * 2 : 32, sizeof(*v));
		if (v == NULL) {
			free(d);
			return ib_err_errno(err, ENOMEM, "variable");
		}
		e->v = v;
		e->cap = e->cap ? e->cap * 2 : 32;
	}
	v = &e->v[e->n];
	v->name = strdup(name);
	if (v->name == NULL) {
		free(d);
		return ib_err_errno(err, ENOMEM, "variable");
	}
	v->value = d;
	v->exported = false;
	e->n++;
	return 0;
}

void
ib_grub_env_unset(struct env *e, const char *name)
{
	struct var *v = env_find(e, name);

	if (v == NULL)
		return;
	free(v->name);
	free(v->value);
	*v = e->v[--e->n];
}

/* export: mark name, creating it empty if unset (grub_env_export). */
int
ib_grub_env_export(struct env *e, const char *name, ib_err *err)
{
	struct var *v;

	if (env_find(e, name) == NULL &&
	    ib_grub_env_set(e, name, "", err) == -1)
		return -1;
	v = env_find(e, name);
	v->exported = true;
	return 0;
}

void
ib_grub_env_release(struct env *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].name);
		free(e->v[i].value);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* dst = src, or only its exported variables (a new context, 2.2). */
int
ib_grub_env_copy(const struct env *src, struct env *dst, bool exported,
    ib_err *err)
{
	for (size_t i = 0; i < src->n; i++) {
		if (exported && !src->v[i].exported)
			continue;
		if (ib_grub_env_set(dst, src->v[i].name, src->v[i].value,
		        err) == -1)
			return -1;
		env_find(dst, src->v[i].name)->exported = src->v[i].exported;
	}
	return 0;
}

static void
level_release(struct level *lv)
{
	for (size_t i = 0; i < lv->n; i++) {
		struct rec *r = &lv->r[i];

		free(r->title);
		free(r->id);
		for (size_t j = 0; j < r->nargs; j++)
			free(r->args[j]);
		free(r->args);
		free(r->where);
	}
	free(lv->r);
	memset(lv, 0, sizeof(*lv));
}

void
ib_grub_menuctx_release(struct menuctx *mc)
{
	level_release(&mc->lv);
	ib_grub_env_release(&mc->env);
	free(mc->config);
	mc->config = NULL;
}

/* --- expansion (grub-core/script/execute.c, argv.c) --- */

/* The value of $name: a variable, or $1.., $#, $*, $@, $?. NULL if
 * unset. num (and join, for $* and $@) hold what is made here. */
static const char *
lookup(const struct ctx *c, const char *name, char *num, size_t numsz,
    ib_strbuf *join, ib_err *err, int *rc)
{
	unsigned long k;

	*rc = 0;
	if (strcmp(name, "?") == 0) {
		snprintf(num, numsz, "%d", c->status);
		return num;
	}
	if (strcmp(name, "#") == 0) {
		snprintf(num, numsz, "%zu", c->npos);
		return num;
	}
	if (strcmp(name, "*") == 0 || strcmp(name, "@") == 0) {
		join->len = 0;
		for (size_t i = 0; i < c->npos; i++)
			if ((i > 0 && ib_strbuf_addc(join, ' ', err) == -1) ||
			    ib_strbuf_add(join, c->pos[i], strlen(c->pos[i]),
			        err) == -1) {
				*rc = -1;
				return NULL;
			}
		return join->s != NULL ? join->s : "";
	}
	if (ib_grub_is_digit(name[0])) {
		k = 0;
		for (const char *p = name; *p != '\0' && k <= c->npos; p++)
			k = k * 10 + (unsigned long)(*p - '0');
		return k >= 1 && k <= c->npos ? c->pos[k - 1] : NULL;
	}
	return ib_grub_env_get(c->env, name);
}

/*
 * The word being built: its text, and the same with quoted bytes escaped
 * as execute.c's append_escaped does, for wildcard.c (grub_glob.c).
 */
struct building {
	ib_strbuf cur, pat;
	bool wild; /* an unquoted *, ? or [ */
};

static int
add_part(struct building *b, const char *s, size_t n, bool quoted, ib_err *err)
{
	if (ib_strbuf_add(&b->cur, s, n, err) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (quoted && strchr("*?[]{}\\", s[i]) != NULL &&
		    ib_strbuf_addc(&b->pat, '\\', err) == -1)
			return -1;
		if (!quoted && (s[i] == '*' || s[i] == '?' || s[i] == '['))
			b->wild = true;
		if (ib_strbuf_addc(&b->pat, s[i], err) == -1)
			return -1;
	}
	return 0;
}

/* The word is done: its names when it is a pattern that matches,
 * else itself. */
static int
emit(struct ctx *c, struct building *b, ib_argv *out, ib_err *err)
{
	int n = 0;

	if (b->wild && c->g->wildcards && b->pat.s != NULL)
		n = ib_grub_glob(c, b->pat.s, out, err);
	if (n == -1)
		return -1;
	if (n == 0 &&
	    ib_argv_take(out, ib_strbuf_take(&b->cur, err), err) == -1)
		return -1;
	b->cur.len = b->pat.len = 0;
	b->cur.max = b->pat.max = IB_MAX_GRUB_LINE;
	b->wild = false;
	return 0;
}

/*
 * The arguments of the words: quoted parts always make an argument (""
 * is one), unquoted text only when not empty; an unquoted $var is split
 * at blanks (grub_script_argv_split_append: leading blanks dropped,
 * trailing ones end nothing).
 */
int
ib_grub_expand(struct ctx *c, struct word *const *w, size_t nw, ib_argv *out,
    ib_err *err)
{
	struct building b;
	ib_strbuf join;
	const char *v, *p;
	char num[32];
	bool made;
	int rc;

	memset(&b, 0, sizeof(b));
	memset(&join, 0, sizeof(join));
	b.cur.max = b.pat.max = join.max = IB_MAX_GRUB_LINE;
	rc = 0;
	for (size_t i = 0; i < nw && rc == 0; i++) {
		made = false;
		for (size_t j = 0; j < w[i]->n && rc == 0; j++) {
			const struct part *pt = &w[i]->p[j];

			switch (pt->type) {
			case P_TEXT:
			case P_QTEXT:
				if (pt->type == P_QTEXT || pt->s[0] != '\0') {
					rc = add_part(&b, pt->s, strlen(pt->s),
					    pt->type == P_QTEXT, err);
					made = true;
				}
				break;
			case P_QVAR:
				v = lookup(c, pt->s, num, sizeof(num), &join,
				    err, &rc);
				if (rc == 0 && v != NULL && v[0] != '\0') {
					rc = add_part(&b, v, strlen(v), true,
					    err);
					made = true;
				}
				break;
			case P_VAR:
				v = lookup(c, pt->s, num, sizeof(num), &join,
				    err, &rc);
				if (rc != 0 || v == NULL)
					break;
				while (ib_grub_is_space(*v))
					v++;
				while (*v != '\0' && rc == 0) {
					for (p = v; *p != '\0' &&
					     !ib_grub_is_space(*p);
					     p++)
						;
					rc = add_part(&b, v, (size_t)(p - v),
					    false, err);
					made = true;
					for (v = p; ib_grub_is_space(*v); v++)
						;
					if (rc == 0 && *v != '\0') {
						rc = emit(c, &b, out, err);
						made = false;
					}
				}
				break;
			}
		}
		if (rc == 0 && made)
			rc = emit(c, &b, out, err);
		b.cur.len = b.pat.len = 0;
		b.wild = false;
	}
	ib_strbuf_release(&b.cur);
	ib_strbuf_release(&b.pat);
	ib_strbuf_release(&join);
	return rc;
}

/* --- numbers (grub-core/kern/misc.c grub_strtoull) --- */

/* grub_strtoul(s, &end, 0): blanks skipped, 0x hex, 0 octal; no digits
 * is GRUB_ERR_BAD_NUMBER. On "pc" a long has 32 bits. */
enum num
ib_grub_strtoul(const char *s, bool long32, uint64_t *out, const char **end)
{
	uint64_t num, digit, base;
	bool found;

	while (ib_grub_is_space(*s))
		s++;
	base = 10;
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] >= '0' && s[1] <= '7')
		base = 8;
	num = 0;
	found = false;
	for (; *s != '\0'; s++) {
		if (ib_grub_is_digit(*s))
			digit = (uint64_t)(*s - '0');
		else if (*s >= 'a' && *s <= 'z')
			digit = (uint64_t)(*s - 'a') + 10;
		else if (*s >= 'A' && *s <= 'Z')
			digit = (uint64_t)(*s - 'A') + 10;
		else
			break;
		if (digit >= base)
			break;
		found = true;
		if (num > (UINT64_MAX - digit) / base) {
			*end = s;
			*out = UINT64_MAX;
			return NUM_RANGE;
		}
		num = num * base + digit;
	}
	*end = s;
	*out = num;
	if (!found)
		return NUM_BAD;
	if (long32 && num > UINT32_MAX)
		return NUM_RANGE;
	return NUM_OK;
}

/* (int) of an unsigned long: the low 32 bits, signed. */
int64_t
ib_grub_to_int(uint64_t v)
{
	uint32_t u = (uint32_t)(v & UINT32_MAX);

	return u <= INT32_MAX ? (int64_t)u : (int64_t)u - 4294967296LL;
}
