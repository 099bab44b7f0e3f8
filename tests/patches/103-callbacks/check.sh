# The callbacks log "klive103: KIND OBJECT"; the order they ran in is
# checked on apply, on rmmod and modprobe of binfmt_misc, and on revert.
bm=/proc/sys/fs/binfmt_misc

bm_load() {
	grep -q '^binfmt_misc ' /proc/modules || modprobe binfmt_misc || return 1
	grep -q " $bm binfmt_misc " /proc/mounts ||
		mount -t binfmt_misc binfmt_misc $bm || return 1
}

bm_unload() {
	if grep -q " $bm binfmt_misc " /proc/mounts; then
		umount $bm || return 1
	fi
	rmmod binfmt_misc
}

check_unpatched() {
	bm_load || return 1
	[ "$(cat $bm/status)" = enabled ] &&
		! grep -q with-callbacks /proc/cmdline
}

check_patched() {
	[ "$(cat $bm/status)" = "enabled (with callbacks)" ] &&
		grep -q ' with-callbacks$' /proc/cmdline
}

# callbacks_were "KIND OBJ, KIND OBJ, ...": the callbacks logged since
# the last log_mark, in order.
callbacks_were() {
	seen=$(log_since | sed -n 's/.*klive103: //p' | tr '\n' ',' |
		sed 's/,$//; s/,/, /g')
	[ "$seen" = "$1" ] || { say "callbacks: '$seen', expected '$1'"; return 1; }
}

run_entry() {
	check_unpatched || return 1
	log_mark
	apply_entry
	check_patched || return 1
	callbacks_were "pre-patch vmlinux, pre-patch binfmt_misc, post-patch vmlinux, post-patch binfmt_misc" || return 1
	log_mark
	bm_unload || { say "cannot unload binfmt_misc"; return 1; }
	callbacks_were "pre-unpatch binfmt_misc, post-unpatch binfmt_misc" || return 1
	log_mark
	bm_load || return 1
	check_patched || { say "not patched after modprobe"; return 1; }
	callbacks_were "pre-patch binfmt_misc, post-patch binfmt_misc" || return 1
	log_mark
	revert_entry
	check_unpatched || return 1
	callbacks_were "pre-unpatch vmlinux, pre-unpatch binfmt_misc, post-unpatch vmlinux, post-unpatch binfmt_misc"
}
