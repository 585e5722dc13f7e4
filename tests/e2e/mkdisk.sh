#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mkdisk: exact sizes with mkfile's units, sparse/falloc/full raw images,
# qcow2 images that qemu-img checks and reads, refusal to overwrite,
# --force replacing atomically, and failures (RLIMIT_FSIZE, a full file
# system, a signal) that leave neither an image nor a temporary behind.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need qemu-img jq truncate

# size_of FILE / blocks_of FILE: st_size, st_blocks (512-byte units).
size_of() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }
blocks_of() { stat -c %b "$1" 2>/dev/null || stat -f %b "$1"; }
# leftovers DIR: names mkdisk's temporaries would have.
leftovers() { find "$1" -name '*.mkdisk-*' | wc -l | tr -d ' '; }

# The size table: every unit, the bytes it means, and truncate(1) as
# the peer where it has the same spelling.
mkdir "$T/sz"
while read -r spec bytes; do
	f=$T/sz/$(echo "$spec" | tr -c 'a-zA-Z0-9.\n' _).img
	expect_exit 0 "mkdisk -v $spec" mkdisk -v "$spec" "$f"
	check_eq "$spec: -v says the bytes" "$f $bytes bytes" "$(cat "$T/out")"
	check_eq "$spec: st_size is $bytes" "$bytes" "$(size_of "$f")"
	check_eq "$spec: sparse (no more than 8 blocks)" 1 \
	    "$([ "$(blocks_of "$f")" -le 8 ] && echo 1)"
done <<'SIZES'
512 512
1b 512
2048b 1048576
1k 1024
1K 1024
1KiB 1024
10m 10485760
1M 1048576
1MiB 1048576
1.5m 1572864
1g 1073741824
1G 1073741824
1GiB 1073741824
1t 1099511627776
1TiB 1099511627776
1073741824 1073741824
SIZES
for spec in 1K 1M 1G 1T; do
	truncate -s "$spec" "$T/sz/peer"
	mkdisk "$spec" "$T/sz/ours.$spec" 2>/dev/null
	check_eq "$spec: the same size as truncate -s $spec" \
	    "$(size_of "$T/sz/peer")" "$(size_of "$T/sz/ours.$spec")"
	rm -f "$T/sz/peer"
done

# Bad sizes: usage status 2, the value named, nothing created.
while IFS='|' read -r spec says; do
	expect_exit 2 "size '$spec' refused" mkdisk "$spec" "$T/bad.img"
	check_grep "size '$spec': the message names it" "'$spec'" "$T/err"
	check_grep "size '$spec': $says" "$says" "$T/err"
	check_eq "size '$spec': no file" 0 "$([ -e "$T/bad.img" ] && echo 1 ||
	    echo 0)"
done <<'BAD'
0|zero
-1g|negative
1.3k|not a whole number of bytes
1000|use 512 or 1024
99999999999999999999g|too large
1x|unknown unit
1GB|could mean powers of 1000 or of 1024
g|not a number
BAD
expect_exit 2 "no FILE: usage" mkdisk 1g
expect_exit 2 "bad --preallocate" mkdisk --preallocate=some 1g "$T/p.img"
expect_exit 2 "bad -f" mkdisk -f vmdk 1g "$T/p.img"
expect_exit 2 "qcow2 with preallocation" mkdisk -f qcow2 \
    --preallocate=full 1g "$T/p.img"

# Preallocation: blocks reserved (falloc) or written (full), zeros read.
for p in falloc full; do
	expect_exit 0 "--preallocate=$p 8m" mkdisk --preallocate=$p --json \
	    8m "$T/$p.img"
	check_eq "$p: st_size" 8388608 "$(size_of "$T/$p.img")"
	check_eq "$p: all blocks allocated" 1 \
	    "$([ "$(blocks_of "$T/$p.img")" -ge 16384 ] && echo 1)"
	check_eq "$p: reads as zeros" 1 \
	    "$(head -c 8388608 /dev/zero | cmp -s - "$T/$p.img" && echo 1)"
	check_eq "$p: --json" "8388608 8388608 $p raw false" \
	    "$(jq -j '.virtual_size, " ", .file_size, " ", .preallocate, " ",
	        .format, " ", .replaced' "$T/out")"
	check_eq "$p: --json allocated bytes" 1 \
	    "$(jq '.allocated >= 8388608' "$T/out" | sed 's/true/1/')"
