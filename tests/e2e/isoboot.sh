#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot ISO: the whole recipe, end to end. An Alpine-shaped image
# (Alpine's syslinux.cfg, Debian's real kernel as boot/vmlinuz-virt, a
# busybox initramfs from tests/lib/mkinitramfs.sh) becomes a directory
# with the kernel and initrd byte for byte, the serial command line, a
# sparse disk, a run script and boot.json. A second run changes nothing;
# a touched image, new VM options, a removed or changed boot file each
# redo exactly their part; an existing disk.img is never written. Also:
# several initrds joined, labels, errors and usage errors, vfkit's
# unpacked arm64 Image, --json, -q, --run, the progress line on a tty,
# --mk-path, Debian's netboot images and ipxe.iso, hostile entries, and
# the VM booting in qemu (TCG) with the exact command line.
#
# The comments "Was a bug" mark the bugs these tests found, now fixed.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need isoboot syslinux2cmdline xorriso jq cpio gzip
di=/usr/lib/debian-installer/images/12/amd64/text
kernel=$di/debian-installer/amd64/linux
netinitrd=$di/debian-installer/amd64/initrd.gz
isolinux=/usr/lib/ISOLINUX/isolinux.bin
cfg=$IB_TOP/fixtures/alpine/boot/syslinux/syslinux.cfg
need_file "$kernel" "$netinitrd" "$isolinux" "$cfg" /bin/busybox \
    "$di/debian-installer/amd64/boot-screens/syslinux.cfg"

# The directory isoboot writes is absolute and real in its outputs.
P=$(cd "$T" && pwd -P)
M=ib-isoboot-test

# optional PATH DESC: true when PATH exists; otherwise a skip (a failure
# under CI=true) for the part of the test that needs it.
optional() {
	[ -e "$1" ] && return 0
	if [ "${CI:-}" = true ]; then
		fail "$2: '$1' is missing (run make deps)"
	else
		skip "$2: '$1' missing (run make deps)"
	fi
	return 1
}

# fstamp FILE: inode, modification time to the nanosecond, size.
fstamp() {
	stat -c '%i %y %s' "$1" 2>/dev/null || stat -f '%i %Fm %z' "$1"
}

# snap DIR: the fstamp of every entry of DIR (dot files too), sorted.
snap() {
	# shellcheck disable=SC2012 # our own names: no newlines in them
	ls -A "$1" | LC_ALL=C sort | while IFS= read -r f; do
		echo "$f $(fstamp "$1/$f")"
	done
}

# same DESC SNAP-A SNAP-B NAME: NAME has the same inode, mtime and size
# in both snapshots.
same() {
	_a=$(awk -v f="$4" '$1 == f' "$2")
	_b=$(awk -v f="$4" '$1 == f' "$3")
	if [ -n "$_a" ] && [ "$_a" = "$_b" ]; then
		ok "$1"
	else
		fail "$1"
		echo "#   before: $_a"
		echo "#   after:  $_b"
	fi
}

# rewritten DESC SNAP-A SNAP-B NAME: NAME is in both snapshots, another
# file (inode or mtime) in the second.
rewritten() {
	_a=$(awk -v f="$4" '$1 == f' "$2")
	_b=$(awk -v f="$4" '$1 == f' "$3")
	if [ -n "$_a" ] && [ -n "$_b" ] && [ "$_a" != "$_b" ]; then
		ok "$1"
	else
		fail "$1"
		echo "#   before: $_a"
		echo "#   after:  $_b"
	fi
}

# mkiso TREE OUT: an image of TREE booted by ISOLINUX from
# boot/syslinux/isolinux.bin, made as Alpine's are.
mkiso() {
	xorriso -as mkisofs -quiet -R -b boot/syslinux/isolinux.bin \
	    -c boot/syslinux/boot.cat -no-emul-boot -boot-load-size 4 \
	    -boot-info-table -o "$2" "$1" 2>/dev/null
}

# entry_iso OUT KERNEL INITRD: an image whose only entry loads KERNEL
# and INITRD (paths in the image), with the files a hostile entry names:
# /tmp/evil and /boot/NAME for each name isoboot keeps for itself.
entry_iso() {
	rm -rf "$T/h"
	mkdir -p "$T/h/boot/syslinux" "$T/h/tmp"
	cp "$isolinux" "$T/h/boot/syslinux/isolinux.bin"
	cp "$T/initrd.gz" "$T/h/tmp/evil"
	for _n in vmlinuz run boot.json cmdline disk.img Image \
	    initrd-joined.img .isoboot-stamp run.pid initrd; do
		cp "$T/initrd.gz" "$T/h/boot/$_n"
	done
	cp "$kernel" "$T/h/boot/vmlinuz"
	printf 'DEFAULT e\nLABEL e\nKERNEL %s\nINITRD %s\nAPPEND x=1\n' \
	    "$2" "$3" >"$T/h/boot/syslinux/syslinux.cfg"
	mkiso "$T/h" "$1"
}

# not_there DESC DIR NAME...: none of NAME is in DIR.
not_there() {
	_d=$1
	_dir=$2
	shift 2
	_found=
	for _n in "$@"; do
		[ -e "$_dir/$_n" ] && _found="$_found $_n"
	done
	check_eq "$_d" "" "$_found"
}

# temporaries DIR: the names of leftover temporaries in DIR.
temporaries() {
	[ -d "$1" ] || return 0
	find "$1" \( -name '.*isoboot*' ! -name .isoboot-stamp \
	    ! -name .isoboot-lock \) -o \
	    -name '.*tmp*' | sort | tr '\n' ' '
}

# The Alpine-shaped image.
expect_exit 0 "mkinitramfs builds the initramfs" \
    sh "$IB_TOP/tests/lib/mkinitramfs.sh" "$T/initrd.gz" "$M"
mkdir -p "$T/tree/boot/syslinux"
cp "$cfg" "$T/tree/boot/syslinux/syslinux.cfg"
cp "$isolinux" "$T/tree/boot/syslinux/isolinux.bin"
cp "$kernel" "$T/tree/boot/vmlinuz-virt"
cp "$T/initrd.gz" "$T/tree/boot/initramfs-virt"
name=alpine-virt-3.20.3-x86_64
iso=$P/$name.iso
mkiso "$T/tree" "$iso"
check_eq "xorriso made the Alpine-shaped image" 1 \
    "$([ -s "$iso" ] && echo 1)"
want='earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod'

# 1. The first run, from a directory of its own, without -o.
mkdir "$T/cwd"
cd "$T/cwd" || exit 1
D=$P/cwd/$name
expect_exit 0 "first run: exit 0" isoboot "$iso"
cp "$T/out" "$T/first.out"
check_eq "first run: nothing on stderr without a tty" "" "$(cat "$T/err")"
check_eq "the default directory is ./NAME, without .iso" "$name" \
    "$(ls)"
