/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdbool.h>
#include <stdlib.h>

#include "menu_json.h"
#include "strbuf.h"

static int
add_list(ib_strbuf *b, const char *const *v, size_t n, ib_err *err)
{
	size_t i;

	if (ib_strbuf_addc(b, '[', err) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if ((i > 0 && ib_strbuf_addc(b, ',', err) == -1) ||
		    ib_strbuf_add_json(b, v[i], err) == -1)
			return -1;
	return ib_strbuf_addc(b, ']', err);
}

/*
 * ,"timeout":T,"waits":W: T the tenths of a second before the default
 * boots (0: at once), null when the menu waits for a key (W true). The
 * model's 0 means "waits"; written as is, GRUB's readers took it for
 * GRUB's timeout=0, "boot at once".
 */
static int
add_timeout(ib_strbuf *b, const ib_menu *m, ib_err *err)
{
	long t = ib_menu_timeout(m);

	if (ib_menu_waits(m))
		return ib_strbuf_adds(b, ",\"timeout\":null,\"waits\":true",
		    err);
	return ib_strbuf_addf(b, err, ",\"timeout\":%ld,\"waits\":false",
	    t > 0 ? t : 0);
}

static int
add_entry(ib_strbuf *b, const ib_menu_entry *e, const char *args, ib_err *err)
{
	if (e == NULL)
		return ib_strbuf_adds(b, "null", err);
	if (ib_strbuf_adds(b, "{\"label\":", err) == -1 ||
	    ib_strbuf_add_json(b, e->label, err) == -1 ||
	    ib_strbuf_adds(b, ",\"title\":", err) == -1 ||
	    ib_strbuf_add_json(b, e->title, err) == -1 ||
	    ib_strbuf_addf(b, err, ",\"kind\":\"%s\",\"kernel\":",
	        ib_menu_kind_name(e->kind)) == -1 ||
	    ib_strbuf_add_json(b, e->kernel, err) == -1 ||
	    ib_strbuf_adds(b, ",\"initrds\":", err) == -1 ||
	    add_list(b, (const char *const *)e->initrds, e->ninitrds, err) ==
	        -1 ||
	    ib_strbuf_adds(b, ",\"cmdline\":", err) == -1 ||
	    ib_strbuf_add_json(b, args != NULL ? args : e->args, err) == -1 ||
	    ib_strbuf_adds(b, ",\"submenu\":", err) == -1 ||
	    ib_strbuf_add_json(b, e->submenu, err) == -1 ||
	    ib_strbuf_addf(b, err, ",\"hidden\":%s,\"where\":",
	        e->hidden ? "true" : "false") == -1 ||
	    ib_strbuf_add_json(b, e->where, err) == -1)
		return -1;
	return ib_strbuf_addc(b, '}', err);
}

static int
add_menu(ib_strbuf *b, const ib_menu *m, const ib_menu_entry *chosen,
    const char *args, const ib_menu_files *files, ib_err *err)
{
	size_t i;

	if (ib_strbuf_adds(b, "{\"loader\":", err) == -1 ||
	    ib_strbuf_add_json(b, ib_menu_loader(m), err) == -1 ||
	    ib_strbuf_adds(b, ",\"config\":", err) == -1 ||
	    ib_strbuf_add_json(b, ib_menu_config(m), err) == -1 ||
	    add_timeout(b, m, err) == -1 ||
	    ib_strbuf_adds(b, ",\"entry\":", err) == -1 ||
	    add_entry(b, chosen, args, err) == -1 ||
	    ib_strbuf_adds(b, ",\"default\":", err) == -1 ||
	    add_entry(b, ib_menu_default(m), NULL, err) == -1 ||
	    ib_strbuf_adds(b, ",\"ontimeout\":", err) == -1 ||
	    add_entry(b, ib_menu_ontimeout(m), NULL, err) == -1 ||
	    ib_strbuf_adds(b, ",\"entries\":[", err) == -1)
		return -1;
	for (i = 0; i < ib_menu_count(m); i++)
		if ((i > 0 && ib_strbuf_addc(b, ',', err) == -1) ||
		    add_entry(b, ib_menu_at(m, i), NULL, err) == -1)
			return -1;
	if (ib_strbuf_adds(b, "],\"notes\":[", err) == -1)
		return -1;
	for (i = 0; i < ib_menu_nnotes(m); i++)
		if ((i > 0 && ib_strbuf_addc(b, ',', err) == -1) ||
		    ib_strbuf_add_json(b, ib_menu_note(m, i), err) == -1)
			return -1;
	if (ib_strbuf_addc(b, ']', err) == -1)
		return -1;
	if (files != NULL &&
	    (ib_strbuf_adds(b, ",\"files\":{\"kernel\":", err) == -1 ||
	        ib_strbuf_add_json(b, files->kernel, err) == -1 ||
	        ib_strbuf_adds(b, ",\"initrds\":", err) == -1 ||
	        add_list(b, files->initrds, files->ninitrds, err) == -1 ||
	        ib_strbuf_addc(b, '}', err) == -1))
		return -1;
	return ib_strbuf_adds(b, "}\n", err);
}

char *
ib_menu_json_new(const ib_menu *m, const ib_menu_entry *chosen,
    const char *args, const ib_menu_files *files, ib_err *err)
{
	ib_strbuf b = { 0 };

	if (add_menu(&b, m, chosen, args, files, err) == -1) {
		ib_strbuf_release(&b);
		return NULL;
	}
	return ib_strbuf_take(&b, err);
}
