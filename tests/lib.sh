# tests/lib.sh: shared helpers of klive's test scripts (sourced).
set -euo pipefail

: "${KLIVE_ROOT:?run the tests through tests/run}"
KLIVE=${KLIVE:-$KLIVE_ROOT/klive}
EXAMPLES=$KLIVE_ROOT/examples
TESTS=$KLIVE_ROOT/tests

TMP=$(mktemp -d /tmp/klive-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

fail() {
	echo "not ok: $*" >&2
	exit 1
}

# expect_contains FILE TEXT: FILE must contain the fixed string TEXT.
expect_contains() {
	grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; tail -n 40 "$1" >&2; fail "'$2' not found in $(basename "$1")"; }
}

expect_not_contains() {
	if grep -qF -- "$2" "$1"; then
		echo "--- $1:" >&2; tail -n 40 "$1" >&2
		fail "'$2' unexpectedly found in $(basename "$1")"
	fi
}

# build_patch NAME PATCH...: builds $TMP/NAME.ko for the test target.
build_patch() {
	local name=$1
	shift
	"$KLIVE" build --target "$KLIVE_TEST_TARGET" -o "$TMP/$name.ko" "$@" \
		>"$TMP/$name.build" 2>&1 || { cat "$TMP/$name.build" >&2; fail "klive build $name"; }
	cat "$TMP/$name.build"
}

# run_guest SCRIPT [guest options...]: boots the test kernel and runs SCRIPT
# in it; the console goes to $TMP/guest.out.
run_guest() {
	local script=$1
	shift
	"$KLIVE_ROOT/tools/guest" --kernel "$KLIVE_TEST_KERNEL" --timeout 240 \
		--log "$TMP/console.log" "$@" "$script" >"$TMP/guest.out" 2>&1
}
