# /proc/version: "Linux version R (builder@host) (compiler) V" before,
# "Linux version R V" after.
check_unpatched() {
	v=$(cat /proc/version)
	case $v in
	"Linux version $(uname -r) ("*") $(uname -v)") return 0 ;;
	esac
	say "unexpected /proc/version: $v"
	return 1
}

check_patched() {
	v=$(cat /proc/version)
	[ "$v" = "Linux version $(uname -r) $(uname -v)" ] && return 0
	say "unexpected /proc/version: $v"
	return 1
}
