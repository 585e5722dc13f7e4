#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh BUILD: benchmarks against peers measured in the same run, as a
# Markdown table: each figure is the median of BENCH_RUNS (at least 5)
# runs with the spread (min-max), ours and the peer's taken in turn in
# one loop, each after its PREPARE command (files removed, sync). Exits 1
# if a floor of an issue is missed. Inputs are generated here.
set -eu
bin=$(cd "$1/bin" && pwd)
work=$1/bench
mkdir -p "$work"
work=$(cd "$work" && pwd)
status=0
runs=${BENCH_RUNS:-5}
[ "$runs" -ge 5 ] || runs=5
PREPARE=true

# once CMD: the seconds one run of CMD takes, after PREPARE (not timed).
once() {
	sh -c "$PREPARE" >/dev/null 2>&1
	s=$(date +%s%N)
	sh -c "$1" >/dev/null 2>&1 || echo "bench: failed: $1" >&2
	e=$(date +%s%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f\n", (e - s) / 1e9 }'
}

# stats FILE: "median min max" of the times in FILE.
stats() {
	sort -n "$1" | awk '{ a[NR] = $1 } END {
	    m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	    printf "%.3f %.3f %.3f\n", m, a[1], a[NR] }'
}

# cell "MEDIAN MIN MAX": a figure with its spread.
cell() {
	# shellcheck disable=SC2086 # the three words, split on purpose
	set -- $1
	printf '%ss (%s-%s)' "$1" "$2" "$3"
}

# verdict RATIO MAX: v is "ok", or "MISSED" and remembered in status
# (not in a subshell: status must survive).
verdict() {
	v=ok
	if awk -v r="$1" -v m="$2" 'BEGIN { exit !(r > m) }'; then
		v=MISSED
		status=1
	fi
}

# pair NAME OURS PEER-NAME PEER MAX: OURS and PEER in turn, runs times;
# one row, with the ratio of the medians against the floor MAX.
pair() {
	: >"$work/a.t"
	: >"$work/b.t"
	i=0
	while [ "$i" -lt "$runs" ]; do
		once "$2" >>"$work/a.t"
		once "$4" >>"$work/b.t"
		i=$((i + 1))
	done
	a=$(stats "$work/a.t")
	b=$(stats "$work/b.t")
	r=$(awk -v a="${a%% *}" -v b="${b%% *}" 'BEGIN { printf "%.2f", a / b }')
	verdict "$r" "$5"
	printf '| %s | %s | %s | %s | %s | <= %s %s |\n' "$1" "$(cell "$a")" \
	    "$3" "$(cell "$b")" "$r" "$5" "$v"
}

# solo NAME CMD MAX: ours alone against a time in seconds.
solo() {
	: >"$work/a.t"
	i=0
	while [ "$i" -lt "$runs" ]; do
		once "$2" >>"$work/a.t"
		i=$((i + 1))
	done
	a=$(stats "$work/a.t")
	verdict "${a%% *}" "$3"
	printf '| %s | %s | | | | <= %ss %s |\n' "$1" "$(cell "$a")" "$3" "$v"
}

# rss NAME MAX-KIB CMD...: peak RSS of one run, against MAX-KIB.
rss() {
	name=$1
	max=$2
	shift 2
	k=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1)
	v=ok
	if [ "$k" -gt "$max" ]; then
		v=MISSED
		status=1
	fi
	printf '| %s | %s KiB | | | | <= %s KiB %s |\n' "$name" "$k" "$max" "$v"
}

echo "== inputs (xorriso)" >&2
if [ ! -f "$work/big.iso" ]; then
	mkdir -p "$work/bigtree"
	head -c 1073741824 /dev/urandom >"$work/bigtree/big.bin"
	xorriso -as mkisofs -quiet -R -o "$work/big.iso" "$work/bigtree"
fi
if [ ! -f "$work/many.iso" ]; then
	mkdir -p "$work/manytree"
	d=0
	while [ $d -lt 200 ]; do
		mkdir -p "$work/manytree/dir$d"
		(cd "$work/manytree/dir$d" && i=0 &&
		    while [ "$i" -lt 250 ]; do
			    : >"file-with-a-longer-name-$i.txt"
			    i=$((i + 1))
		    done)
		d=$((d + 1))
	done
	xorriso -as mkisofs -quiet -R -o "$work/many.iso" "$work/manytree"
