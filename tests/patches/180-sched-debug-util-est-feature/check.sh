# The utilization estimates in /proc/PID/sched (se.avg.util_est.*) and in
# the cfs_rq lines of /sys/kernel/debug/sched/debug (.util_est_enqueued):
# shown with the UTIL_EST feature on or off before, shown only while it is
# on after.  The feature is flipped both ways in each state.  Where the
# kernel has schedstats (kernel.sched_schedstats), the patched
# proc_sched_show_task must still follow that key too.
debugfs=/sys/kernel/debug
features=$debugfs/sched/features

debugfs_ready() {
	[ -d "$debugfs/sched" ] || mount -t debugfs nodev "$debugfs" ||
		{ say "cannot mount debugfs"; return 1; }
	[ -f "$features" ] || { say "no $features"; return 1; }
}

set_feature() {
	echo "$1" >"$features" || { say "cannot write $1 to $features"; return 1; }
	case " $(cat "$features") " in
	*" $1 "*) return 0 ;;
	esac
	say "$features does not list $1: $(cat "$features")"
	return 1
}

# expect_lines FEATURE WANT_TASK: with FEATURE set, /proc/$$/sched (the
# shell running the check) must show WANT_TASK util_est lines (2 or 0), and
# the debug file one per cfs_rq it lists, or none.
expect_lines() {
	local task nrq rq want_rq
	set_feature "$1" || return 1
	task=$(grep -c 'se\.avg\.util_est\.' /proc/$$/sched)
	cat "$debugfs/sched/debug" >/tmp/corpus-180.debug
	nrq=$(grep -c '^cfs_rq\[' /tmp/corpus-180.debug)
	rq=$(grep -c '^  \.util_est_enqueued ' /tmp/corpus-180.debug)
	[ "$2" = 0 ] && want_rq=0 || want_rq=$nrq
	[ "$nrq" -gt 0 ] && [ "$task $rq" = "$2 $want_rq" ] && return 0
	say "with $1: util_est lines (task, cfs_rq) '$task $rq', want '$2 $want_rq' ($nrq cfs_rq)"
	return 1
}

# schedstats lines in /proc/$$/sched follow kernel.sched_schedstats.
check_schedstats() {
	local knob=/proc/sys/kernel/sched_schedstats old n
	[ -f "$knob" ] || return 0
	old=$(cat "$knob")
	echo 1 >"$knob"
	n=$(grep -c 'sum_sleep_runtime' /proc/$$/sched)
	echo 0 >"$knob"
	[ "$n" = 1 ] && n=$(grep -c 'sum_sleep_runtime' /proc/$$/sched)
	echo "$old" >"$knob"
	[ "$n" = 0 ] && return 0
	say "schedstats lines do not follow kernel.sched_schedstats"
	return 1
}

check_unpatched() {
	debugfs_ready &&
	expect_lines NO_UTIL_EST 2 &&
	expect_lines UTIL_EST 2 &&
	check_schedstats
}

check_patched() {
	debugfs_ready &&
	expect_lines NO_UTIL_EST 0 &&
	expect_lines UTIL_EST 2 &&
	expect_lines NO_UTIL_EST 0 &&
	expect_lines UTIL_EST 2 &&
	check_schedstats
}
