#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# disk-part.sh: partition tables and filesystem signatures read by
# lib/disk_part and lib/disk_probe (through the test driver
# tests/lib/disk_part_dump), compared with the peers on the same images:
# sfdisk --json (numbering, starts, sizes, types, GPT GUIDs and names) and
# blkid -p -o export (TYPE, UUID, LABEL of each partition, of bare
# filesystems). Then the damage a reader must survive: a primary GPT
# header or entry array made bad (the backup is used, with a note), both
# made bad, an EBR chain that loops, a partition past the disk end.
# LVM2 is left to the unit test: pvcreate wants a block device.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need sfdisk sgdisk blkid jq mkfs.ext4 mkfs.ext2 mkfs.ext3 mkfs.vfat \
    mkfs.xfs mkfs.btrfs mkswap mksquashfs cryptsetup
dump=$IB_BUILD/drivers/disk_part_dump
need_file "$dump"
cd "$T" || exit 1

# mkimg FILE MIB: an empty (sparse) file of MIB MiB.
mkimg() {
	rm -f "$1"
	dd if=/dev/zero of="$1" bs=1048576 count=0 seek="$2" 2>/dev/null
}

# Filesystems, made on files, small and quick.
mkimg ext2.fs 8 && mkfs.ext2 -q -F -L e2lab ext2.fs
mkimg ext3.fs 8 && mkfs.ext3 -q -F -L e3lab ext3.fs
mkimg ext4.fs 8 && mkfs.ext4 -q -F -L rootfs ext4.fs
mkimg fat12.fs 4 && mkfs.vfat -n SMALL fat12.fs >/dev/null
mkimg fat16.fs 20 && mkfs.vfat -F 16 -n MIDDLE fat16.fs >/dev/null
mkimg fat32.fs 40 && mkfs.vfat -F 32 -n ESP fat32.fs >/dev/null
mkimg xfs.fs 300 && mkfs.xfs -q -L xlab xfs.fs
mkimg btrfs.fs 120 && mkfs.btrfs -q -L blab btrfs.fs >/dev/null
mkimg swap.fs 4 && mkswap -L swaplab swap.fs >/dev/null 2>&1
mkdir sq && echo hello >sq/a && mksquashfs sq sq.fs -quiet -noappend \
    >/dev/null
mkimg luks1.fs 20
printf pw | cryptsetup luksFormat -q --type luks1 \
    --pbkdf-force-iterations 1000 luks1.fs -
mkimg luks2.fs 20
printf pw | cryptsetup luksFormat -q --type luks2 --label cryptlab \
    --pbkdf pbkdf2 --pbkdf-force-iterations 1000 luks2.fs -

# put FS IMAGE START: copy a filesystem into the image at sector START.
put() {
	dd if="$1" of="$2" bs=512 seek="$3" conv=notrunc 2>/dev/null
}

# table IMAGE: sfdisk --json as the driver's lines.
table() {
	sfdisk --json "$1" >"$1.json"
	jq -r --arg dev "$1" '.partitiontable as $t |
	    "scheme \($t.label) sector \($t.sectorsize) id \($t.id)",
	    ($t.partitions[] | (.node | ltrimstr($dev)) as $n |
	    "p\($n) \(.start) \(.size) \(.type)",
	    (if .uuid then "p\($n) uuid \(.uuid)" else empty end),
	    (if .name then "p\($n) name \(.name)" else empty end))' \
	    "$1.json"
}

# blkid_parts IMAGE: blkid -p's TYPE, UUID, LABEL of each partition
# sfdisk lists (extended ones left out), as the driver's lines.
blkid_parts() {
	jq -r --arg dev "$1" '.partitiontable.partitions[] |
	    select(.type != "5" and .type != "f" and .type != "85") |
	    "\(.node | ltrimstr($dev)) \(.start) \(.size)"' "$1.json" |
	    while read -r n start size; do
		blkid -p -o export -O $((start * 512)) -S $((size * 512)) \
		    "$1" | grep -E '^(TYPE|UUID|LABEL)=' | sed "s/^/p$n /" || :
	    done | LC_ALL=C sort
}

# compare IMAGE DESC: the driver against sfdisk and blkid.
compare() {
	run "$dump" "$1"
	if [ "$rc" -ne 0 ]; then
		fail "$2: the driver reads it (status $rc)"
		sed 's/^/#   /' "$T/err"
		return
	fi
	grep -v -E '^[a-z0-9]+ (TYPE|UUID|LABEL|NAME)=' "$T/out" \
	    >"$1.ours" || :
	table "$1" >"$1.peer"
	check_files "$2: table as sfdisk --json reads it" "$1.peer" "$1.ours"
	grep -E '^p[0-9]+ (TYPE|UUID|LABEL)=' "$T/out" |
	    LC_ALL=C sort >"$1.ours.fs" || :
	blkid_parts "$1" >"$1.peer.fs"
	check_files "$2: filesystems as blkid -p reads them" \
	    "$1.peer.fs" "$1.ours.fs"
}

