#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh BUILD SHARED TEST...: run Check unit binaries and e2e shell tests,
# count what passed, failed and skipped, and end with the one line
# "N passed, N failed, N skipped". Exit 1 if anything failed; under
# CI=true a skip counts as a failure (no test may skip in CI); with
# IB_ONCE_DONE set, scripts marked "# ib: once" are not run. SHARED
# holds the test inputs isos/ and bootcfg/ (make's default: fixtures).
set -u
build=$1
shared=$2
shift 2

top=$(pwd)
IB_BIN=$top/$build/bin
IB_BUILD=$top/$build
IB_SHARED=$shared
IB_TOP=$top
IB_WORK=$top/$build/test-work
export IB_BIN IB_BUILD IB_SHARED IB_TOP IB_WORK
rm -rf "$IB_WORK"
mkdir -p "$IB_WORK"

passed=0
failed=0
skipped=0
log=$IB_WORK/run.log

for t in "$@"; do
	name=$(basename "$t")
	# A script marked "# ib: once" boots a whole installed system for
	# minutes; .ci/run runs it in its first make check and sets
	# IB_ONCE_DONE for the builds after it (sanitizers, portable,
	# distcheck), which test the same code with faster scripts.
	if [ -n "${IB_ONCE_DONE:-}" ] && grep -q '^# ib: once$' "$t" 2>/dev/null
	then
		echo "# $name: run once in this CI, by its first make check"
		continue
	fi
	case $t in
	*.sh)
		sh "$t" >"$log" 2>&1
		rc=$?
		cat "$log"
		p=$(grep -c '^ok ' "$log")
		f=$(grep -c '^not ok ' "$log")
		s=$(grep -c '^skip ' "$log")
		;;
	*)
		"$t" >"$log" 2>&1
		rc=$?
		cat "$log"
		line=$(grep 'Checks: [0-9]*, Failures: [0-9]*, Errors: [0-9]*' \
		    "$log" | tail -n 1)
		n=$(echo "$line" | sed 's/.*Checks: \([0-9]*\).*/\1/')
		fl=$(echo "$line" | sed 's/.*Failures: \([0-9]*\).*/\1/')
		er=$(echo "$line" | sed 's/.*Errors: \([0-9]*\).*/\1/')
		if [ -z "$line" ]; then
			p=0
			f=1
		else
			f=$((fl + er))
			p=$((n - f))
		fi
		s=0
		;;
	esac
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	echo "# $name: $p passed, $f failed, $s skipped"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
done

if [ "${CI:-}" = true ] && [ "$skipped" -gt 0 ]; then
	echo "# CI=true: $skipped skipped tests count as failures"
	failed=$((failed + skipped))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
