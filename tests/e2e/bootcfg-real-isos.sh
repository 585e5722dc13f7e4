#!/bin/sh
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
