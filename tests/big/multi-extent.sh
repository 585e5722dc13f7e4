#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make check-big: a real file over 4 GiB, stored by xorriso as a
# multi-extent file (ECMA-119 9.1.6), listed with its full size and
# extracted whole, also from a stream. Needs ~14 GB of disk in IB_WORK.
# shellcheck source=SCRIPTDIR/../e2e/lib.sh
. "$(dirname "$0")/../e2e/lib.sh"
need xorriso bsdtar

mkdir -p "$T/tree"
size=4831838208 # 4.5 GiB: two extents (4 GiB - 2 KiB, then the rest)
# A sparse file with data at both ends and across the 4 GiB boundary.
printf 'head' >"$T/tree/big.img"
printf 'middle' | dd of="$T/tree/big.img" bs=1 seek=4294965000 \
    conv=notrunc 2>/dev/null
printf 'tail' | dd of="$T/tree/big.img" bs=1 seek=$((size - 4)) \
    conv=notrunc 2>/dev/null
xorriso -as mkisofs -quiet -R -iso-level 3 -o "$T/big.iso" "$T/tree" \
    2>/dev/null

expect_exit 0 "-t --json lists it" isoboot-extract -t --json "$T/big.iso"
check_grep "one entry with the full size" "\"size\":$size" "$T/out"
check_grep "in two extents" '"extents":\[\[[0-9]*,4294965248\],\[' "$T/out"
run bsdtar -tvf "$T/big.iso"
check_grep "bsdtar agrees on the size" " $size " "$T/out"
want=$(sha256 "$T/tree/big.img")
expect_exit 0 "-x extracts it" isoboot-extract -x "$T/big.iso" -C "$T/x"
check_eq "extracted bytes equal the source" "$want" "$(sha256 "$T/x/big.img")"
rm -rf "$T/x"
run sh -c 'cat "$1" | isoboot-extract -x - -C "$2"' sh "$T/big.iso" "$T/y"
check_eq "from a pipe: exit 0" 0 "$rc"
check_eq "from a pipe: same bytes" "$want" "$(sha256 "$T/y/big.img")"
done_testing
