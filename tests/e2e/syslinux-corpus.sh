#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# syslinux2cmdline on real distribution boot configs (fixtures/bootcfg:
# each folder's EXPECTED was checked by booting ISOLINUX 6.04 in qemu) and
# on Debian's real d-i netboot menus (package
# debian-installer-12-netboot-amd64). The shell output is eval'ed, which
# also proves it safe for eval.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
corpus=$IB_SHARED/bootcfg
need jq
need_file "$corpus/README.md"

# field NAME FILE: the value of NAME= in an EXPECTED file (first line).
field() { sed -n "s/^$1=//p" "$2" | head -n 1; }

for dir in "$corpus"/*/; do
	name=$(basename "$dir")
	exp=$dir/EXPECTED
	[ -f "$exp" ] || continue
	run syslinux2cmdline -r "$dir" --format shell
	if [ -z "$(field kernel "$exp")" ]; then
		# The default boots no Linux kernel: say so, exit 1.
		check_eq "$name: non-Linux default: exit 1" 1 "$rc"
		check_grep "$name: says the default is not Linux" \
		    "is a [a-z0-9]* entry, not Linux" "$T/err"
		check_grep "$name: names the default label" \
		    "'$(field default_label "$exp")'" "$T/err"
		continue
	fi
	check_eq "$name: exit 0" 0 "$rc"
	CONFIG='' LABEL='' KERNEL='' INITRD='' CMDLINE=''
	eval "$(cat "$T/out")"
	check_eq "$name: config" "/$(field config "$exp")" "$CONFIG"
	check_eq "$name: default label" "$(field default_label "$exp")" \
	    "$LABEL"
	check_eq "$name: kernel" "$(field kernel "$exp")" "$KERNEL"
	check_eq "$name: initrds in load order" \
	    "$(sed -n 's/^initrd=//p' "$exp" | tr '\n' ' ' | sed 's/ $//')" \
	    "$INITRD"
	check_eq "$name: command line, byte for byte" \
	    "$(field append "$exp")" "$CMDLINE"
	# plain output is the same command line
	run syslinux2cmdline -r "$dir"
	check_eq "$name: plain output" "$(field append "$exp")" "$(cat "$T/out")"
	# json keeps the exact string (outer blanks too) and the whole menu
	expect_exit 0 "$name: --format json" \
	    syslinux2cmdline -r "$dir" --format json
	check_eq "$name: json is one valid document" 1 \
	    "$(jq -e -s 'length' "$T/out" 2>/dev/null)"
	check_eq "$name: json cmdline, outer blanks kept" \
	    "[$(field append "$exp")]" "[$(jq -j '.entry.cmdline' "$T/out")]"
	check_eq "$name: json kernel and initrds" \
	    "$(field kernel "$exp") $(sed -n 's/^initrd=//p' "$exp" | tr '\n' ' ')" \
	    "$(jq -j '.entry.kernel, " ", (.entry.initrds[] | ., " ")' \
	        "$T/out")"
	# A GRUB menu entry (a BIOS GRUB ISO) has a title, no label.
	check_eq "$name: json config and label" \
	    "/$(field config "$exp") $(field default_label "$exp")" \
	    "$(jq -j '.config, " ", (.entry.label // .entry.title)' "$T/out")"
	check_eq "$name: json lists the entries and notes" 1 \
	    "$(jq '(.entries | length) > 0 and (.notes | length) > 0' \
	        "$T/out" | sed 's/true/1/')"
	mv "$T/out" "$T/found.json"
	# naming the config ISOLINUX starts at gives the same answer (or
	# EXPECTED's, in a GRUB tree or one with a patched search path);
	# a later file of a CONFIG chain would lose the directory CONFIG
	# set (SystemRescue's APPEND /sysresccd/).
	named=$(isolinux_first_config "$dir")
	[ -n "$named" ] || named=$(field config "$exp")
	case $(field config "$exp") in
	*grub*.cfg) named=$(field config "$exp") ;;
	esac
	expect_exit 0 "$name: the config named explicitly" \
	    syslinux2cmdline -r "$dir" "$named" --format json
	check_eq "$name: same entry when named" \
	    "$(jq -c '.entry' "$T/found.json")" "$(jq -c '.entry' "$T/out")"
done

# openSUSE: the installer is label linux, with relative paths resolved
# against the config directory (EXPECTED's note).
suse=$corpus/opensuse-tumbleweed-dvd-x86_64
if [ -d "$suse" ]; then
	expect_exit 0 "opensuse -l linux" \
	    syslinux2cmdline -r "$suse" -l linux --format shell
	eval "$(cat "$T/out")"
	check_eq "opensuse -l linux: kernel" /boot/x86_64/loader/linux "$KERNEL"
	check_eq "opensuse -l linux: initrd" /boot/x86_64/loader/initrd \
	    "$INITRD"
	check_eq "opensuse -l linux: cmdline" "splash=silent showopts" \
	    "$CMDLINE"
fi

# gentoo: Enter boots gentoo, the timeout boots the hidden LOCALBOOT.
gentoo=$corpus/gentoo-install-amd64-minimal-20191020
if [ -d "$gentoo" ]; then
	expect_exit 0 "gentoo --list" syslinux2cmdline -r "$gentoo" --list
	check_grep "gentoo: timeout runs localhost (localboot)" \
	    "^on timeout: localhost (localboot)" "$T/out"
	check_grep "gentoo: default marked" "^\* gentoo	" "$T/out"
	# GRUB entries have titles, not labels: the default was marked
	# only when it had a label, so no GRUB menu showed one.
	expect_exit 0 "gentoo --platform efi --list" \
	    syslinux2cmdline -r "$gentoo" --platform efi --list
	check_eq "gentoo (GRUB): exactly one entry marked the default" 1 \
	    "$(grep -c '^\* ' "$T/out")"
	check_grep "gentoo (GRUB): the default is marked" \
	    "^\* -	Boot LiveCD (kernel: gentoo)	" "$T/out"
fi

# Alpine, verbatim, with --serial: the seed's command line.
alpine=$corpus/alpine-3.12-virt-x86_64/boot/syslinux/syslinux.cfg
if [ -f "$alpine" ]; then
	expect_exit 0 "alpine --serial" syslinux2cmdline --serial "$alpine"
	check_eq "alpine --serial: exactly the seed's line" \
	    "earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage" \
	    "$(cat "$T/out")"
	run sh -c 'syslinux2cmdline --serial=ttyS1,9600 - <"$1"' sh "$alpine"
	check_eq "alpine from stdin, --serial=ttyS1,9600" \
	    "earlyprintk=serial,ttyS1,9600 console=ttyS1,9600 modules=loop,squashfs,sd-mod,usb-storage" \
	    "$(cat "$T/out")"
	# A config from standard input is bounded like a file: over 1 MiB
	# is refused by name, not cut short and parsed.
	{
		cat "$alpine"
		head -c 1100000 /dev/zero | tr '\0' '#'
	} >"$T/huge.cfg"
	# shellcheck disable=SC2016 # $1 is the inner shell's
	expect_exit 1 "a config over 1 MiB on stdin" \
	    sh -c 'syslinux2cmdline - <"$1"' sh "$T/huge.cfg"
	check_eq "a config over 1 MiB on stdin: the message" \
	    "syslinux2cmdline: -: config over 1048576 bytes" \
	    "$(cat "$T/err")"
	expect_exit 0 "alpine --kernel --initrd" \
	    syslinux2cmdline --kernel --initrd "$alpine"
	check_eq "alpine --kernel --initrd" \
	    "/boot/vmlinuz-virt /boot/initramfs-virt" \
	    "$(tr '\n' ' ' <"$T/out" | sed 's/ $//')"
fi

# Debian's d-i netboot trees (PXELINUX: INCLUDE chains with missing
# files, path, default .../vesamenu.c32, menu begin submenus).
di=/usr/lib/debian-installer/images/12/amd64
need_file "$di/text/pxelinux.cfg/default" "$di/gtk/pxelinux.cfg/default"
for flavour in text gtk; do
	expect_exit 0 "d-i $flavour: -r" \
	    syslinux2cmdline -r "$di/$flavour" --format shell
	eval "$(cat "$T/out")"
	check_eq "d-i $flavour: label" install "$LABEL"
	check_eq "d-i $flavour: kernel" /debian-installer/amd64/linux "$KERNEL"
	check_eq "d-i $flavour: initrd" /debian-installer/amd64/initrd.gz \
	    "$INITRD"
	# txt.cfg's APPEND ends in a space, which syslinux keeps.
	check_eq "d-i $flavour: cmdline" "vga=788 --- quiet " "$CMDLINE"
done
expect_exit 0 "d-i gtk: --list" syslinux2cmdline -r "$di/gtk" --list
check_grep "d-i gtk: the timeout action is the speech install" \
    "^on timeout: - (linux) /debian-installer/amd64/linux .*speakup.synth=soft" \
    "$T/out"

# --timeout-action: what boots unattended.
if [ -d "$gentoo" ]; then
	expect_exit 1 "gentoo --timeout-action: the hidden LOCALBOOT" \
	    syslinux2cmdline -r "$gentoo" --timeout-action
	check_grep "gentoo --timeout-action: says so" \
	    "on timeout the localboot entry 'localhost' boots, not Linux" \
	    "$T/err"
fi
expect_exit 0 "d-i gtk --timeout-action: the speech install" \
    syslinux2cmdline -r "$di/gtk" --timeout-action
check_eq "d-i gtk --timeout-action: its command line" \
    "vga=788 speakup.synth=soft --- quiet " "$(cat "$T/out")"
expect_exit 1 "d-i text --timeout-action: timeout 0 waits" \
    syslinux2cmdline -r "$di/text" --timeout-action
check_grep "d-i text --timeout-action: says the menu waits" \
    "no timeout: the menu waits for a key" "$T/err"
alpdir=$corpus/alpine-3.12-virt-x86_64
if [ -d "$alpdir" ]; then
	expect_exit 0 "alpine --timeout-action: TIMEOUT 20 boots the default" \
	    syslinux2cmdline -r "$alpdir" --timeout-action
	check_eq "alpine --timeout-action: the default's line" \
	    "modules=loop,squashfs,sd-mod,usb-storage quiet console=tty0 console=ttyS0,115200" \
	    "$(cat "$T/out")"
fi
done_testing
