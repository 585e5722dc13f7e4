/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The GRUB reader's small helpers: quoting and notes for messages, and
 * the arena the parsed scripts live in.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grub_int.h"
#include "menu_int.h"

/* s quoted for a message, in buf. */
const char *
ib_grub_quote(char *buf, size_t size, const char *s)
{
	return ib_quote(buf, size, s, strlen(s));
}

void
ib_grub_note(struct grub *g, const char *fmt, ...)
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

void *
ib_grub_arena_alloc(struct arena *a, size_t n, ib_err *err)
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

void
ib_grub_arena_release(struct arena *a)
{
	struct chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->total = 0;
}
