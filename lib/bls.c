/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The rules below were read in (not copied from):
 *   sd252   systemd v252 src/boot/efi/boot.c: line_get_key_value,
 *           config_defaults_load_from_file, config_entry_add_type1,
 *           config_entry_parse_tries, config_load_entries,
 *           config_entry_compare, config_default_entry_select,
 *           config_title_generate; sort_pointer_array (util.c)
 *   sdmain  systemd main src/boot/boot.c, src/boot/efi-string.c
 *           (efi_fnmatch, line_get_key_value)
 *   strv    src/fundamental/string-util-fundamental.c strverscmp_improved
 *   blscfg  rhboot/grub2 fedora-43 grub-core/commands/blscfg.c (read_entry,
 *           vercmp, split_package_string, split_cmp, bls_add_entry,
 *           create_entry, find_entry), grub-core/lib/getline.c
 *   UAPI.1  uapi-group/specifications specs/boot_loader_specification.md
 * fixtures/bootcfg/bls/SOURCES names the commits.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bls.h"
#include "bounds.h"
#include "compat.h"
#include "menu_int.h"

static char *
dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Append s (taken over; freed on failure; NULL is ENOMEM) to the vector
 * *v of *n strings with room for *cap. */
static int
strv_push(char ***v, size_t *n, size_t *cap, char *s, ib_err *err)
{
	char **nv;
	size_t c;

	if (s == NULL)
		return ib_err_errno(err, ENOMEM, "entry");
	if (*n == *cap) {
		c = *cap != 0 ? *cap * 2 : 8;
		nv = ib_reallocarray(*v, c, sizeof(*nv));
		if (nv == NULL) {
			free(s);
			return ib_err_errno(err, ENOMEM, "entry");
		}
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = s;
	return 0;
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* strtolower16: ASCII only. */
static void
ascii_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)lower((unsigned char)*s);
}

static int
cmp_int(long long a, long long b)
{
	return (a > b) - (a < b);
}

/* strcmp16 on UCS-2: unsigned units; a NULL sorts before any string. For
 * ASCII the UTF-8 bytes give the same order. */
static int
cmp_str16(const char *a, const char *b)
{
	int r;

	if (a == NULL || b == NULL)
		return cmp_int(a != NULL, b != NULL);
	r = strcmp(a, b);
	return (r > 0) - (r < 0);
}

/* ---- one entry file ---- */

typedef int (*kv_fn)(void *ctx, const char *k, size_t kl, const char *v,
    size_t vl, unsigned line, ib_err *err);

/*
 * sd252 line_get_key_value over the file's bytes: the loader reads the
 * file as a C string, so a NUL ends it; '\n' and '\r' each end a line;
 * blanks (space, tab) around a line go; '#' starts a comment; the key
 * runs to the first blank, lines without one are skipped; one pair of
 * double quotes around the value goes (sdmain: single quotes too). A line
 * of blanks only is skipped: sd252 walks past its end there (its blank
 * loop is unguarded), sdmain skips it.
 */
static int
sd_lines(const char *data, size_t len, kv_fn fn, void *ctx, ib_err *err)
{
	const char *nul, *s, *v;
	size_t pos, start, n, k, vl;
	unsigned line, next;

	nul = memchr(data, '\0', len);
	if (nul != NULL)
		len = (size_t)(nul - data);
	pos = 0;
	next = 1;
	while (pos < len) {
		start = pos;
		line = next;
		while (pos < len && data[pos] != '\n' && data[pos] != '\r')
			pos++;
		n = pos - start;
		if (pos < len) {
			/* CRLF counts as one line for messages. */
			if (data[pos] == '\n' ||
			    (pos + 1 < len && data[pos + 1] != '\n') ||
			    pos + 1 == len)
				next++;
			pos++;
		}
		s = data + start;
		while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
			s++;
			n--;
		}
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0 || s[0] == '#')
			continue;
		for (k = 0; k < n && s[k] != ' ' && s[k] != '\t'; k++)
			;
		if (k == n)
			continue;
		v = s + k;
		while (*v == ' ' || *v == '\t')
			v++;
		vl = (size_t)(s + n - v);
		if (v[0] == '"' && s[n - 1] == '"') {
			/* `key "` leaves an empty value, as sd252's does */
			vl = vl >= 2 ? vl - 2 : 0;
			v++;
		}
		if (fn(ctx, s, k, v, vl, line, err) == -1)
			return -1;
	}
	return 0;
}

/*
 * blscfg read_entry with grub_file_getline: lines end at '\n', every '\r'
 * is dropped, a NUL ends the line's text (a C string); leading blanks go;
 * '#' starts a comment; the key ends at the first space, else at the
 * first tab ("linux\t/a b" has the key "linux\t/a"); a line without a
 * separator or with nothing after it ends the whole file (an empty line
 * too); the value keeps trailing blanks.
 */
static int
grub_lines(const char *data, size_t len, kv_fn fn, void *ctx, ib_err *err)
{
	char *buf, *b, *sep, *v;
	size_t pos, o;
	unsigned line;
	int rc;

	buf = malloc(len + 1);
	if (buf == NULL)
		return ib_err_errno(err, ENOMEM, "entry");
	rc = 0;
	pos = 0;
	line = 0;
	while (pos < len) {
		line++;
		o = 0;
		for (; pos < len && data[pos] != '\n'; pos++)
			if (data[pos] != '\r')
				buf[o++] = data[pos];
		if (pos < len)
			pos++;
		buf[o] = '\0';
		b = buf;
		while (*b == ' ' || *b == '\t')
			b++;
		if (*b == '#')
			continue;
		sep = strchr(b, ' ');
		if (sep == NULL)
			sep = strchr(b, '\t');
		if (sep == NULL || sep[1] == '\0')
			break;
		*sep = '\0';
		v = sep + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		rc = fn(ctx, b, (size_t)(sep - b), v, strlen(v), line, err);
		if (rc == -1)
			break;
	}
	free(buf);
	return rc;
}

struct build {
	ib_bls_entry *e;
	ib_bls_rules rules;
	size_t initrdcap;
};

static bool
key_is(const char *k, size_t kl, const char *name)
{
	return strlen(name) == kl && memcmp(k, name, kl) == 0;
}

/* A single-valued key: systemd-boot keeps the last, blscfg's bls_get_val
 * the first. */
