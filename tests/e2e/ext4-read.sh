#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# ext4-read: files read through lib/ext4 (libext2fs over our io_manager)
# and lib/vol (paths, symlinks), by the test driver disk_cat, are what
# e2fsprogs' own debugfs dumps (rdump) from the same filesystem: ext2
# with 1 KiB blocks and indirect blocks, ext3, ext4 with extents, 64bit,
# metadata_csum and inline data; bare, inside a GPT partition, and inside
# a compressed qcow2. Symlinks: relative, absolute (resolved inside the
# filesystem, not the host), through "..", chains; a loop and a dangling
# link fail with one line. A damaged inode checksum fails with one line.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need mke2fs debugfs sfdisk qemu-img cmp timeout
cat=$IB_BUILD/drivers/disk_cat
need_file "$cat"

# The tree every filesystem gets: files around block sizes, a big one
# that needs indirect blocks on ext2, tiny ones (inline data on ext4),
# a deep directory, names with spaces and UTF-8, and symlinks.
src=$T/src
mkdir -p "$src/boot/grub" "$src/a/b/c/d/e/f" "$src/with space/é ü 日本"
head -c 9000000 /dev/urandom >"$src/boot/vmlinuz-6.1.0-13-amd64"
head -c 3000000 /dev/urandom >"$src/boot/initrd.img-6.1.0-13-amd64"
printf 'set default=0\n' >"$src/boot/grub/grub.cfg"
for n in 0 1 1023 1024 1025 4095 4096 4097 60; do
	head -c "$n" /dev/urandom >"$src/a/size$n"
done
echo deep >"$src/a/b/c/d/e/f/file"
echo "spaced" >"$src/with space/é ü 日本/f"
ln -s boot/vmlinuz-6.1.0-13-amd64 "$src/vmlinuz"
ln -s /boot/initrd.img-6.1.0-13-amd64 "$src/initrd.img"
ln -s ../../../../../../boot/grub "$src/a/b/c/d/e/f/up"
ln -s /etc/passwd "$src/hostpath"
ln -s vmlinuz "$src/chain1"
ln -s chain1 "$src/chain2"
ln -s loopb "$src/loopa"
ln -s loopa "$src/loopb"
ln -s nowhere "$src/dangling"
ln -s "/a/b/c/d/e/f/$(printf 'x%.0s' $(seq 1 150))/../file" "$src/slow"
mkdir "$src/a/b/c/d/e/f/$(printf 'x%.0s' $(seq 1 150))"

# same DESC IMG VOL: disk_cat's tree of IMG's volume VOL is what debugfs
# rdump makes of the filesystem in FSIMG, and every file's bytes are the
# source tree's (debugfs 1.47.0 pads an inline-data file to 60 bytes).
same() {
	rm -rf "$T/dump"
	mkdir "$T/dump"
	debugfs -R "rdump / $T/dump" "$fsimg" >/dev/null 2>&1
	(cd "$T/dump" && find . -mindepth 1 ! -name lost+found \
	    ! -path './lost+found/*' | sed 's|^\./||' | sort) >"$T/want"
	"$cat" "$2" tree "$3" >"$T/tree" 2>"$T/err"
	grep -v ' lost+found$' "$T/tree" | sed 's/^[a-z] [0-9]* [0-7]* //' |
	    sort >"$T/got"
	if ! cmp -s "$T/want" "$T/got"; then
		fail "$1: the tree is debugfs's"
		diff "$T/want" "$T/got" | head -n 5 | sed 's/^/#   /'
		return
	fi
	bad=0
	while read -r p; do
		if [ ! -f "$T/dump/$p" ] || [ -L "$T/dump/$p" ]; then
			continue
		fi
		if ! "$cat" "$2" cat "$3" "/$p" >"$T/bytes" 2>>"$T/err" ||
		    ! cmp -s "$T/bytes" "$src/$p"; then
			bad=$((bad + 1))
			echo "#   differs: $p"
		fi
	done <"$T/want"
	check_eq "$1: every file's bytes are debugfs's" 0 "$bad"
}

# mkfs DESC MKE2FS-ARGS...: a 64 MiB filesystem of the tree in $fsimg.
mkfs() {
	fsimg=$T/fs.img
	rm -f "$fsimg"
	mke2fs -q -F -d "$src" "$@" "$fsimg" 64M >/dev/null 2>&1
}

mkfs -t ext2 -b 1024
same "ext2, 1 KiB blocks" "$fsimg" -
mkfs -t ext3 -b 2048
same "ext3, 2 KiB blocks" "$fsimg" -
mkfs -t ext4
same "ext4" "$fsimg" -
mkfs -t ext4 -O 64bit,metadata_csum,inline_data,^has_journal -I 512
same "ext4, 64bit, metadata_csum, inline data" "$fsimg" -
check_eq "disk_cat names the filesystem" "- ext4" "$("$cat" "$fsimg" vols)"

# The same filesystem in partition 2 of a GPT disk, then in qcow2.
disk=$T/disk.img
truncate -s 100M "$disk"
printf 'label: gpt\nstart=2048, size=8192\nstart=10240, size=131072\n' |
    sfdisk -q "$disk" >/dev/null
