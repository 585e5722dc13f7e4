#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# kill-loop: every writer killed with SIGKILL at random points, again
# and again, leaves each output either as it was or complete, never a
# partial file under a final name; a rerun then completes the directory
# (removing the killed runs' temporaries) and a further one changes
# nothing. Writers: isoboot on a compressed qcow2 for hyperkit (extract,
# convert to disk.img, script), isoboot-extract -x of a large member,
# mkdisk --preallocate=full. The delays are random, 0 to 0.9 s; their
# seed is printed so that a failure can be replayed (IB_KILL_SEED).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need isoboot isoboot-extract mkdisk mke2fs sfdisk qemu-img xorriso cmp awk
di=/usr/lib/debian-installer/images/12/amd64/text/debian-installer
need_file "$di/amd64/linux"

seed=${IB_KILL_SEED:-$(date +%s)}
echo "# IB_KILL_SEED=$seed"
n=0
# delay: the next random delay, 0.0 to 0.9 s.
delay() {
	n=$((n + 1))
	awk -v s="$seed" -v n="$n" 'BEGIN { srand(s + n); printf "%.1f", rand() * 0.9 }'
}

# killed CMD...: run CMD in the background, SIGKILL it after a delay.
killed() {
	"$@" >/dev/null 2>&1 &
	_p=$!
	sleep "$(delay)"
	kill -9 "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
}

# whole DESC DIR REFDIR NAME...: each NAME in DIR is absent or REFDIR's.
whole() {
	_d=$1
	_dir=$2
	_ref=$3
	shift 3
	_bad=
	for _f in "$@"; do
		[ -e "$_dir/$_f" ] || continue
		cmp -s "$_dir/$_f" "$_ref/$_f" || _bad="$_bad $_f"
	done
	check_eq "$_d" "" "$_bad"
}

# A disk to boot: GPT, ext4 root with grub.cfg, Debian's kernel and a
# 30 MiB initrd, as a compressed qcow2 (hyperkit needs it converted).
mkdir -p "$T/root/boot/grub"
cp "$di/amd64/linux" "$T/root/boot/vmlinuz"
head -c 31457280 /dev/urandom >"$T/root/boot/initrd.img"
printf 'set default=0\nmenuentry x {\n linux /boot/vmlinuz ro\n initrd /boot/initrd.img\n}\n' \
    >"$T/root/boot/grub/grub.cfg"
mke2fs -q -F -t ext4 -d "$T/root" "$T/fs.img" 200M
truncate -s 300M "$T/disk.raw"
printf 'label: gpt\nstart=2048\n' | sfdisk -q "$T/disk.raw" >/dev/null
dd if="$T/fs.img" of="$T/disk.raw" bs=1M seek=1 conv=notrunc,sparse \
    2>/dev/null
qemu-img convert -c -O qcow2 "$T/disk.raw" "$T/disk.qcow2"
expect_exit 0 "a clean run for reference" isoboot -q "$T/disk.qcow2" \
    -o "$T/ref" -t hyperkit

set -- vmlinuz initrd.img cmdline disk.img
i=0
while [ "$i" -lt 8 ]; do
	killed isoboot -q "$T/disk.qcow2" -o "$T/vm" -t hyperkit
	i=$((i + 1))
	whole "isoboot killed ($i): every output absent or whole" \
	    "$T/vm" "$T/ref" "$@"
done
expect_exit 0 "isoboot after the kills" isoboot "$T/disk.qcow2" -o "$T/vm" \
    -t hyperkit
whole "  every output whole" "$T/vm" "$T/ref" "$@"
there=0
for f in "$@"; do
	[ -f "$T/vm/$f" ] && there=$((there + 1))
done
check_eq "  all of them there" 4 "$there"
check_eq "  no temporary left" "" \
    "$(find "$T/vm" -name '.*' ! -name .isoboot-stamp)"
expect_exit 0 "  once more" isoboot "$T/disk.qcow2" -o "$T/vm" -t hyperkit
check_grep "  nothing changed" "nothing changed" "$T/out"

# isoboot-extract -x: a 200 MiB member.
mkdir -p "$T/iso"
head -c 209715200 /dev/urandom >"$T/iso/big.bin"
xorriso -as mkisofs -quiet -R -o "$T/big.iso" "$T/iso" 2>/dev/null
mkdir -p "$T/x"
i=0
while [ "$i" -lt 6 ]; do
	killed isoboot-extract -x "$T/big.iso" big.bin -C "$T/x"
	i=$((i + 1))
	whole "isoboot-extract -x killed ($i): big.bin absent or whole" \
	    "$T/x" "$T/iso" big.bin
done
expect_exit 0 "isoboot-extract -x after the kills" isoboot-extract -x \
    "$T/big.iso" big.bin -C "$T/x"
whole "  big.bin whole" "$T/x" "$T/iso" big.bin

# mkdisk --preallocate=full: 512 MiB of zeros written.
i=0
while [ "$i" -lt 6 ]; do
	rm -f "$T/d.img"
	killed mkdisk --preallocate=full 512m "$T/d.img"
	i=$((i + 1))
	if [ ! -e "$T/d.img" ] || [ "$(wc -c <"$T/d.img")" -eq 536870912 ]; then
		ok "mkdisk killed ($i): d.img absent or whole"
	else
		fail "mkdisk killed ($i): d.img absent or whole ($(wc -c <"$T/d.img") bytes)"
	fi
done

done_testing
