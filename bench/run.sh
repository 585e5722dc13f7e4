#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh BUILD: benchmarks against peers measured in the same run. Prints
# each peer's time and our ratio to it, and exits 1 if a floor of an
# issue is missed. Inputs are generated here with xorriso.
set -eu
bin=$(cd "$1/bin" && pwd)
work=$1/bench
mkdir -p "$work"
work=$(cd "$work" && pwd)
status=0
runs=${BENCH_RUNS:-9}

# median SECONDS of a command, from hyperfine's CSV (column 4).
median() {
	csv=$work/h.csv
	hyperfine -N --warmup 1 --runs "$runs" --export-csv "$csv" \
	    --prepare "${PREPARE:-true}" "$1" >/dev/null 2>&1 ||
	    hyperfine --warmup 1 --runs "$runs" --export-csv "$csv" \
	    --prepare "${PREPARE:-true}" "$1" >/dev/null
	sed -n 2p "$csv" | cut -d, -f4
}

# peak RSS in KiB.
rss() {
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
}

# floor NAME OURS PEER MAX: print the ratio, remember a miss.
floor() {
	r=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.3f", a / b }')
	verdict=ok
	if awk -v r="$r" -v m="$4" 'BEGIN { exit !(r > m) }'; then
		verdict=MISSED
		status=1
	fi
	printf '%-58s %8.4fs vs %8.4fs  ratio %6s (floor <= %s) %s\n' \
	    "$1" "$2" "$3" "$r" "$4" "$verdict"
}

limit() { # NAME KIB MAX-KIB
	verdict=ok
	if [ "$2" -gt "$3" ]; then
		verdict=MISSED
		status=1
	fi
	printf '%-58s %8s KiB (floor <= %s KiB) %s\n' "$1" "$2" "$3" "$verdict"
}

echo "== inputs (xorriso)"
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
cat "$work/big.iso" "$work/bigtree/big.bin" >/dev/null # page cache

echo "== extract one 1 GiB file from a page-cached ISO"
rm -rf "$work/out"
mkdir -p "$work/out"

# sync: each run starts with no dirty pages (see the mkdisk lines).
PREPARE="sh -c 'rm -f $work/out/big.bin $work/out/cp.bin; sync'"
ours=$(median "$bin/isoboot-extract -x $work/big.iso big.bin -C $work/out")
cp_t=$(median "cp $work/bigtree/big.bin $work/out/cp.bin")
PREPARE=true
floor "isoboot-extract -x (1 GiB) / cp" "$ours" "$cp_t" 1.10
limit "isoboot-extract -x (1 GiB) peak RSS" \
    "$(rss "$bin/isoboot-extract" -x "$work/big.iso" big.bin -C "$work/out")" \
    8192
cmp "$work/out/big.bin" "$work/bigtree/big.bin"

echo "== list a Rock Ridge ISO with 50,000 files in 200 directories"
ours=$(median "$bin/isoboot-extract -t $work/many.iso")
isoinfo_t=$(median "isoinfo -R -l -i $work/many.iso")
bsdtar_t=$(median "bsdtar -tf $work/many.iso")
floor "isoboot-extract -t / isoinfo -R -l" "$ours" "$isoinfo_t" 1.5
floor "isoboot-extract -t / bsdtar -tf" "$ours" "$bsdtar_t" 0.5
limit "isoboot-extract -t (50,000 files) peak RSS" \
    "$(rss "$bin/isoboot-extract" -t "$work/many.iso")" 16384
n=$("$bin/isoboot-extract" -t "$work/many.iso" | wc -l)
[ "$n" -eq 50200 ] || { echo "listing has $n lines, expected 50200"; status=1; }

if [ -x "$bin/isoboot-extract" ] && [ -n "${BENCH_STREAM:-1}" ]; then
	echo "== streaming: xz -dc big.iso.xz | isoboot-extract -x - FILE"
	if [ ! -f "$work/stream.iso.xz" ]; then
		mkdir -p "$work/streamtree"
		head -c 268435456 /dev/urandom >"$work/streamtree/s.bin"
		xorriso -as mkisofs -quiet -R -o "$work/stream.iso" \
		    "$work/streamtree"
		xz -0 -T1 -c "$work/stream.iso" >"$work/stream.iso.xz"
		rm -f "$work/stream.iso"
	fi
	rm -rf "$work/sout" "$work/bout"
	mkdir -p "$work/sout" "$work/bout"
	PREPARE="sh -c 'rm -f $work/sout/s.bin $work/bout/s.bin; sync'"
	ours=$(median "sh -c 'xz -dc $work/stream.iso.xz | $bin/isoboot-extract -x - s.bin -C $work/sout'")
	bsd=$(median "sh -c 'xz -dc $work/stream.iso.xz | bsdtar -xf - -C $work/bout s.bin'")
	PREPARE=true
	floor "xz -dc | isoboot-extract -x - / bsdtar -xf -" "$ours" "$bsd" 1.2
	xz -dc "$work/stream.iso.xz" |
	    "$bin/isoboot-extract" -x - s.bin -C "$work/sout"
	cmp "$work/sout/s.bin" "$work/streamtree/s.bin"
