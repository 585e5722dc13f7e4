#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bootcheck.sh [ENTRY...]: boot each fixtures/bootcfg entry with the real
# boot loader and compare what the kernel got with the entry's answers.
#
#   EXPECTED      ISOLINUX 6.04 (Debian's isolinux, syslinux-common), or
#                 GRUB i386-pc when its config is a grub.cfg
#   EXPECTED.grub GRUB 2.06 i386-pc El Torito (Debian's grub-pc-bin)
#   EXPECTED.efi  GRUB 2.06 x86_64-efi (grub-efi-amd64-bin) in an El
#                 Torito FAT image, booted with OVMF; an EFI SYSLINUX
#                 config is not booted (no such loader here: said why)
#
# The ISO is mastered with xorriso from the entry's files (EXPECTED*,
# SOURCE* left out), the loader's files, Debian's d-i kernel at every
# kernel path the menu names and a marker initramfs
# (tests/lib/mkinitramfs.sh) at every initrd path; each initrd carries a
# tag archive with its path, so the guest reports which initrds were
# loaded and which came last. qemu (TCG) gets Enter through its monitor
# every few seconds, as a user pressing it at a waiting menu; the guest
# prints /proc/cmdline on the serial port and powers off.
#
# /proc/cmdline less its leading BOOT_IMAGE= and initrd= words (the
# loaders' own) must be append= byte for byte. A boot's observation is
# cached under $BOOTCHECK_CACHE by the SHA-256 of everything that makes
# the ISO (entry files, loaders' versions, $recipe_*, mkinitramfs.sh),
# so an unchanged entry is not booted again; the comparison always runs.
# Boots run $BOOTCHECK_JOBS (2) at a time. Exit 1 when an answer differs
# or a boot fails. Needs: xorriso qemu-system-x86_64 grub-mkimage mtools
# mkfs.vfat cpio gzip jq, ovmf, isolinux, syslinux-common, grub-pc-bin,
# grub-efi-amd64-bin, busybox-static, debian-installer-12-netboot-amd64.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${IB_BIN:-$top/build-werror/bin}
s2c=$bin/syslinux2cmdline
corpus=${IB_SHARED:-$top/fixtures}/bootcfg
cache=${BOOTCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/isoboot/bootcheck}
jobs=${BOOTCHECK_JOBS:-2}
di=/usr/lib/debian-installer/images/12/amd64/text/debian-installer
kernel=$di/amd64/linux
isolinux=/usr/lib/ISOLINUX/isolinux.bin
c32=/usr/lib/syslinux/modules/bios
grubpc=/usr/lib/grub/i386-pc
grubefi=/usr/lib/grub/x86_64-efi
ovmf=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmfvars=/usr/share/OVMF/OVMF_VARS_4M.fd
M=ib-bootcheck
# Bump when master() or boot() change what a boot observes, per loader:
# the cache key holds it (not this file's bytes, so a change to the
# reports alone does not boot everything again).
recipe_isolinux=3
recipe_grub=3
# GRUB modules built into the core image, as distributions' images have
# them: the modules also sit in the config's directory, but a config that
# sets its own $prefix (openSUSE: /boot/x86_64/grub2-efi) would find
# none there, and a failed "linux" stops at "Press any key".
grub_mods="iso9660 normal configfile linux echo test regexp search
	search_fs_file search_fs_uuid search_label true loadenv gzio chain
	ls cat sleep all_video font gfxterm png"

missing=
for c in xorriso qemu-system-x86_64 grub-mkimage mcopy mkfs.vfat cpio gzip \
    jq sha256sum timeout; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