dd if="$fsimg" of="$disk" bs=512 seek=10240 conv=notrunc,sparse 2>/dev/null
same "ext4 in GPT partition 2" "$disk" p2
"$cat" "$disk" vols >"$T/vols"
check_grep "p2 is named ext4" "^p2 ext4$" "$T/vols"
qemu-img convert -c -O qcow2 "$disk" "$T/disk.qcow2"
same "ext4 in a compressed qcow2, read in place" "$T/disk.qcow2" p2

# Links: each lookup resolves inside the filesystem.
vm=$("$cat" "$fsimg" cat - /vmlinuz | cksum)
check_eq "a relative link reads its target" \
    "$(cksum <"$src/boot/vmlinuz-6.1.0-13-amd64")" "$vm"
check_eq "a chain of links" "$vm" "$("$cat" "$fsimg" cat - /chain2 | cksum)"
check_eq "an absolute link resolves in the filesystem" \
    "$(cksum <"$src/boot/initrd.img-6.1.0-13-amd64")" \
    "$("$cat" "$fsimg" cat - /initrd.img | cksum)"
check_eq "a link through '..' from deep down" "set default=0" \
    "$("$cat" "$fsimg" cat - /a/b/c/d/e/f/up/grub.cfg)"
check_eq "a slow link (target in a block) with '..'" "deep" \
    "$("$cat" "$fsimg" cat - /slow)"
expect_exit 1 "a link loop fails" timeout 5 "$cat" "$fsimg" cat - /loopa
check_grep "  naming the loop" "/loopa: more than 40 symbolic links" "$T/err"
expect_exit 1 "a link to a host path is not the host's file" \
    "$cat" "$fsimg" cat - /hostpath
expect_exit 1 "a dangling link is not found" "$cat" "$fsimg" cat - /dangling
check_eq "  in one line" 1 "$(lines "$T/err")"

# A damaged inode: flip a byte of /boot/grub/grub.cfg's inode on a
# metadata_csum filesystem; the read fails with libext2fs's reason.
ino=$(debugfs -R "stat /boot/grub/grub.cfg" "$fsimg" 2>/dev/null |
    sed -n 's/^Inode: \([0-9]*\).*/\1/p')
loc=$(debugfs -R "imap <$ino>" "$fsimg" 2>/dev/null |
    sed -n 's/.*located at block \([0-9]*\), offset \(0x[0-9a-f]*\).*/\1 \2/p')
# shellcheck disable=SC2086 # two words: block and offset
set -- $loc
bs=$(debugfs -R stats "$fsimg" 2>/dev/null | sed -n 's/^Block size: *//p')
put_byte "$fsimg" $(($1 * bs + $2 + 4)) 0x5a
expect_exit 1 "a damaged inode fails" timeout 5 \
    "$cat" "$fsimg" cat - /boot/grub/grub.cfg
check_grep "  saying its checksum is wrong" "grub.cfg: ext4: .*checksum" \
    "$T/err"
check_eq "  in one line" 1 "$(lines "$T/err")"

# A long symlink stored as inline data (big inodes): its 706-byte target
# is read whole through libext2fs's inline-data size (was: copied into a
# fixed 316-byte buffer, a stack overflow ASan saw).
rm -rf "$T/il"
c=$(printf 'y%.0s' $(seq 1 99))
long=$c/$c/$c/$c/$c/$c/$c
mkdir -p "$T/il/$long"
echo inline >"$T/il/$long/f"
ln -s "/$long/f" "$T/il/longlink"
rm -f "$T/il.img"
mke2fs -q -F -t ext4 -I 1024 -O inline_data -d "$T/il" "$T/il.img" 8M \
    >/dev/null 2>&1
check_eq "a 703-byte symlink in inline data is followed" inline \
    "$("$cat" "$T/il.img" cat - /longlink 2>&1)"

# A damaged extent tree whose index blocks all point at the same child
# (84^5 leaf reads): refused in one line, at once (was: minutes to
# hours per lookup).
if command -v python3 >/dev/null 2>&1 || [ "${CI:-}" = true ]; then
	rm -f "$T/loop.img"
	mke2fs -q -F -t ext4 -b 1024 \
	    -O ^has_journal,^metadata_csum,^64bit,^flex_bg "$T/loop.img" 8M \
	    >/dev/null 2>&1
	# shellcheck disable=SC2046 # block and offset: two words
	python3 "$IB_TOP/tests/lib/ext4-extent-loop.py" "$T/loop.img" 5 \
	    $(debugfs -R "imap <2>" "$T/loop.img" 2>/dev/null |
	    sed -n 's/.*located at block \([0-9]*\), offset \(0x[0-9a-f]*\).*/\1 \2/p')
	expect_exit 1 "an extent tree that loops is refused" timeout 5 \
	    "$cat" "$T/loop.img" cat - /boot/grub/grub.cfg
	check_grep "  saying why" "ext4: more reads for one lookup" "$T/err"
	check_eq "  in one line" 1 "$(lines "$T/err")"
else
	skip "an extent tree that loops (no python3)"
fi

done_testing
