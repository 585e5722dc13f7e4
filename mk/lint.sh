#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# lint.sh: what make lint checks (STYLE.md section 9): formatting,
# shell scripts, manual pages, internal headers in tools, banned calls.
set -u
status=0
for f in lib/*.c lib/*.h tools/*.c tools/*.h tests/unit/*.c tests/unit/*.h \
    fixtures/*.h fuzz/*.c fuzz/*.h; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "lint: $f: not formatted (make fmt)"
		status=1
	fi
done
shellcheck -x -s sh tests/e2e/*.sh tests/big/*.sh tests/run.sh mk/*.sh \
    bench/*.sh examples/*.sh fuzz/*.sh tests/lib/*.sh tests/bootcheck/*.sh \
    .ci/run || status=1
shellcheck -s bash completions/isoboot.bash || status=1
zsh -n completions/_isoboot || status=1
mandoc -Tlint -Wwarning man/*.1 || status=1
if grep -n '#include "[a-z_]*_int\.h"' tools/*.c tools/*.h; then
	echo "lint: tools must not include internal headers"
	status=1
fi
banned='gets|strcpy|strcat|sprintf|vsprintf|strncpy|strtok|atoi|atol|atoll|tmpnam|mktemp|system|popen|alloca'
if grep -nE "(^|[^a-z_])($banned)\(" lib/*.c tools/*.c; then
	echo "lint: banned call (STYLE.md section 9)"
	status=1
fi
exit $status
