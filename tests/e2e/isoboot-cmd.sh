#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot-cmd: the emitted line, run through sh, gives exactly the argv
# (hostile paths and command lines included); the hyperkit line for the
# Alpine recipe; refusals naming the fact; initrds joined 4-byte aligned;
# disks made with --disk-size; qcow2 passed as such; --json; --exec.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need jq
kernel=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux
initrd=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/initrd.gz
need_file "$kernel" "$initrd" /usr/lib/ipxe/ipxe.lkrn

# Hostile names: quotes, spaces, $, backquotes, a newline, commas where
# the target allows them.
mkdir -p "$T/it's a \$dir \`x\`"
dir="$T/it's a \$dir \`x\`"
cp "$kernel" "$dir/vmlinuz"
cp "$initrd" "$dir/initrd.gz"
nl='
'
cmdline="console=ttyS0 marker=\"a b\" x=1,2 \$HOME \`id\` it's${nl}end"
for t in hyperkit xhyve qemu; do
	expect_exit 0 "$t: hostile names and command line" \
	    isoboot-cmd -t "$t" --kernel "$dir/vmlinuz" --initrd "$dir/initrd.gz" \
	    --cmdline "$cmdline" --disk "$T/disk.img" --disk-size 1m \
	    -C "$T/state" --json
	cp "$T/out" "$T/$t.json"
	expect_exit 0 "$t: the shell line" isoboot-cmd -t "$t" \
	    --kernel "$dir/vmlinuz" --initrd "$dir/initrd.gz" \
	    --cmdline "$cmdline" --disk "$T/disk.img" -C "$T/state"
	# Run the line with printf as the command: its words, NUL-separated.
	{ printf 'printf "%%s\\0" '; sed '1s/^[^ ]* //' "$T/out"; } >"$T/p.sh"
	sh "$T/p.sh" >"$T/got" 2>"$T/err"
	jq -j '.argv[1:][] | ., "\u0000"' "$T/$t.json" >"$T/want"
	check_files "$t: sh gives back exactly the argv" "$T/want" "$T/got"
	check_eq "$t: the first word is the hypervisor" \
	    "$(jq -r '.argv[0]' "$T/$t.json")" "$(head -n 1 "$T/out" |
	        cut -d ' ' -f 1)"
done
# shellcheck disable=SC2016 # a literal $HOME and backquotes
check_eq "hyperkit: -f holds the command line, commas and all" 1 \
    "$(jq -r '.argv[]' "$T/hyperkit.json" | grep -c '^kexec,.*x=1,2 \$HOME `id` it'"'"'s$')"
check_eq "qemu: -append is the command line, whole" "$cmdline" \
    "$(jq -r '.argv as $a | ($a | index("-append")) as $i | $a[$i + 1]' \
        "$T/qemu.json")"
check_eq "--disk-size made the disk" 1048576 "$(wc -c <"$T/disk.img" |
    tr -d ' ')"

# The Alpine recipe's line for hyperkit. vpnkit's socket path must stay
# under 104 bytes (macOS): a short state directory, whatever $T is.
vm=$(mktemp -d /tmp/ibvm.XXXXXX)
expect_exit 0 "hyperkit: the recipe" isoboot-cmd -t hyperkit \
    --kernel "$kernel" --initrd "$initrd" \
    --cmdline "modules=loop,squashfs,sd-mod,usb-storage console=tty0" \
    --serial-cmdline --disk "$T/disk.img" --cdrom /usr/lib/ipxe/ipxe.iso \
    --net vpnkit --name alpine -C "$vm"
uuid=$(isoboot-cmd -t hyperkit --kernel "$kernel" --name alpine --json |
    jq -r .uuid)
cat >"$T/golden" <<GOLDEN
hyperkit \\
    -A \\
    -u \\
    -H \\
    -m 1024M \\
    -c 1 \\
    -s 0:0,hostbridge \\
    -s 31,lpc \\
    -l com1,stdio \\
    -s 2:0,virtio-vpnkit,path=$vm/vpnkit.eth.sock,uuid=$uuid \\
    -s 3:0,ahci-cd,/usr/lib/ipxe/ipxe.iso \\
    -s 4:0,virtio-blk,$T/disk.img \\
    -U $uuid \\
    -f 'kexec,$kernel,$initrd,earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod'
