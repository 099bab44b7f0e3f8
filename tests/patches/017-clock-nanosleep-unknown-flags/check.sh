# clock_nanosleep(CLOCK_MONOTONIC, flags, 1 us): flags 2 is accepted before
# and refused (EINVAL) after; 0 and TIMER_ABSTIME work in both.
sleep_checks() {
	r="$(probe clock-nanosleep 2)|$(probe clock-nanosleep 0)|$(probe clock-nanosleep 1)"
	[ "$r" = "$1" ] && return 0
	say "clock_nanosleep flags 2, 0, 1: $r, want $1"
	return 1
}

check_unpatched() {
	sleep_checks "0|0|0"
}

check_patched() {
	sleep_checks "-1 EINVAL|0|0"
}