static int
set_one(struct build *b, char **slot, const char *v, size_t vl, ib_err *err)
{
	char *d;

	if (*slot != NULL && b->rules == IB_BLS_GRUB)
		return 0;
	d = dupn(v, vl);
	if (d == NULL)
		return ib_err_errno(err, ENOMEM, "entry");
	free(*slot);
	*slot = d;
	return 0;
}

static int
add_initrd(struct build *b, const char *v, size_t vl, ib_err *err)
{
	ib_bls_entry *e = b->e;

	if (e->ninitrds >= IB_MAX_INITRDS)
		return ib_err_set(err, IB_ELIMIT, "more than %u initrd lines",
		    IB_MAX_INITRDS);
	return strv_push(&e->initrds, &e->ninitrds, &b->initrdcap, dupn(v, vl),
	    err);
}

/* systemd-boot joins "options" lines with one space ("%ls %ls"); blscfg
 * takes the first line only. */
static int
add_options(struct build *b, const char *v, size_t vl, ib_err *err)
{
	ib_bls_entry *e = b->e;
	size_t ol;
	char *d;

	if (e->options == NULL || b->rules == IB_BLS_GRUB)
		return set_one(b, &e->options, v, vl, err);
	ol = strlen(e->options);
	d = realloc(e->options, ol + 1 + vl + 1);
	if (d == NULL)
		return ib_err_errno(err, ENOMEM, "entry");
	d[ol] = ' ';
	memcpy(d + ol + 1, v, vl);
	d[ol + 1 + vl] = '\0';
	e->options = d;
	return 0;
}

static int
on_key(void *ctx, const char *k, size_t kl, const char *v, size_t vl,
    unsigned line, ib_err *err)
{
	struct build *b = ctx;
	ib_bls_entry *e = b->e;
	bool is_linux;

	if (key_is(k, kl, "title"))
		return set_one(b, &e->title, v, vl, err);
	if (key_is(k, kl, "version"))
		return set_one(b, &e->version, v, vl, err);
	if (key_is(k, kl, "machine-id"))
		return set_one(b, &e->machine_id, v, vl, err);
	if (key_is(k, kl, "sort-key"))
		return set_one(b, &e->sort_key, v, vl, err);
	if (key_is(k, kl, "devicetree"))
		return set_one(b, &e->devicetree, v, vl, err);
	if (key_is(k, kl, "architecture")) {
		/* sd252 stops reading at the first that differs from its own
		 * architecture; the first is the one that decides. */
		if (e->architecture != NULL)
			return 0;
		return set_one(b, &e->architecture, v, vl, err);
	}
	if (key_is(k, kl, "initrd"))
		return add_initrd(b, v, vl, err);
	if (key_is(k, kl, "options"))
		return add_options(b, v, vl, err);
	if (key_is(k, kl, "linux") || key_is(k, kl, "efi")) {
		is_linux = key_is(k, kl, "linux");
		if (set_one(b, is_linux ? &e->kernel : &e->efi, v, vl, err) ==
		    -1)
			return -1;
		e->both = e->kernel != NULL && e->efi != NULL;
		/* sd252: the last of the two sets the type (sdmain drops an
		 * entry that has both); blscfg: "linux" wins. */
		if (b->rules == IB_BLS_SDBOOT ||
		    (is_linux ? e->type != IB_BLS_LINUX :
		                e->type == IB_BLS_NONE)) {
			e->type = is_linux ? IB_BLS_LINUX : IB_BLS_EFI;
			e->type_line = line;
		}
	}
	return 0;
}

/* sd252 config_entry_parse_tries: "+LEFT" or "+LEFT-DONE" right before
 * ".conf" (exactly: sdmain ignores case there), at the last '+'. */
static void
parse_tries(ib_bls_entry *e)
{
	const char *p, *plus;
	unsigned long long left, done;

	plus = strrchr(e->file, '+');
	if (plus == NULL)
		return;
	p = plus + 1;
	if (!is_digit((unsigned char)*p))
		return;
	for (left = 0; is_digit((unsigned char)*p); p++) {
		left = left * 10 + (unsigned)(*p - '0');
		if (left > INT_MAX)
			return;
	}
	done = 0;
	if (*p == '-') {
		p++;
		if (!is_digit((unsigned char)*p))
			return;
		for (; is_digit((unsigned char)*p); p++) {
			done = done * 10 + (unsigned)(*p - '0');
			if (done > INT_MAX)
				return;
		}
	}
	if (strcmp(p, ".conf") != 0)
		return;
	e->tries_left = (int)left;
	e->tries_done = (int)done;
}

static int
set_names(ib_bls_entry *e, const char *path, ib_bls_rules rules, ib_err *err)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	e->path = strdup(path);
	e->file = strdup(slash != NULL ? slash + 1 : path);
	if (e->path == NULL || e->file == NULL)
		return ib_err_errno(err, ENOMEM, "entry");
	n = strlen(e->file);
	if (rules == IB_BLS_GRUB) {
		/* read_entry: the name without its ".conf" */
		if (n > 5 && strcmp(e->file + n - 5, ".conf") == 0)
			n -= 5;
		e->id = dupn(e->file, n);
	} else {
		e->id = strdup(e->file);
		if (e->id != NULL)
			ascii_lower(e->id);
	}
	if (e->id == NULL)
		return ib_err_errno(err, ENOMEM, "entry");
	if (rules == IB_BLS_SDBOOT)
		parse_tries(e);
	return 0;
}

ib_bls_entry *
ib_bls_parse(const char *path, const char *data, size_t len, ib_bls_rules rules,
    ib_err *err)
{
	struct build b;
	ib_bls_entry *e;
	int rc;

	if (len > IB_MAX_CONFIG) {
		ib_err_set(err, IB_ELIMIT, "larger than %u bytes",
		    IB_MAX_CONFIG);
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		ib_err_errno(err, ENOMEM, "entry");
		return NULL;
	}
	e->tries_left = e->tries_done = -1;
	memset(&b, 0, sizeof(b));
	b.e = e;
	b.rules = rules;
	if (set_names(e, path, rules, err) == -1)
		goto fail;
	rc = rules == IB_BLS_GRUB ? grub_lines(data, len, on_key, &b, err) :
	                            sd_lines(data, len, on_key, &b, err);
	if (rc == -1)
		goto fail;
	return e;
fail:
	ib_bls_entry_free(e);
	return NULL;
}

