#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot.mk: a user's Makefile that includes share/isoboot.mk makes the
# VM from an Alpine-shaped ISO (as isoboot-cmd-iso.sh masters it, with a
# second entry, lts, that has three initrds): the files are the image's,
# a second make does nothing, a change remakes only what it affects,
# disk.img is never touched, a failed or interrupted step leaves no half
# file under its final name, and clean-vm keeps the disk. The file uses
# no GNU make 4 feature: Debian has no make 3.81 to run it with, so this
# greps for them (with a make 3.81 first in PATH, the whole test runs on
# it). The two examples build: Alpine's with the fixture, Debian's
# netboot with the package's d-i tree mastered as a mini.iso-style ISO
# (the package has no mini.iso; IB_MINI_ISO names a real one to add).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need xorriso make
# make check's own flags (-s, -j, a jobserver, its variables) must not
# reach the makes under test.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
: "${IB_TOP:?run through make check}"
corpus=$IB_SHARED/bootcfg/alpine-3.12-virt-x86_64
di=/usr/lib/debian-installer/images/12/amd64/text
kernel=$di/debian-installer/amd64/linux
isolinux=/usr/lib/ISOLINUX/isolinux.bin
mk=$IB_TOP/share/isoboot.mk
need_file "$corpus/boot/syslinux/syslinux.cfg" "$kernel" "$isolinux" "$mk" \
    "$di/pxelinux.cfg/default"

# mtime_ns FILE: the modification time with its fraction of a second.
mtime_ns() {
	stat -c %y "$1" 2>/dev/null || stat -f %Fm "$1"
}

# size_of FILE: the size in bytes (ls -ln's fifth field).
size_of() {
	# shellcheck disable=SC2012 # ls -ln is the portable size
	ls -ln "$1" | awk '{ print $5 }'
}

