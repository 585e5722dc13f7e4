#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# ib: once
# debian-disk-fixture: the installed Debian 12 disk of
# tests/lib/mkdebian-disk.sh (built once, then cached), checked with the
# real tools against its EXPECTED: sfdisk sees the three GPT partitions
# with their fixed GUIDs, blkid the root's UUID and the ESP, debugfs the
# linux line of grub.cfg and the fstab, e2fsck a clean file system, GRUB's
# own code (grub-fstest) the same grub.cfg; qemu-img finds the qcow2
# sound and identical to the raw disk. Then the system boots in qemu
# (TCG) from its own kernel and initrd with the CMDLINE of grub.cfg:
# systemd starts ib-marker.service, which reports /proc/cmdline on the
# serial port (asserted: exactly CMDLINE) and powers off (qemu exits 0).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need sfdisk jq blkid debugfs e2fsck dd qemu-img qemu-system-x86_64 \
    timeout grub-fstest mdir

t0=$(date +%s)
run sh "$IB_TOP/tests/lib/mkdebian-disk.sh" "$T/build"
if [ "$rc" -ne 0 ]; then
	# Building needs root and debootstrap; a cached disk needs neither.
	if [ "${CI:-}" != true ] && { [ "$(id -u)" != 0 ] ||
	    ! command -v debootstrap >/dev/null 2>&1; }; then
		skip "$(basename "$0"): no cached disk, and building needs" \
		    "root and debootstrap: $(tail -n 1 "$T/err")"
		done_testing
	fi
	fail "mkdebian-disk.sh builds the disk (status $rc)"
	sed 's/^/#   /' "$T/err" | tail -n 5
	tail -n 20 "$T/build/mkdebian-disk.log" 2>/dev/null | sed 's/^/#   log: /'
	done_testing
fi
d=$(cat "$T/out")
ok "mkdebian-disk.sh gives $d"
echo "# mkdebian-disk.sh: $(($(date +%s) - t0)) s"
raw=$d/debian.raw
qcow=$d/debian.qcow2

# exp KEY: the value in EXPECTED.
exp() { sed -n "s/^$1=//p" "$d/EXPECTED"; }
kernel=$(exp KERNEL)
initrd=$(exp INITRD)
cmdline=$(exp CMDLINE)
uuid=$(exp ROOT_UUID)
marker=$(exp MARKER)
case $kernel:$initrd:$uuid:$marker in
/boot/vmlinuz-?*:/boot/initrd.img-?*:????????-????-????-????-????????????:?*)
	ok "EXPECTED names the kernel, the initrd, the root UUID, the marker" ;;
*) fail "EXPECTED is complete (KERNEL=$kernel INITRD=$initrd" \
    "ROOT_UUID=$uuid MARKER=$marker)" ;;
esac
check_eq "CMDLINE: root=UUID=<ROOT_UUID> ro console=ttyS0 quiet" \
    "root=UUID=$uuid ro console=ttyS0 quiet" "$cmdline"

# The partition table, as sfdisk reads it: 1 MiB BIOS boot at 1 MiB,
# 200 MiB ESP, and the root up to the last MiB (the backup GPT's).
esp_start=$(exp ESP_START)
root_start=$(exp ROOT_START)
expect_exit 0 "sfdisk --json reads the image" sfdisk --json "$raw"
jq -r '.partitiontable | .label, .id,
    (.partitions[] | "\(.start) \(.size) \(.type) \(.uuid)")' "$T/out" \
    >"$T/parts"
{
	echo gpt
	exp DISK_GUID
	echo "2048 2048 21686148-6449-6E6F-744E-656564454649 $(exp BIOS_PARTUUID)"
	echo "$esp_start 409600 C12A7328-F81F-11D2-BA4B-00A0C93EC93B" \
	    "$(exp ESP_PARTUUID)"
	echo "$root_start $((4194304 - 2048 - root_start))" \
	    "0FC63DAF-8483-4772-8E79-3D69E4C9A0BE $(exp ROOT_PARTUUID)"
} >"$T/parts.want"
check_files "sfdisk: GPT, the disk GUID, 3 partitions with fixed GUIDs" \
    "$T/parts.want" "$T/parts"
expect_exit 0 "sfdisk -d reads the image" sfdisk -d "$raw"
check_grep "sfdisk -d: label-id is the disk GUID" \
    "^label-id: $(exp DISK_GUID)\$" "$T/out"

expect_exit 0 "qemu-img info on the raw disk" qemu-img info --output=json \
    "$raw"
check_eq "the raw disk is 2 GiB" 2147483648 \
    "$(jq -r '."virtual-size"' "$T/out")"
alloc=$(du -k "$raw" | cut -f1)
if [ "$alloc" -lt 1572864 ]; then
	ok "the raw disk is sparse ($((alloc / 1024)) MiB allocated)"
else
	fail "the raw disk is sparse ($((alloc / 1024)) MiB allocated)"
fi

# The file systems, where the partitions say.
check_eq "blkid -p at partition 3: the root's UUID" "$uuid" \
    "$(blkid -p -O $((root_start * 512)) -o value -s UUID "$raw")"
check_eq "blkid -p at partition 3: ext4" ext4 \
    "$(blkid -p -O $((root_start * 512)) -o value -s TYPE "$raw")"
