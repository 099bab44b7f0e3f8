#!/usr/bin/env bash
# A static function whose name three files share (c_start): the patch to
# fs/proc/consoles.c must replace that file's, found by its neighbours in
# the stock kernel's kallsyms, and the run-pre check confirms the choice.
. "$(dirname "$0")/lib.sh"

out=$("$KLIVE_ROOT/tools/stockkernel" --quiet) || fail "tools/stockkernel"
vmlinuz=$(echo "$out" | sed -n 1p)
target=$(echo "$out" | sed -n 2p)
dir=$(echo "$out" | sed -n 3p)

[ "$(grep -c ' c_start$' "$dir/kallsyms")" -ge 2 ] || fail "c_start is not shared in this kernel"
# Position of fs/proc/consoles.c's c_start among the c_start symbols: the
# one nearest its show_console_dev in the symbol list.
want=$(grep -n ' c_start$\| show_console_dev$' "$dir/kallsyms" | awk -F: '
	/ c_start$/ { n++; line[n] = $1 }
	/show_console_dev$/ { s = $1 }
	END { best = 0; for (i = 1; i <= n; i++) { d = line[i] - s; if (d < 0) d = -d;
	      if (!best || d < bd) { best = i; bd = d } } print best }')
[ -n "$want" ] && [ "$want" -gt 0 ] || fail "cannot find consoles' c_start"

"$KLIVE" build --target "$target" --check-image "$vmlinuz" \
	-o "$TMP/consoles.ko" "$EXAMPLES/consoles-static.patch" >"$TMP/build" 2>&1 ||
	{ cat "$TMP/build" >&2; fail "klive build"; }
expect_contains "$TMP/build" "patches vmlinux:c_start"
expect_contains "$TMP/build" "run-pre check: the 1 replaced function matches"

cat >"$TMP/guest.sh" <<GUEST
set -e
grep -q ttyS0 /proc/consoles
klive apply /root/consoles.ko
[ -e /sys/kernel/livepatch/consoles/vmlinux/c_start,$want ]
cat /proc/consoles
grep -q ttyS0 /proc/consoles && exit 1
klive revert consoles
grep -q ttyS0 /proc/consoles
echo GUEST-OK
GUEST
"$KLIVE_ROOT/tools/guest" --kernel "$vmlinuz" --mem 1024 --timeout 300 \
	--file "$TMP/consoles.ko" "$TMP/guest.sh" >"$TMP/guest.out" 2>&1 ||
	{ cat "$TMP/guest.out" >&2; fail "guest run"; }
expect_contains "$TMP/guest.out" "GUEST-OK"