GOLDEN
check_files "hyperkit: the Alpine line, exactly" "$T/golden" "$T/out"
# The same recipe for the other targets (vmnet for xhyve and vfkit, user
# networking for qemu), byte for byte.
for t in xhyve vfkit qemu; do
	case $t in qemu) net=user ;; *) net=vmnet ;; esac
	expect_exit 0 "$t: the recipe" isoboot-cmd -t "$t" --kernel "$kernel" \
	    --initrd "$initrd" \
	    --cmdline "modules=loop,squashfs,sd-mod,usb-storage console=tty0" \
	    --serial-cmdline --disk "$T/disk.img" \
	    --cdrom /usr/lib/ipxe/ipxe.iso --net "$net" --name alpine -C "$T/vm"
	cp "$T/out" "$T/$t.line"
done
cat >"$T/golden" <<GOLDEN
xhyve \\
    -A \\
    -u \\
    -m 1024M \\
    -c 1 \\
    -s 0:0,hostbridge \\
    -s 31,lpc \\
    -l com1,stdio \\
    -s 2:0,virtio-net \\
    -s 3:0,ahci-cd,/usr/lib/ipxe/ipxe.iso \\
    -s 4:0,virtio-blk,$T/disk.img \\
    -U $uuid \\
    -f 'kexec,$kernel,$initrd,earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod'
GOLDEN
check_files "xhyve: the Alpine line, exactly" "$T/golden" "$T/xhyve.line"
cat >"$T/golden" <<GOLDEN
vfkit \\
    --cpus 1 \\
    --memory 1024 \\
    --bootloader 'linux,kernel=$kernel,initrd=$initrd,cmdline="console=hvc0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod"' \\
    --device virtio-serial,stdio \\
    --device virtio-net,nat \\
    --device virtio-blk,path=$T/disk.img \\
    --device usb-mass-storage,path=/usr/lib/ipxe/ipxe.iso,readonly \\
    --device virtio-rng
GOLDEN
check_files "vfkit: the Alpine line, exactly" "$T/golden" "$T/vfkit.line"
cat >"$T/golden" <<GOLDEN
qemu-system-x86_64 \\
    -machine q35,accel=kvm:tcg \\
    -cpu max \\
    -m 1024 \\
    -smp 1 \\
    -nodefaults \\
    -no-user-config \\
    -display none \\
    -serial stdio \\
    -kernel $kernel \\
    -initrd $initrd \\
    -append 'earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage,sr-mod' \\
    -drive file=$T/disk.img,format=raw,if=virtio \\
    -drive file=/usr/lib/ipxe/ipxe.iso,media=cdrom,readonly=on \\
    -nic user,model=virtio-net-pci
GOLDEN
check_files "qemu: the Alpine line, exactly" "$T/golden" "$T/qemu.line"
check_eq "the UUID is stable and hyperkit's kind" 1 \
    "$(echo "$uuid" | grep -c '^[0-9a-f]\{8\}-[0-9a-f]\{4\}-8[0-9a-f]\{3\}-[89ab][0-9a-f]\{3\}-[0-9a-f]\{12\}$')"
expect_exit 0 "vfkit: the recipe" isoboot-cmd -t vfkit --kernel "$kernel" \
    --initrd "$initrd" --cmdline "quiet console=tty0" --serial-cmdline
check_grep "vfkit: cmdline in quotes, console=hvc0" \
    "cmdline=\"console=hvc0\"'" "$T/out"

# Refusals: exit 1, the fact named.
cp "$kernel" "$T/k,1"
expect_exit 1 "hyperkit: a comma in the kernel path" isoboot-cmd \
    -t hyperkit --kernel "$T/k,1"
check_grep "... says so" "path contains a comma, which hyperkit's -f" \
    "$T/err"
expect_exit 1 "hyperkit: iPXE is not a kernel it loads" isoboot-cmd \
    -t hyperkit --kernel /usr/lib/ipxe/ipxe.lkrn
check_grep "... says what it is and what hyperkit needs" \
    "not a Linux kernel.*boot protocol 2.07, hyperkit's kexec needs 2.10" \
    "$T/err"
long=$(head -c 3000 /dev/zero | tr '\0' x)
expect_exit 1 "hyperkit: a 3000-byte command line" isoboot-cmd \
    -t hyperkit --kernel "$kernel" --cmdline "$long"
