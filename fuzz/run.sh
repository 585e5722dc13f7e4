#!/bin/sh
# run.sh BUILD SHARED SECONDS TARGET...: run each libFuzzer target for
# SECONDS from seeds (the shared test images for fuzz_iso), with the
# limits of the hardening issue: 1 s per input, 256 MiB. A crash leaves
# its input in BUILD/crashes/TARGET; copy it to tests/regress/TARGET.
set -u
build=$1
shared=$2
secs=$3
shift 3
status=0
# ASan's quarantine (256 MiB by default) would count against the 256 MiB
# limit that is meant for the code under test.
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16:detect_leaks=1}
export ASAN_OPTIONS
for t in "$@"; do
	corpus=$build/corpus/$t
	mkdir -p "$corpus" "$build/crashes/$t"
	if [ "$t" = fuzz_iso ] && [ -d "$shared/isos" ]; then
		for f in "$shared"/isos/*.iso; do
			cp "$f" "$corpus/" 2>/dev/null
		done
		for f in "$shared"/isos/*.iso.gz; do
			gzip -dc "$f" >"$corpus/$(basename "$f" .gz)"
		done
	fi
	if { [ "$t" = fuzz_syslinux ] || [ "$t" = fuzz_grubcfg ]; } &&
	    [ -d "$shared/bootcfg" ]; then
		find "$shared/bootcfg" -name '*.cfg' | while read -r f; do
			cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"
		done
	fi
	if [ -d "tests/regress/$t" ]; then
		cp tests/regress/"$t"/* "$corpus/" 2>/dev/null
	fi
	case $t in
	fuzz_iso) maxlen=1048576 ;; # small images
	fuzz_rrip) maxlen=65536 ;;  # an area and its CE blocks
	*) maxlen=8192 ;;
	esac
	echo "== $t: $secs s"
	if ! "$build/fuzz/$t" -max_total_time="$secs" -timeout=1 \
	    -rss_limit_mb=256 -malloc_limit_mb=256 -max_len="$maxlen" \
	    -artifact_prefix="$build/crashes/$t/" "$corpus" \
	    >"$build/$t.log" 2>&1; then
		echo "$t: FAILED (see $build/$t.log and $build/crashes/$t)"
		status=1
	fi
	grep -E '^(Done|#[0-9]+.*DONE)' "$build/$t.log" | tail -n 1
	grep -E 'stat::number_of_executed_units' "$build/$t.log"
done
exit $status