fi
echo "== mkdisk (issue 5): each image removed before every run"
echo "== a cloud-shaped 2 GiB qcow2 (ext4 root with /usr/share, compressed)"
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
ours=$(median "$bin/isoboot-extract $c/cloud.qcow2 -C $c/out")
PREPARE=true
limit_s() { # NAME SECONDS MAX
	verdict=ok
	if awk -v a="$2" -v m="$3" 'BEGIN { exit !(a > m) }'; then
		verdict=MISSED
		status=1
	fi
	printf '%-58s %8.4fs (floor <= %ss) %s\n' "$1" "$2" "$3" "$verdict"
}
limit_s "kernel, initrd, cmdline from a 2 GiB cloud qcow2" "$ours" 0.3
# qcow2 to raw for hyperkit/vfkit: ours against qemu-img, to the disk,
# each run starting with no dirty pages.
conv=$1/drivers/qcow2_to_raw
if [ -x "$conv" ]; then
	PREPARE="sh -c 'rm -f $c/a.raw $c/b.raw; sync'"
	ours=$(median "$conv $c/cloud.qcow2 $c a.raw")
	peer=$(median "qemu-img convert -O raw $c/cloud.qcow2 $c/b.raw")
	PREPARE=true
	floor "qcow2 -> raw (2 GiB cloud) / qemu-img convert -O raw" \
	    "$ours" "$peer" 1.0
	"$conv" "$c/cloud.qcow2" "$c" a.raw
	qemu-img convert -O raw "$c/cloud.qcow2" "$c/b.raw"
	cmp "$c/a.raw" "$c/b.raw" || status=1
	a=$(du -k "$c/a.raw" | cut -f1)
	b=$(du -k "$c/b.raw" | cut -f1)
	limit "qcow2 -> raw: allocated, against qemu-img's $b KiB" "$a" "$b"
	rm -f "$c/a.raw" "$c/b.raw"
fi

d=$work/disk
mkdir -p "$d"
PREPARE="rm -f $d/a.img $d/b.img"
ours=$(median "$bin/mkdisk 1t $d/a.img")
peer=$(median "truncate -s 1T $d/b.img")
floor "mkdisk 1t (sparse raw) / truncate -s 1T" "$ours" "$peer" 1.5
ours=$(median "$bin/mkdisk -f qcow2 1t $d/a.img")
peer=$(median "qemu-img create -q -f qcow2 $d/b.img 1T")
floor "mkdisk -f qcow2 1t / qemu-img create -f qcow2 1T" "$ours" "$peer" 1.0
# Writing 1 GiB: each run starts with no dirty pages (sync), or the
# writeback of the previous run's gigabyte lands on the next command.
PREPARE="sh -c 'rm -f $d/a.img $d/b.img; sync'"
ours=$(median "$bin/mkdisk --preallocate=full 1g $d/a.img")
peer=$(median "dd if=/dev/zero of=$d/b.img bs=1M count=1024 status=none")
floor "mkdisk --preallocate=full 1g / dd bs=1M count=1024" "$ours" "$peer" \
    1.05
peer=$(median "qemu-img create -q -f raw -o preallocation=full $d/b.img 1G")
floor "mkdisk --preallocate=full 1g / qemu-img preallocation=full" \
    "$ours" "$peer" 1.0
PREPARE="rm -f $d/a.img $d/b.img"
ours=$(median "$bin/mkdisk --preallocate=falloc 1g $d/a.img")
peer=$(median "fallocate -l 1G $d/b.img")
floor "mkdisk --preallocate=falloc 1g / fallocate -l 1G" "$ours" "$peer" 1.5
PREPARE=true
for args in "1t" "-f qcow2 1t" "--preallocate=full 1g" \
    "--preallocate=falloc 1g"; do
	rm -f "$d/a.img"
	# shellcheck disable=SC2086 # args are split on purpose
	limit "mkdisk $args peak RSS" "$(rss "$bin/mkdisk" $args "$d/a.img")" \
	    4096
done
rm -f "$d/a.img" "$d/b.img"
exit $status
