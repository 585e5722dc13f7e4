#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot-extract on images generated here from source trees built here:
# Rock Ridge (xorriso; genisoimage with rr_moved), Joliet only (genisoimage
# with NFC and NFD names; xorriso -joliet-utf16 with a surrogate pair),
# plain ECMA-119 (levels 1 and 3, a date with a GMT offset), Joliet beside
# Rock Ridge, zisofs and zisofs2, El Torito, multi-session, and a
# multi-extent file patched together from two. For each image, the
# listing must equal the tree (through the image's name layer) and
# bsdtar's listing (where bsdtar is right, see fixtures/isos/ISO-READERS.md), and -x
# must give back every byte, symlink target, FIFO, hard link, mode and
# empty directory of the tree, and nothing else.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need xorriso genisoimage bsdtar cmp readlink od awk
umask 022

# bsdtar converts Joliet names to the locale's charset: give it UTF-8.
u8=$(locale -a 2>/dev/null | grep -i -E '^(c|en_us)\.utf-?8$' | head -n 1)
[ -n "$u8" ] || u8=C

# tree_paths DIR: every path under DIR, relative, sorted (C locale).
tree_paths() {
	(cd "$1" && find . -print) | sed -e '/^\.$/d' -e 's|^\./||' | sort
}

# map_identity SRC: "treepath<TAB>imagepath" for every path, unchanged.
map_identity() {
	tree_paths "$1" | awk '{ printf "%s\t%s\n", $0, $0 }'
}

# map_upper SRC: ECMA-119 names as genisoimage records them (upper case).
map_upper() {
	tree_paths "$1" | awk '{ printf "%s\t%s\n", $0, toupper($0) }'
}



# root_records IMG: "offset flags name nm-offset" for each record of the
# root directory (PVD at 32768, root record at +156: extent +2, size +10).
root_records() {
	_lba=$(le32 "$1" $((32768 + 156 + 2)))
	od -An -v -tu1 -j $((_lba * 2048)) -N "$(le32 "$1" $((32768 + 166)))" \
	    "$1" | awk -v base=$((_lba * 2048)) '
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		for (o = 0; o < n; ) {
			len = b[o]
			if (len == 0) {
				o = (int(o / 2048) + 1) * 2048
				continue
			}
			nl = b[o + 32]
			name = ""
			for (k = 0; k < nl; k++)
				name = name sprintf("%c", b[o + 33 + k])
			nm = -1
			for (k = 33 + nl + (nl % 2 == 0); k + 4 <= len; ) {
				if (b[o + k + 2] < 4)
					break
				if (b[o + k] == 78 && b[o + k + 1] == 77 && nm < 0)
					nm = base + o + k + 5
				k += b[o + k + 2]
			}
			printf "%d %d %s %d\n", base + o, b[o + 25], name, nm
			o += len
		}
	}'
}

# mkimg NAME CMD...: run an image generator; report when it fails.
mkimg() {
	_n=$1
	shift
	# genisoimage and xorriso take names in the locale's charset.
	if LC_ALL=$u8 "$@" >"$T/$_n.log" 2>&1; then
		return 0
	fi
	fail "$_n: building the image failed: $*"
	tail -n 5 "$T/$_n.log" | sed 's/^/#   /'
	return 1
}

# tool_list DESC IMG OUT [OPTION...]: sorted -t listing into OUT.
tool_list() {
	_d=$1
	_i=$2
	_o=$3
	shift 3
	expect_exit 0 "$_d: -t${*:+ }$* exits 0" isoboot-extract -t "$@" "$_i"
	sort "$T/out" >"$_o"
}

# bsd_list IMG OUT [BSDTAR-OPTION...]: sorted bsdtar listing without ".".
bsd_list() {
	_i=$1
	_o=$2
	shift 2
	LC_ALL=$u8 bsdtar "$@" -tf "$_i" >"$_o.raw" 2>"$_o.err"
	grep -v '^\.$' "$_o.raw" | sort >"$_o"
}

