#!/usr/bin/env bash
# A live upgrade whose final dump fails (the image store's disk fills up
# while the processes are frozen) leaves the workload running on the old
# kernel: klive says so and exits 1 without kexec, the counters go on, the
# same TCP connection to the host still echoes, nothing is left in the
# store and no kernel stays loaded.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/upgrade-lib.sh"

upgrade_kernels
workload
new_disk 64M
port=$(free_port)
start_client "$port"

cat >"$TMP/guest.sh" <<'GUEST'
A=/boot/vmlinuz-$RELEASE_A
start_workload
wait_req 10
# Leave room for the copy of the kernel to fall back to, and 2 MiB more:
# less than the workload's 16 MiB of memory.
kib=$(( ($(stat -c %s $A) + $(stat -c %s /boot/initrd.img-$RELEASE_A)) / 1024 + 2048 ))
free=$(df -k /var/lib | awk 'NR == 2 { print $4 }')
dd if=/dev/zero of=/var/lib/filler bs=1k count=$((free - kib)) 2>/dev/null
df -k /var/lib
before=$(field req)
rc=0
klive upgrade --kernel $A --initrd /boot/initrd.img-$RELEASE_A --pre-dumps 0 \
	--pid $WPID 2>/tmp/err || rc=$?
cat /tmp/err
[ $rc -eq 1 ] || fail "klive upgrade: exit status $rc"
grep -q "the dump of process tree $WPID failed" /tmp/err || fail "no dump failure reported"
grep -q "nothing was lost: the processes run on, on this kernel" /tmp/err || fail "not said"
running $WPID || fail "the workload is not running"
wait_req $((before + 10))
echo "after: $(cat $STATE)"
grep -q "full log: /var/lib/klive/upgrade/failed-dump.log" /tmp/err || fail "log not named"
grep -q "No space left on device" /var/lib/klive/upgrade/failed-dump.log || fail "log not kept"
[ ! -e /var/lib/klive/upgrade/images ] || fail "images left"
[ ! -e /var/lib/klive/upgrade/state ] || fail "state left"
[ ! -e /etc/rcS.d/S10klive-upgrade ] || fail "boot hook left"
[ "$(cat /sys/kernel/kexec_loaded)" = 0 ] || fail "a kernel stays loaded"
finish_workload $WPID
echo GUEST-OK
GUEST

upgrade_guest "$TMP/guest.sh" --net "$port:$GUEST_PORT" || {
	cat "$TMP/guest.out" >&2
	kill "$CLIENT" 2>/dev/null
	fail "guest"
}
cat "$TMP/guest.out"
client_ok
expect_contains "$TMP/guest.out" "GUEST-OK"
grep -qx "releases=$RELEASE_A" "$TMP/client.result" || fail "the client saw another kernel"
expect_contains "$TMP/client.result" "result=ok same connection throughout"
