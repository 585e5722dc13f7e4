#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# extract-disk: isoboot-extract -t and -x on disk images, against the
# filesystems' own tools. A GPT disk (p1 FAT made by mkfs.vfat and filled
# by mtools, p2 ext4 made by mke2fs -d, p3 XFS), an MBR disk (FAT, ext4),
# the GPT disk as compressed qcow2, and a bare ext4: -t lists exactly the
# paths debugfs rdump and mdir show (pN/ in front), -x writes the source
# trees' bytes and symlink targets; the XFS partition is a note and exit
# status 1; a FIFO is skipped with a note; a second -x replaces (or, with
# -k, keeps) files as for an ISO. Then hostile filesystems: a symlink to
# ../../../../etc, a name holding '/' and one patched to '..', a
# hard-linked directory loop in ext4, a directory block with a bad
# checksum, a FAT cluster loop, a destination
# whose pN is a symlink out: each ends within 10 s, with nothing written
# outside the destination.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need mke2fs debugfs sfdisk mkfs.vfat mcopy mdir mkfs.xfs qemu-img cmp \
    timeout od awk gzip
umask 022
# mtools: names in UTF-8; no geometry checks on image files.
MTOOLS_SKIP_CHECK=1
export MTOOLS_SKIP_CHECK
mt() { LC_ALL=C.UTF-8 "$@"; }

# --- the source trees --------------------------------------------------
# ext4: files around block sizes and one of 3 MB, a deep directory,
# names with spaces and UTF-8, symlinks (relative, absolute, dangling,
# to a directory), an empty directory, a FIFO, an old mtime.
src=$T/src
mkdir -p "$src/boot/grub" "$src/a/b/c/d/e/f/g/h" "$src/with space/é ü 日本" \
    "$src/empty"
head -c 3000000 /dev/urandom >"$src/boot/vmlinuz-6.1.0-13-amd64"
head -c 1500000 /dev/urandom >"$src/boot/initrd.img-6.1.0-13-amd64"
printf 'set default=0\n' >"$src/boot/grub/grub.cfg"
for n in 0 1 1023 1024 1025 4095 4096 4097 65536; do
	head -c "$n" /dev/urandom >"$src/a/size$n"
done
echo deep >"$src/a/b/c/d/e/f/g/h/file"
echo spaced >"$src/with space/é ü 日本/f ile"
ln -s boot/vmlinuz-6.1.0-13-amd64 "$src/vmlinuz"
ln -s /boot/initrd.img-6.1.0-13-amd64 "$src/initrd.img"
ln -s /etc/passwd "$src/hostpath"
ln -s nowhere "$src/dangling"
ln -s a/b "$src/dirlink"
touch -t 200102030405.06 "$src/a/size1"
mkfifo "$src/fifo"

# FAT: long names (spaces, Latin-1, CJK), 8.3 names, depth, sizes, an
# empty directory.
fsrc=$T/fsrc
mkdir -p "$fsrc/EFI/BOOT" "$fsrc/Long Directory Name" "$fsrc/empty-dir" \
    "$fsrc/d1/d2/d3/d4"
head -c 70000 /dev/urandom >"$fsrc/EFI/BOOT/BOOTX64.EFI"
head -c 2100000 /dev/urandom >"$fsrc/EFI/BOOT/grubx64.efi"
printf 'gruss' >"$fsrc/Long Directory Name/Grüße ü.cfg"
printf 'nihongo' >"$fsrc/Long Directory Name/日本語のファイル.txt"
printf 'cafe' >"$fsrc/naïve café.txt"
printf 'deep' >"$fsrc/d1/d2/d3/d4/deep.txt"
printf 'README' >"$fsrc/README.TXT"
: >"$fsrc/empty"

