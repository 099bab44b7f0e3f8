# A shell that writes "corpus11\n" to its /proc/PID/comm shows up in
# /proc/PID/status as "corpus11\n" (escaped) before, "corpus11" after.
comm_checks() {
	# The shell reads its own status with builtins: a last external
	# command would be exec'd in its place, renaming it.
	r=$(sh -c 'echo corpus11 >/proc/$$/comm || exit 1
		while read -r key value; do
			[ "$key" = Name: ] && printf "%s\\n" "$value"
		done </proc/$$/status; :')
	[ "$r" = "$1" ] || { say "Name: '$r', want '$1'"; return 1; }
	r=$(probe write-bad /proc/self/comm)
	[ "$r" = "-1 EFAULT" ] || { say "write from a bad pointer: $r"; return 1; }
}

check_unpatched() {
	comm_checks 'corpus11\n'
}

check_patched() {
	comm_checks corpus11
}
