# The callback refuses binfmt_misc: the patch cannot be applied while the
# module is loaded, and the module cannot load while the patch is applied.
bm=/proc/sys/fs/binfmt_misc
bm_ko=$dir/$entry/corpus_106.ko

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
}

check_unpatched() {
	bm_load && [ "$(cat $bm/status)" = enabled ]
}

check_patched() {
	! modprobe binfmt_misc 2>/dev/null &&
		! grep -q '^binfmt_misc ' /proc/modules
}

refusals_since_mark() {
	log_since | grep -c "pre-patch callback failed for object 'binfmt_misc'"
}

run_entry() {
	check_unpatched || return 1
	log_mark
	if klive apply "$bm_ko" >/tmp/corpus106.apply 2>&1; then
		say "applied while binfmt_misc is loaded"
		return 1
	fi
	[ ! -d /sys/kernel/livepatch/corpus_106 ] || { say "the patch stayed"; return 1; }
	[ "$(refusals_since_mark)" = 1 ] || { say "the callback did not run once"; return 1; }
	[ "$(cat $bm/status)" = enabled ] || return 1
	bm_unload || { say "cannot unload binfmt_misc"; return 1; }
	apply_entry
	log_mark
	# Each load attempt (busybox modprobe may try more than once) reaches
	# the callback again.
	check_patched || { say "binfmt_misc loaded while the patch refuses it"; return 1; }
	first=$(refusals_since_mark)
	check_patched || { say "binfmt_misc loaded at the second try"; return 1; }
	second=$(refusals_since_mark)
	[ "$first" -ge 1 ] && [ "$second" -gt "$first" ] ||
		{ say "the callback refused $first then $second times"; log_since; return 1; }
	if log_since | grep -q 'invalid relocation'; then
		say "relocations left behind: $(log_since | grep 'invalid relocation' | head -n 1)"
		return 1
	fi
	revert_entry
	check_unpatched || { say "binfmt_misc does not load after the revert"; return 1; }
}
