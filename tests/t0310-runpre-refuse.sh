#!/usr/bin/env bash
# Run-pre matching refuses code other than the code a patch was built
# against: offline, a patch built for the test kernel (another config) is
# checked against the stock vmlinuz; on the stock kernel, klive apply refuses
# that module, and a module whose pre code was altered, naming the function
# and offset; loaded behind klive's back (insmod), the altered module refuses
# itself in the kernel, names them in the kernel log, and patches nothing.
. "$(dirname "$0")/lib.sh"

out=$("$KLIVE_ROOT/tools/stockkernel" --quiet) || fail "tools/stockkernel"
vmlinuz=$(echo "$out" | sed -n 1p)
target=$(echo "$out" | sed -n 2p)
dir=$(echo "$out" | sed -n 3p)

if "$KLIVE" build --target "$KLIVE_TEST_TARGET" --check-image "$vmlinuz" \
	--check-kallsyms "$dir/kallsyms" -o "$TMP/cross.ko" \
	"$EXAMPLES/cmdline.patch" >"$TMP/cross.build" 2>&1; then
	cat "$TMP/cross.build" >&2
	fail "a patch built for the test kernel passed the check against the stock kernel"
fi
expect_contains "$TMP/cross.build" "run-pre check failed: cmdline_proc_show,0 in $vmlinuz differs"
[ ! -e "$TMP/cross.ko" ] || fail "a module was written despite the failed check"
"$KLIVE" build --target "$KLIVE_TEST_TARGET" -o "$TMP/cross.ko" \
	"$EXAMPLES/cmdline.patch" >"$TMP/cross.build" 2>&1 ||
	{ cat "$TMP/cross.build" >&2; fail "klive build for the test kernel"; }

"$KLIVE" build --target "$target" -o "$TMP/tampered.ko" \
	"$EXAMPLES/cmdline.patch" >"$TMP/tampered.build" 2>&1 ||
	{ cat "$TMP/tampered.build" >&2; fail "klive build"; }
cp "$TMP/tampered.ko" "$TMP/intact.ko"
# Flip the first byte that must match in the fingerprint of the pre code
# (klive_code_0, under the mask klive_mask_0, in the module's stub).
ko=$TMP/tampered.ko
file_offset() {	# SYMBOL: its offset in the file, and its size
	local value ndx size off
	read -r value size ndx < <(readelf -sW "$ko" | awk -v s="$1" '$8 == s { print $2, $3, $7 }')
	off=$(readelf -SW "$ko" | sed 's/^ *\[ *\([0-9]*\)\]/\1/' |
		awk -v n="$ndx" '$1 == n { print $5 }')
	echo $((16#$off + 16#$value)) "$size"
}
read -r code size < <(file_offset klive_code_0)
read -r mask _ < <(file_offset klive_mask_0)
i=0
while [ "$i" -lt "$size" ] &&
      [ "$(od -An -tx1 -j $((mask + i)) -N1 "$ko" | tr -d ' ')" != ff ]; do
	i=$((i + 1))
done
[ "$i" -lt "$size" ] || fail "no byte of the fingerprint is checked"
byte=$(od -An -tx1 -j $((code + i)) -N1 "$ko" | tr -d ' ')
printf "\\x$(printf %02x $((16#$byte ^ 1)))" |
	dd of="$ko" bs=1 seek=$((code + i)) conv=notrunc status=none
printf '0x%x\n' "$i" >"$TMP/offset"
offset=$(cat "$TMP/offset")

cat >"$TMP/guest.sh" <<GUEST
if klive apply /root/cross.ko; then echo "module of another kernel applied"; exit 1; fi
if klive apply /root/tampered.ko; then echo "tampered module applied"; exit 1; fi
dmesg | grep -q "klive: run-pre check failed" && { echo "klive apply loaded it"; exit 1; }
if insmod /root/tampered.ko; then echo "tampered module loaded"; exit 1; fi
dmesg | grep "klive: run-pre check failed" || { echo "no run-pre message"; exit 1; }
[ ! -e /sys/kernel/livepatch/tampered ] || exit 1
grep -q klive.patched /proc/cmdline && { echo "patched anyway"; exit 1; }
klive apply /root/intact.ko
grep -q klive.patched=1 /proc/cmdline
klive revert intact
echo GUEST-OK
GUEST
"$KLIVE_ROOT/tools/guest" --kernel "$vmlinuz" --mem 1024 --timeout 300 \
	--file "$TMP/tampered.ko" --file "$TMP/intact.ko" --file "$TMP/cross.ko" \
	"$TMP/guest.sh" >"$TMP/guest.out" 2>&1 || { cat "$TMP/guest.out" >&2; fail "guest run"; }
expect_contains "$TMP/guest.out" "GUEST-OK"
expect_contains "$TMP/guest.out" "klive: /root/cross.ko: run-pre check failed: cmdline_proc_show,0 differs from the code the patch was built against"
expect_contains "$TMP/guest.out" "klive: /root/tampered.ko: run-pre check failed: cmdline_proc_show,0 differs from the code the patch was built against at offset $offset"
expect_contains "$TMP/guest.out" "klive: run-pre check failed: cmdline_proc_show,0 differs from the code the patch was built against at offset $offset"
