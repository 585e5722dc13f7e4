#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# firmware-efi: --firmware efi boots a disk's own loader through real UEFI
# firmware instead of kexec. The disk is made here without mounting: GPT,
# p1 an EFI system partition (FAT32, mtools) holding Debian's real
# systemd-boot as /EFI/BOOT/BOOTX64.EFI with one loader entry (Debian's
# d-i kernel, an EFI-stub bzImage, and the test initramfs), p2 XFS, which
# isoboot does not read. Asserted: kexec on BIOS fails naming XFS (and on
# EFI reads systemd-boot's entry); with --firmware efi qemu boots OVMF
# from Debian's ovmf (code read-only, the VM's own copy of the variable
# store, kept across runs), systemd-boot starts the kernel with its
# entry's options, and the guest powers off by itself; an ISO boots the
# same way from its El Torito EFI image; the files of an earlier kexec
# run are removed; the vfkit, hyperkit and xhyve lines, and the refusals.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need isoboot isoboot-cmd qemu-system-x86_64 mkfs.vfat mmd mcopy mkfs.xfs \
    sfdisk cpio gzip timeout jq xorriso cmp
di=/usr/lib/debian-installer/images/12/amd64/text/debian-installer
sdboot=/usr/lib/systemd/boot/efi/systemd-bootx64.efi
code=/usr/share/OVMF/OVMF_CODE_4M.fd
vars=/usr/share/OVMF/OVMF_VARS_4M.fd
need_file "$di/amd64/linux" /bin/busybox "$sdboot" "$code" "$vars"

# holds DESC CMD...: ok when CMD succeeds.
holds() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else fail "$_d"; fi
}

M=ib-efi-test
sh "$IB_TOP/tests/lib/mkinitramfs.sh" "$T/initrd.gz" "$M" ||
    fail "mkinitramfs builds the initramfs"

# esp OUT MIB FAT FROM: a FAT image with systemd-boot as the removable
# media path's loader and one entry whose options say FROM.
esp() {
	rm -f "$1"
	mkfs.vfat -F "$3" -n ESP -C "$1" $(($2 * 1024)) >/dev/null
	mmd -i "$1" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries
	mcopy -i "$1" "$sdboot" ::/EFI/BOOT/BOOTX64.EFI
	printf 'default test.conf\ntimeout 0\n' >"$T/loader.conf"
	printf '%s\n' 'title isoboot EFI test' 'linux /vmlinuz' \
	    'initrd /initrd.gz' "options console=ttyS0 ib.from=$4 x=1,2" \
	    >"$T/test.conf"
	mcopy -i "$1" "$T/loader.conf" ::/loader/loader.conf
	mcopy -i "$1" "$T/test.conf" ::/loader/entries/test.conf
	mcopy -i "$1" "$di/amd64/linux" ::/vmlinuz
	mcopy -i "$1" "$T/initrd.gz" ::/initrd.gz
}

# The disk: p1 the ESP (64 MiB), p2 XFS (300 MiB, mkfs.xfs's least).
esp "$T/esp.img" 64 32 disk
mkfs.xfs -q -d file,name="$T/xfs.img",size=300m
D=$T/disk.raw
dd if=/dev/null of="$D" bs=1048576 seek=400 2>/dev/null
printf '%s\n' 'label: gpt' \
    'start=2048, size=131072, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B' \
    'start=133120, size=614400' | sfdisk -q "$D" >/dev/null
dd if="$T/esp.img" of="$D" bs=512 seek=2048 conv=notrunc 2>/dev/null
dd if="$T/xfs.img" of="$D" bs=512 seek=133120 conv=notrunc 2>/dev/null

Q="-t qemu --accel tcg --net none"

# kexec: on BIOS (the default) isoboot finds no config it can read.
# shellcheck disable=SC2086 # $Q is words
expect_exit 1 "kexec, --platform bios: isoboot cannot read the disk" \
    isoboot "$D" -o "$T/vm" $Q
check_eq "  one line" 1 "$(lines "$T/err")"
check_grep "  naming XFS" "p2 is XFS; isoboot reads ext2/3/4 and FAT" \
    "$T/err"
