#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every tool's manual page is clean under mandoc -Tlint and lists exactly
# the options its --help lists.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need mandoc

for page in "$IB_TOP"/man/*.1; do
	tool=$(basename "$page" .1)
	run mandoc -Tlint -Wwarning "$page"
	check_eq "$tool.1: mandoc -Tlint is clean" "0:" "$rc:$(cat "$T/out")"

	run "$tool" --help
	check_eq "$tool --help exits 0" 0 "$rc"
	# Option lines of --help: "  -x, --long ARG  text" or "      --long".
	grep '^  *-' "$T/out" | sed 's/  [A-Za-z].*//' |
	    grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | tr -d ' ,' |
	    sort -u >"$T/help.opts"
	# Option items of the page: ".It Fl x , Fl -long Ar ARG".
	grep '^\.It Fl' "$page" | grep -oE 'Fl -?[A-Za-z][A-Za-z-]*' |
	    sed 's/^Fl /-/' | sort -u >"$T/man.opts"
	check_files "$tool: --help and $tool.1 list the same options" \
	    "$T/help.opts" "$T/man.opts"
	check_eq "$tool: options found" 1 \
	    "$([ "$(lines "$T/help.opts")" -gt 3 ] && echo 1)"

	run "$tool" --version
	check_grep "$tool --version names the version" \
	    "^$tool $(cat "$IB_TOP/VERSION")\$" "$T/out"
done
# The README says what the tools say (issue 18: it listed --net without
# none, named a mini.iso no package ships, and left out what a fresh
# Debian needs before the two commands).
readme=$IB_TOP/README.md
run isoboot --help
nets=$(sed -n 's/^ *--net N  *\(.*\) (default)$/\1/p' "$T/out" |
    sed 's/, / /g; s/ or / /' | tr ' ' '\n' | sort | tr '\n' '|' |
    sed 's/|$//')
check_eq "isoboot --help lists the --net values" "none|user|vmnet|vpnkit" \
    "$nets"
check_grep "README: --net lists every value" \
    '--net none|vpnkit|vmnet|user' "$readme"
check_grep "README: what a fresh Debian needs first" \
    'apt-get install git make' "$readme"
if grep -q 'mini\.iso` (package debian-installer' "$readme"; then
	fail "README: no mini.iso said to be in a package that has none"
else
	ok "README: no mini.iso said to be in a package that has none"
fi
done_testing
