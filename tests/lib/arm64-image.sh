#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# arm64-image.sh OUT: a stand-in arm64 Image for the vfkit tests: the
# 64-byte header (text_offset 0, image_size 12288, flags 0, "ARMd" at
# 0x38), then 8 KiB of random code. Not a test: tests/e2e/*.sh run it.
set -eu
if [ $# -ne 1 ]; then
	echo "usage: arm64-image.sh OUT" >&2
	exit 2
fi

# le32 N: N as 4 little-endian bytes.
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

{
	head -c 16 /dev/zero
	le32 12288
	head -c 36 /dev/zero
	printf 'ARM\144'
	head -c 4 /dev/zero
	head -c 8192 /dev/urandom
} >"$1"
