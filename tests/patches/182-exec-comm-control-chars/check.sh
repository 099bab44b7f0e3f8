# A script whose file name holds a tab: the task running it is named
# "k<tab>live" before, "k?live" after (its /proc/PID/comm, read by a
# child).  A name set through prctl keeps its tab in both states (the
# probe prints the tab of the Name field of /proc/PID/status as <09>).
tab=$(printf '\t')
script="/tmp/k${tab}live"

exec_name() {
	printf '#!/bin/sh\ncat /proc/$$/comm\n' >"$script" && chmod +x "$script" ||
		{ say "cannot write $script"; return 1; }
	"$script"
}

check_names() {
	local got status
	got=$(exec_name)
	[ "$got" = "$1" ] || { say "script named '$got', want '$1'"; return 1; }
	status=$(probe comm-status "k${tab}live")
	[ "$status" = 'k<09>live' ] && return 0
	say "Name after prctl: '$status', want 'k<09>live'"
	return 1
}

check_unpatched() {
	check_names "k${tab}live"
}

check_patched() {
	check_names 'k?live'
}
