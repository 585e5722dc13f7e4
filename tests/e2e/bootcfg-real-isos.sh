#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The boot configs of real ISOs Debian ships, read inside the images:
# ipxe.iso (ISOLINUX booting ipxe.krn), memtest86+x64.iso (a floppy
# image, no Linux entry: a clear error). grub-rescue-cdrom.iso is in
# syslinux-iso.sh.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
ipxe=/usr/lib/ipxe/ipxe.iso
memtest=/usr/lib/memtest86+/memtest86+x64.iso
need_file "$ipxe" "$memtest"

expect_exit 0 "ipxe.iso: -i" syslinux2cmdline -i "$ipxe" --format shell \
    --explain
CONFIG='' LABEL='' KERNEL=''
eval "$(cat "$T/out")"
check_eq "ipxe.iso: config" /isolinux.cfg "$CONFIG"
check_eq "ipxe.iso: DEFAULT label" ipxe.lkrn "$LABEL"
check_eq "ipxe.iso: the kernel it loads" /ipxe.krn "$KERNEL"
check_grep "ipxe.iso: the boot image is ISOLINUX" \
    "El Torito BIOS boot image /isolinux.bin (ISOLINUX)" "$T/err"
# ipxe.krn has a bzImage header but is iPXE: both tools say what it is.
check_grep "ipxe.iso: says ipxe.krn is not a Linux kernel" \
    "^syslinux2cmdline: $ipxe: /ipxe.krn: .*boot protocol 2.07.*not a Linux kernel (iPXE network boot loader)" \
    "$T/err"
expect_exit 0 "ipxe.iso: isoboot-extract extracts it all the same" \
    isoboot-extract "$ipxe" -C "$T/ipxe"
check_grep "ipxe.iso: isoboot-extract warns what ipxe.krn is" \
    "^isoboot-extract: $ipxe: /ipxe.krn: .*not a Linux kernel (iPXE" \
    "$T/err"
check_eq "ipxe.iso: the file extracted" 1 \
    "$([ -s "$T/ipxe/ipxe.krn" ] && echo 1)"
# A real Linux kernel (d-i netboot tree): --explain says which.
di=/usr/lib/debian-installer/images/12/amd64/text
if [ -d "$di" ]; then
	expect_exit 0 "d-i tree: --explain" syslinux2cmdline -r "$di" --explain
	check_grep "d-i tree: the kernel is Linux, a bzImage" \
	    "/debian-installer/amd64/linux is Linux 6\.[0-9.]*-[0-9]*-amd64, x86 bzImage (boot protocol 2\.1[0-9]" \
	    "$T/err"
	check_eq "d-i tree: no warning" 0 "$(grep -c warning "$T/err")"
fi

for tool in syslinux2cmdline isoboot-extract; do
	if [ $tool = syslinux2cmdline ]; then
		expect_exit 1 "memtest86+: $tool exits 1" $tool -i "$memtest"
	else
		expect_exit 1 "memtest86+: $tool exits 1" $tool "$memtest" \
		    -C "$T/mt"
	fi
	check_grep "memtest86+: $tool says there is no Linux entry" \
	    "^$tool: $memtest: the El Torito BIOS entry boots /boot/floppy.img, and there is no ISOLINUX or GRUB config: no Linux entry" \
	    "$T/err"
	check_eq "memtest86+: $tool prints one line" 1 "$(lines "$T/err")"
done
check_eq "memtest86+: nothing extracted" no \
    "$([ -e "$T/mt" ] && echo yes || echo no)"
done_testing
