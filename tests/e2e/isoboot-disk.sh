#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot-disk: isoboot DISK on an installed system's disk, made here
# without mounting: a GPT disk (BIOS boot partition, ext4 root) whose
# grub.cfg has grub-mkconfig's shape (search --fs-uuid in and outside the
# entry, load_env), with Debian's real d-i kernel standing in and the
# test initramfs. Asserted: the entry, kernel, initrds and root=UUID=...
# come from the disk; as raw and as compressed qcow2 it boots under qemu
# with the image as its virtio disk and no CD; for hyperkit a qcow2 is
# converted once into DIR/disk.img, byte for byte qemu-img's and no less
# sparse, and never replaced; a rerun changes nothing even after the
# image's mtime moves; a new kernel made the default is picked up; and
# after an ISO run, isoboot DIR/disk.img -o DIR switches DIR to the disk.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need isoboot mke2fs sfdisk qemu-img qemu-system-x86_64 cpio gzip cmp \
    timeout jq xorriso xz zstd gzip
di=/usr/lib/debian-installer/images/12/amd64/text/debian-installer
need_file "$di/amd64/linux" /bin/busybox
conv=$IB_BUILD/drivers/qcow2_to_raw
need_file "$conv"

# holds DESC CMD...: ok when CMD succeeds.
holds() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else fail "$_d"; fi
}

# lacks DESC PATTERN FILE: no line of FILE matches PATTERN.
lacks() {
	if grep -q -- "$2" "$3"; then
		fail "$1 ('$2' in $(basename "$3"))"
	else
		ok "$1"
	fi
}

M=ib-disk-test
U=0a1b2c3d-1111-2222-3333-444455556666
V=6.1.0-13-amd64

# grubcfg VERSION...: grub.cfg as grub-mkconfig writes it on Debian 12
# (10_linux), one entry per version, the first the default.
grubcfg() {
	cat <<EOF
if [ -s \$prefix/grubenv ]; then
  set have_grubenv=true
  load_env
fi
if [ "\${next_entry}" ] ; then
   set default="\${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="0"
fi
insmod part_gpt
insmod ext2
search --no-floppy --fs-uuid --set=root $U
set timeout=5
EOF
	for v in "$@"; do
		cat <<EOF
menuentry 'Debian GNU/Linux, with Linux $v' --class debian \$menuentry_id_option 'gnulinux-$v-advanced-$U' {
	load_video
	insmod gzio
	insmod part_gpt
	insmod ext2
	search --no-floppy --fs-uuid --set=root $U
	echo	'Loading Linux $v ...'
	linux	/boot/vmlinuz-$v root=UUID=$U ro console=ttyS0 quiet
	echo	'Loading initial ramdisk ...'
	initrd	/boot/initrd.img-$v
}
EOF
	done
}

# mkdisk_img OUT VERSION...: the raw GPT disk with those kernels.
root=$T/root
mkdir -p "$root/boot/grub" "$root/etc"
sh "$IB_TOP/tests/lib/mkinitramfs.sh" "$T/initrd.gz" "$M" ||
    fail "mkinitramfs builds the initramfs"
mkdisk_img() {
	_out=$1
	shift
	for _v in "$@"; do
		cp "$di/amd64/linux" "$root/boot/vmlinuz-$_v"
		cp "$T/initrd.gz" "$root/boot/initrd.img-$_v"
	done
	grubcfg "$@" >"$root/boot/grub/grub.cfg"
	rm -f "$T/fs.img" "$_out"
	mke2fs -q -F -t ext4 -U "$U" -d "$root" "$T/fs.img" 60M
	truncate -s 100M "$_out"
	printf '%s\n' 'label: gpt' \
	    'start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649' \
	    'start=4096, size=122880' | sfdisk -q "$_out" >/dev/null
	dd if="$T/fs.img" of="$_out" bs=512 seek=4096 conv=notrunc,sparse \
	    2>/dev/null
}
mkdisk_img "$T/debian.raw" "$V"
qemu-img convert -c -O qcow2 "$T/debian.raw" "$T/debian.qcow2"