holds "  and leaving no directory" test ! -e "$T/vm"
# On EFI it reads systemd-boot's entry on the ESP and extracts it.
# shellcheck disable=SC2086
expect_exit 0 "kexec, --platform efi: systemd-boot's entry on the ESP" \
    isoboot "$D" -o "$T/vm" $Q --platform efi
check_grep "  the entry's options" "ib.from=disk" "$T/vm/cmdline"
holds "  the kernel extracted" cmp -s "$T/vm/vmlinuz" "$di/amd64/linux"
check_eq "  boot.json: firmware kexec" kexec \
    "$(jq -r .firmware "$T/vm/boot.json")"

# --firmware efi in the same directory: nothing extracted, and the
# kexec run's files are gone.
# shellcheck disable=SC2086
expect_exit 0 "isoboot DISK --firmware efi" isoboot "$D" -o "$T/vm" $Q \
    --firmware efi
check_grep "  says UEFI firmware boots" \
    "UEFI firmware boots the image's own loader" "$T/out"
check_grep "  names the firmware" "firmware: $code" "$T/out"
check_grep "  still reads the menu for the summary" \
    "entry 'test.conf' of /p1/loader/loader.conf" "$T/out"
for f in vmlinuz initrd.gz cmdline .isoboot-stamp; do
	holds "  the kexec run's $f is removed" test ! -e "$T/vm/$f"
done
holds "  DIR/efi-vars.fd is a copy of OVMF_VARS_4M.fd" \
    cmp -s "$T/vm/efi-vars.fd" "$vars"
check_grep "  the run script names OVMF's code, read-only" \
    "^	    -drive if=pflash,format=raw,unit=0,readonly=on,file=$code \\\\\$" \
    "$T/vm/run"
check_grep "  and the VM's variable store, writable" \
    "^	    -drive if=pflash,format=raw,unit=1,file=$T/vm/efi-vars.fd \\\\\$" \
    "$T/vm/run"
check_grep "  and the disk itself" \
    "^	    -drive file=$D,format=raw,if=virtio \\\\\$" "$T/vm/run"
check_eq "  and no -kernel, -initrd or -append" 0 \
    "$(grep -c -e -kernel -e -initrd -e -append "$T/vm/run")"
j=$T/vm/boot.json
check_eq "  boot.json: firmware, bootrom, efi_vars, config" \
    "efi $code $T/vm/efi-vars.fd /p1/loader/loader.conf null" \
    "$(jq -r '"\(.firmware) \(.bootrom) \(.efi_vars) \(.config) \(.cmdline)"' "$j")"
check_eq "  boot.json: the files made before it" "efi-vars.fd run" \
    "$(jq -r '[.files[].name] | join(" ")' "$j")"

# The boot: OVMF, then systemd-boot, then the kernel, under TCG.
start=$(date +%s)
timeout 300 "$T/vm/run" </dev/null >"$T/serial" 2>"$T/qemu.err"
qrc=$?
echo "# OVMF, systemd-boot and the guest under TCG: $(($(date +%s) - start)) s"
if [ "$qrc" -eq 0 ]; then
	ok "DIR/run: the guest powered off by itself (qemu exit 0)"
else
	fail "DIR/run: the guest powered off by itself (status $qrc)"
	sed 's/^/#   qemu: /' "$T/qemu.err" | head -n 5
	tr -d '\r' <"$T/serial" | tail -n 15 | sed 's/^/#   serial: /'
fi
guest_report "$T/serial" "$M" >"$T/report"
check_grep "  the guest's report is complete" '^end$' "$T/report"
# systemd-boot passes the initrd as initrd=\PATH before the options.
check_eq "  /proc/cmdline: systemd-boot's entry" \
    'cmdline=initrd=\initrd.gz console=ttyS0 ib.from=disk x=1,2' \
    "$(sed -n 1p "$T/report")"
check_grep "  the disk is a virtio disk of 400 MiB" \
    "^virtio-blk: .* capacity=819200$" "$T/report"

# The variable store the firmware wrote is the VM's: kept by a rerun.
holds "  the firmware wrote its variable store" \
    test "$(sha256 "$T/vm/efi-vars.fd")" != "$(sha256 "$vars")"
