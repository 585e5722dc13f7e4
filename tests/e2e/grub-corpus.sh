#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# syslinux2cmdline on the GRUB configs of fixtures/bootcfg (EXPECTED.grub:
# checked by booting GRUB 2.06 in qemu; EXPECTED.efi: the UEFI menu, GRUB's
# or SYSLINUX for EFI's). A
# config named grub.cfg is read with GRUB's rules; --platform efi makes a
# tree's GRUB config the one read.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
corpus=$IB_SHARED/bootcfg
need_file "$corpus/README.md"

field() { sed -n "s/^$1=//p" "$2" | head -n 1; }

# check NAME EXPECTED-FILE: compare the shell output in $T/out.
check_answer() {
	LABEL='' KERNEL='' INITRD='' CMDLINE=''
	eval "$(cat "$T/out")"
	check_eq "$1: default title" "$(field default_label "$2")" "$LABEL"
	check_eq "$1: kernel" "$(field kernel "$2")" "$KERNEL"
	check_eq "$1: initrds in order" \
	    "$(sed -n 's/^initrd=//p' "$2" | tr '\n' ' ' | sed 's/ $//')" \
	    "$INITRD"
	check_eq "$1: command line as GRUB builds it" \
	    "$(field append "$2")" "$CMDLINE"
}

n=0
for exp in "$corpus"/*/EXPECTED.grub; do
	[ -f "$exp" ] || continue
	dir=$(dirname "$exp")
	name=$(basename "$dir")
	cfg=$(field config "$exp")
	# GRUB starts at grub.cfg; the menu may live in a file it sources.
	start=$(dirname "$cfg")/grub.cfg
	[ -f "$dir/$start" ] || start=$cfg
	expect_exit 0 "$name: GRUB config $start" \
	    syslinux2cmdline -r "$dir" "$start" --format shell
	check_answer "$name" "$exp"
	n=$((n + 1))
done
check_eq "GRUB answers found in the corpus" 1 "$([ "$n" -ge 3 ] && echo 1)"

# The UEFI menu of a tree: --platform efi reads GRUB's config, or
# SYSLINUX for EFI's (Linux Live Kit: EFI/Boot/syslinux.cfg).
for exp in "$corpus"/*/EXPECTED.efi; do
	[ -f "$exp" ] || continue
	dir=$(dirname "$exp")
	name=$(basename "$dir")
	expect_exit 0 "$name: --platform efi" \
	    syslinux2cmdline -r "$dir" --platform efi --format shell
	# config= names the file of the entry; GRUB starts at the
	# grub.cfg beside it when there is one.
	cfg=$(field config "$exp")
	start=$(dirname "$cfg")/grub.cfg
	[ -f "$dir/$start" ] || start=$cfg
	check_eq "$name: the EFI config" "/$start" \
	    "$(sed -n 's/^CONFIG=//p' "$T/out")"
	check_answer "$name (efi)" "$exp"
done
# JSON's timeout: the model's 0 means "waits for a key", and was written
# as "timeout":0, which GRUB's readers take for timeout=0, "boot at once".
mkdir -p "$T/gt"
for t in none 0 5; do
	{
		[ "$t" = none ] || echo "set timeout=$t"
		echo "menuentry 'x' { linux /vmlinuz }"
	} >"$T/gt/grub.cfg"
	run syslinux2cmdline --format json "$T/gt/grub.cfg"
	grep -o '"timeout":[^,]*,"waits":[a-z]*' "$T/out" >"$T/gt/$t"
done
check_eq "JSON: no timeout: GRUB waits" '"timeout":null,"waits":true' \
    "$(cat "$T/gt/none")"
check_eq "JSON: timeout=0: GRUB boots at once" '"timeout":0,"waits":false' \
    "$(cat "$T/gt/0")"
check_eq "JSON: timeout=5: 50 tenths" '"timeout":50,"waits":false' \
    "$(cat "$T/gt/5")"
done_testing