# What the disk says, through every tool.
expect_exit 0 "syslinux2cmdline -i a disk image" syslinux2cmdline \
    -i "$T/debian.raw"
check_eq "  prints the entry's command line" \
    "root=UUID=$U ro console=ttyS0 quiet" "$(cat "$T/out")"
expect_exit 0 "  the same from the qcow2" syslinux2cmdline \
    -i "$T/debian.qcow2" --format json
check_eq "  JSON: the config on partition 2" "/p2/boot/grub/grub.cfg" \
    "$(jq -r .config "$T/out")"
check_eq "  JSON: the kernel on partition 2" "/p2/boot/vmlinuz-$V" \
    "$(jq -r .entry.kernel "$T/out")"

# A damaged primary GPT header: the backup is used, and said first.
cp "$T/debian.raw" "$T/gptbad.raw"
printf 'X' | dd of="$T/gptbad.raw" bs=1 seek=528 conv=notrunc 2>/dev/null
expect_exit 0 "a disk whose primary GPT header is damaged" syslinux2cmdline \
    -i "$T/gptbad.raw" --explain
check_eq "  the same command line, from the backup table" \
    "root=UUID=$U ro console=ttyS0 quiet" "$(cat "$T/out")"
check_eq "  saying so first" \
    "syslinux2cmdline: GPT: header CRC mismatch (primary); using the backup at LBA 204799" \
    "$(head -n 1 "$T/err")"

# search without --set prints what it finds and sets nothing: root stays
# where grub.cfg is (was: root moved to the partition found).
rm -rf "$T/s1" "$T/s2"
mkdir -p "$T/s1/boot/grub" "$T/s2"
printf 'one' >"$T/s1/vmlinuz"
printf 'two' >"$T/s2/vmlinuz"
printf '%s\n' "search --no-floppy --fs-uuid 2222aaaa-0000-4000-8000-000000000002" \
    'menuentry x {' ' linux /vmlinuz ro' '}' >"$T/s1/boot/grub/grub.cfg"
rm -f "$T/sa.img" "$T/sb.img" "$T/search.raw"
mke2fs -q -F -t ext4 -d "$T/s1" "$T/sa.img" 8M
mke2fs -q -F -t ext4 -U 2222aaaa-0000-4000-8000-000000000002 -d "$T/s2" \
    "$T/sb.img" 8M
truncate -s 20M "$T/search.raw"
printf 'label: gpt\nstart=2048, size=16384\nstart=18432, size=16384\n' |
    sfdisk -q "$T/search.raw" >/dev/null
dd if="$T/sa.img" of="$T/search.raw" bs=512 seek=2048 conv=notrunc \
    2>/dev/null
dd if="$T/sb.img" of="$T/search.raw" bs=512 seek=18432 conv=notrunc \
    2>/dev/null
expect_exit 0 "search without --set" syslinux2cmdline -i "$T/search.raw" \
    --format json
check_eq "  leaves root where grub.cfg is" /p1/vmlinuz \
    "$(jq -r .entry.kernel "$T/out")"

# isoboot-cmd DISK: the image is the VM's first disk, never a CD.
expect_exit 0 "isoboot-cmd -t qemu on the qcow2" isoboot-cmd -t qemu \
    --state "$T/cmdq" "$T/debian.qcow2" --disk "$T/extra.img" \
    --disk-size 16m
check_grep "  the image is the first virtio disk, as qcow2" \
    "file=$T/debian.qcow2,format=qcow2,if=virtio" "$T/out"
lacks "  no CD" "media=cdrom" "$T/out"
holds "  before the --disk" test "$(grep -n "file=$T/debian.qcow2" \
    "$T/out" | cut -d: -f1)" -lt "$(grep -n "file=$T/extra.img" "$T/out" |
    cut -d: -f1)"
