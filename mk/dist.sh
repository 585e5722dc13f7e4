#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# dist.sh VERSION OUT: a reproducible source tarball of the tracked files.
# Entries sorted by name, owner root:root, every mtime SOURCE_DATE_EPOCH
# (default: the last commit's time), gzip without a name or time: two
# runs on the same commit give the same bytes. Needs git and GNU tar.
set -eu
version=$1
out=$2
top=isoboot-$version
if ! git rev-parse --git-dir >/dev/null 2>&1; then
	echo "dist: not a git checkout (the file list comes from git)" >&2
	exit 1
fi
if ! tar --version 2>/dev/null | grep -q 'GNU tar'; then
	echo "dist: GNU tar is needed (brew install gnu-tar; make TAR=gtar)" >&2
	exit 1
fi
: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct)}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/isoboot-dist.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git ls-files | LC_ALL=C sort >"$tmp/list"
# Modes as git has them: 755 for executables, 644 for the rest.
tar --create --no-recursion --files-from="$tmp/list" \
    --transform="s,^,$top/," --format=ustar \
    --owner=0 --group=0 --numeric-owner --mode='u+rw,go+r,go-w' \
    --mtime="@$SOURCE_DATE_EPOCH" | gzip -9 -n >"$tmp/out.tar.gz"
mv "$tmp/out.tar.gz" "$out"
echo "dist: $out ($(git ls-files | wc -l | tr -d ' ') files)"
