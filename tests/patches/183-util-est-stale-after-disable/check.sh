# The utilization estimate of the shell running the check (se.avg.util_est
# in /proc/$$/sched), after it has slept (waiting for sleep(1)), with the
# scheduler's UTIL_EST feature on and off.  Before: some estimate with the
# feature on, one that no longer changes while it is off.  After: some estimate
# while it is on, none (0 and 0) once the shell has slept with it off, and
# an estimate again once the feature is back; flipped both ways twice.
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
	say "$features does not list $1"
	return 1
}

# estimate: "EWMA ENQUEUED" of this shell ($$ in the $(...) subshell too),
# which sleeps while it waits for the subshell and for each sleep(1).
estimate() {
	sleep 0.05; sleep 0.05
	echo $(awk '/^se\.avg\.util_est\./ { print $3 }' /proc/$$/sched)
}

# with FEATURE WANT: sets FEATURE, then takes the estimate twice; WANT is
# "zero" (0 0 both times), "some" (a non-zero EWMA the second time) or
# "kept" (a non-zero estimate that stays the same).
with() {
	local first got ok=
	set_feature "$1" || return 1
	first=$(estimate)
	got=$(estimate)
	case $2 in
	zero) [ "$first/$got" = "0 0/0 0" ] && ok=1 ;;
	some) [ "${got%% *}" -gt 0 ] 2>/dev/null && ok=1 ;;
	kept) [ "$first" = "$got" ] && [ "${got%% *}" -gt 0 ] 2>/dev/null && ok=1 ;;
	esac
	[ -n "$ok" ] && { say "$1: util_est (ewma enqueued) '$first' then '$got'"; return 0; }
	say "with $1 the shell's util_est (ewma enqueued) is '$first' then '$got', want $2"
	set_feature UTIL_EST
	return 1
}

check_unpatched() {
	debugfs_ready &&
	with UTIL_EST some &&
	with NO_UTIL_EST kept &&
	with UTIL_EST some
}

check_patched() {
	debugfs_ready &&
	with UTIL_EST some &&
	with NO_UTIL_EST zero &&
	with UTIL_EST some &&
	with NO_UTIL_EST zero &&
	with UTIL_EST some
}
