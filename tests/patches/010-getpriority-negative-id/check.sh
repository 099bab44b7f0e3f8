# getpriority(PRIO_PROCESS, -5) and (PRIO_PGRP, -5): ESRCH before, EINVAL
# after; (PRIO_USER, -5) stays ESRCH; the caller's own priority (20 - nice,
# the raw system call's value) stays 20.
prio_checks() {
	r="$(probe getpriority 0 -5)|$(probe getpriority 1 -5)|$(probe getpriority 2 -5)|$(probe getpriority 0 0)"
	[ "$r" = "$1" ] && return 0
	say "getpriority: $r, want $1"
	return 1
}

check_unpatched() {
	prio_checks "-1 ESRCH|-1 ESRCH|-1 ESRCH|20"
}

check_patched() {
	prio_checks "-1 EINVAL|-1 EINVAL|-1 ESRCH|20"
}