# check_tree DESC SRC DST MAP: every tree path of MAP (treepath<TAB>
# destpath) is under DST as in SRC: same bytes, same symlink target,
# a directory, a FIFO; and DST holds nothing else (no rr_moved, no
# temporary file).
check_tree() {
	_desc=$1
	_src=$2
	_dst=$3
	_bad=0
	while IFS='	' read -r _p _q; do
		_why=
		if [ -L "$_src/$_p" ]; then
			if [ ! -L "$_dst/$_q" ]; then
				_why="not a symlink"
			elif [ "$(readlink "$_src/$_p")" != \
			    "$(readlink "$_dst/$_q")" ]; then
				_why="symlink target differs"
			fi
		elif [ -d "$_src/$_p" ]; then
			if [ -L "$_dst/$_q" ] || [ ! -d "$_dst/$_q" ]; then
				_why="not a directory"
			fi
		elif [ -p "$_src/$_p" ]; then
			if [ -L "$_dst/$_q" ] || [ ! -p "$_dst/$_q" ]; then
				_why="not a FIFO"
			fi
		elif [ -L "$_dst/$_q" ] || [ ! -f "$_dst/$_q" ]; then
			_why="not a regular file"
		elif ! cmp -s "$_src/$_p" "$_dst/$_q"; then
			_why="bytes differ"
		fi
		if [ -n "$_why" ]; then
			_bad=$((_bad + 1))
			if [ "$_bad" -le 5 ]; then
				echo "#   $_q: $_why"
			fi
		fi
	done <"$4"
	check_eq "$_desc: every member extracted as in the tree" 0 "$_bad"
	cut -f2 "$4" | sort >"$T/dst.want"
	tree_paths "$_dst" >"$T/dst.got"
	check_files "$_desc: nothing else in the destination" \
	    "$T/dst.want" "$T/dst.got"
}



# check_modes DESC SRC DST MAP: same permission string (ls -l) for every
# member that is not a symlink.
check_modes() {
	_bad=0
	while IFS='	' read -r _p _q; do
		[ -L "$2/$_p" ] && continue
		_m1=$(mode_of "$2/$_p")
		_m2=$(mode_of "$3/$_q")
		if [ "$_m1" != "$_m2" ]; then
			_bad=$((_bad + 1))
			if [ "$_bad" -le 5 ]; then
				echo "#   $_q: $_m2, expected $_m1"
			fi
		fi
	done <"$4"
	check_eq "$1: modes as in the tree" 0 "$_bad"
}

# full_check NAME IMG SRC MAP [rr]: listing against the tree and bsdtar,
# then extraction; modes and the hard link when the image has Rock Ridge.
full_check() {
	_name=$1
	_img=$2
	_s=$3
	_map=$4
	cut -f2 "$_map" | sort >"$T/$_name.want"
	tool_list "$_name" "$_img" "$T/$_name.list"
	check_files "$_name: -t lists the tree" "$T/$_name.want" \
	    "$T/$_name.list"
	bsd_list "$_img" "$T/$_name.bsd"
	check_files "$_name: -t lists what bsdtar lists" "$T/$_name.bsd" \
	    "$T/$_name.list"
	expect_exit 0 "$_name: -x exits 0" \
	    isoboot-extract -x -C "$T/x-$_name" "$_img"
	check_eq "$_name: -x prints nothing" "" "$(cat "$T/out" "$T/err")"
	check_tree "$_name" "$_s" "$T/x-$_name" "$_map"
	if [ "${5:-}" = rr ]; then
		check_modes "$_name" "$_s" "$T/x-$_name" "$_map"
		if [ "$(inode_of "$T/x-$_name/hard")" = \
		    "$(inode_of "$T/x-$_name/boot/vmlinuz")" ]; then
			ok "$_name: hard link extracted as a hard link"
		else
			fail "$_name: hard and boot/vmlinuz are not one file"
		fi
	fi
}

# --- the Rock Ridge tree ---------------------------------------------
src=$T/src
mkdir -p "$src/boot" "$src/emptydir" "$src/private" \
    "$src/a/b/c/d/e/f/g/h/i/j/k"
