#!/usr/bin/env bash
# A live upgrade whose restore fails on the new kernel (a process of B's
# boot already has the workload's PID) goes back: klive kexecs into the
# previous kernel A, whose boot step restores the workload there; its
# counters go on and the same TCP connection still echoes.
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
	start_workload
	# On kernel B only, before klive's boot step, a sleeper takes the
	# workload's PID.
	mkdir -p /etc/init.d /etc/rcS.d
	{
		echo '#!/bin/sh'
		echo "[ \"\$(uname -r)\" = $RELEASE_B ] || exit 0"
		echo "echo $((WPID - 1)) >/proc/sys/kernel/ns_last_pid"
		echo 'sleep 600 </dev/null >/dev/null 2>&1 &'
		echo 'echo "occupy: pid $! taken"'
	} >/etc/init.d/occupy
	chmod +x /etc/init.d/occupy
	ln -s ../init.d/occupy /etc/rcS.d/S05occupy
	wait_req 10
	cp $STATE /var/lib/before.state
	set_phase upgrading
	klive upgrade --kernel /boot/vmlinuz-b --initrd /boot/initrd.img-$RELEASE_A \
		--pid $WPID
	fail "klive upgrade returned with status $?"
	;;
upgrading)
	set_phase checked
	[ "$(uname -r)" = "$RELEASE_A" ] || fail "not back on kernel A"
	WPID=$(cat /var/lib/workload.pid)
	running $WPID || fail "the workload (pid $WPID) is not running"
	[ "$(cat /proc/$WPID/comm)" = upgrade-workloa ] || fail "pid $WPID is not the workload"
	klive upgrade --status | tee /tmp/status
	grep -q "^upgrade restored: $RELEASE_A -> $RELEASE_B" /tmp/status || fail "status"
	grep -q "^restore failed on $RELEASE_B; fell back to $RELEASE_A" /tmp/status ||
		fail "status does not tell the fallback"
	[ ! -e /var/lib/klive/upgrade/images ] || fail "images kept after the restore"
	[ ! -e /etc/rcS.d/S10klive-upgrade ] || fail "boot hook kept after the restore"
	before_req=$(tr " " "\n" </var/lib/before.state | sed -n "s/^req=//p")
	wait_req $((before_req + 10))
	echo "after: $(cat $STATE)"
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
expect_contains "$TMP/guest.out" "occupy: pid 3000 taken"
expect_contains "$TMP/guest.out" "the restore failed on $RELEASE_B; going back to the previous kernel $RELEASE_A"
grep -qx "releases=$RELEASE_A" "$TMP/client.result" || fail "the client saw another kernel"
expect_contains "$TMP/client.result" "result=ok same connection throughout"
