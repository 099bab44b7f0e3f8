#!/bin/bash
# t0010-unit.sh - unit tests of klive's ELF model and diff stage: builds
# klive, compiles the test program in tests/unit/ against klive's objects,
# compiles the C inputs of tests/unit/inputs/ the way the kernel compiles a
# live patch, and runs every case.  Prints "ok - name" or "not ok - name:
# why" per case, then "N passed, M failed"; exits 0 only if all passed.

set -u

root=$(cd "$(dirname "$0")/.." && pwd)
unit="$root/tests/unit"
# The flags the kernel build uses for the objects of a live patch.
kflags=(-O2 -ffunction-sections -fdata-sections -pg -mfentry -mrecord-mcount
	-fno-pic -mcmodel=kernel -fno-asynchronous-unwind-tables)
CC=${CC:-gcc}

passed=0
failed=0

ok() {
	echo "ok - $1"
	passed=$((passed + 1))
}

not_ok() {
	echo "not ok - $1: $2"
	failed=$((failed + 1))
}

# One line of a command's output, for a failure reason.
oneline() {
	tr '\n' ' ' | sed 's/  */ /g; s/ $//' | cut -c1-600
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit $?
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/klive-unit.XXXXXX") || {
	not_ok "setup" "cannot create a temporary directory"
	finish
}
trap 'rm -rf "$tmp"' EXIT

# 1. klive itself, which leaves its objects in .obj/.
if out=$(cd "$root" && make -s klive 2>&1); then
	ok "build: make klive"
else
	not_ok "build: make klive" "$(echo "$out" | oneline)"
	finish
fi

# 2. The test program, linked with every klive object but main's (those of
# the current sources only, not stale ones).
objs=()
for src in "$root"/src/*/*.c; do
	rel=${src#"$root"/src/}
	objs+=("$root/.obj/${rel%.c}.o")
done
if [ "${#objs[@]}" -eq 0 ]; then
	not_ok "build: unit test program" "no objects in $root/.obj"
	finish
fi
if out=$($CC -std=gnu11 -O1 -g -Wall -Wextra -Werror -o "$tmp/unit" \
		"$unit"/*.c "${objs[@]}" -lelf 2>&1); then
	ok "build: unit test program"
else
	not_ok "build: unit test program" "$(echo "$out" | oneline)"
	finish
fi

# 3. The inputs: each pre/post pair compiled from a file of one name, like a
# kernel source file before and after a patch.
compile() {	# source, directory to compile in, file name there, output
	mkdir -p "$2" && cp "$1" "$2/$3" &&
		(cd "$2" && $CC -c "${kflags[@]}" -o "$4" "$3") 2>&1
}

errors=
if ! out=$(compile "$unit/inputs/roundtrip.c" "$tmp/src" roundtrip.c \
		   "$tmp/roundtrip.o"); then
	errors+="roundtrip.c: $out "
fi
for dir in "$unit"/inputs/*/; do
	pair=$(basename "$dir")
	mkdir -p "$tmp/$pair"
	for side in pre post; do
		if ! out=$(compile "$dir/$side.c" "$tmp/src/$pair/$side" \
				   "$pair.c" "$tmp/$pair/$side.o"); then
			errors+="$pair/$side.c: $out "
		fi
	done
done
# The inputs must carry what the kernel's flags produce, or the tests
# below would check something else than live patch objects.
if [ -z "$errors" ]; then
	relocs=$(readelf -W -r "$tmp"/*/pre.o "$tmp/roundtrip.o" 2>&1)
	for want in R_X86_64_32S R_X86_64_PC32 R_X86_64_PLT32 __fentry__; do
		grep -q "$want" <<<"$relocs" || errors+="no $want relocation "
	done
	readelf -W -S "$tmp/roundtrip.o" | grep -q __mcount_loc ||
		errors+="no __mcount_loc section "
fi
if [ -z "$errors" ]; then
	ok "build: inputs compiled with the kernel's live patch flags"
else
	not_ok "build: inputs compiled with the kernel's live patch flags" \
	       "$(echo "$errors" | oneline)"
	finish
fi

# 4. The cases, one child process each.
"$tmp/unit" "$tmp" >"$tmp/results" 2>"$tmp/stderr"
status=$?
cat "$tmp/results"
p=$(grep -c '^ok - ' "$tmp/results")
f=$(grep -c '^not ok - ' "$tmp/results")
passed=$((passed + p))
failed=$((failed + f))
if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
	not_ok "unit test program" "ran no case (status $status): $(oneline <"$tmp/stderr")"
elif [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
	not_ok "unit test program" "exited with status $status: $(oneline <"$tmp/stderr")"
elif [ -s "$tmp/stderr" ]; then
	not_ok "unit test program" "unexpected output on stderr: $(oneline <"$tmp/stderr")"
fi
finish
