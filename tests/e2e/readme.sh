#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's runnable blocks: every ```sh fence, in order, each run with
# sh -e in one scratch directory that holds an Alpine-shaped ISO under the
# README's name (alpine-virt-3.20.3-x86_64.iso: Alpine's syslinux.cfg,
# Debian's real kernel, a busybox initramfs that prints its command line
# and powers off), with the built tools first in PATH. Every block must
# exit 0; the boot must reach the guest's marker with the command line
# isoboot wrote.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need xorriso cpio gzip qemu-system-x86_64 timeout make qemu-img xz sfdisk \
    mke2fs mcopy
kernel=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux
need_file "$kernel" /usr/lib/ISOLINUX/isolinux.bin /bin/busybox
iso=alpine-virt-3.20.3-x86_64.iso

# The blocks run in a short directory: hyperkit's vpnkit socket path
# (one block uses --net vpnkit) must stay under macOS's 104 bytes, which
# isoboot checks, wherever the tests run.
R=$(mktemp -d /tmp/ibrd.XXXXXX) || exit 1
trap 'rm -rf "$R"' EXIT
mkdir -p "$T/tree/boot/syslinux" "$T/shim"
cp "$IB_TOP/fixtures/alpine/boot/syslinux/syslinux.cfg" \
    /usr/lib/ISOLINUX/isolinux.bin "$T/tree/boot/syslinux/"
cp "$kernel" "$T/tree/boot/vmlinuz-virt"
BANNER="readme: booted, cmdline:" sh "$IB_TOP/tests/lib/mkinitramfs.sh" \
    "$T/tree/boot/initramfs-virt" readme
expect_exit 0 "xorriso makes $iso" xorriso -as mkisofs -quiet -R \
    -b boot/syslinux/isolinux.bin -c boot/syslinux/boot.cat -no-emul-boot \
    -boot-load-size 4 -boot-info-table -o "$R/$iso" "$T/tree"

# qemu with TCG unless IB_KVM=1: some hosts' (nested) KVM aborts on
# -cpu max, as the README's troubleshooting table says.
real=$(command -v qemu-system-x86_64)
cat >"$T/shim/qemu-system-x86_64" <<SHIM
#!/bin/sh
[ "\${IB_KVM:-}" = 1 ] && exec "$real" "\$@"
for a in "\$@"; do
	shift
	case \$a in
	*accel=kvm:tcg*) a=\$(printf '%s\n' "\$a" | sed 's/accel=kvm:tcg/accel=tcg/') ;;
	esac
	set -- "\$@" "\$a"
done
exec "$real" "\$@"
SHIM
chmod +x "$T/shim/qemu-system-x86_64"

# A reader's shell has no make of ours around it: the Makefile block must
# not inherit make check's jobserver or flags.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

# The disks the later blocks boot, made as installers and cloud images
# make them (tests/lib/mkshaped-disk.sh): an Alpine-installed disk, laid
# into the quick start's disk.img before the "after installing" block,
# as the installer would; a Debian disk as the cloud images the README
# names, qcow2 and raw.xz.
sh "$IB_TOP/tests/lib/mkshaped-disk.sh" alpine "$T/shapes" >/dev/null ||
    fail "mkshaped-disk.sh makes the Alpine-installed disk"
sh "$IB_TOP/tests/lib/mkshaped-disk.sh" debian-mbr "$T/shapes" >/dev/null ||
    fail "mkshaped-disk.sh makes the Debian disk"
qemu-img convert -c -O qcow2 "$T/shapes/debian-mbr.raw" \
    "$R/debian-12-nocloud-amd64.qcow2"
xz -c "$T/shapes/debian-mbr.raw" >"$R/debian-12-nocloud-amd64.raw.xz"
vm=$R/alpine-virt-3.20.3-x86_64

# The blocks, one file each.
awk -v dir="$T" '
	/^```sh$/ { n++; f = sprintf("%s/block%02d.sh", dir, n); inb = 1; next }
	/^```/ { inb = 0; next }
	inb { print > f }
' "$IB_TOP/README.md"
nblocks=$(find "$T" -maxdepth 1 -name 'block*.sh' | wc -l | tr -d ' ')
check_eq "the README has runnable blocks" 1 \
    "$([ "$nblocks" -ge 7 ] && echo 1)"