check_files "the kernel, byte for byte" "$T/tree/boot/vmlinuz-virt" \
    "$D/vmlinuz-virt"
check_files "the initrd, byte for byte" "$T/tree/boot/initramfs-virt" \
    "$D/initramfs-virt"
check_eq "cmdline: the serial console, sr-mod added for the CD" \
    "$want" "$(cat "$D/cmdline")"
check_eq "cmdline ends with one newline" 1 "$(lines "$D/cmdline")"
check_eq "cmdline is syslinux2cmdline --serial's, with sr-mod" \
    "$(syslinux2cmdline -i "$iso" --serial |
    sed 's/\(modules=[^ ]*\)/\1,sr-mod/')" "$(cat "$D/cmdline")"
check_eq "disk.img: 8 GiB by default" 8589934592 \
    "$(wc -c <"$D/disk.img" | tr -d ' ')"
check_eq "disk.img: sparse (under 1 MiB used)" 1 \
    "$([ "$(du -k "$D/disk.img" | cut -f1)" -lt 1024 ] && echo 1)"
check_eq "run is executable" 1 "$([ -x "$D/run" ] && echo 1)"
expect_exit 0 "run: sh -n" sh -n "$D/run"
check_grep "run boots the kernel by its absolute path" \
    "^[[:space:]]*-kernel $D/vmlinuz-virt " "$D/run"
check_grep "run boots the initrd by its absolute path" \
    "^[[:space:]]*-initrd $D/initramfs-virt " "$D/run"
check_grep "run attaches disk.img" "file=$D/disk.img,format=raw" "$D/run"
check_grep "run attaches the image as the CD" \
    "file=$iso,media=cdrom" "$D/run"
if command -v shellcheck >/dev/null 2>&1; then
	expect_exit 0 "run: shellcheck -s sh" shellcheck -s sh "$D/run"
fi
expect_exit 0 "boot.json parses" jq -e . "$D/boot.json"
j=$D/boot.json
check_eq "boot.json: .config" /boot/syslinux/syslinux.cfg \
    "$(jq -r .config "$j")"
check_eq "boot.json: .label" virt "$(jq -r .label "$j")"
check_eq "boot.json: .cmdline" "$want" "$(jq -r .cmdline "$j")"
check_eq "boot.json: .cmdline_in_config is the APPEND line" \
    "modules=loop,squashfs,sd-mod,usb-storage quiet console=tty0 console=ttyS0,115200" \
    "$(jq -r .cmdline_in_config "$j")"
if [ "$(uname -s)" = Linux ]; then
	check_eq "boot.json: .vm.target is qemu on Linux" qemu \
	    "$(jq -r .vm.target "$j")"
fi
check_eq "boot.json: .files[].name" \
    "vmlinuz-virt initramfs-virt cmdline disk.img run" \
    "$(jq -r '[.files[].name] | join(" ")' "$j")"
check_eq "boot.json: the kernel's size" \
    "$(wc -c <"$kernel" | tr -d ' ')" \
    "$(jq -r '.files[] | select(.name == "vmlinuz-virt") | .size' "$j")"
check_eq "boot.json: .why is an array of the menu's notes" array \
    "$(jq -r '.why | type' "$j")"
check_eq "boot.json: .why ends with the DEFAULT line" \
    "boot/syslinux/syslinux.cfg:4: DEFAULT virt" "$(jq -r '.why[-1]' "$j")"
check_eq "the summary says why in 3 lines" 3 \
    "$(grep -c '^  why:     ' "$T/first.out")"
check_eq "boot.json: .why is what the summary says why" \
    "$(jq -r '.why[]' "$j")" \
    "$(sed -n 's/^  why:     //p' "$T/first.out")"
check_eq "boot.json: .iso, .dir, .vm.kernel, .vm.initrd, .vm.cdrom" \
    "$iso $D $D/vmlinuz-virt $D/initramfs-virt $iso" \
    "$(jq -j '.iso, " ", .dir, " ", .vm.kernel, " ", .vm.initrd, " ",
    .vm.cdrom' "$j")"
check_eq "the summary: the entry and its config" \
    "$iso: entry 'virt' of /boot/syslinux/syslinux.cfg" \
    "$(head -n 1 "$T/first.out")"
check_eq "the summary: every output written" 6 \
    "$(grep -c ' written$' "$T/first.out")"
check_eq "the summary ends with how to start the VM" \
    "start the VM: ./$name/run" "$(tail -n 2 "$T/first.out" | head -n 1)"
check_eq "  then what boots the system installed to its disk" \
    "after installing to $name/disk.img: isoboot $name/disk.img -o $name" \
    "$(tail -n 1 "$T/first.out")"
# INCLUDEs of files the image lacks chose nothing: the summary's why
# lines are the decisions (a d-i image showed ten "no such file,
# skipped" lines); boot.json keeps every note.
rm -rf "$T/inc"
cp -R "$T/tree" "$T/inc"
{
	printf 'INCLUDE /boot/syslinux/gtk.cfg\nINCLUDE /boot/syslinux/spk.cfg\n'
	cat "$cfg"
} >"$T/inc/boot/syslinux/syslinux.cfg"
mkiso "$T/inc" "$T/inc.iso"
expect_exit 0 "missing INCLUDEs: exit 0" isoboot --no-disk -o "$T/o-inc" \
    "$T/inc.iso"
check_eq "missing INCLUDEs: not in the summary's why" 0 \
    "$(grep -c 'no such file, skipped' "$T/out")"
check_eq "missing INCLUDEs: still in boot.json's why" 2 \
    "$(jq '[.why[] | select(test("no such file, skipped"))] | length' \
        "$T/o-inc/boot.json")"
check_eq "missing INCLUDEs: the decisions stay in the summary" 3 \
    "$(grep -c '^  why:     ' "$T/out")"

# A long kernel name (vmlinuz-6.1.0-57-amd64) broke the columns.
rm -rf "$T/long"
cp -R "$T/tree" "$T/long"
mv "$T/long/boot/vmlinuz-virt" "$T/long/boot/vmlinuz-6.1.0-57-amd64-virt"
sed 's|/boot/vmlinuz-virt|/boot/vmlinuz-6.1.0-57-amd64-virt|' "$cfg" \
    >"$T/long/boot/syslinux/syslinux.cfg"
mkiso "$T/long" "$T/long.iso"
expect_exit 0 "a long kernel name: exit 0" isoboot --no-disk -o "$T/o-long" \
    "$T/long.iso"
check_eq "a long kernel name: the role column stays in line" \
    "30 30 30 30 30" \
    "$(awk '/ (kernel|initrd|command line|script|decisions)  / {
        printf "%s%d", n++ ? " " : "", match($0, / (kernel|initrd|command line|script|decisions)  /) }' \
        "$T/out")"