done
expect_exit 0 "-n is sparse (mkfile compatibility)" mkdisk -n 8m "$T/n.img"
check_eq "-n: no blocks" 1 "$([ "$(blocks_of "$T/n.img")" -le 8 ] && echo 1)"

# qcow2: qemu-img checks it and sees the exact virtual size.
for spec in 1m 1g 1.5g 1049088k 1t 16t; do
	f=$T/q.$spec.qcow2
	expect_exit 0 "-f qcow2 $spec" mkdisk -f qcow2 --json "$spec" "$f"
	bytes=$(jq -r .virtual_size "$T/out")
	expect_exit 0 "qcow2 $spec: qemu-img check is clean" qemu-img check "$f"
	run qemu-img info --output=json "$f"
	check_eq "qcow2 $spec: qemu-img sees format qcow2, virtual size $bytes" \
	    "qcow2 $bytes" "$(jq -j '.format, " ", ."virtual-size"' "$T/out")"
	check_eq "qcow2 $spec: small file (under 1 MiB)" 1 \
	    "$([ "$(size_of "$f")" -lt 1048576 ] && echo 1)"
done
expect_exit 0 "qcow2: qemu-img convert to raw" qemu-img convert -f qcow2 \
    -O raw "$T/q.1049088k.qcow2" "$T/q.raw"
check_eq "qcow2: converted size exact" 1074266112 "$(size_of "$T/q.raw")"
check_eq "qcow2: converted content all zeros" 1 \
    "$(head -c 1074266112 /dev/zero | cmp -s - "$T/q.raw" && echo 1)"
rm -f "$T/q.raw"

# Never overwrite without --force: content and mtime unchanged.
echo "precious data" >"$T/keep.img"
touch -t 200001010000 "$T/keep.img"
before=$(mtime "$T/keep.img")
expect_exit 1 "existing file: exit 1" mkdisk 1m "$T/keep.img"
check_eq "existing file: the message" \
    "mkdisk: $T/keep.img: exists (use --force to replace it)" \
    "$(cat "$T/err")"
check_eq "existing file: content unchanged" "precious data" \
    "$(cat "$T/keep.img")"
check_eq "existing file: mtime unchanged" "$before" "$(mtime "$T/keep.img")"
expect_exit 1 "existing file, qcow2: exit 1" mkdisk -f qcow2 1m "$T/keep.img"
check_eq "existing file, qcow2: content unchanged" "precious data" \
    "$(cat "$T/keep.img")"
ln -s "$T/keep.img" "$T/link.img"
expect_exit 1 "a symlink is an existing file" mkdisk 1m "$T/link.img"
check_eq "the symlink's target unchanged" "precious data" "$(cat "$T/keep.img")"
expect_exit 1 "a directory: exit 1" mkdisk 1m "$T"
# --force: a new file renamed over the old one.
old_inode=$(inode_of "$T/keep.img")
expect_exit 0 "--force replaces" mkdisk --force --json 1m "$T/keep.img"
check_eq "--force: new size" 1048576 "$(size_of "$T/keep.img")"
check_eq "--force: a new inode (renamed into place, not truncated)" 1 \
    "$([ "$(inode_of "$T/keep.img")" != "$old_inode" ] && echo 1)"
check_eq "--force: --json says replaced" true "$(jq .replaced "$T/out")"
check_eq "--force: no temporaries" 0 "$(leftovers "$T")"

