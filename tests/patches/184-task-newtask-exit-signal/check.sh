# The task:task_newtask event (tracefs) of a fork of this shell (a
# background subshell): clone_flags=0 before, clone_flags=11 (SIGCHLD in
# the CSIGNAL bits) after.  The event is checked disabled, enabled and
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

# fork_with_event STATE FLAGS: with the event enabled (1) or not (0), forks
# a subshell; the trace must hold one task_newtask event for it giving
# clone_flags=FLAGS (STATE 1), or none (STATE 0).
fork_with_event() {
	local state=$1 flags=$2 pid lines got
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
	got=$(sed -n "s/.*task_newtask: pid=$pid comm=.* clone_flags=\([0-9a-f]*\) .*/\1/p" "$tracing/trace")
	[ "$got" = "$flags" ] && return 0
	say "the fork of pid $pid is reported with clone_flags=$got, want $flags"
	return 1
}

check_flags() {
	tracing_ready &&
	fork_with_event 0 "$1" &&
	fork_with_event 1 "$1" &&
	fork_with_event 0 "$1" &&
	fork_with_event 1 "$1"
}

check_unpatched() {
	check_flags 0
}

check_patched() {
	check_flags 11
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
