/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "cmdline.h"
#include "compat.h"

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Insert a copy of the n bytes at s as word i, keeping a's words
 * NULL-terminated (ib_argv's promise). */
static int
insert(ib_argv *a, size_t i, const char *s, size_t n, ib_err *err)
{
	char **v, *word;
	size_t cap;

	if (a->n >= IB_MAX_ARGS)
		return ib_err_set(err, IB_ELIMIT,
		    "command line has more than %u words", IB_MAX_ARGS);
	if (a->n + 2 > a->cap) {
		cap = a->cap != 0 ? a->cap * 2 : 16;
		v = ib_reallocarray(a->v, cap, sizeof(*v));
		if (v == NULL)
			return ib_err_errno(err, ENOMEM, "command line");
		a->v = v;
		a->cap = cap;
	}
	word = malloc(n + 1);
	if (word == NULL)
		return ib_err_errno(err, ENOMEM, "command line");
	memcpy(word, s, n);
	word[n] = '\0';
	memmove(a->v + i + 1, a->v + i, (a->n - i) * sizeof(*a->v));
	a->v[i] = word;
	a->v[++a->n] = NULL;
	return 0;
}

/* Insert the words of s from position i on (Linux lib/cmdline.c: a
 * double quote toggles quoting; spaces inside quotes do not split). */
static int
insert_words(ib_argv *a, size_t i, const char *s, ib_err *err)
{
	const char *p, *start;
	bool quoted;

	if (strlen(s) > IB_MAX_CMDLINE)
		return ib_err_set(err, IB_ELIMIT,
		    "command line longer than %u bytes", IB_MAX_CMDLINE);
	p = s;
	for (;;) {
		while (is_space(*p))
			p++;
		if (*p == '\0')
			return 0;
		start = p;
		quoted = false;
		while (*p != '\0' && (quoted || !is_space(*p))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		if (insert(a, i++, start, (size_t)(p - start), err) == -1)
			return -1;
	}
}

char *
ib_cmdline_join_new(const ib_argv *a)
{
	size_t i, len, o;
	char *s;

	len = 1;
	for (i = 0; i < a->n; i++)
		len += strlen(a->v[i]) + 1;
	s = malloc(len);
	if (s == NULL)
		return NULL;
	o = 0;
	for (i = 0; i < a->n; i++) {
		if (i > 0)
			s[o++] = ' ';
		len = strlen(a->v[i]);
		memcpy(s + o, a->v[i], len);
		o += len;
	}
	s[o] = '\0';
	return s;
}

/* Whether word w is key, or "key=..." */
static bool
has_key(const char *w, const char *key)
{
	size_t n;

	n = strlen(key);
	return strncmp(w, key, n) == 0 && (w[n] == '\0' || w[n] == '=');
}

static void
drop(ib_argv *a, size_t i)
{
	free(a->v[i]);
	/* the NULL after the last word moves too */
	memmove(a->v + i, a->v + i + 1, (a->n - i) * sizeof(*a->v));
	a->n--;
}

size_t
ib_cmdline_remove(ib_argv *a, const char *key)
{
	size_t i, n;

	n = 0;
	for (i = 0; i < a->n;) {
		if (has_key(a->v[i], key)) {
			drop(a, i);
			n++;
		} else {
			i++;
		}
	}
	return n;
}

int
ib_cmdline_append(ib_argv *a, const char *s, ib_err *err)
{
	return insert_words(a, a->n, s, err);
}

int
ib_cmdline_prepend(ib_argv *a, const char *s, ib_err *err)
{
	return insert_words(a, 0, s, err);
}

int
ib_cmdline_add_module(ib_argv *a, const char *mod, ib_err *err)
{
	const char *list, *p;
	size_t i, n, len;
	char *w;

	for (i = 0; i < a->n; i++)
		if (strncmp(a->v[i], "modules=", 8) == 0)
			break;
	if (i == a->n)
		return 0;
	list = a->v[i] + 8;
	len = strlen(mod);
	for (p = list; *p != '\0'; p += n + (p[n] == ',')) {
		n = strcspn(p, ",");
		if (n == len && strncmp(p, mod, len) == 0)
			return 0;
	}
	n = strlen(a->v[i]) + len + 2;
	w = malloc(n);
	if (w == NULL)
		return ib_err_errno(err, ENOMEM, "command line");
	snprintf(w, n, "%s%s%s", a->v[i], list[0] != '\0' ? "," : "", mod);
	free(a->v[i]);
	a->v[i] = w;
	return 1;
}

int
ib_cmdline_serial(ib_argv *a, const char *dev, const char *speed, ib_err *err)
{
	static const char *const noisy[] = { "console", "earlyprintk", "vga",
		"splash", "quiet" };
	const char *sep;
	char first[160];
	size_t i, k;
	bool hit;
	int n;

	if (dev == NULL || dev[0] == '\0')
		dev = "ttyS0";
	for (i = 0; i < a->n;) {
		/* After these the words belong to init or the installed
		 * system (Debian "---"): they keep their place. */
		if (strcmp(a->v[i], "---") == 0 || strcmp(a->v[i], "--") == 0)
			break;
		hit = false;
		for (k = 0; k < sizeof(noisy) / sizeof(noisy[0]); k++)
			if (has_key(a->v[i], noisy[k]))
				hit = true;
		if (hit)
			drop(a, i);
		else
			i++;
	}
	/* earlyprintk=serial is the x86 8250 UART's early console; a
	 * virtio console (hvc0) has none. It names its port: a bare
	 * "earlyprintk=serial console=ttyS0" makes Debian 12's 6.1 kernel
	 * log "ERROR: earlyprintk= earlyser already used" at 0.000000
	 * (booted side by side in qemu; tests/e2e/boot-qemu.sh checks). */
	sep = speed != NULL && speed[0] != '\0' ? "," : "";
	if (speed == NULL)
		speed = "";
	if (strncmp(dev, "ttyS", 4) == 0)
		n = snprintf(first, sizeof(first),
		    "earlyprintk=serial,%s%s%s console=%s%s%s", dev, sep, speed,
		    dev, sep, speed);
	else
		n = snprintf(first, sizeof(first), "console=%s%s%s", dev, sep,
		    speed);
	if (n < 0 || (size_t)n >= sizeof(first))
		return ib_err_set(err, EINVAL, "serial device name too long");
	return ib_cmdline_prepend(a, first, err);
}

int
ib_cmdline_serial_parse(const char *s, char *dev, size_t devsz,
    const char **speed, ib_err *err)
{
	const char *comma = strchr(s, ',');
	size_t len = comma != NULL ? (size_t)(comma - s) : strlen(s);

	if (len == 0 || len >= devsz)
		return ib_err_set(err, EINVAL, "bad device '%s'", s);
	memcpy(dev, s, len);
	dev[len] = '\0';
	*speed = comma != NULL ? comma + 1 : NULL;
	if (*speed != NULL &&
	    ((*speed)[0] == '\0' ||
	        strspn(*speed, "0123456789") != strlen(*speed)))
		return ib_err_set(err, EINVAL, "bad speed in '%s'", s);
	return 0;
}

char *
ib_cmdline_edit_new(const char *args, const ib_cmdline_edits *ed, ib_err *err)
{
	ib_argv a = { 0 };
	char *s;
	size_t i;

	if (!ed->serial && ed->nremove == 0 && ed->nappend == 0) {
		s = strdup(args);
		if (s == NULL)
			ib_err_errno(err, ENOMEM, "command line");
		return s;
	}
	if (ib_cmdline_append(&a, args, err) == -1)
		goto fail;
	for (i = 0; i < ed->nremove; i++)
		ib_cmdline_remove(&a, ed->remove[i]);
	if (ed->serial &&
	    ib_cmdline_serial(&a, ed->serial_dev, ed->serial_speed, err) == -1)
		goto fail;
	for (i = 0; i < ed->nappend; i++)
		if (ib_cmdline_append(&a, ed->append[i], err) == -1)
			goto fail;
	s = ib_cmdline_join_new(&a);
	ib_argv_free(&a);
	if (s == NULL)
		ib_err_errno(err, ENOMEM, "command line");
	return s;
fail:
	ib_argv_free(&a);
	return NULL;
}

static bool
loader_word(const char *s, size_t n)
{
	return (n >= 7 && strncmp(s, "initrd=", 7) == 0) ||
	    (n >= 11 && strncmp(s, "BOOT_IMAGE=", 11) == 0);
}

char *
ib_cmdline_strip_loader_new(const char *s)
{
	size_t len, i, o, end;
	char *out;

	len = strlen(s);
	out = malloc(len + 1);
	if (out == NULL)
		return NULL;
	o = 0;
	i = 0;
	while (i < len) {
		if (s[i] == ' ' || (i > 0 && s[i - 1] != ' ')) {
			out[o++] = s[i++];
			continue;
		}
		/* s[i] starts a word */
		end = i;
		while (end < len && s[end] != ' ')
			end++;
		if (!loader_word(s + i, end - i)) {
			memcpy(out + o, s + i, end - i);
			o += end - i;
			i = end;
			continue;
		}
		/* Take one neighbouring space with the word: the one after
		 * it, else the one before it. */
		if (end < len)
			end++;
		else if (o > 0 && out[o - 1] == ' ')
			o--;
		i = end;
	}
	out[o] = '\0';
	return out;
}
