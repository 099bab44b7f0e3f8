# "+N" written to an integer sysctl: EINVAL before, the value N after; the
# check goes through two handlers sharing proc_get_long.constprop.0
# (kernel.threads-max: proc_dointvec_minmax; fs.file-max:
# proc_doulongvec_minmax).  Each sysctl gets its old value back.
sysctls="/proc/sys/kernel/threads-max /proc/sys/fs/file-max"

# put FILE TEXT: writes TEXT, prints "ok" or "error" (the write's result).
put() {
	if (echo "$2" >"$1") 2>/dev/null; then echo ok; else echo error; fi
}

# expect_put FILE TEXT RESULT VALUE: the write of TEXT gives RESULT and
# leaves VALUE in FILE.
expect_put() {
	local got
	got=$(put "$1" "$2")
	[ "$got" = "$3" ] && [ "$(cat "$1")" = "$4" ] && return 0
	say "$1: write '$2' gave $got, value $(cat "$1"); want $3, $4"
	return 1
}

check_unpatched() {
	local f v
	for f in $sysctls; do
		v=$(cat "$f")
		expect_put "$f" "+$((v - 1))" error "$v" || return 1
		expect_put "$f" "$((v - 1))" ok "$((v - 1))" || return 1
		expect_put "$f" "$v" ok "$v" || return 1
	done
}

check_patched() {
	local f v
	for f in $sysctls; do
		v=$(cat "$f")
		expect_put "$f" "+$((v - 1))" ok "$((v - 1))" || return 1
		expect_put "$f" "++$v" error "$((v - 1))" || return 1
		expect_put "$f" "+$v" ok "$v" || return 1
		expect_put "$f" "$((v - 1))" ok "$((v - 1))" || return 1
		expect_put "$f" "$v" ok "$v" || return 1
	done
}
