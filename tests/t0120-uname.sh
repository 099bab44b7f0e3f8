#!/usr/bin/env bash
# A change to the uname syscall, checked from user space.
. "$(dirname "$0")/lib.sh"

build_patch uname "$EXAMPLES/uname-machine.patch"
expect_contains "$TMP/uname.build" "sys_newuname"

cat >"$TMP/guest.sh" <<'GUEST'
set -e
echo "before: $(uname -m)"
[ "$(uname -m)" = x86_64 ]
klive apply /root/uname.ko
echo "after: $(uname -m)"
[ "$(uname -m)" = x86_64-klive ]
[ "$(uname -s)" = Linux ]
klive revert uname
echo "reverted: $(uname -m)"
[ "$(uname -m)" = x86_64 ]
echo GUEST-OK
GUEST
run_guest "$TMP/guest.sh" --file "$TMP/uname.ko" || { cat "$TMP/guest.out" >&2; fail "guest run"; }
expect_contains "$TMP/guest.out" "GUEST-OK"