void
ib_bls_entry_free(ib_bls_entry *e)
{
	size_t i;

	if (e == NULL)
		return;
	free(e->path);
	free(e->file);
	free(e->id);
	free(e->title);
	free(e->version);
	free(e->machine_id);
	free(e->sort_key);
	free(e->kernel);
	free(e->efi);
	for (i = 0; i < e->ninitrds; i++)
		free(e->initrds[i]);
	free(e->initrds);
	free(e->options);
	free(e->devicetree);
	free(e->architecture);
	free(e);
}

/* ---- loader.conf ---- */

/* sd252 parse_number8: digits only, at least one, no overflow. */
static bool
parse_count(const char *v, size_t vl, uint64_t *out)
{
	uint64_t u = 0;
	size_t i;

	if (vl == 0)
		return false;
	for (i = 0; i < vl; i++) {
		if (!is_digit((unsigned char)v[i]) || u > (UINT64_MAX - 9) / 10)
			return false;
		u = u * 10 + (unsigned)(v[i] - '0');
	}
	*out = u;
	return true;
}

static void
bad_line(ib_bls_loader_conf *c, unsigned line)
{
	if (c->nbad++ == 0)
		c->bad_line = line;
}

static int
on_conf(void *ctx, const char *k, size_t kl, const char *v, size_t vl,
    unsigned line, ib_err *err)
{
	ib_bls_loader_conf *c = ctx;
	uint64_t u;
	char *d;

	if (key_is(k, kl, "timeout")) {
		/* sdmain adds "menu-disabled"; sd252 refuses it. */
		if (key_is(v, vl, "menu-force"))
			c->timeout = IB_BLS_TIMEOUT_MENU_FORCE;
		else if (key_is(v, vl, "menu-hidden"))
			c->timeout = 0;
		else if (!parse_count(v, vl, &u) || u > UINT32_MAX) {
			bad_line(c, line);
			return 0;
		} else
			/* UINT32_MAX is TIMEOUT_MENU_FORCE's own value. */
			c->timeout = u == UINT32_MAX ?
			    IB_BLS_TIMEOUT_MENU_FORCE :
			    (int64_t)u;
		c->timeout_line = line;
		return 0;
	}
	if (key_is(k, kl, "default")) {
		if (vl > 0 && v[0] == '@' &&
		    !(vl == 6 && strncasecmp(v, "@saved", 6) == 0)) {
			bad_line(c, line);
			return 0;
		}
		d = dupn(v, vl);
		if (d == NULL)
			return ib_err_errno(err, ENOMEM, "loader.conf");
		ascii_lower(d);
		free(c->def);
		c->def = d;
		c->def_line = line;
		c->def_saved = strcmp(d, "@saved") == 0;
	}
	return 0;
}

int
ib_bls_loader_conf_parse(const char *data, size_t len, ib_bls_loader_conf *out,
    ib_err *err)
{
	ib_bls_loader_conf c;

	if (len > IB_MAX_CONFIG)
		return ib_err_set(err, IB_ELIMIT, "larger than %u bytes",
		    IB_MAX_CONFIG);
	memset(&c, 0, sizeof(c));
	c.timeout = IB_BLS_TIMEOUT_UNSET;
	if (sd_lines(data, len, on_conf, &c, err) == -1) {
		ib_bls_loader_conf_release(&c);
		return -1;
	}
	*out = c;
	return 0;
}

void
ib_bls_loader_conf_release(ib_bls_loader_conf *c)
{
	free(c->def);
	memset(c, 0, sizeof(*c));
}

/* ---- the loaders' comparisons ---- */

static bool
version_char(int c)
{
	return is_digit(c) || is_alpha(c) || c == '~' || c == '-' || c == '^' ||
	    c == '.';
}

/* One of strverscmp_improved's prefix characters: the string that has it
 * is older ('~' is handled before the end check, the others after). */
static int
prefix_cmp(const unsigned char **a, const unsigned char **b, int ch)
{
	int r;

	if (**a != ch && **b != ch)
		return 0;
	r = cmp_int(**a != ch, **b != ch);
	if (r == 0) {
		(*a)++;
		(*b)++;
	}
	return r;
}

int
ib_bls_strverscmp(const char *sa, const char *sb)
{
	const unsigned char *a, *b, *aa, *bb;
	size_t la, lb;
	int r;

	a = (const unsigned char *)(sa != NULL ? sa : "");
	b = (const unsigned char *)(sb != NULL ? sb : "");
	for (;;) {
		while (*a != '\0' && !version_char(*a))
			a++;
		while (*b != '\0' && !version_char(*b))
			b++;
		if ((r = prefix_cmp(&a, &b, '~')) != 0)
			return r;
		/* Past '~', the one with more segments is newer. */
		if (*a == '\0' || *b == '\0')
			return cmp_int(*a, *b);
		if ((r = prefix_cmp(&a, &b, '-')) != 0 ||
		    (r = prefix_cmp(&a, &b, '^')) != 0 ||
		    (r = prefix_cmp(&a, &b, '.')) != 0)
			return r;
		if (is_digit(*a) || is_digit(*b)) {
			for (aa = a; is_digit(*aa); aa++)
				;
			for (bb = b; is_digit(*bb); bb++)
				;
			/* A number is newer than no number. */
			if ((r = cmp_int(a != aa, b != bb)) != 0)
				return r;
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			if ((r = cmp_int(aa - a, bb - b)) != 0)
				return r;
			r = memcmp(a, b, (size_t)(aa - a));
			if (r != 0)
				return (r > 0) - (r < 0);
		} else {
			for (aa = a; is_alpha(*aa); aa++)
				;
			for (bb = b; is_alpha(*bb); bb++)
				;
			la = (size_t)(aa - a);
			lb = (size_t)(bb - b);
			r = memcmp(a, b, la < lb ? la : lb);
			if (r != 0)
				return (r > 0) - (r < 0);
			if ((r = cmp_int((long long)la, (long long)lb)) != 0)
				return r;
		}
		a = aa;
		b = bb;
	}
}

static bool
grub_alnum(int c)
{
	return is_digit(c) || is_alpha(c);
}

/*
 * blscfg's vercmp: rpm's rpmvercmp of 2019 (separators are anything but
 * letters, digits, '~'; '~' sorts before everything) with Fedora's '+':
 * like '~' except that a string ending where the other has '+' is older.
 * '^' (rpm 4.15) is a separator here. Segments are compared without being
 * cut out of the string, which is what the NULs blscfg writes do.
 */
