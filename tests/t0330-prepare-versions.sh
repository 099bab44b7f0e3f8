#!/usr/bin/env bash
# prepare refuses inputs of different kernel versions, and --running names
# what a Debian machine misses, with the apt-get line (a fake root stands in
# for the machine through $KLIVE_SYSROOT).
. "$(dirname "$0")/lib.sh"

out=$("$KLIVE_ROOT/tools/stockkernel" --quiet) || fail "tools/stockkernel"
dir=$(echo "$out" | sed -n 3p)
release=$(cat "$dir/release")
config=$dir/root/boot/config-$release
tarball=/usr/src/linux-source-6.1.tar.xz
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)

# The kernel is another Debian revision than the source.
sed "s/Debian $srcver /Debian 6.1.192-0 /" "$dir/version" >"$TMP/version"
if "$KLIVE" prepare --source "$tarball" --config "$config" \
	--proc-version "$TMP/version" --name klive-test-mismatch >"$TMP/out" 2>&1; then
	fail "prepare accepted a kernel of another Debian version"
fi
expect_contains "$TMP/out" "version mismatch: the kernel is Debian 6.1.192-0 but the source $tarball is Debian $srcver (apt-get install linux-source-6.1=6.1.192-0)"

# The config is of another upstream version than the source.
sed 's|^# Linux/x86 6.1.192 Kernel Configuration|# Linux/x86 6.1.158 Kernel Configuration|' "$config" >"$TMP/config"
if "$KLIVE" prepare --source "$tarball" --config "$TMP/config" \
	--name klive-test-mismatch >"$TMP/out" 2>&1; then
	fail "prepare accepted a config of another version"
fi
expect_contains "$TMP/out" "version mismatch: the source is Linux 6.1.192 but the config '$TMP/config' is of Linux 6.1.158"
[ ! -e "${KLIVE_CACHE:-$HOME/.cache/klive}/targets/klive-test-mismatch" ] || fail "a refused target was made"

# --running on a Debian machine that lacks the headers and the source.
root=$TMP/root
mkdir -p "$root/proc/sys/kernel" "$root/boot" "$root/usr/src"
cp "$dir/version" "$root/proc/version"
echo "$release" >"$root/proc/sys/kernel/osrelease"
cp "$config" "$root/boot/config-$release"
if KLIVE_SYSROOT=$root "$KLIVE" prepare --running >"$TMP/out" 2>&1; then
	fail "prepare --running succeeded without headers and source"
fi
expect_contains "$TMP/out" "missing: $root/usr/src/linux-headers-$release/Module.symvers"
expect_contains "$TMP/out" "apt-get install linux-headers-$release=$srcver linux-source-6.1=$srcver"

# --running on a kernel that is not Debian's.
echo "Linux version 6.1.192 (me@here) (gcc 12) #1 SMP" >"$root/proc/version"
if KLIVE_SYSROOT=$root "$KLIVE" prepare --running >"$TMP/out" 2>&1; then
	fail "prepare --running accepted a non-Debian kernel"
fi
expect_contains "$TMP/out" "is not a Debian kernel"

# An image that is not there is refused before anything is made.
if "$KLIVE" prepare --source "$tarball" --config "$config" \
	--image "$TMP/no-such-vmlinuz" --name klive-test-mismatch >"$TMP/out" 2>&1; then
	fail "prepare accepted a missing kernel image"
fi
expect_contains "$TMP/out" "kernel image '$TMP/no-such-vmlinuz' not found"
[ ! -e "${KLIVE_CACHE:-$HOME/.cache/klive}/targets/klive-test-mismatch" ] || fail "a refused target was made"

# The stock target records its image, which places local symbols.
conf=${KLIVE_CACHE:-$HOME/.cache/klive}/targets/$(echo "$out" | sed -n 2p)/target.conf
grep -qx "image=$dir/root/boot/vmlinuz-$release" "$conf" ||
	fail "the stock target does not record its image: $(grep image "$conf")"