ksize=$(wc -c <"$kernel" | tr -d ' ')
check_grep "the stamp records the kernel's size and mtime" \
    "^file \"vmlinuz-virt\" $ksize [0-9]*\.[0-9]\{9\}\$" "$D/.isoboot-stamp"

# 2. A second identical run: nothing written, nothing even renamed.
snap "$D" >"$T/snap1"
cp "$D/run" "$T/run.1"
cp "$D/boot.json" "$T/boot.json.1"
expect_exit 0 "second run: exit 0" isoboot "$iso"
check_grep "second run: says nothing changed" \
    "^$name: up to date, nothing changed\$" "$T/out"
check_eq "second run: nothing written" 0 "$(grep -c ' written$' "$T/out")"
snap "$D" >"$T/snap2"
check_files "second run: no inode or mtime changed (.isoboot-stamp too)" \
    "$T/snap1" "$T/snap2"
check_eq "second run: the stamp is among them" 1 \
    "$(grep -c '^\.isoboot-stamp ' "$T/snap2")"

# 3. The image touched: the boot files extracted again, the disk kept.
touch -t 203501010000 "$iso"
expect_exit 0 "touched image: exit 0" isoboot "$iso"
snap "$D" >"$T/snap3"
for f in vmlinuz-virt initramfs-virt .isoboot-stamp; do
	rewritten "touched image: $f written again" "$T/snap2" "$T/snap3" "$f"
done
for f in disk.img cmdline run boot.json; do
	same "touched image: $f kept (same inode and mtime)" "$T/snap2" \
	    "$T/snap3" "$f"
done
check_eq "touched image: no 'nothing changed'" 0 \
    "$(grep -c 'nothing changed' "$T/out")"
check_files "touched image: the kernel is still the image's" \
    "$T/tree/boot/vmlinuz-virt" "$D/vmlinuz-virt"

# 4. Only the VM's options change: run and boot.json, not the boot files.
# (vmnet, not vpnkit: vpnkit's socket under this deep test directory
# would pass macOS's 104-byte limit, which isoboot rightly refuses.)
for opts in "-m 2g" "-t hyperkit --net vmnet"; do
	# shellcheck disable=SC2086 # the options, split on purpose
	expect_exit 0 "$opts: exit 0" isoboot $opts "$iso"
	snap "$D" >"$T/snap4"
	for f in vmlinuz-virt initramfs-virt disk.img cmdline \
	    .isoboot-stamp; do
		same "$opts: $f not written" "$T/snap3" "$T/snap4" "$f"
	done
	for f in run boot.json; do
		rewritten "$opts: $f rewritten" "$T/snap3" "$T/snap4" "$f"
	done
	case $opts in
	-m*)
		check_grep "$opts: run gives qemu 2048 MiB" \
		    "^[[:space:]]*-m 2048 " "$D/run"
		check_eq "$opts: boot.json's memory" 2147483648 \
		    "$(jq -r .vm.memory "$D/boot.json")"
		;;
	*)
		check_grep "$opts: run gives hyperkit a virtio-net" \
		    "^[[:space:]]*-s 2:0,virtio-net" "$D/run"
		check_eq "$opts: boot.json's target and net" "hyperkit vmnet" \
		    "$(jq -j '.vm.target, " ", .vm.net' "$D/boot.json")"
		;;
	esac
	expect_exit 0 "$opts, then the old options: exit 0" isoboot "$iso"
	check_files "$opts, then the old options: run's old bytes" \
	    "$T/run.1" "$D/run"
	check_files "$opts, then the old options: boot.json's old bytes" \
	    "$T/boot.json.1" "$D/boot.json"
	snap "$D" >"$T/snap3"
done

# 5. A boot file removed or changed: extracted again.
rm "$D/initramfs-virt"
expect_exit 0 "initrd removed: exit 0" isoboot "$iso"
check_files "initrd removed: extracted again" "$T/tree/boot/initramfs-virt" \
    "$D/initramfs-virt"
check_grep "initrd removed: the summary says written" \
    "^  initramfs-virt .* written\$" "$T/out"
# A second later, as an edit would be: the stamp compares sizes and
# mtimes, which have whole seconds only in the portable build.
sleep 1
printf 'XXXX' | dd of="$D/vmlinuz-virt" bs=1 seek=4096 conv=notrunc \
    2>/dev/null
expect_exit 0 "kernel changed: exit 0" isoboot "$iso"
check_files "kernel changed: extracted again" "$T/tree/boot/vmlinuz-virt" \
    "$D/vmlinuz-virt"
head -c 1000 "$kernel" >"$D/vmlinuz-virt"
expect_exit 0 "kernel truncated: exit 0" isoboot "$iso"
check_files "kernel truncated: extracted again" "$T/tree/boot/vmlinuz-virt" \
    "$D/vmlinuz-virt"
cd "$T" || exit 1

# 6. disk.img is never overwritten; --no-disk makes none.
mkdir "$T/dk"
awk 'BEGIN { for (i = 0; i < 65536; i++) printf "0123456789abcdef" }' \
    >"$T/dk/disk.img"
cp "$T/dk/disk.img" "$T/pattern"
s0=$(fstamp "$T/dk/disk.img")
expect_exit 0 "an existing 1 MiB disk.img, --disk-size 2g: exit 0" \
    isoboot --disk-size 2g -o "$T/dk" "$iso"
check_files "--disk-size 2g: disk.img's bytes unchanged" "$T/pattern" \
    "$T/dk/disk.img"
check_eq "--disk-size 2g: disk.img's inode and mtime unchanged" "$s0" \
    "$(fstamp "$T/dk/disk.img")"
check_grep "--disk-size 2g: the warning names disk.img" "disk.img" "$T/err"
check_grep "--disk-size 2g: ... its size" "1\.0 MiB" "$T/err"
check_grep "--disk-size 2g: ... and the size asked for" "2 GiB" "$T/err"
check_grep "--disk-size 2g: the summary says kept" \
    "^  disk.img .* 1\.0 MiB .* kept\$" "$T/out"
check_grep "--disk-size 2g: run attaches the disk as it is" \
    "file=$P/dk/disk.img,format=raw" "$T/dk/run"
expect_exit 0 "the same disk without --disk-size: exit 0" \
    isoboot -o "$T/dk" "$iso"
check_eq "without --disk-size: no warning" "" "$(cat "$T/err")"
check_files "without --disk-size: disk.img's bytes unchanged" \
    "$T/pattern" "$T/dk/disk.img"
