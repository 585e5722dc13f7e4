/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GRUB reader's lexer, with the rules of grub-core/script/yylex.l. */
#include <errno.h>
#include <string.h>

#include "compat.h"
#include "grub_int.h"

static char *
arena_strndup(struct arena *a, const char *s, size_t n, ib_err *err)
{
	char *d;

	d = ib_grub_arena_alloc(a, n + 1, err);
	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static int
unclosed_quote(const struct lexer *L, unsigned line, ib_err *err)
{
	return ib_err_set(err, IB_EFORMAT, "%s:%u: quote never closed",
	    L->file->disp, line);
}

static int
push_part(struct lexer *L, enum ptype type, const char *s, size_t n,
    ib_err *err)
{
	struct part *p;
	char *d;

	if (L->nparts == L->pcap) {
		p = ib_reallocarray(L->parts, L->pcap ? L->pcap * 2 : 8,
		    sizeof(*p));
		if (p == NULL)
			return ib_err_errno(err, ENOMEM, "grub config");
		L->parts = p;
		L->pcap = L->pcap ? L->pcap * 2 : 8;
	}
	d = arena_strndup(L->ar, s, n, err);
	if (d == NULL)
		return -1;
	L->parts[L->nparts].type = type;
	L->parts[L->nparts].s = d;
	L->nparts++;
	return 0;
}

/* Add c to the word being read; a word over the bound names its line. */
static int
run_add(struct lexer *L, char c, ib_err *err)
{
	if (ib_strbuf_addc(&L->run, c, err) == 0)
		return 0;
	return ib_err_prefix(err, "%s:%u: word ", L->file->disp, L->line);
}

/* Close the run as a part; a quoted one even when empty ("" is an
 * argument). */
static int
flush(struct lexer *L, enum ptype type, bool always, ib_err *err)
{
	int rc;

	if (L->run.len == 0 && !always)
		return 0;
	rc = push_part(L, type, L->run.s != NULL ? L->run.s : "", L->run.len,
	    err);
	L->run.len = 0;
	return rc;
}

/* After a '$': NAME, DIGITS, one of ?#*@, or any of them in braces.
 * Returns 0, 1 for anything else (GRUB's lexer fails there), -1. */
static int
lex_var(struct lexer *L, enum ptype type, ib_err *err)
{
	const char *s = L->s;
	size_t p, a;
	bool brace;

	p = L->pos;
	brace = p < L->len && s[p] == '{';
	if (brace)
		p++;
	a = p;
	if (p < L->len && (ib_grub_is_alpha(s[p]) || s[p] == '_')) {
		while (p < L->len &&
		    (ib_grub_is_alpha(s[p]) || ib_grub_is_digit(s[p]) ||
		        s[p] == '_'))
			p++;
	} else if (p < L->len && ib_grub_is_digit(s[p])) {
		while (p < L->len && ib_grub_is_digit(s[p]))
			p++;
	} else if (p < L->len && strchr("?#*@", s[p]) != NULL && s[p] != '\0') {
		p++;
	} else
		return 1;
	if (brace && (p >= L->len || s[p] != '}'))
		return 1;
	if (push_part(L, type, s + a, p - a, err) == -1)
		return -1;
	L->pos = p + (brace ? 1 : 0);
	return 0;
}

/* "...": $var expands; \$ \" \\ and backslash-newline are escapes, any
 * other backslash stays. */
static int
lex_dq(struct lexer *L, ib_err *err)
{
	const char *s = L->s;
	unsigned qline;
	int rc;
	char c;

	qline = L->line;
	L->pos++;
	for (;;) {
		if (L->pos >= L->len)
			return unclosed_quote(L, qline, err);
		c = s[L->pos];
		if (c == '"') {
			L->pos++;
			return flush(L, P_QTEXT, true, err);
		}
		if (c == '\\' && L->pos + 1 < L->len) {
			c = s[L->pos + 1];
			if (c == '$' || c == '"' || c == '\\') {
				if (run_add(L, c, err) == -1)
					return -1;
				L->pos += 2;
				continue;
			}
			if (c == '\n') {
				L->pos += 2;
				L->line++;
				continue;
			}
			c = '\\';
		} else if (c == '$') {
			if (flush(L, P_QTEXT, true, err) == -1)
				return -1;
			L->pos++;
			rc = lex_var(L, P_QVAR, err);
			if (rc != 0)
				return rc;
			continue;
		}
		if (c == '\n')
			L->line++;
		if (run_add(L, c, err) == -1)
			return -1;
		L->pos++;
	}
}

/* $"...": a string for gettext, never expanded; \\ stays doubled. */
static int
lex_i18n(struct lexer *L, ib_err *err)
{
	const char *s = L->s;
	unsigned qline;
	char c;

	qline = L->line;
	L->pos += 2;
	for (;;) {
		if (L->pos >= L->len)
			return unclosed_quote(L, qline, err);
		c = s[L->pos];
		if (c == '"') {
			L->pos++;
			return flush(L, P_QTEXT, true, err);
		}
		if (c == '\\' && L->pos + 1 < L->len) {
			if (s[L->pos + 1] == '\n') {
				L->pos += 2;
				L->line++;
				continue;
			}
			if (s[L->pos + 1] == '"' || s[L->pos + 1] == '\\') {
				if (s[L->pos + 1] == '\\' &&
				    run_add(L, '\\', err) == -1)
					return -1;
				if (run_add(L, s[L->pos + 1], err) == -1)
					return -1;
				L->pos += 2;
				continue;
			}
		}
		if (c == '\n')
			L->line++;
		if (run_add(L, c, err) == -1)
			return -1;
		L->pos++;
	}
}

/* One word: unquoted characters, \c escapes, '...', "...", $var. */
static int
lex_word(struct lexer *L, struct token *t, ib_err *err)
{
	const char *s = L->s, *end;
	struct word *w;
	bool plain;
	size_t n;
	int rc;
	char c;

	L->nparts = 0;
	L->run.len = 0;
	plain = true;
	rc = 0;
	while (L->pos < L->len && rc == 0) {
		c = s[L->pos];
		if (strchr(" \t\n;|&<>{}", c) != NULL)
			break;
		if (c == '\\') {
			plain = false;
			if (L->pos + 1 >= L->len) {
				L->pos++;
				rc = 1; /* a backslash at the end of input */
			} else if (s[L->pos + 1] == '\n') {
				L->pos += 2;
				L->line++;
			} else {
				rc = run_add(L, s[L->pos + 1], err);
				L->pos += 2;
			}
			continue;
		}
		if (c == '\'') {
			plain = false;
			if (flush(L, P_TEXT, false, err) == -1)
				return -1;
			end = memchr(s + L->pos + 1, '\'', L->len - L->pos - 1);
			if (end == NULL)
				return unclosed_quote(L, L->line, err);
			n = (size_t)(end - (s + L->pos + 1));
			if (n > IB_MAX_GRUB_LINE)
				return ib_err_set(err, IB_ELIMIT,
				    "%s:%u: word longer than %u bytes",
				    L->file->disp, L->line, IB_MAX_GRUB_LINE);
			if (push_part(L, P_QTEXT, s + L->pos + 1, n, err) == -1)
				return -1;
			for (size_t i = L->pos + 1; s + i < end; i++)
				L->line += s[i] == '\n';
			L->pos = (size_t)(end - s) + 1;
			continue;
		}
		if (c == '"' || c == '$') {
			plain = false;
			if (flush(L, P_TEXT, false, err) == -1)
				return -1;
			if (c == '"')
				rc = lex_dq(L, err);
			else if (L->pos + 1 < L->len && s[L->pos + 1] == '"')
				rc = lex_i18n(L, err);
			else {
				L->pos++;
				rc = lex_var(L, P_VAR, err);
			}
			continue;
		}
		rc = run_add(L, c, err);
		L->pos++;
	}
	if (rc == -1)
		return -1;
	t->end = L->pos;
	if (rc == 1) {
		t->type = T_BAD;
		return 0;
	}
	if (flush(L, P_TEXT, false, err) == -1)
		return -1;
	w = ib_grub_arena_alloc(L->ar, sizeof(*w), err);
	if (w == NULL)
		return -1;
	w->n = L->nparts;
	w->p =
	    ib_grub_arena_alloc(L->ar, sizeof(*w->p) * (w->n ? w->n : 1), err);
	if (w->p == NULL)
		return -1;
	if (w->n > 0)
		memcpy(w->p, L->parts, sizeof(*w->p) * w->n);
	w->plain = NULL;
	if (plain && w->n == 1)
		w->plain = w->p[0].s;
	/* "[[" and "]]" are tokens of their own that no rule accepts. */
	if (w->plain != NULL &&
	    (strcmp(w->plain, "[[") == 0 || strcmp(w->plain, "]]") == 0)) {
		t->type = T_BAD;
		return 0;
	}
	t->type = T_WORD;
	t->w = w;
	return 0;
}

int
ib_grub_lex_next(struct lexer *L, struct token *t, ib_err *err)
{
	const char *s = L->s;
	char c;

	for (;;) {
		while (
		    L->pos < L->len && (s[L->pos] == ' ' || s[L->pos] == '\t'))
			L->pos++;
		/* Backslash-newline between words joins the lines. */
		if (L->pos + 1 < L->len && s[L->pos] == '\\' &&
		    s[L->pos + 1] == '\n') {
			L->pos += 2;
			L->line++;
			continue;
		}
		/* '#' starting a word comments out the rest of the line. */
		if (L->pos < L->len && s[L->pos] == '#')
			while (L->pos < L->len && s[L->pos] != '\n')
				L->pos++;
		break;
	}
	t->line = L->line;
	t->start = L->pos;
	t->w = NULL;
	if (L->pos >= L->len) {
		t->type = T_EOF;
		t->end = L->pos;
		return 0;
	}
	c = s[L->pos];
	switch (c) {
	case '\n':
		L->line++;
		t->type = T_NL;
		break;
	case ';':
		t->type = T_SEMI;
		if (L->pos + 1 < L->len && s[L->pos + 1] == ';') {
			L->pos++;
			t->type = T_BAD; /* ";;" */
		}
		break;
	case '|':
	case '&':
		/* | & || &&: tokens no rule of the grammar accepts */
		if (L->pos + 1 < L->len && s[L->pos + 1] == c)
			L->pos++;
		t->type = T_BAD;
		break;
	case '<':
	case '>':
		t->type = T_BAD;
		break;
	case '\0':
		t->type = T_BAD;
		break;
	case '{':
		t->type = T_LBR;
		break;
	case '}':
		t->type = T_RBR;
		break;
	default:
		return lex_word(L, t, err);
	}
	L->pos++;
	t->end = L->pos;
	return 0;
}