for f in "$s2c" "$kernel" "$isolinux" "$c32/ldlinux.c32" "$grubpc/kernel.img" \
    "$grubefi/kernel.img" "$ovmf" "$ovmfvars" /bin/busybox; do
	[ -e "$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then
	echo "bootcheck: missing:$missing (sh mk/deps.sh installs them)" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bootcheck.XXXXXX")
# BOOTCHECK_KEEP=1 keeps the serial logs and ISOs' work directory.
if [ -n "${BOOTCHECK_KEEP:-}" ]; then
	echo "# bootcheck: work directory $work (kept)"
else
	trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$cache"
sh "$top/tests/lib/mkinitramfs.sh" "$work/initrd.gz" "$M" || exit 1

# field NAME FILE: the first NAME= value of an EXPECTED file.
field() { sed -n "s/^$1=//p" "$2" | head -n 1; }

# version PKG: the installed Debian version, for the cache key.
version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo none; }
loaders="isolinux=$(version isolinux) syslinux-common=$(version syslinux-common)
grub-pc-bin=$(version grub-pc-bin) grub-efi-amd64-bin=$(version grub-efi-amd64-bin)
ovmf=$(version ovmf) kernel=$(sha256sum <"$kernel" | cut -c1-16)"

# tagged PATH OUT: the marker initramfs followed by an archive holding
# /ib-initrd/<n> and /ib-last, both PATH.
tagged() {
	_tg=$(mktemp -d "$work/tag.XXXXXX")
	mkdir "$_tg/ib-initrd"
	printf '%s' "$1" >"$_tg/ib-last"
	printf '%s' "$1" >"$_tg/ib-initrd/$(printf '%s' "$1" | sha256sum |
	    cut -c1-12)"
	cp "$work/initrd.gz" "$2"
	(cd "$_tg" && find ib-last ib-initrd | LC_ALL=C sort |
	    cpio -o -H newc -R 0:0 --quiet) | gzip -n >>"$2"
	rm -rf "$_tg"
}