sum=$(sha256 "$T/vm/efi-vars.fd")
ino=$(inode_of "$T/vm/efi-vars.fd")
# shellcheck disable=SC2086
expect_exit 0 "isoboot --firmware efi again" isoboot "$D" -o "$T/vm" $Q \
    --firmware efi
check_grep "  nothing changed" "up to date, nothing changed" "$T/out"
check_grep "  efi-vars.fd unchanged" "efi-vars.fd .*unchanged" "$T/out"
check_eq "  the same file, the guest's bytes" "$ino $sum" \
    "$(inode_of "$T/vm/efi-vars.fd") $(sha256 "$T/vm/efi-vars.fd")"

# A menu isoboot cannot read is no error with UEFI firmware.
# shellcheck disable=SC2086
expect_exit 0 "--firmware efi --platform bios: the menu not read" isoboot \
    "$D" -o "$T/vm" $Q --firmware efi --platform bios
check_grep "  the summary says why" "menu: *not read: .*p2 is XFS" "$T/out"
check_eq "  boot.json: menu_error, no config, no menu" "true null null" \
    "$(jq -r '"\(.menu_error | test("XFS")) \(.config) \(.menu)"' "$j")"
# shellcheck disable=SC2086
expect_exit 2 "--firmware efi and --label" isoboot "$D" -o "$T/vm" $Q \
    --firmware efi -l test.conf
check_grep "  says why" "own default" "$T/err"

# An ISO: UEFI firmware boots its El Torito EFI image, the ISO as the CD.
mkdir "$T/cd"
esp "$T/cd/efiboot.img" 16 16 cd
expect_exit 0 "xorriso makes an ISO with an EFI El Torito image" \
    xorriso -as mkisofs -quiet -R -e efiboot.img -no-emul-boot \
    -o "$T/cd.iso" "$T/cd"
# shellcheck disable=SC2086
expect_exit 0 "isoboot ISO --firmware efi" isoboot "$T/cd.iso" \
    -o "$T/cdvm" $Q --firmware efi --no-disk
check_grep "  the ISO is the CD" "^	    -drive file=$T/cd.iso,media=cdrom" \
    "$T/cdvm/run"
timeout 300 "$T/cdvm/run" </dev/null >"$T/cd.serial" 2>"$T/cd.err"
check_eq "  DIR/run: the guest powered off by itself" 0 "$?"
guest_report "$T/cd.serial" "$M" >"$T/cd.report"
check_eq "  /proc/cmdline: the CD's entry" \
    'cmdline=initrd=\initrd.gz console=ttyS0 ib.from=cd x=1,2' \
    "$(sed -n 1p "$T/cd.report")"

# isoboot-cmd: the line for each target.
expect_exit 0 "isoboot-cmd -t qemu --firmware efi --disk" isoboot-cmd \
    -t qemu --firmware efi --disk "$D" -C "$T/st"
check_grep "  OVMF's code, read-only" \
    "unit=0,readonly=on,file=$code" "$T/out"
holds "  the variable store copied into the state directory" \
    cmp -s "$T/st/efi-vars.fd" "$vars"
put_byte "$T/st/efi-vars.fd" 100 65
expect_exit 0 "  again" isoboot-cmd -t qemu --firmware efi --disk "$D" \
    -C "$T/st"
check_eq "  keeps the VM's store" 65 \
    "$(od -An -tu1 -j100 -N1 "$T/st/efi-vars.fd" | tr -d ' ')"
expect_exit 0 "--bootrom names qemu's code" isoboot-cmd -t qemu \
    --firmware efi --bootrom "$code" --disk "$D" -C "$T/st2"
holds "  its template beside it" cmp -s "$T/st2/efi-vars.fd" "$vars"
printf 'rom' >"$T/OVMF.fd"
expect_exit 1 "--bootrom with no template beside it" isoboot-cmd -t qemu \
    --firmware efi --bootrom "$T/OVMF.fd" --disk "$D" -C "$T/st3"
check_grep "  says so" "no variable store template beside it" "$T/err"

