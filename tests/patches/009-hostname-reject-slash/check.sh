# A host name with a '/' is accepted before (through sethostname(2) and
# /proc/sys/kernel/hostname) and refused after; plain names work in both.
H=/proc/sys/kernel/hostname

hostname_checks() {
	orig=$(cat $H)
	r=$(probe sethostname corpus9)
	[ "$r" = 0 ] && [ "$(cat $H)" = corpus9 ] || { say "sethostname(corpus9): $r"; return 1; }
	r=$(probe sethostname --bad)
	[ "$r" = "-1 EFAULT" ] || { say "sethostname(bad pointer): $r"; return 1; }
	r=$(probe sethostname corpus/9)
	w=0
	echo corpus/sysctl 2>/dev/null >$H || w=1
	now=$(cat $H)
	echo "$orig" >$H
	echo "  sethostname(corpus/9): $r; write to $H: status $w, host name $now"
	[ "$(cat $H)" = "$orig" ] || { say "cannot restore the host name"; return 1; }
	[ "$r $w $now" = "$1" ] || { say "want: $1"; return 1; }
}

check_unpatched() {
	hostname_checks "0 0 corpus/sysctl"
}

check_patched() {
	hostname_checks "-1 EINVAL 1 corpus9"
}
