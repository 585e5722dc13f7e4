#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# distcheck.sh TARBALL: unpack the tarball, build it, run make
# check on the tarball's own fixtures/ (isos/ and bootcfg/: it must stand
# alone, so nothing of the checkout is used), and check
# that make install + make uninstall leave no file.
set -eu
tarball=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/isoboot-distcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
gzip -dc "$tarball" | (cd "$tmp" && tar -xf -)
src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d)
for f in fixtures/isos/SOURCES fixtures/bootcfg/README.md; do
	if [ ! -f "$src/$f" ]; then
		echo "distcheck: the tarball has no $f" >&2
		exit 1
	fi
done
# SHARED on the command line: a make distcheck SHARED=... reaches this
# make through MAKEFLAGS, and must not.
make -C "$src" check SHARED="$src/fixtures"
make -C "$src" install DESTDIR="$tmp/inst" PREFIX=/usr/local
n=$(find "$tmp/inst" -type f | wc -l | tr -d ' ')
if [ "$n" -lt 3 ]; then
	echo "distcheck: make install put only $n files in DESTDIR" >&2
	exit 1
fi
make -C "$src" uninstall DESTDIR="$tmp/inst" PREFIX=/usr/local
left=$(find "$tmp/inst" -type f)
if [ -n "$left" ]; then
	echo "distcheck: make uninstall left files behind:" >&2
	echo "$left" >&2
	exit 1
fi
echo "distcheck: $(basename "$tarball") builds, passes make check," \
    "installs $n files and uninstalls them all"
