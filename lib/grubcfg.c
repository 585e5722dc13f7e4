/*
 * The GRUB 2 reader (SEMANTICS.md section 2, upstream grub-2.12). Three
 * stages, as in GRUB: a lexer with the rules of grub-core/script/yylex.l,
 * a parser for the grammar of script/parser.y that builds a small tree,
 * and an evaluator (script/execute.c) that runs the tree with what a
 * static reader can decide. Menu entries are recorded with their body;
 * the bodies run at the end, with the final variables, as when an entry
 * boots (2.2), and normal/menu.c decides the default (2.3).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootfs.h"
#include "bounds.h"
#include "compat.h"
#include "grubcfg.h"
#include "menu_int.h"

/* "file:line" of a command; file names are quoted (and cut) for
 * messages in buffers of QMAX bytes. */
#define QMAX      256
#define WHERE_MAX (QMAX + 16)

/* The device name a static reader gives the image: GRUB for BIOS calls a
 * CD "cd"; search (2.5) is taken to find the image itself. */
#define ISO_DEV "cd"

/* A string that grows to at most max bytes. */
struct sb {
	char *s;
	size_t len, cap, max;
};

/* Memory for the parsed scripts, freed at once at the end. */
struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
	size_t total;
};

enum tok {
	T_EOF,
	T_NL,
	T_SEMI,
	T_LBR,
	T_RBR,
	T_WORD,
	T_BAD
};

/* Parts of a word: unquoted text, quoted text, $var, "$var". */
enum ptype {
	P_TEXT,
	P_QTEXT,
	P_VAR,
	P_QVAR
};

struct part {
	enum ptype type;
	const char *s;
};

struct word {
	struct part *p;
	size_t n;
	const char *plain; /* the text if unquoted, unescaped, without $ */
};

struct token {
	enum tok type;
	unsigned line;
	size_t start, end;
	struct word *w;
};

struct gfile;

enum ntype {
	N_CMD,
	N_IF,
	N_FOR,
	N_WHILE,
	N_FUNC
};

struct node {
	enum ntype type;
	unsigned line;
	bool until;
	const struct gfile *file;
	struct node *next;
	struct word **w; /* N_CMD: the words; N_FOR: the list */
	size_t nw;
	struct node *block; /* N_CMD: its { } block */
	struct node *cond, *body, *els;
	const char *name; /* N_FOR: the variable; N_FUNC: the name */
};

/* A config file, parsed once. */
struct gfile {
	struct gfile *next;
	char *path; /* absolute in the image */
	char *disp; /* without the '/', quoted for messages */
	struct node *script;
};

struct lexer {
	const char *s;
	size_t len, pos;
	unsigned line;
	const struct gfile *file;
	struct arena *ar;
	struct sb run;
	struct part *parts;
	size_t nparts, pcap;
};

struct var {
	char *name, *value;
	bool exported;
};

struct env {
	struct var *v;
	size_t n, cap;
};

/* A menuentry or submenu command, run when its menu is built. */
struct rec {
	char *title, *id; /* id: --id, or NULL */
	char **args;      /* the positional arguments: $1 is the title */
	size_t nargs;
	const struct node *body;
	bool submenu;
	char *where;
};

struct level {
	struct rec *r;
	size_t n, cap;
};

/* A menu and the context its entries see (configfile may replace both). */
struct menuctx {
	struct level lv;
	struct env env;
	char *config; /* set when configfile replaced the menu */
};

struct func {
	const char *name;
	const struct node *body;
};

/* What a menu entry's body loads. */
struct body {
	ib_kind kind;
	bool loaded;
	char *kernel;
	char *args;
	char **initrds;
	size_t ninitrds;
	const char *end; /* exit, reboot...: the command that ended it */
};

struct grub {
	ib_bootfs *fs;
	ib_menu *m;
	bool pc; /* grub_platform pc: 32-bit longs */
	struct arena ar;
	struct gfile *files;
	struct func *fn;
	size_t nfn, fncap;
	unsigned long steps;
	unsigned running; /* commands running inside one another */
	const char *stack[IB_MAX_INCLUDE + 1]; /* files being run */
	unsigned depth;
	unsigned nnotes;
};

enum flow {
	F_NONE,
	F_BREAK,
	F_CONTINUE,
	F_RETURN,
	F_STOP
};

/* One running script: a config, a function, a menu entry body. */
struct ctx {
	struct grub *g;
	struct menuctx *mc; /* the menu commands add to, or NULL in a body */
	struct env *env;
	char **pos; /* $1 ... */
	size_t npos;
	struct body *ent; /* the entry being booted, or NULL */
	int status;       /* $? */
	enum flow flow;
	unsigned calls, loops, cond;
};

struct argv {
	char **v;
	size_t n, cap;
};

static int exec_list(struct ctx *c, const struct node *n, ib_err *err);

/* --- small helpers --- */

