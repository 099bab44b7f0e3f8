# tests/helpers/upgrade-lib.sh: shared by the live upgrade tests (t06*),
# sourced after tests/lib.sh.  Guests get criu, the workload, kernel A (the
# test kernel) at /boot/vmlinuz-RELEASE_A, a copy of their own initramfs
# at /boot/initrd.img-RELEASE_A, kernel B at /boot/vmlinuz-b when asked,
# a persistent disk, and QEMU user networking with GUEST_PORT forwarded.

GUEST_PORT=7000

# upgrade_kernels: builds (once) kernels A and B (tools/testkernel-b); sets
# KERNEL_A, RELEASE_A, KERNEL_B and RELEASE_B.
upgrade_kernels() {
	local out

	out=$("$KLIVE_ROOT/tools/testkernel-b" --quiet) || fail "cannot build kernels A and B"
	KERNEL_A=$(echo "$out" | sed -n 1p)
	KERNEL_B=$(echo "$out" | sed -n 2p)
	RELEASE_A=$(cat "${KERNEL_A%/arch/x86/boot/bzImage}/include/config/kernel.release")
	RELEASE_B=$(cat "${KERNEL_B%/arch/x86/boot/bzImage}/include/config/kernel.release")
}

# free_port: prints a TCP port free on the host's loopback.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

workload() {
	gcc -O2 -Wall -Wextra -Werror -o "$TMP/upgrade-workload" \
		"$TESTS/helpers/upgrade-workload.c" || fail "cannot compile the workload"
}

new_disk() {
	DISK=$TMP/disk.img
	truncate -s "${1:-64M}" "$DISK"
	mke2fs -q -t ext2 -F "$DISK" || fail "mke2fs"
}

# upgrade_guest SCRIPT [tools/guest options]: the guest boots kernel A.
upgrade_guest() {
	local script=$1
	shift
	{
		guest_upgrade_lib
		echo "RELEASE_A=$RELEASE_A RELEASE_B=$RELEASE_B PORT=$GUEST_PORT"
		cat "$script"
	} >"$TMP/guest-script.sh"
	"$KLIVE_ROOT/tools/guest" --kernel "$KERNEL_A" --timeout 400 \
		--log "$TMP/console.log" --disk "$DISK" \
		--bin /usr/sbin/criu --bin "$TMP/upgrade-workload" \
		--file "$KERNEL_A:/boot/vmlinuz-$RELEASE_A" \
		--file "$KERNEL_B:/boot/vmlinuz-b" \
		--self-initrd "/boot/initrd.img-$RELEASE_A" "$@" \
		"$TMP/guest-script.sh" >"$TMP/guest.out" 2>&1 || {
		local rc=$?
		cp "$TMP/console.log" "${TMPDIR:-/tmp}/klive-upgrade-failed-console.log"
		echo "console log kept: ${TMPDIR:-/tmp}/klive-upgrade-failed-console.log" >>"$TMP/guest.out"
		return $rc
	}
}

# start_client PORT: the host client, in the background.
start_client() {
	"$TESTS/helpers/upgrade-client" "$1" "$TMP/client.result" --interval 0.2 \
		--timeout 600 >"$TMP/client.out" 2>&1 &
	CLIENT=$!
}

# client_ok: waits for the client and checks it kept one working connection.
client_ok() {
	local rc=0
	wait "$CLIENT" || rc=$?
	cat "$TMP/client.result"
	[ $rc -eq 0 ] || fail "the TCP client failed: $(tail -n1 "$TMP/client.result")"
}

guest_upgrade_lib() {
	cat <<'GUESTLIB'
fail() { echo "GUEST-FAIL: $*"; exit 1; }
STATE=/var/lib/workload.state
PHASE=/var/lib/test.phase
phase() { cat $PHASE 2>/dev/null || echo start; }
set_phase() { echo "$1" >$PHASE; sync; }
# field NAME: a field of the workload's state file.
field() { tr " " "\n" <$STATE | sed -n "s/^$1=//p"; }
# start_workload: starts it with PID 3000 (free on the next boot too; the
# test kernel's pid_max is 4096).
start_workload() {
	rm -f $STATE
	echo 2999 >/proc/sys/kernel/ns_last_pid
	setsid upgrade-workload $PORT $STATE </dev/null >/dev/null 2>&1 &
	WPID=$!
	echo $WPID >/var/lib/workload.pid
	[ "$WPID" = 3000 ] || echo "note: workload got PID $WPID"
}
# wait_req N: waits until the client's requests reach N.
wait_req() {
	i=0
	while [ "$(field req 2>/dev/null || echo 0)" -lt "$1" ] 2>/dev/null ||
	      [ ! -s $STATE ]; do
		i=$((i + 1))
		[ $i -lt 1500 ] || fail "the client did not reach request $1 (state: $(cat $STATE))"
		sleep 0.2
	done
}
# running PID: the process exists and is not stopped.
running() {
	[ -d /proc/$1 ] || return 1
	! grep -q '^State:.*[Tt] (' /proc/$1/status
}
# finish_workload: says bye to the client and waits for the workload to end.
finish_workload() {
	kill -USR2 $1
	i=0
	while [ -d /proc/$1 ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "the workload did not end after bye"
		sleep 0.1
	done
}
GUESTLIB
}
