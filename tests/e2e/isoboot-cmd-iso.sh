#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot-cmd ISO: an Alpine-shaped image (Alpine's exact syslinux.cfg,
# Debian's real kernel as boot/vmlinuz-virt, ISOLINUX as the El Torito
# boot image): the default entry's kernel and initrd are extracted into
# the state directory, its command line rewritten for the serial console
# with sr-mod added for the CD, and the image attached as the CD.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need xorriso jq
corpus=$IB_SHARED/bootcfg/alpine-3.12-virt-x86_64
kernel=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux
isolinux=/usr/lib/ISOLINUX/isolinux.bin
need_file "$corpus/boot/syslinux/syslinux.cfg" "$kernel" "$isolinux"

mkdir -p "$T/tree/boot/syslinux"
cp "$corpus/boot/syslinux/syslinux.cfg" "$T/tree/boot/syslinux/"
cp "$isolinux" "$T/tree/boot/syslinux/isolinux.bin"
cp "$kernel" "$T/tree/boot/vmlinuz-virt"
head -c 300000 /dev/urandom >"$T/tree/boot/initramfs-virt"
xorriso -as mkisofs -quiet -R -b boot/syslinux/isolinux.bin \
    -c boot/syslinux/boot.cat -no-emul-boot -boot-load-size 4 \
    -boot-info-table -o "$T/alpine-virt-3.12.0-x86_64.iso" "$T/tree" \
    2>/dev/null
iso=$T/alpine-virt-3.12.0-x86_64.iso

cd "$T" || exit 1
expect_exit 0 "hyperkit from the ISO" isoboot-cmd -t hyperkit \
    --serial-cmdline --json "$iso"
cp "$T/out" "$T/h.json"
state=alpine-virt-3.12.0-x86_64.boot
check_eq "the state directory is named after the ISO" \
    "$state/vmlinuz-virt $state/initramfs-virt" \
    "$(jq -j '.kernel, " ", .initrd' "$T/h.json")"
check_files "the kernel extracted, byte for byte" "$T/tree/boot/vmlinuz-virt" \
    "$T/$state/vmlinuz-virt"
check_files "the initrd extracted, byte for byte" \
    "$T/tree/boot/initramfs-virt" "$T/$state/initramfs-virt"
check_eq "the command line: serial console, sr-mod for the CD" \
    "earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod" \
    "$(jq -r .cmdline "$T/h.json")"
check_eq "the ISO is the CD" "$iso" "$(jq -r .cdrom "$T/h.json")"
check_eq "the kernel was inspected" 1 \
    "$(jq -r .kernel_is "$T/h.json" | grep -c '^Linux 6\.')"
check_eq "-f kexec has the extracted files and the command line" \
    "kexec,$state/vmlinuz-virt,$state/initramfs-virt,earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod" \
    "$(jq -r '.argv as $a | ($a | index("-f")) as $i | $a[$i + 1]' \
        "$T/h.json")"
check_eq "ahci-cd is the ISO" 1 \
    "$(jq -r '.argv[]' "$T/h.json" | grep -c "^3:0,ahci-cd,$iso$")"

# --label, and an unknown one.
expect_exit 0 "--label virt" isoboot-cmd -t qemu -l virt --json -C "$T/q" \
    "$iso"
check_eq "--label virt: same kernel" "$T/q/vmlinuz-virt" \
    "$(jq -r .kernel "$T/out")"
expect_exit 1 "--label nosuch" isoboot-cmd -t qemu -l nosuch -C "$T/q2" \
    "$iso"
check_grep "--label nosuch: says so" "nosuch" "$T/err"

# An image whose default entry is not Linux (memtest86+'s floppy image).
memtest=/usr/lib/memtest86+/memtest86+x64.iso
if [ -f "$memtest" ]; then
	expect_exit 1 "memtest86+ ISO: no Linux entry" isoboot-cmd -t qemu \
	    -C "$T/m" "$memtest"
	check_grep "memtest86+ ISO: says why" "no Linux entry" "$T/err"
fi
expect_exit 2 "an ISO and --kernel together" isoboot-cmd --kernel "$kernel" \
    "$iso"
done_testing