# Several files: each on its own; one failure fails the run only.
echo x >"$T/m2.img"
run mkdisk 1m "$T/m1.img" "$T/m2.img" "$T/m3.img"
check_eq "several files: exit 1 when one failed" 1 "$rc"
check_eq "several files: the others were made" "1048576 1048576" \
    "$(size_of "$T/m1.img") $(size_of "$T/m3.img")"
check_eq "several files: the existing one untouched" x "$(cat "$T/m2.img")"

# RLIMIT_FSIZE: EFBIG, reported as such, nothing left behind.
mkdir "$T/lim"
for p in off full; do
	run sh -c 'ulimit -f 2048 && exec mkdisk --preallocate="$1" 8m "$2"' \
	    sh "$p" "$T/lim/big.img"
	check_eq "RLIMIT_FSIZE, $p: exit 1" 1 "$rc"
	check_grep "RLIMIT_FSIZE, $p: says the file is too large" \
	    "File too large" "$T/err"
	check_eq "RLIMIT_FSIZE, $p: one line" 1 "$(lines "$T/err")"
	check_eq "RLIMIT_FSIZE, $p: no image, no temporary" "" \
	    "$(ls -A "$T/lim")"
done

# Larger than the file system allows (ext4: 16 TiB): EFBIG, or made.
run mkdisk 8388607t "$T/huge.img"
if [ "$rc" = 0 ]; then
	check_eq "8388607t: the file system took it, exact size" \
	    9223370937343148032 "$(size_of "$T/huge.img")"
	rm -f "$T/huge.img"
else
	check_eq "8388607t: exit 1" 1 "$rc"
	check_grep "8388607t: too large for the file system" \
	    "more than this file system" "$T/err"
	check_eq "8388607t: nothing left" 0 "$(leftovers "$T")"
fi

# Sparse and bigger than the free space: a warning, still made.
avail=$(df -Pk "$T" | awk 'NR == 2 { print $4 }')
big=$((avail * 2 + 1024))k
expect_exit 0 "sparse $big, twice the free space" mkdisk "$big" "$T/over.img"
check_grep "sparse beyond free space: a warning" \
    "warning: the image may grow to" "$T/err"
rm -f "$T/over.img"

# A full file system (a 1 MiB tmpfs in a private mount namespace):
# --preallocate=full and falloc fail cleanly, nothing left.
if [ "$(id -u)" = 0 ]; then ns=-m; else ns=-rm; fi
mkdir "$T/small"
# shellcheck disable=SC2016 # "$1" and "$2" are the inner sh's
if command -v unshare >/dev/null 2>&1 &&
    unshare $ns sh -c 'mount -t tmpfs -o size=1m tmpfs "$1"' sh "$T/small" \
    2>/dev/null; then
	for p in full falloc; do
		# shellcheck disable=SC2016
		run unshare $ns sh -c 'mount -t tmpfs -o size=1m tmpfs "$1" &&
		    mkdisk --preallocate="$2" 4m "$1/d.img"
		    echo "rc=$?"; ls -A "$1"' sh "$T/small" "$p"
		check_eq "full file system, $p: exit 1, nothing left" "rc=1" \
		    "$(cat "$T/out")"
		check_grep "full file system, $p: says so" \
		    "No space left on device" "$T/err"
	done
elif [ "${CI:-}" = true ]; then
	fail "full file system: cannot mount a tmpfs (unshare $ns)"
else
	skip "full file system: cannot mount a tmpfs here"
fi

# A signal while writing zeros: the temporary goes, mkdisk dies of it.
mkdir "$T/sig"
mkdisk --preallocate=full 64g "$T/sig/s.img" 2>"$T/err" &
pid=$!
sleep 1
kill -INT "$pid" 2>/dev/null
wait "$pid"
rc=$?
check_eq "SIGINT: killed by the signal" 130 "$rc"
check_eq "SIGINT: no image, no temporary" "" "$(ls -A "$T/sig")"
done_testing
