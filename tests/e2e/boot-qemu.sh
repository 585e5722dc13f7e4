#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# boot-qemu: the command isoboot-cmd -t qemu prints boots. Debian's real
# d-i kernel and a busybox initramfs (tests/lib/mkinitramfs.sh) start in
# qemu from that one line, run with sh -c as a user would paste it; the
# guest reports what it sees on the serial port and powers off. Asserted:
# /proc/cmdline is the --cmdline byte for byte (a quoted space, a comma),
# the --disk is a virtio block device of exactly 64 MiB, the --cdrom is
# an ATAPI device, and the guest powered off by itself (qemu exit 0).
# Every file sits in a directory whose name has a space, a comma and a
# quote, so the line's shell quoting and qemu's ",," are exercised too.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need isoboot-cmd mkdisk qemu-system-x86_64 cpio gzip xorriso timeout
di=/usr/lib/debian-installer/images/12/amd64/text/debian-installer
kernel=$di/amd64/linux
need_file "$kernel" /bin/busybox

M=ib-boot-test
cmdline='console=ttyS0 panic=-1 marker.test="a b" x=1,2'
d="$T/vm dir,1'x"
mkdir "$d" "$T/iso"
ln -s "$kernel" "$d/linux"
expect_exit 0 "mkinitramfs builds the initramfs" \
    sh "$IB_TOP/tests/lib/mkinitramfs.sh" "$d/initrd.gz" "$M"
expect_exit 0 "mkdisk 64m" mkdisk 64m "$d/disk.img"
echo "isoboot boot test" >"$T/iso/README"
expect_exit 0 "xorriso makes the ISO" xorriso -as mkisofs -quiet -R \
    -o "$d/cd.iso" "$T/iso"

# TCG unless IB_KVM=1: where /dev/kvm exists, a nested KVM may not run
# this guest (kvm_pvm on the project's machines: -cpu max aborts setting
# MSR 0x10a, other CPUs hang). The default accel=kvm:tcg line is checked
# byte for byte in isoboot-cmd.sh.
accel=tcg
[ "${IB_KVM:-}" = 1 ] && accel=kvm:tcg
expect_exit 0 "isoboot-cmd -t qemu" isoboot-cmd -t qemu --kernel "$d/linux" \
    --initrd "$d/initrd.gz" --cmdline "$cmdline" -m 512m \
    --disk "$d/disk.img" --cdrom "$d/cd.iso" --serial stdio --net none \
    --accel "$accel"
check_eq "isoboot-cmd: nothing on stderr" "" "$(cat "$T/err")"
line=$(cat "$T/out")
case $line in
qemu-system-x86_64\ *) ok "the line runs qemu-system-x86_64" ;;
*) fail "the line runs qemu-system-x86_64 (it is: $line)" ;;
esac

# Under TCG on 2 cores the guest is off within about 10 s: 180 s means
# it hung (panic=-1 makes a panic reboot, and so loop, until then).
timeout 180 sh -c "$line" </dev/null >"$T/serial" 2>"$T/qemu.err"
qrc=$?
if [ "$qrc" -eq 0 ]; then
	ok "qemu exits 0: the guest powered off by itself"
else
	if [ "$qrc" -eq 124 ]; then
		fail "qemu exits 0 (still running after 180 s, killed)"
	else
		fail "qemu exits 0 (status $qrc)"
	fi
	sed 's/^/#   qemu: /' "$T/qemu.err" | head -n 10
	tr -d '\r' <"$T/serial" | tail -n 15 | sed 's/^/#   serial: /'
fi

guest_report "$T/serial" "$M" >"$T/report"
check_grep "the guest's report is complete" '^end$' "$T/report"
check_eq "/proc/cmdline is --cmdline, byte for byte" "$cmdline" \
    "$(sed -n 's/^cmdline=//p' "$T/report")"
check_eq "one virtio block device on PCI (1af4:1001 or 1af4:1042)" 1 \
    "$(awk '$1 == "pci:" && ($3 == "1af4:1001" || $3 == "1af4:1042")' \
    "$T/report" | wc -l | tr -d ' ')"
# Debian's kernel has virtio_blk as a module and the netboot initrd does
# not ship it, so the guest has no /dev/vda: /init reads the capacity
# from the device's config space. A kernel with the driver shows vd*.
check_eq "the virtio disk holds 64 MiB (131072 sectors)" \
    "capacity=131072" \
    "$(sed -n 's/^virtio-blk: [^ ]* //p' "$T/report")"
sed -n 's/^disks: \(vd[a-z]*\) \([0-9]*\)$/\1 \2/p' "$T/report" >"$T/vd"
if [ -s "$T/vd" ]; then
	check_eq "/sys/block: the vd disk has 131072 sectors" 131072 \
	    "$(cut -d' ' -f2 "$T/vd")"
fi
check_grep "the ISO is an ATAPI device on the AHCI controller" \
    '^ahci: .* sig=eb140101$' "$T/report"
if [ "$_failures" -ne 0 ]; then
	sed 's/^/#   report: /' "$T/report"
fi
done_testing
