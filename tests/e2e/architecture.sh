#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# ARCHITECTURE.md stays the map of the code: it names every lib/ file and
# no lib/ file that is gone; every header exports only its module's names
# (ib_F_* or ib_F, F = the file name up to its first '_'); platform tests
# live in lib/compat.c only; every IB_MAX_ limit is in lib/bounds.h, and
# the map lists each of bounds.h's limits.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
top=$IB_TOP
doc=$top/ARCHITECTURE.md

if [ ! -f "$doc" ]; then
	fail "ARCHITECTURE.md exists"
	done_testing
fi

# The module map: from "## Module map" to the next "## " heading.
awk '/^## Module map/ { m = 1; next } /^## / { m = 0 } m' "$doc" \
    >"$T/map"

# names FILE: every `name.c` or `name.h` in backticks, one a line.
names() {
	# shellcheck disable=SC2016 # the backticks are Markdown's, not sh's
	grep -oE '`[A-Za-z0-9_.-]+\.[ch]`' "$1" | tr -d '`' | LC_ALL=C sort -u
}

# 1. Every lib file is named in ARCHITECTURE.md.
names "$doc" >"$T/doc.names"
: >"$T/missing"
for f in "$top"/lib/*.c "$top"/lib/*.h; do
	b=$(basename "$f")
	grep -qxF "$b" "$T/doc.names" || echo "$b" >>"$T/missing"
done
if [ -s "$T/missing" ]; then
	fail "ARCHITECTURE.md names every lib/*.c and lib/*.h"
	sed 's/^/#   not named: /' "$T/missing"
else
	ok "ARCHITECTURE.md names every lib/*.c and lib/*.h"
fi

# 2. Every file the module map names is in lib/.
names "$T/map" >"$T/map.names"
: >"$T/gone"
while IFS= read -r b; do
	[ -f "$top/lib/$b" ] || echo "$b" >>"$T/gone"
done <"$T/map.names"
if [ "$(lines "$T/map.names")" -lt 10 ]; then
	fail "ARCHITECTURE.md has a module map naming lib files" \
	    "($(lines "$T/map.names") names under '## Module map')"
elif [ -s "$T/gone" ]; then
	fail "every file the module map names exists in lib/"
	sed 's/^/#   no such lib file: /' "$T/gone"
else
	ok "every file the module map names exists in lib/" \
	    "($(lines "$T/map.names") files)"
fi

# 3. The naming rule, one check per header. Comments are stripped first;
# a declaration starts in column 0 (KNF), so a line there that holds
# "ib_name(" declares (or, for a static inline, defines) ib_name.
decls() {
	awk '
	{
		line = $0
		out = ""
		while (1) {
			if (c) {
				i = index(line, "*/")
				if (i == 0) {
					line = ""
					break
				}
				line = substr(line, i + 2)
				c = 0
			}
			i = index(line, "/*")
			if (i == 0) {
				out = out line
				break
			}
			out = out substr(line, 1, i - 1)
			line = substr(line, i + 2)
			c = 1
		}
		if (out ~ /^[A-Za-z_]/ && match(out, /(^|[ *])ib_[a-z0-9_]+\(/)) {
			name = substr(out, RSTART, RLENGTH - 1)
			sub(/^[ *]/, "", name)
			print name
		}
	}' "$1"
}
for h in "$top"/lib/*.h; do
	b=$(basename "$h" .h)
	case $b in
	errors | bytes | compat | bounds) continue ;;
	esac
	F=${b%%_*}
	bad=$(decls "$h" | while IFS= read -r fn; do
		case $fn in
		"ib_$F" | "ib_${F}"_*) ;;
		*) printf ' %s' "$fn" ;;
		esac
	done)
	n=$(decls "$h" | wc -l | tr -d ' ')
	if [ -n "$bad" ]; then
		fail "lib/$b.h declares only ib_${F}_* or ib_$F (not:$bad)"
	else
		ok "lib/$b.h declares only ib_${F}_* or ib_$F ($n declared)"
	fi
done

# 4. Platform tests only in lib/compat.c.
grep -nE '__APPLE__|__linux__|__GLIBC__|_GNU_SOURCE' \
    "$top"/lib/*.c "$top"/lib/*.h "$top"/tools/*.c "$top"/tools/*.h |
    grep -v "^$top/lib/compat\.c:" >"$T/platform" || true
if [ -s "$T/platform" ]; then
	fail "platform tests (__APPLE__, __linux__, __GLIBC__, _GNU_SOURCE)" \
	    "only in lib/compat.c"
	sed "s|^$top/|#   |" "$T/platform"
else
	ok "platform tests (__APPLE__, __linux__, __GLIBC__, _GNU_SOURCE)" \
	    "only in lib/compat.c"
fi

# 5. Every IB_MAX_ limit is defined in lib/bounds.h only.
find "$top/lib" "$top/tools" "$top/tests" "$top/fuzz" "$top/fixtures" \
    -type f \( -name '*.c' -o -name '*.h' \) ! -path "$top/lib/bounds.h" \
    -exec grep -nE '^[[:space:]]*#[[:space:]]*define[[:space:]]+IB_MAX_' \
    /dev/null {} + >"$T/limits" || true
if [ -s "$T/limits" ]; then
	fail "every #define IB_MAX_ is in lib/bounds.h"
	sed "s|^$top/|#   |" "$T/limits"
else
	ok "every #define IB_MAX_ is in lib/bounds.h"
fi

# 6. ARCHITECTURE.md lists every limit of lib/bounds.h by name.
: >"$T/unlisted"
sed -n 's/^#define \(IB_[A-Z0-9_]*\).*/\1/p' "$top/lib/bounds.h" |
    grep -vx IB_BOUNDS_H >"$T/bounds"
while IFS= read -r m; do
	grep -qF "\`$m\`" "$doc" || echo "$m" >>"$T/unlisted"
done <"$T/bounds"
if [ -s "$T/unlisted" ]; then
	fail "ARCHITECTURE.md lists every limit in lib/bounds.h"
	sed 's/^/#   not listed: /' "$T/unlisted"
else
	ok "ARCHITECTURE.md lists every limit in lib/bounds.h"
fi

done_testing
