/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The GRUB 2 reader's internals, shared by its files in lib/ only
 * (grub.c, grub_*.c): the tree the parser builds, the variables, the
 * running script, and the functions that cross files.
 */
#ifndef IB_GRUB_INT_H
#define IB_GRUB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "argv.h"
#include "bootfs.h"
#include "bounds.h"
#include "errors.h"
#include "menu.h"
#include "strbuf.h"

/* "file:line" of a command; file names are quoted (and cut) for
 * messages in buffers of QMAX bytes. */
#define QMAX      256
#define WHERE_MAX (QMAX + 16)

/* The device name a static reader gives the image: GRUB for BIOS calls a
 * CD "cd"; search (2.5) is taken to find the image itself. */
#define ISO_DEV "cd"

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
	ib_strbuf run;
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
	bool pc;        /* grub_platform pc: 32-bit longs */
	bool fedora;    /* blscfg ran: Fedora's GRUB, its default rules */
	bool wildcards; /* regexp.mod loaded: wildcard.c expands names */
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

enum num {
	NUM_OK,
	NUM_BAD,
	NUM_RANGE
};

static inline bool
ib_grub_is_space(char c)
{
	/* grub_isspace */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline bool
ib_grub_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
ib_grub_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* grub_util.c */
const char *ib_grub_quote(char *buf, size_t size, const char *s);
void ib_grub_note(struct grub *g, const char *fmt, ...) IB_PRINTF(2, 3);
void *ib_grub_arena_alloc(struct arena *a, size_t n, ib_err *err);
void ib_grub_arena_release(struct arena *a);

/* grub_lex.c */
int ib_grub_lex_next(struct lexer *L, struct token *t, ib_err *err);

/* grub_parse.c */
int ib_grub_parse_script(struct grub *g, const struct gfile *f,
    const char *text, size_t len, unsigned line0, struct node **out,
    ib_err *err);

/* grub_expand.c */
const char *ib_grub_env_get(const struct env *e, const char *name);
int ib_grub_env_set(struct env *e, const char *name, const char *value,
    ib_err *err);
void ib_grub_env_unset(struct env *e, const char *name);
int ib_grub_env_export(struct env *e, const char *name, ib_err *err);
void ib_grub_env_release(struct env *e);
int ib_grub_env_copy(const struct env *src, struct env *dst, bool exported,
    ib_err *err);
void ib_grub_menuctx_release(struct menuctx *mc);
/* grub_glob.c: the names an escaped pattern matches, added to out in
 * name order; returns how many (0: keep the word), or -1 with *err. */
int ib_grub_glob(struct ctx *c, const char *pat, ib_argv *out, ib_err *err);
int ib_grub_expand(struct ctx *c, struct word *const *w, size_t nw,
    ib_argv *out, ib_err *err);
enum num ib_grub_strtoul(const char *s, bool long32, uint64_t *out,
    const char **end);
int64_t ib_grub_to_int(uint64_t v);

/* grub_test.c */
int ib_grub_cmd_test(struct ctx *c, const char *where, ib_argv *av,
    ib_err *err);

/* grub_load.c */
void ib_grub_body_release(struct body *b);
int ib_grub_cmd_linux(struct ctx *c, const char *where, ib_argv *av,
    ib_err *err);
int ib_grub_cmd_initrd(struct ctx *c, const char *where, ib_argv *av,
    ib_err *err);
int ib_grub_cmd_chainloader(struct ctx *c, const char *where, ib_argv *av,
    ib_err *err);
int ib_grub_cmd_boot(struct ctx *c, const char *where, ib_argv *av,
    ib_err *err);
int ib_grub_cmd_end(struct ctx *c, const char *where, ib_argv *av, ib_err *err);

/* grub_exec.c */
int ib_grub_exec_list(struct ctx *c, const struct node *n, ib_err *err);

/* grub_dev.c: GRUB's devices on a disk image; on an ISO or a tree, the
 * one device ISO_DEV. */
enum {
	GRUB_SEARCH_FILE,
	GRUB_SEARCH_UUID,
	GRUB_SEARCH_LABEL
};
/* The device path is on ("hd0,gpt2") and the path on it. */
int ib_grub_dev_of(struct grub *g, const char *path, char *dev, size_t devsz,
    char *inner, size_t innersz, ib_err *err);
/* The bootfs path of p on device dev: 0; 1 with a note and out "/(dev)p"
 * (found nowhere) for a device not on this disk; -1 with *err. */
int ib_grub_dev_path(struct ctx *c, const char *where, const char *dev,
    const char *p, char *out, size_t size, ib_err *err);
/* search on a disk image: 1 with the device found, 0 when none is. */
int ib_grub_dev_search(struct ctx *c, int how, const char *key, char *dev,
    size_t devsz, ib_err *err);

/* grub_bls.c: blscfg. */
int ib_grub_cmd_blscfg(struct ctx *c, const char *where, ib_argv *av,
    ib_err *err);

/* grub.c */
int ib_grub_image_path(struct ctx *c, const char *where, const char *name,
    bool relaxed, char *out, size_t size, ib_err *err);
int ib_grub_load_file(struct grub *g, const char *path, struct gfile **out,
    ib_err *err);
/* The same for text made in memory, named path (text is taken over). */
int ib_grub_load_text(struct grub *g, const char *path, char *text, size_t len,
    struct gfile **out, ib_err *err);

#endif