expect_exit 0 "isoboot-cmd -t hyperkit on the raw disk" isoboot-cmd \
    -t hyperkit --state "$T/cmdh" "$T/debian.raw"
check_grep "  a virtio-blk disk" "virtio-blk,$T/debian.raw" "$T/out"
expect_exit 1 "isoboot-cmd -t hyperkit on the qcow2 is refused" isoboot-cmd \
    -t hyperkit --state "$T/cmdh2" "$T/debian.qcow2"
check_grep "  saying hyperkit reads only raw disks" \
    "hyperkit: .*debian.qcow2 is qcow2: hyperkit reads only raw disks" \
    "$T/err"
check_eq "  in one line" 1 "$(lines "$T/err")"

# isoboot DISK -t qemu: raw and qcow2 boot as the VM's disk.
boot() { # NAME IMAGE: isoboot IMAGE -o $T/NAME, then run it
	isoboot "$2" -o "$T/$1" -t qemu --accel tcg --net none \
	    >"$T/$1.out" 2>"$T/$1.err" || return 1
	timeout 180 "$T/$1/run" </dev/null >"$T/$1.serial" 2>&1
}
boot raw "$T/debian.raw" &
p1=$!
boot qcow2 "$T/debian.qcow2" &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
for n in raw qcow2; do
	r=$r1
	[ $n = raw ] || r=$r2
	check_eq "isoboot $n disk -t qemu: it ran and the guest powered off" \
	    0 "$r"
	guest_report "$T/$n.serial" "$M" >"$T/$n.report"
	check_eq "  the guest's cmdline is DIR/cmdline" \
	    "cmdline=$(cat "$T/$n/cmdline")" "$(sed -n 1p "$T/$n.report")"
	check_grep "  root=UUID= from the disk's grub.cfg" "root=UUID=$U ro" \
	    "$T/$n/cmdline"
	check_grep "  the image is a virtio disk of 100 MiB" \
	    "^virtio-blk: .* capacity=204800$" "$T/$n.report"
	lacks "  no CD" "sig=eb140101" "$T/$n.report"
	holds "  the kernel is the one on the disk" \
	    cmp -s "$T/$n/vmlinuz-$V" "$di/amd64/linux"
done
check_eq "boot.json: the disk is the qcow2, as qcow2" \
    "$T/debian.qcow2 qcow2 104857600" \
    "$(jq -r '.disk | "\(.file) \(.format) \(.size)"' "$T/qcow2/boot.json")"

# Idempotent: a rerun changes nothing, even once the image's mtime moved
# (its VM ran); the stamp keys on the kernel's inode, not the image's.
expect_exit 0 "isoboot qcow2 again" isoboot "$T/debian.qcow2" -o "$T/qcow2" \
    -t qemu --accel tcg --net none
check_grep "  nothing changed" "nothing changed" "$T/out"
touch "$T/debian.qcow2"
expect_exit 0 "  and after the image's mtime moved" isoboot \
    "$T/debian.qcow2" -o "$T/qcow2" -t qemu --accel tcg --net none
check_grep "  still nothing changed" "nothing changed" "$T/out"

# A new kernel installed and made the default: picked up on a rerun.
mkdisk_img "$T/debian.raw" 6.1.0-15-amd64 "$V"
expect_exit 0 "isoboot after a kernel upgrade" isoboot "$T/debian.raw" \
    -o "$T/raw" -t qemu --accel tcg --net none
check_grep "  the new default kernel" "vmlinuz-6.1.0-15-amd64 .*written" \
    "$T/out"
holds "  the old kernel's file is gone" test ! -e "$T/raw/vmlinuz-$V"

# hyperkit reads no qcow2: DIR/disk.img is converted from it, once.
expect_exit 0 "isoboot qcow2 -t hyperkit" isoboot "$T/debian.qcow2" \
    -o "$T/hk" -t hyperkit
check_grep "  converts it to DIR/disk.img" \
    "disk.img .*raw disk .*written" "$T/out"
