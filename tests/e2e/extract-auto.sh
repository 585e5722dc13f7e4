#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot-extract ISO [-C DIR]: with no -t or -x, the kernel and initrds
# of the entry the image boots by default (or --label) are extracted under
# their basenames, with the same finder and parser as syslinux2cmdline.
# Images: fixtures/bootcfg trees with stand-in kernels, mastered with
# Debian's isolinux.bin.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need xorriso genisoimage jq
corpus=$IB_SHARED/bootcfg
isolinux=/usr/lib/ISOLINUX/isolinux.bin
need_file "$corpus/README.md" "$isolinux"

# image NAME BOOTDIR: NAME.iso from the corpus tree NAME, with a stand-in
# for every file its EXPECTED names (kernel, initrds: random bytes).
image() {
	mkdir -p "$T/$1"
	cp -R "$corpus/$1/." "$T/$1/"
	rm -f "$T/$1"/EXPECTED* "$T/$1/SOURCE"
	for f in $(sed -n -e 's/^kernel=//p' -e 's/^initrd=//p' \
	    "$corpus/$1/EXPECTED") ${3:-}; do
		mkdir -p "$T/$1$(dirname "$f")"
		head -c 100000 /dev/urandom >"$T/$1$f"
	done
	cp "$isolinux" "$T/$1/$2/isolinux.bin"
	xorriso -as mkisofs -quiet -R -b "$2/isolinux.bin" -c "$2/boot.cat" \
	    -no-emul-boot -boot-load-size 4 -boot-info-table \
	    -o "$T/$1.iso" "$T/$1" 2>/dev/null
}

image alpine-3.12-virt-x86_64 boot/syslinux
a=alpine-3.12-virt-x86_64
before=$(date +%s)
expect_exit 0 "alpine: automatic mode" \
    isoboot-extract "$T/$a.iso" -C "$T/x1" --format shell
KERNEL='' INITRD='' CMDLINE=''
eval "$(cat "$T/out")"
check_eq "alpine: KERNEL is the file written" "$T/x1/vmlinuz-virt" "$KERNEL"
check_eq "alpine: INITRD is the file written" "$T/x1/initramfs-virt" \
    "$INITRD"
check_eq "alpine: CMDLINE" \
    "modules=loop,squashfs,sd-mod,usb-storage quiet console=tty0 console=ttyS0,115200" \
    "$CMDLINE"
check_files "alpine: kernel bytes" "$T/$a/boot/vmlinuz-virt" \
    "$T/x1/vmlinuz-virt"
check_files "alpine: initrd bytes" "$T/$a/boot/initramfs-virt" \
    "$T/x1/initramfs-virt"
check_eq "alpine: only those two files" 2 \
    "$(find "$T/x1" -type f | wc -l | tr -d ' ')"
check_eq "alpine: stamped with the current time" 1 \
    "$([ "$(mtime "$T/x1/vmlinuz-virt")" -ge "$before" ] && echo 1)"
expect_exit 0 "alpine: plain output" \
    isoboot-extract "$T/$a.iso" -C "$T/x2"
check_eq "alpine: plain output lists the files, then the command line" \
    "$T/x2/vmlinuz-virt|$T/x2/initramfs-virt|modules=loop,squashfs,sd-mod,usb-storage quiet console=tty0 console=ttyS0,115200" \
    "$(tr '\n' '|' <"$T/out" | sed 's/|$//')"

expect_exit 0 "alpine: --format json" \
    isoboot-extract "$T/$a.iso" -C "$T/x3" --format json
check_eq "alpine: json names the files written" \
    "$T/x3/vmlinuz-virt $T/x3/initramfs-virt" \
    "$(jq -j '.files.kernel, " ", .files.initrds[0]' "$T/out")"
check_eq "alpine: json entry: image paths and the exact command line" \
    "/boot/vmlinuz-virt|/boot/initramfs-virt|modules=loop,squashfs,sd-mod,usb-storage quiet console=tty0 console=ttyS0,115200|virt" \
    "$(jq -j '.entry | .kernel, "|", .initrds[0], "|", .cmdline, "|", .label' \
        "$T/out")"
check_files "alpine: json mode extracts the same bytes" \
    "$T/$a/boot/vmlinuz-virt" "$T/x3/vmlinuz-virt"
expect_exit 0 "alpine: --print --format json" \
    isoboot-extract --print "$T/$a.iso" --format json
check_eq "alpine: --print json has no files (nothing written)" null \
    "$(jq -c '.files' "$T/out")"

# --print: the choice, nothing written.
expect_exit 0 "alpine: --print" isoboot-extract --print "$T/$a.iso" \
    -C "$T/none"