check_grep "... names both lengths" \
    "command line is 3000 bytes; this kernel accepts 2046" "$T/err"
expect_exit 1 "hyperkit: -m below 2 x initrd + 256 MiB" isoboot-cmd \
    -t hyperkit --kernel "$kernel" --initrd "$initrd" -m 256m
check_grep "... names the initrd size and the minimum" \
    "too little for a [0-9]*-byte initrd.*use at least -m [0-9]*m" "$T/err"
expect_exit 1 "a missing disk without --disk-size" isoboot-cmd \
    --kernel "$kernel" --disk "$T/none.img"
check_grep "... says --disk-size creates it" "(--disk-size creates it)" \
    "$T/err"
expect_exit 2 "an unknown target" isoboot-cmd -t bochs --kernel "$kernel"
expect_exit 2 "no --kernel" isoboot-cmd -t qemu

# Several initrds: one file, each part 4-byte aligned.
printf 'abc' >"$T/i1"
printf 'defgh' >"$T/i2"
expect_exit 0 "two initrds for hyperkit" isoboot-cmd -t hyperkit \
    --kernel "$kernel" --initrd "$T/i1" --initrd "$T/i2" -C "$T/j" --json
check_eq "joined: the state directory's initrd-joined.img" "$T/j/initrd-joined.img" \
    "$(jq -r .initrd "$T/out")"
printf 'abc\000defgh\000\000\000' >"$T/joined"
check_files "joined: each part padded to 4 bytes" "$T/joined" \
    "$T/j/initrd-joined.img"
check_eq "joined: the size the memory rule used" 12 \
    "$(jq -r .initrd_size "$T/out")"

# -m: a bare number is MiB (hyperkit's and qemu's reading), units too.
expect_exit 0 "-m 2048" isoboot-cmd -t qemu --kernel "$kernel" -m 2048 --json
check_eq "-m 2048 is 2 GiB" 2147483648 "$(jq .memory "$T/out")"
expect_exit 0 "-m 1.5g" isoboot-cmd -t qemu --kernel "$kernel" -m 1.5g \
    --json
check_eq "-m 1.5g is 1536 MiB" 1610612736 "$(jq .memory "$T/out")"
expect_exit 2 "-m 1000k is not whole MiB" isoboot-cmd -t qemu \
    --kernel "$kernel" -m 1000k

# --accel: qemu's accelerator list, for hosts whose /dev/kvm cannot run
# the guest; no other target has it.
expect_exit 0 "qemu --accel tcg" isoboot-cmd -t qemu --kernel "$kernel" \
    --accel tcg
check_grep "qemu --accel tcg: accel=tcg" "q35,accel=tcg " "$T/out"
expect_exit 1 "hyperkit --accel" isoboot-cmd -t hyperkit --kernel "$kernel" \
    --accel tcg
check_grep "hyperkit --accel: says it is for qemu" "is for qemu" "$T/err"

# qcow2 disks go to qemu as qcow2.
mkdisk -f qcow2 1m "$T/q.qcow2"
expect_exit 0 "qemu: a qcow2 disk" isoboot-cmd -t qemu --kernel "$kernel" \
    --disk "$T/q.qcow2"
check_grep "... format=qcow2" "file=$T/q.qcow2,format=qcow2,if=virtio" \
    "$T/out"

# --exec runs the hypervisor with exactly that argv (no shell).
printf '#!/bin/sh\nprintf "%%s|" "$@"\n' >"$T/fake"
chmod +x "$T/fake"
expect_exit 0 "--exec" isoboot-cmd -t qemu --argv0 "$T/fake" \
    --kernel "$kernel" --cmdline "a 'b' \"c\"" --exec
check_grep "--exec: the command line arrives as one word" \
    "|-append|a 'b' \"c\"|" "$T/out"
rm -rf "$vm"
# -C with a missing parent, where several initrds are joined into it.
expect_exit 1 "-C with a missing parent: exit 1" isoboot-cmd -t qemu \
    -C "$T/no/state" --kernel "$kernel" --initrd "$kernel" \
    --initrd "$kernel"
check_eq "-C with a missing parent: says parents are not made" \
    "isoboot-cmd: $T/no/state: its parent directory does not exist (only the last directory of a path is made)" \
    "$(cat "$T/err")"
done_testing
