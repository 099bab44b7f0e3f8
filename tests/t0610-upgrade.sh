#!/usr/bin/env bash
# klive upgrade from kernel A to kernel B in a guest: a workload with state
# only in memory and a TCP connection to a client on the host (through QEMU's
# user networking) is checkpointed, the guest kexecs into B, the boot hook
# restores it; then uname is B, the counters went on where they were and
# the same connection still echoes.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/upgrade-lib.sh"

upgrade_kernels
workload
new_disk 64M
port=$(free_port)
start_client "$port"

cat >"$TMP/guest.sh" <<'GUEST'
case $(phase) in
start)
	[ "$(uname -r)" = "$RELEASE_A" ] || fail "first boot is not kernel A"
	criu check || fail "criu check fails on kernel A"
	start_workload
	wait_req 10
	cp $STATE /var/lib/before.state
	echo "before: $(cat $STATE)"
	set_phase upgrading
	klive upgrade --kernel /boot/vmlinuz-b --initrd /boot/initrd.img-$RELEASE_A --pid $WPID
	fail "klive upgrade returned with status $?"
	;;
upgrading)
	set_phase checked
	echo "after kexec: $(uname -r); $(tail -n1 /proc/version)"
	[ "$(uname -r)" = "$RELEASE_B" ] || fail "not running kernel B"
	grep -q "klive test kernel B" /proc/version || fail "no B line in /proc/version"
	WPID=$(cat /var/lib/workload.pid)
	running $WPID || fail "the workload (pid $WPID) is not running"
	[ "$(cat /proc/$WPID/comm)" = upgrade-workloa ] || fail "pid $WPID is not the workload"
	klive upgrade --status | tee /tmp/status
	grep -q "^upgrade restored: $RELEASE_A -> $RELEASE_B" /tmp/status || fail "status"
	grep -q "stop time" /tmp/status || fail "no stop time"
	[ ! -e /var/lib/klive/upgrade/images ] || fail "images kept after the restore"
	[ ! -e /etc/rcS.d/S10klive-upgrade ] || fail "boot hook kept after the restore"
	before_req=$(tr " " "\n" </var/lib/before.state | sed -n "s/^req=//p")
	before_ticks=$(tr " " "\n" </var/lib/before.state | sed -n "s/^ticks=//p")
	wait_req $((before_req + 10))
	echo "after: $(cat $STATE)"
	[ "$(field ticks)" -gt "$before_ticks" ] || fail "ticks did not go on"
	[ "$(field release)" = "$RELEASE_B" ] || fail "the workload does not see kernel B"
	finish_workload $WPID
	echo GUEST-OK
	;;
*)	fail "unexpected boot in phase $(phase)" ;;
esac
GUEST

upgrade_guest "$TMP/guest.sh" --net "$port:$GUEST_PORT" || {
	cat "$TMP/guest.out" >&2
	kill "$CLIENT" 2>/dev/null
	fail "guest"
}
cat "$TMP/guest.out"
client_ok
expect_contains "$TMP/guest.out" "GUEST-OK"
expect_contains "$TMP/guest.out" "klive: upgrade: processes dumped; starting /boot/vmlinuz-b"
expect_contains "$TMP/guest.out" "guest: /etc/rcS.d/S10klive-upgrade start"
expect_contains "$TMP/client.result" "releases=$RELEASE_A,$RELEASE_B"
expect_contains "$TMP/client.result" "result=ok same connection throughout"
