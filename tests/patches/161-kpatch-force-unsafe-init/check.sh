# /proc/cmdline: the command line before, the command line and " klive"
# after.
check_unpatched() {
	case $(cat /proc/cmdline) in
	*" klive") say "/proc/cmdline ends in klive unpatched"; return 1 ;;
	esac
	return 0
}

check_patched() {
	c=$(cat /proc/cmdline)
	case $c in
	*" klive") return 0 ;;
	esac
	say "/proc/cmdline is '$c'"
	return 1
}
