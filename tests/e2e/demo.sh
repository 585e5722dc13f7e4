#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make demo's script (examples/demo.sh), as make demo runs it: it must
# boot the Alpine-shaped ISO's real Debian kernel in qemu and see the
# guest print the marker with the command line isoboot chose.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need xorriso qemu-system-x86_64 cpio timeout
need_file /bin/busybox /usr/lib/ISOLINUX/isolinux.bin \
    /usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux
build=$(dirname "$IB_BIN")
cd "$IB_TOP" || exit 1
expect_exit 0 "examples/demo.sh boots to the marker" sh examples/demo.sh \
    "$build"
check_grep "the guest printed the marker" \
    "^isoboot demo: booted, cmdline: earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod$" \
    "$T/out"
check_grep "the demo says ok" "^demo: ok" "$T/out"
check_grep "the demo showed the hyperkit script" "^	hyperkit \\\\$" "$T/out"
check_grep "the demo showed the qemu command" "^	qemu-system-x86_64 \\\\$" \
    "$T/out"
check_grep "the demo showed isoboot's decisions" \
    "^  why: *boot/syslinux/syslinux.cfg:4: DEFAULT virt$" "$T/out"
check_grep "the second isoboot run changed nothing" \
    "^vm: up to date, nothing changed$" "$T/out"
done_testing
