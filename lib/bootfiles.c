#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bootfiles.h"

struct want {
	const char *name[1 + IB_BOOT_MAX_INITRDS]; /* kernel, initrds */
	bool found[1 + IB_BOOT_MAX_INITRDS];
	size_t n;
	bool icase;
	ib_extract *x;
	const volatile sig_atomic_t *cancel;
};

static int
visit(void *ctx, const ib_entry *e, ib_err *err)
{
	struct want *w;
	size_t i;

	w = ctx;
	if (w->cancel != NULL && *w->cancel != 0)
		return ib_err_set(err, IB_EINTR, "interrupted");
	if (e->type != IB_FT_REG || e->problem != NULL)
		return 0;
	for (i = 0; i < w->n; i++) {
		if (w->found[i] ||
		    !(w->icase ? strcasecmp(e->path, w->name[i] + 1) == 0 :
		                 strcmp(e->path, w->name[i] + 1) == 0))
			continue;
		w->found[i] = true;
		if (w->x != NULL && ib_extract_entry(w->x, e, err) == -1)
			return err->code == IB_EINTR ?
			    -1 :
			    ib_err_prefix(err, "%s: ", w->name[i]);
	}
	return 0;
}

int
ib_bootfiles_extract(ib_iso *iso, const ib_menu_entry *e, ib_extract *x,
    const volatile sig_atomic_t *cancel, ib_err *err)
{
	struct want w;
	size_t i;

	if (e->kernel == NULL)
		return ib_err_set(err, IB_EUNSUPPORTED,
		    "%s: the entry loads no kernel", e->where);
	if (e->ninitrds > IB_BOOT_MAX_INITRDS)
		return ib_err_set(err, IB_ELIMIT,
		    "%s: %zu initrds: more than %d", e->where, e->ninitrds,
		    IB_BOOT_MAX_INITRDS);
	memset(&w, 0, sizeof(w));
	w.icase = ib_iso_layer(iso) == IB_LAYER_ISO9660;
	w.x = x;
	w.cancel = cancel;
	w.name[w.n++] = e->kernel;
	for (i = 0; i < e->ninitrds; i++)
		w.name[w.n++] = e->initrds[i];
	if (ib_iso_walk(iso, visit, &w, err) == -1)
		return -1;
	for (i = 0; i < w.n; i++)
		if (!w.found[i])
			return ib_err_set(err, IB_ENOTFOUND,
			    "%s: not found in image (named by %s)", w.name[i],
			    e->where);
	return 0;
}

char *
ib_bootfiles_path(const char *dir, const char *path)
{
	const char *base;
	size_t n;
	char *s;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	n = strlen(dir) + strlen(base) + 2;
	s = malloc(n);
	if (s != NULL)
		snprintf(s, n, "%s/%s", dir, base);
	return s;
}
