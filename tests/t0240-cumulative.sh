#!/usr/bin/env bash
# Cumulative patches: version 2 of a fix replaces version 1 atomically (a
# uname(2) loop never sees the unpatched machine name in between) and the
# replaced module is unloaded.  Stacked patches (--no-replace) revert in a
# safe order: a patch under another that replaces the same function is
# refused until the one on top is reverted; unrelated ones revert freely.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/lifecycle.sh"

helper uname-loop
build_named uname_v1 "$EXAMPLES/uname-machine.patch"
build_named uname_v2 "$TESTS/patches/uname-machine-v2.patch"
build_named s1 --no-replace "$EXAMPLES/uname-machine.patch"
build_named s2 --no-replace "$TESTS/patches/uname-machine-v2.patch"
build_named s3 --no-replace "$EXAMPLES/cmdline.patch"

{ guest_lib; cat <<'GUEST'; } >"$TMP/guest.sh"
release=$(uname -r)
klive apply uname_v1.ko || fail "apply v1"
[ "$(uname -m)" = x86_64-klive ] || fail "v1 not in force"
./uname-loop 4 /tmp/stop x86_64-klive x86_64-klive2 >/tmp/loop.out 2>&1 &
loop=$!
sleep 1
klive apply uname_v2.ko >/tmp/v2.out 2>&1 || { cat /tmp/v2.out; fail "apply v2"; }
sleep 1
touch /tmp/stop
wait $loop || { cat /tmp/loop.out; fail "the loop saw neither version"; }
cat /tmp/v2.out /tmp/loop.out
grep -qx "replaced uname_v1 (module unloaded)" /tmp/v2.out || fail "v1 not reported replaced"
[ "$(ls /sys/kernel/livepatch)" = uname_v2 ] || fail "patches: $(ls /sys/kernel/livepatch)"
grep -q "^uname_v1 " /proc/modules && fail "v1 module still loaded"
[ ! -e /run/klive/patches/uname_v1 ] || fail "v1 record left"
[ "$(uname -m)" = x86_64-klive2 ] || fail "v2 not in force"
klive status | grep -qx "version: $release+uname_v2" || fail "status: version"
klive revert uname_v2 || fail "revert v2"
[ "$(uname -m)" = x86_64 ] || fail "not reverted"

klive apply s1.ko && klive apply s3.ko && klive apply s2.ko || fail "apply stacked"
[ "$(uname -m)" = x86_64-klive2 ] || fail "s2 not on top"
klive list
klive list | grep -qx "kernel version: $release+s1+s3+s2" || fail "list: version"
refused "wrong order" "s1: live patch s2, applied after it, replaces some of the same functions: revert s2 first" klive revert s1
klive revert s3 || fail "revert an unrelated stacked patch"
klive revert s2 || fail "revert s2"
[ "$(uname -m)" = x86_64-klive ] || fail "s1 not in force"
klive revert s1 || fail "revert s1"
[ "$(uname -m)" = x86_64 ] || fail "not reverted"
echo GUEST-OK
GUEST
run_guest "$TMP/guest.sh" --file "$TMP/uname-loop" --file "$TMP/uname_v1.ko" \
	--file "$TMP/uname_v2.ko" --file "$TMP/s1.ko" --file "$TMP/s2.ko" \
	--file "$TMP/s3.ko" ||
	{ cat "$TMP/guest.out" >&2; fail "guest run"; }
expect_contains "$TMP/guest.out" "GUEST-OK"
