#!/usr/bin/env bash
# The real-patch corpus (tests/patches/NNN-*/) on the test kernel: every
# entry is built (or refused as its expect file says), then one guest boot
# checks each built entry's observable effect before, after and on revert.
# KLIVE_CORPUS="012 150" runs only the entries whose name starts so.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/corpus.sh"

# test_modules DIR MODULE...: the test kernel's modules, installed from its
# build directory (all of them: the test kernel has few).
test_modules() {
	local dir=$1 build
	build=${KLIVE_TEST_KERNEL%/arch/x86/boot/*}
	make -s -C "$build/source" O="$build" modules_install \
		INSTALL_MOD_PATH="$dir" >"$TMP/modules_install.log" 2>&1 ||
		{ cat "$TMP/modules_install.log" >&2; return 1; }
}

corpus_run test "$KLIVE_TEST_KERNEL" "$KLIVE_TEST_TARGET" test_modules
