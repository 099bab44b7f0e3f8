# socket(AF_UNIX, SOCK_RAW) gives a SOCK_DGRAM socket (type 2) before and
# fails with ESOCKTNOSUPPORT after; stream and datagram sockets are as they
# were.
unix_checks() {
	r="$(probe socket-type 1 3)|$(probe socket-type 1 1)|$(probe socket-type 1 2)"
	[ "$r" = "$1" ] && return 0
	say "socket(AF_UNIX, SOCK_RAW|SOCK_STREAM|SOCK_DGRAM): $r, want $1"
	return 1
}

check_unpatched() {
	unix_checks "type=2|type=1|type=2"
}

check_patched() {
	unix_checks "-1 ESOCKTNOSUPPORT|type=1|type=2"
}
