#!/usr/bin/env bash
# A patch that does not apply: one clear line naming the file and hunk,
# nonzero exit, no module, and the prepared tree untouched.
. "$(dirname "$0")/lib.sh"

target_dir=${KLIVE_CACHE:-$HOME/.cache/klive}/targets/$KLIVE_TEST_TARGET
src=$(sed -n 's/^source=//p' "$target_dir/target.conf")
snapshot() {
	(cd "$target_dir" && find build -newer target.conf -print | sort)
	sha256sum "$src/fs/proc/cmdline.c" "$target_dir/build/.config"
}
snapshot >"$TMP/before"
workdirs_before=$(ls -d /tmp/klive-build.* 2>/dev/null | wc -l)

cat >"$TMP/bad.patch" <<'PATCH'
--- a/fs/proc/cmdline.c
+++ b/fs/proc/cmdline.c
@@ -7,6 +7,6 @@
 static int cmdline_proc_show(struct seq_file *m, void *v)
 {
-	seq_puts(m, this_line_is_not_there);
+	seq_puts(m, "x");
 	seq_putc(m, '\n');
 	return 0;
 }
PATCH
set +e
"$KLIVE" build --target "$KLIVE_TEST_TARGET" -o "$TMP/bad.ko" "$TMP/bad.patch" \
	>"$TMP/out" 2>&1
rc=$?
set -e
cat "$TMP/out"
[ $rc -eq 1 ] || fail "exit status $rc, expected 1"
[ "$(wc -l <"$TMP/out")" -eq 1 ] || fail "expected one line of error"
expect_contains "$TMP/out" "does not apply"
expect_contains "$TMP/out" "fs/proc/cmdline.c"
expect_contains "$TMP/out" "Hunk #1 FAILED"
[ ! -e "$TMP/bad.ko" ] || fail "a module was written"
snapshot >"$TMP/after"
cmp -s "$TMP/before" "$TMP/after" || { diff "$TMP/before" "$TMP/after" >&2; fail "the prepared tree changed"; }
[ "$(ls -d /tmp/klive-build.* 2>/dev/null | wc -l)" = "$workdirs_before" ] || fail "work directory left behind"
