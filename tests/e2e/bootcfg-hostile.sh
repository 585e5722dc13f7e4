#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Hostile boot configs: a clear one-line error (exit 1) or an answer, never
# a crash, a hang or endless output. Each run is bounded by timeout(1).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need timeout awk

# bad DESC PATTERN ARGS...: exit 1, one line on stderr matching PATTERN.
bad() {
	_d=$1
	_p=$2
	shift 2
	expect_exit 1 "$_d: exit 1" timeout 10 syslinux2cmdline "$@"
	check_grep "$_d: says why" "$_p" "$T/err"
	check_eq "$_d: one line" 1 "$(lines "$T/err")"
}

d=$T/cfg
mkdir -p "$d"
printf 'INCLUDE b.cfg\nDEFAULT x\n' >"$d/a.cfg"
printf 'INCLUDE a.cfg\n' >"$d/b.cfg"
bad "INCLUDE loop" "b.cfg:1: INCLUDE loop: a.cfg is already being read" \
    "$d/a.cfg"

# A 10,000-deep INCLUDE chain: stopped at 16 levels, at once.
mkdir -p "$T/deep"
awk -v dir="$T/deep" 'BEGIN {
	for (i = 0; i < 10000; i++)
		printf "INCLUDE c%d.cfg\n", i + 1 > (dir "/c" i ".cfg")
}'
bad "10,000-deep INCLUDE chain" "INCLUDE nested deeper than 16" \
    "$T/deep/c0.cfg"

# A 1 MB line.
awk 'BEGIN { printf "APPEND "; for (i = 0; i < 1000000; i++) printf "a";
	printf "\n" }' >"$d/long.cfg"
bad "1 MB line" "long.cfg:1: line longer than 4095 bytes" "$d/long.cfg"

# NUL bytes.
printf 'DEFAULT a\nLABEL a\n\000KERNEL /k\n' >"$d/nul.cfg"
bad "NUL byte" "nul.cfg:3: NUL byte" "$d/nul.cfg"

# A 300-character label: capped and reported, never truncated silently.
l=$(awk 'BEGIN { for (i = 0; i < 300; i++) printf "L" }')
printf 'DEFAULT %s\nLABEL %s\nKERNEL /k\n' "$l" "$l" >"$d/label.cfg"
bad "300-character label" "longer than 255 bytes" "$d/label.cfg"

# CONFIG ../../etc/passwd stays inside the tree: no such file there.
mkdir -p "$T/tree/isolinux"
printf 'DEFAULT c\nLABEL c\nCONFIG ../../etc/passwd\n' \
    >"$T/tree/isolinux/isolinux.cfg"
bad "CONFIG ../../etc/passwd" "etc/passwd: no such file" -r "$T/tree"

# Binary garbage: an answer or an error, bounded, no crash.
head -c 200000 /dev/urandom >"$d/garbage.cfg"
run timeout 10 syslinux2cmdline "$d/garbage.cfg"
check_eq "binary garbage: exit 0 or 1, no crash" 1 \
    "$([ "$rc" -le 1 ] && echo 1)"

# GRUB: unbalanced quotes and braces, recursive source.
mkdir -p "$T/g/boot/grub"
printf 'menuentry "x {\n  linux /k\n' >"$T/g/boot/grub/grub.cfg"
bad "GRUB unbalanced quote" "grub.cfg:1:" -r "$T/g" boot/grub/grub.cfg
printf 'menuentry x {\n  linux /k\n' >"$T/g/boot/grub/grub.cfg"
bad "GRUB unbalanced brace" "grub.cfg:1:" -r "$T/g" boot/grub/grub.cfg
printf 'source /boot/grub/grub.cfg\n' >"$T/g/boot/grub/grub.cfg"
bad "GRUB recursive source" "grub.cfg:1:" -r "$T/g" boot/grub/grub.cfg
done_testing