check_grep "  the run script boots DIR/disk.img" \
    "virtio-blk,$T/hk/disk.img" "$T/hk/run"
qemu-img convert -O raw "$T/debian.qcow2" "$T/q.raw"
holds "  byte for byte qemu-img's" cmp -s "$T/hk/disk.img" "$T/q.raw"
ours=$(du -k "$T/hk/disk.img" | cut -f1)
theirs=$(du -k "$T/q.raw" | cut -f1)
holds "  no less sparse than qemu-img's ($ours KiB, $theirs KiB)" \
    test "$ours" -le "$theirs"
echo guest-data | dd of="$T/hk/disk.img" bs=1 seek=1040000 conv=notrunc \
    2>/dev/null
expect_exit 0 "isoboot qcow2 -t hyperkit again" isoboot "$T/debian.qcow2" \
    -o "$T/hk" -t hyperkit
check_grep "  keeps the guest's disk.img" \
    "disk.img .*raw disk .*kept" "$T/out"
check_eq "  its bytes untouched" guest-data \
    "$(dd if="$T/hk/disk.img" bs=1 skip=1040000 count=10 2>/dev/null)"

# The converter: several threads or one give the same bytes.
for j in 1 3; do
	rm -f "$T/c$j.img"
	expect_exit 0 "convert with $j thread(s)" "$conv" -j $j \
	    "$T/debian.qcow2" "$T" "c$j.img"
	holds "  qemu-img's bytes" cmp -s "$T/c$j.img" "$T/q.raw"
done
# Unallocated clusters are holes, found in the tables, not read: an
# empty 20 GiB qcow2 converts at once (it took 2.7 s, reading zeros).
qemu-img create -q -f qcow2 "$T/empty.qcow2" 20G
expect_exit 0 "an empty 20 GiB qcow2 converts within 5 s" timeout 5 \
    "$conv" "$T/empty.qcow2" "$T" empty.raw
check_eq "  20 GiB, nothing allocated" "21474836480 0" \
    "$(wc -c <"$T/empty.raw" | tr -d ' ') $(du -k "$T/empty.raw" | cut -f1)"
rm -f "$T/empty.raw"
expect_exit 1 "convert never replaces a file" "$conv" "$T/debian.qcow2" "$T" \
    c1.img
check_grep "  saying it exists" "c1.img: File exists" "$T/err"
printf 'QFI\373\0\0\0\3garbage' >"$T/bad.qcow2"
expect_exit 1 "a damaged qcow2 fails" "$conv" "$T/bad.qcow2" "$T" bad.img
check_eq "  in one line" 1 "$(lines "$T/err")"
holds "  leaving nothing" test ! -e "$T/bad.img"

# Compressed disk images (cloud images ship as .raw.xz, .qcow2.xz): made
# whole once in DIR, as sparse as the original, kept on later runs.
for z in xz gzip zstd; do
	case $z in
	gzip) ext=gz ;;
	zstd) ext=zst ;;
	*) ext=$z ;;
	esac
	"$z" -c "$T/debian.raw" >"$T/cloud.raw.$ext"
	expect_exit 1 "syslinux2cmdline: a $z-compressed disk is refused" \
	    syslinux2cmdline -i "$T/cloud.raw.$ext"
	check_grep "  saying so, in one line" \
	    "disk image compressed with $z: .*decompress it first" "$T/err"
	expect_exit 0 "isoboot on a $z-compressed raw disk" isoboot \
	    "$T/cloud.raw.$ext" -o "$T/z$z" -t qemu --net none
	check_grep "  made whole as DIR/cloud.raw" \
	    "^  cloud.raw .*unpacked disk .*written" "$T/out"
	holds "  byte for byte" cmp -s "$T/z$z/cloud.raw" "$T/debian.raw"
	ours=$(du -k "$T/z$z/cloud.raw" | cut -f1)
	theirs=$(du -k "$T/debian.raw" | cut -f1)
	holds "  as sparse as the original ($ours KiB, $theirs KiB)" \
	    test "$ours" -le "$theirs"
	check_grep "  the VM's disk is it" "file=$T/z$z/cloud.raw,format=raw" \
	    "$T/z$z/run"
	check_eq "  the command line of the raw disk's run" \
	    "$(cat "$T/raw/cmdline")" "$(cat "$T/z$z/cmdline")"
