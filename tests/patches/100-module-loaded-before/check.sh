# binfmt_misc loaded and mounted before the patch: its status file says
# "enabled"/"disabled"; patched, it adds " (live patched)".  Toggling the
# module's `enabled` through the status file shows the patched code reads
# the module's own variable.
bm=/proc/sys/fs/binfmt_misc

bm_load() {
	grep -q '^binfmt_misc ' /proc/modules || modprobe binfmt_misc || return 1
	grep -q " $bm binfmt_misc " /proc/mounts ||
		mount -t binfmt_misc binfmt_misc $bm || return 1
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
	bm_toggle_shows " (live patched)" &&
		[ "$(cat /sys/kernel/livepatch/corpus_100/binfmt_misc/patched)" = 1 ]
}
