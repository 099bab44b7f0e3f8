#!/usr/bin/env bash
# klive upgrade refuses, before anything is stopped, with one line naming
# what and why: a file that is no kernel image, a short or truncated one,
# no previous kernel to fall back to, processes CRIU cannot checkpoint (a
# pidfd, also in a cgroup given, a file on tmpfs, init), no such process or
# cgroup, a store on tmpfs, no criu, kexec disabled.  Each time the workload runs on, nothing
# is kept in the store, no boot hook is left and no kernel is loaded.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/upgrade-lib.sh"

upgrade_kernels
workload
new_disk 64M

cat >"$TMP/guest.sh" <<'GUEST'
A=/boot/vmlinuz-$RELEASE_A
start_workload
# No client connects: the workload waits in accept(); its ticks are not
# counted there, so "not stopped" is checked through /proc.
upgrade-workload --hold-pidfd &
PIDFD=$!
sleep 600 3>/tmp/held &
TMPFILE=$!
head -c 800000 $A >/root/truncated
sleep 0.5

# refused WHAT TEXT ARGS...: klive upgrade ARGS must fail with status 1,
# say TEXT (a basic regular expression), stop nothing and leave nothing
# behind.
refused() {
	what=$1 text=$2
	shift 2
	rc=0
	/usr/bin/klive upgrade "$@" >/tmp/out 2>/tmp/err || rc=$?
	echo "refused ($what): $(grep -v 'checking the kernel image' /tmp/err)"
	[ $rc -eq 1 ] || fail "$what: exit status $rc"
	grep -q -- "$text" /tmp/err || fail "$what: no '$text' in: $(cat /tmp/err)"
	for p in $WPID $PIDFD $TMPFILE; do
		running $p || fail "$what: process $p was stopped or killed"
	done
	[ ! -e /var/lib/klive/upgrade/images ] || fail "$what: images left"
	[ ! -e /var/lib/klive/upgrade/state ] || fail "$what: state left"
	[ ! -e /etc/rcS.d/S10klive-upgrade ] || fail "$what: boot hook left"
	[ "$(cat /sys/kernel/kexec_loaded)" = 0 ] || fail "$what: a kernel is loaded"
}

refused "not a kernel" "kernel image /usr/bin/klive is unusable: not a bzImage" \
	--kernel /usr/bin/klive --pid $WPID
refused "too short" "kernel image /etc/passwd is unusable: too short for a kernel image" \
	--kernel /etc/passwd --pid $WPID
refused "no such image" "kernel image /nope is unusable: cannot open it" \
	--kernel /nope --pid $WPID
refused "truncated image" "kernel image /root/truncated is unusable: truncated: 800000 bytes" \
	--kernel /root/truncated --pid $WPID
refused "no previous kernel" "previous kernel image (to fall back to) /nope is unusable" \
	--kernel $A --previous-kernel /nope --pid $WPID
refused "pidfd" "process $PIDFD (upgrade-workloa) cannot be carried over: file descriptor [0-9]* is a pidfd, which CRIU cannot checkpoint" \
	--kernel $A --pid $WPID $PIDFD
refused "tmpfs file" "process $TMPFILE (sleep) cannot be carried over: file descriptor 3 is /tmp/held, on a memory file system" \
	--kernel $A --pid $TMPFILE
mkdir -p /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup &&
	mkdir /sys/fs/cgroup/held && echo $PIDFD >/sys/fs/cgroup/held/cgroup.procs ||
	fail "cannot make a cgroup"
refused "cgroup member" "process $PIDFD (upgrade-workloa) cannot be carried over: file descriptor [0-9]* is a pidfd" \
	--kernel $A --cgroup held
refused "no cgroup" "no cgroup nope" --kernel $A --cgroup nope
refused "init" "process 1 (init) cannot be carried over: it is init" \
	--kernel $A --pid 1
refused "no process" "no process 4321" --kernel $A --pid 4321
refused "tmpfs store" "the store /tmp/store is on a memory file system" \
	--kernel $A --pid $WPID --store /tmp/store
export PATH=/bin:/sbin
refused "no criu" "criu is not installed" --kernel $A --pid $WPID
export PATH=/usr/bin:/bin:/sbin:/usr/sbin
echo 1 >/proc/sys/kernel/kexec_load_disabled
refused "kexec disabled" "kexec is not available: kexec is disabled" \
	--kernel $A --pid $WPID
kill $WPID $PIDFD $TMPFILE
echo GUEST-OK
GUEST

upgrade_guest "$TMP/guest.sh" || { cat "$TMP/guest.out" >&2; fail "guest"; }
cat "$TMP/guest.out"
expect_contains "$TMP/guest.out" "GUEST-OK"
