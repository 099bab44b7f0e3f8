#!/usr/bin/env bash
# The real-patch corpus (tests/patches/NNN-*/) on Debian 12's stock cloud
# kernel (tools/stockkernel): built for its target, checked in one boot of
# its vmlinuz.  KLIVE_CORPUS="012 150" runs only the entries named so.
. "$(dirname "$0")/lib.sh"
. "$TESTS/helpers/corpus.sh"

out=$("$KLIVE_ROOT/tools/stockkernel" --quiet) || fail "tools/stockkernel"
vmlinuz=$(echo "$out" | sed -n 1p)
target=$(echo "$out" | sed -n 2p)
stockdir=$(echo "$out" | sed -n 3p)

# stock_modules DIR MODULE...: the named modules of the unpacked package and
# those they depend on, with a modules.dep made by depmod.
stock_modules() {
	local dir=$1 release src dst m f dep
	shift
	release=${target#stock-}
	src=$stockdir/root/lib/modules/$release
	dst=$dir/lib/modules/$release
	mkdir -p "$dst"
	cp "$src"/modules.order "$src"/modules.builtin "$src"/modules.builtin.modinfo "$dst/"
	local -a todo=("$@")
	while [ ${#todo[@]} -gt 0 ]; do
		m=${todo[0]}
		todo=("${todo[@]:1}")
		f=$(find "$src/kernel" -name "$m.ko*" -o -name "${m//_/-}.ko*" | head -n 1)
		[ -n "$f" ] || { echo "no module $m in $src" >&2; return 1; }
		[ -e "$dst/${f#"$src"/}" ] && continue
		mkdir -p "$(dirname "$dst/${f#"$src"/}")"
		cp "$f" "$dst/${f#"$src"/}"
		for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
			todo+=("$dep")
		done
	done
	depmod -b "$dir" "$release"
}

corpus_run stock "$vmlinuz" "$target" stock_modules
