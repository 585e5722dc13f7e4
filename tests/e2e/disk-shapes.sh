#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# disk-shapes: disks laid out the way distributions' installers leave
# them (fixtures/disks/SHAPE: the boot configs their generators write,
# rendered from their sources; SOURCES says which), built by
# tests/lib/mkshaped-disk.sh with fixed identities so that each
# EXPECTED holds. For each shape, as raw and as compressed qcow2:
# syslinux2cmdline -i prints EXPECTED's CMDLINE; its JSON names
# EXPECTED's config, kernel and initrds; isoboot-extract copies out the
# kernel and initrd byte for byte as they were laid in (a stand-in
# "other" kernel or initrd beside them catches a wrong choice). Each
# BIOS shape boots once: isoboot -t qemu, then its run script under TCG;
# the guest (tests/lib/mkinitramfs.sh) reports /proc/cmdline, which must
# be DIR/cmdline, and the size of its virtio disk, the image. The boots
# run in parallel, started before the static checks. Then damage: a
# disk whose only Linux file system is XFS, a disk with no boot config,
# an EBR chain patched into a loop: exit 1 and one line each.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need sfdisk mke2fs mkfs.vfat mcopy mkswap mkfs.btrfs mkfs.xfs qemu-img \
    qemu-system-x86_64 jq cpio gzip timeout cmp
kernel=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux
need_file "$kernel" /bin/busybox
mk=$IB_TOP/tests/lib/mkshaped-disk.sh
shapes=${IB_SHAPES:-alpine ubuntu debian-mbr fedora arch}
boots=${IB_SHAPE_BOOTS:-alpine ubuntu debian-mbr}
started=$(date +%s)

# exp SHAPE KEY: the value of KEY= in the shape's EXPECTED.
exp() {
	sed -n "s/^$2=//p" "$IB_SHARED/disks/$1/EXPECTED" | tail -n 1
}

# Build every shape and its qcow2 first: the boots need them.
for s in $shapes; do
	if img=$(sh "$mk" "$s" "$T/img" 2>"$T/mk.err") &&
	    [ "$img" = "$T/img/$s.raw" ] &&
	    qemu-img convert -c -O qcow2 "$img" "$T/img/$s.qcow2" 2>"$T/mk.err"
	then
		ok "$s: mkshaped-disk.sh builds it"
	else
		fail "$s: mkshaped-disk.sh builds it"
		sed 's/^/#   /' "$T/mk.err"
	fi
done

# The boots, in the background: isoboot prepares DIR from the qcow2
# (the VM's disk is then the qcow2 itself), DIR/run boots it.
pids=
for s in $boots; do
	[ -f "$T/img/$s.qcow2" ] || continue
	d=$T/boot-$s
	if isoboot -q "$T/img/$s.qcow2" -o "$d" -t qemu --accel tcg \
	    --net none >"$T/isoboot-$s.out" 2>&1; then
		ok "$s: isoboot -t qemu prepares the VM"
	else
		fail "$s: isoboot -t qemu prepares the VM"
		sed 's/^/#   /' "$T/isoboot-$s.out" | head -n 5
		continue
	fi
	(
		t0=$(date +%s)
		timeout 150 "$d/run" </dev/null >"$d.serial" 2>"$d.qemu"
		echo "$? $(($(date +%s) - t0))" >"$d.rc"
	) &
	pids="$pids $!"
done

