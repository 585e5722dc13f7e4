#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot-cmd --script: the wrapper script starts vpnkit and waits for its
# socket before the hypervisor, keeps a pidfile and refuses a second run,
# starts the hypervisor again when it exits with 2 (the guest rebooted),
# and stops vpnkit when it ends. The hypervisor and vpnkit are fakes that
# record what they see; the script is shellcheck-clean.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need perl shellcheck
kernel=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux
need_file "$kernel"

# vpnkit's socket path must stay under 104 bytes (macOS): the VM lives
# in a short directory, whatever $T is.
vm=$(mktemp -d /tmp/ibvm.XXXXXX)
mkdir -p "$T/bin"
# vpnkit: listen on --ethernet's socket until killed.
cat >"$T/bin/vpnkit" <<'FAKE'
#!/bin/sh
for a; do
	case $a in --ethernet=*) sock=${a#--ethernet=} ;; esac
done
echo $$ >"$FAKE_DIR/vpnkit.pid"
[ -n "${FAKE_VPNKIT_FAIL:-}" ] && exit 1
exec perl -MIO::Socket::UNIX -e '
	IO::Socket::UNIX->new(Local => $ARGV[0], Listen => 1) or die;
	sleep 1 while 1;' "$sock"
FAKE
# the hypervisor: note each start and whether vpnkit's socket was there;
# the first run "reboots" (exit 2), the second powers off (exit 0).
cat >"$T/bin/hv" <<'FAKE'
#!/bin/sh
n=$(($(cat "$FAKE_DIR/starts" 2>/dev/null || echo 0) + 1))
echo "$n" >"$FAKE_DIR/starts"
for a; do
	case $a in
	*virtio-vpnkit,path=*)
		s=${a#*path=}
		s=${s%%,*}
		[ -S "$s" ] && echo "socket ready" >>"$FAKE_DIR/seen" ;;
	esac
done
[ -f "$FAKE_DIR/pidfile-seen" ] || cp "$FAKE_STATE/run.pid" \
    "$FAKE_DIR/pidfile-seen"
[ "$n" -eq 1 ] && exit 2
exit 0
FAKE
chmod +x "$T/bin/vpnkit" "$T/bin/hv"
FAKE_DIR=$T
FAKE_STATE=$vm/state
export FAKE_DIR FAKE_STATE

cd "$vm" || exit 1
expect_exit 0 "--script for hyperkit with vpnkit" isoboot-cmd -t hyperkit \
    --kernel "$kernel" --net vpnkit --argv0 "$T/bin/hv" -C state --script
cp "$T/out" "$vm/run"
check_grep "the state directory is absolute in the script" \
    "^state=$FAKE_STATE\$" "$vm/run"
expect_exit 0 "the script is shellcheck-clean" shellcheck -s sh "$vm/run"
# Run from elsewhere: it cds to its own directory, its paths are absolute.
cd / || exit 1
run env PATH="$T/bin:$PATH" sh "$vm/run"
check_eq "the script exits with the hypervisor's last status" 0 "$rc"
check_eq "exit 2 (a reboot) started the hypervisor again" 2 \
    "$(cat "$T/starts")"
check_grep "... and said so" "the guest rebooted; starting it again" \
    "$T/err"
check_eq "vpnkit's socket was there before each start" 2 \
    "$(grep -c "socket ready" "$T/seen")"
check_eq "the pidfile held the script's pid while it ran" 1 \
    "$([ -s "$T/pidfile-seen" ] && echo 1)"
check_eq "the pidfile is gone afterwards" 0 \
    "$([ -e "$FAKE_STATE/run.pid" ] && echo 1 || echo 0)"
# alive PID: running, not a zombie (an orphan's exit status may wait for
# a slow reaper).
alive() {
	if [ -r "/proc/$1/stat" ]; then
		! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null &&
		    [ -e "/proc/$1" ]
	else
		kill -0 "$1" 2>/dev/null
	fi
}
i=0
while alive "$(cat "$T/vpnkit.pid")" && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq "vpnkit was stopped" 0 \
    "$(alive "$(cat "$T/vpnkit.pid")" && echo 1 || echo 0)"

# A second run while one is running is refused.
echo $$ >"$FAKE_STATE/run.pid"
run env PATH="$T/bin:$PATH" sh "$vm/run"
check_eq "a second run: exit 1" 1 "$rc"
check_grep "a second run: already running" "already running (pid $$)" \
    "$T/err"
rm -f "$FAKE_STATE/run.pid" "$T/starts"

# vpnkit that does not start: no hypervisor, exit 1, a clear message.
run env PATH="$T/bin:$PATH" FAKE_VPNKIT_FAIL=1 sh "$vm/run"
check_eq "vpnkit fails: exit 1" 1 "$rc"
check_grep "vpnkit fails: says so" "vpnkit did not start" "$T/err"
check_eq "vpnkit fails: the hypervisor never started" 0 \
    "$([ -e "$T/starts" ] && echo 1 || echo 0)"
rm -rf "$vm"
done_testing
