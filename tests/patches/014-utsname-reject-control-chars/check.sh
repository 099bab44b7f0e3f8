# Host and domain names with an escape character are accepted before and
# refused (EINVAL) after; printable names work in both.
uts_checks() {
	h=$(cat /proc/sys/kernel/hostname)
	d=$(cat /proc/sys/kernel/domainname)
	esc=$(printf 'a\033[2Jb')
	r="$(probe sethostname "$esc")|$(probe setdomainname "$esc")|$(probe sethostname corpus14)|$(probe setdomainname corpus14)"
	now="$(cat /proc/sys/kernel/hostname)|$(cat /proc/sys/kernel/domainname)"
	probe sethostname "$h" >/dev/null
	probe setdomainname "$d" >/dev/null
	[ "$r" = "$1" ] || { say "set*name: $r, want $1"; return 1; }
	[ "$now" = "corpus14|corpus14" ] || { say "names: $now"; return 1; }
}

check_unpatched() {
	uts_checks "0|0|0|0"
}

check_patched() {
	uts_checks "-1 EINVAL|-1 EINVAL|0|0"
}
