# A task named "a<TAB>b" shows in /proc/self/status as a raw tab before,
# as "a\tb" after; newlines are escaped in both.
check_unpatched() {
	r="$(probe comm-status "$(printf 'a\tb')")|$(probe comm-status "$(printf 'c\nd')")"
	[ "$r" = 'a<09>b|c\nd' ] || { say "Name: $r"; return 1; }
}

check_patched() {
	r="$(probe comm-status "$(printf 'a\tb')")|$(probe comm-status "$(printf 'c\nd')")"
	[ "$r" = 'a\tb|c\nd' ] || { say "Name: $r"; return 1; }
}
