# umask(2): "umask 000" leaves the mask at 0000 unpatched, 0002 patched (the
# shell's umask builtin reads the mask back with umask(2)).
umask_after_000() {
	got=$(umask 000; umask)
	[ "$got" = "$1" ] || { say "umask after 'umask 000' is $got, expected $1"; return 1; }
}

check_unpatched() {
	umask_after_000 0000
}

check_patched() {
	umask_after_000 0002
}