int
ib_bls_vercmp(const char *sa, const char *sb)
{
	const unsigned char *one, *two, *s1, *s2;
	size_t l1, l2, n;
	bool num;
	int r;

	if (strcmp(sa, sb) == 0)
		return 0;
	one = (const unsigned char *)sa;
	two = (const unsigned char *)sb;
	while (*one != '\0' || *two != '\0') {
		while (*one != '\0' && !grub_alnum(*one) && *one != '~' &&
		    *one != '+')
			one++;
		while (*two != '\0' && !grub_alnum(*two) && *two != '~' &&
		    *two != '+')
			two++;
		if (*one == '~' || *two == '~') {
			if (*one != '~')
				return 1;
			if (*two != '~')
				return -1;
			one++;
			two++;
			continue;
		}
		if (*one == '+' || *two == '+') {
			if (*one == '\0')
				return -1;
			if (*two == '\0')
				return 1;
			if (*one != '+')
				return 1;
			if (*two != '+')
				return -1;
			one++;
			two++;
			continue;
		}
		if (*one == '\0' || *two == '\0')
			break;
		s1 = one;
		s2 = two;
		num = is_digit(*s1);
		while (*s1 != '\0' && (num ? is_digit(*s1) : is_alpha(*s1)))
			s1++;
		while (*s2 != '\0' && (num ? is_digit(*s2) : is_alpha(*s2)))
			s2++;
		/* A number against letters (an empty number): newer. */
		if (two == s2)
			return num ? 1 : -1;
		if (num) {
			while (one < s1 && *one == '0')
				one++;
			while (two < s2 && *two == '0')
				two++;
			if (s1 - one != s2 - two)
				return s1 - one > s2 - two ? 1 : -1;
		}
		l1 = (size_t)(s1 - one);
		l2 = (size_t)(s2 - two);
		n = l1 < l2 ? l1 : l2;
		r = memcmp(one, two, n);
		if (r == 0)
			r = cmp_int((long long)l1, (long long)l2);
		if (r != 0)
			return r < 0 ? -1 : 1;
		one = s1;
		two = s2;
	}
	if (*one == '\0' && *two == '\0')
		return 0;
	return *one == '\0' ? -1 : 1;
}

/* sdmain efi_fnmatch_prefix: match p against the start of h up to the end
 * of both or to the next '*' (then *rp, *rh say where). */
static bool
fnmatch_prefix(const unsigned char *p, const unsigned char *h,
    const unsigned char **rp, const unsigned char **rh)
{
	bool first, can_range, match;
	unsigned char low;

	for (;; p++, h++) {
		switch (*p) {
		case '\0':
			return *h == '\0';
		case '\\':
			p++;
			if (*p == '\0' || *p != *h)
				return false;
			break;
		case '?':
			if (*h == '\0')
				return false;
			break;
		case '*':
			while (*p == '*')
				p++;
			*rp = p;
			*rh = h;
			return true;
		case '[':
			if (*h == '\0')
				return false;
			can_range = true;
			match = false;
			for (first = true;; first = false) {
				p++;
				if (*p == '\0')
					return false;
				if (*p == '\\') {
					p++;
					if (*p == '\0')
						return false;
					if (*p == *h)
						match = true;
					can_range = true;
					continue;
				}
				if (*p == ']' && !first)
					break;
				/* a range unless '-' is first or last */
				if (*p == '-' && can_range && !first &&
				    p[1] != ']') {
					low = p[-1];
					p++;
					if (*p == '\\')
						p++;
					if (*p == '\0')
						return false;
					if (low <= *h && *h <= *p)
						match = true;
					/* [a-c-f] is [-abcf] */
					can_range = false;
					continue;
				}
				if (*p == *h)
					match = true;
				can_range = true;
			}
			if (!match)
				return false;
			break;
		default:
			if (*p != *h)
				return false;
		}
	}
}

/* sdmain efi_fnmatch: the pattern as simple patterns joined by '*', each
 * looked for in order without backtracking. */
bool
ib_bls_fnmatch(const char *pattern, const char *s)
{
	const unsigned char *p, *h, *pt, *ht;
	bool first, match;

	p = (const unsigned char *)pattern;
	h = (const unsigned char *)s;
	for (first = true;;) {
		pt = ht = NULL;
		match = fnmatch_prefix(p, h, &pt, &ht);
		if (first) {
			if (!match)
				return false;
			if (pt == NULL)
				return true;
			first = false;
		}
		if (pt != NULL) {
			p = pt;
			h = ht;
		} else {
			if (match || *h == '\0')
				return match;
			h++;
		}
	}
}

/* blscfg split_package_string: release after the last '-', version after
 * the one before, the rest the name; a missing version takes the
 * release's place. */
static void
split_nvr(char *s, const char **name, const char **ver, const char **rel)
{
	char *r, *v;

	r = strrchr(s, '-');
	if (r != NULL)
		*r++ = '\0';
	v = strrchr(s, '-');
	if (v != NULL)
		*v++ = '\0';
	*name = s;
	*ver = v != NULL ? v : r;
	*rel = v != NULL ? r : NULL;
	if (*ver == NULL)
		*ver = "";
	if (*rel == NULL)
		*rel = "";
}

/* blscfg bls_cmp: 1 when a is newer. */
static int
grub_cmp(const ib_bls_entry *a, const ib_bls_entry *b)
{
	const char *n0, *v0, *r0, *n1, *v1, *r1;
	char *x, *y;
	int r;

	x = strdup(a->id);
	y = strdup(b->id);
	if (x == NULL || y == NULL) {
		/* out of memory: the order of the names */
		free(x);
		free(y);
		r = strcmp(a->id, b->id);
		return (r > 0) - (r < 0);
	}
	split_nvr(x, &n0, &v0, &r0);
	split_nvr(y, &n1, &v1, &r1);
	r = ib_bls_vercmp(n0, n1);
	if (r == 0)
		r = ib_bls_vercmp(v0, v1);
	if (r == 0)
		r = ib_bls_vercmp(r0, r1);
	free(x);
	free(y);
	return r;
}

