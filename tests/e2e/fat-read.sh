#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# fat-read: FAT12, FAT16 and FAT32 filesystems read by lib/fat through
# lib/vol (the test driver vol_dump) as mtools reads them: images made by
# mkfs.fat (512- and 4096-byte sectors, at an offset inside a bigger
# file) and filled by mtools with long names (spaces, Latin-1, CJK),
# lowercase 8.3 names (Windows NT's case flags), deep directories, files
# of 0, 1, a cluster less one, a cluster and a cluster and one bytes, 20
# MiB of random bytes, a fragmented file. The tree must be mdir's and
# every file's bytes mcopy's. Then what mtools cannot write (a name with
# a surrogate pair, a lone surrogate) patched in, lookups without regard
# to case, by long and by short name; and hostile images, each refused
# within 5 s with one line naming its defect.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need mkfs.fat mcopy mmd mdir mdel mattrib timeout od
dump=$IB_BUILD/drivers/vol_dump
need_file "$dump"
cd "$T" || exit 1
# mtools: names in UTF-8; no geometry checks on image files.
MTOOLS_SKIP_CHECK=1
export MTOOLS_SKIP_CHECK
mt() { LC_ALL=C.UTF-8 "$@"; }

# mkimg FILE MIB: an empty (sparse) file of MIB MiB.
mkimg() {
	rm -f "$1"
	dd if=/dev/zero of="$1" bs=1048576 count=0 seek="$2" 2>/dev/null
}

# byte FILE OFFSET: the byte at OFFSET, in decimal.
byte() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }

# le16 FILE OFFSET: the little-endian 16-bit number at OFFSET.
le16() { echo $(($(byte "$1" "$2") + 256 * $(byte "$1" $(($2 + 1))))); }

# put16 FILE OFFSET VALUE, put32 FILE OFFSET VALUE: little-endian.
put16() {
	put_byte "$1" "$2" $(($3 & 255))
	put_byte "$1" $(($2 + 1)) $(($3 >> 8 & 255))
}
put32() {
	put16 "$1" "$2" $(($3 & 65535))
	put16 "$1" $(($2 + 2)) $(($3 >> 16 & 65535))
}

# geometry IMG OFF: csize (bytes per cluster) and fat (the first FAT's
# byte in IMG) from the BPB.
geometry() {
	csize=$(($(le16 "$1" $(($2 + 11))) * $(byte "$1" $(($2 + 13)))))
	fat=$(($2 + $(le16 "$1" $(($2 + 11))) * $(le16 "$1" $(($2 + 14)))))
}

# The tree every image gets, in src/: long names, case, depth, sizes
# around the cluster size (made per image), an empty file and directory.
mkdir src src/EFI src/EFI/BOOT "src/Long Directory Name" src/empty-dir
mkdir -p src/deep/d1/d2/d3/d4/d5/d6/d7/d8/d9
printf 'EFI' >src/EFI/BOOT/bootx64.efi
printf 'kernel' >src/vmlinuz
touch -t 202001021234.57 src/vmlinuz # an odd second: DOS keeps 2 s
printf 'readme' >src/README.TXT
printf 'mixed' >src/Mixed.Case
printf 'base' >src/lower.TXT
printf 'ext' >src/UPPER.txt
printf 'cafe' >"src/naïve café.txt"
printf 'gruss' >"src/Long Directory Name/Grüße ü.cfg"
printf 'nihongo' >"src/Long Directory Name/日本語のファイル.txt"
printf 'deep' >src/deep/d1/d2/d3/d4/d5/d6/d7/d8/d9/bottom.txt
: >src/empty
long=
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
	long="${long}name$i-"
done
printf 'long' >"src/$long.txt" # 145 characters: 12 pieces
dd if=/dev/urandom of="$T/random" bs=1048576 count=20 2>/dev/null

