#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The streaming path (a pipe, '-', a compressed image) uses the same
# reader as the random-access path: names and bytes must be identical.
# Inputs: the images of fixtures/isos that must list, and a generated one.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need gzip xz bzip2 zstd xorriso
isos=$IB_SHARED/isos
need_file "$isos/SOURCES"

# same_both NAME IMG: -t and -x agree between the file and a pipe.
same_both() {
	run isoboot-extract -t "$2"
	sort "$T/out" >"$T/file.lst"
	run sh -c 'cat "$1" | isoboot-extract -t -' sh "$2"
	check_eq "$1: stream -t exits 0" 0 "$rc"
	sort "$T/out" >"$T/pipe.lst"
	check_files "$1: stream -t == file -t" "$T/file.lst" "$T/pipe.lst"
	rm -rf "$T/a" "$T/b"
	run isoboot-extract -x "$2" -C "$T/a"
	run sh -c 'cat "$1" | isoboot-extract -x - -C "$2"' sh "$2" "$T/b"
	check_eq "$1: stream -x exits 0" 0 "$rc"
	tree_sig "$T/a" >"$T/a.sig"
	tree_sig "$T/b" >"$T/b.sig"
	check_files "$1: stream -x gives the same tree and bytes" "$T/a.sig" \
	    "$T/b.sig"
	chmod -R u+w "$T/a" "$T/b" 2>/dev/null
}

grep -v '^#' "$isos/SOURCES" | while IFS='	' read -r name outcome _rest; do
	[ "$outcome" = list ] || continue
	img=$isos/$name.iso
	if [ ! -f "$img" ]; then
		gzip -dc "$isos/$name.iso.gz" >"$T/$name.iso"
		img=$T/$name.iso
	fi
	same_both "$name" "$img"
done >"$T/log"
cat "$T/log"
grep -q '^not ok' "$T/log" && _failures=1

# Each compressor, detected by magic (the names say nothing).
mkdir -p "$T/tree/boot/syslinux"
head -c 3000000 /dev/urandom >"$T/tree/boot/vmlinuz"
head -c 5000000 /dev/urandom >"$T/tree/boot/initrd"
echo "DEFAULT linux" >"$T/tree/boot/syslinux/syslinux.cfg"
xorriso -as mkisofs -quiet -R -J -o "$T/gen.iso" "$T/tree" 2>/dev/null
for z in gzip xz bzip2 zstd; do
	"$z" -c "$T/gen.iso" >"$T/gen.$z.img"
	rm -rf "$T/z"
	expect_exit 0 "$z-compressed image: -x" \
	    isoboot-extract -x "$T/gen.$z.img" -C "$T/z"
	check_files "$z: vmlinuz bytes" "$T/tree/boot/vmlinuz" \
	    "$T/z/boot/vmlinuz"
	check_files "$z: initrd bytes" "$T/tree/boot/initrd" "$T/z/boot/initrd"
done
run sh -c 'xz -dc "$1" | isoboot-extract -x - -O boot/initrd' sh \
    "$T/gen.xz.img"
check_eq "xz pipe -O exits 0" 0 "$rc"
check_files "xz pipe -O gives the bytes" "$T/tree/boot/initrd" "$T/out"

# A stream cut short: a clean error, no file under its final name.
head -c 2000000 "$T/gen.iso" >"$T/cut.iso"
rm -rf "$T/c"
run sh -c 'cat "$1" | isoboot-extract -x - -C "$2"' sh "$T/cut.iso" "$T/c"
check_eq "truncated stream: exit 1" 1 "$rc"
check_grep "truncated stream: says so" "truncated" "$T/err"
left=$(find "$T/c" -type f | wc -l | tr -d ' ')
check_eq "truncated stream: no partial file left" 0 "$left"
done_testing
