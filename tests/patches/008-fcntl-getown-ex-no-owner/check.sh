# F_GETOWN_EX on a fresh pipe: type 0 (F_OWNER_TID) before, 1 (F_OWNER_PID)
# after, pid 0; EFAULT into a read-only or unmapped buffer.
getown_checks() {
	r=$(probe getown-ex ok)
	[ "$r" = "$1" ] || { say "F_GETOWN_EX: $r, want $1"; return 1; }
	for how in readonly unmapped; do
		r=$(probe getown-ex $how)
		[ "$r" = "-1 EFAULT" ] || { say "F_GETOWN_EX into a $how buffer: $r"; return 1; }
	done
}

check_unpatched() {
	getown_checks "type=0 pid=0"
}

check_patched() {
	getown_checks "type=1 pid=0"
}
