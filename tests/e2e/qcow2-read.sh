#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# qcow2-read: guest bytes read in place by ib_qcow2_open/_pread (through
# the test driver qcow2_cat) are the bytes qemu-img convert -O raw
# writes: v2 and v3 images of 512 B to 2 MiB clusters filled by qemu-io,
# compressed images, zero clusters, backing chains (qcow2 and raw, a
# shorter backing file), and mkdisk's own images. Features the reader
# does not handle, and backing names it does not follow, are refused
# with exit 1 and a message naming them.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need qemu-img qemu-io
cat=$IB_BUILD/drivers/qcow2_cat
need_file "$cat"

# raw IMG: qemu-img's bytes of IMG into IMG.raw.
raw() { qemu-img convert -O raw "$1" "$1.raw"; }

# qio IMG CMD...: qemu-io commands on IMG, quiet.
qio() {
	_img=$1
	shift
	for _c in "$@"; do
		set -- "$@" -c "$_c"
		shift
	done
	qemu-io "$@" "$_img" >/dev/null
}

# same DESC IMG [BUFSIZE]: all of IMG through the library (reads of
# BUFSIZE bytes) equals qemu-img's raw output, byte for byte.
bytes=0
same() {
	raw "$2"
	if "$cat" -b "${3:-65536}" "$2" >"$T/got" 2>"$T/err" &&
	    cmp -s "$2.raw" "$T/got"; then
		ok "$1"
		bytes=$((bytes + $(wc -c <"$T/got")))
	else
		fail "$1"
		sed 's/^/#   /' "$T/err" | head -n 3
		cmp "$2.raw" "$T/got" 2>&1 | sed 's/^/#   /' | head -n 3
	fi
}

# range DESC IMG OFF LEN: LEN bytes at OFF through the library equal
# those bytes of IMG.raw (made by same).
range() {
	dd if="$2.raw" of="$T/want" bs=1 skip="$3" count="$4" 2>/dev/null
	if "$cat" "$2" "$3" "$4" >"$T/got" 2>"$T/err" &&
	    cmp -s "$T/want" "$T/got"; then
		ok "$1"
	else
		fail "$1"
		sed 's/^/#   /' "$T/err" | head -n 3
	fi
}

# refused DESC IMG TEXT: exit 1, one line on stderr that says TEXT.
refused() {
	expect_exit 1 "$1: exit 1" "$cat" "$2"
	check_grep "$1: says '$3'" "$3" "$T/err"
	check_eq "$1: one line" 1 "$(lines "$T/err")"
}

# 1. Plain images: v2 and v3, cluster sizes 512 B to 2 MiB, data at
# unaligned offsets across clusters and L2 tables, the last sector.
for compat in 0.10 1.1; do
	for cs in 512 4k 64k 2M; do
		img=$T/p-$compat-$cs.qcow2
		qemu-img create -q -f qcow2 -o "compat=$compat,cluster_size=$cs" \
		    "$img" 9M
		qio "$img" 'write -P 0x11 0 1' 'write -P 0x5a 1001 70000' \
		    'write -P 0xa5 2097000 300000' 'write -P 0x77 9436672 512'
		same "v$compat, $cs clusters: all bytes as qemu-img's" "$img"
		same "v$compat, $cs clusters: in reads of 777 bytes" "$img" 777
		range "v$compat, $cs clusters: 5000 bytes at 68000" "$img" \
		    68000 5000
		range "v$compat, $cs clusters: the last byte" "$img" 9437183 1
	done
done

# 2. Compressed images (qemu-img convert -c), v2 and v3; then clusters
# qemu stores uncompressed (random bytes do not shrink) beside them.
src=$T/src.qcow2
qemu-img create -q -f qcow2 "$src" 6M
qio "$src" 'write -P 0x33 0 1M' 'write -P 0x44 3000000 12345'
dd if=/dev/urandom of="$T/rnd" bs=65536 count=3 2>/dev/null
for compat in 0.10 1.1; do
	for cs in 4k 64k 2M; do
		img=$T/c-$compat-$cs.qcow2
		qemu-img convert -c -O qcow2 -o "compat=$compat,cluster_size=$cs" \
		    "$src" "$img"
		same "compressed v$compat, $cs clusters: as qemu-img's" "$img"
		same "compressed v$compat, $cs clusters: reads of 3000" \
		    "$img" 3000
	done
done
# Random bytes that stay uncompressed next to compressed ones.
mix=$T/mix.raw
qemu-img convert -O raw "$src" "$mix"
dd if="$T/rnd" of="$mix" bs=65536 seek=40 conv=notrunc 2>/dev/null
qemu-img convert -c -f raw -O qcow2 "$mix" "$T/mix.qcow2"
same "compressed and incompressible clusters side by side" "$T/mix.qcow2"

# 3. Zero clusters (v3), over data and over a backing file.
img=$T/z.qcow2
qemu-img create -q -f qcow2 "$img" 4M
qio "$img" 'write -P 0x66 0 4M' 'write -z 64k 128k' 'write -z 1M 64k'
same "zero clusters over data read as zeros" "$img"

