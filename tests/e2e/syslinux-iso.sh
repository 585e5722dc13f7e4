#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# syslinux2cmdline -i: the config inside an ISO image, found from its El
# Torito boot catalog. Each fixtures/bootcfg tree is mastered here with
# xorriso and Debian's real isolinux.bin (a GRUB El Torito core for a
# grub.cfg) as the BIOS boot image, in the config's directory as the
# distribution has it; the answer must equal
# EXPECTED. Also: a plain ECMA-119 image (ISOLINUX ignores case there) and
# a GRUB-booting image (read with GRUB's rules).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need xorriso genisoimage
corpus=$IB_SHARED/bootcfg
isolinux=/usr/lib/ISOLINUX/isolinux.bin
need_file "$corpus/README.md" "$isolinux"

field() { sed -n "s/^$1=//p" "$2" | head -n 1; }

# master NAME TREE IMAGE: NAME.iso with TREE, booting IMAGE (in TREE)
master() {
	xorriso -as mkisofs -quiet -R -b "$3" -c "$(dirname "$3")/boot.cat" \
	    -no-emul-boot -boot-load-size 4 -boot-info-table \
	    -o "$T/$1.iso" "$2" 2>/dev/null
}

for dir in "$corpus"/*/; do
	name=$(basename "$dir")
	exp=$dir/EXPECTED
	[ -f "$exp" ] || continue
	cfg=$(field config "$exp")
	mkdir -p "$T/$name"
	cp -R "$dir". "$T/$name/"
	rm -f "$T/$name"/EXPECTED* "$T/$name/SOURCE"
	img=$(bios_boot_image "$T/$name" "$cfg")
	master "$name" "$T/$name" "$img"
	run syslinux2cmdline -i "$T/$name.iso" --format shell --explain
	check_grep "$name: says which boot image" \
	    "El Torito BIOS boot image /$img" "$T/err"
	if [ -z "$(field kernel "$exp")" ]; then
		check_eq "$name: non-Linux default: exit 1" 1 "$rc"
		continue
	fi
	check_eq "$name: exit 0" 0 "$rc"
	CONFIG='' LABEL='' KERNEL='' INITRD='' CMDLINE=''
	eval "$(cat "$T/out")"
	check_eq "$name: config" "/$cfg" "$CONFIG"
	check_eq "$name: label" "$(field default_label "$exp")" "$LABEL"
	check_eq "$name: kernel" "$(field kernel "$exp")" "$KERNEL"
	check_eq "$name: initrds" \
	    "$(sed -n 's/^initrd=//p' "$exp" | tr '\n' ' ' | sed 's/ $//')" \
	    "$INITRD"
	check_eq "$name: command line" "$(field append "$exp")" "$CMDLINE"
done

# The UEFI side (EXPECTED.efi): the same trees with an El Torito EFI entry
# too (a stand-in FAT image: only its place in the catalog matters).
for exp in "$corpus"/*/EXPECTED.efi; do
	[ -f "$exp" ] || continue
	dir=$(dirname "$exp")
	name=$(basename "$dir")
	img=$(bios_boot_image "$T/$name" "$(field config "$dir/EXPECTED")")
	head -c 2048 /dev/zero >"$T/$name/efiboot.img"
	xorriso -as mkisofs -quiet -R -b "$img" \
	    -c boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
	    -eltorito-alt-boot -e efiboot.img -no-emul-boot \
	    -o "$T/$name-efi.iso" "$T/$name" 2>/dev/null
	expect_exit 0 "$name: -i --platform efi" \
	    syslinux2cmdline -i "$T/$name-efi.iso" --platform efi \
	    --format shell
	CONFIG='' LABEL='' KERNEL='' INITRD='' CMDLINE=''
	eval "$(cat "$T/out")"
	# config= names the entry's file; GRUB starts at grub.cfg beside it.
	cfg=$(field config "$exp")
	start=$(dirname "$cfg")/grub.cfg
	[ -f "$T/$name/$start" ] || start=$cfg
	check_eq "$name (efi): config" "/$start" "$CONFIG"
	check_eq "$name (efi): label" "$(field default_label "$exp")" "$LABEL"
	check_eq "$name (efi): kernel" "$(field kernel "$exp")" "$KERNEL"
	check_eq "$name (efi): initrds" \
	    "$(sed -n 's/^initrd=//p' "$exp" | tr '\n' ' ' | sed 's/ $//')" \
	    "$INITRD"
	check_eq "$name (efi): command line" "$(field append "$exp")" \
	    "$CMDLINE"
done

# Plain ECMA-119 (no Rock Ridge): genisoimage records upper-case names;
# ISOLINUX compares them without regard to case (SEMANTICS.md 1.2).
mkdir -p "$T/plain/isolinux" "$T/plain/boot"
printf 'DEFAULT l\nLABEL l\nKERNEL /boot/vmlinuz\nAPPEND initrd=/boot/initrd.gz ro\n' \
    >"$T/plain/isolinux/isolinux.cfg"
cp "$isolinux" "$T/plain/isolinux/isolinux.bin"
genisoimage -quiet -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table \
    -o "$T/plain.iso" "$T/plain" 2>/dev/null
expect_exit 0 "plain ECMA-119 image: -i" \
    syslinux2cmdline -i "$T/plain.iso" --format shell
CONFIG='' CMDLINE=''
eval "$(cat "$T/out")"
check_eq "plain ECMA-119 image: ISOLINUX.CFG found without regard to case" \
    /isolinux/isolinux.cfg "$CONFIG"
check_eq "plain ECMA-119 image: command line" ro "$CMDLINE"

# A GRUB-booting image (grub-mkrescue's eltorito.img): its grub.cfg is
# read with GRUB's rules; this sample config's default is "GNU/Linux".
grub=/usr/lib/grub-rescue/grub-rescue-cdrom.iso
need_file "$grub"
expect_exit 0 "GRUB-booting image: -i" \
    syslinux2cmdline -i "$grub" --format shell --explain
check_grep "GRUB-booting image: names the GRUB boot image" \
    "El Torito BIOS boot image /boot/grub/i386-pc/eltorito.img (GRUB)" \
    "$T/err"
CONFIG='' LABEL='' KERNEL='' CMDLINE=''
eval "$(cat "$T/out")"
check_eq "GRUB-booting image: config" /boot/grub/grub.cfg "$CONFIG"
check_eq "GRUB-booting image: default by --id gnulinux" GNU/Linux "$LABEL"
check_eq "GRUB-booting image: kernel" /vmlinuz "$KERNEL"
check_eq "GRUB-booting image: command line" root=/dev/sda1 "$CMDLINE"
expect_exit 1 "GRUB-booting image: --platform efi has no EFI entry" \
    syslinux2cmdline -i "$grub" --platform efi
check_grep "GRUB-booting image: says there is no EFI entry" \
    "no EFI entry" "$T/err"
done_testing