# --- the filesystems and disks ------------------------------------------
ext=$T/ext.img
mke2fs -q -F -t ext4 -d "$src" "$ext" 64M >/dev/null 2>&1
fat=$T/fat.img
mkfs.vfat -C "$fat" 32768 >/dev/null
mt mcopy -s -i "$fat" "$fsrc"/* ::/
xfs=$T/xfs.img
dd if=/dev/zero of="$xfs" bs=1048576 count=0 seek=320 2>/dev/null
mkfs.xfs -q -f "$xfs" >/dev/null 2>&1

# put IMG FS SECTOR: FS's bytes into IMG at SECTOR (512 bytes), sparse.
put() {
	dd if="$2" of="$1" bs=512 seek="$3" conv=notrunc,sparse 2>/dev/null
}

# disk IMG MIB TABLE: a sparse file of MIB MiB with sfdisk's TABLE.
disk() {
	rm -f "$1"
	dd if=/dev/zero of="$1" bs=1048576 count=0 seek="$2" 2>/dev/null
	printf '%s' "$3" | sfdisk -q "$1" >/dev/null
}

gpt=$T/gpt.img
disk "$gpt" 440 'label: gpt
start=2048, size=65536, type=U
start=67584, size=131072, type=L
start=198656, size=655360, type=L
'
put "$gpt" "$fat" 2048
put "$gpt" "$ext" 67584
put "$gpt" "$xfs" 198656
mbr=$T/mbr.img
disk "$mbr" 100 'label: dos
start=2048, size=65536, type=c
start=67584, size=131072, type=83
'
put "$mbr" "$fat" 2048
put "$mbr" "$ext" 67584
qcow=$T/gpt.qcow2
qemu-img convert -c -O qcow2 "$gpt" "$qcow"

# --- what the peers see -------------------------------------------------
mkdir "$T/rdump" "$T/mdump"
debugfs -R "rdump / $T/rdump" "$ext" >/dev/null 2>&1
(cd "$T/rdump" && find . -mindepth 1 | sed 's|^\./||') >"$T/ext.paths"
mt mdir -/ -b -i "$fat" :: | sed 's|^::/||; s|/$||' >"$T/fat.paths"
mt mcopy -s -n -i "$fat" '::/*' "$T/mdump/"
check_eq "debugfs rdump leaves the FIFO out" "" \
    "$(grep -x fifo "$T/ext.paths")"
check_eq "mcopy writes the FAT tree" "$(tree_sig "$fsrc")" \
    "$(tree_sig "$T/mdump")"

# want PREFIX FILE...: the peers' paths with PREFIX/ in front, and PREFIX
# itself, sorted.
want() {
	_p=$1
	shift
	{
		echo "$_p"
		cat "$@" | sed "s|^|$_p/|"
	} | LC_ALL=C sort
}
want p1 "$T/fat.paths" >"$T/want.p1"
want p2 "$T/ext.paths" >"$T/want.p2"
LC_ALL=C sort "$T/want.p1" "$T/want.p2" >"$T/want.gpt"

# list DESC IMG WANT [ARGS...]: -t IMG exits 0 (or 1 when the image has
# the XFS partition) and lists exactly WANT's paths.
list() {
	_d=$1
	_i=$2
	_w=$3
	shift 3
	_st=0
	case $_i in
	*gpt*) [ $# -eq 0 ] && _st=1 ;;
	esac
	expect_exit "$_st" "$_d: -t exits $_st" isoboot-extract -t "$_i" "$@"
	LC_ALL=C sort "$T/out" >"$T/got"
	if cmp -s "$_w" "$T/got"; then
		ok "$_d: -t lists what debugfs and mdir list ($(lines "$T/got") paths)"
	else
		fail "$_d: -t lists what debugfs and mdir list"
		diff "$_w" "$T/got" | head -n 8 | sed 's/^/#   /'
	fi
}

list "GPT" "$gpt" "$T/want.gpt"
check_grep "  the XFS partition is a note" \
    '^isoboot-extract: .*gpt.img: p3: XFS, not read$' "$T/err"
check_grep "  the FIFO is a note" \
    '^isoboot-extract: .*gpt.img: p2/fifo: a device, FIFO or socket: skipped$' \
    "$T/err"
check_eq "  and nothing else is said" 2 "$(lines "$T/err")"
list "GPT, p1 and p2 named" "$gpt" "$T/want.gpt" p1 p2
check_eq "  no note on p3 when it is not asked for" "" \
    "$(grep p3 "$T/err")"
list "GPT in compressed qcow2" "$qcow" "$T/want.gpt"
{
	echo p1
	echo p2
	sed 's|^|p1/|' "$T/fat.paths"
	sed 's|^|p2/|' "$T/ext.paths"
} | LC_ALL=C sort >"$T/want.mbr"
list "MBR" "$mbr" "$T/want.mbr"
LC_ALL=C sort "$T/ext.paths" >"$T/want.bare"
list "ext4 without a partition table: at the top" "$ext" "$T/want.bare"
LC_ALL=C sort "$T/fat.paths" >"$T/fat.paths.sorted"
list "FAT without a partition table" "$fat" "$T/fat.paths.sorted"

# Patterns, as for an ISO.
expect_exit 0 "-t with a glob" isoboot-extract -t "$gpt" 'p2/a/size*'
check_eq "  lists the matching files" 9 "$(lines "$T/out")"
expect_exit 1 "-t with a pattern that matches nothing" \
    isoboot-extract -t "$gpt" p2/nothing
check_grep "  says so" "p2/nothing: not found in image" "$T/err"

# The long and JSON listings have the ISO listing's columns.
expect_exit 0 "-tv" isoboot-extract -tv "$gpt" p2
check_grep "  a file: mode, links, owner, size, date, path" \
    '^-rw-r--r--   1 0        0                1023 [A-Z][a-z][a-z] [ 0-9][0-9] ..... p2/a/size1023$' \
    "$T/out"
check_grep "  an old file shows its year" \
    '^-rw-r--r--   1 0        0                   1 Feb  3  2001 p2/a/size1$' \
    "$T/out"
check_grep "  a symlink shows its target" \
    '^lrwxrwxrwx .* p2/initrd.img -> /boot/initrd.img-6.1.0-13-amd64$' \
    "$T/out"
check_grep "  a directory" '^drwxr-xr-x .* p2/with space/é ü 日本$' "$T/out"
expect_exit 0 "--json" isoboot-extract -t --json "$gpt" p2/vmlinuz p1/README.TXT
check_grep "  a symlink" \
    '^{"path":"p2/vmlinuz","type":"symlink",.*"target":"boot/vmlinuz-6.1.0-13-amd64",' \
    "$T/out"
check_grep "  a FAT file" \
    '^{"path":"p1/README.TXT","type":"file","size":6,"mode":"0644",' "$T/out"

# --- extraction ---------------------------------------------------------
# sig DIR: tree_sig without lost+found; src_sig: the source's without
# its FIFO.
sig() { tree_sig "$1" | grep -v '^d \./lost+found$'; }
src_sig=$(tree_sig "$src" | grep -v '^o \./fifo$')
fsrc_sig=$(tree_sig "$fsrc")

start=$(date +%s)
expect_exit 1 "GPT: -x exits 1 (p3 is not read)" \
    isoboot-extract -x -C "$T/x" "$gpt"
check_grep "  naming p3" 'p3: XFS, not read$' "$T/err"
check_eq "  p2 is the ext4 tree: bytes and symlink targets" "$src_sig" \
    "$(sig "$T/x/p2")"
check_eq "  p1 is the FAT tree" "$fsrc_sig" "$(sig "$T/x/p1")"
check_eq "  nothing for p3" "p1 p2" "$(cd "$T/x" && echo *)"
check_eq "  no temporary left" "" "$(find "$T/x" -name '.ib*')"
t=$(mtime "$T/x/p2/a/size1")
if [ "$t" -ge "$start" ]; then
	ok "  files get the current time (for make)"
else
	fail "  files get the current time (for make): $t < $start"
fi
expect_exit 0 "--preserve-times: the image's times" \
    isoboot-extract -x --preserve-times -C "$T/xp" "$gpt" p2/a/size1
check_eq "  the file's mtime" "$(mtime "$src/a/size1")" \
    "$(mtime "$T/xp/p2/a/size1")"

expect_exit 0 "qcow2: -x p1 p2 exits 0" \
    isoboot-extract -x -C "$T/xq" "$qcow" p1 p2
check_grep "  the FIFO skipped with a note" 'p2/fifo: a device, FIFO' \
    "$T/err"
check_eq "  the same trees as from the raw disk" \
    "$(sig "$T/x")" "$(sig "$T/xq")"

expect_exit 0 "MBR: -x" isoboot-extract -x -C "$T/xm" "$mbr"
check_eq "  p2 is the ext4 tree" "$src_sig" "$(sig "$T/xm/p2")"
check_eq "  p1 is the FAT tree" "$fsrc_sig" "$(sig "$T/xm/p1")"

expect_exit 0 "bare ext4: -x" isoboot-extract -x -C "$T/xb" "$ext"
check_eq "  the tree at the top" "$src_sig" "$(sig "$T/xb")"

expect_exit 0 "--strip-components 1 p1: the ESP alone" \
    isoboot-extract -x --strip-components 1 -C "$T/esp" "$gpt" p1
check_eq "  is the FAT tree" "$fsrc_sig" "$(sig "$T/esp")"

expect_exit 0 "-O writes a file's bytes" \
    isoboot-extract -x -O "$qcow" p2/boot/vmlinuz-6.1.0-13-amd64
check_files "  as they are" "$src/boot/vmlinuz-6.1.0-13-amd64" "$T/out"
# Was a bug: the first file went sparse into standard output with pwrite
# at 0, so the second overwrote it. Files come in the listing's order.
isoboot-extract -t "$qcow" p2/boot/vmlinuz-6.1.0-13-amd64 \
    p2/boot/grub/grub.cfg >"$T/two.order"
: >"$T/two.want"
while read -r p; do
	cat "$src/${p#p2/}" >>"$T/two.want"
done <"$T/two.order"
check_eq "  the listing names the two" 2 "$(lines "$T/two.order")"
expect_exit 0 "-O writes two files one after the other" \
    isoboot-extract -x -O "$qcow" p2/boot/vmlinuz-6.1.0-13-amd64 \
    p2/boot/grub/grub.cfg
check_files "  both, whole, in the listing's order" "$T/two.want" "$T/out"

# Into a directory that already has the files: replaced by rename (a
# new inode), or kept with -k.
before=$(inode_of "$T/xm/p2/a/size4096")
expect_exit 0 "MBR again, into the same directory" \
    isoboot-extract -x -C "$T/xm" "$mbr"
check_eq "  the same trees" "$src_sig" "$(sig "$T/xm/p2")"
after=$(inode_of "$T/xm/p2/a/size4096")
if [ "$before" != "$after" ]; then
	ok "  an existing file is replaced by a new one, renamed in"
else
	fail "  an existing file is replaced by a new one (same inode)"
fi
echo changed >"$T/xm/p1/README.TXT"
expect_exit 0 "-k keeps existing files" \
    isoboot-extract -x -k -C "$T/xm" "$mbr"
check_eq "  the file is as it was" changed "$(cat "$T/xm/p1/README.TXT")"
check_eq "  quietly: only the FIFO's note" "p2/fifo: a device, FIFO or socket: skipped" \
    "$(sed 's/^isoboot-extract: [^:]*: //' "$T/err")"

gzip -c "$mbr" >"$T/mbr.img.gz"
expect_exit 1 "a compressed disk image is refused" \
    isoboot-extract -t "$T/mbr.img.gz"
check_grep "  saying how to read it" "compressed with gzip.*decompress" \
    "$T/err"

# --- hostile filesystems ------------------------------------------------
# find_bytes FILE OFF LEN STRING: the offset in FILE of STRING's first
# occurrence in the LEN bytes at OFF, or nothing.
find_bytes() {
	od -An -v -tu1 -j "$2" -N "$3" "$1" | awk -v off="$2" -v s="$4" '
	BEGIN {
		for (i = 0; i < 256; i++)
			code[sprintf("%c", i)] = i
		n = length(s)
		for (i = 1; i <= n; i++)
			want[i - 1] = code[substr(s, i, 1)]
	}
	{ for (i = 1; i <= NF; i++) b[m++] = $i }
	END {
		for (o = 0; o + n <= m; o++) {
			for (k = 0; k < n && b[o + k] == want[k]; k++)
				;
			if (k == n) {
				print off + o
				exit
			}
		}
	}'
}

# hostile DESC IMG [STATUS]: -t and -x exit 1 (or STATUS: "0|1" for
# either) within 10 s, every message is the tool's, nothing is written
# outside the destination, no temporary left.
hostile() {
	rm -rf "$T/hx" "$T/outside"
	mkdir "$T/hx" "$T/outside"
	_want=${3:-1}
	run timeout 10 isoboot-extract -t "$2"
	cp "$T/out" "$T/out.t"
	cp "$T/err" "$T/err.t"
	case "|$_want|" in
	*"|$rc|"*) ok "$1: -t exits $rc" ;;
	*) fail "$1: -t exits $_want (status $rc)" ;;
	esac
	run timeout 10 isoboot-extract -x -C "$T/hx/dest" "$2"
	case "|$_want|" in
	*"|$rc|"*) ok "$1: -x exits $rc" ;;
	*) fail "$1: -x exits $_want (status $rc)" ;;
	esac
	if grep -v -q '^isoboot-extract: ' "$T/err"; then
		fail "$1: every message starts with 'isoboot-extract: '"
		sed 's/^/#   /' "$T/err" | head -n 5
	fi
	check_eq "$1: nothing beside the destination" dest "$(ls "$T/hx")"
	check_eq "$1: nothing outside" "" "$(ls -A "$T/outside")"
	check_eq "$1: no temporary left" "" "$(find "$T/hx" -name '.ib*')"
}

hsrc=$T/hsrc
mkdir -p "$hsrc/a/b"
echo victim >"$hsrc/victim"
hext=$T/hostile.img
# Linear directories without checksums, so that names can be patched.
mke2fs -q -F -t ext4 -O ^metadata_csum,^dir_index -d "$hsrc" "$hext" 4M \
    >/dev/null 2>&1
debugfs -w -R "symlink escape ../../../../etc" "$hext" >/dev/null 2>&1
debugfs -w -R "symlink outside $T/outside" "$hext" >/dev/null 2>&1
debugfs -w -R "ln /victim slashXname" "$hext" >/dev/null 2>&1
debugfs -w -R "ln /victim zz" "$hext" >/dev/null 2>&1
root=$(debugfs -R "blocks /" "$hext" 2>/dev/null | awk '{ print $1 }')
at=$(find_bytes "$hext" $((root * 1024)) 1024 slashXname)
put_byte "$hext" $((at + 5)) 47 # '/'
at=$(find_bytes "$hext" $((root * 1024)) 1024 zz)
put_byte "$hext" "$at" 46
put_byte "$hext" $((at + 1)) 46 # ".."
check_eq "debugfs sees the patched names" "slash/name .." \
    "$(debugfs -R 'ls /' "$hext" 2>/dev/null |
        awk '{ for (i = 1; i <= NF; i++) print $i }' |
        grep -x -e slash/name -e '\.\.' | tail -n 2 | tr '\n' ' ' |
        sed 's/ $//')"
# A name no path can hold is left out, by the filesystem layer (vol.h)
# or as a problem of its own (status 1): never a path.
hostile "ext4 with '/' and '..' names, links out" "$hext" "0|1"
check_eq "  the names with '/' and '..' are not listed" \
    "escape outside victim" "$(grep -v lost+found "$T/out.t" | grep -v '^a' |
        LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
if [ -s "$T/err.t" ]; then
	check_grep "  or named as unsafe" "slash/name: name contains '/'$" \
	    "$T/err.t"
fi
check_eq "  the link to ../../../../etc is kept, not followed" \
    "../../../../etc" "$(readlink "$T/hx/dest/escape")"
check_eq "  the absolute link is kept as it is in the image" "$T/outside" \
    "$(readlink "$T/hx/dest/outside")"
check_eq "  the rest is extracted" victim "$(cat "$T/hx/dest/victim")"

# A directory hard-linked into its own subdirectory: a/b/loop is a.
debugfs -w -R "ln /a /a/b/loop" "$hext" >/dev/null 2>&1
hostile "ext4 with a directory loop" "$hext"
check_grep "  named once" '^isoboot-extract: .*: a/b/loop: directory loop' \
    "$T/err.t"
check_eq "  in one line" 1 "$(grep -c loop "$T/err.t")"

# A directory block whose checksum is wrong: that directory is an error
# on its own line, the rest is listed and extracted.
cext=$T/csum.img
mke2fs -q -F -t ext4 -O metadata_csum -d "$hsrc" "$cext" 4M >/dev/null 2>&1
blk=$(debugfs -R "blocks /a" "$cext" 2>/dev/null | awk '{ print $1 }')
put_byte "$cext" $((blk * 1024 + 30)) 90
hostile "ext4 with a damaged directory block" "$cext"
check_grep "  named, with libext2fs's reason" \
    "^isoboot-extract: .*: a: ext4: .*[Cc]hecksum" "$T/err.t"
check_eq "  in one line" 1 "$(lines "$T/err.t")"
check_eq "  the rest is extracted" victim "$(cat "$T/hx/dest/victim")"

# A FAT12 directory whose entry points at its parent's cluster.
lfat=$T/loop.img
mkfs.vfat -C "$lfat" 2048 >/dev/null
mt mmd -i "$lfat" ::/PARENT ::/PARENT/LOOPDIR
echo x >"$T/x.txt"
mt mcopy -i "$lfat" "$T/x.txt" ::/PARENT/X.TXT
bps=$(($(od -An -tu1 -j 11 -N 1 "$lfat") + 256 * $(od -An -tu1 -j 12 -N 1 "$lfat")))
rsvd=$(($(od -An -tu1 -j 14 -N 1 "$lfat") + 256 * $(od -An -tu1 -j 15 -N 1 "$lfat")))
nfats=$(od -An -tu1 -j 16 -N 1 "$lfat" | tr -d ' ')
nroot=$(($(od -An -tu1 -j 17 -N 1 "$lfat") + 256 * $(od -An -tu1 -j 18 -N 1 "$lfat")))
fatsz=$(($(od -An -tu1 -j 22 -N 1 "$lfat") + 256 * $(od -An -tu1 -j 23 -N 1 "$lfat")))
spc=$(od -An -tu1 -j 13 -N 1 "$lfat" | tr -d ' ')
rootat=$(((rsvd + nfats * fatsz) * bps))
dataat=$((rootat + nroot * 32))
pe=$(find_bytes "$lfat" "$rootat" $((nroot * 32)) "PARENT     ")
pc=$(($(od -An -tu1 -j $((pe + 26)) -N 1 "$lfat") + 256 * $(od -An -tu1 -j $((pe + 27)) -N 1 "$lfat")))
pat=$((dataat + (pc - 2) * spc * bps))
le=$(find_bytes "$lfat" "$pat" $((spc * bps)) "LOOPDIR    ")
put_byte "$lfat" $((le + 26)) $((pc & 255))
put_byte "$lfat" $((le + 27)) $((pc >> 8))
hostile "FAT with a cluster loop" "$lfat"
check_grep "  named once" \
    '^isoboot-extract: .*: PARENT/LOOPDIR: directory loop' "$T/err.t"
check_eq "  in one line" 1 "$(grep -c loop "$T/err.t")"
check_eq "  the rest is extracted" x "$(cat "$T/hx/dest/PARENT/X.TXT")"

# The destination's p2 is a symlink out: nothing goes through it.
rm -rf "$T/hx" "$T/outside"
mkdir -p "$T/hx/dest" "$T/outside"
ln -s "$T/outside" "$T/hx/dest/p2"
expect_exit 1 "a destination whose p2 is a symlink out: -x exits 1" \
    isoboot-extract -x -C "$T/hx/dest" "$mbr"
check_eq "  nothing is written through it" "" "$(ls -A "$T/outside")"
check_grep "  p2's files are refused" "p2/boot: .*'p2'" "$T/err"
check_eq "  p1 is extracted all the same" "$fsrc_sig" "$(sig "$T/hx/dest/p1")"

done_testing
