# busybox uptime (sysinfo(2)): less than a day up before, a day more after;
# uname -v (newuname(2), changed but ignored) stays the kernel's throughout.
version=$(uname -v)

same_version() {
	[ "$(uname -v)" = "$version" ] && return 0
	say "uname -v is '$(uname -v)', want '$version'"
	return 1
}

check_unpatched() {
	u=$(uptime)
	case $u in
	*day*) say "uptime '$u' unpatched"; return 1 ;;
	esac
	same_version
}

check_patched() {
	u=$(uptime)
	case $u in
	*day*) same_version; return $? ;;
	esac
	say "uptime '$u', want a day"
	return 1
}