/* sd252 config_entry_compare. */
static int
sd_cmp(const ib_bls_entry *a, const ib_bls_entry *b)
{
	int r;

	if ((r = cmp_int(a->tries_left == 0, b->tries_left == 0)) != 0)
		return r;
	/* both with a sort key: sort key, machine id, version; one: it
	 * comes first; none: the id alone */
	if ((r = cmp_int(a->sort_key == NULL, b->sort_key == NULL)) != 0)
		return r;
	if (a->sort_key != NULL &&
	    ((r = cmp_str16(a->sort_key, b->sort_key)) != 0 ||
	        (r = cmp_str16(a->machine_id, b->machine_id)) != 0 ||
	        (r = -ib_bls_strverscmp(a->version, b->version)) != 0))
		return r;
	if ((r = -ib_bls_strverscmp(a->id, b->id)) != 0)
		return r;
	if (a->tries_left < 0 || b->tries_left < 0)
		return 0;
	if ((r = -cmp_int(a->tries_left, b->tries_left)) != 0)
		return r;
	return cmp_int(a->tries_done, b->tries_done);
}

int
ib_bls_compare(const ib_bls_entry *a, const ib_bls_entry *b, ib_bls_rules rules)
{
	int r;

	if (rules == IB_BLS_GRUB)
		return -grub_cmp(a, b);
	r = sd_cmp(a, b);
	if (r == 0) {
		/* readdir's order decides in systemd-boot (its sort is
		 * stable); names in byte order here */
		r = strcmp(a->file, b->file);
		r = (r > 0) - (r < 0);
	}
	return r;
}

/* ---- a directory of entries ---- */

struct names {
	char **v;
	size_t n, cap;
	ib_bls_rules rules;
	const char *dir;
	ib_menu *notes;
};

static bool
ends_conf(const char *name, bool icase)
{
	size_t n = strlen(name);

	if (n < 5)
		return false;
	return icase ? strcasecmp(name + n - 5, ".conf") == 0 :
	               strcmp(name + n - 5, ".conf") == 0;
}

static int
take_name(void *ctx, const char *name, bool is_dir, ib_err *err)
{
	struct names *nm = ctx;

	if (name[0] == '.' || is_dir)
		return 0;
	if (nm->rules == IB_BLS_SDBOOT) {
		/* config_load_entries: ".conf" in any case, no "auto-"
		 * (sdmain ignores its case too) */
		if (!ends_conf(name, true))
			return 0;
		if (strncmp(name, "auto-", 5) == 0) {
			if (nm->notes != NULL)
				ib_menu_asidef(nm->notes,
				    "%s/%s: systemd-boot skips names starting "
				    "auto- (its own entries' ids)",
				    nm->dir + 1, name);
			return 0;
		}
	} else if (strlen(name) <= 5 || !ends_conf(name, false))
		return 0;
	if (nm->n >= IB_MAX_BLS_ENTRIES)
		return ib_err_set(err, IB_ELIMIT, "more than %u entry files",
		    IB_MAX_BLS_ENTRIES);
	return strv_push(&nm->v, &nm->n, &nm->cap, strdup(name), err);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
names_release(struct names *nm)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

/* A stable merge sort by ib_bls_compare: systemd-boot sorts with an
 * insertion sort (sort_pointer_array), which gives the same order for a
 * comparison that is a total order, in O(n log n) comparisons here. */
static void
merge_sort(ib_bls_entry **v, ib_bls_entry **tmp, size_t n, ib_bls_rules r)
{
	size_t h, i, j, k;

	if (n < 2)
		return;
	h = n / 2;
	merge_sort(v, tmp, h, r);
	merge_sort(v + h, tmp, n - h, r);
	for (i = 0, j = h, k = 0; i < h || j < n;)
		tmp[k++] =
		    j == n || (i < h && ib_bls_compare(v[i], v[j], r) <= 0) ?
		    v[i++] :
		    v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/* blscfg bls_add_entry: into the list before the first entry it is newer
 * than; an entry as new as one already there is dropped. Returns 1 if
 * kept. */
static int
grub_insert(ib_bls_list *l, ib_bls_entry *e, ib_menu *notes)
{
	size_t i;
	int rc;

	for (i = 0; i < l->n; i++) {
		rc = grub_cmp(e, l->e[i]);
		if (rc == 0) {
			if (notes != NULL)
				ib_menu_notef(notes,
				    "%s: blscfg drops it: its id %s compares "
				    "equal to %s's, read before it",
				    e->path + 1, e->id, l->e[i]->file);
			return 0;
		}
		if (rc == 1)
			break;
	}
	memmove(l->e + i + 1, l->e + i, (l->n - i) * sizeof(*l->e));
	l->e[i] = e;
	l->n++;
	return 1;
}

static int
list_dir(ib_bootfs *fs, const char *dir, struct names *nm, ib_err *err)
{
	nm->dir = dir;
	return ib_bootfs_list(fs, dir, take_name, nm, err);
}

int
ib_bls_load(ib_bootfs *fs, const char *dir, ib_bls_rules rules,
    ib_bls_list *out, ib_menu *notes, ib_err *err)
{
	char path[IB_MAX_PATH + 1];
	ib_bls_entry **tmp, *e;
	struct names nm;
	ib_bls_list l;
	uint64_t total;
	size_t i, len;
	char *data;
	ib_err le;
	int rc;

	memset(&nm, 0, sizeof(nm));
	memset(&l, 0, sizeof(l));
	nm.rules = rules;
	nm.notes = notes;
	ib_err_clear(&le);
	rc = list_dir(fs, dir != NULL ? dir : "/loader/entries", &nm, &le);
	/* blscfg find_entry: the same under /boot when the first cannot be
	 * listed (and no blsdir was set) */
	if (rc == -1 && dir == NULL && rules == IB_BLS_GRUB &&
	    le.code != IB_ELIMIT && le.code != ENOMEM) {
		names_release(&nm);
		memset(&nm, 0, sizeof(nm));
		nm.rules = rules;
		nm.notes = notes;
		ib_err_clear(&le);
		rc = list_dir(fs, "/boot/loader/entries", &nm, &le);
	}
	if (rc == -1 && le.code != IB_ENOTFOUND && le.code != ENOTDIR) {
		*err = le;
		ib_err_prefix(err, "%s", nm.dir + 1);
		names_release(&nm);
		return -1;
	}
	if (rc == -1 && notes != NULL)
		ib_menu_notef(notes, "%s: no such directory: no entries",
		    nm.dir + 1);
	if (nm.n > 1)
		qsort(nm.v, nm.n, sizeof(*nm.v), cmp_names);
	l.e = calloc(nm.n > 0 ? nm.n : 1, sizeof(*l.e));
	if (l.e == NULL) {
		names_release(&nm);
		return ib_err_errno(err, ENOMEM, "entries");
	}
	total = 0;
	for (i = 0; i < nm.n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", nm.dir,
		        nm.v[i]) >= sizeof(path)) {
			ib_err_set(err, IB_ELIMIT, "%s/%s: path too long",
			    nm.dir + 1, nm.v[i]);
			goto fail;
		}
		if (ib_bootfs_read(fs, path, &data, &len, err) == -1) {
			ib_err_prefix(err, "%s", path + 1);
			goto fail;
		}
		total += len;
		if (total > IB_MAX_BLS_BYTES) {
			free(data);
			ib_err_set(err, IB_ELIMIT,
			    "%s: entry files larger than %u bytes in all",
			    nm.dir + 1, IB_MAX_BLS_BYTES);
			goto fail;
		}
		e = ib_bls_parse(path, data, len, rules, err);
		free(data);
		if (e == NULL) {
			ib_err_prefix(err, "%s", path + 1);
			goto fail;
		}
		if (rules == IB_BLS_SDBOOT)
			l.e[l.n++] = e;
		else if (grub_insert(&l, e, notes) == 0)
			ib_bls_entry_free(e);
	}
	if (rules == IB_BLS_SDBOOT && l.n > 1) {
		tmp = calloc(l.n, sizeof(*tmp));
		if (tmp == NULL) {
			ib_err_errno(err, ENOMEM, "entries");
			goto fail;
		}
		merge_sort(l.e, tmp, l.n, rules);
		free(tmp);
	}
	names_release(&nm);
	*out = l;
	return 0;
fail:
	names_release(&nm);
	ib_bls_list_release(&l);
	return -1;
}

