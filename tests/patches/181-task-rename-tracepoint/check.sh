# prctl(PR_SET_NAME) of a name with a tab: stored as is before (the probe
# prints the tab of the Name field of /proc/PID/status as <09>), as "k?live"
# after.  The task:task_rename event (tracefs) is checked with the event
# disabled, enabled, and disabled again: it must report the name stored
# (newcomm) exactly once while enabled, never while disabled.
tracing=/sys/kernel/tracing
event=$tracing/events/task/task_rename
tab=$(printf '\t')

tracing_ready() {
	[ -d "$tracing/events" ] || mount -t tracefs nodev "$tracing" ||
		{ say "cannot mount tracefs"; return 1; }
	[ -f "$event/enable" ] || { say "no task:task_rename event"; return 1; }
}

# rename_with_event STATE STATUS NEWCOMM: with the event enabled (1) or not
# (0), renames the probe to "k<tab>live"; its Name must read STATUS, and the
# trace must hold one event giving NEWCOMM (STATE 1) or none (STATE 0).
rename_with_event() {
	local state=$1 status=$2 newcomm=$3 out lines want
	echo "$state" >"$event/enable" || { say "cannot set $event/enable"; return 1; }
	echo >"$tracing/trace"
	out=$(probe comm-status "k${tab}live")
	echo 0 >"$event/enable"
	[ "$out" = "$status" ] || { say "Name after renaming: '$out', want '$status'"; return 1; }
	lines=$(grep -F 'task_rename:' "$tracing/trace" | grep -cF "oldcomm=corpus-probe newcomm=")
	want=$state
	[ "$lines" = "$want" ] ||
		{ say "event enabled=$state: $lines task_rename events of the probe, want $want"; return 1; }
	[ "$state" = 0 ] && return 0
	grep -qF "oldcomm=corpus-probe newcomm=$newcomm oom_score_adj=" "$tracing/trace" && return 0
	say "event enabled: newcomm is not '$newcomm':"
	grep -F 'oldcomm=corpus-probe' "$tracing/trace"
	return 1
}

check_name() {
	tracing_ready || return 1
	rename_with_event 0 "$1" "$2" &&
	rename_with_event 1 "$1" "$2" &&
	rename_with_event 0 "$1" "$2"
}

check_unpatched() {
	check_name 'k<09>live' "k${tab}live"
}

check_patched() {
	check_name 'k?live' 'k?live'
}

run_entry() {
	local s
	check_unpatched || return 1
	apply_entry
	for s in __jump_table .static_call_sites; do
		[ -e "/sys/module/corpus_181/sections/$s" ] ||
			{ say "the module has no $s section"; return 1; }
	done
	check_patched || return 1
	revert_entry
	check_unpatched
}
