#!/usr/bin/env bash
# A changed function that calls a static function of its file and reads a
# static variable: both must stay the kernel's, through livepatch relocations.
. "$(dirname "$0")/lib.sh"

build_patch hostname "$EXAMPLES/hostname-static.patch"
expect_contains "$TMP/hostname.build" "patches vmlinux:proc_do_uts_string"
readelf -W -S -s "$TMP/hostname.ko" >"$TMP/readelf.txt"
expect_contains "$TMP/readelf.txt" ".klp.rela.vmlinux."
expect_contains "$TMP/readelf.txt" ".klp.sym.vmlinux.hostname_poll,"

cat >"$TMP/guest.sh" <<'GUEST'
set -e
hostname klivetest
echo "before: $(cat /proc/sys/kernel/hostname)"
[ "$(cat /proc/sys/kernel/hostname)" = klivetest ]
klive apply /root/hostname.ko
echo "after: $(cat /proc/sys/kernel/hostname)"
[ "$(cat /proc/sys/kernel/hostname)" = "klivetest+klive" ]
[ "$(cat /proc/sys/kernel/domainname)" = "(none)" ]
klive revert hostname
echo "reverted: $(cat /proc/sys/kernel/hostname)"
[ "$(cat /proc/sys/kernel/hostname)" = klivetest ]
echo GUEST-OK
GUEST
run_guest "$TMP/guest.sh" --file "$TMP/hostname.ko" || { cat "$TMP/guest.out" >&2; fail "guest run"; }
expect_contains "$TMP/guest.out" "GUEST-OK"
