# /proc/cmdline shows corpus.secret=hunter2 (the runner's boot parameter)
# before, corpus.secret=*** after, and is otherwise unchanged.
check_unpatched() {
	c=$(cat /proc/cmdline)
	[ -f /tmp/002.cmdline ] || echo "$c" >/tmp/002.cmdline
	case " $c " in
	*" corpus.secret=hunter2 "*) [ "$c" = "$(cat /tmp/002.cmdline)" ] && return 0 ;;
	esac
	say "unexpected /proc/cmdline: $c"
	return 1
}

check_patched() {
	c=$(cat /proc/cmdline)
	want=$(sed 's/ corpus\.secret=hunter2/ corpus.secret=***/' /tmp/002.cmdline)
	[ "$c" = "$want" ] && return 0
	say "unexpected /proc/cmdline: $c (want $want)"
	return 1
}
