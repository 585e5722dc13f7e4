# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh: helpers for the end-to-end tests (POSIX sh). Each test script
# sources it, runs assertions that print "ok - ...", "not ok - ..." or
# "skip - ...", and calls done_testing at the end.
#
# Environment (set by tests/run.sh): IB_BIN (built tools), IB_SHARED
# (fixtures/, make's SHARED), IB_WORK (scratch), IB_TOP (source tree).
set -u
: "${IB_BIN:?run through make check}"
: "${IB_WORK:?run through make check}"
PATH=$IB_BIN:$PATH
export PATH
# isoboot reads the seed's default SSH key from $HOME/.ssh: the tests see
# none, whoever runs them. The cached disks stay under the real $HOME.
IB_CACHE=${IB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/isoboot-tests}
HOME=$IB_WORK/home
mkdir -p "$HOME"
export IB_CACHE HOME
TZ=UTC
LC_ALL=C
export TZ LC_ALL

T=$(mktemp -d "$IB_WORK/$(basename "$0" .sh).XXXXXX")
_failures=0

ok() { echo "ok - $*"; }
fail() {
	echo "not ok - $*"
	_failures=$((_failures + 1))
}
skip() { echo "skip - $*"; }

# need CMD...: skip the whole script when a tool is missing, except under
# CI=true, where that is a failure.
need() {
	for _c in "$@"; do
		if ! command -v "$_c" >/dev/null 2>&1; then
			if [ "${CI:-}" = true ]; then
				fail "required tool '$_c' is missing (run make deps)"
			else
				skip "$(basename "$0"): '$_c' missing (run make deps)"
			fi
			done_testing
		fi
	done
}

# need_file PATH...: like need, for files (ISOs shipped by packages).
need_file() {
	for _f in "$@"; do
		if [ ! -e "$_f" ]; then
			if [ "${CI:-}" = true ]; then
				fail "required file '$_f' is missing (run make deps)"
			else
				skip "$(basename "$0"): '$_f' missing (run make deps)"
			fi
			done_testing
		fi
	done
}

# bios_boot_image TREE CONFIG: put the El Torito BIOS boot image of a
# fixtures/bootcfg tree in it and print its path in the tree: Debian's
# isolinux.bin beside a syslinux config, or a GRUB i386-pc El Torito core
# (prefix: the config's directory, as lorax, catalyst and grml-live make
# it) beside a grub.cfg.
bios_boot_image() {
	_bd=$(dirname "$2")
	case ${2##*/} in
	grub.cfg)
		grub-mkimage -O i386-pc-eltorito -p "/$_bd" \
		    -o "$1/$_bd/eltorito.img" biosdisk iso9660 || return 1
		echo "$_bd/eltorito.img"
		;;
	*)
		cp /usr/lib/ISOLINUX/isolinux.bin "$1/$_bd/isolinux.bin"
		echo "$_bd/isolinux.bin"
		;;
	esac
}

# isolinux_first_config TREE: the config ISOLINUX 6 reads first in TREE
# (SEMANTICS.md 1.1: directory-major search order), or nothing.
isolinux_first_config() {
	for _d in boot/isolinux isolinux boot/syslinux syslinux .; do
		for _n in isolinux.cfg syslinux.cfg; do
			if [ -f "$1/$_d/$_n" ]; then
				echo "$_d/$_n" | sed 's,^\./,,'
				return 0
			fi
		done
	done
}

# guest_report SERIAL MARKER: the report of a tests/lib/mkinitramfs.sh
# guest in the serial log SERIAL, without the tty's \r, the MARKER taken
# off, each line once (it arrives through /dev/console and again through
# /dev/ttyS0, both the serial port).
guest_report() {
	tr -d '\r' <"$1" | sed -n "s/^$2 //p" | awk '!seen[$0]++'
}

# run CMD...: run with stdout in $T/out, stderr in $T/err, status in $rc.
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# expect_exit N DESC CMD...: the exact status (a crash, > 128, fails).
expect_exit() {
	_want=$1
	_desc=$2
	shift 2
	run "$@"
	if [ "$rc" -eq "$_want" ]; then
		ok "$_desc"
	else
		fail "$_desc (status $rc, expected $_want)"
		sed 's/^/#   /' "$T/err" | head -n 5
	fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1"
		echo "#   expected: $2"
		echo "#   actual:   $3"
	fi
}

# check_files DESC EXPECTED-FILE ACTUAL-FILE: equal contents.
check_files() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		fail "$1"
		diff "$2" "$3" | head -n 10 | sed 's/^/#   /'
	fi
}

# check_grep DESC PATTERN FILE: FILE has a line matching PATTERN.
check_grep() {
	if grep -q -- "$2" "$3"; then
		ok "$1"
	else
		fail "$1 (no '$2' in $(basename "$3"))"
		head -n 5 "$3" | sed 's/^/#   /'
	fi
}

# sha256 FILE: the hex digest.
sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	else
		shasum -a 256 "$1" | cut -d' ' -f1
	fi
}

# mtime FILE: modification time in seconds.
mtime() {
	if stat -c %Y "$1" 2>/dev/null; then
		return
	fi
	stat -f %m "$1"
}

# lines FILE: line count.
lines() { wc -l <"$1" | tr -d ' '; }

done_testing() {
	rm -rf "$T"
	[ "$_failures" -eq 0 ]
	exit $?
}

# tree_sig DIR: one line per entry below DIR (type, path, and the sha256
# of a file or the target of a symlink), sorted; never follows a symlink.
tree_sig() {
	(cd "$1" && find . | LC_ALL=C sort | while IFS= read -r p; do
		if [ -L "$p" ]; then
			echo "l $p -> $(readlink "$p")"
		elif [ -d "$p" ]; then
			echo "d $p"
		elif [ -f "$p" ]; then
			echo "f $p $(sha256 "$p")"
		else
			echo "o $p"
		fi
	done)
}

# Shared by the tests that look into or patch generated images.

# le32 FILE OFFSET: the little-endian 32-bit number at OFFSET.
le32() {
	od -An -tu1 -j "$2" -N4 "$1" |
	    awk '{ print $1 + $2 * 256 + $3 * 65536 + $4 * 16777216 }'
}

# put_byte FILE OFFSET VALUE: overwrite one byte.
put_byte() {
	# shellcheck disable=SC2059 # the format is the octal escape itself
	printf "\\$(printf %03o "$3")" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# mode_of PATH: the permission string ls -l shows (no POSIX stat(1)).
mode_of() {
	# shellcheck disable=SC2012 # ls -l is the portable mode string
	ls -ld "$1" | cut -c1-10
}

# inode_of PATH: the inode number (POSIX test has no -ef).
inode_of() {
	# shellcheck disable=SC2012 # ls -i is the portable inode number
	ls -di "$1" | awk '{ print $1 }'
}
