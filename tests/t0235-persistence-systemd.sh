#!/usr/bin/env bash
# klive install on a Debian system booted by systemd (tools/sysguest): it
# keeps the patch and enables klive.service; at the next boot the unit
# applies it before sysinit.target and the patch is in force; the unit
# stays while another release has a patch installed and goes with the last
# one (while it is active: systemd is left reloaded); after the reboot that
# follows nothing is applied and systemd has no klive.service; with only
# another release's patch installed, the unit's condition on the booted
# release skips it.  Three boots of one root disk.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/lifecycle.sh"

build_named cmdline "$EXAMPLES/cmdline.patch"
# The same patch for another kernel release (same length: 6.1.192 -> 6.1.999).
perl -0777 -pe 's/vermagic=6\.1\.192/vermagic=6.1.999/' "$TMP/cmdline.ko" >"$TMP/other.ko"
cmp -s "$TMP/cmdline.ko" "$TMP/other.ko" && fail "no vermagic to change in cmdline.ko"
disk=$TMP/root.img

boot() {
	local n=$1 start=$SECONDS
	{ guest_lib; cat; } >"$TMP/boot$n.sh"
	"$KLIVE_ROOT/tools/sysguest" --kernel "$KLIVE_TEST_KERNEL" --timeout 300 \
		--log "$TMP/console$n.log" --disk "$disk" \
		--file "$TMP/cmdline.ko" --file "$TMP/other.ko" \
		"$TMP/boot$n.sh" >"$TMP/boot$n.out" 2>&1 ||
		{ cat "$TMP/boot$n.out" >&2; fail "boot $n"; }
	expect_contains "$TMP/boot$n.out" "GUEST-OK"
	echo "boot $n: $((SECONDS - start)) s ($(grep -o 'system up ([a-z]*) after [0-9.]* s' "$TMP/boot$n.out"))"
}

boot 1 <<'GUEST'
release=$(uname -r)
[ -d /run/systemd/system ] || fail "not booted with systemd"
[ "$(cat /proc/1/comm)" = systemd ] || fail "pid 1 is $(cat /proc/1/comm)"
grep -q 'klive.patched' /proc/cmdline && fail "patched before anything was applied"
systemctl is-enabled klive.service && fail "klive.service before install"
# A unit that cannot be enabled: install fails and leaves nothing behind.
wants=/etc/systemd/system/sysinit.target.wants
mv $wants /tmp/wants && : >$wants
rc=0
klive install cmdline.ko 2>/tmp/err || rc=$?
rm $wants && mv /tmp/wants $wants
cat /tmp/err
[ $rc -eq 1 ] || fail "install with a unit that cannot be enabled: status $rc"
grep -q '^klive: systemctl enable klive.service failed' /tmp/err || fail "no reason given"
[ ! -e /var/lib/klive/$release ] || fail "patch kept by a failed install"
[ ! -e /etc/systemd/system/klive.service ] || fail "unit left by a failed install"
klive install cmdline.ko || fail "install"
grep -q 'klive.patched' /proc/cmdline && fail "install applied the patch"
[ -z "$(ls /sys/kernel/livepatch)" ] || fail "install loaded a live patch"
[ -f /var/lib/klive/$release/cmdline.ko ] || fail "not kept"
[ ! -e /etc/init.d/klive ] || fail "init.d script on a systemd system"
systemctl cat klive.service || fail "systemctl cat"
[ "$(systemctl is-enabled klive.service)" = enabled ] || fail "not enabled"
[ -L /etc/systemd/system/sysinit.target.wants/klive.service ] ||
	fail "not wanted by sysinit.target"
grep -qx 'ConditionPathIsDirectory=/var/lib/klive/%v' /etc/systemd/system/klive.service ||
	fail "no condition on the release"
[ "$(systemctl show -P ExecStart klive.service | grep -o 'path=[^ ;]*')" = path=/usr/bin/klive ] ||
	fail "ExecStart: $(systemctl show -P ExecStart klive.service)"
systemd-analyze verify klive.service || fail "systemd-analyze verify"
echo GUEST-OK
GUEST
expect_contains "$TMP/boot1.out" "installed cmdline for kernel 6.1.192"

boot 2 <<'GUEST'
release=$(uname -r)
cat /proc/cmdline
grep -q ' klive.patched=1$' /proc/cmdline || fail "not patched after boot"
klive list
klive status | tee /tmp/status
grep -qx "version: $release+cmdline" /tmp/status || fail "status: version"
grep -q "  file: /var/lib/klive/$release/cmdline.ko" /tmp/status || fail "status: file"
systemctl status --no-pager klive.service
systemctl show -p ActiveState -p SubState -p Result -p ExecMainStatus \
	-p ConditionResult klive.service | tee /tmp/show
