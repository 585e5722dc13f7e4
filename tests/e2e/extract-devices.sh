#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Device nodes from Rock Ridge (PX type, PN numbers): skipped with a note
# by default, created with --devices (as root; CI runs as root). Image:
# libcdio's copying-rr.iso, whose fd0 is block 2,0 and zero is char 1,5.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
img=$IB_SHARED/isos/cdio-copying-rr.iso
need_file "$img"

expect_exit 0 "without --devices: exit 0" \
    isoboot-extract -x "$img" -C "$T/a"
check_grep "without --devices: a note names fd0" \
    "^isoboot-extract: $img: fd0: device node not created (use --devices)" \
    "$T/err"
check_eq "without --devices: no fd0" no "$([ -e "$T/a/fd0" ] && echo yes ||
    echo no)"
check_eq "without --devices: COPYING has the suite's sha256" \
    "$(grep ' COPYING$' "$IB_SHARED/isos/cdio-copying-rr.sha256" |
    cut -d' ' -f1)" "$(sha256 "$T/a/COPYING")"
chmod -R u+w "$T/a"

if [ "$(id -u)" != 0 ]; then
	if [ "${CI:-}" = true ]; then
		fail "--devices needs root, and CI runs as root"
	else
		skip "--devices: not root"
	fi
	done_testing
fi
expect_exit 0 "--devices: exit 0" \
    isoboot-extract -x --devices "$img" -C "$T/b"
check_eq "--devices: fd0 is a block device" yes \
    "$([ -b "$T/b/fd0" ] && echo yes || echo no)"
check_eq "--devices: zero is a character device" yes \
    "$([ -c "$T/b/zero" ] && echo yes || echo no)"
run ls -l "$T/b/fd0" "$T/b/zero"
check_grep "--devices: fd0 is 2, 0" ' 2, *0 .*fd0$' "$T/out"
check_grep "--devices: zero is 1, 5" ' 1, *5 .*zero$' "$T/out"
chmod -R u+w "$T/b"
done_testing