# fill IMG OFF BIG: the tree, its cluster-sized files, a file in
# fragments (pieces copied, every other one deleted, a big file copied
# into the holes), a read-only file, and 20 MiB when BIG is yes.
fill() {
	geometry "$1" "$2"
	rm -rf sizes && mkdir sizes
	for n in 0 1 $((csize - 1)) "$csize" $((csize + 1)) \
	    $((3 * csize + 7)); do
		head -c "$n" "$T/random" >"sizes/size-$n.bin"
	done
	mt mcopy -s -m -i "$1@@$2" src/* sizes ::/
	mkdir -p frag
	for i in 1 2 3 4 5 6 7 8; do
		head -c $((3 * csize)) "$T/random" >"frag/piece$i"
		mt mcopy -i "$1@@$2" "frag/piece$i" ::/
	done
	for i in 2 4 6 8; do
		mt mdel -i "$1@@$2" "::/piece$i"
	done
	# FAT32: mtools allocates after FSInfo's FSI_Nxt_Free; 0xFFFFFFFF
	# ("not known", fatgen103 "FAT32 FSInfo Sector Structure") sends it
	# to the holes.
	if [ "$(le16 "$1" $(($2 + 22)))" = 0 ]; then
		put32 "$1" $(($2 + $(le16 "$1" $(($2 + 48))) * \
		    $(le16 "$1" $(($2 + 11))) + 492)) 4294967295
	fi
	dd if="$T/random" of=frag/fragmented.bin bs="$csize" count=20 \
	    skip=1 2>/dev/null
	mt mcopy -i "$1@@$2" frag/fragmented.bin ::/
	printf 'ro' >ro.txt
	mt mcopy -i "$1@@$2" ro.txt ::/
	mt mattrib -i "$1@@$2" +r ::/ro.txt
	if [ "$3" = yes ]; then
		mt mcopy -i "$1@@$2" "$T/random" ::/sizes/random-20M.bin
	fi
}

# runs IMG OFF BITS FIRST: the pieces of adjacent clusters the chain
# from FIRST is in.
runs() {
	_c=$4 _n=1
	while :; do
		case $3 in
		12)
			_v=$(le16 "$1" $((fat + _c + _c / 2)))
			_v=$((_c % 2 ? _v >> 4 : _v & 4095)) _end=4088 ;;
		16) _v=$(le16 "$1" $((fat + 2 * _c))) _end=65528 ;;
		*) _v=$(($(le32 "$1" $((fat + 4 * _c))) & 268435455))
			_end=268435448 ;;
		esac
		[ "$_v" -ge "$_end" ] && break
		[ "$_v" -ne $((_c + 1)) ] && _n=$((_n + 1))
		_c=$_v
	done
	echo "$_n"
}

# same DESC IMG OFF: vol_dump's tree is mdir's, and every file's bytes
# are mcopy's.
same() {
	mt mdir -i "$2@@$3" -/ -b ::/ >mdir.out
	: >want.tree
	nfiles=0
	bad=
	while IFS= read -r p; do
		p=${p#::}
		case $p in
		*/)
			printf '%s\td\t-\n' "${p%/}" >>want.tree
			continue ;;
		esac
		mt mcopy -n -i "$2@@$3" "::$p" want.bin
		printf '%s\tf\t%s\n' "$p" "$(wc -c <want.bin | tr -d ' ')" \
		    >>want.tree
		nfiles=$((nfiles + 1))
		if ! "$dump" fat "$2" "$3" cat "$p" >got.bin 2>got.err ||
		    ! cmp -s want.bin got.bin; then
			bad="$bad $p"
		fi
	done <mdir.out
	LC_ALL=C sort want.tree >want.sorted
	expect_exit 0 "$1: tree" "$dump" fat "$2" "$3" tree
	check_files "$1: tree as mdir's ($(lines want.sorted) paths)" \
	    want.sorted "$T/out"
	check_eq "$1: bytes of $nfiles files as mcopy's" "" "$bad"
}