check_eq "alpine: --print shows image paths" "/boot/vmlinuz-virt" \
    "$(head -n 1 "$T/out")"
check_eq "alpine: --print writes nothing" no \
    "$([ -e "$T/none" ] && echo yes || echo no)"

# From a pipe: the same bytes.
run sh -c 'cat "$1" | isoboot-extract - -C "$2"' sh "$T/$a.iso" "$T/pipe"
check_eq "alpine from a pipe: exit 0" 0 "$rc"
check_files "alpine from a pipe: kernel bytes" "$T/$a/boot/vmlinuz-virt" \
    "$T/pipe/vmlinuz-virt"

# Three initrds, in load order.
image alpine-3.13-extended-x86_64 boot/syslinux
b=alpine-3.13-extended-x86_64
expect_exit 0 "alpine extended: automatic mode" \
    isoboot-extract "$T/$b.iso" -C "$T/ext" --format shell
INITRD=''
eval "$(cat "$T/out")"
check_eq "alpine extended: three initrds in load order" \
    "$T/ext/intel-ucode.img $T/ext/amd-ucode.img $T/ext/initramfs-lts" \
    "$INITRD"
for f in intel-ucode.img amd-ucode.img initramfs-lts vmlinuz-lts; do
	check_files "alpine extended: $f bytes" "$T/$b/boot/$f" "$T/ext/$f"
done

# openSUSE: the default is LOCALBOOT; --label linux resolves relative
# names against the config directory.
image opensuse-tumbleweed-dvd-x86_64 boot/x86_64/loader \
    "/boot/x86_64/loader/linux /boot/x86_64/loader/initrd"
s=opensuse-tumbleweed-dvd-x86_64
expect_exit 1 "opensuse: LOCALBOOT default refused" \
    isoboot-extract "$T/$s.iso" -C "$T/suse"
check_grep "opensuse: names the Linux labels" "choose one with -l: linux" \
    "$T/err"
expect_exit 0 "opensuse: --label linux" \
    isoboot-extract --label linux "$T/$s.iso" -C "$T/suse"
check_files "opensuse: linux bytes" "$T/$s/boot/x86_64/loader/linux" \
    "$T/suse/linux"

# A kernel the config names but the image lacks.
rm "$T/$a/boot/initramfs-virt"
xorriso -as mkisofs -quiet -R -b boot/syslinux/isolinux.bin \
    -c boot/syslinux/boot.cat -no-emul-boot -boot-load-size 4 \
    -boot-info-table -o "$T/missing.iso" "$T/$a" 2>/dev/null
expect_exit 1 "missing initrd: exit 1" \
    isoboot-extract "$T/missing.iso" -C "$T/miss"
check_grep "missing initrd: named, with the config line" \
    "/boot/initramfs-virt: not found in image (named by boot/syslinux/syslinux.cfg:" \
    "$T/err"

# Plain ECMA-119: BOOT/VMLINUZ is /boot/vmlinuz to ISOLINUX.
mkdir -p "$T/plain/isolinux" "$T/plain/boot"
printf 'DEFAULT l\nLABEL l\nKERNEL /boot/vmlinuz\nAPPEND initrd=/boot/initrd.gz ro\n' \
    >"$T/plain/isolinux/isolinux.cfg"
head -c 5000 /dev/urandom >"$T/plain/boot/vmlinuz"
head -c 5000 /dev/urandom >"$T/plain/boot/initrd.gz"
cp "$isolinux" "$T/plain/isolinux/isolinux.bin"
genisoimage -quiet -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table \
    -o "$T/plain.iso" "$T/plain" 2>/dev/null
expect_exit 0 "plain ECMA-119: automatic mode" \
    isoboot-extract "$T/plain.iso" -C "$T/pl"
# Found without regard to case, written under the config's name: the
# path printed is the file written (it was VMLINUZ, printed as vmlinuz).
check_files "plain ECMA-119: the kernel, found without regard to case" \
    "$T/plain/boot/vmlinuz" "$T/pl/vmlinuz"
check_eq "plain ECMA-119: the paths printed" \
    "$T/pl/vmlinuz $T/pl/initrd.gz" "$(sed -n '1,2p' "$T/out" | tr '\n' ' ' | sed 's/ $//')"
check_files "plain ECMA-119: the initrd printed is the one written" \
    "$T/plain/boot/initrd.gz" "$(sed -n '2p' "$T/out")"

# Usage: automatic-mode options do not go with -t or -x.
expect_exit 2 "--label with -x: usage error" \
    isoboot-extract -x --label l "$T/plain.iso"
done_testing