printf 'kernel\n' >"$src/boot/vmlinuz"
head -c 1048576 /dev/urandom >"$src/boot/initrd.img"
: >"$src/empty"
head -c 3145728 /dev/urandom >"$src/random.bin"
head -c 2047 /dev/urandom >"$src/s2047"
head -c 2048 /dev/urandom >"$src/s2048"
head -c 2049 /dev/urandom >"$src/s2049"
head -c 100000 /dev/zero >"$src/zeros.bin"
printf 'secret\n' >"$src/private/secret.txt"
printf 'deep\n' >"$src/a/b/c/d/e/f/g/h/i/j/k/deep.txt"
printf 'middle\n' >"$src/a/b/c/d/e/f/middle.txt"
long200=$(awk 'BEGIN { for (i = 0; i < 20; i++) printf "name%05d-", i }')
printf 'long name\n' >"$src/$long200"
printf 'utf-8\n' >"$src/ü-日本.txt"
ln -s boot/vmlinuz "$src/link"
ln -s ../.. "$src/a/b/up"
# 299 bytes in 30 components: more than one SL entry (fixtures/isos/ISO-READERS.md).
target300=$(awk 'BEGIN { for (i = 0; i < 30; i++)
	printf "%scomp%05d", (i ? "/" : ""), i }')
ln -s "$target300" "$src/longlink"
ln "$src/boot/vmlinuz" "$src/hard"
mkfifo "$src/fifo"
chmod 0600 "$src/empty"
chmod 0755 "$src/random.bin"
chmod 0444 "$src/zeros.bin"
chmod 0700 "$src/private"
check_eq "tree: the long name has 200 bytes" 200 "${#long200}"
check_eq "tree: the long symlink target has 299 bytes" 299 "${#target300}"
map_identity "$src" >"$T/map.rr"

# (a) xorriso, Rock Ridge and Joliet.
if mkimg a xorriso -as mkisofs -R -J -o "$T/a.iso" "$src"; then
	full_check a "$T/a.iso" "$src" "$T/map.rr" rr
	# xorriso splits this target over two SL entries; bsdtar 3.6.2
	# loses the '/' between them (fixtures/isos/ISO-READERS.md).
	run isoboot-extract -tv "$T/a.iso" longlink
	check_grep "a: -tv shows the whole 299-byte target" \
	    " longlink -> $target300\$" "$T/out"
fi

# (b) genisoimage -R: directories deeper than 8 levels go to rr_moved,
# and must show at their real place, with no rr_moved anywhere.
if mkimg b genisoimage -input-charset utf-8 -R -o "$T/b.iso" "$src"; then
	run isoboot-extract -t --no-rockridge "$T/b.iso"
	check_grep "b: the image really has an RR_MOVED directory" \
	    '^RR_MOVED$' "$T/out"
	full_check b "$T/b.iso" "$src" "$T/map.rr" rr
	if grep -qi 'rr_moved' "$T/b.list"; then
		fail "b: rr_moved shows in the listing"
	else
		ok "b: no rr_moved in the listing"
	fi
	if [ -f "$T/x-b/a/b/c/d/e/f/g/h/i/j/k/deep.txt" ]; then
		ok "b: the relocated file is at its real place"
	else
		fail "b: a/b/c/d/e/f/g/h/i/j/k/deep.txt missing"
	fi
fi