done
xz -c "$T/debian.qcow2" >"$T/cloud.qcow2.xz"
expect_exit 0 "isoboot on an xz-compressed qcow2" isoboot "$T/cloud.qcow2.xz" \
    -o "$T/zq" -t qemu --net none
check_grep "  booted as qcow2 from DIR" "file=$T/zq/cloud.qcow2,format=qcow2" \
    "$T/zq/run"
echo guest-data | dd of="$T/zxz/cloud.raw" bs=1 seek=1040000 conv=notrunc \
    2>/dev/null
expect_exit 0 "isoboot on the .raw.xz again" isoboot "$T/cloud.raw.xz" \
    -o "$T/zxz" -t qemu --net none
check_grep "  nothing changed" "nothing changed" "$T/out"
check_eq "  the guest's disk is kept" guest-data \
    "$(dd if="$T/zxz/cloud.raw" bs=1 skip=1040000 count=10 2>/dev/null)"
# Compressed data whose content names a format libarchive would hand to
# an external program (lrzip's magic inside gzip): never run.
mkdir -p "$T/fakebin"
printf '#!/bin/sh\ntouch %s/ran-lrzip\ncat\n' "$T" >"$T/fakebin/lrzip"
chmod +x "$T/fakebin/lrzip"
{ printf 'LRZI'; head -c 20000 /dev/zero; } | gzip -c >"$T/lrz.img.gz"
PATH="$T/fakebin:$PATH" syslinux2cmdline -i "$T/lrz.img.gz" >/dev/null 2>&1
PATH="$T/fakebin:$PATH" isoboot "$T/lrz.img.gz" -o "$T/lrz" -t qemu \
    >/dev/null 2>&1
holds "compressed input never runs an external decompressor" \
    test ! -e "$T/ran-lrzip"

# A compressed image whose unpacked name is one of isoboot's outputs.
mkdir -p "$T/res"
xz -c "$T/debian.qcow2" >"$T/res/disk.img.xz"
expect_exit 1 "disk.img.xz: its unpacked name is isoboot's own" isoboot \
    "$T/res/disk.img.xz" -o "$T/resvm" -t hyperkit
check_grep "  said, with what to do" \
    "unpacked it would be disk.img, a name isoboot uses for its own output: rename it" \
    "$T/err"

head -c 100000 "$T/cloud.raw.xz" >"$T/cut.raw.xz"
expect_exit 1 "a truncated .raw.xz fails" isoboot "$T/cut.raw.xz" \
    -o "$T/zcut" -t qemu --net none
check_eq "  in one line" 1 "$(lines "$T/err")"
holds "  leaving no half disk" test ! -e "$T/zcut/cut.raw"

# A hostile disk whose kernel is a 2 TiB sparse file: refused at once
# (was: gigabytes written a second until the host's disk was full).
rm -rf "${root:?}/boot"
mkdir -p "$root/boot/grub"
truncate -s 2T "$root/boot/vmlinuz-$V"
cp "$T/initrd.gz" "$root/boot/initrd.img-$V"
grubcfg "$V" >"$root/boot/grub/grub.cfg"
rm -f "$T/fs.img" "$T/sparse.raw"
mke2fs -q -F -t ext4 -U "$U" -d "$root" "$T/fs.img" 60M
truncate -s 100M "$T/sparse.raw"
printf 'label: gpt\nstart=2048, size=122880\n' | sfdisk -q "$T/sparse.raw" \
    >/dev/null
dd if="$T/fs.img" of="$T/sparse.raw" bs=512 seek=2048 conv=notrunc,sparse \
    2>/dev/null
