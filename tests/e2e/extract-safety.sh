#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot-extract on hostile images: each is a small image generated here
# with bytes patched in (offsets found by parsing the image), or a tree
# whose names would lead a write outside the destination. Every case
# must end with exit status 1 (not a crash, not a hang), messages that
# start with "isoboot-extract: ", no partial or temporary file, and
# nothing written outside the destination directory.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need xorriso timeout od awk dd
umask 022



# put_733 FILE OFFSET VALUE: a both-endian 32-bit field (ECMA-119 7.3.3).
put_733() {
	_v=$3
	put_byte "$1" "$2" $((_v & 255))
	put_byte "$1" $(($2 + 1)) $((_v >> 8 & 255))
	put_byte "$1" $(($2 + 2)) $((_v >> 16 & 255))
	put_byte "$1" $(($2 + 3)) $((_v >> 24 & 255))
	put_byte "$1" $(($2 + 4)) $((_v >> 24 & 255))
	put_byte "$1" $(($2 + 5)) $((_v >> 16 & 255))
	put_byte "$1" $(($2 + 6)) $((_v >> 8 & 255))
	put_byte "$1" $(($2 + 7)) $((_v & 255))
}

# dir_records IMG LBA SIZE: one line per directory record of the
# directory at LBA: "offset length extent size flags name nm-offset
# ce-offset zf-offset" (image offsets; the last three are the NM name
# bytes and the CE and ZF entries in the record's system use area, or -1).
dir_records() {
	od -An -v -tu1 -j $(($2 * 2048)) -N "$3" "$1" |
	    awk -v base=$(($2 * 2048)) '
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		o = 0
		while (o < n) {
			len = b[o]
			if (len == 0) {
				o = (int(o / 2048) + 1) * 2048
				continue
			}
			ext = b[o + 2] + b[o + 3] * 256 + b[o + 4] * 65536 + \
			    b[o + 5] * 16777216
			sz = b[o + 10] + b[o + 11] * 256 + b[o + 12] * 65536 + \
			    b[o + 13] * 16777216
			nl = b[o + 32]
			name = ""
			for (k = 0; k < nl; k++)
				name = name sprintf("%c", b[o + 33 + k])
			if (nl == 1 && b[o + 33] < 2)
				name = b[o + 33] == 0 ? "." : ".."
			nm = -1
			ce = -1
			zf = -1
			for (k = 33 + nl + (nl % 2 == 0); k + 4 <= len; ) {
				if (b[o + k + 2] < 4)
					break
				if (b[o + k] == 78 && b[o + k + 1] == 77 && nm < 0)
					nm = base + o + k + 5
				if (b[o + k] == 67 && b[o + k + 1] == 69)
					ce = base + o + k
				if (b[o + k] == 90 && b[o + k + 1] == 70)
					zf = base + o + k
				k += b[o + k + 2]
			}
			printf "%d %d %d %d %d %s %d %d %d\n", base + o, len, \
			    ext, sz, b[o + 25], name, nm, ce, zf
			o += len
		}
	}'
}

# root_records IMG: dir_records of the root directory (PVD at 32768, root
# record at +156: extent at +2, size at +10).
root_records() {
	dir_records "$1" "$(le32 "$1" $((32768 + 156 + 2)))" \
	    "$(le32 "$1" $((32768 + 156 + 10)))"
}

# rec IMG NAME FIELD: FIELD (1-9, see dir_records) of the
# root record whose ECMA-119 name is NAME (";1" ignored).
rec() {
	root_records "$1" | awk -v n="$2" -v f="$3" '
	    $6 == n || $6 == n ";1" { print $f; exit }'
}

# check_err DESC: stderr is not empty and every line starts with the
# tool's name.
check_err() {
	if [ ! -s "$T/err" ]; then
		fail "$1: no message on stderr"
	elif grep -v -q '^isoboot-extract: ' "$T/err"; then
		fail "$1: a message without the 'isoboot-extract: ' prefix"
		sed 's/^/#   /' "$T/err" | head -n 5
	else
		ok "$1: message: $(head -n 1 "$T/err")"
	fi
}

