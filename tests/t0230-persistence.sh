#!/usr/bin/env bash
# klive install keeps a patch for its kernel release and the boot hook it
# installs (the init.d script, run by the guest's boot sequence) applies it
# at the next boot, on the same persistent disk; a patch for another
# release is kept but not applied; after klive uninstall and a reboot the
# patch is gone, and the hook goes with the last installed patch.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/lifecycle.sh"

build_named uname "$EXAMPLES/uname-machine.patch"
perl -0777 -pe 's/vermagic=6\.1\.192/vermagic=6.1.999/' "$TMP/uname.ko" >"$TMP/other.ko"
disk=$TMP/disk.img
truncate -s 16M "$disk"
mke2fs -q -t ext2 -F "$disk" || fail "mke2fs"

boot() {
	local n=$1
	{ guest_lib; cat; } >"$TMP/boot$n.sh"
	run_guest "$TMP/boot$n.sh" --disk "$disk" --file "$TMP/uname.ko" \
		--file "$TMP/other.ko" ||
		{ cat "$TMP/guest.out" >&2; fail "boot $n"; }
	cp "$TMP/guest.out" "$TMP/boot$n.out"
	expect_contains "$TMP/boot$n.out" "GUEST-OK"
}

boot 1 <<'GUEST'
release=$(uname -r)
mount | grep -q " /var/lib " || fail "no persistent /var/lib"
klive install uname.ko || fail "install"
klive install other.ko || fail "install for another release"
[ "$(uname -m)" = x86_64 ] || fail "install applied the patch"
ls -l /etc/init.d/klive /etc/rcS.d /var/lib/klive/*
[ -x /etc/init.d/klive ] || fail "no init.d script"
[ -L /etc/rcS.d/S20klive ] || fail "no rcS.d link"
[ -f /var/lib/klive/$release/uname.ko ] || fail "not kept"
[ -f /var/lib/klive/6.1.999/uname.ko ] || fail "other release not kept"
echo GUEST-OK
GUEST
expect_contains "$TMP/boot1.out" "installed uname for kernel 6.1.192"

boot 2 <<'GUEST'
release=$(uname -r)
[ "$(uname -m)" = x86_64-klive ] || fail "not patched after boot"
klive status | tee /tmp/status
grep -qx "version: $release+uname" /tmp/status || fail "status: version"
grep -q "  file: /var/lib/klive/$release/uname.ko" /tmp/status || fail "status: file"
klive uninstall uname || fail "uninstall"
[ "$(uname -m)" = x86_64-klive ] || fail "uninstall reverted the patch"
[ ! -e /var/lib/klive/$release ] || fail "release directory left"
[ -x /etc/init.d/klive ] || fail "hook removed while a patch is installed"
echo GUEST-OK
GUEST
expect_contains "$TMP/boot2.out" "guest: /etc/rcS.d/S20klive start"
expect_contains "$TMP/boot2.out" "applied uname (1 function)"

boot 3 <<'GUEST'
[ "$(uname -m)" = x86_64 ] || fail "still patched after uninstall and reboot"
[ -z "$(ls /sys/kernel/livepatch)" ] || fail "live patches after boot"
klive uninstall --release 6.1.999 uname || fail "uninstall other release"
[ ! -e /etc/init.d/klive ] || fail "hook left after the last uninstall"
[ ! -e /etc/rcS.d/S20klive ] || fail "rcS.d link left"
echo GUEST-OK
GUEST
expect_not_contains "$TMP/boot3.out" "applied uname"

boot 4 <<'GUEST'
[ "$(uname -m)" = x86_64 ] || fail "patched"
echo GUEST-OK
GUEST
expect_not_contains "$TMP/boot4.out" "S20klive"