# stage ENTRY PLATFORM CONFIG DIR: the entry's files and a kernel or an
# initrd at every path the menu names (as syslinux2cmdline reads it).
stage() {
	mkdir -p "$4"
	(cd "$1" && find . -type f ! -name 'EXPECTED*' ! -name 'SOURCE*' |
	    cpio -pdm --quiet "$4")
	"$s2c" -r "$1" --platform "$2" "$3" --format json >"$4.json" || return 1
	jq -r '.entries[] | select(.kind == "linux") | "k " + .kernel,
	    (.initrds[] | "i " + .)' "$4.json" | sed 's,^\(.\) /*,\1 ,' |
	    LC_ALL=C sort -u >"$4.paths"
	while read -r kind p; do
		case /$p/ in */../*) continue ;; esac
		mkdir -p "$4/$(dirname "$p")"
		if [ "$kind" = k ]; then
			cp "$kernel" "$4/$p"
		else
			tagged "/$p" "$4/$p"
		fi
	done <"$4.paths"
	rm -f "$4.json" "$4.paths"
}

# efi_image EFI-BINARY OUT: a FAT El Torito image holding it as
# EFI/BOOT/BOOTX64.EFI.
efi_image() {
	_kb=$(($(wc -c <"$1") / 1024 + 512))
	mkfs.vfat -C "$2" "$_kb" >/dev/null || return 1
	mmd -i "$2" ::/EFI ::/EFI/BOOT && mcopy -i "$2" "$1" ::/EFI/BOOT/BOOTX64.EFI
}

# bios_iso STAGE ISO VOLUME IMAGE: an ISO booting the El Torito image
# IMAGE (no emulation, 4 sectors loaded, boot info table).
bios_iso() {
	xorriso -as mkisofs -quiet -R -V "$3" -o "$2" -b "$4" \
	    -c "$(dirname "$4")/boot.cat" -no-emul-boot -boot-load-size 4 \
	    -boot-info-table "$1"
}

# grub_image STAGE DIR FORMAT OUT [CONFIG]: GRUB's modules for FORMAT in
# DIR (the config's directory, as grub-mkrescue puts them beside
# grub.cfg) and a core image with prefix /DIR and an embedded CONFIG.
grub_image() {
	mkdir -p "$1/$2/$3"
	cp "/usr/lib/grub/$3"/*.mod "/usr/lib/grub/$3"/*.lst "$1/$2/$3/"
	case $3 in
	i386-pc) _gf=i386-pc-eltorito _gm=biosdisk ;;
	*) _gf=$3 _gm="part_gpt part_msdos fat" ;;
	esac
	# shellcheck disable=SC2086 # the module lists are words
	if [ -n "${5:-}" ]; then
		grub-mkimage -O "$_gf" -p "/$2" -c "$5" -o "$4" $_gm $grub_mods
	else
		grub-mkimage -O "$_gf" -p "/$2" -o "$4" $_gm $grub_mods
	fi
}

# master KIND ENTRY CONFIG ISO VOLUME: build the ISO for a boot path,
# with the volume ID the configs search for (EXPECTED's volume=), if any.
master() {
	_v=${5:-ISOBOOT_CHECK}
	_t=$(basename "$4" .iso)
	_s=$work/stage.$_t
	_d=$(dirname "$3")
	_p=bios
	[ "$1" = grub-efi ] && _p=efi
	stage "$2" "$_p" "$3" "$_s" || return 1
	case $1 in
	isolinux)
		cp "$isolinux" "$_s/$_d/isolinux.bin"
		# The modules beside every config, as distributions put
		# them (SystemRescue: /isolinux and /sysresccd/boot/syslinux).
		(cd "$_s" && find . -name '*.cfg' -exec dirname {} \;) |
		    LC_ALL=C sort -u | while read -r cd; do
			for m in "$c32"/*.c32; do
				[ -e "$_s/$cd/${m##*/}" ] || cp "$m" "$_s/$cd/"
			done
		done
		bios_iso "$_s" "$4" "$_v" "$_d/isolinux.bin"
		;;
	grub-bios)
		mkdir -p "$_s/ibcheck"
		grub_image "$_s" "$_d" i386-pc "$_s/ibcheck/eltorito.img" &&
		    bios_iso "$_s" "$4" "$_v" ibcheck/eltorito.img
		;;
	grub-efi)
		mkdir -p "$_s/ibcheck"
		: >"$_s/ibcheck/id-$_t"
		# As grub-mkrescue's EFI image: find the ISO, set the prefix
		# to the config's directory; normal reads grub.cfg there.
		printf '%s\n' "search --no-floppy --file --set=root /ibcheck/id-$_t" \
		    "set prefix=(\$root)/$_d" >"$work/embed.$_t.cfg"
		grub_image "$_s" "$_d" x86_64-efi "$work/bootx64.$_t.efi" \
		    "$work/embed.$_t.cfg" &&
		    efi_image "$work/bootx64.$_t.efi" "$_s/ibcheck/efi.img" &&
		    xorriso -as mkisofs -quiet -R -V "$_v" -o "$4" \
			-e ibcheck/efi.img -no-emul-boot "$_s"
		;;
	esac
	_r=$?
	rm -rf "$_s"
	return $_r
}

# boot KIND ISO SERIAL: qemu, Enter every 3 s, as a user at a menu that
# waits: on BIOS through the monitor (sendkey: SeaBIOS's keyboard); on
# UEFI as a carriage return on the serial port, OVMF's console, which
# GRUB reads (OVMF here reads no PS/2 key from sendkey).
boot() {
	if [ "$1" = grub-efi ]; then
		cp "$ovmfvars" "$2.vars"
		set -- "$@" "printf '\\r'" -serial stdio -monitor none \
		    -drive "if=pflash,format=raw,readonly=on,file=$ovmf" \
		    -drive "if=pflash,format=raw,file=$2.vars"
	else
		set -- "$@" "echo 'sendkey ret'" -serial "file:$3" -monitor stdio
	fi
	_bout=$3
	_bkey=$4
	_biso=$2
	shift 4
	_bn=0
	while [ "$_bn" -lt 80 ]; do
		sleep 3
		eval "$_bkey" || break
		_bn=$((_bn + 1))
	done 2>/dev/null |
	    timeout 240 qemu-system-x86_64 -machine q35 -accel tcg -m 512 \
	    -display none -no-reboot -net none "$@" -cdrom "$_biso" \
	    >"$_bout.stdout" 2>"$_bout.err"
	# UEFI: the serial port was qemu's standard output.
	[ -f "$_biso.vars" ] && mv "$_bout.stdout" "$_bout"
	rm -f "$_biso.vars" "$_bout.stdout"
}