# 1. The images: FAT12 in 2 MiB, FAT16 in 32 MiB, FAT32 in 64 MiB, FAT16
# and FAT32 with 4096-byte sectors at 1 MiB inside bigger files.
mkimg f12.img 2 && mkfs.fat f12.img >/dev/null
mkimg f16.img 32 && mkfs.fat -F 16 -n MIDDLE f16.img >/dev/null
mkimg f32.img 64 && mkfs.fat -F 32 -n ESP f32.img >/dev/null
mkimg f16s.img 66 && mkfs.fat -F 16 -S 4096 --offset 256 f16s.img \
    >/dev/null
mkimg f32s.img 301 && mkfs.fat -F 32 -S 4096 --offset 256 f32s.img \
    >/dev/null
for img in f12 f16 f32 f16s f32s; do
	case $img in
	f12) off=0 big=no ;;
	f16 | f32) off=0 big=yes ;;
	*) off=1048576 big=yes ;;
	esac
	fill "$img.img" "$off" "$big"
	geometry "$img.img" "$off"
	same "$img ($csize-byte clusters, at $off)" "$img.img" "$off"
	first=$("$dump" fat "$img.img" "$off" ls / |
	    awk '$7 == "fragmented.bin" { print $6 }')
	bits=${img#f}
	n=$(runs "$img.img" "$off" "${bits%s}" "$first")
	if [ "$n" -gt 1 ]; then
		ok "$img: fragmented.bin is in $n fragments"
	else
		fail "$img: fragmented.bin is in $n fragments"
	fi
done

# A FAT32 boot sector on fewer than 65525 clusters (mkfs.fat -F 32 on a
# small volume warns and makes one): FAT32 for Linux (fs/fat/inode.c) and
# EDK2's FAT driver, which take BPB_FATSz16 0 as FAT32, and here; mtools
# 4.0 refuses it ("Error reading FAT"), so it is only opened and listed.
mkimg f32small.img 40 && mkfs.fat -F 32 -s 8 -n SMALL f32small.img \
    >/dev/null 2>&1
expect_exit 0 "f32small (FAT32 on under 65525 clusters): opens" \
    "$dump" fat f32small.img 0 tree
check_eq "  an empty root" "" "$(cat "$T/out")"

# 2. Reads of odd sizes across clusters and fragments; the same file
# read in pieces of 1, 4095 and 1 MiB bytes.
for bs in 1 4095 1048576; do
	"$dump" fat f32s.img 1048576 cat /fragmented.bin "$bs" >got.bin
	check_files "f32s: fragmented.bin in reads of $bs bytes" \
	    frag/fragmented.bin got.bin
done
"$dump" fat f16.img 0 cat /sizes/random-20M.bin 65537 >got.bin
check_files "f16: 20 MiB in reads of 65537 bytes" "$T/random" got.bin

# 3. Names: lookups without regard to case (Latin-1 too), 8.3 names in
# lowercase by Windows NT's flags (byte 12 of the entry), modes.
expect_exit 0 "cat /EFI/boot/BOOTX64.EFI finds /EFI/BOOT/bootx64.efi" \
    "$dump" fat f32.img 0 cat /EFI/boot/BOOTX64.EFI
check_eq "bootx64.efi: its bytes" EFI "$(cat "$T/out")"
expect_exit 0 "cat /NAÏVE CAFÉ.TXT finds 'naïve café.txt'" \
    "$dump" fat f16.img 0 cat "/NAÏVE CAFÉ.TXT"
expect_exit 0 "cat a CJK name through a long directory name" \
    "$dump" fat f12.img 0 cat "/long directory NAME/日本語のファイル.txt"
check_eq "the CJK name: its bytes" nihongo "$(cat "$T/out")"
expect_exit 1 "a missing name is not found" \
    "$dump" fat f12.img 0 cat /vmlinuz.old
check_grep "a missing name: says so" "no such file" "$T/err"
"$dump" fat f12.img 0 ls / >ls.out
# entry TYPE: NAME's line of ls.out, as "TYPE SIZE MODE MTIME ID AUX".
entry() { awk -v n="$1" '$7 == n { $7 = ""; print }' ls.out; }
for name in vmlinuz README.TXT lower.TXT UPPER.txt; do
	id=$(entry "$name" | awk '{ print $5 }')
	case $name in
	vmlinuz) want=8 ;;
	lower.TXT) want=8 ;;
	UPPER.txt) want=16 ;;
	*) want=0 ;;
	esac
	check_eq "$name: listed, NT case flags $want" "$want" \
	    "$(byte f12.img $((id + 12)))"
