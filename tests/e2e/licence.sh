#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The licence is said everywhere it has to be: LICENSE is the GPL version
# 3, every file of the project's own carries its SPDX line in its first
# lines, and the README and the Homebrew formula name the same licence.
# fixtures/ holds others' test data under their own licences
# (fixtures/README.md) and is left out, but for the generator we wrote.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
top=$IB_TOP
spdx='SPDX-License-Identifier: GPL-3.0-or-later'

check_grep "LICENSE is the GNU GPL version 3" \
    'GNU GENERAL PUBLIC LICENSE' "$top/LICENSE"
check_grep "LICENSE: version 3" 'Version 3, 29 June 2007' "$top/LICENSE"
check_grep "README names the licence" 'GPL-3.0-or-later' "$top/README.md"
check_grep "the Homebrew formula names it" \
    'license "GPL-3.0-or-later"' "$top/packaging/homebrew/isoboot.rb"

# Our files: sources, scripts, build files, man pages, completions.
(cd "$top" && for f in lib/*.[ch] tools/*.[ch] tests/unit/*.[ch] fuzz/*.c \
    fuzz/*.sh tests/e2e/*.sh tests/lib/*.sh tests/lib/*.c tests/big/*.sh \
    tests/bootcheck/*.sh \
    tests/run.sh mk/*.sh bench/*.sh examples/*.sh examples/*/Makefile \
    Makefile share/*.mk completions/* man/*.1 packaging/homebrew/*.rb \
    .ci/run fixtures/*.h; do
	[ ! -f "$f" ] || echo "$f"
done) >"$T/ours"
: >"$T/bare"
n=0
while read -r f; do
	n=$((n + 1))
	head -n 3 "$top/$f" | grep -qF "$spdx" || echo "$f" >>"$T/bare"
done <"$T/ours"
if [ "$n" -lt 150 ]; then
	fail "our files found ($n, fewer than 150: the list is wrong)"
elif [ -s "$T/bare" ]; then
	fail "every one of our $n files has its SPDX line"
	sed 's/^/#   none in: /' "$T/bare"
else
	ok "every one of our $n files has its SPDX line"
fi
done_testing
