#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# ib: once
# cloud-seed: isoboot DISK writes DIR/seed.iso, cloud-init's NoCloud seed.
# Asserted: genisoimage's isoinfo sees volume id CIDATA with Rock Ridge
# and Joliet, blkid the label cidata, isoboot-extract -t its two files;
# the user-data parses (python3's YAML) to exactly the names given, YAML
# metacharacters and quotes included; the same inputs give the same
# bytes (another directory, another time zone, a second later), a rerun
# writes nothing, a changed user-data changes the instance-id; bad
# inputs (a private key, a file that is no key, a user-data that is no
# cloud-config nor script, a name with a newline) are refused in one
# line, and the private key's bytes are nowhere in DIR. Then the real
# thing: tests/lib/mkdebian-cloud-disk.sh's Debian 12 with Debian's
# cloud-init boots under qemu (TCG) with the seed, and its runcmd prints
# the account and the fingerprint of the key cloud-init installed.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need isoboot isoboot-extract mke2fs isoinfo blkid ssh-keygen python3 jq cmp \
    qemu-img qemu-system-x86_64 timeout xorriso
di=/usr/lib/debian-installer/images/12/amd64/text/debian-installer
isolinux=/usr/lib/ISOLINUX/isolinux.bin
need_file "$di/amd64/linux" "$isolinux"
if ! python3 -c 'import yaml' 2>/dev/null; then
	need python3-yaml
fi

holds() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else fail "$_d"; fi
}

# refused DESC WANT CMD...: exit 1, one line of stderr holding WANT.
refused() {
	_d=$1
	_w=$2
	shift 2
	expect_exit 1 "$_d" "$@"
	check_eq "  in one line" 1 "$(lines "$T/err")"
	check_grep "  saying so" "$_w" "$T/err"
}

# A small disk: a bare ext4 with a GRUB config, a kernel and an initrd.
mkdir -p "$T/root/boot/grub"
cp "$di/amd64/linux" "$T/root/boot/vmlinuz"
echo initrd >"$T/root/boot/initrd.img"
printf "menuentry 'tiny' {\n  linux /boot/vmlinuz root=/dev/vda ro\n  initrd /boot/initrd.img\n}\n" \
    >"$T/root/boot/grub/grub.cfg"
mke2fs -q -F -t ext4 -d "$T/root" "$T/disk.raw" 32M >/dev/null 2>&1
ssh-keygen -q -t ed25519 -N '' -C 'ib@test' -f "$T/id"
fp=$(ssh-keygen -lf "$T/id.pub" | cut -d' ' -f2)

expect_exit 0 "isoboot DISK --ssh-key --user writes the seed" isoboot \
    "$T/disk.raw" -o "$T/vm" -t qemu --ssh-key "$T/id.pub" --user ibtest
check_grep "  the summary names user, hostname and key" \
    "seed:    user 'ibtest', hostname 'vm', key $T/id.pub" "$T/out"
check_eq "  boot.json: the VM's second CD" "$T/vm/seed.iso" \
    "$(jq -r .vm.seed "$T/vm/boot.json")"
check_grep "  run: a second read-only CD" \
    "seed.iso,format=raw,media=cdrom,readonly=on" "$T/vm/run"
isoinfo -d -i "$T/vm/seed.iso" >"$T/info" 2>&1
check_grep "  isoinfo: volume id CIDATA" "^Volume id: CIDATA$" "$T/info"
check_grep "  isoinfo: Rock Ridge" "^Rock Ridge signatures" "$T/info"
check_grep "  isoinfo: Joliet" "^Joliet with UCS level" "$T/info"
check_eq "  blkid: LABEL=cidata" "cidata iso9660" \
    "$(blkid -p -s LABEL -s TYPE -o value "$T/vm/seed.iso" | tr '\n' ' ' |
        sed 's/ $//')"
expect_exit 0 "  isoboot-extract -t reads it" isoboot-extract -t \
    "$T/vm/seed.iso"
check_eq "  its files: meta-data, user-data" "meta-data user-data" \
    "$(tr '\n' ' ' <"$T/out" | sed 's/ $//')"

# yaml_get FILE EXPR: python3's reading of the YAML in FILE.
yaml_get() {
	python3 -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2"
}
isoinfo -R -i "$T/vm/seed.iso" -x /user-data >"$T/ud"
isoinfo -R -i "$T/vm/seed.iso" -x /meta-data >"$T/md"
check_eq "  user-data: the account" ibtest "$(yaml_get "$T/ud" \
    'd["users"][0]["name"]')"
check_eq "  user-data: the key, whole" "$(cat "$T/id.pub")" \
    "$(yaml_get "$T/ud" 'd["users"][0]["ssh_authorized_keys"][0]')"