done
check_eq "ro.txt: read-only attribute is mode 0444" 0444 \
    "$(entry ro.txt | awk '{ print $3 }')"
check_eq "vmlinuz: mode 0644, mtime 2020-01-02 12:34:56 UTC (mcopy -m)" \
    "0644 1577968496" "$(entry vmlinuz | awk '{ print $3, $4 }')"

# 4. Surrogates, which mtools 4.0 cannot write: the long names
# "smile-XY.txt" and "lone-XY.txt" patched to U+1F600 (D83D DE00) and to
# a lone high surrogate then 'Y'. Each is one piece, before its short
# entry, first in a fresh root.
mkimg sur.img 2 && mkfs.fat sur.img >/dev/null
printf ':)' >smile-XY.txt
printf ':(' >lone-XY.txt
mt mcopy -i sur.img smile-XY.txt lone-XY.txt ::/
geometry sur.img 0
root=$((fat + $(byte sur.img 16) * $(le16 sur.img 22) * 512))
if [ "$(byte sur.img $((root + 16)))$(byte sur.img $((root + 18)))" = 8889 ] &&
    [ "$(byte sur.img $((root + 78)))" = 88 ]; then
	ok "mtools wrote the two long names where the test patches them"
else
	fail "mtools wrote the two long names where the test patches them"
fi
put16 sur.img $((root + 16)) 55357
put16 sur.img $((root + 18)) 56832
put16 sur.img $((root + 78)) 55357
expect_exit 0 "surrogates: tree" "$dump" fat sur.img 0 tree
printf '/lone-\357\277\275Y.txt\tf\t2\n/smile-\360\237\230\200.txt\tf\t2\n' \
    >want.tree
check_files "a surrogate pair is one code point; a lone one U+FFFD" \
    want.tree "$T/out"
expect_exit 0 "cat /SMILE-😀.TXT: the emoji name without regard to case" \
    "$dump" fat sur.img 0 cat "/SMILE-😀.TXT"
expect_exit 0 "cat /smile-xy.txt: the short name still answers" \
    "$dump" fat sur.img 0 cat /smile-xy.txt
check_eq "the emoji file's bytes" ':)' "$(cat "$T/out")"

# 5. Hostile images, from copies of f16 and f12: each read fails within
# 5 s, exit 1, with one line that names the defect.
# refused DESC IMG CMD TEXT: vol_dump IMG 0 CMD... fails so.
refused() {
	_d=$1 _img=$2 _text=$3
	shift 3
	expect_exit 1 "$_d: exit 1 within 5 s" timeout 5 "$dump" fat "$_img" 0 \
	    "$@"
	check_grep "$_d: says '$_text'" "$_text" "$T/err"
	check_eq "$_d: one line" 1 "$(lines "$T/err")"
}
"$dump" fat f16.img 0 ls /sizes >ls.out
geometry f16.img 0
# hostile NAME: a fresh copy of f16.img, its FILE's entry and cluster.
hostile() {
	cp f16.img "$1.img"
	id=$(entry "$2" | awk '{ print $5 }')
	clus=$(entry "$2" | awk '{ print $6 }')
}
n=$((3 * csize + 7))
hostile loop "size-$n.bin"
put16 loop.img $((fat + 2 * clus)) "$clus"
refused "a chain that loops" loop.img "cluster chain of $clus loops" \
    cat "/sizes/size-$n.bin"
hostile past "size-$n.bin"
put16 past.img $((fat + 2 * clus)) 65000
refused "a chain past the last cluster" past.img \
    "cluster $clus points to 65000, outside" cat "/sizes/size-$n.bin"
