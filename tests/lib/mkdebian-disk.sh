#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mkdebian-disk.sh OUTDIR: a real installed Debian 12 (bookworm) on a GPT
# disk image, for the tests, built once and cached by content. Prints
# (stdout, one line) the cache directory that holds:
#
#   debian.raw    2 GiB sparse GPT disk: 1 = 1 MiB BIOS boot, 2 = 200 MiB
#                 EFI System (FAT32, only EFI/BOOT), 3 = ext4 root
#   debian.qcow2  the same, qemu-img convert -c -O qcow2
#   EXPECTED      KEY=value lines the tests compare with (see the end)
#
# The root is debootstrap --variant=minbase with the kernel, the
# system's own update-initramfs (MODULES=most) and the real grub-mkconfig
# in a chroot; the disk is put together from files (sfdisk on the image,
# mke2fs -d, mkfs.vfat, dd): no mount, no loop device. A systemd unit,
# ib-marker.service, writes "IB-MARKER cmdline: <the bytes of
# /proc/cmdline>" to /dev/ttyS0 once the system is up, then powers off.
# Not a test: tests/e2e/*.sh run it. Needs root (debootstrap, chroot)
# and Debian's mirror, unless the cache is already there.
#
# Cache: ${IB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/isoboot-tests}/
# debian-disk-KEY, KEY the sha256 (16 digits) of this script and of the
# versions of the main packages in the host's apt lists for bookworm/main.
# A complete directory (EXPECTED is written last) is printed at once; a
# build runs in a directory beside it, under a lock, and is renamed into
# place at the end. OUTDIR receives the build's log, mkdebian-disk.log.
# Progress goes to stderr; on failure, one line and exit 1.
#
# IB_DEBIAN_MIRROR overrides the mirror (default: the one apt uses for
# bookworm main, else http://deb.debian.org/debian); apt's
# Acquire::http::Proxy is used when http_proxy is unset.
set -u
if [ $# -ne 1 ]; then
	echo "usage: mkdebian-disk.sh OUTDIR" >&2
	exit 2
fi
outdir=$1
LC_ALL=C
export LC_ALL

die() {
	echo "mkdebian-disk: $*" >&2
	exit 1
}
say() { echo "mkdebian-disk: $*" >&2; }

# The layout, in 512-byte sectors, and the fixed identities.
DISK_SECTORS=4194304 # 2 GiB
BIOS_START=2048
BIOS_SIZE=2048 # 1 MiB
ESP_START=4096
ESP_SIZE=409600 # 200 MiB
ROOT_START=413696
ROOT_SIZE=3778560 # up to 1 MiB before the end (the backup GPT)
DISK_GUID=1500B007-D15C-4000-8000-000000000000
BIOS_PARTUUID=1500B007-0001-4000-8000-000000000001
ESP_PARTUUID=1500B007-0002-4000-8000-000000000002
ROOT_PARTUUID=1500B007-0003-4000-8000-000000000003
ESP_VOLID=1500B007
ROOT_UUID=1500b007-e474-4000-8000-0000000000e4
MACHINE_ID=1500b007e4744000800000000000000e
MARKER=IB-MARKER
SUITE=bookworm
INCLUDE=linux-image-amd64,initramfs-tools,systemd-sysv,udev,kmod
# What a real install also has: initramfs-tools' recommends (zstd is
# initramfs.conf's COMPRESS) and GRUB for BIOS, for grub-mkconfig.
INCLUDE=$INCLUDE,busybox,zstd,grub-pc-bin,grub2-common

mkdir -p "$outdir" || die "cannot make $outdir"
log=$(cd "$outdir" && pwd)/mkdebian-disk.log

# The key: this script, and what debootstrap will install as far as the
# host's apt lists know (rows of bookworm/main only: debootstrap takes
# neither -updates nor -security).
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
versions=$(apt-cache madison linux-image-amd64 initramfs-tools systemd \
    grub2-common 2>/dev/null | awk -F'|' -v s="$SUITE/main" \
    'index($3, " " s " ") { gsub(/ /, ""); print $1 "=" $2 }')
key=$({ cat "$self" && echo "${versions:-unknown}"; } | sha256sum |
    cut -c1-16) || die "cannot hash $self"
cache=${IB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/isoboot-tests}
final=$cache/debian-disk-$key
if [ -f "$final/EXPECTED" ]; then
	echo "$final"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "no cache at $final, and building needs root"
for c in debootstrap chroot mke2fs e2fsck mkfs.vfat mmd sfdisk qemu-img \
    setpriv sha256sum; do
	command -v "$c" >/dev/null 2>&1 || die "'$c' missing (run make deps)"
done
mkdir -p "$cache" || die "cannot make $cache"

# One build per key at a time; a second caller waits, then finds it.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$cache/.debian-disk-$key.lock"
	flock 9 || die "cannot lock $cache/.debian-disk-$key.lock"
	if [ -f "$final/EXPECTED" ]; then
		echo "$final"
		exit 0
	fi
	# Under the lock, a build directory of this key is an interrupted one.
	rm -rf --one-file-system "$cache/.debian-disk-$key.tmp".*
fi
tmp=$cache/.debian-disk-$key.tmp.$$
root=$tmp/root
out=$tmp/out
cleanup() { rm -rf --one-file-system "$tmp"; }
trap cleanup EXIT
trap 'die interrupted' HUP INT TERM
mkdir -p "$root" "$out" || die "cannot make $tmp"
: >"$log"

# inroot CMD...: run CMD in the chroot, with a clean environment.
inroot() {
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	    LC_ALL=C "$@"
}

# step DESC CMD...: run CMD with its output in the log; die on failure.
step() {
	_d=$1
	shift
	echo "== $_d: $*" >>"$log"
	"$@" >>"$log" 2>&1 || die "$_d failed (log: $log)"
}

# shellcheck disable=SC2016 # $(...) is apt's format, not the shell's
mirror=${IB_DEBIAN_MIRROR:-$(apt-get indextargets --format \
    '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Created-By: Packages' \
    2>/dev/null | awk -v s="$SUITE" '$2 == s && $3 == "main" { print $1;
    exit }')}
mirror=${mirror:-http://deb.debian.org/debian}
if [ -z "${http_proxy:-}" ]; then
	proxy=$(apt-config shell p Acquire::http::Proxy 2>/dev/null |
	    sed -n "s/^p='\(.*\)'$/\1/p")
	if [ -n "$proxy" ]; then
		http_proxy=$proxy
		export http_proxy
	fi
fi

# debootstrap tries to mount /proc and /sys in the target and goes on
# when it cannot (a warning in the log). Without CAP_SYS_ADMIN it cannot:
# no mount ever happens, here or in a container, and the result is the
# same everywhere. What the missing /proc changes: systemd's postinst
# skips systemd-tmpfiles, so /etc/mtab is made below and the rest
# (/root/.ssh, /var/lib/systemd/{coredump,pstore}, /var/lib/private)
# appears at the first boot, from systemd-tmpfiles-setup.service.
started=$(date +%s)
say "debootstrap $SUITE from $mirror (a few minutes)"
step debootstrap setpriv --bounding-set -sys_admin --inh-caps -sys_admin \
    debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$root" \
    "$mirror"
kver=$(cd "$root/boot" && for k in vmlinuz-*; do echo "${k#vmlinuz-}"; done)
case $kver in
'' | *[!A-Za-z0-9.+_-]*) die "no single kernel in $root/boot: '$kver'" ;;
esac

say "configuring the root file system (kernel $kver)"
printf 'UUID=%s / ext4 defaults 0 1\n' "$ROOT_UUID" >"$root/etc/fstab"
echo debian >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n' \
    >"$root/etc/hosts"
echo "$MACHINE_ID" >"$root/etc/machine-id"
rm -f "$root/etc/resolv.conf" # the host's, copied by debootstrap
ln -sfn ../proc/self/mounts "$root/etc/mtab"
# Root stays locked (root:* in /etc/shadow, as debootstrap leaves it).

cat >"$root/usr/local/sbin/ib-marker" <<EOF
#!/bin/sh
# isoboot tests: the system is up. Report the kernel command line on the
# serial port, in one write, then power off.
printf '%s cmdline: %s\n' "$MARKER" "\$(cat /proc/cmdline)" >/dev/ttyS0
exec systemctl --no-block poweroff
EOF
chmod 755 "$root/usr/local/sbin/ib-marker"
cat >"$root/etc/systemd/system/ib-marker.service" <<'EOF'
[Unit]
Description=isoboot tests: report /proc/cmdline on ttyS0, then power off
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/ib-marker

[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sfn /etc/systemd/system/ib-marker.service \
    "$root/etc/systemd/system/multi-user.target.wants/ib-marker.service"

# update-initramfs (its fsck hook) and grub-mkconfig (10_linux) look at
# the device under /, and here there is none but the host's disk. For
# their runs the chroot gets a stand-in of the installed system's root
# device: /dev/vda3 a small file holding an ext4 with the root's UUID,
# /dev/disk/by-uuid/UUID linking to it as udev does, and blkid's cache
# knowing it (without /proc, blkid finds no device by itself).
mkdir -p "$root/dev/disk/by-uuid" "$root/run/blkid" "$root/boot/grub"
step "the stand-in /dev/vda3" dd if=/dev/null of="$root/dev/vda3" bs=1M \
    seek=8
step "the stand-in /dev/vda3" mke2fs -q -F -t ext4 -U "$ROOT_UUID" \
    "$root/dev/vda3"
ln -s ../../vda3 "$root/dev/disk/by-uuid/$ROOT_UUID"
printf '<device DEVNO="0xfe03" TIME="1.1" UUID="%s" TYPE="ext4">/dev/vda3</device>\n' \
    "$ROOT_UUID" >"$root/run/blkid/blkid.tab"

# The initramfs, by the system's own update-initramfs. MODULES=most (the
# default) takes virtio_pci, virtio_blk and ext4, and the fsck hook
# e2fsck; checked below.
grep -q '^MODULES=most$' "$root/etc/initramfs-tools/initramfs.conf" ||
    die "initramfs.conf does not say MODULES=most"
say "update-initramfs"
step update-initramfs inroot update-initramfs -u -k "$kver"
inroot lsinitramfs "/boot/initrd.img-$kver" >"$tmp/initrd.list" \
    2>>"$log" || die "lsinitramfs failed (log: $log)"
for f in virtio_pci.ko virtio_blk.ko ext4.ko fsck.ext4; do
	grep -q "/$f" "$tmp/initrd.list" || die "the initrd lacks $f"
done

# /etc/default/grub as grub-pc's postinst installs it (ucf, from
# /usr/share/grub/default/grub), with GRUB_CMDLINE_LINUX as debconf sets.
sed 's/^GRUB_CMDLINE_LINUX=""$/GRUB_CMDLINE_LINUX="console=ttyS0"/' \
    "$root/usr/share/grub/default/grub" >"$root/etc/default/grub"
grep -q '^GRUB_CMDLINE_LINUX="console=ttyS0"$' "$root/etc/default/grub" ||
    die "/usr/share/grub/default/grub has no GRUB_CMDLINE_LINUX=\"\""

# grub.cfg by the real grub-mkconfig and /etc/grub.d. Only grub-probe
# cannot work: it finds the device of / through the mounts, and GRUB's
# view of it by reading the disk. For the run, a stand-in takes its place
# and answers what GRUB 2.06's grub-probe answers on the installed
# system, root on /dev/vda3 (a virtio disk): device /dev/vda3, fs ext2,
# fs_uuid and partuuid, partmap gpt, no abstraction, and no
# compatibility hint nor hints_string (util/grub-probe.c guesses BIOS,
# EFI and baremetal drive names for sd*, hd* and fd* only).
say "grub-mkconfig"
probe=$root/usr/sbin/grub-probe
mv "$probe" "$probe.ib-real" || die "no grub-probe in the chroot"
cat >"$probe" <<EOF
#!/bin/sh
# mkdebian-disk.sh's stand-in for grub-probe (see there).
t=fs
while [ \$# -gt 0 ]; do
	case \$1 in
	--target=*) t=\${1#--target=} ;;
	-t) t=\$2; shift ;;
	esac
	shift
done
case \$t in
device) echo /dev/vda3 ;;
fs) echo ext2 ;;
fs_uuid) echo $ROOT_UUID ;;
partuuid) echo $ROOT_PARTUUID | tr A-F a-f ;;
partmap) echo gpt ;;
abstraction | cryptodisk_uuid | compatibility_hint | hints_string) echo ;;
*) echo "grub-probe stand-in: target \$t not known" >&2; exit 1 ;;
esac
EOF
chmod 755 "$probe"
inroot grub-mkconfig -o /boot/grub/grub.cfg >>"$log" 2>&1
rc=$?
mv "$probe.ib-real" "$probe"
rm -rf "${root:?}/dev/disk" "${root:?}/dev/vda3" "${root:?}/run/blkid"
[ "$rc" -eq 0 ] || die "grub-mkconfig failed (log: $log)"
cfg=$root/boot/grub/grub.cfg