void
ib_bls_list_release(ib_bls_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		ib_bls_entry_free(l->e[i]);
	free(l->e);
	memset(l, 0, sizeof(*l));
}

/* ---- menu entries ---- */

/* path (a value from an entry: relative to the root of the filesystem the
 * entry is on, UAPI.1) as an absolute path of fs. */
static char *
abs_path(const char *v, size_t n, ib_err *err)
{
	char in[IB_MAX_PATH + 1], out[IB_MAX_PATH + 1];
	char *d;

	if (n >= sizeof(in)) {
		ib_err_set(err, IB_ELIMIT, "path longer than %u bytes",
		    IB_MAX_PATH);
		return NULL;
	}
	memcpy(in, v, n);
	in[n] = '\0';
	if (ib_bootfs_path_resolve("/", in, out, sizeof(out)) == -1) {
		ib_err_set(err, IB_ELIMIT, "path longer than %u bytes",
		    IB_MAX_PATH);
		return NULL;
	}
	d = strdup(out);
	if (d == NULL)
		ib_err_errno(err, ENOMEM, "entry");
	return d;
}

static char *
where_of(const ib_bls_entry *e)
{
	char buf[IB_MAX_PATH + 32];

	snprintf(buf, sizeof(buf), "%s:%u", e->path + 1, e->type_line);
	return strdup(buf);
}

static bool
blank(int c)
{
	return c == ' ' || c == '\t';
}

/* The next blank-separated word of *s (GRUB's parser splits the line
 * blscfg writes); its length, 0 at the end. */
static size_t
next_word(const char **s)
{
	const char *p = *s;
	size_t n;

	while (blank(*p))
		p++;
	for (n = 0; p[n] != '\0' && !blank(p[n]); n++)
		;
	*s = p;
	return n;
}

static int
push_path(ib_menu_entry *m, size_t *cap, const char *w, size_t n, ib_err *err)
{
	char *p;

	if (m->ninitrds >= IB_MAX_INITRDS)
		return ib_err_set(err, IB_ELIMIT, "more than %u initrds",
		    IB_MAX_INITRDS);
	/* A variable ($tuned_initrd) is the GRUB reader's to expand. */
	if (memchr(w, '$', n) != NULL)
		p = dupn(w, n);
	else if ((p = abs_path(w, n, err)) == NULL)
		return -1;
	return strv_push(&m->initrds, &m->ninitrds, cap, p, err);
}

int
ib_bls_grub_entry(const ib_bls_entry *e, ib_menu_entry *out, ib_err *err)
{
	ib_menu_entry m;
	const char *s, *opts;
	size_t n, i, al, cap;

	/* create_entry: "linux" and "efi" both is an error; no "linux", no
	 * entry (fedora-43; fedora-45 chainloads an "efi" alone) */
	if (e->kernel == NULL || e->efi != NULL)
		return 0;
	memset(&m, 0, sizeof(m));
	ib_err_clear(err);
	m.kind = IB_KIND_LINUX;
	m.label = strdup(e->id);
	m.title = strdup(e->title != NULL ? e->title : e->kernel);
	m.where = where_of(e);
	if (m.label == NULL || m.title == NULL || m.where == NULL) {
		ib_err_errno(err, ENOMEM, "entry");
		goto fail;
	}
	s = e->kernel;
	n = next_word(&s);
	m.kernel = abs_path(s, n, err);
	if (m.kernel == NULL)
		goto fail;
	s += n;
	while (blank(*s))
		s++;
	/* "linux ($root)K OPTIONS": the linux value's other words, then the
	 * options, or what $default_kernelopts holds */
	opts = e->options != NULL ? e->options : "$default_kernelopts";
	al = strlen(s) + 1 + strlen(opts) + 1;
	m.args = malloc(al);
	if (m.args == NULL) {
		ib_err_errno(err, ENOMEM, "entry");
		goto fail;
	}
	snprintf(m.args, al, "%s%s%s", s, *s != '\0' ? " " : "", opts);
	cap = 0;
	for (i = 0; i < e->ninitrds; i++)
		for (s = e->initrds[i]; (n = next_word(&s)) > 0; s += n)
			if (push_path(&m, &cap, s, n, err) == -1)
				goto fail;
	*out = m;
	return 1;
fail:
	ib_menu_entry_release(&m);
	return -1;
}

/* ---- systemd-boot's menu ---- */

struct sdmenu {
	ib_bootfs *fs;
	ib_menu *m;
	const char *arch;
	ib_bls_loader_conf conf;
	bool have_conf;
	ib_bls_list l;
	const ib_bls_entry **kept; /* entries systemd-boot adds, in order */
	char **titles;             /* their title_show */
	size_t nkept;
};

/* Whether systemd-boot 252 adds e to its menu (config_entry_add_type1's
 * checks); a note when not. -1 with *err when fs cannot tell. */
