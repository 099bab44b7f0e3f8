# /proc/version and /proc/cmdline gain a marker; a registered binfmt_misc
# entry's file names its interpreter with " (live patched)".
bm=/proc/sys/fs/binfmt_misc

bm_setup() {
	grep -q '^binfmt_misc ' /proc/modules || modprobe binfmt_misc || return 1
	grep -q " $bm binfmt_misc " /proc/mounts ||
		mount -t binfmt_misc binfmt_misc $bm || return 1
	[ -e $bm/klive102 ] || echo ':klive102:E::k102::/bin/true:' >$bm/register
}

check_unpatched() {
	bm_setup || return 1
	! grep -q 'live patched' /proc/version || { say "/proc/version: $(cat /proc/version)"; return 1; }
	! grep -q 'cmdline-live-patched' /proc/cmdline || return 1
	grep -qx 'interpreter /bin/true' $bm/klive102 ||
		{ say "entry: $(cat $bm/klive102)"; return 1; }
}

check_patched() {
	grep -qx 'version: live patched' /proc/version ||
		{ say "/proc/version: $(cat /proc/version)"; return 1; }
	grep -q ' cmdline-live-patched$' /proc/cmdline ||
		{ say "/proc/cmdline: $(cat /proc/cmdline)"; return 1; }
	grep -qx 'interpreter /bin/true (live patched)' $bm/klive102 ||
		{ say "entry: $(cat $bm/klive102)"; return 1; }
	grep -qx 'extension .k102' $bm/klive102 || return 1
	[ "$(cat /sys/kernel/livepatch/corpus_102/vmlinux/patched)" = 1 ] &&
		[ "$(cat /sys/kernel/livepatch/corpus_102/binfmt_misc/patched)" = 1 ]
}