# CMDLINE: the arguments of the default entry's (the first) linux line
# after the kernel's path, one space apart as GRUB's parser splits them.
# GRUB itself passes "BOOT_IMAGE=/boot/vmlinuz-$kver" in front of them.
set -f
# shellcheck disable=SC2046 # split into words on purpose
set -- $(awk '$1 == "linux" { $1 = ""; print; exit }' "$cfg")
set +f
[ "${1:-}" = "/boot/vmlinuz-$kver" ] ||
    die "grub.cfg: the first linux line loads '${1:-}'"
shift
cmdline=$*
[ "$cmdline" = "root=UUID=$ROOT_UUID ro console=ttyS0 quiet" ] ||
    die "grub.cfg: unexpected linux arguments '$cmdline'"
awk -v i="/boot/initrd.img-$kver" '$1 == "initrd" && $2 == i && NF == 2 {
    f = 1 } END { exit !f }' "$cfg" ||
    die "grub.cfg: no initrd line for $kver"
debian_version=$(cat "$root/etc/debian_version")

step "apt-get clean" inroot apt-get clean

# The root file system, with Debian 12's own mke2fs.conf (the features
# its installer gives ext4), from the tree: mke2fs -d, no mount.
say "mke2fs -d"
cp "$root/etc/mke2fs.conf" "$tmp/mke2fs.conf"
step mke2fs env MKE2FS_CONFIG="$tmp/mke2fs.conf" mke2fs -q -F -t ext4 \
    -U "$ROOT_UUID" -E "hash_seed=$ROOT_UUID,nodiscard" -d "$root" \
    "$tmp/root.ext4" "$((ROOT_SIZE / 2))k"