static bool
is_gspace(char c)
{
	/* grub_isspace */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_name(const char *s)
{
	if (!is_alpha(*s) && *s != '_')
		return false;
	for (s++; *s != '\0'; s++)
		if (!is_alpha(*s) && !is_digit(*s) && *s != '_')
			return false;
	return true;
}

/* s quoted for a message, in buf. */
static const char *
q(char *buf, size_t size, const char *s)
{
	return ib_quote(buf, size, s, strlen(s));
}

static void note(struct grub *g, const char *fmt, ...) IB_PRINTF(2, 3);

static void
note(struct grub *g, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	size_t i;

	if (g->nnotes > IB_MAX_GRUB_NOTES)
		return;
	if (g->nnotes == IB_MAX_GRUB_NOTES) {
		g->nnotes++;
		ib_menu_notef(g->m, "more than %u notes: the rest are dropped",
		    IB_MAX_GRUB_NOTES);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* A body run for every entry would say the same thing again. */
	for (i = 0; i < ib_menu_nnotes(g->m); i++)
		if (strcmp(ib_menu_note(g->m, i), buf) == 0)
			return;
	g->nnotes++;
	ib_menu_notef(g->m, "%s", buf);
}

static void
where_of(const struct node *n, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%u", n->file->disp, n->line);
}

static int
sb_add(struct sb *b, const char *s, size_t n, ib_err *err)
{
	size_t cap;
	char *p;

	if (n > b->max - b->len)
		return ib_err_set(err, IB_ELIMIT, "longer than %zu bytes",
		    b->max);
	if (b->len + n + 1 > b->cap) {
		cap = b->cap != 0 ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (p == NULL)
			return ib_err_errno(err, ENOMEM, "grub config");
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static int
sb_addc(struct sb *b, char c, ib_err *err)
{
	return sb_add(b, &c, 1, err);
}

/* The string of b (the caller frees it); b is empty again. */
static char *
sb_take(struct sb *b, ib_err *err)
{
	char *s;

	s = b->s != NULL ? b->s : strdup("");
	if (s == NULL)
		ib_err_errno(err, ENOMEM, "grub config");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

static void
sb_release(struct sb *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

static void *
arena_alloc(struct arena *a, size_t n, ib_err *err)
{
	const size_t al = _Alignof(max_align_t);
	struct chunk *c;
	size_t size;
	void *p;

	if (n > IB_MAX_GRUB_MEM) {
		ib_err_set(err, IB_ELIMIT, "scripts larger than %u bytes",
		    IB_MAX_GRUB_MEM);
		return NULL;
	}
	n = (n + al - 1) / al * al;
	c = a->head;
	if (c == NULL || c->size - c->used < n) {
		size = n > 64 * 1024 ? n : 64 * 1024;
		if (size > IB_MAX_GRUB_MEM - a->total) {
			ib_err_set(err, IB_ELIMIT,
			    "scripts larger than %u bytes", IB_MAX_GRUB_MEM);
			return NULL;
		}
		c = malloc(sizeof(*c) + size);
		if (c == NULL) {
			ib_err_errno(err, ENOMEM, "grub config");
			return NULL;
		}
		c->next = a->head;
		c->used = 0;
		c->size = size;
		a->head = c;
		a->total += size;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

static char *
arena_strndup(struct arena *a, const char *s, size_t n, ib_err *err)
{
	char *d;

	d = arena_alloc(a, n + 1, err);
	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void
arena_release(struct arena *a)
{
	struct chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->total = 0;
}

/* --- lexer (grub-core/script/yylex.l) --- */

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
	if (sb_addc(&L->run, c, err) == 0)
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
	if (p < L->len && (is_alpha(s[p]) || s[p] == '_')) {
		while (p < L->len &&
		    (is_alpha(s[p]) || is_digit(s[p]) || s[p] == '_'))
			p++;
	} else if (p < L->len && is_digit(s[p])) {
		while (p < L->len && is_digit(s[p]))
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
	w = arena_alloc(L->ar, sizeof(*w), err);
	if (w == NULL)
		return -1;
	w->n = L->nparts;
	w->p = arena_alloc(L->ar, sizeof(*w->p) * (w->n ? w->n : 1), err);
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

static int
lex(struct lexer *L, struct token *t, ib_err *err)
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

/* --- parser (grub-core/script/parser.y) --- */

struct parser_s {
	struct grub *g;
	struct lexer L;
	struct token tok;
	bool have;
	bool eof; /* the syntax error is the end of the input */
};

static int
peek(struct parser_s *P, ib_err *err)
{
	if (P->have)
		return 0;
	if (lex(&P->L, &P->tok, err) == -1)
		return -1;
	P->have = true;
	return 0;
}

static void
advance(struct parser_s *P)
{
	P->have = false;
}

static int parse_list(struct parser_s *P, unsigned depth, struct node **out,
    bool *delim, ib_err *err);

static bool
is_kw(const struct parser_s *P, const char *kw)
{
	return P->tok.type == T_WORD && P->tok.w->plain != NULL &&
	    strcmp(P->tok.w->plain, kw) == 0;
}

/* The reserved words (yylex.l): arguments anywhere but first. */
static bool
is_reserved(const char *w)
{
	static const char *const kw[] = { "case", "do", "done", "elif", "else",
		"esac", "fi", "for", "function", "if", "in", "select", "then",
		"until", "while" };

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strcmp(w, kw[i]) == 0)
			return true;
	return false;
}

/* A syntax error at the current token: 1, for the caller to pass up. */
static int
syntax(struct parser_s *P)
{
	P->eof = P->tok.type == T_EOF;
	return 1;
}

/* A construct still open at the end of the input. */
static int
unclosed(struct parser_s *P, const char *open, const char *close, unsigned line,
    ib_err *err)
{
	return ib_err_set(err, IB_EFORMAT, "%s:%u: '%s' without '%s'",
	    P->L.file->disp, line, open, close);
}

static int
skip_nl(struct parser_s *P, ib_err *err)
{
	for (;;) {
		if (peek(P, err) == -1)
			return -1;
		if (P->tok.type != T_NL)
			return 0;
		advance(P);
	}
}

static struct node *
new_node(struct parser_s *P, enum ntype type, unsigned line, ib_err *err)
{
	struct node *n;

	n = arena_alloc(&P->g->ar, sizeof(*n), err);
	if (n == NULL)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->line = line;
	n->file = P->L.file;
	return n;
}

static bool
is_terminator(const struct parser_s *P)
{
	return P->tok.type == T_RBR || P->tok.type == T_EOF ||
	    is_kw(P, "then") || is_kw(P, "elif") || is_kw(P, "else") ||
	    is_kw(P, "fi") || is_kw(P, "do") || is_kw(P, "done");
}

/* Words up to the end of the command, kept in the arena. */
static int
parse_words(struct parser_s *P, struct word ***out, size_t *nout, ib_err *err)
{
	struct word **tmp, **t;
	size_t n, cap;
	int rc;

	tmp = NULL;
	n = cap = 0;
	rc = 0;
	for (;;) {
		rc = peek(P, err);
		if (rc != 0 || P->tok.type != T_WORD)
			break;
		if (n == IB_MAX_ARGS) {
			rc = ib_err_set(err, IB_ELIMIT,
			    "%s:%u: more than %u words in a command",
			    P->L.file->disp, P->tok.line, IB_MAX_ARGS);
			break;
		}
		if (n == cap) {
			t = ib_reallocarray(tmp, cap ? cap * 2 : 8, sizeof(*t));
			if (t == NULL) {
				rc = ib_err_errno(err, ENOMEM, "grub config");
				break;
			}
			tmp = t;
			cap = cap ? cap * 2 : 8;
		}
		tmp[n++] = P->tok.w;
		advance(P);
	}
	if (rc == 0) {
		*out = arena_alloc(&P->g->ar, sizeof(**out) * (n ? n : 1), err);
		if (*out == NULL)
			rc = -1;
		else if (n > 0)
			memcpy(*out, tmp, sizeof(**out) * n);
		*nout = n;
	}
	free(tmp);
	return rc;
}

/* The end of a list that needs a closing word: a syntax error, or a
 * construct left open at the end of the input. */
static int
expect(struct parser_s *P, int rc, bool ok, const char *open, const char *close,
    unsigned line, ib_err *err)
{
	if (rc == -1)
		return -1;
	if (rc == 1)
		return P->eof ? unclosed(P, open, close, line, err) : 1;
	if (ok)
		return 0;
	if (P->tok.type == T_EOF)
		return unclosed(P, open, close, line, err);
	return syntax(P);
}

/* block: "{" commands1 delimiters0 "}" */
static int
parse_block(struct parser_s *P, unsigned depth, struct node **out, ib_err *err)
{
	unsigned line;
	bool delim;
	int rc;

	line = P->tok.line;
	advance(P);
	rc = parse_list(P, depth, out, &delim, err);
	rc =
	    expect(P, rc, rc == 0 && P->tok.type == T_RBR, "{", "}", line, err);
	if (rc == 0)
		advance(P);
	return rc;
}

static int parse_command(struct parser_s *P, unsigned depth, struct node **out,
    ib_err *err);

/* ifclause: commands1 delimiters1 "then" commands1 delimiters1, then
 * "else" commands1 delimiters1, or "elif" ifclause, or nothing. */
static int
parse_ifclause(struct parser_s *P, unsigned depth, unsigned line,
    struct node **out, ib_err *err)
{
	struct node *n;
	bool delim;
	int rc;

	if (depth >= IB_MAX_GRUB_NEST)
		return ib_err_set(err, IB_ELIMIT,
		    "%s:%u: commands nested deeper than %u", P->L.file->disp,
		    P->tok.line, IB_MAX_GRUB_NEST);
	n = new_node(P, N_IF, line, err);
	if (n == NULL)
		return -1;
	rc = parse_list(P, depth, &n->cond, &delim, err);
	rc = expect(P, rc, rc == 0 && delim && is_kw(P, "then"), "if", "fi",
	    line, err);
	if (rc != 0)
		return rc;
	advance(P);
	rc = parse_list(P, depth, &n->body, &delim, err);
	rc = expect(P, rc, rc == 0 && delim, "if", "fi", line, err);
	if (rc != 0)
		return rc;
	if (is_kw(P, "else")) {
		advance(P);
		rc = parse_list(P, depth, &n->els, &delim, err);
		rc = expect(P, rc, rc == 0 && delim, "if", "fi", line, err);
	} else if (is_kw(P, "elif")) {
		advance(P);
		rc = parse_ifclause(P, depth + 1, line, &n->els, err);
	}
	*out = n;
	return rc;
}

static int
parse_if(struct parser_s *P, unsigned depth, struct node **out, ib_err *err)
{
	unsigned line;
	int rc;

	line = P->tok.line;
	advance(P);
	rc = parse_ifclause(P, depth, line, out, err);
	rc = expect(P, rc, rc == 0 && is_kw(P, "fi"), "if", "fi", line, err);
	if (rc == 0)
		advance(P);
	return rc;
}

/* "for" name "in" arguments0 delimiters1 "do" commands1 delimiters1
 * "done" */
static int
parse_for(struct parser_s *P, unsigned depth, struct node **out, ib_err *err)
{
	struct node *n;
	unsigned line;
	bool delim;
	int rc;

	line = P->tok.line;
	advance(P);
	n = new_node(P, N_FOR, line, err);
	if (n == NULL || peek(P, err) == -1)
		return -1;
	if (P->tok.type != T_WORD || P->tok.w->plain == NULL ||
	    !is_name(P->tok.w->plain) || is_reserved(P->tok.w->plain))
		return expect(P, 0, false, "for", "done", line, err);
	n->name = P->tok.w->plain;
	advance(P);
	if (peek(P, err) == -1)
		return -1;
	if (!is_kw(P, "in"))
		return expect(P, 0, false, "for", "done", line, err);
	advance(P);
	if (parse_words(P, &n->w, &n->nw, err) == -1)
		return -1;
	if (P->tok.type != T_SEMI && P->tok.type != T_NL)
		return expect(P, 0, false, "for", "done", line, err);
	advance(P);
	if (skip_nl(P, err) == -1)
		return -1;
	if (!is_kw(P, "do"))
		return expect(P, 0, false, "for", "done", line, err);
	advance(P);
	rc = parse_list(P, depth, &n->body, &delim, err);
	rc = expect(P, rc, rc == 0 && delim && is_kw(P, "done"), "for", "done",
	    line, err);
	if (rc != 0)
		return rc;
	advance(P);
	*out = n;
	return 0;
}

/* "while"|"until" commands1 delimiters1 "do" commands1 delimiters1
 * "done" */
static int
parse_while(struct parser_s *P, unsigned depth, struct node **out, ib_err *err)
{
	struct node *n;
	const char *kw;
	unsigned line;
	bool delim;
	int rc;

	line = P->tok.line;
	kw = P->tok.w->plain;
	advance(P);
	n = new_node(P, N_WHILE, line, err);
	if (n == NULL)
		return -1;
	n->until = strcmp(kw, "until") == 0;
	rc = parse_list(P, depth, &n->cond, &delim, err);
	rc = expect(P, rc, rc == 0 && delim && is_kw(P, "do"), kw, "done", line,
	    err);
	if (rc != 0)
		return rc;
	advance(P);
	rc = parse_list(P, depth, &n->body, &delim, err);
	rc = expect(P, rc, rc == 0 && delim && is_kw(P, "done"), kw, "done",
	    line, err);
	if (rc != 0)
		return rc;
	advance(P);
	*out = n;
	return 0;
}

/* grubcmd: word arguments0 block0 */
static int
parse_command(struct parser_s *P, unsigned depth, struct node **out,
    ib_err *err)
{
	struct node *n;
	const char *w;

	if (depth >= IB_MAX_GRUB_NEST)
		return ib_err_set(err, IB_ELIMIT,
		    "%s:%u: commands nested deeper than %u", P->L.file->disp,
		    P->tok.line, IB_MAX_GRUB_NEST);
	if (peek(P, err) == -1)
		return -1;
	if (P->tok.type != T_WORD)
		return syntax(P);
	w = P->tok.w->plain;
	if (w != NULL && strcmp(w, "if") == 0)
		return parse_if(P, depth + 1, out, err);
	if (w != NULL && strcmp(w, "for") == 0)
		return parse_for(P, depth + 1, out, err);
	if (w != NULL && (strcmp(w, "while") == 0 || strcmp(w, "until") == 0))
		return parse_while(P, depth + 1, out, err);
	if (w != NULL && is_reserved(w))
		return syntax(P);
	n = new_node(P, N_CMD, P->tok.line, err);
	if (n == NULL || parse_words(P, &n->w, &n->nw, err) == -1)
		return -1;
	if (P->tok.type == T_LBR) {
		int rc = parse_block(P, depth + 1, &n->block, err);

		if (rc != 0)
			return rc;
	}
	*out = n;
	return 0;
}

/* commands1, and the delimiters after it: *delim says whether it ended
 * on a ';' or newline (the grammar wants one before then/fi/do/done). */
static int
parse_list(struct parser_s *P, unsigned depth, struct node **out, bool *delim,
    ib_err *err)
{
	struct node *head, **tail, *n;
	int rc;

	head = NULL;
	tail = &head;
	*delim = false;
	if (skip_nl(P, err) == -1)
		return -1;
	for (;;) {
		rc = parse_command(P, depth, &n, err);
		if (rc != 0)
			return rc;
		*tail = n;
		tail = &n->next;
		*delim = false;
		if (peek(P, err) == -1)
			return -1;
		if (P->tok.type != T_SEMI && P->tok.type != T_NL)
			break;
		advance(P);
		if (skip_nl(P, err) == -1)
			return -1;
		*delim = true;
		if (is_terminator(P))
			break;
	}
	*out = head;
	return 0;
}

/* function: "function" name newlines0 "{" commands1 delimiters1 "}" */
static int
parse_function(struct parser_s *P, struct node **out, ib_err *err)
{
	struct node *n;
	unsigned line;
	bool delim;
	int rc;

	line = P->tok.line;
	advance(P);
	n = new_node(P, N_FUNC, line, err);
	if (n == NULL || peek(P, err) == -1)
		return -1;
	if (P->tok.type != T_WORD || P->tok.w->plain == NULL ||
	    !is_name(P->tok.w->plain) || is_reserved(P->tok.w->plain))
		return expect(P, 0, false, "function", "}", line, err);
	n->name = P->tok.w->plain;
	advance(P);
	if (skip_nl(P, err) == -1)
		return -1;
	if (P->tok.type != T_LBR)
		return expect(P, 0, false, "function", "}", line, err);
	advance(P);
	rc = parse_list(P, 1, &n->body, &delim, err);
	rc = expect(P, rc, rc == 0 && delim && P->tok.type == T_RBR, "function",
	    "}", line, err);
	if (rc != 0)
		return rc;
	advance(P);
	*out = n;
	return 0;
}

/* A short description of the current token, for a note. */
static const char *
tok_text(const struct parser_s *P, char *buf, size_t size)
{
	size_t n;

	if (P->tok.type == T_EOF)
		return "the end of the file";
	if (P->tok.type == T_NL)
		return "the end of the line";
	n = P->tok.end - P->tok.start;
	if (n > 40)
		n = 40;
	snprintf(buf, size, "'");
	ib_quote(buf + 1, size - 2, P->L.s + P->tok.start, n);
	snprintf(buf + strlen(buf), size - strlen(buf), "'");
	return buf;
}

/*
 * script: statements, each ended by ';' or a newline. GRUB's normal mode
 * parses one command at a time and prints a syntax error for one it
 * cannot parse, then goes on with the next line; so do we (with a note).
 */
static int
parse_script(struct grub *g, const struct gfile *f, const char *text,
    size_t len, unsigned line0, struct node **out, ib_err *err)
{
	struct parser_s P;
	struct node *head, **tail, *n;
	char tb[64];
	unsigned eline;
	int rc;

	memset(&P, 0, sizeof(P));
	P.g = g;
	P.L.s = text;
	P.L.len = len;
	P.L.line = line0;
	P.L.file = f;
	P.L.ar = &g->ar;
	P.L.run.max = IB_MAX_GRUB_LINE;
	head = NULL;
	tail = &head;
	rc = 0;
	for (;;) {
		rc = skip_nl(&P, err);
		if (rc == -1 || P.tok.type == T_EOF)
			break;
		n = NULL;
		P.eof = false;
		if (is_kw(&P, "function"))
			rc = parse_function(&P, &n, err);
		else
			rc = parse_command(&P, 0, &n, err);
		if (rc == 0 && peek(&P, err) == -1)
			rc = -1;
		if (rc == 0 && P.tok.type != T_SEMI && P.tok.type != T_NL &&
		    P.tok.type != T_EOF)
			rc = syntax(&P);
		if (rc == -1)
			break;
		if (rc == 1) {
			eline = P.tok.line;
			note(g,
			    "%s:%u: syntax error at %s: GRUB skips the command",
			    f->disp, eline, tok_text(&P, tb, sizeof(tb)));
			/* drop the rest of the line */
			rc = 0;
			while (rc == 0 && P.tok.type != T_NL &&
			    P.tok.type != T_EOF) {
				advance(&P);
				rc = peek(&P, err);
			}
			if (rc == -1)
				break;
			if (P.tok.type == T_NL)
				advance(&P);
			continue;
		}
		if (P.tok.type != T_EOF)
			advance(&P);
		*tail = n;
		tail = &n->next;
	}
	sb_release(&P.L.run);
	free(P.L.parts);
	if (rc == -1)
		return -1;
	*out = head;
	return 0;
}

/* Read, check and parse path (once; later calls get the same tree). */
static int
load_file(struct grub *g, const char *path, struct gfile **out, ib_err *err)
{
	struct gfile *f;
	char *text, *clean;
	size_t len, i, o, ll;
	unsigned line;
	char qb[QMAX];
	int rc;

	for (f = g->files; f != NULL; f = f->next)
		if (strcmp(f->path, path) == 0) {
			*out = f;
			return 0;
		}
	q(qb, sizeof(qb), path + 1);
	if (ib_bootfs_read(g->fs, path, &text, &len, err) == -1) {
		if (err->code != IB_ENOTFOUND)
			ib_err_prefix(err, "%s: ", qb);
		return -1;
	}
	/* GRUB's getline drops every CR (2.1); a NUL ends nothing there,
	 * but no text config has one. */
	clean = malloc(len + 1);
	if (clean == NULL) {
		free(text);
		return ib_err_errno(err, ENOMEM, "%s", qb);
	}
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
			clean[o++] = text[i];
	}
	clean[o] = '\0';
	free(text);
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
		rc = parse_script(g, f, clean, o, 1, &f->script, err);
	}
	free(clean);
	if (rc == 0)
		*out = f;
	return rc;
}

/* --- variables (grub-core/normal/context.c) --- */

static struct var *
env_find(const struct env *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->v[i].name, name) == 0)
			return &e->v[i];
	return NULL;
}

static const char *
env_get(const struct env *e, const char *name)
{
	const struct var *v = env_find(e, name);

	return v != NULL ? v->value : NULL;
}

static int
env_set(struct env *e, const char *name, const char *value, ib_err *err)
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

static void
env_unset(struct env *e, const char *name)
{
	struct var *v = env_find(e, name);

	if (v == NULL)
		return;
	free(v->name);
	free(v->value);
	*v = e->v[--e->n];
}

/* export: mark name, creating it empty if unset (grub_env_export). */
static int
env_export(struct env *e, const char *name, ib_err *err)
{
	struct var *v;

	if (env_find(e, name) == NULL && env_set(e, name, "", err) == -1)
		return -1;
	v = env_find(e, name);
	v->exported = true;
	return 0;
}

static void
env_release(struct env *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].name);
		free(e->v[i].value);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* dst = src, or only its exported variables (a new context, 2.2). */
static int
env_copy(const struct env *src, struct env *dst, bool exported, ib_err *err)
{
	for (size_t i = 0; i < src->n; i++) {
		if (exported && !src->v[i].exported)
			continue;
		if (env_set(dst, src->v[i].name, src->v[i].value, err) == -1)
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

static void
menuctx_release(struct menuctx *mc)
{
	level_release(&mc->lv);
	env_release(&mc->env);
	free(mc->config);
	mc->config = NULL;
}

/* --- expansion (grub-core/script/execute.c, argv.c) --- */

static void
argv_release(struct argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static int
argv_push(struct argv *a, char *s, ib_err *err)
{
	char **v;

	if (s == NULL)
		return -1;
	if (a->n >= IB_MAX_ARGS) {
		free(s);
		return ib_err_set(err, IB_ELIMIT, "more than %u arguments",
		    IB_MAX_ARGS);
	}
	if (a->n + 1 >= a->cap) {
		v = ib_reallocarray(a->v, a->cap ? a->cap * 2 : 8, sizeof(*v));
		if (v == NULL) {
			free(s);
			return ib_err_errno(err, ENOMEM, "arguments");
		}
		a->v = v;
		a->cap = a->cap ? a->cap * 2 : 8;
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

/* The value of $name: a variable, or $1.., $#, $*, $@, $?. NULL if
 * unset. num (and join, for $* and $@) hold what is made here. */
static const char *
lookup(const struct ctx *c, const char *name, char *num, size_t numsz,
    struct sb *join, ib_err *err, int *rc)
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
			if ((i > 0 && sb_addc(join, ' ', err) == -1) ||
			    sb_add(join, c->pos[i], strlen(c->pos[i]), err) ==
			        -1) {
				*rc = -1;
				return NULL;
			}
		return join->s != NULL ? join->s : "";
	}
	if (is_digit(name[0])) {
		k = 0;
		for (const char *p = name; *p != '\0' && k <= c->npos; p++)
			k = k * 10 + (unsigned long)(*p - '0');
		return k >= 1 && k <= c->npos ? c->pos[k - 1] : NULL;
	}
	return env_get(c->env, name);
}

/*
 * The arguments of the words: quoted parts always make an argument (""
 * is one), unquoted text only when not empty; an unquoted $var is split
 * at blanks (grub_script_argv_split_append: leading blanks dropped,
 * trailing ones end nothing).
 */
static int
expand(struct ctx *c, struct word *const *w, size_t nw, struct argv *out,
    ib_err *err)
{
	struct sb cur, join;
	const char *v, *p;
	char num[32];
	bool made;
	int rc;

	memset(&cur, 0, sizeof(cur));
	memset(&join, 0, sizeof(join));
	cur.max = join.max = IB_MAX_GRUB_LINE;
	rc = 0;
	for (size_t i = 0; i < nw && rc == 0; i++) {
		made = false;
		for (size_t j = 0; j < w[i]->n && rc == 0; j++) {
			const struct part *pt = &w[i]->p[j];

			switch (pt->type) {
			case P_TEXT:
			case P_QTEXT:
				if (pt->type == P_QTEXT || pt->s[0] != '\0') {
					rc = sb_add(&cur, pt->s, strlen(pt->s),
					    err);
					made = true;
				}
				break;
			case P_QVAR:
				v = lookup(c, pt->s, num, sizeof(num), &join,
				    err, &rc);
				if (rc == 0 && v != NULL && v[0] != '\0') {
					rc = sb_add(&cur, v, strlen(v), err);
					made = true;
				}
				break;
			case P_VAR:
				v = lookup(c, pt->s, num, sizeof(num), &join,
				    err, &rc);
				if (rc != 0 || v == NULL)
					break;
				while (is_gspace(*v))
					v++;
				while (*v != '\0' && rc == 0) {
					for (p = v;
					     *p != '\0' && !is_gspace(*p); p++)
						;
					rc = sb_add(&cur, v, (size_t)(p - v),
					    err);
					made = true;
					for (v = p; is_gspace(*v); v++)
						;
					if (rc == 0 && *v != '\0') {
						rc = argv_push(out,
						    sb_take(&cur, err), err);
						cur.max = IB_MAX_GRUB_LINE;
						made = false;
					}
				}
				break;
			}
		}
		if (rc == 0 && made) {
			rc = argv_push(out, sb_take(&cur, err), err);
			cur.max = IB_MAX_GRUB_LINE;
		}
		cur.len = 0;
	}
	sb_release(&cur);
	sb_release(&join);
	return rc;
}

/* --- numbers (grub-core/kern/misc.c grub_strtoull) --- */

enum num {
	NUM_OK,
	NUM_BAD,
	NUM_RANGE
};

/* grub_strtoul(s, &end, 0): blanks skipped, 0x hex, 0 octal; no digits
 * is GRUB_ERR_BAD_NUMBER. On "pc" a long has 32 bits. */
static enum num
grub_strtoul(const char *s, bool long32, uint64_t *out, const char **end)
{
	uint64_t num, digit, base;
	bool found;

	while (is_gspace(*s))
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
		if (is_digit(*s))
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
static int64_t
to_int(uint64_t v)
{
	uint32_t u = (uint32_t)(v & UINT32_MAX);

	return u <= INT32_MAX ? (int64_t)u : (int64_t)u - 4294967296LL;
}

/* test.c grub_strtosl: a '-' in front negates. */
static int64_t
strtosl(const struct ctx *c, const char *s)
{
	const char *end;
	uint64_t v;

	if (s[0] == '-') {
		grub_strtoul(s + 1, c->g->pc, &v, &end);
		return to_int(0 - v);
	}
	grub_strtoul(s, c->g->pc, &v, &end);
	return to_int(v);
}

/* --- files --- */

/*
 * A file name as GRUB opens it: "(dev)/path", or "/path" on $root. The
 * device is taken to be the image (2.4). The image path goes to out;
 * relaxed: a relative name is fine (test's get_fileinfo splits it).
 */
static int
image_path(struct ctx *c, const char *where, const char *name, bool relaxed,
    char *out, size_t size, ib_err *err)
{
	const char *p, *close;
	char qb[256], qd[64];

	p = name;
	if (p[0] == '(') {
		close = strchr(p, ')');
		if (close == NULL)
			note(c->g,
			    "%s: %s: no ')' after the device: GRUB fails",
			    where, q(qb, sizeof(qb), name));
		else {
			if ((size_t)(close - p - 1) != strlen(ISO_DEV) ||
			    memcmp(p + 1, ISO_DEV, strlen(ISO_DEV)) != 0) {
				ib_quote(qd, sizeof(qd), p,
				    (size_t)(close - p) + 1);
				note(c->g,
				    "%s: device %s is taken to be the image",
				    where, qd);
			}
			p = close + 1;
		}
	}
	if (!relaxed && p[0] != '/')
		note(c->g,
		    "%s: %s is not an absolute path: GRUB fails ('invalid file "
		    "name'); read as /%s",
		    where, q(qb, sizeof(qb), name), p);
	if (ib_bootpath_resolve("/", p, out, size) == -1)
		return ib_err_set(err, IB_ELIMIT, "%s: path too long", where);
	return 0;
}

/* --- test and [ (grub-core/commands/test.c) --- */

struct tctx {
	bool invert, or_, and_;
};

struct tinfo {
	bool string; /* a plain string was taken as a test */
};

static void
update_val(struct tctx *t, bool v)
{
	t->and_ = t->and_ && (t->invert ? !v : v);
	t->invert = false;
}

/* get_fileinfo: whether path exists and is a directory. */
static void
file_info(struct ctx *c, const char *where, const char *arg, bool *exists,
    bool *dir, ib_err *err)
{
	char path[IB_MAX_PATH + 1];
	char *data;
	size_t len;
	ib_err e;

	*exists = *dir = false;
	if (image_path(c, where, arg, true, path, sizeof(path), err) == -1) {
		ib_err_clear(err);
		return;
	}
	if (strcmp(path, "/") == 0) {
		*exists = *dir = true; /* the whole device */
		return;
	}
	if (ib_bootfs_exists(c->g->fs, path)) {
		*exists = true;
		return;
	}
	/* bootfs reads files only: a directory of a tree is "not a regular
	 * file"; an image's directories are not found (XXX: bootfs has no
	 * directory test). */
	ib_err_clear(&e);
	if (ib_bootfs_read(c->g->fs, path, &data, &len, &e) == 0) {
		free(data);
		*exists = true;
	} else if (e.code == EINVAL || e.code == EISDIR)
		*exists = *dir = true;
}

static bool
test_parse(struct ctx *c, const char *where, char **a, size_t *i, size_t n,
    unsigned depth, struct tinfo *ti, ib_err *err)
{
	struct tctx t = { false, false, true };
	bool ex, dir;
	const char *op;
	int64_t x, y;
	size_t k;

	while (*i < n) {
		if (*i + 2 < n) {
			op = a[*i + 1];
			if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0 ||
			    strcmp(op, "!=") == 0 || strcmp(op, "<") == 0 ||
			    strcmp(op, "<=") == 0 || strcmp(op, ">") == 0 ||
			    strcmp(op, ">=") == 0) {
				int r = strcmp(a[*i], a[*i + 2]);

				if (op[0] == '=')
					update_val(&t, r == 0);
				else if (op[0] == '!')
					update_val(&t, r != 0);
				else if (op[0] == '<')
					update_val(&t, op[1] ? r <= 0 : r < 0);
				else
					update_val(&t, op[1] ? r >= 0 : r > 0);
				*i += 3;
				continue;
			}
			if (strcmp(op, "-eq") == 0 || strcmp(op, "-ne") == 0 ||
			    strcmp(op, "-lt") == 0 || strcmp(op, "-le") == 0 ||
			    strcmp(op, "-gt") == 0 || strcmp(op, "-ge") == 0) {
				x = strtosl(c, a[*i]);
				y = strtosl(c, a[*i + 2]);
				if (strcmp(op, "-eq") == 0)
					update_val(&t, x == y);
				else if (strcmp(op, "-ne") == 0)
					update_val(&t, x != y);
				else if (strcmp(op, "-lt") == 0)
					update_val(&t, x < y);
				else if (strcmp(op, "-le") == 0)
					update_val(&t, x <= y);
				else if (strcmp(op, "-gt") == 0)
					update_val(&t, x > y);
				else
					update_val(&t, x >= y);
				*i += 3;
				continue;
			}
			if (strcmp(op, "-pgt") == 0 ||
			    strcmp(op, "-plt") == 0) {
				const char *l = a[*i], *r = a[*i + 2], *e;
				uint64_t lv, rv;

				/* skip the common prefix, then back over
				 * its digits (as test.c does it) */
				for (k = 0; l[k] == r[k] && l[k] != '\0'; k++)
					;
				if (k > 0) {
					k--;
					while (is_digit(l[k]) && k > 0)
						k--;
					k++;
				}
				grub_strtoul(l + k, c->g->pc, &lv, &e);
				grub_strtoul(r + k, c->g->pc, &rv, &e);
				update_val(&t,
				    op[2] == 'g' ? lv > rv : lv < rv);
				*i += 3;
				continue;
			}
			if (strncmp(op, "-nt", 3) == 0 ||
			    strncmp(op, "-ot", 3) == 0) {
				note(c->g,
				    "%s: test %s: file times are unknown here: "
				    "taken as false",
				    where, op);
				update_val(&t, false);
				*i += 3;
				continue;
			}
		}
		if (*i + 1 < n) {
			op = a[*i];
			if (strcmp(op, "-d") == 0 || strcmp(op, "-e") == 0 ||
			    strcmp(op, "-f") == 0) {
				file_info(c, where, a[*i + 1], &ex, &dir, err);
				if (op[1] == 'd')
					update_val(&t, ex && dir);
				else if (op[1] == 'e')
					update_val(&t, ex);
				else
					update_val(&t, ex && !dir);
				*i += 2;
				continue;
			}
			if (strcmp(op, "-s") == 0) {
				char path[IB_MAX_PATH + 1], *data;
				size_t len;
				ib_err e;
				bool v = false;

				if (image_path(c, where, a[*i + 1], false, path,
				        sizeof(path), &e) == 0 &&
				    ib_bootfs_read(c->g->fs, path, &data, &len,
				        &e) == 0) {
					v = len > 0;
					free(data);
				}
				update_val(&t, v);
				*i += 2;
				continue;
			}
			if (strcmp(op, "-n") == 0 || strcmp(op, "-z") == 0) {
				update_val(&t,
				    (a[*i + 1][0] != '\0') == (op[1] == 'n'));
				*i += 2;
				continue;
			}
		}
		if (strcmp(a[*i], ")") == 0) {
			(*i)++;
			return t.or_ || t.and_;
		}
		if (strcmp(a[*i], "(") == 0) {
			(*i)++;
			if (depth >= IB_MAX_GRUB_NEST) {
				note(c->g,
				    "%s: test nested deeper than %u: taken as "
				    "false",
				    where, IB_MAX_GRUB_NEST);
				*i = n;
				return false;
			}
			update_val(&t,
			    test_parse(c, where, a, i, n, depth + 1, ti, err));
			continue;
		}
		if (strcmp(a[*i], "!") == 0) {
			t.invert = !t.invert;
			(*i)++;
			continue;
		}
		if (strcmp(a[*i], "-a") == 0) {
			(*i)++;
			continue;
		}
		if (strcmp(a[*i], "-o") == 0) {
			t.or_ = t.or_ || t.and_;
			t.and_ = true;
			(*i)++;
			continue;
		}
		/* "No test found. Interpret if as just a string." */
		ti->string = true;
		update_val(&t, a[*i][0] != '\0');
		(*i)++;
	}
	return t.or_ || t.and_;
}

/* The words of a test, for a note. */
static void
test_text(char **a, size_t n, char *buf, size_t size)
{
	size_t o, k;

	buf[0] = '\0';
	for (o = k = 0; k < n && o + 8 < size; k++) {
		if (k > 0)
			buf[o++] = ' ';
		ib_quote(buf + o, size - o, a[k], strlen(a[k]));
		o += strlen(buf + o);
	}
}

static int
cmd_test(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	struct tinfo ti = { false };
	char tb[256];
	size_t i, n;
	bool v;

	n = av->n;
	if (strcmp(av->v[0], "[") == 0 && n > 1 &&
	    strcmp(av->v[n - 1], "]") == 0)
		n--;
	i = 1;
	v = test_parse(c, where, av->v, &i, n, 0, &ti, err);
	if (n == 1)
		note(c->g,
		    "%s: an empty test is true (test.c starts from true)",
		    where);
	else if (ti.string) {
		test_text(av->v + 1, n - 1, tb, sizeof(tb));
		note(c->g,
		    "%s: test '%s' has a word that is no operator: GRUB takes a "
		    "non-empty string as true and runs nothing; %s",
		    where, tb, v ? "true" : "false");
	}
	c->status = v ? 0 : 1;
	return 0;
}

/* --- commands --- */

typedef int cmd_fn(struct ctx *, const char *, struct argv *, ib_err *);

static int
set_var(struct ctx *c, const char *where, const char *name, const char *value,
    ib_err *err)
{
	char qb[256];

	if (env_set(c->env, name, value, err) == -1)
		return ib_err_prefix(err, "%s: ", where);
	if (strcmp(name, "root") == 0 && strcmp(value, ISO_DEV) != 0)
		note(c->g, "%s: root=%s: files are still read from the image",
		    where, q(qb, sizeof(qb), value));
	c->status = 0;
	return 0;
}

/* set NAME=VALUE (kern/corecmd.c: only the first argument counts). */
static int
cmd_set(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	char *eq, qb[256];

	c->status = 0;
	if (av->n < 2)
		return 0;
	eq = strchr(av->v[1], '=');
	if (eq == NULL) {
		note(c->g, "%s: set %s: not an assignment (GRUB fails)", where,
		    q(qb, sizeof(qb), av->v[1]));
		c->status = 1;
		return 0;
	}
	*eq = '\0';
	return set_var(c, where, av->v[1], eq + 1, err);
}

static int
cmd_unset(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	(void)where;
	(void)err;
	for (size_t i = 1; i < av->n; i++)
		env_unset(c->env, av->v[i]);
	c->status = 0;
	return 0;
}

static int
cmd_export(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	for (size_t i = 1; i < av->n; i++)
		if (env_export(c->env, av->v[i], err) == -1)
			return ib_err_prefix(err, "%s: ", where);
	c->status = 0;
	return 0;
}

static int
cmd_true(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	(void)where;
	(void)err;
	c->status = strcmp(av->v[0], "false") == 0 ? 1 : 0;
	return 0;
}

/* search [--file|--label|--fs-uuid] [--set[=VAR]] [--hint...] KEY */
static int
cmd_search(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	char path[IB_MAX_PATH + 1], qk[256], qv[64];
	const char *var, *key, *a;
	bool file, opts, dotted, named;

	var = "root";
	named = false;
	key = NULL;
	file = strcmp(av->v[0], "search.file") == 0;
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
		note(c->g, "%s: search without a key: GRUB fails", where);
		c->status = 1;
		return 0;
	}
	q(qk, sizeof(qk), key);
	q(qv, sizeof(qv), var);
	if (file &&
	    image_path(c, where, key, true, path, sizeof(path), err) == -1)
		return -1;
	if (file && !ib_bootfs_exists(c->g->fs, path))
		note(c->g,
		    "%s: search %s: no such file here (GRUB would look on other "
		    "disks); taken to be the image itself, %s=" ISO_DEV,
		    where, qk, qv);
	else
		note(c->g,
		    "%s: search %s: taken to find the image itself, %s=" ISO_DEV,
		    where, qk, qv);
	return set_var(c, where, var, ISO_DEV, err);
}

static int
cmd_load_env(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	(void)av;
	(void)err;
	note(c->g,
	    "%s: load_env reads grubenv (saved_entry...): unknown to a static "
	    "reader, nothing set",
	    where);
	c->status = 0;
	return 0;
}

static int run_file(struct ctx *c, const char *where, struct argv *av,
    bool newctx, ib_err *err);

static int
cmd_source(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	return run_file(c, where, av, false, err);
}

static int
cmd_configfile(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	return run_file(c, where, av, true, err);
}

/* The kernel command line (grub-core/lib/cmdline.c, upstream): words
 * joined by one space; \ ' " get a backslash; a word with a space is
 * put in double quotes. */
static char *
cmdline_new(char *const *v, size_t n, ib_err *err)
{
	struct sb b;
	bool space;

	memset(&b, 0, sizeof(b));
	b.max = IB_MAX_CMDLINE;
	for (size_t i = 0; i < n; i++) {
		space = strchr(v[i], ' ') != NULL;
		if ((i > 0 && sb_addc(&b, ' ', err) == -1) ||
		    (space && sb_addc(&b, '"', err) == -1))
			goto fail;
		for (const char *p = v[i]; *p != '\0'; p++)
			if (((*p == '\\' || *p == '\'' || *p == '"') &&
			        sb_addc(&b, '\\', err) == -1) ||
			    sb_addc(&b, *p, err) == -1)
				goto fail;
		if (space && sb_addc(&b, '"', err) == -1)
			goto fail;
	}
	return sb_take(&b, err);
fail:
	sb_release(&b);
	return NULL;
}

static void
body_release(struct body *b)
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
	note(c->g, "%s: %s outside a menu entry: ignored", where, cmd);
	c->status = 0;
	return false;
}

/* linux, linux16, linuxefi FILE ARGS... */
static int
cmd_linux(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	char path[IB_MAX_PATH + 1];
	char *k, *args;

	if (!in_body(c, where, av->v[0]))
		return 0;
	if (av->n < 2) {
		note(c->g, "%s: %s without a file: GRUB fails", where,
		    av->v[0]);
		c->status = 1;
		return 0;
	}
	if (image_path(c, where, av->v[1], false, path, sizeof(path), err) ==
	    -1)
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
	body_release(c->ent);
	c->ent->kernel = k;
	c->ent->args = args;
	c->ent->kind = IB_KIND_LINUX;
	c->ent->loaded = true;
	if (strlen("BOOT_IMAGE=") + strlen(av->v[1]) + 1 + strlen(args) > 2047)
		note(c->g,
		    "%s: command line longer than 2047 bytes: GRUB drops the "
		    "words that do not fit the kernel's cmdline_size",
		    where);
	c->status = 0;
	return 0;
}

/* initrd, initrd16, initrdefi F1 F2...: loaded in order (2.4). */
static int
cmd_initrd(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	char path[IB_MAX_PATH + 1], qb[256];
	char **list;
	const char *f, *colon;
	size_t n;

	if (!in_body(c, where, av->v[0]))
		return 0;
	c->status = 1;
	if (!c->ent->loaded || c->ent->kind != IB_KIND_LINUX) {
		note(c->g,
		    "%s: %s before linux: GRUB fails ('you need to load the "
		    "kernel first')",
		    where, av->v[0]);
		return 0;
	}
	if (av->n < 2) {
		note(c->g, "%s: %s without a file: GRUB fails", where,
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
			note(c->g,
			    "%s: %s: the file goes into a cpio archive "
			    "GRUB makes",
			    where, q(qb, sizeof(qb), f));
			f = colon + 1;
		}
		if (image_path(c, where, f, false, path, sizeof(path), err) ==
		        -1 ||
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
static int
cmd_chainloader(struct ctx *c, const char *where, struct argv *av, ib_err *err)
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
	if (image_path(c, where, f, false, path, sizeof(path), err) == -1)
		return -1;
	k = strdup(path);
	if (k == NULL)
		return ib_err_errno(err, ENOMEM, "%s: chainloader", where);
	body_release(c->ent);
	c->ent->kernel = k;
	c->ent->kind = IB_KIND_BOOTSECTOR;
	c->ent->loaded = true;
	c->status = 0;
	return 0;
}

/* boot: what is loaded boots now; the rest of the body never runs. */
static int
cmd_boot(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	(void)err;
	if (!in_body(c, where, av->v[0]))
		return 0;
	if (!c->ent->loaded) {
		note(c->g, "%s: boot with nothing loaded: GRUB fails", where);
		c->status = 1;
		return 0;
	}
	c->flow = F_STOP;
	return 0;
}

/* exit, reboot, halt, fwsetup: the entry boots nothing. */
static int
cmd_end(struct ctx *c, const char *where, struct argv *av, ib_err *err)
{
	static const char *const names[] = { "exit", "reboot", "halt",
		"fwsetup" };

	(void)err;
	if (!in_body(c, where, av->v[0]))
		return 0;
	body_release(c->ent);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(av->v[0], names[i]) == 0)
			c->ent->end = names[i];
	c->flow = F_STOP;
	return 0;
}

static int
cmd_flow(struct ctx *c, const char *where, struct argv *av, ib_err *err)
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
			grub_strtoul(av->v[1], c->g->pc, &v, &end);
			c->status = (int)(to_int(v) & 0xff);
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
	{ "[", cmd_test },
	{ "boot", cmd_boot },
	{ "break", cmd_flow },
	{ "chainloader", cmd_chainloader },
	{ "configfile", cmd_configfile },
	{ "continue", cmd_flow },
	{ "exit", cmd_end },
	{ "export", cmd_export },
	{ "false", cmd_true },
	{ "fwsetup", cmd_end },
	{ "halt", cmd_end },
	{ "initrd", cmd_initrd },
	{ "initrd16", cmd_initrd },
	{ "initrdefi", cmd_initrd },
	{ "linux", cmd_linux },
	{ "linux16", cmd_linux },
	{ "linuxefi", cmd_linux },
	{ "load_env", cmd_load_env },
	{ "reboot", cmd_end },
	{ "return", cmd_flow },
	{ "search", cmd_search },
	{ "search.file", cmd_search },
	{ "search.fs_label", cmd_search },
	{ "search.fs_uuid", cmd_search },
	{ "set", cmd_set },
	{ "source", cmd_source },
	{ "test", cmd_test },
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
    struct argv *av, ib_err *err)
{
	static const char *const opts[] = { "class", "users", "hotkey",
		"source", "id", "unrestricted" };
	const char *a, *eq, *id, *src, *val;
	struct level *lv;
	struct rec *r;
	struct node *parsed;
	const struct node *body;
	char qb[256];
	size_t np, k, len;
	const char **pos;
	bool done;

	if (c->mc == NULL) {
		note(c->g,
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
			note(c->g,
			    "%s: %s: bad option %s: GRUB refuses the entry",
			    where, av->v[0], q(qb, sizeof(qb), a));
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
			note(c->g,
			    "%s: --users %s: the entry asks for a password "
			    "when superusers are set",
			    where, q(qb, sizeof(qb), val));
	}
	if (np == 0 || (n->block == NULL) == (src == NULL)) {
		note(c->g, "%s: %s %s: GRUB refuses it", where, av->v[0],
		    np == 0         ? "without a title" :
		        src != NULL ? "with both --source and a block" :
		                      "without a body");
		free(pos);
		return 0;
	}
	body = n->block;
	if (src != NULL) {
		/* --source STRING: the body as text, parsed here. */
		if (parse_script(c->g, n->file, src, strlen(src), n->line,
		        &parsed, err) == -1) {
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
call(struct ctx *c, const struct func *f, const char *where, struct argv *av,
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
	rc = exec_list(c, f->body, err);
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
run_cmd(struct ctx *c, const struct node *n, struct argv *av, ib_err *err)
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
		note(c->g,
		    "%s: '%s' with a { } block is not an upstream GRUB "
		    "command%s: GRUB fails it; not a menu entry",
		    where, q(qb, sizeof(qb), name),
		    strcmp(name, "hiddenentry") == 0 ?
		        " (hiddenentry is a SUSE patch)" :
		        "");
	else if (c->cond > 0)
		note(c->g,
		    "%s: '%s' decides at boot time: taken to succeed (the "
		    "normal case on an x86_64 VM)",
		    where, q(qb, sizeof(qb), name));
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
	struct argv av;
	int rc;

	memset(&av, 0, sizeof(av));
	where_of(n, where, sizeof(where));
	rc = expand(c, n->w, n->nw, &av, err);
	if (rc == -1)
		return ib_err_prefix(err, "%s: ", where);
	c->loops++;
	for (size_t i = 0; i < av.n && rc == 0; i++) {
		rc = set_var(c, where, n->name, av.v[i], err);
		if (rc == 0)
			rc = exec_list(c, n->body, err);
		if (c->flow == F_CONTINUE)
			c->flow = F_NONE;
		if (c->flow != F_NONE)
			break;
	}
	if (c->flow == F_BREAK)
		c->flow = F_NONE;
	c->loops--;
	argv_release(&av);
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
	struct argv av;
	int rc;

	switch (n->type) {
	case N_CMD:
		memset(&av, 0, sizeof(av));
		rc = expand(c, n->w, n->nw, &av, err);
		if (rc == -1) {
			where_of(n, where, sizeof(where));
			ib_err_prefix(err, "%s: ", where);
		} else
			rc = run_cmd(c, n, &av, err);
		argv_release(&av);
		return rc;
	case N_IF:
		c->cond++;
		rc = exec_list(c, n->cond, err);
		c->cond--;
		if (rc == -1 || c->flow != F_NONE)
			return rc;
		if (c->status == 0)
			return exec_list(c, n->body, err);
		c->status = 0;
		return exec_list(c, n->els, err);
	case N_FOR:
		return exec_for(c, n, err);
	case N_WHILE:
		note(c->g,
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

static int
exec_list(struct ctx *c, const struct node *n, ib_err *err)
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
run_file(struct ctx *c, const char *where, struct argv *av, bool newctx,
    ib_err *err)
{
	char path[IB_MAX_PATH + 1], qb[QMAX];
	struct menuctx mc, tmp;
	struct gfile *f;
	struct ctx sub;
	int rc;

	c->status = 1;
	if (av->n < 2) {
		note(c->g, "%s: %s without a file: GRUB fails", where,
		    av->v[0]);
		return 0;
	}
	if (image_path(c, where, av->v[1], false, path, sizeof(path), err) ==
	    -1)
		return -1;
	q(qb, sizeof(qb), path + 1);
	if (newctx && c->ent != NULL) {
		/* Booting this entry opens another menu. */
		body_release(c->ent);
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
	if (load_file(c->g, path, &f, err) == -1) {
		if (err->code != IB_ENOTFOUND && err->code != EINVAL)
			return ib_err_prefix(err, "%s: ", where);
		note(c->g, "%s: %s %s: %s (GRUB prints an error and goes on)",
		    where, av->v[0], qb,
		    err->code == IB_ENOTFOUND ? "no such file" : "not a file");
		ib_err_clear(err);
		return 0;
	}
	if (f->script == NULL)
		return 0;
	c->g->stack[c->g->depth++] = f->path;
	if (!newctx) {
		note(c->g, "%s: source %s", where, qb);
		rc = exec_list(c, f->script, err);
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
	rc = env_copy(c->env, &mc.env, true, err);
	if (rc == 0)
		rc = exec_list(&sub, f->script, err);
	c->g->depth--;
	if (rc == 0 && mc.lv.n > 0 && c->mc != NULL) {
		note(c->g,
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
		note(c->g,
		    "%s: configfile %s has no menu entries: GRUB goes on here",
		    where, qb);
	menuctx_release(&mc);
	c->status = 0;
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
static size_t
choose_default(struct grub *g, const struct level *lv, const char *val,
    const char *in)
{
	char qv[256], qt[256];
	const char *end;
	uint64_t num;
	int64_t k;
	enum num r;

	if (val == NULL) {
		note(g, "%sno default variable: GRUB boots entry 0", in);
		return 0;
	}
	q(qv, sizeof(qv), val);
	r = grub_strtoul(val, g->pc, &num, &end);
	if (r == NUM_RANGE) {
		note(g, "%sdefault=%s is out of range: GRUB boots entry 0", in,
		    qv);
		return 0;
	}
	if (r == NUM_OK) {
		k = to_int(num);
		if (*end != '\0')
			note(g,
			    "%sdefault=%s is read as the number %lld: GRUB's "
			    "strtoul ignores the rest",
			    in, qv, (long long)k);
		if (k < 0 || (uint64_t)k >= lv->n) {
			note(g,
			    "%sdefault=%s: no entry %lld (%zu entries): GRUB "
			    "boots entry 0",
			    in, qv, (long long)k, lv->n);
			return 0;
		}
		note(g, "%sdefault=%s: entry %lld, %s", in, qv, (long long)k,
		    q(qt, sizeof(qt), lv->r[(size_t)k].title));
		return (size_t)k;
	}
	for (size_t i = 0; i < lv->n; i++) {
		const struct rec *e = &lv->r[i];

		if (entry_eq(e->title, val) ||
		    entry_eq(e->id != NULL ? e->id : e->title, val)) {
			note(g, "%sdefault=%s matches the %s of entry %zu, %s",
			    in, qv,
			    e->id != NULL && entry_eq(e->id, val) &&
			            !entry_eq(e->title, val) ?
			        "--id" :
			        "title",
			    i, q(qt, sizeof(qt), e->title));
			return i;
		}
	}
	if (strcmp(val, "saved") == 0)
		note(g,
		    "%sdefault=saved: the saved entry is in grubenv "
		    "(load_env), unknown to a static reader: entry 0 assumed",
		    in);
	else
		note(g,
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
	rc = env_copy(final, &e, false, err);
	if (rc == 0)
		rc = exec_list(&c, r->body, err);
	env_release(&e);
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
	rc = env_copy(outer, &mc.env, true, err);
	d = env_get(outer, "default");
	for (p = d; rc == 0 && p != NULL && *p != '\0'; p++) {
		if (p[0] == '>' && p[1] == '>') {
			p++;
			continue;
		}
		if (p[0] == '>')
			break;
	}
	if (rc == 0 && p != NULL && p[0] != '\0' && p[1] != '\0')
		rc = env_set(&mc.env, "default", p + 1, err);
	if (rc == 0)
		rc = exec_list(&c, r->body, err);
	if (rc == 0)
		rc = produce(g, &mc, path, on_path, depth + 1, err);
	menuctx_release(&mc);
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
		note(g,
		    "%s: entry %s loads no kernel%s%s: reported as a "
		    "localboot entry",
		    r->where, q(qt, sizeof(qt), r->title),
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
		    "in submenu %s: ", q(qt, sizeof(qt), path));
	if (on_path && mc->lv.n == 0)
		note(g, "%sno menu entries: nothing boots by default", in);
	else if (on_path)
		def = choose_default(g, &mc->lv, env_get(&mc->env, "default"),
		    in);
	for (size_t i = 0; i < mc->lv.n; i++) {
		r = &mc->lv.r[i];
		if (!r->submenu) {
			memset(&b, 0, sizeof(b));
			rc = run_body(g, r, &mc->env, &b, err);
			idx = rc == 0 ? add_entry(g, r, path, &b, err) : -1;
			body_release(&b);
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
			note(g,
			    "%s: the default entry %zu is the submenu %s: on "
			    "timeout GRUB enters it (timeout 0) and boots its "
			    "default",
			    r->where, i, q(qt, sizeof(qt), r->title));
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

	v = env_get(env, "timeout");
	if (v == NULL) {
		note(g, "no timeout variable: GRUB waits for a key");
		g->m->timeout = 0;
		return;
	}
	q(qv, sizeof(qv), v);
	if (grub_strtoul(v, g->pc, &num, &end) != NUM_OK || to_int(num) < 0) {
		note(g,
		    "timeout=%s: not a count GRUB accepts: it waits for a "
		    "key",
		    qv);
		g->m->timeout = 0;
		return;
	}
	t = to_int(num);
	style = env_get(env, "timeout_style");
	if (t == 0) {
		note(g,
		    "timeout=0: GRUB boots the default at once, without a "
		    "menu (reported as no timeout)");
		g->m->timeout = -1;
		return;
	}
	if (t > LONG_MAX / 10)
		t = LONG_MAX / 10;
	g->m->timeout = (long)t * 10;
	note(g, "timeout=%s: GRUB boots the default after %lld s", qv,
	    (long long)t);
	if (style != NULL &&
	    (strcmp(style, "hidden") == 0 || strcmp(style, "countdown") == 0))
		note(g,
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
	arena_release(&g->ar);
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
	char prefix[IB_MAX_PATH + 8], qp[QMAX];
	const char *slash;
	int rc;

	slash = strrchr(path, '/');
	snprintf(prefix, sizeof(prefix), "(" ISO_DEV ")%.*s",
	    (int)(slash - path), path);
	rc = 0;
	rc |= env_export(env, "grub_platform", err);
	rc |= env_set(env, "grub_platform", platform, err);
	rc |= env_export(env, "grub_cpu", err);
	rc |= env_set(env, "grub_cpu", g->pc ? "i386" : "x86_64", err);
	rc |= env_export(env, "root", err);
	rc |= env_set(env, "root", ISO_DEV, err);
	rc |= env_export(env, "prefix", err);
	rc |= env_set(env, "prefix", prefix, err);
	rc |= env_export(env, "cmdpath", err);
	rc |= env_set(env, "cmdpath",
	    g->pc ? "(" ISO_DEV ")" : "(" ISO_DEV ")/EFI/BOOT", err);
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		rc |= env_export(env, features[i], err);
		rc |= env_set(env, features[i], "y", err);
	}
	if (rc != 0)
		return -1;
	note(g,
	    "grub_platform=%s, grub_cpu=%s: the %s GRUB; root=" ISO_DEV
	    " and prefix=%s stand for the image itself",
	    platform, g->pc ? "i386" : "x86_64", g->pc ? "BIOS" : "UEFI",
	    q(qp, sizeof(qp), prefix));
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
	if (rc == 0 && load_file(&g, path, &f, err) == -1) {
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
		rc = exec_list(&c, f->script, err);
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
	menuctx_release(&top);
	release(&g);
	if (rc == -1) {
		ib_menu_free(g.m);
		return NULL;
	}
	return g.m;
}