# (c) genisoimage -J only: Joliet names are the full UTF-8 names, case
# and spaces kept. Two names differing only in normalisation (NFC and
# NFD "café") are two members; bsdtar NFC-normalises Joliet names, so
# they are left out of the comparison with bsdtar.
jol=$T/jol
mkdir -p "$jol/d1/d2/d3/d4/d5/d6/d7/d8/d9" "$jol/emptydir" "$jol/Sub Dir"
printf 'deep\n' >"$jol/d1/d2/d3/d4/d5/d6/d7/d8/d9/deep.txt"
printf 'utf-8\n' >"$jol/ü-日本.txt"
printf 'mixed\n' >"$jol/Sub Dir/Mixed Case Name.Text"
nfc=$(printf 'caf\303\251.txt')
nfd=$(printf 'cafe\314\201.txt')
printf 'nfc\n' >"$jol/$nfc"
printf 'nfd\n' >"$jol/$nfd"
head -c 300000 /dev/urandom >"$jol/random.bin"
: >"$jol/empty.dat"
jol64=$(awk 'BEGIN { for (i = 0; i < 8; i++) printf "joliet%02d", i }')
printf '64\n' >"$jol/$jol64"
map_identity "$jol" >"$T/map.jol"
if mkimg c genisoimage -input-charset utf-8 -J -D -o "$T/c.iso" "$jol"; then
	tool_list c "$T/c.iso" "$T/c.list"
	cut -f2 "$T/map.jol" | sort >"$T/c.want"
	check_files "c: -t lists the tree" "$T/c.want" "$T/c.list"
	if grep -q -x -F "$nfd" "$T/c.list" &&
	    grep -q -x -F "$nfc" "$T/c.list"; then
		ok "c: the NFC and the NFD name are both listed as recorded"
	else
		fail "c: the NFC or NFD name is missing or altered"
	fi
	bsd_list "$T/c.iso" "$T/c.bsd"
	grep -v '^caf.*\.txt$' "$T/c.bsd" >"$T/c.bsd2"
	grep -v '^caf.*\.txt$' "$T/c.list" >"$T/c.list2"
	check_files "c: -t lists what bsdtar lists (but café)" \
	    "$T/c.bsd2" "$T/c.list2"
	expect_exit 0 "c: -x exits 0" isoboot-extract -x -C "$T/x-c" "$T/c.iso"
	check_tree c "$jol" "$T/x-c" "$T/map.jol"
fi

# (d) plain ECMA-119, no Rock Ridge or Joliet: ";1" and a trailing "."
# stripped, the recorded (upper) case kept, as bsdtar shows it.
pl=$T/plain
mkdir -p "$pl/boot" "$pl/data/a/b/c" "$pl/emptydir"
printf 'kernel\n' >"$pl/boot/vmlinuz"
head -c 70000 /dev/urandom >"$pl/boot/initrd.img"
printf 'readme\n' >"$pl/readme.txt"
printf 'no extension\n' >"$pl/noext"
: >"$pl/empty"
head -c 4096 /dev/urandom >"$pl/data/a/b/c/file.bin"
map_upper "$pl" >"$T/map.pl1"
# Recording dates are local time plus a GMT offset (ECMA-119 9.1.5):
# written in UTC+5:45 here, read back as the same instant.
touch -t 200001011200 "$pl/readme.txt"
if mkimg d1 env TZ=NPT-5:45 genisoimage -input-charset utf-8 \
    -o "$T/d1.iso" "$pl"; then
	full_check d1 "$T/d1.iso" "$pl" "$T/map.pl1"
	run isoboot-extract -t --json "$T/d1.iso" README.TXT
	check_grep "d1: a date recorded in UTC+5:45 is read as UTC" \
	    "\"mtime\":$(mtime "$pl/readme.txt")," "$T/out"
fi
pl3=$T/plain3
cp -R "$pl" "$pl3"
printf 'level 3\n' >"$pl3/long_name_level3.data"
map_upper "$pl3" >"$T/map.pl3"
if mkimg d3 genisoimage -input-charset utf-8 -iso-level 3 \
    -o "$T/d3.iso" "$pl3"; then
	full_check d3 "$T/d3.iso" "$pl3" "$T/map.pl3"
fi

# (c2) Joliet only, by xorriso -joliet-utf16: a name outside the BMP is
# a UTF-16 surrogate pair (libcdio 2.1 fails the whole directory on it).
j16=$T/jol16
mkdir -p "$j16/d"
smile=$(printf 'smile-\360\237\230\200.txt')
printf 'emoji\n' >"$j16/d/$smile"
printf 'utf-8\n' >"$j16/d/ü-日本.txt"
printf 'plain\n' >"$j16/plain.txt"
map_identity "$j16" >"$T/map.j16"
if mkimg c2 xorriso -as mkisofs -J -joliet-utf16 -o "$T/c2.iso" "$j16"; then
	full_check c2 "$T/c2.iso" "$j16" "$T/map.j16"
