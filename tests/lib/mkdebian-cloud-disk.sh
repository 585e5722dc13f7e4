#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mkdebian-cloud-disk.sh OUTDIR: the Debian 12 disk of mkdebian-disk.sh
# with Debian's cloud-init package, for the seed's real boot; built once
# from that disk and cached by content. Prints (stdout, one line) the
# cache directory that holds:
#
#   debian-cloud.raw    the disk (same layout, identities and grub.cfg)
#   debian-cloud.qcow2  the same, qemu-img convert -c -O qcow2
#   EXPECTED            the base disk's lines, and CLOUD_INIT=<version>
#
# The root file system is the base disk's, dumped with debugfs rdump (no
# mount), with cloud-init and openssh-client installed by apt in a chroot
# and the datasource list debconf gives (cloud-init's own default list,
# NoCloud first, in /etc/cloud/cloud.cfg.d/90_dpkg.cfg, written as the
# postinst writes it when it did not; checked). The
# base's ib-marker unit is disabled: the user-data says what to print and
# powers off. Cache key: this script, the base's key and the candidate
# cloud-init version. Needs root and Debian's mirror unless cached.
set -u
if [ $# -ne 1 ]; then
	echo "usage: mkdebian-cloud-disk.sh OUTDIR" >&2
	exit 2
fi
outdir=$1
LC_ALL=C
export LC_ALL

die() {
	echo "mkdebian-cloud-disk: $*" >&2
	exit 1
}
say() { echo "mkdebian-cloud-disk: $*" >&2; }

here=$(cd "$(dirname "$0")" && pwd)
base=$(sh "$here/mkdebian-disk.sh" "$outdir") || die "no base disk"
mkdir -p "$outdir" || die "cannot make $outdir"
log=$(cd "$outdir" && pwd)/mkdebian-cloud-disk.log
version=$(apt-cache madison cloud-init 2>/dev/null | awk -F'|' \
    'index($3, " bookworm") { gsub(/ /, ""); print $2; exit }')
key=$({ cat "$here/mkdebian-cloud-disk.sh" && basename "$base" &&
    echo "${version:-unknown}"; } | sha256sum | cut -c1-16) ||
    die "cannot hash"
cache=$(dirname "$base")
final=$cache/debian-cloud-$key
if [ -f "$final/EXPECTED" ]; then
	echo "$final"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "no cache at $final, and building needs root"
for c in debugfs chroot mke2fs e2fsck qemu-img dd; do
	command -v "$c" >/dev/null 2>&1 || die "'$c' missing (run make deps)"
done
if command -v flock >/dev/null 2>&1; then
	exec 9>"$cache/.debian-cloud-$key.lock"
	flock 9 || die "cannot lock"
	if [ -f "$final/EXPECTED" ]; then
		echo "$final"
		exit 0
	fi
	rm -rf --one-file-system "$cache/.debian-cloud-$key.tmp".*
fi
tmp=$cache/.debian-cloud-$key.tmp.$$
root=$tmp/root
out=$tmp/out
cleanup() { rm -rf --one-file-system "$tmp"; }
trap cleanup EXIT
trap 'die interrupted' HUP INT TERM
mkdir -p "$root" "$out" || die "cannot make $tmp"
: >"$log"
step() {
	_d=$1
	shift
	echo "== $_d: $*" >>"$log"
	"$@" >>"$log" 2>&1 || die "$_d failed (log: $log)"
}
inroot() {
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	    LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"
}
exp() { sed -n "s/^$1=//p" "$base/EXPECTED"; }
started=$(date +%s)
root_start=$(exp ROOT_START)
root_uuid=$(exp ROOT_UUID)
sectors=$(($(wc -c <"$base/debian.raw") / 512))
# The root runs to 1 MiB before the end (the backup GPT).
root_size=$((sectors - 2048 - root_start))

say "dumping the base root file system"
step "dd the root" dd if="$base/debian.raw" of="$tmp/base.ext4" bs=512 \
    skip="$root_start" count="$root_size" conv=sparse
for e in $(debugfs -R "ls -p /" "$tmp/base.ext4" 2>/dev/null |
    awk -F/ '$6 != "." && $6 != ".." && $6 != "" { print $6 }'); do
	step "rdump /$e" debugfs -R "rdump /$e $root" "$tmp/base.ext4"
done
rm -f "$tmp/base.ext4"
[ -x "$root/usr/bin/apt-get" ] || die "the dump has no apt-get"

say "apt-get install cloud-init ${version:-} (a few minutes)"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
if [ -z "${http_proxy:-}" ]; then
	proxy=$(apt-config shell p Acquire::http::Proxy 2>/dev/null |
	    sed -n "s/^p='\(.*\)'$/\1/p")
	[ -z "$proxy" ] || { http_proxy=$proxy && export http_proxy; }
fi
step "apt-get update" inroot ${http_proxy:+env http_proxy="$http_proxy"} \
    apt-get update
step "apt-get install" inroot ${http_proxy:+env http_proxy="$http_proxy"} \
    apt-get install -y --no-install-recommends cloud-init openssh-client
step "apt-get clean" inroot apt-get clean
rm -rf "$root/var/lib/apt/lists/"* "$root/etc/resolv.conf"
# Debian's package writes 90_dpkg.cfg from debconf in its postinst; when
# that did not happen, the same file with debconf's default list.
dpkg=$root/etc/cloud/cloud.cfg.d/90_dpkg.cfg
ls -l "$root/etc/cloud/cloud.cfg.d" >>"$log" 2>&1
if [ ! -f "$dpkg" ]; then
	cat >"$dpkg" <<'EOF'
# to update this file, run dpkg-reconfigure cloud-init
datasource_list: [ NoCloud, ConfigDrive, OpenNebula, DigitalOcean, Azure, AltCloud, OVF, MAAS, GCE, OpenStack, CloudSigma, SmartOS, Bigstep, Scaleway, AliYun, Ec2, CloudStack, Hetzner, IBMCloud, Oracle, Exoscale, RbxCloud, UpCloud, VMware, Vultr, LXD, NWCS, None ]
EOF
fi
grep -q '^datasource_list: .*NoCloud' \
    "$root/etc/cloud/cloud.cfg.d/90_dpkg.cfg" ||
    die "90_dpkg.cfg has no NoCloud in its datasource_list"
rm -f "$root/etc/systemd/system/multi-user.target.wants/ib-marker.service"
# shellcheck disable=SC2016 # ${Version} is dpkg-query's format
got=$(inroot dpkg-query -W -f '${Version}' cloud-init) ||
    die "cloud-init not installed"

say "mke2fs -d"
cp "$root/etc/mke2fs.conf" "$tmp/mke2fs.conf"
step mke2fs env MKE2FS_CONFIG="$tmp/mke2fs.conf" mke2fs -q -F -t ext4 \
    -U "$root_uuid" -E "hash_seed=$root_uuid,nodiscard" -d "$root" \
    "$tmp/root.ext4" "$((root_size / 2))k"
step e2fsck e2fsck -fn "$tmp/root.ext4"
rm -rf --one-file-system "$root"
raw=$out/debian-cloud.raw
step "copy the base disk" cp --sparse=always "$base/debian.raw" "$raw"
step "dd the root" dd if="$tmp/root.ext4" of="$raw" bs=1M \
    seek="$((root_start / 2048))" conv=notrunc,sparse
rm -f "$tmp/root.ext4"
say "qemu-img convert -c"
step "qemu-img convert" qemu-img convert -c -O qcow2 "$raw" \
    "$out/debian-cloud.qcow2"
{ grep -v '^MARKER=' "$base/EXPECTED" && echo "CLOUD_INIT=$got"; } \
    >"$out/EXPECTED" || die "cannot write EXPECTED"
mv -T "$out" "$final" || die "cannot rename $out to $final"
say "built $final in $(($(date +%s) - started)) s"
echo "$final"