# observe KIND ENTRY CONFIG OUT VOLUME: the guest's report for this boot
# path, from the cache or by booting.
observe() {
	_key=$( {
		printf '%s\n%s\n%s\n%s\n' "$1" "$3" "$5" "$loaders"
		case $1 in
		isolinux) echo "recipe $recipe_isolinux" ;;
		*) echo "recipe $recipe_grub" ;;
		esac
		cat "$top/tests/lib/mkinitramfs.sh"
		(cd "$2" && find . -type f ! -name 'EXPECTED*' ! -name 'SOURCE*' |
		    LC_ALL=C sort | while read -r f; do
			printf '%s\n' "$f"
			sha256sum <"$f"
		done)
	} | sha256sum | cut -c1-32)
	if [ -s "$cache/$_key" ]; then
		cp "$cache/$_key" "$4"
		echo "cached" >"$4.how"
		return 0
	fi
	_iso=$work/$(basename "$4").iso
	if ! master "$1" "$2" "$3" "$_iso" "$5" >"$4.log" 2>&1; then
		echo "mastering failed" >"$4.how"
		return 1
	fi
	boot "$1" "$_iso" "$4.serial"
	[ -n "${BOOTCHECK_KEEP:-}" ] || rm -f "$_iso"
	tr -d '\r' <"$4.serial" | sed -n "s/^.*$M //p" | awk '!seen[$0]++' >"$4"
	if grep -q '^end$' "$4"; then
		cp "$4" "$cache/$_key"
		echo "booted" >"$4.how"
		return 0
	fi
	echo "no report from the guest" >"$4.how"
	return 1
}

# paths: one line per boot path, "KIND ENTRY-DIR EXPECTED-FILE CONFIG".
: >"$work/paths"
: >"$work/skipped"
if [ $# -eq 0 ]; then
	set -- "$corpus"/*/
fi
for dir in "$@"; do
	dir=${dir%/}
	for exp in "$dir/EXPECTED" "$dir/EXPECTED.grub" "$dir/EXPECTED.efi"; do
		[ -f "$exp" ] || continue
		cfg=$(field config "$exp")
		case ${exp##*/}:$cfg in
		EXPECTED:*grub*.cfg | EXPECTED.grub:*) kind=grub-bios ;;
		EXPECTED:*) kind=isolinux ;;
		EXPECTED.efi:*grub*.cfg) kind=grub-efi ;;
		*)
			echo "${dir##*/} ${exp##*/}: $cfg: no such EFI loader" \
			    "here (SYSLINUX for EFI); not booted" >>"$work/skipped"
			continue
			;;
		esac
		# bootcheck=skip: WHY, where the loader here is not the ISO's.
		case $(field bootcheck "$exp") in
		skip:*)
			echo "${dir##*/} ${exp##*/}: $(field bootcheck "$exp" |
			    sed 's/^skip: *//'); not booted" >>"$work/skipped"
			continue
			;;
		esac
		if [ -z "$(field kernel "$exp")" ]; then
			echo "${dir##*/} ${exp##*/}: the default boots no Linux;" \
			    "not booted" >>"$work/skipped"
			continue
		fi
		# ISOLINUX starts at the first config of its search order
		# (SEMANTICS.md 1.1), which may chain to EXPECTED's config=.
		if [ "$kind" = isolinux ]; then
			first=
			for d in boot/isolinux isolinux boot/syslinux syslinux .; do
				for n in isolinux.cfg syslinux.cfg; do
					if [ -z "$first" ] && [ -f "$dir/$d/$n" ]; then
						first=$d/$n
					fi
				done
			done
			if [ -z "$first" ]; then
				echo "${dir##*/} ${exp##*/}: $cfg is outside" \
				    "ISOLINUX's search path (a patched" \
				    "isolinux.bin); not booted" >>"$work/skipped"
				continue
			fi
			cfg=${first#./}
		fi
		# GRUB starts at grub.cfg beside the menu's file.
		case $kind in
		grub-*)
			start=$(dirname "$cfg")/grub.cfg
			[ -f "$dir/$start" ] || start=$cfg
			cfg=$start
			;;
		esac
		echo "$kind $dir $exp $cfg" >>"$work/paths"
	done