# no_temps DESC DIR: no temporary file of the tool is left in DIR.
no_temps() {
	if [ -d "$2" ]; then
		find "$2" -name '.ib*' -print >"$T/temps"
	else
		: >"$T/temps"
	fi
	check_eq "$1: no .ib*.tmp file left" "" "$(cat "$T/temps")"
}

# hostile NAME IMG [OPTION...]: -t and -x both exit 1 within 10 s with
# a clean message, bounded output and no temporary file.
hostile() {
	_n=$1
	_i=$2
	shift 2
	expect_exit 1 "$_n: -t exits 1" timeout 10 isoboot-extract -t "$@" "$_i"
	check_err "$_n: -t"
	if [ "$(cat "$T/out" "$T/err" | wc -l)" -lt 100 ]; then
		ok "$_n: -t output is bounded"
	else
		fail "$_n: -t printed $(cat "$T/out" "$T/err" | wc -l) lines"
	fi
	expect_exit 1 "$_n: -x exits 1" \
	    timeout 10 isoboot-extract -x -C "$T/x-$_n" "$@" "$_i"
	check_err "$_n: -x"
	no_temps "$_n" "$T/x-$_n"
}

# --- the small image every patch starts from ----------------------------
src=$T/src
mkdir -p "$src/sub/child"
printf 'inner\n' >"$src/sub/inner.txt"
printf 'child\n' >"$src/sub/child/c.txt"
head -c 10000 /dev/urandom >"$src/data.bin"
printf 'readme\n' >"$src/readme.txt"
long=$(awk 'BEGIN { for (i = 0; i < 20; i++) printf "name%05d-", i }')
printf 'long\n' >"$src/$long"
base=$T/base.iso
if ! xorriso -as mkisofs -R -o "$base" "$src" >"$T/mk.log" 2>&1; then
	fail "building the base image failed"
	sed 's/^/#   /' "$T/mk.log" | tail -n 5
	done_testing
fi
expect_exit 0 "base image: -x exits 0" \
    isoboot-extract -x -C "$T/x-base" "$base"
check_files "base image: data.bin extracted" "$src/data.bin" \
    "$T/x-base/data.bin"
root_records "$base" >"$T/root.recs"
check_eq "base image: the parser finds the root records" \
    ". .. DATA.BIN;1 NAME0000.;1 README.TXT;1 SUB" \
    "$(awk '{ printf "%s%s", (NR > 1 ? " " : ""), $6 }' "$T/root.recs")"

# (a) not an image at all.
: >"$T/zero.iso"
expect_exit 1 "zero-length file: exit 1" \
    timeout 10 isoboot-extract -t "$T/zero.iso"
check_err "zero-length file"
check_eq "zero-length file: one line" 1 "$(lines "$T/err")"
check_grep "zero-length file: the message names it" "zero\.iso" "$T/err"
head -c 100 /dev/urandom >"$T/hundred.iso"
expect_exit 1 "100-byte file: exit 1" \
    timeout 10 isoboot-extract -x -C "$T/x-hundred" "$T/hundred.iso"
check_err "100-byte file"
check_eq "100-byte file: one line" 1 "$(lines "$T/err")"
check_grep "100-byte file: the message names it" "hundred\.iso" "$T/err"
head -c 65536 /dev/zero >"$T/zeros.iso"
expect_exit 1 "64 KiB of zeros (no volume descriptor): exit 1" \
    timeout 10 isoboot-extract -t "$T/zeros.iso"
check_err "64 KiB of zeros"
check_eq "64 KiB of zeros: one line" 1 "$(lines "$T/err")"
expect_exit 1 "a missing file: exit 1" \
    timeout 10 isoboot-extract -t "$T/nosuch.iso"
check_err "a missing file"