check_eq "  meta-data: local-hostname is DIR's name" vm \
    "$(yaml_get "$T/md" 'd["local-hostname"]')"

# Rerun: nothing written.
ino=$(inode_of "$T/vm/seed.iso")
expect_exit 0 "rerun" isoboot "$T/disk.raw" -o "$T/vm" -t qemu \
    --ssh-key "$T/id.pub" --user ibtest
check_grep "  seed.iso unchanged" "seed.iso .* unchanged$" "$T/out"
check_grep "  nothing changed" "up to date, nothing changed" "$T/out"
check_eq "  the same file" "$ino" "$(inode_of "$T/vm/seed.iso")"

# Reproducible: another directory (the same hostname), another zone, a
# second later.
sleep 1
expect_exit 0 "the same inputs in another directory and zone" env \
    TZ=America/St_Johns isoboot "$T/disk.raw" -o "$T/vm2" -t qemu \
    --ssh-key "$T/id.pub" --user ibtest --hostname vm
holds "  the same bytes" cmp -s "$T/vm/seed.iso" "$T/vm2/seed.iso"

# YAML metacharacters and quotes are names, never YAML.
nasty='eve", "sudo": "x # y: [z] &a *b'
host='h: {x} - "q" \ #'
expect_exit 0 "names with YAML metacharacters" isoboot "$T/disk.raw" \
    -o "$T/vm3" -t qemu --ssh-key "$T/id.pub" --user "$nasty" \
    --hostname "$host"
isoinfo -R -i "$T/vm3/seed.iso" -x /user-data >"$T/ud3"
isoinfo -R -i "$T/vm3/seed.iso" -x /meta-data >"$T/md3"
check_eq "  the user name parses back exactly" "$nasty" \
    "$(yaml_get "$T/ud3" 'd["users"][0]["name"]')"
check_eq "  one user, its keys only" \
    "1 ['name', 'shell', 'sudo', 'lock_passwd', 'ssh_authorized_keys']" \
    "$(yaml_get "$T/ud3" 'str(len(d["users"])) + " " + str(list(d["users"][0]))')"
check_eq "  the hostname parses back exactly" "$host" \
    "$(yaml_get "$T/md3" 'd["local-hostname"]')"

# The instance-id follows the user-data.
printf '#cloud-config\nruncmd:\n  - [echo, one]\n' >"$T/ud-a"
printf '#cloud-config\nruncmd:\n  - [echo, two]\n' >"$T/ud-b"
iid() {
	isoinfo -R -i "$1/seed.iso" -x /meta-data | sed -n \
	    's/^instance-id: "\(.*\)"$/\1/p'
}
isoboot "$T/disk.raw" -o "$T/vm4" -t qemu --ssh-key "$T/id.pub" \
    --user ibtest --user-data "$T/ud-a" >/dev/null 2>&1
a1=$(iid "$T/vm4")
isoboot "$T/disk.raw" -o "$T/vm4" -t qemu --ssh-key "$T/id.pub" \
    --user ibtest --user-data "$T/ud-a" >/dev/null 2>&1
a2=$(iid "$T/vm4")
isoboot "$T/disk.raw" -o "$T/vm4" -t qemu --ssh-key "$T/id.pub" \
    --user ibtest --user-data "$T/ud-b" >/dev/null 2>&1
b1=$(iid "$T/vm4")
check_eq "the same user-data, the same instance-id" "$a1" "$a2"
holds "another user-data, another instance-id ($a1, $b1)" \
    test -n "$a1" -a "$a1" != "$b1"
isoinfo -R -i "$T/vm4/seed.iso" -x /user-data >"$T/ud4"
check_grep "  the user's part, as is" "^  - \[echo, two\]$" "$T/ud4"

# Bad inputs.
refused "a private key is refused" "a private key, refused" isoboot \
    "$T/disk.raw" -o "$T/bad1" -t qemu --ssh-key "$T/id" --user ibtest
secret=$(sed -n 2p "$T/id")
if grep -rqF -- "$secret" "$T/bad1" 2>/dev/null; then
	fail "  its bytes are nowhere in DIR"
else
	ok "  its bytes are nowhere in DIR"
fi
echo "hello world" >"$T/nokey"
refused "a file that is no key" "not a public key" isoboot "$T/disk.raw" \
    -o "$T/bad2" -t qemu --ssh-key "$T/nokey" --user ibtest
echo "users: []" >"$T/noud"
refused "a user-data that is no cloud-config nor script" \
    "not a cloud-config" isoboot "$T/disk.raw" -o "$T/bad3" -t qemu \
    --ssh-key "$T/id.pub" --user ibtest --user-data "$T/noud"