expect_exit 1 "a 2 TiB sparse kernel is refused" timeout 10 isoboot \
    "$T/sparse.raw" -o "$T/sp" -t qemu --no-seed
check_grep "  saying it is bigger than its disk" \
    "vmlinuz-$V: 2199023255552 bytes, more than the disk it is on" "$T/err"
check_eq "  in one line" 1 "$(lines "$T/err")"

# vfkit on arm64: an installed Debian arm64 /boot holds the kernel gzip'd
# (vmlinuz); vfkit boots only an uncompressed Image, which isoboot
# unpacks from the disk's kernel. Debian's d-i arm64 Image stands in,
# gzip'd as the installed package ships it.
a64=/usr/lib/debian-installer/images/12/arm64/text/debian-installer/arm64/linux
need_file "$a64"
rm -rf "${root:?}/boot"
mkdir -p "$root/boot/grub"
gzip -9 -c "$a64" >"$root/boot/vmlinuz-6.1.0-13-arm64"
cp "$T/initrd.gz" "$root/boot/initrd.img-6.1.0-13-arm64"
grubcfg 6.1.0-13-arm64 >"$root/boot/grub/grub.cfg"
rm -f "$T/fs.img" "$T/arm.raw"
mke2fs -q -F -t ext4 -U "$U" -d "$root" "$T/fs.img" 60M
truncate -s 100M "$T/arm.raw"
printf '%s\n' 'label: gpt' 'start=2048, size=122880' |
    sfdisk -q "$T/arm.raw" >/dev/null
dd if="$T/fs.img" of="$T/arm.raw" bs=512 seek=2048 conv=notrunc,sparse \
    2>/dev/null
expect_exit 0 "isoboot an arm64 disk -t vfkit" isoboot "$T/arm.raw" \
    -o "$T/a64" -t vfkit
check_grep "  the kernel is arm64's, gzip'd" "kernel: .*arm64" "$T/out"
check_grep "  an Image is unpacked from it" "^  Image .*unpacked kernel" \
    "$T/out"
holds "  byte for byte Debian's Image" cmp -s "$T/a64/Image" "$a64"
check_grep "  vfkit boots that Image" "linux,kernel=$T/a64/Image" \
    "$T/a64/run"
check_grep "  the disk is vfkit's virtio-blk" \
    "virtio-blk,path=$T/arm.raw" "$T/a64/run"

# After installing from an ISO: isoboot DIR/disk.img -o DIR boots what
# was installed. The "installer" here copies the disk in.
mkdir "$T/isotree"
cp "$di/amd64/linux" "$T/isotree/linux"
cp "$T/initrd.gz" "$T/isotree/initrd.gz"
printf 'DEFAULT install\nLABEL install\n  KERNEL /linux\n  INITRD /initrd.gz\n  APPEND console=ttyS0 priority=low\n' \
    >"$T/isotree/isolinux.cfg"
xorriso -as mkisofs -quiet -R -o "$T/inst.iso" "$T/isotree" 2>/dev/null
expect_exit 0 "isoboot ISO (the installer)" isoboot "$T/inst.iso" \
    -o "$T/vm" -t qemu --net none --disk-size 100m
check_grep "  its run script has the CD" "media=cdrom" "$T/vm/run"
dd if="$T/debian.raw" of="$T/vm/disk.img" conv=notrunc,sparse 2>/dev/null
expect_exit 0 "isoboot DIR/disk.img -o DIR" isoboot "$T/vm/disk.img" \
    -o "$T/vm" -t qemu --accel tcg --net none
lacks "  the CD is gone from the run script" "media=cdrom" "$T/vm/run"
check_grep "  the disk is DIR/disk.img" "file=$T/vm/disk.img,format=raw" \
    "$T/vm/run"
holds "  the installer's kernel and initrd are gone" \
    test ! -e "$T/vm/linux" -a ! -e "$T/vm/initrd.gz"
check_grep "  the installed system's command line" "root=UUID=$U" \
    "$T/vm/cmdline"

done_testing