# The static checks, while the guests run.
for s in $shapes; do
	platform=$(exp "$s" PLATFORM)
	platform=${platform:-bios}
	cmdline=$(exp "$s" CMDLINE)
	for f in raw qcow2; do
		img=$T/img/$s.$f
		[ -f "$img" ] || continue
		run syslinux2cmdline -i "$img" --platform "$platform"
		if [ "$rc" -eq 0 ]; then
			check_eq "$s ($f): the command line" "$cmdline" \
			    "$(cat "$T/out")"
		else
			fail "$s ($f): syslinux2cmdline -i (status $rc)"
			sed 's/^/#   /' "$T/err" | head -n 5
			continue
		fi
		run syslinux2cmdline -i "$img" --platform "$platform" \
		    --format json
		jq -r '.config, .entry.kernel, (.entry.initrds | join(" ")),
		    .entry.cmdline' "$T/out" >"$T/json" 2>&1
		printf '%s\n' "$(exp "$s" CONFIG)" "$(exp "$s" KERNEL)" \
		    "$(exp "$s" INITRDS)" "$cmdline" >"$T/want"
		check_files "$s ($f): JSON names config, kernel, initrds" \
		    "$T/want" "$T/json"
		order=$(exp "$s" ORDER)
		if [ -n "$order" ]; then
			check_eq "$s ($f): JSON: the menu's order" "$order" \
			    "$(jq -r '[.entries[] | select(.kind == "linux") |
			    .label] | join(" ")' "$T/out")"
		fi
		x=$T/x-$s-$f
		run isoboot-extract --platform "$platform" "$img" -C "$x"
		if [ "$rc" -ne 0 ]; then
			fail "$s ($f): isoboot-extract (status $rc)"
			sed 's/^/#   /' "$T/err" | head -n 5
			continue
		fi
		bad=
		for p in $(exp "$s" KERNEL) $(exp "$s" INITRDS); do
			n=${p#/p}
			cmp -s "$T/img/$s.tree/p${n%%/*}/${n#*/}" \
			    "$x/${p##*/}" || bad="$bad ${p##*/}"
		done
		check_eq "$s ($f): isoboot-extract: kernel, initrds as laid in" \
		    "" "$bad"
	done
done

# The boots' results.
# shellcheck disable=SC2086 # one word a job
[ -z "$pids" ] || wait $pids
for s in $boots; do
	d=$T/boot-$s
	[ -f "$d.rc" ] || continue
	read -r qrc secs <"$d.rc"
	marker=$(exp "$s" MARKER)
	if [ "$qrc" -eq 0 ]; then
		ok "$s: the guest powered off by itself ($secs s)"
	else
		fail "$s: the guest powered off by itself (status $qrc, $secs s)"
		sed 's/^/#   qemu: /' "$d.qemu" | head -n 5
		tr -d '\r' <"$d.serial" | tail -n 10 | sed 's/^/#   serial: /'
	fi
	guest_report "$d.serial" "$marker" >"$d.report"
	check_grep "$s: the initrd laid in reported, to the end" '^end$' \
	    "$d.report"
	check_eq "$s: /proc/cmdline is DIR/cmdline" "$(cat "$d/cmdline")" \
	    "$(sed -n 's/^cmdline=//p' "$d.report")"
	# Was a bug: a disk image got sr-mod in Alpine's modules=, as if a
	# CD were attached; DIR/cmdline is only the serial rewrite.
	check_eq "$s: DIR/cmdline is syslinux2cmdline --serial's" \
	    "$(syslinux2cmdline -i "$T/img/$s.raw" --serial)" \
	    "$(cat "$d/cmdline")"
	size=$(wc -c <"$T/img/$s.raw" | tr -d ' ')
	check_eq "$s: the VM's virtio disk is the image" \
	    "capacity=$((size / 512))" \
	    "$(sed -n 's/^virtio-blk: [^ ]* //p' "$d.report")"
done

# hostile DESC IMG WANT: both readers exit 1 with one line matching WANT,
# within 5 s.
hostile() {
	for t in syslinux2cmdline isoboot-extract; do
		case $t in
		syslinux2cmdline) run timeout 5 syslinux2cmdline -i "$2" ;;
		*) run timeout 5 isoboot-extract "$2" -C "$T/hx" ;;
		esac
		check_eq "$1: $t exits 1" 1 "$rc"
		check_eq "$1: $t says it in one line" 1 "$(lines "$T/err")"
		check_grep "$1: $t names it" "$3" "$T/err"
	done
}

# mkimg FILE MIB: an empty (sparse) file.
mkimg() {
	rm -f "$1"
	dd if=/dev/null of="$1" bs=1048576 seek="$2" 2>/dev/null
}

# A data disk: one XFS partition, the only Linux file system on it.
mkimg "$T/xfs.img" 320
printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q "$T/xfs.img"
mkimg "$T/xfs.fs" 319
mkfs.xfs -q "$T/xfs.fs"
dd if="$T/xfs.fs" of="$T/xfs.img" bs=1048576 seek=1 conv=notrunc,sparse \
    2>/dev/null
rm -f "$T/xfs.fs"
hostile "XFS only" "$T/xfs.img" 'p1 is XFS'

# A disk with an ext4 partition that holds no boot config.
mkimg "$T/none.img" 40
printf 'label: gpt\nstart=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' |
    sfdisk -q "$T/none.img"
mkdir -p "$T/none/etc"
echo shaped >"$T/none/etc/hostname"
mkimg "$T/none.fs" 30
mke2fs -q -F -t ext4 -d "$T/none" "$T/none.fs"
dd if="$T/none.fs" of="$T/none.img" bs=1048576 seek=1 conv=notrunc,sparse \
    2>/dev/null
hostile "no boot config" "$T/none.img" 'no GRUB or EXTLINUX config'

# debian-mbr's EBR (the extended partition's first sector) given a second
# entry of type 5 at offset 0: the chain's next EBR is itself.
if [ -f "$T/img/debian-mbr.raw" ]; then
	cp "$T/img/debian-mbr.raw" "$T/loop.img"
	ebr=$(($(sfdisk -d "$T/loop.img" | awk -F'[=,]' \
	    '/type=5$/ { print $2 + 0 }') * 512))
	put_byte "$T/loop.img" $((ebr + 446 + 16 + 4)) 5
	for i in 0 1 2 3; do
		put_byte "$T/loop.img" $((ebr + 446 + 16 + 8 + i)) 0
	done
	put_byte "$T/loop.img" $((ebr + 446 + 16 + 13)) 8
	hostile "EBR loop" "$T/loop.img" \
	    "EBR chain loops back to sector $((ebr / 512))\$"
fi
echo "# disk-shapes: $(($(date +%s) - started)) s"
done_testing