fi
# A Debian-live-shaped image: isolinux, GRUB with its modules, kernel,
# initrd, a 300 MiB squashfs stand-in, a few hundred files in all.
if [ ! -f "$work/live.iso" ]; then
	l=$work/livetree
	rm -rf "$l"
	mkdir -p "$l/live" "$l/isolinux" "$l/boot/grub/x86_64-efi" \
	    "$l/boot/grub/i386-pc" "$l/EFI/boot" "$l/.disk" "$l/pool/main"
	head -c 8388608 /dev/urandom >"$l/live/vmlinuz"
	head -c 41943040 /dev/urandom >"$l/live/initrd.img"
	head -c 314572800 /dev/urandom >"$l/live/filesystem.squashfs"
	head -c 1048576 /dev/urandom >"$l/EFI/boot/bootx64.efi"
	i=0
	while [ $i -lt 280 ]; do
		head -c $((4096 + i * 211)) /dev/urandom \
		    >"$l/boot/grub/x86_64-efi/mod$i.mod"
		i=$((i + 1))
	done
	i=0
	while [ $i -lt 40 ]; do
		head -c $((1024 + i * 97)) /dev/urandom >"$l/isolinux/f$i.c32"
		head -c 20000 /dev/urandom >"$l/pool/main/p$i.deb"
		i=$((i + 1))
	done
	echo 'Debian GNU/Linux Live' >"$l/.disk/info"
	(cd "$l" && find . -type f | sort >md5sum.txt)
	xorriso -as mkisofs -quiet -R -J -o "$work/live.iso" "$l"
fi
cat "$work/big.iso" "$work/bigtree/big.bin" "$work/live.iso" >/dev/null
find "$work/livetree" -type f -exec cat {} + >/dev/null # page cache

if ! command -v 7zz >/dev/null 2>&1; then
	echo "(7zz is not installed here: left out)"
fi
if ! command -v iso-read >/dev/null 2>&1; then
	echo "(iso-read is not installed here: left out)"
fi
echo
echo "| benchmark | isoboot | peer | peer's | ratio | floor |"
echo "|---|---|---|---|---|---|"

o=$work/out
PREPARE="rm -rf $o; mkdir -p $o; sync"
pair "1 GiB file at LBA 33, page-cached" \
    "$bin/isoboot-extract -x $work/big.iso big.bin -C $o" \
    "cp" "cp $work/bigtree/big.bin $o/cp.bin" 1.10
pair "1 GiB file at LBA 33, page-cached" \
    "$bin/isoboot-extract -x $work/big.iso big.bin -C $o" \
    "dd bs=1M (read/write)" \
    "dd if=$work/big.iso of=$o/dd.bin bs=1M skip=67584 count=1073741824 iflag=skip_bytes,count_bytes status=none" \
    1.10
rss "1 GiB file: peak RSS" 8192 \
    "$bin/isoboot-extract" -x "$work/big.iso" big.bin -C "$o"
cmp "$o/big.bin" "$work/bigtree/big.bin"

pair "50,000 empty files in 200 directories" \
    "$bin/isoboot-extract -x $work/many.iso -C $o" \
    "bsdtar -xf" "bsdtar -xf $work/many.iso -C $o" 0.8

pair "Debian-live-shaped ISO, whole (420 files, 350 MiB)" \
    "$bin/isoboot-extract -x $work/live.iso -C $o" \
    "bsdtar -xf" "bsdtar -xf $work/live.iso -C $o" 0.8
pair "Debian-live-shaped ISO, whole (420 files, 350 MiB)" \
    "$bin/isoboot-extract -x $work/live.iso -C $o" \
    "cp -r of the tree" "cp -r $work/livetree $o/tree" 1.2

PREPARE=true
pair "list 50,000 files (Rock Ridge)" "$bin/isoboot-extract -t $work/many.iso" \
    "isoinfo -R -l" "isoinfo -R -l -i $work/many.iso" 0.5
pair "list 50,000 files (Rock Ridge)" "$bin/isoboot-extract -t $work/many.iso" \
    "bsdtar -tf" "bsdtar -tf $work/many.iso" 0.5
rss "list 50,000 files: peak RSS" 16384 \
    "$bin/isoboot-extract" -t "$work/many.iso"
n=$("$bin/isoboot-extract" -t "$work/many.iso" | wc -l)
[ "$n" -eq 50200 ] || { echo "listing has $n lines, expected 50200"; status=1; }

if [ ! -f "$work/stream.iso.xz" ]; then
	mkdir -p "$work/streamtree"
	head -c 268435456 /dev/urandom >"$work/streamtree/s.bin"
	xorriso -as mkisofs -quiet -R -o "$work/stream.iso" "$work/streamtree"
	xz -0 -T1 -c "$work/stream.iso" >"$work/stream.iso.xz"
	rm -f "$work/stream.iso"
fi
PREPARE="rm -rf $o; mkdir -p $o; sync"
pair "256 MiB file streamed from xz -dc" \
    "xz -dc $work/stream.iso.xz | $bin/isoboot-extract -x - s.bin -C $o" \
    "bsdtar -xf -" "xz -dc $work/stream.iso.xz | bsdtar -xf - -C $o s.bin" 1.2
cmp "$o/s.bin" "$work/streamtree/s.bin"
rm -rf "$o"

