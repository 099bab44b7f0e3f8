#!/usr/bin/env bash
# A comment-only patch: refused with "no functional change", exit 3, no module.
. "$(dirname "$0")/lib.sh"

set +e
"$KLIVE" build --target "$KLIVE_TEST_TARGET" -o "$TMP/comment.ko" \
	"$EXAMPLES/comment-only.patch" >"$TMP/out" 2>&1
rc=$?
set -e
cat "$TMP/out"
[ $rc -eq 3 ] || fail "exit status $rc, expected 3"
expect_contains "$TMP/out" "no functional change"
[ ! -e "$TMP/comment.ko" ] || fail "a module was written"
[ -z "$(ls "$TMP" | grep -v '^out$')" ] || fail "files left behind: $(ls "$TMP")"