static int
sd_keeps(struct sdmenu *s, const ib_bls_entry *e, ib_err *err)
{
	char *p;
	int rc;

	if (e->type == IB_BLS_NONE) {
		ib_menu_notef(s->m,
		    "%s: no linux or efi line: systemd-boot leaves it out",
		    e->path + 1);
		return 0;
	}
	if (e->both)
		ib_menu_notef(s->m,
		    "%s:%u: both linux and efi: systemd-boot 252 loads the "
		    "last (%s); newer versions leave the entry out",
		    e->path + 1, e->type_line,
		    e->type == IB_BLS_LINUX ? "linux" : "efi");
	if (e->architecture != NULL && s->arch == NULL)
		ib_menu_asidef(s->m,
		    "%s: architecture %s: not checked (no architecture "
		    "given)",
		    e->path + 1, e->architecture);
	/* sd252 compares exactly (sdmain ignores case) with its own name,
	 * "x64", "aa64"... */
	if (e->architecture != NULL && s->arch != NULL &&
	    strcmp(e->architecture, s->arch) != 0) {
		ib_menu_notef(s->m,
		    "%s: architecture %s, not %s: systemd-boot leaves it out",
		    e->path + 1, e->architecture, s->arch);
		return 0;
	}
	p = abs_path(e->type == IB_BLS_LINUX ? e->kernel : e->efi,
	    strlen(e->type == IB_BLS_LINUX ? e->kernel : e->efi), err);
	if (p == NULL)
		return -1;
	rc = ib_bootfs_lookup(s->fs, p, err);
	if (rc == 0)
		ib_menu_notef(s->m,
		    "%s:%u: %s %s: no such file: systemd-boot leaves the "
		    "entry out",
		    e->path + 1, e->type_line,
		    e->type == IB_BLS_LINUX ? "linux" : "efi", p);
	else if (rc == -1)
		ib_err_prefix(err, "%s:%u: %s", e->path + 1, e->type_line, p);
	free(p);
	return rc;
}

static bool
titles_unique(char **t, bool *uniq, size_t n)
{
	bool all = true;
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = i + 1; k < n; k++)
			if (strcmp(t[i], t[k]) == 0)
				all = uniq[i] = uniq[k] = false;
	return all;
}

/* sd252 config_title_generate: the title (else the id), then for titles
 * shown twice " (version)", then " (8 digits of machine-id)", then
 * " (id)". */
static int
make_titles(struct sdmenu *s, ib_err *err)
{
	const ib_bls_entry *e;
	bool *uniq;
	size_t i, n, sz;
	int pass;
	char *t;

	n = s->nkept;
	uniq = calloc(n > 0 ? n : 1, sizeof(*uniq));
	s->titles = calloc(n > 0 ? n : 1, sizeof(*s->titles));
	if (uniq == NULL || s->titles == NULL) {
		free(uniq);
		return ib_err_errno(err, ENOMEM, "titles");
	}
	for (i = 0; i < n; i++) {
		e = s->kept[i];
		uniq[i] = true;
		s->titles[i] = strdup(e->title != NULL ? e->title : e->id);
		if (s->titles[i] == NULL)
			goto nomem;
	}
	for (pass = 0; pass < 3 && !titles_unique(s->titles, uniq, n); pass++) {
		for (i = 0; i < n; i++) {
			if (uniq[i])
				continue;
			e = s->kept[i];
			uniq[i] = true;
			if ((pass == 0 && e->version == NULL) ||
			    (pass == 1 && e->machine_id == NULL))
				continue;
			sz = strlen(s->titles[i]) + strlen(e->id) + 16 +
			    (pass == 0 ? strlen(e->version) : 0);
			t = malloc(sz);
			if (t == NULL)
				goto nomem;
			if (pass == 0)
				snprintf(t, sz, "%s (%s)", s->titles[i],
				    e->version);
			else if (pass == 1)
				snprintf(t, sz, "%s (%.8s)", s->titles[i],
				    e->machine_id);
			else
				snprintf(t, sz, "%s (%s)", s->titles[i], e->id);
			free(s->titles[i]);
			s->titles[i] = t;
		}
	}
	free(uniq);
	return 0;
nomem:
	free(uniq);
	return ib_err_errno(err, ENOMEM, "titles");
}

static int
add_sd_entry(struct sdmenu *s, size_t i, ib_err *err)
{
	const ib_bls_entry *e = s->kept[i];
	ib_menu_entry m;
	size_t k;

	memset(&m, 0, sizeof(m));
	m.kind = e->type == IB_BLS_LINUX ? IB_KIND_LINUX : IB_KIND_BOOTSECTOR;
	m.label = strdup(e->id);
	m.title = strdup(s->titles[i]);
	m.where = where_of(e);
	/* an "efi" entry gets no initrds and no command line built by
	 * systemd-boot's Linux loader: the program is what it is */
	m.args = strdup(
	    e->options != NULL && e->type == IB_BLS_LINUX ? e->options : "");
	if (m.label == NULL || m.title == NULL || m.where == NULL ||
	    m.args == NULL) {
		ib_menu_entry_release(&m);
		return ib_err_errno(err, ENOMEM, "entry");
	}
	m.kernel = e->type == IB_BLS_LINUX ?
	    abs_path(e->kernel, strlen(e->kernel), err) :
	    abs_path(e->efi, strlen(e->efi), err);
	if (m.kernel == NULL)
		goto fail;
	if (e->type == IB_BLS_LINUX && e->ninitrds > 0) {
		m.initrds = calloc(e->ninitrds, sizeof(*m.initrds));
		if (m.initrds == NULL) {
			ib_err_errno(err, ENOMEM, "entry");
			goto fail;
		}
		/* each "initrd" value is one path, blanks and all
		 * (xstra_to_path) */
		for (k = 0; k < e->ninitrds; k++) {
			m.initrds[k] =
			    abs_path(e->initrds[k], strlen(e->initrds[k]), err);
			if (m.initrds[k] == NULL)
				goto fail;
			m.ninitrds++;
		}
	}
	if (e->type == IB_BLS_EFI)
		ib_menu_notef(s->m,
		    "%s:%u: efi %s: an EFI program, not a Linux kernel",
		    e->path + 1, e->type_line, m.kernel);
	return ib_menu_add(s->m, &m, err) == -1 ? -1 : 0;
fail:
	ib_menu_entry_release(&m);
	return -1;
}