fi

# (e) Rock Ridge and Joliet (-joliet-long): the Joliet tree has no
# symlinks or FIFOs and cuts names to 103 characters; --no-rockridge
# shows it.
if mkimg e xorriso -as mkisofs -R -J -joliet-long -o "$T/e.iso" "$src"; then
	tool_list e "$T/e.iso" "$T/e.list"
	cut -f2 "$T/map.rr" | sort >"$T/e.want"
	check_files "e: -t lists the Rock Ridge tree" "$T/e.want" "$T/e.list"
	while IFS='	' read -r p _q; do
		[ -L "$src/$p" ] || [ -p "$src/$p" ] && continue
		printf '%s\t%s\n' "$p" "$(echo "$p" | awk -F/ '{
			for (i = 1; i <= NF; i++)
				printf "%s%s", (i > 1 ? "/" : ""), substr($i, 1, 103)
			printf "\n" }')"
	done <"$T/map.rr" >"$T/map.jl"
	check_eq "e: the long name's Joliet form has 103 bytes" 1 \
	    "$(grep -c "^$long200	[a-z0-9-]\{103\}\$" "$T/map.jl")"
	tool_list e-joliet "$T/e.iso" "$T/e-j.list" --no-rockridge
	cut -f2 "$T/map.jl" | sort >"$T/e-j.want"
	check_files "e: --no-rockridge lists the Joliet names" \
	    "$T/e-j.want" "$T/e-j.list"
	bsd_list "$T/e.iso" "$T/e-j.bsd" --options 'iso9660:!rockridge'
	check_files "e: --no-rockridge lists what bsdtar lists without RR" \
	    "$T/e-j.bsd" "$T/e-j.list"
	expect_exit 0 "e: -x --no-rockridge exits 0" \
	    isoboot-extract -x --no-rockridge -C "$T/x-e-j" "$T/e.iso"
	check_tree e-joliet "$src" "$T/x-e-j" "$T/map.jl"
	tool_list e-iso9660 "$T/e.iso" "$T/e-i.list" --no-rockridge \
	    --no-joliet
	bsd_list "$T/e.iso" "$T/e-i.bsd" \
	    --options 'iso9660:!rockridge,iso9660:!joliet'
	check_files "e: --no-rockridge --no-joliet lists what bsdtar lists" \
	    "$T/e-i.bsd" "$T/e-i.list"
	check_grep "e: --no-rockridge --no-joliet shows ECMA-119 names" \
	    '^BOOT/VMLINUZ$' "$T/e-i.list"
	tool_list e-nojoliet "$T/e.iso" "$T/e-nj.list" --no-joliet
	check_files "e: --no-joliet still uses Rock Ridge" "$T/e.want" \
	    "$T/e-nj.list"
fi

# (f, g) zisofs and zisofs2, made by xorriso's --zisofs filter.
zt=$T/ztree
mkdir -p "$zt/sub" "$zt/emptydir"
awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "line %d of a compressible text file\n", i }' >"$zt/sub/text.txt"
awk 'BEGIN { for (i = 0; i < 40000; i++)
	printf "%d squared is %d\n", i, i * i }' >"$zt/big.txt"
head -c 200000 /dev/zero >"$zt/zeros.bin"
head -c 100000 /dev/urandom >"$zt/random.bin"
head -c 32768 /dev/zero | tr '\0' 'z' >"$zt/block.txt"
: >"$zt/empty"
map_identity "$zt" >"$T/map.z"

