# A seek in /proc/PID/status after the task was reaped: its ->show()
# (proc_single_show) fails with ESRCH inside traverse().  Before the patch
# the seek fails silently; after it the kernel log names the handler, the
# error and the offset.

# seek_gone_task OFFSET: lseek (by dd's skip) to OFFSET in the status file
# of a reaped task; the kernel's seq_file lines go to /tmp/172.log.
seek_gone_task() {
	local pid
	sleep 1000 &
	pid=$!
	exec 3</proc/$pid/status
	kill $pid
	wait $pid
	log_mark
	if dd bs=1 skip="$1" count=1 <&3 >/dev/null 2>/tmp/172.dd; then
		exec 3<&-
		say "dd read a reaped task's status"
		return 1
	fi
	exec 3<&-
	grep -q 'No such process' /tmp/172.dd ||
		{ say "dd: $(cat /tmp/172.dd)"; return 1; }
	log_since | grep -o "seq_file: .*" >/tmp/172.log
	return 0
}

expect_log() {
	[ "$(cat /tmp/172.log)" = "$1" ] && return 0
	say "logged '$(cat /tmp/172.log)', want '$1'"
	return 1
}

check_unpatched() {
	seek_gone_task 5 && expect_log ""
}

check_patched() {
	seek_gone_task 5 &&
		expect_log "seq_file: proc_single_show failed with -3 while seeking to 5" &&
		seek_gone_task 17 &&
		expect_log "seq_file: proc_single_show failed with -3 while seeking to 17"
}
