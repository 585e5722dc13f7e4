#!/bin/sh
# demo.sh BUILD: the recipe so far on a generated Alpine-shaped ISO: list
# it as tar -tvf would, then extract the kernel and initramfs of its boot
# entry into demo/vm, stamped with the current time.
set -eu
bin=$1/bin
work=$1/demo
rm -rf "$work"
mkdir -p "$work/tree"
cp -R fixtures/alpine/. "$work/tree/"
# Stand-ins until the real Debian kernel is used (whole-recipe issue).
head -c 6000000 /dev/urandom >"$work/tree/boot/vmlinuz-virt"
head -c 9000000 /dev/urandom >"$work/tree/boot/initramfs-virt"
xorriso -as mkisofs -quiet -R -J -V ALPINE_DEMO \
    -o "$work/alpine-demo.iso" "$work/tree"

echo "== isoboot-extract -tv $work/alpine-demo.iso"
"$bin/isoboot-extract" -tv "$work/alpine-demo.iso"
echo "== isoboot-extract -x -j -C $work/vm ... boot/vmlinuz-virt boot/initramfs-virt"
"$bin/isoboot-extract" -x -j -C "$work/vm" "$work/alpine-demo.iso" \
    boot/vmlinuz-virt boot/initramfs-virt
ls -l "$work/vm"
cmp "$work/vm/vmlinuz-virt" "$work/tree/boot/vmlinuz-virt"
cmp "$work/vm/initramfs-virt" "$work/tree/boot/initramfs-virt"
echo "== boot entry (read by hand until syslinux2cmdline lands):"
"$bin/isoboot-extract" -x -O "$work/alpine-demo.iso" boot/syslinux/syslinux.cfg
echo "demo: ok"
