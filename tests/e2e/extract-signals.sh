#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# SIGINT and SIGTERM in the middle of a file: the tool dies of the
# signal, and neither a partial file under its final name nor a
# temporary is left. A FIFO holds the stream still while the file's data
# is being written (the outcome does not depend on when the signal lands).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need xorriso mkfifo

mkdir -p "$T/tree"
head -c 8000000 /dev/urandom >"$T/tree/big.bin"
xorriso -as mkisofs -quiet -R -o "$T/img.iso" "$T/tree" 2>/dev/null

for sig in INT TERM; do
	rm -rf "$T/d" "$T/fifo"
	mkdir "$T/d"
	mkfifo "$T/fifo"
	isoboot-extract -x - -C "$T/d" <"$T/fifo" 2>"$T/err.$sig" &
	pid=$!
	exec 3>"$T/fifo"
	# The metadata and 1 MB of the file, then the stream stalls.
	head -c 1500000 "$T/img.iso" >&3
	sleep 1
	kill -s "$sig" "$pid"
	# A tool that ignores the signal is killed here: status 137, a fail.
	(sleep 20 && kill -9 "$pid" 2>/dev/null) &
	dog=$!
	wait "$pid"
	rc=$?
	kill "$dog" 2>/dev/null
	exec 3>&-
	case $sig in
	INT) want=130 ;;
	TERM) want=143 ;;
	esac
	check_eq "SIG$sig: the tool dies of the signal" "$want" "$rc"
	left=$(find "$T/d" -type f | wc -l | tr -d ' ')
	check_eq "SIG$sig: no partial or temporary file left" 0 "$left"
done
done_testing
