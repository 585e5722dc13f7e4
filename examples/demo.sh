#!/bin/sh
# demo.sh BUILD: the whole recipe on an Alpine-shaped ISO made here:
# Alpine's syslinux.cfg, Debian's real kernel as boot/vmlinuz-virt, and a
# busybox initramfs whose /init prints "isoboot demo: booted, cmdline:
# ..." and powers off. The tools read the boot menu, extract the kernel
# and initramfs, make a disk, print the hyperkit script and the qemu
# command, and the qemu command boots it. Exit 0 only if the guest
# printed the marker with the command line isoboot-cmd chose.
set -eu
bin=$(cd "$1/bin" && pwd)
PATH=$bin:$PATH
export PATH
top=$(pwd)
work=$1/demo
kernel=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux
isolinux=/usr/lib/ISOLINUX/isolinux.bin
for f in "$kernel" "$isolinux" /bin/busybox; do
	if [ ! -e "$f" ]; then
		echo "demo: $f is missing: run make deps (as root on Debian)" >&2
		exit 1
	fi
done
for c in xorriso qemu-system-x86_64 cpio timeout; do
	if ! command -v "$c" >/dev/null 2>&1; then
		echo "demo: $c is missing: run make deps" >&2
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
BANNER="isoboot demo: booted, cmdline:" \
    sh "$top/tests/lib/mkinitramfs.sh" "$work/tree/boot/initramfs-virt" demo
xorriso -as mkisofs -quiet -R -V ALPINE_DEMO \
    -b boot/syslinux/isolinux.bin -c boot/syslinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table \
    -o "$work/alpine-demo.iso" "$work/tree" 2>/dev/null
cd "$work"
isoboot-extract -t alpine-demo.iso

echo
echo "== 2. the boot menu, read as ISOLINUX reads it"
echo "\$ syslinux2cmdline -i alpine-demo.iso --explain"
syslinux2cmdline -i alpine-demo.iso --explain
echo "\$ syslinux2cmdline -i alpine-demo.iso --serial"
syslinux2cmdline -i alpine-demo.iso --serial

echo
echo "== 3. kernel and initramfs of the default entry, and a disk"
echo "\$ isoboot-extract alpine-demo.iso -C vm --format shell"
isoboot-extract alpine-demo.iso -C vm --format shell
echo "\$ mkdisk -v 1g vm/disk.img"
mkdisk -v 1g vm/disk.img

echo
echo "== 4. the hyperkit wrapper script (for macOS)"
echo "\$ isoboot-cmd -t hyperkit --serial-cmdline --net vpnkit" \
    "--disk vm/disk.img -C vm alpine-demo.iso --script"
isoboot-cmd -t hyperkit --serial-cmdline --net vpnkit --disk vm/disk.img \
    -C vm alpine-demo.iso --script

echo
echo "== 5. the qemu command, and the boot"
# TCG unless KVM is asked for (DEMO_KVM=1): some hosts' /dev/kvm cannot
# run the guest (see isoboot-cmd --accel).
accel=tcg
[ "${DEMO_KVM:-}" = 1 ] && accel=kvm:tcg
echo "\$ isoboot-cmd -t qemu --accel $accel --serial-cmdline" \
    "--disk vm/disk.img -C vm alpine-demo.iso"
isoboot-cmd -t qemu --accel "$accel" --serial-cmdline --disk vm/disk.img \
    -C vm alpine-demo.iso >qemu.sh
cat qemu.sh
want=$(isoboot-cmd -t qemu --accel "$accel" --serial-cmdline \
    --disk vm/disk.img -C vm alpine-demo.iso --json |
    sed -n 's/.*"cmdline":"\([^"]*\)".*/\1/p')
echo "(the guest's serial console follows, up to the marker)"
timeout 180 sh qemu.sh </dev/null 2>&1 | tr -d '\r' >serial.log || :
sed -n '1,/^isoboot demo: booted/p' serial.log | tail -n 12
line=$(grep -m 1 '^isoboot demo: booted, cmdline: ' serial.log || :)
if [ "$line" = "isoboot demo: booted, cmdline: $want" ]; then
	echo
	echo "demo: ok: the guest booted with exactly the command line" \
	    "isoboot-cmd chose"
	exit 0
fi
echo "demo: FAILED: no 'isoboot demo: booted, cmdline: $want' on the" \
    "serial console (see $work/serial.log)" >&2
exit 1
