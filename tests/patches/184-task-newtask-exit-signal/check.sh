# The task:task_newtask event (tracefs) of a fork of this shell (a
# background subshell): clone_flags with nothing in the CSIGNAL bits (the
# low byte) before, the same flags with 11 (SIGCHLD) there after (the C
# library's fork passes CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID, 1200000).  The event is checked disabled, enabled and
# disabled again: one event for the child while enabled, none otherwise.
# While the patch is applied the loaded module must have the sections the
# kernel rewrote in its copy_process (/sys/module/corpus_184/sections).
tracing=/sys/kernel/tracing
event=$tracing/events/task/task_newtask

tracing_ready() {
	[ -d "$tracing/events" ] || mount -t tracefs nodev "$tracing" ||
		{ say "cannot mount tracefs"; return 1; }
	[ -f "$event/enable" ] || { say "no task:task_newtask event"; return 1; }
}

# fork_with_event STATE: with the event enabled (1) or not (0), forks a
# subshell; the trace must hold one task_newtask event for it (STATE 1),
# whose clone_flags are left in $flags, or none (STATE 0).
fork_with_event() {
	local state=$1 pid lines
	echo "$state" >"$event/enable" || { say "cannot set $event/enable"; return 1; }
	echo >"$tracing/trace"
	( exit 0 ) &
	pid=$!
	wait "$pid"
	echo 0 >"$event/enable"
	lines=$(grep -c "task_newtask: pid=$pid comm=" "$tracing/trace")
	[ "$lines" = "$state" ] ||
		{ say "event enabled=$state: $lines task_newtask events for pid $pid, want $state"; return 1; }
	[ "$state" = 0 ] && return 0
	flags=$(sed -n "s/.*task_newtask: pid=$pid comm=.* clone_flags=\([0-9a-f]*\) .*/\1/p" "$tracing/trace")
	[ -n "$flags" ] || { say "no clone_flags in the event of pid $pid"; return 1; }
}

# check_flags LOW: the event, disabled, enabled, disabled and enabled again,
# reports the forks with LOW (00 or 11) in the low byte of clone_flags.
check_flags() {
	tracing_ready &&
	fork_with_event 0 &&
	fork_with_event 1 &&
	fork_with_event 0 &&
	fork_with_event 1 || return 1
	case $flags in
	*"$1") return 0 ;;
	esac
	say "a fork is reported with clone_flags=$flags, want $1 in the low byte"
	return 1
}

# The flags of a fork before the patch, with 11 in the low byte after.
check_unpatched() {
	check_flags 00 || return 1
	[ -n "$unpatched_flags" ] || unpatched_flags=$flags
	[ "$flags" = "$unpatched_flags" ] && return 0
	say "a fork is reported with clone_flags=$flags, before: $unpatched_flags"
	return 1
}

check_patched() {
	local want
	check_flags 11 || return 1
	want=$(printf '%x' $((0x${unpatched_flags:-0} | 0x11)))
	[ "$flags" = "$want" ] && return 0
	say "a fork is reported with clone_flags=$flags, want $want"
	return 1
}

run_entry() {
	local s
	check_unpatched || return 1
	apply_entry
	for s in .altinstructions .altinstr_replacement .smp_locks __jump_table .static_call_sites; do
		[ -e "/sys/module/corpus_184/sections/$s" ] ||
			{ say "the module has no $s section"; return 1; }
	done
	check_patched || return 1
	revert_entry
	check_unpatched
}
