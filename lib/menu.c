/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "compat.h"
#include "menu_int.h"

ib_menu *
ib_menu_new(const char *loader, const char *config, ib_err *err)
{
	ib_menu *m;

	m = calloc(1, sizeof(*m));
	if (m == NULL || (m->config = strdup(config)) == NULL) {
		free(m);
		ib_err_errno(err, ENOMEM, "menu");
		return NULL;
	}
	m->loader = loader;
	m->timeout = -1;
	return m;
}

void
ib_menu_entry_release(ib_menu_entry *e)
{
	size_t i;

	free(e->label);
	free(e->label_line);
	free(e->title);
	free(e->kernel);
	for (i = 0; i < e->ninitrds; i++)
		free(e->initrds[i]);
	free(e->initrds);
	free(e->args);
	free(e->submenu);
	free(e->where);
	memset(e, 0, sizeof(*e));
}

static char *
dup_or_null(const char *s, bool *fail)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*fail = true;
	return d;
}

ib_menu_entry *
ib_menu_entry_dup(const ib_menu_entry *e)
{
	ib_menu_entry *d;
	bool fail;
	size_t i;

	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	*d = *e;
	fail = false;
	d->label = dup_or_null(e->label, &fail);
	d->label_line = dup_or_null(e->label_line, &fail);
	d->title = dup_or_null(e->title, &fail);
	d->kernel = dup_or_null(e->kernel, &fail);
	d->args = dup_or_null(e->args, &fail);
	d->submenu = dup_or_null(e->submenu, &fail);
	d->where = dup_or_null(e->where, &fail);
	d->initrds = NULL;
	d->ninitrds = 0;
	if (e->ninitrds > 0) {
		d->initrds = calloc(e->ninitrds, sizeof(*d->initrds));
		if (d->initrds == NULL)
			fail = true;
		else
			d->ninitrds = e->ninitrds;
		for (i = 0; i < d->ninitrds; i++)
			d->initrds[i] = dup_or_null(e->initrds[i], &fail);
	}
	if (fail) {
		ib_menu_entry_release(d);
		free(d);
		return NULL;
	}
	return d;
}

long
ib_menu_add(ib_menu *m, ib_menu_entry *e, ib_err *err)
{
	ib_menu_entry *n;
	size_t cap;

	if (m->n >= IB_MAX_ENTRIES_MENU) {
		ib_menu_entry_release(e);
		return ib_err_set(err, IB_ELIMIT, "more than %u menu entries",
		    IB_MAX_ENTRIES_MENU);
	}
	if (m->n == m->cap) {
		cap = m->cap ? m->cap * 2 : 16;
		n = ib_reallocarray(m->e, cap, sizeof(*n));
		if (n == NULL) {
			ib_menu_entry_release(e);
			return ib_err_errno(err, ENOMEM, "menu");
		}
		m->e = n;
		m->cap = cap;
	}
	m->e[m->n] = *e;
	memset(e, 0, sizeof(*e));
	return (long)m->n++;
}

/* Add the note s; dropped when it cannot be allocated. */
static void
add_note(ib_menu *m, const char *s, bool aside)
{
	size_t cap;
	char **n, *d;
	bool *a;

	if (m->nnotes == m->notecap) {
		cap = m->notecap != 0 ? m->notecap * 2 : 8;
		n = ib_reallocarray(m->notes, cap, sizeof(*n));
		if (n == NULL)
			return;
		m->notes = n;
		a = ib_reallocarray(m->aside, cap, sizeof(*a));
		if (a == NULL)
			return;
		m->aside = a;
		m->notecap = cap;
	}
	d = strdup(s);
	if (d == NULL)
		return;
	m->aside[m->nnotes] = aside;
	m->notes[m->nnotes++] = d;
}

/* The note fmt, ap makes. */
static void add_notev(ib_menu *m, bool aside, const char *fmt, va_list ap)
    IB_PRINTF(3, 0);

static void
add_notev(ib_menu *m, bool aside, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	add_note(m, buf, aside);
}

void
ib_menu_notef(ib_menu *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_notev(m, false, fmt, ap);
	va_end(ap);
}

void
ib_menu_asidef(ib_menu *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_notev(m, true, fmt, ap);
	va_end(ap);
}

void
ib_menu_note_firstf(ib_menu *m, const char *fmt, ...)
{
	va_list ap;
	size_t n = m->nnotes;
	char *last;
	bool aside;

	va_start(ap, fmt);
	add_notev(m, false, fmt, ap);
	va_end(ap);
	if (m->nnotes == n || n == 0)
		return;
	/* Added at the end: move it to the front. */
	last = m->notes[n];
	aside = m->aside[n];
	memmove(m->notes + 1, m->notes, n * sizeof(*m->notes));
	memmove(m->aside + 1, m->aside, n * sizeof(*m->aside));
	m->notes[0] = last;
	m->aside[0] = aside;
}

void
ib_menu_notes_append(ib_menu *dst, const ib_menu *src)
{
	size_t i;

	for (i = 0; i < src->nnotes; i++)
		add_note(dst, src->notes[i], src->aside[i]);
}

void
ib_menu_free(ib_menu *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		ib_menu_entry_release(&m->e[i]);
	free(m->e);
	if (m->def != NULL)
		ib_menu_entry_release(m->def);
	free(m->def);
	if (m->tout != NULL)
		ib_menu_entry_release(m->tout);
	free(m->tout);
	for (i = 0; i < m->nnotes; i++)
		free(m->notes[i]);
	free(m->notes);
	free(m->aside);
	free(m->config);
	free(m);
}