# Homebrew: the firmware in the prefix of the qemu found on PATH, through
# the bin/ symbolic link into the Cellar.
c=$T/brew/Cellar/qemu/9.2.0
mkdir -p "$c/bin" "$c/share/qemu" "$T/brew/bin"
printf '#!/bin/sh\nexit 0\n' >"$c/bin/qemu-system-x86_64"
chmod +x "$c/bin/qemu-system-x86_64"
ln -s ../Cellar/qemu/9.2.0/bin/qemu-system-x86_64 "$T/brew/bin/"
cp "$code" "$c/share/qemu/edk2-x86_64-code.fd"
cp "$vars" "$c/share/qemu/edk2-i386-vars.fd"
expect_exit 0 "Homebrew's qemu: its edk2 firmware" env \
    PATH="$T/brew/bin:$PATH" isoboot-cmd -t qemu --firmware efi \
    --disk "$D" -C "$T/st4"
check_grep "  edk2-x86_64-code.fd, beside qemu" \
    "unit=0,readonly=on,file=$c/share/qemu/edk2-x86_64-code.fd" "$T/out"

expect_exit 0 "isoboot-cmd -t vfkit --firmware efi" isoboot-cmd -t vfkit \
    --firmware efi --disk "$D" -C "$T/vf"
check_grep "  --bootloader efi, the store made" \
    "^    --bootloader efi,variable-store=$T/vf/efi-vars,create \\\\\$" \
    "$T/out"
touch "$T/vf/efi-vars"
expect_exit 0 "  once the store is there" isoboot-cmd -t vfkit \
    --firmware efi --disk "$D" -C "$T/vf"
check_grep "  it is used, not replaced" \
    "^    --bootloader efi,variable-store=$T/vf/efi-vars \\\\\$" "$T/out"
expect_exit 0 "isoboot -t vfkit --firmware efi" isoboot "$D" -o "$T/vfvm" \
    -t vfkit --firmware efi
check_grep "  the script makes the store only while it is missing" \
    "^	if \[ -e $T/vfvm/efi-vars \]; then\$" "$T/vfvm/run"
expect_exit 2 "vfkit and --bootrom" isoboot-cmd -t vfkit --firmware efi \
    --bootrom "$code" --disk "$D"

for t in hyperkit xhyve; do
	expect_exit 2 "-t $t --firmware efi without --bootrom" isoboot-cmd \
	    -t "$t" --firmware efi --disk "$D"
	check_eq "  one line, then the usage" \
	    "isoboot-cmd: --firmware efi: $t has no UEFI firmware of its own: name a bhyve UEFI ROM with --bootrom" \
	    "$(sed -n 1p "$T/err")"
	check_eq "  the usage" "usage: isoboot-cmd [options] --kernel K [--initrd I]... [--cmdline S]" \
	    "$(sed -n 2p "$T/err")"
	expect_exit 2 "  isoboot too" isoboot "$D" -o "$T/hk" -t "$t" \
	    --firmware efi
done
expect_exit 0 "-t hyperkit --firmware efi --bootrom" isoboot-cmd \
    -t hyperkit --firmware efi --bootrom /some/file --disk "$D"
check_eq "  hyperkit's -f bootrom,FILE,," "    -f bootrom,/some/file,," \
    "$(tail -n 1 "$T/out")"
check_eq "  and no kexec" 0 "$(grep -c kexec "$T/out")"
expect_exit 0 "-t xhyve --firmware efi --bootrom" isoboot-cmd \
    -t xhyve --firmware efi --bootrom /some/file --disk "$D"
check_eq "  xhyve's -l bootrom,FILE" "    -l bootrom,/some/file" \
    "$(tail -n 1 "$T/out")"
expect_exit 0 "isoboot -t hyperkit --firmware efi --bootrom" isoboot "$D" \
    -o "$T/hk" -t hyperkit --firmware efi --bootrom "$code"
check_grep "  the run script boots the ROM" "-f bootrom,$code,," "$T/hk/run"

expect_exit 2 "--bootrom without --firmware efi" isoboot-cmd -t qemu \
    --bootrom "$code" --disk "$D"
expect_exit 2 "--firmware efi and --kernel" isoboot-cmd -t qemu \
    --firmware efi --kernel "$di/amd64/linux" --disk "$D"
expect_exit 2 "--firmware efi and nothing to boot" isoboot-cmd -t qemu \
    --firmware efi
expect_exit 2 "--firmware bogus" isoboot-cmd --firmware bogus --disk "$D"
check_grep "  names the values" "is not kexec or efi" "$T/err"
done_testing