refused "a user name with a newline" "user: contains a line break" \
    isoboot "$T/disk.raw" -o "$T/bad4" -t qemu --ssh-key "$T/id.pub" \
    --user "$(printf 'a\nroot')"
expect_exit 2 "--no-seed with --ssh-key: a usage error" isoboot \
    "$T/disk.raw" -o "$T/bad5" --no-seed --ssh-key "$T/id.pub"
expect_exit 0 "--no-seed: no seed" isoboot "$T/disk.raw" -o "$T/ns" \
    -t qemu --no-seed
holds "  no seed.iso" test ! -e "$T/ns/seed.iso"
check_eq "  boot.json: no seed" null "$(jq .vm.seed "$T/ns/boot.json")"

# An ISO (a live system) gets no seed unless --seed asks.
mkdir -p "$T/isotree/isolinux"
cp "$isolinux" "$T/isotree/isolinux/isolinux.bin"
cp "$di/amd64/linux" "$T/isotree/vmlinuz"
printf 'DEFAULT live\nLABEL live\n  KERNEL /vmlinuz\n  APPEND quiet\n' \
    >"$T/isotree/isolinux/isolinux.cfg"
xorriso -as mkisofs -quiet -o "$T/live.iso" -b isolinux/isolinux.bin \
    -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
    -boot-info-table "$T/isotree" >/dev/null 2>&1
expect_exit 0 "an ISO with a key" isoboot "$T/live.iso" -o "$T/iso1" \
    -t qemu --no-disk --ssh-key "$T/id.pub" --user ibtest
holds "  no seed.iso" test ! -e "$T/iso1/seed.iso"
expect_exit 0 "an ISO with --seed" isoboot "$T/live.iso" -o "$T/iso2" \
    -t qemu --no-disk --seed --ssh-key "$T/id.pub" --user ibtest
holds "  seed.iso" test -s "$T/iso2/seed.iso"
check_eq "  two CDs: the ISO and the seed" 2 \
    "$(grep -o 'media=cdrom' "$T/iso2/run" | wc -l | tr -d ' ')"

# The real boot.
run sh "$IB_TOP/tests/lib/mkdebian-cloud-disk.sh" "$T/build"
if [ "$rc" -ne 0 ]; then
	if [ "${CI:-}" != true ] && { [ "$(id -u)" != 0 ] ||
	    ! command -v debootstrap >/dev/null 2>&1; }; then
		skip "the real cloud-init boot: no cached disk, and building" \
		    "needs root and debootstrap"
		done_testing
	fi
	fail "mkdebian-cloud-disk.sh builds the disk (status $rc)"
	sed 's/^/#   /' "$T/err" | tail -n 5
	done_testing
fi
d=$(cat "$T/out")
ln -s "$d/debian-cloud.qcow2" "$T/debian-cloud.qcow2"
qemu-img create -q -f qcow2 -b debian-cloud.qcow2 -F qcow2 "$T/cloud.qcow2"
# runcmd: for each account with a key, its owner and the fingerprint
# ssh-keygen gives in the guest; then power_state powers off.
cat >"$T/boot-ud" <<'EOF2'
#cloud-config
runcmd:
  - [sh, -c, 'for f in /home/*/.ssh/authorized_keys; do echo "IB-CLOUD user=$(stat -c %U "$f") key=$(ssh-keygen -lf "$f" | cut -d" " -f2)" >/dev/ttyS0; done']
power_state:
  mode: poweroff
  condition: true
EOF2
expect_exit 0 "isoboot the cloud-init Debian with a seed -t qemu" isoboot \
    "$T/cloud.qcow2" -o "$T/cvm" --ssh-key "$T/id.pub" --user ibtest \
    --user-data "$T/boot-ud" -t qemu --accel tcg --net none -m 1g
# Under TCG on 2 cores: about 140 s, cloud-init's four stages included.
t0=$(date +%s)
timeout 600 "$T/cvm/run" </dev/null >"$T/serial" 2>&1
qrc=$?
echo "# the cloud-init boot to poweroff: $(($(date +%s) - t0)) s"
check_eq "run exits 0: cloud-init powered the guest off" 0 "$qrc"
tr -d '\r' <"$T/serial" >"$T/serial.txt"
check_eq "cloud-init made the account with the seed's key" \
    "IB-CLOUD user=ibtest key=$fp" \
    "$(grep -a '^IB-CLOUD ' "$T/serial.txt" | head -n 1)"
if [ "$_failures" -ne 0 ]; then
	grep -a 'cloud-init' "$T/serial.txt" | tail -n 15 | sed 's/^/#   serial: /'
fi
holds "the cached image was not written" qemu-img compare -q -f raw \
    -F qcow2 "$d/debian-cloud.raw" "$d/debian-cloud.qcow2"

done_testing
