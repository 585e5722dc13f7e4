#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# demo.sh BUILD: the whole recipe on an Alpine-shaped ISO made here:
# Alpine's syslinux.cfg, Debian's real kernel as boot/vmlinuz-virt, and a
# busybox initramfs whose /init prints "isoboot demo: booted, cmdline:
# ..." and powers off. isoboot reads the boot menu, extracts the kernel
# and initramfs, writes the command line, a disk and the run script; the
# run script boots it (qemu here, hyperkit on macOS when it is there).
# Exit 0 only if the guest printed the marker with the command line
# isoboot chose.
set -eu
bin=$(cd "$1/bin" && pwd)
PATH=$bin:$PATH
export PATH
top=$(pwd)
work=$1/demo
kernel=${DEMO_KERNEL:-/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux}
isolinux=${DEMO_ISOLINUX:-/usr/lib/ISOLINUX/isolinux.bin}
busybox=${DEMO_BUSYBOX:-/bin/busybox}

target=qemu
hint="run make deps (as root on Debian)"
if [ "$(uname -s)" = Darwin ]; then
	hint="brew install xorriso qemu cpio; DEMO_KERNEL, DEMO_BUSYBOX and
  DEMO_ISOLINUX name a Linux x86_64 bzImage, a static Linux busybox and
  isolinux.bin (Debian's packages debian-installer-12-netboot-amd64,
  busybox-static and isolinux have them)"
	command -v hyperkit >/dev/null 2>&1 && target=hyperkit
fi
for f in "$kernel" "$isolinux" "$busybox"; do
	if [ ! -e "$f" ]; then
		echo "demo: $f is missing: $hint" >&2
		exit 1
	fi
done
need="xorriso cpio"
[ "$target" = qemu ] && need="$need qemu-system-x86_64"
for c in $need; do
	if ! command -v "$c" >/dev/null 2>&1; then
		echo "demo: $c is missing: $hint" >&2
		exit 1
	fi
done
rm -rf "$work"
mkdir -p "$work/tree/boot/syslinux"
work=$(cd "$work" && pwd)

echo "== 1. an Alpine-shaped ISO: Alpine's syslinux.cfg, Debian's kernel,"
echo "      a busybox initramfs that prints a marker and powers off"
cp fixtures/alpine/boot/syslinux/syslinux.cfg "$work/tree/boot/syslinux/"
cp "$isolinux" "$work/tree/boot/syslinux/isolinux.bin"
cp "$kernel" "$work/tree/boot/vmlinuz-virt"
BANNER="isoboot demo: booted, cmdline:" BUSYBOX=$busybox \
    sh "$top/tests/lib/mkinitramfs.sh" "$work/tree/boot/initramfs-virt" demo
xorriso -as mkisofs -quiet -R -V ALPINE_DEMO \
    -b boot/syslinux/isolinux.bin -c boot/syslinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table \
    -o "$work/alpine-virt-demo.iso" "$work/tree" 2>/dev/null
cd "$work"
echo "\$ isoboot-extract -t alpine-virt-demo.iso"
isoboot-extract -t alpine-virt-demo.iso
echo "\$ cat boot/syslinux/syslinux.cfg   # (in the ISO)"
isoboot-extract -x -O alpine-virt-demo.iso boot/syslinux/syslinux.cfg

# TCG unless KVM is asked for (DEMO_KVM=1): some hosts' /dev/kvm cannot
# run the guest (see isoboot-cmd --accel).
accel=tcg
[ "${DEMO_KVM:-}" = 1 ] && accel=kvm:tcg
opts="-t $target"
[ "$target" = qemu ] && opts="$opts --accel $accel"

echo
echo "== 2. isoboot: the decisions, and a directory that boots"
echo "\$ isoboot $opts --disk-size 1g -o vm alpine-virt-demo.iso"
# shellcheck disable=SC2086 # opts is split on purpose
isoboot $opts --disk-size 1g -o vm alpine-virt-demo.iso
echo "\$ isoboot $opts --disk-size 1g -o vm alpine-virt-demo.iso   # again"
# shellcheck disable=SC2086
isoboot $opts --disk-size 1g -o vm alpine-virt-demo.iso

echo
echo "== 3. the hyperkit wrapper script it writes for macOS"
echo "\$ isoboot -q -t hyperkit --net vpnkit -o vm-hyperkit" \
    "alpine-virt-demo.iso && cat vm-hyperkit/run"
isoboot -q -t hyperkit --net vpnkit --disk-size 1g -o vm-hyperkit \
    alpine-virt-demo.iso
cat vm-hyperkit/run

echo
echo "== 4. the $target command in vm/run, and the boot"
sed -n '/^	*\(qemu-system\|hyperkit\)/,/^	rc=/p' vm/run | sed '$d'
want=$(cat vm/cmdline)
echo "\$ vm/run   # the guest's serial console, up to the marker"
if command -v timeout >/dev/null 2>&1; then
	timeout 180 vm/run </dev/null 2>&1 | tr -d '\r' >serial.log || :
else
	vm/run </dev/null 2>&1 | tr -d '\r' >serial.log || :
fi
sed -n '1,/^isoboot demo: booted/p' serial.log | tail -n 12
line=$(grep -m 1 '^isoboot demo: booted, cmdline: ' serial.log || :)
if [ "$line" = "isoboot demo: booted, cmdline: $want" ]; then
	echo
	echo "demo: ok: the guest booted with exactly the command line" \
	    "isoboot chose"
	exit 0
fi
echo "demo: FAILED: no 'isoboot demo: booted, cmdline: $want' on the" \
    "serial console (see $work/serial.log)" >&2
exit 1
