# F_SETPIPE_SZ on a fresh pipe: 0 gives 4096 before, EINVAL after; other
# sizes are rounded up as before; beyond 2 GiB is EINVAL in both.
pipe_checks() {
	r="$(probe pipe-size 0)|$(probe pipe-size 100000)|$(probe pipe-size 3000000000)"
	[ "$r" = "$1" ] && return 0
	say "F_SETPIPE_SZ 0, 100000, 3000000000: $r, want $1"
	return 1
}

check_unpatched() {
	pipe_checks "4096|131072|-1 EINVAL"
}

check_patched() {
	pipe_checks "-1 EINVAL|131072|-1 EINVAL"
}