# 4. Backing chains: qcow2 v2 base, v3 middle and top, data and zero
# clusters at each level; a raw base; a backing file shorter than the
# overlay; a backing file in a subdirectory.
mkdir "$T/chain" "$T/chain/sub"
(
	cd "$T/chain" || exit 1
	qemu-img create -q -f qcow2 -o compat=0.10 sub/base.qcow2 3M
	qio sub/base.qcow2 'write -P 0x01 0 3M'
	qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 sub/mid.qcow2 5M
	qio sub/mid.qcow2 'write -P 0x02 512k 1M' 'write -z 2M 64k'
	qemu-img create -q -f qcow2 -o cluster_size=4k -b sub/mid.qcow2 \
	    -F qcow2 top.qcow2 6M
	qio top.qcow2 'write -P 0x03 1M 5000' 'write -z 100k 8k'
	printf 'raw backing bytes' >base.raw
	dd if=/dev/urandom of=base.raw bs=4096 seek=1 count=100 2>/dev/null
	qemu-img create -q -f qcow2 -b base.raw -F raw overraw.qcow2 1M
	qio overraw.qcow2 'write -P 0x09 200k 10k'
)
same "backing chain of 3, zero clusters at each level" "$T/chain/top.qcow2"
same "the middle image, with a shorter base" "$T/chain/sub/mid.qcow2" 4096
same "a raw backing file shorter than the overlay" \
    "$T/chain/overraw.qcow2"
range "a raw backing file: bytes across its end" "$T/chain/overraw.qcow2" \
    409000 2000

# 5. mkdisk's qcow2 images read as zeros of their size.
for size in 512 1048576 10485760; do
	img=$T/mk-$size.qcow2
	mkdisk -f qcow2 "$size" "$img"
	expect_exit 0 "mkdisk -f qcow2 $size: size" "$cat" -s "$img"
	check_eq "mkdisk -f qcow2 $size: virtual size $size" "$size" \
	    "$(cat "$T/out")"
	same "mkdisk -f qcow2 $size: zeros, as qemu-img reads them" "$img"
done

# 6. Refusals. Backing names: absolute, with '..', a loop, too deep.
mkdir "$T/bad" "$T/bad/d"
(
	cd "$T/bad" || exit 1
	qemu-img create -q -f qcow2 base.qcow2 1M
	qemu-img create -q -f qcow2 -b "$T/bad/base.qcow2" -F qcow2 \
	    abs.qcow2 1M
	qemu-img create -q -f qcow2 -b ../base.qcow2 -F qcow2 d/dotdot.qcow2 1M
	qemu-img create -q -f qcow2 a.qcow2 1M
	qemu-img create -q -f qcow2 -b a.qcow2 -F qcow2 b.qcow2 1M
	qemu-img rebase -q -u -b b.qcow2 -F qcow2 a.qcow2
	prev=base.qcow2
	i=1
	while [ "$i" -le 17 ]; do
		qemu-img create -q -f qcow2 -b "$prev" -F qcow2 "l$i.qcow2" 1M
		prev=l$i.qcow2
		i=$((i + 1))
	done
)
refused "an absolute backing name" "$T/bad/abs.qcow2" "absolute name"
refused "a backing name with '..'" "$T/bad/d/dotdot.qcow2" "'..' component"
refused "a backing chain loop" "$T/bad/a.qcow2" "backing chain loop"
expect_exit 0 "16 backing files: read" "$cat" -s "$T/bad/l16.qcow2"
refused "17 backing files" "$T/bad/l17.qcow2" "IB_MAX_BACKING_DEPTH (16)"

# Features: encryption, extended L2 entries, zstd, an external data file.
# LUKS: the header's crypt_method (bytes 32-35, big-endian) set to 2, as
# qemu-img -o encrypt.format=luks writes it. (Not made by qemu-img: it
# times PBKDF2 first, and on a loaded machine fails "Unable to get
# accurate CPU usage".)
f=$T/bad/luks.qcow2
qemu-img create -q -f qcow2 "$f" 1M
printf '\000\000\000\002' | dd of="$f" bs=1 seek=32 conv=notrunc 2>/dev/null
refused "a LUKS-encrypted image" "$f" "encrypted image"
f=$T/bad/extl2.qcow2
qemu-img create -q -f qcow2 -o extended_l2=on "$f" 1M
refused "extended L2 entries" "$f" "extended L2 entries"
f=$T/bad/zstd.qcow2
if qemu-img create -q -f qcow2 -o compression_type=zstd "$f" 1M \
    2>/dev/null; then
	refused "zstd compression" "$f" "zstd compression"
else
	skip "zstd compression: this qemu-img has no zstd"
fi
f=$T/bad/ext.qcow2
qemu-img create -q -f qcow2 -o "data_file=$T/bad/ext.data" "$f" 1M
refused "an external data file" "$f" "external data file"
refused "not a qcow2 image" "$T/rnd" "bad magic"

echo "# $bytes bytes compared with qemu-img convert -O raw"
done_testing
