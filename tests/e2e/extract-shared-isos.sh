#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The test images of libarchive's and libcdio's suites (fixtures/isos):
# the tool lists the paths those suites assert, extracts bytes whose
# sha256 they record, and fails cleanly (exit 1, one line) on the images
# that must fail. The full listing (type, size, mode, target) is compared
# by tests/unit/check_iso.c.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need gzip timeout
isos=$IB_SHARED/isos
need_file "$isos/SOURCES"

grep -v '^#' "$isos/SOURCES" | while IFS='	' read -r name outcome _rest; do
	img=$isos/$name.iso
	if [ ! -f "$img" ]; then
		gzip -dc "$isos/$name.iso.gz" >"$T/$name.iso"
		img=$T/$name.iso
	fi
	case $outcome in
	error)
		run timeout 10 isoboot-extract -x "$img" -C "$T/x-$name"
		if [ "$rc" -eq 1 ] && [ -s "$T/err" ] &&
		    grep -q "^isoboot-extract: $img: " "$T/err"; then
			ok "$name: clean error: $(head -n 1 "$T/err")"
		else
			fail "$name: expected exit 1 with a message, got $rc"
		fi
		continue
		;;
	esac
	run timeout 10 isoboot-extract -t "$img"
	if [ "$outcome" = list-or-error ] && [ "$rc" -eq 1 ] &&
	    [ -s "$T/err" ]; then
		ok "$name: clean error (allowed): $(head -n 1 "$T/err")"
		continue
	fi
	sort "$T/out" >"$T/got"
	cut -f1 "$isos/$name.expected" | sort >"$T/want"
	check_eq "$name: -t exits 0" 0 "$rc"
	check_files "$name: -t lists the suite's paths" "$T/want" "$T/got"
	run timeout 10 isoboot-extract -x "$img" -C "$T/x-$name"
	check_eq "$name: -x exits 0" 0 "$rc"
	if [ -s "$isos/$name.sha256" ]; then
		bad=0
		while read -r sum path; do
			path=${path#\*}
			if [ ! -f "$T/x-$name/$path" ] ||
			    [ "$(sha256 "$T/x-$name/$path")" != "$sum" ]; then
				bad=$((bad + 1))
				echo "#   $path: wrong or missing"
			fi
		done <"$isos/$name.sha256"
		check_eq "$name: sha256 of every extracted file" 0 "$bad"
	fi
	chmod -R u+w "$T/x-$name" 2>/dev/null
done >"$T/log"
cat "$T/log"
grep -q '^not ok' "$T/log" && _failures=1
done_testing
