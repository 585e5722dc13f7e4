/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The GRUB reader's parser, for the grammar of grub-core/script/parser.y:
 * builds the tree of grub_int.h in the arena.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "grub_int.h"

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
	if (ib_grub_lex_next(&P->L, &P->tok, err) == -1)
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
is_name(const char *s)
{
	if (!ib_grub_is_alpha(*s) && *s != '_')
		return false;
	for (s++; *s != '\0'; s++)
		if (!ib_grub_is_alpha(*s) && !ib_grub_is_digit(*s) && *s != '_')
			return false;
	return true;
}

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

	n = ib_grub_arena_alloc(&P->g->ar, sizeof(*n), err);
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
		*out = ib_grub_arena_alloc(&P->g->ar,
		    sizeof(**out) * (n ? n : 1), err);
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
int
ib_grub_parse_script(struct grub *g, const struct gfile *f, const char *text,
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
			ib_grub_note(g,
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
	ib_strbuf_release(&P.L.run);
	free(P.L.parts);
	if (rc == -1)
		return -1;
	*out = head;
	return 0;
}