expect_exit 0 "--no-disk: exit 0" isoboot --no-disk -o "$T/nd" "$iso"
not_there "--no-disk: no disk.img" "$T/nd" disk.img
check_eq "--no-disk: run has no disk" 0 "$(grep -c 'disk\.img' "$T/nd/run")"
check_eq "--no-disk: boot.json's VM has no disk" 0 \
    "$(jq -r '.vm.disks // [] | length' "$T/nd/boot.json")"
# Was a bug: boot.json described a disk.img that is not there.
check_eq "--no-disk: boot.json's .disk is null" null \
    "$(jq -c .disk "$T/nd/boot.json")"

# 7. Several initrds: joined, each padded to 4 bytes.
mkdir -p "$T/multi/boot/syslinux" "$T/cp"
cp "$isolinux" "$T/multi/boot/syslinux/isolinux.bin"
cp "$kernel" "$T/multi/boot/vmlinuz-virt"
echo a >"$T/cp/a"
echo bb >"$T/cp/b"
(cd "$T/cp" && echo a | cpio -o -H newc --quiet) >"$T/multi/boot/a.img"
printf 'z' >>"$T/multi/boot/a.img"
(cd "$T/cp" && echo b | cpio -o -H newc --quiet) >"$T/multi/boot/b.img"
cat >"$T/multi/boot/syslinux/syslinux.cfg" <<'EOF'
DEFAULT virt
LABEL virt
KERNEL /boot/vmlinuz-virt
INITRD /boot/a.img,/boot/b.img
APPEND modules=loop,squashfs quiet
EOF
mkiso "$T/multi" "$T/multi.iso"
asize=$(wc -c <"$T/multi/boot/a.img" | tr -d ' ')
check_eq "a.img's size is not a multiple of 4 (the join pads it)" 1 \
    "$([ $((asize % 4)) -ne 0 ] && echo 1)"
{
	cat "$T/multi/boot/a.img"
	head -c $(((4 - asize % 4) % 4)) /dev/zero
	cat "$T/multi/boot/b.img"
} >"$T/joined"
expect_exit 0 "two initrds: exit 0" isoboot -o "$T/mo" "$T/multi.iso"
check_files "initrd-joined.img is a.img, zeros to 4 bytes, b.img" \
    "$T/joined" "$T/mo/initrd-joined.img"
check_files "two initrds: a.img as it is" "$T/multi/boot/a.img" \
    "$T/mo/a.img"
check_grep "two initrds: run boots the joined initrd" \
    "^[[:space:]]*-initrd $P/mo/initrd-joined.img " "$T/mo/run"
check_eq "two initrds: boot.json's VM boots it" "$P/mo/initrd-joined.img" \
    "$(jq -r .vm.initrd "$T/mo/boot.json")"
check_eq "two initrds: boot.json lists it" "joined initrd" \
    "$(jq -r '.files[] | select(.name == "initrd-joined.img") | .role' \
    "$T/mo/boot.json")"
expect_exit 0 "two initrds, again: exit 0" isoboot -o "$T/mo" "$T/multi.iso"
check_grep "two initrds, again: nothing changed" "nothing changed" "$T/out"
rm "$T/mo/initrd-joined.img"
expect_exit 0 "joined initrd removed: exit 0" isoboot -o "$T/mo" \
    "$T/multi.iso"
check_files "joined initrd removed: made again" "$T/joined" \
    "$T/mo/initrd-joined.img"

# 8. -l: another entry; an unknown label.
mkdir -p "$T/lab/boot/syslinux"
cp "$isolinux" "$T/lab/boot/syslinux/isolinux.bin"
cp "$kernel" "$T/lab/boot/vmlinuz-virt"
cp "$T/initrd.gz" "$T/lab/boot/initramfs-virt"
{
	cat "$cfg"
	printf '\nLABEL rescue\nMENU LABEL Linux rescue\n'
	printf 'KERNEL /boot/vmlinuz-virt\nINITRD /boot/initramfs-virt\n'
	printf 'APPEND rescue=1 console=ttyS0,115200 quiet\n'
} >"$T/lab/boot/syslinux/syslinux.cfg"
mkiso "$T/lab" "$T/lab.iso"
expect_exit 0 "-l rescue: exit 0" isoboot -l rescue -o "$T/l1" "$T/lab.iso"
check_eq "-l rescue: cmdline" "earlyprintk=serial,ttyS0 console=ttyS0 rescue=1" \
    "$(cat "$T/l1/cmdline")"
check_eq "-l rescue: cmdline is syslinux2cmdline -l rescue --serial's" \
    "$(syslinux2cmdline -i "$T/lab.iso" -l rescue --serial)" \
    "$(cat "$T/l1/cmdline")"
check_eq "-l rescue: boot.json's label" rescue \
    "$(jq -r .label "$T/l1/boot.json")"
expect_exit 0 "the same image, default entry: exit 0" isoboot -o "$T/l1" \
    "$T/lab.iso"
check_eq "the default entry: cmdline follows" "$want" \
    "$(cat "$T/l1/cmdline")"
# The stamp records the entry, not how it was named.
expect_exit 0 "-l virt, the default entry by name: exit 0" isoboot -l virt \
    -o "$T/l1" "$T/lab.iso"
check_grep "-l virt, the default entry by name: nothing changed" \
    "nothing changed" "$T/out"
# Another image's entry in the same directory: the files only the old
# entry loaded go (a.img, b.img and the joined initrd); others stay.
touch "$T/mo/mine.txt"
expect_exit 0 "another image in the several-initrds directory: exit 0" \
    isoboot -o "$T/mo" "$T/lab.iso"
not_there "another image: the old entry's initrds and join removed" \
    "$T/mo" a.img b.img initrd-joined.img
check_eq "another image: its files and the user's file are there" 1 \
    "$([ -f "$T/mo/initramfs-virt" ] && [ -f "$T/mo/vmlinuz-virt" ] &&
        [ -f "$T/mo/mine.txt" ] && echo 1)"
expect_exit 1 "-l nosuch: exit 1" isoboot -l nosuch -o "$T/l2" "$T/lab.iso"
check_grep "-l nosuch: names the label" "'nosuch'" "$T/err"
check_grep "-l nosuch: starts with isoboot:" "^isoboot: " "$T/err"
not_there "-l nosuch: no cmdline, run or boot.json" "$T/l2" cmdline run \
    boot.json disk.img vmlinuz-virt initramfs-virt .isoboot-stamp

