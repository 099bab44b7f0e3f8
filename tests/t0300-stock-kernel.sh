#!/usr/bin/env bash
# Debian 12's stock cloud kernel, unpacked and never compiled: patches built
# from linux-source-6.1, its config, Module.symvers and copied kallsyms pass
# the run-pre check offline against the vmlinuz, then apply and revert live.
. "$(dirname "$0")/lib.sh"

out=$("$KLIVE_ROOT/tools/stockkernel" --quiet) || fail "tools/stockkernel"
vmlinuz=$(echo "$out" | sed -n 1p)
target=$(echo "$out" | sed -n 2p)

for p in cmdline hostname-static; do
	"$KLIVE" build --target "$target" --check-image "$vmlinuz" \
		-o "$TMP/$p.ko" "$EXAMPLES/$p.patch" >"$TMP/$p.build" 2>&1 ||
		{ cat "$TMP/$p.build" >&2; fail "klive build $p"; }
	expect_contains "$TMP/$p.build" "run-pre check: the 1 replaced function matches"
done
release=${target#stock-}
modinfo -F vermagic "$TMP/cmdline.ko" >"$TMP/vermagic"
expect_contains "$TMP/vermagic" "$release SMP preempt mod_unload modversions"

cat >"$TMP/guest.sh" <<'GUEST'
set -e
klive apply /root/cmdline.ko
grep -q "klive.patched=1" /proc/cmdline
klive list
klive revert cmdline
grep -q klive.patched /proc/cmdline && exit 1
hostname stock
klive apply /root/hostname_static.ko
[ "$(cat /proc/sys/kernel/hostname)" = "stock+klive" ]
klive revert hostname_static
[ "$(cat /proc/sys/kernel/hostname)" = stock ]
echo GUEST-OK
GUEST
"$KLIVE_ROOT/tools/guest" --kernel "$vmlinuz" --mem 1024 --timeout 300 \
	--file "$TMP/cmdline.ko" --file "$TMP/hostname-static.ko:/root/hostname_static.ko" \
	"$TMP/guest.sh" >"$TMP/guest.out" 2>&1 || { cat "$TMP/guest.out" >&2; fail "guest run"; }
expect_contains "$TMP/guest.out" "GUEST-OK"
