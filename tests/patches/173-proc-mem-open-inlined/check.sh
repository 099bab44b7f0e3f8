# PID 2 (kthreadd) is a kernel thread: its mem, environ and auxv open and
# read as empty before the patch, and fail to open with ENOENT after it,
# through three callers of the inlined __mem_open (mem_open, environ_open,
# auxv_open).  A process's own files read as before in both states.

# opens FILE: "ok BYTES" (the file opened and read that many bytes) or the
# error cat printed, reduced to its reason.
opens() {
	local n
	n=$(cat "$1" 2>/tmp/173.err | wc -c)
	if [ -s /tmp/173.err ]; then
		sed 's/.*: //' /tmp/173.err
	else
		echo "ok $n"
	fi
}

expect_open() {
	local got
	got=$(opens "$1")
	[ "$got" = "$2" ] && return 0
	say "$1: '$got', want '$2'"
	return 1
}

# own_files: a process's own environ and auxv still read.
own_files() {
	env KLIVE173=yes cat /proc/self/environ | tr '\0' '\n' | grep -qx KLIVE173=yes ||
		{ say "own environ unreadable"; return 1; }
	[ "$(cat /proc/self/auxv | wc -c)" -gt 0 ] ||
		{ say "own auxv empty"; return 1; }
}

check_unpatched() {
	[ "$(cat /proc/2/comm)" = kthreadd ] || { say "pid 2 is $(cat /proc/2/comm)"; return 1; }
	expect_open /proc/2/environ "ok 0" &&
		expect_open /proc/2/auxv "ok 0" &&
		expect_open /proc/2/mem "ok 0" &&
		own_files
}

check_patched() {
	expect_open /proc/2/environ "No such file or directory" &&
		expect_open /proc/2/auxv "No such file or directory" &&
		expect_open /proc/2/mem "No such file or directory" &&
		own_files
}
