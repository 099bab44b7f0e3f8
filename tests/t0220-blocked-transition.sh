#!/usr/bin/env bash
# A task sleeping inside a patched function holds the transition up: apply
# and status name it with the function on its stack, a second command is
# refused meanwhile, the timeout reverses the transition and leaves the
# kernel unpatched and consistent; once the task has left, apply succeeds.
# --force then takes a blocked transition through, with a warning.
# The task sleeps in nanosleep(2) (see tests/patches/nanosleep-barrier.patch):
# the timeouts stay below the 15 s after which the kernel signals it.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/lifecycle.sh"

build_named nsleep "$TESTS/patches/nanosleep-barrier.patch"
expect_contains "$TMP/nsleep.build" "vmlinux:hrtimer_nanosleep"
build_named uname "$EXAMPLES/uname-machine.patch"

{ guest_lib; cat <<'GUEST'; } >"$TMP/guest.sh"
release=$(uname -r)
sleep 1000 &
holder=$!
sleep 1
echo "holder $holder, stack:"
cat /proc/$holder/stack
grep -q "hrtimer_nanosleep" /proc/$holder/stack || fail "the holder is not in hrtimer_nanosleep"

klive apply --timeout 6 nsleep.ko >/tmp/apply.out 2>/tmp/apply.err &
ap=$!
n=0
until [ "$(cat /sys/kernel/livepatch/nsleep/transition 2>/dev/null)" = 1 ]; do
	n=$((n + 1)); [ $n -lt 100 ] || fail "no transition"; sleep 0.05
done
sleep 2
klive status >/tmp/status
cat /tmp/status
grep -qx "  in transition: yes" /tmp/status || fail "status: not in transition"
grep -qx "  waiting for: pid $holder (sleep) in hrtimer_nanosleep" /tmp/status ||
	fail "status does not name the holder"
klive status --json >/tmp/json
grep -q '"waiting_for":\[{"pid":'$holder',"tgid":'$holder',"comm":"sleep","function":"hrtimer_nanosleep"}\]' /tmp/json ||
	{ cat /tmp/json; fail "status --json does not name the holder"; }
refused "two applies" "another klive command is running (pid $ap, klive apply)" klive apply uname.ko
refused "revert meanwhile" "another klive command is running (pid $ap, klive apply)" klive revert nsleep
rc=0
wait $ap || rc=$?
cat /tmp/apply.out /tmp/apply.err
[ $rc = 1 ] || fail "apply: exit status $rc"
grep -q "nsleep: patching: [0-9]* of [0-9]* tasks switched; waiting for pid $holder (sleep) in hrtimer_nanosleep" /tmp/apply.err ||
	fail "no progress naming the holder"
grep -qx "klive: nsleep: transition did not finish in 6 s, blocked by pid $holder (sleep) in hrtimer_nanosleep; the patch was reverted and unloaded" /tmp/apply.err ||
	fail "no final report"
[ ! -e /sys/kernel/livepatch/nsleep ] || fail "the patch is still there"
grep -q "^nsleep " /proc/modules && fail "the module is still loaded"
[ ! -e /run/klive/patches/nsleep ] || fail "the record is still there"
for f in /proc/[0-9]*/task/*/patch_state; do
	s=$(cat $f 2>/dev/null) || continue
	[ "$s" = -1 ] || fail "$f is $s"
done
klive status | grep -qx "version: $release" || fail "status: version"
grep -q "hrtimer_nanosleep" /proc/$holder/stack || fail "the holder left its sleep"

# Once the task has left, apply succeeds.
kill $holder
wait $holder
klive apply --timeout 20 nsleep.ko || fail "apply after the holder left"
klive status | grep -qx "version: $release+nsleep" || fail "status: version with nsleep"
klive revert nsleep || fail "revert"

# --stop-tasks moves a task in an interruptible sleep along, and the sleep
# goes on.
sleep 1000 &
holder=$!
sleep 1
klive apply --timeout 12 --stop-tasks nsleep.ko >/tmp/stop.out 2>&1 || { cat /tmp/stop.out; fail "apply --stop-tasks"; }
cat /tmp/stop.out
grep -q "nsleep: stopped and continued 1 process" /tmp/stop.out || fail "--stop-tasks did nothing"
kill -0 $holder || fail "the holder died"
klive revert --timeout 12 --stop-tasks nsleep || fail "revert --stop-tasks"

# --force: the transition completes, with a warning.  (The sleep above
# was restarted outside hrtimer_nanosleep: a new one is needed.)
kill $holder
sleep 1000 &
holder=$!
sleep 1
klive apply --timeout 3 --force nsleep.ko >/tmp/force.out 2>&1 || { cat /tmp/force.out; fail "apply --force"; }
cat /tmp/force.out
grep -q "warning: nsleep: forcing the transition, blocked by pid $holder (sleep) in hrtimer_nanosleep: these tasks switch without the consistency check, and the module can never be unloaded" /tmp/force.out ||
	fail "no warning"
[ "$(cat /sys/kernel/livepatch/nsleep/enabled)" = 1 ] || fail "not enabled after --force"
[ "$(cat /sys/kernel/livepatch/nsleep/transition)" = 0 ] || fail "in transition after --force"
kill $holder
echo GUEST-OK
GUEST
run_guest "$TMP/guest.sh" --file "$TMP/nsleep.ko" --file "$TMP/uname.ko" ||
	{ cat "$TMP/guest.out" >&2; fail "guest run"; }
expect_contains "$TMP/guest.out" "GUEST-OK"
