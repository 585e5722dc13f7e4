#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mkinitramfs.sh OUT.cpio.gz MARKER: a tiny initramfs for the boot tests,
# a gzip'd newc cpio holding busybox-static and an /init that reports
# what the guest sees, one line each, every line starting with MARKER:
#
#   MARKER cmdline=<the bytes of /proc/cmdline>
#   MARKER initrd: PATH                 (tests/bootcheck's tagged initrds)
#   MARKER last-initrd: PATH            (the one the loader loaded last)
#   MARKER disks: NAME SECTORS          (one line per /sys/block entry)
#   MARKER pci: SLOT VENDOR:DEVICE      (one line per PCI function)
#   MARKER virtio-blk: SLOT capacity=SECTORS
#   MARKER ahci: SLOT port=N sig=SIG    (SIG eb140101 is ATAPI, a CD)
#   MARKER end
#
# then powers off. The report goes to /dev/console and again to
# /dev/ttyS0, so it reaches the serial port whatever console= says; a
# reader takes the first copy of each line. Not a test: tests/e2e/*.sh
# run it. Needs busybox-static (/bin/busybox), cpio and gzip.
set -eu
if [ $# -ne 2 ]; then
	echo "usage: mkinitramfs.sh OUT.cpio.gz MARKER" >&2
	exit 2
fi
out=$1
marker=$2
case $marker in
'' | *[!A-Za-z0-9._-]*)
	echo "mkinitramfs: marker '$marker': use A-Z a-z 0-9 . _ -" >&2
	exit 2
	;;
esac
# BANNER (optional): a first line, "BANNER <the bytes of /proc/cmdline>",
# for people (make demo).
banner=${BANNER:-}
case $banner in
*[!A-Za-z0-9\ .,:_-]*)
	echo "mkinitramfs: BANNER: use letters, digits, space and .,:_-" >&2
	exit 2
	;;
esac
busybox=${BUSYBOX:-/bin/busybox}
if ! "$busybox" --list 2>/dev/null | grep -qx devmem; then
	echo "mkinitramfs: $busybox: not a busybox with devmem" \
	    "(install busybox-static)" >&2
	exit 1
fi
# A dynamic busybox (Debian's busybox package) would need a libc in the
# image: refuse an ELF file that names an interpreter (/lib*/ld-*).
if dd if="$busybox" bs=4096 count=1 2>/dev/null | tr -cd 'a-z0-9./-' |
    grep -q '/ld-'; then
	echo "mkinitramfs: $busybox: dynamically linked" \
	    "(install busybox-static)" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkinitramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/run"
cp "$busybox" "$root/bin/busybox"
for a in cat dd devmem dmesg mount od poweroff sh; do
	ln -s busybox "$root/bin/$a"
done

# The /init. Debian's d-i kernel builds virtio_blk and ahci as modules
# and its netboot initrd ships neither, so /sys/block stays empty: the
# size of the virtio disk and the kind of each AHCI device are read from
# the devices themselves, through the PCI capabilities (virtio 1.1
# 4.1.4.6, device config: capacity in 512-byte sectors) and AHCI's
# registers (AHCI 1.3.1 3.3.9, PxSIG), with busybox devmem on /dev/mem.
# A transitional virtio device (1af4:1001) has these capabilities too,
# so one path covers 1001 and 1042.
{
	echo '#!/bin/sh'
	echo "m=$marker"
	echo "banner='$banner'"
	cat <<'EOF'
PATH=/bin
export PATH
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Kernel messages on the serial console would split our lines.
dmesg -n 1
r=/run/report

# cfg DEV OFFSET WIDTH: a little-endian field of PCI config space.
cfg() {
	set -- $(dd if="$1/config" bs=1 skip="$2" count="$3" 2>/dev/null |
	    od -An -tu1)
	v=0
	s=0
	for b in "$@"; do
		v=$((v + (b << s)))
		s=$((s + 8))
	done
	echo "$v"
}
# bar DEV N: the physical start of BAR N, from the resource file.
bar() {
	i=0
	while read -r start end flags; do
		if [ "$i" = "$2" ]; then
			echo $((start))
			return
		fi
		i=$((i + 1))
	done <"$1/resource"
}
# rd32 ADDR: a 32-bit MMIO register, as a number.
rd32() { echo $(($(devmem "$1" 32))); }

virtio_blk() {
	echo 1 >"$1/enable" 2>/dev/null || true
	p=$(cfg "$1" 52 1)
	n=0
	while [ "$p" -ne 0 ] && [ "$n" -lt 48 ]; do
		# A vendor capability of type 4 places the device config.
		if [ "$(cfg "$1" "$p" 1)" = 9 ] &&
		    [ "$(cfg "$1" $((p + 3)) 1)" = 4 ]; then
			a=$(($(bar "$1" "$(cfg "$1" $((p + 4)) 1)") +
			    $(cfg "$1" $((p + 8)) 4)))
			lo=$(rd32 "$a")
			hi=$(rd32 $((a + 4)))
			echo "$m virtio-blk: ${1##*/} capacity=$((lo + (hi << 32)))"
			return
		fi
		p=$(cfg "$1" $((p + 1)) 1)
		n=$((n + 1))
	done
	echo "$m virtio-blk: ${1##*/} capacity=unknown"
}

ahci() {
	echo 1 >"$1/enable" 2>/dev/null || true
	abar=$(bar "$1" 5)
	pi=$(rd32 $((abar + 12)))
	i=0
	while [ "$i" -lt 32 ]; do
		if [ $(((pi >> i) & 1)) = 1 ]; then
			sig=$(rd32 $((abar + 256 + 128 * i + 36)))
			printf '%s ahci: %s port=%d sig=%08x\n' \
			    "$m" "${1##*/}" "$i" "$sig"
		fi
		i=$((i + 1))
	done
}

{
	[ -z "$banner" ] || echo "$banner $(cat /proc/cmdline)"
	echo "$m cmdline=$(cat /proc/cmdline)"
	# tests/bootcheck appends a tag archive to each initrd: its name
	# in /ib-initrd/, and /ib-last, which the last one loaded wins.
	for f in /ib-initrd/*; do
		[ -f "$f" ] && echo "$m initrd: $(cat "$f")"
	done
	[ -f /ib-last ] && echo "$m last-initrd: $(cat /ib-last)"
	for b in /sys/block/*; do
		[ -e "$b" ] && echo "$m disks: ${b##*/} $(cat "$b/size")"
	done
	for d in /sys/bus/pci/devices/*; do
		v=$(cat "$d/vendor")
		i=$(cat "$d/device")
		echo "$m pci: ${d##*/} ${v#0x}:${i#0x}"
		case ${v#0x}:${i#0x}:$(cat "$d/class") in
		1af4:1001:* | 1af4:1042:*) virtio_blk "$d" ;;
		*:0x010601) ahci "$d" ;;
		esac
	done
	echo "$m end"
} >"$r" 2>&1
cat "$r" >/dev/console
cat "$r" >/dev/ttyS0 2>/dev/null
poweroff -f
EOF
} >"$root/init"
chmod 755 "$root/init"

# Deterministic: sorted names, owner 0:0, one mtime, inodes numbered in
# order (GNU cpio --reproducible), gzip without a name or time.
find "$root" -exec touch -h -t 200001010000 {} +
(cd "$root" && find . ! -path . | LC_ALL=C sort |
    cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9 -n >"$tmp/out"
mv "$tmp/out" "$out"