size_t
ib_menu_count(const ib_menu *m)
{
	return m->n;
}

const ib_menu_entry *
ib_menu_at(const ib_menu *m, size_t i)
{
	return i < m->n ? &m->e[i] : NULL;
}

const ib_menu_entry *
ib_menu_default(const ib_menu *m)
{
	return m->def;
}

/* Two strings that may be NULL: equal. */
static bool
same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

bool
ib_menu_is_default(const ib_menu *m, const ib_menu_entry *e)
{
	const ib_menu_entry *d = m->def;

	return d != NULL && e != NULL && same(e->where, d->where) &&
	    same(e->label, d->label) && same(e->title, d->title) &&
	    same(e->submenu, d->submenu);
}

const ib_menu_entry *
ib_menu_ontimeout(const ib_menu *m)
{
	return m->tout;
}

long
ib_menu_timeout(const ib_menu *m)
{
	return m->timeout;
}

const ib_menu_entry *
ib_menu_find(const ib_menu *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->e[i].label != NULL && strcmp(m->e[i].label, name) == 0)
			return &m->e[i];
	for (i = 0; i < m->n; i++)
		if (m->e[i].title != NULL && strcmp(m->e[i].title, name) == 0)
			return &m->e[i];
	return NULL;
}

/* The labels of the Linux entries, for a message. */
static void
linux_labels(const ib_menu *m, char *buf, size_t size)
{
	size_t i, o;
	int n;

	o = 0;
	buf[0] = '\0';
	for (i = 0; i < m->n && o + 1 < size; i++) {
		if (m->e[i].kind != IB_KIND_LINUX || m->e[i].label == NULL)
			continue;
		n = snprintf(buf + o, size - o, "%s%s", o > 0 ? ", " : "",
		    m->e[i].label);
		if (n < 0 || (size_t)n >= size - o)
			break;
		o += (size_t)n;
	}
}

const ib_menu_entry *
ib_menu_choose(const ib_menu *m, const char *label, ib_err *err)
{
	const ib_menu_entry *e;
	char labels[512];

	e = label != NULL ? ib_menu_find(m, label) : m->def;
	if (e != NULL && e->kind == IB_KIND_LINUX)
		return e;
	linux_labels(m, labels, sizeof(labels));
	if (e == NULL && label != NULL)
		ib_err_set(err, IB_ENOTFOUND, "%s: no entry named '%s'%s%s",
		    m->config + 1, label,
		    labels[0] != '\0' ? "; Linux entries: " : "", labels);
	else if (e == NULL)
		ib_err_set(err, IB_ENOTFOUND, "%s: no default entry (%s)%s%s",
		    m->config + 1,
		    m->nnotes > 0 ? m->notes[m->nnotes - 1] : "no notes",
		    labels[0] != '\0' ? "; Linux entries: " : "", labels);
	else
		ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: %s entry '%s' is a %s entry, not Linux (choose one "
		    "with -l%s%s)",
		    e->where, label != NULL ? "the" : "the default",
		    e->label != NULL ? e->label : "?",
		    ib_menu_kind_name(e->kind), labels[0] != '\0' ? ": " : "",
		    labels);
	return NULL;
}

bool
ib_menu_waits(const ib_menu *m)
{
	/* syslinux with PROMPT 0 and no menu boots the default at once
	 * (SEMANTICS.md 1.6.2); otherwise TIMEOUT 0 (or none) waits. */
	if (strcmp(m->loader, "syslinux") == 0)
		return m->prompts && m->timeout <= 0 && m->tout == NULL;
	/* GRUB: timeout unset or -1 waits forever (kept as 0 here). */
	return m->timeout == 0;
}

const ib_menu_entry *
ib_menu_choose_timeout(const ib_menu *m, ib_err *err)
{
	const ib_menu_entry *e;

	if (ib_menu_waits(m) && strcmp(m->loader, "grub") == 0) {
		ib_err_set(err, IB_ENOTFOUND,
		    "%s: no timeout: GRUB waits for a key", m->config + 1);
		return NULL;
	}
	if (ib_menu_waits(m)) {
		ib_err_set(err, IB_ENOTFOUND,
		    "%s: no timeout: the menu waits for a key (TIMEOUT 0 or "
		    "none)",
		    m->config + 1);
		return NULL;
	}
	e = m->tout != NULL ? m->tout : m->def;
	if (e != NULL && e->kind == IB_KIND_LINUX)
		return e;
	if (e == NULL) {
		ib_err_set(err, IB_ENOTFOUND, "%s: nothing boots on timeout",
		    m->config + 1);
		return NULL;
	}
	ib_err_set(err, IB_EUNSUPPORTED,
	    "%s: on timeout the %s entry '%s' boots, not Linux", e->where,
	    ib_menu_kind_name(e->kind), e->label != NULL ? e->label : "?");
	return NULL;
}

size_t
ib_menu_nnotes(const ib_menu *m)
{
	return m->nnotes;
}

const char *
ib_menu_note(const ib_menu *m, size_t i)
{
	return i < m->nnotes ? m->notes[i] : NULL;
}

bool
ib_menu_note_aside(const ib_menu *m, size_t i)
{
	return i < m->nnotes && m->aside[i];
}

const char *
ib_menu_config(const ib_menu *m)
{
	return m->config;
}

const char *
ib_menu_loader(const ib_menu *m)
{
	return m->loader;
}

const char *
ib_menu_kind_name(ib_kind k)
{
	static const char *const names[] = { "linux", "com32", "localboot",
		"config", "bootsector", "bss", "pxe", "floppy", "comboot",
		"submenu", "separator", "exit" };

	return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] :
	                                                      "unknown";
}
