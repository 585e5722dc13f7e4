#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh BUILD SHARED SECONDS TARGET...: run each libFuzzer target for
# SECONDS from seeds (SHARED's test images and boot configs, fixtures/ by
# default; Debian's real kernels; qemu-img's images) with its dictionary
# (fuzz/dict), and the limits of the hardening issue: 1 s per input,
# 256 MiB. A crash leaves its input in BUILD/crashes/TARGET; copy it to
# tests/regress/TARGET.
set -u
build=$1
shared=$2
secs=$3
shift 3
status=0
# ASan's quarantine (256 MiB by default) would count against the 256 MiB
# limit that is meant for the code under test.
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16:detect_leaks=1}
export ASAN_OPTIONS
for t in "$@"; do
	corpus=$build/corpus/$t
	mkdir -p "$corpus" "$build/crashes/$t"
	if [ "$t" = fuzz_iso ] && [ -d "$shared/isos" ]; then
		for f in "$shared"/isos/*.iso; do
			cp "$f" "$corpus/" 2>/dev/null
		done
		for f in "$shared"/isos/*.iso.gz; do
			gzip -dc "$f" >"$corpus/$(basename "$f" .gz)"
		done
	fi
	if { [ "$t" = fuzz_syslinux ] || [ "$t" = fuzz_grub ]; } &&
	    [ -d "$shared/bootcfg" ]; then
		find "$shared/bootcfg" -name '*.cfg' | while read -r f; do
			cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"
		done
	fi
	# Real inputs of the other parsers: kernels' first 64 KiB, boot
	# command lines, small qcow2 images, sizes.
	case $t in
	fuzz_kernel)
		for f in /usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux \
		    /usr/lib/ipxe/ipxe.lkrn /usr/lib/ipxe/ipxe.efi \
		    /usr/lib/memtest86+/memtest86+x64.bin; do
			[ -f "$f" ] && head -c 65536 "$f" >"$corpus/$(basename "$f")"
		done ;;
	fuzz_cmdline)
		find "$shared/bootcfg" -name 'EXPECTED*' 2>/dev/null |
		    while read -r f; do
			sed -n 's/^append=//p' "$f" >"$corpus/$(echo "$f" | tr '/' '_')"
		    done ;;
	fuzz_qcow2)
		if command -v qemu-img >/dev/null 2>&1; then
			for s in 1M 1G 1T; do
				qemu-img create -q -f qcow2 "$corpus/q$s" "$s"
			done
		fi ;;
	fuzz_bls)
		# Entry files and loader.conf of the BLS corpus, three parts
		# joined by 0xFF as the target splits them.
		find "$shared/bootcfg/bls" -name '*.conf' 2>/dev/null |
		    while read -r f; do
			cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"
		    done
		printf 'timeout 3\ndefault a*\n\377title A\nlinux /k\n\377sort-key x\nversion 1.0~rc1\nlinux k\n' \
		    >"$corpus/three-parts" ;;
	fuzz_fat)
		# Small volumes made by mkfs.fat and filled by mtools, each
		# as "FATS", its size in sectors (le32) and its first 320 KiB:
		# BPB, FATs, root and first clusters (FAT32's FAT alone is
		# 256 KiB).
		if command -v mkfs.fat >/dev/null && command -v mcopy >/dev/null
		then
			seed=$build/fatseed
			mkdir -p "$seed/EFI/BOOT" "$seed/Long dir"
			printf 'efi' >"$seed/EFI/BOOT/bootx64.efi"
			printf 'x' >"$seed/Long dir/A long name.txt"
			printf 'k' >"$seed/vmlinuz"
			while read -r bits mib opt; do
				img=$build/fat$bits.img
				rm -f "$img"
				dd if=/dev/zero of="$img" bs=1048576 count=0 \
				    seek="$mib" 2>/dev/null
				mkfs.fat -F "$bits" "$opt" "$img" >/dev/null 2>&1
				MTOOLS_SKIP_CHECK=1 mcopy -s -i "$img" \
				    "$seed"/* ::/ 2>/dev/null
				{
					# shellcheck disable=SC2059 # octal escapes
					printf "FATS\\000\\$(printf %03o \
					    $((mib * 8 % 256)))\\$(printf %03o \
					    $((mib * 8 / 256)))\\000"
					head -c 327680 "$img"
				} >"$corpus/fat$bits"
			done <<-EOF
			12 1 -s1
			16 9 -s1
			32 34 -f1
			EOF
		fi ;;
	fuzz_ext4)
		# Small filesystems made by mke2fs -d from a tree with a
		# kernel-like file, grub.cfg, symlinks (fast, slow, a loop):
		# ext2 with 1 KiB blocks, ext4 with extents, 64bit,
		# metadata_csum and inline data. Whole: they are small.
		if command -v mke2fs >/dev/null; then
			seed=$build/ext4seed
			rm -rf "$seed"
			mkdir -p "$seed/boot/grub" "$seed/a/b"
			printf 'set default=0\n' >"$seed/boot/grub/grub.cfg"
			head -c 5000 /dev/urandom >"$seed/boot/vmlinuz-6"
			ln -s boot/vmlinuz-6 "$seed/vmlinuz"
			ln -s /boot/grub "$seed/a/b/g"
			ln -s loop2 "$seed/loop1"
			ln -s loop1 "$seed/loop2"
			ln -s "$(printf 'x%.0s' $(seq 1 100))" "$seed/slow"
			while read -r name opts; do
				rm -f "$build/$name.img"
				# shellcheck disable=SC2086 # opts split on purpose
				mke2fs -q -F -d "$seed" $opts \
				    "$build/$name.img" 1M >/dev/null 2>&1 &&
				    cp "$build/$name.img" "$corpus/$name"
			done <<-EOF
			ext2 -t ext2 -b 1024
			ext4 -t ext4 -b 1024 -O 64bit,metadata_csum,inline_data,^has_journal -I 256
			EOF
		fi ;;
	fuzz_disk_size)
		for s in 1g 512 1.5k 2048b 1TiB 99999999999999999999g; do
			printf '%s' "$s" >"$corpus/s$s"
		done ;;
	esac
	dict=
	if [ -f "fuzz/dict/$t.dict" ]; then
		dict=-dict=fuzz/dict/$t.dict
	fi
	if [ -d "tests/regress/$t" ]; then
		cp tests/regress/"$t"/* "$corpus/" 2>/dev/null
	fi
	case $t in
	fuzz_iso) maxlen=1048576 ;;   # small images
	fuzz_rrip) maxlen=65536 ;;    # an area and its CE blocks
	fuzz_kernel) maxlen=65536 ;;  # IB_KERNEL_HEAD
	fuzz_qcow2) maxlen=262144 ;;  # a 1 TiB image's metadata
	fuzz_fat) maxlen=327688 ;;    # a FAT32's 256 KiB FAT, its root
	fuzz_ext4) maxlen=1048584 ;;  # a 1 MiB filesystem, whole
	*) maxlen=8192 ;;
	esac
	echo "== $t: $secs s"
	# shellcheck disable=SC2086 # $dict is empty or one word
	if ! "$build/fuzz/$t" $dict -max_total_time="$secs" -timeout=1 \
	    -rss_limit_mb=256 -malloc_limit_mb=256 -max_len="$maxlen" \
	    -artifact_prefix="$build/crashes/$t/" "$corpus" \
	    >"$build/$t.log" 2>&1; then
		echo "$t: FAILED (see $build/$t.log and $build/crashes/$t)"
		status=1
	fi
	grep -E '^(Done|#[0-9]+.*DONE)' "$build/$t.log" | tail -n 1
	grep -E 'stat::number_of_executed_units' "$build/$t.log"
done
exit $status
