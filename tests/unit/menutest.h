/*
 * menutest: assertions on boot-menu entries shared by the suites of the
 * config readers (check_syslinux, check_grubcfg). Header-only; tests only.
 */
#ifndef IB_MENUTEST_H
#define IB_MENUTEST_H

#include <stdarg.h>
#include <string.h>

#include <check.h>

#include "menu.h"

/* A Linux entry: kernel, exact argument bytes, then n initrds in load
 * order. Messages name the calling test's line and the entry (label, else
 * title). */
static inline void
tu_expect_linux_at(int line, const ib_menu_entry *e, const char *kernel,
    const char *args, size_t n, ...)
{
	const char *name;
	va_list ap;
	size_t i;

	ck_assert_msg(e != NULL, "line %d: no entry", line);
	name = e->label != NULL ? e->label :
	    e->title != NULL    ? e->title :
	                          "(unnamed)";
	ck_assert_msg(e->kind == IB_KIND_LINUX,
	    "line %d: %s: kind %s, expected linux", line, name,
	    ib_kind_name(e->kind));
	ck_assert_msg(e->kernel != NULL && strcmp(e->kernel, kernel) == 0,
	    "line %d: %s: kernel '%s', expected '%s'", line, name,
	    e->kernel != NULL ? e->kernel : "(null)", kernel);
	ck_assert_msg(e->args != NULL && strcmp(e->args, args) == 0,
	    "line %d: %s: args '%s', expected '%s'", line, name,
	    e->args != NULL ? e->args : "(null)", args);
	ck_assert_msg(e->ninitrds == n,
	    "line %d: %s: %zu initrds, expected %zu", line, name, e->ninitrds,
	    n);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);

		ck_assert_msg(strcmp(e->initrds[i], want) == 0,
		    "line %d: %s: initrd %zu '%s', expected '%s'", line, name,
		    i, e->initrds[i], want);
	}
	va_end(ap);
}

#define expect_linux(...) tu_expect_linux_at(__LINE__, __VA_ARGS__)

#endif
