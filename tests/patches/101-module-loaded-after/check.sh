# binfmt_misc is unloaded before the patch is applied, then loaded, unloaded
# and loaded again while the patch is in force.
bm=/proc/sys/fs/binfmt_misc
obj=/sys/kernel/livepatch/corpus_101/binfmt_misc

bm_load() {
	grep -q '^binfmt_misc ' /proc/modules || modprobe binfmt_misc || return 1
	grep -q " $bm binfmt_misc " /proc/mounts ||
		mount -t binfmt_misc binfmt_misc $bm || return 1
}

bm_unload() {
	if grep -q " $bm binfmt_misc " /proc/mounts; then
		umount $bm || return 1
	fi
	if grep -q '^binfmt_misc ' /proc/modules; then
		rmmod binfmt_misc || return 1
	fi
	! grep -q '^binfmt_misc ' /proc/modules
}

bm_status_is() {
	s=$(cat $bm/status) || return 1
	[ "$s" = "$1" ] || { say "status is '$s', expected '$1'"; return 1; }
}

bm_toggle_shows() {
	echo 0 >$bm/status && bm_status_is "disabled$1" &&
		echo 1 >$bm/status && bm_status_is "enabled$1"
}

check_unpatched() {
	bm_load && bm_toggle_shows ""
}

check_patched() {
	bm_load && bm_toggle_shows " (patched before load)" &&
		[ "$(cat $obj/patched)" = 1 ]
}

run_entry() {
	check_unpatched || return 1
	bm_unload || { say "cannot unload binfmt_misc"; return 1; }
	apply_entry
	[ "$(cat $obj/patched)" = 0 ] ||
		{ say "the module object is patched while the module is not loaded"; return 1; }
	check_patched || { say "not patched once the module is loaded"; return 1; }
	say "patched when the module loaded"
	bm_unload || { say "cannot unload the patched binfmt_misc"; return 1; }
	[ "$(cat $obj/patched)" = 0 ] || { say "still marked patched after rmmod"; return 1; }
	check_patched || { say "not patched once the module is loaded again"; return 1; }
	say "patched again after rmmod and modprobe"
	bm_unload && check_patched || { say "not patched after a second reload"; return 1; }
	revert_entry
	check_unpatched || { say "the original status is not back after revert"; return 1; }
	bm_unload && check_unpatched ||
		{ say "the module does not load unpatched after the revert"; return 1; }
}