# 9. Errors.
expect_exit 1 "a missing image: exit 1" isoboot -o "$T/e1" "$T/nosuch.iso"
check_eq "a missing image: one line" 1 "$(lines "$T/err")"
check_grep "a missing image: names it" "^isoboot: .*nosuch\.iso" "$T/err"
mkdir "$T/cwd2"
cd "$T/cwd2" || exit 1
expect_exit 1 "a missing image, default directory: exit 1" isoboot typo.iso
# Was a bug: a mistyped name left an empty ./typo behind.
check_eq "a missing image: no ./typo directory made" "" "$(ls -A)"
# The default output directory cannot be made: say that it is the
# default, and the way out (was: "isoboot: NAME: Not a directory").
cp "$iso" "$T/cwd2/img.iso"
: >"$T/cwd2/img"
expect_exit 1 "the default directory is a file: exit 1" isoboot img.iso
check_eq "the default directory is a file: says it is the default, and -o" \
    "isoboot: img: Not a directory (the default output directory, named after the image: choose another with -o DIR)" \
    "$(cat "$T/err")"
expect_exit 1 "-o a file: exit 1" isoboot -o img img.iso
check_eq "-o a file: no word of a default" "isoboot: img: Not a directory" \
    "$(cat "$T/err")"
# Parents are not made: say so (was: "No such file or directory").
expect_exit 1 "-o with a missing parent: exit 1" isoboot -o no/vm img.iso
check_eq "-o with a missing parent: says parents are not made" \
    "isoboot: no/vm: its parent directory does not exist (only the last directory of a path is made)" \
    "$(cat "$T/err")"
not_there "-o with a missing parent: nothing made" "$T/cwd2" no
rm -f "$T/cwd2/img" "$T/cwd2/img.iso"
cd "$T" || exit 1
head -c 65536 /dev/urandom >"$T/random.iso"
head -c 40960 "$iso" >"$T/cut40k.iso"
mkdir "$T/plain"
echo "no boot config" >"$T/plain/README"
xorriso -as mkisofs -quiet -R -o "$T/plain.iso" "$T/plain" 2>/dev/null
for bad in random cut40k plain; do
	expect_exit 1 "$bad.iso: exit 1" isoboot -o "$T/o-$bad" "$T/$bad.iso"
	check_eq "$bad.iso: one line" 1 "$(lines "$T/err")"
	# Was a bug: "isoboot: boot menu: not an ISO 9660 image: ..." named
	# no file; then an internal step name came first ("boot menu:").
	check_grep "$bad.iso: isoboot: and the image as given come first" \
	    "^isoboot: $T/$bad\.iso: " "$T/err"
	not_there "$bad.iso: no outputs" "$T/o-$bad" cmdline run boot.json \
	    disk.img .isoboot-stamp vmlinuz-virt initramfs-virt
	check_eq "$bad.iso: no temporaries" "" "$(temporaries "$T/o-$bad")"
done
check_grep "plain.iso: says there is no boot config" "syslinux\.cfg" \
    "$T/err"
# A web page saved as .iso: say so (was "unexpected PVD type 111").
{
	printf '<!DOCTYPE html>\n<html><head><title>404</title></head>\n'
	head -c 40000 /dev/zero | tr '\0' ' '
} >"$T/page.iso"
expect_exit 1 "a web page saved as .iso: exit 1" isoboot -o "$T/o-page" \
    "$T/page.iso"
check_eq "a web page saved as .iso: says what it is" \
    "isoboot: $T/page.iso: not an ISO 9660 image: an HTML page (a download that failed?)" \
    "$(cat "$T/err")"
# Cut where the kernel's data is: the extraction fails half way.
head -c 5000000 "$iso" >"$T/cut5m.iso"
expect_exit 1 "an image cut in the kernel: exit 1" isoboot -o "$T/o-5m" \
    "$T/cut5m.iso"
# Was: "isoboot: extract: /abs/path/cut5m.iso: ...", a step name and a
# path the user did not type.
check_grep "an image cut in the kernel: names the image as given" \
    "^isoboot: $T/cut5m\.iso: /boot/vmlinuz-virt: " "$T/err"
not_there "an image cut in the kernel: no kernel, cmdline, run" \
    "$T/o-5m" vmlinuz-virt cmdline run boot.json disk.img
check_eq "an image cut in the kernel: no temporaries" "" \
    "$(temporaries "$T/o-5m")"
# Usage errors: status 2 and nothing made.
mkdir "$T/cwd3"
cd "$T/cwd3" || exit 1
expect_exit 2 "usage: no image" isoboot
expect_exit 2 "usage: two images" isoboot "$iso" "$iso"
check_grep "usage: two images: says so" "one ISO at a time" "$T/err"
expect_exit 2 "usage: -t bogus" isoboot -t bogus "$iso"
check_grep "usage: -t bogus: names it" "'bogus'" "$T/err"
expect_exit 2 "usage: -m lots" isoboot -m lots "$iso"
expect_exit 2 "usage: -m 0" isoboot -m 0 "$iso"
# Was a bug: the disk size parser's text ("a disk needs at least one
# 512-byte sector").
check_eq "usage: -m 0: the message is about memory, not a disk" \
    "1 0" "$(grep -c '^isoboot: --memory: ' "$T/err") $(grep -c disk "$T/err")"
expect_exit 2 "usage: --disk-size huge" isoboot --disk-size huge "$iso"
expect_exit 2 "usage: --disk-size 0" isoboot --disk-size 0 "$iso"
expect_exit 2 "usage: -c 0" isoboot -c 0 "$iso"
expect_exit 2 "usage: --platform uefi" isoboot --platform uefi "$iso"
expect_exit 2 "usage: --json with -q" isoboot --json -q "$iso"
expect_exit 2 "usage: an unknown option" isoboot --bogus "$iso"
check_eq "usage errors make nothing" "" "$(ls -A)"
cd "$T" || exit 1

# 10. vfkit: a gzip'd arm64 Image is unpacked into DIR/Image.
sh "$IB_TOP/tests/lib/arm64-image.sh" "$T/Image"
mkdir -p "$T/arm/boot/syslinux"
cp "$isolinux" "$T/arm/boot/syslinux/isolinux.bin"
cp "$cfg" "$T/arm/boot/syslinux/syslinux.cfg"
gzip -9nc "$T/Image" >"$T/arm/boot/vmlinuz-virt"
cp "$T/initrd.gz" "$T/arm/boot/initramfs-virt"
mkiso "$T/arm" "$T/arm.iso"
V=$P/vo
expect_exit 0 "vfkit: exit 0" isoboot -t vfkit -o "$V" "$T/arm.iso"
check_files "vfkit: DIR/Image is the uncompressed kernel" "$T/Image" \
    "$V/Image"
check_files "vfkit: the compressed kernel as it is in the image" \
    "$T/arm/boot/vmlinuz-virt" "$V/vmlinuz-virt"
check_grep "vfkit: run boots DIR/Image" \
    "--bootloader 'linux,kernel=$V/Image,initrd=$V/initramfs-virt," "$V/run"
# earlyprintk=serial is x86's; vfkit's console is virtio (hvc0).
check_eq "vfkit: cmdline on hvc0" \
    "console=hvc0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod" \
    "$(cat "$V/cmdline")"
