#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Packaging: the Homebrew formula parses (ruby -c), and what its test
# block runs works here: mkdisk makes and then refuses disk.img, and
# isoboot-extract lists the fixture it installs (fixtures/tiny.iso.gz,
# read through the gzip stream path).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need ruby
formula=$IB_TOP/packaging/homebrew/isoboot.rb
expect_exit 0 "ruby -c isoboot.rb" ruby -c "$formula"
check_grep "the formula installs the fixture its test uses" \
    'pkgshare.install "fixtures/tiny.iso.gz"' "$formula"
check_grep "the formula's licence is LICENSE's, GPL-3.0-or-later" \
    'license "GPL-3.0-or-later"' "$formula"
check_grep "LICENSE is the GPL version 3" '^ *Version 3, 29 June 2007$' \
    "$IB_TOP/LICENSE"
check_eq "the fixture exists" 1 "$([ -f "$IB_TOP/fixtures/tiny.iso.gz" ] &&
    echo 1)"
expect_exit 0 "formula test: mkdisk 1m" mkdisk 1m "$T/disk.img"
check_eq "formula test: 1048576 bytes" 1048576 "$(wc -c <"$T/disk.img" |
    tr -d ' ')"
expect_exit 1 "formula test: a second mkdisk refuses" mkdisk 1m "$T/disk.img"
check_grep "formula test: says exists (use --force" "exists (use --force" \
    "$T/err"
expect_exit 0 "formula test: isoboot-extract -t tiny.iso.gz" \
    isoboot-extract -t "$IB_TOP/fixtures/tiny.iso.gz"
check_grep "formula test: README.TXT listed" "^README.TXT$" "$T/out"
expect_exit 0 "the fixture's README.TXT" isoboot-extract -x -O \
    "$IB_TOP/fixtures/tiny.iso.gz" README.TXT
check_eq "the fixture's README.TXT says hello" "hello from isoboot" \
    "$(cat "$T/out")"

# isoboot --mk-path as installed (bin/ and share/isoboot/ under one
# prefix, as make install and Homebrew's cellar lay them out), by any
# name it is run by.
mkdir -p "$T/p/bin" "$T/p/share/isoboot"
cp "$IB_BIN/isoboot" "$T/p/bin/"
cp "$IB_TOP/share/isoboot.mk" "$T/p/share/isoboot/"
want=$(cd "$T/p/share/isoboot" && pwd -P)/isoboot.mk
expect_exit 0 "formula test: isoboot --mk-path" env -u ISOBOOT_MK \
    "$T/p/bin/isoboot" --mk-path
check_eq "--mk-path: the prefix's share/isoboot/isoboot.mk" "$want" \
    "$(cat "$T/out")"
expect_exit 0 "--mk-path, found through PATH" env -u ISOBOOT_MK \
    PATH="$T/p/bin:$PATH" isoboot --mk-path
check_eq "--mk-path through PATH: the same file" "$want" "$(cat "$T/out")"
check_grep "the formula's test checks --mk-path" 'isoboot --mk-path' \
    "$formula"
done_testing