# A cloud-shaped 2 GiB qcow2 (ext4 root with /usr/share, compressed).
c=$work/cloud
if [ ! -f "$c/cloud.qcow2" ]; then
	rm -rf "$c"
	mkdir -p "$c/root/boot/grub" "$c/root/usr"
	cp /usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux \
	    "$c/root/boot/vmlinuz-6.1.0-13-cloud-amd64"
	head -c 41943040 /dev/urandom \
	    >"$c/root/boot/initrd.img-6.1.0-13-cloud-amd64"
	cp -a /usr/share "$c/root/usr/share"
	printf '%s\n' 'set default=0' "menuentry 'Debian' {" \
	    '  search --no-floppy --fs-uuid --set=root 0b0b0b0b-1111-4222-8333-444444444444' \
	    '  linux /boot/vmlinuz-6.1.0-13-cloud-amd64 root=UUID=0b0b0b0b-1111-4222-8333-444444444444 ro console=ttyS0' \
	    '  initrd /boot/initrd.img-6.1.0-13-cloud-amd64' '}' \
	    >"$c/root/boot/grub/grub.cfg"
	mke2fs -q -F -t ext4 -U 0b0b0b0b-1111-4222-8333-444444444444 \
	    -d "$c/root" "$c/root.ext4" 1900M
	truncate -s 2G "$c/cloud.raw"
	printf '%s\n' 'label: gpt' \
	    'start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649' \
	    'start=4096' | sfdisk -q "$c/cloud.raw" >/dev/null
	dd if="$c/root.ext4" of="$c/cloud.raw" bs=1M seek=2 conv=notrunc,sparse \
	    2>/dev/null
	rm -rf "$c/root" "$c/root.ext4"
	qemu-img convert -c -O qcow2 "$c/cloud.raw" "$c/cloud.qcow2"
	rm -f "$c/cloud.raw"
fi
cat "$c/cloud.qcow2" >/dev/null # page cache
# The boot files and the command line, from the qcow2 in place.
PREPARE="rm -rf $c/out"
solo "kernel, initrd, cmdline from a 2 GiB cloud qcow2" \
    "$bin/isoboot-extract $c/cloud.qcow2 -C $c/out" 0.3
PREPARE=true
# qcow2 to raw for hyperkit/vfkit: ours against qemu-img, to the disk,
# each run starting with no dirty pages.
conv=$1/drivers/qcow2_to_raw
if [ -x "$conv" ]; then
	PREPARE="sh -c 'rm -f $c/a.raw $c/b.raw; sync'"
	pair "qcow2 -> raw (2 GiB cloud)" "$conv $c/cloud.qcow2 $c a.raw" \
	    "qemu-img convert -O raw" \
	    "qemu-img convert -O raw $c/cloud.qcow2 $c/b.raw" 1.0
	PREPARE=true
	"$conv" "$c/cloud.qcow2" "$c" a.raw
	qemu-img convert -O raw "$c/cloud.qcow2" "$c/b.raw"
	cmp "$c/a.raw" "$c/b.raw" || status=1
	a=$(du -k "$c/a.raw" | cut -f1)
	b=$(du -k "$c/b.raw" | cut -f1)
	v=ok
	if [ "$a" -gt "$b" ]; then
		v=MISSED
		status=1
	fi
	printf '| qcow2 -> raw: allocated | %s KiB | qemu-img | %s KiB | | <= 1 %s |\n' \
	    "$a" "$b" "$v"
	rm -f "$c/a.raw" "$c/b.raw"
fi

d=$work/disk
mkdir -p "$d"
PREPARE="rm -f $d/a.img $d/b.img"
pair "mkdisk 1t (sparse raw)" "$bin/mkdisk 1t $d/a.img" \
    "truncate -s 1T" "truncate -s 1T $d/b.img" 1.5
pair "mkdisk -f qcow2 1t" "$bin/mkdisk -f qcow2 1t $d/a.img" \
    "qemu-img create" "qemu-img create -q -f qcow2 $d/b.img 1T" 1.0
# Writing 1 GiB: each run starts with no dirty pages (sync), or the
# writeback of the previous run's gigabyte lands on the next command.
PREPARE="rm -f $d/a.img $d/b.img; sync"
pair "mkdisk --preallocate=full 1g" "$bin/mkdisk --preallocate=full 1g $d/a.img" \
    "dd bs=1M count=1024" \
    "dd if=/dev/zero of=$d/b.img bs=1M count=1024 status=none" 1.05
pair "mkdisk --preallocate=full 1g" "$bin/mkdisk --preallocate=full 1g $d/a.img" \
    "qemu-img preallocation=full" \
    "qemu-img create -q -f raw -o preallocation=full $d/b.img 1G" 1.0
PREPARE="rm -f $d/a.img $d/b.img"
pair "mkdisk --preallocate=falloc 1g" \
    "$bin/mkdisk --preallocate=falloc 1g $d/a.img" \
    "fallocate -l 1G" "fallocate -l 1G $d/b.img" 1.5
PREPARE=true
for args in "1t" "-f qcow2 1t" "--preallocate=full 1g" \
    "--preallocate=falloc 1g"; do
	rm -f "$d/a.img"
	# shellcheck disable=SC2086 # args are split on purpose
	rss "mkdisk $args: peak RSS" 4096 "$bin/mkdisk" $args "$d/a.img"
done
rm -f "$d/a.img" "$d/b.img"
exit $status