check_eq "vfkit: boot.json's VM boots Image" "$V/Image" \
    "$(jq -r .vm.kernel "$V/boot.json")"
snap "$V" >"$T/vsnap1"
expect_exit 0 "vfkit, again: exit 0" isoboot -t vfkit -o "$V" "$T/arm.iso"
snap "$V" >"$T/vsnap2"
same "vfkit, again: Image not written" "$T/vsnap1" "$T/vsnap2" Image
check_grep "vfkit, again: nothing changed" "nothing changed" "$T/out"
# Was a bug: DIR/Image was not in the stamp, so a changed or emptied
# Image stayed as it was and was booted.
sleep 1 # (as above, for the portable build's whole-second mtimes)
printf 'XXXX' | dd of="$V/Image" bs=1 seek=200 conv=notrunc 2>/dev/null
expect_exit 0 "vfkit, Image changed: exit 0" isoboot -t vfkit -o "$V" \
    "$T/arm.iso"
check_files "vfkit, Image changed: unpacked again" "$T/Image" \
    "$V/Image"
printf "" >"$V/Image"
expect_exit 0 "vfkit, Image emptied: exit 0" isoboot -t vfkit -o "$V" \
    "$T/arm.iso"
check_files "vfkit, Image emptied: unpacked again" "$T/Image" \
    "$V/Image"
rm -f "$V/Image"
expect_exit 0 "vfkit, Image removed: exit 0" isoboot -t vfkit -o "$V" \
    "$T/arm.iso"
check_files "vfkit, Image removed: unpacked again" "$T/Image" "$V/Image"

# 11. --json and -q.
expect_exit 0 "--json: exit 0" isoboot --json -o "$T/js" "$iso"
check_files "--json prints boot.json's bytes" "$T/js/boot.json" "$T/out"
check_eq "--json: nothing on stderr" "" "$(cat "$T/err")"
expect_exit 0 "--json, again: exit 0" isoboot --json -o "$T/js" "$iso"
check_files "--json, again: the same bytes" "$T/js/boot.json" "$T/out"
expect_exit 0 "-q: exit 0" isoboot -q -o "$T/qu" "$iso"
check_eq "-q: nothing on stdout or stderr" "" "$(cat "$T/out" "$T/err")"
check_files "-q: the outputs all the same" "$T/tree/boot/vmlinuz-virt" \
    "$T/qu/vmlinuz-virt"

# 12. --run: the run script, and so the hypervisor, after the recipe.
mkdir "$T/bin"
cat >"$T/bin/hv" <<'EOF'
#!/bin/sh
printf '%s\n' "$@" >"$FAKE_ARGS"
exit "${FAKE_EXIT:-0}"
EOF
chmod +x "$T/bin/hv"
FAKE_ARGS=$T/args
export FAKE_ARGS
expect_exit 0 "--run: exit 0 (the hypervisor's)" isoboot -q --run \
    --argv0 "$T/bin/hv" -o "$T/r" "$iso"
check_eq "--run: the fake hypervisor ran" 1 \
    "$([ -s "$T/args" ] && echo 1)"
check_eq "--run: the kernel's path is among its args" \
    "-kernel $P/r/vmlinuz-virt" \
    "$(grep -x -B1 -- "$P/r/vmlinuz-virt" "$T/args" | tr '\n' ' ' |
    sed 's/ $//')"
check_eq "--run: the command line too" "$want" \
    "$(grep -x -A1 -- -append "$T/args" | tail -n 1)"
check_eq "--run: no pidfile left" 0 \
    "$([ -e "$T/r/run.pid" ] && echo 1 || echo 0)"
rm -f "$T/args"
run env FAKE_EXIT=3 isoboot -q --run --argv0 "$T/bin/hv" -o "$T/r" "$iso"
check_eq "--run: the hypervisor's status is isoboot's" 3 "$rc"
# A directory whose name has a space and a quote: the script's quoting.
expect_exit 0 "--run, a directory named \"a b'c\": exit 0" isoboot -q \
    --run --argv0 "$T/bin/hv" -o "$T/a b'c" "$iso"
check_eq "--run, \"a b'c\": the kernel's path intact" 1 \
    "$(grep -c -x -- "$P/a b'c/vmlinuz-virt" "$T/args")"

# 13. Progress on a terminal; none without one (part 1).
if script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "isoboot -o '$P/pty' '$iso'" /dev/null >"$T/pty.out" \
	    2>&1
	check_eq "on a tty: exit 0" 0 "$?"
	check_grep "on a tty: extracting vmlinuz-virt" \
	    "extracting vmlinuz-virt" "$T/pty.out"
	check_grep "on a tty: sizes in MiB" "MiB / 7\.8 MiB" "$T/pty.out"
	check_files "on a tty: the kernel all the same" \
	    "$T/tree/boot/vmlinuz-virt" "$T/pty/vmlinuz-virt"
else
	skip "progress: no util-linux script(1) for a tty"
fi

# 14. --mk-path.
check_eq "--mk-path: ISOBOOT_MK" /x/y "$(ISOBOOT_MK=/x/y isoboot --mk-path)"
for how in "$IB_BIN/isoboot" isoboot; do
	mk=$(unset ISOBOOT_MK; "$how" --mk-path 2>/dev/null)
	case $mk in
	*/share/isoboot/isoboot.mk) ok "--mk-path ($how): .../isoboot.mk" ;;
	*) fail "--mk-path ($how): .../isoboot.mk (it is: $mk)" ;;
	esac
	check_files "--mk-path ($how): a copy of share/isoboot.mk" \
	    "$IB_TOP/share/isoboot.mk" "$mk"
done
expect_exit 2 "--mk-path ISO: a usage error" isoboot --mk-path "$iso"

# 15. Real images: Debian's netboot mini.iso, ipxe.iso.
mini=$(dpkg -L debian-installer-12-netboot-amd64 2>/dev/null |
    grep '/mini\.iso$' | head -n 1)
if [ -z "$mini" ]; then
	# The package ships the netboot tree, not mini.iso: make the image
	# Debian makes from it (the tree, its syslinux.cfg as isolinux.cfg).
	mkdir "$T/mini"
	cp -R "$di/debian-installer" "$T/mini/"
	cp "$di/debian-installer/amd64/boot-screens/syslinux.cfg" \
	    "$T/mini/isolinux.cfg"
	cp "$isolinux" "$T/mini/isolinux.bin"
	mini=$T/mini.iso
	xorriso -as mkisofs -quiet -R -J -b isolinux.bin -c boot.cat \
	    -no-emul-boot -boot-load-size 4 -boot-info-table -o "$mini" \
	    "$T/mini" 2>/dev/null
	rm -rf "$T/mini"