step e2fsck e2fsck -fn "$tmp/root.ext4"
rm -rf --one-file-system "$root"

say "mkfs.vfat"
step mkfs.vfat mkfs.vfat -C -F 32 -i "$ESP_VOLID" "$tmp/esp.vfat" \
    "$((ESP_SIZE / 2))"
step mmd mmd -i "$tmp/esp.vfat" ::EFI ::EFI/BOOT

say "partitioning and assembling debian.raw"
raw=$out/debian.raw
step "make the sparse disk" dd if=/dev/null of="$raw" bs=512 \
    seek="$DISK_SECTORS"
cat >"$tmp/sfdisk" <<EOF
label: gpt
label-id: $DISK_GUID
unit: sectors
sector-size: 512

start=$BIOS_START, size=$BIOS_SIZE, type=21686148-6449-6E6F-744E-656564454649, uuid=$BIOS_PARTUUID
start=$ESP_START, size=$ESP_SIZE, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$ESP_PARTUUID
start=$ROOT_START, size=$ROOT_SIZE, type=0FC63DAF-8483-4772-8E79-3D69E4C9A0BE, uuid=$ROOT_PARTUUID
EOF
step sfdisk sfdisk --no-reread --no-tell-kernel -q "$raw" <"$tmp/sfdisk"
step "dd the ESP" dd if="$tmp/esp.vfat" of="$raw" bs=1M \
    seek="$((ESP_START / 2048))" conv=notrunc,sparse
