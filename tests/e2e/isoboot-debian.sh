#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# ib: once
# isoboot-debian: isoboot DISK on a real installed Debian 12, the disk of
# tests/lib/mkdebian-disk.sh (debootstrap, its own update-initramfs, the
# grub.cfg of the real grub-mkconfig; built once, then cached). The cached
# qcow2 is never written: the VM gets an overlay whose backing file is
# it, which isoboot reads in place through the chain. Asserted: isoboot
# finds grub.cfg on p3 and the default entry's kernel and initrd there,
# byte for byte what debugfs dumps; the command line is grub.cfg's with
# root=UUID=; the VM boots under qemu (TCG) to the marker a systemd unit
# prints with /proc/cmdline, which is DIR/cmdline exactly, and powers off;
# for hyperkit the chain becomes DIR/disk.img, qemu-img's bytes.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need isoboot qemu-img qemu-system-x86_64 debugfs timeout jq cmp

# holds DESC CMD...: ok when CMD succeeds.
holds() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else fail "$_d"; fi
}

run sh "$IB_TOP/tests/lib/mkdebian-disk.sh" "$T/build"
if [ "$rc" -ne 0 ]; then
	if [ "${CI:-}" != true ] && { [ "$(id -u)" != 0 ] ||
	    ! command -v debootstrap >/dev/null 2>&1; }; then
		skip "$(basename "$0"): no cached disk, and building needs" \
		    "root and debootstrap"
		done_testing
	fi
	fail "mkdebian-disk.sh builds the disk (status $rc)"
	done_testing
fi
d=$(cat "$T/out")
exp() { sed -n "s/^$1=//p" "$d/EXPECTED"; }
kernel=$(exp KERNEL)
initrd=$(exp INITRD)
cmdline=$(exp CMDLINE)
marker=$(exp MARKER)

# The overlay: backed by the cached image through a symlink beside it
# (isoboot follows only relative backing names in the image's directory).
ln -s "$d/debian.qcow2" "$T/debian.qcow2"
qemu-img create -q -f qcow2 -b debian.qcow2 -F qcow2 "$T/vm.qcow2"

expect_exit 0 "isoboot the installed Debian -t qemu" isoboot "$T/vm.qcow2" \
    -o "$T/vm" -t qemu --accel tcg --net none -m 1g
check_grep "  its config is grub.cfg on p3" \
    "entry 'Debian GNU/Linux' of /p3/boot/grub/grub.cfg" "$T/out"
check_eq "  boot.json: the kernel grub.cfg's default entry names" \
    "/p3$kernel /p3$initrd" \
    "$(jq -r '"\(.menu.entry.kernel) \(.menu.entry.initrds[0])"' \
        "$T/vm/boot.json")"
check_eq "  boot.json: the command line in grub.cfg" "$cmdline" \
    "$(jq -r .cmdline_in_config "$T/vm/boot.json")"
# debugfs reads the root filesystem at its offset (unix_io's offset=).
root="$d/debian.raw?offset=$(($(exp ROOT_START) * 512))"
debugfs -R "dump $kernel $T/k" "$root" >/dev/null 2>&1
debugfs -R "dump $initrd $T/i" "$root" >/dev/null 2>&1
holds "  the kernel is debugfs's, byte for byte" \
    cmp -s "$T/k" "$T/vm/$(basename "$kernel")"
holds "  the initrd is debugfs's, byte for byte" \
    cmp -s "$T/i" "$T/vm/$(basename "$initrd")"
check_grep "  DIR/cmdline keeps root=UUID= and ro" \
    "root=UUID=$(exp ROOT_UUID) ro" "$T/vm/cmdline"

# Boot: systemd's marker unit reports /proc/cmdline, then powers off.
# Under TCG on 2 cores that takes 30 to 60 s.
t0=$(date +%s)
timeout 600 "$T/vm/run" </dev/null >"$T/serial" 2>&1
qrc=$?
echo "# isoboot's run, boot to poweroff: $(($(date +%s) - t0)) s"
check_eq "run exits 0: the installed system powered off by itself" 0 "$qrc"
tr -d '\r' <"$T/serial" >"$T/serial.txt"
check_eq "the installed system's /proc/cmdline is DIR/cmdline" \
    "$marker cmdline: $(cat "$T/vm/cmdline")" \
    "$(grep "^$marker cmdline: " "$T/serial.txt" | head -n 1)"
if [ "$_failures" -ne 0 ]; then
	tail -n 25 "$T/serial.txt" | sed 's/^/#   serial: /'
fi
holds "the cached image was not written" \
    qemu-img compare -q -f raw -F qcow2 "$d/debian.raw" "$d/debian.qcow2"

# hyperkit: the chain converted into DIR/disk.img, qemu-img's bytes.
expect_exit 0 "isoboot the overlay -t hyperkit" isoboot "$T/vm.qcow2" \
    -o "$T/hk" -t hyperkit
qemu-img convert -O raw "$T/vm.qcow2" "$T/want.raw"
holds "  DIR/disk.img is qemu-img's conversion of the chain" \
    cmp -s "$T/hk/disk.img" "$T/want.raw"
ours=$(du -k "$T/hk/disk.img" | cut -f1)
theirs=$(du -k "$T/want.raw" | cut -f1)
holds "  no less sparse ($ours KiB, qemu-img $theirs KiB)" \
    test "$ours" -le "$theirs"

done_testing