# (b) truncated in the middle of data.bin's data.
lba=$(rec "$base" DATA.BIN 3)
cut=$((lba * 2048 + 5000))
head -c "$cut" "$base" >"$T/trunc.iso"
d=$T/x-trunc
expect_exit 1 "truncated: -x exits 1" \
    timeout 10 isoboot-extract -x -C "$d" "$T/trunc.iso"
check_err "truncated"
check_grep "truncated: the message names data.bin" 'data\.bin' "$T/err"
check_eq "truncated: no data.bin under its final name" no \
    "$([ -e "$d/data.bin" ] && echo yes || echo no)"
no_temps "truncated" "$d"
expect_exit 1 "truncated: -x -O exits 1" \
    timeout 10 isoboot-extract -x -O "$T/trunc.iso" data.bin
check_err "truncated -O"

# (c) a directory whose extent is the root's (a cycle), and one whose
# extent is its parent's.
cp "$base" "$T/cycle.iso"
root=$(le32 "$base" $((32768 + 156 + 2)))
put_733 "$T/cycle.iso" $(($(rec "$base" SUB 1) + 2)) "$root"
hostile cycle "$T/cycle.iso"
cp "$base" "$T/cycle2.iso"
sub_lba=$(rec "$base" SUB 3)
sub_size=$(rec "$base" SUB 4)
child=$(dir_records "$base" "$sub_lba" "$sub_size" |
    awk '$6 == "CHILD" { print $1 }')
put_733 "$T/cycle2.iso" $((child + 2)) "$sub_lba"
hostile cycle-parent "$T/cycle2.iso"
check_files "cycle-parent: the files before the loop are extracted" \
    "$src/data.bin" "$T/x-cycle-parent/data.bin"

# (d) a file extent beyond the end of the image.
cp "$base" "$T/beyond.iso"
put_733 "$T/beyond.iso" $(($(rec "$base" DATA.BIN 1) + 2)) $((0xFFFFF0))
hostile beyond "$T/beyond.iso"
check_grep "beyond: the message names data.bin" 'data\.bin' "$T/err"
check_eq "beyond: no data.bin" no \
    "$([ -e "$T/x-beyond/data.bin" ] && echo yes || echo no)"
check_files "beyond: the other files are extracted" \
    "$src/sub/inner.txt" "$T/x-beyond/sub/inner.txt"
expect_exit 1 "beyond: -x -O exits 1" \
    timeout 10 isoboot-extract -x -O "$T/beyond.iso" data.bin
check_eq "beyond: -x -O writes nothing" 0 "$(wc -c <"$T/out" | tr -d ' ')"
# The same with a size that ends past the image (the extent is inside).
cp "$base" "$T/beyond2.iso"
put_733 "$T/beyond2.iso" $(($(rec "$base" DATA.BIN 1) + 10)) $((0x7FFFFFF0))
hostile beyond-size "$T/beyond2.iso"

# (e) a root directory of 0xFFFFFF00 bytes.
cp "$base" "$T/rootsize.iso"
put_733 "$T/rootsize.iso" $((32768 + 156 + 10)) $((0xFFFFFF00))
hostile root-size "$T/rootsize.iso"
# and a root extent beyond the end of the image.
cp "$base" "$T/rootext.iso"
put_733 "$T/rootext.iso" $((32768 + 156 + 2)) $((0xFFFFFF))
hostile root-extent "$T/rootext.iso"

# (f) a bad record length (20 < 33 + name length), and a name length
# that runs past the record.
cp "$base" "$T/reclen.iso"
put_byte "$T/reclen.iso" "$(rec "$base" README.TXT 1)" 20
hostile record-length "$T/reclen.iso"
cp "$base" "$T/namelen.iso"
put_byte "$T/namelen.iso" $(($(rec "$base" README.TXT 1) + 32)) 250
hostile name-length "$T/namelen.iso"

