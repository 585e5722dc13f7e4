#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot-cmd -t vfkit: a gzip-compressed arm64 Image and an EFI zboot
# image with a gzip payload (what distributions ship as vmlinuz) are
# unpacked into the state directory, and vfkit boots the Image; anything
# else that is compressed is refused with what it is.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need gzip jq

# le32 bytes of N as printf octal escapes.
le32() {
	n=$1
	i=0
	while [ $i -lt 4 ]; do
		# shellcheck disable=SC2059 # the format is the escape itself
		printf "\\$(printf %03o $((n % 256)))"
		n=$((n / 256))
		i=$((i + 1))
	done
}

# An arm64 Image (header with "ARMd" at 0x38, then 8 KiB of code).
sh "$IB_TOP/tests/lib/arm64-image.sh" "$T/Image"
gzip -9nc "$T/Image" >"$T/Image.gz"

# An EFI zboot image: "MZ", "zimg", payload offset and size, "gzip" at
# 24, the gzip payload at 512.
size=$(wc -c <"$T/Image.gz" | tr -d ' ')
{
	printf 'MZ\000\000zimg'
	le32 512
	le32 "$size"
	head -c 8 /dev/zero
	printf 'gzip'
	head -c 484 /dev/zero
	cat "$T/Image.gz"
} >"$T/vmlinuz.efi"

for k in Image.gz vmlinuz.efi; do
	rm -rf "$T/st"
	expect_exit 0 "vfkit: $k" isoboot-cmd -t vfkit --kernel "$T/$k" \
	    -C "$T/st" --json
	check_eq "vfkit: $k: boots the unpacked Image" "$T/st/Image" \
	    "$(jq -r .kernel "$T/out")"
	check_files "vfkit: $k: the Image, byte for byte" "$T/Image" \
	    "$T/st/Image"
	check_eq "vfkit: $k: --bootloader names it" 1 \
	    "$(jq -r '.argv[]' "$T/out" | grep -c "^linux,kernel=$T/st/Image")"
done
expect_exit 0 "vfkit: an Image as it is" isoboot-cmd -t vfkit \
    --kernel "$T/Image" -C "$T/st2" --json
check_eq "vfkit: an Image is not copied" "$T/Image" \
    "$(jq -r .kernel "$T/out")"

# gzip of something that is not an arm64 Image: refused, nothing left.
head -c 4096 /dev/urandom | gzip -nc >"$T/junk.gz"
expect_exit 1 "vfkit: gzip of junk" isoboot-cmd -t vfkit \
    --kernel "$T/junk.gz" -C "$T/st3"
check_grep "vfkit: gzip of junk: says it is no arm64 Image" \
    "not an arm64 Image" "$T/err"
check_eq "vfkit: gzip of junk: no Image left" "" "$(ls -A "$T/st3")"
# A truncated gzip.
head -c 1000 "$T/Image.gz" >"$T/cut.gz"
expect_exit 1 "vfkit: a truncated gzip" isoboot-cmd -t vfkit \
    --kernel "$T/cut.gz" -C "$T/st4"
check_grep "vfkit: a truncated gzip: says so" "gzip data ends early" \
    "$T/err"
done_testing