# sig DIR: one line per entry of DIR: its name, mtime and inode.
sig() {
	for f in "$1"/* "$1"/.[!.]*; do
		[ -e "$f" ] || continue
		echo "$(basename "$f") $(mtime_ns "$f") $(inode_of "$f")"
	done
}

# entries DIR: the names in DIR, hidden ones too, on one line.
entries() {
	# shellcheck disable=SC2012 # names only, sorted by ls
	ls -A "$1" | tr '\n' ' ' | sed 's/ $//'
}

# m ARGS: make in the user's project, warning about undefined variables
# (collected in $T/warn for one check at the end).
m() {
	run make -C "$proj" --no-print-directory --warn-undefined-variables "$@"
	cat "$T/err" >>"$T/warn"
}

# check_rc DESC N: the last command's status was N (else show its stderr).
check_rc() {
	check_eq "$1" "$2" "$rc"
	if [ "$rc" -ne "$2" ]; then
		sed 's/^/#   /' "$T/err" | head -n 10
	fi
}

# check_idle DESC: the last make ran no tool and said it had nothing to
# do.
check_idle() {
	if grep -E 'isoboot-extract|syslinux2cmdline|mkdisk|isoboot-cmd' \
	    "$T/out" "$T/err" >/dev/null; then
		fail "$1: a tool ran"
		sed 's/^/#   /' "$T/out" | head -n 5
	elif grep -E "Nothing to be done|is up to date" "$T/out" >/dev/null; then
		ok "$1"
	else
		fail "$1: make did not say it had nothing to do"
		sed 's/^/#   /' "$T/out" | head -n 5
	fi
}

# check_no_half DESC DIR: DIR holds no temporary and no half-made output.
check_no_half() {
	_left=$(entries "$2" 2>/dev/null)
	case " $_left " in
	*" cmdline "* | *" run "* | *" boot.mk "* | *.tmp* | *.raw*)
		fail "$1 (left: $_left)"
		;;
	*) ok "$1" ;;
	esac
}

# The Alpine-shaped image, with a second entry.
mkdir -p "$T/tree/boot/syslinux"
cp "$corpus/boot/syslinux/syslinux.cfg" "$T/tree/boot/syslinux/"
cat >>"$T/tree/boot/syslinux/syslinux.cfg" <<'EOF'

LABEL lts
MENU LABEL Linux lts
KERNEL /boot/vmlinuz-lts
INITRD /boot/intel-ucode.img,/boot/amd-ucode.img,/boot/initramfs-lts
APPEND modules=loop,squashfs,sd-mod,usb-storage quiet
EOF
cp "$isolinux" "$T/tree/boot/syslinux/isolinux.bin"
cp "$kernel" "$T/tree/boot/vmlinuz-virt"
cp "$kernel" "$T/tree/boot/vmlinuz-lts"
head -c 300000 /dev/urandom >"$T/tree/boot/initramfs-virt"
head -c 1000 /dev/urandom >"$T/tree/boot/intel-ucode.img"
head -c 2000 /dev/urandom >"$T/tree/boot/amd-ucode.img"
head -c 3000 /dev/urandom >"$T/tree/boot/initramfs-lts"
iso=$T/alpine-virt-3.12.0-x86_64.iso
xorriso -as mkisofs -quiet -R -b boot/syslinux/isolinux.bin \
    -c boot/syslinux/boot.cat -no-emul-boot -boot-load-size 4 \
    -boot-info-table -o "$iso" "$T/tree" 2>/dev/null

# The user's project.
proj=$T/proj
v=$proj/vm
mkdir -p "$proj"
cat >"$proj/Makefile" <<EOF
# Comments after values leave blanks at their ends.
ISO = $iso
VM_TARGET = qemu    # or hyperkit, xhyve, vfkit
DISK_SIZE = 64m     # the first time only
VM_DIR = vm         # the VM's files
include $mk
EOF
: >"$T/warn"

# The first build.
m -j4 vm
check_rc "make -j4 vm: exit 0" 0
check_eq "extracted once under -j4" 1 \
    "$(grep -c '^isoboot-extract ' "$T/out")"
check_files "vm/vmlinuz-virt is the image's, byte for byte" \
    "$T/tree/boot/vmlinuz-virt" "$v/vmlinuz-virt"
check_files "vm/initramfs-virt is the image's, byte for byte" \
    "$T/tree/boot/initramfs-virt" "$v/initramfs-virt"
syslinux2cmdline -i "$iso" --serial >"$T/cmdline.want"
check_files "vm/cmdline is syslinux2cmdline --serial's" "$T/cmdline.want" \
    "$v/cmdline"
check_eq "vm/cmdline is one line" 1 "$(lines "$v/cmdline")"
if [ -x "$v/run" ]; then
	ok "vm/run is executable"
else
	fail "vm/run is executable"
fi
if sh -n "$v/run"; then
	ok "vm/run: sh -n"
else
	fail "vm/run: sh -n"
fi
check_grep "vm/run boots vm/vmlinuz-virt" "-kernel $v/vmlinuz-virt" "$v/run"
check_grep "vm/run has the disk" "file=$v/disk.img" "$v/run"
check_grep "vm/run attaches the ISO as the CD" "file=$iso,media=cdrom" \
    "$v/run"
check_grep "vm/run: the command line, with sr-mod for the CD" \
    "-append 'earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod'" \
    "$v/run"
check_eq "vm/disk.img: DISK_SIZE=64m" 67108864 "$(size_of "$v/disk.img")"

# Nothing to do the second time.
sig "$v" >"$T/sig1"
m -j4 vm
check_rc "second make -j4 vm: exit 0" 0
check_idle "second make -j4 vm: nothing ran"
m -q vm
check_rc "make -q vm right after: exit 0" 0
sig "$v" >"$T/sig2"
check_files "no output's mtime or inode changed" "$T/sig1" "$T/sig2"
m -n run
check_rc "make -n run: exit 0" 0
check_grep "make run execs vm/run" "exec $v/run" "$T/out"

# A newer ISO: everything again but the disk.
disk_ino=$(inode_of "$v/disk.img")
disk_mt=$(mtime_ns "$v/disk.img")
for f in vmlinuz-virt initramfs-virt cmdline run; do
	mtime_ns "$v/$f" >"$T/mt.$f"
done
sleep 1
touch "$iso"
m vm
check_rc "touch ISO, make vm: exit 0" 0
check_eq "touch ISO: extracted again" 1 \
    "$(grep -c '^isoboot-extract ' "$T/out")"
for f in vmlinuz-virt initramfs-virt cmdline run; do
	if [ "$(mtime_ns "$v/$f")" != "$(cat "$T/mt.$f")" ]; then
		ok "touch ISO: vm/$f made again"
	else
		fail "touch ISO: vm/$f made again"
	fi
done
check_eq "touch ISO: disk.img's inode is the same" "$disk_ino" \
    "$(inode_of "$v/disk.img")"
check_eq "touch ISO: disk.img's mtime is the same" "$disk_mt" \
    "$(mtime_ns "$v/disk.img")"
m -q vm
check_rc "touch ISO: make -q vm after: exit 0" 0

# Another DISK_SIZE: a warning, the disk as it was.
sig "$v" >"$T/sig1"
m vm DISK_SIZE=2g
check_rc "DISK_SIZE=2g: exit 0" 0
check_grep "DISK_SIZE=2g: the warning" \
    "isoboot.mk: vm/disk.img exists (made with DISK_SIZE=64m); not recreated for DISK_SIZE=2g: remove it to make a new one" \
    "$T/err"
check_eq "DISK_SIZE=2g: warned once" 1 "$(grep -c 'not recreated' "$T/err")"
check_idle "DISK_SIZE=2g: nothing ran"
check_eq "DISK_SIZE=2g: disk.img still 64m" 67108864 \
    "$(size_of "$v/disk.img")"
sig "$v" >"$T/sig2"
check_files "DISK_SIZE=2g: no output touched, disk.img's inode kept" \
    "$T/sig1" "$T/sig2"

# VM_APPEND: the command line and the script, not the extraction.
mt_k=$(mtime_ns "$v/vmlinuz-virt")
mt_r=$(mtime_ns "$v/run")
m -j4 vm VM_APPEND=foo=1
check_rc "VM_APPEND=foo=1: exit 0" 0
case $(cat "$v/cmdline") in
*" foo=1") ok "VM_APPEND=foo=1: vm/cmdline ends with it" ;;
*) fail "VM_APPEND=foo=1: vm/cmdline ends with it ($(cat "$v/cmdline"))" ;;
esac
check_eq "VM_APPEND=foo=1: no extraction" 0 \
    "$(grep -c '^isoboot-extract ' "$T/out")"
check_eq "VM_APPEND=foo=1: kernel's mtime unchanged" "$mt_k" \
    "$(mtime_ns "$v/vmlinuz-virt")"
if [ "$(mtime_ns "$v/run")" != "$mt_r" ]; then
	ok "VM_APPEND=foo=1: vm/run made again"
else
	fail "VM_APPEND=foo=1: vm/run made again"
fi
check_grep "VM_APPEND=foo=1: in vm/run" "usb-storage,sr-mod foo=1'" "$v/run"
m -q vm VM_APPEND=foo=1
check_rc "VM_APPEND=foo=1: make -q after: exit 0" 0

# A command line with quotes, $, # and a backslash reaches the script.
m vm "VM_APPEND=a='b c' d=\"e\" f=\$\$HOME g#h i\\j"
check_rc "VM_APPEND with quotes, \$ and #: exit 0" 0
check_eq "VM_APPEND with quotes, \$ and #: vm/cmdline" \
    "$(cat "$T/cmdline.want") a='b c' d=\"e\" f=\$HOME g#h i\\j" \
    "$(cat "$v/cmdline")"
check_grep "VM_APPEND with quotes, \$ and #: vm/run" \
    "sr-mod a='\\\\''b c'\\\\'' d=\"e\" f=\$HOME g#h i\\\\j'" "$v/run"

# VM_LABEL: the other entry's files, its three initrds joined.
m -j4 vm VM_LABEL=lts
check_rc "VM_LABEL=lts: exit 0" 0
check_files "VM_LABEL=lts: vm/vmlinuz-lts, byte for byte" \
    "$T/tree/boot/vmlinuz-lts" "$v/vmlinuz-lts"
for f in intel-ucode.img amd-ucode.img initramfs-lts; do
	check_files "VM_LABEL=lts: vm/$f, byte for byte" "$T/tree/boot/$f" \
	    "$v/$f"
done
check_eq "VM_LABEL=lts: vm/cmdline" \
    "$(syslinux2cmdline -i "$iso" -l lts --serial)" "$(cat "$v/cmdline")"
check_grep "VM_LABEL=lts: vm/run boots vmlinuz-lts" \
    "-kernel $v/vmlinuz-lts" "$v/run"
cat "$T/tree/boot/intel-ucode.img" "$T/tree/boot/amd-ucode.img" \
    "$T/tree/boot/initramfs-lts" >"$T/joined.want"
joined=$(sed -n "s|^[[:space:]]*-initrd \($v/[^ ]*\) .*|\1|p" "$v/run")
check_files "VM_LABEL=lts: vm/run boots the three initrds joined" \
    "$T/joined.want" "${joined:-$v/no-initrd-in-run}"
m -q vm VM_LABEL=lts
check_rc "VM_LABEL=lts: make -q after: exit 0" 0
m -j4 vm
check_rc "back to the default entry: exit 0" 0
check_grep "back to the default entry: vm/run" "-kernel $v/vmlinuz-virt" \
    "$v/run"
check_files "back to the default entry: vm/cmdline" "$T/cmdline.want" \
    "$v/cmdline"

# make with no target builds the VM when the include comes first.
m VM_DIR="$T/vm-default"
check_rc "make with no target: exit 0" 0
check_eq "make with no target: vm/run made" yes \
    "$([ -x "$T/vm-default/run" ] && echo yes)"

# No VM_TARGET: isoboot-cmd's own, and the console that goes with it.
m -n vm VM_TARGET= VM_DIR="$T/vm-notarget"
check_rc "no VM_TARGET: exit 0" 0
case $(uname -s)-$(uname -m) in
Darwin-arm64) console=--serial=hvc0 ;;
*) console=--serial ;;
esac
check_grep "no VM_TARGET: the command line for this host's console" \
    "^syslinux2cmdline -i $iso $console >" "$T/out"
check_grep "no VM_TARGET: isoboot-cmd picks the target" \
    "^isoboot-cmd --kernel $T/vm-notarget/vmlinuz-virt " "$T/out"

# make run: the VM, then its script (a stand-in that says it ran).
mkdir -p "$T/fake"
cat >"$T/fake/fake-cmd" <<'EOF'
#!/bin/sh
printf '#!/bin/sh\necho "booted by $0"\n'
EOF
chmod +x "$T/fake/fake-cmd"
m run VM_DIR="$T/vm-run" ISOBOOT_CMD="$T/fake/fake-cmd"
check_rc "make run: exit 0" 0
check_grep "make run: ran vm/run" "^booted by $T/vm-run/run$" "$T/out"

# Failures leave no half-made file.
m vm ISO="$T/nosuch.iso" VM_DIR="$T/vm-nosuch"
check_rc "no such ISO: exit 2" 2
check_grep "no such ISO: says so" \
    "isoboot.mk: ISO=$T/nosuch.iso: no such file" "$T/err"
check_eq "no such ISO: VM_DIR not made" no \
    "$([ -e "$T/vm-nosuch" ] && echo yes || echo no)"
m vm ISO= VM_DIR="$T/vm-unset"
check_rc "ISO unset: exit 2" 2
check_grep "ISO unset: names ISO" "isoboot.mk: ISO is not set" "$T/err"
check_eq "ISO unset: VM_DIR not made" no \
    "$([ -e "$T/vm-unset" ] && echo yes || echo no)"
head -c 2000000 /dev/urandom >"$T/random.iso"
m -j4 vm ISO="$T/random.iso" VM_DIR="$T/vm-random"
check_rc "random bytes as ISO: exit 2" 2
check_grep "random bytes as ISO: the tool says why" \
    "syslinux2cmdline: $T/random.iso: not an ISO 9660 image" "$T/err"
check_no_half "random bytes as ISO: no cmdline, run or temporary" \
    "$T/vm-random"
head -c 200000 "$iso" >"$T/truncated.iso"
m -j4 vm ISO="$T/truncated.iso" VM_DIR="$T/vm-trunc"
check_rc "truncated ISO: exit 2" 2
check_no_half "truncated ISO: no cmdline, run or temporary" "$T/vm-trunc"
# A good image made bad: the old outputs stay whole, boot.mk goes.
cp "$iso" "$T/changing.iso"
m vm ISO="$T/changing.iso" VM_DIR="$T/vm-changing"
check_rc "an image, then random bytes: first exit 0" 0
sleep 1
cp "$T/random.iso" "$T/changing.iso"
m -j4 vm ISO="$T/changing.iso" VM_DIR="$T/vm-changing"
check_rc "an image, then random bytes: exit 2" 2
check_eq "an image, then random bytes: no boot.mk, no temporary" \
    ".disk-size .extracted .opt-boot .opt-cmdline .opt-run cmdline disk.img initramfs-virt run vmlinuz-virt" \
    "$(entries "$T/vm-changing")"
m vm ISO="$T/changing.iso" VM_DIR="$T/vm-changing"
check_rc "an image, then random bytes: fails again" 2
# isoboot-cmd fails half-way through the script.
cat >"$T/fake/half-cmd" <<'EOF'
#!/bin/sh
printf '#!/bin/sh\nqemu-system-x86_64 \\\n'
exit 1
EOF
chmod +x "$T/fake/half-cmd"
m vm VM_DIR="$T/vm-half" ISOBOOT_CMD="$T/fake/half-cmd"
check_rc "isoboot-cmd fails: exit 2" 2
check_eq "isoboot-cmd fails: no vm/run, no vm/run.tmp" no \
    "$([ -e "$T/vm-half/run" ] || [ -e "$T/vm-half/run.tmp" ] &&
	echo yes || echo no)"
m vm VM_DIR="$T/vm-half"
check_rc "isoboot-cmd fails: the next make makes vm/run" 0
check_eq "isoboot-cmd fails: without extracting again" 0 \
    "$(grep -c '^isoboot-extract ' "$T/out")"
# make killed while the command line is half written.
cat >"$T/fake/slow-s2c" <<EOF
#!/bin/sh
case " \$* " in
*" --format "*) exec syslinux2cmdline "\$@" ;;
esac
printf 'earlyprintk=serial con'
echo \$\$ >"$T/slow.pid"
exec sleep 60
EOF
chmod +x "$T/fake/slow-s2c"
make -C "$proj" --no-print-directory vm VM_DIR="$T/vm-kill" \
    SYSLINUX2CMDLINE="$T/fake/slow-s2c" >"$T/kill.out" 2>&1 &
make_pid=$!
i=0
while [ ! -s "$T/slow.pid" ] && [ "$i" -lt 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
kill -TERM "$make_pid" 2>/dev/null
wait "$make_pid" 2>/dev/null
rc=$?
check_eq "make killed: not exit 0" yes "$([ "$rc" -ne 0 ] && echo yes)"
check_eq "make killed: while the command line was half written" \
    "earlyprintk=serial con" "$(cat "$T/vm-kill/cmdline.tmp" 2>/dev/null)"
if [ -s "$T/slow.pid" ]; then
	kill "$(cat "$T/slow.pid")" 2>/dev/null
fi
check_eq "make killed: no vm/cmdline" no \
    "$([ -e "$T/vm-kill/cmdline" ] && echo yes || echo no)"
check_eq "make killed: no vm/run" no \
    "$([ -e "$T/vm-kill/run" ] && echo yes || echo no)"
m vm VM_DIR="$T/vm-kill"
check_rc "make killed: the next make: exit 0" 0
check_files "make killed: the next make's vm/cmdline is whole" \
    "$T/cmdline.want" "$T/vm-kill/cmdline"

# clean-vm: everything but the disk (and the size it was made with).
m vm VM_LABEL=lts
disk_ino=$(inode_of "$v/disk.img")
m clean-vm
check_rc "clean-vm: exit 0" 0
check_eq "clean-vm: only the disk is left" ".disk-size disk.img" \
    "$(entries "$v")"
check_eq "clean-vm: the same disk" "$disk_ino" "$(inode_of "$v/disk.img")"
check_grep "clean-vm: says the disk was kept and how to remove it" \
    "kept vm/disk.img.*rm vm/disk.img" "$T/out"
m vm
check_rc "after clean-vm: make vm: exit 0" 0
check_eq "after clean-vm: the disk was not made again" 0 \
    "$(grep -c '^mkdisk ' "$T/out")"
rm "$v/disk.img"
m clean-vm
check_eq "clean-vm with no disk: VM_DIR removed" no \
    "$([ -e "$v" ] && echo yes || echo no)"

# GNU make 3.81 (macOS's make): none of the later features. There is no
# 3.81 to run here, so look for them, comments stripped.
for f in "$mk" "$IB_TOP/examples/alpine/Makefile" \
    "$IB_TOP/examples/debian-netboot/Makefile"; do
	sed 's/#.*//' "$f" >"$T/code.mk"
	found=
	# shellcheck disable=SC2016 # make's syntax, not the shell's
	for feat in '!=' '.ONESHELL' '$(file ' '::=' '&:' '.RECIPEPREFIX' \
	    'undefine' '.SHELLFLAGS' 'private' '$(guile' '.EXTRA_PREREQS' \
	    '$(let ' '$(intcmp'; do
		if grep -F -- "$feat" "$T/code.mk" >/dev/null; then
			found="$found $feat"
		fi
	done
	check_eq "make 3.81: no later feature in ${f#"$IB_TOP"/}" "" "$found"
done
if grep 'warning: undefined variable' "$T/warn" >/dev/null; then
	fail "--warn-undefined-variables: no warning"
	grep 'warning: undefined variable' "$T/warn" | sort -u | head -n 5 |
	    sed 's/^/#   /'
else
	ok "--warn-undefined-variables: no warning"
fi

# The examples, with their VM_DIR here: the source tree is not written.
ex=$IB_TOP/examples
before=$(entries "$ex/alpine")
run make -C "$ex/alpine" --no-print-directory vm ISO="$iso" \
    ISOBOOT_MK="$mk" VM_DIR="$T/ex-alpine"
check_rc "examples/alpine: exit 0" 0
for f in vmlinuz-virt initramfs-virt cmdline disk.img run; do
	check_eq "examples/alpine: $f made" yes \
	    "$([ -s "$T/ex-alpine/$f" ] && echo yes)"
done
check_files "examples/alpine: the kernel is the image's" \
    "$T/tree/boot/vmlinuz-virt" "$T/ex-alpine/vmlinuz-virt"
check_eq "examples/alpine: DISK_SIZE=2g" 2147483648 \
    "$(size_of "$T/ex-alpine/disk.img")"
check_eq "examples/alpine: the source tree is not written" "$before" \
    "$(entries "$ex/alpine")"
# With no ISOBOOT_MK: isoboot --mk-path, or an error that says what to do.
run make -C "$ex/alpine" --no-print-directory vm ISO="$iso" \
    VM_DIR="$T/ex-alpine2"
if command -v isoboot >/dev/null 2>&1; then
	check_rc "examples/alpine, isoboot --mk-path's file: exit 0" 0
	check_eq "examples/alpine, isoboot --mk-path's file: vm/run" yes \
	    "$([ -x "$T/ex-alpine2/run" ] && echo yes)"
else
	check_rc "examples/alpine without isoboot: exit 2" 2
	check_grep "examples/alpine without isoboot: says so" \
	    "isoboot.mk not found" "$T/err"
fi

# debian-netboot: the package's netboot tree as an ISO that ISOLINUX
# boots (pxelinux.cfg/default as isolinux.cfg), several entries.
mkdir -p "$T/di"
cp -RL "$di/debian-installer" "$T/di/"
cp "$di/pxelinux.cfg/default" "$T/di/isolinux.cfg"
cp "$isolinux" "$T/di/isolinux.bin"
xorriso -as mkisofs -quiet -R -b isolinux.bin -c boot.cat -no-emul-boot \
    -boot-load-size 4 -boot-info-table -o "$T/mini.iso" "$T/di" 2>/dev/null

# debian NAME ISO: examples/debian-netboot on ISO.
debian() {
	_d=$T/ex-$1
	before=$(entries "$ex/debian-netboot")
	run make -C "$ex/debian-netboot" --no-print-directory vm ISO="$2" \
	    ISOBOOT_MK="$mk" VM_DIR="$_d"
	check_rc "examples/debian-netboot, $1: exit 0" 0
	run syslinux2cmdline -i "$2" --kernel --initrd
	_k=$(sed -n 1p "$T/out")
	_i=$(sed -n 2p "$T/out")
	isoboot-extract -x -O "$2" "$_k" >"$T/want.kernel"
	isoboot-extract -x -O "$2" "$_i" >"$T/want.initrd"
	check_files "examples/debian-netboot, $1: vm/$(basename "$_k")" \
	    "$T/want.kernel" "$_d/$(basename "$_k")"
	check_files "examples/debian-netboot, $1: vm/$(basename "$_i")" \
	    "$T/want.initrd" "$_d/$(basename "$_i")"
	check_eq "examples/debian-netboot, $1: vm/cmdline" \
	    "$(syslinux2cmdline -i "$2" --serial)" "$(cat "$_d/cmdline")"
	check_grep "examples/debian-netboot, $1: a network" \
	    "user,model=virtio-net-pci" "$_d/run"
	check_eq "examples/debian-netboot, $1: DISK_SIZE=8g" 8589934592 \
	    "$(size_of "$_d/disk.img")"
	check_eq "examples/debian-netboot, $1: the source tree is not written" \
	    "$before" "$(entries "$ex/debian-netboot")"
	run make -C "$ex/debian-netboot" --no-print-directory vm ISO="$2" \
	    ISOBOOT_MK="$mk" VM_DIR="$_d" VM_LABEL=expert
	check_rc "examples/debian-netboot, $1: VM_LABEL=expert: exit 0" 0
	check_eq "examples/debian-netboot, $1: VM_LABEL=expert: vm/cmdline" \
	    "$(syslinux2cmdline -i "$2" -l expert --serial)" \
	    "$(cat "$_d/cmdline")"
}
debian d-i-tree "$T/mini.iso"
check_eq "examples/debian-netboot: the kernel is debian-installer/amd64/linux" \
    yes "$([ -f "$T/ex-d-i-tree/linux" ] && echo yes)"
if [ -n "${IB_MINI_ISO:-}" ]; then
	need_file "$IB_MINI_ISO"
	debian mini.iso "$IB_MINI_ISO"
fi
done_testing