hostile short "size-$n.bin"
put32 short.img $((id + 28)) $((6 * csize))
refused "a size larger than the chain" short.img \
    "needs 6 clusters; its chain from $clus has 4" cat "/sizes/size-$n.bin"
"$dump" fat f16.img 0 ls / >ls.out
hostile dirloop sizes
put16 dirloop.img $((fat + 2 * clus)) "$clus"
refused "a directory chain that loops" dirloop.img \
    "cluster chain of $clus loops" tree
cp f12.img loop12.img
"$dump" fat f12.img 0 ls / >ls.out
geometry f12.img 0
clus=$(entry fragmented.bin | awk '{ print $6 }')
# FAT12: the first cluster's 12 bits made to point at itself.
o=$((fat + clus + clus / 2))
if [ $((clus % 2)) = 0 ]; then
	put_byte loop12.img "$o" $((clus & 255))
	put_byte loop12.img $((o + 1)) \
	    $(($(byte f12.img $((o + 1))) & 240 | clus >> 8))
else
	put_byte loop12.img "$o" $(($(byte f12.img "$o") & 15 | (clus & 15) << 4))
	put_byte loop12.img $((o + 1)) $((clus >> 4))
fi
refused "FAT12: a chain that loops" loop12.img "cluster chain of $clus loops" \
    cat /fragmented.bin
# FAT32: a bad-cluster mark (0x0FFFFFF7) in a file's chain; the root
# directory's chain (BPB_RootClus) made to loop.
"$dump" fat f32.img 0 ls / >ls.out
geometry f32.img 0
clus=$(entry fragmented.bin | awk '{ print $6 }')
cp f32.img bad32.img && put32 bad32.img $((fat + 4 * clus)) 268435447
refused "FAT32: a bad-cluster mark" bad32.img "cluster $clus is marked bad" \
    cat /fragmented.bin
root=$(le32 f32.img 44)
cp f32.img root32.img && put32 root32.img $((fat + 4 * root)) "$root"
refused "FAT32: the root's chain loops" root32.img \
    "cluster chain of $root loops" ls /
# FAT32's BPB_ExtFlags: with bit 7, only the FAT numbered in bits 0-3 is
# read. FAT 0 made bad for fragmented.bin is then no matter with FAT 1
# active; a FAT 2 of 2 is refused.
cp bad32.img active.img && put_byte active.img 40 129
expect_exit 0 "FAT32: the active FAT (1) is the one read" \
    "$dump" fat active.img 0 cat /fragmented.bin
mt mcopy -n -i f32.img ::/fragmented.bin want.bin
check_files "FAT32: the active FAT: the bytes mcopy reads" want.bin "$T/out"
cp f32.img active2.img && put_byte active2.img 40 130
refused "FAT32: an active FAT past the FATs" active2.img "active FAT 2 of 2" \
    tree
# The BPB (fatgen103 "Boot Sector and BPB"), on copies of f12.
bpb() {
	cp f12.img "$1.img"
	put16 "$1.img" "$2" "$3"
}
bpb bps0 11 0
refused "bytes per sector 0" bps0.img "bytes per sector 0 is not a power" tree
bpb bps513 11 513
refused "bytes per sector 513" bps513.img \
    "bytes per sector 513 is not a power of two" tree
cp f12.img spc3.img && put_byte spc3.img 13 3
refused "sectors per cluster 3" spc3.img \
    "sectors per cluster 3 is not a power of two" tree
bpb total 19 8192
refused "total sectors past the image" total.img \
    "8192 sectors of 512 bytes are more than the volume's 2097152 bytes" tree
# FAT32's BPB_FATSz32 (FAT12's BPB_FATSz16 at 22 being 0 sends a reader
# to bytes 36-39, the drive number and signature there).
cp f32.img fatsz0.img && put32 fatsz0.img 36 0
refused "a FAT size of 0" fatsz0.img "FAT size is 0 sectors" tree
done_testing