for p in ActiveState=active SubState=exited Result=success ExecMainStatus=0 \
	 ConditionResult=yes; do
	grep -qx "$p" /tmp/show || fail "klive.service: no $p"
done
# Applied early: before sysinit.target, so before any ordinary service.
unit_t=$(systemctl show -P ActiveEnterTimestampMonotonic klive.service)
sysinit_t=$(systemctl show -P ActiveEnterTimestampMonotonic sysinit.target)
echo "klive.service done at $unit_t us, sysinit.target at $sysinit_t us"
[ "$unit_t" -gt 0 ] && [ "$unit_t" -le "$sysinit_t" ] || fail "not before sysinit.target"
journalctl -b --no-pager -o cat -u klive.service | tee /tmp/journal
grep -q '^applied cmdline (1 function)' /tmp/journal || fail "no message in the journal"
systemctl list-units --failed --no-legend | tee /tmp/failed
[ ! -s /tmp/failed ] || fail "failed units"
# A patch for another release keeps the unit when this release's goes.
klive install other.ko || fail "install for another release"
klive uninstall cmdline || fail "uninstall"
grep -q ' klive.patched=1$' /proc/cmdline || fail "uninstall reverted the patch"
[ ! -e /var/lib/klive/$release ] || fail "release directory left"
[ "$(systemctl is-enabled klive.service)" = enabled ] ||
	fail "unit disabled while a patch is installed (for 6.1.999)"
# The last patch goes, and the unit with it, while the unit is active.
klive uninstall --release 6.1.999 cmdline || fail "uninstall other release"
[ ! -e /var/lib/klive/6.1.999 ] || fail "other release directory left"
[ ! -e /etc/systemd/system/klive.service ] || fail "unit file left after the last uninstall"
[ ! -e /etc/systemd/system/sysinit.target.wants/klive.service ] || fail "sysinit link left"
state=$(systemctl is-enabled klive.service 2>&1) && fail "still enabled: $state"
echo "is-enabled after the last uninstall: $state"
systemctl status --no-pager klive.service >/tmp/status 2>&1
cat /tmp/status
grep -q 'changed on disk' /tmp/status && fail "systemd not reloaded after the unit went"
[ "$(systemctl show -P NeedDaemonReload klive.service)" = no ] || fail "NeedDaemonReload"
[ "$(systemctl show -P LoadState klive.service)" = not-found ] || fail "unit still loaded"
grep -q ' klive.patched=1$' /proc/cmdline || fail "uninstall reverted the patch"
echo GUEST-OK
GUEST
# systemd's own account of the boot, on the console (before the script).
sed -n '1,/system up (/p' "$TMP/boot2.out" >"$TMP/boot2.console"
expect_contains "$TMP/boot2.console" "[  OK  ] Finished klive.service"

boot 3 <<'GUEST'
release=$(uname -r)
grep -q 'klive.patched' /proc/cmdline && fail "still patched after uninstall and reboot"
[ -z "$(ls /sys/kernel/livepatch)" ] || fail "live patches after boot"
[ "$(systemctl show -P LoadState klive.service)" = not-found ] || fail "klive.service at boot"
journalctl -b --no-pager -o cat -u klive.service | grep -v '^-- No entries --$' &&
	fail "klive.service ran at boot"
# Only another release has a patch: the unit is there, but its condition
# on the booted release (/var/lib/klive/%v) skips it.
klive install other.ko || fail "install for another release"
[ "$(systemctl is-enabled klive.service)" = enabled ] || fail "not enabled"
systemctl start klive.service || fail "systemctl start"
systemctl status --no-pager klive.service | tee /tmp/status
grep -q "ConditionPathIsDirectory=/var/lib/klive/$release was not met" /tmp/status ||
	fail "the unit's condition did not skip it"
systemctl show -p ActiveState -p ConditionResult klive.service | tee /tmp/show
grep -qx ConditionResult=no /tmp/show || fail "condition not failed"
grep -qx ActiveState=inactive /tmp/show || fail "unit ran"
[ -z "$(ls /sys/kernel/livepatch)" ] || fail "the skipped unit applied a patch"
klive uninstall --release 6.1.999 cmdline || fail "uninstall other release"
[ "$(systemctl show -P LoadState klive.service)" = not-found ] || fail "unit left"
echo GUEST-OK
GUEST
sed -n '1,/system up (/p' "$TMP/boot3.out" >"$TMP/boot3.console"
expect_not_contains "$TMP/boot3.console" "klive.service"
