# uname -v: the kernel's "#1 ..." version before, "#1 klive" after.
check_unpatched() {
	v=$(uname -v)
	[ "$v" != "#1 klive" ] && return 0
	say "uname -v is '$v' unpatched"
	return 1
}

check_patched() {
	v=$(uname -v)
	[ "$v" = "#1 klive" ] && return 0
	say "uname -v is '$v', want '#1 klive'"
	return 1
}
