#!/usr/bin/env bash
# A change to cmdline_proc_show: /proc/cmdline changes live, and back on revert.
. "$(dirname "$0")/lib.sh"

build_patch cmdline "$EXAMPLES/cmdline.patch"
expect_contains "$TMP/cmdline.build" "patches vmlinux:cmdline_proc_show"

cat >"$TMP/guest.sh" <<'GUEST'
set -e
echo "before: $(cat /proc/cmdline)"
grep -q klive.patched /proc/cmdline && { echo "patched too early"; exit 1; }
klive apply /root/cmdline.ko
echo "after: $(cat /proc/cmdline)"
grep -q "klive.patched=1" /proc/cmdline
klive list
[ "$(cat /sys/kernel/livepatch/cmdline/enabled)" = 1 ]
klive revert cmdline
echo "reverted: $(cat /proc/cmdline)"
grep -q klive.patched /proc/cmdline && exit 1
[ ! -e /sys/kernel/livepatch/cmdline ]
echo GUEST-OK
GUEST
run_guest "$TMP/guest.sh" --file "$TMP/cmdline.ko" || { cat "$TMP/guest.out" >&2; fail "guest run"; }
expect_contains "$TMP/guest.out" "GUEST-OK"
expect_contains "$TMP/guest.out" "klive.patched=1"