fi
expect_exit 0 "netboot mini.iso: exit 0" isoboot -o "$T/deb" "$mini"
check_files "netboot mini.iso: linux, byte for byte" "$kernel" \
    "$T/deb/linux"
check_files "netboot mini.iso: initrd.gz, byte for byte" "$netinitrd" \
    "$T/deb/initrd.gz"
check_eq "netboot mini.iso: boot.json's kernel and initrd" \
    "linux initrd.gz" \
    "$(jq -r '[.files[] | select(.role == "kernel" or .role == "initrd") |
    .name] | join(" ")' "$T/deb/boot.json")"
check_eq "netboot mini.iso: no warning" "" "$(cat "$T/err")"
check_eq "netboot mini.iso: the Install entry's command line" \
    "earlyprintk=serial,ttyS0 console=ttyS0 --- quiet" "$(cat "$T/deb/cmdline")"
ipxe=/usr/lib/ipxe/ipxe.iso
if optional "$ipxe" "ipxe.iso"; then
	expect_exit 0 "ipxe.iso: exit 0 (a warning, not an error)" \
	    isoboot -o "$T/ipxe" "$ipxe"
	check_grep "ipxe.iso: warns the kernel may not be Linux" \
	    "^isoboot: .*ipxe\.iso: the entry's kernel may not be Linux" \
	    "$T/err"
	check_grep "ipxe.iso: ... says it is iPXE" "iPXE" "$T/err"
	check_eq "ipxe.iso: ipxe.krn extracted" 1 \
	    "$([ -s "$T/ipxe/ipxe.krn" ] && echo 1)"
	expect_exit 0 "ipxe.iso, -q: exit 0" isoboot -q -o "$T/ipxe" "$ipxe"
	check_grep "ipxe.iso, -q: the warning still goes to stderr" \
	    "may not be Linux" "$T/err"
fi

# 16. Hostile entries.
# A label and command line with terminal escapes: quoted in the summary
# (the cmdline file keeps the bytes).
mkdir -p "$T/esc/boot/syslinux"
cp "$isolinux" "$T/esc/boot/syslinux/isolinux.bin"
cp "$kernel" "$T/esc/boot/vmlinuz"
cp "$T/initrd.gz" "$T/esc/boot/initrd"
esc=$(printf '\033')
printf 'DEFAULT a%s]2;pwn\nLABEL a%s]2;pwn\nKERNEL /boot/vmlinuz\nINITRD /boot/initrd\nAPPEND x=%s[2J\n' \
    "$esc" "$esc" "$esc" >"$T/esc/boot/syslinux/syslinux.cfg"
mkiso "$T/esc" "$T/esc.iso"
expect_exit 0 "escapes in the label and cmdline: exit 0" isoboot --no-disk \
    -o "$T/eo" "$T/esc.iso"
check_eq "escapes: no raw ESC in the summary" 0 \
    "$(grep -c "$esc" "$T/out")"
check_grep "escapes: the label shown as \\033" "entry 'a\\\\033]2;pwn'" \
    "$T/out"
check_eq "escapes: the cmdline file keeps the byte" 1 \
    "$(grep -c "x=$esc\[2J" "$T/eo/cmdline")"
# A kernel path that climbs: the file lands in DIR, nothing outside.
entry_iso "$T/climb.iso" /boot/../../../../tmp/evil /boot/initrd
mkdir -p "$T/hx/x1/x2/x3"
had_evil=$([ -e /tmp/evil ] && echo 1)
tree_sig "$T/hx" >"$T/hx.before"
# (--no-disk: tree_sig would hash 8 GiB of zeros.)
expect_exit 0 "a kernel path climbing with ..: exit 0" isoboot -q \
    --no-disk -o "$T/hx/x1/x2/x3/out" "$T/climb.iso"
tree_sig "$T/hx" | grep -v '^[a-z] \./x1/x2/x3/out' >"$T/hx.after"
check_files "..: nothing written outside DIR" "$T/hx.before" "$T/hx.after"
check_files "..: the file is DIR/evil" "$T/h/tmp/evil" \
    "$T/hx/x1/x2/x3/out/evil"
if [ -z "$had_evil" ]; then
	check_eq "..: no /tmp/evil" 0 \
	    "$([ -e /tmp/evil ] && echo 1 || echo 0)"
fi
# The names isoboot writes itself: refused, as the kernel or an initrd.
for n in run boot.json cmdline disk.img Image initrd-joined.img \
    .isoboot-stamp; do
	entry_iso "$T/res.iso" /boot/vmlinuz "/boot/$n"
	rm -rf "$T/res"
	expect_exit 1 "an initrd named $n: refused" isoboot -q -o "$T/res" \
	    "$T/res.iso"
	check_grep "an initrd named $n: says it is isoboot's name" \
	    "a file named '$n', a name isoboot uses for its own output" \
	    "$T/err"
	check_eq "an initrd named $n: nothing written" "" "$(ls -A "$T/res" 2>/dev/null)"
done
for n in run boot.json; do
	entry_iso "$T/res.iso" "/boot/$n" /boot/initrd
	rm -rf "$T/res"
	expect_exit 1 "a kernel named $n: refused" isoboot -q -o "$T/res" \
	    "$T/res.iso"
	check_grep "a kernel named $n: says why" "'$n', a name isoboot uses" \
	    "$T/err"
	check_eq "a kernel named $n: nothing written" "" "$(ls -A "$T/res" 2>/dev/null)"
done
# Was a bug: an entry's file named run.pid (the run script's pidfile in
# DIR) was extracted, overwritten with a pid and deleted.
entry_iso "$T/pid.iso" /boot/vmlinuz /boot/run.pid
rm -rf "$T/pid" "$T/args"
run isoboot -q --run --argv0 "$T/bin/hv" -o "$T/pid" "$T/pid.iso"
if [ "$rc" -eq 1 ] && grep -q "a name isoboot uses" "$T/err"; then
	ok "an initrd named run.pid: refused"
elif cmp -s "$T/h/boot/run.pid" "$T/pid/run.pid"; then
	ok "an initrd named run.pid: intact after the VM ran"
else
	fail "an initrd named run.pid: refused, or intact after the VM ran"
	echo "#   status $rc; in DIR: $(cd "$T/pid" && find . ! -name . |
	    sort | tr '\n' ' ')"
fi
# Two files with one name: refused, not one in place of the other.
entry_iso "$T/dup.iso" /boot/vmlinuz /a/x.img,/b/x.img
mkdir -p "$T/h/a" "$T/h/b"
printf 'AAAA' >"$T/h/a/x.img"
printf 'BBBBBB' >"$T/h/b/x.img"
rm "$T/dup.iso"
mkiso "$T/h" "$T/dup.iso"
expect_exit 1 "two initrds of one name: refused" isoboot -q -o "$T/dup" \
    "$T/dup.iso"
