#!/usr/bin/env bash
# 200 apply/revert cycles of the uname patch while 8 processes call uname(2)
# in a tight loop: every call returns the old or the new machine name, never
# an error, and every transition completes.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/lifecycle.sh"

cycles=${KLIVE_STRESS_CYCLES:-200}
helper uname-loop
build_named uname "$EXAMPLES/uname-machine.patch"

{ guest_lib; echo "cycles=$cycles"; cat <<'GUEST'; } >"$TMP/guest.sh"
# The loops run at the lowest priority so that klive gets a CPU at all
# under emulation; they still call uname(2) back to back.
./uname-loop -n 19 8 /tmp/stop x86_64 x86_64-klive >/tmp/loop.out 2>&1 &
loop=$!
sleep 1
start=$(uptime_ms)
i=0
while [ $i -lt $cycles ]; do
	i=$((i + 1))
	klive -q apply --timeout 30 uname.ko >/tmp/apply.out 2>&1 ||
		{ cat /tmp/apply.out; fail "apply $i"; }
	grep -q "^applied uname " /tmp/apply.out || fail "apply $i: $(cat /tmp/apply.out)"
	[ "$(cat /sys/kernel/livepatch/uname/transition)" = 0 ] || fail "apply $i: in transition"
	klive -q revert --timeout 30 uname >/tmp/revert.out 2>&1 ||
		{ cat /tmp/revert.out; fail "revert $i"; }
	[ ! -e /sys/kernel/livepatch/uname ] || fail "revert $i: still there"
	grep -q "^uname " /proc/modules && fail "revert $i: module still loaded"
	sed -n 's/^applied uname (1 function) in \([0-9.]*\) s$/apply \1/p' /tmp/apply.out >>/tmp/times
	sed -n 's/^reverted uname in \([0-9.]*\) s$/revert \1/p' /tmp/revert.out >>/tmp/times
	[ $((i % 20)) != 0 ] || echo "cycle $i at $(uptime_ms) ms"
done
end=$(uptime_ms)
touch /tmp/stop
wait $loop || { cat /tmp/loop.out; fail "uname-loop saw an error or a wrong machine"; }
cat /tmp/loop.out
grep -q "calls=[1-9]" /tmp/loop.out || fail "no calls"
echo "cycles: $i in $((end - start)) ms"
awk '{ n[$1]++; s[$1] += $2; if ($2 > m[$1]) m[$1] = $2 }
     END { for (k in n) printf "%s: %d, mean %.3f s, max %.3f s\n", k, n[k], s[k] / n[k], m[k] }' /tmp/times
[ "$(uname -m)" = x86_64 ] || fail "left patched"
echo GUEST-OK
GUEST
run_guest "$TMP/guest.sh" --timeout 900 --file "$TMP/uname.ko" --file "$TMP/uname-loop" ||
	{ cat "$TMP/guest.out" >&2; fail "guest run"; }
grep -E "uname-loop:|cycles:|apply:|revert:" "$TMP/guest.out"
expect_contains "$TMP/guest.out" "GUEST-OK"
