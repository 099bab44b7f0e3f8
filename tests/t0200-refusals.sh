#!/usr/bin/env bash
# klive apply/revert/status in a guest: status and list report a patch's
# state, functions, time and source hash and the kernel's effective
# version; each refusal is one line, exit status 1, and changes nothing.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/lifecycle.sh"

build_named uname "$EXAMPLES/uname-machine.patch"
hash=$(modinfo -F klive_source "$TMP/uname.ko")
[ ${#hash} -eq 64 ] || fail "no klive_source in the module"
# Not a live patch: the livepatch modinfo renamed (same length).
perl -0777 -pe 's/livepatch=Y/livepatcX=Y/' "$TMP/uname.ko" >"$TMP/notlp.ko"
# Built for another release: vermagic rewritten (same length).
perl -0777 -pe 's/vermagic=6\.1\.192/vermagic=6.1.999/' "$TMP/uname.ko" >"$TMP/other.ko"
# Corrupted: cut short.
head -c $(( $(stat -c %s "$TMP/uname.ko") / 2 )) "$TMP/uname.ko" >"$TMP/short.ko"
cmp -s "$TMP/notlp.ko" "$TMP/uname.ko" && fail "notlp.ko unchanged"
cmp -s "$TMP/other.ko" "$TMP/uname.ko" && fail "other.ko unchanged"

{ guest_lib; cat <<GUEST; } >"$TMP/guest.sh"
hash=$hash
GUEST
cat >>"$TMP/guest.sh" <<'GUEST'
set -e
release=$(uname -r)
refused "not a live patch" "not a live patch module" klive apply notlp.ko
refused "corrupted" "not a kernel module (truncated or corrupted" klive apply short.ko
refused "other release" "built for kernel 6.1.999, running $release" klive apply other.ko
refused "not a module" "not a kernel module" klive apply /bin/busybox
refused "revert unknown" "no live patch named nosuch is applied" klive revert nosuch
refused "uninstall unknown" "no patch named nosuch is installed" klive uninstall nosuch
klive list | grep -q "no live patches" || fail "list: not empty"
klive list | grep -qx "kernel version: $release" || fail "list: version"

klive apply uname.ko
[ "$(uname -m)" = x86_64-klive ] || fail "not patched"
refused "applied twice" "live patch uname is already applied" klive apply uname.ko
klive status >/tmp/status
cat /tmp/status
grep -qx "version: $release+uname" /tmp/status || fail "status: version"
grep -qx "  enabled: yes" /tmp/status || fail "status: enabled"
grep -qx "  in transition: no" /tmp/status || fail "status: transition"
grep -q "  functions: .*vmlinux:__x64_sys_newuname" /tmp/status || fail "status: functions"
grep -qx "  source: $hash" /tmp/status || fail "status: source"
grep -q "  applied: 20[0-9-]*T[0-9:]*Z" /tmp/status || fail "status: applied"
klive status --json >/tmp/json
cat /tmp/json
grep -q '"version":"'"$release"'+uname"' /tmp/json || fail "json: version"
grep -q '"name":"uname","enabled":true,"transition":false' /tmp/json || fail "json: state"
grep -q '{"object":"vmlinux","function":"__x64_sys_newuname","sympos":1}' /tmp/json || fail "json: functions"
grep -q '"source_sha256":"'"$hash"'"' /tmp/json || fail "json: source"
klive list | tee /tmp/list
grep -q "^uname  *enabled  *20.*  ${hash%????????????????????????????????????????????????????}  .*vmlinux:__x64_sys_newuname" /tmp/list || fail "list: patch line"
grep -qx "kernel version: $release+uname" /tmp/list || fail "list: version"

klive revert uname
[ "$(uname -m)" = x86_64 ] || fail "not reverted"
[ ! -e /run/klive/patches/uname ] || fail "record left behind"
refused "revert twice" "no live patch named uname is applied" klive revert uname
klive status | grep -qx "version: $release" || fail "status: version after revert"
echo GUEST-OK
GUEST
run_guest "$TMP/guest.sh" --file "$TMP/uname.ko" --file "$TMP/notlp.ko" \
	--file "$TMP/other.ko" --file "$TMP/short.ko" ||
	{ cat "$TMP/guest.out" >&2; fail "guest run"; }
cat "$TMP/guest.out" | grep -E "refused|GUEST" || true
expect_contains "$TMP/guest.out" "GUEST-OK"