check_grep "two initrds of one name: says so" "x\.img.*same name" "$T/err"
not_there "two initrds of one name: no run, no joined initrd" "$T/dup" run \
    initrd-joined.img cmdline boot.json
# A kernel that is a symlink out of the image: never followed.
rm -rf "$T/h"
mkdir -p "$T/h/boot/syslinux"
cp "$isolinux" "$T/h/boot/syslinux/isolinux.bin"
cp "$cfg" "$T/h/boot/syslinux/syslinux.cfg"
ln -s /etc/passwd "$T/h/boot/vmlinuz-virt"
cp "$T/initrd.gz" "$T/h/boot/initramfs-virt"
mkiso "$T/h" "$T/sym.iso"
expect_exit 1 "a kernel that is a symlink to /etc/passwd: refused" \
    isoboot -q -o "$T/sym" "$T/sym.iso"
check_eq "a symlinked kernel: no vmlinuz-virt, no symlink" 0 \
    "$([ -e "$T/sym/vmlinuz-virt" ] || [ -L "$T/sym/vmlinuz-virt" ] &&
    echo 1 || echo 0)"
# Outputs that are symlinks out of DIR: replaced, never written through.
mkdir "$T/sl"
echo victim >"$T/victim"
cp "$T/victim" "$T/victim.orig"
for f in vmlinuz-virt initramfs-virt run boot.json cmdline .isoboot-stamp; do
	ln -s ../victim "$T/sl/$f"
done
expect_exit 0 "outputs that are symlinks out of DIR: exit 0" isoboot -q \
    -o "$T/sl" "$iso"
check_files "symlinked outputs: the file they pointed to is untouched" \
    "$T/victim.orig" "$T/victim"
check_eq "symlinked outputs: replaced by files" "" \
    "$(find "$T/sl" -type l)"
# An image whose name does not end in .iso, run from its own directory.
mkdir "$T/img"
cp "$iso" "$T/img/alp.img"
cd "$T/img" || exit 1
run isoboot -q alp.img
# Was a bug: the default directory of alp.img was alp.img itself.
if { [ "$rc" -eq 0 ] && [ -n "$(find "$T/img" -name run)" ]; } ||
    { [ "$rc" -eq 2 ] && grep -q -- '-o' "$T/err"; }; then
	ok "an image named alp.img: a directory of its own, or asks for -o"
else
	fail "an image named alp.img: a directory of its own, or asks for -o"
	echo "#   status $rc: $(cat "$T/err")"
fi
cd "$T" || exit 1

# 17. The VM boots: qemu (TCG) from DIR/run, the guest reports its
# /proc/cmdline on the serial port and powers off.

# Two runs on one directory: the second waits for the first (it says
# so, naming the first's pid) and then writes all of its own outputs.
# The first reads its image from a FIFO, so it holds the directory until
# the image is fed. Without the lock the two mixed: boot.json for one
# target, run for the other.
mkfifo "$T/slow.iso"
isoboot -q -t qemu -o "$T/two" "$T/slow.iso" >"$T/first.out" \
    2>"$T/first.err" &
first=$!
# Wait (at most 20 s) until the first holds the directory.
i=0
while [ ! -e "$T/two/.isoboot-lock" ] && [ "$i" -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
# The file appears just before the lock is taken: give it that moment.
sleep 1
isoboot -q -t hyperkit -o "$T/two" "$iso" >"$T/second.out" \
    2>"$T/second.err" &
second=$!
i=0
while ! grep -q waiting "$T/second.err" && [ "$i" -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq "two runs: the second says it waits, naming the first" \
    "isoboot: $T/two: another isoboot (pid $first) is writing it: waiting" \
    "$(cat "$T/second.err")"
cat "$iso" >"$T/slow.iso"
wait "$first"
rc1=$?
wait "$second"
rc2=$?
check_eq "two runs: both exit 0" "0 0" "$rc1 $rc2"
check_eq "two runs: boot.json is the second's (hyperkit)" hyperkit \
    "$(jq -r .vm.target "$T/two/boot.json")"
check_grep "two runs: run is the second's too" 'hyperkit' "$T/two/run"
not_there "two runs: the lock goes with the last run" "$T/two" .isoboot-lock

if command -v qemu-system-x86_64 >/dev/null 2>&1 &&
    command -v timeout >/dev/null 2>&1; then
	accel=tcg
	[ "${IB_KVM:-}" = 1 ] && accel=kvm:tcg
	vm=$(mktemp -d /tmp/ibvm.XXXXXX)
	expect_exit 0 "boot: isoboot --accel $accel" isoboot -q \
	    --accel "$accel" -o "$vm/d" "$iso"
	check_grep "boot: run uses that accelerator" "accel=$accel " "$vm/d/run"
	timeout 120 "$vm/d/run" </dev/null >"$T/serial" 2>"$T/qemu.err"
	qrc=$?
	if [ "$qrc" -eq 0 ]; then
		ok "boot: run exits 0: the guest powered off by itself"
	else
		fail "boot: run exits 0 (status $qrc; 124: killed after 120 s)"
		sed 's/^/#   qemu: /' "$T/qemu.err" | head -n 10
		tr -d '\r' <"$T/serial" | tail -n 15 | sed 's/^/#   serial: /'
	fi
	guest_report "$T/serial" "$M" >"$T/report"
	check_grep "boot: the guest's report is complete" '^end$' "$T/report"
	check_eq "boot: DIR/cmdline" "$want" "$(cat "$vm/d/cmdline")"
	# "earlyprintk=serial console=ttyS0" made the 6.1 kernel log
	# "ERROR: earlyprintk= earlyser already used" at 0.000000.
	check_eq "boot: the kernel logs no earlyprintk error" "" \
	    "$(tr -d '\r' <"$T/serial" | grep 'earlyprintk.*already used')"
	check_eq "boot: /proc/cmdline is DIR/cmdline, byte for byte" \
	    "$(cat "$vm/d/cmdline")" "$(sed -n 's/^cmdline=//p' "$T/report")"
	check_eq "boot: the virtio disk is disk.img's 8 GiB" \
	    "capacity=16777216" \
	    "$(sed -n 's/^virtio-blk: [^ ]* //p' "$T/report")"
	check_grep "boot: the image is an ATAPI CD" '^ahci: .* sig=eb140101$' \
	    "$T/report"
	check_eq "boot: no pidfile left" 0 \
	    "$([ -e "$vm/d/run.pid" ] && echo 1 || echo 0)"
	rm -rf "$vm"
elif [ "${CI:-}" = true ]; then
	fail "boot: qemu-system-x86_64 or timeout is missing (run make deps)"
else
	skip "boot: qemu-system-x86_64 or timeout missing (run make deps)"
fi
done_testing
