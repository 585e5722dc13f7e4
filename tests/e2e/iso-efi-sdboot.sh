#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# iso-efi-sdboot: an ISO whose El Torito EFI image is a FAT ESP with
# systemd-boot's loader.conf and entries, as Arch's ISOs are made
# (archiso's efiboot.img holds the kernel and initramfs too, since
# systemd-boot reads only its own ESP). On --platform efi the menu, the
# kernel and the initrd are the ESP's: the ISO 9660 tree has decoys at
# the same paths, one byte longer, that must not be taken. The ISO is
# made with xorriso, the ESP with mkfs.fat and mtools; the kernel is
# Debian's d-i kernel, booted under qemu to the test initramfs.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need isoboot syslinux2cmdline xorriso mkfs.fat mcopy mmd jq cmp \
    qemu-system-x86_64 timeout cpio gzip xz
di=/usr/lib/debian-installer/images/12/amd64/text/debian-installer
need_file "$di/amd64/linux" /bin/busybox

M=ib-sdboot-test
k=/arch/boot/x86_64
opts='archisobasedir=arch archisosearchuuid=2024-01-01-00-00-00-00'
mkdir -p "$T/esp" "$T/tree$k"
cp "$di/amd64/linux" "$T/esp/vmlinuz-linux"
sh "$IB_TOP/tests/lib/mkinitramfs.sh" "$T/esp/initramfs-linux.img" "$M"
# Decoys in the ISO 9660 tree: the same names, one byte more.
for f in vmlinuz-linux initramfs-linux.img; do
	{ cat "$T/esp/$f"; printf x; } >"$T/tree$k/$f"
done
printf 'timeout 15\ndefault 01-archiso-x86_64-linux.conf\nbeep on\n' \
    >"$T/loader.conf"
printf '%s\n' 'title    Arch Linux install medium (x86_64, UEFI)' \
    'sort-key 01' "linux    $k/vmlinuz-linux" \
    "initrd   $k/initramfs-linux.img" "options  $opts" \
    >"$T/01-archiso-x86_64-linux.conf"
printf '%s\n' 'title    Arch Linux install medium (x86_64, UEFI, speech)' \
    'sort-key 02' "linux    $k/vmlinuz-linux" \
    "initrd   $k/initramfs-linux.img" "options  $opts accessibility=on" \
    >"$T/02-archiso-x86_64-speech-linux.conf"
truncate -s 32M "$T/tree/efiboot.img"
mkfs.fat -F 16 "$T/tree/efiboot.img" >/dev/null
img="-i $T/tree/efiboot.img"
# shellcheck disable=SC2086 # $img is two words
mmd $img ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries ::/arch \
    ::/arch/boot ::$k
# shellcheck disable=SC2086
mcopy $img "$T/esp/vmlinuz-linux" "$T/esp/initramfs-linux.img" "::$k/"
# shellcheck disable=SC2086
mcopy $img "$T/loader.conf" ::/loader/
# shellcheck disable=SC2086
mcopy $img "$T/01-archiso-x86_64-linux.conf" \
    "$T/02-archiso-x86_64-speech-linux.conf" ::/loader/entries/
xorriso -as mkisofs -quiet -R -o "$T/arch.iso" -e efiboot.img \
    -no-emul-boot "$T/tree" 2>/dev/null

expect_exit 0 "syslinux2cmdline -i ISO --platform efi" syslinux2cmdline \
    -i "$T/arch.iso" --platform efi --explain
check_eq "  the default entry's options" "$opts" "$(cat "$T/out")"
check_grep "  the ESP's systemd-boot, said first" \
    "El Torito EFI image at block [0-9]*: a FAT ESP with systemd-boot" \
    "$T/err"
check_grep "  loader.conf's default" \
    "default 01-archiso-x86_64-linux.conf" "$T/err"
expect_exit 0 "  --format json" syslinux2cmdline -i "$T/arch.iso" \
    --platform efi --format json
check_eq "  JSON: systemd-boot, its kernel and initrd" \
    "systemd-boot $k/vmlinuz-linux $k/initramfs-linux.img" \
    "$(jq -r '"\(.loader) \(.entry.kernel) \(.entry.initrds[0])"' \
        "$T/out")"
expect_exit 0 "  --list has both entries" syslinux2cmdline \
    -i "$T/arch.iso" --platform efi --list
check_eq "  two of them" 2 "$(lines "$T/out")"

expect_exit 0 "isoboot ISO --platform efi -t qemu" isoboot "$T/arch.iso" \
    --platform efi -o "$T/vm" -t qemu --accel tcg --net none
for f in vmlinuz-linux initramfs-linux.img; do
	if cmp -s "$T/esp/$f" "$T/vm/$f"; then
		ok "  $f is the ESP's, not the ISO tree's decoy"
	else
		fail "  $f is the ESP's, not the ISO tree's decoy"
	fi
done
check_grep "  the ISO is the VM's CD" "media=cdrom" "$T/vm/run"
timeout 180 "$T/vm/run" </dev/null >"$T/serial" 2>&1
check_eq "  run exits 0: the guest powered off by itself" 0 "$?"
check_eq "  the guest's cmdline is DIR/cmdline" \
    "cmdline=$(cat "$T/vm/cmdline")" \
    "$(guest_report "$T/serial" "$M" | sed -n 1p)"
check_grep "  with the entry's options" "$opts" "$T/vm/cmdline"

# The ISO compressed: no hypervisor reads a compressed CD, so isoboot
# makes it whole once in DIR (and then reads its ESP as above).
xz -T1 -c "$T/arch.iso" >"$T/arch.iso.xz"
expect_exit 0 "isoboot ISO.xz --platform efi" isoboot "$T/arch.iso.xz" \
    --platform efi -o "$T/vmz" -t qemu --net none
check_grep "  made whole as DIR/arch.iso" "^  arch.iso .*unpacked image" \
    "$T/out"
if cmp -s "$T/arch.iso" "$T/vmz/arch.iso"; then
	ok "  byte for byte the ISO"
else
	fail "  byte for byte the ISO"
fi
check_grep "  the CD is the whole ISO" "file=$T/vmz/arch.iso,media=cdrom" \
    "$T/vmz/run"
check_eq "  the same command line" "$(cat "$T/vm/cmdline")" \
    "$(cat "$T/vmz/cmdline")"
# A new release under the same name: the unpacked copy is made again.
touch -d '2000-01-01' "$T/vmz/arch.iso"
expect_exit 0 "  a newer ISO.xz" isoboot "$T/arch.iso.xz" --platform efi \
    -o "$T/vmz" -t qemu --net none
check_grep "  is unpacked again" "^  arch.iso .*unpacked image .*written" \
    "$T/out"

# On BIOS the ESP is not read: this ISO has no BIOS boot image.
expect_exit 1 "--platform bios: no BIOS boot, said in one line" \
    syslinux2cmdline -i "$T/arch.iso"
check_eq "  one line" 1 "$(lines "$T/err")"

done_testing