for b in "$T"/block*.sh; do
	name="README block $(basename "$b" .sh): $(head -n 1 "$b")"
	if grep -q '/disk.img -o' "$b"; then
		# The installer ran: the quick start's disk holds Alpine.
		cp "$vm/cmdline" "$T/quick.cmdline"
		dd if="$T/shapes/alpine.raw" of="$vm/disk.img" conv=notrunc \
		    2>/dev/null
	fi
	(cd "$R" && PATH="$T/shim:$PATH" timeout 300 sh -e "$b" \
	    </dev/null >"$b.out" 2>"$b.err")
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$name"
	else
		fail "$name: exit $rc: $(tail -n 3 "$b.err")"
	fi
done

# The install lines the README gives are the ones make deps uses: the
# apt-get line is mk/deps.sh's BUILD_DEBS, the brew line a part of BREW.
# words VAR: the words of mk/deps.sh's VAR="...", one per line.
words() {
	sed -n "/^$1=\"/,/\"\$/p" "$IB_TOP/mk/deps.sh" |
	    sed -e "s/^$1=\"//" -e 's/"$//' | tr -d "\\\\" | tr ' ' '\n' |
	    grep .
}
debs=$(words BUILD_DEBS | sort | tr '\n' ' ')
check_eq "README's apt-get line is make deps' build packages" "$debs" \
    "$(sed -n 's/^sudo apt-get install //p' "$IB_TOP/README.md" |
        tr ' ' '\n' | grep . | sort | tr '\n' ' ')"
brew=" $(words BREW | tr '\n' ' ') "
sed -n 's/^brew install \([^#]*\).*/\1/p' "$IB_TOP/README.md" |
    tr ' ' '\n' | grep . >"$T/brew"
while read -r p; do
	case $brew in
	*" $p "*) ok "README's brew package $p is one make deps names" ;;
	*) fail "README's brew package $p is one make deps names" ;;
	esac
done <"$T/brew"
check_eq "README names brew packages" 1 "$([ -s "$T/brew" ] && echo 1)"

# What the blocks did, checked.
want=$(cat "$T/quick.cmdline" 2>/dev/null)
check_eq "the quick start wrote the serial command line" \
    "earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod" \
    "$want"
check_eq "the quick start's run booted to the marker with that command line" \
    "readme: booted, cmdline: $want" \
    "$(cat "$T"/block*.out | tr -d '\r' | grep -m 1 '^readme: booted')"
check_eq "the quick start's disk is 8 GiB" 8589934592 \
    "$(wc -c <"$vm/disk.img" | tr -d ' ')"
amarker=$(sed -n 's/^MARKER=//p' "$IB_TOP/fixtures/disks/alpine/EXPECTED")
check_eq "after installing, run booted the installed disk's kernel" \
    "$amarker cmdline=$(cat "$vm/cmdline")" \
    "$(cat "$T"/block*.out | tr -d '\r' | grep -m 1 "^$amarker cmdline=")"
check_eq "  with the installed system's root=UUID=" 1 \
    "$(grep -c 'root=UUID=' "$vm/cmdline")"
check_eq "  and no CD" 0 "$(grep -c 'media=cdrom' "$vm/run")"
check_eq "the cloud qcow2 is the VM's disk as it is" 1 \
    "$(grep -c "file=$R/debian-12-nocloud-amd64.qcow2,format=qcow2" \
        "$R/debian-12-nocloud-amd64/run")"
check_eq "the raw.xz was made whole in deb-hk/ for hyperkit" 1 \
    "$(grep -c "virtio-blk,$R/deb-hk/debian-12-nocloud-amd64.raw" \
        "$R/deb-hk/run")"
check_eq "isoboot -o alpine-hk wrote a hyperkit script" 1 \
    "$(grep -c '^	hyperkit \\$' "$R/alpine-hk/run")"
check_eq "mkdisk refused the second alpine.img" 1 \
    "$(cat "$T"/block*.out | grep -c '^refused: alpine.img exists$')"
check_eq "the Makefile pipeline made vm/run" 1 \
    "$([ -x "$R/vm/run" ] && echo 1)"
check_eq "make -q said up to date" 1 \
    "$(cat "$T"/block*.out | grep -c '^up to date$')"
done_testing
