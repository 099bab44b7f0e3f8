# prctl(PR_SET_NAME, "") names the task "" before, fails with EINVAL after;
# a plain name works in both.
check_unpatched() {
	r="$(probe comm-status "")|$(probe comm-status corpus12)"
	[ "$r" = "|corpus12" ] || { say "PR_SET_NAME: $r"; return 1; }
}

check_patched() {
	r="$(probe comm-status "")|$(probe comm-status corpus12)"
	[ "$r" = "-1 EINVAL|corpus12" ] || { say "PR_SET_NAME: $r"; return 1; }
}