# A Rock Ridge CE whose continuation area is the record's own system use
# area: an endless CE chain (bsdtar 3.6.2 loops on this, fixtures/isos/ISO-READERS.md).
ce=$(rec "$base" NAME0000. 8)
if [ "$ce" -ge 0 ] 2>/dev/null; then
	recoff=$(rec "$base" NAME0000. 1)
	reclen=$(rec "$base" NAME0000. 2)
	# The system use area follows the name (ECMA-119 9.1.12, 9.1.13):
	# 33 + name length + a pad byte when the name length is even.
	nl=$(od -An -tu1 -j $((recoff + 32)) -N1 "$base" | tr -d ' ')
	sua=$((recoff + 33 + nl + (nl % 2 == 0 ? 1 : 0)))
	cp "$base" "$T/celoop.iso"
	put_733 "$T/celoop.iso" $((ce + 4)) $((sua / 2048))
	put_733 "$T/celoop.iso" $((ce + 12)) $((sua % 2048))
	put_733 "$T/celoop.iso" $((ce + 20)) $((recoff + reclen - sua))
	hostile ce-loop "$T/celoop.iso"
else
	fail "base image: no CE entry for the long name"
fi

# zisofs (RRIP ZF, fixtures/isos/ISO-READERS.md): sizes and block pointers are not
# trusted. Only -x reads the data; the listing may show the claimed size.
ztree=$T/ztree
mkdir -p "$ztree"
awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "line %d of a compressible text file\n", i }' >"$ztree/text.txt"
printf 'fine\n' >"$ztree/fine.txt"
zimg=$T/z.iso

# zhostile NAME IMG: -x exits 1 within 10 s, writes no text.txt, leaves
# no temporary file, and still extracts fine.txt.
zhostile() {
	expect_exit 1 "$1: -x exits 1" \
	    timeout 10 isoboot-extract -x -C "$T/x-$1" "$2"
	check_err "$1: -x"
	check_grep "$1: the message names text.txt" ': text\.txt: ' "$T/err"
	check_eq "$1: no text.txt" no \
	    "$([ -e "$T/x-$1/text.txt" ] && echo yes || echo no)"
	check_files "$1: fine.txt extracted" "$ztree/fine.txt" \
	    "$T/x-$1/fine.txt"
	no_temps "$1" "$T/x-$1"
	expect_exit 1 "$1: -x -O exits 1" \
	    timeout 10 isoboot-extract -x -O "$2" text.txt
	check_err "$1: -x -O"
}

