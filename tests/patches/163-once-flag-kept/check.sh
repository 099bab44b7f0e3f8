# remap_file_pages(2) of a shared file mapping with an unknown flag bit
# (0x40000): 0 before, EINVAL after; without flags: 0 throughout.  The
# deprecation warning is printed once in the whole run: by the first call,
# before the patch, and never by the patched function.
WARNING="uses deprecated remap_file_pages() syscall"

remap_is() {
	r=$(probe remap-file-pages "$1")
	[ "$r" = "$2" ] || { say "remap_file_pages(flags $1): $r, want $2"; return 1; }
}

warnings_logged() {
	n=$(log_since | grep -c "$WARNING")
	[ "$n" = "$1" ] || { say "the deprecation warning was logged $n times, want $1"; return 1; }
}

check_unpatched() {
	remap_is 0x40000 0 && remap_is 0 0
}

check_patched() {
	remap_is 0x40000 "-1 EINVAL" && remap_is 0 0
}

run_entry() {
	log_mark
	check_unpatched || return 1
	warnings_logged 1 || return 1
	apply_entry
	check_patched || return 1
	warnings_logged 1 || return 1
	revert_entry
	check_unpatched || return 1
	warnings_logged 1
}
