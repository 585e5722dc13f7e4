/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The wrapper script for an ib_vm: what the recipe's hand-written one
 * did, right. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shquote.h"
#include "strbuf.h"
#include "vm.h"

/* The vpnkit part: start it, wait for its socket, stop it on exit. */
static const char vpnkit_start[] =
    "rm -f \"$state/vpnkit.eth.sock\" \"$state/vpnkit.port.sock\"\n"
    "vpnkit --ethernet=\"$state/vpnkit.eth.sock\" \\\n"
    "    --port=\"$state/vpnkit.port.sock\" &\n"
    "vpnkit_pid=$!\n"
    "# hyperkit waits forever for a socket nobody listens on: wait here,\n"
    "# with a limit, instead.\n"
    "i=0\n"
    "while [ ! -S \"$state/vpnkit.eth.sock\" ]; do\n"
    "\ti=$((i + 1))\n"
    "\tif [ \"$i\" -gt 100 ] || ! kill -0 \"$vpnkit_pid\" 2>/dev/null; "
    "then\n"
    "\t\techo \"$0: vpnkit did not start\" >&2\n"
    "\t\texit 1\n"
    "\tfi\n"
    "\tsleep 0.1\n"
    "done\n";

static const char head[] =
    "set -eu\n"
    "cd \"$(dirname \"$0\")\"\n"
    "mkdir -p \"$state\"\n"
    "if [ -f \"$state/run.pid\" ] && kill -0 \"$(cat \"$state/run.pid\")\" "
    "2>/dev/null; then\n"
    "\techo \"$0: already running (pid $(cat \"$state/run.pid\"))\" >&2\n"
    "\texit 1\n"
    "fi\n"
    "echo $$ >\"$state/run.pid\"\n"
    "vpnkit_pid=\n"
    "# shellcheck disable=SC2317 # run by the EXIT trap\n"
    "cleanup() {\n"
    "\tif [ -n \"$vpnkit_pid\" ]; then\n"
    "\t\tkill \"$vpnkit_pid\" 2>/dev/null || :\n"
    "\tfi\n"
    "\trm -f \"$state/run.pid\"\n"
    "}\n"
    "trap cleanup EXIT\n"
    "trap 'exit 130' INT\n"
    "trap 'exit 143' TERM HUP\n";

/* The hypervisor in the foreground (its serial port may be our stdin);
 * exit status 2 means the guest rebooted: start it again. */
static const char loop_head[] = "while :; do\n"
                                "\tset +e\n"
                                "\t";

static const char loop_tail[] = "\trc=$?\n"
                                "\tset -e\n"
                                "\t[ \"$rc\" -eq 2 ] || break\n"
                                "\techo \"$0: the guest rebooted; "
                                "starting it again\" >&2\n"
                                "done\n"
                                "exit \"$rc\"\n";

/* The command line of a, each line after the first indented by tabs
 * (the caller indents the first), then a newline. */
static int
add_command(ib_strbuf *b, const ib_argv *a, const char *tabs, ib_err *err)
{
	char *line;
	const char *p;
	int rc;

	line = ib_argv_render(a, 1, err);
	if (line == NULL)
		return -1;
	rc = 0;
	for (p = line; rc == 0 && *p != '\0'; p++) {
		rc = ib_strbuf_addc(b, *p, err);
		if (rc == 0 && *p == '\n' && p[1] != '\0')
			rc = ib_strbuf_adds(b, tabs, err);
	}
	free(line);
	return rc;
}

/*
 * vfkit's ",create" makes a new UEFI variable store, replacing one that
 * is there (VZEFIVariableStoreInitializationOptionAllowOverwrite): the
 * script asks for it only while there is none.
 */
static int
add_vfkit_efi(ib_strbuf *b, const ib_vm *vm, ib_err *err)
{
	ib_argv with = { 0 }, without = { 0 };
	ib_vm v = *vm;
	char *q;
	int rc;

	q = ib_shquote_new(vm->efi_vars);
	if (q == NULL)
		return ib_err_errno(err, ENOMEM, "script");
	v.efi_vars_create = true;
	rc = ib_vm_argv(&v, &with, err);
	v.efi_vars_create = false;
	rc = rc || ib_vm_argv(&v, &without, err) ||
	    ib_strbuf_addf(b, err, "if [ -e %s ]; then\n\t\t", q) ||
	    add_command(b, &without, "\t\t", err) ||
	    ib_strbuf_adds(b, "\telse\n\t\t", err) ||
	    add_command(b, &with, "\t\t", err) ||
	    ib_strbuf_adds(b, "\tfi\n", err);
	free(q);
	ib_argv_free(&with);
	ib_argv_free(&without);
	return rc != 0 ? -1 : 0;
}

char *
ib_vm_script_new(const ib_vm *vm, const ib_argv *a, ib_err *err)
{
	ib_strbuf b = { 0 };
	char *q;
	int rc;

	q = ib_shquote_new(vm->state_dir != NULL ? vm->state_dir : ".");
	rc = q == NULL ? ib_err_errno(err, ENOMEM, "script") : 0;
	if (rc == 0)
		rc = ib_strbuf_addf(&b, err,
		    "#!/bin/sh\n"
		    "# Boots the VM with %s. Made by isoboot %s.\n"
		    "state=%s\n",
		    ib_vm_target_name(vm->target), IB_VERSION, q);
	free(q);
	if (rc == 0)
		rc = ib_strbuf_adds(&b, head, err);
	if (rc == 0 && vm->net == IB_NET_VPNKIT)
		rc = ib_strbuf_adds(&b, vpnkit_start, err);
	if (rc == 0)
		rc = ib_strbuf_adds(&b, loop_head, err);
	/* The command as isoboot-cmd prints it, one level in. */
	if (rc == 0)
		rc =
		    vm->target == IB_TARGET_VFKIT && vm->firmware == IB_FW_EFI ?
		    add_vfkit_efi(&b, vm, err) :
		    add_command(&b, a, "\t", err);
	if (rc == 0)
		rc = ib_strbuf_adds(&b, loop_tail, err);
	if (rc != 0) {
		ib_strbuf_release(&b);
		return NULL;
	}
	return ib_strbuf_take(&b, err);
}
