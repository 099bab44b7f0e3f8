#!/bin/bash
# t0020-fuzz.sh - fuzzes klive's object reader and diff stage for a bounded
# time (FUZZ_TIME seconds, default 60) with the libFuzzer target of fuzz/:
# first the kept reproducers of fuzz/regressions/, then mutations of
# before/after object pairs compiled from tests/unit/inputs/ with the
# kernel's flags.  Any crash, hang (10 s per input), leak or sanitizer
# report fails; the input that caused it is named.

set -u

root=$(cd "$(dirname "$0")/.." && pwd)
FUZZ_TIME=${FUZZ_TIME:-60}
kflags=(-O2 -ffunction-sections -fdata-sections -pg -mfentry -mrecord-mcount
	-fno-pic -mcmodel=kernel -fno-asynchronous-unwind-tables)
passed=0
failed=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1: $2"; failed=$((failed + 1)); }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit $?
}

if ! command -v clang >/dev/null; then
	not_ok "build: fuzzer" "clang is missing (tools/install-deps installs it)"
	finish
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/klive-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

if out=$(cd "$root" && make -s .obj/fuzz/fuzz-diff 2>&1); then
	ok "build: fuzzer"
else
	not_ok "build: fuzzer" "$(echo "$out" | tail -n 5 | tr '\n' ' ')"
	finish
fi
fuzzer=$root/.obj/fuzz/fuzz-diff

# Seeds: "size of pre.o (4 bytes, little-endian), pre.o, post.o".
mkdir -p "$tmp/seeds" "$tmp/corpus" "$tmp/artifacts"
errors=
for dir in "$root"/tests/unit/inputs/*/; do
	pair=$(basename "$dir")
	for side in pre post; do
		mkdir -p "$tmp/src/$pair/$side"
		cp "$dir/$side.c" "$tmp/src/$pair/$side/$pair.c"
		(cd "$tmp/src/$pair/$side" && gcc -c "${kflags[@]}" -o obj.o \
			"$pair.c") 2>/dev/null || errors+="$pair/$side.c "
	done
	pre=$tmp/src/$pair/pre/obj.o
	post=$tmp/src/$pair/post/obj.o
	[ -f "$pre" ] && [ -f "$post" ] || continue
	size=$(stat -c %s "$pre")
	printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((size & 255)) \
		$((size >> 8 & 255)) $((size >> 16 & 255)) $((size >> 24 & 255)))" \
		>"$tmp/seeds/$pair"
	cat "$pre" "$post" >>"$tmp/seeds/$pair"
done
nseeds=$(ls "$tmp/seeds" | wc -l)
if [ -z "$errors" ] && [ "$nseeds" -gt 0 ]; then
	ok "seeds: $nseeds object pairs from tests/unit/inputs"
else
	not_ok "seeds" "cannot compile: $errors"
	finish
fi

# Reproducers of crashes found before: each runs once.
regressions=("$root"/fuzz/regressions/*)
if [ -e "${regressions[0]}" ]; then
	if out=$("$fuzzer" -timeout=10 "${regressions[@]}" 2>&1); then
		ok "regressions: ${#regressions[@]} kept inputs"
	else
		not_ok "regressions" "$(echo "$out" | grep -m3 -E 'ERROR|SUMMARY|Running' | tr '\n' ' ')"
	fi
fi

echo "# fuzzing for $FUZZ_TIME s"
"$fuzzer" -max_total_time="$FUZZ_TIME" -timeout=10 -rss_limit_mb=2048 \
	-close_fd_mask=2 -artifact_prefix="$tmp/artifacts/" \
	"$tmp/corpus" "$tmp/seeds" >"$tmp/log" 2>&1 &
pid=$!
( sleep $((FUZZ_TIME + 300)); kill "$pid" 2>/dev/null ) &
watchdog=$!
wait "$pid"
status=$?
kill "$watchdog" 2>/dev/null
wait "$watchdog" 2>/dev/null
stats=$(grep -E '^#[0-9]+.*DONE' "$tmp/log" | tail -n 1)
[ -n "$stats" ] || stats=$(grep -E '^#[0-9]+' "$tmp/log" | tail -n 1)
if [ "$status" -eq 0 ] && [ -z "$(ls "$tmp/artifacts")" ]; then
	ok "fuzz: ${FUZZ_TIME} s without crash, hang or leak (${stats})"
else
	keep=$root/.obj/fuzz/failures
	mkdir -p "$keep"
	cp "$tmp"/artifacts/* "$keep"/ 2>/dev/null
	cp "$tmp/log" "$keep/last.log"
	not_ok "fuzz" "status $status, input kept in $keep: $(grep -m3 -E 'ERROR|SUMMARY' "$tmp/log" | tr '\n' ' ')"
fi
finish
