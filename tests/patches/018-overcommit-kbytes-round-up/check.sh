# With vm.overcommit_kbytes = 100001 (and no swap), /proc/meminfo's
# CommitLimit is 100000 kB before and 100004 kB (whole 4 KiB pages) after.
# Writing overcommit_ratio back restores the ratio-based limit.
commit_limit_with() {
	ratio=$(cat /proc/sys/vm/overcommit_ratio)
	echo "$1" >/proc/sys/vm/overcommit_kbytes || return 1
	limit=$(awk '/^CommitLimit:/ { print $2 " " $3 }' /proc/meminfo)
	echo "$ratio" >/proc/sys/vm/overcommit_ratio
	[ "$(cat /proc/sys/vm/overcommit_kbytes)" = 0 ] || { say "overcommit_kbytes not restored"; return 1; }
	echo "  overcommit_kbytes $1: CommitLimit $limit"
}

limit_checks() {
	grep -q '^SwapTotal: *0 kB' /proc/meminfo || { say "the guest has swap"; return 1; }
	commit_limit_with 100001 && [ "$limit" = "$1" ] || { say "want $1"; return 1; }
	commit_limit_with 100000 && [ "$limit" = "100000 kB" ] || { say "want 100000 kB"; return 1; }
}

check_unpatched() {
	limit_checks "100000 kB"
}

check_patched() {
	limit_checks "100004 kB"
}
