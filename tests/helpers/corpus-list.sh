#!/usr/bin/env bash
# tests/helpers/corpus-list.sh: the list of patch corpus entries, made from
# their expect files, as a Markdown table.  With --update, replaces the list
# in tests/patches/README.md (between its "entries" markers) instead.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$here/patches
readme=$corpus/README.md

get() {
	sed -n "s/^$2:[[:space:]]*//p" "$1" | head -n 1 | sed 's/[[:space:]]*$//'
}

table() {
	local d name outcome what
	echo "| Entry | Outcome | Kernels | Covers |"
	echo "|---|---|---|---|"
	for d in "$corpus"/[0-9][0-9][0-9]-*/; do
		name=$(basename "$d")
		if [ ! -f "$d/expect" ]; then
			echo "| $name | (no expect file) | | |"
			continue
		fi
		outcome=$(get "$d/expect" outcome)
		[ "$outcome" != refused ] || outcome="refused: \"$(get "$d/expect" reason)\""
		what=$(get "$d/expect" covers)
		kernels=$(get "$d/expect" kernels)
		echo "| $name | $outcome | ${kernels:-test stock} | ${what//|/\\|} |"
	done
}

if [ "${1:-}" = --update ]; then
	tmp=$(mktemp)
	awk -v table="$(table)" '
		/^<!-- entries: begin/ { print; print table; skip = 1; next }
		/^<!-- entries: end/ { skip = 0 }
		!skip { print }' "$readme" >"$tmp"
	cat "$tmp" >"$readme"
	rm -f "$tmp"
else
	table
fi