# 1. MBR: three primaries, an extended with three logicals (p5-p7).
mkimg mbr.img 128
sfdisk -q mbr.img <<'SF'
label: dos
start=2048, size=16384, type=83, bootable
start=18432, size=40960, type=c
start=59392, size=8192, type=82
start=67584, type=5
size=16384, type=83
size=8192, type=83
size=40960, type=83
SF
put ext4.fs mbr.img 2048
put fat16.fs mbr.img 18432
put swap.fs mbr.img 59392
eval "$(jq -r '.partitiontable.partitions[] |
    "s\(.node | ltrimstr("mbr.img"))=\(.start)"' "$(sfdisk --json mbr.img \
    >mbr.img.json && echo mbr.img.json)")"
# shellcheck disable=SC2154 # s5..s7 come from the eval
put ext3.fs mbr.img "$s5"
# shellcheck disable=SC2154
put sq.fs mbr.img "$s6"
# shellcheck disable=SC2154
put luks2.fs mbr.img "$s7"
compare mbr.img "MBR with 3 primaries and 3 logicals"
check_grep "MBR: logicals numbered from 5" '^p7 ' mbr.img.ours
check_grep "MBR: FAT16 named" '^p2 NAME=FAT16$' "$T/out"

# 2. GPT with named partitions of the types the reader names.
mkimg gpt.img 128
sfdisk -q gpt.img <<'SF'
label: gpt
start=2048, size=81920, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI system partition"
size=16384, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name="root x86-64"
size=8192, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, name="swap"
size=20480, type=BC13C2FF-59E6-4262-A352-B275FD6F7172, name="boot ü"
size=2048, type=21686148-6449-6E6F-744E-656564454649, name="bios"
SF
sfdisk --json gpt.img >gpt.img.json
put fat32.fs gpt.img 2048
put ext4.fs gpt.img 83968
put swap.fs gpt.img 100352
put luks1.fs gpt.img 108544
compare gpt.img "GPT with 5 named partitions"
check_grep "GPT: the ESP's type named" '^p1 NAME=FAT32$' "$T/out"

# 3. sgdisk's GPT with its primary header damaged: the backup is used.
mkimg sg.img 64
sgdisk -o -n 1:2048:+8M -t 1:ef00 -c 1:esp -n 3:0:+16M -t 3:8300 \
    -c 3:third sg.img >/dev/null
put ext2.fs sg.img 18432
table sg.img >sg.good
cp sg.img sghdr.img
put_byte sghdr.img $((512 + 60)) 255 # a byte of the disk GUID
last=$((64 * 2048 - 1))
run "$dump" sghdr.img
check_eq "GPT: damaged primary header still reads (status)" 0 "$rc"
check_grep "GPT: the note names the damage and the backup" \
    "^note GPT: header CRC mismatch (primary); using the backup at LBA $last\$" \
    "$T/out"
grep -v -E '^(note|p[0-9]+ [A-Z]+=)' "$T/out" >sghdr.ours || :
check_files "GPT: the backup gives sgdisk's table (gap in numbers kept)" \
    sg.good sghdr.ours
check_grep "GPT: p3 through the backup is ext2" '^p3 TYPE=ext2$' "$T/out"
cp sg.img sgarr.img
put_byte sgarr.img $((1024 + 56)) 65 # a byte of entry 1's name
run "$dump" sgarr.img
check_grep "GPT: damaged primary entry array: backup used" \
    "^note GPT: entry array CRC mismatch (primary); using the backup" \
    "$T/out"
put_byte sgarr.img $((last * 512 + 60)) 255
expect_exit 1 "GPT: both headers damaged fail" "$dump" sgarr.img
check_grep "GPT: both damaged: one line naming both" \
    "entry array CRC mismatch (primary); header CRC mismatch (backup at LBA $last)\$" \
    "$T/err"
check_eq "GPT: both damaged: one line" 1 "$(lines "$T/err")"

# 4. Bare filesystems (no table), each against blkid -p.
for f in ext2 ext3 ext4 fat12 fat16 fat32 xfs btrfs swap sq luks1 luks2; do
	run "$dump" "$f.fs"
	grep -E '^disk (TYPE|UUID|LABEL)=' "$T/out" | sed 's/^disk //' |
	    LC_ALL=C sort >"$f.ours" || :
	blkid -p -o export "$f.fs" | grep -E '^(TYPE|UUID|LABEL)=' |
	    LC_ALL=C sort >"$f.peer" || :
	check_files "bare $f: as blkid -p reads it" "$f.peer" "$f.ours"
done
run "$dump" ext4.fs
check_grep "bare ext4: no table" '^scheme none ' "$T/out"

# 5. Hostile MBRs, patched from the sfdisk image.
cp mbr.img loop.img
# The first EBR's link (entry 2, start at +8) made 0: back to itself.
for i in 0 1 2 3; do
	put_byte loop.img $((67584 * 512 + 446 + 16 + 8 + i)) 0
done
expect_exit 1 "MBR: an EBR chain that loops fails" "$dump" loop.img
check_grep "MBR: the loop is named" \
    "MBR: EBR chain loops back to sector 67584\$" "$T/err"
mkimg small.img 2
sfdisk -q small.img <<'SF'
label: dos
start=2048, size=10, type=83
SF
put_byte small.img $((446 + 12 + 2)) 1 # size 65536+10 sectors
expect_exit 1 "MBR: a partition past the disk end fails" "$dump" small.img
check_grep "MBR: past the end is named" \
    "MBR: partition 1 (sectors 2048+65546) ends past the disk end (4096 sectors)" \
    "$T/err"

done_testing
