#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mkshaped-disk.sh SHAPE OUTDIR: a small raw disk image laid out the way
# one distribution's installer leaves a disk, from fixtures/disks/SHAPE/,
# with fixed identities so that its EXPECTED holds. Prints (stdout, one
# line) the image's path, OUTDIR/SHAPE.raw. No mount, no loop device:
# sfdisk on the file, mke2fs -d, mkfs.vfat + mcopy, mkswap, mkfs.btrfs,
# dd conv=notrunc,sparse.
#
# fixtures/disks/SHAPE/ holds:
#   layout    the table and one line per partition (read below)
#   EXPECTED  KEY=value lines; KERNEL=/pN/PATH and INITRDS=/pN/PATH...
#             name where the kernel and the initrd(s) are laid in
#   pN/       the files of partition N, as the installer wrote them
#
# layout lines ('#' starts a comment, '-' is "none"):
#   disk dos|gpt LABEL-ID SIZE-MiB
#   part N START-MiB SIZE-MiB TYPE PARTUUID FS FSUUID FSLABEL FLAGS [NAME]
#        FS: ext4, vfat (mkfs.vfat chooses FAT12/16/32), fat32, swap,
#        btrfs or none (left zero); FLAGS: bootable or -
#   other-kernel /pN/PATH   a kernel that is not the default's
#   other-initrd /pN/PATH   an initrd that is not the default's
#
# The kernel is Debian's d-i kernel (IB_KERNEL overrides it), laid in at
# KERNEL; an "other" kernel is the same bytes and a trailing line, so a
# reader that picks it is seen by cmp. The initrd is tests/lib/
# mkinitramfs.sh's with EXPECTED's MARKER; an "other" initrd reports
# MARKER-other. OUTDIR/SHAPE.tree/pN/ keep the trees that were laid in,
# for the tests to compare with. Progress and errors go to stderr; on
# failure, one line and exit 1.
set -u
if [ $# -ne 2 ]; then
	echo "usage: mkshaped-disk.sh SHAPE OUTDIR" >&2
	exit 2
fi
shape=$1
outdir=$2
LC_ALL=C
export LC_ALL
MTOOLS_SKIP_CHECK=1
export MTOOLS_SKIP_CHECK

die() {
	echo "mkshaped-disk: $shape: $*" >&2
	exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
fixtures=${IB_SHARED:-$here/../../fixtures}
src=$fixtures/disks/$shape
kernel=${IB_KERNEL:-/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux}
if [ ! -f "$src/layout" ] || [ ! -f "$src/EXPECTED" ]; then
	die "no layout and EXPECTED in $src"
fi
[ -f "$kernel" ] || die "no kernel at $kernel (debian-installer-12-netboot-amd64)"
for c in sfdisk mke2fs mkfs.vfat mcopy mkswap cpio gzip; do
	command -v "$c" >/dev/null 2>&1 || die "'$c' missing (run make deps)"
done
mkdir -p "$outdir" || die "cannot make $outdir"
outdir=$(cd "$outdir" && pwd)
raw=$outdir/$shape.raw
tree=$outdir/$shape.tree
tmp=$outdir/$shape.tmp
rm -rf "$raw" "$tree" "$tmp"
mkdir -p "$tree" "$tmp" || die "cannot make $tree"

# val KEY: the value of KEY= in EXPECTED.
val() { sed -n "s/^$1=//p" "$src/EXPECTED" | tail -n 1; }
marker=$(val MARKER)
[ -n "$marker" ] || die "EXPECTED has no MARKER"

# The partitions' trees, as committed (symlinks kept).
for d in "$src"/p[0-9]*; do
	[ -d "$d" ] || continue
	cp -PR "$d" "$tree/" || die "cannot copy $d"
done

# at /pN/PATH: the host path of PATH in partition N's tree.
at() {
	case $1 in
	/p[0-9]*/?*) ;;
	*) die "'$1' is not /pN/PATH" ;;
	esac
	_n=${1#/p}
	_n=${_n%%/*}
	_p=$tree/p$_n/${1#/p"$_n"/}
	mkdir -p "$tree/p$_n" "$(dirname "$_p")" || die "cannot make $_p"
	echo "$_p"
}

sh "$here/mkinitramfs.sh" "$tmp/initrd.gz" "$marker" ||
    die "mkinitramfs.sh failed"
cp "$kernel" "$(at "$(val KERNEL)")" || die "cannot lay in the kernel"
for i in $(val INITRDS); do
	cp "$tmp/initrd.gz" "$(at "$i")" || die "cannot lay in $i"
done
grep -q '^other-initrd ' "$src/layout" &&
    { sh "$here/mkinitramfs.sh" "$tmp/other.gz" "$marker-other" ||
    die "mkinitramfs.sh failed"; }
while read -r what path; do
	case $what in
	other-kernel)
		{ cat "$kernel" &&
		    echo "isoboot test: not the default entry's kernel"; } \
		    >"$(at "$path")" || die "cannot lay in $path"
		;;
	other-initrd)
		cp "$tmp/other.gz" "$(at "$path")" ||
		    die "cannot lay in $path"
		;;
	esac
done <"$src/layout"

# The table.
# shellcheck disable=SC2046 # the line's words
set -- $(awk '$1 == "disk"' "$src/layout")
[ $# -eq 4 ] || die "layout: one 'disk LABEL ID SIZE' line needed"
label=$2
label_id=$3
size=$4
{
	echo "label: $label"
	echo "label-id: $label_id"
	echo "unit: sectors"
	echo
	awk -v l="$label" '$1 == "part" {
	    s = "start=" $3 * 2048 ", size=" $4 * 2048 ", type=" $5
	    if (l == "gpt" && $6 != "-") s = s ", uuid=" $6
	    if ($10 == "bootable") s = s ", bootable"
	    if (l == "gpt" && NF > 10) {
		n = $11; for (i = 12; i <= NF; i++) n = n " " $i
		s = s ", name=\"" n "\""
	    }
	    print s }' "$src/layout"
} >"$tmp/sfdisk"
dd if=/dev/null of="$raw" bs=1048576 seek="$size" 2>/dev/null ||
    die "cannot make $raw"
sfdisk --no-reread --no-tell-kernel -q "$raw" <"$tmp/sfdisk" \
    >"$tmp/sfdisk.log" 2>&1 || die "sfdisk: $(tail -n 1 "$tmp/sfdisk.log")"

# The file systems, each made in a file, then put in place.
awk '$1 == "part"' "$src/layout" |
    while read -r _ n start psize _ _ fs uuid fslabel _ _; do
	f=$tmp/p$n.fs
	d=$tree/p$n
	mkdir -p "$d"
	[ "$fslabel" = - ] && fslabel=
	rm -f "$f"
	dd if=/dev/null of="$f" bs=1048576 seek="$psize" 2>/dev/null
	case $fs in
	ext4)
		mke2fs -q -F -t ext4 -U "$uuid" -E "hash_seed=$uuid" \
		    ${fslabel:+-L "$fslabel"} -d "$d" "$f" >"$tmp/mkfs.log" 2>&1
		;;
	vfat | fat32)
		_bits=
		[ "$fs" = fat32 ] && _bits="-F 32"
		# shellcheck disable=SC2086 # -F 32 or nothing
		mkfs.vfat $_bits -i "$uuid" ${fslabel:+-n "$fslabel"} "$f" \
		    >"$tmp/mkfs.log" 2>&1 &&
		    if [ -n "$(ls -A "$d")" ]; then
			(cd "$d" && mcopy -s -i "$f" ./* ::/)
		    fi >>"$tmp/mkfs.log" 2>&1
		;;
	swap)
		mkswap -U "$uuid" ${fslabel:+-L "$fslabel"} "$f" \
		    >"$tmp/mkfs.log" 2>&1
		;;
	btrfs)
		mkfs.btrfs -q -f -U "$uuid" ${fslabel:+-L "$fslabel"} "$f" \
		    >"$tmp/mkfs.log" 2>&1
		;;
	none)
		: >"$tmp/mkfs.log"
		;;
	*)
		die "layout: file system '$fs' not known"
		;;
	esac || die "mkfs $fs on p$n: $(tail -n 1 "$tmp/mkfs.log")"
	if [ "$fs" != none ]; then
		dd if="$f" of="$raw" bs=1048576 seek="$start" \
		    conv=notrunc,sparse 2>/dev/null || die "cannot put p$n"
	fi
	rm -f "$f"
done || exit 1
rm -rf "$tmp"
echo "$raw"
