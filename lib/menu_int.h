/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Building a menu: for the readers in lib/ (syslinux, grub) only. */
#ifndef IB_MENU_INT_H
#define IB_MENU_INT_H

#include "menu.h"

struct ib_menu {
	ib_menu_entry *e;
	size_t n, cap;
	ib_menu_entry *def;  /* owned copy, or NULL */
	ib_menu_entry *tout; /* owned copy, or NULL */
	long timeout;
	bool prompts; /* syslinux: a boot: prompt or a menu waits for keys */
	char **notes;
	bool *aside; /* notes[i] chose nothing (ib_menu_asidef) */
	size_t nnotes, notecap;
	char *config;
	const char *loader;
};

ib_menu *ib_menu_new(const char *loader, const char *config, ib_err *err);

/* Append a copy of *e (its strings are taken over: the caller must not
 * free them). Returns the index, or -1 with *err. */
long ib_menu_add(ib_menu *m, ib_menu_entry *e, ib_err *err);

/* Add a note (printf-style); notes that fail to allocate are dropped. */
void ib_menu_notef(ib_menu *m, const char *fmt, ...) IB_PRINTF(2, 3);

/* Add a note that records what the reader saw but chose nothing by (an
 * INCLUDE of a missing file): in the notes, kept out of a summary. */
void ib_menu_asidef(ib_menu *m, const char *fmt, ...) IB_PRINTF(2, 3);

/* Add a note before all the others (a finder's reason, once the reader
 * has made its notes). */
void ib_menu_note_firstf(ib_menu *m, const char *fmt, ...) IB_PRINTF(2, 3);

/* Append copies of src's notes, aside or not, to dst's. */
void ib_menu_notes_append(ib_menu *dst, const ib_menu *src);

/* A deep copy of e for the default or timeout slot; NULL on ENOMEM. */
ib_menu_entry *ib_menu_entry_dup(const ib_menu_entry *e);

/* Release the strings of e (not e itself). */
void ib_menu_entry_release(ib_menu_entry *e);

#endif