# zcheck NAME IMG MAGIC VERSION
zcheck() {
	run isoboot-extract -t --json "$2" sub/text.txt
	check_grep "$1: --json says sub/text.txt is zisofs $4" \
	    "\"zisofs\":$4," "$T/out"
	expect_exit 0 "$1: -x -O --raw exits 0" \
	    isoboot-extract -x -O --raw "$2" sub/text.txt
	if cmp -s "$T/out" "$zt/sub/text.txt"; then
		fail "$1: --raw gives the original bytes: not compressed"
	else
		ok "$1: --raw bytes differ from the original"
	fi
	check_eq "$1: --raw bytes start with the zisofs magic" "$3" \
	    "$(od -An -tx1 -N8 "$T/out" | tr -d ' \n')"
	if [ "$(wc -c <"$T/out")" -lt "$(wc -c <"$zt/sub/text.txt")" ]; then
		ok "$1: stored smaller than the original"
	else
		fail "$1: stored not smaller than the original"
	fi
	expect_exit 0 "$1: -x -O exits 0" \
	    isoboot-extract -x -O "$2" sub/text.txt
	check_files "$1: -x -O gives the original bytes" "$zt/sub/text.txt" \
	    "$T/out"
	expect_exit 0 "$1: -tv exits 0" isoboot-extract -tv "$2"
	bad=0
	for f in sub/text.txt big.txt zeros.bin block.txt random.bin empty; do
		want=$(wc -c <"$zt/$f" | tr -d ' ')
		got=$(awk -v p="$f" '$NF == p { print $5 }' "$T/out")
		if [ "$want" != "$got" ]; then
			bad=$((bad + 1))
			echo "#   $f: -tv size '$got', expected $want"
		fi
	done
	check_eq "$1: -tv shows the uncompressed sizes" 0 "$bad"
	run isoboot-extract -t --json "$2" random.bin
	check_grep "$1: incompressible random.bin is stored as is" \
	    '"zisofs":0,' "$T/out"
	tool_list "$1" "$2" "$T/$1.list"
	cut -f2 "$T/map.z" | sort >"$T/$1.want"
	check_files "$1: -t lists the tree" "$T/$1.want" "$T/$1.list"
	# bsdtar lists zisofs2 names right (only its bytes are wrong).
	bsd_list "$2" "$T/$1.bsd"
	check_files "$1: -t lists what bsdtar lists" "$T/$1.bsd" "$T/$1.list"
	expect_exit 0 "$1: -x exits 0" isoboot-extract -x -C "$T/x-$1" "$2"
	check_tree "$1" "$zt" "$T/x-$1" "$T/map.z"
}

if mkimg f xorriso -outdev "$T/f.iso" -zisofs level=6 -map "$zt" / \
    -set_filter_r --zisofs / -- -commit; then
	zcheck f "$T/f.iso" 37e45396c9dbd607 1
	mkdir -p "$T/bsd-f"
	expect_exit 0 "f: bsdtar -x exits 0" bsdtar -xf "$T/f.iso" -C "$T/bsd-f"
	check_files "f: big.txt as bsdtar decodes it" "$T/bsd-f/big.txt" \
	    "$T/x-f/big.txt"
fi
if mkimg g xorriso -outdev "$T/g.iso" -zisofs level=6:version_2=on \
    -map "$zt" / -set_filter_r --zisofs / -- -commit; then
	zcheck g "$T/g.iso" ef2255a1bc1b95a0 2
fi

# (h) El Torito (BIOS and EFI boot images): the catalog is a member, the
# boot images are plain files with their bytes unchanged.
el=$T/eltorito
mkdir -p "$el/boot/grub" "$el/EFI"
head -c 2048 /dev/urandom >"$el/boot/boot.img"
head -c 65536 /dev/urandom >"$el/EFI/efi.img"
printf 'set timeout=5\n' >"$el/boot/grub/grub.cfg"
printf 'kernel\n' >"$el/boot/vmlinuz"
if mkimg h xorriso -as mkisofs -R -J -b boot/boot.img -no-emul-boot \
    -boot-load-size 4 -c boot/boot.cat -eltorito-alt-boot \
    -e EFI/efi.img -no-emul-boot -o "$T/h.iso" "$el"; then
	# The catalog is made by xorriso: its expected bytes are the block
	# the boot record (LBA 17, LE32 at byte 71) points at.
	cat_lba=$(le32 "$T/h.iso" $((17 * 2048 + 71)))
	dd if="$T/h.iso" of="$el/boot/boot.cat" bs=2048 skip="$cat_lba" \
	    count=1 2>/dev/null
	map_identity "$el" >"$T/map.el"
	full_check h "$T/h.iso" "$el" "$T/map.el"
	check_eq "h: the boot catalog is one 2048-byte block" 2048 \
	    "$(wc -c <"$T/x-h/boot/boot.cat" | tr -d ' ')"