step "dd the root" dd if="$tmp/root.ext4" of="$raw" bs=1M \
    seek="$((ROOT_START / 2048))" conv=notrunc,sparse
rm -f "$tmp/esp.vfat" "$tmp/root.ext4"

say "qemu-img convert -c"
step "qemu-img convert" qemu-img convert -c -O qcow2 "$raw" \
    "$out/debian.qcow2"

# Written last: its presence marks the directory complete.
cat >"$out/EXPECTED" <<EOF
# mkdebian-disk.sh: Debian $debian_version, kernel $kver, on debian.raw
# (and debian.qcow2). KERNEL and INITRD are paths in the root file system
# (partition 3). CMDLINE is the linux line of grub.cfg's default entry
# after the kernel's path; booting through GRUB, the kernel also gets
# BOOT_IMAGE=<KERNEL> in front of it. Once up, the system writes
# "<MARKER> cmdline: <the bytes of /proc/cmdline>" to ttyS0 and powers off.
KERNEL=/boot/vmlinuz-$kver
INITRD=/boot/initrd.img-$kver
CMDLINE=$cmdline
ROOT_UUID=$ROOT_UUID
MARKER=$MARKER
DEBIAN_VERSION=$debian_version
DISK_GUID=$DISK_GUID
BIOS_PARTUUID=$BIOS_PARTUUID
ESP_PARTUUID=$ESP_PARTUUID
ROOT_PARTUUID=$ROOT_PARTUUID
ESP_START=$ESP_START
ROOT_START=$ROOT_START
ESP_UUID=$(echo "$ESP_VOLID" | sed 's/^\(....\)/\1-/')
EOF
mv -T "$out" "$final" || die "cannot rename $out to $final"
say "built $final in $(($(date +%s) - started)) s"
echo "$final"
