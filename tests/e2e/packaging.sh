#!/bin/sh
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
done_testing