fi

# (i) multi-session: session 2 adds second.txt, replaces changed.txt and
# removes removed.txt; the reader shows the last session.
s1=$T/sess1
s2=$T/sess2
mkdir -p "$s1/dir" "$s2/dir"
printf 'first\n' >"$s1/first.txt"
printf 'removed in session 2\n' >"$s1/removed.txt"
printf 'v1\n' >"$s1/changed.txt"
printf 'kept\n' >"$s1/dir/keep.txt"
cp "$s1/first.txt" "$s2/first.txt"
cp "$s1/dir/keep.txt" "$s2/dir/keep.txt"
printf 'version two, longer\n' >"$s2/changed.txt"
head -c 5000 /dev/urandom >"$s2/second.txt"
map_identity "$s2" >"$T/map.s"
if mkimg i1 xorriso -outdev "$T/i.iso" -map "$s1" / -commit &&
    mkimg i2 xorriso -dev "$T/i.iso" -map "$s2/second.txt" /second.txt \
	-rm /removed.txt -- -map "$s2/changed.txt" /changed.txt -commit; then
	run xorriso -indev "$T/i.iso" -toc
	check_eq "i: the image has two sessions" 2 \
	    "$(cat "$T/out" "$T/err" | grep -c '^ISO session')"
	full_check i "$T/i.iso" "$s2" "$T/map.s"
	if grep -q -x 'removed.txt' "$T/i.list"; then
		fail "i: removed.txt (gone in session 2) is listed"
	else
		ok "i: removed.txt is gone"
	fi
fi

# (j) a multi-extent file without writing 4 GiB: part1 (2 blocks) and
# part2 are adjacent; part1's record gets the MULTI-EXTENT flag (0x80,
# ECMA-119 9.1.6) and part2's names (ECMA-119 and NM) become part1's, so
# the image holds one file "part1" of two extents: part1 then part2.
me=$T/mext
mkdir -p "$me"
head -c 4096 /dev/urandom >"$me/part1"
head -c 1000 /dev/urandom >"$me/part2"
printf 'after\n' >"$me/zz.txt"
if mkimg j xorriso -as mkisofs -R -o "$T/j.iso" "$me"; then
	root_records "$T/j.iso" >"$T/j.recs"
	r1=$(awk '$3 == "PART1.;1" { print $1 }' "$T/j.recs")
	r2=$(awk '$3 == "PART2.;1" { print $1 }' "$T/j.recs")
	nm2=$(awk '$3 == "PART2.;1" { print $4 }' "$T/j.recs")
	if [ -n "$r1" ] && [ -n "$r2" ] && [ "${nm2:--1}" -ge 0 ]; then
		put_byte "$T/j.iso" $((r1 + 25)) 128
		printf 1 | dd of="$T/j.iso" bs=1 seek=$((r2 + 33 + 4)) \
		    conv=notrunc 2>/dev/null
		printf 1 | dd of="$T/j.iso" bs=1 seek=$((nm2 + 4)) \
		    conv=notrunc 2>/dev/null
		ok "j: records patched"
	else
		fail "j: records of part1 and part2 not found"
	fi
	mj=$T/mext-joined
	mkdir -p "$mj"
	cat "$me/part1" "$me/part2" >"$mj/part1"
	cp "$me/zz.txt" "$mj/zz.txt"
	map_identity "$mj" >"$T/map.j"
	full_check j "$T/j.iso" "$mj" "$T/map.j"
	run isoboot-extract -t --json "$T/j.iso" part1
	check_grep "j: --json shows two extents" \
	    '"size":5096,.*"extents":\[\[[0-9]*,4096\],\[[0-9]*,1000\]\]' \
	    "$T/out"
fi

done_testing
