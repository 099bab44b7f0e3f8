# A dd whose 8 MiB buffer exceeds a 2 MiB data ulimit: the first refusal
# in this boot prints the once-only "exceed data ulimit" warning of
# may_expand_vm, later ones print nothing.  The patched may_expand_vm also
# logs each refusal ("refused N bytes beyond the data ulimit"); its
# once-only flag must stay the running kernel's, already set before the
# patch: the warning is not printed again after apply nor after revert.
# remap_file_pages, the other patched function with a flag of that name,
# is called once before the patch (its deprecation warning is printed
# then, or was by an earlier entry), and again with the patch applied: an
# unknown flag is refused with EINVAL and the warning is not printed again.

# refuse: one refused dd; counts the kernel's lines about it in
# $warned (the once-only warning) and $refused (the patched log line).
refuse() {
	log_mark
	if (ulimit -d 2048 && dd if=/dev/zero of=/dev/null bs=8M count=1) 2>/dev/null; then
		say "dd was not refused under a 2 MiB data ulimit"
		return 1
	fi
	warned=$(log_since | grep -c "): VmData [0-9]* exceed data ulimit 2097152")
	refused=$(log_since | grep -c "): refused [0-9]* bytes beyond the data ulimit")
	echo "  refusal: $warned warning(s), $refused refusal line(s)"
}

check_unpatched() {
	refuse || return 1
	[ "$warned" = 0 ] && [ "$refused" = 0 ] && return 0
	say "unpatched: $warned warning(s), $refused refusal line(s), want none"
	return 1
}

check_patched() {
	refuse || return 1
	[ "$warned" = 0 ] && [ "$refused" -ge 1 ] && return 0
	say "patched: $warned warning(s), $refused refusal line(s), want 0 and at least 1"
	return 1
}

# remap FLAGS WANT: remap_file_pages(2) answers WANT; counts the
# deprecation warnings it logs in $deprecated.
remap() {
	log_mark
	r=$(probe remap-file-pages "$1")
	[ "$r" = "$2" ] || { say "remap_file_pages(flags $1): $r, want $2"; return 1; }
	deprecated=$(log_since | grep -c "uses deprecated remap_file_pages() syscall" || :)
}

run_entry() {
	# The first refusal of the boot sets may_expand_vm's flag, the first
	# remap_file_pages call its own.
	refuse || return 1
	[ "$warned" = 1 ] || { say "first refusal: $warned warning(s), want 1"; return 1; }
	remap 0x40000 0 || return 1
	check_unpatched || return 1
	apply_entry
	check_patched || return 1
	remap 0x40000 "-1 EINVAL" || return 1
	[ "$deprecated" = 0 ] || { say "patched remap_file_pages warned again"; return 1; }
	revert_entry
	check_unpatched || return 1
	remap 0x40000 0 && [ "$deprecated" = 0 ]
}
