# Each read of a registered entry's file shows "reads N" while patched; the
# counter lives in a shadow variable of the entry.  After a revert, or an
# unload of binfmt_misc, the post-unpatch callback has freed the counters:
# they start again from 1.
bm=/proc/sys/fs/binfmt_misc
bm_entry=$bm/klive104

bm_load() {
	grep -q '^binfmt_misc ' /proc/modules || modprobe binfmt_misc || return 1
	grep -q " $bm binfmt_misc " /proc/mounts ||
		mount -t binfmt_misc binfmt_misc $bm || return 1
	[ -e $bm_entry ] || echo ':klive104:E::k104::/bin/true:' >$bm/register
}

bm_unload() {
	if grep -q " $bm binfmt_misc " /proc/mounts; then
		umount $bm || return 1
	fi
	rmmod binfmt_misc
}

reads_are() {
	for want in "$@"; do
		got=$(sed -n 's/^reads //p' $bm_entry)
		[ "$got" = "$want" ] || { say "reads '$got', expected '$want'"; return 1; }
	done
}

check_unpatched() {
	bm_load && grep -qx 'interpreter /bin/true' $bm_entry && reads_are ""
}

check_patched() {
	reads_are 1 2 3
}

run_entry() {
	check_unpatched || return 1
	apply_entry
	check_patched || return 1
	revert_entry
	check_unpatched || return 1
	apply_entry
	reads_are 1 2 || { say "the counters were not freed on revert"; return 1; }
	# An entry removed and registered again gets a new counter.
	echo -1 >$bm_entry && bm_load || return 1
	reads_are 1 || return 1
	# binfmt_misc unloaded and loaded again: the callback freed them all.
	bm_unload && bm_load || { say "cannot reload binfmt_misc"; return 1; }
	reads_are 1 2 || return 1
	revert_entry
	check_unpatched
}
