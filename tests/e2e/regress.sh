#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Inputs that once crashed a fuzz target (tests/regress/TARGET/*) are
# replayed through the target's code without libFuzzer, in every build.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
n=0
for dir in "$IB_TOP"/tests/regress/*/; do
	[ -d "$dir" ] || continue
	t=$(basename "$dir")
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		expect_exit 0 "$t: $(basename "$f") replays cleanly" \
		    "$IB_BUILD/replay/$t" "$f"
	done
done
for t in fuzz_iso fuzz_rrip fuzz_iso_names fuzz_zisofs fuzz_path \
    fuzz_syslinux fuzz_cmdline fuzz_grub; do
	expect_exit 0 "$t: replay driver runs on an empty input" \
	    "$IB_BUILD/replay/$t" /dev/null
done
echo "# $n regression inputs"
done_testing
