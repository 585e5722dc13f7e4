#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot-extract on the bootable ISOs Debian ships (ipxe, grub-rescue-pc,
# memtest86+): the listing equals bsdtar's, and -x writes the same regular
# files, with the same bytes, as bsdtar -x (and the same directories and
# symlinks).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need bsdtar timeout

u8=$(locale -a 2>/dev/null | grep -i -E '^(c|en_us)\.utf-?8$' | head -n 1)
[ -n "$u8" ] || u8=C

# paths_of DIR TYPE: the relative paths of TYPE (f, d, l) under DIR.
paths_of() {
	(cd "$1" && find . -type "$2" -print) |
	    sed -e '/^\.$/d' -e 's|^\./||' | sort
}

for iso in /usr/lib/ipxe/ipxe.iso \
    /usr/lib/grub-rescue/grub-rescue-cdrom.iso \
    /usr/lib/memtest86+/memtest86+x64.iso; do
	n=$(basename "$iso" .iso)
	if [ ! -f "$iso" ]; then
		if [ "${CI:-}" = true ]; then
			fail "$n: '$iso' is missing (run make deps)"
		else
			skip "$n: '$iso' missing (run make deps)"
		fi
		continue
	fi
	expect_exit 0 "$n: -t exits 0" timeout 60 isoboot-extract -t "$iso"
	sort "$T/out" >"$T/$n.list"
	check_eq "$n: -t prints no message" "" "$(cat "$T/err")"
	LC_ALL=$u8 bsdtar -tf "$iso" >"$T/$n.bsd.raw" 2>"$T/$n.bsd.err"
	grep -v '^\.$' "$T/$n.bsd.raw" | sort >"$T/$n.bsd"
	if [ -s "$T/$n.bsd" ]; then
		ok "$n: bsdtar lists the image"
	else
		fail "$n: bsdtar lists nothing"
	fi
	check_files "$n: -t lists what bsdtar lists" "$T/$n.bsd" "$T/$n.list"

	mine=$T/x-$n
	theirs=$T/bsd-$n
	mkdir -p "$theirs"
	expect_exit 0 "$n: -x exits 0" \
	    timeout 60 isoboot-extract -x -C "$mine" "$iso"
	check_eq "$n: -x prints nothing" "" "$(cat "$T/out" "$T/err")"
	LC_ALL=$u8 bsdtar -xf "$iso" -C "$theirs" 2>"$T/$n.bsdx.err"
	paths_of "$mine" f >"$T/$n.f.mine"
	paths_of "$theirs" f >"$T/$n.f.theirs"
	check_files "$n: the same regular files as bsdtar -x" \
	    "$T/$n.f.theirs" "$T/$n.f.mine"
	bad=0
	while read -r p; do
		if [ ! -f "$mine/$p" ] ||
		    [ "$(sha256 "$mine/$p")" != "$(sha256 "$theirs/$p")" ]; then
			bad=$((bad + 1))
			echo "#   $p: sha256 differs"
		fi
	done <"$T/$n.f.theirs"
	check_eq "$n: every file's sha256 equals bsdtar's" 0 "$bad"
	check_eq "$n: $(lines "$T/$n.f.theirs") files compared" yes \
	    "$([ "$(lines "$T/$n.f.theirs")" -gt 0 ] && echo yes)"
	paths_of "$mine" d >"$T/$n.d.mine"
	paths_of "$theirs" d >"$T/$n.d.theirs"
	check_files "$n: the same directories as bsdtar -x" \
	    "$T/$n.d.theirs" "$T/$n.d.mine"
	paths_of "$mine" l >"$T/$n.l.mine"
	paths_of "$theirs" l >"$T/$n.l.theirs"
	check_files "$n: the same symlinks as bsdtar -x" \
	    "$T/$n.l.theirs" "$T/$n.l.mine"
	find "$mine" -name '.ib*' -print >"$T/temps"
	check_eq "$n: no .ib*.tmp file left" "" "$(cat "$T/temps")"
	# Read-only directories (dr-xr-xr-x) would stop rm -rf.
	chmod -R u+w "$mine" "$theirs" 2>/dev/null
done

done_testing
