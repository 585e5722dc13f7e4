#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot on the real distribution boot configs of fixtures/bootcfg:
# each tree is mastered with Debian's isolinux.bin (a GRUB El Torito core
# for a grub.cfg) in the config's directory, with Debian's real kernel
# and distinct stand-in initrds at the paths EXPECTED names; isoboot must
# pick EXPECTED's config, label, kernel, initrds and command line
# (boot.json), extract exactly those bytes, join several initrds 4-byte
# aligned, rewrite the command line for the serial console, and change
# nothing on a second run. A default entry that boots no Linux
# (openSUSE's local boot) is exit 1, naming it.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need isoboot xorriso jq
corpus=$IB_SHARED/bootcfg
isolinux=/usr/lib/ISOLINUX/isolinux.bin
kernel=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux
need_file "$corpus/README.md" "$isolinux" "$kernel"

field() { sed -n "s/^$1=//p" "$2" | head -n 1; }

for dir in "$corpus"/*/; do
	name=$(basename "$dir")
	exp=$dir/EXPECTED
	[ -f "$exp" ] || continue
	cfg=$(field config "$exp")
	k=$(field kernel "$exp")
	tree=$T/$name
	mkdir -p "$tree"
	cp -R "$dir". "$tree/"
	rm -f "$tree"/EXPECTED* "$tree/SOURCE"
	if [ -n "$k" ]; then
		mkdir -p "$tree$(dirname "$k")"
		cp "$kernel" "$tree$k"
	fi
	# Stand-in initrds of odd, distinct sizes (the join pads them).
	i=0
	sed -n 's/^initrd=//p' "$exp" >"$T/$name.initrds"
	while read -r f; do
		i=$((i + 1))
		mkdir -p "$tree$(dirname "$f")"
		printf '%s initrd %d %s' "$name" "$i" "$f" >"$tree$f"
	done <"$T/$name.initrds"
	img=$(bios_boot_image "$tree" "$cfg")
	xorriso -as mkisofs -quiet -R -b "$img" \
	    -c "$(dirname "$cfg")/boot.cat" -no-emul-boot -boot-load-size 4 \
	    -boot-info-table -o "$T/$name.iso" "$tree" 2>/dev/null
	out=$T/out-$name
	if [ -z "$k" ]; then
		expect_exit 1 "$name: a default that boots no Linux: exit 1" \
		    isoboot -t qemu --no-disk -o "$out" "$T/$name.iso"
		check_grep "$name: says the default is not Linux" \
		    "$(field default_label "$exp")" "$T/err"
		continue
	fi
	expect_exit 0 "$name: exit 0" isoboot -t qemu --no-disk -o "$out" \
	    "$T/$name.iso"
	j=$out/boot.json
	check_eq "$name: config" "/$cfg" "$(jq -r .config "$j")"
	check_eq "$name: label" "$(field default_label "$exp")" \
	    "$(jq -r .label "$j")"
	check_eq "$name: kernel" "$k" "$(jq -r .menu.entry.kernel "$j")"
	check_eq "$name: initrds" "$(tr '\n' ' ' <"$T/$name.initrds")" \
	    "$(jq -r '.menu.entry.initrds[]' "$j" | tr '\n' ' ')"
	check_eq "$name: the command line in the config" \
	    "$(field append "$exp")" "$(jq -r .cmdline_in_config "$j")"
	check_files "$name: the kernel's bytes" "$kernel" \
	    "$out/$(basename "$k")"
	: >"$T/joined"
	n=0
	while read -r f; do
		n=$((n + 1))
		check_files "$name: initrd $n's bytes" "$tree$f" \
		    "$out/$(basename "$f")"
		s=$(wc -c <"$tree$f" | tr -d ' ')
		cat "$tree$f" >>"$T/joined"
		head -c $(((4 - s % 4) % 4)) /dev/zero >>"$T/joined"
	done <"$T/$name.initrds"
	if [ "$n" -gt 1 ]; then
		check_files "$name: $n initrds joined, each padded to 4 bytes" \
		    "$T/joined" "$out/initrd-joined.img"
		check_eq "$name: the VM boots the joined initrd" \
		    "$out/initrd-joined.img" \
		    "$(jq -r .vm.initrd "$j" | sed "s|^$(cd "$out" && pwd -P)|$out|")"
	fi
	c=$(cat "$out/cmdline")
	case $c in
	"earlyprintk=serial,ttyS0 console=ttyS0"*) ok "$name: serial console first" ;;
	*) fail "$name: serial console first: $c" ;;
	esac
	check_eq "$name: one console=" 1 \
	    "$(printf '%s\n' "$c" | tr ' ' '\n' | grep -c '^console=')"
	check_eq "$name: no quiet or splash left" 0 \
	    "$(printf '%s\n' "$c" | tr ' ' '\n' | grep -c -E '^(quiet|splash)$')"
	expect_exit 0 "$name: again: exit 0" isoboot -t qemu --no-disk \
	    -o "$out" "$T/$name.iso"
	check_grep "$name: again: nothing changed" "nothing changed" "$T/out"
done
done_testing