done

# Run the boots, $jobs at a time.
i=0
while read -r kind dir exp cfg; do
	i=$((i + 1))
	observe "$kind" "$dir" "$cfg" "$work/obs.$i" "$(field volume "$exp")" &
	if [ $((i % jobs)) -eq 0 ]; then
		wait
	fi
done <"$work/paths"
wait

# strip_loader_words LINE: LINE less the loaders' own words: leading
# BOOT_IMAGE= and initrd= words, and every other initrd= word with the
# blank before it (ISOLINUX adds one at the end for an INITRD line).
strip_loader_words() {
	printf '%s\n' "$1" | sed -e ':a' -e 's/^BOOT_IMAGE=[^ ]* //' \
	    -e 's/^initrd=[^ ]* //' -e 'ta' -e 's/^BOOT_IMAGE=[^ ]*$//' \
	    -e 's/ initrd=[^ ]*//g'
}

fails=0
n=0
i=0
while read -r kind dir exp cfg; do
	i=$((i + 1))
	n=$((n + 1))
	o=$work/obs.$i
	what="${dir##*/} ${exp##*/} ($kind)"
	how=$(cat "$o.how" 2>/dev/null)
	if [ ! -s "$o" ] || ! grep -q '^end$' "$o"; then
		echo "not ok $n - $what: $how"
		sed 's/^/#   /' "$o.log" 2>/dev/null | tail -n 5
		tr -d '\r' <"$o.serial" 2>/dev/null | tail -n 5 | sed 's/^/#   serial: /'
		fails=$((fails + 1))
		continue
	fi
	got=$(strip_loader_words "$(sed -n 's/^cmdline=//p' "$o")")
	want=$(field append "$exp")
	want_initrds=$(sed -n 's/^initrd=//p' "$exp" | sed 's,^/*,/,' |
	    LC_ALL=C sort | tr '\n' ' ')
	got_initrds=$(sed -n 's/^initrd: //p' "$o" | LC_ALL=C sort | tr '\n' ' ')
	want_last=$(sed -n 's/^initrd=//p' "$exp" | tail -n 1 | sed 's,^/*,/,')
	got_last=$(sed -n 's/^last-initrd: //p' "$o")
	if [ "$got" != "$want" ]; then
		echo "not ok $n - $what: command line ($how)"
		echo "#   expected: [$want]"
		echo "#   the loader: [$got]"
		fails=$((fails + 1))
	elif [ "$got_initrds" != "$want_initrds" ] ||
	    [ "$got_last" != "$want_last" ]; then
		echo "not ok $n - $what: initrds ($how)"
		echo "#   expected: [$want_initrds] last [$want_last]"
		echo "#   the loader: [$got_initrds] last [$got_last]"
		fails=$((fails + 1))
	else
		echo "ok $n - $what ($how)"
	fi
done <"$work/paths"
sed 's/^/# skipped: /' "$work/skipped"
echo "1..$n"
echo "# bootcheck: $((n - fails)) of $n boot paths agree with the real loaders," \
    "$(wc -l <"$work/skipped" | tr -d ' ') not booted"
[ "$fails" -eq 0 ]
