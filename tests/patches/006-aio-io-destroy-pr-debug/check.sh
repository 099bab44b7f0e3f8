# io_destroy(0x3039) fails with EINVAL; with the message enabled through
# dynamic debug, it logs "EINVAL: invalid context id" before and
# "EINVAL: invalid context id 0x3039" after.
ddebug_control() {
	if [ -e /proc/dynamic_debug/control ]; then
		echo /proc/dynamic_debug/control
		return
	fi
	[ -e /sys/kernel/debug/dynamic_debug/control ] ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	echo /sys/kernel/debug/dynamic_debug/control
}

# io_destroy_logs: what io_destroy(0x3039) logs with the message enabled.
io_destroy_logs() {
	ctl=$(ddebug_control)
	echo 'format "invalid context id" +p' >"$ctl" || { say "cannot write $ctl"; return 1; }
	log_mark
	r=$(probe io-destroy 0x3039)
	echo 'format "invalid context id" -p' >"$ctl"
	[ "$r" = "-1 EINVAL" ] || { say "io_destroy: $r"; return 1; }
	log_since | grep -o "EINVAL: invalid context id.*" >/tmp/006.log
	echo "  logged: $(cat /tmp/006.log)"
}

check_unpatched() {
	io_destroy_logs && [ "$(cat /tmp/006.log)" = "EINVAL: invalid context id" ]
}

check_patched() {
	io_destroy_logs && [ "$(cat /tmp/006.log)" = "EINVAL: invalid context id 0x3039" ]
}
