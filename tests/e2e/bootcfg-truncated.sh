#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A partial download: the first 1 MB of Debian's ipxe.iso. Its directory
# is there, isolinux.cfg's data (at 1.3 MB) is not. Every tool says so,
# and none says "no isolinux.cfg" or reads another config instead.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
ipxe=/usr/lib/ipxe/ipxe.iso
need_file "$ipxe"

cut=$T/ipxe-1m.iso
dd if="$ipxe" of="$cut" bs=1024 count=1024 2>/dev/null
check_eq "the cut image is 1 MB" 1048576 "$(wc -c <"$cut" | tr -d ' ')"
why="isolinux.cfg: file data beyond the end of the image"

expect_exit 1 "isoboot: exit 1" isoboot -o "$T/dir" "$cut"
check_eq "isoboot: says the config is beyond the end" \
    "isoboot: $cut: $why" "$(cat "$T/err")"
check_eq "isoboot: prepares nothing" no \
    "$([ -e "$T/dir" ] && echo yes || echo no)"

expect_exit 1 "syslinux2cmdline -i: exit 1" syslinux2cmdline -i "$cut"
check_eq "syslinux2cmdline -i: says the config is beyond the end" \
    "syslinux2cmdline: $cut: $why" "$(cat "$T/err")"
check_eq "syslinux2cmdline -i: prints no command line" 0 "$(lines "$T/out")"

expect_exit 1 "isoboot-extract --print: exit 1" \
    isoboot-extract --print "$cut"
check_eq "isoboot-extract --print: says the config is beyond the end" \
    "isoboot-extract: $cut: $why" "$(cat "$T/err")"
check_eq "isoboot-extract --print: prints nothing" 0 "$(lines "$T/out")"

# The whole image still reads: the cut is what fails.
expect_exit 0 "the whole ipxe.iso: syslinux2cmdline -i exits 0" \
    syslinux2cmdline -i "$ipxe"
done_testing
