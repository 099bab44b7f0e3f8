# drop_caches logs "drop_caches: 1" before, "drop_caches: 1: page cache"
# after; once 4 is written through the patched function, nothing is logged,
# also after the revert: the static local is the running kernel's.
drop() {
	log_mark
	echo "$1" >/proc/sys/vm/drop_caches || { say "write $1 failed"; return 1; }
	log_since | grep -o "): drop_caches: .*" >/tmp/005.log
	echo "  write $1: $(cat /tmp/005.log)"
}

# expect_log TEXT: what the last write logged ("" for nothing).
expect_log() {
	[ "$(cat /tmp/005.log)" = "$1" ] && return 0
	say "logged '$(cat /tmp/005.log)', want '$1'"
	return 1
}

check_unpatched() {
	drop 1 && expect_log "): drop_caches: 1"
}

check_patched() {
	drop 1 && expect_log "): drop_caches: 1: page cache"
}

run_entry() {
	check_unpatched || return 1
	apply_entry
	check_patched || return 1
	drop 4 && expect_log "): drop_caches: 4:" || return 1
	drop 1 && expect_log "" || return 1
	revert_entry
	drop 1 && expect_log "" || return 1
}