check_eq "blkid -p at partition 2: vfat, the fixed volume ID" \
    "vfat $(exp ESP_UUID)" \
    "$(blkid -p -O $((esp_start * 512)) -o value -s TYPE "$raw") $(blkid -p \
    -O $((esp_start * 512)) -o value -s UUID "$raw")"
expect_exit 0 "mdir lists the ESP's EFI directory" \
    mdir -b -i "$raw@@$((esp_start * 512))" ::EFI
check_grep "the ESP has EFI/BOOT" 'EFI/BOOT' "$T/out"

# The root file system on its own, cut out of the disk.
dd if="$raw" of="$T/root.ext4" bs=1M skip=$((root_start / 2048)) \
    count=$(((4194304 - 2048 - root_start) / 2048)) conv=sparse 2>/dev/null
expect_exit 0 "e2fsck -fn: the root file system is clean" \
    e2fsck -fn "$T/root.ext4"
expect_exit 0 "debugfs reads /boot/grub/grub.cfg" \
    debugfs -R 'cat /boot/grub/grub.cfg' "$T/root.ext4"
cp "$T/out" "$T/grub.cfg"
tab=$(printf '\t')
check_eq "grub.cfg: the default entry's linux line is KERNEL CMDLINE" \
    "${tab}linux${tab}$kernel $cmdline" \
    "$(grep -m 1 "^${tab}linux${tab}" "$T/grub.cfg")"
check_eq "grub.cfg: its initrd line is INITRD" "${tab}initrd${tab}$initrd" \
    "$(grep -m 1 "^${tab}initrd${tab}" "$T/grub.cfg")"
check_grep "grub.cfg: search finds the root by UUID" \
    "^${tab}search --no-floppy --fs-uuid --set=root $uuid\$" "$T/grub.cfg"
check_grep "grub.cfg: written by grub-mkconfig" \
    '^# It is automatically generated by grub-mkconfig' "$T/grub.cfg"
check_grep "grub.cfg: the Advanced options submenu" \
    "^submenu 'Advanced options for Debian GNU/Linux'" "$T/grub.cfg"
expect_exit 0 "debugfs reads /etc/fstab" \
    debugfs -R 'cat /etc/fstab' "$T/root.ext4"
check_eq "/etc/fstab mounts the root by UUID" \
    "UUID=$uuid / ext4 defaults 0 1" "$(cat "$T/out")"
expect_exit 0 "debugfs lists multi-user.target.wants" debugfs \
    -R 'ls /etc/systemd/system/multi-user.target.wants' "$T/root.ext4"
check_grep "ib-marker.service is enabled" 'ib-marker\.service' "$T/out"

# GRUB's own GPT and ext2 code (grub-fstest) reads the same grub.cfg.
expect_exit 0 "grub-fstest reads (loop0,gpt3)/boot/grub/grub.cfg" \
    grub-fstest "$raw" cat '(loop0,gpt3)/boot/grub/grub.cfg'
check_files "grub-fstest and debugfs read the same grub.cfg" \
    "$T/grub.cfg" "$T/out"

expect_exit 0 "qemu-img check: the qcow2 is sound" qemu-img check "$qcow"
expect_exit 0 "qemu-img compare: the qcow2 holds the raw disk" \
    qemu-img compare -f raw -F qcow2 "$raw" "$qcow"
check_grep "qemu-img compare: identical" '^Images are identical' "$T/out"

# The boot: the kernel and initrd out of the root file system, the disk
# as virtio (snapshot=on: it stays as built). TCG, never KVM (a nested
# KVM aborts qemu on the project's machines).
expect_exit 0 "debugfs dumps KERNEL" \
    debugfs -R "dump $kernel $T/vmlinuz" "$T/root.ext4"
expect_exit 0 "debugfs dumps INITRD" \
    debugfs -R "dump $initrd $T/initrd" "$T/root.ext4"
rm -f "$T/root.ext4"
t0=$(date +%s)
timeout 600 qemu-system-x86_64 -accel tcg -m 1024 -nographic -no-reboot \
    -kernel "$T/vmlinuz" -initrd "$T/initrd" -append "$cmdline" \
    -drive "file=$raw,format=raw,if=virtio,snapshot=on" \
    </dev/null >"$T/serial" 2>"$T/qemu.err"
qrc=$?
echo "# boot to poweroff: $(($(date +%s) - t0)) s"
tr -d '\r' <"$T/serial" >"$T/serial.txt"
if [ "$qrc" -eq 0 ]; then
	ok "qemu exits 0 by itself"
else
	if [ "$qrc" -eq 124 ]; then
		fail "qemu exits 0 by itself (still running after 600 s, killed)"
	else
		fail "qemu exits 0 by itself (status $qrc)"
	fi
	sed 's/^/#   qemu: /' "$T/qemu.err" | head -n 10
fi
check_eq "the guest reports /proc/cmdline: exactly CMDLINE" \
    "$marker cmdline: $cmdline" \
    "$(grep "^$marker cmdline: " "$T/serial.txt" | head -n 1)"
check_grep "the guest powered off (not a reboot)" 'reboot: Power down' \
    "$T/serial.txt"
if [ "$_failures" -ne 0 ]; then
	tail -n 25 "$T/serial.txt" | sed 's/^/#   serial: /'
fi
done_testing
