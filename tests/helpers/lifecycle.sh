# tests/helpers/lifecycle.sh: shared by the patch lifecycle tests (t02*),
# sourced after tests/lib.sh.

# helper NAME: compiles tests/helpers/NAME.c as a static binary $TMP/NAME
# (the guest has no C library).
helper() {
	gcc -static -O2 -Wall -Wextra -Werror -o "$TMP/$1" "$TESTS/helpers/$1.c" ||
		fail "cannot compile the test helper $1"
}

# build_named NAME [klive build options] PATCH...: builds $TMP/NAME.ko quietly.
build_named() {
	local name=$1
	shift
	"$KLIVE" build --target "$KLIVE_TEST_TARGET" -o "$TMP/$name.ko" "$@" \
		>"$TMP/$name.build" 2>&1 || { cat "$TMP/$name.build" >&2; fail "klive build $name"; }
}

# guest_lib: shell functions for the guest scripts, to be prepended to them.
guest_lib() {
	cat <<'GUESTLIB'
fail() { echo "GUEST-FAIL: $*"; exit 1; }
# snapshot: what a refused command must leave unchanged.
snapshot() {
	cat /proc/modules
	ls /sys/kernel/livepatch
	ls /run/klive/patches 2>/dev/null || true
	klive status --json
}
# refused WHAT TEXT CMD...: CMD must fail with exit status 1 and one line on
# stderr containing TEXT, and change nothing.
refused() {
	what=$1 text=$2
	shift 2
	snapshot >/tmp/before 2>&1
	rc=0
	"$@" >/tmp/out 2>/tmp/err || rc=$?
	snapshot >/tmp/after 2>&1
	echo "refused ($what): $(cat /tmp/err)"
	[ $rc -eq 1 ] || fail "$what: exit status $rc"
	[ "$(wc -l </tmp/err)" -eq 1 ] || fail "$what: not one line: $(cat /tmp/err)"
	grep -qF -- "$text" /tmp/err || fail "$what: no '$text'"
	cmp -s /tmp/before /tmp/after || { diff /tmp/before /tmp/after; fail "$what: something changed"; }
}
# uptime_ms: milliseconds since boot (busybox date has no %N).
uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
GUESTLIB
}