if xorriso -outdev "$zimg" -zisofs level=6 -map "$ztree" / \
    -set_filter_r --zisofs / -- -commit >"$T/mkz.log" 2>&1; then
	zf=$(rec "$zimg" TEXT.TXT 9)
	zdata=$(($(rec "$zimg" TEXT.TXT 3) * 2048))
	check_eq "zisofs: text.txt has a ZF entry" yes \
	    "$([ "$zf" -ge 0 ] && echo yes)"
	check_eq "zisofs: text.txt's data starts with the magic" \
	    37e45396c9dbd607 \
	    "$(od -An -tx1 -N8 -j "$zdata" "$zimg" | tr -d ' \n')"
	expect_exit 0 "zisofs: the unpatched image extracts" \
	    isoboot-extract -x -C "$T/x-zok" "$zimg"
	check_files "zisofs: text.txt decoded" "$ztree/text.txt" \
	    "$T/x-zok/text.txt"
	# The ZF size (BP 9-16) says 4 GiB - 16: more than the blocks hold.
	cp "$zimg" "$T/zsize.iso"
	put_733 "$T/zsize.iso" $((zf + 8)) $((0xFFFFFFF0))
	zhostile zf-size "$T/zsize.iso"
	# Block pointer 1 (after the 16-byte header) far past the extent.
	cp "$zimg" "$T/zptr.iso"
	put_byte "$T/zptr.iso" $((zdata + 16 + 4 + 3)) 127
	zhostile zf-pointer "$T/zptr.iso"
	# Block pointers going backwards: pointer 2 before pointer 1.
	cp "$zimg" "$T/zback.iso"
	put_byte "$T/zback.iso" $((zdata + 16 + 8)) 0
	put_byte "$T/zback.iso" $((zdata + 16 + 9)) 0
	zhostile zf-backwards "$T/zback.iso"
	# log2(block size) 30 in the header and in ZF (writers use 15..17):
	# the ZF is not believed and the file is read as stored, as
	# libarchive and Linux do; never 2^30-byte blocks.
	cp "$zimg" "$T/zlog.iso"
	put_byte "$T/zlog.iso" $((zdata + 13)) 30
	put_byte "$T/zlog.iso" $((zf + 7)) 30
	zsize=$(rec "$zimg" TEXT.TXT 4)
	expect_exit 0 "zf-log2: -t --json exits 0" \
	    timeout 10 isoboot-extract -t --json "$T/zlog.iso" text.txt
	check_grep "zf-log2: listed as stored ($zsize bytes, not zisofs)" \
	    "\"size\":$zsize,.*\"zisofs\":0," "$T/out"
	expect_exit 0 "zf-log2: -x exits 0" \
	    timeout 10 isoboot-extract -x -C "$T/x-zf-log2" "$T/zlog.iso"
	dd if="$T/zlog.iso" of="$T/zlog.stored" bs=1 skip="$zdata" \
	    count="$zsize" 2>/dev/null
	check_files "zf-log2: text.txt is the stored bytes" "$T/zlog.stored" \
	    "$T/x-zf-log2/text.txt"
	# A corrupt zlib stream in block 0.
	cp "$zimg" "$T/zbits.iso"
	p0=$(le32 "$zimg" $((zdata + 16)))
	put_byte "$T/zbits.iso" $((zdata + p0 + 10)) 255
	put_byte "$T/zbits.iso" $((zdata + p0 + 11)) 255
	put_byte "$T/zbits.iso" $((zdata + p0 + 12)) 255
	zhostile zf-stream "$T/zbits.iso"
else
	fail "building the zisofs image failed"
	sed 's/^/#   /' "$T/mkz.log" | tail -n 5
fi