static int
read_conf(struct sdmenu *s, ib_err *err)
{
	char *data;
	size_t len;
	ib_err e;

	ib_err_clear(&e);
	if (ib_bootfs_read(s->fs, "/loader/loader.conf", &data, &len, &e) ==
	    -1) {
		if (e.code != IB_ENOTFOUND) {
			*err = e;
			return ib_err_prefix(err, "loader/loader.conf");
		}
		ib_menu_notef(s->m,
		    "loader/loader.conf: no such file: no default pattern, no "
		    "timeout");
		return 0;
	}
	if (ib_bls_loader_conf_parse(data, len, &s->conf, err) == -1) {
		free(data);
		return ib_err_prefix(err, "loader/loader.conf");
	}
	free(data);
	s->have_conf = true;
	if (s->conf.nbad > 0)
		ib_menu_notef(s->m,
		    "loader/loader.conf:%u: systemd-boot 252 ignores %u line%s "
		    "it cannot parse (a timeout that is no count, a default "
		    "@name other than @saved)",
		    s->conf.bad_line, s->conf.nbad,
		    s->conf.nbad > 1 ? "s" : "");
	return 0;
}

/* config_default_entry_select without the EFI variables. */
static long
pick_default(struct sdmenu *s)
{
	char q[512];
	size_t i;

	ib_menu_asidef(s->m,
	    "the EFI variables LoaderEntryOneShot and LoaderEntryDefault "
	    "(bootctl set-oneshot, set-default, the menu's d key) would come "
	    "before loader.conf; a static reader cannot see them");
	if (s->conf.def != NULL && s->conf.def_saved)
		ib_menu_notef(s->m,
		    "loader/loader.conf:%u: default @saved: the entry booted "
		    "last (EFI variable LoaderEntryLastBooted) cannot be seen "
		    "here: systemd-boot falls back to its first entry",
		    s->conf.def_line);
	else if (s->conf.def != NULL) {
		ib_quote(q, sizeof(q), s->conf.def, strlen(s->conf.def));
		for (i = 0; i < s->nkept; i++)
			if (ib_bls_fnmatch(s->conf.def, s->kept[i]->id)) {
				ib_menu_notef(s->m,
				    "loader/loader.conf:%u: default %s: %s",
				    s->conf.def_line, q, s->kept[i]->id);
				return (long)i;
			}
		ib_menu_notef(s->m,
		    "loader/loader.conf:%u: default %s matches no entry id: "
		    "systemd-boot boots its first entry",
		    s->conf.def_line, q);
	}
	if (s->nkept == 0) {
		ib_menu_notef(s->m,
		    "no entries: systemd-boot shows its menu (10 s) with only "
		    "its own entries");
		return -1;
	}
	if (s->conf.def == NULL)
		ib_menu_notef(s->m,
		    "no default: systemd-boot boots its first entry (%s), in "
		    "its order: sort-key, machine-id, newest version, newest "
		    "id",
		    s->kept[0]->id);
	return 0;
}

/* config->timeout_sec: loader.conf's (the EFI variables
 * LoaderConfigTimeout and ...OneShot would win). The model: tenths, 0
 * waits, -1 boots at once. */
static void
set_sd_timeout(struct sdmenu *s)
{
	int64_t t = s->conf.timeout;

	if (s->nkept == 0) {
		s->m->timeout = 100;
		return;
	}
	if (t == IB_BLS_TIMEOUT_MENU_FORCE) {
		s->m->timeout = 0;
		ib_menu_notef(s->m,
		    "loader/loader.conf:%u: timeout menu-force: the menu "
		    "waits for a key",
		    s->conf.timeout_line);
	} else if (t == 0) {
		s->m->timeout = -1;
		ib_menu_notef(s->m,
		    "loader/loader.conf:%u: timeout 0 (or menu-hidden): "
		    "systemd-boot boots the default at once, no menu unless a "
		    "key is held",
		    s->conf.timeout_line);
	} else if (t < 0) {
		s->m->timeout = -1;
		ib_menu_notef(s->m,
		    "no timeout in loader/loader.conf: systemd-boot boots the "
		    "default at once, no menu unless a key is held");
	} else {
		s->m->timeout = t > LONG_MAX / 10 ? LONG_MAX : (long)t * 10;
		ib_menu_notef(s->m,
		    "loader/loader.conf:%u: timeout %lld: systemd-boot boots "
		    "the default after %lld s",
		    s->conf.timeout_line, (long long)t, (long long)t);
	}
}

static void
sdmenu_release(struct sdmenu *s)
{
	size_t i;

	for (i = 0; s->titles != NULL && i < s->nkept; i++)
		free(s->titles[i]);
	free(s->titles);
	free(s->kept);
	ib_bls_list_release(&s->l);
	ib_bls_loader_conf_release(&s->conf);
}

ib_menu *
ib_bls_menu_new(ib_bootfs *fs, const char *arch, ib_err *err)
{
	struct sdmenu s;
	size_t i;
	long def;
	int rc;

	memset(&s, 0, sizeof(s));
	s.fs = fs;
	s.arch = arch;
	s.conf.timeout = IB_BLS_TIMEOUT_UNSET;
	s.m = ib_menu_new("systemd-boot", "/loader/loader.conf", err);
	if (s.m == NULL)
		return NULL;
	if (read_conf(&s, err) == -1 ||
	    ib_bls_load(fs, "/loader/entries", IB_BLS_SDBOOT, &s.l, s.m, err) ==
	        -1)
		goto fail;
	s.kept = calloc(s.l.n > 0 ? s.l.n : 1, sizeof(*s.kept));
	if (s.kept == NULL) {
		ib_err_errno(err, ENOMEM, "entries");
		goto fail;
	}
	for (i = 0; i < s.l.n; i++) {
		rc = sd_keeps(&s, s.l.e[i], err);
		if (rc == -1)
			goto fail;
		if (rc == 1)
			s.kept[s.nkept++] = s.l.e[i];
	}
	if (make_titles(&s, err) == -1)
		goto fail;
	for (i = 0; i < s.nkept; i++)
		if (add_sd_entry(&s, i, err) == -1)
			goto fail;
	def = pick_default(&s);
	if (def >= 0) {
		s.m->def = ib_menu_entry_dup(&s.m->e[def]);
		if (s.m->def == NULL) {
			ib_err_errno(err, ENOMEM, "menu");
			goto fail;
		}
	}
	set_sd_timeout(&s);
	sdmenu_release(&s);
	return s.m;
fail:
	sdmenu_release(&s);
	ib_menu_free(s.m);
	return NULL;
}