# (g) names that lead outside the destination. Rock Ridge names are
# patched after xorriso wrote them (same length): a directory "evim"
# becomes a second "evil" beside the symlink evil -> $T/outside, "uq"
# becomes "up" beside up -> .., and "dd" becomes "..".
outside=$T/outside
mkdir -p "$outside"
esrc=$T/esrc
mkdir -p "$esrc/evim" "$esrc/uq" "$esrc/dd"
ln -s "$outside" "$esrc/evil"
ln -s .. "$esrc/up"
printf 'escaped\n' >"$esrc/evim/x"
printf 'escaped\n' >"$esrc/uq/escaped-up"
printf 'escaped\n' >"$esrc/dd/escaped-dd"
printf 'fine\n' >"$esrc/fine.txt"
ximg=$T/escape.iso
if xorriso -as mkisofs -R -o "$ximg" "$esrc" >"$T/mk2.log" 2>&1; then
	bad=0
	for pair in EVIM:evil UQ:up DD:..; do
		nm=$(rec "$ximg" "${pair%%:*}" 7)
		new=${pair#*:}
		if [ "${nm:--1}" -lt 0 ]; then
			bad=$((bad + 1))
			continue
		fi
		printf '%s' "$new" |
		    dd of="$ximg" bs=1 seek="$nm" conv=notrunc 2>/dev/null
	done
	check_eq "escape: three NM names patched" 0 "$bad"
	expect_exit 1 "escape: -t exits 1 (a member named '..')" \
	    timeout 10 isoboot-extract -t "$ximg"
	check_grep "escape: -t names the '..' member" \
	    '^isoboot-extract: .*: \.\.: ' "$T/err"
	check_grep "escape: -t still lists the rest" '^fine\.txt$' "$T/out"
	d=$T/x-escape/dest
	mkdir -p "$d"
	expect_exit 1 "escape: -x exits 1" \
	    timeout 10 isoboot-extract -x -C "$d" "$ximg"
	check_err "escape"
	check_grep "escape: evil/x is refused" ': evil/x: ' "$T/err"
	check_grep "escape: up/escaped-up is refused" ': up/escaped-up: ' \
	    "$T/err"
	check_grep "escape: the member named '..' is refused" ': \.\.: ' \
	    "$T/err"
	check_eq "escape: nothing written through evil -> $outside" "" \
	    "$(ls -A "$outside")"
	check_eq "escape: nothing written next to the destination" \
	    "dest" "$(ls -A "$T/x-escape")"
	check_eq "escape: no escaped-up in the destination's parent" no \
	    "$([ -e "$T/x-escape/escaped-up" ] && echo yes || echo no)"
	check_files "escape: the rest is extracted" "$esrc/fine.txt" \
	    "$d/fine.txt"
	no_temps "escape" "$d"
else
	fail "building the escape image failed"
	sed 's/^/#   /' "$T/mk2.log" | tail -n 5
fi
rm -f "$T/x-escape/dest/evil" "$T/x-escape/dest/up"

# A symlink already in the destination: DIR/boot -> $T/outside2.
outside2=$T/outside2
mkdir -p "$outside2" "$T/bsrc/boot"
printf 'kernel\n' >"$T/bsrc/boot/vmlinuz"
printf 'fine\n' >"$T/bsrc/fine.txt"
if xorriso -as mkisofs -R -o "$T/boot.iso" "$T/bsrc" >"$T/mk3.log" 2>&1
then
	d=$T/x-pre
	mkdir -p "$d"
	ln -s "$outside2" "$d/boot"
	expect_exit 1 "symlink in DIR: -x exits 1" \
	    timeout 10 isoboot-extract -x -C "$d" "$T/boot.iso"
	check_err "symlink in DIR"
	check_eq "symlink in DIR: $outside2 stays empty" "" \
	    "$(ls -A "$outside2")"
	check_eq "symlink in DIR: the symlink is left alone" "$outside2" \
	    "$(readlink "$d/boot")"
	check_files "symlink in DIR: the rest is extracted" \
	    "$T/bsrc/fine.txt" "$d/fine.txt"
	# A symlink where the image has a file: replaced, never followed.
	rm -f "$d/fine.txt"
	ln -s "$outside2/victim" "$d/fine.txt"
	expect_exit 0 "symlink at a file's path: -x exits 0" \
	    timeout 10 isoboot-extract -x -C "$d" "$T/boot.iso" fine.txt
	check_eq "symlink at a file's path: nothing written through it" "" \
	    "$(ls -A "$outside2")"
	check_eq "symlink at a file's path: replaced by the file" "no fine" \
	    "$([ -L "$d/fine.txt" ] && echo yes || echo no) $(cat "$d/fine.txt")"
	rm -f "$d/fine.txt"
	ln -s "$outside2/victim" "$d/fine.txt"
	expect_exit 0 "symlink at a file's path, -k: exits 0" \
	    timeout 10 isoboot-extract -x -k -C "$d" "$T/boot.iso" fine.txt
	check_eq "symlink at a file's path, -k: nothing written through it" \
	    "" "$(ls -A "$outside2")"
	check_eq "symlink at a file's path, -k: the symlink is kept" \
	    "$outside2/victim" "$(readlink "$d/fine.txt")"
	expect_exit 1 "symlink in DIR: -x of boot/vmlinuz exits 1" \
	    timeout 10 isoboot-extract -x -C "$d" "$T/boot.iso" boot/vmlinuz
	check_eq "symlink in DIR: $outside2 still empty" "" \
	    "$(ls -A "$outside2")"
	# The destination itself may be a symlink: that one is the user's.
	ln -s "$outside2" "$T/dest-link"
	expect_exit 0 "-C through a symlink the user gave exits 0" \
	    timeout 10 isoboot-extract -x -C "$T/dest-link" "$T/boot.iso" \
	    fine.txt
	rm -f "$outside2/fine.txt"
else
	fail "building the boot image failed"
fi

done_testing
